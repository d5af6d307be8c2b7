"""Corridors (issue 15): money sent from one country to another, the migrants both ways and what
sending costs, in the library (`profiles.corridor`), the portal (/corridor, /api/corridors), the
profile's two corridor sections, compare with a partner and the pair indicator's page.

The fixture store is ingested from files built by code in the publishers' own layouts (the RPW
DataBank export and provider workbook, the World Bank/KNOMAD remittance matrix, the GMDAC tidy
bilateral stocks), with invented values; the last tests read the real corpus in ../shared.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

import migprofile
from conftest import DB_FILE, run_migprofile
from fixtures import tidy_bilateral_csv
from migprofile.errors import UsageError
from migprofile.indicators import BY_ID, observations
from migprofile.ingest import ingest
from migprofile.profiles import ProfileBuilder
from migprofile.profiles.corridor import build_corridor, corridor_from, top_pairs
from migprofile.render.charts import charts_for
from migprofile.render.markdown import render_markdown
from test_knomad import build_remittance_matrix
from test_rpw import SERIES, post_row, write_databank, write_provider_workbook

QUARTERS = ["2019Q3", "2020Q1", "2020Q2", "2020Q3"]
HEADER = ["Sending Countries Name", "Sending Countries Code", "Series Name", "Series Code",
          "Receiving Countries  Name", "Receiving Countries  Code",
          *[f"{q} [YR{q}]" for q in QUARTERS]]  # fmt: skip
# sending, receiving, the four quarters (invented); line numbers: the header is line 1
DATABANK = [
    ("Russian Federation", "RUS", "Republic of Moldova", "MDA", "1.5", "1.2", "..", "1.6"),  # 2
    ("Italy", "ITA", "Republic of Moldova", "MDA", "5.5", "4.88", "4.88", "4.88"),  # 3
    ("Germany", "DEU", "Republic of Moldova", "MDA", "..", "..", "..", "8"),  # 4
    ("Republic of Moldova", "MDA", "Russian Federation", "RUS", "..", "3", "3", "3.3"),  # 5
    ("Russian Federation", "RUS", "Armenia", "ARM", "..", "2", "2", ".."),  # 6
]
# (to, from, t, sex, v): born in `from`, living in `to`
STOCKS = (
    ("RUS", "MDA", 2015, "Male", 180.0),
    ("RUS", "MDA", 2015, "Female", 120.0),
    ("RUS", "MDA", 2020, "Male", 200.0),
    ("RUS", "MDA", 2020, "Female", 150.0),
    ("MDA", "RUS", 2020, "Male", 10.0),
    ("MDA", "RUS", 2020, "Female", 12.0),
    ("ITA", "MDA", 2020, "Male", 40.0),
    ("ITA", "MDA", 2020, "Female", 90.0),
    ("MDA", "UKR", 2020, "Male", 11.0),
    ("MDA", "UKR", 2020, "Female", 13.0),
    ("UKR", "MDA", 2020, "Female", 25.0),
    # the extract ends with the last destination's other/unknown origin, as the real file does
    ("UKR", "XXX", 2020, "Male", 1.0),
    ("UKR", "XXX", 2020, "Female", 1.0),
)


def databank_rows() -> list[list[str]]:
    return [[s_name, s_code, *SERIES, r_name, r_code, *values]
            for s_name, s_code, r_name, r_code, *values in DATABANK]  # fmt: skip


def provider_rows() -> list[list]:
    quarter = ("2023_3Q", "RUS", "MDA")
    return [
        post_row(*quarter, "Bank A", "Bank", "Bank account", "Online", "Bank account", 1.0, 0.5),
        post_row(*quarter, "Fast MTO", "Money Transfer Operator", "Cash", "Agent", "Cash", 3.0,
                 2.0),
    ]  # fmt: skip


def build_raw(raw: Path) -> Path:
    raw.mkdir(parents=True, exist_ok=True)
    write_databank(raw / "rpw_corridors_Data.csv", databank_rows(), header=HEADER)
    write_provider_workbook(raw / "rpw_dataset_2011_2023_q3.xlsx", rows=provider_rows())
    build_remittance_matrix(raw)
    tidy_bilateral_csv(raw / "gdiviz_undesa_ims2020_bilateral_stocks_by_sex.csv", rows=STOCKS)
    return raw


@pytest.fixture(scope="module")
def store(module_home, tmp_path_factory):
    raw = build_raw(tmp_path_factory.mktemp("raw"))
    report = ingest(raw_dir=raw, offline=True)
    assert len(report.ingested) == 4, report
    s = migprofile.open_store()
    yield s
    s.close()


@pytest.fixture(scope="module")
def builder(store):
    return ProfileBuilder(store)


@pytest.fixture(scope="module")
def rus_mda(store):
    return build_corridor(store, "RUS", "Republic of Moldova")


# -- the library ----------------------------------------------------------------------------


def test_orientation_is_the_catalogues():
    """Cost 'from RUS to MDA' is geo=MDA (receiving), partner=RUS (sending), as defined."""
    for ind_id in ("remittance_cost_corridor_pct", "remittance_cost_corridor_500_pct"):
        text = BY_ID[ind_id].definition
        assert re.search(r"from the partner( \(sending\))? (country )?to the geo", text), text
    assert "geo = destination, partner = origin" in BY_ID["migrant_stock"].definition
    assert (
        "from the sending (partner) to the receiving (geo)"
        in BY_ID["remittances_bilateral_usd"].definition
    )


def test_cost_from_origin_to_destination_by_year_and_quarter(store, rus_mda):
    c = rus_mda
    assert (c.origin, c.destination) == ("RUS", "MDA")
    annual = {p.year: p for p in c.cost_200.points}
    assert annual[2020].value == pytest.approx(1.4)  # mean of 1.2 and 1.6
    assert annual[2019].value == pytest.approx(1.5)
    assert all((p.geo, p.partner) == ("MDA", "RUS") for p in c.cost_200.points)
    # the same value `get` gives for geo=MDA partner=RUS
    got = observations(store, "remittance_cost_corridor_pct", "MDA", partner="RUS", year=2020)
    assert got.column("value").to_pylist() == [pytest.approx(annual[2020].value)]
    quarters = {p.period: p for p in c.cost_200_quarters.points}
    assert set(quarters) == {"2019Q3", "2020Q1", "2020Q3"}
    assert quarters["2020Q3"].value == 1.6
    assert quarters["2020Q3"].cell == "line 2, column 2020Q3 [YR2020Q3]"
    assert annual[2020].cell == "line 2"
    assert annual[2020].sdg == "10.c.1" and not annual[2020].modelled
    assert c.files[annual[2020].sha256] == "rpw_corridors_Data.csv"
    # the reverse: from MDA to RUS is geo=RUS partner=MDA
    back = {p.year: p for p in c.cost_200_back.points}
    assert back[2020].value == pytest.approx(3.1)
    assert (back[2020].geo, back[2020].partner) == ("RUS", "MDA")


def test_migrants_both_ways_and_modelled_remittances(rus_mda):
    c = rus_mda
    born_rus = {p.year: p.value for p in c.stock.points}  # born in RUS, living in MDA
    born_mda = {p.year: p.value for p in c.stock_back.points}  # born in MDA, living in RUS
    assert born_rus == {2020: 22.0}
    assert born_mda == {2015: 300.0, 2020: 350.0}
    assert c.stock.points[0].geo == "MDA" and c.stock.points[0].partner == "RUS"
    sent = c.remittances.latest
    assert sent is not None and sent.modelled
    assert sent.value == pytest.approx(532.9675560973676e6)  # US$ million in the matrix
    assert (sent.geo, sent.partner, sent.year) == ("MDA", "RUS", 2017)
    # receiving across (Moldova: column B), sending down (Russian Federation: row 4)
    assert sent.cell == "Bilateral_Remittances_2017!B4"
    back = c.remittances_back.latest
    assert back is not None and back.value == pytest.approx(160.0264165502753e6)
    assert back.cell == "Bilateral_Remittances_2017!C3"


def test_provider_breakdowns_and_us500(rus_mda):
    by_id = {f.indicator: f for f in rus_mda.breakdowns}
    assert by_id["rpw_cost_200_digital_pct"].value == 1.0
    assert by_id["rpw_cost_200_cash_pct"].value == 3.0
    assert by_id["rpw_cost_200_digital_pct"].period == "2023Q3"
    assert by_id["rpw_cost_200_firm_bank_pct"].value == 1.0
    assert by_id["rpw_cost_200_firm_mto_pct"].value == 3.0
    assert by_id["rpw_cost_200_cash_pct"].cell.startswith("Dataset (from Q2 2016)!")
    q500 = {p.period: p.value for p in rus_mda.cost_500_quarters.points}
    assert q500["2023Q3"] == pytest.approx((0.5 + 2.0) / 2)


def test_other_senders_to_the_destination(rus_mda):
    senders = [(f.partner, round(f.value, 6)) for f in rus_mda.other_senders]
    assert senders == [("RUS", 1.4), ("ITA", 4.88), ("DEU", 8.0)]
    assert rus_mda.other_senders_year == 2020
    assert [f.cell for f in rus_mda.other_senders] == ["line 2", "line 3", "line 4"]


def test_to_dict_keeps_every_citation(rus_mda):
    data = rus_mda.to_dict()
    point = data["cost_200"]["points"][-1]
    assert point["value"] == pytest.approx(1.4)
    assert point["cell"] == "line 2" and point["citation"].startswith("World Bank RPW")
    assert point["sha256"] in data["files"]


def test_bad_corridors_name_the_parameter(store):
    with pytest.raises(UsageError, match=r"^ORIGIN"):
        build_corridor(store, "Narnia", "MDA")
    with pytest.raises(UsageError, match=r"^DESTINATION"):
        build_corridor(store, "RUS", "Narnia")
    with pytest.raises(UsageError, match=r"^DESTINATION: 'MDA' is also the origin"):
        build_corridor(store, "MDA", "Moldova")
    with pytest.raises(UsageError, match=r"^ORIGIN: 'world' is not a country"):
        build_corridor(store, "world", "MDA")


def test_a_corridor_without_data_is_empty(builder):
    c = corridor_from(builder, "ARM", "ITA")
    assert c.is_empty() and c.other_senders == []


def test_top_pairs_of_a_pair_indicator(builder):
    top = top_pairs(builder, "remittance_cost_corridor_pct", 3)
    assert [(f.partner, f.geo) for f in top] == [("DEU", "MDA"), ("ITA", "MDA"), ("MDA", "RUS")]


# -- the profile's corridor sections ----------------------------------------------------------


@pytest.fixture(scope="module")
def mda(builder):
    return builder.build("MDA")


def test_cost_by_sending_country_section(mda):
    ids = [s.id for s in mda.sections]
    assert ids.index("corridor_costs") == ids.index("remittances") + 1
    section = mda.section("corridor_costs")
    assert section is not None and section.bars is not None
    bars = [(f.partner, round(f.value or 0, 6), f.year, f.cell) for f in section.bars.points]
    assert bars == [("DEU", 8.0, 2020, "line 4"), ("ITA", 4.88, 2020, "line 3"),
                    ("RUS", 1.4, 2020, "line 2")]  # fmt: skip
    assert "in 2020" in section.note and "3%" in section.note
    chart = next(c for c in charts_for(mda) if c.id == "cost_by_sender")
    layers = chart.spec["vconcat"][0]["layer"]
    rule = [x for x in layers if x["mark"]["type"] == "rule"]
    assert rule and rule[0]["data"]["values"][0]["target"] == 3
    labels = [r["label"] for r in layers[0]["data"]["values"]]
    assert labels == ["8.00%", "4.88%", "1.40%"]


def test_top_corridors_section(mda):
    section = mda.section("corridors")
    assert section is not None
    rows = {(c.origin, c.destination, c.side): c for c in section.corridors}
    home = rows[("RUS", "MDA", "emigrants")]  # Moldovans in Russia send money home
    assert home.stock is not None and home.stock.value == 350.0
    assert home.remittances is not None and home.remittances.value == pytest.approx(
        532.9675560973676e6
    )
    assert home.cost is not None and home.cost.value == pytest.approx(1.4)
    out = rows[("MDA", "RUS", "immigrants")]  # Russians in Moldova send money to Russia
    assert out.stock is not None and out.stock.value == 22.0
    assert out.cost is not None and out.cost.value == pytest.approx(3.1)
    assert (out.cost.geo, out.cost.partner) == ("RUS", "MDA")
    assert [c.origin for c in section.corridors if c.side == "emigrants"] == ["RUS", "ITA", "UKR"]


def test_sections_only_where_the_data_has_them(builder):
    ukr = builder.build("UKR")  # stocks and remittances, no RPW corridor into Ukraine
    assert ukr.section("corridor_costs") is None
    assert ukr.section("corridors") is not None
    ita = builder.build("ITA")  # nothing RPW sends to Italy; emigrants? none in the files
    assert ita.section("corridor_costs") is None
    region = builder.build("eastern-partnership")
    assert region.section("corridor_costs") is None and region.section("corridors") is None


def test_json_and_all_figures_carry_the_sections(mda):
    data = mda.to_dict()
    costs = next(s for s in data["sections"] if s["id"] == "corridor_costs")
    assert [p["partner"] for p in costs["bars"]["points"]] == ["DEU", "ITA", "RUS"]
    corridors = next(s for s in data["sections"] if s["id"] == "corridors")
    assert corridors["corridors"][0]["stock"]["cell"]
    assert any(f.indicator == "remittances_bilateral_usd" for f in mda.all_figures())


def test_markdown_has_both_sections_with_cells(mda):
    md = render_markdown(mda)
    assert "## Cost of sending money home, by sending country" in md
    assert "| 3 | Russian Federation | 1.40% | 2020 | World Bank RPW 2020-12-07 | line 2" in md
    assert "## Top corridors" in md
    assert "Russian Federation → Republic of Moldova | 350" in md
    assert "1.40% (2020; World Bank RPW 2020-12-07, line 2)" in md


def test_pdf_data_has_the_tables(mda):
    from migprofile.render.pdf import document_data

    data = document_data(mda)
    section = next(s for s in data["sections"] if s["id"] == "corridor_costs")
    table = next(b for b in section["blocks"] if b["kind"] == "table")
    assert table["rows"][2][1:3] == ["Russian Federation", "1.40%"]
    assert "line 2" in table["rows"][2][4]


# -- the portal -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client(store, module_home):
    from fastapi.testclient import TestClient

    from migprofile.web import create_app

    with TestClient(create_app(module_home / DB_FILE)) as c:
        yield c


def test_corridor_page(client):
    r = client.get("/corridor/RUS/MDA")
    assert r.status_code == 200, r.text
    html = r.text
    for text in ("1.40%", "4.88%", "8.00%", "line 2, column 2020Q3 [YR2020Q3]", "line 3",
                 "rpw_corridors_Data.csv", "Bilateral_Remittances_2017!B4", "350"):  # fmt: skip
        assert text in html, text
    assert 'href="/country/RUS"' in html and 'href="/country/MDA"' in html
    assert 'href="/corridor/MDA/RUS"' in html  # the other way
    assert 'href="/corridor/ITA/MDA"' in html  # another sender
    assert "chart-corridor-cost-spec" in html


def test_corridor_json(client):
    r = client.get("/api/corridors/RUS/MDA")
    assert r.status_code == 200
    data = r.json()
    point = data["cost_200"]["points"][-1]
    assert (point["geo"], point["partner"], point["year"]) == ("MDA", "RUS", 2020)
    assert point["value"] == pytest.approx(1.4) and point["cell"] == "line 2"
    assert data["remittances"]["points"][0]["modelled"] is True
    assert (
        "/api/corridors/{origin}/{destination}" in client.get("/api/openapi.json").json()["paths"]
    )


@pytest.mark.parametrize(
    ("url", "status", "detail"),
    [
        ("/api/corridors/Narnia/MDA", 404, "from:"),
        ("/api/corridors/RUS/Narnia", 404, "to:"),
        ("/api/corridors/MDA/MDA", 400, "to:"),
        ("/api/corridors/world/MDA", 404, "from:"),
    ],
)
def test_corridor_errors(client, url, status, detail):
    r = client.get(url)
    assert r.status_code == status
    assert r.json()["detail"].startswith(detail)
    page = client.get(url.removeprefix("/api").replace("/corridors/", "/corridor/"))
    assert page.status_code == status and detail in page.text


def test_country_page_shows_the_sections_linked(client):
    html = client.get("/country/MDA").text
    assert "Cost of sending money home, by sending country" in html
    assert 'href="/corridor/RUS/MDA"' in html and 'href="/corridor/MDA/RUS"' in html
    assert re.search(r"1\.40%</data></td>\s*<td class=\"num\">2020</td>", html)
    assert "World Bank RPW 2020-12-07, line 3" in html and "4.88%" in html


def test_standalone_profile_has_no_corridor_links(mda):
    from migprofile.render.html import render_html

    html = render_html(mda)
    assert "Top corridors" in html and "/corridor/" not in html


def test_compare_with_a_partner(client):
    r = client.get("/compare?geo=MDA,ARM&indicator=remittance_cost_corridor_pct&partner=RUS")
    assert r.status_code == 200, r.text
    assert "1.4" in r.text and "partner Russian Federation" in r.text
    r = client.get("/compare?geo=MDA&indicator=remittance_cost_corridor_pct")
    assert r.status_code == 400 and "partner:" in r.text
    r = client.get("/compare?geo=MDA&indicator=remittance_cost_corridor_pct&partner=Narnia")
    assert r.status_code == 404 and "partner:" in r.text
    r = client.get("/compare?geo=MDA&indicator=emigrant_stock&partner=RUS")
    assert r.status_code == 400 and "partner:" in r.text


def test_pair_indicator_page_links_its_corridors(client):
    html = client.get("/indicators/remittance_cost_corridor_pct").text
    assert 'href="/corridor/DEU/MDA"' in html
    assert "see each country's profile" not in html


def test_cli_compare_needs_a_partner_for_a_pair_indicator(store, module_home):
    bad = run_migprofile(
        "compare", "remittance_cost_corridor_pct", "remittance_cost_corridor_pct", "MDA",
        home=module_home,
    )  # fmt: skip
    assert bad.returncode != 0 and "--partner" in bad.stderr and "Traceback" not in bad.stderr
    good = run_migprofile(
        "compare", "remittance_cost_corridor_pct", "remittance_cost_corridor_pct@rpw_corridors",
        "MDA", "--partner", "RUS", "--year", "2020", "--format", "csv", home=module_home,
    )  # fmt: skip
    assert good.returncode == 0, good.stderr
    rows = list(csv.DictReader(good.stdout.splitlines()))
    assert [float(r["value_a"]) for r in rows] == [pytest.approx(1.4)]


# -- the real corpus --------------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[2] / "shared"
FOLDERS = (SHARED / "data", SHARED / "data-next")
RPW_CSV = SHARED / "data" / "rpw" / "rpw_corridors_databank_Data.csv"


def _line_of(sending: str, receiving: str) -> int:
    """The line of the RPW DataBank export holding a corridor (read here, not by migprofile)."""
    with RPW_CSV.open(encoding="utf-8-sig", newline="") as fh:
        for n, row in enumerate(csv.reader(fh), 1):
            if len(row) > 5 and row[1] == sending and row[5] == receiving:
                return n
    raise AssertionError(f"{sending}->{receiving} not in the file")


@pytest.fixture(scope="module")
def corpus_client(tmp_path_factory):
    missing = [str(f) for f in FOLDERS if not f.is_dir()]
    if missing:
        pytest.skip(f"{', '.join(missing)} not present: the full corpus is needed")
    home = tmp_path_factory.mktemp("corpus_home")
    args = [a for f in FOLDERS for a in ("--raw-dir", str(f))]
    done = run_migprofile("ingest", *args, "--offline", home=home, timeout=1200)
    assert done.returncode == 0, done.stderr[-3000:]
    from fastapi.testclient import TestClient

    from migprofile.web import create_app

    with TestClient(create_app(home / DB_FILE)) as c:
        yield c


@pytest.mark.integration
def test_real_corridor_and_profile_show_russia_and_italy_2020(corpus_client):
    russia, italy = _line_of("RUS", "MDA"), _line_of("ITA", "MDA")
    page = corpus_client.get("/corridor/RUS/MDA")
    assert page.status_code == 200
    cells = (f"line {russia}", f"line {italy}", f"line {russia}, column 2020Q3 [YR2020Q3]")
    for text in ("1.40%", "4.88%", *cells, "rpw_corridors_databank_Data.csv"):
        assert text in page.text, text
    data = corpus_client.get("/api/corridors/RUS/MDA").json()
    latest = data["cost_200"]["points"][-1]
    assert (latest["year"], round(latest["value"], 2), latest["cell"]) == (
        2020, 1.40, f"line {russia}",
    )  # fmt: skip
    profile = corpus_client.get("/country/MDA").text
    section = profile[profile.index('id="section-corridor-costs"') :]
    section = section[: section.index("</section>")]
    for name, value, line in (("Russian Federation", "1.40%", russia), ("Italy", "4.88%", italy)):
        row = re.search(rf">{name}</a></th>\s*<td class=\"num\"><data[^>]*>([^<]+)</data></td>"
                        rf"\s*<td class=\"num\">(\d+)</td>\s*<td class=\"prov\"><small>([^<]+)",
                        section)  # fmt: skip
        assert row is not None, name
        assert row.group(1) == value and row.group(2) == "2020"
        assert f"line {line}" in row.group(3)
    assert 'href="/corridor/RUS/MDA"' in profile and 'href="/corridor/ITA/MDA"' in profile


def test_export_site_writes_corridor_pages_when_asked(store, module_home, tmp_path):
    from migprofile.web.export import export_site, is_corridor_page

    assert is_corridor_page("/corridor/RUS/MDA") and is_corridor_page("/ru/corridor/RUS/MDA")
    assert not is_corridor_page("/country/MDA") and not is_corridor_page("/corridors")
    full = tmp_path / "full"  # without the option: tests/test_export_site.py (real corpus)
    export_site(full, db_path=module_home / DB_FILE, include_corridors=True)
    page = full / "corridor" / "RUS" / "MDA" / "index.html"
    assert page.is_file() and "1.40%" in page.read_text("utf-8")
