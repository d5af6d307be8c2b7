"""World Bank WDI: bulk Excel, bulk CSV (with its metadata companions), the zip, and long CSVs;
aggregates, memberships, units, catalogue ids and editions. Files are built by tests/fixtures.py
in the World Bank's layouts with invented values."""

from __future__ import annotations

from pathlib import Path

import pytest

import fixtures as fx
import migprofile
from fixtures import one, rows
from migprofile.errors import ParseError
from migprofile.indicators import observations
from migprofile.ingest import harmoniser_for, ingest, recognise
from migprofile.sources import REGISTRY, FilePeek, get_source
from migprofile.sources.wdi import unit_from_name

REMIT = "wdi:BX.TRF.PWKR.CD.DT"
COST = "wdi:SI.RMT.COST.IB.ZS"
OLD_REMIT_ROWS = (
    ("Europe & Central Asia", "ECS", {2021: 158e9}),
    ("Moldova", "MDA", {2019: 1.6e9, 2020: 1.7e9, 2021: 1.8e9}),
    ("World", "WLD", {2021: 640e9}),
)


parse = fx.recognise_and_parse


@pytest.fixture(scope="module")
def parsed_xls(tmp_path_factory):
    return parse(fx.wdi_bulk_xls(tmp_path_factory.mktemp("xls")))


@pytest.fixture(scope="module")
def raw(tmp_path_factory):
    """Two editions of remittances received (xls), the cost CSV with companions, a long CSV."""
    raw = tmp_path_factory.mktemp("raw")
    fx.wdi_bulk_xls(raw)
    fx.wdi_bulk_xls(
        raw / "old" / "personal-remittances-received.xls",
        last_updated="2022-02-15",
        rows=OLD_REMIT_ROWS,
    )
    fx.wdi_bulk_csv(raw)
    fx.wdi_long_csv(raw)
    return raw


