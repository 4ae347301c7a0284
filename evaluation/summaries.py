"""ROUGE of newsbrief's summaries against extractive baselines on Multi-News (issue 3).

    python -m evaluation.summaries [--data PATH] [--limit N] [--clusters ID,ID]
        [--timeout S] [--systems newsbrief,lead,lexrank,textrank] [--words 300]
        [--jobs 1] [--out DIR] [--save-outputs]
    python -m evaluation.summaries --speed [--speed-sentences 1000]

Every system briefs every cluster in a worker process under a time limit; a
timeout or an exception is recorded for that system and cluster (nothing is
dropped). Each output is cut to the same number of words, then scored against
the human ``reference`` with stemmed ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 (one
sentence a line; the reference is split with the same spaCy sentencizer). Means
are taken on the clusters that *every* system finished, with a seeded bootstrap
interval for ROUGE-2 and a paired bootstrap of newsbrief minus the best baseline.

Systems:

* ``newsbrief``: ``newsbrief.brief(articles, words=N)``, the summary's sentences.
* ``lead``: the first sentence of each article in turn, then the second, ... until N words.
* ``lexrank`` / ``textrank``: sumy's summarizers on the same spaCy sentences
  (sumy's English Snowball stemmer and stop words; a regex word tokenizer, since
  NLTK's tokenizer data cannot be downloaded), best-rated sentences until N words,
  in document order.

Baselines split each article line by line with ``newsbrief.sentences.sentence_pipeline()``
and skip a sentence whose text (case and spacing aside) they already have.
Writes ``summaries-<data>.csv`` (one row per cluster and system) and
``summaries-<data>.md`` (the table) into ``--out`` (default ``evaluation/results``).
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import multiprocessing as mp
import multiprocessing.connection as mpc
import re
import shlex
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluation.summary_report import (
    ERROR,
    OK,
    TIMEOUT,
    Report,
    Row,
    markdown,
    notes,
    print_table,
    report,
    write_csv,
    write_outputs,
)
from evaluation.systems import (
    BASELINES,
    SYSTEMS,
    SystemFn,
    budget,
    cut,
    lead,
    lexrank,
    newsbrief_system,
    sentence_key,
    split_article,
    split_reference,
    split_text,
    sumy_document,
    textrank,
)
from newsbrief.model import Article
from newsbrief.readers.jsonl import read_jsonl
from newsbrief.sentences import sentence_pipeline

__all__ = [
    "BASELINES",
    "DEFAULT_DATA",
    "SYSTEMS",
    "Cluster",
    "Report",
    "Row",
    "SystemFn",
    "cut",
    "lead",
    "lexrank",
    "load_clusters",
    "main",
    "newsbrief_system",
    "notes",
    "report",
    "run",
    "speed_check",
    "split_article",
    "textrank",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/data/multinews/dev100.jsonl"
DEFAULT_OUT = REPO / "evaluation/results"


_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Cluster:
    """One Multi-News story: its JSON line (parsed in the worker) and its human summary."""

    id: str
    origin: str
    line: str
    reference: str
    words: int


def load_clusters(
    path: Path, limit: int | None = None, ids: Sequence[str] | None = None
) -> list[Cluster]:
    """The clusters of a Multi-News JSONL file in file order (``ids``: those, in that order)."""
    out: list[Cluster] = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            document = str(record.get("document", ""))
            out.append(
                Cluster(
                    id=str(record.get("id") or f"{path.name}:{n}"),
                    origin=f"{path.name}:{n}",
                    line=line,
                    reference=str(record.get("reference", "")),
                    words=len(document.split()),
                )
            )
    if ids is not None:
        by_id = {c.id: c for c in out}
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise SystemExit(f"no cluster {', '.join(missing)} in {path}")
        out = [by_id[i] for i in ids]
    return out[:limit] if limit is not None else out


def cluster_articles(cluster: Cluster) -> list[Article]:
    """The cluster's articles, read by newsbrief's own Multi-News reader."""
    articles, problems = read_jsonl(cluster.line, cluster.origin)
    if not articles:
        detail = "; ".join(str(p) for p in problems) or "no article"
        raise ValueError(f"no article could be read ({detail})")
    return list(articles)


# --------------------------------------------------------------------------- workers


_Task = tuple[int, str, Cluster, int]
_Reply = tuple[int, str, list[str] | str, float]


def _worker(conn: mpc.Connection, systems: Mapping[str, SystemFn]) -> None:
    """Run tasks from ``conn`` until told to stop: (id, status, sentences or error, seconds)."""
    try:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)  # one core a worker: the machine is shared
    except ImportError:  # pragma: no cover
        pass
    while True:
        try:
            task: _Task | None = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        task_id, system, cluster, words = task
        start = time.perf_counter()
        try:
            articles = cluster_articles(cluster)
            start = time.perf_counter()
            sentences = [str(s) for s in systems[system](articles, words)]
            reply: _Reply = (task_id, OK, sentences, time.perf_counter() - start)
        except Exception as exc:
            reply = (task_id, ERROR, f"{type(exc).__name__}: {exc}", time.perf_counter() - start)
        conn.send(reply)


class _Process:
    """A worker process and the task it is running."""

    def __init__(self, ctx: Any, systems: Mapping[str, SystemFn]) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, systems), daemon=True)
        self.process.start()
        child.close()
        self.task: _Task | None = None
        self.deadline = 0.0
        self.started = 0.0

    def give(self, task: _Task, timeout: float) -> None:
        self.task = task
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.conn.send(task)

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.send(None)
        self.process.join(5)
        self.kill()


def _duplicates(sentences: Sequence[str]) -> int:
    sets = [frozenset(sentence_key(s).split()) for s in sentences]
    dups = 0
    for i, a in enumerate(sets):
        for b in sets[:i]:
            if a and b and len(a & b) / len(a | b) >= 0.8:
                dups += 1
                break
    return dups


class _Scorer:
    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self.rouge = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
        self.references: dict[str, str] = {}

    def score(self, cluster: Cluster, summary: Sequence[str]) -> tuple[float, float, float]:
        if cluster.id not in self.references:
            self.references[cluster.id] = "\n".join(split_reference(cluster.reference))
        s = self.rouge.score(self.references[cluster.id], "\n".join(summary))
        return s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeLsum"].fmeasure


def run(
    clusters: Sequence[Cluster],
    systems: Mapping[str, SystemFn] | None = None,
    words: int = 300,
    timeout: float = 60.0,
    jobs: int = 1,
    progress: Callable[[Row, int, int], None] | None = None,
) -> list[Row]:
    """Every system on every cluster, each in a worker process under ``timeout`` seconds.

    Returns one scored ``Row`` per (cluster, system), in cluster then system order.
    """
    systems = dict(SYSTEMS if systems is None else systems)
    tasks: deque[_Task] = deque()
    for c in clusters:
        for name in systems:
            tasks.append((len(tasks), name, c, words))
    rows: dict[int, Row] = {}
    total = len(tasks)
    order = list(tasks)
    scorer = _Scorer()
    sentence_pipeline()  # loaded once here; forked workers inherit it
    ctx = mp.get_context("fork")
    pool = [_Process(ctx, systems) for _ in range(max(1, min(jobs, total)))]

    def done(task: _Task, status: str, output: list[str] | str, seconds: float) -> None:
        task_id, name, cluster, _ = task
        row = Row(cluster.id, name, status, seconds=round(seconds, 3), input_words=cluster.words)
        if status == OK and isinstance(output, list):
            row.summary = cut(output, words)
            row.words = sum(len(s.split()) for s in output)
            row.duplicates = _duplicates(output)
            row.r1, row.r2, row.rlsum = scorer.score(cluster, row.summary)
        elif isinstance(output, str):
            row.error = output
        rows[task_id] = row
        if progress:
            progress(row, len(rows), total)

    try:
        while tasks or any(p.task for p in pool):
            for p in pool:
                if p.task is None and tasks:
                    p.give(tasks.popleft(), timeout)
            busy = [p for p in pool if p.task is not None]
            wait = max(0.0, min(p.deadline for p in busy) - time.monotonic())
            ready = mpc.wait([p.conn for p in busy], timeout=wait)
            for i, p in enumerate(pool):
                task = p.task
                if task is None:
                    continue
                if p.conn in ready:
                    try:
                        _, status, output, seconds = p.conn.recv()
                    except (EOFError, OSError):
                        code = p.process.exitcode
                        status, output = ERROR, f"worker died (exit code {code})"
                        seconds = time.monotonic() - p.started
                        p.kill()
                        pool[i] = p = _Process(ctx, systems)
                    done(task, status, output, seconds)
                    p.task = None
                elif time.monotonic() >= p.deadline:
                    p.kill()
                    done(task, TIMEOUT, f"no result within {timeout:g} s", timeout)
                    pool[i] = _Process(ctx, systems)
    finally:
        for p in pool:
            if p.task is None:
                p.stop()
            else:
                p.kill()
    return [rows[t[0]] for t in order]


# --------------------------------------------------------------------------- speed


def speed_cluster(path: Path, sentences: int = 1000) -> list[Article]:
    """Articles from the clusters of ``path``, in file order, holding ``sentences`` sentences."""
    out: list[Article] = []
    left = sentences
    for cluster in load_clusters(path):
        for article in cluster_articles(cluster):
            if left <= 0:
                return out
            lines: list[str] = []
            for line in article.text.splitlines():
                if left <= 0:
                    break
                taken = split_text(line)[:left]
                if taken:
                    lines.append(" ".join(taken))
                    left -= len(taken)
            out.append(
                Article(id="", source=f"speed#{len(out) + 1}", origin=f"speed ({article.origin})",
                        text="\n\n".join(lines), story="speed")
            )
    return out


def _lexrank_defaults(articles: Sequence[Article], words: int) -> list[str]:
    """sumy's LexRank as it comes: no stemmer, no stop words."""
    from sumy.summarizers.lex_rank import LexRankSummarizer

    return [str(s) for s in LexRankSummarizer()(sumy_document(articles), budget(words))]


