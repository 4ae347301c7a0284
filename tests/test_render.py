"""The renderers: first on a ``Brief`` built by hand (no pipeline, so each expected line is
known), then on the seed brief from ../shared where it is present."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser

import pytest
from _articles import cleaned

from newsbrief.errors import SettingsError
from newsbrief.model import (
    Addition,
    Article,
    Attribution,
    Brief,
    BriefSentence,
    CleanArticle,
    Copy,
    DateMention,
    Dispute,
    FactConflict,
    FactReport,
    Paragraph,
    Problem,
    Quote,
    Removed,
    Sentence,
    Stance,
    Support,
    Syndication,
    TimelineEvent,
)
from newsbrief.pipeline import brief
from newsbrief.render import SCHEMA, render, to_dict

TITLE = "Bridge <script>alert('title')</script> shut"
BRIDGE = ("The Old Bridge closed on Monday after engineers found cracks "
          "<script>alert(1)</script> in two piers.")
RUIZ = "“It is not safe to cross,” said Mayor Ana Ruiz."
REPAIRS = "Repairs will take six weeks, the council said."
FERRY = "Ferries will run every hour while the bridge is shut."
DENIAL = "The ferry company denied that repairs would take six weeks."
PROMO = "Subscribe now for $1 a week"


def _at(text: str, part: str, base: int = 0) -> tuple[int, int]:
    start = base + text.index(part)
    return start, start + len(part)


def _sentence(a: CleanArticle, index: int, text: str) -> Sentence:
    start, end = _at(a.text, text)
    para = next(i for i, p in enumerate(a.paragraphs) if p.start <= start < p.end)
    return Sentence(f"{a.id}.s{index}", a.id, index, para, start, end, text)


def _support(s: Sentence, similarity: float = 1.0) -> Support:
    return Support(s.article_id, s.id, s.start, s.end, similarity)


def _said(s: Sentence, speaker: str, speaker_text: str, content: str, kind: str,
          cue: str = "said", denial: bool = False) -> Attribution:
    """An attribution whose spans are found in the sentence's text."""
    who, verb, what = (_at(s.text, part, s.start) for part in (speaker_text, cue, content))
    return Attribution(s.article_id, s.id, s.text, speaker, speaker_text, who[0], who[1], None,
                       cue, cue, verb[0], verb[1], content, what[0], what[1], kind, denial)


def hand_brief() -> Brief:
    """Three articles: a wire report, its re-post (a promo line removed) and a radio item;
    every section filled; markup in a title, an outlet name, article text and a problem."""
    wire = cleaned("\n".join([BRIDGE, RUIZ, REPAIRS]), "a0", "Harbour Wire", title=TITLE,
                   published=datetime(2024, 3, 12, 8, tzinfo=UTC))
    original = f"{PROMO}\n{BRIDGE}\n{REPAIRS}"
    kept = f"{BRIDGE}\n\n{REPAIRS}"
    cut = len(PROMO) + 1  # the re-post's text as given starts with the promo line
    repost = CleanArticle(
        article=Article("a1", "Eastport <b>Post</b>", "post.txt", original),
        text=kept,
        paragraphs=(Paragraph(0, len(BRIDGE), cut, cut + len(BRIDGE)),
                    Paragraph(len(BRIDGE) + 2, len(kept), cut + len(BRIDGE) + 1, len(original))),
        removed=(Removed("a1", 0, len(PROMO), PROMO, "paywall or subscription prompt"),),
    )
    radio = cleaned(f"{FERRY} {DENIAL}", "a2", "Coast Radio")
    w0, w1, w2 = _sentence(wire, 0, BRIDGE), _sentence(wire, 1, RUIZ), _sentence(wire, 2, REPAIRS)
    p0, p1 = _sentence(repost, 0, BRIDGE), _sentence(repost, 1, REPAIRS)
    r0, r1 = _sentence(radio, 0, FERRY), _sentence(radio, 1, DENIAL)
    ruiz = _said(w1, "Ana Ruiz", "Mayor Ana Ruiz", "It is not safe to cross", "direct")
    council = _said(w2, "Council", "the council", "Repairs will take six weeks", "indirect")
    denial = _said(r1, "Ferry <i>Co</i>", "The ferry company", "repairs would take six weeks",
                   "indirect", cue="denied", denial=True)
    monday = _at(BRIDGE, "Monday", w0.start)
    return Brief(
        articles=[wire, repost, radio],
        summary=[
            BriefSentence(BRIDGE, w0, 2.5, (_support(w0), _support(p0))),
            BriefSentence(REPAIRS, w2, 1.5, (_support(w2), _support(p1, 0.97))),
            BriefSentence(FERRY, r0, 1.25, (_support(r0),)),
        ],
        copies=[Copy("a1", p0.start, p0.end, "a0", w0.start, w0.end, 0.9)],
        syndication=[Syndication("a1", "a0", 0.85)],
        problems=[Problem("broken.txt", "file is empty"),
                  Problem("radio.txt", "only one paragraph <kept>", fatal=False)],
        words=40,
        quotes=[Quote("Ana Ruiz", "Mayor", "said", "It is not safe to cross", "direct", (ruiz,))],
        disputes=[Dispute("Repairs will take six weeks", (Stance("Council", (council,)),),
                          (Stance("Ferry <i>Co</i>", (denial,)),), 0.6)],
        additions=[Addition(("a2",), r0, 0.4, 0.1)],
        timeline=[TimelineEvent(date(2024, 3, 11), "day", BRIDGE, (
            DateMention("a0", w0.id, "Monday", *monday, BRIDGE, "publication date"),))],
    )


