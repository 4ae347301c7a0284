"""Fetch runs: URLs or a feed list in, articles grouped into stories in the store.

One pass::

    feeds (conditional GET with the stored ETag / Last-Modified; a 304 ends there)
      -> their items whose page is not stored yet
      -> each page fetched and extracted (``pages.page_article``); where the page cannot
         be had, the feed's own summary of the item, marked so in the article's origin
         and in a note
      -> a page whose canonical URL is already stored is not stored again
      -> ``ingest.ingest_articles``: deduplicated, grouped into stories like files
      -> each page's state (canonical URL, validators, outcome, article id) and each
         feed's health saved in the store

Requests run on ``concurrency`` threads through one polite ``Client``; the store is
written from the calling thread only. Every failure is a named problem for that feed
or page (``problems.NAMES``); the rest goes on.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from newsbrief.fetch.client import Client, Response
from newsbrief.fetch.feeds import FeedItem, looks_like_feed, parse_feed, read_feed_list
from newsbrief.fetch.pages import is_feed_type, is_page_type, page_article
from newsbrief.fetch.problems import FetchError
from newsbrief.fetch.settings import FetchSettings
from newsbrief.fetch.urls import normalize_url
from newsbrief.ingest import IngestReport, ingest_articles
from newsbrief.model import Article, Problem
from newsbrief.store import FeedState, PageState, Store, open_store
from newsbrief.story_features import content_hash

__all__ = ["FetchReport", "feed_health", "fetch_into", "fetch_urls", "watch", "watch_into",
           "watch_once"]

T = TypeVar("T")
R = TypeVar("R")
_Work = tuple[str, FeedItem | None, Response | FetchError | None]
"""A page to fetch: its URL, its feed item, and its answer when it was fetched already."""
SUMMARY_MARK = " (feed summary)"
"""Appended to the origin of an article stored from its feed's summary."""
PAGE_TRIES = 5
"""Passes that try an item's page when its feed summary was stored instead."""
_TRIES = re.compile(r" \(tries (\d+)\)$")


def _tries(error: str | None) -> int:
    """How many times a page whose summary was stored has been tried (from its error)."""
    found = _TRIES.search(error or "")
    return int(found.group(1)) if found else 1


def _retry(page: PageState | None) -> bool:
    """The item's page is to be fetched: never tried, failed, or stood in for by the
    feed's summary fewer than ``PAGE_TRIES`` times."""
    return page is None or page.article_id is None or (
        page.error is not None and not page.error.startswith("rejected")
        and _tries(page.error) < PAGE_TRIES)


@dataclass(slots=True)
class FetchReport:
    """What one fetch or watch pass did: counts, problems, notes, and the ingest."""

    feeds: int = 0
    """Feeds fetched with content (200)."""
    feeds_unchanged: int = 0
    """Feeds that answered 304 Not Modified to the conditional GET."""
    feeds_failed: int = 0
    pages: int = 0
    """Pages fetched and extracted."""
    pages_unchanged: int = 0
    known: int = 0
    """Items or pages already stored (by URL or canonical URL): not fetched or stored again."""
    summaries: int = 0
    """Items stored from the feed's summary because their page could not be had."""
    pages_failed: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    ingest: IngestReport = field(default_factory=IngestReport)
    seconds: float = 0.0

    @property
    def nothing_usable(self) -> bool:
        """Problems, and not one feed or page fetched (nor found unchanged or known)."""
        return bool(self.problems) and not (
            self.feeds or self.feeds_unchanged or self.pages or self.pages_unchanged
            or self.known or self.summaries
        )

    def summary(self) -> str:
        """A few lines for people: counts, then problems grouped by name."""
        lines = [
            f"feeds {self.feeds} fetched, {self.feeds_unchanged} unchanged, "
            f"{self.feeds_failed} failed; pages {self.pages} fetched, "
            f"{self.pages_unchanged} unchanged, {self.known} already stored, "
            f"{self.summaries} from feed summaries, {self.pages_failed} failed "
            f"({self.seconds:.1f} s)",
            self.ingest.summary().split("\n")[0] if self.ingest.read else "nothing new to store",
        ]
        names: dict[str, int] = {}
        for p in self.problems:
            name = p.message.split(":", 1)[0]
            names[name] = names.get(name, 0) + 1
        lines += [f"  {name}: {n}" for name, n in sorted(names.items(), key=lambda x: -x[1])]
        return "\n".join(lines)


