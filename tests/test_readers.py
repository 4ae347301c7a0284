from __future__ import annotations

import gzip
import json
from pathlib import Path

from newsbrief.readers import read_paths

PAGE = """<html><head><title>Storm hits coast | Example News</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Roe">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<link rel="canonical" href="https://www.example.com/news/storm"></head>
<body><nav>Home | World | Sport</nav><article><h1>Storm hits coast</h1>
<p>A powerful storm hit the northern coast on Tuesday, cutting power to thousands of homes
and forcing the closure of schools across the region, officials said.</p>
<p>The national weather service said winds reached 120 kilometres an hour overnight and warned
that more rain was expected later in the week as the system moved inland.</p>
</article><footer>Copyright Example News</footer></body></html>"""


def test_text_folder_reads_every_seed(seeds_dir: Path) -> None:
    result = read_paths([seeds_dir])
    assert len(result.articles) == 5
    assert not result.problems
    assert result.articles[0].source == "000_6f1855a796f7e457"
    assert "Sean Spicer" in result.articles[0].text


def test_html_page_gives_text_and_metadata(tmp_path: Path) -> None:
    page = tmp_path / "storm.html"
    page.write_text(PAGE, encoding="utf-8")
    (article,) = read_paths([page]).articles
    assert "powerful storm" in article.text
    assert "Home | World" not in article.text
    assert article.source == "Example News"
    assert article.author == "Jane Roe"
    assert article.url == "https://www.example.com/news/storm"
    assert article.published is not None and article.published.year == 2024


def test_jsonl_articles_and_source_fallbacks(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    rows = [
        {"text": "First article body.", "source": "Wire"},
        {"text": "Second body.", "url": "https://www.bbc.co.uk/news/1", "title": "T"},
        {"text": "Third body."},
        {"title": "no text here"},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n", encoding="utf-8")
    result = read_paths([path])
    assert [a.source for a in result.articles] == ["Wire", "bbc.co.uk", "feed"]
    assert [p.origin for p in result.problems] == [f"{path}:4", f"{path}:5"]
    assert "expected a 'text' field" in result.problems[0].message
    assert "not valid JSON" in result.problems[1].message


def test_multinews_line_splits_articles(tmp_path: Path) -> None:
    path = tmp_path / "mn.jsonl.gz"
    doc = "One article here.NEWLINE_CHAR More. ||||| Second article. |||||  "
    path.write_bytes(gzip.compress(json.dumps({"id": "c1", "document": doc}).encode()))
    result = read_paths([path])
    assert [a.story for a in result.articles] == ["c1", "c1"]
    assert "\n" in result.articles[0].text
    assert result.problems and not result.problems[0].fatal  # the empty third part is noted


def test_glob_and_missing_paths(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Some article text that is long enough.", encoding="utf-8")
    result = read_paths([str(tmp_path / "*.txt"), str(tmp_path / "nope.txt")])
    assert len(result.articles) == 1
    assert result.problems[0].message == "no such file or folder"


def test_gzip_that_unpacks_past_the_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.txt.gz"
    path.write_bytes(gzip.compress(b"a " * 3_000_000))
    result = read_paths([path], max_bytes=1_000_000)
    assert not result.articles
    assert result.problems[0].message.startswith("file unpacks to over the 1.0 MB limit")


def test_jsonl_keeps_line_separators_inside_strings(tmp_path: Path) -> None:
    path = tmp_path / "odd.JSONL"
    rows = [{"text": "First line\u2028still the first article."}, {"text": "Second."}]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    result = read_paths([path])
    assert len(result.articles) == 2 and not result.problems
    assert result.articles[1].origin.endswith(":2")


def test_pretty_printed_json_array(tmp_path: Path) -> None:
    path = tmp_path / "articles.json"
    path.write_text(json.dumps([{"text": "One body."}, {"text": "Two body."}], indent=2))
    assert [a.text for a in read_paths([path]).articles] == ["One body.", "Two body."]


def test_utf16_text_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "notepad.txt"
    path.write_bytes("The council met on Monday.".encode("utf-16"))
    assert read_paths([path]).articles[0].text == "The council met on Monday."


def test_empty_multinews_cluster_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "mn.jsonl"
    path.write_text(json.dumps({"id": "c9", "document": " |||||  ||||| "}))
    result = read_paths([path])
    assert not result.articles
    assert result.problems[0].fatal and "story c9" in result.problems[0].message


def test_dates_with_and_without_zone_compare(tmp_path: Path) -> None:
    path = tmp_path / "dated.jsonl"
    text = "The bridge will close for repairs on Monday, the transport ministry said today."
    rows = [{"text": text, "published": "2017-01-23T10:00:00Z"},
            {"text": text, "published": "2017-01-23"}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    from newsbrief import brief

    result = read_paths([path])
    assert len(result.articles) == 2
    assert all(a.published and a.published.tzinfo for a in result.articles)
    assert brief(result.articles, words=20).syndication  # copies compared their dates


def test_dates_at_the_edge_of_the_range_are_unknown(tmp_path: Path) -> None:
    path = tmp_path / "edge.jsonl"
    rows = [{"text": "The dam opened.", "published": "0001-01-01T00:00:00+01:00"},
            {"text": "The dam closed.", "published": "9999-12-31T23:00:00-12:00"},
            {"text": "The dam held.", "published": "2020-05-01T12:00:00+02:00"}]
    path.write_text("\n".join(json.dumps(r) for r in rows))
    result = read_paths([path])
    assert not result.problems
    assert [a.published.hour if a.published else None for a in result.articles] == [None, None, 10]


def test_fixture_story_reads_with_one_reader_a_format(story_dir: Path) -> None:
    result = read_paths([story_dir])
    assert not result.problems
    # a JSON lines article's origin names its line: "file.jsonl:1"
    suffixes = [Path(a.origin.removesuffix(":1")).suffix for a in result.articles]
    assert suffixes == [".txt", ".jsonl", ".txt", ".html", ".jsonl"]
    # plain text has no metadata: the outlet is the file name
    assert [a.source for a in result.articles if a.origin.endswith(".txt")] == [
        "kestrel-times", "marrowfield-courier"]
    assert all(a.published is None and a.title is None
               for a in result.articles if a.origin.endswith(".txt"))


def test_source_names_name_plain_text_outlets(story_dir: Path) -> None:
    from newsbrief.readers import name_sources

    articles = read_paths([story_dir]).articles
    named = name_sources(articles, {"marrowfield-courier.txt": "Marrowfield Courier"})
    assert [a.source for a in named] == [
        "kestrel-times", "Lakeland Press Agency", "Marrowfield Courier", "Northern Ledger",
        "Wren Valley Radio"]
