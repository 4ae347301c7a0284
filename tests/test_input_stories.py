"""Input that is not one story: unrelated articles give one brief per story (largest
first, with a note), ``--one-story`` briefs the largest and lists the rest, and articles
not in English are left out with a note (``newsbrief.input_stories``,
``newsbrief.language``, ``pipeline.brief_paths``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.cli import EXIT_FAILED, EXIT_OK, main
from newsbrief.ingest import ingest_articles
from newsbrief.input_stories import group_input
from newsbrief.language import english_only, other_language
from newsbrief.model import Article, Brief
from newsbrief.pipeline import brief_paths
from newsbrief.store.memory import MemoryStore
from tests.conftest import DATA, SEEDS

# Three invented stories, two articles each, by different outlets: a tram vote, a
# wildfire, a football manager sacked. Each pair shares its names and facts, no pair
# shares a story with another.
TRAM = {
    "tram-herald.txt": (
        "Brellington council approves the Quayside tram line\n\n"
        "Brellington city council voted 31 to 12 on Tuesday night to build the Quayside "
        "tram line, a 9-kilometre route linking the central station with the harbour "
        "district and the university campus. Council leader Mara Ostrowska said "
        "construction would begin next spring and the first trams would run in 2028. "
        "The line is expected to cost 410 million euros, most of it paid by a national "
        "transport grant.\n\n"
        "Opposition councillors argued the tram would disrupt shops on Harbour Street "
        "for two years. Ostrowska said the council would pay compensation to traders "
        "whose takings fall during the works."
    ),
    "tram-gazette.txt": (
        "Quayside tram gets green light after long council debate\n\n"
        "After a five-hour debate, Brellington's councillors approved the Quayside tram "
        "on Tuesday by 31 votes to 12. The route will run 9 kilometres from the central "
        "station to the harbour and the university. Mara Ostrowska, the council leader, "
        "told councillors that work would start in the spring and that trams would "
        "carry passengers from 2028.\n\n"
        "Traders on Harbour Street fear two years of roadworks. The council has promised "
        "compensation for shops that lose takings, and the national transport grant "
        "will cover most of the 410 million euro cost."
    ),
}
FIRE = {
    "fire-post.txt": (
        "Wildfire forces evacuation of villages near Kettering Gorge\n\n"
        "A wildfire fanned by strong winds burned through 2,300 hectares of pine forest "
        "around Kettering Gorge national park on Saturday, forcing the evacuation of "
        "three villages. Fire chief Dorian Vasquez said 180 firefighters and four water "
        "bombers were fighting the blaze, which started near a campsite on Friday "
        "evening.\n\n"
        "No injuries have been reported. Vasquez said the flames were moving north-east "
        "towards the village of Pellham, whose 900 residents were taken to a sports hall "
        "in the nearby town of Arlow."
    ),
    "fire-radio.txt": (
        "Kettering Gorge blaze: 900 Pellham residents evacuated\n\n"
        "Firefighters battled a wildfire in Kettering Gorge national park for a second "
        "day on Saturday as the fire spread across 2,300 hectares of pine forest. Dorian "
        "Vasquez, the regional fire chief, said four water bombers and 180 firefighters "
        "had been sent. The residents of Pellham and two other villages were evacuated "
        "and spent the night in a sports hall in Arlow.\n\n"
        "The fire broke out near a campsite on Friday evening, and strong winds pushed it "
        "north-east. Nobody has been hurt, Vasquez said."
    ),
}
FOOTBALL = {
    "football-sport.txt": (
        "Rovers sack manager Tobias Lindqvist after seventh straight defeat\n\n"
        "Harwick Rovers sacked their manager Tobias Lindqvist on Sunday, a day after a "
        "4-0 home defeat by Calder Athletic left the club bottom of the league with "
        "seven losses in a row. Chairman Ravi Mehta thanked the Swede for his two "
        "seasons at the club and said assistant coach Owen Pryce would take charge of "
        "training until a successor is found.\n\n"
        "Lindqvist led Rovers to promotion last year but the team has won only once "
        "this season."
    ),
    "football-daily.txt": (
        "Lindqvist out at Harwick Rovers\n\n"
        "Tobias Lindqvist has been sacked as Harwick Rovers manager after Saturday's "
        "4-0 loss to Calder Athletic, the club's seventh defeat in a row. Rovers "
        "chairman Ravi Mehta said Owen Pryce, the assistant coach, would lead the "
        "squad for now. The Swede won promotion with Rovers last season, but the club "
        "is bottom of the table with a single win."
    ),
}
FRENCH = (
    "Le conseil municipal de Brellington approuve la ligne de tramway du Quai\n\n"
    "Le conseil municipal de Brellington a voté mardi soir, par 31 voix contre 12, la "
    "construction de la ligne de tramway du Quai, un tracé de neuf kilomètres qui "
    "reliera la gare centrale au quartier du port et au campus universitaire. La "
    "présidente du conseil, Mara Ostrowska, a déclaré que les travaux commenceraient au "
    "printemps prochain et que les premières rames circuleraient en 2028. Les "
    "commerçants de la rue du Port craignent deux années de chantier."
)
GERMAN = (
    "Der Stadtrat von Brellington hat am Dienstagabend mit 31 zu 12 Stimmen den Bau der "
    "neuen Straßenbahnlinie beschlossen. Die Strecke soll neun Kilometer lang sein und "
    "den Hauptbahnhof mit dem Hafen und der Universität verbinden. Die Bauarbeiten "
    "beginnen im kommenden Frühjahr."
)
SPANISH = (
    "Un incendio forestal obligó el sábado a evacuar tres pueblos cerca del parque "
    "nacional de Kettering Gorge. Según el jefe de bomberos, 180 bomberos y cuatro "
    "aviones cisterna luchan contra las llamas, que ya han quemado 2.300 hectáreas de "
    "pinar. No se han registrado heridos."
)


def _write(folder: Path, articles: dict[str, str]) -> Path:
    folder.mkdir(exist_ok=True)
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _names(files: list[str]) -> set[str]:
    return {Path(f).name for f in files}


def _origins(result: Brief) -> set[str]:
    return {Path(c.article.origin).name for c in result.articles}


@pytest.fixture
def three_stories(tmp_path: Path) -> Path:
    return _write(tmp_path / "mixed", {**TRAM, **FIRE, **FOOTBALL})


def test_three_unrelated_stories_give_three_briefs_with_a_note(three_stories: Path) -> None:
    briefs = brief_paths([three_stories])
    assert [_origins(b) for b in briefs] == [
        _names(list(FIRE)), _names(list(FOOTBALL)), _names(list(TRAM))
    ]  # equal sizes: in the order of their first article (files are read sorted)
    for b, own in zip(briefs, ("fire", "rovers", "tram"), strict=True):
        notes = [p for p in b.problems if "the input held 3 stories" in p.message]
        assert len(notes) == 1 and not notes[0].fatal
        assert all(name in notes[0].message for name in [*TRAM, *FIRE, *FOOTBALL])
        words = " ".join(s.text for s in b.summary).lower()
        assert own in words  # its own story, and nothing of the two others
        assert [w for w in ("fire", "rovers", "tram") if w != own and w in words] == []


def test_largest_story_comes_first(tmp_path: Path) -> None:
    third = {"tram-weekly.txt": TRAM["tram-gazette.txt"].replace("Tuesday", "Tuesday night")
             + "\n\nThe first section of track will be laid along the harbour."}
    folder = _write(tmp_path / "sizes", {**FIRE, **TRAM, **third})
    briefs = brief_paths([folder])
    assert [len(b.articles) for b in briefs] == [3, 2]
    assert _origins(briefs[0]) == _names([*TRAM, *third])


def test_one_story_briefs_the_largest_and_lists_the_rest(tmp_path: Path) -> None:
    third = {"fire-wire.txt": FIRE["fire-post.txt"] + "\n\nRain is forecast for Monday."}
    folder = _write(tmp_path / "one", {**TRAM, **FIRE, **FOOTBALL, **third})
    (only,) = brief_paths([folder], one_story=True)
    assert _origins(only) == _names([*FIRE, *third])
    left = {Path(p.origin).name for p in only.problems if p.message.startswith("left out")}
    assert left == _names([*TRAM, *FOOTBALL])
    assert not any(p.fatal for p in only.problems)
    assert not any("input held" in p.message for p in only.problems)


def test_one_story_input_has_no_note(tmp_path: Path) -> None:
    (only,) = brief_paths([_write(tmp_path / "tram", TRAM)])
    assert _origins(only) == _names(list(TRAM))
    assert not [p for p in only.problems if "stories" in p.message]


def test_grouping_is_the_stores() -> None:
    """The input's stories are those an empty store makes of it, for the fixture stories
    (the only difference, background frequencies, does not change these)."""
    articles = [
        Article(f"a{i}", name, name, text)
        for i, (name, text) in enumerate({**TRAM, **FIRE, **FOOTBALL}.items())
    ]
    found = group_input(articles)
    store = MemoryStore()
    ingest_articles(store, articles)
    stored = [{a.origin for a in store.articles(s.id)} for s in store.stories(limit=10)]
    assert sorted(map(sorted, stored)) == sorted(sorted(a.origin for a in s)
                                                  for s in found.stories)
    assert len(found.stories) == 3


def test_french_article_among_english_ones_is_left_out_with_a_note(tmp_path: Path) -> None:
    folder = _write(tmp_path / "fr", {**TRAM, "tram-quotidien.txt": FRENCH})
    (only,) = brief_paths([folder])
    assert _origins(only) == _names(list(TRAM))
    (note,) = [p for p in only.problems if p.origin.endswith("tram-quotidien.txt")]
    assert "not in English" in note.message and "detected: fr" in note.message
    assert not note.fatal


@pytest.mark.parametrize(("text", "lang"), [(FRENCH, "fr"), (GERMAN, "de"), (SPANISH, "es")])
def test_other_languages_are_found(text: str, lang: str) -> None:
    found = other_language(text)
    assert found is not None and found[0] == lang


def test_english_short_and_mixed_texts_are_kept() -> None:
    quote = (FIRE["fire-post.txt"] + "\n\nThe mayor of Pellham told French radio: "
             "« Nous avons tout perdu, mais personne n'a été blessé. »")
    kept, notes = english_only([
        Article("a0", "s", "long.txt", TRAM["tram-herald.txt"]),
        Article("a1", "s", "quote.txt", quote),
        Article("a2", "s", "short.txt", "Merci beaucoup."),  # too short to judge
    ])
    assert [a.origin for a in kept] == ["long.txt", "quote.txt", "short.txt"] and not notes


def test_cli_exit_codes(three_stories: Path, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", str(three_stories)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out.count("\n# ") + out.startswith("# ") == 3
    assert err.count("the input held 3 stories") == 1  # the same note once, not per brief
    assert main(["brief", "--one-story", str(three_stories)]) == EXIT_OK
    out, err = capsys.readouterr()
    assert out.count("\n# ") + out.startswith("# ") == 1
    assert err.count("left out: another story") == 4
    french = _write(tmp_path / "french", {"fr.txt": FRENCH})
    assert main(["brief", str(french)]) == EXIT_FAILED  # nothing in English to brief
    assert "not in English" in capsys.readouterr().err


@pytest.mark.slow
def test_seeds_are_one_story_with_no_note() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS}")
    (only,) = brief_paths([SEEDS])
    assert len(only.articles) == 5
    assert not [p for p in only.problems if "stories" in p.message or "left out" in p.message]


@pytest.mark.slow
def test_non_english_gold_pages_are_left_out() -> None:
    """The 181 gold texts of the article-extraction set: the 20 not in English (8
    languages, by their content) are left out, none of the 161 English ones."""
    import json

    gold_file = DATA / "article-extraction" / "ground-truth.json"
    if not gold_file.is_file():
        pytest.skip(f"the article-extraction data is not at {gold_file}")
    gold = json.loads(gold_file.read_text(encoding="utf-8"))
    articles = [Article(f"a{i}", "s", key, v["articleBody"]) for i, (key, v) in
                enumerate(gold.items())]
    kept, notes = english_only(articles)
    assert (len(kept), len(notes)) == (161, 20)


def test_stored_story_in_another_language_is_not_briefed() -> None:
    """A French report in the store is never briefed as English: left out of the English
    story it joins (with a note), or refused when it is a story of its own."""
    from newsbrief.errors import NoArticlesError
    from newsbrief.pipeline import brief_story

    store = MemoryStore()
    ingest_articles(store, [Article(f"a{i}", n, n, t) for i, (n, t) in
                            enumerate({**TRAM, "tram-quotidien.txt": FRENCH}.items())])
    by_file = {a.origin: s.id for s in store.stories(limit=10) for a in store.articles(s.id)}
    english = brief_story(store, by_file["tram-herald.txt"])
    assert _origins(english) == _names(list(TRAM))  # the French report is never briefed
    if by_file["tram-quotidien.txt"] == by_file["tram-herald.txt"]:
        # grouped with the English reports of the same event: left out with a note
        assert any("tram-quotidien.txt" in p.origin and "fr" in p.message
                   for p in english.problems)
    else:  # a story of its own: briefing it refuses, saying why
        with pytest.raises(NoArticlesError, match="not in English"):
            brief_story(store, by_file["tram-quotidien.txt"])