@dataclass(slots=True)
class _Outcome:
    """One page's result, made on a worker thread and recorded on the calling one."""

    kind: str
    """``page``, ``summary``, ``known``, ``unchanged`` or ``failed``."""
    state: PageState | None = None
    article: Article | None = None
    problem: Problem | None = None
    note: Problem | None = None


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _validators(page: PageState | None) -> tuple[str | None, str | None]:
    """The ETag and Last-Modified of a page fetched before, for a conditional GET."""
    return (None, None) if page is None else (page.etag, page.last_modified)


def _in_threads(fn: Callable[[T], R], items: Sequence[T], workers: int) -> list[R]:
    if len(items) <= 1:
        return [fn(i) for i in items]
    with ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        return list(pool.map(fn, items))


class _Pass:
    """One pass over URLs or feeds, with its client, store and report."""

    def __init__(self, store: Store, client: Client, progress: bool) -> None:
        self.store = store
        self.client = client
        self.report = FetchReport()
        self.progress = progress
        self.started = time.perf_counter()
        self._lock = threading.Lock()
        """Feeds run on worker threads: their counts are added under it."""

    # -- feeds ---------------------------------------------------------------------

    def feed(self, url: str, response: Response | None = None) -> list[FeedItem]:
        """Fetch a feed (unless ``response`` is its first answer), keep its state; the
        items whose page is not stored yet. Thread-safe (feeds run on worker threads)."""
        state = self.store.feed(url) or FeedState(url, added=_now())
        try:
            if response is None:
                response = self.client.get(url, is_feed_type, state.etag, state.last_modified)
            if response.status == 304:
                with self._lock:
                    self.report.feeds_unchanged += 1
                self.store.save_feed(replace(
                    state, last_fetched=_now(), last_ok=_now(), last_status=304,
                    last_error=None, failures=0))
                return []
            parsed = parse_feed(response.content, url)
        except FetchError as exc:
            with self._lock:
                self.report.feeds_failed += 1
                self.report.problems.append(exc.as_problem())
            self.store.save_feed(replace(
                state, last_fetched=_now(), last_status=exc.status, last_error=exc.problem,
                failures=state.failures + 1))
            return []
        items = parsed.items[: self.client.settings.max_items]
        fresh = [i for i in items if self.store.page(i.url) is None]
        new = [i for i in items if _retry(self.store.page(i.url))]
        with self._lock:
            self.report.feeds += 1
            self.report.problems.extend(parsed.problems)
            self.report.known += len(items) - len(new)
        self.store.save_feed(replace(
            state, title=parsed.title or state.title, etag=response.etag,
            last_modified=response.last_modified, last_fetched=_now(), last_ok=_now(),
            last_status=response.status, last_error=None, failures=0,
            items_seen=state.items_seen + len(fresh)))
        return new

    # -- pages ---------------------------------------------------------------------

    def page(self, url: str, item: FeedItem | None = None,
             response: Response | FetchError | None = None) -> _Outcome:
        """Fetch and extract one page (thread-safe: reads the store, writes nothing);
        ``response`` is its answer (or failure) when it was fetched already."""
        previous = self.store.page(url) if item is None else None
        stored = self.store.page(url) if item is not None else None
        try:
            if isinstance(response, FetchError):
                raise response
            if response is None:
                response = self.client.get(url, is_page_type, *_validators(previous))
            if response.status == 304 and previous is not None:
                return _Outcome("unchanged", replace(previous, fetched=_now(), status=304))
            article, note = page_article(
                response, url, item.title if item else None, item.published if item else None)
        except FetchError as exc:
            state = PageState(url, _now(), status=exc.status, error=exc.problem)
            if stored is not None and stored.article_id is not None:
                # the summary is stored already: only the tries are counted
                tries = _tries(stored.error) + 1
                return _Outcome("known", replace(
                    state, article_id=stored.article_id,
                    error=f"{exc.problem} (tries {tries})"),
                    note=Problem(url, f"{exc.problem}; still the feed's summary "
                                      f"(try {tries} of {PAGE_TRIES})", fatal=False))
            if item is None or item.summary is None:
                return _Outcome("failed", state, problem=exc.as_problem())
            return _Outcome(
                "summary", state,
                replace(item.summary, origin=url + SUMMARY_MARK, url=url),
                note=Problem(url, f"{exc.problem}; the feed's summary was stored instead",
                             fatal=False))
        canonical = article.url or url
        state = PageState(url, _now(), canonical, response.etag, response.last_modified,
                          response.status)
        if canonical != url:
            same = self.store.page(canonical)
            if same is not None and same.article_id is not None:
                return _Outcome("known", replace(state, article_id=same.article_id))
        return _Outcome("page", state, article, note=note)

    def record(self, outcomes: Iterable[_Outcome]) -> None:
        """Count outcomes, ingest their articles, save every page's state."""
        done: list[_Outcome] = []
        for o in outcomes:
            kind = {"page": "pages", "unchanged": "pages_unchanged", "known": "known",
                    "summary": "summaries", "failed": "pages_failed"}[o.kind]
            setattr(self.report, kind, getattr(self.report, kind) + 1)
            if o.problem is not None:
                self.report.problems.append(o.problem)
            if o.note is not None:
                self.report.notes.append(o.note)
            done.append(o)
        articles = [o.article for o in done if o.article is not None]
        if articles:
            self.report.ingest.merge(ingest_articles(self.store, articles))
        ids = self.store.article_ids(content_hash(a.text) for a in articles)
        rejected = {p.origin: p.message for p in self.report.ingest.rejected}
        for o in done:
            if o.state is None:
                continue
            state = o.state
            if o.article is not None:
                article_id = ids.get(content_hash(o.article.text))
                error = state.error if article_id is not None else (
                    "rejected: " + rejected.get(o.article.origin, "not stored"))
                state = replace(state, article_id=article_id, error=error)
            self.store.save_page(state)

    def pages(self, work: Sequence[_Work]) -> None:
        """Fetch pages on the client's threads (with a progress bar), then record them."""
        if not work:
            return
        def run(w: _Work) -> _Outcome:
            return self.page(*w)

        if not self.progress:
            self.record(_in_threads(run, work, self.client.settings.concurrency))
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        with Progress(TextColumn("[bold]Fetching pages"), BarColumn(), MofNCompleteColumn(),
                      transient=True) as bar:
            task = bar.add_task("pages", total=len(work))

            def step(w: _Work) -> _Outcome:
                try:
                    return run(w)
                finally:
                    bar.advance(task)

            outcomes = _in_threads(step, work, self.client.settings.concurrency)
        self.record(outcomes)

    def done(self) -> FetchReport:
        """The report, with its time."""
        self.report.seconds = time.perf_counter() - self.started
        return self.report


