"""What each source adds: per outlet, the facts that no other source reports.

A source is a group of articles that count as one (an article and its copies,
articles of one outlet: ``Brief.source_groups``), so a re-post never makes a
fact look shared. For every sentence that can stand alone in a brief
(``summarize.candidates``), the closest sentence of every *other* source is
found by TF-IDF cosine similarity (``newsbrief.vectors``, the same vectors for every
sentence of the cluster). A sentence with no close counterpart (below
``threshold``) is something only its source reports. Those are ranked by how
central they are to the story (cosine similarity to the mean of the per-source
centroids, so that a source with many articles does not set the topic), and the
best few of each source are kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsbrief.model import Addition, Sentence
from newsbrief.summarize import candidates
from newsbrief.vectors import TfidfVectorizer, l2_normalize

__all__ = ["source_additions"]

ROWS_PER_BLOCK = 512
"""Sentences compared with the whole story at once: memory grows with the story, not with
its square (3,000 near-copies of one article: 2.9 GB before, bounded now)."""

def source_additions(
    sentences: Sequence[Sentence],
    source_groups: Sequence[Sequence[str]],
    per_source: int = 3,
    threshold: float = 0.2,
    min_score: float = 0.1,
) -> list[Addition]:
    """The sentences only one source reports, the ``per_source`` most central of each.

    Returns nothing when there is a single source (everything would be "only
    its"). Sentences less similar to the story than ``min_score`` (asides,
    leftovers of page furniture) are left out. Grouped by source in input order,
    most central first within a source.
    """
    group_of = {aid: g for g, group in enumerate(source_groups) for aid in group}
    if len({group_of.get(s.article_id, -1) for s in sentences}) < 2:
        return []
    pool = candidates(sentences)
    if not pool:
        return []
    import numpy as np

    vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    try:
        every = l2_normalize(vectorizer.fit_transform([s.text for s in sentences]))
    except ValueError:  # only stop words
        return []
    every_groups = np.array([group_of.get(s.article_id, -1) for s in sentences])
    matrix = l2_normalize(vectorizer.transform([s.text for s in pool]))
    pool_groups = np.array([group_of.get(s.article_id, -1) for s in pool])

    # closest counterpart in another source: a sparse product a block of rows at a time
    # (memory bounded by the block, not by the square of the story), own source masked
    closest = np.zeros(len(pool))
    every_t = every.T.tocsc()
    for start in range(0, len(pool), ROWS_PER_BLOCK):
        block = (matrix[start : start + ROWS_PER_BLOCK] @ every_t).toarray()
        block[pool_groups[start : start + ROWS_PER_BLOCK, None] == every_groups[None, :]] = 0.0
        closest[start : start + len(block)] = block.max(axis=1) if block.size else 0.0

    # novelty: share of the sentence's TF-IDF weight in words no other source uses at all
    present = np.zeros((len(source_groups) + 1, every.shape[1]), dtype=bool)
    coo = every.tocoo()
    present[every_groups[coo.row], coo.col] = True
    used_by = present.sum(axis=0)
    cells = matrix.tocoo()
    alone = (used_by[cells.col] - present[pool_groups[cells.row], cells.col]) == 0
    total = np.bincount(cells.row, weights=cells.data, minlength=len(pool))
    new_weight = np.bincount(cells.row, weights=cells.data * alone, minlength=len(pool))
    novelty = np.where(total > 0, new_weight / np.maximum(total, 1e-9), 0.0)

    centroids = [
        np.asarray(every[np.flatnonzero(every_groups == g)].mean(axis=0)).ravel()
        for g in sorted(set(every_groups.tolist()))
    ]
    centroid = np.mean(centroids, axis=0)
    norm = np.linalg.norm(centroid)
    centrality = np.asarray(matrix @ (centroid / norm if norm else centroid)).ravel()
    # on topic, and new: a sentence that shares every word with other sources is
    # most likely a paraphrase of theirs, one with only new words an aside
    score = centrality * novelty

    out: list[Addition] = []
    for g, group in enumerate(source_groups):
        rows = [i for i in np.flatnonzero(pool_groups == g).tolist()
                if closest[i] < threshold and centrality[i] >= min_score]
        rows.sort(key=lambda i: (-score[i], pool[i].article_id, pool[i].index))
        seen: set[str] = set()
        for i in rows:
            if pool[i].text in seen:
                continue  # the same sentence in an article and its copy
            seen.add(pool[i].text)
            if len(seen) > per_source:
                break
            out.append(
                Addition(
                    source_group=tuple(group),
                    sentence=pool[i],
                    score=round(float(score[i]), 4),
                    closest=round(float(closest[i]), 4),
                )
            )
    return out
