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

The figures of the brief's own sentences are shown where the fact appears. Beyond them,
``find_story_conflicts`` compares the figures of every sentence that gives one with the
closest sentences of the other independent sources (a few neighbours each, by TF-IDF
cosine: cost grows with the story, not with its square), under the same rules; those are
listed among the disputes only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import scipy.sparse as sp

from newsbrief.agreement import (
    MODEL_LENGTH_RATIO,
    Facts,
    Quantity,
    carries_probability,
    conflicts,
    dates_differ,
    facts,
    same_value,
)
from newsbrief.model import BriefSentence, FactConflict, FactReport, Sentence, Support
from newsbrief.settings import Weights
from newsbrief.text import UnionFind, spelled_alike, stemmed_terms, stop_words
from newsbrief.vectors import TfidfVectorizer

__all__ = ["fact_report", "figure_heading", "figure_sentences", "find_conflicts",
           "find_spelling_conflicts", "find_story_conflicts"]

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


def figure_heading(q: Quantity) -> str:
    """What a figure counts, as a disagreement's heading says it."""
    if q.kind.startswith("count:"):
        return q.noun or q.kind.removeprefix("count:")
    return _WHAT.get(q.kind, q.kind)


def fact_report(q: Quantity, s: Sentence | BriefSentence) -> FactReport:
    """Where a sentence gives the figure ``q``, as a disagreement reports it."""
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
            out.append(fact_report(same[0], other))
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
        reports = kinds.setdefault(kind, [fact_report(mine, bs),
                                          *_agreeing(mine, bs.support, by_id)])
        reports.append(fact_report(their, other))
    out = []
    for kind, reports in kinds.items():
        mine = next(q for q in own.quantities if q.kind == kind)
        out.append(FactConflict(figure_heading(mine), tuple(reports)))
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


STORY_NEIGHBOURS = 3
"""Closest sentences of each other source that a sentence giving a figure is compared with."""
MAX_FIGURE_SENTENCES = 3000
"""Most sentences with a figure compared story-wide (the first, in article order): the cost
stays bounded whatever the input."""


def figure_sentences(
    sentences: Sequence[Sentence],
) -> tuple[list[tuple[Sentence, Facts]], sp.csr_matrix | None]:
    """The sentences that give a figure (at most ``MAX_FIGURE_SENTENCES``) with their facts,
    and the TF-IDF cosines between them (stemmed terms, sublinear tf); no cosines when
    there are fewer than two, or no terms. What the story's disagreements of fact and an
    update's changed figures both look for neighbours in."""
    found = [(s, facts(s.text)) for s in sentences]
    found = [(s, f) for s, f in found if any(q.kind for q in f.quantities)]
    found = found[:MAX_FIGURE_SENTENCES]
    if len(found) < 2:
        return found, None
    try:
        matrix = TfidfVectorizer(sublinear_tf=True, analyzer=stemmed_terms).fit_transform(
            [s.text for s, _ in found])
    except ValueError:  # no term at all
        return found, None
    return found, (matrix @ matrix.T).tocsr()


def find_story_conflicts(
    sentences: Sequence[Sentence],
    source_groups: Sequence[Sequence[str]],
    known: list[FactConflict],
    weights: Weights | None = None,
) -> list[FactConflict]:
    """Figures that independent sources give otherwise anywhere in the story, beyond the
    ``known`` conflicts of the brief's own sentences (which keep their place)."""
    weights = weights or Weights()
    group_of = {a: g for g, group in enumerate(source_groups) for a in group}
    if len(set(group_of.values())) < 2:
        return []
    found, sims = figure_sentences([s for s in sentences if not _OTHER_EVENT.search(s.text)])
    if sims is None:
        return []
    pairs: dict[tuple[int, int], float] = {}
    for i in range(len(found)):
        row = sims.getrow(i)
        best: dict[int, list[tuple[float, int]]] = {}
        for j, sim in zip(row.indices.tolist(), row.data.tolist(), strict=True):
            gi, gj = group_of.get(found[i][0].article_id), group_of.get(found[j][0].article_id)
            if gi == gj or sim < weights.cite_threshold:
                continue
            best.setdefault(gj if gj is not None else -1, []).append((sim, j))
        for near in best.values():
            for sim, j in sorted(near, reverse=True)[:STORY_NEIGHBOURS]:
                pairs[(min(i, j), max(i, j))] = sim
    candidates: list[tuple[int, int, float]] = []
    for (i, j), sim in pairs.items():
        a, b = found[i][1], found[j][1]
        if dates_differ(a, b) or not conflicts(a, b):
            continue
        if min(len(a.words), len(b.words)) < MODEL_LENGTH_RATIO * max(len(a.words),
                                                                      len(b.words)):
            continue
        candidates.append((i, j, sim))
    if not candidates:
        return []
    probability = carries_probability([(found[i][1], found[j][1]) for i, j, _ in candidates],
                                      [sim for _, _, sim in candidates])
    seen = {sid for c in known for sid in c.sentence_ids}
    out: list[FactConflict] = []
    for (i, j, _), p in zip(candidates, probability.tolist(), strict=True):
        (si, fi), (sj, fj) = found[i], found[j]
        if si.id in seen or sj.id in seen:
            continue
        if p < weights.conflict_threshold:
            continue  # (the figures' neighbouring words alone find mostly other things)
        for mine, their in conflicts(fi, fj):
            out.append(FactConflict(figure_heading(mine),
                                    (fact_report(mine, si), fact_report(their, sj))))
    merged = _merge(out)
    order = {s.id: n for n, s in enumerate(sentences)}
    merged.sort(key=lambda c: min(order.get(r.sentence_id, 0) for r in c.reports))
    return merged


