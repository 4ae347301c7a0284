"""An in-memory ``Store``: the same behaviour as ``SQLiteStore``, held in dicts.

For tests and short-lived work. ``transaction()`` holds the lock and, on an error,
puts every table back as it was, as a rolled-back SQLite transaction would.
Search matches whole words (``text.WORD``, case-folded) in titles and texts and ranks
by how often they occur, a simple stand-in for SQLite's FTS5.
"""

from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newsbrief.errors import SettingsError, StoreError
from newsbrief.model import Article
from newsbrief.outlets import Outlet
from newsbrief.settings import StorySettings
from newsbrief.store import (
    ORDERS,
    ArticleRecord,
    FeedState,
    PageState,
    SearchHit,
    StoredPassages,
    StoryInfo,
    StorySummary,
    parse_story_id,
)
from newsbrief.store.fetch_state import pick_page
from newsbrief.store.story_edits import MAX_REDIRECTS, REMOVED_STORY, ArticleVector, Correction
from newsbrief.text import WORD

if TYPE_CHECKING:
    import numpy as np

__all__ = ["MemoryStore"]

_SNIPPET_WORDS = 12
"""Words shown around the first match, as the SQLite store's FTS5 snippet."""


@dataclass(slots=True)
class _Stored:
    record: ArticleRecord
    story_id: int
    copy_of: int | None = None
    added: datetime | None = None
    """When its ingest batch stored it (UTC, to the second, as SQLite's ``added``)."""


@dataclass(slots=True)
class _Tables:
    articles: dict[int, _Stored]
    by_hash: dict[str, int]
    stories: dict[int, StorySummary]
    updated: dict[int, int]
    """Story id -> when last saved (a counter, for ``order="recent"``)."""
    postings: dict[int, set[int]]
    bands: dict[int, set[int]]
    words: dict[int, str]
    docfreq: np.ndarray | None
    n_docs: int
    next_article: int
    next_story: int
    clock: int
    merged: dict[int, int] = field(default_factory=dict)
    """Corrections: merged-away story id -> the story it was merged into."""
    log: list[Correction] = field(default_factory=list)
    """Corrections made, oldest first."""
    ledes: dict[int, str] = field(default_factory=dict)
    """Issue 14: story id -> its lede (``newsbrief.lede``)."""


def _words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


