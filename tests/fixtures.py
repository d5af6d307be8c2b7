"""Builders of small publisher files in the publishers' exact layouts, with made-up values.

Each builder is a pure function: it takes a path (a file path, or a directory in which the
publisher's own file name is used), writes one file (or a set of files) and returns the path
written. Layouts (row positions of titles, header texts, merged super-headers, `..` markers,
footnote marks, notes columns) copy the official UN DESA and World Bank files; every number is
invented and small, so that tests can assert exact values.
"""

from __future__ import annotations

import csv
import datetime as dt
import gettext
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import openpyxl
import pytest
import xlwt


class MarkedCatalog(gettext.NullTranslations):
    """A fake translation that wraps every message as ⟦message⟧ (placeholders kept, so they are
    still filled): a word that skipped ``_()`` shows up unwrapped."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return f"⟦{msgid1 if n == 1 else msgid2}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return f"⟦{msgid1 if n == 1 else msgid2}⟧"


# --- header rows of the CSV exports (as the publishers write them) ------------------------
# IDMC GIDD displacement export
IDMC_HEADER = [
    "ISO3",
    "Name",
    "Year",
    "Conflict Stock Displacement",
    "Conflict Stock Displacement (Raw)",
    "Conflict Internal Displacements",
    "Conflict Internal Displacements (Raw)",
    "Disaster Internal Displacements",
    "Disaster Internal Displacements (Raw)",
    "Disaster Stock Displacement",
    "Disaster Stock Displacement (Raw)",
]

# World Bank DataBank export of Remittance Prices Worldwide (then one column per quarter)
DATABANK_ID_COLUMNS = [
    "Sending Countries Name",
    "Sending Countries Code",
    "Series Name",
    "Series Code",
    "Receiving Countries  Name",
    "Receiving Countries  Code",
]


# --- shared helpers ----------------------------------------------------------------------------


def _target(path: Path, default_name: str) -> Path:
    path = Path(path)
    if path.is_dir():
        path = path / default_name
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _put_row(ws, row: int, values: Sequence, start_col: int = 1) -> None:
    """Write values into one openpyxl row (1-based row and column, like Excel)."""
    for j, value in enumerate(values):
        if value is not None and value != "":
            ws.cell(row=row, column=start_col + j, value=value)


def _cells(values: Sequence) -> list:
    """None in a value list is the publisher's `..` marker."""
    return [".." if v is None else v for v in values]


def _put_stacked(ws, header: Sequence, rows: Sequence, codes: tuple[int, int]) -> None:
    """A stacked destination x origin Table 1 from row 11: the header, then one row per pair
    (six label cells, then its values by sex), numbered from 1; the label cells at `codes`
    (the two location codes) are written as numbers, as the workbooks hold them."""
    _put_row(ws, 11, header)
    for i, row in enumerate(rows):
        labels = [float(c) if j in codes else c for j, c in enumerate(row[:6])]
        values = [v for block in row[6:] for v in _cells(block)]
        _put_row(ws, 12 + i, [float(i + 1), *labels, *values])


def _contents(wb, edition: int, kind: str, tables: Sequence[str]) -> None:
    """The 'Table of contents' sheet of a UN DESA IMS workbook: titles in column J, the list of
    tables from row 11."""
    toc = wb.active
    toc.title = "Table of contents"
    toc.cell(row=2, column=10, value=f"International Migrant Stock {edition}: {kind}")
    toc.cell(row=3, column=10, value="Table of contents")
    toc.cell(row=4, column=10, value=f"POP/DB/MIG/Stock/Rev.{edition}")
    _put_row(toc, 11, ["", "Table number", "Title"])
    for n, title in enumerate(tables, 1):
        _put_row(toc, 11 + n, ["", f"   Table {n}", title])


def dest_years(edition: int) -> list[int]:
    """The seven estimate years of a UN DESA totals workbook of that edition."""
    return [1990, 1995, 2000, 2005, 2010, 2015, edition]


# --- UN DESA: totals by destination, 2020 (and 2024) layout -------------------------------------

# (name as printed, notes, M49 location code, type of data, both sexes, males, females)
# Seven values each (1990 ... edition); None = '..'. All values invented.
DEST_2020_ROWS: tuple = (
    ("WORLD", "", 900, "", [9000, 9100, 9200, 9300, 9400, 9500, 9600],
     [4500, 4550, 4600, 4650, 4700, 4750, 4800], [4500, 4550, 4600, 4650, 4700, 4750, 4800]),
    ("  Less developed regions, excluding China", "", 948, "",
     [5000, 5010, 5020, 5030, 5040, 5050, 5060], [2600, 2605, 2610, 2615, 2620, 2625, 2630],
     [2400, 2405, 2410, 2415, 2420, 2425, 2430]),
    ("  Eastern Europe", "", 923, "", [2000, 2010, 2020, 2030, 2040, 2050, 2060],
     [900, 905, 910, 915, 920, 925, 930], [1100, 1105, 1110, 1115, 1120, 1125, 1130]),
    ("   Republic of Moldova*", "", 498, "B", [700, 650, 600, 550, 500, 450, 400],
     [300, 280, 260, 240, 220, 200, 180], [400, 370, 340, 310, 280, 250, 220]),
    ("   Russian Federation", "", 643, "B", [1000, 1010, 1020, 1030, 1040, 1050, 1060],
     [480, 485, 490, 495, 500, 505, 510], [520, 525, 530, 535, 540, 545, 550]),
    ("   Ukraine*", 7, 804, "B", [300, 310, 320, 330, 340, 350, 360],
     [140, 145, 150, 155, 160, 165, 170], [160, 165, 170, 175, 180, 185, 190]),
    ("   Montenegro", "", 499, "B", [None, None, 80, 81, 82, 83, 84],
     [None, None, 40, 40, 41, 41, 42], [None, None, 40, 41, 41, 42, 42]),
)  # fmt: skip

