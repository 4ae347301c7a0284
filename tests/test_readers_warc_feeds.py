"""WARC archives, RSS/Atom feeds and folders of HTML pages: articles out, and each bad
record named with where it was while the rest goes on."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from newsbrief.readers import read_paths

warcio = pytest.importorskip("warcio")
pytest.importorskip("feedparser")

BODY = " ".join(
    f"The harbour council in Eastport voted on the new ferry schedule, sentence {i}."
    for i in range(12)
)
PAGE = f"""<html><head><title>Eastport ferry vote</title>
<meta property="og:site_name" content="Eastport Gazette"></head>
<body><article><h1>Eastport ferry vote</h1><p>{BODY}</p><p>{BODY}</p></article></body></html>"""
EMPTY_PAGE = "<html><body><nav>Home | About</nav></body></html>"


def _record(uri: str, ctype: str, body: str) -> bytes:
    http = f"HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\n\r\n{body}".encode()
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
        f"WARC-Target-URI: {uri}\r\nWARC-Date: 2024-01-02T10:00:00Z\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"


def _warc(path: Path, gz: bool) -> Path:
    """A small WARC, written by hand (one gzip member per record when compressed)."""
    records = [
        _record("https://gazette.example/ferry", "text/html; charset=utf-8", PAGE),
        _record("https://gazette.example/logo.png", "image/png", "PNG"),
        _record("https://gazette.example/menu", "text/html", EMPTY_PAGE),
    ]
    path.write_bytes(b"".join(gzip.compress(r) for r in records) if gz else b"".join(records))
    return path


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(tmp_path: Path, name: str) -> None:
    path = _warc(tmp_path / name, gz=name.endswith(".gz"))
    result = read_paths([path])
    assert len(result.articles) == 1
    article = result.articles[0]
    assert article.url == "https://gazette.example/ferry" and "ferry" in article.text
    assert article.title == "Eastport ferry vote"
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert name in problem.origin and "https://gazette.example/menu" in problem.origin
    assert "no article text" in problem.message


def test_broken_warc(tmp_path: Path) -> None:
    path = tmp_path / "broken.warc.gz"
    path.write_bytes(b"this is not a warc file at all\n" * 10)
    result = read_paths([path])
    assert not result.articles
    assert result.problems and "broken.warc.gz" in result.problems[0].origin


RSS = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Eastport Gazette</title>
<link>https://gazette.example/</link>
<item><title>Ferry vote</title><link>https://gazette.example/ferry</link>
<pubDate>Tue, 02 Jan 2024 10:00:00 GMT</pubDate><author>desk@gazette.example</author>
<description><![CDATA[<p>{BODY}</p>]]></description></item>
<item><title>Empty</title><link>https://gazette.example/empty</link></item>
</channel></rss>"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Harbour News</title>
<entry><title>Ferry schedule</title><link href="https://harbour.example/a"/>
<updated>2024-01-03T08:00:00Z</updated>
<content type="html">&lt;p&gt;{BODY}&lt;/p&gt;</content></entry></feed>"""


def test_rss_and_atom(tmp_path: Path) -> None:
    (tmp_path / "gazette.rss").write_text(RSS)
    (tmp_path / "harbour.atom").write_text(ATOM)
    result = read_paths([tmp_path / "gazette.rss", tmp_path / "harbour.atom"])
    by_title = {a.title: a for a in result.articles}
    assert set(by_title) == {"Ferry vote", "Ferry schedule"}
    rss = by_title["Ferry vote"]
    assert rss.source == "Eastport Gazette" and rss.url == "https://gazette.example/ferry"
    assert rss.published is not None and rss.published.year == 2024
    assert "<p>" not in rss.text and "harbour council" in rss.text
    assert by_title["Ferry schedule"].published is not None
    assert len(result.problems) == 1
    assert "entry 2" in result.problems[0].origin and "empty" in result.problems[0].origin


def test_feed_that_is_not_a_feed(tmp_path: Path) -> None:
    (tmp_path / "nothing.xml").write_text("<html><body>no feed here</body></html>")
    result = read_paths([tmp_path / "nothing.xml"])
    assert not result.articles
    assert "nothing.xml" in result.problems[0].origin


def test_folder_of_html_pages(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "news").mkdir(parents=True)
    (site / "news" / "ferry.html").write_text(PAGE)
    (site / "menu.htm").write_text(EMPTY_PAGE)
    (site / "style.css").write_text("body {}")
    result = read_paths([site])
    assert [a.title for a in result.articles] == ["Eastport ferry vote"]
    assert [Path(p.origin).name for p in result.problems if p.fatal] == ["menu.htm"]
    skipped = [p for p in result.problems if not p.fatal]
    assert [Path(p.origin).name for p in skipped] == ["style.css"]
    assert "skipped: not an article file type" in skipped[0].message


def test_ingest_reads_warc_and_feeds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from newsbrief.cli import main

    _warc(tmp_path / "crawl.warc.gz", gz=True)
    (tmp_path / "gazette.rss").write_text(RSS)
    code = main(["ingest", str(tmp_path), "--db", str(tmp_path / "s.db"), "-q"])
    err = capsys.readouterr().err
    assert code == 1  # two bad records, reported
    assert "read 2, stored 2" in err
    assert "gazette.example/menu" in err and "entry 2" in err
