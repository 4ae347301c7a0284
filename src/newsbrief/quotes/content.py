"""What a cue reports: the content of an attribution inside one parsed unit.

The clause a cue governs ("said that ..."), the complements of a speech act ("urged
voters to ...", "called the decision a “huge win”"), the clause a cue's phrase interrupts
("X, the ministry said, Y"), and whether quote marks inside that content make it a mixed
quote; whether a content denies. ``attribution`` decides which cue a quote belongs to and
who the speaker is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from newsbrief.quotes.lexicon import (
    CUE_LEMMAS,
    DENIAL_LEMMAS,
    DISMISSAL,
    NEGATION,
    NEGATORS,
    OBJECT_LEMMAS,
    cue_lemma_of,
)
from newsbrief.quotes.marks import QUOTE_CHARS, QUOTE_MARKS, inside, trim_quote
from newsbrief.text import stop_words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "after_dateline",
    "clause_range",
    "is_title",
    "names_a_work_or_gloss",
    "negated",
    "quote_complement",
    "quote_denies",
    "reported_range",
    "within",
    "words_outside",
]


def _trailing_punct(tok: Token) -> bool:
    """Punctuation that may end a content range: anything but a closing quote mark."""
    return tok.is_punct and tok.text not in _CLOSING_MARKS


def _lemma(tok: Token) -> str:
    """A cue verb's lemma ("told" -> "tell"); other words as they are, lower-cased."""
    return cue_lemma_of(tok.lower_)


_DATELINE = re.compile(
    r"^[A-Z][A-Z.' ]+\b(?:,[^—–―\n]{0,40}?)?(?:\s*\([A-Za-z ]+\))?\s*(?:—|–|―|--|-)\s*"
)
"""A dateline before the first words of an article: "WASHINGTON —", "NEW YORK -",
"FLINT, Mich., Oct. 4 (UPI) —". Never part of a speaker or a quote."""


def after_dateline(doc: Doc, left: int, right: int) -> int:
    """The first token of a range after a dateline that opens it ("WASHINGTON — ...")."""
    dateline = _DATELINE.match(doc[left:right].text) if right - left > 1 else None
    if dateline:
        start = doc[left].idx + dateline.end()
        while left < right - 1 and doc[left].idx < start:
            left += 1
    return left


_OTHER_STATEMENT = frozenset({"conj", "advcl", "parataxis"})
"""Dependents of a clause that may hold a statement of their own: "..., and says he
introduced a bill", "..., though she noted clients are ...", "..., as Eric Garner said"."""


def _before_other_cue(tok: Token) -> int:
    """Where a clause ends before a dependent to its right that holds a cue of its own."""
    right = tok.right_edge.i + 1
    for child in tok.rights:
        if child.dep_ in _OTHER_STATEMENT and any(
            t.tag_.startswith("VB") and _lemma(t) in CUE_LEMMAS for t in child.subtree
        ):
            right = min(right, child.left_edge.i)
    return right


def clause_range(tok: Token) -> tuple[int, int]:
    """Token range of a reported clause: its subtree, up to a coordinated clause with a cue of
    its own ("the response was to break them up and says he introduced a bill"), without a
    leading "that" and edge punctuation."""
    left, right = tok.left_edge.i, tok.right_edge.i + 1
    doc = tok.doc
    return _trimmed(doc, left, min(right, _before_other_cue(tok)))


def _trimmed(doc: Doc, left: int, right: int) -> tuple[int, int]:
    """A content range without the words at its edges that are not the statement's: a
    leading "that", punctuation (but quote marks), a trailing "and"."""
    while right > left and (doc[right - 1].dep_ == "cc" or (
            doc[right - 1].is_punct and doc[right - 1].text not in QUOTE_MARKS)):
        right -= 1
    while left < right and ((doc[left].dep_ == "mark" and doc[left].lower_ == "that")
                            or (doc[left].is_punct and doc[left].text not in QUOTE_MARKS)):
        left += 1
    return left, right


_CLOSING_MARKS = frozenset({"”", '"', "''"})


_OPENING_MARKS = frozenset({"“", '"', "''"})


