"""The watched feeds' health as a table: ``newsbrief feeds``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from newsbrief.store import FeedState

__all__ = ["format_feeds"]


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def format_feeds(feeds: Sequence[FeedState]) -> str:
    """One line per feed: last success, failures in a row, items seen, last status, the
    URL and title, and the last error under it where the last fetch failed."""
    if not feeds:
        return "no feeds (newsbrief watch FEEDLIST or newsbrief fetch FEED-URL adds them)\n"
    lines = [f"{'LAST OK':<16}  {'FAILS':>5}  {'ITEMS':>5}  {'STATUS':>6}  FEED"]
    for f in feeds:
        status = "-" if f.last_status is None else str(f.last_status)
        title = f"  ({f.title})" if f.title else ""
        lines.append(f"{_when(f.last_ok):<16}  {f.failures:>5}  {f.items_seen:>5}  "
                     f"{status:>6}  {f.url}{title}")
        if f.last_error:
            lines.append(f"{'':<16}  last error {_when(f.last_fetched)}: {f.last_error}")
    return "\n".join(lines) + "\n"
