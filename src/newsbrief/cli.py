"""The command line: parse options, call one library function, print. No logic of its own.

Exit codes: 0 everything was briefed; 1 a brief was written but some input
failed (each failure is printed with its file and problem); 2 nothing could be
briefed, or the options were wrong.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from newsbrief.errors import NewsbriefError
from newsbrief.pipeline import Settings, brief_paths
from newsbrief.render import FORMATS, render

EXIT_OK, EXIT_PARTIAL, EXIT_FAILED = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Many articles about one story in, one sourced brief out."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("brief", help="write the brief of the articles given")
    b.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, folders or globs: .txt, .html, .jsonl (articles or Multi-News)")
    b.add_argument("--words", type=int, default=250, help="summary length in words (default 250)")
    b.add_argument("--format", choices=FORMATS, default="md", help="output format (default md)")
    b.add_argument("-o", "--output", type=Path, help="write to this file instead of stdout")
    b.add_argument("--show-removed", action="store_true",
                   help="list every span removed as boilerplate, with its reason")
    b.add_argument("--story", help="brief only this story (a Multi-News id, or a story id)")
    b.add_argument("--max-bytes", type=int, default=Settings().max_bytes,
                   help="reject input files larger than this (default 20 MB)")
    return parser


def cmd_brief(args: argparse.Namespace) -> int:
    """``newsbrief brief``: read, brief each story, render, report problems on stderr."""
    settings = Settings(words=args.words, max_bytes=args.max_bytes)
    briefs = brief_paths(args.paths, settings=settings, story=args.story, progress=True)
    text = render(briefs, args.format, show_removed=args.show_removed)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    problems = {(p.origin, p.message, p.fatal) for b in briefs for p in b.problems}
    for origin, message, fatal in sorted(problems):
        print(f"newsbrief: {'error' if fatal else 'note'}: {origin}: {message}", file=sys.stderr)
    return EXIT_PARTIAL if any(fatal for _, _, fatal in problems) else EXIT_OK


COMMANDS = {"brief": cmd_brief}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``newsbrief`` command."""
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except NewsbriefError as exc:
        print(f"newsbrief: error: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
