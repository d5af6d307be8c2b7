"""Charts and the HTML page, from profiles built on the real publisher files.

Unit tests check the chart specs (ids, titles, source lines, IOM palette, valid Vega-Lite, no
URLs) and the page (key facts, narrative, provenance, escaping of untrusted text, no 0 for
missing data). The browser test opens the page in Debian's Chromium with the network cut off,
waits for every chart to draw and saves a screenshot to test-artifacts/profile_MDA.png.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape

from migprofile.render.charts import PALETTE, Chart, charts_for, to_svg, vega_bundle
from migprofile.render.html import content_security_policy, render_html
from migprofile.wording import human, short

pytestmark = pytest.mark.integration

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOSTILE = "<script>alert(1)</script>"


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def central_asia(builder):
    return builder.build("central-asia")


@pytest.fixture(scope="module")
def mda_charts(mda) -> dict[str, Chart]:
    return {c.id: c for c in charts_for(mda)}


@pytest.fixture(scope="module")
def mda_html(mda) -> str:
    return render_html(mda)


# -- helpers -------------------------------------------------------------------------------------
def walk(node, path=()):
    """Every (path, key, value) in a JSON-like tree."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path, k, v
            yield from walk(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from walk(v, (*path, i))


def colours_in(node) -> set[str]:
    found = set()
    for _, _, v in walk(node):
        if isinstance(v, str):
            found |= set(re.findall(r"#[0-9A-Fa-f]{6}\b|#[0-9A-Fa-f]{3}\b", v))
    return {c.upper() for c in found}


def datasets(spec: dict) -> list[dict]:
    """All inline rows of a spec."""
    rows = []
    for _, k, v in walk(spec):
        if k == "data" and isinstance(v, dict) and "values" in v:
            rows += v["values"]
    return rows


def footer_text(chart: Chart) -> str:
    return " ".join(chart.spec["vconcat"][0]["title"]["text"])


class Page(HTMLParser):
    """The bits of the page the tests look at: inline scripts, <data> values, table rows."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[tuple[dict, str]] = []
        self.data: list[tuple[str, str]] = []
        self.row_headers: list[str] = []
        self._script: dict | None = None
        self._data: str | None = None
        self._th_row = False
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self._script, self._text = attrs, []
        elif tag == "data":
            self._data, self._text = attrs.get("value"), []
        elif tag == "th" and attrs.get("scope") == "row":
            self._th_row, self._text = True, []

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None
        elif tag == "data" and self._data is not None:
            self.data.append((self._data, "".join(self._text).strip()))
            self._data = None
        elif tag == "th" and self._th_row:
            self.row_headers.append(" ".join("".join(self._text).split()))
            self._th_row = False

    def handle_data(self, data):
        if self._script is not None or self._data is not None or self._th_row:
            self._text.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


# -- charts --------------------------------------------------------------------------------------
def test_mda_has_every_chart_it_has_data_for(mda, mda_charts):
    assert set(mda_charts) == {
        "stocks",
        "top_destinations",
        "top_origins",
        "remittances",
        "top_remittance_senders",
        "cost",
        "cost_by_sender",
        "displacement",
        "refugees",
        "net_migration",
    }
    section_ids = [s.id for s in mda.sections]
    assert all(c.section in section_ids for c in mda_charts.values())
    # in the order of the profile's sections
    order = [section_ids.index(c.section) for c in charts_for(mda)]
    assert order == sorted(order)


def test_every_chart_has_a_title_and_a_source_line(mda_charts):
    for chart in mda_charts.values():
        assert chart.title
        assert " ".join(chart.spec["title"]["text"]) == chart.title
        assert chart.source_line.startswith("Source: ") and len(chart.source_line) > 10
        assert chart.source_line in footer_text(chart) or all(
            part in footer_text(chart) for part in chart.source_line.split("; ")
        )
        # every citation of the figures drawn is in the source line
        for row in datasets(chart.spec):
            if "citation" in row:
                for part in row["citation"].split("; "):
                    assert part in chart.source_line, (chart.id, part)


def test_source_lines_name_their_publishers(mda_charts):
    assert mda_charts["remittances"].source_line == "Source: World Bank WDI 2023-05-10"
    assert "UN DESA" in mda_charts["stocks"].source_line
    assert mda_charts["refugees"].source_line.startswith("Source: UNHCR")
    assert mda_charts["displacement"].source_line.startswith("Source: IDMC")


def test_only_iom_palette_colours(mda_charts, central_asia):
    charts = [*mda_charts.values(), *charts_for(central_asia)]
    for chart in charts:
        assert colours_in(chart.spec) <= PALETTE, chart.id
    # what vl-convert draws, too (defaults would show up here)
    for chart in mda_charts.values():
        svg = to_svg(chart)
        drawn = set(re.findall(r'(?:fill|stroke)="([^"]+)"', svg)) - {"none", "transparent"}
        assert {c.upper() for c in drawn} <= PALETTE, (chart.id, drawn - PALETTE)


def test_specs_are_valid_vega_lite_with_data_inline(mda_charts, central_asia, tuv):
    jsonschema = pytest.importorskip("jsonschema")
    from altair.vegalite.v6.schema import load_schema

    validator = jsonschema.Draft7Validator(load_schema())
    for chart in [*mda_charts.values(), *charts_for(central_asia), *charts_for(tuv)]:
        errors = [e.message[:200] for e in validator.iter_errors(chart.spec)]
        assert not errors, (chart.id, errors[:3])
        assert not [p for p, k, _ in walk(chart.spec) if k == "url"], chart.id
        assert datasets(chart.spec), chart.id
        json.dumps(chart.spec, allow_nan=False)  # plain JSON, no NaN


def test_no_vertical_grid_and_light_horizontal_grid(mda_charts):
    for chart in mda_charts.values():
        config = chart.spec["config"]
        assert config["axisX"]["grid"] is False
        assert config["axis"]["gridColor"] in ("#CCCCCC", "#F2F2F2")
        for path, key, value in walk(chart.spec):
            if key == "x" and isinstance(value, dict) and isinstance(value.get("axis"), dict):
                assert value["axis"].get("grid") is not True, (chart.id, path)


def test_last_value_is_labelled_in_short_form(mda, mda_charts):
    emig = mda.section("emigration").series["emigrant_stock"].latest
    labels = {r["label"] for r in datasets(mda_charts["stocks"].spec) if r["last"]}
    assert short(emig.value) in labels  # "1.2M"
    cost = mda.section("remittances").series["remittance_cost_to_pct"].latest
    cost_labels = {r["label"] for r in datasets(mda_charts["cost"].spec) if r.get("last")}
    assert f"{short(cost.value)}%" in cost_labels  # "5.6%"


def test_tooltips_carry_full_value_year_and_citation(mda_charts):
    for chart in mda_charts.values():
        tips = [v for _, k, v in walk(chart.spec) if k == "tooltip"]
        assert tips, chart.id
        fields = {t["field"] for tip in tips for t in tip}
        assert {"when", "value_text", "citation"} <= fields, chart.id
    row = next(r for r in datasets(mda_charts["remittances"].spec) if r["year"] == 2022)
    assert row["value_text"] == "US$ 2,170,000,000"


def test_cost_chart_draws_the_3_percent_target(mda_charts):
    spec = mda_charts["cost"].spec
    targets = [r for r in datasets(spec) if "target" in r]
    assert targets and targets[0]["target"] == 3


def test_one_edition_per_line_and_modelled_data_are_marked(mda_charts):
    stocks = mda_charts["stocks"]
    # one edition per series (issue 12): the modelled 2017 matrix no longer fills the line
    assert not [r for r in datasets(stocks.spec) if r["other_source"]]
    assert "World Bank bilateral estimates 2017" not in {
        r["citation"] for r in datasets(stocks.spec)
    }
    senders = mda_charts["top_remittance_senders"]
    assert "modelled" in senders.title
    assert "Modelled estimates" in footer_text(senders)


def test_region_charts_are_sums_with_partial_coverage_marked(central_asia):
    charts = {c.id: c for c in charts_for(central_asia)}
    assert {"stocks", "top_destinations", "top_origins", "remittances", "refugees"} <= set(charts)
    # costs are no sum: the chart shows the members' simple mean, and says so on each point
    assert "cost" in charts
    cost = central_asia.section("remittances").series["remittance_cost_to_pct"]
    assert cost.points and all(p.note.startswith("simple mean over") for p in cost.points)
    assert all(r["coverage"] for r in datasets(charts["cost"].spec) if "value" in r)
    rows = datasets(charts["displacement"].spec)
    assert any(r["partial"] for r in rows)
    assert "not every member reports" in footer_text(charts["displacement"])
    emig = central_asia.section("emigration").series["emigrant_stock"].latest
    assert any(r["last"] and r["value"] == emig.value for r in datasets(charts["stocks"].spec))


def test_no_chart_of_nothing(tuv):
    ids = {c.id for c in charts_for(tuv)}
    assert "cost" not in ids  # Tuvalu has no remittance cost series
    bare = dataclasses.replace(
        tuv,
        sections=[
            dataclasses.replace(s, series={}, rankings={}, bars=None, corridors=[])
            for s in tuv.sections
        ],
    )
    assert charts_for(bare) == []
    assert 'data-spec="' not in render_html(bare)
    for chart in charts_for(tuv):
        assert all(r["value"] is not None for r in datasets(chart.spec) if "value" in r)


def test_svg_shows_title_source_and_uses_offline_fonts(mda_charts):
    svg = to_svg(mda_charts["stocks"])
    assert svg.lstrip().startswith("<svg")
    assert "Emigrants and immigrants" in svg
    assert "Source: UN DESA" in svg
    assert "Liberation Sans" in svg
    assert "http://" not in svg.replace("http://www.w3.org", "")
    assert "https://" not in svg


def test_vega_bundle_is_cached_and_offline():
    bundle = vega_bundle()
    assert bundle is vega_bundle()
    assert len(bundle) > 500_000
    assert "vegaEmbed" in bundle
    assert "</script" not in bundle.lower()


# -- the page ------------------------------------------------------------------------------------
def test_page_has_every_key_fact_and_the_narrative(mda, mda_html):
    assert mda.key_facts
    for f in mda.key_facts:
        assert str(escape(human(f.value, f.unit))) in mda_html, f.indicator
        assert str(escape(f.citation)) in mda_html
    for sentence in mda.narrative:
        body = sentence.text.rsplit(" [", 1)[0]
        assert str(escape(body)) in mda_html
    assert "<h1>Republic of Moldova</h1>" in mda_html
    assert "Country profile" in mda_html


def test_page_shows_provenance_of_headline_figures(mda, mda_html):
    immig = next(f for f in mda.section("immigration").figures if f.indicator == "immigrant_stock")
    assert f"Source: {immig.citation}, {immig.cell}" in mda_html  # "UN DESA 2020, Table 1!L161"
    assert immig.sha256[:12] in mda_html
    for s in mda.sections:
        for m in s.missing:
            assert str(escape(m)) in mda_html
    assert "What this profile cannot say" in mda_html
    assert f"migprofile {mda.migprofile_version}" in mda_html
    assert mda.generated_at in mda_html


def test_page_has_sources_and_gaps(mda, mda_html):
    assert "Data sources and gaps" in mda_html
    for src in mda.sources:
        assert str(escape(src.title)) in mda_html
        assert str(escape(src.licence)) in mda_html
        for f in src.files:
            assert str(escape(f)) in mda_html
    assert mda.gaps
    for gap in mda.gaps:
        assert str(escape(gap.label)) in mda_html
        if gap.year == gap.year_b:
            assert f"{gap.gap_pct:+.1f}%" in mda_html
        else:  # no percentage across years (issue 12)
            assert gap.gap_pct is None
            assert f"nearest years: {gap.year} vs {gap.year_b}" in mda_html


def test_chart_specs_are_json_blocks_not_javascript(mda_html, mda_charts):
    page = parse(mda_html)
    blocks = {a["id"]: text for a, text in page.scripts if a.get("type") == "application/json"}
    assert len(blocks) == len(mda_charts)
    for chart in mda_charts.values():
        block = blocks[f"chart-{chart.id.replace('_', '-')}-spec"]
        assert json.loads(block) == json.loads(json.dumps(chart.spec))
    executable = [t for a, t in page.scripts if "type" not in a]
    assert len(executable) == 2  # the Vega bundle and one init script
    assert "vegaEmbed" in executable[1] and len(executable[1]) < 4000  # small: no JS per chart


def test_standalone_page_makes_no_request_and_says_so(mda_html):
    page = parse(mda_html)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", mda_html)
    assert "<link" not in mda_html
    assert "@import" not in mda_html
    assert "@font-face" not in mda_html
    csp = content_security_policy()
    assert f'content="{escape(csp)}"' in mda_html
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    for attrs, text in page.scripts:
        if "type" not in attrs:
            digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in csp


def test_portal_page_references_the_shared_bundle(mda):
    html = render_html(mda, standalone=False, bundle_url="/static/vega-bundle.js")
    assert '<script src="/static/vega-bundle.js"></script>' in html
    assert len(html) < 400_000
    assert vega_bundle()[:200] not in html
    assert "Content-Security-Policy" not in html  # the portal sends its own header
    with pytest.raises(ValueError, match="bundle_url"):
        render_html(mda, standalone=False)


def test_print_stylesheet(mda_html):
    assert "@media print" in mda_html
    assert re.search(r"@page\s*{[^}]*size:\s*A4", mda_html)
    assert "break-before: page" in mda_html
    assert re.search(r"\.chart[^{]*{[^}]*break-inside: avoid|\.chart,[^{]*break-inside", mda_html)


def test_hostile_names_and_notes_are_escaped(mda):
    emigration = mda.section("emigration")
    ranking = emigration.rankings["top_destinations"]
    bad_points = [dataclasses.replace(ranking.points[0], partner_name=HOSTILE)]
    bad_points += ranking.points[1:]
    sections = [
        dataclasses.replace(
            s,
            figures=[dataclasses.replace(f, note=HOSTILE) for f in s.figures],
            rankings={**s.rankings, "top_destinations": dataclasses.replace(
                ranking, points=bad_points)},
        )
        if s.id == "emigration"
        else s
        for s in mda.sections
    ]  # fmt: skip
    hostile = dataclasses.replace(
        mda,
        name='Moldova <img src=x onerror="alert(2)">',
        sections=sections,
        key_facts=[dataclasses.replace(f, label=HOSTILE) for f in mda.key_facts],
        cannot_say=[*mda.cannot_say, HOSTILE],
    )
    html = render_html(hostile)
    assert HOSTILE not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # note, label: shown as text
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    # inside the chart specs the text stays data: no '<' can close the <script> block
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    page = parse(html)
    executable = [t for a, t in page.scripts if "type" not in a]
    assert len(executable) == 2
    specs = [json.loads(t) for a, t in page.scripts if a.get("type") == "application/json"]
    assert any(r.get("partner") == HOSTILE for s in specs for r in datasets(s))


def test_thin_country_says_what_it_cannot_say_and_shows_no_zero(tuv):
    html = render_html(tuv)
    assert "What this profile cannot say" in html
    missing = [m for s in tuv.sections for m in s.missing]
    assert missing
    for m in missing:
        assert str(escape(m)) in html
    page = parse(html)
    # a missing figure has no row and no card: its label is never a row header
    labels = {f.label for s in tuv.sections for f in s.figures}
    for m in missing:
        label = m.split(": no ")[0]
        if label not in labels:
            assert label not in page.row_headers, label
            assert f'<p class="card-label">{escape(label)}</p>' not in html
    # every number shown is a real value: no None, no 0 standing in for missing data
    assert page.data
    for value, text in page.data:
        assert value not in ("None", "", "nan"), text
        if re.fullmatch(r"(US\$ )?0(\.0+)?%?", text):
            assert float(value) == 0.0
    assert ">None<" not in html and "nan" not in re.findall(r">(\w+)<", html)
    assert "Refugees hosted" not in {f.label for f in tuv.key_facts}


def test_region_page_names_members_and_coverage(central_asia):
    html = render_html(central_asia)
    assert "Regional profile" in html
    assert "5 member countries:" in html
    for name in central_asia.member_names:
        assert str(escape(name)) in html
    assert "5 of 5 members report" in html
    assert "2 of 5 members report (no data: TJK, TKM, UZB)" in html


# -- in a browser --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chromium():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: install Debian's chromium for browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


LOCAL = ("file:", "data:", "blob:")


def open_offline(browser, url: str):
    """A page whose every request leaving file://, data: or blob: is recorded and aborted."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    outside: list[str] = []
    problems: list[str] = []

    def route(r):
        if r.request.url.startswith(LOCAL):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda req: None if req.url.startswith(LOCAL) else outside.append(req.url))
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else 0)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    return page, outside, problems


