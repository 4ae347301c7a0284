"""Cleaned articles built straight from text, for tests of the stages after cleaning."""

from __future__ import annotations

from datetime import datetime

from newsbrief.model import Article, CleanArticle, Paragraph, Removed


def cleaned(text: str, article_id: str = "a0", source: str | None = None,
            removed: tuple[Removed, ...] = (), published: datetime | None = None,
            title: str | None = None) -> CleanArticle:
    """A cleaned article with one paragraph a line (no cleaning rules applied); the original
    text is the text given, and ``removed`` is kept as given."""
    paragraphs = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            paragraphs.append(Paragraph(pos, pos + len(line), pos, pos + len(line)))
        pos += len(line) + 1
    name = source or article_id
    article = Article(id=article_id, source=name, origin=f"{name}.txt", text=text,
                      title=title, published=published)
    return CleanArticle(article=article, text=text, paragraphs=tuple(paragraphs), removed=removed,
                        title=title)
