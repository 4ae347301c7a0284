"""Figures that outlets give differently: shown side by side, never cited for each other."""

from __future__ import annotations

from newsbrief.model import Article, Brief
from newsbrief.pipeline import brief

WIRE = (
    "Suicide bombers attacked two mosques in the capital on Friday, killing 46 people and "
    "injuring 100 others, medical officials said.\n"
    "The attacks came during midday prayers, when the mosques are most crowded.\n"
    "Witnesses described scenes of chaos as ambulances rushed to the area.\n"
    "The government declared three days of national mourning."
)
RADIO = (
    "At least 24 people were killed when suicide bombers attacked two mosques in the capital "
    "on Friday, medical sources said.\n"
    "The bombers struck during midday prayers at the crowded mosques.\n"
    "Rescue teams worked through the night to find survivors under the rubble.\n"
    "Officials said the investigation into the attack would take weeks."
)


def _brief(wire: str, radio: str) -> Brief:
    return brief([Article("a0", "Harbour Wire", "wire.txt", wire),
                  Article("a1", "Coast Radio", "radio.txt", radio)], words=80)


def render(briefs: list[Brief], fmt: str) -> str:
    # imported when a test runs: importing the subpackage newsbrief.render while the tests
    # are collected would shadow the lazy function newsbrief.render for test_pipeline
    from newsbrief.render import render as render_briefs

    return render_briefs(briefs, fmt)


def _figure_sentences(b: Brief) -> list[str]:
    return [s.sentence.id for s in b.summary if any(ch.isdigit() for ch in s.text)]


def test_two_tolls_are_shown_side_by_side_and_not_cited_for_each_other() -> None:
    b = _brief(WIRE, RADIO)
    (conflict,) = b.conflicts
    assert conflict.what == "killed"
    assert conflict.values == (("46", ("a0",)), ("at least 24", ("a1",))) or \
        conflict.values == (("at least 24", ("a1",)), ("46", ("a0",)))
    for r in conflict.reports:  # each value points at its words in its article
        text = b.article(r.article_id).text
        assert text[r.start:r.end] == r.value.replace("at least", "At least")
    for s in b.summary:
        if s.sentence.id in conflict.sentence_ids:
            assert s.article_ids == (s.sentence.article_id,), s.text  # no cross-citation
            assert s.disagreeing
    assert _figure_sentences(b)


def test_the_disagreement_is_rendered_where_the_figure_appears() -> None:
    b = _brief(WIRE, RADIO)
    md = render([b], "md")
    assert "*(figures differ (killed): " in md
    assert "46 [1]" in md and "at least 24 [2]" in md
    assert "**Figures differ** (killed)" in md
    html = render([b], "html")
    assert 'class="conflict"' in html and "Figures differ" in html
    assert '"conflicts": [' in render([b], "json")


def test_outlets_that_agree_are_not_set_against_each_other() -> None:
    same = RADIO.replace("At least 24 people were killed", "46 people were killed")
    b = _brief(WIRE, same)
    assert b.conflicts == []
    cited = [s for s in b.summary if "46" in s.text]
    assert cited and all(set(s.article_ids) == {"a0", "a1"} for s in cited)