_NAMING = frozenset({"call", "describe", "label", "dub", "term"})
"""Cues that name what they report: "called the decision a “huge win”"."""


_OBJECT_PREPOSITIONS = frozenset({"for", "of", "about", "against", "over", "as", "to", "on"})
"""Prepositions whose object a speech act reports: "accused him of lying", "called for calm",
"warned against complacency" (not "urged voters at a rally", "said on Monday")."""


def _object_range(cue: Token) -> tuple[int, int] | None:
    """What a speech act reports through its object or infinitive: "urged voters to stay
    home", "accused him of lying", "called for calm" (a preposition right after the cue belongs
    to it: the content is "calm")."""
    doc = cue.doc
    parts = [c for c in cue.rights if c.dep_ in ("dobj", "dative", "xcomp", "oprd", "ccomp")
             or (c.dep_ == "prep" and c.lower_ in _OBJECT_PREPOSITIONS
                 and (c.lower_ != "on" or c.i == cue.i + 1))]
    if not parts:
        return None
    left = min(c.left_edge.i for c in parts)
    right = max(c.right_edge.i for c in parts) + 1
    first = min(parts, key=lambda c: c.i)
    if first.dep_ == "prep" and first.i == cue.i + 1:
        left = first.i + 1  # "called for calm": "for" goes with the cue
    for part in parts:
        for child in part.rights:
            if child.dep_ == "conj" and any(
                t.tag_.startswith("VB") and _lemma(t) in CUE_LEMMAS for t in child.subtree
            ):
                right = min(right, child.left_edge.i)
    left, right = _trimmed(doc, left, right)
    return (left, right) if right - left >= 2 else None


def _with_coordinated_clause(cue: Token, clause: Token, right: int) -> int:
    """Where a reported clause ends when the parser hung a clause coordinated with it on the
    cue: "said [he'll support the nominee], but [he doesn't want to be involved]" (a clause
    with a subject of its own and no cue of its own)."""
    doc = cue.doc
    for child in cue.rights:
        if (child.dep_ == "conj" and child.i > clause.i and child.left_edge.i <= right + 3
                and any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in child.children)
                and not any(t.tag_.startswith("VB") and _lemma(t) in CUE_LEMMAS
                            for t in child.subtree)):
            end = _before_other_cue(child)
            while end > right and _trailing_punct(doc[end - 1]):
                end -= 1
            return max(right, end)
    return right


def _quoted_on_both_sides_or_neither(doc: Doc, first: int, last: int) -> bool:
    """Whether the words on either side of a cue's phrase are alike: both quoted ("“X,” he
    said, “Y”") or neither ("X, he said, Y"). "Asked if ..., Spicer said, “...”" is not one
    clause the phrase interrupts: only the quote is his."""
    before = first - 1
    while before >= 0 and doc[before].text in {",", "—", "–"}:
        before -= 1
    after = last + 1
    while after < len(doc) and doc[after].text in {",", ":", "—", "–"}:
        after += 1
    closes = before >= 0 and doc[before].text in _CLOSING_MARKS
    opens = after < len(doc) and doc[after].text in _OPENING_MARKS
    return closes == opens


_ADVERBIAL = frozenset({"advmod", "prep", "npadvmod", "cc", "intj", "mark"})


