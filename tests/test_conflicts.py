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


# --- names spelled two ways, figures anywhere in the story -----------------------------


def test_a_name_two_sources_spell_differently_is_a_disagreement() -> None:
    a = ("The bodies of Naftali Frenkel and Eyal Yifrach were found on Monday evening.\n"
         "Trump’s envoy called the killings a tragedy for the region.")
    b = ("After the burials of Eyal Yifrach and Naftali Frankel, the army moved in.\n"
         "Trump's envoy said the army would act.")
    c = "Police said Naftali Frenkel had been missing for more than two weeks."
    out = brief([Article("a0", "One", "1.txt", a), Article("a1", "Two", "2.txt", b),
                 Article("a2", "Three", "3.txt", c)], words=60)
    spellings = [x for x in out.conflicts if x.what == "spelling"]
    assert [x.values for x in spellings] == [(("Frenkel", ("a0", "a2")), ("Frankel", ("a1",)))]
    assert spellings[0].heading == "Spellings differ"
    md = render([out], "md")
    assert "**Spellings differ** (spelling): Frenkel [1][3]; Frankel [2]" in md


def test_accents_apostrophes_and_one_outlet_typos_are_no_disagreement() -> None:
    a = "Svante Pääbo led the work, and Simon’s team checked it, said Mr. Simons."
    b = "Svante Paabo led the work, and Simon's team checked it."
    out = brief([Article("a0", "One", "1.txt", a), Article("a1", "Two", "2.txt", b)], words=40)
    assert [x for x in out.conflicts if x.what == "spelling"] == []


def test_figures_that_differ_outside_the_summary_are_disputes() -> None:
    from newsbrief.conflicts import find_story_conflicts
    from newsbrief.pipeline import prepare

    a = Article("a0", "One", "1.txt", "An official in the president's office says at least "
                "60 people have been killed in the attempted coup.")
    b = Article("a1", "Two", "2.txt", "At least 161 people died in the attempted coup, said "
                "the prime minister.")
    c = Article("a2", "Three", "3.txt", "The coup attempt began late on Friday night.")
    result, sentences = prepare([a, b, c])
    (conflict,) = find_story_conflicts(sentences, result.source_groups, [])
    assert conflict.what == "killed"
    assert {v for v, _ in conflict.values} == {"at least 60", "At least 161"} or \
        {v for v, _ in conflict.values} == {"at least 60", "at least 161"}
    # figures of other things, told alike, are not set against each other
    d = Article("a3", "Four", "4.txt", "The father of three children, ages 4, 3 and 6 months, "
                "was arrested.")
    e = Article("a4", "Five", "5.txt", "He was paroled two months ago after serving two years.")
    result, sentences = prepare([d, e])
    assert find_story_conflicts(sentences, result.source_groups, []) == []
