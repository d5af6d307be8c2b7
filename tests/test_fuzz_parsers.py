"""Parser fuzzing (issue 7, item 3): mutated publisher files are parsed right or rejected clearly.

Every source family starts from a valid file (the code-built fixtures, or minimal CSVs in the
publishers' real header layouts written here) which hypothesis then mutates: rows and columns
removed, shifted and duplicated; cells changed to text, numbers, empty, booleans, footnote marks,
non-breaking spaces, Unicode names, huge numbers and negative values; cells merged. The property:
recognise + parse either succeeds with every value a finite float or None, or raises a
MigprofileError naming the file — never another exception. Through the full ingest, a rejected
file leaves the store byte-identical and no `*.ingest-*` copy behind.

The machinery here is shared with benchmarks/fuzz_parsers.py (≥ 2,000 examples per family).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fixtures as fx

# --- minimal valid CSVs of the CSV-only families, in the publishers' header layouts ---------------

IDMC_HEADER = [
    "ISO3", "Name", "Year", "Conflict Stock Displacement", "Conflict Stock Displacement (Raw)",
    "Conflict Internal Displacements", "Conflict Internal Displacements (Raw)",
    "Disaster Internal Displacements", "Disaster Internal Displacements (Raw)",
    "Disaster Stock Displacement", "Disaster Stock Displacement (Raw)",
]  # fmt: skip
IDMC_ROWS = [
    ["GEO", "Georgia", "2022", "250000", "249876", "", "", "510", "512", "27000", "26950"],
    ["UKR", "Ukraine", "2022", "4100000", "4099123", "9900000", "9899765", "2", "2", "", ""],
    ["MDA", "Moldova", "2008", "", "", "", "", "300", "298", "", ""],
]
UNHCR_FINDER = [
    ["Extracted:", "United Nations High Commissioner for Refugees"],
    ["Date extracted:", "04/12/2023 09:15 UTC"],
    ["Last updated:", "14 June 2023"],
    [],
    ["Year", "Country of origin", "Country of origin (ISO)", "Country of asylum",
     "Country of asylum (ISO)", "Refugees under UNHCR's mandate", "Asylum-seekers"],
    ["2022", "Ukraine", "UKR", "Rep. of Moldova", "MDA", "90000", "300"],
    ["2022", "Venezuela (Bolivarian Republic of)", "VEN", "Colombia", "COL", "3", "7"],
    ["2021", "Rep. of Moldova", "MDA", "-", "-", "2300", "0"],
]  # fmt: skip
UNHCR_API = [
    ["year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso", "refugees",
     "asylum_seekers", "returned_refugees", "idps", "returned_idps", "stateless", "ooc", "oip",
     "hst"],
    ["2023", "Ukraine", "UKR", "UKR", "Rep. of Moldova", "MDA", "MDA", "110000.0", "400.0", "0.0",
     "0.0", "0.0", "0.0", "0.0", "", "0.0"],
    ["2024", "Georgia", "GEO", "GEO", "Georgia", "GEO", "GEO", "0.0", "0.0", "0.0", "280000.0",
     "0.0", "0.0", "0.0", "", "0.0"],
]  # fmt: skip
RPW_QUARTERS = ["2019Q3", "2020Q1", "2020Q2", "2020Q3"]
RPW_SERIES = ["Average Total Cost to remit in corridor", "ATCR.CORR"]
RPW_DATABANK = [
    ["Sending Countries Name", "Sending Countries Code", "Series Name", "Series Code",
     "Receiving Countries  Name", "Receiving Countries  Code",
     *[f"{q} [YR{q}]" for q in RPW_QUARTERS]],
    ["Russian Federation", "RUS", *RPW_SERIES, "Armenia", "ARM", "1.5", "1.25", "..", "2"],
    ["Austria", "AUT", *RPW_SERIES, "Kosovo", "KSV", "7", "6.5", "6", ".."],
    [], [],
    ["Data from database: Remittance Prices Worldwide (Corridors)"],
    ["Last Updated: 12/07/2020"],
]  # fmt: skip
RPW_POST_HEADER = [
    "id", "period", "source_code", "source_name", "source_region", "destination_code",
    "destination_name", "firm", "firm_type", "payment instrument", "access point",
    "speed actual", "cc1 lcu amount", "cc1 lcu fee", "cc1 fx margin", "cc1 total cost %",
    "cc2 lcu amount", "cc2 lcu fee", "cc2 fx margin", "cc2 total cost %", "inter lcu bank fx",
    "transparent", "Standard Note", "receiving network coverage", "pickup location",
    "pickup method", "date", "corridor",
]  # fmt: skip


def _rpw_post_row(period, firm, instrument, cc1, cc2):
    return [
        "1", period, "RUS", "Russian Federation", "..", "ARM", "Armenia", firm, "Bank",
        instrument, "Branch", "Same day", "20000", "100", "1.0", cc1, "50000", "200", "1.0", cc2,
        "400", "yes", "", "Nationwide", "", "Cash", "14/Jul/2023", "RUSARM",
    ]  # fmt: skip


RPW_POST = [
    RPW_POST_HEADER,
    _rpw_post_row("2023_3Q", "Bank A", "Bank account", "2.0", "1.0"),
    _rpw_post_row("2023_3Q", "Fast MTO", "Cash", "3.0", "2.0"),
    _rpw_post_row("2023_1Q", "Bank A", "Cash", "4.0", "3.0"),
]


def _write_csv_rows(rows: list[list], name: str) -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        return path

    return build


# --- a file as grids of cells ------------------------------------------------------------------


@dataclass
class Book:
    """A file as sheet name → grid of cells (a CSV is one sheet named ''), plus merges."""

    kind: str  # xlsx | xls | csv | zip
    name: str
    sheets: dict[str, list[list]]
    merges: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, bytes] = field(default_factory=dict)  # zip members left alone
    member: str = ""  # the zip member that is mutated
    quote_all: bool = False  # the World Bank's dialect: every field quoted
    encoding: str = "utf-8"

    def copy(self) -> Book:
        return Book(
            self.kind,
            self.name,
            {k: [list(r) for r in g] for k, g in self.sheets.items()},
            {k: list(v) for k, v in self.merges.items()},
            dict(self.extra),
            self.member,
            self.quote_all,
            self.encoding,
        )


def _read_csv_grid(data: bytes) -> list[list]:
    return [list(r) for r in csv.reader(io.StringIO(data.decode("utf-8-sig")))]


def load_book(path: Path) -> Book:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl

        wb = openpyxl.load_workbook(path)
        sheets, merges = {}, {}
        for ws in wb.worksheets:
            sheets[ws.title] = [list(r) for r in ws.iter_rows(values_only=True)]
            merges[ws.title] = [str(r) for r in ws.merged_cells.ranges]
        return Book("xlsx", path.name, sheets, merges)
    if suffix == ".xls":
        from python_calamine import CalamineWorkbook

        wb = CalamineWorkbook.from_path(str(path))
        sheets = {
            n: wb.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wb.sheet_names
        }
        return Book("xls", path.name, sheets)
    if suffix == ".zip":
        with zipfile.ZipFile(path) as zf:
            members = {n: zf.read(n) for n in zf.namelist()}
        data = next(n for n in members if not n.startswith("Metadata_"))
        raw = members.pop(data)
        grid = _read_csv_grid(raw)
        return Book("zip", path.name, {"": grid}, extra=members, member=data,
                    quote_all=raw.startswith(b'"'))  # fmt: skip
    raw = path.read_bytes()
    return Book("csv", path.name, {"": _read_csv_grid(raw)}, quote_all=raw.startswith(b'"'))


def _csv_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer() and abs(cell) < 1e16:
        return str(int(cell))
    return str(cell)


def _csv_bytes(grid: list[list], quote_all: bool = False, encoding: str = "utf-8") -> bytes:
    buf = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    rows = [[_csv_text(c) for c in r] for r in grid]
    csv.writer(buf, lineterminator="\r\n", quoting=quoting).writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def _xlsx_cell(value):
    if isinstance(value, str):  # openpyxl refuses control characters
        return "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
    return value


def save_book(book: Book, folder: Path) -> Path:
    path = folder / book.name
    if book.kind == "xlsx":
        import openpyxl
        from openpyxl.utils.cell import range_boundaries
        from openpyxl.worksheet.cell_range import CellRange

        wb = openpyxl.Workbook(write_only=True)  # several times faster than a normal workbook
        for title, grid in book.sheets.items():
            ws = wb.create_sheet(title)
            grid = [[None if v == "" else _xlsx_cell(v) for v in row] for row in grid]
            for rng in book.merges.get(title, []):
                c1, r1, c2, r2 = range_boundaries(rng)
                for i in range(r1 - 1, min(r2, len(grid))):  # Excel keeps the top-left value only
                    for j in range(c1 - 1, min(c2, len(grid[i]))):
                        if (i, j) != (r1 - 1, c1 - 1):
                            grid[i][j] = None
                ws.merged_cells.add(CellRange(rng))
            for row in grid:
                ws.append(row)
        wb.save(path)
    elif book.kind == "xls":
        import xlwt

        wb = xlwt.Workbook()
        for title, grid in book.sheets.items():
            ws = wb.add_sheet(title)
            for i, row in enumerate(grid[:65000]):
                for j, value in enumerate(row[:255]):
                    if value is None or value == "":
                        continue
                    if isinstance(value, str):
                        value = value[:32000]
                    elif not isinstance(value, (bool, int, float)):
                        value = str(value)
                    ws.write(i, j, value)
        wb.save(str(path))
    elif book.kind == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for n, data in book.extra.items():
                zf.writestr(n, data)
            zf.writestr(book.member, _csv_bytes(book.sheets[""], book.quote_all, book.encoding))
    else:
        path.write_bytes(_csv_bytes(book.sheets[""], book.quote_all, book.encoding))
    return path


# --- mutations ---------------------------------------------------------------------------------

TEXTS = [
    "1e400", "-1e400", "inf", "-Infinity", "NaN", "nan(1)", "12*", "12 (a)", "(a)", "*", "**",
    "..", "\u00a0123\u00a0", "1\u00a0234", "1 234", "1,234.5", "-12", "+7", "0x1F", "1_000",
    "Côte d’Ivoire", "Türkiye", "Ελλάδα", "中国", "Curaçao\u00a0", "\u200b", "   ", "TRUE",
    "=1+1", "#N/A", "2020e", "1990 [YR1990]", "2020Q3", "2023_3Q", "\ufeffISO3", "-", "–",
    "MDA", "XKX", "WLD", "Republic of Moldova*", "Moldova (a)", "Unknown ", "9" * 400,
]  # fmt: skip
NUMBERS = [1e308, -1e308, 1.7976931348623157e308, 5e-324, -5.0, -0.0, 0.0, 2020, 1990.0, 2**63]

values = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from(NUMBERS),
    st.sampled_from(TEXTS),
    st.text(max_size=12),
)
index = st.integers(0, 10**6)
MARKS = ["*", " (a)", "(b)", "\u00a0", " *", "\u00a0(1)", " ", "\u202f"]

mutation = st.one_of(
    st.tuples(st.just("del_row"), index),
    st.tuples(st.just("del_col"), index),
    st.tuples(st.just("dup_row"), index, index),
    st.tuples(st.just("dup_col"), index, index),
    st.tuples(st.just("shift_rows"), index, st.integers(1, 3)),
    st.tuples(st.just("shift_cols"), index, st.integers(1, 3)),
    st.tuples(st.just("swap_rows"), index, index),
    st.tuples(st.just("set"), index, index, values),
    st.tuples(st.just("set"), index, index, values),
    st.tuples(st.just("mark"), index, index, st.sampled_from(MARKS)),
    st.tuples(st.just("negate"), index, index),
    st.tuples(st.just("merge"), index, index, st.integers(0, 2), st.integers(0, 3)),
    st.tuples(st.just("encode"), st.sampled_from(["cp1252", "latin-1", "utf-16", "utf-8-sig"])),
)
mutations = st.lists(mutation, min_size=1, max_size=6)


def _pad(grid: list[list]) -> int:
    width = max((len(r) for r in grid), default=0)
    for r in grid:
        r.extend([None] * (width - len(r)))
    return width


def mutate(book: Book, sheet: str, ops: list[tuple]) -> Book:
    """A copy of the book with the operations applied to one sheet's grid."""
    out = book.copy()
    grid = out.sheets[sheet]
    if not grid:
        grid.append([None])
    merges: list[str] = []
    structural = False
    for op, *args in ops:
        width = _pad(grid) or 1
        if not grid[0]:
            for r in grid:
                r.append(None)
        n = len(grid)
        if op == "del_row" and n > 1:
            del grid[args[0] % n]
        elif op == "del_col" and width > 1:
            j = args[0] % width
            for r in grid:
                del r[j]
        elif op == "dup_row":
            grid.insert(args[1] % (n + 1), list(grid[args[0] % n]))
        elif op == "dup_col":
            j, k = args[0] % width, args[1] % (width + 1)
            for r in grid:
                r.insert(k, r[j])
        elif op == "shift_rows":
            i = args[0] % n
            grid[i:i] = [[None] * width for _ in range(args[1])]
        elif op == "shift_cols":
            j = args[0] % width
            for r in grid:
                r[j:j] = [None] * args[1]
        elif op == "swap_rows":
            i, k = args[0] % n, args[1] % n
            grid[i], grid[k] = grid[k], grid[i]
        elif op == "set":
            grid[args[0] % n][args[1] % width] = args[2]
        elif op == "mark":
            i, j = args[0] % n, args[1] % width
            cell = grid[i][j]
            text = _csv_text(cell)
            grid[i][j] = args[2] + text if args[2].strip() == "" and text else text + args[2]
        elif op == "negate":
            i, j = args[0] % n, args[1] % width
            cell = grid[i][j]
            if isinstance(cell, (int, float)) and not isinstance(cell, bool):
                grid[i][j] = -cell
            elif cell not in (None, ""):
                grid[i][j] = "-" + str(cell)
        elif op == "encode":  # CSVs only: what Excel's 'Save as CSV' writes on Windows
            out.encoding = args[0]
        elif op == "merge" and book.kind == "xlsx":
            from openpyxl.utils import get_column_letter

            i, j = args[0] % n, args[1] % width
            h, w = args[2], args[3]
            if h or w:
                first = f"{get_column_letter(j + 1)}{i + 1}"
                last = f"{get_column_letter(j + 1 + w)}{i + 1 + h}"
                merges.append(f"{first}:{last}")
        structural = structural or op in ("del_row", "del_col", "dup_row", "dup_col", "shift_rows",
                                          "shift_cols", "swap_rows")  # fmt: skip
    if book.kind == "xlsx":
        kept = [] if structural else out.merges.get(sheet, [])
        out.merges[sheet] = _non_overlapping(kept + merges)
    return out


