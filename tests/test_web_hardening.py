"""The web server as a local service (issue 13): hosts, origins, headers on errors, the cache's
keys, race and failures, the brief pool, and the server's timeouts and connection cap.

Each test reproduces a row of the issue's table; the ones that need real sockets (slow
headers, slow bodies, too many connections) run a real uvicorn server in a thread.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette.testclient's note on httpx
    from fastapi.testclient import TestClient

import uvicorn

import newsbrief.web.app as web_app
from newsbrief import Article, Brief, Settings, brief, read_paths
from newsbrief.store import StoryInfo, parse_story_id
from newsbrief.web import WebSettings, create_app, server_config
from newsbrief.web.cache import BriefCache, RenderedBrief
from newsbrief.web.guard import host_name
from newsbrief.web.pool import BriefPool

LOCAL = "http://localhost"
SECURITY = ("content-security-policy", "x-content-type-options", "x-frame-options",
            "referrer-policy")


@dataclass
class NumberedStore:
    """Stories by number, looked up as the real stores do (``parse_story_id``)."""

    groups: dict[int, list[Article]]
    loads: list[str] = field(default_factory=list)

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
        self.loads.append(story_id)
        return list(self.groups.get(parse_story_id(story_id) or -1, []))


@pytest.fixture(scope="module")
def seed_articles(seeds_dir: Path) -> list[Article]:
    articles: list[Article] = read_paths([seeds_dir]).articles
    return articles


@pytest.fixture(scope="module")
def seed_brief(seed_articles: list[Article]) -> Brief:
    return brief(seed_articles, settings=Settings(words=60, sections=False))


@pytest.fixture
def briefs(monkeypatch: pytest.MonkeyPatch, seed_brief: Brief) -> list[int]:
    """Replace the web layer's ``brief`` by a quick one that returns the seed brief; the list
    counts its calls."""
    calls: list[int] = []

    def quick(*args: Any, **kwargs: Any) -> Brief:
        calls.append(1)
        return seed_brief

    monkeypatch.setattr(web_app, "brief", quick)
    return calls


def stories(seed_articles: list[Article], n: int) -> NumberedStore:
    """``n`` stories, each a different subset of the seeds (so their briefs differ)."""
    return NumberedStore({i: seed_articles[: 1 + i % len(seed_articles)] for i in range(1, n + 1)})


def assert_security_headers(response: httpx.Response) -> None:
    missing = [h for h in SECURITY if h not in response.headers]
    assert not missing, f"{response.status_code} {response.request.url} lacks {missing}"
    assert "default-src 'none'" in response.headers["content-security-policy"]


# --- hosts and origins -------------------------------------------------------------------


def test_host_name_parsing() -> None:
    assert host_name("LocalHost:8000") == "localhost"
    assert host_name("[::1]:8000") == "::1"
    assert host_name("127.0.0.1") == "127.0.0.1"
    assert host_name("evil.example:80") == "evil.example"
    assert host_name("localhost:") == "localhost:"  # no port after the colon: not a loopback name


def test_another_host_gets_a_403(seed_articles: list[Article]) -> None:
    # Before: every Host was answered, so a page on a DNS name rebound to 127.0.0.1 could
    # read the local API.
    app = create_app(stories(seed_articles, 1))
    for base in ("http://evil.example", "http://evil.example:8000", "http://localhost.evil"):
        with TestClient(app, base_url=base) as c:
            page = c.get("/")
            assert page.status_code == 403 and "--allow-host" in page.text, base
            assert_security_headers(page)
            api = c.get("/api/stories")
            assert api.status_code == 403 and "is not served here" in api.json()["error"]
    for base in ("http://localhost:8000", "http://127.0.0.1:1234", "http://[::1]:8000",
                 "http://LOCALHOST"):
        with TestClient(app, base_url=base) as c:
            assert c.get("/").status_code == 200, base
    allowed = create_app(stories(seed_articles, 1), WebSettings(allowed_hosts=("News.Lan",)))
    with TestClient(allowed, base_url="http://news.lan:8000") as c:
        assert c.get("/").status_code == 200
    with TestClient(allowed, base_url="http://evil.example") as c:
        assert c.get("/").status_code == 403
    ipv6 = create_app(stories(seed_articles, 1), WebSettings(allowed_hosts=("fe80::1",)))
    with TestClient(ipv6, base_url="http://[fe80::1]:8000") as c:
        assert c.get("/").status_code == 200


def test_a_cross_site_post_gets_a_403(seed_articles: list[Article]) -> None:
    # Before: a form on any site could post to the local server.
    with TestClient(create_app(stories(seed_articles, 1)), base_url=LOCAL) as c:
        for headers in ({"origin": "http://evil.example"}, {"origin": "null"},
                        {"referer": "http://evil.example/page"},
                        {"origin": "http://localhost:9999"}):
            refused = c.post("/api/brief", data={"text": " "}, headers=headers)
            assert refused.status_code == 403, headers
            assert "cross-site request refused" in refused.json()["error"]
            assert_security_headers(refused)
        page = c.post("/brief", data={"text": " "}, headers={"origin": "http://evil.example"})
        assert page.status_code == 403 and "cross-site request refused" in page.text
        # Same site, or no browser at all: the form is read (and found empty: a 400).
        for headers in ({"origin": "http://localhost"}, {"referer": "http://localhost/brief"},
                        {}):
            assert c.post("/api/brief", data={"text": " "}, headers=headers).status_code == 400
        # Reading is not state-changing: another Origin on a GET is answered.
        assert c.get("/", headers={"origin": "http://evil.example"}).status_code == 200


def test_allow_host_is_checked(capsys: pytest.CaptureFixture[str]) -> None:
    from newsbrief.cli import main

    assert main(["serve", "--allow-host", "a/b", "--port", "1"]) == 2
    assert "allowed host must be a host name or address, got 'a/b'" in capsys.readouterr().err


# --- headers on every answer -------------------------------------------------------------


def test_errors_carry_the_security_headers(
    seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = stories(seed_articles, 1)

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("store on fire")

    monkeypatch.setattr(store, "stories", broken)
    with TestClient(create_app(store, WebSettings(max_body_bytes=100)), base_url=LOCAL,
                    raise_server_exceptions=False) as c:
        # Before: the 500 came from Starlette's outermost middleware, past the one that
        # added the headers, so it had none.
        for url in ("/", "/api/stories"):
            failed = c.get(url)
            assert failed.status_code == 500 and "store on fire" not in failed.text
            assert_security_headers(failed)
        for response in (c.get("/no/such/page"), c.get("/stories/999"),
                         c.post("/api/brief", data={"text": "x" * 200}),
                         c.put("/api/brief")):
            assert response.status_code in (404, 405, 413)
            assert_security_headers(response)


# --- the cache ---------------------------------------------------------------------------


def test_every_spelling_of_a_story_id_is_one_cache_entry(
    seed_articles: list[Article], briefs: list[int]
) -> None:
    # Before: the cache was keyed on the raw URL, so /stories/02 and /stories/%202 briefed
    # story 2 again (156 s each for the story of the issue).
    with TestClient(create_app(stories(seed_articles, 2)), base_url=LOCAL) as c:
        assert c.get("/stories/2").status_code == 200
        for spelling in ("02", "%202", "002", "2%20"):
            moved = c.get(f"/stories/{spelling}", follow_redirects=False)
            assert moved.status_code == 308 and moved.headers["location"] == "/stories/2"
            assert c.get(f"/stories/{spelling}").status_code == 200
            api = c.get(f"/api/stories/{spelling}", follow_redirects=False)
            assert api.headers["location"] == "/api/stories/2"
        assert len(briefs) == 1
        for odd in ("1_0", "-2", "²", "2.0"):
            assert c.get(f"/stories/{odd}").status_code == 404, odd


def _rendered(story: str) -> RenderedBrief:
    return RenderedBrief(articles=(), html=story.encode(), json=b"{}")


def test_an_entry_evicted_while_its_story_is_loaded_is_not_a_500() -> None:
    # The race of the issue, step by step. Before: story 1's request, back from the store,
    # called move_to_end("1") after story 2's brief had evicted it: KeyError, a 500.
    async def scenario() -> RenderedBrief:
        cache = BriefCache(1, BriefPool(2, 2), fresh_seconds=0)
        store_asked, go_on = asyncio.Event(), asyncio.Event()

        async def load_now() -> tuple[Article, ...]:
            return ()

        async def load_slowly() -> tuple[Article, ...]:
            store_asked.set()
            await go_on.wait()
            return ()

        await cache.get("1", load_now, lambda _: _rendered("1"))
        again = asyncio.create_task(cache.get("1", load_slowly, lambda _: _rendered("1x")))
        await store_asked.wait()
        await cache.get("2", load_now, lambda _: _rendered("2"))  # evicts story 1
        go_on.set()
        return await again

    found = asyncio.run(scenario())
    assert found.html in (b"1", b"1x")


@dataclass
class Server:
    """A uvicorn server with ``server_config``'s limits, in a thread, on a free port."""

    host: str
    port: int
    server: uvicorn.Server
    thread: threading.Thread

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


