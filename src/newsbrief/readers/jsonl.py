"""JSON lines: one article a line (``text``, optional ``title``/``url``/``source``/``published``),
or Multi-News clusters (``document`` with the articles joined by ``|||||``)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from newsbrief.model import Article, Problem
from newsbrief.readers.meta import parse_date, source_from_url
from newsbrief.readers.text import source_from_origin

MULTINEWS_SEPARATOR = "|||||"


def _multinews(record: dict[str, object], origin: str) -> tuple[list[Article], list[Problem]]:
    document = record.get("document")
    if not isinstance(document, str):
        return [], [Problem(origin, "field 'document' is not a string")]
    story = str(record.get("id") or origin)
    articles: list[Article] = []
    problems: list[Problem] = []
    if not document.replace(MULTINEWS_SEPARATOR, "").replace("NEWLINE_CHAR", "").strip():
        return [], [Problem(origin, f"story {story}: 'document' holds no article text")]
    for i, part in enumerate(document.split(MULTINEWS_SEPARATOR)):
        body = part.replace("NEWLINE_CHAR", "\n").strip()
        where = f"{origin} (article {i + 1})"
        if not body:
            problems.append(Problem(where, "article is empty", fatal=False))
            continue
        articles.append(
            Article(id="", source=f"{story}#{i + 1}", origin=where, text=body, story=story)
        )
    return articles, problems


def _article(record: dict[str, object], origin: str) -> Article:
    text = record["text"]
    if not isinstance(text, str) or not text.strip():
        raise ValueError("field 'text' is empty or not a string")
    raw_url = record.get("url")
    url = raw_url if isinstance(raw_url, str) and raw_url.strip() else None
    source = record.get("source")
    if not isinstance(source, str) or not source.strip():
        source = source_from_url(url) if url else source_from_origin(origin)
    title = record.get("title")
    story = record.get("story")
    return Article(
        id="",
        source=source,
        origin=origin,
        text=text,
        title=title if isinstance(title, str) else None,
        url=url,
        author=str(record["author"]) if record.get("author") else None,
        published=parse_date(record.get("published")),
        story=str(story) if story is not None else None,
    )


def _whole_document(text: str) -> list[object] | None:
    stripped = text.strip()
    if not stripped.startswith(("[", "{")) or "\n" not in stripped:
        return None
    try:
        data = json.loads(stripped)
    except (json.JSONDecodeError, RecursionError):  # read line by line, each line judged
        return None
    return data if isinstance(data, list) else [data]


def _records(text: str, origin: str) -> Iterator[tuple[str, object]]:
    """(where, record) for each JSON value of ``text``, or (where, Problem) for a line
    that is not one."""
    whole = _whole_document(text)
    if whole is not None:  # a pretty-printed .json file: one object or an array of them
        for n, record in enumerate(whole, start=1):
            yield f"{origin}:{n}", record
        return
    # only "\n" ends a JSON line: str.splitlines() would also split on U+2028 and friends,
    # which JSON strings may hold raw
    for n, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{origin}:{n}"
        try:
            yield where, json.loads(line)
        except json.JSONDecodeError as exc:
            yield where, Problem(where, f"not valid JSON ({exc.msg} at column {exc.colno})")
        except RecursionError:  # Python's parser recurses once per level of nesting
            yield where, Problem(where, "JSON nested too deeply to read (no article is)")


def read_jsonl(text: str, origin: str) -> tuple[list[Article], list[Problem]]:
    """Every article in a JSON-lines text; a bad line is a problem, not the end of the file."""
    articles: list[Article] = []
    problems: list[Problem] = []
    for where, record in _records(text, origin):
        if isinstance(record, Problem):
            problems.append(record)
        elif not isinstance(record, dict):
            problems.append(Problem(where, "expected a JSON object"))
        elif "document" in record:
            found, bad = _multinews(record, where)
            articles.extend(found)
            problems.extend(bad)
        elif "text" in record:
            try:
                articles.append(_article(record, where))
            except ValueError as exc:
                problems.append(Problem(where, str(exc)))
        else:
            problems.append(
                Problem(where, "expected a 'text' field (an article) or 'document' (Multi-News)")
            )
    if not articles and not problems:
        problems.append(Problem(origin, "file holds no JSON lines"))
    return articles, problems
