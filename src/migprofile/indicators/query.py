"""The query compiler: a catalogue indicator → SQL over observations, and the public reads.

`query_for` compiles; the store executes (`Store.query`, `Store.batches`), so this module
never runs a statement itself. `observations` and `stream_observations` are what the CLI, the
web API, profiles and news read indicators with; `compare` lines two indicators up.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc

from migprofile.errors import UsageError
from migprofile.indicators.catalogue import CATALOGUE, Indicator, lookup
from migprofile.indicators.user import know_user_indicators
from migprofile.store.editions import ANNUAL_SQL
from migprofile.store.resolved import RESOLVED
from migprofile.store.writer import BEFORE_COMMIT

if TYPE_CHECKING:
    from migprofile.store import Store

# One geo, or several (a whole indicator is streamed a group of geos at a time).
GeoSel = str | tuple[str, ...] | None


def _is(column: str, value: str | tuple[str, ...]) -> tuple[str, list]:
    """`column = ?`, or `column IN (?, ...)` for several values, with the values."""
    if isinstance(value, tuple):
        return f"{column} IN ({', '.join('?' * len(value))})", list(value)
    return f"{column} = ?", [value]


_SELECT = """
SELECT indicator, geo, partner, year, period, sex, age, value, unit,
       source, edition, sha256, file_name, sheet, "row", col, note, vintage_id
"""


def query_for(
    indicator_id: str,
    *,
    geo: GeoSel,
    partner: GeoSel,
    year: int | None,
    sex: str | None,
    source: str | None,
    edition: str | None,
    period: str | None = None,
) -> tuple[str, list]:
    """SQL and parameters for `observations` (geo None = every geo).

    For each value (geo, partner, sex, age, year, period) the preferred source wins, then its
    latest edition; every row says which, so a series that mixes editions shows it.
    """
    ind = lookup(indicator_id)
    rank = " ".join(f"WHEN '{s}' THEN {n}" for n, s in enumerate(ind.sources))
    rank_sql = f"CASE v.source {rank} ELSE 99 END" if rank else "99"
    dataset_sql, dataset_rank_sql = _dataset_sql(ind)
    sex = (sex or "total").lower()
    filters: list[str] = []
    args: list[Any] = []
    if sex != "all":
        if sex not in ("total", "male", "female"):
            raise UsageError(f"--sex: {sex!r} is not one of total, male, female, all")
        filters.append("o.sex = ?")
        args.append(sex)
    if period is None:
        if ind.periods == "annual":  # a monthly-only indicator: every month by default
            filters.append(f"o.period IN {ANNUAL_SQL}")
    elif period != "all":
        filters.append("o.period = ?")
        args.append(period)
    if source:
        filters.append("v.source = ?")
        args.append(source)
    if edition:
        filters.append("v.edition = ?")
        args.append(edition)
    # The year is picked after the series is chosen: a year the chosen edition lacks is
    # missing, never taken from another edition.
    year_args = [] if year is None else [int(year)]

    if ind.derivation == "formula":
        return _formula_sql(ind, geo=geo, year=year, sex=sex, source=source, edition=edition)
    if ind.derivation == "change":
        return _change_sql(ind, geo=geo, year=year, sex=sex, source=source, edition=edition)
    if ind.derivation == "top_partners":
        return _top_partners_sql(
            ind, geo=geo, partner=partner, year=year, sex=sex, source=source, edition=edition
        )
    if ind.derivation in ("origin_total", "destination_total"):
        cand, args = _total_sql(ind, geo, filters, args, rank_sql)
    else:
        if partner is not None:
            test, values = _is("o.partner", partner)
            filters.insert(0, test)
            args[0:0] = values
        elif not ind.bilateral:
            filters.insert(0, "o.partner = ''")
        if geo is not None:
            test, values = _is("o.geo", geo)
            filters.insert(0, test)
            args[0:0] = values
        extra = "".join(f" AND {f}" for f in filters)
        placeholders = ", ".join("?" * len(ind.codes))
        args = [*ind.codes, *args]
        cand = f"""
        WITH shaped AS (
            SELECT o.indicator, o.geo, o.partner, o.year, o.period, o.sex, o.age, o.value, o.unit,
                   v.source, v.edition, v.edition_order, v.sha256, v.file_name,
                   {rank_sql} AS source_rank, o.vintage_id, o.sheet, o."row", o.col, o.note
            FROM observations o JOIN vintages v USING (vintage_id)
            WHERE o.indicator IN ({placeholders}){extra}
        )"""

    sql = f"""{cand},
    editions AS (
        SELECT *, {dataset_sql} AS dataset, {dataset_rank_sql} AS dataset_rank FROM shaped
    ), chosen AS (
        -- one edition per series: the latest edition of the preferred dataset covering it
        SELECT *, first_value(dataset || '@' || edition) OVER (
            PARTITION BY geo, partner, sex, age, period IN {ANNUAL_SQL}
            ORDER BY dataset_rank, edition_order DESC, edition DESC) AS best_edition
        FROM editions
    ), ranked AS (
        -- within that edition, each value from the preferred file (official before extract)
        SELECT *, first_value(vintage_id) OVER (
            PARTITION BY geo, partner, sex, age, year, period
            ORDER BY source_rank, vintage_id DESC) AS best
        FROM chosen WHERE dataset || '@' || edition = best_edition
    )
    {_SELECT.replace("indicator,", f"'{ind.id}' AS indicator,", 1)}
    FROM ranked WHERE vintage_id = best{" AND year = ?" if year_args else ""}
    ORDER BY geo, partner, sex, year, period
    """
    return sql, [*args, *year_args]


def _read_sql(store: Store, indicator_id: str, **kwargs: Any) -> tuple[str, list]:
    """`query_for`'s SQL (its checks run either way), or the same read from the resolved table
    written at ingest where that can serve it (see "the resolved table" below)."""
    sql_args = query_for(indicator_id, **kwargs)
    return resolved_sql(store, indicator_id, **kwargs) or sql_args


def _dataset_sql(ind: Indicator) -> tuple[str, str]:
    """SQL naming each row's dataset (an extract counts as the dataset it extracts) and the
    dataset's rank (that of its best-ranked source)."""
    from migprofile.sources import dataset_of

    dataset = {sid: dataset_of(sid) for sid in ind.sources}
    best: dict[str, int] = {}
    for n, sid in enumerate(ind.sources):
        best.setdefault(dataset[sid], n)
    names = " ".join(f"WHEN '{sid}' THEN '{d}'" for sid, d in dataset.items() if d != sid)
    ranks = " ".join(f"WHEN '{sid}' THEN {best[d]}" for sid, d in dataset.items())
    return (
        f"CASE source {names} ELSE source END" if names else "source",
        f"CASE source {ranks} ELSE 99 END" if ranks else "99",
    )


