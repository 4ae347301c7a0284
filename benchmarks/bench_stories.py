"""Ingest speed and peak memory of the story store at 1,000, 10,000 and 100,000 articles.

Articles are made by replicating and perturbing real ones (Multi-News, read from
``../shared/data/multinews``): replica ``r`` renames every word of four letters or
more, the same way in every article of the replica (so each replica of a cluster is
a story of its own, with its own vocabulary), and each article drops 3 % of its
words (so no two articles are identical). Each size is written to a JSON-lines file and ingested
end to end (read, clean, find copies, group, write SQLite) by a fresh process,
which reports its wall time and peak resident memory.

    .venv/bin/python benchmarks/bench_stories.py            # 1k, 10k, 100k
    .venv/bin/python benchmarks/bench_stories.py --sizes 1000 10000
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "multinews"


def _clusters() -> list[list[str]]:
    out: list[list[str]] = []
    for name in ("train5622-truncated.jsonl.gz", "dev100.jsonl"):
        path = DATA / name
        raw = path.read_bytes()
        text = gzip.decompress(raw) if name.endswith(".gz") else raw
        for line in text.decode("utf-8").splitlines():
            doc = json.loads(line)["document"]
            parts = [p.replace("NEWLINE_CHAR", "\n").strip() for p in doc.split("|||||")]
            parts = [p for p in parts if len(p.split()) >= 30]
            if parts:
                out.append(parts)
    return out


def _perturb(text: str, replica: int, rng: random.Random) -> str:
    words = []
    for w in text.split(" "):
        if len(w) > 3 and replica:  # letters only: cleaning takes digit-heavy lines for data
            code = zlib.crc32(f"{w}|{replica}".encode())
            w = w + "".join(chr(97 + (code >> (5 * i)) % 26) for i in range(3))
        if rng.random() < 0.03:
            continue
        words.append(w)
    return " ".join(words)


def make_file(n: int, path: Path, seed: int = 0) -> int:
    """Write ``n`` articles (whole perturbed clusters, shuffled) as JSON lines."""
    rng = random.Random(seed)
    clusters = _clusters()
    rows: list[str] = []
    replica = 0
    while len(rows) < n:
        order = list(range(len(clusters)))
        rng.shuffle(order)
        for c in order:
            for k, text in enumerate(clusters[c]):
                rows.append(json.dumps({
                    "text": _perturb(text, replica, rng),
                    "source": f"outlet{k}",
                    "story": f"{replica}:{c}",
                }))
            if len(rows) >= n:
                break
        replica += 1
    rows = rows[:n]
    rng.shuffle(rows)
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(rows)


def _child(path: str, db: str, batch_size: int) -> None:
    from newsbrief.ingest import ingest_paths
    from newsbrief.store import open_store

    started = time.perf_counter()
    with open_store(db) as store:
        report = ingest_paths(store, [path], batch_size=batch_size, progress=False,
                              max_bytes=1 << 31)
        _, n_stories = store.counts()
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "read": report.read, "stored": report.stored, "stories": n_stories,
        "seconds": seconds, "peak_mib": peak_kib / 1024,
        "db_mib": Path(db).stat().st_size / 2**20,
    }))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], args.child[1], args.batch_size)
        return 0
    if not DATA.is_dir():
        print(f"skipped: {DATA} is absent (the benchmark replicates real articles)")
        return 0
    print("| articles | stored | stories | seconds | articles/s | peak memory (MiB) "
          "| store file (MiB) |")
    print("|---|---|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "articles.jsonl"
            make_file(n, path)
            out = subprocess.run(
                [sys.executable, __file__, "--batch-size", str(args.batch_size),
                 "--child", str(path), str(Path(tmp) / "store.db")],
                check=True, capture_output=True, text=True,
            ).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"| {r['read']:,} | {r['stored']:,} | {r['stories']:,} | {r['seconds']:.1f} | "
                  f"{r['read'] / r['seconds']:.0f} | {r['peak_mib']:.0f} | {r['db_mib']:.0f} |",
                  flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
