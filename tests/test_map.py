"""The world map (migprofile.render.worldmap): shipped shapes, the Vega-Lite spec, the portal's
pages that show it, and a click on Moldova in a real Chromium."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import uvicorn

import fixtures as fx
from migprofile.indicators import query_for
from migprofile.render import worldmap as wm
from migprofile.render.charts import BLUES, PALETTE
from migprofile.wording import language, no_data

ASSETS = Path(wm.__file__).parent / "assets"
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


def map_spec(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="chart-map-spec">(.*?)</script>', html)
    assert found, "no map on the page"
    return json.loads(found.group(1))


def shape_layer(spec: dict) -> dict:
    return spec["layer"][0]


def joined_rows(spec: dict) -> list[dict]:
    lookup = next(t for t in shape_layer(spec)["transform"] if "lookup" in t)
    return lookup["from"]["data"]["values"]


def walk(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, (*path, i))


# -- the shipped shapes --------------------------------------------------------------------------
def test_shapes_file_matches_its_readme():
    data = (ASSETS / wm.SHAPES_FILE).read_bytes()
    readme = (ASSETS / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(data).hexdigest()
    assert digest in readme and digest == wm.SHAPES_SHA256
    assert "world-atlas 2.0.2" in readme and "public domain" in readme and "ISC" in readme
    topo = json.loads(data)
    assert topo["type"] == "Topology"
    ids = {g.get("id") for g in topo["objects"]["countries"]["geometries"]}
    assert {"498", "008", "051", "268"} <= ids  # Moldova, Albania (zero-padded), Armenia, Georgia


def test_every_country_with_data_has_a_shape(shared_store):
    with_data = set(shared_store.countries_with_data())
    rows = [r for r in shared_store.geo_rows() if r["kind"] == "country" and r["geo"] in with_data]
    assert len(rows) > 200
    missing = {
        r["m49"]: r["geo"]
        for r in rows
        if r["m49"] is not None and wm.shape_key(r["geo"], r["m49"]) is None
    }
    # only the tiny states and islands 1:110m leaves out, each listed once
    assert set(missing) <= set(wm.NOT_AT_110M), {m: g for m, g in missing.items()}
    assert all(wm.shape_id(m) not in wm.shape_ids() for m in wm.NOT_AT_110M)
    assert wm.shape_key("XKX", None) == "Kosovo"  # no M49 code: joined by its shape's name
    on_map = [r for r in rows if wm.shape_key(r["geo"], r.get("m49"))]
    assert len(on_map) >= 170


# -- the spec ------------------------------------------------------------------------------------
VALUES = [
    wm.MapValue("MDA", 498, "Republic of Moldova", 864257.0, 2024, citation="UN DESA 2024"),
    wm.MapValue("ALB", 8, "Albania", 1700000.0, 2024, citation="UN DESA 2024"),
    wm.MapValue("ARM", 51, "Armenia", 950000.0, 2024, citation="UN DESA 2024"),
    wm.MapValue("GEO", 268, "Georgia", 860000.0, 2024, citation="UN DESA 2024"),
    wm.MapValue("UKR", 804, "Ukraine", 6100000.0, 2024, citation="UN DESA 2024"),
    wm.MapValue("ESH", 732, "Western Sahara", None, linked=False),
    wm.MapValue("MCO", 492, "Monaco", 3000.0, 2024, citation="UN DESA 2024"),  # no shape
]


def spec_of(values=VALUES, **kw) -> dict:
    return wm.choropleth_spec(
        values, title="Emigrants, 2024", unit="persons", source_line="Source: UN DESA 2024", **kw
    )


def test_spec_joins_on_zero_padded_m49_and_links_pages():
    spec = spec_of(href_prefix="/ru")
    rows = {r["geo"]: r for r in joined_rows(spec)}
    assert rows["MDA"]["id"] == "498" and rows["ALB"]["id"] == "008"
    assert "MCO" not in rows  # no shape at 1:110m
    assert rows["MDA"]["href"] == "/ru/country/MDA"
    assert rows["ESH"]["href"] is None  # no page: no link
    layer = shape_layer(spec)
    lookup = next(t for t in layer["transform"] if "lookup" in t)
    assert lookup["lookup"] == "key" and lookup["from"]["key"] == "id"
    assert layer["mark"]["type"] == "geoshape"
    assert spec["projection"]["type"] == "equalEarth"
    assert spec["width"] == "container"
    enc = layer["encoding"]
    assert enc["href"]["field"] == "href"
    assert enc["description"]["field"] == "shown_label"  # each path's aria-label
    assert rows["MDA"]["label"] == "Republic of Moldova: 864,257 (2024)"


def test_tooltip_gives_name_value_year_and_source():
    spec = spec_of()
    tips = {t["title"]: t["field"] for t in shape_layer(spec)["encoding"]["tooltip"]}
    assert tips == {
        "Country": "shown_name",
        "Value": "value_text",
        "Year": "when",
        "Source": "citation",
    }
    rows = {r["geo"]: r for r in joined_rows(spec)}
    assert rows["UKR"]["value_text"] == "6,100,000" and rows["UKR"]["when"] == "2024"
    assert rows["UKR"]["citation"] == "UN DESA 2024"
    assert rows["ESH"]["value_text"] == "no data"


def test_no_data_is_grey_and_in_the_legend():
    spec = spec_of()
    colour = shape_layer(spec)["encoding"]["color"]
    domain, colours = colour["scale"]["domain"], colour["scale"]["range"]
    assert domain[-1] == "no data" and colours[-1] == wm.NO_DATA_FILL == "#CCCCCC"
    assert colour["legend"] is not None
    assert set(colours[:-1]) <= set(BLUES)
    rows = {r["geo"]: r for r in joined_rows(spec)}
    assert rows["ESH"]["class"] == "no data"
    # larger values in darker classes
    order = domain.index
    assert order(rows["UKR"]["class"]) > order(rows["GEO"]["class"])
    found = {v for _p, k, v in walk(spec) if isinstance(v, str) and v.startswith("#")}
    assert found <= PALETTE
    assert "Source: UN DESA 2024" in json.dumps(spec["layer"][1])


def test_class_limits_are_quantiles_rounded():
    values = [10.0, 20.0, 30.0, 1_000.0, 2_000.0, 50_000.0, 123_456.0, 9_000_000.0]
    limits = wm.class_limits(values)
    assert limits == sorted(set(limits)) and len(limits) <= 4
    assert all(float(f"{x:.2g}") == x for x in limits)  # two significant digits
    assert wm.class_labels([50_000.0, 200_000.0], "persons") == [
        "under 50K",
        "50K–200K",
        "200K and over",
    ]


def test_spec_is_valid_vega_lite_and_draws_offline():
    jsonschema = pytest.importorskip("jsonschema")
    from altair.vegalite.v6.schema import load_schema

    validator = jsonschema.Draft7Validator(load_schema())
    inline = spec_of(width=600, height=260)
    locator = wm.locator_spec(["498"], title="Republic of Moldova")
    for spec in (spec_of(shapes_url="/static/countries-110m.json"), inline, locator):
        errors = [e.message[:200] for e in validator.iter_errors(spec)]
        assert not errors, errors[:3]
    assert shape_layer(inline)["data"]["values"]["type"] == "Topology"  # no URL: inlined
    from migprofile.render.charts import Chart, to_svg

    svg = to_svg(Chart("map", "", "", "", inline))
    assert svg.count("<path") > 150
    assert 'aria-label="Republic of Moldova: 864,257 (2024)"' in svg


def test_names_in_russian(client):
    page = client.get("/ru/")
    client.cookies.clear()  # the visit chose Russian for the next ones
    rows = {r["geo"]: r for r in joined_rows(map_spec(page.text))}
    assert rows["MDA"]["name"] == "Республика Молдова"
    assert rows["MDA"]["href"] == "/ru/country/MDA"
    assert rows["GEO"]["name"] == "Грузия"
    with language("ru"):
        ru = spec_of()
        nodata = no_data()
    assert nodata != "no data"  # the catalog's Russian
    assert shape_layer(ru)["encoding"]["color"]["scale"]["domain"][-1] == nodata
    assert {r["geo"]: r for r in joined_rows(ru)}["UKR"]["value_text"] != "6,100,000"


# -- the portal ----------------------------------------------------------------------------------
def _value(store, indicator: str, geo: str, year: int) -> float:
    sql, args = query_for(
        indicator, geo=geo, partner=None, year=year, sex="total", source=None, edition=None
    )
    rows = [r for r in store.query(sql, args).to_pylist() if r["value"] is not None]
    return rows[0]["value"]


def test_home_page_maps_the_headline(client, shared_store):
    client.cookies.clear()
    r = client.get("/")
    spec = map_spec(r.text)
    assert shape_layer(spec)["data"]["url"] == "/static/countries-110m.json"
    assert 'rel="preload" href="/static/countries-110m.json"' in r.text
    assert "/static/vega-bundle.js" in r.text  # the bundle draws it
    assert "connect-src 'self'" in r.headers["content-security-policy"]
    rows = {r["geo"]: r for r in joined_rows(spec)}
    year = int(rows["MDA"]["when"])
    assert rows["MDA"]["value"] == _value(shared_store, "emigrant_stock", "MDA", year)
    assert rows["MDA"]["href"] == "/country/MDA"
    assert "Emigrant stock" in spec["title"]["text"] and str(year) in spec["title"]["text"]
    static = client.get("/static/countries-110m.json")
    assert static.status_code == 200 and "max-age=31536000" in static.headers["cache-control"]
    assert hashlib.sha256(static.content).hexdigest() == wm.SHAPES_SHA256


def test_indicator_page_maps_its_ranking(client, shared_store):
    html = client.get("/indicators/remittances_received_usd").text
    spec = map_spec(html)
    assert html.index('id="chart-map"') < html.index("ranking-table")  # above the ranking
    rows = {r["geo"]: r for r in joined_rows(spec)}
    year = int(rows["MDA"]["when"])
    assert f"Ranking, {year}" in html
    assert rows["MDA"]["value"] == _value(shared_store, "remittances_received_usd", "MDA", year)
    assert rows["MDA"]["value_text"].startswith("US$")
    assert "World Bank" in rows["MDA"]["citation"]
    # no countries asked for (no line chart): the map still gets the bundle
    html = client.get("/indicators/remittances_received_usd?geo=").text
    assert 'id="chart-map"' in html and "/static/vega-bundle.js" in html
    # a country-pair indicator has no map
    html = client.get("/indicators/migrant_stock").text
    assert 'id="chart-map"' not in html


# -- in a real browser --------------------------------------------------------------------------
@pytest.fixture(scope="module")
def server(app):
    config = uvicorn.Config(app, host="127.0.0.1", port=fx.free_port(), log_level="warning")
    with fx.uvicorn_in_thread(config) as base:
        yield base


MOLDOVA = '#chart-map path[aria-label*="Moldova"]'


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_map_in_chromium_clicks_through_to_moldova(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    outside: list[str] = []
    failed: list[str] = []
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.on(
                "request",
                lambda req: None if req.url.startswith(server) else outside.append(req.url),
            )
            page.on("pageerror", lambda exc: failed.append(str(exc)))
            page.goto(server + "/")
            page.wait_for_selector(MOLDOVA, timeout=30000)
            assert page.locator("#chart-map svg path[aria-label]").count() > 150
            page.locator("#chart-map").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "map_home_1280.png"))
            page.locator(MOLDOVA).first.click()
            page.wait_for_url(server + "/country/MDA")

            page.goto(server + "/indicators/remittances_received_usd")
            page.wait_for_selector(MOLDOVA, timeout=30000)
            page.locator("#chart-map").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "map_indicator_1280.png"))

            phone = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
            phone.on("pageerror", lambda exc: failed.append(str(exc)))
            phone.goto(server + "/")
            phone.wait_for_selector(MOLDOVA, timeout=30000)
            phone.locator("#chart-map").scroll_into_view_if_needed()
            phone.screenshot(path=str(ARTIFACTS / "map_home_390.png"))
            fits = phone.evaluate(
                """() => {
                    const vis = document.querySelector('#chart-map');
                    const svg = vis.querySelector('svg').getBoundingClientRect();
                    return [vis.scrollWidth, vis.clientWidth, svg.left, svg.right,
                            window.innerWidth];
                }"""
            )
            scroll_width, client_width, left, right, viewport = fits
            assert scroll_width <= client_width <= viewport, fits
            assert left >= 0 and right <= viewport, fits
        finally:
            browser.close()
    assert not outside, outside
    assert not failed, failed


# -- the PDF cover's locator ----------------------------------------------------------------------
def test_cover_locator(mda, builder, tmp_path):
    from migprofile.render.pdf import _cover_locator

    spec = wm.profile_locator("MDA", "country", [])
    assert spec is not None
    layer = spec["layer"][0]
    lookup = next(t for t in layer["transform"] if "lookup" in t)
    assert lookup["from"]["data"]["values"] == [{"id": "498", "on": True}]
    assert layer["encoding"]["fill"]["condition"]["value"] == BLUES[0]
    west, south, east, north = wm.bounds(["498"])
    assert 26 < west < east < 31 and 45 < south < north < 49  # Moldova's own box, in degrees
    region = builder.build("central-asia")
    spec = wm.profile_locator(region.geo, region.kind, region.members)
    assert {r["id"] for r in spec["layer"][0]["transform"][1]["from"]["data"]["values"]} == {
        "398", "417", "762", "795", "860"
    }  # fmt: skip
    world = builder.build("world")
    assert wm.profile_locator(world.geo, world.kind, world.members) is None
    assert wm.profile_locator("TUV", "country", []) is None  # too small for 1:110m
    (tmp_path / "charts").mkdir()
    name, alt = _cover_locator(mda, tmp_path)
    svg = (tmp_path / name).read_text(encoding="utf-8")
    assert alt == "Map: Republic of Moldova highlighted"
    assert svg.count('fill="#0033A0"') == 1  # Moldova alone
