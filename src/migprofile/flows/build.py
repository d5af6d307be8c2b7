"""Flows estimated from the store's own stocks: `migprofile flows build`.

Inputs, all read through the catalogue's queries:
* the UN DESA migrant stock by destination and origin (`migrant_stock`) of ONE edition for both
  years (the one-edition rule: the latest edition covering both, or the one asked for);
* WPP population (mid-year), births and deaths of one WPP edition. Births (deaths) over mid-t0
  to mid-t1 are half of the first calendar year's, the years between, and half of the last's.

Each table is closed to the world: native-born in j = population of j − all foreign-born in
j; a birthplace "rest of the world" takes the foreign-born of unknown or unlisted origin, and a
residence "rest of the world" the world's population outside the countries (WPP world minus
their sum, never below zero), so Σ S = world population at both dates. Every method runs;
the results are stored as the modelled source `migprofile_flows`, one vintage per period,
whose provenance names the method, the input editions and their sha256, and the options.
Flows to and from the rest of the world are not stored (they are a residual, not a place).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from migprofile.errors import UsageError
from migprofile.flows import methods as fm
from migprofile.flows.methods import METHODS, Array, Estimate, FlowError
from migprofile.indicators.query import query_for
from migprofile.sources.base import TIDY_SCHEMA
from migprofile.store import Store, writer
from migprofile.version import __version__
from migprofile.wording import _

SOURCE_ID = "migprofile_flows"
REST = "rest_of_world"
CODE = "migration_flow:{method}"  # the stored indicator code of each method's flows


@dataclass(frozen=True)
class Input:
    """One input vintage: what it is, and the file it came from."""

    indicator: str
    source: str
    edition: str
    sha256: str
    file_name: str


@dataclass
class FlowInputs:
    """Stock tables closed to the world population, and births and deaths, for one period."""

    t0: int
    t1: int
    places: tuple[str, ...]  # country geo ids, then REST
    s0: Array
    s1: Array
    births: Array
    deaths: Array
    inputs: list[Input] = field(default_factory=list)
    clipped: list[str] = field(default_factory=list)  # native-born below 0, set to 0

    def digest(self, options: dict) -> str:
        """The vintage's sha256: the input files' checksums, the period and the options."""
        blob = json.dumps(
            {
                "inputs": sorted({(i.source, i.edition, i.sha256) for i in self.inputs}),
                "t0": self.t0,
                "t1": self.t1,
                "places": self.places,
                "options": options,
                "version": __version__,
            },
            sort_keys=True,
        )
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _read(
    store: Store,
    indicator: str,
    year: int | None,
    edition: str | None = None,
    source: str | None = None,
) -> list[dict]:
    sql, args = query_for(
        indicator, geo=None, partner=None, year=year, sex="total", source=source, edition=edition
    )
    return store.query(sql, args).to_pylist()


def _edition(store: Store, t0: int, t1: int, edition: str | None) -> str:
    """The UN DESA edition of the stock tables: asked for, or the latest with both years."""
    seen: dict[str, set[int]] = {}
    for year in (t0, t1):
        for r in _read(store, "migrant_stock", year, edition):
            seen.setdefault(r["edition"], set()).add(year)
    both = sorted((e for e, years in seen.items() if years == {t0, t1}), reverse=True)
    if edition is not None and edition not in both:
        raise UsageError(
            _("--edition {edition}: the store has no stock tables of it for {t0} and {t1}").format(
                edition=edition, t0=t0, t1=t1
            )
        )
    if not both:
        raise UsageError(
            _(
                "no UN DESA edition in the store has stocks by destination and origin for both "
                "{t0} and {t1} (ingest UN DESA's origin-destination workbook)"
            ).format(t0=t0, t1=t1)
        )
    return both[0]


def _inputs_of(rows: Iterable[dict], indicator: str) -> list[Input]:
    return [
        Input(indicator, s, e, h, f)
        for s, e, h, f in sorted(
            {(r["source"], r["edition"], r["sha256"], r["file_name"]) for r in rows}
        )
    ]


def _by_geo(rows: Iterable[dict], year: int) -> dict[str, float]:
    return {
        r["geo"]: float(r["value"]) for r in rows if r["year"] == year and r["value"] is not None
    }


def _over_period(by_year: dict[int, dict[str, float]], t0: int, t1: int, geo: str) -> float:
    """Mid-t0 to mid-t1: half of the first and last calendar years plus the years between."""
    total = 0.0
    for year in range(t0, t1 + 1):
        weight = 0.5 if year in (t0, t1) else 1.0
        total += weight * by_year[year][geo]
    return total


def flow_inputs(
    store: Store,
    t0: int,
    t1: int,
    *,
    edition: str | None = None,
    regions: Sequence[str] | None = None,
) -> FlowInputs:
    """The closed stock tables of t0 and t1 and the period's births and deaths."""
    if t1 <= t0:
        raise UsageError(_("--t1 must be later than --t0"))
    edition = _edition(store, t0, t1, edition)
    kinds = store.geo_kinds()
    stock_rows = {year: _read(store, "migrant_stock", year, edition) for year in (t0, t1)}
    # each residence's foreign-born total from the same edition's destination table: what the
    # matrix does not place by country (unknown or unlisted origins) is the rest of the world's
    totals = {year: _read(store, "immigrant_stock", year, edition) for year in (t0, t1)}
    # WPP's mid-year population where the store has it, else the World Bank's (WDI), which
    # is also a mid-year total; the provenance names the one used
    wpp = [r for year in (t0, t1) for r in _read(store, "population", year, source="wpp")]
    if not wpp:
        wpp = [r for year in (t0, t1) for r in _read(store, "population", year, source="wdi")]
    if not wpp:
        raise UsageError(_("no population in the store (ingest UN WPP 2024 or WDI)"))
    vital = {name: _read(store, name, None, source="wpp") for name in ("births", "deaths")}
    for name, rows in vital.items():
        if not rows:
            raise UsageError(
                _("no WPP {what} in the store (ingest UN WPP 2024)").format(what=_(name))
            )
    pop = {year: _by_geo([r for r in wpp if r["year"] == year], year) for year in (t0, t1)}
    by_year = {
        name: {y: _by_geo([r for r in rows if r["year"] == y], y) for y in range(t0, t1 + 1)}
        for name, rows in vital.items()
    }
    countries = sorted(
        g
        for g in set(pop[t0]) & set(pop[t1])
        if kinds.get(g) == "country"
        and all(g in by_year[n][y] for n in by_year for y in range(t0, t1 + 1))
        and any(r["geo"] == g for r in stock_rows[t0])
    )
    if regions:
        wanted = set(regions)
        unknown = sorted(wanted - set(countries))
        if unknown:
            raise UsageError(
                _("--regions: no stocks, population, births and deaths for {geos}").format(
                    geos=", ".join(unknown)
                )
            )
        countries = [c for c in countries if c in wanted]
    if len(countries) < 2:
        raise UsageError(_("fewer than two countries have every input for the period"))
    places = (*countries, REST)
    index = {g: i for i, g in enumerate(places)}
    n = len(places)
    world_pop = {year: pop[year].get("world") for year in (t0, t1)}
    out = FlowInputs(t0, t1, places, np.zeros((n, n)), np.zeros((n, n)), np.zeros(n), np.zeros(n))
    for year, table in ((t0, out.s0), (t1, out.s1)):
        foreign_total = _by_geo(totals[year], year)
        known: dict[str, float] = {}
        for r in stock_rows[year]:
            dest, origin, value = r["geo"], r["partner"], r["value"]
            if dest not in index or value is None:
                continue
            if origin == "world":
                foreign_total.setdefault(dest, float(value))
            elif origin in index and origin != dest:
                table[index[origin], index[dest]] = float(value)
                known[dest] = known.get(dest, 0.0) + float(value)
        for g in countries:
            j = index[g]
            total_foreign = max(foreign_total.get(g, known.get(g, 0.0)), known.get(g, 0.0))
            table[index[REST], j] = total_foreign - known.get(g, 0.0)
            native = pop[year][g] - total_foreign
            if native < 0:
                out.clipped.append(f"{g} {year}")
                native = 0.0
            table[j, j] = native
        world = world_pop[year]
        world_total = float(world) if world is not None else float(table.sum())
        table[index[REST], index[REST]] = max(0.0, world_total - float(table.sum()))
    for name, vector in (("births", out.births), ("deaths", out.deaths)):
        for g in countries:
            vector[index[g]] = _over_period(by_year[name], t0, t1, g)
        if all("world" in by_year[name][y] for y in range(t0, t1 + 1)):
            world_total = _over_period(by_year[name], t0, t1, "world")
            vector[index[REST]] = max(0.0, world_total - vector[: len(countries)].sum())
    out.inputs = [
        *_inputs_of(stock_rows[t0] + stock_rows[t1], "migrant_stock"),
        *_inputs_of(totals[t0] + totals[t1], "immigrant_stock"),
        *_inputs_of(wpp, "population"),
        *(i for name, rows in vital.items() for i in _inputs_of(rows, name)),
    ]
    return out


