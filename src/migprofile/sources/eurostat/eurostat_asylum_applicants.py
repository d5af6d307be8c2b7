"""Eurostat migr_asyappctza: asylum applicants by type, citizenship, age and sex (annual).

Stored as `asylum_applicants` (applicant type ASY_APP, all applicants: the headline figure),
geo = reporting country, partner = citizenship; first-time applicants (NASY_APP) as
`eurostat:asy_app_first_time` and subsequent applicants (SASY_APP) as
`eurostat:asy_app_subsequent`. Only age TOTAL is kept (age classes are skipped and counted in
the file's note). Layouts, geography, flags and editions: see `_common`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from migprofile.sources.eurostat._common import EurostatDataset, api_download

FLOW = "MIGR_ASYAPPCTZA"


class EurostatAsylumApplicants(EurostatDataset):
    id = "eurostat_asylum_applicants"
    title = "Eurostat asylum applicants by type, citizenship, age and sex (migr_asyappctza)"
    citation = (
        "Eurostat. Asylum applicants by type, citizenship, age and sex - annual aggregated "
        "data (migr_asyappctza), {edition}."
    )
    feeds = ("asylum_applicants",)
    recognition_order = 800
    downloads = (api_download(FLOW, "Asylum applicants by citizenship, annual"),)
    name_pattern = re.compile(r"migr_asyappctza|asylum[-_ ]?applicants", re.I)

    flows = (FLOW,)
    dimensions = ("freq", "citizen", "sex", "unit", "age", "asyl_app", "geo")
    indicator_dim = "asyl_app"
    indicators_by_code: ClassVar[Mapping[str, str]] = {
        "ASY_APP": "asylum_applicants",
        "NASY_APP": "eurostat:asy_app_first_time",
        "SASY_APP": "eurostat:asy_app_subsequent",
    }
    indicator_names: ClassVar[Mapping[str, tuple[str, str]]] = {
        "asylum_applicants": (
            "Asylum applicants",
            "Persons having submitted or included in an application for international "
            "protection in the reporting country during the year, by citizenship.",
        ),
        "eurostat:asy_app_first_time": (
            "First-time asylum applicants",
            "Persons applying for international protection for the first time in the "
            "reporting country during the year, by citizenship.",
        ),
        "eurostat:asy_app_subsequent": (
            "Subsequent asylum applicants",
            "Persons lodging a further application after a final decision on a previous one.",
        ),
    }
