"""What story grouping knows of an article: its *features*, made per article, anywhere.

``featurize_batch`` cleans a batch together (``clean.clean_all``: lines the batch
shares, site templates, are seen) and turns each article into ``Features``:

* hashed term counts (``N_FEATURES`` buckets, murmurhash3 as scikit-learn's
  ``HashingVectorizer``; title words count twice; each name-like capitalised word
  of the text adds ``NAME_WEIGHT`` more);
* its passages for copy detection (``copies.passages``: a MinHash of each
  paragraph's word 3-grams, the brief's own);
* its normalised content hash (``content_hash``), by which the store deduplicates.

An article with nothing left after cleaning, or whose sentences are mostly site or
web-archive notices (``notice_share``), is a ``Problem`` instead: rejected, not
grouped. Featurizing holds no state, so it runs on Dask workers as well.

``DocFreq``, ``vectorize`` and ``salient_terms`` then weigh a batch's features
against the document frequencies kept in the store (sublinear TF-IDF rows, and
each article's salient terms: its heaviest terms that are not common).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache

import numpy as np
import scipy.sparse as sp
from murmurhash import hash as murmur_hash

from newsbrief.clean import clean, clean_all
from newsbrief.copies import Passages, passages
from newsbrief.headline import headline_candidates
from newsbrief.lede import lead_of
from newsbrief.model import Article, CleanArticle, Problem
from newsbrief.text import stop_words

__all__ = [
    "MIN_COMMON",
    "NAME_WEIGHT",
    "NOTICE_SHARE",
    "N_FEATURES",
    "DocFreq",
    "Features",
    "content_hash",
    "featurize",
    "featurize_batch",
    "featurize_clean",
    "notice_share",
    "salient_terms",
    "tokens",
    "vectorize",
]

N_FEATURES = 1 << 20
"""Hashed term space (murmurhash3, as scikit-learn's HashingVectorizer)."""
MIN_COMMON = 20
"""A term is common (never salient) only when more than this many documents hold it:
in a small store every term may find candidates."""

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’.-]*[^\W_])?", re.UNICODE)
_WS = re.compile(r"\s+")
_EXTRA_STOP = frozenset({"said", "says", "just", "like", "new", "year", "years"})
"""Words of every news story, added to scikit-learn's English stop words."""
_TERM_CACHE: dict[str, int] = {}
_TERM_CACHE_SIZE = 2_000_000
"""Words whose term id is remembered (a few hundred MiB at most): a news vocabulary fits."""

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
    passages: Passages
    """Its passages for copy detection (none when no paragraph is long enough)."""
    published: float | None
    """Publication time as a POSIX timestamp, where known."""
    kept_words: int
    """Words left after cleaning."""
    title: str | None = None
    """Headline: the article's title, else the headline line cleaning found, tidied, when
    it is a real headline (``headline.headline_candidates``), else None."""
    lead: CleanArticle | None = None
    """Its first kept paragraph, cleaned (``lede.lead_of``): the stories list's lede is
    read from it without cleaning the article again."""
    names: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int32))
    """Term ids (sorted, unique, a subset of ``terms``) of its name-like words: capitalised
    words of the text after a lower-case word (titles are left out: most are title case)."""


def content_hash(text: str) -> str:
    """Normalised content hash: case-folded text with whitespace collapsed, SHA-256."""
    norm = _WS.sub(" ", text.casefold()).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _term_id(word: str) -> int:
    tid = _TERM_CACHE.get(word)
    if tid is None:
        # murmurhash3 (32 bits, seed 0) as scikit-learn's murmurhash3_32(positive=True), bit
        # for bit, from the small package spaCy stands on: importing scikit-learn costs ~1 s
        tid = (murmur_hash(word) & 0xFFFFFFFF) % N_FEATURES
        if len(_TERM_CACHE) < _TERM_CACHE_SIZE:
            _TERM_CACHE[word] = tid
    return tid


@cache
def _stop() -> frozenset[str]:
    return stop_words() | _EXTRA_STOP


def tokens(text: str) -> list[str]:
    """Content words of a text: lower case, two letters or more, no stop words."""
    stop = _stop()
    found = _TOKEN.findall(text.casefold().replace("’", "'"))
    return [
        w for w in (v[:-2] if v.endswith("'s") else v for v in found)
        if len(w) > 1 and w not in stop
    ]


def _timestamp(value: datetime | None) -> float | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.timestamp()


def _text_date(cleaned: CleanArticle) -> float | None:
    """An undated article's date from its date line or dateline ("24/01/2017 22:40 by
    admin", "MOSCOW, Jan. 24, 2017 —"), as the brief's timeline finds it; None if none."""
    from newsbrief.timeline import publication_dates  # its date grammar loads on first use

    found = publication_dates([cleaned]).get(cleaned.id)
    return None if found is None else datetime(found.year, found.month, found.day,
                                               tzinfo=UTC).timestamp()


def featurize(article: Article, shared_lines: frozenset[str] = frozenset()) -> Features | Problem:
    """Features of one article, or a ``Problem`` saying why it cannot be grouped."""
    return featurize_clean(clean(article, shared_lines))


def featurize_batch(articles: Sequence[Article]) -> list[Features | Problem]:
    """Clean a batch together (so that lines it shares, site templates, are seen) and
    featurize each article (the passages of all in one MinHash pass)."""
    cleaned = clean_all(articles)
    return [
        featurize_clean(c, p) for c, p in zip(cleaned, passages(cleaned), strict=True)
    ]


def featurize_clean(cleaned: CleanArticle, found: Passages | None = None) -> Features | Problem:
    """Features of one cleaned article (with its ``passages`` when already found), or a
    ``Problem`` saying why it cannot be grouped."""
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
    # only a real headline, tidied as the brief's (a credit, label or deck that cleaning took
    # for the title is neither counted nor shown)
    title = headline_candidates([cleaned]).get(cleaned.id)
    title_words = tokens(title) if title else []
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
    name_ids: set[int] = set()
    for w in tokens(" ".join(_NAME.findall(cleaned.text))):
        t = _term_id(w)
        if t in counter:
            counter[t] += NAME_WEIGHT
            name_ids.add(t)
    order = sorted(counter)
    return Features(
        article=article,
        content_hash=content_hash(article.text),
        terms=np.asarray(order, dtype=np.int32),
        counts=np.asarray([counter[t] for t in order], dtype=np.float32),
        words=tuple(word_of[t] for t in order),
        passages=found if found is not None else passages([cleaned])[0],
        published=_timestamp(article.published) if article.published else _text_date(cleaned),
        kept_words=len(cleaned.text.split()),
        title=title,
        lead=lead_of(cleaned),
        names=np.asarray(sorted(name_ids), dtype=np.int32),
    )



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

