"""A user's stock and demography tables (CSV) in, estimated flows (CSV) out.

STOCKS.csv has the columns ``birthplace,residence,year,stock``; the native-born are the rows
whose birthplace equals their residence. A pair without a row in a year is a zero there (users'
tables leave zeros out); a place without its native-born cell in either year (the table is
not square), an empty or negative stock, a pair given twice are errors naming the file and row.
DEMOG.csv has ``region,births,deaths`` for the period, one row per place of the stock table.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from migprofile.flows.methods import Array, Estimate, FlowError
from migprofile.wording import _

STOCK_COLUMNS = ("birthplace", "residence", "year", "stock")
DEMOG_COLUMNS = ("region", "births", "deaths")


@dataclass(frozen=True)
class StockTables:
    """The two stock tables of a period over one ordered list of places."""

    places: tuple[str, ...]
    s0: Array
    s1: Array


def _records(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) of a CSV with at least `columns` (BOM and case of headers tolerated)."""
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise FlowError(
            _("{file}: cannot read it ({why})").format(file=path, why=exc.strerror)
        ) from None
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = [h.strip().lower() for h in (reader.fieldnames or [])]
            missing = [c for c in columns if c not in header]
            if missing:
                raise FlowError(
                    _("{file}: missing column(s) {missing}; the columns are {columns}").format(
                        file=path.name, missing=", ".join(missing), columns=",".join(columns)
                    )
                )
            reader.fieldnames = header
            for row in reader:
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}
        except UnicodeDecodeError:
            raise FlowError(_("{file}: not UTF-8 text").format(file=path.name)) from None
        except csv.Error as exc:
            raise FlowError(
                _("{file}: not a CSV file ({why})").format(file=path.name, why=exc)
            ) from None


def _number(path: Path, line: int, column: str, text: str) -> float:
    try:
        value = float(text.replace(",", "")) if text else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise FlowError(
            _("{file}, row {row}: {column} must be a number ≥ 0, got {value!r}").format(
                file=path.name, row=line, column=column, value=text
            )
        )
    return value


def read_stocks(path: Path, t0: int, t1: int) -> StockTables:
    """The tables of years `t0` and `t1` from a long stock CSV."""
    if t0 == t1:
        raise FlowError(_("--t1 must differ from --t0"))
    cells: dict[int, dict[tuple[str, str], tuple[float, int]]] = {t0: {}, t1: {}}
    for line, row in _records(path, STOCK_COLUMNS):
        try:
            year = int(float(row["year"]))
        except ValueError:
            raise FlowError(
                _("{file}, row {row}: year must be a year, got {value!r}").format(
                    file=path.name, row=line, value=row["year"]
                )
            ) from None
        if year not in cells:
            continue
        b, r = row["birthplace"], row["residence"]
        if not b or not r:
            raise FlowError(
                _("{file}, row {row}: birthplace and residence are needed").format(
                    file=path.name, row=line
                )
            )
        if (b, r) in cells[year]:
            raise FlowError(
                _(
                    "{file}, row {row}: {birthplace} → {residence} in {year} given twice "
                    "(first on row {first})"
                ).format(
                    file=path.name,
                    row=line,
                    birthplace=b,
                    residence=r,
                    year=year,
                    first=cells[year][(b, r)][1],
                )
            )
        cells[year][(b, r)] = (_number(path, line, "stock", row["stock"]), line)
    for year in (t0, t1):
        if not cells[year]:
            raise FlowError(_("{file}: no rows for {year}").format(file=path.name, year=year))
    places = sorted({p for year in cells.values() for pair in year for p in pair})
    for year in (t0, t1):
        absent = [p for p in places if (p, p) not in cells[year]]
        if absent:
            raise FlowError(
                _(
                    "{file}: the native-born cell (birthplace = residence) is missing for "
                    "{places} in {year}: the table is not square"
                ).format(file=path.name, places=", ".join(absent[:5]), year=year)
            )
    index = {p: i for i, p in enumerate(places)}
    tables = []
    for year in (t0, t1):
        m = np.zeros((len(places), len(places)))
        for (b, r), (value, _line) in cells[year].items():
            m[index[b], index[r]] = value
        tables.append(m)
    return StockTables(tuple(places), tables[0], tables[1])


def read_demography(path: Path, places: Iterable[str]) -> tuple[Array, Array]:
    """Births and deaths over the period, in the order of `places`."""
    order = list(places)
    found: dict[str, tuple[float, float]] = {}
    for line, row in _records(path, DEMOG_COLUMNS):
        region = row["region"]
        if region not in order:
            raise FlowError(
                _("{file}, row {row}: {region} is not a place of the stock table").format(
                    file=path.name, row=line, region=region
                )
            )
        found[region] = (
            _number(path, line, "births", row["births"]),
            _number(path, line, "deaths", row["deaths"]),
        )
    absent = [p for p in order if p not in found]
    if absent:
        raise FlowError(
            _("{file}: no births and deaths for {places}").format(
                file=path.name, places=", ".join(absent[:10])
            )
        )
    births = np.array([found[p][0] for p in order])
    deaths = np.array([found[p][1] for p in order])
    return births, deaths


def _flow_text(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def flow_rows(
    est: Estimate, places: tuple[str, ...], by_birthplace: bool = False
) -> Iterator[list[str]]:
    """Off-diagonal flows above zero, sorted by origin then destination (then birthplace)."""
    order = sorted(range(len(places)), key=lambda i: places[i])
    if by_birthplace and est.by_birthplace is not None:
        cube = est.by_birthplace
        for o in order:
            for d in order:
                if o == d:
                    continue
                for b in order:
                    if cube[b, o, d] > 0:
                        yield [places[o], places[d], places[b], _flow_text(cube[b, o, d])]
        return
    for o in order:
        for d in order:
            if o != d and est.flows[o, d] > 0:
                yield [places[o], places[d], _flow_text(est.flows[o, d])]


def flow_header(by_birthplace: bool) -> list[str]:
    return (
        ["origin", "destination", "birthplace", "flow"]
        if by_birthplace
        else ["origin", "destination", "flow"]
    )
