"""What the UN DESA International Migrant Stock datasets share: publisher facts, the workbook
reading helpers, and the geography tables (M49 codes; region rows kept as aggregates).

Codes beat names: an M49 country code is a country, 900 is the world; any other coded row is a
region or development group, kept as an aggregate (registered as `undesa-<slug>` on first
sight, with the code ('undesa', CODE)). 'Other North/South' and 'Other' are non-countries, even
where they carry a code (the 2020/2024 'OTHER' origin row is coded 2003): they are the residual
origins of the destination x origin table, the 'other' that third-party extracts write as
'XXX' or 'OOO'.

The totals tables of the destination and the origin workbooks share one reader
(`parse_totals_table`): code, name and year columns are found by their header cells (the 2024
workbooks leave the data-type column's header blank), sexes by the merged super-headers.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import name_key
from migprofile.geo.regions import slug
from migprofile.geo.resolver import CodeScheme, GeoResolver, GeoTables
from migprofile.periods import MID_YEAR
from migprofile.sources.base import FilePeek, TidyRows, cell_number, column_letter, to_year

UN_DESA_BASE = "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
PUBLISHER = "United Nations, Department of Economic and Social Affairs, Population Division"
LICENCE = "CC BY 3.0 IGO"
CITATION = (
    "United Nations Department of Economic and Social Affairs, Population Division. "
    "International Migrant Stock {edition}."
)
HOMEPAGE = "https://www.un.org/development/desa/pd/content/international-migrant-stock"
SHORT_NAME = "UN DESA"
HEADER_SEARCH_ROWS = 20
TABLE_SHEET = re.compile(r"^\s*table\s*\d+\s*$", re.I)
WORLD_CODE = 900
NON_COUNTRY_ORIGINS = {
    "other north": "other-north",
    "other south": "other-south",
    "other": "other",
    "unknown": "other",
    "other and unknown": "other",
}
GEO_TABLES = GeoTables(
    codes=CodeScheme(countries="m49", special={str(WORLD_CODE): "world"}),
    non_countries=NON_COUNTRY_ORIGINS,
    record_names=True,
)


def texts(rows: list[list], upto: int) -> str:
    return " ".join(str(c) for r in rows[:upto] for c in r if isinstance(c, str) and c.strip())


def period_of_title(title_text: str) -> str:
    """MID_YEAR where the table's title says its figures are at mid-year ("International
    migrant stock at mid-year by sex"), else '' (the year's value, date not stated)."""
    return MID_YEAR if re.search(r"\bat mid-?year\b", title_text, re.IGNORECASE) else ""


def edition_of(path: Path, title_text: str) -> str:
    for pattern in (r"Rev\.?\s*((?:19|20)\d\d)", r"Migrant Stock\s*((?:19|20)\d\d)"):
        m = re.search(pattern, title_text, re.IGNORECASE)
        if m:
            return m.group(1)
    m = re.search(r"((?:19|20)\d\d)", path.name)
    if m:
        return m.group(1)
    raise ParseError(path, "cannot tell the edition (no 'Rev.YYYY' in the title rows)")


def find_header(rows: list[list], path: Path, sheet: str, labels: tuple[str, ...]) -> int:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = {name_key(c) for c in row if isinstance(c, str)}
        if all(any(label in cell for cell in cells) for label in labels):
            return i
    raise ParseError(
        path,
        f"header row with {' and '.join(repr(x) for x in labels)} not found in the first "
        f"{HEADER_SEARCH_ROWS} rows (layout changed?)",
        sheet=sheet,
    )


def col_of(row: list, *fragments: str) -> int | None:
    for j, cell in enumerate(row):
        if isinstance(cell, str) and all(f in name_key(cell) for f in fragments):
            return j
    return None


def year_columns(rows: list[list], header: int) -> tuple[int, list[tuple[int, int]]]:
    """Years sit on the header row or on the row just below it (2019 layout)."""
    for r in (header, header + 1):
        if r < len(rows):
            cols = [(j, y) for j, c in enumerate(rows[r]) if (y := to_year(c)) is not None]
            if cols:
                return r, cols
    return header, []


def sex_of_columns(rows: list[list], header: int, year_cols: list[tuple[int, int]]) -> dict:
    """Read 'both sexes' / 'males' / 'females' from the merged super-header cells."""
    first = year_cols[0][0]
    for r in range(header, max(header - 6, -1), -1):
        labels = {j: c for j, c in enumerate(rows[r]) if j >= first and isinstance(c, str) and c}
        if not any(sex_word(t) for t in labels.values()):
            continue
        out = {}
        for j, _ in year_cols:
            left = [k for k in labels if k <= j]
            out[j] = sex_word(labels[max(left)]) if left else None
        if all(out.values()):
            return out
    return {}


