"""World Bank-KNOMAD annual remittance inflows and outflows ('Inward remittance flows',
'Outward remittance flows'; US$ million, 2000..latest, names only), stored as
`remittances_inflow_knomad_usd` / `remittances_outflow_knomad_usd` in US$. Year headers such as
'2022e' mark estimates (row note 'estimate (2022e)'); the edition is the footer line
'Date: June 2023' → '2023-06'; columns that are not years are not stored. See `_common`.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    column_letter,
    to_year,
)
from migprofile.sources.knomad._common import (
    HEADER_SEARCH_ROWS,
    LICENCE,
    MONTH_RE,
    MONTHS,
    PUBLISHER,
    SMALL_WORKBOOK,
    YEAR_MARKS,
    cell_at,
    is_blank,
    name_resolver,
    scale_of,
    text_rows,
    value_at,
)

# --- annual remittance flows -----------------------------------------------------------------

_FLOW_HEADER = re.compile(r"remittance\s+(inflows|outflows)", re.IGNORECASE)
_FLOW_SHEET = re.compile(r"remittance|inflow|outflow", re.IGNORECASE)
_FLOW_INDICATORS = {
    "inflows": "remittances_inflow_knomad_usd",
    "outflows": "remittances_outflow_knomad_usd",
}


def _flow_header(rows: list[list]) -> tuple[int, str] | None:
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if (
            row
            and isinstance(row[0], str)
            and (m := _FLOW_HEADER.search(row[0]))
            and any(to_year(c) is not None for c in row[1:])
        ):
            return i, m.group(1).lower()
    return None


def _year_mark(cell, path: Path, sheet: str, row: int, col: int) -> tuple[int, str] | None:
    """(2022, 'e') from '2022e'; (2021, '') from 2021.0 or '2021'; None for other headers."""
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        year = to_year(cell)
        return (year, "") if year is not None else None
    text = str(cell or "").strip()
    m = re.fullmatch(r"((?:19|20)\d\d)\s*([A-Za-z]?)\**", text)
    if not m:
        return None
    mark = m.group(2).lower()
    if mark and mark not in YEAR_MARKS:
        raise ParseError(
            path,
            f"year header {text!r} (column {column_letter(col)}) has an unknown mark "
            f"(known: {', '.join(YEAR_MARKS)})",
            sheet=sheet,
            row=row,
        )
    return int(m.group(1)), mark


def _flow_edition(path: Path, sheet: str, lines: list[str]) -> str | None:
    """'Date: June 2023' (or 'please cite: World Bank-KNOMAD, June 2023') → '2023-06'."""
    for pattern in (
        rf"date\s*:\s*{MONTH_RE}\s+((?:19|20)\d\d)",
        rf"{MONTH_RE}\s+((?:19|20)\d\d)",
    ):
        for text in lines:
            m = re.search(pattern, text, re.IGNORECASE)
            if m:
                month = m.group(1).lower()
                number = MONTHS.get(month) or next(
                    n for name, n in MONTHS.items() if name.startswith(month)
                )
                return f"{m.group(2)}-{number:02d}"
    m = re.search(rf"{MONTH_RE}[\s_-]*((?:19|20)\d\d)", path.name, re.IGNORECASE)
    if m:
        month = m.group(1).lower()
        number = next(n for name, n in MONTHS.items() if name.startswith(month))
        return f"{m.group(2)}-{number:02d}"
    return None


class KnomadRemittanceFlows(Source):
    id = "knomad_remittance_flows"
    short_name = "World Bank-KNOMAD"
    feeds = (
        "remittances_inflow_knomad_usd",
        "remittances_outflow_knomad_usd",
    )
    preference = 10
    recognition_order = 320
    title = "World Bank-KNOMAD annual remittance inflows and outflows"
    publisher = PUBLISHER
    licence = LICENCE
    citation = "World Bank-KNOMAD, remittance inflows and outflows ({edition})."
    homepage = "https://www.knomad.org/data/remittances"
    modelled = False
    downloads = (
        Download(
            "https://www.knomad.org/sites/default/files/2024-06/"
            "inward-remittance-flows-brief-40-june-2024_1.xlsx",
            "inward-remittance-flows-brief-40-june-2024_1.xlsx",
            "2024-06",
            "Remittance inflows, Migration and Development Brief 40 (June 2024)",
        ),
        Download(
            "https://www.knomad.org/sites/default/files/2024-06/"
            "outward-remittance-flows-brief-40-june-2024_0.xlsx",
            "outward-remittance-flows-brief-40-june-2024_0.xlsx",
            "2024-06",
            "Remittance outflows, Migration and Development Brief 40 (June 2024)",
        ),
        Download(
            "https://www.knomad.org/sites/default/files/2023-06/"
            "remittance_inflows_brief_38_june_2023_3.xlsx",
            "remittance_inflows_brief_38_june_2023_3.xlsx",
            "2023-06",
            "Remittance inflows, Migration and Development Brief 38 (June 2023)",
        ),
    )
    name_pattern = re.compile(
        r"remittance[\s_-]*(in|out)flows|(inward|outward)[\s_-]*remittance", re.IGNORECASE
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if not peek.is_workbook or peek.workbook() is None:
            return None
        names = peek.sheet_names
        candidates = [s for s in names if _FLOW_SHEET.search(s)]
        if not candidates and names:
            try:
                small = path.stat().st_size < SMALL_WORKBOOK
            except OSError:
                small = False
            candidates = names[:1] if small else []
        found = []
        for sheet in candidates:
            try:
                header = _flow_header(peek.sheet(sheet))
            except ParseError:
                continue
            if header is not None:
                found.append((sheet, *header))
        if found:
            return Match(self, path, "knomad-remittance-flows", {"sheets": found})
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        peek: FilePeek = match.context["peek"]
        out = TidyRows(path)
        resolve = name_resolver(harmoniser, path, aggregates=True)
        editions: set[str] = set()
        indicators: list[SourceIndicator] = []
        zeros = 0
        skipped_cols: list[str] = []
        estimates: list[str] = []
        for sheet, header, direction in match.context["sheets"]:
            rows = peek.sheet(sheet)
            edition, ind, n_zero, skipped, marked = self._parse_sheet(
                path, sheet, rows, header, direction, resolve, out
            )
            editions.add(edition)
            indicators.append(ind)
            zeros += n_zero
            skipped_cols += skipped
            estimates += marked
        if len(editions) > 1:
            raise ParseError(path, f"sheets dated differently: {sorted(editions)}")
        edition = editions.pop()
        note_parts = [
            "values converted from US$ million to US$",
            f"{zeros} zero cells not stored (0 marks years without data in these files)",
            f"estimates: {', '.join(sorted(set(estimates)))}" if estimates else "",
            f"columns not stored: {', '.join(skipped_cols)}" if skipped_cols else "",
        ]
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=out.to_table(),
            indicators=indicators,
            note="; ".join(p for p in note_parts if p),
        )

    def _parse_sheet(self, path, sheet, rows, header, direction, resolve, out: TidyRows):
        hdr = rows[header]
        label = re.sub(r"\s+", " ", str(hdr[0])).strip()
        factor = scale_of(label)
        if factor is None:
            raise ParseError(
                path,
                f"header {label!r} does not say the unit (US$ million?)",
                sheet=sheet,
                row=header + 1,
            )
        indicator = _FLOW_INDICATORS[direction]
        year_cols: list[tuple[int, int, str]] = []
        skipped: list[str] = []
        for j in range(1, len(hdr)):
            cell = hdr[j]
            if is_blank(cell):
                continue
            ym = _year_mark(cell, path, sheet, header + 1, j)
            if ym is None:
                skipped.append(f"{str(cell).strip()!r} ({sheet} {column_letter(j)})")
                continue
            year_cols.append((j, *ym))
        notes = {j: f"{YEAR_MARKS[mark]} ({year}{mark})" for j, year, mark in year_cols if mark}

        zeros = 0
        blank_seen = False
        last = header
        for i in range(header + 1, len(rows)):
            row = rows[i]
            name = row[0] if row else ""
            cells = [(j, year, cell_at(row, j)) for j, year, _ in year_cols]
            has_values = any(not is_blank(c) for _, _, c in cells)
            if is_blank(name):
                if has_values:
                    raise ParseError(
                        path, "row has values but no country name", sheet=sheet, row=i + 1
                    )
                blank_seen = True
                continue
            if not has_values:
                if not blank_seen:
                    resolve(str(name), sheet, i + 1)  # a country without data: still known
                continue
            last = i
            geo = resolve(str(name), sheet, i + 1)
            for j, year, cell in cells:
                value = value_at(cell, path, sheet, i + 1, j, hdr[j])
                if value is None:
                    continue
                if value == 0.0:
                    zeros += 1
                    continue
                out.add(
                    indicator,
                    geo,
                    year,
                    value * factor,
                    "US$",
                    sheet=sheet,
                    row=i + 1,
                    col=column_letter(j),
                    note=notes.get(j, ""),
                )
        footer = text_rows(rows, last + 1)
        edition = _flow_edition(path, sheet, footer)
        if edition is None:
            raise ParseError(
                path,
                "no 'Date: <Month> <Year>' line under the table (edition unknown)",
                sheet=sheet,
            )
        indicator_info = SourceIndicator(
            indicator=indicator,
            name=label,
            definition=" ".join(
                t for t in footer if not re.match(r"(date\s*:|when using the data)", t, re.I)
            ),
            unit="US$",
            source_note=next((t for t in footer if t.lower().startswith("when using")), PUBLISHER),
        )
        marked = [f"{year}{mark}" for _, year, mark in year_cols if mark]
        return edition, indicator_info, zeros, skipped, marked
