"""kill -9 in the middle of an ingest leaves the store consistent; running again
completes it without loss or duplicates; running once more adds nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _storydata import make_clusters, write_jsonl

from newsbrief.ingest import ingest_articles
from newsbrief.store import open_store
from newsbrief.story_features import content_hash


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return int(con.execute("SELECT COUNT(*) FROM article").fetchone()[0])
        finally:
            con.close()
    except sqlite3.OperationalError:
        return 0  # tables not made yet


def _ingest(path: Path, db: Path, capture: bool = False) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsbrief.cli", "ingest", str(path), "--db", str(db),
         "--batch-size", "100", "-q"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE if capture else subprocess.DEVNULL,
    )


@pytest.mark.slow
def test_sigkill_mid_ingest_then_resume(tmp_path: Path) -> None:
    articles = make_clusters(800, 4, seed=11)
    articles += articles[:300]  # duplicates inside the input too
    path = write_jsonl(articles, tmp_path / "big.jsonl")
    unique = {content_hash(a.text) for a in articles}
    db = tmp_path / "store.db"

    proc = _ingest(path, db)
    deadline = time.monotonic() + 50
    while _count(db) < 300 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "ingest finished before it could be killed: make the input larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    killed_at = _count(db)
    assert 0 < killed_at < len(unique)
    with open_store(db) as store:
        assert store.check() == []  # sizes, orphans, document counts all agree
        assert store.counts()[0] == killed_at

    rerun = _ingest(path, db, capture=True)
    _, err = rerun.communicate(timeout=120)
    assert rerun.returncode == 0, err.decode()
    with open_store(db) as store:
        assert store.check() == []
        assert store.counts()[0] == len(unique)
        stored = store.story_of(unique)
        assert set(stored) == unique  # nothing lost
        again = ingest_articles(store, articles)
        assert again.stored == 0 and again.duplicates == len(articles)
        assert store.counts()[0] == len(unique)
