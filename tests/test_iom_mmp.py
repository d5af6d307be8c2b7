"""IOM Missing Migrants Project: the official incident CSV and the gdidata extract.

Fixtures are built here in the publishers' layouts (the site's 23 columns with its quoting and
no final line break; the gdidata CSV) with made-up incidents; the real files in
../shared/data-next are checked at the end (integration, skipped when absent).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from fixtures import ingested, parse_with, recognise_and_parse, rows, write_csv_rows
from migprofile.errors import ParseError
from migprofile.sources.base import FilePeek
from migprofile.sources.iom_mmp.gdidata_iom_mmp import GdidataIomMmp
from migprofile.sources.iom_mmp.iom_missing_migrants import IomMissingMigrants

DATA_NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next"
MMP_HEADER = [
    "Main ID", "Incident ID", "Region", "Incident Date", "Year", "Reported Month",
    "Number Dead", "Minimum Estimated Number of Missing", "Total Number of Dead and Missing",
    "Number of Survivors", "Number of Females", "Number of Males", "Number of Children",
    "Region of Origin", "Cause of Death", "Country of Origin", "Location of death",
    "Information Source", "Coordinates", "Migration route", "URL",
    "UNSD Geographical Grouping", "Source Quality",
]  # fmt: skip
TOTAL = "Total Number of Dead and Missing"
STAMPED = "MissingMigrants-Global-2024-01-15--10_00_00.csv"


def record(main, incident, region, day, dead, missing, total, origin, route, quality="4"):
    """One record in the site's column order; `day` is ISO, written as the site writes it."""
    when = date.fromisoformat(day)
    return [
        main, incident, region, when.strftime("%a, %m/%d/%Y - 12:00"), str(when.year),
        when.strftime("%B"), dead, missing, total, "", "", "", "", "Europe and Central Asia",
        "Drowning", origin, f"Off the coast, near {region}", "IOM", "35.1, 13.2", route,
        "https://example.org/a", "Southern Europe", quality,
    ]  # fmt: skip


# Made-up incidents of 2022. 2022.MMP0002 is split into two records (one per origin), each with
# its own part; 2022.MMP0005 has a blank total; 2022.MMP0006 corrects an earlier record (one
# person counted missing was found dead: dead 1, missing -1, total 0).
RECORDS = [
    record("2022.MMP0001", "2022.MMP0001", "Mediterranean", "2022-01-15", "3", "2", "5",
           "Republic of Moldova", "Central Mediterranean"),
    record("2022.MMP0002", "2022.MMP000210", "Europe", "2022-02-03", "1", "", "1",
           "Afghanistan", "Western Balkans"),
    record("2022.MMP0002", "2022.MMP000211", "Europe", "2022-02-03", "", "2", "2",
           "Pakistan", "Western Balkans"),
    record("2022.MMP0003", "2022.MMP0003", "Southern Asia", "2022-03-10", "4", "", "4",
           "Afghanistan,Pakistan", "Afghanistan to Iran"),
    record("2022.MMP0004", "2022.MMP0004", "North America", "2022-04-01", "1", "", "1",
           "Unknown", ""),
    record("2022.MMP0005", "2022.MMP0005", "Mediterranean", "2022-05-20", "2", "1", "",
           "Republic of Moldova", "Central Mediterranean"),
    record("2022.MMP0006", "2022.MMP0006", "Mediterranean", "2022-11-30", "1", "-1", "0",
           "Unknown", "Central Mediterranean", quality="5"),
]  # fmt: skip


def _cell(text: str) -> str:
    """Quoted as the site quotes: cells with a space, comma or quote."""
    if re.search(r'[\s,"]', text):
        return '"' + text.replace('"', '""') + '"'
    return text


def mmp_csv(path: Path, records=None, *, final_newline: bool = False) -> Path:
    """A file in the site's export layout: LF line ends, and none after the last record."""
    lines = [",".join(map(_cell, r)) for r in [MMP_HEADER, *(records or RECORDS)]]
    path.write_text("\n".join(lines) + ("\n" if final_newline else ""), encoding="utf-8")
    return path


GDIDATA_HEADER = ["t", "m", "type", "route", "geo", "dead", "cause", "surv", "nat", "location",
                  "lon", "lat"]  # fmt: skip


