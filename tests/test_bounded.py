"""Cost bounded whatever the input: a story larger than one brief reads is sampled, and
says so (issue 13)."""

from __future__ import annotations

from newsbrief.model import Article
from newsbrief.pipeline import prepare, sample
from newsbrief.settings import MAX_BRIEF_ARTICLES


def _article(i: int, source: str, text: str | None = None) -> Article:
    return Article(f"x{i}", source, f"{source}-{i}.txt",
                   text or f"Story number {i} from {source} tells of the council vote on the "
                   f"bridge, with detail {i * 7} that no other article has.")


def test_a_large_input_is_sampled_across_sources_with_a_note() -> None:
    arts = [_article(i, "Big Wire") for i in range(900)]
    arts += [_article(1000 + i, "Small Paper") for i in range(20)]
    arts += [_article(2000 + i, "Big Wire", "The same wire text, repeated word for word.")
             for i in range(50)]
    kept, note = sample(arts, MAX_BRIEF_ARTICLES)
    assert len(kept) == MAX_BRIEF_ARTICLES
    assert sum(a.source == "Small Paper" for a in kept) == 20  # the small source is all in
    assert sum(a.text.startswith("The same wire text") for a in kept) <= 1  # one text once
    assert [a.id for a in kept] == [a.id for a in arts if a in kept]  # order given
    assert "970 articles" in note.message and "49 exact repeats" in note.message
    assert not note.fatal
    wire = sorted(n for a in kept if a.source == "Big Wire" and (n := int(a.id[1:])) < 2000)
    assert wire[0] < 100 and wire[-1] > 800  # spread over the whole span


def test_prepare_reads_at_most_the_limit() -> None:
    arts = [_article(i, f"Outlet {i % 7}") for i in range(MAX_BRIEF_ARTICLES + 30)]
    result, _ = prepare(arts)
    assert len(result.articles) == MAX_BRIEF_ARTICLES
    assert any("briefed from" in p.message for p in result.problems)


def test_the_summarizer_weighs_a_bounded_pool() -> None:
    from newsbrief.model import Sentence
    from newsbrief.summarize import MAX_CANDIDATES, prepare_features

    text = "The council voted on Monday to close the old bridge over the river for repairs."
    sents = [Sentence(f"a{i}.s{k}", f"a{i}", k, k, 0, len(text), text)
             for i in range(400) for k in range(12)]
    sents += [Sentence(f"b.s{k}", "b", k, k, 0, 60, f"Engineers found {k} new cracks in "
                       f"the piers of the bridge on Friday.") for k in range(MAX_CANDIDATES)]
    prepared = prepare_features(sents, [[f"a{i}" for i in range(400)], ["b"]])
    assert prepared is not None
    assert len(prepared.pool) <= MAX_CANDIDATES
    # the 4,800 repeats of one wording in one source are one candidate
    assert sum(s.article_id.startswith("a") for s in prepared.pool) == 1


def test_brief_takes_article_records_only() -> None:
    import pytest

    from newsbrief import brief

    with pytest.raises(TypeError, match="Article records"):
        brief([None])  # type: ignore[list-item]


def test_a_giant_line_is_judged_for_its_language_without_overflow() -> None:
    from newsbrief.language import other_language

    assert other_language("The council voted to close the bridge. " * 3000) is None
