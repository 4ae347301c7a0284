"""Can each summary sentence be understood by someone who read only the brief up to it?

    python -m evaluation.readability [--set dev100|duc] [--limit N] [--json PATH]

Counts, with spaCy's entity recogniser, the summary sentences that name a person the
brief has not introduced: a PERSON written as one word (a surname, "Spicer said") when no
earlier sentence of the brief (nor an earlier place in the same one) named that person
with more than one word; or a third-person pronoun ("he", "she", "his", "her", outside
quote marks) before any person is named in the brief. Editorial brackets count as the
words they add ("[Sean] Spicer" introduces Sean Spicer).

Two readings of the same summaries: *before*, the summarizer's sentences in its order
(``newsbrief.summarize`` alone, as before issue 12); *after*, the brief as newsbrief writes
it (``newsbrief.account``: ordered, people introduced, pronoun speakers named).

Data: Multi-News dev100 (all 100 stories; report-only) and DUC 2007 main (45 topics of
25 full articles, generic mode), both at 250 words.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from newsbrief.model import Article

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
DEV100 = SHARED / "multinews" / "dev100.jsonl"
DUC = SHARED / "duc2007" / "main.jsonl"

_PRONOUN = re.compile(r"\b(?:he|she|him|her|his|hers)\b", re.I)
_QUOTED = re.compile(r"[“\"][^”\"]*[”\"]")


@dataclass
class Tally:
    sentences: int = 0
    unintroduced: int = 0
    examples: list[str] | None = None

    @property
    def share(self) -> float:
        return self.unintroduced / self.sentences if self.sentences else 0.0


def _surname(name: str) -> str:
    return re.sub(r"[’']s$", "", name.split()[-1]).casefold()


def unintroduced(texts: Sequence[str]) -> list[bool]:
    """For each sentence of one summary, in order: does it need a referent the reader
    does not have?"""
    from newsbrief.nlp import entities

    plain = [t.replace("[", "").replace("]", "") for t in texts]
    known: set[str] = set()
    anyone = False
    out = []
    read = ""  # the brief so far: a surname after a given name there is introduced
    for text, doc in zip(plain, entities(plain), strict=True):
        missing = False
        people = [e for e in doc.ents if e.label_ == "PERSON"]
        outside = _QUOTED.sub(lambda m: " " * len(m.group(0)), text)
        first_person = min((e.start_char for e in people), default=len(text))
        pronoun = _PRONOUN.search(outside)
        if pronoun and not anyone and pronoun.start() < first_person:
            missing = True
        for e in people:
            key = _surname(e.text)
            before = read + " " + text[: e.start_char]
            # "Sean Spicer", or a title that says who ("President Obama", "Pope Francis")
            named = re.search(rf"\b[A-Z][a-z]+\.?\s+{re.escape(e.text.split()[-1])}\b", before)
            if len(e.text.split()) == 1 and key not in known and named is None:
                missing = True
            known.add(key)
            anyone = True
        read += " " + text
        out.append(missing)
    return out


def stories(which: str, limit: int | None) -> Iterator[tuple[str, list[Article]]]:
    from newsbrief.readers.jsonl import read_jsonl

    path = DEV100 if which == "dev100" else DUC
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if limit is not None and n > limit:
                return
            record = json.loads(line)
            if which == "duc":
                articles = [Article(f"a{i}", a.get("source") or "duc", f"{record['id']}/{i}",
                                    a["text"], title=a.get("title"))
                            for i, a in enumerate(record["articles"])]
            else:
                articles, _ = read_jsonl(line, f"{path.name}:{n}")
            yield record["id"], articles


def run(which: str, limit: int | None = None, words: int = 250) -> dict[str, Tally]:
    from newsbrief.pipeline import brief, prepare
    from newsbrief.settings import Settings
    from newsbrief.summarize import summarize

    tallies = {"before": Tally(examples=[]), "after": Tally(examples=[])}
    for sid, articles in stories(which, limit):
        settings = Settings(words=words)
        result, sentences = prepare(articles, settings)
        raw = summarize(sentences, words, result.source_groups, settings.weights)
        told = brief(articles, settings=settings).summary
        for name, summary in (("before", raw), ("after", told)):
            texts = [s.text for s in summary]
            flags = unintroduced(texts)
            t = tallies[name]
            t.sentences += len(texts)
            t.unintroduced += sum(flags)
            if t.examples is not None and len(t.examples) < 15:
                t.examples += [f"{sid}: {x}" for x, f in zip(texts, flags, strict=True) if f][:1]
    return tallies


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evaluation.readability",
                                     description=__doc__.split("\n", 1)[0])
    parser.add_argument("--set", choices=("dev100", "duc"), default="dev100")
    parser.add_argument("--limit", type=int, help="only the first N stories")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    tallies = run(args.set, args.limit)
    print(f"{args.set}: summary sentences that need a referent the reader does not have")
    print("| reading | sentences | unintroduced | share |\n|---|---|---|---|")
    for name, t in tallies.items():
        print(f"| {name} | {t.sentences} | {t.unintroduced} | {t.share:.3f} |")
    for name, t in tallies.items():
        print(f"\n{name}, examples:", file=sys.stderr)
        for x in t.examples or []:
            print(f"  {x[:200]}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps({k: {"sentences": t.sentences,
                                             "unintroduced": t.unintroduced,
                                             "share": t.share} for k, t in tallies.items()},
                                        indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
