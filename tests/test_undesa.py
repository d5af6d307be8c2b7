"""UN DESA International Migrant Stock: the totals-by-destination workbooks (2019, 2020/2024
layouts) and the destination-by-origin workbooks (2015 matrix, 2020 stacked), parsed directly and
through `ingest` into a store. All files are built by tests/fixtures.py with invented values."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import fixtures as fx
import fixtures_undesa2024 as f24
import migprofile
from fixtures import one, rows
from migprofile.errors import ParseError
from migprofile.indicators import observations
from migprofile.ingest import harmoniser_for, ingest, recognise
from migprofile.sources import REGISTRY

# --- helpers -----------------------------------------------------------------------------------


parse = fx.recognise_and_parse


parsed_2020 = fx.parsed_once(fx.undesa_destination_2020, "d2020")
parsed_2019 = fx.parsed_once(fx.undesa_destination_2019, "d2019")
MATRIX_TABLES = ((2015, "total"), (2015, "male"), (2015, "female"), (1990, "total"))
parsed_matrix = fx.parsed_once(
    lambda folder: fx.undesa_origin_2015(folder, tables=MATRIX_TABLES), "m2015"
)
parsed_stacked = fx.parsed_once(fx.undesa_origin_stacked, "s2020")


@pytest.fixture(scope="module")
def store(module_home, tmp_path_factory):
    """One ingest: 2019 and 2020 totals, the 2015 matrix, the 2020 stacked table, a stray CSV."""
    raw = tmp_path_factory.mktemp("raw")
    fx.undesa_destination_2019(raw)
    fx.undesa_destination_2020(raw)
    fx.undesa_origin_2015(raw, tables=MATRIX_TABLES)
    fx.undesa_origin_stacked(raw)
    (raw / "my_notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    db = tmp_path_factory.mktemp("db") / "s.duckdb"
    report = ingest(raw_dir=raw, offline=True, db=db)
    assert sorted((Path(p).name, s, e) for p, s, e, _ in report.ingested) == [
        ("UN_MigrantStockByOriginAndDestination_2015.xlsx", "undesa_ims_origin", "2015"),
        ("undesa_pd_2019_migrant_stock_total_dataset.xlsx", "undesa_ims_destination", "2019"),
        ("undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", "undesa_ims_destination", "2020"),
        (
            "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
            "undesa_ims_origin",
            "2020",
        ),
    ]
    assert [(Path(p).name, why) for p, why in report.skipped] == [
        ("my_notes.csv", "no known publisher layout")
    ]
    store = migprofile.open_store(db)
    yield store
    store.close()


# --- totals by destination, 2020 layout --------------------------------------------------------


def test_2020_recognised_by_content(parsed_2020):
    match, _, pf = parsed_2020
    assert match.source.id == "undesa_ims_destination"
    assert pf.layout == "undesa-destination"
    assert pf.edition == "2020"
    assert pf.note == "tables: immigrant_stock, immigrant_pct_population, immigrant_female_pct"


def test_2020_stock_by_sex_lands_in_the_right_columns(parsed_2020):
    t = parsed_2020[2].table
    kw = {"indicator": "immigrant_stock", "geo": "MDA"}
    total = one(t, **kw, year=2020, sex="total")
    male = one(t, **kw, year=2020, sex="male")
    female = one(t, **kw, year=2020, sex="female")
    assert (total["value"], male["value"], female["value"]) == (400.0, 180.0, 220.0)
    # Provenance is the real Excel cell: row 15; both sexes F-L, males M-S, females T-Z.
    assert (total["sheet"], total["row"], total["col"]) == ("Table 1", 15, "L")
    assert (male["row"], male["col"]) == (15, "S")
    assert (female["row"], female["col"]) == (15, "Z")
    rus_1990 = {
        r["sex"]: (r["value"], r["col"]) for r in rows(t, **{**kw, "geo": "RUS"}, year=1990)
    }
    assert rus_1990 == {"total": (1000.0, "F"), "male": (480.0, "M"), "female": (520.0, "T")}
    assert {r["unit"] for r in rows(t, indicator="immigrant_stock")} == {"persons"}
    assert {r["partner"] for r in t.to_pylist()} == {""}


def test_2020_all_years_and_sexes_present(parsed_2020):
    t = parsed_2020[2].table
    mda = rows(t, indicator="immigrant_stock", geo="MDA")
    assert sorted({r["year"] for r in mda}) == [1990, 1995, 2000, 2005, 2010, 2015, 2020]
    assert len(mda) == 21
    # 7 rows x 7 years x 3 sexes x 2 by-sex tables + 7 rows x 7 years of Table 4
    assert t.num_rows == 7 * 7 * 3 * 2 + 7 * 7


def test_2020_missing_marker_is_null_not_zero(parsed_2020):
    t = parsed_2020[2].table
    mne = {
        (r["year"], r["sex"]): r["value"] for r in rows(t, indicator="immigrant_stock", geo="MNE")
    }
    assert mne[(1990, "total")] is None
    assert mne[(1995, "female")] is None
    assert mne[(2000, "total")] == 80.0
    assert 0.0 not in {v for (y, _), v in mne.items() if y < 2000}


def test_2020_footnote_marks_and_codes(parsed_2020):
    t = parsed_2020[2].table
    geos = {r["geo"] for r in t.to_pylist()}
    # 'Republic of Moldova*' and 'Ukraine*' (with a notes number) resolve through their M49 code
    assert {"MDA", "RUS", "UKR", "MNE"} <= geos
    assert one(t, indicator="immigrant_stock", geo="UKR", year=2020, sex="total")["value"] == 360.0


def test_code_beats_name(tmp_path):
    """A row whose name no rule knows is still the country its M49 location code says."""
    row = ("   Moldova, Rep. of (see note 9)*", 9, 498, "B", [1] * 7, [0.5] * 7, [0.5] * 7)
    _, _, pf = parse(fx.undesa_destination_2020(tmp_path, countries=(fx.DEST_2020_ROWS[0], row)))
    assert (
        one(pf.table, indicator="immigrant_stock", geo="MDA", year=2020, sex="total")["value"]
        == 1.0
    )


def test_2020_regions_and_development_groups_are_aggregates(parsed_2020):
    _, h, pf = parsed_2020
    geos = {r["geo"] for r in pf.table.to_pylist()}
    group = "undesa-less-developed-regions-excluding-china"
    assert {"world", "eastern-europe", group} <= geos
    # The development group must not be taken for China by a name regex.
    assert "CHN" not in geos
    new = {e.geo: e for e in h.new_entries}
    assert list(new) == [group]
    assert new[group].kind == "aggregate"
    assert new[group].group_type == "undesa_group"
    assert new[group].name == "Less developed regions, excluding China"
    assert h.codes[("undesa", "948")] == group
    assert h.codes[("undesa", "923")] == "eastern-europe"
    assert h.entries["eastern-europe"].kind == "aggregate"
    world = one(pf.table, indicator="immigrant_stock", geo="world", year=2020, sex="male")
    assert (world["value"], world["row"], world["col"]) == (4800.0, 12, "S")


def test_2020_table3_share_of_population(parsed_2020):
    t = parsed_2020[2].table
    kw = {"indicator": "immigrant_pct_population", "geo": "MDA", "year": 1990}
    total = one(t, **kw, sex="total")
    assert (total["value"], total["unit"]) == (15.25, "%")
    assert (total["sheet"], total["row"], total["col"]) == ("Table 3", 15, "F")
    assert one(t, **kw, sex="male")["value"] == 14.5
    assert one(t, **kw, sex="female")["value"] == 16.0
    assert one(t, **{**kw, "year": 2020}, sex="total")["value"] == 9.75


def test_2020_table4_female_share_has_sex_total(parsed_2020):
    t = parsed_2020[2].table
    female_pct = rows(t, indicator="immigrant_female_pct", geo="MDA")
    assert {r["sex"] for r in female_pct} == {"total"}
    assert len(female_pct) == 7
    r2020 = one(t, indicator="immigrant_female_pct", geo="MDA", year=2020)
    assert (r2020["value"], r2020["unit"], r2020["sheet"], r2020["row"], r2020["col"]) == (
        55.0,
        "%",
        "Table 4",
        15,
        "L",
    )


@pytest.mark.parametrize(
    ("filename", "edition"),
    [
        ("downloaded workbook.xlsx", 2024),
        # the content's Rev.YYYY beats a year in the file name
        ("undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx", 2024),
        ("undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx", 2020),
    ],
)
def test_edition_from_rev_line(tmp_path, filename, edition):
    _, _, pf = parse(fx.undesa_destination_2020(tmp_path / filename, edition=edition))
    assert pf.edition == str(edition)
    assert pf.edition_order == str(edition)
    years = {r["year"] for r in rows(pf.table, indicator="immigrant_stock", geo="MDA")}
    assert max(years) == edition


# --- totals by destination, 2019 layout --------------------------------------------------------


def test_2019_values_by_sex(parsed_2019):
    match, _, pf = parsed_2019
    assert match.source.id == "undesa_ims_destination"
    assert pf.edition == "2019"
    t = pf.table
    kw = {"indicator": "immigrant_stock", "geo": "MDA", "year": 2019}
    got = {s: one(t, **kw, sex=s) for s in ("total", "male", "female")}
    assert {s: r["value"] for s, r in got.items()} == {
        "total": 310.0,
        "male": 140.0,
        "female": 170.0,
    }
    assert {s: (r["row"], r["col"]) for s, r in got.items()} == {
        "total": (27, "L"),
        "male": (27, "S"),
        "female": (27, "Z"),
    }
    assert one(t, indicator="immigrant_stock", geo="RUS", year=1990, sex="female")["value"] == 520.0


def test_2019_heading_rows_skipped_and_groups_kept(parsed_2019):
    _, h, pf = parsed_2019
    geos = {r["geo"] for r in pf.table.to_pylist()}
    assert geos == {
        "world",
        "undesa-more-developed-regions",
        "undesa-less-developed-regions",
        "europe",
        "northern-america",
        "eastern-europe",
        "MDA",
        "RUS",
        "UKR",
    }
    assert h.codes[("undesa", "901")] == "undesa-more-developed-regions"
    assert h.entries["undesa-more-developed-regions"].name == "More developed regions"


def test_2019_identical_duplicate_region_rows_dropped(parsed_2019):
    """'Northern America' (905) and the SDG region 'NORTHERN AMERICA' (918) are one geo."""
    t = parsed_2019[2].table
    kept = one(t, indicator="immigrant_stock", geo="northern-america", year=1990, sex="total")
    assert (kept["value"], kept["row"]) == (1700.0, 23)


def test_2019_missing_sexes_are_null(parsed_2019):
    t = parsed_2019[2].table
    ukr = rows(t, indicator="immigrant_stock", geo="UKR", year=2019)
    assert {r["sex"]: r["value"] for r in ukr} == {"total": 290.0, "male": None, "female": None}


def test_2019_share_tables(parsed_2019):
    t = parsed_2019[2].table
    pct = one(t, indicator="immigrant_pct_population", geo="MDA", year=2019, sex="male")
    assert (pct["value"], pct["sheet"], pct["row"], pct["col"]) == (4.5, "Table 3", 27, "S")
    fem = one(t, indicator="immigrant_female_pct", geo="MDA", year=2019)
    assert (fem["value"], fem["sex"], fem["sheet"]) == (51.5, "total", "Table 4")


# --- destination x origin, 2015 matrix ---------------------------------------------------------


def test_matrix_recognised_and_edition(parsed_matrix):
    match, _, pf = parsed_matrix
    assert match.source.id == "undesa_ims_origin"
    assert pf.edition == "2015"
    assert pf.layout == "undesa-origin-matrix"


def test_matrix_sex_and_year_from_title(parsed_matrix):
    t = parsed_matrix[2].table
    got = {
        (r["year"], r["sex"]): (r["value"], r["sheet"])
        for r in rows(t, indicator="migrant_stock", geo="RUS", partner="MDA")
    }
    assert got == {
        (2015, "total"): (450.0, "Table 1"),
        (2015, "male"): (180.0, "Table 2"),
        (2015, "female"): (270.0, "Table 3"),
        (1990, "total"): (562.5, "Table 4"),
    }
    cell = one(t, geo="RUS", partner="MDA", year=2015, sex="total")
    assert (cell["row"], cell["col"]) == (21, "I")


def test_matrix_residual_and_total_columns(parsed_matrix):
    t = parsed_matrix[2].table
    mda = {r["partner"]: r["value"] for r in rows(t, geo="MDA", year=2015, sex="total")}
    assert mda == {"world": 150.0, "other-north": 4.0, "other-south": 1.0, "RUS": 60.0, "UKR": 70.0}
    world_col = one(t, geo="MDA", partner="world", year=2015, sex="total")
    assert world_col["col"] == "F"


def test_matrix_blanks_skipped_zeros_kept(parsed_matrix):
    t = parsed_matrix[2].table
    assert rows(t, geo="MDA", partner="MDA") == []
    assert rows(t, geo="UKR", partner="other-north") == []
    assert {r["partner"] for r in rows(t, geo="CIV", year=2015, sex="total")} == {
        "world",
        "other-north",
        "other-south",
    }
    # regions print 0 where nobody comes from a country: a real zero, kept as 0
    assert one(t, geo="eastern-europe", partner="CIV", year=2015, sex="total")["value"] == 0.0
    assert one(t, geo="ITA", partner="CIV", year=2015, sex="total")["value"] == 60.0
    assert one(t, geo="world", partner="CIV", year=2015, sex="total")["value"] == 300.0


def test_matrix_groups_and_world_rows(parsed_matrix):
    _, h, pf = parsed_matrix
    geos = {r["geo"] for r in pf.table.to_pylist()}
    assert geos == {
        "world",
        "undesa-developed-regions",
        "eastern-europe",
        "MDA",
        "RUS",
        "UKR",
        "CIV",
        "ITA",
    }
    assert [e.geo for e in h.new_entries] == ["undesa-developed-regions"]


def test_store_bilateral_get(store):
    """The 2015 matrix and the 2020 stacked table both give RUS<-MDA 2015: 2020 wins."""
    got = observations(store, "migrant_stock", "RUS", partner="MDA", year=2015).to_pylist()
    assert [(r["value"], r["sex"], r["source"], r["edition"]) for r in got] == [
        (350.0, "total", "undesa_ims_origin", "2020")
    ]
    old = observations(
        store, "migrant_stock", "RUS", partner="MDA", year=2015, edition="2015"
    ).to_pylist()
    assert len(old) == 1
    r = old[0]
    assert (r["value"], r["sex"], r["edition"]) == (450.0, "total", "2015")
    assert (r["file_name"], r["sheet"], r["row"], r["col"]) == (
        "UN_MigrantStockByOriginAndDestination_2015.xlsx",
        "Table 1",
        21,
        "I",
    )
    by_name = observations(
        store, "migrant_stock", "Russian Federation", partner="Republic of Moldova*", edition="2015"
    )
    assert [(x["year"], x["value"]) for x in by_name.to_pylist()] == [(1990, 562.5), (2015, 450.0)]
    both = observations(
        store, "migrant_stock", "RUS", partner="MDA", year=2015, sex="all", edition="2015"
    ).to_pylist()
    assert {x["sex"]: x["value"] for x in both} == {"total": 450.0, "male": 180.0, "female": 270.0}
    series = observations(store, "migrant_stock", "RUS", partner="MDA").to_pylist()
    assert [(x["year"], x["value"], x["edition"]) for x in series] == [
        (1990, 300.0, "2020"),
        (1995, 310.0, "2020"),
        (2000, 320.0, "2020"),
        (2005, 330.0, "2020"),
        (2010, 340.0, "2020"),
        (2015, 350.0, "2020"),
        (2020, 360.0, "2020"),
    ]


def test_store_emigrant_stock_uses_world_row(store):
    got = observations(store, "emigrant_stock", "MDA", year=2015, edition="2015").to_pylist()
    assert len(got) == 1
    r = got[0]
    assert r["value"] == 1200.0  # WORLD row, not the sum over the listed destinations (650)
    assert (r["sheet"], r["row"], r["col"]) == ("Table 1", 17, "I")
    assert r["note"] == "total as published (world row)"
    assert r["indicator"] == "emigrant_stock"
    male = observations(
        store, "emigrant_stock", "MDA", year=2015, sex="male", edition="2015"
    ).to_pylist()
    assert [(m["value"], m["sheet"]) for m in male] == [(480.0, "Table 2")]
    years = observations(store, "emigrant_stock", "MDA", edition="2015").to_pylist()
    assert [(x["year"], x["value"]) for x in years] == [(1990, 1500.0), (2015, 1200.0)]
    # without an edition, the 2020 stacked table's (WORLD, Republic of Moldova) row wins
    latest = observations(store, "emigrant_stock", "MDA", year=2015).to_pylist()
    assert [(x["value"], x["edition"], x["row"], x["col"]) for x in latest] == [
        (600.0, "2020", 13, "M")
    ]


def test_store_totals_and_provenance(store):
    got = observations(store, "immigrant_stock", "MDA", year=2020).to_pylist()
    assert len(got) == 1
    r = got[0]
    assert (r["value"], r["source"], r["edition"], r["unit"]) == (
        400.0,
        "undesa_ims_destination",
        "2020",
        "persons",
    )
    assert (r["file_name"], r["sheet"], r["row"], r["col"]) == (
        "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
        "Table 1",
        15,
        "L",
    )
    assert len(r["sha256"]) == 64
    assert observations(store, "immigrant_stock", "498", year=2020).to_pylist()[0]["value"] == 400.0
    region = observations(store, "immigrant_stock", "eastern-europe", year=2020).to_pylist()
    assert [x["value"] for x in region] == [2060.0]


def test_store_missing_marker_is_null(store):
    got = observations(store, "immigrant_stock", "MNE", year=1990).to_pylist()
    assert len(got) == 1 and got[0]["value"] is None
    nulls = store.con.execute(
        "SELECT count(*) FROM observations WHERE geo = 'MNE' AND value IS NULL"
    ).fetchall()[0][0]
    zeros = store.con.execute(
        "SELECT count(*) FROM observations WHERE geo = 'MNE' AND value = 0"
    ).fetchall()[0][0]
    assert (nulls, zeros) == (2 * 3 * 2 + 2, 0)  # Tables 1 and 3: 2 years x 3 sexes; Table 4


def test_store_dynamic_aggregates(store):
    row = store.geo_row("undesa-less-developed-regions-excluding-china")
    assert row is not None
    assert (row["kind"], row["group_type"]) == ("aggregate", "undesa_group")
    assert row["vintage_id"] is not None
    code = store.con.execute(
        "SELECT geo FROM geo_codes WHERE scheme = 'undesa' AND code = '948'"
    ).fetchall()
    assert code == [("undesa-less-developed-regions-excluding-china",)]


# --- destination x origin, 2020 stacked layout -------------------------------------------------


def test_stacked_sexes_side_by_side(parsed_stacked):
    match, _, pf = parsed_stacked
    assert match.source.id == "undesa_ims_origin"
    assert (pf.layout, pf.edition) == ("undesa-origin-stacked", "2020")
    got = {
        r["sex"]: (r["value"], r["row"], r["col"])
        for r in rows(pf.table, geo="RUS", partner="MDA", year=2020)
    }
    assert got == {
        "total": (360.0, 19, "N"),
        "male": (190.0, 19, "U"),
        "female": (170.0, 19, "AB"),
    }


def test_stacked_partner_codes(parsed_stacked):
    t = parsed_stacked[2].table
    pairs = {(r["geo"], r["partner"]) for r in t.to_pylist()}
    assert pairs == {
        ("world", "world"),
        ("world", "MDA"),
        ("world", "UKR"),
        ("eastern-europe", "MDA"),
        ("MDA", "world"),
        ("MDA", "UKR"),
        ("RUS", "world"),
        ("RUS", "MDA"),
        ("ITA", "MDA"),
    }
    assert one(t, geo="MDA", partner="UKR", year=1995, sex="female")["value"] == 23.0


def test_stacked_missing_cells_skipped(parsed_stacked):
    t = parsed_stacked[2].table
    ita = rows(t, geo="ITA", partner="MDA", sex="total")
    assert [(r["year"], r["value"]) for r in ita] == [
        (2000, 50.0),
        (2005, 80.0),
        (2010, 110.0),
        (2015, 140.0),
        (2020, 170.0),
    ]


def test_store_stacked_and_two_destination_editions(store):
    emig = observations(store, "emigrant_stock", "MDA", year=2020).to_pylist()
    assert [(r["value"], r["row"], r["col"], r["edition"]) for r in emig] == [
        (620.0, 13, "N", "2020")
    ]
    latest = observations(store, "immigrant_stock", "MDA", year=2015).to_pylist()
    assert [(r["value"], r["edition"]) for r in latest] == [(450.0, "2020")]
    old = observations(store, "immigrant_stock", "MDA", year=2015, edition="2019").to_pylist()
    assert [(r["value"], r["edition"], r["row"]) for r in old] == [(360.0, "2019", 27)]
    assert store.editions("undesa_ims_destination") == [
        ("undesa_ims_destination", "2019"),
        ("undesa_ims_destination", "2020"),
    ]


# --- duplicates --------------------------------------------------------------------------------


def test_conflicting_duplicate_rows_name_both_rows(tmp_path):
    dup = ("   Republic of Moldova", "", 498, "B", [701] * 7, [300] * 7, [401] * 7)
    path = fx.undesa_destination_2020(tmp_path, countries=(*fx.DEST_2020_ROWS, dup))
    match = recognise(path, REGISTRY)
    with pytest.raises(ParseError) as exc:
        match.source.parse(match, harmoniser_for(None))
    msg = str(exc.value)
    assert exc.value.sheet == "Table 1"
    assert exc.value.row == 19
    assert "row 15" in msg and "row 19" in msg
    assert "MDA" in msg and "700.0" in msg and "701.0" in msg
    assert str(path) in msg


def test_identical_duplicate_rows_dropped(tmp_path):
    dup = fx.DEST_2020_ROWS[3]  # Republic of Moldova* again, same values
    path = fx.undesa_destination_2020(tmp_path, countries=(*fx.DEST_2020_ROWS, dup))
    _, _, pf = parse(path)
    kept = one(pf.table, indicator="immigrant_stock", geo="MDA", year=2020, sex="total")
    assert (kept["value"], kept["row"]) == (400.0, 15)


# --- recognition -------------------------------------------------------------------------------


def test_renamed_files_recognised_by_content(tmp_path):
    d = fx.undesa_destination_2020(tmp_path / "my download (1).xlsx")
    m = fx.undesa_origin_2015(tmp_path / "table16.xlsx")
    s = fx.undesa_origin_stacked(tmp_path / "origin.xlsx")
    assert recognise(d, REGISTRY).source.id == "undesa_ims_destination"
    assert recognise(m, REGISTRY).source.id == "undesa_ims_origin"
    assert recognise(s, REGISTRY).source.id == "undesa_ims_origin"


def test_named_like_undesa_without_table_1_is_an_error(tmp_path):
    built = fx.undesa_destination_2020(tmp_path / "built.xlsx")
    wb = openpyxl.load_workbook(built)
    wb["Table 1"].title = "Tabelle 1"
    path = tmp_path / fx.DEST_2020_FILE
    wb.save(path)
    with pytest.raises(ParseError) as exc:
        recognise(path, REGISTRY)
    assert exc.value.path == str(path)
    assert str(path) in str(exc.value)
    assert "named like a UN DESA" in str(exc.value)


def test_truncated_workbook_named_like_undesa(tmp_path):
    path = tmp_path / fx.ORIGIN_STACKED_FILE
    path.write_bytes(b"PK\x03\x04 truncated download")
    with pytest.raises(ParseError, match="not a readable Excel workbook") as exc:
        recognise(path, REGISTRY)
    assert str(path) in str(exc.value)


def test_unrelated_workbook_not_recognised(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Table 1"
    wb.active["A1"] = "Quarterly sales"
    wb.save(tmp_path / "sales.xlsx")
    assert recognise(tmp_path / "sales.xlsx", REGISTRY) is None


# --- 2024: totals by origin ('International Migrant Stock 2024: Origin') ----------------------
# Built by tests/fixtures_undesa2024.py in the official layout (blank D11 header, years F-M,
# N-U, V-AC), with invented values.


parsed_origin_totals = fx.parsed_once(f24.undesa_origin_totals_2024, "o2024")
parsed_stacked_2024 = fx.parsed_once(f24.undesa_origin_stacked_2024, "s2024")


def test_origin_totals_recognised_by_content_and_rev_line(tmp_path):
    """A renamed download, or one named for another edition: the title rows decide."""
    for name in ("emigrants.xlsx", "undesa_pd_2020_ims_stock_by_sex_and_origin.xlsx"):
        match, _, pf = parse(f24.undesa_origin_totals_2024(tmp_path / name))
        assert match.source.id == "undesa_ims_origin"
        assert (pf.edition, pf.edition_order, pf.layout) == ("2024", "2024", "undesa-origin-totals")


def test_origin_totals_are_world_rows_by_sex(parsed_origin_totals):
    """Each origin's published total over all destinations: migrant_stock world <- origin."""
    t = parsed_origin_totals[2].table
    got = {
        r["sex"]: (r["value"], r["row"], r["col"])
        for r in rows(t, geo="world", partner="MDA", year=2024)
    }
    # row 18 (12 + 6); both sexes F-M, males N-U, females V-AC: 2024 is the last of each
    assert got == {"total": (860.0, 18, "M"), "male": (380.0, 18, "U"), "female": (480.0, 18, "AC")}
    r2020 = one(t, geo="world", partner="MDA", year=2020, sex="total")
    assert (r2020["value"], r2020["sheet"], r2020["unit"]) == (810.0, "Table 1", "persons")
    assert {r["geo"] for r in t.to_pylist()} == {"world"}
    assert {r["indicator"] for r in t.to_pylist()} == {"migrant_stock"}
    assert {r["period"] for r in t.to_pylist()} == {"mid-year"}  # "at mid-year" in the title


