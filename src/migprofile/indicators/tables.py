"""Long rows as tables people read: geo names beside the codes, and the wide table.

`observations` gives long rows (one value each, with its source, edition, file and cell). A
reader comparing countries wants one line per series and the years across: `wide_table` turns
long rows into that, keeping per line the source and edition the values came from (the
project's rule is one edition per series; a line that still mixes says so, the editions
joined). `named_rows` adds each row's geo and partner names in a language; `citation_lines`
gives the full citations of the sources the rows used. The web API, the CLI and the CSV and
xlsx writers all use these, so every face shows the same table.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from migprofile.geo.world_names import display_name
from migprofile.periods import is_annual
from migprofile.wording import _
from migprofile.wording.i18n import language
from migprofile.wording.xlsxout import Sheet

if TYPE_CHECKING:
    from migprofile.store import Store

# The long row with names: each code followed by its name.
LONG_FIELDS = (
    "indicator",
    "geo",
    "name",
    "partner",
    "partner_name",
    "year",
    "period",
    "sex",
    "age",
    "value",
    "unit",
    "source",
    "edition",
    "sha256",
    "file_name",
    "cell",
    "note",
)
# What one line of the wide table is (a series); the names lead, the codes follow them.
SERIES_KEY = ("geo", "partner", "sex", "age", "unit")
HEAD_FIELDS = ("name", "geo", "partner_name", "partner", "sex", "age", "unit")
TAIL_FIELDS = ("source", "edition")
# Key columns left out of the wide table when no row has a value in them (a country series
# has no partner; most have no age group), so a table of countries reads as one.
OPTIONAL_FIELDS = ("partner_name", "partner", "age")
JOINED = "; "  # how a line that mixes sources or editions lists them


def clean(value: Any) -> Any:
    """NaN/inf → None, integral floats → int (JSON, CSV and spreadsheets all read better)."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def cell_of(r: Mapping[str, Any]) -> str:
    """The cell a stored value was read from: 'Table 1!F23', 'line 812' (a text file), ''."""
    if r.get("sheet"):
        return f"{r['sheet']}!{r.get('col') or ''}{r.get('row') or ''}"
    if r.get("row") is not None:
        return f"line {r['row']}"  # data, not wording: the same in every language
    return ""


def public_row(r: Mapping[str, Any], fields: Sequence[str] = LONG_FIELDS) -> dict:
    """A store row as a published long row: `fields`, with its cell, values cleaned."""
    full = {**r, "cell": cell_of(r)}
    return {k: clean(full.get(k)) for k in fields}


class GeoNames:
    """Geo id → its name in one language (a country's official or CLDR name, a region's
    translated name, a publisher-only area's name as written), each worked out once.

    The language is fixed when made: a streamed response computes names in worker threads,
    where the request's language is not the active one."""

    def __init__(self, geo_rows: Mapping[str, Mapping[str, Any]], lang: str) -> None:
        self.geo_rows = geo_rows
        self.lang = lang
        self.cache: dict[str, str] = {}

    def __call__(self, geo: str | None) -> str:
        if not geo:
            return ""
        name = self.cache.get(geo)
        if name is None:
            row = self.geo_rows.get(geo) or {}
            with language(self.lang):
                name = display_name(geo, row.get("name") or geo, row.get("kind") or "")
            self.cache[geo] = name
        return name


def named_rows(rows: Iterable[Mapping[str, Any]], names: GeoNames) -> Iterator[dict]:
    """Each row with `name` (its geo's) and `partner_name` added (lazily: rows may stream)."""
    for r in rows:
        yield {**r, "name": names(r.get("geo")), "partner_name": names(r.get("partner"))}


def period_label(year: Any, period: Any) -> str:
    """The wide table's column for a value: the year ('2020') for the year's value (whatever
    date in the year it states), else the period itself ('2020Q3', '2025-03')."""
    if is_annual(period):
        return "" if year is None else str(year)
    return str(period)


