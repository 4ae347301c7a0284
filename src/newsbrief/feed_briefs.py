"""Atom entries as update briefs (issue 14): what each story's latest batch of articles adds.

An entry's content is the story's update brief (``update.story_update``) since the
arrival before its latest batch, so a reader's feed tool shows what is new; a story all of
whose articles arrived in one batch gets its whole brief. The entry's ``updated`` is the
story's last arrival time.

A brief costs about a second, so only the ``FEED_STORIES`` most recently updated stories
are briefed per feed, and each entry is cached by story id and size (``EntryCache``): a
story is briefed again only when it gains (or loses) articles.

Source names are the outlets table's (``outlets.OutletTable``), never file paths.
"""

from __future__ import annotations

import html
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, cast

from newsbrief.errors import NewsbriefError
from newsbrief.model import Article, Brief
from newsbrief.outlets import OutletTable
from newsbrief.render.common import source_numbers, update_heading, update_line
from newsbrief.settings import Settings
from newsbrief.store import Store, StoryInfo
from newsbrief.update import story_update

__all__ = ["FEED_STORIES", "EntryBrief", "EntryCache", "NamedStore", "brief_fragment",
           "entry_briefs", "entry_times", "named_sources"]

FEED_STORIES = 20
"""Stories a feed briefs: the most recently updated."""


@dataclass(frozen=True, slots=True)
class EntryBrief:
    """One feed entry's content: an HTML fragment of its (update) brief, and its time."""

    updated: datetime
    """The story's last arrival time."""
    html: str
    """The brief as an HTML fragment (escaped; no link: the feed adds the story's)."""
    update: bool
    """True for an update brief, False for a whole brief (a story of one batch)."""


def entry_times(arrivals: Mapping[str, datetime]) -> tuple[datetime | None, datetime | None]:
    """(since, updated): the arrival before the latest batch (None when every article came
    in one batch) and the latest arrival (None for no article)."""
    times = sorted(set(arrivals.values()))
    if not times:
        return None, None
    return (times[-2] if len(times) > 1 else None), times[-1]


def named_sources(articles: Sequence[Article], table: OutletTable) -> list[Article]:
    """The articles with each source shown as its outlet's name (``OutletTable.name_for``)."""
    return [replace(a, source=table.name_for(a.source, a.url)) for a in articles]


def brief_fragment(result: Brief) -> str:
    """The brief as HTML for an Atom ``content``: heading and counts of an update, then each
    summary sentence with its citations, then the numbered sources."""
    parts: list[str] = []
    heading, line = update_heading(result), update_line(result)
    if heading:
        parts.append(f"<p><strong>{html.escape(heading)}</strong></p>")
    if line:
        parts.append(f"<p>{html.escape(line)}</p>")
    number = source_numbers(result)
    if not result.summary:
        parts.append("<p>No new sentence to report.</p>")
    for s in result.summary:
        cites = " ".join(f"[{number[a]}]" for a in s.article_ids if a in number)
        parts.append(f"<p>{html.escape(s.text)} {html.escape(cites)}</p>".replace(" </p>",
                                                                                "</p>"))
    if result.articles:
        items = "".join(
            f"<li>[{number[a.id]}] {html.escape(a.source)}"
            + (f" — {html.escape(a.title)}" if a.title else "") + "</li>"
            for a in result.articles if a.id in number
        )
        parts.append(f"<ul>{items}</ul>")
    return "\n".join(parts)


class EntryCache:
    """A bounded LRU of ``EntryBrief`` by (story id, size, last saved); safe to share
    between threads. The save time is there for corrections: a story that lost one article
    and gained another keeps its size."""

    def __init__(self, size: int = 4 * FEED_STORIES) -> None:
        if size < 1:
            raise ValueError(f"cache size must be at least 1, got {size}")
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[int, int, datetime | None], EntryBrief] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: tuple[int, int, datetime | None]) -> EntryBrief | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: tuple[int, int, datetime | None], entry: EntryBrief) -> None:
        with self._lock:
            self._entries[key] = entry
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)


def _entry(store: Store, info: StoryInfo, settings: Settings, table: OutletTable) -> EntryBrief:
    since, updated = entry_times(store.arrivals(info.id))
    result = story_update(cast(Store, NamedStore(store, table)), info.id, since, settings)
    return EntryBrief(updated or info.last or datetime.fromtimestamp(0, tz=UTC),
                      brief_fragment(result), since is not None)


class NamedStore:
    """A store whose articles carry their outlets' names; every other call goes to the store
    as it is (for ``story_update``, ``pipeline.brief_story`` and the web's update briefs)."""

    def __init__(self, store: Any, table: OutletTable | None = None) -> None:
        self._store = store
        outlets = getattr(store, "outlets", None)
        self._table = table or OutletTable(outlets() if callable(outlets) else ())

    def articles(self, story_id: int | str) -> list[Article]:
        return named_sources(self._store.articles(story_id), self._table)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def entry_briefs(
    store: Store, stories: Sequence[StoryInfo], settings: Settings | None = None,
    cache: EntryCache | None = None,
) -> dict[int, EntryBrief]:
    """The entry content of each story (briefed, or from ``cache``); a story that cannot be
    briefed (no English article, say) gets none and keeps its record summary."""
    settings = settings or Settings()
    table = OutletTable(store.outlets())
    out: dict[int, EntryBrief] = {}
    for info in stories:
        key = (info.id, info.size, info.updated)
        found = cache.get(key) if cache is not None else None
        if found is None:
            try:
                found = _entry(store, info, settings, table)
            except NewsbriefError:
                continue
            if cache is not None:
                cache.put(key, found)
        out[info.id] = found
    return out
