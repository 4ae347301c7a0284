"""Figures in a sentence: numbers with what they count, clock times, dates.

``quantities`` reads each number with its qualifier ("at least 24"), its scale and
currency ("$1.8 billion"), and what it counts (``Quantity.kind``): the event words near it
("killing 46", "24 people were killed": the dead), money by currency, shares by
"percent", clock times, else the noun after it ("five weeks"). Years and month-day dates
are dates, not counts (``YEAR``, ``MONTH_DAY``, ``WEEKDAY``). Regular expressions only:
cheap enough for every sentence that a brief compares.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from newsbrief.text import stem, stop_words

__all__ = ["MONTHS", "MONTH_DAY", "WEEKDAY", "WEEKDAYS", "YEAR", "Quantity", "quantities",
           "same_value"]

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "m": 1e6, "mn": 1e6, "bn": 1e9, "k": 1e3,
}
_CURRENCY = {"$": "$", "us$": "$", "£": "£", "€": "€", "¥": "¥"}
_APPROXIMATE = frozenset({
    "about", "around", "nearly", "almost", "roughly", "approximately", "some", "estimated",
    "an estimated", "close to", "up to", "as many as", "more than", "over", "at least",
    "fewer than", "less than", "under", "upwards of",
})
"""Qualifiers shown with a value ("at least 24"); only "about"-like ones allow a near value."""
_NEAR = frozenset({"about", "around", "nearly", "almost", "roughly", "approximately", "some",
                   "estimated", "an estimated", "close to"})

_QUALIFIER = (r"(?:at least|more than|fewer than|less than|as many as|up to|close to|"
              r"upwards of|an estimated|about|around|nearly|almost|roughly|approximately|"
              r"some|over|under|estimated)")
_NUMBER = re.compile(
    rf"(?<![\w.,/#:-])(?:(?P<qual>{_QUALIFIER})\s+)?"
    r"(?P<cur>US\$|[$£€¥])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    rf"(?:{'|'.join(sorted(_WORD_NUMBERS, key=len, reverse=True))})(?:[- ](?:one|two|three|"
    r"four|five|six|seven|eight|nine))?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|mn|m|k)\b)?"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b|percentage points?\b))?"
    r"(?![\w:/]|[.,]\d|-\d|-(?:year|day|week|month|hour|minute|foot|mile|yard|point)\b)",
    re.I,
)
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_DAY = re.compile(
    rf"\b(?P<month>{'|'.join(MONTHS)})\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?\b(?!,?\d)", re.I
)
_TIME = re.compile(
    r"(?<![\w.:])(?P<h>[01]?\d|2[0-3])(?::(?P<m>[0-5]\d))?\s?(?P<ampm>[ap])\.?m\b\.?"
    r"|(?<![\w.:])(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![\d:])",
    re.I,
)
"""Clock times: "8:30 am", "4 p.m.", "14:05"."""
WEEKDAY = re.compile(rf"\b(?:{'|'.join(WEEKDAYS)})\b", re.I)
YEAR = re.compile(
    r"(?<![\w$£€.,-])(?:1[89]\d\d|20\d\d)(?![\w%-]|[.,]\d|\s?(?:million|billion))"
)

_EVENTS = {
    "killed": ("kill", "dead", "die", "died", "death", "deaths", "toll", "fatal", "fatalities",
               "lives", "bodies", "slain", "murder", "murdered", "massacr"),
    "injured": ("injur", "wound", "hurt", "hospitalis", "hospitaliz", "casualties"),
    "arrested": ("arrest", "detain", "custody", "charged"),
    "missing": ("missing",),
    "displaced": ("evacuat", "displac", "homeless", "fled"),
}
"""What a number counts, when a verb or noun near it says: a death toll, the wounded.
Matched as prefixes of the lower-cased words around the number."""
_FILLERS = frozenset({
    "more", "than", "other", "others", "of", "the", "a", "an", "additional", "new", "about",
    "were", "was", "are", "have", "had", "been", "people", "persons", "person", "and", "or",
    "to", "in", "on", "at", "per", "each", "total", "all", "least", "some", "who",
})
_STOPS = frozenset({"and", "but", "while", "with", "whereas", ",", ";", "including"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in a sentence, with what it counts."""

    value: float
    text: str
    """As written, qualifier included: "at least 24", "$1.8 billion"."""
    kind: str
    """What it counts: ``killed``, ``injured`` (the event words near it), ``$`` (money),
    ``percent``, ``time`` (of day, in minutes), else ``count:<stem of the noun after it>``;
    empty when unknown."""
    start: int
    end: int
    """Offsets of ``text`` in the sentence."""
    qualifier: str | None = None
    noun: str = ""
    """The noun it counts as written ("weeks"), for a ``count:`` kind."""