def _non_overlapping(ranges: list[str]) -> list[str]:
    from openpyxl.utils.cell import range_boundaries

    taken: list[tuple[int, int, int, int]] = []
    out = []
    for rng in ranges:
        c1, r1, c2, r2 = range_boundaries(rng)
        if any(not (c2 < a or c1 > c or r2 < b or r1 > d) for a, b, c, d in taken):
            continue
        taken.append((c1, r1, c2, r2))
        out.append(rng)
    return out


# --- the families ------------------------------------------------------------------------------


@dataclass
class Family:
    name: str
    build: Callable[[Path], Path]  # writes the valid file (and companions) into a folder
    sheets: tuple[str, ...] = ("",)  # sheets worth mutating
    companions: bool = False  # the folder holds other files the parse needs (WDI CSV metadata)


FAMILIES: dict[str, Family] = {
    f.name: f
    for f in [
        Family("undesa_dest_2020", fx.undesa_destination_2020, ("Table 1", "Table 3", "Table 4")),
        Family("undesa_dest_2019", fx.undesa_destination_2019, ("Table 1", "Table 3", "Table 4")),
        Family("undesa_origin_2015", fx.undesa_origin_2015, ("Table 1",)),
        Family("undesa_origin_stacked", fx.undesa_origin_stacked, ("Table 1",)),
        Family("wdi_xls", fx.wdi_bulk_xls, ("Data", "Metadata - Countries")),
        Family("wdi_csv", fx.wdi_bulk_csv, companions=True),
        Family("wdi_zip", fx.wdi_bulk_zip),
        Family("wdi_long_csv", fx.wdi_long_csv),
        Family("bilateral_csv", fx.tidy_bilateral_csv),
        Family("idmc_csv", _write_csv_rows([IDMC_HEADER, *IDMC_ROWS], "idmc_gidd_2023.csv")),
        Family("unhcr_finder_csv", _write_csv_rows(UNHCR_FINDER, "unhcr_population.csv")),
        Family("unhcr_api_csv", _write_csv_rows(UNHCR_API, "unhcr_api_population.csv")),
        Family("rpw_databank_csv", _write_csv_rows(RPW_DATABANK, "rpw_corridors_databank.csv")),
        Family("rpw_provider_csv", _write_csv_rows(RPW_POST, "rpw_extract.csv")),
    ]
}

