"""Are the timeline's dates right? TempEval-3 (TimeBank + AQUAINT) gold DATE values.

Each TBAQ document is one article, published on its creation date (``dct``); it
goes through newsbrief's own cleaning, sentence splitting and timeline
(``newsbrief.timeline.date_mentions``; for a timeline module without it, the
mentions of ``build_timeline``'s events), and every resolved date expression is matched
to the gold TIMEX3 it overlaps (the TempEval-3 "relaxed" match). The baseline,
scored in the same run on the same documents, is dateparser alone:
``dateparser.search.search_dates`` with ``RELATIVE_BASE`` the creation date and
the period (day, week, month, year) dateparser gives each found string.

    .venv/bin/python -m evaluation.dates_tempeval               # the development part
    .venv/bin/python -m evaluation.dates_tempeval --part test   # once, at the end

Split: a document is in the *test* part when the SHA-256 of its id, read as a
number, is divisible by 4 (64 of the 256 documents); the rest is
the development part. The rule depends on nothing but the id.

Measures, for gold timexes of type DATE:

* recall: gold DATEs overlapped by an expression the system resolved (TempEval-3's
  relaxed match), over three sets of gold DATEs:

  - ``recall_units``: values that are a day, an ISO week, a month or a year
    (``1998-01-08``, ``1998-W02``, ``1998-01``, ``1998``): the granularities a
    timeline event has;
  - ``recall`` (*points*): every value that names a span of the calendar, the
    units and also quarters (``1998-Q3``: "third-quarter", 15% of the development
    part, nearly all from WSJ earnings reports), halves, seasons (``1998-SU``)
    and decades (``199``), which the timeline does not place;
  - ``recall_all``: every gold DATE, also ``PRESENT_REF`` ("now", a generic
    "today"), ``PAST_REF`` ("recently") and values with unknown parts
    (``XXXX-XX-XX``), which a timeline should *not* place.

* ``value_accuracy``: of the resolved expressions that overlap a gold DATE,
  the share whose value is right *at the granularity it claims*: the claimed
  period (a day, a Monday-to-Sunday week, a month, a year) and the gold period
  nest. A claim that contains the gold is true but less precise (gold
  ``1998-01-08``, claimed month 1998-01: counted ``coarser``); a claim inside the
  gold is more precise than the annotation (gold month ``1998-01`` for "last
  week", claimed the week of 1998-01-12: counted ``finer``); both are right. Two
  periods that do not nest are wrong, and so is a resolved expression on a gold
  ``PRESENT_REF``/``PAST_REF``/``FUTURE_REF`` or a value that is all ``X``
  (``on generic``: a generic or unknown time put on the calendar).
  ``value_accuracy_strict``: the claimed period equals the gold one.
* Not judged for value (counted apart, ``underspecified``): gold values the
  annotators left partly unknown (``1989-WXX`` for "last week", ``1998-12-XX``)
  or wrote as a length (``P1W`` typed DATE). The column in brackets says how many
  of those claims lie inside what the gold does know (the year 1989).
* ``relative_value_accuracy``: the same, for the resolved expressions that give
  no year ("Monday", "today", "Jan. 22", "last week", "in March").
* ``on other type``: resolved expressions on a gold DURATION, TIME or SET (not
  scored for value); ``on no timex``: resolved expressions on no gold timex.

Reference: HeidelTime reaches about 0.86 value accuracy on TempEval-3's own test
set (te3-platinum, not included here); numbers on TBAQ are not comparable.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from newsbrief.clean import clean_all
from newsbrief.model import Article, CleanArticle
from newsbrief.sentences import split_sentences

__all__ = [
    "Doc",
    "Resolved",
    "dateparser_dates",
    "gold_period",
    "load",
    "main",
    "newsbrief_dates",
    "part_of",
    "score",
    "values",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/data/tempeval3/tbaq.jsonl"
TEST_MODULUS = 4
"""A document is in the test part when sha256(id) % TEST_MODULUS == 0 (about 25%)."""


@dataclass(frozen=True, slots=True)
class Timex:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True, slots=True)
class Doc:
    id: str
    dct: date
    text: str
    timexes: tuple[Timex, ...]


@dataclass(frozen=True, slots=True)
class Resolved:
    """One expression a system placed on the calendar: its span, its date and precision."""

    start: int
    end: int
    text: str
    when: date
    granularity: str
    """``day``, ``week``, ``month`` or ``year``."""


def part_of(doc_id: str) -> str:
    """``test`` or ``dev``, from the document id alone."""
    digest = int(hashlib.sha256(doc_id.encode("utf-8")).hexdigest(), 16)
    return "test" if digest % TEST_MODULUS == 0 else "dev"


def load(path: Path = DEFAULT_DATA, part: str | None = "dev") -> list[Doc]:
    """The documents of one part (``dev``, ``test``; None for all), in file order."""
    docs: list[Doc] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            r = json.loads(line)
            if part is not None and part_of(r["id"]) != part:
                continue
            timexes = tuple(Timex(t["start"], t["end"], t["text"], t["type"], t["value"])
                            for t in r["timexes"])
            docs.append(Doc(r["id"], date.fromisoformat(r["dct"][:10]), r["text"], timexes))
    return docs


# --------------------------------------------------------------------------- periods

_SEASONS = {"SP": (3, 6), "SU": (6, 9), "FA": (9, 12), "WI": (12, 15)}
"""Months a season spans (northern, meteorological; 15 = March of the next year)."""


def _month_start(year: int, month: int) -> date:
    return date(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def gold_period(value: str) -> tuple[date, date] | None:
    """The gold value as a half-open span of days; None when it names no calendar point
    (``PRESENT_REF``, ``P1Y``, ``XXXX-XX-XX``, ...)."""
    v = re.sub(r"T.*$", "", value)  # a time of day ("TEV", "T14:30") only narrows the day
    if "X" in v or not v[:1].isdigit():
        return None
    m = re.fullmatch(r"(\d{4})-(\d\d)-(\d\d)", v)
    if m:
        d = date(int(m[1]), int(m[2]), int(m[3]))
        return d, d + timedelta(days=1)
    m = re.fullmatch(r"(\d{4})-W(\d\d?)(-WE)?", v)
    if m:
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        if m[3]:
            return monday + timedelta(days=5), monday + timedelta(days=7)
        return monday, monday + timedelta(days=7)
    m = re.fullmatch(r"(\d{4})-(\d\d)", v)
    if m:
        return _month_start(int(m[1]), int(m[2])), _month_start(int(m[1]), int(m[2]) + 1)
    m = re.fullmatch(r"(\d{4})-([QH])(\d)", v)
    if m:
        months = 3 if m[2] == "Q" else 6
        first = (int(m[3]) - 1) * months + 1
        return _month_start(int(m[1]), first), _month_start(int(m[1]), first + months)
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|WI)", v)
    if m:
        a, b = _SEASONS[m[2]]
        return _month_start(int(m[1]), a), _month_start(int(m[1]), b)
    m = re.fullmatch(r"(\d{2,4})", v)
    if m:
        span = 10 ** (4 - len(v))  # 1998: a year; 199: the 1990s; 19: the 1900s
        year = int(v) * span
        return date(max(year, 1), 1, 1), date(year + span, 1, 1)
    return None


def gold_envelope(value: str) -> tuple[date, date] | None:
    """The known part of an underspecified gold value (``1989-WXX``: the year 1989,
    ``1998-12-XX``: December 1998, ``199X``: the 1990s); None when nothing is known."""
    if "X" not in value or not value[:1].isdigit():
        return None
    known = re.sub(r"-?[^-]*X.*$", "", value)
    if re.fullmatch(r"\d{3}X", value):
        known = value[:3]
    return gold_period(known) if known else None


def is_calendar_unit(value: str) -> bool:
    """A day, ISO week, month or year: the granularities a timeline event has."""
    v = re.sub(r"T.*$", "", value)
    return re.fullmatch(r"\d{4}(?:-\d\d(?:-\d\d)?|-W\d\d?)?", v) is not None


def claimed_period(when: date, granularity: str) -> tuple[date, date]:
    """The span of days a resolved date claims."""
    if granularity == "week":
        monday = when - timedelta(days=when.weekday())
        return monday, monday + timedelta(days=7)
    if granularity == "month":
        return when.replace(day=1), _month_start(when.year, when.month + 1)
    if granularity == "year":
        return date(when.year, 1, 1), date(when.year + 1, 1, 1)
    return when, when + timedelta(days=1)


# --------------------------------------------------------------------------- systems


def _original_offset(article: CleanArticle, at: int) -> int | None:
    for p in article.paragraphs:
        if p.start <= at <= p.end:
            return p.original_start + at - p.start
    return None


def newsbrief_dates(doc: Doc) -> list[Resolved]:
    """The dates newsbrief's timeline resolves in one document published on its ``dct``."""
    from newsbrief import timeline

    published = datetime.combine(doc.dct, datetime.min.time())
    article = Article(id="a0", source="tbaq", origin=doc.id, text=doc.text, published=published)
    cleaned = clean_all([article])
    sentences = split_sentences(cleaned)
    resolved: list[tuple[date, str, int, int, str]] = []
    if hasattr(timeline, "date_mentions"):
        for when, granularity, m in timeline.date_mentions(cleaned, sentences):
            resolved.append((when, granularity, m.start, m.end, m.expression))
    else:  # the timeline before issue 11: the mentions of its events
        for event in timeline.build_timeline(cleaned, sentences):
            for m in event.mentions:
                resolved.append((event.date, event.granularity, m.start, m.end, m.expression))
    out = []
    for when, granularity, start, end, expression in resolved:
        a = _original_offset(cleaned[0], start)
        if a is None or doc.text[a : a + end - start] != expression:
            raise ValueError(f"{doc.id}: mention {expression!r} not found at its offset")
        out.append(Resolved(a, a + end - start, expression, when, granularity))
    return sorted(out, key=lambda r: r.start)


