"""A fixed pool of brief workers with a bounded queue: the server's memory stays bounded.

A brief is the one costly thing the server does (seconds of CPU, up to about 2 GB at
the input limit), so briefs run in at most ``workers`` threads at once, and at most
``queue`` more requests may wait for one. A request past that gets a 503 with
``Retry-After`` at once, before it reads its upload: waiting requests hold nothing
but their connection, so no burst of uploads can grow the server without bound.
``Retry-After`` is the time the queue takes to half drain at the recent pace of briefs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from starlette.exceptions import HTTPException

from newsbrief.errors import SettingsError

__all__ = ["RETRY_AFTER_SECONDS", "BriefPool", "PoolFull", "Slot"]

T = TypeVar("T")

RETRY_AFTER_SECONDS = 5
"""What a 503 asks the client to wait before any brief has been timed, and what the server
asks when it has too many connections: about two briefs of the seed story on two workers."""
RECENT_WEIGHT = 0.2
"""Weight of the last brief's time in the running mean that ``Retry-After`` comes from."""


class PoolFull(HTTPException):
    """Every worker is busy and the queue is full: a 503 that says when to come back."""

    def __init__(self, workers: int, queue: int, retry_after: int) -> None:
        super().__init__(
            503,
            f"the server is busy: {workers} briefs running and {queue} waiting; "
            f"try again in {retry_after} s",
            headers={"Retry-After": str(retry_after)},
        )


class BriefPool:
    """At most ``workers`` briefs run at once and ``queue`` more wait; the rest are refused."""

    def __init__(self, workers: int, queue: int) -> None:
        if workers < 1 or queue < 0:
            raise SettingsError(f"a pool needs workers >= 1 and queue >= 0, got {workers}, {queue}")
        self.workers = workers
        self.queue = queue
        self._limiter = CapacityLimiter(workers)
        self._taken = 0
        # The mean that makes retry_after() give RETRY_AFTER_SECONDS until a brief is timed.
        self._mean_seconds = RETRY_AFTER_SECONDS * workers / ((workers + queue) / 2)

    @property
    def taken(self) -> int:
        """Slots held now: briefs running and waiting."""
        return self._taken

    def reserve(self) -> Slot:
        """A place in the pool, or ``PoolFull`` at once when every place is taken.

        Reserve before reading what is to be briefed, so that a refused request costs
        nothing; the slot is given back when its ``run`` ends, or on ``release``.
        """
        if self._taken >= self.workers + self.queue:
            raise PoolFull(self.workers, self.queue, self.retry_after())
        self._taken += 1
        return Slot(self)

    def retry_after(self) -> int:
        """Seconds until half the queue has been briefed, at the recent time per brief."""
        half = (self.workers + self.queue) / 2
        return max(1, math.ceil(self._mean_seconds * half / self.workers))

    def _timed(self, func: Callable[..., T], *args: object) -> T:
        # Runs in the worker thread; two workers may race on the mean: one update lost.
        start = time.monotonic()
        try:
            return func(*args)
        finally:
            took = time.monotonic() - start
            self._mean_seconds += RECENT_WEIGHT * (took - self._mean_seconds)

    def _give_back(self) -> None:
        self._taken -= 1


class Slot:
    """One reserved place in a ``BriefPool``; usable for one ``run``, released once."""

    def __init__(self, pool: BriefPool) -> None:
        self._pool: BriefPool | None = pool

    async def run(self, func: Callable[..., T], *args: object) -> T:
        """``func(*args)`` in a worker thread once a worker is free; the slot is then released.

        A cancelled caller still waits for a brief already running (a thread cannot be
        stopped), so the pool never has more briefs running than workers.
        """
        pool = self._pool
        if pool is None:
            raise RuntimeError("this pool slot was already used")
        try:
            return await anyio.to_thread.run_sync(pool._timed, func, *args,
                                                  limiter=pool._limiter)
        finally:
            self.release()

    def release(self) -> None:
        """Give the place back (again is harmless)."""
        if self._pool is not None:
            self._pool._give_back()
            self._pool = None

    def __enter__(self) -> Slot:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