_BASE: dict[str, tuple[Book, Path]] = {}
_BASE_DIR = Path(tempfile.mkdtemp(prefix="migprofile-fuzz-base-"))


def base_book(family: Family) -> tuple[Book, Path]:
    """The family's valid file as a Book (built once), and its folder (for companions)."""
    if family.name not in _BASE:
        folder = _BASE_DIR / family.name
        folder.mkdir(parents=True, exist_ok=True)
        _BASE[family.name] = (load_book(family.build(folder)), folder)
    return _BASE[family.name]


def write_case(family: Family, sheet_pick: int, ops: list[tuple], folder: Path) -> Path:
    book, base_folder = base_book(family)
    if family.companions:
        for p in base_folder.iterdir():
            if p.name != book.name:
                shutil.copy(p, folder / p.name)
    sheet = family.sheets[sheet_pick % len(family.sheets)]
    return save_book(mutate(book, sheet, ops), folder)


# --- the property ------------------------------------------------------------------------------

OK, REJECTED, SKIPPED = "parsed ok", "rejected", "not recognised"


class PropertyViolation(AssertionError):
    pass


def _check_table(table, path: Path) -> None:
    for value in table.column("value").to_pylist():
        if value is not None and (not isinstance(value, float) or not math.isfinite(value)):
            raise PropertyViolation(f"{path.name}: stored value {value!r}")


