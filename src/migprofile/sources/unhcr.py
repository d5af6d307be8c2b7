"""UNHCR Refugee Population Statistics: Refugee Data Finder CSV, the API / `refugees` R package
field names (CSV or JSON), and the package's country lookup.

Layouts:
- `unhcr-data-finder-csv`: the Refugee Data Finder download, in two forms.
  To 2023: a preamble ('Extracted:', 'Date extracted:', 'Last updated:', licence, population
  types, filters) above the header `Year, Country of origin, Country of origin (ISO), Country of
  asylum, Country of asylum (ISO), <one column per population type>`, types named in full
  ('Refugees under UNHCR's mandate', 'Asylum-seekers', ...). Edition: 'Last updated: 10
  November 2021' → '2021-11-10' (else 'Date extracted:'); years from the release year on are
  mid-year figures.
  Current (2024 downloads): one header line, no preamble: `Year, "Country of Asylum", "Country
  of Origin", "Country of Asylum ISO", "Country of Origin ISO", Refugees, "Returned Refugees",
  "Asylum Seekers", IDPs, "Returned IDPs", Stateless, HST, OOC` (columns found by name, in any
  order). Nothing in the file dates it: the edition comes from a date in the file name
  ('..._2024-11-14.csv', as for a dated release), else from the latest year, as for the API
  layout: '2024 (mid-year)', edition_order '2024-06', that year's values at MID_YEAR (UNHCR's
  downloads carry the mid-year figures of the current year from November; see
  LATEST_YEAR_IS_MID_YEAR). The note says which.
  In both, '-' in the origin or asylum columns means 'all countries' (totals).
- `unhcr-population-csv`: the API / R package fields (year, coo_name, coo, coo_iso, coa_name,
  coa, coa_iso, refugees, asylum_seekers, returned_refugees, idps, returned_idps, stateless, ooc,
  oip, hst). No date inside: the edition is the latest year, '2025 (mid-year)' with edition_order
  '2025-06' (see LATEST_YEAR_IS_MID_YEAR), or '2025' / '2025-12' for an end-year release.
- `unhcr-population-json`: the same fields as JSON, either the API response `{"items": [...]}`
  or a plain list of records (rows are counted from 1 in the order of the items; `row` is the
  item's position). The API answers in pages (`{"page": 1, "maxPages": 14, "items": [...]}`):
  one page of several is refused (a part of the table would pass for an edition, and hide the
  rest of each series it touches); every page's items go into one file first (API_PAGING):
  the default download (`Unhcr.downloads`) does this, and writes `{"items": [...]}`.
- `unhcr-countries-csv`: the R package's `countries` table (iso_code, unhcr_code, name,
  unhcr_region, ...). A metadata-only vintage (0 observations): it records UNHCR's own country
  codes as geo codes ('unhcr', 'ALG' → DZA; UNHCR's codes are not ISO: 'AUS' is Austria) and
  UNHCR's regions as aggregates `unhcr-<region>` with their members.

Tidy rows: geo = country of asylum, partner = country of origin (for returned refugees the
"asylum" country is the one they returned from; for IDPs both are the country itself).
'-' (all countries) → 'world'. Unknown origin or asylum ('Unknown', UNK/UKN/XXX, blank ISO with
the name 'Unknown') → 'other'. Pseudo-origins get dynamic geo entries: Stateless (ISO field XXA,
UNHCR code STA) → 'stateless'; Tibetan (TIB) → 'unhcr-tibetan'. Codes beat names: 'Serbia and
Kosovo: S/RES/1244 (1999)' comes with SRB.

Zeros are UNHCR's figures where the population type applies to the row, placeholders where it
does not. The API, the R package and the current Data Finder download fill every type on every
(origin, asylum) row, so most cells are 0 or blank for types not reported in that pair.
Kept as real zeros (`zeros_kept`): refugees and asylum-seekers on every row (the pair rows are
published for them), any type on a country's own row (origin = asylum, where IDPs, returned
IDPs, stateless and others of concern are reported), and every 0 of a single-type file (a Data
Finder extract of one population type states each 0 deliberately). Other zeros are not stored.
Blank or '-' is never 0.

Population types outside the catalogue keep UNHCR's own code: `unhcr:returned_idps`,
`unhcr:ooc` (others of concern), `unhcr:hst` (host community), `unhcr:vda` (Venezuelans
displaced abroad, in exports before 2022), and any unknown Data Finder column as
`unhcr:<slug of its heading>` (listed in the note).
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from functools import partial
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.geo.regions import slug
from migprofile.geo.resolver import CodeScheme, DynamicGeo, GeoResolver, GeoTables
from migprofile.periods import MID_YEAR
from migprofile.sources.base import (
    Cells,
    Download,
    FilePeek,
    FirstError,
    Match,
    Paging,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyColumns,
    TidyRows,
    check_last_row,
    convert_distinct,
    convert_numbers,
    read_bytes,
    read_csv,
    read_csv_columns,
    to_number,
    to_year,
)

UNIT = "persons"

# The UNHCR population API, the default download: every (origin, asylum) pair and year, ISO
# codes. It answers in pages; `downloads` names page 1 with its Paging (the same as API_PAGING):
# the downloader (fetch.fetch_paged) asks for page=2..maxPages (maxPages is in every answer)
# and puts all pages' `items` in one file `{"items": [...]}` (without page/maxPages), which the
# `unhcr-population-json` layout parses.
API_URL = "https://api.unhcr.org/population/v1/population/"
API_FIRST_YEAR = 1951
API_PAGE_SIZE = 10_000
API_FILENAME = "unhcr_population_api.json"
API_PAGING = {
    "page_parameter": "page",  # 1-based
    "first_page": 1,
    "last_page_field": "maxPages",  # in each answer: how many pages there are
    "items_field": "items",  # each answer's records; concatenate them in page order
    "page_size_parameter": "limit",
    "page_size": API_PAGE_SIZE,
}


def api_page_url(page: int, year_to: int | None = None) -> str:
    """The API request for one page of the whole table (1951 to `year_to`, this year by
    default; `cf_type=ISO` makes coo/coa filters ISO codes)."""
    year_to = year_to or date.today().year
    return (
        f"{API_URL}?yearFrom={API_FIRST_YEAR}&yearTo={year_to}&coo_all=true&coa_all=true"
        f"&cf_type=ISO&limit={API_PAGE_SIZE}&page={page}"
    )


# The refugees R package and the API publish the latest year at mid-year (the package's
# November release adds mid-year figures for the current year; the June release replaces them
# with end-year figures once Global Trends is out). Nothing in the file says which, so this is
# the assumption for the latest year of the API/package layouts; set False to treat it as
# end-year figures.
LATEST_YEAR_IS_MID_YEAR = True
MID_YEAR_NOTE = "mid-year figures"
# Population types reported for every (origin, asylum) pair: a 0 there is UNHCR's figure.
PAIR_TYPES = frozenset({"refugees", "asylum_seekers"})
ZERO_NOTE = (
    "zeros kept for refugees and asylum-seekers and on a country's own row; other zero and "
    "blank cells skipped (placeholders for types not reported in that pair)"
)


def zeros_kept(indicator: str, geo: str, partner: str, single_type: bool) -> bool:
    """Whether a 0 for `indicator` in the row (geo = asylum, partner = origin) is UNHCR's
    figure rather than a placeholder: see the module's note on zeros."""
    return single_type or indicator in PAIR_TYPES or geo == partner


