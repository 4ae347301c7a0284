"""Stories out to a reader's tools: an Atom 1.0 feed and JSON records of listed stories.

Takes the store's story records (``newsbrief.store.StoryInfo``) by their shape only, as
``render`` imports no store. The XML is made by ``xml.etree.ElementTree``, which escapes
every value; characters XML 1.0 cannot hold at all (most control characters) are dropped.

An entry's summary is the story's label (key terms) and its article and source counts.
Given ``contents`` (issue 14: ``newsbrief.feed_briefs``, the story's update brief as an HTML
fragment and its last arrival time), an entry also has that brief as its ``content``
(``type="html"``, ending in a link to the story page) and that time as ``updated``.
Without it, ``updated`` is the story's newest publication time; a story with no dated
article gets the stable ``UNDATED`` time (1970-01-01), not the time the feed is made, so
that readers do not see it change on every poll, and comes last.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

__all__ = ["ATOM_MEDIA_TYPE", "DEFAULT_BASE_URL", "UNDATED", "StoryRecord", "stories_to_atom",
           "stories_to_json", "story_records"]

ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
FEED_TITLE = "newsbrief stories"
UNDATED = datetime(1970, 1, 1, tzinfo=UTC)
"""The ``updated`` time of a story none of whose articles is dated."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class StoryRecord(Protocol):
    """What the feed reads of a listed story (``newsbrief.store.StoryInfo`` has it)."""

    @property
    def id(self) -> int: ...
    @property
    def size(self) -> int: ...
    @property
    def sources(self) -> int: ...
    @property
    def first(self) -> datetime | None: ...
    @property
    def last(self) -> datetime | None: ...
    @property
    def label(self) -> str: ...
    @property
    def headline(self) -> str | None: ...
    @property
    def lede(self) -> str | None: ...


class EntryContent(Protocol):
    """An entry's brief (``newsbrief.feed_briefs.EntryBrief`` has it)."""

    @property
    def updated(self) -> datetime: ...
    @property
    def html(self) -> str: ...


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def _utc(when: datetime) -> datetime:
    return (when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC))


def _rfc3339(when: datetime) -> str:
    return _utc(when).strftime("%Y-%m-%dT%H:%M:%SZ")


def _iso(when: datetime | None) -> str | None:
    return None if when is None else _utc(when).isoformat()


def story_title(story: StoryRecord) -> str:
    """The story's headline, else its label, else ``Story ID``."""
    return story.headline or story.label or f"Story {story.id}"


def story_url(story: StoryRecord, base_url: str) -> str:
    """The story page under ``base_url`` (``http://HOST:PORT``): ``.../stories/ID``."""
    return f"{base_url.rstrip('/')}/stories/{story.id}"


def updated(story: StoryRecord) -> datetime:
    """When the story last changed as far as its record tells: its newest publication
    time, else ``UNDATED``."""
    return _utc(story.last or story.first or UNDATED)


def story_summary(story: StoryRecord) -> str:
    """One line from the record alone: counts, time span and key terms."""
    articles = f"{story.size} article{'s' if story.size != 1 else ''}"
    sources = f"{story.sources} source{'s' if story.sources != 1 else ''}"
    text = f"{articles} from {sources}"
    if story.first and story.last:
        text += f", {_utc(story.first):%Y-%m-%d} .. {_utc(story.last):%Y-%m-%d}"
    if story.label:
        text += f". Key terms: {story.label}"
    return text + "."


def story_records(
    stories: Sequence[StoryRecord], base_url: str | None = None
) -> list[dict[str, Any]]:
    """The stories as JSON-ready dicts, in the order given; ``url`` when ``base_url``."""
    records = []
    for s in stories:
        record: dict[str, Any] = {
            "id": s.id, "title": story_title(s), "headline": s.headline, "lede": s.lede,
            "label": s.label,
            "articles": s.size, "sources": s.sources, "first": _iso(s.first),
            "last": _iso(s.last), "updated": _iso(updated(s)),
        }
        if base_url:
            record["url"] = story_url(s, base_url)
        records.append(record)
    return records


def stories_to_json(stories: Sequence[StoryRecord], base_url: str | None = None) -> str:
    """A JSON list of story records (see ``story_records``), ending in a newline."""
    return json.dumps(story_records(stories, base_url), ensure_ascii=False, indent=2) + "\n"


def stories_to_atom(
    stories: Sequence[StoryRecord], base_url: str = DEFAULT_BASE_URL,
    now: datetime | None = None, contents: Mapping[int, EntryContent] | None = None,
) -> str:
    """An Atom 1.0 feed (RFC 4287) of the stories, newest update first: each entry has the
    story page's URL as id and link, its title, updated time and record summary, and with
    ``contents`` its brief as content (see the module docstring). The feed's own
    ``updated`` is its newest entry's, else ``now`` (default: the clock)."""
    now = _utc(now or datetime.now(tz=UTC))
    base = base_url.rstrip("/")
    contents = contents or {}

    def when(story: StoryRecord) -> datetime:
        found = contents.get(story.id)
        return _utc(found.updated) if found is not None else updated(story)

    # Stable: stories of one time (undated ones, say) keep the order given (the store's
    # most recently saved first).
    ordered = sorted(stories, key=when, reverse=True)
    newest = when(ordered[0]) if ordered else UNDATED
    ET.register_namespace("", ATOM_NS)

    def sub(parent: ET.Element, tag: str, text: str | None = None,
            **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = _xml_text(text)
        return element

    feed = ET.Element(f"{{{ATOM_NS}}}feed")
    sub(feed, "id", f"{base}/feed.atom")
    sub(feed, "title", FEED_TITLE)
    sub(feed, "updated", _rfc3339(newest if newest > UNDATED else now))
    sub(feed, "link", rel="self", type=ATOM_MEDIA_TYPE, href=f"{base}/feed.atom")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{base}/")
    sub(sub(feed, "author"), "name", "newsbrief")
    sub(feed, "generator", "newsbrief")
    for story in ordered:
        url = story_url(story, base)
        entry = sub(feed, "entry")
        sub(entry, "id", url)
        sub(entry, "title", story_title(story))
        sub(entry, "updated", _rfc3339(when(story)))
        if story.first:
            sub(entry, "published", _rfc3339(story.first))
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        sub(entry, "summary", story_summary(story), type="text")
        content = contents.get(story.id)
        if content is not None:
            link = f'<p><a href="{html.escape(url)}">Read the whole story</a></p>'
            sub(entry, "content", f"{content.html}\n{link}", type="html")
    ET.indent(feed)
    return ET.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
