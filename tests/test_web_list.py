"""The stories list as a reader wants it (sorts, minimum sources, lede, outlets), a story's
downloads, and Atom entries as update briefs (issue 14): a real SQLite store made by
ingesting files, the real app through its ASGI interface, the feed parsed by feedparser."""

from __future__ import annotations

import json
import sqlite3
import warnings
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
pytest.importorskip("feedparser", reason="the fetch extra is not installed")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette.testclient's import-time warning
    from fastapi.testclient import TestClient

import feedparser

from newsbrief import read_paths
from newsbrief.cli import main
from newsbrief.feed_briefs import EntryCache, entry_briefs
from newsbrief.ingest import ingest_articles
from newsbrief.model import Article
from newsbrief.outlets import read_outlets
from newsbrief.store import SQLiteStore, open_store
from newsbrief.web import create_app

LOCAL = "http://localhost"

SOURCES = """name,domain,country,lean
Kestrel Times,kestreltimes.example,UK,left
Northern Ledger,northernledger.example,US,right
Lakeland Press Agency,lakelandpress.example,US,
Valley News,valley-news.example,UK,
"""

FLOOD = (
    "Heavy rain flooded the river valley on Monday and the water rose above the old "
    "bridge in Marlow. Rescue crews moved families from the lowest streets by boat. "
    "The council opened the school hall as a shelter and asked drivers to keep away "
    "from the valley road until the river falls. "
)
ELECTION = (
    "The mayoral election in Northport ended with a narrow win for the harbour party. "
    "Turnout was the highest in twenty years, the election office said, and the count "
    "ran until dawn. The losing candidate conceded and called for a recount of two "
    "districts where the margin was under fifty votes. "
)


def _article(n: int, source: str, url: str | None, text: str, title: str, extra: str) -> Article:
    return Article(id="", source=source, origin=f"/srv/in/{n}.txt", text=(text + extra) * 3,
                   title=title, url=url, published=datetime(2024, 3, 4 + n, 9, tzinfo=UTC))


def _flood() -> list[Article]:
    """Three articles from one outlet: the largest story after the fixture's, one source."""
    return [
        _article(1, "valley-news.example", f"https://valley-news.example/{n}", FLOOD, title,
                 extra)
        for n, title, extra in [
            (1, "River floods the valley", "Officials said the rain would ease by Wednesday. "),
            (2, "Families moved by boat", "Volunteers filled sandbags outside the church. "),
            (3, "Valley road closed", "The road will stay shut until engineers check it. "),
        ]
    ]


def _election() -> list[Article]:
    """Two articles from two outlets, ingested last: the newest story."""
    return [
        _article(6, "harbour-times.example", "https://harbour-times.example/win", ELECTION,
                 "Harbour party wins Northport",
                 "Supporters gathered at the quay to celebrate the result. "),
        _article(7, "north-daily.example", "https://north-daily.example/recount", ELECTION,
                 "Recount asked in two districts",
                 "The election office will decide on the recount this week. "),
    ]


def _age(path: Path, hours: int) -> None:
    """Make everything stored so far arrive ``hours`` earlier (arrivals are to the second)."""
    conn = sqlite3.connect(path)
    earlier = (datetime.now(tz=UTC) - timedelta(hours=hours)).isoformat(timespec="seconds")
    conn.execute("UPDATE article SET added = ?", (earlier,))
    conn.execute("UPDATE story SET updated = ?", (earlier,))
    conn.commit()
    conn.close()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory, story_dir: Path) -> Path:
    """Fixture story (four articles, then an hour later the fifth), flood, then election."""
    path = tmp_path_factory.mktemp("list") / "stories.db"
    story = read_paths([story_dir]).articles
    last = next(a for a in story if a.source == "Wren Valley Radio")
    with open_store(path) as db:
        table = path.parent / "outlets.csv"
        table.write_text(SOURCES, encoding="utf-8")
        db.save_outlets(read_outlets(table))
        ingest_articles(db, [a for a in story if a is not last])
        ingest_articles(db, _flood())
    _age(path, 3)
    with open_store(path) as db:
        ingest_articles(db, [last])
        ingest_articles(db, _election())
    return path


@pytest.fixture
def store(db_path: Path) -> Iterator[SQLiteStore]:
    with open_store(db_path, create=False) as db:
        yield db


@pytest.fixture
def client(store: SQLiteStore) -> Iterator[TestClient]:
    with TestClient(create_app(store), raise_server_exceptions=False, base_url=LOCAL) as c:
        yield c


def _ids(client: TestClient, query: str) -> list[str]:
    response = client.get(f"/api/stories?{query}")
    assert response.status_code == 200, response.text
    return [s["id"] for s in response.json()["stories"]]


