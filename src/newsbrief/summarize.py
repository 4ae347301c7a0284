"""Select and cite: an extractive multi-document summary in which every sentence names its sources.

1. *Candidates*: sentences that can stand alone in a brief: whole sentences of
   8-60 words, closed quotes, no headline or dateline, no opening pronoun whose
   referent the reader would not have.
2. *Salience*: TF-IDF vectors (scikit-learn) give each candidate its similarity
   to the story's centroid (every independent source weighted equally, so ten
   copies of one wire report do not outvote the rest), its *support* (the share
   of other independent sources that carry a close paraphrase) and its position
   in its article. The score is a weighted sum; the weights live in ``Weights``.
3. *Selection*: greedy by score, skipping any sentence too similar to one
   already chosen (no two sentences say the same thing), until the summary is
   within 10% of the requested words.
4. *Order*: by where each sentence sits in its article (the lede first), so the
   summary reads in the order reporters tell the story.
5. *Citations*: every article that carries the sentence or a close paraphrase
   (cosine similarity of TF-IDF vectors above ``cite_threshold``).

Scores are kept on each ``BriefSentence``; nothing is re-sorted out of sight.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from newsbrief.model import BriefSentence, Sentence, Support

__all__ = ["Weights", "candidates", "strip_dateline", "summarize"]

_PRONOUN_OPENERS = re.compile(
    r"^(he|she|they|it|his|her|their|its|this|that|these|those|him|them)\b", re.I
)
_DATELINE = re.compile(
    r"^(?:[A-Z][A-Z.'’-]+(?:[ ,]+[A-Z][A-Za-z.'’-]+){0,4}\s*(?:\([^)]{1,30}\))?\s*[—–―-]+\s*"
    r"|[A-Z][A-Z]+(?: [A-Z][A-Z]+)*\s*,?\s*(?:\([^)]{1,30}\)\s*)?:\s+"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+)?:\s+(?=[A-Z]))"
)
_STARTS_WELL = re.compile(r"^[\"“‘']?[A-Z0-9]")
_ENDS_WELL = re.compile(r"[.!?][\"”’')\]]*$")


@dataclass(frozen=True, slots=True)
class Weights:
    """How much each signal counts in a sentence's salience."""

    centroid: float = 1.0
    support: float = 0.6
    position: float = 0.5
    redundancy: float = 0.45
    """Largest cosine similarity a new sentence may have with one already chosen."""
    cite_threshold: float = 0.5
    """Smallest cosine similarity for another article's sentence to count as carrying it."""


def strip_dateline(text: str) -> tuple[str, int]:
    """Remove a leading dateline ("WASHINGTON — "); return the text and how many chars went."""
    m = _DATELINE.match(text)
    if m and m.end() < len(text) - 20:
        return text[m.end() :], m.end()
    return text, 0


def _quotes_balanced(text: str) -> bool:
    if text.count("“") != text.count("”"):
        return False
    return text.count('"') % 2 == 0


def is_candidate(text: str) -> bool:
    """Whether a sentence can stand alone in a brief."""
    n = len(text.split())
    return (
        8 <= n <= 60
        and _STARTS_WELL.match(text) is not None
        and _ENDS_WELL.search(text) is not None
        and _quotes_balanced(text)
        and _PRONOUN_OPENERS.match(text) is None
        and "http" not in text
        and "|" not in text
    )


def candidates(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The sentences that may enter a brief, datelines stripped (offsets kept exact)."""
    out: list[Sentence] = []
    for s in sentences:
        text, cut = strip_dateline(s.text)
        if cut:
            s = Sentence(s.id, s.article_id, s.index, s.paragraph, s.start + cut, s.end, text)
        if is_candidate(s.text):
            out.append(s)
    return out


def _group_of(article_ids: Sequence[str], groups: Sequence[Sequence[str]]) -> np.ndarray:
    index = {aid: gi for gi, group in enumerate(groups) for aid in group}
    return np.array([index.get(a, -1) for a in article_ids])


def summarize(
    sentences: Sequence[Sentence],
    words: int,
    source_groups: Sequence[Sequence[str]],
    weights: Weights | None = None,
) -> list[BriefSentence]:
    """Choose, order and cite sentences for a summary of about ``words`` words.

    ``source_groups`` lists article ids that count as one source (a copy and its
    original); support and centroid weigh each group once.
    """
    w = weights or Weights()
    pool = candidates(sentences)
    if not pool:
        return []
    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1)
    try:
        matrix = vectorizer.fit_transform([s.text for s in pool])
    except ValueError:  # only stop words
        return []
    matrix = normalize(matrix)
    groups = _group_of([s.article_id for s in pool], source_groups)
    n_groups = int(groups.max()) + 1 if len(groups) else 0

    # centroid: mean of per-source centroids
    centroids = []
    for g in range(n_groups):
        rows = np.flatnonzero(groups == g)
        if len(rows):
            centroids.append(np.asarray(matrix[rows].mean(axis=0)).ravel())
    centroid = np.mean(centroids, axis=0)
    norm = np.linalg.norm(centroid)
    centroid_sim = matrix @ (centroid / norm if norm else centroid)

    # support: share of other independent sources with a close paraphrase
    sims = (matrix @ matrix.T).tocsr()
    sims.data[sims.data < w.cite_threshold * 0.8] = 0
    sims.eliminate_zeros()
    support = np.zeros(len(pool))
    coo = sp.coo_matrix(sims)
    carried: list[set[int]] = [set() for _ in pool]
    for i, j in zip(coo.row, coo.col, strict=True):
        if groups[i] != groups[j]:
            carried[i].add(int(groups[j]))
    if n_groups > 1:
        support = np.array([len(c) / (n_groups - 1) for c in carried])

    # position: early sentences of each article carry the news
    position = np.array([1.0 / (1.0 + s.index / 3.0) for s in pool])
    score = w.centroid * centroid_sim + w.support * support + w.position * position

    chosen = _select(pool, score, matrix, words, w.redundancy)
    chosen.sort(key=lambda i: (pool[i].index, -score[i]))
    # citations look at every sentence, not only the candidates: a source that
    # carries the fact in a sentence opening with "He said" still carries it
    every = list(sentences)
    every_matrix = normalize(vectorizer.transform([s.text for s in every]))
    cite_sims = (matrix[chosen] @ every_matrix.T).tocsr()
    return [
        _cite(pool[i], float(score[i]), every, cite_sims.getrow(k), w.cite_threshold)
        for k, i in enumerate(chosen)
    ]


def _select(
    pool: Sequence[Sentence], score: np.ndarray, matrix: sp.csr_matrix, words: int,
    redundancy: float,
) -> list[int]:
    low, high = words * 0.9, words * 1.1
    chosen: list[int] = []
    total = 0
    for i in np.argsort(-score, kind="stable"):
        if total >= low:
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
    own: Sentence, score: float, every: Sequence[Sentence], row: sp.csr_matrix, threshold: float
) -> BriefSentence:
    best: dict[str, Support] = {}
    for j, sim in zip(row.indices, row.data, strict=True):
        other = every[j]
        if other.article_id == own.article_id or sim < threshold:
            continue
        prev = best.get(other.article_id)
        if prev is None or sim > prev.similarity:
            best[other.article_id] = Support(
                other.article_id, other.id, other.start, other.end, round(float(sim), 3)
            )
    support = (Support(own.article_id, own.id, own.start, own.end, 1.0), *sorted(best.values(),
                                                              key=lambda s: -s.similarity))
    return BriefSentence(text=own.text, sentence=own, score=round(score, 4), support=support)
