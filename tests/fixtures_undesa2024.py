"""Builders of the UN DESA International Migrant Stock 2024 layouts, with invented values.

- `undesa_origin_totals_2024`: 'International Migrant Stock 2024: Origin' (totals by origin,
  the emigrants of each area), as the official workbook lays it out: titles in column F rows
  2-6, sex super-headers on row 8, 'Migrant notes' over column C on row 10, header row 11
  'Index | Region, development group, country or area | Coverage | (blank) | Location code |
  1990 ... 2024' x 3 (the data-type column D has no header), data from row 12; Table 2 the
  female share; a 'Migrant notes' sheet.
- `undesa_origin_stacked_2024`: 'International Migrant Stock 2024: Destination and origin':
  the stacked Table 1 of 2020 with the 2024 columns (A index, B destination, C coverage, D data
  type, E destination code, F origin, G origin code, H-O / P-W / X-AE the years by sex), and
  Tables 2-9, one regional cross-tab per estimate year (destination regions down, origin
  regions across). The official cross-tabs were not available to copy: their layout here is a
  plausible one, and the parser does not depend on it (it leaves them out).
- `gdidata_undesa_stocks_csv`: IOM GMDAC's gdidata extract `undesa_stocks` as CSV
  (`geo,t,from,sex,n,type_b,type_c,type_r,type_i`, LF endings, sorted by destination, year,
  origin and sex).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import openpyxl

from fixtures import _cells, _contents, _put_row, _put_stacked, _target

YEARS_2024 = [1990, 1995, 2000, 2005, 2010, 2015, 2020, 2024]
ORIGIN_TOTALS_FILE = "undesa_pd_2024_ims_stock_by_sex_and_origin.xlsx"
STACKED_2024_FILE = "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx"
CITATION = (
    "Suggested citation: United Nations Department of Economic and Social Affairs, Population "
    "Division ({e}). International Migrant Stock {e}."
)
COPYRIGHT = (
    "Copyright © {e} by United Nations, made available under a Creative Commons license CC BY "
    "3.0 IGO: http://creativecommons.org/licenses/by/3.0/igo/"
)

# (name as printed, coverage note, data type, M49 code, both sexes[8], males[8], females[8])
ORIGIN_TOTALS_ROWS: tuple = (
    ("World", "", "", 900, [9000, 9100, 9200, 9300, 9400, 9500, 9700, 9900],
     [4500, 4550, 4600, 4650, 4700, 4750, 4850, 4950],
     [4500, 4550, 4600, 4650, 4700, 4750, 4850, 4950]),
    ("Europe and Northern America", "", "", 1829, [3000] * 8, [1400] * 8, [1600] * 8),
    ("Australia/New Zealand", "", "", 1836, [70] * 8, [30] * 8, [40] * 8),
    ("More developed regions", "", "", 901, [2500] * 8, [1200] * 8, [1300] * 8),
    ("EUROPE", "", "", 908, [2600] * 8, [1250] * 8, [1350] * 8),
    ("Eastern Europe", "", "", 923, [2000] * 8, [950] * 8, [1050] * 8),
    ("Republic of Moldova*", 23.0, "B R", 498,
     [600, 640, 680, 720, 760, 790, 810, 860], [260, 280, 300, 320, 340, 350, 360, 380],
     [340, 360, 380, 400, 420, 440, 450, 480]),
    ("Russian Federation", "", "B", 643, [1100] * 8, [500] * 8, [600] * 8),
    ("Ukraine*", 31.0, "B", 804, [None, 900, 910, 920, 930, 940, 950, 990],
     [None, 400, 405, 410, 415, 420, 425, 445], [None, 500, 505, 510, 515, 520, 525, 545]),
    ("Channel Islands*", 8.0, "B", 830, [3] * 8, [1] * 8, [2] * 8),
    ("OCEANIA", "", "", 909, [90] * 8, [40] * 8, [50] * 8),
    ("Australia/New Zealand", "", "", 927, [70] * 8, [30] * 8, [40] * 8),
    ("OTHER", "", "", 2003, [120] * 8, [60] * 8, [60] * 8),
)  # fmt: skip


def _titles(ws, edition: int, kind: str, table_title: str, column: int) -> None:
    """Rows 2-6 of a 2024 table sheet: dataset, table title, Rev line, citation, copyright."""
    ws.cell(row=2, column=column, value=f"International Migrant Stock {edition}: {kind}")
    ws.cell(row=3, column=column, value=table_title)
    ws.cell(row=4, column=column, value=f"POP/DB/MIG/Stock/Rev.{edition}")
    ws.cell(row=5, column=column, value=CITATION.format(e=edition))
    ws.cell(row=6, column=column, value=COPYRIGHT.format(e=edition))


def _notes_sheet(wb, edition: int, kind: str) -> None:
    notes = wb.create_sheet("Migrant notes")
    notes.cell(row=2, column=5, value=f"International Migrant Stock {edition}: {kind}")
    notes.cell(row=3, column=5, value="Notes")
    notes.cell(row=4, column=5, value=f"POP/DB/MIG/Stock/Rev.{edition}")
    _put_row(notes, 11, ["", "Notes: these notes pertain to the total migrants in Table 1 and 2."])
    _put_row(notes, 12, ["", "Years given refer to 1 July."])


def undesa_origin_totals_2024(
    path: Path,
    rows: Sequence = ORIGIN_TOTALS_ROWS,
    edition: int = 2024,
    extra_column: bool = False,
) -> Path:
    """UN DESA IMS 2024 totals by origin. `extra_column`: one more (blank-headed) column
    before the years, to show the columns are found by their header cells."""
    target = _target(path, ORIGIN_TOTALS_FILE.replace("2024", str(edition)))
    span = f"1990-{edition}"
    years = [*YEARS_2024[:-1], edition]
    t1_title = (
        "International migrant stock at mid-year by sex and by region, country or area of "
        f"origin, {span}"
    )
    t2_title = (
        "Female migrants as a percentage of the international migrant stock by region, "
        f"country or area of origin, {span}"
    )
    wb = openpyxl.Workbook()
    _contents(wb, edition, "Origin", [t1_title, t2_title])
    first = 7 if extra_column else 6  # first year column (F in the official file)
    header = ["Index", "Region, development group, country or area", "Coverage", "",
              "Location code", *([""] if extra_column else [])]  # fmt: skip
    t1 = wb.create_sheet("Table 1")
    _titles(t1, edition, "Origin", f"Table 1: {t1_title}", column=6)
    for k, label in enumerate(("both sexes combined\n", "males", "females")):
        t1.cell(
            row=8, column=first + 8 * k, value=f"International migrant stock at mid-year, {label}"
        )
    t1.cell(row=10, column=3, value="Migrant notes")
    _put_row(t1, 11, header + years * 3)
    t2 = wb.create_sheet("Table 2")
    _titles(t2, edition, "Origin", f"Table 2: {t2_title}", column=6)
    t2.cell(
        row=8,
        column=first,
        value="Female migrants as a percentage of the international migrant stock",
    )
    t2.cell(row=10, column=3, value="Migrant notes")
    _put_row(t2, 11, header + years)
    for i, (name, coverage, kind, code, both, male, female) in enumerate(rows):
        ident = [float(i + 1), name, coverage, kind, float(code), *([""] if extra_column else [])]
        _put_row(t1, 12 + i, [*ident, *_cells(both), *_cells(male), *_cells(female)])
        share = [_share(f, b) for b, f in zip(both, female, strict=True)]
        _put_row(t2, 12 + i, [*ident, *_cells(share)])
    _notes_sheet(wb, edition, "Origin")
    wb.save(target)
    return target


def _share(female, both):
    """Table 2's female percentage (a text cell, kept as it is for a bad-cell test)."""
    if isinstance(female, (int, float)) and isinstance(both, (int, float)) and both:
        return round(100 * female / both, 6)
    return None


