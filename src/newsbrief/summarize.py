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
   ``evaluation/train_scorer.py`` and shipped as ``data/scorer.json``; with a
   focus, plus the candidate's closeness to the question.
4. *Content*: the adjacent content-word stems ("word pairs") of each candidate,
   each weighed by how many independent sources report it (``concept_sources``);
   with a focus, pairs used by sentences that answer it weigh more
   (``content_weights``).
5. *Selection*: greedy, by the story content a sentence adds that the summary
   does not have yet, per word, plus a little salience (the lede), skipping any
   sentence too similar to one already chosen (no two sentences say the same
   thing), until the summary is within 10% of the requested words (``select``).
6. *Order*: by where each sentence sits in its article (the lede first), so the
   summary reads in the order reporters tell the story.
7. *Citations*: every article with a sentence that carries the selected one: it
   says the same thing and no number, date or polarity of it disagrees
   (``newsbrief.agreement``, looking at the ``cite_candidates`` closest sentences of
   each other article by TF-IDF cosine). Sentences alike but for a figure are kept
   apart (``BriefSentence.disagreeing``) for the brief's conflicts.

Scores are kept on each ``BriefSentence``; nothing is re-sorted out of sight.
"""

from __future__ import annotations

import heapq
import itertools
import json
import re
from collections.abc import Collection, Sequence
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
    "concept_sources",
    "content_weights",
    "load_scorer",
    "prepare_features",
    "salience",
    "select",
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
    concepts: sp.csr_matrix
    """Which content word pairs each candidate uses (one row per candidate, 0/1)."""
    concept_sources: np.ndarray
    """How widely the story's sources use each word pair (``concept_sources``)."""


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


MAX_CANDIDATES = 3000
"""Most candidate sentences one summary weighs (issue 13): the sentence-by-sentence
similarities are then bounded (3,000 squared at most) whatever the input. A larger pool
first loses the repeats of one wording within a source (3,000 near-copies of one article
are one article's sentences), then keeps each article's first sentences, where news puts
what matters. (3,000 near-copies: 2.6 GB and 10 s in the summarizer before, 0.4 GB and
3 s after.)"""


def _distinct(pool: list[Sentence], source_groups: Sequence[Sequence[str]]) -> list[Sentence]:
    """One candidate per wording within an independent source: the copies of one sentence
    in a wire story and its re-posts are one candidate (the first given), not hundreds."""
    group_of = {a: g for g, group in enumerate(source_groups) for a in group}
    seen: set[tuple[int, str]] = set()
    out = []
    for s in pool:
        key = (group_of.get(s.article_id, -1), " ".join(s.text.split()).casefold())
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out


def _bounded(pool: list[Sentence]) -> list[Sentence]:
    """At most ``MAX_CANDIDATES``, the earliest sentences of every article first, in the
    order given."""
    if len(pool) <= MAX_CANDIDATES:
        return pool
    keep = set(sorted(range(len(pool)), key=lambda i: (pool[i].index, i))[:MAX_CANDIDATES])
    return [s for i, s in enumerate(pool) if i in keep]


def prepare_features(
    sentences: Sequence[Sentence],
    source_groups: Sequence[Sequence[str]],
    length: tuple[int, int] = STRICT_LENGTH,
) -> Prepared | None:
    """Candidates, TF-IDF vectors and feature rows; None when no sentence can be used."""
    pool = candidates(sentences, length)
    if len(pool) > MAX_CANDIDATES:  # repeats count as reports below; only a flood is cut
        pool = _bounded(_distinct(pool, source_groups))
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
    concepts = _word_pairs(texts)
    return Prepared(pool, vectorizer, matrix, features, concepts,
                    concept_sources(concepts, pool, groups, n_groups))


def _word_pairs(texts: Sequence[str]) -> sp.csr_matrix:
    """0/1 matrix of the adjacent content-word stems ("word pairs") of each text."""
    vocabulary: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for k, text in enumerate(texts):
        stems = stemmed_terms(text)
        for pair in {f"{a} {b}" for a, b in itertools.pairwise(stems)}:
            rows.append(k)
            cols.append(vocabulary.setdefault(pair, len(vocabulary)))
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)),
                         shape=(len(texts), max(1, len(vocabulary))))


