"""What every publisher source module provides, and the tidy-row builder they share.

A source recognises its files (by name pattern and by content), and parses them into tidy rows
with provenance down to the sheet, row and column. It never touches the store.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser

MISSING_MARKERS = {"", "..", "...", "-", "–", "—", "x", "n/a", "na", "nan", "none", ":"}

TIDY_SCHEMA = pa.schema(
    [
        ("indicator", pa.string()),
        ("geo", pa.string()),
        ("partner", pa.string()),
        ("year", pa.int32()),
        ("period", pa.string()),
        ("sex", pa.string()),
        ("age", pa.string()),
        ("value", pa.float64()),
        ("unit", pa.string()),
        ("sheet", pa.string()),
        ("row", pa.int32()),
        ("col", pa.string()),
        ("note", pa.string()),
    ]
)


@dataclass(frozen=True)
class Download:
    """An official URL a source knows, and the file name it arrives as."""

    url: str
    filename: str
    edition: str
    description: str = ""


@dataclass
class Match:
    source: Source
    path: Path
    layout: str
    context: dict[str, Any] = field(default_factory=dict)


@dataclass
class SourceIndicator:
    """The publisher's own name and definition for a code it uses."""

    indicator: str
    name: str
    definition: str = ""
    unit: str = ""
    source_note: str = ""


@dataclass
class ParsedFile:
    path: Path
    source: str
    edition: str
    edition_order: str
    layout: str
    table: pa.Table
    indicators: list[SourceIndicator] = field(default_factory=list)
    skipped_rows: int = 0
    note: str = ""
    geo_attributes: list[tuple[str, str, str]] = field(default_factory=list)  # geo, key, value


class Source:
    """Base class of a publisher dataset: one subclass per dataset, in a module named by its id.

    The registry (`migprofile.sources.registry`) finds built-in subclasses by module name and
    outside ones through the `migprofile.sources` entry-point group, and checks both alike.
    """

    id: str = ""
    title: str = ""
    short_name: str = ""  # how a sentence cites it: "World Bank WDI"
    publisher: str = ""
    licence: str = ""
    citation: str = ""
    homepage: str = ""
    modelled: bool = False
    downloads: tuple[Download, ...] = ()
    feeds: tuple[str, ...] = ()  # catalogue indicator ids this dataset measures
    # Lower wins where several sources feed one indicator: official publications before
    # third-party extracts before modelled estimates.
    preference: int = 10
    # Sources are asked in this order (then by id) whether a file is theirs; the first match
    # wins, so a more specific layout must come before a looser one that would also match.
    recognition_order: int = 1000

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        """A Match when the file is this source's (content decides; the name is a hint)."""
        raise NotImplementedError

    name_pattern: re.Pattern | None = None  # file names that say "this is ours"
    name_suffixes: tuple[str, ...] = ()  # ... with one of these extensions (any when empty)

    def claims_name(self, path: Path) -> bool:
        """True when the file name alone says it is this source's (so a bad file is an error)."""
        if self.name_pattern is None or not self.name_pattern.search(path.name):
            return False
        return not self.name_suffixes or path.suffix.lower() in self.name_suffixes

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        raise NotImplementedError

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "parse" in cls.__dict__:
            cls.parse = _text_errors_named(cls.__dict__["parse"])


def _text_errors_named(parse):
    """A CSV that is not UTF-8 (Excel's 'Save as CSV' writes cp1252): a ParseError, not a crash."""

    @functools.wraps(parse)
    def wrapper(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        try:
            return parse(self, match, harmoniser)
        except UnicodeDecodeError as exc:
            raise ParseError(
                match.path, f"not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8"
            ) from None
        except pa.ArrowInvalid as exc:
            if "utf8" not in str(exc).lower():
                raise
            raise ParseError(match.path, f"not UTF-8 text ({exc}); save it as UTF-8") from None

    return wrapper


# --- reading cells ---------------------------------------------------------------------------

_NUMBER_CLEAN = re.compile(r"[\s\u00a0\u202f,]")


def to_number(cell: Any) -> float | None:
    """A cell as a float; publisher missing markers become None (never 0)."""
    if cell is None:
        return None
    if isinstance(cell, bool):
        raise ValueError(f"boolean {cell!r} where a number was expected")
    if isinstance(cell, (int, float)):
        try:
            value = float(cell)
        except OverflowError:  # an int beyond float range (JSON '1' followed by 400 zeros)
            raise ValueError(f"number {cell} too large") from None
        if math.isnan(value):
            return None
        if math.isinf(value):
            raise ValueError(f"infinite value {cell!r}")
        return value
    text = str(cell).strip()
    if text.lower() in MISSING_MARKERS:
        return None
    text = re.sub(r"\s*\([a-z0-9]{1,3}\)$|\*+$", "", text, flags=re.IGNORECASE)  # '12 (a)'
    cleaned = _NUMBER_CLEAN.sub("", text)
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"text {text!r} where a number was expected") from None
    if not math.isfinite(value):  # 'inf', '1e400', 'nan(1)': never stored
        raise ValueError(f"text {text!r} is not a finite number")
    return value


