"""Ingest: read articles into a store and group them into stories, one batch at a time.

One loop, wherever its heavy steps run::

    read files (in order) -> batches of ``batch_size`` articles
      -> skip texts already stored or given twice in the batch
      -> featurize (clean, terms, passages: ``newsbrief.story_features``)
      -> in one store transaction: skip what another writer stored meanwhile,
         group (``newsbrief.stories``), save

An ``Engine`` says where reading and featurizing (``map``, results in input order)
and the scoring of candidate pairs (``score``) run: ``LOCAL`` in this process,
``newsbrief.distributed.DaskEngine`` on a Dask cluster. Grouping and writing always
run here, batch after batch, so both give the same stories.

Each batch is one transaction: a process killed at any point leaves the store as
after its last whole batch, and running the same ingest again skips what is stored
and completes the rest. Every rejected input is reported with where it was and why;
the rest goes on.
"""

from __future__ import annotations

import os
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Protocol, TypeVar

import numpy as np
import scipy.sparse as sp

from newsbrief.copies import CopyPair
from newsbrief.errors import SettingsError
from newsbrief.input_stories import background_docfreq
from newsbrief.lede import story_ledes
from newsbrief.model import Article, Problem
from newsbrief.readers import expand_paths, read_one
from newsbrief.settings import DEFAULT_BATCH, DEFAULT_MAX_BYTES, StorySettings
from newsbrief.store import ArticleRecord, Store, StorySummary, open_store
from newsbrief.stories import (
    Edges,
    Grouping,
    StoreCopy,
    StoryCandidates,
    candidate_edges,
    candidate_stories,
    cluster,
    name_links,
    near_copies_in_batch,
    near_copies_in_store,
    passage_keys,
    story_label,
    story_links,
    term_words,
    update_stories,
)
from newsbrief.story_features import (
    DocFreq,
    Features,
    content_hash,
    featurize_batch,
    salient_terms,
    vectorize,
)

__all__ = [
    "LOCAL",
    "Engine",
    "IngestReport",
    "LocalEngine",
    "ingest_articles",
    "ingest_into",
    "ingest_paths",
    "with_progress",
]

T = TypeVar("T")
R = TypeVar("R")


@dataclass(slots=True)
class IngestReport:
    """What one ingest did: counts, and every rejected input with its reason."""

    read: int = 0
    stored: int = 0
    duplicates: int = 0
    """Articles whose content was already stored (or given twice)."""
    copies: int = 0
    """Articles found to be near-copies of another (syndicated from it), each put in the
    same story as its original."""
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


class Engine(Protocol):
    """Where the heavy steps of ingest run."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` over ``items``, the results in the order of the items (lazily: an
        engine may run a few items ahead)."""
        ...

    def score(
        self, x: sp.csr_matrix, salient: list[np.ndarray], settings: StorySettings
    ) -> Edges:
        """A batch's candidate pairs with their cosines (``stories.candidate_edges``)."""
        ...


class LocalEngine:
    """Everything in this process, one item after another."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` over ``items``, lazily, in order."""
        return map(fn, items)

    def score(
        self, x: sp.csr_matrix, salient: list[np.ndarray], settings: StorySettings
    ) -> Edges:
        """``stories.candidate_edges`` here."""
        return candidate_edges(x, salient, settings)


LOCAL = LocalEngine()


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


