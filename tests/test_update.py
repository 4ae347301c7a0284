"""What is new (issue 14): arrival times and read marks in both stores, the update brief,
changed figures, ``brief --since`` and the web's "New since your last visit"."""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsbrief.cli import main
from newsbrief.errors import SettingsError
from newsbrief.ingest import ingest_articles
from newsbrief.model import Article, Brief
from newsbrief.readers import read_paths
from newsbrief.render import render, to_dict
from newsbrief.render.common import changed_figures
from newsbrief.store import MemoryStore, Store, open_store
from newsbrief.update import parse_since, split_by_arrival, story_update, update_brief

REPEATED = ("Households in Marrowfield have been told to boil their tap water after an "
            "industrial solvent was found in the Wren River on Monday.")
"""A sentence of the fixture story (kestrel-times) that the new article repeats word for word."""
NEW_FACT = ("Stannard Chemicals closed its plant on Thursday while inspectors from the "
            "Environment Agency took samples from its drains and storage tanks.")
NEW = Article(
    id="", source="Marrowfield Mercury", origin="mercury.txt",
    title="Boil-water warning widened as Stannard plant closes",
    published=datetime(2024, 3, 14, 9, 0, tzinfo=UTC),
    text="\n\n".join([
        REPEATED,
        "The warning now applies to about 21,000 homes, the town council said on Thursday, "
        "after the solvent was also found in a second reservoir.",
        NEW_FACT,
        "“We will keep the plant shut until the inspectors have finished their work,” said "
        "Tom Reddy, the company's chief executive.",
        "Schools in the town will stay open, and the leisure centre will hand out bottled "
        "water until the weekend, the council added.",
    ]) + "\n",
)
"""A later report: one sentence repeated, a figure changed (14,000 homes before), new facts,
a new quote, from an outlet the story did not have."""


@pytest.fixture(scope="module")
def earlier(story_dir: Path) -> list[Article]:
    articles: list[Article] = read_paths([story_dir]).articles
    return articles


@pytest.fixture(scope="module")
def update(earlier: list[Article]) -> Brief:
    return update_brief(earlier, [NEW], since=datetime(2024, 3, 13, tzinfo=UTC))


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryStore()
    else:
        with open_store(tmp_path / "s.db") as db:
            yield db


def _only_story(store: Store) -> int:
    (info,) = store.stories()
    return info.id


def _next_second(after: datetime) -> None:
    """Sleep until the clock is past ``after``'s second: arrival times are to the second."""
    while datetime.now(tz=UTC).replace(microsecond=0) <= after:
        time.sleep(0.05)


# -- the store: arrival times and read marks ----------------------------------------------


def test_arrivals_are_the_ingest_time_of_each_article(store: Store,
                                                      earlier: list[Article]) -> None:
    before = datetime.now(tz=UTC).replace(microsecond=0)
    ingest_articles(store, earlier)
    after = datetime.now(tz=UTC)
    sid = _only_story(store)
    arrivals = store.arrivals(sid)
    assert set(arrivals) == {a.id for a in store.articles(sid)}
    assert all(t.tzinfo is not None and before <= t <= after for t in arrivals.values())
    _next_second(max(arrivals.values()))
    ingest_articles(store, [NEW])
    later = store.arrivals(sid)
    assert len(later) == len(arrivals) + 1
    (new_id,) = set(later) - set(arrivals)
    assert later[new_id] > max(arrivals.values())
    assert {k: later[k] for k in arrivals} == arrivals
    assert store.arrivals(sid + 1000) == {}
    assert store.arrivals("not an id") == {}


def test_read_marks_are_kept_per_story_and_replaced(store: Store,
                                                   earlier: list[Article]) -> None:
    ingest_articles(store, earlier)
    sid = _only_story(store)
    assert store.last_read(sid) is None
    first = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    store.mark_read(sid, first)
    assert store.last_read(sid) == first
    assert store.last_read(str(sid)) == first
    store.mark_read(str(sid), datetime(2026, 1, 3, 12, 0))  # naive: taken as UTC
    assert store.last_read(sid) == datetime(2026, 1, 3, 12, 0, tzinfo=UTC)
    store.mark_read(sid, datetime(2026, 1, 4, 12, 0, tzinfo=timezone(timedelta(hours=2))))
    assert store.last_read(sid) == datetime(2026, 1, 4, 10, 0, tzinfo=UTC)
    assert store.last_read(sid + 1) is None
    with pytest.raises(SettingsError):
        store.mark_read("x1", first)