# Table 3 (% of population) and Table 4 (female %): same rows, one value list per sex.
PCT_2020 = {
    900: ([2.5, 2.6, 2.7, 2.8, 2.9, 3.0, 3.1], [2.4] * 7, [2.6] * 7),
    948: ([1.5] * 7, [1.6] * 7, [1.4] * 7),
    923: ([7.0] * 7, [6.5] * 7, [7.5] * 7),
    498: ([15.25, 14.0, 13.0, 12.0, 11.0, 10.0, 9.75], [14.5] * 7, [16.0] * 7),
    643: ([8.0] * 7, [7.5] * 7, [8.5] * 7),
    804: ([6.0] * 7, [5.5] * 7, [6.5] * 7),
    499: ([None, None, 12.0, 12.1, 12.2, 12.3, 12.4], [None, None, 11.0, 11, 11, 11, 11],
          [None, None, 13.0, 13, 13, 13, 13]),
}  # fmt: skip
FEMALE_PCT_2020 = {
    900: [50.0, 49.9, 49.8, 49.7, 49.6, 49.5, 49.4],
    948: [48.0] * 7,
    923: [55.0] * 7,
    498: [57.1, 56.9, 56.7, 56.4, 56.0, 55.6, 55.0],
    643: [52.0] * 7,
    804: [53.3] * 7,
    499: [None, None, 50.0, 50.6, 50.0, 50.6, 50.0],
}

DEST_2020_FILE = "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"


def _undesa_2020_titles(ws, edition: int, table_title: str) -> None:
    """Rows 2-6, column E, as in the 2020 workbook (row 1 blank)."""
    ws.cell(row=2, column=5, value=f"International Migrant Stock {edition}: Destination")
    ws.cell(row=3, column=5, value=table_title)
    ws.cell(row=4, column=5, value=f"POP/DB/MIG/Stock/Rev.{edition}")
    ws.cell(
        row=5,
        column=5,
        value="Suggested citation: United Nations Department of Economic and Social Affairs, "
        f"Population Division ({edition}). International Migrant Stock {edition}.",
    )
    ws.cell(
        row=6,
        column=5,
        value=f"Copyright © {edition} by United Nations, made available under a Creative "
        "Commons license CC BY 3.0 IGO: http://creativecommons.org/licenses/by/3.0/igo/",
    )


def _undesa_2020_table(ws, edition, title, super_labels, rows) -> None:
    """Super-headers merged over rows 8-10, header row 11, data from row 12 (index in col A)."""
    years = dest_years(edition)
    _undesa_2020_titles(ws, edition, title)
    ws.merge_cells(start_row=8, start_column=1, end_row=10, end_column=1)
    for k, label in enumerate(super_labels):
        first = 6 + 7 * k
        ws.cell(row=8, column=first, value=label)
        ws.merge_cells(start_row=8, start_column=first, end_row=10, end_column=first + 6)
    header = [
        "",
        "Region, development group, country or area",
        "Notes",
        "Location code",
        "Type of data",
    ]
    _put_row(ws, 11, header + years * len(super_labels))
    for i, (name, notes, code, kind, *blocks) in enumerate(rows):
        values = [v for block in blocks for v in _cells(block)]
        _put_row(ws, 12 + i, [float(i + 1), name, notes, float(code), kind, *values])


def undesa_destination_2020(
    path: Path, countries: Sequence = DEST_2020_ROWS, edition: int = 2020
) -> Path:
    """UN DESA International Migrant Stock 2020 (or 2024): totals by destination.

    Sheets 'Table of contents', 'Table 1' (stock by sex), 'Table 3' (% of population by sex),
    'Table 4' (female % of migrants, one block) and 'Notes'. `countries` rows:
    (name, notes, code, type of data, both sexes[7], males[7], females[7]).
    """
    target = _target(path, DEST_2020_FILE.replace("2020", str(edition)))
    wb = openpyxl.Workbook()
    t1_title = (
        "International migrant stock at mid-year by sex and by region, country or area of "
        f"destination, 1990-{edition}"
    )
    _contents(wb, edition, "Destination", [t1_title])
    span = f"1990-{edition}"
    t1 = wb.create_sheet("Table 1")
    _undesa_2020_table(
        t1,
        edition,
        "Table 1: International migrant stock at mid-year by sex and by region, country or "
        f"area of destination, {span}",
        [
            "International migrant stock at mid-year, both sexes combined",
            "International migrant stock at mid-year, males",
            "International migrant stock at mid-year, females",
        ],
        countries,
    )
    t3 = wb.create_sheet("Table 3")
    pct_rows = [
        (name, notes, code, kind, *PCT_2020.get(code, ([1.0] * 7,) * 3))
        for name, notes, code, kind, *_ in countries
    ]
    _undesa_2020_table(
        t3,
        edition,
        "Table 3: International migrant stock as a percentage of the total population by sex "
        f"and by region, country or area of destination, {span}",
        [
            "International migrant stock as a percentage of the total population, "
            "both sexes combined",
            "International migrant stock as a percentage of the total population, males",
            "International migrant stock as a percentage of the total population, females",
        ],
        pct_rows,
    )
    t4 = wb.create_sheet("Table 4")
    female_rows = [
        (name, notes, code, kind, FEMALE_PCT_2020.get(code, [50.0] * 7))
        for name, notes, code, kind, *_ in countries
    ]
    _undesa_2020_table(
        t4,
        edition,
        "Table 4: Female migrants as a percentage of the international migrant stock by "
        f"region, country or area of destination, {span}",
        ["Female migrants as a percentage of the international migrant stock"],
        female_rows,
    )
    notes = wb.create_sheet("Notes")
    notes.cell(row=2, column=10, value=f"International Migrant Stock {edition}: Destination")
    notes.cell(row=3, column=10, value="Notes")
    notes.cell(row=4, column=10, value=f"POP/DB/MIG/Stock/Rev.{edition}")
    _put_row(notes, 11, ["", "Notes"])
    _put_row(notes, 12, ["", "* For country notes, please refer to Notes"])
    _put_row(notes, 13, ["", "(7) Made-up note for the test fixture."])
    wb.save(target)
    return target