def test_origin_totals_geography(parsed_origin_totals):
    _, h, pf = parsed_origin_totals
    partners = {r["partner"] for r in pf.table.to_pylist()}
    assert partners == {
        "world",
        "europe-and-northern-america",
        "australia-and-new-zealand",
        "undesa-more-developed-regions",
        "europe",
        "eastern-europe",
        "MDA",
        "RUS",
        "UKR",
        "CHI",  # 'Channel Islands*' by its M49 code 830
        "oceania",
        "other",  # 'OTHER' (2003): the residual origins, not a region
    }
    assert "undesa-other" not in h.entries
    # the SDG region (1836) and the geographic one (927) are one geo, with the same values
    kept = one(pf.table, partner="australia-and-new-zealand", year=2024, sex="total")
    assert (kept["value"], kept["row"]) == (70.0, 14)


def test_origin_totals_missing_marker_left_out(parsed_origin_totals):
    """'..' (Ukraine 1990): no world row, so the sum over destinations of another file of the
    edition is not hidden by a null."""
    t = parsed_origin_totals[2].table
    assert rows(t, partner="UKR", year=1990) == []
    assert one(t, partner="UKR", year=1995, sex="female")["value"] == 500.0


def test_origin_totals_female_share_table_not_stored(parsed_origin_totals):
    pf = parsed_origin_totals[2]
    assert {r["sheet"] for r in pf.table.to_pylist()} == {"Table 1"}
    assert "not stored: Table 2 (Female migrants as a percentage" in pf.note
    assert pf.table.num_rows == (len(f24.ORIGIN_TOTALS_ROWS) - 1) * 8 * 3 - 3  # 1 dup, 3 '..'


