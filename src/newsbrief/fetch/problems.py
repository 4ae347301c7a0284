"""The named problems of fetching: every failure of a feed or page is one of these.

``FetchError`` is an ``InputError`` (so a ``NewsbriefError``) whose ``name`` says what
went wrong in one word a script can match; ``as_problem()`` makes the ``Problem`` a report
lists: the URL, then ``name: detail``.
"""

from __future__ import annotations

from newsbrief.errors import InputError
from newsbrief.model import Problem

__all__ = ["NAMES", "FetchError"]

NAMES = {
    "invalid-url": "not an http:// or https:// URL",
    "robots-disallowed": "the site's robots.txt forbids fetching it",
    "robots-unreachable": ("the site's robots.txt could not be had (5xx, 429, timeout, no "
                           "connection): nothing is fetched from the host this pass"),
    "timeout": "no connection, no data, or not the whole body within the timeout",
    "connection-failed": "the host could not be reached (DNS, refused, reset, TLS)",
    "http-error": "the server answered with a 4xx status",
    "server-error": "the server answered 5xx, also after the retries",
    "rate-limited": ("the server answered 429, also after the retries (or asked for too long "
                     "a wait)"),
    "too-many-redirects": "more redirects than max_redirects",
    "redirect-loop": "a redirect led back to a URL already visited",
    "too-large": "the body is over max_bytes",
    "unsupported-encoding": "a Content-Encoding other than one gzip or deflate layer",
    "wrong-content-type": "neither an HTML page nor a feed (a PDF, an image, ...)",
    "not-a-feed": "a feed URL whose body is no RSS or Atom",
    "no-article-text": "the page holds no article text that trafilatura could find",
    "unreadable-list": "a feed list that cannot be read",
}
"""Every problem name, with what it means (docs/fetch.md has the same table)."""


class FetchError(InputError):
    """A feed or page could not be fetched or used; ``name`` is one of ``NAMES``."""

    def __init__(self, url: str, name: str, detail: str, status: int | None = None) -> None:
        if name not in NAMES:
            raise ValueError(f"unknown fetch problem name {name!r}")
        super().__init__(url, f"{name}: {detail}")
        self.name = name
        self.detail = detail
        self.status = status

    def as_problem(self, fatal: bool = True) -> Problem:
        """This failure as a report's ``Problem``: the URL, and ``name: detail``."""
        return Problem(self.origin, self.problem, fatal)
