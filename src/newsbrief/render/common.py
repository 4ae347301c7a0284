"""What every renderer needs: source numbers and the copy relation in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsbrief.model import Brief, Support


def source_numbers(brief: Brief) -> dict[str, int]:
    """Citation number of each article: 1, 2, ... in input order."""
    return {a.id: i + 1 for i, a in enumerate(brief.articles)}


def copy_of(brief: Brief) -> dict[str, tuple[str, float]]:
    """Article id -> (id of the article it is a copy of, share of its words copied)."""
    return {s.copy_id: (s.original_id, s.share) for s in brief.syndication}


def copied_passages(brief: Brief) -> dict[tuple[str, str], int]:
    """(copy id, original id) -> number of passages copied."""
    counts: dict[tuple[str, str], int] = {}
    for c in brief.copies:
        key = (c.copy_id, c.original_id)
        counts[key] = counts.get(key, 0) + 1
    return counts


def in_number_order(support: Sequence[Support], num: Mapping[str, int]) -> list[Support]:
    """Citations in the order of the sources' numbers ([1][2][4]), not of their closeness."""
    return sorted(support, key=lambda c: num.get(c.article_id, 0))
