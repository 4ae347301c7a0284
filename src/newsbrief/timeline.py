"""When: the story's dated events in order, each with the sentences and sources that report it.

1. *Publication dates* (``publication_dates``): ``Article.published`` where the
   input gives it (the readers take it from metadata), else the article's date
   line: a line that says it was published ("Published on Dec 15, 2016", "First
   Published: Jun 13, 2017 12:29 IST", "(Originally published April 16, 2014 at
   5:59 a.m. PT)"), a line near the top that is a date and little else
   ("24/01/2017 22:40 by admin", "December 06, 2013"), or a dateline that opens
   the story ("MOSCOW, Jan. 24, 2017 —"). Never a caption ("FILE - In this Oct.
   2, 2015 file photo ..."), a tweet or a sentence about an event. An article
   with no date of its own borrows the story's (the date most dated articles
   have) when all of them lie within a few days of it, and says so.
2. *Date expressions*: ``newsbrief.dates``' grammar in each sentence (a sentence
   that opens a quote joined to the one before it); generic ones ("today's
   economy", "every Monday", "from 2009 to 2012") are no dates.
3. *Tense*: where the reading depends on it (a weekday, a month or a month and
   day without a year), spaCy's parse of the sentence gives the verb the date
   hangs on: "said Monday" looks back, "will visit ... Friday" ahead; "by",
   "until", "effective" look ahead; a date that names a thing ("Friday's
   purchases", "the Oct. 23 slaying") leans back; a sentence that says both
   leaves the date out.
4. *Resolution* (``newsbrief.dates.resolve``) against the article's own date. A
   date that moves one for one with it ("today", "yesterday", "three days ago")
   needs the article's own date; one borrowed from the story only places weekdays,
   months and years.
5. *Events*: mentions of one date whose sentences say the same thing (TF-IDF
   cosine) are one event listing every source; events are sorted by date. One
   event told by several outlets gets one date: when outlets date nearly the same
   sentence differently, the date most of them give (a date with its year and an
   article's own date weigh more than one borrowed from the story) is the event's,
   and the clash is a ``FactConflict`` (``timeline_and_conflicts``); with no
   majority the event is left out of the timeline and only the clash is kept.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from newsbrief.dates import Expression, find_expressions, full_date, parse_expression, resolve
from newsbrief.model import (
    CleanArticle,
    DateMention,
    FactConflict,
    FactReport,
    Sentence,
    TimelineEvent,
)
from newsbrief.nlp import parse
from newsbrief.quotes.marks import Unit, text_units
from newsbrief.settings import DATE_CLASH, SAME_EVENT, STORY_DATE_SPREAD_DAYS
from newsbrief.text import UnionFind, containment, stemmed_terms
from newsbrief.vectors import TfidfVectorizer, l2_normalize

if TYPE_CHECKING:
    import numpy as np
    from spacy.tokens import Doc, Token

__all__ = [
    "build_timeline",
    "date_mentions",
    "publication_dates",
    "resolve_date",
    "story_date",
    "timeline_and_conflicts",
]

Resolved = tuple[date, str, DateMention]
"""A mention with its date and granularity."""


def resolve_date(expression: str, published: date | None, future: bool = False) -> (
    tuple[date, str] | None
):
    """A date expression as (date, granularity), resolved against a publication date.

    A weekday, a month or a month and day is read as past (the last one up to the
    publication day) unless ``future``. Returns None when the expression names no
    point in time, or is relative ("Monday", "Jan. 22") and there is no date to
    resolve it against.
    """
    e = parse_expression(expression)
    if e is None:
        return None
    return resolve(e, published, "future" if future else "past")


# --------------------------------------------------------------------------- publication

_PUBLISHED = re.compile(
    r"^\W*(?:by\s[^.|]{1,40}[.|]\s*)?(?:first\s+|originally\s+|last\s+)?"
    r"(?P<cue>published|posted|created|updated|modified|in\s+print)\b", re.I
)
"""A line that says when the article was published: "Published on Dec 15, 2016",
"By Todd Hicks. CREATED Feb 3, 2015 - UPDATED: Feb 3, 2015", "In Print: Thursday, ..."."""
_NOT_A_DATE_LINE = re.compile(
    r"\b(?:photo|photos|photograph|file|image|picture|video|getty|afp|handout|credit|"
    r"caption|courtesy|twitter|tweet)\b|@\w|https?://|pic\.twitter", re.I
)
"""A caption, a credit or a tweet: its date is of the picture or the post."""
_DATE_LINE_REST = re.compile(
    r"\d{1,2}:\d\d(?::\d\d)?\s*(?:[ap]\.?\s?m\.?)?(?:\s*[A-Z]{2,4}\b)?|"
    r"\b(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs?)?|Fri|Sat(?:ur)?|Sun)(?:day)?\.?|by|at|on|"
    r"am|pm|updated?|published|posted|date|gmt|utc)\b|[^\w\s]", re.I
)
"""What a date line holds besides the date: a time, a weekday, "by", punctuation."""
_DATELINE = re.compile(r"^(?P<date>[A-Z][A-Za-z.'’ -]{1,40},[^\n—–_]{4,60}?)\s*(?:--|[—–_]|\s-\s)")
"""A dateline that opens the story: "MOSCOW, Jan. 24, 2017 —", "TEHRAN, March 7 (Xinhua) --"."""
TOP_LINES = 8
"""Lines at the top of an article where a bare date line is its own ("24 January, 2017"
above the headline); further down, a bare date is a list or a table."""
DATE_LINE_WORDS = 3
"""Most words a bare date line may hold besides the date, time and weekday ("by admin")."""


def _date_line(line: str, top: bool) -> tuple[int, date] | None:
    """(rank, date) when ``line`` is a date line: 0 says published, 1 updated, 2 bare."""
    line = line.strip()
    cue = _PUBLISHED.match(line)
    if not line or len(line) > 160 or (cue is None and not top) \
            or _NOT_A_DATE_LINE.search(line):
        return None
    found = full_date(line)
    if found is None:
        return None
    if cue is not None:
        return (1 if cue["cue"].lower() in ("updated", "modified") else 0), found
    rest = _DATE_LINE_REST.sub(" ", _without_date(line))
    return (2, found) if len(rest.split()) <= DATE_LINE_WORDS else None


def _without_date(line: str) -> str:
    for e in find_expressions(line):
        if e.kind in ("date", "month_day", "month_year", "year"):
            line = line[: e.start] + " " * (e.end - e.start) + line[e.end :]
    return re.sub(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)\d\d\b|\b(?:19|20)\d\d-\d\d-\d\d\b", " ",
                  line)


def _own_date(a: CleanArticle) -> date | None:
    """An article's date from its date line or dateline; None when it shows none."""
    lines = a.article.text.splitlines(keepends=True)
    top_end, seen = 0, 0
    for line in lines:
        top_end += len(line)
        seen += bool(line.strip())
        if seen == TOP_LINES:
            break
    candidates = [_date_line(line, True) for line in a.article.text[:top_end].splitlines()]
    candidates += [_date_line(r.text, r.start < top_end) for r in a.removed]
    candidates += [_date_line(line, False) for line in lines]
    dated = [c for c in candidates if c is not None]
    if dated:
        return min(dated, key=lambda c: c[0])[1]
    m = _DATELINE.match(a.text.lstrip())
    return full_date(m["date"]) if m else None  # "MOSCOW, Jan. 24, 2017 —"