# Who may be summed: countries, unknown/other, and pseudo-origins such as "Stateless" — never
# regions, which would count people twice.
_SUMMABLE = "SELECT geo FROM geo WHERE kind IN ('country', 'other') OR group_type LIKE '%pseudo%'"


def _total_sql(
    ind: Indicator, geo: GeoSel, filters: list[str], args: list, rank_sql: str
) -> tuple[str, list]:
    """A bilateral indicator summed to the origin (partner) or destination (geo) side.

    Where the file carries the total itself (a WORLD row or column), that value is used;
    otherwise the sum over countries, and the note says how many were summed.
    """
    base = lookup(ind.derived_from or "")
    by_origin = ind.derivation == "origin_total"
    side, other = ("partner", "geo") if by_origin else ("geo", "partner")
    if geo is not None:
        test, values = _is(f"o.{side}", geo)
        filters = [test, *filters]
        args = [*values, *args]
    group_args: list[str] = []
    if ind.over_members_of:
        # only the group's members, and never the file's world total
        filters = [*filters, f"o.{other} IN (SELECT member FROM geo_members WHERE group_geo = ?)"]
        group_args = [ind.over_members_of]
    extra = "".join(f" AND {f}" for f in filters)
    placeholders = ", ".join("?" * len(base.codes))
    label = "destination countries" if by_origin else "countries of origin"
    if base.id == "refugees":
        label = "countries of asylum" if by_origin else "countries of origin"
    if ind.over_members_of:
        size, name = _group_of(ind.over_members_of)
        label = f"of the {size} members of the {name}".replace("'", "''")
    return (
        f"""
        WITH raw AS (
            SELECT o.*, v.source, v.edition, v.edition_order, v.sha256, v.file_name,
                   {rank_sql} AS source_rank
            FROM observations o JOIN vintages v USING (vintage_id)
            WHERE o.indicator IN ({placeholders}){extra}
              AND o.{side} IN (SELECT geo FROM geo WHERE kind = 'country')
              AND (o.{other} = 'world' OR o.{other} IN ({_SUMMABLE}))
        ), cand AS (
            SELECT vintage_id, {side} AS total_of, year, period, sex, age,
                   any_value(unit) AS unit,
                   any_value(source) AS source, any_value(edition) AS edition,
                   any_value(edition_order) AS edition_order, any_value(sha256) AS sha256,
                   any_value(file_name) AS file_name, any_value(source_rank) AS source_rank,
                   max(value) FILTER (WHERE {other} = 'world') AS world_value,
                   max("row") FILTER (WHERE {other} = 'world') AS world_row,
                   any_value(sheet) FILTER (WHERE {other} = 'world') AS world_sheet,
                   any_value(col) FILTER (WHERE {other} = 'world') AS world_col,
                   sum(value) FILTER (WHERE {other} <> 'world') AS sum_value,
                   count(*) FILTER (WHERE {other} <> 'world') AS n_summed
            FROM raw GROUP BY vintage_id, {side}, year, period, sex, age
        ), shaped AS (
            SELECT '{ind.id}' AS indicator, total_of AS geo, '' AS partner, year, period,
                   sex, age, coalesce(world_value, sum_value) AS value, unit,
                   source, edition, edition_order, sha256, file_name, source_rank, vintage_id,
                   CASE WHEN world_value IS NOT NULL THEN world_sheet END AS sheet,
                   CASE WHEN world_value IS NOT NULL THEN world_row END AS "row",
                   CASE WHEN world_value IS NOT NULL THEN world_col END AS col,
                   CASE WHEN world_value IS NOT NULL THEN 'total as published (world row)'
                        ELSE 'sum over ' || n_summed || ' {label}' END AS note
            FROM cand
        )""",
        [*base.codes, *args, *group_args],
    )


