"""The ceilings script (evaluation/stories_ceiling.py): its bounds on small, known cases."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from evaluation import stories_ceiling as ceiling
from evaluation.stories_eval import bcubed


def test_perfect_keeps_gold_but_notices_alone_and_identical_texts_together() -> None:
    gold = ["a", "a", "b", "b", "c"]
    hashes = ["h1", "h2", "h3", "h2", "h5"]  # article 3 has article 1's text
    alone = [False, False, False, False, True]
    pred = ceiling.perfect(gold, hashes, alone)
    assert pred[0] == pred[1] == pred[3] == "a"  # the shared text goes with its first cluster
    assert pred[2] == "b"
    assert pred[4] == "alone4"
    p, r, _ = bcubed(gold, pred)
    assert p < 1.0 and r < 1.0  # the identical text costs both


def test_nearest_same_counts_only_articles_with_a_mate() -> None:
    gold = ["a", "a", "b", "b", "c"]
    sim = np.array([
        [1.0, 0.9, 0.1, 0.1, 0.0],
        [0.9, 1.0, 0.2, 0.1, 0.0],
        [0.1, 0.2, 1.0, 0.1, 0.5],  # its nearest is the lone article, not its mate
        [0.1, 0.1, 0.1, 1.0, 0.0],  # ties with its mate and others: argmax picks index 0
        [0.0, 0.0, 0.5, 0.0, 1.0],
    ])
    share, mates = ceiling.nearest_same(sim, gold)
    assert mates == 4
    assert share == pytest.approx(0.5)


def test_average_link_finds_the_clusters_at_its_best_threshold() -> None:
    gold = ["a", "a", "b", "b", "n"]
    keep = [0, 1, 2, 3]  # article 4 stands alone
    sim = np.array([
        [1.0, 0.8, 0.1, 0.0],
        [0.8, 1.0, 0.0, 0.1],
        [0.1, 0.0, 1.0, 0.7],
        [0.0, 0.1, 0.7, 1.0],
    ])
    f1, threshold, p, r = ceiling.average_link(sim, gold, keep, 5, [0.05, 0.5, 0.9])
    assert (f1, p, r) == (1.0, 1.0, 1.0)
    assert threshold == 0.5


def test_main_prints_the_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "tiny.jsonl"
    docs = [
        ["The city council approved the new budget for parks and libraries on Monday.",
         "Council members voted to approve the city budget for parks and libraries."],
        ["A storm brought heavy snow and closed schools across the northern valley.",
         "Schools in the northern valley closed as heavy snow fell in the storm."],
    ]
    path.write_text("\n".join(
        json.dumps({"document": " ||||| ".join(d), "summary": "s"}) for d in docs
    ) + "\n")
    assert ceiling.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "4 articles, 2 clusters" in out
    assert "identical texts together) | 1.000 | 1.000 | 1.000 |" in out
    assert "| exact average link, TF-IDF | 1.000 | 1.000 | 1.000 |" in out
    assert "| exact average link, TF-IDF, local scaling (k=5) | 1.000 | 1.000 | 1.000 |" in out


def test_local_scaling_discounts_links_inside_a_crowded_topic() -> None:
    # 0-1-2 are a crowd (all alike), 3-4 a sparse pair with a weaker link
    sim = np.array([
        [1.0, 0.6, 0.6, 0.0, 0.0],
        [0.6, 1.0, 0.6, 0.0, 0.0],
        [0.6, 0.6, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 1.0, 0.3],
        [0.0, 0.0, 0.0, 0.3, 1.0],
    ])
    scaled = ceiling.local_scaling(sim, 2)
    assert scaled[3, 4] > scaled[0, 1]  # relative to its neighbourhood, 3-4 is closer
    assert ceiling.local_scaling(sim[:1, :1], 5).shape == (1, 1)


def test_the_store_similarities_count_shared_names_more_and_leave_rejections_out() -> None:
    from newsbrief.model import Article

    texts = [
        "The tree in the square lost its needles and residents named it Spelacchio online.",
        "Residents laughed at the tree in the square after the city named it Spelacchio.",
        "Subscribe now\nShare\nTweet",  # nothing left after cleaning: rejected, alone
        "The old tree in the park lost its leaves before the winter came to the square.",
    ]
    articles = [Article(id="", source=f"s{i}", origin=f"o{i}", text=t)
                for i, t in enumerate(texts)]
    keep, sims = ceiling.store_similarities(articles, (0.0, 2.0))
    assert keep == [0, 1, 3]
    plain, named = sims[0.0], sims[2.0]
    assert plain.shape == (3, 3) and np.allclose(np.diag(plain), 1.0)
    assert named[0, 1] > plain[0, 1] + 0.05  # the pair sharing "Spelacchio" gains
    assert named[0, 2] == pytest.approx(plain[0, 2])  # the pair sharing no name does not


def test_episodes_split_a_topic_where_its_dates_leave_a_long_gap() -> None:
    from datetime import datetime

    from evaluation.stories_eval import episodes
    from newsbrief.model import Article

    def one(topic: str, day: int | None) -> Article:
        at = None if day is None else datetime(2000, 1, 1).replace(day=day)
        return Article(id="", source="s", origin="o", text="t", story=topic, published=at)

    arts = [one("A", 1), one("A", 10), one("A", 30), one("B", 2), one("C", None)]
    assert episodes(arts, gap_days=14) == ["A/0", "A/0", "A/1", "B/0", "C/0"]
    assert episodes(arts, gap_days=30) == ["A/0", "A/0", "A/0", "B/0", "C/0"]