def _dateline_month_day(a: CleanArticle) -> Expression | None:
    """A dateline without a year ("TEHRAN, March 7 (Xinhua) --"): its month and day."""
    m = _DATELINE.match(a.text.lstrip())
    found = find_expressions(m["date"]) if m is not None else []
    return found[0] if len(found) == 1 and found[0].kind == "month_day" else None


def publication_dates(articles: Sequence[CleanArticle]) -> dict[str, date]:
    """Each article's publication date: its metadata, else its date line or dateline."""
    out: dict[str, date] = {}
    for a in articles:
        if a.article.published is not None:
            out[a.id] = a.article.published.date()
            continue
        found = _own_date(a)
        if found is not None:
            out[a.id] = found
    story = story_date(out)
    if story is not None:  # a dateline's month and day take the year nearest the story's
        for a in articles:
            e = None if a.id in out else _dateline_month_day(a)
            resolved = resolve(e, story, None) if e is not None else None
            if resolved is not None and abs((resolved[0] - story).days) <= STORY_DATE_SPREAD_DAYS:
                out[a.id] = resolved[0]
    return out


def story_date(published: dict[str, date]) -> date | None:
    """The story's date, for articles without their own: the date most dated articles
    have, when every one lies within ``STORY_DATE_SPREAD_DAYS`` of it; else None."""
    if not published:
        return None
    counts: dict[date, int] = {}
    for d in published.values():
        counts[d] = counts.get(d, 0) + 1
    story = max(counts, key=lambda d: (counts[d], d))
    spread = timedelta(days=STORY_DATE_SPREAD_DAYS)
    return story if all(abs(d - story) <= spread for d in published.values()) else None


