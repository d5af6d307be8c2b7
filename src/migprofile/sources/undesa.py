"""UN DESA International Migrant Stock, in the Population Division's own workbook layouts.

Two datasets, two sources:
- totals by destination (2019, 2020, 2024: Table 1 stock by sex, Table 3 share of population,
  Table 4 female share; header rows found by their labels, sexes from the merged super-headers);
- destination x origin (2015: one matrix per year and sex, named by the title row;
  2019/2020/2024: one stacked Table 1, destination and origin codes down, years x sexes across).
Region and development-group rows are kept as aggregates; "Other North/South" as non-countries.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser, name_key
from migprofile.geo.regions import slug
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    TidyRows,
    cell_number,
    column_letter,
    to_year,
)

UN_DESA_BASE = "https://www.un.org/development/desa/pd/sites/www.un.org.development.desa.pd/files/"
LICENCE = "CC BY 3.0 IGO"
HEADER_SEARCH_ROWS = 20
TABLE_SHEET = re.compile(r"^\s*table\s*\d+\s*$", re.I)
WORLD_CODE = 900
GDIVIZ_HEADER = "to,from,t,sex,v"
NON_COUNTRY_ORIGINS = {
    "other north": "other-north",
    "other south": "other-south",
    "other": "other",
    "unknown": "other",
    "other and unknown": "other",
}


def _texts(rows: list[list], upto: int) -> str:
    return " ".join(str(c) for r in rows[:upto] for c in r if isinstance(c, str) and c.strip())


def _edition(path: Path, title_text: str) -> str:
    for pattern in (r"Rev\.?\s*((?:19|20)\d\d)", r"Migrant Stock\s*((?:19|20)\d\d)"):
        m = re.search(pattern, title_text, re.IGNORECASE)
        if m:
            return m.group(1)
    m = re.search(r"((?:19|20)\d\d)", path.name)
    if m:
        return m.group(1)
    raise ParseError(path, "cannot tell the edition (no 'Rev.YYYY' in the title rows)")


def _find_header(rows: list[list], path: Path, sheet: str, labels: tuple[str, ...]) -> int:
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


def _col_of(row: list, *fragments: str) -> int | None:
    for j, cell in enumerate(row):
        if isinstance(cell, str) and all(f in name_key(cell) for f in fragments):
            return j
    return None


def _year_columns(rows: list[list], header: int) -> tuple[int, list[tuple[int, int]]]:
    """Years sit on the header row or on the row just below it (2019 layout)."""
    for r in (header, header + 1):
        if r < len(rows):
            cols = [(j, y) for j, c in enumerate(rows[r]) if (y := to_year(c)) is not None]
            if cols:
                return r, cols
    return header, []


def _sex_of_columns(rows: list[list], header: int, year_cols: list[tuple[int, int]]) -> dict:
    """Read 'both sexes' / 'males' / 'females' from the merged super-header cells."""
    first = year_cols[0][0]
    for r in range(header, max(header - 6, -1), -1):
        labels = {j: c for j, c in enumerate(rows[r]) if j >= first and isinstance(c, str) and c}
        if not any(_sex_word(t) for t in labels.values()):
            continue
        out = {}
        for j, _ in year_cols:
            left = [k for k in labels if k <= j]
            out[j] = _sex_word(labels[max(left)]) if left else None
        if all(out.values()):
            return out
    return {}


def _sex_word(text: str) -> str | None:
    t = text.lower()
    if "female" in t:
        return "female"
    if re.search(r"\bmales?\b", t):
        return "male"
    if "both sexes" in t or re.search(r"\btotal\b", t):
        return "total"
    return None


def _geo_for_row(
    h: Harmoniser, code, name, path: Path, sheet: str, row: int, aggregate_label: str
) -> str:
    """Codes beat names: an M49 country code is a country; anything else is an aggregate."""
    code_number = None
    if code not in (None, ""):
        try:
            code_number = int(float(code))
        except (TypeError, ValueError, OverflowError):  # 'x', '1e400'
            raise ParseError(
                path, f"location code {code!r} is not a number", sheet=sheet, row=row
            ) from None
    if code_number is not None:
        geo = h.country_by_m49(code_number)
        if geo:
            h.note_name(name, geo)
            return geo
        if code_number == WORLD_CODE:
            return "world"
    clean = str(name or "").strip()
    if not clean:
        raise ParseError(path, "row has values but no name", sheet=sheet, row=row)
    geo = h.resolve_aggregate_name(clean)
    if geo:
        if code_number is not None:
            h.register_aggregate(geo, clean, aggregate_label, codes=(("undesa", str(code_number)),))
        return geo
    if code_number is None:
        key = name_key(clean)
        if key in NON_COUNTRY_ORIGINS:
            return NON_COUNTRY_ORIGINS[key]
        raise ParseError(path, f"region row {clean!r} has no location code", sheet=sheet, row=row)
    new_id = "undesa-" + slug(re.sub(r"\*+$", "", clean))
    return h.register_aggregate(
        new_id, clean.rstrip("* "), "undesa_group", codes=(("undesa", str(code_number)),)
    )


def _value(cell, path: Path, sheet: str, row: int, col: int) -> float | None:
    return cell_number(cell, path, column=column_letter(col), sheet=sheet, row=row)


# --- totals by destination -------------------------------------------------------------------

DESTINATION_TABLES = (
    # (title words, indicator, unit, by_sex)
    ("as a percentage of the total population", "immigrant_pct_population", "%", True),
    ("female migrants as a percentage", "immigrant_female_pct", "%", False),
    ("international migrant stock at mid-year by sex", "immigrant_stock", "persons", True),
)


class UndesaDestination(Source):
    id = "undesa_ims_destination"
    title = "UN DESA International Migrant Stock: totals by destination"
    publisher = "United Nations, Department of Economic and Social Affairs, Population Division"
    licence = LICENCE
    citation = (
        "United Nations Department of Economic and Social Affairs, Population Division. "
        "International Migrant Stock {edition}."
    )
    homepage = "https://www.un.org/development/desa/pd/content/international-migrant-stock"
    downloads = (
        Download(
            UN_DESA_BASE + "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
            "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
            "2024",
        ),
        Download(
            UN_DESA_BASE + "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
            "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
            "2020",
        ),
    )
    name_pattern = re.compile(
        r"(ims_stock_by_sex_and_destination|migrant_?stock_?total|MigrantStockTotal)", re.I
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if not peek.is_workbook or peek.workbook() is None or "Table 1" not in peek.sheet_names:
            return None
        head = _texts(peek.sheet("Table 1"), 14).lower()
        if "international migrant stock" in head and "origin" not in head:
            return Match(self, path, "undesa-destination")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        peek: FilePeek = match.context["peek"]
        title_text = _texts(peek.sheet("Table 1"), 14)
        edition = _edition(path, title_text)
        out = TidyRows(path)
        found = []
        for sheet in peek.sheet_names:
            if not TABLE_SHEET.match(sheet):
                continue
            rows = peek.sheet(sheet)
            title = _texts(rows, 14).lower()
            for words, indicator, unit, by_sex in DESTINATION_TABLES:
                if words in title:
                    self._parse_table(peek, sheet, rows, indicator, unit, by_sex, harmoniser, out)
                    found.append(indicator)
                    break
        if "immigrant_stock" not in found:
            raise ParseError(path, "no 'International migrant stock at mid-year by sex' table")
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=out.to_table(),
            note=f"tables: {', '.join(found)}",
        )

    def _parse_table(self, peek, sheet, rows, indicator, unit, by_sex, h, out: TidyRows):
        path = peek.path
        header = _find_header(rows, path, sheet, ("code", "country or area"))
        code_col = _col_of(rows[header], "code")
        name_col = _col_of(rows[header], "country or area")
        year_row, year_cols = _year_columns(rows, header)
        if not year_cols:
            raise ParseError(path, "no year columns in the header", sheet=sheet, row=header + 1)
        sexes = _sex_of_columns(rows, header, year_cols) if by_sex else {}
        if by_sex and not sexes:
            raise ParseError(
                path, "cannot tell which columns are both sexes/males/females", sheet=sheet
            )
        for i in range(year_row + 1, len(rows)):
            row = rows[i]
            if len(row) <= max(j for j, _ in year_cols):
                row = row + [""] * (max(j for j, _ in year_cols) + 1 - len(row))
            name, code = row[name_col], row[code_col]
            cells = [(j, y, row[j]) for j, y in year_cols]
            if all(c in ("", None) for _, _, c in cells) and code in ("", None):
                continue  # blank line or footnote text
            values = [(j, y, _value(c, path, sheet, i + 1, j)) for j, y, c in cells]
            if code in ("", None) and all(v is None for _, _, v in values):
                continue  # heading row such as "UN development groups" with '..' throughout
            geo = _geo_for_row(h, code, name, path, sheet, i + 1, "undesa_group")
            for j, year, value in values:
                out.add(
                    indicator,
                    geo,
                    year,
                    value,
                    unit,
                    sex=sexes.get(j, "total") if by_sex else "total",
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                )


# --- destination x origin --------------------------------------------------------------------


class UndesaOrigin(Source):
    id = "undesa_ims_origin"
    title = "UN DESA International Migrant Stock: destination and origin"
    publisher = UndesaDestination.publisher
    licence = LICENCE
    citation = UndesaDestination.citation
    homepage = UndesaDestination.homepage
    downloads = (
        Download(
            UN_DESA_BASE + "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
            "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
            "2024",
        ),
        Download(
            UN_DESA_BASE + "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
            "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
            "2020",
        ),
    )
    name_pattern = re.compile(
        r"(destination_and_origin|MigrantStockByOriginAndDestination|origin_?and_?destination)",
        re.I,
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if not peek.is_workbook or peek.workbook() is None:
            return None
        for sheet in peek.sheet_names:
            if TABLE_SHEET.match(sheet):
                head = _texts(peek.sheet(sheet), 14).lower()
                if "migrant stock" in head and "origin" in head:
                    return Match(self, path, "undesa-origin")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        peek: FilePeek = match.context["peek"]
        out = TidyRows(path)
        edition = None
        layouts = set()
        for sheet in peek.sheet_names:
            if not TABLE_SHEET.match(sheet):
                continue
            rows = peek.sheet(sheet)
            title = _texts(rows, 14)
            if "origin" not in title.lower():
                continue
            edition = edition or _edition(path, title)
            header = _find_header(rows, path, sheet, ("code",))
            if _col_of(rows[header], "code of origin") is not None:
                layouts.add("stacked")
                self._parse_stacked(peek, sheet, rows, header, harmoniser, out)
            else:
                layouts.add("matrix")
                self._parse_matrix(peek, sheet, rows, header, title, harmoniser, out)
        if edition is None:
            raise ParseError(path, "no destination-by-origin table found")
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=f"undesa-origin-{'+'.join(sorted(layouts))}",
            table=out.to_table(),
        )

    def _parse_matrix(self, peek, sheet, rows, header, title, h, out: TidyRows):
        """2015: destinations down, origins across (names only), one year and sex per table."""
        path = peek.path
        title_re = re.compile(r"(Total|Male|Female)\s+migrant stock.*?((?:19|20)\d\d)\s*$", re.I)
        m = next(
            (
                found
                for r in rows[:HEADER_SEARCH_ROWS]
                for c in r
                if isinstance(c, str) and (found := title_re.search(c.strip()))
            ),
            None,
        )
        if not m:
            raise ParseError(path, "title row does not name the sex and year", sheet=sheet)
        sex = {"total": "total", "male": "male", "female": "female"}[m.group(1).lower()]
        year = int(m.group(2))
        code_col = _col_of(rows[header], "code")
        name_col = _col_of(rows[header], "country or area")
        origin_row = header + 1
        if name_col is None or origin_row >= len(rows):
            raise ParseError(path, "destination name column not found", sheet=sheet, row=header + 1)
        partners: dict[int, str] = {}
        for j, cell in enumerate(rows[origin_row]):
            if j <= max(code_col, name_col) or not isinstance(cell, str) or not cell.strip():
                continue
            key = name_key(cell)
            if key == "total":
                partners[j] = "world"
            elif key in NON_COUNTRY_ORIGINS:
                partners[j] = NON_COUNTRY_ORIGINS[key]
            else:
                partners[j] = h.resolve_aggregate_name(cell) or _resolve_partner(
                    h, cell, path, sheet, origin_row + 1
                )
        if not partners:
            raise ParseError(path, "no origin columns", sheet=sheet, row=origin_row + 1)
        for i in range(origin_row + 1, len(rows)):
            row = rows[i]
            code = row[code_col] if code_col < len(row) else ""
            name = row[name_col] if name_col < len(row) else ""
            if code in ("", None) and not any(
                row[j] not in ("", None) for j in partners if j < len(row)
            ):
                continue
            geo = _geo_for_row(h, code, name, path, sheet, i + 1, "undesa_group")
            for j, partner in partners.items():
                if j >= len(row):
                    continue
                value = _value(row[j], path, sheet, i + 1, j)
                if value is None:
                    continue  # blank cell: no estimate for this pair
                out.add(
                    "migrant_stock",
                    geo,
                    year,
                    value,
                    "persons",
                    partner=partner,
                    sex=sex,
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                )

    def _parse_stacked(self, peek, sheet, rows, header, h, out: TidyRows):
        """2019/2020/2024: one row per destination-origin pair, years x sexes across."""
        path = peek.path
        hdr = rows[header]
        dest_code = _col_of(hdr, "code of destination")
        dest_name = _col_of(hdr, "country or area of destination")
        orig_code = _col_of(hdr, "code of origin")
        orig_name = _col_of(hdr, "country or area of origin")
        if None in (dest_code, dest_name, orig_code, orig_name):
            raise ParseError(
                path,
                "destination/origin name and code columns not all found",
                sheet=sheet,
                row=header + 1,
            )
        year_row, year_cols = _year_columns(rows, header)
        if not year_cols:
            raise ParseError(path, "no year columns in the header", sheet=sheet, row=header + 1)
        sexes = _sex_of_columns(rows, header, year_cols)
        if not sexes:
            raise ParseError(path, "cannot tell which columns are which sex", sheet=sheet)
        partner_cache: dict[tuple, str] = {}
        last = max(j for j, _ in year_cols)
        for i in range(year_row + 1, len(rows)):
            row = rows[i]
            if len(row) <= last:
                row = row + [""] * (last + 1 - len(row))
            if row[dest_code] in ("", None) and row[orig_code] in ("", None):
                continue
            geo = _geo_for_row(
                h, row[dest_code], row[dest_name], path, sheet, i + 1, "undesa_group"
            )
            pkey = (row[orig_code], row[orig_name])
            partner = partner_cache.get(pkey)
            if partner is None:
                partner = _geo_for_row(
                    h, row[orig_code], row[orig_name], path, sheet, i + 1, "undesa_group"
                )
                partner_cache[pkey] = partner
            for j, year in year_cols:
                value = _value(row[j], path, sheet, i + 1, j)
                if value is None:
                    continue
                out.add(
                    "migrant_stock",
                    geo,
                    year,
                    value,
                    "persons",
                    partner=partner,
                    sex=sexes[j],
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                )


def _resolve_partner(h: Harmoniser, name: str, path: Path, sheet: str, row: int) -> str:
    from migprofile.sources.base import resolve_or_error

    return resolve_or_error(h, name, path, sheet=sheet, row=row, non_countries=NON_COUNTRY_ORIGINS)


class GmdacGdiviz(Source):
    """IOM GMDAC's tidy extract of UN DESA IMS 2020 destination x origin (gdiviz R package).

    A separate source from the official workbook: derived by a third party (converted from
    .rda, zero cells and regions dropped), so official files win wherever both have a value.
    """

    id = "gmdac_gdiviz"
    title = "IOM GMDAC gdiviz extract of UN DESA International Migrant Stock 2020 (origin)"
    publisher = "IOM Global Migration Data Analysis Centre, from UN DESA Population Division"
    licence = LICENCE
    citation = (
        "UN DESA Population Division, International Migrant Stock 2020, as extracted in "
        "IOM GMDAC's gdiviz R package."
    )
    homepage = "https://github.com/ksreyes/gdiviz"

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.suffix != ".csv":
            return None
        first = peek.head_text().splitlines()[:1]
        if first and first[0].replace('"', "").strip().lower() == GDIVIZ_HEADER:
            return Match(self, path, "gmdac-gdiviz-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        return self._parse_gdiviz(match, harmoniser)

    def _parse_gdiviz(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        """IOM GMDAC's extract of the 2020 Table 1 (gdiviz R package): ISO3 pairs, by sex."""
        from migprofile.user_import import ImportSpec, parse_user_file

        spec = ImportSpec(
            indicator="migrant_stock",
            geo_col="to",
            partner_col="from",
            year_col="t",
            sex_col="sex",
            value_col="v",
            unit="persons",
        )
        table, note = parse_user_file(match.path, spec, harmoniser)
        return ParsedFile(
            path=match.path,
            source=self.id,
            edition="2020",
            edition_order="2020",
            layout=match.layout,
            table=table,
            note="IOM GMDAC gdiviz extract of UN DESA IMS 2020 Table 1 (country pairs only, "
            "zero cells dropped, 'XXX' = other/unknown origin); " + note,
        )
