"""The brief's headline: the most representative real headline among the articles, else the
lede's main clause, short.

1. *Candidates*: each article's title (its metadata title, else the headline line that
   cleaning found), tidied (a column label before a colon such as "COMMENTARY:", a part
   marker such as "(2)", a site name after " | ") and set in headline case when it is in
   capitals. A title that is not a headline is left out, with its kind
   (``headline_problem``): a *label or credit* (a section label such as "World", a photo
   credit, a byline, a date line, a file name, a URL), a *sub-headline* (of a line found
   in the text: a deck with a semicolon, a line that starts in lower case, a long one that
   ends with a full stop, a sentence of the body), *cut off* (ends on "of", "the", a
   possessive: the wire wrapped it) or *too long*.
2. *Representativeness*: each word stem of the story weighs what three counts agree on:
   the share of independent sources (``Brief.source_groups``) whose text has it, whether
   the summary has it, and the share of the other sources' headlines that have it (what
   several outlets put in their headlines). A headline scores the summed weight of its stems over
   their number plus ``LENGTH_SMOOTHING``, so its words must be the story's words, and
   "With Euro" does not beat a headline that says what happened.
3. *Fallback*: when no article has a headline that scores ``MIN_REPRESENTATIVE``, the
   main clause of the lede: of the summary's lede sentences (the first two of their
   articles) the most salient, without quotes where one is; its dateline and attribution
   taken off ("X said that ..."), its subordinate, relative and appositive clauses, second
   predicates and short time phrases dropped (spaCy's parse, ``newsbrief.nlp``; a clause
   of when or why stays in a very short one), then its trailing phrases until it is at
   most ``MAX_CLAUSE_WORDS`` words. A clause that opens on a pronoun or ends on "said" is
   not given; the next sentence is tried.

Deterministic: no model is trained or downloaded; ties go to the earlier article.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from newsbrief.model import BriefSentence, CleanArticle
from newsbrief.text import LETTER_WORD, stemmed_terms

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "MAX_CLAUSE_WORDS",
    "MAX_HEADLINE_WORDS",
    "MIN_REPRESENTATIVE",
    "Kind",
    "choose_headline",
    "headline_candidates",
    "headline_problem",
    "lede_clause",
    "representativeness",
    "tidy",
]

MAX_HEADLINE_WORDS = 20
"""Longest real headline, in words: of the 808 titles of the DUC 2007 development topics
3 are longer than 14 words and 1 longer than 18 (23 words); a longer line is a sentence
of the body."""
MIN_DECK_WORDS = 12
"""A line found in the text that ends with a full stop and has this many words is a deck
or a sentence of the body ("The new White House press secretary deferred to the Pentagon
but left the door open for future collaboration."); shorter ones are headlines that end
with a full stop, which a few outlets write."""
MIN_HEADLINE_WORDS = 3
"""Fewer words is a label ("World", "URGENT", "With Euro"), not a headline."""
MAX_CLAUSE_WORDS = 12
"""Longest lede clause given as a headline: a headline's length (see above)."""
MIN_CLAUSE_WORDS = 4
"""Shortening a clause stops before it leaves fewer words than this."""
LENGTH_SMOOTHING = 2.0
"""Added to a headline's number of stems before dividing its summed weight: a two-stem
headline with perfect words then scores 0.5, an eight-stem one 0.8. On the DUC 2007
development topics (share of the human topic title's stems in the chosen headline) 1, 2, 3
and 5 gave 0.51, 0.50, 0.50 and 0.47: a plateau. Leaving out any one of the three counts
of ``representativeness`` gave 0.40-0.48."""
LEDE_SENTENCES = 1
"""Index of the last sentence of an article that counts as its lede (from 0): the first
two, as a dateline or a one-line scene-setter often comes first."""
MIN_REPRESENTATIVE = 0.25
"""Lowest score of a headline given as the brief's title; under it the lede's clause is
given. Measured on the DUC 2007 development topics: every topic's best headline scores at
least 0.42 (median 0.56), while 17% of all their headlines score under 0.25. With their
titles taken out, cleaning takes a line for a headline in most topics; 4 of the 36 keep
one ("Japan Marks Subway Nerve Gas Attack", the only one of the balloon-flight topic,
does not)."""


class Kind:
    """Why a title is not a headline, as the evaluation counts it."""

    NONE = "none"
    SUBHEADLINE = "sub-headline"
    LABEL = "label/credit"
    TOO_LONG = "too long"
    CUT_OFF = "cut off"


_COLUMN_LABEL = re.compile(
    r"^(?:[A-Z][A-Za-z&()]*\s+){0,2}(?:column|commentary|editorial|analysis|opinion|review|"
    r"exclusive|breaking(?: news)?|update[d]?|watch|video|photos?|live|urgent|news analysis|"
    r"op-ed|letters?)\s*:\s+",
    re.I,
)
"""A column or genre label before the headline: "COMMENTARY: Staring at Hatred",
"EDUCATION COLUMN: Emphasis on Scores"."""
_PART_MARKER = re.compile(r"\s*\((?:\d+|part \d+|update \d+|corrected|updated)\)\s*$", re.I)
"""A wire part or correction marker at the end: "... Waste and Pollution (2)"."""
_BAR = re.compile(r"\s+[|·•]\s+")
"""What separates a page title's parts: "Opinion | Republicans Are Following Trump",
"Trump open to strikes | The New Arab"."""

_URL = re.compile(r"https?://|www\.|\.(?:com|org|net|co\.uk|html?)\b", re.I)
_FILE_NAME = re.compile(
    r"\.(?:jpe?g|png|gif|webp|mp[34]|pdf|txt|json|xml|php|aspx?)$|^[\w-]*\d[\w-]*_[\w-]+$|"
    r"^[\w-]*_[\w-]*\d[\w-]*$",
    re.I,
)
_CREDIT = re.compile(
    r"\b(?:getty images|ap photo|reuters/|afp/|epa/|shutterstock|photo credit|image credit|"
    r"file (?:photo|pic)|courtesy of)\b|©|\(c\)|^(?:photo|image|picture|pic)s?\b|"
    r"^(?:(?:photo|image) )?credits?:|"
    r"\[(?:AFP|AP|Reuters|Getty(?: Images)?|EPA)\]$|\bphoto(?:graph)?:|"
    r", (?:left|right|center|centre),",
    re.I,
)
_BYLINE = re.compile(
    r"^(?:by|posted by|written by|reporting by|updated|published|posted|last updated)\b", re.I
)
_DATE_LINE = re.compile(
    r"\b\d{1,2}[:/.]\d{2}\b|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"\s+\d{1,2}\b|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|"
    r"\b(?:19|20)\d{2}\b|\b(?:min|minute)s? read\b",
    re.I,
)
_FURNITURE_WORDS = frozenset({
    "news", "world", "politics", "business", "sport", "sports", "opinion", "editorial",
    "commentary", "analysis", "review", "week", "today", "latest", "breaking", "update",
    "updates", "urgent", "live", "video", "videos", "photo", "photos", "gallery", "home",
    "top", "stories", "story", "briefs", "brief", "digest", "roundup", "notes", "letters",
    "column", "entertainment", "health", "science", "tech", "technology", "local", "national",
    "international", "us", "uk", "u.s", "more", "advertisement", "related", "share", "menu",
})
"""Words of section labels and column names: a title made only of these ("News of the
Week in Review", "Breaking News") is newsroom furniture, not a headline."""
_CUT_OFF_ENDINGS = frozenset({
    "a", "an", "the", "of", "for", "to", "with", "against", "and", "or", "from", "at", "as",
    "into", "than", "between", "its", "their", "his", "her", "our", "your", "that", "which",
})
"""A headline never ends on one of these; a wire headline wrapped at its line end does
("Amnesty International Launches Campaign Against")."""
_SMALL_WORDS = frozenset({
    "a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "but", "with", "by",
    "as", "from", "into", "vs", "via",
})
"""Words that headline case leaves in lower case, except first."""
_QUOTES = "\"“”‘’'`"


def tidy(title: str, source: str = "") -> str:
    """The title without column label, part marker, section label or site name: of the
    parts between bars the longest that is not the outlet's name, and no " - Outlet" at
    the end."""
    text = " ".join(title.split())
    text = _PART_MARKER.sub("", text)
    parts = [p for p in _BAR.split(text) if p.casefold() != source.casefold()]
    text = max(parts, key=lambda p: len(p.split())) if parts else text  # not label or site
    if source:
        for suffix in (f"{dash}{the}{source}".casefold() for dash in (" - ", " – ", " — ")
                       for the in ("", "the ")):
            if text.casefold().endswith(suffix) and len(text) > len(suffix):
                text = text[: -len(suffix)]
    label = _COLUMN_LABEL.match(text)
    if label and len(text) - label.end() > 10:
        text = text[label.end():]
    return text.strip()


def headline_problem(title: str, found_in_text: bool = True) -> str | None:
    """Why ``title`` (tidied) is not a headline (a ``Kind``), or None when it is one.

    A deck is told by its form (a semicolon, a lower-case start, a long sentence with a
    full stop) only in a line ``found_in_text``: an outlet's own metadata title may end
    with a full stop or hold a semicolon ("Economy in stress and markets on a high; time
    to be careful?"), the line under the headline in a page's text is its deck.
    """
    text = title.strip()
    if not text:
        return Kind.NONE
    words = text.split()
    letters = LETTER_WORD.findall(text)
    if (_URL.search(text) or _FILE_NAME.search(text) or _CREDIT.search(text)
            or _BYLINE.match(text) or len(letters) < MIN_HEADLINE_WORDS
            or (text[0] in "([" and text[-1] in ")]")):  # "(Distributed by ...)": a note
        return Kind.LABEL
    if len(LETTER_WORD.findall(_DATE_LINE.sub(" ", text))) < MIN_HEADLINE_WORDS:
        return Kind.LABEL  # "24/01/2017 22:40 by admin", "2 min read"
    if all(w.casefold().strip(".") in _FURNITURE_WORDS or len(w) <= 3 for w in letters):
        return Kind.LABEL
    first = text.lstrip(_QUOTES + "([")
    sentence = text.rstrip(_QUOTES + ")").endswith(".") and not text.endswith("...")
    quoted = text[0] in _QUOTES + "“" and text[-1] in _QUOTES + "”"  # a pull quote, a work
    if found_in_text and (";" in text or (first and first[0].islower()) or quoted
                          or (sentence and len(words) >= MIN_DECK_WORDS)):
        return Kind.SUBHEADLINE
    if len(words) > MAX_HEADLINE_WORDS:
        return Kind.TOO_LONG
    last = words[-1].casefold().strip(_QUOTES + ",")
    if last in _CUT_OFF_ENDINGS or last.endswith(("'s", "’s", ":")):
        return Kind.CUT_OFF  # "... Campaign Against", "Nominees for major Daytime Emmys:"
    return None


def _recase(title: str, articles: Sequence[CleanArticle]) -> str:
    """An all-capitals title in headline case: each word as the articles spell it most
    often (so "KKK" and "NATO" stay in capitals, "ARYAN" becomes "Aryan"), small words in
    lower case but the first."""
    if any(ch.islower() for ch in title):
        return title
    wanted = {w.lower() for w in LETTER_WORD.findall(title)}
    spellings = Counter(w for a in articles for w in LETTER_WORD.findall(a.text)
                        if w.lower() in wanted)

    def one(match: re.Match[str]) -> str:
        word = match.group()
        lower = word.lower()
        if match.start() > 0 and lower in _SMALL_WORDS:
            return lower
        forms = [(n, f) for f, n in spellings.items() if f.lower() == lower]
        best = max(forms)[1] if forms else lower
        if best.isupper() and len(best) > 1:
            return best
        return best[0].upper() + best[1:]

    return LETTER_WORD.sub(one, title)


def _is_body_sentence(title: str, article: CleanArticle) -> bool:
    """The title is a sentence of the article's own kept text (a lede or a pull quote that
    cleaning took for the headline), not a headline."""
    return len(title.split()) >= 8 and title.rstrip(". ") in article.text


def _stem_set(text: str) -> set[str]:
    return set(stemmed_terms(text))


def representativeness(
    articles: Sequence[CleanArticle],
    summary: Sequence[BriefSentence],
    groups: Sequence[Sequence[str]],
    headlines: dict[str, str],
) -> dict[str, float]:
    """Each headline's score, by article id (see the module): the summed weight of its
    stems over their number plus ``LENGTH_SMOOTHING``.

    A stem weighs the mean of its share of the sources whose text has it, its presence in
    the summary, and its share of the *other* sources' headlines (a headline does not agree
    with itself; a lone headline is weighed by the first two alone).
    """
    by_id = {a.id: a for a in articles}
    group_of = {i: g for g, members in enumerate(groups) for i in members}
    in_text: Counter[str] = Counter()
    for members in groups:
        in_text.update(set().union(*(_stem_set(by_id[i].text) for i in members if i in by_id)))
    summary_stems = set().union(*(_stem_set(s.text) for s in summary))
    stems_of = {i: _stem_set(h) for i, h in headlines.items()}
    by_group: dict[int, set[str]] = {}
    for i, stems in stems_of.items():
        by_group.setdefault(group_of.get(i, -1), set()).update(stems)
    sources = max(len(groups), 1)
    out: dict[str, float] = {}
    for i, stems in stems_of.items():
        others = [g for key, g in by_group.items() if key != group_of.get(i, -1)]
        total = 0.0
        for stem in stems:
            counts = [in_text[stem] / sources, float(stem in summary_stems)]
            if others:
                counts.append(sum(stem in g for g in others) / len(others))
            total += sum(counts) / len(counts)
        out[i] = total / (len(stems) + LENGTH_SMOOTHING)
    return out


def headline_candidates(articles: Sequence[CleanArticle]) -> dict[str, str]:
    """Each article's tidied title that is a headline, by article id."""
    out: dict[str, str] = {}
    for a in articles:
        if not a.title:
            continue
        text = tidy(a.title, a.source)
        found_in_text = a.title != a.article.title
        if headline_problem(text, found_in_text) is None and not (
                found_in_text and _is_body_sentence(text, a)):
            out[a.id] = text
    return out


def choose_headline(
    articles: Sequence[CleanArticle],
    summary: Sequence[BriefSentence],
    groups: Sequence[Sequence[str]] | None = None,
) -> str | None:
    """The brief's headline: the most representative real headline of the ``articles``,
    else the main clause of the summary's lede, short; None when there is neither.

    ``groups`` are the independent sources (``Brief.source_groups``; each article alone
    when not given).
    """
    groups = groups if groups is not None else [[a.id] for a in articles]
    headlines = headline_candidates(articles)
    if headlines:
        scores = representativeness(articles, summary, groups, headlines)
        order = {a.id: i for i, a in enumerate(articles)}
        best_id = min(headlines, key=lambda i: (-scores[i], order[i]))
        if scores[best_id] >= MIN_REPRESENTATIVE:
            return _recase(headlines[best_id], articles)
    return _lede_headline(summary)


def _lede_headline(summary: Sequence[BriefSentence]) -> str | None:
    """The main clause of the summary's most salient lede sentence (see the module): ledes
    before other sentences, then sentences without quote marks, then statements before
    questions, then the most salient; the first that gives a clause."""
    def rank(s: BriefSentence) -> tuple[bool, bool, bool, float]:
        return (s.sentence.index > LEDE_SENTENCES, any(q in s.text for q in "\"“”"),
                s.text.rstrip().endswith("?"), -s.score)

    ranked = sorted(summary, key=rank)
    for cut in (False, True):  # a clause shortened phrase by phrase, else one cut short
        for s in ranked:
            clause = lede_clause(s.text, cut=cut)
            if clause:
                return clause
    return None


# --- the lede's main clause -----------------------------------------------------------------

_NEWSWIRE_DATELINE = re.compile(
    r"^(?P<place>[A-Z][A-Za-z'’.]+(?:[ -][A-Za-z'’.]+){0,3})"
    r"(?:,\s*(?P<date>[A-Z][a-z]+\.?\s+\d{1,2})|,\s*[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)?"
    r"\s*(?P<agency>\([^)]{1,30}\))?\s*(?:--|_|—|–)\s+"
)
"""The datelines of wire copy that ``summarize.strip_dateline`` leaves on a summary
sentence (with "--" or "_", a date or an agency); see ``_without_dateline``."""
_SPEECH_VERBS = frozenset({
    "say", "tell", "announce", "report", "confirm", "state", "declare", "claim", "add",
    "suggest", "indicate", "reveal", "disclose", "insist", "warn", "note", "write", "explain",
    "acknowledge", "admit", "argue", "believe", "think", "allege", "contend", "find",
})
"""Verbs of attribution: "X said (that) CLAUSE" gives CLAUSE as the headline."""
_SPEECH_FORMS = frozenset({
    "said", "says", "told", "tells", "announced", "reported", "reports", "confirmed", "stated",
    "declared", "claimed", "added", "suggested", "indicated", "revealed", "disclosed",
    "insisted", "warned", "noted", "wrote", "explained", "acknowledged", "admitted", "argued",
    "believes", "believed", "thinks", "alleged", "contends", "contended", "found",
})
_DROPPED = frozenset({
    "advcl", "relcl", "appos", "parataxis", "preconj", "meta", "dep", "intj",
})
"""Dependents a headline leaves out, with everything under them."""
_TIME_WORDS = frozenset({
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tomorrow", "tonight", "week", "weekend", "month", "year", "morning",
    "afternoon", "evening", "night", "day", "days", "weeks", "months", "years", "earlier",
    "later", "now", "recently", "currently", "also", "still", "already", "ago", "here",
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
})
"""Time words: the phrase they head ("on Monday", "last year") leaves a headline."""
MAX_TIME_PHRASE = 4
"""Longest phrase of time that is dropped as such ("earlier this week"); a longer one
carries the news ("21 years after his father won")."""
_SHORTENED = frozenset({"prep", "npadvmod", "advmod", "acl", "agent"})
"""Dependents taken off from the end, last first, while a clause is too long."""
_DANGLING_TAGS = frozenset({"IN", "DT", "CC", "TO", "WDT", "PRP$", "POS", "HYPH", ","})
"""Penn tags of a word a clause cannot end on once a phrase after it was taken off."""
_EVENT_MARKS = frozenset({"after", "before", "because", "as", "when", "since", "following",
                          "while", "until"})
"""Conjunctions of a clause that says when or why something happened."""
ENRICH_BELOW = 7
"""A main clause shorter than this many words keeps its clause of when or why: "The Old
Bridge closed" says less than "The Old Bridge closed after engineers found cracks"."""
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})
_PRONOUN_SUBJECT = frozenset({"it", "he", "she", "they", "we", "i", "you", "this", "that"})