def _group_of(group: str) -> tuple[int, str]:
    """The code-defined group's size and name, for the note 'sum over N of the M members'."""
    from migprofile.geo.harmonise import built_in_entries

    entries, members = built_in_entries()
    name = next((e.name for e in entries if e.geo == group), group)
    return len(members.get(group, ())), name


def _formula_sql(
    ind: Indicator,
    *,
    geo: GeoSel,
    year: int | None,
    sex: str,
    source: str | None,
    edition: str | None,
) -> tuple[str, list]:
    """Two indicators for the same geo and year combined by the catalogue's formula.

    Each component keeps its own source selection; the result names both sources and
    editions, and the note gives the formula with the values it used.
    """
    parts: list[str] = []
    args: list[Any] = []
    for comp in ind.components:
        sql, a = query_for(
            comp, geo=geo, partner=None, year=year, sex=sex, source=source, edition=edition
        )
        parts.append(sql)
        args += a
    expr = re.sub(r"\b([ab])\b", r"\1.value", ind.formula or "")
    a_name, b_name = ind.components
    return (
        f"""
    SELECT '{ind.id}' AS indicator, a.geo, '' AS partner, a.year, a.period, a.sex, a.age,
           CASE WHEN b.value IS NOT NULL AND b.value <> 0 THEN {expr} END AS value,
           '{ind.unit}' AS unit,
           a.source || ' + ' || b.source AS source, a.edition || ' + ' || b.edition AS edition,
           a.sha256 || ' + ' || b.sha256 AS sha256,
           a.file_name || ' + ' || b.file_name AS file_name,
           NULL AS sheet, NULL AS "row", NULL AS col,
           '{ind.formula} with a = {a_name} ' || a.value || ', b = {b_name} ' || b.value AS note,
           a.vintage_id
    FROM ({parts[0]}) a JOIN ({parts[1]}) b
      ON a.geo = b.geo AND a.year = b.year AND a.sex = b.sex
         -- the year's values match whatever their date ('' or mid-year); quarters by quarter
         AND (a.period = b.period OR (a.period IN {ANNUAL_SQL} AND b.period IN {ANNUAL_SQL}))
    WHERE a.value IS NOT NULL AND b.value IS NOT NULL
    ORDER BY a.geo, a.year
    """,
        args,
    )


