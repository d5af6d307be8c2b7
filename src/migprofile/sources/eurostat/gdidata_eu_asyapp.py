"""IOM GMDAC's extract of Eurostat migr_asyappctza (all asylum applicants), as shipped in the
gdidata R package (`eu_asyapp`): one CSV `geo,t,nat,sex,n` of ISO3 codes by sex and year.

A derived copy of the official table (converted from .rda, codes turned to ISO3, zero cells and
most aggregates dropped), so it is one edition of `eurostat_asylum_applicants` and the official
files win wherever both have a value. Stored as `asylum_applicants`, geo = reporting country,
partner = citizenship. Codes: ISO3; EU27 → `eu27_2020` (its sums match the 27 members from
2020); OOO → `other` (unknown citizenship); STL → `stateless`. Years are written '2011.0'.

Sex is female, male and unknown; the extract has no totals, so total = female + male +
unknown is computed for each country pair and year (a sex absent from the extract counts as 0:
it drops zero cells) and says so in the row note. Unknown sex is not stored on its own.
The extract has no citizenship total (partner 'world'): it is not computed, since the
extract's citizenships do not add up to Eurostat's total (Germany 2024: 250,570 of 250,615).
Edition: the latest year in the file (the package does not date its extract).
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.sources.base import (
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    cell_number,
    read_csv,
)
from migprofile.sources.eurostat._common import ENTITIES, LICENCE, UNIT, entity_geo

HEADER = ("geo", "t", "nat", "sex", "n")
INDICATOR = "asylum_applicants"
# gdidata's codes that are not ISO3 → Eurostat's code (see _common.ENTITIES).
SPECIAL_CODES = {"EU27": "EU27_2020", "OOO": "UNK", "STL": "STLS"}
SEXES = {"female": "female", "male": "male", "total": "total"}
UNKNOWN_SEX = "unknown"
_YEAR = re.compile(r"((?:19|20)\d\d)(?:\.0+)?")


class GdidataEuAsyapp(Source):
    """IOM GMDAC's gdidata extract of Eurostat's asylum applicants by citizenship and sex."""

    id = "gdidata_eu_asyapp"
    short_name = "Eurostat (GMDAC extract)"
    title = "IOM GMDAC gdidata extract of Eurostat asylum applicants (migr_asyappctza)"
    publisher = "IOM Global Migration Data Analysis Centre, from Eurostat"
    licence = LICENCE
    citation = (
        "Eurostat, Asylum applicants by type, citizenship, age and sex (migr_asyappctza), "
        "as extracted in IOM GMDAC's gdidata R package ({edition})."
    )
    homepage = "https://github.com/iom/gdidata"
    feeds = ("asylum_applicants",)
    preference = 30  # a third-party extract: the official files come first
    dataset = "eurostat_asylum_applicants"
    recognition_order = 850
    name_pattern = re.compile(r"gdidata[-_ ]?eu[-_ ]?asyapp", re.I)
    name_suffixes = (".csv",)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.suffix != ".csv":
            return None
        first = peek.head_text().splitlines()[:1]
        if first and tuple(c.strip().strip('"') for c in first[0].split(",")) == HEADER:
            return Match(self, path, "gdidata-eu-asyapp-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        table = read_csv(path)  # the extract ends every line with a line break
        header = [c.strip() for c in table.header]
        pos = {name: j for j, name in enumerate(header)}
        missing = [c for c in HEADER if c not in pos]
        if missing:
            raise ParseError(
                path, f"no column {', '.join(missing)} (the extract has {','.join(HEADER)})", row=1
            )
        j_geo, j_year, j_nat, j_sex, j_n = (pos[c] for c in HEADER)
        codes: dict[str, str] = {}
        years: dict[str, int] = {}
        out = TidyRows(path)
        parts: dict[tuple[str, str, int], list[tuple[int, float | None]]] = defaultdict(list)
        has_total = False
        for line, row in table.rows:
            if not any(c.strip() for c in row):
                continue
            cell = row[j_year]
            year = years.get(cell)
            if year is None:
                m = _YEAR.fullmatch(cell.strip())
                if m is None:
                    raise ParseError(path, f"t {cell!r} is not a year (column t)", row=line)
                year = years[cell] = int(m[1])
            geo = _geo(harmoniser, path, codes, row[j_geo], line, "geo")
            partner = _geo(harmoniser, path, codes, row[j_nat], line, "nat")
            sex_text = row[j_sex].strip().lower()
            text = row[j_n].strip()
            value = None if text.upper() == "NA" else cell_number(text, path, column="n", row=line)
            if sex_text == UNKNOWN_SEX:
                parts[(geo, partner, year)].append((line, value))
                continue
            sex = SEXES.get(sex_text)
            if sex is None:
                raise ParseError(
                    path,
                    f"sex {row[j_sex]!r} is not female, male, unknown or total (column sex)",
                    row=line,
                )
            if sex == "total":
                has_total = True
            else:
                parts[(geo, partner, year)].append((line, value))
            if value is not None:
                out.add(INDICATOR, geo, year, value, UNIT, partner=partner, sex=sex, row=line,
                        col="n")  # fmt: skip
        if not len(out) and not parts:
            raise ParseError(path, "no data rows below the header", row=1)
        notes = ["IOM GMDAC gdidata extract of Eurostat migr_asyappctza (ASY_APP, age total)"]
        if not has_total:
            computed = 0
            for (geo, partner, year), cells in parts.items():
                if any(v is None for _, v in cells):
                    continue  # a sex without a number: the total is unknown
                lines = sorted(line for line, _ in cells)
                note = (
                    "total = female + male + unknown, computed by migprofile (lines "
                    + ",".join(map(str, lines))
                    + "; a sex absent from the extract counts as 0)"
                )
                total = sum(v for _, v in cells if v is not None)
                out.add(INDICATOR, geo, year, total, UNIT, partner=partner, sex="total",
                        row=lines[0], col="n", note=note)  # fmt: skip
                computed += 1
            notes.append(f"{computed:,} totals computed as female + male + unknown")
        notes.append("unknown sex counted in the totals only; no citizenship total (world)")
        edition = str(max(out.cols["year"]))
        notes.append("edition is the latest year in the file")
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=out.to_table(),
            indicators=[
                SourceIndicator(
                    INDICATOR,
                    "Asylum applicants",
                    "All asylum applicants (Eurostat applicant type ASY_APP), by citizenship "
                    "and sex.",
                    UNIT,
                    source_note="Eurostat migr_asyappctza via IOM GMDAC gdidata (eu_asyapp)",
                )
            ],
            skipped_rows=out.duplicates_dropped,
            note="; ".join(notes),
        )


def _geo(h: Harmoniser, path: Path, cache: dict[str, str], cell: str, line: int, col: str) -> str:
    """An ISO3 code (or one of gdidata's EU27, OOO, STL) → geo id; anything else is an error."""
    geo = cache.get(cell)
    if geo is not None:
        return geo
    code = cell.strip().upper()
    special = SPECIAL_CODES.get(code)
    if special is not None:
        geo = entity_geo(h, special, ENTITIES[special])
    else:
        found = h.country_by_iso3(code) if len(code) == 3 else None
        if found is None:
            raise ParseError(
                path,
                f"{col} code {cell.strip()!r} is not an ISO3 country code (nor EU27, OOO, STL) "
                f"(column {col})",
                row=line,
            )
        geo = found
    cache[cell] = geo
    return geo