# --- UN DESA: totals by destination, 2019 layout -----------------------------------------------

# (sort order, name, notes, code, type of data, both[7], male[7], female[7]); '' code = heading
DEST_2019_ROWS: tuple = (
    ("WORLD", "", 900, "", [8000, 8100, 8200, 8300, 8400, 8500, 8600],
     [4000, 4050, 4100, 4150, 4200, 4250, 4300], [4000, 4050, 4100, 4150, 4200, 4250, 4300]),
    ("UN development groups", "", "", "", [None] * 7, [None] * 7, [None] * 7),
    ("More developed regions", "b", 901, "", [3000] * 7, [1400] * 7, [1600] * 7),
    ("Less developed regions", "c", 902, "", [5000] * 7, [2600] * 7, [2400] * 7),
    ("Geographic regions", "", "", "", [None] * 7, [None] * 7, [None] * 7),
    ("Europe", "", 908, "", [2500] * 7, [1200] * 7, [1300] * 7),
    ("Northern America", "", 905, "", [1700] * 7, [800] * 7, [900] * 7),
    ("Sustainable Development Goal (SDG) regions", "f", "", "", [None] * 7, [None] * 7,
     [None] * 7),
    ("NORTHERN AMERICA", "", 918, "", [1700] * 7, [800] * 7, [900] * 7),
    ("Eastern Europe", "", 923, "", [1900, 1910, 1920, 1930, 1940, 1950, 1960], [900] * 7,
     [1000, 1010, 1020, 1030, 1040, 1050, 1060]),
    ("Republic of Moldova", 18.0, 498, "B", [610, 560, 510, 460, 410, 360, 310],
     [260, 240, 220, 200, 180, 160, 140], [350, 320, 290, 260, 230, 200, 170]),
    ("Russian Federation", "", 643, "B", [990, 995, 1000, 1005, 1010, 1015, 1020],
     [470, 472, 474, 476, 478, 480, 482], [520, 523, 526, 529, 532, 535, 538]),
    ("Ukraine", 19.0, 804, "B", [290] * 7, [None] * 7, [None] * 7),
)  # fmt: skip

DEST_2019_FILE = "undesa_pd_2019_migrant_stock_total_dataset.xlsx"


def _undesa_2019_table(ws, title: str, super_labels: list[str], rows) -> None:
    years = dest_years(2019)
    ws.cell(row=5, column=5, value="United Nations")
    ws.cell(row=6, column=5, value="Population Division")
    ws.cell(row=7, column=5, value="Department of Economic and Social Affairs")
    ws.cell(row=9, column=5, value="Workbook: UN_MigrantStockTotal_2019.xlsx")
    ws.cell(row=10, column=5, value=title)
    ws.cell(
        row=12,
        column=5,
        value="Copyright © 2019 by United Nations, made available under a Creative Commons "
        "license CC BY 3.0 IGO: http://creativecommons.org/licenses/by/3.0/igo/",
    )
    ws.cell(
        row=13,
        column=5,
        value="Suggested citation: United Nations, Department of Economic and Social Affairs. "
        "Population Division (2019). International Migrant Stock 2019 (United Nations "
        "database, POP/DB/MIG/Stock/Rev.2019).",
    )
    header = [
        "Sort\norder",
        "Major area, region, country or area of destination",
        "Notes",
        "Code",
        "Type of data (a)",
    ]
    _put_row(ws, 15, header)
    for c in range(1, 6):
        ws.merge_cells(start_row=15, start_column=c, end_row=16, end_column=c)
    for k, label in enumerate(super_labels):
        first = 6 + 7 * k
        ws.cell(row=15, column=first, value=label)
        if len(super_labels) > 1:
            ws.merge_cells(start_row=15, start_column=first, end_row=15, end_column=first + 6)
    _put_row(ws, 16, [float(y) for y in years] * len(super_labels), start_col=6)
    for i, (name, notes, code, kind, *blocks) in enumerate(rows):
        values = [v for block in blocks for v in _cells(block)]
        _put_row(
            ws,
            17 + i,
            [float(i + 1), name, notes, float(code) if code != "" else "", kind, *values],
        )


def undesa_destination_2019(path: Path, countries: Sequence = DEST_2019_ROWS) -> Path:
    """UN DESA International Migrant Stock 2019 (UN_MigrantStockTotal_2019.xlsx layout).

    Title on row 10, header on row 15 with the sex super-labels in the same row, years on
    row 16, heading rows ('UN development groups') without a code and `..` throughout,
    footnote letters in the Notes column.
    """
    target = _target(path, DEST_2019_FILE)
    wb = openpyxl.Workbook()
    contents = wb.active
    contents.title = "CONTENTS"
    contents.cell(row=5, column=1, value="United Nations")
    contents.cell(row=9, column=1, value="Workbook: UN_MigrantStockTotal_2019.xlsx")
    contents.cell(row=10, column=1, value="TABLE OF CONTENTS")
    contents.cell(
        row=14,
        column=1,
        value="International Migrant Stock 2019 (United Nations database, "
        "POP/DB/MIG/Stock/Rev.2019).",
    )
    _put_row(contents, 16, ["TABLE", "TITLE"])
    _undesa_2019_table(
        wb.create_sheet("Table 1"),
        "Table 1 -  International migrant stock at mid-year by sex and by major area, region, "
        "country or area, 1990-2019",
        [
            "International migrant stock at mid-year (both sexes)",
            "International migrant stock at mid-year (male)",
            "International migrant stock at mid-year (female)",
        ],
        countries,
    )
    _undesa_2019_table(
        wb.create_sheet("Table 3"),
        "Table 3 - International migrant stock as a percentage of the total population by sex "
        "and by major area, region, country or area, 1990-2019",
        [
            "International migrant stock as a percentage of the total population (both sexes)",
            "International migrant stock as a percentage of the total population (male)",
            "International migrant stock as a percentage of the total population (female)",
        ],
        [
            (name, notes, code, kind, *([None] * 7 if code == "" else [4.5] * 7 for _ in "mft"))
            for name, notes, code, kind, *_ in countries
        ],
    )
    _undesa_2019_table(
        wb.create_sheet("Table 4"),
        "Table 4 - Female migrants as a percentage of the international migrant stock by major "
        "area, region, country or area, 1990-2019",
        ["Female migrants as a percentage of the international migrant stock"],
        [
            (name, notes, code, kind, [None] * 7 if code == "" else [51.5] * 7)
            for name, notes, code, kind, *_ in countries
        ],
    )
    wb.create_sheet("ANNEX").cell(row=1, column=1, value="Classification of countries")
    wb.create_sheet("NOTES").cell(row=1, column=1, value="NOTES")
    wb.save(target)
    return target


