"""The brief's headline: the most representative real headline among the articles, else the
lede's main clause, short.

1. *Candidates*: each article's title (its metadata title, else the headline line that
   cleaning found), tidied (a column label before a colon such as "COMMENTARY:", a part
   marker such as "(2)", a site name after " | ") and set in headline case when it is in
   capitals. A title that is not a headline is left out, with its kind
   (``headline_problem``): a *label or credit* (a section label such as "World", a photo
   credit, a byline, a date line, a file name, a URL), a *sub-headline* (a deck with a
   semicolon, a line that starts in lower case or ends with a full stop, a sentence of the
   body), *cut off* (ends on "of", "the", a possessive: the wire wrapped it) or *too long*.
2. *Representativeness*: each word stem of the story weighs what three counts agree on:
   the share of independent sources (``Brief.source_groups``) whose text has it, whether
   the summary has it, and the share of the sources' headlines that have it (what several
   outlets put in their headlines). A headline scores the summed weight of its stems over
   their number plus ``LENGTH_SMOOTHING``, so its words must be the story's words, and
   "With Euro" does not beat a headline that says what happened.
3. *Fallback*: when no article has a headline that scores ``MIN_REPRESENTATIVE``, the
   main clause of the lede: of the summary's lede sentences (the first sentences of their
   articles) the most salient, without quotes where one is; its attribution taken off
   ("X said that ..."), its subordinate, relative and appositive clauses and time phrases
   dropped (spaCy's parse, ``newsbrief.nlp``), then its last phrases until it is at most
   ``MAX_CLAUSE_WORDS`` words.

Deterministic: no model is trained or downloaded; ties go to the earlier article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newsbrief.model import BriefSentence, CleanArticle
from newsbrief.text import LETTER_WORD, stemmed_terms

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "MAX_CLAUSE_WORDS",
    "MAX_HEADLINE_WORDS",
    "MIN_REPRESENTATIVE",
    "Kind",
    "choose_headline",
    "headline_candidates",
    "headline_problem",
    "lede_clause",
    "representativeness",
    "tidy",
]

MAX_HEADLINE_WORDS = 20
"""Longest real headline, in words. News headlines run 6-14 words; of the 1,025 titles of
the DUC 2007 development topics none is longer than 18, while the body sentences that
cleaning sometimes takes for a headline run 20 and more."""
MIN_HEADLINE_WORDS = 3
"""Fewer words is a label ("World", "URGENT", "With Euro"), not a headline."""
MAX_CLAUSE_WORDS = 12
"""Longest lede clause given as a headline: a headline's length (see above)."""
MIN_CLAUSE_WORDS = 4
"""Shortening a clause stops before it leaves fewer words than this."""
LENGTH_SMOOTHING = 2.0
"""Added to a headline's number of stems before dividing its summed weight: a two-stem
headline with perfect words then scores 0.5, an eight-stem one 0.8."""
MIN_REPRESENTATIVE = 0.25
"""Lowest score of a headline that is given as the brief's title. Chosen on the seeds and
the DUC 2007 development topics: the real headlines there score 0.35-0.8; promos and
off-story lines that cleaning took for a headline score under 0.2."""


class Kind:
    """Why a title is not a headline, as the evaluation counts it."""

    NONE = "none"
    SUBHEADLINE = "sub-headline"
    LABEL = "label/credit"
    TOO_LONG = "too long"
    CUT_OFF = "cut off"


_COLUMN_LABEL = re.compile(
    r"^(?:[A-Z][A-Za-z&()]*\s+){0,2}(?:column|commentary|editorial|analysis|opinion|review|"
    r"exclusive|breaking(?: news)?|update[d]?|watch|video|photos?|live|urgent|news analysis|"
    r"op-ed|letters?)\s*:\s+",
    re.I,
)
"""A column or genre label before the headline: "COMMENTARY: Staring at Hatred",
"EDUCATION COLUMN: Emphasis on Scores"."""
_PART_MARKER = re.compile(r"\s*\((?:\d+|part \d+|update \d+|corrected|updated)\)\s*$", re.I)
"""A wire part or correction marker at the end: "... Waste and Pollution (2)"."""
_SITE_AFTER_BAR = re.compile(r"\s+\|\s+[^|]{1,60}$")
"""A site name after a bar: "Trump open to strikes | The New Arab"."""

