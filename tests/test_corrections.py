"""Stories a user corrects (newsbrief.corrections): merge, split, move, on both stores, from
the CLI and the web API, and kept when more articles arrive (real ingests)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from _storydata import make_clusters, write_jsonl

from newsbrief import corrections as fix
from newsbrief.cli import main
from newsbrief.ingest import ingest_articles, ingest_paths
from newsbrief.model import Article
from newsbrief.store import MemoryStore, SQLiteStore, Store, open_store
from newsbrief.story_features import content_hash

CLUSTERS = make_clusters(5, 6, seed=11)
"""Five stories of six synthetic articles; ``Article.story`` is the truth (c0 … c4)."""


def _first(articles: list[Article], per_cluster: int) -> list[Article]:
    """The first ``per_cluster`` articles of each cluster (the rest arrive later)."""
    seen: dict[str | None, int] = {}
    out = []
    for a in articles:
        if seen.get(a.story, 0) < per_cluster:
            out.append(a)
            seen[a.story] = seen.get(a.story, 0) + 1
    return out


def _later(articles: list[Article], per_cluster: int) -> list[Article]:
    early = {id(a) for a in _first(articles, per_cluster)}
    return [a for a in articles if id(a) not in early]


def _truth(store: Store) -> dict[str, int]:
    """Cluster name -> the story holding most of its articles."""
    votes: dict[tuple[str, int], int] = {}
    for info in store.stories(limit=100):
        for a in store.articles(info.id):
            key = (a.origin.split(":")[1], info.id)
            votes[key] = votes.get(key, 0) + 1
    best: dict[str, tuple[int, int]] = {}
    for (c, sid), n in votes.items():
        if n > best.get(c, (0, 0))[0]:
            best[c] = (n, sid)
    return {c: sid for c, (_, sid) in best.items()}


def _ids(store: Store, story_id: int) -> list[int]:
    return [int(a.id) for a in store.articles(story_id)]


def _snapshot(store: Store) -> list[tuple[int, int, str, str | None, tuple[int, ...]]]:
    return [(s.id, s.size, s.label, s.headline, tuple(_ids(store, s.id)))
            for s in store.stories(limit=100)]


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Both stores, holding the first four articles of each cluster."""
    st: Store = open_store(tmp_path / "s.db") if request.param == "sqlite" else MemoryStore()
    ingest_articles(st, _first(CLUSTERS, 4))
    assert len(_truth(st)) == 5 and st.counts() == (20, 5), "the clusters must be grouped apart"
    yield st
    st.close()


# -- the corrections --------------------------------------------------------------------

def test_merge_moves_every_article_and_the_old_id_leads_to_the_kept(store: Store) -> None:
    t = _truth(store)
    keep, other = t["0"], t["1"]
    moved, kept = _ids(store, other), _ids(store, keep)
    assert fix.merge(store, str(keep), str(other)) == keep
    assert sorted(_ids(store, keep)) == sorted(moved + kept)
    info = store.story(keep)
    assert info is not None and info.size == 8
    assert store.story(other) is None and other not in {s.id for s in store.stories()}
    assert store.merged_into(other) == keep and store.merged_into(keep) is None
    assert fix.resolve_story(store, other) == keep
    assert store.counts() == (20, 4) and store.check() == []
    (log,) = store.corrections()
    assert (log.action, log.story_id, log.other_id, log.article_ids) == (
        "merge", keep, other, tuple(sorted(moved)))
    # a story merged into one that is merged later leads to the last
    fix.merge(store, t["2"], keep)
    assert store.merged_into(other) == t["2"] == fix.resolve_story(store, keep)


def test_a_rebuilt_summary_is_the_one_ingest_made(store: Store) -> None:
    sid = _truth(store)["3"]
    (before,) = store.story_summaries([sid])
    info = store.story(sid)
    (after,) = fix.rebuild_stories(store, [sid])
    assert (after.size, after.first, after.last) == (before.size, before.first, before.last)
    assert np.array_equal(after.centroid_terms, before.centroid_terms)
    assert np.allclose(after.centroid_values, before.centroid_values, rtol=1e-5)
    again = store.story(sid)
    assert again is not None and info is not None
    assert (again.label, again.headline) == (info.label, info.headline) and info.label


def test_split_makes_a_new_story_of_the_articles(store: Store) -> None:
    sid = _truth(store)["2"]
    ids = _ids(store, sid)
    titles = {int(a.id): a.title for a in store.articles(sid)}
    new = fix.split(store, sid, [str(ids[0]), ids[1]])
    assert sorted(_ids(store, new)) == sorted(ids[:2])
    assert sorted(_ids(store, sid)) == sorted(ids[2:])
    old_info, new_info = store.story(sid), store.story(new)
    assert old_info is not None and new_info is not None
    assert (old_info.size, new_info.size) == (len(ids) - 2, 2)
    assert new_info.headline in {titles[ids[0]], titles[ids[1]]} and new_info.label
    assert store.check() == [] and store.counts() == (20, 6)
    assert store.corrections()[0].action == "split"


