"""Eurostat migr_pop1ctz: population on 1 January by age group, sex and citizenship (annual).

Stored as `population_by_citizenship`, geo = reporting country, partner = citizenship (NAT, the
country's own citizens, as partner = geo; FOR, all foreign citizens, as `eurostat-for`). The
population on 1 January of a year is stored under that year with period '' (the year's value)
and said in the file's note. Only age TOTAL is kept; unit NR (number of persons).
Layouts, geography, flags and editions: see `_common`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from migprofile.sources.eurostat._common import EurostatDataset, api_download

FLOW = "MIGR_POP1CTZ"


class EurostatPopulationCitizenship(EurostatDataset):
    id = "eurostat_population_citizenship"
    title = "Eurostat population on 1 January by age group, sex and citizenship (migr_pop1ctz)"
    citation = (
        "Eurostat. Population on 1 January by age group, sex and citizenship (migr_pop1ctz), "
        "{edition}."
    )
    feeds = ("population_by_citizenship",)
    recognition_order = 830
    downloads = (api_download(FLOW, "Population on 1 January by citizenship"),)
    name_pattern = re.compile(r"migr_pop1ctz", re.I)

    flows = (FLOW,)
    dimensions = ("freq", "citizen", "age", "unit", "sex", "geo")
    indicators_by_code: ClassVar[Mapping[str, str]] = {"": "population_by_citizenship"}
    indicator_names: ClassVar[Mapping[str, tuple[str, str]]] = {
        "population_by_citizenship": (
            "Population on 1 January by citizenship",
            "Usually resident population of the reporting country on 1 January of the year, "
            "by country of citizenship.",
        )
    }
    stock_note = "population on 1 January of each year (stored as the year's value)"
