"""Which sources feed each catalogue indicator comes from the sources themselves (`feeds`,
`preference`), not from a list in the catalogue."""

from __future__ import annotations

import pytest

from migprofile.indicators import BY_ID, CATALOGUE, sources_feeding
from migprofile.sources import REGISTRY

# The preference order the catalogue hard-coded before the sources said it themselves.
# UN DESA destination x origin: the official workbook, then its extracts, then the World Bank
_UN_DESA_PAIRS = (
    "undesa_ims_origin",
    "gdidata_undesa_stocks",
    "gmdac_gdiviz",
    "wb_bilateral_migration",
)
BEFORE = {
    "immigrant_stock": ("undesa_ims_destination", "undesa_ims_origin"),
    "migrant_stock": _UN_DESA_PAIRS,
    "emigrant_stock": _UN_DESA_PAIRS,
    "top_destinations": _UN_DESA_PAIRS,
    "top_origins": _UN_DESA_PAIRS,
    "remittance_cost_corridor_pct": ("rpw_corridors", "rpw_providers"),
    "remittance_cost_corridor_500_pct": ("rpw_providers",),
    "immigrant_pct_population": ("undesa_ims_destination",),
    "remittances_received_usd": ("wdi",),
    "population": ("wdi", "wpp"),
    "remittances_bilateral_usd": ("wb_bilateral_remittances",),
    "remittances_inflow_knomad_usd": ("knomad_remittance_flows",),
    "idps_conflict_stock": ("idmc",),
    "idps_conflict_stock_raw": ("idmc",),
    "refugees": ("unhcr",),
    "refugees_by_origin": ("unhcr",),
    "asylum_seekers_hosted": ("unhcr",),
    "rpw_cost_200_digital_pct": ("rpw_providers",),
    # derived by formula: no source of their own
    "emigrant_pct": (),
    "refugees_by_origin_per_100k": (),
    # derived from one indicator (a change, a total): its base's sources, in its order
    "emigrant_stock_change": _UN_DESA_PAIRS,
}


@pytest.mark.parametrize("indicator", sorted(BEFORE))
def test_sources_come_from_the_registry_in_the_old_order(indicator):
    assert BY_ID[indicator].sources == BEFORE[indicator]


def test_every_indicator_lists_exactly_the_sources_that_feed_it():
    for ind in CATALOGUE:
        if ind.sources == ("migprofile_flows",):
            continue  # computed by migprofile itself (`flows build`), not fed by a publisher
        feeding = sources_feeding(ind.id)
        if not feeding and ind.derived_from:
            feeding = sources_feeding(ind.derived_from)
        assert ind.sources == feeding, ind.id


def test_order_is_preference_then_id():
    for ind in CATALOGUE:
        if ind.sources == ("migprofile_flows",):
            continue  # computed by migprofile itself, not a registered source
        ranks = [next((s.preference, s.id) for s in REGISTRY if s.id == sid) for sid in ind.sources]
        assert ranks == sorted(ranks), ind.id


def test_every_fed_id_is_in_the_catalogue():
    fed = {i for s in REGISTRY for i in s.feeds}
    assert fed <= set(BY_ID), sorted(fed - set(BY_ID))


def test_derived_copies_keep_their_base_sources():
    for ind in CATALOGUE:
        if ind.id.endswith("_raw") and ind.id[: -len("_raw")] in BY_ID:
            # the raw figures come from the base's sources (and extracts that give only them)
            assert set(BY_ID[ind.id[: -len("_raw")]].sources) <= set(ind.sources), ind.id
