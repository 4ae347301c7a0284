"""Corrections a user makes to stories (``newsbrief.corrections``): the records, and the
SQL of the SQLite store's part.

A story's articles are moved by changing their ``story_id``. Two kinds of story rows are
never listed, counted or found by ingest:

* an emptied story keeps its row (size 0, no terms that find it), so that its id is never
  given to a new story; a merged-away one also keeps ``merged_into``, the story its id
  now leads to;
* ``REMOVED_STORY`` (id 0) holds the articles a user took out of all stories: they stay
  stored and searchable, but have no terms that find the story and are left out of the
  copy lookup, so no later article joins them.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["ACTIONS", "REMOVED_STORY", "ArticleVector", "Correction"]

REMOVED_STORY = 0
"""The story row that holds the articles taken out of all stories (never listed)."""
ACTIONS = ("merge", "split", "move")
"""What a correction may be."""
LISTED = f"size > 0 AND id != {REMOVED_STORY}"
"""The stories that are listed and counted: not emptied, not the removed articles' row."""
MAX_REDIRECTS = 64
"""Merged-into links followed at most: a bound, should a loop ever be written."""


@dataclass(frozen=True, slots=True)
class ArticleVector:
    """A stored article as a story summary is rebuilt from it."""

    article_id: int
    published: float | None
    title: str | None
    terms: np.ndarray
    """Its stored TF-IDF row: term ids (int32), sorted, and weights (float32)."""
    values: np.ndarray


@dataclass(frozen=True, slots=True)
class Correction:
    """One correction, as the log keeps it."""

    id: int
    at: datetime
    action: str
    """``merge`` (``other`` into ``story``), ``split`` (the articles from ``story`` into
    ``other``, a new story) or ``move`` (the articles from ``story`` into ``other``; None
    for out of all stories)."""
    story_id: int | None
    other_id: int | None
    article_ids: tuple[int, ...]


# -- SQLite (called by SQLiteStore under its lock) ---------------------------------------

def ensure_removed_story(conn: sqlite3.Connection, empty_centroid: bytes, now: str) -> None:
    """Make the row of ``REMOVED_STORY`` where it is missing."""
    conn.execute(
        "INSERT OR IGNORE INTO story(id, size, label, centroid, created, updated) "
        "VALUES (?, 0, 'out of all stories', ?, ?, ?)",
        (REMOVED_STORY, empty_centroid, now, now),
    )


def refresh_removed_size(conn: sqlite3.Connection) -> None:
    """Keep the size of ``REMOVED_STORY`` equal to its articles (``check`` compares them)."""
    conn.execute(
        "UPDATE story SET size = (SELECT COUNT(*) FROM article WHERE story_id = ?) "
        "WHERE id = ?", (REMOVED_STORY, REMOVED_STORY),
    )


def drop_story(conn: sqlite3.Connection, story_id: int, merged_into: int | None,
               empty_centroid: bytes, now: str) -> None:
    """Empty a story's row (listed nowhere, found by no term); with ``merged_into``, its id
    and those merged into it before lead there."""
    conn.execute(
        "UPDATE story SET size = 0, first_published = NULL, last_published = NULL, "
        "label = '', headline = NULL, headline_score = 0, centroid = ?, updated = ?, "
        "merged_into = ? WHERE id = ?",
        (empty_centroid, now, merged_into, story_id),
    )
    conn.execute("DELETE FROM story_term WHERE story_id = ?", (story_id,))
    if merged_into is not None:
        conn.execute("UPDATE story SET merged_into = ? WHERE merged_into = ?",
                     (merged_into, story_id))


def merged_into(conn: sqlite3.Connection, story_id: int) -> int | None:
    """The story a merged-away id leads to (following earlier merges), or None."""
    target = None
    sid = story_id
    for _ in range(MAX_REDIRECTS):
        row = conn.execute("SELECT merged_into FROM story WHERE id = ?", (sid,)).fetchone()
        if row is None or row[0] is None:
            break
        target = sid = int(row[0])
    return target


def log_correction(conn: sqlite3.Connection, action: str, story_id: int | None,
                   other_id: int | None, article_ids: Sequence[int], now: str) -> None:
    """Add a line to the correction log."""
    conn.execute(
        "INSERT INTO correction(at, action, story_id, other_id, article_ids) "
        "VALUES (?, ?, ?, ?, ?)",
        (now, action, story_id, other_id, json.dumps([int(a) for a in article_ids])),
    )


def load_corrections(conn: sqlite3.Connection, limit: int) -> list[Correction]:
    """The latest ``limit`` corrections, newest first."""
    rows = conn.execute(
        "SELECT id, at, action, story_id, other_id, article_ids FROM correction "
        "ORDER BY id DESC LIMIT ?", (limit,),
    ).fetchall()
    return [
        Correction(int(cid), datetime.fromisoformat(at), str(action),
                   None if sid is None else int(sid), None if oid is None else int(oid),
                   tuple(int(a) for a in json.loads(ids)))
        for cid, at, action, sid, oid, ids in rows
    ]


def id_list(values: Iterable[int]) -> list[int]:
    """Distinct ids, ascending (for ``IN`` lists)."""
    return sorted({int(v) for v in values})
