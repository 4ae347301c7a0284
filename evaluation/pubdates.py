"""Is each article's publication date right? The anchor every relative date is read against.

Each article goes through newsbrief's own reader and cleaning, one story at a time, and
``newsbrief.timeline.publication_dates`` gives its own date (metadata, else its date line
or dateline); its *anchor* is that date, else the story's (``story_date``: the date most
dated articles of the story have, when all lie within a few days of it).

* **DUC 2007 main** (45 topics x 25 articles, AP / NYT / Xinhua 1996-2000), gold: each
  article's real date (from its document id). Two readings:

  Topics are split by a hash of their id (``part_of``): 36 development, 9 test.

  - ``metadata``: the articles as given, ``published`` included (JSON-lines reader):
    the path an input with dates takes;
  - ``text``: the same articles without ``published``: whatever date they get comes
    from their text. Their texts show no date line (AP and NYT carry none; Xinhua
    datelines give the month and day without the year), so the right answer is
    almost always *none*, and every date given is a date taken from a sentence.

* **Multi-News dev100** (report-only; no metadata), gold: hand labels in
  ``pubdates_dev100.json``, the date an article's own text shows it was published
  ("Published on Dec 15, 2016"); 8 of 271 articles show one. A date given to any
  other article came from a caption, a tweet, an event or a data row: wrong.

Counts: ``right`` (same day), ``wrong`` (another day), ``none``; ``precision`` = right /
(right + wrong), the share of dates given that are right; ``coverage`` = right / articles
with a gold date. The anchor is checked on the articles with a gold date; an article
that shows none and borrows the story's date is counted apart (``story date,
unchecked``): nothing says what its date was.

    .venv/bin/python -m evaluation.pubdates              # DUC (both readings) and dev100
    .venv/bin/python -m evaluation.pubdates --candidates # dev100 lines the labels came from
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from newsbrief.clean import clean_all
from newsbrief.model import Article, CleanArticle
from newsbrief.readers.jsonl import read_jsonl

__all__ = ["Tally", "dev100_stories", "duc_stories", "main", "score", "values"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
DUC = SHARED / "duc2007" / "main.jsonl"
DEV100 = SHARED / "multinews" / "dev100.jsonl"
LABELS = REPO / "evaluation" / "pubdates_dev100.json"

Story = tuple[list[CleanArticle], dict[str, date | None]]
"""One story's cleaned articles, and each article's gold date (None: it shows none)."""
DatesFn = Callable[[Sequence[CleanArticle]], dict[str, date]]


def part_of(topic_id: str) -> str:
    """``test`` when the SHA-256 of the topic id is divisible by 4, else ``dev``."""
    return "test" if int(hashlib.sha256(topic_id.encode()).hexdigest(), 16) % 4 == 0 else "dev"


def duc_stories(path: Path = DUC, with_metadata: bool = True, part: str | None = "dev",
                every: int = 1) -> list[Story]:
    """DUC 2007 topics of one part (``dev``, ``test``; None: all; every ``every``-th of
    them) as stories, each article read by the JSON-lines reader."""
    stories: list[Story] = []
    taken = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            topic = json.loads(line)
            if part is not None and part_of(topic["id"]) != part:
                continue
            taken += 1
            if (taken - 1) % every:
                continue
            records = []
            for a in topic["articles"]:
                record = {k: a[k] for k in ("text", "title", "source", "url")}
                if with_metadata:
                    record["published"] = a["published"]
                records.append(json.dumps(record))
            articles, _ = read_jsonl("\n".join(records), topic["id"])
            articles = [replace(a, id=f"a{i}") for i, a in enumerate(articles)]
            gold = {a.id: date.fromisoformat(t["published"])
                    for a, t in zip(articles, topic["articles"], strict=True)}
            stories.append((clean_all(articles), dict(gold)))
    return stories


def dev100_stories(path: Path = DEV100, labels: Path = LABELS) -> list[Story]:
    """Multi-News dev100 clusters as stories, with the hand-labelled dates."""
    shown = {k: date.fromisoformat(v)
             for k, v in json.loads(labels.read_text(encoding="utf-8"))["shown"].items()}
    stories: list[Story] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            found, _ = read_jsonl(line, f"{path.name}:{n}")
            articles: list[Article] = [replace(a, id=f"a{i}") for i, a in enumerate(found)]
            gold: dict[str, date | None] = {a.id: shown.get(a.source) for a in articles}
            stories.append((clean_all(articles), gold))
    return stories


@dataclass
class Tally:
    articles: int = 0
    gold: int = 0
    right: int = 0
    wrong: int = 0
    none: int = 0
    anchor_right: int = 0
    anchor_wrong: int = 0
    anchor_none: int = 0
    anchor_unchecked: int = 0
    wrong_examples: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.right / (self.right + self.wrong) if self.right + self.wrong else 1.0

    def coverage(self) -> float:
        return self.right / self.gold if self.gold else 0.0


def score(stories: Sequence[Story], dates: DatesFn | None = None,
          story_date: Callable[[dict[str, date]], date | None] | None = None) -> Tally:
    """Count own dates and anchors right, wrong and missing (``dates``: the function
    under test, newsbrief's ``publication_dates`` by default)."""
    from newsbrief import timeline

    dates = dates or timeline.publication_dates
    story_date = story_date or timeline.story_date
    t = Tally()
    for articles, gold in stories:
        own = dates(articles)
        story = story_date(own)
        for a in articles:
            truth, got = gold.get(a.id), own.get(a.id)
            anchor = got or story
            t.articles += 1
            t.gold += truth is not None
            if got is None:
                t.none += 1
            elif got == truth:
                t.right += 1
            else:
                t.wrong += 1
                if len(t.wrong_examples) < 12:
                    t.wrong_examples.append(f"{a.article.origin} ({a.source}): {got}, "
                                            f"gold {truth}")
            if truth is None:  # no date shown: a borrowed story date cannot be checked
                t.anchor_unchecked += anchor is not None and got is None
            elif anchor is None:
                t.anchor_none += 1
            elif anchor == truth:
                t.anchor_right += 1
            else:
                t.anchor_wrong += 1
    return t


def values(duc: Path = DUC, dev100: Path = DEV100, every: int = 3) -> dict[str, float]:
    """The gate's numbers: on every ``every``-th DUC development topic read without its
    dates, the share of dates taken from the text that are right; on dev100's hand labels,
    that share and the share of shown dates found."""
    text = score(duc_stories(duc, with_metadata=False, every=every))
    labelled = score(dev100_stories(dev100))
    return {
        "pubdates.duc_text_precision": text.precision(),
        "pubdates.dev100_precision": labelled.precision(),
        "pubdates.dev100_coverage": labelled.coverage(),
    }


def _row(name: str, t: Tally, seconds: float) -> str:
    return (f"| {name} | {t.articles} | {t.gold} | {t.right} | {t.wrong} | {t.none} | "
            f"**{t.precision():.3f}** | {t.coverage():.3f} | {t.anchor_right} | "
            f"{t.anchor_wrong} | {t.anchor_none} | {t.anchor_unchecked} | {seconds:.1f} |")


def _candidates(path: Path) -> None:
    """The dev100 lines the labels were read from: the first ten lines with a year, and
    any line that says published/posted/updated/created/in print with a year."""
    year = re.compile(r"(?:19|20)\d\d")
    cue = re.compile(r"\b(?:published|posted|updated|created|modified|in print)\b", re.I)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            found, _ = read_jsonl(line, f"{path.name}:{n}") if line.strip() else ([], [])
            for a in found:
                lines = [x.strip() for x in a.text.splitlines() if x.strip()]
                shown = [f"   L{i}: {x[:170]}" for i, x in enumerate(lines)
                         if len(x) < 250 and year.search(x) and (i < 10 or cue.search(x))]
                if shown:
                    print(f"== {a.source}\n" + "\n".join(shown[:8]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duc", type=Path, default=DUC)
    parser.add_argument("--dev100", type=Path, default=DEV100)
    parser.add_argument("--candidates", action="store_true",
                        help="print the dev100 lines the hand labels were read from")
    parser.add_argument("--examples", action="store_true", help="print wrong dates")
    parser.add_argument("--part", choices=("dev", "test"), default="dev",
                        help="DUC topics: the development part, or (once) the test part")
    parser.add_argument("--no-dev100", action="store_true", help="DUC only")
    args = parser.parse_args(argv)
    if args.candidates:
        _candidates(args.dev100)
        return 0
    part = args.part
    runs: dict[str, Callable[[], list[Story]]] = {
        f"DUC 2007 main ({part}), metadata": lambda: duc_stories(args.duc, True, part),
        f"DUC 2007 main ({part}), text only": lambda: duc_stories(args.duc, False, part),
    }
    if not args.no_dev100:
        runs["dev100 (hand labels)"] = lambda: dev100_stories(args.dev100)
    print("| set | articles | with a gold date | right | wrong | none | precision | "
          "coverage | anchor right | anchor wrong | anchor none | story date, unchecked | s |")
    print("|---|" + "---|" * 12)
    for name, load in runs.items():
        if not (args.duc if name.startswith("DUC") else args.dev100).exists():
            print(f"no data for {name}", file=sys.stderr)
            return 2
        stories = load()
        start = time.perf_counter()
        t = score(stories)
        print(_row(name, t, time.perf_counter() - start))
        if args.examples:
            for line in t.wrong_examples:
                print(f"    wrong: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
