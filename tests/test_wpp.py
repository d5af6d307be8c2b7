"""UN World Population Prospects 2024: the wpp2024 package's tab tables, UNlocations, misc1dt
(as CSV) and the bulk demographic-indicators CSV.

Fixtures are built here in WPP's layouts with invented values; the real package files in
../shared/data-next/wpp2024 are checked at the end (integration, skipped when absent).
"""

from __future__ import annotations

import csv
import gzip
import io
import math
from decimal import Decimal
from pathlib import Path

import pytest

from fixtures import one, parse_with, recognise_and_parse, rows, truncate
from migprofile.errors import MigprofileError, ParseError
from migprofile.geo import build_harmoniser, name_key
from migprofile.ingest import ingest, recognise
from migprofile.periods import MID_YEAR
from migprofile.sources import REGISTRY
from migprofile.sources import wpp as wpp_module
from migprofile.sources.wpp import PROJECTION_NOTE, THOUSANDS_NOTE, WPP_REGIONS, Wpp

WPP = Wpp()
REAL = Path(__file__).resolve().parents[2] / "shared" / "data-next" / "wpp2024"
YEARS = (2021, 2022, 2023)
# (code, name, values 2021-2023): locations in WPP's order, Wallis and Futuna last.
BIRTHS = [
    ("900", "World", ("134000.5", "132500.25", "132000.125")),
    ("1834", "Sub-Saharan Africa", ("40000.1", "40100.2", "40200.3")),
    ("1830", "Latin America and the Caribbean", ("9500.5", "9400.25", "9300")),
    ("904", "Latin America and the Caribbean", ("9500.5", "9400.25", "9300")),
    ("901", "More developed regions", ("13000", "12900", "12800")),
    ("498", "Republic of Moldova", ("33.5", "32.056", "32.986")),
    ("412", "Kosovo (under UNSC res. 1244)", ("21.1", "20.9", "NA")),
    ("876", "Wallis and Futuna Islands", ("0.102", "0.1", "0.098")),
]


def tab_table(path: Path, records: list[tuple[str, str, tuple[str, ...]]], *,
              years=YEARS, last_observed: dict[str, str] | None = None) -> Path:  # fmt: skip
    """A table as the package's data-raw files are: tab-separated, LF, a header of years."""
    header = ["country_code", "country", *map(str, years)]
    if last_observed is not None:
        header.append("last.observed")
    lines = ["\t".join(header)]
    for code, name, values in records:
        cells = [code, name, *values]
        if last_observed is not None:
            cells.append(last_observed.get(code, "2023"))
        lines.append("\t".join(cells))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\n".join(lines) + "\n").encode())
    return path


UNLOC_HEADER = [
    "name", "country_code", "reg_code", "reg_name", "area_code", "area_name",
    "location_type", "tree_level", "SortOrder", "agcode_1503000", "agcode_901000",
]  # fmt: skip
UNLOC_ROWS = [
    ["World", "900", "-1", "", "-1", "", "0", "1", "1", "-1", "-1"],
    ["More developed regions", "901", "-1", "", "-1", "", "901000", "3", "2", "-1", "-1"],
    ["High-income countries", "1503", "-1", "", "-1", "", "1503000", "3", "3", "-1", "-1"],
    ["Eastern Europe", "923", "-1", "", "-1", "", "3", "4", "4", "-1", "-1"],
    ["Republic of Moldova", "498", "923", "Eastern Europe", "908", "Europe", "4", "5", "5",
     "-1", "901"],
    ["Germany", "276", "926", "Western Europe", "908", "Europe", "4", "5", "6", "1503", "901"],
    ["Wallis and Futuna Islands", "876", "957", "Polynesia", "909", "Oceania", "4", "5", "7",
     "-1", "-1"],
]  # fmt: skip


def unlocations(path: Path, records=UNLOC_ROWS) -> Path:
    text = "\n".join("\t".join(r) for r in [UNLOC_HEADER, *records]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return path


MISC_HEADER = ["country_code", "year", "births", "cbr", "cdr", "deaths", "PopChange",
               "growthrate", "cnmr", "NatChangeRT"]  # fmt: skip
MISC_ROWS = [
    ["900", "2023", "132000.125", "16.3", "7.6", "61000.5", "70000.25", "0.9", "0.0", "8.7"],
    ["498", "2022", "32.056", "10.545", "13.07", "39.732", "81.4790000000003", "2.68", "29.327",
     "-2.525"],
    ["498", "2023", "32.986", "10.755", "13.606", "41.73", "-27.308", "-0.89", "-6.055",
     "-2.851"],
    ["876", "2023", "0.098", "8.579", "7.779", "0.088", "-0.101", "-0.888", "-9.41", "0.8"],
]  # fmt: skip


def misc1dt(path: Path, records=MISC_ROWS) -> Path:
    """The package's misc1dt converted to CSV (comma, LF, no quotes), as write.csv gives it."""
    text = "\n".join(",".join(r) for r in [MISC_HEADER, *records]) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode())
    return path


