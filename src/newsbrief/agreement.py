"""Does one sentence carry another: the same facts, and the same thing said.

A source is cited for a brief sentence (``cite``) only when one of its sentences passes
both tests:

1. *The facts agree* (``facts_disagree``; regular expressions, no model):

   * *numbers* with what they count (``newsbrief.figures``): "killing 46" and "at least
     24 people were killed" both count the dead, with no value in common, so they
     conflict; "two mosques" and "46 killed" count different things and never meet;
   * *dates*: weekdays, month-day dates or years named by both, none in common;
   * *polarity*: one negates a word that the other states with no negation ("no
     decisions had been made" / "decisions have been made").

2. *It says the same thing*, one of:

   * a logistic regression over lexical features of the pair (``FEATURES``: TF-IDF
     cosine, stem and n-gram overlap both ways, character 4-grams, names, numbers,
     length) and word indicators (``word_terms``), trained on MRPC's news sentence pairs
     by ``evaluation/train_agreement.py`` and shipped as ``data/agreement.json``, gives
     at least ``Weights.agreement_threshold`` (judged only for sentences of comparable
     length, as MRPC's are: ``MODEL_LENGTH_RATIO``);
   * or the source's sentence contains the brief's (``contained``): it says all of it
     and more, or prints the quotation the brief's sentence reports.

A sentence alike enough (``Weights.conflict_threshold``) whose figure disagrees is kept
apart (``BriefSentence.disagreeing``): ``newsbrief.conflicts`` shows the figures side by
side. ``Facts`` holds what one sentence states, made once per sentence (``facts``).
Measured by ``evaluation/paraphrase_mrpc.py``.
"""

from __future__ import annotations

import itertools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from newsbrief.figures import (
    MONTH_DAY,
    MONTHS,
    WEEKDAY,
    WEEKDAYS,
    YEAR,
    Quantity,
    quantities,
    same_value,
)
from newsbrief.model import Sentence, Support
from newsbrief.settings import Weights
from newsbrief.text import NEGATORS, stem, stop_words

__all__ = [
    "FEATURES",
    "Facts",
    "Model",
    "Quantity",
    "carries_probability",
    "cite",
    "conflicts",
    "contained",
    "dates_differ",
    "facts",
    "facts_disagree",
    "load_model",
    "model_from_json",
    "pair_features",
    "polarity_differs",
    "quantities",
    "same_value",
    "score_rows",
    "word_terms",
]

# --------------------------------------------------------------------------- facts

_NEGATOR = re.compile(
    rf"\b(?:{'|'.join(sorted(NEGATORS | {'nobody', 'without', 'cannot'}))})\b|n[’']t\b", re.I
)
"""Polarity words: text.NEGATORS, with "without", "nobody" and "cannot", which flip a
stated fact though not a claim's denial."""
_NEGATIVE_VERB = re.compile(r"\b(?:declin|refus|fail|den(?:y|ie))\w*", re.I)
"""Verbs that negate what follows: "declined to comment" says what "had no comment" says."""
NEGATED_WINDOW = 4
"""Words after a negator that it negates ("no decisions had been made": decisions, made)."""
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][a-zA-Z'’-]+(?:\s+[A-Z][a-zA-Z'’-]+)*")
_WORDS = re.compile(r"\w+")
_QUOTED = re.compile(r"[“\"]([^”\"]{20,})[”\"]")
QUOTE_WORDS = 8
QUOTE_SHARE = 0.4
"""A quotation of at least this many words and this share of its sentence is what the
sentence reports: "Asked about X, Spicer said, "<quote>"" is carried by any outlet that
prints the quote, whatever it says around it."""
_POSSESSIVE = re.compile(r"['’]s?$")
_CALENDAR = frozenset((*MONTHS, *WEEKDAYS, "mr", "mrs", "ms", "dr"))
"""Capitalised words that name no one: months, weekdays, titles."""
_CLAUSE_END = re.compile(r"[,;:.!?]")


@dataclass(frozen=True, slots=True)
class Facts:
    """What one sentence states, as the checks and features need it (made by ``facts``)."""

    text: str
    words: tuple[str, ...]
    """Lower-cased word tokens."""
    stems: tuple[str, ...]
    """Stems of every word, stop words included (for n-grams)."""
    content: frozenset[str]
    """Stems of the words that are not stop words."""
    ngrams: tuple[frozenset[tuple[str, ...]], ...]
    """Stem 2-, 3- and 4-grams."""
    chars: frozenset[str]
    """Character 4-grams of the lower-cased text, spaces removed."""
    names: frozenset[str]
    """Stems of capitalised words not at the start of the sentence."""
    quantities: tuple[Quantity, ...]
    numbers: frozenset[float]
    weekdays: frozenset[str]
    month_days: frozenset[tuple[str, int]]
    years: frozenset[int]
    negated: frozenset[str]
    """Content stems that a negator in the same clause governs ("not difficult": difficult)."""
    has_negator: bool
    quote: tuple[frozenset[str], frozenset[tuple[str, ...]]] | None = None
    """Content stems and stem bigrams of the sentence's longest quotation, when it holds
    at least ``QUOTE_SHARE`` of the sentence's words (the statement the sentence reports)."""


