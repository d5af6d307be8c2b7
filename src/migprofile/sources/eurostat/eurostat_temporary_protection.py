"""Eurostat migr_asytpsm: beneficiaries of temporary protection at the end of the month, by
citizenship, age and sex (monthly).

Stored as `temporary_protection_beneficiaries`, geo = reporting country, partner = citizenship,
one value per month: period 'YYYY-MM' (a stock at the month's end), year = its year. Monthly
values are not the year's value: default (annual) reads do not take them. Only age TOTAL is kept.
Layouts, geography, flags and editions: see `_common`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from migprofile.sources.eurostat._common import EurostatDataset, api_download

FLOW = "MIGR_ASYTPSM"


class EurostatTemporaryProtection(EurostatDataset):
    id = "eurostat_temporary_protection"
    title = (
        "Eurostat beneficiaries of temporary protection at the end of the month by "
        "citizenship, age and sex (migr_asytpsm)"
    )
    citation = (
        "Eurostat. Beneficiaries of temporary protection at the end of the month by "
        "citizenship, age and sex - monthly data (migr_asytpsm), {edition}."
    )
    feeds = ("temporary_protection_beneficiaries",)
    recognition_order = 810
    downloads = (api_download(FLOW, "Beneficiaries of temporary protection, monthly"),)
    name_pattern = re.compile(r"migr_asytpsm|temporary[-_ ]?protection", re.I)

    flows = (FLOW,)
    dimensions = ("freq", "unit", "citizen", "sex", "age", "geo")
    frequency = "M"
    indicators_by_code: ClassVar[Mapping[str, str]] = {"": "temporary_protection_beneficiaries"}
    indicator_names: ClassVar[Mapping[str, tuple[str, str]]] = {
        "temporary_protection_beneficiaries": (
            "Beneficiaries of temporary protection at the end of the month",
            "Persons holding temporary protection status in the reporting country on the "
            "last day of the month, by citizenship.",
        )
    }
    stock_note = "stocks at the end of each month (period YYYY-MM)"