DRAWN = """() => {
  const charts = [...document.querySelectorAll('[data-spec]')];
  return charts.length > 0 && charts.every(c => c.querySelector('svg, canvas'));
}"""


def test_page_draws_every_chart_offline(chromium, mda, mda_charts, mda_html, tmp_path):
    path = tmp_path / "MDA.html"
    path.write_text(mda_html, encoding="utf-8")
    page, outside, problems = open_offline(chromium, path.as_uri())
    page.wait_for_function(DRAWN, timeout=30_000)
    states = page.eval_on_selector_all("[data-spec]", "els => els.map(e => e.dataset.state)")
    assert states == ["drawn"] * len(mda_charts)
    # the charts drew their titles, and the page's text is the profile's
    svg_text = page.eval_on_selector_all("[data-spec] svg", "els => els.map(e => e.textContent)")
    assert any("Emigrants and immigrants" in t for t in svg_text)
    assert page.inner_text("h1") == "Republic of Moldova"
    # no chart wider than its column (nothing cut or overlapping its neighbour)
    widths = page.eval_on_selector_all(
        ".chart",
        """els => els.map(e => [
            e.scrollWidth, e.clientWidth, e.querySelector('svg').getBoundingClientRect().width
        ])""",
    )
    for scroll, client, svg_width in widths:
        assert scroll <= client + 1 and svg_width <= client + 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "profile_MDA.png"), full_page=True)
    # a tooltip gives the full value, the year and the citation
    first = mda.section("emigration").rankings["top_destinations"].points[0]
    bar = page.locator("#chart-top-destinations svg .mark-rect path").first
    bar.scroll_into_view_if_needed()
    bar.hover()
    tooltip = page.locator("#vg-tooltip-element.visible")
    tooltip.wait_for(timeout=5_000)
    text = tooltip.inner_text()
    assert f"{first.value:,.0f}" in text and str(first.year) in text and first.citation in text
    page.close()
    assert outside == []
    assert problems == []  # no CSP violation, no Vega warning, no script error


