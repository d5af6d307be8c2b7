"""World Bank World Development Indicators: bulk Excel, bulk CSV (or its zip) and long CSVs.

The World Bank's own codes are used (ISO3 for economies, WB codes for aggregates); aggregates are
recognised from the country metadata (no Region) or, where no metadata comes with the file, from
codes that are not ISO3 countries. Regions and income groups come from that metadata too.

Bulk CSVs (2024 downloads: UTF-8 with a byte-order mark, LF line ends; older ones CRLF): every
CSV is read as 'utf-8-sig', so the BOM never reaches a heading or a code. Metadata_Country_
quotes notes that hold line breaks (265 records over 283 lines in the 2024 download), so `row`
is always the physical line a record starts on, as an editor shows it, never a record count.

Metadata_Country_ and Metadata_Indicator_ files carry no date. Downloaded beside their data
file (API_<code>_DS2_..._<n>.csv: the same download), they take its 'Last Updated Date' as
their edition and the note says so; alone, they are 'undated' and the note says why.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from migprofile.errors import ParseError, UnknownGeoError
from migprofile.geo import Harmoniser, name_key
from migprofile.geo.resolver import CodeScheme, GeoResolver, GeoTables
from migprofile.geo.worldbank import (
    NOT_AN_ECONOMY,
    WB_GROUP_CODES,
    is_wb_code,
    wb_aggregate_by_code,
)
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    cell_number,
    check_last_row,
    column_letter,
    open_zip,
    read_bytes,
    read_csv,
    to_year,
    zip_member,
)

# ISO3 for economies, World Bank codes for aggregates (registered as wb-<code> on first sight).
GEO_TABLES = GeoTables(
    codes=CodeScheme(countries="iso3", known=("wb",), special={"WLD": "world"}),
    record_names=True,
)

LONG_COLUMNS = {"year", "entity_code", "indicator_code", "value"}

# The indicator files a migration profile needs; more can be ingested from files users have.
PROFILE_INDICATORS = (
    "BX.TRF.PWKR.CD.DT",
    "BM.TRF.PWKR.CD.DT",
    "BX.TRF.PWKR.DT.GD.ZS",
    "SI.RMT.COST.IB.ZS",
    "SI.RMT.COST.OB.ZS",
    "SM.POP.NETM",
    "SP.POP.TOTL",
    "NY.GDP.MKTP.CD",
    "NY.GDP.PCAP.CD",
    "SI.POV.DDAY",
)


def unit_from_name(indicator_name: str) -> str:
    """'Personal remittances, received (current US$)' → 'current US$'."""
    m = re.search(r"\(([^()]*)\)\s*$", indicator_name or "")
    if m:
        return m.group(1)
    if "population, total" in (indicator_name or "").lower():
        return "persons"
    if "net migration" in (indicator_name or "").lower():
        return "persons"
    return ""


class Wdi(Source):
    id = "wdi"
    short_name = "World Bank WDI"
    feeds = (
        "remittances_received_usd",
        "remittances_paid_usd",
        "remittances_received_pct_gdp",
        "remittance_cost_to_pct",
        "remittance_cost_from_pct",
        "net_migration",
        "population",
        "gdp_usd",
        "gdp_per_capita_usd",
        "poverty_headcount_pct",
    )
    preference = 10
    recognition_order = 200
    title = "World Bank World Development Indicators"
    publisher = "World Bank"
    licence = "CC BY 4.0"
    citation = "World Bank. World Development Indicators (last updated {edition})."
    homepage = "https://databank.worldbank.org/source/world-development-indicators"
    downloads = tuple(
        Download(
            f"https://api.worldbank.org/v2/en/indicator/{code}?downloadformat=excel",
            f"API_{code}_DS2_en_excel_v2.xls",
            "latest",
            code,
        )
        for code in PROFILE_INDICATORS
    )
    name_pattern = re.compile(r"^(API_[A-Z0-9_.]+_DS2_|Metadata_(Country|Indicator)_)", re.I)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.is_workbook:
            if peek.workbook() is None or "Data" not in peek.sheet_names:
                return None
            head = peek.sheet("Data")[:8]
            if any("Indicator Code" in row for row in head):
                return Match(self, path, "wdi-bulk-excel")
            return None
        if peek.suffix not in (".csv", ".zip", ".csv.zip"):
            return None
        text = peek.head_text()
        first = text.splitlines()[0] if text else ""
        if '"Data Source","World Development Indicators"' in text and "Indicator Code" in text:
            return Match(self, path, "wdi-bulk-csv" if peek.suffix == ".csv" else "wdi-bulk-zip")
        if peek.suffix != ".csv":  # the layouts below are plain CSVs, never a zip's members
            return None
        header = {c.strip().lower() for c in next(csv.reader([first]), [])}
        if header >= LONG_COLUMNS:
            return Match(self, path, "wdi-long-csv")
        if {"country code", "region", "incomegroup"} <= header:
            return Match(self, path, "wdi-country-metadata")
        if {"indicator_code", "indicator_name", "source_note"} <= header:
            return Match(self, path, "wdi-indicator-metadata")
        if (
            header == {"country name", "country code", "year", "value"}
            and "gdp" in path.name.lower()
        ):
            return Match(self, path, "datahub-gdp-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        layout = match.layout
        peek: FilePeek = match.context["peek"]
        if layout == "wdi-bulk-excel":
            return self._parse_bulk_excel(peek, harmoniser)
        if layout in ("wdi-bulk-csv", "wdi-bulk-zip"):
            return self._parse_bulk_csv(peek, harmoniser)
        if layout == "wdi-long-csv":
            return self._parse_long(peek, harmoniser)
        if layout == "wdi-country-metadata":
            records = read_csv(peek.path).dicts()
            # sorted by code, Zimbabwe last: a table cut before it loses memberships
            last_line, last = records[-1] if records else (1, {})
            check_last_row(
                peek.path,
                str(last.get("Country Code") or "").strip().upper(),
                WB_LAST_ECONOMY,
                "World Bank country metadata files (sorted by code)",
                line=last_line,
            )
            _apply_country_metadata(harmoniser, records, peek.path, None)
            edition, note = _companion_edition(peek.path)
            return self._result(peek, TidyRows(peek.path), edition, layout, [], note)
        if layout == "wdi-indicator-metadata":
            inds = _indicator_metadata([d for _, d in read_csv(peek.path).dicts()])
            if not inds:
                raise ParseError(peek.path, "no indicator row below the header (cut short?)")
            edition, note = _companion_edition(peek.path)
            return self._result(peek, TidyRows(peek.path), edition, layout, inds, note)
        if layout == "datahub-gdp-csv":
            return self._parse_datahub_gdp(peek, harmoniser)
        raise ParseError(peek.path, f"unknown WDI layout {layout}")

    def _result(self, peek, out, edition, layout, indicators, note=""):
        return ParsedFile(
            path=peek.path,
            source=self.id,
            edition=edition,
            edition_order=edition if edition[:1].isdigit() else "0000",
            layout=layout,
            table=out.to_table(),
            indicators=indicators,
            note=note,
        )

    # -- bulk layouts ----------------------------------------------------------------------
    def _parse_bulk_excel(self, peek: FilePeek, h: Harmoniser) -> ParsedFile:
        path = peek.path
        data = peek.sheet("Data")
        meta_countries = (
            peek.sheet("Metadata - Countries") if "Metadata - Countries" in peek.sheet_names else []
        )
        meta_inds = (
            peek.sheet("Metadata - Indicators")
            if "Metadata - Indicators" in peek.sheet_names
            else []
        )
        edition = _last_updated(data, path, "Data")
        inds = _indicator_metadata([d for _, d in _as_dicts(meta_inds)]) if meta_inds else []
        country_meta = _as_dicts(meta_countries) if meta_countries else []
        out = TidyRows(path)
        _parse_wide(data, path, "Data", h, out, [d for _, d in country_meta], inds)
        _apply_country_metadata(h, country_meta, path, "Metadata - Countries")
        return self._result(peek, out, edition, "wdi-bulk-excel", inds)

    def _parse_bulk_csv(self, peek: FilePeek, h: Harmoniser) -> ParsedFile:
        path = peek.path
        files = _csv_members(path)
        data_name = next((n for n in files if not n.lower().startswith("metadata")), None)
        if data_name is None:
            raise ParseError(path, "no data CSV (API_*.csv) inside")
        table = read_csv(path, text=files[data_name], is_header=_is_wide_header, header_search=10)
        records = list(table.preamble)
        if table.header:
            records += [(table.header_line, table.header), *table.rows]
        rows = [r for _, r in records]
        lines = [line for line, _ in records]
        sheet = data_name if data_name != path.name else None
        edition = _last_updated(rows, path, sheet)
        country_meta: list[tuple[int, dict]] = []
        meta_where: tuple[Path, str | None] = (path, None)
        inds: list[SourceIndicator] = []
        # (name, file an error names, sheet an error names, text): zip members are named as
        # sheets of the zip; a companion beside a plain CSV is a file of its own.
        companions: list[tuple[str, Path, str | None, str]] = [
            (n, path, n, text) for n, text in files.items() if n != data_name
        ]
        for sibling in _sibling_metadata(path, data_name):
            text = read_bytes(sibling).decode("utf-8-sig", errors="replace")
            companions.append((sibling.name, sibling, None, text))
        for name, where, member, text in companions:
            if name.lower().startswith("metadata_country"):
                country_meta = read_csv(where, text=text).dicts()
                meta_where = (where, member)
            elif name.lower().startswith("metadata_indicator"):
                inds = _indicator_metadata([d for _, d in read_csv(where, text=text).dicts()])
        out = TidyRows(path)
        _parse_wide(rows, path, sheet, h, out, [d for _, d in country_meta], inds, lines)
        _apply_country_metadata(h, country_meta, *meta_where)
        return self._result(peek, out, edition, peek_layout(peek), inds)

    def _parse_long(self, peek: FilePeek, h: Harmoniser) -> ParsedFile:
        path = peek.path
        out = TidyRows(path)
        names: dict[str, str] = {}
        r = GeoResolver(h, path, GEO_TABLES)
        table = read_csv(path)
        cols = {c.strip().lower(): c for c in table.header}
        for line, rec in table.dicts():
            code = (rec[cols["indicator_code"]] or "").strip()
            if not code:
                raise ParseError(path, "empty indicator_code", row=line)
            year = to_year(rec[cols["year"]])
            if year is None:
                raise ParseError(path, f"year {rec[cols['year']]!r} is not a year", row=line)
            value = cell_number(rec[cols["value"]], path, column="value", row=line)
            entity = rec[cols["entity_code"]]
            entity_name = rec.get(cols.get("entity_name", ""), "") or entity
            geo = _wb_geo(r, entity, entity_name, path, None, line)
            if geo is None:
                continue
            iname = rec.get(cols.get("indicator_name", ""), "") or ""
            names.setdefault(code, iname)
            out.add(f"wdi:{code}", geo, year, value, unit_from_name(iname), row=line, col="value")
        if not len(out):
            raise ParseError(path, "no data rows")
        inds = [SourceIndicator(f"wdi:{c}", n, unit=unit_from_name(n)) for c, n in names.items()]
        return self._result(
            peek, out, "undated", "wdi-long-csv", inds, note="long export; no edition date in file"
        )

    def _parse_datahub_gdp(self, peek: FilePeek, h: Harmoniser) -> ParsedFile:
        path = peek.path
        out = TidyRows(path)
        r = GeoResolver(h, path, GEO_TABLES)
        # datahub writes no final line break: the last row is checked by its place and size.
        records = read_csv(path, final_newline=False).dicts()
        if records:
            line, last = records[-1]
            check_last_row(
                path, last["Country Code"], WB_LAST_ECONOMY, "datahub gdp files", line=line
            )
            _check_last_value_whole(path, records)
            # sorted by name then year, so the file ends with Zimbabwe's latest year
            latest = max((to_year(r["Year"]) or 0) for _, r in records)
            if to_year(last["Year"]) != latest:
                raise ParseError(
                    path,
                    f"the file ends with Zimbabwe {last['Year']}, not its latest year {latest}: "
                    "cut short",
                    row=line,
                )
        for line, rec in records:
            year = to_year(rec["Year"])
            if year is None:
                raise ParseError(path, f"year {rec['Year']!r} is not a year", row=line)
            value = cell_number(rec["Value"], path, column="Value", row=line)
            geo = _wb_geo(r, rec["Country Code"], rec["Country Name"], path, None, line)
            if geo is not None:
                out.add(
                    "wdi:NY.GDP.MKTP.CD", geo, year, value, "current US$", row=line, col="Value"
                )
        inds = [SourceIndicator("wdi:NY.GDP.MKTP.CD", "GDP (current US$)", unit="current US$")]
        return self._result(
            peek, out, "undated", "datahub-gdp-csv", inds, note="republished by datahub.io (gdp)"
        )


def _check_last_value_whole(path: Path, records: list[tuple[int, dict[str, str]]]) -> None:
    """A file without a final line break may have been cut inside its last number: a last
    value below a fifth of the same economy's previous year has lost digits (GDP never falls
    fivefold in a year), so it is refused rather than stored."""
    if len(records) < 2:
        return
    (line, last), (_, prev) = records[-1], records[-2]
    if last["Country Code"] != prev["Country Code"]:
        return
    try:
        a, b = float(last["Value"]), float(prev["Value"])
    except ValueError:
        return  # cell_number names the bad cell
    if b > 0 and 0 <= a < b / 5:
        raise ParseError(
            path,
            f"the last value {last['Value']!r} is under a fifth of the year before "
            f"({prev['Value']}) and the file has no final line break: cut short",
            row=line,
        )


def peek_layout(peek: FilePeek) -> str:
    return "wdi-bulk-csv" if peek.suffix == ".csv" else "wdi-bulk-zip"


def _csv_members(path: Path) -> dict[str, str]:
    if path.suffix.lower() == ".zip":
        with open_zip(path) as zf:
            return {
                Path(n).name: zip_member(path, zf, n).decode("utf-8-sig", errors="replace")
                for n in zf.namelist()
                if n.lower().endswith(".csv")
            }
    return {path.name: read_bytes(path).decode("utf-8-sig", errors="replace")}


def _sibling_metadata(path: Path, data_name: str) -> list[Path]:
    """Metadata_Country_/Metadata_Indicator_ files downloaded beside an API_ CSV."""
    if path.suffix.lower() == ".zip":
        return []
    stem = Path(data_name).stem
    return [
        p
        for p in path.parent.glob("Metadata_*")
        if p.is_file() and p.suffix.lower() == ".csv" and p.stem.endswith(stem)
    ]


def _companion_edition(path: Path) -> tuple[str, str]:
    """(edition, note) of a Metadata_Country_/Metadata_Indicator_ file: the 'Last Updated
    Date' of the data file it was downloaded with, when that file is beside it."""
    m = re.match(r"Metadata_(?:Country|Indicator)_(.+)$", path.name, re.I)
    data_file = path.with_name(m.group(1)) if m else None
    if data_file is None or not data_file.is_file():
        return "undated", (
            "no date in the file, and no data file beside it to date it"
            + (f" ({data_file.name} not found)" if data_file is not None else "")
        )
    try:
        text = read_bytes(data_file).decode("utf-8-sig", errors="replace")
        head = list(csv.reader(io.StringIO(text[:4096], newline="")))[:6]
        edition = _last_updated(head, data_file, None)
    except (ParseError, csv.Error):
        return "undated", f"no date in the file, nor a 'Last Updated Date' in {data_file.name}"
    return edition, f"edition of {data_file.name} beside it (same download; no date in this file)"


