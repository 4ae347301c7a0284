"""The standalone HTML brief (``--format html``) in real headless Chromium: a click on a
citation opens the cited article and highlights the source sentence in its paragraph."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_web_browser import CHROMIUM, CHROMIUM_FLAGS, _require_browser

from newsbrief.cli import main

pytestmark = pytest.mark.browser


def test_click_on_citation_highlights_source_sentence(seeds_dir: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    sync_playwright = _require_browser()
    page_path = tmp_path / "brief.html"
    assert main(["brief", str(seeds_dir), "--format", "html", "-o", str(page_path)]) == 0
    capsys.readouterr()
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri())
        cites = page.locator("a.cite")
        assert cites.count() >= 10
        checked = 0
        for i in range(cites.count()):
            cite = cites.nth(i)
            target = cite.get_attribute("data-target")
            article = cite.get_attribute("data-article")
            cite.click()
            mark = page.locator(f"mark#{target}")
            assert mark.evaluate("m => m.classList.contains('hl')")
            assert page.locator("mark.hl").count() == 1
            # the highlighted sentence sits inside the cited article, now open
            box = page.locator(f"#article-{article}")
            assert box.evaluate("b => b.classList.contains('open')")
            assert box.locator(f"mark#{target}").count() == 1
            assert mark.is_visible()
            checked += 1
        # the toggle shows what cleaning removed, with reasons
        assert not page.locator(".removed").first.is_visible()
        page.locator("button.toggle-removed").click()
        assert page.get_by_text("paywall or subscription prompt").first.is_visible()
        browser.close()
    assert checked >= 10
    assert all(u.startswith("file://") for u in requests), requests