@pytest.fixture
def serve_app() -> Iterator[Any]:
    started: list[tuple[Server, socket.socket]] = []

    def start(store: Any, settings: WebSettings) -> Server:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        config = server_config(store, "127.0.0.1", port, settings, log_level="critical",
                               lifespan="off")
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.02)
        started.append((Server("127.0.0.1", port, server, thread), sock))
        return started[-1][0]

    yield start
    for s, sock in started:
        s.server.should_exit = True
        s.thread.join(timeout=10)
        sock.close()


def test_concurrent_requests_for_uncached_stories_never_500(
    seed_articles: list[Article], briefs: list[int], serve_app: Any
) -> None:
    # Real HTTP from 12 threads at once over 6 stories, a cache of 2 and no freshness
    # window: evictions happen while requests wait on the store. Before: 1 to 5 of the 60
    # were 500s in each of 4 runs.
    server = serve_app(stories(seed_articles, 6),
                       WebSettings(cache_size=2, fresh_seconds=0, brief_queue=100))

    def fetch(i: int) -> int:
        return httpx.get(f"{server.url}/stories/{1 + i % 6}", timeout=30).status_code

    with ThreadPoolExecutor(12) as pool:
        codes = list(pool.map(fetch, range(60)))
    assert set(codes) == {200}, {c: codes.count(c) for c in set(codes)}