# (destination, coverage, data type, code, origin, origin code, both[8], males[8], females[8])
STACKED_2024_ROWS: tuple = (
    ("World", "", "", 900, "World", 900, [9000, 9100, 9200, 9300, 9400, 9500, 9700, 9900],
     [4500, 4550, 4600, 4650, 4700, 4750, 4850, 4950],
     [4500, 4550, 4600, 4650, 4700, 4750, 4850, 4950]),
    ("World", "", "", 900, "Republic of Moldova*", 498, [600, 640, 680, 720, 760, 790, 810, 860],
     [260, 280, 300, 320, 340, 350, 360, 380], [340, 360, 380, 400, 420, 440, 450, 480]),
    ("World", "", "", 900, "OTHER", 2003, [120] * 8, [60] * 8, [60] * 8),
    ("Eastern Europe", "", "", 923, "Republic of Moldova*", 498, [350] * 8, [170] * 8,
     [180] * 8),
    ("Eastern Europe", "", "", 923, "Eastern Europe", 923, [1500] * 8, [700] * 8, [800] * 8),
    ("Republic of Moldova*", 23.0, "B R", 498, "World", 900, [150] * 8, [70] * 8, [80] * 8),
    ("Republic of Moldova*", 23.0, "B R", 498, "Ukraine*", 804, [40] * 8, [18] * 8, [22] * 8),
    ("Italy", "", "B", 380, "Republic of Moldova*", 498, [None, None, 50, 80, 110, 140, 170, 219],
     [None, None, 15, 25, 35, 45, 55, 73], [None, None, 35, 55, 75, 95, 115, 146]),
    ("Russian Federation", "", "B", 643, "Republic of Moldova*", 498,
     [300, 310, 320, 330, 340, 350, 360, 166], [160, 165, 170, 175, 180, 185, 190, 88],
     [140, 145, 150, 155, 160, 165, 170, 78]),
    ("Russian Federation", "", "B", 643, "OTHER", 2003, [20] * 8, [10] * 8, [10] * 8),
)  # fmt: skip
CROSS_TAB_REGIONS = ("World", "Eastern Europe", "Northern Europe")


