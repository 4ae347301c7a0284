"""Every option of newsbrief and its default, defined once and checked once.

Each settings record raises ``SettingsError`` (naming the option, the value and the
allowed range) when it is made, so a bad option never reaches a stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from newsbrief.errors import SettingsError

__all__ = [
    "COPY_THRESHOLD",
    "DATE_CLASH",
    "DATE_NEAREST_DAYS",
    "DATE_TENSE_REACH_DAYS",
    "DEFAULT_BATCH",
    "DEFAULT_MAX_BYTES",
    "DEFAULT_WORDS",
    "FORMATS",
    "MAX_ARTICLE_CHARS",
    "MAX_PARAGRAPH_CHARS",
    "MAX_PUNCTUATION_RUN",
    "MAX_SENTENCE_CHARS",
    "SAME_EVENT",
    "STORY_DATE_SPREAD_DAYS",
    "SYNDICATION_SHARE",
    "Settings",
    "StorySettings",
    "WebSettings",
    "Weights",
]

DEFAULT_WORDS = 250
"""Summary length in words: about one screen, the length of DUC's and Multi-News' references."""
MIN_WORDS, MAX_WORDS = 20, 5000
"""Shortest and longest summary asked for: below 20 words no sentence fits with its
citations; above 5,000 a brief is no longer short."""
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
"""Files larger than this are rejected: no single news article comes near it."""
MAX_ARTICLE_CHARS = 200_000
"""Longest article text read: the rest of a longer one is left out, cut at a line break or
space, with a note naming the file. About 33,000 words, twice the longest long-form
feature; every stage's cost per article is then bounded (a 4.3 MB article of one
paragraph took the quote parser past 300 s and 14 GB)."""
MAX_PARAGRAPH_CHARS = 20_000
"""Longest piece of text given to the tokenizer at once, and so the longest sentence: a
longer paragraph is split at the last space before it (a hard cut where there is none),
and its reader adds a note naming the file. A news paragraph runs to 3,000 characters, a
whole article on one line to about 15,000; spaCy refuses texts over its ``max_length``
(error E088), a 1,000,000-letter word alone takes its tokenizer 1.2 s, and the parser's
time and memory grow with the length of what it is given."""
MAX_SENTENCE_CHARS = 2_000
"""Longest sentence: a longer one (no full stop in thousands of characters: a list, a
table, an attack) is cut at spaces into pieces this long. A news sentence runs to about
600 characters; the quote stage's time grows faster than the length of what it reads."""
MAX_PUNCTUATION_RUN = 8
"""Longest run of punctuation marks the tokenizer reads as such (the rest of a longer run is
read as spaces, its offsets kept): the tokenizer splits such a run one mark at a time,
in time that grows with the square of its length (4,000 "!" took 5.6 s, 20,000 about 45 s).
"?!?!" and "..." are short; a longer run is decoration or an attack."""
FORMATS = ("md", "json", "html")
"""Output formats of a brief: Markdown, JSON (schema newsbrief.brief/1), one HTML page."""
DEFAULT_BATCH = 2000
"""Articles stored and grouped per transaction: a kill loses at most one batch, and the
progress bar moves every few seconds (larger batches group slightly better: docs/stories.md)."""
INPUT_STORY_THRESHOLD = 0.07
"""The grouping threshold (``StorySettings.threshold``) when ``brief`` finds the stories in
its input: lower than the store's, because a user's input is most often one story and a
split is the costlier error there. Chosen on the tune parts of the mixtures of
``evaluation/input_stories_eval.py`` (B-cubed F1 at 0.15 / 0.10 / 0.07: Multi-News train
0.848 / 0.876 / 0.881, DUC 0.893 / 0.946 / 0.961; single stories kept whole 11 / 12 / 12
of 17 and 17 / 18 / 20 of 23)."""
MAX_BRIEF_ARTICLES = 400
"""Most articles one brief reads (issue 13): a larger story or input is briefed from a
sample of this many, chosen across its sources and its span (``pipeline.sample``), with a
note saying so. Every stage's cost is then bounded whatever the input."""
COPY_THRESHOLD = 0.5
"""Least estimated Jaccard of two passages' word 3-grams for one to copy the other: the
brief's copy finder has used it from the start; a lightly edited paragraph keeps more."""
SYNDICATION_SHARE = 0.6
"""Least share of an article's words in copied passages for it to be syndicated from the
other (a copy as a whole, one source with it): most of it, not a quoted paragraph or two."""

