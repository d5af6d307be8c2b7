"""A country's national migration data system: which national sources exist, what they
measure, how often, their latest release and known issues (IOM Migration Data Profiles).

    model.py     the typed document (NationalSystem, NationalSource, Definitions, Access)
                 and its vocabularies
    parse.py     parse_national_system(path): the YAML file, checked field by field
    stored.py    to_json/from_json: the document as the store keeps it
    template.py  template(geo_code, geo_name): an empty, commented file for a country
    labels.py    the codes as readers see them (type_label, topic_label, ...)
    store_io.py  add_national_system(path, db), national_system_for(store, geo)

The format is described in docs/national-data-system.md.
"""

from __future__ import annotations

from migprofile.national.labels import (
    access_label,
    basis_label,
    periodicity_label,
    topic_label,
    type_label,
)
from migprofile.national.model import (
    ACCESS_KINDS,
    BASES,
    PERIODICITIES,
    SOURCE_TYPES,
    TOPICS,
    Access,
    Definitions,
    NationalSource,
    NationalSystem,
)
from migprofile.national.parse import parse_national_system
from migprofile.national.store_io import add_national_system, national_system_for
from migprofile.national.stored import from_json, to_json
from migprofile.national.template import template

__all__ = [
    "ACCESS_KINDS",
    "BASES",
    "PERIODICITIES",
    "SOURCE_TYPES",
    "TOPICS",
    "Access",
    "Definitions",
    "NationalSource",
    "NationalSystem",
    "access_label",
    "add_national_system",
    "basis_label",
    "from_json",
    "national_system_for",
    "parse_national_system",
    "periodicity_label",
    "template",
    "to_json",
    "topic_label",
    "type_label",
]
