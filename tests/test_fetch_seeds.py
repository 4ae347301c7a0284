"""The five seed articles served as pages with an RSS feed: fetched, one story, briefed."""

from __future__ import annotations

from pathlib import Path

import pytest
from _fetch_server import Reply, html_page, html_reply, rss, running

from newsbrief.fetch import FetchSettings, fetch_urls
from newsbrief.pipeline import brief
from newsbrief.store import open_store

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def _title_and_paragraphs(path: Path) -> tuple[str, list[str]]:
    """A seed's headline and body. Its first line is usually the headline; a line of
    fewer than four words before it (a section name: "World") is not one."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    k = next(i for i, line in enumerate(lines) if len(line.split()) >= 4)
    return lines[k], lines[k + 1 :]


@pytest.mark.slow
def test_seed_pages_from_a_feed_are_one_story_and_briefed(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    if len(seeds) != 5:
        pytest.skip(f"the five seed articles are not in {SEEDS}")
    with running() as site:
        items = []
        for n, path in enumerate(seeds):
            title, paragraphs = _title_and_paragraphs(path)
            site.serve(f"/seed/{n}", html_reply(html_page(title, paragraphs)))
            items.append((title, site.url(f"/seed/{n}?utm_source=rss"), paragraphs[0],
                          f"Tue, 24 Jan 2017 1{n}:00:00 GMT"))
        site.serve("/rss.xml", Reply(200, rss(items, "Seed wire"),
                                     {"Content-Type": "application/rss+xml"}))
        with open_store(tmp_path / "seeds.db") as store:
            report = fetch_urls(store, [site.url("/rss.xml")], FetchSettings(delay=0.01))
            assert report.feeds == 1 and report.pages == 5, report.problems
            assert not report.problems and not report.summaries
            stories = store.stories()
            assert [s.size for s in stories] == [5]
            articles = store.articles(stories[0].id)
    assert {a.url for a in articles} == {site.url(f"/seed/{n}") for n in range(5)}
    result = brief(articles, words=120)
    assert result.summary
    cited = {a for s in result.summary for a in s.article_ids}
    assert len(cited) >= 2
    assert any("Russia" in s.text for s in result.summary)