# --------------------------------------------------------------------------- tense

_FUTURE_AUX = frozenset({"will", "'ll", "’ll", "shall", "wo", "would"})
_PROGRESSIVE = frozenset({"is", "are", "am", "'s", "’s", "'re", "’re"})
_PLANNED = re.compile(r"^(?:plan|schedul|slat)", re.I)
"""A verb whose object lies ahead whatever its tense: "planned a rally on Saturday"."""
_AIMED = re.compile(
    r"^(?:plan|expect|schedul|set|due|intend|aim|hope|want|seek|agre|decid|promis|vow|"
    r"threat|prepar|slat|poised|likely|going|propos|ask|call|urg|order|invit|tell|told|"
    r"need|ready|about|wish|tr[iy])", re.I
)
"""A verb or adjective whose infinitive lies ahead: "expected to vote Friday"."""
_LOOKS_AHEAD = re.compile(
    r"(?:\b(?:by|until|till|through|effective|payable|no\s+later\s+than|"
    r"as\s+(?:early|soon|late)\s+as|deadline(?:\s+(?:of|is|was))?)\s+(?:the\s+)?"
    r"(?:end\s+of\s+|early\s+|late\s+|mid-?)?"
    r"(?:\d{1,2}(?::\d\d)?\s*[ap]\.?\s?m\.?\s*(?:[A-Z]{2,4}\s+)?)?$|"
    r"\b(?:extend|postpon|delay|mov|push|reschedul|adjourn)\w*\s+(?:\w+\s+){0,3}?"
    r"(?:to|until|till)\s+$)",
    re.I,
)
"""Words before a date that make it a deadline or a target: "by Jan. 14", "payable Dec. 1",
"until 9 a.m. Tuesday", "extended to Nov. 20"."""


def _verb_tense(verb: Token, depth: int = 0) -> str | None:
    """``past``, ``future`` or None (present, or not known) of one verb and its auxiliaries."""
    auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    words = {c.lower_ for c in auxes}
    if words & _FUTURE_AUX:
        return "future"
    if "to" in words:  # an infinitive: "expected to vote", or "went there to vote"
        head = verb.head
        if head is verb or not (head.tag_.startswith("VB") or head.tag_ == "JJ"):
            return "future"  # "guidelines to be published in November"
        if _AIMED.match(head.lower_):
            return "future"
        return _verb_tense(head, depth + 1) if depth < 3 else None
    if verb.tag_ == "VBD" or any(a.tag_ == "VBD" or a.lower_ in ("has", "have", "'ve", "’ve")
                                 for a in auxes):
        return "past"
    if verb.tag_ == "VBN" and not auxes:  # "the offer, announced Friday"
        return "past"
    if verb.tag_ == "VBG":
        if words & _PROGRESSIVE:
            return "future"  # "is meeting Tuesday"
        if not auxes and verb.head is not verb and verb.head.tag_.startswith("VB") and depth < 3:
            return _verb_tense(verb.head, depth + 1)
    return None


_BEFORE_A_NOUN = frozenset({"poss", "compound", "amod", "nmod", "nummod"})
"""A date in front of a noun names the thing ("Wednesday's ruling", "the Oct. 23
slaying"): the tense of the clause around it is not the thing's."""


def _governing_verb(noun: Token) -> Token | None:
    """The verb a noun phrase hangs on, through at most three prepositions and objects."""
    node = noun
    for _ in range(3):
        if node.head is node:
            return None
        node = node.head
        if node.tag_.startswith("VB") or node.tag_ == "MD":
            return node
        if not (node.tag_ == "IN" or node.tag_.startswith("NN")):
            return None
    return None