@pytest.fixture(scope="module")
def store(module_home, raw, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "s.duckdb"
    report = ingest(raw_dir=raw, offline=True, db=db)
    got = sorted((Path(p).name, src, ed, n) for p, src, ed, n in report.ingested)
    assert got == [
        ("API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_5455555.xls", "wdi", "2023-05-10", 17),
        ("API_SI.RMT.COST.IB.ZS_DS2_en_csv_v2_3692955.csv", "wdi", "2022-02-15", 9),
        ("Metadata_Country_API_SI.RMT.COST.IB.ZS_DS2_en_csv_v2_3692955.csv", "wdi", "undated", 0),
        ("Metadata_Indicator_API_SI.RMT.COST.IB.ZS_DS2_en_csv_v2_3692955.csv", "wdi", "undated", 0),
        ("SP.POP.TOTL.csv", "wdi", "undated", 7),
        ("personal-remittances-received.xls", "wdi", "2022-02-15", 5),
    ]
    assert report.skipped == []
    s = migprofile.open_store(db)
    yield s
    s.close()


# --- bulk Excel --------------------------------------------------------------------------------


def test_xls_values_edition_and_provenance(parsed_xls):
    match, _, pf = parsed_xls
    assert (match.source.id, pf.layout, pf.edition, pf.edition_order) == (
        "wdi",
        "wdi-bulk-excel",
        "2023-05-10",
        "2023-05-10",
    )
    t = pf.table
    mda = one(t, indicator=REMIT, geo="MDA", year=2022)
    assert (mda["value"], mda["unit"], mda["sex"], mda["partner"]) == (
        1.95e9,
        "current US$",
        "total",
        "",
    )
    # Data sheet: header on row 4, Moldova is the 5th economy (row 9); 2022 is column BO
    assert (mda["sheet"], mda["row"], mda["col"]) == ("Data", 9, "BO")
    early = one(t, indicator=REMIT, geo="MDA", year=1995)
    assert (early["value"], early["col"]) == (1.5e6, "AN")
    assert [r["year"] for r in rows(t, geo="MDA")] == [1995, 2020, 2021, 2022]
    # empty cells are absent, not zero
    assert [(r["year"], r["value"]) for r in rows(t, geo="GEO")] == [(2021, 2.25e9)]
    assert t.num_rows == 17


def test_xls_indicator_metadata(parsed_xls):
    inds = parsed_xls[2].indicators
    assert len(inds) == 1
    ind = inds[0]
    assert (ind.indicator, ind.name, ind.unit) == (REMIT, fx.REMIT_NAME, "current US$")
    assert ind.definition == fx.SOURCE_NOTE
    assert ind.source_note == fx.SOURCE_ORG


def test_xls_aggregates_and_memberships(parsed_xls):
    _, h, pf = parsed_xls
    t = pf.table
    geos = {r["geo"] for r in t.to_pylist()}
    assert geos == {"ARM", "GEO", "MDA", "world", "wb-ecs", "wb-umc"}
    assert one(t, geo="world", year=2022)["value"] == 700e9
    assert one(t, geo="wb-ecs", year=2021)["value"] == 160e9
    assert h.entries["wb-ecs"].kind == "aggregate"
    assert h.entries["wb-ecs"].group_type == "wb_region"
    assert h.entries["wb-ecs"].name == "Europe & Central Asia"
    assert h.entries["wb-umc"].group_type == "wb_income"
    assert h.codes[("wb", "ECS")] == "wb-ecs"
    assert h.members["wb-ecs"] == {"ARM", "GEO", "MDA"}
    assert h.members["wb-umc"] == {"ARM", "GEO", "MDA"}
    assert "wb-inx" not in h.entries
    assert {("wb-ecs", "MDA"), ("wb-umc", "MDA")} <= set(h.new_members)


def test_not_classified_dropped_even_with_values(tmp_path):
    rows_ = (*fx.WDI_ROWS[:3], ("Not classified", "INX", {2020: 5.0, 2021: 6.0}), *fx.WDI_ROWS[4:])
    _, h, pf = parse(fx.wdi_bulk_xls(tmp_path, rows=rows_))
    assert not [r for r in pf.table.to_pylist() if "inx" in r["geo"].lower()]
    assert not [g for g in h.entries if "inx" in g]
    assert pf.table.num_rows == 17


def test_unknown_economy_code_is_an_error(tmp_path):
    rows_ = (*fx.WDI_ROWS, ("Atlantis", "ATL", {2020: 1.0}))
    path = fx.wdi_bulk_xls(tmp_path, rows=rows_)
    match = recognise(path, REGISTRY)
    with pytest.raises(ParseError) as exc:
        match.source.parse(match, harmoniser_for(None))
    assert exc.value.sheet == "Data"
    assert exc.value.row == 12
    assert "'ATL'" in str(exc.value)


def test_text_in_a_year_cell_is_an_error(tmp_path):
    rows_ = (("Moldova", "MDA", {2020: "about 2 bn"}),)
    path = fx.wdi_bulk_xls(tmp_path, rows=rows_)
    match = recognise(path, REGISTRY)
    with pytest.raises(ParseError, match="about 2 bn") as exc:
        match.source.parse(match, harmoniser_for(None))
    assert (exc.value.sheet, exc.value.row) == ("Data", 5)
    assert "column 2020" in str(exc.value)


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("Personal remittances, received (current US$)", "current US$"),
        ("Personal remittances, received (% of GDP)", "% of GDP"),
        ("Average transaction cost of sending remittances to a specific country (%)", "%"),
        ("Population, total", "persons"),
        ("Net migration", "persons"),
        ("Poverty headcount ratio at $3.00 a day (2021 PPP) (% of population)", "% of population"),
    ],
)
def test_unit_from_indicator_name(name, unit):
    assert unit_from_name(name) == unit


# --- bulk CSV, zip and long CSV ----------------------------------------------------------------


def test_bulk_csv_layout_and_values(tmp_path):
    path = fx.wdi_bulk_csv(tmp_path)
    raw = path.read_bytes()
    assert raw.startswith(b'"Data Source","World Development Indicators",\r\n\r\n"Last Updated')
    _, h, pf = parse(path)
    assert (pf.layout, pf.edition) == ("wdi-bulk-csv", "2022-02-15")
    t = pf.table
    mda = rows(t, indicator=COST, geo="MDA")
    assert [(r["year"], r["value"]) for r in mda] == [(2016, 6.75), (2019, 5.5), (2020, 5.25)]
    # provenance: the physical line of the CSV and the header text of the column
    r2020 = mda[-1]
    line = raw.decode().split("\r\n")[r2020["row"] - 1]
    assert line.startswith('"Moldova","MDA",')
    assert (r2020["sheet"], r2020["col"], r2020["unit"]) == (None, "2020", "%")
    # the Metadata_Country_ companion beside it gives regions and income groups
    assert h.members["wb-ecs"] == {"ARM", "GEO", "MDA"}
    assert [i.name for i in pf.indicators] == [
        "Average transaction cost of sending remittances to a specific country (%)"
    ]


