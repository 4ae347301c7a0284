"""The article/story store, behind one small interface.

The interface (``Store``, a Protocol) is all that other code may rely on::

    add(articles, batch_size=..., on_batch=None) -> IngestReport
        Store new articles and group them into stories, one batch per
        transaction. Idempotent: an article whose normalised content hash is
        already stored is counted as a duplicate and not stored again.
    stories(limit=50, offset=0, query=None, order="size") -> list[StoryInfo]
        Stories, largest first (or "recent": last updated first); ``query``
        keeps those with an article holding its words.
    story(story_id) -> StoryInfo | None      ids are ints; a str id is parsed
    articles(story_id) -> list[Article]      in publication (then ingest) order
    search(text, limit=20) -> list[SearchHit] articles matching words, best first
    story_of(content_hashes) -> dict[str, int] content hash -> story id
    counts() -> tuple[int, int]               (articles, stories)
    close() -> None

``SQLiteStore`` is the one implementation: one SQLite file in WAL mode, safe
to share between threads (one connection, ``check_same_thread=False``, every
call under one lock; other processes may read while one writes). Each batch is
one transaction, so a process killed at any point (even ``kill -9``) leaves the
store as it was after the last whole batch; running the same ingest again
skips what is stored and completes the rest.

``ingest_paths`` reads files and folders into a store with a progress bar;
``brief_story`` briefs one stored story through ``newsbrief.pipeline.brief``.
"""

from __future__ import annotations

import json
import re
import sqlite3
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import numpy as np
import scipy.sparse as sp

from newsbrief.errors import NoArticlesError, SettingsError, StoreError
from newsbrief.model import Article, Brief, Problem
from newsbrief.settings import DEFAULT_BATCH, Settings, StorySettings
from newsbrief.stories import (
    MIN_COMMON,
    N_FEATURES,
    DocFreq,
    Features,
    Grouping,
    StoryCandidates,
    band_keys,
    candidate_edges,
    cluster,
    content_hash,
    featurize_batch,
    find_copy_pairs,
    jaccard,
    salient_terms,
    vectorize,
)

__all__ = [
    "EdgeScorer",
    "IngestReport",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoryInfo",
    "brief_stored",
    "brief_story",
    "format_stories",
    "ingest_into",
    "ingest_paths",
    "list_stories",
    "open_store",
    "with_progress",
]

"""Articles per transaction (and per grouping batch)."""
STORIES_PER_TERM = 50
"""Stored stories looked up per salient term (the most recent)."""
STORIES_PER_ARTICLE = 10
"""Stored stories an article is scored against (those sharing most salient terms)."""
SCHEMA_VERSION = 1


@dataclass(frozen=True, slots=True)
class StoryInfo:
    """One stored story as listed: size, distinct sources, time span, label."""

    id: int
    size: int
    sources: int
    """Distinct outlets among its articles."""
    first: datetime | None
    last: datetime | None
    label: str
    """Key terms of the story (its heaviest centroid terms)."""
    headline: str | None
    """Headline of its most central titled article, where any has a title."""

    @property
    def articles(self) -> int:
        """How many articles the story holds (the same as ``size``)."""
        return self.size


@dataclass(frozen=True, slots=True)
class SearchHit:
    """An article matching a search, with the story it belongs to."""

    article_id: int
    story_id: int
    title: str | None
    source: str
    snippet: str


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: counts, and every rejected input with its reason."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    """Articles whose content was already stored (or given twice)."""
    copies: int = 0
    """Stored articles that are near-copies of another, placed in its story."""
    new_stories: int = 0
    joined: int = 0
    """Stored articles that joined a story made before their batch."""
    rejected: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    """Inputs used with a caveat or skipped as not articles (files of other types in a
    folder, archive records that are not pages): reported, not counted as rejected."""
    seconds: float = 0.0

    def merge(self, other: IngestReport) -> None:
        """Add another report's counts into this one."""
        self.read += other.read
        self.stored += other.stored
        self.duplicates += other.duplicates
        self.copies += other.copies
        self.new_stories += other.new_stories
        self.joined += other.joined
        self.rejected.extend(other.rejected)
        self.notes.extend(other.notes)
        self.seconds += other.seconds

    def summary(self) -> str:
        """A few lines for people: counts, then rejections grouped by reason."""
        rate = self.read / self.seconds if self.seconds > 0 else 0.0
        lines = [
            f"read {self.read}, stored {self.stored}, duplicates {self.duplicates}, "
            f"rejected {len(self.rejected)}; near-copies {self.copies}; "
            f"new stories {self.new_stories}, joined existing {self.joined} "
            f"({self.seconds:.1f} s, {rate:.0f} articles/s)"
        ]
        reasons = Counter(p.message for p in self.rejected)
        for reason, n in reasons.most_common():
            lines.append(f"  rejected {n}: {reason}")
        return "\n".join(lines)


