"""End to end in real headless Chromium against a real uvicorn server on a loopback port.

Needs Debian's chromium (``.ci/install-browser.sh``) and the ``playwright`` package; the
tests skip, saying which is missing, unless ``NEWSBRIEF_REQUIRE_BROWSER=1`` (set it in CI),
which turns a missing browser into a failure. ``NEWSBRIEF_SCREENSHOT=path.png`` saves the
story page (docs/screenshot-story.png is made this way).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")
import uvicorn

from newsbrief import read_paths
from newsbrief.ingest import ingest_articles
from newsbrief.store import SQLiteStore, open_store
from newsbrief.web import create_app
from newsbrief.web.app import StoryStore

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("NEWSBRIEF_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
HIGHLIGHT = "rgb(255, 212, 59)"  # --hl in app.css

EVIL_NAME = "evil.txt"
EVIL = (
    "Officials said on Monday that talks <script>alert('script ran')</script> would go on "
    "for another week, according to three people familiar with the matter.\n"
    "A photo <img src=/x-should-not-load onerror=\"alert('onerror ran')\"> of the meeting "
    "was shown to reporters in the capital on Tuesday afternoon.\n"
    "The ministry <svg onload=\"alert('svg ran')\"></svg> said the strikes destroyed "
    "ammunition stores near the town, and that more strikes were planned.\n"
)


def _require_browser() -> Any:
    reason = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        reason = "playwright is not installed (pip install -e '.[web]')"
    if reason is None and not (os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM)):
        reason = f"no Chromium at {CHROMIUM} (run .ci/install-browser.sh)"
    if reason is not None:
        if os.environ.get("NEWSBRIEF_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but {reason}")
        pytest.skip(reason)
    return sync_playwright


@dataclass
class Server:
    """A uvicorn server in a thread, on a free loopback port."""

    url: str
    server: uvicorn.Server
    thread: threading.Thread
    sock: socket.socket

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


def start_server(store: StoryStore | None) -> Server:
    """Serve ``create_app(store)`` on 127.0.0.1 at a port the OS picks, once it is up."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(create_app(store), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return Server(f"http://127.0.0.1:{port}", server, thread, sock)




@dataclass
class Browser:
    """One Chromium for the module; every request any page makes is recorded."""

    browser: Any
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def page(self, width: int = 1280, height: int = 900) -> Any:
        page = self.browser.new_page(viewport={"width": width, "height": height})
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("dialog", self._dialog)
        return page


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    sync_playwright = _require_browser()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        assert chromium.version, "Chromium did not report a version"
        try:
            yield Browser(chromium)
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def form_server() -> Iterator[Server]:
    server = start_server(None)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Iterator[SQLiteStore]:
    """A real SQLite store holding the seed articles."""
    with open_store(tmp_path_factory.mktemp("store") / "stories.db") as db:
        ingest_articles(db, read_paths([seeds_dir]).articles)
        yield db


@pytest.fixture(scope="module")
def store_server(store: SQLiteStore) -> Iterator[Server]:
    server = start_server(store)
    yield server
    server.stop()


def _check_citations(page: Any, brief: dict[str, Any]) -> int:
    """Click every citation; each must highlight exactly the sentence the brief cites."""
    texts = {a["id"]: a["text"] for a in brief["articles"]}
    number = {a["id"]: n for n, a in enumerate(brief["articles"])}
    expected = [  # the page lists each sentence's citations in number order ([1][2][4])
        texts[c["article_id"]][c["start"] : c["end"]]
        for s in brief["summary"]
        for c in sorted(s["citations"], key=lambda c: number[c["article_id"]])
    ]
    cites = page.locator(".summary a.cite")
    assert cites.count() == len(expected) > 0
    for i, sentence in enumerate(expected):
        cites.nth(i).click()
        target = page.locator("mark:target")
        assert target.count() == 1
        assert target.inner_text() == sentence
        assert target.evaluate("m => getComputedStyle(m).backgroundColor") == HIGHLIGHT
        article_id = cites.nth(i).get_attribute("data-article")
        assert target.evaluate("m => m.closest('article.source').id") == f"source-{article_id}"
        assert target.is_visible()
    return len(expected)


def _only_loopback(browser: Browser) -> None:
    leaked = [u for u in browser.requests
              if urlsplit(u).scheme != "data" and urlsplit(u).hostname != "127.0.0.1"]
    assert not leaked, f"requests left the machine: {leaked}"


