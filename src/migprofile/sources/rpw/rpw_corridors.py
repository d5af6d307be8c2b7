"""World Bank Remittance Prices Worldwide (Corridors), the DataBank export.

CSV, or the Excel download with its `Data` sheet: one row per sending x receiving country x
series, one column per quarter (`2020Q3 [YR2020Q3]`), `..` where nothing was surveyed, then
footer lines `Data from database: ...` and `Last Updated: MM/DD/YYYY`. Series `ATCR.CORR`
("Average Total Cost to remit in corridor", the cost of sending US$200) becomes
`remittance_cost_corridor_pct`; series listed in SERIES are mapped, any other series is skipped
and named in the file's note. See `_common` for the geography and the quarter rows.
"""

from __future__ import annotations

import csv
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
    column_letter,
    to_number,
)
from migprofile.sources.rpw._common import (
    COST_200,
    LICENCE,
    QUARTER_END,
    UNIT,
    CorridorGeo,
    cell_text,
    header_key,
    is_blank,
    mean_note,
    parse_quarter,
    rows_csv,
)

# DataBank series code → catalogue indicator. Any other series is skipped (named in the note).
SERIES = {"ATCR.CORR": COST_200}

_LAST_UPDATED = re.compile(r"last\s+updated\s*:?\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.I)
_DATABASE = re.compile(r"data\s+from\s+database\s*:\s*(.+)", re.I)


def _databank_header(rows: list[tuple[int, list]]) -> tuple[int, dict[str, int]] | None:
    """Index (in rows) of the header and its columns, found by the sending/receiving code cells."""
    for i, (_, row) in enumerate(rows[:10]):
        cols: dict[str, int] = {}
        for j, cell in enumerate(row):
            k = header_key(cell)
            for role in ("sending", "receiving"):
                if k.startswith(role) and "countr" in k:
                    if k.endswith("code"):
                        cols.setdefault(f"{role}_code", j)
                    elif k.endswith("name"):
                        cols.setdefault(f"{role}_name", j)
            if k.startswith("series") and k.endswith("code"):
                cols.setdefault("series_code", j)
            elif k.startswith("series") and k.endswith("name"):
                cols.setdefault("series_name", j)
        if "sending_code" in cols and "receiving_code" in cols:
            return i, cols
    return None


def _has_quarters(found, rows) -> bool:
    """The DataBank header also has quarter columns ('2020Q3 [YR2020Q3]')."""
    return found is not None and any(parse_quarter(c) for c in rows[found[0]][1])


class RpwCorridors(Source):
    id = "rpw_corridors"
    short_name = "World Bank RPW"
    feeds = ("remittance_cost_corridor_pct",)
    preference = 10
    recognition_order = 400
    title = "World Bank Remittance Prices Worldwide (Corridors), DataBank export"
    publisher = "World Bank"
    licence = LICENCE
    citation = (
        "World Bank. Remittance Prices Worldwide (Corridors), DataBank (last updated {edition}). "
        "https://databank.worldbank.org/source/remittance-prices-worldwide-(corridors)"
    )
    homepage = "https://databank.worldbank.org/source/remittance-prices-worldwide-(corridors)"
    downloads = ()  # DataBank exports are made on request: no stable URL
    name_pattern = re.compile(
        r"rpw[_\- ]?corridor|remittance[_\- ]prices[_\- ]worldwide.*corridor", re.I
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.is_workbook:
            if peek.workbook() is None:
                return None
            for sheet in peek.sheet_names:
                if header_key(sheet) != "data":
                    continue
                rows = [(i + 1, r) for i, r in enumerate(peek.sheet(sheet)[:10])]
                if _has_quarters(_databank_header(rows), rows):
                    return Match(self, path, "rpw-databank-excel", {"sheet": sheet})
            return None
        if peek.suffix != ".csv":
            return None
        lines = peek.head_text().splitlines()[:10]
        try:
            rows = [(n, r) for n, r in enumerate(csv.reader(lines), 1)]
        except csv.Error:
            return None
        if _has_quarters(_databank_header(rows), rows):
            return Match(self, path, "rpw-databank-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        if match.layout == "rpw-databank-excel":
            sheet = match.context["sheet"]
            peek: FilePeek = match.context["peek"]
            rows = [(i + 1, r) for i, r in enumerate(peek.sheet(sheet))]
        else:
            sheet = None
            rows = rows_csv(path)
        excel = sheet is not None
        found = _databank_header(rows)
        if found is None:
            raise ParseError(
                path,
                "header with 'Sending Countries Code' and 'Receiving Countries Code' not found "
                "in the first 10 lines (layout changed?)",
                sheet=sheet,
            )
        hi, cols = found
        header_line, header = rows[hi]
        if "series_code" not in cols:
            raise ParseError(
                path, "no 'Series Code' column in the header", sheet=sheet, row=header_line
            )
        quarters = [(j, yq) for j, c in enumerate(header) if (yq := parse_quarter(c)) is not None]
        if not quarters:
            raise ParseError(
                path,
                "no quarter columns ('2020Q3 [YR2020Q3]') in the header",
                sheet=sheet,
                row=header_line,
            )
        labels = {j: cell_text(header[j]) for j, _ in quarters}
        geo = CorridorGeo(harmoniser, path)
        out = TidyRows(path)
        skipped: dict[str, int] = defaultdict(int)
        series_names: dict[str, str] = {}
        database = ""
        updated: tuple[str, str] | None = None
        footer = False
        width = max(j for j, _ in quarters) + 1
        for line, row in rows[hi + 1 :]:
            if all(is_blank(c) for c in row):
                footer = True  # DataBank puts its footer after blank lines
                continue
            first = cell_text(row[0]) if row else ""
            rest_blank = all(is_blank(c) for c in row[1:])
            if rest_blank and (footer or _LAST_UPDATED.search(first) or _DATABASE.search(first)):
                if m := _DATABASE.search(first):
                    database = m.group(1).strip()
                elif m := _LAST_UPDATED.search(first):
                    updated = self._date(m, path, sheet, line)
                continue  # footer text
            if footer:
                raise ParseError(
                    path,
                    "data row after the footer lines (file pasted together?)",
                    sheet=sheet,
                    row=line,
                )
            if len(row) < width:
                row = list(row) + [""] * (width - len(row))
            code = cell_text(row[cols["series_code"]]).upper()
            indicator = SERIES.get(code)
            if indicator is None:
                if not code:
                    raise ParseError(path, "empty Series Code", sheet=sheet, row=line)
                skipped[code] += 1
                continue
            if code not in series_names:
                series_names[code] = (
                    cell_text(row[cols["series_name"]]) if "series_name" in cols else ""
                )
            receiving, sending = geo.corridor(row, cols, sheet, line)
            by_year: dict[int, list[tuple[str, float, int]]] = defaultdict(list)
            for j, (year, q) in quarters:
                try:
                    value = to_number(row[j])
                except ValueError as exc:
                    raise ParseError(
                        path,
                        f"{exc} (column {labels[j]}"
                        + (f", cell {column_letter(j)}{line}" if excel else "")
                        + ")",
                        sheet=sheet,
                        row=line,
                    ) from None
                if value is None:
                    continue  # '..': not surveyed (a sparse matrix: missing cells are skipped)
                period = f"{year}Q{q}"
                col = column_letter(j) if excel else labels[j]
                out.add(
                    indicator,
                    receiving,
                    year,
                    value,
                    UNIT,
                    partner=sending,
                    period=period,
                    sheet=sheet,
                    row=line,
                    col=col,
                )
                by_year[year].append((period, value, j))
            for year, got in by_year.items():
                got.sort()
                mean = sum(v for _, v, _ in got) / len(got)
                first_col = got[0][2]
                out.add(
                    indicator,
                    receiving,
                    year,
                    mean,
                    UNIT,
                    partner=sending,
                    sheet=sheet,
                    row=line,
                    col=column_letter(first_col) if excel else labels[first_col],
                    note=mean_note([p for p, _, _ in got]),
                )
        if not excel and (updated is None or not database):
            # DataBank ends every CSV with both lines: without them the file was cut short.
            missing = " and ".join(
                f"'{t}'"
                for t, have in (("Data from database:", database), ("Last Updated:", updated))
                if not have
            )
            raise ParseError(
                path,
                f"no {missing} line at the end: DataBank CSV files end with 'Data from "
                "database:' and 'Last Updated:', so the file was cut short",
                row=rows[-1][0] if rows else None,
            )
        if not len(out):
            raise ParseError(
                path,
                "no values of a known series ("
                + ", ".join(SERIES)
                + ")"
                + (f"; series found: {', '.join(sorted(skipped))}" if skipped else ""),
                sheet=sheet,
            )
        notes = []
        if updated is not None:
            edition, order = updated
        else:
            year, last_q = max(yq for _, yq in quarters)
            edition, order = f"{year}Q{last_q}", f"{year}-{QUARTER_END[last_q]}"
            notes.append("no 'Last Updated' footer: edition named by the last quarter")
        if database:
            notes.append(f"database: {database}")
        if skipped:
            notes.append(
                "series skipped (not mapped to a catalogue indicator): "
                + ", ".join(f"{c} ({n} rows)" for c, n in sorted(skipped.items()))
            )
        notes.extend(sorted(set(geo.notes.values())))
        indicators = [
            SourceIndicator(
                SERIES[c],
                name or c,
                definition=f"DataBank series {c}: average total cost of sending US$200 in the "
                "corridor, as a percentage of the amount sent",
                unit=UNIT,
                source_note="World Bank, Remittance Prices Worldwide (Corridors)",
            )
            for c, name in sorted(series_names.items())
        ]
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=order,
            layout=match.layout,
            table=out.to_table(),
            indicators=indicators,
            skipped_rows=sum(skipped.values()),
            note="; ".join(notes),
        )

    @staticmethod
    def _date(m: re.Match, path: Path, sheet, line: int) -> tuple[str, str]:
        """DataBank writes 'Last Updated' as US month/day/year ('12/07/2020' = 7 December 2020)."""
        a, b, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
        month, day = a, b
        if month > 12 and day <= 12:  # not US order after all: day/month
            month, day = b, a
        if not (1 <= month <= 12 and 1 <= day <= 31):
            raise ParseError(
                path, f"'Last Updated' date {m.group(0)!r} is not a date", sheet=sheet, row=line
            )
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        return iso, iso
