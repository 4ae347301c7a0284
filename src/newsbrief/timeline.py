"""When: the story's dated events in order, each with the sentences and sources that report it.

1. *Publication dates*: ``Article.published`` where the input gives it, else a
   date line in the article: the spans cleaning removed (``24/01/2017 22:40 by
   admin``, ``24 January, 2017``) or the first lines of ``Article.text``.
   Articles with no date of their own take the story's (the date most of the
   others have), and say so.
2. *Date expressions*: around each date word (a weekday, a month, a year,
   "yesterday", "last week", ...; a regex) a window of words goes through
   spaCy's entity recogniser (``en_core_web_sm``'s NER only); its ``DATE``
   entities that name a point in time (not "two years") are kept.
3. *Resolution*: dateparser resolves each against its article's date: a
   weekday in a past-tense sentence is the last such day up to the publication
   day ("Monday" in a Tuesday paper is the day before), in a sentence about
   what will happen the next one ("a visit to the Pentagon Friday"). "Last
   week" and "this month" keep their precision (``week``, ``month``).
4. *Events*: mentions of one date whose sentences say the same thing (TF-IDF
   cosine) are one event listing every source; events are sorted by date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from newsbrief.model import CleanArticle, DateMention, Sentence, TimelineEvent
from newsbrief.nlp import entities
from newsbrief.quotes.marks import Unit, text_units

if TYPE_CHECKING:
    import numpy as np

__all__ = ["build_timeline", "publication_dates", "resolve_date"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_DATE_WORDS = re.compile(
    rf"\b(?:{_WEEKDAY}|{_MONTH}|(?:19|20)\d\d|yesterday|today|tomorrow|tonight|"
    r"(?:last|next|this|past|coming)\s+(?:week|month|year|weekend)|ago)\b"
)
"""A sentence worth sending to the entity recogniser for dates."""
_ANCHOR = re.compile(
    rf"\b(?:{_WEEKDAY}|{_MONTH}\s*\d{{1,2}}|\d{{1,2}}\s+{_MONTH}|{_MONTH}(?:\s+(?:19|20)\d\d)?$|"
    r"(?:19|20)\d\d|yesterday|today|tomorrow|tonight|"
    r"(?:last|next|this|past|coming)\s+(?:week|month|year|weekend)|ago)\b",
    re.I,
)
"""A date entity that names a point in time ("Monday", "Jan. 22"), not a length ("two years")."""
_DATELINE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d|"
    rf"\d{{1,2}}\s+{_MONTH},?\s+(?:19|20)\d\d|{_MONTH}\s+\d{{1,2}},?\s+(?:19|20)\d\d)\b"
)
"""A full date with its year, as date lines write it."""
_FUTURE = re.compile(
    r"\b(?:will|would|'ll|’ll|next|upcoming|scheduled|set to|plans? to|expected to|due to)\b",
    re.I,
)
_MODIFIERS = re.compile(
    r"^(?:on|in|by|since|until|from|the|early|late|earlier|later|this past|as of)\s+", re.I
)
_PART_OF_DAY = re.compile(r"\s+(?:morning|afternoon|evening|night)$", re.I)
_RANGE_BEFORE = re.compile(r"(?:\b(?:from|between)|(?:19|20)\d\d\s*(?:to|and|through|-|–))\s*$")
_RANGE_AFTER = re.compile(r"^\s*(?:to|and|through|-|–)\s*(?:19|20)\d\d")
"""A year that ends or starts a span ("from 2009 to 2012") names a period, not an event."""


@lru_cache(maxsize=64)  # one parser per publication date in play; bounded for `serve`
def _parser(base: datetime, prefer: str) -> Any:
    from dateparser.date import DateDataParser  # slow to import: only when dates are needed

    return DateDataParser(
        languages=["en"],
        settings={
            "RELATIVE_BASE": base,
            "PREFER_DATES_FROM": prefer,
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )


@lru_cache(maxsize=4096)
def _parse(text: str, base: datetime, prefer: str) -> tuple[date, str] | None:
    """dateparser's reading of an expression: the same "Monday" is parsed once."""
    data = _parser(base, prefer).get_date_data(text)
    if data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