def cell_number(
    cell: Any, path: Path, *, column: str, sheet: str | None = None, row: int | None = None
) -> float | None:
    """to_number for a parser: a bad cell becomes a ParseError naming file, sheet, row, column."""
    try:
        return to_number(cell)
    except ValueError as exc:
        raise ParseError(path, f"{exc} (column {column})", sheet=sheet, row=row) from None


def to_year(cell: Any) -> int | None:
    """Header cells such as 1990.0, '1990', '2022e', '1990 [YR1990]' → 1990."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if float(cell).is_integer() and 1900 <= cell <= 2100:
            return int(cell)
        return None
    m = re.fullmatch(r"\s*((?:19|20)\d\d)\s*(?:e|\[YR\d{4}\])?\s*", str(cell or ""), re.IGNORECASE)
    return int(m.group(1)) if m else None


@functools.lru_cache(maxsize=4096)
def column_letter(index: int) -> str:
    """0 → A, 27 → AB: cells named as in Excel, so a user can find them."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class TidyRows:
    """Collects tidy rows; rejects conflicting duplicates naming both rows.

    Rows are kept as tuples (one append per value) and turned into columns once, at the end:
    this is the innermost loop of every parser.
    """

    _VALUE = 7  # position of value in a row tuple (TIDY_SCHEMA order)
    _ROW = 10

    def __init__(self, path: Path):
        self.path = path
        self.rows: list[tuple] = []
        self._seen: dict[tuple, int] = {}
        self.duplicates_dropped = 0

    def add(
        self,
        indicator: str,
        geo: str,
        year: int,
        value: float | None,
        unit: str,
        *,
        partner: str = "",
        sex: str = "total",
        age: str = "total",
        period: str = "",
        sheet: str | None = None,
        row: int | None = None,
        col: str | None = None,
        note: str = "",
    ) -> None:
        key = (indicator, geo, partner, year, period, sex, age)
        seen = self._seen
        if key in seen:
            prior = self.rows[seen[key]]
            old_value = prior[self._VALUE]
            if old_value == value or (old_value is None and value is None):
                self.duplicates_dropped += 1
                return
            raise ParseError(
                self.path,
                f"duplicate entry for {indicator} {geo}{'/' + partner if partner else ''} "
                f"{year} {sex}: {old_value} at row {prior[self._ROW]} and {value} here",
                sheet=sheet,
                row=row,
            )
        seen[key] = len(self.rows)
        self.rows.append(
            (indicator, geo, partner, year, period, sex, age, value, unit, sheet, row, col, note)
        )

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def cols(self) -> dict[str, list]:
        columns = list(zip(*self.rows, strict=True)) if self.rows else [()] * len(TIDY_SCHEMA)
        return {name: list(c) for name, c in zip(TIDY_SCHEMA.names, columns, strict=True)}

    def to_table(self) -> pa.Table:
        return pa.table(self.cols, schema=TIDY_SCHEMA)


# --- reading CSV --------------------------------------------------------------------------


@dataclass
class CsvRows:
    """A CSV split at its header: rows above it, the header, and the records below it.

    Every record carries the file line it starts on (what a user sees in an editor).
    """

    path: Path
    preamble: list[tuple[int, list[str]]]
    header_line: int
    header: list[str]
    rows: list[tuple[int, list[str]]]  # blank records kept (some layouts end a table with one)

    def dicts(self) -> list[tuple[int, dict[str, str]]]:
        """(line, {heading: cell}) for every non-blank record, as csv.DictReader gives them."""
        keys = self.header
        return [
            (line, dict(zip(keys, row, strict=False)))
            for line, row in self.rows
            if any(c.strip() for c in row)
        ]


