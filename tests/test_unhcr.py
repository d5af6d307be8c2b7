"""UNHCR population statistics: Refugee Data Finder CSV, API / refugees-package fields (CSV and
JSON) and the package's country lookup.

Fixtures are built here in UNHCR's layouts with made-up values; the real files in
../shared/data/unhcr and ../shared/data-next/unhcr_datafinder_2024 are checked at the end
(integration, skipped when absent).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from fixtures import assert_reingest_adds_nothing, parse_with
from migprofile.errors import ParseError
from migprofile.indicators import observations
from migprofile.sources.base import FilePeek
from migprofile.sources.unhcr import API_PAGING, Unhcr, api_page_url

FINDER_PREAMBLE = [
    ["Extracted:", "United Nations High Commissioner for Refugees"],
    ["Date extracted:", "04/12/2023 09:15 UTC"],
    ["Last updated:", "14 June 2023"],
    [
        "Some data presented may differ from statistics published previously due to retroactive "
        "changes or the inclusion of previously unavailable data."
    ],
    [],
    ["Data table contains the following:", "Population figures"],
    ["Content type", "End year stock population totals"],
    ["Data quick link", "https://www.unhcr.org/refugee-statistics/download/?url=AbC123"],
    ["Data definitions", "https://www.unhcr.org/refugee-statistics/methodology/"],
    ["Usage licence", "https://creativecommons.org/licenses/by/4.0/"],
    ["Population types included", "REF,ROC,ASY,IDP,IOC,OIP,OOC,STA"],
    ["Years:"],
    ["Origin:", "all"],
    ["Country of asylum:"],
]
FINDER_GEO = [
    "Year",
    "Country of origin",
    "Country of origin (ISO)",
    "Country of asylum",
    "Country of asylum (ISO)",
]
REFUGEES = "Refugees under UNHCR's mandate"
# Made-up refugee totals by origin, over all countries of asylum ('-').
FINDER_ROWS = [
    [1960, "Unknown ", "", "-", "-", 1400000],
    [1964, "Tibetan", "TIB", "-", "-", 40000],
    [2021, "Rep. of Moldova", "MDA", "-", "-", 2300],
    [2022, "Rep. of Moldova", "MDA", "-", "-", 2100],
    [2022, "Serbia and Kosovo: S/RES/1244 (1999)", "SRB", "-", "-", 23000],
    [2022, "Stateless", "XXA", "-", "-", 4500],
    [2023, "Rep. of Moldova", "MDA", "-", "-", 0],
]
FULL_COLUMNS = [
    REFUGEES,
    "Asylum-seekers",
    "IDPs of concern to UNHCR",
    "Other people in need of international protection",
    "Stateless persons",
    "Others of concern",
    "Host Community",
]
FULL_ROWS = [
    [2022, "Ukraine", "UKR", "Rep. of Moldova", "MDA", 90000, 300, 0, 0, 0, 0, 0],
    [2022, "Unknown ", "", "Rep. of Moldova", "MDA", 0, 0, 0, 0, 1900, 0, 0],
    [2022, "Ukraine", "UKR", "Ukraine", "UKR", 0, 0, 5000000, 0, 0, 0, 0],
    [2022, "-", "-", "Rep. of Moldova", "MDA", 90500, 310, 0, 0, 1900, 0, 0],
    [2022, "Venezuela (Bolivarian Republic of)", "VEN", "Colombia", "COL", 3, 7, 0, 2400000,
     0, 0, 0],
]  # fmt: skip

API_FIELDS = [
    "year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso", "refugees",
    "asylum_seekers", "returned_refugees", "idps", "returned_idps", "stateless", "ooc", "oip",
    "hst",
]  # fmt: skip
API_ROWS = [
    [1951, "Unknown", "UKN", "UNK", "Austria", "AUS", "AUT", 250000.0, 0.0, 0.0, 0.0, 0.0, 0.0,
     0.0, "", 0.0],
    [2023, "Ukraine", "UKR", "UKR", "Rep. of Moldova", "MDA", "MDA", 110000.0, 400.0, 0.0, 0.0,
     0.0, 0.0, 0.0, "", 0.0],
    [2024, "Ukraine", "UKR", "UKR", "Rep. of Moldova", "MDA", "MDA", 120000.0, 350.0, 5000.0,
     0.0, 0.0, 0.0, 0.0, "", 0.0],
    [2024, "Stateless", "STA", "XXA", "Rep. of Moldova", "MDA", "MDA", 0.0, 0.0, 0.0, 0.0, 0.0,
     2900.0, 0.0, "", 0.0],
    [2024, "Georgia", "GEO", "GEO", "Georgia", "GEO", "GEO", 0.0, 0.0, 0.0, 280000.0, 0.0, 0.0,
     0.0, "", 0.0],
    [2024, "Ukraine", "UKR", "UKR", "Unknown", "UKN", "UNK", 0.0, 0.0, 9000.0, 0.0, 0.0, 0.0,
     0.0, "", 0.0],
    [2025, "Ukraine", "UKR", "UKR", "Rep. of Moldova", "MDA", "MDA", 125000.0, 0.0, 0.0, 0.0,
     0.0, 0.0, 0.0, "", 0.0],
    [2025, "Venezuela (Bolivarian Republic of)", "VEN", "VEN", "Colombia", "COL", "COL", 0.0,
     0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2500000.0, 0.0],
]  # fmt: skip
COUNTRIES_FIELDS = [
    "iso_code", "unhcr_code", "name", "unhcr_region", "unsd_region", "unsd_subregion",
    "unsd_imregion",
]  # fmt: skip
COUNTRIES_ROWS = [
    ["DZA", "ALG", "Algeria", "Middle East and North Africa", "Africa", "Northern Africa", ""],
    ["AUT", "AUS", "Austria", "Europe", "Europe", "Western Europe", ""],
    ["AUS", "AUL", "Australia", "Asia and the Pacific", "Oceania", "Australia and New Zealand",
     ""],
    ["MDA", "MDA", "Rep. of Moldova", "Europe", "Europe", "Eastern Europe", ""],
    ["", "CRB", "CRB", "", "", "", ""],
    ["XXA", "STA", "Stateless", "", "", "", ""],
    ["", "TIB", "Tibetan", "Asia and the Pacific", "", "", ""],
    ["XXX", "UKN", "Unknown", "", "", "", ""],
    # the package's lookup is sorted by ISO code: Zimbabwe last
    ["ZWE", "ZIM", "Zimbabwe", "Southern Africa", "Africa", "Sub-Saharan Africa", "Eastern Africa"],
]  # fmt: skip


def write_csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, quoting=csv.QUOTE_MINIMAL).writerows(rows)
    return path


def finder_csv(path: Path, *, columns=(REFUGEES,), rows=None, preamble=True) -> Path:
    body = [FINDER_GEO + list(columns), *(rows if rows is not None else FINDER_ROWS)]
    return write_csv(path, (FINDER_PREAMBLE if preamble else []) + body)


def api_csv(path: Path, rows=None) -> Path:
    return write_csv(path, [API_FIELDS, *(rows if rows is not None else API_ROWS)])


def api_json(path: Path, *, wrapped=True, rows=None) -> Path:
    items = []
    for row in rows if rows is not None else API_ROWS:
        item = dict(zip(API_FIELDS, row, strict=True))
        item["oip"] = item["oip"] if item["oip"] != "" else None
        items.append(item)
    data = {"page": 1, "maxPages": 1, "total": len(items), "items": items} if wrapped else items
    path.write_text(json.dumps(data))
    return path


def parse(path: Path, harmoniser=None):
    return parse_with(Unhcr(), path, harmoniser)


def rows_of(parsed) -> dict[tuple, dict]:
    out = {}
    for r in parsed.table.to_pylist():
        key = (r["indicator"], r["geo"], r["partner"], r["year"])
        assert key not in out
        out[key] = r
    return out


# -- Refugee Data Finder ------------------------------------------------------------------------


def test_finder_preamble_all_asylum_and_pseudo_origins(tmp_path):
    parsed, h = parse(finder_csv(tmp_path / "refugee_data_finder_refugees_by_origin.csv"))
    assert parsed.layout == "unhcr-data-finder-csv"
    assert parsed.edition == "2023-06-14" and parsed.edition_order == "2023-06-14"
    assert "extracted 2023-12-04" in parsed.note
    rows = rows_of(parsed)
    mda = rows[("refugees", "world", "MDA", 2022)]
    assert mda["value"] == 2100 and mda["unit"] == "persons"
    assert (mda["sheet"], mda["row"], mda["col"]) == (None, 19, REFUGEES)  # 14 + header + 4
    assert rows[("refugees", "world", "other", 1960)]["value"] == 1400000  # 'Unknown ' blank ISO
    assert rows[("refugees", "world", "SRB", 2022)]["value"] == 23000
    assert rows[("refugees", "world", "stateless", 2022)]["value"] == 4500
    assert rows[("refugees", "world", "unhcr-tibetan", 1964)]["value"] == 40000
    assert h.entries["stateless"].group_type == "unhcr_pseudo"
    assert h.by_code("unhcr_iso", "XXA") == "stateless"
    assert h.entries["unhcr-tibetan"].name == "Tibetan"
    # one population type: a stated 0 is kept
    assert rows[("refugees", "world", "MDA", 2023)]["value"] == 0
    # years from the release year on are mid-year figures
    assert "mid-year" in rows[("refugees", "world", "MDA", 2023)]["note"]
    assert rows[("refugees", "world", "MDA", 2022)]["note"] == ""


def test_finder_full_export_several_population_types(tmp_path):
    path = finder_csv(tmp_path / "population.csv", columns=FULL_COLUMNS, rows=FULL_ROWS)
    parsed, _ = parse(path)
    rows = rows_of(parsed)
    assert rows[("refugees", "MDA", "UKR", 2022)]["value"] == 90000
    assert rows[("asylum_seekers", "MDA", "UKR", 2022)]["col"] == "Asylum-seekers"
    assert rows[("stateless", "MDA", "other", 2022)]["value"] == 1900
    assert rows[("idps_unhcr", "UKR", "UKR", 2022)]["value"] == 5000000
    assert rows[("other_in_need", "COL", "VEN", 2022)]["value"] == 2400000
    assert rows[("refugees", "MDA", "world", 2022)]["value"] == 90500  # '-' origin: all
    # several types per row: refugees' and asylum-seekers' zeros are UNHCR's figures, kept;
    # other types' zeros are placeholders except on a country's own row (origin = asylum)
    assert rows[("refugees", "MDA", "other", 2022)]["value"] == 0
    assert rows[("asylum_seekers", "UKR", "UKR", 2022)]["value"] == 0
    assert rows[("stateless", "UKR", "UKR", 2022)]["value"] == 0  # own row: reported as 0
    assert ("idps_unhcr", "MDA", "UKR", 2022) not in rows  # IDPs do not apply to a pair
    assert ("stateless", "MDA", "UKR", 2022) not in rows
    zeros = {
        r["indicator"]
        for r in parsed.table.to_pylist()
        if r["value"] == 0 and r["geo"] != r["partner"]
    }
    assert zeros == {"refugees", "asylum_seekers"}
    assert "zeros kept for refugees and asylum-seekers" in parsed.note


def test_finder_without_preamble_is_dated_by_its_latest_year(tmp_path):
    parsed, _ = parse(finder_csv(tmp_path / "population.csv", preamble=False))
    assert parsed.edition == "2023 (mid-year)" and parsed.edition_order == "2023-06"
    rows = rows_of(parsed)
    assert rows[("refugees", "world", "MDA", 2021)]["row"] == 4
    assert (
        rows[("refugees", "world", "MDA", 2023)]["period"],
        rows[("refugees", "world", "MDA", 2022)]["period"],
    ) == ("mid-year", "")


# -- API / refugees package fields --------------------------------------------------------------


def test_package_csv(tmp_path):
    parsed, _ = parse(api_csv(tmp_path / "unhcr_refugees_pkg_population.csv"))
    assert parsed.layout == "unhcr-population-csv"
    assert parsed.edition == "2025 (mid-year)" and parsed.edition_order == "2025-06"
    assert "mid-year" in parsed.note
    rows = rows_of(parsed)
    r = rows[("refugees", "MDA", "UKR", 2024)]
    assert r["value"] == 120000 and (r["row"], r["col"]) == (4, "refugees") and r["note"] == ""
    assert rows[("refugees", "MDA", "UKR", 2025)]["note"] == "mid-year figures"
    assert rows[("refugees", "AUT", "other", 1951)]["value"] == 250000  # UNK origin; AUS≠AUT
    assert rows[("stateless", "MDA", "stateless", 2024)]["value"] == 2900
    assert rows[("returned_refugees", "MDA", "UKR", 2024)]["value"] == 5000
    assert rows[("returned_refugees", "other", "UKR", 2024)]["value"] == 9000  # UNK asylum
    assert rows[("idps_unhcr", "GEO", "GEO", 2024)]["value"] == 280000
    assert rows[("other_in_need", "COL", "VEN", 2025)]["value"] == 2500000
    # blanks never stored; zeros where the type applies (refugees, asylum-seekers; own row)
    assert rows[("asylum_seekers", "MDA", "UKR", 2025)]["value"] == 0
    assert rows[("refugees", "GEO", "GEO", 2024)]["value"] == 0
    assert rows[("stateless", "GEO", "GEO", 2024)]["value"] == 0
    assert ("idps_unhcr", "MDA", "UKR", 2024) not in rows
    assert ("other_in_need", "AUT", "other", 1951) not in rows  # blank
    assert len(parsed.table) == applying_cells(API_ROWS)


def applying_cells(rows: list[list]) -> int:
    """Cells of the package's rows a parser must store, counted independently: non-blank and
    non-zero, or zero for refugees / asylum-seekers, or zero on a row with origin = asylum."""
    fields = API_FIELDS[7:]
    n = 0
    for row in rows:
        own = row[3] == row[6]
        for field, cell in zip(fields, row[7:], strict=True):
            if cell in ("", None):
                continue
            if float(cell) or field in ("refugees", "asylum_seekers") or own:
                n += 1
    return n


@pytest.mark.parametrize("wrapped", [True, False])
def test_api_json(tmp_path, wrapped):
    parsed, _ = parse(api_json(tmp_path / "population.json", wrapped=wrapped))
    assert parsed.layout == "unhcr-population-json"
    rows = rows_of(parsed)
    r = rows[("refugees", "MDA", "UKR", 2024)]
    assert r["value"] == 120000 and r["row"] == 3 and r["col"] == "refugees"
    assert rows[("stateless", "MDA", "stateless", 2024)]["value"] == 2900
    assert len(parsed.table) == applying_cells(API_ROWS)


def test_country_lookup_maps_unhcr_codes(tmp_path):
    lookup = [COUNTRIES_FIELDS, *COUNTRIES_ROWS]
    path = write_csv(tmp_path / "unhcr_refugees_pkg_countries.csv", lookup)
    parsed, h = parse(path)
    assert parsed.layout == "unhcr-countries-csv" and len(parsed.table) == 0
    assert h.by_code("unhcr", "ALG") == "DZA"
    assert h.by_code("unhcr", "AUS") == "AUT"  # UNHCR's code for Austria, not ISO Australia
    assert h.by_code("unhcr", "STA") == "stateless"
    assert h.by_code("unhcr", "UKN") == "other"
    assert {"AUT", "MDA"} <= h.members["unhcr-europe"]
    assert "CRB" in parsed.note
    # API records with UNHCR codes only (no ISO fields filled) now resolve through the lookup
    rows = [["year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso", "refugees"],
            [2024, "Algeria", "ALG", "", "Austria", "AUS", "", 12]]  # fmt: skip
    got, _ = parse(write_csv(tmp_path / "pkg.csv", rows), h)
    assert rows_of(got)[("refugees", "AUT", "DZA", 2024)]["value"] == 12


def test_recognition(tmp_path):
    source = Unhcr()
    other = tmp_path / "gdp.csv"
    other.write_text("Country Name,Country Code,Year,Value\nMoldova,MDA,2020,1\n")
    assert source.recognise(other, FilePeek(other)) is None
    assert source.claims_name(tmp_path / "refugee_data_finder_x.csv")
    assert not source.claims_name(tmp_path / "refugees.xlsx")


# -- bad input ----------------------------------------------------------------------------------


def test_text_in_a_number_column_names_line_and_column(tmp_path):
    rows = [list(r) for r in API_ROWS]
    rows[2][9] = "five thousand"
    with pytest.raises(ParseError) as err:
        parse(api_csv(tmp_path / "pkg.csv", rows))
    assert err.value.row == 4 and "returned_refugees" in str(err.value)


def test_text_in_a_finder_number_column(tmp_path):
    rows = [list(r) for r in FINDER_ROWS]
    rows[3][5] = "approx. 2100"
    with pytest.raises(ParseError) as err:
        parse(finder_csv(tmp_path / "finder.csv", rows=rows))
    assert err.value.row == 19 and REFUGEES in str(err.value)


def test_unknown_country_code_names_the_line(tmp_path):
    rows = [list(r) for r in API_ROWS]
    rows[4][3] = "QQQ"
    with pytest.raises(ParseError) as err:
        parse(api_csv(tmp_path / "pkg.csv", rows))
    assert err.value.row == 6 and "'QQQ'" in str(err.value)


def test_unknown_country_name_without_code(tmp_path):
    rows = [list(r) for r in FINDER_ROWS] + [[2022, "Atlantis", "", "-", "-", 5]]
    with pytest.raises(ParseError) as err:
        parse(finder_csv(tmp_path / "finder.csv", rows=rows))
    assert err.value.row == 23 and "Atlantis" in str(err.value)


def test_json_bad_year_and_bad_shape(tmp_path):
    rows = [list(r) for r in API_ROWS]
    rows[1][0] = "recent"
    with pytest.raises(ParseError) as err:
        parse(api_json(tmp_path / "a.json", rows=rows))
    assert err.value.row == 2
    bad = tmp_path / "b.json"
    bad.write_text('{"items": {"coo_iso": "UKR"}}')
    with pytest.raises(ParseError, match="items"):
        parse(bad)


# -- end to end ---------------------------------------------------------------------------------


def test_ingest_both_layouts_then_reingest_adds_nothing(tmp_path, home):
    import migprofile
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    finder_csv(raw / "refugee_data_finder_refugees_by_origin.csv")
    api_csv(raw / "unhcr_refugees_pkg_population.csv")
    report = ingest(raw_dir=raw, offline=True)
    assert sorted(r[2] for r in report.ingested) == ["2023-06-14", "2025 (mid-year)"]
    store = migprofile.open_store()
    try:
        got = observations(store, "refugees", "MDA", partner="UKR", year=2024).to_pylist()
        assert [(r["value"], r["source"], r["edition"]) for r in got] == [
            (120000, "unhcr", "2025 (mid-year)")
        ]
        world = observations(store, "refugees", "world", partner="MDA", year=2022, source="unhcr")
        assert [(r["value"], r["edition"]) for r in world.to_pylist()] == [(2100, "2023-06-14")]
    finally:
        store.close()
    assert_reingest_adds_nothing(raw, 2)


# -- the real files -----------------------------------------------------------------------------


@pytest.mark.integration
def test_real_unhcr_files(shared_data, home):
    import migprofile
    from migprofile.ingest import ingest

    folder = shared_data / "unhcr"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    report = ingest(raw_dir=folder, offline=True)
    editions = {Path(p).name: (s, e) for p, s, e, _ in report.ingested}
    assert editions == {
        "refugee_data_finder_refugees_by_origin.csv": ("unhcr", "2021-11-10"),
        "unhcr_refugees_pkg_population.csv": ("unhcr", "2025 (mid-year)"),
        "unhcr_refugees_pkg_countries.csv": ("unhcr", "undated"),
    }
    assert report.skipped == []
    store = migprofile.open_store()
    try:
        (r,) = observations(store, "refugees", "MDA", partner="UKR", year=2024).to_pylist()
        assert r["value"] == 135486 and r["file_name"] == "unhcr_refugees_pkg_population.csv"
        (r,) = observations(
            store, "refugees", "world", partner="MDA", year=2020, source="unhcr"
        ).to_pylist()
        assert r["value"] == 2206 and r["edition"] == "2021-11-10"
        (r,) = observations(
            store, "refugees", "world", partner="MDA", year=2019, source="unhcr"
        ).to_pylist()
        assert r["value"] == 2427
        (r,) = observations(store, "refugees", "MDA", partner="UKR", year=2025).to_pylist()
        assert r["note"] == "mid-year figures"
        n = store.query("SELECT count(*) AS n FROM observations").to_pylist()[0]["n"]
        with (folder / "unhcr_refugees_pkg_population.csv").open(newline="") as fh:
            package = list(csv.reader(fh))[1:]
        assert n == 6685 + applying_cells(package)  # Data Finder cells + the package's
    finally:
        store.close()
    again = ingest(raw_dir=folder, offline=True)
    assert again.ingested == [] and len(again.unchanged) == 3
    store = migprofile.open_store()
    try:
        assert store.query("SELECT count(*) AS n FROM observations").to_pylist()[0]["n"] == n
    finally:
        store.close()


# -- the current Refugee Data Finder download (2024: one header line, no preamble) ---------------

CURRENT_HEADER = [
    "Year", "Country of Asylum", "Country of Origin", "Country of Asylum ISO",
    "Country of Origin ISO", "Refugees", "Returned Refugees", "Asylum Seekers", "IDPs",
    "Returned IDPs", "Stateless", "HST", "OOC",
]  # fmt: skip
# Made-up figures. Asylum country always filled; '-' = all countries.
CURRENT_ROWS = [
    [2023, "Poland", "Ukraine", "POL", "UKR", 950000, 60000, 1000, 0, 0, 0, 0, 0],
    [2024, "Poland", "Ukraine", "POL", "UKR", 960000, 15000, 0, 0, 0, 0, 0, 0],
    [2024, "Poland", "-", "POL", "-", 975000, 15000, 9000, 0, 0, 1400, 0, 1300],
    [2024, "Malta", "-", "MLT", "-", 8700, 0, 640, 0, 0, 0, 0, 0],
    [2024, "Ukraine", "Ukraine", "UKR", "UKR", 0, 0, 0, 3600000, 570000, 0, 0, 0],
    [2024, "-", "Ukraine", "-", "UKR", 6000000, 73000, 40000, 3600000, 570000, 0, 0, 520000],
]  # fmt: skip


def current_csv(path: Path, rows=CURRENT_ROWS) -> Path:
    """UNHCR's current download as its CSV writer writes it: minimal quoting, LF line ends."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([CURRENT_HEADER, *rows])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def current_applying_cells(rows: list[list]) -> int:
    """Cells a parser must store, counted from the rows alone: non-zero, or a zero of Refugees
    or Asylum Seekers, or any zero on a country's own row (origin = asylum)."""
    n = 0
    for row in rows:
        own = row[3] == row[4] and row[3] != "-"
        for heading, cell in zip(CURRENT_HEADER[5:], row[5:], strict=True):
            if str(cell).strip() in ("", "-"):
                continue
            if float(cell) or heading in ("Refugees", "Asylum Seekers") or own:
                n += 1
    return n


