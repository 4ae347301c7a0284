"""Select and cite: an extractive multi-document summary in which every sentence names its sources.

1. *Candidates*: sentences that can stand alone in a brief: whole sentences of
   8-60 words (5-90 when the input is too short to fill the budget otherwise),
   closed quotes, no headline, caption or dateline, no opening pronoun whose
   referent the reader would not have.
2. *Features*: TF-IDF vectors of word stems (``newsbrief.vectors``, NLTK's Snowball)
   give each candidate its position in its article, its similarity to the
   story's centroid (every independent source weighted once, so ten copies
   of a wire report do not outvote the rest), its *support* (how many other
   independent sources carry a close paraphrase), how widely its words and
   word pairs are shared across sources, and its centrality among the other
   sentences (``FEATURES``).
3. *Salience*: a linear model over those features, learned from the Multi-News
   validation clusters and their human summaries by
   ``evaluation/train_scorer.py`` and shipped as ``data/scorer.json``.
4. *Selection*: greedy by salience, skipping any sentence too similar to one
   already chosen (no two sentences say the same thing), until the summary is
   within 10% of the requested words.
5. *Order*: by where each sentence sits in its article (the lede first), so the
   summary reads in the order reporters tell the story.
6. *Citations*: every article with a sentence that carries the selected one: it
   says the same thing and no number, date or polarity of it disagrees
   (``newsbrief.agreement``, looking at the ``cite_candidates`` closest sentences of
   each other article by TF-IDF cosine). Sentences alike but for a figure are kept
   apart (``BriefSentence.disagreeing``) for the brief's conflicts.

Scores are kept on each ``BriefSentence``; nothing is re-sorted out of sight.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import scipy.sparse as sp

from newsbrief.agreement import Facts, cite
from newsbrief.model import BriefSentence, Sentence
from newsbrief.settings import Weights
from newsbrief.text import stemmed_terms
from newsbrief.vectors import CountVectorizer, TfidfVectorizer, l2_normalize

__all__ = [
    "FEATURES",
    "Prepared",
    "Weights",
    "candidates",
    "load_scorer",
    "prepare_features",
    "salience",
    "strip_dateline",
    "summarize",
]

_PRONOUN_OPENERS = re.compile(
    r"^(he|she|they|it|his|her|their|its|this|that|these|those|him|them)\b", re.I
)
_DATELINE = re.compile(
    r"^(?:\((?:CNN|AP|AFP|Reuters|CBS|NBC|ABC|BBC|UPI|Bloomberg|[A-Z][A-Za-z]+ News)\)\s*[—–―-]*\s*"
    r"|[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,4}\s*(?:\([^)]{1,30}\))?\s*[—–―-]+\s*"
    r"|[A-Z][A-Z]+(?: [A-Z][A-Z]+)*\s*,?\s*(?:\([^)]{1,30}\)\s*)?:\s+"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?:\s+(?=[A-Z]))"
)
# photo captions: "Mark Karpeles, center, attends ... REUTERS/Toru Hanai"
_CAPTION = re.compile(
    r"\b(REUTERS|AP Photo|AFP|Getty Images|EPA|Photo)\s?/|\((AP|AFP|Reuters) Photo\b"
    r"|\bPhoto(graph)?:|, (left|right|center|centre|second from (left|right)),"
    r"|\bfile photo\b|^FILE\s*[-–—]|\bBy [A-Z]{2,}(?: [A-Z][A-Z.]*)+",
)
_STARTS_WELL = re.compile(r"^[\"“‘']?[A-Z0-9]")
_ENDS_WELL = re.compile(r"[.!?][\"”’')\]]*$")

FEATURES = (
    "position_inverse",
    "position_relative",
    "is_first",
    "length",
    "centroid",
    "support",
    "support_soft",
    "unigram_spread",
    "bigram_spread",
    "centrality",
    "has_quote",
    "has_number",
)
"""Names of the feature columns, in order."""


def strip_dateline(text: str) -> tuple[str, int]:
    """Remove a leading dateline ("WASHINGTON — "); return the text and how many chars went."""
    dash = re.match(r"^[–—-]+\s+", text)
    if dash:
        rest, cut = strip_dateline(text[dash.end() :])
        return rest, dash.end() + cut
    m = _DATELINE.match(text)
    if m and m.end() < len(text) - 20:
        return text[m.end() :], m.end()
    return text, 0


def _quotes_balanced(text: str) -> bool:
    if text.count("“") != text.count("”"):
        return False
    return text.count('"') % 2 == 0


STRICT_LENGTH = (8, 60)
"""Words a candidate may have; short inputs fall back to ``ROOMY_LENGTH``."""
ROOMY_LENGTH = (5, 90)


def is_candidate(text: str, length: tuple[int, int] = STRICT_LENGTH) -> bool:
    """Whether a sentence can stand alone in a brief."""
    n = len(text.split())
    return (
        length[0] <= n <= length[1]
        and _STARTS_WELL.match(text) is not None
        and _ENDS_WELL.search(text) is not None
        and _quotes_balanced(text)
        and _PRONOUN_OPENERS.match(text) is None
        and _CAPTION.search(text) is None
        and "http" not in text
        and "|" not in text
    )


def candidates(
    sentences: Sequence[Sentence], length: tuple[int, int] = STRICT_LENGTH
) -> list[Sentence]:
    """The sentences that may enter a brief, datelines stripped (offsets kept exact)."""
    out: list[Sentence] = []
    for s in sentences:
        text, cut = strip_dateline(s.text)
        if cut:
            s = Sentence(s.id, s.article_id, s.index, s.paragraph, s.start + cut, s.end, text)
        if is_candidate(s.text, length):
            out.append(s)
    return out


@dataclass(frozen=True, slots=True)
class Prepared:
    """Candidates with their vectors and features, ready to score."""

    pool: list[Sentence]
    vectorizer: TfidfVectorizer
    matrix: sp.csr_matrix
    """L2-normalised TF-IDF rows, one per candidate."""
    features: np.ndarray
    """One row per candidate, columns named by ``FEATURES``."""


def _groups_of(article_ids: Sequence[str], groups: Sequence[Sequence[str]]) -> np.ndarray:
    index = {aid: gi for gi, group in enumerate(groups) for aid in group}
    return np.array([index.get(a, -1) for a in article_ids], dtype=np.int64)


def _spread(
    texts: list[str], groups: np.ndarray, n_groups: int, ngram: tuple[int, int]
) -> np.ndarray:
    """Mean share of independent sources that use each of a sentence's terms."""
    counter = CountVectorizer(stop_words="english", ngram_range=ngram, binary=True)
    try:
        terms = counter.fit_transform(texts).tocsr()
    except ValueError:  # no term left after stop words
        return np.zeros(len(texts))
    member = sp.csr_matrix(
        (np.ones(len(groups)), (groups, np.arange(len(groups)))), shape=(n_groups, len(groups))
    )
    df = np.asarray(((member @ terms) > 0).sum(axis=0)).ravel() / max(1, n_groups)
    per_sentence = np.asarray(terms.sum(axis=1)).ravel()
    spread: np.ndarray = np.asarray(terms @ df).ravel() / np.maximum(per_sentence, 1)
    return spread


