"""Group articles into stories, incrementally: a new batch joins the stories already
stored or starts new ones, and nothing already grouped is recomputed.

Plain functions over a batch's features (``newsbrief.story_features``) and the
stored stories' summaries (``newsbrief.store.StorySummary``); ``newsbrief.ingest``
loads what they need from the store and saves what they decide. In order:

1. ``candidate_edges``: article pairs of the batch that share a salient term (an
   inverted index, built as a sparse product over salient terms only, capped per
   term), scored by cosine. No step compares all pairs.
2. ``near_copies_in_batch`` and ``near_copies_in_store``: articles syndicated one from
   the other, judged as the brief judges them (``newsbrief.copies``: MinHash passages,
   the copy's share of words in passages shared at or above
   ``StorySettings.syndication_share``); in the store, candidates are the articles
   under one of the batch's LSH band keys.
3. ``candidate_stories`` and ``story_links``: the stored stories each article is
   scored against: the ``STORIES_PER_ARTICLE`` that share most of its salient terms
   (at most ``STORIES_PER_TERM`` per term), scored exactly (``x . centroid / size``).
4. ``cluster``: sparse average-link agglomeration over the batch's articles and
   the stored stories they point to (``StoryCandidates``). Pairs are merged best
   first while their average link reaches ``StorySettings.threshold``; two stored
   stories never merge, so story ids stay stable. Near-copies are merged first,
   unconditionally: copies of one report always land in the same story.
   Publication times, where both are known, scale a link down once the gap exceeds
   ``time_window_days``, and each merge looks again at the two groups' spans as they are
   then: groups ``FAR_APART`` in time never merge, whatever their undated members say.
   ``name_links`` can count shared rare names more first (``name_bonus``, off by
   default). An optional second pass (``singleton_threshold``, off by
   default) moves articles left alone into their best group.
5. ``update_stories`` and ``story_label``: each touched story's new centroid (its
   ``centroid_terms`` heaviest terms), time span, most central headline, the terms
   that find it again, and its label.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from newsbrief.copies import CopyPair, Passages, copy_pairs, judge, matches_between
from newsbrief.minhash import BANDS, NUM_PERM, band_keys
from newsbrief.settings import StorySettings
from newsbrief.store import StoredPassages, StorySummary
from newsbrief.story_features import MIN_COMMON, N_FEATURES, DocFreq, Features

__all__ = [
    "STORIES_PER_ARTICLE",
    "STORIES_PER_TERM",
    "Edges",
    "Grouping",
    "StoreCopy",
    "StoryCandidates",
    "candidate_edges",
    "candidate_stories",
    "cluster",
    "name_links",
    "near_copies_in_batch",
    "near_copies_in_store",
    "passage_keys",
    "rowwise_cosine",
    "story_label",
    "story_links",
    "term_words",
    "update_stories",
]

STORIES_PER_TERM = 50
"""Stored stories looked up per salient term (the most recent): bounds the work per
article however large the store grows."""
STORIES_PER_ARTICLE = 10
"""Stored stories an article is scored against (those sharing most salient terms)."""
FAR_APART = math.exp(-3.0)
"""Groups whose time spans are so far apart that a link between them is scaled below this
(3 decay lengths past the window: 24 days with the defaults) never merge, however their
undated members link."""
LABEL_WORDS = 4
"""Words in a story's label: its heaviest distinct terms."""

Edges = tuple[np.ndarray, np.ndarray, np.ndarray]
"""(i, j, weight) arrays: article pairs, or article-story links."""


def _salient_matrix(salient: Sequence[np.ndarray], max_posting: int) -> sp.csr_matrix:
    rows = np.repeat(np.arange(len(salient)), [len(s) for s in salient])
    cols = np.concatenate(salient) if salient else np.zeros(0, dtype=np.int32)
    m = sp.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(salient), N_FEATURES)
    )
    posting = np.bincount(cols, minlength=N_FEATURES) if len(cols) else np.zeros(N_FEATURES)
    m = m @ sp.diags((posting <= max_posting).astype(np.float32))
    m.eliminate_zeros()
    return sp.csr_matrix(m)


