"""The stories in a brief's input: articles that name no story are grouped into stories
as the store groups them, so that unrelated pages give separate briefs, not one that
mixes them.

``group_input`` runs the store's grouping (``newsbrief.story_features`` and
``newsbrief.stories``: featurize, TF-IDF, salient-term candidates, near-copies,
average-link ``cluster``, publication times) on the input as one batch, with no stored
story to join. The one difference is where document frequencies come from: a store
knows those of everything it holds; a brief's input alone would make the words its
articles share (on the seeds: Russia, Syria, strikes) the least weighty, and split one
story. So the input's frequencies are added to a background of news text
(``data/background_df.npz``, built by ``evaluation/background_df.py`` from Multi-News
train articles), as if the input were ingested into a store already holding those.

Measured by ``evaluation/input_stories_eval.py`` on mixtures of 1 to 4 known stories
drawn from DUC 2007 topics (dates dropped: a DUC topic spans years) and from Multi-News
train clusters left out of the background; B-cubed F1 on the parts kept for testing:
DUC 0.632 with the input's own frequencies, 0.829 with the background and 0.965 with the
lower threshold briefs use (``INPUT_STORY_THRESHOLD``); train 0.811, 0.855 and 0.880
(docs/stories.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from newsbrief.model import Article, Problem
from newsbrief.settings import INPUT_STORY_THRESHOLD, StorySettings
from newsbrief.stories import (
    StoryCandidates,
    candidate_edges,
    cluster,
    near_copies_in_batch,
    story_links,
)
from newsbrief.story_features import DocFreq, Features, featurize_batch, salient_terms, vectorize

__all__ = [
    "LISTED_FILES",
    "LISTED_STORIES",
    "InputStories",
    "background_docfreq",
    "group_input",
    "left_out_notes",
    "stories_note",
]

LISTED_STORIES = 20
"""Stories named one by one in the note on an input of several (the rest are counted)."""
LISTED_FILES = 3
"""Files named per story in that note (the rest are counted)."""


@dataclass(frozen=True, slots=True)
class InputStories:
    """The stories found among a brief's input articles, and what could not be grouped."""

    stories: list[list[Article]]
    """Largest first; articles in input order within a story (ties: the story whose first
    article came first)."""
    left_out: list[Problem]
    """Articles the store would reject (nothing left after cleaning, a site or archive
    notice), as non-fatal notes."""


@cache
def _background() -> tuple[np.ndarray, np.ndarray, int]:
    with resources.files("newsbrief").joinpath("data/background_df.npz").open("rb") as f:
        data = np.load(f)
        return data["terms"], data["df"], int(data["n_docs"])


def background_docfreq() -> DocFreq:
    """A fresh ``DocFreq`` holding the background of news text (a copy: callers add to it)."""
    terms, df, n_docs = _background()
    docfreq = DocFreq()
    docfreq.df[terms] = df
    docfreq.n_docs = n_docs
    return docfreq


def group_input(
    articles: Sequence[Article], settings: StorySettings | None = None,
    background: bool = True,
) -> InputStories:
    """Group articles into stories with the store's grouping, as one batch against the
    background frequencies (see the module docstring); ``background=False`` weighs terms
    by the input's own frequencies alone (the baseline of the evaluation)."""
    settings = settings or StorySettings(threshold=INPUT_STORY_THRESHOLD)
    features = featurize_batch(articles)
    good = [f for f in features if isinstance(f, Features)]
    left_out = [
        Problem(f.origin, f"left out: {f.message}", fatal=False)
        for f in features if isinstance(f, Problem)
    ]
    docfreq = background_docfreq() if background else DocFreq()
    docfreq.add(good)
    x = vectorize(good, docfreq)
    salient = salient_terms(x, docfreq, settings.salient, settings.common_df)
    none = np.zeros(0, dtype=np.int64)
    stored = StoryCandidates()  # nothing stored: every story is new
    grouping = cluster(
        len(good), candidate_edges(x, salient, settings),
        story_links(x, none, none, stored, settings), stored, settings,
        copies=[(p.copy, p.original) for p in near_copies_in_batch(good, settings)],
        times=[f.published for f in good],
    )
    stories: dict[int, list[Article]] = {}
    for f, group in zip(good, grouping.new_group, strict=True):
        stories.setdefault(group, []).append(f.article)
    # sorted() is stable and groups are numbered in the order of their first article
    return InputStories(sorted(stories.values(), key=len, reverse=True), left_out)


def _story_name(story: Sequence[Article]) -> str:
    title = next((a.title for a in story if a.title), None)
    files = ", ".join(a.origin for a in story[:LISTED_FILES])
    if len(story) > LISTED_FILES:
        files += f" and {len(story) - LISTED_FILES} more"
    size = f"{len(story)} article{'s' if len(story) > 1 else ''}"
    return f"{size}{f' «{title}»' if title else ''}: {files}"


def stories_note(stories: Sequence[Sequence[Article]]) -> Problem:
    """The note on every brief of an input that held several stories: how many, and
    which (largest first, as briefed)."""
    listed = "; ".join(
        f"({n}) {_story_name(s)}" for n, s in enumerate(stories[:LISTED_STORIES], start=1)
    )
    if len(stories) > LISTED_STORIES:
        listed += f"; and {len(stories) - LISTED_STORIES} more"
    return Problem(
        "input",
        f"the input held {len(stories)} stories, briefed one by one, largest first "
        f"(--one-story briefs the largest only): {listed}",
        fatal=False,
    )


def left_out_notes(stories: Sequence[Sequence[Article]]) -> list[Problem]:
    """One note per article of the stories not briefed (``--one-story``), naming the
    story each belongs to."""
    return [
        Problem(
            a.origin,
            f"left out: another story than the one briefed (--one-story), "
            f"story {n} of {len(stories) + 1}: {_story_name(s)}",
            fatal=False,
        )
        for n, s in enumerate(stories, start=2)
        for a in s
    ]
