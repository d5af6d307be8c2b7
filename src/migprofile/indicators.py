"""The catalogue of standard indicators: one place that says what each id means and where it
comes from, and how `get` turns it into SQL over observations.

Stored observations keep the publisher's own code (`wdi:BX.TRF.PWKR.CD.DT`) or, where the
publisher has none, the catalogue id itself (`immigrant_stock`); the catalogue maps between them.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from migprofile.errors import UsageError

DESTINATION = "undesa_ims_destination"
ORIGIN = "undesa_ims_origin"


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    unit: str
    definition: str
    stored_as: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # preference order when several sources measure it
    sdg: str | None = None
    bilateral: bool = False
    # "origin_total" / "destination_total": a bilateral indicator summed to one side
    derivation: str | None = None
    derived_from: str | None = None
    # "formula": SQL over two indicators a and b for the same geo and year, e.g. 100 * a / b
    formula: str | None = None
    components: tuple[str, ...] = ()
    additive: bool = True  # may a region's value be summed from its members'?
    modelled: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.stored_as or (self.id,)


def _wdi(code: str) -> tuple[str, ...]:
    return (f"wdi:{code}",)


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "immigrant_stock",
        "International migrant stock (immigrants)",
        "persons",
        "People living in a country other than their country of birth (or of citizenship where "
        "birthplace is not recorded), at mid-year.",
        sources=(DESTINATION, ORIGIN),
        sdg=None,
    ),
    Indicator(
        "immigrant_pct_population",
        "Immigrants as a share of the population",
        "%",
        "International migrant stock as a percentage of the total population.",
        sources=(DESTINATION,),
        additive=False,
    ),
    Indicator(
        "immigrant_female_pct",
        "Female share of immigrants",
        "%",
        "Female migrants as a percentage of the international migrant stock.",
        sources=(DESTINATION,),
        additive=False,
    ),
    Indicator(
        "migrant_stock",
        "Migrant stock by destination and origin",
        "persons",
        "People born in (or citizens of) the partner country living in the geo country; "
        "geo = destination, partner = origin.",
        sources=(ORIGIN, "gmdac_gdiviz", "wb_bilateral_migration"),
        bilateral=True,
    ),
    Indicator(
        "emigrant_stock",
        "Emigrant stock (diaspora)",
        "persons",
        "People born in the country who live abroad: the origin's total across destinations "
        "(the WORLD row where the file has one, otherwise the sum over destination countries).",
        sources=(ORIGIN, "gmdac_gdiviz", "wb_bilateral_migration"),
        derivation="origin_total",
        derived_from="migrant_stock",
    ),
    Indicator(
        "remittances_received_usd",
        "Personal remittances received",
        "current US$",
        "Personal transfers and compensation of employees received (balance of payments).",
        stored_as=(*_wdi("BX.TRF.PWKR.CD.DT"), "remittances_received_usd"),
        sources=("wdi",),
    ),
    Indicator(
        "remittances_paid_usd",
        "Personal remittances paid",
        "current US$",
        "Personal transfers and compensation of employees paid (balance of payments).",
        stored_as=(*_wdi("BM.TRF.PWKR.CD.DT"), "remittances_paid_usd"),
        sources=("wdi",),
    ),
    Indicator(
        "remittances_received_pct_gdp",
        "Personal remittances received, % of GDP",
        "% of GDP",
        "Personal remittances received as a share of gross domestic product.",
        stored_as=(*_wdi("BX.TRF.PWKR.DT.GD.ZS"), "remittances_received_pct_gdp"),
        sources=("wdi",),
        additive=False,
    ),
    Indicator(
        "remittance_cost_to_pct",
        "Cost of sending US$200 to the country",
        "%",
        "Average transaction cost of sending US$200 to the country (Remittance Prices Worldwide).",
        stored_as=(*_wdi("SI.RMT.COST.IB.ZS"), "remittance_cost_to_pct"),
        sources=("wdi",),
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "remittance_cost_from_pct",
        "Cost of sending US$200 from the country",
        "%",
        "Average transaction cost of sending US$200 from the country (Remittance Prices "
        "Worldwide).",
        stored_as=(*_wdi("SI.RMT.COST.OB.ZS"), "remittance_cost_from_pct"),
        sources=("wdi",),
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "net_migration",
        "Net migration",
        "persons",
        "Immigrants minus emigrants over the year, including citizens and non-citizens.",
        stored_as=(*_wdi("SM.POP.NETM"), "net_migration"),
        sources=("wdi",),
    ),
    Indicator(
        "population",
        "Population, total",
        "persons",
        "Mid-year population: all residents regardless of legal status or citizenship.",
        stored_as=(*_wdi("SP.POP.TOTL"), "population"),
        sources=("wdi",),
    ),
    Indicator(
        "gdp_usd",
        "GDP",
        "current US$",
        "Gross domestic product at purchasers' prices, current US$.",
        stored_as=(*_wdi("NY.GDP.MKTP.CD"), "gdp_usd"),
        sources=("wdi",),
    ),
    Indicator(
        "gdp_per_capita_usd",
        "GDP per capita",
        "current US$",
        "Gross domestic product divided by mid-year population, current US$.",
        stored_as=(*_wdi("NY.GDP.PCAP.CD"), "gdp_per_capita_usd"),
        sources=("wdi",),
        additive=False,
    ),
    Indicator(
        "poverty_headcount_pct",
        "Poverty headcount ratio (international poverty line)",
        "% of population",
        "Share of the population living below the international poverty line; the line "
        "(e.g. $2.15 or $3.00 a day, PPP) is the one named in the source's metadata.",
        stored_as=(*_wdi("SI.POV.DDAY"), "poverty_headcount_pct"),
        sources=("wdi",),
        sdg="1.1.1",
        additive=False,
    ),
)


CATALOGUE += (
    Indicator(
        "remittances_bilateral_usd",
        "Bilateral remittances (modelled)",
        "US$",
        "Estimated remittances from the sending (partner) to the receiving (geo) country. "
        "Modelled by the World Bank/KNOMAD from migrant stocks, incomes and total inflows: "
        "an estimate, not an observation.",
        sources=("wb_bilateral_remittances",),
        bilateral=True,
        modelled=True,
    ),
    Indicator(
        "remittances_inflow_knomad_usd",
        "Remittance inflows (KNOMAD)",
        "US$",
        "Annual migrant remittance inflows as published by the World Bank-KNOMAD "
        "(latest year often an estimate, marked e).",
        sources=("knomad_remittance_flows",),
    ),
    Indicator(
        "remittances_outflow_knomad_usd",
        "Remittance outflows (KNOMAD)",
        "US$",
        "Annual migrant remittance outflows as published by the World Bank-KNOMAD.",
        sources=("knomad_remittance_flows",),
    ),
    Indicator(
        "remittance_cost_corridor_pct",
        "Cost of sending US$200 in a corridor",
        "%",
        "Average total cost of sending US$200 from the partner (sending) country to the geo "
        "(receiving) country, Remittance Prices Worldwide; quarters kept as periods, the "
        "annual value is the mean of the year's quarters.",
        sources=("rpw_corridors", "rpw_providers"),
        bilateral=True,
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "remittance_cost_corridor_500_pct",
        "Cost of sending US$500 in a corridor",
        "%",
        "Average total cost of sending US$500 from the partner to the geo country (RPW).",
        sources=("rpw_providers",),
        bilateral=True,
        additive=False,
    ),
    Indicator(
        "idps_conflict_stock",
        "Internally displaced people (conflict and violence)",
        "persons",
        "People living in internal displacement due to conflict and violence at year end "
        "(IDMC, rounded headline figure).",
        sources=("idmc",),
    ),
    Indicator(
        "idps_disaster_stock",
        "Internally displaced people (disasters)",
        "persons",
        "People living in internal displacement due to disasters at year end (IDMC).",
        sources=("idmc",),
    ),
    Indicator(
        "new_displacements_conflict",
        "Internal displacements (conflict and violence)",
        "movements",
        "New internal displacements (movements) due to conflict and violence in the year (IDMC).",
        sources=("idmc",),
    ),
    Indicator(
        "new_displacements_disaster",
        "Internal displacements (disasters)",
        "movements",
        "New internal displacements (movements) due to disasters in the year (IDMC).",
        sources=("idmc",),
    ),
    Indicator(
        "refugees",
        "Refugees under UNHCR's mandate, by asylum and origin",
        "persons",
        "Refugees under UNHCR's mandate; geo = country of asylum, partner = country of origin.",
        sources=("unhcr",),
        bilateral=True,
    ),
    Indicator(
        "asylum_seekers",
        "Asylum-seekers",
        "persons",
        "People whose claim for international protection has not yet been decided; "
        "geo = country of asylum, partner = country of origin.",
        sources=("unhcr",),
        bilateral=True,
    ),
    Indicator(
        "returned_refugees",
        "Returned refugees",
        "persons",
        "Former refugees who returned to their country of origin in the year (UNHCR).",
        sources=("unhcr",),
        bilateral=True,
    ),
    Indicator(
        "stateless",
        "Stateless persons",
        "persons",
        "People not considered nationals by any state under its law (UNHCR).",
        sources=("unhcr",),
        bilateral=True,
    ),
    Indicator(
        "idps_unhcr",
        "IDPs of concern to UNHCR",
        "persons",
        "Internally displaced people protected or assisted by UNHCR.",
        sources=("unhcr",),
        bilateral=True,
    ),
    Indicator(
        "other_in_need",
        "Other people in need of international protection",
        "persons",
        "People outside their country who need international protection but are not reported "
        "as refugees or asylum-seekers (UNHCR).",
        sources=("unhcr",),
        bilateral=True,
    ),
)

CATALOGUE += (
    Indicator(
        "refugees_by_origin",
        "Refugees by country of origin",
        "persons",
        "Refugees under UNHCR's mandate who originate from the country, in all countries of "
        "asylum (the total row where the file has one, else the sum over asylum countries). "
        "SDG 10.7.4 is this number per 100,000 population of the country of origin.",
        sources=("unhcr",),
        sdg="10.7.4",
        derivation="origin_total",
        derived_from="refugees",
    ),
    Indicator(
        "refugees_hosted",
        "Refugees hosted",
        "persons",
        "Refugees under UNHCR's mandate living in the country, from all countries of origin.",
        sources=("unhcr",),
        derivation="destination_total",
        derived_from="refugees",
    ),
)

CATALOGUE += (
    Indicator(
        "asylum_seekers_hosted",
        "Asylum-seekers hosted",
        "persons",
        "Asylum-seekers in the country, from all countries of origin (UNHCR).",
        sources=("unhcr",),
        derivation="destination_total",
        derived_from="asylum_seekers",
    ),
    Indicator(
        "asylum_seekers_by_origin",
        "Asylum-seekers by country of origin",
        "persons",
        "Asylum-seekers from the country, in all countries of asylum (UNHCR).",
        sources=("unhcr",),
        derivation="origin_total",
        derived_from="asylum_seekers",
    ),
    Indicator(
        "emigrant_pct",
        "Emigrants as a share of population plus emigrants",
        "%",
        "Emigrant stock as a percentage of the resident population plus the emigrant stock: "
        "the share of everyone born in the country who lives abroad.",
        derivation="formula",
        formula="100.0 * a / (a + b)",
        components=("emigrant_stock", "population"),
        additive=False,
    ),
    Indicator(
        "remittances_per_capita_usd",
        "Remittances received per person",
        "current US$",
        "Personal remittances received divided by the mid-year population.",
        derivation="formula",
        formula="a / b",
        components=("remittances_received_usd", "population"),
        additive=False,
    ),
    Indicator(
        "refugees_by_origin_per_100k",
        "Refugees per 100,000 population of the country of origin",
        "per 100,000",
        "Refugees from the country (all countries of asylum) per 100,000 of its population: "
        "SDG indicator 10.7.4.",
        sdg="10.7.4",
        derivation="formula",
        formula="100000.0 * a / b",
        components=("refugees_by_origin", "population"),
        additive=False,
    ),
    Indicator(
        "gdp_per_capita_derived_usd",
        "GDP per person (GDP / population)",
        "current US$",
        "GDP in current US$ divided by the mid-year population, where the WDI per-capita "
        "series itself was not ingested.",
        derivation="formula",
        formula="a / b",
        components=("gdp_usd", "population"),
        additive=False,
    ),
)

CATALOGUE += (
    Indicator(
        "emigrant_stock_change",
        "Change in emigrant stock since the previous estimate",
        "persons",
        "Emigrant stock minus the previous year's estimate in the same series (UN DESA "
        "publishes every five years); the note names both years and editions.",
        derivation="change",
        derived_from="emigrant_stock",
    ),
    Indicator(
        "immigrant_stock_change",
        "Change in immigrant stock since the previous estimate",
        "persons",
        "International migrant stock minus the previous year's estimate in the same series.",
        derivation="change",
        derived_from="immigrant_stock",
    ),
    Indicator(
        "top_destinations",
        "Top destinations of emigrants",
        "persons",
        "Countries where most people born in the country live: geo = country of origin, "
        "partner = destination, value = migrant stock (ranked by value in each year).",
        derivation="top_partners",
        derived_from="migrant_stock",
        bilateral=True,
        sources=(ORIGIN, "gmdac_gdiviz", "wb_bilateral_migration"),
    ),
    Indicator(
        "top_origins",
        "Top origins of immigrants",
        "persons",
        "Countries of birth of most immigrants: geo = destination, partner = origin, "
        "value = migrant stock (ranked by value in each year).",
        derivation="top_partners",
        derived_from="migrant_stock",
        bilateral=True,
        sources=(ORIGIN, "gmdac_gdiviz", "wb_bilateral_migration"),
    ),
)

# IDMC publishes rounded headline figures beside the raw ones: both are kept, rounded by default.
CATALOGUE += tuple(
    Indicator(
        f"{base.id}_raw",
        f"{base.title} (raw, unrounded)",
        base.unit,
        base.definition.replace("rounded headline figure", "raw figure") + " Unrounded value as "
        "published beside the rounded headline figure.",
        sources=base.sources,
    )
    for base in CATALOGUE
    if base.sources == ("idmc",)
)

# Remittance Prices Worldwide provider-level breakdowns: what the debate on digital family
# remittances turns on. Means over surveyed transparent services, per corridor and quarter.
_RPW_BREAKDOWNS = {
    "rpw_cost_200_digital_pct": ("US$200", "digital-only services (online, mobile, account)"),
    "rpw_cost_200_cash_pct": ("US$200", "services paid or picked up in cash"),
    "rpw_cost_500_digital_pct": ("US$500", "digital-only services (online, mobile, account)"),
    "rpw_cost_500_cash_pct": ("US$500", "services paid or picked up in cash"),
    "rpw_cost_200_firm_bank_pct": ("US$200", "banks"),
    "rpw_cost_200_firm_mto_pct": ("US$200", "money transfer operators"),
    "rpw_cost_200_firm_post_pct": ("US$200", "post offices"),
    "rpw_cost_200_firm_mno_pct": ("US$200", "mobile network operators"),
    "rpw_cost_200_firm_other_pct": ("US$200", "other types of firm"),
}
CATALOGUE += tuple(
    Indicator(
        ind_id,
        f"Cost of sending {amount} in a corridor, {who}",
        "%",
        f"Average total cost (fee + exchange-rate margin) of sending {amount} from the partner "
        f"to the geo country through {who}, Remittance Prices Worldwide provider data.",
        sources=("rpw_providers",),
        bilateral=True,
        additive=False,
    )
    for ind_id, (amount, who) in _RPW_BREAKDOWNS.items()
)

BY_ID = {i.id: i for i in CATALOGUE}


def lookup(indicator_id: str) -> Indicator:
    """A catalogue entry, or an ad-hoc one for a source's own code such as `wdi:SP.POP.TOTL`."""
    if indicator_id in BY_ID:
        return BY_ID[indicator_id]
    if ":" in indicator_id and indicator_id.split(":", 1)[1]:
        return Indicator(indicator_id, indicator_id, "", "source's own code", (indicator_id,))
    close = difflib.get_close_matches(indicator_id, list(BY_ID), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UsageError(
        f"INDICATOR: unknown indicator {indicator_id!r}{hint}; "
        "`migprofile indicators` lists them, or use a source code such as wdi:SP.POP.TOTL"
    )


_SELECT = """
SELECT indicator, geo, partner, year, period, sex, age, value, unit,
       source, edition, sha256, file_name, sheet, "row", col, note, vintage_id
"""


def query_for(indicator_id, *, geo, partner, year, sex, source, edition, period=None):
    """SQL and parameters for `Store.get` (geo None = every geo).

    For each value (geo, partner, sex, age, year, period) the preferred source wins, then its
    latest edition; every row says which, so a series that mixes editions shows it.
    """
    ind = lookup(indicator_id)
    rank = " ".join(f"WHEN '{s}' THEN {n}" for n, s in enumerate(ind.sources))
    rank_sql = f"CASE v.source {rank} ELSE 99 END" if rank else "99"
    sex = (sex or "total").lower()
    filters, args = [], []
    if sex != "all":
        if sex not in ("total", "male", "female"):
            raise UsageError(f"--sex: {sex!r} is not one of total, male, female, all")
        filters.append("o.sex = ?")
        args.append(sex)
    if period is None:
        filters.append("o.period = ''")
    elif period != "all":
        filters.append("o.period = ?")
        args.append(period)
    if source:
        filters.append("v.source = ?")
        args.append(source)
    if edition:
        filters.append("v.edition = ?")
        args.append(edition)
    if year is not None:
        filters.append("o.year = ?")
        args.append(int(year))

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
            filters.insert(0, "o.partner = ?")
            args.insert(0, partner)
        elif not ind.bilateral:
            filters.insert(0, "o.partner = ''")
        if geo is not None:
            filters.insert(0, "o.geo = ?")
            args.insert(0, geo)
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
    ranked AS (
        SELECT *, first_value(vintage_id) OVER (
            PARTITION BY geo, partner, sex, age, year, period
            ORDER BY source_rank, edition_order DESC, vintage_id DESC) AS best
        FROM shaped
    )
    {_SELECT.replace("indicator,", f"'{ind.id}' AS indicator,", 1)}
    FROM ranked WHERE vintage_id = best
    ORDER BY geo, partner, sex, year, period
    """
    return sql, args


# Who may be summed: countries, unknown/other, and pseudo-origins such as "Stateless" — never
# regions, which would count people twice.
_SUMMABLE = "SELECT geo FROM geo WHERE kind IN ('country', 'other') OR group_type LIKE '%pseudo%'"


def _total_sql(
    ind: Indicator, geo, filters: list[str], args: list, rank_sql: str
) -> tuple[str, list]:
    """A bilateral indicator summed to the origin (partner) or destination (geo) side.

    Where the file carries the total itself (a WORLD row or column), that value is used;
    otherwise the sum over countries, and the note says how many were summed.
    """
    base = lookup(ind.derived_from)
    by_origin = ind.derivation == "origin_total"
    side, other = ("partner", "geo") if by_origin else ("geo", "partner")
    if geo is not None:
        filters = [f"o.{side} = ?", *filters]
        args = [geo, *args]
    extra = "".join(f" AND {f}" for f in filters)
    placeholders = ", ".join("?" * len(base.codes))
    label = "destination countries" if by_origin else "countries of origin"
    if base.id == "refugees":
        label = "countries of asylum" if by_origin else "countries of origin"
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
        [*base.codes, *args],
    )


def _formula_sql(ind: Indicator, *, geo, year, sex, source, edition) -> tuple[str, list]:
    """Two indicators for the same geo and year combined by the catalogue's formula.

    Each component keeps its own source selection; the result names both sources and
    editions, and the note gives the formula with the values it used.
    """
    parts, args = [], []
    for comp in ind.components:
        sql, a = query_for(
            comp, geo=geo, partner=None, year=year, sex=sex, source=source, edition=edition
        )
        parts.append(sql)
        args += a
    expr = re.sub(r"\b([ab])\b", r"\1.value", ind.formula)
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
      ON a.geo = b.geo AND a.year = b.year AND a.period = b.period AND a.sex = b.sex
    WHERE a.value IS NOT NULL AND b.value IS NOT NULL
    ORDER BY a.geo, a.year
    """,
        args,
    )


def _change_sql(ind: Indicator, *, geo, year, sex, source, edition) -> tuple[str, list]:
    """A series minus the same source's previous value; the note names both years."""
    base, args = query_for(
        ind.derived_from, geo=geo, partner=None, year=None, sex=sex, source=source,
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
        WINDOW w AS (PARTITION BY geo, partner, sex, age, period, source ORDER BY year)
    ) c
    {year_filter}
    {"AND" if year_filter else "WHERE"} previous_year IS NOT NULL
    ORDER BY geo, sex, year
    """.replace("previous_year IS NOT NULL", "c.previous_year IS NOT NULL"),
        args,
    )


def _top_partners_sql(ind: Indicator, *, geo, partner, year, sex, source, edition):
    """Migrant stock seen from one side: destinations of a country's emigrants, or origins of
    its immigrants, countries only, largest first. geo is always the profile's country."""
    destinations = ind.id == "top_destinations"
    base, args = query_for(
        ind.derived_from,
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