def _chunks(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _new_articles(
    store: Store, batch: Sequence[Article], hashes: Sequence[str]
) -> tuple[list[Article], int]:
    """The articles of a batch whose content (``hashes``) is not stored yet (the first of
    each), and how many were duplicates."""
    stored = store.stored(hashes)
    fresh: list[Article] = []
    seen: set[str] = set()
    for a, h in zip(batch, hashes, strict=True):
        if h in stored or h in seen:
            continue
        seen.add(h)
        fresh.append(a)
    return fresh, len(batch) - len(fresh)


def _report_repeats(
    batch: Sequence[Article], hashes: Sequence[str], features: Sequence[Features | Problem],
    report: IngestReport,
) -> None:
    """Repeats of a rejected text were counted as duplicates of it: report each one as
    rejected too, with where it was (nothing stored is their duplicate)."""
    rejected = {f.origin: f for f in features if isinstance(f, Problem)}
    if not report.duplicates or not rejected:
        return
    first: dict[str, Problem] = {}
    for a, h in zip(batch, hashes, strict=True):
        if a.origin in rejected:
            first.setdefault(h, rejected[a.origin])
    for a, h in zip(batch, hashes, strict=True):
        problem = first.get(h)
        if problem is not None and problem.origin != a.origin and a.origin not in rejected:
            report.rejected.append(Problem(
                a.origin, f"same text as {problem.origin}, which was rejected: {problem.message}"
            ))
            report.duplicates -= 1


@dataclass(slots=True)
class _Grouped:
    """A batch grouped with the stories stored before it: what the saves need."""

    x: sp.csr_matrix
    salient: list[np.ndarray]
    docfreq: DocFreq
    """The store's own frequencies with the background of news text: what weighs terms."""
    own: DocFreq
    """The store's own frequencies (what is saved)."""
    keys: list[np.ndarray]
    in_batch: list[CopyPair]
    in_store: dict[int, StoreCopy]
    summaries: list[StorySummary]
    grouping: Grouping


def _group(store: Store, good: list[Features], engine: Engine) -> _Grouped:
    """Load what grouping needs of the store and group the batch (``newsbrief.stories``)."""
    st = store.settings
    df, n_docs = store.docfreq()
    own = DocFreq() if df is None else DocFreq(df=df, n_docs=n_docs)
    own.add(good)
    # terms are weighed as if the store also held a background of news text, as a brief's
    # input is (input_stories): a young store's shared words (on the seeds: Russia, Syria,
    # strikes) are then not the lightest, and one story is not split. Only the store's own
    # counts are saved.
    docfreq = background_docfreq()
    docfreq.df += own.df
    docfreq.n_docs += own.n_docs
    x = vectorize(good, docfreq)
    salient = salient_terms(x, docfreq, st.salient, st.common_df)
    edges = engine.score(x, salient, st)
    keys = [passage_keys(f) for f in good]
    in_batch = near_copies_in_batch(good, st)
    in_store = near_copies_in_store(
        good, store.copy_sources(sorted({k for ks in keys for k in ks.tolist()})), st
    )
    terms = sorted({int(t) for s in salient for t in s})
    pair_article, pair_story = candidate_stories(salient, store.story_postings(terms))
    summaries = store.story_summaries(
        {int(s) for s in pair_story} | {c.story_id for c in in_store.values()}
    )
    cand = StoryCandidates.of(summaries)
    index = {sid: k for k, sid in enumerate(cand.ids)}
    edges, links = name_links(
        x, [f.names for f in good], edges, story_links(x, pair_article, pair_story, cand, st),
        cand, docfreq, st,
    )
    grouping = cluster(
        len(good), edges, links, cand, st,
        copies=[(p.copy, p.original) for p in in_batch],
        story_copies=[(i, index[c.story_id]) for i, c in sorted(in_store.items())],
        times=[f.published for f in good],
    )
    return _Grouped(x, salient, docfreq, own, keys, in_batch, in_store, summaries, grouping)


def _save(store: Store, good: list[Features], g: _Grouped, report: IngestReport) -> None:
    """Save a grouped batch: new stories, articles, copies, story summaries, frequencies."""
    x = g.x
    # new stories first (numbered in the order of their first article), for articles to join
    n_new = len({k for k in g.grouping.new_group if k >= 0})
    new_ids = store.new_stories(n_new)
    story_of = [
        sid if sid is not None else new_ids[k]
        for sid, k in zip(g.grouping.story, g.grouping.new_group, strict=True)
    ]
    article_ids = store.save_articles([
        ArticleRecord(
            article=f.article, content_hash=f.content_hash, story_id=story_of[i],
            published=f.published,
            vector_terms=x.indices[x.indptr[i] : x.indptr[i + 1]],
            vector_values=x.data[x.indptr[i] : x.indptr[i + 1]],
            total_words=f.passages.total_words, passage_words=f.passages.words,
            signatures=f.passages.signatures, band_keys=g.keys[i].tolist(),
        )
        for i, f in enumerate(good)
    ])
    # a copy of a stored article keeps that original before one of its own batch
    copies = [
        (article_ids[i], c.article_id) if c.is_copy else (c.article_id, article_ids[i])
        for i, c in sorted(g.in_store.items())
    ]
    copies += [(article_ids[p.copy], article_ids[p.original]) for p in g.in_batch]
    store.mark_copies(copies)
    store.save_terms(term_words(good, g.salient))
    before = {s.id: s for s in g.summaries}
    empty = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))
    before.update({sid: StorySummary(sid, 0, None, None, *empty) for sid in new_ids})
    updates = update_stories(good, x, story_of, before, g.docfreq, store.settings)
    words = store.term_words({t for u in updates for t in u.terms})
    store.save_stories([replace(u, label=story_label(u.terms, words)) for u in updates])
    # issue 14: the stories list's one-line lede, from the (new) headline article
    store.save_ledes(story_ledes(
        [(story_of[i], f.lead or f.article, f.title) for i, f in enumerate(good)],
        {u.id: u.headline for u in updates},
        {u.id: before[u.id].size == 0 or before[u.id].headline != u.headline for u in updates},
    ))
    store.save_docfreq(g.own.df, g.own.n_docs)
    report.stored += len(good)
    report.copies += len({c for c, _ in copies})
    report.new_stories += n_new
    report.joined += sum(sid is not None for sid in g.grouping.story)


