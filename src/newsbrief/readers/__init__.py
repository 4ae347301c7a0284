"""Readers: one module per input format, each turning bytes into ``Article`` records.

``read_paths`` expands folders and globs, picks the reader by file name, and
never stops at a bad input: each one becomes a ``Problem`` naming the file and
what is wrong, and the rest of the batch goes on. Text is made safe once, here,
where it enters: a lone surrogate (a JSON ``"\\ud800"``) becomes U+FFFD, and a file
name that is not UTF-8 or holds control characters becomes its ``errors.shown``
form, so no later stage, store or renderer meets text it cannot encode.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import re
import stat
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from newsbrief.errors import InputError, MissingExtraError, shown
from newsbrief.model import Article, Problem
from newsbrief.readers import html, jsonl, text
from newsbrief.settings import (
    DEFAULT_MAX_BYTES,
    MAX_ARTICLE_CHARS,
    MAX_PARAGRAPH_CHARS,
    MAX_PUNCTUATION_RUN,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "PUNCTUATION_RUN",
    "ReadResult",
    "checked",
    "decode",
    "expand_paths",
    "iter_articles",
    "load_source_names",
    "name_sources",
    "oversized",
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

PUNCTUATION_RUN = re.compile(rf"(?:[^\w\s]|_){{{MAX_PUNCTUATION_RUN + 1},}}")
"""A run of punctuation marks (or symbols) longer than the tokenizer reads whole."""
NOTED_RUN = 1000
"""Shortest run of punctuation marks worth a note: a rule of dashes or stars under a
heading is ordinary, and shorter than this (the tokenizer is bounded either way)."""
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a UTF-16 pair, not a character: JSON can spell one (``"\\ud800"``), and no
encoder can write it."""
_ARTICLE_TEXTS = ("text", "title", "source", "origin", "url", "author", "story")


@dataclass(slots=True)
class ReadResult:
    """The articles read, and every input that could not be used."""

    articles: list[Article] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _utf16_order(data: bytes) -> str | None:
    """The codec of UTF-16 text without a byte-order mark, judged by where its NUL bytes
    fall (the high byte of each Latin letter), or None. Text in other scripts has no NULs
    and is told apart by failing to decode as UTF-8."""
    head = data[:8192]
    pairs = len(head) // 2
    if pairs < 2:
        return None
    at_even, at_odd = head[0::2].count(0), head[1::2].count(0)
    if at_odd > pairs * 0.3 and at_even < pairs * 0.05:
        return "utf-16-le"
    if at_even > pairs * 0.3 and at_odd < pairs * 0.05:
        return "utf-16-be"
    return None


