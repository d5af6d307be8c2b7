"""World Bank WDI: bulk Excel, bulk CSV (with its metadata companions), the zip, and long CSVs;
aggregates, memberships, units, catalogue ids and editions. Files are built by tests/fixtures.py
(and, for the 2024 bulk CSV with its byte-order mark and multi-line notes, here) in the World
Bank's layouts with invented values; the real 2024 download is checked at the end."""

from __future__ import annotations

import csv
import io
import zipfile
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
        # the companions take the edition of the data file downloaded with them
        (
            "Metadata_Country_API_SI.RMT.COST.IB.ZS_DS2_en_csv_v2_3692955.csv",
            "wdi",
            "2022-02-15",
            0,
        ),
        (
            "Metadata_Indicator_API_SI.RMT.COST.IB.ZS_DS2_en_csv_v2_3692955.csv",
            "wdi",
            "2022-02-15",
            0,
        ),
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


# --- the 2024 bulk CSV: byte-order mark, LF line ends, notes with line breaks ---------------------

POP = "wdi:SP.POP.TOTL"
POP_STEM = "API_SP.POP.TOTL_DS2_en_csv_v2_56"
POP_YEARS = list(range(2019, 2024))
# (Country Name, Country Code, {year: value}), sorted by name and ending with Zimbabwe. Invented.
POP_ROWS: tuple = (
    ("Armenia", "ARM", {2022: 2_780_000.0, 2023: 2_777_000.0}),
    ("Europe & Central Asia", "ECS", {2023: 923_000_000.0}),
    ("Moldova", "MDA", {2019: 2_660_000.0, 2022: 2_540_000.0, 2023: 2_490_001.0}),
    ("World", "WLD", {2023: 8_060_000_000.0}),
    ("Zimbabwe", "ZWE", {2023: 16_660_000.0}),
)
# Country Code, Region, IncomeGroup, SpecialNotes, TableName; notes split over lines as the
# World Bank writes them (a blank line between paragraphs).
POP_COUNTRY_META: tuple = (
    ("ARM", "Europe & Central Asia", "Upper middle income", "", "Armenia"),
    ("ECS", "", "", "Europe and Central Asia regional aggregate.\n\nIncludes all income levels.",
     "Europe & Central Asia"),
    ("MDA", "Europe & Central Asia", "Upper middle income",
     "Excluding Transnistria.\n\nFiscal year end: December 31; reporting period for national "
     "accounts data: CY.", "Moldova"),
    ("WLD", "", "", "World aggregate.", "World"),
    ("ZWE", "Sub-Saharan Africa", "Lower middle income", "National accounts data were\nrebased.",
     "Zimbabwe"),
)  # fmt: skip


def _wb_lf_csv(records) -> str:
    """The 2024 dialect: every field quoted, a comma after the last, LF line ends."""
    return "".join(
        "".join(f'"{str(v).replace(chr(34), chr(34) * 2)}",' for v in rec) + "\n" if rec else "\n"
        for rec in records
    )


