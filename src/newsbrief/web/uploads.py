"""Posted input (pasted text, uploaded files) to ``Article`` records, through the library's readers.

Every input that cannot be used becomes a ``Problem`` that names it and says why; the
rest are still briefed, exactly as ``newsbrief brief`` does with files on disk.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import PurePath

from newsbrief.errors import InputError
from newsbrief.model import Problem
from newsbrief.readers import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    ReadResult,
    checked,
    read_bytes,
)
from newsbrief.readers.jsonl import read_jsonl
from newsbrief.readers.text import read_text

__all__ = ["ACCEPTED_SUFFIXES", "SEPARATOR", "Upload", "read_posted"]

ACCEPTED_SUFFIXES = tuple(sorted(TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES))

SEPARATOR = re.compile(r"^\s*-{3,}\s*$", re.MULTILINE)
"""A line of three or more dashes separates pasted articles."""


@dataclass(frozen=True, slots=True)
class Upload:
    """One uploaded file: its name as the browser gave it, and its bytes."""

    name: str
    data: bytes


def _read_upload(upload: Upload, max_bytes: int) -> ReadResult:
    # Only the base name: the browser's path is not ours to show or trust.
    origin = PurePath(upload.name.replace("\\", "/")).name or "upload"
    return read_bytes(upload.data, origin, max_bytes, unknown_as_text=False)


def _read_pasted(text: str) -> ReadResult:
    result = ReadResult()
    if text.lstrip().startswith("{"):
        articles, problems = read_jsonl(text, "pasted JSON lines")
        result.articles.extend(articles)
        result.problems.extend(problems)
        return result
    parts = [p for p in SEPARATOR.split(text) if p.strip()]
    for i, part in enumerate(parts, start=1):
        result.articles.append(read_text(part, f"pasted article {i}"))
    return result


def read_posted(text: str, uploads: Sequence[Upload], max_bytes: int) -> ReadResult:
    """Articles from pasted text (split on ``---`` lines, or JSON lines) and uploaded files.

    Nothing raises for a bad input: each one becomes a ``Problem``; the caller decides
    what to do when no article is left.
    """
    result = ReadResult()
    if text.strip():
        try:
            pasted = _read_pasted(text)
        except InputError as exc:
            pasted = ReadResult(problems=[Problem(exc.origin, exc.problem)])
        result.articles.extend(pasted.articles)
        result.problems.extend(pasted.problems)
    for upload in uploads:
        try:
            one = _read_upload(upload, max_bytes)
        except InputError as exc:
            result.problems.append(Problem(exc.origin, exc.problem))
            continue
        except Exception as exc:  # a reader's failure: that file alone, reported
            result.problems.append(
                Problem(upload.name, f"reader failed: {type(exc).__name__}: {exc}")
            )
            continue
        result.articles.extend(one.articles)
        result.problems.extend(one.problems)
    if not text.strip() and not uploads:
        result.problems.append(Problem("form", "nothing was posted: paste text or choose files"))
    return checked(result)  # lone surrogates, giant articles: as for files