def speed_check(path: Path, sentences: int = 1000, words: int = 300) -> dict[str, float]:
    """Seconds newsbrief and sumy's LexRank take on one cluster of ``sentences`` sentences.

    Articles are taken whole, in file order, from the clusters of ``path`` (the last
    one cut) until they hold ``sentences`` sentences by the baselines' splitter.
    """
    articles = speed_cluster(path, sentences)
    found = sum(len(split_article(a)) for a in articles)
    unique = len(sumy_document(articles).sentences)
    warm = articles[:1]
    newsbrief_system(warm, words)  # load what loads lazily, in both systems
    lexrank(warm, words)
    runs: list[tuple[str, SystemFn]] = [
        ("newsbrief", newsbrief_system),
        ("lexrank", lexrank),
        ("lexrank, sumy defaults (no stemmer, no stop words)", _lexrank_defaults),
    ]
    times: dict[str, float] = {}
    for name, fn in runs:
        start = time.perf_counter()
        fn(articles, words)
        times[name] = time.perf_counter() - start
    n_words = sum(len(a.text.split()) for a in articles)
    print(f"speed check: {len(articles)} articles, {found} sentences ({unique} distinct), "
          f"{n_words} words; {words}-word summaries")
    for name, t in times.items():
        print(f"  {t:7.2f} s  {name}")
    return times