def test_origin_totals_columns_found_by_header_cells(tmp_path, parsed_origin_totals):
    """One more column before the years: the same values, one column further right."""
    _, _, pf = parse(f24.undesa_origin_totals_2024(tmp_path, extra_column=True))
    shifted = one(pf.table, partner="MDA", year=2024, sex="female")
    assert (shifted["value"], shifted["col"]) == (480.0, "AD")
    key = ("partner", "year", "sex", "value")
    assert sorted(tuple(r[k] for k in key) for r in pf.table.to_pylist()) == sorted(
        tuple(r[k] for k in key) for r in parsed_origin_totals[2].table.to_pylist()
    )


def test_origin_totals_bad_cell_names_file_sheet_row_column(tmp_path):
    bad = ("Republic of Moldova*", 23.0, "B R", 498, [600] * 7 + ["n.a."], [300] * 8, [300] * 8)
    path = f24.undesa_origin_totals_2024(tmp_path, rows=(f24.ORIGIN_TOTALS_ROWS[0], bad))
    with pytest.raises(ParseError) as exc:
        parse(path)
    assert (exc.value.sheet, exc.value.row) == ("Table 1", 13)
    assert "column M" in str(exc.value) and "n.a." in str(exc.value) and str(path) in str(exc.value)


# --- 2024: destination x origin (stacked Table 1, Tables 2-9 regional cross-tabs) ---------------


