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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.periods import ANNUAL_PERIODS, MID_YEAR, is_annual  # noqa: F401 (for parsers)

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
            raise ValueError("NaN where a number was expected")
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
            return (-WORLD_POPULATION_CAP, WORLD_POPULATION_CAP, "a net count of people")
        return (0.0, WORLD_POPULATION_CAP, "a count of people")
    if u.startswith("%") or u == "percent":
        if "cost" in ind:
            return (-100.0, 100.0, "a cost in percent")
        if _SIGNED.search(ind) or "annual" in u:
            return (-_FLOAT_MAX, _FLOAT_MAX, "a number")
        if _SHARE_UNITS.match(u):
            return (0.0, 100.0 + SHARE_SLACK, "a share in percent")
    return (-_FLOAT_MAX, _FLOAT_MAX, "a number")


def value_problem(indicator: str, unit: str, value: float) -> str | None:
    """Why a value cannot be right for its indicator and unit (None when it can)."""
    lo, hi, what = value_bounds(indicator, unit)
    if lo <= value <= hi:  # False for NaN and for ±inf: every bound is finite
        return None
    if not math.isfinite(value):
        return f"value {value!r} is not a finite number"
    if value < 0 and lo == 0:
        return f"value {value:g} is negative, but {indicator} is {what} ({unit})"
    if what.endswith("people"):
        return f"value {value:g} is more than the world's population ({indicator}, {unit})"
    return f"value {value:g} is outside {lo:g} to {hi:g}, but {indicator} is {what} ({unit})"


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