def _client(settings: FetchSettings | None, client: Client | None) -> tuple[Client, bool]:
    if client is not None:
        return client, False
    return Client(settings), True


def fetch_urls(
    store: Store, urls: Iterable[str], settings: FetchSettings | None = None,
    progress: bool = False, client: Client | None = None,
) -> FetchReport:
    """``newsbrief fetch``: each URL, a page or a feed (told apart by its type and first
    element; a URL watched as a feed stays one), into the store; the report."""
    http, own = _client(settings, client)
    run = _Pass(store, http, progress)
    try:
        given: list[str] = []
        for raw in urls:
            try:
                given.append(normalize_url(raw))
            except ValueError:
                run.report.problems.append(Problem(raw, "invalid-url: not an absolute http:// "
                                                   "or https:// URL"))

        def first(url: str) -> list[_Work]:
            """The work a URL gives: its items' pages when it is a feed, else itself."""
            if run.store.feed(url) is not None:
                return [(i.url, i, None) for i in run.feed(url)]
            try:
                response = http.get(url, is_feed_type, *_validators(run.store.page(url)))
            except FetchError as exc:
                return [(url, None, exc)]
            if response.status != 304 and looks_like_feed(response.content):
                return [(i.url, i, None) for i in run.feed(url, response)]
            return [(url, None, response)]

        work = [w for ws in _in_threads(first, given, http.settings.concurrency) for w in ws]
        run.pages(work)
    finally:
        if own:
            http.close()
    return run.done()


