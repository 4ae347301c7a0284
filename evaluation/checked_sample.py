"""The checked sample: 15 dev100 stories read by hand, every shown item labelled.

    python -m evaluation.checked_sample export [--out DIR]  # worksheets of unlabelled items
    python -m evaluation.checked_sample report [--json PATH] [--strict]

The stories are the first 15 of dev100 in sha256(id) order that no file of the repository
named while the code was built (``SAMPLE``; how they were picked is in docs/accuracy.md).
Each story is briefed with the default settings (250 words, every section) and every item
a reader sees in the Markdown brief is one labelled item:

* **quote** (the first ``MAX_QUOTES``): ``right``, ``wrong_speaker``, ``wrong_content``,
  ``not_quote``;
* **dispute** (claim/denial) and **conflict** (figures or dates that differ): ``real`` or
  ``false``;
* **citation**: a summary sentence citing an article other than its own, with the sentence
  of that article that supports it: ``supporting``, ``conflicting`` (it gives another
  number, name, date or polarity), ``unsupported`` (it does not state the fact);
* **timeline** event (as shown: the first ``MAX_DATES`` dates): ``right`` or ``wrong``.

Labels live in ``evaluation/checked_sample/<story>.json``, keyed by a hash of what the
item says (speaker and words, claim and sides, sentence and cited sentence, date and
event), so an item that a later version shows unchanged keeps its label, and one that
changes (another speaker, another date) is unlabelled until someone reads it. Each file
also lists the story's real disagreements between outlets (``missed``) with strings that
a dispute showing it must contain; the report counts those no dispute or conflict shows.
The rules for each label are in docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEV100 = REPO.parent / "shared" / "data" / "multinews" / "dev100.jsonl"
LABELS = REPO / "evaluation" / "checked_sample"
"""Labels of each set in a folder of its own: ``test/<story>.json``, ``dev/<story>.json``."""

SAMPLE = (
    # First 15 dev100 ids in sha256(id) order not named anywhere in the repository on
    # 2026-11-27 (src, tests, evaluation, docs, benchmarks; the per-cluster score table
    # aside): stories not looked at while building. pick_sample(exclude=those 32) gives it.
    "multinews_278", "multinews_959", "multinews_2465", "multinews_292", "multinews_5441",
    "multinews_806", "multinews_3550", "multinews_4287", "multinews_2893", "multinews_2798",
    "multinews_1406", "multinews_2166", "multinews_3553", "multinews_5388", "multinews_992",
)

DEV_SAMPLE = (
    # The next 15 in the same order: a development part, labelled to find and fix causes
    # of error; SAMPLE (the test part) is only counted.
    "multinews_2330", "multinews_3485", "multinews_5244", "multinews_2194", "multinews_144",
    "multinews_2119", "multinews_5187", "multinews_2728", "multinews_2956", "multinews_3104",
    "multinews_3397", "multinews_1773", "multinews_694", "multinews_1673", "multinews_4539",
)
SETS = {"test": SAMPLE, "dev": DEV_SAMPLE}

LABEL_SETS: dict[str, tuple[str, ...]] = {
    "quote": ("right", "wrong_speaker", "wrong_content", "not_quote"),
    "dispute": ("real", "false"),
    "conflict": ("real", "false"),
    "citation": ("supporting", "conflicting", "unsupported"),
    "timeline": ("right", "wrong"),
}


@dataclass(frozen=True)
class Item:
    """One thing a reader sees in a brief, to be labelled."""

    story: str
    kind: str
    key: str
    shown: str
    """What the brief shows, in one line."""
    context: tuple[str, ...]
    """Sentences of the articles it rests on (article id: sentence)."""
    search: str
    """Text searched for missed disagreements (disputes and conflicts only)."""


def _key(kind: str, *parts: object) -> str:
    digest = hashlib.sha1(json.dumps([kind, *parts], ensure_ascii=False).encode()).hexdigest()
    return f"{kind}:{digest[:12]}"


def pick_sample(path: Path = DEV100, exclude: frozenset[str] = frozenset(), n: int = 15
                ) -> list[str]:
    """The first ``n`` ids in sha256 order outside ``exclude`` (how SAMPLE was made)."""
    ids = [json.loads(line)["id"] for line in path.open(encoding="utf-8") if line.strip()]
    ids.sort(key=lambda i: hashlib.sha256(i.encode()).hexdigest())
    return [i for i in ids if i not in exclude][:n]


def _brief(record_line: str, origin: str) -> Any:
    from newsbrief.pipeline import brief
    from newsbrief.readers.jsonl import read_jsonl

    articles, _ = read_jsonl(record_line, origin)
    return brief(articles)


def items(story: str, b: Any) -> Iterator[Item]:
    """Every labelled item the Markdown brief shows, in its order."""
    from newsbrief.render import markdown

    max_quotes = getattr(markdown, "MAX_QUOTES", 12)
    max_dates = getattr(markdown, "MAX_DATES", 15)
    per_date = getattr(markdown, "EVENTS_PER_DATE", 3)
    sents = {s.id: s for s in _sentences(b)}

    for q in b.quotes[:max_quotes]:
        ctx = tuple(f"{r.article_id}: {r.sentence}" for r in q.reports)
        yield Item(story, "quote", _key("quote", q.speaker, q.role, q.text),
                   f"{q.speaker}{f' ({q.role})' if q.role else ''} [{q.kind}] "
                   f"{q.cue or 'said'}: {q.text}",
                   ctx, "")
    for c in getattr(b, "conflicts", []):
        values = "; ".join(f"{v} {list(ids)}" for v, ids in c.values)
        ctx = tuple(f"{r.article_id}: {r.sentence}" for r in c.reports)
        yield Item(story, "conflict",
                   _key("conflict", c.what, [v for v, _ in c.values]),
                   f"figures differ ({c.what}): {values}", ctx,
                   " ".join([c.what, values, *ctx]))
    for d in b.disputes:
        sides = [[st.speaker for st in d.claimed_by], [st.speaker for st in d.denied_by]]
        ctx = tuple(f"{label} {st.speaker} {s.article_id}: {s.sentence}"
                    for label, stances in (("claimed by", d.claimed_by),
                                           ("denied by", d.denied_by))
                    for st in stances for s in st.statements)
        yield Item(story, "dispute", _key("dispute", d.claim, sides),
                   f"claim: {d.claim} | claimed by {sides[0]} | denied by {sides[1]}", ctx,
                   " ".join([d.claim, *ctx]))
    for s in b.summary:
        own = s.sentence.article_id
        for sup in s.support:
            if sup.article_id == own:
                continue
            cited = sents.get(sup.sentence_id)
            cited_text = cited.text if cited is not None else sup.sentence_id
            yield Item(story, "citation",
                       _key("citation", s.text, sup.article_id, cited_text),
                       f"{own}: {s.text}", (f"{sup.article_id}: {cited_text}",), "")
    dates: dict[str, int] = {}
    for ev in b.timeline:
        label = ev.label if hasattr(ev, "label") else str(ev.date)
        if label not in dates and len(dates) >= max_dates:
            continue
        if dates.get(label, 0) >= per_date:
            continue
        dates[label] = dates.get(label, 0) + 1
        m = ev.mentions[0]
        yield Item(story, "timeline",
                   _key("timeline", ev.date.isoformat(), ev.granularity, ev.text),
                   f"{label} ({m.expression!r}, {m.basis}): {ev.text}",
                   tuple(f"{x.article_id}: {x.sentence}" for x in ev.mentions[:3]), "")


def _sentences(b: Any) -> list[Any]:
    from newsbrief.sentences import split_sentences

    return list(split_sentences(b.articles))


def load_labels(story: str, folder: Path = LABELS / "test") -> dict[str, Any]:
    path = folder / f"{story}.json"
    if not path.exists():
        return {"story": story, "items": {}, "missed": []}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    for key, entry in data.get("items", {}).items():
        kind = key.split(":", 1)[0]
        if entry.get("label") not in LABEL_SETS.get(kind, ()):
            raise ValueError(f"{path}: {key}: label {entry.get('label')!r} is not one of "
                             f"{LABEL_SETS.get(kind)}")
    return data


def briefed(stories: Sequence[str], path: Path = DEV100) -> Iterator[tuple[str, Any]]:
    want = set(stories)
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            sid = json.loads(line)["id"]
            if sid in want:
                yield sid, _brief(line, f"{path.name}:{n}")


def _shown(entry: dict[str, Any], texts: Sequence[str]) -> bool:
    needles = [m.lower() for m in entry["match"]]
    return any(all(n in t.lower() for n in needles) for t in texts)


def tally(stories: Sequence[str] = SAMPLE, folder: Path = LABELS / "test",
          path: Path = DEV100) -> tuple[dict[str, Counter[str]], list[Item], dict[str, int]]:
    """Labels of every shown item by kind, the unlabelled items, and missed disagreements."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in LABEL_SETS}
    unlabelled: list[Item] = []
    missed = {"listed": 0, "missed": 0}
    for sid, b in briefed(stories, path):
        labels = load_labels(sid, folder)
        found = list(items(sid, b))
        for it in found:
            entry = labels["items"].get(it.key)
            if entry is None:
                unlabelled.append(it)
            else:
                counts[it.kind][entry["label"]] += 1
        searched = [it.search for it in found if it.search]
        for entry in labels.get("missed", []):
            missed["listed"] += 1
            missed["missed"] += not _shown(entry, searched)
    return counts, unlabelled, missed


