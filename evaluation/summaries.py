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
import csv
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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

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
    "cut",
    "lead",
    "lexrank",
    "load_clusters",
    "main",
    "newsbrief_system",
    "report",
    "run",
    "speed_check",
    "split_article",
    "textrank",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared/data/multinews/dev100.jsonl"
DEFAULT_OUT = REPO / "evaluation/results"

SystemFn = Callable[[Sequence[Article], int], list[str]]
"""A summarizer: the articles of one story and a length in words -> summary sentences."""

OK, ERROR, TIMEOUT = "ok", "error", "timeout"

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


# --------------------------------------------------------------------------- sentences


def split_text(text: str) -> list[str]:
    """Sentences of a text, line by line, with the spaCy sentencizer newsbrief uses."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    out: list[str] = []
    for doc in sentence_pipeline().pipe(lines, batch_size=256):
        for sent in doc.sents:
            s = _SPACE.sub(" ", sent.text).strip()
            if s:
                out.append(s)
    return out


def split_article(article: Article) -> list[str]:
    """An article's sentences, as every baseline sees them."""
    return split_text(article.text)


def split_reference(reference: str) -> list[str]:
    """The human summary's sentences, without Multi-News's leading "– "."""
    return split_text(reference.strip().removeprefix("–").strip())


def cut(sentences: Iterable[str], words: int) -> list[str]:
    """The first ``words`` words of the sentences, sentence boundaries kept."""
    out: list[str] = []
    left = words
    for sentence in sentences:
        if left <= 0:
            break
        tokens = sentence.split()
        if not tokens:
            continue
        out.append(" ".join(tokens[:left]))
        left -= len(tokens)
    return out


def _key(sentence: str) -> str:
    return _SPACE.sub(" ", sentence).strip().lower()


# --------------------------------------------------------------------------- systems


def newsbrief_system(articles: Sequence[Article], words: int) -> list[str]:
    """newsbrief itself: the brief's summary sentences.

    The optional sections (quotes, disputes, additions, timeline) are switched
    off: they do not change the summary, and their cost is measured on its own
    by benchmarks/bench_brief.py.
    """
    import newsbrief

    settings = newsbrief.Settings(words=words, sections=False)
    return [s.text for s in newsbrief.brief(articles, settings=settings).summary]


def lead(articles: Sequence[Article], words: int) -> list[str]:
    """First sentence of each article in turn, then the second, ... until ``words`` words."""
    per_article = [split_article(a) for a in articles]
    out: list[str] = []
    seen: set[str] = set()
    count = 0
    depth = 0
    while count < words and any(depth < len(s) for s in per_article):
        for sentences in per_article:
            if count >= words:
                break
            if depth >= len(sentences) or _key(sentences[depth]) in seen:
                continue
            seen.add(_key(sentences[depth]))
            out.append(sentences[depth])
            count += len(sentences[depth].split())
        depth += 1
    return out


class _Words:
    """sumy's tokenizer interface without NLTK data: words are runs of letters and digits."""

    @staticmethod
    def to_words(text: str) -> tuple[str, ...]:
        return tuple(_WORD.findall(text))

    @staticmethod
    def to_sentences(text: str) -> tuple[str, ...]:
        return tuple(split_text(text))


def sumy_document(articles: Sequence[Article]) -> Any:
    """sumy's ``ObjectDocumentModel`` built from the spaCy sentences, one paragraph an article."""
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence

    words = _Words()
    seen: set[str] = set()
    paragraphs = []
    for article in articles:
        sentences = []
        for text in split_article(article):
            if _key(text) in seen:
                continue
            seen.add(_key(text))
            sentences.append(Sentence(text, words))
        if sentences:
            paragraphs.append(Paragraph(sentences))
    return ObjectDocumentModel(paragraphs)


def _budget(words: int) -> Callable[[list[Any]], list[Any]]:
    """A sumy sentence count: best-rated sentences (sumy sorts them) until ``words`` words."""

    def take(infos: list[Any]) -> list[Any]:
        chosen: list[Any] = []
        count = 0
        for info in infos:
            if count >= words:
                break
            chosen.append(info)
            count += len(str(info.sentence).split())
        return chosen

    return take


@cache
def _english() -> tuple[Any, frozenset[str]]:
    from sumy.nlp.stemmers import Stemmer
    from sumy.utils import get_stop_words

    return Stemmer("english"), frozenset(get_stop_words("english"))


def _sumy(kind: str, articles: Sequence[Article], words: int) -> list[str]:
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer

    stemmer, stop_words = _english()
    summarizer = LexRankSummarizer(stemmer) if kind == "lexrank" else TextRankSummarizer(stemmer)
    summarizer.stop_words = stop_words
    document = sumy_document(articles)
    return [str(s) for s in summarizer(document, _budget(words))]