def _change_sql(
    ind: Indicator,
    *,
    geo: GeoSel,
    year: int | None,
    sex: str,
    source: str | None,
    edition: str | None,
) -> tuple[str, list]:
    """A series minus the same source's previous value; the note names both years."""
    base, args = query_for(
        ind.derived_from or "", geo=geo, partner=None, year=None, sex=sex, source=source,
        edition=edition,
    )  # fmt: skip
    year_filter = ""
    if year is not None:
        year_filter = "WHERE year = ?"
        args = [*args, int(year)]
    return (
        f"""
    SELECT * FROM (
        SELECT '{ind.id}' AS indicator, geo, partner, year, period, sex, age,
               value - lag(value) OVER w AS value, unit,
               source, edition, sha256, file_name, NULL AS sheet, NULL AS "row", NULL AS col,
               'change since ' || lag(year) OVER w || ': ' || lag(value) OVER w || ' ('
                   || lag(source) OVER w || ' ' || lag(edition) OVER w || ') to ' || value
                   AS note,
               vintage_id, lag(year) OVER w AS previous_year
        FROM ({base}) b
        -- within one source: a change across publishers would mostly measure their methods
        WINDOW w AS (PARTITION BY geo, partner, sex, age, period IN {ANNUAL_SQL}, source, edition
                     ORDER BY year)
    ) c
    {year_filter}
    {"AND" if year_filter else "WHERE"} previous_year IS NOT NULL
    ORDER BY geo, sex, year
    """.replace("previous_year IS NOT NULL", "c.previous_year IS NOT NULL"),
        args,
    )


def _top_partners_sql(
    ind: Indicator,
    *,
    geo: GeoSel,
    partner: GeoSel,
    year: int | None,
    sex: str,
    source: str | None,
    edition: str | None,
) -> tuple[str, list]:
    """Migrant stock seen from one side: destinations of a country's emigrants, or origins of
    its immigrants, countries only, largest first. geo is always the profile's country."""
    destinations = ind.id == "top_destinations"
    base, args = query_for(
        ind.derived_from or "",
        geo=partner if destinations else geo,
        partner=geo if destinations else partner,
        year=year, sex=sex, source=source, edition=edition,
    )  # fmt: skip
    me, other = ("partner", "geo") if destinations else ("geo", "partner")
    return (
        f"""
    SELECT '{ind.id}' AS indicator, b.{me} AS geo, b.{other} AS partner, year, period, sex, age,
           value, unit, source, edition, sha256, file_name, sheet, "row", col, note, vintage_id
    FROM ({base}) b
    WHERE b.{other} IN (SELECT geo FROM geo WHERE kind = 'country') AND value IS NOT NULL
    ORDER BY b.{me}, year DESC, sex, value DESC
    """,
        args,
    )


# -- the public reads ------------------------------------------------------------------------------


# Geos one read may ask for (after regions are expanded to their members): the faces' cap.
MAX_GEOS = 300


def resolve_geos(
    store: Store, items: Sequence[str], *, parameter: str = "GEO", expand: bool | None = None
) -> tuple[str, ...]:
    """Several geos (ISO3, M49, id or name each) → their ids in the order given, each once.

    In a list of two or more (or with `expand=True`), a region or aggregate stands for its
    member countries followed by itself (its own rows: the regional total); one geo alone is
    itself, as it always was. UsageError naming the unknown item, or when more than MAX_GEOS."""
    if len(items) > MAX_GEOS:
        raise UsageError(f"{parameter}: {len(items)} geos given; at most {MAX_GEOS}")
    ids = [store.resolve_geo(item, parameter=parameter) for item in items]
    if expand is None:
        expand = len(ids) > 1
    out: list[str] = []
    for geo_id in ids:
        if expand:
            out += store.member_countries(geo_id)  # [] for a country
        out.append(geo_id)
    found = tuple(dict.fromkeys(out))
    if len(found) > MAX_GEOS:
        raise UsageError(
            f"{parameter}: {len(found)} geos once regions are expanded; at most {MAX_GEOS}"
        )
    return found


