"""Metadata helpers shared by the readers: source names from URLs, dates."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlparse


def source_from_url(url: str) -> str:
    """``https://www.example.co.uk/x`` -> ``example.co.uk``."""
    host = urlparse(url).netloc.lower().split("@")[-1].split(":")[0]
    return host.removeprefix("www.") or url


def parse_date(value: object) -> datetime | None:
    """An ISO date or datetime string to a ``datetime``; None when absent or unreadable."""
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        pass
    import dateparser  # slow to import: only when an ISO parse failed

    parsed: datetime | None = dateparser.parse(
        value, settings={"RETURN_AS_TIMEZONE_AWARE": False}
    )
    return parsed
