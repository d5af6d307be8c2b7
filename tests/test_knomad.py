"""World Bank / KNOMAD sources: bilateral remittance and migration matrices, annual flows.

Fixtures are built here in the publishers' layouts (title row, corner cell 'receiving (across) /
sending (down)', names only, WORLD/Other North/Other South, notes under the table; flow tables
with 'Remittance inflows (US$ million)' headers, '2022e' marks and a 'Date: June 2023' footer),
with invented numbers. The integration tests read the real files in ../shared/data in place.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import openpyxl
import pytest

import migprofile
from conftest import run_migprofile
from migprofile.errors import ParseError
from migprofile.geo import build_harmoniser, worldbank
from migprofile.indicators import observations
from migprofile.ingest import ingest, recognise
from migprofile.sources import REGISTRY, FilePeek
from migprofile.sources.knomad.knomad_remittance_flows import KnomadRemittanceFlows
from migprofile.sources.knomad.wb_bilateral_migration import WbBilateralMigration
from migprofile.sources.knomad.wb_bilateral_remittances import WbBilateralRemittances

REM_NAME = "WB_Bilateral_Remittance_Estimates_2017.xlsx"
MIG_NAME = "WB_Bilateral_Estimates_Migrant_Stocks_2017.xlsx"
REM_TITLE = (
    "Bilateral Remittance Estimates for 2017 using Migrant Stocks, Host Country Incomes, and "
    "Origin Country Incomes (millions of US$) (April 2018 Version)"
)

# --- fixture builders (publisher layouts, invented values) ------------------------------------


def _write(ws, rows: list[list]) -> None:
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row, 1):
            if value is not None:
                ws.cell(row=i, column=j, value=value)


def build_matrix(
    path: Path,
    *,
    sheet: str,
    title: str,
    corner: str,
    across: list[str],
    down: list[tuple[str, list]],
    notes: list[str],
    extra_sheet: str | None = None,
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    rows = [[title], [corner, *across], *[[name, *values] for name, values in down], []]
    rows += [["Notes:"], *[[n] for n in notes]]
    _write(ws, rows)
    if extra_sheet:
        wb.create_sheet(extra_sheet)["A1"] = "# Income share sent as remittance"
    wb.save(path)
    return path


# receiving across, sending down; US$ million; WORLD column = total sent, WORLD row = received.
REM_ACROSS = ["Moldova", "Russian Federation", "Ukraine", "WORLD"]
REM_DOWN = [
    ("Moldova", [0.0, 160.0264165502753, 12.5, 172.5264165502753]),
    ("Russian Federation", [532.9675560973676, 0.0, 3000.25, 3533.2175560973676]),
    ("Ukraine", [40.0, 900.0, 0.0, 940.0]),
    ("WORLD", [572.9675560973676, 1060.0264165502753, 3012.75, 4645.744]),
]


def build_remittance_matrix(folder: Path, *, down=REM_DOWN, name=REM_NAME, **kw) -> Path:
    args = dict(
        sheet="Bilateral_Remittances_2017",
        title=REM_TITLE,
        corner="receiving (across) / sending (down) ",
        across=REM_ACROSS,
        down=down,
        notes=[
            "These are analytical estimates based on logical assumptions. They are not actual "
            "officially reported data.",
            "These estimates are based on the Bilateral Migration Matrix 2017.",
        ],
        extra_sheet="remshare",
    )
    args.update(kw)
    return build_matrix(folder / name, **args)


# destination across, origin down; persons.
MIG_ACROSS = ["Moldova", "Russian Federation", "Ukraine", "Other North", "Other South", "World"]
MIG_DOWN = [
    ("Moldova", [0.0, 294522.0, 150000.0, 10.0, 0.0, 444532.0]),
    ("Russian Federation", [221965.0, 0.0, 3000000.0, 0.0, 5.0, 3221970.0]),
    ("Ukraine", [150.0, 3200000.0, 0.0, 0.0, 0.0, 3200150.0]),
    ("Other North", [7.0, 0.0, 0.0, 0.0, 0.0, 7.0]),
    ("Other South", [0.0, 25.0, 0.0, 0.0, 0.0, 25.0]),
    ("World", [222122.0, 3494547.0, 3150000.0, 10.0, 5.0, 6866684.0]),
]


def build_migration_matrix(folder: Path, **kw) -> Path:
    args = dict(
        sheet="Bilateral_Migration_2017",
        title="Bilateral Estimates of Migrant Stocks in 2017",
        corner="destination (across) / origin (down) ",
        across=MIG_ACROSS,
        down=MIG_DOWN,
        notes=["World Bank staff estimates based on UN Population Division and others."],
        extra_sheet="countries-comparison",
    )
    args.update(kw)
    return build_matrix(folder / MIG_NAME, **args)


# The 2018 matrix: the 2017 layout, its sheet name with spaces.
REM_2018_TITLE = REM_TITLE.replace("2017", "2018").replace("April 2018", "October 2019")


def build_remittance_matrix_2018(folder: Path) -> Path:
    return build_remittance_matrix(
        folder,
        name="bilateralremittancematrix2018Oct2019.xlsx",
        sheet="Bilateral Remittances 2018",
        title=REM_2018_TITLE,
    )


# The 2021 matrix (December 2022): sheet 'FINAL BRM 2021 ' (trailing space), title in A1, the
# corner cell in A2 spelt out with a hyphen between long runs of spaces, 'World' last row and
# column, notes straight under the World row.
REM_2021_NAME = "bilateral_remittance_matrix_2021_0.xlsx"
REM_2021_SHEET = "FINAL BRM 2021 "
REM_2021_TITLE = (
    "Bilateral Remittance Estimates for 2021 using Migrant Stocks, Host Country Incomes, and "
    "Origin Country Incomes (US$ million)"
)
REM_2021_CORNER = (
    "Remittance-receiving country (across)" + " " * 62 + "-" + " " * 49
    + "Remittance-sending country (down)"
)  # fmt: skip
REM_2021_ACROSS = ["Moldova", "Russian Federation", "Türkiye", "Ukraine", "World"]
REM_2021_DOWN = [
    ("Moldova", [None, 171.44, 3.25, 12.5, 187.19]),
    ("Russian Federation", [553.93, None, 400.0, 2900.75, 3854.68]),
    ("Türkiye", [20.0, 310.5, None, 60.0, 390.5]),
    ("Ukraine", [41.0, 880.0, 5.0, None, 926.0]),
    ("World", [614.93, 1361.94, 408.25, 2973.25, 5358.37]),
]
REM_2021_NOTES = [
    "Note: Flows between India and Pakistan, Pakistan and India, Lebanon and Israel and vice "
    "versa, and Azerbaijan and Armenia and vice versa are assumed to be zero.",
    "These are analytical estimates based on logical assumptions, not officially reported data.",
]


def build_remittance_matrix_2021(
    folder: Path,
    *,
    title: str | None = REM_2021_TITLE,
    corner: str = REM_2021_CORNER,
    across: list[str] = REM_2021_ACROSS,
    down: list[tuple[str, list]] = REM_2021_DOWN,
    notes: list[str] = REM_2021_NOTES,
    sheet: str = REM_2021_SHEET,
    name: str = REM_2021_NAME,
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    rows = [[title] if title else [None], [corner, *across], *[[n, *v] for n, v in down]]
    _write(ws, rows + [[n] for n in notes])
    path = folder / name
    wb.save(path)
    return path


FLOW_FOOTER = [
    "Note: All numbers are in current (nominal) US $.",
    "For latest data and analysis on migration and remittances, please visit "
    "https://www.knomad.org/",
    "Date: June 2023",
    "When using the data, please cite: World Bank-KNOMAD, June 2023",
]
# The names the World Bank writes, each must resolve to a country.
WB_COUNTRY_NAMES = {
    "Kosovo": "XKX",
    "Congo, Dem. Rep.": "COD",
    "Egypt, Arab Rep.": "EGY",
    "Gambia, The": "GMB",
    "Hong Kong SAR, China": "HKG",
    "Korea, Dem. People's Rep.": "PRK",
    "Micronesia, Fed. Sts.": "FSM",
    "St. Kitts and Nevis": "KNA",
    "Turkiye": "TUR",
    "Venezuela, RB": "VEN",
    "Yemen, Rep.": "YEM",
    "West Bank and Gaza": "PSE",
    "Curacao": "CUW",
    "Sint Maarten (Dutch part)": "SXM",
    "Eswatini": "SWZ",
}


def build_flows(
    path: Path,
    *,
    direction: str = "inflows",
    years: list = (2020.0, 2021.0, "2022e"),
    rows: list[tuple[str, list]] | None = None,
    aggregates: list[tuple[str, list]] | None = None,
    blank_first_row: bool = False,
    extra_header: list = (),
    footer: list[str] = FLOW_FOOTER,
    sheet: str | None = None,
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet or ("Inward" if direction == "inflows" else "Outward") + " remittance flows"
    if rows is None:
        rows = [
            ("Moldova", [1500.5, 1900.25, 2036.935416710301]),
            ("Russian Federation", [0.0, 1000.0, 1100.0]),
            ("United Arab Emirates", ["", "", ""]),
            ("St. Martin (French part)", [" ", " ", " "]),
            *[(n, [1.0 + k, 2.0, 3.0]) for k, n in enumerate(WB_COUNTRY_NAMES)],
        ]
    if aggregates is None:
        aggregates = [
            ("Low-and Middle-Income Countries", [500000.0, 550000.0, 600000.0]),
            ("East Asia and Pacific", [100000.0, 110000.0, 120000.0]),
            ("Sub-Saharan Africa", [40000.0, 45000.0, 50000.0]),
            ("World", [700000.0, 750000.0, 800000.0]),
        ]
    header = [f"Remittance {direction} (US$ million)", *years, *extra_header]
    table = [[None]] if blank_first_row else []
    table += [header, *[[n, *v] for n, v in rows], *[[n, *v] for n, v in aggregates]]
    table += [[], [], *[[t] for t in footer]]
    _write(ws, table)
    wb.save(path)
    return path


def _parse(path: Path, h=None):
    match = recognise(path, list(REGISTRY))
    assert match is not None, f"{path.name} not recognised"
    return match, match.source.parse(match, h or build_harmoniser())


def _rows(pf) -> dict[tuple, dict]:
    return {(r["indicator"], r["geo"], r["partner"], r["year"]): r for r in pf.table.to_pylist()}


# --- bilateral remittances ----------------------------------------------------------------------


def test_remittance_matrix_values_units_partners(tmp_path):
    match, pf = _parse(build_remittance_matrix(tmp_path))
    assert match.source.id == "wb_bilateral_remittances"
    assert isinstance(match.source, WbBilateralRemittances) and match.source.modelled
    assert (pf.source, pf.edition, pf.edition_order) == ("wb_bilateral_remittances", "2017", "2017")
    assert "modelled estimate (World Bank/KNOMAD), not observed" in pf.note
    assert "April 2018 Version" in pf.note and "zero cells not stored" in pf.note
    rows = _rows(pf)
    # geo = receiving (column), partner = sending (row); US$ million x 1e6, full precision
    r = rows[("remittances_bilateral_usd", "MDA", "RUS", 2017)]
    assert math.isclose(r["value"], 532.9675560973676 * 1e6, rel_tol=1e-12)
    assert r["unit"] == "US$" and r["note"] == "modelled estimate (World Bank/KNOMAD), not observed"
    assert (r["sheet"], r["row"], r["col"]) == ("Bilateral_Remittances_2017", 4, "B")
    assert rows[("remittances_bilateral_usd", "RUS", "MDA", 2017)]["value"] == pytest.approx(
        160.0264165502753e6, rel=1e-12
    )
    # WORLD column: total sent by the row country; WORLD row: total received by the column one
    assert rows[("remittances_bilateral_usd", "world", "UKR", 2017)]["value"] == 940e6
    assert rows[("remittances_bilateral_usd", "UKR", "world", 2017)]["value"] == 3012.75e6
    assert rows[("remittances_bilateral_usd", "world", "world", 2017)]["value"] == 4645.744e6
    # zeros (no estimate) are not stored
    assert ("remittances_bilateral_usd", "MDA", "MDA", 2017) not in rows
    assert len(rows) == 13
    assert pf.indicators[0].indicator == "remittances_bilateral_usd"
    assert "not actual officially reported data" in pf.indicators[0].definition


def test_remittance_matrix_transposed_corner_is_read(tmp_path):
    """Orientation comes from the corner cell, so a transposed matrix still lands right."""
    across = [n for n, _ in REM_DOWN]
    down = [
        (a, [REM_DOWN[i][1][j] for i in range(len(REM_DOWN))]) for j, a in enumerate(REM_ACROSS)
    ]
    path = build_remittance_matrix(
        tmp_path, corner="sending (across) / receiving (down)", across=across, down=down
    )
    rows = _rows(_parse(path)[1])
    assert rows[("remittances_bilateral_usd", "MDA", "RUS", 2017)]["value"] == pytest.approx(
        532.9675560973676e6
    )


def test_remittance_matrix_without_unit_is_an_error(tmp_path):
    path = build_remittance_matrix(tmp_path, title="Bilateral Remittance Estimates for 2017")
    with pytest.raises(ParseError, match="unit"):
        _parse(path)


def test_remittance_matrix_2018_layout(tmp_path):
    match, pf = _parse(build_remittance_matrix_2018(tmp_path))
    assert match.source.id == "wb_bilateral_remittances"
    assert (pf.edition, pf.layout) == ("2018", "wb-bilateral-remittance-matrix")
    assert "October 2019 Version" in pf.note
    r = _rows(pf)[("remittances_bilateral_usd", "MDA", "RUS", 2018)]
    assert r["value"] == pytest.approx(532.9675560973676e6, rel=1e-12)
    assert (r["sheet"], r["row"], r["col"]) == ("Bilateral Remittances 2018", 4, "B")


def test_remittance_matrix_2021_layout(tmp_path):
    """'FINAL BRM 2021 ' is found by its corner cell; Russia → Moldova lands at geo MDA,
    partner RUS, in US$; World row and column are the published totals; the notes straight
    under the World row are the definition, not data."""
    match, pf = _parse(build_remittance_matrix_2021(tmp_path))
    assert match.source.id == "wb_bilateral_remittances"
    assert (pf.edition, pf.edition_order) == ("2021", "2021")
    rows = _rows(pf)
    r = rows[("remittances_bilateral_usd", "MDA", "RUS", 2021)]
    assert r["value"] == pytest.approx(553.93e6, rel=1e-12) and r["unit"] == "US$"
    assert (r["sheet"], r["row"], r["col"]) == (REM_2021_SHEET, 4, "B")
    assert rows[("remittances_bilateral_usd", "RUS", "MDA", 2021)]["value"] == pytest.approx(
        171.44e6
    )
    assert rows[("remittances_bilateral_usd", "TUR", "RUS", 2021)]["value"] == 400e6
    # World column: sent by the row country; World row: received by the column country
    assert rows[("remittances_bilateral_usd", "world", "RUS", 2021)]["value"] == pytest.approx(
        3854.68e6
    )
    assert rows[("remittances_bilateral_usd", "MDA", "world", 2021)]["value"] == pytest.approx(
        614.93e6
    )
    assert ("remittances_bilateral_usd", "MDA", "MDA", 2021) not in rows  # blank diagonal
    assert len(rows) == 5 * 5 - 4  # all but the four blank diagonal cells
    assert {r["row"] for r in pf.table.to_pylist()} == {3, 4, 5, 6, 7}
    assert "India and Pakistan" in pf.indicators[0].definition
    assert pf.indicators[0].name == REM_2021_TITLE


def test_remittance_matrix_2021_transposed_corner(tmp_path):
    """'Remittance-sending country (across) / Remittance-receiving country (down)'."""
    names = [n for n, _ in REM_2021_DOWN]
    down = [
        (a, [REM_2021_DOWN[i][1][j] for i in range(len(names))])
        for j, a in enumerate(REM_2021_ACROSS)
    ]
    corner = "Remittance-sending country (across) / Remittance-receiving country (down)"
    path = build_remittance_matrix_2021(tmp_path, corner=corner, across=names, down=down)
    rows = _rows(_parse(path)[1])
    assert rows[("remittances_bilateral_usd", "MDA", "RUS", 2021)]["value"] == pytest.approx(
        553.93e6
    )
    assert rows[("remittances_bilateral_usd", "world", "RUS", 2021)]["value"] == pytest.approx(
        3854.68e6
    )


def test_remittance_matrix_unit_from_a_note_or_an_error(tmp_path):
    notes = [*REM_2021_NOTES, "All values in US$ million."]
    path = build_remittance_matrix_2021(tmp_path, title=None, notes=notes)
    rows = _rows(_parse(path)[1])
    assert rows[("remittances_bilateral_usd", "MDA", "RUS", 2021)]["value"] == pytest.approx(
        553.93e6
    )
    other = tmp_path / "no_unit"
    other.mkdir()
    path = build_remittance_matrix_2021(other, title="Bilateral Remittance Estimates for 2021")
    with pytest.raises(ParseError, match="unit") as err:
        _parse(path)
    assert (err.value.sheet, err.value.row) == (REM_2021_SHEET, 1)
    assert REM_2021_NAME in str(err.value)


def test_remittance_matrix_2021_bad_cell_names_sheet_row_column(tmp_path):
    down = [REM_2021_DOWN[0], ("Russian Federation", [553.93, "n/q", 1.0, 2.0, 556.93])]
    with pytest.raises(ParseError) as err:
        _parse(build_remittance_matrix_2021(tmp_path, down=[*down, *REM_2021_DOWN[2:]]))
    assert (err.value.sheet, err.value.row) == (REM_2021_SHEET, 4)
    assert "column C" in str(err.value) and "n/q" in str(err.value)


def test_remittance_matrix_2021_through_the_store(tmp_path, monkeypatch):
    """`migprofile get remittances_bilateral_usd MDA --partner RUS --year 2021`."""
    home = tmp_path / "home"
    monkeypatch.setenv("MIGPROFILE_HOME", str(home))
    monkeypatch.delenv("MIGPROFILE_RAW_DIR", raising=False)
    raw = tmp_path / "raw"
    raw.mkdir()
    build_remittance_matrix_2021(raw)
    report = ingest(raw_dir=raw, offline=True)
    assert [(Path(p).name, s, e) for p, s, e, _ in report.ingested] == [
        (REM_2021_NAME, "wb_bilateral_remittances", "2021")
    ]
    done = run_migprofile(
        "get", "remittances_bilateral_usd", "MDA", "--partner", "RUS", "--year", "2021",
        "--format", "json", home=home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (got,) = json.loads(done.stdout)
    assert got["value"] == pytest.approx(553_930_000, rel=1e-12)
    assert (got["unit"], got["edition"], got["sheet"], got["row"]) == (
        "US$",
        "2021",
        REM_2021_SHEET,
        4,
    )
    assert "modelled estimate" in got["note"]


# --- bilateral migration ------------------------------------------------------------------------


def test_migration_matrix_values_units_partners(tmp_path):
    match, pf = _parse(build_migration_matrix(tmp_path))
    assert isinstance(match.source, WbBilateralMigration)
    assert match.source.modelled
    assert (pf.source, pf.edition) == ("wb_bilateral_migration", "2017")
    rows = _rows(pf)
    # geo = destination (column), partner = origin (row)
    moldovans_in_russia = rows[("migrant_stock", "RUS", "MDA", 2017)]
    assert moldovans_in_russia["value"] == 294522.0 and moldovans_in_russia["unit"] == "persons"
    assert (moldovans_in_russia["row"], moldovans_in_russia["col"]) == (3, "C")
    assert rows[("migrant_stock", "MDA", "RUS", 2017)]["value"] == 221965.0
    assert rows[("migrant_stock", "MDA", "other-north", 2017)]["value"] == 7.0
    assert rows[("migrant_stock", "RUS", "other-south", 2017)]["value"] == 25.0
    assert rows[("migrant_stock", "other-north", "MDA", 2017)]["value"] == 10.0
    assert rows[("migrant_stock", "world", "MDA", 2017)]["value"] == 444532.0
    assert rows[("migrant_stock", "MDA", "world", 2017)]["value"] == 222122.0
    assert ("migrant_stock", "MDA", "MDA", 2017) not in rows
    assert all(r["indicator"] == "migrant_stock" for r in rows.values())


# --- annual flows -------------------------------------------------------------------------------


def test_inflows_values_estimates_aggregates_and_names(tmp_path):
    h = build_harmoniser()
    match, pf = _parse(build_flows(tmp_path / "remittance-inflows.xlsx"), h)
    assert isinstance(match.source, KnomadRemittanceFlows) and not match.source.modelled
    assert (pf.source, pf.edition, pf.edition_order) == (
        "knomad_remittance_flows",
        "2023-06",
        "2023-06",
    )
    rows = _rows(pf)
    ind = "remittances_inflow_knomad_usd"
    mda = rows[(ind, "MDA", "", 2022)]
    assert mda["value"] == pytest.approx(2036.935416710301e6, rel=1e-12)
    assert mda["unit"] == "US$" and mda["note"] == "estimate (2022e)"
    assert (mda["sheet"], mda["row"], mda["col"]) == ("Inward remittance flows", 2, "D")
    assert rows[(ind, "MDA", "", 2021)]["note"] == ""
    assert rows[(ind, "MDA", "", 2020)]["value"] == 1500.5e6
    # 0 = no data (not stored); blanks and ' ' skipped
    assert (ind, "RUS", "", 2020) not in rows
    assert rows[(ind, "RUS", "", 2021)]["value"] == 1000e6
    assert not any(k[1] in ("ARE", "MAF") for k in rows)
    for name, iso3 in WB_COUNTRY_NAMES.items():
        assert (ind, iso3, "", 2021) in rows, name
    # aggregates: WB code where one exists, else wb-<slug>; World is the world total
    assert rows[(ind, "wb-lmy", "", 2022)]["value"] == 600000e6
    assert rows[(ind, "wb-east-asia-and-pacific", "", 2020)]["value"] == 100000e6
    assert rows[(ind, "wb-sub-saharan-africa", "", 2020)]["value"] == 40000e6
    assert rows[(ind, "world", "", 2022)]["value"] == 800000e6
    assert h.entries["wb-lmy"].group_type == "wb_aggregate"
    assert ("wb", "LMY", "wb-lmy") in h.new_codes
    assert h.entries["wb-sub-saharan-africa"].group_type == "wb_aggregate"
    assert "estimates: 2022e" in pf.note and "zero cells not stored" in pf.note


def test_outflows_layout_blank_first_row_text_years(tmp_path):
    path = build_flows(
        tmp_path / "remittance-outflows.xlsx",
        direction="outflows",
        years=["2020", "2021", 2022.0],
        extra_header=["% of GDP in 2022"],
        rows=[("Moldova", [400.0, 450.0, 483.74, 2.9]), ("Ukraine", [0.0, 1083.0, 2036.0, 1.3])],
        aggregates=[],
        blank_first_row=True,
    )
    _, pf = _parse(path)
    rows = _rows(pf)
    ind = "remittances_outflow_knomad_usd"
    assert rows[(ind, "MDA", "", 2022)]["value"] == pytest.approx(483.74e6)
    assert rows[(ind, "MDA", "", 2022)]["row"] == 3
    assert rows[(ind, "UKR", "", 2021)]["value"] == 1083e6
    assert {k[3] for k in rows} == {2020, 2021, 2022}  # '% of GDP in 2022' is not a year
    assert all(r["note"] == "" for r in rows.values())
    assert "% of GDP in 2022" in pf.note
    assert pf.edition == "2023-06"


def test_flows_edition_missing_is_an_error(tmp_path):
    path = build_flows(tmp_path / "remittance-inflows.xlsx", footer=["Note: current US$."])
    with pytest.raises(ParseError, match="Date"):
        _parse(path)


def test_flows_unknown_year_mark_is_an_error(tmp_path):
    path = build_flows(tmp_path / "remittance-inflows.xlsx", years=[2020.0, 2021.0, "2022x"])
    with pytest.raises(ParseError, match=r"2022x.*column D"):
        _parse(path)


# --- bad input ----------------------------------------------------------------------------------


def test_unknown_country_in_flows_names_sheet_and_row(tmp_path):
    path = build_flows(
        tmp_path / "remittance-inflows.xlsx",
        rows=[("Moldova", [1.0, 2.0, 3.0]), ("Freedonia", [1.0, 2.0, 3.0])],
    )
    with pytest.raises(ParseError) as err:
        _parse(path)
    assert err.value.sheet == "Inward remittance flows" and err.value.row == 3
    assert "Freedonia" in str(err.value) and "remittance-inflows.xlsx" in str(err.value)


def test_unknown_country_in_matrix_row_and_header(tmp_path):
    down = [*REM_DOWN[:2], ("Freedonia", [1.0, 2.0, 3.0, 6.0]), REM_DOWN[3]]
    with pytest.raises(ParseError) as err:
        _parse(build_remittance_matrix(tmp_path, down=down))
    assert (err.value.sheet, err.value.row) == ("Bilateral_Remittances_2017", 5)
    assert "Freedonia" in str(err.value)

    other = tmp_path / "header"
    other.mkdir()
    across = ["Moldova", "Freedonia", "Ukraine", "WORLD"]
    with pytest.raises(ParseError) as err:
        _parse(build_remittance_matrix(other, across=across))
    assert (err.value.sheet, err.value.row) == ("Bilateral_Remittances_2017", 2)
    assert "Freedonia" in str(err.value) and "column C" in str(err.value)


def test_name_variants_are_consulted_first(tmp_path, monkeypatch):
    monkeypatch.setitem(worldbank.WB_NAME_VARIANTS, "Freedonia", "MDA")
    path = build_flows(
        tmp_path / "remittance-inflows.xlsx", rows=[("Freedonia", [1.0, 2.0, 3.0])], aggregates=[]
    )
    assert ("remittances_inflow_knomad_usd", "MDA", "", 2020) in _rows(_parse(path)[1])


def test_text_in_number_cell_names_row_and_column(tmp_path):
    path = build_flows(
        tmp_path / "remittance-inflows.xlsx",
        rows=[("Moldova", [1.0, 2.0, 3.0]), ("Ukraine", [1.0, "n.a. (see note)", 3.0])],
    )
    with pytest.raises(ParseError) as err:
        _parse(path)
    assert err.value.row == 3 and "column C" in str(err.value) and "2021" in str(err.value)

    down = [REM_DOWN[0], ("Russian Federation", [532.97, "abc", 1.0, 534.0]), *REM_DOWN[2:]]
    with pytest.raises(ParseError) as err:
        _parse(build_remittance_matrix(tmp_path, down=down))
    assert (err.value.sheet, err.value.row) == ("Bilateral_Remittances_2017", 4)
    assert "column C" in str(err.value) and "abc" in str(err.value)


def test_renamed_sheet_still_parses_by_its_corner_cell(tmp_path):
    """A matrix sheet is found by its content (the corner cell), not only by its name."""
    match, pf = _parse(build_remittance_matrix(tmp_path, sheet="Sheet1"))
    assert match.source.id == "wb_bilateral_remittances" and pf.edition == "2017"
    r = _rows(pf)[("remittances_bilateral_usd", "MDA", "RUS", 2017)]
    assert (r["sheet"], r["row"], r["col"]) == ("Sheet1", 4, "B")
    match, pf = _parse(build_migration_matrix(tmp_path, sheet="Data"))
    assert match.source.id == "wb_bilateral_migration"
    assert _rows(pf)[("migrant_stock", "RUS", "MDA", 2017)]["value"] == 294522.0


def test_file_named_like_the_matrix_without_its_corner_cell_is_an_error(tmp_path):
    path = build_remittance_matrix(tmp_path, sheet="Sheet1", corner="Country")
    with pytest.raises(ParseError) as err:
        recognise(path, list(REGISTRY))
    assert REM_NAME in str(err.value) and "Bilateral Remittance Matrix" in str(err.value)
    # the same for the migration matrix and the flows
    mig = build_migration_matrix(tmp_path, sheet="Data", corner="Country")
    with pytest.raises(ParseError):
        recognise(mig, list(REGISTRY))
    flows = build_flows(tmp_path / "remittance-outflows.xlsx", sheet="Sheet1", footer=[])
    flows_wb = openpyxl.load_workbook(flows)
    flows_wb["Sheet1"]["A1"] = "Something else"
    flows_wb.save(flows)
    with pytest.raises(ParseError):
        recognise(flows, list(REGISTRY))


def test_matrix_with_wrong_corner_is_an_error(tmp_path):
    path = build_remittance_matrix(tmp_path, corner="destination (across) / origin (down)")
    with pytest.raises(ParseError, match="corner cell"):
        _parse(path)


def test_recognise_is_by_content_not_name(tmp_path):
    path = build_migration_matrix(tmp_path)
    renamed = path.rename(tmp_path / "whatever.xlsx")
    match = recognise(renamed, list(REGISTRY))
    assert match is not None and match.source.id == "wb_bilateral_migration"
    assert KnomadRemittanceFlows().recognise(renamed, FilePeek(renamed)) is None


# --- end to end through ingest and the store ----------------------------------------------------
# One store for the module (each store write rebuilds the geography, which takes seconds): the
# real files (when ../shared/data is there) are ingested together with code-built files of older
# editions (2013 matrices, an April 2020 flow table with 1995-1997), placed in the download cache.

SHARED_KNOMAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "knomad_bilateral"
SHARED_MISSING = "../shared/data/knomad_bilateral not present: needs the World Bank files"


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    home = tmp_path_factory.mktemp("knomad_home")
    cache = home / "raw"  # config.cache_dir(): ingest reads it beside --raw-dir
    cache.mkdir()
    build_remittance_matrix(
        cache,
        name="bilateralremittancematrix2013.xlsx",
        sheet="Bilateral_Remittances_2013",
        title=REM_TITLE.replace("2017", "2013"),
    )
    build_migration_matrix(
        cache,
        sheet="Bilateral_Migration_2013",
        title="Bilateral Estimates of Migrant Stocks in 2013",
    ).rename(cache / "bilateralmigrationmatrix20130.xlsx")
    build_flows(
        cache / "Remittance inflows April 2020.xlsx",
        years=[1995.0, 1996.0, "1997e"],
        footer=["Date: April 2020"],
    )
    real = SHARED_KNOMAD if SHARED_KNOMAD.is_dir() else tmp_path_factory.mktemp("no_real_files")
    mp = pytest.MonkeyPatch()
    mp.setenv("MIGPROFILE_HOME", str(home))
    mp.delenv("MIGPROFILE_RAW_DIR", raising=False)
    try:
        report = ingest(raw_dir=real, offline=True)
        again = ingest(raw_dir=real, offline=True)
        with migprofile.open_store() as store:
            yield real, report, again, store, cache
    finally:
        mp.undo()


@pytest.fixture
def real(ingested):
    if ingested[0] != SHARED_KNOMAD:
        pytest.skip(SHARED_MISSING)
    return ingested


def _names(report, folder: Path) -> list[tuple[str, str, str]]:
    folder = folder.resolve()
    return sorted(
        (Path(p).name, s, e) for p, s, e, _ in report.ingested if Path(p).parent == folder
    )


def test_ingest_fixtures_end_to_end(ingested):
    _, report, again, store, cache = ingested
    assert _names(report, cache) == [
        ("Remittance inflows April 2020.xlsx", "knomad_remittance_flows", "2020-04"),
        ("bilateralmigrationmatrix20130.xlsx", "wb_bilateral_migration", "2013"),
        ("bilateralremittancematrix2013.xlsx", "wb_bilateral_remittances", "2013"),
    ]
    assert again.ingested == [] and len(again.unchanged) == len(report.ingested)
    # the real 2017 matrix is the series' latest edition; the 2013 one stays reachable
    assert observations(
        store, "remittances_bilateral_usd", "MDA", partner="RUS", year=2013
    ).num_rows == (0 if SHARED_KNOMAD.is_dir() else 1)
    t = observations(
        store, "remittances_bilateral_usd", "MDA", partner="RUS", year=2013, edition="2013"
    ).to_pylist()
    assert len(t) == 1 and t[0]["value"] == pytest.approx(532.9675560973676e6, rel=1e-12)
    assert (t[0]["edition"], t[0]["source"]) == ("2013", "wb_bilateral_remittances")
    assert "modelled estimate" in t[0]["note"]
    t = observations(
        store, "remittances_inflow_knomad_usd", "MDA", year=1997, edition="2020-04"
    ).to_pylist()
    assert t[0]["value"] == pytest.approx(2036.935416710301e6) and t[0]["edition"] == "2020-04"
    assert t[0]["note"] == "estimate (1997e)"
    t = observations(
        store,
        "migrant_stock",
        "RUS",
        partner="MDA",
        year=2013,
        source="wb_bilateral_migration",
        edition="2013",
    ).to_pylist()
    assert t[0]["value"] == 294522.0
    t = observations(
        store, "remittances_inflow_knomad_usd", "wb-lmy", year=1995, edition="2020-04"
    ).to_pylist()
    assert t[0]["value"] == 500000e6
    assert store.geo_row("wb-lmy")["kind"] == "aggregate"


# --- the real files -----------------------------------------------------------------------------


def _cell(path: Path, sheet: str, row_name: str, col_name: str, header_row: int) -> float:
    from python_calamine import CalamineWorkbook

    rows = (
        CalamineWorkbook.from_path(str(path))
        .get_sheet_by_name(sheet)
        .to_python(skip_empty_area=False)
    )
    col = rows[header_row].index(col_name)
    return next(r[col] for r in rows if r and r[0] == row_name)


@pytest.mark.integration
def test_real_files_all_ingested(real):
    _, report, again, _, _ = real
    assert _names(report, SHARED_KNOMAD) == [
        ("WB_Bilateral_Estimates_Migrant_Stocks_2017.xlsx", "wb_bilateral_migration", "2017"),
        ("WB_Bilateral_Remittance_Estimates_2017.xlsx", "wb_bilateral_remittances", "2017"),
        ("remittance-inflows.xlsx", "knomad_remittance_flows", "2023-06"),
        ("remittance-outflows.xlsx", "knomad_remittance_flows", "2023-06"),
    ]
    assert report.skipped == []
    assert again.ingested == [] and len(again.unchanged) == 7  # re-ingest adds nothing


@pytest.mark.integration
def test_real_bilateral_remittances_moldova_from_russia(real):
    folder, _, _, store, _ = real
    cell = _cell(
        folder / REM_NAME, "Bilateral_Remittances_2017", "Russian Federation", "Moldova", 1
    )
    t = observations(
        store, "remittances_bilateral_usd", "MDA", partner="RUS", year=2017
    ).to_pylist()
    assert len(t) == 1
    assert t[0]["value"] == pytest.approx(cell * 1e6, rel=1e-9)
    assert round(t[0]["value"] / 1e6, 2) == 532.97
    assert (t[0]["source"], t[0]["edition"], t[0]["unit"]) == (
        "wb_bilateral_remittances",
        "2017",
        "US$",
    )
    assert "modelled estimate" in t[0]["note"]
    assert (t[0]["sheet"], t[0]["row"]) == ("Bilateral_Remittances_2017", 160)


@pytest.mark.integration
def test_real_inflows_moldova_2022(real):
    folder, _, _, store, _ = real
    cell = _cell(
        folder / "remittance-inflows.xlsx", "Inward remittance flows", "Moldova", 2022.0, 0
    )
    t = observations(store, "remittances_inflow_knomad_usd", "MDA", year=2022).to_pylist()
    assert t[0]["value"] == pytest.approx(cell * 1e6, rel=1e-12)
    assert round(t[0]["value"] / 1e6, 1) == 2036.9
    assert (t[0]["source"], t[0]["edition"]) == ("knomad_remittance_flows", "2023-06")
    out = observations(store, "remittances_outflow_knomad_usd", "MDA", year=2022).to_pylist()
    assert round(out[0]["value"] / 1e6, 1) == 483.7
    world = observations(store, "remittances_inflow_knomad_usd", "world", year=2022).to_pylist()
    assert world[0]["value"] > 800e9
    lmy = observations(store, "remittances_inflow_knomad_usd", "wb-lmy", year=2022).to_pylist()
    assert lmy[0]["value"] == pytest.approx(647193.2249407601e6)


@pytest.mark.integration
def test_real_bilateral_migration_moldova_russia(real):
    """221,965 is the cell at row 'Russian Federation' (origin, down) x column 'Moldova'
    (destination, across): Russia-born people in Moldova. Moldova-born people in Russia are
    294,522. The file's own totals confirm the orientation (World row under the United States
    column = 47.5 million immigrants; World column beside India = 16.4 million emigrants), and the
    remittance matrix agrees: Russia→Moldova remittances (532.97 million) follow the 294,522
    Moldovans in Russia.
    """
    folder, _, _, store, _ = real
    path = folder / MIG_NAME
    cell = _cell(path, "Bilateral_Migration_2017", "Russian Federation", "Moldova", 1)
    assert cell == 221965.0
    t = observations(
        store, "migrant_stock", "MDA", partner="RUS", year=2017, source="wb_bilateral_migration"
    ).to_pylist()
    assert t[0]["value"] == 221965.0 and t[0]["unit"] == "persons"
    t = observations(
        store, "migrant_stock", "RUS", partner="MDA", year=2017, source="wb_bilateral_migration"
    ).to_pylist()
    assert t[0]["value"] == 294522.0
    usa = observations(
        store, "migrant_stock", "USA", partner="world", source="wb_bilateral_migration"
    )
    assert usa.to_pylist()[0]["value"] > 40e6


# --- the next wave of real files (../shared/data-next) ------------------------------------------

SHARED_NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next" / "knomad_bilateral"
DEC_2023 = SHARED_NEXT / "inward_remittance_flows_december_2023_1.xlsx"


@pytest.mark.integration
def test_real_inflows_december_2023_edition_and_estimate():
    if not DEC_2023.is_file():
        pytest.skip(f"{DEC_2023} not present: needs the KNOMAD December 2023 inflows file")
    match, pf = _parse(DEC_2023)
    assert match.source.id == "knomad_remittance_flows"
    assert (pf.edition, pf.edition_order) == ("2023-12", "2023-12")
    rows = _rows(pf)
    ind = "remittances_inflow_knomad_usd"
    for year, header in ((2022, 2022.0), (2023, "2023e")):
        cell = _cell(DEC_2023, "Inward remittance flows", "Moldova", header, 0)
        assert rows[(ind, "MDA", "", year)]["value"] == pytest.approx(cell * 1e6, rel=1e-12)
    assert round(rows[(ind, "MDA", "", 2022)]["value"] / 1e6, 2) == 2037.35
    estimate = rows[(ind, "MDA", "", 2023)]
    assert round(estimate["value"] / 1e6, 1) == 2030.0
    assert estimate["note"] == "estimate (2023e)" and rows[(ind, "MDA", "", 2022)]["note"] == ""
    assert "estimates: 2023e" in pf.note and "% of GDP in 2023" in pf.note


def test_download_list_has_the_june_2024_flows():
    by_name = {d.filename: d for d in KnomadRemittanceFlows.downloads}
    for name in (
        "inward-remittance-flows-brief-40-june-2024_1.xlsx",
        "outward-remittance-flows-brief-40-june-2024_0.xlsx",
    ):
        download = by_name[name]
        assert download.url == "https://www.knomad.org/sites/default/files/2024-06/" + name
        assert download.edition == "2024-06"
        assert KnomadRemittanceFlows().claims_name(Path(name))
