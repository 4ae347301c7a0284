"""A small LRU cache of rendered briefs, computed once per story even under concurrent requests.

A brief takes about a second to compute; the page and its JSON are then a few
kilobytes that never change until the story's articles do. So an entry remembers
the articles it was made from and is used only while the store still gives the
same ones. Asking the store costs a trip to a worker thread, which under load
costs more than sending the page, so an entry is trusted without asking for
``fresh_seconds`` after each check: a story that gains an article shows it that
much later.

A brief that fails is remembered too, for ``failure_seconds``: a story that fails
after minutes of work answers with that failure at once instead of taking a worker
again on every request.

The cache lives on the event loop: only ``make`` runs in a worker thread. Every
change to the entries goes through ``_put`` (remove, insert at the end, evict), so
a request that awaited the store while its entry was evicted puts the entry back
instead of failing on a missing key.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from newsbrief.errors import SettingsError
from newsbrief.model import Article
from newsbrief.web.pool import BriefPool

__all__ = ["BriefCache", "RenderedBrief"]


@dataclass(slots=True)
class RenderedBrief:
    """A story's brief, rendered once as a page and as JSON."""

    articles: tuple[Article, ...]
    html: bytes
    json: bytes
    markdown: bytes = b""
    """The brief as Markdown (issue 14: the story page's downloads)."""
    standalone: bytes = b""
    """The brief as a standalone HTML file (``render.to_html``), for download."""
    checked: float = field(default_factory=time.monotonic)
    """When the store last confirmed ``articles`` (``time.monotonic``)."""
    nbytes: int = field(init=False)
    """What the entry holds: its page, its JSON and its articles' text (about a byte a
    character: news is mostly ASCII)."""

    def __post_init__(self) -> None:
        self.nbytes = (len(self.html) + len(self.json) + len(self.markdown)
                       + len(self.standalone) + sum(len(a.text) for a in self.articles))


@dataclass(frozen=True, slots=True)
class _Failure:
    error: BaseException
    at: float


class BriefCache:
    """LRU of ``RenderedBrief`` by story id, one computation in flight per story, failures kept
    briefly. ``story_id`` must be the parsed id: every spelling of one story is one key.

    At most ``size`` entries and ``max_bytes`` of them (``RenderedBrief.nbytes``), but
    always the newest: a story too large for the budget is still not briefed again for
    each request.
    """

    def __init__(
        self,
        size: int,
        pool: BriefPool,
        fresh_seconds: float = 2.0,
        failure_seconds: float = 60.0,
        max_bytes: int = 256_000_000,
    ) -> None:
        if size < 1 or max_bytes < 1:
            raise SettingsError(f"cache size and bytes must be at least 1, got {size}, "
                                f"{max_bytes}")
        if fresh_seconds < 0 or failure_seconds < 0:
            raise SettingsError(
                f"fresh_seconds and failure_seconds must not be negative, got "
                f"{fresh_seconds}, {failure_seconds}")
        self.size = size
        self.max_bytes = max_bytes
        self._bytes = 0
        self.fresh_seconds = fresh_seconds
        self.failure_seconds = failure_seconds
        self.pool = pool
        self._entries: OrderedDict[str, RenderedBrief] = OrderedDict()
        self._failures: OrderedDict[str, _Failure] = OrderedDict()
        self._pending: dict[str, tuple[tuple[Article, ...], asyncio.Future[RenderedBrief]]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def nbytes(self) -> int:
        """What the entries hold now (``RenderedBrief.nbytes`` summed)."""
        return self._bytes

    async def get(
        self,
        story_id: str,
        load: Callable[[], Awaitable[tuple[Article, ...]]],
        make: Callable[[tuple[Article, ...]], RenderedBrief],
    ) -> RenderedBrief:
        """The brief of ``story_id``: cached while ``load()`` gives the same articles.

        ``load`` fetches the story's articles (and raises for an unknown story); ``make``
        briefs and renders them in one of the pool's workers (``PoolFull`` when none is
        free and the queue is full). Concurrent callers for the same articles wait for
        one computation instead of starting their own; within ``failure_seconds`` of a
        failed computation, callers get its error again.
        """
        now = time.monotonic()
        entry = self._entries.get(story_id)
        if entry is not None and now - entry.checked < self.fresh_seconds:
            self._put(story_id, entry)
            return entry
        failed = self._failures.get(story_id)
        if failed is not None:
            if now - failed.at < self.failure_seconds:
                raise failed.error.with_traceback(None)
            del self._failures[story_id]
        articles = await load()
        if entry is not None and entry.articles == articles:
            entry.checked = time.monotonic()
            self._put(story_id, entry)  # evicted while the store was asked? back it goes
            return entry
        pending = self._pending.get(story_id)
        task: asyncio.Future[RenderedBrief]
        if pending is None or pending[0] != articles:
            slot = self.pool.reserve()  # PoolFull here: nothing started, nothing remembered
            task = asyncio.ensure_future(slot.run(make, articles))
            self._pending[story_id] = (articles, task)
            task.add_done_callback(lambda done: self._finish(story_id, done))
        else:
            task = pending[1]
        # shield: a client that goes away must not cancel the work others wait for.
        return await asyncio.shield(task)

    def stale(self, story_id: str) -> None:
        """Ask the store again on the next ``get`` of this story, without waiting out
        ``fresh_seconds``: its articles were just changed here (a user's correction)."""
        entry = self._entries.get(story_id)
        if entry is not None:
            entry.checked = float("-inf")
        self._failures.pop(story_id, None)

    def _put(self, story_id: str, entry: RenderedBrief) -> None:
        """Insert or refresh an entry as the most recent, then evict the oldest past the limits."""
        old = self._entries.pop(story_id, None)
        if old is not None:
            self._bytes -= old.nbytes
        self._entries[story_id] = entry
        self._bytes += entry.nbytes
        while len(self._entries) > 1 and (
            len(self._entries) > self.size or self._bytes > self.max_bytes
        ):
            _, evicted = self._entries.popitem(last=False)
            self._bytes -= evicted.nbytes

    def _finish(self, story_id: str, task: asyncio.Future[RenderedBrief]) -> None:
        pending = self._pending.get(story_id)
        if pending is not None and pending[1] is task:
            del self._pending[story_id]
        if task.cancelled():
            return
        error = task.exception()
        if error is None:
            self._failures.pop(story_id, None)
            self._put(story_id, task.result())
            return
        self._failures[story_id] = _Failure(error, time.monotonic())
        self._failures.move_to_end(story_id)
        while len(self._failures) > self.size:
            self._failures.popitem(last=False)