def _store_batch(
    store: Store, batch: Sequence[Article], hashes: Sequence[str],
    features: Sequence[Features | Problem], duplicates: int, engine: Engine,
) -> IngestReport:
    """Group and save one featurized batch in one transaction."""
    report = IngestReport(read=len(batch), duplicates=duplicates)
    good = [f for f in features if isinstance(f, Features)]
    report.rejected.extend(f for f in features if isinstance(f, Problem))
    _report_repeats(batch, hashes, features, report)
    if good:
        with store.transaction():
            # another writer may have stored some of them since they were looked up
            now_stored = store.stored(f.content_hash for f in good)
            if now_stored:
                report.duplicates += sum(f.content_hash in now_stored for f in good)
                good = [f for f in good if f.content_hash not in now_stored]
            if good:  # loaded and saved in one transaction: the saves build on the loads
                _save(store, good, _group(store, good, engine), report)
    return report


def ingest_articles(
    store: Store,
    articles: Iterable[Article],
    batch_size: int = DEFAULT_BATCH,
    on_batch: Callable[[IngestReport], None] | None = None,
    engine: Engine = LOCAL,
) -> IngestReport:
    """Store new articles and group them into stories, ``batch_size`` articles a
    transaction; ``on_batch`` is given each batch's report. Idempotent: an article whose
    normalised content is already stored counts as a duplicate and is not stored again."""
    if batch_size < 1:
        raise SettingsError(f"batch_size must be at least 1, got {batch_size}")
    total = IngestReport()
    waiting: deque[tuple[list[Article], list[str], int, float]] = deque()

    def fresh_batches() -> Iterator[list[Article]]:
        for batch in _chunks(articles, batch_size):
            started = time.perf_counter()
            hashes = [content_hash(a.text) for a in batch]
            fresh, duplicates = _new_articles(store, batch, hashes)
            waiting.append((batch, hashes, duplicates, started))
            yield fresh

    # the engine may featurize a few batches ahead; each is stored in turn, in order
    for features in engine.map(featurize_batch, fresh_batches()):
        batch, hashes, duplicates, started = waiting.popleft()
        one = _store_batch(store, batch, hashes, features, duplicates, engine)
        one.seconds = time.perf_counter() - started
        total.merge(one)
        if on_batch is not None:
            on_batch(one)
    return total


def ingest_paths(
    store: Store,
    paths: Iterable[str | os.PathLike[str]],
    batch_size: int = DEFAULT_BATCH,
    progress: bool = True,
    max_bytes: int | None = None,
    engine: Engine = LOCAL,
) -> IngestReport:
    """Read files, folders or globs into ``store``, with a progress bar; return the report.

    Files are read one at a time into the batches (with ``engine``, a few ahead).
    Unreadable inputs are reported (file and reason) and the rest goes on.
    """
    started = time.perf_counter()
    files, problems = expand_paths(paths)
    read = partial(read_one, max_bytes=max_bytes or DEFAULT_MAX_BYTES)

    def articles() -> Iterator[Article]:
        for one in engine.map(read, files):
            problems.extend(one.problems)
            yield from one.articles

    report = with_progress(
        None,  # not known before the files are read: they are read as the batches go
        lambda step: ingest_articles(store, articles(), batch_size, step, engine),
        progress,
    )
    report.rejected[:0] = [p for p in problems if p.fatal]
    report.notes[:0] = [p for p in problems if not p.fatal]
    report.seconds = time.perf_counter() - started
    return report


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
            from newsbrief.distributed import dask_engine

            with dask_engine(scheduler, dask_workers or 2) as engine:
                return ingest_paths(store, paths, batch_size, progress, max_bytes, engine)
        return ingest_paths(store, paths, batch_size, progress, max_bytes)
