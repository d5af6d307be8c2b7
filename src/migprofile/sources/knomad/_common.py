"""What the World Bank / KNOMAD datasets share: publisher facts, cell helpers, the geography of
name-only files, and the bilateral-matrix reader used by both matrices.

Three datasets, three sources (one module each):
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

Which way a matrix runs is read from its corner cell ('receiving (across) / sending (down)'; the
2021 matrix writes 'Remittance-receiving country (across) - Remittance-sending country (down)'),
not assumed. A matrix sheet is found by its name ('Bilateral_Remittances_2017', 'Bilateral
Remittances 2018') or, in a small workbook, by that corner cell: the 2021 sheet is 'FINAL BRM
2021 ', and a renamed sheet still parses. The edition of a matrix is the year in its title
('... for 2017') or at the end of its sheet name. The unit comes from the title ('millions of
US$'), else the corner cell, else a note under the matrix. The WORLD row and column are kept as
the published totals ('world'); the note lines under the matrix (after a blank row, or after the
WORLD row) are its definition, not data.

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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from migprofile.errors import ParseError, UnknownGeoError
from migprofile.geo import Harmoniser, name_key
from migprofile.geo.resolver import GeoResolver, GeoTables
from migprofile.geo.worldbank import (
    WB_AGGREGATES,
    WB_GROUP_CODES,
    WB_NAME_VARIANTS,
    wb_aggregate,
    wb_by_name,
    wb_group_type,
)
from migprofile.sources.base import (
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    cell_number,
    column_letter,
)

LICENCE = "CC BY 4.0"
PUBLISHER = "World Bank / KNOMAD (Global Knowledge Partnership on Migration and Development)"
HOMEPAGE = (
    "https://www.worldbank.org/en/topic/migrationremittancesdiasporaissues/brief/"
    "migration-remittances-data"
)
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

GEO_TABLES = GeoTables(
    non_countries=NON_COUNTRIES,
    name_variants=WB_NAME_VARIANTS,
    variants_label="WB_NAME_VARIANTS",
)
_WB_AGGREGATE_KEYS = {name_key(k): v for k, v in WB_AGGREGATES.items()}

_MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
MONTH_RE = r"\b(" + "|".join(MONTHS) + "|" + "|".join(m[:3] for m in MONTHS) + r")\.?"
YEAR_MARKS = {"e": "estimate", "f": "forecast", "p": "projection"}
_SCALES = (("billion", 1e9), ("million", 1e6), ("thousand", 1e3))


# --- shared helpers --------------------------------------------------------------------------


def is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_at(row: list, j: int):
    return row[j] if j < len(row) else ""


def value_at(cell, path: Path, sheet: str, row: int, col: int, header) -> float | None:
    """A number (None for blanks and missing markers), else a ParseError naming the cell."""
    label = re.sub(r"\s+", " ", str(header)).strip()
    return cell_number(cell, path, column=f"{column_letter(col)}, {label!r}", sheet=sheet, row=row)


def scale_of(text: str) -> float | None:
    low = text.lower()
    for word, factor in _SCALES:
        if word in low:
            return factor
    return None


Resolve = Callable[..., str]


def name_resolver(h: Harmoniser, path: Path, *, aggregates: bool) -> Resolve:
    """Names of one file → geo ids, each name resolved once; `aggregates`: the file may hold
    World Bank aggregate rows (the flow tables), else every name is an economy (the matrices)."""
    r = GeoResolver(h, path, GEO_TABLES)

    def resolve(name: str, sheet: str, row: int, col: int | None = None) -> str:
        key = name_key(name)
        geo = r.cache.get(key)
        if geo is not None:
            return geo
        try:
            geo = _resolve(r, str(name), key, aggregates)
        except UnknownGeoError as exc:
            where = f" (column {column_letter(col)})" if col is not None else ""
            raise ParseError(path, f"{exc}{where}", sheet=sheet, row=row) from None
        r.cache[key] = geo
        return geo

    return resolve


def _resolve(r: GeoResolver, name: str, key: str, aggregates: bool) -> str:
    h = r.h
    if not key:
        raise UnknownGeoError(name, "empty name")
    own = r.own_name(name)
    if own:
        return own
    if aggregates:
        if key in _WB_AGGREGATE_KEYS:
            code, group_type = _WB_AGGREGATE_KEYS[key]
            return wb_aggregate(h, name, code, group_type)
        wdi_code = WB_GROUP_CODES.get(name.strip().lower())
        if wdi_code:
            return wb_aggregate(h, name, wdi_code, wb_group_type(wdi_code))
        known = wb_by_name(h, key)
        if known:
            return known
    geo = h.resolve_name(name)
    entry = h.entries.get(geo)
    if entry is not None and entry.kind == "aggregate" and geo != "world":
        if not aggregates:
            raise UnknownGeoError(name, f"an aggregate ({geo}) where the matrix lists economies")
        return wb_aggregate(h, name, "", "wb_aggregate")
    return geo


def text_rows(rows: list[list], start: int) -> list[str]:
    """Column-A texts of the note lines below a table."""
    out = []
    for row in rows[start:]:
        if row and isinstance(row[0], str) and row[0].strip() and all(is_blank(c) for c in row[1:]):
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


REMITTANCES = _MatrixKind(
    "remittance", frozenset({"receiving", "sending"}), "remittances_bilateral_usd", "US$"
)
MIGRATION = _MatrixKind(
    "migration", frozenset({"destination", "host", "origin", "source"}), "migrant_stock", "persons"
)
_MATRIX_SHEET = re.compile(
    r"^\s*bilateral[\s_]+(remittances?|migration)[\s_]*((?:19|20)\d\d)?\s*$", re.IGNORECASE
)


def _matrix_sheets(peek: FilePeek, kind: _MatrixKind) -> list[str]:
    """Sheets named like this kind of matrix; else, in a small workbook, the sheets whose
    corner cell names this kind's roles (a renamed sheet, or the 2021 'FINAL BRM 2021 ')."""
    if not peek.is_workbook or peek.workbook() is None:
        return []
    named = [
        s
        for s in peek.sheet_names
        if (m := _MATRIX_SHEET.match(s)) and m.group(1).lower().startswith(kind.word)
    ]
    if named:
        return named
    try:
        small = peek.path.stat().st_size < SMALL_WORKBOOK
    except OSError:
        small = False
    if not small:
        return []
    found = []
    for sheet in peek.sheet_names:
        try:
            rows = peek.sheet(sheet)
        except ParseError:
            continue
        header = _corner(rows)
        if header is not None and _runs_as(str(rows[header][0]), kind) is not None:
            found.append(sheet)
    return found


