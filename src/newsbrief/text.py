"""Shared text helpers: words, stems, stop words, overlap, union-find. No stage logic.

Every stage that needs one of these ideas takes it from here, so that "a word" or "the
same group" means one thing across the brief. The module is cheap to import (``re``
only); the stemmer loads on first use.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from functools import cache
from typing import Generic, TypeVar

__all__ = [
    "LETTER_WORD",
    "NEGATORS",
    "TERM",
    "WORD",
    "UnionFind",
    "containment",
    "stem",
    "stemmed_terms",
    "stop_words",
    "words",
]

WORD = re.compile(r"\w+", re.UNICODE)
"""Any run of letters, digits or underscores: the shingle unit of copy detection, where
numbers matter ("46 killed" vs "24 killed")."""
TERM = re.compile(r"(?u)\b\w\w+\b")
"""scikit-learn's default token: two or more word characters. The unit of the summary's
TF-IDF features (one-letter tokens carry no topic)."""
LETTER_WORD = re.compile(r"[^\W\d_]+(?:['’.-][^\W\d_]+)*", re.UNICODE)
"""Letters only, with inner apostrophes, dots and hyphens ("O'Neill", "U.S.", "well-known"):
what a reader counts as a word of prose."""

NEGATORS = frozenset({"not", "no", "never", "none", "nothing", "nor", "neither"})
"""Words that negate: "we do not coordinate", "there is no exchange", "but none for
airstrikes"; with the contraction "n't" they are what a negation is, everywhere in newsbrief."""

H = TypeVar("H", bound=Hashable)


def words(text: str) -> list[str]:
    """The ``WORD`` tokens of ``text``, lower-cased."""
    return WORD.findall(text.lower())


# scikit-learn's ENGLISH_STOP_WORDS (sklearn/feature_extraction/_stop_words.py, 1.9.1; from the
# Glasgow Information Retrieval Group's list), copied under scikit-learn's BSD-3-Clause licence
# (c) the scikit-learn developers, because importing scikit-learn costs ~0.7 s of every cold
# start. tests/test_vectors.py checks that it equals scikit-learn's list.
_STOP_WORD_TEXT = """
    a about above across after afterwards again against all almost alone along already also
    although always am among amongst amoungst amount an and another any anyhow anyone anything
    anyway anywhere are around as at back be became because become becomes becoming been before
    beforehand behind being below beside besides between beyond bill both bottom but by call
    can cannot cant co con could couldnt cry de describe detail do done down due during each eg
    eight either eleven else elsewhere empty enough etc even ever every everyone everything
    everywhere except few fifteen fifty fill find fire first five for former formerly forty
    found four from front full further get give go had has hasnt have he hence her here
    hereafter hereby herein hereupon hers herself him himself his how however hundred i ie if
    in inc indeed interest into is it its itself keep last latter latterly least less ltd made
    many may me meanwhile might mill mine more moreover most mostly move much must my myself
    name namely neither never nevertheless next nine no nobody none noone nor not nothing now
    nowhere of off often on once one only onto or other others otherwise our ours ourselves out
    over own part per perhaps please put rather re same see seem seemed seeming seems serious
    several she should show side since sincere six sixty so some somehow someone something
    sometime sometimes somewhere still such system take ten than that the their them themselves
    then thence there thereafter thereby therefore therein thereupon these they thick thin
    third this those though three through throughout thru thus to together too top toward
    towards twelve twenty two un under until up upon us very via was we well were what whatever
    when whence whenever where whereafter whereas whereby wherein whereupon wherever whether
    which while whither who whoever whole whom whose why will with within without would yet you
    your yours yourself yourselves
"""
_ENGLISH_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())


def stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list (318 words; a copy, see ``_ENGLISH_STOP_WORDS``)."""
    return _ENGLISH_STOP_WORDS


@cache
def _stemmer() -> object:
    import Stemmer  # PyStemmer: the Snowball project's C stemmer, with a bounded word cache

    return Stemmer.Stemmer("english")


def stem(word: str) -> str:
    """The Snowball (Porter2) English stem of one lower-case word."""
    return str(_stemmer().stemWord(word))  # type: ignore[attr-defined]


def stemmed_terms(text: str) -> list[str]:
    """Lower-cased Snowball stems of the ``TERM`` tokens of ``text`` that are not stop words."""
    stop = stop_words()
    return [stem(w) for w in TERM.findall(text.lower()) if w not in stop]


def containment(a: set[str], b: set[str]) -> float:
    """Share of the smaller set found in the other: 1.0 when one is inside the other."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


class UnionFind(Generic[H]):
    """Disjoint sets over hashable items (path halving), for "these belong together".

    ``union(x, y)`` puts ``x``'s set under ``y``'s root; ``groups()`` lists the sets in the
    order their first member was added, each in that order too.
    """

    def __init__(self, items: Iterable[H] = ()) -> None:
        self._parent: dict[H, H] = {}
        for item in items:
            self.add(item)

    def add(self, item: H) -> None:
        """Add ``item`` as a set of its own (nothing happens if it is known)."""
        self._parent.setdefault(item, item)

    def find(self, item: H) -> H:
        """The root of ``item``'s set (``item`` is added if unknown)."""
        parent = self._parent
        parent.setdefault(item, item)
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, x: H, y: H) -> None:
        """Join the sets of ``x`` and ``y``."""
        self._parent[self.find(x)] = self.find(y)

    def groups(self) -> list[list[H]]:
        """Every set, in the order of first addition."""
        out: dict[H, list[H]] = {}
        for item in list(self._parent):
            out.setdefault(self.find(item), []).append(item)
        return list(out.values())


SPELLING_RATIO = 0.8
"""Least similarity (difflib's ratio) of two spellings of one name."""


def spelled_alike(a: str, b: str) -> bool:
    """Two spellings of one name: different words of four letters or more, with the same
    first letter, at least ``SPELLING_RATIO`` alike ("Gaines"/"Gains", "Frenkel"/"Frankel";
    not "Kerry"/"Kelly"). Quote speakers and disagreements of fact both use it."""
    from difflib import SequenceMatcher

    a, b = a.casefold(), b.casefold()
    return (a != b and min(len(a), len(b)) >= 4 and a[0] == b[0]
            and SequenceMatcher(None, a, b).ratio() >= SPELLING_RATIO)