def test_current_finder_layout(tmp_path):
    path = current_csv(tmp_path / "natix_ukraine_refugees_in_EU.csv")
    assert path.read_text().splitlines()[0] == (
        "Year,Country of Asylum,Country of Origin,Country of Asylum ISO,Country of Origin ISO,"
        "Refugees,Returned Refugees,Asylum Seekers,IDPs,Returned IDPs,Stateless,HST,OOC"
    )
    parsed, _ = parse(path)
    assert parsed.layout == "unhcr-data-finder-csv"
    assert (parsed.edition, parsed.edition_order) == ("2024 (mid-year)", "2024-06")
    assert parsed.note.startswith(
        "no date in the file or its name: edition is the latest year, 2024, taken as mid-year "
        "figures"
    )
    rows = rows_of(parsed)
    r = rows[("refugees", "POL", "UKR", 2023)]
    assert (r["value"], r["row"], r["col"], r["period"], r["note"]) == (
        950000, 2, "Refugees", "", "",
    )  # fmt: skip
    r = rows[("refugees", "POL", "UKR", 2024)]
    assert (r["value"], r["period"], r["note"]) == (960000, "mid-year", "mid-year figures")
    assert rows[("refugees", "POL", "world", 2024)]["value"] == 975000  # '-' origin: all
    assert rows[("refugees", "world", "UKR", 2024)]["value"] == 6000000  # '-' asylum: all
    assert rows[("returned_refugees", "POL", "UKR", 2023)]["col"] == "Returned Refugees"
    assert rows[("asylum_seekers", "POL", "UKR", 2023)]["col"] == "Asylum Seekers"
    assert rows[("stateless", "POL", "world", 2024)]["value"] == 1400
    assert rows[("idps_unhcr", "UKR", "UKR", 2024)]["value"] == 3600000
    assert rows[("unhcr:returned_idps", "UKR", "UKR", 2024)]["value"] == 570000
    assert rows[("unhcr:ooc", "POL", "world", 2024)]["value"] == 1300
    # zeros: kept for refugees and asylum-seekers, and on a country's own row; else skipped
    assert rows[("asylum_seekers", "POL", "UKR", 2024)]["value"] == 0
    assert rows[("refugees", "UKR", "UKR", 2024)]["value"] == 0
    assert rows[("unhcr:hst", "UKR", "UKR", 2024)]["value"] == 0
    assert ("idps_unhcr", "POL", "UKR", 2024) not in rows
    assert ("stateless", "MLT", "world", 2024) not in rows
    assert ("returned_refugees", "MLT", "world", 2024) not in rows
    assert len(parsed.table) == current_applying_cells(CURRENT_ROWS)
    assert [i.indicator for i in parsed.indicators] == [
        "refugees", "returned_refugees", "asylum_seekers", "idps_unhcr", "unhcr:returned_idps",
        "stateless", "unhcr:hst", "unhcr:ooc",
    ]  # fmt: skip