def _negated(text: str) -> frozenset[str]:
    stop = stop_words()
    out: set[str] = set()
    for m in _NEGATOR.finditer(text):
        clause = _CLAUSE_END.split(text[m.end():], maxsplit=1)[0]
        following = [w for w in _WORDS.findall(clause.lower()) if w not in stop]
        out.update(stem(w) for w in following[:NEGATED_WINDOW])
    return frozenset(out)


def facts(text: str) -> Facts:
    """The facts and features of one sentence, made once and compared with many."""
    words = tuple(_WORDS.findall(text.lower()))
    stems = tuple(stem(w) for w in words)
    stop = stop_words()
    content = frozenset(s for w, s in zip(words, stems, strict=True) if w not in stop)
    squashed = "".join(text.lower().split())
    calendar = _CALENDAR
    written = (_POSSESSIVE.sub("", w) for m in _NAME.finditer(text)
               for w in m.group(0).lower().split())
    names = frozenset(stem(w) for w in written if w not in stop and w not in calendar)
    qs = tuple(quantities(text))
    month_days = frozenset(
        (m["month"].lower()[:3], int(m["day"])) for m in MONTH_DAY.finditer(text)
        if 1 <= int(m["day"]) <= 31
    )
    ngrams = tuple(
        frozenset(zip(*(stems[i:] for i in range(n)), strict=False)) for n in (2, 3, 4)
    )
    return Facts(
        text=text,
        words=words,
        stems=stems,
        content=content,
        ngrams=ngrams,
        chars=frozenset(squashed[i:i + 4] for i in range(max(0, len(squashed) - 3))),
        names=names,
        quantities=qs,
        numbers=frozenset(q.value for q in qs),
        weekdays=frozenset(m.group(0).lower() for m in WEEKDAY.finditer(text)),
        month_days=month_days,
        years=frozenset(int(m.group(0)) for m in YEAR.finditer(text)),
        negated=_negated(text),
        has_negator=_NEGATOR.search(text) is not None
        or _NEGATIVE_VERB.search(text) is not None,
        quote=_quote(text, len(words)),
    )


def _quote(text: str, n_words: int) -> tuple[frozenset[str], frozenset[tuple[str, ...]]] | None:
    spans = [m.group(1) for m in _QUOTED.finditer(text)]
    if not spans:
        return None
    longest = max(spans, key=len)
    words = _WORDS.findall(longest.lower())
    if len(words) < QUOTE_WORDS or len(words) < QUOTE_SHARE * n_words:
        return None
    stems = [stem(w) for w in words]
    stop = stop_words()
    content = frozenset(s for w, s in zip(words, stems, strict=True) if w not in stop)
    return content, frozenset(itertools.pairwise(stems))


def conflicts(a: Facts, b: Facts) -> list[tuple[Quantity, Quantity]]:
    """Quantities of one kind that the two sentences give with no value in common.

    "at least 24 people were killed" and "killing 46": one pair. A sentence that gives
    both values ("the toll rose from 24 to 46") conflicts with neither.
    """
    out: list[tuple[Quantity, Quantity]] = []
    kinds = {q.kind for q in a.quantities if q.kind} & {q.kind for q in b.quantities if q.kind}
    for kind in sorted(kinds):
        qa = [q for q in a.quantities if q.kind == kind]
        qb = [q for q in b.quantities if q.kind == kind]
        if any(same_value(x, y) for x, y in itertools.product(qa, qb)):
            continue
        out.append((qa[0], qb[0]))
    return out


def dates_differ(a: Facts, b: Facts) -> bool:
    """Both sentences name weekdays, month-days or years, with none in common."""
    return any(
        x and y and not x & y
        for x, y in ((a.weekdays, b.weekdays), (a.month_days, b.month_days),
                     (a.years, b.years))
    )


def polarity_differs(a: Facts, b: Facts) -> bool:
    """One sentence negates a word that the other states with no negation at all ("no
    decisions had been made" / "decisions have been made"); "declined to comment" and "had
    no comment" do not differ (the negated "comment" is not in the other)."""
    if a.has_negator == b.has_negator:
        return False
    negated, plain = (a, b) if a.has_negator else (b, a)
    return bool(negated.negated & plain.content)


def facts_disagree(a: Facts, b: Facts) -> str | None:
    """Why ``b`` cannot be cited for ``a`` whatever its words: a number, date or polarity
    that disagrees ("number", "date", "polarity"); None when nothing does."""
    if conflicts(a, b):
        return "number"
    if dates_differ(a, b):
        return "date"
    if polarity_differs(a, b):
        return "polarity"
    return None


