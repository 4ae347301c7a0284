"""Plain-text articles: one article a file, the first line possibly a headline."""

from __future__ import annotations

from pathlib import Path

from newsbrief.errors import InputError
from newsbrief.model import Article


def source_from_origin(origin: str) -> str:
    """The fallback source name: the file name without its extensions."""
    name = Path(origin.split(":", 1)[0] if "://" not in origin else origin).name
    return name.split(".", 1)[0] or name


def read_text(text: str, origin: str) -> Article:
    """One plain-text article. Boilerplate is kept: cleaning is the next stage's job."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(origin, "file holds only whitespace")
    return Article(id="", source=source_from_origin(origin), origin=origin, text=text)
