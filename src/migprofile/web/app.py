"""The FastAPI application: the routers, security headers, CORS, ETags and error answers.

Nothing in the package imports this module except `migprofile.web` (for `create_app`); the
routers (`api`, `pages`) read through `web.state` and check parameters with `web.params`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from migprofile import __version__
from migprofile.errors import MigprofileError, StoreError, UsageError
from migprofile.web.api import router as api_router
from migprofile.web.cache import ResponseCache, ResponseCacheMiddleware, normalised_query
from migprofile.web.corridors import router as corridors_router
from migprofile.web.docs import router as docs_router
from migprofile.web.edges import LimitsAndMethods, no_store_hint
from migprofile.web.languages import LanguagePrefix
from migprofile.web.pages import error_page, no_data_page
from migprofile.web.pages import router as pages_router
from migprofile.web.params import ParamError
from migprofile.web.state import PinSnapshot, StoreHolder
from migprofile.wording import _
from migprofile.wording.i18n import current_language

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI from the swagger-ui-bundle package, served here (no CDN), started by a script of
# ours (no inline script); it sets inline styles on a few elements, hence style-src-attr.
DOCS_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
DOCS_PATHS = ("/api/docs",)
STORELESS_PATHS = ("/api/docs", "/api/openapi.json", "/static/")  # served without a store
CACHE_CONTROL = "public, max-age=300"


def _finite(value: Any) -> bool:
    """No NaN or infinity anywhere in `value` (orjson would write them as null)."""
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(map(_finite, value.values()))
    if isinstance(value, (list, tuple)):
        return all(map(_finite, value))
    return True


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & escaped, so echoed user text can never be read as markup.

    Written by orjson; anything orjson would write differently from the standard library
    (NaN or infinity, which must fail as with allow_nan=False; integers past 64 bits; types
    it does not know) goes the standard library's way, so the outcome is the same."""

    def render(self, content: Any) -> bytes:
        if _finite(content):
            try:
                data = orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
            except (TypeError, orjson.JSONEncodeError):
                pass
            else:
                return (
                    data.replace(b"<", b"\\u003c")
                    .replace(b">", b"\\u003e")
                    .replace(b"&", b"\\u0026")
                )
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text.encode("utf-8")


def _etag(version: str, request: Request) -> str:
    query = normalised_query(request.scope.get("query_string") or b"")  # as the cache keys it
    key = f"{version}|{current_language()}|{request.url.path}|{query}"
    return '"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> SafeJSONResponse:
    return SafeJSONResponse({"detail": detail}, status_code=status, headers=headers)


def _page_text(exc: StarletteHTTPException) -> str | None:
    """What a page says for the HTTP errors routing raises (their detail is English)."""
    try:
        default = exc.detail == HTTPStatus(exc.status_code).phrase
    except ValueError:
        default = False
    if not default:
        return None
    if exc.status_code == 404:
        return _("There is no page at this address.")
    if exc.status_code == 405:
        return _("This page can only be read: it answers GET and HEAD, not other methods.")
    return None


def _is_api(request: Request) -> bool:
    """The API answers JSON; every other path is a page (language prefix already taken off)."""
    path = request.url.path
    return path == "/api" or path.startswith("/api/")


def _answer(
    request: Request,
    status: int,
    detail: str,
    headers: dict[str, str] | None = None,
    page_message: str | None = None,
) -> Response:
    """JSON for the API, the portal's error page (in the request's language) elsewhere."""
    if _is_api(request):
        return _error(status, detail, headers)
    return error_page(request, status, page_message or detail, headers=headers)


def _store_missing(request: Request) -> bool:
    """No store file at all (a fresh data home), as opposed to one that will not open."""
    holder = getattr(request.app.state, "holder", None)
    try:
        return holder is not None and not holder.path.exists()
    except OSError:
        return False


