"""IDMC Global Internal Displacement Database (GIDD): the Excel export and its CSV twin.

Layouts:
- `idmc-gidd-xlsx`: sheet '1_Displacement_data' (ISO3, Name, Year, then four measures, each as
  a rounded headline figure and as '(Raw)' unrounded figure), sheet 'README' (with 'Date
  extracted' and 'Last update'), sheet '2_IDPs_SADD_estimates' (IDP stocks by sex and age group,
  IDMC's modelled split using UN population estimates). Two README forms: to 2023 a label cell
  and a dd/mm/yyyy cell ('Last update' | '15/11/2023'); from 2024 one cell ('LAST UPDATE: May
  13, 2024'). The 2024 export adds sheet '2_Context_Displacement_data' (ISO3, Year, Figure
  cause, Figure category, Description, Figures, Figures rounded: one methodology text per
  headline figure) and renumbers the SADD sheet '3_IDPs_SADD_estimates' (age groups 0-4, 5-11,
  12-17, 18-59, 60+). The context sheet's figures repeat the displacement table's: they are
  compared with it (the note says how many agree) and not stored again; its texts are not
  stored. An export filtered to some countries (the 2024 one of 32 Asia-Pacific countries) is
  a full edition for those countries: editions are chosen per series (geo), so it never hides
  an older export's other countries. The note gives how many countries a file covers.
- `idmc-gidd-csv`: the same columns as '1_Displacement_data' in a CSV (an HXL tag row such as
  '#country+code' under the header, as on HDX, is skipped). No README: the edition comes from a
  date in the file name, else from the latest data year (GIDD is released each May with figures
  to the end of the previous year), and the note says so.

Indicators (catalogue ids): the rounded headline figures as `idps_conflict_stock`,
`new_displacements_conflict`, `new_displacements_disaster`, `idps_disaster_stock` (units
'persons' for stocks, 'movements' for new displacements), the unrounded figures under the same
ids with the suffix `_raw`. The SADD sheet goes under IDMC's own codes
`idmc:idps_conflict_sadd` / `idmc:idps_disaster_sadd` (sex and age group filled in; they are
modelled estimates, so they stay out of the headline ids, whose queries ignore age).

Blank cells are skipped (a country-year with no figure has no row), never stored as 0.

Geography: IDMC uses ISO3, plus its own codes for areas that have none. 'AB9' (Abyei Area, a
disputed area between Sudan and South Sudan) is not a country or an aggregate of countries, but
the geo table has no other kind an ingest may add, so it is registered as a dynamic entry
`idmc-ab9` with group type 'disputed_area' and the code ('idmc', 'AB9'). Kosovo comes as 'XKX',
which the geo table already knows as a country. Any other code is an error naming the row.
"""

from __future__ import annotations

import csv
import re
from datetime import date, datetime
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.geo.resolver import CodeScheme, DynamicGeo, GeoResolver, GeoTables
from migprofile.sources.base import (
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    cell_number,
    column_letter,
    read_csv,
    to_year,
)

DATA_SHEET = "1_Displacement_data"
SADD_SHEET = "2_IDPs_SADD_estimates"  # '3_IDPs_SADD_estimates' from the 2024 layout on
SADD_SHEET_NAME = re.compile(r"^\d+_IDPs_SADD_estimates$", re.I)
CONTEXT_SHEET_NAME = re.compile(r"^\d+_Context_Displacement_data$", re.I)
README_SHEET = "README"
LICENCE = "CC BY-NC 4.0"

# IDMC codes that are not ISO 3166 countries → (geo id, name, group type). Registered as
# dynamic geo entries with the code ('idmc', CODE) on first sight.
IDMC_SPECIAL_CODES = {
    "AB9": ("idmc-ab9", "Abyei Area", "disputed_area"),
}

