"""Stories a user corrects: merge two stories, split one, move an article to another story
or out of all stories. Plain functions over a ``Store``, each one transaction::

    merge(store, keep, other)              other's articles join keep; other's id leads to keep
    split(store, story_id, article_ids)    those articles leave for a new story; its id
    move(store, article_id, story_id)      the article joins story_id (None: out of all stories)

After each, every story it touched gets its summary rebuilt from its stored articles as
ingest builds one (``stories.update_stories``: size, time span, the centroid summed from
the stored TF-IDF rows, the terms that find it, headline; ``stories.story_label``), and an
emptied story disappears (``Store.drop_story``). Each is written to the correction log
(``Store.corrections``).

Ingest keeps what a user decided: it assigns new articles only, never moves a stored one,
never merges two stored stories (``stories.cluster`` anchors them), and no new article joins
the articles taken out of all stories (the store leaves them out of its lookups).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np
import scipy.sparse as sp

from newsbrief.clean import clean
from newsbrief.copies import Passages
from newsbrief.errors import NewsbriefError
from newsbrief.input_stories import background_docfreq
from newsbrief.lede import story_ledes
from newsbrief.minhash import BANDS, NUM_PERM
from newsbrief.model import Article
from newsbrief.store import ArticleVector, Correction, Store, StorySummary, parse_story_id
from newsbrief.stories import story_label, update_stories
from newsbrief.story_features import N_FEATURES, DocFreq, Features

__all__ = [
    "CorrectionError",
    "format_articles",
    "format_log",
    "merge",
    "move",
    "rebuild_stories",
    "resolve_story",
    "split",
]


class CorrectionError(NewsbriefError):
    """A correction that cannot be made; ``not_found`` when a story or article is unknown."""

    def __init__(self, message: str, not_found: bool = False) -> None:
        super().__init__(message)
        self.not_found = not_found


def resolve_story(store: Store, story_id: int | str) -> int | None:
    """The listed story ``story_id`` is now: itself, or the story it was merged into; None
    when there is no such story (or it was emptied)."""
    sid = parse_story_id(story_id)
    if sid is None:
        return None
    if store.story(sid) is not None:
        return sid
    target = store.merged_into(sid)
    return target if target is not None and store.story(target) is not None else None


def _live(store: Store, story_id: int | str) -> int:
    sid = parse_story_id(story_id)
    if sid is None or store.story(sid) is None:
        later = None if sid is None else store.merged_into(sid)
        hint = f" (it was merged into story {later})" if later is not None else ""
        raise CorrectionError(f"no story {story_id!r}{hint}", not_found=True)
    return sid


def _article_ids(values: Iterable[int | str]) -> list[int]:
    ids = []
    for v in values:
        aid = parse_story_id(v)  # the same rule: ASCII digits, nothing looser
        if aid is None:
            raise CorrectionError(f"not an article id: {v!r}")
        ids.append(aid)
    return sorted(set(ids))


def merge(store: Store, keep: int | str, other: int | str) -> int:
    """Move every article of story ``other`` into story ``keep``; ``other`` disappears and its
    id leads to ``keep`` from then on. The kept story's id."""
    with store.transaction():
        k, o = _live(store, keep), _live(store, other)
        if k == o:
            raise CorrectionError(f"cannot merge story {k} with itself")
        moved = [v.article_id for v in store.article_vectors(o)]
        store.set_story(moved, k)
        rebuild_stories(store, [k])
        store.drop_story(o, merged_into=k)
        store.log_correction("merge", k, o, moved)
    return k


def split(store: Store, story_id: int | str, article_ids: Sequence[int | str]) -> int:
    """Move these articles of the story into a new story; the new story's id. At least one
    article must stay behind (moving all of them would only rename the story)."""
    with store.transaction():
        sid = _live(store, story_id)
        ids = _article_ids(article_ids)
        if not ids:
            raise CorrectionError("name the articles to split off")
        members = {v.article_id for v in store.article_vectors(sid)}
        strangers = [a for a in ids if a not in members]
        if strangers:
            raise CorrectionError(
                f"not articles of story {sid}: {', '.join(map(str, strangers))}",
                not_found=True)
        if len(ids) == len(members):
            raise CorrectionError(f"split off fewer articles than story {sid} holds "
                                  f"({len(members)}): one at least must stay")
        (new,) = store.new_stories(1)
        store.set_story(ids, new)
        rebuild_stories(store, [sid, new])
        store.log_correction("split", sid, new, ids)
    return new


def move(store: Store, article_id: int | str, story_id: int | str | None) -> int | None:
    """Move one article into story ``story_id``, or out of all stories when None (it stays
    stored and searchable, and no later article joins it). The story it left, or None
    when it was in none; a story it leaves empty disappears."""
    (aid,) = _article_ids([article_id])
    with store.transaction():
        found = store.article_stories([aid])
        if aid not in found:
            raise CorrectionError(f"no article {article_id!r}", not_found=True)
        before = found[aid]
        target = None if story_id is None else _live(store, story_id)
        if target == before:
            return before
        store.set_story([aid], target)
        rebuild_stories(store, [s for s in (before, target) if s is not None])
        store.log_correction("move", before, target, [aid])
    return before


