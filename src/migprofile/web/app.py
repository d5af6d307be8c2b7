"""The FastAPI application: read-only store access, security headers, CORS, ETags, errors.

One read-only DuckDB connection per store file; each request reads through its own cursor
(DuckDB connections are not thread-safe, cursors are). When `migprofile ingest` swaps a new store
file into place the next request notices (inode/mtime change) and reopens it, so the ETag, which
is derived from the store's latest vintage, changes with the data.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from migprofile import __version__, config
from migprofile.errors import MigprofileError, StoreError, UsageError
from migprofile.store import Store

API_CSP = "default-src 'none'; frame-ancestors 'none'"
# Swagger UI loads its script and style from a CDN and starts with an inline script.
DOCS_CSP = (
    "default-src 'none'; script-src 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src https://cdn.jsdelivr.net; img-src data: https://fastapi.tiangolo.com; "
    "connect-src 'self'; frame-ancestors 'none'"
)
DOCS_PATHS = ("/api/docs", "/api/docs/oauth2-redirect")
CACHE_CONTROL = "public, max-age=300"
PROFILE_CACHE_SIZE = 128


class SafeJSONResponse(JSONResponse):
    """JSON with <, > and & escaped, so echoed user text can never be read as markup."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
        return text.encode("utf-8")


def clean(value: Any) -> Any:
    """NaN/inf → None, integral floats → int (JSON and CSV both read better)."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def shown(text: str, limit: int = 60) -> str:
    """User text quoted for a message, shortened so a huge parameter is not echoed back."""
    text = str(text)
    if len(text) > limit:
        text = text[:limit] + "…"
    return repr(text)


@dataclass
class Snapshot:
    """One opened store file and what the API keeps in memory about it."""

    store: Store
    stat: tuple[int, int, int]
    version: str
    geo_rows: list[dict]
    geo_index: dict[str, str]  # lower-case geo id / ISO3 / M49 / name → geo id
    members: dict[str, list[str]]
    builder_lock: threading.Lock = field(default_factory=threading.Lock)
    builder: Any = None
    profiles: OrderedDict = field(default_factory=OrderedDict)

    def reader(self) -> Store:
        """A Store over a fresh cursor of the shared read-only connection (close it after)."""
        return Store(self.store.con.cursor(), self.store.path)

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Close matches to an unknown geo among names, ids and ISO3 codes."""
        key = str(text).strip().lower()[:100]
        names = {r["name"].lower(): r["name"] for r in self.geo_rows if r.get("name")}
        ids = {r["geo"].lower(): r["geo"] for r in self.geo_rows}
        close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.5)
        out = [names[c] for c in close]
        out += [ids[c] for c in difflib.get_close_matches(key, list(ids), n=n, cutoff=0.6)]
        return list(dict.fromkeys(out))[:n]

    def profile(self, geo: str) -> dict:
        from migprofile.profiles import ProfileBuilder

        with self.builder_lock:
            if geo in self.profiles:
                self.profiles.move_to_end(geo)
                return self.profiles[geo]
            if self.builder is None:
                self.builder = ProfileBuilder(self.reader())
            data = self.builder.build(geo).to_dict()
            self.profiles[geo] = data
            while len(self.profiles) > PROFILE_CACHE_SIZE:
                self.profiles.popitem(last=False)
            return data


class StoreHolder:
    """The read-only store behind the app, reopened when an ingest replaces the file."""

    def __init__(self, path: Path | None):
        self._path = Path(path) if path else None
        self._lock = threading.Lock()
        self._snap: Snapshot | None = None

    @property
    def path(self) -> Path:
        return self._path or config.db_path()

    def snapshot(self) -> Snapshot:
        path = self.path
        try:
            st = path.stat()
        except OSError:
            raise StoreError("the data store is not available") from None
        stat = (st.st_ino, st.st_mtime_ns, st.st_size)
        with self._lock:
            if self._snap is None or self._snap.stat != stat:
                self._snap = self._open(path, stat)
            return self._snap

    @staticmethod
    def _open(path: Path, stat: tuple[int, int, int]) -> Snapshot:
        store = Store.open(path, read_only=True)
        cur = store.con.cursor()
        try:
            latest, count = cur.execute(
                "SELECT coalesce(max(vintage_id), 0), count(*) FROM vintages"
            ).fetchall()[0]
            geo_rows = (
                Store(cur, path)
                .arrow("SELECT geo, kind, name, iso3, m49, group_type FROM geo ORDER BY kind, geo")
                .to_pylist()
            )
            members: dict[str, list[str]] = {}
            for group, member in cur.execute(
                "SELECT DISTINCT group_geo, member FROM geo_members ORDER BY 1, 2"
            ).fetchall():
                members.setdefault(group, []).append(member)
        finally:
            cur.close()
        index: dict[str, str] = {}
        for r in geo_rows:  # names first, so codes win a clash
            if r["name"]:
                index.setdefault(r["name"].lower(), r["geo"])
        for r in geo_rows:
            if r["m49"] is not None and r["kind"] == "country":
                index[str(r["m49"])] = r["geo"]
        for r in geo_rows:
            if r["iso3"]:
                index[r["iso3"].lower()] = r["geo"]
            index[r["geo"].lower()] = r["geo"]
        version = f"{latest}.{count}.{__version__}"
        return Snapshot(store, stat, version, geo_rows, index, members)


def _etag(version: str, request: Request) -> str:
    key = f"{version}|{request.url.path}|{request.url.query}"
    return '"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:32] + '"'


def _matches(header: str | None, etag: str) -> bool:
    if not header:
        return False
    tags = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in tags or etag in tags


def _error(status: int, detail: str, headers: dict | None = None) -> SafeJSONResponse:
    return SafeJSONResponse({"detail": detail}, status_code=status, headers=headers)


def create_app(db_path: Path | None = None) -> FastAPI:
    """The portal's API over the store at `db_path` (default: the configured store)."""
    from migprofile.web.api import router
    from migprofile.web.pages import router as pages_router

    app = FastAPI(
        title="migprofile",
        version=__version__,
        description="Read-only access to country migration data, every value with its source.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        default_response_class=SafeJSONResponse,
    )
    app.state.holder = StoreHolder(db_path)
    app.include_router(router)
    app.include_router(pages_router)

    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET"],
        allow_headers=[],
        allow_credentials=False,
        expose_headers=["ETag"],
        max_age=600,
    )

    @app.middleware("http")
    async def headers_and_etag(request: Request, call_next):
        etag = None
        if request.method == "GET":
            try:
                version = app.state.holder.snapshot().version
            except MigprofileError:
                version = None
                response = _error(503, "the data store is not available")
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
        if request.url.path in DOCS_PATHS:
            response.headers["Content-Security-Policy"] = DOCS_CSP
        else:  # portal pages send their own policy; everything else gets the strictest one
            response.headers.setdefault("Content-Security-Policy", API_CSP)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        parts = []
        for err in exc.errors():
            loc = [str(p) for p in err.get("loc", ()) if p not in ("query", "path", "body")]
            parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
        return _error(400, "; ".join(parts) or "invalid request")

    @app.exception_handler(UsageError)
    async def usage_error(request: Request, exc: UsageError):
        text = str(exc)
        return _error(404 if "unknown" in text else 400, text)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return _error(503, "the data store is not available")

    @app.exception_handler(MigprofileError)
    async def other_error(request: Request, exc: MigprofileError):
        return _error(400, str(exc))

    return app
