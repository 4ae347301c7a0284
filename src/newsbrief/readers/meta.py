"""Metadata helpers shared by the readers: source names from URLs, dates."""

from __future__ import annotations

from datetime import UTC, datetime

from newsbrief.outlets import site_of


def source_from_url(url: str) -> str:
    """``https://www.example.co.uk/x`` -> ``example.co.uk`` (``outlets.site_of``); the URL
    itself when it names no host."""
    return site_of(url) or url


def _utc(moment: datetime | None) -> datetime | None:
    # every date compares with every other: a date without a zone is taken as UTC
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def parse_date(value: object) -> datetime | None:
    """A date or datetime (ISO or free text) as UTC; None when absent, unreadable or
    out of range (``0001-01-01T00:00+01:00`` is before year 1 in UTC)."""
    try:
        return _parse_date(value)
    except (ValueError, OverflowError):
        return None


def _parse_date(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return _utc(value)
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        return _utc(moment)
    import dateparser  # slow to import: only when an ISO parse failed

    parsed: datetime | None = dateparser.parse(
        value, settings={"RETURN_AS_TIMEZONE_AWARE": False}
    )
    return _utc(parsed)