# Column heading (lower case, '(raw)' removed) → (indicator id, unit). The first four are the
# GIDD export's headings; the others are the names the README and older exports use.
MEASURES = {
    "conflict stock displacement": ("idps_conflict_stock", "persons"),
    "conflict internal displacements": ("new_displacements_conflict", "movements"),
    "disaster internal displacements": ("new_displacements_disaster", "movements"),
    "disaster stock displacement": ("idps_disaster_stock", "persons"),
    "conflict total number of idps": ("idps_conflict_stock", "persons"),
    "disaster total number of idps": ("idps_disaster_stock", "persons"),
    "conflict new displacements": ("new_displacements_conflict", "movements"),
    "disaster new displacements": ("new_displacements_disaster", "movements"),
}
_RAW_SUFFIX = re.compile(r"\s*(\(raw\)|\braw)\s*$", re.I)

DEFINITIONS = {
    "idps_conflict_stock": (
        "Conflict Stock Displacement",
        "Total number of IDPs (rounded figures at national level) as a result of conflict and "
        "violence as of the end of the reporting year.",
    ),
    "new_displacements_conflict": (
        "Conflict Internal Displacements",
        "Total number of internal displacements reported (rounded figures at national level) as "
        "a result of conflict and violence over the reporting year; people displaced more than "
        "once are counted each time.",
    ),
    "new_displacements_disaster": (
        "Disaster Internal Displacements",
        "Total number of internal displacements reported (rounded figures at national level) as "
        "a result of disasters over the reporting year.",
    ),
    "idps_disaster_stock": (
        "Disaster Stock Displacement",
        "Total number of IDPs (rounded figures at national level) as a result of disasters as "
        "of the end of the reporting year.",
    ),
}
SADD_CAUSES = {"conflict": "idmc:idps_conflict_sadd", "disaster": "idmc:idps_disaster_sadd"}
SADD_SEXES = {"both sexes": "total", "total": "total", "male": "male", "female": "female"}
# The context sheet's (Figure cause, Figure category) → the headline id it describes.
CONTEXT_MEASURES = {
    ("conflict", "idps"): "idps_conflict_stock",
    ("conflict", "internal displacements"): "new_displacements_conflict",
    ("disaster", "internal displacements"): "new_displacements_disaster",
    ("disaster", "idps"): "idps_disaster_stock",
}
_MONTH_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y")


def _norm(cell) -> str:
    text = str(cell or "").replace("\u00a0", " ").replace("_", " ")  # snake_case headings too
    return re.sub(r"\s+", " ", text).strip().lower()


def _measure_columns(header: list) -> dict[int, tuple[str, str]]:
    """Column index → (indicator id, unit) for every measure heading in the header row."""
    out = {}
    for j, cell in enumerate(header):
        text = _norm(cell)
        raw = bool(_RAW_SUFFIX.search(text))
        base = _RAW_SUFFIX.sub("", text).strip()
        if base in MEASURES:
            indicator, unit = MEASURES[base]
            out[j] = (indicator + ("_raw" if raw else ""), unit)
    return out


def _is_header(row: list) -> bool:
    cells = {_norm(c) for c in row}
    return "iso3" in cells and "year" in cells and bool(_measure_columns(row))


def _dmy(text) -> str | None:
    """'11/05/2023' (IDMC writes day first), 'May 13, 2024' (2024 README) or a cell read as a
    date → ISO 'YYYY-MM-DD'."""
    if isinstance(text, date):
        return text.strftime("%Y-%m-%d")
    for fmt in _MONTH_DATE_FORMATS:
        try:
            return datetime.strptime(str(text or "").strip(), fmt).date().isoformat()
        except ValueError:
            pass
    m = re.fullmatch(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*", str(text or ""))
    if m:
        try:
            return date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return None
    m = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2}).*", str(text or ""))
    return f"{m[1]}-{m[2]}-{m[3]}" if m else None


