"""World Bank/KNOMAD Bilateral Migration Matrix: destinations across, origins down, persons;
stored as `migrant_stock` (geo = destination, partner = origin). World Bank staff estimates,
flagged `modelled`. See `_common`.
"""

from __future__ import annotations

import re

from migprofile.sources.base import Download
from migprofile.sources.knomad._common import (
    HOMEPAGE,
    LICENCE,
    MIGRATION,
    PUBLISHER,
    BilateralMatrix,
)


class WbBilateralMigration(BilateralMatrix):
    id = "wb_bilateral_migration"
    short_name = "World Bank bilateral estimates"
    feeds = (
        "migrant_stock",
        "emigrant_stock",
        "top_destinations",
        "top_origins",
    )
    preference = 40
    recognition_order = 310
    title = "World Bank/KNOMAD Bilateral Migration Matrix"
    publisher = PUBLISHER
    licence = LICENCE
    citation = "World Bank. Bilateral Estimates of Migrant Stocks in {edition} (KNOMAD)."
    homepage = HOMEPAGE
    modelled = True
    downloads = (
        Download(
            "https://www.knomad.org/sites/default/files/2018-04/"
            "bilateralmigrationmatrix20170_Apr2018.xlsx",
            "bilateralmigrationmatrix20170_Apr2018.xlsx",
            "2017",
            "Bilateral Migration Matrix 2017 (April 2018 version)",
        ),
    )
    kind = MIGRATION
    name_pattern = re.compile(r"bilateral[\s_-]*(estimates[\s_-]*)?migra(tion|nt)", re.IGNORECASE)