# API / R package field → (indicator id, publisher's name, definition).
POPULATION_FIELDS = {
    "refugees": ("refugees", "Refugees under UNHCR's mandate", "The number of refugees."),
    "asylum_seekers": ("asylum_seekers", "Asylum-seekers", "The number of asylum-seekers."),
    "returned_refugees": (
        "returned_refugees",
        "Returned refugees",
        "The number of returned refugees; geo is the country they returned from (UNHCR's "
        "'country of asylum'), partner the country of origin they returned to.",
    ),
    "idps": (
        "idps_unhcr",
        "IDPs of concern to UNHCR",
        "The number of internally displaced persons of concern to UNHCR.",
    ),
    "returned_idps": ("unhcr:returned_idps", "Returned IDPs", "The number of returned IDPs."),
    "stateless": ("stateless", "Stateless persons", "The number of stateless persons."),
    "ooc": ("unhcr:ooc", "Others of concern to UNHCR", "The number of others of concern."),
    "oip": (
        "other_in_need",
        "Other people in need of international protection",
        "The number of other people in need of international protection.",
    ),
    "hst": ("unhcr:hst", "Host community", "The number of host community members."),
}
# Data Finder column heading (_hkey) → API field. The current download names the columns
# short ('Refugees', 'IDPs', 'HST', 'OOC'), earlier ones in full.
FINDER_COLUMNS = {
    "refugees": "refugees",
    "idps": "idps",
    "stateless": "stateless",
    "hst": "hst",
    "ooc": "ooc",
    "oip": "oip",
    "refugees under unhcr s mandate": "refugees",
    "asylum seekers": "asylum_seekers",
    "returned refugees": "returned_refugees",
    "idps of concern to unhcr": "idps",
    "returned idps": "returned_idps",
    "returned idpss": "returned_idps",
    "stateless persons": "stateless",
    "others of concern": "ooc",
    "others of concern to unhcr": "ooc",
    "other people in need of international protection": "oip",
    "host community": "hst",
}
FINDER_EXTRA = {"venezuelans displaced abroad": ("unhcr:vda", "Venezuelans displaced abroad")}
FINDER_GEO_COLUMNS = {
    "year",
    "country of origin",
    "country of origin iso",
    "country of asylum",
    "country of asylum iso",
}
API_CORE = {"year", "coo_iso", "coa_iso"}
COUNTRY_LOOKUP_COLUMNS = {"iso_code", "unhcr_code", "name"}

