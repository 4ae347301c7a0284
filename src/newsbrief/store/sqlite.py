"""The SQLite implementation of ``Store``: one file in WAL mode, SQL only.

One connection, shared by threads (``check_same_thread=False``), every call under
one lock; other processes may read while one writes. ``transaction()`` is one
``BEGIN IMMEDIATE`` ... ``COMMIT``, so a process killed at any point (even ``kill
-9``) leaves the store as it was after the last whole batch.

The store checks itself on open, read-only, before anything is written: a file that
is not a newsbrief store (another application's SQLite file, or not SQLite at all) is
refused untouched, never given tables or switched to WAL; a small store is checked
with ``PRAGMA quick_check`` (``store.checks``); and a store of an older schema is
brought up to date by ``MIGRATIONS`` or refused. A damaged store, found then or
later, is a ``StoreError`` that says what to do.
"""

from __future__ import annotations

import json
import re
import sqlite3
import struct
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from newsbrief.errors import SettingsError, StoreError, shown
from newsbrief.model import Article
from newsbrief.outlets import Outlet
from newsbrief.settings import StorySettings
from newsbrief.store import (
    ORDERS,
    ArticleRecord,
    ArticleVector,
    Correction,
    FeedState,
    PageState,
    SearchHit,
    StoredPassages,
    StoryInfo,
    StorySummary,
    fetch_state,
    parse_story_id,
    story_edits,
)
from newsbrief.store.checks import APPLICATION, check_is_store, store_error

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "SQLiteStore"]

SCHEMA_VERSION = 3
"""2: passages (MinHash per paragraph) replace the whole-article signature. 3: feeds and
fetch state, user corrections, read marks and outlets (new tables, new columns)."""
_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("story", "merged_into", "INTEGER"),  # corrections: where a merged-away id leads
    ("story", "lede", "TEXT"),  # issue 14: the stories list's one-line lede
)
"""Columns added to tables of an earlier schema: (table, column, declaration). Each is
added on open where it is missing (``_add_columns``), so a schema 2 store gains them."""


def _add_columns(conn: sqlite3.Connection) -> None:
    """Add each of ``_COLUMNS`` that its table lacks (new tables come from ``_SCHEMA``)."""
    for table, column, declaration in _COLUMNS:
        have = {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}
        if have and column not in have:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {declaration}")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {2: _add_columns}
"""Upgrades of a store's schema from the version of the key to the next one, run on open,
in order, in one transaction. Schema 1 kept whole-article signatures, which cannot be
turned into passages without the texts' features, so a schema 1 store is refused with a
message; schema 2 gains schema 3's columns (its new tables are made by ``_SCHEMA``)."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
CREATE TABLE IF NOT EXISTS story (
    id INTEGER PRIMARY KEY,
    size INTEGER NOT NULL,
    first_published REAL,
    last_published REAL,
    label TEXT NOT NULL DEFAULT '',
    headline TEXT,
    headline_score REAL NOT NULL DEFAULT 0,
    centroid BLOB NOT NULL,
    created TEXT NOT NULL,
    updated TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS article (
    id INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    story_id INTEGER NOT NULL REFERENCES story(id),
    copy_of INTEGER REFERENCES article(id),
    source TEXT NOT NULL,
    origin TEXT NOT NULL,
    title TEXT,
    url TEXT,
    author TEXT,
    published REAL,
    input_story TEXT,
    text TEXT NOT NULL,
    vector BLOB NOT NULL,
    words INTEGER NOT NULL,
    passages BLOB,
    added TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS article_story ON article(story_id);
CREATE TABLE IF NOT EXISTS story_term (
    term INTEGER NOT NULL, story_id INTEGER NOT NULL, PRIMARY KEY (term, story_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS story_term_story ON story_term(story_id);
CREATE TABLE IF NOT EXISTS band (
    key INTEGER NOT NULL, article_id INTEGER NOT NULL, PRIMARY KEY (key, article_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS term (id INTEGER PRIMARY KEY, word TEXT NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS article_fts
    USING fts5(title, text, content='article', content_rowid='id');
-- what is new (newsbrief.update): when each story was last read
CREATE TABLE IF NOT EXISTS read_mark (
    story_id INTEGER PRIMARY KEY,
    read TEXT NOT NULL
);
-- fetching (newsbrief.fetch, store.fetch_state): feeds watched, pages fetched
CREATE TABLE IF NOT EXISTS feed (
    url TEXT PRIMARY KEY,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    last_fetched REAL,
    last_ok REAL,
    last_status INTEGER,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    items_seen INTEGER NOT NULL DEFAULT 0,
    added REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS fetched_page (
    url TEXT PRIMARY KEY,
    canonical_url TEXT,
    etag TEXT,
    last_modified TEXT,
    fetched REAL NOT NULL,
    status INTEGER,
    error TEXT,
    article_id INTEGER REFERENCES article(id)
);
CREATE INDEX IF NOT EXISTS fetched_page_canonical ON fetched_page(canonical_url);
-- outlets (issue 14, newsbrief.outlets): the --sources table, in file order
CREATE TABLE IF NOT EXISTS outlet (
    position INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    domain TEXT NOT NULL UNIQUE,
    country TEXT,
    owner TEXT,
    lean TEXT
);
-- corrections (newsbrief.corrections, store.story_edits): what a user changed, and when
CREATE TABLE IF NOT EXISTS correction (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    action TEXT NOT NULL,
    story_id INTEGER,
    other_id INTEGER,
    article_ids TEXT NOT NULL
);
"""

