"""ROUGE on DUC 2007 main (issue 12): 45 newswire topics x 25 full articles, 250 words.

    python -m evaluation.duc2007 [--part dev|test|all] [--focus] [--systems ...]
        [--jobs 2] [--json PATH] [--check-official]

Every system summarises each topic's 25 articles (the JSON-lines reader, titles, sources
and dates kept); each output is cut to 250 words and scored by ROUGE-2 and ROUGE-SU4
*recall* against the topic's four human summaries, as NIST scored DUC 2007
(``ROUGE-1.5.5 -n 4 -2 4 -u -m -f A``, jackknifed): lower-cased, non-alphanumerics
dropped, Porter stems (rouge-score's tokenizer), stop words kept; for each of the four
sets of three references, matches summed over the three and divided by their n-grams
summed, then the four sets averaged.

* ``--focus``: newsbrief is given the topic's ``narrative`` (the question the human
  summaries answer) as ``--focus``; the baselines have no focus and are the same as in
  generic mode.
* Topics are split by ``evaluation.pubdates.part_of`` (36 dev, 9 test): tune on dev,
  report test once.
* ``--check-official``: the scorer itself, checked on the 32 submitted systems'
  summaries against NIST's official per-topic ROUGE-2 (mean absolute difference of the
  system means, and Spearman's rank correlation of the systems).

Systems run in worker processes (``evaluation.summaries.run``; sumy's LexRank takes
about 9 s a topic). Writes ``evaluation/results/duc2007-<part>[-focus].md``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import shlex
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from evaluation.pubdates import part_of
from evaluation.summaries import OK, Cluster, run, source_version
from evaluation.systems import SYSTEMS, SystemFn, cut
from newsbrief.model import Article

__all__ = [
    "ANCHORS",
    "DUC",
    "Topic",
    "check_official",
    "load_topics",
    "main",
    "rouge_recall",
    "score_summary",
    "tokens",
]

REPO = Path(__file__).resolve().parents[1]
DUC = REPO.parent / "shared/data/duc2007/main.jsonl"
OUT = REPO / "evaluation/results"
WORDS = 250
"""NIST cut every DUC 2007 main summary to 250 words before scoring."""
TIMEOUT = 300.0
"""Seconds per system and topic: LexRank and TextRank need up to about 20 s on 25 articles."""
ANCHORS: dict[str, tuple[str, float, float]] = {
    "2": ("NIST CLASSY04 baseline (generic)", 0.0938, 0.1464),
    "15": ("best submitted system (focused)", 0.1245, 0.1771),
    "1": ("NIST lead baseline", 0.0604, 0.1051),
}
"""Official DUC 2007 main scores (ROUGE-2, ROUGE-SU4 recall, all 45 topics; README of the
data): summarizer id -> (what it is, ROUGE-2, ROUGE-SU4)."""
SKIP_GAP = 4
"""ROUGE-SU4: at most four words between the two words of a skip bigram (``-2 4``)."""


@dataclass(frozen=True, slots=True)
class Topic:
    """One DUC 2007 main topic: its articles (as JSON lines), question and references."""

    id: str
    narrative: str
    lines: str
    """The 25 articles, one JSON record a line (text, title, source, url, published, story)."""
    references: tuple[str, ...]
    peers: dict[str, str]
    official_rouge2: dict[str, float]


def load_topics(path: Path = DUC, part: str | None = "dev") -> list[Topic]:
    """The topics of one part (``dev``, ``test``; None: all 45), in file order."""
    out: list[Topic] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            t = json.loads(line)
            if part is not None and part_of(t["id"]) != part:
                continue
            records = [
                json.dumps({k: a[k] for k in ("text", "title", "source", "url", "published")}
                           | {"story": t["id"]})
                for a in t["articles"]
            ]
            out.append(Topic(
                id=t["id"], narrative=" ".join(t["narrative"].split()), lines="\n".join(records),
                references=tuple(t["references"]), peers=dict(t["peers"]),
                official_rouge2={k: float(v) for k, v in t["official_rouge2"].items()},
            ))
    return out


# --------------------------------------------------------------------------- ROUGE


@cache
def _stemmer() -> Any:
    from nltk.stem import porter

    return porter.PorterStemmer()


def tokens(text: str) -> list[str]:
    """ROUGE's tokens: lower case, alphanumeric runs, Porter stems (words over 3 letters)."""
    from rouge_score.tokenize import tokenize

    return list(tokenize(text, _stemmer()))


