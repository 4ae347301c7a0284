"""Run ``newsbrief brief`` on the largest dev100 clusters; tabulate what cleaning removed.

    python -m evaluation.clean_report [--clusters 20] [--sample 30]

Writes evaluation/results/clean-dev100.md: lines removed per cluster by reason,
and a seeded random sample of removed lines for checking by hand.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import time
from collections import Counter
from pathlib import Path

from newsbrief.cli import main as cli_main

DEV100 = Path(__file__).resolve().parents[1].parent / "shared/data/multinews/dev100.jsonl"


def largest_clusters(path: Path, n: int) -> list[tuple[str, int]]:
    """Ids and word counts of the ``n`` largest clusters, largest first."""
    sizes = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            sizes.append((row["id"], len(row["document"].split())))
    return sorted(sizes, key=lambda x: -x[1])[:n]


def run(path: Path, n: int, sample: int, out: Path) -> str:
    """Brief each cluster through the CLI; return the Markdown report."""
    rows = []
    removed_lines: list[tuple[str, str, str]] = []
    for story, words in largest_clusters(path, n):
        buf, err = io.StringIO(), io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
            code = cli_main(["brief", str(path), "--story", story, "--format", "json"])
        seconds = time.perf_counter() - start
        data = json.loads(buf.getvalue())
        lines_in = sum(
            len([x for x in a["text"].splitlines() if x.strip()]) for a in data["articles"]
        )
        reasons: Counter[str] = Counter()
        for a in data["articles"]:
            for r in a["removed"]:
                reasons[r["reason"]] += 1
                removed_lines.append((story, r["reason"], r["text"]))
        lines_in += sum(reasons.values())
        top = ", ".join(f"{k} {v}" for k, v in reasons.most_common(3))
        rows.append(
            f"| {story} | {words:,} | {len(data['articles'])} | {code} | {lines_in:,} | "
            f"{sum(reasons.values()):,} | {data['words']} | {len(data['summary'])} | "
            f"{seconds:.2f} | {top} |"
        )
    # at most 3 lines a cluster, so one huge cluster cannot fill the sample
    rng = random.Random(2026)
    shuffled = rng.sample(removed_lines, len(removed_lines))
    per_cluster: Counter[str] = Counter()
    picked = []
    for item in shuffled:
        if len(picked) < sample and per_cluster[item[0]] < 3:
            per_cluster[item[0]] += 1
            picked.append(item)
    report = [
        f"Command: `python -m evaluation.clean_report --clusters {n} --sample {sample}`",
        "",
        "| cluster | words in | articles | exit | lines | removed | brief words | sentences "
        "| seconds | top reasons |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
        *rows,
        "",
        f"Sample of {len(picked)} removed lines (seed 2026, at most 3 a cluster):",
        "",
        "| # | cluster | reason | line |",
        "|---:|---|---|---|",
    ]
    for i, (story, reason, text) in enumerate(picked, 1):
        flat = " ".join(text.split()).replace("|", "\\|")
        flat = flat if len(flat) <= 140 else flat[:139] + "…"
        report.append(f"| {i} | {story} | {reason} | {flat} |")
    text = "\n".join(report) + "\n"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEV100)
    parser.add_argument("--clusters", type=int, default=20)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).parent / "results/clean-dev100.md")
    args = parser.parse_args()
    print(run(args.data, args.clusters, args.sample, args.out))


if __name__ == "__main__":
    main()
