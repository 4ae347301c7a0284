"""A story's one-line lede for the stories list, computed at ingest and stored.

The lede is the first sentence of the cleaned text of the story's headline article (the
most central titled article, ``stories.update_stories``); a story with no titled article
takes its first article of the batch that made it. Only the first kept paragraph is split
(``sentences.split_sentences``), so a lede costs one short parse per changed story. At
ingest that paragraph comes with the article's features (``Features.lead``, from the batch's
one cleaning), so an article is not cleaned twice; a correction cleans the stored article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from newsbrief.clean import clean
from newsbrief.model import Article, CleanArticle, Paragraph
from newsbrief.sentences import split_sentences

__all__ = ["LEAD_CHARS", "MAX_LEDE_CHARS", "lead_of", "lede", "ledes", "story_ledes"]

MAX_LEDE_CHARS = 300
"""A longer first sentence is cut at a word and ends in an ellipsis."""


LEAD_CHARS = 2 * MAX_LEDE_CHARS
"""How much of the first paragraph is kept to find its first sentence: a lede is cut at
``MAX_LEDE_CHARS`` anyway, and the sentence parse of a paragraph costs by its length."""


def lede(article: Article | CleanArticle) -> str | None:
    """The first sentence of the article's cleaned text (an ``Article`` is cleaned first),
    or None when cleaning kept nothing."""
    return ledes([article])[0]


def ledes(articles: Sequence[Article | CleanArticle]) -> list[str | None]:
    """``lede`` of each article, their first paragraphs parsed together (one spaCy pass)."""
    leads = [
        lead_of(a if isinstance(a, CleanArticle) else clean(a)) for a in articles
    ]
    # numbered afresh: the articles' own ids need not be unique across a batch's inputs
    leads = [replace(c, article=replace(c.article, id=f"l{i}")) for i, c in enumerate(leads)]
    first: dict[str, str] = {}
    for sentence in split_sentences([c for c in leads if c.paragraphs]):
        first.setdefault(sentence.article_id, sentence.text.strip())
    out: list[str | None] = []
    for c in leads:
        text = first.get(c.article.id, "")
        if len(text) > MAX_LEDE_CHARS:
            text = text[:MAX_LEDE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
        out.append(text or None)
    return out


def lead_of(cleaned: CleanArticle) -> CleanArticle:
    """The cleaned article cut to the start of its first kept paragraph (``LEAD_CHARS``, at
    a space): what ``lede`` reads."""
    if not cleaned.paragraphs:
        return replace(cleaned, text="", paragraphs=(), removed=())
    first = cleaned.paragraphs[0]
    text = cleaned.text[first.start : first.end]
    if len(text) > LEAD_CHARS:
        cut = text.rfind(" ", 0, LEAD_CHARS)
        text = text[: cut if cut > 0 else LEAD_CHARS]
    para = Paragraph(0, len(text), first.original_start, first.original_end)
    return replace(cleaned, text=text, paragraphs=(para,), removed=())


def story_ledes(
    batch: Sequence[tuple[int, Article | CleanArticle, str | None]],
    headlines: Mapping[int, str | None],
    changed: Mapping[int, bool],
) -> dict[int, str]:
    """New ledes for the stories a batch changed.

    ``batch``: (story id, article, title found) of each article just saved; ``headlines``:
    each updated story's headline now; ``changed``: whether its headline changed (or the
    story is new). A story gets a lede from the batch's article whose title is its
    headline; a new story without a headline, from its first article of the batch.
    """
    members: dict[int, list[tuple[Article | CleanArticle, str | None]]] = {}
    for sid, article, title in batch:
        members.setdefault(sid, []).append((article, title))
    chosen: dict[int, Article | CleanArticle] = {}
    for sid, headline in headlines.items():
        if not changed.get(sid):
            continue
        own = members.get(sid, [])
        pick = next((a for a, t in own if headline and t == headline), None)
        if pick is None and headline is None and own:
            pick = own[0][0]
        if pick is not None:
            chosen[sid] = pick
    found = ledes(list(chosen.values()))
    return {sid: text for sid, text in zip(chosen, found, strict=True) if text}
