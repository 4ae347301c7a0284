"""What every renderer needs: source numbers and the copy relation in words."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from newsbrief.model import Brief, FactConflict, Support


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


# -- what is new: update briefs (newsbrief.update) ----------------------------


def update_heading(brief: Brief) -> str | None:
    """"New since 2026-11-28 02:30 UTC" for an update brief ("New articles" when it has no
    time); None for a whole brief."""
    u = brief.update
    if u is None:
        return None
    if u.since is None:
        return "New articles"
    return f"New since {u.since.strftime('%Y-%m-%d %H:%M')} UTC"


def update_line(brief: Brief) -> str | None:
    """What the update rests on: "2 new articles (new sources: Reuters), 5 read before";
    None for a whole brief."""
    u = brief.update
    if u is None:
        return None
    n = len(u.new_articles)
    line = f"{n} new article{'s' if n != 1 else ''}"
    if u.new_sources:
        line += f" (new sources: {', '.join(u.new_sources)})"
    if u.earlier_articles:
        line += f", {len(u.earlier_articles)} read before (not cited)"
    return line


def changed_figures(brief: Brief) -> list[FactConflict]:
    """The figures an update changes: reported differently by a new and an earlier article."""
    u = brief.update
    if u is None or not u.earlier_articles:
        return []
    new, old = set(u.new_articles), set(u.earlier_articles)
    return [c for c in brief.conflicts
            if new.intersection(c.article_ids) and old.intersection(c.article_ids)]
