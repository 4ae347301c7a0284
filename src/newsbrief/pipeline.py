"""The pipeline: the only place that knows the order of the stages.

read -> clean -> find copies -> split sentences -> select and cite -> figures that
differ -> (render)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from newsbrief.account import tell
from newsbrief.additions import source_additions
from newsbrief.clean import clean_all
from newsbrief.conflicts import (
    find_conflicts,
    find_spelling_conflicts,
    find_story_conflicts,
)
from newsbrief.copies import find_copies
from newsbrief.disputes import find_disputes
from newsbrief.errors import NoArticlesError, SettingsError
from newsbrief.headline import choose_headline
from newsbrief.input_stories import group_input, left_out_notes, stories_note
from newsbrief.language import english_only
from newsbrief.model import Article, Brief, Problem, Sentence
from newsbrief.quotes import find_attributions, group_quotes
from newsbrief.readers import name_sources, read_paths
from newsbrief.sentences import split_sentences
from newsbrief.settings import DEFAULT_WORDS, MAX_BRIEF_ARTICLES, Settings
from newsbrief.store import Store, open_store, parse_story_id
from newsbrief.story_features import content_hash
from newsbrief.summarize import summarize
from newsbrief.timeline import timeline_and_conflicts

__all__ = ["Settings", "brief", "brief_paths", "brief_stored", "brief_story", "prepare",
           "stored_story"]


def _with_ids(articles: Sequence[Article]) -> list[Article]:
    return [a if a.id == f"a{i}" else replace(a, id=f"a{i}") for i, a in enumerate(articles)]


def sample(articles: Sequence[Article], limit: int) -> tuple[list[Article], Problem]:
    """At most ``limit`` articles that stand for all of them: exact repeats of one text
    first left out, then articles taken in turn from each source (so one prolific outlet
    does not fill the brief), each source's spread evenly over its articles (their dates
    where known, else the order given). Returns the sample, in the order given, and the
    note that says what was left out."""
    seen: set[str] = set()
    unique = []
    for a in articles:
        key = content_hash(a.text)  # the store's test of one text (case and spacing aside)
        if key not in seen:
            seen.add(key)
            unique.append(a)
    by_source: dict[str, list[int]] = {}
    for i, a in enumerate(unique):
        by_source.setdefault(a.source, []).append(i)
    for members in by_source.values():
        members.sort(key=lambda i: (unique[i].published is None, _when(unique[i]), i))
    queues = [_spread(m) for m in by_source.values()]
    chosen: list[int] = []
    while len(chosen) < min(limit, len(unique)):
        for q in queues:
            if q and len(chosen) < limit:
                chosen.append(q.pop(0))
    kept = [unique[i] for i in sorted(chosen)]
    left = len(articles) - len(kept)
    note = Problem(
        "input",
        f"{len(articles)} articles: briefed from {len(kept)} chosen across "
        f"{len(by_source)} sources and their span (the most one brief reads, "
        f"MAX_BRIEF_ARTICLES); {len(articles) - len(unique)} exact repeats and "
        f"{left - (len(articles) - len(unique))} others left out",
        fatal=False,
    )
    return kept, note


def _when(a: Article) -> float:
    return a.published.timestamp() if a.published is not None else 0.0


def _spread(members: list[int]) -> list[int]:
    """The members in an order that covers their span early: middle, ends, then halves."""
    out: list[int] = []
    pending = [(0, len(members))]
    while pending:
        lo, hi = pending.pop(0)
        if lo >= hi:
            continue
        mid = (lo + hi) // 2
        out.append(members[mid])
        pending += [(lo, mid), (mid + 1, hi)]
    return out


def prepare(
    articles: Iterable[Article],
    settings: Settings | None = None,
    problems: Sequence[Problem] = (),
) -> tuple[Brief, list[Sentence]]:
    """Read -> clean -> find copies -> split: a brief with no summary yet, and its sentences.

    Raises ``NoArticlesError`` when there is nothing to brief.
    """
    settings = settings or Settings()
    notes = list(problems)
    given = list(articles)
    wrong = [type(a).__name__ for a in given if not isinstance(a, Article)]
    if wrong:
        raise TypeError(f"brief() takes Article records (newsbrief.model.Article), got "
                        f"{wrong[0]}; read files with newsbrief.readers.read_paths")
    if len(given) > MAX_BRIEF_ARTICLES:
        given, note = sample(given, MAX_BRIEF_ARTICLES)
        notes.append(note)
    arts = _with_ids(given)
    if not arts:
        raise NoArticlesError("input", "no article to brief")
    if len(arts) == 1:
        notes.append(
            Problem(arts[0].origin, "only one article: the brief rests on a single source",
                    fatal=False)
        )
    cleaned = clean_all(arts)
    for c in cleaned:
        if not c.paragraphs:
            notes.append(
                Problem(c.article.origin, "nothing left after cleaning (all boilerplate)",
                        fatal=False)
            )
    copies, syndication = find_copies(cleaned, threshold=settings.copy_threshold)
    result = Brief(
        articles=cleaned,
        summary=[],
        copies=copies,
        syndication=syndication,
        problems=notes,
        words=settings.words,
        story=arts[0].story,
    )
    return result, split_sentences(cleaned)


def brief(
    articles: Iterable[Article],
    words: int | None = None,
    settings: Settings | None = None,
    problems: Sequence[Problem] = (),
) -> Brief:
    """Write the brief of one story from its articles.

    ``articles`` are ``Article`` records (see ``newsbrief.readers`` to read them
    from files). Give the length as ``words`` or inside ``settings``, not both.
    Raises ``NoArticlesError`` when there is nothing to brief.
    """
    if settings is not None and words is not None:
        raise SettingsError("give words either as brief(words=...) or in Settings, not both")
    settings = settings or Settings(words=DEFAULT_WORDS if words is None else words)
    result, sentences = prepare(articles, settings, problems)
    result.focus = settings.focus
    result.summary = summarize(sentences, settings.words, result.source_groups, settings.weights,
                               focus=settings.focus)
    result.headline = choose_headline(result.articles, result.summary, result.source_groups)
    result.conflicts = find_conflicts(result.summary, sentences, result.source_groups)
    if settings.sections:
        _add_sections(result, sentences)
    tell(result)
    return result


def _add_sections(result: Brief, sentences: Sequence[Sentence]) -> None:
    """Quotes -> disputes (built on the quotes) -> what each source adds -> timeline (and the
    events that outlets date differently, added to the disagreements of fact)."""
    attributions = find_attributions(result.articles, sentences)
    result.quotes = group_quotes(attributions)
    result.disputes = find_disputes(attributions)
    result.additions = source_additions(sentences, result.source_groups)
    result.timeline, clashes = timeline_and_conflicts(result.articles, sentences)
    story = find_story_conflicts(sentences, result.source_groups, result.conflicts)
    names = find_spelling_conflicts(sentences, result.source_groups)
    result.conflicts = [*result.conflicts, *story, *names, *clashes]


def brief_paths(
    paths: Iterable[str | os.PathLike[str]],
    settings: Settings | None = None,
    story: str | None = None,
    progress: bool = False,
    source_names: dict[str, str] | None = None,
    one_story: bool = False,
) -> list[Brief]:
    """Read files, folders or globs and brief each story found in them.

    Articles not in English are left out (``language.english_only``). Articles that
    name a story (Multi-News clusters, JSON lines with ``story``) are briefed per
    story; the rest are grouped into stories as the store groups them
    (``input_stories.group_input``), largest first, and when they hold several, every
    brief carries a note listing them. ``one_story`` briefs the largest story only, with
    a note for each article left out. Read problems and notes are attached to every
    brief; raises ``NoArticlesError`` (listing them) when nothing was read.
    ``source_names`` maps file names to outlet names for files without metadata.
    """
    settings = settings or Settings()
    read = read_paths(paths, max_bytes=settings.max_bytes)
    if source_names:
        read.articles = name_sources(read.articles, source_names)
    articles, notes = english_only(read.articles)
    problems = [*read.problems, *notes]
    if not articles:
        detail = "; ".join(str(p) for p in problems) or "no input given"
        what = "no article in English" if read.articles else "no article could be read"
        raise NoArticlesError("input", f"{what} ({detail})")
    groups = _input_stories(articles, story, one_story, problems)
    if not progress or len(groups) < 2:
        return [brief(arts, settings=settings, problems=problems) for arts in groups]
    from rich.progress import Progress

    out: list[Brief] = []
    with Progress(transient=True) as bar:
        task = bar.add_task("Briefing stories", total=len(groups))
        for arts in groups:
            out.append(brief(arts, settings=settings, problems=problems))
            bar.advance(task)
    return out


def _input_stories(
    articles: Sequence[Article], story: str | None, one_story: bool, problems: list[Problem]
) -> list[list[Article]]:
    """The stories to brief: those the input names (in input order; only ``story`` when
    given), then those found among the articles that name none (largest first), or with
    ``one_story`` the largest alone. Notes go to ``problems``: the stories found when
    several are briefed, each article left out of ``one_story``, each left ungrouped."""
    named: dict[str, list[Article]] = {}
    unnamed: list[Article] = []
    for a in articles:
        if a.story is None:
            unnamed.append(a)
        else:
            named.setdefault(a.story, []).append(a)
    if story is not None:
        if story not in named:
            known = ", ".join(sorted(named)[:10]) or "none"
            raise NoArticlesError("input", f"no story {story!r} in the input (stories: {known})")
        return [named[story]]
    found = [unnamed] if unnamed else []
    if len(unnamed) > 1:
        grouped = group_input(unnamed)
        found = grouped.stories
        problems += grouped.left_out
    stories = [*named.values(), *found]
    if not stories:
        detail = "; ".join(str(p) for p in problems)
        raise NoArticlesError("input", f"no article could be briefed ({detail})")
    if one_story and len(stories) > 1:
        stories.sort(key=len, reverse=True)  # stable: the first given wins a tie
        problems += left_out_notes(stories[1:])
        return stories[:1]
    if len(found) > 1:
        problems.append(stories_note(found))
    return stories


def stored_story(
    store: Store, story_id: int | str
) -> tuple[int | str, list[Article], list[Problem]]:
    """A stored story's id (where a user merged it, the story it went into), its articles
    in English and notes on those left out; ``NoArticlesError`` when there are none."""
    stored = store.articles(story_id)
    merged_into = None if stored else store.merged_into(story_id)
    if merged_into is not None:  # a story a user merged into another: that one (corrections)
        story_id, stored = merged_into, store.articles(merged_into)
    if not stored:
        raise NoArticlesError(f"story {story_id}", "no such story in the store")
    articles, notes = english_only(stored)
    if not articles:
        detail = "; ".join(str(p) for p in notes)
        raise NoArticlesError(f"story {story_id}", f"no article in English ({detail})")
    return story_id, articles, notes


def brief_story(store: Store, story_id: int | str, settings: Settings | None = None) -> Brief:
    """The brief of one stored story, with everything ``brief`` gives (articles not in
    English left out, with a note)."""
    story_id, articles, notes = stored_story(store, story_id)
    result = brief(articles, settings=settings, problems=notes)
    result.story = str(parse_story_id(story_id))
    return result


def brief_stored(
    db: str | os.PathLike[str], story: str | None, paths: Sequence[str] = (),
    settings: Settings | None = None,
) -> Brief:
    """Open the store ``db`` (an existing one only) and brief its story ``story``."""
    if story is None or paths:
        raise SettingsError("a stored story is briefed by its id alone: give a story id "
                            "(listed by `newsbrief stories`) and no input paths")
    with open_store(Path(db), create=False) as store:
        return brief_story(store, story, settings=settings)