_JOINED = re.compile(r"\s*(?:to|and|or|-|–|—)\s*", re.I)
_TOKEN = re.compile(r"[\w'’-]+|[,;]")


def _event(words: Sequence[str]) -> str | None:
    for w in words:
        for kind, prefixes in _EVENTS.items():
            if w.startswith(prefixes):
                return kind
    return None


def _value(num: str, scale: str | None) -> float | None:
    n = num.lower().replace(",", "")
    try:
        value = float(n)
    except ValueError:
        parts = re.split(r"[- ]", n)
        if any(p not in _WORD_NUMBERS for p in parts):
            return None
        value = float(sum(_WORD_NUMBERS[p] for p in parts))
    return value * _SCALES.get((scale or "").lower(), 1.0)


def quantities(text: str) -> list[Quantity]:
    """Numbers that count something, with what they count (years and dates left out)."""
    dates = [(m.start(), m.end()) for m in MONTH_DAY.finditer(text)]
    dates += [(m.start(), m.end()) for m in YEAR.finditer(text)]
    out: list[Quantity] = []
    for m in _TIME.finditer(text):
        hour = int(m["h"] or m["h24"])
        if m["ampm"]:
            hour = hour % 12 + (12 if m["ampm"].lower() == "p" else 0)
        minutes = int(m["m"] or m["m24"] or 0)
        out.append(Quantity(float(hour * 60 + minutes), m.group(0), "time", m.start(), m.end()))
        dates.append((m.start(), m.end()))
    for m in _NUMBER.finditer(text):
        num, cur, scale, pct = m["num"], m["cur"], m["scale"], m["pct"]
        start = m.start("cur") if cur else m.start("num")
        if any(s <= start < e for s, e in dates):
            continue
        if num.lower() == "one" and re.match(r"\s+(?:of|another|day|time|way)\b",
                                             text[m.end():], re.I):
            continue
        if scale and scale.lower() in ("m", "k") and not cur:
            continue  # "10m" without a currency is more often metres than millions
        value = _value(num, scale)
        if value is None:
            continue
        before = [w.lower() for w in _TOKEN.findall(text[max(0, m.start() - 40):m.start()])]
        after = [w.lower() for w in _TOKEN.findall(text[m.end():m.end() + 60])]
        back: list[str] = []
        for w in reversed(before[-3:]):
            if w in _STOPS or _NUMBER.fullmatch(w):
                break
            back.append(w)
        ahead: list[str] = []
        for w in after[:5]:
            if w in _STOPS:
                break
            ahead.append(w)
        kind = noun_written = ""
        if cur:
            kind = _CURRENCY.get(cur.lower(), cur)
        elif pct:
            kind = "percent"
        else:
            event = _event(back) or _event(ahead)
            noun = next((w for w in ahead if w not in _FILLERS and not w[0].isdigit()), None)
            if event:
                kind = event
            elif noun and noun.isalpha() and noun not in stop_words():
                kind, noun_written = "count:" + stem(noun), noun
        qual = m["qual"].lower() if m["qual"] else None
        lead = len(m.group(0)) - len(m.group(0).lstrip())
        written = m.group(0).strip()
        if qual:  # "At least 24" opening a sentence is shown as "at least 24"
            written = qual + written[len(qual):]
        out.append(Quantity(value, written, kind, m.start() + lead, m.end(), qual, noun_written))
    out.sort(key=lambda q: q.start)
    for i in range(1, len(out)):  # "from 24 to 46", "24 or 25": the second counts the same
        prev, q = out[i - 1], out[i]
        if not q.kind and prev.kind and _JOINED.fullmatch(text[prev.end:q.start]):
            out[i] = dataclasses.replace(q, kind=prev.kind, noun=prev.noun)
    return out


def same_value(a: Quantity, b: Quantity) -> bool:
    """The two values agree: equal, or within 10% where one says "about" ("nearly", ...)."""
    if math.isclose(a.value, b.value, rel_tol=1e-6):
        return True
    near = a.qualifier in _NEAR or b.qualifier in _NEAR
    return near and math.isclose(a.value, b.value, rel_tol=0.1)
