"""The grammar of date expressions in news English, and the context rules that tell a
date from a name, a span, a count or a generic "today" (see ``newsbrief.dates``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["Expression", "find_expressions", "full_date", "parse_expression"]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}

_MON_FULL = (r"(?:January|February|March|April|May|June|July|August|September|October|"
             r"November|December)")
_MON = (r"(?:Jan(?:uary|\.)?|Feb(?:ruary|\.)?|Mar(?:ch|\.)?|Apr(?:il|\.)?|May|June?\.?|"
        r"July?\.?|Aug(?:ust|\.)?|Sept?(?:ember|\.)?|Oct(?:ober|\.)?|Nov(?:ember|\.)?|"
        r"Dec(?:ember|\.)?)")
_WD = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
_WD_ABBR = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:1[0-9]|20)\d\d"
_END = r"(?![\w%$€£]|[.,]\d|[-–/:]\d)"
"""Not followed by more of a word or a number ("1998s", "22%", "22.5", "22-25", "22:30")."""
_COUNT = "|".join(_NUMBERS) + r"|\d{1,3}"

_FIRST_WORD = (
    r"(?=\d|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|Sat|Sun|"
    r"Christmas|New|Thanksgiving|Halloween|Fourth|Valentine)|"
    r"(?i:the|last|next|this|early|late|earlier|later|mid|today|tonight|yesterday|tomorrow|"
    r"over|during|about|nearly|almost|some|more|less|roughly|around|approximately|at|only|"
    r"just|an?\b|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|spring|"
    r"summer|fall|autumn))"
)
"""The words an expression can start with: the grammar is tried only where one stands
(five times faster on news text than trying every alternative at every word)."""

_GRAMMAR = re.compile(
    r"\b" + _FIRST_WORD + "(?:" + "|".join([
        # "Monday, Jan. 23, 2017", "January 23rd 2017", "Jan. 23 2017"
        rf"(?P<mdy>\b(?:(?P<mdy_wd>{_WD}|{_WD_ABBR}),?\s+)?(?P<mdy_m>{_MON})\s+(?P<mdy_d>{_DAY}),?"
        rf"\s+(?P<mdy_y>{_YEAR}){_END})",
        # "23 January 2017", "the 23rd of January, 2017"
        rf"(?P<dmy>(?:(?P<dmy_wd>{_WD}|{_WD_ABBR}),?\s+)?(?:the\s+)?(?<![\w.,$])(?P<dmy_d>{_DAY})"
        rf"(?:\s+of)?\s+(?P<dmy_m>{_MON}),?\s+(?P<dmy_y>{_YEAR}){_END})",
        rf"(?P<iso>\b(?P<iso_y>{_YEAR})-(?P<iso_m>0[1-9]|1[0-2])-(?P<iso_d>[0-2]\d|3[01]){_END})",
        # "Jan. 22", "Monday, January 23" (no year; not "Jan. 22-25")
        rf"(?P<md>\b(?:(?P<md_wd>{_WD}),?\s+)?(?P<md_m>{_MON})\s+(?P<md_d>{_DAY})"
        rf"(?![\w%$€£]|[.,]\d|\s*[-–]\s*\d|\s+(?:to|through|until)\s+\d|,?\s+{_YEAR}))",
        # "22 January", "the 22nd of January"
        rf"(?P<dm>(?:the\s+)?(?<![\w.,$])(?P<dm_d>{_DAY})(?:\s+of)?\s+(?P<dm_m>{_MON_FULL}|{_MON}\.)"
        rf"(?!,?\s+{_YEAR}|\w))",
        # "June last year", "February this year", "January of next year"
        rf"(?P<mrel>\b(?P<mrel_m>{_MON_FULL})(?:,\s*|\s+)(?:of\s+)?(?P<mrel_mod>(?i:last|this|next))"
        r"\s+year\b)",
        # "January 2017", "Jan. 2017", "January of 2017"; "early 2017"
        rf"(?P<my>\b(?P<my_m>{_MON}),?\s+(?:of\s+)?(?P<my_y>{_YEAR}){_END})",
        # "last May", "in March", "early September", "the end of December"
        rf"(?P<mon>\b(?:(?P<mon_mod>(?i:last|next|this(?:\s+past|\s+coming)?|early|late|mid-?))\s*)?"
        rf"(?P<mon_m>{_MON_FULL})(?![\w'’]|\s+(?:\d|{_YEAR})))",
        # weekdays: "Monday", "last Friday", "early Tuesday", "Monday night", "Friday's"
        rf"(?P<wd>\b(?:(?P<wd_mod>(?i:last|next|this(?:\s+past|\s+coming)?|early|late))\s+)?"
        rf"(?P<wd_d>{_WD})(?!s\b|\w))",
        # "today", "early yesterday", "tonight", "last night", "this morning"
        r"(?P<deictic>\b(?i:(?:(?:early|late|earlier|later)\s+)?(?P<deictic_w>today|tonight|yesterday|"
        r"tomorrow|last\s+night|this\s+(?:morning|afternoon|evening)))\b)",
        # "the day before yesterday", "the day after tomorrow"
        r"(?P<twoday>\b(?i:the\s+day\s+(?P<twoday_w>before\s+yesterday|after\s+tomorrow))\b)",
        # "last week", "earlier this month", "the end of next year", "this weekend"
        r"(?P<rel>\b(?i:(?:(?:earlier|later|early|late|the\s+end\s+of|the\s+beginning\s+of|"
        r"the\s+middle\s+of|the\s+start\s+of|the\s+rest\s+of)\s+)?"
        r"(?P<rel_mod>last|this|next|this\s+past|this\s+coming)\s+"
        r"(?P<rel_u>week|month|year|weekend))(?![\w-]))",
        r"(?P<weekend>\b(?i:(?:over\s+|during\s+)?the\s+weekend)\b)",
        # "three days ago", "a year ago", "just a decade ago"; not "about a year ago"
        rf"(?P<ago>\b(?i:(?P<ago_hedge>(?:about|nearly|almost|some|more\s+than|less\s+than|over|"
        rf"roughly|around|approximately|at\s+least|only|just)\s+)?(?P<ago_n>{_COUNT})\s+"
        r"(?P<ago_u>day|week|month|year|decade)s?\s+ago)\b)",
        # "last fall", "this summer", "the summer of 1998", "spring 2016"
        rf"(?P<season>\b(?i:(?:(?P<season_mod>last|this|next|this\s+past|early|late)\s+)?"
        rf"(?:the\s+)?(?P<season_s>spring|summer|fall|autumn))(?:\s+(?:of\s+)?(?P<season_y>{_YEAR}))?"
        r"(?![\w-]))",
        # years: "1998", "in 2017", "fiscal 1989", "mid-1996"
        rf"(?P<year>(?<![\w$#€£.,/-])(?:(?i:early|late|mid)-?\s*)?(?P<year_y>{_YEAR}){_END})",
        # fixed holidays
        r"(?P<holiday>\b(?:(?P<holiday_mod>(?i:last|next|this))\s+)?(?P<holiday_h>Christmas\s+Day|"
        r"Christmas\s+Eve|New\s+Year['’]s\s+(?:Day|Eve)|Thanksgiving(?:\s+Day)?|Halloween|"
        r"July\s+Fourth|Fourth\s+of\s+July|Valentine['’]s\s+Day)\b)",
    ]) + ")"
)

_NOT_A_DATE_BEFORE = re.compile(
    r"(?:\b(?:every|each|on\s+a|of\s+a|any|one|some|the\s+following|the\s+previous|"
    r"the\s+next|that|no\.?|#|room|route|flight|model)\s*$|\$\s*$)", re.I
)
"""Words before an expression that make it no single date: "every Monday", "on a Friday",
"the following Tuesday" (anaphoric: relative to another event, not the paper)."""
_RANGE_BEFORE = re.compile(
    rf"(?:\b(?:from|between)\s+(?:the\s+)?(?:early\s+|late\s+|mid-?)?$|"
    rf"(?:{_YEAR}|{_MON}(?:\s+{_DAY})?|{_WD})\s*(?:to|through|until|till|-|–|—)\s*$|"
    rf"\bbetween\s+(?:\S+\s+){{1,3}}and\s+$)"
)
_RANGE_AFTER = re.compile(
    rf"^\s*(?:to|through|until|till|-|–|—)\s*(?:the\s+)?(?:early\s+|late\s+|mid-?)?"
    rf"(?:{_YEAR}|{_MON}|{_WD})"
)
"""A year, month or weekday that opens or closes a span ("from 2009 to 2012", "Monday
through Friday") names a period, not one point in time."""
_COUNTED = re.compile(
    r"^\s+(?:people|persons|men|women|children|troops|soldiers|police|officers|votes|"
    r"voters|jobs|deaths|cases|patients|homes|houses|cars|vehicles|miles|kilometers|km|"
    r"meters|metres|feet|ft|yards|acres|hectares|tons|tonnes|pounds|kg|barrels|shares|"
    r"points|dollars|euros|workers|employees|students|residents|members|units|calories|"
    r"rounds|pages|words|copies|signatures)\b"
)
"""A number before these is a count, not a year ("2000 people")."""
_NAME_BEFORE = re.compile(
    r"\b(?:Bloody|Good|Black|Super|Cyber|Ash|Palm|Easter|Holy|Maundy|Giving|Mad|Blue|Fat|"
    r"Shrove|Low|Whit|Trinity|Orthodox|Manic|Casual|Freaky|Spy|Red|Green|Election|Boxing|"
    r"USA|Psychology|Russia|Britain|Sunday|Marketing|Science|Physics)\s+$"
)
"""Words that make a name with a weekday or "Today" ("Bloody Sunday", "Super Tuesday",
"USA Today", "Russia Today"): the day of a name is not the day of the news."""
_CAPITAL_TODAY = re.compile(r"[^\s.!?:;\"“”'‘’(\[—–-]\s+$")
"""A capitalised "Today" not at the start of a sentence or quote is a title ("NBC's Today")."""
_NAME_AFTER = re.compile(r"^\s+(?!(?:" + _MON + r"|[A-Z][a-z]*day\b))[A-Z][a-z]")
"""A capitalised word after a weekday or "today": a name ("Sunday Times", "Today Show")."""
_MONTH_CONTEXT = re.compile(
    r"\b(?:in|on|by|since|until|till|through|throughout|during|from|to|before|after|of|"
    r"around|last|next|this|early|late|mid|and|or|between|that|until)\s+$", re.I
)
"""A month named alone ("in March") needs a word like these before it: "March" and "May"
are also words and names."""
_GENERIC_TODAY = re.compile(
    r"^(?:['’]s\s+(?!(?:meeting|vote|voting|announcement|decision|ruling|verdict|hearing|"
    r"session|game|match|race|election|primary|attack|attacks|bombing|shooting|talks|"
    r"summit|ceremony|event|deadline|statement|speech|report|reports|news\s+conference|"
    r"press\s+conference|briefing|rally|protest|march|strike|trading|close|edition|"
    r"issue|paper|launch|visit|trip|debate|testimony|sentencing|funeral|service|"
    r"crash|storm|release|move|meetings|deal|agreement|interview)\b)|"
    r"\s+(?:show|programme|program)\b)",
    re.I,
)
""""today's" before anything but a dated happening is the present in general ("today's
economy", "today's young people"); a news event ("today's vote") is the day."""
_GENERIC_TODAY_BEFORE = re.compile(
    r"(?:\b(?:even|still|until|of|than|like|world\s+of|as\s+it\s+is)\s+$)", re.I)
""""even today", "the youth of today", "than today": the present, not a day."""


@dataclass(frozen=True, slots=True)
class Expression:
    """One date expression: where it is, what kind it is, and what it says."""

    start: int
    end: int
    text: str
    kind: str
    """``date`` (day, month and year), ``month_day``, ``month_year``, ``month``,
    ``year``, ``weekday``, ``deictic`` (today, yesterday...), ``relative`` (last
    week...), ``weekend``, ``ago``, ``season``, ``holiday``."""
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str | None = None
    """``last``, ``next``, ``this``, ``this past``, ``this coming``; None for none."""
    offset: int = 0
    """Days from the anchor (``deictic``), or how many units back (``ago``)."""
    unit: str | None = None
    """``day``, ``week``, ``month``, ``year`` (``relative``, ``ago``); season or holiday name."""

    @property
    def needs_tense(self) -> bool:
        """Whether the reading depends on the tense of its sentence."""
        return self.kind in ("month_day", "weekday", "weekend", "holiday") or (
            self.kind == "month" and self.unit is None
            and self.modifier not in ("last", "next", "this past", "this coming", "this"))

    @property
    def day_relative(self) -> bool:
        """Whether the date moves one for one with the anchor ("today", "three days ago"):
        it needs the article's own date, not one borrowed from another article."""
        return self.kind == "deictic" or (self.kind == "ago" and self.unit in ("day", "week"))


def _month(word: str) -> int:
    return MONTHS[word[:3].lower()]


def _weekday(word: str | None) -> int | None:
    return WEEKDAYS[word[:3].lower()] if word else None


def _modifier(word: str | None) -> str | None:
    return re.sub(r"\s+", " ", word.lower()) if word else None


def _expression(m: re.Match[str]) -> Expression | None:
    """The ``Expression`` one match of the grammar names, or None when it names no date."""
    kind = m.lastgroup
    if kind is None:  # pragma: no cover - every alternative of the grammar is a named group
        return None
    g = m.groupdict()
    start, end, text = m.start(kind), m.end(kind), m.group(kind)

    def make(kind: str, **fields: object) -> Expression:
        return Expression(start, end, text, kind, **fields)  # type: ignore[arg-type]

    if kind in ("mdy", "dmy", "iso"):
        y, mo, d = int(g[f"{kind}_y"]), g[f"{kind}_m"], int(re.sub(r"\D", "", g[f"{kind}_d"]))
        month = int(mo) if kind == "iso" else _month(mo)
        try:
            when = date(y, month, d)
        except ValueError:
            return None
        wd = _weekday(g.get(f"{kind}_wd"))
        if wd is not None and wd != when.weekday():
            return None  # "Monday, Jan. 24, 2017" (a Tuesday): the text contradicts itself
        return make("date", year=y, month=month, day=d)
    if kind in ("md", "dm"):
        month = _month(g[f"{kind}_m"])
        d = int(re.sub(r"\D", "", g[f"{kind}_d"]))
        if d > (29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
            return None
        return make("month_day", month=month, day=d, weekday=_weekday(g.get("md_wd")))
    if kind == "mrel":
        step = {"last": -1, "this": 0, "next": 1}[g["mrel_mod"].lower()]
        return make("month", month=_month(g["mrel_m"]), offset=step, unit="year")
    if kind == "my":
        return make("month_year", year=int(g["my_y"]), month=_month(g["my_m"]))
    if kind == "mon":
        mod = _modifier(g["mon_mod"])
        return make("month", month=_month(g["mon_m"]),
                    modifier=None if mod in ("early", "late", "mid", "mid-") else mod)
    if kind == "wd":
        mod = _modifier(g["wd_mod"])
        return make("weekday", weekday=_weekday(g["wd_d"]),
                    modifier=None if mod in ("early", "late") else mod)
    if kind == "deictic":
        word = re.sub(r"\s+", " ", g["deictic_w"].lower())
        offset = {"yesterday": -1, "tomorrow": 1, "last night": -1}.get(word, 0)
        return make("deictic", offset=offset, unit="day")
    if kind == "twoday":
        return make("deictic", offset=-2 if "before" in g["twoday_w"] else 2, unit="day")
    if kind == "rel":
        unit = g["rel_u"].lower()
        mod = _modifier(g["rel_mod"])
        if unit == "weekend":
            return make("weekend", modifier=mod)
        return make("relative", modifier=mod, unit=unit)
    if kind == "weekend":
        return make("weekend")
    if kind == "ago":
        if g["ago_hedge"] and g["ago_hedge"].split()[0].lower() not in ("only", "just"):
            return None  # "about a year ago": not a point the text pins down
        n = g["ago_n"].lower()
        count = int(n) if n.isdigit() else _NUMBERS[n]
        unit = g["ago_u"].lower()
        if unit == "decade":
            count, unit = count * 10, "year"
        return make("ago", offset=count, unit=unit)
    if kind == "season":
        season = "fall" if g["season_s"].lower() == "autumn" else g["season_s"].lower()
        year = int(g["season_y"]) if g["season_y"] else None
        mod = _modifier(g["season_mod"])
        if year is None and mod in (None, "early", "late"):
            return None  # "the summer", "summer": which one is not said
        return make("season", year=year, modifier=None if mod in ("early", "late") else mod,
                    unit=season)
    if kind == "year":
        return make("year", year=int(g["year_y"]))
    if kind == "holiday":
        name = re.sub(r"\s+", " ", g["holiday_h"]).replace("’", "'")
        return make("holiday", modifier=_modifier(g["holiday_mod"]), unit=_HOLIDAY_NAMES[name])
    return None  # pragma: no cover - every alternative of the grammar is named above


_HOLIDAY_NAMES = {
    "Christmas Day": "christmas", "Christmas Eve": "christmas eve",
    "New Year's Day": "new year", "New Year's Eve": "new year's eve",
    "Thanksgiving": "thanksgiving", "Thanksgiving Day": "thanksgiving",
    "Halloween": "halloween", "July Fourth": "july 4", "Fourth of July": "july 4",
    "Valentine's Day": "valentine",
}


def _plausible(text: str, e: Expression) -> bool:
    """The context rules: a span, a name, a count or a generic "today" is no date."""
    before = text[max(0, e.start - 40) : e.start]
    after = text[e.end : e.end + 40]
    if _NOT_A_DATE_BEFORE.search(before):
        return False
    if e.kind in ("relative", "weekday") and re.search(r"\bthe\s+$", before, re.I):
        return False  # "the next year", "the last week": a length, or counted from another day
    if e.kind == "season" and e.modifier is None and not re.search(
        r"\b(?:in|during|by|since|until|through|of)\s+(?:the\s+)?$", before, re.I
    ):
        return False  # "prices fall 2000 points"
    if e.kind in ("year", "month", "weekday", "month_year", "month_day") and (
        _RANGE_BEFORE.search(before) or _RANGE_AFTER.match(after)
    ):
        return False
    if e.kind == "year" and _COUNTED.match(after):
        return False
    if e.kind in ("weekday", "deictic", "holiday") and _NAME_BEFORE.search(before):
        return False
    if e.text.startswith("Today") and _CAPITAL_TODAY.search(before):
        return False
    if e.kind in ("weekday", "deictic") and _NAME_AFTER.match(after):
        return False
    if e.kind == "month" and e.modifier is None and not re.match(r"(?:early|late|mid)", e.text) \
            and not _MONTH_CONTEXT.search(before):
        return False
    generic_today = e.kind == "deictic" and e.text.lower().endswith("today") and (
        _GENERIC_TODAY.match(after) is not None or _GENERIC_TODAY_BEFORE.search(before) is not None
    )
    return not generic_today


def find_expressions(text: str) -> list[Expression]:
    """Every date expression in ``text`` that names one point in time, in order."""
    out = []
    for m in _GRAMMAR.finditer(text):
        e = _expression(m)
        if e is not None and _plausible(text, e):
            out.append(e)
    return out


def parse_expression(text: str) -> Expression | None:
    """``text`` read as one date expression ("on Monday", "Jan. 22"), or None."""
    stripped = re.sub(r"^(?:on|in|by|since|until|from|as\s+of|the)\s+", "", text.strip(),
                      flags=re.I)
    m = _GRAMMAR.search(stripped)
    if m is None:
        return None
    e = _expression(m)
    if e is None or stripped[: e.start].strip() or stripped[e.end :].strip(" ,.;'’s"):
        return None
    return e


_NUMERIC = re.compile(r"\b(\d{1,2})[/.-](\d{1,2})[/.-]((?:19|20)\d\d)\b")
_FULL_CI = re.compile(
    rf"\b(?i:(?P<m1>{_MON}))\s+(?P<d1>{_DAY}),?\s+(?P<y1>{_YEAR})\b|"
    rf"\b(?P<d2>{_DAY})(?:\s+of)?\s+(?i:(?P<m2>{_MON})),?\s+(?P<y2>{_YEAR})\b|"
    rf"\b(?P<y3>{_YEAR})-(?P<m3>0[1-9]|1[0-2])-(?P<d3>[0-2]\d|3[01])\b"
)
"""Complete dates in any case ("JAN. 24, 2017"), for date lines."""


def full_date(text: str) -> date | None:
    """The first complete date in ``text`` (day, month and year), as date lines write it:
    "Jan. 24, 2017", "24 January, 2017", "2017-01-24", "24/01/2017". A numeric date
    whose day and month could be swapped ("03/04/2017") is not read."""
    found: list[tuple[int, date]] = []
    for m in _FULL_CI.finditer(text):
        g = m.groupdict()
        i = 1 if g["m1"] else 2 if g["m2"] else 3
        month_text = g[f"m{i}"]
        try:
            month = int(month_text) if i == 3 else MONTHS[month_text[:3].lower()]
            found.append((m.start(), date(int(g[f"y{i}"]), month,
                                          int(re.sub(r"\D", "", g[f"d{i}"])))))
        except (KeyError, ValueError):
            continue
        break
    for m in _NUMERIC.finditer(text):
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        if a == b or (a > 12) != (b > 12):
            day, month = (a, b) if a > 12 or a == b else (b, a)
            try:
                found.append((m.start(), date(y, month, day)))
            except ValueError:
                continue
            break
    return min(found)[1] if found else None
