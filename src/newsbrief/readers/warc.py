"""WARC web archives (warcio): each HTML response or resource record is one page,
extracted by the HTML reader. A bad record is a problem naming the file, the
record's offset and its URL; the rest of the archive goes on. Records that are
not pages (images, plain text, non-2xx responses) are reported as notes, and an
archive that ends in the middle of a record is reported as truncated."""

from __future__ import annotations

import codecs
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from newsbrief.errors import InputError, require
from newsbrief.model import Article, Problem
from newsbrief.readers.html import read_html
from newsbrief.settings import DEFAULT_MAX_BYTES

__all__ = ["iter_warc", "read_warc"]

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_CHUNK = 1 << 16


def _html_type(ctype: str) -> bool:
    return any(t in ctype.lower() for t in _HTML_TYPES)


def _is_html(ctype: str, body: bytes) -> bool:
    """By the Content-Type; without one, by how the body starts."""
    if ctype:
        return _html_type(ctype)
    head = body[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype", b"<html")) or b"<html" in head


def _decode(body: bytes, ctype: str) -> bytes | str:
    """The body as text in the header's charset, or the bytes for trafilatura to guess."""
    match = _CHARSET.search(ctype)
    if match is None:
        return body
    try:
        codecs.lookup(match.group(1))
    except LookupError:
        return body
    return body.decode(match.group(1), errors="replace")


def _read_body(record: Any, max_bytes: int, want: bool) -> tuple[bytes, bool]:
    """Up to ``max_bytes + 1`` bytes of the body (none when not ``want``ed), and whether
    the record is cut short: its block ends before the length its header gives."""
    body = record.content_stream().read(max_bytes + 1) if want else b""
    while record.raw_stream.read(_CHUNK):  # the rest, without keeping it
        pass
    return body, getattr(record.raw_stream, "limit", 0) > 0


def _tail(stream: io.BufferedIOBase | io.BytesIO, end: int) -> bool:
    """Whether anything but blank lines follows ``end``, the end of the last record read."""
    try:
        stream.seek(end)
        rest = stream.read(_CHUNK)
    except (OSError, ValueError):  # pragma: no cover - an unseekable stream: cannot tell
        return False
    return bool(rest.strip())


def iter_warc(
    stream: io.BufferedIOBase | io.BytesIO, origin: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | Problem]:
    """Every article of a WARC stream (plain or gzip), or a problem for each bad record.

    Each record's body is read up to ``max_bytes``; a larger page is a problem.
    """
    require("warcio", "stories", "reading WARC archives")
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed
    from warcio.statusandheaders import StatusAndHeadersParserException

    records = ArchiveIterator(stream)
    n = total = 0  # page records (response, resource), all records
    last = end = 0  # offset and end of the last record read whole
    skipped: Counter[str] = Counter()
    try:
        for record in records:
            total += 1
            page = record.rec_type in ("response", "resource")
            n += page
            uri = record.rec_headers.get_header("WARC-Target-URI") or ""
            status, http = "", record.http_headers
            if record.rec_type == "response":
                status = http.get_statuscode() if http is not None else ""
                ctype = (http.get_header("Content-Type") if http is not None else "") or ""
            else:
                ctype = record.rec_headers.get_header("Content-Type") or ""
            want = page and status[:1] in ("", "2") and (not ctype or _html_type(ctype))
            try:  # the body first: asking the iterator for the offset ends the record
                body, cut = _read_body(record, max_bytes, want)
                failure = None
            except Exception as exc:  # warcio raises plain exceptions (zlib, IO)
                body, cut, failure = b"", False, str(exc)
            offset = records.get_record_offset()
            end = offset + records.get_record_length()
            where = f"{origin}@{offset} ({uri or 'no URI'})"
            if cut or record.length is None:  # no Content-Length: a header cut at the end
                yield Problem(
                    where,
                    f"archive truncated after record {total - 1} (this record is cut short)",
                )
                return
            last = offset
            if not page:
                continue
            if failure is not None:
                yield Problem(where, f"record body cannot be read ({failure})")
            elif record.rec_type == "response" and http is None:
                yield Problem(where, "response record without HTTP headers")
            elif status and not status.startswith("2"):
                yield Problem(where, f"HTTP status {status}, not a page", fatal=False)
            elif len(body) > max_bytes:
                limit = f"{max_bytes / 1e6:.1f} MB" if max_bytes >= 100_000 else f"{max_bytes}-byte"
                yield Problem(
                    where, f"page is over the {limit} limit (raise the max_bytes limit to read it)"
                )
            elif not _is_html(ctype, body):
                skipped[ctype.split(";")[0].strip().lower() or "no Content-Type"] += 1
            else:
                try:
                    yield read_html(_decode(body, ctype), where, url=uri or None)
                except InputError as exc:
                    yield Problem(exc.origin, exc.problem)
    except (ArchiveLoadFailed, StatusAndHeadersParserException) as exc:
        what = f"after record {total}" if total else "at the start of the file"
        detail = str(exc).split(", first line:", 1)[0]  # not the bytes that follow it
        yield Problem(f"{origin}@{last}", f"not a valid WARC record {what} ({detail[:200]})")
        return
    for ctype, count in sorted(skipped.items()):
        records_ = "record" if count == 1 else "records"
        yield Problem(origin, f"skipped: {count} {records_} of type {ctype}, not HTML pages",
                      fatal=False)
    if _tail(stream, end):  # what warcio ends on without a word: a record cut in its header
        yield Problem(
            f"{origin}@{end}", f"archive truncated after record {total} (the rest is unreadable)"
        )
    elif n == 0:
        yield Problem(origin, "WARC file holds no response or resource records")


def read_warc(
    data: bytes, origin: str, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[Article], list[Problem]]:
    """Every article of a WARC file's bytes, and a problem for each bad record."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for item in iter_warc(io.BytesIO(data), origin, max_bytes):
        if isinstance(item, Article):
            articles.append(item)
        else:
            problems.append(item)
    return articles, problems
