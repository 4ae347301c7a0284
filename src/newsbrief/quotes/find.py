"""Who said what in a cluster: the steps of ``find_attributions``, cheapest first.

1. *Quote marks* (``marks``): quoted passages, paired per paragraph.
2. *Units* (``marks``): the repaired sentences of ``split_sentences``, a sentence
   that opens a quote parsed with the one before it.
3. *Parse* (``parse``): only units where a form of a cue verb stands outside quote
   marks go through the parser, and the two units before one whose speaker may be
   a pronoun, for its antecedent; the entity recogniser reads runs of proper nouns.
4. *Attribute* (``attribution``): cue, speaker and content inside each unit; a
   quote that opens a sentence with no cue goes on the previous quote.
5. *Resolve* (``speakers``): speakers become the fullest name the cluster gives.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsbrief.model import Attribution, CleanArticle, Sentence
from newsbrief.quotes.attribution import (
    Found,
    attribute_unit,
    continuations,
    has_cue_outside_quotes,
    one_cue_per_quote,
)
from newsbrief.quotes.lexicon import is_name
from newsbrief.quotes.marks import Unit, article_quotes, text_units
from newsbrief.quotes.parse import mark_people, parse_units
from newsbrief.quotes.speakers import (
    ANTECEDENT_UNITS,
    People,
    collect_roles,
    names_in_text,
    one_spelling,
    resolve,
)

__all__ = ["find_attributions"]

_PRONOUN_SPEAKER = re.compile(r"\b(?:he|she)\b", re.I)


def find_attributions(
    articles: Sequence[CleanArticle], sentences: Sequence[Sentence]
) -> list[Attribution]:
    """Every attributed statement in the articles, speakers resolved across the cluster."""
    units = text_units(articles, sentences)
    by_article: dict[str, list[Unit]] = {}
    for u in units:
        by_article.setdefault(u.article_id, []).append(u)
    sentences_of: dict[str, list[Sentence]] = {}
    for s in sentences:
        sentences_of.setdefault(s.article_id, []).append(s)
    quotes = {a.id: article_quotes(a) for a in articles}
    wanted = [u for u in units if has_cue_outside_quotes(u, quotes[u.article_id])]
    wanted_ids = {(u.article_id, u.start) for u in wanted}
    context: dict[tuple[str, int], Unit] = {}
    for u in wanted:
        if _PRONOUN_SPEAKER.search(u.text):
            for c in by_article[u.article_id][max(0, u.index - ANTECEDENT_UNITS) : u.index]:
                if (c.article_id, c.start) not in wanted_ids:
                    context[(c.article_id, c.start)] = c
    docs = parse_units([*wanted, *context.values()])
    mark_people(docs.values())

    by_id = {a.id: a for a in articles}
    found_by_article: dict[str, list[Found]] = {}
    people = People({}, {})
    for u in units:
        doc = docs.get((u.article_id, u.start))
        if doc is None:
            continue
        for ent in doc.ents:
            if ent.label_ == "PERSON" and is_name(ent.text):
                people.add(ent.text)
        if (u.article_id, u.start) in wanted_ids:
            found_by_article.setdefault(u.article_id, []).extend(
                attribute_unit(u, doc, by_id[u.article_id], quotes[u.article_id])
            )
        collect_roles(doc, people)
    names_in_text(articles, found_by_article, people)
    out: list[Attribution] = []
    for article in articles:
        units_here = by_article.get(article.id, [])
        found = one_cue_per_quote(found_by_article.get(article.id, []))
        found += continuations(units_here, sentences_of.get(article.id, []), article,
                               quotes[article.id], found)
        found.sort(key=lambda f: (f.content[0], f.cue[0]))
        for f in found:
            if f.person:
                people.add(f.person, f.role)
        out += resolve(article, found, units_here, docs, people)
    return one_spelling(out)
