"""What every publisher source module provides, and the tidy-row builder they share.

A source recognises its files (by name pattern and by content), and parses them into tidy rows
with provenance down to the sheet, row and column. It never touches the store.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import math
import os
import re
import time
import weakref
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.periods import ANNUAL_PERIODS, MID_YEAR, is_annual  # noqa: F401 (for parsers)
from migprofile.wording.i18n import N_, _

# Cells publishers leave for "no value". Not 'nan': no publisher writes it, and a NaN that got
# into a file is refused like any non-finite number.
MISSING_MARKERS = {"", "..", "...", "-", "–", "—", "x", "n/a", "na", "none", ":"}

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
class Paging:
    """How a paged API answers: `parameter` names the page in the query (counted from
    `first_page`), each answer states the number of pages in `pages_field`, its records in
    `items_field` and, when `page_field` is not None, which page it is (checked where present).
    The download asks for every page and writes one file `{items_field: [...]}` with every
    page's records in page order."""

    parameter: str = "page"
    pages_field: str = "maxPages"
    items_field: str = "items"
    first_page: int = 1
    page_field: str | None = "page"


@dataclass(frozen=True)
class Download:
    """An official URL a source knows, and the file name it arrives as.

    With `paging`, `url` is the request for the first page and the other pages are the same URL
    with the page parameter changed (see Paging); the file is all pages merged."""

    url: str
    filename: str
    edition: str
    description: str = ""
    paging: Paging | None = None


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
    # The dataset whose editions this source's files carry, when that is another source's (a
    # third-party extract of an official dataset): the same edition label is then one edition
    # of that dataset, and a series takes the official file's cells where both have a value.
    dataset: str = ""
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
_FOOTNOTE = re.compile(r"\s*\([a-z0-9]{1,3}\)$|\*+$", re.IGNORECASE)  # '12 (a)', '12*'


def to_number(cell: Any) -> float | None:
    """A cell as a float; publisher missing markers become None (never 0)."""
    kind = type(cell)
    if kind is float:  # a workbook's number: the innermost call of every parser
        if cell - cell == 0.0:  # finite (NaN and ±inf give NaN)
            return cell
    elif kind is str:
        text = cell.strip()
        if text in MISSING_MARKERS:  # '' (an empty workbook cell), '..': no value
            return None
        try:  # a plain number ('1234', '-5.5'): exactly what the cleaning below would give
            value = float(text)
        except ValueError:
            pass
        else:
            if value - value == 0.0:
                return value
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
            raise ValueError("NaN where a number was expected")
        if math.isinf(value):
            raise ValueError(f"infinite value {cell!r}")
        return value
    text = str(cell).strip()
    if text.lower() in MISSING_MARKERS:
        return None
    text = _FOOTNOTE.sub("", text)
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
    if type(cell) is float and cell - cell == 0.0:  # to_number's commonest cell, without a call
        return cell
    try:
        return to_number(cell)
    except ValueError as exc:
        raise ParseError(path, f"{exc} (column {column})", sheet=sheet, row=row) from None


_YEAR_CELL = re.compile(r"\s*((?:19|20)\d\d)\s*(?:e|\[YR\d{4}\])?\s*", re.IGNORECASE)