def wdi_2024_texts(
    rows=POP_ROWS, country_meta=POP_COUNTRY_META, last_updated="2024-11-13"
) -> dict[str, str]:
    """File name → text of the three CSVs of a 2024 WDI bulk download (no BOM yet)."""
    data = [
        ["Data Source", "World Development Indicators"],
        [],
        ["Last Updated Date", last_updated],
        [],
        ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, POP_YEARS)],
    ]
    for cname, ccode, values in rows:
        cells = [repr(values[y]).removesuffix(".0") if y in values else "" for y in POP_YEARS]
        data.append([cname, ccode, "Population, total", "SP.POP.TOTL", *cells])
    meta = [["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]]
    meta += [list(rec) for rec in country_meta]
    inds = [
        ["INDICATOR_CODE", "INDICATOR_NAME", "SOURCE_NOTE", "SOURCE_ORGANIZATION"],
        ["SP.POP.TOTL", "Population, total", "Midyear estimates.", "(1) Made-up sources."],
    ]
    return {
        f"{POP_STEM}.csv": _wb_lf_csv(data),
        f"Metadata_Country_{POP_STEM}.csv": _wb_lf_csv(meta),
        f"Metadata_Indicator_{POP_STEM}.csv": _wb_lf_csv(inds),
    }


def wdi_2024_download(folder: Path, **kwargs) -> Path:
    """The three CSVs of the 2024 download, each starting with a UTF-8 byte-order mark;
    returns the data CSV's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in wdi_2024_texts(**kwargs).items():
        (folder / name).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return folder / f"{POP_STEM}.csv"


def _line_starting(path: Path, prefix: str) -> int:
    """The 1-based physical line of a file that starts with `prefix` (BOM ignored)."""
    lines = path.read_bytes().decode("utf-8-sig").split("\n")
    return next(n for n, line in enumerate(lines, 1) if line.startswith(prefix))


def _strings(pf, h) -> list[str]:
    out = [str(v) for r in pf.table.to_pylist() for v in r.values() if isinstance(v, str)]
    out += [x for i in pf.indicators for x in (i.indicator, i.name, i.definition, i.unit)]
    out += [e.name for e in h.entries.values()] + [code for _, code in h.codes]
    return out


def test_2024_download_bom_never_leaks(tmp_path):
    path = wdi_2024_download(tmp_path)
    assert path.read_bytes().startswith(b'\xef\xbb\xbf"Data Source"')
    match, h, pf = parse(path)
    assert (match.layout, pf.edition) == ("wdi-bulk-csv", "2024-11-13")
    assert not [s for s in _strings(pf, h) if "\ufeff" in s]
    mda = one(pf.table, indicator=POP, geo="MDA", year=2023)
    assert (mda["value"], mda["unit"], mda["col"]) == (2_490_001.0, "persons", "2023")
    assert [i.indicator for i in pf.indicators] == [POP]  # the BOM'd INDICATOR_CODE heading
    assert h.members["wb-ecs"] == {"ARM", "MDA"}  # the BOM'd Country Code heading
    for companion in sorted(tmp_path.glob("Metadata_*")):
        _, h2, meta = parse(companion)
        assert not [s for s in _strings(meta, h2) if "\ufeff" in s], companion.name


def test_2024_download_rows_are_physical_lines(tmp_path):
    path = wdi_2024_download(tmp_path)
    _, _, pf = parse(path)
    for code in ("ARM", "MDA", "ZWE"):
        r = rows(pf.table, indicator=POP, geo=code)[0]
        name = next(n for n, c, _ in POP_ROWS if c == code)
        assert r["row"] == _line_starting(path, f'"{name}","{code}"')
    # a record after multi-line notes: the error names its first physical line, not its count
    meta = (*POP_COUNTRY_META[:3], ("QQQ", "Europe & Central Asia", "", "", "Q"),
            *POP_COUNTRY_META[3:])  # fmt: skip
    wdi_2024_download(tmp_path / "bad", country_meta=meta)
    companion = tmp_path / "bad" / f"Metadata_Country_{POP_STEM}.csv"
    with pytest.raises(ParseError, match="'QQQ'") as err:
        parse(companion)
    assert err.value.row == _line_starting(companion, '"QQQ"') == 9  # record 5, line 9
    assert Path(err.value.path).name == companion.name
    # ... and so does the data file's parse, which reads the same companion
    with pytest.raises(ParseError, match="'QQQ'") as err:
        parse(tmp_path / "bad" / f"{POP_STEM}.csv")
    assert (Path(err.value.path).name, err.value.row) == (companion.name, 9)


def test_2024_country_metadata_cut_before_zimbabwe_names_its_last_line(tmp_path):
    wdi_2024_download(tmp_path, country_meta=POP_COUNTRY_META[:-1])
    companion = tmp_path / f"Metadata_Country_{POP_STEM}.csv"
    with pytest.raises(ParseError, match="'WLD'") as err:
        parse(companion)
    assert err.value.row == _line_starting(companion, '"WLD"')


def test_companions_take_the_edition_of_the_data_file_beside_them(tmp_path):
    data = wdi_2024_download(tmp_path)
    for kind in ("Country", "Indicator"):
        _, _, pf = parse(tmp_path / f"Metadata_{kind}_{POP_STEM}.csv")
        assert (pf.edition, pf.edition_order) == ("2024-11-13", "2024-11-13")
        assert pf.note == f"edition of {data.name} beside it (same download; no date in this file)"
    data.unlink()
    _, _, pf = parse(tmp_path / f"Metadata_Country_{POP_STEM}.csv")
    assert (pf.edition, pf.edition_order) == ("undated", "0000")
    assert (
        pf.note
        == f"no date in the file, and no data file beside it to date it ({data.name} not found)"
    )


def test_2024_zip_with_bom_members(tmp_path):
    target = tmp_path / f"{POP_STEM}.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in wdi_2024_texts().items():
            zf.writestr(name, b"\xef\xbb\xbf" + text.encode("utf-8"))
    _, h, pf = parse(target)
    assert (pf.layout, pf.edition) == ("wdi-bulk-zip", "2024-11-13")
    assert not [s for s in _strings(pf, h) if "\ufeff" in s]
    assert one(pf.table, indicator=POP, geo="MDA", year=2023)["row"] == 8
    assert h.members["wb-ssf"] == {"ZWE"}


def test_2024_download_ingests_with_editions(tmp_path, home):
    raw = tmp_path / "raw"
    wdi_2024_download(raw)
    report = ingest(raw_dir=raw, offline=True)
    assert sorted((Path(p).name, ed, n) for p, _, ed, n in report.ingested) == [
        (f"{POP_STEM}.csv", "2024-11-13", 8),
        (f"Metadata_Country_{POP_STEM}.csv", "2024-11-13", 0),
        (f"Metadata_Indicator_{POP_STEM}.csv", "2024-11-13", 0),
    ]
    store = migprofile.open_store()
    try:
        (r,) = observations(store, "population", "MDA", year=2023).to_pylist()
        assert (r["value"], r["edition"], r["row"]) == (2_490_001.0, "2024-11-13", 8)
    finally:
        store.close()


# --- the real 2024 download ------------------------------------------------------------------

DATA_NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next"
WDI_2024 = DATA_NEXT / "worldbank_wdi_csv_2024"


@pytest.fixture(scope="module")
def wdi_2024_folder() -> Path:
    if not WDI_2024.is_dir():
        pytest.skip(f"{WDI_2024} not present: the real 2024 WDI download is checked there")
    return WDI_2024


@pytest.mark.integration
def test_real_2024_download(wdi_2024_folder):
    path = wdi_2024_folder / f"{POP_STEM}.csv"
    text = path.read_bytes().decode("utf-8-sig")
    # expectations read from the file by the csv module, independently of the parser
    records = list(csv.reader(io.StringIO(text, newline="")))
    header = records[4]
    mda_line, mda = next((n, r) for n, r in enumerate(records, 1) if r[1:2] == ["MDA"])
    assert mda[header.index("2023")] == "2486891"
    _, h, pf = parse(path)
    r = one(pf.table, indicator=POP, geo="MDA", year=2023)
    assert (r["value"], r["row"], r["col"], pf.edition) == (
        2_486_891.0,
        mda_line,
        "2023",
        "2024-11-13",
    )
    assert mda_line == _line_starting(path, '"Moldova","MDA"')  # no multi-line cell above
    assert not [s for s in _strings(pf, h) if "\ufeff" in s]
    cells = sum(1 for rec in records[5:] for c in rec[4:] if c.strip())
    dropped = sum(1 for rec in records[5:] if rec[1:2] == ["INX"] for c in rec[4:] if c.strip())
    assert pf.table.num_rows == cells - dropped
    meta = wdi_2024_folder / f"Metadata_Country_{POP_STEM}.csv"
    raw_meta = meta.read_bytes().decode("utf-8-sig")
    meta_records = list(csv.reader(io.StringIO(raw_meta, newline="")))
    assert (len(meta_records) - 1, raw_meta.count("\n")) == (265, 283)
    _, _, m = parse(meta)
    assert (m.edition, m.note) == (
        "2024-11-13",
        f"edition of {path.name} beside it (same download; no date in this file)",
    )
    _, _, gdp = parse(next(wdi_2024_folder.glob("API_NY.GDP.MKTP.CD_*.csv")))
    assert gdp.edition == "2023-10-26"