def _grams(words: Sequence[str], kind: str) -> Counter[tuple[str, ...]]:
    if kind == "rouge2":
        return Counter(itertools.pairwise(words))
    # ROUGE-SU4: skip bigrams with at most SKIP_GAP words between, plus unigrams (-u)
    grams: Counter[tuple[str, ...]] = Counter((w,) for w in words)
    for i, first in enumerate(words):
        for second in words[i + 1 : i + 2 + SKIP_GAP]:
            grams[(first, second)] += 1
    return grams


def rouge_recall(summary: str, references: Sequence[str], kind: str = "rouge2") -> float:
    """Jackknifed ROUGE recall (``rouge2`` or ``rougesu4``) of ``summary``, as ROUGE-1.5.5
    ``-f A``: over each set of all references but one, matched n-grams summed and divided by
    the references' n-grams summed; the sets averaged. One reference: its plain recall."""
    peer = _grams(tokens(summary), kind)
    per_ref = []
    for ref in references:
        grams = _grams(tokens(ref), kind)
        hits = sum(min(n, peer[g]) for g, n in grams.items())
        per_ref.append((hits, sum(grams.values())))
    if len(per_ref) == 1:
        return per_ref[0][0] / max(1, per_ref[0][1])
    scores = []
    for left_out in range(len(per_ref)):
        kept = [p for k, p in enumerate(per_ref) if k != left_out]
        scores.append(sum(h for h, _ in kept) / max(1, sum(c for _, c in kept)))
    return float(np.mean(scores))


def score_summary(summary: Sequence[str], references: Sequence[str]) -> tuple[float, float]:
    """ROUGE-2 and ROUGE-SU4 recall of a summary (its sentences), cut to 250 words first."""
    text = "\n".join(cut(summary, WORDS))
    return rouge_recall(text, references, "rouge2"), rouge_recall(text, references, "rougesu4")


def _spearman(a: Sequence[float], b: Sequence[float]) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def check_official(topics: Sequence[Topic]) -> dict[str, Any]:
    """This scorer on the submitted systems' summaries against NIST's official ROUGE-2:
    per-system means over ``topics``, their mean absolute difference and rank correlation."""
    ours: dict[str, list[float]] = {}
    theirs: dict[str, list[float]] = {}
    for t in topics:
        for peer, text in t.peers.items():
            ours.setdefault(peer, []).append(rouge_recall(
                "\n".join(cut(text.splitlines(), WORDS)), t.references))
            theirs.setdefault(peer, []).append(t.official_rouge2[peer])
    peers = sorted(ours, key=int)
    mine = [float(np.mean(ours[p])) for p in peers]
    official = [float(np.mean(theirs[p])) for p in peers]
    return {
        "systems": len(peers),
        "topics": len(topics),
        "mean_abs_diff": float(np.mean(np.abs(np.array(mine) - np.array(official)))),
        "max_abs_diff": float(np.max(np.abs(np.array(mine) - np.array(official)))),
        "spearman": _spearman(mine, official),
        "per_system": {p: {"ours": m, "official": o}
                       for p, m, o in zip(peers, mine, official, strict=True)},
    }


# --------------------------------------------------------------------------- systems


def _focused(narratives: Mapping[str, str]) -> SystemFn:
    """newsbrief with the topic's narrative as its focus (looked up by the articles' story)."""

    def focused(articles: Sequence[Article], words: int) -> list[str]:
        import newsbrief

        focus = narratives[articles[0].story]
        settings = newsbrief.Settings(words=words, sections=False, focus=focus)
        return [s.text for s in newsbrief.brief(articles, settings=settings).summary]

    return focused


def _clusters(topics: Sequence[Topic]) -> list[Cluster]:
    return [Cluster(t.id, t.id, t.lines, "", sum(len(json.loads(r)["text"].split())
                                                for r in t.lines.splitlines()))
            for t in topics]


@dataclass(frozen=True, slots=True)
class Scores:
    """One system's mean ROUGE-2 and ROUGE-SU4 recall on the topics it finished."""

    system: str
    finished: int
    rouge2: float
    rouge_su4: float
    per_topic: dict[str, tuple[float, float]]


def evaluate(
    topics: Sequence[Topic], systems: Mapping[str, SystemFn], jobs: int = 2,
    progress: Callable[[str], None] | None = None,
) -> list[Scores]:
    """Every system on every topic (worker processes), scored against the references."""
    by_id = {t.id: t for t in topics}
    rows = run(_clusters(topics), systems, words=WORDS, timeout=TIMEOUT, jobs=jobs,
               progress=(lambda r, n, total: progress(f"[{n}/{total}] {r.cluster} {r.system} "
                                                      f"{r.status} {r.seconds:.1f} s"))
               if progress else None)
    per: dict[str, dict[str, tuple[float, float]]] = {name: {} for name in systems}
    for r in rows:
        if r.status == OK:
            per[r.system][r.cluster] = score_summary(r.summary, by_id[r.cluster].references)
        elif progress:
            progress(f"{r.system} on {r.cluster}: {r.status} ({r.error})")
    out = []
    for name, scores in per.items():
        values = list(scores.values())
        out.append(Scores(name, len(values),
                          float(np.mean([v[0] for v in values])) if values else float("nan"),
                          float(np.mean([v[1] for v in values])) if values else float("nan"),
                          scores))
    return out


