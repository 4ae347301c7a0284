"""Fetch state kept in the store: the feeds watched and the pages fetched.

What ``newsbrief.fetch`` needs between runs: each feed's validators (ETag,
Last-Modified) for the next conditional GET and its health (last fetch, last
success, last error, consecutive failures, items seen); each page's canonical URL,
validators, outcome and the article it became. The records are plain values. The
SQL that reads and writes their rows is here (``SQLiteStore`` calls it under its lock;
the tables are in ``store.sqlite._SCHEMA``); ``MemoryStore`` keeps the records in dicts.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["FeedState", "PageState", "load_feed", "load_feeds", "load_page",
           "save_feed", "save_page"]


@dataclass(frozen=True, slots=True)
class FeedState:
    """One watched feed: validators for the next conditional GET, and its health."""

    url: str
    added: datetime
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    """The ``Last-Modified`` header as the server sent it (sent back as-is)."""
    last_fetched: datetime | None = None
    last_ok: datetime | None = None
    """When a fetch last succeeded (200 or 304)."""
    last_status: int | None = None
    """HTTP status of the last fetch; None when no response came (timeout, refused)."""
    last_error: str | None = None
    """The named problem of the last fetch (``timeout: ...``); None when it succeeded."""
    failures: int = 0
    """Consecutive failed fetches (0 after a success)."""
    items_seen: int = 0
    """Distinct items (links) the feed has listed so far."""


@dataclass(frozen=True, slots=True)
class PageState:
    """One fetched page: where it led, its validators, and the article it became."""

    url: str
    """The URL asked for, tracking parameters dropped."""
    fetched: datetime
    canonical_url: str | None = None
    """``link rel=canonical`` or ``og:url`` (else the URL after redirects), normalised."""
    etag: str | None = None
    last_modified: str | None = None
    status: int | None = None
    error: str | None = None
    article_id: int | None = None
    """The stored article (None when the page failed or its text was rejected)."""


def _ts(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()


def _dt(ts: object) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(float(ts), tz=UTC)  # type: ignore[arg-type]


_FEED_COLUMNS = ("url, added, title, etag, last_modified, last_fetched, last_ok, last_status, "
                 "last_error, failures, items_seen")
_PAGE_COLUMNS = "url, fetched, canonical_url, etag, last_modified, status, error, article_id"


def _feed(row: tuple[object, ...]) -> FeedState:
    url, added, title, etag, lm, fetched, ok, status, error, failures, seen = row
    return FeedState(
        str(url), _dt(added) or datetime.now(tz=UTC), None if title is None else str(title),
        None if etag is None else str(etag), None if lm is None else str(lm), _dt(fetched),
        _dt(ok), None if status is None else int(status),  # type: ignore[call-overload]
        None if error is None else str(error), int(failures),  # type: ignore[call-overload]
        int(seen),  # type: ignore[call-overload]
    )


def _page(row: tuple[object, ...]) -> PageState:
    url, fetched, canonical, etag, lm, status, error, article_id = row
    return PageState(
        str(url), _dt(fetched) or datetime.now(tz=UTC),
        None if canonical is None else str(canonical), None if etag is None else str(etag),
        None if lm is None else str(lm),
        None if status is None else int(status),  # type: ignore[call-overload]
        None if error is None else str(error),
        None if article_id is None else int(article_id),  # type: ignore[call-overload]
    )


def load_feed(conn: sqlite3.Connection, url: str) -> FeedState | None:
    """The feed at ``url``, or None when it is not watched."""
    row = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feed WHERE url = ?", (url,)).fetchone()
    return None if row is None else _feed(row)


def load_feeds(conn: sqlite3.Connection) -> list[FeedState]:
    """Every feed, in the order they were added."""
    rows = conn.execute(f"SELECT {_FEED_COLUMNS} FROM feed ORDER BY added, url").fetchall()
    return [_feed(r) for r in rows]


def save_feed(conn: sqlite3.Connection, state: FeedState) -> None:
    """Insert or replace the feed's row."""
    conn.execute(
        f"INSERT OR REPLACE INTO feed ({_FEED_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (state.url, _ts(state.added), state.title, state.etag, state.last_modified,
         _ts(state.last_fetched), _ts(state.last_ok), state.last_status, state.last_error,
         state.failures, state.items_seen),
    )


def load_page(conn: sqlite3.Connection, url: str) -> PageState | None:
    """The page fetched as ``url``, else one whose canonical URL is ``url``."""
    row = conn.execute(
        f"SELECT {_PAGE_COLUMNS} FROM fetched_page WHERE url = ? OR canonical_url = ? "
        "ORDER BY url = ? DESC, article_id IS NULL, fetched DESC LIMIT 1",
        (url, url, url),
    ).fetchone()
    return None if row is None else _page(row)


def save_page(conn: sqlite3.Connection, state: PageState) -> None:
    """Insert or replace the page's row."""
    conn.execute(
        f"INSERT OR REPLACE INTO fetched_page ({_PAGE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
        (state.url, _ts(state.fetched), state.canonical_url, state.etag, state.last_modified,
         state.status, state.error, state.article_id),
    )


def pick_page(pages: dict[str, PageState], url: str) -> PageState | None:
    """``load_page`` over a dict of pages by URL (``MemoryStore``)."""
    if url in pages:
        return pages[url]
    same = [p for p in pages.values() if p.canonical_url == url]
    same.sort(key=lambda p: (p.article_id is None, -p.fetched.timestamp()))
    return same[0] if same else None
