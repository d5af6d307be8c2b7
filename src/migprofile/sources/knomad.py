"""World Bank / KNOMAD: bilateral remittance and migration matrices, annual remittance flows.

Three datasets, three sources:
- `wb_bilateral_remittances`: the Bilateral Remittance Matrix (sheet 'Bilateral_Remittances_2017':
  receiving countries across, sending countries down, US$ million). Stored as
  `remittances_bilateral_usd` in US$ (cell x 1e6), geo = receiving, partner = sending. These are
  modelled estimates (Ratha and Shaw method: migrant stocks x incomes), not reported flows: the
  source is flagged `modelled` and every row carries the note "modelled estimate (World
  Bank/KNOMAD), not observed".
- `wb_bilateral_migration`: the Bilateral Migration Matrix (sheet 'Bilateral_Migration_2017':
  destinations across, origins down, persons), stored as `migrant_stock` (geo = destination,
  partner = origin). World Bank staff estimates, so modelled as well.
- `knomad_remittance_flows`: the annual inflow and outflow tables ('Inward remittance flows',
  'Outward remittance flows'; US$ million, 2000..latest, names only). Stored as
  `remittances_inflow_knomad_usd` / `remittances_outflow_knomad_usd` in US$. Year headers such as
  '2022e' mark estimates: those values carry the row note 'estimate (2022e)'. The edition is the
  footer line 'Date: June 2023' → '2023-06'. Columns that are not years ('% of GDP in 2022') are
  not stored.

Which way a matrix runs is read from its corner cell ('receiving (across) / sending (down)'), not
assumed. The edition of a matrix is the year in its title ('... for 2017') or sheet name.

Zeros are not stored. The matrices are full of 0.0 for pairs the World Bank did not estimate, and
the flow tables write 0 for years without data (Afghanistan 2000-2007, Chile 2003-2008 in the
middle of a series, Venezuela 2020-2022 which the footer calls unavailable): in these files 0
means "no estimate", and storing it would show a made-up zero in a profile. Blank cells are
skipped as well.

Geography is by name (these files carry no codes). 'World'/'WORLD' rows and columns are the
totals ('world'); 'Other North'/'Other South' are the residual origins. Aggregate rows of the flow
tables become World Bank aggregates: the income groups (and 'Low-and Middle-Income Countries') use
the World Bank codes, so they share ids with the WDI aggregates ('wb-lmy', 'wb-hic'...); KNOMAD's
regional rows may not cover the same economies as WDI's all-income regions, so they are kept as
their own 'wb-<slug>' aggregates. Every other name must resolve to a country (WB_NAME_VARIANTS
first, then the harmoniser), or the parse fails naming the sheet and row.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

from migprofile.errors import ParseError, UnknownGeoError
from migprofile.geo import Harmoniser, name_key
from migprofile.geo.regions import slug
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    cell_number,
    column_letter,
    to_year,
)
from migprofile.sources.wdi import WB_GROUP_CODES, WB_INCOME_GROUPS, WB_REGIONS

LICENCE = "CC BY 4.0"
PUBLISHER = "World Bank / KNOMAD (Global Knowledge Partnership on Migration and Development)"
MODELLED_NOTE = "modelled estimate (World Bank/KNOMAD), not observed"
ZERO_NOTE = "zero cells not stored (0 means no estimate in these World Bank files)"
HEADER_SEARCH_ROWS = 10
SMALL_WORKBOOK = 5_000_000  # bytes: below this, a workbook's first sheet is worth a look

# Names in these files that are not countries.
NON_COUNTRIES = {
    "world": "world",
    "world total": "world",
    "other north": "other-north",
    "other south": "other-south",
}

# World Bank spellings the harmoniser does not resolve (or resolves wrongly): {name: ISO3}.
# 'Micronesia' alone would be the UN sub-region; in a World Bank economy list it is the country.
WB_NAME_VARIANTS: dict[str, str] = {
    "Micronesia": "FSM",
}

# Aggregate rows of the KNOMAD flow tables: name → (World Bank code or "", group type).
# With a code the id is the WDI one (wb-<code>); without, 'wb-<slug of the name>'.
WB_AGGREGATES: dict[str, tuple[str, str]] = {
    "Low-and Middle-Income Countries": ("LMY", "wb_aggregate"),
    "Low- and Middle-Income Countries": ("LMY", "wb_aggregate"),
    "Low and middle income": ("LMY", "wb_aggregate"),
    "Low & middle income": ("LMY", "wb_aggregate"),
    "Developing countries": ("LMY", "wb_aggregate"),
    "Middle income": ("MIC", "wb_aggregate"),
    "Middle-income countries": ("MIC", "wb_aggregate"),
    "High income": ("HIC", "wb_income"),
    "High-income countries": ("HIC", "wb_income"),
    "Upper middle income": ("UMC", "wb_income"),
    "Upper-middle-income countries": ("UMC", "wb_income"),
    "Lower middle income": ("LMC", "wb_income"),
    "Lower-middle-income countries": ("LMC", "wb_income"),
    "Low income": ("LIC", "wb_income"),
    "Low-income countries": ("LIC", "wb_income"),
    "East Asia and Pacific": ("", "wb_aggregate"),
    "Europe and Central Asia": ("", "wb_aggregate"),
    "Latin America and Caribbean": ("", "wb_aggregate"),
    "Latin America and the Caribbean": ("", "wb_aggregate"),
    "Middle East and North Africa": ("", "wb_aggregate"),
    "Middle-East and North Africa": ("", "wb_aggregate"),
    "Middle East, North Africa, Afghanistan and Pakistan": ("", "wb_aggregate"),
    "South Asia": ("", "wb_aggregate"),
    "Sub-Saharan Africa": ("", "wb_aggregate"),
}

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
_MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
_MONTH_RE = r"\b(" + "|".join(_MONTHS) + "|" + "|".join(m[:3] for m in _MONTHS) + r")\.?"
_YEAR_MARKS = {"e": "estimate", "f": "forecast", "p": "projection"}
_SCALES = (("billion", 1e9), ("million", 1e6), ("thousand", 1e3))


# --- shared helpers --------------------------------------------------------------------------


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _cell(row: list, j: int):
    return row[j] if j < len(row) else ""


def _value(cell, path: Path, sheet: str, row: int, col: int, header) -> float | None:
    """A number (None for blanks and missing markers), else a ParseError naming the cell."""
    label = re.sub(r"\s+", " ", str(header)).strip()
    return cell_number(cell, path, column=f"{column_letter(col)}, {label!r}", sheet=sheet, row=row)


def _scale(text: str) -> float | None:
    low = text.lower()
    for word, factor in _SCALES:
        if word in low:
            return factor
    return None


class _Geo:
    """Names of one file → geo ids, each name resolved once."""

    def __init__(self, h: Harmoniser, path: Path, *, aggregates: bool):
        self.h = h
        self.path = path
        self.aggregates = aggregates
        self.cache: dict[str, str] = {}
        self.wb_names = {name_key(k): v for k, v in WB_AGGREGATES.items()}
        self.variants = {name_key(k): v for k, v in WB_NAME_VARIANTS.items()}

    def __call__(self, name: str, sheet: str, row: int, col: int | None = None) -> str:
        key = name_key(name)
        if key in self.cache:
            return self.cache[key]
        try:
            geo = self._resolve(str(name), key)
        except UnknownGeoError as exc:
            where = f" (column {column_letter(col)})" if col is not None else ""
            raise ParseError(self.path, f"{exc}{where}", sheet=sheet, row=row) from None
        self.cache[key] = geo
        return geo

    def _resolve(self, name: str, key: str) -> str:
        h = self.h
        if not key:
            raise UnknownGeoError(name, "empty name")
        if key in NON_COUNTRIES:
            return NON_COUNTRIES[key]
        if key in self.variants:
            iso3 = self.variants[key]
            geo = h.country_by_iso3(iso3)
            if geo is None:
                raise UnknownGeoError(name, f"WB_NAME_VARIANTS maps it to unknown ISO3 {iso3}")
            return geo
        if self.aggregates:
            if key in self.wb_names:
                code, group_type = self.wb_names[key]
                return self._wb_aggregate(name, code, group_type)
            wdi_code = WB_GROUP_CODES.get(name.strip().lower())
            if wdi_code:
                group_type = (
                    "wb_region"
                    if wdi_code in WB_REGIONS
                    else "wb_income"
                    if wdi_code in WB_INCOME_GROUPS
                    else "wb_aggregate"
                )
                return self._wb_aggregate(name, wdi_code, group_type)
            known = self._wb_by_name(key)
            if known:
                return known
        geo = h.resolve_name(name)
        entry = h.entries.get(geo)
        if entry is not None and entry.kind == "aggregate" and geo != "world":
            if not self.aggregates:
                raise UnknownGeoError(
                    name, f"an aggregate ({geo}) where the matrix lists economies"
                )
            return self._wb_aggregate(name, "", "wb_aggregate")
        return geo

    def _wb_by_name(self, key: str) -> str | None:
        for geo, entry in self.h.entries.items():
            if geo.startswith("wb-") and name_key(entry.name) == key:
                return geo
        return None

    def _wb_aggregate(self, name: str, code: str, group_type: str) -> str:
        clean = re.sub(r"\s+", " ", name).strip()
        if code:
            known = self.h.by_code("wb", code)
            if known:
                return known
            return self.h.register_aggregate(
                f"wb-{code.lower()}", clean, group_type, codes=(("wb", code),)
            )
        known = self._wb_by_name(name_key(clean))
        if known:
            return known
        return self.h.register_aggregate("wb-" + slug(clean), clean, group_type)


def _text_rows(rows: list[list], start: int) -> list[str]:
    """Column-A texts of the note lines below a table."""
    out = []
    for row in rows[start:]:
        if row and isinstance(row[0], str) and row[0].strip() and all(_blank(c) for c in row[1:]):
            out.append(re.sub(r"\s+", " ", row[0]).strip())
    return out


# --- bilateral matrices ----------------------------------------------------------------------

_ROLE_WORDS = {
    "receiving": "geo",
    "destination": "geo",
    "host": "geo",
    "sending": "partner",
    "origin": "partner",
    "source": "partner",
}


@dataclass
class _MatrixKind:
    word: str  # sheet name word: 'remittance' or 'migration'
    roles: frozenset  # the corner-cell role words this matrix uses
    indicator: str
    unit: str


_REMITTANCES = _MatrixKind(
    "remittance", frozenset({"receiving", "sending"}), "remittances_bilateral_usd", "US$"
)
_MIGRATION = _MatrixKind(
    "migration", frozenset({"destination", "host", "origin", "source"}), "migrant_stock", "persons"
)
_MATRIX_SHEET = re.compile(
    r"^\s*bilateral[\s_]+(remittances?|migration)[\s_]*((?:19|20)\d\d)?\s*$", re.IGNORECASE
)


def _matrix_sheets(peek: FilePeek, kind: _MatrixKind) -> list[str]:
    if not peek.is_workbook or peek.workbook() is None:
        return []
    return [
        s
        for s in peek.sheet_names
        if (m := _MATRIX_SHEET.match(s)) and m.group(1).lower().startswith(kind.word)
    ]


def _corner(rows: list[list]) -> int | None:
    """The header row: its first cell says which way the matrix runs ('x (across) / y (down)')."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if row and isinstance(row[0], str):
            low = row[0].lower()
            if "(across)" in low and "(down)" in low:
                return i
    return None


