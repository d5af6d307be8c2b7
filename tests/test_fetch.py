"""Tests for migprofile.fetch against a scripted HTTP server on 127.0.0.1."""

from __future__ import annotations

import hashlib
import json
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from migprofile import fetch as fetch_mod
from migprofile.fetch import FetchedFile, FetchError, fetch

WORKBOOK = b"PK\x03\x04" + bytes(range(256)) * 40  # ~10 KB, zip-like magic


@dataclass
class Resp:
    """One scripted response. ``content_length`` overrides the real body length."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_length: int | None = None
    trickle: float = 0.0  # seconds to wait before each 64-byte piece of the body (slow server)


class Server:
    """Responses are scripted per path; each request consumes the next one, the last
    one repeats forever."""

    def __init__(self) -> None:
        self.routes: dict[str, list[Resp]] = {}
        self.hits: Counter[str] = Counter()
        self.user_agents: list[str] = []
        self.lock = threading.Lock()
        self.httpd: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.httpd is not None
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def script(self, path: str, *responses: Resp) -> str:
        self.routes[path] = list(responses)
        return self.url(path)

    def next_response(self, path: str) -> Resp:
        with self.lock:
            self.hits[path] += 1
            queue = self.routes.get(path)
            if not queue:
                return Resp(status=404, body=b"not found")
            return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)


@pytest.fixture
def server():
    srv = Server()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            srv.user_agents.append(self.headers.get("User-Agent", ""))
            resp = srv.next_response(path)
            self.send_response(resp.status)
            length = len(resp.body) if resp.content_length is None else resp.content_length
            self.send_header("Content-Length", str(length))
            headers = {"Content-Type": "application/octet-stream", **resp.headers}
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            if resp.trickle:
                try:
                    for i in range(0, len(resp.body), 64):
                        time.sleep(resp.trickle)
                        self.wfile.write(resp.body[i : i + 64])
                        self.wfile.flush()
                except OSError:
                    return  # the client gave up: as a real slow server would see it
            else:
                self.wfile.write(resp.body)
            self.wfile.flush()
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    srv.httpd = httpd
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield srv
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def delays(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record retry delays instead of sleeping."""
    recorded: list[float] = []
    monkeypatch.setattr(fetch_mod, "_sleep", recorded.append)
    return recorded


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def leftovers(cache_dir: Path) -> list[str]:
    return sorted(p.name for p in cache_dir.iterdir()) if cache_dir.exists() else []


def test_success_then_cache_hit_without_network(server: Server, tmp_path: Path) -> None:
    url = server.script("/data/WPP2024.xlsx", Resp(body=WORKBOOK))
    seen: list[tuple[int, int | None]] = []

    got = fetch(url, tmp_path, progress=lambda done, total: seen.append((done, total)))

    assert isinstance(got, FetchedFile)
    assert got.path == tmp_path / "WPP2024.xlsx"
    assert got.path.read_bytes() == WORKBOOK
    assert got.sha256 == sha(WORKBOOK)
    assert got.bytes == len(WORKBOOK)
    assert got.url == got.final_url == url
    assert got.from_cache is False
    assert got.retrieved_at.endswith("Z") and "T" in got.retrieved_at
    assert seen and seen[-1] == (len(WORKBOOK), len(WORKBOOK))

    record = json.loads((tmp_path / "WPP2024.xlsx.origin.json").read_text())
    assert record == {
        "url": url,
        "final_url": url,
        "sha256": sha(WORKBOOK),
        "bytes": len(WORKBOOK),
        "retrieved_at": got.retrieved_at,
    }
    assert leftovers(tmp_path) == ["WPP2024.xlsx", "WPP2024.xlsx.origin.json"]

    again = fetch(url, tmp_path)
    assert again.from_cache is True
    assert again.sha256 == got.sha256 and again.path == got.path
    assert again.retrieved_at == got.retrieved_at
    assert server.hits["/data/WPP2024.xlsx"] == 1

    refreshed = fetch(url, tmp_path, refresh=True)
    assert refreshed.from_cache is False
    assert server.hits["/data/WPP2024.xlsx"] == 2


def test_retries_5xx_with_exponential_backoff(
    server: Server, tmp_path: Path, delays: list[float]
) -> None:
    url = server.script(
        "/wdi.zip",
        Resp(status=503, body=b"busy"),
        Resp(status=500, body=b"oops"),
        Resp(body=WORKBOOK),
    )
    got = fetch(url, tmp_path, backoff=0.01)
    assert got.path.read_bytes() == WORKBOOK
    assert server.hits["/wdi.zip"] == 3
    assert delays == [0.01, 0.02]


