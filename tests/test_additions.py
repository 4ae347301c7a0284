"""What each source adds: sentences no other source reports, copies counted once."""

from __future__ import annotations

from _articles import cleaned

from newsbrief.additions import source_additions
from newsbrief.model import Brief, Sentence
from newsbrief.sentences import split_sentences

SHARED = [
    "The city council approved the new budget for the harbour district on Tuesday evening.",
    "The budget sets aside money for repairs to the old harbour wall and its lighthouse.",
]


def sentences(article_id: str, texts: list[str]) -> list[Sentence]:
    out = []
    pos = 0
    for i, t in enumerate(texts):
        out.append(Sentence(f"{article_id}.s{i}", article_id, i, i, pos, pos + len(t), t))
        pos += len(t) + 1
    return out


def test_a_fact_only_one_source_reports() -> None:
    unique = "The mayor said the harbour budget will also pay for a new ferry to the islands."
    sents = sentences("a0", [*SHARED, unique]) + sentences("a1", SHARED)
    adds = source_additions(sents, [["a0"], ["a1"]])
    assert [a.sentence.text for a in adds] == [unique]
    assert adds[0].source_group == ("a0",)
    assert adds[0].closest < 0.2


def test_a_copy_does_not_make_a_fact_shared() -> None:
    unique = "The mayor said the harbour budget will also pay for a new ferry to the islands."
    sents = (sentences("a0", [*SHARED, unique]) + sentences("a1", [*SHARED, unique])
             + sentences("a2", SHARED))
    adds = source_additions(sents, [["a0", "a1"], ["a2"]])  # a1 is a copy of a0
    assert [a.sentence.text for a in adds] == [unique]  # listed once, for the pair
    assert adds[0].source_group == ("a0", "a1")


def test_a_quote_that_opens_a_sentence_can_be_an_addition() -> None:
    quote = "“We will also pay for a new ferry to the islands,” the mayor said."
    one = cleaned(" ".join([*SHARED, "She spoke after the vote.", quote]), "a0")
    two = cleaned(" ".join(SHARED), "a1")
    adds = source_additions(split_sentences([one, two]), [["a0"], ["a1"]])
    assert [a.sentence.text for a in adds] == [quote]
    s = adds[0].sentence
    assert one.text[s.start : s.end] == quote


def test_single_source_and_no_sentences() -> None:
    assert source_additions(sentences("a0", SHARED), [["a0"]]) == []
    assert source_additions([], []) == []


def test_seed_additions(seed_brief: Brief) -> None:
    by_source: dict[str, list[str]] = {}
    for a in seed_brief.additions:
        source = seed_brief.article(a.source_group[0]).source
        by_source.setdefault(source, []).append(a.sentence.text)
    assert all(len(v) <= 3 for v in by_source.values())
    wsj = " ".join(by_source["000_6f1855a796f7e457"])
    assert "three-star general officer level" in wsj or "Dunford" in wsj
    huffpost = " ".join(by_source["002_27bf1004eb821030"])
    assert "Daniel Benjamin" in huffpost and "op-ed" in huffpost
    # a sentence the WSJ re-post (a copy) also carries is still the WSJ's alone
    assert seed_brief.additions[0].source_group == ("a0", "a1")
