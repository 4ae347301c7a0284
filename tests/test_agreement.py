"""Does one sentence carry another: numbers, dates, polarity, containment, the model, citing."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from newsbrief.agreement import (
    FEATURES,
    carries_probability,
    cite,
    conflicts,
    contained,
    dates_differ,
    facts,
    facts_disagree,
    load_model,
    polarity_differs,
    quantities,
)
from newsbrief.model import Sentence
from newsbrief.settings import Weights

TWENTY_FOUR = ("At least 24 people were killed when suicide bombers blew themselves up in two "
               "mosques in the capital on Friday, medical sources said.")
FORTY_SIX = ("Suicide bombers hit two mosques in the capital on Friday, killing 46 and injuring "
             "100 others, according to medical officials.")


def _q(text: str) -> list[tuple[str, float, str]]:
    return [(q.text, q.value, q.kind) for q in quantities(text)]


def test_numbers_are_read_with_what_they_count() -> None:
    assert _q(TWENTY_FOUR) == [("at least 24", 24.0, "killed"), ("two", 2.0, "count:mosqu")]
    assert _q(FORTY_SIX) == [("two", 2.0, "count:mosqu"), ("46", 46.0, "killed"),
                             ("100", 100.0, "injured")]
    assert _q("It sold for $1.8 billion in 1998 after a 3.5 percent fall.") == [
        ("$1.8 billion", 1.8e9, "$"), ("3.5 percent", 3.5, "percent")]
    assert _q("Call 1-800-686-2813 from 8:30 am to 4 p.m. on March 3.") == [
        ("8:30 am", 510.0, "time"), ("4 p.m.", 960.0, "time")]
    assert _q("The death toll rose to forty-six.") == [("forty-six", 46.0, "killed")]
    assert _q("One of the men said the F-16 and COVID-19 were a 10-year-old story.") == []


def test_different_figures_for_one_thing_conflict() -> None:
    ((mine, theirs),) = conflicts(facts(TWENTY_FOUR), facts(FORTY_SIX))
    assert (mine.text, theirs.text, mine.kind) == ("at least 24", "46", "killed")
    assert facts_disagree(facts(TWENTY_FOUR), facts(FORTY_SIX)) == "number"


def test_figures_that_agree_or_count_other_things_do_not_conflict() -> None:
    rose = facts("The toll rose from 24 to 46 after the second blast, officials said.")
    assert conflicts(rose, facts(FORTY_SIX)) == []  # it gives 46 too
    assert conflicts(facts("Police arrested two men."), facts(FORTY_SIX)) == []
    assert conflicts(facts("About 50 people died."), facts("48 people died.")) == []
    assert conflicts(facts("Five weeks of repairs."), facts("Six weeks of repairs.")) != []


def test_polarity_and_dates() -> None:
    made = facts("They said decisions have been made about the troops.")
    not_made = facts("They said no decisions had been made about the troops.")
    assert polarity_differs(made, not_made)
    assert not polarity_differs(facts("His attorney declined to comment."),
                                facts("His attorney said he had no comment."))
    assert dates_differ(facts("It opened on Monday."), facts("It opened on Tuesday."))
    assert not dates_differ(facts("It opened on Monday."), facts("It opened this week."))
    assert dates_differ(facts("Sold in 1998."), facts("Sold in 1995."))


def test_a_longer_sentence_contains_a_shorter_one() -> None:
    short = facts("Five pools contained no traces of disinfectant at all.")
    long = facts("But five pools contained no traces of disinfectant, leaving bathers open to "
                 "cross-infection.")
    assert contained(short, long) and not contained(long, short)
    asked = facts('Asked about Assad, Spicer said, "We are not going to get together with '
                  'people under the guise of defeating ISIS."')
    quoted = facts('"We are not going to get together with people under the guise of '
                   'defeating ISIS," the spokesman said.')
    assert contained(asked, quoted)  # the quotation is what the sentence reports


def test_the_model_ranks_paraphrases_above_other_sentences() -> None:
    a = facts("The company recalled 710,000 cases of snack cakes over peanut residue in flour.")
    same = facts("Some 710,000 cases of snack cakes were recalled by the company because its "
                 "flour held peanut residue.")
    other = facts("The chief executive will step down at the end of the year, the board said.")
    p_same, p_other = carries_probability([(a, same), (a, other)], [0.6, 0.05])
    assert p_same > 0.5 > p_other


def test_shipped_model_matches_the_features() -> None:
    raw = json.loads(resources.files("newsbrief").joinpath("data/agreement.json").read_text())
    assert tuple(raw["features"]) == FEATURES
    model = load_model()
    assert len(model.coef) == len(model.low) == len(model.high) == len(FEATURES)
    assert all(not t.split(":", 1)[1][0].isdigit() for t in model.words)


def _sentence(article: str, index: int, text: str) -> Sentence:
    return Sentence(f"{article}.s{index}", article, index, 0, 0, len(text), text)


def test_a_source_with_another_figure_is_not_cited_but_kept_apart() -> None:
    own = _sentence("a0", 0, FORTY_SIX)
    other = _sentence("a1", 0, "Suicide bombers hit two mosques in the capital on Friday, "
                               "killing 24 and injuring 100 others, medical officials said.")
    same = _sentence("a2", 0, "Suicide bombers hit two mosques in the capital on Friday, "
                              "killing 46 and injuring 100 others, according to officials.")
    support, disagreeing = cite(own, [(0.8, other), (0.8, same)], Weights())
    assert [s.article_id for s in support] == ["a0", "a2"]
    assert support[0].agreement == 1.0 and 0 < support[1].agreement <= 1
    assert [s.article_id for s in disagreeing] == ["a1"]


@pytest.mark.parametrize("threshold", [0.0, 1.0])
def test_thresholds_are_checked(threshold: float) -> None:
    Weights(agreement_threshold=threshold)
    from newsbrief.errors import SettingsError

    with pytest.raises(SettingsError):
        Weights(agreement_threshold=threshold + 1.5)