def test_stacked_2024_layout(parsed_stacked_2024):
    match, _, pf = parsed_stacked_2024
    assert match.source.id == "undesa_ims_origin"
    assert (pf.edition, pf.layout) == ("2024", "undesa-origin-stacked")
    got = {
        r["sex"]: (r["value"], r["row"], r["col"])
        for r in rows(pf.table, geo="RUS", partner="MDA", year=2024)
    }
    # row 20 (12 + 8); years H-O, P-W, X-AE
    assert got == {"total": (166.0, 20, "O"), "male": (88.0, 20, "W"), "female": (78.0, 20, "AE")}
    assert one(pf.table, geo="RUS", partner="other", year=1990, sex="total")["value"] == 20.0
    assert one(pf.table, geo="world", partner="other", year=2024, sex="total")["value"] == 120.0
    assert one(pf.table, geo="MDA", partner="UKR", year=2024, sex="male")["value"] == 18.0
    assert {r["period"] for r in pf.table.to_pylist()} == {"mid-year"}


def test_stacked_2024_cross_tabs_left_out(tmp_path, parsed_stacked_2024):
    """Tables 2-9 repeat Table 1's region rows (here with other numbers, so reading them
    would fail as a conflicting duplicate): nothing of them is stored, the note names them."""
    pf = parsed_stacked_2024[2]
    assert {r["sheet"] for r in pf.table.to_pylist()} == {"Table 1"}
    assert "not stored: Table 2, Table 3, Table 4, Table 5, Table 6, Table 7, Table 8, " in pf.note
    assert "Table 9 (regional cross-tabs of Table 1's region rows)" in pf.note
    _, _, alone = parse(f24.undesa_origin_stacked_2024(tmp_path, cross_tabs=False))
    assert alone.table.to_pylist() == pf.table.to_pylist() and alone.note == ""
    assert pf.table.num_rows == 8 * 3 * len(f24.STACKED_2024_ROWS) - 2 * 3  # Italy's 2 '..'


