"""Reading a tidy long file (CSV or Parquet: one row per geo, partner, year, sex and value) into
tidy rows: what `migprofile import` does with a user's own file, and what a source whose
publisher ships such a file (the GMDAC gdiviz extract) uses to parse it.

The caller names the columns (`ImportSpec`); names and codes are resolved once per distinct
value, every bad cell names its line and column, and where a file gives only male and female the
total is computed as their sum and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError, UnknownGeoError, UsageError
from migprofile.geo import Harmoniser
from migprofile.geo.regions import slug
from migprofile.sources.base import (
    TIDY_SCHEMA,
    check_no_nul,
    key_codes,
    read_bytes,
    to_number,
    to_year,
    value_bounds,
    value_problem,
)

SEX_WORDS = {
    "total": "total", "both sexes": "total", "both": "total", "t": "total", "all": "total",
    "male": "male", "males": "male", "m": "male", "men": "male",
    "female": "female", "females": "female", "f": "female", "women": "female",
}  # fmt: skip
UNKNOWN_CODES = {"xxx": "other", "unk": "other", "unknown": "other", "other": "other"}


@dataclass
class ImportSpec:
    indicator: str
    geo_col: str
    value_col: str
    year_col: str
    partner_col: str | None = None
    sex_col: str | None = None
    unit: str = ""
    source_name: str = ""
    edition: str | None = None
    period: str = ""  # every row's period: '' (the year's value), 'mid-year', ...


def read_table(path: Path) -> pa.Table:
    if not path.exists():
        raise UsageError(f"FILE: {path} does not exist")
    try:
        raw = read_bytes(path)  # one read: what is hashed is what is parsed
        data = pa.BufferReader(raw)
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            return pq.read_table(data)
        check_no_nul(path, raw)
        import pyarrow.csv as pacsv

        return pacsv.read_csv(
            data,
            # Blank lines become empty rows (dropped later) so line numbers stay true.
            parse_options=pacsv.ParseOptions(ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=False,
                auto_dict_encode=False,
                column_types={},
                # blanks and R's NA are missing; 'nan' is not (Arrow's default list has it):
                # a NaN in a file is refused like any non-finite number
                null_values=["", "NA", "N/A", "NULL", "null"],
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise ParseError(
            path, f"cannot read as {'Parquet' if path.suffix == '.parquet' else 'CSV'}: {exc}"
        ) from None


def source_id_for(spec: ImportSpec, path: Path) -> str:
    return "import:" + slug(spec.source_name or path.stem)[:60]


def parse_user_file(path: Path, spec: ImportSpec, h: Harmoniser) -> tuple[pa.Table, str]:
    """Tidy rows and a provenance note; every bad cell names its line and column.

    Column-wise (Arrow): names and codes are resolved once per distinct value, so a file of a
    few hundred thousand rows imports in well under a second.
    """
    table = read_table(path)
    names = table.column_names
    for option, col in (
        ("--geo-col", spec.geo_col),
        ("--value-col", spec.value_col),
        ("--year-col", spec.year_col),
        ("--partner-col", spec.partner_col),
        ("--sex-col", spec.sex_col),
    ):
        if col is not None and col not in names:
            raise UsageError(f"{option}: no column {col!r} in {path} (columns: {', '.join(names)})")
    lines = pa.array(range(2, table.num_rows + 2), pa.int32())  # header is line 1
    used = [table.column(c) for c in names]
    blank = None
    for column in used:
        empty = pc.or_kleene(pc.is_null(column), pc.equal(pc.cast(column, pa.string()), ""))
        blank = empty if blank is None else pc.and_kleene(blank, empty)
    if blank is not None:
        keep = pc.invert(pc.fill_null(blank, True))
        table, lines = table.filter(keep), lines.filter(keep)
    n = table.num_rows
    if n == 0:
        raise ParseError(path, "no data rows")

    def mapped(col: str, convert) -> pa.Array:
        """Apply `convert(text)` once per distinct value of a column; errors name the line."""
        values = pc.fill_null(pc.cast(table.column(col), pa.string()).combine_chunks(), "")
        distinct = pc.unique(values)
        results = []
        for v in distinct.to_pylist():
            try:
                results.append(convert(v))
            except _CellError as exc:
                line = lines[pc.index(values, v).as_py()].as_py()
                raise ParseError(path, str(exc), row=line) from None
        return pc.take(pa.array(results), pc.index_in(values, distinct))

    geo_cache: dict[str, str] = {}

    def geo_of(col: str):
        def convert(text: str) -> str:
            key = text.strip()
            if key not in geo_cache:
                geo_cache[key] = _resolve(h, key, col)
            return geo_cache[key]

        return convert

    def year_of(text: str) -> int:
        year = to_year(text)
        if year is None:
            raise _CellError(f"{text!r} in column {spec.year_col!r} is not a year")
        return year

    def number_of(text: str) -> float | None:
        try:
            return to_number(text)
        except ValueError as exc:
            raise _CellError(f"{exc} (column {spec.value_col!r})") from None

    def sex_of(text: str) -> str:
        word = text.strip().lower()
        if word not in SEX_WORDS:
            raise _CellError(f"sex {text!r} is not male, female or total")
        return SEX_WORDS[word]

    geo = mapped(spec.geo_col, geo_of(spec.geo_col))
    partner = mapped(spec.partner_col, geo_of(spec.partner_col)) if spec.partner_col else None
    year = pc.cast(mapped(spec.year_col, year_of), pa.int32())
    raw_values = table.column(spec.value_col)
    if pa.types.is_floating(raw_values.type) or pa.types.is_integer(raw_values.type):
        value = pc.cast(raw_values, pa.float64()).combine_chunks()
    else:
        value = pc.cast(mapped(spec.value_col, number_of), pa.float64())
    _check_values(spec, value, lines, path)
    sex = mapped(spec.sex_col, sex_of) if spec.sex_col else pa.array(["total"] * n)
    if partner is None:
        partner = pa.array([""] * n)

    tidy = _tidy_table(spec, geo, partner, year, sex, value, lines, "")
    _reject_duplicates(tidy, path)
    note = ""
    sexes = set(pc.unique(sex).to_pylist())
    if "total" not in sexes and sexes:
        tidy = pa.concat_tables([tidy, _totals(spec, tidy)])
        note = "file gives male and female only: total = male + female (computed on import)"
    if pc.all(pc.is_null(tidy.column("value"))).as_py():
        raise ParseError(path, f"column {spec.value_col!r} holds no numbers")
    return tidy, note


def _tidy_table(spec, geo, partner, year, sex, value, lines, notes) -> pa.Table:
    n = len(geo)

    def same(text: str) -> pa.Array:
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
            "sheet": pa.nulls(n, pa.string()),
            "row": lines,
            "col": same(spec.value_col),
            "note": notes if isinstance(notes, pa.Array | pa.ChunkedArray) else same(notes),
        },
        schema=TIDY_SCHEMA,
    )


def _reject_duplicates(tidy: pa.Table, path: Path) -> None:
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
            f"duplicate rows for {first['geo']}/{first['partner'] or '-'} {first['year']} "
            f"{first['sex']} at lines {lines}",
        )


def _totals(spec: ImportSpec, tidy: pa.Table) -> pa.Table:
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
        ]
    )
    sums = sums.filter(
        pc.and_(pc.equal(sums.column("value_count"), 0), pc.is_valid(sums.column("value_sum")))
    )
    notes = pc.binary_join_element_wise(
        "total = male + female, computed by migprofile (lines ",
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
    )


SEXES = ["male", "female"]


def _check_values(spec: ImportSpec, value: pa.Array, lines: pa.Array, path: Path) -> None:
    """Every number finite and within its indicator's bounds (base.value_bounds): an error
    naming the first bad line and the column otherwise."""
    lo, hi, _ = value_bounds(spec.indicator, spec.unit)
    ok = pc.and_kleene(pc.greater_equal(value, lo), pc.less_equal(value, hi))  # NaN: false
    bad = pc.and_(pc.is_valid(value), pc.invert(pc.fill_null(ok, True)))
    if pc.any(bad).as_py():
        i = pc.index(bad, True).as_py()
        problem = value_problem(spec.indicator, spec.unit, value[i].as_py())
        raise ParseError(path, f"{problem} (column {spec.value_col!r})", row=lines[i].as_py())


class _CellError(Exception):
    """A bad cell; the caller adds the file and line."""


def _resolve(h: Harmoniser, text: str, col: str) -> str:
    if not text:
        raise _CellError(f"empty value in column {col!r}")
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
        return h.resolve_name(text)
    except UnknownGeoError as exc:
        raise _CellError(f"{exc} in column {col!r}") from None