def test_a_failing_story_is_not_briefed_again_within_the_window(
    seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: a story whose brief failed (156 s and a MemoryError in the issue) was briefed
    # again on every request.
    calls: list[int] = []

    def failing(*args: Any, **kwargs: Any) -> Brief:
        calls.append(1)
        raise MemoryError("too big")

    monkeypatch.setattr(web_app, "brief", failing)
    for window, expected in ((60.0, 1), (0.0, 3)):
        calls.clear()
        app = create_app(stories(seed_articles, 1), WebSettings(failure_seconds=window))
        with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as c:
            for url in ("/stories/1", "/api/stories/1", "/stories/01"):
                failed = c.get(url)
                assert failed.status_code == 500 and "too big" not in failed.text
                assert_security_headers(failed)
        assert len(calls) == expected, window


# --- the brief pool ----------------------------------------------------------------------


def test_a_full_pool_answers_503_with_retry_after(
    seed_articles: list[Article], seed_brief: Brief, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before: every post waited on a semaphore with its upload read into memory, without
    # bound; no request was ever refused.
    release = threading.Event()
    running = threading.Event()

    def blocking(*args: Any, **kwargs: Any) -> Brief:
        running.set()
        assert release.wait(10)
        return seed_brief

    monkeypatch.setattr(web_app, "brief", blocking)
    app = create_app(stories(seed_articles, 2), WebSettings(brief_workers=1, brief_queue=1))
    text = {"text": (seed_articles[0].text + "\n---\n") * 2}

    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=LOCAL) as c:
            first = asyncio.create_task(c.post("/api/brief", data=text))
            await asyncio.to_thread(running.wait, 10)
            queued = asyncio.create_task(c.post("/api/brief", data=text))
            await asyncio.sleep(0.2)  # the second waits in the queue
            refused = await asyncio.wait_for(c.post("/api/brief", data=text), 5)
            story = await asyncio.wait_for(c.get("/stories/1"), 5)  # not cached: needs a worker
            release.set()
            done = await asyncio.gather(first, queued)
            again = await c.get("/stories/1")  # the 503 was not remembered as a failure
            return [refused, story, *done, again]

    refused, story, first, queued, again = asyncio.run(scenario())
    for busy in (refused, story):
        assert busy.status_code == 503 and busy.headers["retry-after"] == "5"
        assert_security_headers(busy)
    assert "the server is busy" in refused.json()["error"]
    assert [first.status_code, queued.status_code, again.status_code] == [200, 200, 200]


# --- the server: slow clients and too many connections -----------------------------------


def _read_all(sock: socket.socket, seconds: float) -> bytes:
    """What the server sends until it closes the connection (or ``seconds`` pass)."""
    sock.settimeout(seconds)
    data = b""
    try:
        while chunk := sock.recv(4096):
            data += chunk
    except TimeoutError:
        return data + b"<still open>"
    return data


def test_slow_headers_are_cut_off(serve_app: Any) -> None:
    # Before: no header timeout, so 20,000 such connections used up every file descriptor.
    server = serve_app(None, WebSettings(header_timeout=0.5))
    with socket.create_connection(("127.0.0.1", server.port)) as slow:
        slow.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        start = time.monotonic()
        answer = _read_all(slow, 5)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"<still open>" not in answer
    assert time.monotonic() - start < 3
    with socket.create_connection(("127.0.0.1", server.port)) as silent:
        assert _read_all(silent, 5).startswith(b"HTTP/1.1 408 ")


def test_an_idle_kept_alive_connection_is_not_cut_by_the_header_timeout(
    serve_app: Any
) -> None:
    server = serve_app(None, WebSettings(header_timeout=0.3, keep_alive_seconds=5))
    with httpx.Client(base_url=server.url) as c:
        assert c.get("/healthz").status_code == 200
        time.sleep(0.6)  # idle, past the header timeout, within keep-alive
        assert c.get("/healthz").status_code == 200


def test_slow_bodies_are_cut_off(serve_app: Any) -> None:
    server = serve_app(None, WebSettings(body_timeout=0.5))
    with socket.create_connection(("127.0.0.1", server.port)) as slow:
        slow.sendall(b"POST /api/brief HTTP/1.1\r\nHost: localhost\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\n"
                     b"Content-Length: 1000\r\n\r\ntext=abc")
        answer = _read_all(slow, 5)
    assert answer.startswith(b"HTTP/1.1 408 "), answer[:200]
    assert b"not received within 0.5 s" in answer and answer.endswith(b"}")


def test_connections_past_the_cap_are_refused_at_once(serve_app: Any) -> None:
    server = serve_app(None, WebSettings(max_connections=4, header_timeout=30))
    held = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(4)]
    try:
        time.sleep(0.2)
        with socket.create_connection(("127.0.0.1", server.port)) as extra:
            answer = _read_all(extra, 3)
        assert answer.startswith(b"HTTP/1.1 503 ") and b"<still open>" not in answer
    finally:
        for sock in held:
            sock.close()
    time.sleep(0.2)
    assert httpx.get(f"{server.url}/healthz", timeout=5).status_code == 200


def test_the_cache_keeps_to_its_byte_budget_but_always_the_newest() -> None:
    async def fill() -> BriefCache:
        cache = BriefCache(100, BriefPool(1, 0), max_bytes=250)

        async def load() -> tuple[Article, ...]:
            return ()

        for story, size in (("1", 100), ("2", 100), ("3", 100), ("4", 1000)):
            await cache.get(story, load, lambda _, n=size: _rendered("x" * n))
            assert cache.nbytes <= 250 or len(cache) == 1
        return cache

    cache = asyncio.run(fill())
    assert len(cache) == 1 and cache.nbytes == 1002  # "4" alone: its page and "{}"


def test_retry_after_follows_the_pace_of_briefs() -> None:
    pool = BriefPool(2, 8)
    assert pool.retry_after() == 5  # before any brief was timed

    async def quick_briefs() -> None:
        for _ in range(30):
            with pool.reserve() as slot:
                await slot.run(time.sleep, 0.01)

    asyncio.run(quick_briefs())
    assert pool.retry_after() == 1 and pool.taken == 0
