"""The web layer through its ASGI app: pages, API, limits, escaping, caching, errors."""

from __future__ import annotations

import asyncio
import json
import re
import sqlite3
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

with warnings.catch_warnings():
    # starlette.testclient warns at import that it prefers httpx2 over httpx.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import newsbrief.web.app as web_app
from newsbrief import Article, Settings, brief, read_paths, to_dict
from newsbrief.ingest import ingest_articles
from newsbrief.pipeline import brief_story
from newsbrief.store import SQLiteStore, StoryInfo, open_store
from newsbrief.web import WebSettings, create_app
from newsbrief.web.app import render_page
from newsbrief.web.views import EXTRA_SECTIONS, StoryRow, brief_view, plain

LOCAL = "http://localhost"
"""Where the test clients say they are: a loopback name, as the server requires."""

EVIL = (
    "Officials in Zanzibar said the <script>document.title='pwned'</script> talks would go on. "
    'A photo <img src=x onerror="document.title=\'pwned\'"> was shown to reporters. '
    "The ministry said the strikes destroyed ammunition stores near the town.\n"
)
EVIL_ARTICLE = Article(id="", source="evil.example", origin="evil.txt", text=EVIL * 3,
                       title="<b>Bold</b> claims", published=datetime(2017, 1, 24, tzinfo=UTC))


@dataclass
class MemoryStore:
    """Stories held in a dict, for the cache tests, which change a story's articles at will.

    Every other test here, and the browser tests, use the real SQLite store.
    """

    groups: dict[str, list[Article]]

    def stories(
        self, limit: int = 50, offset: int = 0, query: str | None = None, order: str = "size",
        min_sources: int = 0,
    ) -> list[StoryInfo]:
        return []

    def count_stories(self, query: str | None = None, min_sources: int = 0) -> int:
        return 0

    def story_sources(self, story_ids: object) -> dict[int, list[tuple[str, str | None]]]:
        return {}

    def articles(self, story_id: str) -> list[Article]:
        return list(self.groups.get(story_id, []))


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> list[Article]:
    articles: list[Article] = read_paths([seeds_dir]).articles
    return articles


@pytest.fixture
def store(tmp_path: Path, seed_articles: list[Article]) -> Iterator[SQLiteStore]:
    with open_store(tmp_path / "stories.db") as db:
        ingest_articles(db, [*seed_articles, EVIL_ARTICLE])
        yield db


@pytest.fixture
def client(store: SQLiteStore) -> Iterator[TestClient]:
    with TestClient(create_app(store), raise_server_exceptions=False, base_url=LOCAL) as c:
        yield c


def story_with(store: SQLiteStore, source: str) -> str:
    """The id of the story that holds the article from ``source``."""
    for info in store.stories(limit=1000):
        if any(a.source == source for a in store.articles(info.id)):
            return str(info.id)
    raise AssertionError(f"no story holds {source}")


def _seed_files(seeds_dir: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/plain"))
            for p in sorted(seeds_dir.glob("*.txt"))]


def test_stories_page_lists_every_story_newest_first(
    client: TestClient, store: SQLiteStore
) -> None:
    page = client.get("/?min_sources=1")  # the home page hides one-source stories
    assert page.status_code == 200
    listed = re.findall(r'<a class="story-link" href="/stories/(\d+)">', page.text)
    infos = store.stories(order="recent")
    assert listed == [str(i.id) for i in infos]
    for info in infos:
        noun = "article" if info.size == 1 else "articles"
        assert f"{info.size} {noun} · {info.sources} source" in page.text
    # a story with dates shows its span; its headline is shown as text
    assert "1 article · 1 source · 24 Jan 2017" in page.text
    assert "&lt;b&gt;Bold&lt;/b&gt; claims" in page.text


def test_search_filters_stories(client: TestClient, store: SQLiteStore) -> None:
    page = client.get("/", params={"q": "Zanzibar"})
    listed = re.findall(r'href="/stories/(\d+)"', page.text)
    assert listed == [story_with(store, "evil.example")]
    assert "No story matches" in client.get("/", params={"q": "xylophonist"}).text


