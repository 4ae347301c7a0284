"""Readers: one module per input format, each turning bytes into ``Article`` records.

``read_paths`` expands folders and globs, picks the reader by file name, and
never stops at a bad input: each one becomes a ``Problem`` naming the file and
what is wrong, and the rest of the batch goes on.
"""

from __future__ import annotations

import glob
import json
import os
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsbrief.errors import InputError, MissingExtraError
from newsbrief.model import Article, Problem
from newsbrief.readers import html, jsonl, text
from newsbrief.settings import DEFAULT_MAX_BYTES

__all__ = [
    "DEFAULT_MAX_BYTES",
    "ReadResult",
    "decode",
    "expand_paths",
    "iter_articles",
    "load_source_names",
    "name_sources",
    "read_bytes",
    "read_file",
    "read_one",
    "read_paths",
]


TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson", ".json"}
WARC_SUFFIXES = {".warc", ".arc"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES | WARC_SUFFIXES | FEED_SUFFIXES


@dataclass(slots=True)
class ReadResult:
    """The articles read, and every input that could not be used."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes, origin: str) -> str:
    """Bytes to text, or an ``InputError`` that says why the bytes are not text."""
    if not data.strip():
        raise InputError(origin, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(origin, "starts as UTF-16 but is not valid UTF-16") from None
    if b"\x00" in data[:8192]:
        raise InputError(origin, "binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            origin, f"not valid UTF-8 (bad byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) > 1 else ""
    return suffixes[-1] if suffixes else ""


def _gunzip(data: bytes, origin: str, max_bytes: int) -> bytes:
    """Decompress, refusing to grow past ``max_bytes`` (a small .gz can hold gigabytes)."""
    unzip = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
    try:
        out = unzip.decompress(data, max_bytes + 1)
    except zlib.error as exc:
        raise InputError(origin, f"not a readable gzip file ({exc})") from None
    if len(out) > max_bytes:
        raise InputError(
            origin,
            f"file unpacks to over the {max_bytes / 1e6:.1f} MB limit "
            "(raise the max_bytes limit to read it)",
        )
    return out


def _expand(paths: Iterable[str | os.PathLike[str]], problems: list[Problem]) -> Iterator[Path]:
    for raw in paths:
        name = os.fspath(raw)
        path = Path(name)
        if path.is_dir():
            everything = sorted(p for p in path.rglob("*") if p.is_file())
            files = [p for p in everything if _suffix(p) in KNOWN_SUFFIXES]
            for skipped in everything:
                if _suffix(skipped) not in KNOWN_SUFFIXES and not skipped.name.startswith("."):
                    problems.append(Problem(
                        str(skipped),
                        "skipped: not an article file type (name it directly to read it as text)",
                        fatal=False,
                    ))
            if not files:
                problems.append(
                    Problem(name, "folder holds no article files (.txt, .html, .jsonl)")
                )
            yield from files
        elif path.is_file():
            yield path
        elif any(ch in name for ch in "*?["):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                problems.append(Problem(name, "pattern matches no file"))
            for m in matches:
                if Path(m).is_file():
                    yield Path(m)
                else:
                    problems.append(Problem(m, "skipped: a folder matched by a pattern",
                                            fatal=False))
        else:
            problems.append(Problem(name, "no such file or folder"))


def read_bytes(
    data: bytes, origin: str, max_bytes: int = DEFAULT_MAX_BYTES, unknown_as_text: bool = True
) -> ReadResult:
    """Read one file's bytes with the reader its name (``origin``) calls for.

    A name with no known suffix is read as plain text, or rejected when
    ``unknown_as_text`` is false (uploads, where the name is all we know).
    """
    if len(data) > max_bytes:
        raise InputError(
            origin,
            f"file is {len(data) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
            "(raise the max_bytes limit to read it)",
        )
    path = Path(origin)
    result = ReadResult()
    if _suffix(path) in WARC_SUFFIXES:  # warcio reads plain and gzip archives itself
        from newsbrief.readers.warc import read_warc

        articles, problems = read_warc(data, origin, max_bytes)
        result.articles.extend(articles)
        result.problems.extend(problems)
        return result
    if path.suffix.lower() == ".gz":
        data = _gunzip(data, origin, max_bytes)
    suffix = _suffix(path)
    if suffix in FEED_SUFFIXES:
        from newsbrief.readers.feeds import read_feed

        articles, problems = read_feed(data, origin)
        result.articles.extend(articles)
        result.problems.extend(problems)
    elif suffix in HTML_SUFFIXES:
        result.articles.append(html.read_html(data, origin))
    elif suffix in JSONL_SUFFIXES:
        articles, problems = jsonl.read_jsonl(decode(data, origin), origin)
        result.articles.extend(articles)
        result.problems.extend(problems)
    elif suffix in TEXT_SUFFIXES or unknown_as_text:
        result.articles.append(text.read_text(decode(data, origin), origin))
    else:
        raise InputError(
            origin,
            f"unsupported file type {suffix or '(no extension)'!r}: "
            f"expected one of {', '.join(sorted(KNOWN_SUFFIXES))}",
        )
    return result


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file with the reader its name calls for.

    WARC archives are streamed record by record (crawls run to gigabytes), so
    the size limit applies to each page in them, not to the archive. An
    unexpected error in a reader is a problem for this file alone (what was read
    before it is kept); ``InputError`` and ``OSError`` are raised as before.
    """
    result = ReadResult()
    try:
        if _suffix(path) in WARC_SUFFIXES:
            from newsbrief.readers.warc import iter_warc

            with path.open("rb") as stream:
                for item in iter_warc(stream, str(path), max_bytes):
                    if isinstance(item, Problem):
                        result.problems.append(item)
                    else:
                        result.articles.append(item)
            return result
        size = path.stat().st_size
        if size > max_bytes:  # checked before reading: never load a huge file into memory
            raise InputError(
                str(path),
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                "(raise the max_bytes limit to read it)",
            )
        return read_bytes(path.read_bytes(), str(path), max_bytes)
    except (InputError, OSError):
        raise
    except MissingExtraError as exc:  # this file's format needs an extra; the others go on
        result.problems.append(Problem(str(path), str(exc)))
        return result
    except Exception as exc:  # a reader's bug or an input it did not foresee: not the whole run
        result.problems.append(Problem(str(path), f"reader failed: {type(exc).__name__}: {exc}"))
        return result


def load_source_names(path: str | os.PathLike[str]) -> dict[str, str]:
    """A JSON object mapping file names (or paths) to outlet names, for inputs without metadata."""
    origin = os.fspath(path)
    try:
        data = json.loads(Path(origin).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(origin, f"cannot read source names ({exc.strerror})") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(origin, f"source names are not valid JSON ({exc})") from None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in data.items()
    ):
        raise InputError(origin, 'expected a JSON object of "file name": "outlet name" pairs')
    return data


def name_sources(articles: list[Article], names: dict[str, str]) -> list[Article]:
    """Give articles whose file is named in ``names`` that outlet name (exact path or file name)."""
    out = []
    for a in articles:
        path = a.origin.split(" (article", 1)[0]
        name = names.get(path) or names.get(Path(path).name)
        out.append(replace(a, source=name) if name else a)
    return out


def expand_paths(paths: Iterable[str | os.PathLike[str]]) -> tuple[list[Path], list[Problem]]:
    """The files that ``paths`` (files, folders, globs) name, and the problems and notes
    found on the way (missing paths, empty folders, files skipped by type)."""
    problems: list[Problem] = []
    return list(_expand(paths, problems)), problems


def read_one(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """One file's articles and problems; never raises for bad input (``read_file``
    already turns a reader's own failure into a problem)."""
    try:
        return read_file(path, max_bytes)
    except InputError as exc:
        return ReadResult(problems=[Problem(exc.origin, exc.problem)])
    except OSError as exc:
        return ReadResult(problems=[Problem(str(path), f"cannot read file ({exc.strerror})")])


def iter_articles(
    paths: Iterable[str | os.PathLike[str]], problems: list[Problem],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[Article]:
    """The articles of ``paths``, one file at a time (never more than one file's in
    memory), adding each file's problems to ``problems`` as it is read."""
    for path in _expand(paths, problems):
        one = read_one(path, max_bytes)
        problems.extend(one.problems)
        yield from one.articles


def read_paths(
    paths: Iterable[str | os.PathLike[str]], max_bytes: int = DEFAULT_MAX_BYTES
) -> ReadResult:
    """Read every article in ``paths`` (files, folders, globs); collect problems, never stop."""
    result = ReadResult()
    result.articles.extend(iter_articles(paths, result.problems, max_bytes))
    return result
