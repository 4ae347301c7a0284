from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.clean import Reason, clean, clean_all
from newsbrief.model import Article, Brief
from newsbrief.readers import read_paths

BOILERPLATE_001 = [
    "You've reached your daily free article limit.",
    "Subscribe and support our veteran writing staff to continue reading.",
    "Get Full Ad-Free Access For Just $0.50/Week",
    "Already a subscriber?",
    "Featured image courtesy of AP.",
    "About SOFREP News Team View All Posts",
    "The SOFREP News Team is a collective of professional military journalists.",
    "COMMENTS",
    "You must become a subscriber or login to view or post comments on this article.",
    "REAL EXPERTS.",
    "REAL NEWS.",
    "Join SOFREP for insider access and analysis.",
    "TRY 14 DAYS FREE",
    "Log In",
]


def _repost(seeds_dir: Path):  # type: ignore[no-untyped-def]
    articles = [a for a in read_paths([seeds_dir]).articles]
    articles = [Article(f"a{i}", a.source, a.origin, a.text) for i, a in enumerate(articles)]
    return clean_all(articles)[1]


def test_repost_loses_every_boilerplate_line(seeds_dir: Path) -> None:
    repost = _repost(seeds_dir)
    for line in BOILERPLATE_001:
        assert line not in repost.text, line
        assert any(line in r.text for r in repost.removed), line


def test_repost_keeps_each_news_paragraph_exactly_once(seeds_dir: Path) -> None:
    repost = _repost(seeds_dir)
    for opening in (
        "The White House said Monday that President Donald Trump is open",
        "Sean Spicer, the White House press secretary, opened the door",
        "The comment came on the same day Russia had claimed",
        "The Russian defense ministry said that on Jan. 22",
    ):
        assert repost.text.count(opening) == 1, opening
    repeats = [r for r in repost.removed if r.reason == Reason.REPEATED]
    assert len(repeats) == 3


def test_removed_spans_point_into_the_original(seeds_dir: Path) -> None:
    repost = _repost(seeds_dir)
    assert repost.removed and repost.paragraphs
    for r in repost.removed:
        assert repost.article.text[r.start : r.end] == r.text
    for p in repost.paragraphs:
        assert repost.text[p.start : p.end].strip()


def test_news_paragraphs_that_mention_subscribers_are_kept() -> None:
    text = (
        "Streaming company Netflix said on Tuesday it added 9 million subscribers in the "
        "quarter, far more than analysts had expected, sending its shares up 12 percent in "
        "late trading as investors cheered the results.\n"
        "Shares rose sharply.\n"
        "The company will report again in April."
    )
    cleaned = clean(Article("a0", "x", "x", text))
    assert cleaned.removed == ()
    assert cleaned.text.count("\n\n") == 2


def test_sentence_broken_across_lines_is_joined() -> None:
    text = (
        "Col. John Dorrian, chief spokesman for the coalition, called the Russian statement\n\n"
        '"rubbish."\n'
    )
    cleaned = clean(Article("a0", "x", "x", text))
    assert 'called the Russian statement "rubbish."' in cleaned.text
    assert cleaned.removed == ()


def test_data_lines_are_removed_as_data() -> None:
    rows = "\n".join(
        f"29-11-2013 1:{i:02d} - UID: 817985 Type: buy Currency: USD BTC: 16.2 Fiat: 184.35"
        for i in range(20)
    )
    text = "Traders noticed a bot buying bitcoin every few minutes for a month.\n" + rows
    cleaned = clean(Article("a0", "x", "x", text))
    assert len(cleaned.paragraphs) == 1
    assert {r.reason for r in cleaned.removed} == {Reason.DATA}


def test_template_line_shared_by_many_articles_is_removed() -> None:
    # The line ends as a sentence, so that only the template rule can remove it (without the
    # full stop the heading rule takes it first, and this test would not test this rule).
    def articles(n: int) -> list[Article]:
        return [Article(f"a{i}", f"s{i}", "x",
                        f"Story number {i} says something new happened today in the town.\n"
                        "Follow the latest updates on our live page.") for i in range(n)]

    result = clean_all(articles(3))
    assert len(result) == 3
    for i, cleaned in enumerate(result):
        assert cleaned.text == f"Story number {i} says something new happened today in the town."
        assert [r.reason for r in cleaned.removed] == [Reason.REPEATED_ACROSS]
    # two articles sharing a line are not yet a template
    assert all(c.removed == () for c in clean_all(articles(2)))


