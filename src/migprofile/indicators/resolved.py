"""Reads of plain indicators from the resolved table (`store.resolved`), written at ingest.

A plain indicator's default read ranks every stored value by source and edition at read time
(`query.query_for`: two window passes, ~10 ms for one country on the full corpus). That
ranking depends on nothing a read chooses except which rows it keeps afterwards (it partitions
by geo, partner, sex, age and annual-or-not, and picks the year after the edition), so it is
run once for all rows at ingest and a read filters the result (~2 ms). Reads that choose a
source, an edition or one sub-annual period, derived indicators and users' own indicators
resolve at read time as before.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import TYPE_CHECKING, Any

from migprofile.indicators.catalogue import CATALOGUE, Indicator
from migprofile.store.editions import ANNUAL_SQL
from migprofile.store.resolved import RESOLVED
from migprofile.store.writer import BEFORE_COMMIT

if TYPE_CHECKING:
    from migprofile.store import Store

GeoSel = str | tuple[str, ...] | None


@cache
def plain_indicators() -> dict[str, Indicator]:
    """The catalogue's indicators read straight from observations (no derivation)."""
    return {ind.id: ind for ind in CATALOGUE if not ind.derivation}


def _build_sql(ind: Indicator) -> tuple[str, list]:
    """Every row the default read of `ind` can return: all geos, partners, sexes, periods."""
    from migprofile.indicators.query import query_for

    return query_for(
        ind.id, geo=None, partner=None, year=None, sex="all", source=None, edition=None,
        period="all",
    )  # fmt: skip


@cache
def _code_key() -> str:
    """The resolving SQL of every plain indicator: another catalogue, another table."""
    text = "\n".join(
        f"{sql}|{args!r}" for sql, args in map(_build_sql, plain_indicators().values())
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _key(store: Store) -> str:
    return hashlib.sha256(f"{store.observations_fingerprint()}|{_code_key()}".encode()).hexdigest()


def materialise(store: Store) -> None:
    """Rebuild the resolved table where the observations changed (run by every `writer()`
    before it commits, once this module is imported)."""
    key = _key(store)
    if store.resolved_key() != key:
        store.replace_resolved([_build_sql(ind) for ind in plain_indicators().values()], key)


BEFORE_COMMIT.append(materialise)


def current(store: Store) -> bool:
    """Whether the store's resolved table was built from its observations by this catalogue
    (checked once per open store, shared by its cursors)."""
    if not store.read_only:  # a writer's copy: its observations change under its reads
        return False
    known = store.memo.get("resolved current")
    if known is None:
        known = store.resolved_key() == _key(store)
        store.memo["resolved current"] = known
    return bool(known)


def resolved_sql(
    store: Store,
    indicator_id: str,
    *,
    geo: GeoSel,
    partner: GeoSel,
    year: int | None,
    sex: str | None,
    source: str | None,
    edition: str | None,
    period: str | None = None,
) -> tuple[str, list] | None:
    """The read from the resolved table, or None where it cannot serve it (then resolve at read
    time). Same rows, columns and order as `query_for` gives; its checks run first there."""
    ind = plain_indicators().get(indicator_id)
    if ind is None or source or edition or not current(store):
        return None
    # One quarter or month: its edition is chosen among the rows of that period alone (the
    # period is filtered before the ranking), not among the whole sub-annual series'.
    if period not in (None, "all"):
        return None
    if partner is not None and not ind.bilateral:  # the table holds only partner ''
        return None
    filters = ["indicator = ?"]
    args: list[Any] = [ind.id]
    if geo is not None:
        filters.append(_in("geo", geo, args))
    if partner is not None:
        filters.append(_in("partner", partner, args))
    sex = (sex or "total").lower()
    if sex != "all":
        filters.append("sex = ?")
        args.append(sex)
    if period is None and ind.periods == "annual":
        filters.append(f"period IN {ANNUAL_SQL}")
    if year is not None:
        filters.append("year = ?")
        args.append(int(year))
    sql = (
        "SELECT indicator, geo, partner, year, period, sex, age, value, unit, source, edition, "
        f'sha256, file_name, sheet, "row", col, note, vintage_id FROM {RESOLVED} '
        f"WHERE {' AND '.join(filters)} ORDER BY geo, partner, sex, year, period, age"
    )
    return sql, args


def _in(column: str, value: str | tuple[str, ...], args: list) -> str:
    if isinstance(value, tuple):
        args.extend(value)
        return f"{column} IN ({', '.join('?' * len(value))})"
    args.append(value)
    return f"{column} = ?"