BULK_HEADER = [
    "SortOrder", "LocID", "Notes", "ISO3_code", "ISO2_code", "SDMX_code", "LocTypeID",
    "LocTypeName", "ParentID", "Location", "VarID", "Variant", "Time", "TPopulation1Jan",
    "TPopulation1July", "TPopulationMale1July", "TPopulationFemale1July", "PopDensity",
    "PopSexRatio", "MedianAgePop", "NatChange", "NatChangeRT", "PopChange", "PopGrowthRate",
    "DoublingTime", "Births", "Births1519", "CBR", "TFR", "NRR", "MAC", "SRB", "Deaths",
    "DeathsMale", "DeathsFemale", "CDR", "LEx", "LExMale", "LExFemale", "LE15", "LE15Male",
    "LE15Female", "LE65", "LE65Male", "LE65Female", "LE80", "LE80Male", "LE80Female",
    "InfantDeaths", "IMR", "LBsurvivingAge1", "Under5Deaths", "Q5", "Q0040", "Q0040Male",
    "Q0040Female", "Q0060", "Q0060Male", "Q0060Female", "Q1550", "Q1550Male", "Q1550Female",
    "Q1560", "Q1560Male", "Q1560Female", "NetMigrations", "CNMR",
]  # fmt: skip
_LOC = {
    "900": dict(SortOrder="1", LocID="900", LocTypeID="1", LocTypeName="World", ParentID="0",
                Location="World"),
    "498": dict(SortOrder="166", LocID="498", ISO3_code="MDA", ISO2_code="MD", SDMX_code="498",
                LocTypeID="4", LocTypeName="Country/Area", ParentID="923",
                Location="Republic of Moldova"),
    "2080": dict(SortOrder="300", LocID="2080", LocTypeID="12", LocTypeName="Special other",
                 ParentID="0", Location="African Union"),
}  # fmt: skip
_BULK_VALUES = {  # (location, year): TPopulation1July, Births, Deaths, NetMigrations, CBR
    ("900", 2022): ("8021407.192", "132500.25", "62000.5", "0", "16.5"),
    ("900", 2023): ("8091734.93", "132000.125", "61000.5", "0", "16.3"),
    ("900", 2024): ("8161972.572", "131700.0", "61500.0", "0", "16.1"),
    ("498", 2022): ("3085.246", "32.056", "39.732", "89.154", "10.545"),
    ("498", 2023): ("3067.07", "32.986", "41.73", "-18.57", "10.755"),
    ("498", 2024): ("3034.961", "31.4", "40.9", "-21.3", "10.4"),
    ("2080", 2022): ("1400000.5", "45000.0", "11000.0", "-600.25", "32.1"),
    ("2080", 2023): ("1430000.5", "45500.0", "11100.0", "-610.5", "31.8"),
    ("2080", 2024): ("1460000.5", "46000.0", "11200.0", "-620.75", "31.5"),
}


def bulk_records(values=_BULK_VALUES) -> list[list[str]]:
    out = [BULK_HEADER]
    for (loc, year), (pop, births, deaths, netm, cbr) in values.items():
        rec = dict.fromkeys(BULK_HEADER, "")
        rec.update(_LOC[loc], VarID="2", Variant="Medium", Time=str(year), TFR="2.25")
        rec.update(TPopulation1July=pop, Births=births, Deaths=deaths, NetMigrations=netm,
                   CBR=cbr)  # fmt: skip
        out.append([rec[c] for c in BULK_HEADER])
    return out


def bulk_csv(folder: Path, records=None, *, gz: bool = True) -> Path:
    """The bulk CSV as the UN serves it: UTF-8 with a BOM, CRLF, gzip-compressed."""
    buf = io.StringIO()
    csv.writer(buf).writerows(records or bulk_records())
    data = ("\ufeff" + buf.getvalue()).encode()
    folder.mkdir(parents=True, exist_ok=True)
    name = "WPP2024_Demographic_Indicators_Medium.csv"
    if not gz:
        (folder / name).write_bytes(data)
        return folder / name
    path = folder / (name + ".gz")
    path.write_bytes(gzip.compress(data))
    return path


def parse(path: Path, h=None):
    parsed, harmoniser = parse_with(WPP, path, h)
    return parsed, harmoniser


# -- the package's tab tables ------------------------------------------------------------------


