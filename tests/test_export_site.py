"""`export_site`: the portal as static files, served by `python -m http.server`, same pages."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

import fixtures as fx
from migprofile.errors import UsageError
from migprofile.web import create_app
from migprofile.web.export import export_site, html_links, page_file, safe_target, site_path

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
NO_PAGES = "the app has no '/' page yet (web/pages.py not wired in): only the API was exported"


@pytest.fixture(scope="module")
def db(shared_store, module_home) -> Path:
    return module_home / "migprofile.duckdb"


@pytest.fixture(scope="module")
def exported(db, tmp_path_factory):
    out = tmp_path_factory.mktemp("site") / "out"
    messages: list[str] = []
    count = export_site(out, db_path=db, progress=messages.append)
    return out, count, messages


@pytest.fixture(scope="module")
def live(db):
    # the portal the export drives: English alone (export_site's default), no language switch
    with TestClient(create_app(db, languages=["en"])) as client:
        yield client


@pytest.fixture(scope="module")
def served(exported):
    out = exported[0]
    port = fx.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "http.server", "--bind", "127.0.0.1", str(port), "-d", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        fx.wait_until_up(base + "/api/geo.json", alive=lambda: proc.poll() is None)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_count_matches_files_and_nothing_outside(exported):
    out, count, _ = exported
    files = [p for p in out.rglob("*") if p.is_file()]
    assert count == len(files)
    root = out.resolve()
    for p in files:
        assert p.resolve().is_relative_to(root)
        assert not p.name.endswith(".part")
    # corridor pages only with include_corridors=True (tests/test_corridors.py)
    assert (out / "country" / "MDA" / "index.html").is_file()
    assert not (out / "corridor").exists()
    # the export folder's parent holds nothing but the export
    assert [p.name for p in out.parent.iterdir()] == ["out"]


def test_api_json_layout(exported, live):
    out = exported[0]
    geo = json.loads((out / "api" / "geo.json").read_text("utf-8"))
    assert geo == live.get("/api/geo").json()
    indicators = json.loads((out / "api" / "indicators.json").read_text("utf-8"))
    assert indicators == live.get("/api/indicators").json()
    for item in indicators:
        one = json.loads((out / "api" / "indicators" / f"{item['id']}.json").read_text("utf-8"))
        assert one == item
    for row in geo:
        assert (out / "api" / "geo" / f"{row['geo']}.json").is_file()
    mda = json.loads((out / "api" / "geo" / "MDA.json").read_text("utf-8"))
    assert mda["geo"] == "MDA" and mda["kind"] == "country"
    assert (out / "api" / "openapi.json").is_file()


def _unstamped(value):
    """A profile (JSON or HTML) without its generation time, which differs run to run."""
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k != "generated_at"}
    return STAMP.sub("<time>", value)


def _immigrant_stock(profile: dict):
    """The 2020 immigrant stock figure wherever the profile JSON keeps it."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("indicator") == "immigrant_stock" or node.get("id") == "immigrant_stock":
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(profile)
    return found


def test_static_profile_json_served(served, live):
    r = httpx.get(served + "/api/profiles/MDA.json", timeout=10)
    assert r.status_code == 200
    body = r.json()
    assert _unstamped(body) == _unstamped(live.get("/api/profiles/MDA").json())
    figures = _immigrant_stock(body)
    assert any(f.get("value") == 104438 and f.get("year") == 2020 for f in figures), figures[:3]


def test_home_and_profile_pages_served(served, exported, live):
    if live.get("/").status_code != 200:
        pytest.skip(NO_PAGES)
    home = httpx.get(served + "/", timeout=10)
    assert home.status_code == 200
    assert home.headers["content-type"].startswith("text/html")
    assert home.content == live.get("/").content
    page = httpx.get(served + "/country/MDA/", timeout=10)
    assert page.status_code == 200
    assert _unstamped(page.text) == _unstamped(live.get("/country/MDA").text)
    assert "Republic of Moldova" in page.text
    # http.server redirects the slash-less URL the live portal uses to the folder
    moved = httpx.get(served + "/country/MDA", timeout=10, follow_redirects=True)
    assert moved.status_code == 200 and moved.content == page.content
    # every same-site link of the profile without a query works on the static host (not PDFs,
    # not corridor pages: both only when asked for)
    broken = []
    for link in html_links(page.text):
        path = site_path(link, "/country/MDA")
        if path is None or path.startswith(("/pdf/", "/api/docs", "/corridor/")):
            continue
        r = httpx.get(served + path, timeout=10, follow_redirects=True)
        if r.status_code != 200:
            broken.append((path, r.status_code))
    assert not broken


def test_path_mapping_and_guards(tmp_path):
    assert page_file("/", "text/html; charset=utf-8") == ["index.html"]
    assert page_file("/country/MDA", "text/html") == ["country", "MDA", "index.html"]
    assert page_file("/static/vega-bundle.js", "text/javascript") == ["static", "vega-bundle.js"]
    assert page_file("/download/MDA.zip", "application/zip") == ["download", "MDA.zip"]
    assert page_file("/api/geo", "application/json") == ["api", "geo.json"]
    assert page_file("/api/profiles/MDA", "application/json") == ["api", "profiles", "MDA.json"]
    assert page_file("/api/openapi.json", "application/json") == ["api", "openapi.json"]
    assert site_path("country/ARM/", "/") == "/country/ARM"
    assert site_path("../static/x.png", "/country/MDA") == "/static/x.png"
    assert site_path("/compare?geo=MDA,ARM") is None
    assert site_path("https://example.org/") is None
    assert site_path("mailto:a@b.org") is None
    assert site_path("/about#team") == "/about"
    for bad in ("/%2e%2e/etc/passwd", "/a/..%2f..%2fx", "/a%00b", "/a%5c..%5cb"):
        with pytest.raises(UsageError):
            page_file(bad, "text/html")
    with pytest.raises(UsageError):
        safe_target(tmp_path, ["..", "x"])
    (tmp_path / "inside").mkdir()
    (tmp_path / "inside" / "link").symlink_to(tmp_path.parent)
    with pytest.raises(UsageError):
        safe_target(tmp_path / "inside", ["link", "escape.html"])