# --- UN DESA: destination x origin, 2015 matrix layout -----------------------------------------

ORIGIN_2015_FILE = "UN_MigrantStockByOriginAndDestination_2015.xlsx"
MATRIX_ORIGINS = ("Republic of Moldova", "Russian Federation", "Ukraine", "Côte d'Ivoire")
# destination → (name, notes, code, type of data, [Total, Other North, Other South, *origins])
# Countries leave blank (None) where there are no migrants; regions print 0.
MATRIX_2015_ROWS: tuple = (
    ("WORLD", "", 900, "", [5000, 40, 60, 1200, 900, 800, 300]),
    ("Developed regions", "(b)", 901, "", [3000, 30, 20, 700, 500, 300, 100]),
    ("Eastern Europe", "", 923, "", [2000, 5, 7, 500, 400, 450, 0]),
    ("Republic of Moldova", "(13)", 498, "B", [150, 4, 1, None, 60, 70, None]),
    ("Russian Federation", "", 643, "B", [1600, 1, 6, 450, None, 380, 2]),
    ("Ukraine", "", 804, "B", [250, None, None, 50, 340, None, None]),
    ("Côte d'Ivoire", "", 384, "C B", [2100, 3, 41, None, None, None, None]),
    ("Italy", "", 380, "B", [900, 7, 9, 150, 8, 200, 60]),
)
SEX_WORD = {"total": "Total", "male": "Male", "female": "Female"}
SEX_FACTOR = {"total": 1.0, "male": 0.4, "female": 0.6}


def matrix_value(base: float | None, year: int, sex: str) -> float | None:
    """The value a 2015-layout table holds for a base (2015, total) value."""
    if base is None:
        return None
    return round(base * SEX_FACTOR[sex] * (1 + (2015 - year) / 100), 1)


def undesa_origin_2015(
    path: Path, tables: Sequence[tuple[int, str]] = ((2015, "total"),), rows=MATRIX_2015_ROWS
) -> Path:
    """The 2015 'Trends in International Migrant Stock: Migrants by Destination and Origin'.

    One sheet 'Table N' per (year, sex): title row 10 names sex and year, header row 15
    ('Country code', 'Country of origin'), origin names on row 16 ('Total', 'Other North',
    'Other South', countries), data from row 17.
    """
    target = _target(path, ORIGIN_2015_FILE)
    wb = openpyxl.Workbook()
    contents = wb.active
    contents.title = "CONTENTS"
    contents.cell(row=1, column=3, value="v25.01.15")
    contents.cell(row=5, column=1, value="United Nations")
    contents.cell(
        row=9,
        column=1,
        value="Trends in International Migrant Stock: Migrants by Destination and Origin",
    )
    contents.cell(row=10, column=1, value="TABLE OF CONTENTS")
    contents.cell(row=11, column=1, value="POP/DB/MIG/Stock/Rev.2015")
    _put_row(contents, 16, ["TABLE", "TITLE"])
    for n, (year, sex) in enumerate(tables, 1):
        title = (
            f"{SEX_WORD[sex]} migrant stock at mid-year by origin and by major area, region, "
            f"country or area of destination, {year}"
        )
        _put_row(contents, 16 + n, [f"Table {n}", title])
        ws = wb.create_sheet(f"Table {n}")
        ws.cell(row=5, column=5, value="United Nations")
        ws.cell(row=6, column=5, value="Population Division")
        ws.cell(row=7, column=5, value="Department of Economic and Social Affairs")
        ws.cell(
            row=9,
            column=5,
            value="Trends in International Migrant Stock: Migrants by Destination and Origin",
        )
        ws.cell(row=10, column=5, value=f"Table {n}. {title}")
        ws.cell(row=11, column=5, value="POP/DB/MIG/Stock/Rev.2015")
        ws.cell(
            row=12,
            column=5,
            value="December 2015 - Copyright © 2015 by United Nations. All rights reserved",
        )
        ws.cell(
            row=13,
            column=2,
            value="Suggested citation: United Nations, Department of Economic and Social "
            "Affairs (2015). Trends in International Migrant Stock: Migrants by Destination "
            "and Origin (United Nations database, POP/DB/MIG/Stock/Rev.2015).",
        )
        ws.merge_cells(start_row=13, start_column=2, end_row=13, end_column=10)
        _put_row(
            ws,
            15,
            [
                "Sort\norder",
                "Major area, region, country or area of destination",
                "Notes",
                "Country code",
                "Type of data (a)",
                "Country of origin",
            ],
        )
        for c in range(1, 6):
            ws.merge_cells(start_row=15, start_column=c, end_row=16, end_column=c)
        _put_row(ws, 16, ["Total", "Other North", "Other South", *MATRIX_ORIGINS], start_col=6)
        for i, (name, notes, code, kind, values) in enumerate(rows):
            cells = [matrix_value(v, year, sex) for v in values]
            _put_row(ws, 17 + i, [float(i + 1), name, notes, float(code), kind, *cells])
    wb.create_sheet("ANNEX").cell(row=1, column=1, value="Classification")
    wb.create_sheet("NOTES").cell(row=1, column=1, value="NOTES")
    wb.save(target)
    return target


