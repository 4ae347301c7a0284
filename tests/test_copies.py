from __future__ import annotations

from newsbrief.clean import clean_all
from newsbrief.copies import find_copies
from newsbrief.model import Article

WIRE = (
    "The central bank raised interest rates by half a percentage point on Thursday, its "
    "largest increase in two decades, as it tries to cool inflation that is running at a "
    "forty year high.\n"
    "Officials signalled that further increases were likely at coming meetings, and said "
    "the labour market remained strong despite signs of slowing growth in housing.\n"
    "Markets rallied after the announcement, with the main index closing two percent higher."
)


def test_repost_is_a_copy_of_the_original(seed_brief) -> None:  # type: ignore[no-untyped-def]
    relations = {(s.copy_id, s.original_id) for s in seed_brief.syndication}
    assert ("a1", "a0") in relations
    assert sum(1 for c in seed_brief.copies if c.copy_id == "a1" and c.original_id == "a0") >= 4
    assert seed_brief.distinct_sources == 4


def test_near_duplicate_with_edits_is_found_and_direction_is_right() -> None:
    edited = WIRE.replace("on Thursday", "on Thursday afternoon").replace("two percent", "2%")
    repost = edited.split("\n")[0] + "\n" + edited.split("\n")[1]
    arts = clean_all([
        Article("a0", "Wire", "w", WIRE),
        Article("a1", "Blog", "b", repost),
        Article("a2", "Other", "o", "A completely different story about football results and "
                "the transfer window, which closes at midnight on Friday."),
    ])
    copies, syndication = find_copies(arts)
    assert syndication and syndication[0].copy_id == "a1" and syndication[0].original_id == "a0"
    assert all(c.copy_id == "a1" for c in copies)
    assert not any("a2" in (c.copy_id, c.original_id) for c in copies)


def test_unrelated_articles_have_no_copies() -> None:
    arts = clean_all([
        Article("a0", "A", "a", WIRE),
        Article("a1", "B", "b", "The city council voted on Monday to build a new bridge across "
                "the river, a project expected to cost three hundred million dollars."),
    ])
    assert find_copies(arts) == ([], [])


def test_the_same_quote_in_two_outlets_is_not_a_copy() -> None:
    quote = (
        "“I think if there’s a way that we can combat ISIS with any country, whether it’s Russia "
        "or anyone else, and we have a shared national interest in that, sure, we’ll take it,”"
    )
    arts = clean_all([
        Article("a0", "A", "a", f"{quote} the press secretary told reporters on Monday."),
        Article("a1", "B", "b", f"Asked about Moscow on Monday, Spicer said: {quote}"),
    ])
    assert find_copies(arts) == ([], [])