def _roles(corner: str) -> tuple[str | None, str | None]:
    """('receiving', 'sending') from 'receiving (across) / sending (down)'."""
    low = corner.lower()
    across_part, _, rest = low.partition("(across)")
    down_part = rest.partition("(down)")[0]

    def last_role(text: str) -> str | None:
        found = [(text.rfind(w), w) for w in _ROLE_WORDS if w in text]
        return max(found)[1] if found else None

    return last_role(across_part), last_role(down_part)


def _matrix_year(path: Path, sheet: str, title: str) -> str:
    for text, pattern in (
        (title, r"\b(?:for|in)\s+((?:19|20)\d\d)\b"),
        (sheet, r"((?:19|20)\d\d)\s*$"),
        (path.name, r"((?:19|20)\d\d)"),
    ):
        m = re.search(pattern, text, re.IGNORECASE)
        if m:
            return m.group(1)
    raise ParseError(path, "cannot tell the year of the estimates (no year in title)", sheet=sheet)


class _BilateralMatrix(Source):
    kind: _MatrixKind

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        sheets = _matrix_sheets(peek, self.kind)
        if sheets:
            return Match(self, path, f"wb-bilateral-{self.kind.word}-matrix", {"sheets": sheets})
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        peek: FilePeek = match.context["peek"]
        out = TidyRows(path)
        resolve = _Geo(harmoniser, path, aggregates=False)
        editions, titles, notes = [], [], []
        zeros = 0
        for sheet in match.context["sheets"]:
            edition, title, sheet_notes, n_zero = self._parse_sheet(
                peek, sheet, peek.sheet(sheet), resolve, out
            )
            editions.append(edition)
            titles.append(title)
            notes.extend(sheet_notes)
            zeros += n_zero
        if len(set(editions)) > 1:
            raise ParseError(path, f"sheets of different years in one file: {sorted(editions)}")
        edition = editions[0]
        if not len(out):
            raise ParseError(
                path, "the matrix holds no non-zero value", sheet=match.context["sheets"][0]
            )
        version = re.search(r"\(([^()]*version[^()]*)\)", " ".join(titles), re.IGNORECASE)
        note_parts = [
            MODELLED_NOTE if self.modelled else "",
            f"{zeros} {ZERO_NOTE}",
            "values converted from US$ million to US$" if self.kind is _REMITTANCES else "",
            version.group(1) if version else "",
        ]
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=out.to_table(),
            indicators=[
                SourceIndicator(
                    indicator=self.kind.indicator,
                    name=titles[0],
                    definition=" ".join(notes),
                    unit=self.kind.unit,
                    source_note=PUBLISHER,
                )
            ],
            note="; ".join(p for p in note_parts if p),
        )

    def _parse_sheet(self, peek: FilePeek, sheet: str, rows: list[list], resolve, out: TidyRows):
        path = peek.path
        kind = self.kind
        header = _corner(rows)
        if header is None:
            raise ParseError(
                path,
                f"no header row whose first cell reads '... (across) / ... (down)' in the first "
                f"{HEADER_SEARCH_ROWS} rows (layout changed?)",
                sheet=sheet,
            )
        hdr = rows[header]
        across, down = _roles(str(hdr[0]))
        if (
            across not in kind.roles
            or down not in kind.roles
            or _ROLE_WORDS[across] == _ROLE_WORDS[down]
        ):
            raise ParseError(
                path,
                f"corner cell {str(hdr[0]).strip()!r} does not name the "
                f"{' and '.join(sorted(kind.roles))} countries",
                sheet=sheet,
                row=header + 1,
            )
        columns_are_geo = _ROLE_WORDS[across] == "geo"
        title = next(
            (
                re.sub(r"\s+", " ", c).strip()
                for r in rows[:header]
                for c in r
                if isinstance(c, str) and c.strip()
            ),
            sheet,
        )
        edition = _matrix_year(path, sheet, title)
        year = int(edition)
        factor = 1.0
        if kind is _REMITTANCES:
            factor = _scale(title) or _scale(str(hdr[0])) or 0.0
            if not factor:
                raise ParseError(
                    path,
                    f"title {title!r} does not say the unit (millions of US$?)",
                    sheet=sheet,
                    row=1,
                )
        note = MODELLED_NOTE if self.modelled else ""

        col_geo: dict[int, str] = {}
        for j in range(1, len(hdr)):
            if not _blank(hdr[j]):
                col_geo[j] = resolve(str(hdr[j]), sheet, header + 1, j)
        if not col_geo:
            raise ParseError(path, "header row names no countries", sheet=sheet, row=header + 1)
        width = max(col_geo) + 1

        zeros = 0
        blank_seen = False
        notes_start = len(rows)
        for i in range(header + 1, len(rows)):
            row = rows[i]
            name = row[0] if row else ""
            values = [(j, _cell(row, j)) for j in range(1, max(width, len(row)))]
            has_values = any(not _blank(c) for _, c in values)
            if _blank(name):
                if has_values:
                    raise ParseError(
                        path, "row has values but no country name", sheet=sheet, row=i + 1
                    )
                blank_seen = True
                continue
            if not has_values:
                if blank_seen:  # 'Notes:' and the note lines under the matrix
                    notes_start = min(notes_start, i)
                    continue
                resolve(str(name), sheet, i + 1)  # a country without values: still a known name
                continue
            row_geo = resolve(str(name), sheet, i + 1)
            for j, cell in values:
                if isinstance(cell, float) and math.isfinite(cell):
                    value = cell  # the common case, without the string handling of to_number
                else:
                    value = _value(cell, path, sheet, i + 1, j, _cell(hdr, j))
                if value is None:
                    continue
                if value == 0.0:
                    zeros += 1
                    continue
                if j not in col_geo:
                    raise ParseError(
                        path,
                        f"value in column {column_letter(j)}, which has no country name",
                        sheet=sheet,
                        row=i + 1,
                    )
                geo, partner = (col_geo[j], row_geo) if columns_are_geo else (row_geo, col_geo[j])
                out.add(
                    kind.indicator,
                    geo,
                    year,
                    value * factor,
                    kind.unit,
                    partner=partner,
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                    note=note,
                )
        notes = [t for t in _text_rows(rows, notes_start) if name_key(t) != "notes"]
        return edition, title, notes, zeros