def prepare_features(
    sentences: Sequence[Sentence],
    source_groups: Sequence[Sequence[str]],
    length: tuple[int, int] = STRICT_LENGTH,
) -> Prepared | None:
    """Candidates, TF-IDF vectors and feature rows; None when no sentence can be used."""
    pool = candidates(sentences, length)
    if not pool:
        return None
    vectorizer = TfidfVectorizer(sublinear_tf=True, analyzer=stemmed_terms)
    texts = [s.text for s in pool]
    try:
        matrix = l2_normalize(vectorizer.fit_transform(texts)).tocsr()
    except ValueError:  # only stop words
        return None
    groups = _groups_of([s.article_id for s in pool], source_groups)
    # articles outside every group (should not happen) form their own group
    groups[groups < 0] = groups.max(initial=-1) + 1
    n_groups = int(groups.max()) + 1
    n = len(pool)

    centroids = np.vstack(
        [np.asarray(matrix[groups == g].mean(axis=0)).ravel() for g in range(n_groups)
         if np.any(groups == g)]
    )
    centroid = centroids.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centroid_sim = matrix @ centroid

    sims = (matrix @ matrix.T).tocsr()
    sims.setdiag(0)
    sims.eliminate_zeros()
    coo = sims.tocoo()
    other = groups[coo.row] != groups[coo.col]
    # best match of each sentence in each other independent source
    best_dense = np.zeros((n, n_groups))
    np.maximum.at(best_dense, (coo.row[other], groups[coo.col[other]]), coo.data[other])
    others = max(1, n_groups - 1)
    support = (best_dense >= 0.4).sum(axis=1) / others
    support_soft = best_dense.sum(axis=1) / others
    centrality = np.asarray(sims.sum(axis=1)).ravel() / max(1, n - 1)

    article_lengths: dict[str, int] = {}
    for s in sentences:
        article_lengths[s.article_id] = max(article_lengths.get(s.article_id, 0), s.index + 1)
    index = np.array([s.index for s in pool], dtype=float)
    # rank among the article's candidates: captions and bylines before the lede
    # do not push the lede down
    seen: dict[str, int] = {}
    rank = np.zeros(n)
    for k, s in enumerate(pool):
        rank[k] = seen.get(s.article_id, 0)
        seen[s.article_id] = int(rank[k]) + 1
    lengths = np.array([article_lengths[s.article_id] for s in pool], dtype=float)
    features = np.column_stack(
        [
            1.0 / np.sqrt(1.0 + rank),  # a slow decay did better than 1/rank on training data
            index / np.maximum(lengths, 1),
            (rank == 0).astype(float),
            np.array([len(t.split()) for t in texts]) / 30.0,
            centroid_sim,
            support,
            support_soft,
            _spread(texts, groups, n_groups, (1, 1)),
            _spread(texts, groups, n_groups, (2, 2)),
            centrality,
            np.array([any(q in t for q in "\"“”") for t in texts], dtype=float),
            np.array([any(ch.isdigit() for ch in t) for t in texts], dtype=float),
        ]
    )
    return Prepared(pool, vectorizer, matrix, features)


