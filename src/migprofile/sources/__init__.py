"""The source registry: every publisher dataset migprofile understands, in one list.

Built-in sources register here the same way an outside plug-in would: an instance of a
`Source` subclass appended to REGISTRY.
"""

from __future__ import annotations

from migprofile.sources.base import Download, FilePeek, Match, ParsedFile, Source
from migprofile.sources.idmc import IdmcDisplacement
from migprofile.sources.knomad import (
    KnomadBilateralMigration,
    KnomadBilateralRemittances,
    KnomadRemittanceFlows,
)
from migprofile.sources.m49 import UnsdM49
from migprofile.sources.rpw import RpwCorridorsDataBank, RpwDataset
from migprofile.sources.undesa import GmdacGdiviz, UndesaDestination, UndesaOrigin
from migprofile.sources.unhcr import UnhcrPopulation
from migprofile.sources.wdi import WorldBankWDI

REGISTRY: list[Source] = [
    UndesaDestination(),
    UndesaOrigin(),
    GmdacGdiviz(),
    WorldBankWDI(),
    KnomadBilateralRemittances(),
    KnomadBilateralMigration(),
    KnomadRemittanceFlows(),
    RpwCorridorsDataBank(),
    RpwDataset(),
    IdmcDisplacement(),
    UnhcrPopulation(),
    UnsdM49(),
]


def get_source(source_id: str) -> Source:
    for source in REGISTRY:
        if source.id == source_id:
            return source
    from migprofile.errors import UsageError

    known = ", ".join(s.id for s in REGISTRY)
    raise UsageError(f"unknown source {source_id!r} (known: {known})")


__all__ = ["REGISTRY", "Download", "FilePeek", "Match", "ParsedFile", "Source", "get_source"]