# --- 2024: one edition of one dataset across the three files ------------------------------------


@pytest.fixture(scope="module")
def store_2024(module_home, tmp_path_factory):
    """The 2024 totals by origin, the 2024 stacked table, the 2024 gdidata extract and the 2020
    stacked table, ingested together."""
    raw = tmp_path_factory.mktemp("raw2024")
    f24.undesa_origin_totals_2024(raw)
    f24.undesa_origin_stacked_2024(raw)
    f24.gdidata_undesa_stocks_csv(raw)
    fx.undesa_origin_stacked(raw)
    db = tmp_path_factory.mktemp("db2024") / "s.duckdb"
    assert fx.ingested(raw, db=db) == [
        ("gdidata_undesa_stocks_2024.csv", "gdidata_undesa_stocks", "2024"),
        (fx.ORIGIN_STACKED_FILE, "undesa_ims_origin", "2020"),
        (f24.ORIGIN_TOTALS_FILE, "undesa_ims_origin", "2024"),
        (f24.STACKED_2024_FILE, "undesa_ims_origin", "2024"),
    ]
    store = migprofile.open_store(db)
    yield store
    store.close()


def test_emigrants_are_the_published_origin_totals(store_2024):
    got = observations(store_2024, "emigrant_stock", "MDA", year=2024).to_pylist()
    assert [(r["value"], r["source"], r["edition"], r["note"]) for r in got] == [
        (860.0, "undesa_ims_origin", "2024", "total as published (world row)")
    ]
    assert got[0]["file_name"] in (f24.ORIGIN_TOTALS_FILE, f24.STACKED_2024_FILE)
    # not the extract's sum over destinations (9,500 + 7,400 + ... in the gdidata fixture)
    female = observations(store_2024, "emigrant_stock", "MDA", year=2024, sex="female")
    assert [r["value"] for r in female.to_pylist()] == [480.0]


