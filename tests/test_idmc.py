"""IDMC GIDD: the Excel export (data, SADD and README sheets; from 2024 also a context sheet)
and the CSV export.

Fixtures are built here in IDMC's layouts with made-up values; the real exports in
../shared/data/idmc and ../shared/data-next/idmc are checked at the end (integration, skipped
when absent).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from fixtures import IDMC_HEADER, assert_reingest_adds_nothing, parse_with
from migprofile.errors import ParseError
from migprofile.indicators import observations
from migprofile.sources.base import FilePeek
from migprofile.sources.idmc import Idmc

HEADER = IDMC_HEADER
# Made-up figures: (ISO3, Name, Year, conflict stock, raw, conflict new, raw, disaster new, raw,
# disaster stock, raw); None = blank cell as in the export.
DATA = [
    ["AB9", "Abyei Area", 2022, 41000, 40987, 12000, 11950, 3300, 3271, None, None],
    ["GEO", "Georgia", 2022, 250000, 249876, None, None, 510, 512, 27000, 26950],
    ["UKR", "Ukraine", 2022, 4100000, 4099123, 9900000, 9899765, 2, 2, None, None],
    ["XKX", "Kosovo", 2021, 15000, 15321, None, None, None, None, None, None],
    ["MDA", "Moldova", 2008, None, None, None, None, 300, 298, None, None],
]
SADD_HEADER = ["ISO3", "Country", "Year", "Sex", "Cause", "0-4", "5-11", "65+"]
SADD = [
    ["GEO", "Georgia", 2022, "Female", "Conflict", 7000, 9000, 20000],
    ["GEO", "Georgia", 2022, "Male", "Conflict", 7200, 9300, 14000],
    ["GEO", "Georgia", 2022, "Both sexes", "Conflict", 14200, 18300, 34000],
    ["GEO", "Georgia", 2022, "Both sexes", "Disaster", 1500, 0, 3100],
]
README = [
    ["Title: Global Internal Displacement Database (GIDD)"],
    ["File name: IDMC_Internal_Displacement_Conflict-Violence_Disasters"],
    ["Creator: Internal Displacement monitoring Centre (IDMC)"],
    ["Date extracted", "02/10/2023"],
    ["Last update", "16/05/2023"],
    [],
    ["Where (raw) means \u201cnot rounded\u201d."],
]
XLSX_NAME = "IDMC_Internal_Displacement_Conflict-Violence_Disasters.xlsx"


def gidd_workbook(path: Path, *, data=None, readme=README, sadd=True) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "1_Displacement_data"
    ws.append(HEADER)
    for row in data if data is not None else DATA:
        ws.append(row)
    if sadd:
        ws2 = wb.create_sheet("2_IDPs_SADD_estimates")
        ws2.append(SADD_HEADER)
        for row in SADD:
            ws2.append(row)
    if readme is not None:
        ws3 = wb.create_sheet("README")
        for row in readme:
            ws3.append(row)
    wb.save(path)
    return path


def gidd_csv(path: Path, *, data=None, hxl=False) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        if hxl:
            w.writerow(["#country+code", "#country+name", "#date+year"] + ["#affected"] * 8)
        for row in data if data is not None else DATA:
            w.writerow(["" if c is None else c for c in row])
    return path


def parse(path: Path, harmoniser=None):
    return parse_with(Idmc(), path, harmoniser)


def rows_of(parsed) -> dict[tuple, dict]:
    return {
        (r["indicator"], r["geo"], r["year"], r["sex"], r["age"]): r
        for r in parsed.table.to_pylist()
    }


# -- Excel export -------------------------------------------------------------------------------


def test_xlsx_values_units_provenance(tmp_path):
    parsed, _ = parse(gidd_workbook(tmp_path / XLSX_NAME))
    rows = rows_of(parsed)
    r = rows[("new_displacements_conflict", "UKR", 2022, "total", "total")]
    assert r["value"] == 9900000 and r["unit"] == "movements"
    assert (r["sheet"], r["row"], r["col"]) == ("1_Displacement_data", 4, "F")
    raw = rows[("new_displacements_conflict_raw", "UKR", 2022, "total", "total")]
    assert raw["value"] == 9899765 and raw["col"] == "G"
    stock = rows[("idps_conflict_stock", "GEO", 2022, "total", "total")]
    assert stock["value"] == 250000 and stock["unit"] == "persons" and stock["row"] == 3
    assert rows[("idps_disaster_stock_raw", "GEO", 2022, "total", "total")]["value"] == 26950
    assert rows[("new_displacements_disaster", "MDA", 2008, "total", "total")]["value"] == 300
    assert rows[("idps_conflict_stock", "XKX", 2021, "total", "total")]["value"] == 15000
    # blank cells are not stored (never as 0)
    assert ("idps_conflict_stock", "MDA", 2008, "total", "total") not in rows
    assert all(r["value"] is not None for r in parsed.table.to_pylist())
    assert parsed.edition == "2023-05-16" and parsed.edition_order == "2023-05-16"
    assert "extracted 2023-10-02" in parsed.note
    assert parsed.layout == "idmc-gidd-xlsx"
    ids = {i.indicator for i in parsed.indicators}
    assert {
        "idps_conflict_stock",
        "idps_conflict_stock_raw",
        "new_displacements_disaster_raw",
    } <= ids


def test_abyei_is_registered_as_an_area(tmp_path):
    parsed, h = parse(gidd_workbook(tmp_path / XLSX_NAME))
    rows = rows_of(parsed)
    assert rows[("idps_conflict_stock", "idmc-ab9", 2022, "total", "total")]["value"] == 41000
    entry = h.entries["idmc-ab9"]
    assert entry.name == "Abyei Area" and entry.group_type == "disputed_area"
    assert h.by_code("idmc", "AB9") == "idmc-ab9"


def test_sadd_sheet_by_sex_and_age(tmp_path):
    parsed, _ = parse(gidd_workbook(tmp_path / XLSX_NAME))
    rows = rows_of(parsed)
    female = rows[("idmc:idps_conflict_sadd", "GEO", 2022, "female", "0-4")]
    assert female["value"] == 7000 and female["sheet"] == "2_IDPs_SADD_estimates"
    assert (female["row"], female["col"]) == (2, "F")
    assert rows[("idmc:idps_conflict_sadd", "GEO", 2022, "total", "65+")]["value"] == 34000
    assert rows[("idmc:idps_disaster_sadd", "GEO", 2022, "total", "5-11")]["value"] == 0
    # the headline ids stay one value per country-year (age 'total' only)
    assert {
        r["age"] for r in parsed.table.to_pylist() if r["indicator"] == "idps_conflict_stock"
    } == {"total"}


def test_readme_without_last_update_uses_extraction_date(tmp_path):
    readme = [r for r in README if not (r and r[0] == "Last update")]
    parsed, _ = parse(gidd_workbook(tmp_path / XLSX_NAME, readme=readme, sadd=False))
    assert parsed.edition == "2023-10-02"


# -- CSV export ---------------------------------------------------------------------------------


def test_csv_export_same_columns(tmp_path):
    parsed, _ = parse(gidd_csv(tmp_path / "idmc_gidd_displacement_data.csv", hxl=True))
    rows = rows_of(parsed)
    r = rows[("new_displacements_conflict", "UKR", 2022, "total", "total")]
    assert r["value"] == 9900000
    assert r["sheet"] is None and r["row"] == 5  # header, HXL row, AB9, GEO, UKR
    assert r["col"] == "Conflict Internal Displacements"
    assert rows[("idps_conflict_stock_raw", "idmc-ab9", 2022, "total", "total")]["value"] == 40987
    assert parsed.layout == "idmc-gidd-csv"
    assert parsed.edition == "2023" and parsed.edition_order == "2023-05"
    assert "inferred" in parsed.note


def test_csv_with_snake_case_headings(tmp_path):
    path = gidd_csv(tmp_path / "gidd.csv")
    lines = path.read_text().splitlines()
    lines[0] = ",".join(
        h.lower().replace(" (raw)", "_raw").replace(" ", "_") for h in lines[0].split(",")
    )
    path.write_text("\n".join(lines) + "\n")
    parsed, _ = parse(path)
    rows = rows_of(parsed)
    assert rows[("idps_disaster_stock_raw", "GEO", 2022, "total", "total")]["value"] == 26950
    assert rows[("new_displacements_conflict", "UKR", 2022, "total", "total")]["value"] == 9900000


def test_csv_edition_from_file_name(tmp_path):
    parsed, _ = parse(gidd_csv(tmp_path / "IDMC_GIDD_2024-05-14.csv"))
    assert parsed.edition == "2024-05-14"


def test_other_files_are_not_recognised(tmp_path):
    source = Idmc()
    other = tmp_path / "other.csv"
    other.write_text("Country Name,Country Code,Year,Value\nMoldova,MDA,2020,1\n")
    assert source.recognise(other, FilePeek(other)) is None
    assert source.claims_name(tmp_path / XLSX_NAME)
    assert not source.claims_name(tmp_path / "population.xlsx")


# -- bad input ----------------------------------------------------------------------------------


def test_text_in_a_number_column_names_row_and_column(tmp_path):
    data = [list(r) for r in DATA]
    data[2][5] = "about 9.9 million"
    with pytest.raises(ParseError) as err:
        parse(gidd_workbook(tmp_path / XLSX_NAME, data=data))
    msg = str(err.value)
    assert "row 4" in msg and "column F" in msg and "1_Displacement_data" in msg
    assert err.value.row == 4


def test_text_in_a_csv_number_column(tmp_path):
    data = [list(r) for r in DATA]
    data[1][3] = "n.a.x"
    with pytest.raises(ParseError) as err:
        parse(gidd_csv(tmp_path / "gidd.csv", data=data))
    assert err.value.row == 3 and "Conflict Stock Displacement" in str(err.value)


def test_unknown_code_names_the_row(tmp_path):
    data = [list(r) for r in DATA] + [["ZZ9", "Atlantis", 2022, 5, 5, None, None, None, None]]
    data[-1] += [None, None]
    with pytest.raises(ParseError) as err:
        parse(gidd_workbook(tmp_path / XLSX_NAME, data=data))
    assert err.value.row == len(DATA) + 2 and "'ZZ9' (Atlantis)" in str(err.value)


def test_bad_year(tmp_path):
    data = [list(r) for r in DATA]
    data[0][2] = "last year"
    with pytest.raises(ParseError) as err:
        parse(gidd_workbook(tmp_path / XLSX_NAME, data=data))
    assert err.value.row == 2


def test_named_like_idmc_but_wrong_content_is_an_error(tmp_path, home):
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.active.append(["Country", "Value"])
    wb.save(raw / XLSX_NAME)
    with pytest.raises(ParseError, match="named like a IDMC"):
        ingest(raw_dir=raw, offline=True)


# -- end to end ---------------------------------------------------------------------------------


def test_ingest_and_get_then_reingest_adds_nothing(tmp_path, home):
    import migprofile
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    gidd_workbook(raw / XLSX_NAME)
    report = ingest(raw_dir=raw, offline=True)
    assert [r[1] for r in report.ingested] == ["idmc"]
    store = migprofile.open_store()
    try:
        got = observations(store, "new_displacements_conflict", "UKR", year=2022).to_pylist()
        assert [(r["value"], r["source"], r["edition"], r["row"], r["col"]) for r in got] == [
            (9900000, "idmc", "2023-05-16", 4, "F")
        ]
        abyei = observations(store, "idps_conflict_stock", "idmc-ab9", year=2022).to_pylist()
        assert [r["value"] for r in abyei] == [41000]
    finally:
        store.close()
    assert_reingest_adds_nothing(raw, 1)


# -- the real export ----------------------------------------------------------------------------


@pytest.mark.integration
def test_real_gidd_export(shared_data, home):
    import migprofile
    from migprofile.ingest import ingest

    path = shared_data / "idmc" / XLSX_NAME
    if not path.exists():
        pytest.skip(f"{path} not present")
    report = ingest(raw_dir=path, offline=True)
    assert [(r[1], r[2]) for r in report.ingested] == [("idmc", "2023-05-11")]
    store = migprofile.open_store()
    try:

        def one(indicator, geo, year):
            rows = observations(store, indicator, geo, year=year).to_pylist()
            assert len(rows) == 1, rows
            assert rows[0]["source"] == "idmc" and rows[0]["sheet"] == "1_Displacement_data"
            return rows[0]["value"]

        assert one("new_displacements_conflict", "UKR", 2022) == 16870000
        assert one("idps_conflict_stock", "GEO", 2022) == 308000
        assert one("new_displacements_disaster", "MDA", 2008) == 200
        raw = store.query(
            "SELECT indicator, value FROM observations WHERE geo = 'UKR' AND year = 2022 "
            "AND indicator LIKE '%_raw' ORDER BY indicator"
        ).to_pylist()
        assert {"indicator": "new_displacements_conflict_raw", "value": 16870323} in raw
        assert {"indicator": "idps_conflict_stock_raw", "value": 5913638} in raw
        assert one("idps_conflict_stock", "idmc-ab9", 2022) == 56000
        n = store.query("SELECT count(*) AS n FROM observations").to_pylist()[0]["n"]
    finally:
        store.close()
    again = ingest(raw_dir=path, offline=True)
    assert again.ingested == [] and len(again.unchanged) == 1
    store = migprofile.open_store()
    try:
        assert store.query("SELECT count(*) AS n FROM observations").to_pylist()[0]["n"] == n
    finally:
        store.close()


# -- the 2024 layout: four sheets, one-cell README lines ------------------------------------------

CONTEXT_HEADER = [
    "ISO3", "Year", "Figure cause", "Figure category", "Description", "Figures", "Figures rounded",
]  # fmt: skip
METHOD = "**Methodology and Sources**\nThis figure refers to made-up events."
# (ISO3, Year, cause, category, Figures (raw), Figures rounded), as the data sheet below has them
CONTEXT = [
    ["AFG", 2023, "Conflict", "IDPs", METHOD, 4186882, 4187000],
    ["AFG", 2023, "Disaster", "Internal Displacements", METHOD, 418248, 418000],
    ["AFG", 2022, "Conflict", "Internal Displacements", METHOD, 32424, 32000],
    ["BGD", 2023, "Conflict", "Internal Displacements", METHOD, 0, None],
]
SADD_2024_HEADER = ["ISO3", "Country", "Year", "Sex", "Cause", "0-4", "5-11", "12-17", "18-59",
                    "60+"]  # fmt: skip
SADD_2024 = [
    ["AFG", "Afghanistan", 2023, "Female", "Conflict", 320000, 390000, 290000, 960000, 90000],
    ["AFG", "Afghanistan", 2023, "Both sexes", "Conflict", 650000, 800000, 590000, 1930000, 160000],
]
README_2024 = [
    ["TITLE: Global Internal Displacement Database (GIDD)"],
    [""],
    ["FILENAME: IDMC_Internal_Displacement_Conflict-Violence_Disasters"],
    [""],
    ["SOURCE: Internal Displacement Monitoring Centre (IDMC)"],
    ["DATE EXTRACTED: October 18, 2024"],
    ["LAST UPDATE: May 13, 2024"],
    ["DESCRIPTION:"],
]
# A filtered 2024 export (two Asia-Pacific countries), made-up figures.
DATA_2024 = [
    ["AFG", "Afghanistan", 2023, 4187000, 4186882, None, None, 418000, 418248, 1502000, 1502116],
    ["BGD", "Bangladesh", 2023, 426000, 426280, None, 0, 1791000, 1790885, 55000, 55441],
    ["AFG", "Afghanistan", 2022, 4513000, 4513270, 32000, 32424, 220000, 220387, 2099000,
     2098730],
]  # fmt: skip


def gidd_2024_workbook(path: Path, *, data=DATA_2024, context=CONTEXT) -> Path:
    """The 2024 export: data, context, SADD (renumbered 3_) and README sheets, in that order."""
    wb = Workbook()
    sheets = {
        "1_Displacement_data": [HEADER, *data],
        "2_Context_Displacement_data": [CONTEXT_HEADER, *context],
        "3_IDPs_SADD_estimates": [SADD_2024_HEADER, *SADD_2024],
        "README": README_2024,
    }
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_2024_layout_readme_sadd_and_context(tmp_path):
    parsed, _ = parse(gidd_2024_workbook(tmp_path / XLSX_NAME))  # no date in the file name
    assert (parsed.edition, parsed.edition_order) == ("2024-05-13", "2024-05-13")
    assert parsed.layout == "idmc-gidd-xlsx"
    rows = rows_of(parsed)
    r = rows[("idps_conflict_stock", "AFG", 2023, "total", "total")]
    assert (r["value"], r["sheet"], r["row"], r["col"]) == (4187000, "1_Displacement_data", 2, "D")
    assert rows[("new_displacements_conflict_raw", "BGD", 2023, "total", "total")]["value"] == 0
    sadd = rows[("idmc:idps_conflict_sadd", "AFG", 2023, "female", "18-59")]
    assert (sadd["value"], sadd["sheet"], sadd["row"], sadd["col"]) == (
        960000, "3_IDPs_SADD_estimates", 2, "I",
    )  # fmt: skip
    assert rows[("idmc:idps_conflict_sadd", "AFG", 2023, "total", "60+")]["value"] == 160000
    # the context sheet is compared, not stored: its rows add nothing to the table
    assert {r["sheet"] for r in parsed.table.to_pylist()} == {
        "1_Displacement_data", "3_IDPs_SADD_estimates",
    }  # fmt: skip
    assert parsed.note == (
        "extracted 2024-10-18; covers 2 countries and areas; 2_Context_Displacement_data: 7 "
        "figures compared with 1_Displacement_data, all equal; its methodology texts are not "
        "stored; 3_IDPs_SADD_estimates: 10 sex/age estimates as idmc:idps_*_sadd"
    )


def test_2024_context_figure_that_differs_is_named_in_the_note(tmp_path):
    context = [list(r) for r in CONTEXT]
    context[0][5] = 4000000  # AFG 2023 conflict IDPs (raw), sheet row 2
    context.append(["PAK", 2023, "Conflict", "IDPs", METHOD, 5, 5])  # not in the data sheet
    parsed, _ = parse(gidd_2024_workbook(tmp_path / XLSX_NAME, context=context))
    assert (
        "2_Context_Displacement_data: 9 figures compared with 1_Displacement_data, those of 2 "
        "rows differ (row 2 AFG 2023 Conflict IDPs: 4,000,000 here, 4,186,882 in "
        "1_Displacement_data; row 6 PAK 2023 Conflict IDPs: 5, not in 1_Displacement_data)"
        in parsed.note
    )
    # the data sheet's figure is the one stored
    assert (
        rows_of(parsed)[("idps_conflict_stock_raw", "AFG", 2023, "total", "total")]["value"]
        == 4186882
    )


def test_2024_context_text_in_a_figure_is_an_error(tmp_path):
    context = [list(r) for r in CONTEXT]
    context[2][5] = "about 32k"
    with pytest.raises(ParseError, match="about 32k") as err:
        parse(gidd_2024_workbook(tmp_path / XLSX_NAME, context=context))
    assert (err.value.sheet, err.value.row) == ("2_Context_Displacement_data", 4)


def test_one_cell_readme_dates():
    from migprofile.sources.idmc import _readme_dates

    assert _readme_dates(README_2024) == {
        "date extracted": "2024-10-18",
        "last update": "2024-05-13",
    }
    assert _readme_dates(README) == {"date extracted": "2023-10-02", "last update": "2023-05-16"}


def test_newer_filtered_export_does_not_hide_other_countries(tmp_path, home):
    """A newer export filtered to some countries is the latest edition for those countries
    only: the older global export keeps every other country's series."""
    import migprofile
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    (raw / "global").mkdir(parents=True)
    (raw / "asia").mkdir()
    global_data = [*DATA, ["AFG", "Afghanistan", 2021, 3500000, 3499990, None, None, 100, 99,
                           None, None]]  # fmt: skip
    gidd_workbook(raw / "global" / XLSX_NAME, data=global_data)  # last update 2023-05-16
    gidd_2024_workbook(raw / "asia" / XLSX_NAME)  # last update 2024-05-13: AFG and BGD only
    report = ingest(raw_dir=raw, offline=True)
    assert sorted(r[2] for r in report.ingested) == ["2023-05-16", "2024-05-13"]
    store = migprofile.open_store()
    try:

        def series(indicator, geo):
            got = observations(store, indicator, geo).to_pylist()
            return [(r["year"], r["value"], r["edition"]) for r in got]

        # countries the filtered export leaves out keep the global export's series
        assert series("idps_conflict_stock", "UKR") == [(2022, 4100000, "2023-05-16")]
        assert series("idps_conflict_stock", "GEO") == [(2022, 250000, "2023-05-16")]
        assert series("new_displacements_disaster", "MDA") == [(2008, 300, "2023-05-16")]
        # a country in both takes the newer edition, whole: its 2021 (only in the older
        # edition) is not mixed in
        assert series("idps_conflict_stock", "AFG") == [
            (2022, 4513000, "2024-05-13"),
            (2023, 4187000, "2024-05-13"),
        ]
        older = observations(store, "idps_conflict_stock", "AFG", edition="2023-05-16")
        assert [(r["year"], r["value"]) for r in older.to_pylist()] == [(2021, 3500000)]
    finally:
        store.close()