def test_sqlite_read_marks_last_across_opens(tmp_path: Path, earlier: list[Article]) -> None:
    when = datetime(2026, 5, 6, 7, 8, 9, tzinfo=UTC)
    with open_store(tmp_path / "s.db") as db:
        ingest_articles(db, earlier)
        sid = _only_story(db)
        db.mark_read(sid, when)
        arrivals = db.arrivals(sid)
    with open_store(tmp_path / "s.db", create=False) as db:
        assert db.last_read(sid) == when
        assert db.arrivals(sid) == arrivals


# -- the update brief ------------------------------------------------------------------------


def test_update_cites_only_new_articles(update: Brief) -> None:
    assert update.update is not None
    new = set(update.update.new_articles)
    assert len(new) == 1 and len(update.update.earlier_articles) == 5
    assert update.summary
    for s in update.summary:
        assert set(s.article_ids) <= new, s.text
    texts = [s.sentence.text for s in update.summary]
    assert NEW_FACT in texts
    assert REPEATED not in texts  # said by an earlier article: not new
    assert update.update.new_sources == ("Marrowfield Mercury",)
    for q in update.quotes:  # only quotes that no earlier article reports
        assert set(q.article_ids) <= new


def test_summarize_reads_earlier_articles_as_said(earlier: list[Article]) -> None:
    from newsbrief.pipeline import prepare
    from newsbrief.summarize import summarize

    result, sentences = prepare([*earlier, NEW])
    old = {a.id for a in result.articles[:-1]}
    plain = summarize(sentences, 100, result.source_groups)
    assert {s.sentence.article_id for s in plain} & old  # without it, the old story leads
    told = summarize(sentences, 100, result.source_groups, read=old)
    assert told and all(s.sentence.article_id not in old for s in told)
    assert REPEATED not in [s.sentence.text for s in told]  # a repeat of a read sentence
    fact = next(s.sentence.id for s in told if s.sentence.text == NEW_FACT)
    again = summarize(sentences, 100, result.source_groups, read=old, left_out={fact})
    assert NEW_FACT not in [s.sentence.text for s in again]


def test_a_changed_figure_shows_with_both_values(update: Brief) -> None:
    # the new figure is news: told in the summary, not closed as a repeat of the old one
    assert any("about 21,000 homes" in s.text for s in update.summary)
    (changed,) = [c for c in changed_figures(update) if c.what == "homes"]
    values = dict(changed.values)
    assert set(values) == {"about 21,000", "about 14,000"}
    assert set(values["about 21,000"]) <= set(update.update.new_articles)  # type: ignore[union-attr]
    assert set(values["about 14,000"]) <= set(update.update.earlier_articles)  # type: ignore[union-attr]
    md = render([update], "md")
    assert "## New since 2024-03-13 00:00 UTC" in md
    assert "Changed figures" in md and "about 21,000 [6]" in md
    data = to_dict(update)
    assert data["update"]["since"] == "2024-03-13T00:00:00+00:00"
    assert data["update"]["new_sources"] == ["Marrowfield Mercury"]
    assert any(data["conflicts"][i]["what"] == "homes" for i in data["update"]["changed_figures"])
    html = render([update], "html")
    assert "New since 2024-03-13 00:00 UTC" in html and "21,000" in html


def test_a_whole_brief_has_no_update(story_brief: Brief) -> None:
    assert story_brief.update is None
    assert to_dict(story_brief)["update"] is None
    assert "New since" not in render([story_brief], "md")


def test_nothing_new_is_an_empty_update(earlier: list[Article]) -> None:
    result = update_brief(earlier, [])
    assert result.summary == [] and result.update is not None
    assert result.update.new_articles == ()
    assert any("no new article" in p.message for p in result.problems)


def test_split_by_arrival() -> None:
    a, b = (Article(id=i, source="s", origin=i, text="t") for i in ("1", "2"))
    t = datetime(2026, 1, 1, tzinfo=UTC)
    arrivals = {"1": t, "2": t + timedelta(seconds=1)}
    assert split_by_arrival([a, b], arrivals, t) == ([a], [b])
    assert split_by_arrival([a, b], arrivals, datetime(2026, 1, 1)) == ([a], [b])
    assert split_by_arrival([a, b], arrivals, t - timedelta(seconds=1)) == ([], [a, b])


def test_story_update_splits_by_arrival(store: Store, earlier: list[Article]) -> None:
    ingest_articles(store, earlier)
    sid = _only_story(store)
    since = max(store.arrivals(sid).values())
    _next_second(since)
    ingest_articles(store, [NEW])
    result = story_update(store, sid, since)
    assert result.update is not None and result.story == str(sid)
    (new_id,) = result.update.new_articles
    assert result.article(new_id).source == "Marrowfield Mercury"
    assert all(set(s.article_ids) == {new_id} for s in result.summary)
    whole = story_update(store, sid, None)
    assert whole.update is None and len(whole.articles) == 6
    # the update numbers articles as the whole brief does (the store's order)
    assert [a.article.origin for a in whole.articles] == [a.article.origin
                                                          for a in result.articles]


