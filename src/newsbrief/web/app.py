"""The web interface: routes and templates over the library calls the CLI makes, nothing more.

Pages (HTML, no script at all) and the JSON API beside them::

    GET  /                     stories, newest first; ?q= searches titles and text;
                               ?sort=newest|size|sources, ?min_sources= (default 2;
                               web.listing)
    GET  /stories/{id}         a story's brief, its sources side by side
                               (with "New since your last visit" when articles arrived
                               after the story's read mark, which the visit then sets;
                               ?since=TIME: what is new since TIME; web.updates)
    GET  /stories/{id}.md, .json, .html (or ?format=)
                               the brief to download (web.listing.DOWNLOADS)
    GET  /brief                a form: paste text or upload files
    POST /brief                the brief of what was posted, at once
    GET  /api/stories          the stories as JSON
    GET  /feed.atom            the stories as an Atom feed, newest update first, each
                               entry the story's update brief (newsbrief.feed_briefs)
    GET  /api/stories/{id}     a story's brief as JSON (schema ``newsbrief.brief/1``)
                               (?since=TIME: the update brief; the mark is not moved)
    POST /api/brief            the brief of posted text or files, as JSON
    POST /api/stories/{id}/merge, /api/stories/{id}/split, /api/articles/{id}/move
                               correct stories (and the story page's forms for them;
                               web.corrections); a merged-away id redirects to its story
    GET  /openapi.json         the API's OpenAPI description

Safety: templates autoescape every value; ``guard.Guard`` puts the security headers on
every response, errors included, refuses other hosts and cross-site posts (403), bodies
over ``WebSettings.max_body_bytes`` (413) or too slow (408); bad input gets a 400 that says
why, an unknown story a 404, and an unexpected failure a plain 500 page (the traceback goes
to the log only). Briefs run in a small ``pool.BriefPool``: when it is full, a 503 with
``Retry-After``. A story is known by its parsed id: ``/stories/02`` redirects to ``/stories/2``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Any, Literal, Protocol, cast
from urllib.parse import urlencode

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from newsbrief import __version__
from newsbrief.errors import NewsbriefError, NoArticlesError, SettingsError
from newsbrief.feed_briefs import (
    FEED_STORIES,
    EntryCache,
    NamedStore,
    entry_briefs,
    named_sources,
)
from newsbrief.model import Article, Brief, Problem
from newsbrief.pipeline import brief
from newsbrief.render import to_dict, to_html, to_markdown
from newsbrief.render.common import (
    changed_figures,
    in_number_order,
    update_heading,
    update_line,
)
from newsbrief.render.feed_out import ATOM_MEDIA_TYPE, stories_to_atom
from newsbrief.settings import Settings, WebSettings
from newsbrief.store import Store, parse_story_id
from newsbrief.update import parse_since
from newsbrief.web.cache import BriefCache, RenderedBrief
from newsbrief.web.corrections import add_correction_routes, merged_redirect
from newsbrief.web.guard import Guard
from newsbrief.web.listing import (
    DEFAULT_MIN_SOURCES,
    DOWNLOADS,
    SORTS,
    StoryList,
    coverage_line,
    outlet_table,
    split_download,
    story_list,
)
from newsbrief.web.pool import BriefPool
from newsbrief.web.updates import (
    briefs_since,
    mark_visit,
    update_brief_since,
    visible_articles,
    visit_since,
)
from newsbrief.web.uploads import ACCEPTED_SUFFIXES, Upload, read_posted
from newsbrief.web.views import StoryRow, brief_view, plain

__all__ = ["StoryStore", "WebSettings", "create_app", "story_rows"]

STATIC = Path(__file__).parent / "static"
MEDIA_TYPES = {".css": "text/css; charset=utf-8", ".svg": "image/svg+xml"}


@dataclass(frozen=True, slots=True)
class _Asset:
    body: bytes
    media_type: str


@cache
def _assets() -> dict[str, _Asset]:
    """The stylesheet and icon, read once: served from memory, cached by browsers."""
    found = {
        p.name: _Asset(p.read_bytes(), MEDIA_TYPES[p.suffix])
        for p in sorted(STATIC.glob("*")) if p.suffix in MEDIA_TYPES
    }
    if "app.css" not in found:
        raise RuntimeError(f"{STATIC}/app.css is missing: the package was installed without "
                           "its web files (package data web/static/*)")
    return found


@cache
def asset_version() -> str:
    """A hash of the static files, added to their URLs so that a new version is fetched."""
    digest = hashlib.sha256()
    for name, asset in sorted(_assets().items()):
        digest.update(name.encode() + asset.body)
    return digest.hexdigest()[:12]


Limit = Annotated[int, Query(ge=1, le=500, description="stories per page")]
Offset = Annotated[int, Query(ge=0, description="stories to skip")]
Search = Annotated[str | None, Query(max_length=200, description="words in titles or text")]
Sort = Annotated[Literal["newest", "size", "sources"],
                 Query(description="newest update, largest or most sources first")]
MinSources = Annotated[int | None, Query(ge=1, le=10_000, description="only stories from at "
                                         "least this many sources")]
Format = Annotated[Literal["md", "json", "html"] | None,
                   Query(description="download the brief as Markdown, JSON or HTML")]
Since = Annotated[str | None, Query(max_length=100, description="only what is new since this "
                                   "time (ISO 8601, UTC when no zone is given)")]


def _since_query(since: str | None) -> str:
    return f"?{urlencode({'since': since})}" if since else ""


class StoryStore(Protocol):
    """The part of ``newsbrief.store.Store`` the web layer reads (both stores have it)."""

    def stories(
        self, limit: int = 50, offset: int = 0, query: str | None = None, order: str = "size",
        min_sources: int = 0,
    ) -> Sequence[Any]: ...

    def articles(self, story_id: str) -> Sequence[Article]: ...

    # issue 14: the stories list (web.listing)
    def count_stories(self, query: str | None = None, min_sources: int = 0) -> int: ...

    def story_sources(self, story_ids: Any) -> dict[int, list[tuple[str, str | None]]]: ...


def story_rows(store: StoryStore, limit: int, offset: int, query: str | None) -> list[StoryRow]:
    """The stories page's rows, most recently updated story first.

    ``web.listing.story_list`` reads the store's ``StoryInfo`` records.
    """
    return story_list(store, limit, offset, query, "newest", 1, count_hidden=False).rows


@cache
def _templates() -> Environment:
    env = Environment(
        loader=PackageLoader("newsbrief.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["version"] = __version__
    env.globals["in_number_order"] = in_number_order
    env.globals["asset_version"] = asset_version()
    return env


def render_page(template: str, **context: Any) -> str:
    """One page from ``web/templates``; every value is escaped unless marked safe."""
    return _templates().get_template(template).render(**context)


def _json_bytes(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, default=plain).encode()


def _error_response(
    path: str, status: int, message: str, headers: Mapping[str, str] | None = None,
    problems: Sequence[Problem] = (),
) -> Response:
    """A JSON error under ``/api/``, an HTML page elsewhere; never a traceback."""
    if path.startswith("/api/") or path == "/openapi.json":
        body: dict[str, Any] = {"error": message, "status": status}
        if problems:
            body["problems"] = [{"origin": p.origin, "message": p.message} for p in problems]
        return JSONResponse(body, status_code=status, headers=headers)
    html = render_page("error.html.j2", status=status, message=message, problems=problems)
    return HTMLResponse(html, status_code=status, headers=headers)


def _page(result: Brief, coverage: str = "", downloads: str | None = None) -> bytes:
    return render_page("story.html.j2", view=brief_view(result), coverage=coverage,
                       downloads=downloads).encode()


def _json(result: Brief) -> bytes:
    return _json_bytes(to_dict(result))


def _read_and_brief(
    text: str, uploads: list[Upload], options: Settings, max_bytes: int,
    present: Callable[[Brief], bytes],
) -> bytes:
    """Read posted input, brief it and render it: in a worker, as each can take seconds."""
    read = read_posted(text, uploads, max_bytes)
    if not read.articles:
        raise _NothingToBrief(read.problems)
    return present(brief(read.articles, settings=options, problems=read.problems))


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err.get("loc", ()) if x not in ("query", "path", "body"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}" if where else str(err.get("msg")))
    return "bad request: " + "; ".join(parts)


def _form_schema() -> dict[str, Any]:
    """OpenAPI description of the brief form, parsed by hand to set its limits."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "text": {
                                "type": "string",
                                "description": "Articles as plain text, separated by lines "
                                "of '---'; or JSON lines (one article object a line).",
                            },
                            "words": {"type": "integer", "minimum": 20, "maximum": 5000,
                                      "description": "summary length in words"},
                            "focus": {"type": "string", "maxLength": 2000,
                                      "description": "a question the summary should answer"},
                            "files": {
                                "type": "array",
                                "items": {"type": "string", "format": "binary"},
                                "description": "Article files: "
                                + ", ".join(ACCEPTED_SUFFIXES),
                            },
                        },
                    }
                }
            },
        }
    }


