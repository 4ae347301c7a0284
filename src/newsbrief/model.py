"""The small typed records that every stage shares.

Data flows one way: ``Article`` (read) -> ``CleanArticle`` (clean) ->
``Copy`` / syndication (find copies) -> ``BriefSentence`` (select and cite) ->
``Brief`` (render). Offsets are always character offsets into a named text:
``Removed`` spans point into ``Article.text`` (what the user gave), ``Sentence``
spans point into ``CleanArticle.text``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from newsbrief.text import UnionFind


@dataclass(frozen=True, slots=True)
class Article:
    """One article as read from the user's input, before any cleaning."""

    id: str
    """Stable id within one brief: ``a0``, ``a1``, ... in input order."""
    source: str
    """Outlet name: from metadata, else the URL's domain, else the file name."""
    origin: str
    """Where it was read from: a path, or ``path:line`` for JSON lines."""
    text: str
    title: str | None = None
    url: str | None = None
    author: str | None = None
    published: datetime | None = None
    story: str | None = None
    """A story/cluster id given by the input (Multi-News ``id``), if any."""


@dataclass(frozen=True, slots=True)
class Removed:
    """A span of the original text that cleaning took out, and why."""

    article_id: str
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A kept paragraph: its span in the cleaned text and in the original text."""

    start: int
    end: int
    original_start: int
    original_end: int


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article after cleaning: the kept text and every removed span."""

    article: Article
    text: str
    paragraphs: tuple[Paragraph, ...]
    removed: tuple[Removed, ...]
    title: str | None = None
    """Headline: the article's metadata title, else the headline line found in the text."""

    @property
    def id(self) -> str:
        return self.article.id

    @property
    def source(self) -> str:
        return self.article.source


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence of a cleaned article."""

    id: str
    """``<article id>.s<index>``."""
    article_id: str
    index: int
    """Position of the sentence in its article, from 0."""
    paragraph: int
    """Index of the paragraph that holds it."""
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Copy:
    """A passage of one article that repeats a passage of another article."""

    copy_id: str
    """Article that repeats the text."""
    copy_start: int
    copy_end: int
    original_id: str
    """Article the text is taken to come from."""
    original_start: int
    original_end: int
    similarity: float
    """Estimated Jaccard similarity of the two passages' word shingles."""


@dataclass(frozen=True, slots=True)
class Syndication:
    """An article that is, as a whole, a copy of another (a re-post of a wire report)."""

    copy_id: str
    original_id: str
    share: float
    """Share of the copy's words found in passages of the original."""


@dataclass(frozen=True, slots=True)
class Support:
    """A sentence in another article that carries the same content as a brief sentence."""

    article_id: str
    sentence_id: str
    start: int
    end: int
    """Offsets of the supporting sentence in its cleaned article."""
    similarity: float
    """TF-IDF cosine of the two sentences (1.0 for the brief sentence itself)."""
    agreement: float = 1.0
    """Probability that it says the same thing (``newsbrief.agreement``'s model; 1.0 for the
    brief sentence itself)."""


@dataclass(frozen=True, slots=True)
class BriefSentence:
    """One sentence of the summary, with every source that carries it."""

    text: str
    sentence: Sentence
    score: float
    """Salience score that got the sentence selected (higher is more central)."""
    support: tuple[Support, ...]
    """The selected sentence itself first, then the sentences of other articles that carry
    it: they say the same thing and no number, date or polarity of theirs disagrees."""
    disagreeing: tuple[Support, ...] = ()
    """Sentences of other articles that tell the same thing with a different figure: never
    cited; the brief's ``conflicts`` are made from them."""

    @property
    def article_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for s in self.support:
            seen.setdefault(s.article_id, None)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Problem:
    """An input that could not be used (or was used with a caveat), and why."""

    origin: str
    message: str
    fatal: bool = True
    """False for warnings: the input was used."""

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


@dataclass(frozen=True, slots=True)
class Update:
    """What an update brief is new against: the time, the new and the earlier articles."""

    since: datetime | None
    """The reader's time: articles that arrived after it are new (None: given as new)."""
    new_articles: tuple[str, ...]
    """Ids of the brief's articles that are new; the summary cites only these."""
    earlier_articles: tuple[str, ...] = ()
    """Ids of the articles the reader had already: read for what is not new, never cited."""
    new_sources: tuple[str, ...] = ()
    """Outlets among the new articles that no earlier article came from."""