def _clause_head(sentence: Span) -> Token:
    """The verb of the reported clause when the sentence is an attribution ("X said Y")
    whose clause has a subject the reader can place, else the sentence's root."""
    root = sentence.root
    if root.lemma_.lower() in _SPEECH_VERBS or root.text.lower() in _SPEECH_FORMS:
        for child in root.children:
            if child.dep_ == "ccomp":
                subjects = [c for c in child.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subjects and subjects[0].text.lower() not in _PRONOUN_SUBJECT:
                    return child
    return root


def _is_time(token: Token) -> bool:
    """A short phrase of time or place ("on Monday", "last year", "in 1997", "here"), not
    part of a hyphenated word ("week-long") nor a long phrase ("21 years after ...")."""
    if not token.whitespace_ and token.i + 1 < len(token.doc) and token.nbor().text == "-":
        return False
    if sum(1 for _ in token.subtree) > MAX_TIME_PHRASE:
        return False
    return any(t.text.lower() in _TIME_WORDS or (t.like_num and len(t.text) == 4)
               for t in token.subtree if t.dep_ in ("pobj", "npadvmod", "advmod", "nummod")
               or t is token)


def _dropped(child: Token, parent: Token, head: Token, subject_at: int, events: bool) -> bool:
    """Whether the phrase under ``child`` leaves the headline (see the module); with
    ``events``, a clause after the verb that says when or why ("after engineers found
    cracks") stays."""
    dep = child.dep_
    if events and dep == "advcl" and parent is head and child.i > head.i:
        marks = [c.text.lower() for c in child.children if c.dep_ == "mark"]
        if marks and marks[0] in _EVENT_MARKS:
            return False
    if dep == "mark":  # "that" of a reported clause goes; "after" of an event clause stays
        return parent.dep_ != "advcl"
    if dep in _DROPPED or child.text.lower() == "according":  # "according to X"
        return True
    if dep in ("cc", "conj"):  # "..., but didn't outline plans": a second predicate
        return parent.tag_.startswith("VB")
    if dep == "punct":
        return child.text in _QUOTES or child.text in "“”" or parent.tag_.startswith("VB")
    if dep in ("npadvmod", "prep", "advmod") and _is_time(child):
        return parent.text.lower() not in _TIME_WORDS  # "40,000 years ago" goes whole or not
    # "In a significant break from ..., the White House ...": what comes before the subject
    return parent is head and child.i < subject_at and dep in ("prep", "advmod", "npadvmod")


def _kept(head: Token, events: bool = False) -> list[Token]:
    """The clause under ``head`` less its dropped dependents, in sentence order. Of the
    punctuation a comma stays between two kept words beside it ("San Mateo, Calif."), a
    hyphen, dot or apostrophe inside a word ("Rankine-Galloway"), and "&", "%", "$", "/"."""
    subject_at = min((c.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "expl")),
                     default=head.i)
    out: list[Token] = []

    def visit(token: Token) -> None:
        out.append(token)
        for child in token.children:
            if not _dropped(child, token, head, subject_at, events):
                visit(child)

    visit(head)
    kept = {t.i for t in out}
    # a preposition whose object was dropped ("populated Europe between [...] ago") goes too
    for t in sorted(out, key=lambda t: -t.i):
        if t.dep_ in ("prep", "agent") and not any(c.i in kept for c in t.children):
            kept.discard(t.i)
    out = [t for t in out if t.i in kept]

    def stays(t: Token) -> bool:
        if t.tag_ in ("SYM", "NFP", "ADD", "XX"):
            return False  # ">", "•", an e-mail address: page furniture run into the text
        if not t.is_punct or t.text in "&%$/":
            return True
        between = t.i - 1 in kept and t.i + 1 in kept
        glued = between and not t.doc[t.i - 1].whitespace_
        return (t.text == "," and between) or (t.text in "-.'’" and glued)

    return sorted((t for t in out if stays(t)), key=lambda t: t.i)


