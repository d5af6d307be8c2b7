"""An in-process cache of whole responses, so a repeated read does no FastAPI or Pydantic work.

A raw ASGI middleware placed where the request's snapshot is already pinned (`state.PinSnapshot`)
and its language set (`languages.LanguagePrefix`), and outside the middleware that adds the ETag
and security headers, so an entry holds exactly the bytes a miss sent. The key is

    (snapshot, language, path, query string with its parameters sorted by name, Origin, Cookie?)

- the snapshot (`Snapshot.key`, unique per opened store file) makes a swap invalidate everything;
  entries of replaced snapshots are dropped when the swap goes live (`retain`);
- the language is the one LanguagePrefix chose (a prefix; `/` without one is English: a browser
  asking for another language was redirected before reaching here);
- parameters are sorted by decoded name with a stable sort, so repeated ones keep their order
  (`geo=A&geo=B` is not `geo=B&geo=A`); the ETag uses the same normalised query (`app._etag`);
- Origin (and whether a Cookie header came along) is part of the key because the CORS middleware
  answers differently with it. The app reads no other request header or cookie (the language
  cookie only steers LanguagePrefix's redirect of `/`, which happens before the cache).

Only 200 answers to GET are stored (HEAD is answered from the GET entry: same headers, no body),
without Set-Cookie or `no-store`, with bodies up to `max_entry_bytes` (a streamed CSV of a whole
indicator passes through and is dropped once it grows past that); the cache is an LRU bounded by
its total bytes. If-None-Match matching a stored ETag gets 304 from the cache.

It also counts requests per URL, so a new snapshot can be warmed with the most requested ones
(`warm`) before it goes live (see `state.StoreHolder`).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, unquote_plus

from migprofile.web.edges import MAX_HEADERS, MAX_URL
from migprofile.web.state import Snapshot, StoreHolder, pinned, pinned_snapshot
from migprofile.wording.i18n import current_language, reset_language, use_language

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)

ENV_ENABLED = "MIGPROFILE_RESPONSE_CACHE"  # "0" turns the cache off
ENV_MEGABYTES = "MIGPROFILE_RESPONSE_CACHE_MB"
DEFAULT_MEGABYTES = 64
MAX_ENTRY_BYTES = 2 * 1024 * 1024  # a larger body is sent but not kept
MAX_COUNTED_URLS = 4096  # request counts kept; past this only the top quarter survives
WARM_URLS = 48  # the most requested URLs replayed on a new snapshot
WARM_SECONDS = 20.0  # warming stops replaying after this (the swap never waits longer)
# headers a 304 carries over from the stored 200 (RFC 9110 15.4.5, plus the security ones)
_NOT_MODIFIED_DROP = {b"content-length", b"content-type", b"content-disposition"}


def normalised_query(query_string: bytes | str) -> str:
    """The query string with its parameters sorted by decoded name (stable: repeated names
    keep their order, which decides the value a route sees)."""
    text = query_string.decode("latin-1") if isinstance(query_string, bytes) else query_string
    if "&" not in text:
        return text
    parts = [p for p in text.split("&") if p]
    return "&".join(sorted(parts, key=lambda p: unquote_plus(p.partition("=")[0])))


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers") or ():
        if key == name:
            return bytes(value)
    return None


def _oversize(scope: Scope) -> bool:
    """What `edges.LimitsAndMethods` refuses (414/431) must reach it, hit or not."""
    url = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
    headers = sum(len(k) + len(v) + 4 for k, v in scope.get("headers", []))
    return url > MAX_URL or headers > MAX_HEADERS


def _etag_matches(header: bytes | None, etag: bytes | None) -> bool:
    if not header or not etag:
        return False
    tags = [t.strip().removeprefix(b"W/") for t in header.split(b",")]
    return b"*" in tags or etag in tags


@dataclass(frozen=True)
class Entry:
    """One stored 200 answer: its headers as sent and its body."""

    headers: list[tuple[bytes, bytes]]
    body: bytes
    etag: bytes | None

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


CacheKey = tuple[str, str, bytes, str, bytes, bool]
UrlKey = tuple[str, bytes, str]  # (language, path, normalised query)


class ResponseCache:
    """The entries and request counts of one app (one per worker process)."""

    def __init__(
        self,
        max_bytes: int | None = None,
        max_entry_bytes: int = MAX_ENTRY_BYTES,
        enabled: bool | None = None,
    ) -> None:
        if enabled is None:
            enabled = os.environ.get(ENV_ENABLED, "1").strip().lower() not in ("0", "off", "no")
        if max_bytes is None:
            try:
                mb = float(os.environ.get(ENV_MEGABYTES, DEFAULT_MEGABYTES))
            except ValueError:
                mb = DEFAULT_MEGABYTES
            max_bytes = int(mb * 1024 * 1024)
        self.enabled = enabled
        self.max_bytes = max_bytes
        self.max_entry_bytes = min(max_entry_bytes, max_bytes)
        self.hits = 0
        self.misses = 0
        self.stored_bytes = 0
        self._entries: OrderedDict[CacheKey, Entry] = OrderedDict()
        self._counts: dict[UrlKey, int] = {}
        self._lock = threading.Lock()
        self.endpoint: ASGIApp | None = None  # the middleware, set when the stack is built

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: CacheKey) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: CacheKey, entry: Entry) -> None:
        size = entry.size
        if size > self.max_entry_bytes + 64 * 1024:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.stored_bytes -= old.size
            self._entries[key] = entry
            self.stored_bytes += size
            while self.stored_bytes > self.max_bytes and self._entries:
                _key, dropped = self._entries.popitem(last=False)
                self.stored_bytes -= dropped.size

    def retain(self, snapshot_key: str) -> None:
        """Drop every entry of another snapshot (called when `snapshot_key` goes live)."""
        with self._lock:
            for key in [k for k in self._entries if k[0] != snapshot_key]:
                self.stored_bytes -= self._entries.pop(key).size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.stored_bytes = 0

    def count(self, url: UrlKey) -> None:
        with self._lock:
            self._counts[url] = self._counts.get(url, 0) + 1
            if len(self._counts) > MAX_COUNTED_URLS:
                top = sorted(self._counts.items(), key=lambda kv: -kv[1])[: MAX_COUNTED_URLS // 4]
                self._counts = dict(top)

    def most_requested(self, n: int = WARM_URLS) -> list[UrlKey]:
        with self._lock:
            ranked = sorted(self._counts.items(), key=lambda kv: -kv[1])
        return [url for url, _n in ranked[:n]]

    def warm(self, app: Any, holder: StoreHolder, snap: Snapshot) -> int:
        """Replay the most requested URLs against `snap` (not yet live), filling this cache and
        the snapshot's own caches (profiles, pages); returns how many were answered. Runs in
        the holder's warming thread, with an event loop of its own."""
        if self.endpoint is None:
            return 0  # no request has been served yet: nothing is known to be wanted
        urls = self.most_requested()
        if not urls:
            return 0
        return asyncio.run(self._replay(app, holder, snap, urls, time.monotonic() + WARM_SECONDS))

    async def _replay(
        self, app: Any, holder: StoreHolder, snap: Snapshot, urls: list[UrlKey], deadline: float
    ) -> int:
        endpoint = self.endpoint
        assert endpoint is not None
        done = 0
        for lang, path, query in urls:
            if time.monotonic() > deadline:
                log.info("warming stopped after %d of %d URLs (time budget)", done, len(urls))
                break
            scope = {
                "type": "http",
                "asgi": {"version": "3.0", "spec_version": "2.3"},
                "http_version": "1.1",
                "method": "GET",
                "scheme": "http",
                "path": unquote(path.decode("latin-1")),
                "raw_path": path,
                "query_string": query.encode("latin-1"),
                "root_path": "",
                "headers": [(b"host", b"127.0.0.1")],
                "client": ("127.0.0.1", 0),
                "server": ("127.0.0.1", 0),
                "app": app,
                "state": {},
            }
            status: list[int] = []

            async def receive() -> Message:
                return {"type": "http.request", "body": b"", "more_body": False}

            async def send(message: Message, status: list[int] = status) -> None:
                if message["type"] == "http.response.start":
                    status.append(int(message["status"]))

            token = use_language(lang)
            try:
                with pinned(holder, snap):
                    await endpoint(scope, receive, send)
            except Exception as exc:  # warming must never stop the swap
                log.warning("warming %s failed: %s", path.decode("latin-1"), exc)
            finally:
                reset_language(token)
            done += bool(status and status[0] == 200)
        return done


