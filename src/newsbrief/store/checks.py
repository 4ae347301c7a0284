"""How a SQLite store checks itself on open, read-only, before anything is written.

A file that is not a newsbrief store (another application's SQLite file, or not SQLite
at all) is refused untouched; a store up to ``QUICK_CHECK_MAX_BYTES`` is checked with
``PRAGMA quick_check``; and SQLite's errors for a damaged file, met then or later, become
one ``StoreError`` that says what to do.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

from newsbrief.errors import StoreError, shown

__all__ = ["APPLICATION", "QUICK_CHECK_MAX_BYTES", "check_is_store", "store_error"]

QUICK_CHECK_MAX_BYTES = 256 * 1024 * 1024
"""Largest store checked with ``PRAGMA quick_check`` on every open: the check reads every
page (0.3-0.45 s for a 530 MB file in the page cache, measured), so up to this size it
costs an open about 0.2 s at most; a larger store is opened unchecked, and damage found
later is reported the same way."""
APPLICATION = "newsbrief"
"""The marker in ``meta`` that says a SQLite file is a newsbrief store."""
_DAMAGE_CODES = {11, 26}
"""SQLite's primary result codes for a damaged file: SQLITE_CORRUPT, SQLITE_NOTADB."""


def store_error(path: str, exc: sqlite3.Error) -> StoreError:
    """SQLite's error as a ``StoreError``: a damaged file says so, and what to do."""
    if getattr(exc, "sqlite_errorcode", 0) & 0xFF in _DAMAGE_CODES:
        return StoreError(f"store is damaged: {shown(path)} ({exc}); restore a backup or "
                          "re-ingest into a new file")
    return StoreError(f"{shown(path)}: {exc}")


def check_is_store(path: str, create: bool) -> None:
    """Refuse, without writing to it, a file that is not a newsbrief store or is damaged;
    a missing or empty file only when ``create`` is false."""
    where = shown(path)
    file = Path(path)
    if not file.exists() or (file.is_file() and file.stat().st_size == 0):
        if create:
            return
        raise StoreError(f"{where}: no such store (a store is made by ingesting articles into it)")
    if not file.is_file():
        raise StoreError(f"{where}: not a store (a folder or a device, not a file)")
    try:
        uri = f"file:{quote(str(file.resolve()))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as conn:
            tables = {str(n) for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not tables and create:  # an empty SQLite file: made a store as if new
                return
            marks = dict(conn.execute("SELECT key, value FROM meta").fetchall()
                         if "meta" in tables else [])
            # a store made before the marker, or being made by another process this moment
            ours = marks.get("application") == APPLICATION.encode() or (
                {"meta", "story", "article", "band"} <= tables)
            if not ours:
                listed = ", ".join(sorted(tables)[:5]) or "none"
                raise StoreError(f"{where}: not a newsbrief store (its tables: {listed}); "
                                 "give the name of a new file or of a newsbrief store")
            if file.stat().st_size <= QUICK_CHECK_MAX_BYTES:
                (found,) = conn.execute("PRAGMA quick_check(1)").fetchone()
                if found != "ok":  # the first fault, on one line
                    fault = " ".join(str(found).replace("*** in database main ***", "").split())
                    raise StoreError(f"store is damaged: {where} ({fault}); "
                                     "restore a backup or re-ingest into a new file")
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode & 0xFF == 26:  # SQLITE_NOTADB: not SQLite, or its header lost
            raise StoreError(f"{where}: not a newsbrief store (not an SQLite database, or one "
                             "whose header is damaged)") from None
        raise store_error(path, exc) from None
