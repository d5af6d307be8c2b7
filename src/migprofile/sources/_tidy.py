"""Reading a user's own table into tidy rows: what `migprofile import` does with a file people
have (a CSV in any separator and encoding, a workbook, Parquet; long, or with the years across),
and what a source whose publisher ships a tidy file (the GMDAC gdiviz extract) uses to parse it.

The caller names the columns (`ImportSpec`); _user_files reads the cells and says how; names and
codes are resolved once per distinct value, every bad cell names its line (or sheet, row and
column), and where a file gives only male and female the total is computed as their sum and says
so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError, UnknownGeoError, UsageError
from migprofile.geo import Harmoniser
from migprofile.geo.regions import slug
from migprofile.sources._user_files import (
    Cells,
    column_label,
    decimal_option,
    header_year,
    line_word,
    read_cells,
    read_numbers,
)
from migprofile.sources.base import (
    TIDY_SCHEMA,
    key_codes,
    to_year,
    value_bounds,
    value_problem,
)
from migprofile.wording.i18n import _

SEX_WORDS = {
    "total": "total", "both sexes": "total", "both": "total", "t": "total", "all": "total",
    "male": "male", "males": "male", "m": "male", "men": "male",
    "female": "female", "females": "female", "f": "female", "women": "female",
    # the words national files of the region use (Russian, Ukrainian, Romanian)
    "всего": "total", "итого": "total", "оба пола": "total", "усього": "total",
    "всього": "total", "разом": "total", "обидві статі": "total", "ambele sexe": "total",
    "мужчины": "male", "мужской": "male", "муж.": "male", "м": "male", "чоловіки": "male",
    "чоловіча": "male", "ч": "male", "bărbați": "male", "barbati": "male", "masculin": "male",
    "женщины": "female", "женский": "female", "жен.": "female", "ж": "female", "жінки": "female",
    "жіноча": "female", "femei": "female", "feminin": "female",
}  # fmt: skip
UNKNOWN_CODES = {"xxx": "other", "unk": "other", "unknown": "other", "other": "other"}


@dataclass
class ImportSpec:
    """What `migprofile import` is told about a user's file (each field its CLI option's)."""

    indicator: str
    geo_col: str
    value_col: str | None = None  # the long layout's value column (--value-col)
    year_col: str | None = None  # the long layout's year column (--year-col)
    partner_col: str | None = None
    sex_col: str | None = None
    unit: str = ""
    source_name: str = ""
    edition: str | None = None
    period: str = ""  # every row's period: '' (the year's value), 'mid-year', ...
    sheet: str | None = None  # a workbook's sheet, by name or 1-based number; None: the first
    sep: str | None = None  # a text file's separator: ',' ';' '|' 'tab'; None: detected
    decimal: str | None = None  # text numbers' decimal mark, '.' or ','; None: detected
    encoding: str | None = None  # a text file's encoding, any Python codec; None: detected
    years_across: bool = False  # a wide table: each column headed by a year holds values
    # a user's own file: names in any CLDR language ('Республика Молдова'), as users type
    # them, and reading errors point at the options; False for a publisher's extract read
    # through this code (only the names its publisher writes resolve)
    user_file: bool = True


def source_id_for(spec: ImportSpec, path: Path) -> str:
    return "import:" + slug(spec.source_name or path.stem)[:60]


def parse_user_file(path: Path, spec: ImportSpec, h: Harmoniser) -> tuple[pa.Table, str]:
    """Tidy rows and a provenance note; every bad cell names its line (or sheet and row) and
    column.

    Column-wise (Arrow): names and codes are resolved once per distinct value, so a file of a
    few hundred thousand rows imports in well under a second. The note says how the file was
    read wherever that was not plain UTF-8 CSV with commas (encoding, separator, decimal mark,
    sheet, header row), and what was computed.
    """
    decimal = decimal_option(spec.decimal)
    _check_layout_options(spec)
    cells = read_cells(
        path, sheet=spec.sheet, sep=spec.sep, encoding=spec.encoding, user_file=spec.user_file
    )
    sheet = cells.sheet
    chosen: dict[str, int] = {}
    for option, col in (
        ("--geo-col", spec.geo_col),
        ("--value-col", spec.value_col),
        ("--year-col", spec.year_col),
        ("--partner-col", spec.partner_col),
        ("--sex-col", spec.sex_col),
    ):
        if col:
            chosen[option] = _column(cells, option, col)
    n_records = len(cells.rows)
    if n_records == 0:
        raise ParseError(path, "no data rows", sheet=sheet)

    if spec.years_across:
        records, year, value_text, value_numbers, cols = _years_across(cells, chosen)
    else:
        records = pa.array(range(n_records), pa.int64())
        j = chosen["--value-col"]
        value_text, value_numbers = cells.text[j], cells.numbers[j]
        cols = pa.repeat(pa.scalar(cells.cell_col(j), pa.string()), n_records)
    lines = pc.take(cells.rows, records)

    def mapped(j: int, convert) -> pa.Array:
        """Apply `convert(text)` once per distinct value of a column; errors name the line."""
        values = pc.fill_null(pc.take(cells.text[j], records), "")
        distinct = pc.unique(values)
        results = []
        for v in distinct.to_pylist():
            try:
                results.append(convert(v))
            except _CellError as exc:
                line = lines[pc.index(values, v).as_py()].as_py()
                raise ParseError(path, str(exc), sheet=sheet, row=line) from None
        return pc.take(pa.array(results), pc.index_in(values, distinct))

    geo_cache: dict[str, str] = {}

    def geo_of(j: int):
        label = cells.label(j)

        def convert(text: str) -> str:
            key = text.strip()
            if key not in geo_cache:
                geo_cache[key] = _resolve(h, key, label, spec.user_file)
            return geo_cache[key]

        return convert

    def year_of(label: str):
        def convert(text: str) -> int:
            year = to_year(text)
            if year is None:
                raise _CellError(
                    _("{cell} in column {column} is not a year").format(
                        cell=repr(text), column=label
                    )
                )
            return year

        return convert

    def sex_of(text: str) -> str:
        word = text.strip().lower()
        if word not in SEX_WORDS:
            raise _CellError(_("sex {cell} is not male, female or total").format(cell=repr(text)))
        return SEX_WORDS[word]

    n = len(records)
    geo = mapped(chosen["--geo-col"], geo_of(chosen["--geo-col"]))
    partner = (
        mapped(chosen["--partner-col"], geo_of(chosen["--partner-col"]))
        if spec.partner_col
        else pa.repeat(pa.scalar("", pa.string()), n)
    )
    if not spec.years_across:
        j = chosen["--year-col"]
        year = pc.cast(mapped(j, year_of(cells.label(j))), pa.int32())
    sex = mapped(chosen["--sex-col"], sex_of) if spec.sex_col else pa.array(["total"] * n)
    value, mark = read_numbers(
        cells,
        pc.take(value_text, records) if not spec.years_across else value_text,
        None
        if value_numbers is None
        else (pc.take(value_numbers, records) if not spec.years_across else value_numbers),
        lines,
        cols,
        decimal,
    )
    _check_values(spec, value, lines, cols, cells)

    tidy = _tidy_table(spec, geo, partner, year, sex, value, lines, "", sheet=sheet, cols=cols)
    where = "rows" if cells.is_workbook else "lines"  # in the stored row notes, in English
    _reject_duplicates(tidy, path, line_word(cells.is_workbook, many=True), sheet)
    notes = [x for x in cells.notes if x]
    if decimal is not None or mark.mark == "," or (mark.stated and not cells.plain):
        notes.append(_("decimal {mark} ({how})").format(mark=repr(mark.mark), how=mark.how))
    sexes = set(pc.unique(sex).to_pylist())
    if "total" not in sexes and sexes:
        tidy = pa.concat_tables([tidy, _totals(spec, tidy, where, sheet)])
        notes.append(
            _("file gives male and female only: total = male + female (computed on import)")
        )
    if pc.all(pc.is_null(tidy.column("value"))).as_py():
        if spec.years_across:
            raise ParseError(path, _("the year columns hold no numbers"), sheet=sheet)
        raise ParseError(
            path,
            _("column {column} holds no numbers").format(column=repr(spec.value_col)),
            sheet=sheet,
        )
    return tidy, "; ".join(notes)


def _check_layout_options(spec: ImportSpec) -> None:
    """The long layout names its value and year columns; the wide one takes them from the
    header."""
    if spec.years_across:
        for option, given in (("--value-col", spec.value_col), ("--year-col", spec.year_col)):
            if given:
                raise UsageError(
                    _("{option}: not used with --years-across (the years are the columns)").format(
                        option=option
                    )
                )
        return
    for option, given, what in (
        ("--value-col", spec.value_col, _("the values")),
        ("--year-col", spec.year_col, _("the year")),
    ):
        if not given:
            raise UsageError(
                _(
                    "{option}: name the column with {what} (or pass --years-across when each "
                    "year is a column)"
                ).format(option=option, what=what)
            )


def _column(cells: Cells, option: str, name: str) -> int:
    """The column an option names: exactly, else the one whose header matches but for case
    and surrounding spaces."""
    exact = [j for j, n in enumerate(cells.names) if n == name]
    if not exact:
        exact = [j for j, n in enumerate(cells.names) if n.casefold() == name.strip().casefold()]
    if len(exact) == 1:
        return exact[0]
    if not exact:
        raise UsageError(
            _("{option}: no column {name} in {path} (columns: {columns})").format(
                option=option, name=repr(name), path=cells.path, columns=cells.listing()
            )
        )
    raise UsageError(
        _("{option}: {count} columns are named {name} in {path} ({columns})").format(
            option=option,
            count=len(exact),
            name=repr(name),
            path=cells.path,
            columns=", ".join(cells.label(j) for j in exact),
        )
    )


def _years_across(cells: Cells, chosen: dict[str, int]):
    """A wide table as long cells: one per non-empty cell under a year header, in file order
    (row by row, left to right). Empty cells are no value, not zero."""
    taken = set(chosen.values())
    years: list[tuple[int, int]] = []
    seen: dict[int, int] = {}
    for j, name in enumerate(cells.names):
        if j in taken:
            continue
        year = header_year(name)
        if year is None:
            continue
        if year in seen:
            raise ParseError(
                cells.path,
                _("columns {a} and {b} are both year {year}").format(
                    a=cells.label(seen[year]), b=cells.label(j), year=year
                ),
                sheet=cells.sheet,
            )
        seen[year] = j
        years.append((j, year))
    if not years:
        raise ParseError(
            cells.path,
            _("--years-across: no column header is a year (columns: {columns})").format(
                columns=cells.listing()
            ),
            sheet=cells.sheet,
        )
    parts = []
    for position, (j, year) in enumerate(years):
        filled = pc.is_valid(cells.text[j])
        numbers = cells.numbers[j]
        if numbers is not None:
            filled = pc.or_(filled, pc.is_valid(numbers))
        at = pc.indices_nonzero(filled)
        k = len(at)
        parts.append(
            pa.table(
                {
                    "record": pc.cast(at, pa.int64()),
                    "position": pa.repeat(pa.scalar(position, pa.int32()), k),
                    "year": pa.repeat(pa.scalar(year, pa.int32()), k),
                    "text": pc.take(cells.text[j], at),
                    "number": pa.nulls(k, pa.float64())
                    if numbers is None
                    else pc.take(numbers, at),
                    "col": pa.repeat(pa.scalar(cells.cell_col(j), pa.string()), k),
                }
            )
        )
    long = pa.concat_tables(parts)
    long = long.take(pc.sort_indices(long, [("record", "ascending"), ("position", "ascending")]))

    def column(name: str) -> pa.Array:
        return long.column(name).combine_chunks()

    return column("record"), column("year"), column("text"), column("number"), column("col")


def _tidy_table(
    spec, geo, partner, year, sex, value, lines, notes, *, sheet: str | None, cols
) -> pa.Table:
    n = len(geo)

    def same(text: str | None) -> pa.Array:
        return pa.repeat(pa.scalar(text, pa.string()), n)

    return pa.table(
        {
            "indicator": same(spec.indicator),
            "geo": geo,
            "partner": partner,
            "year": year,
            "period": same(spec.period),
            "sex": sex,
            "age": same("total"),
            "value": value,
            "unit": same(spec.unit),
            "sheet": same(sheet),
            "row": lines,
            "col": cols,
            "note": notes if isinstance(notes, pa.Array | pa.ChunkedArray) else same(notes),
        },
        schema=TIDY_SCHEMA,
    )


def _reject_duplicates(tidy: pa.Table, path: Path, where: str, sheet: str | None) -> None:
    """Two lines for the same geo, partner, year and sex: an error naming both lines."""
    keys = ["geo", "partner", "year", "sex"]
    if tidy.num_rows < 2:
        return
    codes = key_codes(tidy, tuple(keys))
    codes = pc.take(codes, pc.sort_indices(codes))  # equal keys side by side
    if not pc.any(pc.equal(codes.slice(1), codes.slice(0, len(codes) - 1))).as_py():
        return
    counts = tidy.group_by(keys).aggregate([("row", "list")])
    dupes = counts.filter(pc.greater(pc.list_value_length(counts.column("row_list")), 1))
    if dupes.num_rows:
        first = dupes.slice(0, 1).to_pylist()[0]
        lines = ", ".join(map(str, sorted(first["row_list"])))
        raise ParseError(
            path,
            _("duplicate rows for {key} at {where} {lines}").format(
                key=f"{first['geo']}/{first['partner'] or '-'} {first['year']} {first['sex']}",
                where=where,
                lines=lines,
            ),
            sheet=sheet,
        )


def _totals(spec: ImportSpec, tidy: pa.Table, where: str, sheet: str | None) -> pa.Table:
    """Both-sexes rows as male + female; a sex absent from the file counts as 0 (extracts drop
    zero cells), but a sex present without a number (blank, NaN) makes the total unknown: no
    total row then, never total = the other sex."""
    parts = tidy.filter(pc.is_in(tidy.column("sex"), pa.array(SEXES)))
    # one thread: pairs in the order they first appear, each pair's lines in file order
    sums = parts.group_by(["geo", "partner", "year"], use_threads=False).aggregate(
        [
            ("value", "sum"),
            ("value", "count", pc.CountOptions(mode="only_null")),
            ("row", "list"),
            ("row", "min"),
            ("col", "min"),
        ]
    )
    sums = sums.filter(
        pc.and_(pc.equal(sums.column("value_count"), 0), pc.is_valid(sums.column("value_sum")))
    )
    notes = pc.binary_join_element_wise(
        f"total = male + female, computed by migprofile ({where} ",
        pc.binary_join(pc.cast(sums.column("row_list"), pa.list_(pa.string())), ","),
        "; a sex absent from the file counts as 0)",
        "",
    )
    first_lines = pc.cast(sums.column("row_min"), pa.int32())
    n = sums.num_rows
    return _tidy_table(
        spec,
        sums.column("geo"),
        sums.column("partner"),
        sums.column("year"),
        pa.repeat(pa.scalar("total", pa.string()), n),
        sums.column("value_sum"),
        first_lines,
        notes,
        sheet=sheet,
        cols=sums.column("col_min"),
    )


SEXES = ["male", "female"]


def _check_values(
    spec: ImportSpec, value: pa.Array, lines: pa.Array, cols: pa.Array, cells: Cells
) -> None:
    """Every number finite and within its indicator's bounds (base.value_bounds): an error
    naming the first bad line and the column otherwise."""
    lo, hi, _unit = value_bounds(spec.indicator, spec.unit)
    ok = pc.and_kleene(pc.greater_equal(value, lo), pc.less_equal(value, hi))  # NaN: false
    bad = pc.and_(pc.is_valid(value), pc.invert(pc.fill_null(ok, True)))
    if pc.any(bad).as_py():
        i = pc.index(bad, True).as_py()
        problem = value_problem(spec.indicator, spec.unit, value[i].as_py())
        raise ParseError(
            cells.path,
            _("{problem} (column {column})").format(
                problem=problem, column=column_label(cells, cols[i].as_py())
            ),
            sheet=cells.sheet,
            row=lines[i].as_py(),
        )


class _CellError(Exception):
    """A bad cell; the caller adds the file and line."""


def _resolve(h: Harmoniser, text: str, col: str, user_names: bool) -> str:
    """A geo cell: a code (ISO3, World Bank, M49), a harmoniser name, and with `user_names` a
    country's name in any CLDR language ('Республика Молдова'). `col` is the column's label."""
    if not text:
        raise _CellError(_("empty value in column {column}").format(column=col))
    code = text.upper()
    if code.lower() in UNKNOWN_CODES:
        return UNKNOWN_CODES[code.lower()]
    if len(code) == 3 and code.isalpha():
        geo = h.country_by_iso3(code) or h.by_code("wb", code)
        if geo:
            return geo
    if text.isdigit():
        geo = h.country_by_m49(text)
        if geo:
            return geo
    if text in h.entries:
        return text
    try:
        if user_names:
            from migprofile.geo.world_names import resolve_for_user

            return resolve_for_user(h, text)
        return h.resolve_name(text)
    except UnknownGeoError as exc:
        raise _CellError(
            _("{problem} in column {column}").format(problem=exc, column=col)
        ) from None
