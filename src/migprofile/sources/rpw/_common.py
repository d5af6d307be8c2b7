"""What the two Remittance Prices Worldwide sources share: publisher facts, quarter and header
parsing, reading CSVs, and the corridor geography (codes beat names).

- `rpw_corridors`: the DataBank export of "Remittance Prices Worldwide (Corridors)";
- `rpw_providers`: the full provider-level workbook (or a CSV with its header).

Both give geo = receiving country, partner = sending country, unit '%'. Quarters are kept as
periods ('2020Q3'); each (corridor, year) also gets an annual row (period '') whose value is the
mean of that year's available quarters, the note saying which.

Neither source has a stable download URL: DataBank exports are made on request, and the
provider workbook's address on the World Bank data catalogue changes with every release. Files
come from --raw-dir.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import MigprofileError, ParseError
from migprofile.geo import Harmoniser
from migprofile.geo.resolver import CodeScheme, GeoResolver, GeoTables
from migprofile.sources.base import read_csv

LICENCE = "CC BY 4.0"
UNIT = "%"
COST_200 = "remittance_cost_corridor_pct"
COST_500 = "remittance_cost_corridor_500_pct"

# RPW's own codes that are not ISO 3166-1 alpha-3.
CODE_ALIASES = {"KSV": "XKX", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}

_QUARTER = re.compile(
    r"^\s*(?:((?:19|20)\d\d)\s*[_\-. ]?\s*(?:Q([1-4])|([1-4])Q)"
    r"|Q([1-4])\s*[_\-. ]?\s*((?:19|20)\d\d))"
    r"\s*(?:\[\s*YR\s*\d{4}\s*Q[1-4]\s*\])?\s*$",
    re.IGNORECASE,
)
QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}


def parse_quarter(cell) -> tuple[int, int] | None:
    """'2020Q3', '2020Q3 [YR2020Q3]', '2016_2Q', '2016 Q2', 'Q2 2016' → (year, quarter)."""
    if cell is None or isinstance(cell, (bool, int, float)):
        return None
    m = _QUARTER.match(str(cell))
    if not m:
        return None
    if m.group(1):
        return int(m.group(1)), int(m.group(2) or m.group(3))
    return int(m.group(5)), int(m.group(4))


def header_key(cell) -> str:
    """'Receiving Countries  Code' → 'receivingcountriescode', 'cc1 total cost %' → 'cc1totalcost'.

    Spaces, case, '_', '-' and '%' do not matter, so DataBank's and the workbook's variants match.
    """
    return re.sub(r"[^a-z0-9]+", "", str(cell or "").lower())


def is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


GEO_TABLES = GeoTables(
    codes=CodeScheme(
        countries="iso3", known=("wb",), aliases=CODE_ALIASES, special={"WLD": "world"}
    )
)


class CorridorGeo:
    """Sending and receiving codes (with their names) → geo ids, cached; notes what it inferred.

    Codes beat names: ISO3 countries, RPW's own codes (CODE_ALIASES), World Bank aggregate codes
    known from earlier ingests; otherwise the name, which the note records.
    """

    def __init__(self, h: Harmoniser, path: Path):
        self.r = GeoResolver(h, path, GEO_TABLES)
        self.path = path
        self.notes = self.r.notes

    def __call__(self, code, name, role: str, sheet: str | None, row: int) -> str:
        code_text = cell_text(code).upper()
        name_text = cell_text(name)
        key = (code_text, name_text)
        geo = self.r.cache.get(key)
        if geo is None:
            geo = self._resolve(code_text, name_text, role, sheet, row)
            self.r.cache[key] = geo
        return geo

    def corridor(
        self, row: list, cols: dict[str, int], sheet: str | None, line: int, labels=("", "")
    ) -> tuple[str, str]:
        """(receiving, sending) geo ids of a row; `labels` name the roles in error messages."""

        def side(role: str, label: str) -> str:
            name_col = cols.get(f"{role}_name")
            return self(row[cols[f"{role}_code"]], row[name_col] if name_col is not None else "",
                        label or role, sheet, line)  # fmt: skip

        return side("receiving", labels[0]), side("sending", labels[1])

    def _resolve(self, code: str, name: str, role: str, sheet, row) -> str:
        if not code and not name:
            raise ParseError(self.path, f"no {role} country code or name", sheet=sheet, row=row)
        if code:
            geo = self.r.code(code)
            if geo:
                return geo
        if name:
            try:
                geo = self.r.name(name)
            except MigprofileError:
                geo = None
            if geo:
                if code:
                    self.notes[code] = f"code {code} ({name}) not ISO3: read by name as {geo}"
                return geo
        shown = f"{code!r}" + (f" ({name})" if name else "") if code else repr(name)
        raise ParseError(
            self.path,
            f"unknown {role} country code {shown}: neither an ISO3 code nor a known name",
            sheet=sheet,
            row=row,
        )


def mean_note(quarters: list[str]) -> str:
    n = len(quarters)
    return f"mean of {n} quarter{'s' if n != 1 else ''} ({', '.join(quarters)})"


def rows_csv(path: Path) -> list[tuple[int, list]]:
    """(line number, cells) for each CSV record, the header's included; the BOM is dropped.

    Single-cell lines (DataBank's footer) may be shorter than the header; other short rows are
    a truncated file (see read_csv).
    """
    try:
        table = read_csv(path, short_ok=lambda row: all(is_blank(c) for c in row[1:]))
    except UnicodeDecodeError:
        table = read_csv(
            path, encoding="latin-1", short_ok=lambda row: all(is_blank(c) for c in row[1:])
        )
    if not table.header:
        return []
    return [*table.preamble, (table.header_line, table.header), *table.rows]
