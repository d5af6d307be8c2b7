"""World Bank/KNOMAD Bilateral Remittance Matrix: receiving countries across, sending down,
US$ million; stored as `remittances_bilateral_usd` in US$ (geo = receiving, partner = sending).
Modelled estimates (migrant stocks x incomes), flagged `modelled`. See `_common`.
"""

from __future__ import annotations

import re

from migprofile.sources.base import Download
from migprofile.sources.knomad._common import (
    HOMEPAGE,
    LICENCE,
    PUBLISHER,
    REMITTANCES,
    BilateralMatrix,
)


class WbBilateralRemittances(BilateralMatrix):
    id = "wb_bilateral_remittances"
    short_name = "World Bank/KNOMAD bilateral estimates"
    feeds = ("remittances_bilateral_usd",)
    preference = 10
    recognition_order = 300
    title = "World Bank/KNOMAD Bilateral Remittance Matrix"
    publisher = PUBLISHER
    licence = LICENCE
    citation = (
        "World Bank. Bilateral Remittance Estimates for {edition} using Migrant Stocks, Host "
        "Country Incomes, and Origin Country Incomes (KNOMAD)."
    )
    homepage = HOMEPAGE
    modelled = True
    downloads = (
        Download(
            "https://pubdocs.worldbank.org/en/705611533661084197/"
            "bilateralremittancematrix2017-Apr2018.xlsx",
            "bilateralremittancematrix2017-Apr2018.xlsx",
            "2017",
            "Bilateral Remittance Matrix 2017 (April 2018 version)",
        ),
    )
    kind = REMITTANCES
    name_pattern = re.compile(r"bilateral[\s_-]*remittance", re.IGNORECASE)
