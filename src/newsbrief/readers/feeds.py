"""RSS and Atom feed files (feedparser): each entry with text is one article.

The entry's full content is used where the feed carries it, else its summary;
HTML in either is reduced to text. Title, link, author and publication time come
from the entry. An entry without text is a problem naming the feed and the
entry's position and link; the rest goes on.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from newsbrief.errors import InputError, require
from newsbrief.model import Article, Problem
from newsbrief.readers.meta import parse_date, source_from_url
from newsbrief.readers.text import source_from_origin

__all__ = ["read_feed"]


def _text(html: str) -> str:
    import lxml.html

    if "<" not in html:
        return html.strip()
    try:
        root = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return html.strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    blocks = [b.text_content().strip() for b in root.xpath("//p|//li|//h1|//h2|//h3|//blockquote")]
    blocks = [b for b in blocks if b]
    return "\n\n".join(blocks) if blocks else root.text_content().strip()


def _published(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            y, mo, d, h, mi, sec = (int(v) for v in value[:6])
            try:  # feedparser turns "0000-00-00" into year -1
                return datetime(y, mo, d, h, mi, sec, tzinfo=UTC)
            except (ValueError, OverflowError):
                return None  # a date that cannot be: unknown, not a guess from the text
    return parse_date(entry.get("published") or entry.get("updated"))


def read_feed(data: bytes, origin: str) -> tuple[list[Article], list[Problem]]:
    """Every article of an RSS or Atom feed, and a problem for each unusable entry."""
    feedparser: Any = require("feedparser", "stories", "reading RSS and Atom feeds")
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo"):
            raise InputError(origin, f"not a readable feed ({parsed.get('bozo_exception')})")
        raise InputError(origin, "feed holds no entries")
    feed_title = parsed.feed.get("title")
    feed_link = parsed.feed.get("link")
    articles: list[Article] = []
    problems: list[Problem] = []
    for n, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        where = f"{origin} (entry {n}{', ' + link if link else ''})"
        contents = entry.get("content") or []
        html = max((c.get("value", "") for c in contents), key=len, default="")
        if len(html) < len(entry.get("summary", "")):
            html = entry.get("summary", "")
        text = _text(html) if html else ""
        if not text:
            problems.append(Problem(where, "entry has no content or summary text"))
            continue
        source = (
            feed_title
            or (source_from_url(link) if link else None)
            or (source_from_url(feed_link) if feed_link else None)
            or source_from_origin(origin)
        )
        articles.append(
            Article(
                id="",
                source=str(source),
                origin=where,
                text=text,
                title=entry.get("title"),
                url=link,
                author=entry.get("author"),
                published=_published(entry),
            )
        )
    return articles, problems