def gdi_row(day, kind, route, geo, dead, nat):
    when = date.fromisoformat(day)
    month = (when.replace(day=1) - date(1970, 1, 1)).days  # the package's month, an R Date
    return [day, f"{month}.0", kind, route, geo, dead, "Drowning", "", nat,
            f"Somewhere in {geo}", "13.1", "32.9"]  # fmt: skip


# Made-up gdidata rows: one row per incident, split incidents as one row with all origins;
# the two USA rows are two incidents that happen to look alike.
GDIDATA_ROWS = [
    gdi_row("2022-01-15", "Incident", "Central Mediterranean Route", "LBY", "5.0", "MDA"),
    gdi_row("2022-02-03", "Split Incident", "Eastern Mediterranean Route", "GRC", "7.0",
            "AFG,PAK"),
    gdi_row("2022-02-20", "Incident", "Central American Route", "USA", "1.0", "UNK"),
    gdi_row("2022-02-20", "Incident", "Central American Route", "USA", "1.0", "UNK"),
    gdi_row("2022-03-01", "Cumulative Incident", "Undefined", "MEX", "2.0", "AFG,UNK"),
    gdi_row("2021-12-31", "Incident", "Eastern Mediterranean Route", "TUR", "3.0", "SYR"),
]  # fmt: skip


def gdidata_csv(path: Path, data=None) -> Path:
    return write_csv_rows(path, [GDIDATA_HEADER, *(data or GDIDATA_ROWS)], newline="\n")


def cells(parsed) -> dict[tuple, dict]:
    out = {}
    for r in parsed.table.to_pylist():
        key = (r["indicator"], r["geo"], r["partner"], r["year"])
        assert key not in out
        out[key] = r
    return out


def value(parsed, indicator, geo, partner, year):
    return cells(parsed)[(indicator, geo, partner, year)]["value"]


# -- the official incident CSV ------------------------------------------------------------------


def test_sums_per_place_and_origin(tmp_path):
    parsed, h = parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED))
    got = cells(parsed)
    dm = "dead_and_missing"
    world = got[(dm, "world", "world", 2022)]
    assert world["value"] == 5 + 1 + 2 + 4 + 1 + 3 + 0  # the blank total taken as 2 + 1
    assert (world["sheet"], world["row"], world["col"]) == (None, None, TOTAL)
    assert world["note"] == "sum over 6 incidents; 1 with a blank total taken as dead + missing"
    assert world["unit"] == "persons" and world["period"] == ""
    # partner: one country → ISO3; a split incident's records each to their own country
    assert value(parsed, dm, "world", "MDA", 2022) == 8
    assert got[(dm, "world", "MDA", 2022)]["note"].startswith("sum over 2 incidents")
    assert value(parsed, dm, "world", "AFG", 2022) == 1
    assert value(parsed, dm, "world", "PAK", 2022) == 2
    # several countries in one record: never split between them
    assert value(parsed, dm, "world", "mmp-several-origins", 2022) == 4
    assert h.entries["mmp-several-origins"].group_type == "mmp_pseudo"
    assert value(parsed, dm, "world", "other", 2022) == 1 + 0  # 'Unknown'
    # every incident once over the origins
    origins = [r for r in rows(parsed.table, indicator=dm, geo="world") if r["partner"] != "world"]
    assert sum(r["value"] for r in origins) == world["value"]
    # places: regions and routes as dynamic aggregates named as published
    assert value(parsed, dm, "mmp-region-mediterranean", "world", 2022) == 5 + 3 + 0
    assert value(parsed, dm, "mmp-region-mediterranean", "MDA", 2022) == 8
    assert value(parsed, dm, "mmp-route-central-mediterranean", "world", 2022) == 8
    assert value(parsed, dm, "mmp-route-western-balkans", "PAK", 2022) == 2
    assert value(parsed, dm, "mmp-region-southern-asia", "mmp-several-origins", 2022) == 4
    assert h.entries["mmp-region-mediterranean"].name == "Mediterranean"
    assert h.entries["mmp-region-mediterranean"].group_type == "mmp_region"
    assert h.entries["mmp-route-afghanistan-to-iran"].name == "Afghanistan to Iran"
    assert h.entries["mmp-route-afghanistan-to-iran"].group_type == "mmp_route"
    # no country-of-incident column: no country is a geo
    assert {r["geo"] for r in parsed.table.to_pylist()} <= {"world"} | {
        g for g in h.entries if g.startswith(("mmp-region-", "mmp-route-"))
    }
    assert "no country-of-incident column" in parsed.note