# Codes (ISO field or UNHCR code) and names UNHCR uses for entities that are not countries.
# Values: a geo id; the pseudo-origins are registered on first sight (see _PSEUDO).
ALL_COUNTRIES = "world"
SPECIAL_ISO = {
    "-": ALL_COUNTRIES,
    "UNK": "other",
    "XXX": "other",
    "XXA": "stateless",
    "TIB": "unhcr-tibetan",
}
SPECIAL_UNHCR = {"-": ALL_COUNTRIES, "UKN": "other", "STA": "stateless", "TIB": "unhcr-tibetan"}
NON_COUNTRIES = {  # name_key → geo id
    "unknown": "other",
    "various": "other",
    "stateless": "stateless",
    "tibetan": "unhcr-tibetan",
    "all": ALL_COUNTRIES,
}
_PSEUDO = {
    "stateless": ("Stateless", "unhcr_pseudo", (("unhcr", "STA"), ("unhcr_iso", "XXA"))),
    "unhcr-tibetan": ("Tibetan", "unhcr_pseudo", (("unhcr", "TIB"), ("unhcr_iso", "TIB"))),
}


class Unhcr(Source):
    id = "unhcr"
    short_name = "UNHCR"
    feeds = (
        "refugees",
        "asylum_seekers",
        "returned_refugees",
        "stateless",
        "idps_unhcr",
        "other_in_need",
        "refugees_by_origin",
        "refugees_hosted",
        "asylum_seekers_hosted",
        "asylum_seekers_by_origin",
    )
    preference = 10
    recognition_order = 600
    title = "UNHCR Refugee Population Statistics Database"
    publisher = "Office of the United Nations High Commissioner for Refugees (UNHCR)"
    licence = "CC BY 4.0"
    citation = "UNHCR. Refugee Population Statistics Database ({edition})."
    homepage = "https://www.unhcr.org/refugee-statistics/"
    # The Data Finder builds its CSV on request and the R package ships .rda files (users bring
    # those with --raw-dir). The default download is the population API (api_page_url,
    # API_PAGING): every page, merged into one JSON file before it is parsed (page 1 alone
    # would be refused as part of a whole). The URL asks for the years to this year.
    downloads = (
        Download(
            api_page_url(1),
            API_FILENAME,
            "latest",
            "UNHCR population API, all pages",
            paging=Paging(
                parameter="page",
                pages_field="maxPages",
                items_field="items",
                first_page=1,
                page_field="page",
            ),
        ),
    )
    name_pattern = re.compile(r"(refugee[-_ ]?data[-_ ]?finder|^unhcr[-_])", re.I)

    name_suffixes = (".csv", ".json")

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.suffix == ".json":
            head = peek.head_text()
            if '"coo_iso"' in head or '"coa_iso"' in head:
                return Match(self, path, "unhcr-population-json")
            return None
        if peek.suffix != ".csv":
            return None
        lines = peek.head_text().splitlines()
        if not lines:
            return None
        first = {c.strip().lower() for c in next(csv.reader(lines[:1]), [])}
        if first >= API_CORE and first & set(POPULATION_FIELDS):
            return Match(self, path, "unhcr-population-csv")
        if first >= COUNTRY_LOOKUP_COLUMNS and "unhcr_region" in first:
            return Match(self, path, "unhcr-countries-csv")
        for n, row in enumerate(csv.reader(lines[:40])):
            keys = {_hkey(c) for c in row}
            if (
                row
                and _hkey(row[0]) == "year"
                and ("country of origin" in keys or "country of asylum" in keys)
            ):
                return Match(self, path, "unhcr-data-finder-csv", {"header_index": n})
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        layout = match.layout
        path = match.path
        if layout == "unhcr-data-finder-csv":
            return _parse_finder(self, path, harmoniser)
        if layout == "unhcr-population-csv":
            table = read_csv_columns(path)
            return _parse_api_records(
                self, path, layout, table.header, table.columns, table.lines, harmoniser
            )
        if layout == "unhcr-population-json":
            header, records = _json_records(path)
            columns: list[Cells] = [[r[j] for r in records] for j in range(len(header))]
            lines = list(range(1, len(records) + 1))
            return _parse_api_records(self, path, layout, header, columns, lines, harmoniser)
        if layout == "unhcr-countries-csv":
            return _parse_countries(self, path, harmoniser)
        raise ParseError(path, f"unknown UNHCR layout {layout}")


