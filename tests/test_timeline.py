"""When: dates resolved against publication dates, events in order with their sources."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from _articles import cleaned

from newsbrief.model import Brief, CleanArticle, Removed
from newsbrief.sentences import split_sentences
from newsbrief.timeline import build_timeline, publication_dates, resolve_date

TUESDAY = date(2017, 1, 24)


@pytest.mark.parametrize(
    ("expression", "future", "expected"),
    [
        ("Monday", False, (date(2017, 1, 23), "day")),
        ("early Monday", False, (date(2017, 1, 23), "day")),
        ("Tuesday", False, (TUESDAY, "day")),  # the paper's own day, not a week before
        ("Friday", True, (date(2017, 1, 27), "day")),  # "will visit ... Friday"
        ("Jan. 22", False, (date(2017, 1, 22), "day")),
        ("last week", False, (date(2017, 1, 16), "week")),
        ("in December", False, (date(2016, 12, 1), "month")),
        ("2015", False, (date(2015, 1, 1), "year")),
        ("two years", False, None),  # a length, not a point in time
    ],
)
def test_resolve_date(expression: str, future: bool, expected: tuple[date, str] | None) -> None:
    assert resolve_date(expression, TUESDAY, future=future) == expected


def test_relative_date_without_a_publication_date() -> None:
    assert resolve_date("Monday", None) is None
    assert resolve_date("24 January, 2017", None) == (TUESDAY, "day")


def article(text: str, removed: tuple[Removed, ...] = (), published: datetime | None = None,
            article_id: str = "a0") -> CleanArticle:
    return cleaned(text, article_id, removed=removed, published=published)


def test_publication_date_from_metadata_or_a_removed_date_line() -> None:
    dated = article("Officials met on Monday.", published=datetime(2017, 1, 24, 9, 0))
    dateline = article("Officials met on Monday.", article_id="a1",
                       removed=(Removed("a1", 0, 25, "24/01/2017 22:40 by admin", "data line"),))
    undated = article("Officials met on Monday.", article_id="a2")
    assert publication_dates([dated, dateline, undated]) == {"a0": TUESDAY, "a1": TUESDAY}


def test_events_in_order_with_every_source() -> None:
    one = article("The ministry said strikes were carried out near al-Bab on Jan. 22.\n"
                  "Officials denied the claim on Monday.", published=datetime(2017, 1, 24))
    two = replace(article("The ministry said strikes were carried out near al-Bab on Jan. 22.",
                          article_id="a1"))
    events = build_timeline([one, two], split_sentences([one, two]))
    assert [(e.date, e.granularity) for e in events] == [
        (date(2017, 1, 22), "day"), (date(2017, 1, 23), "day")]
    assert events[0].article_ids == ("a0", "a1")
    # a1 has no date of its own: its "Jan. 22" takes the story's year, and says so
    assert {m.basis for m in events[0].mentions} == {"publication date", "story date"}
    assert events[1].label == "Mon 23 Jan 2017"


def test_a_mention_shows_the_whole_sentence_that_holds_the_date() -> None:
    one = article(
        "The measure came from Senate Majority Leader Harry Reid. “We will vote again on "
        "Friday,” he said.\nThe first vote was held on Monday.",
        published=datetime(2017, 1, 24),
    )
    events = build_timeline([one], split_sentences([one]))
    assert [(e.date, [m.sentence for m in e.mentions]) for e in events] == [
        (date(2017, 1, 23), ["The first vote was held on Monday."]),
        (date(2017, 1, 27), ["“We will vote again on Friday,” he said."]),
    ]
    for e in events:
        for m in e.mentions:
            assert one.text[m.start : m.end] == m.expression


def test_articles_with_no_dates() -> None:
    plain = article("The river rose two metres and the bridge was closed for two years.")
    assert build_timeline([plain], split_sentences([plain])) == []
    assert build_timeline([], []) == []


def test_seed_timeline(seed_brief: Brief) -> None:
    days: dict[date, str] = {}
    for e in seed_brief.timeline:
        if e.granularity == "day":
            days[e.date] = days.get(e.date, "") + " " + e.text
    assert "Turkish air force" in days[date(2017, 1, 21)]
    assert "on Jan. 22, Russia’s air force had carried out strikes" in days[date(2017, 1, 22)]
    monday = [e for e in seed_brief.timeline if e.date == date(2017, 1, 23)]
    assert len({a for e in monday for a in e.article_ids}) == 5  # every outlet
    assert "denied" in days[date(2017, 1, 23)]
    assert "visit to the Pentagon Friday" in days[date(2017, 1, 27)]
    assert [e.date for e in seed_brief.timeline] == sorted(e.date for e in seed_brief.timeline)
