"""WARC web archives (warcio): each HTML response or resource record is one page,
extracted by the HTML reader. A bad record is a problem naming the file, the
record's offset and its URL; the rest of the archive goes on."""

from __future__ import annotations

import io
from collections.abc import Iterator

from newsbrief.errors import InputError
from newsbrief.model import Article, Problem
from newsbrief.readers.html import read_html

__all__ = ["iter_warc", "read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def iter_warc(stream: io.BufferedIOBase | io.BytesIO, origin: str) -> Iterator[Article | Problem]:
    """Every article of a WARC stream (plain or gzip), or a problem for each bad record."""
    try:
        from warcio.archiveiterator import ArchiveIterator
        from warcio.exceptions import ArchiveLoadFailed
    except ImportError:  # pragma: no cover - depends on the install
        raise InputError(
            origin, "reading WARC files needs warcio: pip install 'newsbrief[stories]'"
        ) from None
    records = ArchiveIterator(stream)
    n = 0
    try:
        for record in records:
            if record.rec_type not in ("response", "resource"):
                continue
            n += 1
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            try:  # the body first: asking the iterator for the offset ends the record
                body = record.content_stream().read()
                failure = None
            except Exception as exc:  # warcio raises plain exceptions (zlib, IO)
                body, failure = b"", str(exc)
            where = f"{origin}@{records.get_record_offset()} ({uri or 'no URI'})"
            if failure is not None:
                yield Problem(where, f"record body cannot be read ({failure})")
                continue
            if record.rec_type == "response":
                if record.http_headers is None:
                    yield Problem(where, "response record without HTTP headers")
                    continue
                status = record.http_headers.get_statuscode()
                if status and not status.startswith("2"):
                    yield Problem(where, f"HTTP status {status}, not a page", fatal=False)
                    continue
                ctype = record.http_headers.get_header("Content-Type") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            if not any(t in ctype.lower() for t in _HTML_TYPES):
                continue  # images, scripts, robots.txt: not articles, not problems
            try:
                yield read_html(body, where, url=uri or None)
            except InputError as exc:
                yield Problem(exc.origin, exc.problem)
    except ArchiveLoadFailed as exc:
        yield Problem(
            f"{origin}@{records.get_record_offset()}", f"not a valid WARC record ({exc})"
        )
    if n == 0:
        yield Problem(origin, "WARC file holds no response or resource records")


def read_warc(data: bytes, origin: str) -> tuple[list[Article], list[Problem]]:
    """Every article of a WARC file's bytes, and a problem for each bad record."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in iter_warc(io.BytesIO(data), origin):
        if isinstance(item, Article):
            articles.append(item)
        else:
            problems.append(item)
    return articles, problems