def undesa_origin_stacked_2024(
    path: Path, rows: Sequence = STACKED_2024_ROWS, edition: int = 2024, cross_tabs: bool = True
) -> Path:
    """UN DESA IMS 2024 destination x origin: stacked Table 1, and (`cross_tabs`) Tables 2-9,
    one cross-tab of regions per estimate year whose cells disagree with Table 1 on purpose:
    a parser that read them would store a conflicting duplicate."""
    target = _target(path, STACKED_2024_FILE.replace("2024", str(edition)))
    years = [*YEARS_2024[:-1], edition]
    t1_title = (
        "International migrant stock at mid-year by sex and by region, country or area of "
        f"destination and origin, 1990-{edition}"
    )
    cross = [
        f"International migrant stock at mid-year by region of destination and region of "
        f"origin, {year}"
        for year in years
    ]
    wb = openpyxl.Workbook()
    kind = "Destination and origin"
    _contents(wb, edition, kind, [t1_title, *(cross if cross_tabs else [])])
    ws = wb.create_sheet("Table 1")
    _titles(ws, edition, kind, f"Table 1: {t1_title}", column=6)
    for k, label in enumerate(("both sexes combined", "males", "females")):
        ws.cell(row=8, column=8 + 8 * k, value=f"International migrant stock at mid-year, {label}")
    ws.cell(row=10, column=3, value="Migrant notes")
    header = [
        "Index",
        "Region, development group, country or area of destination",
        "Coverage",
        "Data type",
        "Location code of destination",
        "Region, development group, country or area of origin",
        "Location code of origin",
    ]
    _put_stacked(ws, header + years * 3, rows, codes=(3, 5))  # (name, coverage, type, code, ...)
    if cross_tabs:
        for n, (title, year) in enumerate(zip(cross, years, strict=True), 2):
            tab = wb.create_sheet(f"Table {n}")
            _titles(tab, edition, kind, f"Table {n}: {title}", column=5)
            tab.cell(row=9, column=3, value="Region of origin")
            _put_row(tab, 11, ["", "Region of destination", *CROSS_TAB_REGIONS])
            for i, name in enumerate(CROSS_TAB_REGIONS):
                cells = [1_000_000.0 + year + 10 * i + j for j in range(len(CROSS_TAB_REGIONS))]
                _put_row(tab, 12 + i, [float(i + 1), name, *cells])
    _notes_sheet(wb, edition, kind)
    wb.save(target)
    return target


GDIDATA_HEADER = "geo,t,from,sex,n,type_b,type_c,type_r,type_i"
GDIDATA_FILE = "gdidata_undesa_stocks_2024.csv"
# (destination ISO3, year, origin code, female, male, type flags B C R I); invented values.
GDIDATA_PAIRS: tuple = (
    ("DEU", 2020, "MDA", 9000, 7000, "1000"),
    ("DEU", 2024, "MDA", 9500, 7400, "1000"),
    ("DEU", 2024, "OOO", 300, 200, "1010"),
    ("ITA", 2020, "MDA", 140000, 70000, "1010"),
    ("ITA", 2024, "MDA", 145668, 72926, "1010"),
    ("ITA", 2024, "XCX", 0, 1, "1010"),
    ("MDA", 2024, "UKR", 30000, 25000, "1000"),
    ("RUS", 2024, "MDA", 77791, 88396, "0110"),
    ("UKR", 2024, "MDA", 83343, 70941, "1000"),
    ("ZWE", 2024, "ZMB", 14151, 18529, "0001"),
)


def gdidata_lines(pairs: Sequence = GDIDATA_PAIRS) -> list[str]:
    """The extract's data lines for `pairs`, female then male, in the file's sort order."""
    lines = []
    for geo, year, origin, female, male, flags in sorted(pairs):
        for sex, n in (("female", female), ("male", male)):
            lines.append(f"{geo},{year},{origin},{sex},{n},{','.join(flags)}")
    return lines


def gdidata_undesa_stocks_csv(path: Path, lines: Sequence[str] | None = None) -> Path:
    """The gdidata `undesa_stocks` CSV (header, then `lines`, LF endings, final newline)."""
    target = _target(path, GDIDATA_FILE)
    body = gdidata_lines() if lines is None else list(lines)
    target.write_text("\n".join([GDIDATA_HEADER, *body]) + "\n", encoding="utf-8")
    return target
