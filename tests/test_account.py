"""One readable account: the summary ordered as a story is told, its people introduced."""

from __future__ import annotations

from _articles import cleaned

from newsbrief.account import MAX_QUOTES_IN_A_ROW, given_names, introduce, order
from newsbrief.model import BriefSentence, Sentence


def bs(text: str, index: int, article: str = "a0") -> BriefSentence:
    s = Sentence(id=f"{article}.s{index}", article_id=article, index=index, paragraph=index,
                 start=0, end=len(text), text=text)
    return BriefSentence(text=text, sentence=s, score=1.0, support=())


def test_the_lede_first_quotes_between_facts_background_last() -> None:
    summary = [
        bs("The council voted on Monday to close the bridge for repairs.", 0),
        bs('"We had no choice, the cracks are getting worse every week," the mayor said.', 3),
        bs('"This will ruin the shops on the east bank for a whole season," a trader said.', 4),
        bs('"Nobody asked the people who cross it twice a day," a commuter said.', 5),
        bs("The bridge had been closed once before, in 1998, after a flood.", 6),
        bs("Traffic will be sent over the ring road from next month.", 7),
    ]
    told = order(summary)
    assert told[0].text.startswith("The council voted")
    assert told[-1].text.startswith("The bridge had been closed")  # background last
    run = longest = 0
    for s in told:
        run = run + 1 if s.text.startswith('"') else 0
        longest = max(longest, run)
    assert longest <= MAX_QUOTES_IN_A_ROW
    assert sorted(s.text for s in told) == sorted(s.text for s in summary)  # nothing lost


def test_a_surname_gets_the_one_given_name_the_articles_use() -> None:
    articles = [cleaned("White House press secretary Sean Spicer spoke on Monday. "
                        "President Trump said little. Michelle Obama and Barack Obama "
                        "attended. And Ted Cruz spoke.")]
    assert given_names(articles, {"Spicer", "Trump", "Obama", "Cruz"}) == {
        "Spicer": "Sean", "Cruz": "Ted"}
    summary = [bs("Spicer said the door was open to working with Russia.", 0),
               bs("Later, Spicer said it again and Obama agreed.", 1)]
    out = introduce(summary, articles, {})
    assert out[0].text == "[Sean] Spicer said the door was open to working with Russia."
    assert out[1].text == summary[1].text  # introduced already; two Obamas: as written
    assert out[0].sentence.text == summary[0].text  # the article's words are kept


def test_a_pronoun_speaker_is_named_in_brackets() -> None:
    articles = [cleaned("Sean Spicer spoke. “We will talk to anyone,” he said.")]
    summary = [bs("“We will talk to anyone,” he said.", 1)]
    out = introduce(summary, articles, {"a0.s1": "Sean Spicer"})
    assert out[0].text == "“We will talk to anyone,” [Sean Spicer] said."