class ResponseCacheMiddleware:
    """The ASGI face of a `ResponseCache` (see the module docstring for what is stored)."""

    def __init__(self, app: ASGIApp, cache: ResponseCache) -> None:
        self.app = app
        self.cache = cache
        cache.endpoint = self

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        cache = self.cache
        method = scope.get("method")
        if scope["type"] != "http" or method not in ("GET", "HEAD") or not cache.enabled:
            await self.app(scope, receive, send)
            return
        snap = pinned_snapshot()
        if snap is None or _oversize(scope):  # no store (503); 414/431 answered inside
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or str(scope.get("path") or "/").encode("utf-8")
        query = normalised_query(scope.get("query_string") or b"")
        lang = current_language()
        origin = _header(scope, b"origin") or b""
        key: CacheKey = (
            snap.key,
            lang,
            path,
            query,
            origin,
            bool(origin and _header(scope, b"cookie")),
        )
        entry = cache.get(key)
        if entry is not None:
            cache.count((lang, path, query))
            if _etag_matches(_header(scope, b"if-none-match"), entry.etag):
                headers = [(k, v) for k, v in entry.headers if k not in _NOT_MODIFIED_DROP]
                await send({"type": "http.response.start", "status": 304, "headers": headers})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
            body = entry.body if method == "GET" else b""
            await send({"type": "http.response.body", "body": body})
            return
        if method == "HEAD":
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, self._capturing(send, key, (lang, path, query)))

    def _capturing(self, send: Send, key: CacheKey, url: UrlKey) -> Send:
        """`send`, keeping a copy of a cacheable answer and storing it once it is complete."""
        cache = self.cache
        headers: list[tuple[bytes, bytes]] | None = None
        etag: bytes | None = None
        chunks: list[bytes] = []
        size = 0

        async def capture(message: Message) -> None:
            nonlocal headers, etag, size
            kind = message["type"]
            if kind == "http.response.start":
                head = [(bytes(k).lower(), bytes(v)) for k, v in message.get("headers") or ()]
                control = b",".join(v for k, v in head if k == b"cache-control").lower()
                if (
                    message["status"] == 200
                    and b"no-store" not in control
                    and b"private" not in control
                    and not any(k == b"set-cookie" for k, _v in head)
                ):
                    headers = head
                    etag = next((v for k, v in head if k == b"etag"), None)
            elif kind == "http.response.body" and headers is not None:
                body = bytes(message.get("body") or b"")
                size += len(body)
                if size > cache.max_entry_bytes:
                    headers, chunks[:] = None, []  # too large: sent, not kept
                else:
                    chunks.append(body)
                    if not message.get("more_body"):
                        cache.put(key, Entry(headers, b"".join(chunks), etag))
                        cache.count(url)
            await send(message)

        return capture
