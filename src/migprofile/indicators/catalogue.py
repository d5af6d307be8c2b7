"""The catalogue of standard indicators (data): what each id means, its unit, definition,
SDG code and how it is derived. `indicators.query` turns an entry into SQL.

Stored observations keep the publisher's own code (`wdi:BX.TRF.PWKR.CD.DT`) or, where the
publisher has none, the catalogue id itself (`immigrant_stock`); the catalogue maps between them.

Which sources measure an indicator is the sources' own fact: every registered source lists the
catalogue ids it `feeds`, and an indicator's `sources` are those sources in `(preference, id)`
order (the first wins where several publish the same value).

Titles, units and definitions are English source strings marked with ``N_`` for extraction;
what a reader sees goes through ``display_title()`` / ``display_unit()`` /
``display_definition()``, in the active language. Ids and the stored unit stay as they are.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, replace

from migprofile.errors import UsageError
from migprofile.wording.i18n import N_, _


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
    # with a total: only the other side's members of this group are summed (never a published
    # world total), e.g. "eu27_2020" for the people born in a country who live in the EU
    over_members_of: str = ""
    # "formula": SQL over two indicators a and b for the same geo and year, e.g. 100 * a / b
    formula: str | None = None
    components: tuple[str, ...] = ()
    additive: bool = True  # may a region's value be summed from its members'?
    modelled: bool = False
    # "monthly": values come by month only (period 'YYYY-MM'), so reads take every period by
    # default; "annual" (default): reads take the year's values unless a period is asked for
    periods: str = "annual"
    notes: tuple[str, ...] = field(default_factory=tuple)
    # A user's own indicator (`migprofile import --title ...`): its words are the user's, shown
    # as given; `concept` is the standard indicator it measures differently (shown beside it,
    # never inside its series).
    user: bool = False
    concept: str = ""
    # Titles and definitions made from a template (the RPW breakdowns, IDMC's raw figures): the
    # template and its parts, each translated on its own where the text is shown.
    title_template: str = field(default="", compare=False, repr=False)
    definition_template: str = field(default="", compare=False, repr=False)
    template_args: tuple[tuple[str, str], ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.sources:
            feeding = sources_feeding(self.id)
            if not feeding and self.derived_from:
                # a total over a bilateral indicator ranks its sources as the base does (the
                # official file before its extract), else their order would be arbitrary
                feeding = sources_feeding(self.derived_from)
            object.__setattr__(self, "sources", feeding)

    def _words(self, text: str) -> str:
        """A catalogue text in the active language; a user's own words as they wrote them."""
        return text if self.user else _(text)

    def _filled(self, template: str) -> str:
        return _(template).format(**{k: _(v) for k, v in self.template_args})

    def display_title(self) -> str:
        """The title in the active language."""
        return self._filled(self.title_template) if self.title_template else self._words(self.title)

    def display_definition(self) -> str:
        """The definition in the active language."""
        if self.definition_template:
            return self._filled(self.definition_template)
        return self._words(self.definition)

    def display_unit(self) -> str:
        """The unit as a reader sees it ('persons', 'current US$'), in the active language."""
        return self._words(self.unit) if self.unit else ""

    def display_notes(self) -> tuple[str, ...]:
        return tuple(_(n) for n in self.notes)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.stored_as or (self.id,)


def _wdi(code: str) -> tuple[str, ...]:
    return (f"wdi:{code}",)


CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "immigrant_stock",
        N_("International migrant stock (immigrants)"),
        N_("persons"),
        N_(
            "People living in a country other than their country of birth (or of citizenship where "
            "birthplace is not recorded), at mid-year."
        ),
        sdg=None,
    ),
    Indicator(
        "immigrant_pct_population",
        N_("Immigrants as a share of the population"),
        N_("%"),
        N_("International migrant stock as a percentage of the total population."),
        additive=False,
    ),
    Indicator(
        "immigrant_female_pct",
        N_("Female share of immigrants"),
        N_("%"),
        N_("Female migrants as a percentage of the international migrant stock."),
        additive=False,
    ),
    Indicator(
        "migrant_stock",
        N_("Migrant stock by destination and origin"),
        N_("persons"),
        N_(
            "People born in (or citizens of) the partner country living in the geo country; "
            "geo = destination, partner = origin."
        ),
        bilateral=True,
    ),
    Indicator(
        "emigrant_stock",
        N_("Emigrant stock (diaspora)"),
        N_("persons"),
        N_(
            "People born in the country who live abroad: the origin's total across destinations "
            "(the WORLD row where the file has one, otherwise the sum over destination countries)."
        ),
        derivation="origin_total",
        derived_from="migrant_stock",
    ),
    Indicator(
        "remittances_received_usd",
        N_("Personal remittances received"),
        N_("current US$"),
        N_("Personal transfers and compensation of employees received (balance of payments)."),
        stored_as=(*_wdi("BX.TRF.PWKR.CD.DT"), "remittances_received_usd"),
    ),
    Indicator(
        "remittances_paid_usd",
        N_("Personal remittances paid"),
        N_("current US$"),
        N_("Personal transfers and compensation of employees paid (balance of payments)."),
        stored_as=(*_wdi("BM.TRF.PWKR.CD.DT"), "remittances_paid_usd"),
    ),
    Indicator(
        "remittances_received_pct_gdp",
        N_("Personal remittances received, % of GDP"),
        N_("% of GDP"),
        N_("Personal remittances received as a share of gross domestic product."),
        stored_as=(*_wdi("BX.TRF.PWKR.DT.GD.ZS"), "remittances_received_pct_gdp"),
        additive=False,
    ),
    Indicator(
        "remittance_cost_to_pct",
        N_("Cost of sending US$200 to the country"),
        N_("%"),
        N_(
            "Average transaction cost of sending US$200 to the country "
            "(Remittance Prices Worldwide)."
        ),
        stored_as=(*_wdi("SI.RMT.COST.IB.ZS"), "remittance_cost_to_pct"),
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "remittance_cost_from_pct",
        N_("Cost of sending US$200 from the country"),
        N_("%"),
        N_(
            "Average transaction cost of sending US$200 from the country (Remittance Prices "
            "Worldwide)."
        ),
        stored_as=(*_wdi("SI.RMT.COST.OB.ZS"), "remittance_cost_from_pct"),
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "net_migration",
        N_("Net migration"),
        N_("persons"),
        N_("Immigrants minus emigrants over the year, including citizens and non-citizens."),
        stored_as=(*_wdi("SM.POP.NETM"), "net_migration"),
    ),
    Indicator(
        "population",
        N_("Population, total"),
        N_("persons"),
        N_("Mid-year population: all residents regardless of legal status or citizenship."),
        stored_as=(*_wdi("SP.POP.TOTL"), "population"),
    ),
    Indicator(
        "gdp_usd",
        N_("GDP"),
        N_("current US$"),
        N_("Gross domestic product at purchasers' prices, current US$."),
        stored_as=(*_wdi("NY.GDP.MKTP.CD"), "gdp_usd"),
    ),
    Indicator(
        "gdp_per_capita_usd",
        N_("GDP per capita"),
        N_("current US$"),
        N_("Gross domestic product divided by mid-year population, current US$."),
        stored_as=(*_wdi("NY.GDP.PCAP.CD"), "gdp_per_capita_usd"),
        additive=False,
    ),
    Indicator(
        "poverty_headcount_pct",
        N_("Poverty headcount ratio (international poverty line)"),
        N_("% of population"),
        N_(
            "Share of the population living below the international poverty line; the line "
            "(e.g. $2.15 or $3.00 a day, PPP) is the one named in the source's metadata."
        ),
        stored_as=(*_wdi("SI.POV.DDAY"), "poverty_headcount_pct"),
        sdg="1.1.1",
        additive=False,
    ),
)