def summary(counts: dict[str, Counter[str]], missed: dict[str, int], stories: int
            ) -> dict[str, float]:
    """The issue's four measures (share right, real, ...), and the counts behind them."""
    def share(c: Counter[str], good: tuple[str, ...]) -> float:
        total = sum(c.values())
        return sum(c[g] for g in good) / total if total else 1.0

    shown_disputes = counts["dispute"] + counts["conflict"]
    return {
        "quotes_right": share(counts["quote"], ("right",)),
        "disputes_real": share(shown_disputes, ("real",)),
        "missed_per_5_stories": 5 * missed["missed"] / stories if stories else 0.0,
        "citations_conflicting": float(counts["citation"]["conflicting"]),
        "citations_supporting": share(counts["citation"], ("supporting",)),
        "timeline_right": share(counts["timeline"], ("right",)),
    }


def gate_values(path: Path = DEV100) -> dict[str, float]:
    """The gate's numbers for both parts: shares right among the labelled items, the share
    of items labelled (a change that shows new items lowers it until they are read), and the
    share of the listed real disagreements the briefs show."""
    out: dict[str, float] = {}
    for name, stories in SETS.items():
        counts, unlabelled, missed = tally(stories, LABELS / name, path)
        s = summary(counts, missed, len(stories))
        labelled = sum(sum(c.values()) for c in counts.values())
        cites = sum(counts["citation"].values())
        out |= {
            f"checked.{name}_quotes_right": s["quotes_right"],
            f"checked.{name}_disputes_real": s["disputes_real"],
            f"checked.{name}_citations_not_conflicting":
                1.0 - counts["citation"]["conflicting"] / cites if cites else 1.0,
            f"checked.{name}_timeline_right": s["timeline_right"],
            f"checked.{name}_disagreements_shown":
                1.0 - missed["missed"] / missed["listed"] if missed["listed"] else 1.0,
            f"checked.{name}_labelled": labelled / (labelled + len(unlabelled))
            if labelled + len(unlabelled) else 1.0,
        }
    return out


