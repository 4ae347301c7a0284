"""What the templates are given: plain records built from library types, no logic in templates.

The brief page reuses ``newsbrief.render.html`` (``article_segments``, ``anchor_id``) so the
served page and the standalone HTML file mark the same sentences with the same ids.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlparse

from newsbrief.model import Brief, CleanArticle, Removed
from newsbrief.render.common import copied_passages, copy_of, source_numbers
from newsbrief.render.html import Segment, anchor_id, article_segments

__all__ = [
    "EXTRA_SECTIONS", "ArticleView", "Block", "BriefView", "Section", "StoryRow", "brief_view",
    "plain",
]

EXTRA_SECTIONS: dict[str, str] = {
    "quotes": "Quotes",
    "disputes": "Where sources disagree",
    "additions": "What only one source adds",
    "timeline": "Timeline",
}
"""Optional sections of a brief, by attribute, in page order."""


@dataclass(frozen=True, slots=True)
class StoryRow:
    """One line of the stories page."""

    id: str
    label: str
    """The story's headline, else its key terms."""
    articles: int
    sources: int
    first: datetime | None = None
    last: datetime | None = None
    terms: str = ""
    """The story's key terms, when ``label`` is a headline."""
    lede: str = ""
    """The first sentence of its headline article (``newsbrief.lede``)."""
    outlets: tuple[str, ...] = ()
    """Its outlets' names (``outlets.OutletTable``), most articles first."""
    updated: datetime | None = None
    """When the store last changed the story (its newest arrival, or a correction)."""
    coverage: str = ""
    """Its outlets by kind: "3 outlets: 2 left, 1 right; US 2, UK 1"."""

    @property
    def updated_text(self) -> str:
        """When it was updated, in words ("" when unknown)."""
        return "" if self.updated is None else f"{self.updated:%d %b %Y %H:%M} UTC"

    @property
    def span(self) -> str:
        """The time the story's articles cover, in words ("" when no article has a date)."""
        if self.first is None or self.last is None:
            return ""
        first, last = f"{self.first:%d %b %Y}", f"{self.last:%d %b %Y}"
        return first if first == last else f"{first} – {last}"

    def to_dict(self) -> dict[str, Any]:
        """The row as JSON-ready data (the API's story summary)."""
        return {
            "id": self.id,
            "label": self.label,
            "terms": self.terms,
            "articles": self.articles,
            "sources": self.sources,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "lede": self.lede,
            "outlets": list(self.outlets),
            "coverage": self.coverage,
            "updated": self.updated.isoformat() if self.updated else None,
        }


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph of an article in original order: kept (with segments) or removed."""

    segments: list[Segment] | None = None
    removed: Removed | None = None


@dataclass(frozen=True, slots=True)
class ArticleView:
    """One source column: the cleaned text with citations and copies marked, removals inline."""

    article: CleanArticle
    number: int
    blocks: list[Block]
    copy_of: int | None
    copy_share: float
    link: str | None
    """The article's URL when it is a plain http(s) link (never ``javascript:`` and the like)."""


@dataclass(frozen=True, slots=True)
class BriefView:
    """Everything the brief template shows."""

    brief: Brief
    number: dict[str, int]
    articles: list[ArticleView]
    passages: list[tuple[str, str, int]]
    """(copy source, original source, passages copied), for the "copies found" list."""
    sections: list[Section]
    anchor: Callable[[str], str]
    removed_count: int


def _safe_link(url: str | None) -> str | None:
    if not url:
        return None
    return url if urlparse(url).scheme in ("http", "https") else None


def _blocks(brief: Brief, article: CleanArticle) -> list[Block]:
    """Kept paragraphs and removed spans, merged in the order they had in the input."""
    segments = article_segments(brief, article)
    placed: list[tuple[int, Block]] = [
        (para.original_start, Block(segments=segs))
        for para, segs in zip(article.paragraphs, segments, strict=True)
    ]
    placed += [(r.start, Block(removed=r)) for r in article.removed]
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


def plain(value: Any) -> Any:
    """A value as plain data (dataclasses to dicts), for generic display and for JSON."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


@dataclass(frozen=True, slots=True)
class Section:
    """An optional part of the brief page: quotes, disputes, additions, timeline, or other."""

    kind: str
    """A key of ``EXTRA_SECTIONS`` (shown by its own template macro), or ``other``."""
    title: str
    items: list[Any]


def _sections(brief: Brief) -> list[Section]:
    """The optional sections the brief holds, in page order."""
    out: list[Section] = []
    for name, title in EXTRA_SECTIONS.items():
        value: Any = getattr(brief, name, None)
        if value:
            out.append(Section(name, title, list(value)))
    return out


def brief_view(brief: Brief) -> BriefView:
    """The view of one brief for ``brief.html.j2``."""
    number = source_numbers(brief)
    copies = copy_of(brief)
    articles = [
        ArticleView(
            article=a,
            number=number[a.id],
            blocks=_blocks(brief, a),
            copy_of=number[copies[a.id][0]] if a.id in copies else None,
            copy_share=copies[a.id][1] if a.id in copies else 0.0,
            link=_safe_link(a.article.url),
        )
        for a in brief.articles
    ]
    passages = [
        (f"[{number[c]}] {brief.article(c).source}", f"[{number[o]}] {brief.article(o).source}", n)
        for (c, o), n in sorted(copied_passages(brief).items())
    ]
    return BriefView(
        brief=brief,
        number=number,
        articles=articles,
        passages=passages,
        sections=_sections(brief),
        anchor=lambda sentence_id: anchor_id(0, sentence_id),
        removed_count=sum(len(a.removed) for a in brief.articles),
    )