def _is_wide_header(row: list[str]) -> bool:
    return "Country Code" in row and "Indicator Code" in row


def _as_dicts(rows: list[list]) -> list[tuple[int, dict]]:
    """(sheet row, {heading: cell}) for every non-blank row below the first."""
    if not rows:
        return []
    header = [str(c).strip() for c in rows[0]]
    return [
        (i, dict(zip(header, r, strict=False)))
        for i, r in enumerate(rows[1:], 2)
        if any(c not in ("", None) for c in r)
    ]


def _indicator_metadata(rows: list[dict]) -> list[SourceIndicator]:
    out = []
    for rec in rows:
        code = str(rec.get("INDICATOR_CODE") or "").strip()
        if code:
            name = str(rec.get("INDICATOR_NAME") or "").strip()
            out.append(
                SourceIndicator(
                    indicator=f"wdi:{code}",
                    name=name,
                    definition=str(rec.get("SOURCE_NOTE") or "").strip(),
                    unit=unit_from_name(name),
                    source_note=str(rec.get("SOURCE_ORGANIZATION") or "").strip(),
                )
            )
    return out


def _last_updated(rows: list[list], path: Path, sheet: str | None) -> str:
    for row in rows[:6]:
        if row and str(row[0]).strip() == "Last Updated Date" and len(row) > 1:
            value = str(row[1]).strip()
            m = re.match(r"(\d{4}-\d{2}-\d{2})", value)
            if m:
                return m.group(1)
    raise ParseError(path, "no 'Last Updated Date' line above the header", sheet=sheet)


