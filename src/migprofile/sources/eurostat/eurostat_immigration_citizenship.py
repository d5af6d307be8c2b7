"""Eurostat migr_imm1ctz: immigration by age group, sex and citizenship (annual).

Stored as `immigration_by_citizenship`, geo = reporting country, partner = citizenship (NAT, the
country's own citizens returning, as partner = geo). Only age TOTAL is kept. The table gives
each figure under two age definitions (agedef REACH, age reached during the year, and COMPLET,
age in completed years), the same people counted twice: REACH is kept, COMPLET only in a file
without REACH (said in the note). Layouts, geography, flags and editions: see `_common`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from migprofile.sources.eurostat._common import EurostatDataset, api_download

FLOW = "MIGR_IMM1CTZ"


class EurostatImmigrationCitizenship(EurostatDataset):
    id = "eurostat_immigration_citizenship"
    title = "Eurostat immigration by age group, sex and citizenship (migr_imm1ctz)"
    citation = "Eurostat. Immigration by age group, sex and citizenship (migr_imm1ctz), {edition}."
    feeds = ("immigration_by_citizenship",)
    recognition_order = 840
    downloads = (api_download(FLOW, "Immigration by citizenship"),)
    name_pattern = re.compile(r"migr_imm1ctz", re.I)

    flows = (FLOW,)
    dimensions = ("freq", "citizen", "agedef", "age", "unit", "sex", "geo")
    indicators_by_code: ClassVar[Mapping[str, str]] = {"": "immigration_by_citizenship"}
    variant_dim = "agedef"
    variant_order = ("REACH", "COMPLET")
    indicator_names: ClassVar[Mapping[str, tuple[str, str]]] = {
        "immigration_by_citizenship": (
            "Immigration by citizenship",
            "Persons establishing their usual residence in the reporting country during the "
            "year (for at least 12 months), by country of citizenship.",
        )
    }