# --- geography ---------------------------------------------------------------------------------


ISO_CODES = CodeScheme(countries="iso3", known=("unhcr_iso",), special=SPECIAL_ISO)
# UNHCR's own codes are not ISO ('AUS' is Austria): never read as ISO3.
UNHCR_CODES = CodeScheme(countries="", known=("unhcr",), special=SPECIAL_UNHCR)
GEO_TABLES = GeoTables(
    codes=ISO_CODES,
    non_countries=NON_COUNTRIES,
    dynamic={geo: DynamicGeo(*spec) for geo, spec in _PSEUDO.items()},
)


def _geo(r: GeoResolver, iso: str, code: str, name: str, line: int, what: str) -> str:
    """(ISO field, UNHCR code, name) → geo id, cached: 138k rows, ~220 entities."""
    key = (iso, code, name)
    geo = r.cache.get(key)
    if geo is None:
        geo = _resolve(r, iso.strip().upper(), code.strip().upper(), name.strip(), line, what)
        r.cache[key] = geo
    return geo


def _resolve(r: GeoResolver, iso: str, code: str, name: str, line: int, what: str) -> str:
    if name == "-" and not iso:
        iso = "-"
    if iso:
        geo = r.code(iso)
        if geo:
            return geo
        raise r.error(
            f"{what} code {iso!r} ({name or 'no name'}) is not an ISO3 country code "
            "(nor one of UNHCR's pseudo-codes UNK, XXA, TIB)",
            row=line,
        )
    if code:
        geo = r.code(code, scheme=UNHCR_CODES)
        if geo:
            return geo
    if not name:
        raise r.error(f"{what}: no ISO code, UNHCR code or name", row=line)
    return r.name_or_error(name, row=line)


def _resolver(h: Harmoniser, path: Path) -> Callable[[str, str, str, int, str], str]:
    return partial(_geo, GeoResolver(h, path, GEO_TABLES))


# --- numbers -----------------------------------------------------------------------------------


