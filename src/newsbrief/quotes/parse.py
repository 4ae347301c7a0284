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
from newsbrief.quotes.lexicon import TITLE, is_person_noun, strip_title
from newsbrief.quotes.marks import Unit

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

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
    """Token ranges of runs of proper nouns ("Maj. Adrian J. Rankine-Galloway")."""
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
        runs.append((i, j + 1))
        i = j + 1
    return runs


CONTEXT_TOKENS = 3
"""Tokens on each side of a run of proper nouns that the entity recogniser reads with it. Alone,
"Helen Okafor" is a place to en_core_web_sm and "Marrowfield" a person; with three words
around them ("Helen Okafor, the mayor", "mayor of Marrowfield, said") both come out right.
Chosen for issue 11 on the fixture story and the seeds; about twice the recogniser's work."""


_MAY_SPEAK = frozenset({"nsubj", "nsubjpass", "appos", "conj", "ROOT", "dobj", "attr",
                        "npadvmod", "compound"})
"""Where a run of proper nouns may name a speaker or someone "he" stands for (a subject, an
apposition, the subject after the verb that the parser takes for an object): only these get
the words around them, the rest ("of Marrowfield", "in Syria") are read alone, like a name
already read (the recogniser's cost grows with the words it reads)."""


def _described_as_person(tokens: list[Token], i: int, j: int) -> bool:
    """Whether the text says the run ``tokens[i:j]`` names a person: a title right before it
    ("Mr.", "Sen."), a noun for a person right before it ("spokesman Adrian ...", "Mayor Helen
    Okafor"), or in apposition to it either way ("X, a spokesman", "a spokesman, X")."""
    if i > 0 and (TITLE.match(tokens[i - 1].text) or (
            tokens[i - 1].tag_ in COMMON and is_person_noun(tokens[i - 1].text)
            and i <= tokens[i - 1].head.i < j)):
        return True  # "Mr. Spicer", "spokesman Eric Pahon" (not "addressing reporters White
        # House press secretary Sean Spicer")
    if TITLE.match(tokens[i].text) or is_person_noun(tokens[i].text):
        return j - i > 1  # "Mayor Helen Okafor", "Sen. Rand Paul": the run opens with a role
    root = tokens[j - 1]
    for t in (root, *(c for c in root.children if c.dep_ == "appos")):
        if t is not root and t.tag_ in COMMON and is_person_noun(t.text):
            return True
    return (root.dep_ == "appos" and root.head.tag_ in COMMON
            and is_person_noun(root.head.text))


def mark_people(docs: Iterable[Doc]) -> None:
    """Set ``doc.ents`` to the people named in each parsed doc.

    The recogniser reads each run of proper nouns with a few words around it (not the whole
    sentence), which keeps its cost to a fraction of a full pass. The small model often
    misses ("Adrian Rankine-Galloway, a spokesman" is an organisation to it), so a run is
    also a person where the text describes it as one (``_described_as_person``), and where
    the recogniser found the same name a person elsewhere in the cluster more often than
    it found it something else.
    """
    docs = list(docs)
    # doc, the window's text, the run's start and end in the doc's text, the window's
    # start, whether the text describes the run as a person
    runs: list[tuple[Doc, str, int, int, int, bool]] = []
    for doc in docs:
        text = doc.text  # joins every token anew on each read: once per doc
        tokens = list(doc)
        for i, j in _proper_runs(doc):
            context = CONTEXT_TOKENS if tokens[j - 1].dep_ in _MAY_SPEAK else 0
            wi, wj = max(0, i - context), min(len(tokens), j + context)
            ws = tokens[wi].idx
            we = tokens[wj - 1].idx + len(tokens[wj - 1])
            rs, re_ = tokens[i].idx, tokens[j - 1].idx + len(tokens[j - 1])
            runs.append((doc, text[ws:we], rs, re_, ws, _described_as_person(tokens, i, j)))
    unique = list(dict.fromkeys(window for _, window, *_ in runs))
    found_in: dict[str, list[tuple[int, int, bool]]] = {}
    for window, found in zip(unique, nlp.entities(unique), strict=True):
        found_in[window] = [(e.start_char, e.end_char, e.label_ == "PERSON") for e in found.ents]
    # people inside each run, as offsets into the doc's text; the votes for each name
    people: list[tuple[Doc, str, int, int, list[tuple[int, int]], bool]] = []
    votes: dict[str, list[int]] = {}  # name -> [person, something else]
    for doc, window, rs, re_, ws, described in runs:
        ents = [(max(ws + a, rs), min(ws + b, re_), person) for a, b, person in found_in[window]
                if ws + a < re_ and ws + b > rs]
        inside = [(a, b) for a, b, person in ents if person]
        bare = doc.text[rs:re_]
        vote = votes.setdefault(_name_key(bare), [0, 0])
        vote[0] += bool(inside) or described
        vote[1] += bool(ents) and not inside and not described
        people.append((doc, bare, rs, re_, inside, described))
    # a surname alone ("Spicer", "Mr. Spicer") is a person where the cluster names him in full
    surnames = {
        doc.text[a:b].split()[-1] for doc, _, _, _, inside, _ in people for a, b in inside
        if len(doc.text[a:b].split()) > 1
    }
    spans: dict[int, list[Span]] = {}
    for doc, bare, _, re_, inside, described in people:
        words = strip_title(bare.split())
        if not inside and words:
            person, other = votes[_name_key(bare)]
            if described or person > other or (
                    len(words) == 1 and words[0] in surnames):
                inside = [(re_ - len(" ".join(words)), re_)]
        for a, b in inside:
            span = doc.char_span(a, b, label="PERSON", alignment_mode="expand")
            if span is not None:
                spans.setdefault(id(doc), []).append(span)
    for doc in docs:
        doc.ents = nlp.filter_spans(spans.get(id(doc), []))


def _name_key(run: str) -> str:
    """A run of proper nouns without its titles: "Mr. Spicer" and "Spicer" are one name."""
    return " ".join(strip_title(run.split()))
