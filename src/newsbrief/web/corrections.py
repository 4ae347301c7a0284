"""Correcting stories over HTTP (``newsbrief.corrections``): the JSON API, the story page's
forms, and the redirect of a merged-away story id::

    POST /api/stories/{id}/merge    {"other": ID}          the other story's articles join this
    POST /api/stories/{id}/split    {"articles": [ID, …]}  those articles leave for a new story
    POST /api/articles/{id}/move    {"story": ID | null}   to that story, or out of all stories
    POST /stories/{id}/merge, /stories/{id}/split, /articles/{id}/move
                                    the same from the story page's forms; a 303 to a story page

Errors are the app's: 400 with the reason, 404 for an unknown story or article. The guard
refuses a post from another site, so only the app's own pages (and local scripts) correct.
Every story a correction touches is marked stale in the brief cache, so the next visit shows
it as it is now.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from newsbrief import corrections as fix
from newsbrief.model import Article
from newsbrief.store import parse_story_id
from newsbrief.web.cache import BriefCache

__all__ = ["MergeRequest", "MoveRequest", "SplitRequest", "add_correction_routes",
           "merged_redirect"]

_FORM_FIELDS = 1000
"""Fields a correction form may post at most (a story's tick boxes)."""


class MergeRequest(BaseModel):
    """Merge the story ``other`` into the story of the path."""

    other: int | str


class SplitRequest(BaseModel):
    """Split these articles off the story of the path into a new story."""

    articles: list[int | str]


class MoveRequest(BaseModel):
    """Move the article of the path into ``story``; null: out of all stories."""

    story: int | str | None


async def _run(call: Callable[..., Any], *args: Any) -> Any:
    """A correction in a worker thread; its refusals as 404 or 400."""
    try:
        return await run_in_threadpool(call, *args)
    except fix.CorrectionError as exc:
        raise HTTPException(404 if exc.not_found else 400, str(exc)) from None


def merged_redirect(store: Any, story_id: str, prefix: str, query: str) -> Response | None:
    """A redirect to the story a merged-away ``story_id`` leads to, or None."""
    target = store.merged_into(story_id) if hasattr(store, "merged_into") else None
    if target is None:
        return None
    return RedirectResponse(f"{prefix}/{target}{query}", status_code=307)


def add_correction_routes(
    app: FastAPI,
    need_store: Callable[[], Any],
    briefs: BriefCache,
    render_page: Callable[..., str],
) -> Callable[[bytes, str, Sequence[Article]], bytes]:
    """Add the correction routes to ``app``; the function that puts the correction forms on
    a story page (its HTML, the story id, the stored articles it was briefed from)."""

    def stale(*story_ids: int | None) -> None:
        for sid in story_ids:
            if sid is not None:
                briefs.stale(str(sid))

    async def do_merge(story_id: str, other: int | str) -> int:
        kept: int = await _run(fix.merge, need_store(), story_id, other)
        stale(kept, parse_story_id(other))
        return kept

    async def do_split(story_id: str, articles: Sequence[int | str]) -> tuple[int, int]:
        new: int = await _run(fix.split, need_store(), story_id, articles)
        sid = parse_story_id(story_id)
        stale(sid, new)
        return sid or 0, new

    async def do_move(article_id: str, story: int | str | None) -> tuple[int | None, int | None]:
        before: int | None = await _run(fix.move, need_store(), article_id, story)
        target = None if story is None else parse_story_id(story)
        stale(before, target)
        return before, target

    @app.post("/api/stories/{story_id}/merge", summary="Merge another story into this one",
              responses={404: {"description": "no such story"}})
    async def api_merge(story_id: str, body: MergeRequest) -> dict[str, Any]:
        kept = await do_merge(story_id, body.other)
        return {"story": kept, "merged": parse_story_id(body.other)}

    @app.post("/api/stories/{story_id}/split", summary="Split articles off into a new story",
              responses={404: {"description": "no such story or article"}})
    async def api_split(story_id: str, body: SplitRequest) -> dict[str, Any]:
        sid, new = await do_split(story_id, body.articles)
        return {"story": sid, "new_story": new}

    @app.post("/api/articles/{article_id}/move",
              summary="Move an article to a story, or out of all stories (null)",
              responses={404: {"description": "no such story or article"}})
    async def api_move(article_id: str, body: MoveRequest) -> dict[str, Any]:
        before, target = await do_move(article_id, body.story)
        return {"article": parse_story_id(article_id), "from": before, "to": target}

    async def form(request: Request) -> Any:
        return await request.form(max_files=0, max_fields=_FORM_FIELDS)

    def back(story_id: int | None) -> Response:
        return RedirectResponse("/" if story_id is None else f"/stories/{story_id}",
                                status_code=303)

    @app.post("/stories/{story_id}/merge", include_in_schema=False)
    async def form_merge(story_id: str, request: Request) -> Response:
        other = (await form(request)).get("other")
        if not isinstance(other, str) or not other.strip():
            raise HTTPException(400, "give the number of the story to merge into this one")
        return back(await do_merge(story_id, other.strip()))

    @app.post("/stories/{story_id}/split", include_in_schema=False)
    async def form_split(story_id: str, request: Request) -> Response:
        ticked = [v for v in (await form(request)).getlist("articles") if isinstance(v, str)]
        sid, _ = await do_split(story_id, ticked)
        return back(sid)

    @app.post("/articles/{article_id}/move", include_in_schema=False)
    async def form_move(article_id: str, request: Request) -> Response:
        data = await form(request)
        to, came_from = data.get("to"), data.get("from")
        if data.get("action") == "out":
            story: str | None = None
        elif isinstance(to, str) and to.strip():
            story = to.strip()
        else:
            raise HTTPException(400, "give the number of the story to move the article to")
        before, target = await do_move(article_id, story)
        # back to the story the user was on, while it is there; else where the article went
        page = parse_story_id(came_from) if isinstance(came_from, str) else before
        alive = page is not None and await run_in_threadpool(need_store().story, page)
        return back(page if alive else target)

    def with_forms(page: bytes, story_id: str, articles: Sequence[Article]) -> bytes:
        section = render_page("corrections.html.j2", story=story_id, articles=articles)
        head, sep, tail = page.rpartition(b"</main>")
        return head + section.encode() + sep + tail if sep else page

    return with_forms