def markdown(scores: Sequence[Scores], topics: int, part: str, focus: bool, command: str,
             check: dict[str, Any] | None, elapsed: float, version: str) -> str:
    """The results table, the official anchors and the scorer check, as Markdown."""
    mode = "focused (newsbrief given each topic's narrative)" if focus else "generic"
    lines = [
        f"## DUC 2007 main, {part} topics, {mode}",
        "",
        f"`{command}` — {topics} topics, {elapsed / 60:.1f} min; newsbrief {version}.",
        "",
        "| system | topics | ROUGE-2 R | ROUGE-SU4 R |",
        "|---|---:|---:|---:|",
    ]
    for s in sorted(scores, key=lambda s: -s.rouge2):
        lines.append(f"| {s.system} | {s.finished} | {s.rouge2:.4f} | {s.rouge_su4:.4f} |")
    same = (check or {}).get("per_system", {})
    for peer, (what, r2, su4) in ANCHORS.items():
        here = f"{same[peer]['official']:.4f} on these topics; " if peer in same else ""
        lines.append(f"| *{what}, id {peer} (official: {here}all 45 topics)* | 45 | {r2:.4f} | "
                     f"{su4:.4f} |")
    lines += [
        "",
        f"- Recall × 1 against the 4 human summaries (jackknifed, stemmed, stop words kept); "
        f"every output cut to {WORDS} words. Lead, LexRank and TextRank have no focus.",
    ]
    if check:
        lines.append(
            f"- Scorer check on the {check['systems']} submitted systems over the same "
            f"{check['topics']} topics: mean |ours − official ROUGE-2| "
            f"{check['mean_abs_diff']:.4f} (largest {check['max_abs_diff']:.4f}), Spearman "
            f"rank correlation {check['spearman']:.3f}.")
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m evaluation.duc2007",
                                description="ROUGE recall on DUC 2007 main topics.")
    p.add_argument("--data", type=Path, default=DUC, help="DUC 2007 main.jsonl")
    p.add_argument("--part", choices=("dev", "test", "all"), default="dev")
    p.add_argument("--focus", action="store_true", help="give newsbrief each topic's narrative")
    p.add_argument("--systems", default=",".join(SYSTEMS), help="comma-separated systems")
    p.add_argument("--jobs", type=int, default=2, help="worker processes")
    p.add_argument("--json", type=Path, default=None, help="also write the scores here")
    p.add_argument("--out", type=Path, default=OUT, help="folder for the Markdown table")
    p.add_argument("--no-check", action="store_true", help="skip the official-score check")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if not args.data.is_file():
        print(f"error: no DUC 2007 data at {args.data}", file=sys.stderr)
        return 2
    topics = load_topics(args.data, None if args.part == "all" else args.part)
    names = [s.strip() for s in args.systems.split(",") if s.strip()]
    unknown = [s for s in names if s not in SYSTEMS]
    if unknown or not names:
        print(f"error: unknown system {unknown} (known: {', '.join(SYSTEMS)})", file=sys.stderr)
        return 2
    systems = {s: SYSTEMS[s] for s in names}
    if args.focus and "newsbrief" in systems:
        systems["newsbrief"] = _focused({t.id: t.narrative for t in topics})
    version = source_version()
    start = time.monotonic()
    scores = evaluate(topics, systems, args.jobs,
                      None if args.quiet else (lambda m: print(m, file=sys.stderr, flush=True)))
    check = None if args.no_check else check_official(topics)
    elapsed = time.monotonic() - start
    command = "python -m evaluation.duc2007 " + shlex.join(
        list(argv) if argv is not None else sys.argv[1:])
    table = markdown(scores, len(topics), args.part, args.focus, command.strip(), check,
                     elapsed, version)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"duc2007-{args.part}{'-focus' if args.focus else ''}.md"
    path.write_text(table, encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps({
            "part": args.part, "focus": args.focus, "topics": [t.id for t in topics],
            "scores": {s.system: {"finished": s.finished, "rouge2": s.rouge2,
                                  "rouge_su4": s.rouge_su4, "per_topic": s.per_topic}
                       for s in scores},
            "check": check,
        }, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
