"""World Bank Remittance Prices Worldwide (RPW): the cost of sending money, corridor by corridor.

Two sources, two ways the World Bank publishes the same survey:

- `rpw_corridors`: the DataBank export of "Remittance Prices Worldwide (Corridors)" (CSV, or the
  Excel download with its `Data` sheet): one row per sending x receiving country x series, one
  column per quarter (`2020Q3 [YR2020Q3]`), `..` where nothing was surveyed, then footer lines
  `Data from database: ...` and `Last Updated: MM/DD/YYYY`. Series `ATCR.CORR` ("Average Total
  Cost to remit in corridor", the cost of sending US$200) becomes `remittance_cost_corridor_pct`;
  series listed in SERIES are mapped, any other series is skipped and named in the file's note.
- `rpw_providers`: the full provider-level workbook (`rpw_dataset_2011_2023_q3.xlsx`): one row
  per provider service x corridor x quarter, with `period` ('2016_2Q'), `source_code` (sending
  ISO3), `destination_code` (receiving ISO3), `firm`, `firm_type`, `payment instrument` (legacy
  sheet: `product`), `access point` (legacy: `sending location`), `pickup method` (legacy:
  `pick-up method`), `transparent`, and the cost of sending US$200 (`cc1 total cost %`) and
  US$500 (`cc2 total cost %`). The workbook has two data sheets ('Dataset (up to Q1 2016)' and
  'Dataset (from Q2 2016)'); every sheet whose header has those columns is read. A CSV with the
  same header is read the same way.

Both give geo = receiving country, partner = sending country, unit '%'. Quarters are kept as
periods ('2020Q3'); each (corridor, year) also gets an annual row (period '') whose value is the
mean of that year's available quarters, the note saying which.

From the provider data each corridor-quarter value is the simple mean over the services surveyed
(one row of the workbook each), as the World Bank computes its corridor averages; services whose
`transparent` is 'no' (FX margin not disclosed, stored as 0) are left out, as the World Bank
leaves them out of its averages. Besides the overall means, the breakdowns the digital-remittances
debate turns on are stored under their own indicator ids (see BREAKDOWN_INDICATORS): digital-only
vs cash services (INSTRUMENT_WORDS) and the US$200 cost by type of firm (FIRM_TYPES).

Country codes beat names: ISO3 countries as they are; RPW's own non-ISO codes through
CODE_ALIASES (Kosovo is 'KSV'); World Bank aggregate codes known from earlier ingests; otherwise
the name is resolved, which the file's note records. A code and name that resolve to nothing is
an error naming the file and row.

Neither source has a stable download URL: DataBank exports are made on request, and the
provider workbook's address on the World Bank data catalogue changes with every release. Files
come from --raw-dir.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from pathlib import Path

from migprofile.errors import MigprofileError, ParseError
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

LICENCE = "CC BY 4.0"
UNIT = "%"
COST_200 = "remittance_cost_corridor_pct"
COST_500 = "remittance_cost_corridor_500_pct"

# DataBank series code → catalogue indicator. Any other series is skipped (named in the note).
SERIES = {"ATCR.CORR": COST_200}

# RPW's own codes that are not ISO 3166-1 alpha-3.
CODE_ALIASES = {"KSV": "XKX", "ROM": "ROU", "ZAR": "COD", "TMP": "TLS"}

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
FIRM_SLUGS = ("bank", "mto", "post", "mno", "other")

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

_QUARTER = re.compile(
    r"^\s*(?:((?:19|20)\d\d)\s*[_\-. ]?\s*(?:Q([1-4])|([1-4])Q)"
    r"|Q([1-4])\s*[_\-. ]?\s*((?:19|20)\d\d))"
    r"\s*(?:\[\s*YR\s*\d{4}\s*Q[1-4]\s*\])?\s*$",
    re.IGNORECASE,
)
_LAST_UPDATED = re.compile(r"last\s+updated\s*:?\s*(\d{1,2})/(\d{1,2})/(\d{4})", re.I)
_DATABASE = re.compile(r"data\s+from\s+database\s*:\s*(.+)", re.I)
_EDITION_NAME = re.compile(r"rpw[_\- ]?dataset[_\- ]\d{4}[_\- ](\d{4})[_\- ]?q([1-4])", re.I)
_QUARTER_END = {1: "03-31", 2: "06-30", 3: "09-30", 4: "12-31"}


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


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


class _Geo:
    """Sending and receiving codes (with their names) → geo ids, cached; notes what it inferred."""

    def __init__(self, h: Harmoniser, path: Path):
        self.h = h
        self.path = path
        self.cache: dict[tuple[str, str], str] = {}
        self.notes: dict[str, str] = {}

    def __call__(self, code, name, role: str, sheet: str | None, row: int) -> str:
        code_text = _text(code).upper()
        name_text = _text(name)
        key = (code_text, name_text)
        geo = self.cache.get(key)
        if geo is None:
            geo = self._resolve(code_text, name_text, role, sheet, row)
            self.cache[key] = geo
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
        h = self.h
        if not code and not name:
            raise ParseError(self.path, f"no {role} country code or name", sheet=sheet, row=row)
        if code:
            geo = h.country_by_iso3(code)
            if geo:
                return geo
            alias = CODE_ALIASES.get(code)
            if alias and h.country_by_iso3(alias):
                self.notes[code] = f"code {code} read as {alias}"
                return alias
            if code == "WLD":
                return "world"
            known = h.by_code("wb", code)
            if known:
                return known
        if name:
            try:
                geo = h.resolve_name(name)
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


def _mean_note(quarters: list[str]) -> str:
    n = len(quarters)
    return f"mean of {n} quarter{'s' if n != 1 else ''} ({', '.join(quarters)})"


# --- DataBank corridor export -----------------------------------------------------------------


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


def _databank_rows_csv(path: Path) -> list[tuple[int, list]]:
    """(line number, cells) for each CSV record; the BOM is dropped."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        text = path.read_text(encoding="latin-1")
    reader = csv.reader(io.StringIO(text, newline=""))
    out = []
    line = 1
    try:
        for rec in reader:
            out.append((line, rec))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise ParseError(path, f"not a readable CSV ({exc})", row=line) from None
    return out


