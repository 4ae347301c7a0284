"""Story grouping: clusters come back, batches join stored stories, copies stay
together, publication time separates look-alike stories, settings are checked."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from _storydata import make_clusters

from evaluation.stories_eval import bcubed
from newsbrief.errors import SettingsError
from newsbrief.ingest import ingest_articles, ingest_paths
from newsbrief.minhash import shingles, signatures, similar_pairs
from newsbrief.model import Article
from newsbrief.readers import read_paths
from newsbrief.settings import StorySettings
from newsbrief.store import MemoryStore, Store, open_store
from newsbrief.stories import StoryCandidates, candidate_edges, cluster, name_links
from newsbrief.story_features import (
    DocFreq,
    Features,
    content_hash,
    featurize,
    notice_share,
    salient_terms,
    vectorize,
)

KINDS = ["sqlite", "memory"]


def make_store(kind: str, tmp_path: Path, name: str = "s.db") -> Store:
    """A new, empty store of either kind: the tests that take ``kind`` hold for both."""
    return open_store(tmp_path / name) if kind == "sqlite" else MemoryStore()


def bcubed_f1(gold: Sequence[Hashable], pred: Sequence[Hashable]) -> float:
    """The evaluation's B-cubed F1, so tests and reported numbers use one definition."""
    return bcubed(gold, pred)[2]


def _stories(kind: str, tmp_path: Path, articles: list[Article], batch_size: int) -> list[int]:
    with make_store(kind, tmp_path, f"s{batch_size}.db") as store:
        ingest_articles(store, articles, batch_size=batch_size)
        found = store.story_of(content_hash(a.text) for a in articles)
    return [found[content_hash(a.text)] for a in articles]


@pytest.mark.parametrize("kind", KINDS)
def test_clusters_come_back_in_one_batch_and_incrementally(kind: str, tmp_path: Path) -> None:
    articles = make_clusters(60, 4, seed=1)
    gold = [str(a.story) for a in articles]
    assert bcubed_f1(gold, _stories(kind, tmp_path, articles, 1000)) > 0.95
    # in small batches: later articles join the stories stored before them (0.947 since the
    # store weighs terms with the background frequencies and merges at 0.12: one more
    # synthetic story joined early; on real news both moved B-cubed up, docs/stories.md)
    assert bcubed_f1(gold, _stories(kind, tmp_path, articles, 25)) > 0.94


@pytest.mark.parametrize("kind", KINDS)
def test_a_new_batch_joins_stored_stories(kind: str, tmp_path: Path) -> None:
    articles = make_clusters(20, 4, seed=2)
    first = [a for i, a in enumerate(articles) if i % 2 == 0]
    later = [a for i, a in enumerate(articles) if i % 2 == 1]
    with make_store(kind, tmp_path) as store:
        ingest_articles(store, first)
        n_stories = store.counts()[1]
        report = ingest_articles(store, later)
        # some clusters may have had no article in the first half
        assert report.joined >= 0.8 * len(later)
        assert store.counts()[1] <= n_stories + 3


def test_copies_are_found_and_near_misses_are_not() -> None:
    words = [f"w{i}" for i in range(200)]
    edited = words[:190] + ["x"] * 10
    other = words[:60] + [f"z{i}" for i in range(140)]
    sigs = signatures(shingles(" ".join(w)) for w in (words, edited, other))
    pairs = similar_pairs(sigs, 0.5)
    assert [(i, j) for i, j, _ in pairs] == [(0, 1)]
    assert pairs[0][2] > 0.8


@pytest.mark.parametrize("kind", KINDS)
def test_publication_time_splits_lookalike_stories(kind: str, tmp_path: Path) -> None:
    base = make_clusters(1, 6, seed=3)
    later = [  # the same words in another order: alike, but not copies
        Article(id="", source=a.source, origin=a.origin + "-later",
                text=" ".join(reversed(a.text.split())),
                title=a.title, published=(a.published or datetime(2024, 1, 1))
                + timedelta(days=400))
        for a in base
    ]
    with make_store(kind, tmp_path) as store:
        ingest_articles(store, base)
        ingest_articles(store, later)
        ids = store.story_of(content_hash(a.text) for a in base + later)
    assert len({ids[content_hash(a.text)] for a in later}) == 1
    assert {ids[content_hash(a.text)] for a in base}.isdisjoint(
        {ids[content_hash(a.text)] for a in later}
    )