def test_429_honours_retry_after(server: Server, tmp_path: Path, delays: list[float]) -> None:
    url = server.script(
        "/rate.csv",
        Resp(status=429, body=b"slow down", headers={"Retry-After": "1"}),
        Resp(body=b"a,b\n1,2\n"),
    )
    got = fetch(url, tmp_path, backoff=0.01)
    assert delays == [1.0]
    assert got.path.read_bytes() == b"a,b\n1,2\n"
    assert server.hits["/rate.csv"] == 2


def test_retry_after_is_capped(server: Server, tmp_path: Path, delays: list[float]) -> None:
    url = server.script(
        "/capped.csv",
        Resp(status=503, headers={"Retry-After": "3600"}),
        Resp(body=b"x\n"),
    )
    fetch(url, tmp_path)
    assert delays == [60.0]


def test_truncated_body_is_retried(server: Server, tmp_path: Path, delays: list[float]) -> None:
    url = server.script(
        "/big.zip",
        Resp(body=WORKBOOK[:100], content_length=len(WORKBOOK)),
        Resp(body=WORKBOOK),
    )
    got = fetch(url, tmp_path, backoff=0.01)
    assert got.path.read_bytes() == WORKBOOK
    assert got.bytes == len(WORKBOOK)
    assert server.hits["/big.zip"] == 2
    assert len(delays) == 1
    assert leftovers(tmp_path) == ["big.zip", "big.zip.origin.json"]


def test_always_truncated_fails_and_leaves_nothing(
    server: Server, tmp_path: Path, delays: list[float]
) -> None:
    url = server.script("/big.zip", Resp(body=WORKBOOK[:100], content_length=len(WORKBOOK)))
    with pytest.raises(FetchError) as exc:
        fetch(url, tmp_path, retries=2, backoff=0.01)
    msg = str(exc.value)
    assert url in msg and "3 attempts" in msg
    assert "truncated" in msg
    assert server.hits["/big.zip"] == 3
    assert delays == [0.01, 0.02]
    assert leftovers(tmp_path) == []


def test_checksum_changed(server: Server, tmp_path: Path) -> None:
    url = server.script("/WPP2024.xlsx", Resp(body=b"PK revised workbook"))
    expected = sha(WORKBOOK)
    with pytest.raises(FetchError, match="checksum changed") as exc:
        fetch(url, tmp_path, expected_sha256=expected)
    assert expected in str(exc.value) and sha(b"PK revised workbook") in str(exc.value)
    assert leftovers(tmp_path) == []


def test_checksum_match_is_accepted(server: Server, tmp_path: Path) -> None:
    url = server.script("/WPP2024.xlsx", Resp(body=WORKBOOK))
    got = fetch(url, tmp_path, expected_sha256=sha(WORKBOOK).upper())
    assert got.sha256 == sha(WORKBOOK)


def test_refresh_with_changed_content_keeps_new_file(server: Server, tmp_path: Path) -> None:
    url = server.script("/WPP2024.xlsx", Resp(body=WORKBOOK), Resp(body=b"PK revised"))
    first = fetch(url, tmp_path)
    second = fetch(url, tmp_path, refresh=True)
    assert second.sha256 == sha(b"PK revised") != first.sha256
    assert second.path.read_bytes() == b"PK revised"
    record = json.loads((tmp_path / "WPP2024.xlsx.origin.json").read_text())
    assert record["sha256"] == second.sha256


@pytest.mark.parametrize(
    "resp",
    [
        Resp(
            body=b"<!DOCTYPE html><html><body>Maintenance</body></html>",
            headers={"Content-Type": "text/html; charset=utf-8"},
        ),
        Resp(body=b"\n  <html><body>Login required</body></html>"),  # wrong type, sniffed
    ],
    ids=["content-type", "sniffed"],
)
def test_html_page_instead_of_workbook(
    server: Server, tmp_path: Path, delays: list[float], resp: Resp
) -> None:
    url = server.script("/file.xlsx", resp)
    with pytest.raises(FetchError, match="HTML") as exc:
        fetch(url, tmp_path)
    assert url in str(exc.value)
    assert server.hits["/file.xlsx"] == 1
    assert delays == []
    assert leftovers(tmp_path) == []


def test_404_fails_immediately(server: Server, tmp_path: Path, delays: list[float]) -> None:
    url = server.script("/missing.xlsx", Resp(status=404, body=b"nope"))
    with pytest.raises(FetchError, match="404") as exc:
        fetch(url, tmp_path)
    assert url in str(exc.value)
    assert server.hits["/missing.xlsx"] == 1
    assert delays == []
    assert leftovers(tmp_path) == []


def test_redirect_is_followed(server: Server, tmp_path: Path) -> None:
    server.script("/new/WDI_CSV.zip", Resp(body=WORKBOOK))
    url = server.script("/WDI_CSV.zip", Resp(status=302, headers={"Location": "/new/WDI_CSV.zip"}))
    got = fetch(url, tmp_path)
    assert got.url == url
    assert got.final_url == server.url("/new/WDI_CSV.zip")
    assert got.path == tmp_path / "WDI_CSV.zip"
    assert got.path.read_bytes() == WORKBOOK