def test_dead_and_missing_parts(tmp_path):
    parsed, _ = parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED))
    got = cells(parsed)
    dead = got[("iom_mmp:dead", "world", "world", 2022)]
    assert dead["value"] == 3 + 1 + 4 + 1 + 2 + 1 and dead["col"] == "Number Dead"
    assert dead["note"] == "sum over 6 incidents"
    lost = got[("iom_mmp:missing", "world", "world", 2022)]
    assert lost["value"] == 2 + 2 + 1 - 1  # the correction as published
    assert lost["note"] == "sum over 4 incidents; incl. 1 correction (negative figure)"
    assert lost["col"] == "Minimum Estimated Number of Missing"
    assert (
        dead["value"] + lost["value"] == got[("dead_and_missing", "world", "world", 2022)]["value"]
    )
    # the correction alone in a cell (its earlier record lies elsewhere): not stored
    assert ("iom_mmp:missing", "world", "other", 2022) not in got
    assert "3 cells left out for a negative sum" in parsed.note
    assert "1 record correcting earlier ones" in parsed.note
    assert {i.indicator for i in parsed.indicators} == {
        "dead_and_missing",
        "iom_mmp:dead",
        "iom_mmp:missing",
    }


def test_edition_from_the_download_stamp(tmp_path):
    parsed, _ = parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED))
    assert parsed.edition == parsed.edition_order == "2024-01-15"
    assert parsed.layout == "mmp-incidents-csv"
    assert parsed.note.startswith("edition 2024-01-15: the download date in the file name")
    assert "7 records of 6 incidents" in parsed.note
    # 2022 is over by the download date: no partial-year note
    assert "incidents to" not in cells(parsed)[("dead_and_missing", "world", "world", 2022)]["note"]


def test_a_download_in_the_year_it_covers_says_so(tmp_path):
    path = mmp_csv(tmp_path / "MissingMigrants-Global-2022-12-07--16_48_56.csv")
    parsed, _ = parse_with(IomMissingMigrants(), path)
    assert parsed.edition == "2022-12-07"
    note = cells(parsed)[("dead_and_missing", "world", "world", 2022)]["note"]
    assert note.endswith("; incidents to 2022-12-07 (download date)")


def test_edition_without_a_stamp_is_the_latest_incident(tmp_path):
    extra = record("2021.MMP0900", "2021.MMP0900", "North America", "2021-06-01", "2", "", "2",
                   "Mexico", "US-Mexico border crossing")  # fmt: skip
    path = mmp_csv(tmp_path / "Missing_Migrants_Global_Figures_allData.csv", [*RECORDS, extra])
    parsed, _ = parse_with(IomMissingMigrants(), path)
    assert parsed.edition == parsed.edition_order == "2022-11-30"
    assert "latest incident date in the file (no download date in the file name)" in parsed.note
    # several years in one file: each summed on its own
    assert value(parsed, "dead_and_missing", "world", "world", 2021) == 2
    assert value(parsed, "dead_and_missing", "world", "world", 2022) == 16
    assert value(parsed, "dead_and_missing", "mmp-route-us-mexico-border-crossing", "MEX", 2021)
    got = cells(parsed)
    assert got[("dead_and_missing", "world", "world", 2022)]["note"].endswith(
        "; incidents to 2022-11-30 (latest incident in the file)"
    )
    assert "incidents to" not in got[("dead_and_missing", "world", "world", 2021)]["note"]


def test_unknown_region_and_blank_route_count_in_the_other_places(tmp_path):
    data = [list(r) for r in RECORDS]
    data[4][2] = "Unknown"  # 2022.MMP0004: region unknown, route blank
    parsed, h = parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED, data))
    assert not any("unknown" in g for g in h.entries if g.startswith("mmp-"))
    assert value(parsed, "dead_and_missing", "world", "other", 2022) == 1
    regions = rows(parsed.table, indicator="dead_and_missing", partner="world", year=2022)
    by_region = sum(r["value"] for r in regions if r["geo"].startswith("mmp-region-"))
    by_route = sum(r["value"] for r in regions if r["geo"].startswith("mmp-route-"))
    assert by_region == 16 - 1 and by_route == 16 - 1
    assert "no region on 1 record, no route on 1 record" in parsed.note