# --- UN DESA: destination x origin, 2020/2024 stacked layout -----------------------------------

ORIGIN_STACKED_FILE = "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx"
# (destination name, notes, code, type of data, origin name, origin code, both[7], m[7], f[7])
STACKED_ROWS: tuple = (
    ("WORLD", "", 900, "", "WORLD", 900, [9000, 9100, 9200, 9300, 9400, 9500, 9600],
     [4500, 4550, 4600, 4650, 4700, 4750, 4800], [4500, 4550, 4600, 4650, 4700, 4750, 4800]),
    ("WORLD", "", 900, "", "Republic of Moldova", 498, [500, 520, 540, 560, 580, 600, 620],
     [240, 250, 260, 270, 280, 290, 300], [260, 270, 280, 290, 300, 310, 320]),
    ("WORLD", "", 900, "", "Ukraine", 804, [700] * 7, [300] * 7, [400] * 7),
    ("  Eastern Europe", "", 923, "", "Republic of Moldova", 498, [350] * 7, [170] * 7,
     [180] * 7),
    ("   Republic of Moldova*", "", 498, "B", "WORLD", 900, [150] * 7, [70] * 7, [80] * 7),
    ("   Republic of Moldova*", "", 498, "B", "Ukraine", 804, [40, 41, 42, 43, 44, 45, 46],
     [18, 18, 19, 19, 20, 20, 21], [22, 23, 23, 24, 24, 25, 25]),
    ("   Russian Federation", "", 643, "B", "WORLD", 900, [2000] * 7, [1000] * 7, [1000] * 7),
    ("   Russian Federation", "", 643, "B", "Republic of Moldova", 498,
     [300, 310, 320, 330, 340, 350, 360], [160, 165, 170, 175, 180, 185, 190],
     [140, 145, 150, 155, 160, 165, 170]),
    ("   Italy", "", 380, "B", "Republic of Moldova", 498, [None, None, 50, 80, 110, 140, 170],
     [None, None, 15, 25, 35, 45, 55], [None, None, 35, 55, 75, 95, 115]),
)  # fmt: skip


def undesa_origin_stacked(path: Path, edition: int = 2020, rows: Sequence = STACKED_ROWS) -> Path:
    """UN DESA 2020/2024 'destination and origin' workbook: one stacked Table 1.

    Titles in rows 2-6 (column E), sex super-headers on row 10, header row 11 (destination and
    origin names and location codes, years three times), one row per destination-origin pair.
    """
    target = _target(path, ORIGIN_STACKED_FILE.replace("2020", str(edition)))
    years = dest_years(edition)
    wb = openpyxl.Workbook()
    toc = wb.active
    toc.title = "Table of contents"
    toc.cell(
        row=2, column=10, value=f"International Migrant Stock {edition}: Destination and origin"
    )
    toc.cell(row=4, column=10, value=f"POP/DB/MIG/Stock/Rev.{edition}")
    ws = wb.create_sheet("Table 1")
    ws.cell(row=2, column=5, value=f"International Migrant Stock {edition}: Destination and origin")
    ws.cell(
        row=3,
        column=5,
        value="Table 1: International migrant stock at mid-year by sex and by region, country or "
        f"area of destination and origin, 1990-{edition}",
    )
    ws.cell(row=4, column=5, value=f"POP/DB/MIG/Stock/Rev.{edition}")
    ws.cell(
        row=5,
        column=5,
        value="Suggested citation: United Nations Department of Economic and Social Affairs, "
        f"Population Division ({edition}). International Migrant Stock {edition}.",
    )
    labels = [
        "International migrant stock at mid-year (both sexes)",
        "International migrant stock at mid-year (males)",
        "International migrant stock at mid-year (females)",
    ]
    for k, label in enumerate(labels):
        first = 8 + 7 * k
        ws.cell(row=10, column=first, value=label)
        ws.merge_cells(start_row=10, start_column=first, end_row=10, end_column=first + 6)
    header = [
        "Index",
        "Region, development group, country or area of destination",
        "Notes of destination",
        "Location code of destination",
        "Type of data of destination",
        "Region, development group, country or area of origin",
        "Location code of origin",
    ]
    _put_stacked(ws, header + years * 3, rows, codes=(2, 5))  # (name, notes, code, kind, ...)
    notes_ws = wb.create_sheet("Notes")
    notes_ws.cell(row=3, column=10, value="Notes")
    wb.save(target)
    return target


# --- World Bank WDI ----------------------------------------------------------------------------

REMIT_CODE = "BX.TRF.PWKR.CD.DT"
REMIT_NAME = "Personal remittances, received (current US$)"
WDI_YEARS = list(range(1960, 2023))
# (Country Name, Country Code, {year: value}); sorted by code as in the bulk files. Invented.
WDI_ROWS: tuple = (
    ("Armenia", "ARM", {2020: 1.1e9, 2021: 1.2e9, 2022: 1.3e9}),
    ("Europe & Central Asia", "ECS", {2020: 150e9, 2021: 160e9, 2022: 170e9}),
    ("Georgia", "GEO", {2021: 2.25e9}),
    ("Not classified", "INX", {}),
    ("Moldova", "MDA", {1995: 1.5e6, 2020: 1.75e9, 2021: 1.85e9, 2022: 1.95e9}),
    ("Upper middle income", "UMC", {2020: 120e9, 2021: 125e9, 2022: 130e9}),
    ("World", "WLD", {2020: 600e9, 2021: 650e9, 2022: 700e9}),
)
# Country Code, Region, IncomeGroup, SpecialNotes, TableName
WDI_COUNTRY_META: tuple = (
    ("ARM", "Europe & Central Asia", "Upper middle income", "", "Armenia"),
    ("ECS", "", "", "Europe and Central Asia regional aggregate (includes all income levels).",
     "Europe & Central Asia"),
    ("GEO", "Europe & Central Asia", "Upper middle income", "", "Georgia"),
    ("INX", "", "", "", "Not classified"),
    ("MDA", "Europe & Central Asia", "Upper middle income", "Excluding Transnistria.", "Moldova"),
    ("UMC", "", "", "Upper middle income group aggregate.", "Upper middle income"),
    ("WLD", "", "", "World aggregate.", "World"),
    ("ZWE", "Sub-Saharan Africa", "Lower middle income", "", "Zimbabwe"),  # sorted by code
)  # fmt: skip
SOURCE_NOTE = "Made-up definition used by the test fixtures."
SOURCE_ORG = "World Bank staff estimates based on IMF balance of payments data."