def wide_table(rows: Iterable[Mapping[str, Any]]) -> tuple[list[str], list[dict]]:
    """Long rows → (columns, lines): one line per series (geo, partner, sex, age, unit), in
    the order the series first appear, with the names and codes first, one column per year
    (or sub-annual period) across, oldest first, then the source(s) and edition(s) of its
    values. Each line also holds `values` ({column: value}) for JSON.

    `name` / `partner_name` columns come when the rows have them (`named_rows`); a partner or
    age column only when some row has one. A year a series lacks is an empty cell. Two values
    of one series for the same column (a year's value stated both for the year and at
    mid-year) keep the first, as the long rows order them."""
    lines: dict[tuple, dict] = {}
    labels: dict[str, tuple[int, int, str]] = {}
    seen_fields: set[str] = set()
    for r in rows:
        key = tuple(r.get(k) for k in SERIES_KEY)
        line = lines.get(key)
        if line is None:
            line = {k: r.get(k) for k in HEAD_FIELDS if k in r}
            line.update({"values": {}, "_sources": {}, "_editions": {}})
            lines[key] = line
        seen_fields.update(k for k in HEAD_FIELDS if r.get(k) not in (None, ""))
        label = period_label(r.get("year"), r.get("period"))
        if label not in labels:
            year = r.get("year")
            annual = is_annual(r.get("period"))
            labels[label] = (int(year) if year is not None else 0, 0 if annual else 1, label)
        line["values"].setdefault(label, r.get("value"))
        line["_sources"][r.get("source")] = None
        line["_editions"][r.get("edition")] = None
    columns = [
        k
        for k in HEAD_FIELDS
        if any(k in line for line in lines.values())
        and (k not in OPTIONAL_FIELDS or k in seen_fields)
    ]
    years = sorted(labels, key=labels.__getitem__)
    out: list[dict] = []
    for line in lines.values():
        sources = [s for s in line.pop("_sources") if s]
        editions = [e for e in line.pop("_editions") if e]
        line["source"] = JOINED.join(sources)
        line["edition"] = JOINED.join(editions)
        values = line.pop("values")
        item = {k: line.get(k) for k in columns}
        item.update({y: values.get(y) for y in years})
        item["source"], item["edition"] = line["source"], line["edition"]
        item["values"] = {y: values[y] for y in years if y in values}
        out.append(item)
    return [*columns, *years, *TAIL_FIELDS], out


def wide_years(columns: Sequence[str]) -> list[str]:
    """The year (period) columns of a `wide_table`'s columns."""
    fixed = {*HEAD_FIELDS, *TAIL_FIELDS}
    return [c for c in columns if c not in fixed]


def citation_lines(store: Store, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The full citation of each source and edition the rows used (a derived value's parts
    each), as the sources table records it, in the order first used."""
    meta = {r["source"]: r for r in store.source_rows()}
    pairs: dict[tuple[str, str], None] = {}
    for r in rows:
        sources = str(r.get("source") or "").split(" + ")
        editions = str(r.get("edition") or "").split(" + ")
        if len(editions) != len(sources):
            editions = [str(r.get("edition") or "")] * len(sources)
        for s, e in zip(sources, editions, strict=True):
            if s:
                pairs[(s, e)] = None
    lines: list[str] = []
    for source, edition in pairs:
        row = meta.get(source) or {}
        cite = str(row.get("citation") or "")
        if cite:
            text = cite.replace("{edition}", edition)
        else:
            text = ", ".join(p for p in (str(row.get("title") or source), edition) if p)
        if text not in lines:
            lines.append(text)
    return lines


def workbook_sheets(
    rows: Sequence[Mapping[str, Any]], *, shape: str, about: Sequence[tuple[str, Any]]
) -> list[Sheet]:
    """The sheets of an indicator's xlsx download from its long rows (`public_row`s, named):
    `data` (the wide table, or the long rows), for a wide one `cells` (every value's long row:
    file, sha256 and cell), and `about` (`about` lines: the query, when, the citations)."""
    about_sheet = Sheet("about", [_("item"), _("value")], [list(p) for p in about])
    if shape == "wide":
        columns, lines = wide_table(rows)
        names = sum(1 for c in columns if c in ("name", "geo", "partner_name", "partner"))
        return [
            Sheet("data", columns, lines, freeze_columns=names),
            Sheet("cells", LONG_FIELDS, rows, freeze_columns=3),
            about_sheet,
        ]
    return [Sheet("data", LONG_FIELDS, rows, freeze_columns=3), about_sheet]


def about_lines(
    *,
    indicator: str,
    title: str,
    query: str,
    built_at: str,
    version: str,
    rows: int,
    citations: Sequence[str],
) -> list[tuple[str, Any]]:
    """The `about` sheet: what was asked, when and from what the file was built, and how
    to cite the sources."""
    lines: list[tuple[str, Any]] = [
        (_("indicator"), indicator),
        (_("title"), title),
        (_("query"), query),
        (_("built at (UTC)"), built_at),
        (_("data version"), version),
        (_("values"), rows),
    ]
    lines += [(_("citation"), c) for c in citations]
    return lines
