"""The command line: parse options, call one library function, print. No logic of its own.

Exit codes: 0 everything was briefed; 1 a brief was written but some input
failed (each failure is printed with its file and problem); 2 nothing could be
briefed, or the options were wrong. Every error is one line on stderr, never a
traceback (``NEWSBRIEF_TRACEBACK=1`` adds it for a bug report), and every file name
and message is printed through ``errors.shown``.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# Only light modules at the top: `newsbrief --help` and `newsbrief stories` must not pay
# for spaCy, scikit-learn or trafilatura; each command imports what it uses.
from newsbrief.errors import NewsbriefError, require, shown
from newsbrief.settings import DEFAULT_BATCH, DEFAULT_MAX_BYTES, DEFAULT_WORDS, FORMATS, Settings

if TYPE_CHECKING:
    from newsbrief.store import StoryInfo

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2


def _positive(text: str) -> int:
    """An argparse type: a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Many articles about one story in, one sourced brief out."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("brief", help="write the brief of the articles given")
    b.add_argument("paths", nargs="*", metavar="PATH",
                   help="files, folders or globs: .txt, .html, .jsonl (articles or Multi-News); "
                   "none with --db")
    b.add_argument("--words", type=int, default=DEFAULT_WORDS,
                   help=f"summary length in words (default {DEFAULT_WORDS})")
    b.add_argument("--focus", metavar="TEXT",
                   help="a question the summary should answer (\"What did Russia claim?\")")
    b.add_argument("--format", choices=FORMATS, default="md", help="output format (default md)")
    b.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    b.add_argument("--show-removed", action="store_true",
                   help="list every span removed as boilerplate, with its reason")
    b.add_argument("--story", help="brief only this story (a Multi-News id, or a story id)")
    b.add_argument("--one-story", action="store_true",
                   help="when the input holds several stories, brief the largest only and "
                   "list the articles left out")
    b.add_argument("--db", type=Path, help="brief story --story from this store (SQLite file)")
    b.add_argument("--sources", type=Path, metavar="FILE",
                   help='JSON object {"file name": "outlet name"} for files without metadata')
    b.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES,
                   help="reject input files larger than this (default 20 MB)")
    s = sub.add_parser("serve", help="serve the stories and a brief form over HTTP")
    s.add_argument("--db", type=Path, help="story store (SQLite file); without it, only the form")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                   help="answer requests for this host name too (repeatable); by default only "
                   "localhost, 127.0.0.1, [::1] and the --host address")
    i = sub.add_parser("ingest", help="read articles into the store and group them into stories")
    i.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, folders or globs: .txt, .html, .jsonl, .warc(.gz), .rss/.atom/.xml")
    i.add_argument("--db", type=Path, default=Path("newsbrief.db"),
                   help="story store (SQLite file, default newsbrief.db)")
    i.add_argument("--batch-size", type=_positive, default=DEFAULT_BATCH,
                   help=f"articles per transaction and grouping batch (default {DEFAULT_BATCH})")
    i.add_argument("--scheduler", help="run on the Dask cluster at this address (tcp://HOST:8786)")
    i.add_argument("--dask-workers", type=int, default=0,
                   help="run on a local Dask cluster with this many worker processes")
    i.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES,
                   help="reject input files larger than this (default 20 MB)")
    i.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    t = sub.add_parser("stories", help="list the stories in the store")
    t.add_argument("--db", type=Path, default=Path("newsbrief.db"),
                   help="story store (SQLite file, default newsbrief.db)")
    t.add_argument("--limit", type=int, default=50, help="stories to list (default 50)")
    t.add_argument("--offset", type=int, default=0, help="stories to skip (default 0)")
    t.add_argument("--query", help="only stories with an article holding these words")
    t.add_argument("--sort", choices=("size", "recent"),
                   help="largest first (the default for table and json) or most recently "
                   "updated first (the default for atom)")
    t.add_argument("--format", choices=("table", "json", "atom"), default="table",
                   help="a table (default), a JSON list of story records, or an Atom feed "
                   "(newest update first)")
    t.add_argument("--base-url", default="http://127.0.0.1:8000", metavar="URL",
                   help="where `newsbrief serve` answers, for the story links of json and "
                   "atom (default http://127.0.0.1:8000)")
    return parser


def _check_output(path: Path) -> None:
    """Refuse an output file that cannot be written, before the work starts."""
    folder = path.parent
    if not folder.is_dir():
        raise NewsbriefError(f"cannot write {shown(str(path))}: no such folder")
    if path.is_dir():
        raise NewsbriefError(f"cannot write {shown(str(path))}: it is a folder")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise NewsbriefError(f"cannot write {shown(str(path))}: permission denied")


