"""Sentences: split once, the splitter's mistakes repaired once, for every later stage.

Splitting uses spaCy's rule-based ``sentencizer`` (``nlp.sentence_pipeline``):
fast, no model weights, and right on most news prose. Its mistakes are mended
here, paragraph by paragraph, so that the summary, quotes, what each source adds
and the timeline all read the same sentences:

1. *Titles and abbreviations* ("Maj. Adrian Rankine-Galloway", "Mr. Spicer",
   "Jan. 22") never end a sentence: the tokenizer keeps them whole
   (``nlp.ABBREVIATIONS``), so the sentencizer does not see a full stop there.
2. *Continuations*: a piece that starts with a small letter goes on the sentence
   before it. The sentencizer ends a sentence at every "?", "!" or ".", so it cuts
   after a quote that ends in one (“You see that?” | he told me.) and after an
   abbreviation it does not know (840 Park Ave. | for three months).
3. *Opening quote marks*: the sentencizer keeps a quote mark that follows a full
   stop with the sentence before it (...the attendees. “ | We had to act...);
   the mark goes back to the sentence it opens.

What the tokenizer is given is bounded, so one hostile paragraph cannot stop the
brief of the others: a paragraph longer than ``MAX_PARAGRAPH_CHARS`` is split into
pieces at spaces (spaCy refuses a text over its ``max_length``), and a run of
punctuation marks longer than ``MAX_PUNCTUATION_RUN`` is read as that many marks
and spaces (the tokenizer's time grows with the square of such a run). Both keep
every offset; the reader of the file notes them (``readers.oversized``). A
"sentence" over ``MAX_SENTENCE_CHARS`` is cut at spaces, so no later stage reads
one longer.

Every sentence's ``start``/``end`` point into ``CleanArticle.text`` and its
``text`` is that slice with runs of whitespace collapsed to one space, after
every repair.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbrief.model import CleanArticle, Sentence
from newsbrief.nlp import sentence_pipeline
from newsbrief.readers import PUNCTUATION_RUN
from newsbrief.settings import MAX_PARAGRAPH_CHARS, MAX_PUNCTUATION_RUN, MAX_SENTENCE_CHARS

__all__ = ["sentence_pipeline", "split_sentences"]

_SPACE = re.compile(r"\s+")
_OPENING_MARK = re.compile(r"(?:[“‘]|(?<=\s)\")$")
"""A quote mark that opens a quote: curly marks face their quote; a straight one opens
after a space."""

Span = tuple[int, int]


def _pieces(text: str, doc_sents: Sequence[Span], offset: int) -> list[Span]:
    """The sentencizer's sentences as spans of ``text``, surrounding whitespace left out."""
    out: list[Span] = []
    for start, end in doc_sents:
        start += offset
        end += offset
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            out.append((start, end))
    return out


def _join_continuations(text: str, spans: list[Span]) -> list[Span]:
    """Repair 2: a piece that starts with a small letter continues the sentence before it."""
    out: list[Span] = []
    for start, end in spans:
        if out and text[start].islower():
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _move_opening_marks(text: str, spans: list[Span]) -> list[Span]:
    """Repair 3: a quote mark left at the end of a sentence goes to the sentence it opens."""
    out = list(spans)
    for k in range(len(out) - 1):
        start, end = out[k]
        if _OPENING_MARK.search(text[start:end]) is None:
            continue
        mark = end - 1
        kept = mark
        while kept > start and text[kept - 1].isspace():
            kept -= 1
        out[k] = (start, kept)
        out[k + 1] = (mark, out[k + 1][1])
    return [(start, end) for start, end in out if start < end]  # a mark alone is no sentence


def _repair(text: str, spans: Sequence[Span]) -> list[Span]:
    """Every repair, in order, on the sentence spans of one paragraph of ``text``."""
    return _move_opening_marks(text, _join_continuations(text, list(spans)))


def _bounded_pieces(text: str, start: int, end: int, limit: int) -> list[Span]:
    """The span ``start:end`` of ``text`` in pieces of at most ``limit`` characters, each
    cut after the last space before that length (a hard cut where there is none)."""
    out: list[Span] = []
    while end - start > limit:
        space = text.rfind(" ", start + 1, start + limit)
        cut = space + 1 if space > start else start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _bounded_sentences(text: str, spans: list[Span]) -> list[Span]:
    """Each sentence over ``MAX_SENTENCE_CHARS`` cut into pieces, surrounding spaces left out."""
    out: list[Span] = []
    for start, end in spans:
        for s, e in _bounded_pieces(text, start, end, MAX_SENTENCE_CHARS):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((s, e))
    return out


def _tokenizer_text(text: str) -> str:
    """``text`` as the tokenizer reads it, of the same length so that offsets hold: each run
    of punctuation over ``MAX_PUNCTUATION_RUN`` marks keeps its first marks, the rest are
    read as spaces."""
    return PUNCTUATION_RUN.sub(
        lambda m: m[0][:MAX_PUNCTUATION_RUN] + " " * (len(m[0]) - MAX_PUNCTUATION_RUN), text
    )


def split_sentences(articles: Sequence[CleanArticle]) -> list[Sentence]:
    """Every sentence of every cleaned article, repaired, with offsets into the cleaned text."""
    nlp = sentence_pipeline()
    jobs: list[tuple[CleanArticle, int, int]] = []
    texts: list[str] = []
    for article in articles:
        for p_index, para in enumerate(article.paragraphs):
            for start, end in _bounded_pieces(article.text, para.start, para.end,
                                              MAX_PARAGRAPH_CHARS):
                jobs.append((article, p_index, start))
                texts.append(_tokenizer_text(article.text[start:end]))
    out: list[Sentence] = []
    counters: dict[str, int] = {}
    for (article, p_index, offset), doc in zip(jobs, nlp.pipe(texts, batch_size=256), strict=True):
        raw = _pieces(article.text, [(s.start_char, s.end_char) for s in doc.sents], offset)
        for start, end in _bounded_sentences(article.text, _repair(article.text, raw)):
            n = counters.get(article.id, 0)
            counters[article.id] = n + 1
            out.append(
                Sentence(
                    id=f"{article.id}.s{n}",
                    article_id=article.id,
                    index=n,
                    paragraph=p_index,
                    start=start,
                    end=end,
                    text=_SPACE.sub(" ", article.text[start:end]),
                )
            )
    return out
