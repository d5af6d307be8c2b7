"""Countries and areas, read from the name table that country_converter ships.

We read its TSV directly instead of calling `coco.CountryConverter`: the converter breaks under
pandas 3 (TypeError from its ISO2 column) and importing pandas costs ~0.5 s on every CLI call.
The table itself (ISO2/3, M49, short and official names, a regex of name variants, UN region)
is what we need; our own per-source overrides sit on top of it.
"""

from __future__ import annotations

import csv
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path


@dataclass(frozen=True)
class Country:
    iso3: str
    iso2: str
    m49: int | None
    name: str
    name_official: str
    # country_converter's regex of name variants: used only to *suggest* a name in an error
    # message ("did you mean Chad?"), never to resolve one (a regex search is a fuzzy match).
    regex: re.Pattern
    continent: str
    un_region: str  # M49 sub-region or, in Africa and the Americas, intermediate region
    obsolete: bool
    name_short: str = ""  # country_converter's own short name ('Moldova'), an exact alias
    # country_converter's membership classes this country belongs to (e.g. "EU27": the
    # European Union's 27 member states since 1 February 2020)
    groups: frozenset[str] = frozenset()


def _coco_table_path() -> Path:
    spec = importlib.util.find_spec("country_converter")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("country_converter is not installed (pip install country-converter)")
    return Path(next(iter(spec.submodule_search_locations))) / "country_data.tsv"


# Short names as the UN and the region's users write them, where coco's short name is informal.
_PREFERRED_SHORT_NAME = {
    "MDA": "Republic of Moldova",
    "RUS": "Russian Federation",
    "COG": "Congo",
    "COD": "Democratic Republic of the Congo",
    "FSM": "Micronesia (Federated States of)",
    "PRK": "Democratic People's Republic of Korea",
    "KOR": "Republic of Korea",
    "LAO": "Lao People's Democratic Republic",
    "VNM": "Viet Nam",
    "TZA": "United Republic of Tanzania",
    "IRN": "Iran (Islamic Republic of)",
    "SYR": "Syrian Arab Republic",
    "BOL": "Bolivia (Plurinational State of)",
    "VEN": "Venezuela (Bolivarian Republic of)",
}


# country_converter columns that mark membership by repeating their own name in a member's row.
MEMBERSHIP_COLUMNS = ("EU27",)


@cache
def load_countries() -> tuple[Country, ...]:
    rows = []
    with _coco_table_path().open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh, delimiter="\t"):
            iso3 = rec["ISO3"].strip()
            if not iso3:
                continue
            m49_text = (rec.get("UNcode") or rec.get("ISOnumeric") or "").strip()
            try:
                m49 = int(float(m49_text)) if m49_text else None
            except ValueError:
                m49 = None
            # Channel Islands: "obsolete" for ISO, but UN DESA and the World Bank report it.
            # Kosovo has no M49 code of its own (UN DESA counts it in Serbia).
            if iso3 == "XKX":
                m49 = None
            rows.append(
                Country(
                    iso3=iso3,
                    iso2=rec["ISO2"].strip(),
                    m49=m49,
                    name=_PREFERRED_SHORT_NAME.get(iso3, rec["name_short"].strip()),
                    name_official=rec["name_official"].strip(),
                    regex=re.compile(rec["regex"], re.IGNORECASE),
                    continent=rec["continent"].strip(),
                    un_region=rec["UNregion"].strip(),
                    obsolete=bool(rec.get("obsolete", "").strip()) and iso3 != "CHI",
                    name_short=rec["name_short"].strip(),
                    groups=frozenset(
                        c for c in MEMBERSHIP_COLUMNS if (rec.get(c) or "").strip() == c
                    ),
                )
            )
    return tuple(rows)