def test_bulk_csv_without_companions(tmp_path):
    path = fx.wdi_bulk_csv(tmp_path)
    for companion in tmp_path.glob("Metadata_*"):
        companion.unlink()
    _, h, pf = parse(path)
    geos = {r["geo"] for r in pf.table.to_pylist()}
    assert geos == {"ARM", "GEO", "MDA", "world", "wb-ecs", "wb-umc"}
    assert h.entries["wb-ecs"].group_type == "wb_region"
    assert h.entries["wb-umc"].group_type == "wb_income"
    assert "wb-ecs" not in h.members
    assert one(pf.table, geo="MDA", year=2020)["unit"] == "%"


@pytest.mark.parametrize("name", [None, "download.zip"])
def test_bulk_zip(tmp_path, name):
    path = fx.wdi_bulk_zip(tmp_path / name if name else tmp_path)
    match, h, pf = parse(path)
    assert (match.layout, pf.layout, pf.edition) == ("wdi-bulk-zip", "wdi-bulk-zip", "2022-02-15")
    r = one(pf.table, indicator=COST, geo="MDA", year=2019)
    assert (r["value"], r["sheet"], r["col"]) == (
        5.5,
        "API_SI.RMT.COST.IB.ZS_DS2_en_csv_v2_3692955.csv",
        "2019",
    )
    assert h.members["wb-umc"] == {"ARM", "GEO", "MDA"}
    assert pf.table.num_rows == 9


def test_long_csv(tmp_path):
    _, _, pf = parse(fx.wdi_long_csv(tmp_path))
    assert (pf.layout, pf.edition, pf.edition_order) == ("wdi-long-csv", "undated", "0000")
    t = pf.table
    r = one(t, indicator="wdi:SP.POP.TOTL", geo="MDA", year=2023)
    assert (r["value"], r["unit"], r["row"], r["col"]) == (2.4e6, "persons", 2, "value")
    assert one(t, geo="MDA", year=2021)["value"] is None
    assert one(t, geo="world", year=2022)["value"] == 7950000000.5
    assert one(t, geo="wb-ecs", year=2023)["value"] == 930e6
    assert [i.indicator for i in pf.indicators] == ["wdi:SP.POP.TOTL"]


def test_long_csv_bad_year_names_line(tmp_path):
    path = fx.wdi_long_csv(
        tmp_path, rows=((2023, "MDA", "Moldova", 1.0), ("23", "MDA", "Moldova", 2.0))
    )
    match = recognise(path, REGISTRY)
    with pytest.raises(ParseError, match="is not a year") as exc:
        match.source.parse(match, harmoniser_for(None))
    assert exc.value.row == 3


def test_tidy_csv_is_not_wdi(tmp_path):
    path = fx.tidy_bilateral_csv(tmp_path)
    assert get_source("wdi").recognise(path, FilePeek(path)) is None


def test_named_like_wdi_but_not_wdi(tmp_path):
    path = tmp_path / "API_SP.POP.TOTL_DS2_en_csv_v2_1.csv"
    path.write_text("just,some\n1,2\n", encoding="utf-8")
    with pytest.raises(ParseError, match="named like a World Bank") as exc:
        recognise(path, REGISTRY)
    assert str(path) in str(exc.value)


# --- through the store -------------------------------------------------------------------------


def test_store_catalogue_id_maps_to_wdi_code(store):
    got = observations(store, "remittances_received_usd", "MDA", year=2022).to_pylist()
    assert len(got) == 1
    r = got[0]
    assert (r["indicator"], r["value"], r["unit"], r["source"], r["edition"]) == (
        "remittances_received_usd",
        1.95e9,
        "current US$",
        "wdi",
        "2023-05-10",
    )
    assert (r["file_name"], r["sheet"], r["row"], r["col"]) == (
        "API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_5455555.xls",
        "Data",
        9,
        "BO",
    )
    same = observations(store, REMIT, "Moldova", year=2022).to_pylist()
    assert [(x["indicator"], x["value"]) for x in same] == [(REMIT, 1.95e9)]