def create_app(
    store: StoryStore | None = None, settings: WebSettings | None = None
) -> FastAPI:
    """The ASGI app. Without a store, the stories pages say so and the brief form still works."""
    settings = settings or WebSettings()
    pool = BriefPool(settings.brief_workers, settings.brief_queue)
    briefs = BriefCache(settings.cache_size, pool, settings.fresh_seconds,
                        settings.failure_seconds, settings.cache_bytes)
    app = FastAPI(
        title="newsbrief",
        version=__version__,
        description="Many articles about one story in, one short sourced brief out. "
        "Brief JSON follows schema `newsbrief.brief/1` (docs/schema.md).",
        docs_url=None,  # Swagger UI loads scripts from a CDN: nothing may leave the machine
        redoc_url=None,
    )
    app.state.briefs = briefs
    app.add_middleware(Guard, settings=settings, error_page=_error_response)
    assets = _assets()

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        return _error_response(request.url.path, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request.url.path, 400, _validation_message(exc))

    @app.exception_handler(NewsbriefError)
    async def input_error(request: Request, exc: NewsbriefError) -> Response:
        return _error_response(request.url.path, 400, str(exc))

    def need_store() -> StoryStore:
        if store is None:
            raise HTTPException(404, "no story store: start the server with --db FILE")
        return store

    # correcting stories (web.corrections): the API, the story page's forms
    correction_forms = add_correction_routes(app, need_store, briefs, render_page)

    async def merged_or_raise(exc: HTTPException, key: str, prefix: str, query: str) -> Response:
        """A merged-away story's id leads to the story it was merged into; else ``exc``."""
        moved = await run_in_threadpool(merged_redirect, need_store(), key, prefix, query)
        if exc.status_code != 404 or moved is None:
            raise exc
        return moved

    entries = EntryCache()  # the feed's update briefs, by story id and size

    def named(articles: Sequence[Article]) -> tuple[list[Article], str]:
        """The articles with their outlets' names as sources; the coverage line."""
        table = outlet_table(need_store())
        return named_sources(articles, table), coverage_line(need_store(), articles)

    def make_brief(story_id: str, articles: tuple[Article, ...]) -> RenderedBrief:
        # As newsbrief.pipeline.brief_story does, from the articles the cache is keyed on.
        shown, coverage = named(articles)
        result = brief(shown, settings=Settings(words=settings.words))
        result.story = story_id
        return RenderedBrief(articles=articles, html=_page(result, coverage, story_id),
                             json=_json(result), markdown=to_markdown(result).encode(),
                             standalone=to_html([result]).encode())

    async def story_brief(story_id: str) -> RenderedBrief:
        async def load() -> tuple[Article, ...]:
            articles = tuple(await run_in_threadpool(need_store().articles, story_id))
            if not articles:
                raise HTTPException(404, f"no story {story_id!r}")
            return articles

        return await briefs.get(story_id, load, partial(make_brief, story_id))

    async def rows(q: str | None, limit: int, offset: int, sort: str = "newest",
                   min_sources: int = 1) -> StoryList:
        query = q.strip() if q and q.strip() else None
        return await run_in_threadpool(story_list, need_store(), limit, offset, query, sort,
                                       min_sources)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def stories_page(q: Search = None, offset: Offset = 0, sort: Sort = "newest",
                           min_sources: MinSources = None) -> HTMLResponse:
        # the home page hides one-source stories; a search shows every match unless asked
        default = 1 if q and q.strip() else DEFAULT_MIN_SOURCES
        least = default if min_sources is None else min_sources
        found = None if store is None else await rows(q, settings.page_size, offset, sort,
                                                      least)
        html = render_page(
            "stories.html.j2", stories=None if found is None else found.rows, q=q or "",
            offset=offset, page_size=settings.page_size, sort=sort, sorts=list(SORTS),
            min_sources=least, hidden=0 if found is None else found.hidden,
        )
        return HTMLResponse(html)

    async def download(key: str, fmt: str) -> Response:
        """The brief as a file (issue 14): the cached renders, with a file name."""
        rendered = await story_brief(key)  # 404 for no such story
        body = {"md": rendered.markdown, "json": rendered.json,
                "html": rendered.standalone}[fmt]
        return Response(body, media_type=DOWNLOADS[fmt], headers={
            "content-disposition": f'attachment; filename="story-{key}.{fmt}"'})

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    async def story_page(story_id: str, since: Since = None, format: Format = None) -> Response:
        story_id, fmt = split_download(story_id, format)
        key = _story_key(story_id)
        if fmt is not None:
            if key != story_id:
                return RedirectResponse(f"/stories/{key}.{fmt}", status_code=308)
            return await download(key, fmt)
        if key != story_id:
            return RedirectResponse(f"/stories/{key}{_since_query(since)}", status_code=308)
        # the articles this visit reads, taken before the brief: one arriving meanwhile
        # stays new for the next visit (update.read_up_to)
        shown = await run_in_threadpool(visible_articles, need_store(), key)
        try:
            rendered = await story_brief(key)  # 404 for no such story
        except HTTPException as exc:
            return await merged_or_raise(exc, key, "/stories", _since_query(since))
        page = rendered.html
        # what is new (newsbrief.web.updates): since ?since=, else since the last visit
        when = (parse_since(since) if since else
                await run_in_threadpool(visit_since, need_store(), key))
        if when is not None:
            with pool.reserve() as slot:
                whole, update = await slot.run(briefs_since, NamedStore(need_store()), key,
                                               when, settings.words)
            page = render_page(
                "story.html.j2", view=brief_view(whole), update=brief_view(update),
                coverage=await run_in_threadpool(coverage_line, need_store(),
                                                 rendered.articles), downloads=key,
                update_title=update_heading(update) if since else "New since your last visit",
                update_line=update_line(update), changed=changed_figures(update),
            ).encode()
        page = correction_forms(page, key, rendered.articles)
        await run_in_threadpool(mark_visit, need_store(), key, shown)
        return Response(page, media_type="text/html")

    @app.get("/brief", response_class=HTMLResponse, include_in_schema=False)
    async def brief_form() -> HTMLResponse:
        return HTMLResponse(render_page("new.html.j2", limits=settings, accepted=ACCEPTED_SUFFIXES))

    async def posted_brief(request: Request, present: Callable[[Brief], bytes]) -> bytes:
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in ("multipart/form-data", "application/x-www-form-urlencoded"):
            raise HTTPException(
                415, "expected a form (multipart/form-data with fields text, files, words, "
                f"focus), got {kind or 'no content type'}",
            )
        # A place in the pool before the body is read: a refused upload (503) holds nothing.
        with pool.reserve() as slot:
            try:
                form = await request.form(
                    max_files=settings.max_files,
                    max_fields=10,
                    max_part_size=settings.max_body_bytes,
                )
            except MultiPartException as exc:
                raise HTTPException(400, f"bad form data: {exc.message}") from None
            text = form.get("text")
            words = form.get("words")
            focus = form.get("focus")
            try:
                length = int(words) if isinstance(words, str) and words.strip() else settings.words
            except ValueError:
                raise HTTPException(400, f"words must be a whole number, got {words!r}") from None
            uploads = [
                Upload(item.filename or "upload", await item.read())
                for item in form.getlist("files")
                if isinstance(item, UploadFile) and (item.filename or item.size)
            ]
            await form.close()
            try:
                options = Settings(words=length, focus=focus.strip() if isinstance(focus, str)
                                   and focus.strip() else None)
            except SettingsError as exc:
                raise HTTPException(400, str(exc)) from None
            return await slot.run(_read_and_brief, text if isinstance(text, str) else "",
                                  uploads, options, settings.max_body_bytes, present)

    @app.post("/brief", response_class=HTMLResponse, include_in_schema=False)
    async def brief_page(request: Request) -> Response:
        try:
            page = await posted_brief(request, _page)
        except _NothingToBrief as exc:
            html = render_page(
                "new.html.j2", limits=settings, accepted=ACCEPTED_SUFFIXES,
                problems=exc.problems,
            )
            return HTMLResponse(html, status_code=400)
        return Response(page, media_type="text/html")

    @app.get("/api/stories", summary="List stories, newest first")
    async def api_stories(
        q: Search = None, limit: Limit = 50, offset: Offset = 0, sort: Sort = "newest",
        min_sources: MinSources = None,
    ) -> dict[str, Any]:
        found = await rows(q, limit, offset, sort, min_sources or 1)
        return {"stories": [r.to_dict() for r in found.rows], "limit": limit,
                "offset": offset, "sort": sort, "min_sources": min_sources or 1,
                "hidden": found.hidden}

    @app.get(
        "/api/stories/{story_id}",
        summary="A story's brief (schema newsbrief.brief/1)",
        responses={404: {"description": "no such story"}},
    )
    async def api_story(story_id: str, since: Since = None) -> Response:
        key = _story_key(story_id)
        if key != story_id:
            return RedirectResponse(f"/api/stories/{key}{_since_query(since)}", status_code=308)
        try:
            whole = (await story_brief(key)).json  # 404 for no such story
        except HTTPException as exc:
            return await merged_or_raise(exc, key, "/api/stories", _since_query(since))
        if since:  # the update brief (schema: `update`); the read mark is left as it is
            when = parse_since(since)
            with pool.reserve() as slot:
                update = await slot.run(update_brief_since, NamedStore(need_store()), key,
                                        when, settings.words)
            return Response(_json(update), media_type="application/json")
        return Response(whole, media_type="application/json")

    @app.post(
        "/api/brief",
        summary="Brief posted text or files (schema newsbrief.brief/1)",
        openapi_extra=_form_schema(),
        responses={400: {"description": "no usable article; the problems say why"},
                   413: {"description": "request body too large"}},
    )
    async def api_brief(request: Request) -> Response:
        try:
            body = await posted_brief(request, _json)
        except _NothingToBrief as exc:
            return _error_response(request.url.path, 400, str(exc), problems=exc.problems)
        return Response(body, media_type="application/json")

    @app.get("/feed.atom", include_in_schema=False)
    async def atom_feed(request: Request) -> Response:
        # The most recently saved stories, entries newest update first; links to this host
        # (the Guard has refused hosts it does not serve).
        # Issue 14: each entry is the story's update brief (newsbrief.feed_briefs), for the
        # FEED_STORIES most recently updated stories, cached by story id and size.
        found = await run_in_threadpool(need_store().stories, FEED_STORIES, 0, None, "recent")
        with pool.reserve() as slot:
            contents = await slot.run(entry_briefs, cast(Store, need_store()), found,
                                      Settings(words=settings.words), entries)
        feed = stories_to_atom(found, str(request.base_url), contents=contents)
        return Response(feed.encode(), media_type=f"{ATOM_MEDIA_TYPE}; charset=utf-8")

    @app.get("/static/{name}", include_in_schema=False)
    async def static(name: str) -> Response:
        asset = assets.get(name)
        if asset is None:
            raise HTTPException(404, f"no file {name!r}")
        return Response(asset.body, media_type=asset.media_type,
                        headers={"cache-control": "public, max-age=31536000, immutable"})

    @app.get("/healthz", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    return app


def _story_key(story_id: str) -> str:
    """The story's id as the store parses it ("02" and " 2" are "2"): the cache's one key.
    A 404 for what is no story id at all."""
    parsed = parse_story_id(story_id)
    if parsed is None:
        raise HTTPException(404, f"no story {story_id!r}")
    return str(parsed)


class _NothingToBrief(NoArticlesError):
    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("input", "no usable article in what was posted")
        self.problems = list(problems)