def to_year(cell: Any) -> int | None:
    """Header cells such as 1990.0, '1990', '2022e', '1990 [YR1990]' → 1990."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        if float(cell).is_integer() and 1900 <= cell <= 2100:
            return int(cell)
        return None
    m = _YEAR_CELL.fullmatch(str(cell or ""))
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


# --- checking values ---------------------------------------------------------------------------

# More people than the world has held, or will hold to 2100 (UN WPP peaks near 10.3 billion).
WORLD_POPULATION_CAP = 1.1e10
# Shares published as percentages are rounded: UN DESA gives 100.0049 % immigrants for one area.
SHARE_SLACK = 0.5
_FLOAT_MAX = 1.7976931348623157e308
# Counts of people that can be negative: net migration, population change, balances.
_SIGNED = re.compile(r"netm|net[ _.]?migra|(^|[^a-z])net([^a-z]|$)|growth|change|balance", re.I)
_PEOPLE_UNITS = {"persons", "people", "movements", "refugees", "number of people"}
_SHARE_UNITS = re.compile(
    r"^%( of (total )?(population|immigrants|migrants|international migrants|labor force|"
    r"refugees|total))?$",
    re.I,
)


@functools.lru_cache(maxsize=4096)
def value_bounds(indicator: str, unit: str) -> tuple[float, float, str]:
    """(lowest, highest, what the value is) for an indicator's values; every bound is finite.

    Counts of people (units 'persons', 'movements'...) are 0 to the world's population, or from
    minus to plus that for net counts (net migration); costs in percent are -100 to 100 (a
    corridor's exchange-rate margin can make a published cost negative); shares in percent are
    0 to 100 (plus rounding slack). Anything else only has to be a finite number: growth rates,
    US$ flows and '% of GDP' (remittances reach 236 % of GDP in tiny economies) have no bound.
    """
    u = (unit or "").strip().lower()
    ind = indicator.lower()
    if u in _PEOPLE_UNITS:
        if _SIGNED.search(ind):
            return (-WORLD_POPULATION_CAP, WORLD_POPULATION_CAP, N_("a net count of people"))
        return (0.0, WORLD_POPULATION_CAP, N_("a count of people"))
    if u.startswith("%") or u == "percent":
        if "cost" in ind:
            return (-100.0, 100.0, N_("a cost in percent"))
        if _SIGNED.search(ind) or "annual" in u:
            return (-_FLOAT_MAX, _FLOAT_MAX, N_("a number"))
        if _SHARE_UNITS.match(u):
            return (0.0, 100.0 + SHARE_SLACK, N_("a share in percent"))
    return (-_FLOAT_MAX, _FLOAT_MAX, N_("a number"))


def value_problem(indicator: str, unit: str, value: float) -> str | None:
    """Why a value cannot be right for its indicator and unit (None when it can)."""
    lo, hi, what = value_bounds(indicator, unit)
    if lo <= value <= hi:  # False for NaN and for ±inf: every bound is finite
        return None
    if not math.isfinite(value):
        return _("value {value} is not a finite number").format(value=repr(value))
    if value < 0 and lo == 0:
        return _("value {value} is negative, but {indicator} is {what} ({unit})").format(
            value=f"{value:g}", indicator=indicator, what=_(what), unit=unit
        )
    if what.endswith("people"):
        return _("value {value} is more than the world's population ({indicator}, {unit})").format(
            value=f"{value:g}", indicator=indicator, unit=unit
        )
    return _("value {value} is outside {lo} to {hi}, but {indicator} is {what} ({unit})").format(
        value=f"{value:g}", lo=f"{lo:g}", hi=f"{hi:g}", indicator=indicator, what=_(what), unit=unit
    )


def check_value(
    indicator: str,
    unit: str,
    value: float | None,
    path: Path,
    *,
    sheet: str | None = None,
    row: int | None = None,
    col: str | None = None,
) -> None:
    """A ParseError naming file, sheet, row and column when a value cannot be right."""
    if value is None:
        return
    problem = value_problem(indicator, unit, value)
    if problem is not None:
        where = f" (column {col})" if col else ""
        raise ParseError(path, problem + where, sheet=sheet, row=row)


_TIDY_ROW = pa.struct(list(TIDY_SCHEMA))


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
        if value is not None:
            lo, hi, _ = value_bounds(indicator, unit)
            if not lo <= value <= hi:  # one chained comparison: NaN and ±inf fail it too
                check_value(indicator, unit, value, self.path, sheet=sheet, row=row, col=col)
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
        rows = self.rows
        return {name: list(map(itemgetter(i), rows)) for i, name in enumerate(TIDY_SCHEMA.names)}

    def to_table(self) -> pa.Table:
        """The rows as TIDY_SCHEMA columns: Arrow converts the tuples in one pass (as a struct
        array), faster than splitting them into 13 Python lists first."""
        rows = pa.array(self.rows, type=_TIDY_ROW)
        return pa.Table.from_arrays(rows.flatten(), schema=TIDY_SCHEMA)


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
    final_newline: bool = True,
) -> CsvRows:
    """Read a whole CSV (file, or `text` such as a zip member), checked for truncation.

    Publishers end every line of these layouts with a line break, so a text that does not end
    with one was cut mid-line (the last number may have lost digits): a ParseError naming the
    last line, unless `final_newline=False` (layouts whose publisher omits it).

    The header is the first record (or the first for which `is_header` is true, within
    `header_search` records). Below it, a non-blank record with fewer fields than the header is
    a ParseError naming the file and line (a file cut mid-record, or a field missing), unless
    `short_ok` accepts it (a layout's footer lines). A malformed CSV is a ParseError too.
    """
    if text is None:
        text = read_bytes(path).decode(encoding, errors=errors)
    if final_newline:
        check_final_newline(path, text)
    check_no_nul(path, text)
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for rec in reader:
            records.append((line, rec))
            line = reader.line_num + 1
    except csv.Error as exc:
        if "field limit" in str(exc):
            raise ParseError(
                path,
                f"a field longer than {csv.field_size_limit():,} characters: not a publisher "
                "CSV (a quote left open, or a corrupted file)",
                row=line,
            ) from None
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


def check_final_newline(path: Path, text: str | bytes, *, sheet: str | None = None) -> None:
    """A layout whose publisher ends every line with a line break: refuse a text cut mid-line."""
    if isinstance(text, bytes):
        if not text or text[-1:] in (b"\n", b"\r"):
            return
        line = text.count(b"\n") + 1
        tail = text[-60:].rsplit(b"\n", 1)[-1].decode("utf-8", errors="replace")
    else:
        if not text or text[-1] in "\n\r":
            return
        line = text.count("\n") + 1
        tail = text[-60:].rsplit("\n", 1)[-1]
    raise ParseError(
        path,
        f"the file ends mid-line (last line read ends {tail[-40:]!r}): the publisher ends every "
        "line with a line break, so the file was cut short",
        sheet=sheet,
        row=line,
    )


def check_no_nul(path: Path, text: str | bytes, *, sheet: str | None = None) -> None:
    """Text files never hold NUL bytes: a zeroed block or a binary file is corrupt, and its
    text cells (names, units, codes) must not be stored."""
    if isinstance(text, bytes):
        at = text.find(b"\x00")
        line = text.count(b"\n", 0, at) + 1
    else:
        at = text.find("\x00")
        line = text.count("\n", 0, at) + 1
    if at >= 0:
        raise ParseError(
            path,
            "NUL bytes in the text: the file is corrupted (a zeroed block?)",
            sheet=sheet,
            row=line,
        )


def check_last_row(
    path: Path, found: str, expected: str, what: str, *, line: int, sheet: str | None = None
) -> None:
    """A layout whose publisher ends its table with a known block: refuse a table cut before it."""
    if found != expected:
        raise ParseError(
            path,
            f"the table ends with {found or 'nothing'!r}, but {what} end with {expected!r}: the "
            "file was cut short (or rows were deleted)",
            sheet=sheet,
            row=line,
        )


def _stripped_lower(cell: str) -> str:
    return cell.strip().lower()


def columns_by_name(
    path: Path,
    header: Sequence[str],
    names: Sequence[str],
    *,
    row: int,
    lower: bool = False,
    key: Callable[[str], str] | None = None,
    layout: str = "",
    optional: Sequence[str] = (),
) -> dict[str, int]:
    """Where each of `names` (and of the `optional` names the header has) stands in a header:
    columns read by name, never by position. A header cell and a name match when both are the
    same stripped of white space (and lower-cased with `lower`), or the same `key` text; of
    two equal cells the last one counts. One of `names` not in the header is a ParseError at
    `row`: 'no column t, n (the extract has geo,t,n)', or with `layout`, "not the <layout>
    layout: no column 't', 'n'".
    """
    if key is None:
        key = _stripped_lower if lower else str.strip
    pos = {key(c): j for j, c in enumerate(header)}
    missing = [c for c in names if key(c) not in pos]
    if missing:
        if layout:
            message = f"not the {layout} layout: no column " + ", ".join(map(repr, missing))
        else:
            message = f"no column {', '.join(missing)} (the extract has {','.join(names)})"
        raise ParseError(path, message, row=row)
    found = {c: pos[key(c)] for c in names}
    found.update({c: pos[key(c)] for c in optional if key(c) in pos})
    return found


# --- whole columns ---------------------------------------------------------------------------
#
# Files of 100k+ rows are parsed column by column, since a per-cell Python loop costs seconds
# there: the CSV is read by Arrow, plain numbers are cast in one call, codes and odd cells are
# converted once per distinct value, and the tidy rows are checked as one table. The rules and
# errors stay those of the row loops they replace (TidyRows' included): each check finds its
# first offending cell, and FirstError raises the error a row-by-row loop would meet first.

RANKS = 64  # checks per record in a row loop: see `at`
# A column of cells: Arrow text (a CSV), or Python values (JSON items, workbook cells).
Cells: TypeAlias = "pa.Array | pa.ChunkedArray | list"


def at(record: int, rank: int) -> int:
    """Where the check numbered `rank` of record `record` (0-based) comes in a row loop."""
    return record * RANKS + rank


class FirstError:
    """Of the errors found column by column, the one a row-by-row loop meets first.

    A check reports its first offending cell under that cell's place in the loop (`at(record,
    rank)`); TidyColumns reports a value out of bounds (sub 1) before a conflicting duplicate
    (sub 2) at the place of the row's add.
    """

    def __init__(self) -> None:
        self._first: tuple[tuple[int, int], ParseError] | None = None

    def add(self, key: int, error: ParseError, sub: int = 0) -> None:
        if self._first is None or (key, sub) < self._first[0]:
            self._first = ((key, sub), error)

    def __bool__(self) -> bool:
        return self._first is not None

    def raise_first(self) -> None:
        if self._first is not None:
            raise self._first[1]


def _as_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values


def arange(n: int, start: int = 0) -> pa.Array:
    """start, start + 1, ... as int64 (pa.array(range(n)) converts n Python ints)."""
    ones = pc.fill_null(pa.nulls(n, pa.int64()), 1)
    return pc.add(pc.cumulative_sum(ones), start - 1)


def _first_positions(indices: pa.Array) -> pa.Array:
    """Where each entry of a dictionary_encode result first occurs (it numbers them so)."""
    idx = pc.cast(indices, pa.int64())
    if not len(idx):
        return idx
    seen = pc.cumulative_max(idx)
    before = pa.concat_arrays([pa.array([-1], pa.int64()), seen.slice(0, len(seen) - 1)])
    return pc.indices_nonzero(pc.greater(idx, before))


def convert_distinct(
    values: Cells,
    convert: Callable[[Any, int], Any],
    type_: pa.DataType,
    *,
    errors: FirstError | None = None,
    rank: int = 0,
    mask: pa.Array | None = None,
) -> pa.Array:
    """`convert(value, index)` once per distinct value, at its first cell, mapped onto every
    cell (null where `mask` is false). Codes and names of 100k rows take a few hundred calls.
    A list of Python values (JSON, workbook cells) is converted cell by cell.

    A ParseError is raised, or with `errors` recorded at `at(index, rank)` (its cells null):
    values first met after it cannot hold an earlier error of the column, so they are left
    unconverted (null) too.
    """
    if isinstance(values, list):
        return _convert_each(values, convert, type_, errors, rank, mask)
    values = _as_array(values)
    where = None
    if mask is not None:
        mask = pc.fill_null(mask, False)
        where = pc.indices_nonzero(mask)
        values_in = values.filter(mask)
    else:
        values_in = values
    encoded = pc.dictionary_encode(values_in, null_encoding="encode")
    firsts = _first_positions(encoded.indices)
    if where is not None:
        firsts = pc.take(where, firsts)
    results: list[Any] = []
    for value, first in zip(encoded.dictionary.to_pylist(), firsts.to_pylist(), strict=True):
        try:
            results.append(convert(value, first))
        except ParseError as exc:
            if errors is None:
                raise
            errors.add(at(first, rank), exc)
            break
    results += [None] * (len(encoded.dictionary) - len(results))
    mapped = pc.take(pa.array(results, type_), encoded.indices)
    if mask is None:
        return mapped
    return pc.replace_with_mask(pa.nulls(len(values), type_), mask, mapped)


def _convert_each(
    values: list,
    convert: Callable[[Any, int], Any],
    type_: pa.DataType,
    errors: FirstError | None,
    rank: int,
    mask: pa.Array | None,
) -> pa.Array:
    wanted = mask.to_pylist() if mask is not None else None
    results: list[Any] = [None] * len(values)
    for i, value in enumerate(values):
        if wanted is not None and not wanted[i]:
            continue
        try:
            results[i] = convert(value, i)
        except ParseError as exc:
            if errors is None:
                raise
            errors.add(at(i, rank), exc)
            break
    return pa.array(results, type_)


_PLAIN_NUMBER = r"^-?[0-9]{1,300}(\.[0-9]{1,300})?$"


def convert_numbers(
    values: Cells,
    convert: Callable[[str, int], float | None],
    *,
    errors: FirstError | None = None,
    rank: int = 0,
    mask: pa.Array | None = None,
) -> pa.Array:
    """The numbers of a text column, as `convert(text, index)` gives them cell by cell.

    Plain decimals ('123', '-4.50') are cast in one call, which gives exactly float(text) (both
    round correctly); every other cell (blank, 'NA', '1,234', '5 (a)', '1e400') goes through
    `convert` once per distinct text, so the parser's own rules and errors apply to it. A list
    of Python values goes through `convert` cell by cell.
    """
    if isinstance(values, list):
        return _convert_each(values, convert, pa.float64(), errors, rank, mask)
    values = _as_array(values)
    plain = pc.match_substring_regex(values, _PLAIN_NUMBER)
    if mask is not None:
        plain = pc.and_(plain, pc.fill_null(mask, False))
    try:
        cast = pc.cast(pc.if_else(plain, values, "0"), pa.float64())
        plain = pc.and_(plain, pc.is_finite(cast))
    except pa.ArrowInvalid:  # never for a plain decimal; if so, every cell takes the slow way
        cast = pa.nulls(len(values), pa.float64())
        plain = pa.array([False] * len(values))
    rest = pc.invert(plain)
    if mask is not None:
        rest = pc.and_(rest, pc.fill_null(mask, False))
    if not pc.any(rest).as_py():
        return pc.if_else(plain, cast, None)
    other = convert_distinct(values, convert, pa.float64(), errors=errors, rank=rank, mask=rest)
    return pc.if_else(plain, cast, other)


def blank_cells(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Cells that are empty or white space only (`not cell.strip()`, exactly)."""
    values = _as_array(values)
    empty = pc.equal(pc.binary_length(values), 0)
    # A cell with a printable ASCII character is not blank; str.strip decides for the rest.
    maybe = pc.and_(pc.invert(pc.match_substring_regex(values, "[!-~]")), pc.invert(empty))
    if not pc.any(maybe).as_py():
        return empty
    spaces = convert_distinct(values, lambda v, _i: not v.strip(), pa.bool_(), mask=maybe)
    return pc.or_(empty, pc.fill_null(spaces, False))


@dataclass
class CsvColumns:
    """A CSV below its header as whole columns of text (what read_csv gives, column-wise)."""

    path: Path
    header_line: int
    header: list[str]
    columns: list[pa.Array]  # one per header field; a shorter record's missing cells are ""
    lines: pa.Array  # int32: the file line each record starts on
    _blank: pa.Array | None = None

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def blank(self) -> pa.Array:
        """Records whose every field is empty or white space (the row loops skip them)."""
        if self._blank is None:
            n = len(self)
            maybe = arange(n)  # records that may still be blank: rarely past the first column
            for column in self.columns:
                if not len(maybe):
                    break
                maybe = maybe.filter(blank_cells(column.take(maybe)))
            self._blank = pc.is_in(arange(n), value_set=maybe)
        return self._blank

    def line(self, index: int) -> int:
        return int(self.lines[index].as_py())

    def by_name(
        self, names: Sequence[str], *, row: int, lower: bool = False, layout: str = ""
    ) -> dict[str, pa.Array]:
        """The columns of `names`, found in the header by name (see columns_by_name)."""
        pos = columns_by_name(self.path, self.header, names, row=row, lower=lower, layout=layout)
        return {c: self.columns[j] for c, j in pos.items()}


def read_csv_columns(
    path: Path, *, encoding: str = "utf-8-sig", errors: str = "strict", final_newline: bool = True
) -> CsvColumns:
    """read_csv for a CSV with its header on line 1, as whole Arrow columns of text.

    The same checks and errors as read_csv (not UTF-8, cut mid-line, NUL bytes, a short record,
    a malformed CSV); records with no field or one blank field (blank lines) are left out, as
    every row loop skipped them. A regular file (one line per record, no blank line) is split
    by Arrow, ~50 times faster than the csv module; any other goes through read_csv.
    """
    data = read_bytes(path)
    text = data.decode(encoding, errors)
    if final_newline:
        check_final_newline(path, text)
    check_no_nul(path, text)
    body: bytes | None = None
    if errors == "strict" and encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig"):
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") and encoding != "utf-8" else data
    fast = _arrow_columns(path, text, body if body is not None else text.encode("utf-8"))
    if fast is not None:
        return fast
    rows = read_csv(path, text=text, final_newline=final_newline)
    records = [(line, row) for line, row in rows.rows if len(row) > 1 or (row and row[0].strip())]
    width = len(rows.header)
    full = [row if len(row) == width else (row + [""] * width)[:width] for _, row in records]
    cells = list(zip(*full, strict=True)) if full else [()] * width
    columns = [pa.array(c, pa.string()) for c in cells]
    return CsvColumns(
        path,
        rows.header_line,
        rows.header,
        columns,
        pa.array([line for line, _ in records], pa.int32()),
        pa.array([not any(c.strip() for c in row) for _, row in records], pa.bool_()),
    )


def _arrow_columns(path: Path, text: str, body: bytes) -> CsvColumns | None:
    """The CSV split by Arrow, or None where its records could not be given their lines:
    blank lines (Arrow skips them), a lone CR, ragged or malformed records, a header that is
    not one line. A record's line is 1 + the line breaks before it (in the records above and
    in their quoted values), as the csv module counts."""
    if not text or text.startswith("\ufeff") or text.count("\r") != text.count("\r\n"):
        return None
    end = text.find("\n")
    header = next(csv.reader([text[: end if end >= 0 else len(text)].rstrip("\r")]), [])
    width = len(header)
    if width < 2:
        return None
    import pyarrow.csv as pacsv

    names = [f"f{j}" for j in range(width)]
    try:
        table = pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(newlines_in_values=True, ignore_empty_lines=True),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowInvalid:
        return None
    columns = [table.column(j).combine_chunks() for j in range(width)]
    if not table.num_rows or [c[0].as_py() for c in columns] != header:
        return None
    limit = csv.field_size_limit()
    if any((pc.max(pc.binary_length(c)).as_py() or 0) > limit for c in columns):
        return None  # read_csv refuses such a field
    breaks = pc.count_substring(columns[0], "\n")  # line breaks inside each record's values
    for column in columns[1:]:
        breaks = pc.add(breaks, pc.count_substring(column, "\n"))
    if breaks[len(breaks) - 1].as_py():
        return None  # the last record's quote may have taken the final line break
    lines_per_record = pc.add(pc.cast(breaks, pa.int64()), 1)
    total = text.count("\n") + (0 if text.endswith("\n") else 1)
    if pc.sum(lines_per_record).as_py() != total:
        return None  # blank lines were skipped
    ends = pc.cumulative_sum(lines_per_record)  # lines up to the end of each record
    lines_of = pc.cast(pc.add(ends.slice(0, len(ends) - 1), 1), pa.int32())
    return CsvColumns(path, 1, header, [c.slice(1) for c in columns], lines_of)


class ColumnChecks:
    """Converting a CsvColumns' records column by column, as a row loop over them would.

    Blank records are left out (`rows` is false there), each check records its first offending
    cell under its rank (`errors`: `errors.raise_first()` raises the error a row loop meets
    first), and `lines` gives the file line of a record to name in an error.
    """

    def __init__(self, table: CsvColumns) -> None:
        self.lines: list[int] = table.lines.to_pylist()
        self.rows = pc.invert(table.blank)
        self.errors = FirstError()

    def convert(
        self, cells: Cells, how: Callable[[Any, int], Any], type_: pa.DataType, rank: int
    ) -> pa.Array:
        """convert_distinct over the records, its errors ranked `rank`."""
        return convert_distinct(cells, how, type_, errors=self.errors, rank=rank, mask=self.rows)

    def numbers(self, cells: Cells, how: Callable[[str, int], float | None], rank: int) -> pa.Array:
        """convert_numbers over the records, its errors ranked `rank`."""
        return convert_numbers(cells, how, errors=self.errors, rank=rank, mask=self.rows)


# --- tidy rows from whole columns ----------------------------------------------------------

_TIDY_DEFAULTS: dict[str, Any] = {
    "partner": "",
    "period": "",
    "sex": "total",
    "age": "total",
    "sheet": None,
    "row": None,
    "col": None,
    "note": "",
}
_TIDY_KEY = ("indicator", "geo", "partner", "year", "period", "sex", "age")


def _tidy_column(value: Any, n: int, type_: pa.DataType) -> pa.Array:
    if isinstance(value, pa.ChunkedArray | pa.Array):
        value = _as_array(value)
        if len(value) != n:
            raise ValueError(f"column of {len(value)} values for {n} rows")
        return value if value.type == type_ else pc.cast(value, type_)
    if value is None:
        return pa.nulls(n, type_)
    return pa.repeat(pa.scalar(value, type_), n)


class TidyColumns:
    """TidyRows for whole columns: blocks of rows given as arrays (or one value for a block),
    checked as TidyRows.add checks each row, in the order the adds would come.

    A value outside `value_bounds` is check_value's ParseError; a second row for the same key
    (indicator, geo, partner, year, period, sex, age) with another value is TidyRows'
    duplicate error naming both rows, with the same value it is dropped (counted in
    `duplicates_dropped`). With `errors`, errors are recorded there (the caller raises the
    first); `order` gives each row's place in the row loop (`at(record, rank)`), and the table
    is put in that order.
    """

    def __init__(self, path: Path, errors: FirstError | None = None):
        self.path = path
        self.errors = errors
        self.duplicates_dropped = 0
        self._blocks: list[pa.Table] = []
        self._orders: list[pa.Array] = []

    def extend(self, n: int, *, order: pa.Array | None = None, **columns: Any) -> None:
        """Add n rows: indicator, geo, year, value and unit are required, the other TIDY_SCHEMA
        columns default as in TidyRows.add."""
        missing = [c for c in ("indicator", "geo", "year", "value", "unit") if c not in columns]
        unknown = set(columns) - set(TIDY_SCHEMA.names)
        if missing or unknown:
            raise TypeError(f"TidyColumns.extend: missing {missing}, unknown {sorted(unknown)}")
        if not n:
            return
        arrays = [
            _tidy_column(columns.get(f.name, _TIDY_DEFAULTS.get(f.name)), n, f.type)
            for f in TIDY_SCHEMA
        ]
        block = pa.Table.from_arrays(arrays, schema=TIDY_SCHEMA)
        start = sum(len(o) for o in self._orders)
        self._blocks.append(block)
        self._orders.append(
            pc.cast(_as_array(order), pa.int64()) if order is not None else arange(n, start)
        )

    def extend_where(self, keep: pa.Array, rank: int, **columns: Any) -> None:
        """The rows of a whole-column parse where `keep` is true: every array column is
        filtered by it, single values apply to all; record i's row takes its place in the row
        loop as check `rank` of record i (`at(i, rank)`)."""
        keep = pc.fill_null(keep, False)
        filtered = {
            name: col.filter(keep) if isinstance(col, pa.Array | pa.ChunkedArray) else col
            for name, col in columns.items()
        }
        order = pc.add(pc.multiply(pc.indices_nonzero(keep), RANKS), rank)
        self.extend(len(order), order=order, **filtered)

    def __len__(self) -> int:
        return sum(b.num_rows for b in self._blocks)

    def to_table(self) -> pa.Table:
        errors = self.errors if self.errors is not None else FirstError()
        if not self._blocks:
            return TIDY_SCHEMA.empty_table()
        table = pa.concat_tables(self._blocks).combine_chunks()
        order = pa.concat_arrays(self._orders)
        n = len(order)
        if n > 1 and not pc.all(pc.greater_equal(order.slice(1), order.slice(0, n - 1))).as_py():
            sort = pc.sort_indices(order)  # stable
            table, order = table.take(sort), pc.take(order, sort)
        self._check_bounds(table, order, errors)
        table = self._drop_duplicates(table, order, errors)
        if self.errors is None:
            errors.raise_first()
        return table

    def _check_bounds(self, table: pa.Table, order: pa.Array, errors: FirstError) -> None:
        """The first value outside its (indicator, unit) bounds, as check_value words it."""
        value = table.column("value")
        pairs = pc.dictionary_encode(
            pc.binary_join_element_wise(table.column("indicator"), table.column("unit"), "\x00")
        ).combine_chunks()
        bounds = [value_bounds(*key.split("\x00", 1)) for key in pairs.dictionary.to_pylist()]
        lo = pc.take(pa.array([b[0] for b in bounds], pa.float64()), pairs.indices)
        hi = pc.take(pa.array([b[1] for b in bounds], pa.float64()), pairs.indices)
        inside = pc.and_kleene(pc.greater_equal(value, lo), pc.less_equal(value, hi))  # NaN: no
        bad = pc.and_(pc.is_valid(value), pc.invert(pc.fill_null(inside, True)))
        if not pc.any(bad).as_py():
            return
        i = pc.index(bad, True).as_py()
        r = table.slice(i, 1).to_pylist()[0]
        try:
            check_value(r["indicator"], r["unit"], r["value"], self.path, sheet=r["sheet"],
                        row=r["row"], col=r["col"])  # fmt: skip
        except ParseError as exc:
            errors.add(order[i].as_py(), exc, 1)

    def _drop_duplicates(self, table: pa.Table, order: pa.Array, errors: FirstError) -> pa.Table:
        """Rows whose key came before: dropped with the same value, else the first such row is
        TidyRows' duplicate error (found by sorting one int64 code per key: no hash table)."""
        n = table.num_rows
        code = key_codes(table, _TIDY_KEY)
        by_key = pc.sort_indices(code)  # stable: of equal keys, the earliest row first
        codes = pc.take(code, by_key)
        same = pc.equal(codes.slice(1), codes.slice(0, n - 1))
        if not pc.any(same).as_py():
            return table
        repeat = pa.concat_arrays([pa.array([False]), same])
        # each sorted position's run start, i.e. the first row of its key
        start = pc.cumulative_max(pc.if_else(repeat, 0, arange(n)))
        later = by_key.filter(repeat)
        first = pc.take(by_key, start).filter(repeat)
        value = table.column("value")
        v_later, v_first = pc.take(value, later), pc.take(value, first)
        equal = pc.or_(
            pc.fill_null(pc.equal(v_later, v_first), False),
            pc.and_(pc.is_null(v_later), pc.is_null(v_first)),
        )
        if not pc.all(equal).as_py():
            conflicts = pc.filter(later, pc.invert(equal))
            j = pc.min(conflicts).as_py()
            f = first[pc.index(later, j).as_py()].as_py()
            d, prior = table.slice(j, 1).to_pylist()[0], table.slice(f, 1).to_pylist()[0]
            partner = d["partner"]
            errors.add(
                order[j].as_py(),
                ParseError(
                    self.path,
                    f"duplicate entry for {d['indicator']} {d['geo']}"
                    f"{'/' + partner if partner else ''} {d['year']} {d['sex']}: "
                    f"{prior['value']} at row {prior['row']} and {d['value']} here",
                    sheet=d["sheet"],
                    row=d["row"],
                ),
                2,
            )
        self.duplicates_dropped += len(later)
        return table.filter(pc.invert(pc.is_in(arange(n), value_set=later)))


def key_codes(table: pa.Table, names: tuple[str, ...]) -> pa.Array:
    """One int64 per row, equal exactly where the rows' values in `names` are all equal."""
    code: pa.Array | None = None
    radix = 1
    for name in names:
        column = _as_array(table.column(name))
        if pa.types.is_integer(column.type):
            low, high = pc.min_max(column).values()
            low_v = low.as_py() or 0
            size = (high.as_py() or 0) - low_v + 2  # 0 is null
            part = pc.fill_null(pc.add(pc.subtract(pc.cast(column, pa.int64()), low_v), 1), 0)
        else:
            encoded = pc.dictionary_encode(column, null_encoding="encode")
            size = len(encoded.dictionary)
            part = pc.cast(encoded.indices, pa.int64())
        if code is None:
            code, radix = part, size
            continue
        if radix * size >= 2**62:  # renumber densely before the product could overflow
            encoded = pc.dictionary_encode(code)
            code, radix = pc.cast(encoded.indices, pa.int64()), len(encoded.dictionary)
        code = pc.add(pc.multiply(code, size), part)
        radix *= size
    assert code is not None
    return code


# --- reading files once, within limits -------------------------------------------------------


def _env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


@dataclass
class ReadLimits:
    """How much one input may cost: bytes of a file, of a zip member, and a member's ratio.

    Defaults are far above any publisher file (the largest real one is 11 MB); each can be set
    from the environment (MIGPROFILE_MAX_FILE_BYTES, MIGPROFILE_MAX_MEMBER_BYTES,
    MIGPROFILE_MAX_ZIP_RATIO) or by assigning to `LIMITS`.
    """

    max_file_bytes: int = field(
        default_factory=lambda: _env_int("MIGPROFILE_MAX_FILE_BYTES", 512 * 1024 * 1024)
    )
    max_member_bytes: int = field(
        default_factory=lambda: _env_int("MIGPROFILE_MAX_MEMBER_BYTES", 512 * 1024 * 1024)
    )
    max_zip_ratio: int = field(default_factory=lambda: _env_int("MIGPROFILE_MAX_ZIP_RATIO", 200))
    # A file modified this recently is watched this long before it is parsed (see read_limited).
    quiet_seconds: float = field(
        default_factory=lambda: _env_int("MIGPROFILE_QUIET_MS", 500) / 1000.0
    )


LIMITS = ReadLimits()


class TooLarge(ParseError):
    """An input over one of the LIMITS: refused before it is read (or expanded) whole."""


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e5 else f"{n:,} bytes"


def _read_once(path: Path, limit: int) -> tuple[bytes, tuple[int, int, int], tuple[int, ...]]:
    with path.open("rb") as fh:
        before = os.fstat(fh.fileno())
        size = before.st_size
        # read(n) allocates n bytes up front: never ask for the limit itself.
        data = b"" if size > limit else fh.read(size + 1)
        after = os.fstat(fh.fileno())
    stamp = (before.st_size, before.st_mtime_ns, before.st_ino)
    return data, stamp, (after.st_size, after.st_mtime_ns, after.st_ino)


def _quiet_since(path: Path, stamp: tuple[int, int, int]) -> bool:
    """A file modified less than LIMITS.quiet_seconds ago may be mid-write (a writer paused
    between two writes leaves a torn file that reads the same twice): wait out the rest of
    that time; the file must not have changed meanwhile."""
    wait = LIMITS.quiet_seconds - (time.time_ns() - stamp[1]) / 1e9
    if wait <= 0:
        return True
    time.sleep(min(wait, LIMITS.quiet_seconds))
    try:
        st = path.stat()
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns, st.st_ino) == stamp


def read_limited(path: Path, limit: int | None = None) -> bytes:
    """A whole file in one read, refused (ParseError) when larger than the limit.

    A file being rewritten while it is read would give bytes of two versions: the file is read
    twice and both reads must agree (and its size and time stamp must not move), else it is
    read again, and after three tries refused."""
    limit = LIMITS.max_file_bytes if limit is None else limit
    for _attempt in range(3):
        try:
            data, before, after = _read_once(path, limit)
            size = before[0]
            if size > limit:
                raise TooLarge(
                    path,
                    f"file larger than the {_mb(limit)} limit (set MIGPROFILE_MAX_FILE_BYTES to "
                    "raise it)",
                )
            again, before2, after2 = _read_once(path, limit)
        except OSError as exc:
            raise ParseError(path, f"cannot read the file ({exc.strerror or exc})") from None
        same = before == after == before2 == after2 and data == again and len(data) == size
        if same and _quiet_since(path, before):
            return data
    raise ParseError(
        path, "the file changed while being read (still being written?): try again once it is"
    )


# The FilePeek of each path being read: parsers reading `path` get the very bytes it read (and
# hashed), so the recorded sha256 is always that of the bytes parsed.
_OPEN: weakref.WeakValueDictionary[str, FilePeek] = weakref.WeakValueDictionary()


def read_bytes(path: Path) -> bytes:
    """The file's bytes: those its FilePeek read (read once), else one limited read."""
    peek = _OPEN.get(str(path))
    if peek is not None:
        return peek.data
    return read_limited(path)


def open_zip(path: Path, data: bytes | None = None) -> zipfile.ZipFile:
    """The zip in `data` (or the file's bytes); a broken zip is a ParseError."""
    try:
        return zipfile.ZipFile(io.BytesIO(read_bytes(path) if data is None else data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise ParseError(path, f"not a readable zip ({exc})") from None


def zip_member(path: Path, zf: zipfile.ZipFile, name: str, size: int | None = None) -> bytes:
    """One member's bytes, read lazily (only `size` bytes when given) within LIMITS.

    A member that claims, or turns out, to be larger than `max_member_bytes`, or compressed
    more than `max_zip_ratio` to 1 (a zip bomb), is refused before it is expanded.
    """
    info = zf.getinfo(name)
    cap = LIMITS.max_member_bytes
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > cap:
        raise TooLarge(
            path,
            f"zip member {name} expands to {_mb(info.file_size)}, over the {_mb(cap)} limit",
        )
    if info.file_size > 1_000_000 and ratio > LIMITS.max_zip_ratio:
        raise TooLarge(
            path,
            f"zip member {name} is compressed {ratio:,.0f} to 1 (limit {LIMITS.max_zip_ratio}): "
            "refused as a possible zip bomb",
        )
    want = cap + 1 if size is None else min(size, cap + 1)
    chunks: list[bytes] = []
    got = 0
    try:
        with zf.open(info) as fh:
            while got < want:
                chunk = fh.read(min(1 << 20, want - got))
                if not chunk:
                    break
                chunks.append(chunk)
                got += len(chunk)
    except (zipfile.BadZipFile, zlib_error(), OSError, EOFError, NotImplementedError) as exc:
        raise ParseError(path, f"zip member {name} is not readable ({exc})") from None
    if size is None and got > cap:
        raise TooLarge(path, f"zip member {name} expands past the {_mb(cap)} limit")
    return b"".join(chunks)


def zlib_error() -> type[Exception]:
    import zlib

    return zlib.error


def native_call(path: Path, what: str, call: Callable[[], Any], sheet: str | None = None) -> Any:
    """Run a native reader's call; anything it raises, a Rust panic included, is a ParseError.

    pyo3's PanicException derives from BaseException, so `except Exception` misses it.
    """
    try:
        return call()
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except ParseError:
        raise
    except BaseException as exc:  # the calamine panic is a BaseException
        detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        kind = type(exc).__name__
        reason = f"{kind}: {detail}" if detail else kind
        raise ParseError(path, f"{what} ({reason})", sheet=sheet) from None


# --- peeking at files cheaply ------------------------------------------------------------------


class FilePeek:
    """Lazily opened views of a file, shared by all sources' recognise() calls.

    The file is read once (`data`, refused past `max_bytes`) and everything else, the parse
    included, works from those bytes: `sha256` is the hash of exactly what was parsed.
    """

    def __init__(self, path: Path, *, max_bytes: int | None = None):
        self.path = path
        self.max_bytes = max_bytes
        self._data: bytes | None = None
        self._sha256: str | None = None
        self._workbook = None
        self._workbook_error: str | None = None
        self._head: str | None = None
        self._sheets: dict[str, list[list]] = {}
        _OPEN[str(path)] = self

    @property
    def data(self) -> bytes:
        """The whole file, read once (a ParseError when larger than the limit)."""
        if self._data is None:
            self._data = read_limited(self.path, self.max_bytes)
        return self._data

    @property
    def sha256(self) -> str:
        """The sha256 of `data`: of the bytes parsed, not of a second read."""
        if self._sha256 is None:
            self._sha256 = hashlib.sha256(self.data).hexdigest()
        return self._sha256

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
                data = self.data
                self._workbook = native_call(
                    self.path,
                    "not a readable Excel workbook",
                    lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)),
                )
            except ParseError as exc:  # calamine raises several types (and panics) on a bad file
                self._workbook_error = str(exc).split(": ", 1)[-1]
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
            self._sheets[name] = native_call(
                self.path,
                "cannot read sheet",
                lambda: wb.get_sheet_by_name(name).to_python(skip_empty_area=False),
                sheet=name,
            )
        return self._sheets[name]

    def head_text(self, size: int = 4096) -> str:
        """The first bytes of a text file, decoded leniently (for CSV recognition).

        A zip's CSV members are read lazily: only their first `size` bytes are expanded.
        """
        if self._head is None:
            try:
                if self.suffix == ".csv.zip" or self.suffix == ".zip":
                    with open_zip(self.path, self.data) as zf:
                        names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
                        data = b"".join(
                            zip_member(self.path, zf, n, size=size) + b"\n" for n in names
                        )
                else:
                    data = self.data[:size]
            except TooLarge:
                raise
            except ParseError:  # not a zip after all, or unreadable: no text to recognise
                data = b""
            self._head = data.decode("utf-8-sig", errors="replace")
        return self._head


def csv_header(peek: FilePeek, *, lower: bool = False) -> tuple[str, ...] | None:
    """The cells of a CSV file's first line as the csv module reads them, each stripped of
    white space (and lower-cased with `lower`): what a layout recognised by its header
    compares. None when the file is not a .csv or has no text."""
    if peek.suffix != ".csv":
        return None
    first = peek.head_text().splitlines()[:1]
    if not first:
        return None
    cells = next(csv.reader(first), [])
    return tuple(c.strip().lower() if lower else c.strip() for c in cells)


def csv_header_is(peek: FilePeek, header: tuple[str, ...], *, lower: bool = False) -> bool:
    """True when a CSV file's first line is exactly `header` (see csv_header)."""
    return csv_header(peek, lower=lower) == header