def _tense(doc: Doc, start: int, end: int, before: str) -> str | None:
    """The tense a date at ``start:end`` of a parsed sentence is read with.

    ``conflict`` when the sentence says both ("had purchased shares through Sept. 29");
    ``noun`` when the date names a thing ("Friday's purchases").
    """
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    head = token.head
    cue = "future" if _LOOKS_AHEAD.search(before) else None
    grammar = None
    noun = False
    if head is not token:
        if head.tag_ == "IN" or head.dep_ == "prep":
            head = head.head
        if head.tag_.startswith("NN"):
            noun = True
            if token.dep_ not in _BEFORE_A_NOUN:
                # "a visit to the Pentagon Friday": the verb the thing hangs on
                head = _governing_verb(head) or head
        if head.tag_.startswith("VB") or head.tag_ == "MD":
            grammar = _verb_tense(head)
            if _PLANNED.match(head.lower_):
                cue = "future"
    if cue and grammar and cue != grammar:
        return "conflict"
    if cue or grammar:
        return cue or grammar
    return "noun" if noun else None


_CAPTION_OR_TWEET = re.compile(
    r"\((?:AP|AFP|Reuters|EPA|Getty)[\w ]*Photo|\bphoto\s*(?:by\b|:|/)|\bfile (?:photo|image)\b|"
    r"\bhandout\b|Getty Images|pic\.twitter|https?://t\.co|\(@\w+\)|"
    r"\bin this (?:\w+ )?(?:photo|image|picture)\b", re.I)
"""A caption or an embedded tweet: its date is the picture's or the post's, not an event's."""

_CLAUSES = frozenset({"ROOT", "conj", "ccomp", "advcl", "xcomp", "parataxis", "relcl"})
"""Links of a verb that heads a clause (not a gerund inside a noun phrase: "meddling in")."""

_NOT_WHEN = frozenset({"since", "than", "compared", "like", "unlike", "versus", "vs", "vs."})
"""Words after which a date is a starting point or a comparison, not an event's day."""


