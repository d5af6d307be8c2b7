"""Geography: countries, aggregates, the harmonisation of names and codes, and the one resolver
every source uses with its own tables (`geo.resolver`); World Bank codes in `geo.worldbank`."""

from migprofile.geo.harmonise import (
    GeoEntry,
    Harmoniser,
    build_harmoniser,
    clean_name,
    name_key,
)
from migprofile.geo.resolver import CodeScheme, DynamicGeo, GeoResolver, GeoTables

__all__ = [
    "CodeScheme",
    "DynamicGeo",
    "GeoEntry",
    "GeoResolver",
    "GeoTables",
    "Harmoniser",
    "build_harmoniser",
    "clean_name",
    "name_key",
]