def test_store_two_editions_kept_latest_by_default(store):
    vintages = store.con.execute(
        "SELECT edition, file_name, rows FROM vintages "
        "WHERE file_name LIKE '%.xls' ORDER BY edition"
    ).fetchall()
    assert vintages == [
        ("2022-02-15", "personal-remittances-received.xls", 5),
        ("2023-05-10", "API_BX.TRF.PWKR.CD.DT_DS2_en_excel_v2_5455555.xls", 17),
    ]
    latest = observations(store, "remittances_received_usd", "MDA").to_pylist()
    # one edition per series: 2019 exists only in the older edition and is not filled in
    assert [(r["year"], r["value"], r["edition"]) for r in latest] == [
        (1995, 1.5e6, "2023-05-10"),
        (2020, 1.75e9, "2023-05-10"),
        (2021, 1.85e9, "2023-05-10"),
        (2022, 1.95e9, "2023-05-10"),
    ]
    old = observations(store, "remittances_received_usd", "MDA", edition="2022-02-15").to_pylist()
    assert [(r["year"], r["value"], r["file_name"]) for r in old] == [
        (2019, 1.6e9, "personal-remittances-received.xls"),
        (2020, 1.7e9, "personal-remittances-received.xls"),
        (2021, 1.8e9, "personal-remittances-received.xls"),
    ]
    world_old = observations(
        store, "remittances_received_usd", "world", year=2021, edition="2022-02-15"
    )
    assert [r["value"] for r in world_old.to_pylist()] == [640e9]


def test_store_aggregates(store):
    world = observations(store, "remittances_received_usd", "world", year=2022).to_pylist()
    assert [r["value"] for r in world] == [700e9]
    ecs = observations(store, "remittances_received_usd", "wb-ecs", year=2022).to_pylist()
    assert [r["value"] for r in ecs] == [170e9]
    for geo, group_type in (("wb-ecs", "wb_region"), ("wb-umc", "wb_income")):
        row = store.geo_row(geo)
        assert (row["kind"], row["group_type"]) == ("aggregate", group_type)
    assert store.geo_row("wb-inx") is None
    assert store.con.execute(
        "SELECT count(*) FROM observations WHERE geo ILIKE '%inx%'"
    ).fetchall() == [(0,)]


def test_store_memberships(store):
    members = store.con.execute(
        "SELECT group_geo, member FROM geo_members "
        "WHERE group_geo IN ('wb-ecs', 'wb-umc') ORDER BY 1, 2"
    ).fetchall()
    assert members == [
        ("wb-ecs", "ARM"),
        ("wb-ecs", "GEO"),
        ("wb-ecs", "MDA"),
        ("wb-umc", "ARM"),
        ("wb-umc", "GEO"),
        ("wb-umc", "MDA"),
    ]


def test_store_units_and_other_indicators(store):
    cost = observations(store, "remittance_cost_to_pct", "MDA").to_pylist()
    assert [(r["year"], r["value"], r["unit"]) for r in cost] == [
        (2016, 6.75, "%"),
        (2019, 5.5, "%"),
        (2020, 5.25, "%"),
    ]
    pop = observations(store, "population", "MDA").to_pylist()
    assert [(r["year"], r["value"], r["unit"], r["edition"]) for r in pop] == [
        (2021, None, "persons", "undated"),
        (2022, 2.45e6, "persons", "undated"),
        (2023, 2.4e6, "persons", "undated"),
    ]
    names = store.con.execute(
        "SELECT indicator, name, unit FROM source_indicators ORDER BY indicator, vintage_id"
    ).fetchall()
    assert (REMIT, fx.REMIT_NAME, "current US$") in names
    assert ("wdi:SP.POP.TOTL", "Population, total", "persons") in names


def test_reingest_is_unchanged(store, raw, module_home):
    db = store.path
    report = ingest(raw_dir=raw, offline=True, db=db)
    assert report.ingested == []
    assert len(report.unchanged) == 6