def _wb_geo(r: GeoResolver, code, name, path, sheet, row) -> str | None:
    """ISO3 economies are countries; other codes are World Bank aggregates."""
    code = str(code or "").strip().upper()
    if not code:
        raise ParseError(path, "empty country code", sheet=sheet, row=row)
    if code in NOT_AN_ECONOMY:
        return None
    geo = r.code(code, name)
    if geo:
        return geo
    if not is_wb_code(code):
        raise ParseError(
            path, f"country code {code!r} is not a World Bank code", sheet=sheet, row=row
        )
    try:
        return wb_aggregate_by_code(r.h, code, name)
    except UnknownGeoError as exc:  # a code the World Bank list does not have: never guessed
        raise ParseError(path, str(exc), sheet=sheet, row=row) from None


def _parse_wide(
    rows, path, sheet, h, out: TidyRows, country_meta, inds, lines: list[int] | None = None
) -> None:
    """The wide table (one row per economy, one column per year) → tidy rows. `lines` gives
    each row's physical line (a CSV whose quoted cells hold line breaks); else row i is i+1."""
    header = next(
        (i for i, r in enumerate(rows[:10]) if "Country Code" in r and "Indicator Code" in r), None
    )
    if header is None:
        raise ParseError(
            path, "header row with 'Country Code' and 'Indicator Code' not found", sheet=sheet
        )
    r = GeoResolver(h, path, GEO_TABLES)
    hdr = rows[header]
    c_name, c_code, c_ind_name, c_ind = (
        hdr.index("Country Name") if "Country Name" in hdr else None,
        hdr.index("Country Code"),
        hdr.index("Indicator Name") if "Indicator Name" in hdr else None,
        hdr.index("Indicator Code"),
    )
    year_cols = [(j, y) for j, c in enumerate(hdr) if (y := to_year(c)) is not None]
    if not year_cols:
        raise ParseError(
            path,
            "no year columns in the header",
            sheet=sheet,
            row=(lines or list(range(1, len(rows) + 1)))[header],
        )
    aggregates = {
        str(r.get("Country Code", "")).strip().upper()
        for r in country_meta
        if not str(r.get("Region") or "").strip()
    }
    known_units = {i.indicator: i.unit for i in inds}
    excel = sheet is not None and not sheet.lower().endswith(".csv")
    line_of = lines or list(range(1, len(rows) + 1))
    last_code, last_line = "", line_of[header]
    for i in range(header + 1, len(rows)):
        row = rows[i]
        line = line_of[i]
        if not row or all(c in ("", None) for c in row):
            continue
        if len(row) <= c_ind:
            raise ParseError(path, "row is shorter than the header", sheet=sheet, row=line)
        code = str(row[c_code]).strip().upper()
        last_code, last_line = code, line
        if code in NOT_AN_ECONOMY:
            continue
        if aggregates and code not in aggregates and h.country_by_iso3(code) is None:
            raise ParseError(
                path,
                f"economy code {code!r} is neither a country nor an aggregate",
                sheet=sheet,
                row=line,
            )
        geo = _wb_geo(r, code, row[c_name] if c_name is not None else code, path, sheet, line)
        if geo is None:
            continue
        indicator = f"wdi:{str(row[c_ind]).strip()}"
        unit = known_units.get(indicator) or unit_from_name(
            str(row[c_ind_name]) if c_ind_name is not None else ""
        )
        for j, year in year_cols:
            cell = row[j] if j < len(row) else ""
            value = cell_number(cell, path, column=str(hdr[j]), sheet=sheet, row=line)
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
                col=column_letter(j) if excel else str(hdr[j]),
            )
    check_last_row(path, last_code, WB_LAST_ECONOMY, BULK_ORDER, line=last_line, sheet=sheet)


