"""The Dask engine for ingest: read, clean and featurize on workers, score on workers.

``newsbrief.ingest`` runs one batch loop whatever the engine; ``DaskEngine`` only
moves its heavy steps to a cluster, so the stories come out the same as in one
process:

* ``map`` runs files' reading and batches' featurizing on workers, a few items
  ahead of the loop (twice the workers: they stay busy and the client holds a few
  batches at most), and hands the results back in input order;
* ``score`` splits a batch's candidate pairs into row blocks
  (``candidate_edges(..., rows=block)``), scores them on workers and concatenates
  them in a fixed order; small batches are scored here.

The store (SQLite) stays with the client: deduplication, copy lookups, the
agglomeration (linear in the candidate pairs) and each batch's transaction run there.

Point it at a running cluster with ``scheduler="tcp://HOST:8786"`` (the workers
need newsbrief installed, the same version), or let it start a local cluster of
``n_workers`` processes. Dask is optional: ``pip install 'newsbrief[stories]'``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp

from newsbrief.errors import SettingsError, require
from newsbrief.settings import StorySettings
from newsbrief.stories import Edges, candidate_edges

__all__ = ["DaskEngine", "dask_client", "dask_engine"]

T = TypeVar("T")
R = TypeVar("R")

LOCAL_SCORING = 200
"""Batches of fewer articles are scored in the client, in milliseconds: sending the
batch's matrix to the workers would cost more than it saves."""
AHEAD_PER_WORKER = 2
"""Items ``map`` keeps submitted per worker: each worker has the next one waiting, and
the client holds a few batches at most."""


def _distributed() -> Any:
    return require("distributed", "stories", "the Dask path")


def _score_block(
    x: sp.csr_matrix, salient: list[np.ndarray], settings: StorySettings, rows: tuple[int, int]
) -> Edges:
    return candidate_edges(x, salient, settings, rows=rows)


def dask_client(scheduler: str | None = None, n_workers: int = 2) -> Any:
    """A ``distributed.Client``: on the cluster at ``scheduler``, else on a new local
    cluster of ``n_workers`` single-threaded worker processes (closed with the client
    by ``dask_engine``)."""
    distributed = _distributed()
    if scheduler:
        return distributed.Client(scheduler)
    if n_workers < 1:
        raise SettingsError(f"n_workers must be at least 1, got {n_workers}")
    cluster = distributed.LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    client._newsbrief_cluster = cluster
    return client


class DaskEngine:
    """Ingest's heavy steps on the workers of a ``distributed.Client``."""

    def __init__(self, client: Any) -> None:
        """Run on ``client``'s cluster (the caller keeps and closes the client)."""
        self.client = client
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` over ``items`` on the workers, a few ahead (``AHEAD_PER_WORKER``), the
        results in input order."""
        ahead: deque[Any] = deque()
        for item in items:
            ahead.append(self.client.submit(fn, item, pure=False))
            if len(ahead) > AHEAD_PER_WORKER * self.workers:
                yield self._result(ahead.popleft())
        while ahead:
            yield self._result(ahead.popleft())

    @staticmethod
    def _result(future: Any) -> Any:
        value = future.result()
        future.release()
        return value

    def score(
        self, x: sp.csr_matrix, salient: list[np.ndarray], settings: StorySettings
    ) -> Edges:
        """``candidate_edges`` in row blocks on the workers, concatenated in one order."""
        n = x.shape[0]
        if n < LOCAL_SCORING:
            return candidate_edges(x, salient, settings)
        client = self.client
        x_f, sal_f = client.scatter([x, salient], broadcast=True)
        step = -(-n // (2 * self.workers))  # two blocks a worker: an uneven one waits less
        blocks = [(s, min(n, s + step)) for s in range(0, n, step)]
        parts = client.gather(
            [client.submit(_score_block, x_f, sal_f, settings, b, pure=False) for b in blocks]
        )
        i = np.concatenate([p[0] for p in parts])
        j = np.concatenate([p[1] for p in parts])
        w = np.concatenate([p[2] for p in parts])
        order = np.lexsort((j, i))
        return i[order], j[order], w[order]


@contextmanager
def dask_engine(scheduler: str | None = None, n_workers: int = 2) -> Iterator[DaskEngine]:
    """A ``DaskEngine`` on the cluster at ``scheduler`` (else on a new local cluster of
    ``n_workers`` processes), closed again afterwards."""
    client = dask_client(scheduler, n_workers)
    try:
        yield DaskEngine(client)
    finally:
        cluster = getattr(client, "_newsbrief_cluster", None)
        client.close()
        if cluster is not None:
            cluster.close()
