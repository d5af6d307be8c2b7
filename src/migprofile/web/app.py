"""The FastAPI application: the routers, security headers, CORS, ETags and error answers.

Nothing in the package imports this module except `migprofile.web` (for `create_app`); the
routers (`api`, `pages`) read through `web.state` and check parameters with `web.params`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from migprofile import __version__
from migprofile.errors import MigprofileError, StoreError, UsageError
from migprofile.web.api import router as api_router
from migprofile.web.corridors import router as corridors_router
from migprofile.web.docs import router as docs_router
from migprofile.web.edges import LimitsAndMethods
from migprofile.web.languages import LanguagePrefix
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
CACHE_CONTROL = "public, max-age=300"


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & escaped, so echoed user text can never be read as markup."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text.encode("utf-8")


def _etag(version: str, request: Request) -> str:
    key = f"{version}|{current_language()}|{request.url.path}|{request.url.query}"
    return '"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _error(status: int, detail: str, headers: dict[str, str] | None = None) -> SafeJSONResponse:
    return SafeJSONResponse({"detail": detail}, status_code=status, headers=headers)


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
    app.state.holder = StoreHolder(db_path)
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
                response = _error(503, _("the data store is not available"))
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

    app.add_middleware(PinSnapshot)
    app.add_middleware(
        LanguagePrefix, languages=app.state.languages
    )  # added last, so outermost: /ru/... is Russian throughout

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        parts = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            where = ".".join(loc) or _("request")
            parts.append(
                _("{where}: {problem}").format(where=where, problem=err.get("msg", _("invalid")))
            )
        return _error(400, "; ".join(parts) or _("invalid request"))

    @app.exception_handler(ParamError)
    async def param_error(request: Request, exc: ParamError) -> Response:
        return _error(exc.status, exc.message)

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError) -> Response:
        text = str(exc)
        return _error(404 if "unknown" in text else 400, text)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        return _error(503, _("the data store is not available"))

    @app.exception_handler(MigprofileError)
    async def other_error(request: Request, exc: MigprofileError) -> Response:
        return _error(400, str(exc))

    return app