def test_portal_page_draws_from_the_shared_bundle(chromium, mda, tmp_path):
    bundle = tmp_path / "static" / "vega-bundle.js"
    bundle.parent.mkdir()
    bundle.write_text(vega_bundle(), encoding="utf-8")
    path = tmp_path / "MDA.html"
    path.write_text(render_html(mda, standalone=False, bundle_url="static/vega-bundle.js"))
    page, outside, problems = open_offline(chromium, path.as_uri())
    page.wait_for_function(DRAWN, timeout=30_000)
    page.close()
    assert outside == []
    assert problems == []


def test_print_layout_keeps_charts_whole(chromium, mda_html, tmp_path):
    path = tmp_path / "MDA.html"
    path.write_text(mda_html, encoding="utf-8")
    page, _, _ = open_offline(chromium, path.as_uri())
    page.wait_for_function(DRAWN, timeout=30_000)
    page.emulate_media(media="print")
    # every chart fits an A4 page's printable width (210 mm - 24 mm margins, at 96 px/in)
    printable = (210 - 24) / 25.4 * 96
    page.set_viewport_size({"width": int(printable), "height": 1100})
    widths = page.eval_on_selector_all(
        "[data-spec] svg", "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert widths and max(widths) <= printable + 1
    pdf = page.pdf(format="A4", print_background=True)
    page.close()
    assert pdf.startswith(b"%PDF")