def test_candidates_are_not_all_pairs() -> None:
    articles = make_clusters(100, 3, seed=4)
    feats = [featurize(a) for a in articles]
    good = [f for f in feats if isinstance(f, Features)]
    docfreq = DocFreq()
    docfreq.add(good)
    x = vectorize(good, docfreq)
    settings = StorySettings()
    salient = salient_terms(x, docfreq, settings.salient, settings.common_df)
    i, j, w = candidate_edges(x, salient, settings)
    n = len(good)
    assert len(i) < n * (n - 1) / 2 / 10  # a small share of all pairs
    assert np.all(i < j) and np.all(w >= settings.min_link)
    halves = [candidate_edges(x, salient, settings, rows=r) for r in ((0, n // 2), (n // 2, n))]
    assert sum(len(h[0]) for h in halves) == len(i)


@pytest.mark.parametrize(
    ("field", "value"),
    [("threshold", 0.0), ("threshold", 1.5), ("salient", 0), ("min_link", 0.5),
     ("copy_threshold", 2.0), ("time_decay_days", 0.0), ("singleton_threshold", 0.5),
     ("singleton_threshold", 0.01), ("name_bonus", -1.0), ("name_df", 0.0)],
)
def test_settings_are_checked(field: str, value: float) -> None:
    with pytest.raises(SettingsError, match=field):
        StorySettings(**{field: value})


def test_boilerplate_only_article_is_rejected_with_its_origin(tmp_path: Path) -> None:
    junk = Article(id="", source="x", origin="junk.txt", text="Subscribe now\nShare\nTweet")
    with open_store(tmp_path / "s.db") as store:
        report = ingest_articles(store, [junk, *make_clusters(2, 2)])
    assert report.stored == 4
    assert [(p.origin, "nothing left" in p.message) for p in report.rejected] == [
        ("junk.txt", True)
    ]


def test_site_and_archive_notices_are_rejected_not_grouped(tmp_path: Path) -> None:
    alexa = ("Starting in 1996, Alexa Internet has been donating their crawl data to the "
             "Internet Archive. Flowing in every day, these data are added to the Wayback "
             "Machine after an embargo period.")
    tweet = ("Tweet with a location you can add location information to your tweets, such "
             "as your city or precise location, from the web and via third-party "
             "applications. You always have the option to delete your tweet location "
             "history. Learn more")
    news = ("Please enable JavaScript to watch this video. The city council of Vernal voted "
            "on Tuesday to close the old bridge over the river after engineers found deep "
            "cracks in two of its piers, and the mayor said repairs would take a year.")
    assert notice_share(alexa) == 1.0 and notice_share(tweet) > 0.9
    assert notice_share(news) < 0.5
    notices = [
        Article(id="", source=f"s{i}", origin=f"n{i}.txt", text=t)
        for i, t in enumerate([alexa, tweet])
    ]
    with open_store(tmp_path / "s.db") as store:
        report = ingest_articles(store, [*notices, *make_clusters(2, 2)])
    assert report.stored == 4
    assert sorted(p.origin for p in report.rejected) == ["n0.txt", "n1.txt"]
    # cleaning removes each notice as boilerplate, with its reason, so nothing is left
    assert all("notice" in p.message or "nothing left after cleaning" in p.message
               for p in report.rejected)
    assert isinstance(featurize(Article(id="", source="s", origin="o", text=news)), Features)


def test_names_weigh_more_than_other_words() -> None:
    text = "The storm reached the coast and Maria Lopez said the town flooded."
    f = featurize(Article(id="", source="s", origin="o", text=text))
    assert isinstance(f, Features)
    count = dict(zip(f.words, f.counts.tolist(), strict=True))
    assert count["maria"] > count["storm"] and count["lopez"] > count["town"]


def test_singleton_pass_moves_a_lone_article_into_its_best_story() -> None:
    # 0-1 a pair at 0.5; 2 links 0-1 at 0.12 on average: alone unless the pass is on
    edges = (np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.5, 0.12, 0.12]))
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    off = cluster(3, edges, none, StoryCandidates(), StorySettings(threshold=0.15))
    on = cluster(3, edges, none, StoryCandidates(),
                 StorySettings(threshold=0.15, singleton_threshold=0.1))
    assert off.new_group == [0, 0, 1]
    assert on.new_group == [0, 0, 0]


# --- issue 14, grouping right: names, time spans, titles -----------------------------------


def _batch(texts: Sequence[str]) -> tuple[list[Features], DocFreq]:
    feats = [featurize(Article(id="", source=f"s{i}", origin=f"o{i}", text=t))
             for i, t in enumerate(texts)]
    good = [f for f in feats if isinstance(f, Features)]
    docfreq = DocFreq()
    docfreq.add(good)
    return good, docfreq


def test_a_shared_rare_name_counts_more_and_a_common_one_does_not() -> None:
    good, docfreq = _batch([
        "The tree in the square lost its needles and Spelacchio became a joke online.",
        "Residents laughed at the tree after the city named it Spelacchio in a vote.",
        "The old tree in the park lost its leaves before the winter came to the city.",
    ])
    word_ids = {w: int(t) for f in good for w, t in zip(f.words, f.terms.tolist(), strict=True)}
    assert word_ids["spelacchio"] in good[0].names.tolist()
    assert word_ids["spelacchio"] in good[1].names.tolist()
    assert word_ids["tree"] not in good[0].names.tolist()  # lower case: not a name
    x = vectorize(good, docfreq)
    i, j = np.array([0, 0]), np.array([1, 2])
    edges = (i, j, np.asarray(x[i].multiply(x[j]).sum(axis=1)).ravel().astype(np.float64))
    none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))
    names = [f.names for f in good]
    off = StorySettings(name_bonus=0.0)
    assert name_links(x, names, edges, none, StoryCandidates(), docfreq, off)[0] is edges
    (_, _, w), _ = name_links(x, names, edges, none, StoryCandidates(), docfreq,
                              StorySettings(name_bonus=2.0, name_df=0.9))
    assert w[0] > edges[2][0] + 0.05  # the pair that shares the name gains
    assert w[1] == pytest.approx(edges[2][1])  # the pair that shares none does not
    # a name in more of the documents than name_df allows is common: no gain
    docfreq.df[word_ids["spelacchio"]] = docfreq.n_docs
    (_, _, w), _ = name_links(x, names, edges, none, StoryCandidates(), docfreq,
                              StorySettings(name_bonus=2.0, name_df=0.5))
    assert w[0] == pytest.approx(edges[2][0])


