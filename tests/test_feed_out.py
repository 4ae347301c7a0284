"""Stories out to a reader's tools: ``newsbrief stories --format atom|json|table`` and the
web app's ``/feed.atom``, over a real SQLite store made by the ingest API."""

from __future__ import annotations

import json
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsbrief.cli import main
from newsbrief.ingest import ingest_articles
from newsbrief.model import Article
from newsbrief.render.feed_out import UNDATED, stories_to_atom
from newsbrief.store import StoryInfo, open_store

A = "{http://www.w3.org/2005/Atom}"

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


def _articles() -> list[Article]:
    def one(n: int, source: str, text: str, title: str, day: int, extra: str) -> Article:
        return Article(id="", source=source, origin=f"hand/{n}.txt", text=(text + extra) * 3,
                       title=title, published=datetime(2024, 3, day, 9, tzinfo=UTC))

    return [
        one(1, "valley-news.example", FLOOD, "River floods the valley", 4,
            "Officials said the rain would ease by Wednesday. "),
        one(2, "county-post.example", FLOOD, "Families moved by boat as river rises", 5,
            "Volunteers filled sandbags outside the church in Marlow. "),
        one(3, "harbour-times.example", ELECTION, "Harbour party wins Northport", 10,
            "Supporters gathered at the quay to celebrate the result. "),
        one(4, "north-daily.example", ELECTION, "Recount asked in two districts", 12,
            "The election office will decide on the recount this week. "),
    ]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "stories.db"
    with open_store(path) as store:
        ingest_articles(store, _articles())
    yield path


def _stored(db: Path) -> list[StoryInfo]:
    with open_store(db, create=False) as store:
        return store.stories(limit=100)


def _entries(xml: str) -> list[ET.Element]:
    root = ET.fromstring(xml)
    assert root.tag == f"{A}feed"
    for tag in ("id", "title", "updated"):
        assert root.find(f"{A}{tag}") is not None, tag
    return root.findall(f"{A}entry")


def test_atom_has_one_entry_per_story_newest_first(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stories = _stored(db)
    assert len(stories) >= 2  # the two events are not one story
    assert main(["stories", "--db", str(db), "--format", "atom",
                 "--base-url", "http://news.test:9000/"]) == 0
    entries = _entries(capsys.readouterr().out)
    assert len(entries) == len(stories)
    by_url = {f"http://news.test:9000/stories/{s.id}": s for s in stories}
    seen = []
    for entry in entries:
        url = entry.findtext(f"{A}id")
        link = entry.find(f"{A}link")
        assert link is not None and link.get("href") == url and url in by_url
        story = by_url[url]
        seen.append(story.id)
        assert entry.findtext(f"{A}title") == (story.headline or story.label)
        # issue 14: updated is the story's last arrival; the content its (whole) brief
        with open_store(db, create=False) as store:
            arrived = max(store.arrivals(story.id).values())
        assert entry.findtext(f"{A}updated") == arrived.strftime("%Y-%m-%dT%H:%M:%SZ")
        content = entry.find(f"{A}content")
        assert content is not None and content.get("type") == "html"
        assert f'href="{url}"' in (content.text or "")
        summary = entry.findtext(f"{A}summary") or ""
        assert f"{story.size} article" in summary and story.label in summary
    assert sorted(seen) == sorted(s.id for s in stories)
    times = [e.findtext(f"{A}updated") or "" for e in entries]
    assert times == sorted(times, reverse=True)  # newest update first


def test_json_is_a_list_of_story_records(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stories = _stored(db)
    assert main(["stories", "--db", str(db), "--format", "json"]) == 0
    records = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in records] == [s.id for s in stories]  # largest first, as stored
    for record, story in zip(records, stories, strict=True):
        assert record["articles"] == story.size and record["sources"] == story.sources
        assert record["label"] == story.label
        assert record["url"] == f"http://127.0.0.1:8000/stories/{story.id}"
        assert datetime.fromisoformat(record["updated"]) == story.last


def test_table_is_unchanged_and_bad_base_url_is_refused(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stories", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split() == ["ID", "SIZE", "SRC", "SPAN", "LABEL"]
    assert main(["stories", "--db", str(db), "--format", "atom", "--base-url", "news"]) == 2
    assert "--base-url" in capsys.readouterr().err


def test_atom_escapes_markup_and_drops_what_xml_cannot_hold() -> None:
    odd = StoryInfo(id=7, size=1, sources=1, first=None, last=None,
                    label="a & b <script>\x01", headline="<b>Bold</b> & \x0b claims")
    now = datetime(2025, 1, 1, tzinfo=UTC)
    entries = _entries(stories_to_atom([odd], "http://h", now=now))
    assert entries[0].findtext(f"{A}title") == "<b>Bold</b> &  claims"
    assert entries[0].findtext(f"{A}updated") == UNDATED.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "a & b <script>" in (entries[0].findtext(f"{A}summary") or "")
    empty = ET.fromstring(stories_to_atom([], "http://h", now=now))
    assert empty.findtext(f"{A}updated") == "2025-01-01T00:00:00Z"
    assert empty.findall(f"{A}entry") == []


def test_web_feed_is_atom_with_the_security_headers(db: Path) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from newsbrief.web import create_app

    stories = _stored(db)
    with open_store(db, create=False) as store, TestClient(
        create_app(store), raise_server_exceptions=False, base_url="http://localhost"
    ) as client:
        answer = client.get("/feed.atom")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    entries = _entries(answer.text)
    assert sorted(e.findtext(f"{A}id") or "" for e in entries) == sorted(
        f"http://localhost/stories/{s.id}" for s in stories
    )


def test_web_feed_without_a_store_is_a_404() -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from newsbrief.web import create_app

    with TestClient(create_app(None), raise_server_exceptions=False,
                    base_url="http://localhost") as client:
        assert client.get("/feed.atom").status_code == 404