def _number(text, path: Path, line: int, column: str) -> float | None:
    """Fast path for the common '123.0' / '' cells; to_number for anything else."""
    if text is None or text == "":
        return None
    if isinstance(text, float):
        if math.isfinite(text):
            return text
    elif not isinstance(text, (int, bool)):
        try:
            value = float(text)
            if math.isfinite(value):
                return value
        except (TypeError, ValueError):
            pass
    try:
        return to_number(text)
    except ValueError as exc:
        raise ParseError(path, f"{exc} (column {column})", row=line) from None


def _year(text, path: Path, line: int, column: str) -> int:
    year = to_year(text)
    if year is None:
        raise ParseError(path, f"year {text!r} is not a year (column {column})", row=line)
    return year


# --- API / R package records -------------------------------------------------------------------


def _json_records(path: Path) -> tuple[list[str], list[list]]:
    try:
        data = json.loads(read_bytes(path).decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ParseError(path, f"not readable JSON ({exc})") from None
    items = data.get("items") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ParseError(path, "JSON is neither a list of records nor an object with 'items'")
    if isinstance(data, dict):
        _check_one_page_of_all(path, data.get("page"), data.get("maxPages"))
    header: list[str] = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise ParseError(path, "item is not an object", row=n)
        for k in item:
            if k not in header:
                header.append(k)
    rows = [[item.get(k) for k in header] for item in items]
    for n, row in enumerate(rows, 1):
        for k, v in zip(header, row, strict=True):
            if isinstance(v, (list, dict)):
                raise ParseError(path, f"field {k!r} holds a {type(v).__name__}", row=n)
    return header, rows


def _check_one_page_of_all(path: Path, page, max_pages) -> None:
    """An API answer that is one page of several holds part of the table: refused."""
    if isinstance(page, bool) or isinstance(max_pages, bool):
        return
    if isinstance(page, int) and isinstance(max_pages, int) and max_pages > 1:
        raise ParseError(
            path,
            f"page {page} of {max_pages} of a paged UNHCR API answer: put every page's items "
            'in one file ({"items": [...]}) before ingesting it; a part of the table would '
            "hide the rest of each series it touches",
        )


def _hkey(text) -> str:
    """Header key: 'Country of origin (ISO)' → 'country of origin iso' (name_key would take
    '(ISO)' for a footnote mark)."""
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def _str(cell) -> str:
    return "" if cell is None else str(cell)


def _parse_api_records(
    source: Source,
    path: Path,
    layout: str,
    header: list,
    columns: list[Cells],
    lines: list[int] | pa.Array,
    h: Harmoniser,
) -> ParsedFile:
    """The API / package records, column by column (295k values in the package's file): the
    checks and errors of the row loop it replaces, the first error in row order raised."""
    cols = {str(c).strip().lower(): j for j, c in enumerate(header)}
    missing = API_CORE - cols.keys()
    if missing:
        raise ParseError(path, f"missing columns {', '.join(sorted(missing))}", row=1)
    fields = [(cols[f], f, POPULATION_FIELDS[f][0]) for f in POPULATION_FIELDS if f in cols]
    if not fields:
        raise ParseError(path, "no population columns (refugees, asylum_seekers, ...)", row=1)
    n = len(lines)
    line_of = lines.to_pylist() if isinstance(lines, pa.Array) else lines
    keep_zeros = len(fields) == 1
    resolve = _resolver(h, path)
    errors = FirstError()

    def year_of(cell, i: int) -> int:
        return _year(cell, path, line_of[i], "year")

    # ranks in the row loop: the year, each population column, the asylum, then the origin
    year = convert_distinct(columns[cols["year"]], year_of, pa.int32(), errors=errors, rank=0)
    values: list[pa.Array] = []
    for rank, (j, name, _indicator_id) in enumerate(fields, 1):

        def number_of(cell, i: int, name: str = name) -> float | None:
            return None if cell == "" or cell is None else _number(cell, path, line_of[i], name)

        values.append(convert_numbers(columns[j], number_of, errors=errors, rank=rank))
    has_value = values[0].is_valid()
    for v in values[1:]:
        has_value = pc.or_(has_value, v.is_valid())

    def place(names: tuple[str, str, str], what: str, rank: int) -> pa.Array:
        """The geo of each row with a value, from its (ISO, UNHCR code, name) cells."""
        parts = [columns[cols[c]] if c in cols else None for c in names]
        if any(isinstance(p, list) for p in parts):
            keys: Cells = [
                tuple(_str(p[i]) if p is not None else "" for p in parts) for i in range(n)
            ]
        else:
            text = [p if p is not None else pa.array([""] * n, pa.string()) for p in parts]
            keys = pc.binary_join_element_wise(*text, "\x00")  # no NUL in a CSV

        def geo_of(key, i: int) -> str:
            iso, code, name = key if isinstance(key, tuple) else key.split("\x00")
            return resolve(iso, code, name, line_of[i], what)

        return convert_distinct(keys, geo_of, pa.string(), errors=errors, rank=rank, mask=has_value)

    k = len(fields) + 1
    geo = place(("coa_iso", "coa", "coa_name"), "coa_iso (country of asylum)", k)
    partner = place(("coo_iso", "coo", "coo_name"), "coo_iso (country of origin)", k + 1)
    errors.raise_first()
    own_row = pc.fill_null(pc.equal(geo, partner), False)
    kept: list[pa.Array] = []
    for (_j, _name, indicator), value in zip(fields, values, strict=True):
        # a zero is kept where zeros_kept says it is UNHCR's figure (see the module's note)
        keep = pc.fill_null(pc.not_equal(value, 0), False)
        if keep_zeros or indicator in PAIR_TYPES:
            keep = value.is_valid()
        else:
            keep = pc.or_(keep, pc.and_(own_row, value.is_valid()))
        kept.append(keep)
    any_kept = kept[0]
    for keep in kept[1:]:
        any_kept = pc.or_(any_kept, keep)
    if not pc.any(any_kept).as_py():
        raise ParseError(path, "no population figures")
    latest = pc.max(year.filter(any_kept)).as_py()
    mid_year = LATEST_YEAR_IS_MID_YEAR
    is_latest = pc.equal(year, latest) if mid_year else pa.array([False] * n)
    period = pc.if_else(is_latest, MID_YEAR, "")
    row_note = pc.if_else(is_latest, MID_YEAR_NOTE, "")
    row_lines = lines if isinstance(lines, pa.Array) else pa.array(lines, pa.int32())
    out = TidyColumns(path)
    for rank, ((_j, name, indicator), value, keep) in enumerate(
        zip(fields, values, kept, strict=True)
    ):
        out.extend_where(
            keep, rank, indicator=indicator, geo=geo, partner=partner, year=year, value=value,
            unit=UNIT, period=period, row=row_lines, col=name, note=row_note,
        )  # fmt: skip
    table = out.to_table()
    if mid_year:
        edition, order = f"{latest} (mid-year)", f"{latest}-06"
        note = (
            f"latest year {latest} taken as mid-year figures (API/refugees-package release); "
            f"edition is the latest year in the file"
        )
    else:
        edition, order = str(latest), f"{latest}-12"
        note = f"edition is the latest year in the file ({latest}, end-year figures)"
    zero_note = "zeros kept (one population type)" if keep_zeros else ZERO_NOTE
    return ParsedFile(
        path=path,
        source=source.id,
        edition=edition,
        edition_order=order,
        layout=layout,
        table=table,
        indicators=[_indicator(f) for _, f, _ in fields],
        skipped_rows=out.duplicates_dropped,
        note=f"{note}; {zero_note}",
    )


def _indicator(field: str) -> SourceIndicator:
    indicator, name, definition = POPULATION_FIELDS[field]
    return SourceIndicator(indicator, name, definition, UNIT, source_note=f"UNHCR field {field}")


# --- Refugee Data Finder -----------------------------------------------------------------------


def _finder_date(text: str) -> str | None:
    text = text.strip()
    for fmt in ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            pass
    m = re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)  # 'Date extracted: 03/03/2022 08:06 UTC'
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    return None


