"""IOM Missing Migrants Project: the incident CSV the project's site exports.

Layout `mmp-incidents-csv`, 23 columns, read by name: "Main ID", "Incident ID", Region,
"Incident Date" ('Fri, 01/01/2021 - 12:00', month first), Year, "Reported Month", "Number
Dead", "Minimum Estimated Number of Missing", "Total Number of Dead and Missing", ..., "Country
of Origin", ..., "Migration route", URL, "UNSD Geographical Grouping", "Source Quality". The
site filters before it exports: a file may hold one year or all of them, and each year is
summed on its own.

Records and incidents: a split incident is several records sharing its "Main ID", one per
country of origin, each with its own "Incident ID" and its own part of the figures
('2021.MMP00004': five records, 2 + 2 + 2 + 1 + 1 missing, Nigeria, Mali, Côte d'Ivoire, Togo,
Senegal). Every record's figure is added (the parts are disjoint: the sum over records is
the published total, 6,192 for 2021), each to its own country of origin, and a note counts
incidents by Main ID.

Values (see `_common` for the geo/partner scheme): `dead_and_missing` = "Total Number of Dead
and Missing"; where that cell is blank, dead + missing (a blank part as 0) and the cell's note
says how many records were so completed; a record with none of the three figures is left out.
"Number Dead" and "Minimum Estimated Number of Missing" are stored as `iom_mmp:dead` and
`iom_mmp:missing`, each summed over the records that publish it (most leave "missing" blank).
Negative figures are corrections of earlier records, summed as published (see `_common`).

Places: the world, the region ("Region", the region of incident) and the route ("Migration
route", often blank: such records count in the world and region rows only). There is no
country-of-incident column ("Location of death" is free text, not guessed from): country rows
come from the gdidata extract. Country of origin: one country name → ISO3; 'Unknown', blank or
'Mixed/Unknown' → `other`; several names ('Mali, Guinea, Côte d'Ivoire') or 'Mixed' →
`mmp-several-origins`. A name that resolves to nothing is an error naming row and column.

Edition: the download time stamp in the site's file name (`MissingMigrants-Global-2023-12-07--
16_48_56.csv` → '2023-12-07'; files of one download day are one edition, each covering its
years); without one, the latest incident date in the file, and the note says so. The year of
the edition date is only covered to that date (the cell notes say so).

Completeness: the site's export does NOT end with a line break (none of the three real files
does), so a final newline cannot be required. Instead the last record must be whole: as wide
as the header, its last cell ("Source Quality", a digit from 1 to 5 on every record) filled. A
file cut mid-record therefore fails (a short record, or a blank last cell); a file that does end
with a line break passes as it is. (A cut exactly between two records cannot be told: the
records are in no order.)
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from migprofile.errors import ParseError, UnknownGeoError
from migprofile.geo import Harmoniser
from migprofile.geo.resolver import GeoResolver, GeoTables
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    columns_by_name,
    csv_header,
    read_bytes,
    read_csv,
    to_year,
)
from migprofile.sources.iom_mmp._common import (
    DEAD,
    DEAD_AND_MISSING,
    DEFINITION,
    HOMEPAGE,
    LICENCE,
    MISSING,
    PUBLISHER,
    REGION_PREFIX,
    REGION_TYPE,
    ROUTE_PREFIX,
    ROUTE_TYPE,
    SEVERAL,
    SEVERAL_ORIGINS,
    UNIT,
    UNKNOWN,
    WORLD,
    IncidentSums,
    number,
    partial_years,
    place_geo,
    plural,
)

LAYOUT = "mmp-incidents-csv"
MAIN_ID = "Main ID"
INCIDENT_ID = "Incident ID"
REGION = "Region"
INCIDENT_DATE = "Incident Date"
YEAR = "Year"
NUMBER_DEAD = "Number Dead"
NUMBER_MISSING = "Minimum Estimated Number of Missing"
TOTAL = "Total Number of Dead and Missing"
ORIGIN = "Country of Origin"
ROUTE = "Migration route"
REQUIRED = (INCIDENT_ID, REGION, INCIDENT_DATE, YEAR, NUMBER_DEAD, NUMBER_MISSING, TOTAL, ORIGIN,
            ROUTE)  # fmt: skip
# Header cells that say "this is an MMP incident export" (compared by _hkey).
SIGNATURE = (INCIDENT_ID, NUMBER_DEAD, NUMBER_MISSING, TOTAL)
COLUMNS = {DEAD_AND_MISSING: TOTAL, DEAD: NUMBER_DEAD, MISSING: NUMBER_MISSING}

# 'MissingMigrants-Global-2023-12-07--16_48_56.csv': the site stamps its exports with the time.
_DOWNLOAD_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})--\d{2}_\d{2}_\d{2}")
_DATE_FORMATS = (
    "%a, %m/%d/%Y - %H:%M",  # the site's own: 'Fri, 01/01/2021 - 12:00'
    "%m/%d/%Y - %H:%M",
    "%m/%d/%Y",
    "%Y-%m-%d",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)

GEO_TABLES = GeoTables(
    non_countries={
        "Unknown": UNKNOWN,
        "Mixed/Unknown": UNKNOWN,
        "Mixed": SEVERAL_ORIGINS,
    },
    name_variants={"Palestinian Territories": "PSE"},
    dynamic={SEVERAL_ORIGINS: SEVERAL},
)


class IomMissingMigrants(Source):
    id = "iom_missing_migrants"
    short_name = "IOM Missing Migrants Project"
    feeds = (DEAD_AND_MISSING,)
    preference = 10
    recognition_order = 800
    title = "IOM Missing Migrants Project: dead and missing migrants (incident data)"
    publisher = PUBLISHER
    licence = LICENCE
    citation = "IOM Missing Migrants Project. Incident data (downloaded {edition})."
    homepage = HOMEPAGE
    downloads = (
        Download(
            "https://missingmigrants.iom.int/sites/g/files/tmzbdl601/files/"
            "report-migrant-incident/Missing_Migrants_Global_Figures_allData.csv",
            "Missing_Migrants_Global_Figures_allData.csv",
            "latest",
            "the project's 'download all data' link: every incident since 2014, one CSV",
        ),
    )
    name_pattern = re.compile(r"^(MissingMigrants-|Missing_Migrants_Global_Figures)", re.I)
    name_suffixes = (".csv",)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        header = csv_header(peek)
        if header is None:
            return None
        keys = {_hkey(c) for c in header}
        if all(_hkey(c) in keys for c in SIGNATURE):
            return Match(self, path, LAYOUT)
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        text = read_bytes(path).decode("utf-8-sig")
        table = read_csv(path, text=text, final_newline=False)
        col = columns_by_name(
            path, table.header, REQUIRED, key=_hkey, row=table.header_line,
            layout="Missing Migrants incident", optional=(MAIN_ID,),
        )  # fmt: skip
        main_id = col.get(MAIN_ID)
        width = len(table.header)
        records = [(line, row) for line, row in table.rows if any(c.strip() for c in row)]
        if not records:
            raise ParseError(path, "no incident records below the header", row=table.header_line)
        if text[-1:] not in ("\n", "\r"):
            _check_last_record(path, table.header, *records[-1])

        resolver = GeoResolver(harmoniser, path, GEO_TABLES)
        sums = IncidentSums()
        count = dict.fromkeys(
            ("blank_total", "no_figures", "no_region", "no_route", "several", "unknown",
             "differs", "corrections", "negative"), 0
        )  # fmt: skip
        incidents: set[str] = set()
        for line, row in records:
            if len(row) < width:
                row = row + [""] * (width - len(row))
            dead = number(row[col[NUMBER_DEAD]], path, line, NUMBER_DEAD)
            lost = number(row[col[NUMBER_MISSING]], path, line, NUMBER_MISSING)
            total = number(row[col[TOTAL]], path, line, TOTAL)
            if total is None and dead is None and lost is None:
                count["no_figures"] += 1
                continue
            blank_total = total is None
            if total is None:
                total = (dead or 0.0) + (lost or 0.0)
                count["blank_total"] += 1
            elif (dead is not None or lost is not None) and total != (dead or 0.0) + (lost or 0.0):
                count["differs"] += 1
            if min(v for v in (dead, lost, total, 0.0) if v is not None) < 0:
                count["corrections"] += 1
            year = _year(path, line, row[col[YEAR]], row[col[INCIDENT_DATE]])
            places = [WORLD]
            for heading, prefix, group_type, key in (
                (REGION, REGION_PREFIX, REGION_TYPE, "no_region"),
                (ROUTE, ROUTE_PREFIX, ROUTE_TYPE, "no_route"),
            ):
                place = place_geo(harmoniser, prefix, group_type, row[col[heading]])
                if place is None:
                    count[key] += 1
                else:
                    places.append(place)
            origin = _origin(resolver, row[col[ORIGIN]], line)
            if origin == SEVERAL_ORIGINS:
                count["several"] += 1
            elif origin == UNKNOWN:
                count["unknown"] += 1
            incident = (
                (row[main_id].strip() if main_id is not None else "")
                or row[col[INCIDENT_ID]].strip()
                or f"line {line}"
            )
            incidents.add(incident)
            values = [(DEAD_AND_MISSING, total)]
            values += [(ind, v) for ind, v in ((DEAD, dead), (MISSING, lost)) if v is not None]
            sums.add(incident, year, places, origin, values, blank_total=blank_total)
        if not sums.cells:
            raise ParseError(path, "no record has a dead or missing figure", row=table.header_line)

        stamp = _download_date(path.name)
        if stamp is not None:
            edition = stamp
            notes = [f"edition {edition}: the download date in the file name"]
            partial = partial_years(edition, "download date")
        else:
            edition = _latest_date(path, records, col[INCIDENT_DATE])
            notes = [
                f"edition {edition}: the latest incident date in the file (no download date in "
                "the file name)"
            ]
            partial = partial_years(edition, "latest incident in the file")
        out = TidyRows(path)
        count["negative"] = sums.emit(out, COLUMNS, partial)
        notes.append(_record_note(len(records) - count["no_figures"], len(incidents), count))
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=LAYOUT,
            table=out.to_table(),
            indicators=_indicators(),
            skipped_rows=count["no_figures"],
            note="; ".join(notes),
        )


def _hkey(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text or "").lower()).strip()


def _check_last_record(path: Path, header: list[str], line: int, row: list[str]) -> None:
    """No final line break: the last record must be whole (read_csv refused a short one)."""
    if not row[len(header) - 1].strip():
        raise ParseError(
            path,
            f"the last record ends without its {header[-1]!r} cell (the file does not end "
            "with a line break, and the site fills that column on every record): the file "
            "was cut short",
            row=line,
        )


def _download_date(name: str) -> str | None:
    m = _DOWNLOAD_STAMP.search(name)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1)).isoformat()
    except ValueError:
        return None


def incident_date(text: str) -> date | None:
    text = re.sub(r"\s+", " ", text).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    return None


def _year(path: Path, line: int, year_cell: str, date_cell: str) -> int:
    year = to_year(year_cell)
    if year is not None:
        return year
    if not year_cell.strip():
        when = incident_date(date_cell)
        if when is not None:
            return when.year
    raise ParseError(path, f"year {year_cell.strip()!r} is not a year (column {YEAR})", row=line)


def _latest_date(path: Path, records: list[tuple[int, list[str]]], j: int) -> str:
    latest: date | None = None
    for line, row in records:
        cell = row[j] if j < len(row) else ""
        if not cell.strip():
            continue
        when = incident_date(cell)
        if when is None:
            raise ParseError(
                path, f"incident date {cell.strip()!r} is not a date (column {INCIDENT_DATE})",
                row=line,
            )  # fmt: skip
        latest = when if latest is None or when > latest else latest
    if latest is None:
        raise ParseError(
            path, "no download date in the file name and no incident dates: edition unknown"
        )
    return latest.isoformat()


def _origin(r: GeoResolver, cell: str, line: int) -> str:
    """'Country of Origin' → partner geo (cached per spelling)."""
    text = cell.strip()
    geo = r.cache.get(text)
    if geo is None:
        geo = r.cache[text] = _resolve_origin(r, text, line)
    return geo


def _resolve_origin(r: GeoResolver, text: str, line: int) -> str:
    where = f" (column {ORIGIN})"
    if not text:
        return UNKNOWN
    try:
        return _a_country(r, r.name(text), text, line)
    except UnknownGeoError as exc:
        if "," not in text:
            raise r.error(f"{exc}{where}", row=line) from None
    parts = {
        _a_country(r, r.name_or_error(p.strip(), row=line, where=where), p, line)
        for p in text.split(",")
        if p.strip()
    }
    if len(parts) == 1:  # 'Mexico, Mexico'
        return parts.pop()
    return r.special(SEVERAL_ORIGINS)


def _a_country(r: GeoResolver, geo: str, name: str, line: int) -> str:
    """A name of a region ('Europe') is no country of origin: refused, never stored as one."""
    entry = r.h.entries.get(geo)
    if entry is not None and entry.kind == "aggregate" and geo != SEVERAL_ORIGINS:
        raise r.error(
            f"{name.strip()!r} names a region ({geo}), not a country (column {ORIGIN})", row=line
        )
    return geo


# What _record_note says of a count that is not zero: (count, what it counts, what of them).
_COUNTED = (
    ("blank_total", "record", "with a blank total: dead + missing"),
    ("differs", "record", "whose total differs from dead + missing: the published total kept"),
    ("no_figures", "record", "without any figure left out"),
    ("corrections", "record", "correcting earlier ones with a negative figure, summed as "
     "published"),
    ("negative", "cell", "left out for a negative sum (a correction whose earlier record lies in "
     "another cell)"),
)  # fmt: skip


def _record_note(records: int, incidents: int, count: dict[str, int]) -> str:
    bits = [f"{plural(records, 'record')} of {plural(incidents, 'incident')} summed"]
    if records != incidents:
        bits.append(
            "a split incident's records (one per country of origin, one Main ID) add up and "
            "count as one incident"
        )
    for key, unit, what in _COUNTED:
        if count[key]:
            bits.append(f"{plural(count[key], unit)} {what}")
    if count["no_region"] or count["no_route"]:
        bits.append(
            f"no region on {plural(count['no_region'], 'record')}, no route on "
            f"{plural(count['no_route'], 'record')} (counted in the other places)"
        )
    bits.append(
        f"origin unknown on {plural(count['unknown'], 'record')} (other), several on "
        f"{plural(count['several'], 'record')} ({SEVERAL_ORIGINS})"
    )
    bits.append("no country-of-incident column: places are the world, MMP regions and routes")
    return "; ".join(bits)


def _indicators() -> list[SourceIndicator]:
    return [
        SourceIndicator(DEAD_AND_MISSING, TOTAL, DEFINITION, UNIT,
                        source_note=f"column {TOTAL!r} (dead + missing where blank), summed "
                        "over incidents"),
        SourceIndicator(DEAD, NUMBER_DEAD, "Migrants whose death was recorded.", UNIT,
                        source_note=f"column {NUMBER_DEAD!r}, summed over incidents"),
        SourceIndicator(MISSING, NUMBER_MISSING,
                        "Migrants missing and presumed dead (a minimum estimate).", UNIT,
                        source_note=f"column {NUMBER_MISSING!r}, summed over incidents"),
    ]  # fmt: skip