def concept_sources(
    concepts: sp.csr_matrix, pool: Sequence[Sentence], groups: np.ndarray, n_groups: int
) -> np.ndarray:
    """How widely each word pair is reported: over the independent sources, log2(1 + the
    number of the source's articles that use it).

    One source's separate reports count (a wire's 16 stories over four years are 16
    reports), but with a logarithm, so that one prolific outlet does not outvote the
    others: two sources, or one source in three of its articles, weigh at least 2.
    """
    articles = {a: k for k, a in enumerate(dict.fromkeys(s.article_id for s in pool))}
    of_sentence = np.array([articles[s.article_id] for s in pool])
    in_article = sp.csr_matrix(
        (np.ones(len(pool)), (of_sentence, np.arange(len(pool)))), shape=(len(articles), len(pool))
    )
    used = ((in_article @ concepts) > 0).astype(float)  # article x word pair
    group_of_article = np.zeros(len(articles), dtype=np.int64)
    group_of_article[of_sentence] = groups
    in_group = sp.csr_matrix(
        (np.ones(len(articles)), (group_of_article, np.arange(len(articles)))),
        shape=(n_groups, len(articles)),
    )
    counts = (in_group @ used).toarray()  # source x word pair: its articles that use it
    weight: np.ndarray = np.log2(1.0 + counts).sum(axis=0)
    return weight


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
FOCUS_CONTENT_WEIGHT = 3.0
"""With a focus, a word pair's weight is multiplied by 1 + this x its relevance to the focus
(``content_weights``). On the 36 DUC 2007 dev topics with their narratives, 3, 10, 30 gave
ROUGE-2 recall 0.1215, 0.1204, 0.1167 (and 0.1147 with no focus); weighting the focus's
stems by IDF, feedback from the most relevant sentences, or the densest relevance did no
better."""
CONTENT_MIN_WEIGHT = 2.0
"""A word pair is story content when its ``concept_sources`` weight is at least this (two
sources, or one source in three of its articles); rarer pairs earn nothing. Tried 2, 3, 4
(and plain source or article counts) on the DUC 2007 dev topics: 2 best."""
SALIENCE_WEIGHT = 0.02
"""How much the scorer's salience (standardised over the candidates) adds to a candidate's
new content per word (scaled to the weightiest pair) when choosing. Tried 0, 0.01, 0.02,
0.03: on the DUC 2007 dev topics 0.1131, 0.1147, 0.1120, 0.1095 (ROUGE-2 recall), on 300
train5622 clusters 0.1068, 0.1080, 0.1096, 0.1101 (ROUGE-2 F1, 100 words); 0.02 between."""
FOCUSED_SALIENCE_WEIGHT = 0.01
"""``SALIENCE_WEIGHT`` when a focus is given: what the question asks decides more than where
a sentence stands. On the DUC 2007 dev topics with their narratives 0, 0.01, 0.02, 0.03 gave
0.1213, 0.1204, 0.1143, 0.1111."""
READ_CONTENT_WEIGHT = 0.5
"""In an update (``select``'s ``given``), what a word pair the reader has read already
still earns, as a share of its weight: new sentences still need the story's words around
what is new. On the 5 DUC 2007 update dev topics (``evaluation/duc2007_update.py``, sets B
and C, ROUGE-2 recall, generic / focused) 0, 0.3, 0.45, 0.6, 0.75, 0.9, 1 gave 0.0665 /
0.0633, 0.0662 / 0.0706, 0.0759 / 0.0758, 0.0748 / 0.0719, 0.0756 / 0.0727, 0.0729 /
0.0726, 0.0724 / 0.0742: flat from 0.45 to 0.75, half chosen from it (measured before
``summarize(changed=...)``, which moved 0.5's generic dev score from 0.0740 to 0.0757)."""
_QUESTION_WORDS = frozenset({
    "describe", "discuss", "include", "identify", "provide", "information", "give",
    "summarize", "note", "report", "indicate", "determine", "explain", "specify", "detail",
    "details", "example", "examples", "account", "write", "relate", "also", "various",
})
"""Words of a request ("Describe ...", "Include information about ...") that say what to
do, not what about: left out of the focus's terms."""


def salience(prepared: Prepared, focus: str | None = None) -> np.ndarray:
    """The scorer's salience of each candidate; with a ``focus``, plus its TF-IDF cosine to
    the focus text (scaled to the salience's spread), so the summary answers the question
    from the story's salient sentences."""
    base = score(prepared.features)
    if not focus:
        return base
    query = l2_normalize(prepared.vectorizer.transform([_focus_terms(focus)]))
    relevance = np.asarray((prepared.matrix @ query.T).todense()).ravel()
    spread = float(base.std()) or 1.0
    top = float(relevance.max()) or 1.0
    return base + FOCUS_WEIGHT * spread * relevance / top


def _focus_terms(focus: str) -> str:
    return " ".join(w for w in re.findall(r"\w+", focus) if w.lower() not in _QUESTION_WORDS)


def content_weights(prepared: Prepared, focus: str | None = None) -> np.ndarray:
    """The weight of each word pair as story content: its ``concept_sources`` weight when at
    least ``CONTENT_MIN_WEIGHT``, else 0; with a ``focus``, times 1 + ``FOCUS_CONTENT_WEIGHT``
    x the pair's relevance (the mean share of the focus's stems, question words left out,
    in the candidates that use the pair, over the best candidate's share)."""
    sources = prepared.concept_sources
    weights: np.ndarray = np.where(sources >= CONTENT_MIN_WEIGHT, sources, 0.0)
    if not focus:
        return weights
    asked = set(stemmed_terms(_focus_terms(focus)))
    if not asked:
        return weights
    found = np.array([len(asked.intersection(stemmed_terms(s.text))) for s in prepared.pool],
                     dtype=float)
    users = np.asarray(prepared.concepts.sum(axis=0)).ravel()
    relevance = np.asarray(prepared.concepts.T @ found).ravel() / np.maximum(users, 1.0)
    boosted: np.ndarray = weights * (
        1.0 + FOCUS_CONTENT_WEIGHT * relevance / (float(found.max()) or 1.0)
    )
    return boosted


