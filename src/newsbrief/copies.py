"""Find copies: passages and whole articles that repeat another article's text.

Each kept paragraph with eight or more words of its own (quotations left out:
the same quote in two outlets is not a copy) becomes a *passage*: a MinHash of its
word 3-grams (``newsbrief.minhash``); LSH bands find candidate pairs in other
articles without comparing all pairs. For each pair of articles that share passages, the
one whose text is more fully covered by the other is the copy (a re-post is
mostly the wire story; the wire story is only partly the re-post); on a tie,
the later published, else the later given. An article whose words are mostly
in copied passages is *syndicated* from the other and counts as one source
with it.

The store's copy lookup (``newsbrief.stories``) judges an ingested article against
the stored ones with the same passages and the same rule (``judge``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsbrief.errors import SettingsError
from newsbrief.minhash import band_keys, jaccard, shingles, signatures, similar_pairs
from newsbrief.model import CleanArticle, Copy, Syndication
from newsbrief.settings import COPY_THRESHOLD, SYNDICATION_SHARE

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MIN_PASSAGE_WORDS",
    "CopyPair",
    "Passages",
    "copy_pairs",
    "find_copies",
    "judge",
    "matches_between",
    "own_words",
    "passages",
]

MIN_PASSAGE_WORDS = 8
"""Words of its own a paragraph needs to be compared: shorter ones (datelines, captions,
"Read more") repeat between unrelated articles by chance."""
TIE_MARGIN = 0.05
"""Shares copied closer than this are a tie: the copy is then the later published
(else the later given), since a wire story and its full re-post cover each other alike."""

_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


def own_words(text: str) -> str:
    """The text without what it quotes: two outlets that print the same quote have not
    copied each other, two that print the same prose around it have."""
    return _QUOTED.sub(" ", text)


@dataclass(frozen=True, slots=True)
class Passages:
    """One article's passages as copy detection compares them."""

    paragraphs: tuple[int, ...]
    """Each passage's index among its article's paragraphs (none where not known: the
    store keeps no paragraphs)."""
    words: tuple[int, ...]
    """Each passage's own words (quotations left out)."""
    signatures: np.ndarray
    """MinHash signatures, one row per passage (uint32, ``minhash.NUM_PERM`` columns)."""
    keys: np.ndarray
    """LSH band keys, one row per passage (int64, ``minhash.BANDS`` columns)."""
    total_words: int
    """Words of the article's whole (cleaned) text."""


def passages(
    articles: Sequence[CleanArticle], min_words: int = MIN_PASSAGE_WORDS
) -> list[Passages]:
    """The passages of each article: its paragraphs with ``min_words`` words of their own
    or more, signed in one MinHash pass over all of them."""
    kept: list[tuple[list[int], list[int]]] = []
    sets: list[list[bytes]] = []
    for article in articles:
        paras: list[int] = []
        counts: list[int] = []
        for pi, para in enumerate(article.paragraphs):
            text = own_words(article.text[para.start : para.end])
            n_words = len(text.split())
            if n_words < min_words:
                continue
            paras.append(pi)
            counts.append(n_words)
            sets.append(shingles(text))
        kept.append((paras, counts))
    sigs = signatures(sets)
    keys = band_keys(sigs)
    out: list[Passages] = []
    start = 0
    for article, (paras, counts) in zip(articles, kept, strict=True):
        end = start + len(paras)
        out.append(Passages(
            paragraphs=tuple(paras), words=tuple(counts), signatures=sigs[start:end],
            keys=keys[start:end], total_words=len(article.text.split()),
        ))
        start += len(paras)
    return out


Match = tuple[int, int, float]
"""(passage of one article, passage of the other, estimated Jaccard)."""


