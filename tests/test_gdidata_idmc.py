"""IOM GMDAC's gdidata extracts of IDMC's GIDD: flows by cause and hazard (`idmc_flows`) and IDP
stocks by sex and age (`idmc_stocks`), one edition of the IDMC dataset.

Extracts are built here in the package's CSV layout (LF line ends, sorted by code, Zimbabwe
last) with made-up figures; the real extracts in ../shared/data-next/iom_gdidata are checked
against the official exports beside them at the end (integration, skipped when absent).
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from fixtures import one, recognise_and_parse, rows, write_csv_rows
from migprofile.errors import ParseError
from migprofile.sources import REGISTRY, dataset_of
from migprofile.sources.gdidata_idmc import GdidataIdmc

FLOWS_HEADER = ["geo", "t", "cause", "n"]
# Made-up figures, sorted by code then cause then year as the package writes them.
FLOWS = [
    ["AB9", "2022", "conflict", "55750"],
    ["AFG", "2022", "conflict", "32424"],
    ["AFG", "2022", "drought", "16809"],
    ["AFG", "2022", "flood", "55100"],
    ["GEO", "2022", "flood", "1200"],
    ["MDA", "2021", "conflict", "0"],
    ["UKR", "2023", "conflict", "16870323"],
    ["ZWE", "2022", "storm", "1106"],
]
STOCKS_HEADER = ["geo", "t", "cause", "sex", "age", "n"]
STOCKS = [
    ["AB9", "2024", "conflict", "unknown", "unknown", "42000"],
    ["AFG", "2024", "conflict", "female", "0-4", "323973"],
    ["AFG", "2024", "conflict", "female", "60+", "91854"],
    ["AFG", "2024", "conflict", "male", "0-4", "338244"],
    ["MDA", "2024", "disaster", "female", "5-11", "0"],
    ["ZWE", "2024", "disaster", "male", "60+", "656"],
]


def _extract(path: Path, header: list[str], records: list[list[str]]) -> Path:
    return write_csv_rows(path, [header, *records], newline="\n")


def gdidata_flows_csv(folder: Path, records=FLOWS) -> Path:
    return _extract(Path(folder) / "gdidata_idmc_flows.csv", FLOWS_HEADER, records)


def gdidata_stocks_csv(folder: Path, records=STOCKS) -> Path:
    return _extract(Path(folder) / "gdidata_idmc_stocks.csv", STOCKS_HEADER, records)


def test_flows_raw_figures_hazards_and_disaster_sums(tmp_path):
    match, _, parsed = recognise_and_parse(gdidata_flows_csv(tmp_path))
    assert (match.source.id, parsed.layout) == ("gdidata_idmc", "gdidata-idmc-flows-csv")
    assert (parsed.edition, parsed.edition_order) == ("2024", "2024-05")
    t = parsed.table
    r = one(t, indicator="new_displacements_conflict_raw", geo="AFG", year=2022)
    assert (r["value"], r["unit"], r["sheet"], r["row"], r["col"]) == (
        32424, "movements", None, 3, "n",
    )  # fmt: skip
    assert one(t, indicator="new_displacements_conflict_raw", geo="idmc-ab9")["value"] == 55750
    flood = one(t, indicator="idmc:new_displacements_disaster_flood", geo="AFG")
    assert (flood["value"], flood["row"]) == (55100, 5)
    total = one(t, indicator="new_displacements_disaster_raw", geo="AFG", year=2022)
    assert (total["value"], total["row"], total["col"]) == (16809 + 55100, 4, "n")
    assert total["note"] == (
        "sum of the extract's 2 hazard rows (lines 4,5: drought, flood), computed by migprofile"
    )
    assert one(t, indicator="new_displacements_disaster_raw", geo="GEO")["value"] == 1200
    # IDMC's raw 0 is a figure, stored
    assert one(t, indicator="new_displacements_conflict_raw", geo="MDA")["value"] == 0
    # the rounded headline ids are never written from unrounded figures
    assert not rows(t, indicator="new_displacements_conflict")
    assert t.num_rows == 4 + 4 + 3  # conflict, hazard rows, disaster sums
    assert "edition 2024 inferred from the latest data year 2023" in parsed.note


def test_stocks_by_sex_and_age(tmp_path):
    _, _, parsed = recognise_and_parse(gdidata_stocks_csv(tmp_path))
    assert (parsed.layout, parsed.edition, parsed.edition_order) == (
        "gdidata-idmc-stocks-csv", "2025", "2025-05",
    )  # fmt: skip
    t = parsed.table
    r = one(t, indicator="idmc:idps_conflict_sadd", geo="AFG", sex="female", age="0-4")
    assert (r["value"], r["unit"], r["row"], r["year"]) == (323973, "persons", 3, 2024)
    assert one(t, geo="MDA", sex="female", age="5-11")["value"] == 0  # a split rounded to 0
    assert one(t, indicator="idmc:idps_disaster_sadd", geo="ZWE")["value"] == 656
    ab9 = one(t, geo="idmc-ab9")
    assert (ab9["sex"], ab9["age"], ab9["value"]) == ("total", "total", 42000)
    assert "sex and age 'unknown'" in ab9["note"]
    assert "not split by sex or age, stored as totals: AB9 2024 conflict" in parsed.note
    assert t.num_rows == len(STOCKS)


@pytest.mark.parametrize(
    ("records", "line", "message"),
    [
        ([*FLOWS[:2], ["AFG", "2022", "tsunami", "5"], *FLOWS[2:]], 4, "cause 'tsunami'"),
        ([*FLOWS[:2], ["AFG", "2022", "flood", "many"], *FLOWS[3:]], 4, "column n"),
        ([*FLOWS[:2], ["AFG", "2022", "flood", "-5"], *FLOWS[3:]], 4, "negative"),
        ([*FLOWS[:2], ["QQQ", "2022", "flood", "5"], *FLOWS[3:]], 4, "'QQQ'"),
        ([*FLOWS[:2], ["AFG", "22", "flood", "5"], *FLOWS[3:]], 4, "t '22' is not a year"),
        (FLOWS[:-1], 8, "ends with 'UKR'"),
    ],
)
def test_bad_flows_name_the_line(tmp_path, records, line, message):
    with pytest.raises(ParseError, match=message) as err:
        recognise_and_parse(gdidata_flows_csv(tmp_path, records))
    assert err.value.row == line


def test_bad_stocks_name_the_line(tmp_path):
    records = [*STOCKS[:2], ["AFG", "2024", "conflict", "unknown", "0-4", "5"], *STOCKS[2:]]
    with pytest.raises(ParseError, match="sex 'unknown' and age '0-4'") as err:
        recognise_and_parse(gdidata_stocks_csv(tmp_path, records))
    assert err.value.row == 4


def test_cut_mid_line_is_refused(tmp_path):
    path = gdidata_flows_csv(tmp_path)
    path.write_bytes(path.read_bytes()[:-3])  # 'ZWE,2022,storm,11'
    with pytest.raises(ParseError, match="ends mid-line"):
        recognise_and_parse(path)


def test_named_like_the_extract_but_not_it_is_its_own_error(tmp_path):
    from migprofile.ingest import recognise

    path = tmp_path / "gdidata_idmc_flows.csv"
    path.write_text("geo,year,hazard,n\nAFG,2022,flood,1\n")
    with pytest.raises(ParseError, match="named like a IOM GMDAC gdidata extract of the IDMC"):
        recognise(path, REGISTRY)


def test_an_edition_of_the_idmc_dataset():
    source = GdidataIdmc()
    assert dataset_of(source.id) == "idmc"
    assert source.preference > next(s for s in REGISTRY if s.id == "idmc").preference
    assert source.feeds == ("new_displacements_conflict_raw", "new_displacements_disaster_raw")


def test_official_export_wins_where_both_cover_a_country(tmp_path, home):
    """The official 2024-05-13 export and the extract (release 2024) both have AFG: the
    official edition orders later and its cells are the ones read."""
    import migprofile
    from migprofile.indicators import observations
    from migprofile.ingest import ingest
    from test_idmc import XLSX_NAME, gidd_2024_workbook

    raw = tmp_path / "raw"
    gdidata_flows_csv(raw)
    gidd_2024_workbook(raw / XLSX_NAME)
    report = ingest(raw_dir=raw, offline=True)
    assert sorted((r[1], r[2]) for r in report.ingested) == [
        ("gdidata_idmc", "2024"),
        ("idmc", "2024-05-13"),
    ]
    store = migprofile.open_store()
    try:
        got = observations(store, "new_displacements_conflict_raw", "AFG", year=2022).to_pylist()
        assert [(r["value"], r["source"], r["edition"]) for r in got] == [
            (32424, "idmc", "2024-05-13")
        ]
        extract = observations(
            store, "new_displacements_conflict_raw", "UKR", source="gdidata_idmc"
        ).to_pylist()
        assert [(r["year"], r["value"], r["edition"]) for r in extract] == [
            (2023, 16870323, "2024")
        ]
    finally:
        store.close()


# -- the real extracts, against the official exports ---------------------------------------

DATA_NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next"
ASIA_2024 = (
    DATA_NEXT
    / "idmc"
    / "IDMC_Internal_Displacement_Conflict-Violence_Disasters__update2024-05-13_AsiaPacific32.xlsx"
)


@pytest.mark.integration
def test_real_extracts_equal_the_official_2024_export():
    from openpyxl import load_workbook

    flows_path = DATA_NEXT / "iom_gdidata" / "gdidata_idmc_flows.csv"
    if not flows_path.exists() or not ASIA_2024.exists():
        pytest.skip(f"{flows_path} or {ASIA_2024} not present")
    _, _, parsed = recognise_and_parse(flows_path)
    assert (parsed.edition, parsed.edition_order) == ("2024", "2024-05")
    with flows_path.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    # the official raw figures for the 32 countries, read with openpyxl
    wb = load_workbook(ASIA_2024, read_only=True)
    data = [
        [*r, *[None] * (11 - len(r))] for r in wb["1_Displacement_data"].iter_rows(values_only=True)
    ][1:]
    wb.close()
    official = {}
    for r in data:
        geo, year = r[0], int(r[2])
        for cause, col in (("conflict", 6), ("disaster", 8)):
            if r[col] not in (None, ""):
                official[(geo, year, cause)] = float(r[col])
    summed: dict[tuple[str, int, str], float] = defaultdict(float)
    for rec in records:
        cause = "conflict" if rec["cause"] == "conflict" else "disaster"
        summed[(rec["geo"], int(rec["t"]), cause)] += float(rec["n"])
    both = [k for k in summed if k in official]
    assert len(both) == 472 and all(summed[k] == official[k] for k in both)
    stored = {
        (r["geo"], r["year"], r["indicator"]): r["value"]
        for r in parsed.table.to_pylist()
        if r["indicator"].endswith("_raw")
    }
    for geo, year, cause in both:
        assert stored[(geo, year, f"new_displacements_{cause}_raw")] == official[(geo, year, cause)]
    zeros = [rec for rec in records if float(rec["n"]) == 0]
    assert len(zeros) == 197 and {rec["cause"] for rec in zeros} == {"conflict"}
    assert parsed.table.num_rows == len(records) + sum(1 for k in summed if k[2] == "disaster")
    _, _, stocks = recognise_and_parse(DATA_NEXT / "iom_gdidata" / "gdidata_idmc_stocks.csv")
    assert (stocks.edition, stocks.table.num_rows) == ("2025", 1541)