def test_stories_page_story_and_citations(
    browser: Browser, store_server: Server, store: SQLiteStore
) -> None:
    page = browser.page()
    page.goto(store_server.url + "/?min_sources=1")  # "/" hides one-source stories
    infos = store.stories(order="recent")
    rows = page.locator(".story-row")
    assert rows.count() == len(infos) >= 1
    # open the largest story: the seed article and its paywalled re-post at least
    biggest = max(infos, key=lambda i: i.size)
    row = page.locator(".story-row", has=page.locator(f'a[href="/stories/{biggest.id}"]'))
    assert f"{biggest.size} articles · {biggest.sources} sources" in row.inner_text()
    row.locator("a.story-link").click()
    page.wait_for_selector(".summary .sentence")
    assert page.url == f"{store_server.url}/stories/{biggest.id}"
    brief = page.request.get(f"{store_server.url}/api/stories/{biggest.id}").json()
    # the heading falls back as the template does: title, else story id, else "Brief"
    assert page.locator("h1").inner_text() == (brief["title"] or brief["story"] or "Brief")
    assert page.locator("article.source").count() == len(brief["articles"]) == biggest.size
    assert _check_citations(page, brief) >= 2
    shot = os.environ.get("NEWSBRIEF_SCREENSHOT")
    if shot:
        page.set_viewport_size({"width": 1440, "height": 900})
        page.locator(".summary a.cite").nth(1).click()
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=shot)
    # search narrows the list to the stories the store finds; a word from no article, to none
    page.goto(store_server.url + "/?q=Spicer")
    assert page.locator(".story-row").count() == len(store.stories(query="Spicer")) >= 1
    page.goto(store_server.url + "/?q=xylophonist")
    assert page.locator(".story-row").count() == 0
    assert "No story matches" in page.locator("main").inner_text()
    _only_loopback(browser)


def test_upload_seeds_and_click_a_citation(
    browser: Browser, form_server: Server, seeds_dir: Path
) -> None:
    page = browser.page()
    page.goto(form_server.url + "/brief")
    page.set_input_files("#files", [str(p) for p in sorted(seeds_dir.glob("*.txt"))])
    page.fill("#words", "150")
    page.click("#make-brief")
    page.wait_for_selector(".summary .sentence")
    assert "5 articles from 4 distinct sources" in page.locator(".brief .meta").first.inner_text()
    assert page.locator("article.source.copy").count() == 1  # the paywalled re-post
    first = page.locator(".summary a.cite").first
    first.click()
    target = page.locator("mark:target")
    assert target.count() == 1 and target.get_attribute("id") == first.get_attribute(
        "href").lstrip("#")
    assert target.evaluate("m => getComputedStyle(m).backgroundColor") == HIGHLIGHT
    # the removed text and its reasons show only when asked for
    removed = page.locator("p.removed").first
    assert not removed.is_visible()
    page.click("label[for=show-removed]")
    assert removed.is_visible() and removed.locator(".reason").inner_text()
    _only_loopback(browser)


def test_bad_upload_says_why(browser: Browser, form_server: Server, tmp_path: Path) -> None:
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.7")
    page = browser.page()
    page.goto(form_server.url + "/brief")
    page.set_input_files("#files", [str(bad)])
    page.click("#make-brief")
    errors = page.locator("#form-errors")
    assert "scan.pdf: unsupported file type '.pdf'" in errors.inner_text()


def test_article_markup_runs_nothing(
    browser: Browser, form_server: Server, seeds_dir: Path, tmp_path: Path
) -> None:
    evil = tmp_path / EVIL_NAME
    evil.write_text(EVIL, encoding="utf-8")
    seed = sorted(seeds_dir.glob("*.txt"))[2]
    page = browser.page()
    page.goto(form_server.url + "/brief")
    page.set_input_files("#files", [str(evil), str(seed)])
    page.click("#make-brief")
    page.wait_for_selector("article.source")
    page.wait_for_timeout(300)  # give any injected handler a chance to fire
    body = page.locator("#source-a0").inner_text()
    assert "<script>alert('script ran')</script>" in body
    assert "<img src=/x-should-not-load" in body and "<svg onload=" in body
    injected = page.locator("article.source script, article.source img, article.source svg")
    assert injected.count() == 0
    assert browser.dialogs == []
    assert not any("x-should-not-load" in u for u in browser.requests)
    _only_loopback(browser)


def test_readable_on_a_phone(browser: Browser, form_server: Server, seeds_dir: Path) -> None:
    page = browser.page(width=375, height=740)
    page.goto(form_server.url + "/brief")
    page.set_input_files("#files", [str(p) for p in sorted(seeds_dir.glob("*.txt"))])
    page.click("#make-brief")
    page.wait_for_selector(".summary .sentence")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a phone screen"
    columns = page.locator("article.source")
    boxes = [columns.nth(i).bounding_box() for i in range(columns.count())]
    assert len(boxes) == 5  # one column per seed article
    assert all(b["x"] == boxes[0]["x"] for b in boxes)  # stacked, not side by side