def _readme_dates(rows: list[list]) -> dict[str, str]:
    """{'last update': '2023-05-11', 'date extracted': '2023-09-24'} from the README sheet:
    a label cell beside a date cell (to 2023), or 'LAST UPDATE: May 13, 2024' in one cell."""
    found: dict[str, str] = {}
    for row in rows:
        cells = [c for c in row if c not in ("", None)]
        if not cells:
            continue
        first = str(cells[0])
        if len(cells) >= 2:
            label, value = _norm(first).rstrip(":"), cells[1]
        elif ":" in first:
            head, _, tail = first.partition(":")
            label, value = _norm(head), tail
        else:
            continue
        key = "last update" if label in ("last update", "last updated") else label
        if key in ("last update", "date extracted") and key not in found:
            parsed = _dmy(value)
            if parsed:
                found[key] = parsed
    return found


class Idmc(Source):
    id = "idmc"
    short_name = "IDMC"
    feeds = (
        "idps_conflict_stock",
        "idps_disaster_stock",
        "new_displacements_conflict",
        "new_displacements_disaster",
        "idps_conflict_stock_raw",
        "idps_disaster_stock_raw",
        "new_displacements_conflict_raw",
        "new_displacements_disaster_raw",
    )
    preference = 10
    recognition_order = 500
    title = "IDMC Global Internal Displacement Database (GIDD)"
    publisher = "Internal Displacement Monitoring Centre (IDMC)"
    licence = LICENCE
    citation = (
        "Internal Displacement Monitoring Centre (IDMC). Global Internal Displacement Database "
        "(GIDD), last updated {edition}."
    )
    homepage = "https://www.internal-displacement.org/database/displacement-data"
    # No stable direct URL: the database page generates its Excel/CSV exports on request, so
    # users download them and ingest with --raw-dir.
    downloads = ()
    name_pattern = re.compile(r"(IDMC|GIDD|internal[-_ ]displacement)", re.I)

    name_suffixes = (".xlsx", ".xls", ".csv")

    def claims_name(self, path: Path) -> bool:
        """IOM's gdidata extracts (gdidata_idmc_*.csv) are another layout, another source's."""
        return not path.name.lower().startswith("gdidata") and super().claims_name(path)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.is_workbook:
            if peek.workbook() is None:
                return None
            for sheet in peek.sheet_names:
                if sheet == DATA_SHEET or "displacement" in sheet.lower():
                    rows = peek.sheet(sheet)
                    if rows and _is_header(rows[0]):
                        return Match(self, path, "idmc-gidd-xlsx", {"sheet": sheet})
            return None
        if peek.suffix != ".csv":
            return None
        first = peek.head_text().splitlines()[:1]
        if first and _is_header(next(csv.reader(first), [])):
            return Match(self, path, "idmc-gidd-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        peek: FilePeek = match.context["peek"]
        path = match.path
        out = TidyRows(path)
        notes: list[str] = []
        if match.layout == "idmc-gidd-xlsx":
            sheet = match.context.get("sheet", DATA_SHEET)
            rows = peek.sheet(sheet)
            max_year = _parse_table(rows, path, sheet, harmoniser, out, excel=True)
            dates = (
                _readme_dates(peek.sheet(README_SHEET)) if README_SHEET in peek.sheet_names else {}
            )
            if "last update" in dates:
                edition = dates["last update"]
                if "date extracted" in dates:
                    notes.append(f"extracted {dates['date extracted']}")
            elif "date extracted" in dates:
                edition = dates["date extracted"]
                notes.append("README has no 'Last update': edition is the extraction date")
            else:
                edition, note = _edition_from_name_or_years(path, max_year)
                notes.append(note)
            edition_order = edition
            headline = {(r[0], r[1], r[3]): r[7] for r in out.rows}
            notes.append(_coverage(headline))
            for name in peek.sheet_names:
                if CONTEXT_SHEET_NAME.match(name):
                    notes.append(_check_context(peek.sheet(name), path, name, harmoniser, headline))
                elif SADD_SHEET_NAME.match(name):
                    n = _parse_sadd(peek.sheet(name), path, name, harmoniser, out)
                    notes.append(f"{name}: {n} sex/age estimates as idmc:idps_*_sadd")
        elif match.layout == "idmc-gidd-csv":
            table = read_csv(path)
            rows = [table.header, *(r for _, r in table.rows)] if table.header else []
            max_year = _parse_table(rows, path, None, harmoniser, out, excel=False)
            edition, note = _edition_from_name_or_years(path, max_year)
            edition_order = edition if len(edition) > 4 else f"{edition}-05"
            notes.append(note)
            notes.append(_coverage({(r[0], r[1], r[3]): r[7] for r in out.rows}))
        else:
            raise ParseError(path, f"unknown IDMC layout {match.layout}")
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition_order,
            layout=match.layout,
            table=out.to_table(),
            indicators=_source_indicators(),
            skipped_rows=out.duplicates_dropped,
            note="; ".join(n for n in notes if n),
        )