CATALOGUE += (
    Indicator(
        "remittances_bilateral_usd",
        N_("Bilateral remittances (modelled)"),
        N_("US$"),
        N_(
            "Estimated remittances from the sending (partner) to the receiving (geo) country. "
            "Modelled by the World Bank/KNOMAD from migrant stocks, incomes and total inflows: "
            "an estimate, not an observation."
        ),
        bilateral=True,
        modelled=True,
    ),
    Indicator(
        "remittances_inflow_knomad_usd",
        N_("Remittance inflows (KNOMAD)"),
        N_("US$"),
        N_(
            "Annual migrant remittance inflows as published by the World Bank-KNOMAD "
            "(latest year often an estimate, marked e)."
        ),
    ),
    Indicator(
        "remittances_outflow_knomad_usd",
        N_("Remittance outflows (KNOMAD)"),
        N_("US$"),
        N_("Annual migrant remittance outflows as published by the World Bank-KNOMAD."),
    ),
    Indicator(
        "remittance_cost_corridor_pct",
        N_("Cost of sending US$200 in a corridor"),
        N_("%"),
        N_(
            "Average total cost of sending US$200 from the partner (sending) country to the geo "
            "(receiving) country, Remittance Prices Worldwide; quarters kept as periods, the "
            "annual value is the mean of the year's quarters."
        ),
        bilateral=True,
        sdg="10.c.1",
        additive=False,
    ),
    Indicator(
        "remittance_cost_corridor_500_pct",
        N_("Cost of sending US$500 in a corridor"),
        N_("%"),
        N_("Average total cost of sending US$500 from the partner to the geo country (RPW)."),
        bilateral=True,
        additive=False,
    ),
    Indicator(
        "idps_conflict_stock",
        N_("Internally displaced people (conflict and violence)"),
        N_("persons"),
        N_(
            "People living in internal displacement due to conflict and violence at year end "
            "(IDMC, rounded headline figure)."
        ),
    ),
    Indicator(
        "idps_disaster_stock",
        N_("Internally displaced people (disasters)"),
        N_("persons"),
        N_("People living in internal displacement due to disasters at year end (IDMC)."),
    ),
    Indicator(
        "new_displacements_conflict",
        N_("Internal displacements (conflict and violence)"),
        N_("movements"),
        N_(
            "New internal displacements (movements) due to conflict and violence in the year "
            "(IDMC)."
        ),
    ),
    Indicator(
        "new_displacements_disaster",
        N_("Internal displacements (disasters)"),
        N_("movements"),
        N_("New internal displacements (movements) due to disasters in the year (IDMC)."),
    ),
    Indicator(
        "refugees",
        N_("Refugees under UNHCR's mandate, by asylum and origin"),
        N_("persons"),
        N_("Refugees under UNHCR's mandate; geo = country of asylum, partner = country of origin."),
        bilateral=True,
    ),
    Indicator(
        "asylum_seekers",
        N_("Asylum-seekers"),
        N_("persons"),
        N_(
            "People whose claim for international protection has not yet been decided; "
            "geo = country of asylum, partner = country of origin."
        ),
        bilateral=True,
    ),
    Indicator(
        "returned_refugees",
        N_("Returned refugees"),
        N_("persons"),
        N_("Former refugees who returned to their country of origin in the year (UNHCR)."),
        bilateral=True,
    ),
    Indicator(
        "stateless",
        N_("Stateless persons"),
        N_("persons"),
        N_("People not considered nationals by any state under its law (UNHCR)."),
        bilateral=True,
    ),
    Indicator(
        "idps_unhcr",
        N_("IDPs of concern to UNHCR"),
        N_("persons"),
        N_("Internally displaced people protected or assisted by UNHCR."),
        bilateral=True,
    ),
    Indicator(
        "other_in_need",
        N_("Other people in need of international protection"),
        N_("persons"),
        N_(
            "People outside their country who need international protection but are not reported "
            "as refugees or asylum-seekers (UNHCR)."
        ),
        bilateral=True,
    ),
)

