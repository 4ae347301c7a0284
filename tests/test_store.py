"""The store: idempotent ingest, the Store interface (SQLite and in memory), thread safety,
the CLI."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from _storydata import make_clusters, write_jsonl

from newsbrief.cli import main
from newsbrief.errors import StoreError
from newsbrief.ingest import ingest_articles
from newsbrief.model import Article
from newsbrief.pipeline import brief_story
from newsbrief.store import MemoryStore, Store, open_store
from newsbrief.story_features import content_hash

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
KINDS = ["sqlite", "memory"]


def make_store(kind: str, tmp_path: Path) -> Store:
    """A new, empty store of either kind: the tests that take ``kind`` hold for both."""
    return open_store(tmp_path / "s.db") if kind == "sqlite" else MemoryStore()


@pytest.mark.parametrize("kind", KINDS)
def test_ingest_is_idempotent(kind: str, tmp_path: Path) -> None:
    articles = make_clusters(30, 4)
    with make_store(kind, tmp_path) as store:
        first = ingest_articles(store, articles, batch_size=50)
        assert first.stored == len(articles) and first.duplicates == 0
        counts = store.counts()
        again = ingest_articles(store, articles, batch_size=37)
        assert again.stored == 0 and again.duplicates == len(articles)
        assert store.counts() == counts
        assert store.check() == []


@pytest.mark.parametrize("kind", KINDS)
def test_duplicates_by_normalised_content(kind: str, tmp_path: Path) -> None:
    a = Article(id="", source="x", origin="a", text="Some   Words here.\nAnd MORE words " * 5)
    b = Article(id="", source="y", origin="b", text="some words here. and more words " * 5)
    assert content_hash(a.text) == content_hash(b.text)
    with make_store(kind, tmp_path) as store:
        report = ingest_articles(store, [a, b])
        assert (report.stored, report.duplicates) == (1, 1)


@pytest.mark.parametrize("kind", KINDS)
def test_store_interface(kind: str, tmp_path: Path) -> None:
    articles = make_clusters(12, 3, seed=4)
    store = make_store(kind, tmp_path)
    ingest_articles(store, articles, batch_size=10)
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


@pytest.mark.parametrize("kind", KINDS)
def test_copies_land_in_the_same_story(kind: str, tmp_path: Path) -> None:
    articles = make_clusters(10, 3, seed=9)
    original = articles[0]
    repost = Article(id="", source="reposter", origin="repost",
                     text="Advertisement\n\n" + original.text + "\n\nShare this story")
    with make_store(kind, tmp_path) as store:
        ingest_articles(store, articles, batch_size=100)
        ingest_articles(store, [repost])  # a later batch: found through the stored MinHash bands
        found = store.story_of([content_hash(original.text), content_hash(repost.text)])
        assert len(set(found.values())) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_threads_share_one_store(kind: str, tmp_path: Path) -> None:
    store = make_store(kind, tmp_path)
    ingest_articles(store, make_clusters(10, 3, seed=2))
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
    ingest_articles(store, make_clusters(10, 3, seed=3))
    for t in threads:
        t.join()
    assert errors == []
    store.close()


def test_bad_store_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match=r"not a newsbrief store \(not an SQLite database"):
        open_store(bad)
    assert bad.read_bytes() == b"this is not a database at all" * 100


def test_cli_ingest_stories_brief(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not SEEDS.is_dir():
        pytest.skip("../shared/seeds is absent")
    db = tmp_path / "s.db"
    assert main(["ingest", str(SEEDS), "--db", str(db), "-q"]) == 0
    err = capsys.readouterr().err
    # the re-post of the Wall Street Journal article: a near-copy, as the brief finds it
    assert "stored 5" in err and "near-copies 1" in err
    assert main(["ingest", str(SEEDS), "--db", str(db), "-q"]) == 0
    assert "stored 0, duplicates 5" in capsys.readouterr().err
    assert main(["stories", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "russia" in out.lower()
    story_id = out.splitlines()[1].split()[0]
    assert main(["brief", "--db", str(db), "--story", story_id, "--format", "json"]) in (0, 1)
    assert '"summary"' in capsys.readouterr().out
    assert main(["brief", "--db", str(db), "--story", "999999"]) == 2


@pytest.mark.parametrize("kind", KINDS)
def test_brief_story_uses_the_pipeline(kind: str, tmp_path: Path) -> None:
    with make_store(kind, tmp_path) as store:
        ingest_articles(store, make_clusters(5, 3, seed=5))
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


@pytest.mark.parametrize("kind", KINDS)
def test_two_writers_with_the_same_articles_store_each_once(kind: str, tmp_path: Path) -> None:
    """Deduplication is checked again inside the write transaction: a second writer that
    looked before the first committed counts them as duplicates instead of failing."""
    articles = make_clusters(20, 3, seed=7)
    store = make_store(kind, tmp_path)
    errors: list[BaseException] = []
    reports = []

    def write() -> None:
        try:
            reports.append(ingest_articles(store, articles, batch_size=15))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(r.stored for r in reports) == len(articles)
    assert sum(r.duplicates for r in reports) == 2 * len(articles)
    assert store.counts()[0] == len(articles) and store.check() == []
    store.close()


@pytest.mark.parametrize("kind", KINDS)
def test_searches_that_are_not_words_match_nothing_and_never_fail(
    kind: str, tmp_path: Path
) -> None:
    with make_store(kind, tmp_path) as store:
        ingest_articles(store, make_clusters(5, 3, seed=5))
        assert store.stories(limit=100)  # something to find
        for query in ['"', '""  "', "\x00", "\ud800"]:
            assert store.stories(query=query) == []
            assert store.search(query) == []
        assert isinstance(store.stories(query="a\x00b"), list)
        assert store.stories(limit=2**70, offset=2**70) == []
        assert len(store.stories(limit=2**70)) == store.counts()[1]


@pytest.mark.parametrize("kind", KINDS)
def test_story_ids_are_whole_numbers_only(kind: str, tmp_path: Path) -> None:
    with make_store(kind, tmp_path) as store:
        ingest_articles(store, make_clusters(12, 2, seed=5))
        ten = store.story(10)
        assert ten is not None and store.story("10") == ten and store.story(" 10 ") == ten
        for loose in ["1_0", "١٠", "10.0", "+10", "1e1", ""]:
            assert store.story(loose) is None, loose
            assert store.articles(loose) == []
        assert brief_story(store, " 10 ").story == "10"


def test_reading_commands_refuse_a_file_that_is_not_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x TEXT)")
    before = other.read_bytes()
    with pytest.raises(StoreError, match="not a newsbrief store"):
        open_store(other, create=False)
    assert main(["stories", "--db", str(other)]) == 2
    assert main(["brief", "--db", str(other), "--story", "1"]) == 2
    assert "not a newsbrief store" in capsys.readouterr().err
    assert other.read_bytes() == before  # nothing written to it
    assert main(["stories", "--db", str(tmp_path / "missing.db")]) == 2
    assert not (tmp_path / "missing.db").exists()


def test_repeats_of_a_rejected_text_are_each_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    notice = ("Tweet with a location you can add location information to your tweets, such "
              "as your city or precise location, from the web and via third-party "
              "applications. You always have the option to delete your tweet location "
              "history. Learn more")
    path = write_jsonl(make_clusters(3, 2), tmp_path / "a.jsonl")
    with path.open("a") as f:
        for _ in range(3):
            f.write(json.dumps({"text": notice, "source": "feed"}) + "\n")
    db = tmp_path / "s.db"
    assert main(["ingest", str(path), "--db", str(db), "-q", "--batch-size", "4"]) == 1
    err = capsys.readouterr().err
    assert "rejected 3" in err and "duplicates 0" in err
    for line in (7, 8, 9):
        assert f"a.jsonl:{line}" in err
    assert err.count("which was rejected") == 2


def test_ingest_nothing_usable_exits_2_and_notes_are_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n")
    assert main(["ingest", str(bad), "--db", str(tmp_path / "s.db"), "-q"]) == 2
    capsys.readouterr()
    folder = tmp_path / "fold"
    folder.mkdir()
    write_jsonl(make_clusters(2, 2), folder / "a.jsonl")
    (folder / "readme.pdf").write_bytes(b"%PDF-1.4")
    assert main(["ingest", str(folder), "--db", str(tmp_path / "s.db"), "-q"]) == 0
    err = capsys.readouterr().err
    assert "note:" in err and "readme.pdf" in err and "not an article file type" in err
    with pytest.raises(SystemExit) as exit_info:
        main(["ingest", str(folder), "--max-bytes", "0"])
    assert exit_info.value.code == 2
