"""UN DESA Population Division, World Population Prospects 2024 (WPP): the official `wpp2024`
R package's tables and the bulk CSV of demographic indicators.

Layouts (recognised by their header cells; columns are read by name):
- `wpp-package-table`: a tab-separated table of the package's `data-raw` folder, header
  `country_code, country, 1950, ..., 2023` (migration.txt adds `last.observed`), one row per
  location. Only the file name says which measure it holds (births.txt, deaths.txt,
  migration.txt, PopChange.txt, NatChangeRT.txt, cbr.txt, cdr.txt, cnmr.txt, growthrate.txt: the
  package defines these names); a table with another name (tfr.txt, ...) is not this source's.
  The values are checked against the measure (a rate file renamed births.txt is refused by its
  World row). `last.observed` (the last year of observed migration, 2023 on every row of the
  2024 package; bayesMig reads it, the package's own scripts drop it) is kept as a note on any
  value after it: there are none in the 2024 tables.
- `wpp-unlocations`: UNlocations.txt (name, country_code, reg_code, ..., location_type,
  agcode_*): no observations; it registers WPP's own groups and their members (see below).
- `wpp-misc1dt-csv`: the package's `misc1dt` data converted to CSV (`country_code, year, births,
  cbr, cdr, deaths, PopChange, growthrate, cnmr, NatChangeRT`): the same measures, long.
- `wpp-bulk-csv`: WPP2024_Demographic_Indicators_Medium.csv(.gz, or in a zip): one row per
  location and year (LocID, LocTypeName, Location, Variant, Time, ...). Medium-variant rows only.
  Years after 2023 are projections and are NOT stored (`STORE_PROJECTIONS`): the store's readers
  take a series' latest year as its current value, and would show 2100. With the switch on they
  are stored with the note "projection (medium variant)".

Counts are published in thousands and stored in persons: the published decimal times 1,000,
exactly (32.986 → 32,986), with the note "thousands in the file". Rates keep WPP's unit.
Stored: births, deaths, net_migration, population (TPopulation1July, at mid-year) under the
catalogue ids; NatChange, PopChange and the rates under WPP's own codes (`wpp:cbr`, ...). The
package's tables give no natural change: the catalogue derives it as births minus deaths.

Geography: codes decide. An M49 country code is a country (WPP's 412 is Kosovo); WPP's region
codes are its own (Africa is 903, not M49's 2): the table `WPP_REGIONS` maps each to the
built-in World, M49 and SDG aggregates it equals, to the M49 groups LDC/LLDC/SIDS, or to a WPP
group `wpp-<slug of its name>` registered on first sight with the code ('wpp', code). The name
beside a region code must be WPP's name for it. A bulk-CSV or UNlocations row the file itself
calls an aggregate may add a group WPP_REGIONS lacks (reusing a UN DESA group of the same code
and name). Any other code is refused, naming the file and row: never a guess. WPP's 2024
population-peak groups (codes 5536-5559, in NatChangeRT.txt only) are left out, as counted.

Edition: "2024", WPP's release year: from the name (`wpp2024_misc1dt.csv`, `WPP2024_...`), else
from the layout (the 2024 package's tables end at 2023; nothing inside a file names it);
edition_order "2024-07" (released 11 July 2024).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser, name_key
from migprofile.geo.regions import slug
from migprofile.geo.resolver import CodeScheme, GeoResolver, GeoTables
from migprofile.periods import MID_YEAR
from migprofile.sources.base import (
    LIMITS,
    RANKS,
    WORLD_POPULATION_CAP,
    Download,
    FilePeek,
    FirstError,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyColumns,
    TidyRows,
    TooLarge,
    at,
    cell_number,
    check_final_newline,
    check_last_row,
    check_no_nul,
    convert_distinct,
    convert_numbers,
    open_zip,
    read_bytes,
    read_csv,
    read_csv_columns,
    zip_member,
)
from migprofile.sources.m49 import SPECIAL_GROUPS

EDITION = "2024"
EDITION_ORDER = "2024-07"  # WPP 2024 was released on 11 July 2024
LAST_ESTIMATE_YEAR = 2023  # WPP 2024: estimates 1950-2023, projections 2024-2100
# Projections are left out unless this is True (then stored with PROJECTION_NOTE).
STORE_PROJECTIONS = False
THOUSANDS_NOTE = "thousands in the file (value × 1,000)"
PROJECTION_NOTE = "projection (medium variant)"
BULK_URL = (
    "https://population.un.org/wpp/assets/Excel%20Files/1_Indicator%20(Standard)/CSV_FILES/"
    "WPP2024_Demographic_Indicators_Medium.csv.gz"
)
# Every package table, UNlocations and misc1dt list locations in WPP's sort order: Wallis and
# Futuna Islands (876) last.
LAST_LOCATION = "876"
LAST_LOCATION_WHAT = "the wpp2024 package's tables (WPP's sort order, Wallis and Futuna last)"
_PEOPLE_CAP = WORLD_POPULATION_CAP / 1000  # in thousands
_RATE_CAP = 1000.0  # per 1,000 population: no rate can pass the population itself


@dataclass(frozen=True)
class Measure:
    """One WPP measure: where it is stored, in what unit, and what values it can take."""

    code: str  # the indicator stored: a catalogue id, or WPP's own code
    name: str
    definition: str
    unit: str  # the stored unit
    thousands: bool  # counts the file gives in thousands (stored × 1,000)
    lowest: float  # plausible values, in the file's unit
    highest: float
    world: tuple[float, float] | None = None  # the World's plausible range (file's unit)
    period: str = ""


PER_1000 = "per 1,000 population"
MEASURES: dict[str, Measure] = {
    "births": Measure(
        "births",
        "Births",
        "Annual number of live births.",
        "persons",
        True,
        0.0,
        _PEOPLE_CAP,
        world=(50_000.0, 250_000.0),
    ),
    "deaths": Measure(
        "deaths",
        "Deaths",
        "Annual number of deaths.",
        "persons",
        True,
        0.0,
        _PEOPLE_CAP,
        world=(20_000.0, 200_000.0),
    ),
    "migration": Measure(
        "net_migration",
        "Net number of migrants",
        "Annual number of immigrants minus emigrants.",
        "persons",
        True,
        -_PEOPLE_CAP,
        _PEOPLE_CAP,
    ),
    "population": Measure(
        "population",
        "Total population, as of 1 July",
        "De facto population as of 1 July of the year.",
        "persons",
        True,
        0.0,
        _PEOPLE_CAP,
        world=(2_000_000.0, 12_000_000.0),
        period=MID_YEAR,
    ),
    "NatChange": Measure(
        "wpp:NatChange",
        "Natural change, births minus deaths",
        "Annual number of births minus deaths.",
        "persons",
        True,
        -_PEOPLE_CAP,
        _PEOPLE_CAP,
    ),
    "PopChange": Measure(
        "wpp:PopChange",
        "Population change",
        "Population on 31 December minus population on 1 January of the year.",
        "persons",
        True,
        -_PEOPLE_CAP,
        _PEOPLE_CAP,
    ),
    "cbr": Measure(
        "wpp:cbr",
        "Crude birth rate",
        "Annual number of live births per 1,000 population.",
        PER_1000,
        False,
        0.0,
        _RATE_CAP,
        world=(5.0, 60.0),
    ),
    "cdr": Measure(
        "wpp:cdr",
        "Crude death rate",
        "Annual number of deaths per 1,000 population.",
        PER_1000,
        False,
        0.0,
        _RATE_CAP,
        world=(5.0, 40.0),
    ),
    "cnmr": Measure(
        "wpp:cnmr",
        "Crude net migration rate",
        "Immigrants minus emigrants over the year per 1,000 population (person-years lived).",
        PER_1000,
        False,
        -_RATE_CAP,
        _RATE_CAP,
    ),
    "NatChangeRT": Measure(
        "wpp:NatChangeRT",
        "Rate of natural change",
        "Crude birth rate minus crude death rate, per 1,000 population.",
        PER_1000,
        False,
        -_RATE_CAP,
        _RATE_CAP,
    ),
    "growthrate": Measure(
        "wpp:growthrate",
        "Population growth rate",
        "Average exponential rate of growth of the population over the year, ln(P2/P1), "
        "P1 and P2 the populations on 1 January of consecutive years.",
        "%",
        False,
        -100.0,
        100.0,
    ),
}
# Package table file names (lower case, without .txt) → measure.
PACKAGE_TABLES = {k.lower(): k for k in MEASURES if k not in ("population", "NatChange")}
_TABLE_NAME = re.compile(r"^([A-Za-z]+)(?:\s*\(\d+\))?\.txt$")  # 'births (1).txt' too
MISC_COLUMNS = {k: k for k in PACKAGE_TABLES.values() if k != "migration"}
# Bulk CSV column → measure (the other indicators, TFR, life expectancy..., are not read).
BULK_COLUMNS = {
    "TPopulation1July": "population",
    "Births": "births",
    "Deaths": "deaths",
    "NetMigrations": "migration",
    "NatChange": "NatChange",
    "PopChange": "PopChange",
    "CBR": "cbr",
    "CDR": "cdr",
    "CNMR": "cnmr",
    "NatChangeRT": "NatChangeRT",
    "PopGrowthRate": "growthrate",
}
BULK_REQUIRED = ("LocID", "Location", "Variant", "Time")
COUNTRY_LOC_TYPE = ("Country/Area", "4")  # LocTypeName, LocTypeID of a country row

# --- geography ------------------------------------------------------------------------------

# Countries by M49 code; WPP's own code for Kosovo (M49 gives it none).
GEO_TABLES = GeoTables(codes=CodeScheme(countries="m49", aliases={"412": "XKX"}), record_names=True)
WPP_GROUP = "wpp_group"
_M49_GROUP_LABELS = dict(SPECIAL_GROUPS.values())  # 'ldc' → 'Least developed countries (LDC)'
# WPP 2024 region code → (WPP's name, geo id): a built-in aggregate or M49 group it equals, or
# '' for a WPP group of its own (registered as wpp-<slug of the name>).
WPP_REGIONS: dict[int, tuple[str, str]] = {
    900: ("World", "world"),
    # SDG regions
    1834: ("Sub-Saharan Africa", "sub-saharan-africa"),
    1833: ("Northern Africa and Western Asia", "northern-africa-and-western-asia"),
    1831: ("Central and Southern Asia", "central-and-southern-asia"),
    1832: ("Eastern and South-Eastern Asia", "eastern-and-south-eastern-asia"),
    1830: ("Latin America and the Caribbean", "latin-america-and-the-caribbean"),
    1835: (
        "Oceania (excluding Australia and New Zealand)",
        "oceania-excluding-australia-and-new-zealand",
    ),
    1836: ("Australia/New Zealand", "australia-and-new-zealand"),
    1829: ("Europe and Northern America", "europe-and-northern-america"),
    # geographic regions and sub-regions (M49's, under WPP's codes)
    903: ("Africa", "africa"),
    910: ("Eastern Africa", "eastern-africa"),
    911: ("Middle Africa", "middle-africa"),
    912: ("Northern Africa", "northern-africa"),
    913: ("Southern Africa", "southern-africa"),
    914: ("Western Africa", "western-africa"),
    935: ("Asia", "asia"),
    5500: ("Central Asia", "central-asia"),
    906: ("Eastern Asia", "eastern-asia"),
    5501: ("Southern Asia", "southern-asia"),
    920: ("South-Eastern Asia", "south-eastern-asia"),
    922: ("Western Asia", "western-asia"),
    908: ("Europe", "europe"),
    923: ("Eastern Europe", "eastern-europe"),
    924: ("Northern Europe", "northern-europe"),
    925: ("Southern Europe", "southern-europe"),
    926: ("Western Europe", "western-europe"),
    5505: ("Americas", "americas"),
    904: ("Latin America and the Caribbean", "latin-america-and-the-caribbean"),
    915: ("Caribbean", "caribbean"),
    916: ("Central America", "central-america"),
    931: ("South America", "south-america"),
    905: ("Northern America", "northern-america"),
    909: ("Oceania", "oceania"),
    927: ("Australia/New Zealand", "australia-and-new-zealand"),
    928: ("Melanesia", "melanesia"),
    954: ("Micronesia", "micronesia"),
    957: ("Polynesia", "polynesia"),
    # the UN's country groups M49 lists
    941: ("Least developed countries", "ldc"),
    1636: ("Land-locked Developing Countries (LLDC)", "lldc"),
    1637: ("Small Island Developing States (SIDS)", "sids"),
    # WPP's own groups
    5502: ("Europe, Northern America, Australia, and New Zealand", ""),
    901: ("More developed regions", ""),
    902: ("Less developed regions", ""),
    934: ("Less developed regions, excluding least developed countries", ""),
    948: ("Less developed regions, excluding China", ""),
    2087: ("LLDC: Africa", ""),
    2088: ("LLDC: Asia", ""),
    2089: ("LLDC: Europe", ""),
    2090: ("LLDC: Latin America", ""),
    2091: ("SIDS Caribbean", ""),
    2092: ("SIDS Pacific", ""),
    2093: ("SIDS Atlantic, Indian Ocean and South China Sea (AIS)", ""),
    # income groups (World Bank classification as WPP 2024 applies it)
    5503: ("High-and-upper-middle-income countries", ""),
    5504: ("Low-and-Lower-middle-income countries", ""),
    1503: ("High-income countries", ""),
    1859: ("Low-and-middle-income countries", ""),
    1517: ("Middle-income countries", ""),
    1502: ("Upper-middle-income countries", ""),
    1501: ("Lower-middle-income countries", ""),
    1500: ("Low-income countries", ""),
    1518: ("No income group available", ""),
}
# WPP 2024's population-peak groups ('Group A – already peaked (before 2024)', 'Group B:
# Sub-Saharan Africa', ...): rows of NatChangeRT.txt only, no members anywhere; left out.
PEAK_GROUPS = range(5536, 5560)


def wpp_group_id(name: str) -> str:
    return "wpp-" + slug(name)


class Locations:
    """One file's WPP location codes → geo ids. Codes decide; a region's name is checked."""

    def __init__(self, h: Harmoniser, path: Path, column: str = "country_code"):
        self.h = h
        self.path = path
        self.column = column  # the file's location-code column, named in errors
        self.resolver = GeoResolver(h, path, GEO_TABLES)
        self.known: dict[int, str] = {}
        self.peak_rows = 0

    def geo(self, code: int, name: str, line: int, *, kind: str = "") -> str | None:
        """The geo of a code (None for a population-peak group, left out). `kind`: what the
        file says the row is ('country', 'aggregate'), or '' when it does not say."""
        if code in PEAK_GROUPS and (not name or name.startswith("Group ")):
            self.peak_rows += 1
            return None
        geo = self.known.get(code)
        if geo is None:
            geo = self.known[code] = self._resolve(code, name, line, kind)
        elif name and code in WPP_REGIONS:
            self._check_name(code, name, line)
        return geo

    def _resolve(self, code: int, name: str, line: int, kind: str) -> str:
        h = self.h
        if kind != "aggregate":
            country = self.resolver.code(str(code), name)
            if country is not None and h.entries[country].kind == "country":
                return country
            if kind == "country":
                raise self._unknown(code, name, line, "is not an M49 country code")
        if code in WPP_REGIONS:
            wpp_name, geo = WPP_REGIONS[code]
            if name:
                self._check_name(code, name, line)
            codes = (("wpp", str(code)),)
            if geo in _M49_GROUP_LABELS:
                return h.register_aggregate(geo, _M49_GROUP_LABELS[geo], "m49_group", codes)
            if geo:
                return h.register_aggregate(geo, wpp_name, "", codes)  # adds the code only
            return h.register_aggregate(wpp_group_id(wpp_name), wpp_name, WPP_GROUP, codes)
        registered = h.by_code("wpp", str(code))
        if registered is not None:
            return registered
        if kind != "aggregate" or not name.strip():
            raise self._unknown(code, name, line, "is neither an M49 country code nor a WPP region")
        codes = (("wpp", str(code)),)
        undesa = h.by_code("undesa", str(code))  # the Population Division's code for it there
        if undesa is not None and name_key(h.name_of(undesa)) == name_key(name):
            return h.register_aggregate(undesa, name, "", codes)
        return h.register_aggregate(wpp_group_id(name.strip()), name.strip(), WPP_GROUP, codes)

    def _check_name(self, code: int, name: str, line: int) -> None:
        wpp_name = WPP_REGIONS[code][0]
        if name_key(name) != name_key(wpp_name):
            raise ParseError(
                self.path,
                f"location code {code} is {wpp_name!r} in WPP 2024, but the row names it "
                f"{name!r} (column {self.column})",
                row=line,
            )

    def _unknown(self, code: int, name: str, line: int, what: str) -> ParseError:
        named = f" ({name})" if name else ""
        return ParseError(
            self.path, f"location code {code}{named} {what} (column {self.column})", row=line
        )


# --- reading cells --------------------------------------------------------------------------
#
# Cells are read column by column (base.py's whole-column helpers), with the checks, errors and
# rows of the row loop they replace: for each record its own checks (width, code, year, geo...),
# then each of its cells (the number, its range, the World's range, the tidy row). Of the errors
# found, FirstError raises the one that loop would meet first: cell k of record r is at slot
# r * K + k (K cells a record), the record's own checks at its first slot, ranked before its
# first cell's.

CELL_NUMBER, CELL_RANGE, CELL_WORLD, CELL_ADD = 8, 9, 10, 11  # a cell's checks, in order
# convert_numbers' plain decimals: those `persons` multiplies by 1,000 column-wise
_PLAIN_DECIMAL = r"^-?[0-9]{1,300}(\.[0-9]{1,300})?$"
# A decimal is D × 10**-f, D its digits: exact as a float up to 2**53 (all of 15 digits, most
# of 16), and so is 10**e up to 10**22.
_EXACT_DIGITS = 16
_EXACT_WHOLE = 2**53
_POWERS_OF_TEN = pa.array([float(10**e) for e in range(_EXACT_DIGITS + 3)], pa.float64())


def location_code(text: str, path: Path, line: int, column: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise ParseError(
            path, f"location code {text!r} is not a number (column {column})", row=line
        ) from None


def year_of(text: str, path: Path, line: int, column: str) -> int:
    cell = text.strip()
    if not (cell.isdigit() and len(cell) == 4 and 1900 <= int(cell) <= 2100):
        raise ParseError(path, f"year {text!r} is not a year (column {column})", row=line)
    return int(cell)


def stored_value(text: str, value: float, measure: Measure) -> float:
    """The value as stored: counts × 1,000 from the published decimal (exact: 0.228 → 228)."""
    if not measure.thousands:
        return value
    try:
        return float(Decimal(text.strip()) * 1000)
    except InvalidOperation:  # '1 234': to_number read it, Decimal does not
        return value * 1000


def persons(cells: pa.Array, value: pa.Array, measure: Measure) -> pa.Array:
    """stored_value of each cell with a value (null elsewhere), column-wise. A plain decimal is
    D × 10**-f, D its digits: where D is at most 2**53 (exact as a float), the decimal times
    1,000 is D × 10**(3 - f) or D / 10**(f - 3), one IEEE multiplication or division of exact
    operands, so correctly rounded: float(Decimal(text) * 1000) exactly (that product is exact,
    its float correctly rounded), -0 included. Any other cell (more digits, '1 234', ' 12.5')
    goes through stored_value once per distinct text."""
    if not measure.thousands:
        return value
    valid = value.is_valid()
    digits = pc.replace_substring(pc.replace_substring(cells, ".", ""), "-", "")
    plain = pc.and_(
        pc.match_substring_regex(cells, _PLAIN_DECIMAL),
        pc.less_equal(pc.binary_length(digits), _EXACT_DIGITS),
    )
    plain = pc.and_(pc.fill_null(plain, False), valid)
    integer = pc.cast(pc.if_else(plain, digits, "0"), pa.int64())
    plain = pc.and_(plain, pc.less_equal(integer, _EXACT_WHOLE))
    whole = pc.cast(pc.if_else(plain, integer, 0), pa.float64())  # exact: at most 2**53
    point = pc.find_substring(cells, ".")
    shift = pc.if_else(  # 3 - the number of decimals
        pc.less(point, 0), 3, pc.add(pc.subtract(point, pc.binary_length(cells)), 4)
    )
    shift = pc.if_else(plain, shift, 0)
    scale = pc.take(_POWERS_OF_TEN, pc.abs(shift))
    times = pc.if_else(
        pc.greater_equal(shift, 0), pc.multiply(whole, scale), pc.divide(whole, scale)
    )
    times = pc.if_else(pc.starts_with(cells, "-"), pc.negate(times), times)
    rest = pc.and_(valid, pc.invert(plain))
    if not pc.any(rest).as_py():
        return pc.if_else(plain, times, pa.scalar(None, pa.float64()))

    def exact(text: str, i: int) -> float:
        return stored_value(text, value[i].as_py(), measure)

    other = convert_distinct(cells, exact, pa.float64(), mask=rest)
    return pc.if_else(plain, times, other)


def first_only(
    convert: Callable[[Any, int], Any], errors: FirstError, key: Callable[[int], int]
) -> Callable[[Any, int], Any]:
    """A convert_distinct converter that records its first ParseError in `errors` at `key(i)`
    (a place in the row loop, see `at`) and converts nothing after it: as convert_distinct
    does with `errors`, for cells whose places are not `at(index, rank)`."""
    failed = False

    def call(value: Any, i: int) -> Any:
        nonlocal failed
        if failed:
            return None
        try:
            return convert(value, i)
        except ParseError as exc:
            failed = True
            errors.add(key(i), exc)
            return None

    return call


def _first_true(mask: pa.Array) -> int | None:
    i = pc.index(pc.fill_null(mask, False), True).as_py()
    return None if i < 0 else int(i)


def add_cells(
    out: TidyColumns,
    errors: FirstError,
    measure: Measure,
    cells: pa.Array,
    *,
    slots: pa.Array,
    geo: pa.Array,
    year: pa.Array,
    lines: pa.Array,
    column: str | pa.Array,
    note: str | pa.Array = "",
) -> None:
    """One measure's cells (a column, or a table's cells row by row), each checked as a row loop
    checks it: the number (to_number's rules; 'NA' or blank is no value, never 0), its range
    for the measure, the World's range, then the tidy row (TidyColumns: bounds, duplicates):
    counts × 1,000 with the thousands note, `note` after it. The arrays are aligned, one entry
    a cell; `slots` places each cell in the row loop (its errors at `at(slot, CELL_*)`)."""
    path = out.path

    def col_of(i: int) -> str:
        return column if isinstance(column, str) else str(column[i].as_py())

    def line_of(i: int) -> int:
        return int(lines[i].as_py())

    def key(rank: int) -> Callable[[int], int]:
        return lambda i: at(int(slots[i].as_py()), rank)

    def number(text: str, i: int) -> float | None:
        return cell_number(text, path, column=col_of(i), row=line_of(i))

    value = convert_numbers(cells, first_only(number, errors, key(CELL_NUMBER)))
    unit = " thousand" if measure.thousands else ""
    outside = pc.or_(pc.less(value, measure.lowest), pc.greater(value, measure.highest))
    i = _first_true(outside)
    if i is not None:
        errors.add(
            key(CELL_RANGE)(i),
            ParseError(
                path,
                f"value {value[i].as_py():g} is not a {measure.name.lower()} value "
                f"({measure.lowest:g} to {measure.highest:g}{unit}) (column {col_of(i)})",
                row=line_of(i),
            ),
        )
    if measure.world is not None:
        lo, hi = measure.world
        outside = pc.or_(pc.less(value, lo), pc.greater(value, hi))
        i = _first_true(pc.and_(pc.equal(geo, "world"), outside))
        if i is not None:
            errors.add(
                key(CELL_WORLD)(i),
                ParseError(
                    path,
                    f"the World's {measure.name.lower()} is {value[i].as_py():g} in "
                    f"{year[i].as_py()}, outside {lo:g} to {hi:g}"
                    f"{' (thousands)' if measure.thousands else ''}: not this measure, or not "
                    f"in WPP's unit (column {col_of(i)})",
                    row=line_of(i),
                ),
            )
    if measure.thousands:
        if isinstance(note, str):
            note = f"{THOUSANDS_NOTE}; {note}" if note else THOUSANDS_NOTE
        else:
            note = pc.if_else(
                pc.equal(note, ""),
                THOUSANDS_NOTE,
                pc.binary_join_element_wise(THOUSANDS_NOTE, note, "; "),
            )
    keep = value.is_valid()
    stored = persons(cells, value, measure)

    def kept(cell: str | pa.Array) -> str | pa.Array:
        return cell if isinstance(cell, str) else cell.filter(keep)

    out.extend(
        pc.sum(keep).as_py() or 0,
        order=pc.add(pc.multiply(slots.filter(keep), RANKS), CELL_ADD),
        indicator=measure.code,
        geo=geo.filter(keep),
        year=year.filter(keep),
        value=stored.filter(keep),
        unit=measure.unit,
        period=measure.period,
        row=lines.filter(keep),
        col=kept(column),
        note=kept(note),
    )


def source_indicators(measures: list[Measure], where: str) -> list[SourceIndicator]:
    return [
        SourceIndicator(
            m.code,
            m.name,
            m.definition,
            m.unit,
            source_note=f"WPP 2024, {where}" + (" (in thousands)" if m.thousands else ""),
        )
        for m in measures
    ]


# --- reading files --------------------------------------------------------------------------


def tab_records(path: Path, text: str | None = None) -> list[tuple[int, list[str]]]:
    """A tab-separated file's non-blank records with their line numbers, refused when cut
    mid-line (the package writes a line break after every row)."""
    if text is None:
        text = read_bytes(path).decode("utf-8-sig")
    check_final_newline(path, text)
    check_no_nul(path, text)
    out = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t")
    line = 1
    try:
        for record in reader:
            if any(cell.strip() for cell in record):
                out.append((line, record))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(path, f"not a readable tab-separated table ({exc})", row=line) from None
    if not out:
        raise ParseError(path, "empty file")
    return out


def check_width(path: Path, record: list[str], width: int, line: int) -> None:
    if len(record) != width:
        raise ParseError(
            path,
            f"row has {len(record)} fields where the header has {width} (file cut short, or a "
            "field missing)",
            row=line,
        )


def long_records(path: Path, text: str, width: int) -> dict[int, tuple[int, bool]]:
    """The CSV records with more fields than the header: line → (fields, any field not blank).
    read_csv_columns cuts such a record to the header's width; the row loop refused it
    (check_width). Without quotes or lone CRs a line is a record and its commas count its
    fields; otherwise the csv module counts them, as read_csv read them."""
    out: dict[int, tuple[int, bool]] = {}
    if '"' not in text and text.count("\r") == text.count("\r\n"):
        lines = text.split("\n")
        commas = pc.count_substring(pa.array(lines, pa.string()), ",")
        for i in pc.indices_nonzero(pc.greater_equal(commas, width)).to_pylist():
            fields = lines[i].removesuffix("\r").split(",")
            out[i + 1] = (len(fields), any(f.strip() for f in fields))
        return out
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for record in reader:
            if len(record) > width:
                out[line] = (len(record), any(c.strip() for c in record))
            line = reader.line_num + 1
    except csv.Error as exc:  # read_csv_columns read it: not expected
        raise ParseError(path, f"not a readable CSV ({exc})", row=line) from None
    return out


def gunzip(path: Path, data: bytes) -> bytes:
    """A whole gzip file's content, refused when cut short or corrupt (its CRC and length are
    checked), larger than LIMITS.max_member_bytes or compressed like a bomb."""
    cap = LIMITS.max_member_bytes
    chunks: list[bytes] = []
    size = 0
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while chunk := stream.read(1 << 20):
                chunks.append(chunk)
                size += len(chunk)
                if size > cap:
                    raise TooLarge(path, f"expands past the {cap:,}-byte limit")
                if size > 1_000_000 and size / max(len(data), 1) > LIMITS.max_zip_ratio:
                    raise TooLarge(
                        path,
                        f"compressed more than {LIMITS.max_zip_ratio} to 1: refused as a possible "
                        "gzip bomb",
                    )
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise ParseError(
            path, f"not a whole gzip file ({exc}): the download was cut short or is corrupt"
        ) from None
    return b"".join(chunks)


def gunzip_head(data: bytes, size: int = 8192) -> str:
    """The first bytes of a gzip file's content, for recognition ('' when it is not gzip)."""
    try:
        head = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS).decompress(data[:65536], size)
    except zlib.error:
        return ""
    return head.decode("utf-8-sig", errors="replace")