def test_fixture_repost_loses_its_furniture_and_keeps_the_wire_text(story_dir: Path) -> None:
    # clean alone, on the Courier's re-post of the wire in the fixture story
    articles = read_paths([story_dir]).articles
    courier = next(a for a in articles if a.source == "marrowfield-courier")
    wire = next(a for a in articles if a.source == "Lakeland Press Agency")
    result = clean(Article("a2", courier.source, courier.origin, courier.text))
    assert [r.reason for r in result.removed] == [
        Reason.HEADLINE, "paywall or subscription prompt", Reason.REPEATED,
        Reason.NEWSLETTER, "share or social buttons"]
    assert [r.start for r in result.removed] == sorted(r.start for r in result.removed)
    # what is left is the wire's paragraphs, each once, and nothing else
    wire_paragraphs = [p for p in wire.text.split("\n\n") if p]
    kept = result.text.split("\n\n")
    assert kept == wire_paragraphs
    assert clean(Article("a1", wire.source, wire.origin, wire.text)).removed == ()


# --- junk: promos, players and galleries, notices, archive text, social widgets ----------

NEWS = ("The city council voted 7-2 on Tuesday to close the old bridge for repairs, "
        "citing an engineer's report that found cracks in two of its supports.")
"""A paragraph of prose for the junk tests to sit beside."""

JUNK_LINES = [
    ("Sign up for our newsletter", Reason.NEWSLETTER),
    ("Get the day's top headlines delivered to your inbox every morning by subscribing "
     "to our newsletter.", Reason.NEWSLETTER),
    ("Breaking News Emails Get breaking news alerts and special reports. The news and "
     "stories that matter, delivered weekday mornings.", Reason.NEWSLETTER),
    ("Hide Caption 18 of 21 Photos", Reason.PLAYER),
    ("Replay", Reason.PLAYER),
    ("Video player", Reason.PLAYER),
    ("Now playing", Reason.PLAYER),
    ("Media playback is unsupported on your device", Reason.PLAYER),
    ("This material may not be published, broadcast, rewritten or redistributed.",
     Reason.REPRINT),
    ("Copyright 2019 Hawaii News Now. All rights reserved.", Reason.REPRINT),
    ("pic.twitter.com/z3duuccjmq", Reason.SOCIAL),
    ("— Jane Doe (@janedoe) March 13, 2015", Reason.SOCIAL),
    ("See more of Heal the Bay on Facebook", Reason.SOCIAL),
    ("Starting in 1996, Alexa Internet has been donating their crawl data to the Internet "
     "Archive. Flowing in every day, these data are added to the Wayback Machine after an "
     "embargo period.", Reason.ARCHIVE),
]


@pytest.mark.parametrize(("line", "reason"), JUNK_LINES)
def test_each_junk_line_is_removed_with_its_reason(line: str, reason: str) -> None:
    cleaned = clean(Article("a0", "x", "x", f"{NEWS}\n{line}\n{NEWS} It reopens in May."))
    assert line not in cleaned.text
    assert [(r.text, r.reason) for r in cleaned.removed] == [(line, reason)]
    assert cleaned.text.count("The city council voted") == 2


def test_junk_run_into_the_first_sentence_is_cut_out_and_the_article_kept() -> None:
    # Multi-News keeps a page as one line: the sign-up box runs into the story
    promo = ("Breaking news emails get breaking news alerts and special reports. The news "
             "and stories that matter, delivered weekday mornings.")
    later = "Work on the bridge starts in May and will take six weeks, the council said."
    text = f"{promo} / {NEWS} Hide caption 1 of 7 photos: {later}"
    cleaned = clean(Article("a0", "x", "x", text))
    assert [(r.text, r.reason) for r in cleaned.removed] == [
        (promo, Reason.NEWSLETTER), ("Hide caption 1 of 7 photos:", Reason.PLAYER)]
    assert cleaned.text == f"{NEWS}\n\n{later}"
    for r in cleaned.removed:  # every span points into the text as given
        assert text[r.start : r.end] == r.text
    for p in cleaned.paragraphs:
        assert text[p.original_start : p.original_end] == cleaned.text[p.start : p.end]


