"""The report of a ROUGE run (evaluation/summaries.py): per-system means on the clusters
every system finished, a seeded bootstrap interval for ROUGE-2, a paired bootstrap of
newsbrief minus the best baseline, and the table, CSV and outputs written from it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["Report", "Row", "SystemStats", "markdown", "print_table", "report", "write_csv",
           "write_outputs"]

OK, ERROR, TIMEOUT = "ok", "error", "timeout"


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
