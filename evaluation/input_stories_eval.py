"""Input that is not one story: does ``brief`` find the stories in it, and the articles
not in English?

``stories``: mixtures of 1 to 4 known stories (2, 3, 5 or 8 articles each, 40 mixtures,
seed 0) drawn from DUC 2007 topics, Multi-News train clusters (the first 1,500, kept
out of the background frequencies) or dev100 (report only), grouped by
``input_stories.group_input`` and, as the baseline in the same run, by the same store
functions with the input's own document frequencies (what an empty store does).
Scored by item-averaged B-cubed F1, mixtures given back exactly, and one-story
mixtures kept whole. ``--part tune`` takes the even topics, ``test`` the odd ones.
DUC topics span years, so ``--no-dates`` drops publication dates (a topic is then
one story); with dates, the grouping splits them by time, as the store does.

``language``: the gold texts of the article-extraction set, DUC 2007 articles and the
seeds, whole and cut to prefixes: how many are left out as not English.

    .venv/bin/python -m evaluation.input_stories_eval stories duc --part test --no-dates
    .venv/bin/python -m evaluation.input_stories_eval stories train --part test
    .venv/bin/python -m evaluation.input_stories_eval stories dev100
    .venv/bin/python -m evaluation.input_stories_eval language
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np

from newsbrief.input_stories import group_input
from newsbrief.language import english_only
from newsbrief.model import Article
from newsbrief.settings import StorySettings

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SEEDS = DATA.parent / "seeds"
TRAIN_HELD_OUT = 1500
"""Train clusters not in the background frequencies (``evaluation/background_df.py``)."""


def _multinews(path: Path, limit: int | None) -> list[list[Article]]:
    opener = gzip.open if path.suffix == ".gz" else open
    topics: list[list[Article]] = []
    with opener(path, "rt", encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and n >= limit:
                break
            record = json.loads(line)
            docs = [d.strip() for d in record["document"].split("|||||") if d.strip()]
            if len(docs) >= 2:
                topics.append([Article(f"a{k}", "s", f"{record['id']}#{k}", d)
                               for k, d in enumerate(docs)])
    return topics


def _duc(dates: bool) -> list[list[Article]]:
    topics: list[list[Article]] = []
    for line in (DATA / "duc2007" / "main.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        topics.append([
            Article(f"a{k}", a.get("source") or "s", f"{record['id']}#{k}", a["text"],
                    title=a.get("title"),
                    published=datetime.fromisoformat(a["published"])
                    if dates and a.get("published") else None)
            for k, a in enumerate(record["articles"])
        ])
    return topics


def own_frequencies(articles: Sequence[Article]) -> list[list[Article]]:
    """The baseline: the store's grouping with the input's document frequencies alone."""
    return group_input(articles, StorySettings(), background=False).stories


def bcubed_f1(gold: Sequence[int], pred: Sequence[int]) -> float:
    """Item-averaged B-cubed F1 of a grouping against the truth."""
    n = len(gold)
    p = sum(sum(gold[j] == gold[i] for j in range(n) if pred[j] == pred[i])
            / sum(pred[j] == pred[i] for j in range(n)) for i in range(n)) / n
    r = sum(sum(pred[j] == pred[i] for j in range(n) if gold[j] == gold[i])
            / sum(gold[j] == gold[i] for j in range(n)) for i in range(n)) / n
    return 2 * p * r / (p + r)


def _score(trials: list[tuple[list[Article], list[int], int]],
           method: Callable[[Sequence[Article]], list[list[Article]]]) -> str:
    f1s: list[float] = []
    exact = whole = single = 0
    for articles, gold, k in trials:
        stories = method(articles)
        where = {id(a): n for n, s in enumerate(stories) for a in s}
        pred = [where.get(id(a), -1 - i) for i, a in enumerate(articles)]  # rejected: alone
        f1 = bcubed_f1(gold, pred)
        f1s.append(f1)
        right = f1 == 1.0
        exact += right
        single += k == 1
        whole += right and k == 1
    return (f"B3 F1 {np.mean(f1s):.3f}  given back exactly {exact}/{len(trials)}  "
            f"one story kept whole {whole}/{single}")


def stories(which: str, part: str, dates: bool) -> None:
    """Mixtures of known stories: the baseline and newsbrief, in the same run."""
    if which == "duc":
        topics = _duc(dates)
    elif which == "train":
        topics = _multinews(DATA / "multinews" / "train5622-truncated.jsonl.gz", TRAIN_HELD_OUT)
    else:
        topics = _multinews(DATA / "multinews" / "dev100.jsonl", None)
    if which != "dev100":  # report only: all of it, nothing tuned on it
        topics = topics[0::2] if part == "tune" else topics[1::2]
    rng = random.Random(0)
    trials = []
    for _ in range(40):
        k = rng.choice([1, 1, 2, 3, 4])
        articles: list[Article] = []
        gold: list[int] = []
        for c in rng.sample(range(len(topics)), k):
            for a in rng.sample(topics[c], min(len(topics[c]), rng.choice([2, 3, 5, 8]))):
                articles.append(a)
                gold.append(c)
        trials.append((articles, gold, k))
    used = part if which != "dev100" else "all"
    print(f"{which} ({used}, dates {'kept' if dates else 'dropped'}), 40 mixtures")
    print("  the input's own frequencies:", _score(trials, own_frequencies))
    print("  newsbrief (background):     ", _score(trials, lambda a: group_input(a).stories))


def language() -> None:
    """Texts left out as not English, by prefix length."""
    gold = json.loads((DATA / "article-extraction" / "ground-truth.json").read_text("utf-8"))
    texts = [v["articleBody"] for v in gold.values()]
    kept, _ = english_only([Article(f"a{i}", "s", str(i), t) for i, t in enumerate(texts)])
    english_ids = {int(a.origin) for a in kept}
    english = [t for i, t in enumerate(texts) if i in english_ids]
    other = [t for i, t in enumerate(texts) if i not in english_ids]
    for line in (DATA / "duc2007" / "main.jsonl").open(encoding="utf-8").readlines()[:8]:
        english += [a["text"] for a in json.loads(line)["articles"]]
    english += [p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    print(f"{len(english)} English texts, {len(other)} others (by the detector on whole "
          "texts; check the others by eye)")
    for chars in (30, 60, 120, 250, 500, None):
        def out(group: list[str], n: int | None = chars) -> int:
            arts = [Article("a", "s", "x", t[:n]) for t in group]
            return len(english_only(arts)[1])
        print(f"  {'whole' if chars is None else f'first {chars} chars':>16}: English left out "
              f"{out(english)}/{len(english)}, others left out {out(other)}/{len(other)}")
    rng = random.Random(0)
    for share in (0.1, 0.25, 0.4, 0.5):
        mixed = []
        for t in english[:150]:
            base = t[:1500]
            extra = rng.choice(other)[: int(len(base) * share / (1 - share))]
            mixed.append(f"{base}\n\n{extra}")
        left = len(english_only([Article("a", "s", "x", t) for t in mixed])[1])
        print(f"  English + {share:.0%} another language: left out {left}/150")


def main() -> None:
    """Run one of the two measurements."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="what", required=True)
    s = sub.add_parser("stories")
    s.add_argument("data", choices=("duc", "train", "dev100"))
    s.add_argument("--part", choices=("tune", "test"), default="test")
    s.add_argument("--no-dates", action="store_true")
    sub.add_parser("language")
    args = parser.parse_args()
    if args.what == "stories":
        stories(args.data, args.part, not args.no_dates)
    else:
        language()


if __name__ == "__main__":
    main()