def test_a_file_ending_with_a_line_break_is_read_the_same(tmp_path):
    a, _ = parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED))
    (tmp_path / "b").mkdir()
    b, _ = parse_with(IomMissingMigrants(), mmp_csv(tmp_path / "b" / STAMPED, final_newline=True))
    assert a.table.equals(b.table)


@pytest.mark.parametrize("keep", [0.5, 0.98])
def test_a_cut_file_is_refused(tmp_path, keep):
    """The site ends its file without a line break: a file cut in its last record is refused,
    whether the cut leaves it short or only without its last cell."""
    path = mmp_csv(tmp_path / STAMPED)
    data = path.read_bytes()
    start = data.rindex(b"\n") + 1
    path.write_bytes(data[: start + int((len(data) - start) * keep)])
    with pytest.raises(ParseError) as err:
        parse_with(IomMissingMigrants(), path)
    assert err.value.row == len(RECORDS) + 1
    assert STAMPED in str(err.value) and "cut short" in str(err.value)


def test_a_cut_last_cell_is_refused(tmp_path):
    path = mmp_csv(tmp_path / STAMPED)
    path.write_bytes(path.read_bytes()[:-1])  # '...,5' → '...,'
    with pytest.raises(ParseError, match="Source Quality"):
        parse_with(IomMissingMigrants(), path)


def test_bad_cells_name_row_and_column(tmp_path):
    data = [list(r) for r in RECORDS]
    data[2][7] = "two"
    with pytest.raises(ParseError) as err:
        parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED, data))
    assert err.value.row == 4 and "Minimum Estimated Number of Missing" in str(err.value)
    data = [list(r) for r in RECORDS]
    data[0][15] = "Atlantis"
    with pytest.raises(ParseError) as err:
        parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED, data))
    assert (
        err.value.row == 2
        and "Atlantis" in str(err.value)
        and "Country of Origin" in str(err.value)
    )
    data = [list(r) for r in RECORDS]
    data[3][15] = "Afghanistan, Atlantis"
    with pytest.raises(ParseError, match="Atlantis") as err:
        parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED, data))
    assert err.value.row == 5
    data = [list(r) for r in RECORDS]
    data[1][15] = "Europe"  # a region is no country of origin
    with pytest.raises(ParseError, match="names a region") as err:
        parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED, data))
    assert err.value.row == 3


def test_origin_spellings(tmp_path):
    data = [list(r) for r in RECORDS]
    data[0][15] = "Mixed"  # a group of several nationalities, none listed
    data[1][15] = "Palestinian Territories"
    data[2][15] = "Mixed/Unknown"
    data[4][15] = ""
    parsed, _ = parse_with(IomMissingMigrants(), mmp_csv(tmp_path / STAMPED, data))
    assert value(parsed, "dead_and_missing", "world", "mmp-several-origins", 2022) == 5 + 4
    assert value(parsed, "dead_and_missing", "world", "PSE", 2022) == 1
    assert value(parsed, "dead_and_missing", "world", "other", 2022) == 2 + 1 + 0


def test_a_renamed_column_is_refused(tmp_path):
    path = mmp_csv(tmp_path / STAMPED)
    path.write_text(path.read_text().replace("Migration route", "Route", 1))
    with pytest.raises(ParseError, match="'Migration route'") as err:
        parse_with(IomMissingMigrants(), path)
    assert err.value.row == 1


def test_recognition_by_header_through_the_registry(tmp_path):
    renamed = mmp_csv(tmp_path / "deaths_2022.csv")  # the header decides, not the name
    match, _, parsed = recognise_and_parse(renamed)
    assert match.source.id == "iom_missing_migrants" and parsed.source == "iom_missing_migrants"
    (tmp_path / "g").mkdir()
    match, _, parsed = recognise_and_parse(gdidata_csv(tmp_path / "g" / "mmp_extract.csv"))
    assert match.source.id == "gdidata_iom_mmp"
    other = tmp_path / "gdp.csv"
    other.write_text("Country Name,Country Code,Year,Value\nMoldova,MDA,2020,1\n")
    for source in (IomMissingMigrants(), GdidataIomMmp()):
        assert source.recognise(other, FilePeek(other)) is None
    assert IomMissingMigrants().claims_name(tmp_path / STAMPED)
    assert IomMissingMigrants().claims_name(
        tmp_path / "Missing_Migrants_Global_Figures_allData.csv"
    )
    assert GdidataIomMmp().claims_name(tmp_path / "gdidata_iom_mmp.csv")