def lexrank(articles: Sequence[Article], words: int) -> list[str]:
    """sumy's LexRank on the spaCy sentences."""
    return _sumy("lexrank", articles, words)


def textrank(articles: Sequence[Article], words: int) -> list[str]:
    """sumy's TextRank on the spaCy sentences."""
    return _sumy("textrank", articles, words)


SYSTEMS: dict[str, SystemFn] = {
    "newsbrief": newsbrief_system,
    "lead": lead,
    "lexrank": lexrank,
    "textrank": textrank,
}
BASELINES = ("lead", "lexrank", "textrank")


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


@dataclass(slots=True)
class Row:
    """One system on one cluster."""

    cluster: str
    system: str
    status: str
    r1: float | None = None
    r2: float | None = None
    rlsum: float | None = None
    seconds: float = 0.0
    input_words: int = 0
    """Words in the cluster's articles."""
    words: int | None = None
    """Words the system wrote, before the cut."""
    duplicates: int | None = None
    """Sentences of the output that repeat an earlier one (exactly, or 80% of its words)."""
    error: str = ""
    summary: list[str] = field(default_factory=list)
    """The scored (cut) summary, one sentence an item."""


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
    sets = [frozenset(_key(s).split()) for s in sentences]
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


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class SystemStats:
    system: str
    finished: int
    failed: int
    timed_out: int
    r1: float
    r2: float
    r2_low: float
    r2_high: float
    rlsum: float
    seconds: float
    words: float
    too_short: int
    too_long: int
    with_duplicates: int


@dataclass(frozen=True, slots=True)
class Report:
    clusters: int
    common: list[str]
    stats: list[SystemStats]
    failures: dict[str, list[Row]]
    reference: str | None
    """The best baseline on ROUGE-2, or None without newsbrief and a baseline."""
    diff: tuple[float, float, float] | None
    """newsbrief minus ``reference`` on ROUGE-2: mean, 2.5% and 97.5% bootstrap percentiles."""
    diff_le_zero: float | None
    """Share of paired resamples in which newsbrief's mean is not above the baseline's."""
    words: int


def _matrix(rows: Sequence[Row], systems: Sequence[str], common: Sequence[str], attr: str) -> Any:
    value = {(r.cluster, r.system): getattr(r, attr) for r in rows}
    return np.array([[float(value[c, s]) for c in common] for s in systems], dtype=float)


def report(rows: Sequence[Row], words: int, resamples: int = 1000, seed: int = 2024) -> Report:
    """Means on the clusters every system finished, bootstrap intervals and failures."""
    systems = list(dict.fromkeys(r.system for r in rows))
    clusters = list(dict.fromkeys(r.cluster for r in rows))
    status = {(r.cluster, r.system): r.status for r in rows}
    common = [c for c in clusters if all(status.get((c, s)) == OK for s in systems)]
    rng = np.random.default_rng(seed)
    n = len(common)
    samples = rng.integers(0, n, size=(resamples, n)) if n else np.zeros((0, 0), dtype=int)
    r1, r2, rl, secs = (_matrix(rows, systems, common, a) for a in ("r1", "r2", "rlsum", "seconds"))
    stats: list[SystemStats] = []
    for k, s in enumerate(systems):
        mine = [r for r in rows if r.system == s]
        finished = [r for r in mine if r.status == OK]
        lengths = [r.words or 0 for r in finished]
        targets = [min(words, r.input_words) for r in finished]
        boot = r2[k][samples].mean(axis=1) if n else np.array([np.nan])
        stats.append(
            SystemStats(
                system=s,
                finished=len(finished),
                failed=sum(r.status == ERROR for r in mine),
                timed_out=sum(r.status == TIMEOUT for r in mine),
                r1=float(r1[k].mean()) if n else float("nan"),
                r2=float(r2[k].mean()) if n else float("nan"),
                r2_low=float(np.percentile(boot, 2.5)),
                r2_high=float(np.percentile(boot, 97.5)),
                rlsum=float(rl[k].mean()) if n else float("nan"),
                seconds=float(secs[k].mean()) if n else float("nan"),
                words=float(np.mean(lengths)) if lengths else float("nan"),
                too_short=sum(w < 0.9 * t for w, t in zip(lengths, targets, strict=True)),
                too_long=sum(w > 1.1 * t for w, t in zip(lengths, targets, strict=True)),
                with_duplicates=sum(bool(r.duplicates) for r in finished),
            )
        )
    reference: str | None = None
    diff: tuple[float, float, float] | None = None
    le_zero: float | None = None
    baselines = [s for s in systems if s != "newsbrief"]
    if "newsbrief" in systems and baselines and n:
        by_r2 = {st.system: st.r2 for st in stats}
        reference = max(baselines, key=lambda s: by_r2[s])
        d = r2[systems.index("newsbrief")] - r2[systems.index(reference)]
        boot = d[samples].mean(axis=1)
        diff = (float(d.mean()), float(np.percentile(boot, 2.5)), float(np.percentile(boot, 97.5)))
        le_zero = float((boot <= 0).mean())
    failures = {s: [r for r in rows if r.system == s and r.status != OK] for s in systems}
    return Report(len(clusters), common, stats, failures, reference, diff, le_zero, words)


