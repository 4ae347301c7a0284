"""Placing a date expression on the calendar against an article's date (see
``newsbrief.dates``)."""

from __future__ import annotations

from datetime import date, timedelta

from newsbrief.dates.grammar import Expression
from newsbrief.settings import DATE_NEAREST_DAYS, DATE_TENSE_REACH_DAYS

__all__ = ["resolve"]

def _add_months(d: date, months: int) -> date:
    index = d.year * 12 + d.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _choose(candidates: list[date], anchor: date, tense: str | None,
            slack: timedelta = timedelta(days=1), reach: int = 10_000, near: int = 10_000,
            ) -> date | None:
    """The candidate nearest the anchor in the tense's direction, or either way without one.

    ``slack``: a past event may be dated the day after the anchor and a future one the
    day before (a paper dated at midnight, a wire story filed the evening before).
    ``reach``: the tense is followed into another year only to a candidate at most this
    many days away (a date of the anchor's year needs no year, AP style); further, the
    expression is left undated. ``near``: without a tense the nearest candidate is taken
    only when it is at most this many days away and nearer than any other. ``conflict``
    (the sentence says both) resolves nothing.
    """
    if tense == "conflict":
        return None
    if tense in ("past", "future"):
        if tense == "past":
            pool = [c for c in candidates if c <= anchor + slack]
            chosen = max(pool) if pool else None
        else:
            pool = [c for c in candidates if c >= anchor - slack]
            chosen = min(pool) if pool else None
        if chosen is None:
            return None
        # a date of the anchor's own year needs no year (AP style), nor a near one
        if chosen.year == anchor.year or abs((chosen - anchor).days) <= reach:
            return chosen
        return None
    ranked = sorted(candidates, key=lambda c: abs((c - anchor).days))
    if not ranked or abs((ranked[0] - anchor).days) > near:
        return None
    if len(ranked) > 1 and abs((ranked[0] - anchor).days) == abs((ranked[1] - anchor).days):
        return None  # as near one way as the other: not said
    return ranked[0]


def _holiday(name: str, year: int) -> date:
    fixed = {"christmas": (12, 25), "christmas eve": (12, 24), "new year": (1, 1),
             "new year's eve": (12, 31), "halloween": (10, 31), "july 4": (7, 4),
             "valentine": (2, 14)}
    if name in fixed:
        return date(year, *fixed[name])
    # Thanksgiving: the fourth Thursday of November
    first = date(year, 11, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 21)


def resolve(e: Expression, anchor: date | None, tense: str | None = None) -> (
    tuple[date, str] | None
):
    """The expression as (date, granularity) against the anchor (the article's date).

    Granularity is ``day``, ``week`` (the date is its Monday), ``month`` (the 1st) or
    ``year`` (1 January). None when the expression needs an anchor and has none, or
    when the text does not say which date it means.
    """
    if e.kind == "date":
        assert e.year is not None and e.month is not None and e.day is not None
        return date(e.year, e.month, e.day), "day"
    if e.kind == "month_year":
        assert e.year is not None and e.month is not None
        return date(e.year, e.month, 1), "month"
    if e.kind == "year":
        assert e.year is not None
        return date(e.year, 1, 1), "year"
    if e.kind == "season" and e.year is not None:
        return date(e.year, 1, 1), "year"
    if anchor is None:
        return None
    return _relative(e, anchor, tense)


Reading = tuple[date, str] | None
"""A resolved expression: (date, granularity), or None."""


def _relative(e: Expression, anchor: date, tense: str | None) -> Reading:
    if e.kind == "deictic":
        return anchor + timedelta(days=e.offset), "day"
    readers = {"weekday": _weekday_date, "month_day": _month_day_date, "month": _month_date,
               "relative": _unit_date, "weekend": _weekend_date, "ago": _ago_date,
               "season": _season_date, "holiday": _holiday_date}
    reader = readers.get(e.kind)
    return reader(e, anchor, tense) if reader is not None else None


def _weekday_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    assert e.weekday is not None
    back = anchor - timedelta(days=(anchor.weekday() - e.weekday) % 7)
    ahead = anchor + timedelta(days=(e.weekday - anchor.weekday()) % 7)
    if e.modifier in ("last", "this past"):
        return (back if back != anchor else anchor - timedelta(days=7)), "day"
    if e.modifier in ("next", "this coming"):
        return (ahead if ahead != anchor else anchor + timedelta(days=7)), "day"
    # a weekday that names a thing ("Friday's purchases", "the Oct. 23 slaying") is most
    # often one that has been
    chosen = _choose(sorted({back, ahead}), anchor, "past" if tense == "noun" else tense,
                     slack=timedelta(0))
    return (chosen, "day") if chosen is not None else None