def rowwise_cosine(x: sp.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Cosine of rows ``x[i]`` and ``x[j]`` pair by pair (rows are L2-normalised)."""
    out = np.empty(len(i), dtype=np.float32)
    step = 200_000
    for s in range(0, len(i), step):
        a, b = x[i[s : s + step]], x[j[s : s + step]]
        out[s : s + step] = np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return out


def candidate_edges(
    x: sp.csr_matrix,
    salient: Sequence[np.ndarray],
    settings: StorySettings,
    rows: tuple[int, int] | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, i < j, sharing a salient term, with cosine >= ``min_link``.

    ``rows`` limits ``i`` to a block ``[start, stop)`` so that blocks can be
    scored apart (Dask workers) and concatenated.
    """
    start, stop = rows if rows is not None else (0, x.shape[0])
    s = _salient_matrix(salient, settings.max_posting)
    shared = sp.coo_matrix(s[start:stop] @ s.T)
    i = shared.row.astype(np.int64) + start
    j = shared.col.astype(np.int64)
    keep = j > i
    i, j = i[keep], j[keep]
    order = np.lexsort((j, i))  # a fixed order, however the rows were split into blocks
    i, j = i[order], j[order]
    sims = rowwise_cosine(x, i, j)
    ok = sims >= settings.min_link
    return i[ok], j[ok], sims[ok]


@dataclass(slots=True)
class StoryCandidates:
    """Stored stories that a batch may join: centroid sums, sizes and time spans."""

    ids: list[int] = field(default_factory=list)
    centroids: sp.csr_matrix = field(
        default_factory=lambda: sp.csr_matrix((0, N_FEATURES), dtype=np.float32)
    )
    sizes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    first: list[float | None] = field(default_factory=list)
    last: list[float | None] = field(default_factory=list)

    @classmethod
    def of(cls, summaries: Sequence[StorySummary]) -> StoryCandidates:
        """The candidates made of stored summaries, in their order."""
        indptr = np.cumsum([0, *(len(s.centroid_terms) for s in summaries)])
        if summaries:
            indices = np.concatenate([s.centroid_terms for s in summaries])
            values = np.concatenate([s.centroid_values for s in summaries])
        else:
            indices, values = np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        return cls(
            ids=[s.id for s in summaries],
            centroids=sp.csr_matrix(
                (values, indices, indptr), shape=(len(summaries), N_FEATURES)
            ),
            sizes=np.asarray([s.size for s in summaries], dtype=np.int64),
            first=[s.first for s in summaries],
            last=[s.last for s in summaries],
        )


@dataclass(slots=True)
class Grouping:
    """Where each article of a batch goes."""

    story: list[int | None]
    """The stored story id an article joins, or None when it is in a new story."""
    new_group: list[int]
    """For articles in new stories, a group number shared by the articles of one new story
    (-1 for articles joining stored stories)."""


@dataclass(frozen=True, slots=True)
class StoreCopy:
    """A batch article that is a near-copy of a stored one (or the original of one)."""

    article_id: int
    story_id: int
    is_copy: bool
    """True: the batch article copies the stored one; False: the stored one copies it."""
    share: float


def passage_keys(f: Features) -> np.ndarray:
    """The distinct LSH band keys of an article's passages."""
    return np.unique(f.passages.keys)


def near_copies_in_batch(good: Sequence[Features], settings: StorySettings) -> list[CopyPair]:
    """Pairs of the batch where one is syndicated from the other (the brief's rule:
    later published, else later in the batch, decides a tie)."""

    def later(i: int, j: int) -> bool:
        a, b = good[i].published, good[j].published
        return a > b if a is not None and b is not None else i > j

    pairs = copy_pairs([f.passages for f in good], settings.copy_threshold, later)
    return [p for p in pairs if p.share >= settings.syndication_share]


def near_copies_in_store(
    good: Sequence[Features], sources: Sequence[StoredPassages], settings: StorySettings
) -> dict[int, StoreCopy]:
    """Batch index -> the stored article it is a near-copy of (or the original of), the
    one with the largest share where several are; ``sources`` are the stored articles
    under the batch's band keys. A stored article came first, so it is the original on
    a tie unless it was published later."""
    sigs = [s.signatures.reshape(-1, NUM_PERM) for s in sources]
    keys = band_keys(np.concatenate(sigs)) if sigs else np.zeros((0, BANDS), dtype=np.int64)
    bounds = np.cumsum([0, *(len(x) for x in sigs)])
    stored = [
        Passages((), s.passage_words, x, keys[lo:hi], s.total_words)
        for s, x, lo, hi in zip(sources, sigs, bounds[:-1], bounds[1:], strict=True)
    ]
    by_key: dict[int, list[int]] = {}
    for n, theirs in enumerate(stored):
        for key in np.unique(theirs.keys).tolist():
            by_key.setdefault(key, []).append(n)
    found: dict[int, StoreCopy] = {}
    for i, f in enumerate(good):
        if not f.passages.words:
            continue
        near = sorted({n for k in passage_keys(f).tolist() for n in by_key.get(k, ())})
        for n in near:
            s, theirs = sources[n], stored[n]
            matches = matches_between(f.passages, theirs, settings.copy_threshold)
            if not matches:
                continue
            later = (f.published > s.published if f.published is not None
                     and s.published is not None else True)
            is_copy, share = judge(f.passages, theirs, matches, later)
            best = found.get(i)
            if share >= settings.syndication_share and (best is None or share > best.share):
                found[i] = StoreCopy(s.article_id, s.story_id, is_copy, share)
    return found


def candidate_stories(
    salient: Sequence[np.ndarray], postings: Iterable[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """(article, story id) pairs to score: each article with the ``STORIES_PER_ARTICLE``
    stored stories that share most of its salient terms (the most recent on ties), from
    ``postings`` (term, story id) of the story-term index, at most ``STORIES_PER_TERM``
    stories per term."""
    terms = sorted({int(t) for s in salient for t in s})
    per_term: dict[int, list[int]] = {}
    for term, sid in postings:
        per_term.setdefault(term, []).append(sid)
    term_col = {t: c for c, t in enumerate(terms)}
    p_rows: list[int] = []
    p_cols: list[int] = []
    for term, sids in per_term.items():
        recent = sorted(sids)[-STORIES_PER_TERM:]
        p_rows.extend([term_col[term]] * len(recent))
        p_cols.extend(recent)
    if not p_cols:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    story_ids, story_col = np.unique(np.asarray(p_cols), return_inverse=True)
    postings_m = sp.csr_matrix(
        (np.ones(len(p_cols), dtype=np.float32), (np.asarray(p_rows), story_col)),
        shape=(len(terms), len(story_ids)),
    )
    a_rows = np.repeat(np.arange(len(salient)), [len(v) for v in salient])
    a_cols = np.asarray([term_col[int(t)] for v in salient for t in v], dtype=np.int64)
    shared = sp.coo_matrix(
        sp.csr_matrix(
            (np.ones(len(a_cols), dtype=np.float32), (a_rows, a_cols)),
            shape=(len(salient), len(terms)),
        )
        @ postings_m
    )
    # per article: most shared terms first, then the most recent story
    order = np.lexsort((-shared.col, -shared.data, shared.row))
    rows = shared.row[order]
    first = np.r_[0, np.flatnonzero(np.diff(rows)) + 1]
    rank = np.arange(len(rows)) - np.repeat(first, np.diff(np.r_[first, len(rows)]))
    keep = order[rank < STORIES_PER_ARTICLE]
    return shared.row[keep].astype(np.int64), story_ids[shared.col[keep]].astype(np.int64)


def story_links(
    x: sp.csr_matrix, pair_article: np.ndarray, pair_story: np.ndarray,
    stories: StoryCandidates, settings: StorySettings,
) -> Edges:
    """(article, candidate index, x . centroid_sum) for the pairs whose average link
    (``x . centroid_sum / size``) reaches ``min_link``."""
    if not len(pair_article):
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0)
    index = {sid: k for k, sid in enumerate(stories.ids)}
    k_idx = np.asarray([index[int(v)] for v in pair_story], dtype=np.int64)
    dots = np.asarray(x[pair_article].multiply(stories.centroids[k_idx]).sum(axis=1)).ravel()
    keep = dots / stories.sizes[k_idx] >= settings.min_link
    return pair_article[keep], k_idx[keep], dots[keep].astype(np.float64)


def _rowwise_dot(
    a: sp.csr_matrix, b: sp.csr_matrix, i: np.ndarray, j: np.ndarray
) -> np.ndarray:
    if not len(i):
        return np.zeros(0)
    return np.asarray(a[i].multiply(b[j]).sum(axis=1), dtype=np.float64).ravel()


def name_links(
    x: sp.csr_matrix, names: Sequence[np.ndarray], edges: Edges, links: Edges,
    stories: StoryCandidates, docfreq: DocFreq, settings: StorySettings,
) -> tuple[Edges, Edges]:
    """The batch's ``edges`` and ``links`` (from ``story_links``) with shared names counted
    ``settings.name_bonus`` more: each weight gains that times its *name part*, the part
    of the cosine (or of ``x . centroid_sum``) made by rare names of the article
    (``Features.names`` in at most ``settings.name_df`` of the documents: "Saitoti",
    "Rushdie", not "Minister", "July" or "Clinton"; for a pair, a name in either). Sums,
    like the weights, so a group's average stays exact. A stored story keeps no names:
    its part is the article's."""
    if not settings.name_bonus:
        return edges, links
    limit = settings.name_df * docfreq.n_docs
    names = [v[docfreq.df[v] <= limit] for v in names]
    rows = np.repeat(np.arange(len(names)), [len(v) for v in names])
    cols = np.concatenate(names) if len(names) else np.zeros(0, dtype=np.int32)
    own = sp.csr_matrix(
        (np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=x.shape
    )
    xn = sp.csr_matrix(x.multiply(own))
    i, j, w = edges
    part = _rowwise_dot(xn, x, i, j) + _rowwise_dot(x, xn, i, j) - _rowwise_dot(xn, xn, i, j)
    si, sk, sw = links
    story_part = (
        np.asarray(xn[si].multiply(stories.centroids[sk]).sum(axis=1), dtype=np.float64).ravel()
        if len(si) else np.zeros(0)
    )
    bonus = settings.name_bonus
    return (i, j, w + bonus * part), (si, sk, sw + bonus * story_part)


def _span_factor(
    lo_a: float | None, hi_a: float | None, lo_b: float | None, hi_b: float | None,
    s: StorySettings,
) -> float:
    """``_time_factor`` between two groups' time spans (1 when either has none)."""
    if lo_a is None or hi_a is None or lo_b is None or hi_b is None:
        return 1.0
    gap = max(lo_b - hi_a, lo_a - hi_b, 0.0) / 86400.0
    if gap <= s.time_window_days:
        return 1.0
    return math.exp(-(gap - s.time_window_days) / s.time_decay_days)


def _time_factor(a: float | None, lo: float | None, hi: float | None, s: StorySettings) -> float:
    if a is None or lo is None or hi is None:
        return 1.0
    gap = max(lo - a, a - hi, 0.0) / 86400.0
    if gap <= s.time_window_days:
        return 1.0
    return math.exp(-(gap - s.time_window_days) / s.time_decay_days)



def cluster(
    n: int,
    edges: tuple[np.ndarray, np.ndarray, np.ndarray],
    story_links: tuple[np.ndarray, np.ndarray, np.ndarray],
    stories: StoryCandidates,
    settings: StorySettings,
    copies: Sequence[tuple[int, int]] = (),
    story_copies: Sequence[tuple[int, int]] = (),
    times: Sequence[float | None] = (),
) -> Grouping:
    """Sparse average-link agglomeration of a batch, with the stored stories as fixed anchors.

    ``edges``: (i, j, cosine) between batch articles; ``story_links``: (i, k,
    x_i . centroid_sum_k) between batch article ``i`` and candidate story ``k``
    (an index into ``stories``); ``copies``: batch pairs that are near-copies;
    ``story_copies``: (i, k) where article ``i`` is a near-copy of an article of story ``k``.
    """
    k = len(stories.ids)
    size = [1] * n + [int(s) for s in stories.sizes]
    anchor: list[int | None] = [None] * n + list(range(k))
    lo: list[float | None] = list(times) if times else [None] * n
    hi: list[float | None] = list(lo)
    lo += list(stories.first)
    hi += list(stories.last)
    parent = list(range(n + k))
    version = [0] * (n + k)
    links: list[dict[int, float]] = [{} for _ in range(n + k)]

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    dated = any(t is not None for t in lo)
    si, sk, sw = story_links
    for src, dst, weights in ((edges[0], edges[1], edges[2]), (si, sk + n, sw)):
        for a, b, w in zip(src.tolist(), dst.tolist(), weights.tolist(), strict=True):
            if dated:
                w *= _time_factor(lo[a], lo[b], hi[b], settings)
            # pairs are unique, so no sums yet
            links[a][b] = w
            links[b][a] = w

    def merge(a: int, b: int) -> int:
        """Merge b into a (or a into b, whichever has more links); return the root."""
        if len(links[a]) < len(links[b]):
            a, b = b, a
        parent[b] = a
        for x, w in links[b].items():
            if x == a:
                continue
            links[x].pop(b, None)
            links[a][x] = links[a].get(x, 0.0) + w
            links[x][a] = links[a][x]
        links[a].pop(b, None)
        links[b] = {}
        size[a] += size[b]
        anchor[a] = anchor[a] if anchor[a] is not None else anchor[b]
        times_a = [t for t in (lo[a], lo[b]) if t is not None]
        times_b = [t for t in (hi[a], hi[b]) if t is not None]
        lo[a] = min(times_a) if times_a else None
        hi[a] = max(times_b) if times_b else None
        version[a] += 1
        version[b] += 1
        return a

    def can_merge(a: int, b: int) -> bool:
        return a != b and (anchor[a] is None or anchor[b] is None)

    for i, s_idx in story_copies:
        a, b = find(i), find(n + s_idx)
        if can_merge(a, b):
            merge(a, b)
    for i, j in copies:
        a, b = find(i), find(j)
        if can_merge(a, b):
            merge(a, b)

    # only pairs already at the threshold go in; merging re-scores the merged group's pairs
    heap: list[tuple[float, int, int, int, int]] = []
    for a in range(n + k):
        if find(a) != a:
            continue
        for b, w in links[a].items():
            link = w / (size[a] * size[b])
            if a < b and link >= settings.threshold:
                heap.append((-link, a, b, version[a], version[b]))
    heapq.heapify(heap)
    while heap:
        neg, a, b, va, vb = heapq.heappop(heap)
        if -neg < settings.threshold:
            break
        if version[a] != va or version[b] != vb or not can_merge(a, b):
            continue
        # a second look at the groups' time spans as they are now: an undated article's
        # links were not scaled, but the group it joined has a span, so a story far from
        # it in time does not take the group in on its undated members' vocabulary (dated
        # pairs were scaled already: this refuses, it does not scale them twice)
        if dated and _span_factor(lo[a], hi[a], lo[b], hi[b], settings) < FAR_APART:
            continue
        root = merge(a, b)
        for x, w in links[root].items():
            link = w / (size[root] * size[x])
            if link >= settings.threshold and can_merge(root, x):
                heapq.heappush(heap, (-link, root, x, version[root], version[x]))

    # second pass: articles left alone join their best group if it is close enough
    if settings.singleton_threshold is not None:
        moves: list[tuple[int, int]] = []
        for a in range(n):
            if find(a) != a or size[a] != 1:
                continue
            best, best_link = -1, float(settings.singleton_threshold)
            for x, w in links[a].items():
                if size[x] < 2 and anchor[x] is None:
                    continue
                link = w / size[x]
                if link >= best_link:
                    best, best_link = x, link
            if best >= 0:
                moves.append((a, best))
        for a, x in moves:  # decided on the groups before any move: order does not matter
            merge(find(x), a)

    story: list[int | None] = []
    new_group: list[int] = []
    group_of_root: dict[int, int] = {}
    for i in range(n):
        r = find(i)
        anc = anchor[r]
        if anc is not None:
            story.append(stories.ids[anc])
            new_group.append(-1)
        else:
            story.append(None)
            new_group.append(group_of_root.setdefault(r, len(group_of_root)))
    return Grouping(story=story, new_group=new_group)


def update_stories(
    good: Sequence[Features],
    x: sp.csr_matrix,
    story_of: Sequence[int],
    stories: Mapping[int, StorySummary],
    docfreq: DocFreq,
    settings: StorySettings,
) -> list[StorySummary]:
    """The new summary of every story the batch touched (``story_of``: each article's
    story; ``stories``: their summaries before the batch, new ones empty), ascending
    by id, without labels (``story_label`` makes them from the term words)."""
    members: dict[int, list[int]] = {}
    for i, sid in enumerate(story_of):
        members.setdefault(sid, []).append(i)
    limit = max(MIN_COMMON, settings.common_df * docfreq.n_docs)
    out: list[StorySummary] = []
    for sid in sorted(members):
        idx = members[sid]
        old = stories[sid]
        parts_i = [old.centroid_terms] + [x.indices[x.indptr[i] : x.indptr[i + 1]] for i in idx]
        parts_v = [old.centroid_values] + [x.data[x.indptr[i] : x.indptr[i + 1]] for i in idx]
        terms_c, inverse = np.unique(np.concatenate(parts_i), return_inverse=True)
        values_c = np.bincount(inverse, weights=np.concatenate(parts_v)).astype(np.float32)
        if len(terms_c) > settings.centroid_terms:
            keep = settings.centroid_terms
            top = np.sort(np.argpartition(-values_c, keep)[:keep])
            terms_c, values_c = terms_c[top], values_c[top]
        times = [t for t in (good[i].published for i in idx) if t is not None]
        times += [t for t in (old.first, old.last) if t is not None]
        # most central titled article: a new one replaces the headline when closer
        norm = float(np.sqrt(np.dot(values_c, values_c))) or 1.0
        best_title, best_score = old.headline, old.headline_score
        for i in idx:
            title = good[i].title
            if not title:
                continue
            row_i = x.indices[x.indptr[i] : x.indptr[i + 1]]
            row_v = x.data[x.indptr[i] : x.indptr[i + 1]]
            pos = np.clip(np.searchsorted(terms_c, row_i), 0, len(terms_c) - 1)
            hit = terms_c[pos] == row_i
            score = float(np.dot(row_v[hit], values_c[pos[hit]])) / norm
            if best_title is None or score > best_score:
                best_title, best_score = title, score
        ranked = terms_c[np.argsort(-values_c)]
        ranked = ranked[docfreq.df[ranked] <= limit]
        out.append(StorySummary(
            id=sid, size=old.size + len(idx),
            first=min(times) if times else None, last=max(times) if times else None,
            centroid_terms=terms_c, centroid_values=values_c,
            headline=best_title, headline_score=best_score,
            terms=tuple(int(t) for t in ranked[: settings.story_terms]),
        ))
    return out


def term_words(good: Sequence[Features], salient: Sequence[np.ndarray]) -> dict[int, str]:
    """A word for each salient term of the batch (the terms that labels may show)."""
    words: dict[int, str] = {}
    for f, sal in zip(good, salient, strict=True):
        pos = np.searchsorted(f.terms, sal)
        for t, p in zip(sal.tolist(), pos.tolist(), strict=True):
            words[t] = f.words[p]
    return words


def story_label(terms: Sequence[int], words: Mapping[int, str]) -> str:
    """A story's label: the words of its first ``LABEL_WORDS`` terms that have one."""
    found = [words[t] for t in terms if t in words]
    return " · ".join(dict.fromkeys(found[:LABEL_WORDS]))
