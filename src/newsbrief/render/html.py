"""HTML: one self-contained page (no request leaves it). A click on a citation opens the
cited article and highlights the source sentence inside its paragraph."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from newsbrief.model import Brief, CleanArticle, sides
from newsbrief.render.common import (
    changed_figures,
    copied_passages,
    copy_of,
    in_number_order,
    source_numbers,
    update_heading,
    update_line,
)


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of a paragraph; ``anchor`` is set when a brief sentence cites it."""

    text: str
    anchor: str | None = None
    copied: bool = False


@cache
def environment() -> Environment:
    """The Jinja2 environment, autoescaping everything (article text is untrusted)."""
    env = Environment(
        loader=PackageLoader("newsbrief.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["sides"] = sides
    env.globals["in_number_order"] = in_number_order
    return env


def anchor_id(brief_index: int, sentence_id: str) -> str:
    """DOM id of a cited sentence."""
    return f"b{brief_index}-{sentence_id.replace('.', '-')}"


def article_segments(
    brief: Brief, article: CleanArticle, brief_index: int = 0
) -> list[list[Segment]]:
    """The article's paragraphs cut into segments, cited sentences and copied passages marked."""
    cited = sorted(
        {(c.start, c.end, c.sentence_id) for s in brief.summary for c in s.support
         if c.article_id == article.id}
    )
    copied = [(c.copy_start, c.copy_end) for c in brief.copies if c.copy_id == article.id]
    out: list[list[Segment]] = []
    for para in article.paragraphs:
        is_copy = any(s <= para.start and para.end <= e for s, e in copied)
        segs: list[Segment] = []
        pos = para.start
        for start, end, sid in cited:
            if start < para.start or end > para.end or start < pos:
                continue
            if start > pos:
                segs.append(Segment(article.text[pos:start], copied=is_copy))
            segs.append(Segment(article.text[start:end], anchor_id(brief_index, sid), is_copy))
            pos = end
        if pos < para.end:
            segs.append(Segment(article.text[pos : para.end], copied=is_copy))
        out.append(segs)
    return out


def to_html(briefs: list[Brief], show_removed: bool = False) -> str:
    """One HTML page holding every brief, with inline CSS and script only."""
    views = []
    for bi, brief in enumerate(briefs):
        views.append(
            {
                "index": bi,
                "brief": brief,
                "num": source_numbers(brief),
                "copies": copy_of(brief),
                "passages": copied_passages(brief),
                "segments": {a.id: article_segments(brief, a, bi) for a in brief.articles},
                "anchor": lambda sid, bi=bi: anchor_id(bi, sid),
                "update_heading": update_heading(brief),
                "update_line": update_line(brief),
                "changed": changed_figures(brief),
            }
        )
    template = environment().get_template("brief.html.j2")
    return template.render(views=views, show_removed=show_removed)
