"""One MinHash, for the brief's copy finder and the store's copy lookup alike.

A text is a set of *shingles* (``shingles``: its word 3-grams), a set is a
*signature* of ``NUM_PERM`` minimum hash values (``signatures``), and the share of
equal values estimates the Jaccard similarity of two sets (``jaccard``). Locality
sensitive hashing finds the pairs worth comparing without comparing all pairs: a
signature is cut into ``BANDS`` bands of ``ROWS`` values, each band is hashed to one
64-bit key (``band_keys``), and two signatures are candidates when any band key is
the same (``similar_pairs`` within one set of signatures; the store keeps the keys in
an indexed table to look copies up among everything stored).

The values are exactly those of datasketch's ``MinHash(num_perm=64)`` (its default
``affine32`` scheme, seed 1: SHA-1 of each shingle, the MurmurHash3 finalizer, then
``a*h + b mod 2**32``), computed here with numpy for many sets at once: the store
needs a signature per paragraph of every article it ingests, and the copy finder's
similarities (and so the brief's output) stay what they were with datasketch. The
definitions are fixed here rather than taken from the installed datasketch because
stores keep band keys on disk: a library upgrade that changed its defaults (as
datasketch 2.0 did) must not silently invalidate them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from hashlib import sha1
from typing import TYPE_CHECKING

from newsbrief.text import WORD

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "BANDS",
    "NUM_PERM",
    "ROWS",
    "SHINGLE_WORDS",
    "band_keys",
    "jaccard",
    "shingles",
    "signatures",
    "similar_pairs",
]

NUM_PERM = 64
"""Hash values per signature: the estimate's standard error is at most 1/16 (0.0625)."""
BANDS, ROWS = 14, 4
"""LSH bands of rows: what datasketch's ``MinHashLSH`` chooses for a Jaccard threshold of
0.5 with 64 permutations (false positives and negatives weighed equally). Two passages
at Jaccard 0.5 become candidates with probability 0.6, at 0.7 with 0.98."""
SHINGLE_WORDS = 3
"""Words per shingle: three-word phrases repeat across texts only when copied."""
_SEED = 1
"""datasketch's default seed for its permutations."""
_CHUNK = 4096
"""Shingles permuted at once: a 1 MiB block, which stays in the CPU cache."""


def shingles(text: str) -> list[bytes]:
    """The word 3-grams of ``text`` (``text.WORD`` tokens, case-folded), as bytes; a text
    of fewer than three words is one shingle of all its words. A repeated 3-gram is
    listed again: a signature is a minimum, so repeats change nothing (and cost less
    than making a set)."""
    words = [w.casefold() for w in WORD.findall(text)]
    if len(words) < SHINGLE_WORDS:
        return [" ".join(words).encode()]
    runs = zip(*(words[k:] for k in range(SHINGLE_WORDS)), strict=False)
    return [" ".join(run).encode() for run in runs]


def _permutations() -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    gen = np.random.RandomState(_SEED)  # datasketch's generator, for the same values
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


_PERM: tuple[np.ndarray, np.ndarray] | None = None


def _fmix32(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 32-bit finalizer (a bijection that spreads the bits), on an array."""
    import numpy as np

    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return np.asarray(h ^ (h >> np.uint32(16)), dtype=np.uint32)


def signatures(sets: Iterable[Iterable[bytes]]) -> np.ndarray:
    """The MinHash signature of each set of shingles: a ``(len(sets), NUM_PERM)`` uint32
    array, row for row equal to datasketch's ``MinHash(num_perm=64).update_batch(set)``
    (an empty set gives all ``2**32 - 1``)."""
    import numpy as np

    global _PERM
    if _PERM is None:
        _PERM = _permutations()
    a, b = _PERM
    digests: list[bytes] = []
    starts: list[int] = []
    for items in sets:
        starts.append(len(digests))
        digests.extend([sha1(s).digest()[:4] for s in items])
    out = np.full((len(starts), NUM_PERM), np.iinfo(np.uint32).max, dtype=np.uint32)
    if not digests:
        return out
    h = _fmix32(np.frombuffer(b"".join(digests), dtype="<u4").astype(np.uint32))
    owner = np.repeat(np.arange(len(starts)), np.diff([*starts, len(digests)]))
    for lo in range(0, len(h), _CHUNK):
        part = np.multiply.outer(h[lo : lo + _CHUNK], a)  # uint32: wraps mod 2**32
        part += b
        rows = owner[lo : lo + _CHUNK]
        first = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
        idx = rows[first]
        out[idx] = np.minimum(out[idx], np.minimum.reduceat(part, first, axis=0))
    return out


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures: the share of equal values."""
    import numpy as np

    return float(np.count_nonzero(a == b)) / len(a)


# SplitMix64's constants (Steele, Lea and Flood 2014): a fast 64-bit mix with no known bias.
_MIX1 = 0xBF58476D1CE4E5B9
_MIX2 = 0x94D049BB133111EB
_GOLDEN = 0x9E3779B97F4A7C15


def _mix64(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finalizer on a uint64 array (wrapping arithmetic)."""
    import numpy as np

    x = (x ^ (x >> np.uint64(30))) * np.uint64(_MIX1)
    x = (x ^ (x >> np.uint64(27))) * np.uint64(_MIX2)
    return np.asarray(x ^ (x >> np.uint64(31)), dtype=np.uint64)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """LSH band keys of signatures: a ``(n, BANDS)`` int64 array; two signatures share a
    key in band ``k`` exactly when their ``ROWS`` values in that band are equal (up to a
    64-bit hash collision). The store keeps these keys: changing this function means a
    new store schema."""
    import numpy as np

    sigs = np.asarray(sigs, dtype=np.uint32).reshape(-1, NUM_PERM)
    rows = sigs[:, : BANDS * ROWS].astype(np.uint64).reshape(len(sigs), BANDS, ROWS)
    key = np.broadcast_to(
        (np.arange(BANDS, dtype=np.uint64) + np.uint64(1)) * np.uint64(_GOLDEN),
        (len(sigs), BANDS),
    ).copy()
    for r in range(0, ROWS, 2):  # two 32-bit values per 64-bit word
        word = (rows[:, :, r] << np.uint64(32)) | rows[:, :, r + 1]
        key = _mix64(key ^ word)
    return key.view(np.int64)


def similar_pairs(
    sigs: np.ndarray, threshold: float, owner: Sequence[int] | None = None,
    keys: np.ndarray | None = None,
) -> list[tuple[int, int, float]]:
    """Pairs ``(i, j, jaccard)``, ``i < j``, of signatures that share an LSH band and are
    at least ``threshold`` alike; with ``owner`` (one label per signature), only pairs of
    signatures with different owners; ``keys``: their ``band_keys`` when known.
    Ascending ``(i, j)``."""
    import numpy as np

    flat = (band_keys(sigs) if keys is None else keys).ravel()
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    starts = np.r_[0, np.flatnonzero(np.diff(ordered)) + 1]
    ends = np.r_[starts[1:], len(ordered)]
    found: set[tuple[int, int]] = set()
    for k in np.flatnonzero(ends - starts >= 2).tolist():  # buckets of two or more
        members = sorted(set((order[starts[k] : ends[k]] // BANDS).tolist()))
        for x, i in enumerate(members):
            for j in members[x + 1 :]:
                if owner is None or owner[i] != owner[j]:
                    found.add((i, j))
    out: list[tuple[int, int, float]] = []
    for i, j in sorted(found):
        sim = jaccard(sigs[i], sigs[j])
        if sim >= threshold:
            out.append((i, j, sim))
    return out
