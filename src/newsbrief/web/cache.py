"""A small LRU cache of rendered briefs, computed once per story even under concurrent requests.

A brief takes about a second to compute; the page and its JSON are then a few
kilobytes that never change until the story's articles do. So an entry remembers
the articles it was made from and is used only while the store still gives the
same ones. Asking the store costs a trip to a worker thread, which under load
costs more than sending the page, so an entry is trusted without asking for
``fresh_seconds`` after each check: a story that gains an article shows it that
much later.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool

from newsbrief.errors import SettingsError
from newsbrief.model import Article

__all__ = ["BriefCache", "RenderedBrief"]


@dataclass(slots=True)
class RenderedBrief:
    """A story's brief, rendered once as a page and as JSON."""

    articles: tuple[Article, ...]
    html: bytes
    json: bytes
    checked: float = field(default_factory=time.monotonic)
    """When the store last confirmed ``articles`` (``time.monotonic``)."""


class BriefCache:
    """LRU of ``RenderedBrief`` by story id, with one computation in flight per story."""

    def __init__(self, size: int, fresh_seconds: float = 2.0) -> None:
        if size < 1:
            raise SettingsError(f"cache size must be at least 1, got {size}")
        if fresh_seconds < 0:
            raise SettingsError(f"fresh_seconds must not be negative, got {fresh_seconds}")
        self.size = size
        self.fresh_seconds = fresh_seconds
        self._entries: OrderedDict[str, RenderedBrief] = OrderedDict()
        self._pending: dict[str, tuple[tuple[Article, ...], asyncio.Task[RenderedBrief]]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    async def get(
        self,
        story_id: str,
        load: Callable[[], Awaitable[tuple[Article, ...]]],
        make: Callable[[tuple[Article, ...]], RenderedBrief],
    ) -> RenderedBrief:
        """The brief of ``story_id``: cached while ``load()`` gives the same articles.

        ``load`` fetches the story's articles (and raises for an unknown story); ``make``
        briefs and renders them in a worker thread. Concurrent callers for the same
        articles wait for one computation instead of starting their own.
        """
        entry = self._entries.get(story_id)
        if entry is not None and time.monotonic() - entry.checked < self.fresh_seconds:
            self._entries.move_to_end(story_id)
            return entry
        articles = await load()
        if entry is not None and entry.articles == articles:
            entry.checked = time.monotonic()
            self._entries.move_to_end(story_id)
            return entry
        pending = self._pending.get(story_id)
        if pending is None or pending[0] != articles:
            task = asyncio.ensure_future(run_in_threadpool(make, articles))
            self._pending[story_id] = (articles, task)
            task.add_done_callback(lambda done: self._finish(story_id, done))
        else:
            task = pending[1]
        # shield: a client that goes away must not cancel the work others wait for.
        return await asyncio.shield(task)

    def _finish(self, story_id: str, task: asyncio.Task[RenderedBrief]) -> None:
        pending = self._pending.get(story_id)
        if pending is not None and pending[1] is task:
            del self._pending[story_id]
        if task.cancelled() or task.exception() is not None:
            return  # every waiter has seen the error; the next request tries again
        self._entries[story_id] = task.result()
        self._entries.move_to_end(story_id)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