def test_story_page_citations_point_at_marked_sentences(
    client: TestClient, store: SQLiteStore
) -> None:
    page = client.get(f"/stories/{story_with(store, '000_6f1855a796f7e457')}")
    assert page.status_code == 200
    start = page.text.index('<div class="summary">')
    summary = page.text[start : page.text.index("</div>", start)]
    targets = re.findall(r'<a class="cite" href="#([^"]+)"', summary)
    marks = set(re.findall(r'<mark id="([^"]+)"', page.text))
    assert targets, "the brief cites nothing"
    assert set(targets) <= marks
    # citations in the other sections (quotes, ...) point at the source's column
    sources = set(re.findall(r'<article class="source[^"]*" id="([^"]+)"', page.text))
    assert set(re.findall(r'<a class="cite" href="#(source-[^"]+)"', page.text)) <= sources


def test_removed_text_and_copies_are_on_the_page(client: TestClient, store: SQLiteStore) -> None:
    page = client.get(f"/stories/{story_with(store, '001_3d8ef4d761f4ed3d')}").text
    assert 'class="removed"' in page and "paywall or subscription prompt" in page
    assert 'class="source copy"' in page  # the store puts a near-copy in its original's story


def test_story_json_is_the_library_brief(client: TestClient, store: SQLiteStore) -> None:
    story_id = story_with(store, "000_6f1855a796f7e457")
    data = client.get(f"/api/stories/{story_id}").json()
    expected = to_dict(brief_story(store, story_id, Settings(words=250)))
    assert data == json.loads(json.dumps(expected, default=plain))


def test_api_stories(client: TestClient, store: SQLiteStore) -> None:
    data = client.get("/api/stories", params={"limit": 2}).json()
    infos = store.stories(limit=2, order="recent")
    assert data["limit"] == 2 and [s["id"] for s in data["stories"]] == [str(i.id) for i in infos]
    evil = client.get("/api/stories", params={"q": "Zanzibar"}).json()["stories"]
    # the terms depend on the word weights of the whole store: checked for shape only
    terms = evil[0].pop("terms")
    assert terms and all(isinstance(t, str) and t for t in terms)
    # issue 14: lede, outlets (names, never file paths), coverage, update time
    assert evil[0].pop("lede").startswith("Officials in Zanzibar said")
    assert evil[0].pop("outlets") == ["evil.example"] and evil[0].pop("coverage") == ""
    assert datetime.fromisoformat(evil[0].pop("updated")).tzinfo is not None
    assert evil == [{"id": story_with(store, "evil.example"), "label": "<b>Bold</b> claims",
                     "articles": 1, "sources": 1,
                     "first": "2017-01-24T00:00:00+00:00", "last": "2017-01-24T00:00:00+00:00"}]
    bad = client.get("/api/stories", params={"limit": 0})
    assert bad.status_code == 400 and "limit" in bad.json()["error"]


def test_unknown_story_is_a_404_page_and_json(client: TestClient) -> None:
    page = client.get("/stories/nope")
    assert page.status_code == 404 and "no story &#39;nope&#39;" in page.text
    assert page.headers["content-type"].startswith("text/html")
    api = client.get("/api/stories/99999")
    assert api.status_code == 404 and api.json()["error"] == "no story '99999'"
    assert client.get("/no/such/page").status_code == 404
    huge = client.get("/api/stories/99999999999999999999999")  # past SQLite's 64-bit integers
    assert huge.status_code == 404


def test_article_markup_is_shown_as_text(client: TestClient, store: SQLiteStore) -> None:
    page = client.get(f"/stories/{story_with(store, 'evil.example')}").text
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=" in page
    assert "&lt;b&gt;Bold&lt;/b&gt;" in page
    assert "<script" not in page and "<img" not in page and "<b>" not in page


def test_every_response_carries_the_csp(client: TestClient, store: SQLiteStore) -> None:
    story = f"/stories/{story_with(store, '000_6f1855a796f7e457')}"
    for url in ("/", story, "/stories/nope", "/brief", "/api/stories",
                "/static/app.css"):
        csp = client.get(url).headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src" not in csp  # no script at all


def test_pages_load_nothing_from_elsewhere(client: TestClient, store: SQLiteStore) -> None:
    story = f"/stories/{story_with(store, '000_6f1855a796f7e457')}"
    for url in ("/", story, "/brief"):
        page = client.get(url).text
        for ref in re.findall(r'(?:src|href|action)="([^"]*)"', page):
            assert ref.startswith(("/", "#")), f"{url} refers to {ref}"
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/docs").status_code == 404  # Swagger UI would load a CDN script


