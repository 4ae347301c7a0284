"""The outlets table (``--sources``): reading and checking it, keeping it in both stores,
naming articles by it, coverage by kind of outlet; and the stored lede (issue 14)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsbrief import read_paths
from newsbrief.cli import main
from newsbrief.ingest import ingest_articles
from newsbrief.lede import lede
from newsbrief.model import Article
from newsbrief.outlets import Outlet, OutletError, OutletTable, coverage, domain_of, read_outlets
from newsbrief.store import MemoryStore, SQLiteStore, Store, open_store

CSV = """name,domain,country,owner,lean
Kestrel Times,kestreltimes.example,UK,Kestrel Group,left
Northern Ledger,https://www.northernledger.example/,US,,right
Lakeland Press Agency,lakelandpress.example,US,,
"""

TOML = """
[[outlet]]
name = "Kestrel Times"
domain = "kestreltimes.example"
country = "UK"
lean = "left"

[[outlet]]
name = "Wren Valley Radio"
domain = "wrenvalleyradio.example"
"""


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
    else:
        with open_store(tmp_path / "s.db") as db:
            yield db


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_csv_and_toml_tables_are_read_and_domains_normalised(tmp_path: Path) -> None:
    rows = read_outlets(_write(tmp_path, "o.csv", CSV))
    assert [o.name for o in rows] == ["Kestrel Times", "Northern Ledger", "Lakeland Press Agency"]
    assert rows[0] == Outlet("Kestrel Times", "kestreltimes.example", "UK", "Kestrel Group",
                             "left")
    assert rows[1].domain == "northernledger.example" and rows[1].owner is None
    toml = read_outlets(_write(tmp_path, "o.toml", TOML))
    assert [(o.name, o.lean) for o in toml] == [("Kestrel Times", "left"),
                                                ("Wren Valley Radio", None)]


@pytest.mark.parametrize(("name", "text", "line", "words"), [
    ("a.csv", "name,domain\nGood,good.example\n,nameless.example\n", 3, "no name"),
    ("b.csv", "name,domain\nGood,good.example\nBad,not a host\n", 3, "not a host name"),
    ("c.csv", "name,domain\nA,a.example\nB,www.A.example\n", 3, "given twice"),
    ("d.csv", "name,domain\nA,a.example,extra\n", 2, "cells"),
    ("e.csv", "title,site\nA,a.example\n", 1, "name and domain"),
    ("f.toml", '[[outlet]]\nname = "A"\ndomain = "a.example"\n\n[[outlet]]\nname = "B"\n',
     5, "no domain"),
    ("g.toml", '[[outlet]]\nname = "A"\ndomain = "a.example"\nslant = "x"\n', 1,
     "unknown column slant"),
    ("h.toml", '[[outlet]]\nname = "A\n', 2, "not valid TOML"),
])
def test_a_bad_row_is_an_error_naming_file_and_line(
    tmp_path: Path, name: str, text: str, line: int, words: str
) -> None:
    path = _write(tmp_path, name, text)
    with pytest.raises(OutletError) as caught:
        read_outlets(path)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert words in str(caught.value)


def test_articles_are_named_by_domain_source_or_file_stem_never_a_path() -> None:
    table = OutletTable([Outlet("Kestrel Times", "kestreltimes.example"),
                         Outlet("CNN", "cnn.com", "US")])
    assert domain_of("https://WWW.Example.com:8080/a") == "example.com"
    assert domain_of("javascript:alert(1)") is None
    assert table.name_for("whatever", "https://edition.cnn.com/2024/x") == "CNN"
    assert table.name_for("kestrel-times") == "Kestrel Times"  # the reader's file stem
    assert table.name_for("KestrelTimes.example") == "Kestrel Times"
    assert table.name_for("Other Paper", "https://other.example/a") == "other.example"
    assert table.name_for("Other Paper") == "Other Paper"
    assert table.name_for("/srv/in/story.txt") == "unknown source"
    assert OutletTable().name_for("notes.html") == "unknown source"


def test_coverage_counts_outlets_by_lean_and_country() -> None:
    rows = [Outlet("A", "a.example", "US", lean="left"), Outlet("B", "b.example", "US",
            lean="left"), Outlet("C", "c.example", "UK", lean="right")]
    assert coverage(["A", "B", "C"], rows) == "3 outlets: 2 left, 1 right; US 2, UK 1"
    assert coverage(["A", "X"], [rows[0], None]) == "2 outlets: 1 left; US 1"
    assert coverage(["X"], [None]) == "1 outlet"
    assert coverage([], []) == ""
    table = OutletTable(rows)
    two_from_a = [("a", "https://a.example/1"), ("a", "https://a.example/2"),
                  ("c", "https://c.example/1")]
    assert table.names(two_from_a) == ["A", "C"]
    assert table.coverage(two_from_a) == "2 outlets: 1 left, 1 right; UK 1, US 1"


def test_the_store_keeps_the_table_and_replaces_it(store: Store, tmp_path: Path) -> None:
    assert store.outlets() == []
    rows = read_outlets(_write(tmp_path, "o.csv", CSV))
    store.save_outlets(rows)
    assert store.outlets() == rows
    store.save_outlets(rows[:1])
    assert store.outlets() == rows[:1]


def test_ingest_stores_a_lede_the_first_sentence_of_the_headline_article(
    store: Store, story_dir: Path
) -> None:
    articles = read_paths([story_dir]).articles
    ingest_articles(store, articles)
    (info,) = store.stories()
    assert info.headline and info.lede
    # the headline is the title of one article (its metadata's, or the headline line
    # cleaning found in its text: marrowfield-courier.txt's): the lede is that article's
    (source,) = [a for a in articles if a.title == info.headline
                 or (a.title is None and info.headline in a.text)]
    assert info.lede == lede(source)
    assert info.lede.endswith(".") and info.lede.count(". ") == 0  # one sentence
    assert info.updated is not None


def test_lede_skips_what_cleaning_removes() -> None:
    text = ("Share this article\n\nThe council closed the bridge on Monday after engineers "
            "found cracks. Repairs will take a month.\n")
    found = lede(Article(id="a0", source="x", origin="x.txt", text=text * 2))
    assert found == "The council closed the bridge on Monday after engineers found cracks."


def test_schema_2_store_gains_the_lede_column(tmp_path: Path, story_dir: Path) -> None:
    path = tmp_path / "old.db"
    with open_store(path) as db:
        ingest_articles(db, read_paths([story_dir]).articles)
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE story DROP COLUMN lede")
    conn.commit()
    conn.close()
    with SQLiteStore(path) as db:
        (info,) = db.stories()
        assert info.lede is None  # the column is back, empty until the next ingest


def test_cli_ingest_sources_keeps_the_table_and_refuses_a_bad_one(
    tmp_path: Path, story_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "s.db"
    good = _write(tmp_path, "o.csv", CSV)
    assert main(["ingest", "-q", "--db", str(db), "--sources", str(good), str(story_dir)]) == 0
    with open_store(db, create=False) as store:
        assert [o.name for o in store.outlets()][:1] == ["Kestrel Times"]
    bad = _write(tmp_path, "bad.csv", "name,domain\nX,nope\n")
    capsys.readouterr()
    assert main(["ingest", "-q", "--db", str(db), "--sources", str(bad), str(story_dir)]) != 0
    assert f"{bad}:2:" in capsys.readouterr().err
    with open_store(db, create=False) as store:
        assert len(store.outlets()) == 3  # the bad table replaced nothing


def test_serve_sources_needs_a_store_and_fetch_takes_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _write(tmp_path, "o.csv", CSV)
    assert main(["serve", "--sources", str(good)]) == 2
    assert "--sources needs a store" in capsys.readouterr().err
    # fetch reads and keeps the table before it fetches (nothing is listening on port 9)
    db = tmp_path / "f.db"
    main(["fetch", "-q", "--db", str(db), "--sources", str(good), "--timeout", "1",
          "http://127.0.0.1:9/none"])
    with open_store(db, create=False) as store:
        assert len(store.outlets()) == 3