def resolve_date(expression: str, published: date | None, future: bool = False) -> (
    tuple[date, str] | None
):
    """A date expression as (date, granularity), resolved against a publication date.

    Returns None when the expression names no point in time, or is relative
    ("Monday", "Jan. 22") and there is no date to resolve it against.
    """
    text = _PART_OF_DAY.sub("", _MODIFIERS.sub("", expression.strip()))
    text = _MODIFIERS.sub("", text)
    if not _ANCHOR.search(text):
        return None
    has_year = re.search(r"\b(?:19|20)\d\d\b", text) is not None
    if published is None and not has_year:
        return None
    if published is None:
        base = datetime(2000, 1, 1)
        prefer = "past"
    elif future:
        base = datetime.combine(published, datetime.min.time())
        prefer = "future"
    else:
        # a weekday named in the paper of that same day is that day, not a week before
        shift = 1 if re.search(_WEEKDAY, text) else 0
        base = datetime.combine(published + timedelta(days=shift), datetime.min.time())
        prefer = "past"
    parsed = _parse(text, base, prefer)
    if parsed is None:
        return None
    found, period = parsed
    if period == "time":
        period = "day"
    if period == "week":
        found -= timedelta(days=found.weekday())
    elif period == "month":
        found = found.replace(day=1)
    elif period == "year":
        found = found.replace(month=1, day=1)
    return found, period


def publication_dates(articles: Sequence[CleanArticle]) -> dict[str, date]:
    """Each article's publication date where the input or a date line gives one."""
    out: dict[str, date] = {}
    for a in articles:
        if a.article.published is not None:
            out[a.id] = a.article.published.date()
            continue
        places = [r.text for r in a.removed] + a.article.text.splitlines()[:6]
        for text in places:
            m = _DATELINE.search(text)
            if m is None:
                continue
            resolved = resolve_date(m.group(), None)
            if resolved is not None and resolved[1] == "day":
                out[a.id] = resolved[0]
                break
    return out


def build_timeline(
    articles: Sequence[CleanArticle],
    sentences: Sequence[Sentence],
    same_event: float = 0.35,
) -> list[TimelineEvent]:
    """The story's dated events in date order; empty when nothing can be dated."""
    published = publication_dates(articles)
    story_date: date | None = None
    if published:
        counts: dict[date, int] = {}
        for d in published.values():
            counts[d] = counts.get(d, 0) + 1
        story_date = max(counts, key=lambda d: (counts[d], d))
    units = [u for u in text_units(articles, sentences) if _DATE_WORDS.search(u.text)]
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article_id, []).append(s)
    mentions: list[tuple[date, str, DateMention]] = []
    for u, start, end in _date_entities(units):
        if _in_range(u.text, start, end):
            continue
        sentence = _sentence_at(by_article.get(u.article_id, []), u.start + start)
        mention = _mention(u, sentence, u.text[start:end], start, end, published, story_date)
        if mention is not None:
            mentions.append(mention)
    return _events(mentions, same_event)


_WINDOW = 60
"""Characters of context on each side of a date word that the recogniser reads."""


def _date_entities(units: Sequence[Unit]) -> list[tuple[Unit, int, int]]:
    """``DATE`` entities near the date words of each unit, as offsets into the unit.

    The recogniser reads a window of words around each date word, not the whole
    sentence: enough context to find "early Monday" or "Jan. 22, 2017", at a
    fraction of the cost.
    """
    windows: list[tuple[Unit, int, int]] = []
    for u in units:
        spans: list[list[int]] = []
        for m in _DATE_WORDS.finditer(u.text):
            start = u.text.rfind(" ", 0, max(0, m.start() - _WINDOW)) + 1
            end = u.text.find(" ", min(len(u.text), m.end() + _WINDOW))
            end = len(u.text) if end < 0 else end
            if spans and start <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], end)
            else:
                spans.append([start, end])
        windows += [(u, s, e) for s, e in spans]
    if not windows:
        return []
    # a window repeated word for word (syndicated copies) is read once
    texts = list(dict.fromkeys(u.text[s:e] for u, s, e in windows))
    dates = {
        text: [(ent.start_char, ent.end_char) for ent in doc.ents if ent.label_ == "DATE"]
        for text, doc in zip(texts, entities(texts), strict=True)
    }
    return [(u, s + a, s + b) for u, s, e in windows for a, b in dates[u.text[s:e]]]


