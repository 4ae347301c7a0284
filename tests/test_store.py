"""The store: idempotent ingest, the Store interface, thread safety, the CLI."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from _storydata import make_clusters, write_jsonl

from newsbrief.cli import main
from newsbrief.errors import StoreError
from newsbrief.model import Article
from newsbrief.store import SQLiteStore, Store, brief_story, open_store
from newsbrief.stories import content_hash

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def test_ingest_is_idempotent(tmp_path: Path) -> None:
    articles = make_clusters(30, 4)
    with open_store(tmp_path / "s.db") as store:
        first = store.add(articles, batch_size=50)
        assert first.stored == len(articles) and first.duplicates == 0
        counts = store.counts()
        again = store.add(articles, batch_size=37)
        assert again.stored == 0 and again.duplicates == len(articles)
        assert store.counts() == counts
        assert store.check() == []


def test_duplicates_by_normalised_content(tmp_path: Path) -> None:
    a = Article(id="", source="x", origin="a", text="Some   Words here.\nAnd MORE words " * 5)
    b = Article(id="", source="y", origin="b", text="some words here. and more words " * 5)
    assert content_hash(a.text) == content_hash(b.text)
    with open_store(tmp_path / "s.db") as store:
        report = store.add([a, b])
        assert (report.stored, report.duplicates) == (1, 1)


def test_store_interface(tmp_path: Path) -> None:
    articles = make_clusters(12, 3, seed=4)
    store: Store = open_store(tmp_path / "s.db")
    store.add(articles, batch_size=10)
    listed = store.stories(limit=5)
    assert 0 < len(listed) <= 5
    assert [s.size for s in listed] == sorted((s.size for s in listed), reverse=True)
    top = listed[0]
    assert store.story(top.id) == top and store.story(str(top.id)) == top
    assert store.story(10**9) is None and store.story("nope") is None
    members = store.articles(top.id)
    assert len(members) == top.size and top.label
    assert top.first is not None and top.last is not None and top.first <= top.last
    word = str(members[0].title).split()[0]
    hits = store.search(word)
    assert hits and any(h.story_id == top.id for h in hits)
    assert any(s.id == top.id for s in store.stories(query=word))
    assert store.stories(limit=2, offset=1) == store.stories(limit=3)[1:3]
    assert store.story_of([content_hash(members[0].text)]) == {
        content_hash(members[0].text): top.id
    }
    store.close()


def test_copies_land_in_the_same_story(tmp_path: Path) -> None:
    articles = make_clusters(10, 3, seed=9)
    original = articles[0]
    repost = Article(id="", source="reposter", origin="repost",
                     text="Advertisement\n\n" + original.text + "\n\nShare this story")
    with open_store(tmp_path / "s.db") as store:
        store.add(articles, batch_size=100)
        store.add([repost])  # a later batch: found through the stored MinHash bands
        found = store.story_of([content_hash(original.text), content_hash(repost.text)])
        assert len(set(found.values())) == 1


def test_threads_share_one_store(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.db")
    store.add(make_clusters(10, 3, seed=2))
    errors: list[BaseException] = []

    def read() -> None:
        try:
            for _ in range(20):
                for info in store.stories(limit=5):
                    store.articles(info.id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    store.add(make_clusters(10, 3, seed=3))
    for t in threads:
        t.join()
    assert errors == []
    store.close()


def test_bad_store_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="cannot open the store"):
        open_store(bad)


def test_cli_ingest_stories_brief(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    db = tmp_path / "s.db"
    assert main(["ingest", str(SEEDS), "--db", str(db), "-q"]) == 0
    assert "stored 5" in capsys.readouterr().err
    assert main(["ingest", str(SEEDS), "--db", str(db), "-q"]) == 0
    assert "stored 0, duplicates 5" in capsys.readouterr().err
    assert main(["stories", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "russia" in out.lower()
    story_id = out.splitlines()[1].split()[0]
    assert main(["brief", "--db", str(db), "--story", story_id, "--format", "json"]) in (0, 1)
    assert '"summary"' in capsys.readouterr().out
    assert main(["brief", "--db", str(db), "--story", "999999"]) == 2


def test_brief_story_uses_the_pipeline(tmp_path: Path) -> None:
    with open_store(tmp_path / "s.db") as store:
        store.add(make_clusters(5, 3, seed=5))
        info = store.stories(limit=1)[0]
        result = brief_story(store, info.id)
        assert result.story == str(info.id)
        assert len(result.articles) == info.size and result.summary


def test_ingest_jsonl_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_jsonl(make_clusters(5, 2), tmp_path / "a.jsonl")
    with path.open("a") as f:
        f.write("{not json\n")
    db = tmp_path / "s.db"
    assert main(["ingest", str(path), "--db", str(db), "-q"]) == 1
    err = capsys.readouterr().err
    assert "a.jsonl:11" in err and "not valid JSON" in err and "stored 10" in err
