"""The brief's title, before and after ``newsbrief.headline``, on the seeds, Multi-News dev100
and DUC 2007 main, with a count of the titles that are not headlines, by kind.

*Before* is what ``Brief.title`` gave until now, the first article's title; *after* is the
brief's title now (``Brief.headline``: the most representative real headline, else the
lede's main clause). Each title is judged by ``newsbrief.headline.headline_problem``
(none, sub-headline, label/credit, too long, cut off), and a lede clause over
``MAX_CLAUSE_WORDS`` words is too long. The judge is the one the choice uses, so *after*
counts only what the choice lets through (a lede clause, a clause too long); read the
tables to judge the rest.

* seeds: the canonical five-article story.
* Multi-News dev100 (report-only: nothing was tuned on it): no titles in the input;
  cleaning finds a headline line in some texts.
* DUC 2007 main: titles in the input; the topic's ``title`` (a human topic title) is a
  point of comparison: ``topic words`` is the share of its word stems that the title has.
  Topics are split by ``evaluation.pubdates.part_of``: development (the rules and
  thresholds were set by reading these) and test (reported apart, once). ``test, titles
  removed``: the same test topics with every title taken out, to show the lede clause on
  full-length newswire.

    .venv/bin/python -m evaluation.headlines                 # all, writes results/headlines.md
    .venv/bin/python -m evaluation.headlines --parts seeds duc-dev --jobs 2
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from evaluation.pubdates import part_of
from newsbrief.headline import MAX_CLAUSE_WORDS, Kind, headline_candidates, headline_problem
from newsbrief.model import Article, Brief
from newsbrief.readers import read_paths
from newsbrief.readers.jsonl import read_jsonl
from newsbrief.settings import Settings
from newsbrief.text import stemmed_terms

__all__ = ["PARTS", "Row", "judge", "main", "markdown"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DEV100 = SHARED / "data" / "multinews" / "dev100.jsonl"
DUC = SHARED / "data" / "duc2007" / "main.jsonl"
RESULTS = REPO / "evaluation" / "results" / "headlines.md"

PARTS = ("seeds", "dev100", "duc-dev", "duc-test", "duc-test-untitled")
_PART_NAMES = {
    "seeds": "Seeds",
    "dev100": "Multi-News dev100 (report-only)",
    "duc-dev": "DUC 2007 main, development topics",
    "duc-test": "DUC 2007 main, test topics",
    "duc-test-untitled": "DUC 2007 main, test topics, titles removed",
}
_KINDS = (Kind.NONE, Kind.SUBHEADLINE, Kind.LABEL, Kind.TOO_LONG, Kind.CUT_OFF)
WORDS = 250


@dataclass(frozen=True, slots=True)
class Row:
    """One story's title before and after, and where the new one came from."""

    part: str
    story: str
    before: str | None
    after: str | None
    origin: str
    """``headline`` (an article's), ``lede clause`` or ``none``."""
    topic: str = ""
    """DUC's human topic title."""


def judge(title: str | None, origin: str) -> str | None:
    """Why ``title`` is not a usable headline (a ``Kind``), or None."""
    if title is None:
        return Kind.NONE
    if origin == "lede clause" and len(title.split()) > MAX_CLAUSE_WORDS:
        return Kind.TOO_LONG
    return headline_problem(title)


def _topic_words(title: str | None, topic: str) -> float:
    wanted = set(stemmed_terms(topic))
    got = set(stemmed_terms(title or ""))
    return len(wanted & got) / len(wanted) if wanted else 0.0


def _row(part: str, story: str, articles: Sequence[Article], topic: str = "") -> Row:
    from newsbrief.pipeline import brief

    result: Brief = brief(articles, settings=Settings(words=WORDS, sections=False))
    before = next((a.title for a in result.articles if a.title), None)
    after = result.headline
    tidied = {h.casefold() for h in headline_candidates(result.articles).values()}
    origin = ("none" if after is None
              else "headline" if after.casefold() in tidied else "lede clause")
    return Row(part, story, before, after, origin, topic)


def _task(args: tuple[str, str, str, str]) -> Row:
    """Brief one story given as (part, story id, JSON lines, topic title)."""
    part, story, lines, topic = args
    articles, _ = read_jsonl(lines, story)
    return _row(part, story, articles, topic)