def _month_day_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    assert e.month is not None and e.day is not None
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, e.month, e.day))
        except ValueError:  # 29 February
            continue
    if e.weekday is not None:  # "Monday, Jan. 23": only a year where it is a Monday
        candidates = [c for c in candidates if c.weekday() == e.weekday]
    chosen = _choose(candidates, anchor, None if tense == "noun" else tense,
                     reach=DATE_TENSE_REACH_DAYS, near=DATE_NEAREST_DAYS)
    return (chosen, "day") if chosen is not None else None


def _month_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    assert e.month is not None
    if e.unit == "year":  # "June last year"
        return date(anchor.year + e.offset, e.month, 1), "month"
    now = anchor.replace(day=1)
    candidates = [date(anchor.year + k, e.month, 1) for k in (-1, 0, 1)]
    if e.modifier == "this":
        return date(anchor.year, e.month, 1), "month"
    if e.modifier in ("last", "this past"):
        return max(c for c in candidates if c < now), "month"
    if e.modifier in ("next", "this coming"):
        return min(c for c in candidates if c > now), "month"
    chosen = _choose(candidates, now, None if tense == "noun" else tense, slack=timedelta(0),
                     reach=DATE_TENSE_REACH_DAYS, near=DATE_NEAREST_DAYS)
    return (chosen, "month") if chosen is not None else None


_STEP = {"last": -1, "this past": -1, "this": 0, "next": 1, "this coming": 1}


def _unit_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    step = _STEP[e.modifier or "this"]
    if e.unit == "week":
        monday = anchor - timedelta(days=anchor.weekday())
        return monday + timedelta(days=7 * step), "week"
    if e.unit == "month":
        return _add_months(anchor.replace(day=1), step), "month"
    return date(anchor.year + step, 1, 1), "year"


def _weekend_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    """The week (Monday to Sunday) of the weekend meant."""
    saturday = anchor - timedelta(days=(anchor.weekday() - 5) % 7)  # the last one up to now
    chosen: date | None
    if e.modifier in ("last", "this past"):
        chosen = saturday - timedelta(days=7 if anchor.weekday() >= 5 else 0)
    elif e.modifier in ("next", "this coming"):
        return None  # the coming weekend or the one after: not said
    elif anchor.weekday() >= 5:
        chosen = saturday
    else:
        chosen = _choose([saturday, saturday + timedelta(days=7)], anchor, tense,
                         slack=timedelta(0))
    if chosen is None:
        return None
    return chosen - timedelta(days=chosen.weekday()), "week"


def _ago_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    if e.unit == "day":
        return anchor - timedelta(days=e.offset), "day"
    if e.unit == "week":
        back = anchor - timedelta(days=7 * e.offset)
        return back - timedelta(days=back.weekday()), "week"
    if e.unit == "month":
        return _add_months(anchor.replace(day=1), -e.offset), "month"
    return date(anchor.year - e.offset, 1, 1), "year"


def _holiday_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    assert e.unit is not None
    candidates = [_holiday(e.unit, anchor.year + k) for k in (-1, 0, 1)]
    chosen: date | None
    if e.modifier == "last":
        chosen = max(c for c in candidates if c < anchor)
    elif e.modifier == "next":
        chosen = min(c for c in candidates if c > anchor)
    elif e.modifier == "this":
        chosen = candidates[1]
    else:
        chosen = _choose(candidates, anchor, tense)
    return (chosen, "day") if chosen is not None else None


_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11)}


def _season_date(e: Expression, anchor: date, tense: str | None) -> Reading:
    """"this summer" is this year's; "last fall" the last one over before the anchor."""
    first, last = _SEASON_MONTHS[e.unit or "summer"]
    if e.modifier == "this":
        return date(anchor.year, 1, 1), "year"
    if e.modifier in ("last", "this past"):
        if anchor.month > last:
            return None  # this year's, just over, or the one before: usage differs
        return date(anchor.year - 1, 1, 1), "year"
    if e.modifier == "next":
        if anchor.month < first:
            return None  # this year's or next year's: not said
        return date(anchor.year + 1, 1, 1), "year"
    return None