# --- Markdown -----------------------------------------------------------------------------

MARKDOWN = """\
# Bridge \\<script>alert('title')\\</script> shut

*3 articles from 2 distinct sources (a copy and its original count once) · 32 words*

The Old Bridge closed on Monday after engineers found cracks \\<script>alert(1)\\</script> in two \
piers. [1][2]

Repairs will take six weeks, the council said. [1][2]

Ferries will run every hour while the bridge is shut. [3]

## Sources

1. **Harbour Wire** — Bridge \\<script>alert('title')\\</script> shut (`Harbour Wire.txt`)
2. **Eastport \\<b>Post\\</b>** (`post.txt`) — copy of [1] (85% of its text)
3. **Coast Radio** (`Coast Radio.txt`)

## Copies found

- [2] Eastport \\<b>Post\\</b> repeats 1 passage(s) of [1] Harbour Wire

## Quotes

- **Ana Ruiz** (Mayor) said: “It is not safe to cross” [1]

## Disputes

**Claim** (Council): Repairs will take six weeks

- Claimed by **Council** [1]: said Repairs will take six weeks [1]
- Denied by **Ferry \\<i>Co\\</i>** [3]: denied repairs would take six weeks [3]

## What each source adds

**[3] Coast Radio**

- Ferries will run every hour while the bridge is shut. [3]

## When

- **Mon 11 Mar 2024**
  - The Old Bridge closed on Monday after engineers found cracks \\<script>alert(1)\\</script> \
in two piers. [1] (“Monday”)

## Removed as boilerplate

1 spans removed from 3 articles (`--show-removed` lists each with its reason).

## Problems with the input

- error: broken.txt: file is empty
- note: radio.txt: only one paragraph \\<kept>
"""


def test_markdown_of_a_hand_built_brief() -> None:
    # Markdown passes text through as written (it is not HTML: escaping is the viewer's job)
    assert render([hand_brief()], "md") == MARKDOWN


def test_markdown_show_removed_lists_each_span_with_its_reason() -> None:
    md = render([hand_brief()], "md", show_removed=True)
    removed = md.split("## Removed as boilerplate\n\n")[1].split("\n\n")[0]
    assert removed == "- [2] *paywall or subscription prompt*: “Subscribe now for $1 a week”"
    b = hand_brief()
    b.articles[1] = cleaned(b.articles[1].text, "a1", "Eastport Post")
    assert "## Removed as boilerplate\n\nNothing was removed.\n" in render(
        [b], "md", show_removed=True)


def test_markdown_of_several_briefs_and_of_an_empty_summary() -> None:
    empty = hand_brief()
    empty.summary = []
    md = render([hand_brief(), empty], "md")
    first, second = md.split("\n\n---\n\n")
    assert first == MARKDOWN
    assert "_No sentence could be selected: the articles hold no usable prose._" in second
    assert "· 0 words*" in second