def test_parse_since() -> None:
    now = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
    assert parse_since("2026-11-28T10:30", now) == datetime(2026, 11, 28, 10, 30, tzinfo=UTC)
    assert parse_since("2026-11-28T10:30+02:00", now) == datetime(2026, 11, 28, 8, 30,
                                                                  tzinfo=UTC)
    assert parse_since("2 hours ago", now) == datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    for bad, why in (("not a time at all", "is not a time"), ("", "needs a time"),
                     ("2099-01-01", "in the future")):
        with pytest.raises(SettingsError, match=why):
            parse_since(bad, now)


# -- the CLI -------------------------------------------------------------------------------


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_since_last_read(tmp_path: Path, earlier: list[Article],
                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as s:
        ingest_articles(s, earlier)
        sid = str(_only_story(s))
    code, out, _ = _run(["brief", "--db", str(db), "--story", sid], capsys)
    assert code == 0 and "New since" not in out
    with open_store(db, create=False) as s:
        read = s.last_read(sid)
        assert read is not None  # a brief read from the store sets the mark
        _next_second(max([read, *s.arrivals(sid).values()]))
        ingest_articles(s, [NEW])
    code, out, err = _run(["brief", "--db", str(db), "--story", sid, "--since", "last-read",
                           "--format", "json"], capsys)
    assert code == 0, err
    (data,) = json.loads(out)["briefs"] if "briefs" in json.loads(out) else [json.loads(out)]
    assert len(data["update"]["new_articles"]) == 1
    cited = {c["article_id"] for s in data["summary"] for c in s["citations"]}
    assert cited == set(data["update"]["new_articles"])
    # read again: nothing is new since the mark the last brief set
    code, out, err = _run(["brief", "--db", str(db), "--story", sid, "--since", "last-read"],
                          capsys)
    assert code == 0, err
    assert "no new article" in err and "New since" in out


def test_cli_since_a_time(tmp_path: Path, earlier: list[Article],
                          capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    with open_store(db) as s:
        ingest_articles(s, [*earlier, NEW])
        sid = str(_only_story(s))
    code, out, err = _run(["brief", "--db", str(db), "--story", sid, "--since", "1 hour ago"],
                          capsys)
    assert code == 0, err
    assert "## New since" in out and "6 new articles" in out  # all arrived in the last hour
    code, out, err = _run(["brief", "--db", str(db), "--story", sid, "--since", "soonish"],
                          capsys)
    assert code == 2 and "'soonish' is not a time" in err and out == ""
    code, _, err = _run(["brief", str(tmp_path), "--since", "1 hour ago"], capsys)
    assert code == 2 and "--since needs a stored story" in err


# -- the web ---------------------------------------------------------------------------------


def test_web_new_since_last_visit(tmp_path: Path, earlier: list[Article]) -> None:
    pytest.importorskip("fastapi", reason="the web extra is not installed")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from newsbrief.web import create_app

    with open_store(tmp_path / "s.db") as db, TestClient(
            create_app(db), raise_server_exceptions=False, base_url="http://localhost") as web:
        ingest_articles(db, earlier)
        sid = _only_story(db)
        first = web.get(f"/stories/{sid}")
        assert first.status_code == 200 and "New since your last visit" not in first.text
        mark = db.last_read(sid)
        assert mark is not None
        _next_second(max([mark, *db.arrivals(sid).values()]))
        ingest_articles(db, [NEW])
        second = web.get(f"/stories/{sid}")
        assert second.status_code == 200
        assert "New since your last visit" in second.text
        assert "Stannard Chemicals closed its plant" in second.text
        assert "21,000" in second.text  # the changed figure
        third = web.get(f"/stories/{sid}")
        assert "New since your last visit" not in third.text  # the mark moved

        since = mark.isoformat()
        page = web.get(f"/stories/{sid}", params={"since": since})
        assert page.status_code == 200 and "New since " in page.text
        api = web.get(f"/api/stories/{sid}", params={"since": since})
        assert api.status_code == 200
        data = api.json()
        assert data["update"]["since"] == since and len(data["update"]["new_articles"]) == 1
        cited = {c["article_id"] for s in data["summary"] for c in s["citations"]}
        assert cited == set(data["update"]["new_articles"])
        assert web.get(f"/api/stories/{sid}").json()["update"] is None
        bad = web.get(f"/api/stories/{sid}", params={"since": "whenever"})
        assert bad.status_code == 400 and "is not a time" in bad.text
        moved = web.get(f"/stories/0{sid}", params={"since": since}, follow_redirects=False)
        assert moved.status_code == 308 and "since=" in moved.headers["location"]

