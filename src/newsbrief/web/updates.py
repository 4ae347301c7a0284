"""What is new, on the web: the update brief of a story since a time or the last visit.

The story page shows "New since your last visit" when articles arrived after the story's
read mark (``Store.last_read``), then sets the mark; ``?since=TIME`` shows what is new since
TIME. The JSON API gives the update brief for ``?since=`` and never moves the mark (a
program polling it is no reader). A store without read marks shows whole briefs only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, cast

from newsbrief.model import Brief
from newsbrief.pipeline import brief_story
from newsbrief.settings import Settings
from newsbrief.store import Store
from newsbrief.update import read_up_to, story_update

__all__ = ["briefs_since", "has_marks", "mark_visit", "update_brief_since", "visible_articles",
           "visit_since"]

_MARKS = ("arrivals", "last_read", "mark_read")


def has_marks(store: Any) -> bool:
    """Whether the store keeps arrival times and read marks (both of newsbrief's do)."""
    return all(callable(getattr(store, name, None)) for name in _MARKS)


def visit_since(store: Any, story_id: str) -> datetime | None:
    """The story's read mark when an article arrived after it, else None (never read, or
    nothing new)."""
    if not has_marks(store):
        return None
    marks = cast(Store, store)
    last = marks.last_read(story_id)
    if last is None:
        return None
    return last if any(t > last for t in marks.arrivals(story_id).values()) else None


def visible_articles(store: Any, story_id: str) -> list[str]:
    """The ids of the story's stored articles now (none for a store without marks)."""
    return list(cast(Store, store).arrivals(story_id)) if has_marks(store) else []


def mark_visit(store: Any, story_id: str, shown: Iterable[str]) -> None:
    """Mark the story read up to the latest arrival among the articles shown
    (``update.read_up_to``; a store without marks is left as it is)."""
    if has_marks(store):
        read = read_up_to(cast(Store, store), story_id, shown)
        if read is not None:
            cast(Store, store).mark_read(story_id, read)


def update_brief_since(store: Any, story_id: str, since: datetime, words: int) -> Brief:
    """The update brief of the story since ``since`` (``update.story_update``)."""
    if not has_marks(store):
        from newsbrief.errors import SettingsError

        raise SettingsError("this store keeps no arrival times: ?since= needs a newsbrief store")
    return story_update(cast(Store, store), int(story_id), since, Settings(words=words))


def briefs_since(store: Any, story_id: str, since: datetime, words: int) -> tuple[Brief, Brief]:
    """The whole brief of the story and its update brief since ``since``, numbered alike
    (the store's order), for the story page."""
    whole = brief_story(cast(Store, store), story_id, Settings(words=words))
    return whole, update_brief_since(store, story_id, since, words)