def _text(tokens: Sequence[Token]) -> str:
    """The tokens as text, spaced as in the sentence; a space where a phrase was dropped."""
    parts: list[str] = []
    for t, after in zip(tokens, [*tokens[1:], None], strict=True):
        parts.append(t.text)
        if after is not None:
            parts.append(t.whitespace_ if after.i == t.i + 1 else " ")
    return "".join(parts).strip()


def _shorten(tokens: list[Token], cut: bool) -> list[Token] | None:
    """Take off dependent phrases (``_SHORTENED``) while the clause is too long.

    A phrase that ends the clause goes first, the outermost that leaves ``ENRICH_BELOW``
    words ("... closed after engineers found cracks [in two of its piers]"), else the
    outermost that leaves ``MIN_CLAUSE_WORDS``; then any phrase, the last first. When that
    is not enough, the clause is cut at ``MAX_CLAUSE_WORDS`` words if ``cut``, else None.
    """
    while _word_count(tokens) > MAX_CLAUSE_WORDS:
        kept = set(tokens)
        last = tokens[-1].i if not tokens[-1].is_punct or len(tokens) < 2 else tokens[-2].i
        options: list[tuple[int, int, list[Token]]] = []
        for token in tokens:
            if token.dep_ not in _SHORTENED or token.head not in kept:
                continue
            sub = set(token.subtree)
            rest = [t for t in tokens if t not in sub]
            left = _word_count(rest)
            if left >= MIN_CLAUSE_WORDS:
                trailing = max(t.i for t in sub if t in kept) >= last
                rank = (0 if left >= ENRICH_BELOW else 1) if trailing else 2
                options.append((rank, -len(sub) if trailing else -token.i, rest))
        if not options:
            return tokens[: _index_of_word(tokens, MAX_CLAUSE_WORDS)] if cut else None
        tokens = min(options, key=lambda o: o[:2])[2]
    return tokens