def dateparser_dates(doc: Doc) -> list[Resolved]:
    """dateparser alone: ``search_dates`` against the creation date, with its periods."""
    from dateparser.date import DateDataParser
    from dateparser.search import search_dates

    base = datetime.combine(doc.dct, datetime.min.time())
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past",
                "RETURN_AS_TIMEZONE_AWARE": False}
    parser = DateDataParser(languages=["en"], settings=settings)
    out: list[Resolved] = []
    cursor = 0
    for found, _ in search_dates(doc.text, languages=["en"], settings=settings) or []:
        at = doc.text.find(found, cursor)
        if at < 0:
            continue
        cursor = at + len(found)
        data = parser.get_date_data(found)
        if data.date_obj is None:
            continue
        period = data.period if data.period in ("week", "month", "year") else "day"
        when = data.date_obj.date()
        if period == "week":
            when -= timedelta(days=when.weekday())
        out.append(Resolved(at, at + len(found), found, when, period))
    return out


SYSTEMS: dict[str, Callable[[Doc], list[Resolved]]] = {
    "newsbrief": newsbrief_dates,
    "dateparser": dateparser_dates,
}


# --------------------------------------------------------------------------- scoring


def _best(r: Resolved, timexes: Sequence[Timex]) -> Timex | None:
    """The gold timex a resolved span overlaps most, a DATE before any other type."""
    overlapping = [t for t in timexes if r.start < t.end and t.start < r.end]
    if not overlapping:
        return None

    def key(t: Timex) -> tuple[bool, int]:
        return t.type == "DATE", min(r.end, t.end) - max(r.start, t.start)

    return max(overlapping, key=key)


