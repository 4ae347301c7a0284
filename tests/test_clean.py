from __future__ import annotations

from pathlib import Path

from newsbrief.clean import Reason, clean, clean_all
from newsbrief.model import Article
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
        "log-in or sign-up prompt", "share or social buttons"]
    assert [r.start for r in result.removed] == sorted(r.start for r in result.removed)
    # what is left is the wire's paragraphs, each once, and nothing else
    wire_paragraphs = [p for p in wire.text.split("\n\n") if p]
    kept = result.text.split("\n\n")
    assert kept == wire_paragraphs
    assert clean(Article("a1", wire.source, wire.origin, wire.text)).removed == ()