def test_births_table_in_persons_from_thousands(tmp_path):
    parsed, h = parse(tab_table(tmp_path / "births.txt", BIRTHS))
    assert (parsed.source, parsed.layout, parsed.edition, parsed.edition_order) == (
        "wpp",
        "wpp-package-table",
        "2024",
        "2024-07",
    )
    mda = one(parsed.table, geo="MDA", year=2023)
    assert mda["indicator"] == "births" and mda["value"] == 32_986.0  # 32.986 thousand
    assert (mda["unit"], mda["row"], mda["col"], mda["period"]) == ("persons", 7, "2023", "")
    assert mda["note"] == THOUSANDS_NOTE
    assert one(parsed.table, geo="MDA", year=2022)["value"] == 32_056.0
    assert one(parsed.table, geo="WLF", year=2021)["value"] == 102.0  # 0.102, exactly
    assert one(parsed.table, geo="world", year=2023)["value"] == 132_000_125.0
    assert one(parsed.table, geo="sub-saharan-africa", year=2021)["value"] == 40_000_100.0
    # WPP's 412 is Kosovo; 'NA' is no value, never 0
    assert [r["year"] for r in rows(parsed.table, geo="XKX")] == [2021, 2022]
    # the SDG region (1830) and the geographic region (904) are one geo, one value a year
    assert len(rows(parsed.table, geo="latin-america-and-the-caribbean")) == 3
    assert parsed.skipped_rows == 3
    # a WPP group of its own, registered with its code
    assert len(rows(parsed.table, geo="wpp-more-developed-regions")) == 3
    assert h.by_code("wpp", "901") == "wpp-more-developed-regions"
    assert h.entries["wpp-more-developed-regions"].group_type == "wpp_group"
    assert "births.txt" in parsed.note and THOUSANDS_NOTE in parsed.note
    assert [i.indicator for i in parsed.indicators] == ["births"]


def test_deaths_and_a_rate_table(tmp_path):
    deaths = [(c, n, ("61000.5", "62000.5", "41.73")) for c, n, _ in BIRTHS]
    deaths[0] = ("900", "World", ("61000.5", "62000.5", "61000.75"))
    parsed, _ = parse(tab_table(tmp_path / "deaths.txt", deaths))
    assert one(parsed.table, geo="MDA", year=2023)["value"] == 41_730.0
    cbr = [(c, n, ("16.5", "10.545", "10.755")) for c, n, _ in BIRTHS]
    parsed, _ = parse(tab_table(tmp_path / "cbr.txt", cbr))
    r = one(parsed.table, geo="MDA", year=2023)
    assert (r["indicator"], r["value"], r["unit"], r["note"]) == (
        "wpp:cbr",
        10.755,
        "per 1,000 population",
        "",
    )


def test_migration_table_keeps_last_observed_as_a_note(tmp_path):
    migration = [(c, n, ("0", "0", "0")) for c, n, _ in BIRTHS]
    migration[5] = ("498", "Republic of Moldova", ("-33.405", "89.154", "-18.57"))
    path = tab_table(tmp_path / "migration.txt", migration, last_observed={"498": "2022"})
    parsed, _ = parse(path)
    by_year = {r["year"]: r for r in rows(parsed.table, geo="MDA")}
    assert {y: r["value"] for y, r in by_year.items()} == {
        2021: -33_405.0,
        2022: 89_154.0,
        2023: -18_570.0,
    }
    assert by_year[2022]["indicator"] == "net_migration"
    assert by_year[2022]["note"] == THOUSANDS_NOTE
    assert by_year[2023]["note"] == (
        f"{THOUSANDS_NOTE}; after the last observed year (2022, column last.observed)"
    )
    assert "last.observed kept as a note on 1 values" in parsed.note


def test_population_peak_groups_are_left_out(tmp_path):
    records = [(c, n, ("17.4", "8.8", "-2.851")) for c, n, _ in BIRTHS]
    records.insert(1, ("5536", "Group A – already peaked (before 2024)", ("1.5", "1.1", "0.8")))
    parsed, _ = parse(tab_table(tmp_path / "NatChangeRT.txt", records))
    assert {r["indicator"] for r in parsed.table.to_pylist()} == {"wpp:NatChangeRT"}
    assert one(parsed.table, geo="MDA", year=2023)["value"] == -2.851
    assert not any(r["geo"].startswith("wpp-group") for r in parsed.table.to_pylist())
    assert "1 population-peak group rows" in parsed.note


def test_an_unknown_code_is_refused_with_its_row(tmp_path):
    records = list(BIRTHS)
    records.insert(5, ("999", "Atlantis", ("1", "2", "3")))
    with pytest.raises(ParseError) as err:
        parse(tab_table(tmp_path / "births.txt", records))
    message = str(err.value)
    assert "births.txt, row 7:" in message and "location code 999 (Atlantis)" in message
    assert "column country_code" in message


def test_a_region_code_with_another_name_is_refused(tmp_path):
    records = list(BIRTHS)
    records[1] = ("1834", "Northern Africa", ("40000.1", "40100.2", "40200.3"))
    with pytest.raises(ParseError, match=r"row 3: location code 1834 is 'Sub-Saharan Africa'"):
        parse(tab_table(tmp_path / "births.txt", records))


