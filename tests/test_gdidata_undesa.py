"""IOM GMDAC's gdidata extract of UN DESA IMS 2024 (`undesa_stocks`): destination x origin x
sex, one edition of `undesa_ims_origin`. Fixtures are built by tests/fixtures_undesa2024.py in
the extract's layout with invented values; the integration tests read the real extract (and the
official 2024 origin totals) in ../shared/data-next in place."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

import fixtures_undesa2024 as f24
import migprofile
from fixtures import ingested, one, parsed_once, recognise_and_parse, rows
from migprofile.errors import ParseError
from migprofile.indicators import observations
from migprofile.ingest import recognise
from migprofile.sources import REGISTRY, dataset_of

parsed = parsed_once(f24.gdidata_undesa_stocks_csv, "gd")


def _lines(*drop: int, extra: tuple = ()) -> list[str]:
    """The fixture's data lines without those at the given indexes, plus `extra` pairs."""
    lines = f24.gdidata_lines((*f24.GDIDATA_PAIRS, *extra))
    return [line for i, line in enumerate(lines) if i not in drop]


def test_recognised_by_header_one_edition_of_the_official_dataset(tmp_path, parsed):
    match, _, pf = parsed
    assert match.source.id == "gdidata_undesa_stocks"
    assert dataset_of("gdidata_undesa_stocks") == "undesa_ims_origin"
    assert (pf.edition, pf.edition_order, pf.layout) == (
        "2024",
        "2024",
        "gdidata-undesa-stocks-csv",
    )
    renamed = f24.gdidata_undesa_stocks_csv(tmp_path / "stocks.csv")
    assert recognise(renamed, REGISTRY).source.id == "gdidata_undesa_stocks"


def test_sexes_as_published(parsed):
    t = parsed[2].table
    female = one(t, geo="ITA", partner="MDA", year=2024, sex="female")
    male = one(t, geo="ITA", partner="MDA", year=2024, sex="male")
    assert (female["value"], male["value"]) == (145668.0, 72926.0)
    # lines: header 1, then the pairs sorted (DEU x3, ITA 2020, ITA 2024 MDA = lines 10-11)
    assert (female["row"], female["col"], female["sheet"]) == (10, "n", None)
    assert male["row"] == 11
    assert (female["unit"], female["period"], female["indicator"]) == (
        "persons",
        "mid-year",
        "migrant_stock",
    )
    assert female["note"] == "type of data: B R"  # type_b = 1, type_r = 1
    assert one(t, geo="RUS", partner="MDA", year=2024, sex="male")["note"] == ("type of data: C R")
    assert one(t, geo="ZWE", partner="ZMB", year=2024, sex="male")["note"] == "type of data: I"


def test_total_is_female_plus_male_and_says_so(parsed):
    t = parsed[2].table
    total = one(t, geo="ITA", partner="MDA", year=2024, sex="total")
    assert total["value"] == 218594.0
    assert total["note"] == (
        "total = female + male, computed by migprofile (lines 10,11); type of data: B R"
    )
    assert total["row"] == 10
    assert one(t, geo="RUS", partner="MDA", year=2024, sex="total")["value"] == 166187.0
    assert one(t, geo="UKR", partner="MDA", year=2024, sex="total")["value"] == 154284.0
    assert len(rows(t, sex="total")) == len(f24.GDIDATA_PAIRS)
    assert t.num_rows == 3 * len(f24.GDIDATA_PAIRS)
    assert "10 totals computed as female + male" in parsed[2].note


def test_special_codes_and_zeros(parsed):
    t = parsed[2].table
    assert one(t, geo="DEU", partner="other", year=2024, sex="total")["value"] == 500.0  # OOO
    channel = rows(t, geo="ITA", partner="CHI", year=2024)  # XCX: Channel Islands, M49 830
    assert {r["sex"]: r["value"] for r in channel} == {"female": 0.0, "male": 1.0, "total": 1.0}


def test_pair_with_one_sex_gets_no_total(tmp_path):
    lone = ("AUT", 2024, "MDA", 10, 20, "1000")
    lines = _lines(extra=(lone,))
    lines.remove("AUT,2024,MDA,male,20,1,0,0,0")
    _, _, pf = recognise_and_parse(f24.gdidata_undesa_stocks_csv(tmp_path, lines))
    assert [r["sex"] for r in rows(pf.table, geo="AUT")] == ["female"]
    assert "1 pair with one sex only: no total" in pf.note