def test_redirect_loop(server: Server, tmp_path: Path, delays: list[float]) -> None:
    url = server.script("/loop.zip", Resp(status=302, headers={"Location": "/loop.zip"}))
    with pytest.raises(FetchError, match="redirect") as exc:
        fetch(url, tmp_path)
    assert url in str(exc.value)
    assert delays == []
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize(
    "disposition",
    [
        'attachment; filename="../evil.xlsx"',
        'attachment; filename="..\\\\evil.xlsx"',
        "attachment; filename*=UTF-8''..%2F..%2Fevil.xlsx",
    ],
)
def test_content_disposition_cannot_escape_cache(
    server: Server, tmp_path: Path, disposition: str
) -> None:
    cache = tmp_path / "cache"
    url = server.script(
        "/download", Resp(body=WORKBOOK, headers={"Content-Disposition": disposition})
    )
    got = fetch(url, cache)
    assert got.path == cache / "evil.xlsx"
    assert got.path.read_bytes() == WORKBOOK
    assert not (tmp_path / "evil.xlsx").exists()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        "evil.xlsx",
        "evil.xlsx.origin.json",
    ]
    # The second call finds the file saved under the server's name via its sidecar.
    assert fetch(url, cache).from_cache is True
    assert server.hits["/download"] == 1


def test_explicit_filename_must_be_plain(server: Server, tmp_path: Path) -> None:
    url = server.script("/x.csv", Resp(body=b"x\n"))
    with pytest.raises(ValueError):
        fetch(url, tmp_path, filename="../x.csv")
    got = fetch(url, tmp_path, filename="renamed.csv")
    assert got.path == tmp_path / "renamed.csv"
    assert server.hits["/x.csv"] == 1


def test_corrupted_cache_is_redownloaded(server: Server, tmp_path: Path) -> None:
    url = server.script("/WPP2024.xlsx", Resp(body=WORKBOOK))
    first = fetch(url, tmp_path)
    first.path.write_bytes(WORKBOOK[:-10] + b"corrupted!")

    again = fetch(url, tmp_path)
    assert again.from_cache is False
    assert again.path.read_bytes() == WORKBOOK
    assert again.sha256 == sha(WORKBOOK)
    assert server.hits["/WPP2024.xlsx"] == 2
    assert fetch(url, tmp_path).from_cache is True
    assert server.hits["/WPP2024.xlsx"] == 2


def test_connection_refused_gives_up(tmp_path: Path, delays: list[float]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/gone.zip"
    with pytest.raises(FetchError) as exc:
        fetch(url, tmp_path, retries=2, backoff=0.01, timeout=2)
    assert url in str(exc.value) and "3 attempts" in str(exc.value)
    assert "Connect" in str(exc.value)
    assert delays == [0.01, 0.02]
    assert leftovers(tmp_path) == []


def test_slow_trickle_within_the_timeout_succeeds(server: Server, tmp_path: Path) -> None:
    body = b"PK" + bytes(range(256)) * 2  # ~514 bytes in 9 pieces, 0.05 s apart
    url = server.script("/slow.xlsx", Resp(body=body, trickle=0.05))
    got = fetch(url, tmp_path, timeout=2.0, backoff=0.01)
    assert got.path.read_bytes() == body and got.sha256 == sha(body)
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob(".*.part"))


def test_stalled_download_times_out_retries_and_keeps_nothing(
    server: Server, tmp_path: Path, delays: list[float]
) -> None:
    body = b"PK" + bytes(range(256)) * 2
    url = server.script("/stall.xlsx", Resp(body=body, trickle=1.0))  # a piece a second
    with pytest.raises(FetchError, match=r"stall\.xlsx"):
        fetch(url, tmp_path, timeout=0.3, retries=1, backoff=0.01)
    assert server.hits["/stall.xlsx"] == 2
    assert not (tmp_path / "stall.xlsx").exists() and leftovers(tmp_path) == []


def test_requests_look_like_a_browser_and_name_migprofile(server: Server, tmp_path: Path) -> None:
    """www.un.org refuses non-browser agents (403): every request, from fetch's own client or
    from a caller's client left on httpx's default agent, carries a browser's tokens and ours."""
    import httpx

    url = server.script(
        "/files/undesa_pd_2024_ims_stock_by_sex_and_origin.xlsx", Resp(body=WORKBOOK)
    )
    fetch(url, tmp_path / "own")
    with httpx.Client() as client:
        fetch(url, tmp_path / "callers", client=client)
    assert len(server.user_agents) == 2
    for agent in server.user_agents:
        assert re.fullmatch(r"Mozilla/5\.0 \(.+\) .+ migprofile/\S+", agent), agent
        assert "python-httpx" not in agent
