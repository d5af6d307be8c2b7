"""IOM GMDAC's extracts of IDMC's GIDD, as shipped in the `gdidata` R package (`idmc_flows`,
`idmc_stocks`, converted from .rda to CSV): a third party's copy of the IDMC dataset, so it is
one edition of `idmc` (`dataset`) and the official exports win wherever both have a value.

Layouts, read by name of column:
- `gdidata-idmc-flows-csv`: `geo,t,cause,n`, new internal displacements by year. cause is
  'conflict' or the disaster's hazard ('flood', 'storm', 'earthquake', 'mass movement', ...:
  HAZARDS). n is IDMC's *unrounded* figure: conflict rows equal the official export's
  '(Raw)' column, and a country-year's hazard rows add up to its raw disaster figure (AFG 2022:
  32,424 conflict; 220,387 over five hazards). Stored as `new_displacements_conflict_raw`,
  each hazard as `idmc:new_displacements_disaster_<hazard>`, and their sum as
  `new_displacements_disaster_raw` (computed by migprofile; the row note lists the lines summed).
- `gdidata-idmc-stocks-csv`: `geo,t,cause,sex,age,n`, IDP stocks by sex (female, male) and age
  group (0-4, 5-11, 12-17, 18-59, 60+), IDMC's modelled split: stored under IDMC's own SADD codes
  `idmc:idps_conflict_sadd` / `idmc:idps_disaster_sadd`, as the official export's SADD sheet.
  A row with sex and age 'unknown' (AB9, the Abyei Area, in 2024) is a stock IDMC did not split:
  stored with sex and age 'total', and the row note says so. There are no 'both sexes' rows and
  none are computed.

Checked against the official exports (../shared/data-next/idmc): the flows equal the 13 May 2024
export for all 472 country-years of its 32 Asia-Pacific countries (16 of 2,324 differ from the
November 2023 global export: IDMC revised them), so the extract is the GIDD release of May 2024.
Zeros: each of the flows' 197 zeros (all conflict) is a 0 the official export gives in its
'(Raw)' column for the same country and year (where the rounded headline cell is blank), so
a 0 is IDMC's figure, not a missing value, and is stored as the official parser stores it;
the extract leaves out some of those zeros (43), which stay absent. In the stocks, a 0 is the
modelled split of a small stock rounded to 0 (the official SADD sheets have such zeros too): kept.

Edition: the package dates nothing, so the edition is the GIDD release the latest year implies
(released each May with figures to the previous year end): flows to 2023 → '2024' (edition
order '2024-05'), stocks of 2024 → '2025'; the note says so. The official 2024-05-13 export
orders after '2024-05', so where both cover a country its cells are the ones shown.
Completeness: every line ends with a line break and the rows are sorted by code, Zimbabwe
last: a file cut mid-line, or before ZWE, is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.geo.resolver import GeoResolver
from migprofile.sources.base import (
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    cell_number,
    check_last_row,
    columns_by_name,
    csv_header,
    read_csv,
    to_year,
)
from migprofile.sources.idmc import (
    GEO_TABLES,
    LICENCE,
    SADD_CAUSES,
    geo_of_code,
    release_from_latest_year,
)

FLOWS = ("geo", "t", "cause", "n")
STOCKS = ("geo", "t", "cause", "sex", "age", "n")
CONFLICT = "conflict"
# IDMC's hazard types (GIDD 'Hazard Type', lower case as the extract writes them).
HAZARDS = (
    "flood",
    "storm",
    "earthquake",
    "mass movement",
    "wet mass movement",
    "dry mass movement",
    "wildfire",
    "drought",
    "extreme temperature",
    "volcanic activity",
    "erosion",
    "wave action",
    "sea level rise",
)
CONFLICT_RAW = "new_displacements_conflict_raw"
DISASTER_RAW = "new_displacements_disaster_raw"
MOVEMENTS = "movements"
PERSONS = "persons"
SEXES = {"female": "female", "male": "male"}
UNKNOWN = "unknown"
_AGE = re.compile(r"\d+(-\d+|\+)")
LAST_CODE = "ZWE"
ORDER = "gdidata's IDMC extracts (sorted by country code)"


def hazard_code(hazard: str) -> str:
    """'mass movement' → 'idmc:new_displacements_disaster_mass_movement'."""
    return "idmc:new_displacements_disaster_" + hazard.replace(" ", "_")


class GdidataIdmc(Source):
    """The gdidata extract of IDMC's GIDD: official exports come first (a larger preference
    number), and its editions are editions of the IDMC dataset."""

    id = "gdidata_idmc"
    short_name = "IDMC (gdidata extract)"
    title = "IOM GMDAC gdidata extract of the IDMC Global Internal Displacement Database"
    publisher = "IOM Global Migration Data Analysis Centre, from IDMC"
    licence = LICENCE
    citation = (
        "Internal Displacement Monitoring Centre (IDMC), Global Internal Displacement Database "
        "(release {edition}), as extracted in IOM GMDAC's gdidata R package."
    )
    homepage = "https://github.com/iom/gdidata"
    feeds = (CONFLICT_RAW, DISASTER_RAW)
    preference = 30
    dataset = "idmc"
    recognition_order = 860
    name_pattern = re.compile(r"gdidata[-_ ]?idmc[-_ ]?(flows|stocks)", re.I)
    name_suffixes = (".csv",)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        header = csv_header(peek, lower=True)
        if header == FLOWS:
            return Match(self, path, "gdidata-idmc-flows-csv")
        if header == STOCKS:
            return Match(self, path, "gdidata-idmc-stocks-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        table = read_csv(path)  # the extract ends every line with a line break
        expected = FLOWS if match.layout == "gdidata-idmc-flows-csv" else STOCKS
        pos = columns_by_name(path, table.header, expected, lower=True, row=table.header_line)
        records = [(line, row) for line, row in table.rows if any(c.strip() for c in row)]
        if not records:
            raise ParseError(path, "no data rows below the header", row=table.header_line)
        last_line, last = records[-1]
        check_last_row(path, last[pos["geo"]].strip().upper(), LAST_CODE, ORDER, line=last_line)
        out = TidyRows(path)
        r = GeoResolver(harmoniser, path, GEO_TABLES)
        if match.layout == "gdidata-idmc-flows-csv":
            notes = _flows(records, pos, path, r, out)
        else:
            notes = _stocks(records, pos, path, r, out)
        latest = max(out.cols["year"])
        edition, order, edition_note = release_from_latest_year(latest)
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=order,
            layout=match.layout,
            table=out.to_table(),
            indicators=_indicators(match.layout),
            skipped_rows=out.duplicates_dropped,
            note="; ".join(["IOM GMDAC gdidata extract of IDMC's GIDD", *notes, edition_note]),
        )


def _year(cell: str, path: Path, line: int) -> int:
    year = to_year(cell)
    if year is None:
        raise ParseError(path, f"t {cell!r} is not a year (column t)", row=line)
    return year


def _flows(records, pos, path: Path, r: GeoResolver, out: TidyRows) -> list[str]:
    """Conflict rows as they are; hazard rows each, and summed per country-year."""
    hazards: dict[tuple[str, int], dict[str, tuple[int, float]]] = {}
    for line, row in records:
        year = _year(row[pos["t"]], path, line)
        geo = geo_of_code(r, row[pos["geo"]], None, line)
        cause = row[pos["cause"]].strip().lower()
        value = cell_number(row[pos["n"]], path, column="n", row=line)
        if value is None:
            continue
        if cause == CONFLICT:
            out.add(CONFLICT_RAW, geo, year, value, MOVEMENTS, row=line, col="n")
        elif cause in HAZARDS:
            out.add(hazard_code(cause), geo, year, value, MOVEMENTS, row=line, col="n")
            hazards.setdefault((geo, year), {}).setdefault(cause, (line, value))
        else:
            raise ParseError(
                path,
                f"cause {row[pos['cause']]!r} is neither 'conflict' nor an IDMC hazard type "
                f"({', '.join(HAZARDS)}) (column cause)",
                row=line,
            )
    for (geo, year), parts in hazards.items():
        lines = sorted(line for line, _ in parts.values())
        note = (
            f"sum of the extract's {len(parts)} hazard rows (lines "
            f"{','.join(map(str, lines))}: {', '.join(sorted(parts))}), computed by migprofile"
        )
        total = sum(value for _, value in parts.values())
        out.add(DISASTER_RAW, geo, year, total, MOVEMENTS, row=lines[0], col="n", note=note)
    return [
        "unrounded figures (IDMC's '(Raw)' columns): conflict and each hazard as published, "
        f"disaster totals summed over hazards ({len(hazards)} country-years)",
        "a 0 is IDMC's own raw 0 (stored)",
    ]


def _stocks(records, pos, path: Path, r: GeoResolver, out: TidyRows) -> list[str]:
    """IDP stocks by sex and age → IDMC's SADD codes; an unsplit stock as sex and age total."""
    unsplit = []
    for line, row in records:
        year = _year(row[pos["t"]], path, line)
        geo = geo_of_code(r, row[pos["geo"]], None, line)
        cause = row[pos["cause"]].strip().lower()
        indicator = SADD_CAUSES.get(cause)
        if indicator is None:
            raise ParseError(
                path, f"cause {row[pos['cause']]!r} is not conflict or disaster (column cause)",
                row=line,
            )  # fmt: skip
        sex_text, age = row[pos["sex"]].strip().lower(), row[pos["age"]].strip()
        note = ""
        if sex_text == UNKNOWN and age.lower() == UNKNOWN:
            sex, age = "total", "total"
            note = "no sex or age split in the extract (sex and age 'unknown'): the whole stock"
            unsplit.append(f"{row[pos['geo']].strip()} {year} {cause}")
        elif sex_text in SEXES and _AGE.fullmatch(age):
            sex = SEXES[sex_text]
        else:
            raise ParseError(
                path,
                f"sex {row[pos['sex']]!r} and age {row[pos['age']]!r}: not female or male "
                "with an age group such as '0-4' or '60+' (nor both 'unknown') (columns sex, "
                "age)",
                row=line,
            )
        value = cell_number(row[pos["n"]], path, column="n", row=line)
        if value is None:
            continue
        out.add(indicator, geo, year, value, PERSONS, sex=sex, age=age, row=line, col="n",
                note=note or "IDMC estimate: IDP stock split by sex and age")  # fmt: skip
    notes = ["IDP stocks by sex and age under idmc:idps_*_sadd (female and male only)"]
    if unsplit:
        notes.append(f"not split by sex or age, stored as totals: {', '.join(unsplit)}")
    return notes