def observations(
    store: Store,
    indicator: str,
    geo: str | Sequence[str],
    *,
    partner: str | Sequence[str] | None = None,
    year: int | None = None,
    sex: str | None = None,
    source: str | None = None,
    edition: str | None = None,
    period: str | None = None,
    as_pandas: bool = False,
) -> Any:
    """Observations of a catalogue indicator (or a source code such as wdi:SP.POP.TOTL).

    GEO and PARTNER accept ISO3, M49 or names, or a list of them (`["KAZ", "KGZ"]`: the rows
    of each, in the order given; in a list a region stands for its members then itself, see
    `resolve_geos`). One edition per series: the latest of the preferred source unless
    `source`/`edition` say otherwise. `period` picks a sub-annual value (e.g. '2020Q3'; 'all'
    for every period); by default annual values only.
    Returns a pyarrow.Table (a pandas DataFrame with as_pandas=True).
    """
    know_user_indicators(store)
    geo_id: str | tuple[str, ...]
    partner_id: str | tuple[str, ...] | None
    if isinstance(geo, str):
        geo_id = store.resolve_geo(geo, parameter="GEO")
    else:
        geo_id = resolve_geos(store, list(geo), parameter="GEO")
    if partner is None or isinstance(partner, str):
        partner_id = store.resolve_geo(partner, parameter="--partner") if partner else None
    else:
        partner_id = resolve_geos(store, list(partner), parameter="--partner")
    if isinstance(geo_id, str) and isinstance(partner_id, tuple):
        geo_id = (geo_id,)  # several partners: in the order given, as for several geos
    sql, args = _read_sql(
        store,
        indicator,
        geo=geo_id,
        partner=partner_id,
        year=year,
        sex=sex,
        source=source,
        edition=edition,
        period=period,
    )
    if source is not None and not store.has_source(source):
        raise UsageError(f"--source {source!r}: no such source in the store")
    if edition is not None and not store.has_edition(edition):
        raise UsageError(f"--edition {edition!r}: no such edition in the store")
    table = store.query(sql, args)
    if isinstance(geo_id, tuple):
        table = _in_order(
            store, indicator, table, geo_id, partner_id, year=year, sex=sex, source=source,
            edition=edition,
        )  # fmt: skip
    elif table.num_rows == 0 and partner_id is None:
        table = region_table(
            store, indicator, geo_id, table.schema, year=year, sex=sex, source=source,
            edition=edition,
        ) or table  # fmt: skip
    if as_pandas:
        try:
            return table.to_pandas()
        except ModuleNotFoundError:
            raise UsageError(
                "as_pandas=True needs pandas: pip install 'migprofile[pandas]'"
            ) from None
    return table


def _in_order(
    store: Store,
    indicator: str,
    table: pa.Table,
    geos: tuple[str, ...],
    partner: str | tuple[str, ...] | None,
    *,
    year: int | None = None,
    sex: str | None = None,
    source: str | None = None,
    edition: str | None = None,
) -> pa.Table:
    """The rows of several geos (one query's table) geo by geo in the order asked for (and
    partner by partner where several were), each geo's rows in the query's own order; a geo
    without rows of its own that is a region gets its members' sum (`region_table`), as one
    geo alone would."""
    keys = {"g": pc.index_in(table["geo"], value_set=pa.array(list(geos), pa.string()))}
    if isinstance(partner, tuple):
        keys["p"] = pc.index_in(table["partner"], value_set=pa.array(list(partner), pa.string()))
    keys["n"] = pa.array(range(table.num_rows), pa.int64())
    order = pc.sort_indices(pa.table(keys), sort_keys=[(k, "ascending") for k in keys])
    table = table.take(order)
    counts: dict[int | None, int] = {}
    for i in keys["g"].to_pylist():
        counts[i] = counts.get(i, 0) + 1
    pieces: list[pa.Table] = []
    start = 0
    for i, geo in enumerate(geos):
        n = counts.get(i, 0)
        if n:
            pieces.append(table.slice(start, n))
            start += n
        elif partner is None:
            region = region_table(
                store, indicator, geo, table.schema, year=year, sex=sex, source=source,
                edition=edition,
            )  # fmt: skip
            if region is not None:
                pieces.append(region)
    if start < table.num_rows:  # rows of no geo asked for (none expected): kept, last
        pieces.append(table.slice(start))
    return pa.concat_tables(pieces) if pieces else table