def _stored_features(v: ArticleVector, title: str | None) -> Features:
    """The parts of ``Features`` that rebuilding a summary reads (time and headline): the
    rest of a stored article's features is not kept, and not needed."""
    none = np.zeros(0, dtype=np.int32)
    passages = Passages((), (), np.zeros((0, NUM_PERM), dtype=np.uint32),
                        np.zeros((0, BANDS), dtype=np.int64), 0)
    article = Article(id=str(v.article_id), source="", origin="", text="", title=title)
    return Features(article, "", none, none.astype(np.float32), (), passages, v.published, 0,
                    title)


def _headlines(store: Store, story_id: int, rows: Sequence[ArticleVector]) -> list[str | None]:
    """Each article's headline as ingest's features had it: its title, else the headline
    line cleaning finds in its text (the store keeps no other)."""
    if all(v.title for v in rows):
        return [v.title for v in rows]
    texts = {a.id: a for a in store.articles(story_id)}
    return [v.title or clean(texts[str(v.article_id)]).title for v in rows]


def _weights(store: Store) -> DocFreq:
    """The frequencies ingest weighs terms by: the store's own over the background."""
    docfreq = background_docfreq()
    df, n_docs = store.docfreq()
    if df is not None:
        docfreq.df += df
        docfreq.n_docs += n_docs
    return docfreq


def rebuild_stories(store: Store, story_ids: Iterable[int]) -> list[StorySummary]:
    """Rebuild these stories' summaries from their stored articles, as ingest builds them
    (a story with no article left is dropped); the summaries saved."""
    docfreq: DocFreq | None = None
    saved = []
    ledes: dict[int, str] = {}
    for sid in sorted(set(story_ids)):
        rows = store.article_vectors(sid)
        if not rows:
            store.drop_story(sid)
            continue
        old = store.story_summaries([sid])
        docfreq = docfreq or _weights(store)
        indptr = np.cumsum([0, *(len(v.terms) for v in rows)])
        x = sp.csr_matrix(
            (np.concatenate([v.values for v in rows]).astype(np.float32),
             np.concatenate([v.terms for v in rows]).astype(np.int32), indptr),
            shape=(len(rows), N_FEATURES),
        )
        empty = StorySummary(sid, 0, None, None, np.zeros(0, dtype=np.int32),
                             np.zeros(0, dtype=np.float32))
        titles = _headlines(store, sid, rows)
        good = [_stored_features(v, t) for v, t in zip(rows, titles, strict=True)]
        (summary,) = update_stories(good, x, [sid] * len(rows), {sid: empty}, docfreq,
                                    store.settings)
        words = store.term_words(summary.terms)
        saved.append(replace(summary, label=story_label(summary.terms, words)))
        # the stories list's lede follows the headline article, as at ingest (newsbrief.lede);
        # a story without a headline takes its first article's, which may have left it
        if summary.headline is None or not old or old[0].headline != summary.headline:
            texts = {a.id: a for a in store.articles(sid)}
            ledes.update(story_ledes(
                [(sid, texts[str(v.article_id)], t) for v, t in zip(rows, titles, strict=True)],
                {sid: summary.headline}, {sid: True},
            ))
    store.save_stories(saved)
    store.save_ledes(ledes)
    return saved


def format_log(log: Sequence[Correction]) -> str:
    """The correction log as plain text, one line each, newest first."""
    if not log:
        return "no corrections\n"
    lines = []
    for c in log:
        ids = ", ".join(map(str, c.article_ids))
        if c.action == "merge":
            what = f"merged story {c.other_id} into {c.story_id} (articles {ids})"
        elif c.action == "split":
            what = f"split articles {ids} off story {c.story_id} into new story {c.other_id}"
        else:
            to = f"story {c.other_id}" if c.other_id is not None else "out of all stories"
            frm = f"story {c.story_id}" if c.story_id is not None else "no story"
            what = f"moved article {ids} from {frm} to {to}"
        lines.append(f"{c.id:>5}  {c.at:%Y-%m-%d %H:%M:%S}  {what}")
    return "\n".join(lines) + "\n"


def format_articles(articles: Sequence[Article]) -> str:
    """Articles as a plain-text table: the ids corrections take, source, date, title."""
    if not articles:
        return "no articles\n"
    lines = [f"{'ARTICLE':>7}  {'DATE':<10}  {'SOURCE':<24}  TITLE"]
    for a in articles:
        when = f"{a.published:%Y-%m-%d}" if a.published else "-"
        lines.append(f"{a.id:>7}  {when:<10}  {a.source[:24]:<24}  {a.title or a.origin}")
    return "\n".join(lines) + "\n"