_BUSY_SECONDS = 30.0
"""How long a writer waits for another process's transaction before giving up."""
_IN_CHUNK = 500
"""Values per ``IN (...)`` list: well under SQLite's limit on parameters."""
_MAX_ROWS = 2**62
"""LIMIT and OFFSET beyond this are cut to it: SQLite integers are 64 bits."""
_ORDER_SQL = {"size": "s.size DESC, s.id DESC", "recent": "s.updated DESC, s.id DESC",
              "sources": "n_sources DESC, s.updated DESC, s.id DESC"}
_NOT_QUERY = re.compile(r'["\x00-\x1f\x7f\ud800-\udfff]')
_STORY_SQL = (
    "SELECT s.id, s.size, (SELECT COUNT(DISTINCT lower(a.source)) FROM article a "
    "WHERE a.story_id = s.id) AS n_sources, s.first_published, s.last_published, s.label, "
    "s.headline, s.lede, s.updated "
    f"FROM (SELECT * FROM story WHERE {story_edits.LISTED}) s"
)


def _fts_query(text: str) -> str:
    """The words of ``text`` as an FTS5 query (each quoted, all required); a text with
    no word left (only quotes, control characters) finds nothing."""
    words = [_NOT_QUERY.sub("", w) for w in text.split()]
    return " ".join(f'"{w}"' for w in words if w)


def _pack(indices: np.ndarray, values: np.ndarray) -> bytes:
    return (
        struct.pack("<I", len(indices))
        + indices.astype("<i4").tobytes()
        + values.astype("<f4").tobytes()
    )


def _unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    import numpy as np

    (n,) = struct.unpack_from("<I", blob)
    idx = np.frombuffer(blob, dtype="<i4", count=n, offset=4)
    val = np.frombuffer(blob, dtype="<f4", count=n, offset=4 + 4 * n)
    return idx, val


def _pack_passages(words: Sequence[int], signatures: np.ndarray) -> bytes | None:
    """Passage word counts and signatures: ``<I n``, n ``<u4`` counts, n rows of ``<u4``."""
    import numpy as np

    if not len(words):
        return None
    return (
        struct.pack("<I", len(words))
        + np.asarray(words, dtype="<u4").tobytes()
        + np.ascontiguousarray(signatures, dtype="<u4").tobytes()
    )


def _unpack_passages(blob: bytes | None) -> tuple[tuple[int, ...], np.ndarray]:
    import numpy as np

    if blob is None:
        return (), np.zeros((0, 0), dtype=np.uint32)
    (n,) = struct.unpack_from("<I", blob)
    words = np.frombuffer(blob, dtype="<u4", count=n, offset=4)
    sigs = np.frombuffer(blob, dtype="<u4", offset=4 + 4 * n).astype(np.uint32)
    return tuple(int(w) for w in words), sigs.reshape(n, -1)