def _check_error(exc: Exception, path: Path) -> None:
    if path.name not in str(exc):
        raise PropertyViolation(f"error does not name the file {path.name}: {exc}")


def parse_case(path: Path) -> str:
    """recognise + parse one file: OK, REJECTED or SKIPPED; PropertyViolation otherwise."""
    from migprofile.errors import MigprofileError
    from migprofile.ingest import harmoniser_for, recognise
    from migprofile.sources import REGISTRY

    try:
        match = recognise(path, REGISTRY)
        if match is None or match.layout == "not-selected":
            return SKIPPED
        parsed = match.source.parse(match, harmoniser_for(None))
    except MigprofileError as exc:
        _check_error(exc, path)
        return REJECTED
    except Exception as exc:
        raise PropertyViolation(f"{path.name}: uncaught {type(exc).__name__}: {exc}") from exc
    _check_table(parsed.table, path)
    return OK


def sha_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class GoodStore:
    """A data home holding a good store; each case runs ingest against a fresh copy of it."""

    def __init__(self, home: Path):
        from migprofile import config
        from migprofile.ingest import ingest

        self.home = home
        os.environ["MIGPROFILE_HOME"] = str(home)
        os.environ.pop("MIGPROFILE_RAW_DIR", None)
        good = home.parent / "good-raw"
        good.mkdir(exist_ok=True)
        fx.wdi_long_csv(good)
        ingest(raw_dir=good, offline=True)
        self.db = config.db_path()
        self.pristine = self.db.read_bytes()

    def reset(self) -> None:
        os.environ["MIGPROFILE_HOME"] = str(self.home)
        self.db.write_bytes(self.pristine)

    def leftovers(self) -> list[str]:
        return [p.name for p in self.db.parent.glob(self.db.name + ".ingest-*")]


