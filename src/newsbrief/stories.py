"""Group articles into stories, incrementally: a new batch joins the stories already
stored or starts new ones, and nothing already grouped is recomputed.

The stages, in order, each a plain function (the store and the Dask path call them):

1. ``featurize_batch``: articles -> cleaned (``clean.clean_all``) -> ``Features``
   each: hashed term counts (title words count twice; each name-like capitalised
   word of the text adds ``NAME_WEIGHT`` more), a MinHash signature of its word
   5-grams, its normalised content hash. Per batch, with no state, so
   it runs anywhere (Dask workers).
2. ``vectorize``: the batch's term counts -> L2-normalised TF-IDF rows, with
   document frequencies kept in the store (``DocFreq``), and each article's
   *salient terms* (its highest-weighted terms that are not common).
3. ``candidate_edges``: article pairs that share a salient term (an inverted
   index, built as a sparse product over salient terms only, capped per term),
   scored by cosine. No step compares all pairs.
4. ``cluster``: sparse average-link agglomeration over the batch's articles and
   the stored stories they point to (``StoryCandidates``; a story's average link
   to an article is ``x . centroid_sum / size``). Pairs are merged best first
   while their average link reaches ``StorySettings.threshold``; two stored
   stories never merge, so story ids stay stable. Near-copies (MinHash Jaccard
   at or above ``copy_threshold``) are merged first, unconditionally: copies of
   one report always land in the same story. Publication times, where both are
   known, scale a link down once the gap exceeds ``time_window_days``. An
   optional second pass (``singleton_threshold``, off by default) moves
   articles left alone into their best group.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.utils import murmurhash3_32

from newsbrief.clean import clean, clean_all
from newsbrief.model import Article, CleanArticle, Problem
from newsbrief.settings import StorySettings

__all__ = [
    "MIN_COMMON",
    "NAME_WEIGHT",
    "NOTICE_SHARE",
    "NUM_PERM",
    "N_FEATURES",
    "DocFreq",
    "Features",
    "Grouping",
    "StoryCandidates",
    "StorySettings",
    "band_keys",
    "candidate_edges",
    "cluster",
    "content_hash",
    "featurize",
    "featurize_batch",
    "featurize_clean",
    "find_copy_pairs",
    "jaccard",
    "minhash",
    "notice_share",
    "rowwise_cosine",
    "salient_terms",
    "tokens",
    "vectorize",
]

N_FEATURES = 1 << 20
"""Hashed term space (murmurhash3, as scikit-learn's HashingVectorizer)."""
NUM_PERM = 64
"""MinHash permutations for copy detection: 8 LSH bands of 8 rows."""
BANDS, ROWS = 8, 8
MIN_COMMON = 20
"""A term is common (never salient) only when more than this many documents hold it:
in a small store every term may find candidates."""

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?", re.UNICODE)
_WS = re.compile(r"\s+")
_STOP = frozenset(ENGLISH_STOP_WORDS) | {"said", "says", "just", "like", "new", "year", "years"}
_TERM_CACHE: dict[str, int] = {}

_NOTICE = re.compile(
    "|".join([
        # web archives (Wayback Machine / Archive-It collection pages)
        r"wayback machine", r"internet archive", r"archive-it", r"\bweb ?crawls?\b",
        r"\bcrawls?\b", r"seed ?list", r"\bseed for\b", r"publicly accessible",
        r"web collections", r"properties of this collection", r"\bwarcs?\b",
        # social widgets and players
        r"tweet with a location", r"location to your tweets", r"twitter stores",
        r"tweet location history",
        r"add this (?:tweet|video) to your website", r"legacy twitter",
        r"rating is available when the video", r"interactive transcript",
        r"feature is not available right now", r"try again later", r"watch queue",
        # browser, login, paywall and comment notices
        r"javascript is disabled", r"enable (?:javascript|cookies)", r"we use cookies",
        r"appear next to all of your comments", r"will not appear anywhere",
        r"dow jones reprints", r"deliverable area", r"verification email",
        r"log in to continue", r"subscriber account", r"facebook information",
    ]),
    re.IGNORECASE,
)
_NAME = re.compile(r"(?<=[^\W\d_,;:] )[A-Z][\w'’.-]*[^\W_]")
"""A capitalised word after a lower-case word (not at a sentence start): name-like."""
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
NAME_WEIGHT = 2.0
"""Extra count for a name-like word (capitalised, not at a sentence start): names count
as much as title words. Texts in lower case get none."""
NOTICE_SHARE = 0.5
"""An article whose sentences are at least this share (by words) site or archive
notices is not an article: it is rejected (and reported), not grouped."""


def notice_share(text: str) -> float:
    """Share of a text's words in sentences that are web-archive, social-widget,
    browser or login notices ("Tweet with a location…", "Starting in 1996, Alexa
    Internet has been donating their crawl data…")."""
    sentences = _SENTENCE.split(text)
    total = sum(len(s.split()) for s in sentences)
    if not total:
        return 0.0
    return sum(len(s.split()) for s in sentences if _NOTICE.search(s)) / total


@dataclass(frozen=True, slots=True)
class Features:
    """What grouping needs of one article; small, picklable, made per article."""

    article: Article
    content_hash: str
    terms: np.ndarray
    """Hashed term ids, sorted, unique (int32)."""
    counts: np.ndarray
    """Term counts aligned with ``terms`` (float32; title words count twice)."""
    words: tuple[str, ...]
    """A word for each term id (for labels)."""
    signature: np.ndarray | None
    """MinHash of word 5-grams (uint32, NUM_PERM), or None when too short to judge."""
    published: float | None
    """Publication time as a POSIX timestamp, where known."""
    kept_words: int
    """Words left after cleaning."""
    title: str | None = None
    """Headline: the article's title, else the headline line cleaning found."""


def content_hash(text: str) -> str:
    """Normalised content hash: case-folded text with whitespace collapsed, SHA-256."""
    norm = _WS.sub(" ", text.casefold()).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _term_id(word: str) -> int:
    tid = _TERM_CACHE.get(word)
    if tid is None:
        tid = int(murmurhash3_32(word, positive=True)) % N_FEATURES
        if len(_TERM_CACHE) < 2_000_000:
            _TERM_CACHE[word] = tid
    return tid


def tokens(text: str) -> list[str]:
    """Content words of a text: lower case, two letters or more, no stop words."""
    found = _TOKEN.findall(text.casefold().replace("’", "'"))
    return [
        w for w in (v[:-2] if v.endswith("'s") else v for v in found)
        if len(w) > 1 and w not in _STOP
    ]


_PRIME = np.uint64(4_294_967_291)  # the largest prime below 2**32: (a*h + b) fits in 64 bits
_PERM_A, _PERM_B = (
    np.random.default_rng(1).integers(1, int(_PRIME), size=NUM_PERM, dtype=np.uint64),
    np.random.default_rng(2).integers(0, int(_PRIME), size=NUM_PERM, dtype=np.uint64),
)
_SHINGLE = 5


def minhash(words: Sequence[str]) -> np.ndarray | None:
    """MinHash signature (uint32, NUM_PERM) of a text's word 5-grams; None under 10 words.

    Words are hashed once (CRC-32), 5-grams combined as a polynomial of their
    words' hashes, and the permutations are universal hashes ``(a*h + b) mod p``,
    all in numpy: the same idea as datasketch's ``MinHash``, without a Python
    call per shingle.
    """
    if len(words) < 10:
        return None
    h = np.fromiter((zlib.crc32(w.encode()) for w in words), dtype=np.uint64, count=len(words))
    n = len(words) - _SHINGLE + 1
    sh = np.zeros(n, dtype=np.uint64)
    for k in range(_SHINGLE):
        sh = (sh * np.uint64(1_000_003) + h[k : k + n]) & np.uint64(0xFFFFFFFF)
    sh = np.unique(sh % _PRIME)
    values = (np.outer(sh, _PERM_A) + _PERM_B) % _PRIME
    return np.asarray(values.min(axis=0), dtype=np.uint32)


def _timestamp(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def featurize(article: Article, shared_lines: frozenset[str] = frozenset()) -> Features | Problem:
    """Features of one article, or a ``Problem`` saying why it cannot be grouped."""
    return featurize_clean(clean(article, shared_lines))


def featurize_batch(articles: Sequence[Article]) -> list[Features | Problem]:
    """Clean a batch together (so that lines it shares, site templates, are seen) and
    featurize each article."""
    return [featurize_clean(c) for c in clean_all(articles)]


def featurize_clean(cleaned: CleanArticle) -> Features | Problem:
    """Features of one cleaned article, or a ``Problem`` saying why it cannot be grouped."""
    article = cleaned.article
    words = tokens(cleaned.text)
    if not words:
        return Problem(article.origin, "nothing left after cleaning (all boilerplate or no words)")
    share = notice_share(cleaned.text)
    if share >= NOTICE_SHARE:
        return Problem(
            article.origin,
            f"not an article: a site or web-archive notice ({share:.0%} of its words)",
        )
    title_words = tokens(cleaned.title) if cleaned.title else []
    counter: dict[int, float] = {}
    word_of: dict[int, str] = {}
    for w in words:
        t = _term_id(w)
        counter[t] = counter.get(t, 0.0) + 1.0
        word_of.setdefault(t, w)
    for w in title_words:
        t = _term_id(w)
        counter[t] = counter.get(t, 0.0) + 2.0
        word_of.setdefault(t, w)
    if NAME_WEIGHT:
        for w in tokens(" ".join(_NAME.findall(cleaned.text))):
            t = _term_id(w)
            if t in counter:
                counter[t] += NAME_WEIGHT
    order = sorted(counter)
    raw = [w.casefold() for w in cleaned.text.split()]
    signature = minhash(raw)
    return Features(
        article=article,
        content_hash=content_hash(article.text),
        terms=np.asarray(order, dtype=np.int32),
        counts=np.asarray([counter[t] for t in order], dtype=np.float32),
        words=tuple(word_of[t] for t in order),
        signature=signature,
        published=_timestamp(article.published),
        kept_words=len(raw),
        title=cleaned.title,
    )


def band_keys(signature: np.ndarray) -> list[int]:
    """LSH band keys of a MinHash signature: one signed 64-bit key per band."""
    keys = []
    for b in range(BANDS):
        chunk = signature[b * ROWS : (b + 1) * ROWS].tobytes()
        digest = hashlib.blake2b(bytes([b]) + chunk, digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


def jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two MinHash signatures."""
    return float(np.count_nonzero(a == b)) / len(a)


def find_copy_pairs(
    signatures: Sequence[np.ndarray | None], threshold: float
) -> list[tuple[int, int, float]]:
    """Near-duplicate pairs ``(i, j, jaccard)`` with i < j within one batch (LSH buckets)."""
    buckets: dict[int, list[int]] = {}
    for i, sig in enumerate(signatures):
        if sig is None:
            continue
        for key in band_keys(sig):
            buckets.setdefault(key, []).append(i)
    seen: set[tuple[int, int]] = set()
    out: list[tuple[int, int, float]] = []
    for members in buckets.values():
        if len(members) < 2:
            continue
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                i, j = members[x], members[y]
                if (i, j) in seen:
                    continue
                seen.add((i, j))
                sig_i, sig_j = signatures[i], signatures[j]
                assert sig_i is not None and sig_j is not None
                sim = jaccard(sig_i, sig_j)
                if sim >= threshold:
                    out.append((i, j, sim))
    return out


@dataclass(slots=True)
class DocFreq:
    """Document frequencies over the hashed term space, and how many documents."""

    df: np.ndarray = field(default_factory=lambda: np.zeros(N_FEATURES, dtype=np.int32))
    n_docs: int = 0

    def add(self, batch: Iterable[Features]) -> None:
        """Count the batch's documents in."""
        for f in batch:
            self.df[f.terms] += 1
            self.n_docs += 1

    def idf(self, terms: np.ndarray) -> np.ndarray:
        """Smoothed inverse document frequency of the given term ids."""
        idf = np.log((self.n_docs + 1) / (self.df[terms] + 1)) + 1.0
        return np.asarray(idf, dtype=np.float32)


def vectorize(batch: Sequence[Features], docfreq: DocFreq) -> sp.csr_matrix:
    """L2-normalised sublinear TF-IDF rows for a batch (hashed term space)."""
    indptr = np.zeros(len(batch) + 1, dtype=np.int64)
    for i, f in enumerate(batch):
        indptr[i + 1] = indptr[i] + len(f.terms)
    indices = (
        np.concatenate([f.terms for f in batch]) if batch else np.zeros(0, dtype=np.int32)
    )
    counts = (
        np.concatenate([f.counts for f in batch]) if batch else np.zeros(0, dtype=np.float32)
    )
    data = (1.0 + np.log(counts)) * docfreq.idf(indices)
    norms = np.sqrt(np.add.reduceat(data * data, indptr[:-1])) if len(data) else data
    if len(data):
        rows = np.repeat(np.arange(len(batch)), np.diff(indptr))
        data = data / np.maximum(norms[rows], 1e-12)
    return sp.csr_matrix(
        (data.astype(np.float32), indices, indptr), shape=(len(batch), N_FEATURES)
    )


def salient_terms(
    x: sp.csr_matrix, docfreq: DocFreq, k: int, common_df: float
) -> list[np.ndarray]:
    """Each row's highest-weighted terms (at most ``k``, one per 4 distinct terms, at least 10),
    leaving out terms in too many documents."""
    limit = max(MIN_COMMON, common_df * docfreq.n_docs)
    out: list[np.ndarray] = []
    for i in range(x.shape[0]):
        lo, hi = x.indptr[i], x.indptr[i + 1]
        idx = x.indices[lo:hi]
        val = x.data[lo:hi]
        n_terms = len(idx)
        keep = docfreq.df[idx] <= limit
        idx, val = idx[keep], val[keep]
        k_row = min(k, max(10, n_terms // 4))
        if len(idx) > k_row:
            top = np.argpartition(-val, k_row)[:k_row]
            idx = idx[top]
        out.append(np.sort(idx).astype(np.int32))
    return out


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


@dataclass(slots=True)
class Grouping:
    """Where each article of a batch goes."""

    story: list[int | None]
    """The stored story id an article joins, or None when it is in a new story."""
    new_group: list[int]
    """For articles in new stories, a group number shared by the articles of one new story
    (-1 for articles joining stored stories)."""
    copy_of: dict[int, int]
    """Batch index -> batch index of the article it copies (within the batch)."""


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
    ``story_copies``: (i, k) where article ``i`` copies an article of story ``k``.
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

    copy_of: dict[int, int] = {}
    for i, s_idx in story_copies:
        a, b = find(i), find(n + s_idx)
        if can_merge(a, b):
            merge(a, b)
    for i, j in copies:
        copy_of.setdefault(max(i, j), min(i, j))
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
    return Grouping(story=story, new_group=new_group, copy_of=copy_of)
