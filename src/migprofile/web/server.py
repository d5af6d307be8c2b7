"""Running the portal: uvicorn with limits and timeouts, so no client can hold the server.

What was chosen (uvicorn's h11 protocol, extended by `GuardedH11Protocol`):
- **request head**: at most `MAX_HEAD` bytes (request line + headers; h11's
  `max_incomplete_event_size`). A longer head gets **414** when the request line itself is
  too long (a huge URL or query string), else **431**, and the connection is closed — never a
  reset. Below that limit the app checks the URL (`MAX_URL`, 414) and the headers
  (`MAX_HEADERS`, 431) itself (`app.LimitsAndMethods`), so the answer is the same with any server.
- **head read timeout**: a request whose head is not complete `HEAD_TIMEOUT` seconds after
  its first byte (or after the connection opened) gets **408** and the connection is closed
  (a slowloris or half-open client). Bodies: no route accepts one (the portal is read-only).
- **keep-alive**: an idle kept-alive connection is closed after `KEEP_ALIVE` seconds.
- **slow readers**: every response message must be taken by the client within
  `app.SEND_TIMEOUT` seconds, else the response is abandoned and the connection closed.
- **concurrency**: at most `MAX_CONNECTIONS` connections/tasks; more get 503.
- **workers**: `run_workers` starts N processes on one socket (uvicorn's supervisor; the app
  built by `migprofile.web.portal_app` in each), each with its own store connection and
  response cache.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

MAX_HEAD = 1024 * 1024 + 64 * 1024  # a 1 MB query string is still read, and answered 414
HEAD_TIMEOUT = 10.0
KEEP_ALIVE = 5
LINGER = 2.0
MAX_CONNECTIONS = 400


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a head read timeout and 414/431 for an oversize head."""

    _head_timer: asyncio.TimerHandle | None = None
    _discarding = False

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._discarding:  # refused: the rest of the request is read and dropped
            return
        super().data_received(data)
        if self.transport.is_closing():
            self._cancel_head_timer()
        elif self.conn.their_state is h11.IDLE and data:
            self._arm_head_timer()  # a head has begun (or is still incomplete)
        else:
            self._cancel_head_timer()

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(HEAD_TIMEOUT, self._head_timed_out)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        if self.cycle is not None and not self.cycle.response_complete:
            return  # a response is still being sent: its own timeouts apply
        self._send_error(408, b"request head not received in time")

    def send_400_response(self, msg: str) -> None:
        buffered, _closed = self.conn.trailing_data
        if len(buffered) > MAX_HEAD:
            line_done = b"\n" in buffered[: MAX_HEAD + 2]
            if not line_done or buffered.index(b"\n") > MAX_HEAD // 2:
                self._send_error(414, b"request URL too long")
            else:
                self._send_error(431, b"request headers too large")
            return
        super().send_400_response(msg)

    def _send_error(self, status: int, text: bytes) -> None:
        self._cancel_head_timer()
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close")]
        try:
            conn = h11.Connection(h11.SERVER)  # the client's half may be broken: a fresh one
            conn.receive_data(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            conn.next_event()
            out = conn.send(h11.Response(status_code=status, headers=headers))
            out = (out or b"") + (conn.send(h11.Data(data=text)) or b"")
            out += conn.send(h11.EndOfMessage()) or b""
            self.transport.write(out)
            # a lingering close: the answer is sent and the write side shut, what the client
            # is still sending is read and dropped for a moment (closing at once with unread
            # data would make the kernel send a reset, and the client never see the answer)
            self._discarding = True
            if self.transport.can_write_eof():
                self.transport.write_eof()
            self.loop.call_later(LINGER, self.transport.close)
        except Exception:
            self.transport.close()
            raise


ENV_DB = "MIGPROFILE_SERVE_DB"  # the store a worker process serves (set by `run`)


def _options(**extra: Any) -> dict[str, Any]:
    return {
        "http": GuardedH11Protocol,
        "h11_max_incomplete_event_size": MAX_HEAD,
        "timeout_keep_alive": KEEP_ALIVE,
        "limit_concurrency": MAX_CONNECTIONS,
        "proxy_headers": True,
        "server_header": False,
        **extra,
    }


def config(app: Any, host: str = "127.0.0.1", port: int = 8000, **extra: Any) -> uvicorn.Config:
    """The uvicorn configuration the portal runs with (see the module docstring)."""
    return uvicorn.Config(app, host=host, port=port, **_options(**extra))


def run_workers(factory: str, workers: int, host: str, port: int, db_path: Path | None) -> None:
    """`workers` processes on one socket, each building its app with `factory` (an import
    string of a function without arguments reading the store path from `ENV_DB`)."""
    if db_path is not None:
        os.environ[ENV_DB] = str(db_path)
    uvicorn.run(factory, factory=True, workers=workers, host=host, port=port, **_options())
