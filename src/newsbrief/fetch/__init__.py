"""Fetching feeds and article pages over HTTP, politely, into the store.

The modules, in the order a fetch runs through them:

* ``settings``: ``FetchSettings``, every limit and its default;
* ``urls``: normalised and canonical URLs (tracking parameters dropped);
* ``client``: ``Client``, httpx with robots.txt, per-host delay, a concurrency cap,
  conditional GET, retries, redirect, size and type limits;
* ``feeds``: a feed's items (feedparser) and feed lists (text or OPML);
* ``pages``: a page's charset, its article (``readers.html``), its canonical URL;
* ``run``: passes over URLs or feeds into the store through ``ingest``;
* ``health``: the feeds' health as a table.

Every failure is a ``FetchError`` (an ``InputError``) whose ``name`` is one of
``NAMES``; a run turns each into a ``Problem`` for that feed or page and goes on.
"""

from newsbrief.fetch.client import Client, Response
from newsbrief.fetch.health import format_feeds
from newsbrief.fetch.problems import NAMES, FetchError
from newsbrief.fetch.run import (
    FetchReport,
    feed_health,
    fetch_into,
    fetch_urls,
    watch,
    watch_into,
    watch_once,
)
from newsbrief.fetch.settings import FetchSettings
from newsbrief.fetch.urls import canonical_url, normalize_url

__all__ = [
    "NAMES",
    "Client",
    "FetchError",
    "FetchReport",
    "FetchSettings",
    "Response",
    "canonical_url",
    "feed_health",
    "fetch_into",
    "fetch_urls",
    "format_feeds",
    "normalize_url",
    "watch",
    "watch_into",
    "watch_once",
]