def test_upload_seeds_gives_a_brief_page(client: TestClient, seeds_dir: Path) -> None:
    page = client.post("/brief", files=_seed_files(seeds_dir), data={"words": "120"})
    assert page.status_code == 200
    assert '<p class="sentence">' in page.text and "5 articles from 4 distinct sources" in page.text
    api = client.post("/api/brief", files=_seed_files(seeds_dir))
    assert api.status_code == 200 and len(api.json()["articles"]) == 5


def test_pasted_articles_are_split_on_dashes(client: TestClient, seeds_dir: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))[:3]]
    data = client.post("/api/brief", data={"text": "\n---\n".join(texts)}).json()
    assert [a["origin"] for a in data["articles"]] == [
        "pasted article 1", "pasted article 2", "pasted article 3"]
    record = json.dumps({"text": EVIL, "source": "wire"})
    lines = f"{record}\n{{bad json"
    data = client.post("/api/brief", data={"text": lines}).json()
    assert data["articles"][0]["source"] == "wire"
    assert data["problems"][0]["origin"] == "pasted JSON lines:2"


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("a.pdf", b"%PDF-1.7", "unsupported file type '.pdf'"),
        ("a.txt", b"\x00\x01binary", "binary file"),
        ("a.txt", b"caf\xe9 au lait", "not valid UTF-8"),
        ("a.txt", b"   \n", "file is empty"),
        ("a.jsonl", b'{"title": "no text"}\n', "expected a 'text' field"),
        ("a.html", b"<html><body><p>hi</p></body></html>", "holds no article text"),
    ],
)
def test_bad_files_get_a_400_that_says_why(
    client: TestClient, name: str, content: bytes, reason: str
) -> None:
    api = client.post("/api/brief", files=[("files", (name, content, "text/plain"))])
    assert api.status_code == 400
    assert reason in api.json()["problems"][0]["message"]
    page = client.post("/brief", files=[("files", (name, content, "text/plain"))])
    assert page.status_code == 400 and 'id="form-errors"' in page.text


def test_bad_requests_say_why(client: TestClient) -> None:
    empty = client.post("/api/brief", data={"text": " "})
    assert empty.status_code == 400 and "nothing was posted" in empty.text
    words = client.post("/api/brief", data={"text": EVIL, "words": "5"})
    assert words.status_code == 400 and "words must be between 20 and 5000" in words.text
    not_form = client.post("/api/brief", json={"text": EVIL})
    assert not_form.status_code == 415 and "multipart/form-data" in not_form.text
    broken = client.post("/api/brief", content=b"--x\r\ngarbage",
                         headers={"content-type": "multipart/form-data; boundary=x"})
    assert broken.status_code == 400 and "Traceback" not in broken.text


def test_request_bodies_over_the_limit_get_a_413(store: SQLiteStore) -> None:
    with TestClient(create_app(store, WebSettings(max_body_bytes=10_000)), base_url=LOCAL) as c:
        big = c.post("/api/brief", data={"text": "x" * 20_000})
        assert big.status_code == 413 and "10,000-byte limit" in big.json()["error"]
        chunks = iter([b"--x\r\n", b"y" * 8_000, b"y" * 8_000])  # no content-length
        streamed = c.post("/brief", content=chunks,
                          headers={"content-type": "multipart/form-data; boundary=x"})
        assert streamed.status_code == 413 and "10,000-byte limit" in streamed.text


def _count_calls(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str) -> list[int]:
    calls: list[int] = []
    real = getattr(owner, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counting)
    return calls