def test_a_file_named_as_ours_with_another_header_is_an_error(tmp_path):
    from migprofile.ingest import recognise
    from migprofile.sources import REGISTRY

    path = tmp_path / STAMPED
    path.write_text("Country,Year,Deaths\nMoldova,2022,3\n")
    with pytest.raises(ParseError, match="named like"):
        recognise(path, REGISTRY)


def test_download_and_dataset_facts():
    official, extract = IomMissingMigrants(), GdidataIomMmp()
    (download,) = official.downloads
    assert download.url == (
        "https://missingmigrants.iom.int/sites/g/files/tmzbdl601/files/report-migrant-incident/"
        "Missing_Migrants_Global_Figures_allData.csv"
    )
    assert official.claims_name(Path(download.filename))
    assert extract.dataset == official.id and extract.preference > official.preference
    assert official.feeds == extract.feeds == ("dead_and_missing",)


# -- the gdidata extract ------------------------------------------------------------------------


def test_gdidata_sums(tmp_path):
    parsed, h = parse_with(GdidataIomMmp(), gdidata_csv(tmp_path / "gdidata_iom_mmp.csv"))
    got = cells(parsed)
    dm = "dead_and_missing"
    world = got[(dm, "world", "world", 2022)]
    assert world["value"] == 5 + 7 + 1 + 1 + 2  # look-alike rows are two incidents
    assert world["note"] == "sum over 5 incidents; incidents to 2022-03-01 (latest in the extract)"
    assert (world["row"], world["col"]) == (None, "dead")
    assert value(parsed, dm, "world", "world", 2021) == 3
    assert got[(dm, "world", "world", 2021)]["note"] == "sum over 1 incidents"
    # country of incident is a geo here
    assert value(parsed, dm, "LBY", "MDA", 2022) == 5
    assert value(parsed, dm, "LBY", "world", 2022) == 5
    assert value(parsed, dm, "USA", "other", 2022) == 2
    assert value(parsed, dm, "GRC", "mmp-several-origins", 2022) == 7  # a split incident
    assert value(parsed, dm, "MEX", "mmp-several-origins", 2022) == 2  # 'AFG,UNK'
    assert (dm, "world", "AFG", 2022) not in got  # never split between origins
    # the extract's own route grouping; 'Undefined' is no route
    assert value(parsed, dm, "mmp-route-central-mediterranean-route", "world", 2022) == 5
    assert value(parsed, dm, "mmp-route-eastern-mediterranean-route", "SYR", 2021) == 3
    assert not any("undefined" in g for g in h.entries)
    assert h.entries["mmp-route-central-american-route"].name == "Central American Route"
    assert parsed.edition == parsed.edition_order == "2022-03-01"
    assert "latest incident date in the extract" in parsed.note
    assert "m is the month, not an incident id" in parsed.note


def test_gdidata_cut_and_bad_cells(tmp_path):
    path = gdidata_csv(tmp_path / "gdidata_iom_mmp.csv")
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ParseError, match="cut short"):
        parse_with(GdidataIomMmp(), path)
    for j, bad, column in ((4, "XXQ", "geo"), (8, "AFG,QQQ", "nat"), (5, "five", "dead"),
                           (0, "2022-13-01", "t")):  # fmt: skip
        data = [list(r) for r in GDIDATA_ROWS]
        data[2][j] = bad
        with pytest.raises(ParseError) as err:
            parse_with(GdidataIomMmp(), gdidata_csv(tmp_path / "gdidata_iom_mmp.csv", data))
        assert err.value.row == 4 and f"column {column}" in str(err.value), str(err.value)


