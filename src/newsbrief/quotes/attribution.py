"""Attribution inside one parsed unit: cue verbs, their speakers and what they report.

A cue verb's speaker is its subject (or the holder of "according to", or the
subject of the verb it hangs on: "..., adding that"); its content is the quoted
passage next to it (nearest cue, the parse's link first), else its clause
complement ("said that ..."), else the clause it interrupts ("X, the ministry
said"). A quote that opens a sentence with no cue of its own keeps the previous
quote's speaker (``continuations``). Speakers are resolved across the cluster
later (``speakers``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from newsbrief.model import CleanArticle, Sentence
from newsbrief.quotes.content import (
    after_dateline,
    is_title,
    names_a_work_or_gloss,
    negated,
    quote_complement,
    quote_denies,
    reported_range,
    within,
    words_outside,
)
from newsbrief.quotes.lexicon import (
    BELIEF_LEMMAS,
    CUE_FORMS,
    CUE_LEMMAS,
    DENIAL_LEMMAS,
    DISMISSAL,
    NEGATION,
    PRONOUNS,
    QUOTE_ONLY_LEMMAS,
    SPEECH_NOUNS,
    TITLE,
    can_speak,
    cue_lemma_of,
    is_name,
    is_person_noun,
    speaker_key,
    strip_title,
)
from newsbrief.quotes.marks import QUOTE_MARKS, Unit, inside, trim_quote
from newsbrief.quotes.parse import COMMON, NOMINAL, PROPER
from newsbrief.text import WORD

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = [
    "Found",
    "attribute_unit",
    "continuations",
    "has_cue_outside_quotes",
    "one_cue_per_quote",
    "speaker_role",
]

_WHEN = re.compile(
    r"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|today|yesterday|tonight|morning|"
    r"afternoon|evening|week|month|year|Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)\b"
)
"""A time word: "Sean Spicer on Monday said" puts the day, not the speaker, after the name."""
_SPACE = re.compile(r"\s+")
_DASHES = frozenset({"--", "—", "–", "―", "-"})


def _lemma(tok: Token) -> str:
    """A cue verb's lemma ("told" -> "tell"); other words as they are, lower-cased."""
    return cue_lemma_of(tok.lower_)


@dataclass(slots=True)
class Found:
    """An attribution before its speaker is resolved against the rest of the cluster."""

    unit: Unit
    cue: tuple[int, int, str, str]
    """start, end, text, lemma"""
    speaker: tuple[int, int] | None
    """Char offsets of the speaker as written, in the article."""
    person: str | None
    """A person's name inside the speaker mention (NER), titles dropped."""
    role: str | None
    head_lemma: str
    pronoun: bool
    content: tuple[int, int]
    kind: str
    denial: bool
    goes_on: bool = False
    """A quote that opens a sentence with no cue: the previous quote's speaker goes on."""
    able: bool = True
    """The speaker can speak: a person, a body or a pronoun (not "Current upheaval")."""
    said: bool = True
    """Words said, not a belief, a hope or words to come ("would blame", "plans to
    announce")."""


_MODALS = frozenset({"would", "could", "might", "may", "should", "will", "shall", "'d", "’d",
                     "'ll", "’ll", "wo", "ca", "must"})
_INTENT = re.compile(
    r"^(?:plan|expect|hop|want|intend|going|set|tr[iy]|seek|sought|prepar|aim|wish|declin|"
    r"refus|fail|able|unable|likely|ready|due|schedul|slat|poised)", re.I)
"""Verbs and adjectives whose infinitive is not done yet: "plans to announce", "is expected
to say", "declined to comment" (matched as prefixes: the parser gives no lemmas)."""


def _unsaid(cue: Token) -> bool:
    """A cue of words that were not said, or not yet: a modal ("would blame", "will
    announce") or a plan for later ("plans to announce", "is expected to say")."""
    if any(c.dep_ == "aux" and c.lower_ in _MODALS for c in cue.children):
        return True
    return cue.dep_ == "xcomp" and _INTENT.match(cue.head.lower_) is not None