def _name_date(path: Path) -> str | None:
    """A release date in the file name ('population_2024-11-14.csv', '..._20241114.csv')."""
    m = re.search(r"(?<!\d)((?:19|20)\d\d)[-_]?(\d\d)[-_]?(\d\d)(?!\d)", path.name)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def _parse_finder(source: Source, path: Path, h: Harmoniser) -> ParsedFile:
    table = read_csv(
        path,
        errors="replace",
        is_header=lambda row: _hkey(row[0]) == "year" and len(row) > 2,
        header_search=61,
    )
    if not table.header:
        raise ParseError(path, "no 'Year, Country of origin, ...' header in the first 60 lines")
    header, header_line = table.header, table.header_line
    preamble = {_hkey(row[0]): row[1] for _, row in table.preamble if len(row) > 1}
    keys = [_hkey(c) for c in header]
    pos = {k: j for j, k in enumerate(keys)}

    def col(*names: str) -> int | None:
        return next((pos[n] for n in names if n in pos), None)

    c_year = pos["year"]
    c_oname, c_oiso = col("country of origin"), col("country of origin iso")
    c_aname, c_aiso = col("country of asylum"), col("country of asylum iso")
    if c_oname is None and c_aname is None:
        raise ParseError(
            path, "header has neither 'Country of origin' nor 'Country of asylum'", row=header_line
        )
    fields: list[tuple[int, str, str]] = []  # column, heading, indicator
    extra_names: dict[str, str] = {}
    for j, key in enumerate(keys):
        if key in FINDER_GEO_COLUMNS or not key:
            continue
        if key in FINDER_COLUMNS:
            fields.append((j, header[j], POPULATION_FIELDS[FINDER_COLUMNS[key]][0]))
        else:
            code, label = FINDER_EXTRA.get(key, (f"unhcr:{slug(header[j])}", header[j].strip()))
            fields.append((j, header[j], code))
            extra_names[code] = label
    if not fields:
        raise ParseError(
            path, "no population-type columns after the country columns", row=header_line
        )

    updated = _finder_date(preamble.get("last updated", ""))
    extracted = _finder_date(preamble.get("date extracted", ""))
    named = _name_date(path)
    edition = updated or extracted or named or ""
    notes = []
    if updated and extracted:
        notes.append(f"extracted {extracted}")
    elif updated:
        pass
    elif extracted:
        notes.append("no 'Last updated:' line: edition is the extraction date")
    elif named:
        notes.append("no date inside the file: edition from the date in its name")
    cutoff_year = int(edition[:4]) if edition[:4].isdigit() else None

    keep_zeros = len(fields) == 1
    resolve = _resolver(h, path)
    out = TidyRows(path)
    width = max(
        j
        for j in [c_year, c_oname, c_oiso, c_aname, c_aiso, *(f[0] for f in fields)]
        if j is not None
    )
    kept: list[tuple[int, int, str, str, list[tuple[float, str, str]]]] = []
    for line, row in table.rows:
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) <= width:
            row = row + [""] * (width + 1 - len(row))
        year = _year(row[c_year], path, line, header[c_year])
        values = []
        for j, heading, indicator in fields:
            value = _number(row[j], path, line, heading)
            if value is not None:
                values.append((value, indicator, heading))
        if not values:
            continue
        geo = (
            resolve(
                row[c_aiso] if c_aiso is not None else "",
                "",
                row[c_aname],
                line,
                "Country of asylum",
            )
            if c_aname is not None
            else ALL_COUNTRIES
        )
        partner = (
            resolve(
                row[c_oiso] if c_oiso is not None else "",
                "",
                row[c_oname],
                line,
                "Country of origin",
            )
            if c_oname is not None
            else ALL_COUNTRIES
        )
        values = [v for v in values if v[0] or zeros_kept(v[1], geo, partner, keep_zeros)]
        if values:
            kept.append((line, year, geo, partner, values))
    if not kept:
        raise ParseError(path, "no population figures below the header", row=header_line)
    latest = max(k[1] for k in kept)
    edition_order = edition
    row_note = f"{MID_YEAR_NOTE} (file of {edition})"
    if not edition:  # nothing dates the file: the latest year does, as for the API layout
        if LATEST_YEAR_IS_MID_YEAR:
            edition, edition_order, cutoff_year = f"{latest} (mid-year)", f"{latest}-06", latest
            row_note = MID_YEAR_NOTE
            notes.append(
                f"no date in the file or its name: edition is the latest year, {latest}, taken "
                "as mid-year figures (UNHCR's latest year is mid-year between its November and "
                "June releases)"
            )
        else:
            edition, edition_order = str(latest), f"{latest}-12"
            notes.append(
                f"no date in the file or its name: edition is the latest year, {latest} "
                "(end-year figures)"
            )
    elif cutoff_year is not None and latest >= cutoff_year:
        notes.append(f"figures for {cutoff_year} and later are mid-year (released {edition})")
    for line, year, geo, partner, values in kept:
        note = period = ""
        if cutoff_year is not None and year >= cutoff_year:
            note, period = row_note, MID_YEAR
        for value, indicator, heading in values:
            out.add(indicator, geo, year, value, UNIT, partner=partner, period=period,
                    row=line, col=heading, note=note)  # fmt: skip
    if extra_names:
        notes.append(
            "columns kept under UNHCR codes: "
            + ", ".join(f"{label} → {code}" for code, label in extra_names.items())
        )
    notes.append("zeros kept (one population type)" if keep_zeros else ZERO_NOTE)
    inds = []
    for _, heading, indicator in fields:
        field = next((f for f, v in POPULATION_FIELDS.items() if v[0] == indicator), None)
        inds.append(
            _indicator(field) if field else SourceIndicator(indicator, heading.strip(), unit=UNIT)
        )
    return ParsedFile(
        path=path,
        source=source.id,
        edition=edition,
        edition_order=edition_order,
        layout="unhcr-data-finder-csv",
        table=out.to_table(),
        indicators=inds,
        skipped_rows=out.duplicates_dropped,
        note="; ".join(notes),
    )