@dataclass(slots=True)
class Brief:
    """The brief of one story: the summary, its citations and everything behind them."""

    articles: list[CleanArticle]
    summary: list[BriefSentence]
    copies: list[Copy] = field(default_factory=list)
    syndication: list[Syndication] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    words: int = 250
    """Requested length in words."""
    story: str | None = None
    quotes: list[Quote] = field(default_factory=list)
    """Who said what, each statement once with every outlet that reports it."""
    disputes: list[Dispute] = field(default_factory=list)
    additions: list[Addition] = field(default_factory=list)
    """Per source, the sentences only it reports, most important first."""
    timeline: list[TimelineEvent] = field(default_factory=list)
    """Dated events in date order."""
    conflicts: list[FactConflict] = field(default_factory=list)
    """Figures that outlets give differently (a death toll, a count, an amount)."""
    focus: str | None = None
    """The question the summary answers, when one was asked (``Settings.focus``)."""
    headline: str | None = None
    """The brief's own headline (``newsbrief.headline``): the most representative real
    headline of the articles, else the lede's main clause."""
    update: Update | None = None
    """Set when the brief is an update (``newsbrief.update``): only what articles that
    arrived after a time say that the earlier ones did not."""

    @property
    def title(self) -> str | None:
        """The headline when one was chosen, else the first article's title."""
        if self.headline:
            return self.headline
        for a in self.articles:
            if a.title:
                return a.title
        return None

    def article(self, article_id: str) -> CleanArticle:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    @property
    def source_groups(self) -> list[list[str]]:
        """Articles grouped so that a copy and its original count as one source.

        Articles from the same outlet also count as one source. An article that cleaning
        left with no paragraph (all boilerplate: a Twitter page, an archive notice) is no
        source at all.
        """
        sources = [a for a in self.articles if a.paragraphs]
        sets = UnionFind(a.id for a in sources)
        kept = {a.id for a in sources}
        for s in self.syndication:
            if s.copy_id in kept and s.original_id in kept:
                sets.union(s.copy_id, s.original_id)
        by_outlet: dict[str, str] = {}
        for a in sources:
            key = a.source.casefold()
            if key in by_outlet:
                sets.union(a.id, by_outlet[key])
            else:
                by_outlet[key] = a.id
        return sets.groups()

    def conflicts_at(self, sentence_id: str) -> list[FactConflict]:
        """The figures that outlets give differently in the sentence ``sentence_id``."""
        return [c for c in self.conflicts if sentence_id in c.sentence_ids]

    @property
    def distinct_sources(self) -> int:
        return len(self.source_groups)

    @property
    def word_count(self) -> int:
        """Words of the summary taken from the articles (editorial insertions in brackets,
        "[Sean] Spicer", are not counted against the length asked for)."""
        return sum(len(s.sentence.text.split()) for s in self.summary)


# --- Sections of issue 4: quotes, disputes, what each source adds, timeline ---


@dataclass(frozen=True, slots=True)
class Attribution:
    """One reported statement in one article: who made it, the verb, and what was said.

    Offsets point into ``CleanArticle.text``; ``speaker_start`` is None when the
    speaker is carried over from an earlier quote (a quote that goes on).
    """

    article_id: str
    sentence_id: str
    """Sentence that holds the cue (for a quote that goes on: the quote's first sentence)."""
    sentence: str
    """The text around the statement, as evidence (whitespace collapsed)."""
    speaker: str | None
    """Fullest name found for the speaker, else the description as written;
    None when the speaker could not be resolved (a pronoun with no antecedent)."""
    speaker_text: str
    """The speaker as the sentence writes it: "he", "Mr. Spicer", "the ministry"."""
    speaker_start: int | None
    speaker_end: int | None
    role: str | None
    """The speaker's role when the cluster gives one: "White House press secretary"."""
    cue: str
    """The reporting verb as written ("said", "according to"); empty for a quote that goes on."""
    cue_lemma: str
    cue_start: int
    cue_end: int
    content: str
    content_start: int
    content_end: int
    kind: str
    """``direct`` (all in quote marks), ``mixed`` (partly quoted) or ``indirect``."""
    denial: bool = False
    """True when the statement denies or negates (a denial cue, a negated clause, "rubbish")."""
    said: bool = True
    """False for a belief, a hope or a finding ("believes", "hoped", "the poll shows") and for
    words not (yet) said ("would blame", "plans to announce"): attributed, but no quote."""


