"""Time and peak memory of a brief on the largest inputs newsbrief accepts (issue 13).

    python benchmarks/bench_limits.py [--case NAME ...] [--out docs/benchmarks/limits.json]

Each case runs ``newsbrief brief`` in a fresh process (the console script, as a user
would) on a file written for it, and reads the process's peak resident memory from
``resource.getrusage(RUSAGE_CHILDREN)``; a case is killed at ``--timeout`` seconds. The
reference in the same run: the seeds (five real articles). Targets (issue 13): any input
up to the web upload limit (5 MB) under 2 GB and 30 s; a 10,000-article story under 2 GB
and 60 s.

Cases (every text is real news text from Multi-News dev100, cut and repeated):

* ``seeds``: the five seed articles (reference).
* ``short_sentences``: one 4.9 MB text file of many short sentences (each dev100
  sentence of 4-8 words, repeated in turn): the summarizer's sentence matrix.
* ``many_articles``: one JSON-lines file of 10,000 articles of one story (the first eight
  sentences of dev100's 271 articles, each repeated with its sentences shuffled so no two
  are equal; 10 MB, under the 20 MB file limit).
* ``near_copies``: 3,000 near-copies of one 500-800-word article (one word changed
  each): the copy finder's candidate pairs.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DEV100 = SHARED / "data/multinews/dev100.jsonl"
SEEDS = SHARED / "seeds"
NEWSBRIEF = Path(sys.executable).with_name("newsbrief")


def _articles() -> list[str]:
    out = []
    for line in DEV100.open(encoding="utf-8"):
        doc = json.loads(line)["document"]
        out += [p.replace("NEWLINE_CHAR", "\n").strip() for p in doc.split("|||||")]
    return [a for a in out if a]


def _sentences(texts: list[str]) -> list[str]:
    return [s for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if s.strip()]


def write_case(name: str, folder: Path) -> Path:
    rng = random.Random(0)
    if name == "seeds":
        return SEEDS
    texts = _articles()
    if name == "short_sentences":
        short = [s for s in _sentences(texts) if 4 <= len(s.split()) <= 8]
        path = folder / "short.txt"
        parts, size, i = [], 0, 0
        while size < 4_900_000:
            s = short[i % len(short)]
            parts.append(s)
            size += len(s.encode()) + 1
            i += 1
        path.write_text("\n".join(parts), encoding="utf-8")
        return path
    if name == "many_articles":
        path = folder / "many.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(10_000):
                sents = _sentences([texts[i % len(texts)]])[:8]  # under the 20 MB file limit
                rng.shuffle(sents)
                fh.write(json.dumps({"text": " ".join(sents), "source": f"outlet{i % 40}",
                                     "story": "big"}) + "\n")
        return path
    if name == "near_copies":
        base = next(t for t in texts if 500 <= len(t.split()) <= 800)
        words = base.split()
        path = folder / "copies.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(3_000):
                w = list(words)
                w[rng.randrange(len(w))] = f"word{i}"
                fh.write(json.dumps({"text": " ".join(w), "source": f"site{i}",
                                     "story": "copies"}) + "\n")
        return path
    raise ValueError(name)


CASES = ("seeds", "short_sentences", "many_articles", "near_copies")


_WRAPPER = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
            "print('peak_kib', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, "
            "file=sys.stderr); sys.exit(p.returncode)")
"""Runs the brief as its own child, so the peak memory read is that brief's alone."""


def run_case(name: str, timeout: float) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_case(name, Path(tmp))
        start = time.perf_counter()
        peak_kib = 0
        try:
            proc = subprocess.run([sys.executable, "-c", _WRAPPER, str(NEWSBRIEF), "brief",
                                   str(path), "-o", str(Path(tmp) / "out.md")],
                                  capture_output=True, text=True, timeout=timeout)
            rc: int | str = proc.returncode
            lines = proc.stderr.strip().splitlines()
            peak_kib = int(lines[-1].split()[1]) if lines and lines[-1].startswith(
                "peak_kib") else 0
            err = lines[-4:-1]
        except subprocess.TimeoutExpired:
            rc, err = "timeout", []
        seconds = time.perf_counter() - start
        size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.iterdir()))
    return {"case": name, "bytes": size, "seconds": round(seconds, 2), "rc": rc,
            "peak_mib": round(peak_kib / 1024), "stderr_tail": err}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--case", action="append", choices=CASES)
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    rows = [run_case(c, args.timeout) for c in (args.case or CASES)]
    print("| case | input | seconds | peak memory | exit |\n|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['case']} | {float(str(r['bytes'])) / 1e6:.1f} MB | {r['seconds']} | "
              f"{r['peak_mib']} MiB | {r['rc']} |")
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