CATALOGUE += (
    Indicator(
        "refugees_by_origin",
        N_("Refugees by country of origin"),
        N_("persons"),
        N_(
            "Refugees under UNHCR's mandate who originate from the country, in all countries of "
            "asylum (the total row where the file has one, else the sum over asylum countries). "
            "SDG 10.7.4 is this number per 100,000 population of the country of origin."
        ),
        sdg="10.7.4",
        derivation="origin_total",
        derived_from="refugees",
    ),
    Indicator(
        "refugees_hosted",
        N_("Refugees hosted"),
        N_("persons"),
        N_("Refugees under UNHCR's mandate living in the country, from all countries of origin."),
        derivation="destination_total",
        derived_from="refugees",
    ),
)

CATALOGUE += (
    Indicator(
        "asylum_seekers_hosted",
        N_("Asylum-seekers hosted"),
        N_("persons"),
        N_("Asylum-seekers in the country, from all countries of origin (UNHCR)."),
        derivation="destination_total",
        derived_from="asylum_seekers",
    ),
    Indicator(
        "asylum_seekers_by_origin",
        N_("Asylum-seekers by country of origin"),
        N_("persons"),
        N_("Asylum-seekers from the country, in all countries of asylum (UNHCR)."),
        derivation="origin_total",
        derived_from="asylum_seekers",
    ),
    Indicator(
        "emigrant_pct",
        N_("Emigrants as a share of population plus emigrants"),
        N_("%"),
        N_(
            "Emigrant stock as a percentage of the resident population plus the emigrant stock: "
            "the share of everyone born in the country who lives abroad."
        ),
        derivation="formula",
        formula="100.0 * a / (a + b)",
        components=("emigrant_stock", "population"),
        additive=False,
    ),
    Indicator(
        "remittances_per_capita_usd",
        N_("Remittances received per person"),
        N_("current US$"),
        N_("Personal remittances received divided by the mid-year population."),
        derivation="formula",
        formula="a / b",
        components=("remittances_received_usd", "population"),
        additive=False,
    ),
    Indicator(
        "refugees_by_origin_per_100k",
        N_("Refugees per 100,000 population of the country of origin"),
        N_("per 100,000"),
        N_(
            "Refugees from the country (all countries of asylum) per 100,000 of its population: "
            "SDG indicator 10.7.4."
        ),
        sdg="10.7.4",
        derivation="formula",
        formula="100000.0 * a / b",
        components=("refugees_by_origin", "population"),
        additive=False,
    ),
    Indicator(
        "gdp_per_capita_derived_usd",
        N_("GDP per person (GDP / population)"),
        N_("current US$"),
        N_(
            "GDP in current US$ divided by the mid-year population, where the WDI per-capita "
            "series itself was not ingested."
        ),
        derivation="formula",
        formula="a / b",
        components=("gdp_usd", "population"),
        additive=False,
    ),
)

CATALOGUE += (
    Indicator(
        "emigrant_stock_change",
        N_("Change in emigrant stock since the previous estimate"),
        N_("persons"),
        N_(
            "Emigrant stock minus the previous year's estimate in the same series (UN DESA "
            "publishes every five years); the note names both years and editions."
        ),
        derivation="change",
        derived_from="emigrant_stock",
    ),
    Indicator(
        "immigrant_stock_change",
        N_("Change in immigrant stock since the previous estimate"),
        N_("persons"),
        N_("International migrant stock minus the previous year's estimate in the same series."),
        derivation="change",
        derived_from="immigrant_stock",
    ),
    Indicator(
        "top_destinations",
        N_("Top destinations of emigrants"),
        N_("persons"),
        N_(
            "Countries where most people born in the country live: geo = country of origin, "
            "partner = destination, value = migrant stock (ranked by value in each year)."
        ),
        derivation="top_partners",
        derived_from="migrant_stock",
        bilateral=True,
    ),
    Indicator(
        "top_origins",
        N_("Top origins of immigrants"),
        N_("persons"),
        N_(
            "Countries of birth of most immigrants: geo = destination, partner = origin, "
            "value = migrant stock (ranked by value in each year)."
        ),
        derivation="top_partners",
        derived_from="migrant_stock",
        bilateral=True,
    ),
)

