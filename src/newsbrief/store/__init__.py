"""The article and story store, behind one interface: ``Store``.

The store keeps what ingest and the readers of stories need, and knows nothing of
how articles are grouped (``newsbrief.stories``) or when (``newsbrief.ingest``):

* for the people and programs that read it: ``stories``, ``story``,
  ``articles``, ``search``, ``story_of``, ``counts``, ``check``;
* for ingest, inside ``transaction()`` (one batch: all of it or nothing):
  loads (``stored`` content hashes, ``docfreq``, ``story_postings``,
  ``story_summaries``, ``copy_sources``, ``term_words``) and saves
  (``new_stories``, ``save_articles``, ``mark_copies``, ``save_terms``,
  ``save_stories``, ``save_docfreq``).

Two implementations: ``SQLiteStore`` (``store.sqlite``: one SQLite file in WAL mode,
the one ``open_store`` opens) and ``MemoryStore`` (``store.memory``: dicts, for tests
and short-lived work). Both are safe to share between threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from newsbrief.model import Article
from newsbrief.outlets import Outlet
from newsbrief.settings import StorySettings
from newsbrief.store.fetch_state import FeedState, PageState
from newsbrief.store.story_edits import REMOVED_STORY, ArticleVector, Correction

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "ORDERS",
    "REMOVED_STORY",
    "ArticleRecord",
    "ArticleVector",
    "Correction",
    "FeedState",
    "MemoryStore",
    "PageState",
    "SQLiteStore",
    "SearchHit",
    "Store",
    "StoredPassages",
    "StoryInfo",
    "StorySummary",
    "open_store",
    "parse_story_id",
]

ORDERS = ("size", "recent", "sources")
"""How ``stories`` may sort: largest first, last updated first, or most distinct sources
first (then last updated)."""


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
    lede: str | None = None
    """First sentence of its headline article (issue 14, ``newsbrief.lede``), set at ingest."""
    updated: datetime | None = None
    """When ingest (or a correction) last changed the story (UTC, to the second)."""

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


@dataclass(frozen=True, slots=True)
class StorySummary:
    """What grouping keeps of a story between batches."""

    id: int
    size: int
    first: float | None
    """Earliest publication time of its articles (POSIX seconds), where any is known."""
    last: float | None
    centroid_terms: np.ndarray
    """Term ids of its centroid, sorted (int32)."""
    centroid_values: np.ndarray
    """Sums of its articles' TF-IDF weights for those terms (float32)."""
    headline: str | None = None
    headline_score: float = 0.0
    """How central the headline's article is (its dot product with the centroid)."""
    terms: tuple[int, ...] = ()
    """Salient terms by which a later article finds the story (set when saved)."""
    label: str = ""
    """Key words shown for the story (set when saved)."""


@dataclass(frozen=True, slots=True)
class StoredPassages:
    """A stored article as the copy lookup compares it."""

    article_id: int
    story_id: int
    published: float | None
    total_words: int
    passage_words: tuple[int, ...]
    signatures: np.ndarray
    """MinHash signatures of its passages, one row each (uint32)."""


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """One article to save, with what grouping found for it."""

    article: Article
    content_hash: str
    story_id: int
    published: float | None
    vector_terms: np.ndarray
    """Its TF-IDF row: term ids (int32) and weights (float32)."""
    vector_values: np.ndarray
    total_words: int
    """Words of its cleaned text."""
    passage_words: tuple[int, ...]
    signatures: np.ndarray
    """MinHash signatures of its passages (uint32, one row each)."""
    band_keys: Sequence[int]
    """LSH band keys of its passages, by which later articles find it."""