_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|html?)\b", re.I)
_FILE_NAME = re.compile(
    r"\.(?:jpe?g|png|gif|webp|mp[34]|pdf|txt|json|xml|php|aspx?)$|^[\w-]*\d[\w-]*_[\w-]+$|"
    r"^[\w-]*_[\w-]*\d[\w-]*$",
    re.I,
)
_CREDIT = re.compile(
    r"\b(?:getty images|ap photo|reuters/|afp/|epa/|shutterstock|photo credit|image credit|"
    r"file (?:photo|pic)|courtesy of)\b|©|\(c\)|^(?:photo|image|picture|pic)s?\b|"
    r"\[(?:AFP|AP|Reuters|Getty(?: Images)?|EPA)\]$|\bphoto(?:graph)?:|, (?:left|right|center|centre),",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:by|posted by|written by|reporting by|updated|published|posted|last updated)\b", re.I
)
_DATE_LINE = re.compile(
    r"\b\d{1,2}[:/.]\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\b(?:19|20)\d{2}\b|\b(?:min|minute)s? read\b",
    re.I,
)
_FURNITURE_WORDS = frozenset({
    "news", "world", "politics", "business", "sport", "sports", "opinion", "editorial",
    "commentary", "analysis", "review", "week", "today", "latest", "breaking", "update",
    "updates", "urgent", "live", "video", "videos", "photo", "photos", "gallery", "home",
    "top", "stories", "story", "briefs", "brief", "digest", "roundup", "notes", "letters",
    "column", "entertainment", "health", "science", "tech", "technology", "local", "national",
    "international", "us", "uk", "u.s", "more", "advertisement", "related", "share", "menu",
})
"""Words of section labels and column names: a title made only of these ("News of the
Week in Review", "Breaking News") is newsroom furniture, not a headline."""
_CUT_OFF_ENDINGS = frozenset({
    "a", "an", "the", "of", "for", "to", "with", "against", "and", "or", "from", "at", "as",
    "into", "than", "between", "its", "their", "his", "her", "our", "your", "that", "which",
})
"""A headline never ends on one of these; a wire headline wrapped at its line end does
("Amnesty International Launches Campaign Against")."""
_SMALL_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "with", "by",
    "as", "from", "into", "vs", "via",
})
"""Words that headline case leaves in lower case, except first."""
_QUOTES = "\"“”‘’'`"


def tidy(title: str, source: str = "") -> str:
    """The title without column label, part marker or site name, in headline case when it
    is in capitals (words set as the articles spell them: see ``_recase``)."""
    text = " ".join(title.split())
    text = _PART_MARKER.sub("", text)
    text = _SITE_AFTER_BAR.sub("", text)
    if source:
        for dash in (" - ", " – ", " — "):
            head, _, tail = text.rpartition(dash)
            if head and tail.casefold() in {source.casefold(), f"the {source.casefold()}"}:
                text = head
    label = _COLUMN_LABEL.match(text)
    if label and len(text) - label.end() > 10:
        text = text[label.end():]
    return text.strip()


def headline_problem(title: str) -> str | None:
    """Why ``title`` (tidied) is not a headline (a ``Kind``), or None when it is one."""
    text = title.strip()
    if not text:
        return Kind.NONE
    words = text.split()
    letters = LETTER_WORD.findall(text)
    if (_URL.search(text) or _FILE_NAME.search(text) or _CREDIT.search(text)
            or _BYLINE.match(text) or len(letters) < MIN_HEADLINE_WORDS):
        return Kind.LABEL
    if _DATE_LINE.search(text) and len(words) <= 6:
        return Kind.LABEL
    if all(w.casefold().strip(".") in _FURNITURE_WORDS or len(w) <= 3 for w in letters):
        return Kind.LABEL
    first = text.lstrip(_QUOTES + "([")
    if ";" in text or (first and first[0].islower()):
        return Kind.SUBHEADLINE
    if text.rstrip(_QUOTES + ")").endswith(".") and not text.endswith("..."):
        return Kind.SUBHEADLINE
    if len(words) > MAX_HEADLINE_WORDS:
        return Kind.TOO_LONG
    last = words[-1].casefold().strip(_QUOTES + ",:")
    if last in _CUT_OFF_ENDINGS or last.endswith(("'s", "’s")):
        return Kind.CUT_OFF
    return None


