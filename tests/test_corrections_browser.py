"""Correcting stories in real headless Chromium against a real uvicorn server: merge two
stories with the story page's form, then read the update brief after more articles arrive.

Skips as tests/test_web_browser.py does (its server and browser helpers are used here).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="the web extra is not installed: pip install -e '.[web]'")

from test_corrections import CLUSTERS, _first, _ids, _later, _truth
from test_update import NEW, NEW_FACT
from test_web_browser import Browser, Server, _only_loopback, browser, start_server

from newsbrief.ingest import ingest_articles
from newsbrief.readers import read_paths
from newsbrief.store import SQLiteStore, open_store

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the module's Chromium fixture, shared from test_web_browser


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, SQLiteStore]]:
    with open_store(tmp_path / "stories.db") as st:
        ingest_articles(st, _first(CLUSTERS, 4))
        server = start_server(st)
        try:
            yield server, st
        finally:
            server.stop()


def test_merge_on_the_story_page_then_read_the_update(
    browser: Browser, served: tuple[Server, SQLiteStore]
) -> None:
    server, st = served
    t = _truth(st)
    keep, other = t["0"], t["1"]
    page = browser.page()
    page.goto(f"{server.url}/stories/{keep}")
    assert "4 articles from" in page.locator("p.meta").first.inner_text()
    ids = _ids(st, keep)
    assert page.locator(".story-articles tbody tr").count() == len(ids)

    page.fill("#merge-other", str(other))
    page.click("#merge-button")
    page.wait_for_url(f"{server.url}/stories/{keep}")
    assert "8 articles from" in page.locator("p.meta").first.inner_text()
    assert page.locator(".story-articles tbody tr").count() == 8
    assert st.story(other) is None and st.merged_into(other) == keep
    # the merged-away story's address leads to the kept story
    page.goto(f"{server.url}/stories/{other}")
    assert page.url == f"{server.url}/stories/{keep}"
    assert page.locator(".update").count() == 0  # nothing arrived since the last visit

    # more articles of both merged stories arrive after the visit (arrivals are to the second)
    time.sleep(1.1)
    later = [a for a in _later(CLUSTERS, 4) if a.story in ("c0", "c1")]
    report = ingest_articles(st, later)
    assert report.stored == len(later) == 4 and report.new_stories == 0
    assert len(_ids(st, keep)) == 12
    page.reload()
    update = page.locator("section.update")
    update.wait_for()
    assert update.locator("h2").inner_text() == "New since your last visit"
    assert update.locator("p.meta").first.inner_text().startswith("4 new articles")
    assert page.locator("h2", has_text="The whole story").count() == 1
    _only_loopback(browser)


def test_merge_then_read_what_the_new_article_says(
    browser: Browser, story_dir: Path, tmp_path: Path
) -> None:
    """Real news text: a stray story merged in on the page, then a later report arrives and
    the update brief tells its new facts, citing only it."""
    with open_store(tmp_path / "s.db") as st:
        ingest_articles(st, read_paths([story_dir]).articles)
        ingest_articles(st, CLUSTERS[:1])  # another story, to merge in
        big, small = sorted(st.stories(min_sources=1), key=lambda s: -s.size)
        server = start_server(st)
        try:
            page = browser.page()
            page.goto(f"{server.url}/stories/{big.id}")
            page.fill("#merge-other", str(small.id))
            page.click("#merge-button")
            page.wait_for_url(f"{server.url}/stories/{big.id}")
            assert st.story(small.id) is None and st.merged_into(small.id) == big.id
            assert page.locator(".update").count() == 0
            time.sleep(1.1)  # arrivals are to the second
            ingest_articles(st, [NEW])
            merged = st.story(big.id)
            assert merged is not None and merged.size == big.size + small.size + 1
            page.reload()
            update = page.locator("section.update")
            update.wait_for()
            assert update.locator("h2").inner_text() == "New since your last visit"
            sentences = update.locator("p.sentence").all_inner_texts()
            assert any("21,000 homes" in t or NEW_FACT[:40] in t for t in sentences)
            cited = {c.get_attribute("data-article") for c in update.locator("a.cite").all()}
            assert cited
            for article_id in cited:  # only the new report is cited
                headline = page.locator(f"#source-{article_id} p.headline").inner_text()
                assert headline == NEW.title
            page.reload()
            assert page.locator(".update").count() == 0  # read now
            _only_loopback(browser)
        finally:
            server.stop()
