"""Read and clean against gold main text: the article-extraction benchmark's 181 pages.

    python -m evaluation.extraction [--part dev|test|all] [--out PATH] [--shared PATH]

Each page (``html/<id>.html.gz``) goes through newsbrief's whole read-and-clean
path (``readers.html.read_html``, trafilatura as newsbrief configures it, then
``clean``) and through trafilatura alone (``trafilatura.extract`` with its
defaults), in the same run. The kept text is scored against the gold
``articleBody`` of ``ground-truth.json`` as the benchmark scores it: word-level
precision, recall and F1 of the multiset of ``\\w+`` tokens (a word kept twice
counts once unless the gold has it twice), per page, then averaged over pages.
A page with no output (the reader finds no article, or cleaning removes it all)
scores 0 on all three: an empty answer must not buy precision.

The pages are split by a hash of their id: one in four is ``test`` (report
it, never tune on it), the rest ``dev``. Writes a Markdown table (default
evaluation/results/extraction.md) and prints it. ``values`` gives the quality
gate its numbers (dev part only).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from statistics import fmean

from newsbrief.clean import clean
from newsbrief.errors import InputError
from newsbrief.model import CleanArticle
from newsbrief.readers.html import read_html

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared"
DATA = Path("data/article-extraction")
"""The benchmark's folder, relative to the shared folder."""
DEFAULT_OUT = REPO / "evaluation" / "results" / "extraction.md"
TEST_SHARE = 4
"""One page in this many is held out as ``test`` (chosen by a hash of its id)."""

_WORD = re.compile(r"\w+")

SYSTEMS = ("trafilatura", "newsbrief reader", "newsbrief read + clean")
"""The rows of the table: trafilatura's default extraction (the baseline), newsbrief's
reader alone (trafilatura without comments and tables), and the reader then ``clean``."""


@dataclass(frozen=True, slots=True)
class Page:
    """One benchmark page: its id, raw HTML, URL and gold main text."""

    id: str
    html: bytes
    url: str
    gold: str


@dataclass(frozen=True, slots=True)
class Score:
    """Word-level precision, recall and F1 of one page's kept text."""

    precision: float
    recall: float
    f1: float


def part_of(page_id: str) -> str:
    """``test`` for one page id in ``TEST_SHARE`` (by SHA-256 of the id), else ``dev``."""
    digest = hashlib.sha256(page_id.encode("utf-8")).digest()
    return "test" if digest[0] % TEST_SHARE == 0 else "dev"


def pages(root: Path, part: str = "all") -> Iterator[Page]:
    """The benchmark's pages in id order, only those of ``part`` (dev, test or all)."""
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(truth):
        if part != "all" and part_of(page_id) != part:
            continue
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes())
        entry = truth[page_id]
        yield Page(page_id, html, entry.get("url") or "", entry.get("articleBody") or "")


def score(kept: str, gold: str) -> Score:
    """Multiset word overlap of ``kept`` against ``gold``; all zero when either is empty."""
    got, want = Counter(_WORD.findall(kept)), Counter(_WORD.findall(gold))
    common = sum((got & want).values())
    if not common:
        return Score(0.0, 0.0, 0.0)
    precision, recall = common / sum(got.values()), common / sum(want.values())
    return Score(precision, recall, 2 * precision * recall / (precision + recall))


def trafilatura_text(page: Page) -> str:
    """The baseline: ``trafilatura.extract`` with its default settings."""
    import trafilatura

    return trafilatura.extract(page.html, url=page.url or None) or ""


def newsbrief_read(page: Page) -> CleanArticle | None:
    """newsbrief's HTML reader and ``clean``; ``None`` when the reader finds no article."""
    try:
        article = read_html(page.html, page.id, url=page.url or None)
    except InputError:
        return None
    return clean(replace(article, id="a0"))


