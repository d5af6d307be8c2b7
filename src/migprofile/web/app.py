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
import logging
import math
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
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
REOPEN_RETRY_SECONDS = 5.0  # a new store file that failed to open is retried after this
RETIRE_GRACE_SECONDS = 1.0  # a replaced snapshot stays open at least this long

log = logging.getLogger(__name__)
# (holder, snapshot) the current request is pinned to, set by PinSnapshot
_PINNED: ContextVar[tuple[Any, Any] | None] = ContextVar("migprofile_pinned", default=None)


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
    pins: int = 0  # requests in flight on this snapshot (see StoreHolder.pin)
    retired_at: float | None = None  # when a newer file replaced it

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
    """The read-only store behind the app, reopened when an ingest replaces the file.

    `migprofile ingest` builds a new file and os.replace()s it over the old one. DuckDB caches
    database instances per path inside a process: connecting to the same path while a
    connection to it is still open returns the *old* instance (the replaced, unlinked file). So
    each generation is opened through a private, uniquely named hard link to the file (see
    `_alias`), which gives DuckDB a new path and the new file. Each request is pinned to the
    snapshot it started with (see `pin`), so a response never mixes two vintages; a replaced
    snapshot is closed once its last pinned request has ended. The server only ever holds
    read-only connections, so it never blocks an ingest.
    """

    def __init__(self, path: Path | None):
        self._path = Path(path) if path else None
        self._lock = threading.Lock()  # guards _snap, _retired and the pin counts
        self._open_lock = threading.Lock()  # one reopen at a time; readers never wait for it
        self._snap: Snapshot | None = None
        self._retired: list[Snapshot] = []
        self._failed: tuple[tuple[int, int, int], float] | None = None
        self._generation = 0
        self._link_dirs: dict[Path, Path] = {}  # store folder → private folder for the links

    @property
    def path(self) -> Path:
        return self._path or config.db_path()

    def snapshot(self) -> Snapshot:
        """The request's pinned snapshot, else the current one (reopened if the file changed)."""
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] is self:
            return pinned[1]
        return self._current()

    def pin(self) -> Snapshot:
        """The current snapshot, held open until `unpin` (one pin per request)."""
        snap = self._current()
        with self._lock:
            snap.pins += 1
        return snap

    def unpin(self, snap: Snapshot) -> None:
        with self._lock:
            snap.pins -= 1
            closing = self._reap()
        _close_all(closing)

    def close(self) -> None:
        """Close every connection (for tests and shutdown)."""
        with self._lock:
            closing = [*self._retired, *([self._snap] if self._snap else [])]
            self._retired, self._snap = [], None
        _close_all(closing)
        for folder in self._link_dirs.values():
            shutil.rmtree(folder, ignore_errors=True)
        self._link_dirs.clear()

    def _current(self) -> Snapshot:
        path = self.path
        try:
            st = path.stat()
        except OSError:
            if self._snap is not None:  # replaced right now? keep serving what we have
                return self._snap
            raise StoreError("the data store is not available") from None
        stat = (st.st_ino, st.st_mtime_ns, st.st_size)
        snap = self._snap
        if snap is not None and snap.stat == stat:
            return snap
        failed = self._failed
        if (
            snap is not None
            and failed
            and failed[0] == stat
            and (time.monotonic() - failed[1] < REOPEN_RETRY_SECONDS)
        ):
            return snap  # the new file would not open a moment ago: keep the old one
        # Only one thread reopens; the others keep serving the old snapshot meanwhile.
        if not self._open_lock.acquire(blocking=snap is None):
            return snap  # type: ignore[return-value]
        try:
            cur = self._snap
            if cur is not None and cur is not snap and cur.stat == stat:
                return cur  # another thread reopened it while we waited
            try:
                new = self._open_generation(path)
            except (MigprofileError, OSError, duckdb.Error) as exc:
                if cur is None:
                    if isinstance(exc, StoreError):
                        raise
                    raise StoreError("the data store is not available") from None
                self._failed = (stat, time.monotonic())
                log.warning("keeping the open store: cannot open the new %s: %s", path, exc)
                return cur
            self._failed = None
            with self._lock:
                old, self._snap = self._snap, new
                if old is not None:
                    old.retired_at = time.monotonic()
                    self._retired.append(old)
                closing = self._reap()
            _close_all(closing)
            return new
        finally:
            self._open_lock.release()

    def _reap(self) -> list[Snapshot]:
        """Retired snapshots no request holds any more (call with _lock held)."""
        now = time.monotonic()
        done = [
            s
            for s in self._retired
            if s.pins <= 0 and now - (s.retired_at or now) >= RETIRE_GRACE_SECONDS
        ]
        if done:
            self._retired = [s for s in self._retired if s not in done]
        return done

    def _open_generation(self, path: Path) -> Snapshot:
        """Open the file now at `path` under a path DuckDB has not cached an instance for."""
        self._generation += 1
        alias = self._alias(path, self._generation)
        if alias is None:  # no hard links here: the plain path (fresh only when nothing is open)
            st = path.stat()
            return self._open(path, (st.st_ino, st.st_mtime_ns, st.st_size))
        try:
            st = alias.stat()  # the file we linked, even if another ingest replaced it since
            snap = self._open(alias, (st.st_ino, st.st_mtime_ns, st.st_size))
        finally:
            # DuckDB keeps the file open; the link itself is not needed any more
            alias.unlink(missing_ok=True)
        snap.store.path = path
        return snap

    def _alias(self, path: Path, generation: int) -> Path | None:
        """A new hard link to the store file in a private folder, or None if none can be made."""
        name = f"gen-{os.getpid()}-{generation}.duckdb"
        folder = self._link_dirs.get(path.parent)
        if folder is not None:
            try:
                os.link(path, folder / name)
                return folder / name
            except OSError:
                pass  # folder gone? make a new one
        for where in (None, path.parent):  # the system temp folder, else next to the store
            try:
                folder = Path(tempfile.mkdtemp(prefix=".migprofile-serve-", dir=where))
            except OSError:
                continue
            try:
                os.link(path, folder / name)  # fails across file systems: try the next place
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            old = self._link_dirs.pop(path.parent, None)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self._link_dirs[path.parent] = folder
            weakref.finalize(self, shutil.rmtree, str(folder), True)
            return folder / name
        return None

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


def _close_all(snaps: list[Snapshot]) -> None:
    for snap in snaps:
        try:
            snap.store.close()
        except Exception as exc:  # closing must never fail a request
            log.debug("closing an old store connection: %s", exc)


class PinSnapshot:
    """ASGI middleware: each HTTP request reads one snapshot from its first byte to its last.

    Outermost, so the pin also covers streamed bodies; the holder is looked up per request
    (tests may swap `app.state.holder`).
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        holder = None
        if scope["type"] == "http":
            holder = getattr(scope["app"].state, "holder", None)
        if not isinstance(holder, StoreHolder):
            await self.app(scope, receive, send)
            return
        try:
            snap = holder.pin()
        except MigprofileError:  # no store: the routes answer 503 themselves
            await self.app(scope, receive, send)
            return
        token = _PINNED.set((holder, snap))
        try:
            await self.app(scope, receive, send)
        finally:
            _PINNED.reset(token)
            holder.unpin(snap)


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

    app.add_middleware(PinSnapshot)  # added last, so outermost

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