def ingest_case(raw: Path, path: Path, good: GoodStore) -> str:
    """The full ingest of a folder holding the mutated file, against the good store."""
    import duckdb

    from migprofile.errors import MigprofileError
    from migprofile.ingest import ingest

    good.reset()
    before = sha_of(good.db)
    try:
        report = ingest(raw_dir=raw, offline=True, strict=True)  # all or nothing
    except MigprofileError as exc:
        _check_error(exc, path)
        if sha_of(good.db) != before:
            raise PropertyViolation(f"{path.name}: store changed on error ({exc})") from None
        if good.leftovers():
            raise PropertyViolation(f"{path.name}: left {good.leftovers()}") from None
        return REJECTED
    except Exception as exc:
        raise PropertyViolation(f"{path.name}: uncaught {type(exc).__name__}: {exc}") from exc
    if good.leftovers():
        raise PropertyViolation(f"{path.name}: left {good.leftovers()}")
    con = duckdb.connect(str(good.db), read_only=True)
    try:
        bad = con.execute(
            "SELECT count(*) FROM observations WHERE value IS NOT NULL AND NOT isfinite(value)"
        ).fetchone()[0]
    finally:
        con.close()
    if bad:
        raise PropertyViolation(f"{path.name}: {bad} non-finite values stored")
    return OK if report.ingested else SKIPPED


