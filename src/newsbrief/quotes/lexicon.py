"""Words of who-said-what: reporting verbs, denials, dismissals, negators, titles, names.

One list of each, read by ``quotes`` (which statements deny) and ``disputes`` (which
denials answer a claim), so that the two stages agree on what a denial is; and the
forms under which two mentions of one speaker meet (``speaker_key``, ``strip_title``).
"""

from __future__ import annotations

import re

__all__ = [
    "CUE_FORMS",
    "CUE_LEMMAS",
    "DENIAL_LEMMAS",
    "DISMISSAL",
    "NEGATION",
    "NEGATORS",
    "PRONOUNS",
    "SPEECH_NOUNS",
    "TITLE",
    "cue_lemma_of",
    "speaker_key",
    "strip_title",
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

DISMISSAL = re.compile(
    r"\b(?:rubbish|nonsense|untrue|false|baseless|groundless|propaganda|fabricat\w*|"
    r"fake|lies?|lying|not true|not possible|no truth|no basis)\b",
    re.I,
)
"""Words that call a claim false: "It's rubbish", "pure propaganda", "That's not possible".
Not "impossible": in news quotes it mostly calls a task hard ("virtually impossible for
anyone to use a gun"); on dev100 it made eight statements in five stories denials."""

NEGATORS = frozenset({"not", "no", "never", "none", "nothing", "nor", "neither"})
"""Words that negate: "we do not coordinate", "there is no exchange", "but none for
airstrikes". With the contraction "n't" these are what ``NEGATION`` finds."""

NEGATION = re.compile(rf"\b(?:{'|'.join(sorted(NEGATORS))})\b|n[’']t\b", re.I)
"""A negation anywhere in a text, where no parse says what it negates."""

PRONOUNS = frozenset({"he", "she", "him", "her"})
"""Pronouns that stand for one person named before."""

SPEECH_NOUNS = frozenset({
    "statement", "email", "e-mail", "interview", "op-ed", "letter", "post", "tweet", "release",
    "remark", "comment", "briefing", "message", "note", "report",
})
"""Speech-act nouns: "issued a statement denying ..." reports the statement's maker."""

TITLE = re.compile(r"^(?:Mr|Mrs|Ms|Mx|Dr|Maj|Col|Gen|Lt|Sgt|Capt|Adm|Cmdr|Sen|Rep|Gov|Prof)\.?$")
"""A courtesy or rank title before a name, dropped from the name."""

_IRREGULAR = {"say": ("said",), "tell": ("told",), "write": ("wrote", "written")}


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

CUE_FORMS = frozenset(_LEMMA_OF) | {"according"}
"""Word forms of the cue verbs, lower case; "according" stands for "according to". A set
lookup per word is ten times faster than one regex alternation of four hundred forms."""


def cue_lemma_of(word: str) -> str:
    """A cue verb's lemma from its lower-cased form ("told" -> "tell"); other words unchanged."""
    return _LEMMA_OF.get(word, word)


def strip_title(words: list[str]) -> list[str]:
    """The words of a name without the titles before it and a possessive "'s" after it."""
    while words and TITLE.match(words[0]):
        words = words[1:]
    if words and words[-1] in ("’s", "'s"):
        words = words[:-1]
    return words


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
