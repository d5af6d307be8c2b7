"""Shared by the benchmarks that drive a real `migprofile serve` (not a benchmark: `run` skips
files starting with `_`)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_server(base: str, server: subprocess.Popen, timeout: float) -> None:
    """Until `base/api/geo` answers; exits with a message when the server dies or times out."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(base + "/api/geo", timeout=2)
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("the server did not start")
            time.sleep(0.2)
