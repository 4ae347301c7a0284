"""Synthetic articles for the store and story tests: clusters that share rare names
and a topic vocabulary, written without any shared data (so tests run anywhere)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from newsbrief.model import Article

_COMMON = tuple(
    " ".join([
        "the officials said on monday that report would include further details about",
        "plans announced after meeting with local leaders during week while critics",
        "questioned whether decision was made too quickly people familiar matter added",
    ]).split()
)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice("bcdfghjklmnpqrstvwz") + rng.choice("aeiou") for _ in range(4))


def make_clusters(n_clusters: int, per_cluster: int, seed: int = 0) -> list[Article]:
    """``n_clusters`` stories of ``per_cluster`` articles; ``Article.story`` is the truth."""
    rng = random.Random(seed)
    base = datetime(2024, 1, 1)
    out: list[Article] = []
    for c in range(n_clusters):
        names = [_word(rng) for _ in range(8)]
        when = base + timedelta(days=rng.randint(0, 300))
        for k in range(per_cluster):
            words: list[str] = []
            for _ in range(6):
                sentence = [rng.choice(names) for _ in range(3)] + rng.sample(_COMMON, 7)
                rng.shuffle(sentence)
                words.append(" ".join(sentence).capitalize() + ".")
            out.append(
                Article(
                    id="",
                    source=f"outlet{rng.randint(0, 30)}",
                    origin=f"synthetic:{c}:{k}",
                    text="\n\n".join(words),
                    title=f"{names[0].title()} and {names[1].title()} {rng.choice(_COMMON)}",
                    published=when + timedelta(hours=rng.randint(0, 48)),
                    story=f"c{c}",
                )
            )
    rng.shuffle(out)
    return out


def write_jsonl(articles: list[Article], path: Path) -> Path:
    """Write articles as JSON lines that newsbrief's reader reads back."""
    with path.open("w", encoding="utf-8") as f:
        for a in articles:
            f.write(json.dumps({
                "text": a.text, "title": a.title, "source": a.source, "story": a.story,
                "published": a.published.isoformat() if a.published else None,
            }) + "\n")
    return path
