"""Copies: the brief's copy finder, the one MinHash it shares with the store, and the
store's copy lookup judging as the brief does."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from newsbrief.clean import clean_all
from newsbrief.copies import find_copies
from newsbrief.ingest import ingest_articles
from newsbrief.minhash import BANDS, NUM_PERM, band_keys, shingles, signatures, similar_pairs
from newsbrief.model import Article
from newsbrief.settings import COPY_THRESHOLD
from newsbrief.store import MemoryStore, open_store
from newsbrief.story_features import content_hash

WIRE = (
    "The central bank raised interest rates by half a percentage point on Thursday, its "
    "largest increase in two decades, as it tries to cool inflation that is running at a "
    "forty year high.\n"
    "Officials signalled that further increases were likely at coming meetings, and said "
    "the labour market remained strong despite signs of slowing growth in housing.\n"
    "Markets rallied after the announcement, with the main index closing two percent higher."
)

PINNED_KEYS = [-3415886163178691784, -4158389016332478712, 5217558361149277107]
"""The first three band keys of ``WIRE``'s signature, as stores written so far hold them."""


def test_repost_is_a_copy_of_the_original(seed_brief) -> None:  # type: ignore[no-untyped-def]
    relations = {(s.copy_id, s.original_id) for s in seed_brief.syndication}
    assert ("a1", "a0") in relations
    assert sum(1 for c in seed_brief.copies if c.copy_id == "a1" and c.original_id == "a0") >= 4
    assert seed_brief.distinct_sources == 4


def test_near_duplicate_with_edits_is_found_and_direction_is_right() -> None:
    edited = WIRE.replace("on Thursday", "on Thursday afternoon").replace("two percent", "2%")
    repost = edited.split("\n")[0] + "\n" + edited.split("\n")[1]
    arts = clean_all([
        Article("a0", "Wire", "w", WIRE),
        Article("a1", "Blog", "b", repost),
        Article("a2", "Other", "o", "A completely different story about football results and "
                "the transfer window, which closes at midnight on Friday."),
    ])
    copies, syndication = find_copies(arts)
    assert syndication and syndication[0].copy_id == "a1" and syndication[0].original_id == "a0"
    assert all(c.copy_id == "a1" for c in copies)
    assert not any("a2" in (c.copy_id, c.original_id) for c in copies)


def test_unrelated_articles_have_no_copies() -> None:
    arts = clean_all([
        Article("a0", "A", "a", WIRE),
        Article("a1", "B", "b", "The city council voted on Monday to build a new bridge across "
                "the river, a project expected to cost three hundred million dollars."),
    ])
    assert find_copies(arts) == ([], [])


def test_the_same_quote_in_two_outlets_is_not_a_copy() -> None:
    quote = (
        "“I think if there’s a way that we can combat ISIS with any country, whether it’s Russia "
        "or anyone else, and we have a shared national interest in that, sure, we’ll take it,”"
    )
    arts = clean_all([
        Article("a0", "A", "a", f"{quote} the press secretary told reporters on Monday."),
        Article("a1", "B", "b", f"Asked about Moscow on Monday, Spicer said: {quote}"),
    ])
    assert find_copies(arts) == ([], [])


# -- one MinHash, for the brief and the store ------------------------------------------


def _datasketch() -> Any:
    """datasketch 2.0 or later, whose default MinHash (``affine32``) ours reproduces."""
    datasketch = pytest.importorskip("datasketch")
    if not hasattr(datasketch.MinHash(num_perm=1), "scheme"):
        pytest.skip("datasketch before 2.0 has no affine32 scheme to compare with")
    return datasketch


def test_signatures_are_datasketchs_minhash() -> None:
    """The brief's similarities (and so its output) stay what datasketch gave."""
    datasketch = _datasketch()
    texts = [WIRE, WIRE.replace("Thursday", "Friday"), "two words", ""]
    sets = [shingles(t) for t in texts]
    for set_, row in zip(sets, signatures(sets), strict=True):
        reference = datasketch.MinHash(num_perm=NUM_PERM, scheme="affine32")
        reference.update_batch(set_)
        assert row.tolist() == reference.hashvalues.tolist()


def test_band_keys_are_fixed() -> None:
    """Stores keep band keys on disk: the same signature must give the same keys forever."""
    (sig,) = signatures([shingles(WIRE)])
    keys = band_keys(sig[None, :])
    assert keys.shape == (1, BANDS) and keys.dtype == np.int64
    assert keys[0, :3].tolist() == PINNED_KEYS
    other = sig.copy()
    other[0] += 1  # a value of the first band changes: only that band's key does
    moved = band_keys(other[None, :])[0] != keys[0]
    assert moved.tolist() == [True] + [False] * (BANDS - 1)


def test_lsh_finds_what_datasketchs_lsh_finds() -> None:
    datasketch = _datasketch()
    base = WIRE.split()
    texts = [" ".join(base[: n] + ["extra"] * (len(base) - n)) for n in range(10, len(base), 4)]
    sigs = signatures(shingles(t) for t in texts)
    lsh = datasketch.MinHashLSH(threshold=COPY_THRESHOLD, num_perm=NUM_PERM)
    hashes = []
    for i, row in enumerate(sigs):
        m = datasketch.MinHash(num_perm=NUM_PERM, hashvalues=row, scheme="affine32")
        lsh.insert(i, m)
        hashes.append(m)
    expected = {
        (i, j) for i, m in enumerate(hashes) for j in lsh.query(m)
        if j > i and m.jaccard(hashes[j]) >= COPY_THRESHOLD
    }
    assert expected
    assert {(i, j) for i, j, _ in similar_pairs(sigs, COPY_THRESHOLD)} == expected


def _repost() -> str:
    edited = WIRE.replace("on Thursday", "on Thursday afternoon")
    lines = edited.split("\n")
    return "\n".join([*lines[:2], "Sign up for our newsletter to get the day's top stories "
                      "delivered to your inbox every morning before work."])


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
@pytest.mark.parametrize("order", ["together", "original first", "repost first"])
def test_the_store_finds_a_partial_repost_as_the_brief_does(
    kind: str, order: str, tmp_path: Path
) -> None:
    original = Article("", "Wire", "wire.txt", WIRE)
    repost = Article("", "Blog", "blog.txt", _repost())
    _, syndication = find_copies(clean_all([replace(original, id="a0"),
                                            replace(repost, id="a1")]))
    assert [(s.copy_id, s.original_id) for s in syndication] == [("a1", "a0")]

    store = open_store(tmp_path / "s.db") if kind == "sqlite" else MemoryStore()
    with store:
        if order == "together":
            reports = [ingest_articles(store, [original, repost])]
        else:
            first, second = (original, repost) if order == "original first" else (repost, original)
            reports = [ingest_articles(store, [first]), ingest_articles(store, [second])]
        assert reports[-1].copies == 1 and sum(r.copies for r in reports) == 1
        found = store.story_of([content_hash(WIRE), content_hash(repost.text)])
        assert len(set(found.values())) == 1
    if kind == "sqlite":
        with sqlite3.connect(tmp_path / "s.db") as conn:
            rows = dict(conn.execute(
                "SELECT a.origin, o.origin FROM article a JOIN article o ON o.id = a.copy_of"
            ).fetchall())
        assert rows == {"blog.txt": "wire.txt"}  # the re-post is the copy, whatever came first
