"""Run the web app with uvicorn: loopback by default, the store opened once, the limits on.

uvicorn's own settings bound what it bounds (``WebSettings``): idle kept-alive
connections (``timeout_keep_alive``), requests in flight (``limit_concurrency``: a 503
past it), the size of a request's head (``h11_max_incomplete_event_size``) and the wait
for requests in flight on shutdown (``timeout_graceful_shutdown``). uvicorn has no limit
on the time a request's head takes to arrive, nor on open connections: a client that
opens connections and sends its headers a byte at a time holds each one for good, and
20,000 of them exhaust the process's file descriptors. ``_GuardedH11`` adds both to
uvicorn's h11 protocol: a connection whose request head is not in within
``header_timeout`` gets a 408 and is closed, and a connection past ``max_connections`` is
closed at once. Bodies are timed by ``guard.Guard``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import logging
import os
from pathlib import Path
from typing import Any, ClassVar

import h11
from uvicorn import Config
from uvicorn.protocols.http.h11_impl import H11Protocol

from newsbrief.errors import SettingsError
from newsbrief.settings import WebSettings
from newsbrief.store import open_store
from newsbrief.web.app import StoryStore, create_app
from newsbrief.web.pool import RETRY_AFTER_SECONDS

__all__ = ["serve", "server_config"]

log = logging.getLogger("newsbrief.web")

_TIMED_OUT = (b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n"
              b"connection: close\r\n\r\n")
_FULL = (b"HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n"
         b"retry-after: %d\r\nconnection: close\r\n\r\n" % RETRY_AFTER_SECONDS)


class _GuardedH11(H11Protocol):
    """uvicorn's h11 protocol with a deadline on each request head and a cap on connections."""

    header_timeout: ClassVar[float]
    max_connections: ClassVar[int]
    _head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            log.warning("more than %d connections: one refused", self.max_connections)
            transport.write(_FULL)
            transport.close()
            return
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:
            self._disarm()  # the head is in; its body is timed by the app
        elif self._head_timer is None:
            # Part of a request head came, or the unread rest of a body answered early was
            # dropped (uvicorn then cancels its keep-alive timer and sets none).
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timed_out)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.write(_TIMED_OUT)
            self.transport.close()


def _protocol(settings: WebSettings) -> type[H11Protocol]:
    """``_GuardedH11`` with this server's limits (uvicorn makes one instance a connection)."""
    limits: dict[str, Any] = {"header_timeout": settings.header_timeout,
                              "max_connections": settings.max_connections}
    return type("GuardedH11", (_GuardedH11,), limits)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def server_config(
    store: StoryStore | None, host: str, port: int, settings: WebSettings, **options: Any
) -> Config:
    """The uvicorn configuration of ``serve``: the app over ``store`` with every limit on.

    The address served on is answered as a host name too (``--host 192.168.1.5`` serves
    requests for ``192.168.1.5``), unless it is a wildcard (0.0.0.0, ::).
    """
    if not 0 <= port <= 65535:
        raise SettingsError(f"port must be between 0 and 65535, got {port}")
    if not (_is_loopback(host) or _is_wildcard(host) or host in settings.allowed_hosts):
        settings = dataclasses.replace(settings, allowed_hosts=(*settings.allowed_hosts, host))
    return Config(
        create_app(store, settings), host=host, port=port,
        http=_protocol(settings),
        timeout_keep_alive=settings.keep_alive_seconds,
        limit_concurrency=settings.max_connections,
        h11_max_incomplete_event_size=settings.max_header_bytes,
        timeout_graceful_shutdown=settings.shutdown_seconds,
        **options,
    )


def serve(
    db: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: WebSettings | None = None,
) -> None:
    """Serve the stories in ``db`` (or only the brief form, without one) until interrupted."""
    import uvicorn

    settings = settings or WebSettings()
    if not _is_loopback(host):
        log.warning("serving on %s: other machines can reach this server", host)
    store = open_store(Path(db), create=False) if db is not None else None
    try:
        config = server_config(store, host, port, settings, log_level="info")
        uvicorn.Server(config).run()
    finally:
        if store is not None:
            store.close()
