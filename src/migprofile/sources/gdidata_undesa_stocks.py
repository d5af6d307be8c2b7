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

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.periods import MID_YEAR
from migprofile.sources.base import (
    FilePeek,
    Match,
    ParsedFile,
    Source,
    TidyRows,
    cell_number,
    check_last_row,
    read_csv,
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
        if peek.suffix != ".csv":
            return None
        first = peek.head_text().splitlines()[:1]
        if first and tuple(c.strip().strip('"') for c in first[0].split(",")) == HEADER:
            return Match(self, path, "gdidata-undesa-stocks-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        table = read_csv(path)  # the extract ends every line with a line break
        pos = {name.strip(): j for j, name in enumerate(table.header)}
        missing = [c for c in HEADER if c not in pos]
        if missing:
            raise ParseError(
                path, f"no column {', '.join(missing)} (the extract has {','.join(HEADER)})", row=1
            )
        j_geo, j_year, j_from, j_sex, j_n = (pos[c] for c in HEADER[:5])
        j_types = [(pos[c], letter) for c, letter in TYPE_FLAGS]
        codes: dict[str, str] = {}
        years: dict[str, int] = {}
        notes: dict[tuple[str, ...], str] = {}
        out = TidyRows(path)
        # (geo, partner, year) → {sex: (line, value, note)}: the pairs the totals are made of
        pairs: dict[tuple[str, str, int], dict[str, tuple[int, float | None, str]]] = {}
        last: tuple[int, list[str]] | None = None
        last_destination = ""
        for line, row in table.rows:
            if not any(c.strip() for c in row):
                continue
            last = (line, row)
            last_destination = max(last_destination, row[j_geo].strip())
            year = years.get(row[j_year])
            if year is None:
                year = years[row[j_year]] = _year(path, row[j_year], line)
            geo = _geo(harmoniser, path, codes, row[j_geo], line, "geo")
            partner = _geo(harmoniser, path, codes, row[j_from], line, "from")
            sex = row[j_sex].strip().lower()
            if sex not in SEXES:
                raise ParseError(
                    path, f"sex {row[j_sex]!r} is not female or male (column sex)", row=line
                )
            text = row[j_n].strip()
            if text.isdigit():
                value: float | None = float(text)  # nearly every cell: a whole number
            elif text.upper() == "NA":
                value = None
            else:
                value = cell_number(text, path, column="n", row=line)
            flags = tuple(row[j] for j, _ in j_types)
            note = notes.get(flags)
            if note is None:
                letters = [letter for (_, letter), c in zip(j_types, flags, strict=True)
                           if c.strip() not in ("", "0")]  # fmt: skip
                note = notes[flags] = f"type of data: {' '.join(letters)}" if letters else ""
            out.add(INDICATOR, geo, year, value, UNIT, partner=partner, sex=sex,
                    period=MID_YEAR, row=line, col="n", note=note)  # fmt: skip
            pairs.setdefault((geo, partner, year), {})[sex] = (line, value, note)
        if last is None:
            raise ParseError(path, "no data rows below the header", row=1)
        _check_last_line(path, last, max(years.values()), last_destination)
        computed, one_sex = 0, 0
        for (geo, partner, year), by_sex in pairs.items():
            if len(by_sex) < len(SEXES):
                one_sex += 1
                continue  # the other sex is not in the file: the total is unknown
            (f_line, female, f_note), (m_line, male, m_note) = by_sex["female"], by_sex["male"]
            if female is None or male is None:
                continue
            note = f"total = female + male, computed by migprofile (lines {f_line},{m_line})"
            if f_note and f_note == m_note:
                note += f"; {f_note}"
            out.add(INDICATOR, geo, year, female + male, UNIT, partner=partner, sex="total",
                    period=MID_YEAR, row=min(f_line, m_line), col="n", note=note)  # fmt: skip
            computed += 1
        edition = str(max(years.values()))
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
            table=out.to_table(),
            skipped_rows=out.duplicates_dropped,
            note="; ".join(p for p in file_note if p),
        )


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