def test_ingest_registers_the_places(tmp_path, home):
    import migprofile
    from migprofile.indicators import observations

    raw = tmp_path / "raw"
    raw.mkdir()
    mmp_csv(raw / STAMPED)
    gdidata_csv(raw / "gdidata_iom_mmp.csv")
    assert ingested(raw) == [
        (STAMPED, "iom_missing_migrants", "2024-01-15"),
        ("gdidata_iom_mmp.csv", "gdidata_iom_mmp", "2022-03-01"),
    ]
    store = migprofile.open_store()
    try:
        assert store.resolve_geo("mmp-region-mediterranean") == "mmp-region-mediterranean"
        assert store.resolve_geo("Mediterranean") == "mmp-region-mediterranean"
        assert store.resolve_geo("mmp-several-origins") == "mmp-several-origins"
        got = observations(store, "iom_mmp:dead", "mmp-region-mediterranean", partner="MDA")
        assert [(r["year"], r["value"]) for r in got.to_pylist()] == [(2022, 5)]
    finally:
        store.close()


# -- the real files -----------------------------------------------------------------------------

REAL_OFFICIAL = {
    "MissingMigrants-Global-2023-12-07--16_48_56.csv": 2021,
    "MissingMigrants-Global-2023-12-07--16_49_29.csv": 2023,
    "MissingMigrants-Global-2023-12-07--17_19_33.csv": 2018,
}


def _independent_total(path: Path) -> float:
    """The file's dead and missing, summed with the csv module alone."""
    with path.open(newline="", encoding="utf-8") as fh:
        total = 0.0
        for rec in csv.DictReader(fh):
            cell = rec[TOTAL].strip()
            if cell:
                total += float(cell)
            else:
                total += sum(
                    float(rec[c] or 0)
                    for c in ("Number Dead", "Minimum Estimated Number of Missing")
                )
        return total


@pytest.mark.integration
def test_real_official_files():
    folder = DATA_NEXT / "iom_mmp"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present: the real Missing Migrants files are needed")
    for name, year in REAL_OFFICIAL.items():
        path = folder / name
        match, _, parsed = recognise_and_parse(path)
        assert match.source.id == "iom_missing_migrants"
        assert parsed.edition == "2023-12-07"
        got = cells(parsed)
        world = got[("dead_and_missing", "world", "world", year)]
        assert world["value"] == _independent_total(path)
        assert {r["year"] for r in parsed.table.to_pylist()} == {year}  # filtered upstream
        dead = got[("iom_mmp:dead", "world", "world", year)]["value"]
        lost = got[("iom_mmp:missing", "world", "world", year)]["value"]
        assert dead + lost == world["value"]
        origins = [
            r["value"]
            for r in rows(parsed.table, indicator="dead_and_missing", geo="world", year=year)
            if r["partner"] != "world"
        ]
        assert sum(origins) == world["value"]  # every record counted once over the origins
        if year == 2021:  # SOURCES.md
            assert world["value"] == 6192
        if year == 2018:
            assert world["value"] == 5009
            assert got[("dead_and_missing", "world", "mmp-several-origins", 2018)]["value"] > 0


@pytest.mark.integration
def test_real_gdidata_extract():
    path = DATA_NEXT / "iom_gdidata" / "gdidata_iom_mmp.csv"
    if not path.is_file():
        pytest.skip(f"{path} not present: the real gdidata extract is needed")
    by_year: dict[int, float] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        records = list(csv.DictReader(fh))
    for rec in records:
        when = date.fromisoformat(rec["t"])
        by_year[when.year] = by_year.get(when.year, 0.0) + float(rec["dead"])
        # m is the month of t (days since 1970 of its first day), not an incident id
        assert float(rec["m"]) == (when.replace(day=1) - date(1970, 1, 1)).days
    # a split incident is one row with all its origins (official 2021.MMP00004: five records)
    split = [r for r in records if r["t"] == "2021-01-03" and r["geo"] == "LBY"]
    assert [(r["type"], r["dead"], r["nat"]) for r in split] == [
        ("Split Incident", "8.0", "CIV,MLI,NGA,SEN,TGO")
    ]
    match, _, parsed = recognise_and_parse(path)
    assert match.source.id == "gdidata_iom_mmp"
    assert parsed.edition == "2025-04-30"
    got = cells(parsed)
    for year, total in by_year.items():
        assert got[("dead_and_missing", "world", "world", year)]["value"] == total
    assert got[("dead_and_missing", "world", "world", 2021)]["value"] == 6279
    assert got[("dead_and_missing", "LBY", "mmp-several-origins", 2021)]["value"] >= 8