def test_a_bad_cell_names_row_and_column(tmp_path):
    records = list(BIRTHS)
    records[5] = ("498", "Republic of Moldova", ("33.5", "3x.0", "32.986"))
    with pytest.raises(ParseError, match=r"births\.txt, row 7: .*'3x\.0'.*\(column 2022\)"):
        parse(tab_table(tmp_path / "births.txt", records))


def test_values_implausible_for_the_measure_are_refused(tmp_path):
    # a crude-birth-rate table saved as births.txt: the World's "births" would be 16.5 thousand
    rates = [(c, n, ("16.5", "10.545", "10.755")) for c, n, _ in BIRTHS]
    with pytest.raises(ParseError, match=r"row 2: the World's births is 16\.5 in 2021"):
        parse(tab_table(tmp_path / "births.txt", rates))
    negative = list(BIRTHS)
    negative[5] = ("498", "Republic of Moldova", ("33.5", "-32.056", "32.986"))
    with pytest.raises(ParseError, match=r"row 7: value -32\.056 is not a births value"):
        parse(tab_table(tmp_path / "births.txt", negative))
    cdr = [(c, n, ("7.6", "13.07", "1300")) for c, n, _ in BIRTHS]
    with pytest.raises(ParseError, match=r"value 1300 is not a crude death rate value"):
        parse(tab_table(tmp_path / "cdr.txt", cdr))


def test_a_cut_table_is_refused(tmp_path):
    path = tab_table(tmp_path / "births.txt", BIRTHS)
    data = path.read_bytes()
    path.write_bytes(data[:-4])  # mid-number in the last row
    with pytest.raises(ParseError, match=r"births\.txt, row 9: the file ends mid-line"):
        parse(path)
    path.write_bytes(data[: data.rstrip(b"\n").rfind(b"\n") + 1])  # Wallis and Futuna gone
    with pytest.raises(ParseError, match=r"ends with '412'.*'876'.*cut short"):
        parse(path)


def test_a_table_of_another_revision_is_refused(tmp_path):
    path = tab_table(tmp_path / "births.txt", BIRTHS, years=(2019, 2020, 2021))
    with pytest.raises(ParseError, match=r"end in 2021.*estimates end in 2023"):
        parse(path)


def test_an_unexpected_column_is_refused(tmp_path):
    path = tab_table(tmp_path / "births.txt", BIRTHS)
    path.write_bytes(path.read_bytes().replace(b"\t2022\t", b"\t2022e\t", 1))
    with pytest.raises(ParseError, match=r"row 1: column '2022e' is neither a year"):
        parse(path)


# -- UNlocations -------------------------------------------------------------------------------


def test_unlocations_registers_wpp_groups_and_their_members(tmp_path):
    parsed, h = parse(unlocations(tmp_path / "UNlocations.txt"))
    assert parsed.layout == "wpp-unlocations" and parsed.table.num_rows == 0
    assert parsed.edition == "2024"
    assert h.members["wpp-more-developed-regions"] >= {"MDA", "DEU"}
    added = set(h.new_members)
    assert ("wpp-high-income-countries", "DEU") in added
    assert ("wpp-high-income-countries", "MDA") not in added
    # built-in regions keep the memberships defined in code
    assert not any(group in ("world", "eastern-europe") for group, _ in added)
    assert h.by_code("wpp", "923") == "eastern-europe"
    assert "2 WPP groups, 2 with their members" in parsed.note


def test_unlocations_refuses_an_unknown_country_and_a_cut_file(tmp_path):
    bad = [*UNLOC_ROWS]
    bad[4] = ["Atlantis", "999", "923", "Eastern Europe", "908", "Europe", "4", "5", "5", "-1",
              "901"]  # fmt: skip
    with pytest.raises(ParseError, match=r"row 6: location code 999 \(Atlantis\) is not an M49"):
        parse(unlocations(tmp_path / "a" / "UNlocations.txt", bad))
    with pytest.raises(ParseError, match=r"ends with '276'.*'876'"):
        parse(unlocations(tmp_path / "b" / "UNlocations.txt", UNLOC_ROWS[:-1]))


# -- misc1dt -----------------------------------------------------------------------------------


def test_misc1dt_long_layout(tmp_path):
    parsed, _ = parse(misc1dt(tmp_path / "wpp2024_misc1dt.csv"))
    assert (parsed.layout, parsed.edition) == ("wpp-misc1dt-csv", "2024")
    assert parsed.table.num_rows == 4 * 8
    births = one(parsed.table, indicator="births", geo="MDA", year=2023)
    assert (births["value"], births["row"], births["col"]) == (32_986.0, 4, "births")
    assert one(parsed.table, indicator="deaths", geo="MDA", year=2023)["value"] == 41_730.0
    change = one(parsed.table, indicator="wpp:PopChange", geo="MDA", year=2022)
    assert change["value"] == float(Decimal("81.4790000000003") * 1000)  # as published
    rate = one(parsed.table, indicator="wpp:growthrate", geo="MDA", year=2023)
    assert (rate["value"], rate["unit"], rate["note"]) == (-0.89, "%", "")


