"""A fetched HTML page as an ``Article``: decoded, extracted, named by its canonical URL.

The bytes are decoded with the first charset that reads them without error, in the
order the web gives them weight: a byte-order mark, the HTTP header, the page's own
``<meta charset>``, UTF-8. When none does (a server that says UTF-8 and sends
Latin-1), windows-1252 reads every byte, and a note says so. The text goes through
the project's HTML reader (``readers.html.read_html``: trafilatura, with htmldate for
the date); the article's URL is the page's canonical one (``urls.canonical_url``).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import replace
from datetime import datetime

from newsbrief.errors import InputError
from newsbrief.fetch.client import Response
from newsbrief.fetch.problems import FetchError
from newsbrief.fetch.urls import canonical_url
from newsbrief.model import Article, Problem
from newsbrief.readers.html import read_html

__all__ = ["decode", "is_feed_type", "is_page_type", "page_article"]

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_PRESCAN = 4096
"""Bytes searched for ``<meta charset>``: the HTML standard's prescan reads 1024, and
pages that put scripts first push it further."""
_PAGE_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_FEED_TYPES = frozenset({
    "application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
    "application/rdf+xml", "application/feed+json", "text/rss+xml",
})


def is_page_type(media: str | None) -> bool:
    """An HTML page, or a body whose type is not named (sniffed after)."""
    return media is None or media in _PAGE_TYPES or media == "application/octet-stream"


def is_feed_type(media: str | None) -> bool:
    """An RSS or Atom feed, or a type servers often give feeds (HTML, plain text)."""
    return (media is None or media in _FEED_TYPES or media in _PAGE_TYPES
            or media in {"text/plain", "application/octet-stream"})


def _usable(charset: str | None) -> str | None:
    if not charset:
        return None
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None


def decode(content: bytes, declared: str | None, origin: str) -> tuple[str, Problem | None]:
    """The page's text, and a note when no charset it declares could read it."""
    for bom, name in _BOMS:
        if content.startswith(bom):
            return content.decode(name, "replace"), None
    meta = _META_CHARSET.search(content[:_PRESCAN])
    in_meta = meta.group(1).decode("ascii") if meta else None
    tried: list[str] = []
    for charset in (_usable(declared), _usable(in_meta), "utf-8"):
        if charset is None or charset in tried:
            continue
        tried.append(charset)
        try:
            return content.decode(charset), None
        except UnicodeDecodeError:
            continue
    said = [f"{c} (in the {where})" for c, where in ((declared, "header"), (in_meta, "page"))
            if c]
    return content.decode("windows-1252", "replace"), Problem(
        origin, f"mis-encoded: bytes not readable as {' or '.join(said) or 'UTF-8'}; "
        "read as windows-1252", fatal=False,
    )


def page_article(
    response: Response, origin: str, title: str | None = None,
    published: datetime | None = None,
) -> tuple[Article, Problem | None]:
    """The article of a fetched page (and a note on its encoding, if any). ``title``
    and ``published`` (from a feed's item) stand in where the page names none; the
    feed's date wins, being given by the publisher as data rather than found in text.
    Raises ``FetchError`` (``no-article-text``)."""
    html, note = decode(response.content, response.charset, origin)
    url = canonical_url(html, response.url)
    try:
        article = read_html(html, origin, url=url)
    except InputError as exc:
        raise FetchError(origin, "no-article-text", exc.problem, response.status) from None
    return replace(
        article, url=url, title=article.title or title,
        published=published or article.published,
    ), note
