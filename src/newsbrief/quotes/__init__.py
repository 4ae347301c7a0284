"""Who said what: direct and indirect quotes, their speaker and cue, grouped across outlets.

``find_attributions`` finds every attributed statement of a cluster and resolves
its speaker; ``group_quotes`` groups the reports of one statement across outlets.
The modules, in the order the stage runs them:

* ``marks``: quote marks, quoted passages, and the units the parser reads;
* ``parse``: the parse of the units that can hold a statement, and the people named;
* ``attribution``: cue and speaker inside one unit, which quote goes with which cue;
* ``content``: what a cue reports (its clause, a speech act's object, a mixed quote);
* ``speakers``: speakers resolved across the cluster;
* ``find``: the steps above in order (``find_attributions``);
* ``grouping``: one ``Quote`` per statement, across outlets;
* ``lexicon``: the word lists (cue verbs, denials, dismissals, negators, titles), which
  ``disputes`` reads too.
"""

from newsbrief.quotes.find import find_attributions
from newsbrief.quotes.grouping import group_quotes, normalize_text, similarity_matrix
from newsbrief.quotes.lexicon import (
    CUE_LEMMAS,
    DENIAL_LEMMAS,
    DISMISSAL,
    NEGATION,
    NEGATORS,
    speaker_key,
)
from newsbrief.quotes.marks import Unit, quoted_spans, text_units
from newsbrief.quotes.parse import mark_people, parse_units

__all__ = [
    "CUE_LEMMAS",
    "DENIAL_LEMMAS",
    "DISMISSAL",
    "NEGATION",
    "NEGATORS",
    "Unit",
    "find_attributions",
    "group_quotes",
    "mark_people",
    "normalize_text",
    "parse_units",
    "quoted_spans",
    "similarity_matrix",
    "speaker_key",
    "text_units",
]
