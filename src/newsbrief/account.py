"""One readable account: the summary in the order a story is told, every person introduced.

The summarizer chooses sentences from many articles; read in a row they must make sense to
someone who has read nothing else. Three changes, none of which adds a word the articles do
not hold:

1. *Order*: what happened first (sentences from the top of their articles, the ledes),
   then the rest of what happened or was said, then quotes, then background (what came
   before: "last year", "had been", "previously"); within each part, the summary's own
   order (positions in the articles, the most salient first). Quotes go between the other
   sentences, at most ``MAX_QUOTES_IN_A_ROW`` in a row while other sentences last.
2. *Names*: a person first named in the summary by surname alone ("Spicer said") gets the
   given name the articles use, in editorial brackets ("[Sean] Spicer said"), when the
   articles give that surname exactly one given name (two Obamas: left as written) and the
   entity recogniser reads the full name as a person's.
3. *Speakers*: a quote sentence whose speaker is a pronoun ("“…,” he said") gets the name
   the quote stage resolved it to, in brackets ("“…,” [Spicer] said"), when it did.

Brackets are editorial insertions; ``BriefSentence.sentence`` keeps the article's words.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from newsbrief.model import Brief, BriefSentence, CleanArticle
from newsbrief.nlp import entities
from newsbrief.quotes.lexicon import TITLE
from newsbrief.text import stop_words

__all__ = ["MAX_QUOTES_IN_A_ROW", "tell"]

MAX_QUOTES_IN_A_ROW = 2

_BACKGROUND = re.compile(
    r"\b(?:last (?:year|month|week)|earlier this (?:year|month)|previously|in the past|"
    r"had (?:been|long)|years ago|months ago|since (?:19|20)\d\d|first (?:came|began)|"
    r"history|originally)\b", re.I)
_PRONOUN_SPEAKER = re.compile(r"(?<=[,”\"’] )(he|she)(?= (?:said|added|told|says|noted)\b)",
                              re.I)
_NOT_GIVEN = frozenset("""
president secretary senator sen rep representative governor gov mayor judge justice chief
prime minister press the a an mr mrs ms dr gen general lt sgt col officer detective coach
pope king queen prince princess former deputy vice first lady sir dame lord attorney
spokesman spokeswoman director chairman ceo founder host actor actress singer star
""".split())  # noqa: SIM905 (a word list)
"""Capitalised words before a surname that are no given name ("President Trump")."""


_QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")
LEDE_SENTENCES = 2
"""Sentences at the top of an article that tell its event (the lede)."""


def _is_quote(s: BriefSentence) -> bool:
    """A sentence that quotes someone at length (not a word in scare quotes)."""
    return any(len(m.group(1).split()) >= 4 for m in _QUOTED.finditer(s.text))


def _part(s: BriefSentence) -> int:
    """0 the event (an article's lede), 1 what else happened or was said, 2 quotes,
    3 background."""
    if _BACKGROUND.search(s.text):
        return 3
    if _is_quote(s):
        return 2
    return 0 if s.sentence.index < LEDE_SENTENCES else 1


def order(summary: Sequence[BriefSentence]) -> list[BriefSentence]:
    """The ledes, then what else happened with the quotes about it between (at most
    ``MAX_QUOTES_IN_A_ROW`` in a row), then background; each part in the summary's order.
    Quotes left when the other sentences run out close the summary."""
    parts: list[list[BriefSentence]] = [[], [], [], []]
    for s in summary:
        parts[_part(s)].append(s)
    ledes, rest, quotes, background = parts
    out = list(ledes)
    for s in [*rest, *background]:
        if out:  # quotes follow what they are about, never open the summary
            out += quotes[:MAX_QUOTES_IN_A_ROW]
            del quotes[:MAX_QUOTES_IN_A_ROW]
        out.append(s)
    return out + quotes


def given_names(articles: Sequence[CleanArticle], surnames: set[str]) -> dict[str, str]:
    """Surname -> the one given name the articles write before it ("Spicer" -> "Sean");
    surnames written with no given name, or with two, are left out."""
    if not surnames:
        return {}
    pattern = re.compile(
        r"\b([A-Z][a-z]+(?:\s+[A-Z]\.)?)\s+(" + "|".join(map(re.escape, sorted(surnames)))
        + r")\b")
    found: dict[str, Counter[str]] = {}
    for a in articles:
        for m in pattern.finditer(a.text):
            first = m.group(1)
            word = first.split()[0].casefold().rstrip(".")
            if word in _NOT_GIVEN or word in stop_words() or TITLE.match(first):
                continue  # "President Trump", "And Ted"
            found.setdefault(m.group(2), Counter())[first] += 1
    return {name: next(iter(c)) for name, c in found.items() if len(c) == 1}


_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[-’'][A-Z]?[a-z]+)?\b")


def people_named(summary: Sequence[BriefSentence], articles: Sequence[CleanArticle]
                 ) -> dict[str, str]:
    """Surname -> given name, for the capitalised words of the summary that the articles
    write after exactly one given name and that the entity recogniser reads, so written,
    as a person ("Sean Spicer": yes; "New York": no)."""
    words = {w for s in summary for w in _CAPITALISED.findall(s.text)
             if w.casefold() not in stop_words()}
    given = given_names(articles, words)
    if not given:
        return {}
    full = [f"{first} {last}" for last, first in given.items()]
    persons = {name for name, doc in zip(full, entities(full), strict=True)
               if any(e.label_ == "PERSON" and e.text == name for e in doc.ents)}
    return {last: first for last, first in given.items() if f"{first} {last}" in persons}


def introduce(summary: Sequence[BriefSentence], articles: Sequence[CleanArticle],
              speakers: dict[str, str]) -> list[BriefSentence]:
    """Give a person first named by surname alone the given name, and a pronoun speaker the
    name the quote stage found (``speakers``: sentence id -> resolved speaker)."""
    given = people_named(summary, articles)
    read = ""
    out = []
    for s in summary:
        text = s.text
        speaker = speakers.get(s.sentence.id)
        m = _PRONOUN_SPEAKER.search(text)
        if speaker and m:
            last = speaker.split()[-1]
            shown = last if re.search(rf"\b{re.escape(last)}\b", read) else speaker
            text = f"{text[: m.start()]}[{shown}]{text[m.end():]}"
        for last, first in given.items():
            alone = re.search(rf"(?<![\w\]])(?<!{re.escape(first)} ){re.escape(last)}\b", text)
            if alone is None or re.search(rf"\b{re.escape(last)}\b", read):
                continue  # not in this sentence, or named before
            if re.search(rf"\b{re.escape(first)}\s+{re.escape(last)}\b", text[: alone.start()]):
                continue
            text = f"{text[: alone.start()]}[{first}] {text[alone.start():]}"
        read += " " + text
        out.append(s if text == s.text else replace(s, text=text))
    return out


def tell(brief: Brief) -> None:
    """Order the brief's summary as a story is told and introduce its people (in place)."""
    if not brief.summary:
        return
    speakers = {r.sentence_id: r.speaker for q in brief.quotes for r in q.reports
                if r.speaker and r.speaker_text.strip().casefold() in ("he", "she")}
    brief.summary = introduce(order(brief.summary), brief.articles, speakers)