def run_methods(inputs: FlowInputs, methods: Sequence[str] = METHODS) -> dict[str, Estimate]:
    """Every method on the same inputs (the demographic tables fitted once for both
    demographic methods); Dennett's rates share the demographic method's world total (the one
    total the data gives), which the provenance says."""
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise UsageError(
            _("method: unknown {method!r}; one of {methods}").format(
                method=unknown[0], methods=", ".join(METHODS)
            )
        )
    results: dict[str, Estimate] = {}
    try:
        _b0, _b1, f0, f1 = fm.demographic_tables(inputs.s0, inputs.s1, inputs.births, inputs.deaths)
        results["demographic"] = fm.minimum_migration(f0, f1)
        if "demographic-independent" in methods:
            results["demographic-independent"] = fm.independent_moves(f0, f1)
        if "diff-zero" in methods:
            results["diff-zero"] = fm.diff_zero(inputs.s0, inputs.s1)
        if "diff-return" in methods:
            results["diff-return"] = fm.diff_return(inputs.s0, inputs.s1)
        if "rates-dennett" in methods:
            results["rates-dennett"] = fm.rates_dennett(inputs.s0, results["demographic"].total)
    except FlowError as exc:
        raise UsageError(str(exc)) from None
    return {m: results[m] for m in methods}


