"""Bad publisher files and bad parameters: one `error:` line naming the culprit, exit != 0,
no traceback, and the store left byte-for-byte as it was.

The workbooks are built here with openpyxl in the official UN DESA layouts (no real data needed).
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook

TOTALS_NAME = "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"
MATRIX_NAME = "UN_MigrantStockByOriginAndDestination_2015.xlsx"
YEARS = (1990, 1995, 2000, 2005, 2010, 2015, 2020)
MOLDOVA_ROW = 13  # 1-based Excel row of 'Republic of Moldova' in the totals fixture
MOLDOVA_2020_BOTH = 104438


def _stock(base: int) -> list[int]:
    both = [base + 1000 * k for k in range(len(YEARS))]
    males = [v // 2 for v in both]
    females = [b - m for b, m in zip(both, males, strict=True)]
    return both + males + females


def totals_workbook(
    path: Path,
    *,
    sheet: str = "Table 1",
    header_row: int = 11,
    cell_overrides: dict[tuple[int, int], object] | None = None,
    extra_rows: list[list] | None = None,
) -> Path:
    """A minimal UN DESA 2020 'totals by destination' workbook (Table 1 layout).

    Title rows at E2:E4, the sex super-headers three rows above the header row (row 8 in the
    publisher's file), header row 11, then WORLD (900) and Republic of Moldova (498).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws["E2"] = "International Migrant Stock 2020: Destination"
    ws["E3"] = (
        "Table 1: International migrant stock at mid-year by sex and by region, country or area "
        "of destination, 1990-2020"
    )
    ws["E4"] = "POP/DB/MIG/Stock/Rev.2020"
    super_row = header_row - 3
    for col, label in (("F", "both sexes combined"), ("M", "males"), ("T", "females")):
        ws[f"{col}{super_row}"] = f"International migrant stock at mid-year, {label}"
    header = ["", "Region, development group, country or area", "Notes", "Location code"]
    header += ["Type of data", *(YEARS * 3)]
    for j, value in enumerate(header, 1):
        if value != "":
            ws.cell(row=header_row, column=j, value=value)
    data = [
        [1, "WORLD", "", 900, "", *_stock(150_000_000)],
        [2, "Republic of Moldova", "", 498, "B", *_stock(MOLDOVA_2020_BOTH - 6000)],
        *(extra_rows or []),
    ]
    first = 12 if header_row > 12 + len(data) else header_row + 1
    for i, row in enumerate(data):
        for j, value in enumerate(row, 1):
            if value != "":
                ws.cell(row=first + i, column=j, value=value)
    for (r, c), value in (cell_overrides or {}).items():
        ws.cell(row=r, column=c, value=value)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def matrix_workbook(path: Path, origins: list[str]) -> Path:
    """A minimal UN DESA 2015 destination x origin matrix (Table 16 layout, header row 15)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Table 16"
    ws["E9"] = "Trends in International Migrant Stock: Migrants by Destination and Origin"
    ws["E10"] = (
        "Table 16. Total migrant stock at mid-year by origin and by major area, region, "
        "country or area of destination, 2015"
    )
    ws["E11"] = "POP/DB/MIG/Stock/Rev.2015"
    for j, value in enumerate(
        ["Sort\norder", "Major area, region, country or area of destination", "Notes",
         "Country code", "Type of data (a)", "Country of origin"], 1
    ):  # fmt: skip
        ws.cell(row=15, column=j, value=value)
    for j, name in enumerate(["Total", *origins], 6):
        ws.cell(row=16, column=j, value=name)
    for i, (name, code) in enumerate((("WORLD", 900), ("Russian Federation", 643))):
        ws.cell(row=17 + i, column=1, value=i + 1)
        ws.cell(row=17 + i, column=2, value=name)
        ws.cell(row=17 + i, column=4, value=code)
        for j in range(len(origins) + 1):
            ws.cell(row=17 + i, column=6 + j, value=1000 * (j + 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# -- helpers ----------------------------------------------------------------------------------


def error_line(result) -> str:
    """The single `error:` line; it must be the last thing on stderr, with no traceback."""
    assert result.returncode != 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert lines[-1] == errors[0], f"error message is not one line:\n{result.stderr}"
    return errors[0]


@pytest.fixture(scope="module")
def template_store(run_cli, tmp_path_factory) -> Path:
    """One ingest of the good totals fixture per module (an ingest costs seconds)."""
    tmp = tmp_path_factory.mktemp("bad_input_template")
    good = totals_workbook(tmp / "good" / TOTALS_NAME)
    result = run_cli("ingest", "--raw-dir", good.parent, "--offline", home=tmp / "home")
    assert result.returncode == 0, result.stderr
    assert "1 ingested" in result.stdout, result.stdout
    db = tmp / "home" / "migprofile.duckdb"
    assert db.exists()
    return db


@pytest.fixture
def good_store(template_store, home, sha256):
    """This test's home holds a copy of the good store; returns (db path, its sha256)."""
    db = home / "migprofile.duckdb"
    shutil.copyfile(template_store, db)
    return db, sha256(db)


def test_good_fixture_is_parsed(good_store, cli):
    result = cli("get", "immigrant_stock", "MDA", "--year", "2020", "--format", "json")
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["value"] == MOLDOVA_2020_BOTH
    assert row["edition"] == "2020"
    assert row["sheet"] == "Table 1" and row["row"] == MOLDOVA_ROW


# -- bad files --------------------------------------------------------------------------------


def _truncated(tmp: Path) -> Path:
    good = totals_workbook(tmp / "src" / TOTALS_NAME).read_bytes()
    bad = tmp / "bad" / TOTALS_NAME
    bad.parent.mkdir(parents=True)
    bad.write_bytes(good[: len(good) // 2])
    return bad


def _empty(tmp: Path) -> Path:
    bad = tmp / "bad" / TOTALS_NAME
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"")
    return bad


def _header_moved(tmp: Path) -> Path:
    return totals_workbook(tmp / "bad" / TOTALS_NAME, header_row=40)


def _sheet_renamed(tmp: Path) -> Path:
    return totals_workbook(tmp / "bad" / TOTALS_NAME, sheet="Tabelle 1")


def _text_in_number(tmp: Path) -> Path:
    # column L = 2020, both sexes
    return totals_workbook(tmp / "bad" / TOTALS_NAME, cell_overrides={(MOLDOVA_ROW, 12): "abc"})


def _unknown_origin(tmp: Path) -> Path:
    return matrix_workbook(tmp / "bad" / MATRIX_NAME, ["Republic of Moldova", "Atlantis"])


def _unknown_region_row(tmp: Path) -> Path:
    # a row with values and a name but no location code: the name path must resolve it
    row = [3, "Atlantis", "", "", "", *_stock(5000)]
    return totals_workbook(tmp / "bad" / TOTALS_NAME, extra_rows=[row])


def _write(path: Path, text: str) -> Path:
    """The lines as a publisher writes them: a line break after the last one too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    return path


def _rpw_text_in_quarter(tmp: Path) -> Path:
    """DataBank corridor export (Remittance Prices Worldwide) with text in a quarter cell."""
    header = (
        "Sending Countries Name,Sending Countries Code,Series Name,Series Code,"
        "Receiving Countries  Name,Receiving Countries  Code,2020Q1 [YR2020Q1],2020Q3 [YR2020Q3]"
    )
    rows = [
        "Russian Federation,RUS,Average Total Cost to remit in corridor,ATCR.CORR,Armenia,ARM,"
        "1.5,2",
        "Russian Federation,RUS,Average Total Cost to remit in corridor,ATCR.CORR,Georgia,GEO,"
        "abc,1.9",
    ]
    footer = ["", "Data from database: Remittance Prices Worldwide (Corridors)",
              "Last Updated: 12/07/2020"]  # fmt: skip
    return _write(tmp / "bad" / "rpw_corridors_Data.csv", "\n".join([header, *rows, *footer]))


def _unhcr_text_in_refugees(tmp: Path) -> Path:
    """UNHCR API field names with text in the refugees column."""
    header = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers"
    rows = [
        "2024,Ukraine,UKR,UKR,Rep. of Moldova,MDA,MDA,135486,10",
        "2024,Ukraine,UKR,UKR,Romania,ROM,ROU,many,5",
    ]
    return _write(tmp / "bad" / "unhcr_population.csv", "\n".join([header, *rows]))


def _idmc_unknown_code(tmp: Path) -> Path:
    """IDMC GIDD CSV export with an ISO3 code that is no country."""
    header = (
        "ISO3,Name,Year,Conflict Stock Displacement,Conflict Stock Displacement (Raw),"
        "Conflict Internal Displacements,Conflict Internal Displacements (Raw),"
        "Disaster Internal Displacements,Disaster Internal Displacements (Raw),"
        "Disaster Stock Displacement,Disaster Stock Displacement (Raw)"
    )
    rows = ["GEO,Georgia,2022,308000,307946,,,,,,", "QQQ,Atlantis,2022,1000,1001,,,,,,"]
    return _write(tmp / "bad" / "IDMC_GIDD_export.csv", "\n".join([header, *rows]))


def _wdi_long_text_value(tmp: Path) -> Path:
    """World Bank long CSV export with text in the value column."""
    header = "year,entity_code,entity_name,indicator_code,value,indicator_name"
    rows = [
        '2023,MDA,Moldova,SP.POP.TOTL,2457783.0,"Population, total"',
        '2022,MDA,Moldova,SP.POP.TOTL,n/a-ish,"Population, total"',
    ]
    return _write(tmp / "bad" / "API_SP.POP.TOTL_long.csv", "\n".join([header, *rows]))


def _knomad_flows_text(tmp: Path) -> Path:
    """KNOMAD annual inflows workbook with text in a value cell."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Inward remittance flows"
    ws.append(["Remittance inflows (US$ million)", 2020, 2021, "2022e"])
    ws.append(["Armenia", 1000.5, 1100.25, 1200.0])
    ws.append(["Republic of Moldova", 1800.0, "lots", 2036.9])
    ws.append([])
    ws.append(["Date: June 2023"])
    path = tmp / "bad" / "remittance-inflows.xlsx"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


BAD_FILES = {
    # case: (builder, fragments the error line must contain besides the file path)
    "truncated-xlsx": (_truncated, ["not a readable Excel workbook"]),
    "empty-file": (_empty, ["not a readable Excel workbook"]),
    "header-moved": (_header_moved, ["sheet 'Table 1'", "header"]),
    "sheet-renamed": (_sheet_renamed, ["does not match"]),
    "text-in-number": (
        _text_in_number,
        ["sheet 'Table 1'", f"row {MOLDOVA_ROW}", "'abc'", "column L"],
    ),
    "unknown-origin-name": (_unknown_origin, ["sheet 'Table 16'", "row 16", "Atlantis"]),
    "unknown-region-name": (_unknown_region_row, ["sheet 'Table 1'", "row 14", "Atlantis"]),
    # every other source keeps the same guarantee (parsers differ, the pipeline is one)
    "rpw-text-in-quarter": (_rpw_text_in_quarter, ["row 3", "'abc'"]),
    "unhcr-text-in-number": (_unhcr_text_in_refugees, ["row 3", "'many'"]),
    "idmc-unknown-code": (_idmc_unknown_code, ["row 3", "QQQ"]),
    "wdi-long-text-value": (_wdi_long_text_value, ["row 3", "n/a-ish"]),
    "knomad-text-in-number": (_knomad_flows_text, ["row 3", "'lots'"]),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_fails_cleanly_and_store_is_untouched(
    case, good_store, cli, home, tmp_path, sha256
):
    db, before = good_store
    build, fragments = BAD_FILES[case]
    bad = build(tmp_path / case)
    result = cli("ingest", "--raw-dir", bad.parent, "--offline")
    line = error_line(result)
    assert str(bad.resolve()) in line or str(bad) in line, line
    for fragment in fragments:
        assert fragment in line, line
    assert sha256(db) == before
    assert not list(home.glob("*.ingest-*")), list(home.iterdir())


@pytest.mark.parametrize("text", ["12[/b]", "[red]abc"], ids=["closing-tag", "style-tag"])
def test_cell_text_with_square_brackets_is_quoted_verbatim(
    text, good_store, cli, home, tmp_path, sha256
):
    db, before = good_store
    bad = totals_workbook(tmp_path / "bad" / TOTALS_NAME, cell_overrides={(MOLDOVA_ROW, 12): text})
    result = cli("ingest", "--raw-dir", bad.parent, "--offline")
    assert sha256(db) == before
    line = error_line(result)
    assert f"text {text!r} where a number was expected" in line, line


def test_unknown_file_is_skipped_not_an_error(good_store, cli, home, tmp_path, sha256):
    db, before = good_store
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "my_notes.csv").write_text("colour,shape\nred,circle\n", encoding="utf-8")
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(r"^skipped\s+.*my_notes\.csv: \S", result.stdout, re.M), result.stdout
    assert "0 ingested, 0 unchanged, 1 skipped" in result.stdout
    assert sha256(db) == before
    assert not list(home.glob("*.ingest-*"))


def test_bad_file_without_a_store_creates_none(home, cli, tmp_path):
    bad = _text_in_number(tmp_path)
    result = cli("ingest", "--raw-dir", bad.parent, "--offline")
    error_line(result)
    assert not (home / "migprofile.duckdb").exists()
    assert not list(home.glob("*.ingest-*"))


def test_missing_raw_dir(home, cli, tmp_path):
    line = error_line(cli("ingest", "--raw-dir", tmp_path / "nope", "--offline"))
    assert "--raw-dir" in line and "nope" in line


# -- bad parameters ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["get", "immigrant_stock", "Atlantis"], ["GEO", "Atlantis"]),
        (["get", "immigrant_stock", "MDA", "--partner", "Atlantis"], ["--partner", "Atlantis"]),
        (["get", "foo", "MDA"], ["INDICATOR", "'foo'"]),
        (["get", "immigrant_stock", "MDA", "--format", "xml"], ["--format", "xml"]),
        (["get", "immigrant_stock", "MDA", "--sex", "both"], ["--sex"]),
        (["get", "immigrant_stock", "MDA", "--edition", "1066"], ["--edition", "1066"]),
        (["get", "immigrant_stock", "MDA", "--source", "nope"], ["--source", "nope"]),
    ],
    ids=["geo", "partner", "indicator", "format", "sex", "edition", "source"],
)
def test_bad_get_parameter(args, fragments, good_store, cli, sha256):
    db, before = good_store
    line = error_line(cli(*args))
    for fragment in fragments:
        assert fragment in line, line
    assert sha256(db) == before


def test_get_without_store(home, cli):
    line = error_line(cli("get", "immigrant_stock", "MDA"))
    assert "no store" in line and "migprofile ingest" in line