def _cue_tokens(doc: Doc, quotes: Sequence[tuple[int, int]], base: int) -> list[Token]:
    out = []
    for tok in doc:
        if inside(base + tok.idx, quotes):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            out.append(tok)
            continue
        if not tok.tag_.startswith("VB") or _lemma(tok) not in CUE_LEMMAS:
            continue
        if any(c.dep_ in ("neg", "auxpass", "nsubjpass") for c in tok.children):
            continue  # "did not say", "was asked": not a statement by the subject
        if tok.dep_ == "pcomp" and tok.head.lower_ in ("without", "instead", "than", "before"):
            continue  # "without saying which partner": what was not said
        if tok.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "aux") for c in tok.children):
            continue  # "Asked about ..., Spicer said": a participle, not a cue
        if _lemma(tok) == "call" and any(
            c.dep_ in ("prep", "prt") and c.lower_ in ("off", "up") for c in tok.children
        ):
            continue  # "called off", "called up": not a report of words
        out.append(tok)
    return out


def _subject(cue: Token, depth: int = 0) -> Token | None:
    if cue.lower_ == "according":
        for child in cue.children:
            if child.lower_ == "to":
                return next((g for g in child.children if g.dep_ == "pobj"), None)
        return None
    for child in cue.children:
        if child.dep_ == "nsubj" and child.lower_ in {"who", "that", "which"}:
            # "Yolanda Tondreaux, who charged ...": the relative pronoun stands for the name
            return cue.head if cue.dep_ == "relcl" and cue.head.tag_ in NOMINAL else None
        if child.dep_ == "nsubj" and child.lower_ != "there":
            return child  # "it" too: "It added, “We want no part ...”" (an organisation)
        if depth and child.dep_ == "nsubjpass":
            return child  # "Trump was forced into damage control and said ..."
    for child in cue.children:
        # "“...,” he said, then added, “...”": the parser hangs "he said" under "added"
        if child.dep_ in ("parataxis", "conj") and _lemma(child) in CUE_LEMMAS:
            subject = next((g for g in child.children if g.dep_ == "nsubj"), None)
            if subject is not None:
                return subject
    for child in cue.rights:
        # "“...,” added a South Carolina Democrat": the parser takes the subject after the
        # verb for its object
        if (child.dep_ in ("dobj", "attr", "npadvmod") and cue.i > 0
                and cue.doc[cue.i - 1].text in {",", *QUOTE_MARKS}
                and (child.tag_ in PROPER or is_person_noun(child.text))):
            return child
    if depth >= 2:
        return None
    if cue.dep_ == "xcomp":
        return _subject(cue.head, depth + 1)  # "he wanted to say that ..."
    if cue.dep_ == "pcomp" and cue.head.dep_ == "prep" and cue.head.head.tag_.startswith("VB"):
        return _subject(cue.head.head, depth + 1)  # "Trump, after bragging ..., is spending"
    if cue.dep_ == "relcl" and cue.head.tag_ in NOMINAL:
        return cue.head  # "Spicer, who said ..."
    if cue.dep_ == "acl" and cue.head.tag_ in NOMINAL:
        if speaker_key(cue.head.text) in SPEECH_NOUNS:
            return _subject(cue.head.head, depth + 1)  # "issued a statement denying ..."
        return cue.head  # "reported the ministry saying ..."
    if cue.dep_ == "conj" or (cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "pcomp")):
        head = cue.head
        if cue.tag_ == "VBG" and head.dep_ == "ccomp" and _lemma(head.head) in CUE_LEMMAS:
            # "Tadesse said 18 projects are underway, adding ...": the parser hangs "adding"
            # on the reported clause; the one adding is the one who said it
            head = head.head
        return _subject(head, depth + 1)  # "he said, then added", "said, adding that"
    return None


def _relative_pronoun(cue: Token) -> Token | None:
    """The "who" of "Spicer, who said": a relative pronoun that is the subject of the cue."""
    if cue.dep_ != "relcl":
        return None
    return next((c for c in cue.children
                 if c.dep_ == "nsubj" and c.lower_ in {"who", "that", "which"}), None)


