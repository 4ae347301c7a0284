"""Who said what: direct and indirect quotes, their speaker and cue, grouped across outlets.

The stage runs cheapest step first, so that the parser only sees text that can
hold a quote:

1. *Quote marks*: quoted passages are found per paragraph by pairing quote
   marks. A quote still open at a paragraph's end runs to that end (newspapers
   leave the closing mark off a quote that goes on in the next paragraph).
2. *Units*: the sentences of ``split_sentences``, re-joined where the rule-based
   sentencizer split after an abbreviation ("Col. | John Dorrian") or left an
   opening quote mark at the end of a sentence.
3. *Parse*: only units where a form of a cue verb ("said", "told", "denied",
   "according to", ...; a regex) stands outside quote marks go through spaCy's
   ``en_core_web_sm``; the unit before a pronoun speaker is parsed for context.
4. *Attribute*: a cue verb's speaker is its subject (or the holder of "according
   to", or the subject of the verb it hangs on: "..., adding that"); its content
   is the quoted passage next to it, else its clause complement ("said that
   ..."), else the clause it interrupts ("X, the ministry said"). A quote that
   opens a sentence with no cue of its own keeps the previous quote's speaker.
5. *Resolve and group*: speakers become the fullest name the cluster gives
   (pronoun -> the previous speaker or person named; "Mr. Spicer" -> "Sean
   Spicer"; "the White House spokesman" -> the person just named whose role
   shares the words), with the role found in appositions and titles. Reports of
   one statement by one speaker are grouped across articles by TF-IDF
   similarity (scikit-learn, character n-grams so that "gonna"/"going to" and
   "coordinate"/"coordinating" stay close); a report in the article's own
   words joins a quoted one as a paraphrase.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.preprocessing import normalize
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from newsbrief.model import Attribution, CleanArticle, Quote, Sentence
from newsbrief.sentences import ABBREVIATIONS, full_pipeline

__all__ = [
    "CUE_LEMMAS",
    "DENIAL_LEMMAS",
    "Unit",
    "find_attributions",
    "group_quotes",
    "mark_people",
    "parse_units",
    "quoted_spans",
    "speaker_key",
    "text_units",
]

CUE_LEMMAS = frozenset(
    """say tell write add state claim deny insist argue warn announce explain note ask reply
    respond confirm acknowledge admit suggest report declare reject dismiss dispute allege assert
    maintain contend predict promise pledge vow urge complain concede recall reveal testify tweet
    stress emphasize emphasise observe agree caution comment remark mention counter retort
    accuse charge criticize criticise describe call""".split()  # noqa: SIM905 (a word list)
)
"""Lemmas of the verbs that report speech ("call" only with a quoted word: called it "rubbish")."""

DENIAL_LEMMAS = frozenset(
    "deny reject dismiss dispute refute contradict rebut disavow".split()  # noqa: SIM905
)
"""Cue verbs that deny what they report."""

_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written")}
# Speech-act nouns: "issued a statement denying ..." reports the statement's maker.
_SPEECH_NOUNS = frozenset({
    "statement", "email", "e-mail", "interview", "op-ed", "letter", "post", "tweet", "release",
    "remark", "comment", "briefing", "message", "note", "report",
})
_PRONOUNS = frozenset({"he", "she", "him", "her"})
_TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Mx|Dr|Maj|Col|Gen|Lt|Sgt|Capt|Adm|Cmdr|Sen|Rep|Gov|Prof)\.?$")
_NEGATORS = frozenset({"no", "never", "none", "nothing", "nor", "neither"})
_DISMISSAL = re.compile(
    r"\b(?:rubbish|nonsense|untrue|false|baseless|groundless|propaganda|fabricat\w*|"
    r"fake|lies?|lying|not true|no truth|no basis)\b",
    re.I,
)
_NEGATION_WORDS = re.compile(r"\b(?:not|no|never|none|nothing|nor)\b|n[’']t\b", re.I)
_QUOTE_CHARS = "\"“”"
_WHEN = re.compile(
    r"\b(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|today|yesterday|tonight|morning|"
    r"afternoon|evening|week|month|year|Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)"
)
_SPACE = re.compile(r"\s+")
# The sentencizer splits after "Col." in "Col. John Dorrian"; a unit that ends with
# a short capitalised abbreviation, or with an opening quote mark, goes on.
_ABBREVIATION_END = re.compile(r"(?:^|[\s(])(?:[A-Z][a-z]{0,3}|[A-Z](?:\.[A-Z])+)\.$")
_DANGLING_OPEN = re.compile(r"(?:“|(?:^|\s)\")$")


def _forms(lemma: str) -> set[str]:
    """Word forms of a cue lemma; over-generating is harmless (the parse decides)."""
    forms = {lemma, lemma + "s", lemma + "d", lemma + "ed", lemma + "ing", lemma + "es"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(_IRREGULAR.get(lemma, ()))
    return forms


_LEMMA_OF = {form: lemma for lemma in sorted(CUE_LEMMAS) for form in _forms(lemma)}
# Part-of-speech from the tagger's fine tags: the attribute ruler that maps them
# to coarse ones costs a third of the parse, and the lemmatizer needs it.
_PROPER = frozenset({"NNP", "NNPS"})
_COMMON = frozenset({"NN", "NNS"})
_NOMINAL = _PROPER | _COMMON


def _lemma(tok: Token) -> str:
    """A cue verb's lemma ("told" -> "tell"); other words as they are, lower-cased."""
    return _LEMMA_OF.get(tok.lower_, tok.lower_)