class Store(Protocol):
    """The store interface (see the module docstring)."""

    @property
    def settings(self) -> StorySettings:
        """The grouping settings the store was made with (kept with it)."""
        ...

    # -- reading -----------------------------------------------------------

    def stories(
        self, limit: int = 50, offset: int = 0, query: str | None = None, order: str = "size",
        min_sources: int = 0,
    ) -> list[StoryInfo]:
        """Stories, largest first (``order="size"``), last updated first (``"recent"``) or
        most sources first (``"sources"``); with ``query``, only those with an article
        holding all its words; only those with at least ``min_sources`` distinct sources."""
        ...

    def story(self, story_id: int | str) -> StoryInfo | None:
        """One story, or None when there is none with that id (ids are whole numbers)."""
        ...

    def articles(self, story_id: int | str) -> list[Article]:
        """The articles of one story, oldest first (undated ones in ingest order)."""
        ...

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        """Articles whose title or text holds every word of ``text``, best first."""
        ...

    def story_of(self, content_hashes: Iterable[str]) -> dict[str, int]:
        """The story of each stored article, by normalised content hash."""
        ...

    def counts(self) -> tuple[int, int]:
        """How many articles and stories are stored."""
        ...

    def check(self) -> list[str]:
        """Consistency problems, if any (story sizes, orphans, document counts)."""
        ...

    def close(self) -> None:
        """Release the store (the SQLite connection)."""
        ...

    def __enter__(self) -> Store: ...

    def __exit__(self, *exc: object) -> None: ...

    # -- loads and saves for ingest ----------------------------------------

    def transaction(self) -> AbstractContextManager[None]:
        """One batch's reads and writes: other writers wait, and an error (or a kill)
        leaves the store as it was before it."""
        ...

    def stored(self, content_hashes: Iterable[str]) -> set[str]:
        """Those of the content hashes that are stored."""
        ...

    def docfreq(self) -> tuple[np.ndarray | None, int]:
        """Document frequencies over the hashed term space (None before the first
        article), and how many documents they count."""
        ...

    def story_postings(self, terms: Sequence[int]) -> list[tuple[int, int]]:
        """(term, story id) for each story found again by one of ``terms``."""
        ...

    def story_summaries(self, story_ids: Iterable[int]) -> list[StorySummary]:
        """The summaries of the stories with these ids, ascending by id."""
        ...

    def copy_sources(self, band_keys: Iterable[int]) -> list[StoredPassages]:
        """The stored articles with a passage under one of these LSH band keys,
        ascending by id."""
        ...

    def term_words(self, terms: Iterable[int]) -> dict[int, str]:
        """A word for each of these term ids that has one."""
        ...

    def new_stories(self, n: int) -> list[int]:
        """Make ``n`` empty stories; their ids."""
        ...

    def save_articles(self, records: Sequence[ArticleRecord]) -> list[int]:
        """Store articles (with their search index and band keys); their ids, in order."""
        ...

    def mark_copies(self, pairs: Iterable[tuple[int, int]]) -> None:
        """Record (copy, original) article ids; an article keeps the first original given."""
        ...

    def save_terms(self, words: dict[int, str]) -> None:
        """A word for each term id that has none yet."""
        ...

    def save_stories(self, summaries: Sequence[StorySummary]) -> None:
        """Replace these stories' summaries (size, span, centroid, headline, terms, label)."""
        ...

    def save_docfreq(self, df: np.ndarray, n_docs: int) -> None:
        """Replace the document frequencies."""
        ...

    # -- what is new: arrival times and read marks (newsbrief.update) ---------

    def arrivals(self, story_id: int | str) -> dict[str, datetime]:
        """When each article of a story arrived in the store (its ingest batch, UTC, to the
        second), keyed by the ids ``articles()`` gives; empty for no such story."""
        ...

    def mark_read(self, story_id: int | str, when: datetime) -> None:
        """Record that the story was read at ``when`` (replacing an earlier mark)."""
        ...

    def last_read(self, story_id: int | str) -> datetime | None:
        """When the story was last marked read (UTC), or None."""
        ...

    # -- fetching: feeds watched, pages fetched (newsbrief.fetch) --------------

    def feed(self, url: str) -> FeedState | None:
        """The watched feed at ``url``, or None."""
        ...

    def feeds(self) -> list[FeedState]:
        """Every watched feed, in the order they were added."""
        ...

    def save_feed(self, state: FeedState) -> None:
        """Add the feed or replace its state."""
        ...

    def page(self, url: str) -> PageState | None:
        """The page fetched as ``url``, else one whose canonical URL is ``url``; or None."""
        ...

    def save_page(self, state: PageState) -> None:
        """Add the fetched page or replace its state."""
        ...

    def article_ids(self, content_hashes: Iterable[str]) -> dict[str, int]:
        """The id of each stored article, by normalised content hash."""
        ...

    # -- the stories list and outlets (issue 14: newsbrief.outlets, newsbrief.lede) --

    def count_stories(self, query: str | None = None, min_sources: int = 0) -> int:
        """How many stories ``stories(query=query, min_sources=min_sources)`` would list
        without a limit."""
        ...

    def save_ledes(self, ledes: Mapping[int, str]) -> None:
        """Set these stories' ledes (at ingest, in its transaction)."""
        ...

    def story_sources(self, story_ids: Iterable[int]) -> dict[int, list[tuple[str, str | None]]]:
        """(source, url) of each article of these stories, by story id."""
        ...

    def save_outlets(self, outlets: Sequence[Outlet]) -> None:
        """Replace the sources table (``--sources FILE``) with these outlets."""
        ...

    def outlets(self) -> list[Outlet]:
        """The sources table as saved, in its order (empty when none was given)."""
        ...

    # -- corrections: stories a user corrects (newsbrief.corrections, store.story_edits) --

    def article_stories(self, article_ids: Iterable[int]) -> dict[int, int | None]:
        """The story of each of these stored articles (None: taken out of all stories);
        ids not stored are left out."""
        ...

    def article_vectors(self, story_id: int) -> list[ArticleVector]:
        """The stored TF-IDF rows of a story's articles, with their times and titles, by id."""
        ...

    def set_story(self, article_ids: Iterable[int], story_id: int | None) -> None:
        """Put these stored articles in the story; None: in no story (kept, searchable,
        listed by ``removed_articles``; no later article joins them)."""
        ...

    def drop_story(self, story_id: int, merged_into: int | None = None) -> None:
        """Take an emptied story out of every listing and lookup (its id is never reused);
        with ``merged_into``, the id leads to that story (``merged_into``)."""
        ...

    def merged_into(self, story_id: int | str) -> int | None:
        """The story a merged-away story id now leads to, or None."""
        ...

    def removed_articles(self) -> list[Article]:
        """The articles taken out of all stories, oldest first (their ``story`` is None)."""
        ...

    def log_correction(self, action: str, story_id: int | None, other_id: int | None,
                       article_ids: Sequence[int]) -> None:
        """Add a correction to the log (``store.story_edits.Correction`` says what each
        field means)."""
        ...

    def corrections(self, limit: int = 50) -> list[Correction]:
        """The latest corrections, newest first."""
        ...


def parse_story_id(value: int | str) -> int | None:
    """A story id from what a user typed: ASCII digits (or an int), nothing looser; None
    for anything else, and for numbers beyond 64 bits (no story has them)."""
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
    return number if -(2**63) <= number < 2**63 else None


def open_store(
    path: str | Path, settings: StorySettings | None = None, create: bool = True
) -> SQLiteStore:
    """Open (or, with ``create``, create) the SQLite store at ``path``."""
    return SQLiteStore(path, settings, create=create)


# The implementations import the records above, so they come last.
from newsbrief.store.memory import MemoryStore  # noqa: E402
from newsbrief.store.sqlite import SQLiteStore  # noqa: E402