# Issue 13: where the region's citizens go in the EU (Eurostat), who died on the way (IOM
# Missing Migrants), and the demography behind net migration (UN WPP).
CATALOGUE += (
    Indicator(
        "asylum_applicants",
        N_("Asylum applicants"),
        N_("persons"),
        N_(
            "People who lodged an application for international protection in the year "
            "(Eurostat migr_asyappctza); geo = reporting country, partner = country of "
            "citizenship ('world' = all citizenships)."
        ),
        bilateral=True,
    ),
    Indicator(
        "temporary_protection_beneficiaries",
        N_("Beneficiaries of temporary protection"),
        N_("persons"),
        N_(
            "People under temporary protection at the end of the month (Eurostat "
            "migr_asytpsm; periods YYYY-MM); geo = reporting country, partner = country of "
            "citizenship."
        ),
        bilateral=True,
        periods="monthly",
    ),
    Indicator(
        "first_residence_permits",
        N_("First residence permits"),
        N_("persons"),
        N_(
            "First residence permits issued in the year, all reasons (Eurostat migr_resfirst); "
            "geo = issuing country, partner = country of citizenship ('world' = all)."
        ),
        bilateral=True,
    ),
    Indicator(
        "first_residence_permits_family",
        N_("First residence permits: family reasons"),
        N_("persons"),
        N_("First residence permits issued for family reasons (Eurostat migr_resfirst)."),
        bilateral=True,
    ),
    Indicator(
        "first_residence_permits_education",
        N_("First residence permits: education"),
        N_("persons"),
        N_("First residence permits issued for education reasons (Eurostat migr_resfirst)."),
        bilateral=True,
    ),
    Indicator(
        "first_residence_permits_remunerated",
        N_("First residence permits: work"),
        N_("persons"),
        N_("First residence permits issued for remunerated activities (Eurostat migr_resfirst)."),
        bilateral=True,
    ),
    Indicator(
        "first_residence_permits_other",
        N_("First residence permits: other reasons"),
        N_("persons"),
        N_("First residence permits issued for other reasons (Eurostat migr_resfirst)."),
        bilateral=True,
    ),
    Indicator(
        "population_by_citizenship",
        N_("Population by citizenship"),
        N_("persons"),
        N_(
            "Usually resident population on 1 January by citizenship (Eurostat migr_pop1ctz); "
            "geo = reporting country, partner = country of citizenship ('world' = all)."
        ),
        bilateral=True,
    ),
    Indicator(
        "immigration_by_citizenship",
        N_("Immigration by citizenship"),
        N_("persons"),
        N_(
            "People who moved to the reporting country in the year, by citizenship (Eurostat "
            "migr_imm1ctz); partner = country of citizenship ('world' = all)."
        ),
        bilateral=True,
    ),
    Indicator(
        "dead_and_missing",
        N_("Dead and missing migrants"),
        N_("persons"),
        N_(
            "People who died or went missing in the process of migration towards an "
            "international destination (IOM Missing Migrants Project; a minimum estimate); "
            "geo = where they died (country of incident, MMP region or route, world), partner "
            "= country of origin ('world' = all origins)."
        ),
        bilateral=True,
        sdg="10.7.3",
    ),
    Indicator(
        "dead_and_missing_by_origin",
        N_("Dead and missing migrants from the country"),
        N_("persons"),
        N_(
            "People from the country who died or went missing on migration routes, wherever "
            "the incident happened (IOM Missing Migrants Project; recorded where the country "
            "of origin is known)."
        ),
        derivation="origin_total",
        derived_from="dead_and_missing",
        sdg="10.7.3",
    ),
    Indicator(
        "dead_and_missing_in_country",
        N_("Dead and missing migrants in the country"),
        N_("persons"),
        N_(
            "Migrants who died or went missing in the country, whatever their origin (IOM "
            "Missing Migrants Project; where the incident's country is recorded)."
        ),
        derivation="destination_total",
        derived_from="dead_and_missing",
        sdg="10.7.3",
    ),
    Indicator(
        "asylum_applicants_from",
        N_("Asylum applications by the country's citizens in Europe"),
        N_("persons"),
        N_(
            "Asylum applicants who are citizens of the country, summed over the countries "
            "reporting to Eurostat (EU, EFTA and others that report)."
        ),
        derivation="origin_total",
        derived_from="asylum_applicants",
    ),
    Indicator(
        "emigrant_stock_in_eu",
        N_("People born in the country living in the European Union"),
        N_("persons"),
        N_(
            "International migrant stock born in the country, summed over the 27 member "
            "states of the European Union (EU27_2020) that UN DESA reports as destinations."
        ),
        derivation="origin_total",
        derived_from="migrant_stock",
        over_members_of="eu27_2020",
    ),
    Indicator(
        "asylum_applicants_hosted",
        N_("Asylum applicants in the country"),
        N_("persons"),
        N_("Asylum applicants in the reporting country, all citizenships (Eurostat)."),
        derivation="destination_total",
        derived_from="asylum_applicants",
    ),
    Indicator(
        "temporary_protection_from",
        N_("The country's citizens under temporary protection in Europe"),
        N_("persons"),
        N_(
            "Citizens of the country under temporary protection at the end of the month, "
            "summed over the countries reporting to Eurostat."
        ),
        derivation="origin_total",
        derived_from="temporary_protection_beneficiaries",
        periods="monthly",
    ),
    Indicator(
        "temporary_protection_hosted",
        N_("Beneficiaries of temporary protection in the country"),
        N_("persons"),
        N_(
            "People under temporary protection in the reporting country at the end of the "
            "month, summed over their citizenships (Eurostat)."
        ),
        derivation="destination_total",
        derived_from="temporary_protection_beneficiaries",
        periods="monthly",
    ),
    Indicator(
        "first_residence_permits_from",
        N_("First residence permits issued to the country's citizens in Europe"),
        N_("persons"),
        N_(
            "First residence permits issued to citizens of the country, summed over the "
            "countries reporting to Eurostat."
        ),
        derivation="origin_total",
        derived_from="first_residence_permits",
    ),
    Indicator(
        "births",
        N_("Births"),
        N_("persons"),
        N_("Live births in the year (UN World Population Prospects)."),
    ),
    Indicator(
        "deaths",
        N_("Deaths"),
        N_("persons"),
        N_("Deaths in the year (UN World Population Prospects)."),
    ),
    Indicator(
        "natural_increase",
        N_("Natural increase"),
        N_("persons"),
        N_("Births minus deaths in the year, from one source's births and deaths."),
        derivation="formula",
        formula="a - b",
        components=("births", "deaths"),
    ),
)

