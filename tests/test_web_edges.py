"""HTTP edges (issue 11, item 10): local Swagger UI under a strict CSP, HEAD and OPTIONS,
414/431 for oversize requests, a head read timeout, and the whole-indicator stream."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

import fixtures as fx
from migprofile.web import server

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def live(app, monkeypatch_module):
    monkeypatch_module.setattr(server, "HEAD_TIMEOUT", 1.0)
    port = fx.free_port()
    with fx.uvicorn_in_thread(server.config(app, "127.0.0.1", port, log_level="warning")):
        yield port


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _raw(port: int, data: bytes, timeout: float = 10) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        out = b""
        while chunk := s.recv(65536):
            out += chunk
        return out


def test_docs_page_local_assets_strict_csp(client):
    r = client.get("/api/docs")
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "unsafe-inline" not in csp.replace("style-src-attr 'unsafe-inline'", "")
    assert "http" not in csp and "http" not in r.text
    for name in ("swagger-ui-bundle.js", "swagger-ui.css", "docs-init.js"):
        asset = client.get(f"/api/docs/assets/{name}")
        assert asset.status_code == 200 and asset.content
    assert client.get("/api/docs/assets/..%2Fsecret").status_code == 404
    assert client.get("/api/redoc").status_code == 404


def test_head_and_options(client):
    for url in ("/api/geo", "/country/MDA", "/api/docs", "/"):
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]
        options = client.options(url)
        assert options.status_code == 204
        assert options.headers["allow"] == "GET, HEAD, OPTIONS"
        assert options.headers["x-content-type-options"] == "nosniff"
    assert client.options("/nothing/here").status_code == 404
    assert client.head("/api/indicators/refugees/data?format=csv").content == b""
    assert client.post("/api/geo").status_code == 405


def test_oversize_url_and_headers(client, live):
    assert client.get("/api/geo?q=" + "a" * 10_000).status_code == 414
    assert client.get("/api/geo", headers={"x-big": "a" * 40_000}).status_code == 431
    # a 1 MB query string through the real server: 414, not a reset
    out = _raw(live, b"GET /api/geo?q=" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 414")
    # larger than the server reads at all: still 414 / 431 and a closed connection
    out = _raw(live, b"GET /api/geo?q=" + b"a" * 1_300_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 414")
    head = b"GET /api/geo HTTP/1.1\r\nHost: x\r\n" + b"x-a: " + b"b" * 1_300_000 + b"\r\n\r\n"
    assert _raw(live, head).startswith(b"HTTP/1.1 431")


def test_half_open_client_is_dropped(live):
    start = time.monotonic()
    out = _raw(live, b"GET /api/geo HTTP/1.1\r\nHost: x\r\n")  # the head never ends
    assert out.startswith(b"HTTP/1.1 408")
    assert time.monotonic() - start < 5
    with socket.create_connection(("127.0.0.1", live), timeout=10) as s:  # sends nothing
        assert s.recv(100).startswith(b"HTTP/1.1 408")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_docs_render_offline_in_chromium(live):
    sync_api = pytest.importorskip("playwright.sync_api")
    base = f"http://127.0.0.1:{live}"
    blocked: list[str] = []

    def route(r):
        if r.request.url.startswith(base):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            page = browser.new_page()
            page.route("**/*", route)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(base + "/api/docs")
            page.wait_for_selector(".opblock-summary-path", timeout=30000)
            paths = page.locator(".opblock-summary-path").all_inner_texts()
            assert any("/api/indicators/{indicator_id}/data" in t for t in paths), paths
            assert page.locator(".opblock-get").count() >= 5
            assert not errors, errors
        finally:
            browser.close()
    assert not blocked, blocked


def test_whole_indicator_stream_same_rows_as_one_query(shared_store, monkeypatch):
    from migprofile.indicators import query as q

    # many small groups even on the test store (the country-pair table in fewer, larger ones:
    # it has ~100 times the rows)
    for ind, group_rows in (
        ("immigrant_stock", 500),
        ("migrant_stock", 20000),
        ("emigrant_pct", 300),
        ("refugees_hosted", 500),
    ):
        monkeypatch.setattr(q, "GROUP_ROWS", group_rows)
        sql, args = q.query_for(
            ind, geo=None, partner=None, year=None, sex="all", source=None, edition=None
        )
        whole = list(shared_store.batches(sql, args))
        streamed = list(q.stream_observations(shared_store, ind, None, sex="all", batch_size=7))
        assert streamed == whole, ind
