"""One geo code per entity, whatever the file calls it.

Order of trust: a source's own codes (ISO3, M49) beat names. A name resolves only by an *exact*
match after normalisation (`name_key`: case, accents, punctuation, quotes, footnote marks such
as '*' or '(a)', a leading or trailing 'the') against the names of the geo table, the aliases
below and each source's own tables (`geo.resolver.GeoTables`). Nothing is ever matched by
prefix, substring, regex search or similarity: such a match is only a suggestion in the error
("unknown country or area name 'Chadland' (did you mean Chad?)"). A name that matches nothing
is an error unless the source lists it as a known non-country.
"""

from __future__ import annotations

import difflib
import functools
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

# Name variants seen in publishers' files (and common English short forms) that are neither a
# geo-table name nor country_converter's short name. Each is an exact alias (compared by
# name_key); until 2025 several were matched by country_converter's regexes, a fuzzy match.
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
    # UN DESA (International Migrant Stock 2024) spellings.
    "China, Hong Kong Special Administrative Region": "HKG",
    "China, Macao Special Administrative Region": "MAC",
    "Bonaire, Sint Eustatius and Saba": "BES",
    "Saint Helena": "SHN",
    # World Bank (WDI, KNOMAD) spellings: inversions and abbreviations.
    "Congo, Dem. Rep.": "COD",
    "Congo, Rep.": "COG",
    "Egypt, Arab Rep.": "EGY",
    "Hong Kong SAR, China": "HKG",
    "Macao SAR, China": "MAC",
    "Iran, Islamic Rep.": "IRN",
    "Korea, Dem. People's Rep.": "PRK",
    "Korea, Dem. Rep.": "PRK",
    "Korea, Rep.": "KOR",
    "Lao PDR": "LAO",
    "Macedonia, FYR": "MKD",
    "Venezuela, RB": "VEN",
    "Yemen, Rep.": "YEM",
    "Virgin Islands (U.S.)": "VIR",
    "West Bank and Gaza": "PSE",
    # KNOMAD remittance workbooks write a note after some names (kept verbatim: exact aliases).
    "Iran, Islamic Rep. (Brief 36 data)": "IRN",
    "Israel (using CB data)": "ISR",
    "Portugal (revising old numbers with BOP estimates)": "PRT",
    "Spain (adjsuting for BOP ratio estimates)": "ESP",  # sic: the workbook's spelling
    "Zimbabwe (using CB data for 2021 & 2022)": "ZWE",
    # IMF-style inversion seen in IDMC/UNHCR tables.
    "Türkiye, Rep. of": "TUR",
    # Common English short forms (also what users type in `geo resolve` and the portal).
    "Viet Nam": "VNM",
    "Ivory Coast": "CIV",
    "Great Britain": "GBR",
    "Britain": "GBR",
    "United States of America": "USA",
    "Macedonia": "MKD",
    "Cape Verde": "CPV",
    "East Timor": "TLS",
    "Burma": "MMR",
}

_FOOTNOTE = re.compile(
    r"(\s*(\*+|\(\s*[0-9a-z]{1,3}\s*\)|\[\s*[0-9a-z]{1,3}\s*\]|[\u00b9\u00b2\u00b3\u2070-\u2079]+|(?<=[a-z\)])\d{1,2}))+\s*$",
    re.IGNORECASE,
)
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00a0": " "})


@functools.lru_cache(maxsize=1 << 16)
def clean_name(name: str) -> str:
    """Drop footnote marks ('Republic of Moldova*', 'Sudan (3)'), odd quotes and spacing."""
    text = str(name).translate(_QUOTES)
    text = re.sub(r"\s+", " ", text).strip()
    return _FOOTNOTE.sub("", text).strip()


_ARTICLE = re.compile(r"^the |(?<=[a-z0-9]) the$")


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Case-, accent- and punctuation-insensitive key for exact lookups, in any script
    ('Молдавия', 'საქართველო', 'Côte d’Ivoire' → 'cote d ivoire'); a leading 'the' and a
    trailing ', The' (World Bank: 'Gambia, The') are dropped."""
    text = unicodedata.normalize("NFKD", clean_name(name))
    if text.isascii():
        key = re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()
    else:
        text = "".join(c for c in text if not unicodedata.combining(c))
        key = re.sub(r"[\W_]+", " ", text.casefold()).strip()
    return _ARTICLE.sub("", key).strip() or key


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
        found = self.names.get(key)
        if found is None:
            raise UnknownGeoError(clean_name(name), unknown_detail(self, name))
        self.note_name(name, found)
        return found

    def suggest(self, name: str, n: int = 1) -> list[str]:
        """Names of entities close to `name` (for an error message only: never a resolution)."""
        return suggest_names(self, name, n)

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


# A name with these words is a group of countries: suggesting one country would mislead
# ("Less developed regions, excluding China" is not China).
_GROUP_WORDS = re.compile(
    r"\b(regions|countries|excluding|excl|income|developed|developing|total|world|"
    r"states and|area[s]? of|group)\b",
    re.IGNORECASE,
)


def unknown_detail(h: Harmoniser, name: str) -> str:
    """The detail of an unknown-name error: a group of countries, or a suggestion."""
    cleaned = clean_name(name)
    if _GROUP_WORDS.search(cleaned):
        return "looks like a group of countries, not one"
    close = suggest_names(h, name, 3)
    return f"did you mean {' or '.join(close)}?" if close else ""


def suggest_names(h: Harmoniser, name: str, n: int = 1) -> list[str]:
    """Fuzzy candidates for an unknown name: country_converter's regexes (searched in the
    name), then close spellings of known names. Suggestions only."""
    cleaned = clean_name(name)[:200]
    out: list[str] = []
    hits = _regex_hits(cleaned, h.countries)
    out += [h.name_of(geo) for geo in hits if geo in h.entries]
    key = name_key(cleaned)
    if key and not out:  # close spellings only when no regex names a country
        for close in difflib.get_close_matches(key, list(h.names), n=n, cutoff=0.75):
            out.append(h.name_of(h.names[close]))
    return list(dict.fromkeys(out))[:n]


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


@cache
def built_in_digest() -> str:
    """A fingerprint of the code-defined geography: a store whose recorded one differs was
    written by another migprofile version and gets its built-in geography rewritten."""
    import hashlib

    entries, members = built_in_entries()
    text = repr(
        (
            sorted((e.geo, e.kind, e.name, e.group_type, e.m49 or 0) for e in entries),
            sorted((g, sorted(ms)) for g, ms in members.items()),
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


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
        for n in (c.name, c.name_official, c.name_short):
            if n:
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