def test_misc1dt_cut_or_unknown_code_is_refused(tmp_path):
    path = misc1dt(tmp_path / "wpp2024_misc1dt.csv")
    truncate(path, "876,2023")
    with pytest.raises(ParseError, match=r"ends mid-line"):
        parse(path)
    path = misc1dt(tmp_path / "wpp2024_misc1dt.csv", MISC_ROWS[:-1])
    with pytest.raises(ParseError, match=r"ends with '498,2023'.*'876,2023'"):
        parse(path)
    bad = [list(r) for r in MISC_ROWS]
    bad[1][0] = "4980"
    with pytest.raises(ParseError, match=r"row 3: location code 4980 is neither"):
        parse(misc1dt(tmp_path / "wpp2024_misc1dt.csv", bad))


def test_misc1dt_of_another_revision_is_refused(tmp_path):
    with pytest.raises(ParseError, match=r"WPP 2022: only WPP 2024 files"):
        parse(misc1dt(tmp_path / "wpp2022_misc1dt.csv"))


# -- the bulk CSV ------------------------------------------------------------------------------


def test_bulk_csv_population_at_mid_year_and_projections_left_out(tmp_path):
    parsed, h = parse(bulk_csv(tmp_path))
    assert (parsed.layout, parsed.edition, parsed.edition_order) == (
        "wpp-bulk-csv",
        "2024",
        "2024-07",
    )
    pop = one(parsed.table, indicator="population", geo="MDA", year=2023)
    assert (pop["value"], pop["period"], pop["col"]) == (3_067_070.0, MID_YEAR, "TPopulation1July")
    assert pop["note"] == THOUSANDS_NOTE
    assert one(parsed.table, indicator="births", geo="MDA", year=2023)["value"] == 32_986.0
    netm = one(parsed.table, indicator="net_migration", geo="MDA", year=2022)
    assert (netm["value"], netm["period"]) == (89_154.0, "")
    assert one(parsed.table, indicator="wpp:cbr", geo="world", year=2023)["value"] == 16.3
    assert not rows(parsed.table, year=2024)  # projections are not stored
    assert "3 rows of projections (2024 and later) not stored" in parsed.note
    # an aggregate the file names (LocTypeName), outside WPP_REGIONS: registered
    assert one(parsed.table, indicator="births", geo="wpp-african-union", year=2022)
    assert h.by_code("wpp", "2080") == "wpp-african-union"
    # TFR and the other indicators are not read
    assert {r["indicator"] for r in parsed.table.to_pylist()} == {
        "population",
        "births",
        "deaths",
        "net_migration",
        "wpp:cbr",
    }


def test_bulk_csv_projections_stored_and_marked_when_asked(tmp_path, monkeypatch):
    monkeypatch.setattr(wpp_module, "STORE_PROJECTIONS", True)
    parsed, _ = parse(bulk_csv(tmp_path, gz=False))
    r = one(parsed.table, indicator="population", geo="MDA", year=2024)
    assert r["value"] == 3_034_961.0 and r["note"] == f"{THOUSANDS_NOTE}; {PROJECTION_NOTE}"
    assert one(parsed.table, indicator="wpp:cbr", geo="MDA", year=2024)["note"] == PROJECTION_NOTE
    assert one(parsed.table, indicator="births", geo="MDA", year=2023)["note"] == THOUSANDS_NOTE


def test_bulk_csv_cut_is_refused(tmp_path):
    path = bulk_csv(tmp_path)
    path.write_bytes(path.read_bytes()[:-20])  # the gzip trailer (CRC, length) cut
    with pytest.raises(ParseError, match=r"not a whole gzip file"):
        parse(path)
    records = bulk_records()
    plain = bulk_csv(tmp_path / "a", records[:-1], gz=False)  # the last location's 2024 gone
    with pytest.raises(ParseError, match=r"location 2080 ends in 2023 with 2 years.*cut short"):
        parse(plain)
    plain = bulk_csv(tmp_path / "b", gz=False)
    truncate(plain, "African Union,2,Medium,2024")
    with pytest.raises(ParseError, match=r"ends mid-line"):
        parse(plain)


