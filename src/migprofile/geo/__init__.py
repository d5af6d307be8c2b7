"""Geography: countries, aggregates and the harmonisation of names and codes."""

from migprofile.geo.harmonise import (
    GeoEntry,
    Harmoniser,
    build_harmoniser,
    clean_name,
    name_key,
)

__all__ = ["GeoEntry", "Harmoniser", "build_harmoniser", "clean_name", "name_key"]
