"""IDMC GIDD: the Excel export (data, SADD and README sheets) and the CSV export.

Fixtures are built here in IDMC's layout with made-up values; the real export in
../shared/data/idmc is checked at the end (integration, skipped when absent).
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
