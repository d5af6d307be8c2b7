"""One geo code per entity, whatever the file calls it.

Order of trust: a source's own codes (ISO3, M49) beat names; names go through footnote-mark
stripping, an exact index of every known variant, then country_converter's regexes. A name that
matches nothing is an error unless the source lists it as a known non-country.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from migprofile.errors import UnknownGeoError
from migprofile.geo.countries import Country, load_countries
from migprofile.geo.regions import AGGREGATES, GROUPING_IDS, SDG_REGION_IDS, aggregate_members

# Partners that are not countries: UN DESA's residual origin columns and unknown origins.
NON_COUNTRY_PARTNERS = {
    "other-north": "Other North (unallocated origins, more developed)",
    "other-south": "Other South (unallocated origins, less developed)",
    "other": "Other or unknown",
}

# Name variants seen in publishers' files that coco's regexes do not catch or get wrong.
EXTRA_NAMES = {
    "Kosovo (under UNSC res. 1244)": "XKX",
    "Kosovo (under UNSC Resolution 1244)": "XKX",
    "Channel Islands": "CHI",
    "China, Hong Kong SAR": "HKG",
    "China, Macao SAR": "MAC",
    "China, Taiwan Province of China": "TWN",
    "Micronesia (Fed. States of)": "FSM",
    "Micronesia, Fed. Sts.": "FSM",
    "Saint Martin (French part)": "MAF",
    "St. Martin (French part)": "MAF",
    "Sint Maarten (Dutch part)": "SXM",
    "Faeroe Islands": "FRO",
    "Swaziland": "SWZ",
    "The former Yugoslav Republic of Macedonia": "MKD",
    "Turkey": "TUR",
    "Türkiye": "TUR",
    "Turkiye": "TUR",
    "Kyrgyz Republic": "KGZ",
    "Slovak Republic": "SVK",
    "Czech Republic": "CZE",
    "Holy See": "VAT",
}

_FOOTNOTE = re.compile(
    r"(\s*(\*+|\(\s*[0-9a-z]{1,3}\s*\)|\[\s*[0-9a-z]{1,3}\s*\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+|(?<=[a-z\)])\d{1,2}))+\s*$",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00a0": " "})


def clean_name(name: str) -> str:
    """Drop footnote marks ('Republic of Moldova*', 'Sudan (3)'), odd quotes and spacing."""
    text = str(name).translate(_QUOTES)
    text = re.sub(r"\s+", " ", text).strip()
    return _FOOTNOTE.sub("", text).strip()


def name_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key for exact lookups."""
    text = unicodedata.normalize("NFKD", clean_name(name)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


@dataclass
class GeoEntry:
    geo: str
    kind: str  # country | aggregate | other
    name: str
    group_type: str = ""  # for aggregates: world, m49_region, sdg_region, grouping, wb_region...
    iso3: str | None = None
    iso2: str | None = None
    m49: int | None = None
    name_official: str | None = None
    dynamic: bool = False  # registered by an ingest (lives in the store, not in code)


@dataclass
class Harmoniser:
    """Resolves names and codes to geo ids; collects aggregates an ingest discovers."""

    entries: dict[str, GeoEntry]
    names: dict[str, str]
    codes: dict[tuple[str, str], str]
    members: dict[str, set[str]]
    countries: tuple[Country, ...]
    new_entries: list[GeoEntry] = field(default_factory=list)
    new_codes: list[tuple[str, str, str]] = field(default_factory=list)
    new_members: list[tuple[str, str]] = field(default_factory=list)
    _recorded: set[tuple[str, str]] = field(default_factory=set)
    seen_names: dict[str, str] = field(default_factory=dict)  # name as written → geo

    def note_name(self, name, geo: str) -> None:
        """Remember how a file wrote an entity's name (search by any variant a source uses)."""
        text = clean_name(name) if name else ""
        if text and text not in self.seen_names:
            self.seen_names[text] = geo

    # -- codes -------------------------------------------------------------------------------
    def country_by_iso3(self, code: str) -> str | None:
        code = str(code).strip().upper()
        entry = self.entries.get(code)
        return code if entry is not None and entry.kind == "country" else None

    def country_by_m49(self, code) -> str | None:
        try:
            number = int(float(code))
        except (TypeError, ValueError):
            return None
        return self.codes.get(("m49", str(number)))

    def by_code(self, scheme: str, code: str) -> str | None:
        return self.codes.get((scheme, str(code).strip()))

    # -- names -------------------------------------------------------------------------------
    def resolve_name(self, name: str, non_countries: dict[str, str] | None = None) -> str:
        """Geo id for a name, or UnknownGeoError. `non_countries`: the source's own mapping."""
        key = name_key(name)
        if not key:
            raise UnknownGeoError(str(name), "empty name")
        if non_countries and key in non_countries:
            return non_countries[key]
        found = self.names.get(key) or _regex_lookup(self, clean_name(name))
        self.note_name(name, found)
        return found

    def resolve_aggregate_name(self, name: str) -> str | None:
        """Only aggregates: a region row must never be taken for a country by a regex."""
        geo = self.names.get(name_key(name))
        if geo and self.entries[geo].kind == "aggregate":
            return geo
        return None

    def register_aggregate(
        self, geo: str, name: str, group_type: str, codes: tuple[tuple[str, str], ...] = ()
    ) -> str:
        """Add an aggregate found in a file (e.g. a World Bank group) unless it is known."""
        if geo not in self.entries:
            entry = GeoEntry(geo=geo, kind="aggregate", name=name, group_type=group_type)
            entry.dynamic = True
            self.entries[geo] = entry
            self.new_entries.append(entry)
            self.names.setdefault(name_key(name), geo)
        for scheme, code in codes:
            if (scheme, code) not in self.codes:
                self.codes[(scheme, code)] = geo
                self.new_codes.append((scheme, code, geo))
        return geo

    def set_members(self, group: str, members: list[str]) -> None:
        """Record memberships a file states (all of them: the file is their provenance)."""
        have = self.members.setdefault(group, set())
        for m in members:
            have.add(m)
            if (group, m) not in self._recorded:
                self._recorded.add((group, m))
                self.new_members.append((group, m))

    def name_of(self, geo: str) -> str:
        entry = self.entries.get(geo)
        return entry.name if entry else geo


# A name with these words is a group of countries: a country regex must not claim it
# ("Less developed regions, excluding China" is not China).
_GROUP_WORDS = re.compile(
    r"\b(regions|countries|excluding|excl|income|developed|developing|total|world|"
    r"states and|area[s]? of|group)\b",
    re.IGNORECASE,
)


def _regex_lookup(h: Harmoniser, cleaned: str) -> str:
    if _GROUP_WORDS.search(cleaned):
        raise UnknownGeoError(cleaned, "looks like a group of countries, not one")
    hits = _regex_hits(cleaned, h.countries)
    if len(hits) == 1:
        return hits[0]
    if not hits:
        raise UnknownGeoError(cleaned)
    raise UnknownGeoError(cleaned, "ambiguous: matches " + ", ".join(sorted(hits)))


@cache
def _regex_hits_cached(cleaned: str) -> tuple[str, ...]:
    return tuple(c.iso3 for c in load_countries() if c.regex.search(cleaned))


def _regex_hits(cleaned: str, countries: tuple[Country, ...]) -> list[str]:
    hits = list(_regex_hits_cached(cleaned))
    # Prefer current countries over historical entities the same regex also matches.
    current = {c.iso3 for c in countries if not c.obsolete}
    if len(hits) > 1 and any(h in current for h in hits):
        hits = [h for h in hits if h in current]
    return hits


def built_in_entries() -> tuple[list[GeoEntry], dict[str, set[str]]]:
    """Countries and the aggregates defined in code, with memberships."""
    countries = load_countries()
    entries = [
        GeoEntry(
            geo=c.iso3,
            kind="country",
            name=c.name,
            iso3=c.iso3,
            iso2=c.iso2 or None,
            m49=c.m49,
            name_official=c.name_official,
        )
        for c in countries
    ]
    for agg in AGGREGATES:
        group_type = agg.group_type
        if agg.geo in SDG_REGION_IDS and group_type != "sdg_region":
            group_type += "+sdg_region"
        if agg.geo in GROUPING_IDS and group_type != "grouping":
            group_type += "+grouping"
        entries.append(
            GeoEntry(
                geo=agg.geo, kind="aggregate", name=agg.name, group_type=group_type, m49=agg.m49
            )
        )
    for geo, label in NON_COUNTRY_PARTNERS.items():
        entries.append(GeoEntry(geo=geo, kind="other", name=label))
    members = {k: set(v) for k, v in aggregate_members(countries).items()}
    return entries, members


def build_harmoniser(
    extra_entries: Sequence[GeoEntry] = (),
    extra_codes: Sequence[tuple[str, str, str]] = (),
    extra_members: Sequence[tuple[str, str]] = (),
) -> Harmoniser:
    """The code-defined geography plus whatever earlier ingests registered in the store."""
    entries_list, members = built_in_entries()
    countries = load_countries()
    entries: dict[str, GeoEntry] = {}
    names: dict[str, str] = {}
    codes: dict[tuple[str, str], str] = {}
    for e in [*entries_list, *extra_entries]:
        entries[e.geo] = e
    # Names: aggregates first so "Micronesia" is the region, then countries override nothing.
    for e in entries.values():
        if e.kind == "aggregate":
            names.setdefault(name_key(e.name), e.geo)
            if e.geo in ("world",):
                for alias in ("WORLD", "World total"):
                    names.setdefault(name_key(alias), e.geo)
    for c in countries:
        if c.obsolete:
            continue
        for n in (c.name, c.name_official):
            names.setdefault(name_key(n), c.iso3)
        codes[("iso3", c.iso3)] = c.iso3
        if c.m49 is not None:
            codes[("m49", str(c.m49))] = c.iso3
    for c in countries:  # historical entities only where nothing current has the name
        if c.obsolete:
            names.setdefault(name_key(c.name), c.iso3)
            codes.setdefault(("iso3", c.iso3), c.iso3)
            if c.m49 is not None:
                codes.setdefault(("m49", str(c.m49)), c.iso3)
    for variant, iso3 in EXTRA_NAMES.items():
        names[name_key(variant)] = iso3
    for agg in AGGREGATES:
        if agg.m49 is not None:
            codes.setdefault(("m49_region", str(agg.m49)), agg.geo)
        for alias in agg.aliases:
            names.setdefault(name_key(alias), agg.geo)
    for scheme, code, geo in extra_codes:
        codes[(scheme, code)] = geo
    for group, member in extra_members:
        members.setdefault(group, set()).add(member)
    return Harmoniser(
        entries=entries, names=names, codes=codes, members=members, countries=countries
    )