def _person_left_of(cue: Token) -> Span | None:
    """The nearest person named before the cue in its sentence (for a dangling "stating that")."""
    best = None
    for ent in cue.doc.ents:
        if (ent.label_ == "PERSON" and is_name(ent.text) and ent.end <= cue.i
                and ent.sent == cue.sent):
            best = ent
    return best


def _speaker_range(speaker: Token, cue: Token) -> tuple[int, int]:
    """Token range of the speaker's phrase, cut before the cue when the cue hangs inside it,
    and after a dateline."""
    left, right = speaker.left_edge.i, speaker.right_edge.i + 1
    if left <= cue.i < right:
        right = min(right, cue.left_edge.i) if cue.left_edge.i > left else speaker.i + 1
    doc = speaker.doc
    # a quote the parser hung on the speaker ("“Very good reporter,” Trump, the ... said")
    marks = [t.i for t in doc[left:right] if t.text in QUOTE_MARKS]
    left = max([left, *(i + 1 for i in marks if i < speaker.i)])
    right = min([right, *(i for i in marks if i > speaker.i)])
    heads = [speaker, *(c for c in speaker.rights if c.dep_ == "appos")]
    for head in heads:
        for child in head.rights:
            # "Sean Spicer on Monday said": the date is the parser's error, not the speaker
            words = [t.text for t in child.subtree]
            if child.dep_ == "prep" and len(words) <= 4 and _WHEN.search(" ".join(words)):
                right = min(right, child.left_edge.i)
    while right - 1 > left and (
        (doc[right - 1].is_punct and not _closes_bracket(doc, left, right))
        or doc[right - 1].dep_ == "cc"
    ):
        right -= 1
    while left < right - 1 and doc[left].is_punct:
        left += 1
    return after_dateline(doc, left, right), right


def _closes_bracket(doc: Doc, left: int, right: int) -> bool:
    """A ")" that closes a "(" of the phrase: "Rep. Gwen Moore (D-Wis.)"."""
    return doc[right - 1].text == ")" and any(t.text == "(" for t in doc[left : right - 1])


def _person_in(doc: Doc, left: int, right: int, head: Token) -> Span | None:
    """The person the speaker phrase names: the name at its head, or in apposition to it
    ("a spokesman, Maj. Adrian Rankine-Galloway"); not a modifier ("the Trump administration")."""
    for e in doc.ents:
        if e.label_ != "PERSON" or not (left <= e.start and e.end <= right) or not is_name(e.text):
            continue
        if e.start <= head.i < e.end:
            return e
        if (e.root.dep_ == "appos" and e.root.head.i == head.i) or (
                head.dep_ == "appos" and e.start <= head.head.i < e.end):
            return e
    return None


def speaker_role(doc: Doc, left: int, right: int, head: Token, person: Span | None) -> str | None:
    """The speaker's role: an apposition, else the words before the name."""
    anchor = doc[person.end - 1] if person is not None else head
    for node in (anchor, anchor.head) if anchor.dep_ == "appos" else (anchor,):
        for child in node.children:
            if child.dep_ == "appos" and not (person and person.start <= child.i < person.end):
                if person is not None and child.ent_type_ == "PERSON":
                    continue
                words = [t for t in child.subtree if not t.is_punct or t.text in "-’'"]
                text = _clean_role(doc[words[0].i : words[-1].i + 1].text) if words else ""
                if text:
                    return text
    if person is not None:
        pre = [t for t in doc[left : person.start] if not t.is_punct]
        # "White House press secretary Sean Spicer": the words before the name
        while pre and (TITLE.match(pre[-1].text) or pre[-1].text == "."):
            pre.pop()
        if pre and any(t.tag_ in COMMON for t in pre):
            return _clean_role(doc[pre[0].i : pre[-1].i + 1].text) or None
        if head.dep_ == "appos" and head.head.tag_ in COMMON:
            # "a spokesman, Maj. Adrian Rankine-Galloway"
            before = [t.text for t in head.head.subtree if t.i < person.start and not t.is_punct]
            return _clean_role(" ".join(before)) or None
    return None


