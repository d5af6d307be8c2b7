"""The web portal's HTML pages (migprofile.web.pages), and the whole flow in a real Chromium."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
import uvicorn

import fixtures as fx

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def specs(html: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S)
    return [json.loads(b) for b in blocks]


def test_home_lists_countries_and_groupings(client):
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    html = r.text
    assert 'href="/country/MDA"' in html
    for gid in ("south-caucasus", "central-asia", "eastern-partnership", "western-balkans"):
        assert f'href="/region/{gid}"' in html
    assert 'href="/region/world"' in html
    assert "Immigrant stock" in html or "immigrant" in html.lower()
    assert "UN DESA 2020" in html  # headline figures are cited
    for link in ("/indicators", "/sources", "/about", "/compare?geo="):
        assert f'href="{link}' in html
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_search_finds_moldova_by_name_variant(client):
    # an exact name goes straight to its page (tests/test_portal_edges.py: the 303 itself)
    for q in ("Moldova", "moldova", "Republic of Moldova", "MDA"):
        r = client.get("/search", params={"q": q})
        assert r.url.path == "/country/MDA", q
    r = client.get("/search", params={"q": "central asia"})
    assert r.url.path == "/region/central-asia"
    html = client.get("/search", params={"q": "Moldo"}).text
    assert 'href="/country/MDA"' in html
    html = client.get("/search", params={"q": "remittance"}).text
    assert 'href="/indicators/remittances_received_usd"' in html


def test_hostile_search_is_escaped(client):
    r = client.get("/search", params={"q": "<script>alert(1)</script>"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    r = client.get("/search", params={"q": "x" * 5000})
    assert r.status_code == 400
    assert "x" * 200 not in r.text


def test_country_profile_page(client):
    r = client.get("/country/MDA")
    assert r.status_code == 200
    html = r.text
    assert "Republic of Moldova" in html
    assert "Key facts" in html and "104" in html  # immigrant stock 104,438 → 104K
    for link in (
        "/download/MDA.zip",
        "/api/profiles/MDA",
        "/api/indicators/immigrant_stock/data?geo=MDA&amp;format=csv",
        "/pdf/MDA.pdf",
        "/static/vega-bundle.js",
    ):
        assert link in html, link
    assert len(specs(html)) >= 3
    assert "script-src 'self'" in r.headers["content-security-policy"]
    # the linked JSON and CSV work
    assert client.get("/api/profiles/MDA").status_code == 200
    csv_text = client.get("/api/indicators/immigrant_stock/data?geo=MDA&format=csv").text
    assert "104438" in csv_text


def test_country_aliases_redirect_and_unknown_suggests(client):
    r = client.get("/country/mda", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "/country/MDA"
    r = client.get("/country/Moldva")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Did you mean" in r.text and "Republic of Moldova" in r.text
    r = client.get("/country/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code == 404 and "<script>alert" not in r.text
    r = client.get("/region/centrl-asia")
    assert r.status_code == 404 and "Central Asia" in r.text


def test_region_page_shows_coverage(client):
    r = client.get("/region/central-asia")
    assert r.status_code == 200
    assert "Central Asia" in r.text
    assert "members report" in r.text
    assert "Kazakhstan" in r.text


def test_compare_three_series(client):
    r = client.get("/compare?geo=MDA,ARM,GEO&indicator=emigrant_stock")
    assert r.status_code == 200
    [spec] = specs(r.text)
    values = spec["vconcat"][0]["data"]["values"]
    assert {v["series"] for v in values} == {"Republic of Moldova", "Armenia", "Georgia"}
    assert "Source: " in r.text
    r = client.get("/compare?geo=MDA,ARM&indicator=emigrant_stock&from=2000&to=2010")
    [spec] = specs(r.text)
    assert all(2000 <= v["year"] <= 2010 for v in spec["vconcat"][0]["data"]["values"])


@pytest.mark.parametrize(
    ("query", "status", "text"),
    [
        ("geo=MDA&indicator=emigrant_stok", 404, "Did you mean"),
        ("geo=Moldva&indicator=emigrant_stock", 404, "Republic of Moldova"),
        ("geo=MDA&indicator=emigrant_stock&from=20x0", 400, "from"),
        ("geo=MDA&indicator=emigrant_stock&from=2020&to=2000", 400, "after"),
        ("geo=MDA&indicator=' OR 1=1 --", 404, "indicator"),
        ("geo=../../etc/passwd&indicator=emigrant_stock", 404, "no country"),
    ],
)
def test_compare_bad_parameters(client, query, status, text):
    r = client.get("/compare?" + query)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert text in r.text


def test_indicators_catalogue_and_ranking(client):
    html = client.get("/indicators").text
    assert 'href="/indicators/immigrant_stock"' in html
    r = client.get("/indicators/immigrant_stock")
    assert r.status_code == 200
    html = r.text
    assert "Ranking, 2020" in html
    ranking = html[html.index("ranking-table") :]
    assert ranking.index("/country/USA") < ranking.index("/country/MDA")
    spec = specs(html)[0]  # the chart over time; the world map (tests/test_map.py) follows
    assert {v["series"] for v in spec["vconcat"][0]["data"]["values"]} >= {"Armenia", "Georgia"}
    r = client.get("/indicators/immigrant_stok")
    assert r.status_code == 404 and "Did you mean" in r.text


def test_sources_lists_checksums(client, shared_store):
    html = client.get("/sources").text
    shas = [r["sha256"] for r in shared_store.sources_report().to_pylist()]
    assert shas and all(s in html for s in shas)
    assert "CC BY" in html
    assert client.get("/about").status_code == 200


def test_download_zip(client):
    r = client.get("/download/MDA.zip")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/zip"
    assert "attachment" in r.headers["content-disposition"]
    z = zipfile.ZipFile(io.BytesIO(r.content))
    assert set(z.namelist()) == {"data.csv", "profile.json", "README.md"}
    data = z.read("data.csv").decode("utf-8")
    assert "104438" in data
    assert "sha256" in data.splitlines()[0] and "cell" in data.splitlines()[0]
    assert json.loads(z.read("profile.json"))["geo"] == "MDA"
    readme = z.read("README.md").decode("utf-8")
    assert "Licence" in readme and "Citation" in readme
    assert client.get("/download/Moldva.zip").status_code == 404


def test_static_files_only_from_fixed_set(client):
    r = client.get("/static/vega-bundle.js")
    assert r.status_code == 200 and "max-age=31536000" in r.headers["cache-control"]
    for bad in ("/static/..%2Fapp.py", "/static/app.py", "/static/%2e%2e%2fpages.py"):
        assert client.get(bad).status_code == 404


# -- in a real browser --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(app):
    config = uvicorn.Config(app, host="127.0.0.1", port=fx.free_port(), log_level="warning")
    with fx.uvicorn_in_thread(config) as base:
        yield base


def _charts_drawn(page) -> None:
    page.wait_for_function(
        """() => {
            const vis = document.querySelectorAll('[data-spec]');
            return vis.length > 0 && Array.from(vis).every(
                el => el.querySelector('svg, canvas') && el.getAttribute('data-state') === 'drawn');
        }""",
        timeout=30000,
    )


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_browser_flow(server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    failed: list[str] = []
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
            context = browser.new_context(
                accept_downloads=True, viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.on(
                "request",
                lambda req: (
                    None
                    if req.url.startswith(server) or req.url.startswith("data:")
                    else outside.append(req.url)
                ),
            )
            page.on("pageerror", lambda exc: failed.append(str(exc)))
            page.goto(server + "/")
            page.screenshot(path=str(ARTIFACTS / "portal_home.png"))
            page.fill("#portal-q", "Moldo")
            page.press("#portal-q", "Enter")
            page.wait_for_url(re.compile(r"/search\?q=Moldo"))
            page.screenshot(path=str(ARTIFACTS / "portal_search.png"))
            page.click("a[href='/country/MDA']")
            page.wait_for_url(server + "/country/MDA")
            _charts_drawn(page)
            assert page.locator("[data-spec]").count() >= 3
            page.screenshot(path=str(ARTIFACTS / "portal_profile.png"), full_page=True)
            page.screenshot(path=str(ARTIFACTS / "portal_profile_top.png"))
            page.locator("[data-spec]").first.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "portal_profile_chart.png"))

            page.goto(server + "/compare?geo=MDA,ARM,GEO&indicator=emigrant_stock")
            _charts_drawn(page)
            legend = page.locator("#chart-compare svg .role-legend-label text").all_text_contents()
            assert set(legend) == {"Republic of Moldova", "Armenia", "Georgia"}
            lines = page.locator("#chart-compare svg g.mark-line path").count()
            assert lines >= 3
            page.screenshot(path=str(ARTIFACTS / "portal_compare.png"), full_page=True)

            page.goto(server + "/country/MDA")
            with page.expect_download() as info:
                page.click("a[href='/download/MDA.zip']")
            saved = tmp_path / "MDA.zip"
            info.value.save_as(saved)
            assert {"data.csv", "profile.json", "README.md"} <= set(
                zipfile.ZipFile(saved).namelist()
            )
        finally:
            browser.close()
    assert not outside, outside
    assert not failed, failed


def test_pdf_rendered_once_and_cached(client):
    r = client.get("/pdf/MDA.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert client.get("/pdf/MDA.pdf").content == r.content
    assert client.get("/pdf/Moldva.pdf").status_code == 404


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_language_switch_keeps_the_page(server):
    """A Russian browser lands on /ru/, the switch moves between languages on the same page,
    and English chosen there stays English on the next visit to /."""
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(locale="ru-RU", viewport={"width": 390, "height": 900})
            page = context.new_page()
            page.goto(server + "/")
            assert page.url == server + "/ru/"
            assert page.locator("html").get_attribute("lang") == "ru"
            page.goto(server + "/ru/country/MDA")
            _charts_drawn(page)
            assert "Республика Молдова" in page.locator("h1").inner_text()
            page.screenshot(path=str(ARTIFACTS / "portal_profile_ru_390.png"), full_page=True)
            page.click(".portal-langs a[hreflang='ro']")
            page.wait_for_url(server + "/ro/country/MDA")
            assert "Republica Moldova" in page.locator("h1").inner_text()
            page.click(".portal-langs a[hreflang='en']")
            page.wait_for_url(server + "/en/country/MDA")
            assert "Republic of Moldova" in page.locator("h1").inner_text()
            page.goto(server + "/")
            assert page.url == server + "/"  # the cookie remembers English
            assert page.locator("html").get_attribute("lang") == "en"
        finally:
            browser.close()


def test_home_lists_only_countries_with_data(client, shared_store):
    html = client.get("/").text
    have = set(shared_store.countries_with_data())
    listed = set(re.findall(r'href="/country/([A-Z0-9]+)"', html))
    assert listed and listed <= have
    assert "ATA" not in listed and "BVT" not in listed  # Antarctica, Bouvet Island: no data
