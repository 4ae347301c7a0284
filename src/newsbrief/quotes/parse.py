"""The parse that attribution reads: tags and dependencies of units, people among the names.

Only units that can hold a statement are parsed (``find_attributions`` decides
which), by ``en_core_web_sm``'s tagger and parser (``nlp.parse``). The entity
recogniser does not read whole units (it costs as much as the rest of the
pipeline together): ``mark_people`` runs it on the runs of proper nouns only.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from newsbrief import nlp
from newsbrief.quotes.lexicon import strip_title
from newsbrief.quotes.marks import Unit

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

__all__ = ["COMMON", "NOMINAL", "PROPER", "mark_people", "parse_units"]

# Part-of-speech from the tagger's fine tags: the attribute ruler that maps them
# to coarse ones costs a third of the parse, and the lemmatizer needs it.
PROPER = frozenset({"NNP", "NNPS"})
COMMON = frozenset({"NN", "NNS"})
NOMINAL = PROPER | COMMON


def parse_units(units: Iterable[Unit]) -> dict[tuple[str, int], Doc]:
    """Tag and parse the units; keyed by article id and unit start."""
    todo = list(units)
    if not todo:
        return {}
    # syndicated copies repeat sentences word for word: each text is parsed once (a
    # parse depends on its text alone), and a repeat gets a copy it may mark on its own
    texts = list(dict.fromkeys(u.text for u in todo))
    parsed = dict(zip(texts, nlp.parse(texts), strict=True))
    out: dict[tuple[str, int], Doc] = {}
    given: set[str] = set()
    for u in todo:
        doc = parsed[u.text]
        out[(u.article_id, u.start)] = doc.copy() if u.text in given else doc
        given.add(u.text)
    return out


def _proper_runs(doc: Doc) -> list[tuple[int, int]]:
    """Character spans of runs of proper nouns ("Maj. Adrian J. Rankine-Galloway")."""
    tokens = list(doc)  # one pass: indexing a Doc makes a new Token every time
    tags = [t.tag_ for t in tokens]
    n = len(tokens)
    runs = []
    i = 0
    while i < n:
        if tags[i] not in PROPER:
            i += 1
            continue
        j = i
        while j + 1 < n and (
            tags[j + 1] in PROPER
            or (tokens[j + 1].text in "-." and j + 2 < n and tags[j + 2] in PROPER)
        ):
            j += 1
        runs.append((tokens[i].idx, tokens[j].idx + len(tokens[j])))
        i = j + 1
    return runs


def mark_people(docs: Iterable[Doc]) -> None:
    """Set ``doc.ents`` to the people named in each parsed doc.

    The recogniser reads each run of proper nouns on its own (a few tokens, not
    the whole sentence), which keeps its cost to a fraction of a full pass.
    """
    docs = list(docs)
    runs: list[tuple[Doc, str, int]] = []  # doc, run of proper nouns, where it starts
    for doc in docs:
        text = doc.text  # joins every token anew on each read: once per doc
        runs += [(doc, text[s:e], s) for s, e in _proper_runs(doc)]
    unique = list(dict.fromkeys(run for _, run, _ in runs))
    people: dict[str, list[tuple[int, int]]] = {}
    for text, found in zip(unique, nlp.entities(unique), strict=True):
        people[text] = [(e.start_char, e.end_char) for e in found.ents if e.label_ == "PERSON"]
    # a surname alone ("Spicer", "Mr. Spicer") is a person where the cluster names him in full
    surnames = {
        text[a:b].split()[-1] for text, found in people.items() for a, b in found
        if len(text[a:b].split()) > 1
    }
    for text in unique:
        words = strip_title(text.split())
        if not people[text] and len(words) == 1 and words[0] in surnames:
            people[text] = [(len(text) - len(words[0]), len(text))]
    spans: dict[int, list[Span]] = {}
    for doc, run, s in runs:
        for a, b in people.get(run, ()):
            span = doc.char_span(s + a, s + b, label="PERSON", alignment_mode="expand")
            if span is not None:
                spans.setdefault(id(doc), []).append(span)
    for doc in docs:
        doc.ents = nlp.filter_spans(spans.get(id(doc), []))
