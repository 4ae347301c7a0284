"""The quality gate: small pinned evaluations on development data, floors in one file.

    python -m evaluation.gate [--floors evaluation/floors.toml] [--json PATH]
        [--only rouge,polnear,stories] [--jobs 2] [--shared ../shared]

Like trafilatura's evaluation gate: a few fixed evaluations, each metric with a
floor pinned in ``evaluation/floors.toml``; CI (``make gate``) fails when a
change drops a metric below its floor by more than its measured noise.

* ``rouge``: ROUGE-1, ROUGE-2 and ROUGE-Lsum F1 of newsbrief, and its ROUGE-2
  margin over Lead in the same run, on a fixed subset of Multi-News dev100
  (every k-th story id in sorted order, k in the floors file). Scored by
  ``evaluation.summaries`` itself (``run`` and ``report``), so there is one
  ROUGE path.
* ``polnear``: quote content and source F1 (exact and overlap) of newsbrief on
  the PolNeAR dev texts (every k-th by name), scored by
  ``evaluation.quotes_polnear`` (``documents``, ``newsbrief_predictions``,
  ``score_doc``).
* ``stories``: B-cubed F1 of the store's grouping of all dev100 articles,
  shuffled with a fixed seed, by ``evaluation.stories_eval`` (``store_predict``,
  ``scores``).
* ``extraction``: word-level F1 and precision of newsbrief's read-and-clean path
  against the gold main text of the article-extraction benchmark's dev pages, and
  both margins over trafilatura's default extraction in the same run, by
  ``evaluation.extraction`` (``values``).

Only development data is read: dev100 and PolNeAR's ``dev`` folder, never a
test split. The gate prints a table (metric, value, floor, tolerance, pass or
fail) and can write every number as JSON (``--json``) for the docs to cite.

Exit status: 0 every metric at or above its floor minus its tolerance; 1 some
metric below it (each is named); 2 data missing, an evaluation crashed, or a
metric without a floor or a floor without a metric (each is named). The pure
comparison is ``compare`` (values and floors in, results out), tested by
tests/test_gate.py.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shlex
import sys
import time
import tomllib
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "DEFAULT_FLOORS",
    "EVALUATIONS",
    "METRICS",
    "Floor",
    "FloorsFile",
    "GateError",
    "Result",
    "Subsets",
    "compare",
    "failures",
    "load_floors",
    "main",
    "polnear_values",
    "rouge_values",
    "stories_values",
]

REPO = Path(__file__).resolve().parents[1]
DEFAULT_FLOORS = REPO / "evaluation" / "floors.toml"
DEFAULT_SHARED = REPO.parent / "shared"
DEV100 = Path("data/multinews/dev100.jsonl")
"""Multi-News dev100, relative to the shared folder (the development split)."""
POLNEAR_DEV = Path("data/polnear/dev")
MRPC = Path("data/mrpc/train.jsonl")
TEMPEVAL = Path("data/tempeval3/tbaq.jsonl")
DUC = Path("data/duc2007/main.jsonl")
DUC_UPDATE = Path("data/duc2007/update.jsonl")
"""PolNeAR's development texts and attributions, relative to the shared folder."""

ROUNDING = 1e-9
"""Slack for float rounding in the comparison: floors are written with 4 decimals from
values rounded down, so a value equal to its floor must never fail on the last bit."""

ROUGE_TIMEOUT = 60.0
"""Seconds a system may take on one cluster (evaluation.summaries' default); newsbrief
needs about 0.5 s on the largest dev100 cluster, so a timeout is a crash, not noise."""

METRICS: dict[str, tuple[str, ...]] = {
    "rouge": ("rouge.r1", "rouge.r2", "rouge.rlsum", "rouge.r2_margin_lead"),
    "polnear": (
        "polnear.content_exact_f1",
        "polnear.content_overlap_f1",
        "polnear.source_exact_f1",
        "polnear.source_overlap_f1",
        "polnear.source_exact_precision",
    ),
    "stories": ("stories.bcubed_f1",),
    "mrpc": ("mrpc.precision", "mrpc.accuracy"),
    "dates": (
        "dates.value_accuracy",
        "dates.recall_units",
        "dates.recall",
        "dates.recall_all",
        "dates.value_accuracy_strict",
        "dates.relative_value_accuracy",
    ),
    "pubdates": (
        "pubdates.duc_text_precision",
        "pubdates.dev100_precision",
        "pubdates.dev100_coverage",
    ),
    "extraction": (
        "extraction.f1",
        "extraction.precision",
        "extraction.f1_margin_trafilatura",
        "extraction.precision_margin_trafilatura",
    ),
    "update": ("update.r2_new_sets", "update.r2_margin_generic"),
    "checked": tuple(
        f"checked.{part}_{m}" for part in ("dev", "test")
        for m in ("quotes_right", "disputes_real", "citations_not_conflicting",
                  "timeline_right", "disagreements_shown", "labelled")
    ),
}
"""Every metric the gate computes, by evaluation; each must have a floor."""