def _runs_as(corner: str, kind: _MatrixKind) -> bool | None:
    """True when the columns are the geo side (receiving, destination), False when the rows
    are; None when the corner cell does not name one role of this kind each way."""
    across, down = _roles(corner)
    if (
        across is None
        or down is None
        or across not in kind.roles
        or down not in kind.roles
        or _ROLE_WORDS[across] == _ROLE_WORDS[down]
    ):
        return None
    return _ROLE_WORDS[across] == "geo"


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


class BilateralMatrix(Source):
    """A World Bank bilateral matrix (the two matrix sources differ only in `kind`)."""

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
        resolve = name_resolver(harmoniser, path, aggregates=False)
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
            "values converted from US$ million to US$" if self.kind is REMITTANCES else "",
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
        columns_are_geo = _runs_as(str(hdr[0]), kind)
        if columns_are_geo is None:
            corner = re.sub(r"\s+", " ", str(hdr[0])).strip()
            raise ParseError(
                path,
                f"corner cell {corner!r} does not name the "
                f"{' and '.join(sorted(kind.roles))} countries",
                sheet=sheet,
                row=header + 1,
            )
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
        if kind is REMITTANCES:
            below = text_rows(rows, header + 1)  # the notes (and names of empty rows)
            factor = next(
                (f for t in (title, str(hdr[0]), *below) if (f := scale_of(t)) is not None), 0.0
            )
            if not factor:
                raise ParseError(
                    path,
                    f"title {title!r} does not say the unit (millions of US$?), nor does the "
                    "corner cell or a note under the matrix",
                    sheet=sheet,
                    row=1,
                )
        note = MODELLED_NOTE if self.modelled else ""

        col_geo: dict[int, str] = {}
        for j in range(1, len(hdr)):
            if not is_blank(hdr[j]):
                col_geo[j] = resolve(str(hdr[j]), sheet, header + 1, j)
        if not col_geo:
            raise ParseError(path, "header row names no countries", sheet=sheet, row=header + 1)
        width = max(col_geo) + 1

        zeros = 0
        blank_seen = False
        world_seen = False  # the WORLD row ends the matrix
        notes_start = len(rows)
        for i in range(header + 1, len(rows)):
            row = rows[i]
            name = row[0] if row else ""
            values = [(j, cell_at(row, j)) for j in range(1, max(width, len(row)))]
            has_values = any(not is_blank(c) for _, c in values)
            if is_blank(name):
                if has_values:
                    raise ParseError(
                        path, "row has values but no country name", sheet=sheet, row=i + 1
                    )
                blank_seen = True
                continue
            if not has_values:
                if blank_seen or world_seen:  # 'Notes:' and the note lines under the matrix
                    notes_start = min(notes_start, i)
                    continue
                resolve(str(name), sheet, i + 1)  # a country without values: still a known name
                continue
            row_geo = resolve(str(name), sheet, i + 1)
            world_seen = world_seen or row_geo == "world"
            for j, cell in values:
                value: float | None
                if isinstance(cell, float) and math.isfinite(cell):
                    value = cell  # the common case, without the string handling of to_number
                else:
                    value = value_at(cell, path, sheet, i + 1, j, cell_at(hdr, j))
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
        notes = [t for t in text_rows(rows, notes_start) if name_key(t) != "notes"]
        return edition, title, notes, zeros