# Flows estimated from two stock tables by `migprofile flows build` (stored as the modelled
# source migprofile_flows, one stored code per method: migration_flow:<method>). The ids read
# the demographic-accounting estimate; the other methods by their codes, for the range.
_FLOWS = ("migprofile_flows",)
FLOW_METHODS = (
    "diff-zero",
    "diff-return",
    "rates-dennett",
    "demographic",
    "demographic-independent",
)
FLOW_INDICATORS = ("migration_flow", "emigration_flow", "immigration_flow")
_TOTALS = ("origin_total", "destination_total")
CATALOGUE += (
    Indicator(
        "migration_flow",
        N_("Estimated migration flow (modelled)"),
        N_("persons"),
        N_(
            "People estimated to have moved from the partner (origin) to the country over the "
            "five years to mid-year, from two UN DESA stock tables and WPP births and deaths "
            "(demographic accounting, Abel & Cohen 2019). Modelled, not observed."
        ),
        stored_as=("migration_flow:demographic",),
        sources=_FLOWS,
        bilateral=True,
        modelled=True,
    ),
    Indicator(
        "emigration_flow",
        N_("Estimated emigration flow (modelled)"),
        N_("persons"),
        N_(
            "People estimated to have left the country over the five years to mid-year: the "
            "estimated flows summed over destination countries. Modelled, not observed."
        ),
        derivation="origin_total",
        derived_from="migration_flow",
        sources=_FLOWS,
        modelled=True,
    ),
    Indicator(
        "immigration_flow",
        N_("Estimated immigration flow (modelled)"),
        N_("persons"),
        N_(
            "People estimated to have arrived in the country over the five years to mid-year: "
            "the estimated flows summed over countries of origin. Modelled, not observed."
        ),
        derivation="destination_total",
        derived_from="migration_flow",
        sources=_FLOWS,
        modelled=True,
    ),
)

