"""Where sources disagree: claims set against denials, and no dispute where nobody disagrees."""

from __future__ import annotations

from newsbrief.disputes import find_disputes
from newsbrief.model import Attribution, Brief


def statement(
    article_id: str,
    speaker: str,
    content: str,
    start: int,
    denial: bool = False,
    cue: str = "said",
    kind: str = "indirect",
    sentence: str | None = None,
) -> Attribution:
    """An attributed statement as ``quotes.find_attributions`` makes them."""
    lemma = {"said": "say", "denied": "deny", "told": "tell"}.get(cue, cue)
    return Attribution(
        article_id=article_id,
        sentence_id=f"{article_id}.s{start}",
        sentence=sentence or f"{speaker} {cue} {content}.",
        speaker=speaker,
        speaker_text=speaker,
        speaker_start=start,
        speaker_end=start + len(speaker),
        role=None,
        cue=cue,
        cue_lemma=lemma,
        cue_start=start + len(speaker) + 1,
        cue_end=start + len(speaker) + 1 + len(cue),
        content=content,
        content_start=start + len(speaker) + len(cue) + 2,
        content_end=start + len(speaker) + len(cue) + 2 + len(content),
        kind=kind,
        denial=denial,
    )


def test_claim_and_denial_in_the_same_words() -> None:
    claim = statement("a0", "Russian defence ministry",
                      "the US had provided targeting information for joint Russian airstrikes", 0)
    denial = statement("a1", "Adrian Rankine-Galloway",
                       "the U.S. military is not providing targeting information to the Russians",
                       0, denial=True)
    (dispute,) = find_disputes([claim, denial])
    assert dispute.claim == claim.content
    assert [s.speaker for s in dispute.claimed_by] == ["Russian defence ministry"]
    assert [s.speaker for s in dispute.denied_by] == ["Adrian Rankine-Galloway"]
    # each side shows the statements that back it
    assert dispute.claimed_by[0].statements == (claim,)
    assert dispute.denied_by[0].statements == (denial,)


def test_bare_denial_answers_the_claim_just_before_it() -> None:
    claim = statement("a0", "Russian Ministry of Defense",
                      "the US had provided targeting information for a joint airstrike", 0)
    rubbish = statement("a0", "John Dorrian", "It’s rubbish ... propaganda", 200, denial=True,
                        kind="direct")
    (dispute,) = find_disputes([claim, rubbish])
    assert dispute.denied_by[0].speaker == "John Dorrian"


def test_quotes_and_disputes_share_one_list_of_dismissals() -> None:
    # "lying" calls a claim false for quotes (the denial flag) and for disputes alike
    from newsbrief.quotes import DISMISSAL

    assert DISMISSAL.search("They are lying")
    claim = statement("a0", "Russian Ministry of Defense",
                      "the US had provided targeting information for a joint airstrike", 0)
    lying = statement("a0", "John Dorrian", "They are lying", 200, denial=True, kind="direct")
    (dispute,) = find_disputes([claim, lying])
    assert dispute.denied_by[0].statements == (lying,)


def test_nothing_disputed_when_nobody_denies() -> None:
    agree = [
        statement("a0", "Police", "the fire started in the kitchen of the restaurant", 0),
        statement("a1", "Fire chief Ann Lee", "the fire started in the restaurant kitchen", 0),
        statement("a1", "Residents", "they heard a loud bang before the smoke appeared", 90),
    ]
    assert find_disputes(agree) == []
    assert find_disputes([]) == []


def test_a_negation_about_something_else_is_no_dispute() -> None:
    statements = [
        statement("a0", "Harry Reid", "negotiations are going on at the White House over the debt",
                  0),
        statement("a0", "Jane Roe", "no one was hurt when the roof of the stadium fell in", 300,
                  denial=True),
        statement("a1", "Coach Smith", "the team will not be able to compete in the final", 0,
                  denial=True),
    ]
    assert find_disputes(statements) == []


def test_one_speaker_does_not_dispute_himself() -> None:
    statements = [
        statement("a0", "Sean Spicer", "the administration works with any country against ISIS", 0),
        statement("a1", "Sean Spicer", "the administration does not work with any country", 0,
                  denial=True),
    ]
    assert find_disputes(statements) == []


def test_seed_dispute(seed_brief: Brief) -> None:
    assert seed_brief.disputes, "the seeds hold one dispute"
    dispute = seed_brief.disputes[0]
    claimants = " ".join(s.speaker for s in dispute.claimed_by).lower()
    assert "ministry" in claimants
    claims = " ".join(a.content for s in dispute.claimed_by for a in s.statements)
    assert "coordinates" in claims and "targeting information" in claims
    deniers = {s.speaker for s in dispute.denied_by}
    assert {"Pentagon", "John Dorrian", "Adrian J. Rankine-Galloway"} <= deniers
    assert any("official" in d for d in deniers)
    # never invented: every statement is in the article it cites
    for stance in dispute.claimed_by + dispute.denied_by:
        for a in stance.statements:
            text = seed_brief.article(a.article_id).text
            assert " ".join(text[a.content_start : a.content_end].split()) == a.content


def test_the_speakers_of_one_body_are_one_side(seed_brief: Brief) -> None:
    (dispute,) = [d for d in seed_brief.disputes if "coordinates" in d.claim]
    russia = [st for st in dispute.claimed_by if st.body == "Russia"]
    assert {st.speaker for st in russia} >= {"Russian Ministry of Defense", "Russia"}
    # each statement keeps its own speaker; a Russian outlet reports, it is not the body
    assert all(s.speaker for st in russia for s in st.statements)
    assert all(st.body != "Russia" for st in dispute.claimed_by if "outlet" in st.speaker)
    from newsbrief.render import render

    md = render([seed_brief], "md")
    assert "- Claimed by **Russia** " in md and "*Russian Ministry of Defense*:" in md


def test_a_denial_naming_the_claimant_answers_her_claim() -> None:
    claim = statement("a0", "Jan Brewer", "the president was thin-skinned and a little tense",
                      0)
    denial = statement("a1", "Barack Obama", "he was tense in his encounter with Jan Brewer",
                       0, denial=True, cue="denied")
    (d,) = find_disputes([claim, denial])
    assert [st.speaker for st in d.claimed_by] == ["Jan Brewer"]
    assert [st.speaker for st in d.denied_by] == ["Barack Obama"]


def test_an_infinitive_is_no_claim() -> None:
    plan = statement("a0", "Donald Trump Jr.", "to meet with a woman described as a lawyer", 0,
                     cue="agreed")
    denial = statement("a0", "Donald Trump", "the meeting with the woman lawyer was wrong", 200,
                       denial=True)
    assert find_disputes([plan, denial]) == []
