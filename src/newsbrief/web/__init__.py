"""The web interface (``newsbrief serve``); needs the extra: ``pip install 'newsbrief[web]'``.

``create_app`` builds the ASGI app over a store (or none: then only the brief form
works); ``serve`` runs it with uvicorn, with the limits ``server_config`` sets.
"""

from __future__ import annotations

from newsbrief.settings import WebSettings
from newsbrief.web.app import StoryStore, create_app, story_rows
from newsbrief.web.server import serve, server_config

__all__ = ["StoryStore", "WebSettings", "create_app", "serve", "server_config", "story_rows"]
