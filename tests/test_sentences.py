"""Sentences: the splitter's mistakes repaired once, offsets exact after every repair."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from _articles import cleaned

from newsbrief.model import CleanArticle, Sentence
from newsbrief.sentences import split_sentences


def split(text: str) -> tuple[CleanArticle, list[Sentence]]:
    article = cleaned(text)
    return article, split_sentences([article])


def texts(text: str) -> list[str]:
    article, sentences = split(text)
    assert_exact(article, sentences)
    return [s.text for s in sentences]


def assert_exact(article: CleanArticle, sentences: list[Sentence]) -> None:
    """Every sentence is its slice of the cleaned text, whitespace collapsed, nothing lost."""
    for s in sentences:
        assert s.text == re.sub(r"\s+", " ", article.text[s.start : s.end]), s
        assert s.text == s.text.strip() and s.text
        paragraph = article.paragraphs[s.paragraph]
        assert paragraph.start <= s.start < s.end <= paragraph.end
    # consecutive sentences of a paragraph meet with only whitespace between them
    for a, b in pairwise(sentences):
        if a.paragraph == b.paragraph:
            assert a.end <= b.start and not article.text[a.end : b.start].strip()
    assert [s.index for s in sentences] == list(range(len(sentences)))
    assert [s.id for s in sentences] == [f"{article.id}.s{i}" for i in range(len(sentences))]


def test_plain_sentences() -> None:
    assert texts("The river rose. The bridge closed!  Was anyone hurt?") == [
        "The river rose.", "The bridge closed!", "Was anyone hurt?"]


def test_titles_do_not_end_a_sentence() -> None:
    assert texts(
        "“We do not coordinate strikes,” said Maj. Adrian Rankine-Galloway, a spokesman. "
        "Col. John Dorrian called it rubbish. Mr. Spicer spoke on Jan. 22 in Washington."
    ) == [
        "“We do not coordinate strikes,” said Maj. Adrian Rankine-Galloway, a spokesman.",
        "Col. John Dorrian called it rubbish.",
        "Mr. Spicer spoke on Jan. 22 in Washington.",
    ]


def test_an_abbreviation_the_tokenizer_does_not_know_is_continued() -> None:
    # the sentencizer ends a sentence after "Ave."; the small letter after it says it goes on
    assert texts(
        "She has been visiting the McDonald’s at 840 Park Ave. for three months. "
        "No one complained."
    ) == [
        "She has been visiting the McDonald’s at 840 Park Ave. for three months.",
        "No one complained.",
    ]


def test_continuation_after_a_closing_quote() -> None:
    assert texts("“You see that?” he told me. “It could be bad.” Then he left.") == [
        "“You see that?” he told me.", "“It could be bad.”", "Then he left."]
    assert texts('"How can we fight a war like this?" asked Col. Hamidullah.') == [
        '"How can we fight a war like this?" asked Col. Hamidullah.']


@pytest.mark.parametrize("mark", ["“", '"', "‘"])
def test_opening_quote_mark_goes_to_the_sentence_it_opens(mark: str) -> None:
    close = {"“": "”", '"': '"', "‘": "’"}[mark]
    text = (f"Bush told the 22,000 attendees. {mark}We had to act quickly,{close} he said. "
            f"It was over.")
    article, sentences = split(text)
    assert_exact(article, sentences)
    assert [s.text for s in sentences] == [
        "Bush told the 22,000 attendees.",
        f"{mark}We had to act quickly,{close} he said.",
        "It was over.",
    ]
    assert text[sentences[1].start] == mark


def test_opening_quote_mark_followed_by_a_space() -> None:
    assert texts('"Michelle is keen," Obama said. " And that was not always so.') == [
        '"Michelle is keen," Obama said.', '" And that was not always so.']


def test_straight_mark_glued_to_a_full_stop_stays_where_the_tokenizer_put_it() -> None:
    # 'doubts."What': no space before the mark, so it may as well close a quote
    assert texts('Many have their doubts."What is the point?" she asked.') == [
        "Many have their doubts.", '"What is the point?" she asked.']


def test_repairs_stay_inside_their_paragraph() -> None:
    text = (
        "He said: “\n"
        "the talks went on. Nobody knew.\n"
        "“We are done,” she said. “\n"
        "Later, “it was over,” he wrote."
    )
    article, sentences = split(text)
    assert_exact(article, sentences)
    assert [(s.paragraph, s.text) for s in sentences] == [
        (0, "He said: “"),
        (1, "the talks went on."),
        (1, "Nobody knew."),
        (2, "“We are done,” she said. “"),
        (3, "Later, “it was over,” he wrote."),
    ]


def test_every_repair_at_once_keeps_offsets_exact() -> None:
    text = (
        "Officials met at 10 Downing St. on Monday.  The talks ran late. “We agreed,” "
        "said Sen. Jane Roe. “It was long.” “Was it worth it?” asked a reporter.\n"
        "\n"
        'Mr. Smith   said so. "Yes," he added. "Of course." '
        "He left for Park Ave. after that."
    )
    article = cleaned(text, "a7")
    sentences = split_sentences([article])
    assert_exact(article, sentences)
    assert [s.text for s in sentences] == [
        "Officials met at 10 Downing St. on Monday.",
        "The talks ran late.",
        "“We agreed,” said Sen. Jane Roe.",
        "“It was long.”",
        "“Was it worth it?” asked a reporter.",
        "Mr. Smith said so.",
        '"Yes," he added.',
        '"Of course."',
        "He left for Park Ave. after that.",
    ]
    assert [s.paragraph for s in sentences] == [0] * 5 + [1] * 4


def test_articles_are_numbered_apart() -> None:
    one, two = cleaned("First. Second.", "a0"), cleaned("Third.", "a1")
    sentences = split_sentences([one, two])
    assert [s.id for s in sentences] == ["a0.s0", "a0.s1", "a1.s0"]
    assert split_sentences([]) == []