def cmd_brief(args: argparse.Namespace) -> int:
    """``newsbrief brief``: read, brief each story, render, report problems on stderr."""
    if args.output:
        _check_output(args.output)
    # A brief is a short process that loads large long-lived structures (the spaCy model,
    # module code): the cyclic collector's default gen-0 threshold (700) makes it rescan them
    # hundreds of times while they load. Rarer collections save ~3% of a cold brief; the
    # memory a brief holds is bounded by its input, not by collection frequency.
    gc.set_threshold(50_000, 50, 100)
    from newsbrief.pipeline import brief_paths
    from newsbrief.readers import load_source_names
    from newsbrief.render import render

    settings = Settings(words=args.words, max_bytes=args.max_bytes, focus=args.focus)
    if args.db is not None:
        from newsbrief.pipeline import brief_stored

        briefs = [brief_stored(args.db, args.story, args.paths, settings=settings)]
    else:
        names = load_source_names(args.sources) if args.sources else None
        briefs = brief_paths(args.paths, settings=settings, story=args.story, progress=True,
                             source_names=names, one_story=args.one_story)
    text = render(briefs, args.format, show_removed=args.show_removed)
    if args.output:
        try:
            args.output.write_text(text, encoding="utf-8")
        except OSError as exc:
            where = shown(str(args.output))
            raise NewsbriefError(f"cannot write {where}: {exc.strerror}") from None
    else:
        sys.stdout.write(text)
    problems = {(p.origin, p.message, p.fatal) for b in briefs for p in b.problems}
    for origin, message, fatal in sorted(problems):
        print(f"newsbrief: {'error' if fatal else 'note'}: {shown(origin)}: {shown(message)}",
              file=sys.stderr)
    empty = [b for b in briefs if not b.summary]
    for b in empty:
        where = b.story or ", ".join(a.article.origin for a in b.articles[:3])
        print(f"newsbrief: error: {shown(where)}: no sentence could be selected "
              "(the articles hold no whole sentences after cleaning)", file=sys.stderr)
    return EXIT_PARTIAL if empty or any(fatal for _, _, fatal in problems) else EXIT_OK


def cmd_serve(args: argparse.Namespace) -> int:
    """``newsbrief serve``: the web interface over the store, until interrupted."""
    require("fastapi", "web", "the web interface")
    require("uvicorn", "web", "the web interface")
    from newsbrief.web import WebSettings, serve

    serve(args.db, host=args.host, port=args.port,
          settings=WebSettings(allowed_hosts=tuple(args.allow_host)))
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    """``newsbrief ingest``: read into the store, print the summary; 1 when inputs were rejected."""
    from newsbrief.ingest import ingest_into

    report = ingest_into(args.db, args.paths, batch_size=args.batch_size,
                         progress=not args.quiet, max_bytes=args.max_bytes,
                         scheduler=args.scheduler, dask_workers=args.dask_workers)
    for p in report.rejected:
        print(f"newsbrief: rejected: {shown(p.origin)}: {shown(p.message)}", file=sys.stderr)
    for p in report.notes:
        print(f"newsbrief: note: {shown(p.origin)}: {shown(p.message)}", file=sys.stderr)
    print("\n".join(shown(line) for line in report.summary().split("\n")), file=sys.stderr)
    if report.rejected and not report.stored and not report.duplicates:
        return EXIT_FAILED  # nothing could be used
    return EXIT_PARTIAL if report.rejected else EXIT_OK


def cmd_stories(args: argparse.Namespace) -> int:
    """``newsbrief stories``: list stories (id, size, sources, time span, label) as a
    table, JSON records or an Atom feed."""
    from newsbrief.store import open_store

    if not args.base_url.startswith(("http://", "https://")):
        raise NewsbriefError(f"--base-url must start with http:// or https://, "
                             f"got {args.base_url!r}")
    order = args.sort or ("recent" if args.format == "atom" else "size")
    with open_store(args.db, create=False) as store:
        infos = store.stories(limit=args.limit, offset=args.offset, query=args.query,
                              order=order)
    if args.format == "table":
        sys.stdout.write(format_stories(infos))
        return EXIT_OK
    from newsbrief.render.feed_out import stories_to_atom, stories_to_json

    if args.format == "json":
        sys.stdout.write(stories_to_json(infos, args.base_url))
    else:
        sys.stdout.write(stories_to_atom(infos, args.base_url))
    return EXIT_OK


def format_stories(infos: Sequence[StoryInfo]) -> str:
    """Stories as a plain-text table: id, size, sources, time span, label (and headline)."""
    if not infos:
        return "no stories\n"
    lines = [f"{'ID':>7}  {'SIZE':>5}  {'SRC':>4}  {'SPAN':<23}  LABEL"]
    for s in infos:
        span = f"{s.first:%Y-%m-%d} .. {s.last:%Y-%m-%d}" if s.first and s.last else "-"
        label = s.label + (f"  ({s.headline})" if s.headline else "")
        lines.append(f"{s.id:>7}  {s.size:>5}  {s.sources:>4}  {span:<23}  {label}")
    return "\n".join(lines) + "\n"


COMMANDS = {"brief": cmd_brief, "serve": cmd_serve, "ingest": cmd_ingest, "stories": cmd_stories}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsbrief`` command."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except NewsbriefError as exc:
        print(f"newsbrief: error: {shown(str(exc))}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as exc:  # a bug, not bad input: say so, and do not exit as "partly done"
        if os.environ.get("NEWSBRIEF_TRACEBACK"):
            traceback.print_exc()
        print(f"newsbrief: error: internal error ({type(exc).__name__}: {shown(str(exc))}); "
              "please report it, with the traceback NEWSBRIEF_TRACEBACK=1 prints",
              file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