def watch_once(
    store: Store, feed_list: str | Path, settings: FetchSettings | None = None,
    progress: bool = False, client: Client | None = None,
) -> FetchReport:
    """One pass over the feeds a list names (a text file of URLs, or OPML): new items'
    pages fetched and grouped into stories; the report."""
    urls, problems = read_feed_list(feed_list)
    http, own = _client(settings, client)
    run = _Pass(store, http, progress)
    run.report.problems.extend(problems)
    try:
        feeds = _in_threads(run.feed, urls, http.settings.concurrency)
        seen: set[str] = set()
        work: list[_Work] = []
        for items in feeds:
            for item in items:
                if item.url not in seen:  # an item two feeds list is fetched once
                    seen.add(item.url)
                    work.append((item.url, item, None))
        run.pages(work)
    finally:
        if own:
            http.close()
    return run.done()


def watch(
    store: Store, feed_list: str | Path, settings: FetchSettings | None = None,
    every: float | None = None, passes: int | None = None,
    on_pass: Callable[[int, FetchReport], None] | None = None, progress: bool = False,
    sleep: Callable[[float], None] = time.sleep,
) -> FetchReport:
    """``newsbrief watch``: one pass (``every`` None), or a pass every ``every`` minutes,
    ``passes`` times (None: until interrupted); ``on_pass(n, report)`` after each. The
    feed list is read again each pass, so feeds can be added while it runs. Returns the
    last pass's report."""
    if every is not None and every < 0:
        raise ValueError(f"every must be at least 0 minutes, got {every}")
    n = 0
    while True:
        started = time.monotonic()
        n += 1
        report = watch_once(store, feed_list, settings, progress)
        if on_pass is not None:
            on_pass(n, report)
        if every is None or (passes is not None and n >= passes):
            return report
        sleep(max(0.0, every * 60 - (time.monotonic() - started)))


def fetch_into(db: str | Path, urls: Sequence[str], settings: FetchSettings | None = None,
               progress: bool = True) -> FetchReport:
    """``newsbrief fetch``: open (or create) the store and fetch ``urls`` into it."""
    with open_store(db) as store:
        return fetch_urls(store, urls, settings, progress)


def watch_into(
    db: str | Path, feed_list: str | Path, every: float | None = None,
    settings: FetchSettings | None = None, progress: bool = True,
    on_pass: Callable[[int, FetchReport], None] | None = None,
) -> FetchReport:
    """``newsbrief watch``: open (or create) the store and watch the feeds of a list."""
    with open_store(db) as store:
        return watch(store, feed_list, settings, every, on_pass=on_pass, progress=progress)


def feed_health(db: str | Path) -> list[FeedState]:
    """``newsbrief feeds``: every watched feed with its health."""
    with open_store(db, create=False) as store:
        return store.feeds()