@cache
def load_scorer() -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """The shipped linear scorer: feature means, scales, coefficients, intercept."""
    raw = resources.files("newsbrief").joinpath("data/scorer.json").read_text(encoding="utf-8")
    model = json.loads(raw)
    if tuple(model["features"]) != FEATURES:
        raise RuntimeError(
            "data/scorer.json was trained on other features; rebuild it with "
            "`python -m evaluation.train_scorer`"
        )
    return (
        np.array(model["mean"]),
        np.array(model["scale"]),
        np.array(model["coef"]),
        float(model["intercept"]),
    )


def score(features: np.ndarray) -> np.ndarray:
    """Salience of each candidate under the shipped scorer."""
    mean, scale, coef, intercept = load_scorer()
    return np.asarray(((features - mean) / scale) @ coef + intercept)


FOCUS_WEIGHT = 2.0
"""How much a candidate's closeness to the focus adds to its salience (in units of the
salience's spread), when a focus is given."""


def salience(prepared: Prepared, focus: str | None = None) -> np.ndarray:
    """The scorer's salience of each candidate; with a ``focus``, plus its TF-IDF cosine to
    the focus text (scaled to the salience's spread), so the summary answers the question
    from the story's salient sentences."""
    base = score(prepared.features)
    if not focus:
        return base
    query = l2_normalize(prepared.vectorizer.transform([focus]))
    relevance = np.asarray((prepared.matrix @ query.T).todense()).ravel()
    spread = float(base.std()) or 1.0
    top = float(relevance.max()) or 1.0
    return base + FOCUS_WEIGHT * spread * relevance / top


def summarize(
    sentences: Sequence[Sentence],
    words: int,
    source_groups: Sequence[Sequence[str]],
    weights: Weights | None = None,
    focus: str | None = None,
) -> list[BriefSentence]:
    """Choose, order and cite sentences for a summary of about ``words`` words.

    ``source_groups`` lists article ids that count as one source (a copy and its
    original); centroid and support weigh each group once. ``focus``: a question the
    summary should answer (``salience``).
    """
    w = weights or Weights()
    prepared = prepare_features(sentences, source_groups)
    chosen = [] if prepared is None else select(
        prepared.pool, salience(prepared, focus), prepared.matrix, words, w.redundancy
    )
    if prepared is None or sum(len(prepared.pool[i].text.split()) for i in chosen) < 0.9 * words:
        # a short input: let shorter and longer whole sentences in rather than
        # leave the budget unused (every other rule still holds)
        roomy = prepare_features(sentences, source_groups, ROOMY_LENGTH)
        if roomy is not None:
            prepared = roomy
            chosen = select(prepared.pool, salience(prepared, focus), prepared.matrix, words,
                            w.redundancy)
    if prepared is None:
        return []
    pool, matrix = prepared.pool, prepared.matrix
    scores = salience(prepared, focus)
    chosen.sort(key=lambda i: (pool[i].index, -scores[i]))
    # citations look at every sentence, not only the candidates: a source that
    # carries the fact in a sentence opening with "He said" still carries it
    every = sentences
    every_matrix = l2_normalize(prepared.vectorizer.transform([s.text for s in every]))
    cite_sims = (matrix[chosen] @ every_matrix.T).tocsr()
    known: dict[str, Facts] = {}
    return [
        _cite(pool[i], float(scores[i]), every, cite_sims.getrow(k), w, known)
        for k, i in enumerate(chosen)
    ]


def select(
    pool: Sequence[Sentence], salience: np.ndarray, matrix: sp.csr_matrix, words: int,
    redundancy: float,
) -> list[int]:
    """Greedy selection by salience with a redundancy limit, to ``words`` (at most 10% over)."""
    # aim at the requested length itself: a summary that stops at 90% wastes the budget
    high = words * 1.1
    chosen: list[int] = []
    total = 0
    for i in np.argsort(-salience, kind="stable"):
        if total >= words:
            break
        n = len(pool[i].text.split())
        if total + n > high:
            continue
        if chosen:
            overlap = (matrix[chosen] @ matrix[i].T).toarray().ravel()
            if overlap.max() > redundancy:
                continue
        chosen.append(int(i))
        total += n
    return chosen


def _cite(
    own: Sentence, salience: float, every: Sequence[Sentence], row: sp.csr_matrix,
    weights: Weights, known: dict[str, Facts],
) -> BriefSentence:
    by_article: dict[str, list[tuple[float, int]]] = {}
    for j, sim in zip(row.indices, row.data, strict=True):
        other = every[j]
        if other.article_id != own.article_id and sim >= weights.cite_threshold:
            by_article.setdefault(other.article_id, []).append((float(sim), int(j)))
    candidates = [
        (sim, every[j]) for pairs in by_article.values()
        for sim, j in heapq.nlargest(weights.cite_candidates, pairs)
    ]
    support, disagreeing = cite(own, candidates, weights, known)
    return BriefSentence(text=own.text, sentence=own, score=round(salience, 4), support=support,
                         disagreeing=disagreeing)
