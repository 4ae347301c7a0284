from __future__ import annotations

import json
from html.parser import HTMLParser

from newsbrief.model import Article
from newsbrief.pipeline import brief
from newsbrief.render import SCHEMA, render, to_dict


def test_markdown_cites_every_sentence(seed_brief) -> None:  # type: ignore[no-untyped-def]
    md = render([seed_brief], "md")
    for s in seed_brief.summary:
        assert s.text in md
    body = md.split("## Sources")[0]
    for line in body.splitlines()[3:]:
        if line.strip():
            assert line.rstrip().endswith("]"), line
    assert "copy of [1]" in md


def test_markdown_show_removed_lists_reasons(seed_brief) -> None:  # type: ignore[no-untyped-def]
    md = render([seed_brief], "md", show_removed=True)
    assert "*paywall or subscription prompt*: “You've reached your daily free article limit.”" in md
    assert "TRY 14 DAYS FREE" in md


def test_json_schema_and_offsets(seed_brief) -> None:  # type: ignore[no-untyped-def]
    data = json.loads(render([seed_brief], "json"))
    assert data["schema"] == SCHEMA
    articles = {a["id"]: a for a in data["articles"]}
    for s in data["summary"]:
        for c in s["citations"]:
            text = articles[c["article_id"]]["text"]
            assert text[c["start"] : c["end"]]
        assert articles[s["article_id"]]["text"][s["start"] : s["end"]] == s["text"]
    assert articles["a1"]["copy_of"] == "a0"
    assert any(r["reason"] == "comments section" for r in articles["a1"]["removed"])
    assert data["distinct_sources"] == 4


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.targets: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        d = dict(attrs)
        if d.get("id"):
            self.ids.add(str(d["id"]))
        if tag == "a" and "cite" in (d.get("class") or ""):
            self.targets.append(str(d["data-target"]))
        for key in ("src", "href"):
            value = d.get(key) or ""
            if value.startswith(("http:", "https:", "//")):
                self.external.append(value)


def test_html_every_citation_has_its_sentence_and_nothing_external(seed_brief) -> None:  # type: ignore[no-untyped-def]
    page = render([seed_brief], "html")
    parser = _Collector()
    parser.feed(page)
    assert parser.targets
    assert set(parser.targets) <= parser.ids
    assert parser.external == []


def test_html_escapes_article_text() -> None:
    evil = (
        "The mayor said on Monday <script>alert(1)</script> that the new bridge would open soon.\n"
        "Officials added <img src=x onerror=alert(2)> that traffic would be diverted for weeks."
    )
    b = brief([Article("", "Evil", "evil.txt", evil),
               Article("", "Good", "good.txt", evil.replace("Monday", "Tuesday"))], words=30)
    page = render([b], "html")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert to_dict(b)["summary"]