def test_current_finder_layout_dated_by_its_file_name(tmp_path):
    parsed, _ = parse(current_csv(tmp_path / "unhcr_population_2024-11-14.csv"))
    assert (parsed.edition, parsed.edition_order) == ("2024-11-14", "2024-11-14")
    assert "edition from the date in its name" in parsed.note
    rows = rows_of(parsed)
    assert rows[("refugees", "POL", "UKR", 2024)]["period"] == "mid-year"
    assert rows[("refugees", "POL", "UKR", 2023)]["period"] == ""


def test_current_finder_text_in_a_number_column(tmp_path):
    rows = [list(r) for r in CURRENT_ROWS]
    rows[2][10] = "about 1,400"
    with pytest.raises(ParseError) as err:
        parse(current_csv(tmp_path / "finder.csv", rows))
    assert err.value.row == 4 and "Stateless" in str(err.value)


# -- the population API: the default download, in pages ---------------------------------------


def test_api_pages_with_paging_as_data():
    # the default download: page 1's URL, the downloader follows maxPages (test_fetch_paged)
    (download,) = Unhcr.downloads
    assert download.url == api_page_url(1) and download.paging is not None
    assert download.filename == "unhcr_population_api.json"
    assert download.url.startswith("https://api.unhcr.org/population/v1/population/?")
    query = download.url.split("?", 1)[1].split("&")
    assert {"yearFrom=1951", "coo_all=true", "coa_all=true", "cf_type=ISO", "page=1"} <= set(query)
    assert f"limit={API_PAGING['page_size']}" in query
    assert api_page_url(3, 2024).endswith("yearTo=2024&coo_all=true&coa_all=true&cf_type=ISO"
                                          f"&limit={API_PAGING['page_size']}&page=3")  # fmt: skip
    assert (API_PAGING["page_parameter"], API_PAGING["last_page_field"]) == ("page", "maxPages")
    assert download.filename.endswith(".json")