def region_table(
    store: Store,
    indicator: str,
    geo: str,
    schema: pa.Schema,
    *,
    year: int | None = None,
    sex: str | None = None,
    source: str | None = None,
    edition: str | None = None,
) -> pa.Table | None:
    """A region no publisher reports (`central-asia`) computed from its members exactly as
    profiles compute it (`indicators.regions.region_rows`: sums, ratios of sums, means), the
    coverage in each row's note. None when the geo has no member countries or migprofile does
    not compute the indicator for regions."""
    from migprofile.indicators.regions import components_of, region_computable, region_rows

    ind = lookup(indicator)
    if ind.bilateral or (sex or "total").lower() not in ("total", "all"):
        return None
    if ind.derivation not in (None, "origin_total", "destination_total", "formula"):
        return None
    if not region_computable(ind) or (not ind.additive and (source or edition)):
        return None  # a ratio's parts each come from their own preferred source
    members = store.member_countries(geo)
    if not members:
        return None
    by_indicator: dict[str, dict[str, list[dict]]] = {}
    for part in components_of(ind):
        sql, args = query_for(
            part, geo=tuple(members), partner=None, year=None, sex="all",
            source=source if part == ind.id else None,
            edition=edition if part == ind.id else None,
        )  # fmt: skip
        by_geo: dict[str, list[dict]] = {}
        for r in store.query_dicts(sql, args):
            by_geo.setdefault(r["geo"], []).append(r)
        by_indicator[part] = by_geo
    rows = [
        {**r, "note": f"{r['note']}; {r['coverage']}"}
        for r in region_rows(ind, geo, lambda i: by_indicator.get(i, {}), members)
        if year is None or r["year"] == int(year)
    ]
    if not rows:
        return None
    return pa.Table.from_pylist([{k: r.get(k) for k in schema.names} for r in rows], schema)


def stream_observations(
    store: Store,
    indicator: str,
    geo: GeoSel = None,
    *,
    partner: GeoSel = None,
    year: int | None = None,
    sex: str | None = None,
    batch_size: int = 5000,
) -> Iterator[dict]:
    """Rows of `observations` one batch at a time (geo None = every geo): a full export of an
    indicator never sits in memory. Geo ids must already be resolved (a tuple: several, read
    GROUP_GEOS at a time, in the order given, as `observations` gives a list of them).

    Every geo's rows depend on that geo's observations only (each query partitions, groups or
    joins by geo first, and sorts by geo first), so a whole indicator is read a group of geos
    at a time (about `GROUP_ROWS` stored rows each), the groups in `ORDER BY geo` order: the
    same rows in the same order as one query, while the store only ever ranks and sorts one
    group (one query over the whole indicator would materialise it, once per stream).

    Each group's result is taken from the store whole, as an Arrow table, and handed out
    `batch_size` rows at a time: the columns hold a group in a fraction of what the engine
    keeps for an open result (its sort and window state), and the query's working memory is
    freed before the first row is sent, not held while a slow client reads. The rows are the
    ones `Store.batches` gives for the same query (same values, same Python types)."""
    know_user_indicators(store)
    kwargs: dict[str, Any] = {
        "partner": partner, "year": year, "sex": sex, "source": None, "edition": None,
    }  # fmt: skip
    if isinstance(geo, str) and isinstance(partner, tuple):
        geo = (geo,)  # several partners: in the order given, as for several geos
    if isinstance(geo, tuple):  # several geos, in order, a few at a time
        for start in range(0, len(geo), GROUP_GEOS):
            group = geo[start : start + GROUP_GEOS]
            sql, args = _read_sql(store, indicator, geo=group, **kwargs)
            table = _in_order(
                store, indicator, store.query(sql, args), group, partner, year=year, sex=sex
            )
            yield from _rows(table, batch_size)
        return
    if geo is not None:
        sql, args = _read_sql(store, indicator, geo=geo, **kwargs)
        table = store.query(sql, args)
        if table.num_rows == 0 and partner is None:  # a region: its members' sum
            table = region_table(store, indicator, geo, table.schema, year=year, sex=sex) or table
        yield from _rows(table, batch_size)
        return
    query_for(indicator, geo=None, **kwargs)  # the same checks (sex, ...) before any read
    geos_sql, geos_args = _geos_sql(lookup(indicator))
    for group in _groups([(r["g"], r["n"]) for r in store.batches(geos_sql, geos_args)]):
        sql, args = _read_sql(store, indicator, geo=group, **kwargs)
        yield from _rows(store.query(sql, args), batch_size)