class KnomadBilateralRemittances(_BilateralMatrix):
    id = "wb_bilateral_remittances"
    title = "World Bank/KNOMAD Bilateral Remittance Matrix"
    publisher = PUBLISHER
    licence = LICENCE
    citation = (
        "World Bank. Bilateral Remittance Estimates for {edition} using Migrant Stocks, Host "
        "Country Incomes, and Origin Country Incomes (KNOMAD)."
    )
    homepage = (
        "https://www.worldbank.org/en/topic/migrationremittancesdiasporaissues/brief/"
        "migration-remittances-data"
    )
    modelled = True
    downloads = (
        Download(
            "https://pubdocs.worldbank.org/en/705611533661084197/"
            "bilateralremittancematrix2017-Apr2018.xlsx",
            "bilateralremittancematrix2017-Apr2018.xlsx",
            "2017",
            "Bilateral Remittance Matrix 2017 (April 2018 version)",
        ),
    )
    kind = _REMITTANCES
    name_pattern = re.compile(r"bilateral[\s_-]*remittance", re.IGNORECASE)


class KnomadBilateralMigration(_BilateralMatrix):
    id = "wb_bilateral_migration"
    title = "World Bank/KNOMAD Bilateral Migration Matrix"
    publisher = PUBLISHER
    licence = LICENCE
    citation = "World Bank. Bilateral Estimates of Migrant Stocks in {edition} (KNOMAD)."
    homepage = KnomadBilateralRemittances.homepage
    modelled = True
    downloads = (
        Download(
            "https://www.knomad.org/sites/default/files/2018-04/"
            "bilateralmigrationmatrix20170_Apr2018.xlsx",
            "bilateralmigrationmatrix20170_Apr2018.xlsx",
            "2017",
            "Bilateral Migration Matrix 2017 (April 2018 version)",
        ),
    )
    kind = _MIGRATION
    name_pattern = re.compile(r"bilateral[\s_-]*(estimates[\s_-]*)?migra(tion|nt)", re.IGNORECASE)