def export(out: Path, stories: Sequence[str] = SAMPLE, folder: Path = LABELS / "test") -> int:
    """Write one worksheet per story with every item and its label (or none yet)."""
    out.mkdir(parents=True, exist_ok=True)
    todo = 0
    for sid, b in briefed(stories):
        labels = load_labels(sid, folder)
        rows = []
        for it in items(sid, b):
            entry = labels["items"].get(it.key)
            todo += entry is None
            rows.append({"key": it.key, "kind": it.kind, "shown": it.shown,
                         "context": list(it.context),
                         "label": None if entry is None else entry["label"]})
        sources = {a.article.id: a.article.source for a in b.articles}
        sheet = {"story": sid, "articles": sources, "items": rows,
                 "missed": labels.get("missed", [])}
        (out / f"{sid}.json").write_text(json.dumps(sheet, indent=1, ensure_ascii=False),
                                         encoding="utf-8")
    print(f"{todo} unlabelled items; worksheets in {out}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.checked_sample",
                                     description=__doc__.split("\n", 1)[0])
    sub = parser.add_subparsers(dest="cmd", required=True)
    ex = sub.add_parser("export", help="worksheets of every shown item")
    ex.add_argument("--out", type=Path, default=REPO / "out" / "checked_sample")
    rep = sub.add_parser("report", help="the counts")
    rep.add_argument("--json", type=Path)
    rep.add_argument("--strict", action="store_true", help="exit 1 when an item is unlabelled")
    for p in (ex, rep):
        p.add_argument("--set", choices=sorted(SETS), default="test",
                       help="test: the checked sample (default); dev: the part to tune on")
    args = parser.parse_args(argv)
    stories, folder = SETS[args.set], LABELS / args.set
    if args.cmd == "export":
        return export(args.out / args.set, stories, folder)
    counts, unlabelled, missed = tally(stories, folder)
    result = summary(counts, missed, len(stories))
    for kind, c in counts.items():
        total = sum(c.values())
        print(f"{kind:9} {total:4}  " + "  ".join(f"{k} {c[k]}" for k in LABEL_SETS[kind]))
    print(f"missed    {missed['missed']} of {missed['listed']} real disagreements listed")
    for name, value in result.items():
        print(f"{name:22} {value:.3f}")
    print(f"unlabelled {len(unlabelled)}")
    for it in unlabelled[:20]:
        print(f"  {it.story} {it.key} {it.shown[:100]}")
    if args.json:
        args.json.write_text(json.dumps({"summary": result, "counts": {
            k: dict(c) for k, c in counts.items()}, "missed": missed,
            "unlabelled": len(unlabelled)}, indent=1), encoding="utf-8")
    return 1 if args.strict and unlabelled else 0


if __name__ == "__main__":
    raise SystemExit(main())
