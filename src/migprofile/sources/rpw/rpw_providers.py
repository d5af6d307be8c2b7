"""World Bank Remittance Prices Worldwide, the provider-level dataset.

The workbook `rpw_dataset_2011_2023_q3.xlsx`: one row per provider service x corridor x
quarter, with `period` ('2016_2Q'), `source_code` (sending ISO3), `destination_code` (receiving
ISO3), `firm`, `firm_type`, `payment instrument` (legacy sheet: `product`), `access point`
(legacy: `sending location`), `pickup method` (legacy: `pick-up method`), `transparent`, and the
cost of sending US$200 (`cc1 total cost %`) and US$500 (`cc2 total cost %`). The workbook has
two data sheets ('Dataset (up to Q1 2016)' and 'Dataset (from Q2 2016)'); every sheet whose
header has those columns is read. A CSV with the same header is read the same way.

From the provider data each corridor-quarter value is the simple mean over the services surveyed
(one row of the workbook each), as the World Bank computes its corridor averages; services whose
`transparent` is 'no' (FX margin not disclosed, stored as 0) are left out, as the World Bank
leaves them out of its averages. Besides the overall means, the breakdowns the digital-remittances
debate turns on are stored under their own indicator ids (see BREAKDOWN_INDICATORS): digital-only
vs cash services (INSTRUMENT_WORDS) and the US$200 cost by type of firm (FIRM_TYPES).

See `_common` for the geography and the quarter rows.
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
    COST_500,
    LICENCE,
    UNIT,
    CorridorGeo,
    cell_text,
    header_key,
    is_blank,
    mean_note,
    parse_quarter,
    rows_csv,
)

# firm_type label (lower case, single spaces) → slug in rpw_cost_200_firm_<slug>_pct. Labels not
# listed are averaged under 'other', and the file's note names them.
FIRM_TYPES = {
    "bank": "bank",
    "banks": "bank",
    "money transfer operator": "mto",
    "money transfer operators": "mto",
    "mto": "mto",
    "post office": "post",
    "post": "post",
    "postal operator": "post",
    "mobile operator": "mno",
    "mobile network operator": "mno",
    "mno": "mno",
}

# How a service is classed from its instrument labels (payment instrument / product, access
# point / sending location, pickup method). Each label is split into tokens at commas,
# semicolons and ' to ' ('Account to Cash'); a token is 'cash' if it contains a CASH word, else
# 'digital' if it contains a DIGITAL word, else unknown; IGNORED tokens carry no information.
# A service is 'cash' when any token is cash (cash, or over the counter at a branch, agent or
# post office, at either end: services offering a cash option count as cash), 'digital' when
# every informative token is digital (sent online / from an account, card or mobile wallet and
# received into one: digital-only services), and unclassified otherwise (named in the note).
INSTRUMENT_WORDS = {
    "cash": (
        "cash",
        "counter",
        "branch",
        "agent",
        "post office",
        "walk-in",
        "walk in",
        "home delivery",
        "door",
        "money order",
        "cheque",
        "check",
    ),
    "digital": (
        "account",
        "card",
        "mobile",
        "wallet",
        "online",
        "internet",
        "web",
        "app",
        "digital",
        "e-money",
        "electronic",
        "phone",
        "sms",
        "email",
        "e-mail",
    ),
}
IGNORED_TOKENS = {"", "n/a", "na", "not available", "..", "-", "none", "other", "unknown"}

BREAKDOWN_INDICATORS = {
    "rpw_cost_200_digital_pct": "Cost of sending US$200 in a corridor, digital-only services",
    "rpw_cost_200_cash_pct": "Cost of sending US$200 in a corridor, cash services",
    "rpw_cost_500_digital_pct": "Cost of sending US$500 in a corridor, digital-only services",
    "rpw_cost_500_cash_pct": "Cost of sending US$500 in a corridor, cash services",
    "rpw_cost_200_firm_bank_pct": "Cost of sending US$200 in a corridor, banks",
    "rpw_cost_200_firm_mto_pct": "Cost of sending US$200 in a corridor, money transfer operators",
    "rpw_cost_200_firm_post_pct": "Cost of sending US$200 in a corridor, post offices",
    "rpw_cost_200_firm_mno_pct": "Cost of sending US$200 in a corridor, mobile operators",
    "rpw_cost_200_firm_other_pct": "Cost of sending US$200 in a corridor, other types of firm",
}

_EDITION_NAME = re.compile(r"rpw[_\- ]?dataset[_\- ]\d{4}[_\- ](\d{4})[_\- ]?q([1-4])", re.I)


# Column key (header_key of the header cell) → role; the first key present wins.
PROVIDER_COLUMNS = {
    "period": ("period",),
    "sending_code": ("sourcecode",),
    "sending_name": ("sourcename",),
    "receiving_code": ("destinationcode",),
    "receiving_name": ("destinationname",),
    "firm": ("firm", "firmname", "rsp"),
    "firm_type": ("firmtype",),
    "instrument": ("paymentinstrument", "product"),
    "access": ("accesspoint", "sendinglocation"),
    "pickup": ("pickupmethod",),
    "transparent": ("transparent",),
    "cc1": ("cc1totalcost",),
    "cc2": ("cc2totalcost",),
}
PROVIDER_REQUIRED = ("period", "sending_code", "receiving_code", "cc1")


def _provider_header(rows: list[list], limit: int = 5) -> tuple[int, dict[str, int]] | None:
    for i, row in enumerate(rows[:limit]):
        keys: dict[str, int] = {}
        for j, cell in enumerate(row):
            keys.setdefault(header_key(cell), j)
        cols = {}
        for role, candidates in PROVIDER_COLUMNS.items():
            for k in candidates:
                if k in keys:
                    cols[role] = keys[k]
                    break
        if all(r in cols for r in PROVIDER_REQUIRED):
            return i, cols
    return None


def instrument_class(*labels) -> tuple[str | None, list[str]]:
    """('Bank account', 'Online', 'Mobile money') → ('digital', []); unknown tokens listed."""
    kinds = set()
    unknown = []
    for label in labels:
        for token in re.split(r"[,;]|\bto\b", cell_text(label).lower()):
            token = re.sub(r"\s+", " ", token).strip()
            if token in IGNORED_TOKENS:
                continue
            if any(w in token for w in INSTRUMENT_WORDS["cash"]):
                kinds.add("cash")
            elif any(w in token for w in INSTRUMENT_WORDS["digital"]):
                kinds.add("digital")
            else:
                unknown.append(token)
    if "cash" in kinds:
        return "cash", unknown
    if kinds == {"digital"} and not unknown:
        return "digital", unknown
    return None, unknown


def firm_slug(label) -> str | None:
    key = re.sub(r"\s+", " ", cell_text(label).lower())
    if key in IGNORED_TOKENS:
        return None
    return FIRM_TYPES.get(key, "other")


class _Acc:
    """Running mean of one indicator for one corridor-quarter, with where its values came from."""

    __slots__ = ("col", "firms", "first", "last", "n", "sheet", "total")

    def __init__(self, sheet, col, line: int):
        self.total = 0.0
        self.n = 0
        self.firms: set[str] = set()
        self.first = line  # first and last row of the sheet that went into the mean
        self.last = line
        self.sheet = sheet
        self.col = col


class RpwProviders(Source):
    id = "rpw_providers"
    short_name = "World Bank RPW"
    feeds = (
        "remittance_cost_corridor_pct",
        "remittance_cost_corridor_500_pct",
        "rpw_cost_200_digital_pct",
        "rpw_cost_200_cash_pct",
        "rpw_cost_500_digital_pct",
        "rpw_cost_500_cash_pct",
        "rpw_cost_200_firm_bank_pct",
        "rpw_cost_200_firm_mto_pct",
        "rpw_cost_200_firm_post_pct",
        "rpw_cost_200_firm_mno_pct",
        "rpw_cost_200_firm_other_pct",
    )
    preference = 20
    recognition_order = 410
    title = "World Bank Remittance Prices Worldwide, provider-level dataset"
    publisher = "World Bank"
    licence = LICENCE
    citation = (
        "World Bank. Remittance Prices Worldwide, dataset {edition}. "
        "https://remittanceprices.worldbank.org"
    )
    homepage = (
        "https://datacatalog.worldbank.org/search/dataset/0037898/remittance-prices-worldwide"
    )
    downloads = ()  # the catalogue's file address changes with each release
    name_pattern = re.compile(r"rpw[_\- ]?dataset", re.I)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if peek.is_workbook:
            if peek.workbook() is None:
                return None
            sheets = []
            for sheet in peek.sheet_names:
                if "data" not in sheet.lower():
                    continue  # 'Terms of Use', 'Legend', 'Countries' are not read
                found = _provider_header(peek.sheet(sheet))
                if found is not None:
                    sheets.append(sheet)
            if sheets:
                return Match(self, path, "rpw-dataset-excel", {"sheets": sheets})
            return None
        if peek.suffix != ".csv":
            return None
        lines = peek.head_text().splitlines()[:5]
        try:
            rows = list(csv.reader(lines))
        except csv.Error:
            return None
        if _provider_header(rows) is not None:
            return Match(self, path, "rpw-dataset-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        geo = CorridorGeo(harmoniser, path)
        acc: dict[tuple, _Acc] = {}
        stats = {"services": 0, "non_transparent": 0, "unclassified": 0}
        unknown_tokens: set[str] = set()
        other_firms: set[str] = set()
        if match.layout == "rpw-dataset-excel":
            peek: FilePeek = match.context["peek"]
            for sheet in match.context["sheets"]:
                rows = [(i + 1, r) for i, r in enumerate(peek.sheet(sheet))]
                self._read(path, sheet, rows, geo, acc, stats, unknown_tokens, other_firms)
        else:
            rows = rows_csv(path)
            self._read(path, None, rows, geo, acc, stats, unknown_tokens, other_firms)
        if not acc:
            raise ParseError(path, "no cost values (cc1 total cost %) in any data row")

        out = TidyRows(path)
        by_year: dict[tuple, list[tuple[str, float, _Acc]]] = defaultdict(list)
        latest = (0, 0)
        for (indicator, receiving, sending, year, q), a in sorted(acc.items()):
            period = f"{year}Q{q}"
            latest = max(latest, (year, q))
            value = a.total / a.n
            out.add(
                indicator,
                receiving,
                year,
                value,
                UNIT,
                partner=sending,
                period=period,
                sheet=a.sheet,
                row=a.first,
                col=a.col,
                note=self._service_note(a),
            )
            by_year[(indicator, receiving, sending, year)].append((period, value, a))
        for (indicator, receiving, sending, year), got in by_year.items():
            first = got[0][2]
            services = sum(a.n for _, _, a in got)
            out.add(
                indicator,
                receiving,
                year,
                sum(v for _, v, _ in got) / len(got),
                UNIT,
                partner=sending,
                sheet=first.sheet,
                row=first.first,
                col=first.col,
                note=mean_note([p for p, _, _ in got]) + f"; {services} services in all",
            )

        m = _EDITION_NAME.search(path.name)
        data_edition = f"{latest[0]}Q{latest[1]}"
        notes = []
        if m:
            edition = f"{m.group(1)}Q{m.group(2)}"
            if edition != data_edition:
                notes.append(
                    f"file name says {edition}, latest quarter in the data is {data_edition}"
                )
        else:
            edition = data_edition
            notes.append("edition named by the latest quarter in the data")
        notes.append(f"{stats['services']} services read")
        if stats["non_transparent"]:
            notes.append(
                f"{stats['non_transparent']} non-transparent services (transparent = 'no': FX "
                "margin not disclosed) left out of every mean, as the World Bank does"
            )
        if stats["unclassified"]:
            notes.append(
                f"{stats['unclassified']} services neither digital-only nor cash"
                + (f" (labels: {', '.join(sorted(unknown_tokens)[:20])})" if unknown_tokens else "")
            )
        if other_firms:
            notes.append("firm types averaged as 'other': " + ", ".join(sorted(other_firms)[:20]))
        notes.extend(sorted(set(geo.notes.values())))
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=out.to_table(),
            indicators=self._indicators(),
            note="; ".join(notes),
        )

    @staticmethod
    def _service_note(a: _Acc) -> str:
        rows = f"row {a.first}" if a.first == a.last else f"rows {a.first}–{a.last}"
        s = "s" if a.n != 1 else ""
        f = "s" if len(a.firms) != 1 else ""
        return f"mean of {a.n} service{s} from {len(a.firms)} provider{f} ({rows})"

    def _read(self, path, sheet, rows, geo, acc, stats, unknown_tokens, other_firms):
        """Add each service of one sheet (rows: (line, cells)) to the corridor-quarter means."""
        found = _provider_header([r for _, r in rows[:5]])
        if found is None:
            raise ParseError(
                path,
                "header with period, source_code, destination_code and 'cc1 total cost %' not "
                "found in the first 5 rows (layout changed?)",
                sheet=sheet,
            )
        hi, cols = found
        header = rows[hi][1]
        excel = sheet is not None

        def col_name(role):
            j = cols[role]
            return column_letter(j) if excel else cell_text(header[j])

        width = max(cols.values()) + 1
        classes: dict[tuple, tuple[str | None, list[str]]] = {}  # few label combinations
        slugs: dict = {}
        periods: dict = {}
        for line, row in rows[hi + 1 :]:
            if all(is_blank(c) for c in row):
                continue
            if len(row) < width:
                row = list(row) + [""] * (width - len(row))
            cell = row[cols["period"]]
            if cell not in periods:
                periods[cell] = parse_quarter(cell)
            quarter = periods[cell]
            if quarter is None:
                raise ParseError(
                    path,
                    f"period {cell_text(row[cols['period']])!r} is not a quarter such as '2016_2Q' "
                    f"(column {col_name('period')})",
                    sheet=sheet,
                    row=line,
                )
            costs = {}
            for role in ("cc1", "cc2"):
                if role in cols:
                    try:
                        costs[role] = to_number(row[cols[role]])
                    except ValueError as exc:
                        raise ParseError(
                            path,
                            f"{exc} (column {cell_text(header[cols[role]])}"
                            + (f", cell {column_letter(cols[role])}{line}" if excel else "")
                            + ")",
                            sheet=sheet,
                            row=line,
                        ) from None
            receiving, sending = geo.corridor(
                row, cols, sheet, line, ("receiving (destination)", "sending (source)")
            )
            stats["services"] += 1
            if "transparent" in cols and cell_text(row[cols["transparent"]]).lower() == "no":
                stats["non_transparent"] += 1
                continue
            labels = tuple(row[cols[r]] for r in ("instrument", "access", "pickup") if r in cols)
            if labels not in classes:
                classes[labels] = instrument_class(*labels)
            kind, unknown = classes[labels]
            if kind is None:
                stats["unclassified"] += 1
                unknown_tokens.update(unknown)
            firm_type = row[cols["firm_type"]] if "firm_type" in cols else None
            if firm_type not in slugs:
                slugs[firm_type] = firm_slug(firm_type) if "firm_type" in cols else None
            slug = slugs[firm_type]
            if slug == "other":
                other_firms.add(cell_text(row[cols["firm_type"]]))
            firm = cell_text(row[cols["firm"]]).casefold() if "firm" in cols else f"row {line}"
            year, q = quarter
            targets = []
            if costs.get("cc1") is not None:
                targets.append((COST_200, "cc1"))
                if kind:
                    targets.append((f"rpw_cost_200_{kind}_pct", "cc1"))
                if slug:
                    targets.append((f"rpw_cost_200_firm_{slug}_pct", "cc1"))
            if costs.get("cc2") is not None:
                targets.append((COST_500, "cc2"))
                if kind:
                    targets.append((f"rpw_cost_500_{kind}_pct", "cc2"))
            for indicator, role in targets:
                key = (indicator, receiving, sending, year, q)
                a = acc.get(key)
                if a is None:
                    a = acc[key] = _Acc(sheet, col_name(role), line)
                a.total += costs[role]
                a.n += 1
                a.firms.add(firm or f"row {line}")
                a.first = min(a.first, line)
                a.last = max(a.last, line)

    @staticmethod
    def _indicators() -> list[SourceIndicator]:
        base = [
            SourceIndicator(
                COST_200,
                "Average total cost of sending US$200 in the corridor",
                definition="Mean of 'cc1 total cost %' over the transparent services surveyed",
                unit=UNIT,
            ),
            SourceIndicator(
                COST_500,
                "Average total cost of sending US$500 in the corridor",
                definition="Mean of 'cc2 total cost %' over the transparent services surveyed",
                unit=UNIT,
            ),
        ]
        return base + [
            SourceIndicator(k, v, unit=UNIT, definition="Mean over the services of that kind")
            for k, v in BREAKDOWN_INDICATORS.items()
        ]