@pytest.mark.parametrize("bad, not_found", [
    (lambda s, t: fix.split(s, t["0"], _ids(s, t["0"])), False),  # nothing would stay
    (lambda s, t: fix.split(s, t["0"], []), False),
    (lambda s, t: fix.split(s, t["0"], _ids(s, t["1"])[:1]), True),  # not its article
    (lambda s, t: fix.split(s, t["0"], ["x1"]), False),
    (lambda s, t: fix.merge(s, t["0"], t["0"]), False),
    (lambda s, t: fix.merge(s, t["0"], 999), True),
    (lambda s, t: fix.move(s, 999, t["0"]), True),
    (lambda s, t: fix.move(s, _ids(s, t["0"])[0], 999), True),
])
def test_refused_corrections_say_why_and_change_nothing(
    store: Store, bad: object, not_found: bool
) -> None:
    t = _truth(store)
    before = _snapshot(store)
    with pytest.raises(fix.CorrectionError) as err:
        bad(store, t)  # type: ignore[operator]
    assert err.value.not_found is not_found and str(err.value)
    assert _snapshot(store) == before and store.corrections() == []


def test_move_to_another_story_and_an_emptied_story_disappears(store: Store) -> None:
    t = _truth(store)
    src, dst = t["0"], t["4"]
    ids = _ids(store, src)
    assert fix.move(store, ids[0], dst) == src
    assert ids[0] in _ids(store, dst) and ids[0] not in _ids(store, src)
    assert fix.move(store, ids[0], dst) == dst  # already there: nothing to do
    for aid in ids[1:]:
        fix.move(store, aid, dst)
    assert store.story(src) is None and store.articles(src) == []
    assert store.merged_into(src) is None and fix.resolve_story(store, src) is None
    assert src not in {s.id for s in store.stories()}
    assert store.counts() == (20, 4) and store.check() == []
    info = store.story(dst)
    assert info is not None and info.size == 8


def test_move_out_of_all_stories_keeps_the_article_findable(store: Store) -> None:
    sid = _truth(store)["1"]
    article = store.articles(sid)[0]
    assert fix.move(store, article.id, None) == sid
    assert int(article.id) not in _ids(store, sid)
    assert [a.id for a in store.removed_articles()] == [article.id]
    assert store.removed_articles()[0].story is None
    assert store.article_stories([int(article.id)]) == {int(article.id): None}
    word = article.text.split()[0].strip(".").lower()
    assert int(article.id) in {h.article_id for h in store.search(word, limit=50)}
    assert store.counts() == (20, 5) and store.check() == []
    # and back into a story
    fix.move(store, article.id, sid)
    assert store.removed_articles() == [] and int(article.id) in _ids(store, sid)
    assert store.check() == []


# -- kept when more articles arrive (real ingests) -----------------------------------------

def test_ingest_never_merges_stored_stories_and_a_split_stays(store: Store) -> None:
    sid = _truth(store)["0"]
    ids = _ids(store, sid)
    new = fix.split(store, sid, ids[:2])
    ingest_articles(store, _later(CLUSTERS, 4))  # two more of c0: they link to both halves
    assert sorted(ids[:2]) == sorted(a for a in _ids(store, new) if a in ids)
    assert sorted(ids[2:]) == sorted(a for a in _ids(store, sid) if a in ids)
    assert store.story(sid) is not None and store.story(new) is not None
    assert store.check() == []


def test_a_merged_story_takes_the_later_articles_of_both(store: Store) -> None:
    t = _truth(store)
    keep, other = t["0"], t["1"]
    fix.merge(store, keep, other)
    ingest_articles(store, _later(CLUSTERS, 4))
    members = store.articles(keep)
    assert {a.origin.split(":")[1] for a in members} == {"0", "1"}
    assert len(members) == 12 and store.story(other) is None and store.check() == []


