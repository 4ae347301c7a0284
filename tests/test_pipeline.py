"""The whole pipeline on the hand-written fixture story (``tests/fixtures/story``, described in
``tests/fixtures/README.md``): every stage's output checked, with nothing from ../shared.

The story: solvent in the Wren River, a boil-water warning in Marrowfield. A wire report
(Lakeland Press Agency) is re-posted by the Marrowfield Courier with site furniture around
it; the Kestrel Times, the Northern Ledger and Wren Valley Radio report on their own.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from newsbrief import brief, read_paths, render, to_dict
from newsbrief.model import Article, Brief, CleanArticle

# What the readers make of the five files, in the order read (sorted file names).
KESTREL, WIRE, COURIER, LEDGER, RADIO = "a0", "a1", "a2", "a3", "a4"
SOURCES = ["kestrel-times", "Lakeland Press Agency", "marrowfield-courier", "Northern Ledger",
           "Wren Valley Radio"]


def _article(b: Brief, source: str) -> CleanArticle:
    (found,) = [a for a in b.articles if a.source == source]
    return found


# --- read ---------------------------------------------------------------------------------


def test_readers_give_every_article_with_its_metadata(story_dir: Path) -> None:
    result = read_paths([story_dir])
    assert result.problems == []
    assert [a.source for a in result.articles] == SOURCES
    by_source = {a.source: a for a in result.articles}
    wire = by_source["Lakeland Press Agency"]  # JSON lines: every field given
    assert wire.title == "Marrowfield told to boil water after solvent found in Wren River"
    assert wire.published == datetime(2024, 3, 12, 7, 30, tzinfo=UTC)
    assert wire.author == "Priya Nandakumar"
    assert wire.url == "https://lakelandpress.example/news/marrowfield-water"
    assert wire.origin == f"{story_dir / 'lakeland-press.jsonl'}:1"
    ledger = by_source["Northern Ledger"]  # HTML: metadata from the page, menu and footer gone
    assert ledger.title == "Chemical firm rejects blame for Wren River solvent"
    assert ledger.author == "Tom Whitlock"
    assert ledger.published is not None and ledger.published.date() == date(2024, 3, 12)
    assert ledger.url == "https://northernledger.example/2024/03/12/wren-river-solvent"
    assert "Home" not in ledger.text and "All rights reserved" not in ledger.text
    assert ledger.text.count("Daniel Reyes") == 1
    courier = by_source["marrowfield-courier"]  # plain text: the file is all there is
    assert (courier.title, courier.published, courier.url) == (None, None, None)
    assert courier.text == (story_dir / "marrowfield-courier.txt").read_text(encoding="utf-8")


# --- clean --------------------------------------------------------------------------------


def test_clean_removes_the_furniture_and_reports_each_span(story_brief: Brief) -> None:
    courier = _article(story_brief, "marrowfield-courier")
    reasons = {r.text: r.reason for r in courier.removed}
    assert reasons == {
        "Boil-Water Warning For Marrowfield After River Solvent Scare":
            "headline (kept as the title)",
        "You have read all of your free articles this month. Subscribe now for unlimited "
        "digital access.": "paywall or subscription prompt",
        "The town council said the warning covered about 14,000 homes and would stay in place "
        "until the river tested clean on three days in a row.":
            "paragraph repeated inside the article",
        "Sign up for the Courier's morning newsletter": "newsletter or alert promo",
        "Share this story": "share or social buttons",
    }
    assert courier.title == "Boil-Water Warning For Marrowfield After River Solvent Scare"
    for r in courier.removed:
        assert r.article_id == COURIER
        assert courier.article.text[r.start : r.end] == r.text  # offsets into what was read
        if r.reason != "paragraph repeated inside the article":
            assert r.text not in courier.text
    assert courier.text.count("The town council said the warning covered") == 1
    for p in courier.paragraphs:
        kept = courier.text[p.start : p.end]
        assert kept == courier.article.text[p.original_start : p.original_end]


def test_clean_keeps_news_and_takes_the_headline_as_title(story_brief: Brief) -> None:
    wire = _article(story_brief, "Lakeland Press Agency")
    assert wire.removed == ()  # a clean wire report loses nothing
    assert len(wire.paragraphs) == 5
    kestrel = _article(story_brief, "kestrel-times")
    assert kestrel.title == "Marrowfield water warning: what we know so far"
    assert [r.text for r in kestrel.removed] == [
        "Tuesday 12 March 2024", "Marrowfield water warning: what we know so far"]
    assert kestrel.text.startswith("Households in Marrowfield have been told")


# --- copies -------------------------------------------------------------------------------


def test_the_repost_is_found_as_a_copy_of_the_wire(story_brief: Brief) -> None:
    (syndication,) = story_brief.syndication
    assert (syndication.copy_id, syndication.original_id) == (COURIER, WIRE)
    assert 0.6 <= syndication.share <= 1.0
    assert story_brief.copies, "the copied passages are listed"
    wire, courier = story_brief.article(WIRE), story_brief.article(COURIER)
    for c in story_brief.copies:
        assert (c.copy_id, c.original_id) == (COURIER, WIRE)
        # a copied passage of the Courier is the wire's text
        assert courier.text[c.copy_start : c.copy_end] in wire.text
        assert wire.text[c.original_start : c.original_end] in courier.text
    # the outlets that reported on their own copied nobody
    own = {KESTREL, LEDGER, RADIO}
    assert not any(c.copy_id in own or c.original_id in own for c in story_brief.copies)
    assert sorted(map(sorted, story_brief.source_groups)) == [
        [KESTREL], [WIRE, COURIER], [LEDGER], [RADIO]]
    assert story_brief.distinct_sources == 4


# --- summary ------------------------------------------------------------------------------


def test_summary_length_citations_and_offsets(story_brief: Brief) -> None:
    assert story_brief.words == 250
    assert 225 <= story_brief.word_count <= 275  # the selector's promise: within 10%
    texts = [s.text for s in story_brief.summary]
    assert len(set(texts)) == len(texts)
    for s in story_brief.summary:
        assert s.support and s.support[0].sentence_id == s.sentence.id, s.text
        own = story_brief.article(s.sentence.article_id)
        assert own.text[s.sentence.start : s.sentence.end] == s.text
        for c in s.support:
            cited = story_brief.article(c.article_id).text[c.start : c.end]
            assert cited.strip(), (s.text, c)
        # the re-post never stands alone: what it carries, the wire carries too
        if COURIER in s.article_ids:
            assert WIRE in s.article_ids, s.text


@pytest.mark.parametrize("words", [60, 150])
def test_summary_keeps_other_lengths(story_dir: Path, words: int) -> None:
    b = brief(read_paths([story_dir]).articles, words=words)
    assert 0.9 * words <= b.word_count <= 1.1 * words


def test_the_copy_counts_as_one_source(story_dir: Path, story_brief: Brief) -> None:
    # Were the re-post a second source, the wire's sentences would gain weight from it and
    # the selection would change; it does not, and the header counts four sources.
    without_copy = [a for a in read_paths([story_dir]).articles
                    if a.source != "marrowfield-courier"]
    alone = brief(without_copy)
    assert [s.text for s in alone.summary] == [s.text for s in story_brief.summary]
    assert alone.distinct_sources == story_brief.distinct_sources == 4
    assert "*5 articles from 4 distinct sources" in render([story_brief], "md")


# --- quotes -------------------------------------------------------------------------------


def test_quotes_name_the_speaker_and_resolve_the_pronoun(story_brief: Brief) -> None:
    by_text = {q.text: q for q in story_brief.quotes}
    boil = by_text["We are asking every household to boil its water for at least one minute "
                   "before drinking it"]
    assert (boil.speaker, boil.kind, boil.cue) == ("Helen Okafor", "direct", "said")
    # one statement, reported by the wire and by its re-post
    assert boil.article_ids == (WIRE, COURIER)
    assert {r.speaker_text for r in boil.reports} == {"Mayor Helen Okafor"}
    follow_up = by_text["We will test the river twice a day until the solvent is gone"]
    assert follow_up.speaker == "Helen Okafor" and follow_up.kind == "direct"
    assert {r.speaker_text for r in follow_up.reports} == {"she"}
    reyes = by_text["There has been no leak from our site, and the claim that there has is "
                    "simply false"]
    assert reyes.speaker == "Daniel Reyes" and reyes.role == "company’s operations director"
    (he,) = [q for q in story_brief.quotes if q.reports[0].speaker_text == "He"]
    assert he.speaker == "Daniel Reyes" and he.kind == "indirect"
    assert he.text == "the plant’s own monitors had recorded nothing unusual since the weekend"
    for q in story_brief.quotes:
        for r in q.reports:
            text = story_brief.article(r.article_id).text
            assert text[r.content_start : r.content_end] == r.content
            assert text[r.cue_start : r.cue_end] == r.cue


def test_pronoun_after_an_appositive_resolves_to_the_subject(story_brief: Brief) -> None:
    # "Helen Okafor, the mayor of Marrowfield, said ... “Nobody ...,” she said": the subject,
    # not the town named in her description (issue 11)
    (q,) = [q for q in story_brief.quotes if q.text.startswith("Nobody should drink")]
    assert q.speaker == "Helen Okafor"
    assert q.role == "mayor of Marrowfield"


def test_a_description_is_not_part_of_the_speakers_name(story_brief: Brief) -> None:
    # "The River Trust, a local conservation charity, said ...": the name is "River Trust"
    speakers = {r.speaker for q in story_brief.quotes for r in q.reports}
    assert "River Trust" in speakers
    assert not any(s and "," in s for s in speakers), speakers


# --- disputes -----------------------------------------------------------------------------


def test_the_denial_is_set_against_the_claim(story_brief: Brief) -> None:
    (dispute,) = story_brief.disputes
    assert dispute.claim == (
        "the solvent had leaked from the Stannard Chemicals plant upstream of the town")
    (claim,) = dispute.claimed_by
    denial, director = dispute.denied_by  # the company, and its operations director
    assert claim.speaker.startswith("River Trust")
    assert denial.speaker == "Stannard Chemicals"
    assert director.speaker == "Daniel Reyes"
    assert [s.content for s in director.statements] == [
        "There has been no leak from our site, and the claim that there has is simply false"]
    assert denial.article_ids == (WIRE, COURIER, LEDGER)
    # the Ledger's director denies the leak right after the Trust's finding there
    assert claim.article_ids == (WIRE, COURIER, LEDGER)
    assert not any(s.denial for s in claim.statements)
    assert all(s.denial and s.cue in ("denied", "rejected") for s in denial.statements)
    assert 0 < dispute.similarity <= 1


# --- additions ----------------------------------------------------------------------------


def test_additions_are_what_only_one_source_reports(story_brief: Brief) -> None:
    added = {a.sentence.text: a for a in story_brief.additions}
    schools = added["Schools in Marrowfield stayed open on Tuesday, with drinking water "
                    "brought in by tanker from the neighbouring town of Kestrel Bridge."]
    assert schools.source_group == (LEDGER,)
    livestock = added["Farmers along the Wren have been told not to let livestock drink from "
                      "the river, according to the regional farmers' union."]
    assert livestock.source_group == (RADIO,)
    groups = [tuple(g) for g in story_brief.source_groups]
    for a in story_brief.additions:
        assert a.source_group in groups
        assert a.sentence.article_id in a.source_group
        assert 0 <= a.closest < 0.3, a.sentence.text  # nobody else comes close
    # the wire's news is shared by the other outlets: not one source's addition
    assert not any("14,000 homes" in text for text in added)
    assert not any(a.source_group == (COURIER,) for a in story_brief.additions)


# --- timeline -----------------------------------------------------------------------------


def test_timeline_resolves_relative_dates(story_brief: Brief) -> None:
    days = [ev.date for ev in story_brief.timeline]
    assert days == sorted(days)
    by_day: dict[date, list[str]] = {}
    for ev in story_brief.timeline:
        by_day.setdefault(ev.date, []).append(ev.text)
    # "on Monday" in the wire, published on Tuesday 12 March 2024
    (monday,) = [ev for ev in story_brief.timeline
                 if WIRE in ev.article_ids and ev.date == date(2024, 3, 11)]
    wire_mention = next(m for m in monday.mentions if m.article_id == WIRE)
    assert (wire_mention.expression, wire_mention.basis) == ("Monday", "publication date")
    assert monday.granularity == "day"
    # the Courier gives no date: it takes the story's, and says so
    courier = [m for ev in story_brief.timeline for m in ev.mentions if m.article_id == COURIER]
    assert courier and all(m.basis == "story date" for m in courier)
    # the Kestrel Times's date line dates its own "on Monday" the same way
    kestrel = [m for ev in story_brief.timeline if ev.date == date(2024, 3, 11)
               for m in ev.mentions if m.article_id == KESTREL]
    assert [m.expression for m in kestrel] == ["Monday"]
    assert date(2024, 3, 9) in by_day  # "Saturday, March 9, 2024": absolute
    assert date(2024, 3, 15) in by_day  # "until Friday": the Friday after publication
    for ev in story_brief.timeline:
        for m in ev.mentions:
            text = story_brief.article(m.article_id).text
            assert text[m.start : m.end] == m.expression


# --- render -------------------------------------------------------------------------------


def test_every_renderer_shows_the_whole_brief(story_brief: Brief) -> None:
    md = render([story_brief], "md")
    # the brief's headline (newsbrief.headline), no longer the first article's title
    assert md.startswith("# Marrowfield told to boil water after solvent found in Wren River\n")
    for s in story_brief.summary:
        assert s.text in md
    assert "3. **marrowfield-courier** — Boil-Water Warning For Marrowfield After River " \
           "Solvent Scare" in md and "copy of [2] (80% of its text)" in md
    for heading in ("## Quotes", "## Disputes", "## What each source adds", "## When"):
        assert heading in md
    data = json.loads(render([story_brief], "json"))
    assert data == json.loads(json.dumps(to_dict(story_brief)))
    assert [a["copy_of"] for a in data["articles"]] == [None, None, WIRE, None, None]
    page = render([story_brief], "html")
    for s in story_brief.summary:
        assert f'href="#b0-{s.sentence.id.replace(".", "-")}"' in page


def test_a_story_of_one_article_is_briefed_with_a_note(story_dir: Path) -> None:
    (wire,) = read_paths([story_dir / "lakeland-press.jsonl"]).articles
    b = brief([wire], words=60)
    assert [p.message for p in b.problems] == [
        "only one article: the brief rests on a single source"]
    assert b.summary and all(s.article_ids == ("a0",) for s in b.summary)


def test_ids_are_given_in_input_order() -> None:
    # the pipeline numbers articles itself: ids that callers give are replaced
    arts = [Article("x", "One", "one.txt", "The river was closed to boats on Monday morning."),
            Article("y", "Two", "two.txt", "The river reopened to boats on Tuesday evening.")]
    assert [a.id for a in brief(arts, words=20).articles] == ["a0", "a1"]