# --- JSON ---------------------------------------------------------------------------------


def test_json_has_every_schema_field() -> None:
    data = json.loads(render([hand_brief()], "json"))
    assert list(data) == [
        "schema", "story", "title", "focus", "update", "words_requested", "words",
        "distinct_sources", "source_groups", "summary", "articles", "copies", "syndication",
        "problems", "quotes", "disputes", "conflicts", "additions", "timeline"]
    assert data["schema"] == SCHEMA == "newsbrief.brief/1"
    assert data["update"] is None  # a whole brief (issue 14: set for update briefs)
    assert (data["story"], data["title"], data["words_requested"], data["words"]) == (
        None, TITLE, 40, 32)
    assert data["distinct_sources"] == 2 and data["source_groups"] == [["a0", "a1"], ["a2"]]
    assert set(data["summary"][0]) == {"text", "shown", "score", "article_id", "sentence_id",
                                       "start", "end", "citations", "disagreeing"}
    assert set(data["summary"][0]["citations"][0]) == {"article_id", "sentence_id", "start",
                                                       "end", "similarity", "agreement"}
    assert data["conflicts"] == []
    articles = data["articles"]
    assert set(articles[0]) == {"id", "source", "origin", "title", "url", "author", "published",
                                "copy_of", "text", "paragraphs", "removed"}
    assert [a["copy_of"] for a in articles] == [None, "a0", None]
    assert articles[0]["published"] == "2024-03-12T08:00:00+00:00"
    assert articles[1]["published"] is None
    assert articles[1]["removed"] == [{"start": 0, "end": len(PROMO), "text": PROMO,
                                       "reason": "paywall or subscription prompt"}]
    assert data["syndication"] == [{"copy_id": "a1", "original_id": "a0", "share": 0.85}]
    assert data["problems"] == [
        {"origin": "broken.txt", "message": "file is empty", "fatal": True},
        {"origin": "radio.txt", "message": "only one paragraph <kept>", "fatal": False}]
    (quote,) = data["quotes"]
    assert {k: quote[k] for k in ("speaker", "role", "cue", "text", "kind", "article_ids",
                                  "paraphrased_in")} == {
        "speaker": "Ana Ruiz", "role": "Mayor", "cue": "said",
        "text": "It is not safe to cross", "kind": "direct", "article_ids": ["a0"],
        "paraphrased_in": []}
    (dispute,) = data["disputes"]
    assert set(dispute) == {"claim", "similarity", "claimed_by", "denied_by"}
    assert [s["speaker"] for s in dispute["denied_by"]] == ["Ferry <i>Co</i>"]
    assert dispute["denied_by"][0]["statements"][0]["denial"] is True
    (event,) = data["timeline"]
    assert (event["date"], event["granularity"], event["label"], event["article_ids"]) == (
        "2024-03-11", "day", "Mon 11 Mar 2024", ["a0"])


def test_json_offsets_point_into_the_cleaned_texts() -> None:
    b = hand_brief()
    data = to_dict(b)
    text = {a["id"]: a["text"] for a in data["articles"]}
    for s in data["summary"]:
        assert text[s["article_id"]][s["start"] : s["end"]] == s["text"]
        for c in s["citations"]:
            assert text[c["article_id"]][c["start"] : c["end"]] == s["text"]
    for c in data["copies"]:
        assert text[c["copy_id"]][c["copy_start"] : c["copy_end"]] == BRIDGE
        assert text[c["original_id"]][c["original_start"] : c["original_end"]] == BRIDGE
    for a in data["additions"]:
        assert text[a["article_id"]][a["start"] : a["end"]] == a["text"] == FERRY
    reports = [r for q in data["quotes"] for r in q["reports"]] + [
        s for d in data["disputes"] for side in ("claimed_by", "denied_by")
        for st in d[side] for s in st["statements"]]
    assert len(reports) == 3
    for r in reports:
        said = text[r["article_id"]]
        assert said[r["content_start"] : r["content_end"]] == r["content"]
        assert said[r["cue_start"] : r["cue_end"]] == r["cue"]
        assert said[r["speaker_start"] : r["speaker_end"]] == r["speaker_text"]
    (mention,) = data["timeline"][0]["mentions"]
    assert text["a0"][mention["start"] : mention["end"]] == mention["expression"] == "Monday"
    for a, article in zip(data["articles"], b.articles, strict=True):
        for p in a["paragraphs"]:
            given = article.article.text[p["original_start"] : p["original_end"]]
            assert a["text"][p["start"] : p["end"]] == given
        for r in a["removed"]:
            assert article.article.text[r["start"] : r["end"]] == r["text"]