def _indicators(layout: str) -> list[SourceIndicator]:
    note = "IDMC GIDD via IOM GMDAC gdidata"
    if layout == "gdidata-idmc-stocks-csv":
        return [
            SourceIndicator(
                code,
                f"IDPs by sex and age ({cause})",
                f"IDMC's estimate of the {cause} IDP stock by sex and age group.",
                PERSONS,
                source_note=f"{note} (idmc_stocks)",
            )
            for cause, code in SADD_CAUSES.items()
        ]
    out = [
        SourceIndicator(
            CONFLICT_RAW,
            "Conflict Internal Displacements (Raw)",
            "Internal displacements due to conflict and violence over the year (not rounded).",
            MOVEMENTS,
            source_note=f"{note} (idmc_flows, cause 'conflict')",
        ),
        SourceIndicator(
            DISASTER_RAW,
            "Disaster Internal Displacements (Raw)",
            "Internal displacements due to disasters over the year (not rounded): the sum of "
            "the extract's hazard rows.",
            MOVEMENTS,
            source_note=f"{note} (idmc_flows, summed over hazards by migprofile)",
        ),
    ]
    out += [
        SourceIndicator(
            hazard_code(hazard),
            f"Disaster internal displacements: {hazard}",
            f"Internal displacements due to {hazard} over the year (not rounded).",
            MOVEMENTS,
            source_note=f"{note} (idmc_flows, cause '{hazard}')",
        )
        for hazard in HAZARDS
    ]
    return out