def first_line(text: str) -> str:
    return text.split("\n", 1)[0].rstrip("\r")


def edition_from_name(path: Path) -> tuple[str, str]:
    """(edition, note): the revision year a file's name gives (wpp2024_..., WPP2024_...); a
    name without one is read as the 2024 revision, the only one this layout is known for."""
    m = re.search(r"wpp(\d{4})", path.name, re.IGNORECASE)
    if m is None:
        return EDITION, "no revision year in the file name: read as WPP 2024 (its layout)"
    if m.group(1) != EDITION:
        raise ParseError(
            path,
            f"the file name says WPP {m.group(1)}: only WPP {EDITION} files are read (their "
            "years and codes are that revision's)",
        )
    return EDITION, ""


def check_estimate_years(path: Path, last_year: int, where: str, line: int) -> None:
    """The 2024 package's estimates end in 2023: a table ending elsewhere is another revision's
    (whose edition nothing in it names) or was cut."""
    if last_year != LAST_ESTIMATE_YEAR:
        raise ParseError(
            path,
            f"{where} end in {last_year}, but the wpp2024 package's estimates end in "
            f"{LAST_ESTIMATE_YEAR}: not the 2024 revision's table (or cut short)",
            row=line,
        )


# --- the source -----------------------------------------------------------------------------