# --- annual remittance flows -----------------------------------------------------------------

_FLOW_HEADER = re.compile(r"remittance\s+(inflows|outflows)", re.IGNORECASE)
_FLOW_SHEET = re.compile(r"remittance|inflow|outflow", re.IGNORECASE)
_FLOW_INDICATORS = {
    "inflows": "remittances_inflow_knomad_usd",
    "outflows": "remittances_outflow_knomad_usd",
}


def _flow_header(rows: list[list]) -> tuple[int, str] | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if (
            row
            and isinstance(row[0], str)
            and (m := _FLOW_HEADER.search(row[0]))
            and any(to_year(c) is not None for c in row[1:])
        ):
            return i, m.group(1).lower()
    return None


def _year_mark(cell, path: Path, sheet: str, row: int, col: int) -> tuple[int, str] | None:
    """(2022, 'e') from '2022e'; (2021, '') from 2021.0 or '2021'; None for other headers."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        year = to_year(cell)
        return (year, "") if year is not None else None
    text = str(cell or "").strip()
    m = re.fullmatch(r"((?:19|20)\d\d)\s*([A-Za-z]?)\**", text)
    if not m:
        return None
    mark = m.group(2).lower()
    if mark and mark not in _YEAR_MARKS:
        raise ParseError(
            path,
            f"year header {text!r} (column {column_letter(col)}) has an unknown mark "
            f"(known: {', '.join(_YEAR_MARKS)})",
            sheet=sheet,
            row=row,
        )
    return int(m.group(1)), mark


def _flow_edition(path: Path, sheet: str, lines: list[str]) -> str | None:
    """'Date: June 2023' (or 'please cite: World Bank-KNOMAD, June 2023') → '2023-06'."""
    for pattern in (
        rf"date\s*:\s*{_MONTH_RE}\s+((?:19|20)\d\d)",
        rf"{_MONTH_RE}\s+((?:19|20)\d\d)",
    ):
        for text in lines:
            m = re.search(pattern, text, re.IGNORECASE)
            if m:
                month = m.group(1).lower()
                number = _MONTHS.get(month) or next(
                    n for name, n in _MONTHS.items() if name.startswith(month)
                )
                return f"{m.group(2)}-{number:02d}"
    m = re.search(rf"{_MONTH_RE}[\s_-]*((?:19|20)\d\d)", path.name, re.IGNORECASE)
    if m:
        month = m.group(1).lower()
        number = next(n for name, n in _MONTHS.items() if name.startswith(month))
        return f"{m.group(2)}-{number:02d}"
    return None


class KnomadRemittanceFlows(Source):
    id = "knomad_remittance_flows"
    title = "World Bank-KNOMAD annual remittance inflows and outflows"
    publisher = PUBLISHER
    licence = LICENCE
    citation = "World Bank-KNOMAD, remittance inflows and outflows ({edition})."
    homepage = "https://www.knomad.org/data/remittances"
    modelled = False
    downloads = (
        Download(
            "https://www.knomad.org/sites/default/files/2023-06/"
            "remittance_inflows_brief_38_june_2023_3.xlsx",
            "remittance_inflows_brief_38_june_2023_3.xlsx",
            "2023-06",
            "Remittance inflows, Migration and Development Brief 38 (June 2023)",
        ),
    )
    name_pattern = re.compile(
        r"remittance[\s_-]*(in|out)flows|(inward|outward)[\s_-]*remittance", re.IGNORECASE
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if not peek.is_workbook or peek.workbook() is None:
            return None
        names = peek.sheet_names
        candidates = [s for s in names if _FLOW_SHEET.search(s)]
        if not candidates and names:
            try:
                small = path.stat().st_size < SMALL_WORKBOOK
            except OSError:
                small = False
            candidates = names[:1] if small else []
        found = []
        for sheet in candidates:
            try:
                header = _flow_header(peek.sheet(sheet))
            except ParseError:
                continue
            if header is not None:
                found.append((sheet, *header))
        if found:
            return Match(self, path, "knomad-remittance-flows", {"sheets": found})
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        peek: FilePeek = match.context["peek"]
        out = TidyRows(path)
        resolve = _Geo(harmoniser, path, aggregates=True)
        editions: set[str] = set()
        indicators: list[SourceIndicator] = []
        zeros = 0
        skipped_cols: list[str] = []
        estimates: list[str] = []
        for sheet, header, direction in match.context["sheets"]:
            rows = peek.sheet(sheet)
            edition, ind, n_zero, skipped, marked = self._parse_sheet(
                path, sheet, rows, header, direction, resolve, out
            )
            editions.add(edition)
            indicators.append(ind)
            zeros += n_zero
            skipped_cols += skipped
            estimates += marked
        if len(editions) > 1:
            raise ParseError(path, f"sheets dated differently: {sorted(editions)}")
        edition = editions.pop()
        note_parts = [
            "values converted from US$ million to US$",
            f"{zeros} zero cells not stored (0 marks years without data in these files)",
            f"estimates: {', '.join(sorted(set(estimates)))}" if estimates else "",
            f"columns not stored: {', '.join(skipped_cols)}" if skipped_cols else "",
        ]
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=out.to_table(),
            indicators=indicators,
            note="; ".join(p for p in note_parts if p),
        )

    def _parse_sheet(self, path, sheet, rows, header, direction, resolve, out: TidyRows):
        hdr = rows[header]
        label = re.sub(r"\s+", " ", str(hdr[0])).strip()
        factor = _scale(label)
        if factor is None:
            raise ParseError(
                path,
                f"header {label!r} does not say the unit (US$ million?)",
                sheet=sheet,
                row=header + 1,
            )
        indicator = _FLOW_INDICATORS[direction]
        year_cols: list[tuple[int, int, str]] = []
        skipped: list[str] = []
        for j in range(1, len(hdr)):
            cell = hdr[j]
            if _blank(cell):
                continue
            ym = _year_mark(cell, path, sheet, header + 1, j)
            if ym is None:
                skipped.append(f"{str(cell).strip()!r} ({sheet} {column_letter(j)})")
                continue
            year_cols.append((j, *ym))
        notes = {j: f"{_YEAR_MARKS[mark]} ({year}{mark})" for j, year, mark in year_cols if mark}

        zeros = 0
        blank_seen = False
        last = header
        for i in range(header + 1, len(rows)):
            row = rows[i]
            name = row[0] if row else ""
            cells = [(j, year, _cell(row, j)) for j, year, _ in year_cols]
            has_values = any(not _blank(c) for _, _, c in cells)
            if _blank(name):
                if has_values:
                    raise ParseError(
                        path, "row has values but no country name", sheet=sheet, row=i + 1
                    )
                blank_seen = True
                continue
            if not has_values:
                if not blank_seen:
                    resolve(str(name), sheet, i + 1)  # a country without data: still known
                continue
            last = i
            geo = resolve(str(name), sheet, i + 1)
            for j, year, cell in cells:
                value = _value(cell, path, sheet, i + 1, j, hdr[j])
                if value is None:
                    continue
                if value == 0.0:
                    zeros += 1
                    continue
                out.add(
                    indicator,
                    geo,
                    year,
                    value * factor,
                    "US$",
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                    note=notes.get(j, ""),
                )
        footer = _text_rows(rows, last + 1)
        edition = _flow_edition(path, sheet, footer)
        if edition is None:
            raise ParseError(
                path,
                "no 'Date: <Month> <Year>' line under the table (edition unknown)",
                sheet=sheet,
            )
        indicator_info = SourceIndicator(
            indicator=indicator,
            name=label,
            definition=" ".join(
                t for t in footer if not re.match(r"(date\s*:|when using the data)", t, re.I)
            ),
            unit="US$",
            source_note=next((t for t in footer if t.lower().startswith("when using")), PUBLISHER),
        )
        marked = [f"{year}{mark}" for _, year, mark in year_cols if mark]
        return edition, indicator_info, zeros, skipped, marked
