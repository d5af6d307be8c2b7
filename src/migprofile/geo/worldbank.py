"""World Bank geography: region and income-group codes, aggregate names, economy name variants.

Shared by every World Bank dataset (WDI, KNOMAD, RPW). Regions and income groups are not
defined here as aggregates with members: their members arrive with the World Bank's own country
metadata. What is here is how the World Bank writes them, and how they become geo ids
(`wb-<code>` where a World Bank code exists, else `wb-<slug of the name>`).
"""

from __future__ import annotations

import re

from migprofile.errors import UnknownGeoError
from migprofile.geo.harmonise import Harmoniser, name_key
from migprofile.geo.regions import slug

WB_REGIONS = {"EAS", "ECS", "LCN", "MEA", "NAC", "SAS", "SSF"}
WB_INCOME_GROUPS = {"HIC", "UMC", "LMC", "LIC"}
# The labels the country metadata uses for the region and income-group aggregates.
WB_GROUP_CODES = {
    "east asia & pacific": "EAS",
    "europe & central asia": "ECS",
    "latin america & caribbean": "LCN",
    "middle east & north africa": "MEA",
    "middle east, north africa, afghanistan & pakistan": "MEA",
    "north america": "NAC",
    "south asia": "SAS",
    "sub-saharan africa": "SSF",
    "high income": "HIC",
    "upper middle income": "UMC",
    "lower middle income": "LMC",
    "low income": "LIC",
}
NOT_AN_ECONOMY = {"INX"}  # "Not classified": carries no data of its own
# Every aggregate code the World Bank publishes in WDI (regions, income and lending groups,
# demographic dividend, IDA/IBRD totals, small states...). A code that is neither a country nor
# listed here is an error, never a new aggregate ('ATL' is not a World Bank code).
# fmt: off
WB_AGGREGATE_CODES = frozenset((
    "AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS",
    "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "LAC", "LCN", "LDC", "LIC", "LMC", "LMY",
    "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA", "SSF",
    "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD",
))
# fmt: on

# World Bank spellings the harmoniser does not resolve (or resolves wrongly): {name: ISO3}.
# 'Micronesia' alone would be the UN sub-region; in a World Bank economy list it is the country.
WB_NAME_VARIANTS: dict[str, str] = {
    "Micronesia": "FSM",
}

# Aggregate rows of the KNOMAD flow tables: name → (World Bank code or "", group type).
# With a code the id is the WDI one (wb-<code>); without, 'wb-<slug of the name>'.
WB_AGGREGATES: dict[str, tuple[str, str]] = {
    "Low-and Middle-Income Countries": ("LMY", "wb_aggregate"),
    "Low- and Middle-Income Countries": ("LMY", "wb_aggregate"),
    "Low and middle income": ("LMY", "wb_aggregate"),
    "Low & middle income": ("LMY", "wb_aggregate"),
    "Developing countries": ("LMY", "wb_aggregate"),
    "Middle income": ("MIC", "wb_aggregate"),
    "Middle-income countries": ("MIC", "wb_aggregate"),
    "High income": ("HIC", "wb_income"),
    "High-income countries": ("HIC", "wb_income"),
    "Upper middle income": ("UMC", "wb_income"),
    "Upper-middle-income countries": ("UMC", "wb_income"),
    "Lower middle income": ("LMC", "wb_income"),
    "Lower-middle-income countries": ("LMC", "wb_income"),
    "Low income": ("LIC", "wb_income"),
    "Low-income countries": ("LIC", "wb_income"),
    "East Asia and Pacific": ("", "wb_aggregate"),
    "Europe and Central Asia": ("", "wb_aggregate"),
    "Latin America and Caribbean": ("", "wb_aggregate"),
    "Latin America and the Caribbean": ("", "wb_aggregate"),
    "Middle East and North Africa": ("", "wb_aggregate"),
    "Middle-East and North Africa": ("", "wb_aggregate"),
    "Middle East, North Africa, Afghanistan and Pakistan": ("", "wb_aggregate"),
    "South Asia": ("", "wb_aggregate"),
    "Sub-Saharan Africa": ("", "wb_aggregate"),
}

_WB_CODE = re.compile(r"[A-Z0-9]{2,4}")


def wb_group_type(code: str) -> str:
    """'wb_region', 'wb_income' or 'wb_aggregate' for a World Bank aggregate code."""
    if code in WB_REGIONS:
        return "wb_region"
    if code in WB_INCOME_GROUPS:
        return "wb_income"
    return "wb_aggregate"


def is_wb_code(code: str) -> bool:
    return bool(_WB_CODE.fullmatch(code))


def wb_by_name(h: Harmoniser, key: str) -> str | None:
    """A World Bank aggregate an earlier file registered, by name_key of its name."""
    for geo, entry in h.entries.items():
        if geo.startswith("wb-") and name_key(entry.name) == key:
            return geo
    return None


def wb_aggregate(h: Harmoniser, name: str, code: str, group_type: str) -> str:
    """The geo id of a World Bank aggregate written by name (with its code when known)."""
    clean = re.sub(r"\s+", " ", name).strip()
    if code:
        known = h.by_code("wb", code)
        if known:
            return known
        return h.register_aggregate(f"wb-{code.lower()}", clean, group_type, codes=(("wb", code),))
    known = wb_by_name(h, name_key(clean))
    if known:
        return known
    return h.register_aggregate("wb-" + slug(clean), clean, group_type)


def wb_aggregate_by_code(h: Harmoniser, code: str, name: str) -> str:
    """A World Bank aggregate by its code (WDI's 'EAS', 'LMY'), registered on first sight; a
    code that is not in WB_AGGREGATE_CODES (nor registered before) is UnknownGeoError."""
    if code not in WB_AGGREGATE_CODES and not h.by_code("wb", code):
        raise UnknownGeoError(
            str(name or code).strip(),
            f"code {code!r} is neither a country nor a known World Bank aggregate",
        )
    return h.register_aggregate(
        f"wb-{code.lower()}", str(name or code).strip(), wb_group_type(code), codes=(("wb", code),)
    )