# --- dates (newsbrief.dates, newsbrief.timeline) ---
DATE_TENSE_REACH_DAYS = 183
"""A month, or a month and day, named without a year is put in the direction of its
sentence's tense in another year than the article's only up to half a year away: further
than that a writer gives the year (AP style names the year of any date outside the
current one). On TBAQ's development part, following the tense further put "the quarter
ended Oct. 31" of the year before into the wrong year."""
DATE_NEAREST_DAYS = 122
"""Without a tense, a month or a month and day without a year takes the nearer of its
readings only when that is at most four months from the article's date; past that, either
year is as likely and the expression is left undated (TBAQ development part: "the Oct.
23 slaying" in a May article was the October before, not the one to come)."""
SAME_EVENT = 0.35
"""Least TF-IDF cosine of two sentences dated the same day for them to tell one event."""
DATE_CLASH = 0.9
"""Least share of the content words (stems, the dates left out) of the shorter of two
sentences of different articles found in the other, for the two to tell one event when
they give it two different days: a disagreement of fact, not two events. High, because
like sentences on two days are most often two events: on DUC 2007's development topics,
every pair below it was two (strikes "on Jan. 21" and "on Jan. 22" in the seed story;
"Starbucks warned Wednesday" and "Starbucks shares tumbled today after it warned"; "the
first funeral was Friday" and "a memorial service is set for today", each for one man)."""
STORY_DATE_SPREAD_DAYS = 3
"""An article without a date of its own borrows the story's (the date most of the others
have) only when every dated article of the story is within this many days of it: in a
story whose articles span weeks, no one date stands for an undated article."""


MAX_FOCUS_CHARS = 2000
"""Longest focus text (a DUC topic narrative runs to about 600 characters)."""


def check_words(words: object) -> None:
    """Raise ``SettingsError`` unless ``words`` is a whole number in the allowed range."""
    if isinstance(words, bool) or not isinstance(words, int):
        raise SettingsError(f"words must be a whole number, got {words!r}")
    if not MIN_WORDS <= words <= MAX_WORDS:
        raise SettingsError(f"words must be between {MIN_WORDS} and {MAX_WORDS}, got {words}")


@dataclass(frozen=True, slots=True)
class Weights:
    """Selection and citation thresholds (the salience weights live in data/scorer.json)."""

    redundancy: float = 0.35
    """Largest cosine similarity a new sentence may have with one already chosen."""
    cite_threshold: float = 0.1
    """Smallest TF-IDF cosine for another article's sentence to be looked at as carrying a
    brief sentence (only a floor: ``agreement_threshold`` decides). Low, because a cluster's
    IDF makes its common words light: on Multi-News dev, same-fact sentences of other
    outlets sit at 0.15-0.3."""
    cite_candidates: int = 5
    """Sentences of each other article looked at per brief sentence (the closest by cosine),
    so the cost of citing grows with the articles, not with their length."""
    agreement_threshold: float = 0.65
    """Least probability (``agreement``'s model) that another article's sentence says the
    same thing for it to be cited (a sentence that contains the brief's is cited too): the
    threshold at which the model with the fact checks reaches precision 0.85 on MRPC's
    development part (5-fold cross-validation: precision 0.855, accuracy 0.739;
    evaluation/paraphrase_mrpc.py)."""
    conflict_threshold: float = 0.35
    """Least probability that a sentence giving another figure tells the same thing, for
    the two figures to be shown as a disagreement between outlets. Lower than the citation
    threshold because two outlets that disagree on a figure word the rest differently too;
    the guards of ``conflicts`` (one sentence per source, no sign of another event) do the
    rest. On MRPC's pairs whose numbers disagree, half of those above it are judged by the
    annotators to say the same thing."""

    def __post_init__(self) -> None:
        for name in ("redundancy", "cite_threshold", "agreement_threshold",
                     "conflict_threshold"):
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise SettingsError(f"{name} must be in [0, 1], got {value}")
        if self.cite_candidates < 1:
            raise SettingsError(f"cite_candidates must be at least 1, got {self.cite_candidates}")


