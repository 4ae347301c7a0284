"""The batch path on Dask: read, clean and featurize on workers; score candidate
pairs on workers; copies, grouping and writes in the client, batch by batch.

The work is split so that the result is the same as in one process:

* files are read on workers (``client.map`` over files, results kept in file order);
* articles are cut into the same batches as ``SQLiteStore.add`` cuts them, and
  each batch is deduplicated in the client against the store and the batches
  before it, exactly as in one process;
* each batch is cleaned and featurized on a worker (``featurize_batch``);
* each batch's candidate pairs are scored on workers, in row blocks
  (``candidate_edges(..., rows=block)``), and concatenated in a fixed order;
* the store (SQLite) stays with the client: copy lookups, the agglomeration
  (linear in the candidate pairs) and the transaction of each batch run there.

Point it at a running cluster with ``scheduler="tcp://HOST:8786"`` (the
workers need newsbrief installed, the same version), or let it start a local
cluster of ``n_workers`` processes. Dask is optional:
``pip install 'newsbrief[stories]'``.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

import numpy as np
import scipy.sparse as sp

from newsbrief.errors import SettingsError
from newsbrief.model import Article
from newsbrief.settings import DEFAULT_BATCH, DEFAULT_MAX_BYTES, StorySettings
from newsbrief.store import IngestReport, SQLiteStore, with_progress
from newsbrief.stories import candidate_edges, featurize_batch

__all__ = ["dask_client", "ingest_dask"]


def _need_dask() -> Any:
    try:
        import distributed
    except ImportError:
        raise SettingsError(
            "the Dask path needs dask and distributed: pip install 'newsbrief[stories]'"
        ) from None
    return distributed


def _score_block(
    x: sp.csr_matrix, salient: list[np.ndarray], settings: StorySettings, rows: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return candidate_edges(x, salient, settings, rows=rows)


def dask_client(scheduler: str | None = None, n_workers: int = 2) -> Any:
    """A ``distributed.Client``: on the cluster at ``scheduler``, else on a new local
    cluster of ``n_workers`` single-threaded worker processes (closed with the client)."""
    distributed = _need_dask()
    if scheduler:
        return distributed.Client(scheduler)
    if n_workers < 1:
        raise SettingsError(f"n_workers must be at least 1, got {n_workers}")
    cluster = distributed.LocalCluster(
        n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
    )
    client = distributed.Client(cluster)
    client._newsbrief_cluster = cluster  # closed in ingest_dask when we made it
    return client


def ingest_dask(
    store: SQLiteStore,
    paths: Sequence[str | os.PathLike[str]],
    scheduler: str | None = None,
    n_workers: int = 2,
    batch_size: int = DEFAULT_BATCH,
    max_bytes: int | None = None,
    progress: bool = False,
    client: Any = None,
) -> IngestReport:
    """Ingest ``paths`` into ``store`` with the batch path on Dask (see the module docstring).

    Gives the same stories as ``SQLiteStore.add`` in one process.
    """
    import time

    if batch_size < 1:
        raise SettingsError(f"batch_size must be at least 1, got {batch_size}")
    started = time.perf_counter()
    own = client is None
    client = client or dask_client(scheduler, n_workers)
    try:
        from newsbrief.readers import expand_paths, read_one

        files, problems = expand_paths(paths)
        reads = client.map(read_one, files, max_bytes=max_bytes or DEFAULT_MAX_BYTES,
                           pure=False)

        def stream() -> Iterator[Article]:
            """The articles of the files in order, each file's fetched when it is needed."""
            for future in reads:
                one = future.result()
                future.release()
                problems.extend(one.problems)
                yield from one.articles

        n_workers_now = max(1, len(client.scheduler_info().get("workers", {})))

        def scorer(
            x: sp.csr_matrix, salient: list[np.ndarray], settings: StorySettings
        ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
            n = x.shape[0]
            if n < 200:
                return candidate_edges(x, salient, settings)
            x_f, sal_f = client.scatter([x, salient], broadcast=True)
            step = -(-n // (2 * n_workers_now))
            blocks = [(s, min(n, s + step)) for s in range(0, n, step)]
            parts = client.gather(
                [client.submit(_score_block, x_f, sal_f, settings, b, pure=False) for b in blocks]
            )
            i = np.concatenate([p[0] for p in parts])
            j = np.concatenate([p[1] for p in parts])
            w = np.concatenate([p[2] for p in parts])
            order = np.lexsort((j, i))
            return i[order], j[order], w[order]

        def run(step: Any) -> IngestReport:
            from newsbrief.stories import content_hash

            total = IngestReport()
            seen: set[str] = set()
            pending: deque[tuple[list[Article], Any, int]] = deque()

            def store_next() -> None:
                batch, future, dups = pending.popleft()
                features = future.result() if future is not None else []
                one = store.add_batch(batch, scorer=scorer, features=features, duplicates=dups)
                total.merge(one)
                if step is not None:
                    step(one)

            articles = stream()
            while batch := list(islice(articles, batch_size)):
                fresh, dups = store.new_articles(batch)
                kept = []
                for a in fresh:
                    h = content_hash(a.text)
                    if h in seen:
                        dups += 1
                        continue
                    seen.add(h)
                    kept.append(a)
                future = client.submit(featurize_batch, kept, pure=False) if kept else None
                pending.append((batch, future, dups))
                if len(pending) > 2 * n_workers_now:  # keep the workers busy, memory bounded
                    store_next()
            while pending:
                store_next()
            return total

        report = with_progress(None, run, progress)
    finally:
        if own:
            cluster = getattr(client, "_newsbrief_cluster", None)
            client.close()
            if cluster is not None:
                cluster.close()
    report.rejected[:0] = [p for p in problems if p.fatal]
    report.notes[:0] = [p for p in problems if not p.fatal]
    report.seconds = time.perf_counter() - started
    return report