def _dates_an_event(doc: Doc, start: int, end: int) -> bool:
    """Whether the date at ``start:end`` is the day of something the sentence tells, not a
    starting point, a yardstick or a name: "the record-holder since 1972", "up 14 percent
    compared with the first half of 2013", "more than in 2010", "the 2016 election" are no
    events."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return True
    node = span.root
    if (len(span) == 1 and node.like_num and node.dep_ in _BEFORE_A_NOUN
            and node.head.tag_.startswith("NN")):
        # a year that names a thing ("meddling in the 2016 election", "his 2007 address"),
        # unless the thing is when the sentence's own verb happens ("downplayed Assad's
        # abuses during a 2015 visit", "In her 2011 book, Brewer accused ...")
        thing = node.head
        verb = thing.head.head
        return (thing.dep_ == "pobj" and thing.head.dep_ == "prep"
                and verb.tag_.startswith("VB") and verb.dep_ in _CLAUSES)
    for _ in range(4):  # the date's own prepositions: "since Gerald Ford in 1976"
        head = node.head
        if head is node:
            return True
        if head.lower_ in _NOT_WHEN or (head.lower_ in ("with", "to")
                                          and head.head.lower_ == "compared"):
            return False
        if not (head.dep_ in ("prep", "pobj", "pcomp") or head.tag_ in ("IN", "NNP")
                or node.dep_ in ("pobj", "pcomp")):
            return True
        node = head
    return True


def _parses(found: Sequence[tuple[Unit, Expression]]) -> dict[str, Doc]:
    """The parse of every unit holding a date, each distinct text once (syndicated copies
    repeat them)."""
    texts = list(dict.fromkeys(u.text for u, _ in found))
    return dict(zip(texts, parse(texts), strict=True))


def _tenses(found: Sequence[tuple[Unit, Expression]], docs: dict[str, Doc]
            ) -> dict[tuple[str, int, int], str | None]:
    """The tense of every expression whose reading depends on it, by (sentence, start, end)."""
    return {
        (u.sentence_id, e.start, e.end): _tense(
            docs[u.text], e.start, e.end, u.text[max(0, e.start - 40) : e.start])
        for u, e in found if e.needs_tense
    }


# --------------------------------------------------------------------------- mentions

_ABSOLUTE = frozenset({"date", "month_year", "year"})


def date_mentions(articles: Sequence[CleanArticle], sentences: Sequence[Sentence],
                  published: dict[str, date] | None = None, events: bool = False
                  ) -> list[Resolved]:
    """Every date expression of the articles that can be placed, with its date and
    granularity, in text order (``published``: ``publication_dates(articles)``, when
    the caller has it). With ``events``, only the dates of the events the sentences tell
    (``_dates_an_event``): what the timeline shows."""
    if published is None:
        published = publication_dates(articles)
    story = story_date(published)
    units = text_units(articles, sentences)
    found = [(u, e) for u in units for e in find_expressions(u.text)]
    if not found:
        return []
    docs = _parses(found if events else [(u, e) for u, e in found if e.needs_tense])
    tenses = _tenses(found, docs)
    if events:
        found = [(u, e) for u, e in found if _CAPTION_OR_TWEET.search(u.text) is None
                 and _dates_an_event(docs[u.text], e.start, e.end)]
    by_article: dict[str, list[Sentence]] = {}
    for s in sentences:
        by_article.setdefault(s.article_id, []).append(s)
    # the latest date an undated article gives in full: the story's date cannot be before it
    latest: dict[str, date] = {}
    for u, e in found:
        if e.kind == "date" and e.year and e.month and e.day:
            latest[u.article_id] = max(latest.get(u.article_id, date.min),
                                       date(e.year, e.month, e.day))
    out: list[Resolved] = []
    for u, e in found:
        own = published.get(u.article_id)
        if e.kind in _ABSOLUTE or (e.kind == "season" and e.year is not None):
            anchor, basis = None, "absolute"
        elif own is not None:
            anchor, basis = own, "publication date"
        elif (story is not None and not e.day_relative
              and latest.get(u.article_id, date.min) <= story + timedelta(days=1)):
            anchor, basis = story, "story date"
        else:
            continue
        resolved = resolve(e, anchor, tenses.get((u.sentence_id, e.start, e.end)))
        if resolved is None:
            continue
        sentence = _sentence_at(by_article.get(u.article_id, []), u.start + e.start)
        text = sentence.text if sentence is not None else re.sub(r"\s+", " ", u.text.strip())
        out.append((resolved[0], resolved[1], DateMention(
            article_id=u.article_id,
            sentence_id=sentence.id if sentence is not None else u.sentence_id,
            expression=e.text,
            start=u.start + e.start,
            end=u.start + e.end,
            sentence=text,
            basis=basis,
        )))
    return out


def _sentence_at(sentences: Sequence[Sentence], at: int) -> Sentence | None:
    """The sentence of one article that holds position ``at``."""
    return next((s for s in sentences if s.start <= at < s.end), None)


# --------------------------------------------------------------------------- events


def build_timeline(
    articles: Sequence[CleanArticle],
    sentences: Sequence[Sentence],
    same_event: float = SAME_EVENT,
) -> list[TimelineEvent]:
    """The story's dated events in date order; empty when nothing can be dated."""
    return timeline_and_conflicts(articles, sentences, same_event)[0]


def timeline_and_conflicts(
    articles: Sequence[CleanArticle],
    sentences: Sequence[Sentence],
    same_event: float = SAME_EVENT,
) -> tuple[list[TimelineEvent], list[FactConflict]]:
    """The timeline, and the events that outlets date differently (``what`` = "date":
    each date as its outlets write it, with the outlets that give it)."""
    published = publication_dates(articles)
    mentions = date_mentions(articles, sentences, published, events=True)
    if not mentions:
        return [], []
    story = story_date(published)
    anchors = {a.id: published.get(a.id, story) for a in articles}
    sims, centrality = _similarities([m.sentence for _, _, m in mentions])
    kept, conflicts = _settle(mentions, sims, anchors)
    return _events(mentions, kept, sims, centrality, same_event), conflicts