class GateError(Exception):
    """The floors file is malformed, or a metric and the floors do not match up."""


class EvaluationError(Exception):
    """An evaluation could not produce its numbers (missing data, a failed cluster)."""


# --------------------------------------------------------------------------- floors


@dataclass(frozen=True, slots=True)
class Floor:
    """One metric's pinned minimum, with the noise it tolerates and where it came from."""

    metric: str
    floor: float
    tolerance: float
    """How far below ``floor`` still passes: the measured run-to-run spread."""
    noise: str
    """How ``tolerance`` was measured."""
    source: str
    """Where ``floor`` came from: commit, date, command."""


@dataclass(frozen=True, slots=True)
class Subsets:
    """The deterministic rules that pick the gate's data."""

    rouge_every: int
    """dev100 clusters: every k-th story id in sorted order, starting with the first."""
    rouge_words: int
    """Every summary (newsbrief's and Lead's) is cut to this many words."""
    polnear_every: int
    """PolNeAR dev texts: every k-th by file name, starting with the first."""
    stories_seed: int
    """Seed of the shuffle of dev100's articles before they are ingested."""


@dataclass(frozen=True, slots=True)
class FloorsFile:
    """The parsed floors file."""

    subsets: Subsets
    floors: tuple[Floor, ...]


_FLOOR_KEYS = {"name", "floor", "tolerance", "noise", "source"}


