"""UN DESA International Migrant Stock: by origin (destination x origin, and totals by origin).

One dataset, three workbook layouts, every one a `migrant_stock` table (geo = destination,
partner = origin):

- 2015 destination x origin: one matrix per year and sex (destinations down, origins across,
  names only), named by the title row;
- 2019/2020/2024 destination x origin: one stacked Table 1, destination and origin codes down,
  years x sexes across. The 2024 workbook adds Tables 2-9, regional cross-tabs whose cells
  repeat Table 1's region rows: where a stacked table is present, they are not read (so
  nothing is counted twice) and the note names them;
- 2020/2024 totals by origin ('International Migrant Stock 2024: Origin'): Table 1, migrants
  by area of birth, by sex, summed over all destinations by UN DESA itself. Stored as the
  world row of the destination x origin table (geo 'world', partner = the origin), which is
  the total `emigrant_stock` takes where a file carries it: the published origin totals are
  the emigrant totals of their edition, never replaced by a sum over destinations. Table 2
  (female share of those migrants) is not stored: no catalogue indicator takes it, and it is
  Table 1's females over both sexes.

Region rows are kept as aggregates; "Other North/South" and "OTHER" as non-countries.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser, name_key
from migprofile.geo.resolver import GeoResolver
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    TidyRows,
    column_letter,
)
from migprofile.sources.undesa._common import (
    CITATION,
    GEO_TABLES,
    HEADER_SEARCH_ROWS,
    HOMEPAGE,
    LICENCE,
    PUBLISHER,
    SHORT_NAME,
    TABLE_SHEET,
    UN_DESA_BASE,
    col_of,
    edition_of,
    find_header,
    geo_for_row,
    parse_totals_table,
    period_of_title,
    sex_of_columns,
    texts,
    value_of,
    year_columns,
)

# What the title of the totals-by-origin table that is stored (Table 1, by sex) says.
ORIGIN_TOTALS_TITLE = "migrant stock at mid-year by sex"


class UndesaImsOrigin(Source):
    id = "undesa_ims_origin"
    short_name = SHORT_NAME
    feeds = (
        "immigrant_stock",
        "migrant_stock",
        "emigrant_stock",
        "top_destinations",
        "top_origins",
    )
    preference = 20
    recognition_order = 110
    title = "UN DESA International Migrant Stock: destination and origin, totals by origin"
    publisher = PUBLISHER
    licence = LICENCE
    citation = CITATION
    homepage = HOMEPAGE
    downloads = (
        Download(
            UN_DESA_BASE + "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
            "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx",
            "2024",
        ),
        Download(
            UN_DESA_BASE + "undesa_pd_2024_ims_stock_by_sex_and_origin.xlsx",
            "undesa_pd_2024_ims_stock_by_sex_and_origin.xlsx",
            "2024",
            "totals by origin (emigrants by area of birth)",
        ),
        Download(
            UN_DESA_BASE + "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
            "undesa_pd_2020_ims_stock_by_sex_destination_and_origin.xlsx",
            "2020",
        ),
    )
    name_pattern = re.compile(
        r"(destination_and_origin|MigrantStockByOriginAndDestination|origin_?and_?destination"
        r"|ims_stock_by_sex_and_origin)",
        re.I,
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if not peek.is_workbook or peek.workbook() is None:
            return None
        for sheet in peek.sheet_names:
            if TABLE_SHEET.match(sheet):
                head = texts(peek.sheet(sheet), 14).lower()
                if "migrant stock" in head and "origin" in head:
                    return Match(self, path, "undesa-origin")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        peek: FilePeek = match.context["peek"]
        out = TidyRows(path)
        r = GeoResolver(harmoniser, path, GEO_TABLES)
        edition = None
        layouts = set()
        matrices: list[tuple[str, list[list], str]] = []
        not_stored: list[str] = []
        for sheet in peek.sheet_names:
            if not TABLE_SHEET.match(sheet):
                continue
            rows = peek.sheet(sheet)
            title = texts(rows, 14)
            low = title.lower()
            if "origin" not in low:
                continue
            edition = edition or edition_of(path, title)
            if "destination" not in low:  # totals by origin: the emigrants of each area
                if ORIGIN_TOTALS_TITLE not in low:
                    not_stored.append(f"{sheet} ({_table_title(rows, sheet)})")
                    continue
                layouts.add("totals")
                parse_totals_table(
                    peek,
                    sheet,
                    rows,
                    r,
                    out,
                    indicator="migrant_stock",
                    unit="persons",
                    by_sex=True,
                    period=period_of_title(title),
                    rows_are_origins=True,
                )
                continue
            header = _stacked_header(rows)
            if header is not None:
                layouts.add("stacked")
                self._parse_stacked(peek, sheet, rows, header, period_of_title(title), r, out)
            else:
                matrices.append((sheet, rows, title))
        if "stacked" in layouts:
            # 2024: Tables 2-9 cross-tabulate regions, cells Table 1 already has; whatever
            # their layout, they are left out
            if matrices:
                names = ", ".join(sheet for sheet, _, _ in matrices)
                not_stored.append(f"{names} (regional cross-tabs of Table 1's region rows)")
        else:
            for sheet, rows, title in matrices:
                layouts.add("matrix")
                header = find_header(rows, path, sheet, ("code",))
                self._parse_matrix(peek, sheet, rows, header, title, r, out)
        if edition is None or not layouts:
            raise ParseError(
                path,
                "no destination-by-origin table and no 'International migrant stock at "
                "mid-year by sex' table by origin found",
            )
        note = ""
        if "totals" in layouts:
            note = "totals by origin stored as migrant_stock to the world (geo 'world')"
        if not_stored:
            note += ("; " if note else "") + "not stored: " + "; ".join(not_stored)
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=f"undesa-origin-{'+'.join(sorted(layouts))}",
            table=out.to_table(),
            note=note,
        )

    def _parse_matrix(self, peek, sheet, rows, header, title, r: GeoResolver, out: TidyRows):
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
        period = period_of_title(title)
        code_col = col_of(rows[header], "code")
        name_col = col_of(rows[header], "country or area")
        origin_row = header + 1
        if code_col is None or name_col is None or origin_row >= len(rows):
            raise ParseError(path, "destination name column not found", sheet=sheet, row=header + 1)
        partners: dict[int, str] = {}
        for j, cell in enumerate(rows[origin_row]):
            if j <= max(code_col, name_col) or not isinstance(cell, str) or not cell.strip():
                continue
            if name_key(cell) == "total":
                partners[j] = "world"
            else:
                partners[j] = (
                    r.own_name(cell)
                    or r.h.resolve_aggregate_name(cell)
                    or r.name_or_error(cell, sheet=sheet, row=origin_row + 1)
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
            geo = geo_for_row(r, code, name, path, sheet, i + 1)
            for j, partner in partners.items():
                if j >= len(row):
                    continue
                value = value_of(row[j], path, sheet, i + 1, j)
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
                    period=period,
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                )

    def _parse_stacked(self, peek, sheet, rows, header, period, r: GeoResolver, out: TidyRows):
        """2019/2020/2024: one row per destination-origin pair, years x sexes across."""
        path = peek.path
        hdr = rows[header]
        dest_code = col_of(hdr, "code of destination")
        dest_name = col_of(hdr, "country or area of destination")
        orig_code = col_of(hdr, "code of origin")
        orig_name = col_of(hdr, "country or area of origin")
        if None in (dest_code, dest_name, orig_code, orig_name):
            raise ParseError(
                path,
                "destination/origin name and code columns not all found",
                sheet=sheet,
                row=header + 1,
            )
        year_row, year_cols = year_columns(rows, header)
        if not year_cols:
            raise ParseError(path, "no year columns in the header", sheet=sheet, row=header + 1)
        sexes = sex_of_columns(rows, header, year_cols)
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
            geo = geo_for_row(r, row[dest_code], row[dest_name], path, sheet, i + 1)
            pkey = (row[orig_code], row[orig_name])
            partner = partner_cache.get(pkey)
            if partner is None:
                partner = geo_for_row(r, row[orig_code], row[orig_name], path, sheet, i + 1)
                partner_cache[pkey] = partner
            for j, year in year_cols:
                value = value_of(row[j], path, sheet, i + 1, j)
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
                    period=period,
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                )


def _table_title(rows: list[list], sheet: str) -> str:
    """'Table 2: Female migrants as a percentage ...' → the words after the table number."""
    for row in rows[:HEADER_SEARCH_ROWS]:
        for cell in row:
            if isinstance(cell, str) and (
                m := re.match(r"\s*table\s*\d+\s*[:.]\s*(.+)", cell, re.I)
            ):
                return re.sub(r"\s+", " ", m.group(1)).strip()[:120]
    return sheet


def _stacked_header(rows: list[list]) -> int | None:
    """The header row of a stacked table (it has a 'Location code of origin' column)."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if col_of(row, "code of origin") is not None:
            return i
    return None