# --- tests -------------------------------------------------------------------------------------

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_unmutated_fixture_parses(name, tmp_path):
    """The starting point of each family is a valid file (so mutations explore near-valid input)."""
    family = FAMILIES[name]
    book, _ = base_book(family)
    path = write_case(family, 0, [], tmp_path)
    assert parse_case(path) == OK, book.name


@pytest.mark.parametrize("name", list(FAMILIES))
def test_mutated_files_parse_or_fail_clearly(name):
    family = FAMILIES[name]

    @FUZZ
    @given(sheet=st.integers(0, 10), ops=mutations)
    def run(sheet, ops):
        with tempfile.TemporaryDirectory() as d:
            parse_case(write_case(family, sheet, ops, Path(d)))

    run()


@pytest.fixture(scope="module")
def good_store(tmp_path_factory):
    saved = {k: os.environ.get(k) for k in ("MIGPROFILE_HOME", "MIGPROFILE_RAW_DIR")}
    home = tmp_path_factory.mktemp("fuzz") / "home"
    home.mkdir()
    yield GoodStore(home)
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.mark.parametrize("name", list(FAMILIES))
def test_mutated_files_never_touch_the_store_on_error(name, good_store):
    family = FAMILIES[name]

    @settings(FUZZ, max_examples=4)
    @given(sheet=st.integers(0, 10), ops=mutations)
    def run(sheet, ops):
        with tempfile.TemporaryDirectory() as d:
            raw = Path(d)
            ingest_case(raw, write_case(family, sheet, ops, raw), good_store)

    run()