class MemoryStore:
    """The in-memory implementation of ``Store`` (thread-safe, one batch a transaction)."""

    def __init__(self, settings: StorySettings | None = None) -> None:
        """An empty store that groups with ``settings`` (the defaults when None)."""
        self.settings = settings or StorySettings()
        self._lock = threading.RLock()
        self._t = _Tables({}, {}, {}, {}, {}, {}, {}, None, 0, 1, 1, 0)
        self._feeds: dict[str, FeedState] = {}  # fetch state: kept outside transactions
        self._pages: dict[str, PageState] = {}
        self._read: dict[int, datetime] = {}  # read marks: kept outside transactions
        self._outlets: list[Outlet] = []  # the sources table (issue 14)

    # -- ingest: the transaction, loads and saves ------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One batch's reads and writes; on an error every table is as it was before."""
        with self._lock:
            saved = copy.copy(self._t)
            for name in ("articles", "by_hash", "stories", "updated", "words", "merged",
                         "ledes"):
                setattr(saved, name, dict(getattr(self._t, name)))
            saved.log = list(self._t.log)
            saved.postings = {k: set(v) for k, v in self._t.postings.items()}
            saved.bands = {k: set(v) for k, v in self._t.bands.items()}
            saved.articles = {k: copy.copy(v) for k, v in self._t.articles.items()}
            try:
                yield
            except BaseException:
                self._t = saved
                raise

    def stored(self, content_hashes: Iterable[str]) -> set[str]:
        """Those of the content hashes that are stored."""
        with self._lock:
            return {h for h in content_hashes if h in self._t.by_hash}

    def docfreq(self) -> tuple[np.ndarray | None, int]:
        """Document frequencies (None before the first article) and document count."""
        with self._lock:
            df = self._t.docfreq
            return (None if df is None else df.copy()), self._t.n_docs

    def story_postings(self, terms: Sequence[int]) -> list[tuple[int, int]]:
        """(term, story id) for each story found again by one of ``terms``."""
        with self._lock:
            return [
                (t, s) for t in sorted(set(terms)) for s in sorted(self._t.postings.get(t, ()))
            ]

    def story_summaries(self, story_ids: Iterable[int]) -> list[StorySummary]:
        """The summaries of the stories with these ids, ascending by id."""
        with self._lock:
            return [
                replace(self._t.stories[s], terms=(), label="")
                for s in sorted(set(story_ids)) if s in self._t.stories
            ]

    def copy_sources(self, band_keys: Iterable[int]) -> list[StoredPassages]:
        """The stored articles with a passage under one of these band keys, by id."""
        with self._lock:
            ids = sorted({a for k in set(band_keys) for a in self._t.bands.get(k, ())})
            out = []
            for aid in ids:
                s = self._t.articles[aid]
                if s.story_id == REMOVED_STORY:  # out of all stories: no later article joins
                    continue
                r = s.record
                out.append(StoredPassages(
                    article_id=aid, story_id=s.story_id, published=r.published,
                    total_words=r.total_words, passage_words=r.passage_words,
                    signatures=r.signatures,
                ))
            return out

    def term_words(self, terms: Iterable[int]) -> dict[int, str]:
        """A word for each of these term ids that has one."""
        with self._lock:
            return {t: self._t.words[t] for t in set(terms) if t in self._t.words}

    def new_stories(self, n: int) -> list[int]:
        """Make ``n`` empty stories; their ids."""
        import numpy as np

        with self._lock:
            ids = list(range(self._t.next_story, self._t.next_story + n))
            self._t.next_story += n
            for sid in ids:
                self._t.stories[sid] = StorySummary(
                    sid, 0, None, None, np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
                )
                self._touch(sid)
            return ids

    def save_articles(self, records: Sequence[ArticleRecord]) -> list[int]:
        """Store articles and their band keys; their ids."""
        now = datetime.now(tz=UTC).replace(microsecond=0)
        with self._lock:
            ids = []
            for r in records:
                if r.content_hash in self._t.by_hash:  # as SQLite's UNIQUE index refuses it
                    raise StoreError(f"{r.article.origin}: its text is stored already")
                aid = self._t.next_article
                self._t.next_article += 1
                self._t.articles[aid] = _Stored(r, r.story_id, added=now)
                self._t.by_hash[r.content_hash] = aid
                for k in r.band_keys:
                    self._t.bands.setdefault(int(k), set()).add(aid)
                ids.append(aid)
            return ids

    def mark_copies(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Record (copy, original) article ids; an article keeps the first original."""
        with self._lock:
            for copy_id, original in pairs:
                stored = self._t.articles[copy_id]
                if stored.copy_of is None:
                    stored.copy_of = original

    def save_terms(self, words: dict[int, str]) -> None:
        """A word for each term id that has none yet."""
        with self._lock:
            for t, w in words.items():
                self._t.words.setdefault(t, w)

    def save_stories(self, summaries: Sequence[StorySummary]) -> None:
        """Replace these stories' summaries and the terms that find them."""
        with self._lock:
            for s in summaries:
                old = self._t.stories[s.id]
                for t in old.terms:
                    self._t.postings.get(t, set()).discard(s.id)
                for t in s.terms:
                    self._t.postings.setdefault(t, set()).add(s.id)
                self._t.stories[s.id] = s
                self._touch(s.id)

    def save_docfreq(self, df: np.ndarray, n_docs: int) -> None:
        """Replace the document frequencies."""
        with self._lock:
            self._t.docfreq, self._t.n_docs = df.copy(), n_docs

    def _touch(self, sid: int) -> None:
        self._t.clock += 1
        self._t.updated[sid] = self._t.clock

    # -- reading -------------------------------------------------------------

    def _members(self, sid: int) -> list[tuple[int, ArticleRecord]]:
        return [(a, s.record) for a, s in self._t.articles.items() if s.story_id == sid]

    def _info(self, sid: int) -> StoryInfo:
        s = self._t.stories[sid]
        sources = {r.article.source.lower() for _, r in self._members(sid)}

        def when(ts: float | None) -> datetime | None:
            return None if ts is None else datetime.fromtimestamp(ts, tz=UTC)

        added = [st.added for st in self._t.articles.values()
                 if st.story_id == sid and st.added is not None]
        return StoryInfo(sid, s.size, len(sources), when(s.first), when(s.last), s.label,
                         s.headline, self._t.ledes.get(sid), max(added, default=None))

    def _matching(self, text: str) -> dict[int, int]:
        """Article id -> occurrences of the query's words, for articles holding all."""
        wanted = set(_words(text))
        if not wanted:
            return {}
        hits: dict[int, int] = {}
        for aid, s in self._t.articles.items():
            a = s.record.article
            counts = Counter(_words(f"{a.title or ''} {a.text}"))
            if all(counts[w] for w in wanted):
                hits[aid] = sum(counts[w] for w in wanted)
        return hits

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
        with self._lock:
            infos = self._listing(query, min_sources)
            if order == "size":
                infos.sort(key=lambda i: (i.size, i.id), reverse=True)
            elif order == "sources":
                infos.sort(key=lambda i: (i.sources, self._t.updated[i.id], i.id), reverse=True)
            else:
                infos.sort(key=lambda i: (self._t.updated[i.id], i.id), reverse=True)
            return infos[offset : offset + limit]

    def _listing(self, query: str | None, min_sources: int) -> list[StoryInfo]:
        ids = [s for s in self._t.stories if self._listed(s)]
        if query and query.strip():
            found = {self._t.articles[a].story_id for a in self._matching(query)}
            ids = [s for s in ids if s in found]
        return [i for i in map(self._info, ids) if i.sources >= min_sources]

    def story(self, story_id: int | str) -> StoryInfo | None:
        """One story, or None when there is no story with that id."""
        sid = parse_story_id(story_id)
        with self._lock:
            return self._info(sid) if sid is not None and self._listed(sid) else None

    def articles(self, story_id: int | str) -> list[Article]:
        """The articles of one story, oldest first (undated ones in ingest order)."""
        sid = parse_story_id(story_id)
        if sid is None:
            return []
        with self._lock:
            members = self._members(sid)
        members.sort(key=lambda m: (m[1].published is None, m[1].published or 0.0, m[0]))
        return [replace(r.article, id=str(aid), story=str(sid)) for aid, r in members]

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Articles whose title or text holds every word of ``text``, best match first."""
        with self._lock:
            hits = self._matching(text)
            ranked = sorted(hits, key=lambda a: (-hits[a], a))[: max(limit, 0)]
            out = []
            for aid in ranked:
                s = self._t.articles[aid]
                a = s.record.article
                out.append(SearchHit(aid, s.story_id, a.title, a.source,
                                     " ".join(a.text.split()[:_SNIPPET_WORDS])))
            return out

    def story_of(self, content_hashes: Iterable[str]) -> dict[str, int]:
        """The story of each stored article, by normalised content hash."""
        with self._lock:
            return {
                h: self._t.articles[self._t.by_hash[h]].story_id
                for h in content_hashes if h in self._t.by_hash
            }

    def counts(self) -> tuple[int, int]:
        """How many articles and stories are stored."""
        with self._lock:
            return len(self._t.articles), sum(self._listed(s) for s in self._t.stories)

    def check(self) -> list[str]:
        """Consistency problems, if any: orphans, and story sizes that disagree."""
        with self._lock:
            sizes = Counter(s.story_id for s in self._t.articles.values())
            bad = sum(1 for sid, s in self._t.stories.items() if s.size != sizes[sid])
            orphans = sum(n for sid, n in sizes.items() if sid not in self._t.stories)
            n_articles = len(self._t.articles)
            n_docs = self._t.n_docs
        problems = []
        if bad:
            problems.append(f"{bad} stories whose size disagrees with their articles")
        if orphans:
            problems.append(f"{orphans} articles in no story")
        if n_docs != n_articles:
            problems.append(f"document count {n_docs} != {n_articles} articles")
        return problems

    # -- what is new: arrival times and read marks (newsbrief.update) ---------

    def arrivals(self, story_id: int | str) -> dict[str, datetime]:
        """When each article of a story arrived in the store (its ingest batch, UTC, to the
        second), keyed by the ids ``articles()`` gives; empty for no such story."""
        sid = parse_story_id(story_id)
        if sid is None:
            return {}
        with self._lock:
            return {
                str(aid): s.added or datetime.fromtimestamp(0, tz=UTC)
                for aid, s in self._t.articles.items() if s.story_id == sid
            }

    def mark_read(self, story_id: int | str, when: datetime) -> None:
        """Record that the story was read at ``when`` (replacing an earlier mark)."""
        sid = parse_story_id(story_id)
        if sid is None:
            raise SettingsError(f"not a story id: {story_id!r}")
        when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
        with self._lock:
            self._read[sid] = when

    def last_read(self, story_id: int | str) -> datetime | None:
        """When the story was last marked read (UTC), or None."""
        sid = parse_story_id(story_id)
        with self._lock:
            return None if sid is None else self._read.get(sid)

    # -- fetching: feeds watched, pages fetched (newsbrief.fetch) --------------

    def feed(self, url: str) -> FeedState | None:
        """The watched feed at ``url``, or None."""
        with self._lock:
            return self._feeds.get(url)

    def feeds(self) -> list[FeedState]:
        """Every watched feed, in the order they were added."""
        with self._lock:
            return sorted(self._feeds.values(), key=lambda f: (f.added, f.url))

    def save_feed(self, state: FeedState) -> None:
        """Add the feed or replace its state."""
        with self._lock:
            self._feeds[state.url] = state

    def page(self, url: str) -> PageState | None:
        """The page fetched as ``url``, else one whose canonical URL is ``url``; or None."""
        with self._lock:
            return pick_page(self._pages, url)

    def save_page(self, state: PageState) -> None:
        """Add the fetched page or replace its state."""
        with self._lock:
            self._pages[state.url] = state

    def article_ids(self, content_hashes: Iterable[str]) -> dict[str, int]:
        """The id of each stored article, by normalised content hash."""
        with self._lock:
            return {h: self._t.by_hash[h] for h in content_hashes if h in self._t.by_hash}

    # -- the stories list and outlets (issue 14: newsbrief.outlets, newsbrief.lede) --

    def count_stories(self, query: str | None = None, min_sources: int = 0) -> int:
        """How many stories ``stories(query=..., min_sources=...)`` lists without a limit."""
        with self._lock:
            return len(self._listing(query, min_sources))

    def save_ledes(self, ledes: Mapping[int, str]) -> None:
        """Set these stories' ledes."""
        with self._lock:
            self._t.ledes.update(ledes)

    def story_sources(self, story_ids: Iterable[int]) -> dict[int, list[tuple[str, str | None]]]:
        """(source, url) of each article of these stories, by story id, in article order."""
        wanted = {int(s) for s in story_ids}
        out: dict[int, list[tuple[str, str | None]]] = {}
        with self._lock:
            for _, stored in sorted(self._t.articles.items()):
                if stored.story_id in wanted:
                    a = stored.record.article
                    out.setdefault(stored.story_id, []).append((a.source, a.url))
        return out

    def save_outlets(self, outlets: Sequence[Outlet]) -> None:
        """Replace the sources table with these outlets."""
        with self._lock:
            self._outlets = list(outlets)

    def outlets(self) -> list[Outlet]:
        """The sources table as saved, in its order."""
        with self._lock:
            return list(self._outlets)

    # -- corrections: stories a user corrects (newsbrief.corrections, store.story_edits) --

    def _listed(self, sid: int) -> bool:
        """Listed and counted: not emptied, not the removed articles' holder."""
        s = self._t.stories.get(sid)
        return s is not None and s.size > 0 and sid != REMOVED_STORY

    def article_stories(self, article_ids: Iterable[int]) -> dict[int, int | None]:
        """The story of each of these stored articles (None: out of all stories)."""
        with self._lock:
            found = {int(a): self._t.articles[int(a)].story_id
                     for a in article_ids if int(a) in self._t.articles}
        return {a: None if s == REMOVED_STORY else s for a, s in found.items()}

    def article_vectors(self, story_id: int) -> list[ArticleVector]:
        """The stored TF-IDF rows of a story's articles, with their times and titles, by id."""
        with self._lock:
            members = sorted(self._members(story_id), key=lambda m: m[0])
        return [
            ArticleVector(aid, r.published, r.article.title, r.vector_terms, r.vector_values)
            for aid, r in members
        ]

    def set_story(self, article_ids: Iterable[int], story_id: int | None) -> None:
        """Put these stored articles in the story; None: in no story."""
        import numpy as np

        target = REMOVED_STORY if story_id is None else story_id
        with self._lock:
            if target not in self._t.stories:
                if story_id is not None:
                    raise StoreError(f"no story {story_id}")
                self._t.stories[target] = StorySummary(
                    target, 0, None, None, np.zeros(0, dtype=np.int32),
                    np.zeros(0, dtype=np.float32), label="out of all stories",
                )
                self._touch(target)
            for a in article_ids:
                self._t.articles[int(a)].story_id = target
            if REMOVED_STORY in self._t.stories:
                held = sum(s.story_id == REMOVED_STORY for s in self._t.articles.values())
                self._t.stories[REMOVED_STORY] = replace(
                    self._t.stories[REMOVED_STORY], size=held)

    def drop_story(self, story_id: int, merged_into: int | None = None) -> None:
        """Take an emptied story out of every listing and lookup; with ``merged_into``,
        its id leads to that story."""
        import numpy as np

        with self._lock:
            old = self._t.stories[story_id]
            for t in old.terms:
                self._t.postings.get(t, set()).discard(story_id)
            self._t.stories[story_id] = StorySummary(
                story_id, 0, None, None, np.zeros(0, dtype=np.int32),
                np.zeros(0, dtype=np.float32),
            )
            self._touch(story_id)
            if merged_into is not None:
                for k, v in list(self._t.merged.items()):
                    if v == story_id:
                        self._t.merged[k] = merged_into
                self._t.merged[story_id] = merged_into

    def merged_into(self, story_id: int | str) -> int | None:
        """The story a merged-away story id now leads to, or None."""
        sid = parse_story_id(story_id)
        target = None
        with self._lock:
            for _ in range(MAX_REDIRECTS):
                if sid is None or sid not in self._t.merged:
                    break
                target = sid = self._t.merged[sid]
        return target

    def removed_articles(self) -> list[Article]:
        """The articles taken out of all stories, oldest first (their ``story`` is None)."""
        return [replace(a, story=None) for a in self.articles(REMOVED_STORY)]

    def log_correction(self, action: str, story_id: int | None, other_id: int | None,
                       article_ids: Sequence[int]) -> None:
        """Add a correction to the log."""
        now = datetime.now(tz=UTC).replace(microsecond=0)
        with self._lock:
            self._t.log.append(Correction(len(self._t.log) + 1, now, action, story_id,
                                          other_id, tuple(int(a) for a in article_ids)))

    def corrections(self, limit: int = 50) -> list[Correction]:
        """The latest corrections, newest first."""
        with self._lock:
            return list(reversed(self._t.log))[: max(limit, 0)]

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