class Store(Protocol):
    """The store interface (see the module docstring)."""

    def add(
        self,
        articles: Iterable[Article],
        batch_size: int = DEFAULT_BATCH,
        on_batch: Callable[[IngestReport], None] | None = None,
    ) -> IngestReport: ...

    def stories(
        self, limit: int = 50, offset: int = 0, query: str | None = None, order: str = "size"
    ) -> list[StoryInfo]: ...

    def story(self, story_id: int | str) -> StoryInfo | None: ...

    def articles(self, story_id: int | str) -> list[Article]: ...

    def search(self, text: str, limit: int = 20) -> list[SearchHit]: ...

    def story_of(self, content_hashes: Iterable[str]) -> dict[str, int]: ...

    def counts(self) -> tuple[int, int]: ...

    def close(self) -> None: ...


EdgeScorer = Callable[
    [sp.csr_matrix, list[np.ndarray], StorySettings],
    tuple[np.ndarray, np.ndarray, np.ndarray],
]
"""Scores candidate pairs of a batch; ``candidate_edges`` in one process, or a Dask version."""

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
    signature BLOB,
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
"""


def _pack(indices: np.ndarray, values: np.ndarray) -> bytes:
    return (
        struct.pack("<I", len(indices))
        + indices.astype("<i4").tobytes()
        + values.astype("<f4").tobytes()
    )


def _unpack(blob: bytes) -> tuple[np.ndarray, np.ndarray]:
    (n,) = struct.unpack_from("<I", blob)
    idx = np.frombuffer(blob, dtype="<i4", count=n, offset=4)
    val = np.frombuffer(blob, dtype="<f4", count=n, offset=4 + 4 * n)
    return idx, val


def _iso(ts: float | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)


def _now() -> str:
    return datetime.now(tz=UTC).isoformat(timespec="seconds")


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


_ORDERS = {"size": "s.size DESC, s.id DESC", "recent": "s.updated DESC, s.id DESC"}


_NOT_QUERY = re.compile(r'["\x00-\x1f\x7f\ud800-\udfff]')


def _fts_query(text: str) -> str:
    """The words of ``text`` as an FTS5 query (each quoted, all required); a text with
    no word left (only quotes, control characters) finds nothing."""
    words = [_NOT_QUERY.sub("", w) for w in text.split()]
    return " ".join(f'"{w}"' for w in words if w)


_MAX_ROWS = 2**62


class SQLiteStore:
    """The SQLite implementation of ``Store`` (WAL mode, thread-safe, one batch a transaction)."""

    def __init__(
        self, path: str | Path, settings: StorySettings | None = None, create: bool = True
    ) -> None:
        """Open the store at ``path``; with ``create`` False, only an existing store
        (a file that is not one is refused, never written to)."""
        self.path = str(path)
        if not create:
            _check_is_store(self.path)
        try:
            self._conn = sqlite3.connect(
                self.path, check_same_thread=False, isolation_level=None, timeout=30.0
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            self._conn.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from None
        self._lock = threading.RLock()
        self._rejected: dict[str, Problem] = {}  # content hash -> why, for this process
        version = self._meta("schema")
        if version is None:
            self._set_meta("schema", str(SCHEMA_VERSION).encode())
        elif int(version) != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema {int(version)} is not the supported "
                f"{SCHEMA_VERSION}; ingest into a new file"
            )
        saved = self._meta("settings")
        if settings is None:
            settings = StorySettings(**json.loads(saved)) if saved else StorySettings()
        if saved is None:
            self._set_meta("settings", json.dumps(asdict(settings)).encode())
        self.settings = settings

    # -- small helpers -------------------------------------------------------

    def _meta(self, key: str) -> bytes | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def _set_meta(self, key: str, value: bytes) -> None:
        self._conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _docfreq(self) -> DocFreq:
        blob = self._meta("docfreq")
        if blob is None:
            return DocFreq()
        df = np.frombuffer(zlib.decompress(blob), dtype="<i4").copy()
        n = self._meta("n_docs")
        return DocFreq(df=df, n_docs=int(n) if n else 0)

    def _save_docfreq(self, docfreq: DocFreq) -> None:
        self._set_meta("docfreq", zlib.compress(docfreq.df.astype("<i4").tobytes(), 1))
        self._set_meta("n_docs", str(docfreq.n_docs).encode())

    def _in(self, sql: str, values: Sequence[object], extra: Sequence[object] = ()) -> list[
        tuple[object, ...]
    ]:
        """Run ``sql`` (with one ``{}`` for the IN list) over values, 500 at a time."""
        rows: list[tuple[object, ...]] = []
        for s in range(0, len(values), 500):
            part = list(values[s : s + 500])
            marks = ",".join("?" * len(part))
            rows.extend(self._conn.execute(sql.format(marks), [*part, *extra]).fetchall())
        return rows

    # -- writing -------------------------------------------------------------

    def add(
        self,
        articles: Iterable[Article],
        batch_size: int = DEFAULT_BATCH,
        on_batch: Callable[[IngestReport], None] | None = None,
        featurizer: Callable[[Sequence[Article]], list[Features | Problem]] = featurize_batch,
        scorer: EdgeScorer | None = None,
    ) -> IngestReport:
        """Store new articles and group them into stories (see ``Store``)."""
        if batch_size < 1:
            raise StoreError(f"batch_size must be at least 1, got {batch_size}")
        total = IngestReport()
        for batch in _chunks(articles, batch_size):
            report = self.add_batch(batch, featurizer=featurizer, scorer=scorer)
            total.merge(report)
            if on_batch is not None:
                on_batch(report)
        return total

    def new_articles(self, batch: Sequence[Article]) -> tuple[list[Article], int]:
        """The articles of a batch whose content is not stored yet (first of each), and
        how many were duplicates."""
        hashes = [content_hash(a.text) for a in batch]
        with self._lock:
            stored = {
                str(r[0])
                for r in self._in(
                    "SELECT content_hash FROM article WHERE content_hash IN ({})",
                    sorted(set(hashes)),
                )
            }
        fresh: list[Article] = []
        seen: set[str] = set()
        for a, h in zip(batch, hashes, strict=True):
            if h in stored or h in seen:
                continue
            seen.add(h)
            fresh.append(a)
        return fresh, len(batch) - len(fresh)

    def add_batch(
        self,
        batch: Sequence[Article],
        featurizer: Callable[[Sequence[Article]], list[Features | Problem]] = featurize_batch,
        scorer: EdgeScorer | None = None,
        features: Sequence[Features | Problem] | None = None,
        duplicates: int | None = None,
    ) -> IngestReport:
        """Store and group one batch in one transaction.

        ``features`` (with ``duplicates``) may be given when the batch was already
        deduplicated with ``new_articles`` and featurized elsewhere (Dask workers).
        """
        started = time.perf_counter()
        report = IngestReport(read=len(batch))
        if features is None:
            fresh, dups = self.new_articles(batch)
            features = featurizer(fresh) if fresh else []
        else:
            dups = duplicates or 0
        report.duplicates = dups
        good = [f for f in features if isinstance(f, Features)]
        report.rejected.extend(f for f in features if isinstance(f, Problem))
        self._report_repeats(batch, features, report)
        if good:
            with self._lock:
                try:
                    self._conn.execute("BEGIN IMMEDIATE")
                    # another writer may have stored some of them since new_articles looked
                    now_stored = {
                        str(r[0]) for r in self._in(
                            "SELECT content_hash FROM article WHERE content_hash IN ({})",
                            [f.content_hash for f in good],
                        )
                    }
                    if now_stored:
                        report.duplicates += sum(f.content_hash in now_stored for f in good)
                        good = [f for f in good if f.content_hash not in now_stored]
                    if good:
                        self._write_batch(good, report, scorer or _local_scorer)
                    self._conn.execute("COMMIT")
                except BaseException as exc:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    if isinstance(exc, sqlite3.OperationalError):
                        raise StoreError(f"{self.path}: {exc}") from exc
                    raise
        report.seconds = time.perf_counter() - started
        return report

    def _report_repeats(
        self, batch: Sequence[Article], features: Sequence[Features | Problem],
        report: IngestReport,
    ) -> None:
        """Repeats of a rejected text were counted as duplicates of it: report each one
        as rejected too, with where it was (nothing stored is their duplicate)."""
        now = {f.origin: f for f in features if isinstance(f, Problem)}
        if not report.duplicates or not (now or self._rejected):
            if now:  # remember them for later batches
                for a in batch:
                    if a.origin in now:
                        self._rejected[content_hash(a.text)] = now[a.origin]
            return
        hashes = [content_hash(a.text) for a in batch]
        for a, h in zip(batch, hashes, strict=True):
            if a.origin in now:
                self._rejected[h] = now[a.origin]
        for a, h in zip(batch, hashes, strict=True):
            first = self._rejected.get(h)
            if first is not None and first.origin != a.origin and a.origin not in now:
                report.rejected.append(Problem(
                    a.origin, f"same text as {first.origin}, which was rejected: {first.message}"
                ))
                report.duplicates -= 1

    def _candidates(
        self, salient: list[np.ndarray], story_copy_ids: set[int]
    ) -> tuple[StoryCandidates, np.ndarray, np.ndarray]:
        """Stored stories the batch may join, and the (article, story id) pairs to score.

        Each article is paired with the ``STORIES_PER_ARTICLE`` stored stories that
        share most of its salient terms (the most recent on ties), looked up in the
        story-term index with at most ``STORIES_PER_TERM`` stories per term: the
        work per article stays bounded however large the store grows.
        """
        terms = sorted({int(t) for s in salient for t in s})
        per_term: dict[int, list[int]] = {}
        for term, sid in self._in(
            "SELECT term, story_id FROM story_term WHERE term IN ({})", terms
        ):
            per_term.setdefault(int(term), []).append(int(sid))  # type: ignore[call-overload]
        term_col = {t: c for c, t in enumerate(terms)}
        p_rows: list[int] = []
        p_cols: list[int] = []
        for term, sids in per_term.items():
            recent = sorted(sids)[-STORIES_PER_TERM:]
            p_rows.extend([term_col[term]] * len(recent))
            p_cols.extend(recent)
        pair_article = np.zeros(0, dtype=np.int64)
        pair_story = np.zeros(0, dtype=np.int64)
        ids: set[int] = set(story_copy_ids)
        if p_cols:
            story_ids, story_col = np.unique(np.asarray(p_cols), return_inverse=True)
            postings = sp.csr_matrix(
                (np.ones(len(p_cols), dtype=np.float32), (np.asarray(p_rows), story_col)),
                shape=(len(terms), len(story_ids)),
            )
            a_rows = np.repeat(np.arange(len(salient)), [len(v) for v in salient])
            a_cols = np.asarray(
                [term_col[int(t)] for v in salient for t in v], dtype=np.int64
            )
            shared = sp.coo_matrix(
                sp.csr_matrix(
                    (np.ones(len(a_cols), dtype=np.float32), (a_rows, a_cols)),
                    shape=(len(salient), len(terms)),
                )
                @ postings
            )
            # per article: most shared terms first, then the most recent story
            order = np.lexsort((-shared.col, -shared.data, shared.row))
            rows = shared.row[order]
            first = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
            rank = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
            keep = order[rank < STORIES_PER_ARTICLE]
            pair_article = shared.row[keep].astype(np.int64)
            pair_story = story_ids[shared.col[keep]].astype(np.int64)
            ids.update(int(v) for v in np.unique(pair_story))
        cand = StoryCandidates()
        if not ids:
            return cand, pair_article, pair_story
        rows = self._in(
            "SELECT id, size, first_published, last_published, centroid FROM story "
            "WHERE id IN ({})",
            sorted(ids),
        )
        indptr = [0]
        indices: list[np.ndarray] = []
        values: list[np.ndarray] = []
        sizes = []
        for sid, size, first, last, blob in rows:
            idx, val = _unpack(blob)  # type: ignore[arg-type]
            cand.ids.append(int(sid))  # type: ignore[call-overload]
            sizes.append(int(size))  # type: ignore[call-overload]
            cand.first.append(None if first is None else float(first))  # type: ignore[arg-type]
            cand.last.append(None if last is None else float(last))  # type: ignore[arg-type]
            indices.append(idx)
            values.append(val)
            indptr.append(indptr[-1] + len(idx))
        cand.sizes = np.asarray(sizes, dtype=np.int64)
        cand.centroids = sp.csr_matrix(
            (np.concatenate(values), np.concatenate(indices), np.asarray(indptr)),
            shape=(len(cand.ids), N_FEATURES),
        )
        return cand, pair_article, pair_story

    def _copies_in_store(
        self, good: Sequence[Features]
    ) -> tuple[dict[int, int], dict[int, int]]:
        """Batch index -> stored article it copies, and that article's story."""
        keys: dict[int, list[int]] = {}
        for i, f in enumerate(good):
            if f.signature is not None:
                for k in band_keys(f.signature):
                    keys.setdefault(k, []).append(i)
        if not keys:
            return {}, {}
        hits: dict[int, set[int]] = {}
        for key, aid in self._in("SELECT key, article_id FROM band WHERE key IN ({})",
                                 list(keys)):
            for i in keys[int(key)]:  # type: ignore[call-overload]
                hits.setdefault(i, set()).add(int(aid))  # type: ignore[call-overload]
        if not hits:
            return {}, {}
        wanted = sorted({a for s in hits.values() for a in s})
        info = {
            int(aid): (int(sid), np.frombuffer(sig, dtype="<u4"))  # type: ignore[call-overload]
            for aid, sid, sig in self._in(
                "SELECT id, story_id, signature FROM article WHERE id IN ({})", wanted
            )
        }
        copy_of: dict[int, int] = {}
        story_of: dict[int, int] = {}
        for i, aids in hits.items():
            sig = good[i].signature
            assert sig is not None
            best = max(aids, key=lambda a: jaccard(sig, info[a][1]))
            if jaccard(sig, info[best][1]) >= self.settings.copy_threshold:
                copy_of[i] = best
                story_of[i] = info[best][0]
        return copy_of, story_of

    def _write_batch(
        self, good: list[Features], report: IngestReport, scorer: EdgeScorer
    ) -> None:
        st = self.settings
        docfreq = self._docfreq()
        docfreq.add(good)
        x = vectorize(good, docfreq)
        salient = salient_terms(x, docfreq, st.salient, st.common_df)
        edges = scorer(x, salient, st)
        copies = [(i, j) for i, j, _ in find_copy_pairs([f.signature for f in good],
                                                          st.copy_threshold)]
        stored_copy, stored_copy_story = self._copies_in_store(good)
        cand, pair_article, pair_story = self._candidates(
            salient, set(stored_copy_story.values())
        )
        story_index = {sid: k for k, sid in enumerate(cand.ids)}
        if len(pair_article):
            k_idx = np.asarray([story_index[int(v)] for v in pair_story], dtype=np.int64)
            dots = np.asarray(
                x[pair_article].multiply(cand.centroids[k_idx]).sum(axis=1)
            ).ravel()
            keep = dots / cand.sizes[k_idx] >= st.min_link
            story_links = (pair_article[keep], k_idx[keep], dots[keep].astype(np.float64))
        else:
            z = np.zeros(0, dtype=np.int64)
            story_links = (z, z, np.zeros(0))
        grouping = cluster(
            len(good),
            edges,
            story_links,
            cand,
            st,
            copies=copies,
            story_copies=[(i, story_index[s]) for i, s in stored_copy_story.items()],
            times=[f.published for f in good],
        )
        self._persist(good, x, salient, grouping, cand, stored_copy, docfreq, report)

    def _persist(
        self,
        good: list[Features],
        x: sp.csr_matrix,
        salient: list[np.ndarray],
        grouping: Grouping,
        cand: StoryCandidates,
        stored_copy: dict[int, int],
        docfreq: DocFreq,
        report: IngestReport,
    ) -> None:
        conn = self._conn
        now = _now()
        # new stories first, so that articles can point at them
        story_of: list[int] = [0] * len(good)
        new_ids: dict[int, int] = {}
        empty = _pack(np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
        for i, (sid, group) in enumerate(zip(grouping.story, grouping.new_group, strict=True)):
            if sid is not None:
                story_of[i] = sid
                report.joined += 1
                continue
            if group not in new_ids:
                cur = conn.execute(
                    "INSERT INTO story(size, centroid, created, updated) VALUES (0, ?, ?, ?)",
                    (empty, now, now),
                )
                assert cur.lastrowid is not None
                new_ids[group] = int(cur.lastrowid)
                report.new_stories += 1
            story_of[i] = new_ids[group]
        article_ids: list[int] = []
        for i, f in enumerate(good):
            a = f.article
            lo, hi = x.indptr[i], x.indptr[i + 1]
            copy_of = stored_copy.get(i)
            if copy_of is None and i in grouping.copy_of:
                copy_of = article_ids[grouping.copy_of[i]]
            cur = conn.execute(
                "INSERT INTO article(content_hash, story_id, copy_of, source, origin, title, "
                "url, author, published, input_story, text, vector, signature, added) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    f.content_hash, story_of[i], copy_of, a.source, a.origin, a.title, a.url,
                    a.author, f.published, a.story, a.text,
                    _pack(x.indices[lo:hi], x.data[lo:hi]),
                    None if f.signature is None else f.signature.astype("<u4").tobytes(),
                    now,
                ),
            )
            assert cur.lastrowid is not None
            aid = int(cur.lastrowid)
            article_ids.append(aid)
            conn.execute(
                "INSERT INTO article_fts(rowid, title, text) VALUES (?, ?, ?)",
                (aid, a.title or "", a.text),
            )
            if f.signature is not None:
                conn.executemany(
                    "INSERT OR IGNORE INTO band(key, article_id) VALUES (?, ?)",
                    [(k, aid) for k in band_keys(f.signature)],
                )
            if copy_of is not None:
                report.copies += 1
        report.stored += len(good)
        # words for the terms that labels and candidate lookups may show
        words = {}
        for f, sal in zip(good, salient, strict=True):
            pos = np.searchsorted(f.terms, sal)
            for t, p in zip(sal.tolist(), pos.tolist(), strict=True):
                words[t] = f.words[p]
        conn.executemany(
            "INSERT OR IGNORE INTO term(id, word) VALUES (?, ?)", sorted(words.items())
        )
        self._update_stories(good, x, story_of, cand, docfreq, now)
        self._save_docfreq(docfreq)

    def _update_stories(
        self,
        good: list[Features],
        x: sp.csr_matrix,
        story_of: list[int],
        cand: StoryCandidates,
        docfreq: DocFreq,
        now: str,
    ) -> None:
        st = self.settings
        conn = self._conn
        members: dict[int, list[int]] = {}
        for i, sid in enumerate(story_of):
            members.setdefault(sid, []).append(i)
        old_index = {sid: k for k, sid in enumerate(cand.ids)}
        touched = sorted(members)
        rows = {
            int(r[0]): r  # type: ignore[call-overload]
            for r in self._in(
                "SELECT id, size, first_published, last_published, headline, headline_score, "
                "centroid FROM story WHERE id IN ({})",
                touched,
            )
        }
        limit = max(MIN_COMMON, st.common_df * docfreq.n_docs)
        updates: list[tuple[object, ...]] = []
        story_terms: dict[int, list[int]] = {}
        for sid in touched:
            idx = members[sid]
            _, size, first, last, headline, headline_score, blob = rows[sid]
            k = old_index.get(sid)
            if k is not None:
                lo, hi = cand.centroids.indptr[k], cand.centroids.indptr[k + 1]
                old_i, old_v = cand.centroids.indices[lo:hi], cand.centroids.data[lo:hi]
            else:
                old_i, old_v = _unpack(blob)  # type: ignore[arg-type]
            parts_i = [old_i] + [x.indices[x.indptr[i] : x.indptr[i + 1]] for i in idx]
            parts_v = [old_v] + [x.data[x.indptr[i] : x.indptr[i + 1]] for i in idx]
            terms_c, inverse = np.unique(np.concatenate(parts_i), return_inverse=True)
            values_c = np.bincount(inverse, weights=np.concatenate(parts_v)).astype(np.float32)
            if len(terms_c) > st.centroid_terms:
                top = np.sort(np.argpartition(-values_c, st.centroid_terms)[: st.centroid_terms])
                terms_c, values_c = terms_c[top], values_c[top]
            times: list[float] = [
                t for t in (good[i].published for i in idx) if t is not None
            ]
            times += [float(t) for t in (first, last) if t is not None]  # type: ignore[arg-type]
            # most central titled article: a new one replaces the headline when closer
            norm = float(np.sqrt(np.dot(values_c, values_c))) or 1.0
            best_title, best_score = headline, float(headline_score)  # type: ignore[arg-type]
            for i in idx:
                title = good[i].title
                if not title:
                    continue
                row_i = x.indices[x.indptr[i] : x.indptr[i + 1]]
                row_v = x.data[x.indptr[i] : x.indptr[i + 1]]
                pos = np.clip(np.searchsorted(terms_c, row_i), 0, len(terms_c) - 1)
                hit = terms_c[pos] == row_i
                score = float(np.dot(row_v[hit], values_c[pos[hit]])) / norm
                if best_title is None or score > best_score:
                    best_title, best_score = title, score
            ranked = terms_c[np.argsort(-values_c)]
            ranked = ranked[docfreq.df[ranked] <= limit]
            story_terms[sid] = [int(t) for t in ranked[: st.story_terms]]
            updates.append((
                int(size) + len(idx),  # type: ignore[call-overload]
                min(times) if times else None,
                max(times) if times else None,
                best_title, best_score,
                _pack(terms_c, values_c), now, sid,
            ))
        all_terms = sorted({t for ts in story_terms.values() for t in ts})
        known = {
            int(t): str(w)  # type: ignore[call-overload]
            for t, w in self._in("SELECT id, word FROM term WHERE id IN ({})", all_terms)
        }
        for update in updates:
            sid = int(update[-1])  # type: ignore[call-overload]
            words = [known[t] for t in story_terms[sid] if t in known]
            label = " · ".join(dict.fromkeys(words[:4]))
            conn.execute(
                "UPDATE story SET size = ?, first_published = ?, last_published = ?, "
                "headline = ?, headline_score = ?, centroid = ?, updated = ?, label = ? "
                "WHERE id = ?",
                (*update[:-1], label, sid),
            )
        conn.executemany(
            "DELETE FROM story_term WHERE story_id = ?", [(sid,) for sid in touched]
        )
        conn.executemany(
            "INSERT OR IGNORE INTO story_term(term, story_id) VALUES (?, ?)",
            [(t, sid) for sid, ts in story_terms.items() for t in ts],
        )

    # -- reading -------------------------------------------------------------

    def _info(self, rows: Iterable[tuple[object, ...]]) -> list[StoryInfo]:
        out = []
        for sid, size, sources, first, last, label, headline in rows:
            out.append(
                StoryInfo(
                    id=int(sid),  # type: ignore[call-overload]
                    size=int(size),  # type: ignore[call-overload]
                    sources=int(sources),  # type: ignore[call-overload]
                    first=_iso(None if first is None else float(first)),  # type: ignore[arg-type]
                    last=_iso(None if last is None else float(last)),  # type: ignore[arg-type]
                    label=str(label),
                    headline=None if headline is None else str(headline),
                )
            )
        return out

    _STORY_SQL = (
        "SELECT s.id, s.size, (SELECT COUNT(DISTINCT lower(a.source)) FROM article a "
        "WHERE a.story_id = s.id), s.first_published, s.last_published, s.label, s.headline "
        "FROM story s"
    )

    def stories(
        self, limit: int = 50, offset: int = 0, query: str | None = None, order: str = "size"
    ) -> list[StoryInfo]:
        """Stories, largest first (``order="size"``) or most recently updated first
        (``"recent"``); with ``query``, only those with an article holding its words."""
        if order not in _ORDERS:
            raise SettingsError(f"order must be one of {', '.join(_ORDERS)}, got {order!r}")
        if limit < 0 or offset < 0:
            raise SettingsError("limit and offset must not be negative")
        limit, offset = min(limit, _MAX_ROWS), min(offset, _MAX_ROWS)  # SQLite ints: 64 bits
        where, params = "", []
        if query and query.strip():
            match = _fts_query(query)
            if not match:
                return []  # nothing searchable is left of it: nothing matches
            where = (
                " WHERE s.id IN (SELECT a.story_id FROM article_fts JOIN article a "
                "ON a.id = article_fts.rowid WHERE article_fts MATCH ?)"
            )
            params.append(match)
        with self._lock:
            rows = self._conn.execute(
                f"{self._STORY_SQL}{where} ORDER BY {_ORDERS[order]} LIMIT ? OFFSET ?",
                (*params, limit, offset),
            ).fetchall()
        return self._info(rows)

    def story(self, story_id: int | str) -> StoryInfo | None:
        """One story, or None when there is no story with that id."""
        sid = _story_id(story_id)
        if sid is None:
            return None
        with self._lock:
            rows = self._conn.execute(
                self._STORY_SQL + " WHERE s.id = ?", (sid,)
            ).fetchall()
        found = self._info(rows)
        return found[0] if found else None

    def articles(self, story_id: int | str) -> list[Article]:
        """The articles of one story, oldest first (undated ones in ingest order); none
        when there is no such story."""
        sid = _story_id(story_id)
        if sid is None:
            return []
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, source, origin, text, title, url, author, published FROM article "
                "WHERE story_id = ? ORDER BY published IS NULL, published, id",
                (sid,),
            ).fetchall()
        return [
            Article(
                id=str(aid), source=source, origin=origin, text=text, title=title, url=url,
                author=author, published=_iso(published), story=str(sid),
            )
            for aid, source, origin, text, title, url, author, published in rows
        ]

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Articles whose title or text holds every word of ``text``, best match first."""
        q = _fts_query(text)
        if not q:
            return []
        limit = min(max(limit, 0), _MAX_ROWS)
        with self._lock:
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
        with self._lock:
            return {
                str(h): int(s)  # type: ignore[call-overload]
                for h, s in self._in(
                    "SELECT content_hash, story_id FROM article WHERE content_hash IN ({})",
                    sorted(set(content_hashes)),
                )
            }

    def counts(self) -> tuple[int, int]:
        """How many articles and stories are stored."""
        with self._lock:
            (n_articles,) = self._conn.execute("SELECT COUNT(*) FROM article").fetchone()
            (n_stories,) = self._conn.execute("SELECT COUNT(*) FROM story").fetchone()
        return int(n_articles), int(n_stories)

    def check(self) -> list[str]:
        """Consistency problems, if any: integrity, orphans, and story sizes that disagree."""
        with self._lock:
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

    def close(self) -> None:
        """Close the connection (checkpointing the WAL)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _story_id(value: int | str) -> int | None:
    """A story id from what a user typed: ASCII digits (or an int), nothing looser."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()):
            return None
        value = text
    if not isinstance(value, int | str):
        return None
    number = int(value)
    # SQLite integers are 64-bit: a larger id names no story (and must not raise)
    return number if -(2**63) <= number < 2**63 else None


def _row_sum(x: sp.csr_matrix, rows: list[int]) -> sp.csr_matrix:
    """Sum of some rows as a one-row sparse matrix (never densified)."""
    part = x[rows]
    out = sp.csr_matrix(
        (part.data, part.indices, np.asarray([0, part.nnz])), shape=(1, x.shape[1])
    )
    out.sum_duplicates()
    return out


def _local_scorer(
    x: sp.csr_matrix, salient: list[np.ndarray], settings: StorySettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return candidate_edges(x, salient, settings)


def open_store(
    path: str | Path, settings: StorySettings | None = None, create: bool = True
) -> SQLiteStore:
    """Open (or, with ``create``, create) the store at ``path``."""
    return SQLiteStore(path, settings, create=create)


def _check_is_store(path: str) -> None:
    """Refuse a path that is not a newsbrief store, without writing to it."""
    if not Path(path).is_file():
        raise StoreError(f"{path}: no such store (create it with `newsbrief ingest --db {path}`)")
    try:
        with sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        row = None
    if row is None:
        raise StoreError(f"{path}: not a newsbrief store (no newsbrief tables in it)")


def with_progress(
    total: int | None,
    run: Callable[[Callable[[IngestReport], None] | None], IngestReport],
    progress: bool = True,
) -> IngestReport:
    """Run an ingest, ``run(on_batch)``, under a rich progress bar showing articles done,
    rate, stored, duplicates and rejected; return the summed report."""
    if not progress:
        return run(None)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    report = IngestReport()
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:>6.0f} art/s"),
        TextColumn("stored {task.fields[stored]} dup {task.fields[dups]} "
                   "rejected {task.fields[rejected]}"),
        TimeElapsedColumn(),
    ) as bar:
        task = bar.add_task("Ingesting", total=total, rate=0.0, stored=0, dups=0, rejected=0)
        t0 = time.perf_counter()

        def step(one: IngestReport) -> None:
            report.merge(one)
            bar.update(
                task, advance=one.read,
                rate=report.read / max(1e-9, time.perf_counter() - t0),
                stored=report.stored, dups=report.duplicates, rejected=len(report.rejected),
            )

        run(step)
    return report


def ingest_paths(
    store: Store,
    paths: Iterable[str | Path],
    batch_size: int = DEFAULT_BATCH,
    progress: bool = True,
    max_bytes: int | None = None,
) -> IngestReport:
    """Read files, folders or globs into ``store``, with a progress bar; return the report.

    Unreadable inputs are reported (file and reason) and the rest goes on.
    """
    from newsbrief.readers import iter_articles
    from newsbrief.settings import DEFAULT_MAX_BYTES

    started = time.perf_counter()
    problems: list[Problem] = []
    articles = iter_articles([str(p) for p in paths], problems, max_bytes or DEFAULT_MAX_BYTES)
    report = with_progress(
        None,  # not known before the files are read: they are read as the batches go
        lambda step: store.add(articles, batch_size=batch_size, on_batch=step),
        progress,
    )
    fatal = [p for p in problems if p.fatal]
    report.rejected[:0] = fatal
    report.notes[:0] = [p for p in problems if not p.fatal]
    report.seconds = time.perf_counter() - started
    return report


def brief_story(store: Store, story_id: int | str, settings: Settings | None = None) -> Brief:
    """The brief of one stored story, with everything ``newsbrief.pipeline.brief`` gives."""
    from newsbrief.pipeline import brief

    articles = store.articles(story_id)
    if not articles:
        raise NoArticlesError(f"story {story_id}", "no such story in the store")
    result = brief(articles, settings=settings)
    result.story = str(_story_id(story_id))
    return result


def brief_stored(
    db: str | Path, story: str | None, paths: Sequence[str] = (),
    settings: Settings | None = None,
) -> Brief:
    """``newsbrief brief --db FILE --story ID``: open the store and brief that story."""
    if story is None or paths:
        raise SettingsError("with --db, give --story ID (see `newsbrief stories`) and no PATH")
    with open_store(db, create=False) as store:
        return brief_story(store, story, settings=settings)


def ingest_into(
    db: str | Path,
    paths: Sequence[str],
    batch_size: int = DEFAULT_BATCH,
    progress: bool = True,
    max_bytes: int | None = None,
    scheduler: str | None = None,
    dask_workers: int = 0,
) -> IngestReport:
    """``newsbrief ingest``: open (or create) the store and read ``paths`` into it,
    in this process or on Dask (a scheduler address, or a local cluster of N workers)."""
    with open_store(db) as store:
        if scheduler or dask_workers:
            from newsbrief.distributed import ingest_dask

            return ingest_dask(store, paths, scheduler=scheduler, n_workers=dask_workers or 2,
                               batch_size=batch_size, max_bytes=max_bytes, progress=progress)
        return ingest_paths(store, paths, batch_size=batch_size, progress=progress,
                            max_bytes=max_bytes)


def format_stories(infos: Sequence[StoryInfo]) -> str:
    """Stories as a plain-text table: id, size, sources, time span, label (and headline)."""
    if not infos:
        return "no stories\n"
    lines = [f"{'ID':>7}  {'SIZE':>5}  {'SRC':>4}  {'SPAN':<23}  LABEL"]
    for s in infos:
        span = f"{s.first:%Y-%m-%d} .. {s.last:%Y-%m-%d}" if s.first and s.last else "-"
        label = s.label + (f"  ({s.headline})" if s.headline else "")
        lines.append(f"{s.id:>7}  {s.size:>5}  {s.sources:>4}  {span:<23}  {label}")
    return "\n".join(lines) + "\n"


def list_stories(
    db: str | Path, limit: int = 50, offset: int = 0, query: str | None = None,
    order: str = "size",
) -> str:
    """``newsbrief stories``: open the store and list its stories as a table."""
    with open_store(db, create=False) as store:
        return format_stories(store.stories(limit=limit, offset=offset, query=query, order=order))
