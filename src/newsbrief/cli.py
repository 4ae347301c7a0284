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

SOURCES_HELP = ("outlets table (CSV or TOML: name, domain, country, owner, lean) kept in the "
                "store: articles are shown under their outlet's name (docs/web.md)")

if TYPE_CHECKING:
    from newsbrief.fetch import FetchReport, FetchSettings
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
    b.add_argument("--since", metavar="TIME",
                   help="with --db: only what is new in the story since TIME (ISO 8601, "
                   "\"2 hours ago\", or last-read: when it was last briefed from the store)")
    b.add_argument("--sources", type=Path, metavar="FILE",
                   help='JSON object {"file name": "outlet name"} for files without metadata')
    b.add_argument("--max-bytes", type=_positive, default=DEFAULT_MAX_BYTES,
                   help="reject input files larger than this (default 20 MB)")
    s = sub.add_parser("serve", help="serve the stories and a brief form over HTTP")
    s.add_argument("--db", type=Path, help="story store (SQLite file); without it, only the form")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--sources", type=Path, metavar="FILE", help=SOURCES_HELP)
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
    i.add_argument("--sources", type=Path, metavar="FILE", help=SOURCES_HELP)
    t = sub.add_parser("stories", help="list the stories in the store")
    t.add_argument("--db", type=Path, default=Path("newsbrief.db"),
                   help="story store (SQLite file, default newsbrief.db)")
    t.add_argument("--limit", type=int, default=50, help="stories to list (default 50)")
    t.add_argument("--offset", type=int, default=0, help="stories to skip (default 0)")
    t.add_argument("--query", help="only stories with an article holding these words")
    t.add_argument("--sort", choices=("size", "newest", "recent", "sources"),
                   help="largest first (the default for table and json), most recently "
                   "updated first (newest, or recent; the default for atom) or most sources "
                   "first")
    t.add_argument("--min-sources", type=_positive, default=1, metavar="N",
                   help="only stories from at least N distinct sources (default 1)")
    t.add_argument("--format", choices=("table", "json", "atom"), default="table",
                   help="a table (default), a JSON list of story records, or an Atom feed "
                   "(newest update first)")
    t.add_argument("--base-url", default="http://127.0.0.1:8000", metavar="URL",
                   help="where `newsbrief serve` answers, for the story links of json and "
                   "atom (default http://127.0.0.1:8000)")
    t.add_argument("--removed", action="store_true",
                   help="list the articles taken out of all stories instead")
    _fetch_parsers(sub)
    _story_parsers(sub)
    return parser


def _story_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``story articles|merge|split|move|log``: stories a user corrects (newsbrief.corrections)."""
    c = sub.add_parser("story", help="show a story's article ids, or correct stories: merge, "
                       "split, move an article")
    actions = c.add_subparsers(dest="action", required=True)
    a = actions.add_parser("articles", help="list a story's articles with their ids")
    a.add_argument("story", metavar="ID")
    m = actions.add_parser("merge", help="move every article of story B into story A")
    m.add_argument("keep", metavar="A")
    m.add_argument("other", metavar="B")
    s = actions.add_parser("split", help="move these articles of a story into a new story")
    s.add_argument("story", metavar="ID")
    s.add_argument("articles", nargs="+", metavar="ARTICLE")
    v = actions.add_parser("move", help="move an article to another story, or out of all")
    v.add_argument("article", metavar="ARTICLE")
    where = v.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", metavar="ID", help="the story it joins")
    where.add_argument("--out", action="store_true", help="out of all stories")
    actions.add_parser("log", help="the corrections made, newest first")
    for p in (a, m, s, v, actions.choices["log"]):
        p.add_argument("--db", type=Path, default=Path("newsbrief.db"),
                       help="story store (SQLite file, default newsbrief.db)")


def _seconds(text: str) -> float:
    """An argparse type: a number of seconds, at least 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be at least 0, got {text}")
    return value