def test_one_edition_for_the_whole_series(store_2024):
    """The 2024 files are one edition of undesa_ims_origin: the series takes its 2020 value
    from the 2024 edition (810), not from the 2020 edition (620), which stays reachable."""
    series = observations(store_2024, "emigrant_stock", "MDA").to_pylist()
    assert {r["edition"] for r in series} == {"2024"}
    assert [(r["year"], r["value"]) for r in series][-2:] == [(2020, 810.0), (2024, 860.0)]
    old = observations(store_2024, "emigrant_stock", "MDA", year=2020, edition="2020")
    assert [r["value"] for r in old.to_pylist()] == [620.0]


def test_extract_fills_pairs_the_official_table_lacks(store_2024):
    """Where both give a value the official workbook wins; elsewhere the extract's total
    (female + male, computed and labelled) is the 2024 edition's value."""
    official = observations(store_2024, "migrant_stock", "RUS", partner="MDA", year=2024)
    assert [(r["value"], r["source"]) for r in official.to_pylist()] == [
        (166.0, "undesa_ims_origin")
    ]
    extract = observations(store_2024, "migrant_stock", "DEU", partner="MDA", year=2024)
    (row,) = extract.to_pylist()
    assert (row["value"], row["source"], row["edition"]) == (
        16900.0,
        "gdidata_undesa_stocks",
        "2024",
    )
    assert row["note"].startswith("total = female + male, computed by migprofile (lines ")


