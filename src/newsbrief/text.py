"""Shared text helpers: words, stems, stop words, overlap, union-find. No stage logic.

Every stage that needs one of these ideas takes it from here, so that "a word" or "the
same group" means one thing across the brief. The module is cheap to import (``re``
only); scikit-learn's stop-word list and the stemmer load on first use.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from functools import cache
from typing import Generic, TypeVar

__all__ = [
    "LETTER_WORD",
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

H = TypeVar("H", bound=Hashable)


def words(text: str) -> list[str]:
    """The ``WORD`` tokens of ``text``, lower-cased."""
    return WORD.findall(text.lower())


@cache
def stop_words() -> frozenset[str]:
    """scikit-learn's English stop-word list (loaded on first use: sklearn is slow to import)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


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
