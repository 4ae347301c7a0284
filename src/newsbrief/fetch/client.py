"""HTTP for newsbrief: one pooled httpx client, polite to each host, bounded everywhere.

One ``Client.get`` goes::

    robots.txt of the host (fetched once, kept for max_hosts hosts; protego)
      -> the host's turn: one request at a time per host, ``delay`` seconds apart
         (longer when robots.txt asks, up to max_crawl_delay)
      -> a free slot (``concurrency`` requests in flight, all hosts together)
      -> GET, with If-None-Match / If-Modified-Since when validators are given,
         Accept-Encoding gzip, deflate (undone here, one layer only, never past max_bytes)
      -> a redirect is followed by hand, each hop a request of its own (robots, turn);
         a loop, or more than max_redirects, is a problem
      -> 429 and 5xx are tried again after Retry-After (or ``backoff``, doubled),
         at most ``retries`` times; the wait is the host's next turn, so no other
         request to that host jumps it
      -> the content type is checked from the header before the body is read, and the
         body is read raw and unpacked to ``max_bytes`` at most, within one deadline
         (``timeout``) for the whole response

Every failure is a ``FetchError`` with a name (``problems.NAMES``).
"""

from __future__ import annotations

import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

from newsbrief.errors import require
from newsbrief.fetch.problems import FetchError
from newsbrief.fetch.settings import FetchSettings
from newsbrief.fetch.urls import host_of, normalize_url

__all__ = ["Client", "Response"]

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_ROBOTS_MAX_BYTES = 512_000
"""Google reads the first 500 KiB of a robots.txt; so does newsbrief."""
_UNPACK = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS,
           "deflate": zlib.MAX_WBITS}
"""The Content-Encodings read (one layer at most): zlib's wbits for each."""


@dataclass(frozen=True, slots=True)
class Response:
    """A successful answer (200, or 304 to a conditional GET)."""

    url: str
    """The URL that answered, after redirects."""
    status: int
    content: bytes
    """The body, gzip undone (empty for a 304)."""
    media_type: str | None
    """``text/html`` from ``Content-Type: text/html; charset=utf-8``, lower case."""
    charset: str | None
    """The charset the header declares, if any (it may be wrong: see ``pages.decode``)."""
    etag: str | None
    last_modified: str | None


@dataclass(slots=True)
class _Host:
    lock: threading.Lock = field(default_factory=threading.Lock)
    """Held for a whole request: one request at a time to the host."""
    next_time: float = 0.0
    """Monotonic time before which the host is not asked again."""
    robots_lock: threading.Lock = field(default_factory=threading.Lock)
    robots: Any = None
    robots_read: bool = False
    robots_error: str | None = None
    """Why robots.txt could not be had (5xx, 429, timeout, no connection): then nothing
    is fetched from the host while this client lives (RFC 9309 section 2.3.1.4)."""
    crawl_delay: float = 0.0


@dataclass(frozen=True, slots=True)
class _Retry:
    status: int
    wait: float | None


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """(media type, charset) of a Content-Type header, lower case; Nones when absent."""
    if not value:
        return None, None
    parts = [p.strip() for p in value.split(";")]
    charset = None
    for p in parts[1:]:
        key, _, v = p.partition("=")
        if key.strip().lower() == "charset" and v.strip():
            charset = v.strip().strip("\"'").lower()
    return parts[0].lower() or None, charset


def retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds, or an HTTP date); None when
    absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(tz=UTC))).total_seconds())