def _clean_role(text: str) -> str:
    text = _SPACE.sub(" ", text).strip(" ,;:—–-")
    text = re.sub(r"^(?:the|a|an|The|A|An)\s+", "", text)
    text = re.sub(r"\s+(?:Maj|Col|Gen|Lt|Sgt|Capt|Adm|Cmdr)\.?$", "", text)
    if text.count("(") > text.count(")"):
        text = text[: text.rindex("(")].rstrip(" ,")  # "... Organization (NATO" cut by the parse
    return text if 1 <= len(text.split()) <= 14 else ""


def attribute_unit(
    unit: Unit, doc: Doc, article: CleanArticle, quotes: Sequence[tuple[int, int]]
) -> list[Found]:
    """The statements of one parsed unit: each cue with its speaker and content.

    ``quotes`` are the article's quoted passages; one touching the unit goes to the
    nearest cue (the parse's link first), and a cue with no quote reports its clause.
    """
    base = unit.start
    speakers: dict[int, tuple[Token, Span | None]] = {}
    for cue in _cue_tokens(doc, quotes, base):
        speaker = _subject(cue)
        person_span: Span | None = None
        if speaker is None and cue.tag_ == "VBG":
            person_span = _person_left_of(cue)  # "..., stating that": the person just named
            if person_span is not None:
                speaker = person_span.root
        if speaker is not None:
            speakers[cue.i] = (speaker, person_span)
    cues = [doc[i] for i in sorted(speakers)]
    if not cues:
        return []
    # quoted passages touching the unit: inside it, or running across its edges
    near = [(s, e) for s, e in quotes if s < unit.end and e > unit.start]
    # a unit ending in "said:" takes the quote that opens right after it
    if unit.text.rstrip().endswith(":"):
        near += [(s, e) for s, e in quotes if unit.end <= s <= unit.end + 3 and (s, e) not in near]
    taken: dict[int, list[tuple[int, int]]] = {}
    for qs, qe in near:
        inner = article.text[slice(*trim_quote(article.text, qs, qe))].strip(" ,.")
        n_words = len(inner.split())
        if is_title(inner) or names_a_work_or_gloss(article.text, qs):
            continue  # "a memo titled “An Unusual Election ...”", "the TV show “Cake Boss”"
        best: Token | None = None
        best_gap = 10**9
        for cue in cues:
            c = base + cue.idx
            gap = qs - c if c < qs else c - qe
            # a one- or two-word quote is a scare quote unless the cue governs it
            # directly ("called the statement "rubbish"")
            if n_words < 3 and not any(
                qs <= base + t.idx < qe for t in cue.subtree if t.i != cue.i
            ):
                continue
            # the parse linking quote and cue ("“...,” he said") beats mere nearness
            linked = any(qs <= base + t.idx < qe for t in (cue.head, *cue.children))
            if linked:
                gap = min(gap, 0)
            if gap < best_gap:
                best, best_gap = cue, gap
        if best is not None:
            taken.setdefault(best.i, []).append((qs, qe))
    found: list[Found] = []
    for cue in cues:
        speaker, person_span = speakers[cue.i]
        left, right = _speaker_range(speaker, cue) if person_span is None else (
            person_span.start, person_span.end)
        if right < len(doc) and doc[right].text in _DASHES and doc[left].text.isupper():
            continue  # "ADDIS ABABA, February 11 (Xinhua) -- ...": a dateline, not a speaker
        person = person_span or _person_in(doc, left, right, speaker)
        role = speaker_role(doc, left, right, speaker, person)
        relative = _relative_pronoun(cue)
        if relative is not None:
            # "Spicer, who said ...": the sentence names the speaker with "who"; the name is
            # the one it stands for
            left, right = relative.i, relative.i + 1
        lemma = "according to" if cue.lower_ == "according" else _lemma(cue)
        cue_end = cue.idx + len(cue)
        if lemma == "according to":
            cue_end = doc[cue.i + 1].idx + len(doc[cue.i + 1])

        who = Found(
            unit=unit,
            cue=(base + cue.idx, base + cue_end, unit.text[cue.idx : cue_end], lemma),
            speaker=(base + doc[left].idx, base + doc[right - 1].idx + len(doc[right - 1])),
            person=" ".join(strip_title(person.text.split())) if person is not None else None,
            role=role,
            head_lemma=speaker_key((person.root if person is not None else speaker).text),
            pronoun=speaker.lower_ in PRONOUNS,
            able=_able(doc, left, right, speaker, person),
            said=lemma not in BELIEF_LEMMAS and not _unsaid(cue),
            content=(0, 0),
            kind="",
            denial=lemma in DENIAL_LEMMAS,
        )
        quoted = sorted(taken.get(cue.i, []))
        clause = reported_range(cue)
        if clause is not None:
            clause = (after_dateline(doc, *clause), clause[1])
        clause_chars = (
            (base + doc[clause[0]].idx, base + doc[clause[1] - 1].idx + len(doc[clause[1] - 1]))
            if clause else None
        )
        mixed = False
        # "said his temperament is “dangerous for a president.”", "promising lower taxes and
        # “jobs, jobs, jobs”": the quote marks sit inside what the cue reports (its clause, else
        # the complement the quote belongs to), which is the statement: a mixed quote
        for candidate in (clause, quote_complement(cue, quoted, base)):
            if not quoted or candidate is None:
                continue
            candidate = (after_dateline(doc, *candidate), candidate[1])
            chars = (base + doc[candidate[0]].idx,
                     base + doc[candidate[1] - 1].idx + len(doc[candidate[1] - 1]))
            inside = [q for q in quoted if within(article.text, q, chars)]
            if inside and words_outside(cue, candidate, base, quotes):
                quoted = [q for q in quoted if q not in inside]
                mixed = True
                clause = candidate
                # the closing mark of a quote that ends the clause: 'a “huge win.”'
                clause_chars = (chars[0], max(chars[1], *(e for _, e in inside)))
                break
        if not quoted and not mixed and (lemma in QUOTE_ONLY_LEMMAS or (
                lemma == "call" and not any(c.lower_ in ("for", "on") for c in cue.children))):
            continue  # "continued to push", "called him": not a report of words
        for qs, qe in quoted:
            inner_s, inner_e = trim_quote(article.text, qs, qe)
            if inner_e - inner_s < 1:
                continue
            denies = who.denial or quote_denies(doc, base, inner_s, inner_e, article.text)
            found.append(replace(who, content=(inner_s, inner_e), kind="direct",
                                 denial=denies))
        if quoted and not mixed:
            continue
        if clause is not None and clause_chars is not None:
            text = article.text[clause_chars[0] : clause_chars[1]]
            kind = "mixed" if any(q in text for q in QUOTE_MARKS) else "indirect"
            found.append(replace(who, content=clause_chars, kind=kind,
                                 denial=who.denial or negated(doc, *clause)))
    return found