@pytest.mark.parametrize("fresh_seconds", [0.0, 60.0])
def test_a_story_brief_is_computed_once(
    seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch, fresh_seconds: float
) -> None:
    store = MemoryStore({"1": list(seed_articles)})
    briefs = _count_calls(monkeypatch, web_app, "brief")
    loads = _count_calls(monkeypatch, store, "articles")
    settings = WebSettings(fresh_seconds=fresh_seconds)
    with TestClient(create_app(store, settings), base_url=LOCAL) as c:
        first = c.get("/stories/1").content
        assert c.get("/stories/1").content == first
        assert c.get("/api/stories/1").status_code == 200
        assert len(briefs) == 1
        # Within the freshness window the store is not even asked.
        assert len(loads) == (3 if fresh_seconds == 0 else 1)
        store.groups["1"] = store.groups["1"][:3]  # the story changes
        changed = "3 articles from" in c.get("/stories/1").text
        assert changed == (fresh_seconds == 0)
        assert len(briefs) == (2 if fresh_seconds == 0 else 1)


def test_concurrent_requests_share_one_computation(
    seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = MemoryStore({"1": list(seed_articles)})
    briefs = _count_calls(monkeypatch, web_app, "brief")
    app = create_app(store)

    async def fetch_all() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=LOCAL) as c:
            return await asyncio.gather(*(c.get("/stories/1") for _ in range(8)))

    pages = asyncio.run(fetch_all())
    assert [p.status_code for p in pages] == [200] * 8
    assert len({p.content for p in pages}) == 1 and len(briefs) == 1


def test_an_unexpected_failure_is_a_plain_500(
    store: SQLiteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def locked(*args: Any, **kwargs: Any) -> Any:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store, "stories", locked)
    with TestClient(create_app(store), raise_server_exceptions=False, base_url=LOCAL) as c:
        page = c.get("/")
        assert page.status_code == 500 and "Traceback" not in page.text
        assert "database is locked" not in page.text
        assert c.get("/api/stories").json() == {
            "error": "internal error: the server log says more", "status": 500}


def test_without_a_store_only_the_form_works() -> None:
    with TestClient(create_app(), base_url=LOCAL) as c:
        assert "No story store is open" in c.get("/").text
        assert c.get("/stories/x").status_code == 404
        assert c.get("/brief").status_code == 200


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/brief"} <= set(spec["paths"])
    form = spec["paths"]["/api/brief"]["post"]["requestBody"]["content"]["multipart/form-data"]
    assert {"text", "files", "words"} <= set(form["schema"]["properties"])


def test_optional_sections_are_rendered_when_present(seed_articles: list[Article]) -> None:
    b = brief(seed_articles, words=100)
    page = render_page("story.html.j2", view=brief_view(b))
    for name, title in EXTRA_SECTIONS.items():
        # Whatever the pipeline fills in (quotes, disputes, ...) gets its section.
        assert (f"<h2>{title}</h2>" in page) == bool(getattr(b, name, None)), name
    assert all(getattr(b, name) for name in EXTRA_SECTIONS)  # the seeds have all four


def test_unsafe_article_links_are_not_links(seed_articles: list[Article]) -> None:
    arts = [replace(seed_articles[0], url="javascript:alert(1)"),
            replace(seed_articles[2], url="https://example.org/a")]
    page = render_page("story.html.j2", view=brief_view(brief(arts)))
    assert 'href="javascript' not in page and 'href="https://example.org/a"' in page


def test_story_row_span() -> None:
    day = datetime(2017, 1, 23, 9)
    assert StoryRow("1", "x", 1, 1).span == ""
    assert StoryRow("1", "x", 1, 1, day, day.replace(hour=20)).span == "23 Jan 2017"
    assert StoryRow("1", "x", 2, 2, day, day.replace(day=25)).span == "23 Jan 2017 – 25 Jan 2017"


def test_serve_checks_its_options(capsys: pytest.CaptureFixture[str]) -> None:
    from newsbrief.cli import main

    assert main(["serve", "--port", "70000"]) == 2
    assert "port must be between 0 and 65535, got 70000" in capsys.readouterr().err
    assert main(["serve", "--db", "no-such.db"]) == 2
    assert "no-such.db: no such store" in capsys.readouterr().err


def test_odd_queries_and_ids_are_answered_not_500(client: TestClient) -> None:
    for url in ["/?q=a%00b", "/api/stories?q=a%00b", "/?q=%22", "/?q=%ED%A0%80",
                "/api/stories?offset=99999999999999999999"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/api/stories?q=%22").json()["stories"] == []
    for url in ["/stories/1_0", "/api/stories/1_0", "/api/stories/99999999999999999999"]:
        assert client.get(url).status_code == 404, url