def test_bulk_csv_country_codes_are_checked(tmp_path):
    records = bulk_records()
    records[4][records[0].index("LocID")] = "4980"
    unknown = r"row 5: location code 4980 \(Republic of Moldova\) is not an M49 .*\(column LocID\)"
    with pytest.raises(ParseError, match=unknown):
        parse(bulk_csv(tmp_path / "a", records))
    records = bulk_records()
    records[4][records[0].index("ISO3_code")] = "ROU"
    with pytest.raises(ParseError, match=r"row 5: ISO3_code ROU but LocID 498.* is MDA"):
        parse(bulk_csv(tmp_path / "b", records))


def test_other_variants_file_is_not_read(tmp_path):
    records = bulk_records()
    for rec in records[1:]:
        rec[records[0].index("Variant")] = "High"
    path = bulk_csv(tmp_path, records)
    path = path.rename(path.with_name("WPP2024_Demographic_Indicators_OtherVariants.csv.gz"))
    assert recognise(path, REGISTRY) is None


# -- whole columns: exact thousands, the first error in row order --------------------------------

# (digits past a float's 2**53: 9007199.254740993; at it: ...992)
TRICKY = ("43337.6910000001", "-0.098", "0.0000001", "-0", "1234567.12345678",
          "1234567.123456789012", "1 234", " 12.5", "9300", "0.102", "9007199.254740993",
          "-9007199.254740992")  # fmt: skip
TRICKY_YEARS = tuple(range(2012, 2024))


def _change_table(path: Path, moldova: tuple[str, ...]) -> Path:
    """PopChange.txt (signed, no World range): the World, Moldova and Wallis and Futuna."""
    plain = tuple(str(10 + y % 7) for y in TRICKY_YEARS)
    records = [("900", "World", plain), ("498", "Republic of Moldova", moldova),
               ("876", "Wallis and Futuna Islands", plain)]  # fmt: skip
    return tab_table(path, records, years=TRICKY_YEARS)


def test_counts_are_the_published_decimal_times_1000_exactly(tmp_path):
    parsed, _ = parse(_change_table(tmp_path / "PopChange.txt", TRICKY))
    got = {r["year"]: r["value"] for r in rows(parsed.table, geo="MDA")}
    for year, text in zip(TRICKY_YEARS, TRICKY, strict=True):
        if text == "1 234":  # to_number reads it; Decimal does not: the float times 1,000
            assert got[year] == 1_234_000.0
            continue
        want = float(Decimal(text.strip()) * 1000)
        assert got[year] == want and math.copysign(1, got[year]) == math.copysign(1, want), text
    assert math.copysign(1, got[2015]) == -1  # '-0' stays -0.0, as Decimal gives it
    assert got[2012] == 43_337_691.0000001  # float * 1000 gives 43337691.000000104
    assert one(parsed.table, geo="MDA", year=2012)["note"] == THOUSANDS_NOTE


def test_misc1dt_counts_are_exact_and_rates_unchanged(tmp_path):
    records = [list(r) for r in MISC_ROWS]
    records[1][6] = "43337.6910000001"  # PopChange
    records[2][5] = "1234567.123456789012"  # deaths: more digits than a float holds
    parsed, _ = parse(misc1dt(tmp_path / "wpp2024_misc1dt.csv", records))
    change = one(parsed.table, indicator="wpp:PopChange", geo="MDA", year=2022)
    assert change["value"] == float(Decimal("43337.6910000001") * 1000)
    deaths = one(parsed.table, indicator="deaths", geo="MDA", year=2023)
    assert deaths["value"] == float(Decimal("1234567.123456789012") * 1000)
    assert one(parsed.table, indicator="wpp:cdr", geo="MDA", year=2023)["value"] == 13.606


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # a bad cell late in row 3 comes before an unknown code in row 7
        ({(1, 4): "3x.0", (5, 0): "999"}, r"row 3: text '3x\.0'.*\(column 2023\)"),
        ({(1, 0): "999", (5, 3): "3x.0"}, r"row 3: location code 999 .*column country_code"),
        # in one row: the first column's problem, whatever its kind
        ({(5, 2): "-5", (5, 3): "3x.0"}, r"row 7: value -5 is not a births value"),
        ({(5, 2): "3x.0", (5, 3): "-5"}, r"row 7: text '3x\.0'.*\(column 2021\)"),
        # the World's range (the World is row 2) before a bad cell below it
        ({(0, 3): "16.5", (5, 2): "3x.0"}, r"row 2: the World's births is 16\.5 in 2022"),
        # 904 is the geo of 1830 (row 4): another value is a duplicate, named with both rows
        ({(3, 2): "9999", (5, 2): "3x.0"}, r"row 5: duplicate entry for births latin-america"),
        ({(1, 1): "Northern Africa", (5, 2): "3x.0"}, r"row 3: location code 1834 is"),
    ],
)
def test_the_first_error_in_row_order_is_raised(tmp_path, changes, expected):
    records = [[code, name, *values] for code, name, values in BIRTHS]
    for (i, j), text in changes.items():
        records[i][j] = text
    table = [(r[0], r[1], tuple(r[2:5])) for r in records]
    with pytest.raises(ParseError, match=expected):
        parse(tab_table(tmp_path / "births.txt", table))


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        # row 3's last measure comes before row 4's first
        ({(1, 9): "z", (2, 2): "y"}, r"row 3: text 'z' .*\(column NatChangeRT\)"),
        ({(1, 2): "-1", (2, 0): "4980"}, r"row 3: value -1 is not a births value"),
        ({(1, 1): "20x4", (1, 2): "y"}, r"row 3: year '20x4' is not a year"),
        ({(1, 0): "z", (1, 1): "20x4"}, r"row 3: location code 'z' is not a number"),
        ({(2, 0): "4980", (2, 1): "19x0"}, r"row 4: year '19x0' is not a year"),
        ({(0, 2): "16.3", (3, 3): "y"}, r"row 2: the World's births is 16\.3 in 2023"),
    ],
)
def test_misc1dt_raises_the_first_error_in_row_order(tmp_path, changes, expected):
    records = [list(r) for r in MISC_ROWS]
    for (i, j), text in changes.items():
        records[i][j] = text
    with pytest.raises(ParseError, match=expected):
        parse(misc1dt(tmp_path / "wpp2024_misc1dt.csv", records))