def reported_range(cue: Token) -> tuple[int, int] | None:
    """Token range of what a cue reports when nothing beside it is in quote marks."""
    doc = cue.doc
    if cue.lower_ == "according":
        head = cue.head
        while head.dep_ == "conj" and head.head.i != head.i:
            head = head.head  # "X stood at 200,000 and has since exploded, according to Y": both
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
            rng = clause_range(child)
            if rng[0] < cue.i < rng[1]:
                # "Asked if the openness extended ..., Spicer said, “...”": a clause around
                # the cue is the parser's error; what it reports lies on one side
                rng = _trimmed(cue.doc, cue.right_edge.i + 1, rng[1]) if child.i > cue.i else (
                    _trimmed(cue.doc, rng[0], cue.left_edge.i))
            if rng[1] - rng[0] >= 3:
                return rng[0], _with_coordinated_clause(cue, child, rng[1])
    lemma = _lemma(cue)
    if lemma in DENIAL_LEMMAS or lemma in {"confirm", "acknowledge", "admit", "announce",
                                           "report", "allege"}:
        for child in cue.children:
            if child.dep_ == "dobj":
                return clause_range(child)
    if lemma in OBJECT_LEMMAS:
        reported = _object_range(cue)
        if reported is not None:
            return reported
    if lemma in _NAMING:
        # "called Friday's decision a “huge win”": what it was called, and the name given
        named = [c for c in cue.children if c.dep_ in ("dobj", "oprd")]
        if len(named) == 2:
            left = min(c.left_edge.i for c in named)
            right = max(c.right_edge.i for c in named) + 1
            while right > left and _trailing_punct(doc[right - 1]):
                right -= 1
            return left, right
    own = [t.i for t in cue.subtree if not t.is_punct]
    first, last = min(own), max(own)
    if (cue.dep_ in ("parataxis", "ccomp") and cue.head.i != cue.i and first > 0
            and doc[first - 1].text in {",", "—", "–", *_CLOSING_MARKS}
            and _quoted_on_both_sides_or_neither(doc, first, last)):
        # "Lenox was a juggernaut, Mr. Clarke said, until ...": the content is the clause
        # the cue's phrase interrupts (PolNeAR keeps the phrase inside); a phrase at the
        # end ("..., the ministry said, without saying ...") is cut off
        head = cue.head
        left, right = head.left_edge.i, min(head.right_edge.i + 1, _before_other_cue(head))
        if last >= right - 2 or not any(
            t.i > last and not t.is_punct and t.i not in own for t in head.subtree
        ):
            right = first
        elif all(t.dep_ in _ADVERBIAL or t.is_punct for t in head.children if t.i < first):
            # "In particular, he said, the foundation had ...": the adverbial before the
            # cue's phrase is the writer's, not the statement
            left = last + 1
        left, right = _trimmed(doc, left, right)
        if right - left >= 3:
            return left, right
    return None


_ADDITIVE = frozenset({"only", "just", "merely", "simply", "solely"})


def negated(doc: Doc, left: int, right: int) -> bool:
    """A negation on the content's main verb (or one step below it), or a dismissal."""
    span = doc[left:right]
    roots = [t for t in span if t.head.i < left or t.head.i >= right or t.head.i == t.i]
    root_ids = {r.i for r in roots}
    for tok in span:
        nxt = doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""
        if nxt in _ADDITIVE:
            continue  # "not just in Asia but in Europe too": adds, denies nothing
        if tok.dep_ == "neg" and tok.head.i in root_ids:
            return True  # "we do not coordinate", "I'm not aware"
        # "not" counts on the main verb only (above): one step below, "did not witness"
        # and "not just those tied to" negate a detail, not the statement
        if (tok.lower_ in NEGATORS and tok.lower_ != "not"
                and (tok.head.i in root_ids or tok.head.head.i in root_ids)):
            return True  # "there is no exchange", "but none for airstrikes"
    return DISMISSAL.search(span.text) is not None


_TRAILING = ".,;:!?"


_COMPLEMENTS = frozenset({"ccomp", "xcomp", "dobj", "dative", "oprd", "attr", "acomp"})
"""Dependents of a cue that say what it reports ("promising lower taxes", "accused him of
having a “penchant for sexism”", "told voters to “go to your place and vote”")."""


def _complement(cue: Token, child: Token) -> bool:
    """Whether a dependent of a cue says what it reports: a clause, an object, or (for a speech
    act) a phrase with one of ``_OBJECT_PREPOSITIONS``."""
    if child.dep_ == "prep":
        return _lemma(cue) in OBJECT_LEMMAS and child.lower_ in _OBJECT_PREPOSITIONS
    return child.dep_ in _COMPLEMENTS