# World Bank bulk files list economies and aggregates by name, Zimbabwe last (every edition).
WB_LAST_ECONOMY = "ZWE"
BULK_ORDER = "World Bank bulk files (economies in alphabetical order)"


def _apply_country_metadata(
    h: Harmoniser, rows: list[tuple[int, dict]], path: Path, sheet: str | None
) -> None:
    """Region and IncomeGroup columns → memberships of the WB region and income aggregates.

    `rows` are (line, record): a note with line breaks makes records and lines differ."""
    if not rows:
        return
    wb_by_name = {name_key(e.name): g for g, e in h.entries.items() if g.startswith("wb-")}
    groups: dict[str, list[str]] = {}
    for line, rec in rows:
        code = str(rec.get("Country Code") or "").strip().upper()
        geo = h.country_by_iso3(code)
        if not geo:
            if code and not str(rec.get("Region") or "").strip():
                continue  # an aggregate: no region or income group of its own
            if code in NOT_AN_ECONOMY:
                continue
            raise ParseError(
                path,
                f"country code {code!r} is neither a known country nor an aggregate",
                sheet=sheet,
                row=line,
            )
        for col in ("Region", "IncomeGroup"):
            label = str(rec.get(col) or "").strip()
            if not label:
                continue
            group = wb_by_name.get(name_key(label))
            if group is None:
                group_code = WB_GROUP_CODES.get(label.lower())
                group = h.by_code("wb", group_code) if group_code else None
                group = group or h.register_aggregate(
                    f"wb-{group_code.lower()}"
                    if group_code
                    else "wb-" + re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-"),
                    label,
                    "wb_region" if col == "Region" else "wb_income",
                    codes=(("wb", group_code),) if group_code else (),
                )
                wb_by_name[name_key(label)] = group
            groups.setdefault(group, []).append(geo)
    for group, members in groups.items():
        h.set_members(group, members)