def _recase(title: str, spellings: Counter[str]) -> str:
    """An all-capitals title in headline case: each word as the articles spell it most
    often (so "KKK" and "NATO" stay in capitals, "ARYAN" becomes "Aryan"), small words in
    lower case but the first."""
    if any(ch.islower() for ch in title):
        return title

    def one(match: re.Match[str]) -> str:
        word = match.group()
        lower = word.lower()
        if match.start() > 0 and lower in _SMALL_WORDS:
            return lower
        forms = [(n, f) for f, n in spellings.items() if f.lower() == lower]
        best = max(forms)[1] if forms else lower
        if best.isupper() and len(best) > 1:
            return best
        return best[0].upper() + best[1:]

    return LETTER_WORD.sub(one, title)


def _is_body_sentence(title: str, article: CleanArticle) -> bool:
    """The title is the opening of the article's own kept text: a sentence of the body
    (a lede that cleaning took for the headline), not a headline."""
    return len(title.split()) >= 8 and article.text.lstrip().startswith(title.rstrip(". "))


def _stem_set(text: str) -> set[str]:
    return set(stemmed_terms(text))


def _weights(
    articles: Sequence[CleanArticle],
    summary: Sequence[BriefSentence],
    groups: Sequence[Sequence[str]],
    headlines: dict[str, str],
) -> dict[str, float]:
    """Each stem's weight: the mean of its share of sources, its presence in the summary,
    and its share of the sources' headlines."""
    by_id = {a.id: a for a in articles}
    in_text: Counter[str] = Counter()
    in_headlines: Counter[str] = Counter()
    with_headline = 0
    for group in groups:
        members = [by_id[i] for i in group if i in by_id]
        in_text.update(set().union(*(_stem_set(a.text) for a in members)))
        heads = [headlines[a.id] for a in members if a.id in headlines]
        if heads:
            with_headline += 1
            in_headlines.update(set().union(*(_stem_set(h) for h in heads)))
    summary_stems = set().union(*(_stem_set(s.text) for s in summary))
    sources = max(len(groups), 1)
    out: dict[str, float] = {}
    for stem in set(in_text) | summary_stems | set(in_headlines):
        heads = in_headlines[stem] / with_headline if with_headline else 0.0
        out[stem] = (in_text[stem] / sources + (stem in summary_stems) + heads) / 3
    return out


def representativeness(headline: str, weights: dict[str, float]) -> float:
    """Summed weight of the headline's stems over their number plus ``LENGTH_SMOOTHING``."""
    stems = _stem_set(headline)
    return sum(weights.get(s, 0.0) for s in stems) / (len(stems) + LENGTH_SMOOTHING)


def headline_candidates(articles: Sequence[CleanArticle]) -> dict[str, str]:
    """Each article's tidied title that is a headline, by article id."""
    out: dict[str, str] = {}
    for a in articles:
        if not a.title:
            continue
        text = tidy(a.title, a.source)
        if headline_problem(text) is None and not _is_body_sentence(text, a):
            out[a.id] = text
    return out


def choose_headline(
    articles: Sequence[CleanArticle],
    summary: Sequence[BriefSentence],
    groups: Sequence[Sequence[str]] | None = None,
) -> str | None:
    """The brief's headline: the most representative real headline of the ``articles``,
    else the main clause of the summary's lede, short; None when there is neither.

    ``groups`` are the independent sources (``Brief.source_groups``; each article alone
    when not given).
    """
    groups = groups if groups is not None else [[a.id] for a in articles]
    headlines = headline_candidates(articles)
    if headlines:
        weights = _weights(articles, summary, groups, headlines)
        order = {a.id: i for i, a in enumerate(articles)}
        best_id = min(headlines, key=lambda i: (-representativeness(headlines[i], weights),
                                                order[i]))
        if representativeness(headlines[best_id], weights) >= MIN_REPRESENTATIVE:
            spellings = Counter(w for a in articles for w in LETTER_WORD.findall(a.text))
            return _recase(headlines[best_id], spellings)
    return _lede_headline(summary)


def _lede_headline(summary: Sequence[BriefSentence]) -> str | None:
    """The main clause of the summary's most salient lede sentence (see the module)."""
    ledes = [s for s in summary if s.sentence.index <= 1] or list(summary)
    plain = [s for s in ledes if not any(q in s.text for q in "\"“”")] or ledes
    ranked = sorted(plain, key=lambda s: -s.score)
    for cut in (False, True):  # a clause shortened phrase by phrase, else one cut short
        for s in ranked:
            clause = lede_clause(s.text, cut=cut)
            if clause:
                return clause
    return None


