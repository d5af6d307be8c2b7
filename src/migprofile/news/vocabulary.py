"""What the checker knows of each indicator whatever the language of the text: the units a
quoted figure must have to be compared with it (English and Russian words for the indicators
live in `news.check` and `news.russian`)."""

from __future__ import annotations

__all__ = ["INDICATOR_UNITS"]

# The units a figure must have to be compared with the indicator ('%' / 'persons' / 'US$').
INDICATOR_UNITS: dict[str, tuple[str, ...]] = {
    "remittance_cost_to_pct": ("%",),
    "remittance_cost_corridor_pct": ("%",),
    "remittances_received_pct_gdp": ("%",),
    "remittances_received_usd": ("US$",),
    "remittances_bilateral_usd": ("US$",),
    "poverty_headcount_pct": ("%",),
    "new_displacements_disaster": ("persons", "count"),
    "new_displacements_conflict": ("persons", "count"),
    "idps_disaster_stock": ("persons", "count"),
    "idps_conflict_stock": ("persons", "count"),
    "refugees_by_origin": ("persons", "count"),
    "refugees_hosted": ("persons", "count"),
    "asylum_seekers_hosted": ("persons", "count"),
    "emigrant_pct": ("%",),
    "immigrant_pct_population": ("%",),
    "net_migration": ("persons", "count"),
    "emigrant_stock": ("persons", "count"),
    "immigrant_stock": ("persons", "count"),
    "migrant_stock": ("persons", "count"),
    "population": ("persons", "count"),
}