def judge(a: Passages, b: Passages, matches: Sequence[Match], a_later: bool) -> tuple[bool, float]:
    """Of two articles sharing ``matches`` (``a``'s passage first), whether ``a`` is the
    copy, and the copy's share of words in the shared passages. ``a_later``: ``a`` was
    published later (else given later), which decides a tie."""
    covered_a = sum(a.words[p] for p in {p for p, _, _ in matches}) / max(1, a.total_words)
    covered_b = sum(b.words[q] for q in {q for _, q, _ in matches}) / max(1, b.total_words)
    a_is_copy = covered_a > covered_b if abs(covered_a - covered_b) > TIE_MARGIN else a_later
    return a_is_copy, covered_a if a_is_copy else covered_b


@dataclass(frozen=True, slots=True)
class CopyPair:
    """Two articles that share passages: which copies which, and how much."""

    copy: int
    original: int
    share: float
    """The copy's share of words in passages it shares with the original."""
    matches: tuple[Match, ...]
    """(copy's passage, original's passage, similarity), in the first article's order."""


def copy_pairs(
    items: Sequence[Passages], threshold: float, later: Callable[[int, int], bool]
) -> list[CopyPair]:
    """Every pair of articles sharing a passage (Jaccard at least ``threshold`` and one LSH
    band in common), judged; ``later(i, j)``: article ``i`` came after ``j``."""
    import numpy as np

    owner = [i for i, p in enumerate(items) for _ in p.words]
    local = [k for p in items for k in range(len(p.words))]
    if not owner:
        return []
    sigs = np.concatenate([p.signatures for p in items])
    keys = np.concatenate([p.keys for p in items])
    shared: dict[tuple[int, int], list[Match]] = defaultdict(list)
    for x, y, sim in similar_pairs(sigs, threshold, owner, keys):
        shared[(owner[x], owner[y])].append((local[x], local[y], sim))
    out: list[CopyPair] = []
    for (ai, bi), matches in sorted(shared.items()):
        a_is_copy, share = judge(items[ai], items[bi], matches, later(ai, bi))
        if a_is_copy:
            out.append(CopyPair(ai, bi, share, tuple(matches)))
        else:
            out.append(CopyPair(bi, ai, share, tuple((q, p, s) for p, q, s in matches)))
    return out


def matches_between(a: Passages, b: Passages, threshold: float) -> list[Match]:
    """The passages of ``a`` and ``b`` that share an LSH band and are at least ``threshold``
    alike: the pairs ``copy_pairs`` would find between the two."""
    import numpy as np

    if not a.words or not b.words:
        return []
    out: list[Match] = []
    for p, q in zip(*np.nonzero((a.keys[:, None, :] == b.keys[None, :, :]).any(axis=2)),
                    strict=True):
        sim = jaccard(a.signatures[p], b.signatures[q])
        if sim >= threshold:
            out.append((int(p), int(q), sim))
    return out


def find_copies(
    articles: Sequence[CleanArticle],
    threshold: float = COPY_THRESHOLD,
    syndication_share: float = SYNDICATION_SHARE,
    min_words: int = MIN_PASSAGE_WORDS,
) -> tuple[list[Copy], list[Syndication]]:
    """Passages that repeat another article's passage, and articles that are copies as a whole."""
    if not 0 < threshold <= 1:
        raise SettingsError(f"threshold must be in (0, 1], got {threshold}")
    items = passages(articles, min_words)
    order = {a.id: i for i, a in enumerate(articles)}

    def later(i: int, j: int) -> bool:
        a, b = articles[i].article, articles[j].article
        if a.published and b.published:
            return a.published > b.published
        return order[articles[i].id] > order[articles[j].id]

    copies: list[Copy] = []
    syndication: list[Syndication] = []
    for pair in copy_pairs(items, threshold, later):
        copy, original = articles[pair.copy], articles[pair.original]
        c_paras, o_paras = items[pair.copy].paragraphs, items[pair.original].paragraphs
        for cp, op, sim in pair.matches:
            cpara, opara = copy.paragraphs[c_paras[cp]], original.paragraphs[o_paras[op]]
            copies.append(
                Copy(copy.id, cpara.start, cpara.end, original.id, opara.start, opara.end,
                     round(sim, 3))
            )
        if pair.share >= syndication_share:
            syndication.append(Syndication(copy.id, original.id, round(float(pair.share), 3)))
    return copies, syndication