MODEL_LENGTH_RATIO = 0.5
"""Shortest length of the two sentences over the longest for the model to judge them: no
MRPC pair is below 0.52, so below it only ``contained`` may cite."""
CONTAINED_WORDS = 0.8
"""Least share of a sentence's content stems that another must hold to contain it."""
CONTAINED_BIGRAMS = 0.5
"""Least share of its stem bigrams (the words in the same order, mostly)."""


def contained(a: Facts, b: Facts) -> bool:
    """``b`` says all that ``a`` says, and maybe more: nearly all of ``a``'s words (names
    among them) and many of its word pairs, all its numbers; or, when ``a`` reports a
    quotation (``Facts.quote``), nearly all of the quotation's words and pairs.

    MRPC labels most such pairs "not paraphrases" (one says more), yet for a citation the
    longer one carries the shorter. On MRPC's development part about half of the pairs it
    adds to the model's are labelled paraphrases; all 29 of the others read (two random
    samples) are the shorter sentence inside the longer one."""
    if not a.content or a.numbers - b.numbers:
        return False
    words = len(a.content & b.content) / len(a.content)
    pairs = len(a.ngrams[0] & b.ngrams[0]) / max(1, len(a.ngrams[0]))
    if words >= CONTAINED_WORDS and pairs >= CONTAINED_BIGRAMS:
        return True
    if a.quote is None or not a.quote[0]:
        return False
    quoted, quoted_pairs = a.quote
    words = len(quoted & b.content) / len(quoted)
    pairs = len(quoted_pairs & b.ngrams[0]) / max(1, len(quoted_pairs))
    return words >= CONTAINED_WORDS and pairs >= CONTAINED_BIGRAMS


# --------------------------------------------------------------------------- features

FEATURES = (
    "cosine",
    "content_min",
    "content_max",
    "stems_min",
    "stems_max",
    "bigram_min",
    "bigram_max",
    "trigram_min",
    "fourgram_min",
    "fourgram_max",
    "chars_jaccard",
    "length_ratio",
    "extra_words",
    "unmatched_min",
    "unmatched_max",
    "names_min",
    "numbers_agree",
    "numbers_missing",
    "number_conflict",
    "date_conflict",
    "polarity_differs",
)
"""Names of the dense pair features, in order (all symmetric in the two sentences)."""


def _cover(x: frozenset[Any], y: frozenset[Any]) -> tuple[float, float]:
    """Share of ``x`` found in ``y`` and of ``y`` in ``x`` (1.0 for an empty side)."""
    common = len(x & y)
    return (common / len(x) if x else 1.0, common / len(y) if y else 1.0)


def pair_features(a: Facts, b: Facts, cosine: float) -> list[float]:
    """One row of ``FEATURES`` for two sentences; ``cosine`` is their TF-IDF cosine."""
    covers = [
        _cover(a.content, b.content),
        _cover(frozenset(a.stems), frozenset(b.stems)),
        *(_cover(x, y) for x, y in zip(a.ngrams, b.ngrams, strict=True)),
    ]
    (ca, cb), (sa, sb), (ba, bb), (ta, tb), (fa, fb) = covers
    union = len(a.chars | b.chars)
    la, lb = len(a.words), len(b.words)
    only_a, only_b = len(a.content - b.content), len(b.content - a.content)
    numbers = a.numbers | b.numbers
    shared = a.numbers & b.numbers
    return [
        cosine,
        min(ca, cb),
        max(ca, cb),
        min(sa, sb),
        max(sa, sb),
        min(ba, bb),
        max(ba, bb),
        min(ta, tb),
        min(fa, fb),
        max(fa, fb),
        len(a.chars & b.chars) / union if union else 0.0,
        min(la, lb) / max(la, lb, 1),
        math.log1p(only_a + only_b),
        float(min(only_a, only_b)),
        float(max(only_a, only_b)),
        min(_cover(a.names, b.names)),
        len(shared) / len(numbers) if numbers else 1.0,
        float(len(numbers - shared)),
        float(bool(conflicts(a, b))),
        float(dates_differ(a, b)),
        float(polarity_differs(a, b)),
    ]


def word_terms(a: Facts, b: Facts) -> list[str]:
    """The pair's word indicators: ``both:<stem>`` for a stem in both sentences,
    ``one:<stem>`` for a stem in one only (the model learns which words may go missing)."""
    sa, sb = set(a.stems), set(b.stems)
    both = [f"both:{w}" for w in sorted(sa & sb) if not w[0].isdigit()]
    return both + [f"one:{w}" for w in sorted(sa ^ sb) if not w[0].isdigit()]


# --------------------------------------------------------------------------- the model