def _story_ids(store: SQLiteStore) -> dict[str, str]:
    """"fixture", "flood", "election": their story ids."""
    out = {}
    for info in store.stories(limit=10):
        name = ("flood" if "valley" in info.label or "flood" in info.label.lower()
                else "election" if "northport" in (info.headline or info.label).lower()
                else "fixture")
        out[name] = str(info.id)
    return out


def test_the_store_holds_three_stories_of_known_shape(store: SQLiteStore) -> None:
    ids = _story_ids(store)
    assert set(ids) == {"fixture", "flood", "election"}
    sizes = {name: store.story(sid) for name, sid in ids.items()}
    assert [(s.size, s.sources) for s in (sizes["fixture"], sizes["flood"], sizes["election"])
            if s] == [(5, 5), (3, 1), (2, 2)]


def test_sorts_by_newest_largest_and_most_sources(client: TestClient, store: SQLiteStore) -> None:
    ids = _story_ids(store)
    fixture, flood, election = ids["fixture"], ids["flood"], ids["election"]
    assert _ids(client, "sort=size") == [fixture, flood, election]
    assert _ids(client, "sort=sources") == [fixture, election, flood]
    newest = _ids(client, "sort=newest")
    assert newest.index(election) < newest.index(flood)  # flood arrived hours earlier
    assert newest == _ids(client, "")  # newest is the default
    assert _ids(client, "sort=size&min_sources=2") == [fixture, election]
    body = client.get("/api/stories?min_sources=2").json()
    assert body["hidden"] == 1 and body["min_sources"] == 2
    assert client.get("/api/stories?sort=oldest").status_code == 400
    assert client.get("/api/stories?min_sources=0").status_code == 400


def test_home_page_hides_one_source_stories_and_says_how_many(
    client: TestClient, store: SQLiteStore
) -> None:
    ids = _story_ids(store)
    page = client.get("/").text
    assert f'href="/stories/{ids["fixture"]}"' in page
    assert f'href="/stories/{ids["flood"]}"' not in page  # one source: hidden by default
    assert "1 story from fewer than 2 sources hidden" in page
    assert 'href="/?sort=newest&amp;min_sources=1">Show all</a>' in page
    everything = client.get("/?sort=newest&min_sources=1").text
    assert f'href="/stories/{ids["flood"]}"' in everything
    assert "hidden-count" not in everything
    by_size = client.get("/?sort=size").text
    assert by_size.index(f'/stories/{ids["fixture"]}"') < by_size.index(
        f'/stories/{ids["election"]}"')
    assert '<option value="size" selected>' in by_size


def test_each_row_has_headline_lede_outlet_names_and_update_time(
    client: TestClient, store: SQLiteStore
) -> None:
    info = store.story(_story_ids(store)["fixture"])
    assert info is not None and info.headline and info.lede and info.updated
    row = next(r for r in client.get("/api/stories").json()["stories"] if r["id"] == str(info.id))
    assert row["label"] == info.headline and row["lede"] == info.lede
    assert {"Kestrel Times", "Northern Ledger", "Lakeland Press Agency"} <= set(row["outlets"])
    assert "wrenvalleyradio.example" in row["outlets"]  # not in the table: its domain
    assert row["coverage"] == "5 outlets: 1 left, 1 right; US 2, UK 1"
    assert datetime.fromisoformat(row["updated"]) == info.updated
    page = client.get("/?min_sources=1").text
    assert f'<p class="lede">{info.lede.replace(chr(39), "&#39;")}</p>' in page
    assert "Kestrel Times" in page and f"updated {info.updated:%d %b %Y %H:%M} UTC" in page
    assert "/srv/in/" not in page and ".txt" not in page  # never a file path
    flood = next(r for r in client.get("/api/stories?min_sources=1").json()["stories"]
                 if r["id"] == _story_ids(store)["flood"])
    assert flood["outlets"] == ["Valley News"]


def test_story_page_shows_coverage_and_download_links(
    client: TestClient, store: SQLiteStore
) -> None:
    sid = _story_ids(store)["fixture"]
    page = client.get(f"/stories/{sid}").text
    assert "5 outlets: 1 left, 1 right; US 2, UK 1" in page
    for fmt in ("md", "json", "html"):
        assert f'href="/stories/{sid}.{fmt}" download' in page