def test_tweet_embed_keeps_the_story_around_it() -> None:
    text = (f"{NEWS} Not a level playing field! — Donald J. Trump (@realDonaldTrump) "
            f"April 2, 2018 {NEWS}")
    cleaned = clean(Article("a0", "x", "x", text))
    assert [r.reason for r in cleaned.removed] == [Reason.SOCIAL]
    assert "@realDonaldTrump" not in cleaned.text
    assert cleaned.text.count("The city council voted") == 2


@pytest.mark.parametrize("page", [
    "Tweet with a location You can add location information to your Tweets, such as your "
    "city or precise location, from the web and via third-party applications. You always "
    "have the option to delete your Tweet location history. Learn more",
    "Tweet with a location\nYou can add location information to your Tweets, such as your "
    "city or precise location, from the web and via third-party applications. You always "
    "have the option to delete your Tweet location history. Learn more",
    "These crawls are part of an effort to archive pages as they are created and archive "
    "the pages that they refer to.\nFocused crawls are collections of frequently-updated "
    "webcrawl data from narrow (as opposed to broad or wide) web crawls, often focused on a "
    "single domain or subdomain.",
    "Rating is available when the video has been rented. This feature is not available "
    "right now. Please try again later.",
])
def test_an_article_of_nothing_but_junk_is_left_empty_and_no_source(page: str) -> None:
    articles = [Article("a0", "Daily Post", "post.txt", f"{NEWS}\n{NEWS} More later."),
                Article("a1", "Twitter", "twitter.txt", page)]
    empty = clean_all(articles)[1]
    assert empty.paragraphs == () and empty.text == ""
    assert {r.reason for r in empty.removed} <= {Reason.SOCIAL, Reason.ARCHIVE, Reason.PLAYER}
    result = Brief(articles=clean_all(articles), summary=[])
    assert result.source_groups == [["a0"]] and result.distinct_sources == 1


@pytest.mark.parametrize("line", [
    "The newsletter, which the group has published since 1990, said membership fell.",
    "Police released photos of the suspect on Tuesday and asked the public for help.",
    "The museum will show 21 photos of the ceremony, and a video player in the lobby.",
    "Nearly 2,400 old games can now be played for free in a browser on the Internet Archive.",
    "She signed up for a newsletter about gardening years before she ran for office.",
])
def test_news_that_mentions_newsletters_photos_or_archives_is_kept(line: str) -> None:
    cleaned = clean(Article("a0", "x", "x", f"{NEWS}\n{line}\n{NEWS} It reopens in May."))
    assert cleaned.removed == ()
    assert line in cleaned.text


def test_headings_and_lists_of_the_body_are_kept_related_links_after_it_are_not() -> None:
    text = "\n".join([
        "Bridge Closed For Repairs",  # the headline: before the body
        NEWS,
        "What happens next",  # a sub-heading between two paragraphs of prose
        NEWS + " It reopens in May.",
        "The closures planned this spring:",
        "1. Harbour Road, March 3",
        "2. Mill Lane, April 9",
        "3. North Quay, May 12",
        "More Stories From The Town Desk",
        "Mayor Opens New Library Wing",
    ])
    cleaned = clean(Article("a0", "x", "x", text))
    assert "What happens next" in cleaned.text
    assert "The closures planned this spring:\n\n1. Harbour Road, March 3" in cleaned.text
    assert "3. North Quay, May 12" in cleaned.text
    removed = {r.text: r.reason for r in cleaned.removed}
    assert removed == {
        "Bridge Closed For Repairs": Reason.HEADLINE,
        "More Stories From The Town Desk": "promotion or read-more link",
        "Mayor Opens New Library Wing": Reason.HEADING,
    }


def test_junk_cut_from_a_line_joined_to_the_next_keeps_exact_offsets() -> None:
    # the first line stops mid-sentence and the next starts in lower case: they are joined
    text = ("The council said the bridge\n\nwould reopen in May. This material may not be "
            "published, broadcast, rewritten or redistributed. Work starts on Monday, and "
            "the ferry will run every hour until then.")
    cleaned = clean(Article("a0", "x", "x", text))
    assert [r.reason for r in cleaned.removed] == [Reason.REPRINT]
    for r in cleaned.removed:
        assert text[r.start : r.end] == r.text
    assert cleaned.text == ("The council said the bridge would reopen in May.\n\n"
                            "Work starts on Monday, and the ferry will run every hour until then.")