def test_api_page_of_several_is_refused(tmp_path):
    path = api_json(tmp_path / "unhcr_population_api.json")
    data = json.loads(path.read_text())
    data["maxPages"] = 3
    path.write_text(json.dumps(data))
    with pytest.raises(ParseError, match="page 1 of 3 of a paged UNHCR API answer"):
        parse(path)
    del data["page"], data["maxPages"]  # every page's items merged into one file
    path.write_text(json.dumps(data))
    parsed, _ = parse(path)
    assert len(parsed.table) == applying_cells(API_ROWS)


def test_api_json_is_ingested_from_a_folder(tmp_path, home):
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    raw.mkdir()
    api_json(raw / "unhcr_population_api.json")
    report = ingest(raw_dir=raw, offline=True)
    assert [(Path(p).name, e) for p, _, e, _ in report.ingested] == [
        ("unhcr_population_api.json", "2025 (mid-year)")
    ]


# -- the real current download ------------------------------------------------------------------

DATA_NEXT_UNHCR = (
    Path(__file__).resolve().parents[2] / "shared" / "data-next" / "unhcr_datafinder_2024"
)


@pytest.mark.integration
def test_real_current_finder_files(home):
    import migprofile
    from migprofile.ingest import ingest

    if not DATA_NEXT_UNHCR.is_dir():
        pytest.skip(f"{DATA_NEXT_UNHCR} not present: the 2024 Data Finder downloads are there")
    report = ingest(raw_dir=DATA_NEXT_UNHCR, offline=True)
    got = {Path(p).name: (s, e) for p, s, e, _ in report.ingested}
    assert got == {
        name: ("unhcr", "2024 (mid-year)")
        for name in (
            "natix_refugees_in_EU_plus_UK.csv",
            "natix_ukraine_refugees_in_EU.csv",
            "natix_ukraine_refugees_total.csv",
        )
    }
    expected = 0
    for name in got:
        with (DATA_NEXT_UNHCR / name).open(newline="", encoding="utf-8") as fh:
            records = list(csv.reader(fh))
        assert records[0] == CURRENT_HEADER
        expected += current_applying_cells(records[1:])
        if name == "natix_ukraine_refugees_in_EU.csv":
            (pol_2023,) = [r for r in records if r[0] == "2023" and r[3] == "POL"]
    assert pol_2023[5] == "955891"
    store = migprofile.open_store()
    try:
        (r,) = observations(store, "refugees", "POL", partner="UKR", year=2023).to_pylist()
        assert (r["value"], r["edition"], r["period"]) == (955891, "2024 (mid-year)", "")
        (r,) = observations(store, "refugees", "POL", partner="UKR", year=2024).to_pylist()
        assert (r["period"], r["note"]) == ("mid-year", "mid-year figures")
        n = store.query("SELECT count(*) AS n FROM observations").to_pylist()[0]["n"]
        assert n == expected
    finally:
        store.close()