def _edition_from_name_or_years(path: Path, max_year: int) -> tuple[str, str]:
    m = re.search(r"((?:19|20)\d\d)-?(\d\d)-?(\d\d)", path.name)
    if m:
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat(), "edition from the file name"
        except ValueError:
            pass
    edition, _, note = release_from_latest_year(max_year)
    return edition, note


def release_from_latest_year(max_year: int) -> tuple[str, str, str]:
    """(edition, edition_order, note) of a GIDD file that states no date: GIDD is released
    each May with figures to the end of the year before, so data to 2023 are release 2024."""
    release = max_year + 1
    return (
        str(release),
        f"{release}-05",
        f"no release date in the file: edition {release} inferred from the latest data "
        f"year {max_year} (GIDD is released each May with figures to the previous year end)",
    )


def _count(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def _coverage(headline: dict[tuple[str, str, int], float | None]) -> str:
    """How many countries and areas a file covers (an export may be filtered to a few)."""
    geos = {geo for _, geo, _ in headline}
    return f"covers {len(geos)} {'country or area' if len(geos) == 1 else 'countries and areas'}"


def _check_context(
    rows: list[list],
    path: Path,
    sheet: str,
    h: Harmoniser,
    headline: dict[tuple[str, str, int], float | None],
) -> str:
    """Compare the context sheet's figures with the displacement table's (the same figures,
    with IDMC's methodology texts beside them): the note says how many agree."""
    if not rows:
        return f"{sheet}: empty"
    names = [_norm(c) for c in rows[0]]

    def col(*options: str) -> int | None:
        return next((names.index(o) for o in options if o in names), None)

    needed = [
        col("iso3"),
        col("year"),
        col("figure cause", "figure cause name"),
        col("figure category", "figure category name"),
        col("figures"),
    ]
    found = [j for j in needed if j is not None]
    if len(found) < len(needed):
        return f"{sheet}: not compared (no ISO3, Year, Figure cause, Figure category, Figures)"
    c_iso, c_year, c_cause, c_cat, c_raw = found
    c_rounded = col("figures rounded")
    r = GeoResolver(h, path, GEO_TABLES)
    checked, differ, unmatched = 0, [], []
    for i in range(1, len(rows)):
        row = list(rows[i]) + [""] * (len(names) - len(rows[i]))
        if all(c in ("", None) for c in row):
            continue
        year = to_year(row[c_year])
        indicator = CONTEXT_MEASURES.get((_norm(row[c_cause]), _norm(row[c_cat])))
        geo = r.code(str(row[c_iso] or "").strip().upper())
        label = f"{row[c_iso]} {year} {row[c_cause]} {row[c_cat]}"
        if year is None or indicator is None or geo is None:
            unmatched.append(f"row {i + 1} ({label})")
            continue
        pairs = [(c_raw, f"{indicator}_raw")]
        if c_rounded is not None:
            pairs.append((c_rounded, indicator))
        problems = []
        for j, ind in pairs:
            value = cell_number(
                row[j], path, column=f"{column_letter(j)}: {rows[0][j]}", sheet=sheet, row=i + 1
            )
            if value is None:
                continue
            checked += 1
            table = headline.get((ind, geo, year))
            if table is None:
                problems.append(f"{_count(value)}, not in {DATA_SHEET}")
            elif table != value:
                problems.append(f"{_count(value)} here, {_count(table)} in {DATA_SHEET}")
        if problems:
            differ.append(f"row {i + 1} {label}: {problems[0]}")
    text = f"{sheet}: {checked} figures compared with {DATA_SHEET}"
    text += (
        ", all equal"
        if not differ
        else f", those of {len(differ)} rows differ ({'; '.join(differ[:3])})"
    )
    if unmatched:
        text += f"; {len(unmatched)} rows not compared ({', '.join(unmatched[:3])})"
    return text + "; its methodology texts are not stored"


GEO_TABLES = GeoTables(
    codes=CodeScheme(
        countries="iso3",
        known=("idmc",),
        special={code: geo for code, (geo, _, _) in IDMC_SPECIAL_CODES.items()},
    ),
    dynamic={
        geo: DynamicGeo(name, group_type, (("idmc", code),))
        for code, (geo, name, group_type) in IDMC_SPECIAL_CODES.items()
    },
)


def geo_of_code(r: GeoResolver, code, sheet: str | None, row: int, name="") -> str:
    """An IDMC code (ISO3, or one of IDMC_SPECIAL_CODES such as AB9) → geo id, cached in the
    resolver; anything else is a ParseError naming the row. `r` is built on GEO_TABLES."""
    key = str(code or "").strip().upper()
    if not key:
        raise r.error("empty ISO3 code", sheet=sheet, row=row)
    geo = r.cache.get(key) or r.code(key)
    if geo is None:
        raise r.error(
            f"ISO3 code {key!r}{f' ({name})' if name else ''} is neither an ISO 3166 country "
            "nor a known IDMC area code",
            sheet=sheet,
            row=row,
        )
    r.cache[key] = geo
    return geo


def _parse_table(
    rows: list[list], path: Path, sheet: str | None, h: Harmoniser, out: TidyRows, *, excel: bool
) -> int:
    """The displacement table → tidy rows; returns the latest year seen."""
    if not rows or not _is_header(rows[0]):
        raise ParseError(
            path,
            "first row is not the GIDD header (ISO3, Year and the displacement columns)",
            sheet=sheet,
            row=1,
        )
    header = rows[0]
    names = [_norm(c) for c in header]
    c_iso, c_year = names.index("iso3"), names.index("year")
    c_name = next((names.index(n) for n in ("name", "country name", "country") if n in names), None)
    measures = _measure_columns(header)
    last_col = max([c_iso, c_year, *measures])
    r = GeoResolver(h, path, GEO_TABLES)
    max_year = 0
    for i in range(1, len(rows)):
        row = rows[i]
        line = i + 1
        if not row or all(c in ("", None) for c in row):
            continue
        if isinstance(row[0], str) and row[0].lstrip().startswith("#"):
            continue  # HXL hashtag row (#country+code, #date+year, ...)
        if len(row) <= last_col:
            row = list(row) + [""] * (last_col + 1 - len(row))
        year = to_year(row[c_year])
        if year is None:
            raise ParseError(
                path,
                f"year {row[c_year]!r} is not a year (column "
                f"{column_letter(c_year) if excel else header[c_year]})",
                sheet=sheet,
                row=line,
            )
        max_year = max(max_year, year)
        name = row[c_name] if c_name is not None and c_name < len(row) else ""
        geo = geo_of_code(r, row[c_iso], sheet, line, name)
        for j, (indicator, unit) in measures.items():
            cell = row[j]
            if cell in ("", None):
                continue
            col = column_letter(j) if excel else str(header[j])
            value = cell_number(cell, path, column=f"{col}: {header[j]}", sheet=sheet, row=line)
            if value is None:
                continue
            out.add(
                indicator,
                geo,
                year,
                value,
                unit,
                sheet=sheet,
                row=line,
                col=column_letter(j) if excel else str(header[j]),
            )
    if not len(out):
        raise ParseError(path, "no displacement figures in the table", sheet=sheet)
    return max_year


def _parse_sadd(rows: list[list], path: Path, sheet: str, h: Harmoniser, out: TidyRows) -> int:
    """IDP stocks by sex and age group (IDMC's modelled split) → idmc:idps_*_sadd."""
    if not rows:
        return 0
    header = rows[0]
    names = [_norm(c) for c in header]
    needed = ("iso3", "year", "sex", "cause")
    if not all(n in names for n in needed):
        raise ParseError(
            path, "header row without ISO3, Year, Sex and Cause columns", sheet=sheet, row=1
        )
    c_iso, c_year, c_sex, c_cause = (names.index(n) for n in needed)
    ages = [
        (j, str(c).strip())
        for j, c in enumerate(header)
        if j > max(c_iso, c_year, c_sex, c_cause) and re.fullmatch(r"\d+(-\d+|\+)", _norm(c))
    ]
    if not ages:
        raise ParseError(path, "no age-group columns (such as '0-4', '65+')", sheet=sheet, row=1)
    r = GeoResolver(h, path, GEO_TABLES)
    count = 0
    for i in range(1, len(rows)):
        row = rows[i]
        line = i + 1
        if not row or all(c in ("", None) for c in row):
            continue
        year = to_year(row[c_year])
        if year is None:
            raise ParseError(path, f"year {row[c_year]!r} is not a year", sheet=sheet, row=line)
        sex = SADD_SEXES.get(_norm(row[c_sex]))
        if sex is None:
            raise ParseError(
                path,
                f"sex {row[c_sex]!r} is not Male, Female or Both sexes (column "
                f"{column_letter(c_sex)})",
                sheet=sheet,
                row=line,
            )
        indicator = SADD_CAUSES.get(_norm(row[c_cause]))
        if indicator is None:
            raise ParseError(
                path,
                f"cause {row[c_cause]!r} is not Conflict or Disaster (column "
                f"{column_letter(c_cause)})",
                sheet=sheet,
                row=line,
            )
        geo = geo_of_code(r, row[c_iso], sheet, line)
        for j, age in ages:
            cell = row[j] if j < len(row) else ""
            value = cell_number(
                cell, path, column=f"{column_letter(j)}: {age}", sheet=sheet, row=line
            )
            if value is None:
                continue
            out.add(
                indicator,
                geo,
                year,
                value,
                "persons",
                sex=sex,
                age=age,
                sheet=sheet,
                row=line,
                col=column_letter(j),
                note="IDMC estimate: IDP stock split by UN population estimates of sex and age",
            )
            count += 1
    return count


def _source_indicators() -> list[SourceIndicator]:
    out = []
    for indicator, (name, definition) in DEFINITIONS.items():
        unit = "persons" if "stock" in indicator else "movements"
        out.append(SourceIndicator(indicator, name, definition, unit))
        out.append(
            SourceIndicator(
                indicator + "_raw",
                f"{name} (Raw)",
                definition.replace("(rounded figures at national level)", "(not rounded)"),
                unit,
            )
        )
    for cause, indicator in SADD_CAUSES.items():
        out.append(
            SourceIndicator(
                indicator,
                f"IDPs by sex and age ({cause})",
                f"IDMC's estimate of the {cause} IDP stock by sex and age group, from the "
                "national sex and age structure of the UN World Population Prospects.",
                "persons",
            )
        )
    return out
