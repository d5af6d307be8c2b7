"""Aggregates: World, UN M49 regions, SDG regions and the region's own groupings.

Membership of M49 regions is derived from each country's M49 (intermediate) region; SDG regions
are unions of M49 sub-regions as the UN Statistics Division defines them. World Bank regions and
income groups are not defined here: they arrive with the World Bank's own country metadata.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from migprofile.geo.countries import Country
from migprofile.wording.i18n import N_


@dataclass(frozen=True)
class Aggregate:
    geo: str
    name: str
    group_type: str
    m49: int | None = None
    members_from: tuple[str, ...] = ()  # ids of aggregates whose union this is
    un_regions: tuple[str, ...] = ()  # coco UNregion values that belong here
    continent: str | None = None
    members: tuple[str, ...] = ()  # fixed ISO3 list
    coco_group: str = ""  # members are the countries in this country_converter class
    aliases: tuple[str, ...] = field(default_factory=tuple)


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _m49(name: str, code: int, group_type: str, **kw) -> Aggregate:
    return Aggregate(geo=slug(name), name=name, group_type=group_type, m49=code, **kw)


_INTERMEDIATE = [
    (N_("Eastern Africa"), 14),
    (N_("Middle Africa"), 17),
    (N_("Southern Africa"), 18),
    (N_("Western Africa"), 11),
    (N_("Caribbean"), 29),
    (N_("Central America"), 13),
    (N_("South America"), 5),
]
_SUBREGIONS_DIRECT = [
    (N_("Northern Africa"), 15),
    (N_("Northern America"), 21),
    (N_("Central Asia"), 143),
    (N_("Eastern Asia"), 30),
    (N_("South-eastern Asia"), 35),
    (N_("Southern Asia"), 34),
    (N_("Western Asia"), 145),
    (N_("Eastern Europe"), 151),
    (N_("Northern Europe"), 154),
    (N_("Southern Europe"), 39),
    (N_("Western Europe"), 155),
    (N_("Australia and New Zealand"), 53),
    (N_("Melanesia"), 54),
    (N_("Micronesia"), 57),
    (N_("Polynesia"), 61),
]

_ALIASES = {"Australia and New Zealand": ("Australia / New Zealand", "Australia/New Zealand")}

AGGREGATES: tuple[Aggregate, ...] = (
    Aggregate("world", N_("World"), "world", m49=1, aliases=("WORLD", "Total", "World total")),
    # M49 regions are the unions of their sub-regions (not coco's continents, which put
    # Christmas Island in Asia where M49 puts it in Australia and New Zealand).
    _m49(N_("Africa"), 2, "m49_region", members_from=("northern-africa", "sub-saharan-africa")),
    _m49(
        N_("Americas"),
        19,
        "m49_region",
        members_from=("latin-america-and-the-caribbean", "northern-america"),
    ),
    _m49(
        N_("Asia"),
        142,
        "m49_region",
        members_from=(
            "central-asia",
            "eastern-asia",
            "south-eastern-asia",
            "southern-asia",
            "western-asia",
        ),
    ),
    _m49(
        N_("Europe"),
        150,
        "m49_region",
        members_from=("eastern-europe", "northern-europe", "southern-europe", "western-europe"),
    ),
    _m49(
        N_("Oceania"),
        9,
        "m49_region",
        members_from=("australia-and-new-zealand", "melanesia", "micronesia", "polynesia"),
    ),
    *(_m49(n, c, "m49_intermediate", un_regions=(n,)) for n, c in _INTERMEDIATE),
    *(
        _m49(n, c, "m49_subregion", un_regions=(n,), aliases=_ALIASES.get(n, ()))
        for n, c in _SUBREGIONS_DIRECT
    ),
    _m49(
        N_("Sub-Saharan Africa"),
        202,
        "m49_subregion",
        members_from=("eastern-africa", "middle-africa", "southern-africa", "western-africa"),
    ),
    _m49(
        N_("Latin America and the Caribbean"),
        419,
        "m49_subregion",
        members_from=("caribbean", "central-america", "south-america"),
    ),
    Aggregate(
        "northern-africa-and-western-asia",
        N_("Northern Africa and Western Asia"),
        "sdg_region",
        members_from=("northern-africa", "western-asia"),
    ),
    Aggregate(
        "central-and-southern-asia",
        N_("Central and Southern Asia"),
        "sdg_region",
        members_from=("central-asia", "southern-asia"),
    ),
    Aggregate(
        "eastern-and-south-eastern-asia",
        N_("Eastern and South-Eastern Asia"),
        "sdg_region",
        members_from=("eastern-asia", "south-eastern-asia"),
    ),
    Aggregate(
        "oceania-excluding-australia-and-new-zealand",
        N_("Oceania (excluding Australia and New Zealand)"),
        "sdg_region",
        members_from=("melanesia", "micronesia", "polynesia"),
    ),
    Aggregate(
        "europe-and-northern-america",
        N_("Europe and Northern America"),
        "sdg_region",
        members_from=(
            "eastern-europe",
            "northern-europe",
            "southern-europe",
            "western-europe",
            "northern-america",
        ),
    ),
    # The EU as Eurostat's EU27_2020 (the same id, so Eurostat's published EU rows and the
    # members' sums meet in one geo); its members are country_converter's EU27 class.
    Aggregate(
        "eu27_2020",
        N_("European Union (27 countries from 2020)"),
        "eurostat_aggregate",
        coco_group="EU27",
    ),
    Aggregate("south-caucasus", N_("South Caucasus"), "grouping", members=("ARM", "AZE", "GEO")),
    Aggregate(
        "eastern-partnership",
        N_("Eastern Partnership"),
        "grouping",
        members=("ARM", "AZE", "BLR", "GEO", "MDA", "UKR"),
    ),
    Aggregate(
        "western-balkans",
        N_("Western Balkans"),
        "grouping",
        members=("ALB", "BIH", "MNE", "MKD", "SRB", "XKX"),
    ),
)

# SDG regions that coincide with an M49 (sub-)region: same id, so a figure has one home.
SDG_REGION_IDS = (
    "sub-saharan-africa",
    "northern-africa-and-western-asia",
    "central-and-southern-asia",
    "eastern-and-south-eastern-asia",
    "latin-america-and-the-caribbean",
    "australia-and-new-zealand",
    "oceania-excluding-australia-and-new-zealand",
    "europe-and-northern-america",
)
# Central Asia (M49 143) is also one of the region's groupings: KAZ KGZ TJK TKM UZB.
GROUPING_IDS = ("south-caucasus", "central-asia", "eastern-partnership", "western-balkans")


# Where country_converter's UNregion column differs from UNSD M49.
M49_REGION_FIXES = {"NRU": "Micronesia"}


def _un_region(country: Country) -> str:
    return M49_REGION_FIXES.get(country.iso3, country.un_region)


def aggregate_members(countries: tuple[Country, ...]) -> dict[str, tuple[str, ...]]:
    """ISO3 members of every built-in aggregate (current countries only)."""
    current = [c for c in countries if not c.obsolete and c.iso3 != "ATA"]
    out: dict[str, tuple[str, ...]] = {}
    for agg in AGGREGATES:
        if agg.members:
            out[agg.geo] = agg.members
        elif agg.coco_group:
            out[agg.geo] = tuple(c.iso3 for c in current if agg.coco_group in c.groups)
        elif agg.continent:
            out[agg.geo] = tuple(c.iso3 for c in current if c.continent == agg.continent)
        elif agg.un_regions:
            out[agg.geo] = tuple(c.iso3 for c in current if _un_region(c) in agg.un_regions)
    for _ in range(3):  # unions, after their parts exist (regions of sub-regions of ...)
        for agg in AGGREGATES:
            if agg.members_from and all(part in out for part in agg.members_from):
                out[agg.geo] = tuple(sorted({m for part in agg.members_from for m in out[part]}))
    out["world"] = tuple(c.iso3 for c in current)
    return out