def decode(data: bytes, origin: str) -> str:
    """Bytes to text, or an ``InputError`` that says why the bytes are not text."""
    if not data.strip():
        raise InputError(origin, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with a byte-order mark
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(origin, "starts as UTF-16 but is not valid UTF-16") from None
    order = _utf16_order(data)
    if order is not None:
        try:
            return data.decode(order)
        except UnicodeDecodeError:
            raise InputError(
                origin, "looks like UTF-16 without a byte-order mark but is not valid UTF-16"
            ) from None
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
    """Decompress every member (``cat a.gz b.gz > c.gz`` is one valid gzip file), refusing
    to grow past ``max_bytes`` in all (a small .gz can hold gigabytes)."""
    out = bytearray()
    rest = data
    while rest.strip(b"\x00"):  # some writers pad the end with NUL bytes
        unzip = zlib.decompressobj(wbits=zlib.MAX_WBITS | 16)
        try:
            out += unzip.decompress(rest, max_bytes + 1 - len(out))
        except zlib.error as exc:
            raise InputError(origin, f"not a readable gzip file ({exc})") from None
        if len(out) > max_bytes:
            raise InputError(
                origin,
                f"file unpacks to over the {max_bytes / 1e6:.1f} MB limit "
                "(raise the max_bytes limit to read it)",
            )
        if not unzip.eof:  # cut short: keep what was there, as for a single member
            break
        rest = unzip.unused_data
    return bytes(out)


def _unreadable(path: Path, exc: OSError) -> Problem:
    """What an ``OSError`` met while looking at ``path`` means to a user."""
    where = shown(str(path))
    if exc.errno == errno.ELOOP:
        return Problem(where, "skipped: a symlink loop (the link leads back to itself)",
                       fatal=False)
    if exc.errno == errno.ENOENT and path.is_symlink():
        return Problem(where, f"dangling symlink (its target {shown(os.readlink(path))} "
                              "does not exist)")
    if exc.errno == errno.ENOENT:
        return Problem(where, "no such file or folder")
    return Problem(where, f"cannot read ({exc.strerror})")


def _walk(folder: Path, problems: list[Problem]) -> list[Path]:
    """Every file under ``folder``, symlinks followed: a folder already walked (a symlink
    loop), a dangling symlink or an unreadable folder is a problem, and the walk goes on."""
    files: list[Path] = []
    walked: set[tuple[int, int]] = set()
    pending = [folder]
    while pending:
        where = pending.pop()
        try:
            info = where.stat()
            if (info.st_dev, info.st_ino) in walked:
                problems.append(Problem(shown(str(where)), "skipped: a symlink loop (a folder "
                                        "already read)", fatal=False))
                continue
            walked.add((info.st_dev, info.st_ino))
            with os.scandir(where) as entries:
                names = sorted(entry.name for entry in entries)
        except OSError as exc:
            problems.append(_unreadable(where, exc))
            continue
        for name in names:
            path = where / name
            try:
                mode = path.stat().st_mode
            except OSError as exc:
                problems.append(_unreadable(path, exc))
                continue
            if stat.S_ISDIR(mode):
                pending.append(path)
            elif stat.S_ISREG(mode):
                files.append(path)
    return sorted(files)


def _expand(paths: Iterable[str | os.PathLike[str]], problems: list[Problem]) -> Iterator[Path]:
    if isinstance(paths, str | bytes | os.PathLike):  # one path, not the characters of one
        paths = [paths]
    for raw in paths:
        if not isinstance(raw, str | os.PathLike):
            raise TypeError(f"paths must be file or folder names, got {type(raw).__name__}")
        name = os.fspath(raw)
        path = Path(name)
        try:
            mode = path.stat().st_mode
        except OSError as exc:
            if exc.errno != errno.ENOENT or path.is_symlink():
                problems.append(_unreadable(path, exc))
                continue
            mode = 0
        if stat.S_ISDIR(mode):
            everything = _walk(path, problems)
            files = [p for p in everything if _suffix(p) in KNOWN_SUFFIXES]
            for skipped in everything:
                if _suffix(skipped) not in KNOWN_SUFFIXES and not skipped.name.startswith("."):
                    problems.append(Problem(
                        shown(str(skipped)),
                        "skipped: not an article file type (name it directly to read it as text)",
                        fatal=False,
                    ))
            if not files:
                problems.append(
                    Problem(shown(name), "folder holds no article files (.txt, .html, .jsonl)")
                )
            yield from files
        elif stat.S_ISREG(mode):
            yield path
        elif mode:
            problems.append(Problem(shown(name), "not a file or folder (a device, pipe or socket)"))
        elif any(ch in name for ch in "*?["):
            matches = sorted(glob.glob(name, recursive=True))
            if not matches:
                problems.append(Problem(shown(name), "pattern matches no file"))
            for m in matches:
                if Path(m).is_file():
                    yield Path(m)
                else:
                    problems.append(Problem(shown(m), "skipped: a folder matched by a pattern",
                                            fatal=False))
        else:
            problems.append(Problem(shown(name), "no such file or folder"))


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
    return _checked(result)


def oversized(text: str) -> list[str]:
    """What the sentence splitter will bound in ``text`` (``sentences``), as notes: a
    paragraph over ``MAX_PARAGRAPH_CHARS`` characters, a run of thousands of punctuation
    marks."""
    notes = []
    longest = max(len(line) for line in text.split("\n"))
    if longest > MAX_PARAGRAPH_CHARS:
        notes.append(f"a paragraph of {longest:,} characters: split into pieces of at most "
                     f"{MAX_PARAGRAPH_CHARS:,} to find its sentences (MAX_PARAGRAPH_CHARS)")
    run = max((len(m[0]) for m in PUNCTUATION_RUN.finditer(text)), default=0)
    if run >= NOTED_RUN:
        notes.append(f"a run of {run:,} punctuation marks: its sentences are found as if it "
                     f"had {MAX_PUNCTUATION_RUN} (MAX_PUNCTUATION_RUN)")
    return notes


def _valid_unicode(article: Article) -> tuple[Article, int]:
    """``article`` with every lone surrogate replaced by U+FFFD, and how many were."""
    changes: dict[str, str] = {}
    count = 0
    for name in _ARTICLE_TEXTS:
        value = getattr(article, name)
        if isinstance(value, str) and _LONE_SURROGATE.search(value):
            changes[name], n = _LONE_SURROGATE.subn("\ufffd", value)
            count += n
    return (replace(article, **changes) if changes else article), count  # type: ignore[arg-type]


def _truncated(text: str) -> str:
    """The first ``MAX_ARTICLE_CHARS`` of ``text``, cut after its last line break (else
    space) in the second half of them, else there."""
    head = text[:MAX_ARTICLE_CHARS]
    for mark in ("\n", " "):
        cut = head.rfind(mark, MAX_ARTICLE_CHARS // 2)
        if cut > 0:
            return head[:cut]
    return head


def checked(result: ReadResult) -> ReadResult:
    """What every reader's result goes through before use (``_checked``); for articles
    read outside ``read_paths`` (text pasted into the web form)."""
    return _checked(result)


def _checked(result: ReadResult) -> ReadResult:
    """``result`` safe for every later stage: lone surrogates replaced (a note for each
    article that held one), an article over ``MAX_ARTICLE_CHARS`` cut short, and a note
    for each article whose text the sentence splitter will bound."""
    checked = ReadResult(problems=[
        Problem(_LONE_SURROGATE.sub("\ufffd", p.origin), _LONE_SURROGATE.sub("\ufffd", p.message),
                p.fatal)
        for p in result.problems
    ])
    for article in result.articles:
        fixed, surrogates = _valid_unicode(article)
        if surrogates:
            checked.problems.append(Problem(
                fixed.origin,
                f"{surrogates} lone surrogate(s) (half of a UTF-16 pair, not a character) "
                "replaced by U+FFFD",
                fatal=False,
            ))
        if len(fixed.text) > MAX_ARTICLE_CHARS:
            checked.problems.append(Problem(
                fixed.origin,
                f"article of {len(fixed.text):,} characters: only its first "
                f"{MAX_ARTICLE_CHARS:,} are read (MAX_ARTICLE_CHARS)",
                fatal=False,
            ))
            fixed = replace(fixed, text=_truncated(fixed.text))
        checked.problems += [Problem(fixed.origin, n, fatal=False) for n in oversized(fixed.text)]
        checked.articles.append(fixed)
    return checked


def read_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadResult:
    """Read one file with the reader its name calls for.

    WARC archives are streamed record by record (crawls run to gigabytes), so
    the size limit applies to each page in them, not to the archive. An
    unexpected error in a reader is a problem for this file alone (what was read
    before it is kept); ``InputError`` and ``OSError`` are raised as before.
    """
    result = ReadResult()
    origin = shown(str(path))  # a name that is not UTF-8 is read; it is shown escaped
    try:
        if _suffix(path) in WARC_SUFFIXES:
            from newsbrief.readers.warc import iter_warc

            with path.open("rb") as stream:
                for item in iter_warc(stream, origin, max_bytes):
                    if isinstance(item, Problem):
                        result.problems.append(item)
                    else:
                        result.articles.append(item)
            return _checked(result)
        size = path.stat().st_size
        if size > max_bytes:  # checked before reading: never load a huge file into memory
            raise InputError(
                origin,
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit "
                "(raise the max_bytes limit to read it)",
            )
        return read_bytes(path.read_bytes(), origin, max_bytes)
    except (InputError, OSError):
        raise
    except MissingExtraError as exc:  # this file's format needs an extra; the others go on
        result.problems.append(Problem(origin, str(exc)))
        return _checked(result)
    except Exception as exc:  # a reader's bug or an input it did not foresee: not the whole run
        result.problems.append(Problem(origin, f"reader failed: {type(exc).__name__}: {exc}"))
        return _checked(result)


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
        where = shown(str(path))
        return ReadResult(problems=[Problem(where, f"cannot read file ({exc.strerror})")])


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
