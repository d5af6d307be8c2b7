"""One resolver for every source: codes and names of one file → geo ids.

Each source passes its own tables (`GeoTables`): the code scheme of its code columns, its
non-country names, its name variants, and the entities it registers on first sight. The
resolver applies them in one order everywhere:

- a code: the source's special codes ('WLD', '-', 'UNK') → a country by ISO3 or M49 → the
  source's own aliases for countries ('KSV' → XKX) → codes earlier ingests registered under the
  source's schemes ('wb', 'unhcr', 'idmc');
- a name: the source's non-countries ('Other North') → its name variants ('Micronesia' → FSM)
  → the shared harmoniser (exact names, then country_converter's regexes).

A name that resolves to nothing raises `UnknownGeoError`, or a `ParseError` naming the file,
sheet and row through `name_or_error`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from migprofile.errors import ParseError, UnknownGeoError
from migprofile.geo.harmonise import Harmoniser, name_key


@dataclass(frozen=True)
class DynamicGeo:
    """An entity a source registers in the geo table the first time a file names it."""

    name: str
    group_type: str
    codes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CodeScheme:
    """How one code column of a source writes places."""

    # How countries are coded ('' = never: the scheme's codes are the source's own).
    countries: Literal["iso3", "m49", ""] = "iso3"
    # Geo-table schemes whose codes earlier ingests registered ('wb', 'unhcr', 'idmc').
    known: tuple[str, ...] = ()
    # The source's own code for a country → ISO3 ('KSV' → 'XKX').
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Code → geo id of a non-country ('WLD' → 'world', '-' → 'world').
    special: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GeoTables:
    """Everything a source knows about its own geography."""

    codes: CodeScheme = field(default_factory=CodeScheme)
    # Names that are not countries (any spelling; compared by name_key) → geo id.
    non_countries: Mapping[str, str] = field(default_factory=dict)
    # Names the harmoniser does not resolve or resolves wrongly → ISO3.
    name_variants: Mapping[str, str] = field(default_factory=dict)
    # Geo ids above that are registered in the geo table on first sight.
    dynamic: Mapping[str, DynamicGeo] = field(default_factory=dict)
    # Remember how the file names a country found by its code (search by any variant).
    record_names: bool = False
    variants_label: str = "name_variants"  # names the table in the error on a bad variant


class GeoResolver:
    """One file's geography, resolved through its source's tables (results cached per file)."""

    def __init__(self, h: Harmoniser, path: Path, tables: GeoTables):
        self.h = h
        self.path = path
        self.tables = tables
        self.cache: dict[Hashable, str | None] = {}
        self.notes: dict[str, str] = {}  # code → what was inferred (for the file's note)
        self._non_countries = {name_key(k): v for k, v in tables.non_countries.items()}
        self._variants = {name_key(k): v for k, v in tables.name_variants.items()}

    def memo(self, key: Hashable, compute: Callable[[], str | None]) -> str | None:
        if key in self.cache:
            return self.cache[key]
        geo = self.cache[key] = compute()
        return geo

    def special(self, geo: str) -> str:
        """A non-country geo id, registered first when the source declares it dynamic."""
        dyn = self.tables.dynamic.get(geo)
        if dyn is not None:
            return self.h.register_aggregate(geo, dyn.name, dyn.group_type, codes=dyn.codes)
        return geo

    # -- codes -------------------------------------------------------------------------------
    def code(self, code: str, name: str = "", scheme: CodeScheme | None = None) -> str | None:
        """The geo id of a code (stripped, upper case), or None when the tables do not know it."""
        scheme = scheme or self.tables.codes
        h = self.h
        if code in scheme.special:
            return self.special(scheme.special[code])
        geo = None
        if scheme.countries == "iso3":
            geo = h.country_by_iso3(code)
        elif scheme.countries == "m49":
            geo = h.country_by_m49(code)
        if geo:
            # The code decides. The name beside it is learned as a variant only when it already
            # names that geo: a misspelt or renamed cell ('Chadland' beside MDA) never becomes
            # a searchable name of the country.
            if self.tables.record_names and name and self._names(name) == geo:
                h.note_name(name, geo)
            return geo
        alias = scheme.aliases.get(code)
        if alias and h.country_by_iso3(alias):
            self.notes[code] = f"code {code} read as {alias}"
            return alias
        for known in scheme.known:
            geo = h.by_code(known, code)
            if geo:
                return geo
        return None

    # -- names -------------------------------------------------------------------------------
    def _names(self, name: str) -> str | None:
        """The country a name gives by the exact rules (the source's variants, then the shared
        names), or None: no error, nothing registered."""
        key = name_key(name)
        if key in self._variants:
            return self.h.country_by_iso3(self._variants[key])
        return self.h.names.get(key)

    def own_name(self, name: str) -> str | None:
        """The source's own tables only: a non-country or a name variant (None otherwise)."""
        key = name_key(name)
        if key in self._non_countries:
            return self.special(self._non_countries[key])
        if key in self._variants:
            iso3 = self._variants[key]
            geo = self.h.country_by_iso3(iso3)
            if geo is None:
                raise UnknownGeoError(
                    name, f"{self.tables.variants_label} maps it to unknown ISO3 {iso3}"
                )
            return geo
        return None

    def name(self, name: str) -> str:
        """Geo id of a name, or UnknownGeoError."""
        if not name_key(name):
            raise UnknownGeoError(str(name), "empty name")
        return self.own_name(name) or self.h.resolve_name(name)

    def name_or_error(
        self, name: str, *, sheet: str | None = None, row: int | None = None, where: str = ""
    ) -> str:
        """Geo id of a name, or a ParseError naming the file, sheet, row (and `where`)."""
        try:
            return self.name(name)
        except UnknownGeoError as exc:
            raise self.error(f"{exc}{where}", sheet=sheet, row=row) from None

    def error(self, message: str, *, sheet: str | None = None, row: int | None = None):
        return ParseError(self.path, message, sheet=sheet, row=row)