def _number(value: object, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise GateError(f"{where}: expected a finite number, got {value!r}")
    return float(value)


def _whole(value: object, where: str, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise GateError(f"{where}: expected a whole number of at least {least}, got {value!r}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GateError(f"{where}: expected a non-empty string, got {value!r}")
    return value


def parse_floors(data: Mapping[str, Any], where: str = "floors") -> FloorsFile:
    """The floors of a parsed TOML document, checked: every field present and of its type."""
    subset = data.get("subset")
    if not isinstance(subset, dict):
        raise GateError(f"{where}: no [subset] table")
    subsets = Subsets(
        rouge_every=_whole(subset.get("rouge_every"), f"{where}: subset.rouge_every", 1),
        rouge_words=_whole(subset.get("rouge_words"), f"{where}: subset.rouge_words", 1),
        polnear_every=_whole(subset.get("polnear_every"), f"{where}: subset.polnear_every", 1),
        stories_seed=_whole(subset.get("stories_seed"), f"{where}: subset.stories_seed", 0),
    )
    entries = data.get("metric")
    if not isinstance(entries, list) or not entries:
        raise GateError(f"{where}: no [[metric]] entries")
    floors: list[Floor] = []
    seen: set[str] = set()
    for n, entry in enumerate(entries, start=1):
        at = f"{where}: [[metric]] #{n}"
        if not isinstance(entry, dict):
            raise GateError(f"{at}: expected a table")
        if set(entry) != _FLOOR_KEYS:
            missing = sorted(_FLOOR_KEYS - set(entry))
            extra = sorted(set(entry) - _FLOOR_KEYS)
            raise GateError(f"{at}: missing keys {missing}, unknown keys {extra} "
                            f"(expected exactly {sorted(_FLOOR_KEYS)})")
        name = _text(entry["name"], f"{at}: name")
        at = f"{where}: metric {name}"
        if name in seen:
            raise GateError(f"{at}: given twice")
        seen.add(name)
        tolerance = _number(entry["tolerance"], f"{at}: tolerance")
        if tolerance < 0:
            raise GateError(f"{at}: tolerance must not be negative, got {tolerance}")
        floors.append(
            Floor(
                metric=name,
                floor=_number(entry["floor"], f"{at}: floor"),
                tolerance=tolerance,
                noise=_text(entry["noise"], f"{at}: noise"),
                source=_text(entry["source"], f"{at}: source"),
            )
        )
    return FloorsFile(subsets, tuple(floors))


def load_floors(path: Path = DEFAULT_FLOORS) -> FloorsFile:
    """Read and check a floors file (TOML)."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except OSError as exc:
        raise GateError(f"cannot read the floors file {path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise GateError(f"{path}: not valid TOML: {exc}") from exc
    return parse_floors(data, str(path))


# --------------------------------------------------------------------------- comparison


@dataclass(frozen=True, slots=True)
class Result:
    """One metric against its floor."""

    metric: str
    value: float
    floor: float
    tolerance: float
    passed: bool


def compare(values: Mapping[str, float], floors: Sequence[Floor]) -> list[Result]:
    """Each floored metric's value against its floor minus its tolerance, in floor order.

    A metric passes when ``value >= floor - tolerance`` (less ``ROUNDING``); a value
    that is not a finite number fails. Raises ``GateError`` naming every floor without
    a value and every value without a floor: a metric nobody measured, or one nobody
    guards, is an error of the gate, not a pass.
    """
    named = {f.metric for f in floors}
    missing = [f.metric for f in floors if f.metric not in values]
    unguarded = sorted(set(values) - named)
    if missing or unguarded:
        parts = []
        if missing:
            parts.append(f"no value for {', '.join(missing)}")
        if unguarded:
            parts.append(f"no floor for {', '.join(unguarded)}")
        raise GateError("; ".join(parts))
    out = []
    for f in floors:
        value = float(values[f.metric])
        passed = math.isfinite(value) and value >= f.floor - f.tolerance - ROUNDING
        out.append(Result(f.metric, value, f.floor, f.tolerance, passed))
    return out


def failures(results: Sequence[Result]) -> list[str]:
    """The metrics that did not pass."""
    return [r.metric for r in results if not r.passed]


# --------------------------------------------------------------------------- evaluations


Values = dict[str, float]
Info = dict[str, Any]


def _need(path: Path, what: str) -> Path:
    if not path.exists():
        raise EvaluationError(f"no {what} at {path}")
    return path


def rouge_values(data: Path, every: int, words: int, jobs: int) -> tuple[Values, Info]:
    """newsbrief's ROUGE and its ROUGE-2 margin over Lead on every ``every``-th cluster."""
    from evaluation.summaries import OK, lead, load_clusters, newsbrief_system, report, run

    clusters = sorted(load_clusters(_need(data, "Multi-News dev100")), key=lambda c: c.id)
    chosen = clusters[::every]
    if not chosen:
        raise EvaluationError(f"no cluster in {data}")
    systems = {"newsbrief": newsbrief_system, "lead": lead}
    rows = run(chosen, systems, words=words, timeout=ROUGE_TIMEOUT, jobs=jobs)
    bad = [f"{r.system} on {r.cluster}: {r.status} ({r.error})" for r in rows if r.status != OK]
    if bad:
        raise EvaluationError("; ".join(bad))
    stats = {s.system: s for s in report(rows, words).stats}
    nb, ld = stats["newsbrief"], stats["lead"]
    values = {
        "rouge.r1": nb.r1,
        "rouge.r2": nb.r2,
        "rouge.rlsum": nb.rlsum,
        "rouge.r2_margin_lead": nb.r2 - ld.r2,
    }
    info = {
        "clusters": [c.id for c in chosen],
        "lead": {"r1": ld.r1, "r2": ld.r2, "rlsum": ld.rlsum},
        "newsbrief_r2_95ci": [nb.r2_low, nb.r2_high],
        "words": words,
    }
    return values, info


def polnear_values(data: Path, every: int) -> tuple[Values, Info]:
    """newsbrief's quote content and source F1 on every ``every``-th PolNeAR dev text."""
    from evaluation.quotes_polnear import Score, documents, newsbrief_predictions, score_doc

    _need(data / "attributions", "PolNeAR attributions")
    totals = {
        (part, mode): Score() for part in ("content", "source") for mode in ("exact", "overlap")
    }
    names: list[str] = []
    for i, (name, text, gold) in enumerate(documents(data)):
        if i % every:
            continue
        names.append(name)
        predicted = newsbrief_predictions(text)
        for mode in ("exact", "overlap"):
            content, source = score_doc(text, gold, predicted, exact=mode == "exact")
            for part, score in (("content", content), ("source", source)):
                total = totals[part, mode]
                total.tp += score.tp
                total.predicted += score.predicted
                total.gold += score.gold
    if not names:
        raise EvaluationError(f"no PolNeAR text in {data}")
    values = {f"polnear.{part}_{mode}_f1": s.f1 for (part, mode), s in totals.items()}
    # the trust measure: of the speakers given, how many are exactly right
    values["polnear.source_exact_precision"] = totals["source", "exact"].precision
    info = {
        "texts": len(names),
        "counts": {
            f"{part}_{mode}": {"tp": s.tp, "predicted": s.predicted, "gold": s.gold,
                               "precision": s.precision, "recall": s.recall}
            for (part, mode), s in totals.items()
        },
    }
    return values, info


def stories_values(data: Path, seed: int) -> tuple[Values, Info]:
    """B-cubed F1 of the store's grouping of dev100's articles, shuffled with ``seed``."""
    from evaluation.stories_eval import scores, store_predict
    from newsbrief.readers import read_paths
    from newsbrief.settings import DEFAULT_BATCH

    articles = list(read_paths([_need(data, "Multi-News dev100")]).articles)
    if not articles:
        raise EvaluationError(f"no article in {data}")
    random.Random(seed).shuffle(articles)  # as evaluation/stories_eval.py does
    gold = [str(a.story) for a in articles]
    pred, seconds = store_predict(articles, DEFAULT_BATCH)
    s = scores(gold, pred)
    values = {"stories.bcubed_f1": s["F1"]}
    info = {
        "articles": len(articles),
        "clusters": len(set(gold)),
        "stories": len(set(pred)),
        "rejected": sum(p.startswith("rejected") for p in pred),
        "bcubed_precision": s["P"],
        "bcubed_recall": s["R"],
        "ari": s["ARI"],
        "ingest_seconds": seconds,
    }
    return values, info


def mrpc_values(data: Path) -> tuple[Values, Info]:
    """Precision and accuracy of the citation test on every 4th MRPC development pair
    (in-sample: it guards the features, checks and shipped weights; see paraphrase_mrpc)."""
    from evaluation.paraphrase_mrpc import gate_values

    return gate_values(every=4, path=_need(data, "MRPC train")), {"every": 4}


def dates_values(data: Path) -> tuple[Values, Info]:
    """Date resolution on TempEval-3 TBAQ's development documents (never its test part)."""
    from evaluation.dates_tempeval import values

    return values(_need(data, "TempEval-3 TBAQ")), {"part": "dev"}


def pubdates_values(duc: Path, dev100: Path) -> tuple[Values, Info]:
    """Publication dates found in the text: DUC dev topics read without their dates, and
    dev100's hand labels (evaluation/pubdates_dev100.json)."""
    from evaluation.pubdates import values

    return values(_need(duc, "DUC 2007 main"), _need(dev100, "Multi-News dev100")), {"every": 3}


def checked_values(dev100: Path) -> tuple[Values, Info]:
    """The checked sample's counts (evaluation/checked_sample.py): both parts' labels,
    re-counted on the briefs of this version."""
    from evaluation.checked_sample import gate_values

    return gate_values(_need(dev100, "Multi-News dev100")), {"stories": 30}


def update_values(data: Path) -> tuple[Values, Info]:
    """Update briefs (issue 14) on the DUC 2007 update dev topics: ROUGE-2 recall on sets B
    and C, and the margin over a plain brief of the new set alone (duc2007_update)."""
    from evaluation.duc2007_update import gate_values

    return gate_values(_need(data, "DUC 2007 update")), {"part": "dev", "sets": "B, C"}


def extraction_values(shared: Path) -> tuple[Values, Info]:
    """Read and clean against the article-extraction benchmark's gold main text (its dev
    pages, evaluation/extraction.py), with trafilatura's default extraction as the margin."""
    from evaluation.extraction import DATA, values

    _need(shared / DATA / "ground-truth.json", "article-extraction benchmark")
    return values(shared), {"part": "dev"}


Evaluation = Callable[[Subsets, Path, int], tuple[Values, Info]]

EVALUATIONS: dict[str, Evaluation] = {
    "rouge": lambda sub, shared, jobs: rouge_values(
        shared / DEV100, sub.rouge_every, sub.rouge_words, jobs
    ),
    "polnear": lambda sub, shared, jobs: polnear_values(shared / POLNEAR_DEV, sub.polnear_every),
    "stories": lambda sub, shared, jobs: stories_values(shared / DEV100, sub.stories_seed),
    "mrpc": lambda sub, shared, jobs: mrpc_values(shared / MRPC),
    "dates": lambda sub, shared, jobs: dates_values(shared / TEMPEVAL),
    "pubdates": lambda sub, shared, jobs: pubdates_values(shared / DUC, shared / DEV100),
    "checked": lambda sub, shared, jobs: checked_values(shared / DEV100),
    "update": lambda sub, shared, jobs: update_values(shared / DUC_UPDATE),
    "extraction": lambda sub, shared, jobs: extraction_values(shared),
}
"""Each evaluation: (subsets, shared folder, worker processes) -> (metric values, details)."""


# --------------------------------------------------------------------------- report


def _cell(x: float) -> str:
    return f"{x:.4f}" if math.isfinite(x) else str(x)


def table(results: Sequence[Result]) -> str:
    """The results as a plain-text table: metric, value, floor, tolerance, pass or fail."""
    head = ("metric", "value", "floor", "tolerance", "result")
    rows = [
        (r.metric, _cell(r.value), _cell(r.floor), _cell(r.tolerance),
         "pass" if r.passed else "FAIL")
        for r in results
    ]
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(row: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(row, widths, strict=True)))

    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m evaluation.gate",
        description="Quality gate: pinned evaluations on development data against floors.",
    )
    p.add_argument("--floors", type=Path, default=DEFAULT_FLOORS, help="floors file (TOML)")
    p.add_argument("--json", type=Path, default=None, help="also write every number here")
    p.add_argument("--only", default=",".join(EVALUATIONS),
                   help=f"comma-separated evaluations (default: {','.join(EVALUATIONS)})")
    p.add_argument("--jobs", type=int, default=2,
                   help="worker processes for the ROUGE systems (numbers do not depend on it)")
    p.add_argument("--shared", type=Path, default=DEFAULT_SHARED,
                   help="the shared folder holding data/ (default: beside the checkout)")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the gate; 0 pass, 1 a metric below its floor, 2 missing data or a crash."""
    args = _parser().parse_args(argv)
    started = time.perf_counter()
    names = [n.strip() for n in args.only.split(",") if n.strip()]
    unknown = [n for n in names if n not in EVALUATIONS]
    if unknown or not names:
        print(f"gate: unknown evaluation {unknown} (known: {', '.join(EVALUATIONS)})",
              file=sys.stderr)
        return 2
    try:
        spec = load_floors(args.floors)
    except GateError as exc:
        print(f"gate: {exc}", file=sys.stderr)
        return 2

    values: Values = {}
    info: dict[str, Info] = {}
    seconds: dict[str, float] = {}
    errors: dict[str, str] = {}
    for name in names:
        t0 = time.perf_counter()
        print(f"gate: {name} ...", file=sys.stderr, flush=True)
        try:
            got, details = EVALUATIONS[name](spec.subsets, args.shared, max(1, args.jobs))
        except EvaluationError as exc:
            errors[name] = str(exc)
        except Exception as exc:  # any crash is reported by name, the other evaluations go on
            errors[name] = f"crashed: {type(exc).__name__}: {exc}"
            traceback.print_exc()
        else:
            if set(got) != set(METRICS[name]):  # the gate's own list must say what it computes
                errors[name] = (f"computed {sorted(got)}, but METRICS lists "
                                f"{sorted(METRICS[name])}")
            values.update(got)
            info[name] = details
        seconds[name] = round(time.perf_counter() - t0, 1)

    # Floors of the evaluations that ran and finished; a crashed one is reported below.
    done = [n for n in names if n not in errors]
    floors = [f for f in spec.floors if f.metric.split(".")[0] in done]
    results: list[Result] = []
    try:
        results = compare(values, floors)
    except GateError as exc:
        errors["floors"] = f"{exc} (in {args.floors})"
    failed = failures(results)

    total = round(time.perf_counter() - started, 1)
    if results:
        print(table(results))
    print("seconds: " + ", ".join(f"{k} {v}" for k, v in seconds.items()) + f"; total {total}")
    for name, message in errors.items():
        print(f"gate error: {name}: {message}", file=sys.stderr)
    if failed:
        print("gate: below floor minus tolerance: " + ", ".join(failed), file=sys.stderr)
    code = 2 if errors else 1 if failed else 0
    if code == 0:
        print(f"gate: all {len(results)} metrics at or above their floors")
    if args.json:
        from evaluation.summaries import source_version

        record = {
            "command": "python -m evaluation.gate "
            + shlex.join(list(argv) if argv is not None else sys.argv[1:]),
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "newsbrief": source_version(),
            "floors_file": str(args.floors),
            "subset": asdict(spec.subsets),
            "values": values,
            "results": [asdict(r) for r in results],
            "failures": failed,
            "errors": errors,
            "details": info,
            "seconds": {**seconds, "total": total},
            "exit": code,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
        print(f"gate: wrote {args.json}", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