@pytest.mark.parametrize(("url", "fmt"), [
    ("/stories/{id}.md", "md"), ("/stories/{id}.json", "json"), ("/stories/{id}.html", "html"),
    ("/stories/{id}?format=md", "md"),
])
def test_downloads_have_the_right_type_and_file_name(
    client: TestClient, store: SQLiteStore, url: str, fmt: str
) -> None:
    sid = _story_ids(store)["fixture"]
    response = client.get(url.format(id=sid))
    assert response.status_code == 200
    kind = {"md": "text/markdown", "json": "application/json", "html": "text/html"}[fmt]
    assert response.headers["content-type"].startswith(kind)
    assert response.headers["content-disposition"] == (
        f'attachment; filename="story-{sid}.{fmt}"')
    if fmt == "json":
        data = json.loads(response.text)
        assert data["schema"] == "newsbrief.brief/1" and data["story"] == sid
        assert "Kestrel Times" in {a["source"] for a in data["articles"]}
    elif fmt == "md":
        assert response.text.startswith("# ") and "**Northern Ledger**" in response.text
    else:
        assert response.text.lstrip().lower().startswith("<!doctype html>")


def test_bad_downloads(client: TestClient, store: SQLiteStore) -> None:
    sid = _story_ids(store)["fixture"]
    assert client.get(f"/stories/{sid}.pdf").status_code == 404
    assert client.get(f"/stories/{sid}?format=pdf").status_code == 400
    assert client.get("/stories/9999.md").status_code == 404
    moved = client.get(f"/stories/0{sid}.md", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == f"/stories/{sid}.md"


def test_atom_entries_are_update_briefs(client: TestClient, store: SQLiteStore) -> None:
    ids = _story_ids(store)
    response = client.get("/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    by_link = {e.link: e for e in feed.entries}
    fixture = by_link[f"{LOCAL}/stories/{ids['fixture']}"]
    arrivals = store.arrivals(ids["fixture"])
    latest = max(arrivals.values())
    assert fixture.updated_parsed[:6] == latest.timetuple()[:6]  # its last arrival
    content = fixture.content[0]
    assert content.type == "text/html"
    assert "New since" in content.value and "1 new article" in content.value
    assert f'href="{LOCAL}/stories/{ids["fixture"]}"' in content.value
    assert "Wren Valley Radio" in content.value or "wrenvalleyradio.example" in content.value
    # a story of one batch: its whole brief, no "New since"
    election = by_link[f"{LOCAL}/stories/{ids['election']}"].content[0].value
    assert "New since" not in election and "Northport" in election
    # newest update first
    times = [e.updated_parsed for e in feed.entries]
    assert times == sorted(times, reverse=True)
    again = feedparser.parse(client.get("/feed.atom").content)  # cached: the same entries
    assert [e.content[0].value for e in again.entries] == [
        e.content[0].value for e in feed.entries]


def test_cli_sorts_filters_and_writes_update_brief_entries(
    db_path: Path, store: SQLiteStore, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _story_ids(store)
    assert main(["stories", "--db", str(db_path), "--format", "json", "--sort", "sources",
                 "--min-sources", "2"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [str(r["id"]) for r in records] == [ids["fixture"], ids["election"]]
    assert main(["stories", "--db", str(db_path), "--format", "atom", "--base-url",
                 "http://news.test"]) == 0
    feed = feedparser.parse(capsys.readouterr().out)
    fixture = next(e for e in feed.entries if e.link.endswith(f"/stories/{ids['fixture']}"))
    assert "New since" in fixture.content[0].value


def test_update_briefs_on_the_story_page_name_outlets_too(
    client: TestClient, store: SQLiteStore
) -> None:
    sid = _story_ids(store)["fixture"]
    since = (min(store.arrivals(sid).values()) + timedelta(minutes=1)).isoformat()
    page = client.get(f"/stories/{sid}", params={"since": since}).text
    assert "New since" in page and "Kestrel Times" in page
    update = client.get(f"/api/stories/{sid}", params={"since": since}).json()
    assert {a["source"] for a in update["articles"]} >= {"Kestrel Times", "Northern Ledger"}


def test_feed_entries_are_made_again_when_a_story_is_saved_at_its_size(
    store: SQLiteStore,
) -> None:
    """A correction can leave a story's size as it was (one article out, one in): the
    entry's cache key holds the story's save time too, so the entry is made again."""
    (info,) = [s for s in store.stories(min_sources=1) if s.size > 1][:1]
    cache = EntryCache()
    first = entry_briefs(store, [info], cache=cache)
    assert info.id in first and len(cache) == 1
    assert entry_briefs(store, [info], cache=cache)[info.id] is first[info.id]  # cached
    assert info.updated is not None
    resaved = replace(info, updated=info.updated + timedelta(seconds=1))
    again = entry_briefs(store, [resaved], cache=cache)
    assert again[info.id] is not first[info.id] and len(cache) == 2