# (sheet, 0-based grid row of a data row, 0-based column of one of its values)
DUPLICATE_AT = {
    "undesa_dest_2020": ("Table 1", 14, 5),
    "undesa_origin_2015": ("Table 1", 19, 5),
    "wdi_xls": ("Data", 4, 64),
    "wdi_csv": ("", 5, 63),
    "wdi_long_csv": ("", 1, 4),
    "bilateral_csv": ("", 1, 4),
    "idmc_csv": ("", 1, 3),
    "unhcr_finder_csv": ("", 5, 5),
    "unhcr_api_csv": ("", 1, 7),
    "rpw_databank_csv": ("", 1, 6),
}


@pytest.mark.parametrize("name", list(DUPLICATE_AT))
def test_duplicate_key_with_another_value_names_both_rows(name, tmp_path):
    from migprofile.errors import ParseError

    family = FAMILIES[name]
    sheet, row, col = DUPLICATE_AT[name]
    book, folder = base_book(family)
    book = book.copy()
    grid = book.sheets[sheet]
    copy = list(grid[row])
    copy[col] = float(copy[col]) + 1
    grid.insert(row + 2, copy)  # one unrelated row in between
    if family.companions:
        for p in folder.iterdir():
            shutil.copy(p, tmp_path / p.name)
    path = save_book(book, tmp_path)
    with pytest.raises(ParseError) as err:
        parse_case_strict(path)
    message = str(err.value)
    assert path.name in message and "duplicate" in message
    assert str(row + 1) in message and str(row + 3) in message, message  # both rows, 1-based


def parse_case_strict(path: Path):
    from migprofile.ingest import harmoniser_for, recognise
    from migprofile.sources import REGISTRY

    match = recognise(path, REGISTRY)
    assert match is not None
    return match.source.parse(match, harmoniser_for(None))


@pytest.mark.parametrize("text", ["1e400", "-1e400", "inf", "-Infinity", "nan(1)"])
def test_non_finite_text_is_rejected_not_stored(text, tmp_path):
    """Found by the fuzzing: '1e400' used to be stored as inf (and crashed a UN DESA code)."""
    from migprofile.errors import ParseError

    grid = [list(r) for r in [IDMC_HEADER, *IDMC_ROWS]]
    grid[1][3] = text
    path = tmp_path / "idmc_gidd_2023.csv"
    path.write_bytes(_csv_bytes(grid))
    with pytest.raises(ParseError, match="row 2"):
        parse_case_strict(path)
    book, _ = base_book(FAMILIES["undesa_dest_2020"])
    book = book.copy()
    book.sheets["Table 1"][14][3] = text  # the location code
    with pytest.raises(ParseError, match="row 15"):
        parse_case_strict(save_book(book, tmp_path))


@pytest.mark.parametrize("name", ["idmc_csv", "unhcr_api_csv", "wdi_long_csv", "bilateral_csv"])
def test_csv_not_in_utf8_is_rejected_naming_the_file(name, tmp_path):
    """Found by the fuzzing: a cp1252 CSV raised UnicodeDecodeError / ArrowInvalid."""
    from migprofile.errors import ParseError

    book, _ = base_book(FAMILIES[name])
    book = book.copy()
    book.sheets[""][1][1] = "Côte d'Ivoire"
    book.encoding = "cp1252"
    path = save_book(book, tmp_path)
    with pytest.raises(ParseError, match="not UTF-8") as err:
        parse_case_strict(path)
    assert path.name in str(err.value)


def test_wdi_zip_without_its_data_header_is_an_error_not_a_crash(tmp_path):
    """Found by the fuzzing: with the 'Data Source' line gone, the zip's metadata member made it
    look like a metadata CSV, and reading the zip as text raised UnicodeDecodeError."""
    from migprofile.errors import ParseError

    book, _ = base_book(FAMILIES["wdi_zip"])
    book = book.copy()
    del book.sheets[""][0]
    path = save_book(book, tmp_path)
    with pytest.raises(ParseError, match="named like a World Bank"):
        parse_case_strict(path)
