"""What the two IOM Missing Migrants Project (MMP) sources share: publisher facts, the geography
of dead and missing migrants, and the sums over incidents both layouts are stored as.

- `iom_missing_migrants`: the official incident CSV downloaded from the project's site;
- `gdidata_iom_mmp`: the same incidents as extracted by IOM GMDAC's `gdidata` R package.

MMP publishes incidents, not statistics: one record per incident (or per part of one). Both
sources store `dead_and_missing` (persons) for a year as the sum over that year's records, in
one scheme (bilateral):

- geo = where they died: `world` (every incident), the MMP region of incident as an aggregate
  `mmp-region-<slug>` ('Mediterranean' → `mmp-region-mediterranean`), the migration route as
  `mmp-route-<slug>` ('Central Mediterranean' → `mmp-route-central-mediterranean`), and the
  country of incident (ISO3) where the layout has one;
- partner = country of origin: `world` (all origins: every incident counted once), an ISO3
  country where exactly one is recorded, `other` where it is unknown, and
  `mmp-several-origins` where several are listed. A number is never split between countries.

So every record adds its figure to the cells (place, world) and (place, origin) of each place
it has. Regions, routes and the several-origins pseudo-geo are registered in the geo table on
first sight, named as published. Several-origins has a group type with 'pseudo' in it, so
queries may sum it with countries as an origin; regions and routes are places, never summed.

Corrections: MMP corrects earlier records with negative figures. A record 'dead 1, missing
-1, total 0' says someone counted as missing was found dead (real files: 2021.MMP00681,
2018.MMP01095). Sums take them as published, so the world rows equal IOM's own column totals
(2021: dead 3,754 + missing 2,438 = 6,192). In a smaller cell the record it corrects may lie
elsewhere (another origin, route or year): a cell whose sum is negative is not stored (the
file's note counts them), and a cell that includes corrections says so in its note.

Provenance: a stored value is a sum, so its row is None, its column the one summed, and its
note says how many incidents ('sum over 412 incidents').
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from migprofile.geo import Harmoniser
from migprofile.geo.regions import slug
from migprofile.geo.resolver import DynamicGeo
from migprofile.sources.base import TidyRows, cell_number

UNIT = "persons"
DEAD_AND_MISSING = "dead_and_missing"
DEAD = "iom_mmp:dead"
MISSING = "iom_mmp:missing"

PUBLISHER = "International Organization for Migration (IOM), Missing Migrants Project"
LICENCE = "CC BY 4.0"
HOMEPAGE = "https://missingmigrants.iom.int/"
DEFINITION = (
    "People who died or went missing in the process of migration towards an international "
    "destination, as recorded by IOM's Missing Migrants Project: a minimum estimate (every "
    "figure is an undercount)."
)

WORLD = "world"
UNKNOWN = "other"
SEVERAL_ORIGINS = "mmp-several-origins"
SEVERAL = DynamicGeo("Several countries of origin", "mmp_pseudo")
REGION_PREFIX, REGION_TYPE = "mmp-region-", "mmp_region"
ROUTE_PREFIX, ROUTE_TYPE = "mmp-route-", "mmp_route"
# Region or route cells that name no place: those records count in the world (and country)
# rows only. gdidata writes 'Undefined' for records with no route.
NO_PLACE = {"", "unknown", "undefined", "uncategorized", "uncategorised", "not specified", "n a"}


def place_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def place_geo(h: Harmoniser, prefix: str, group_type: str, name: str) -> str | None:
    """A region or route as published → its aggregate id (registered on first sight), or None
    for a blank or 'Unknown' cell."""
    name = re.sub(r"\s+", " ", name).strip()
    if place_key(name) in NO_PLACE or not slug(name):
        return None
    return h.register_aggregate(prefix + slug(name), name, group_type)


def several_origins(h: Harmoniser) -> str:
    return h.register_aggregate(SEVERAL_ORIGINS, SEVERAL.name, SEVERAL.group_type)


def number(cell: str, path: Path, line: int, column: str) -> float | None:
    """A count cell: blank → None, text → ParseError naming row and column. Negative counts are
    kept: MMP corrects earlier records with them (see the module's note on corrections)."""
    if not cell.strip():
        return None
    return cell_number(cell, path, column=column, row=line)


@dataclass
class _Cell:
    value: float = 0.0
    incidents: set[str] = field(default_factory=set)
    blank_totals: set[str] = field(default_factory=set)
    corrections: set[str] = field(default_factory=set)


@dataclass
class IncidentSums:
    """Sums over incidents per (indicator, geo, partner, year), with the incidents counted.

    `incident` is the incident's id: records sharing one (the parts of a split incident) add
    their figures but count as one incident in the note."""

    cells: dict[tuple[str, str, str, int], _Cell] = field(default_factory=dict)

    def add(
        self,
        incident: str,
        year: int,
        places: Iterable[str],
        origin: str,
        values: Iterable[tuple[str, float]],
        *,
        blank_total: bool = False,
    ) -> None:
        partners = (WORLD, origin)
        cells = self.cells
        for indicator, value in values:
            for geo in places:
                for partner in partners:
                    key = (indicator, geo, partner, year)
                    cell = cells.get(key)
                    if cell is None:
                        cell = cells[key] = _Cell()
                    cell.value += value
                    cell.incidents.add(incident)
                    if blank_total and indicator == DEAD_AND_MISSING:
                        cell.blank_totals.add(incident)
                    if value < 0:
                        cell.corrections.add(incident)

    def emit(self, out: TidyRows, columns: dict[str, str], partial: dict[int, str]) -> int:
        """One tidy row per cell, in a stable order; returns how many cells were left out for a
        negative sum. `columns`: indicator → column summed; `partial`: year → note for a year
        the file covers only in part."""
        negative = 0
        for key in sorted(self.cells):
            indicator, geo, partner, year = key
            cell = self.cells[key]
            if cell.value < 0:
                negative += 1
                continue
            note = f"sum over {len(cell.incidents)} incidents"
            if cell.blank_totals:
                note += f"; {len(cell.blank_totals)} with a blank total taken as dead + missing"
            if cell.corrections:
                note += f"; incl. {plural(len(cell.corrections), 'correction')} (negative figure)"
            if year in partial:
                note += f"; {partial[year]}"
            out.add(indicator, geo, year, cell.value, UNIT, partner=partner,
                    col=columns[indicator], note=note)  # fmt: skip
        return negative


def partial_years(last: str, label: str) -> dict[int, str]:
    """{year: note} for the year of the file's cut-off date `last` (ISO) when that falls before
    the year's end: the file holds that year's incidents only to then."""
    cutoff = date.fromisoformat(last)
    if (cutoff.month, cutoff.day) == (12, 31):
        return {}
    return {cutoff.year: f"incidents to {last} ({label})"}


def plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"
