"""ROUGE on the DUC 2007 update task (issue 14, "What is new"): 10 topics, sets A, B, C.

    python -m evaluation.duc2007_update [--part dev|test|all] [--focus] [--json PATH]

The reader reads set A, then B, then C. Each system writes a 100-word summary of A
(nothing read yet), of B given A, and of C given A and B; each is cut to 100 words and
scored by ROUGE-2 and ROUGE-SU4 recall against the set's four human summaries, jackknifed,
with ``evaluation.duc2007``'s scorer (``rouge_recall``, as NIST's ROUGE-1.5.5 flags).

Systems:

* ``newsbrief-update``: ``newsbrief.update.update_brief`` (the earlier sets read; A is
  a plain brief).
* ``newsbrief-generic``: ``newsbrief.brief`` of the new set alone, nothing read.
* ``lead``: ``evaluation.systems.lead`` of the new set alone.
* The official NIST numbers of the CLASSY04 baseline (58), the best submitted system (40)
  and the lead baseline (35), on these topics and on all 10 (``official_scores.json``).

``--focus`` gives newsbrief each topic's narrative as the focus (the human summaries
answer it; CLASSY04 did not use it, system 40 did).

Topics are split 5/5 by ``part_of``: the five ids with the lowest SHA-256 are dev (tune
there), the other five test (report once). Writes
``evaluation/results/duc2007-update-<part>[-focus].md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.duc2007 import rouge_recall
from evaluation.systems import cut, lead
from newsbrief.model import Article

__all__ = ["ANCHORS", "SETS", "UPDATE", "UpdateTopic", "evaluate", "gate_values", "load_topics",
           "main", "part_of"]

REPO = Path(__file__).resolve().parents[1]
UPDATE = REPO.parent / "shared/data/duc2007/update.jsonl"
OFFICIAL = REPO.parent / "shared/data/duc2007/official_scores.json"
OUT = REPO / "evaluation/results"
WORDS = 100
"""NIST cut every DUC 2007 update summary to 100 words before scoring."""
SETS = ("A", "B", "C")
ANCHORS: dict[str, str] = {
    "58": "NIST CLASSY04 baseline (generic)",
    "40": "best submitted system",
    "35": "NIST lead baseline",
}
"""Official DUC 2007 update summarizers shown beside ours (scores: official_scores.json,
all sets of all 10 topics: 0.0850, 0.1119, 0.0454 ROUGE-2 recall)."""

System = Callable[[Sequence[Article], Sequence[Article], int, str | None], list[str]]
"""(earlier articles, new articles, words, focus) -> summary sentences."""


def part_of(topic_id: str, ids: Sequence[str]) -> str:
    """``dev`` for the half of ``ids`` with the lowest SHA-256 of the id (5 of 10), else
    ``test``: a fixed rule, blind to the topics' content."""
    ranked = sorted(ids, key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    return "dev" if ranked.index(topic_id) < len(ranked) // 2 else "test"


@dataclass(frozen=True, slots=True)
class UpdateTopic:
    """One update topic: its sets of articles, question, references and official scores."""

    id: str
    narrative: str
    sets: dict[str, list[Article]]
    references: dict[str, list[str]]
    peers: dict[str, dict[str, str]]
    official_rouge2: dict[str, dict[str, float]]


def _article(a: dict[str, Any], k: int, topic: str, part: str) -> Article:
    published = datetime.strptime(a["published"], "%Y-%m-%d").replace(tzinfo=UTC)
    return Article(id=f"a{k}", source=a["source"], origin=f"{a['url']}#{part}", text=a["text"],
                   title=a["title"] or None, url=a["url"], published=published, story=topic)


def load_topics(path: Path = UPDATE, part: str | None = "dev") -> list[UpdateTopic]:
    """The topics of one part (``dev``, ``test``; None: all 10), in file order."""
    raw = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
           if line.strip()]
    ids = [t["id"] for t in raw]
    return [
        UpdateTopic(
            id=t["id"], narrative=" ".join(t["narrative"].split()),
            sets={s: [_article(a, k, t["id"], s) for k, a in enumerate(t["sets"][s])]
                  for s in SETS},
            references={s: list(t["references"][s]) for s in SETS},
            peers={s: dict(t["peers"][s]) for s in SETS},
            official_rouge2={s: {k: float(v) for k, v in t["official_rouge2"][s].items()}
                             for s in SETS},
        )
        for t in raw if part is None or part_of(t["id"], ids) == part
    ]


