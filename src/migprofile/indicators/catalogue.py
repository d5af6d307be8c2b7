"""The catalogue of standard indicators (data): what each id means, its unit, definition,
SDG code and how it is derived. `indicators.query` turns an entry into SQL.

Stored observations keep the publisher's own code (`wdi:BX.TRF.PWKR.CD.DT`) or, where the
publisher has none, the catalogue id itself (`immigrant_stock`); the catalogue maps between them.

Which sources measure an indicator is the sources' own fact: every registered source lists the
catalogue ids it `feeds`, and an indicator's `sources` are those sources in `(preference, id)`
order (the first wins where several publish the same value).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from migprofile.errors import UsageError


def sources_feeding(indicator_id: str) -> tuple[str, ...]:
    """Ids of the registered sources that feed an indicator, in preference order."""
    from migprofile.sources import REGISTRY

    feeding = [s for s in REGISTRY if indicator_id in getattr(s, "feeds", ())]
    return tuple(s.id for s in sorted(feeding, key=lambda s: (s.preference, s.id)))


@dataclass(frozen=True)
class Indicator:
    id: str
    title: str
    unit: str
    definition: str
    stored_as: tuple[str, ...] = ()
    # Preference order when several sources measure it. Left empty, it is the registered
    # sources that feed this id (sources_feeding), computed when the entry is made.
    sources: tuple[str, ...] = ()
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

    def __post_init__(self) -> None:
        if not self.sources:
            object.__setattr__(self, "sources", sources_feeding(self.id))

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
        sdg=None,
    ),
    Indicator(
        "immigrant_pct_population",
        "Immigrants as a share of the population",
        "%",
        "International migrant stock as a percentage of the total population.",
        additive=False,
    ),
    Indicator(
        "immigrant_female_pct",
        "Female share of immigrants",
        "%",
        "Female migrants as a percentage of the international migrant stock.",
        additive=False,
    ),
    Indicator(
        "migrant_stock",
        "Migrant stock by destination and origin",
        "persons",
        "People born in (or citizens of) the partner country living in the geo country; "
        "geo = destination, partner = origin.",
        bilateral=True,
    ),
    Indicator(
        "emigrant_stock",
        "Emigrant stock (diaspora)",
        "persons",
        "People born in the country who live abroad: the origin's total across destinations "
        "(the WORLD row where the file has one, otherwise the sum over destination countries).",
        derivation="origin_total",
        derived_from="migrant_stock",
    ),
    Indicator(
        "remittances_received_usd",
        "Personal remittances received",
        "current US$",
        "Personal transfers and compensation of employees received (balance of payments).",
        stored_as=(*_wdi("BX.TRF.PWKR.CD.DT"), "remittances_received_usd"),
    ),
    Indicator(
        "remittances_paid_usd",
        "Personal remittances paid",
        "current US$",
        "Personal transfers and compensation of employees paid (balance of payments).",
        stored_as=(*_wdi("BM.TRF.PWKR.CD.DT"), "remittances_paid_usd"),
    ),
    Indicator(
        "remittances_received_pct_gdp",
        "Personal remittances received, % of GDP",
        "% of GDP",
        "Personal remittances received as a share of gross domestic product.",
        stored_as=(*_wdi("BX.TRF.PWKR.DT.GD.ZS"), "remittances_received_pct_gdp"),
        additive=False,
    ),
    Indicator(
        "remittance_cost_to_pct",
        "Cost of sending US$200 to the country",
        "%",
        "Average transaction cost of sending US$200 to the country (Remittance Prices Worldwide).",
        stored_as=(*_wdi("SI.RMT.COST.IB.ZS"), "remittance_cost_to_pct"),
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
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "net_migration",
        "Net migration",
        "persons",
        "Immigrants minus emigrants over the year, including citizens and non-citizens.",
        stored_as=(*_wdi("SM.POP.NETM"), "net_migration"),
    ),
    Indicator(
        "population",
        "Population, total",
        "persons",
        "Mid-year population: all residents regardless of legal status or citizenship.",
        stored_as=(*_wdi("SP.POP.TOTL"), "population"),
    ),
    Indicator(
        "gdp_usd",
        "GDP",
        "current US$",
        "Gross domestic product at purchasers' prices, current US$.",
        stored_as=(*_wdi("NY.GDP.MKTP.CD"), "gdp_usd"),
    ),
    Indicator(
        "gdp_per_capita_usd",
        "GDP per capita",
        "current US$",
        "Gross domestic product divided by mid-year population, current US$.",
        stored_as=(*_wdi("NY.GDP.PCAP.CD"), "gdp_per_capita_usd"),
        additive=False,
    ),
    Indicator(
        "poverty_headcount_pct",
        "Poverty headcount ratio (international poverty line)",
        "% of population",
        "Share of the population living below the international poverty line; the line "
        "(e.g. $2.15 or $3.00 a day, PPP) is the one named in the source's metadata.",
        stored_as=(*_wdi("SI.POV.DDAY"), "poverty_headcount_pct"),
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
        bilateral=True,
        modelled=True,
    ),
    Indicator(
        "remittances_inflow_knomad_usd",
        "Remittance inflows (KNOMAD)",
        "US$",
        "Annual migrant remittance inflows as published by the World Bank-KNOMAD "
        "(latest year often an estimate, marked e).",
    ),
    Indicator(
        "remittances_outflow_knomad_usd",
        "Remittance outflows (KNOMAD)",
        "US$",
        "Annual migrant remittance outflows as published by the World Bank-KNOMAD.",
    ),
    Indicator(
        "remittance_cost_corridor_pct",
        "Cost of sending US$200 in a corridor",
        "%",
        "Average total cost of sending US$200 from the partner (sending) country to the geo "
        "(receiving) country, Remittance Prices Worldwide; quarters kept as periods, the "
        "annual value is the mean of the year's quarters.",
        bilateral=True,
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "remittance_cost_corridor_500_pct",
        "Cost of sending US$500 in a corridor",
        "%",
        "Average total cost of sending US$500 from the partner to the geo country (RPW).",
        bilateral=True,
        additive=False,
    ),
    Indicator(
        "idps_conflict_stock",
        "Internally displaced people (conflict and violence)",
        "persons",
        "People living in internal displacement due to conflict and violence at year end "
        "(IDMC, rounded headline figure).",
    ),
    Indicator(
        "idps_disaster_stock",
        "Internally displaced people (disasters)",
        "persons",
        "People living in internal displacement due to disasters at year end (IDMC).",
    ),
    Indicator(
        "new_displacements_conflict",
        "Internal displacements (conflict and violence)",
        "movements",
        "New internal displacements (movements) due to conflict and violence in the year (IDMC).",
    ),
    Indicator(
        "new_displacements_disaster",
        "Internal displacements (disasters)",
        "movements",
        "New internal displacements (movements) due to disasters in the year (IDMC).",
    ),
    Indicator(
        "refugees",
        "Refugees under UNHCR's mandate, by asylum and origin",
        "persons",
        "Refugees under UNHCR's mandate; geo = country of asylum, partner = country of origin.",
        bilateral=True,
    ),
    Indicator(
        "asylum_seekers",
        "Asylum-seekers",
        "persons",
        "People whose claim for international protection has not yet been decided; "
        "geo = country of asylum, partner = country of origin.",
        bilateral=True,
    ),
    Indicator(
        "returned_refugees",
        "Returned refugees",
        "persons",
        "Former refugees who returned to their country of origin in the year (UNHCR).",
        bilateral=True,
    ),
    Indicator(
        "stateless",
        "Stateless persons",
        "persons",
        "People not considered nationals by any state under its law (UNHCR).",
        bilateral=True,
    ),
    Indicator(
        "idps_unhcr",
        "IDPs of concern to UNHCR",
        "persons",
        "Internally displaced people protected or assisted by UNHCR.",
        bilateral=True,
    ),
    Indicator(
        "other_in_need",
        "Other people in need of international protection",
        "persons",
        "People outside their country who need international protection but are not reported "
        "as refugees or asylum-seekers (UNHCR).",
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
        sdg="10.7.4",
        derivation="origin_total",
        derived_from="refugees",
    ),
    Indicator(
        "refugees_hosted",
        "Refugees hosted",
        "persons",
        "Refugees under UNHCR's mandate living in the country, from all countries of origin.",
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
        derivation="destination_total",
        derived_from="asylum_seekers",
    ),
    Indicator(
        "asylum_seekers_by_origin",
        "Asylum-seekers by country of origin",
        "persons",
        "Asylum-seekers from the country, in all countries of asylum (UNHCR).",
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
