"""IOM GMDAC's extract of UN DESA International Migrant Stock 2024 (destination x origin x sex),
as shipped in the gdidata R package (`undesa_stocks`): one CSV
`geo,t,from,sex,n,type_b,type_c,type_r,type_i` of ISO3 pairs.

A derived copy of the official Table 1 (converted from .rda, regions dropped), so it is one
edition of `undesa_ims_origin` and the official workbooks win wherever both have a value.
Stored as `migrant_stock` at mid-year (as UN DESA dates its stocks), geo = destination
(`geo`), partner = origin (`from`). Codes: ISO3; OOO → `other` (UN DESA's 'OTHER' origins);
XCX → Channel Islands (M49 830, no ISO3 code).

Sexes are female and male only. The total, which a profile and `get` need, is not in the
extract: it is computed for each pair and year as female + male, and its row note says so
(with both lines). It equals the official total: the extract's sums match UN DESA's 2024
tables (Moldovans in Italy 2024: 145,668 + 72,926 = 218,594). A pair with one sex only gets
no total. Zeros are kept: unlike the 2020 gdiviz extract, this one lists them.

The `type_*` flags are UN DESA's 'type of data' of the destination's estimate (B: by place
of birth, C: by citizenship, R: refugees added, I: imputed); they are kept as row note text
('type of data: B R'), as the official workbook prints them.

Edition: the latest year in the file (the package does not date its extract); UN DESA names
its editions by their latest estimate year.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.periods import MID_YEAR
from migprofile.sources.base import (
    ColumnChecks,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    TidyColumns,
    arange,
    cell_number,
    check_last_row,
    convert_distinct,
    csv_header_is,
    key_codes,
    read_csv_columns,
)

HEADER = ("geo", "t", "from", "sex", "n", "type_b", "type_c", "type_r", "type_i")
INDICATOR = "migrant_stock"
UNIT = "persons"
LICENCE = "CC BY 3.0 IGO"
SEXES = ("female", "male")
# gdidata's codes that are not ISO3 → how to find the place.
SPECIAL_CODES: dict[str, Callable[[Harmoniser], str | None]] = {
    "OOO": lambda h: "other",
    "XCX": lambda h: h.country_by_m49("830"),  # Channel Islands
}
TYPE_FLAGS = (("type_b", "B"), ("type_c", "C"), ("type_r", "R"), ("type_i", "I"))
TYPE_LEGEND = (
    "type of data (UN DESA codes, from the type_* flags): B by place of birth, C by "
    "citizenship, R refugees added, I imputed"
)


class GdidataUndesaStocks(Source):
    """IOM GMDAC's gdidata extract of UN DESA IMS 2024 destination x origin, by sex."""

    id = "gdidata_undesa_stocks"
    short_name = "UN DESA (GMDAC extract)"
    title = "IOM GMDAC gdidata extract of UN DESA International Migrant Stock (origin)"
    publisher = "IOM Global Migration Data Analysis Centre, from UN DESA Population Division"
    licence = LICENCE
    citation = (
        "UN DESA Population Division, International Migrant Stock {edition}, as extracted in "
        "IOM GMDAC's gdidata R package."
    )
    homepage = "https://github.com/iom/gdidata"
    feeds = (
        "migrant_stock",
        "emigrant_stock",
        "top_destinations",
        "top_origins",
    )
    preference = 30  # a third-party extract: the official workbooks come first
    dataset = "undesa_ims_origin"  # its editions are UN DESA's, as extracted by IOM GMDAC
    recognition_order = 130
    name_pattern = re.compile(r"gdidata[-_ ]?undesa[-_ ]?stocks", re.I)
    name_suffixes = (".csv",)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if csv_header_is(peek, HEADER):
            return Match(self, path, "gdidata-undesa-stocks-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        """Column by column (145k rows): the checks and errors of a row loop over the file, the
        first error in row order raised (ranks: t, geo, from, sex, n, then the row's add)."""
        path = match.path
        table = read_csv_columns(path)  # the extract ends every line with a line break
        col = table.by_name(HEADER, row=1)
        checks = ColumnChecks(table)
        lines, rows, errors, convert = checks.lines, checks.rows, checks.errors, checks.convert
        codes: dict[str, str] = {}

        def year_of(cell: str, i: int) -> int:
            return _year(path, cell, lines[i])

        def geo_of(column: str) -> Callable[[str, int], str]:
            return lambda cell, i: _geo(harmoniser, path, codes, cell, lines[i], column)

        def sex_of(cell: str, i: int) -> str:
            sex = cell.strip().lower()
            if sex not in SEXES:
                raise ParseError(
                    path, f"sex {cell!r} is not female or male (column sex)", row=lines[i]
                )
            return sex

        def number_of(cell: str, i: int) -> float | None:
            text = cell.strip()
            if text.isdigit():
                return float(text)
            if text.upper() == "NA":
                return None
            return cell_number(text, path, column="n", row=lines[i])

        def note_of(flags: str, _i: int) -> str:
            letters = [letter for (_, letter), c in zip(TYPE_FLAGS, flags.split("\x00"),
                       strict=True) if c.strip() not in ("", "0")]  # fmt: skip
            return f"type of data: {' '.join(letters)}" if letters else ""

        year = convert(col["t"], year_of, pa.int32(), 0)
        geo = convert(col["geo"], geo_of("geo"), pa.string(), 1)
        partner = convert(col["from"], geo_of("from"), pa.string(), 2)
        sex = convert(col["sex"], sex_of, pa.string(), 3)
        value = checks.numbers(col["n"], number_of, 4)
        flags = pc.binary_join_element_wise(*(col[c] for c, _ in TYPE_FLAGS), "\x00")
        note = convert_distinct(flags, note_of, pa.string(), mask=rows)
        records = pc.indices_nonzero(rows)
        out = TidyColumns(path, errors)
        n = len(records)
        out.extend_where(
            rows, 5, indicator=INDICATOR, geo=geo, partner=partner, year=year, value=value,
            unit=UNIT, sex=sex, period=MID_YEAR, row=table.lines, col="n", note=note,
        )  # fmt: skip
        stored = out.to_table()
        errors.raise_first()
        if not n:
            raise ParseError(path, "no data rows below the header", row=1)
        latest = pc.max(year).as_py()
        last = records[n - 1].as_py()
        destinations = pc.unique(col["geo"].filter(rows)).to_pylist()
        _check_last_line(
            path, (lines[last], [c[last].as_py() for c in table.columns]), latest,
            max(d.strip() for d in destinations),
        )  # fmt: skip
        sexed = pa.table(
            {
                "geo": geo.filter(rows),
                "partner": partner.filter(rows),
                "year": year.filter(rows),
                "sex": sex.filter(rows),
                "line": table.lines.filter(rows),
                "value": value.filter(rows),
                "note": note.filter(rows),
            }
        )
        totals, one_sex = _totals(sexed)
        computed = totals.num_rows
        tally = TidyColumns(path)
        tally.extend(
            computed,
            indicator=INDICATOR,
            geo=totals.column("geo"),
            partner=totals.column("partner"),
            year=totals.column("year"),
            value=totals.column("value"),
            unit=UNIT,
            sex="total",
            period=MID_YEAR,
            row=totals.column("row"),
            col="n",
            note=totals.column("note"),
        )
        stored = pa.concat_tables([stored, tally.to_table()]).combine_chunks()
        edition = str(latest)
        file_note = [
            "IOM GMDAC gdidata extract of UN DESA IMS Table 1 (country pairs only; "
            "OOO = other origins, XCX = Channel Islands)",
            f"{computed:,} totals computed as female + male (the extract has no totals)",
            f"{one_sex:,} pair{'s' if one_sex > 1 else ''} with one sex only: no total"
            if one_sex
            else "",
            TYPE_LEGEND,
            "edition is the latest year in the file",
        ]
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=stored,
            skipped_rows=out.duplicates_dropped + tally.duplicates_dropped,
            note="; ".join(p for p in file_note if p),
        )


def _totals(rows: pa.Table) -> tuple[pa.Table, int]:
    """Total = female + male for each (geo, partner, year) with both sexes, in the order the
    pairs first appear, from each sex's last line (a repeated line's twin was dropped); and the
    number of pairs with one sex only. A sex without a number gives no total."""
    n = rows.num_rows
    pair = key_codes(rows, ("geo", "partner", "year"))
    index = pa.table({"pair": pair, "male": pc.equal(rows.column("sex"), "male"), "i": arange(n)})
    first = index.group_by("pair", use_threads=False).aggregate([("i", "min")])
    last = index.group_by(["pair", "male"], use_threads=False).aggregate([("i", "max")])
    female = last.filter(pc.invert(last.column("male"))).select(["pair", "i_max"])
    male = last.filter(last.column("male")).select(["pair", "i_max"])
    both = female.join(male, "pair", join_type="inner", left_suffix="_f", right_suffix="_m")
    both = both.join(first, "pair", join_type="inner")
    both = both.sort_by("i_min")
    one_sex = first.num_rows - both.num_rows
    f, m = rows.take(both.column("i_max_f")), rows.take(both.column("i_max_m"))
    total = pc.add(f.column("value"), m.column("value"))  # null when a sex has no number
    f_line, m_line = f.column("line"), m.column("line")
    note = pc.binary_join_element_wise(
        "total = female + male, computed by migprofile (lines ",
        pc.cast(f_line, pa.string()),
        ",",
        pc.cast(m_line, pa.string()),
        ")",
        "",
    )
    f_note = f.column("note")
    same = pc.and_(pc.not_equal(f_note, ""), pc.equal(f_note, m.column("note")))
    note = pc.if_else(same, pc.binary_join_element_wise(note, f_note, "; "), note)
    totals = pa.table(
        {
            "geo": f.column("geo"),
            "partner": f.column("partner"),
            "year": f.column("year"),
            "value": total,
            "row": pc.min_element_wise(f_line, m_line),
            "note": note,
        }
    )
    return totals.filter(total.is_valid()), one_sex


def _year(path: Path, cell: str, line: int) -> int:
    m = re.fullmatch(r"\s*((?:19|20)\d\d)(?:\.0+)?\s*", cell)
    if m is None:
        raise ParseError(path, f"t {cell!r} is not a year (column t)", row=line)
    return int(m[1])


def _geo(h: Harmoniser, path: Path, cache: dict[str, str], cell: str, line: int, col: str) -> str:
    """An ISO3 code (or one of gdidata's OOO, XCX) → geo id; anything else is an error."""
    geo = cache.get(cell)
    if geo is not None:
        return geo
    code = cell.strip().upper()
    special = SPECIAL_CODES.get(code)
    found = special(h) if special is not None else h.country_by_iso3(code) if code else None
    if found is None:
        raise ParseError(
            path,
            f"{col} code {cell.strip()!r} is not an ISO3 country code (nor OOO, XCX) "
            f"(column {col})",
            row=line,
        )
    cache[cell] = found
    return found


def _check_last_line(path: Path, last: tuple[int, list[str]], latest: int, dest: str) -> None:
    """The extract is sorted by destination, year, origin and sex: it ends with the last
    destination's latest year, male. A file cut at a line break ends elsewhere, and its last
    pair would lose a sex (and its total)."""
    line, row = last
    found = ",".join(c.strip() for c in row[:4])
    ends_right = (row[0].strip() == dest and _year(path, row[1], line) == latest) and row[
        3
    ].strip().lower() == "male"
    expected = found if ends_right else f"{dest},{latest},<last origin>,male"
    check_last_row(path, found, expected, "gdidata undesa_stocks extracts", line=line)
