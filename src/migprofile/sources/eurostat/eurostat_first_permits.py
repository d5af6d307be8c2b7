"""Eurostat migr_resfirst: first residence permits by reason, length of validity and
citizenship (annual), and its summary table TPS00170 (totals only).

Stored with geo = reporting country, partner = citizenship: all reasons as
`first_residence_permits`; family (FAM) as `first_residence_permits_family`, education (EDUC)
as `first_residence_permits_education`, remunerated activities (OCC) as
`first_residence_permits_remunerated`, other reasons (OTH) as `first_residence_permits_other`;
the finer reasons under Eurostat's own code, `eurostat:resfirst_<code>` ('OCC_HSKL' →
`eurostat:resfirst_occ_hskl`; in a labels download, the label's slug). Only duration
(length of validity) TOTAL is kept. The table has no sex or age: sex is 'total'.
Layouts, geography, flags and editions: see `_common`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar

from migprofile.sources.eurostat._common import EurostatDataset, api_download

FLOW = "MIGR_RESFIRST"
SUMMARY_FLOW = "TPS00170"  # the summary table: the same dimensions, totals only


class EurostatFirstPermits(EurostatDataset):
    id = "eurostat_first_permits"
    title = (
        "Eurostat first permits by reason, length of validity and citizenship (migr_resfirst, "
        "TPS00170)"
    )
    citation = (
        "Eurostat. First permits by reason, length of validity and citizenship "
        "(migr_resfirst), {edition}."
    )
    feeds = (
        "first_residence_permits",
        "first_residence_permits_family",
        "first_residence_permits_education",
        "first_residence_permits_remunerated",
        "first_residence_permits_other",
    )
    recognition_order = 820
    downloads = (api_download(FLOW, "First residence permits by reason and citizenship"),)
    name_pattern = re.compile(r"migr_resfirst|tps00170|(residence|migration)[-_ ]?permits", re.I)

    flows = (FLOW, SUMMARY_FLOW)
    dimensions = ("freq", "reason", "citizen", "duration", "unit", "geo")
    totals_only = ("duration",)
    indicator_dim = "reason"
    indicators_by_code: ClassVar[Mapping[str, str]] = {
        "TOTAL": "first_residence_permits",
        "FAM": "first_residence_permits_family",
        "EDUC": "first_residence_permits_education",
        "OCC": "first_residence_permits_remunerated",
        "OTH": "first_residence_permits_other",
    }
    other_indicator = "eurostat:resfirst_{code}"
    indicator_names: ClassVar[Mapping[str, tuple[str, str]]] = {
        "first_residence_permits": (
            "First residence permits, all reasons",
            "Residence permits issued to non-EU citizens for the first time in the reporting "
            "country during the year, valid for at least three months, by citizenship.",
        ),
        "first_residence_permits_family": (
            "First residence permits for family reasons",
            "First residence permits issued for family reasons (family formation and "
            "reunification).",
        ),
        "first_residence_permits_education": (
            "First residence permits for education reasons",
            "First residence permits issued for education reasons (study, training).",
        ),
        "first_residence_permits_remunerated": (
            "First residence permits for remunerated activities",
            "First residence permits issued for remunerated activities (employment, "
            "self-employment).",
        ),
        "first_residence_permits_other": (
            "First residence permits for other reasons",
            "First residence permits issued for other reasons (international protection, "
            "residence only, other).",
        ),
    }