def quote_complement(
    cue: Token, quoted: Sequence[tuple[int, int]], base: int
) -> tuple[int, int] | None:
    """Token range of the cue's complements on the side of the first quote it takes, when that
    quote sits inside one of them: "accused him of having a “penchant for sexism”" -> "him of
    having a “penchant for sexism”"."""
    if not quoted:
        return None
    doc = cue.doc
    start = quoted[0][0]
    tok = next((t for t in doc if base + t.idx > start and not t.is_punct), None)
    if tok is None:
        return None
    while tok.head.i != cue.i and tok.head.i != tok.i:
        tok = tok.head
    if tok.head.i != cue.i or tok.i == cue.i or not _complement(cue, tok):
        return None
    # the complement the quote is in, with the object beside it ("called them “boring”",
    # "accused him of “X”"), not a phrase of time or place ("said on Twitter, “...”")
    side = [c for c in (cue.rights if tok.i > cue.i else cue.lefts)
            if c.i == tok.i or c.dep_ in ("dobj", "dative", "oprd")]
    left = min(c.left_edge.i for c in side)
    right = max(c.right_edge.i for c in side) + 1
    while left < right and ((doc[left].lower_ == "that" and doc[left].dep_ == "mark")
                            or (doc[left].is_punct and doc[left].text not in QUOTE_MARKS)):
        left += 1
    while right > left and doc[right - 1].is_punct and doc[right - 1].text not in QUOTE_MARKS:
        right -= 1
    return (left, right) if right > left else None


def within(text: str, quote: tuple[int, int], clause: tuple[int, int]) -> bool:
    """Whether a quoted passage's words lie inside a clause (its final stop may lie outside)."""
    start, end = trim_quote(text, *quote)
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    return clause[0] <= start and end <= clause[1]


def words_outside(
    cue: Token, clause: tuple[int, int], base: int, quotes: Sequence[tuple[int, int]]
) -> bool:
    """Whether the clause has a word outside quote marks and outside the cue's own phrase
    ("“X,” he said, “Y”" is two quotes, not a clause with quotes inside)."""
    # the cue's phrase counts only where it interrupts the clause
    own = {t.i for t in cue.subtree} if clause[0] <= cue.i < clause[1] else set()
    return any(not t.is_punct and t.i not in own and not inside(base + t.idx, quotes)
               for t in cue.doc[clause[0] : clause[1]])


def is_title(text: str) -> bool:
    """Every word but the small ones capitalised: the title of a work, not a quote
    (textacy's rule for direct quotations)."""
    words = [w for w in re.findall(r"[A-Za-z][\w’'-]*", text)
             if w.lower() not in stop_words()]
    return len(words) >= 2 and all(w[0].isupper() for w in words)


_NAMES_BEFORE = re.compile(
    r"\b(?:titled|entitled|headlined|dubbed|named|nicknamed|billed as|known as|called|show|"
    r"series|film|movie|book|memoir|song|album|episode|program|programme|documentary|article|"
    r"column|op-ed|essay|headline|play|novel|podcast|poem|hashtag|website|magazine|newsletter|"
    r"exhibit|exhibition|video)\s*$"
)
"""Words right before quote marks that enclose a name, not someone's words: 'a memo titled',
'the TV show', 'his book'."""
_SAYS_CALLED = re.compile(r"\b(?:he|she|they|it|we|i|you|what|which|who)\s+called\s*$", re.I)
"""'what he called “a brazen breach”': someone's words after all."""


def names_a_work_or_gloss(text: str, start: int) -> bool:
    """Whether the quote marks at ``start`` enclose a name rather than someone's words: the
    title of a show, book or article ('the TV show “Cake Boss”', 'a memo titled “...”', 'a
    group called “We The People”') or a gloss ('“frijoleros” (“beaners”)')."""
    before = text[max(0, start - 40) : start].rstrip()
    if before.endswith("(") and before[:-1].rstrip()[-1:] in QUOTE_CHARS:
        return True  # a gloss: “frijoleros” (“beaners”)
    return _NAMES_BEFORE.search(before) is not None and _SAYS_CALLED.search(before) is None


def quote_denies(doc: Doc, base: int, start: int, end: int, text: str) -> bool:
    toks = [t for t in doc if start <= base + t.idx < end]
    if toks and base + toks[-1].idx + len(toks[-1]) >= end - 1:
        return negated(doc, toks[0].i, toks[-1].i + 1)
    return NEGATION.search(text[start:end]) is not None or DISMISSAL.search(
        text[start:end]) is not None
