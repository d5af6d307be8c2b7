"""Build a Profile from the store: sections, key facts, sources and gaps, narrative.

One ProfileBuilder serves many profiles: each indicator is read from the store once for all
geos and kept in memory, so `build --all` costs a few queries per indicator, not per country.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Mapping

from migprofile.errors import UsageError
from migprofile.geo.world_names import display_name
from migprofile.indicators import BY_ID, Indicator, compare, know_user_indicators, lookup, query_for
from migprofile.indicators.regions import region_computable, region_rows
from migprofile.profiles.flows import flow_estimates
from migprofile.profiles.model import (
    CorridorLink,
    Figure,
    FlowEstimates,
    Profile,
    Revision,
    Section,
    Series,
    SourceCoverage,
    SourceGap,
)
from migprofile.profiles.narrative import narrative_for
from migprofile.profiles.national import national_data
from migprofile.sources import dataset_of, is_annual
from migprofile.sources.wb_income_groups import (
    fiscal_year,
    income_group_keys,
    income_group_since,
    income_history,
)
from migprofile.store import Store, pylist
from migprofile.version import __version__
from migprofile.wording import _
from migprofile.wording.i18n import N_
from migprofile.wording.labels import (
    cell_ref,
    data_note,
    edition_label,
    members_report,
    members_sum_note,
    poverty_line_label,
    region_gap_label,
    source_label,
)

SECTIONS = (
    # id, title (English, translated when built), headline indicators, series,
    # rankings: (name, indicator, side)
    (
        "emigration",
        N_("Emigration"),
        ("emigrant_stock", "emigrant_pct", "emigrant_stock_change"),
        ("emigrant_stock",),
        (("top_destinations", "migrant_stock", "destinations"),),
    ),
    (
        "immigration",
        N_("Immigration"),
        (
            "immigrant_stock",
            "immigrant_pct_population",
            "immigrant_female_pct",
            "immigrant_stock_change",
        ),
        ("immigrant_stock",),
        (("top_origins", "migrant_stock", "origins"),),
    ),
    (
        "remittances",
        N_("Remittances and what sending them costs"),
        (
            "remittances_received_usd",
            "remittances_received_pct_gdp",
            "remittances_per_capita_usd",
            "remittances_paid_usd",
            "remittance_cost_to_pct",
            "remittance_cost_from_pct",
        ),
        (
            "remittances_received_usd",
            "remittances_received_pct_gdp",
            "remittances_inflow_knomad_usd",
            "remittance_cost_to_pct",
            "remittance_cost_from_pct",
        ),
        (("top_remittance_senders", "remittances_bilateral_usd", "origins"),),
    ),
    (
        "displacement",
        N_("Displacement and refugees"),
        (
            "idps_conflict_stock",
            "new_displacements_conflict",
            "new_displacements_disaster",
            "refugees_hosted",
            "asylum_seekers_hosted",
            "refugees_by_origin",
            "refugees_by_origin_per_100k",
        ),
        (
            "idps_conflict_stock",
            "new_displacements_conflict",
            "new_displacements_disaster",
            "refugees_hosted",
            "refugees_by_origin",
        ),
        (),
    ),
    (
        "development",
        N_("Development context"),
        (
            "population",
            "gdp_usd",
            "gdp_per_capita_derived_usd",
            "poverty_headcount_pct",
            "net_migration",
        ),
        ("population", "net_migration", "poverty_headcount_pct"),
        (),
    ),
    (
        "europe",
        N_("In the European Union"),
        (
            "emigrant_stock_in_eu",
            "asylum_applicants_from",
            "temporary_protection_from",
            "first_residence_permits_from",
            "asylum_applicants_hosted",
        ),
        (
            "emigrant_stock_in_eu",
            "asylum_applicants_from",
            "temporary_protection_from",
            "asylum_applicants_hosted",
        ),
        # A host's temporary protection by citizenship, not a total: the files may hold only
        # some citizenships (Eurostat extracts for Ukrainians), and a sum over them would
        # claim to be everyone under temporary protection there.
        (
            ("top_asylum_destinations", "asylum_applicants", "destinations"),
            ("temporary_protection_origins", "temporary_protection_beneficiaries", "origins"),
        ),
    ),
    (
        "dead_missing",
        N_("Dead and missing migrants"),
        ("dead_and_missing_by_origin", "dead_and_missing_in_country"),
        ("dead_and_missing_by_origin", "dead_and_missing_in_country"),
        (),
    ),
    (
        "demography",
        N_("Demography"),
        ("births", "deaths", "natural_increase"),
        ("births", "deaths", "natural_increase"),
        (),
    ),
)

# Sections shown only where the data has them (Eurostat covers where Europe's citizens and
# residents apply and live, Missing Migrants only the deaths recorded, WPP only when ingested):
# left out, with nothing listed as missing, when none of their figures exists.
OPTIONAL_SECTIONS = frozenset({"europe", "dead_missing", "demography"})

KEY_FACTS = (
    "emigrant_stock",
    "emigrant_pct",
    "immigrant_stock",
    "immigrant_pct_population",
    "remittances_received_usd",
    "remittances_received_pct_gdp",
    "remittance_cost_to_pct",
    "refugees_hosted",
    "refugees_by_origin",
    "idps_conflict_stock",
    "population",
)

# Pairs that measure the same thing in two sources: (label, a, b).
SOURCE_PAIRS = (
    (
        N_("Remittances received: WDI vs KNOMAD"),
        "remittances_received_usd@wdi",
        "remittances_inflow_knomad_usd@knomad_remittance_flows",
    ),
    (
        N_("Emigrant stock: UN DESA vs World Bank bilateral estimates"),
        "emigrant_stock",
        "emigrant_stock@wb_bilateral_migration",
    ),
    (
        N_("Net migration: World Bank WDI vs UN WPP"),
        "net_migration@wdi",
        "net_migration@wpp",
    ),
)

# Who would publish a missing figure, for "what this profile cannot say" (translated there).
WHO_PUBLISHES = {
    "emigrant_stock": N_("UN DESA or the World Bank bilateral matrix"),
    "immigrant_stock": N_("UN DESA"),
    "remittances_received_usd": N_("World Bank WDI"),
    "remittance_cost_to_pct": N_("World Bank RPW/WDI"),
    "idps_conflict_stock": N_("IDMC"),
    "new_displacements_disaster": N_("IDMC"),
    "refugees_hosted": N_("UNHCR"),
    "refugees_by_origin": N_("UNHCR"),
    "population": N_("World Bank WDI"),
    "poverty_headcount_pct": N_("World Bank WDI"),
}


class ProfileBuilder:
    """Reads each indicator once for every geo, then builds as many profiles as asked."""

    def __init__(self, store: Store):
        self.store = store
        self.user_indicators = know_user_indicators(store)
        self.geo = {r["geo"]: r for r in store.geo_rows()}
        self.members: dict[str, list[str]] = defaultdict(list, store.group_members())
        # How each source is cited in a sentence: as recorded at ingest, else as it says itself.
        self.short_names = {**_registered_short_names(), **store.short_names()}
        self._rows: dict[str, dict[str, list[dict]]] = {}
        self._pairs: dict[str, list[dict]] = {}
        self._pairs_index: dict[tuple[str, str], dict[str, list[dict]]] = {}
        self._coverage: tuple[dict, dict, dict] | None = None
        self._gaps: dict[str, dict[str, list[dict]]] = {}
        self._editions: dict[tuple[str, str, str], dict[str, dict[int, dict]]] = {}
        # regions: which members report an indicator in a year, (indicator, geo, year) → geos
        self._reporting_members: dict[tuple[str, str, int], list[str]] = {}
        self.poverty_line = self._poverty_line()
        # World Bank income groups by fiscal year (CLASS, OGHIST), where they were ingested
        self.income_history = income_history(store.geo_attributes(*income_group_keys()))
        # UNTERM short names say where English puts "the": "Republic of Moldova (the)".
        self.needs_article = {
            geo
            for geo, _, value in store.geo_attributes("unterm_short")
            if value.rstrip().endswith("(the)")
        }

    # -- reading ---------------------------------------------------------------------------
    def rows(self, indicator: str, geo: str) -> list[dict]:
        if indicator not in self._rows:
            sql, args = query_for(
                indicator, geo=None, partner=None, year=None, sex="all", source=None, edition=None
            )
            by_geo: dict[str, list[dict]] = defaultdict(list)
            for r in self.store.query_dicts(sql, args):
                by_geo[r["geo"]].append(r)
            self._rows[indicator] = by_geo
        return self._rows[indicator].get(geo, [])

    def pairs_by(self, indicator: str, side: str) -> dict[str, list[dict]]:
        """The pairs indexed by one side ('geo' or 'partner'), built once."""
        key = (indicator, side)
        if key not in self._pairs_index:
            index: dict[str, list[dict]] = defaultdict(list)
            for r in self.pairs(indicator):
                index[r[side]].append(r)
            self._pairs_index[key] = index
        return self._pairs_index[key]

    def pairs(self, indicator: str) -> list[dict]:
        """A bilateral indicator's rows for all pairs (sex total), read once."""
        if indicator not in self._pairs:
            sql, args = query_for(
                indicator, geo=None, partner=None, year=None, sex="total", source=None,
                edition=None,
            )  # fmt: skip
            kinds = {g: r["kind"] for g, r in self.geo.items()}
            self._pairs[indicator] = [
                r
                for r in self.store.query_dicts(sql, args)
                if kinds.get(r["geo"]) == "country" and kinds.get(r["partner"]) == "country"
            ]
        return self._pairs[indicator]

    def _poverty_line(self) -> str:
        return self.store.source_indicator_name("wdi:SI.POV.DDAY")

    # -- figures ---------------------------------------------------------------------------
    def figure(self, row: dict, coverage: str = "") -> Figure:
        ind = lookup(row["indicator"])
        cell = cell_ref(row.get("sheet"), row.get("col"), row.get("row"), row.get("note"))
        label = ind.display_title()
        if ind.id == "poverty_headcount_pct" and self.poverty_line:
            label = poverty_line_label(self.poverty_line)
        partner = row.get("partner") or ""
        return Figure(
            indicator=ind.id,
            label=label,
            value=row["value"],
            unit=row.get("unit") or ind.unit,
            year=row["year"],
            source=row["source"],
            edition=row["edition"],
            citation=citation(row["source"], row["edition"], self.short_names),
            sha256=row.get("sha256") or "",
            cell=cell,
            geo=row["geo"],
            partner=partner,
            partner_name=self.name_in_text(partner) if partner else "",
            sex=row.get("sex", "total"),
            period=row.get("period") or "",
            note=data_note(row.get("note")),
            coverage=coverage,
            modelled=ind.modelled,
            sdg=ind.sdg or "",
        )

    def name(self, geo: str) -> str:
        """The geo's name in the active language (see geo.world_names.display_name)."""
        row = self.geo.get(geo)
        if not row:
            return geo
        return display_name(geo, row["name"], row.get("kind") or "")

    def name_in_text(self, geo: str) -> str:
        """The name as a sentence uses it: 'the Republic of Moldova', 'Central Asia'."""
        name = self.name(geo)
        entry = self.geo.get(geo) or {}
        if geo in self.needs_article or (
            entry.get("kind") == "aggregate" and _REGION_ARTICLE.search(name)
        ):
            return _("the {name}").format(name=name)
        return name

    def series(self, indicator: str, geo: str, members: list[str] | None) -> Series:
        ind = BY_ID[indicator]
        if members is None:
            points = [self.figure(r) for r in self.rows(indicator, geo) if r["sex"] == "total"]
        else:
            points = self._region_points(ind, geo, members)
        points.sort(key=lambda f: (f.year or 0, f.period))
        return Series(indicator, ind.display_title(), ind.unit, points)

    def _region_points(self, ind, geo: str, members: list[str]) -> list[Figure]:
        """The region's points computed from its members (`indicators.regions`), as `get`
        computes them, with the coverage stated; a publisher's own aggregate (UN DESA's
        Central Asia) only where migprofile computes none."""
        rows = region_rows(ind, geo, lambda i: {m: self.rows(i, m) for m in members}, members)
        for row in rows:
            self._reporting_members[(ind.id, geo, row["year"])] = row["reporting"]
        if not rows and not ind.additive:
            return [self.figure(r) for r in self.rows(ind.id, geo) if r["sex"] == "total"]
        return [self.figure(row, row["coverage"]) for row in rows]

    def _region_headline(self, series: Series, geo: str, members: list[str]) -> Figure | None:
        """A region's headline: the latest year whose reporting members hold at least
        REGION_COVERAGE of the members' population (of member count where population is
        unknown); without one, the best-covered latest year. The coverage is on the figure."""
        best: tuple[float, int] | None = None
        chosen = None
        for p in sorted(series.points, key=lambda f: -(f.year or 0)):
            if p.value is None or not is_annual(p.period):
                continue
            share = self._coverage_share(series.indicator, geo, p.year or 0, members)
            if share >= REGION_COVERAGE:
                return p
            if best is None or share > best[0]:
                best, chosen = (share, p.year or 0), p
        return chosen

    def _coverage_share(self, ind_id: str, geo: str, year: int, members: list[str]) -> float:
        reporting = self._reporting_members.get((ind_id, geo, year))
        if reporting is None:
            return 1.0  # the region's own published figure
        return self._population_share(reporting, year, members)

    def _population_share(self, reporting: list[str], year: int, members: list[str]) -> float:
        """The reporting members' share of the members' population that year (of their
        number where a member's population is unknown)."""
        pop = {}
        for m in members:
            rows = [r for r in self.rows("population", m) if r["year"] == year and r["value"]]
            if rows:
                pop[m] = rows[0]["value"]
        if len(pop) == len(members) and sum(pop.values()) > 0:
            return sum(pop[m] for m in reporting if m in pop) / sum(pop.values())
        return len(reporting) / len(members) if members else 0.0

    def ranking(
        self, indicator: str, side: str, geo: str, members: list[str] | None, top: int = 10
    ) -> Series:
        """Top partners in the latest year: where emigrants live, where immigrants come from."""
        ind = BY_ID[indicator]
        selves = set(members or [geo])
        if side == "destinations":  # geo = destination, partner = origin (ourselves)
            index = self.pairs_by(indicator, "partner")
            key = "geo"
        else:
            index = self.pairs_by(indicator, "geo")
            key = "partner"
        # members in their (sorted) order, not the set's: sums must not depend on hash seeds
        rows = [r for s in dict.fromkeys(members or [geo]) for r in index.get(s, [])]
        # a partner with 0 (UNHCR publishes zeros) is not among the top partners
        rows = [r for r in rows if r["value"] and r[key] not in selves]
        # A region's ranking leaves its members out (people moving between members are not
        # emigrants of the region), and its label says so.
        label = _ranking_label(ind, side, outside=members is not None)
        if not rows:
            return Series(f"{indicator}:{side}", label, ind.unit)
        # the latest year; for monthly figures the latest month (months are never summed)
        monthly = ind.periods != "annual"

        def when(r: dict) -> tuple[int, str]:
            return r["year"], (r["period"] or "") if monthly else ""

        latest = max(when(r) for r in rows)
        totals: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            if when(r) == latest:
                totals[r[key]].append(r)
        ranked = sorted(totals.items(), key=lambda kv: -sum(r["value"] for r in kv[1]))[:top]
        points = []
        for counterpart, rs in ranked:
            if len(rs) == 1:
                row = dict(rs[0])
            else:  # a region: its members summed, the region standing in for them
                row = dict(rs[0], value=math.fsum(r["value"] for r in rs),
                           note=members_sum_note(len(rs)), sheet=None, row=None)  # fmt: skip
            if members is not None:  # the region's own point, even when one member reports
                row["geo" if key == "partner" else "partner"] = geo
            fig = self.figure(row)
            fig.partner_name = self.name_in_text(counterpart)  # the country a ranking names
            points.append(fig)
        return Series(f"{indicator}:{side}", label, ind.unit, points)

    def flows(self, geo: str) -> FlowEstimates | None:
        """The stored flow estimates of a country as ranges, with the places named."""
        est = flow_estimates(self.store, geo)
        if est is None:
            return None
        for r in (est.emigration, est.immigration, *est.corridors_out, *est.corridors_in):
            r.origin_name = self.name(r.origin) if r.origin else ""
            r.destination_name = self.name(r.destination) if r.destination else ""
        return est

    # -- the profile -----------------------------------------------------------------------
    def build(self, geo: str) -> Profile:
        entry = self.geo.get(geo)
        if entry is None:
            raise UsageError(_("GEO: {geo} is not in the store's geography").format(geo=repr(geo)))
        is_region = entry["kind"] == "aggregate"
        members = sorted(
            m for m in self.members.get(geo, []) if self.geo.get(m, {}).get("kind") == "country"
        )
        if is_region and not members:
            raise UsageError(
                _("GEO: {geo} has no member countries to build a profile from").format(geo=geo)
            )
        member_arg = members if is_region else None
        name = self.name(geo)

        sections: list[Section] = []
        latest: dict[str, Figure] = {}
        for sid, title, headline, series_ids, rankings in SECTIONS:
            section = Section(sid, _(title))
            for ind_id in dict.fromkeys((*headline, *series_ids)):
                series = self.series(ind_id, geo, member_arg)
                headline_point = (
                    self._region_headline(series, geo, members) if is_region else series.latest
                )
                if headline_point is not None:
                    latest[ind_id] = headline_point
                if ind_id in series_ids and series.points:
                    section.series[ind_id] = series
            for ind_id in headline:
                if ind_id in latest:
                    section.figures.append(latest[ind_id])
                    section.figures += self._by_sex(ind_id, geo, latest[ind_id], member_arg)
                else:
                    section.missing.append(
                        _missing(
                            BY_ID[ind_id], self.name_in_text(geo), self.short_names,
                            region=is_region,
                        )
                    )  # fmt: skip
            for rank_id, ind_id, side in rankings:
                ranking = self.ranking(ind_id, side, geo, member_arg)
                if ranking.points:
                    section.rankings[rank_id] = ranking
                elif sid not in OPTIONAL_SECTIONS:
                    section.missing.append(
                        _("{label}: no {source} data for {name}.").format(
                            label=ranking.label,
                            source=source_label(self.short_names.get(BY_ID[ind_id].sources[0], "")),
                            name=self.name_in_text(geo),
                        )
                    )
            if sid in OPTIONAL_SECTIONS and not (section.figures or section.rankings):
                continue  # no figure of it for this geo: not a section of this profile
            sections.append(section)

        if not is_region:
            # a country's corridors go right after its remittances; a region has none (a
            # corridor joins two countries; a cost is not summed or averaged over members)
            at = next(
                (i + 1 for i, s in enumerate(sections) if s.id == "remittances"), len(sections)
            )
            sections[at:at] = [
                s for s in (self.cost_by_sender(geo), self.top_corridors(geo)) if s is not None
            ]

        key_facts = [latest[k] for k in KEY_FACTS if k in latest]
        profile = Profile(
            geo=geo,
            name=name,
            kind="region" if is_region else "country",
            members=members,
            member_names=[self.name(m) for m in members],
            key_facts=key_facts,
            narrative=[],
            sections=sections,
            sources=self.coverage(geo, members or [geo]),
            gaps=self.gaps(geo, members if is_region else None),
            cannot_say=[m for s in sections for m in s.missing],
            generated_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            migprofile_version=__version__,
            group_type=entry.get("group_type") or "",
        )
        if not is_region:
            profile.revisions = self.revisions(geo)
            profile.flows = self.flows(geo)
            profile.national = national_data(self, geo)
            history = self.income_history.get(geo)
            if history:
                group, since = income_group_since(history)
                profile.income_group, profile.income_since = group, since
                profile.income_latest = max(history, key=fiscal_year)
        profile.narrative = narrative_for(profile, self.name_in_text(geo))
        profile.news = [
            {
                "title": n["title"], "date": n["date"], "origin": n["origin"],
                "themes": [t["value"] for t in n["tags"] if t["kind"] == "theme"],
                "figures": [
                    {k: f[k] for k in ("text", "verdict", "indicator", "data_value", "data_year",
                                       "source", "edition", "difference_pct", "explanation")}
                    for f in n["figures"]
                ],
            }
            for n in self.store.news(geo, limit=5)
        ]  # fmt: skip
        return profile

    # -- corridors ---------------------------------------------------------------------------
    def cost_by_sender(self, geo: str) -> Section | None:
        """The section 'Cost of sending money home, by sending country': the cost of sending
        US$200 to the country from each sending country (RPW), as bars against SDG 10.c's 3%,
        in the latest year in which at least half the sending countries report (a sending
        country without a value that year: its latest). None where RPW has no corridor into
        the country."""
        by_partner: dict[str, dict[int, dict]] = defaultdict(dict)
        for r in self.rows(CORRIDOR_COST, geo):
            partner = r.get("partner") or ""
            if (
                r["sex"] == "total" and r["value"] is not None and is_annual(r["period"])
                and self.geo.get(partner, {}).get("kind") == "country"
            ):  # fmt: skip
                by_partner[partner][r["year"]] = r
        if not by_partner:
            return None
        counts: dict[int, int] = defaultdict(int)
        for years in by_partner.values():
            for y in years:
                counts[y] += 1
        best = max(counts.values())
        year = max(y for y, n in counts.items() if n * 2 >= best)
        points = []
        for years in by_partner.values():
            row = years.get(year) or years[max(years)]
            points.append(self.figure(row))
        points.sort(key=lambda f: (-(f.value or 0.0), f.partner))
        name = self.name_in_text(geo)
        bars = Series(
            f"{CORRIDOR_COST}:origins",
            _("Cost of sending US$200 to {name}, by sending country").format(name=name),
            BY_ID[CORRIDOR_COST].unit,
            points,
        )
        note = _(
            "The average total cost of sending US$200 to {name} from each sending country in "
            "{year} (the mean of the year's quarters), the latest year in which at least half "
            "of the sending countries report; a sending country without a value in {year} "
            "shows its latest year. The dashed line is the SDG 10.c target of 3%. Each "
            "corridor's page gives its cost quarter by quarter."
        ).format(name=name, year=year)
        return Section(
            "corridor_costs", _("Cost of sending money home, by sending country"), bars=bars,
            note=note,
        )  # fmt: skip

    def top_corridors(self, geo: str, top: int = 5) -> Section | None:
        """The section 'Top corridors': where most of the country's emigrants live (money sent
        home from there) and where most of its immigrants were born (money sent from the country to
        there), each with its migrants, the modelled remittances and the cost of sending
        US$200, each in its latest year. None without bilateral migrant stocks."""
        corridors = []
        for side, ranking_side in (("emigrants", "destinations"), ("immigrants", "origins")):
            for stock in self.ranking("migrant_stock", ranking_side, geo, None, top=top).points:
                if side == "emigrants":  # they live in stock.geo and send money to geo
                    origin, destination = stock.geo, geo
                else:  # born in stock.partner, living in geo: money sent from geo to there
                    origin, destination = geo, stock.partner
                corridors.append(
                    CorridorLink(
                        origin=origin,
                        destination=destination,
                        origin_name=self.name(origin),
                        destination_name=self.name(destination),
                        side=side,
                        stock=stock,
                        remittances=self._pair_latest(
                            "remittances_bilateral_usd", destination, origin
                        ),
                        cost=self._pair_latest(CORRIDOR_COST, destination, origin),
                    )
                )
        if not corridors:
            return None
        note = _(
            "The main corridors by migrant stock: the countries where most emigrants from "
            "{name} live (money sent home from there) and those where most of its immigrants "
            "were born (money sent from {name} to there). Remittances are the World "
            "Bank/KNOMAD modelled estimates; the cost is that of sending US$200 (Remittance "
            "Prices Worldwide); each figure in its latest year."
        ).format(name=self.name_in_text(geo))
        return Section("corridors", _("Top corridors"), corridors=corridors, note=note)

    def _pair_latest(self, indicator: str, geo: str, partner: str) -> Figure | None:
        """A pair indicator's latest annual value for geo (destination) and partner (origin)."""
        rows = [
            r for r in self.rows(indicator, geo)
            if r.get("partner") == partner and r["sex"] == "total" and r["value"] is not None
            and is_annual(r["period"])
        ]  # fmt: skip
        if not rows:
            return None
        return self.figure(max(rows, key=lambda r: (r["year"], r["period"] or "")))

    def _by_sex(self, ind_id, geo, total: Figure, members) -> list[Figure]:
        if ind_id not in ("immigrant_stock", "emigrant_stock") or members is not None:
            return []
        out = []
        for r in self.rows(ind_id, geo):
            if r["year"] == total.year and r["sex"] in ("male", "female"):
                out.append(self.figure(r))
        return sorted(out, key=lambda f: f.sex)

    def _coverage_index(self):
        """Per (source, indicator): the years it publishes; per geo: what it has here."""
        if self._coverage is None:
            grid: dict[tuple[str, str], set[int]] = defaultdict(set)
            here: dict[str, list[tuple]] = defaultdict(list)
            rows = self.store.coverage_rows()
            for source, indicator, geo, years, editions, files in rows:
                grid[(source, indicator)].update(years)
                here[geo].append((source, indicator, years, editions, files))
            meta = {
                r["source"]: (r["title"], r["licence"], r["citation"])
                for r in self.store.source_rows()
            }
            self._coverage = (grid, here, meta)
        return self._coverage

    def coverage(self, geo: str, geos: list[str]) -> list[SourceCoverage]:
        """Per source: editions, indicators, years covered and missing for these geos."""
        grid, here, meta = self._coverage_index()
        by_source: dict[str, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        for g in geos:
            for source, indicator, years, editions, files in here.get(g, []):
                acc = by_source[source]
                acc["years"].update(years)
                acc["editions"].update(editions)
                acc["files"].update(files)
                acc["indicators"].add(indicator)
                acc["grid"].update(grid[(source, indicator)])
        out = []
        for source in sorted(by_source):
            acc = by_source[source]
            present = acc["years"]
            first = min(present)
            # Years the source publishes (for any geo) from this geo's first year on, that it
            # has no value for here: a 1951 gap says nothing about a country born in 1991.
            missing = sorted(y for y in acc["grid"] - present if first <= y <= max(acc["grid"]))
            editions = sorted(acc["editions"], key=lambda e: (e[:1].isdigit(), e))
            title, licence, cite = meta.get(source, (source, "", ""))
            out.append(
                SourceCoverage(
                    source=source,
                    title=title or source,
                    citation=(cite or "").replace("{edition}", editions[-1]),
                    editions=editions,
                    indicators=sorted(acc["indicators"]),
                    first_year=first,
                    latest_year=max(present),
                    missing_years=missing,
                    licence=licence or "",
                    files=sorted(acc["files"]),
                )
            )
        return out

    def _edition_rows(
        self, indicator: str, source: str, edition: str
    ) -> dict[str, dict[int, dict]]:
        """One edition's annual totals of an indicator, by geo then year (read once)."""
        key = (indicator, source, edition)
        if key not in self._editions:
            sql, args = query_for(
                indicator, geo=None, partner=None, year=None, sex="total", source=source,
                edition=edition,
            )  # fmt: skip
            by_geo: dict[str, dict[int, dict]] = defaultdict(dict)
            for r in self.store.query_dicts(sql, args):
                if r["value"] is not None and is_annual(r["period"]):
                    by_geo[r["geo"]][r["year"]] = r
            self._editions[key] = by_geo
        return self._editions[key]

    def revisions(self, geo: str) -> list[Revision]:
        """Where an earlier edition of the dataset a headline series comes from gave another
        value for a year: the latest such year, once per earlier edition."""
        out = []
        editions = self.store.editions()
        for ind_id in REVISION_INDICATORS:
            chosen = [
                r for r in self.rows(ind_id, geo) if r["sex"] == "total" and is_annual(r["period"])
            ]
            if not chosen:
                continue
            new_source, new_edition = chosen[-1]["source"], chosen[-1]["edition"]
            dataset = dataset_of(new_source)
            new = {r["year"]: r for r in chosen if r["edition"] == new_edition}
            for source, edition in editions:
                if dataset_of(source) != dataset or edition == new_edition:
                    continue
                if source not in BY_ID[ind_id].sources:
                    continue
                old = self._edition_rows(ind_id, source, edition).get(geo, {})
                changed = [
                    y for y in sorted(old.keys() & new.keys())
                    if abs(old[y]["value"] - new[y]["value"])
                    > 1e-9 * max(1.0, abs(new[y]["value"]))
                ]  # fmt: skip
                if not changed:
                    continue
                y = changed[-1]
                out.append(
                    Revision(
                        indicator=ind_id,
                        label=BY_ID[ind_id].display_title(),
                        year=y,
                        old_value=old[y]["value"],
                        new_value=new[y]["value"],
                        old_edition=edition,
                        new_edition=new_edition,
                        citation_old=citation(source, edition, self.short_names),
                        citation_new=citation(new_source, new_edition, self.short_names),
                    )
                )
        return out

    def _gap_rows(self, label: str, a: str, b: str) -> dict[str, list[dict]]:
        """Every geo's values of the pair lined up (nearest years within 3), read once."""
        if label not in self._gaps:
            by_geo: dict[str, list[dict]] = defaultdict(list)
            try:
                for r in pylist(compare(self.store, a, b, None, max_year_gap=3)):
                    # a geo whose series both come from one dataset (Kosovo's emigrants: the
                    # World Bank's alone) has no second source to disagree with
                    if dataset_of(r["source_a"]) != dataset_of(r["source_b"]):
                        by_geo[r["geo"]].append(r)
            except UsageError:
                pass
            self._gaps[label] = by_geo
        return self._gaps[label]

    def gaps(self, geo: str, members: list[str] | None = None) -> list[SourceGap]:
        """Where two sources measure the same figure: the latest year both report (only
        without one, the nearest years, and no % gap). For a region, both sources' sums over
        the same members: those for which both report that year."""
        out = []
        for label, a, b in SOURCE_PAIRS:
            by_geo = self._gap_rows(label, a, b)
            if members is None:
                rows = by_geo.get(geo, [])
                if not rows:
                    continue
                same = [x for x in rows if x["year"] == x["year_b"]]
                r = max(same or rows, key=lambda x: x["year"])
                out.append(self._gap(label, a, b, r))
                continue
            picked = self._region_gap(geo, members, by_geo)
            if picked is not None:
                row, common = picked
                missing = [m for m in members if m not in common]
                coverage = members_report(len(common), len(members), missing)
                gap = self._gap(label, a, b, row)
                gap.label = region_gap_label(gap.label, coverage)
                gap.coverage = coverage
                out.append(gap)
        return out

    def _region_gap(
        self, geo: str, members: list[str], by_geo: Mapping[str, list[dict]]
    ) -> tuple[dict, list[str]] | None:
        """The members' sums of both sources for one (year, year_b): the same year where
        possible, the latest whose members hold REGION_COVERAGE of the population, else the
        best covered; None when no member has both."""
        groups: dict[tuple[int, int], dict[str, dict]] = defaultdict(dict)
        for m in members:
            for r in by_geo.get(m, []):
                groups[(r["year"], r["year_b"])][m] = r
        if not groups:
            return None
        same = [k for k in groups if k[0] == k[1]] or list(groups)

        def rank(key: tuple[int, int]) -> tuple[bool, float, int]:
            share = self._population_share(list(groups[key]), key[0], members)
            return share >= REGION_COVERAGE, share if share < REGION_COVERAGE else 1.0, key[0]

        key = max(same, key=rank)
        rows = [groups[key][m] for m in members if m in groups[key]]
        common = [r["geo"] for r in rows]
        value_a = math.fsum(r["value_a"] for r in rows)
        value_b = math.fsum(r["value_b"] for r in rows)
        row = {
            "year": key[0], "year_b": key[1], "value_a": value_a, "value_b": value_b,
            **_sources_side_by_side(rows, "a"), **_sources_side_by_side(rows, "b"),
            # the same formula as store.compare_queries: (B - A) / |A|, same year only
            "gap_pct": 100 * (value_b - value_a) / abs(value_a)
            if key[0] == key[1] and value_a else None,
        }  # fmt: skip
        return row, common

    def _gap(self, label: str, a: str, b: str, r: dict) -> SourceGap:
        return SourceGap(
            label=_(label),
            indicator_a=a,
            indicator_b=b,
            year=r["year"],
            year_b=r["year_b"],
            value_a=r["value_a"],
            value_b=r["value_b"],
            citation_a=citation(r["source_a"], r["edition_a"], self.short_names),
            citation_b=citation(r["source_b"], r["edition_b"], self.short_names),
            gap_pct=r["gap_pct"],
        )


def _sources_side_by_side(rows: list[dict], side: str) -> dict[str, str]:
    """source_<side> and edition_<side> of summed rows, each source beside its edition."""
    pairs = sorted({(r[f"source_{side}"], r[f"edition_{side}"]) for r in rows})
    return {
        f"source_{side}": " + ".join(s for s, _ in pairs),
        f"edition_{side}": " + ".join(e for _, e in pairs),
    }


_REGION_ARTICLE = re.compile(
    r"(Balkans|Caucasus|Partnership|Americas|Caribbean|World|countries|regions|States)\b", re.I
)


# The cost of sending US$200 in a corridor (RPW): the bars of "Cost of sending money home".
CORRIDOR_COST = "remittance_cost_corridor_pct"

# A region's headline year: the latest in which members holding this share of the members'
# population report (issue 12: not the latest year any one member reports).
REGION_COVERAGE = 0.8

# Headline series whose revisions between editions the sources-and-gaps section shows.
REVISION_INDICATORS = ("immigrant_stock", "emigrant_stock", "remittances_received_usd",
                       "population")  # fmt: skip


def _registered_short_names() -> dict[str, str]:
    """source id → its own short name, for every registered source (ingested or not)."""
    from migprofile.sources import REGISTRY

    return {s.id: s.short_name for s in REGISTRY}


def citation(source: str, edition: str, short_names: Mapping[str, str]) -> str:
    """'UN DESA 2020', 'World Bank WDI 2023-05-10'; derived figures name every part."""
    sources = source.split(" + ")
    editions = edition.split(" + ") if edition else [""] * len(sources)
    if len(editions) != len(sources):
        editions = [edition] * len(sources)
    parts = []
    for s, e in zip(sources, editions, strict=True):
        text = source_label(short_names.get(s, s))
        if e and e != "undated":
            text += f" {edition_label(e)}"
        if text not in parts:
            parts.append(text)
    return "; ".join(parts)


def _ranking_label(ind: Indicator, side: str, *, outside: bool = False) -> str:
    if ind.id == "migrant_stock":
        if side == "destinations":
            if outside:
                return _("Top destinations of emigrants outside the region")
            return _("Top destinations of emigrants")
        if outside:
            return _("Top origins of immigrants from outside the region")
        return _("Top origins of immigrants")
    if ind.id == "temporary_protection_beneficiaries" and side == "origins":
        return _("Under temporary protection, by citizenship (latest month)")
    if ind.id == "asylum_applicants" and side == "destinations":
        if outside:
            return _("Where the region's citizens applied for asylum, outside the region")
        return _("Where the country's citizens applied for asylum")
    if outside:
        return _("{title} by partner outside the region").format(title=ind.display_title())
    if ind.modelled:
        return _("Top sending countries (modelled)")
    return _("{title} by partner").format(title=ind.display_title())


def _sources_behind(ind: Indicator) -> tuple[str, ...]:
    """The sources a derived indicator is computed from (its base's, or its components')."""
    parts = [ind.derived_from] if ind.derived_from else list(ind.components)
    return tuple(s for p in parts if p in BY_ID for s in BY_ID[p].sources)


def _missing(
    ind: Indicator, name: str, short_names: Mapping[str, str], *, region: bool = False
) -> str:
    """'Emigrant stock (diaspora): no data from UN DESA or … for the Republic of Moldova.'

    For a region it says which: no member reports the figure, or migprofile does not
    aggregate it (a share or rate with no formula over members' sums)."""
    who = WHO_PUBLISHES.get(ind.id)
    if who:
        who = _(who)
    else:
        feeding = ind.sources or _sources_behind(ind)
        who = ", ".join(dict.fromkeys(source_label(short_names.get(s, s)) for s in feeding))
        who = who or _("the sources ingested")
    if region and not region_computable(ind):
        return _(
            "{title}: not computed for regions by migprofile (a share or rate is not the sum "
            "of its members' values, and no formula over their sums is defined)."
        ).format(title=ind.display_title())
    if region:
        return _("{title}: no member of {name} reports it in {who}.").format(
            title=ind.display_title(), name=name, who=who
        )
    return _("{title}: no data from {who} for {name}.").format(
        title=ind.display_title(), who=who, name=name
    )


def build_profile(store: Store, geo: str) -> Profile:
    """One profile; for many, keep a ProfileBuilder and call build() on it."""
    return ProfileBuilder(store).build(store.resolve_geo(geo))