class Client:
    """A polite HTTP client (see the module docstring); close it, or use ``with``."""

    def __init__(self, settings: FetchSettings | None = None, transport: Any = None) -> None:
        """A client with these limits; ``transport`` is httpx's (tests may give a mock)."""
        httpx: Any = require("httpx", "fetch", "fetching over HTTP")
        self.settings = settings or FetchSettings()
        s = self.settings
        self._httpx = httpx
        self._http = httpx.Client(
            timeout=httpx.Timeout(s.timeout),
            follow_redirects=False,
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            limits=httpx.Limits(max_connections=s.concurrency,
                                max_keepalive_connections=s.concurrency),
            transport=transport,
        )
        self._slots = threading.BoundedSemaphore(s.concurrency)
        self._hosts: OrderedDict[str, _Host] = OrderedDict()
        self._hosts_lock = threading.Lock()
        self.clock: Callable[[], float] = time.monotonic
        self.sleep: Callable[[float], None] = time.sleep

    def close(self) -> None:
        """Close the pooled connections."""
        self._http.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the public call ---------------------------------------------------------

    def get(
        self,
        url: str,
        accept: Callable[[str | None], bool],
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET ``url`` politely, following redirects; ``accept`` says from the media type
        (None when the server names none) whether the body is wanted. Raises
        ``FetchError``."""
        try:
            current = normalize_url(url)
        except ValueError:
            raise FetchError(url, "invalid-url", "not an absolute http:// or https:// URL") \
                from None
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        visited = [current]
        while True:
            result = self._exchange(url, current, headers, accept)
            if isinstance(result, Response):
                return result
            try:
                target = normalize_url(urljoin(current, result))
            except ValueError:
                raise FetchError(url, "invalid-url", f"redirect to {result!r}") from None
            if target in visited:
                raise FetchError(url, "redirect-loop",
                                 f"{' -> '.join(visited)} -> {target}")
            if len(visited) > self.settings.max_redirects:
                raise FetchError(url, "too-many-redirects",
                                 f"more than {self.settings.max_redirects} redirects "
                                 f"(last to {target})")
            visited.append(target)
            current = target

    # -- politeness --------------------------------------------------------------

    def _host(self, url: str) -> _Host:
        key = host_of(url)
        with self._hosts_lock:
            host = self._hosts.get(key)
            if host is None:
                host = self._hosts[key] = _Host()
                while len(self._hosts) > self.settings.max_hosts:
                    self._hosts.popitem(last=False)
            else:
                self._hosts.move_to_end(key)
            return host

    @contextmanager
    def _turn(self, host: _Host) -> Iterator[None]:
        """The host's turn (waited for) and a slot; the next turn is ``delay`` later."""
        with host.lock:
            wait = host.next_time - self.clock()
            if wait > 0:
                self.sleep(wait)
            try:
                with self._slots:
                    yield
            finally:
                gap = max(self.settings.delay, host.crawl_delay)
                host.next_time = max(host.next_time, self.clock() + gap)

    def _allowed(self, origin: str, url: str) -> None:
        """Raise ``robots-disallowed`` when the host's robots.txt forbids ``url``."""
        if not self.settings.robots:
            return
        host = self._host(url)
        with host.robots_lock:
            if not host.robots_read:
                try:
                    host.robots = self._read_robots(host, host_of(url) + "/robots.txt")
                except FetchError as exc:
                    host.robots_error = exc.detail
                host.robots_read = True
                if host.robots is not None:
                    delay = host.robots.crawl_delay(self.settings.user_agent)
                    if delay:
                        host.crawl_delay = min(float(delay), self.settings.max_crawl_delay)
        if host.robots_error is not None:
            raise FetchError(origin, "robots-unreachable", f"{host_of(url)}/robots.txt: "
                             f"{host.robots_error}; nothing is fetched from the host")
        if host.robots is not None and not host.robots.can_fetch(url, self.settings.user_agent):
            raise FetchError(origin, "robots-disallowed", f"{host_of(url)}/robots.txt "
                             f"disallows {url} for {self.settings.user_agent}")

    def _read_robots(self, host: _Host, robots_url: str) -> Any:
        """The parsed robots.txt, or None (everything allowed) when there is none (4xx
        other than 429). Raises ``FetchError`` when it cannot be had (5xx, 429, timeout,
        no connection, a body that cannot be unpacked): RFC 9309 says disallow all then."""
        protego: Any = require("protego", "fetch", "reading robots.txt")
        httpx = self._httpx
        deadline = time.monotonic() + self.settings.timeout
        try:
            with self._turn(host), self._http.stream(
                "GET", robots_url, follow_redirects=True
            ) as r:
                status = int(r.status_code)
                if status == 429 or status >= 500:
                    raise FetchError(robots_url, "server-error", f"HTTP {status}", status)
                if status != 200:
                    return None
                body = self._read(robots_url, robots_url, r, _ROBOTS_MAX_BYTES, deadline,
                                  truncate=True)
        except httpx.TimeoutException:
            raise FetchError(robots_url, "timeout", f"no answer within "
                             f"{self.settings.timeout:g} s") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(robots_url, "connection-failed",
                             f"{type(exc).__name__} {exc}".strip()) from None
        return protego.Protego.parse(body.decode("utf-8", "replace"))

    def _read(self, origin: str, url: str, r: Any, limit: int, deadline: float,
              truncate: bool = False) -> bytes:
        """The body of ``r``, read raw and unpacked (one gzip or deflate layer at most),
        never more than ``limit`` bytes held: over it, ``too-large`` (or, ``truncate``,
        the first ``limit`` bytes). Past ``deadline`` (monotonic), ``timeout``."""
        status = int(r.status_code)
        layers = [e.strip().lower() for e in r.headers.get("content-encoding", "").split(",")]
        layers = [e for e in layers if e and e != "identity"]
        if len(layers) > 1 or (layers and layers[0] not in _UNPACK):
            raise FetchError(origin, "unsupported-encoding", f"{url} is sent with "
                             f"Content-Encoding {', '.join(layers)}; only one gzip or "
                             f"deflate layer is read", status)
        unpack = zlib.decompressobj(_UNPACK[layers[0]]) if layers else None
        raw_deflate = False
        body = bytearray()
        try:
            for chunk in r.iter_raw():
                if time.monotonic() > deadline:
                    raise FetchError(origin, "timeout", f"{url} was not read within "
                                     f"{self.settings.timeout:g} s", status)
                if unpack is None:
                    body += chunk[: limit + 1 - len(body)]
                else:
                    try:
                        body += unpack.decompress(chunk, limit + 1 - len(body))
                    except zlib.error:
                        if body or raw_deflate or layers[0] != "deflate":
                            raise
                        # "deflate" sent as a raw stream, without its zlib header
                        raw_deflate = True
                        unpack = zlib.decompressobj(-zlib.MAX_WBITS)
                        body += unpack.decompress(chunk, limit + 1 - len(body))
                if len(body) > limit:
                    if truncate:
                        return bytes(body[:limit])
                    raise FetchError(origin, "too-large", f"{url} is over max_bytes "
                                     f"{limit} bytes", status)
        except zlib.error as exc:
            raise FetchError(origin, "connection-failed",
                             f"the body of {url} could not be unpacked ({exc})") from None
        return bytes(body)

    # -- one request and its retries ----------------------------------------------

    def _exchange(
        self, origin: str, url: str, headers: dict[str, str],
        accept: Callable[[str | None], bool],
    ) -> Response | str:
        """One URL (no redirect followed): a ``Response``, or where it redirects to."""
        self._allowed(origin, url)
        s = self.settings
        host = self._host(url)
        for attempt in range(s.retries + 1):
            result = self._request(origin, url, headers, accept, host, attempt)
            if not isinstance(result, _Retry):
                return result
            wait = result.wait if result.wait is not None else s.backoff * 2**attempt
            name = "rate-limited" if result.status == 429 else "server-error"
            if result.wait is not None and wait > s.max_retry_after:
                raise FetchError(origin, name, f"HTTP {result.status}, Retry-After {wait:.0f} s "
                                 f"is over max_retry_after {s.max_retry_after:.0f} s",
                                 result.status)
            if attempt == s.retries:
                raise FetchError(origin, name, f"HTTP {result.status}, also after "
                                 f"{s.retries} retries", result.status)
            # the retry waits for the host's next turn, set no sooner than the wait asked
            host.next_time = max(host.next_time, self.clock() + wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _request(
        self, origin: str, url: str, headers: dict[str, str],
        accept: Callable[[str | None], bool], host: _Host, attempt: int,
    ) -> Response | str | _Retry:
        httpx = self._httpx
        s = self.settings
        try:
            with self._turn(host), self._http.stream("GET", url, headers=headers) as r:
                deadline = time.monotonic() + s.timeout
                return self._answer(origin, url, r, accept, deadline)
        except httpx.TimeoutException:
            raise FetchError(origin, "timeout", f"no answer from {url} within "
                             f"{s.timeout:g} s") from None
        except httpx.DecodingError as exc:
            raise FetchError(origin, "connection-failed",
                             f"the body of {url} could not be decoded ({exc})") from None
        except (httpx.TransportError, httpx.InvalidURL) as exc:
            if attempt < s.retries and isinstance(exc, httpx.ConnectError):
                return _Retry(0, None)
            raise FetchError(origin, "connection-failed",
                             f"{url}: {type(exc).__name__} {exc}".strip()) from None

    def _answer(
        self, origin: str, url: str, r: Any, accept: Callable[[str | None], bool],
        deadline: float,
    ) -> Response | str | _Retry:
        status = int(r.status_code)
        s = self.settings
        if status in _REDIRECTS:
            location = r.headers.get("location")
            if not location:
                raise FetchError(origin, "http-error", f"HTTP {status} without a Location",
                                 status)
            return str(location)
        etag = r.headers.get("etag")
        modified = r.headers.get("last-modified")
        if status == 304:
            return Response(url, 304, b"", None, None, etag, modified)
        if status == 429 or status >= 500:
            return _Retry(status, retry_after(r.headers.get("retry-after")))
        if not 200 <= status < 300:
            raise FetchError(origin, "http-error", f"HTTP {status} {r.reason_phrase}".strip(),
                             status)
        media, charset = parse_content_type(r.headers.get("content-type"))
        if not accept(media):
            raise FetchError(origin, "wrong-content-type",
                             f"{url} is {media}, not an HTML page or a feed", status)
        length = r.headers.get("content-length", "")
        if length.isdigit() and int(length) > s.max_bytes:
            raise FetchError(origin, "too-large", f"{url} is {int(length)} bytes, over "
                             f"max_bytes {s.max_bytes}", status)
        body = self._read(origin, url, r, s.max_bytes, deadline)
        return Response(url, status, body, media, charset, etag, modified)