_WORD = re.compile(r"[A-Za-z]+")
# word forms of the cue verbs; "according" stands for "according to". A set lookup per
# word is ten times faster than one regex alternation of four hundred forms.
_CUE_FORMS = frozenset(_LEMMA_OF) | {"according"}


@dataclass(frozen=True, slots=True)
class Unit:
    """A stretch of one paragraph handed to the parser: one sentence, or several re-joined."""

    article_id: str
    sentence_id: str
    """First sentence of the unit."""
    paragraph: int
    index: int
    """Position of the unit in its article, from 0."""
    start: int
    end: int
    text: str
    """``CleanArticle.text[start:end]``, so that token offsets map back exactly."""


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the quoted passages in one paragraph, quote marks included.

    Curly marks say which way they face; a straight mark opens after a space or
    at the start and closes elsewhere. A quote left open at the end runs to the end.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch not in _QUOTE_CHARS:
            continue
        if ch == "“":
            opening = True
        elif ch == "”":
            opening = False
        else:
            opening = i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-―:"
            if opening and open_at is not None:
                # "... he said "rubbish" ..." where a closing straight mark follows a
                # space is rare; a second opener while one is open closes it.
                opening = False
        if opening:
            if open_at is None:
                open_at = i
        elif open_at is not None:
            spans.append((open_at, i + 1))
            open_at = None
    if open_at is not None and len(text) - open_at > 1:
        spans.append((open_at, len(text.rstrip())))
    return spans


def text_units(articles: Sequence[CleanArticle], sentences: Sequence[Sentence]) -> list[Unit]:
    """Sentences re-joined where the sentencizer cut a name or a quote in two."""
    by_id = {a.id: a for a in articles}
    out: list[Unit] = []
    current: list[Sentence] = []

    def flush() -> None:
        if not current:
            return
        first, last = current[0], current[-1]
        article = by_id[first.article_id]
        index = 0 if not out or out[-1].article_id != first.article_id else out[-1].index + 1
        out.append(
            Unit(first.article_id, first.id, first.paragraph, index, first.start, last.end,
                 article.text[first.start : last.end])
        )
        current.clear()

    for s in sentences:
        if s.article_id not in by_id:
            continue
        if current:
            prev = current[-1]
            joined = (
                prev.article_id == s.article_id
                and prev.paragraph == s.paragraph
                and (
                    _ABBREVIATION_END.search(prev.text) is not None
                    or _DANGLING_OPEN.search(prev.text) is not None
                    or s.text[:1].islower()
                )
            )
            if not joined:
                flush()
        current.append(s)
    flush()
    return out


_PARSER_ONLY = ("ner", "attribute_ruler", "lemmatizer")
_NER_ONLY = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")


def parse_units(units: Iterable[Unit]) -> dict[tuple[str, int], Doc]:
    """Tag, parse and lemmatise the units; keyed by article id and unit start.

    The entity recogniser does not run on whole units (it costs as much as the
    rest of the pipeline together): ``mark_people`` runs it on the proper-noun
    runs only.
    """
    todo = list(units)
    if not todo:
        return {}
    nlp = full_pipeline()
    docs = nlp.pipe([u.text for u in todo], batch_size=64, disable=list(_PARSER_ONLY))
    return {(u.article_id, u.start): doc for u, doc in zip(todo, docs, strict=True)}