def test_a_removed_article_is_not_put_back_nor_joined(store: Store) -> None:
    sid = _truth(store)["3"]
    removed = store.articles(sid)[0]
    fix.move(store, removed.id, None)
    # more of its story arrive, and a near-copy of the removed article itself
    copy = Article(id="", source="copier.example", origin="copy:3:x",
                   text=removed.text + "\n\nThe copier added this closing line.",
                   title=removed.title, published=removed.published)
    report = ingest_articles(store, [*_later(CLUSTERS, 4), copy])
    assert report.stored == 11
    assert [a.id for a in store.removed_articles()] == [removed.id]
    assert all(removed.id not in {a.id for a in store.articles(s.id)}
               for s in store.stories(limit=100))
    copy_id = store.article_ids([content_hash(copy.text)])[content_hash(copy.text)]
    assert store.article_stories([copy_id])[copy_id] is not None  # in a listed story
    assert store.check() == []


def test_ingesting_the_same_file_again_changes_nothing(store: Store, tmp_path: Path) -> None:
    path = write_jsonl(_first(CLUSTERS, 4), tmp_path / "first.jsonl")
    t = _truth(store)
    fix.merge(store, t["0"], t["1"])
    fix.split(store, t["2"], _ids(store, t["2"])[:1])
    fix.move(store, _ids(store, t["3"])[0], None)
    fix.move(store, _ids(store, t["4"])[0], t["0"])
    before = (_snapshot(store), store.removed_articles(), store.counts())
    report = ingest_paths(store, [path], progress=False)
    assert report.stored == 0 and report.duplicates == 20
    assert (_snapshot(store), store.removed_articles(), store.counts()) == before


# -- the command line ----------------------------------------------------------------------