def test_misc1dt_wider_rows_quotes_and_peak_groups(tmp_path):
    wide = [list(r) for r in MISC_ROWS]
    wide[2] = [*wide[2], "1.5"]
    with pytest.raises(ParseError, match=r"row 4: row has 11 fields where the header has 10"):
        parse(misc1dt(tmp_path / "a" / "wpp2024_misc1dt.csv", wide))
    wide[2] = [*MISC_ROWS[2], ""]  # an empty extra field is as wrong
    wide[1][3] = "z"  # ... but row 3's cell comes first
    with pytest.raises(ParseError, match=r"row 3: text 'z'"):
        parse(misc1dt(tmp_path / "b" / "wpp2024_misc1dt.csv", wide))
    # R's write.csv quotes every field: the same rows as without quotes
    plain, _ = parse(misc1dt(tmp_path / "c" / "wpp2024_misc1dt.csv"))
    quoted = tmp_path / "d" / "wpp2024_misc1dt.csv"
    quoted.parent.mkdir()
    buf = io.StringIO()
    csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows([MISC_HEADER, *MISC_ROWS])
    quoted.write_text(buf.getvalue())
    parsed, _ = parse(quoted)
    assert parsed.table.equals(plain.table)
    peak = ["5536", "2023", "1", "2", "3", "4", "5", "6", "7", "8"]
    records = [peak, *MISC_ROWS[:-1], peak, MISC_ROWS[-1]]
    parsed, _ = parse(misc1dt(tmp_path / "e" / "wpp2024_misc1dt.csv", records))
    assert parsed.table.drop(["row"]).equals(plain.table.drop(["row"]))
    assert parsed.skipped_rows == 2
    assert "2 population-peak group rows" in parsed.note


def test_bulk_csv_raises_the_first_error_in_row_order(tmp_path):
    records = bulk_records()
    h = records[0]
    records[2][h.index("CBR")] = "z"  # World 2023, the last measure read ('x' is no value)
    records[4][h.index("TPopulation1July")] = "y"  # Moldova 2022, the first
    with pytest.raises(ParseError, match=r"row 3: text 'z' .*\(column CBR\)"):
        parse(bulk_csv(tmp_path / "a", records))
    records[2][h.index("CBR")] = "16.3"
    records[3][h.index("LocID")] = "z"  # a projection row's code is read too
    with pytest.raises(ParseError, match=r"row 4: location code 'z'"):
        parse(bulk_csv(tmp_path / "b", records))


# -- recognition, the registry and the store ---------------------------------------------------


@pytest.mark.parametrize(
    ("build", "layout"),
    [
        (lambda d: tab_table(d / "births.txt", BIRTHS), "wpp-package-table"),
        (lambda d: tab_table(d / "migration (1).txt", BIRTHS, last_observed={}),
         "wpp-package-table"),
        (lambda d: unlocations(d / "UNlocations.txt"), "wpp-unlocations"),
        (lambda d: misc1dt(d / "wpp2024_misc1dt.csv"), "wpp-misc1dt-csv"),
        (lambda d: bulk_csv(d), "wpp-bulk-csv"),
        (lambda d: bulk_csv(d, gz=False), "wpp-bulk-csv"),
    ],
)  # fmt: skip
def test_the_registry_recognises_each_layout(tmp_path, build, layout):
    match, _, parsed = recognise_and_parse(build(tmp_path))
    assert (match.source.id, match.layout, parsed.source) == ("wpp", layout, "wpp")


