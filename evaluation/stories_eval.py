"""Do Multi-News clusters come back as stories? B-cubed and ARI against a baseline.

All articles of a Multi-News file are shuffled together and ingested into a fresh
store (the real path: ``ingest_articles`` into a ``SQLiteStore``, in batches); each
article's story is compared with its cluster. Articles rejected at ingest count as
stories of their own. The baseline, scored in the same run, is TF-IDF + scikit-learn
``AgglomerativeClustering`` (average link, cosine) on a sample of whole clusters
small enough for its all-pairs distance matrix; the store is scored on that same
sample too, so the two compare like for like. The baseline's distance threshold
is the best of a sweep on the scored sample itself (an optimistic baseline);
the store runs with its default settings.

    .venv/bin/python evaluation/stories_eval.py ../shared/data/multinews/dev100.jsonl
    .venv/bin/python evaluation/stories_eval.py \
        ../shared/data/multinews/train5622-truncated.jsonl.gz --sample-articles 3000

``--tune`` instead sweeps the store's merge thresholds on a *tuning* sample of
whole clusters disjoint from the scored sample (so a setting is never chosen on
the data it is scored on):

    .venv/bin/python evaluation/stories_eval.py \
        ../shared/data/multinews/train5622-truncated.jsonl.gz --tune

Articles the store rejects (unreadable, empty after cleaning, or site and
web-archive notices such as "Tweet with a location…") count as stories of their
own, one per occurrence; the baseline is given them like any other article.
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

from newsbrief.ingest import ingest_articles
from newsbrief.model import Article
from newsbrief.readers import read_paths
from newsbrief.settings import DEFAULT_BATCH, StorySettings
from newsbrief.store import SQLiteStore
from newsbrief.story_features import content_hash


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


def store_predict(
    articles: Sequence[Article], batch_size: int, settings: StorySettings | None = None
) -> tuple[list[str], float]:
    """Ingest into a fresh store; each article's story (rejected ones alone)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "eval.db", settings=settings)
        started = time.perf_counter()
        ingest_articles(store, articles, batch_size=batch_size)
        seconds = time.perf_counter() - started
        story = store.story_of(content_hash(a.text) for a in articles)
        store.close()
    pred = [
        f"s{story[h]}" if (h := content_hash(a.text)) in story else f"rejected{i}"
        for i, a in enumerate(articles)
    ]
    return pred, seconds


def baseline_predict(
    articles: Sequence[Article], gold: Sequence[str], alone: Sequence[bool] | None = None
) -> tuple[list[int], float, float]:
    """TF-IDF + average-link AgglomerativeClustering, threshold chosen by best F1.

    Articles marked ``alone`` are left out of the clustering and each put in a
    cluster of its own (as the store does with the articles it rejects).
    """
    started = time.perf_counter()
    keep = [i for i in range(len(articles)) if not (alone and alone[i])]
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [articles[i].text for i in keep]
    )
    distance = np.clip(1.0 - (x @ x.T).toarray(), 0.0, 2.0)
    best: tuple[float, list[int], float] = (-1.0, [], 0.0)
    for threshold in (0.75, 0.8, 0.85, 0.88, 0.9, 0.92):
        fitted = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average",
            distance_threshold=threshold,
        ).fit_predict(distance)
        labels = list(range(len(articles), 2 * len(articles)))  # each alone
        for i, v in zip(keep, fitted, strict=True):
            labels[i] = int(v)
        f1 = bcubed(gold, labels)[2]
        if f1 > best[0]:
            best = (f1, labels, threshold)
    return best[1], best[2], time.perf_counter() - started


def whole_clusters(
    gold: Sequence[str], order: Sequence[str], limit: int, taken: set[str]
) -> set[str]:
    """Whole clusters, in the given order, while they fit in ``limit`` articles."""
    by_cluster = Counter(gold)
    chosen: set[str] = set()
    total = 0
    for c in order:
        if c in taken or total + by_cluster[c] > limit:
            continue
        chosen.add(c)
        total += by_cluster[c]
    return chosen


def tune(articles: Sequence[Article], gold: Sequence[str], scored: set[str],
         limit: int, seed: int, batch_size: int) -> list[str]:
    """Sweep the store's thresholds on clusters disjoint from the scored sample."""
    clusters = sorted(set(gold) - scored)
    random.Random(seed + 1).shuffle(clusters)
    chosen = whole_clusters(gold, clusters, limit, scored)
    sample = [a for a in articles if a.story in chosen]
    sample_gold = [str(a.story) for a in sample]
    lines = [
        f"tuning sample: {len(chosen)} clusters, {len(sample)} articles "
        "(disjoint from the scored sample)",
        "| threshold | singleton_threshold | B³ P | B³ R | B³ F1 |",
        "|---|---|---|---|---|",
    ]
    for threshold in (0.12, 0.15, 0.18):
        for single in sorted({threshold, 0.12, 0.10}):
            if single > threshold:
                continue
            settings = StorySettings(
                threshold=threshold,
                singleton_threshold=None if single == threshold else single,
            )
            pred, _ = store_predict(sample, batch_size, settings)
            p, r, f = bcubed(sample_gold, pred)
            off = " (off)" if single == threshold else ""
            lines.append(f"| {threshold} | {single}{off} | {p:.3f} | {r:.3f} | {f:.3f} |")
            print(lines[-1], file=sys.stderr)
    return lines


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
    parser.add_argument("--tune", action="store_true",
                        help="sweep the store's thresholds on a tuning sample of other "
                             "clusters (as large as --sample-articles) instead")
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
    chosen = whole_clusters(gold, clusters, args.sample_articles, set())
    if args.tune:
        print("\n".join(tune(articles, gold, chosen, args.sample_articles, args.seed,
                             args.batch_size)))
        return 0
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
    alone = [p.startswith("rejected") for p in pred]
    rejected = sum(alone)
    if rejected:  # like for like: the baseline leaves out what the store rejected
        base, threshold, base_s = baseline_predict(sample, sample_gold, alone)
        lines.append(row("baseline, the store's rejected articles alone", len(sample),
                         scores(sample_gold, base),
                         f"{rejected} articles alone; best distance threshold "
                         f"{threshold}; {base_s:.1f} s"))
    lines.append(row("newsbrief store (same sample)", len(sample),
                     scores(sample_gold, pred),
                     f"{len(set(pred))} stories ({rejected} rejected articles alone); "
                     f"{secs:.1f} s, "
                     f"{len(sample) / secs:.0f} articles/s"))
    if not args.skip_full and len(sample) < len(articles):
        pred, secs = store_predict(articles, args.batch_size)
        rejected = sum(p.startswith("rejected") for p in pred)
        lines.append(row("newsbrief store (all)", len(articles), scores(gold, pred),
                         f"{n_clusters} clusters -> {len(set(pred))} stories ({rejected} "
                         f"rejected articles alone); {secs:.1f} s, "
                         f"{len(articles) / secs:.0f} articles/s"))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