# --------------------------------------------------------------------------- CLI


def source_version() -> str:
    """The commit, and a hash of the newsbrief modules loaded and its data files as on disk."""
    import newsbrief

    digest = hashlib.sha256()
    src = Path(newsbrief.__file__).parent
    loaded = {
        Path(str(m.__file__))
        for name, m in list(sys.modules.items())
        if name.split(".")[0] == "newsbrief" and getattr(m, "__file__", None)
    }
    data = {p for p in (src / "data").rglob("*") if p.is_file()}
    for path in sorted(loaded | data):
        if path.is_file():
            digest.update(str(path.relative_to(src)).encode())
            digest.update(path.read_bytes())
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--", "src/newsbrief"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        head, dirty = "unknown", ""
    state = " + uncommitted changes" if dirty else ""
    return f"commit {head}{state}; sha256 of its loaded modules and data {digest.hexdigest()[:12]}"



def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m evaluation.summaries",
        description="ROUGE of newsbrief and extractive baselines on Multi-News clusters.",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="Multi-News JSONL file")
    p.add_argument("--limit", type=int, default=None, help="only the first N clusters")
    p.add_argument("--clusters", default=None, help="only these cluster ids (comma-separated)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per system and cluster")
    p.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated systems")
    p.add_argument("--words", type=int, default=300, help="every output is cut to this length")
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the CSV and table")
    p.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples")
    p.add_argument("--seed", type=int, default=2024, help="bootstrap seed")
    p.add_argument("--save-outputs", action="store_true",
                   help="also write every scored summary to summaries-<data>-outputs.jsonl")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    p.add_argument("--speed", action="store_true",
                   help="only time newsbrief and sumy LexRank on one large synthetic cluster")
    p.add_argument("--speed-sentences", type=int, default=1000, help="size of that cluster")
    return p


def _progress(row: Row, n: int, total: int) -> None:
    score = f"R-2 {100 * row.r2:5.2f}" if row.r2 is not None else row.error
    print(f"[{n:4d}/{total}] {row.cluster:16s} {row.system:10s} {row.status:7s} "
          f"{row.seconds:7.2f} s  {score}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    data: Path = args.data
    if not data.is_file():
        print(f"error: no data file at {data}", file=sys.stderr)
        return 2
    if args.speed:
        speed_check(data, args.speed_sentences, args.words)
        return 0
    names = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in names if s not in SYSTEMS]
    if unknown or not names:
        print(f"error: unknown system {unknown} (known: {', '.join(SYSTEMS)})", file=sys.stderr)
        return 2
    ids = [c.strip() for c in args.clusters.split(",")] if args.clusters else None
    clusters = load_clusters(data, args.limit, ids)
    version = source_version()  # newsbrief is imported now: workers run this version
    start = time.monotonic()
    rows = run(
        clusters,
        {s: SYSTEMS[s] for s in names},
        words=args.words,
        timeout=args.timeout,
        jobs=args.jobs,
        progress=None if args.quiet else _progress,
    )
    elapsed = time.monotonic() - start
    rep = report(rows, args.words, args.resamples, args.seed)
    if source_version() != version:
        version += " (changed on disk during the run; this is the version loaded at the start)"
    print_table(rep)
    print(f"newsbrief {version}")
    command = "python -m evaluation.summaries " + shlex.join(
        list(argv) if argv is not None else sys.argv[1:]
    )
    out: Path = args.out
    stem = f"summaries-{data.stem}"
    write_csv(rows, out / f"{stem}.csv")
    table = markdown(rep, command.strip(), data, elapsed, version)
    (out / f"{stem}.md").write_text(table, encoding="utf-8")
    if args.save_outputs:
        write_outputs(rows, out / f"{stem}-outputs.jsonl")
    print(f"wrote {out / stem}.csv and .md ({elapsed:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