def test_other_package_tables_are_not_claimed(tmp_path):
    tfr = tab_table(tmp_path / "tfr.txt", [("498", "Republic of Moldova", ("1.8", "1.7", "1.6"))])
    assert recognise(tfr, REGISTRY) is None


def test_a_renamed_header_in_a_file_named_like_wpp_is_an_error(tmp_path, home):
    path = misc1dt(tmp_path / "raw" / "wpp2024_misc1dt.csv")
    path.write_bytes(path.read_bytes().replace(b"country_code", b"code", 1))
    with pytest.raises(MigprofileError, match=r"wpp2024_misc1dt\.csv.*named like"):
        ingest(raw_dir=path.parent, offline=True, db=tmp_path / "store.duckdb")
    assert not (tmp_path / "store.duckdb").exists()


def test_the_region_table_names_built_in_geos():
    h = build_harmoniser()
    for code, (name, geo) in WPP_REGIONS.items():
        if not geo or geo in ("ldc", "lldc", "sids"):
            continue
        assert geo in h.entries and h.entries[geo].kind == "aggregate", code
        assert h.resolve_aggregate_name(name) == geo or name_key(name) == name_key(
            h.entries[geo].name
        ), (code, name, geo)


def test_source_facts():
    from migprofile.sources.wdi import Wdi

    assert WPP.feeds == ("births", "deaths", "net_migration", "population")
    assert WPP.preference > Wdi.preference  # WDI stays the default population
    assert WPP.licence == "CC BY 3.0 IGO" and WPP.short_name == "UN WPP"
    assert WPP.downloads[0].url.endswith("WPP2024_Demographic_Indicators_Medium.csv.gz")


def test_ingest_into_a_store(tmp_path, home):
    import migprofile
    from migprofile.indicators import observations

    raw = tmp_path / "raw"
    tab_table(raw / "births.txt", BIRTHS)
    migration = [(c, n, ("0", "0", "0")) for c, n, _ in BIRTHS]
    migration[5] = ("498", "Republic of Moldova", ("-33.405", "89.154", "-18.57"))
    tab_table(raw / "migration.txt", migration, last_observed={})
    unlocations(raw / "UNlocations.txt")
    report = ingest(raw_dir=raw, offline=True)
    assert sorted((Path(p).name, s, e) for p, s, e, _ in report.ingested) == [
        ("UNlocations.txt", "wpp", "2024"),
        ("births.txt", "wpp", "2024"),
        ("migration.txt", "wpp", "2024"),
    ]
    store = migprofile.open_store()
    try:
        (r,) = observations(store, "net_migration", "MDA", year=2022, source="wpp").to_pylist()
        assert r["value"] == 89_154 and r["file_name"] == "migration.txt"
        (r,) = observations(store, "births", "wpp-more-developed-regions", year=2021).to_pylist()
        assert r["value"] == 13_000_000
        # 'births' needs its catalogue entry (migprofile.indicators.catalogue.BY_ID)
        (r,) = observations(store, "births", "MDA", year=2023).to_pylist()
        assert (r["value"], r["source"]) == (32_986, "wpp")
    finally:
        store.close()


# -- the real files ----------------------------------------------------------------------------


def _published(path: Path, code: str, year: str) -> Decimal:
    """A cell of a package table, read with csv alone (the test's own reading of the file)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t")
        header = next(reader)
        row = next(r for r in reader if r[0] == code)
    return Decimal(row[header.index(year)])


@pytest.mark.integration
def test_real_wpp2024_files(home):
    import migprofile
    from migprofile.indicators import observations

    if not REAL.is_dir():
        pytest.skip(f"{REAL} not present")
    births_2023 = _published(REAL / "births.txt", "498", "2023") * 1000
    netm_2022 = _published(REAL / "migration.txt", "498", "2022") * 1000
    assert (births_2023, netm_2022) == (32_986, 89_154)
    report = ingest(raw_dir=REAL, offline=True)
    assert report.failed == [] and report.skipped == []
    assert {s for _, s, _, _ in report.ingested} == {"wpp"}
    assert {e for _, _, e, _ in report.ingested} == {"2024"}
    store = migprofile.open_store()
    try:
        got = {
            r["year"]: r["value"]
            for r in observations(store, "net_migration", "MDA", source="wpp").to_pylist()
        }
        assert got[2022] == float(netm_2022) == 89_154.0
        assert (got[2021], got[2023]) == (-33_405.0, -18_570.0)
        (r,) = observations(store, "wpp:cbr", "wpp-more-developed-regions", year=2023).to_pylist()
        assert r["unit"] == "per 1,000 population"
        # needs 'births' and 'deaths' in the catalogue
        (r,) = observations(store, "births", "MDA", year=2023).to_pylist()
        assert r["value"] == float(births_2023) == 32_986.0
        (r,) = observations(store, "deaths", "MDA", year=2023).to_pylist()
        assert r["value"] == 41_730.0
    finally:
        store.close()
