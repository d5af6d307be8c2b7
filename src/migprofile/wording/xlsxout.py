"""The one xlsx writer (the API's and `migprofile get`'s Excel downloads), next to the CSV one.

A workbook is a list of `Sheet`s, each a header row and rows of values. Numbers are written as
numbers (`int`, `float`, `Decimal`; NaN and infinities as empty cells), every other value as
text, never as a formula: text is written with `write_string`, so a publisher's `=1+1` is the
text `=1+1` in the cell, not something a spreadsheet evaluates (the CSV writer needs an
apostrophe for that; xlsx keeps the type). The header row is frozen (and the first
`freeze_columns` columns, the names), columns are as wide as their first rows need (within
bounds), and the workbook is written in xlsxwriter's constant-memory mode (a row at a time).

Sheet names are identifiers, the same in every language (`data`, `cells`, `about`), like the
column names of the CSV: scripts look them up.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_CELL_TEXT = 32_767  # Excel's limit on a cell's text
MAX_ROWS = 1_048_576  # Excel's rows per sheet, the header included
WIDTH_ROWS = 200  # rows read to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60

Row = Mapping[str, Any] | Sequence[Any]


@dataclass
class Sheet:
    """One sheet: its name, its columns (the header row) and its rows (mappings read by
    column, or sequences in column order)."""

    name: str
    columns: Sequence[str]
    rows: Sequence[Row]
    freeze_columns: int = 0


def _values(row: Row, columns: Sequence[str]) -> Sequence[Any]:
    if isinstance(row, Mapping):
        return [row.get(c) for c in columns]
    return row


def _number(value: Any) -> float | None:
    """The value as a number for its cell, None when it is not one (or not a finite one)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | decimal.Decimal):
        number = float(value)
        return number if math.isfinite(number) else None
    return None


def _text(value: Any) -> str:
    return str(value)[:MAX_CELL_TEXT]


def _widths(sheet: Sheet) -> list[int]:
    widths = [len(str(c)) for c in sheet.columns]
    for row in sheet.rows[:WIDTH_ROWS]:
        for n, value in enumerate(_values(row, sheet.columns)):
            if n < len(widths) and value is not None:
                widths[n] = max(widths[n], len(_text(value)))
    return [min(MAX_WIDTH, max(MIN_WIDTH, w + 2)) for w in widths]


def write(target: IO[bytes] | str, sheets: Sequence[Sheet]) -> None:
    """The sheets as one xlsx workbook, written to a path or a binary file object."""
    import xlsxwriter  # type: ignore[import-untyped]

    if any(len(s.rows) + 1 > MAX_ROWS for s in sheets):
        raise ValueError(f"a sheet holds more than the {MAX_ROWS - 1} rows Excel reads")
    book = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    try:
        header = book.add_format({"bold": True})
        for sheet in sheets:
            ws = book.add_worksheet(sheet.name[:31])
            for n, width in enumerate(_widths(sheet)):
                ws.set_column(n, n, width)
            for n, column in enumerate(sheet.columns):
                ws.write_string(0, n, _text(column), header)
            ws.freeze_panes(1, sheet.freeze_columns)
            for r, row in enumerate(sheet.rows, start=1):
                for n, value in enumerate(_values(row, sheet.columns)):
                    if value is None:
                        continue
                    number = _number(value)
                    if number is not None:
                        ws.write_number(r, n, number)
                    elif not isinstance(value, float | decimal.Decimal):  # NaN: empty
                        ws.write_string(r, n, _text(value))
    finally:
        book.close()


def pairs_sheet(name: str, pairs: Iterable[tuple[str, Any]], columns: Sequence[str]) -> Sheet:
    """A sheet of (label, value) lines (the `about` sheet)."""
    return Sheet(name, columns, [list(p) for p in pairs])