def _similarities(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """TF-IDF cosine of every pair of sentences, and each one's cosine with their centroid."""
    import numpy as np

    try:
        matrix = l2_normalize(TfidfVectorizer(sublinear_tf=True, stop_words="english")
                              .fit_transform(texts))
    except ValueError:  # only stop words
        return np.eye(len(texts)), np.zeros(len(texts))
    sims = np.asarray((matrix @ matrix.T).toarray())
    centroid = np.asarray(matrix.mean(axis=0)).ravel()
    return sims, np.asarray(matrix @ centroid).ravel()


_WEIGHT = {"absolute": 3, "publication date": 2, "story date": 1}
"""How much one article's date for an event counts: a date written with its year, then
one read against the article's own date, then one against a date borrowed from the story."""


def _settle(mentions: Sequence[Resolved], sims: np.ndarray,
            anchors: dict[str, date | None]) -> tuple[list[int], list[FactConflict]]:
    """One date per event: the mentions kept for the timeline, and the clashes found.

    Two articles of one news cycle (dates at most a day apart) whose sentences have
    nearly the same content words (``DATE_CLASH``; at least ``CLASH_WORDS`` of them), each
    with one day in it, but name two different days tell one event on two days. The day
    with most weight (``_WEIGHT``, one vote per article) keeps the event; the others
    leave the timeline. With no single heaviest day, all
    leave. Where the outlets wrote different dates ("Monday" against "Tuesday") the clash
    is a disagreement of fact; where they wrote the same word and only its reading
    differs, it is not, and nothing but the timeline changes.
    """
    days: dict[tuple[str, str], int] = {}
    for _, granularity, m in mentions:
        if granularity == "day":
            days[(m.article_id, m.sentence_id)] = days.get((m.article_id, m.sentence_id), 0) + 1
    single = [i for i, (_, granularity, m) in enumerate(mentions)
              if granularity == "day" and days[(m.article_id, m.sentence_id)] == 1
              and anchors.get(m.article_id) is not None]
    sets: UnionFind[int] = UnionFind(single)
    for x, i in enumerate(single):
        for j in single[x + 1 :]:
            (di, _, mi), (dj, _, mj) = mentions[i], mentions[j]
            ai, aj = anchors[mi.article_id], anchors[mj.article_id]
            if (mi.article_id != mj.article_id and di != dj and sims[i, j] >= SAME_EVENT
                    and ai is not None and aj is not None and abs((ai - aj).days) <= 1
                    and _same_telling(_content(mi), _content(mj))):
                sets.union(i, j)
    dropped: set[int] = set()
    conflicts: list[FactConflict] = []
    for group in sets.groups():
        if len({mentions[i][0] for i in group}) < 2:
            continue
        votes: dict[date, dict[str, int]] = {}
        for i in group:
            when, _, m = mentions[i]
            per_article = votes.setdefault(when, {})
            per_article[m.article_id] = max(per_article.get(m.article_id, 0), _WEIGHT[m.basis])
        weight = {d: sum(v.values()) for d, v in votes.items()}
        winners = [d for d, w in weight.items() if w == max(weight.values())]
        keep = winners[0] if len(winners) == 1 else None
        dropped.update(i for i in group if mentions[i][0] != keep)
        if len({_written(mentions[i][2].expression) for i in group}) > 1:
            conflicts.append(_date_conflict([mentions[i] for i in group]))
    return [i for i in range(len(mentions)) if i not in dropped], conflicts


CLASH_WORDS = 4
"""Fewest content words the shorter sentence needs to be taken for the same telling:
"They were married May 5, 1979" and "They were married on May 26, 1995" (one man's two
marriages, DUC 2007) share all of their one."""


def _same_telling(a: set[str], b: set[str]) -> bool:
    return min(len(a), len(b)) >= CLASH_WORDS and containment(a, b) >= DATE_CLASH


def _content(m: DateMention) -> set[str]:
    """The content words of a mention's sentence, its date left out."""
    return set(stemmed_terms(m.sentence.replace(m.expression, " ")))


def _written(expression: str) -> str:
    """A date as written, without what does not change the day ("early Monday": monday)."""
    words = re.sub(r"^(?:early|late|earlier|later|on)\s+", "", expression.lower())
    return re.sub(r"[^a-z0-9]", "", words)


def _date_conflict(group: Sequence[Resolved]) -> FactConflict:
    reports = []
    for when, granularity, m in sorted(group, key=lambda r: (r[0], r[2].article_id)):
        label = TimelineEvent(when, granularity, "", ()).label
        reports.append(FactReport(value=f"{m.expression} ({label})",
                                  number=float(when.toordinal()), article_id=m.article_id,
                                  sentence_id=m.sentence_id, start=m.start, end=m.end,
                                  sentence=m.sentence))
    return FactConflict(what="date", reports=tuple(reports))


def _events(mentions: Sequence[Resolved], kept: Sequence[int], sims: np.ndarray,
            centrality: np.ndarray, same_event: float) -> list[TimelineEvent]:
    """Mentions of one date that say the same thing become one event."""
    by_date: dict[tuple[date, str], list[int]] = {}
    for i in kept:
        when, granularity, _ = mentions[i]
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