def summarize(
    sentences: Sequence[Sentence],
    words: int,
    source_groups: Sequence[Sequence[str]],
    weights: Weights | None = None,
    focus: str | None = None,
    *,
    read: Collection[str] = (),
    left_out: Collection[str] = (),
    changed: Collection[str] = (),
) -> list[BriefSentence]:
    """Choose, order and cite sentences for a summary of about ``words`` words.

    ``source_groups`` lists article ids that count as one source (a copy and its
    original); centroid and support weigh each group once. ``focus``: a question the
    summary should answer (``salience``). ``read``: ids of articles the reader has read
    already (an update, ``newsbrief.update``): none of their sentences is chosen, and they
    count as said (``select``'s ``given``). ``left_out``: ids of sentences not to choose.
    ``changed``: ids of sentences that tell a read sentence with another figure (news, not
    a repeat: never closed as one).
    """
    w = weights or Weights()
    prepared = prepare_features(sentences, source_groups)
    lean = FOCUSED_SALIENCE_WEIGHT if focus else SALIENCE_WEIGHT
    chosen = [] if prepared is None else select(
        prepared, salience(prepared, focus), content_weights(prepared, focus), words,
        w.redundancy, lean, *_read_and_left_out(prepared, read, left_out, changed),
    )
    if prepared is None or sum(len(prepared.pool[i].text.split()) for i in chosen) < 0.9 * words:
        # a short input: let shorter and longer whole sentences in rather than
        # leave the budget unused (every other rule still holds)
        roomy = prepare_features(sentences, source_groups, ROOMY_LENGTH)
        if roomy is not None:
            prepared = roomy
            chosen = select(prepared, salience(prepared, focus),
                            content_weights(prepared, focus), words, w.redundancy, lean,
                            *_read_and_left_out(prepared, read, left_out, changed))
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


def _read_and_left_out(
    prepared: Prepared, read: Collection[str], left_out: Collection[str],
    changed: Collection[str],
) -> tuple[list[int], list[int], list[int]]:
    """The candidates of the articles read already, those not to choose at all, and those
    never closed as repeats of the read ones."""
    pool = prepared.pool
    return ([i for i, s in enumerate(pool) if s.article_id in read],
            [i for i, s in enumerate(pool) if s.id in left_out or s.article_id in read],
            [i for i, s in enumerate(pool) if s.id in changed])


def select(
    prepared: Prepared, salience: np.ndarray, content: np.ndarray, words: int,
    redundancy: float, salience_weight: float = SALIENCE_WEIGHT,
    given: Sequence[int] = (), barred: Sequence[int] = (), news: Sequence[int] = (),
) -> list[int]:
    """Greedy selection to ``words`` (at most 10% over): each step takes the candidate with
    the most story content not yet in the summary per word (the ``content`` weights of its
    word pairs that no chosen sentence has, over the weightiest pair) plus
    ``salience_weight`` x its standardised salience, skipping any that would overflow or
    that is closer than ``redundancy`` (TF-IDF cosine) to a chosen sentence.

    Content already covered earns nothing, so the summary spreads over what the sources
    report (a concept-coverage objective, as in Gillick and Favre's ILP summarizer, solved
    greedily); each step costs one product over the candidates, not all pairs.

    ``given``: candidates the reader has already (an update brief's earlier articles),
    treated as chosen before the first step but not returned or counted against the
    length: their content earns what ``READ_CONTENT_WEIGHT`` leaves and their near-repeats
    are closed, but for ``news`` (they change a figure). ``barred``: candidates never chosen.
    """
    # aim at the requested length itself: a summary that stops at 90% wastes the budget
    high = words * 1.1
    lengths = np.array([len(s.text.split()) for s in prepared.pool], dtype=float)
    standard = (salience - salience.mean()) / (float(salience.std()) or 1.0)
    left = content.astype(float).copy()
    scale = float(left.max()) or 1.0
    open_ = np.ones(len(lengths), dtype=bool)
    open_[list(barred)] = False
    if given:
        known = prepared.matrix[list(given)]
        left[np.unique(prepared.concepts[list(given)].indices)] *= READ_CONTENT_WEIGHT
        close = np.asarray((prepared.matrix @ known.T).max(axis=1).todense()).ravel()
        open_[close > redundancy] = False
        open_[list(news)] = True
        open_[list(barred)] = False
    chosen: list[int] = []
    total = 0.0
    while total < words:
        gain = np.asarray(prepared.concepts @ left).ravel() / scale
        value = gain / lengths + salience_weight * standard
        value[~open_ | (total + lengths > high)] = -np.inf
        i = int(np.argmax(value))
        if not np.isfinite(value[i]):
            break
        chosen.append(i)
        total += lengths[i]
        open_[i] = False
        left[prepared.concepts[i].indices] = 0.0
        close = np.asarray((prepared.matrix @ prepared.matrix[i].T).todense()).ravel()
        open_[close > redundancy] = False
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