@dataclass(frozen=True, slots=True)
class Quote:
    """A statement as the brief shows it: one speaker, one wording, every outlet that reports it."""

    speaker: str
    role: str | None
    cue: str
    text: str
    kind: str
    reports: tuple[Attribution, ...]
    """Every report of the statement, the one whose wording is shown first."""

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.article_id for r in self.reports))

    @property
    def paraphrased_in(self) -> tuple[str, ...]:
        """Articles that report a quoted statement only in their own words (or partly quoted)."""
        if self.kind != "direct":
            return ()
        quoted = {r.article_id for r in self.reports if r.kind == "direct"}
        return tuple(a for a in self.article_ids if a not in quoted)


@dataclass(frozen=True, slots=True)
class Stance:
    """One side of a dispute as one speaker takes it, with the statements that show it."""

    speaker: str
    statements: tuple[Attribution, ...]
    body: str = ""
    """The body the speaker speaks for when several speakers of one side are one body
    ("Russia" for Russia, the Russian Ministry of Defense and the Russian military);
    empty when the speaker stands alone."""

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.article_id for s in self.statements))


def sides(stances: Sequence[Stance]) -> list[tuple[str, list[Stance], list[str]]]:
    """Stances grouped by the body they speak for, in order: (name shown, stances,
    articles)."""
    groups: dict[tuple[bool, str], list[Stance]] = {}
    for st in stances:
        groups.setdefault((bool(st.body), st.body or st.speaker), []).append(st)
    return [(name, members, list(dict.fromkeys(a for st in members for a in st.article_ids)))
            for (_, name), members in groups.items()]


@dataclass(frozen=True, slots=True)
class Dispute:
    """A claim that some sources (or the people they report) make and others deny."""

    claim: str
    """The claim in the words of its best-supported statement."""
    claimed_by: tuple[Stance, ...]
    denied_by: tuple[Stance, ...]
    similarity: float
    """Highest similarity between a claim and a denial that put them together."""


@dataclass(frozen=True, slots=True)
class Addition:
    """A sentence whose content only one source reports (a copy and its original are one)."""

    source_group: tuple[str, ...]
    """Article ids of the source: the article and its copies."""
    sentence: Sentence
    score: float
    """Importance: similarity to the story as a whole (higher is more central)."""
    closest: float
    """Highest similarity to any sentence of another source (low: nobody else has it)."""


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in a sentence, resolved to a calendar date."""

    article_id: str
    sentence_id: str
    expression: str
    start: int
    end: int
    sentence: str
    basis: str
    """What a relative date was resolved against: ``absolute`` (the text gives the
    year), ``publication date``, or ``story date`` (another article's date)."""


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    """A dated event: the day (or week, month, year) and every sentence that reports it."""

    date: date
    granularity: str
    """``day``, ``week``, ``month`` or ``year``: how precise ``date`` is."""
    text: str
    """The event in the words of its first report."""
    mentions: tuple[DateMention, ...]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.article_id for m in self.mentions))

    @property
    def label(self) -> str:
        """The date as precise as it is known: "Mon 23 Jan 2017", "week of 16 Jan 2017"."""
        d = self.date
        if self.granularity == "year":
            return str(d.year)
        if self.granularity == "month":
            return d.strftime("%B %Y")
        day = f"{d.day} {d.strftime('%b %Y')}"
        if self.granularity == "week":
            return f"week of {day}"
        return f"{d.strftime('%a')} {day}"


# --- Issue 11: disagreements of fact between outlets ---


@dataclass(frozen=True, slots=True)
class FactReport:
    """One outlet's value for a figure, as written, and where it is."""

    value: str
    """As written, qualifier included: "at least 24", "$1.8 billion"."""
    number: float
    article_id: str
    sentence_id: str
    start: int
    end: int
    """Offsets of the value in the article's cleaned text."""
    sentence: str


@dataclass(frozen=True, slots=True)
class FactConflict:
    """A figure that outlets give differently: each value with the outlets that give it."""

    what: str
    """What the figure counts: "killed", "injured", "amount ($)", "percent", "weeks", ..."""
    reports: tuple[FactReport, ...]
    """Every report, the brief's own sentence first."""

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.article_id for r in self.reports))

    @property
    def heading(self) -> str:
        """"Figures differ", "Dates differ" or "Spellings differ"."""
        return {"date": "Dates differ", "spelling": "Spellings differ"}.get(
            self.what, "Figures differ")

    @property
    def sentence_ids(self) -> frozenset[str]:
        return frozenset(r.sentence_id for r in self.reports)

    @property
    def values(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Each distinct value (as first written) with the articles that give it, in order."""
        shown: dict[float, str] = {}
        where: dict[float, dict[str, None]] = {}
        for r in self.reports:
            shown.setdefault(r.number, r.value)
            where.setdefault(r.number, {})[r.article_id] = None
        return tuple((shown[n], tuple(where[n])) for n in shown)