def _no_store(request: Request) -> Response:
    """503: the hint to ingest when the home has no store yet, else the store is unavailable."""
    if _store_missing(request):
        if _is_api(request):
            return _error(503, no_store_hint())
        return no_data_page(request)
    return _answer(request, 503, _("the data store is not available"))


async def _without_store(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    """The API's documentation and the static files need no store; everything else says why
    it has nothing to show."""
    path = request.url.path
    if path.startswith(STORELESS_PATHS):
        return await call_next(request)
    return _no_store(request)


def create_app(db_path: Path | None = None, languages: list[str] | None = None) -> FastAPI:
    """The portal's API over the store at `db_path` (default: the configured store), in the
    `languages` given (default: every shipped one, each under its prefix)."""
    app = FastAPI(
        title="migprofile",
        version=__version__,
        description="Read-only access to country migration data, every value with its source.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served by web.docs from local assets
        redoc_url=None,  # no Python package ships ReDoc's assets: disabled
        default_response_class=SafeJSONResponse,
    )
    holder = StoreHolder(db_path)
    app.state.holder = holder
    # whole responses kept per snapshot (web.cache); a new store file is warmed with the most
    # requested URLs before it goes live, and the old snapshot's entries dropped then
    cache = ResponseCache()
    app.state.response_cache = cache
    holder.warmers.append(lambda snap: cache.warm(app, holder, snap))
    holder.swap_listeners.append(lambda snap: cache.retain(snap.key))
    app.state.languages = tuple(languages) if languages else None
    app.include_router(api_router)
    app.include_router(docs_router)
    app.include_router(corridors_router)
    app.include_router(pages_router)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD"],
        allow_headers=[],
        allow_credentials=False,
        expose_headers=["ETag"],
        max_age=600,
    )
    app.add_middleware(LimitsAndMethods)  # inside the headers: its answers get them too

    @app.middleware("http")
    async def headers_and_etag(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        etag = None
        response: Response
        if request.method in ("GET", "HEAD"):
            try:
                version = app.state.holder.snapshot().version
            except MigprofileError:
                version = None
                response = await _without_store(request, call_next)
            if version is not None:
                etag = _etag(version, request)
                if _matches(request.headers.get("if-none-match"), etag):
                    response = Response(status_code=304)
                else:
                    response = await call_next(request)
        else:
            response = await call_next(request)
        if etag is not None and response.status_code in (200, 304):
            response.headers["ETag"] = etag
            # a page may ask for longer caching (the shared chart bundle); the API never does
            response.headers.setdefault("Cache-Control", CACHE_CONTROL)
        else:
            response.headers.setdefault("Cache-Control", "no-store")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.url.path in DOCS_PATHS or request.url.path.startswith("/api/docs/"):
            response.headers["Content-Security-Policy"] = DOCS_CSP
        else:  # portal pages send their own policy; everything else gets the strictest one
            response.headers.setdefault("Content-Security-Policy", API_CSP)
        return response

    app.add_middleware(ResponseCacheMiddleware, cache=cache)  # hits skip everything inside
    app.add_middleware(PinSnapshot)
    app.add_middleware(
        LanguagePrefix, languages=app.state.languages
    )  # added last, so outermost: /ru/... is Russian throughout

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        headers = getattr(exc, "headers", None)
        return _answer(request, exc.status_code, str(exc.detail), headers, _page_text(exc))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            where = ".".join(loc) or _("request")
            parts.append(
                _("{where}: {problem}").format(where=where, problem=err.get("msg", _("invalid")))
            )
        return _answer(request, 400, "; ".join(parts) or _("invalid request"))

    @app.exception_handler(ParamError)
    async def param_error(request: Request, exc: ParamError) -> Response:
        return _answer(request, exc.status, exc.message)

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError) -> Response:
        text = str(exc)
        return _answer(request, 404 if "unknown" in text else 400, text)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _no_store(request)

    @app.exception_handler(MigprofileError)
    async def other_error(request: Request, exc: MigprofileError) -> Response:
        return _answer(request, 400, str(exc))

    return app