_CAPITALISED = re.compile(r"(?<![\w.])([A-Z][a-z]+(?:[-'’][A-Z]?[a-z]+)*)\b")
_NEIGHBOUR = re.compile(r"[A-Za-z][\w'’-]*")


def _fold(word: str) -> str:
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFKD", word.replace("’", "'"))
                    if not unicodedata.combining(c)).casefold()
    return re.sub(r"(?:'s|s)$", "", plain)  # "Trump’s" and "Trump's", "State" and "States"


def find_spelling_conflicts(
    sentences: Sequence[Sentence], source_groups: Sequence[Sequence[str]]
) -> list[FactConflict]:
    """A name that independent sources spell differently ("Frazier" [1]; "Fraiser" [2],
    "Sebastian Coe"; "Sebastien Coe"): two capitalised words a letter or two apart, each
    used by one source and never by the other, next to the same word somewhere in both.
    Accents alone ("Pääbo", "Paabo") are a transliteration, not a disagreement; a source
    that writes both spellings has a typo, not a different fact."""
    group_of = {a: g for g, group in enumerate(source_groups) for a in group}
    uses: dict[int, dict[str, list[tuple[Sentence, int, int, set[str]]]]] = {}
    for s in sentences:
        g = group_of.get(s.article_id)
        if g is None:
            continue
        for m in _CAPITALISED.finditer(s.text):
            if m.start() == 0 or len(m.group(1)) < 4:
                continue  # a sentence's first word is capitalised whatever it is
            before = _NEIGHBOUR.findall(s.text[max(0, m.start() - 30) : m.start()])[-1:]
            after = _NEIGHBOUR.findall(s.text[m.end() : m.end() + 30])[:1]
            near = {w.casefold() for w in (*before, *after)} - stop_words()
            uses.setdefault(g, {}).setdefault(m.group(1), []).append(
                (s, m.start(), m.end(), near))
    lower = {w.casefold() for s in sentences for w in _NEIGHBOUR.findall(s.text)
             if w.islower()}
    out: list[FactConflict] = []
    seen: set[frozenset[str]] = set()
    groups = sorted(uses)
    for x, ga in enumerate(groups):
        for gb in groups[x + 1 :]:
            for wa, ua in uses[ga].items():
                for wb, ub in uses[gb].items():
                    if (wa == wb or wa[0] != wb[0] or abs(len(wa) - len(wb)) > 1
                            or wb in uses[ga] or wa in uses[gb] or _fold(wa) == _fold(wb)
                            or wa.casefold() in lower or wb.casefold() in lower
                            or frozenset((wa, wb)) in seen):
                        continue
                    if not spelled_alike(wa, wb):
                        continue
                    if not any(na & nb for *_, na in ua for *_, nb in ub):
                        continue  # never next to the same word: two names, not one
                    seen.add(frozenset((wa, wb)))
                    reports = []
                    for k, w in enumerate((wa, wb)):
                        first: dict[str, tuple[Sentence, int, int]] = {}
                        for g in groups:  # every article that writes it, once
                            for s, a, b, _ in uses[g].get(w, ()):
                                first.setdefault(s.article_id, (s, a, b))
                        reports += [FactReport(w, float(k), s.article_id, s.id, s.start + a,
                                               s.start + b, s.text)
                                    for s, a, b in first.values()]
                    out.append(FactConflict("spelling", tuple(reports)))
    return out