@dataclass(frozen=True, slots=True)
class Model:
    """The shipped logistic regression: standardisation and coefficients of the dense
    features, a weight per word indicator (``word_terms``), the intercept."""

    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    words: dict[str, float]
    intercept: float
    low: np.ndarray
    high: np.ndarray
    """The range of each feature in training: a pair outside it is scored at its edge, so a
    150-word sentence glued from a table does not get a probability of 1 by extrapolation."""


@cache
def load_model() -> Model:
    """The logistic regression of ``data/agreement.json`` (trained on MRPC)."""
    raw = resources.files("newsbrief").joinpath("data/agreement.json").read_text("utf-8")
    return model_from_json(json.loads(raw))


def model_from_json(model: dict[str, Any]) -> Model:
    """A ``Model`` from its JSON form (as ``evaluation/train_agreement.py`` writes it)."""
    if tuple(model["features"]) != FEATURES:
        raise RuntimeError(
            "data/agreement.json was trained on other features; rebuild it with "
            "`python -m evaluation.train_agreement`"
        )
    return Model(np.array(model["mean"]), np.array(model["scale"]), np.array(model["coef"]),
                 {str(k): float(v) for k, v in model["words"].items()}, float(model["intercept"]),
                 np.array(model["low"]), np.array(model["high"]))


def carries_probability(
    pairs: Sequence[tuple[Facts, Facts]], cosines: Sequence[float], model: Model | None = None
) -> np.ndarray:
    """The probability that the two sentences of each pair say the same thing."""
    rows = np.array([pair_features(a, b, float(c))
                     for (a, b), c in zip(pairs, cosines, strict=True)], dtype=float)
    return score_rows(rows, [word_terms(a, b) for a, b in pairs], model)


def score_rows(
    rows: np.ndarray, terms: Sequence[Sequence[str]], model: Model | None = None
) -> np.ndarray:
    """The model's probability for rows of ``FEATURES`` and each pair's ``word_terms``."""
    m = model or load_model()
    if len(rows) == 0:
        return np.zeros(0)
    rows = np.clip(rows.reshape(len(rows), len(FEATURES)), m.low, m.high)
    z = ((rows - m.mean) / m.scale) @ m.coef + m.intercept
    weights = m.words
    z += np.array([sum(weights.get(t, 0.0) for t in ts) for ts in terms])
    return np.asarray(1.0 / (1.0 + np.exp(-z)))


# --------------------------------------------------------------------------- citing


def cite(
    own: Sentence,
    candidates: Sequence[tuple[float, Sentence]],
    weights: Weights,
    known: dict[str, Facts] | None = None,
) -> tuple[tuple[Support, ...], tuple[Support, ...]]:
    """The citations of a brief sentence and the sentences that disagree with it.

    ``candidates`` are (TF-IDF cosine, sentence) of other articles, the closest few of each
    (``Weights.cite_candidates``). An article is cited with its sentence that most likely
    says the same thing, when that reaches ``weights.agreement_threshold`` or the sentence
    contains the brief's (``contained``), and no number, date or polarity of it disagrees;
    the brief's sentence itself comes first. An article that is
    not cited but has a sentence alike enough (``weights.conflict_threshold``) whose number
    disagrees is listed among the disagreeing (for ``conflicts``). ``known`` keeps each
    sentence's facts across the calls of one brief.
    """
    known = {} if known is None else known
    mine = facts(own.text)
    theirs = []
    for _, s in candidates:
        if s.id not in known:
            known[s.id] = facts(s.text)
        theirs.append(known[s.id])
    probability = carries_probability([(mine, t) for t in theirs], [c for c, _ in candidates])
    cited: dict[str, Support] = {}
    disagreeing: dict[str, Support] = {}
    for (cosine, s), t, p in zip(candidates, theirs, probability, strict=True):
        support = Support(s.article_id, s.id, s.start, s.end, round(float(cosine), 3),
                          round(float(p), 3))
        why = facts_disagree(mine, t)
        chosen = None
        judged = min(len(mine.words), len(t.words)) >= MODEL_LENGTH_RATIO * max(
            len(mine.words), len(t.words))
        alike = judged and p >= weights.agreement_threshold
        if why is None and (alike or contained(mine, t)):
            chosen = cited
        elif why == "number" and judged and p >= weights.conflict_threshold:
            chosen = disagreeing
        if chosen is not None:
            prev = chosen.get(s.article_id)
            if prev is None or support.agreement > prev.agreement:
                chosen[s.article_id] = support
    first = Support(own.article_id, own.id, own.start, own.end, 1.0, 1.0)
    return (
        (first, *sorted(cited.values(), key=lambda x: -x.similarity)),
        tuple(sorted((d for a, d in disagreeing.items() if a not in cited),
                     key=lambda x: -x.agreement)),
    )