# --- the lede's main clause -----------------------------------------------------------------

_NEWSWIRE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'’.]+(?:[ -][A-Za-z'’.]+){0,3})"
    r"(?:,\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2})|,\s*[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
    r"\s*(?P<agency>\([^)]{1,30}\))?\s*(?:--|_|—|–)\s+"
)
"""The datelines of wire copy that ``summarize.strip_dateline`` leaves on a summary
sentence (with "--" or "_", a date or an agency); see ``_without_dateline``."""
_SPEECH_VERBS = frozenset({
    "say", "tell", "announce", "report", "confirm", "state", "declare", "claim", "add",
    "suggest", "indicate", "reveal", "disclose", "insist", "warn", "note", "write", "explain",
    "acknowledge", "admit", "argue", "believe", "think", "allege", "contend",
})
"""Verbs of attribution: "X said (that) CLAUSE" gives CLAUSE as the headline."""
_SPEECH_FORMS = frozenset({
    "said", "says", "told", "tells", "announced", "reported", "reports", "confirmed", "stated",
    "declared", "claimed", "added", "suggested", "indicated", "revealed", "disclosed",
    "insisted", "warned", "noted", "wrote", "explained", "acknowledged", "admitted", "argued",
    "believes", "believed", "thinks", "alleged", "contends", "contended",
})
_DROPPED = frozenset({
    "advcl", "relcl", "appos", "parataxis", "mark", "punct", "cc", "conj", "preconj",
    "meta", "dep", "intj",
})
"""Dependents a headline leaves out, with everything under them."""
_TIME_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tomorrow", "tonight", "week", "weekend", "month", "year", "morning",
    "afternoon", "evening", "night", "day", "days", "weeks", "months", "years", "earlier",
    "later", "now", "recently", "currently", "also", "still", "already", "ago", "here",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
})
"""Time words: the phrase they head ("on Monday", "last year") leaves a headline."""
_SHORTENED = frozenset({"prep", "npadvmod", "advmod", "acl", "agent", "dative", "oprd"})
"""Dependents taken off from the end, last first, while a clause is too long."""
_DANGLING_TAGS = frozenset({"IN", "DT", "CC", "TO", "WDT", "PRP$", "POS", "HYPH", ","})
"""Penn tags of a word a clause cannot end on once a phrase after it was taken off."""
_PRONOUN_SUBJECT = frozenset({"it", "he", "she", "they", "we", "i", "you", "this", "that"})