def _proper_runs(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of runs of proper nouns ("Maj. Adrian J. Rankine-Galloway")."""
    runs = []
    i = 0
    while i < len(doc):
        if doc[i].tag_ not in _PROPER:
            i += 1
            continue
        j = i
        while j + 1 < len(doc) and (
            doc[j + 1].tag_ in _PROPER
            or (doc[j + 1].text in "-." and j + 2 < len(doc) and doc[j + 2].tag_ in _PROPER)
        ):
            j += 1
        runs.append((doc[i].idx, doc[j].idx + len(doc[j])))
        i = j + 1
    return runs


def mark_people(docs: Iterable[Doc]) -> None:
    """Set ``doc.ents`` to the people named in each parsed doc.

    The recogniser reads each run of proper nouns on its own (a few tokens, not
    the whole sentence), which keeps its cost to a fraction of a full pass.
    """
    docs = list(docs)
    runs = [(doc, s, e) for doc in docs for s, e in _proper_runs(doc)]
    unique = list(dict.fromkeys(doc.text[s:e] for doc, s, e in runs))
    people: dict[str, list[tuple[int, int]]] = {}
    nlp = full_pipeline()
    for text, found in zip(unique, nlp.pipe(unique, batch_size=256, disable=list(_NER_ONLY)),
                           strict=True):
        people[text] = [(e.start_char, e.end_char) for e in found.ents if e.label_ == "PERSON"]
    # a surname alone ("Spicer", "Mr. Spicer") is a person where the cluster names him in full
    surnames = {
        text[a:b].split()[-1] for text, found in people.items() for a, b in found
        if len(text[a:b].split()) > 1
    }
    for text in unique:
        words = _strip_title(text.split())
        if not people[text] and len(words) == 1 and words[0] in surnames:
            people[text] = [(len(text) - len(words[0]), len(text))]
    spans: dict[int, list[Span]] = {}
    for doc, s, e in runs:
        for a, b in people.get(doc.text[s:e], ()):
            span = doc.char_span(s + a, s + b, label="PERSON", alignment_mode="expand")
            if span is not None:
                spans.setdefault(id(doc), []).append(span)
    for doc in docs:
        doc.ents = filter_spans(spans.get(id(doc), []))


# --- attribution inside one parsed unit ---------------------------------------------------


@dataclass(slots=True)
class _Found:
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


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether ``pos`` falls inside one of ``spans`` (sorted, not overlapping)."""
    i = bisect_right(spans, (pos, 2**62)) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _cue_tokens(doc: Doc, quotes: Sequence[tuple[int, int]], base: int) -> list[Token]:
    out = []
    for tok in doc:
        if _inside(base + tok.idx, quotes):
            continue
        if tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to":
            out.append(tok)
            continue
        if not tok.tag_.startswith("VB") or _lemma(tok) not in CUE_LEMMAS:
            continue
        if any(c.dep_ in ("neg", "auxpass", "nsubjpass") for c in tok.children):
            continue  # "did not say", "was asked": not a statement by the subject
        if tok.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "aux") for c in tok.children):
            continue  # "Asked about ..., Spicer said": a participle, not a cue
        if _lemma(tok) == "call" and any(
            c.dep_ in ("prep", "prt") and c.lower_ in ("for", "on", "off", "up")
            for c in tok.children
        ):
            continue  # "called for calm", "called on": not a report of words
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
            return cue.head if cue.dep_ == "relcl" and cue.head.tag_ in _NOMINAL else None
        if child.dep_ == "nsubj" and child.lower_ not in {"it", "there"}:
            return child
    for child in cue.children:
        # "“...,” he said, then added, “...”": the parser hangs "he said" under "added"
        if child.dep_ in ("parataxis", "conj") and _lemma(child) in CUE_LEMMAS:
            subject = next((g for g in child.children if g.dep_ == "nsubj"), None)
            if subject is not None:
                return subject
    if depth >= 2:
        return None
    if cue.dep_ == "relcl" and cue.head.tag_ in _NOMINAL:
        return cue.head  # "Spicer, who said ..."
    if cue.dep_ == "acl" and cue.head.tag_ in _NOMINAL:
        if speaker_key(cue.head.text) in _SPEECH_NOUNS:
            return _subject(cue.head.head, depth + 1)  # "issued a statement denying ..."
        return cue.head  # "reported the ministry saying ..."
    if cue.dep_ == "conj" or (cue.tag_ == "VBG" and cue.dep_ in ("advcl", "xcomp", "pcomp")):
        return _subject(cue.head, depth + 1)  # "he said, then added", "said, adding that"
    return None


def _person_left_of(cue: Token) -> Span | None:
    """The nearest person named before the cue in its sentence (for a dangling "stating that")."""
    best = None
    for ent in cue.doc.ents:
        if ent.label_ == "PERSON" and ent.end <= cue.i and ent.sent == cue.sent:
            best = ent
    return best


def _speaker_range(speaker: Token, cue: Token) -> tuple[int, int]:
    """Token range of the speaker's phrase, cut before the cue when the cue hangs inside it."""
    left, right = speaker.left_edge.i, speaker.right_edge.i + 1
    if left <= cue.i < right:
        right = min(right, cue.left_edge.i) if cue.left_edge.i > left else speaker.i + 1
    doc = speaker.doc
    for child in speaker.rights:
        # "Sean Spicer on Monday said": the date is the parser's error, not the speaker
        if child.dep_ == "prep" and _WHEN.search(" ".join(t.text for t in child.subtree)):
            right = min(right, child.left_edge.i)
    while right - 1 > left and (doc[right - 1].is_punct or doc[right - 1].dep_ == "cc"):
        right -= 1
    while left < right - 1 and doc[left].is_punct:
        left += 1
    return left, right


def _strip_title(words: list[str]) -> list[str]:
    while words and _TITLE.match(words[0]):
        words = words[1:]
    if words and words[-1] in ("’s", "'s"):
        words = words[:-1]
    return words


def _person_in(doc: Doc, left: int, right: int, head: Token) -> Span | None:
    """The person the speaker phrase names: the name at its head, or in apposition to it
    ("a spokesman, Maj. Adrian Rankine-Galloway"); not a modifier ("the Trump administration")."""
    for e in doc.ents:
        if e.label_ != "PERSON" or not (left <= e.start and e.end <= right):
            continue
        if e.start <= head.i < e.end:
            return e
        if (e.root.dep_ == "appos" and e.root.head.i == head.i) or (
                head.dep_ == "appos" and e.start <= head.head.i < e.end):
            return e
    return None


def _role(doc: Doc, left: int, right: int, head: Token, person: Span | None) -> str | None:
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
        while pre and (_TITLE.match(pre[-1].text) or pre[-1].text == "."):
            pre.pop()
        if pre and any(t.tag_ in _COMMON for t in pre):
            return _clean_role(doc[pre[0].i : pre[-1].i + 1].text) or None
        if head.dep_ == "appos" and head.head.tag_ in _COMMON:
            # "a spokesman, Maj. Adrian Rankine-Galloway"
            before = [t.text for t in head.head.subtree if t.i < person.start and not t.is_punct]
            return _clean_role(" ".join(before)) or None
    return None


def _clean_role(text: str) -> str:
    text = _SPACE.sub(" ", text).strip(" ,;:—–-")
    text = re.sub(r"^(?:the|a|an|The|A|An)\s+", "", text)
    text = re.sub(r"\s+(?:Maj|Col|Gen|Lt|Sgt|Capt|Adm|Cmdr)\.?$", "", text)
    return text if 1 <= len(text.split()) <= 14 else ""