def test_gdidata_extracts_are_not_claimed_by_name(tmp_path):
    source = Idmc()
    assert not source.claims_name(tmp_path / "gdidata_idmc_flows.csv")
    assert not source.claims_name(tmp_path / "gdidata_idmc_stocks.csv")
    assert source.claims_name(tmp_path / "idmc_gidd_displacement_data.csv")


# -- the real exports of the next wave ----------------------------------------------------------

DATA_NEXT_IDMC = Path(__file__).resolve().parents[2] / "shared" / "data-next" / "idmc"
GLOBAL_2023 = "IDMC_Internal_Displacement_Conflict-Violence_Disasters__update2023-11-15_global.xlsx"
ASIA_2024 = (
    "IDMC_Internal_Displacement_Conflict-Violence_Disasters__update2024-05-13_AsiaPacific32.xlsx"
)


def _sheet_values(path: Path, sheet: str) -> list[list]:
    """A sheet's rows read with openpyxl (independently of the parser's calamine)."""
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


@pytest.mark.integration
def test_real_2024_export_and_the_2023_global_one(home):
    import migprofile
    from migprofile.ingest import ingest

    if not DATA_NEXT_IDMC.is_dir():
        pytest.skip(f"{DATA_NEXT_IDMC} not present: the 2023-11 and 2024-05 exports are there")
    asia = DATA_NEXT_IDMC / ASIA_2024
    parsed, _ = parse(asia)
    assert (parsed.edition, parsed.layout) == ("2024-05-13", "idmc-gidd-xlsx")
    assert "covers 32 countries and areas" in parsed.note
    assert (
        "2_Context_Displacement_data: 208 figures compared with 1_Displacement_data, all equal"
        in parsed.note
    )
    assert "3_IDPs_SADD_estimates: 3555 sex/age estimates" in parsed.note
    data = _sheet_values(asia, "1_Displacement_data")
    cells = sum(1 for r in data[1:] for c in r[3:11] if c is not None and c != "")
    sadd = _sheet_values(asia, "3_IDPs_SADD_estimates")
    sadd_cells = sum(1 for r in sadd[1:] for c in r[5:] if c is not None and c != "")
    assert parsed.table.num_rows == cells + sadd_cells
    report = ingest(raw_dir=DATA_NEXT_IDMC, offline=True)
    assert sorted(r[2] for r in report.ingested) == ["2023-11-15", "2024-05-13"]
    glob = _sheet_values(DATA_NEXT_IDMC / GLOBAL_2023, "1_Displacement_data")
    ukr_2022 = next(r for r in glob if r[0] == "UKR" and int(r[2]) == 2022)
    store = migprofile.open_store()
    try:
        afg = observations(store, "idps_conflict_stock", "AFG", year=2022).to_pylist()
        assert [(r["value"], r["edition"]) for r in afg] == [(4513000, "2024-05-13")]
        afg_old = observations(store, "idps_conflict_stock", "AFG", year=2022, edition="2023-11-15")
        assert [r["value"] for r in afg_old.to_pylist()] == [3444000]  # revised May 2023: 4,394,000
        ukr = observations(store, "idps_conflict_stock", "UKR", year=2022).to_pylist()
        assert [(r["value"], r["edition"]) for r in ukr] == [(ukr_2022[3], "2023-11-15")]
    finally:
        store.close()
