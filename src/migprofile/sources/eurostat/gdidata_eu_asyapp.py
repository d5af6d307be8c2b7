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
from collections.abc import Callable
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
    TidyColumns,
    arange,
    cell_number,
    csv_header_is,
    key_codes,
    read_csv_columns,
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
        if csv_header_is(peek, HEADER):
            return Match(self, path, "gdidata-eu-asyapp-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        """Column by column: the checks and errors of a row loop over the file, the first error
        in row order raised (ranks: t, geo, nat, n, sex, then the row's add)."""
        path = match.path
        table = read_csv_columns(path)  # the extract ends every line with a line break
        col = table.by_name(HEADER, row=1)
        checks = ColumnChecks(table)
        lines, rows, errors, convert = checks.lines, checks.rows, checks.errors, checks.convert
        codes: dict[str, str] = {}

        def year_of(cell: str, i: int) -> int:
            m = _YEAR.fullmatch(cell.strip())
            if m is None:
                raise ParseError(path, f"t {cell!r} is not a year (column t)", row=lines[i])
            return int(m[1])

        def geo_of(column: str) -> Callable[[str, int], str]:
            return lambda cell, i: _geo(harmoniser, path, codes, cell, lines[i], column)

        def number_of(cell: str, i: int) -> float | None:
            text = cell.strip()
            return (
                None if text.upper() == "NA" else cell_number(text, path, column="n", row=lines[i])
            )

        def sex_of(cell: str, i: int) -> str:
            sex_text = cell.strip().lower()
            if sex_text == UNKNOWN_SEX:
                return UNKNOWN_SEX
            sex = SEXES.get(sex_text)
            if sex is None:
                raise ParseError(
                    path,
                    f"sex {cell!r} is not female, male, unknown or total (column sex)",
                    row=lines[i],
                )
            return sex

        year = convert(col["t"], year_of, pa.int32(), 0)
        geo = convert(col["geo"], geo_of("geo"), pa.string(), 1)
        partner = convert(col["nat"], geo_of("nat"), pa.string(), 2)
        value = checks.numbers(col["n"], number_of, 3)
        sex = convert(col["sex"], sex_of, pa.string(), 4)
        stored = pc.and_(pc.fill_null(pc.not_equal(sex, UNKNOWN_SEX), False), value.is_valid())
        out = TidyColumns(path, errors)
        out.extend_where(
            stored, 5, indicator=INDICATOR, geo=geo, partner=partner, year=year, value=value,
            unit=UNIT, sex=sex, row=table.lines, col="n",
        )  # fmt: skip
        kept = out.to_table()
        errors.raise_first()
        has_total = pc.any(pc.fill_null(pc.equal(sex, "total"), False)).as_py()
        part = pc.and_(rows, pc.invert(pc.fill_null(pc.equal(sex, "total"), False)))
        if not kept.num_rows and not pc.any(part).as_py():
            raise ParseError(path, "no data rows below the header", row=1)
        notes = ["IOM GMDAC gdidata extract of Eurostat migr_asyappctza (ASY_APP, age total)"]
        tables = [kept]
        dropped = out.duplicates_dropped
        if not has_total:
            parts = pa.table(
                {
                    "geo": geo.filter(part),
                    "partner": partner.filter(part),
                    "year": year.filter(part),
                    "line": table.lines.filter(part),
                    "value": value.filter(part),
                }
            )
            totals = TidyColumns(path)
            _add_totals(totals, parts)
            tables.append(totals.to_table())
            dropped += totals.duplicates_dropped
            notes.append(f"{len(totals):,} totals computed as female + male + unknown")
        notes.append("unknown sex counted in the totals only; no citizenship total (world)")
        stored_table = pa.concat_tables(tables).combine_chunks()
        latest = pc.max(stored_table.column("year")).as_py()
        if latest is None:
            raise ParseError(path, "no numbers below the header (every n is NA)", row=1)
        edition = str(latest)
        notes.append("edition is the latest year in the file")
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=stored_table,
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
            skipped_rows=dropped,
            note="; ".join(notes),
        )


def _add_totals(out: TidyColumns, parts: pa.Table) -> None:
    """Total = female + male + unknown for each (geo, partner, year), in the order the pairs
    first appear, summed in line order over every line of the pair (a sex absent counts as 0);
    a line without a number makes the total unknown: no total then."""
    n = parts.num_rows
    value = parts.column("value")
    # Whole numbers whose sums stay exact (< 2**53) add up the same in any order: Arrow's sum
    # is then Python's sum in line order; any other numbers are summed in Python.
    whole = pc.all(pc.equal(value, pc.floor(value))).as_py() is not False
    exact = whole and (pc.sum(pc.abs(value)).as_py() or 0) < 2**53
    grouped = (
        parts.append_column("pair", key_codes(parts, ("geo", "partner", "year")))
        .append_column("i", arange(n))
        .group_by("pair", use_threads=False)  # one thread: each list in line order
        .aggregate(
            [
                ("i", "min"),
                ("line", "list"),
                ("line", "min"),
                ("value", "list"),
                ("value", "sum"),
                ("value", "count", pc.CountOptions(mode="only_null")),
            ]
        )
    )
    grouped = grouped.filter(pc.equal(grouped.column("value_count"), 0)).sort_by("i_min")
    if exact:
        totals = grouped.column("value_sum")
    else:
        values = grouped.column("value_list").to_pylist()
        totals = pa.array([sum(v) for v in values], pa.float64())
    lines = pc.cast(grouped.column("line_list"), pa.list_(pa.string()))
    note = pc.binary_join_element_wise(
        "total = female + male + unknown, computed by migprofile (lines ",
        pc.binary_join(lines, ","),
        "; a sex absent from the extract counts as 0)",
        "",
    )
    at_first = parts.take(grouped.column("i_min"))
    out.extend(
        grouped.num_rows,
        indicator=INDICATOR,
        geo=at_first.column("geo"),
        partner=at_first.column("partner"),
        year=at_first.column("year"),
        value=totals,
        unit=UNIT,
        sex="total",
        row=grouped.column("line_min"),
        col="n",
        note=note,
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