def _datetime(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)


def _now() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="seconds")


def _utc(when: datetime) -> datetime:
    """``when`` in UTC; a naive time is taken to be UTC already (as the store writes)."""
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


class SQLiteStore:
    """The SQLite implementation of ``Store`` (WAL mode, thread-safe, one batch a transaction)."""

    def __init__(
        self, path: str | Path, settings: StorySettings | None = None, create: bool = True
    ) -> None:
        """Open the store at ``path``; with ``create`` False, only an existing store
        (a file that is not one is refused, never written to)."""
        self.path = str(path)
        check_is_store(self.path, create)
        self._lock = threading.RLock()
        with self._locked():
            self._conn = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=_BUSY_SECONDS
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            version = self._schema_version()
            if version is not None and version != SCHEMA_VERSION:
                self._migrate(version)
            self._conn.executescript(_SCHEMA)
            _add_columns(self._conn)
            if version is None:
                self._set_meta("schema", str(SCHEMA_VERSION).encode())
            self._set_meta("application", APPLICATION.encode())
            saved = self._meta("settings")
            if settings is None:
                settings = StorySettings(**json.loads(saved)) if saved else StorySettings()
            if saved is None:
                self._set_meta("settings", json.dumps(asdict(settings)).encode())
        self.settings = settings

    # -- small helpers -------------------------------------------------------

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """The store's lock held, SQLite's errors raised as ``StoreError`` (a damaged
        store found in use says so, as on open)."""
        with self._lock:
            try:
                yield
            except sqlite3.Error as exc:
                raise store_error(self.path, exc) from None

    def _migrate(self, version: int) -> None:
        """Bring a store of schema ``version`` up to ``SCHEMA_VERSION`` with ``MIGRATIONS``,
        in one transaction, or refuse it."""
        steps = range(version, SCHEMA_VERSION)
        if version > SCHEMA_VERSION or any(v not in MIGRATIONS for v in steps):
            raise StoreError(
                f"{shown(self.path)}: store schema {version} is not the supported "
                f"{SCHEMA_VERSION}; ingest into a new file"
            )
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            for v in steps:
                MIGRATIONS[v](self._conn)
            self._set_meta("schema", str(SCHEMA_VERSION).encode())
            self._conn.execute("COMMIT")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise

    def _schema_version(self) -> int | None:
        has_meta = self._conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if has_meta is None:
            return None
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        return None if row is None else int(row[0])

    def _meta(self, key: str) -> bytes | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def _set_meta(self, key: str, value: bytes) -> None:
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _in(self, sql: str, values: Sequence[object]) -> Iterator[tuple[object, ...]]:
        """Run ``sql`` (with one ``{}`` for the IN list) over values, a chunk at a time."""
        for s in range(0, len(values), _IN_CHUNK):
            part = list(values[s : s + _IN_CHUNK])
            marks = ",".join("?" * len(part))
            yield from self._conn.execute(sql.format(marks), part).fetchall()

    # -- ingest: the transaction, loads and saves ------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One batch's reads and writes in one ``BEGIN IMMEDIATE`` transaction."""
        with self._locked():
            try:
                self._conn.execute("BEGIN IMMEDIATE")
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def stored(self, content_hashes: Iterable[str]) -> set[str]:
        """Those of the content hashes that are stored."""
        with self._locked():
            return {
                str(h) for (h,) in self._in(
                    "SELECT content_hash FROM article WHERE content_hash IN ({})",
                    sorted(set(content_hashes)),
                )
            }

    def docfreq(self) -> tuple[np.ndarray | None, int]:
        """Document frequencies (None before the first article) and document count."""
        import numpy as np

        with self._locked():
            blob, n = self._meta("docfreq"), self._meta("n_docs")
        if blob is None:
            return None, 0
        return np.frombuffer(zlib.decompress(blob), dtype="<i4").copy(), int(n or 0)

    def story_postings(self, terms: Sequence[int]) -> list[tuple[int, int]]:
        """(term, story id) for each story found again by one of ``terms``."""
        with self._locked():
            return [
                (int(t), int(s))  # type: ignore[call-overload]
                for t, s in self._in(
                    "SELECT term, story_id FROM story_term WHERE term IN ({})", sorted(terms)
                )
            ]

    def story_summaries(self, story_ids: Iterable[int]) -> list[StorySummary]:
        """The summaries of the stories with these ids, ascending by id."""
        with self._locked():
            rows = list(self._in(
                "SELECT id, size, first_published, last_published, headline, headline_score, "
                "centroid FROM story WHERE id IN ({}) ORDER BY id",
                sorted(set(story_ids)),
            ))
        out = []
        for sid, size, first, last, headline, score, blob in rows:
            terms, values = _unpack(blob)  # type: ignore[arg-type]
            out.append(StorySummary(
                id=int(sid), size=int(size),  # type: ignore[call-overload]
                first=None if first is None else float(first),  # type: ignore[arg-type]
                last=None if last is None else float(last),  # type: ignore[arg-type]
                centroid_terms=terms, centroid_values=values,
                headline=None if headline is None else str(headline),
                headline_score=float(score),  # type: ignore[arg-type]
            ))
        return out

    def copy_sources(self, band_keys: Iterable[int]) -> list[StoredPassages]:
        """The stored articles with a passage under one of these band keys, by id."""
        with self._locked():
            ids = sorted({
                int(a)  # type: ignore[call-overload]
                for (a,) in self._in(
                    "SELECT article_id FROM band WHERE key IN ({})", sorted(set(band_keys))
                )
            })
            rows = list(self._in(  # articles out of all stories: no later one joins them
                "SELECT id, story_id, published, words, passages FROM article "
                f"WHERE id IN ({{}}) AND story_id != {story_edits.REMOVED_STORY} ORDER BY id",
                ids,
            ))
        out = []
        for aid, sid, published, words, blob in rows:
            counts, sigs = _unpack_passages(blob)  # type: ignore[arg-type]
            out.append(StoredPassages(
                article_id=int(aid), story_id=int(sid),  # type: ignore[call-overload]
                published=None if published is None else float(published),  # type: ignore[arg-type]
                total_words=int(words),  # type: ignore[call-overload]
                passage_words=counts, signatures=sigs,
            ))
        return out

    def term_words(self, terms: Iterable[int]) -> dict[int, str]:
        """A word for each of these term ids that has one."""
        with self._locked():
            return {
                int(t): str(w)  # type: ignore[call-overload]
                for t, w in self._in(
                    "SELECT id, word FROM term WHERE id IN ({})", sorted(set(terms))
                )
            }

    def new_stories(self, n: int) -> list[int]:
        """Make ``n`` empty stories; their ids."""
        import numpy as np

        empty = _pack(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        now = _now()
        ids = []
        with self._locked():
            for _ in range(n):
                cur = self._conn.execute(
                    "INSERT INTO story(size, centroid, created, updated) VALUES (0, ?, ?, ?)",
                    (empty, now, now),
                )
                assert cur.lastrowid is not None
                ids.append(int(cur.lastrowid))
        return ids

    def save_articles(self, records: Sequence[ArticleRecord]) -> list[int]:
        """Store articles, their search index entries and band keys; their ids."""
        now = _now()
        ids = []
        with self._locked():
            conn = self._conn
            for r in records:
                a = r.article
                cur = conn.execute(
                    "INSERT INTO article(content_hash, story_id, source, origin, title, url, "
                    "author, published, input_story, text, vector, words, passages, added) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        r.content_hash, r.story_id, a.source, a.origin, a.title, a.url,
                        a.author, r.published, a.story, a.text,
                        _pack(r.vector_terms, r.vector_values), r.total_words,
                        _pack_passages(r.passage_words, r.signatures), now,
                    ),
                )
                assert cur.lastrowid is not None
                aid = int(cur.lastrowid)
                ids.append(aid)
                conn.execute(
                    "INSERT INTO article_fts(rowid, title, text) VALUES (?, ?, ?)",
                    (aid, a.title or "", a.text),
                )
                conn.executemany(
                    "INSERT OR IGNORE INTO band(key, article_id) VALUES (?, ?)",
                    [(int(k), aid) for k in r.band_keys],
                )
        return ids

    def mark_copies(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Record (copy, original) article ids; an article keeps the first original."""
        with self._locked():
            self._conn.executemany(
                "UPDATE article SET copy_of = ? WHERE id = ? AND copy_of IS NULL",
                [(original, copy) for copy, original in pairs],
            )

    def save_terms(self, words: dict[int, str]) -> None:
        """A word for each term id that has none yet."""
        with self._locked():
            self._conn.executemany(
                "INSERT OR IGNORE INTO term(id, word) VALUES (?, ?)", sorted(words.items())
            )

    def save_stories(self, summaries: Sequence[StorySummary]) -> None:
        """Replace these stories' summaries and the terms that find them."""
        now = _now()
        with self._locked():
            conn = self._conn
            conn.executemany(
                "UPDATE story SET size = ?, first_published = ?, last_published = ?, "
                "headline = ?, headline_score = ?, centroid = ?, updated = ?, label = ? "
                "WHERE id = ?",
                [
                    (s.size, s.first, s.last, s.headline, s.headline_score,
                     _pack(s.centroid_terms, s.centroid_values), now, s.label, s.id)
                    for s in summaries
                ],
            )
            conn.executemany(
                "DELETE FROM story_term WHERE story_id = ?", [(s.id,) for s in summaries]
            )
            conn.executemany(
                "INSERT OR IGNORE INTO story_term(term, story_id) VALUES (?, ?)",
                [(t, s.id) for s in summaries for t in s.terms],
            )

    def save_docfreq(self, df: np.ndarray, n_docs: int) -> None:
        """Replace the document frequencies (one compressed array)."""
        with self._locked():
            self._set_meta("docfreq", zlib.compress(df.astype("<i4").tobytes(), 1))
            self._set_meta("n_docs", str(n_docs).encode())

    # -- reading -------------------------------------------------------------

    @staticmethod
    def _info(rows: Iterable[tuple[object, ...]]) -> list[StoryInfo]:
        return [
            StoryInfo(
                id=int(sid),  # type: ignore[call-overload]
                size=int(size),  # type: ignore[call-overload]
                sources=int(sources),  # type: ignore[call-overload]
                first=_datetime(None if first is None else float(first)),  # type: ignore[arg-type]
                last=_datetime(None if last is None else float(last)),  # type: ignore[arg-type]
                label=str(label),
                headline=None if headline is None else str(headline),
                lede=None if lede is None else str(lede),
                updated=None if changed is None else _utc(datetime.fromisoformat(str(changed))),
            )
            for sid, size, sources, first, last, label, headline, lede, changed in rows
        ]

    def stories(
        self, limit: int = 50, offset: int = 0, query: str | None = None, order: str = "size",
        min_sources: int = 0,
    ) -> list[StoryInfo]:
        """Stories, largest first (``order="size"``), most recently updated first
        (``"recent"``) or most sources first (``"sources"``); with ``query``, only those with
        an article holding its words; only those with ``min_sources`` sources or more."""
        if order not in ORDERS:
            raise SettingsError(f"order must be one of {', '.join(ORDERS)}, got {order!r}")
        if limit < 0 or offset < 0:
            raise SettingsError("limit and offset must not be negative")
        limit, offset = min(limit, _MAX_ROWS), min(offset, _MAX_ROWS)
        filtered = self._filtered(query, min_sources)
        if filtered is None:
            return []  # nothing searchable is left of the query: nothing matches
        where, params = filtered
        with self._locked():
            rows = self._conn.execute(
                f"SELECT * FROM ({_STORY_SQL}) s{where} ORDER BY {_ORDER_SQL[order]} "
                "LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
        return self._info(rows)

    @staticmethod
    def _filtered(query: str | None, min_sources: int) -> tuple[str, list[object]] | None:
        """The WHERE clause of a listing (over ``_STORY_SQL`` as ``s``), None for a query
        with nothing searchable left."""
        clauses: list[str] = []
        params: list[object] = []
        if query and query.strip():
            match = _fts_query(query)
            if not match:
                return None
            clauses.append(
                "s.id IN (SELECT a.story_id FROM article_fts JOIN article a "
                "ON a.id = article_fts.rowid WHERE article_fts MATCH ?)"
            )
            params.append(match)
        if min_sources > 1:
            clauses.append("s.n_sources >= ?")
            params.append(min(min_sources, _MAX_ROWS))
        return (" WHERE " + " AND ".join(clauses) if clauses else "", params)

    def story(self, story_id: int | str) -> StoryInfo | None:
        """One story, or None when there is no story with that id."""
        sid = parse_story_id(story_id)
        if sid is None:
            return None
        with self._locked():
            rows = self._conn.execute(_STORY_SQL + " WHERE s.id = ?", (sid,)).fetchall()
        found = self._info(rows)
        return found[0] if found else None

    def articles(self, story_id: int | str) -> list[Article]:
        """The articles of one story, oldest first (undated ones in ingest order); none
        when there is no such story."""
        sid = parse_story_id(story_id)
        if sid is None:
            return []
        with self._locked():
            rows = self._conn.execute(
                "SELECT id, source, origin, text, title, url, author, published FROM article "
                "WHERE story_id = ? ORDER BY published IS NULL, published, id",
                (sid,),
            ).fetchall()
        return [
            Article(
                id=str(aid), source=source, origin=origin, text=text, title=title, url=url,
                author=author, published=_datetime(published), story=str(sid),
            )
            for aid, source, origin, text, title, url, author, published in rows
        ]

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Articles whose title or text holds every word of ``text``, best match first."""
        q = _fts_query(text)
        if not q:
            return []
        limit = min(max(limit, 0), _MAX_ROWS)
        with self._locked():
            rows = self._conn.execute(
                "SELECT a.id, a.story_id, a.title, a.source, "
                "snippet(article_fts, 1, '[', ']', '…', 12) FROM article_fts "
                "JOIN article a ON a.id = article_fts.rowid WHERE article_fts MATCH ? "
                "ORDER BY rank LIMIT ?",
                (q, limit),
            ).fetchall()
        return [SearchHit(int(a), int(s), t, src, snip) for a, s, t, src, snip in rows]

    def story_of(self, content_hashes: Iterable[str]) -> dict[str, int]:
        """The story of each stored article, by normalised content hash."""
        with self._locked():
            return {
                str(h): int(s)  # type: ignore[call-overload]
                for h, s in self._in(
                    "SELECT content_hash, story_id FROM article WHERE content_hash IN ({})",
                    sorted(set(content_hashes)),
                )
            }

    def counts(self) -> tuple[int, int]:
        """How many articles and stories are stored."""
        with self._locked():
            (n_articles,) = self._conn.execute("SELECT COUNT(*) FROM article").fetchone()
            (n_stories,) = self._conn.execute(
                f"SELECT COUNT(*) FROM story WHERE {story_edits.LISTED}"
            ).fetchone()
        return int(n_articles), int(n_stories)

    def check(self) -> list[str]:
        """Consistency problems, if any: integrity, orphans, and story sizes that disagree."""
        with self._locked():
            problems = [
                str(r[0]) for r in self._conn.execute("PRAGMA integrity_check").fetchall()
                if r[0] != "ok"
            ]
            bad = self._conn.execute(
                "SELECT COUNT(*) FROM story s WHERE s.size != "
                "(SELECT COUNT(*) FROM article a WHERE a.story_id = s.id)"
            ).fetchone()[0]
            orphans = self._conn.execute(
                "SELECT COUNT(*) FROM article a LEFT JOIN story s ON s.id = a.story_id "
                "WHERE s.id IS NULL"
            ).fetchone()[0]
            n_docs = self._meta("n_docs")
            (n_articles,) = self._conn.execute("SELECT COUNT(*) FROM article").fetchone()
        if bad:
            problems.append(f"{bad} stories whose size disagrees with their articles")
        if orphans:
            problems.append(f"{orphans} articles in no story")
        if int(n_docs or 0) != n_articles:
            problems.append(f"document count {int(n_docs or 0)} != {n_articles} articles")
        return problems

    # -- what is new: arrival times and read marks (newsbrief.update) ---------

    def arrivals(self, story_id: int | str) -> dict[str, datetime]:
        """When each article of a story arrived in the store (its ingest batch, UTC, to the
        second), keyed by the ids ``articles()`` gives; empty for no such story."""
        sid = parse_story_id(story_id)
        if sid is None:
            return {}
        with self._locked():
            rows = self._conn.execute(
                "SELECT id, added FROM article WHERE story_id = ?", (sid,)
            ).fetchall()
        return {str(aid): _utc(datetime.fromisoformat(added)) for aid, added in rows}

    def mark_read(self, story_id: int | str, when: datetime) -> None:
        """Record that the story was read at ``when`` (replacing an earlier mark)."""
        sid = parse_story_id(story_id)
        if sid is None:
            raise SettingsError(f"not a story id: {story_id!r}")
        with self._locked():
            self._conn.execute(
                "INSERT INTO read_mark(story_id, read) VALUES (?, ?) "
                "ON CONFLICT(story_id) DO UPDATE SET read = excluded.read",
                (sid, _utc(when).isoformat()),
            )

    def last_read(self, story_id: int | str) -> datetime | None:
        """When the story was last marked read (UTC), or None."""
        sid = parse_story_id(story_id)
        if sid is None:
            return None
        with self._locked():
            row = self._conn.execute(
                "SELECT read FROM read_mark WHERE story_id = ?", (sid,)
            ).fetchone()
        return None if row is None else _utc(datetime.fromisoformat(row[0]))

    # -- fetching: feeds watched, pages fetched (newsbrief.fetch) --------------

    def feed(self, url: str) -> FeedState | None:
        """The watched feed at ``url``, or None."""
        with self._locked():
            return fetch_state.load_feed(self._conn, url)

    def feeds(self) -> list[FeedState]:
        """Every watched feed, in the order they were added."""
        with self._locked():
            return fetch_state.load_feeds(self._conn)

    def save_feed(self, state: FeedState) -> None:
        """Add the feed or replace its state."""
        with self._locked():
            fetch_state.save_feed(self._conn, state)

    def page(self, url: str) -> PageState | None:
        """The page fetched as ``url``, else one whose canonical URL is ``url``; or None."""
        with self._locked():
            return fetch_state.load_page(self._conn, url)

    def save_page(self, state: PageState) -> None:
        """Add the fetched page or replace its state."""
        with self._locked():
            fetch_state.save_page(self._conn, state)

    def article_ids(self, content_hashes: Iterable[str]) -> dict[str, int]:
        """The id of each stored article, by normalised content hash."""
        with self._locked():
            return {
                str(h): int(i)  # type: ignore[call-overload]
                for h, i in self._in(
                    "SELECT content_hash, id FROM article WHERE content_hash IN ({})",
                    sorted(set(content_hashes)),
                )
            }

    # -- the stories list and outlets (issue 14: newsbrief.outlets, newsbrief.lede) --

    def count_stories(self, query: str | None = None, min_sources: int = 0) -> int:
        """How many stories ``stories(query=..., min_sources=...)`` lists without a limit."""
        filtered = self._filtered(query, min_sources)
        if filtered is None:
            return 0
        where, params = filtered
        with self._locked():
            (n,) = self._conn.execute(
                f"SELECT COUNT(*) FROM ({_STORY_SQL}) s{where}", params
            ).fetchone()
        return int(n)

    def save_ledes(self, ledes: Mapping[int, str]) -> None:
        """Set these stories' ledes."""
        with self._locked():
            self._conn.executemany(
                "UPDATE story SET lede = ? WHERE id = ?",
                [(text, sid) for sid, text in sorted(ledes.items())],
            )

    def story_sources(self, story_ids: Iterable[int]) -> dict[int, list[tuple[str, str | None]]]:
        """(source, url) of each article of these stories, by story id, in article order."""
        out: dict[int, list[tuple[str, str | None]]] = {}
        with self._locked():
            for sid, source, url in self._in(
                "SELECT story_id, source, url FROM article WHERE story_id IN ({}) ORDER BY id",
                sorted({int(s) for s in story_ids}),
            ):
                out.setdefault(int(sid), []).append(  # type: ignore[call-overload]
                    (str(source), None if url is None else str(url)))
        return out

    def save_outlets(self, outlets: Sequence[Outlet]) -> None:
        """Replace the sources table with these outlets."""
        with self.transaction():
            self._conn.execute("DELETE FROM outlet")
            self._conn.executemany(
                "INSERT INTO outlet(position, name, domain, country, owner, lean) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                [(k, o.name, o.domain, o.country, o.owner, o.lean)
                 for k, o in enumerate(outlets)],
            )

    def outlets(self) -> list[Outlet]:
        """The sources table as saved, in its order."""
        with self._locked():
            rows = self._conn.execute(
                "SELECT name, domain, country, owner, lean FROM outlet ORDER BY position"
            ).fetchall()
        return [Outlet(*row) for row in rows]

    # -- corrections: stories a user corrects (newsbrief.corrections, store.story_edits) --

    def article_stories(self, article_ids: Iterable[int]) -> dict[int, int | None]:
        """The story of each of these stored articles (None: out of all stories)."""
        removed = story_edits.REMOVED_STORY
        with self._locked():
            rows = self._in("SELECT id, story_id FROM article WHERE id IN ({})",
                            story_edits.id_list(article_ids))
            return {
                int(a): None if s == removed else int(s)  # type: ignore[call-overload]
                for a, s in rows
            }

    def article_vectors(self, story_id: int) -> list[ArticleVector]:
        """The stored TF-IDF rows of a story's articles, with their times and titles, by id."""
        with self._locked():
            rows = self._conn.execute(
                "SELECT id, published, title, vector FROM article WHERE story_id = ? "
                "ORDER BY id", (story_id,),
            ).fetchall()
        out = []
        for aid, published, title, blob in rows:
            terms, values = _unpack(blob)
            out.append(ArticleVector(int(aid), published, title, terms, values))
        return out

    def set_story(self, article_ids: Iterable[int], story_id: int | None) -> None:
        """Put these stored articles in the story; None: in no story."""
        import numpy as np

        target = story_edits.REMOVED_STORY if story_id is None else story_id
        ids = story_edits.id_list(article_ids)
        with self._locked():
            if story_id is None:
                empty = _pack(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
                story_edits.ensure_removed_story(self._conn, empty, _now())
            self._conn.executemany("UPDATE article SET story_id = ? WHERE id = ?",
                                   [(target, a) for a in ids])
            story_edits.refresh_removed_size(self._conn)

    def drop_story(self, story_id: int, merged_into: int | None = None) -> None:
        """Take an emptied story out of every listing and lookup; with ``merged_into``,
        its id leads to that story."""
        import numpy as np

        empty = _pack(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        with self._locked():
            story_edits.drop_story(self._conn, story_id, merged_into, empty, _now())

    def merged_into(self, story_id: int | str) -> int | None:
        """The story a merged-away story id now leads to, or None."""
        sid = parse_story_id(story_id)
        if sid is None:
            return None
        with self._locked():
            return story_edits.merged_into(self._conn, sid)

    def removed_articles(self) -> list[Article]:
        """The articles taken out of all stories, oldest first (their ``story`` is None)."""
        return [replace(a, story=None) for a in self.articles(story_edits.REMOVED_STORY)]

    def log_correction(self, action: str, story_id: int | None, other_id: int | None,
                       article_ids: Sequence[int]) -> None:
        """Add a correction to the log."""
        with self._locked():
            story_edits.log_correction(self._conn, action, story_id, other_id, article_ids,
                                       _now())

    def corrections(self, limit: int = 50) -> list[Correction]:
        """The latest corrections, newest first."""
        with self._locked():
            return story_edits.load_corrections(self._conn, min(max(limit, 0), _MAX_ROWS))

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._locked():
            self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