def test_json_of_several_briefs_is_wrapped_once() -> None:
    data = json.loads(render([hand_brief(), hand_brief()], "json"))
    assert list(data) == ["schema", "briefs"] and data["schema"] == SCHEMA
    assert data["briefs"] == [to_dict(hand_brief())] * 2


# --- HTML ---------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Ids, citation links, the text of each ``<mark>``, and every external reference."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.cites: list[dict[str, str | None]] = []
        self.srcrefs: list[str] = []
        self.marks: dict[str, str] = {}
        self.external: list[str] = []
        self.scripts = 0
        self._mark: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(str(d["id"]))
        classes = (d.get("class") or "").split()
        if tag == "a" and "cite" in classes:
            self.cites.append(d)
        if tag == "a" and "srcref" in classes:
            self.srcrefs.append(str(d["href"]))
        if tag == "mark":
            self._mark = str(d["id"])
            self.marks[self._mark] = ""
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href"):
            value = d.get(key) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self._mark = None

    def handle_data(self, data: str) -> None:
        if self._mark is not None:
            self.marks[self._mark] += data


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


def test_html_citations_anchor_the_cited_sentences() -> None:
    b = hand_brief()
    page = _parse(render([b], "html"))
    expected = [(s.text, c) for s in b.summary for c in s.support]
    assert len(page.cites) == len(expected) == 5
    for (text, support), cite in zip(expected, page.cites, strict=True):
        anchor = f"b0-{support.sentence_id.replace('.', '-')}"
        assert cite["href"] == f"#{anchor}" and cite["data-target"] == anchor
        assert page.marks[anchor] == text  # the mark holds exactly the cited sentence
        assert cite["data-article"] == f"0-{support.article_id}"
        assert f"article-0-{support.article_id}" in page.ids
    assert {href.lstrip("#") for href in page.srcrefs} <= page.ids
    assert page.external == []


def test_html_escapes_markup_in_text_titles_names_and_problems() -> None:
    html = render([hand_brief()], "html")
    assert _parse(html).scripts == 1  # the page's own script, nothing from the articles
    assert "<title>Bridge &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; shut</title>" \
        in html
    assert "<h1>Bridge &lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; shut</h1>" in html
    assert "cracks &lt;script&gt;alert(1)&lt;/script&gt; in two piers" in html
    assert "Eastport &lt;b&gt;Post&lt;/b&gt;" in html and "<b>Post</b>" not in html
    assert "Ferry &lt;i&gt;Co&lt;/i&gt;" in html and "<i>Co</i>" not in html
    assert "only one paragraph &lt;kept&gt;" in html


def test_html_marks_the_copy_and_shows_removed_text_on_request() -> None:
    html = render([hand_brief()], "html")
    assert '<div class="article copy" id="article-0-a1">' in html
    assert "Copy of [1] (85% of its text)" in html
    assert '<mark id="b0-a1-s0" class="copied">' in html  # the copied passage, cited
    assert "<body>" in html
    assert '<body class="show-removed">' in render([hand_brief()], "html", show_removed=True)
    assert "<em>paywall or subscription prompt</em>: Subscribe now for $1 a week" in html


def test_html_of_two_briefs_keeps_their_anchors_apart() -> None:
    page = _parse(render([hand_brief(), hand_brief()], "html"))
    assert {"brief-0", "brief-1"} <= page.ids
    assert {c["data-target"] for c in page.cites} == {
        f"b{i}-{s}" for i in (0, 1) for s in ("a0-s0", "a1-s0", "a0-s2", "a1-s1", "a2-s0")}
    assert {str(c["data-target"]) for c in page.cites} <= set(page.marks)


def test_unknown_format_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="unknown format 'pdf'"):
        render([hand_brief()], "pdf")


# --- on the pipeline's output -------------------------------------------------------------