def _fetch_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``fetch``, ``watch`` and ``feeds`` (docs/fetch.md)."""
    f = sub.add_parser("fetch", help="fetch article pages or feeds over HTTP into the store")
    f.add_argument("urls", nargs="+", metavar="URL", help="article pages or RSS/Atom feeds")
    w = sub.add_parser("watch", help="fetch the new items of the feeds a list names "
                       "(once, for cron; or every --every minutes)")
    w.add_argument("feedlist", metavar="FEEDLIST",
                   help="a text file of feed URLs (one a line) or an OPML file")
    w.add_argument("--every", type=_seconds, metavar="MINUTES",
                   help="run again every MINUTES until interrupted (default: once)")
    for p in (f, w):
        p.add_argument("--db", type=Path, default=Path("newsbrief.db"),
                       help="story store (SQLite file, default newsbrief.db)")
        p.add_argument("--delay", type=_seconds, default=1.0,
                       help="seconds between requests to one host (default 1)")
        p.add_argument("--timeout", type=_seconds, default=15.0,
                       help="seconds to wait to connect and for each read (default 15)")
        p.add_argument("--concurrency", type=_positive, default=4,
                       help="requests in flight at once, all hosts together (default 4)")
        p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
        p.add_argument("--sources", type=Path, metavar="FILE", help=SOURCES_HELP)
    h = sub.add_parser("feeds", help="list the watched feeds with their health")
    h.add_argument("--db", type=Path, default=Path("newsbrief.db"),
                   help="story store (SQLite file, default newsbrief.db)")


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
        from newsbrief.update import brief_read

        briefs = [brief_read(args.db, args.story, args.since, settings, args.paths)]
    elif args.since is not None:
        raise NewsbriefError("--since needs a stored story: give --db and --story")
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
    # an update with no new article has nothing to say, and that is no error
    empty = [b for b in briefs if not b.summary and not (b.update and not b.update.new_articles)]
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

    if args.sources is not None:
        if args.db is None:
            raise NewsbriefError("--sources needs a store: give --db FILE")
        save_sources(args.db, args.sources)
    serve(args.db, host=args.host, port=args.port,
          settings=WebSettings(allowed_hosts=tuple(args.allow_host)))
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    """``newsbrief ingest``: read into the store, print the summary; 1 when inputs were rejected."""
    from newsbrief.ingest import ingest_into

    if args.sources is not None:
        save_sources(args.db, args.sources)
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
    order = {"newest": "recent"}.get(args.sort, args.sort) or (
        "recent" if args.format == "atom" else "size")
    if args.removed:
        from newsbrief.corrections import format_articles

        with open_store(args.db, create=False) as store:
            sys.stdout.write(format_articles(store.removed_articles()))
        return EXIT_OK
    with open_store(args.db, create=False) as store:
        infos = store.stories(limit=args.limit, offset=args.offset, query=args.query,
                              order=order, min_sources=args.min_sources)
        contents = None
        if args.format == "atom":  # each entry the story's update brief (feed_briefs)
            from newsbrief.feed_briefs import FEED_STORIES, entry_briefs

            contents = entry_briefs(store, infos[:FEED_STORIES])
    if args.format == "table":
        sys.stdout.write(format_stories(infos))
        return EXIT_OK
    from newsbrief.render.feed_out import stories_to_atom, stories_to_json

    if args.format == "json":
        sys.stdout.write(stories_to_json(infos, args.base_url))
    else:
        sys.stdout.write(stories_to_atom(infos, args.base_url, contents=contents))
    return EXIT_OK


def _fetch_settings(args: argparse.Namespace) -> FetchSettings:
    from newsbrief.fetch import FetchSettings

    return FetchSettings(delay=args.delay, timeout=args.timeout, concurrency=args.concurrency)


def _fetch_done(report: FetchReport) -> int:
    """Print a fetch report's problems, notes and summary; its exit code."""
    for p in report.problems:
        print(f"newsbrief: problem: {shown(p.origin)}: {shown(p.message)}", file=sys.stderr)
    for p in [*report.notes, *report.ingest.notes]:
        print(f"newsbrief: note: {shown(p.origin)}: {shown(p.message)}", file=sys.stderr)
    for p in report.ingest.rejected:
        print(f"newsbrief: rejected: {shown(p.origin)}: {shown(p.message)}", file=sys.stderr)
    print("\n".join(shown(line) for line in report.summary().split("\n")), file=sys.stderr)
    if report.nothing_usable:
        return EXIT_FAILED
    return EXIT_PARTIAL if report.problems or report.ingest.rejected else EXIT_OK