# IDMC publishes rounded headline figures beside the raw ones: both are kept, rounded by default.
_RAW_TITLE = N_("{title} (raw, unrounded)")
_RAW_DEFINITION = N_(
    "{definition} Unrounded value as published beside the rounded headline figure."
)


def _raw(base: Indicator) -> Indicator:
    args = (
        ("title", base.title),
        ("definition", base.definition.replace("rounded headline figure", "raw figure")),
    )
    return Indicator(
        f"{base.id}_raw",
        _RAW_TITLE.format(**dict(args)),
        base.unit,
        _RAW_DEFINITION.format(**dict(args)),
        title_template=_RAW_TITLE,
        definition_template=_RAW_DEFINITION,
        template_args=args,
    )


CATALOGUE += tuple(_raw(base) for base in CATALOGUE if base.sources == ("idmc",))

# Remittance Prices Worldwide provider-level breakdowns: what the debate on digital family
# remittances turns on. Means over surveyed transparent services, per corridor and quarter.
_DIGITAL = N_("digital-only services (online, mobile, account)")
_CASH = N_("services paid or picked up in cash")
_RPW_BREAKDOWNS = {
    "rpw_cost_200_digital_pct": (N_("US$200"), _DIGITAL),
    "rpw_cost_200_cash_pct": (N_("US$200"), _CASH),
    "rpw_cost_500_digital_pct": (N_("US$500"), _DIGITAL),
    "rpw_cost_500_cash_pct": (N_("US$500"), _CASH),
    "rpw_cost_200_firm_bank_pct": (N_("US$200"), N_("banks")),
    "rpw_cost_200_firm_mto_pct": (N_("US$200"), N_("money transfer operators")),
    "rpw_cost_200_firm_post_pct": (N_("US$200"), N_("post offices")),
    "rpw_cost_200_firm_mno_pct": (N_("US$200"), N_("mobile network operators")),
    "rpw_cost_200_firm_other_pct": (N_("US$200"), N_("other types of firm")),
}
_RPW_TITLE = N_("Cost of sending {amount} in a corridor, {who}")
_RPW_DEFINITION = N_(
    "Average total cost (fee + exchange-rate margin) of sending {amount} from the partner "
    "to the geo country through {who}, Remittance Prices Worldwide provider data."
)
CATALOGUE += tuple(
    Indicator(
        ind_id,
        _RPW_TITLE.format(amount=amount, who=who),
        N_("%"),
        _RPW_DEFINITION.format(amount=amount, who=who),
        bilateral=True,
        additive=False,
        title_template=_RPW_TITLE,
        definition_template=_RPW_DEFINITION,
        template_args=(("amount", amount), ("who", who)),
    )
    for ind_id, (amount, who) in _RPW_BREAKDOWNS.items()
)

