"""When: dates resolved against publication dates, events in order with their sources."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from _articles import cleaned

from newsbrief.dates import find_expressions, full_date, parse_expression, resolve
from newsbrief.model import Brief, CleanArticle, Removed
from newsbrief.sentences import split_sentences
from newsbrief.timeline import (
    build_timeline,
    publication_dates,
    resolve_date,
    timeline_and_conflicts,
)

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


# --- issue 11: dates right -------------------------------------------------------------

WEDNESDAY = datetime(2017, 1, 25, 9, 0)


def one_timeline(text: str, published: datetime | None = WEDNESDAY) -> list[tuple[date, str]]:
    a = article(text, published=published)
    return [(e.date, e.granularity) for e in build_timeline([a], split_sentences([a]))]


def test_a_past_weekday_is_the_last_one_before_publication() -> None:
    # "on Monday" in a Wednesday paper: two days before, not next Monday
    assert one_timeline("The minister resigned on Monday after the vote.") == [
        (date(2017, 1, 23), "day")]


def test_a_future_weekday_is_the_next_one() -> None:
    assert one_timeline("The minister will visit the border on Friday.") == [
        (date(2017, 1, 27), "day")]
    # a deadline looks ahead too, whatever the tense of the rest
    assert one_timeline("Officials said the talks must end by Monday.") == [
        (date(2017, 1, 30), "day")]


def test_today_is_the_publication_day() -> None:
    assert one_timeline("The council voted today to close the bridge.",
                        datetime(2017, 1, 23)) == [(date(2017, 1, 23), "day")]
    assert one_timeline("The plant closed yesterday.") == [(date(2017, 1, 24), "day")]


def test_a_generic_today_is_no_event() -> None:
    for text in ("Today's economy is weaker than it looks.",
                 "Today's young people read less news.",
                 "Even today, many families cannot afford a car.",
                 "These days, and nowadays, few people write letters.",
                 "The interview ran on USA Today and in the Sunday Times.",
                 "Every Monday the market opens late."):
        assert one_timeline(text) == [], text
    # a dated happening of today is the day
    assert one_timeline("Today's vote was delayed.") == [(date(2017, 1, 25), "day")]


def test_a_month_and_day_without_a_year_across_the_new_year() -> None:
    december = datetime(2016, 12, 20)
    assert one_timeline("The dividend is payable Jan. 2 to holders of record.", december) == [
        (date(2017, 1, 2), "day")]
    january = datetime(2017, 1, 3)
    assert one_timeline("The plant closed on Dec. 30 after a fire.", january) == [
        (date(2016, 12, 30), "day")]
    # a past tense keeps a date of the paper's own year, however far back
    assert one_timeline("In January, the company hired a new chief.",
                        datetime(2017, 10, 25)) == [(date(2017, 1, 1), "month")]


def test_an_uncertain_reading_is_left_out() -> None:
    # neither tense nor nearness says which October: "the Oct. 23 slaying" in a May paper
    assert one_timeline("Police are still searching after the Oct. 23 slaying.",
                        datetime(1999, 5, 6)) == []
    # the sentence says both: bought "through" a date, in the past
    assert one_timeline("The fund had purchased 481,000 shares through Friday.") == []


def test_a_caption_or_an_event_is_not_the_publication_date() -> None:
    caption = article("FILE - In this Oct. 2, 2015 file photo, a student holds a placard.\n"
                      "The protest went on for a week.", article_id="a0")
    event = article("On January 25, 2015, at 11:07 AM, police responded to a call.\n"
                    "The boy died at the scene.", article_id="a1")
    tweet = article("Ding dong! pic.twitter.com/x — Someone (@someone) June 20, 2016\n"
                    "He said it was over.", article_id="a2")
    dated = article("Published on Dec 15, 2016\nThe show is 51 years old.", article_id="a3")
    posted = article("The tree is bare.\nSomething else.\n(Originally published April 16, "
                     "2014 at 5:59 a.m. PT)", article_id="a4")
    dateline = article("MOSCOW, Jan. 24, 2017 — Russia said on Monday it had struck.",
                       article_id="a5")
    assert publication_dates([caption, event, tweet, dated, posted, dateline]) == {
        "a3": date(2016, 12, 15), "a4": date(2014, 4, 16), "a5": TUESDAY}


def test_an_undated_article_borrows_the_story_date_only_where_it_is_safe() -> None:
    dated = article("Officials met on Monday.", published=datetime(2017, 1, 24),
                    article_id="a0")
    undated = article("Officials met again on Monday. The talks resumed today.",
                      article_id="a1")
    events = build_timeline([dated, undated], split_sentences([dated, undated]))
    # the weekday is safe against a borrowed date; "today" moves with it and is left out
    assert [(e.date, e.article_ids) for e in events] == [(date(2017, 1, 23), ("a0", "a1"))]
    far = article("A review followed.", published=datetime(2017, 3, 1), article_id="a2")
    # dated articles weeks apart: no one date stands for the undated one
    three = [dated, undated, far]
    events = build_timeline(three, split_sentences(three))
    assert {m.article_id for e in events for m in e.mentions} == {"a0"}


def test_one_event_told_with_two_dates_gets_one_and_the_clash_is_kept() -> None:
    sentence = "The ministry said the convoy was attacked near the border crossing on {}."
    arts = [article(sentence.format(day), published=datetime(2017, 1, 25), article_id=f"a{i}")
            for i, day in enumerate(("Monday", "Monday", "Tuesday"))]
    events, conflicts = timeline_and_conflicts(arts, split_sentences(arts))
    assert [(e.date, e.article_ids) for e in events] == [(date(2017, 1, 23), ("a0", "a1"))]
    assert [c.what for c in conflicts] == ["date"]
    assert [(value, ids) for value, ids in conflicts[0].values] == [
        ("Monday (Mon 23 Jan 2017)", ("a0", "a1")), ("Tuesday (Tue 24 Jan 2017)", ("a2",))]
    # with no majority the event is left out; the clash stays
    events, conflicts = timeline_and_conflicts(arts[1:], split_sentences(arts[1:]))
    assert events == [] and len(conflicts) == 1


def test_expressions_of_the_grammar() -> None:
    wed = date(2017, 1, 25)
    cases = {
        "last week": (date(2017, 1, 16), "week"),
        "earlier this month": (date(2017, 1, 1), "month"),
        "three days ago": (date(2017, 1, 22), "day"),
        "June last year": (date(2016, 6, 1), "month"),
        "last May": (date(2016, 5, 1), "month"),
        "Christmas Day": (date(2016, 12, 25), "day"),
        "Monday, Jan. 23, 2017": (date(2017, 1, 23), "day"),
    }
    for text, expected in cases.items():
        e = parse_expression(text)
        assert e is not None and resolve(e, wed, "past") == expected, text
    assert [e.text for e in find_expressions(
        "between 1990 and 1995, from 2009 to 2012, in the 1990s, 2000 people, Jan. 22-25, "
        "Bloody Sunday, about a year ago")] == []
    assert full_date("03/04/2017") is None  # day and month could be swapped
    assert full_date("24/01/2017 22:40") == date(2017, 1, 24)


def test_the_tempeval_scorer_judges_a_value_at_the_granularity_it_claims() -> None:
    from evaluation.dates_tempeval import claimed_period, gold_envelope, gold_period

    day, month = date(1998, 1, 8), date(1998, 1, 1)
    gold = gold_period("1998-01-08TEV")
    assert gold == claimed_period(day, "day")
    assert gold is not None
    coarse = claimed_period(month, "month")
    assert coarse[0] <= gold[0] and gold[1] <= coarse[1]  # true, less precise: right
    week = gold_period("1998-W02")
    assert week == claimed_period(date(1998, 1, 5), "week")
    assert gold_period("PRESENT_REF") is None and gold_envelope("PRESENT_REF") is None
    assert gold_envelope("1989-WXX") == (date(1989, 1, 1), date(1990, 1, 1))
    assert gold_period("1998-Q3") == (date(1998, 7, 1), date(1998, 10, 1))


def test_starting_points_yardsticks_names_and_captions_are_no_events() -> None:
    for text in ("It was shorter than the record-holder since 1972, a long speech.",
                 "Net profit was up 14 percent compared with the first half of 2013.",
                 "He is questioned in the investigation into meddling in the 2016 election.",
                 "The word appears in the new edition, in New York, Thursday, Sept. 20, 2018 "
                 "(AP Photo/Richard Drew)."):
        assert one_timeline(text) == [], text
    assert one_timeline("The actor died on Tuesday, Sept. 4, 2018, in Los Angeles.") == [
        (date(2018, 9, 4), "day")]
    # a year that says when the sentence's own verb happened stays
    assert one_timeline("Flynn downplayed the abuses during a 2015 visit to Moscow.") == [
        (date(2015, 1, 1), "year")]
