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
import hashlib
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Hashable, Sequence
from dataclasses import replace
from datetime import datetime
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


TUNE_THRESHOLDS = (0.10, 0.12, 0.15)
TUNE_NAME_BONUS = (0.0, 1.0, 2.0, 4.0)
TUNE_NAME_DF = (0.002, 0.005, 0.01, 0.05)
EPISODE_GAP_DAYS = 14
"""DUC 2007 gold: a topic's articles split where their dates leave a gap over this many
days (a topic spans years; one story does not)."""


def episodes(articles: Sequence[Article], gap_days: float = EPISODE_GAP_DAYS) -> list[str]:
    """Each article's gold story: its topic (``story``), split into episodes where the
    dates of the topic's articles, in order, leave a gap over ``gap_days``."""
    by_topic: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        by_topic.setdefault(str(a.story), []).append(i)
    gold = [""] * len(articles)
    for topic, idx in by_topic.items():
        dated = all(articles[i].published is not None for i in idx)
        idx.sort(key=lambda i: articles[i].published or datetime.min)
        part, prev = 0, None
        for i in idx:
            at = articles[i].published
            if dated and prev is not None and at is not None and (at - prev).days > gap_days:
                part += 1
            gold[i], prev = f"{topic}/{part}", at
    return gold


def sweep(sample: Sequence[Article], gold: Sequence[str], batch_size: int,
          thresholds: Sequence[float] = TUNE_THRESHOLDS,
          name_dfs: Sequence[float] | None = None) -> list[str]:
    """B-cubed of the store on ``sample`` for each threshold, name bonus and name_df (by
    default the store's)."""
    name_dfs = name_dfs or (StorySettings().name_df,)
    lines = ["| threshold | name_bonus | name_df | B³ P | B³ R | B³ F1 |",
             "|---|---|---|---|---|---|"]
    for threshold in thresholds:
        for bonus in TUNE_NAME_BONUS:
            for name_df in name_dfs if bonus else name_dfs[:1]:
                settings = StorySettings(threshold=threshold, name_bonus=bonus, name_df=name_df)
                pred, _ = store_predict(sample, batch_size, settings)
                p, r, f = bcubed(gold, pred)
                lines.append(f"| {threshold} | {bonus} | {name_df} | {p:.3f} | {r:.3f} "
                             f"| {f:.3f} |")
                print(lines[-1], file=sys.stderr)
    return lines


def tune(articles: Sequence[Article], gold: Sequence[str], scored: set[str],
         limit: int, seed: int, batch_size: int) -> list[str]:
    """Sweep the store's settings on clusters disjoint from the scored sample."""
    clusters = sorted(set(gold) - scored)
    random.Random(seed + 1).shuffle(clusters)
    chosen = whole_clusters(gold, clusters, limit, scored)
    sample = [a for a in articles if a.story in chosen]
    return [
        f"tuning sample: {len(chosen)} clusters, {len(sample)} articles "
        "(disjoint from the scored sample)",
        *sweep(sample, [str(a.story) for a in sample], batch_size),
    ]


DUC_PARTS = ("tune", "report", "main")


def duc_articles(folder: Path, part: str, dates: bool = True) -> list[Article]:
    """DUC 2007 articles (cased, titled, dated, with their sources), each with its topic as
    its story: ``main``, the 1,125 articles of main.jsonl; ``tune`` and ``report``, the
    topics of main.jsonl and update.jsonl (an update topic's sets A, B and C added to its
    main articles) split in two by the SHA-256 of the topic id (even: tune, odd: report)."""
    by_url: dict[str, Article] = {}
    names = ("main.jsonl",) if part == "main" else ("main.jsonl", "update.jsonl")
    for name in names:
        for line in (folder / name).open(encoding="utf-8"):
            record = json.loads(line)
            topic = record["id"]
            odd = hashlib.sha256(topic.encode()).digest()[0] % 2
            if part != "main" and odd != (part == "report"):
                continue
            sets = record.get("sets") or {"": record["articles"]}
            for docs in sets.values():
                for a in docs:
                    key = a.get("url") or a["text"][:200]
                    by_url.setdefault(key, Article(
                        id="", source=a.get("source") or "duc", origin=key, text=a["text"],
                        title=a.get("title"), story=topic,
                        published=datetime.fromisoformat(a["published"])
                        if dates and a.get("published") else None,
                    ))
    return list(by_url.values())


def row(name: str, n: int, s: dict[str, float], note: str) -> str:
    return (
        f"| {name} | {n} | {s['P']:.3f} | {s['R']:.3f} | {s['F1']:.3f} | {s['ARI']:.3f} "
        f"| {note} |"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", help="Multi-News JSONL (.jsonl or .jsonl.gz), or the DUC 2007 "
                        "folder (main.jsonl, update.jsonl)")
    parser.add_argument("--part", choices=DUC_PARTS, default="tune",
                        help="DUC 2007 only: the topics to score (--tune sweeps them)")
    parser.add_argument("--episodes", action="store_true",
                        help=f"DUC 2007 only: score against episodes (a topic split at gaps "
                             f"over {EPISODE_GAP_DAYS} days) instead of topics")
    parser.add_argument("--no-dates", action="store_true",
                        help="DUC 2007 only: drop publication dates (a topic spans years)")
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

    if Path(args.path).is_dir():  # DUC 2007: a tuning or report part, or main's mixture
        articles = duc_articles(Path(args.path), args.part, not args.no_dates)
        if args.episodes:
            articles = [replace(a, story=g) for a, g in zip(articles, episodes(articles),
                                                             strict=True)]
    else:
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
    if args.tune and Path(args.path).is_dir():  # names and their rarity, at the threshold
        print("\n".join(sweep(articles, episodes(articles), args.batch_size,
                               (StorySettings().threshold,), TUNE_NAME_DF)))
        return 0
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