def read_csv(
    path: Path,
    *,
    text: str | None = None,
    is_header: Callable[[list[str]], bool] | None = None,
    header_search: int = 60,
    short_ok: Callable[[list[str]], bool] | None = None,
    encoding: str = "utf-8-sig",
    errors: str = "strict",
) -> CsvRows:
    """Read a whole CSV (file, or `text` such as a zip member), checked for truncation.

    The header is the first record (or the first for which `is_header` is true, within
    `header_search` records). Below it, a non-blank record with fewer fields than the header is
    a ParseError naming the file and line (a file cut mid-record, or a field missing), unless
    `short_ok` accepts it (a layout's footer lines). A malformed CSV is a ParseError too.
    """
    if text is None:
        text = path.read_bytes().decode(encoding, errors=errors)
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for rec in reader:
            records.append((line, rec))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(path, f"not a readable CSV ({exc})", row=line) from None
    hi = 0
    if is_header is not None:
        found = next(
            (i for i, (_, r) in enumerate(records[:header_search]) if r and is_header(r)), None
        )
        if found is None:
            return CsvRows(path, records, 0, [], [])
        hi = found
    if not records:
        return CsvRows(path, [], 0, [], [])
    header_line, header = records[hi]
    width = len(header)
    for line, row in records[hi + 1 :]:
        if len(row) < width and any(c.strip() for c in row):
            if short_ok is not None and short_ok(row):
                continue
            raise ParseError(
                path,
                f"row has {len(row)} field{'s' if len(row) != 1 else ''} where the header has "
                f"{width} (file cut short, or a field missing)",
                row=line,
            )
    return CsvRows(path, records[:hi], header_line, header, records[hi + 1 :])


# --- peeking at files cheaply ------------------------------------------------------------------


class FilePeek:
    """Lazily opened views of a file, shared by all sources' recognise() calls."""

    def __init__(self, path: Path):
        self.path = path
        self._workbook = None
        self._workbook_error: str | None = None
        self._head: str | None = None
        self._sheets: dict[str, list[list]] = {}

    @property
    def suffix(self) -> str:
        name = self.path.name.lower()
        return ".csv.zip" if name.endswith(".csv.zip") else self.path.suffix.lower()

    @property
    def is_workbook(self) -> bool:
        return self.suffix in (".xls", ".xlsx", ".xlsm", ".xlsb", ".ods")

    def workbook(self):
        """The calamine workbook, or None with `workbook_error` set (truncated, not Excel...)."""
        if self._workbook is None and self._workbook_error is None:
            from python_calamine import CalamineWorkbook

            try:
                self._workbook = CalamineWorkbook.from_path(str(self.path))
            except Exception as exc:  # calamine raises several types for broken files
                self._workbook_error = f"not a readable Excel workbook ({exc})"
        return self._workbook

    @property
    def workbook_error(self) -> str | None:
        self.workbook()
        return self._workbook_error

    @property
    def sheet_names(self) -> list[str]:
        wb = self.workbook()
        return list(wb.sheet_names) if wb is not None else []

    def sheet(self, name: str) -> list[list]:
        """All rows of a sheet as Python values (cached: recognise and parse share them)."""
        if name not in self._sheets:
            wb = self.workbook()
            if wb is None:
                raise ParseError(self.path, self._workbook_error or "not a workbook")
            try:
                self._sheets[name] = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            except Exception as exc:
                raise ParseError(self.path, f"cannot read sheet ({exc})", sheet=name) from None
        return self._sheets[name]

    def head_text(self, size: int = 4096) -> str:
        """The first bytes of a text file, decoded leniently (for CSV recognition)."""
        if self._head is None:
            try:
                if self.suffix == ".csv.zip" or self.suffix == ".zip":
                    import zipfile

                    with zipfile.ZipFile(self.path) as zf:
                        names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
                        data = b"".join(zf.read(n)[:size] + b"\n" for n in names)
                else:
                    with self.path.open("rb") as fh:
                        data = fh.read(size)
            except Exception:
                data = b""
            self._head = data.decode("utf-8-sig", errors="replace")
        return self._head
