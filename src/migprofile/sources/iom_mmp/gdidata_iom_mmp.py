"""IOM GMDAC's extract of the Missing Migrants Project incidents, as shipped in the `gdidata` R
package (`iom_mmp`, converted from .rda to CSV).

Layout `gdidata-iom-mmp-csv`: `t,m,type,route,geo,dead,cause,surv,nat,location,lon,lat`, read
by name. t = incident date ('2014-01-06'); geo = country of incident (ISO3); dead = dead and
missing together (the package's "number of dead or missing"); nat = the countries of origin,
ISO3 codes joined by commas ('CIV,MLI,NGA,SEN,TGO'), 'UNK' for unknown; route = the package's
route grouping; type = 'Incident', 'Split Incident' or 'Cumulative Incident'.

What a row is, checked in the real file (19,669 rows, 2014-01-02 to 2025-04-30):
- `m` is NOT an incident id. It takes 136 values, one per month: the month of `t` as the
  number of days since 1970-01-01 (an R Date that lost its class: 16071.0 = 2014-01-01), the
  package's "month-year of incident". A month's rows all share it.
- Each row is one incident. Where the official export splits an incident into one record per
  country of origin, the extract has one row with the records' sum and all their codes:
  official '2021.MMP00004' (five records, 8 missing, Nigeria, Mali, Côte d'Ivoire, Togo,
  Senegal) is the row 2021-01-03, LBY, 'Split Incident', dead 8, nat 'CIV,MLI,NGA,SEN,TGO'.
- Identical rows (708 repeats) are separate incidents, not copies: each of the 62 such groups
  in 2018 and 2021 matches as many distinct Main IDs in the official files (single deaths
  recorded at the same place and day, such as a medical examiner's cases).
So every row is summed once, and nothing is double counted. Per year the extract is close to
the official download of December 2023 but not equal (2021: 6,279 here, 6,192 there): IOM
revises its records.

Tidy rows as in `_common`: places are the world, the country of incident (at sea, the coastal
country the package assigns: LBY above), and the route
(`mmp-route-<slug>` of the route as written; 'Undefined' is none). These routes are a coarser
grouping than the official export's "Migration route" (the extract's 'Eastern Mediterranean
Route', 166 in 2021, is the official 'Eastern Mediterranean' 111 plus 'Türkiye-Europe land
route' 55), so they keep their own ids ('mmp-route-eastern-mediterranean-route') and never mix
with the official routes. There is no region column. Origin: one code → that country, 'UNK'
→ `other`, several codes ('AFG,UNK' included) → `mmp-several-origins`.

Edition: the package states no date in the data; the edition is the latest incident date in
the file, and the note says so. It is an edition of the official dataset (`dataset`): where an
official file carries the same edition label, its cells win. Completeness: the extract ends
every line with a line break, so a file cut mid-line is refused (a cut at a line break cannot
be told: the rows are in no order).
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.sources.base import (
    ColumnChecks,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    convert_distinct,
    csv_header,
    read_csv_columns,
)
from migprofile.sources.iom_mmp._common import (
    DEAD_AND_MISSING,
    DEFINITION,
    LICENCE,
    ROUTE_PREFIX,
    ROUTE_TYPE,
    SEVERAL_ORIGINS,
    UNIT,
    UNKNOWN,
    WORLD,
    IncidentSums,
    number,
    partial_years,
    place_geo,
    plural,
    several_origins,
)

LAYOUT = "gdidata-iom-mmp-csv"
T, M, TYPE, ROUTE, GEO, DEAD, NAT = "t", "m", "type", "route", "geo", "dead", "nat"
SIGNATURE = (T, M, TYPE, ROUTE, GEO, DEAD, NAT)
REQUIRED = (T, ROUTE, GEO, DEAD, NAT)
UNKNOWN_CODES = {"", "UNK"}


class GdidataIomMmp(Source):
    """The gdidata extract: a third party's copy of the official dataset, so official files win
    wherever both have a value (a larger preference number)."""

    id = "gdidata_iom_mmp"
    short_name = "IOM Missing Migrants Project (gdidata extract)"
    feeds = (DEAD_AND_MISSING,)
    preference = 30
    dataset = "iom_missing_migrants"
    recognition_order = 810
    title = "IOM GMDAC gdidata extract of the Missing Migrants Project incident data"
    publisher = "IOM Global Migration Data Analysis Centre, from IOM's Missing Migrants Project"
    licence = LICENCE
    citation = (
        "IOM Missing Migrants Project, incident data (to {edition}), as extracted in IOM "
        "GMDAC's gdidata R package."
    )
    homepage = "https://github.com/iom/gdidata"
    name_pattern = re.compile(r"gdidata[-_]iom[-_]mmp", re.I)
    name_suffixes = (".csv",)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        header = csv_header(peek, lower=True)
        if header is not None and set(header).issuperset(SIGNATURE):
            return Match(self, path, LAYOUT)
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        """Column by column: the checks and errors of a row loop over the file, the first error
        in row order raised (ranks: t, dead, geo, nat); routes and codes once per distinct
        cell."""
        path = match.path
        table = read_csv_columns(path)  # refuses a file that does not end with a line break
        col = table.by_name(REQUIRED, lower=True, row=table.header_line, layout="gdidata iom_mmp")
        checks = ColumnChecks(table)
        lines, rows, errors, convert = checks.lines, checks.rows, checks.errors, checks.convert

        def dead_of(cell: str, i: int) -> float:
            dead = number(cell, path, lines[i], DEAD)
            if dead is None:
                raise ParseError(
                    path, f"no number of dead and missing (column {DEAD})", row=lines[i]
                )
            return dead

        when = convert(col[T], lambda cell, i: _date(path, lines[i], cell), pa.date32(), 0)
        dead = checks.numbers(col[DEAD], dead_of, 1)
        country = convert(
            col[GEO],
            lambda cell, i: _country(harmoniser, path, lines[i], cell.strip().upper()),
            pa.string(),
            2,
        )
        route = convert_distinct(
            col[ROUTE],
            lambda cell, _i: place_geo(harmoniser, ROUTE_PREFIX, ROUTE_TYPE, cell),
            pa.string(),
            mask=rows,
        )
        origin = convert(
            col[NAT],
            lambda cell, i: _origin(harmoniser, path, lines[i], cell.strip().upper()),
            pa.string(),
            3,
        )
        errors.raise_first()
        n = pc.sum(rows).as_py() or 0
        if not n:
            raise ParseError(path, "no incident rows below the header", row=table.header_line)
        incidents = pa.table(
            {
                "year": pc.cast(pc.year(when), pa.int32()),
                "country": country,
                "route": route,
                "origin": origin,
                "dead": dead,
                "line": table.lines,
            }
        ).filter(rows)
        count = {
            "rows": n,
            "no_country": incidents.column("country").null_count,
            "no_route": incidents.column("route").null_count,
            "several": pc.sum(pc.equal(incidents.column("origin"), SEVERAL_ORIGINS)).as_py() or 0,
            "unknown": pc.sum(pc.equal(incidents.column("origin"), UNKNOWN)).as_py() or 0,
        }
        edition = pc.max(when.filter(rows)).as_py().isoformat()
        out = TidyRows(path)
        negative = _emit_sums(
            out,
            incidents,
            {DEAD_AND_MISSING: DEAD},
            partial_years(edition, "latest in the extract"),
        )
        note = (
            f"edition {edition}: the latest incident date in the extract (gdidata states no "
            f"release date); {plural(count['rows'], 'row')}, one incident each (m is the month, "
            "not an incident id); split incidents are one row with all their origins; "
            f"origin unknown on {plural(count['unknown'], 'row')} (other), several on "
            f"{plural(count['several'], 'row')} ({SEVERAL_ORIGINS}); no route on "
            f"{plural(count['no_route'], 'row')}"
        )
        if count["no_country"]:
            note += f", no country of incident on {plural(count['no_country'], 'row')}"
        if negative:
            note += f"; {plural(negative, 'cell')} left out for a negative sum (corrections)"
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=LAYOUT,
            table=out.to_table(),
            indicators=[
                SourceIndicator(
                    DEAD_AND_MISSING,
                    "dead (number of dead or missing)",
                    DEFINITION,
                    UNIT,
                    source_note="gdidata iom_mmp column 'dead', summed over incidents",
                )
            ],
            note=note,
        )


def _emit_sums(
    out: TidyRows, incidents: pa.Table, columns: dict[str, str], partial: dict[int, str]
) -> int:
    """IncidentSums over the rows (one incident each), as whole columns: each row adds its
    figure to (place, world) and (place, origin) for the world, its country and its route.

    Whole numbers whose sums stay below 2**53 add up exactly in any order, so Arrow's sums are
    IncidentSums' row-order sums; any other figures go through IncidentSums itself."""
    dead = incidents.column("dead")
    whole = pc.all(pc.equal(dead, pc.floor(dead))).as_py() is not False
    if not (whole and (pc.sum(pc.abs(dead)).as_py() or 0) < 2**53):
        sums = IncidentSums()
        for r in incidents.to_pylist():
            places = [WORLD, *(p for p in (r["country"], r["route"]) if p is not None)]
            sums.add(f"line {r['line']}", r["year"], places, r["origin"],
                     [(DEAD_AND_MISSING, r["dead"])])  # fmt: skip
        return sums.emit(out, columns, partial)
    n = incidents.num_rows
    blocks = []
    world = pa.repeat(pa.scalar(WORLD), n)
    for place in (world, incidents.column("country"), incidents.column("route")):
        for partner in (world, incidents.column("origin")):
            blocks.append(
                pa.table(
                    {
                        "geo": place,
                        "partner": partner,
                        "year": incidents.column("year"),
                        "value": dead,
                        "correction": pc.less(dead, 0),
                    }
                ).filter(pc.is_valid(place))
            )
    cells = (
        pa.concat_tables(blocks)
        .group_by(["geo", "partner", "year"], use_threads=False)
        .aggregate([("value", "sum"), ("value", "count"), ("correction", "sum")])
    )
    kept = cells.filter(pc.greater_equal(cells.column("value_sum"), 0))
    kept = kept.sort_by([("geo", "ascending"), ("partner", "ascending"), ("year", "ascending")])
    for r in kept.to_pylist():
        note = f"sum over {r['value_count']} incidents"
        if r["correction_sum"]:
            note += f"; incl. {plural(r['correction_sum'], 'correction')} (negative figure)"
        if r["year"] in partial:
            note += f"; {partial[r['year']]}"
        out.add(DEAD_AND_MISSING, r["geo"], r["year"], r["value_sum"], UNIT,
                partner=r["partner"], col=columns[DEAD_AND_MISSING], note=note)  # fmt: skip
    return cells.num_rows - kept.num_rows


def _date(path: Path, line: int, cell: str) -> date:
    try:
        return date.fromisoformat(cell.strip())
    except ValueError:
        raise ParseError(
            path, f"date {cell.strip()!r} is not a date (column {T})", row=line
        ) from None


def _country(h: Harmoniser, path: Path, line: int, code: str) -> str | None:
    """Country of incident: ISO3 → geo; 'UNK' or blank → None (the world and route rows only)."""
    if code in UNKNOWN_CODES:
        return None
    geo = h.country_by_iso3(code)
    if geo is None:
        raise ParseError(path, f"{code!r} is not an ISO3 country code (column {GEO})", row=line)
    return geo


def _origin(h: Harmoniser, path: Path, line: int, nat: str) -> str:
    codes = {c.strip() for c in nat.split(",")} - {""}
    geos = set()
    for code in codes or {"UNK"}:
        if code == "UNK":
            geos.add(UNKNOWN)
            continue
        geo = h.country_by_iso3(code)
        if geo is None:
            raise ParseError(
                path, f"{code!r} is not an ISO3 country code nor UNK (column {NAT})", row=line
            )
        geos.add(geo)
    if len(geos) == 1:
        return geos.pop()
    return several_origins(h)
