"""The ASGI middleware in front of every route: who may ask, how much, how slowly, and the
headers every answer carries, errors included.

In order, for each HTTP request:

1. the answer, whatever it is (a page, a 404, a 503, a 500), gets the security headers
   (``SECURITY_HEADERS``: a Content-Security-Policy that allows no script and nothing
   from another host, ``nosniff``, no framing, no referrer to other sites);
2. a request naming a host that is not loopback nor allowed gets a 403 (a page on any
   site could otherwise reach this server through a DNS name rebound to 127.0.0.1);
3. a state-changing request (POST, ...) whose ``Origin`` (or, without one, ``Referer``)
   is another site than the one asked gets a 403 (a form on another site cannot post);
4. a body over ``max_body_bytes`` gets a 413, and one not all sent within
   ``body_timeout`` seconds a 408 (the connection is then closed);
5. an unexpected exception gets a plain 500 (the traceback goes to the log only).

The slow-header side (a request's head not sent in time) is the server's:
``newsbrief.web.server``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from starlette.exceptions import HTTPException
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsbrief.settings import WebSettings

__all__ = ["CSP", "LOOPBACK_HOSTS", "SECURITY_HEADERS", "Guard", "host_name"]

CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
"""No script runs and nothing loads from another host, whatever an article holds. The
templates hold no inline style or script (all of it is in ``static/app.css``)."""

SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with
    # the pages' own form posts, which check 3 must refuse (a hostile page can send it too).
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
"""The host names always answered: this machine's own."""

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

ErrorPage = Callable[[str, int, str, Mapping[str, str] | None], Response]
"""(path, status, message, headers) to an error response: JSON under /api/, else a page."""


def host_name(value: str) -> str:
    """The name in a ``Host`` header, lower case, without its port or IPv6 brackets."""
    value = value.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        return value[1:end] if end > 0 else value
    name, colon, port = value.rpartition(":")
    return name if colon and port.isdigit() else value


class BodyTooLarge(HTTPException):
    """A request body over the limit (an HTTPException, so that FastAPI's body parsing passes
    it on instead of turning it into "There was an error parsing the body")."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body is over the {limit:,}-byte limit")


class BodyTimeout(HTTPException):
    """A request body not all received in time; the connection is closed after the answer."""

    def __init__(self, seconds: float) -> None:
        super().__init__(408, f"request body not received within {seconds:g} s",
                         headers={"connection": "close"})


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class Guard:
    """ASGI middleware: the checks and headers of the module docstring, in that order."""

    def __init__(self, app: ASGIApp, settings: WebSettings, error_page: ErrorPage) -> None:
        self.app = app
        self.max_body_bytes = settings.max_body_bytes
        self.body_timeout = settings.body_timeout
        # An allowed name is a bare name or address ("news.lan", "fe80::1" or "[fe80::1]").
        self.hosts = frozenset(
            [*LOOPBACK_HOSTS, *(h.strip().lower().strip("[]") for h in settings.allowed_hosts)])
        self.error_page = error_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        async def answer(status: int, message: str) -> None:
            response = self.error_page(scope["path"], status, message, None)
            await response(scope, _no_body, send_with_headers)

        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        refused = self._refusal(scope["method"], headers)
        if refused is not None:
            await answer(403, refused)
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body_bytes:
            await answer(413, str(BodyTooLarge(self.max_body_bytes).detail))
            return
        try:
            # A body limit raises an HTTPException inside a route, answered by the app's handler.
            await self.app(scope, self._limited(receive), send_with_headers)
        except Exception:
            if started:
                raise
            await answer(500, "internal error: the server log says more")
            raise  # for the server's log; the 500 has been sent

    def _refusal(self, method: str, headers: Mapping[str, str]) -> str | None:
        """Why the request is refused (403), or None: checks 2 and 3 of the module docstring."""
        host = headers.get("host", "")
        if host_name(host) not in self.hosts:
            shown = host[:100] or "(none)"
            return (f"host {shown!r} is not served here: this server answers to "
                    f"{', '.join(sorted(self.hosts))}; start it with --allow-host NAME "
                    "to answer to another name")
        if method in SAFE_METHODS:
            return None
        origin = headers.get("origin") or headers.get("referer")
        if origin is None:
            return None  # not a browser (curl, a script): no other site is involved
        if urlsplit(origin).netloc.lower() != host.lower():
            return (f"cross-site request refused: a page on {origin[:100]!r} may not "
                    f"{method} to {host!r}")
        return None

    def _limited(self, receive: Receive) -> Receive:
        """``receive`` that stops a body over the size limit or past the time limit."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.body_timeout
        received = 0
        done = False

        async def limited_receive() -> Message:
            nonlocal received, done
            if done:  # the body is in: later calls wait for a disconnect, untimed
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTimeout(self.body_timeout) from None
            received += len(message.get("body", b""))
            if received > self.max_body_bytes:
                raise BodyTooLarge(self.max_body_bytes)
            done = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        return limited_receive
