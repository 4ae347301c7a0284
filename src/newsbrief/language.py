"""Which articles are in English: the rest are reported and left out of a brief.

Summaries, stems, stop words and the spaCy model are English; an article in another
language would be summarised as if it were English. The detector is py3langid (the
langid.py model, shipped in its wheel). A whole text is not classified at once: a few
sentences of Korean or Russian outweigh pages of English in a naive-Bayes score, so an
English article quoting a foreign paragraph would be lost. Instead the text is cut
into chunks of about ``CHUNK_CHARS`` (whole lines), each chunk is judged English or
not only when the detector is confident (``CONFIDENCE``), and an article is left out
when at least ``OTHER_SHARE`` of the judged text is not English. Texts with under
``MIN_JUDGED_CHARS`` judged characters are kept: too short to say.

Measured (``evaluation/input_stories_eval.py language``) on the 181 gold texts of
../shared/data/article-extraction (161 English, 20 in 8 other languages), 200 DUC 2007
articles and the seeds (366 English texts in all): no English text left out, whole or
cut to its first 30 to 500 characters; every other one left out, whole or cut to 250
characters or more (10 of 20 at 120, none under: ``MIN_JUDGED_CHARS``). Without that
minimum, 6 of the 366 English texts cut to 60 characters were left out. English
articles with 10% to 40% of their length in another language appended: 1 or 2 of 150
left out; judging each whole text at once instead, 66 of 150 at 10%.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any

from newsbrief.model import Article, Problem

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CHUNK_CHARS",
    "CONFIDENCE",
    "MIN_JUDGED_CHARS",
    "OTHER_SHARE",
    "english_only",
    "other_language",
]

CHUNK_CHARS = 200
"""Lines are joined into chunks of at least this many characters before each is judged:
about a paragraph, long enough for the detector (on 60-character prefixes it is wrong
for 2% of English texts; from 120 on, for none measured)."""
CONFIDENCE = 0.99
"""A chunk counts as English when the detector gives English at least this probability,
as not English when it gives it at most 1 - this; in between it is not judged (a table
of names and figures, a line of code)."""
MAX_JUDGED_CHARS = 20_000
"""Characters of an article judged at most (its beginning): enough to tell, and the cost
stays bounded whatever the article's length."""
MIN_JUDGED_CHARS = 120
"""An article with fewer judged characters is kept whatever they look like."""
OTHER_SHARE = 0.5
"""An article is left out when at least this share of its judged characters is not
English: a foreign quote in an English report stays."""
_LINES = re.compile(r"\n+")


@cache
def _rank() -> Callable[[str], list[tuple[str, Any]]]:
    """The detector's ranking of languages with normalised probabilities (loaded once)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_pickled_model(MODEL_FILE, norm_probs=True)
    return identifier.rank  # type: ignore[no-any-return]


def _chunks(text: str) -> list[str]:
    chunks: list[str] = []
    current = ""
    lines = [line[i : i + CHUNK_CHARS * 5] for line in _LINES.split(text[:MAX_JUDGED_CHARS])
             for i in range(0, max(len(line), 1), CHUNK_CHARS * 5)]  # the detector overflows
    for line in lines:                                                 # on 65,000-char lines
        current = f"{current}\n{line}" if current else line
        if len(current) >= CHUNK_CHARS:
            chunks.append(current)
            current = ""
    if current.strip():
        chunks.append(current)
    return chunks


_ENGLISH_WORDS = frozenset(
    "the of and to that for with said from which were have has this".split())  # noqa: SIM905
"""Function words of English that no other language written in Latin letters uses as
often (not "a", "in", "is", "was", "on": Dutch, German, Italian have them too)."""
_TOKENS = re.compile(r"[^\W\d_]+")
PLAIN_ENGLISH_SHARE = 0.12
"""Share of a text's words (of 30 or more) that are ``_ENGLISH_WORDS`` at which it is
English without asking the detector: news English runs at 0.15-0.25, French, German,
Spanish or Dutch text under 0.02. The detector costs 5-25 ms an article; a 10,000-article
input would spend minutes in it."""


def _plainly_english(text: str) -> bool:
    words = _TOKENS.findall(text[:5000].casefold())
    if len(words) < 30:
        return False
    return sum(w in _ENGLISH_WORDS for w in words) / len(words) >= PLAIN_ENGLISH_SHARE


def other_language(text: str) -> tuple[str, float] | None:
    """The language a text is written in when the detector is confident it is not
    English (its ISO 639-1 code, the most common among the non-English chunks) and
    the share of the judged text in other languages; None for English, mixed or
    too-short texts."""
    if _plainly_english(text):
        return None
    rank = _rank()
    english = 0
    other: Counter[str] = Counter()
    for chunk in _chunks(text):
        ranked = rank(chunk)
        p_english = next((float(p) for lang, p in ranked if lang == "en"), 0.0)
        if p_english >= CONFIDENCE:
            english += len(chunk)
        elif p_english <= 1.0 - CONFIDENCE:
            other[ranked[0][0]] += len(chunk)
    judged = english + sum(other.values())
    if judged < MIN_JUDGED_CHARS or not other:
        return None
    share = sum(other.values()) / judged
    return (other.most_common(1)[0][0], share) if share >= OTHER_SHARE else None


def english_only(articles: Iterable[Article]) -> tuple[list[Article], list[Problem]]:
    """The articles in English, and a note (a non-fatal ``Problem``) naming each one left
    out with the language found."""
    kept: list[Article] = []
    notes: list[Problem] = []
    for article in articles:
        found = other_language(article.text)
        if found is None:
            kept.append(article)
            continue
        lang, share = found
        notes.append(Problem(
            article.origin,
            f"left out: not in English (language detected: {lang}, {share:.0%} of its "
            "text); newsbrief summarises English articles only",
            fatal=False,
        ))
    return kept, notes