@dataclass(frozen=True, slots=True)
class PageResult:
    """What each system kept of one page, scored, and the reasons cleaning gave."""

    page: str
    scores: dict[str, Score]
    removed: tuple[tuple[str, str], ...]
    """(reason, text) of every span cleaning removed."""


def run_page(page: Page) -> PageResult:
    """Every system on one page."""
    cleaned = newsbrief_read(page)
    texts: dict[str, str] = {
        "trafilatura": trafilatura_text(page),
        "newsbrief reader": cleaned.article.text if cleaned else "",
        "newsbrief read + clean": cleaned.text if cleaned else "",
    }
    removed = tuple((r.reason, r.text) for r in cleaned.removed) if cleaned else ()
    return PageResult(page.id, {s: score(t, page.gold) for s, t in texts.items()}, removed)


def run(root: Path, part: str = "all",
        progress: Callable[[int], None] | None = None) -> list[PageResult]:
    """Every system on every page of ``part``."""
    results = []
    for i, page in enumerate(pages(root, part)):
        results.append(run_page(page))
        if progress:
            progress(i + 1)
    return results


def means(results: Sequence[PageResult], system: str) -> Score:
    """A system's precision, recall and F1 averaged over pages (as the benchmark does)."""
    scores = [r.scores[system] for r in results]
    return Score(fmean(s.precision for s in scores), fmean(s.recall for s in scores),
                 fmean(s.f1 for s in scores))


def values(shared: Path) -> dict[str, float]:
    """The gate's numbers on the dev part: newsbrief's F1 and precision, and both margins
    over trafilatura's default extraction in the same run."""
    results = run(shared / DATA, "dev")
    ours, base = means(results, "newsbrief read + clean"), means(results, "trafilatura")
    return {
        "extraction.f1": ours.f1,
        "extraction.precision": ours.precision,
        "extraction.f1_margin_trafilatura": ours.f1 - base.f1,
        "extraction.precision_margin_trafilatura": ours.precision - base.precision,
    }


def report(by_part: dict[str, list[PageResult]], command: str) -> str:
    """The Markdown table: each part, each system, and the reasons cleaning removed text."""
    lines = [
        f"Command: `{command}`",
        "",
        "Word-level precision, recall and F1 against the gold main text, averaged over pages "
        "(a page with no output scores 0).",
        "",
        "| part | pages | system | precision | recall | F1 | pages emptied |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for part, results in by_part.items():
        for system in SYSTEMS:
            m = means(results, system)
            empty = sum(r.scores[system].f1 == 0 for r in results)
            lines.append(f"| {part} | {len(results)} | {system} | {m.precision:.4f} | "
                         f"{m.recall:.4f} | {m.f1:.4f} | {empty} |")
    reasons: Counter[str] = Counter()
    for results in by_part.values():
        reasons.update(reason for r in results for reason, _ in r.removed)
    lines += ["", "Lines cleaning removed, by reason (all parts shown):", "",
              "| reason | lines |", "|---|---:|"]
    lines += [f"| {reason} | {n} |" for reason, n in reasons.most_common()]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Score the parts asked for, print the table and write it."""
    p = argparse.ArgumentParser(prog="python -m evaluation.extraction", description=__doc__)
    p.add_argument("--part", choices=("dev", "test", "all"), default="all",
                   help="dev (tune), test (report once) or all: both, each on its own row")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    p.add_argument("--removed", action="store_true",
                   help="also print every removed line (to check removals by hand)")
    args = p.parse_args(argv)
    root = args.shared / DATA
    parts = ("dev", "test") if args.part == "all" else (args.part,)
    by_part = {part: run(root, part) for part in parts}
    command = "python -m evaluation.extraction" + (
        f" --part {args.part}" if args.part != "all" else "")
    text = report(by_part, command)
    if args.removed:
        for results in by_part.values():
            for r in results:
                for reason, line in r.removed:
                    print(f"{r.page[:8]}\t{reason}\t{' '.join(line.split())[:200]}")
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
