"""HTML pages, through trafilatura: main text plus title, site name, author, date and URL."""

from __future__ import annotations

from urllib.parse import urlparse

from newsbrief.errors import InputError
from newsbrief.model import Article
from newsbrief.readers.meta import parse_date, source_from_url
from newsbrief.readers.text import source_from_origin


def read_html(data: bytes | str, origin: str, url: str | None = None) -> Article:
    """Extract the main article of an HTML page, or say that the page holds none."""
    if isinstance(data, bytes) and b"\x00" in data[:8192]:
        raise InputError(origin, "binary file (contains NUL bytes), not an HTML page")
    import trafilatura  # 0.2-0.3 s to import: paid only when an HTML page is read

    doc = trafilatura.bare_extraction(
        data, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    body = getattr(doc, "text", None) if doc is not None else None
    # a page in a language written without spaces (Japanese, Chinese) has few "words"
    if not body or (len(body.split()) < 20 and len(body) < 200):
        raise InputError(origin, "HTML page holds no article text (trafilatura found none)")
    page_url = getattr(doc, "url", None) or url
    source = (
        getattr(doc, "sitename", None)
        or (source_from_url(page_url) if page_url and urlparse(page_url).netloc else None)
        or source_from_origin(origin)
    )
    return Article(
        id="",
        source=source,
        origin=origin,
        text=body,
        title=getattr(doc, "title", None),
        url=page_url,
        author=getattr(doc, "author", None),
        published=parse_date(getattr(doc, "date", None)),
    )