def _pct(x: float) -> str:
    return "–" if np.isnan(x) else f"{100 * x:.2f}"


HEADER = [
    "system",
    "finished",
    "failed",
    "timed out",
    "R-1",
    "R-2",
    "R-2 95% CI",
    "R-Lsum",
    "s / cluster",
    "words out",
]


def table_rows(rep: Report) -> list[list[str]]:
    out = []
    for st in rep.stats:
        out.append(
            [
                st.system,
                str(st.finished),
                str(st.failed),
                str(st.timed_out),
                _pct(st.r1),
                _pct(st.r2),
                f"{_pct(st.r2_low)}–{_pct(st.r2_high)}",
                _pct(st.rlsum),
                "–" if np.isnan(st.seconds) else f"{st.seconds:.2f}",
                "–" if np.isnan(st.words) else f"{st.words:.0f}",
            ]
        )
    return out


def diff_line(rep: Report) -> str:
    if rep.diff is None or rep.reference is None:
        return "R-2 difference: needs newsbrief, a baseline and at least one common cluster."
    mean, low, high = rep.diff
    return (
        f"R-2 newsbrief − {rep.reference} (best baseline): {100 * mean:+.2f} points, "
        f"paired bootstrap 95% CI {100 * low:+.2f} to {100 * high:+.2f} "
        f"(share of resamples ≤ 0: {rep.diff_le_zero:.3f})"
    )


def notes(rep: Report) -> list[str]:
    out = [
        f"Means on the {len(rep.common)} of {rep.clusters} clusters that every system finished; "
        "ROUGE F1 × 100 (stemmed; Lsum one sentence a line); every output cut to "
        f"{rep.words} words. `s / cluster`: mean seconds on those clusters. `words out`: "
        "mean words each system wrote before the cut (all finished clusters).",
    ]
    for st in rep.stats:
        bits = []
        if st.too_short or st.too_long:
            bits.append(
                f"{rep.words} words (or the input's length, if shorter) missed by more than 10% "
                f"on {st.too_short + st.too_long} clusters "
                f"({st.too_short} short, {st.too_long} long)"
            )
        if st.with_duplicates:
            bits.append(
                f"a repeated sentence (same or 80% of the same words) in {st.with_duplicates} "
                f"of {st.finished} outputs"
            )
        if bits:
            out.append(f"{st.system}: " + "; ".join(bits) + ".")
    for system, failed in rep.failures.items():
        for r in failed:
            out.append(f"{system} on {r.cluster}: {r.status} ({r.error})")
    return out


def markdown(
    rep: Report, command: str, data: Path, elapsed: float, version: str = ""
) -> str:
    lines = [
        f"## ROUGE on {data.name}",
        "",
        f"`{command}` — {rep.clusters} clusters, {elapsed / 60:.1f} min wall clock"
        + (f"; newsbrief {version}." if version else "."),
        "",
        "| " + " | ".join(HEADER) + " |",
        "|" + "|".join("---" if i == 0 else "---:" for i in range(len(HEADER))) + "|",
    ]
    lines += ["| " + " | ".join(r) + " |" for r in table_rows(rep)]
    lines += ["", diff_line(rep), ""]
    lines += [f"- {n}" for n in notes(rep)]
    return "\n".join(lines) + "\n"


def print_table(rep: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"ROUGE ({len(rep.common)} of {rep.clusters} clusters in common)")
    for i, h in enumerate(HEADER):
        table.add_column(h, justify="left" if i == 0 else "right")
    for r in table_rows(rep):
        table.add_row(*r)
    console = Console()
    if not console.is_terminal:
        console = Console(width=120)
    console.print(table)
    console.print(diff_line(rep))
    for n in notes(rep):
        console.print(f"- {n}", markup=False, highlight=False)


CSV_FIELDS = [f.name for f in fields(Row) if f.name != "summary"]


def write_csv(rows: Sequence[Row], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS)
        writer.writeheader()
        for r in rows:
            d = asdict(r)
            d.pop("summary")
            for k in ("r1", "r2", "rlsum"):
                d[k] = "" if d[k] is None else f"{d[k]:.5f}"
            writer.writerow(d)


def write_outputs(rows: Sequence[Row], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for r in rows:
            record = {"cluster": r.cluster, "system": r.system, "status": r.status,
                      "summary": r.summary}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


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

    return [str(s) for s in LexRankSummarizer()(sumy_document(articles), _budget(words))]


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