# --- 2024: the real files (../shared/data-next/undesa_ims) --------------------------------------

SHARED_NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next" / "undesa_ims"
REAL_ORIGIN = SHARED_NEXT / f24.ORIGIN_TOTALS_FILE
REAL_DESTINATION = SHARED_NEXT / "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"


def _real_row(path: Path, code: int) -> dict:
    """{(block, year): value} of the Table 1 row with this location code, read with calamine."""
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Table 1")
    table = sheet.to_python(skip_empty_area=False)
    header = next(i for i, r in enumerate(table) if "Location code" in r)
    code_col = table[header].index("Location code")
    row = next(r for r in table[header + 1 :] if r[code_col] == code)
    years = [(j, int(y)) for j, y in enumerate(table[header]) if isinstance(y, float)]
    return {(k // 8, y): row[j] for k, (j, y) in enumerate(years)}


@pytest.fixture(scope="module")
def real_2024(module_home, tmp_path_factory):
    if not (REAL_ORIGIN.is_file() and REAL_DESTINATION.is_file()):
        pytest.skip(f"{SHARED_NEXT} not present: needs the UN DESA 2024 totals workbooks")
    raw, db = tmp_path_factory.mktemp("real2024"), tmp_path_factory.mktemp("dbreal") / "s.duckdb"
    assert fx.ingested(raw, db=db, link=(REAL_ORIGIN, REAL_DESTINATION)) == [
        (REAL_DESTINATION.name, "undesa_ims_destination", "2024"),
        (REAL_ORIGIN.name, "undesa_ims_origin", "2024"),
    ]
    store = migprofile.open_store(db)
    yield store
    store.close()


@pytest.mark.integration
def test_real_2024_emigrants_of_moldova(real_2024):
    cells = _real_row(REAL_ORIGIN, 498)
    assert (cells[(0, 2024)], cells[(0, 2020)]) == (864_257, 812_653)
    got = {r["year"]: r for r in observations(real_2024, "emigrant_stock", "MDA").to_pylist()}
    assert (got[2024]["value"], got[2020]["value"]) == (cells[(0, 2024)], cells[(0, 2020)])
    assert (got[2024]["source"], got[2024]["edition"], got[2024]["period"]) == (
        "undesa_ims_origin",
        "2024",
        "mid-year",
    )
    assert (got[2024]["sheet"], got[2024]["note"]) == ("Table 1", "total as published (world row)")
    female = observations(real_2024, "emigrant_stock", "MDA", year=2024, sex="female")
    assert [r["value"] for r in female.to_pylist()] == [cells[(2, 2024)]]


@pytest.mark.integration
def test_real_2024_immigrants_and_world(real_2024):
    cells = _real_row(REAL_DESTINATION, 498)
    got = observations(real_2024, "immigrant_stock", "MDA", year=2024).to_pylist()
    assert [r["value"] for r in got] == [cells[(0, 2024)]] == [188_207]
    world = _real_row(REAL_ORIGIN, 900)[(0, 2024)]
    assert world == 304_021_813
    total = observations(real_2024, "migrant_stock", "world", partner="world", year=2024)
    assert [r["value"] for r in total.to_pylist()] == [world]
    other = observations(real_2024, "migrant_stock", "world", partner="other", year=2024)
    assert [r["value"] for r in other.to_pylist()] == [_real_row(REAL_ORIGIN, 2003)[(0, 2024)]]


def test_download_list_has_the_2024_files():
    """The 2024 names on UN DESA's files folder, each claimed by the source that parses it."""
    base = "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
    by_source = {
        "undesa_ims_destination": ["undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"],
        "undesa_ims_origin": [
            "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
            "undesa_pd_2024_ims_stock_by_sex_and_origin.xlsx",
        ],
    }
    for source_id, names in by_source.items():
        source = next(s for s in REGISTRY if s.id == source_id)
        downloads = {d.filename: d for d in source.downloads}
        for name in names:
            assert downloads[name].url == base + name and downloads[name].edition == "2024"
            assert source.claims_name(Path(name))
    destination = next(s for s in REGISTRY if s.id == "undesa_ims_destination")
    assert not destination.claims_name(Path("undesa_pd_2024_ims_stock_by_sex_and_origin.xlsx"))