# --- country lookup (metadata only) ------------------------------------------------------------


def _parse_countries(source: Source, path: Path, h: Harmoniser) -> ParsedFile:
    resolve = _resolver(h, path)
    regions: dict[str, list[str]] = {}
    mapped = 0
    unmapped: list[str] = []
    records = read_csv(path).dicts()
    if records:  # the package sorts its lookup by ISO code: Zimbabwe last
        last_line, last = records[-1]
        check_last_row(
            path,
            (last.get("iso_code") or "").strip().upper(),
            "ZWE",
            "UNHCR country lookups (sorted by ISO code)",
            line=last_line,
        )
    for line, rec in records:
        iso = (rec.get("iso_code") or "").strip().upper()
        code = (rec.get("unhcr_code") or "").strip().upper()
        name = (rec.get("name") or "").strip()
        if not code:
            raise ParseError(path, "empty unhcr_code", row=line)
        if not iso and name.upper() == code and code not in SPECIAL_UNHCR:
            unmapped.append(code)  # e.g. CRB, CUR: code-only rows with no ISO and no name
            continue
        geo = resolve(iso, code, name, line, "iso_code")
        if h.by_code("unhcr", code) is None:
            # geo exists (a country, 'other' or a registered pseudo-origin): this adds only
            # the ('unhcr', code) → geo row, never a new entry.
            h.register_aggregate(geo, name or code, "", codes=(("unhcr", code),))
            mapped += 1
        region = (rec.get("unhcr_region") or "").strip()
        if region and h.country_by_iso3(geo):
            regions.setdefault(region, []).append(geo)
    for region, members in regions.items():
        group = h.register_aggregate(f"unhcr-{slug(region)}", region, "unhcr_region")
        h.set_members(group, members)
    note = f"country lookup: {mapped} UNHCR codes mapped, {len(regions)} UNHCR regions"
    if unmapped:
        note += f"; rows with neither ISO code nor name left out: {', '.join(unmapped)}"
    return ParsedFile(
        path=path,
        source=source.id,
        edition="undated",
        edition_order="0000",
        layout="unhcr-countries-csv",
        table=TidyRows(path).to_table(),
        note=note,
    )
