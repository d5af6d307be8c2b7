"""World Bank country classifications: CLASS.xlsx (each economy's income group, region and
lending category for one fiscal year) and OGHIST.xlsx (each economy's income group in every
fiscal year since FY89).

The values are categories, not numbers, so they are stored as per-geo attributes
(`ParsedFile.geo_attributes`, read back with `store.geo_attributes(*keys)`), never as
observations. Every key names the fiscal year it classifies:

- from OGHIST, `wb_income_group_FY2023` → 'L', 'LM', 'UM' or 'H', or '' where the economy was
  not classified that year ('..' and blank cells: no data, not yet or no longer an economy, or
  'temporarily unclassified', as Venezuela since FY22);
- from CLASS, `wb_class_income_group_FY2023` (its income-group names turned into the same
  codes), `wb_region_FY2023`, `wb_lending_category_FY2023` ('IBRD', 'IDA', 'Blend') and
  `wb_other_group_FY2023` ('EMU', 'HIPC'), the last three where the cell is filled.

Why dated keys: the World Bank fixes each year's classification on 1 July and never revises
it, so a key's value is the same in every file that has it, and files of different editions
(CLASS FY2023, OGHIST to FY2026) add up instead of competing. The store reads attributes
without their vintage, so an undated key ('income_group') would come back once per file with no
way to tell which is current. CLASS's group has a key of its own because a copy of CLASS can
disagree with the history (the stored FY2023 CLASS, re-saved by a third party, lists Venezuela
as lower middle income; OGHIST and CLASS's own Notes say it was unclassified):
`income_history` takes OGHIST's year where both have it, CLASS's for years OGHIST lacks.
`income_group_keys`, `income_history` and `income_group_since` read them back for a line
such as "upper-middle income since FY2022".

Layouts, found by content:
- `wb-class-xlsx`: a sheet ('List of economies') with the header `Economy, Code, Region, Income
  group, Lending category, Other (EMU or HIPC)`, and a 'Notes' sheet. Edition: the fiscal year
  the Notes say the groups are in effect for ('Income classifications set on 1 July 2022 remain
  in effect until 1 July 2023' → 'FY2023', edition_order '2022-07-01'). The FY2023 file's Notes
  also say the groups follow '2022 GNI', which would be FY2024; the dates decide (its groups
  equal OGHIST's FY23 column for 217 of 218 economies) and the note says so. 'Groups' (the
  memberships of every World Bank aggregate) is not read: WDI's country metadata gives the
  region and income memberships.
- `wb-oghist-xlsx`: sheet 'Country Analytical History': title and threshold rows, a row
  "Bank's fiscal year: FY89 ... FY26" (the header), then one row per economy (code, name, one
  code per fiscal year). Edition: the latest fiscal year of the header ('FY2026', edition_order
  '2025-07-01'); a date in the file name (OGHIST_2025_10_07) is given in the note. Its
  'Parameters' sheet (FY21 in the 2025 file) is stale and not read; the thresholds, lending
  history and indebtedness sheets are not read either.

Codes: L, LM, UM, H; '..' and blank → ''; a footnoted code ('LM*': Yemen FY89-90, the two
Yemens combined) is stored without its mark and the note lists it. Anything else is a
ParseError naming sheet, row and column. Economies are matched by code; a code the geo table
does not know is an error, except former economies ('Czechoslovakia (former)'), which are left
out and listed in the note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.geo.worldbank import WB_AGGREGATE_CODES
from migprofile.sources.base import FilePeek, Match, ParsedFile, Source, TidyRows, column_letter

INCOME_GROUP = "wb_income_group"  # OGHIST, the World Bank's record of every year
CLASS_INCOME_GROUP = "wb_class_income_group"  # CLASS, one year
REGION = "wb_region"
LENDING_CATEGORY = "wb_lending_category"
OTHER_GROUP = "wb_other_group"
FIRST_FISCAL_YEAR = 1989  # OGHIST's first income classification (FY89, 1987 GNI)

INCOME_CODES = ("L", "LM", "UM", "H")
INCOME_GROUP_NAMES = {
    "L": "Low income",
    "LM": "Lower middle income",
    "UM": "Upper middle income",
    "H": "High income",
}
_CODE_OF_NAME = {name.lower(): code for code, name in INCOME_GROUP_NAMES.items()}
NOT_CLASSIFIED = ("..", "")  # OGHIST: no data / not classified that year
LENDING_CATEGORIES = ("IBRD", "IDA", "Blend")

CLASS_COLUMNS = ("economy", "code", "region", "income group", "lending category")
HISTORY_SHEET = "Country Analytical History"
_FY = re.compile(r"^FY\s?(\d{2}|\d{4})$", re.I)
_SET_ON = re.compile(
    r"set on 1 July (\d{4}),? remain(?:s)? in effect until 1 July (\d{4})", re.I | re.S
)
_UNTIL = re.compile(r"in effect until 1 July (\d{4})", re.I)
_GNI_YEAR = re.compile(r"according to (\d{4}) gross national income", re.I)
_NAME_FY = re.compile(r"FY[-_ ]?(\d{4}|\d{2})(?!\d)", re.I)
_NAME_DATE = re.compile(r"((?:19|20)\d\d)[-_]?(\d\d)[-_]?(\d\d)(?!\d)")


def fy_key(prefix: str, fiscal_year: int) -> str:
    """`fy_key('wb_income_group', 2023)` → 'wb_income_group_FY2023'."""
    return f"{prefix}_FY{fiscal_year}"


def fiscal_year(text: str) -> int:
    """'FY89' → 1989, 'FY26' → 2026, 'FY2023' → 2023 (two digits: 70-99 are 19xx)."""
    m = _FY.match(str(text).strip())
    if m is None:
        raise ValueError(f"{text!r} is not a fiscal year such as FY23 or FY2023")
    digits = m.group(1)
    if len(digits) == 4:
        return int(digits)
    n = int(digits)
    return 1900 + n if n >= 70 else 2000 + n


def fiscal_year_keys(
    prefix: str = INCOME_GROUP, first: int = FIRST_FISCAL_YEAR, last: int | None = None
) -> tuple[str, ...]:
    """The keys of every fiscal year from `first` to `last` (default: next year's FY), to
    pass to `store.geo_attributes(*keys)`."""
    last = last if last is not None else date.today().year + 2
    return tuple(fy_key(prefix, fy) for fy in range(first, last + 1))


def by_fiscal_year(
    rows: Iterable[tuple[str, str, str]], prefix: str = INCOME_GROUP
) -> dict[str, dict[str, str]]:
    """(geo, key, value) rows (as `store.geo_attributes` returns them) → {geo: {'FY2023':
    value}} for the keys with this prefix. Two files that disagree on one year: the later row
    wins."""
    out: dict[str, dict[str, str]] = {}
    start = f"{prefix}_"
    for geo, key, value in rows:
        if key.startswith(start):
            try:
                fy = fiscal_year(key[len(start) :])
            except ValueError:
                continue
            out.setdefault(geo, {})[f"FY{fy}"] = value
    return out


def income_group_keys(first: int = FIRST_FISCAL_YEAR, last: int | None = None) -> tuple[str, ...]:
    """Every key `income_history` reads: `store.geo_attributes(*income_group_keys())`."""
    return fiscal_year_keys(INCOME_GROUP, first, last) + fiscal_year_keys(
        CLASS_INCOME_GROUP, first, last
    )


def income_history(rows: Iterable[tuple[str, str, str]]) -> dict[str, dict[str, str]]:
    """{geo: {'FY2023': 'UM', ...}} from stored attributes: OGHIST's year where it has one,
    CLASS's for the years it lacks (a CLASS newer than the last OGHIST)."""
    rows = list(rows)
    history = by_fiscal_year(rows, INCOME_GROUP)
    for geo, years in by_fiscal_year(rows, CLASS_INCOME_GROUP).items():
        merged = history.setdefault(geo, {})
        for fy, value in years.items():
            merged.setdefault(fy, value)
    return history


def income_group_since(history: Mapping[str, str]) -> tuple[str, str]:
    """(group, first FY of the current run) of an economy's history {'FY2023': 'UM', ...}:
    the group of its latest fiscal year and the first year of the unbroken run of that group
    leading to it ('UM', 'FY2023'). '' as group: not classified since that year. A year
    missing from the history ends the run (nothing is assumed about it)."""
    years = sorted((fiscal_year(fy), value) for fy, value in history.items())
    if not years:
        raise ValueError("no fiscal year in the history")
    latest_year, group = years[-1]
    since = latest_year
    for fy, value in reversed(years[:-1]):
        if fy != since - 1 or value != group:
            break
        since = fy
    return group, f"FY{since}"


class WbIncomeGroups(Source):
    id = "wb_income_groups"
    short_name = "World Bank country classifications"
    title = "World Bank country and lending groups (CLASS) and income classification history"
    publisher = "World Bank"
    licence = "CC BY 4.0"
    citation = "World Bank. Country and lending groups, income classifications ({edition})."
    homepage = (
        "https://datahelpdesk.worldbank.org/knowledgebase/articles/"
        "906519-world-bank-country-and-lending-groups"
    )
    feeds = ()  # categories, stored as geo attributes: no catalogue indicator
    preference = 10
    recognition_order = 750
    # The files move between World Bank hosts from year to year (databank, then ddh/datacatalog
    # files); a download that failed would stop an online ingest, so users bring them.
    downloads = ()
    name_pattern = re.compile(r"^(class|oghist)([-_. ]|$)", re.I)
    name_suffixes = (".xlsx", ".xls")

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if not peek.is_workbook or peek.workbook() is None:
            return None
        names = peek.sheet_names
        for sheet in sorted(names, key=lambda n: n != HISTORY_SHEET):  # the history sheet first
            rows = peek.sheet(sheet)
            header = _class_header(rows)
            if header is not None:
                return Match(self, path, "wb-class-xlsx", {"sheet": sheet, "header": header})
            if _history_header(rows) is not None:
                return Match(self, path, "wb-oghist-xlsx", {"sheet": sheet})
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        peek: FilePeek = match.context["peek"]
        if match.layout == "wb-class-xlsx":
            edition, order, attributes, note = _parse_class(peek, match, harmoniser)
        elif match.layout == "wb-oghist-xlsx":
            edition, order, attributes, note = _parse_history(peek, match, harmoniser)
        else:
            raise ParseError(match.path, f"unknown World Bank classification layout {match.layout}")
        return ParsedFile(
            path=match.path,
            source=self.id,
            edition=edition,
            edition_order=order,
            layout=match.layout,
            table=TidyRows(match.path).to_table(),
            geo_attributes=attributes,
            note=note,
        )


# --- CLASS ---------------------------------------------------------------------------------


def _norm(cell) -> str:
    return re.sub(r"\s+", " ", str(cell or "").replace("\u00a0", " ")).strip().lower()


def _class_header(rows: list[list]) -> int | None:
    """The index of the 'Economy, Code, Region, Income group, Lending category' row."""
    for i, row in enumerate(rows[:10]):
        if set(CLASS_COLUMNS) <= {_norm(c) for c in row}:
            return i
    return None


def _class_fiscal_year(peek: FilePeek, path: Path) -> tuple[int, str]:
    """(fiscal year, note) from the Notes sheet's dates, else from an FY in the file name."""
    texts = []
    for sheet in peek.sheet_names:
        if _norm(sheet) == "notes":
            texts = [str(c) for row in peek.sheet(sheet) for c in row if c not in ("", None)]
    notes = " ".join(texts)
    m = _SET_ON.search(notes)
    if m:
        fy, why = int(m.group(2)), f"classifications set on 1 July {m.group(1)}"
    elif m := _UNTIL.search(notes):
        fy, why = int(m.group(1)), f"classifications in effect until 1 July {m.group(1)}"
    elif m := _NAME_FY.search(path.stem):
        fy, why = fiscal_year(f"FY{m.group(1)}"), "fiscal year from the file name"
    else:
        raise ParseError(
            path,
            "no fiscal year: the Notes sheet does not say when the classifications were set "
            "('Income classifications set on 1 July YYYY remain in effect until 1 July YYYY')",
            sheet="Notes",
        )
    note = f"FY{fy} ({why})"
    gni = _GNI_YEAR.search(notes)
    if gni and int(gni.group(1)) + 2 != fy:
        note += (
            f"; the Notes also say the groups follow {gni.group(1)} GNI, which would be "
            f"FY{int(gni.group(1)) + 2}: the dates decide"
        )
    return fy, note


def _economy_geo(
    h: Harmoniser, code: str, name: str, path: Path, sheet: str, line: int, seen: dict[str, int]
) -> str | None:
    """The geo of an economy code, recorded in `seen` (geo → line): an economy listed twice is
    a ParseError; None for a former economy the geo table does not have."""
    geo = h.country_by_iso3(code.upper())
    if geo is None:
        if name.strip().lower().endswith("(former)"):
            return None
        raise ParseError(
            path,
            f"economy code {code!r} ({name or 'no name'}) is not a country the geo table knows",
            sheet=sheet,
            row=line,
        )
    if geo in seen:
        raise ParseError(
            path, f"{code} listed twice (rows {seen[geo]} and {line})", sheet=sheet, row=line
        )
    seen[geo] = line
    return geo


def _parse_class(
    peek: FilePeek, match: Match, h: Harmoniser
) -> tuple[str, str, list[tuple[str, str, str]], str]:
    path, sheet, hi = match.path, match.context["sheet"], match.context["header"]
    rows = peek.sheet(sheet)
    fy, fy_note = _class_fiscal_year(peek, path)
    names = [_norm(c) for c in rows[hi]]
    col = {n: names.index(n) for n in CLASS_COLUMNS}
    c_other = next((j for j, n in enumerate(names) if n.startswith("other")), None)
    attributes: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    left_out: list[str] = []
    for i in range(hi + 1, len(rows)):
        row = list(rows[i]) + [""] * (len(names) - len(rows[i]))
        line = i + 1
        if all(c in ("", None) for c in row):
            continue
        code = str(row[col["code"]] or "").strip()
        name = str(row[col["economy"]] or "").strip()
        if not code:
            raise ParseError(path, f"economy {name!r} has no code", sheet=sheet, row=line)
        if code.upper() in WB_AGGREGATE_CODES and h.country_by_iso3(code.upper()) is None:
            left_out.append(code)  # an aggregate row (older editions list them below)
            continue
        geo = _economy_geo(h, code, name, path, sheet, line, seen)
        if geo is None:
            left_out.append(code)
            continue
        income = _norm(row[col["income group"]])
        group = _CODE_OF_NAME.get(income, "" if not income else None)
        if group is None:
            raise ParseError(
                path,
                f"income group {row[col['income group']]!r} is not one of "
                f"{', '.join(INCOME_GROUP_NAMES.values())} (column "
                f"{column_letter(col['income group'])})",
                sheet=sheet,
                row=line,
            )
        attributes.append((geo, fy_key(CLASS_INCOME_GROUP, fy), group))
        lending = str(row[col["lending category"]] or "").strip()
        if lending and lending not in LENDING_CATEGORIES:
            raise ParseError(
                path,
                f"lending category {lending!r} is not IBRD, IDA or Blend (column "
                f"{column_letter(col['lending category'])})",
                sheet=sheet,
                row=line,
            )
        region = str(row[col["region"]] or "").strip()
        other = str(row[c_other] or "").strip() if c_other is not None else ""
        for prefix, value in ((REGION, region), (LENDING_CATEGORY, lending), (OTHER_GROUP, other)):
            if value:
                attributes.append((geo, fy_key(prefix, fy), value))
    if not seen:
        raise ParseError(path, "no economy rows below the header", sheet=sheet, row=hi + 1)
    note = f"CLASS {fy_note}: income group, region and lending category of {len(seen)} economies"
    if left_out:
        note += f"; left out (aggregates or former economies): {', '.join(left_out)}"
    return f"FY{fy}", f"{fy - 1}-07-01", attributes, note


# --- OGHIST --------------------------------------------------------------------------------


def _history_header(rows: list[list]) -> tuple[int, list[tuple[int, int]]] | None:
    """(row index, [(column, fiscal year)]) of the "Bank's fiscal year: FY89 ..." row whose
    label is in column B (column A holds the economy codes below it; the Thresholds sheet,
    which also has such a row, labels it in column A)."""
    for i, row in enumerate(rows[:20]):
        if len(row) < 2 or "fiscal year" not in _norm(row[1]) or _norm(row[0]):
            continue
        fys = [(j, fiscal_year(c)) for j, c in enumerate(row) if _FY.match(str(c or "").strip())]
        if len(fys) >= 5:
            return i, fys
    return None


def _parse_history(
    peek: FilePeek, match: Match, h: Harmoniser
) -> tuple[str, str, list[tuple[str, str, str]], str]:
    path, sheet = match.path, match.context["sheet"]
    rows = peek.sheet(sheet)
    found = _history_header(rows)
    if found is None:  # recognise found it: the same rows are read
        raise ParseError(path, 'no "Bank\'s fiscal year: FY89 ..." row', sheet=sheet)
    hi, fys = found
    attributes: list[tuple[str, str, str]] = []
    seen: dict[str, int] = {}
    former: list[str] = []
    marked: dict[str, list[str]] = {}
    for i in range(hi + 1, len(rows)):
        row = list(rows[i]) + [""] * (fys[-1][0] + 1 - len(rows[i]))
        line = i + 1
        code = str(row[0] or "").strip()
        if not code:
            continue  # thresholds, blank and footnote rows have no code in column A
        name = str(row[1] or "").strip()
        geo = _economy_geo(h, code, name, path, sheet, line, seen)
        if geo is None:
            former.append(code)
            continue
        for j, fy in fys:
            cell = str(row[j] if row[j] is not None else "").strip()
            value = cell.rstrip("*").strip()
            if value != cell:
                marked.setdefault(f"{code} ({cell})", []).append(f"FY{fy}")
            if value in NOT_CLASSIFIED:
                value = ""
            elif value not in INCOME_CODES:
                raise ParseError(
                    path,
                    f"income group code {cell!r} is not L, LM, UM, H or '..' (column "
                    f"{column_letter(j)}, FY{fy})",
                    sheet=sheet,
                    row=line,
                )
            attributes.append((geo, fy_key(INCOME_GROUP, fy), value))
    if not seen:
        raise ParseError(path, "no economy rows below the fiscal-year row", sheet=sheet, row=hi + 1)
    last = max(fy for _, fy in fys)
    notes = [
        f"income group history FY{min(fy for _, fy in fys)}-FY{last} of {len(seen)} economies; "
        f"edition is the latest fiscal year (classifications set on 1 July {last - 1})"
    ]
    m = _NAME_DATE.search(path.name)
    if m:
        notes.append(f"file name dated {m[1]}-{m[2]}-{m[3]}")
    if former:
        notes.append(f"former economies without a geo entry left out: {', '.join(former)}")
    for what, years in marked.items():
        notes.append(f"footnoted code stored without its mark: {what} {', '.join(years)}")
    return f"FY{last}", f"{last - 1}-07-01", attributes, "; ".join(notes)