def test_cut_at_a_line_break_is_refused(tmp_path):
    """The last pair lost its male line: without the check its total would be female alone."""
    lines = _lines(len(f24.GDIDATA_PAIRS) * 2 - 1)
    path = f24.gdidata_undesa_stocks_csv(tmp_path, lines)
    with pytest.raises(ParseError) as exc:
        recognise_and_parse(path)
    msg = str(exc.value)
    assert str(path) in msg and "cut short" in msg and "ZWE,2024,ZMB,female" in msg
    assert exc.value.row == len(lines) + 1


def test_cut_mid_line_is_refused(tmp_path):
    path = f24.gdidata_undesa_stocks_csv(tmp_path)
    path.write_bytes(path.read_bytes()[:-6])
    with pytest.raises(ParseError, match="ends mid-line") as exc:
        recognise_and_parse(path)
    assert str(path) in str(exc.value)


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("DEU,2020,QQQ,female,1,1,0,0,0", ("'QQQ'", "column from")),
        ("DEU,2020,MDA,unknown,1,1,0,0,0", ("'unknown'", "column sex")),
        ("DEU,2020,MDA,female,12 a,1,0,0,0", ("'12 a'", "column n")),
        ("DEU,20x0,MDA,female,1,1,0,0,0", ("'20x0'", "column t")),
    ],
)
def test_bad_cell_names_file_line_and_column(tmp_path, line, words):
    lines = [line, *_lines(0)]
    path = f24.gdidata_undesa_stocks_csv(tmp_path, lines)
    with pytest.raises(ParseError) as exc:
        recognise_and_parse(path)
    assert exc.value.row == 2 and str(path) in str(exc.value)
    for word in words:
        assert word in str(exc.value)


def test_renamed_header_named_like_the_extract_is_an_error(tmp_path):
    path = f24.gdidata_undesa_stocks_csv(tmp_path)
    path.write_text(path.read_text().replace(",from,", ",origin,", 1))
    with pytest.raises(ParseError, match="named like") as exc:
        recognise(path, REGISTRY)
    assert str(path) in str(exc.value)


# --- the real extract, with the official 2024 origin totals ------------------------------------

NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next"
REAL = NEXT / "iom_gdidata" / f24.GDIDATA_FILE
REAL_TOTALS = NEXT / "undesa_ims" / f24.ORIGIN_TOTALS_FILE


@pytest.fixture(scope="module")
def real(module_home, tmp_path_factory):
    if not (REAL.is_file() and REAL_TOTALS.is_file()):
        pytest.skip(f"{REAL} or {REAL_TOTALS} not present: needs ../shared/data-next")
    raw, db = tmp_path_factory.mktemp("real"), tmp_path_factory.mktemp("db") / "s.duckdb"
    assert ingested(raw, db=db, link=(REAL, REAL_TOTALS)) == [
        (REAL.name, "gdidata_undesa_stocks", "2024"),
        (REAL_TOTALS.name, "undesa_ims_origin", "2024"),
    ]
    with REAL.open(newline="", encoding="utf-8") as fh:
        sums: Counter = Counter()
        for rec in csv.DictReader(fh):
            sums[(rec["geo"], rec["from"], int(rec["t"]))] += int(rec["n"])
    store = migprofile.open_store(db)
    yield store, sums
    store.close()


@pytest.mark.integration
def test_real_moldovans_abroad_2024(real):
    """`get migrant_stock ITA --partner MDA --year 2024` = 218,594 (female + male)."""
    store, sums = real
    for dest, expected in (("ITA", 218_594), ("RUS", 166_187), ("UKR", 154_284)):
        assert sums[(dest, "MDA", 2024)] == expected
        (got,) = observations(store, "migrant_stock", dest, partner="MDA", year=2024).to_pylist()
        assert (got["value"], got["source"], got["edition"]) == (
            expected,
            "gdidata_undesa_stocks",
            "2024",
        )
        assert got["note"].startswith("total = female + male, computed by migprofile")


@pytest.mark.integration
def test_real_emigrants_are_the_official_totals_of_the_same_edition(real):
    """The extract sums to the official total; the edition's emigrant_stock is the official
    published world row, not the sum over the extract's destinations."""
    store, sums = real
    born_in_mda = sum(v for (_, origin, year), v in sums.items() if (origin, year) == ("MDA", 2024))
    assert born_in_mda == 864_257
    (got,) = observations(store, "emigrant_stock", "MDA", year=2024).to_pylist()
    assert (got["value"], got["source"], got["edition"]) == (864_257, "undesa_ims_origin", "2024")
    assert (got["file_name"], got["note"]) == (REAL_TOTALS.name, "total as published (world row)")
    top = observations(store, "top_destinations", "MDA", year=2024).to_pylist()
    assert [(r["partner"], r["value"]) for r in top[:3]] == [
        ("ITA", 218_594),
        ("RUS", 166_187),
        ("UKR", 154_284),
    ]