# --------------------------------------------------------------------------- systems


def newsbrief_update(earlier: Sequence[Article], new: Sequence[Article], words: int,
                     focus: str | None) -> list[str]:
    """The update brief of ``new`` given ``earlier``."""
    from newsbrief.settings import Settings
    from newsbrief.update import update_brief

    settings = Settings(words=words, sections=False, focus=focus)
    return [s.text for s in update_brief(earlier, new, settings).summary]


def newsbrief_generic(earlier: Sequence[Article], new: Sequence[Article], words: int,
                      focus: str | None) -> list[str]:
    """A plain brief of the new set alone, as if nothing had been read."""
    from newsbrief.pipeline import brief
    from newsbrief.settings import Settings

    settings = Settings(words=words, sections=False, focus=focus)
    return [s.text for s in brief(new, settings=settings).summary]


def lead_new(earlier: Sequence[Article], new: Sequence[Article], words: int,
             focus: str | None) -> list[str]:
    """The lead baseline of the new set alone."""
    return lead(new, words)


SYSTEMS: dict[str, System] = {
    "newsbrief-update": newsbrief_update,
    "newsbrief-generic": newsbrief_generic,
    "lead": lead_new,
}


# --------------------------------------------------------------------------- scoring


def _score(summary: Sequence[str], references: Sequence[str]) -> tuple[float, float]:
    text = "\n".join(cut(summary, WORDS))
    return rouge_recall(text, references, "rouge2"), rouge_recall(text, references, "rougesu4")


def evaluate(
    topics: Sequence[UpdateTopic], systems: dict[str, System], focus: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, dict[str, dict[str, tuple[float, float]]]]:
    """system -> set -> topic -> (ROUGE-2, ROUGE-SU4) recall."""
    out: dict[str, dict[str, dict[str, tuple[float, float]]]] = {
        name: {s: {} for s in SETS} for name in systems}
    for t in topics:
        for k, s in enumerate(SETS):
            earlier = [a for prior in SETS[:k] for a in t.sets[prior]]
            new = t.sets[s]
            for name, fn in systems.items():
                start = time.monotonic()
                summary = fn(earlier, new, WORDS, t.narrative if focus else None)
                out[name][s][t.id] = _score(summary, t.references[s])
                if progress:
                    progress(f"{t.id} {s} {name}: R2 {out[name][s][t.id][0]:.4f} "
                             f"({time.monotonic() - start:.1f} s)")
    return out


def check_official(topics: Sequence[UpdateTopic]) -> dict[str, float]:
    """This scorer on the 24 submitted systems' summaries against NIST's per-topic ROUGE-2
    (every set of ``topics``): mean and largest absolute difference of the system means,
    and Spearman's rank correlation."""
    from scipy.stats import spearmanr

    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    for t in topics:
        for s in SETS:
            for peer, text in t.peers[s].items():
                ours.setdefault(peer, []).append(
                    rouge_recall("\n".join(cut(text.splitlines(), WORDS)), t.references[s]))
                theirs.setdefault(peer, []).append(t.official_rouge2[s][peer])
    peers = sorted(ours, key=int)
    mine = np.array([np.mean(ours[p]) for p in peers])
    official = np.array([np.mean(theirs[p]) for p in peers])
    return {"systems": len(peers), "mean_abs_diff": float(np.mean(np.abs(mine - official))),
            "max_abs_diff": float(np.max(np.abs(mine - official))),
            "spearman": float(spearmanr(mine, official).statistic)}


def _official_here(topics: Sequence[UpdateTopic], peer: str) -> dict[str, float]:
    per_set = {s: float(np.mean([t.official_rouge2[s][peer] for t in topics])) for s in SETS}
    per_set["all"] = float(np.mean(list(per_set.values())))
    return per_set


def summary_rows(
    scores: dict[str, dict[str, dict[str, tuple[float, float]]]],
) -> dict[str, dict[str, float]]:
    """system -> {A, B, C, all, su4}: mean ROUGE-2 recall per set, over all sets, and
    the mean ROUGE-SU4 over all sets."""
    rows = {}
    for name, by_set in scores.items():
        row = {s: float(np.mean([v[0] for v in by_set[s].values()])) for s in SETS}
        row["all"] = float(np.mean([v[0] for s in SETS for v in by_set[s].values()]))
        row["su4"] = float(np.mean([v[1] for s in SETS for v in by_set[s].values()]))
        rows[name] = row
    return rows


