"""UN M49 classification files: the UNSD overview CSV (official layout, UTF-8 BOM) and the
datahub.io country-codes compilation built from it.

They bring no observations: they refresh region memberships (M49 regions, sub-regions,
intermediate regions), add the LDC / LLDC / SIDS groups, and keep attributes such as the capital
and the UNTERM names, each with the file's own provenance.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.geo.harmonise import name_key
from migprofile.sources.base import (
    FilePeek,
    Match,
    ParsedFile,
    Source,
    TidyRows,
    check_last_row,
    csv_header,
    read_csv,
)

OVERVIEW_COLUMNS = {"region code", "sub-region code", "m49 code", "iso-alpha3 code"}
DATAHUB_COLUMNS = {"iso3166-1-alpha-3", "m49", "region code", "sub-region code"}
SPECIAL_GROUPS = {
    "Least Developed Countries (LDC)": ("ldc", "Least developed countries (LDC)"),
    "Land Locked Developing Countries (LLDC)": ("lldc", "Land-locked developing countries (LLDC)"),
    "Small Island Developing States (SIDS)": ("sids", "Small island developing States (SIDS)"),
}
# The last row of each layout: UNSD lists areas by region (Oceania, Polynesia last), datahub
# by name.
LAST_ROW = {
    "unsd-m49-overview": ("WLF", "UNSD M49 overview files (areas by region, Polynesia last)"),
    "datahub-country-codes": ("ZWE", "datahub country-codes files (areas by name)"),
}
# Short names must already name the row's country (formal names are long forms no table lists).
NAME_ATTRIBUTES = {"unterm_short", "official_name_en"}
DATAHUB_ATTRIBUTES = {
    "Capital": "capital",
    "UNTERM English Short": "unterm_short",
    "UNTERM English Formal": "unterm_formal",
    "official_name_en": "official_name_en",
    "is_independent": "is_independent",
}


class M49(Source):
    id = "m49"
    short_name = "UNSD M49"
    feeds = ()
    preference = 10
    recognition_order = 700
    title = "UN Statistics Division: Standard country or area codes for statistical use (M49)"
    publisher = "United Nations Statistics Division"
    licence = "UN terms of use (free reuse with attribution)"
    citation = "United Nations Statistics Division. Standard country or area codes (M49)."
    homepage = "https://unstats.un.org/unsd/methodology/m49/overview/"
    name_pattern = re.compile(r"(UNSD.*M49|m49.*overview|country-codes)", re.I)

    name_suffixes = (".csv",)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        header = set(csv_header(peek, lower=True) or ())
        if header >= OVERVIEW_COLUMNS:
            return Match(self, path, "unsd-m49-overview")
        if header >= DATAHUB_COLUMNS:
            return Match(self, path, "datahub-country-codes")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        datahub = match.layout == "datahub-country-codes"
        iso_col = "ISO3166-1-Alpha-3" if datahub else "ISO-alpha3 Code"
        attributes: list[tuple[str, str, str]] = []
        groups: dict[str, list[str]] = {}
        skipped_names: list[str] = []
        # UNSD writes no final line break; datahub does. Both end their table with a known row.
        records = read_csv(path, final_newline=datahub).dicts()
        if records:
            line, last = records[-1]
            expected, what = LAST_ROW[match.layout]
            check_last_row(
                path, (last.get(iso_col) or "").strip().upper(), expected, what, line=line
            )
        for line, rec in records:
            iso3 = (rec.get(iso_col) or "").strip().upper()
            if not iso3:
                continue  # e.g. Sark: an M49 area with no ISO code
            geo = harmoniser.country_by_iso3(iso3)
            if geo is None:
                name = rec.get("official_name_en") or rec.get("Country or Area") or iso3
                raise ParseError(path, f"ISO3 code {iso3!r} ({name}) is unknown", row=line)
            for col in ("Region Code", "Sub-region Code", "Intermediate Region Code"):
                code = (rec.get(col) or "").strip()
                if not code:
                    continue
                try:
                    number = str(int(code))
                except ValueError:
                    raise ParseError(path, f"{col} {code!r} is not a number", row=line) from None
                group = harmoniser.by_code("m49_region", number)
                if group is None:
                    raise ParseError(path, f"{col} {code} is not an M49 region", row=line)
                groups.setdefault(group, []).append(geo)
            for col, (group_id, label) in SPECIAL_GROUPS.items():
                if (rec.get(col) or "").strip().lower() == "x":
                    harmoniser.register_aggregate(group_id, label, "m49_group")
                    groups.setdefault(group_id, []).append(geo)
            if datahub:
                for col, key in DATAHUB_ATTRIBUTES.items():
                    value = (rec.get(col) or "").strip()
                    if not value:
                        continue
                    if key in NAME_ATTRIBUTES and harmoniser.names.get(name_key(value)) != geo:
                        # a name the country is not known by (a renamed or damaged cell) is
                        # not stored as its name: the ISO code decides the row
                        skipped_names.append(f"{iso3} {value!r}")
                        continue
                    attributes.append((geo, key, value))
        if not groups:
            raise ParseError(path, "no country rows with an ISO3 code")
        for group, members in groups.items():
            harmoniser.set_members(group, members)
        return ParsedFile(
            path=path,
            source=self.id,
            edition="undated",
            edition_order="0000",
            layout=match.layout,
            table=TidyRows(path).to_table(),
            geo_attributes=attributes,
            note="classification: region memberships"
            + (", capitals and UNTERM names" if datahub else "")
            + "; LDC/LLDC/SIDS flags"
            + (
                f"; names not stored (not a known name of the row's ISO code): "
                f"{', '.join(skipped_names[:10])}"
                + (f" and {len(skipped_names) - 10} more" if len(skipped_names) > 10 else "")
                if skipped_names
                else ""
            ),
        )