def flow_table(inputs: FlowInputs, results: dict[str, Estimate]) -> pa.Table:
    """Observations of every method: geo = destination, partner = origin, year = t1."""
    countries = [p for p in inputs.places if p != REST]
    k = len(countries)
    cols: dict[str, list] = {
        "indicator": [], "geo": [], "partner": [], "year": [], "period": [], "sex": [],
        "age": [], "value": [], "unit": [], "sheet": [], "row": [], "col": [], "note": [],
    }  # fmt: skip
    for method, est in results.items():
        note = _("estimated flow, mid-{t0} to mid-{t1}, method {method} (modelled)").format(
            t0=inputs.t0, t1=inputs.t1, method=method
        )
        flows = est.flows[:k, :k]
        origins, dests = np.nonzero(flows > 0)
        for o, d in zip(origins.tolist(), dests.tolist(), strict=True):
            cols["indicator"].append(CODE.format(method=method))
            cols["geo"].append(countries[d])
            cols["partner"].append(countries[o])
            cols["value"].append(float(flows[o, d]))
            cols["row"].append(o + 1)
            cols["col"].append(countries[d])
        m = len(origins)
        cols["year"] += [inputs.t1] * m
        cols["period"] += [""] * m
        cols["sex"] += ["total"] * m
        cols["age"] += ["total"] * m
        cols["unit"] += ["persons"] * m
        cols["sheet"] += [method] * m
        cols["note"] += [note] * m
    return pa.table(cols, schema=TIDY_SCHEMA)


@dataclass(frozen=True)
class FlowBuild:
    """What `build_flows` did: the period, the places, each method's world total."""

    t0: int
    t1: int
    places: int
    totals: dict[str, float]
    rows: int
    edition: str
    stored: bool  # False: these very inputs and options were stored before


def build_flows(
    db: Path | None,
    t0: int,
    t1: int,
    *,
    edition: str | None = None,
    regions: Sequence[str] | None = None,
    methods: Sequence[str] = METHODS,
) -> FlowBuild:
    """Estimate the period's flows by every method from the store and store them (modelled)."""
    with Store.open(db) as store:
        inputs = flow_inputs(store, t0, t1, edition=edition, regions=regions)
        options = {"methods": list(methods), "regions": sorted(regions or []), "edition": edition}
        digest = inputs.digest(options)
        known = store.known_file(SOURCE_ID, digest)
    period_edition = f"{t0}-{t1}"
    if known is not None:
        return FlowBuild(t0, t1, len(inputs.places) - 1, {}, 0, period_edition, False)
    results = run_methods(inputs, methods)
    table = flow_table(inputs, results)
    stock = next(i for i in inputs.inputs if i.indicator == "migrant_stock")
    totals = {m: r.total for m, r in results.items()}
    described = "; ".join(
        f"{i.indicator}: {i.source} {i.edition} {i.file_name} sha256 {i.sha256}"
        for i in inputs.inputs
    )
    note = (
        f"methods {', '.join(methods)}; rates-dennett shares the demographic total; "
        f"UN DESA edition {stock.edition}; inputs: {described}"
        + (
            f"; native-born below zero set to 0: {', '.join(inputs.clipped)}"
            if inputs.clipped
            else ""
        )
    )
    with writer(db) as out:
        out.upsert_source(
            source=SOURCE_ID,
            title="Migration flows estimated from migrant stocks (migprofile)",
            publisher="migprofile",
            homepage=None,
            licence="same as the inputs",
            citation="migprofile flows build: estimates from UN DESA migrant stocks and UN WPP",
            modelled=True,
            kind="modelled",
            short_name="migprofile flows",
        )
        out.drop_vintages(SOURCE_ID, period_edition)
        out.add_vintage(
            table,
            source=SOURCE_ID,
            edition=period_edition,
            edition_order=f"{t1:04d}-{t0:04d}",
            layout="migprofile-flows",
            file_name=f"flows {period_edition}",
            file_path=None,
            sha256=digest,
            bytes=None,
            url=None,
            retrieved_at=None,
            note=note,
        )
    return FlowBuild(t0, t1, len(inputs.places) - 1, totals, table.num_rows, period_edition, True)