BY_ID = {i.id: i for i in CATALOGUE}


# Users' own indicators, as the store last read says (`register_user_indicators`): an id
# there is looked up like a catalogue id, so `get`, the profiles and the API read it.
USER_BY_ID: dict[str, Indicator] = {}


def user_indicator(row: dict) -> Indicator:
    """The catalogue entry of a stored user indicator (a row of `Store.user_indicators`)."""
    return Indicator(
        row["indicator"],
        row["title"],
        row.get("unit") or "",
        row.get("definition") or "",
        (row["indicator"],),
        sources=tuple(row.get("sources") or ()),
        # never summed over a region: each member's figure is its own office's, by its own
        # definition
        additive=False,
        user=True,
        concept=row.get("concept") or "",
    )


def register_user_indicators(rows: list[dict]) -> None:
    """Make the store's user indicators known to `lookup` (the newest store read wins)."""
    fresh = {r["indicator"]: user_indicator(r) for r in rows if r["indicator"] not in BY_ID}
    USER_BY_ID.clear()
    USER_BY_ID.update(fresh)


def lookup(indicator_id: str) -> Indicator:
    """A catalogue entry, or an ad-hoc one for a source's own code such as `wdi:SP.POP.TOTL`."""
    if indicator_id in BY_ID:
        return BY_ID[indicator_id]
    if indicator_id in USER_BY_ID:
        return USER_BY_ID[indicator_id]
    if ":" in indicator_id and indicator_id.split(":", 1)[1]:
        # a stored variant of a catalogue id ('migration_flow:diff-zero', one method's flows)
        # reads as that id does: country pairs, unit, modelled
        stem, variant = indicator_id.split(":", 1)
        base = BY_ID.get(stem)
        if base is not None and not base.derivation:
            return Indicator(
                indicator_id, base.title, base.unit, base.definition, (indicator_id,),
                sources=base.sources, bilateral=base.bilateral, modelled=base.modelled,
            )  # fmt: skip
        if base is not None and base.derived_from and base.derivation in _TOTALS:
            # a total over such a variant ('emigration_flow:diff-zero')
            return replace(base, id=indicator_id, derived_from=f"{base.derived_from}:{variant}")
        return Indicator(indicator_id, indicator_id, "", N_("source's own code"), (indicator_id,))
    close = difflib.get_close_matches(indicator_id, list(BY_ID), n=3)
    hint = _(" (did you mean {names}?)").format(names=", ".join(close)) if close else ""
    raise UsageError(
        _(
            "INDICATOR: unknown indicator {indicator}{hint}; `migprofile indicators` lists "
            "them, or use a source code such as wdi:SP.POP.TOTL"
        ).format(indicator=repr(indicator_id), hint=hint)
    )


def method_variant(indicator_id: str, method: str | None) -> str:
    """The id to read for one estimation method of a flow indicator ('emigration_flow',
    'diff-zero' → 'emigration_flow:diff-zero'); no method: the id itself (the demographic
    estimate). A method on any other indicator is an error, never ignored."""
    if method is None or not method.strip():
        return indicator_id
    method = method.strip().lower()
    if indicator_id not in FLOW_INDICATORS:
        raise UsageError(
            _("--method: only for the estimated flows ({ids}), not {indicator}").format(
                ids=", ".join(FLOW_INDICATORS), indicator=repr(indicator_id)
            )
        )
    if method not in FLOW_METHODS:
        raise UsageError(
            _("--method: {method} is not one of {methods}").format(
                method=repr(method), methods=", ".join(FLOW_METHODS)
            )
        )
    return f"{indicator_id}:{method}"