def test_html_escapes_article_text_from_the_pipeline() -> None:
    evil = (
        "The mayor said on Monday <script>alert(1)</script> that the new bridge would open soon.\n"
        "Officials added <img src=x onerror=alert(2)> that traffic would be diverted for weeks."
    )
    b = brief([Article("", "Evil", "evil.txt", evil),
               Article("", "Good", "good.txt", evil.replace("Monday", "Tuesday"))], words=30)
    assert b.summary, "the test needs a summary that quotes the markup"
    page = render([b], "html")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_markdown_cites_every_sentence(seed_brief: Brief) -> None:
    md = render([seed_brief], "md")
    for s in seed_brief.summary:
        assert s.text in md
    body = md.split("## Sources")[0]
    for line in body.splitlines()[3:]:
        if line.strip():
            assert line.rstrip().endswith("]"), line
    assert "copy of [1]" in md


def test_markdown_show_removed_lists_reasons(seed_brief: Brief) -> None:
    md = render([seed_brief], "md", show_removed=True)
    assert "*paywall or subscription prompt*: “You've reached your daily free article limit.”" in md
    assert "TRY 14 DAYS FREE" in md


def test_json_schema_and_offsets(seed_brief: Brief) -> None:
    data = json.loads(render([seed_brief], "json"))
    assert data["schema"] == SCHEMA
    articles = {a["id"]: a for a in data["articles"]}
    for s in data["summary"]:
        for c in s["citations"]:
            text = articles[c["article_id"]]["text"]
            assert text[c["start"] : c["end"]].strip()
        assert articles[s["article_id"]]["text"][s["start"] : s["end"]] == s["text"]
    assert articles["a1"]["copy_of"] == "a0"
    assert any(r["reason"] == "comments section" for r in articles["a1"]["removed"])
    assert data["distinct_sources"] == 4


def test_html_every_citation_has_its_sentence_and_nothing_external(seed_brief: Brief) -> None:
    page = _parse(render([seed_brief], "html"))
    targets = [str(c["data-target"]) for c in page.cites]
    assert targets
    assert set(targets) <= page.ids
    assert page.external == []


# --- Figures that differ (issue 11) -------------------------------------------------------


def test_figures_that_differ_are_shown_at_the_sentence_and_among_the_disputes() -> None:
    b = hand_brief()
    w2 = b.summary[1].sentence
    radio = b.article("a2")
    r1 = _sentence(radio, 1, DENIAL)
    six = _at(REPAIRS, "six", w2.start)
    five = _at(DENIAL, "six", r1.start)  # the report's own words are what a renderer shows
    b.conflicts = [FactConflict("weeks", (
        FactReport("six", 6.0, "a0", w2.id, *six, REPAIRS),
        FactReport("five", 5.0, "a2", r1.id, *five, "Repairs could take five weeks."),
    ))]
    md = render([b], "md")
    assert ("Repairs will take six weeks, the council said. [1][2] "
            "*(figures differ (weeks): six [1]; five [3])*") in md
    assert "**Figures differ** (weeks): six [1]; five [3]" in md
    assert "- five [3]: “Repairs could take five weeks.”" in md
    assert md.count("figures differ") == 1  # only where the figure appears
    data = json.loads(render([b], "json"))
    (conflict,) = data["conflicts"]
    assert conflict["what"] == "weeks"
    assert conflict["values"] == [{"value": "six", "article_ids": ["a0"]},
                                  {"value": "five", "article_ids": ["a2"]}]
    assert conflict["reports"][0]["start"] == six[0]
    html = render([b], "html")
    assert html.count('<span class="conflict">') == 1
    assert '<div class="dispute conflict">' in html


def test_citations_are_listed_in_number_order(seed_brief: Brief) -> None:
    import re

    for fmt in ("md", "html"):
        out = render([seed_brief], fmt)
        runs = [re.findall(r"\d+", r) for r in re.findall(r"((?:\[\d+\])+)(?:\s|$)", out)] \
            if fmt == "md" else [re.findall(r"\[(\d+)\]</a>", p)
                                 for p in re.findall(r'<p class="sentence".*?</p>', out)]
        assert any(len(r) > 1 for r in runs)
        for run in runs:
            nums = [int(n) for n in run]
            assert nums == sorted(nums), (fmt, run)