@dataclass(frozen=True, slots=True)
class Settings:
    """Every option of a brief, checked once when made."""

    words: int = DEFAULT_WORDS
    max_bytes: int = DEFAULT_MAX_BYTES
    copy_threshold: float = COPY_THRESHOLD
    weights: Weights = field(default_factory=Weights)
    sections: bool = True
    """Add quotes, disputes, what each source adds and the timeline (parses some sentences)."""
    focus: str | None = None
    """A question or topic the summary should answer ("What did Russia claim?"); None for a
    summary of the whole story."""

    def __post_init__(self) -> None:
        check_words(self.words)
        if self.focus is not None:
            if not isinstance(self.focus, str) or not self.focus.strip():
                raise SettingsError("focus must be a non-empty text")
            if len(self.focus) > MAX_FOCUS_CHARS:
                raise SettingsError(
                    f"focus must be at most {MAX_FOCUS_CHARS} characters, got {len(self.focus)}")
        if self.max_bytes < 1:
            raise SettingsError(f"max_bytes must be positive, got {self.max_bytes}")
        if not 0 < self.copy_threshold <= 1:
            raise SettingsError(
                f"copy_threshold must be in (0, 1], got {self.copy_threshold}"
            )


@dataclass(frozen=True, slots=True)
class StorySettings:
    """Every option of story grouping, checked once when made."""

    threshold: float = 0.12
    """Least average cosine between two groups for them to merge. 0.12 since the store
    starts from background word frequencies (issue 14): on the train5622 tuning sample
    (447 clusters, disjoint from every scored sample) B-cubed F1 0.839 at 0.15 and 0.848 at
    0.12 with them, 0.830 and 0.832 without (docs/stories.md)."""
    copy_threshold: float = COPY_THRESHOLD
    """Least estimated Jaccard of two passages for one to copy the other (as in the brief)."""
    syndication_share: float = SYNDICATION_SHARE
    """Least share of an article's words in passages copied from (or by) another for the two
    to be near-copies, put in one story whatever else they say (as in the brief)."""
    salient: int = 25
    """Most salient terms per article used to find candidates (one per 4 distinct
    terms, at least 10): long articles get more."""
    story_terms: int = 30
    """Salient terms kept per stored story for finding it again."""
    max_posting: int = 200
    """A term shared by more articles of one batch than this finds no candidates."""
    common_df: float = 0.05
    """A term in more than this share of all articles is never salient."""
    min_link: float = 0.06
    """Candidate links below this cosine are dropped."""
    centroid_terms: int = 600
    """Terms kept in a stored story's centroid (largest weights)."""
    time_window_days: float = 3.0
    time_decay_days: float = 7.0
    name_bonus: float = 0.0
    """How much more a shared rare name counts in a link (``stories.name_links``): each
    link gains this times the part of it made by rare name-like words. Off: the DUC 2007
    tuning topics chose 4 (with ``name_df`` 0.005), but the stories of one running topic
    share their names and dev100 fell from 0.921 to 0.874 (docs/stories.md)."""
    name_df: float = 0.005
    """A name-like word counts as a rare name when at most this share of the documents hold
    it (chosen with ``name_bonus`` on the DUC 2007 tuning topics)."""
    singleton_threshold: float | None = None
    """After merging, an article left alone joins the group (a story of two or more, or a
    stored story) with its best average link if that reaches this (in ``[min_link,
    threshold]``). None (the default): no such pass."""

    def __post_init__(self) -> None:
        for name in ("threshold", "copy_threshold", "syndication_share", "common_df"):
            value = getattr(self, name)
            if not 0 < value <= 1:
                raise SettingsError(f"{name} must be in (0, 1], got {value}")
        for name in ("salient", "story_terms", "max_posting", "centroid_terms"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1, got {getattr(self, name)}")
        if not 0 <= self.min_link < self.threshold:
            raise SettingsError(
                f"min_link must be in [0, threshold), got {self.min_link}"
            )
        single = self.singleton_threshold
        if single is not None and not self.min_link <= single <= self.threshold:
            raise SettingsError(
                f"singleton_threshold must be in [min_link, threshold], "
                f"got {self.singleton_threshold}"
            )
        if self.name_bonus < 0:
            raise SettingsError(f"name_bonus must be >= 0, got {self.name_bonus}")
        if not 0 < self.name_df <= 1:
            raise SettingsError(f"name_df must be in (0, 1], got {self.name_df}")
        if self.time_window_days < 0 or self.time_decay_days <= 0:
            raise SettingsError("time_window_days must be >= 0 and time_decay_days > 0")


@dataclass(frozen=True, slots=True)
class WebSettings:
    """Limits and defaults of the web interface, checked once when made."""

    words: int = DEFAULT_WORDS
    """Length of every brief the server writes, in words."""
    max_body_bytes: int = 5_000_000
    """Largest request body accepted (all pasted text and files together)."""
    max_files: int = 50
    brief_workers: int = 2
    """Briefs computed at once (posted input, and stories not yet cached): each may hold up
    to about 2 GB while it runs (issue 13's bound on one brief), so a few, not one a request."""
    brief_queue: int = 8
    """Briefs that may wait for a worker; past that a request gets a 503 with Retry-After
    before its body is read, so waiting uploads cannot fill memory. 8 behind 2 workers at
    about 2 s a brief (the seed story) is a wait of about 8 s."""
    page_size: int = 50
    cache_size: int = 256
    """Stories whose rendered brief is kept in memory."""
    cache_bytes: int = 256_000_000
    """Most bytes those briefs may hold (page, JSON and articles): a story page shows every
    article, so a 400-article story's entry runs to megabytes (the seed story's: 0.16 MB)."""
    fresh_seconds: float = 2.0
    """How long a cached brief is served before the store is asked whether its story changed."""
    failure_seconds: float = 60.0
    """How long a story whose brief failed answers with that failure instead of being briefed
    again: a story that fails may have cost minutes of a worker."""
    allowed_hosts: tuple[str, ...] = ()
    """Host names answered besides the loopback ones (localhost, 127.0.0.1, [::1]); a request
    naming any other host gets a 403, so a web page cannot reach the server through a
    DNS name it rebinds to this machine."""
    header_timeout: float = 10.0
    """Seconds a connection may take to send a request's headers before it is closed."""
    body_timeout: float = 60.0
    """Seconds a request may take to send its whole body: 5 MB at about 85 KB/s."""
    keep_alive_seconds: int = 5
    """Seconds an idle kept-alive connection stays open (uvicorn's default)."""
    max_connections: int = 100
    """Open connections at most; past it a new connection is closed at once and requests
    get a 503. A browser opens about 6; the load benchmark 50."""
    max_header_bytes: int = 16 * 1024
    """Largest request line and headers (uvicorn's default for h11)."""
    shutdown_seconds: int = 10
    """On Ctrl-C, how long requests in flight may finish before they are cut off."""

    def __post_init__(self) -> None:
        check_words(self.words)
        for name in ("max_body_bytes", "max_files", "brief_workers", "page_size",
                     "cache_size", "cache_bytes", "keep_alive_seconds", "max_connections",
                     "max_header_bytes"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name} must be at least 1, got {getattr(self, name)}")
        for name in ("brief_queue", "fresh_seconds", "failure_seconds", "shutdown_seconds"):
            if getattr(self, name) < 0:
                raise SettingsError(f"{name} must not be negative, got {getattr(self, name)}")
        for name in ("header_timeout", "body_timeout"):
            if getattr(self, name) <= 0:
                raise SettingsError(f"{name} must be positive, got {getattr(self, name)}")
        for host in self.allowed_hosts:
            if not isinstance(host, str) or not host or any(c in host for c in " /@?#\\"):
                raise SettingsError(f"allowed host must be a host name or address, got {host!r}")