# Stored rows per group of a whole-indicator stream (one group's Arrow table, ~0.5-1 MB, is
# what a stream holds). Not to be changed lightly: where a query's ORDER BY has ties (the
# partners of top_destinations / top_origins with equal values) their order depends on what
# else the group's query reads, so other groups would reorder tied rows in the CSV.
GROUP_ROWS = 5_000
# Geos per query when a stream reads a list of them (a bilateral indicator: ~5k rows a geo).
GROUP_GEOS = 20


def _rows(table: pa.Table, batch_size: int) -> Iterator[dict]:
    """The rows of a group's table as dicts, `batch_size` rows turned into Python objects at
    a time, the values and their types those of the table (`to_pylist`).

    The table is first compacted (`_compact`) and the engine's copy released: what a stream
    holds between two batches is a third of the table's size."""
    names = table.column_names
    size = max(1, batch_size)
    parts = [_compact(batch) for batch in table.to_batches()]
    del table  # from here on only the compact copy is held
    for n, columns in parts:
        for start in range(0, n, size):
            values = []
            for array, words in columns:
                cells = array.slice(start, size).to_pylist()
                values.append(cells if words is None else list(map(words.__getitem__, cells)))
            for row in zip(*values, strict=True):
                yield dict(zip(names, row, strict=True))
        columns.clear()  # a part is released once handed out


def _compact(batch: pa.RecordBatch) -> tuple[int, list[tuple[pa.Array, list | None]]]:
    """A record batch as (rows, columns) in Arrow's own memory pool, nothing shared with it.

    A text column (they repeat a few values: unit, source, edition, sha256, file name, note...)
    becomes its indices into the list of its distinct values (None last, for the nulls); any
    other column is copied as it is."""
    columns: list[tuple[pa.Array, list | None]] = []
    for column in batch.columns:
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            encoded = pc.dictionary_encode(column)
            words = [*encoded.dictionary.to_pylist(), None]
            columns.append((pc.fill_null(encoded.indices, len(words) - 1), words))
        else:
            columns.append((pa.concat_arrays([column]), None))
    return batch.num_rows, columns


def _groups(counts: list[tuple[str, int]]) -> Iterator[tuple[str, ...]]:
    """Consecutive geos (kept in order) in groups of about GROUP_ROWS stored rows."""
    group: list[str] = []
    size = 0
    for g, n in counts:
        if group and size + n > GROUP_ROWS:
            yield tuple(group)
            group, size = [], 0
        group.append(g)
        size += n
    if group:
        yield tuple(group)


def _raw_codes(ind: Indicator) -> list[str]:
    """The stored codes an indicator is computed from (its own, its components', its base's)."""
    codes = list(ind.codes)
    for name in (*ind.components, *([ind.derived_from] if ind.derived_from else [])):
        codes += _raw_codes(lookup(name))
    return list(dict.fromkeys(codes))


def _geos_sql(ind: Indicator) -> tuple[str, list]:
    """Every geo an indicator's rows can have (a geo or partner of its stored codes) with its
    number of stored rows, sorted as `ORDER BY geo` sorts: a small aggregate, never the rows."""
    codes = _raw_codes(ind)
    placeholders = ", ".join("?" * len(codes))
    return (
        f"""
    SELECT g, sum(n)::BIGINT AS n FROM (
        SELECT geo AS g, count(*) AS n FROM observations
        WHERE indicator IN ({placeholders}) GROUP BY geo
        UNION ALL
        SELECT partner AS g, count(*) AS n FROM observations
        WHERE indicator IN ({placeholders}) GROUP BY partner
    ) WHERE g <> '' GROUP BY g ORDER BY g
    """,
        [*codes, *codes],
    )