def _duc_tasks(part: str) -> list[tuple[str, str, str, str]]:
    wanted = "dev" if part == "duc-dev" else "test"
    tasks = []
    for line in DUC.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        topic = json.loads(line)
        if part_of(topic["id"]) != wanted:
            continue
        records = []
        for a in topic["articles"]:
            record = {k: a[k] for k in ("text", "source", "url", "published")}
            if part != "duc-test-untitled" and a["title"]:
                record["title"] = a["title"]
            records.append(json.dumps(record))
        tasks.append((part, topic["id"], "\n".join(records), topic["title"]))
    return tasks


def _dev100_tasks() -> list[tuple[str, str, str, str]]:
    tasks = []
    for n, line in enumerate(DEV100.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            story = str(json.loads(line).get("id") or f"dev100:{n}")
            tasks.append(("dev100", story, line, ""))
    return tasks


def run(parts: Sequence[str], jobs: int = 1) -> list[Row]:
    """Brief every story of ``parts`` and give its row."""
    rows: list[Row] = []
    tasks: list[tuple[str, str, str, str]] = []
    for part in parts:
        if part == "seeds":
            read = read_paths([SEEDS])
            articles = [replace(a, story=None) for a in read.articles]
            rows.append(_row("seeds", "seeds", articles))
        elif part == "dev100":
            tasks += _dev100_tasks()
        else:
            tasks += _duc_tasks(part)
    with ProcessPoolExecutor(max_workers=max(jobs, 1)) as pool:
        rows += list(pool.map(_task, tasks, chunksize=2))
    return rows


def _cell(text: str | None) -> str:
    return "—" if text is None else text.replace("|", "\\|")


def markdown(rows: Sequence[Row]) -> str:
    """Counts by kind, before and after, then every story's titles, part by part."""
    out = ["# Headlines: the brief's title before and after", "",
           "Written by `.venv/bin/python -m evaluation.headlines` (see its docstring). "
           "*Before*: the first article's title (what `Brief.title` gave); *after*: "
           "`Brief.headline`. Kinds are judged by `newsbrief.headline.headline_problem`.", ""]
    parts = [p for p in PARTS if any(r.part == p for r in rows)]
    head = "| part | stories | " + " | ".join(f"{k} before / after" for k in _KINDS)
    out += [head + " | from a headline / lede clause |",
            "|---|---:|" + "---:|" * len(_KINDS) + "---:|"]
    for part in parts:
        mine = [r for r in rows if r.part == part]
        before = Counter(judge(r.before, "headline") for r in mine)
        after = Counter(judge(r.after, r.origin) for r in mine)
        origins = Counter(r.origin for r in mine)
        cells = " | ".join(f"{before[k]} / {after[k]}" for k in _KINDS)
        out.append(f"| {_PART_NAMES[part]} | {len(mine)} | {cells} | "
                   f"{origins['headline']} / {origins['lede clause']} |")
    duc = [p for p in parts if p.startswith("duc")]
    if duc:
        out += ["", "Share of the DUC topic title's word stems in the brief's title (mean):", "",
                "| part | before | after |", "|---|---:|---:|"]
        for part in duc:
            mine = [r for r in rows if r.part == part]
            b = sum(_topic_words(r.before, r.topic) for r in mine) / len(mine)
            a = sum(_topic_words(r.after, r.topic) for r in mine) / len(mine)
            out.append(f"| {_PART_NAMES[part]} | {b:.2f} | {a:.2f} |")
    for part in parts:
        mine = [r for r in rows if r.part == part]
        topic = part.startswith("duc")
        out += ["", f"## {_PART_NAMES[part]}", ""]
        out.append("| story | " + ("topic title | " if topic else "")
                   + "before | after | from | kind after |")
        out.append("|---|" + ("---|" if topic else "") + "---|---|---|---|")
        for r in mine:
            kind = judge(r.after, r.origin) or ""
            out.append(f"| {r.story} | " + (f"{_cell(r.topic)} | " if topic else "")
                       + f"{_cell(r.before)} | {_cell(r.after)} | {r.origin} | {kind} |")
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parts", nargs="+", choices=PARTS, default=list(PARTS))
    parser.add_argument("--jobs", type=int, default=1, help="processes that brief stories")
    parser.add_argument("--out", type=Path, default=RESULTS,
                        help="Markdown report (written only when every part is run)")
    args = parser.parse_args(argv)
    missing = [p for p in (SEEDS, DEV100, DUC) if not p.exists()]
    if missing:
        print(f"missing data: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    report = markdown(run(args.parts, args.jobs))
    print(report)
    if set(args.parts) == set(PARTS):
        args.out.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
