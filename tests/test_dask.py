"""The Dask engine on a real ``distributed.LocalCluster`` (two worker processes) finds
the same stories as one process; without Dask, the error names the extra to install."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from pathlib import Path

import pytest
from _storydata import make_clusters, write_jsonl

from evaluation.stories_eval import bcubed
from newsbrief.errors import MissingExtraError
from newsbrief.ingest import ingest_paths
from newsbrief.store import open_store
from newsbrief.story_features import content_hash


def test_the_dask_path_without_dask_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sys

    from newsbrief.distributed import dask_client

    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    with pytest.raises(MissingExtraError, match=r"newsbrief\[stories\]"):
        dask_client(n_workers=1)


def bcubed_f1(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """The evaluation's B-cubed F1, so tests and reported numbers use one definition."""
    return bcubed(gold, pred)[2]


@pytest.mark.slow
def test_local_cluster_matches_single_process(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    from newsbrief.distributed import DaskEngine

    articles = make_clusters(150, 4, seed=21)
    articles += articles[:40]  # duplicates across batches
    folder = tmp_path / "in"
    folder.mkdir()
    write_jsonl(articles[:300], folder / "a.jsonl")
    write_jsonl(articles[300:], folder / "b.jsonl")
    (folder / "broken.jsonl").write_text("{oops\n")
    hashes = [content_hash(a.text) for a in articles]

    with open_store(tmp_path / "one.db") as store:
        single = ingest_paths(store, [folder], batch_size=250, progress=False)
        one = store.story_of(hashes)
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    try:
        with distributed.Client(cluster) as client, open_store(tmp_path / "dask.db") as store:
            assert len(client.scheduler_info()["workers"]) == 2
            report = ingest_paths(store, [folder], batch_size=250, progress=False,
                                  engine=DaskEngine(client))
            other = store.story_of(hashes)
            assert store.check() == []
    finally:
        cluster.close()

    assert (report.stored, report.duplicates) == (single.stored, single.duplicates)
    assert report.stored == len(set(hashes))
    assert any("broken.jsonl:1" in p.origin for p in report.rejected)
    assert bcubed_f1([one[h] for h in hashes], [other[h] for h in hashes]) >= 0.99
