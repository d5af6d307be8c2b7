"""A country's national migration data system: the typed document and its vocabularies.

The YAML format is described in docs/national-data-system.md; `parse.py` turns a file into
these dataclasses, `stored.py` (`to_json`/`from_json`) is how the store keeps the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

SourceType = Literal[
    "census", "survey", "register", "border_administrative", "consular", "central_bank"
]
Basis = Literal["citizenship", "birthplace", "both", "other"]
Periodicity = Literal[
    "continuous",
    "monthly",
    "quarterly",
    "annual",
    "every_5_years",
    "every_10_years",
    "irregular",
    "one_off",
]
Topic = Literal[
    "emigration", "immigration", "return", "remittances", "displacement", "labour_migration"
]
AccessKind = Literal["open_data", "on_request", "restricted", "not_available"]

# The allowed codes, in the order error messages and the template list them.
SOURCE_TYPES: tuple[SourceType, ...] = get_args(SourceType)
BASES: tuple[Basis, ...] = get_args(Basis)
PERIODICITIES: tuple[Periodicity, ...] = get_args(Periodicity)
TOPICS: tuple[Topic, ...] = get_args(Topic)
ACCESS_KINDS: tuple[AccessKind, ...] = get_args(AccessKind)


@dataclass(frozen=True)
class Definitions:
    """How the source defines a migrant: who counts as resident, and by which criterion."""

    usual_residence: str | None = None  # free text, e.g. "12 months"
    basis: Basis | None = None
    other: str | None = None


@dataclass(frozen=True)
class Access:
    """How users can get the source's data."""

    kind: AccessKind
    url: str | None = None  # http(s) only
    note: str | None = None


@dataclass(frozen=True)
class NationalSource:
    """One national source of migration data (a census, a survey, a register...)."""

    name: str
    institution: str
    type: SourceType
    topics: tuple[Topic, ...]
    population: str | None = None
    definitions: Definitions | None = None
    periodicity: Periodicity | None = None
    latest_release: str | None = None  # YYYY-MM-DD, YYYY-MM or YYYY
    reference_date: str | None = None  # same forms
    access: Access | None = None
    known_issues: tuple[str, ...] = ()


@dataclass(frozen=True)
class NationalSystem:
    """A country's national migration data sources, as its data system file lists them.

    `country` is what the file wrote until the store resolves it; a stored document holds the
    store's geo id."""

    country: str
    sources: tuple[NationalSource, ...]
    compiled_by: str | None = None
    updated: str | None = None  # YYYY-MM-DD
    notes: str | None = None
