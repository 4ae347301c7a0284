"""The brief's headline (``newsbrief.headline``): the most representative real headline,
never a deck, label, credit, byline or file name; else the lede's main clause, short."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from _articles import cleaned

from newsbrief.headline import (
    MAX_CLAUSE_WORDS,
    Kind,
    choose_headline,
    headline_problem,
    lede_clause,
    tidy,
)
from newsbrief.model import Brief, BriefSentence, CleanArticle, Sentence, Support
from newsbrief.pipeline import brief
from newsbrief.readers import read_paths
from newsbrief.render import render
from newsbrief.settings import Settings

WSJ_DECK = "No specifics outlined; position echoes Donald Trump’s campaign pledge on terrorism"
SEED_HEADLINES = {
    "White House expresses willingness to cooperate with Russia on Islamic State",
    "U.S. Denies Coordination With Russia In Syria",
    "President Trump open to joining Russian strikes against ISIS in Syria: White House",
    "Trump administration 'open' to joint-Syria strikes with Russia",
}
BRIDGE = ("The Old Bridge in Harwick closed on Monday after engineers found cracks in two of "
          "its piers, the city council said.")
FERRY = "Ferries will run every hour across the Harwick estuary while the Old Bridge is shut."


def _summary(article: CleanArticle, text: str, index: int = 0,
             score: float = 1.0) -> BriefSentence:
    start = article.text.index(text)
    s = Sentence(f"{article.id}.s{index}", article.id, index, 0, start, start + len(text), text)
    return BriefSentence(text, s, score, (Support(article.id, s.id, s.start, s.end, 1.0),))


# --- what is a headline -------------------------------------------------------------------


@pytest.mark.parametrize(("title", "kind"), [
    (WSJ_DECK, Kind.SUBHEADLINE),
    ("The new press secretary deferred to the Pentagon but left the door open.",
     Kind.SUBHEADLINE),
    ("and then the bridge closed for good", Kind.SUBHEADLINE),
    ("World", Kind.LABEL),
    ("URGENT", Kind.LABEL),
    ("News of the Week in Review", Kind.LABEL),
    ("File pic - US President Donald Trump", Kind.LABEL),
    ("Mark Karpeles, center, attends a news conference REUTERS/Toru Hanai", Kind.LABEL),
    ("Speculation is rife that Trump will seek closer ties with Moscow [AFP]", Kind.LABEL),
    ("By Ben Kesling, James Marson and Gordon Lubold", Kind.LABEL),
    ("24/01/2017 22:40 by admin", Kind.LABEL),
    ("000_6f1855a796f7e457", Kind.LABEL),
    ("bridge-closure-photo.jpg", Kind.LABEL),
    ("https://example.com/news/bridge-closed", Kind.LABEL),
    ("Amnesty International Launches Campaign Against", Kind.CUT_OFF),
    ("Nominees for major Daytime Emmys:", Kind.CUT_OFF),
    ("(Distributed by The New York Times Syndicate)", Kind.LABEL),
    ("``I Know This Much Is True''", Kind.SUBHEADLINE),
    ("Amnesty International Urged to Respect Kenya's", Kind.CUT_OFF),
    (" ".join(["Bridge"] * 25), Kind.TOO_LONG),
    ("", Kind.NONE),
    ("U.S. Denies Coordination With Russia In Syria", None),
    ("Report: Hate Groups Growing in United States", None),
])
def test_headline_problem_names_what_is_not_a_headline(title: str, kind: str | None) -> None:
    assert headline_problem(title) == kind


def test_an_outlets_own_title_may_end_with_a_stop_or_hold_a_semicolon() -> None:
    real = ["Economy in stress and markets on a high; time to be careful?",
            "Home Depot Stock Is Falling After Its Earnings Release. Why You Shouldn’t Worry."]
    assert [headline_problem(t, found_in_text=False) for t in real] == [None, None]
    assert headline_problem(real[0]) == Kind.SUBHEADLINE  # a line of the text: a deck
    assert headline_problem("Opinion", found_in_text=False) == Kind.LABEL


def test_tidy_takes_off_column_labels_part_markers_and_site_names() -> None:
    assert tidy("COMMENTARY: STARING AT HATRED") == "STARING AT HATRED"
    assert tidy("China's Water Crisis Blamed on Waste and Pollution (2)") == (
        "China's Water Crisis Blamed on Waste and Pollution")
    assert tidy("Trump open to strikes with Russia | The New Arab") == (
        "Trump open to strikes with Russia")
    assert tidy("Opinion | Republicans Are Following Trump to Nowhere") == (
        "Republicans Are Following Trump to Nowhere")
    assert tidy("Bridge shut after cracks found - Harbour Wire", "Harbour Wire") == (
        "Bridge shut after cracks found")
    assert tidy("Bridge shut - and ferries run again", "Harbour Wire") == (
        "Bridge shut - and ferries run again")


# --- choosing -------------------------------------------------------------------------------


def test_seeds_get_a_real_headline_not_the_wsj_deck(seeds_dir: Path) -> None:
    read = read_paths([seeds_dir])
    b = brief([replace(a, story=None) for a in read.articles],
              settings=Settings(sections=False))
    assert b.articles[0].title == WSJ_DECK  # what the title was before: the first article's
    assert b.headline in SEED_HEADLINES
    assert b.title == b.headline


def test_the_headline_closest_to_the_story_wins() -> None:
    on_story = cleaned(f"{BRIDGE}\n{FERRY}", "a0", "Harbour Wire",
                       title="Old Bridge in Harwick closed after cracks found in piers")
    off_story = cleaned(f"{FERRY}\n{BRIDGE}", "a1", "Estuary News",
                        title="Estuary festival draws record crowds to the waterfront")
    third = cleaned(BRIDGE, "a2", "Radio Harwick")
    summary = [_summary(on_story, BRIDGE)]
    assert choose_headline([off_story, on_story, third], summary) == (
        "Old Bridge in Harwick closed after cracks found in piers")


def _found_in_text(a: CleanArticle) -> CleanArticle:
    """The article as if its title were a line that cleaning found in its text."""
    return replace(a, article=replace(a.article, title=None))


def test_a_lone_headline_about_something_else_gives_way_to_the_lede() -> None:
    a = _found_in_text(cleaned(f"{BRIDGE}\n{FERRY}", "a0", "Harbour Wire",
                               title="Japan Marks Subway Nerve Gas Attack Anniversary"))
    b = cleaned(BRIDGE, "a1", "Radio Harwick")
    assert choose_headline([a, b], [_summary(a, BRIDGE)]) == (
        "The Old Bridge in Harwick closed after engineers found cracks")


def test_labels_credits_bylines_and_file_names_are_never_chosen() -> None:
    junk = ["World", "Photo: Getty Images", "By Ana Ruiz and Tom Hale", "IMG_2041_bridge.jpg",
            "https://harbourwire.example/bridge", "Credit: Tom Hale for Harbour Wire", WSJ_DECK]
    articles = [_found_in_text(cleaned(f"{BRIDGE}\n{FERRY}", f"a{i}", f"Outlet {i}", title=t))
                for i, t in enumerate(junk)]
    chosen = choose_headline(articles, [_summary(articles[0], BRIDGE)])
    assert chosen not in junk
    assert chosen == "The Old Bridge in Harwick closed after engineers found cracks"


def test_a_title_in_capitals_is_set_as_the_articles_spell_its_words() -> None:
    text = ("Leaders of the Aryan Nations were found negligent by an Idaho jury on Thursday, "
            "in a suit the KKK watchers brought.")
    a = cleaned(text, "a0", "Wire", title="LEADERS OF ARYAN NATIONS FOUND NEGLIGENT BY KKK JURY")
    assert choose_headline([a], [_summary(a, text)]) == (
        "Leaders of Aryan Nations Found Negligent by KKK Jury")


# --- no titles: the lede's main clause -------------------------------------------------------


def test_no_titles_give_the_lede_main_clause_short() -> None:
    a = cleaned(f"{BRIDGE}\n{FERRY}", "a0", "Harbour Wire")
    b = cleaned(FERRY, "a1", "Estuary News")
    summary = [_summary(b, FERRY, score=0.5), _summary(a, BRIDGE, score=2.0)]
    headline = choose_headline([a, b], summary)
    assert headline == "The Old Bridge in Harwick closed after engineers found cracks"
    assert len(headline.split()) <= MAX_CLAUSE_WORDS


@pytest.mark.parametrize(("sentence", "clause"), [
    ("The White House said Monday that President Donald Trump is open to cooperating with "
     "Russia on combating the Islamic State extremist group, if Russia shares U.S. interests "
     "in doing so, but didn’t outline plans or a process for establishing joint military "
     "ventures or strikes.",
     "President Donald Trump is open to cooperating with Russia"),
    ("WASHINGTON, March 3 (Xinhua) -- The number of organized hate groups in the United States "
     "grew last year, mostly through new chapters of established white power organizations, "
     "the Southern Poverty Law Center said in a report released Tuesday.",
     "The number of organized hate groups in the United States grew"),
    ("Trump's press secretary failed to rule out future collaboration with Moscow, despite the "
     "Pentagon rejecting claims the US had already coordinated airstrikes against the Islamic "
     "State.",
     "Trump's press secretary failed to rule out future collaboration with Moscow"),
])
def test_lede_clause_drops_attribution_time_and_subordinate_clauses(sentence: str,
                                                                    clause: str) -> None:
    assert lede_clause(sentence) == clause


def test_lede_clause_refuses_a_pronoun_or_a_trailing_attribution() -> None:
    assert lede_clause("He will continue to have conversations with the joint chiefs about "
                       "the plan on Friday.") is None
    assert lede_clause("“We do not coordinate military strikes with the Russian military at "
                       "all,” said Maj. Adrian Rankine-Galloway, a Pentagon spokesman.") is None


# --- shown ------------------------------------------------------------------------------------


def test_renders_show_the_headline(story_brief: Brief) -> None:
    assert story_brief.headline
    assert render([story_brief], "md").startswith(f"# {story_brief.headline}\n")
    assert f"<h1>{story_brief.headline}</h1>" in render([story_brief], "html")
    untitled = replace(story_brief, headline=None)
    assert untitled.title == next(a.title for a in story_brief.articles if a.title)
