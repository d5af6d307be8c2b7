"""ASGI middleware for the edges of HTTP: HEAD and OPTIONS, oversize requests, slow readers.

- **HEAD** is answered as GET without the body (same status and headers, Content-Length
  included); the handler is told the client left as soon as the head is sent, so a streamed
  body is not produced for nobody.
- **OPTIONS** (other than a CORS preflight, which the CORS middleware answers) gets 204 with
  `Allow: GET, HEAD, OPTIONS` on every path a GET would match, else 404.
- **414** when path + query string exceed `MAX_URL` bytes, **431** when the headers exceed
  `MAX_HEADERS` bytes (the server refuses still larger heads itself: `web.server`).
- **slow readers**: a response message the client does not take within `SEND_TIMEOUT`
  seconds abandons the response (the server then closes the connection).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from migprofile.wording import _

MAX_URL = 8 * 1024
MAX_HEADERS = 32 * 1024
SEND_TIMEOUT = 60.0
ALLOW = "GET, HEAD, OPTIONS"


def no_store_hint() -> str:
    """What a portal over a fresh data home says (pages and API alike): how to get data."""
    return _(
        "No data yet — run `migprofile ingest` to download the publishers' files, or "
        "`migprofile ingest --raw-dir DIR --offline` to read files you already have."
    )


async def _answer(send: Send, status: int, detail: str | None, headers: list | None = None) -> None:
    body = b"" if detail is None else json.dumps({"detail": detail}).encode("utf-8")
    head = [(b"content-length", str(len(body)).encode("ascii"))]
    if detail is not None:
        head.append((b"content-type", b"application/json"))
    await send({"type": "http.response.start", "status": status, "headers": head + (headers or [])})
    await send({"type": "http.response.body", "body": body})


class LimitsAndMethods:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url_size = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
        if url_size > MAX_URL:
            await _answer(send, 414, f"request URL too long (over {MAX_URL} bytes)")
            return
        if sum(len(k) + len(v) + 4 for k, v in scope.get("headers", [])) > MAX_HEADERS:
            await _answer(send, 431, f"request headers too large (over {MAX_HEADERS} bytes)")
            return
        method = scope.get("method")
        if method == "OPTIONS" and not _is_preflight(scope):
            if self._get_matches(scope):
                await _answer(send, 204, None, [(b"allow", ALLOW.encode("ascii"))])
            else:
                await _answer(send, 404, "Not Found")
            return
        if method == "HEAD":
            await self._head(scope, receive, send)
            return
        await self.app(scope, receive, _timed(send))

    def _get_matches(self, scope: Scope) -> bool:
        app: Any = scope.get("app")
        probe = {**scope, "method": "GET"}
        for route in getattr(app, "routes", []):
            match, _child = route.matches(probe)
            if match is Match.FULL:
                return True
        return False

    async def _head(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False
        timed = _timed(send)

        async def head_receive() -> Message:
            if started:  # the head is out: nothing more is wanted from the handler
                return {"type": "http.disconnect"}
            return await receive()

        async def head_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                await timed(message)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await timed({"type": "http.response.body", "body": b""})

        await self.app({**scope, "method": "GET"}, head_receive, head_send)


def _is_preflight(scope: Scope) -> bool:
    names = {k.lower() for k, _v in scope.get("headers", [])}
    return b"origin" in names and b"access-control-request-method" in names


def _timed(send: Send) -> Send:
    async def timed_send(message: Message) -> None:
        await asyncio.wait_for(send(message), SEND_TIMEOUT)

    return timed_send
