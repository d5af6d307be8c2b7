"""`migprofile import`: a user's own tidy CSV/Parquet (national statistics, an extract) as a source.

The user names the columns; provenance records their description, the file and its checksum.
Where a file gives only male and female, the total is computed as their sum and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import ParseError, UnknownGeoError, UsageError
from migprofile.geo import Harmoniser
from migprofile.geo.regions import slug
from migprofile.sources.base import TidyRows, to_number, to_year

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


def read_table(path: Path) -> pa.Table:
    if not path.exists():
        raise UsageError(f"FILE: {path} does not exist")
    try:
        if path.suffix.lower() == ".parquet":
            import pyarrow.parquet as pq

            return pq.read_table(path)
        import pyarrow.csv as pacsv

        return pacsv.read_csv(
            path,
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=False, auto_dict_encode=False, column_types={}
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise ParseError(
            path, f"cannot read as {'Parquet' if path.suffix == '.parquet' else 'CSV'}: {exc}"
        ) from None


def source_id_for(spec: ImportSpec, path: Path) -> str:
    return "import:" + slug(spec.source_name or path.stem)[:60]


def parse_user_file(path: Path, spec: ImportSpec, h: Harmoniser) -> tuple[pa.Table, str]:
    """Tidy rows and a provenance note; every bad cell names its line and column."""
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
    if table.num_rows == 0:
        raise ParseError(path, "no data rows")
    cols = {c: table.column(c).to_pylist() for c in {spec.geo_col, spec.value_col, spec.year_col}}
    partners = table.column(spec.partner_col).to_pylist() if spec.partner_col else None
    sexes = table.column(spec.sex_col).to_pylist() if spec.sex_col else None
    geo_cache: dict[str, str] = {}

    def geo_of(text, line: int, col: str) -> str:
        key = str(text).strip()
        if key not in geo_cache:
            geo_cache[key] = _resolve(h, key, path, line, col)
        return geo_cache[key]

    out = TidyRows(path)
    totals: dict[tuple, list] = {}
    seen_sexes = set()
    for i in range(table.num_rows):
        line = i + 2  # header is line 1
        geo = geo_of(cols[spec.geo_col][i], line, spec.geo_col)
        partner = geo_of(partners[i], line, spec.partner_col) if partners else ""
        year = to_year(cols[spec.year_col][i])
        if year is None:
            raise ParseError(
                path,
                f"{cols[spec.year_col][i]!r} in column {spec.year_col!r} is not a year",
                row=line,
            )
        try:
            value = to_number(cols[spec.value_col][i])
        except ValueError as exc:
            raise ParseError(path, f"{exc} (column {spec.value_col!r})", row=line) from None
        sex = "total"
        if sexes:
            word = str(sexes[i]).strip().lower()
            if word not in SEX_WORDS:
                raise ParseError(path, f"sex {sexes[i]!r} is not male, female or total", row=line)
            sex = SEX_WORDS[word]
        seen_sexes.add(sex)
        out.add(
            spec.indicator,
            geo,
            year,
            value,
            spec.unit,
            partner=partner,
            sex=sex,
            row=line,
            col=spec.value_col,
        )
        if sex in ("male", "female") and value is not None:
            acc = totals.setdefault((geo, partner, year), [0.0, []])
            acc[0] += value
            acc[1].append(line)
    note = ""
    if "total" not in seen_sexes and totals:
        for (geo, partner, year), (value, lines) in totals.items():
            out.add(
                spec.indicator, geo, year, value, spec.unit, partner=partner, sex="total",
                row=lines[0], col=spec.value_col,
                note="total = male + female, computed by migprofile import (lines "
                + ",".join(map(str, lines)) + "; a sex absent from the file counts as 0)",
            )  # fmt: skip
        note = "file gives male and female only: total = male + female (computed on import)"
    result = out.to_table()
    if result.num_rows and pc.all(pc.is_null(result.column("value"))).as_py():
        raise ParseError(path, f"column {spec.value_col!r} holds no numbers")
    return result, note


def _resolve(h: Harmoniser, text: str, path: Path, line: int, col: str) -> str:
    if not text:
        raise ParseError(path, f"empty value in column {col!r}", row=line)
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
        raise ParseError(path, f"{exc} in column {col!r}", row=line) from None