def _word_count(tokens: Iterable[Token]) -> int:
    return sum(1 for t in tokens if not t.is_punct)


def _index_of_word(tokens: Sequence[Token], n: int) -> int:
    """The index just after the ``n``-th word."""
    seen = 0
    for i, t in enumerate(tokens):
        seen += not t.is_punct
        if seen == n:
            return i + 1
    return len(tokens)


def _without_dateline(sentence: str) -> str:
    """The sentence without a newswire dateline: "WASHINGTON, March 3 (Xinhua) -- ",
    "JERUSALEM (AP) _ ", "COEUR d'ALENE, Idaho _ ". A place followed by a dash is a
    dateline only in capitals, or with an agency or a date ("Donald Trump -- who ..." is
    not one)."""
    m = _NEWSWIRE_DATELINE.match(sentence)
    if m and (m.group("place").split()[0].isupper() or m.group("agency") or m.group("date")):
        return sentence[m.end():]
    return sentence


def lede_clause(sentence: str, cut: bool = False) -> str | None:
    """The main clause of a lede sentence, short: a headline made from it (see the module).

    None when nothing of at least ``MIN_CLAUSE_WORDS`` words is left, when the clause opens
    on a pronoun or ends on its attribution, or when it cannot be shortened to
    ``MAX_CLAUSE_WORDS`` words phrase by phrase and ``cut`` (cut it there) is not asked.
    """
    from newsbrief.nlp import parse

    doc = next(iter(parse([_without_dateline(sentence).replace("[", "").replace("]", "")])))
    sents = list(doc.sents)
    if not sents:
        return None
    head = _clause_head(sents[0])
    if not head.tag_.startswith("VB") or not any(c.dep_ in _SUBJECTS for c in head.children):
        return None  # no clause: a caption, a byline run into the lede, a fragment
    tokens = _kept(head)
    if _word_count(tokens) < ENRICH_BELOW:  # "The Old Bridge closed": say when or why
        tokens = _kept(head, events=True)
    short = _shorten(tokens, cut)
    if short is None:
        return None
    tokens = short
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ in _DANGLING_TAGS):
        tokens = tokens[:-1]
    while tokens and tokens[0].is_punct:
        tokens = tokens[1:]
    if not tokens or tokens[0].text.lower() in _PRONOUN_SUBJECT:
        return None  # "He will continue ...": the reader cannot place him
    if tokens[-1].text.lower() in _SPEECH_FORMS:
        return None  # "..., Spicer added": the attribution of a clause the reader cannot place
    text = _text(tokens)
    if any(q in text for q in "\"“”") and (text.count('"') % 2 or text.count("“") != text.count(
            "”")):
        text = text.replace('"', "").replace("“", "").replace("”", "")
    if _word_count(tokens) < MIN_CLAUSE_WORDS:
        return None
    return text[0].upper() + text[1:]
