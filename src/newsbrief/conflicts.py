"""Figures that outlets give differently: a death toll, a count, an amount.

Built on the citations of ``summarize``: while citing a brief sentence it keeps the
sentences of other articles that tell the same thing with a different figure
(``BriefSentence.disagreeing``: ``agreement``'s model finds them alike, its number check
finds a quantity of the same kind with no value in common). Here each becomes a
``FactConflict``, with every value and the outlets that give it:

* only the best-matching sentence of each independent source stands for it, and a source
  that also gives the brief's value somewhere in that sentence does not disagree;
* a sentence that tells of another event ("a separate explosion", "also killed",
  "last year") or names other dates is not set against the brief's sentence;
* the outlets the brief cites for the sentence are listed with its value when their own
  sentence gives that value for the same kind of figure;
* conflicts of one kind of figure that share a sentence are one conflict (the brief's two
  sentences "at least 24 killed" and "killing 46" make one list of values, not two).

Only figures of the brief's own sentences are compared: the brief says so where the fact
appears, and says nothing about figures it does not state.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbrief.agreement import Quantity, conflicts, dates_differ, facts, same_value
from newsbrief.model import BriefSentence, FactConflict, FactReport, Sentence, Support
from newsbrief.text import UnionFind

__all__ = ["find_conflicts"]

_OTHER_EVENT = re.compile(
    r"\b(?:separate|separately|another|earlier|previous|previously|prior|similar|also|"
    r"meanwhile|elsewhere|second|third|last (?:year|month|week)|since|so far this year|"
    r"in total|a total|overall|in all|bringing)\b",
    re.I,
)
"""Words that say a figure is of another event, or a total over several: "a separate
explosion ... killing two", "also killed", "bringing the toll to": not the same figure."""

_WHAT = {"$": "amount ($)", "£": "amount (£)", "€": "amount (€)", "¥": "amount (¥)",
         "percent": "percent"}


def _what(q: Quantity) -> str:
    if q.kind.startswith("count:"):
        return q.noun or q.kind.removeprefix("count:")
    return _WHAT.get(q.kind, q.kind)


def _report(q: Quantity, s: Sentence | BriefSentence) -> FactReport:
    sentence = s.sentence if isinstance(s, BriefSentence) else s
    return FactReport(q.text, q.value, sentence.article_id, sentence.id,
                      sentence.start + q.start, sentence.start + q.end, sentence.text)


def _agreeing(value: Quantity, supports: Sequence[Support],
              by_id: dict[str, Sentence]) -> list[FactReport]:
    """Reports of the brief's value by the outlets cited for the sentence."""
    out = []
    for sup in supports[1:]:
        other = by_id.get(sup.sentence_id)
        if other is None:
            continue
        same = [q for q in facts(other.text).quantities
                if q.kind == value.kind and same_value(q, value)]
        if same:
            out.append(_report(same[0], other))
    return out


def _sentence_conflicts(
    bs: BriefSentence, by_id: dict[str, Sentence], group_of: dict[str, int]
) -> list[FactConflict]:
    if _OTHER_EVENT.search(bs.text):
        return []
    own = facts(bs.text)
    best: dict[tuple[str, int], tuple[float, Quantity, Quantity, Sentence]] = {}
    for sup in bs.disagreeing:
        other = by_id.get(sup.sentence_id)
        if other is None or _OTHER_EVENT.search(other.text):
            continue
        theirs = facts(other.text)
        if dates_differ(own, theirs):
            continue
        for mine, their in conflicts(own, theirs):
            key = (mine.kind, group_of.get(other.article_id, -1))
            if key not in best or sup.agreement > best[key][0]:
                best[key] = (sup.agreement, mine, their, other)
    kinds: dict[str, list[FactReport]] = {}
    for (kind, _), (_, mine, their, other) in sorted(best.items(), key=lambda kv: kv[0]):
        reports = kinds.setdefault(kind, [_report(mine, bs),
                                          *_agreeing(mine, bs.support, by_id)])
        reports.append(_report(their, other))
    out = []
    for kind, reports in kinds.items():
        mine = next(q for q in own.quantities if q.kind == kind)
        out.append(FactConflict(_what(mine), tuple(reports)))
    return out


def _merge(found: list[FactConflict]) -> list[FactConflict]:
    """Conflicts of one kind of figure that share a sentence become one."""
    sets: UnionFind[int] = UnionFind(range(len(found)))
    seen: dict[tuple[str, str], int] = {}
    for i, c in enumerate(found):
        for sid in c.sentence_ids:
            j = seen.setdefault((c.what, sid), i)
            sets.union(i, j)
    out = []
    for group in sets.groups():
        reports: dict[tuple[str, int], FactReport] = {}
        for i in group:
            for r in found[i].reports:
                reports.setdefault((r.sentence_id, r.start), r)
        if len({r.number for r in reports.values()}) > 1:
            out.append(FactConflict(found[group[0]].what, tuple(reports.values())))
    return out


def find_conflicts(
    summary: Sequence[BriefSentence],
    sentences: Sequence[Sentence],
    source_groups: Sequence[Sequence[str]],
) -> list[FactConflict]:
    """The figures of the brief's sentences that other independent sources give otherwise,
    in the order of the brief's sentences."""
    by_id = {s.id: s for s in sentences}
    group_of = {a: g for g, group in enumerate(source_groups) for a in group}
    found: list[FactConflict] = []
    for bs in summary:
        if bs.disagreeing:
            found += _sentence_conflicts(bs, by_id, group_of)
    return _merge(found)
