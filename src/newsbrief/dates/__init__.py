"""Date expressions in news English: find them, and place them on the calendar.

Pure functions over text, no model and no dateparser: one grammar of the ways news
copy names a point in time, written out so that every reading is a rule that can be
read and tested. Anything the grammar does not know is left out; a timeline that
says less is better than one that is wrong.

* ``find_expressions(text)``: every expression, with its span and what it says
  (``Expression``): a full date ("Jan. 22, 2017"), a month and day without a
  year ("Jan. 22", "22 January"), a month ("in March", "last May"), a year,
  a weekday ("Monday", "last Friday"), a day named from today ("today",
  "yesterday", "last night"), a unit from this one ("last week", "this month",
  "next year", "the weekend"), a count back ("three days ago"), a season ("last
  fall") or a fixed holiday ("Christmas Day"). Generic uses are not dates:
  "today's economy", "today's young people", "Sunday Times", "USA Today",
  "Bloody Sunday", "every Monday", "from 2009 to 2012" (a span).
* ``resolve(expression, anchor, tense)``: the expression as ``(date,
  granularity)`` against the article's own date. A weekday in a sentence about
  the past is the last such day up to the anchor ("Monday" in a Wednesday paper,
  two days before), in one about the future the next one; without a tense, the
  nearer of the two. A month and day without a year take the year that puts them
  nearest the anchor in the tense's direction ("payable Jan. 2" in a November
  paper is next January). Week granularity starts on Monday (ISO weeks).
* ``full_date(text)``: a complete date with day, month and year, for date lines.

Tenses are ``"past"``, ``"future"`` or None (present, or not known); finding
them needs a parse, which is the timeline's business.
"""

from newsbrief.dates.grammar import Expression, find_expressions, full_date, parse_expression
from newsbrief.dates.resolve import resolve

__all__ = [
    "Expression",
    "find_expressions",
    "full_date",
    "parse_expression",
    "resolve",
]
