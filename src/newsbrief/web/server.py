"""Run the web app with uvicorn: loopback by default, the store opened once."""

from __future__ import annotations

import ipaddress
import logging
import os
from pathlib import Path

from newsbrief.errors import SettingsError
from newsbrief.settings import WebSettings
from newsbrief.store import open_store
from newsbrief.web.app import create_app

__all__ = ["serve"]

log = logging.getLogger("newsbrief.web")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    db: str | os.PathLike[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    settings: WebSettings | None = None,
) -> None:
    """Serve the stories in ``db`` (or only the brief form, without one) until interrupted."""
    import uvicorn

    if not 0 <= port <= 65535:
        raise SettingsError(f"port must be between 0 and 65535, got {port}")
    if not _is_loopback(host):
        log.warning("serving on %s: other machines can reach this server", host)
    store = open_store(Path(db), create=False) if db is not None else None
    try:
        uvicorn.run(create_app(store, settings), host=host, port=port, log_level="info")
    finally:
        if store is not None:
            store.close()
