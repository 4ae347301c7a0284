"""Do Multi-News clusters come back as stories? B-cubed and ARI against a baseline.

All articles of a Multi-News file are shuffled together and ingested into a fresh
store (the real ``SQLiteStore.add`` path, in batches); each article's story is
compared with its cluster. Articles rejected at ingest count as stories of their
own. The baseline, scored in the same run, is TF-IDF + scikit-learn
``AgglomerativeClustering`` (average link, cosine) on a sample of whole clusters
small enough for its all-pairs distance matrix; the store is scored on that same
sample too, so the two compare like for like. The baseline's distance threshold
is the best of a sweep on the scored sample itself (an optimistic baseline);
the store runs with its default settings.

    .venv/bin/python evaluation/stories_eval.py ../shared/data/multinews/dev100.jsonl
    .venv/bin/python evaluation/stories_eval.py \
        ../shared/data/multinews/train5622-truncated.jsonl.gz --sample-articles 3000
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import adjusted_rand_score

from newsbrief.model import Article
from newsbrief.readers import read_paths
from newsbrief.store import DEFAULT_BATCH, SQLiteStore
from newsbrief.stories import content_hash


def bcubed(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga and Baldwin), item-averaged."""
    n = len(gold)
    pair = Counter(zip(gold, pred, strict=True))
    g_size, p_size = Counter(gold), Counter(pred)
    precision = sum(c * c / p_size[p] for (_, p), c in pair.items()) / n
    recall = sum(c * c / g_size[g] for (g, _), c in pair.items()) / n
    return precision, recall, 2 * precision * recall / (precision + recall)


def scores(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> dict[str, float]:
    """B-cubed P/R/F1 and adjusted Rand index."""
    p, r, f = bcubed(gold, pred)
    ari = adjusted_rand_score([str(g) for g in gold], [str(x) for x in pred])
    return {"P": p, "R": r, "F1": f, "ARI": float(ari)}


def store_predict(articles: Sequence[Article], batch_size: int) -> tuple[list[str], float]:
    """Ingest into a fresh store; each article's story (rejected ones alone)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "eval.db")
        started = time.perf_counter()
        store.add(articles, batch_size=batch_size)
        seconds = time.perf_counter() - started
        story = store.story_of(content_hash(a.text) for a in articles)
        store.close()
    pred = [
        f"s{story[h]}" if (h := content_hash(a.text)) in story else f"rejected{i}"
        for i, a in enumerate(articles)
    ]
    return pred, seconds


def baseline_predict(articles: Sequence[Article], gold: Sequence[str]) -> tuple[
    list[int], float, float
]:
    """TF-IDF + average-link AgglomerativeClustering, threshold chosen by best F1."""
    started = time.perf_counter()
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [a.text for a in articles]
    )
    distance = np.clip(1.0 - (x @ x.T).toarray(), 0.0, 2.0)
    best: tuple[float, list[int], float] = (-1.0, [], 0.0)
    for threshold in (0.75, 0.8, 0.85, 0.88, 0.9, 0.92):
        labels = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average",
            distance_threshold=threshold,
        ).fit_predict(distance)
        f1 = bcubed(gold, list(labels))[2]
        if f1 > best[0]:
            best = (f1, [int(v) for v in labels], threshold)
    return best[1], best[2], time.perf_counter() - started


def row(name: str, n: int, s: dict[str, float], note: str) -> str:
    return (
        f"| {name} | {n} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | {s['ARI']:.3f} "
        f"| {note} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="Multi-News JSONL (.jsonl or .jsonl.gz)")
    parser.add_argument("--sample-articles", type=int, default=3000,
                        help="most articles in the baseline's sample (whole clusters)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-full", action="store_true",
                        help="score only the sample")
    args = parser.parse_args(argv)

    read = read_paths([args.path], max_bytes=1 << 31)  # the train file unpacks to 40 MB
    articles = list(read.articles)
    if not articles:
        print(f"no articles in {args.path}", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    rng.shuffle(articles)
    gold = [str(a.story) for a in articles]
    n_clusters = len(set(gold))
    print(f"{args.path}: {len(articles)} articles, {n_clusters} clusters, "
          f"batch size {args.batch_size}", file=sys.stderr)

    clusters = sorted(set(gold))
    rng.shuffle(clusters)
    by_cluster = Counter(gold)
    chosen: set[str] = set()
    total = 0
    for c in clusters:
        if total + by_cluster[c] > args.sample_articles:
            continue
        chosen.add(c)
        total += by_cluster[c]
    sample = [a for a in articles if a.story in chosen]
    sample_gold = [str(a.story) for a in sample]

    lines = [
        "| method | articles | B³ P | B³ R | B³ F1 | ARI | notes |",
        "|---|---|---|---|---|---|---|",
    ]
    base, threshold, base_s = baseline_predict(sample, sample_gold)
    lines.append(row("baseline: TF-IDF + Agglomerative (average)", len(sample),
                     scores(sample_gold, base),
                     f"{len(chosen)} clusters; best distance threshold {threshold} "
                     f"of a sweep; {base_s:.1f} s"))
    pred, secs = store_predict(sample, args.batch_size)
    lines.append(row("newsbrief store (same sample)", len(sample),
                     scores(sample_gold, pred),
                     f"{len(set(pred))} stories; {secs:.1f} s, "
                     f"{len(sample) / secs:.0f} articles/s"))
    if not args.skip_full and len(sample) < len(articles):
        pred, secs = store_predict(articles, args.batch_size)
        lines.append(row("newsbrief store (all)", len(articles), scores(gold, pred),
                         f"{n_clusters} clusters -> {len(set(pred))} stories; {secs:.1f} s, "
                         f"{len(articles) / secs:.0f} articles/s"))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