def test_cli_lists_ids_and_corrects(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    with open_store(db) as st:
        ingest_articles(st, _first(CLUSTERS, 4))
        t = _truth(st)
        ids = _ids(st, t["2"])
    assert main(["story", "articles", str(t["2"]), "--db", str(db)]) == 0
    listing = capsys.readouterr().out
    assert all(f"{a:>7}" in listing for a in ids) and "ARTICLE" in listing
    assert main(["story", "merge", str(t["0"]), str(t["1"]), "--db", str(db)]) == 0
    assert f"merged story {t['1']} into story {t['0']}" in capsys.readouterr().out
    assert main(["story", "split", str(t["2"]), str(ids[0]), str(ids[1]), "--db", str(db)]) == 0
    new = int(capsys.readouterr().out.split()[-1])
    assert main(["story", "move", str(ids[2]), "--out", "--db", str(db)]) == 0
    assert main(["story", "move", str(ids[3]), "--to", str(new), "--db", str(db)]) == 0
    capsys.readouterr()
    assert main(["stories", "--removed", "--db", str(db)]) == 0
    assert f"{ids[2]:>7}" in capsys.readouterr().out
    assert main(["story", "log", "--db", str(db)]) == 0
    log = capsys.readouterr().out.splitlines()
    assert len(log) == 4 and "out of all stories" in log[1] and "merged story" in log[3]
    # a merged-away id still names its story; errors say why and exit 2
    assert main(["story", "articles", str(t["1"]), "--db", str(db)]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 9
    assert main(["story", "merge", str(t["0"]), str(t["1"]), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert f"no story '{t['1']}' (it was merged into story {t['0']})" in err
    with SQLiteStore(db) as st:
        assert st.check() == [] and st.counts() == (20, 4)  # story 2 was emptied
        assert st.story(t["2"]) is None and sorted(_ids(st, new)) == sorted(ids[:2] + ids[3:])


# -- the web API and forms -------------------------------------------------------------------

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from newsbrief.web import create_app  # noqa: E402

LOCAL = "http://localhost"


@pytest.fixture
def web(tmp_path: Path) -> Iterator[tuple[TestClient, SQLiteStore]]:
    with open_store(tmp_path / "web.db") as st:
        ingest_articles(st, _first(CLUSTERS, 4))
        with TestClient(create_app(st), raise_server_exceptions=False, base_url=LOCAL) as c:
            yield c, st


def test_api_merge_split_move_and_errors(web: tuple[TestClient, SQLiteStore]) -> None:
    client, st = web
    t = _truth(st)
    r = client.post(f"/api/stories/{t['0']}/merge", json={"other": t["1"]})
    assert r.status_code == 200 and r.json() == {"story": t["0"], "merged": t["1"]}
    r = client.get(f"/api/stories/{t['1']}?since=2020-01-01", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == f"/api/stories/{t['0']}?since=2020-01-01"
    ids = _ids(st, t["2"])
    r = client.post(f"/api/stories/{t['2']}/split", json={"articles": ids[:2]})
    assert r.status_code == 200 and r.json()["story"] == t["2"]
    assert sorted(_ids(st, r.json()["new_story"])) == sorted(ids[:2])
    r = client.post(f"/api/articles/{ids[2]}/move", json={"story": None})
    assert r.json() == {"article": ids[2], "from": t["2"], "to": None}
    assert [int(a.id) for a in st.removed_articles()] == [ids[2]]
    for path, body, status in [
        (f"/api/stories/{t['0']}/merge", {"other": t["0"]}, 400),
        (f"/api/stories/{t['0']}/merge", {"other": 999}, 404),
        (f"/api/stories/{t['1']}/merge", {"other": t["3"]}, 404),  # merged away
        (f"/api/stories/{t['0']}/merge", {"nothing": 1}, 400),
        (f"/api/stories/{t['3']}/split", {"articles": ids[3:]}, 404),
        ("/api/articles/999/move", {"story": t["0"]}, 404),
    ]:
        r = client.post(path, json=body)
        assert (r.status_code, r.json()["status"]) == (status, status), (path, body)
        assert r.json()["error"]
    # another site may not correct (the guard)
    r = client.post(f"/api/stories/{t['0']}/merge", json={"other": t["3"]},
                    headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and st.story(t["3"]) is not None
    assert st.check() == [] and len(st.corrections()) == 3


def test_story_page_forms_correct_and_show_at_once(web: tuple[TestClient, SQLiteStore]) -> None:
    client, st = web
    t = _truth(st)
    page = client.get(f"/stories/{t['0']}")
    assert page.status_code == 200 and 'id="corrections"' in page.text
    ids = _ids(st, t["0"])
    assert all(f'value="{a}" form="split-form"' in page.text for a in ids)
    assert page.text.count("4 articles from") == 1
    r = client.post(f"/stories/{t['0']}/merge", data={"other": str(t["1"])},
                    headers={"origin": LOCAL}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"/stories/{t['0']}")
    assert "8 articles from" in client.get(f"/stories/{t['0']}").text  # not the cached 4
    r = client.get(f"/stories/{t['1']}", follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (307, f"/stories/{t['0']}")
    r = client.post(f"/stories/{t['0']}/split", data={"articles": [str(a) for a in ids[:2]]},
                    headers={"origin": LOCAL}, follow_redirects=False)
    assert r.status_code == 303 and sorted(_ids(st, t["0"])) == sorted(
        set(_ids(st, t["0"])) - set(ids[:2]))
    r = client.post(f"/articles/{ids[2]}/move", data={"action": "out", "from": str(t["0"])},
                    headers={"origin": LOCAL}, follow_redirects=False)
    assert (r.status_code, r.headers["location"]) == (303, f"/stories/{t['0']}")
    r = client.post(f"/articles/{ids[3]}/move", data={"action": "move", "to": "x"},
                    headers={"origin": LOCAL})
    assert r.status_code == 404 and "no story &#39;x&#39;" in r.text
    r = client.post(f"/articles/{ids[3]}/move", data={"action": "move"},
                    headers={"origin": LOCAL})
    assert r.status_code == 400 and "give the number of the story" in r.text
    assert st.check() == [] and [c.action for c in st.corrections()] == ["move", "split", "merge"]


def test_brief_of_a_merged_away_id_is_the_kept_story(tmp_path: Path) -> None:
    from newsbrief.pipeline import brief_stored

    db = tmp_path / "b.db"
    with open_store(db) as st:
        ingest_articles(st, _first(CLUSTERS, 4))
        t = _truth(st)
        fix.merge(st, t["0"], t["1"])
    result = brief_stored(db, str(t["1"]))
    assert result.story == str(t["0"]) and len(result.articles) == 8


def test_a_rebuilt_headline_is_ingest_s_for_untitled_text(story_dir: Path) -> None:
    """Plain-text articles carry no title: ingest's headline is the line cleaning finds,
    and a rebuild finds it again from the stored text."""
    from dataclasses import replace

    from newsbrief import read_paths

    st = MemoryStore()
    articles = [replace(a, title=None, text=f"{a.title}\n\n{a.text}")
                for a in read_paths([story_dir]).articles]
    ingest_articles(st, articles)
    before = {s.id: s.headline for s in st.stories()}
    assert all(before.values())
    fix.rebuild_stories(st, before)
    assert {s.id: s.headline for s in st.stories()} == before


def test_ledes_follow_the_headline_article(store: Store) -> None:
    from newsbrief.lede import lede

    t = _truth(store)
    sid = t["2"]
    articles = store.articles(sid)
    new = fix.split(store, sid, [articles[0].id])
    fix.merge(store, t["3"], t["4"])
    for story in (sid, new, t["3"]):
        info = store.story(story)
        assert info is not None and info.headline and info.lede
        (chosen,) = [a for a in store.articles(story) if a.title == info.headline][:1]
        assert info.lede == lede(chosen)
    info = store.story(new)
    assert info is not None and info.lede == lede(articles[0])