def markdown(rows: dict[str, dict[str, float]], topics: Sequence[UpdateTopic], part: str,
             focus: bool, command: str, check: dict[str, float], elapsed: float,
             official_all: dict[str, float]) -> str:
    """The results table with the official anchors, as Markdown."""
    mode = "focused (newsbrief given each topic's narrative)" if focus else "generic"
    lines = [
        f"## DUC 2007 update, {part} topics ({', '.join(t.id for t in topics)}), {mode}",
        "",
        f"`{command}` — {len(topics)} topics × 3 sets, {elapsed / 60:.1f} min.",
        "",
        "| system | A | B given A | C given A, B | all sets R-2 | all sets R-SU4 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, r in sorted(rows.items(), key=lambda kv: -kv[1]["all"]):
        lines.append(f"| {name} | {r['A']:.4f} | {r['B']:.4f} | {r['C']:.4f} | "
                     f"{r['all']:.4f} | {r['su4']:.4f} |")
    for peer, what in ANCHORS.items():
        o = _official_here(topics, peer)
        lines.append(f"| *{what}, id {peer} (official, these topics; all 10 topics: "
                     f"{official_all[peer]:.4f})* | {o['A']:.4f} | {o['B']:.4f} | "
                     f"{o['C']:.4f} | {o['all']:.4f} | |")
    lines += [
        "",
        f"- ROUGE-2 recall against the 4 human summaries of each set (jackknifed, stemmed, "
        f"stop words kept; `evaluation.duc2007.rouge_recall`); every output cut to {WORDS} "
        f"words. Set A has nothing read before it: there every newsbrief is a plain brief.",
        f"- Scorer check on the {check['systems']} submitted systems, same topics and sets: "
        f"mean |ours − official ROUGE-2| {check['mean_abs_diff']:.4f} (largest "
        f"{check['max_abs_diff']:.4f}), Spearman {check['spearman']:.3f}.",
    ]
    return "\n".join(lines) + "\n"


def gate_values(path: Path = UPDATE) -> dict[str, float]:
    """The quality gate's numbers (evaluation/gate.py, ``update``): on the dev topics,
    generic mode, the update brief's ROUGE-2 recall on sets B and C (where there is
    something read before) and its margin over the plain brief of the new set alone."""
    topics = load_topics(path, "dev")
    scores = evaluate(topics, {"update": newsbrief_update, "generic": newsbrief_generic})
    mean = {name: float(np.mean([v[0] for s in ("B", "C") for v in by_set[s].values()]))
            for name, by_set in scores.items()}
    return {"update.r2_new_sets": mean["update"],
            "update.r2_margin_generic": mean["update"] - mean["generic"]}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evaluation.duc2007_update",
                                description="ROUGE recall on the DUC 2007 update task.")
    p.add_argument("--data", type=Path, default=UPDATE, help="DUC 2007 update.jsonl")
    p.add_argument("--part", choices=("dev", "test", "all"), default="dev")
    p.add_argument("--focus", action="store_true", help="give newsbrief each topic's narrative")
    p.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated systems")
    p.add_argument("--json", type=Path, default=None, help="also write the scores here")
    p.add_argument("--out", type=Path, default=OUT, help="folder for the Markdown table")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.data.is_file():
        print(f"error: no DUC 2007 update data at {args.data}", file=sys.stderr)
        return 2
    names = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in names if s not in SYSTEMS]
    if unknown or not names:
        print(f"error: unknown system {unknown} (known: {', '.join(SYSTEMS)})", file=sys.stderr)
        return 2
    topics = load_topics(args.data, None if args.part == "all" else args.part)
    start = time.monotonic()
    scores = evaluate(topics, {n: SYSTEMS[n] for n in names}, args.focus,
                      None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True)))
    rows = summary_rows(scores)
    check = check_official(topics)
    official = json.loads(OFFICIAL.read_text(encoding="utf-8"))["update"]["rouge2"]
    official_all = {p: float(official[p]["recall"]) for p in ANCHORS}
    command = "python -m evaluation.duc2007_update " + shlex.join(
        list(argv) if argv is not None else sys.argv[1:])
    table = markdown(rows, topics, args.part, args.focus, command.strip(), check,
                     time.monotonic() - start, official_all)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"duc2007-update-{args.part}{'-focus' if args.focus else ''}.md"
    path.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({"part": args.part, "focus": args.focus,
                                         "rows": rows, "scores": scores, "check": check},
                                        indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
