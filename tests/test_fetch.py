"""Fetching over real HTTP: a server on 127.0.0.1 serves pages, feeds and failures."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from _fetch_server import (
    Reply,
    Site,
    etagged,
    gzip_reply,
    html_page,
    html_reply,
    rss,
    running,
    story_paragraphs,
)

from newsbrief.cli import main
from newsbrief.errors import SettingsError
from newsbrief.fetch import (
    NAMES,
    FetchReport,
    FetchSettings,
    canonical_url,
    fetch_urls,
    normalize_url,
    watch,
)
from newsbrief.fetch.client import parse_content_type, retry_after
from newsbrief.fetch.feeds import read_feed_list
from newsbrief.render.feed_out import stories_to_atom
from newsbrief.store import FeedState, MemoryStore, PageState, Store, open_store

FAST = FetchSettings(delay=0.02, timeout=2.0, backoff=0.05)
"""Small delays so the tests do not sleep for politeness longer than needed."""
KESTREL = story_paragraphs("kestrel-times.txt")
COURIER = story_paragraphs("marrowfield-courier.txt")
DATE = "Tue, 12 Mar 2024 10:00:00 GMT"


@pytest.fixture
def site() -> Iterator[Site]:
    with running() as s:
        yield s


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
        return
    with open_store(tmp_path / "s.db") as s:
        yield s


def _names(report: FetchReport) -> list[str]:
    return [p.message.split(":", 1)[0] for p in report.problems]


def _page(site: Site, path: str, paragraphs: list[str], title: str = "Water warning",
          head: str = "") -> str:
    return site.serve(path, html_reply(html_page(title, paragraphs, head)))


# -- pages ------------------------------------------------------------------------------


def test_page_is_fetched_extracted_and_named_by_its_canonical_url(
    site: Site, store: Store
) -> None:
    _page(site, "/news/1?id=7", KESTREL,
          head='<link rel="canonical" href="/news/water-warning?utm_medium=x">')
    report = fetch_urls(store, [site.url("/news/1?utm_source=twitter&id=7")], FAST)
    assert report.pages == 1 and not report.problems and report.ingest.stored == 1
    (story,) = store.stories()
    (article,) = store.articles(story.id)
    assert article.url == site.url("/news/water-warning")
    assert "boil" in article.text and "Copyright" not in article.text
    page = store.page(site.url("/news/1?id=7"))  # tracking parameter dropped
    assert page is not None and page.canonical_url == site.url("/news/water-warning")
    assert page.article_id is not None
    # asked for by its canonical URL, the page is one article, not two
    site.serve("/news/water-warning", html_reply(html_page("Water warning", KESTREL)))
    again = fetch_urls(store, [site.url("/news/water-warning")], FAST)
    assert store.counts()[0] == 1 and not again.problems


def test_gzip_is_undone(site: Site, store: Store) -> None:
    site.serve("/z", gzip_reply(html_page("Zipped", COURIER)))
    report = fetch_urls(store, [site.url("/z")], FAST)
    assert report.pages == 1, report.problems
    assert "gzip" in site.hits("/z")[0].headers["accept-encoding"]


def test_second_fetch_is_conditional_and_a_304_stores_nothing(site: Site, store: Store) -> None:
    html = html_page("Water warning", KESTREL).encode()
    site.routes["/p"] = etagged(lambda: html, "text/html; charset=utf-8")
    first = fetch_urls(store, [site.url("/p")], FAST)
    assert first.pages == 1 and "if-none-match" not in site.hits("/p")[0].headers
    second = fetch_urls(store, [site.url("/p")], FAST)
    sent = site.hits("/p")[1].headers
    kept = store.page(site.url("/p"))
    assert kept is not None and kept.etag and sent["if-none-match"] == kept.etag
    assert second.pages_unchanged == 1 and second.pages == 0 and store.counts()[0] == 1


def test_slow_page_times_out_and_the_rest_goes_on(site: Site, store: Store) -> None:
    site.serve("/slow", Reply(200, html_page("Slow", KESTREL).encode(),
                              {"Content-Type": "text/html"}, delay=1.5))
    ok = _page(site, "/ok", COURIER)
    report = fetch_urls(store, [site.url("/slow"), ok], FetchSettings(delay=0.02, timeout=0.3))
    assert _names(report) == ["timeout"] and report.pages == 1
    assert report.problems[0].origin == site.url("/slow")


def test_server_error_then_ok_is_retried(site: Site, store: Store) -> None:
    site.serve("/flaky", Reply(500, b"oops"), Reply(503, b"busy"),
               html_reply(html_page("Flaky", KESTREL)))
    report = fetch_urls(store, [site.url("/flaky")], FAST)
    assert report.pages == 1 and not report.problems
    assert len(site.hits("/flaky")) == 3


def test_server_error_after_every_retry_is_named(site: Site, store: Store) -> None:
    site.serve("/down", Reply(502, b"bad gateway"))
    report = fetch_urls(store, [site.url("/down")], FetchSettings(delay=0.02, retries=1,
                                                                  backoff=0.01))
    assert _names(report) == ["server-error"] and len(site.hits("/down")) == 2
    assert report.nothing_usable


def test_429_waits_for_retry_after(site: Site, store: Store) -> None:
    site.serve("/busy", Reply(429, b"slow down", {"Retry-After": "1"}),
               html_reply(html_page("Busy", KESTREL)))
    report = fetch_urls(store, [site.url("/busy")], FAST)
    assert report.pages == 1 and not report.problems
    first, second = site.hits("/busy")
    assert second.at - first.at >= 0.95


def test_429_asking_too_long_a_wait_is_rate_limited(site: Site, store: Store) -> None:
    site.serve("/never", Reply(429, b"", {"Retry-After": "3600"}))
    report = fetch_urls(store, [site.url("/never")], FAST)
    assert _names(report) == ["rate-limited"] and len(site.hits("/never")) == 1


def test_redirects_are_followed_capped_and_loops_named(site: Site, store: Store) -> None:
    site.serve("/old", Reply(301, b"", {"Location": "/new"}))
    _page(site, "/new", KESTREL)
    site.serve("/loop-a", Reply(302, b"", {"Location": "/loop-b"}))
    site.serve("/loop-b", Reply(302, b"", {"Location": "/loop-a"}))
    for k in range(4):
        site.serve(f"/hop{k}", Reply(307, b"", {"Location": f"/hop{k + 1}"}))
    _page(site, "/hop4", COURIER)
    report = fetch_urls(store, [site.url(p) for p in ("/old", "/loop-a", "/hop0")],
                        FetchSettings(delay=0.02, max_redirects=2))
    assert sorted(_names(report)) == ["redirect-loop", "too-many-redirects"]
    assert report.pages == 1
    (story,) = store.stories()
    assert store.articles(story.id)[0].url == site.url("/new")


def test_oversized_and_non_html_responses_are_refused_unread(site: Site, store: Store) -> None:
    big = html_page("Big", KESTREL * 40)
    site.serve("/big", html_reply(big))
    site.serve("/doc.pdf", Reply(200, b"%PDF-1.4 " + b"x" * 500,
                                 {"Content-Type": "application/pdf"}))
    site.serve("/img", Reply(200, b"\x89PNG\r\n" + b"\x00" * 100, {"Content-Type": "image/png"}))
    report = fetch_urls(store, [site.url(p) for p in ("/big", "/doc.pdf", "/img")],
                        FetchSettings(delay=0.02, max_bytes=20_000))
    assert sorted(_names(report)) == ["too-large", "wrong-content-type", "wrong-content-type"]
    assert report.nothing_usable and store.counts() == (0, 0)
    failed = store.page(site.url("/doc.pdf"))
    assert failed is not None and failed.error is not None
    assert failed.error.startswith("wrong-content-type")


def test_mis_encoded_pages_are_read_right(site: Site, store: Store) -> None:
    # the header says UTF-8, the bytes are Latin-1
    latin = [*(p for p in KESTREL if p.isascii()), "The café owner said the crème brûlée was safe."]
    site.serve("/latin", html_reply(html_page("Latin", latin), charset="utf-8",
                                    encoding="latin-1"))
    # no charset in the header, only in the page's meta
    cyrillic = [*(p for p in COURIER if p.isascii()),
                "Officials in Moscow (Москва) watched the river closely."]
    meta = html_page("Meta", cyrillic, head='<meta charset="windows-1251">')
    site.serve("/meta", html_reply(meta, charset=None, encoding="windows-1251"))
    report = fetch_urls(store, [site.url("/latin"), site.url("/meta")], FAST)
    assert report.pages == 2 and not report.problems
    texts = {a.title: a.text for s in store.stories() for a in store.articles(s.id)}
    assert "crème brûlée" in texts["Latin"] and "Москва" in texts["Meta"]
    assert [n.message.split(":")[0] for n in report.notes] == ["mis-encoded"]


def test_robots_txt_refusal_is_obeyed(site: Site, store: Store) -> None:
    site.serve("/robots.txt", Reply(200, b"User-agent: *\nDisallow: /private/\n",
                                    {"Content-Type": "text/plain"}))
    _page(site, "/private/memo", KESTREL)
    _page(site, "/public", COURIER)
    report = fetch_urls(store, [site.url("/private/memo"), site.url("/public")], FAST)
    assert _names(report) == ["robots-disallowed"] and report.pages == 1
    assert not site.hits("/private/memo") and len(site.hits("/robots.txt")) == 1


def test_per_host_delay_is_honoured(site: Site, store: Store) -> None:
    for k in range(3):
        _page(site, f"/d{k}", [*KESTREL, f"Paragraph number {k} is this page's own."])
    fetch_urls(store, [site.url(f"/d{k}") for k in range(3)],
               FetchSettings(delay=0.25, concurrency=3))
    times = sorted(h.at for h in site.log)  # robots.txt, then the three pages
    assert len(times) == 4
    assert all(b - a >= 0.24 for a, b in itertools.pairwise(times))


def test_concurrency_caps_requests_in_flight_across_hosts(site: Site) -> None:
    # 127.0.0.1 and localhost are two hosts to the client, one server here
    for k in range(2):
        page = html_page(f"Slow {k}", [*KESTREL, f"Own line {k}."]).encode()
        site.serve(f"/s{k}", Reply(200, page, {"Content-Type": "text/html"}, delay=0.6))
    urls = [site.url("/s0"), site.url("/s1").replace("127.0.0.1", "localhost")]
    gaps = []
    for cap in (1, 2):
        site.log.clear()
        report = fetch_urls(MemoryStore(), urls, FetchSettings(delay=0.01, concurrency=cap))
        assert report.pages == 2, report.problems
        first, second = sorted(h.at for h in site.log if h.path.startswith("/s"))
        gaps.append(second - first)
    assert gaps[0] >= 0.55 and gaps[1] < 0.4


def test_invalid_url_is_named(store: Store) -> None:
    report = fetch_urls(store, ["ftp://example.org/x", "not a url"], FAST)
    assert _names(report) == ["invalid-url", "invalid-url"] and report.nothing_usable


# -- feeds ------------------------------------------------------------------------------


def test_feed_items_fetched_summary_used_when_the_page_fails(site: Site, store: Store) -> None:
    good = _page(site, "/a", KESTREL)
    summary = " ".join(COURIER[:3])
    site.serve("/feed.xml", Reply(200, rss([
        ("Water warning", good + "?utm_source=rss", "short", DATE),
        ("Gone page", site.url("/gone"), summary, DATE),
    ]), {"Content-Type": "application/rss+xml"}))
    report = fetch_urls(store, [site.url("/feed.xml")], FAST)
    assert report.feeds == 1 and report.pages == 1 and report.summaries == 1
    assert not report.problems and report.notes[0].message.startswith("http-error")
    origins = {a.origin for s in store.stories() for a in store.articles(s.id)}
    assert site.url("/gone") + " (feed summary)" in origins
    dated = [a.published for s in store.stories() for a in store.articles(s.id)]
    assert dated == [datetime(2024, 3, 12, 10, tzinfo=UTC)] * 2
    feed = store.feed(site.url("/feed.xml"))
    assert feed is not None and feed.title == "The Test Gazette" and feed.items_seen == 2


def test_not_a_feed_counts_as_a_failure(site: Site, store: Store, tmp_path: Path) -> None:
    site.serve("/broken.xml", Reply(200, b"<rss><channel><item>", {"Content-Type": "text/xml"}))
    lst = tmp_path / "feeds.txt"
    lst.write_text(f"# my feeds\n{site.url('/broken.xml')}\n\nnot-a-url\n")
    report = watch(store, lst, FAST)
    assert sorted(_names(report)) == ["invalid-url", "not-a-feed"]
    (feed,) = store.feeds()
    assert feed.failures == 1 and (feed.last_error or "").startswith("not-a-feed")


def test_feed_list_in_opml(tmp_path: Path) -> None:
    opml = tmp_path / "feeds.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>f</title></head><body>'
        '<outline text="A" type="rss" xmlUrl="https://a.example/rss?utm_campaign=x"/>'
        '<outline text="B" type="rss" xmlUrl="https://b.example/atom.xml"/></body></opml>')
    urls, problems = read_feed_list(opml)
    assert urls == ["https://a.example/rss", "https://b.example/atom.xml"] and not problems


def _items(site: Site, n: int) -> list[tuple[str, str, str, str]]:
    return [(f"Item {k}", site.url(f"/story/{k}"), "summary", DATE) for k in range(n)]


def _serve_story_pages(site: Site, n: int) -> None:
    texts = [KESTREL, COURIER, [*KESTREL[:4], *COURIER[4:]]]
    for k in range(n):
        _page(site, f"/story/{k}", [*texts[k % 3], f"Update {k}: officials spoke again."],
              title=f"Marrowfield water warning, part {k}")


def test_watch_picks_up_a_new_item_and_the_story_grows(site: Site, store: Store,
                                                       tmp_path: Path) -> None:
    items = _items(site, 3)
    _serve_story_pages(site, 3)
    shown = {"n": 2}
    site.routes["/feed.xml"] = etagged(lambda: rss(items[: shown["n"]]), "application/rss+xml")
    lst = tmp_path / "feeds.txt"
    lst.write_text(site.url("/feed.xml") + "\n")
    atoms: list[str] = []
    reports: list[FetchReport] = []

    def between(n: int, report: FetchReport) -> None:
        reports.append(report)
        atoms.append(stories_to_atom(store.stories(order="recent"), "http://x"))
        shown["n"] = 3  # the feed lists a new item before the second pass

    watch(store, lst, FAST, every=0, passes=2, on_pass=between)
    assert [r.pages for r in reports] == [2, 1] and reports[1].known == 2
    assert site.hits("/feed.xml")[1].headers.get("if-none-match")
    (story,) = store.stories()
    assert story.size == 3
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = [ET.fromstring(a).findall("a:entry", ns) for a in atoms]
    assert len(entries[0]) == len(entries[1]) == 1
    summaries = [e[0].findtext("a:summary", "", ns) for e in entries]
    assert "2 articles" in summaries[0] and "3 articles" in summaries[1]
    # a third pass: the feed is unchanged (304), nothing is fetched but the feed
    before = len(site.log)
    third = watch(store, lst, FAST)
    assert third.feeds_unchanged == 1 and [h.path for h in site.log[before:]] == [
        "/robots.txt", "/feed.xml"]


def test_watch_and_feeds_commands(site: Site, tmp_path: Path,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    items = _items(site, 2)
    _serve_story_pages(site, 2)
    shown = {"n": 1}
    site.routes["/feed.xml"] = etagged(lambda: rss(items[: shown["n"]]), "application/rss+xml")
    site.serve("/dead.xml", Reply(404, b"gone"))
    lst = tmp_path / "feeds.txt"
    lst.write_text(f"{site.url('/feed.xml')}\n{site.url('/dead.xml')}\n")
    db = tmp_path / "w.db"
    args = ["watch", str(lst), "--db", str(db), "--delay", "0.02", "-q"]
    assert main(args) == 1  # one feed failed
    shown["n"] = 2
    assert main(args) == 1
    with open_store(db) as store:
        (story,) = store.stories()
        assert story.size == 2
    capsys.readouterr()
    assert main(["stories", "--db", str(db), "--format", "atom"]) == 0
    assert "<entry>" in capsys.readouterr().out
    assert main(["feeds", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert site.url("/feed.xml") in out and "The Test Gazette" in out
    assert "http-error: HTTP 404" in out
    dead = [line for line in out.splitlines() if line.endswith("/dead.xml")]
    assert dead and dead[0].split()[1] == "2"  # two failures in a row, never ok
    assert main(["fetch", "ftp://nowhere", "--db", str(db), "-q"]) == 2


# -- pieces -----------------------------------------------------------------------------


def test_urls_drop_tracking_and_resolve_canonicals() -> None:
    assert normalize_url("HTTPS://News.Example:443/a?utm_source=x&id=3&fbclid=y#top") == (
        "https://news.example/a?id=3")
    page = '<head><meta property="og:url" content="https://news.example/b?gclid=1"></head>'
    assert canonical_url(page, "https://news.example/x") == "https://news.example/b"
    assert canonical_url("<p>no head</p>", "https://n.example/y?utm_term=t") == (
        "https://n.example/y")
    with pytest.raises(ValueError):
        normalize_url("javascript:alert(1)")


def test_settings_are_checked_and_problem_names_documented() -> None:
    with pytest.raises(SettingsError, match="concurrency"):
        FetchSettings(concurrency=0)
    with pytest.raises(SettingsError, match="timeout"):
        FetchSettings(timeout=0)
    doc = (Path(__file__).resolve().parents[1] / "docs" / "fetch.md").read_text()
    assert all(f"`{name}`" in doc for name in NAMES)


def test_store_keeps_feed_and_page_state(store: Store) -> None:
    added = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    store.save_feed(FeedState("https://a.example/rss", added, etag='"x"', failures=2))
    store.save_feed(FeedState("https://b.example/rss", added.replace(year=2027)))
    assert [f.url for f in store.feeds()] == ["https://a.example/rss", "https://b.example/rss"]
    assert store.feed("https://a.example/rss") == FeedState(
        "https://a.example/rss", added, etag='"x"', failures=2)
    assert store.feed("https://c.example/rss") is None
    page = PageState("https://a.example/1", added, "https://a.example/one", status=200)
    store.save_page(page)
    assert store.page("https://a.example/1") == page
    assert store.page("https://a.example/one") == page
    assert store.page("https://a.example/2") is None
    assert store.article_ids(["nope"]) == {}


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after("7", now) == 7.0
    assert retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None) is None
    assert parse_content_type('text/HTML; Charset="ISO-8859-1"') == ("text/html", "iso-8859-1")


# -- review fixes: bounded bodies, deadlines, canonicals, retries, robots ---------------


def test_gzip_bomb_and_stacked_encodings_are_refused(site: Site, store: Store) -> None:
    import gzip

    bomb = gzip.compress(b"<html><body>" + b"a" * 2_000_000 + b"</body></html>")
    headers = {"Content-Type": "text/html", "Content-Encoding": "gzip"}
    site.serve("/bomb", Reply(200, bomb, headers))
    twice = gzip.compress(gzip.compress(html_page("Twice", KESTREL).encode()))
    site.serve("/twice", Reply(200, twice, {**headers, "Content-Encoding": "gzip, gzip"}))
    site.serve("/br", Reply(200, b"xx", {**headers, "Content-Encoding": "br"}))
    settings = FetchSettings(delay=0.02, max_bytes=50_000)
    report = fetch_urls(store, [site.url(p) for p in ("/bomb", "/twice", "/br")], settings)
    assert len(bomb) < 50_000
    assert sorted(_names(report)) == ["too-large", "unsupported-encoding",
                                      "unsupported-encoding"]


def test_a_trickled_body_times_out_within_the_deadline(site: Site, store: Store) -> None:
    import time

    body = html_page("Slow drip", KESTREL).encode()
    site.serve("/drip", Reply(200, body, {"Content-Type": "text/html"}, trickle=0.2))
    started = time.monotonic()
    report = fetch_urls(store, [site.url("/drip")], FetchSettings(delay=0.02, timeout=0.5))
    assert _names(report) == ["timeout"] and time.monotonic() - started < 1.5


def test_chunked_bodies_are_read_and_oversized_ones_refused(site: Site, store: Store) -> None:
    ok = html_page("Chunked", KESTREL).encode()
    site.serve("/chunked", Reply(200, ok, {"Content-Type": "text/html"}, chunked=True))
    big = html_page("Big", KESTREL * 40).encode()
    site.serve("/big", Reply(200, big, {"Content-Type": "text/html"}, chunked=True))
    report = fetch_urls(store, [site.url("/chunked"), site.url("/big")],
                        FetchSettings(delay=0.02, max_bytes=20_000))
    assert report.pages == 1 and _names(report) == ["too-large"]
    assert "content-length" not in site.hits("/big")[0].headers  # nothing told it the size


def test_a_canonical_on_another_host_is_ignored() -> None:
    page = '<head><link rel="canonical" href="https://evil.example/a"></head>'
    assert canonical_url(page, "https://news.example/x") == "https://news.example/x"
    og = '<head><meta property="og:url" content="https://other.example/b"></head>'
    assert canonical_url(og, "https://news.example/y") == "https://news.example/y"
    www = '<head><link rel="canonical" href="https://www.news.example/c"></head>'
    assert canonical_url(www, "https://news.example/z") == "https://www.news.example/c"


def test_a_page_that_failed_is_tried_again_and_stored_when_it_works(
    site: Site, store: Store, tmp_path: Path
) -> None:
    summary = " ".join(COURIER[:3])
    site.serve("/later", Reply(503, b"busy"), Reply(503, b"busy"),
               html_reply(html_page("Later", KESTREL)))
    site.serve("/feed.xml", Reply(200, rss([("Later", site.url("/later"), summary, DATE)]),
                                  {"Content-Type": "application/rss+xml"}))
    lst = tmp_path / "feeds.txt"
    lst.write_text(site.url("/feed.xml") + "\n")
    settings = FetchSettings(delay=0.02, retries=0, backoff=0.01)
    first = watch(store, lst, settings)
    assert first.summaries == 1
    second = watch(store, lst, settings)  # still failing: the summary is not stored twice
    assert second.summaries == 0 and second.known == 1 and store.counts()[1] == 1
    third = watch(store, lst, settings)
    assert third.pages == 1 and len(site.hits("/later")) == 3
    page = store.page(site.url("/later"))
    assert page is not None and page.error is None and page.article_id is not None
    texts = [a.text for s in store.stories() for a in store.articles(s.id)]
    assert any("boil" in t for t in texts) and len(texts) == 2
    watch(store, lst, settings)
    assert len(site.hits("/later")) == 3  # stored: not fetched again


def test_robots_txt_unreachable_disallows_and_missing_allows(site: Site, store: Store) -> None:
    site.serve("/robots.txt", Reply(503, b"down"))
    _page(site, "/p", KESTREL)
    report = fetch_urls(store, [site.url("/p")], FetchSettings(delay=0.02, retries=0))
    assert _names(report) == ["robots-unreachable"] and not site.hits("/p")
    site.serve("/robots.txt", Reply(429, b"slow"))
    assert _names(fetch_urls(store, [site.url("/p")], FAST)) == ["robots-unreachable"]
    site.serve("/robots.txt", Reply(403, b"no"))
    assert fetch_urls(store, [site.url("/p")], FAST).pages == 1
    dead = fetch_urls(MemoryStore(), ["http://127.0.0.1:9/x"], FAST)
    assert _names(dead) == ["robots-unreachable"]