# Every World Bank bulk file lists economies by name and ends with Zimbabwe (mostly blank in
# these fixtures): the parser checks the table ends there.
WDI_LAST_ROW = ("Zimbabwe", "ZWE", {})


def _ending_with_zimbabwe(rows: Sequence) -> list:
    rows = list(rows)
    return rows if rows and rows[-1][1] == "ZWE" else [*rows, WDI_LAST_ROW]


def wdi_bulk_xls(
    path: Path,
    code: str = REMIT_CODE,
    name: str = REMIT_NAME,
    last_updated: str = "2023-05-10",
    rows: Sequence = WDI_ROWS,
    country_meta: Sequence = WDI_COUNTRY_META,
    complete: bool = True,
) -> Path:
    """WDI bulk Excel (API_<code>_DS2_en_excel_v2_*.xls): Data + two metadata sheets.

    `complete=False` leaves out the closing Zimbabwe row (a table cut short)."""
    target = _target(path, f"API_{code}_DS2_en_excel_v2_5455555.xls")
    wb = xlwt.Workbook()
    data = wb.add_sheet("Data")
    data.write(0, 0, "Data Source")
    data.write(0, 1, "World Development Indicators")
    data.write(1, 0, "Last Updated Date")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    data.write(1, 1, dt.date.fromisoformat(last_updated), date_style)
    header = ["Country Name", "Country Code", "Indicator Name", "Indicator Code"]
    header += [str(y) for y in WDI_YEARS]
    for j, h in enumerate(header):
        data.write(3, j, h)
    for i, (cname, ccode, values) in enumerate(_ending_with_zimbabwe(rows) if complete else rows):
        for j, v in enumerate([cname, ccode, name, code]):
            data.write(4 + i, j, v)
        for year, value in values.items():
            data.write(4 + i, 4 + WDI_YEARS.index(year), value)
    meta = wb.add_sheet("Metadata - Countries")
    for j, h in enumerate(["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]):
        meta.write(0, j, h)
    for i, rec in enumerate(country_meta):
        for j, v in enumerate(rec):
            if v:
                meta.write(1 + i, j, v)
    inds = wb.add_sheet("Metadata - Indicators")
    for j, h in enumerate(
        ["INDICATOR_CODE", "INDICATOR_NAME", "SOURCE_NOTE", "SOURCE_ORGANIZATION"]
    ):
        inds.write(0, j, h)
    for j, v in enumerate([code, name, SOURCE_NOTE, SOURCE_ORG]):
        inds.write(1, j, v)
    wb.save(str(target))
    return target


def _wb_csv_text(records: Sequence[Sequence[str]]) -> str:
    """The World Bank's CSV dialect: every field quoted, a comma after the last, CRLF."""
    return "".join(
        "".join(f'"{str(v).replace(chr(34), chr(34) * 2)}",' for v in rec) + "\r\n"
        if rec
        else "\r\n"
        for rec in records
    )


def _wdi_number(value: float) -> str:
    return repr(float(value)).removesuffix(".0") if float(value).is_integer() else repr(value)


def wdi_bulk_csv_texts(
    code: str = "SI.RMT.COST.IB.ZS",
    name: str = "Average transaction cost of sending remittances to a specific country (%)",
    last_updated: str = "2022-02-15",
    rows: Sequence = WDI_ROWS,
    country_meta: Sequence = WDI_COUNTRY_META,
    years: Sequence[int] = range(1960, 2021),
    number: str = "3692955",
) -> dict[str, str]:
    """File name → text of the three CSVs of a WDI bulk CSV download."""
    stem = f"API_{code}_DS2_en_csv_v2_{number}"
    years = list(years)
    data = [
        ["Data Source", "World Development Indicators"],
        [],
        ["Last Updated Date", last_updated],
        [],
        ["Country Name", "Country Code", "Indicator Name", "Indicator Code", *map(str, years)],
    ]
    for cname, ccode, values in _ending_with_zimbabwe(rows):
        cells = [_wdi_number(values[y]) if y in values else "" for y in years]
        data.append([cname, ccode, name, code, *cells])
    meta_country = [["Country Code", "Region", "IncomeGroup", "SpecialNotes", "TableName"]]
    meta_country += [list(rec) for rec in country_meta]
    meta_ind = [
        ["INDICATOR_CODE", "INDICATOR_NAME", "SOURCE_NOTE", "SOURCE_ORGANIZATION"],
        [code, name, SOURCE_NOTE, "World Bank, Remittance Prices Worldwide"],
    ]
    return {
        f"{stem}.csv": _wb_csv_text(data),
        f"Metadata_Country_{stem}.csv": _wb_csv_text(meta_country),
        f"Metadata_Indicator_{stem}.csv": _wb_csv_text(meta_ind),
    }


# Rows for the cost-of-sending indicator (percent values; invented).
WDI_COST_ROWS: tuple = (
    ("Armenia", "ARM", {2019: 2.5, 2020: 2.25}),
    ("Europe & Central Asia", "ECS", {2020: 6.5}),
    ("Georgia", "GEO", {2020: 3.125}),
    ("Not classified", "INX", {}),
    ("Moldova", "MDA", {2016: 6.75, 2019: 5.5, 2020: 5.25}),
    ("Upper middle income", "UMC", {2020: 6.0}),
    ("World", "WLD", {2020: 6.5}),
)


def wdi_bulk_csv(path_dir: Path, **kwargs) -> Path:
    """API_<code>_DS2_en_csv_v2_<n>.csv plus its Metadata_Country_ and Metadata_Indicator_
    companions in `path_dir`; returns the data CSV's path."""
    kwargs.setdefault("rows", WDI_COST_ROWS)
    path_dir = Path(path_dir)
    path_dir.mkdir(parents=True, exist_ok=True)
    texts = wdi_bulk_csv_texts(**kwargs)
    for fname, text in texts.items():
        (path_dir / fname).write_bytes(text.encode("utf-8"))
    return path_dir / next(iter(texts))


def wdi_bulk_zip(path: Path, **kwargs) -> Path:
    """The zip the World Bank API serves (?downloadformat=csv) holding the three CSVs."""
    kwargs.setdefault("rows", WDI_COST_ROWS)
    texts = wdi_bulk_csv_texts(**kwargs)
    data_name = next(iter(texts))
    target = _target(path, data_name.replace(".csv", ".zip"))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for fname in (
            f"Metadata_Indicator_{data_name}",
            data_name,
            f"Metadata_Country_{data_name}",
        ):
            zf.writestr(fname, texts[fname].encode("utf-8"))
    return target


# (year, entity_code, entity_name, value); population (invented)
WDI_LONG_ROWS: tuple = (
    (2023, "MDA", "Moldova", 2400000.0),
    (2022, "MDA", "Moldova", 2450000.0),
    (2021, "MDA", "Moldova", ""),
    (2023, "ARM", "Armenia", 2900000.0),
    (2023, "WLD", "World", 8000000000.0),
    (2022, "WLD", "World", 7950000000.5),
    (2023, "ECS", "Europe & Central Asia", 930000000.0),
)


def wdi_long_csv(
    path: Path,
    code: str = "SP.POP.TOTL",
    name: str = "Population, total",
    rows: Sequence = WDI_LONG_ROWS,
) -> Path:
    """A long WDI extract (year,entity_code,entity_name,indicator_code,value,indicator_name)."""
    target = _target(path, f"{code}.csv")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(
        ["year", "entity_code", "entity_name", "indicator_code", "value", "indicator_name"]
    )
    for year, ecode, ename, value in rows:
        writer.writerow([year, ecode, ename, code, value, name])
    target.write_text(buf.getvalue(), encoding="utf-8")
    return target


# --- a tidy bilateral CSV (the GMDAC extract's layout) -----------------------------------------

# (to, from, t, sex, v): Male/Female only; 'XXX' = other or unknown origin. Invented.
BILATERAL_ROWS: tuple = (
    ("ITA", "MDA", 2015, "Male", 30.0),
    ("ITA", "MDA", 2015, "Female", 70.0),
    ("ITA", "MDA", 2020, "Male", 40.0),
    ("ITA", "MDA", 2020, "Female", 90.0),
    ("RUS", "MDA", 2020, "Male", 200.0),
    ("RUS", "MDA", 2020, "Female", 150.0),
    ("UKR", "MDA", 2020, "Female", 25.0),
    ("MDA", "UKR", 2020, "Male", 11.0),
    ("MDA", "UKR", 2020, "Female", 13.0),
    ("MDA", "XXX", 2020, "Male", 5.0),
    ("MDA", "XXX", 2020, "Female", 6.0),
)


def tidy_bilateral_csv(path: Path, rows: Sequence = BILATERAL_ROWS) -> Path:
    """to,from,t,sex,v with Male and Female rows only (no totals), LF line endings."""
    target = _target(path, "bilateral_stocks_by_sex.csv")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["to", "from", "t", "sex", "v"])
    for rec in rows:
        writer.writerow(rec)
    target.write_text(buf.getvalue(), encoding="utf-8")
    return target


# --- reading what a parser made ------------------------------------------------------------------


def recognise_and_parse(path: Path):
    """Recognise and parse one file with a fresh harmoniser: (match, harmoniser, ParsedFile)."""
    from migprofile.ingest import harmoniser_for, recognise
    from migprofile.sources import REGISTRY

    match = recognise(path, REGISTRY)
    assert match is not None, f"{path.name} not recognised"
    h = harmoniser_for(None)
    return match, h, match.source.parse(match, h)


def parsed_once(build: Callable[[Path], Path], folder: str):
    """A module-scoped fixture: the file `build` writes into a new folder `folder`, recognised
    and parsed once for the module's tests (what recognise_and_parse returns). Assign it to
    the fixture's name: `parsed_2020 = parsed_once(undesa_destination_2020, "d2020")`."""

    @pytest.fixture(scope="module")
    def parsed(tmp_path_factory):
        return recognise_and_parse(build(tmp_path_factory.mktemp(folder)))

    return parsed


def ingested(
    raw: Path, *, db: Path | None = None, link: Sequence[Path] = ()
) -> list[tuple[str, str, str]]:
    """Ingest a folder into the store `db` (the configured one when None), the files `link`
    (real ones: linked, never copied) put in it first: the (file name, source, edition) of
    each file ingested, sorted."""
    from migprofile.ingest import ingest

    raw.mkdir(parents=True, exist_ok=True)
    for path in link:
        (raw / path.name).symlink_to(path)
    report = ingest(raw_dir=raw, offline=True, db=db)
    return sorted((Path(p).name, s, e) for p, s, e, _ in report.ingested)


def observation_count() -> int:
    from migprofile import config

    return len(stored_observations(config.db_path()))


def assert_reingest_adds_nothing(raw: Path, unchanged: int) -> None:
    """A second ingest of the same folder: nothing ingested, every file unchanged, same rows."""
    from migprofile.ingest import ingest

    before = observation_count()
    again = ingest(raw_dir=raw, offline=True)
    assert again.ingested == [] and len(again.unchanged) == unchanged
    assert observation_count() == before


def parse_with(source, path: Path, harmoniser=None):
    """One file through one source's recognise + parse: (ParsedFile, harmoniser)."""
    from migprofile.geo import build_harmoniser
    from migprofile.sources.base import FilePeek

    peek = FilePeek(path)
    match = source.recognise(path, peek)
    assert match is not None, f"{source.id} did not recognise {path.name}"
    match.context["peek"] = peek
    h = harmoniser or build_harmoniser()
    return source.parse(match, h), h


def rows(table, **where) -> list[dict]:
    """The rows of a tidy table whose columns equal the given values."""
    return [r for r in table.to_pylist() if all(r[k] == v for k, v in where.items())]


def one(table, **where) -> dict:
    found = rows(table, **where)
    assert len(found) == 1, f"{len(found)} rows for {where}"
    return found[0]


def tiny_wdi_bulk_csv(path: Path, values: dict[str, tuple[float, float]] | None = None) -> Path:
    """A tiny file in the World Bank bulk-CSV layout (4 preamble lines, CRLF, trailing commas)."""
    values = values or {"MDA": (1_850_000_000.0, 2_100_000_000.0), "RUS": (7.1e9, 8.2e9)}
    names = {"MDA": "Moldova", "RUS": "Russian Federation", "ZWE": "Zimbabwe"}
    lines = [
        '"Data Source","World Development Indicators",',
        "",
        '"Last Updated Date","2023-05-10",',
        "",
        '"Country Name","Country Code","Indicator Name","Indicator Code","2020","2021",',
    ]
    for code, (v1, v2) in values.items():
        lines.append(
            f'"{names[code]}","{code}","Personal remittances, received (current US$)",'
            f'"BX.TRF.PWKR.CD.DT","{v1!r}","{v2!r}",'
        )
    if "ZWE" not in values:  # bulk files end with Zimbabwe
        lines.append(
            '"Zimbabwe","ZWE","Personal remittances, received (current US$)",'
            '"BX.TRF.PWKR.CD.DT","","",'
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    return path


# --- small files in any layout, and damaged copies (the source contract test) --------------------


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence]]) -> Path:
    """A workbook with the given sheets, rows written from A1 (None = empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in sheets.items():
        ws = wb.create_sheet(name)
        for i, row in enumerate(sheet_rows, 1):
            _put_row(ws, i, row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_csv_rows(
    path: Path, records: Sequence[Sequence], *, bom: bool = False, newline: str = "\r\n"
) -> Path:
    """A CSV as csv.writer writes it (minimal quoting; CRLF as Excel and DataBank do, or the
    given `newline`: LF, as R packages and Eurostat's data browser write)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(records)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(("\ufeff" if bom else "") + buf.getvalue(), encoding="utf-8", newline="")
    return path


def rename_header(path: Path, old: str, new: str) -> Path:
    """The same file with one header cell renamed (the first cell whose text is `old`)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and cell.value.strip() == old:
                        cell.value = new
                        wb.save(path)
                        return path
        raise AssertionError(f"no cell {old!r} in {path.name}")
    text = path.read_text(encoding="utf-8-sig")
    assert old in text, f"no header {old!r} in {path.name}"
    bom = path.read_bytes().startswith(b"\xef\xbb\xbf")
    path.write_text(("\ufeff" if bom else "") + text.replace(old, new, 1), encoding="utf-8")
    return path


def truncate(path: Path, cut_in: str | None = None) -> Path:
    """The file cut short: a workbook at half its bytes; a CSV half-way through the data row
    that contains `cut_in` (the download that stopped mid-record)."""
    data = path.read_bytes()
    if cut_in is None:
        path.write_bytes(data[: len(data) // 2])
        return path
    needle = cut_in.encode()
    at = data.index(needle)
    start = data.rindex(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    end = len(data) if end < 0 else end
    path.write_bytes(data[: start + (end - start) // 2])
    return path


def stored_observations(db: Path) -> list[dict]:
    """Every observation in a store with its source and edition, read through the store's own
    Parquet export (the public way out of the store)."""
    import tempfile

    import pyarrow.parquet as pq

    from migprofile.store import Store

    with tempfile.TemporaryDirectory() as out:
        store = Store.open(db)
        try:
            store.export_parquet(Path(out))
        finally:
            store.close()
        obs = pq.read_table(Path(out) / "observations.parquet").to_pylist()
        vintages = {
            v["vintage_id"]: v for v in pq.read_table(Path(out) / "vintages.parquet").to_pylist()
        }
    for r in obs:
        v = vintages[r["vintage_id"]]
        r["source"], r["edition"] = v["source"], v["edition"]
    return obs


def store_counts(db: Path) -> tuple[int, int]:
    """(vintages, observations) of a store file, read through a read-only connection."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        (vintages,) = con.execute("SELECT count(*) FROM vintages").fetchone()
        (observations,) = con.execute("SELECT count(*) FROM observations").fetchone()
    finally:
        con.close()
    return vintages, observations


# --- servers on 127.0.0.1 for the web tests ---------------------------------------------------


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, *, timeout: float = 15.0, alive=lambda: True) -> None:
    """Poll `url` until it answers at all (any status); fail once `alive()` is false or the
    timeout has passed."""
    import time

    import httpx

    deadline = time.monotonic() + timeout
    while True:
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            if time.monotonic() > deadline or not alive():
                raise
            time.sleep(0.1)


@contextmanager
def uvicorn_in_thread(config) -> Iterator[str]:
    """The uvicorn server of `config` (host 127.0.0.1) in a daemon thread for the block;
    yields its base URL once it has started."""
    import threading
    import time

    import uvicorn

    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)
        yield f"http://{config.host}:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