def _sentence_at(sentences: Sequence[Sentence], at: int) -> Sentence | None:
    """The sentence of one article that holds position ``at``."""
    return next((s for s in sentences if s.start <= at < s.end), None)


def _in_range(text: str, start: int, end: int) -> bool:
    return (_RANGE_BEFORE.search(text[max(0, start - 16) : start]) is not None
            or _RANGE_AFTER.match(text[end : end + 16]) is not None)


def _mention(
    unit: Unit, sentence: Sentence | None, expression: str, start: int, end: int,
    published: dict[str, date], story_date: date | None,
) -> tuple[date, str, DateMention] | None:
    own = published.get(unit.article_id)
    base = own or story_date
    # the clause around the date says whether it lies ahead ("will visit ... Friday")
    clause = unit.text[max(0, start - 80) : end + 20]
    resolved = resolve_date(expression, base, future=_FUTURE.search(clause) is not None)
    if resolved is None:
        return None
    when, granularity = resolved
    has_year = re.search(r"\b(?:19|20)\d\d\b", expression) is not None
    basis = "absolute" if has_year else ("publication date" if own else "story date")
    text = sentence.text if sentence is not None else re.sub(r"\s+", " ", unit.text.strip())
    return when, granularity, DateMention(
        article_id=unit.article_id,
        sentence_id=sentence.id if sentence is not None else unit.sentence_id,
        expression=expression,
        start=unit.start + start,
        end=unit.start + end,
        sentence=text,
        basis=basis,
    )


def _events(mentions: Sequence[tuple[date, str, DateMention]], same_event: float) -> (
    list[TimelineEvent]
):
    """Mentions of one date that say the same thing become one event."""
    if not mentions:
        return []
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    texts = [m.sentence for _, _, m in mentions]
    try:
        matrix = normalize(TfidfVectorizer(sublinear_tf=True, stop_words="english")
                           .fit_transform(texts))
        sims = np.asarray((matrix @ matrix.T).toarray())
        centroid = np.asarray(matrix.mean(axis=0)).ravel()
        centrality = np.asarray(matrix @ centroid).ravel()
    except ValueError:  # only stop words
        sims = np.eye(len(texts))
        centrality = np.zeros(len(texts))
    by_date: dict[tuple[date, str], list[int]] = {}
    for i, (when, granularity, _) in enumerate(mentions):
        by_date.setdefault((when, granularity), []).append(i)
    order = {"year": 0, "month": 1, "week": 2, "day": 3}
    out: list[tuple[tuple[date, int, int], TimelineEvent]] = []
    for (when, granularity), rows in by_date.items():
        events: list[list[int]] = []
        for i in rows:
            for event in events:
                if sims[i, event].max() >= same_event:
                    event.append(i)
                    break
            else:
                events.append([i])
        for rank, event in enumerate(_diverse(events, sims, centrality)):
            ms = tuple(mentions[i][2] for i in event)
            ev = TimelineEvent(date=when, granularity=granularity, text=ms[0].sentence,
                               mentions=ms)
            out.append(((when, order[granularity], rank), ev))
    out.sort(key=lambda x: x[0])
    return [ev for _, ev in out]


def _diverse(events: list[list[int]], sims: np.ndarray, centrality: np.ndarray) -> (
    list[list[int]]
):
    """Events of one date, most reported and central first, each next one unlike those
    before it (maximal marginal relevance): on a busy day the claims, the statements and
    the denials each get a line before a third paraphrase of the first."""
    import numpy as np

    left = list(range(len(events)))
    chosen: list[int] = []
    while left:
        def gain(k: int) -> float:
            event = events[k]
            score = len(event) * 0.05 + float(np.mean(centrality[event]))
            if chosen:
                taken = [i for c in chosen for i in events[c]]
                score -= 0.3 * float(sims[np.ix_(event, taken)].max())
            return score

        best = max(left, key=gain)
        chosen.append(best)
        left.remove(best)
    return [events[k] for k in chosen]


