"""Names of countries in every language CLDR has (through Babel), for what users type.

`geo resolve`, `get`, the API and the portal search accept 'Республика Молдова', 'Грузия',
'Հայաստան', 'საქართველო' or 'Republica Moldova': exact after `name_key` (case, accents,
punctuation), never fuzzy. Publisher files do NOT resolve through these names — a source
resolves only the names its publisher writes (see geo.resolver), so a new language's name can
never silently re-route a publisher's row.

Where two countries share a name in different languages, the name names neither (ambiguous
names are dropped, never guessed). The index over all of CLDR's languages takes a few seconds to
build, so it is written once per Babel version to the user's cache folder (MIGPROFILE_CACHE, else
the platform's) and read from there.

`place_name(iso3, lang)` is the name a reader of `lang` sees: CLDR's, or the form the region's
institutions use where it differs (OFFICIAL_NAMES, documented in docs/translating.md).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from migprofile.errors import UnknownGeoError
from migprofile.geo.countries import load_countries
from migprofile.geo.harmonise import Harmoniser, name_key

# Where the region's official texts use another form than CLDR's (ru CLDR: "Киргизия",
# "Молдова"). Keyed by language, then ISO3.
OFFICIAL_NAMES: dict[str, dict[str, str]] = {
    "ru": {
        "KGZ": "Кыргызстан",
        "MDA": "Республика Молдова",
    },
    "uk": {
        "MDA": "Республіка Молдова",
    },
    "ro": {
        "MDA": "Republica Moldova",
    },
}

# Old names and exonyms CLDR does not carry but users still type ("Молдавия", "Kirgizia").
EXTRA_USER_NAMES: dict[str, str] = {
    "Молдавия": "MDA",
    "Киргизия": "KGZ",
    "Киргизстан": "KGZ",
    "Kirgizia": "KGZ",
    "Kirghizia": "KGZ",
    "Kyrgystan": "KGZ",
    "Sakartvelo": "GEO",
    "Hayastan": "ARM",
    "Белоруссия": "BLR",
    "Byelorussia": "BLR",
    "Moldavia": "MDA",
    "Republica Moldova": "MDA",
    "Moldova, Republica": "MDA",
    "Türkmenistan": "TKM",
    "Туркмения": "TKM",
    "O'zbekiston": "UZB",
    "Oʻzbekiston": "UZB",
    "Qazaqstan": "KAZ",
    "Қазақстан": "KAZ",
    "Кыргызстан": "KGZ",
    "Тоҷикистон": "TJK",
    "Azərbaycan": "AZE",
    "Shqipëria": "ALB",
    "Crna Gora": "MNE",
    "Црна Гора": "MNE",
    "Србија": "SRB",
    "Северна Македонија": "MKD",
    "Bosna i Hercegovina": "BIH",
    "Босна и Херцеговина": "BIH",
    "Kosova": "XKX",
    "Косово": "XKX",
}

_CACHE_VERSION = 2  # 2: Greece and the United Kingdom (coco's ISO2 regexes)


def _babel_version() -> str:
    import babel

    return str(babel.__version__)


def _plain_iso2(text: str) -> str:
    """country_converter writes some ISO2 codes as a regex ('^GR$|^EL$'): the first code."""
    codes = re.findall(r"[A-Z]{2}", text or "")
    return codes[0] if codes else ""


def _iso2_to_iso3() -> dict[str, str]:
    return {_plain_iso2(c.iso2): c.iso3 for c in load_countries() if c.iso2 and not c.obsolete}


def build_index() -> dict[str, str]:
    """name_key → ISO3 over every CLDR language Babel ships (base languages and their regional
    variants), OFFICIAL_NAMES and EXTRA_USER_NAMES; a key two countries share is dropped."""
    from babel import Locale, localedata

    iso3_of = _iso2_to_iso3()
    found: dict[str, set[str]] = {}
    for ident in localedata.locale_identifiers():
        parts = ident.split("_")
        if any(p.isupper() or p.isdigit() for p in parts[1:]):
            continue  # a regional variant ('es_419', 'ru_MD'): its language's names suffice
        try:
            territories = Locale.parse(ident).territories
        except Exception:  # a CLDR locale Babel cannot load has no names to offer
            continue
        for iso2, name in territories.items():
            iso3 = iso3_of.get(iso2)
            if iso3:
                found.setdefault(name_key(name), set()).add(iso3)
    for names in OFFICIAL_NAMES.values():
        for iso3, name in names.items():
            found.setdefault(name_key(name), set()).add(iso3)
    for name, iso3 in EXTRA_USER_NAMES.items():
        found.setdefault(name_key(name), set()).add(iso3)
    return {key: next(iter(isos)) for key, isos in found.items() if key and len(isos) == 1}


def _cache_file() -> Path:
    """In the user's cache folder, shared by every data home (it depends on Babel only)."""
    import platformdirs

    folder = Path(os.environ.get("MIGPROFILE_CACHE") or platformdirs.user_cache_dir("migprofile"))
    return folder / f"cldr-country-names-{_babel_version()}-v{_CACHE_VERSION}.json"


@cache
def user_name_index() -> dict[str, str]:
    """The index, read from the cache (written atomically the first time)."""
    path = _cache_file()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return data
    except (OSError, ValueError):
        pass
    index = build_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".cldr-names-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(index, fh, ensure_ascii=False, separators=(",", ":"))
        os.replace(tmp, path)
    except OSError:  # a read-only home: the index still works, built again next time
        pass
    return index


def resolve_user_name(name: str) -> str | None:
    """ISO3 for a country name in any CLDR language (exact after name_key), else None."""
    return user_name_index().get(name_key(name))


def resolve_for_user(h: Harmoniser, name: str) -> str:
    """What a user typed → geo id: the harmoniser's names (every source's), then a country's
    name in any CLDR language; else the harmoniser's UnknownGeoError (with its suggestions)."""
    try:
        return h.resolve_name(name)
    except UnknownGeoError:
        iso3 = resolve_user_name(name)
        if iso3 and iso3 in h.entries:
            return iso3
        raise


@cache
def _territories(lang: str) -> dict[str, str]:
    from babel import Locale

    try:
        return dict(Locale.parse(lang.replace("-", "_")).territories)
    except Exception:  # an unknown language: English names
        return {}


@cache
def _iso2_of() -> dict[str, str]:
    return {c.iso3: _plain_iso2(c.iso2) for c in load_countries() if c.iso2}


def place_name(iso3: str, lang: str) -> str | None:
    """The country's name for readers of `lang` (official form, else CLDR's), None when
    neither has one (the caller keeps the English name)."""
    base = lang.replace("-", "_").split("_")[0]
    official = OFFICIAL_NAMES.get(base, {}).get(iso3)
    if official:
        return official
    if base == "en":
        return None
    iso2 = _iso2_of().get(iso3)
    return _territories(lang).get(iso2) if iso2 else None


def display_name(geo: str, english: str, kind: str) -> str:
    """A geo's name in the active language: a country's official or CLDR name, a built-in
    region's from the catalogs; a name only a publisher's file gives stays as it was written."""
    from migprofile.wording.i18n import _, current_language

    lang = current_language()
    if kind == "country":
        return place_name(geo, lang) or english
    return _(english) if english else english
