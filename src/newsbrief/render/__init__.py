"""Render a ``Brief`` as Markdown, JSON (schema ``newsbrief.brief/1``) or one HTML page."""

from __future__ import annotations

from newsbrief.errors import SettingsError
from newsbrief.model import Brief
from newsbrief.render.html import to_html
from newsbrief.render.json import SCHEMA, to_dict, to_json
from newsbrief.render.markdown import to_markdown
from newsbrief.settings import FORMATS

__all__ = ["FORMATS", "SCHEMA", "render", "to_dict", "to_html", "to_json", "to_markdown"]


def render(briefs: list[Brief], fmt: str = "md", show_removed: bool = False) -> str:
    """One or more briefs in the named format."""
    if fmt == "md":
        return "\n\n---\n\n".join(to_markdown(b, show_removed=show_removed) for b in briefs)
    if fmt == "json":
        return to_json(briefs)
    if fmt == "html":
        return to_html(briefs, show_removed=show_removed)
    raise SettingsError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