def compare(
    store: Store,
    indicator_a: str,
    indicator_b: str,
    geo: str | None = None,
    *,
    partner: str | None = None,
    year: int | None = None,
    source_a: str | None = None,
    source_b: str | None = None,
    max_year_gap: int = 0,
) -> pa.Table:
    """Two indicators that measure the same thing, lined up value by value, with the gap.

    `indicator@source` picks a source (e.g. migrant_stock@wb_bilateral_migration).
    `max_year_gap` pairs each value of A with B's nearest year within that many years, for
    sources published for different years (UN DESA 2015/2020 vs World Bank 2017).
    """
    if max_year_gap < 0:
        raise UsageError("--max-year-gap: must be 0 or more")
    know_user_indicators(store)

    def spec(text: str, source: str | None) -> tuple[str, str | None]:
        name, _, at = text.partition("@")
        return name, (source or at or None)

    (ind_a, src_a), (ind_b, src_b) = spec(indicator_a, source_a), spec(indicator_b, source_b)
    geo_id = store.resolve_geo(geo) if geo else None
    partner_id = store.resolve_geo(partner, parameter="--partner") if partner else None
    parts: list[str] = []
    args: list[Any] = []
    for ind, src in ((ind_a, src_a), (ind_b, src_b)):
        sql, a = query_for(ind, geo=geo_id, partner=partner_id, year=year, sex="total",
                           source=src, edition=None)  # fmt: skip
        parts.append(sql)
        args += a
    return store.compare_queries(parts[0], parts[1], args, max_year_gap=max_year_gap)


# -- the resolved table ---------------------------------------------------------------------
# Reads of plain indicators from the resolved table (`store.resolved`), written at ingest.
#
# A plain indicator's default read ranks every stored value by source and edition at read time
# (`query.query_for`: two window passes, ~10 ms for one country on the full corpus). That
# ranking depends on nothing a read chooses except which rows it keeps afterwards (it partitions
# by geo, partner, sex, age and annual-or-not, and picks the year after the edition), so it is
# run once for all rows at ingest and a read filters the result (~2 ms). Reads that choose a
# source, an edition or one sub-annual period, derived indicators and users' own indicators
# resolve at read time as before.


@cache
def plain_indicators() -> dict[str, Indicator]:
    """The catalogue's indicators read straight from observations (no derivation)."""
    return {ind.id: ind for ind in CATALOGUE if not ind.derivation}


def _build_sql(ind: Indicator) -> tuple[str, list]:
    """Every row the default read of `ind` can return: all geos, partners, sexes, periods."""
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


def materialise_resolved(store: Store) -> None:
    """Rebuild the resolved table where the observations changed (run by every `writer()`
    before it commits, once this module is imported)."""
    key = _key(store)
    if store.resolved_key() != key:
        store.replace_resolved([_build_sql(ind) for ind in plain_indicators().values()], key)


BEFORE_COMMIT.append(materialise_resolved)


def resolved_current(store: Store) -> bool:
    """Whether the store's resolved table was built from its observations by this catalogue
    (checked once per open store, shared by its cursors)."""
    if not store.read_only:  # a writer's copy: its observations change under its reads
        return False
    known = store.memo.get("resolved current")
    if known is None:
        known = store.resolved_key() == _key(store)
        store.memo["resolved current"] = known
    return bool(known)


def resolved_sql(store: Store, indicator_id: str, **read: Any) -> tuple[str, list] | None:
    """The read `query_for(indicator_id, **read)` describes, from the resolved table; None
    where the table cannot serve it (then resolve at read time). Same rows, columns and order
    as `query_for` gives; its checks run first there (`_read_sql`)."""
    ind = plain_indicators().get(indicator_id)
    if ind is None or read.get("source") or read.get("edition") or not resolved_current(store):
        return None
    # One quarter or month: its edition is chosen among the rows of that period alone (the
    # period is filtered before the ranking), not among the whole sub-annual series'.
    period = read.get("period")
    if period not in (None, "all"):
        return None
    geo, partner, year = read.get("geo"), read.get("partner"), read.get("year")
    if partner is not None and not ind.bilateral:  # the table holds only partner ''
        return None
    filters = ["indicator = ?"]
    args: list[Any] = [ind.id]
    for column, value in (("geo", geo), ("partner", partner)):
        if value is not None:
            test, values = _is(column, value)
            filters.append(test)
            args.extend(values)
    sex = (read.get("sex") or "total").lower()
    if sex != "all":
        filters.append("sex = ?")
        args.append(sex)
    if period is None and ind.periods == "annual":
        filters.append(f"period IN {ANNUAL_SQL}")
    if year is not None:
        filters.append("year = ?")
        args.append(int(year))
    where = " AND ".join(filters)
    sql = f"{_SELECT}FROM {RESOLVED} WHERE {where} ORDER BY geo, partner, sex, year, period, age"
    return sql, args