@dataclass
class Tally:
    gold_dates: int = 0
    gold_points: int = 0
    gold_units: int = 0
    found: int = 0
    found_points: int = 0
    found_units: int = 0
    matched: int = 0
    judged: int = 0
    correct: int = 0
    strict: int = 0
    coarser: int = 0
    finer: int = 0
    on_generic: int = 0
    underspecified: int = 0
    underspecified_consistent: int = 0
    on_other: int = 0
    unmatched: int = 0
    relative_judged: int = 0
    relative_correct: int = 0
    errors: list[str] | None = None


def score(docs: Sequence[Doc], system: Callable[[Doc], list[Resolved]],
          keep_errors: bool = False) -> Tally:
    """Count every measure of the module docstring over ``docs``."""
    t = Tally(errors=[] if keep_errors else None)
    for doc in docs:
        resolved = system(doc)
        golds = [x for x in doc.timexes if x.type == "DATE"]
        t.gold_dates += len(golds)
        for g in golds:
            hit = any(r.start < g.end and g.start < r.end for r in resolved)
            point = gold_period(g.value) is not None
            unit = point and is_calendar_unit(g.value)
            t.gold_points += point
            t.gold_units += unit
            t.found += hit
            t.found_points += hit and point
            t.found_units += hit and unit
        for r in resolved:
            g = _best(r, doc.timexes)
            if g is None:
                t.unmatched += 1
                continue
            if g.type != "DATE":
                t.on_other += 1
                continue
            t.matched += 1
            gold = gold_period(g.value)
            claim = claimed_period(r.when, r.granularity)
            envelope = gold_envelope(g.value)
            if gold is None and (envelope is not None or g.value.startswith("P")):
                # the annotators left part of the value unknown (1989-WXX) or wrote a
                # length (P1W): not judged, only checked against what is known
                t.underspecified += 1
                t.underspecified_consistent += envelope is not None and (
                    envelope[0] <= claim[0] and claim[1] <= envelope[1])
                continue
            t.judged += 1
            coarser = gold is not None and claim[0] <= gold[0] and gold[1] <= claim[1]
            finer = gold is not None and gold[0] <= claim[0] and claim[1] <= gold[1]
            ok = coarser or finer
            if _is_relative(r.text):
                t.relative_judged += 1
                t.relative_correct += ok
            t.on_generic += gold is None
            t.correct += ok
            t.strict += gold == claim
            t.coarser += coarser and gold != claim
            t.finer += finer and gold != claim
            if not ok and t.errors is not None:
                context = doc.text[max(0, r.start - 60) : r.end + 30].replace("\n", " ")
                t.errors.append(f"{doc.id} dct {doc.dct} {r.text!r} -> {r.when} "
                                f"{r.granularity}; gold {g.text!r} {g.value} | …{context}…")
    return t


