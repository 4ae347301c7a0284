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


def _record(
    uri: str | None, ctype: str | None, body: str | bytes, status: str = "200 OK"
) -> bytes:
    """One response record; no Content-Type header when ``ctype`` is None, no URI when
    ``uri`` is None."""
    header = "" if ctype is None else f"Content-Type: {ctype}\r\n"
    payload = body.encode() if isinstance(body, str) else body
    http = f"HTTP/1.1 {status}\r\n{header}\r\n".encode() + payload
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\n"
        + ("" if uri is None else f"WARC-Target-URI: {uri}\r\n")
        + "WARC-Date: 2024-01-02T10:00:00Z\r\n"
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
    (problem,) = [p for p in result.problems if p.fatal]
    assert name in problem.origin and "https://gazette.example/menu" in problem.origin
    assert "no article text" in problem.message
    (note,) = [p for p in result.problems if not p.fatal]  # the logo: noted, not lost
    assert note.origin == str(path) and "1 record of type image/png" in note.message


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


def _page(n: int, extra: str = "") -> str:
    return PAGE.replace("Eastport ferry vote", f"Eastport ferry vote {n}").replace(
        "</article>", f"{extra}</article>"
    )


def test_feed_date_that_cannot_be_is_unknown(tmp_path: Path) -> None:
    path = tmp_path / "mysql.rss"
    path.write_text(RSS.replace("Tue, 02 Jan 2024 10:00:00 GMT", "0000-00-00"))
    result = read_paths([path])
    (article,) = result.articles
    assert article.title == "Ferry vote" and article.published is None
    assert [p.message for p in result.problems] == ["entry has no content or summary text"]


def test_corrupt_warc_is_a_problem_and_the_rest_goes_on(tmp_path: Path) -> None:
    import random

    garbage = tmp_path / "garbage.warc"
    garbage.write_bytes(bytes(random.Random(0).randrange(256) for _ in range(3000)))
    (tmp_path / "gazette.rss").write_text(RSS)
    result = read_paths([garbage, tmp_path / "gazette.rss"])
    assert [a.title for a in result.articles] == ["Ferry vote"]
    problem = result.problems[0]
    assert problem.origin == f"{garbage}@0" and problem.fatal
    assert problem.message.startswith("not a valid WARC record at the start of the file")


def test_reader_failure_is_a_problem_for_that_file_alone(tmp_path: Path) -> None:
    # warcio itself fails (AttributeError) on a response record without WARC-Target-URI
    crawl = tmp_path / "crawl.warc"
    crawl.write_bytes(_record("https://gazette.example/ferry", "text/html", PAGE)
                      + _record(None, "text/html", PAGE))
    (tmp_path / "gazette.rss").write_text(RSS)
    result = read_paths([crawl, tmp_path / "gazette.rss"])
    assert [a.title for a in result.articles] == ["Eastport ferry vote", "Ferry vote"]
    failed = [p for p in result.problems if p.origin == str(crawl)]
    assert [p.message.split(":", 2)[:2] for p in failed] == [["reader failed", " AttributeError"]]


def test_warc_charset_sniffing_and_notes(tmp_path: Path) -> None:
    path = tmp_path / "mixed.warc.gz"
    records = [
        _record("https://gazette.example/latin", "text/html; charset=iso-8859-1",
                _page(1, "<p>Caf\xe9 cr\xe8me</p>").encode("latin-1")),
        _record("https://gazette.example/bare", None, "<!DOCTYPE html>\n" + _page(2)),
        _record("https://gazette.example/a.txt", "text/plain", BODY),
        _record("https://gazette.example/b.txt", "text/plain", BODY),
        _record("https://gazette.example/gone", "text/html", _page(3), status="404 Not Found"),
    ]
    path.write_bytes(b"".join(gzip.compress(r) for r in records))
    result = read_paths([path])
    by_url = {a.url: a for a in result.articles}
    assert set(by_url) == {"https://gazette.example/latin", "https://gazette.example/bare"}
    assert "Café crème" in by_url["https://gazette.example/latin"].text
    assert all(not p.fatal for p in result.problems)
    notes = sorted(str(p) for p in result.problems)
    assert any("gazette.example/gone" in n and "HTTP status 404" in n for n in notes)
    assert f"{path}: skipped: 2 records of type text/plain, not HTML pages" in notes


@pytest.mark.parametrize("cut", ["mid-body", "mid-header"])
@pytest.mark.parametrize("gz", [True, False])
def test_truncated_warc_is_reported(tmp_path: Path, gz: bool, cut: str) -> None:
    records = [_record(f"https://gazette.example/{n}", "text/html", _page(n)) for n in range(3)]
    parts = [gzip.compress(r) for r in records] if gz else records
    keep = len(parts[2]) // 2 if cut == "mid-body" else 20
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(b"".join(parts[:2]) + parts[2][:keep])
    result = read_paths([path])
    assert [a.url for a in result.articles] == [f"https://gazette.example/{n}" for n in range(2)]
    (problem,) = result.problems
    assert problem.fatal and problem.origin.startswith(f"{path}@{len(b''.join(parts[:2]))}")
    assert "archive truncated after record 2" in problem.message


def test_warc_record_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    big = _page(2, "<p>" + BODY * 40 + "</p>")
    records = [_record("https://gazette.example/small", "text/html", PAGE),
               _record("https://gazette.example/big", "text/html", big)]
    parts = [gzip.compress(r) for r in records]
    path.write_bytes(b"".join(parts))
    result = read_paths([path], max_bytes=len(PAGE) + 100)
    assert [a.url for a in result.articles] == ["https://gazette.example/small"]
    (problem,) = result.problems
    assert problem.origin == f"{path}@{len(parts[0])} (https://gazette.example/big)"
    assert problem.message.startswith("page is over the") and problem.fatal


def test_uploaded_archive_that_fails_its_reader_is_a_problem() -> None:
    pytest.importorskip("fastapi")
    from newsbrief.web.uploads import Upload, read_posted

    bad = _record("https://gazette.example/ferry", "text/html", PAGE) + _record(
        None, "text/html", PAGE
    )
    result = read_posted("", [Upload("crawl.warc", bad), Upload("feed.rss", RSS.encode())],
                         max_bytes=1 << 20)
    assert [a.title for a in result.articles] == ["Ferry vote"]
    assert [p.origin for p in result.problems if "reader failed" in p.message] == ["crawl.warc"]