def sex_word(text: str) -> str | None:
    t = text.lower()
    if "female" in t:
        return "female"
    if re.search(r"\bmales?\b", t):
        return "male"
    if "both sexes" in t or re.search(r"\btotal\b", t):
        return "total"
    return None


def geo_for_row(r: GeoResolver, code, name, path: Path, sheet: str, row: int) -> str:
    """Codes beat names: an M49 country code is a country; anything else is an aggregate."""
    h = r.h
    code_number = None
    if code not in (None, ""):
        try:
            code_number = int(float(code))
        except (TypeError, ValueError, OverflowError):  # 'x', '1e400'
            raise ParseError(
                path, f"location code {code!r} is not a number", sheet=sheet, row=row
            ) from None
    if code_number is not None:
        geo = r.code(str(code_number), name)
        if geo:
            return geo
    clean = str(name or "").strip()
    if not clean:
        raise ParseError(path, "row has values but no name", sheet=sheet, row=row)
    if code_number is not None:
        residual = r.own_name(re.sub(r"\*+$", "", clean))  # 'OTHER' (2003): not a region
        if residual:
            return residual
    geo = h.resolve_aggregate_name(clean)
    if geo:
        if code_number is not None:
            h.register_aggregate(geo, clean, "undesa_group", codes=(("undesa", str(code_number)),))
        return geo
    if code_number is None:
        own = r.own_name(clean)
        if own:
            return own
        raise ParseError(path, f"region row {clean!r} has no location code", sheet=sheet, row=row)
    new_id = "undesa-" + slug(re.sub(r"\*+$", "", clean))
    return h.register_aggregate(
        new_id, clean.rstrip("* "), "undesa_group", codes=(("undesa", str(code_number)),)
    )


def value_of(cell, path: Path, sheet: str, row: int, col: int) -> float | None:
    return cell_number(cell, path, column=column_letter(col), sheet=sheet, row=row)


def parse_totals_table(
    peek: FilePeek,
    sheet: str,
    rows: list[list],
    r: GeoResolver,
    out: TidyRows,
    *,
    indicator: str,
    unit: str,
    by_sex: bool,
    period: str,
    rows_are_origins: bool = False,
) -> None:
    """One totals table: a row per area, years (x sexes) across, found by the header cells.

    Destination workbooks: each row is the area the migrants live in (geo), '..' stored as a
    null. Origin workbooks (`rows_are_origins`): each row is the area they were born in,
    counted over all destinations, so it is stored as migrant_stock from that origin to the
    world (geo 'world', partner = the row): the published total that emigrant_stock takes.
    There a '..' is left out, as in the destination x origin table: a null world row would
    hide the sum over destinations another file of the edition gives.
    """
    path = peek.path
    header = find_header(rows, path, sheet, ("code", "country or area"))
    code_col = col_of(rows[header], "code")
    name_col = col_of(rows[header], "country or area")
    if code_col is None or name_col is None:
        raise ParseError(path, "code or name column not found", sheet=sheet, row=header + 1)
    year_row, year_cols = year_columns(rows, header)
    if not year_cols:
        raise ParseError(path, "no year columns in the header", sheet=sheet, row=header + 1)
    sexes = sex_of_columns(rows, header, year_cols) if by_sex else {}
    if by_sex and not sexes:
        raise ParseError(
            path, "cannot tell which columns are both sexes/males/females", sheet=sheet
        )
    last = max(max(j for j, _ in year_cols), code_col, name_col)
    for i in range(year_row + 1, len(rows)):
        row = rows[i]
        if len(row) <= last:
            row = row + [""] * (last + 1 - len(row))
        name, code = row[name_col], row[code_col]
        cells = [(j, y, row[j]) for j, y in year_cols]
        if all(c in ("", None) for _, _, c in cells) and code in ("", None):
            continue  # blank line or footnote text
        values = [(j, y, value_of(c, path, sheet, i + 1, j)) for j, y, c in cells]
        if code in ("", None) and all(v is None for _, _, v in values):
            continue  # heading row such as "UN development groups" with '..' throughout
        area = geo_for_row(r, code, name, path, sheet, i + 1)
        geo, partner = ("world", area) if rows_are_origins else (area, "")
        for j, year, value in values:
            if value is None and rows_are_origins:
                continue
            out.add(
                indicator,
                geo,
                year,
                value,
                unit,
                partner=partner,
                sex=sexes.get(j, "total") if by_sex else "total",
                period=period,
                sheet=sheet,
                row=i + 1,
                col=column_letter(j),
            )
