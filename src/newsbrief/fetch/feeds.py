"""Fetched feeds and feed lists: the items a feed lists, the feeds a list names.

A feed's items come from feedparser; each item's summary article (kept for when its
page cannot be had) comes from the project's feed reader (``readers.feeds``). A feed
list is a text file of URLs (one a line, ``#`` comments) or OPML (listparser).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from newsbrief.errors import InputError, require
from newsbrief.fetch.problems import FetchError
from newsbrief.fetch.urls import normalize_url
from newsbrief.model import Article, Problem
from newsbrief.readers.feeds import read_feed

__all__ = ["FeedItem", "ParsedFeed", "looks_like_feed", "parse_feed", "read_feed_list"]


@dataclass(frozen=True, slots=True)
class FeedItem:
    """One item of a feed: its page's URL, and what the feed says of it."""

    url: str
    """The item's link, resolved and normalised."""
    title: str | None
    published: datetime | None
    summary: Article | None
    """The feed's own text of the item (content or summary), if it has any."""


@dataclass(slots=True)
class ParsedFeed:
    """A feed's title and items, and a problem for each item that cannot be used."""

    title: str | None
    items: list[FeedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def looks_like_feed(content: bytes) -> bool:
    """An RSS, RDF or Atom document (by its first element), whatever it was served as."""
    head = content[:2048].lstrip().lower()
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:].lstrip()
    while head.startswith((b"<?", b"<!--")):  # the XML declaration, a stylesheet, comments
        end = head.find(b"?>" if head.startswith(b"<?") else b"-->")
        if end < 0:
            return False
        head = head[end + 2:].lstrip(b"> \t\r\n")
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf", b"<rdf"))


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            try:
                y, mo, d, h, mi, sec = (int(v) for v in value[:6])
                return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
            except (ValueError, OverflowError, TypeError):
                return None
    return None


def parse_feed(content: bytes, url: str) -> ParsedFeed:
    """The items of a fetched feed. Raises ``FetchError`` (``not-a-feed``)."""
    feedparser: Any = require("feedparser", "fetch", "reading RSS and Atom feeds")
    parsed = feedparser.parse(content)
    linked = any(e.get("link") for e in parsed.entries)
    if (parsed.get("bozo") and not linked) or not (parsed.entries or parsed.get("version")):
        raise FetchError(url, "not-a-feed", f"no RSS or Atom entries "
                         f"({parsed.get('bozo_exception') or 'not a feed'})")
    feed = ParsedFeed(parsed.feed.get("title"))
    summaries: dict[str, Article] = {}
    if parsed.entries:
        try:
            articles, _ = read_feed(content, url)
        except InputError:
            articles = []
        for a in articles:
            if a.url:
                summaries.setdefault(urljoin(url, a.url), a)
    seen: set[str] = set()
    for n, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        if not link:
            feed.problems.append(Problem(f"{url} (entry {n})", "invalid-url: the item has no link"))
            continue
        try:
            item_url = normalize_url(urljoin(url, link))
        except ValueError:
            feed.problems.append(Problem(f"{url} (entry {n})",
                                         f"invalid-url: the item's link {link!r} is no page"))
            continue
        if item_url in seen:
            continue
        seen.add(item_url)
        summary = summaries.get(urljoin(url, link))
        feed.items.append(FeedItem(item_url, entry.get("title"), _published(entry), summary))
    return feed


def read_feed_list(path: str | os.PathLike[str]) -> tuple[list[str], list[Problem]]:
    """The feed URLs a list names, in order, each once, and a problem for each line that
    is no URL. A text file of URLs (one a line; blank lines and ``#`` comments skipped)
    or OPML. Raises ``FetchError`` (``unreadable-list``) when the file cannot be read."""
    origin = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FetchError(origin, "unreadable-list", exc.strerror or str(exc)) from None
    text = data.decode("utf-8-sig", "replace")
    problems: list[Problem] = []
    named: list[tuple[str, str]] = []
    if text.lstrip().startswith("<"):
        listparser: Any = require("listparser", "fetch", "reading OPML feed lists")
        result = listparser.parse(text)
        if result.get("bozo") and not result.feeds:
            raise FetchError(origin, "unreadable-list",
                             f"not OPML ({result.get('bozo_exception')})")
        named = [(f"{origin} (outline {k})", f.url) for k, f in enumerate(result.feeds, 1)]
    else:
        for k, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if line and not line.startswith("#"):
                named.append((f"{origin}:{k}", line))
    urls: list[str] = []
    for where, raw in named:
        try:
            url = normalize_url(raw)
        except ValueError:
            problems.append(Problem(where, f"invalid-url: {raw!r} is not an http(s) URL"))
            continue
        if url not in urls:
            urls.append(url)
    return urls, problems