_SPEAKING_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_WHEN_WORDS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday today yesterday tonight
    tomorrow week month year morning evening night afternoon""".split()  # noqa: SIM905
)


def _able(doc: Doc, left: int, right: int, head: Token, person: Span | None) -> bool:
    """Whether the speaker can say anything: a person or body the entity recogniser names,
    a pronoun, or a description whose head is a person or a body ("a spokeswoman", "the
    ministry", "a statement")."""
    if head.lower_ in _WHEN_WORDS:
        return False  # "said Wednesday" parsed with "Wednesday" as the subject
    if person is not None or head.lower_ in PRONOUNS or head.lower_ in {"who", "which", "that"}:
        return True
    # the head's own name ("the Russian Ministry of Defense"), not a possessor's ("Obama's way")
    if any(t.ent_type_ in _SPEAKING_ENTITIES
           for t in (head, *(c for c in head.children if c.dep_ in ("compound", "flat")))):
        return True
    if head.tag_ in PROPER and not head.is_sent_start:
        return True  # a name the recogniser missed ("The River Trust"), not a capital
    return can_speak(head.text) or can_speak(head.lemma_)


def one_cue_per_quote(found: Sequence[Found]) -> list[Found]:
    """A quote that two units both reach goes to the nearer cue."""
    best: dict[tuple[int, int], Found] = {}
    rest: list[Found] = []
    for f in found:
        if f.kind != "direct":
            rest.append(f)
            continue
        gap = min(abs(f.cue[0] - f.content[1]), abs(f.content[0] - f.cue[1]))
        prev = best.get(f.content)
        if prev is None or gap < min(abs(prev.cue[0] - prev.content[1]),
                                     abs(prev.content[0] - prev.cue[1])):
            best[f.content] = f
    return rest + list(best.values())


def has_cue_outside_quotes(unit: Unit, quotes: Sequence[tuple[int, int]]) -> bool:
    """The cheap test that decides what the parser sees: a cue word outside quote marks (a
    verb that reports words only beside a quote, such as "continued", only where the unit
    touches one)."""
    quoted = any(s < unit.end and e > unit.start for s, e in quotes)
    for m in WORD.finditer(unit.text):
        word = m.group().lower()
        if word not in CUE_FORMS or inside(unit.start + m.start(), quotes):
            continue
        if quoted or cue_lemma_of(word) not in QUOTE_ONLY_LEMMAS:
            return True
    return False


_CLOSERS = "\"”’)"
"""Marks that may follow a sentence's final punctuation: 'targets.”', 'said.)'."""
_PARAGRAPH_BREAKS = 2
"""Newlines a quote that goes on may follow its previous quote across: one paragraph break
(paragraphs are two newlines apart in the cleaned text), so a quote that runs on in the
next paragraph keeps its speaker and one two paragraphs on does not."""


def _sentence_ends(text: str, sentences: Sequence[Sentence], start: int, end: int) -> int:
    """Sentences whose final ".", "!" or "?" lies between ``start`` and ``end``.

    A quote that ends its sentence with its own full stop (“... targets.”) has it
    inside the quote, before ``start``.
    """
    n = 0
    ends = [s.end for s in sentences]  # in text order, as split_sentences gives them
    for s in sentences[bisect_right(ends, start) : bisect_right(ends, end)]:
        last = s.end
        while last > s.start and text[last - 1] in _CLOSERS:
            last -= 1
        if last - 1 >= start and text[last - 1] in ".!?":
            n += 1
    return n


def continuations(
    units: Sequence[Unit], sentences: Sequence[Sentence], article: CleanArticle,
    quotes: Sequence[tuple[int, int]], found: list[Found],
) -> list[Found]:
    """Quotes that open a sentence with no cue of their own go on the previous quote.

    Only right after it: across one paragraph break and one sentence end at most
    ("“...,” said Maj. Adrian Rankine-Galloway, a Pentagon spokesman. “There is no
    exchange of targets.”").
    """
    used = [f.content for f in found]
    starts = {s.start for s in sentences}
    unit_starts = [u.start for u in units]
    out: list[Found] = []
    for qs, qe in quotes:
        if any(s <= qs < e or qs <= s < qe for s, e in used):
            continue
        if qs not in starts:
            continue
        k = bisect_right(unit_starts, qs) - 1
        if k < 0 or qs >= units[k].end:
            continue
        unit = units[k]
        prev = [f for f in found + out if f.content[1] <= qs and f.kind == "direct"]
        if not prev:
            continue
        last = max(prev, key=lambda f: f.content[1])
        gap = (last.content[1], qs)
        if (article.text.count("\n", *gap) > _PARAGRAPH_BREAKS
                or _sentence_ends(article.text, sentences, *gap) > 1):
            continue
        inner = trim_quote(article.text, qs, qe)
        if inner[1] - inner[0] < 2 or len(article.text[inner[0] : inner[1]].split()) < 3:
            continue
        if is_title(article.text[inner[0] : inner[1]]) or names_a_work_or_gloss(
                article.text, qs):
            continue
        content = article.text[inner[0] : inner[1]]
        out.append(replace(
            last, unit=unit, cue=(qs, qs, "", ""), content=inner, kind="direct",
            denial=NEGATION.search(content) is not None or DISMISSAL.search(content) is not None,
            goes_on=True,
        ))
    return out