def _clause_range(tok: Token) -> tuple[int, int]:
    left, right = tok.left_edge.i, tok.right_edge.i + 1
    doc = tok.doc
    while left < right and ((doc[left].dep_ == "mark" and doc[left].lower_ == "that")
                            or (doc[left].is_punct and doc[left].text not in _QUOTE_CHARS)):
        left += 1
    while right > left and doc[right - 1].is_punct and doc[right - 1].text not in _QUOTE_CHARS:
        right -= 1
    return left, right


def _indirect(cue: Token) -> tuple[int, int] | None:
    """Token range of what a cue reports when nothing beside it is in quote marks."""
    doc = cue.doc
    if cue.lower_ == "according":
        head = cue.head
        left, right = head.left_edge.i, head.right_edge.i + 1
        if cue.left_edge.i > left:
            right = cue.left_edge.i  # "X, according to Y"
        else:
            left = cue.right_edge.i + 1  # "According to Y, X"
        while left < right and doc[left].is_punct:
            left += 1
        while right > left and doc[right - 1].is_punct:
            right -= 1
        return (left, right) if right - left >= 3 else None
    for child in cue.children:
        if child.dep_ == "ccomp":
            rng = _clause_range(child)
            if rng[1] - rng[0] >= 3:
                return rng
    lemma = _lemma(cue)
    if lemma in DENIAL_LEMMAS or lemma in {"confirm", "acknowledge", "admit", "announce",
                                           "report", "allege"}:
        for child in cue.children:
            if child.dep_ == "dobj":
                return _clause_range(child)
    own = [t.i for t in cue.subtree if not t.is_punct]
    first, last = min(own), max(own)
    if (cue.dep_ in ("parataxis", "ccomp") and cue.head.i != cue.i and first > 0
            and doc[first - 1].text in {",", "—", "–", "”", '"'}):
        # "Lenox was a juggernaut, Mr. Clarke said, until ...": the content is the clause
        # the cue's phrase interrupts (PolNeAR keeps the phrase inside); a phrase at the
        # end ("..., the ministry said, without saying ...") is cut off
        head = cue.head
        left, right = head.left_edge.i, head.right_edge.i + 1
        if last >= right - 2 or not any(
            t.i > last and not t.is_punct and t.i not in own for t in head.subtree
        ):
            right = first
        while right > left and doc[right - 1].is_punct and doc[right - 1].text not in "”\"":
            right -= 1
        while left < right and doc[left].is_punct and doc[left].text not in "“\"":
            left += 1
        if right - left >= 3:
            return left, right
    return None


def _negated(doc: Doc, left: int, right: int) -> bool:
    """A negation on the content's main verb (or one step below it), or a dismissal."""
    span = doc[left:right]
    roots = [t for t in span if t.head.i < left or t.head.i >= right or t.head.i == t.i]
    root_ids = {r.i for r in roots}
    for tok in span:
        if tok.dep_ == "neg" and tok.head.i in root_ids:
            return True  # "we do not coordinate", "I'm not aware"
        if tok.lower_ in _NEGATORS and (tok.head.i in root_ids or tok.head.head.i in root_ids):
            return True  # "there is no exchange", "but none for airstrikes"
    return _DISMISSAL.search(span.text) is not None


def _attribute_unit(
    unit: Unit, doc: Doc, article: CleanArticle, quotes: Sequence[tuple[int, int]]
) -> list[_Found]:
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
        inner = article.text[qs:qe].strip(_QUOTE_CHARS + " ,.")
        n_words = len(inner.split())
        if _is_title(inner):
            continue  # "a memo titled “An Unusual Election for Its Non-issues”"
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
    found: list[_Found] = []
    for cue in cues:
        speaker, person_span = speakers[cue.i]
        left, right = _speaker_range(speaker, cue) if person_span is None else (
            person_span.start, person_span.end)
        person = person_span or _person_in(doc, left, right, speaker)
        lemma = "according to" if cue.lower_ == "according" else _lemma(cue)
        cue_end = cue.idx + len(cue)
        if lemma == "according to":
            cue_end = doc[cue.i + 1].idx + len(doc[cue.i + 1])

        who = _Found(
            unit=unit,
            cue=(base + cue.idx, base + cue_end, doc.text[cue.idx : cue_end], lemma),
            speaker=(base + doc[left].idx, base + doc[right - 1].idx + len(doc[right - 1])),
            person=" ".join(_strip_title(person.text.split())) if person is not None else None,
            role=_role(doc, left, right, speaker, person),
            head_lemma=speaker_key((person.root if person is not None else speaker).text),
            pronoun=speaker.lower_ in _PRONOUNS,
            content=(0, 0),
            kind="",
            denial=lemma in DENIAL_LEMMAS,
        )
        quoted = sorted(taken.get(cue.i, []))
        clause = _indirect(cue)
        clause_chars = (
            (base + doc[clause[0]].idx, base + doc[clause[1] - 1].idx + len(doc[clause[1] - 1]))
            if clause else None
        )
        reported = lemma == "according to" or any(c.dep_ == "ccomp" for c in cue.children)
        if quoted and clause_chars and reported and all(
            clause_chars[0] <= qs and qe <= clause_chars[1] + 1 for qs, qe in quoted
        ) and not any(qs <= clause_chars[0] and clause_chars[1] <= qe for qs, qe in quoted):
            quoted = []  # the quote marks sit inside the reported clause: a mixed quote
        if lemma == "call" and not quoted:
            continue  # "called for", "called on": not a report of words
        if quoted:
            for qs, qe in quoted:
                inner_s, inner_e = _trim_quote(article.text, qs, qe)
                if inner_e - inner_s < 1:
                    continue
                denies = who.denial or _quote_denies(doc, base, inner_s, inner_e, article.text)
                found.append(replace(who, content=(inner_s, inner_e), kind="direct",
                                     denial=denies))
        elif clause is not None and clause_chars is not None:
            text = article.text[clause_chars[0] : clause_chars[1]]
            kind = "mixed" if any(q in text for q in _QUOTE_CHARS) else "indirect"
            found.append(replace(who, content=clause_chars, kind=kind,
                                 denial=who.denial or _negated(doc, *clause)))
    return found


