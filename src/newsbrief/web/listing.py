"""The stories list as a reader wants it, and a story's downloads (issue 14).

* ``story_list``: rows sorted by newest, largest or most sources (``?sort=``), only
  stories with at least ``?min_sources=`` sources, each with its headline, lede, outlets'
  names (the ``--sources`` table's, ``outlets.OutletTable``) and update time; and how many
  stories the filter hides.
* ``DOWNLOADS``, ``split_download``: ``/stories/{id}.md``, ``.json``, ``.html`` (or
  ``?format=``), with their media types and file names.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from newsbrief.errors import SettingsError
from newsbrief.model import Article
from newsbrief.outlets import OutletTable
from newsbrief.web.views import StoryRow

__all__ = ["DEFAULT_MIN_SOURCES", "DOWNLOADS", "SORTS", "ListStore", "StoryList",
           "coverage_line", "outlet_table", "split_download", "story_list"]

SORTS = {"newest": "recent", "size": "size", "sources": "sources"}
"""``?sort=`` values and the store's ``order`` for each."""
DEFAULT_MIN_SOURCES = 2
"""The home page lists stories from at least this many sources unless asked otherwise."""

DOWNLOADS = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "html": "text/html; charset=utf-8",
}
"""Download formats of a story's brief, by suffix, with their media types."""


class ListStore(Protocol):
    """What the list reads of the store (``newsbrief.store.Store`` has it; its ``outlets``
    too, which a store may lack: ``outlet_table``)."""

    def stories(self, limit: int = 50, offset: int = 0, query: str | None = None,
                order: str = "size", min_sources: int = 0) -> Sequence[Any]: ...

    def count_stories(self, query: str | None = None, min_sources: int = 0) -> int: ...

    def story_sources(self, story_ids: Any) -> dict[int, list[tuple[str, str | None]]]: ...


@dataclass(frozen=True, slots=True)
class StoryList:
    """One page of the list and what its filter leaves out."""

    rows: list[StoryRow]
    hidden: int
    """Stories the ``min_sources`` filter hides (0 when it hides none)."""
    sort: str
    min_sources: int


def order_of(sort: str) -> str:
    """The store's order for a ``?sort=`` value; ``SettingsError`` naming the choices."""
    if sort not in SORTS:
        raise SettingsError(f"sort must be one of {', '.join(SORTS)}, got {sort!r}")
    return SORTS[sort]


def story_list(
    store: ListStore, limit: int, offset: int, query: str | None, sort: str = "newest",
    min_sources: int = 1, count_hidden: bool = True,
) -> StoryList:
    """A page of rows (see the module docstring)."""
    infos = store.stories(limit=limit, offset=offset, query=query, order=order_of(sort),
                          min_sources=min_sources)
    table = outlet_table(store)
    sources = store.story_sources([info.id for info in infos])
    rows = [
        StoryRow(
            id=str(info.id),
            label=info.headline or info.label or f"Story {info.id}",
            terms=info.label if info.headline else "",
            articles=info.size,
            sources=info.sources,
            first=info.first,
            last=info.last,
            lede=info.lede or "",
            outlets=tuple(table.names(sources.get(info.id, []))),
            updated=info.updated,
            coverage=table.coverage(sources.get(info.id, [])) if len(table) else "",
        )
        for info in infos
    ]
    hidden = 0
    if count_hidden and min_sources > 1:
        hidden = store.count_stories(query) - store.count_stories(query, min_sources)
    return StoryList(rows, hidden, sort, min_sources)


def outlet_table(store: Any) -> OutletTable:
    """The store's sources table; empty for a store that keeps none (a test's stub)."""
    outlets = getattr(store, "outlets", None)
    return OutletTable(outlets() if callable(outlets) else ())


def coverage_line(store: Any, articles: Sequence[Article]) -> str:
    """A story page's coverage by kind of outlet; "" when no sources table was given."""
    table = outlet_table(store)
    return table.coverage([(a.source, a.url) for a in articles]) if len(table) else ""


def split_download(story_id: str, fmt: str | None) -> tuple[str, str | None]:
    """(story id, download format or None) of ``/stories/{story_id}?format=fmt``:
    ``3.md`` is story 3 as Markdown. ``SettingsError`` for a format not in ``DOWNLOADS``."""
    stem, dot, suffix = story_id.rpartition(".")
    if dot and suffix in DOWNLOADS:
        story_id, fmt = stem, fmt or suffix
    if fmt is not None and fmt not in DOWNLOADS:
        raise SettingsError(f"format must be one of {', '.join(DOWNLOADS)}, got {fmt!r}")
    return story_id, fmt
