"""The summarizers evaluation/summaries.py compares: newsbrief, Lead, sumy's LexRank and
TextRank, each on the same spaCy sentences and cut to the same number of words.

* ``newsbrief``: ``newsbrief.brief(articles, words=N)``, the summary's sentences.
* ``lead``: the first sentence of each article in turn, then the second, ... until N words.
* ``lexrank`` / ``textrank``: sumy's summarizers on the same spaCy sentences
  (sumy's English Snowball stemmer and stop words; a regex word tokenizer, since
  NLTK's tokenizer data cannot be downloaded), best-rated sentences until N words,
  in document order.

Baselines split each article line by line with ``newsbrief.sentences.sentence_pipeline()``
and skip a sentence whose text (case and spacing aside) they already have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import Any

from newsbrief.model import Article
from newsbrief.sentences import sentence_pipeline

__all__ = [
    "BASELINES",
    "SYSTEMS",
    "SystemFn",
    "budget",
    "cut",
    "lead",
    "lexrank",
    "newsbrief_system",
    "sentence_key",
    "split_article",
    "split_reference",
    "split_text",
    "sumy_document",
    "textrank",
]

SystemFn = Callable[[Sequence[Article], int], list[str]]
"""A summarizer: the articles of one story and a length in words -> summary sentences."""

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


# --------------------------------------------------------------------------- sentences


def split_text(text: str) -> list[str]:
    """Sentences of a text, line by line, with the spaCy sentencizer newsbrief uses."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for doc in sentence_pipeline().pipe(lines, batch_size=256):
        for sent in doc.sents:
            s = _SPACE.sub(" ", sent.text).strip()
            if s:
                out.append(s)
    return out


def split_article(article: Article) -> list[str]:
    """An article's sentences, as every baseline sees them."""
    return split_text(article.text)


def split_reference(reference: str) -> list[str]:
    """The human summary's sentences, without Multi-News's leading "– "."""
    return split_text(reference.strip().removeprefix("–").strip())


def cut(sentences: Iterable[str], words: int) -> list[str]:
    """The first ``words`` words of the sentences, sentence boundaries kept."""
    out: list[str] = []
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        if not tokens:
            continue
        out.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return out


def sentence_key(sentence: str) -> str:
    """A sentence compared case- and spacing-blind: how baselines spot a repeat."""
    return _SPACE.sub(" ", sentence).strip().lower()


# --------------------------------------------------------------------------- systems


def newsbrief_system(articles: Sequence[Article], words: int) -> list[str]:
    """newsbrief itself: the brief's summary sentences.

    The optional sections (quotes, disputes, additions, timeline) are switched
    off: they do not change the summary, and their cost is measured on its own
    by benchmarks/bench_brief.py.
    """
    import newsbrief

    settings = newsbrief.Settings(words=words, sections=False)
    return [s.text for s in newsbrief.brief(articles, settings=settings).summary]


def lead(articles: Sequence[Article], words: int) -> list[str]:
    """First sentence of each article in turn, then the second, ... until ``words`` words."""
    per_article = [split_article(a) for a in articles]
    out: list[str] = []
    seen: set[str] = set()
    count = 0
    depth = 0
    while count < words and any(depth < len(s) for s in per_article):
        for sentences in per_article:
            if count >= words:
                break
            if depth >= len(sentences) or sentence_key(sentences[depth]) in seen:
                continue
            seen.add(sentence_key(sentences[depth]))
            out.append(sentences[depth])
            count += len(sentences[depth].split())
        depth += 1
    return out


class _Words:
    """sumy's tokenizer interface without NLTK data: words are runs of letters and digits."""

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(text))

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        return tuple(split_text(text))


def sumy_document(articles: Sequence[Article]) -> Any:
    """sumy's ``ObjectDocumentModel`` built from the spaCy sentences, one paragraph an article."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    words = _Words()
    seen: set[str] = set()
    paragraphs = []
    for article in articles:
        sentences = []
        for text in split_article(article):
            if sentence_key(text) in seen:
                continue
            seen.add(sentence_key(text))
            sentences.append(Sentence(text, words))
        if sentences:
            paragraphs.append(Paragraph(sentences))
    return ObjectDocumentModel(paragraphs)


def budget(words: int) -> Callable[[list[Any]], list[Any]]:
    """A sumy sentence count: best-rated sentences (sumy sorts them) until ``words`` words."""

    def take(infos: list[Any]) -> list[Any]:
        chosen: list[Any] = []
        count = 0
        for info in infos:
            if count >= words:
                break
            chosen.append(info)
            count += len(str(info.sentence).split())
        return chosen

    return take


@cache
def _english() -> tuple[Any, frozenset[str]]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    return Stemmer("english"), frozenset(get_stop_words("english"))


def _sumy(kind: str, articles: Sequence[Article], words: int) -> list[str]:
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    stemmer, stop_words = _english()
    summarizer = LexRankSummarizer(stemmer) if kind == "lexrank" else TextRankSummarizer(stemmer)
    summarizer.stop_words = stop_words
    document = sumy_document(articles)
    return [str(s) for s in summarizer(document, budget(words))]


def lexrank(articles: Sequence[Article], words: int) -> list[str]:
    """sumy's LexRank on the spaCy sentences."""
    return _sumy("lexrank", articles, words)


def textrank(articles: Sequence[Article], words: int) -> list[str]:
    """sumy's TextRank on the spaCy sentences."""
    return _sumy("textrank", articles, words)


SYSTEMS: dict[str, SystemFn] = {
    "newsbrief": newsbrief_system,
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
}
BASELINES = ("lead", "lexrank", "textrank")
