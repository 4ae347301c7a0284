"""A real HTTP server on 127.0.0.1, in a thread, for the fetch tests.

Routes map a path to replies given one after another (the last one repeats), or to a
function of the request's headers. Every request is logged with its headers and the
time it arrived, so tests can assert what was sent (If-None-Match) and when.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

STORY = Path(__file__).resolve().parent / "fixtures" / "story"


@dataclass
class Reply:
    """One answer: status, body, headers, and a delay before it is sent; ``chunked``
    sends the body chunked (no Content-Length), ``trickle`` seconds apart one byte a
    chunk when set."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    chunked: bool = False
    trickle: float = 0.0


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    at: float


Route = list[Reply] | Callable[[dict[str, str]], Reply]


class Site:
    """The routes and the request log of one server."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self.base = ""
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, *replies: Reply) -> str:
        self.routes[path] = list(replies)
        return self.url(path)

    def hits(self, path: str) -> list[Hit]:
        return [h for h in self.log if h.path == path]

    def reply(self, path: str, headers: dict[str, str]) -> Reply:
        with self._lock:
            self.log.append(Hit(path, headers, time.monotonic()))
            route = self.routes.get(path)
            if route is None:
                return Reply(404, b"not found", {"Content-Type": "text/plain"})
            if callable(route):
                return route(headers)
            return route.pop(0) if len(route) > 1 else route[0]


class _Handler(BaseHTTPRequestHandler):
    site: Site

    def do_GET(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        r = self.site.reply(self.path, headers)
        if r.delay:
            time.sleep(r.delay)
        try:
            if r.chunked or r.trickle:
                self.protocol_version = "HTTP/1.1"
            self.send_response(r.status)
            for k, v in r.headers.items():
                self.send_header(k, v)
            if r.chunked or r.trickle:
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")
                self.end_headers()
                step = 1 if r.trickle else 16_384
                for i in range(0, len(r.body), step):
                    part = r.body[i:i + step]
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                    self.wfile.flush()
                    if r.trickle:
                        time.sleep(r.trickle)
                self.wfile.write(b"0\r\n\r\n")
                return
            if "Content-Length" not in r.headers:
                self.send_header("Content-Length", str(len(r.body)))
            self.end_headers()
            self.wfile.write(r.body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
            pass

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def running() -> Iterator[Site]:
    """A server on a free port of 127.0.0.1 for the time of the block."""
    site = Site()
    handler = type("Handler", (_Handler,), {"site": site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()


def story_paragraphs(name: str) -> list[str]:
    """The paragraphs of one article of the fixture story (its first line is a date)."""
    text = (STORY / name).read_text(encoding="utf-8")
    return [p.strip() for p in text.split("\n\n") if p.strip()][1:]


def html_page(title: str, paragraphs: list[str], head: str = "",
              published: str | None = None) -> str:
    """An article page as news sites write them: head, nav, article, footer."""
    date = f'<meta property="article:published_time" content="{published}">' if published else ""
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title>{date}{head}</head>"
        f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
        f"<article><h1>{escape(title)}</h1>{body}</article>"
        f"<footer>Copyright the newspaper. All rights reserved.</footer></body></html>"
    )


def html_reply(html: str, charset: str | None = "utf-8", encoding: str = "utf-8",
               **headers: str) -> Reply:
    ctype = "text/html" + (f"; charset={charset}" if charset else "")
    return Reply(200, html.encode(encoding), {"Content-Type": ctype, **headers})


def gzip_reply(html: str) -> Reply:
    return Reply(200, gzip.compress(html.encode("utf-8")),
                 {"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"})


def rss(items: list[tuple[str, str, str, str]], title: str = "The Test Gazette") -> bytes:
    """An RSS 2.0 feed of (title, link, summary, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<description>{escape(s)}</description><pubDate>{d}</pubDate></item>"
        for t, link, s, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>http://example.org/</link>"
        f"<description>test</description>{entries}</channel></rss>"
    ).encode()


def etagged(body: Callable[[], bytes], content_type: str) -> Callable[[dict[str, str]], Reply]:
    """A route that answers 304 when If-None-Match names the body's current ETag."""

    def route(headers: dict[str, str]) -> Reply:
        data = body()
        tag = f'"{hash(data) & 0xFFFFFFFF:x}"'
        if headers.get("if-none-match") == tag:
            return Reply(304, b"", {"ETag": tag})
        return Reply(200, data, {"Content-Type": content_type, "ETag": tag})

    return route