def cmd_fetch(args: argparse.Namespace) -> int:
    """``newsbrief fetch``: pages or feeds into the store; 1 when some failed."""
    from newsbrief.fetch import fetch_into

    if args.sources is not None:
        save_sources(args.db, args.sources)
    return _fetch_done(fetch_into(args.db, args.urls, _fetch_settings(args),
                                  progress=not args.quiet))


def cmd_watch(args: argparse.Namespace) -> int:
    """``newsbrief watch``: one pass over a feed list, or one every ``--every`` minutes."""
    from newsbrief.fetch import watch_into

    if args.sources is not None:
        save_sources(args.db, args.sources)
    if args.every is not None and args.every <= 0:
        raise NewsbriefError(f"--every must be above 0 minutes, got {args.every:g}")
    codes: list[int] = []

    def show(n: int, report: FetchReport) -> None:
        if args.every is not None:
            print(f"newsbrief: watch pass {n}", file=sys.stderr)
        codes.append(_fetch_done(report))

    try:
        watch_into(args.db, args.feedlist, args.every, _fetch_settings(args),
                   progress=not args.quiet, on_pass=show)
    except KeyboardInterrupt:
        print("newsbrief: watch stopped", file=sys.stderr)
    return codes[-1] if codes else EXIT_OK


def cmd_feeds(args: argparse.Namespace) -> int:
    """``newsbrief feeds``: the watched feeds with their health."""
    from newsbrief.fetch import feed_health, format_feeds

    sys.stdout.write(format_feeds(feed_health(args.db)))
    return EXIT_OK


def save_sources(db: Path, path: Path) -> None:
    """Read and check the outlets table, then keep it in the store (``--sources``)."""
    from newsbrief.outlets import read_outlets
    from newsbrief.store import open_store

    outlets = read_outlets(path)  # a bad row: an error naming the file and line
    with open_store(db) as store:
        store.save_outlets(outlets)
    n = len(outlets)
    print(f"newsbrief: {n} outlet{'s' if n != 1 else ''} from {shown(str(path))}",
          file=sys.stderr)


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


def cmd_story(args: argparse.Namespace) -> int:
    """``newsbrief story``: a story's article ids, or one correction (newsbrief.corrections)."""
    from newsbrief import corrections as fix
    from newsbrief.store import open_store

    with open_store(args.db, create=False) as store:
        if args.action == "articles":
            sid = fix.resolve_story(store, args.story)
            if sid is None:
                raise fix.CorrectionError(f"no story {args.story!r}", not_found=True)
            sys.stdout.write(fix.format_articles(store.articles(sid)))
        elif args.action == "merge":
            kept = fix.merge(store, args.keep, args.other)
            print(f"merged story {args.other} into story {kept}")
        elif args.action == "split":
            new = fix.split(store, args.story, args.articles)
            print(f"split {len(args.articles)} article(s) off story {args.story} "
                  f"into new story {new}")
        elif args.action == "move":
            fix.move(store, args.article, None if args.out else args.to)
            print(f"moved article {args.article} "
                  + ("out of all stories" if args.out else f"to story {args.to}"))
        else:
            sys.stdout.write(fix.format_log(store.corrections()))
    return EXIT_OK


COMMANDS = {"brief": cmd_brief, "serve": cmd_serve, "ingest": cmd_ingest, "stories": cmd_stories,
            "fetch": cmd_fetch, "watch": cmd_watch, "feeds": cmd_feeds, "story": cmd_story}


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