def _clause_head(sentence: Span) -> Token:
    """The verb of the reported clause when the sentence is an attribution ("X said Y")
    whose clause has a subject the reader can place, else the sentence's root."""
    root = sentence.root
    if root.lemma_.lower() in _SPEECH_VERBS or root.text.lower() in _SPEECH_FORMS:
        for child in root.children:
            if child.dep_ == "ccomp":
                subjects = [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subjects and subjects[0].text.lower() not in _PRONOUN_SUBJECT:
                    return child
    return root


def _is_time(token: Token) -> bool:
    """A phrase of time or place ("on Monday", "last year", "in 1997", "here"), not part
    of a hyphenated word ("week-long")."""
    if not token.whitespace_ and token.i + 1 < len(token.doc) and token.nbor().text == "-":
        return False
    return any(t.text.lower() in _TIME_WORDS or (t.like_num and len(t.text) == 4)
               for t in token.subtree if t.dep_ in ("pobj", "npadvmod", "advmod", "nummod")
               or t is token)


def _kept(head: Token) -> list[Token]:
    """The clause under ``head`` less its dropped dependents, in sentence order."""
    subject_at = min((c.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")),
                     default=head.i)
    out: list[Token] = []

    def visit(token: Token) -> None:
        out.append(token)
        for child in token.children:
            if child.dep_ in _DROPPED and (child.dep_ != "punct" or _droppable_punct(child)):
                continue
            if child.dep_ in ("npadvmod", "prep", "advmod") and _is_time(child):
                continue
            if token is head and child.i < subject_at and child.dep_ in ("prep", "advmod",
                                                                          "npadvmod"):
                continue  # "In a significant break from ..., the White House ..."
            visit(child)

    visit(head)
    return sorted(out, key=lambda t: t.i)


def _text(tokens: Sequence[Token]) -> str:
    """The tokens as text, spaced as in the sentence; a space where a phrase was dropped."""
    parts: list[str] = []
    for t, after in zip(tokens, [*tokens[1:], None], strict=True):
        parts.append(t.text)
        if after is not None:
            glued = after.i == t.i + 1 or not after.doc[after.i - 1].whitespace_
            parts.append(t.whitespace_ if glued else " ")
    return "".join(parts).strip()


def _droppable_punct(token: Token) -> bool:
    """A comma, dash, bracket or quote mark, not the hyphen or dot inside a name
    ("Rankine-Galloway", "Col. John Dorrian")."""
    if token.text in _QUOTES or token.text in "\"“”":
        return True
    doc = token.doc
    if token.text not in "-–/." or token.i == 0 or token.i == len(doc) - 1:
        return True
    glued_before = not doc[token.i - 1].whitespace_ and doc[token.i - 1].text[0].isalnum()
    glued_after = token.text == "." or not token.whitespace_
    return not (glued_before and glued_after and doc[token.i + 1].text[0].isalnum())


def _shorten(tokens: list[Token], cut: bool) -> list[Token] | None:
    """Take off the last dependent phrase (``_SHORTENED``) while the clause is too long and
    at least ``MIN_CLAUSE_WORDS`` words would be left; when that is not enough, cut it at
    ``MAX_CLAUSE_WORDS`` words if ``cut``, else None."""
    while _word_count(tokens) > MAX_CLAUSE_WORDS:
        kept = set(tokens)
        for token in sorted(tokens, key=lambda t: -t.i):
            if token.dep_ not in _SHORTENED or token.head not in kept:
                continue
            sub = {t for t in token.subtree}
            rest = [t for t in tokens if t not in sub]
            if _word_count(rest) >= MIN_CLAUSE_WORDS:
                tokens = rest
                break
        else:
            return tokens[: _index_of_word(tokens, MAX_CLAUSE_WORDS)] if cut else None
    return tokens


def _word_count(tokens: Iterable[Token]) -> int:
    return sum(1 for t in tokens if not t.is_punct)


def _index_of_word(tokens: Sequence[Token], n: int) -> int:
    """The index just after the ``n``-th word."""
    seen = 0
    for i, t in enumerate(tokens):
        seen += not t.is_punct
        if seen == n:
            return i + 1
    return len(tokens)


def _without_dateline(sentence: str) -> str:
    """The sentence without a newswire dateline: "WASHINGTON, March 3 (Xinhua) -- ",
    "JERUSALEM (AP) _ ", "COEUR d'ALENE, Idaho _ ". A place followed by a dash is a
    dateline only in capitals, or with an agency or a date ("Donald Trump -- who ..." is
    not one)."""
    m = _NEWSWIRE_DATELINE.match(sentence)
    if m and (m.group("place").split()[0].isupper() or m.group("agency") or m.group("date")):
        return sentence[m.end():]
    return sentence


def lede_clause(sentence: str, cut: bool = False) -> str | None:
    """The main clause of a lede sentence, short: a headline made from it (see the module).

    None when nothing of at least ``MIN_CLAUSE_WORDS`` words is left, when the clause opens
    on a pronoun or ends on its attribution, or when it cannot be shortened to
    ``MAX_CLAUSE_WORDS`` words phrase by phrase and ``cut`` (cut it there) is not asked.
    """
    from newsbrief.nlp import parse

    doc = next(iter(parse([_without_dateline(sentence).replace("[", "").replace("]", "")])))
    sents = list(doc.sents)
    if not sents:
        return None
    short = _shorten(_kept(_clause_head(sents[0])), cut)
    if short is None:
        return None
    tokens = short
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ in _DANGLING_TAGS):
        tokens = tokens[:-1]
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    if not tokens or tokens[0].text.lower() in _PRONOUN_SUBJECT:
        return None  # "He will continue ...": the reader cannot place him
    if tokens[-1].text.lower() in _SPEECH_FORMS:
        return None  # "..., Spicer added": the attribution of a clause the reader cannot place
    text = _text(tokens)
    if any(q in text for q in "\"“”") and (text.count('"') % 2 or text.count("“") != text.count(
            "”")):
        text = text.replace('"', "").replace("“", "").replace("”", "")
    if _word_count(tokens) < MIN_CLAUSE_WORDS:
        return None
    return text[0].upper() + text[1:]
