"""The source registry: every publisher dataset migprofile understands, in one list.

Built-in sources are found by convention (one module per dataset, module name = source id, see
`migprofile.sources.registry`); outside packages add theirs through the `migprofile.sources`
entry-point group, and both pass the same checks. REGISTRY is in recognition order.
"""

from __future__ import annotations

from migprofile.periods import ANNUAL_PERIODS, MID_YEAR, is_annual
from migprofile.sources._tidy import ImportSpec, parse_user_file, source_id_for
from migprofile.sources.base import Download, FilePeek, Match, ParsedFile, Source
from migprofile.sources.registry import SourceRegistrationError, discover

REGISTRY: list[Source] = []


def reload_registry() -> list[Source]:
    """Discover the sources again (after installing a package that adds some); in place, so
    modules that imported REGISTRY see the new list."""
    REGISTRY[:] = discover()
    return REGISTRY


def get_source(source_id: str) -> Source:
    for source in REGISTRY:
        if source.id == source_id:
            return source
    from migprofile.errors import UsageError

    known = ", ".join(s.id for s in REGISTRY)
    raise UsageError(f"unknown source {source_id!r} (known: {known})")


def dataset_of(source_id: str) -> str:
    """The dataset whose editions a source's files carry: its own id, or that of the dataset
    it extracts (`Source.dataset`); user imports and unknown ids are their own dataset."""
    for source in REGISTRY:
        if source.id == source_id:
            return source.dataset or source.id
    return source_id


reload_registry()

__all__ = [
    "ANNUAL_PERIODS",
    "MID_YEAR",
    "REGISTRY",
    "Download",
    "FilePeek",
    "ImportSpec",
    "Match",
    "ParsedFile",
    "Source",
    "SourceRegistrationError",
    "dataset_of",
    "get_source",
    "is_annual",
    "parse_user_file",
    "reload_registry",
    "source_id_for",
]