def test_a_group_far_in_time_from_a_stored_story_does_not_join_it() -> None:
    day = 86400.0
    stored = StoryCandidates(ids=[7], sizes=np.array([1]), first=[900 * day], last=[900 * day])
    edges = (np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.6, 0.6, 0.6]))
    links = (np.array([0, 1]), np.array([0, 0]), np.array([0.5, 0.5]))
    settings = StorySettings()
    # articles 0 and 1 are undated (their links to the story are not scaled), 2 is dated
    # two years before the story: the group of the three stays out of it
    apart = cluster(3, edges, links, stored, settings, times=[None, None, 100 * day])
    assert apart.story == [None, None, None] and len(set(apart.new_group)) == 1
    # undated, or dated near the story, the same links join it
    assert cluster(3, edges, links, stored, settings).story == [7, 7, 7]
    near = cluster(3, edges, links, stored, settings, times=[None, None, 899 * day])
    assert near.story == [7, 7, 7]


@pytest.mark.parametrize("kind", KINDS)
def test_a_credit_line_is_neither_title_nor_label(kind: str, tmp_path: Path) -> None:
    text = ("Source: Jdarsie11 / Wikimedia Commons\n\n"
            "Anthony Scaramucci was named White House communications director on Friday, "
            "and press secretary Sean Spicer resigned in protest hours later, aides said.\n\n"
            "Scaramucci, a financier, told reporters he would not fire anyone on the staff.")
    article = Article(id="", source="s", origin="o", text=text)
    f = featurize(article)
    assert isinstance(f, Features)
    assert f.title is None or "Wikimedia" not in f.title
    assert not {"jdarsie11", "wikimedia", "commons"} & set(f.words)
    with make_store(kind, tmp_path) as store:
        ingest_articles(store, [article])
        (info,) = store.stories(10, 0, None, "size")
    assert "Wikimedia" not in (info.headline or "") and "wikimedia" not in info.label


def test_the_seeds_stay_one_story_after_a_2019_article_on_syria(
    seeds_dir: Path, data_dir: Path, tmp_path: Path
) -> None:
    page = (data_dir / "article-extraction" / "html"
            / "1ee91d1fce65e09be8b8d2d29eab771546d98ca2ba5c862941e660e9fec12432.html.gz")
    if not page.exists():
        pytest.skip(f"{page} not found")
    seeds = list(read_paths([seeds_dir]).articles)
    with open_store(tmp_path / "s.db") as store:
        before = ingest_paths(store, [page], progress=False)
        assert before.stored == 1  # "Russia and Syria: U.S.-backed Syrian Forces ...", 2019
        report = ingest_paths(store, [seeds_dir], progress=False)
        ids = store.story_of(content_hash(a.text) for a in seeds)
        assert report.copies == 1  # the Wall Street Journal re-post
        assert report.joined == 0 and report.new_stories == 1
        (sid,) = set(ids.values())
        assert store.story(sid).size == 5  # type: ignore[union-attr]