class RpwCorridorsDataBank(Source):
    id = "rpw_corridors"
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
            rows = _databank_rows_csv(path)
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
        quarters = [(j, q) for j, c in enumerate(header) if (q := parse_quarter(c)) is not None]
        if not quarters:
            raise ParseError(
                path,
                "no quarter columns ('2020Q3 [YR2020Q3]') in the header",
                sheet=sheet,
                row=header_line,
            )
        labels = {j: _text(header[j]) for j, _ in quarters}
        geo = _Geo(harmoniser, path)
        out = TidyRows(path)
        skipped: dict[str, int] = defaultdict(int)
        series_names: dict[str, str] = {}
        database = ""
        updated: tuple[str, str] | None = None
        footer = False
        width = max(j for j, _ in quarters) + 1
        for line, row in rows[hi + 1 :]:
            if all(_blank(c) for c in row):
                footer = True  # DataBank puts its footer after blank lines
                continue
            first = _text(row[0]) if row else ""
            rest_blank = all(_blank(c) for c in row[1:])
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
            code = _text(row[cols["series_code"]]).upper()
            indicator = SERIES.get(code)
            if indicator is None:
                if not code:
                    raise ParseError(path, "empty Series Code", sheet=sheet, row=line)
                skipped[code] += 1
                continue
            if code not in series_names:
                series_names[code] = (
                    _text(row[cols["series_name"]]) if "series_name" in cols else ""
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
                    note=_mean_note([p for p, _, _ in got]),
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
            year, q = max(q for _, q in quarters)
            edition, order = f"{year}Q{q}", f"{year}-{_QUARTER_END[q]}"
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


# --- provider-level dataset -------------------------------------------------------------------

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
        keys = {}
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
        for token in re.split(r"[,;]|\bto\b", _text(label).lower()):
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
    key = re.sub(r"\s+", " ", _text(label).lower())
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


class RpwDataset(Source):
    id = "rpw_providers"
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
        geo = _Geo(harmoniser, path)
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
            rows = _databank_rows_csv(path)
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
                note=_mean_note([p for p, _, _ in got]) + f"; {services} services in all",
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
            return column_letter(j) if excel else _text(header[j])

        width = max(cols.values()) + 1
        classes: dict[tuple, tuple[str | None, list[str]]] = {}  # few label combinations
        slugs: dict = {}
        periods: dict = {}
        for line, row in rows[hi + 1 :]:
            if all(_blank(c) for c in row):
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
                    f"period {_text(row[cols['period']])!r} is not a quarter such as '2016_2Q' "
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
                            f"{exc} (column {_text(header[cols[role]])}"
                            + (f", cell {column_letter(cols[role])}{line}" if excel else "")
                            + ")",
                            sheet=sheet,
                            row=line,
                        ) from None
            receiving, sending = geo.corridor(
                row, cols, sheet, line, ("receiving (destination)", "sending (source)")
            )
            stats["services"] += 1
            if "transparent" in cols and _text(row[cols["transparent"]]).lower() == "no":
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
                other_firms.add(_text(row[cols["firm_type"]]))
            firm = _text(row[cols["firm"]]).casefold() if "firm" in cols else f"row {line}"
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