class Wpp(Source):
    id = "wpp"
    short_name = "UN WPP"
    feeds = ("births", "deaths", "net_migration", "population")
    preference = 20  # after WDI (10): WDI stays the default population and net migration
    recognition_order = 800
    title = "UN DESA Population Division: World Population Prospects 2024"
    publisher = "United Nations, Department of Economic and Social Affairs, Population Division"
    licence = "CC BY 3.0 IGO"
    citation = (
        "United Nations, Department of Economic and Social Affairs, Population Division (2024). "
        "World Population Prospects 2024."
    )
    homepage = "https://population.un.org/wpp/"
    downloads = (
        Download(
            BULK_URL,
            "WPP2024_Demographic_Indicators_Medium.csv.gz",
            EDITION,
            "Demographic indicators, medium variant, 1950-2100",
        ),
    )
    # Only the distinctive names: the package's table names (births.txt, migration.txt) are
    # too common to make a file that is not WPP's an error.
    name_pattern = re.compile(
        r"^(UNlocations\.txt|wpp\d{4}_misc1dt\.csv|WPP\d{4}_Demographic_Indicators_Medium)",
        re.IGNORECASE,
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.suffix == ".txt":
            cells = first_line(peek.head_text()).split("\t")
            if cells[:2] == ["country_code", "country"] and len(cells) > 2:
                m = _TABLE_NAME.match(path.name)
                measure = PACKAGE_TABLES.get(m.group(1).lower()) if m else None
                if measure is None:
                    return None  # another package table (tfr.txt, e0F.txt...): not read
                return Match(self, path, "wpp-package-table", {"measure": measure})
            if cells[:2] == ["name", "country_code"] and "location_type" in cells:
                return Match(self, path, "wpp-unlocations")
            return None
        if path.name.lower().endswith(".csv.gz"):
            head, packed = gunzip_head(peek.data), "gzip"
        elif peek.suffix in (".csv", ".zip"):
            head, packed = peek.head_text(), ("zip" if peek.suffix == ".zip" else "")
        else:
            return None
        lines = [line.rstrip("\r") for line in head.split("\n", 2)[:2]]
        try:
            header, first = (next(csv.reader(lines[i : i + 1]), []) for i in (0, 1))
        except csv.Error:  # not a CSV at all
            return None
        if header[:2] == ["country_code", "year"] and set(header[2:]) & MISC_COLUMNS.keys():
            return None if packed else Match(self, path, "wpp-misc1dt-csv")
        if set(BULK_REQUIRED) <= set(header) and set(BULK_COLUMNS) & set(header):
            variant = dict(zip(header, first, strict=False)).get("Variant", "Medium")
            if variant != "Medium":
                return None  # the other variants' file: not read
            return Match(self, path, "wpp-bulk-csv", {"packed": packed})
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        parsers: dict[str, Callable[[Match, Harmoniser], ParsedFile]] = {
            "wpp-package-table": self._parse_table,
            "wpp-unlocations": self._parse_locations,
            "wpp-misc1dt-csv": self._parse_misc,
            "wpp-bulk-csv": self._parse_bulk,
        }
        if match.layout not in parsers:
            raise ParseError(match.path, f"unknown WPP layout {match.layout}")
        return parsers[match.layout](match, harmoniser)

    def _result(
        self,
        match: Match,
        table: pa.Table,
        dropped: int,
        notes: list[str],
        *,
        edition: str = EDITION,
        indicators: list[SourceIndicator] | None = None,
        skipped: int = 0,
    ) -> ParsedFile:
        return ParsedFile(
            path=match.path,
            source=self.id,
            edition=edition,
            edition_order=EDITION_ORDER,
            layout=match.layout,
            table=table,
            indicators=indicators or [],
            skipped_rows=skipped + dropped,
            note="; ".join(n for n in notes if n),
        )

    # -- the package's tab tables ------------------------------------------------------------

    def _parse_table(self, match: Match, h: Harmoniser) -> ParsedFile:
        path = match.path
        measure = MEASURES[match.context["measure"]]
        records = tab_records(path)
        header_line, header = records[0]
        width = len(header)
        years: list[tuple[int, int]] = []  # (column, year)
        c_last_observed = None
        for j, cell in enumerate(header[2:], 2):
            if cell == "last.observed" and j == width - 1:
                c_last_observed = j
            elif cell.isdigit() and len(cell) == 4 and 1900 <= int(cell) <= 2100:
                years.append((j, int(cell)))
            else:
                raise ParseError(
                    path,
                    f"column {cell!r} is neither a year nor last.observed (layout changed?)",
                    row=header_line,
                )
        if not years:
            raise ParseError(path, "no year columns after country_code, country", row=header_line)
        order = [y for _, y in years]
        if order != list(range(order[0], order[0] + len(order))):
            raise ParseError(path, "year columns are not consecutive years", row=header_line)
        check_estimate_years(path, order[-1], "the year columns", header_line)
        if len(records) < 2:
            raise ParseError(path, "no rows below the header", row=header_line)
        last_line, last = records[-1]
        check_last_row(path, last[0].strip(), LAST_LOCATION, LAST_LOCATION_WHAT, line=last_line)
        locations = Locations(h, path)
        errors = FirstError()
        out = TidyColumns(path, errors)
        # the records' own checks, row by row (a few hundred); then their cells, row by row
        k = len(years)  # cells a record: slot r * k + i is record r's year i
        kept: list[tuple[int, int, str, list[str]]] = []  # record, line, geo, record's cells
        notes_of: list[str] = []  # a note for each kept cell (after last.observed)
        after_observed = 0
        for r, (line, rec) in enumerate(records[1:]):
            try:
                check_width(path, rec, width, line)
                code = location_code(rec[0], path, line, "country_code")
                geo = locations.geo(code, rec[1].strip(), line)
                if geo is None:
                    continue
                observed = None
                if c_last_observed is not None and rec[c_last_observed].strip() not in ("", "NA"):
                    observed = year_of(rec[c_last_observed], path, line, "last.observed")
            except ParseError as exc:
                errors.add(at(r * k, 0), exc)
                break
            kept.append((r, line, geo, rec[2 : 2 + k]))
            for _j, year in years:
                note = ""
                if observed is not None and year > observed:
                    note = f"after the last observed year ({observed}, column last.observed)"
                    after_observed += 1
                notes_of.append(note)
        year_list = [y for _, y in years]
        add_cells(
            out,
            errors,
            measure,
            pa.array([c for *_, cells in kept for c in cells], pa.string()),
            slots=pa.array([r * k + i for r, *_ in kept for i in range(k)], pa.int64()),
            geo=pa.array([geo for _, _, geo, _ in kept for _ in range(k)], pa.string()),
            year=pa.array(year_list * len(kept), pa.int32()),
            lines=pa.array([line for _, line, _, _ in kept for _ in range(k)], pa.int32()),
            column=pa.array([header[j] for j, _ in years] * len(kept), pa.string()),
            note=pa.array(notes_of, pa.string()) if any(notes_of) else "",
        )
        stored = out.to_table()
        errors.raise_first()
        if not stored.num_rows:
            raise ParseError(path, "no values below the header", row=header_line)
        notes = [
            f"{path.name}: {measure.name.lower()} (the file name says which measure: the "
            "wpp2024 package defines it)",
            THOUSANDS_NOTE if measure.thousands else f"unit {measure.unit}",
            "edition from the layout (the 2024 package's estimates end in 2023)",
        ]
        if c_last_observed is not None:
            notes.append(
                f"last.observed kept as a note on {after_observed} values after it"
                if after_observed
                else "last.observed: no value after it"
            )
        if locations.peak_rows:
            notes.append(f"{locations.peak_rows} population-peak group rows (5536-5559) left out")
        return self._result(
            match,
            stored,
            out.duplicates_dropped,
            notes,
            indicators=source_indicators([measure], path.name),
            skipped=locations.peak_rows,
        )

    # -- UNlocations -------------------------------------------------------------------------

    def _parse_locations(self, match: Match, h: Harmoniser) -> ParsedFile:
        path = match.path
        records = tab_records(path)
        header_line, header = records[0]
        col = {c: j for j, c in enumerate(header)}
        for needed in ("name", "country_code", "location_type"):
            if needed not in col:
                raise ParseError(path, f"no column {needed!r} (layout changed?)", row=header_line)
        if len(records) < 2:
            raise ParseError(path, "no rows below the header", row=header_line)
        last_line, last = records[-1]
        check_last_row(
            path,
            (last[col["country_code"]] if len(last) > col["country_code"] else "").strip(),
            LAST_LOCATION,
            LAST_LOCATION_WHAT,
            line=last_line,
        )
        locations = Locations(h, path)
        countries: list[tuple[str, list[str]]] = []  # geo, record
        groups: list[tuple[int, int, str, int]] = []  # code, location_type, geo, line
        for line, rec in records[1:]:
            check_width(path, rec, len(header), line)
            code = location_code(rec[col["country_code"]], path, line, "country_code")
            text = rec[col["location_type"]].strip()
            if not text.isdigit():
                raise ParseError(
                    path, f"location_type {text!r} is not a number (column location_type)", row=line
                )
            loc_type, name = int(text), rec[col["name"]].strip()
            if loc_type == 4:
                geo = locations.geo(code, name, line, kind="country")
                if geo is not None:
                    countries.append((geo, rec))
                continue
            geo = locations.geo(code, name, line, kind="aggregate")
            if geo is not None:
                groups.append((code, loc_type, geo, line))
        with_members = 0
        for code, loc_type, geo, line in groups:
            if not geo.startswith("wpp-"):
                continue  # built-in and M49 groups keep their own memberships
            # UNlocations' rule: a group of location_type y has its members' code in agcode_y
            # (a major area or region, in area_code or reg_code).
            column = {2: "area_code", 3: "reg_code"}.get(loc_type, f"agcode_{loc_type}")
            if column not in col:
                raise ParseError(
                    path,
                    f"location_type {loc_type} of {h.name_of(geo)!r} names column {column!r}, "
                    "which the header lacks",
                    row=line,
                )
            members = [g for g, rec in countries if rec[col[column]].strip() == str(code)]
            if members:
                h.set_members(geo, members)
                with_members += 1
        own = sum(1 for *_, geo, _line in groups if geo.startswith("wpp-"))
        notes = [
            f"classification: {len(countries)} countries or areas, {len(groups)} regions and "
            f"groups ({len(groups) - own} matched to World, M49, SDG and UN country groups; "
            f"{own} WPP groups, {with_members} with their members)"
        ]
        return self._result(match, TidyRows(path).to_table(), 0, notes)

    # -- misc1dt, converted to CSV -----------------------------------------------------------

    def _parse_misc(self, match: Match, h: Harmoniser) -> ParsedFile:
        """Column by column (22k records of 8 measures): the checks and errors of the row loop,
        the first error in row order raised (ranks: the record's width, country_code, year,
        its geo, then each measure's cell)."""
        path = match.path
        edition, edition_note = edition_from_name(path)
        table = read_csv_columns(path)
        header, header_line = table.header, table.header_line
        measures: list[tuple[int, Measure]] = []
        for j, cell in enumerate(header[2:], 2):
            if cell not in MISC_COLUMNS:
                raise ParseError(
                    path, f"column {cell!r} is not one of misc1dt's measures", row=header_line
                )
            measures.append((j, MEASURES[MISC_COLUMNS[cell]]))
        width = len(header)
        long = long_records(path, read_bytes(path).decode("utf-8-sig"), width)
        long_lines = sorted(line for line, (_, filled) in long.items() if filled)
        lines = table.lines
        rows = pc.invert(table.blank)  # the row loop's records: any field not blank
        if long_lines:
            rows = pc.or_(rows, pc.is_in(lines, value_set=pa.array(long_lines, pa.int32())))
        records = pc.indices_nonzero(rows)
        if not len(records):
            raise ParseError(path, "no rows below the header", row=header_line)
        last = records[len(records) - 1].as_py()
        last_line = table.line(last)
        found = ",".join(str(table.columns[j][last].as_py()).strip() for j in range(min(2, width)))
        check_last_row(
            path, found, f"{LAST_LOCATION},{LAST_ESTIMATE_YEAR}", LAST_LOCATION_WHAT, line=last_line
        )
        locations = Locations(h, path)
        errors = FirstError()
        out = TidyColumns(path, errors)
        k = max(len(measures), 1)  # cells a record: slot i * k + m is record i's measure m
        line_of = lines.to_pylist()

        def key(rank: int) -> Callable[[int], int]:
            return lambda i: at(i * k, rank)

        if long_lines:  # rank 0: a record wider than the header
            i = pc.index(lines, long_lines[0]).as_py()
            errors.add(
                key(0)(i),
                ParseError(
                    path,
                    f"row has {long[long_lines[0]][0]} fields where the header has {width} "
                    "(file cut short, or a field missing)",
                    row=long_lines[0],
                ),
            )

        def code_of(text: str, i: int) -> str:
            return str(location_code(text, path, line_of[i], "country_code"))

        def year_in(text: str, i: int) -> int:
            return year_of(text, path, line_of[i], "year")

        def geo_of(code: str, i: int) -> str | None:
            return locations.geo(int(code), "", line_of[i])

        codes = convert_distinct(
            table.columns[0], first_only(code_of, errors, key(1)), pa.string(), mask=rows
        )
        year = convert_distinct(
            table.columns[1], first_only(year_in, errors, key(2)), pa.int32(), mask=rows
        )
        located = pc.and_(rows, codes.is_valid())
        geo = convert_distinct(codes, first_only(geo_of, errors, key(3)), pa.string(), mask=located)
        last_year = pc.max(year.filter(rows)).as_py() or 0
        # a population-peak group's rows have no geo (left out): geo() counts each it meets
        locations.peak_rows = len(records) - (pc.sum(geo.is_valid()).as_py() or 0)
        with_cells = pc.indices_nonzero(pc.and_(geo.is_valid(), year.is_valid()))
        for m, (j, measure) in enumerate(measures):
            add_cells(
                out,
                errors,
                measure,
                table.columns[j].take(with_cells),
                slots=pc.add(pc.multiply(with_cells, k), m),
                geo=geo.take(with_cells),
                year=year.take(with_cells),
                lines=lines.take(with_cells),
                column=header[j],
            )
        stored = out.to_table()
        errors.raise_first()
        check_estimate_years(path, last_year, "the years", last_line)
        notes = [
            "misc1dt of the wpp2024 package, converted to CSV",
            THOUSANDS_NOTE + " for births, deaths and PopChange",
            edition_note,
        ]
        if locations.peak_rows:
            notes.append(f"{locations.peak_rows} population-peak group rows (5536-5559) left out")
        return self._result(
            match,
            stored,
            out.duplicates_dropped,
            notes,
            edition=edition,
            indicators=source_indicators([m for _, m in measures], "misc1dt"),
            skipped=locations.peak_rows,
        )

    # -- the bulk CSV --------------------------------------------------------------------------

    def _bulk_text(self, match: Match) -> str:
        """The CSV's text; a gzip or zip member is whole once read (its CRC and length are
        checked), a plain CSV is checked for its final line break by read_csv."""
        path = match.path
        packed = match.context.get("packed", "")
        if packed == "gzip":
            data = gunzip(path, read_bytes(path))
        elif packed == "zip":
            with open_zip(path) as zf:
                names = [n for n in zf.namelist() if n.lower().endswith(".csv")]
                if len(names) != 1:
                    raise ParseError(path, f"expected one CSV in the zip, found {len(names)}")
                data = zip_member(path, zf, names[0])
        else:
            data = read_bytes(path)
        return data.decode("utf-8-sig")

    def _parse_bulk(self, match: Match, h: Harmoniser) -> ParsedFile:
        path = match.path
        edition, edition_note = edition_from_name(path)
        packed = bool(match.context.get("packed"))
        table = read_csv(path, text=self._bulk_text(match), final_newline=not packed)
        header, header_line = table.header, table.header_line
        col = {c: j for j, c in enumerate(header)}
        for needed in BULK_REQUIRED:
            if needed not in col:
                raise ParseError(path, f"no column {needed!r} (layout changed?)", row=header_line)
        c_type = col.get("LocTypeName", col.get("LocTypeID"))
        if c_type is None:
            raise ParseError(path, "no column LocTypeName (nor LocTypeID)", row=header_line)
        c_iso3 = col.get("ISO3_code")
        measures = [(col[c], c, MEASURES[k]) for c, k in BULK_COLUMNS.items() if c in col]
        locations = Locations(h, path, "LocID")
        errors = FirstError()
        out = TidyColumns(path, errors)
        years_of: dict[int, set[int]] = {}
        other_variants = projections = 0
        last = (0, 0, 0)  # line, LocID, year of the last row
        # the records' own checks, row by row; then each measure's cells, column by column
        k = max(len(measures), 1)  # cells a record: slot r * k + m is record r's measure m
        kept: list[tuple[int, int, str, int, str, list[str]]] = []  # slot, line, geo, year...
        width = len(header)
        r = -1
        for line, rec in table.rows:
            if not any(c.strip() for c in rec):
                continue
            r += 1
            try:
                if len(rec) != width:  # read_csv refuses short rows; a long one is as wrong
                    raise ParseError(
                        path, f"row has {len(rec)} fields where the header has {width}", row=line
                    )
                if rec[col["Variant"]].strip() != "Medium":
                    other_variants += 1
                    continue
                code = location_code(rec[col["LocID"]], path, line, "LocID")
                year = year_of(rec[col["Time"]], path, line, "Time")
                years_of.setdefault(code, set()).add(year)
                last = (line, code, year)
                note = ""
                if year > LAST_ESTIMATE_YEAR:
                    if not STORE_PROJECTIONS:
                        projections += 1
                        continue
                    note = PROJECTION_NOTE
                is_country = rec[c_type].strip() in COUNTRY_LOC_TYPE
                name = rec[col["Location"]].strip()
                kind = "country" if is_country else "aggregate"
                geo = locations.geo(code, name, line, kind=kind)
                if geo is None:
                    continue
                if is_country and c_iso3 is not None:
                    iso3 = rec[c_iso3].strip().upper()
                    if iso3 and iso3 != geo:
                        raise ParseError(
                            path,
                            f"ISO3_code {iso3} but LocID {code} ({name}) is {geo} (column "
                            "ISO3_code)",
                            row=line,
                        )
            except ParseError as exc:
                errors.add(at(r * k, 0), exc)
                break
            kept.append((r * k, line, geo, year, note, rec))
        geos = pa.array([g for _, _, g, *_ in kept], pa.string())
        years = pa.array([y for *_, y, _, _ in kept], pa.int32())
        lines = pa.array([line for _, line, *_ in kept], pa.int32())
        row_notes = [n for *_, n, _ in kept]
        for m, (j, column, measure) in enumerate(measures):
            add_cells(
                out,
                errors,
                measure,
                pa.array([rec[j] for *_, rec in kept], pa.string()),
                slots=pa.array([slot + m for slot, *_ in kept], pa.int64()),
                geo=geos,
                year=years,
                lines=lines,
                column=column,
                note=pa.array(row_notes, pa.string()) if any(row_notes) else "",
            )
        stored = out.to_table()
        errors.raise_first()
        if not years_of:
            raise ParseError(path, "no Medium-variant rows (another variant's file?)")
        self._check_bulk_whole(path, years_of, last)
        notes = [
            "WPP 2024 demographic indicators, medium variant",
            THOUSANDS_NOTE + " for population, births, deaths, net migration and changes",
            "TPopulation1July stored as population at mid-year",
            edition_note,
        ]
        if projections:
            notes.append(
                f"{projections} rows of projections ({LAST_ESTIMATE_YEAR + 1} and later) not stored"
            )
        elif STORE_PROJECTIONS:
            notes.append(f"years after {LAST_ESTIMATE_YEAR} stored as '{PROJECTION_NOTE}'")
        if other_variants:
            notes.append(f"{other_variants} rows of other variants left out")
        if locations.peak_rows:
            notes.append(f"{locations.peak_rows} population-peak group rows left out")
        return self._result(
            match,
            stored,
            out.duplicates_dropped,
            notes,
            edition=edition,
            indicators=source_indicators([m for *_, m in measures], path.name),
            skipped=projections + other_variants + locations.peak_rows,
        )

    @staticmethod
    def _check_bulk_whole(
        path: Path, years_of: dict[int, set[int]], last: tuple[int, int, int]
    ) -> None:
        """WPP lists each location's years in full (1950-2100): the last location must have
        all the years the first has, and its last row the last year; else the file was cut."""
        first_years = next(iter(years_of.values()))
        line, code, year = last
        if years_of[code] != first_years or year != max(first_years):
            raise ParseError(
                path,
                f"location {code} ends in {year} with {len(years_of[code])} years, but the "
                f"file's locations run {min(first_years)}-{max(first_years)}: the file was cut "
                "short (or rows were deleted)",
                row=line,
            )