def _is_relative(text: str) -> bool:
    """An expression that gives no year ("Monday", "today", "Jan. 22", "last week")."""
    return re.search(r"\b(?:1[0-9]|20)\d\d\b", text) is None


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def metrics(t: Tally) -> dict[str, float]:
    """The fractions of a tally (what the gate reads)."""
    return {
        "recall": _ratio(t.found_points, t.gold_points),
        "recall_units": _ratio(t.found_units, t.gold_units),
        "recall_all": _ratio(t.found, t.gold_dates),
        "value_accuracy": _ratio(t.correct, t.judged),
        "value_accuracy_strict": _ratio(t.strict, t.judged),
        "relative_value_accuracy": _ratio(t.relative_correct, t.relative_judged),
    }


def values(path: Path = DEFAULT_DATA, every: int = 1) -> dict[str, float]:
    """The gate's numbers: newsbrief on every ``every``-th development document."""
    docs = load(path, "dev")[::every]
    return {f"dates.{k}": v for k, v in metrics(score(docs, newsbrief_dates)).items()}


HEADER = (
    "| system | gold DATEs: units / points / all | found: units / points / all | "
    "recall: units / points / all | resolved on a gold DATE | judged | right | "
    "value accuracy | strict | coarser | finer | on generic | underspecified gold "
    "(consistent) | on other type | on no timex | relative: right / judged | s |\n|---|"
    + "---|" * 16
)


def _row(name: str, t: Tally, seconds: float) -> str:
    m = metrics(t)
    return (f"| {name} | {t.gold_units} / {t.gold_points} / {t.gold_dates} | "
            f"{t.found_units} / {t.found_points} / {t.found} | "
            f"{m['recall_units']:.3f} / **{m['recall']:.3f}** / {m['recall_all']:.3f} | "
            f"{t.matched} | {t.judged} | {t.correct} | **{m['value_accuracy']:.3f}** | "
            f"{m['value_accuracy_strict']:.3f} | {t.coarser} | {t.finer} | {t.on_generic} | "
            f"{t.underspecified} ({t.underspecified_consistent}) | {t.on_other} | "
            f"{t.unmatched} | {t.relative_correct} / {t.relative_judged} "
            f"({m['relative_value_accuracy']:.3f}) | {seconds:.1f} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--part", choices=("dev", "test"), default="dev")
    parser.add_argument("--every", type=int, default=1, help="score every k-th document")
    parser.add_argument("--systems", default="newsbrief,dateparser")
    parser.add_argument("--errors", type=Path, help="write the wrong values of newsbrief here")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"no data at {args.data}", file=sys.stderr)
        return 2
    docs = load(args.data, args.part)[:: args.every]
    gold = sum(1 for d in docs for x in d.timexes if x.type == "DATE")
    print(f"TBAQ {args.part} part: {len(docs)} documents, {gold} gold DATEs\n")
    print(HEADER)
    for name in args.systems.split(","):
        start = time.perf_counter()
        t = score(docs, SYSTEMS[name], keep_errors=args.errors is not None)
        print(_row(name, t, time.perf_counter() - start))
        if args.errors is not None and name == "newsbrief" and t.errors is not None:
            args.errors.write_text("\n".join(t.errors) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