def _is_title(text: str) -> bool:
    """Every word but the small ones capitalised: the title of a work, not a quote
    (textacy's rule for direct quotations)."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text)
             if w.lower() not in ENGLISH_STOP_WORDS]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


def _trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """The words inside quote marks: marks, spaces and a trailing comma dropped."""
    while start < end and (text[start] in _QUOTE_CHARS or text[start].isspace()):
        start += 1
    while end > start and (text[end - 1] in _QUOTE_CHARS + " ,\n" or text[end - 1].isspace()):
        end -= 1
    return start, end


def _quote_denies(doc: Doc, base: int, start: int, end: int, text: str) -> bool:
    toks = [t for t in doc if start <= base + t.idx < end]
    if toks and base + toks[-1].idx + len(toks[-1]) >= end - 1:
        return _negated(doc, toks[0].i, toks[-1].i + 1)
    return _NEGATION_WORDS.search(text[start:end]) is not None or _DISMISSAL.search(
        text[start:end]) is not None


TITLE_ABBREVIATIONS = frozenset(ABBREVIATIONS) | {"Mr.", "Mrs.", "Ms.", "Dr.", "U.S.", "U.K."}


def _sentence_ends(text: str) -> int:
    """Full stops that end a sentence ("said Maj. Adrian ..." has none)."""
    return sum(
        1 for m in re.finditer(r"(\S*?)[.!?][\"”’)]*\s", text)
        if f"{m.group(1)}." not in TITLE_ABBREVIATIONS and not re.fullmatch(r"[A-Z]", m.group(1))
    )


def _continuations(
    units: Sequence[Unit], article: CleanArticle, quotes: Sequence[tuple[int, int]],
    found: list[_Found],
) -> list[_Found]:
    """Quotes that open a sentence with no cue of their own go on the previous quote."""
    used = [f.content for f in found]
    sentence_start = {u.start: u for u in units}
    out: list[_Found] = []
    for qs, qe in quotes:
        if any(s <= qs < e or qs <= s < qe for s, e in used):
            continue
        unit = sentence_start.get(qs)
        if unit is None:
            # the quote may open mid-unit right after a sentence end: 'said. "They ...'
            unit = next((u for u in units if u.start < qs < u.end
                         and re.search(r"[.!?]\s*$", article.text[u.start : qs])), None)
            if unit is None:
                continue
        prev = [f for f in found + out if f.content[1] <= qs and f.kind == "direct"]
        if not prev:
            continue
        last = max(prev, key=lambda f: f.content[1])
        gap = article.text[last.content[1] : qs]
        # only across at most one paragraph break, with no other sentence in between
        if gap.count("\n") > 2 or _sentence_ends(gap) > 1:
            continue
        inner = _trim_quote(article.text, qs, qe)
        if inner[1] - inner[0] < 2 or len(article.text[inner[0] : inner[1]].split()) < 3:
            continue
        content = article.text[inner[0] : inner[1]]
        out.append(replace(
            last, unit=unit, cue=(qs, qs, "", ""), content=inner, kind="direct",
            denial=_NEGATION_WORDS.search(content) is not None
            or _DISMISSAL.search(content) is not None,
            goes_on=True,
        ))
    return out


# --- the cluster: resolve speakers ------------------------------------------------------


def speaker_key(speaker: str) -> str:
    """A key under which two mentions of one speaker meet: a surname, or a description's head.

    "Sean Spicer" -> "spicer"; "the Russian Ministry of Defense" -> "ministry";
    "U.S. officials" -> "official".
    """
    words = re.sub(r"\s+(?:of|for|at|in)\s.*$", "", speaker.strip()).split()
    words = [w for w in words if w not in ("’s", "'s")]
    if not words:
        return speaker.casefold()
    last = words[-1].casefold().strip(".,’'")
    last = re.sub(r"[’']s$", "", last)
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        last = last[:-1]
    return last


@dataclass(slots=True)
class _People:
    """Every person the cluster names, by surname, with the roles it gives them."""

    names: dict[str, Counter[str]]
    roles: dict[str, Counter[str]]

    def add(self, name: str, role: str | None = None) -> None:
        words = _strip_title(name.split())
        if not words:
            return
        key = speaker_key(words[-1])
        self.names.setdefault(key, Counter())[" ".join(words)] += 1
        if role:
            self.roles.setdefault(key, Counter())[role] += 1

    def fullest(self, name: str, local: Iterable[str] = ()) -> str:
        """The longest form of the name: the article's own first, else the cluster's."""
        words = _strip_title(name.split())
        if not words:
            return name
        key = speaker_key(words[-1])
        first = words[0] if len(words) > 1 else None

        def fits(candidate: str) -> bool:
            cw = candidate.split()
            return speaker_key(cw[-1]) == key and (first is None or cw[0] == first)

        best = " ".join(words)
        # the article's own fullest form first; the cluster's when the article has only
        # the surname ("Spicer said" in one outlet, "Sean Spicer" in another)
        for pool in (list(local), list(self.names.get(key, Counter()))):
            matches = [c for c in pool if fits(c)]
            firsts = {c.split()[0] for c in matches if len(c.split()) > 1}
            if first is None and len(firsts) > 1:
                return best  # two people share the surname: keep it as written
            if matches:
                found = max(matches, key=lambda c: (len(c.split()), len(c)))
                if len(found.split()) > len(best.split()):
                    best = found
            if len(best.split()) > 1:
                return best
        return best

    def role(self, name: str) -> str | None:
        counts = self.roles.get(speaker_key(name.split()[-1]))
        if not counts:
            return None
        # "chairman of ..." and "Chairman of ..." are one role; show the commoner spelling
        folded: Counter[str] = Counter()
        for role, n in counts.items():
            folded[role.casefold()] += n
        return max(counts, key=lambda r: (folded[r.casefold()], counts[r], -len(r)))


def _shared_words(a: str, b: str) -> int:
    wa = {w.casefold() for w in re.findall(r"[A-Za-z]+", a)} - ENGLISH_STOP_WORDS
    wb = {w.casefold() for w in re.findall(r"[A-Za-z]+", b)} - ENGLISH_STOP_WORDS
    return len(wa & wb)


def find_attributions(
    articles: Sequence[CleanArticle], sentences: Sequence[Sentence]
) -> list[Attribution]:
    """Every attributed statement in the articles, speakers resolved across the cluster."""
    units = text_units(articles, sentences)
    by_article: dict[str, list[Unit]] = {}
    for u in units:
        by_article.setdefault(u.article_id, []).append(u)
    quotes: dict[str, list[tuple[int, int]]] = {}
    for a in articles:
        spans: list[tuple[int, int]] = []
        for p in a.paragraphs:
            spans += [(p.start + s, p.start + e) for s, e in quoted_spans(a.text[p.start : p.end])]
        quotes[a.id] = spans
    wanted = [u for u in units if _has_cue_outside_quotes(u, quotes[u.article_id])]
    # the units before a pronoun speaker, for its antecedent
    wanted_ids = {(u.article_id, u.start) for u in wanted}
    context: dict[tuple[str, int], Unit] = {}
    for u in wanted:
        if re.search(r"\b(?:he|she)\b", u.text, re.I):
            for c in by_article[u.article_id][max(0, u.index - 2) : u.index]:
                if (c.article_id, c.start) not in wanted_ids:
                    context[(c.article_id, c.start)] = c
    docs = parse_units([*wanted, *context.values()])
    mark_people(docs.values())

    by_id = {a.id: a for a in articles}
    found_by_article: dict[str, list[_Found]] = {}
    people = _People({}, {})
    for u in units:
        doc = docs.get((u.article_id, u.start))
        if doc is None:
            continue
        for ent in doc.ents:
            if ent.label_ == "PERSON" and len(ent.text) > 2:
                people.add(ent.text)
        if u in wanted:
            found_by_article.setdefault(u.article_id, []).extend(
                _attribute_unit(u, doc, by_id[u.article_id], quotes[u.article_id])
            )
        _collect_roles(doc, people)
    _names_in_text(articles, found_by_article, people)
    out: list[Attribution] = []
    for article in articles:
        found = _one_cue_per_quote(found_by_article.get(article.id, []))
        found += _continuations(by_article.get(article.id, []), article, quotes[article.id], found)
        found.sort(key=lambda f: (f.content[0], f.cue[0]))
        for f in found:
            if f.person:
                people.add(f.person, f.role)
        out += _resolve(article, found, by_article.get(article.id, []), docs, people)
    return out


_HONORIFIC = frozenset({"President", "Secretary", "Senator", "Sen", "Rep", "Representative",
                        "Governor", "General", "Judge", "Justice", "Prime", "Minister", "Pope",
                        "Chancellor", "Mayor", "Chief", "Press", "The", "Mr", "Mrs", "Ms", "Dr"})


def _names_in_text(
    articles: Sequence[CleanArticle], found: Mapping[str, Sequence[_Found]], people: _People
) -> None:
    """Full names for speakers known only by surname, from any article of the cluster.

    Sentences with no cue are not parsed, so "Sean Spicer" in one of them is only
    found by looking for capitalised words right before the surname.
    """
    known = {k for k, names in people.names.items() if any(len(n.split()) > 1 for n in names)}
    surnames: set[str] = set()
    for fs in found.values():
        for f in fs:
            if not f.person:
                continue  # only people: "Russia" is no one's surname
            words = f.person.split()
            if (len(words) == 1 and words[0][:1].isupper() and words[0].isalpha()
                    and speaker_key(words[0]) not in known):
                surnames.add(words[0])
    for surname in surnames:
        pattern = re.compile(rf"\b((?:[A-Z][\w’'-]*\.?\s+){{1,3}}){re.escape(surname)}\b")
        for a in articles:
            for m in pattern.finditer(a.text):
                words = [w for w in m.group(1).split() if w.rstrip(".") not in _HONORIFIC]
                if words and not _TITLE.match(words[0]):
                    people.add(" ".join([*words, surname]))


def _one_cue_per_quote(found: Sequence[_Found]) -> list[_Found]:
    """A quote that two units both reach goes to the nearer cue."""
    best: dict[tuple[int, int], _Found] = {}
    rest: list[_Found] = []
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


def _has_cue_outside_quotes(unit: Unit, quotes: Sequence[tuple[int, int]]) -> bool:
    """The cheap test that decides what the parser sees: a cue word outside quote marks."""
    return any(
        m.group().lower() in _CUE_FORMS and not _inside(unit.start + m.start(), quotes)
        for m in _WORD.finditer(unit.text)
    )


def _collect_roles(doc: Doc, people: _People) -> None:
    """Roles given to named people anywhere in a parsed unit ("Sean Spicer, the ... secretary")."""
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        head = ent.root
        left, right = head.left_edge.i, head.right_edge.i + 1
        role = _role(doc, left, right, head, ent)
        if role:
            people.add(ent.text, role)


def _resolve(
    article: CleanArticle,
    found: Sequence[_Found],
    units: Sequence[Unit],
    docs: Mapping[tuple[str, int], Doc],
    people: _People,
) -> list[Attribution]:
    """Name each speaker: pronouns, surnames and role descriptions become the fullest name."""
    # persons named in the article, in order: (char position, name)
    mentions: list[tuple[int, str]] = []
    local_names: list[str] = []
    descriptions: list[tuple[int, str, str]] = []  # position, head lemma, description
    for u in units:
        doc = docs.get((article.id, u.start))
        if doc is None:
            continue
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                mention = " ".join(_strip_title(ent.text.split()))
                if mention:
                    mentions.append((u.start + ent.start_char, mention))
                    local_names.append(mention)
    mentions.sort()
    out: list[Attribution] = []
    last_speaker: tuple[int, str, str | None] | None = None  # position, name, role
    for f in found:
        speaker_text = (
            article.text[f.speaker[0] : f.speaker[1]] if f.speaker is not None else ""
        )
        name: str | None
        role: str | None = f.role
        position = f.cue[0]
        resolved = False
        if f.goes_on:
            name = None
            if last_speaker is not None:
                name, role = last_speaker[1], last_speaker[2]
            if name is None:
                continue
        elif f.person:
            name = people.fullest(f.person, local_names)
        elif f.pronoun:
            name = _antecedent(position, units, mentions, last_speaker, people, local_names)
        else:
            name, resolved = _description(f, speaker_text, position, mentions, descriptions,
                                          people, local_names)
        is_person = f.person is not None or f.pronoun or resolved or (
            f.goes_on and last_speaker is not None)
        if name and is_person:
            role = people.role(name) or role
        content = article.text[f.content[0] : f.content[1]]
        attribution = Attribution(
            article_id=article.id,
            sentence_id=f.unit.sentence_id,
            sentence=_SPACE.sub(" ", f.unit.text.strip()),
            speaker=name,
            speaker_text=speaker_text if not f.goes_on else "",
            speaker_start=f.speaker[0] if f.speaker and not f.goes_on else None,
            speaker_end=f.speaker[1] if f.speaker and not f.goes_on else None,
            role=role if name and is_person else None,
            cue=f.cue[2],
            cue_lemma=f.cue[3],
            cue_start=f.cue[0],
            cue_end=f.cue[1],
            content=_SPACE.sub(" ", content),
            content_start=f.content[0],
            content_end=f.content[1],
            kind=f.kind,
            denial=f.denial,
        )
        out.append(attribution)
        if name and is_person:
            last_speaker = (f.content[1], name, role)
    return out


def _antecedent(
    position: int,
    units: Sequence[Unit],
    mentions: Sequence[tuple[int, str]],
    last_speaker: tuple[int, str, str | None] | None,
    people: _People,
    local_names: Sequence[str],
) -> str | None:
    """Who "he" or "she" is: the last person quoted, else the last person named nearby."""
    window_start = position
    for u in units:
        if u.start <= position < u.end:
            idx = u.index
            window_start = units[max(0, idx - 2)].start
            break
    if last_speaker is not None and last_speaker[0] >= window_start:
        return last_speaker[1]
    before = [name for pos, name in mentions if window_start <= pos < position]
    if before:
        return people.fullest(before[-1], local_names)
    return None


def _description(
    f: _Found,
    speaker_text: str,
    position: int,
    mentions: Sequence[tuple[int, str]],
    descriptions: list[tuple[int, str, str]],
    people: _People,
    local_names: Sequence[str],
) -> tuple[str | None, bool]:
    """A speaker named by description: a person whose role matches, else the fullest description.

    Returns the name and whether it is a person's.
    """
    text = _SPACE.sub(" ", speaker_text).strip()
    if not text or text.casefold() in {"they", "we", "i", "you", "it", "them"}:
        return None, False
    words = text.split()
    if all(w[:1].isupper() for w in words) and speaker_key(words[-1]) in people.names:
        # "Spicer" where the entity recogniser missed the name but the cluster has it
        return people.fullest(text, local_names), True
    definite = text.casefold().startswith(("the ", "this "))
    if definite:
        # "the White House spokesman" after "Sean Spicer, the White House press secretary"
        for pos, name in reversed([m for m in mentions if m[0] < position][-4:]):
            role = people.role(name)
            if role and _shared_words(role, text) >= 2 and pos > position - 1500:
                return people.fullest(name, local_names), True
    bare = re.sub(r"^(?:the|The)\s+", "", text)
    if definite:
        # "the ministry" after "the Russian defense ministry"
        longer = [d for p, lemma, d in descriptions if lemma == f.head_lemma and len(d) > len(bare)]
        if longer:
            bare = max(longer, key=len)
    descriptions.append((position, f.head_lemma, bare))
    return (bare[0].upper() + bare[1:] if bare[:1].islower() and definite else bare), False


# --- group reports of one statement -----------------------------------------------------

_SLANG = {"gonna": "going to", "wanna": "want to", "gotta": "got to", "’": "'", "‘": "'"}
_SLANG_RE = re.compile("|".join(map(re.escape, _SLANG)), re.I)


def normalize_text(text: str) -> str:
    """Lower case, curly apostrophes straightened, "gonna" spelt out, stop words dropped."""
    text = _SLANG_RE.sub(lambda m: _SLANG[m.group(0).lower()], text.lower())
    return " ".join(w for w in re.findall(r"[a-z0-9']+", text) if w not in ENGLISH_STOP_WORDS)


def similarity_matrix(texts: Sequence[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors over character 3-5-grams of the normalised texts."""
    norm = [normalize_text(t) or t.lower() for t in texts]
    vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
    try:
        matrix = normalize(vectorizer.fit_transform(norm))
    except ValueError:
        return np.zeros((len(texts), len(texts)))
    return np.asarray((matrix @ matrix.T).toarray())


def _containment(a: str, b: str) -> float:
    wa, wb = set(normalize_text(a).split()), set(normalize_text(b).split())
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


def _plain(text: str) -> str:
    text = _SLANG_RE.sub(lambda m: _SLANG[m.group(0).lower()], text.lower())
    return " " + " ".join(re.findall(r"[a-z0-9']+", text)) + " "


def _fragments(text: str) -> list[str]:
    """The quoted pieces of a partly quoted report, three words or more."""
    out = []
    for start, end in quoted_spans(text):
        piece = _plain(text[start:end])
        if len(piece.split()) >= 3:
            out.append(piece)
    return out


def group_quotes(
    attributions: Sequence[Attribution],
    same: float = 0.5,
    paraphrase: float = 0.3,
) -> list[Quote]:
    """One ``Quote`` per statement: reports by one speaker with the same words, across outlets.

    Two quoted reports are one statement at cosine similarity ``same`` or above
    (or when one's words are almost all inside the other's: "rubbish" in "It's
    rubbish ... propaganda"). A report in the outlet's own words then joins the
    quoted statement it is closest to, at ``paraphrase`` or above; a partly
    quoted one joins every statement whose words it quotes. Sorted by how many
    articles carry the statement, then by where it first appears.
    """
    items = [a for a in attributions if a.speaker and len(a.content.split()) >= (
        1 if a.kind == "direct" else 4)]
    if not items:
        return []
    sims = similarity_matrix([a.content for a in items])
    keys = [speaker_key(a.speaker or "") for a in items]
    parent = list(range(len(items)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    # 1. quoted reports of one statement; candidate pairs come from the matrix
    rows, cols = np.nonzero(np.triu(sims >= min(paraphrase, same) * 0.5, k=1))
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        a, b = items[i], items[j]
        if keys[i] != keys[j]:
            continue
        if a.kind == "direct" and b.kind == "direct":
            if sims[i, j] >= same or _containment(a.content, b.content) >= 0.8:
                parent[find(i)] = find(j)
        elif a.kind != "direct" and b.kind != "direct" and sims[i, j] >= same:
            parent[find(i)] = find(j)  # two outlets' paraphrases of an unquoted statement
    # 2. paraphrases join the quoted statement(s) they render
    direct = [i for i, a in enumerate(items) if a.kind == "direct"]
    extra: dict[int, list[int]] = {}
    attached: set[int] = set()
    for i, a in enumerate(items):
        if a.kind == "direct":
            continue
        same_speaker = [j for j in direct if keys[j] == keys[i]]
        if not same_speaker:
            continue
        targets: set[int] = set()
        pieces = _fragments(a.content) if a.kind == "mixed" else []
        for j in same_speaker:
            quoted = _plain(items[j].content)
            if any(piece in quoted for piece in pieces):
                targets.add(find(j))
        if not targets:
            best = max(same_speaker, key=lambda j: sims[i, j])
            if sims[i, best] >= paraphrase:
                targets.add(find(best))
        for root in targets:
            extra.setdefault(root, []).append(i)
            attached.add(i)
    groups: dict[int, list[int]] = {}
    for i in range(len(items)):
        if i not in attached or items[i].kind == "direct":
            groups.setdefault(find(i), []).append(i)
    for root, members in extra.items():
        groups.setdefault(root, []).extend(m for m in members if m not in groups[root])
    order = {a: n for n, a in enumerate(dict.fromkeys(x.article_id for x in attributions))}
    out: list[tuple[tuple[int, int], Quote]] = []
    for members in groups.values():
        quoted_members = [i for i in members if items[i].kind == "direct"] or [
            i for i in members if items[i].kind == "mixed"] or members
        rep = max(quoted_members, key=lambda i: (
            round(float(sims[i, quoted_members].sum()), 3), len(items[i].content)))
        others = sorted((items[i] for i in members if i != rep),
                        key=lambda a: (order[a.article_id], a.content_start))
        reports = [items[rep], *others]
        cues = Counter(r.cue_lemma for r in reports if r.cue_lemma)
        cue = items[rep].cue or (next(
            (r.cue for r in reports if r.cue_lemma == cues.most_common(1)[0][0]), "")
            if cues else "")
        roles = Counter(r.role for r in reports if r.role)
        # the fullest form of the name any outlet gives ("Adrian J. Rankine-Galloway")
        speaker = max((r.speaker or "" for r in reports if r.role or r is items[rep]),
                      key=lambda n: (len(n.split()), len(n)))
        quote = Quote(
            speaker=speaker,
            role=roles.most_common(1)[0][0] if roles else None,
            cue=cue,
            text=items[rep].content,
            kind=items[rep].kind,
            reports=tuple(reports),
        )
        first = min((order[items[i].article_id], items[i].content_start) for i in members)
        out.append(((-len(quote.article_ids), first[0] * 10**7 + first[1]), quote))
    out.sort(key=lambda x: x[0])
    return [q for _, q in out]
