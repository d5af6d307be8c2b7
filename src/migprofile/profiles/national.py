"""The profile section "National data system": the country's own migration data sources (its
national data-system file, `migprofile national add`), the figures users imported as
indicators of their own set beside the international estimate of the concept they measure
differently, and the topics neither covers.

A national figure never enters an international series: it is shown beside the estimate of
the same year where that series has one (with the gap), else beside the estimates just before
and after it, without a gap (two years are not one comparison).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from migprofile.indicators import BY_ID, lookup
from migprofile.national import (
    access_label,
    basis_label,
    national_system_for,
    periodicity_label,
    topic_label,
    type_label,
)
from migprofile.national.model import TOPICS, NationalSource
from migprofile.profiles.model import Figure, NationalData, NationalFigure, NationalSourceEntry
from migprofile.wording import _

if TYPE_CHECKING:
    from migprofile.indicators import Indicator
    from migprofile.store import Store


class ProfileBuilder(Protocol):
    """What this section reads through the profile builder (profiles.build imports this
    module, so it is described here rather than imported)."""

    store: Store
    user_indicators: tuple[Indicator, ...]

    def rows(self, indicator: str, geo: str) -> list[dict]: ...

    def figure(self, row: dict, coverage: str = "") -> Figure: ...


# The international indicators that speak to each topic of a national data system: a topic
# is covered internationally for a country where one of them has a figure for it.
INTERNATIONAL_BY_TOPIC: dict[str, tuple[str, ...]] = {
    "emigration": ("emigrant_stock", "emigration_flow"),
    "immigration": ("immigrant_stock", "immigration_flow"),
    "return": ("returned_refugees",),
    "remittances": ("remittances_received_usd", "remittances_paid_usd"),
    "displacement": (
        "idps_conflict_stock", "idps_disaster_stock", "new_displacements_conflict",
        "new_displacements_disaster", "refugees_by_origin",
    ),
    "labour_migration": ("first_residence_permits_remunerated",),
}  # fmt: skip


def national_data(builder: ProfileBuilder, geo: str) -> NationalData | None:
    """The section's content for a country; None when it has neither a stored data-system
    file nor an imported national figure."""
    system = national_system_for(builder.store, geo)
    stored = builder.store.national_system(geo) if system is not None else None
    figures = [
        n for ind in builder.user_indicators for n in _national_figures(builder, ind.id, geo)
    ]
    if system is None and not figures:
        return None
    data = NationalData(figures=figures)
    if system is not None:
        data.sources = [_entry(s) for s in system.sources]
        data.updated = system.updated or ""
        data.compiled_by = system.compiled_by or ""
        data.notes = system.notes or ""
        data.file_name = (stored or {}).get("file_name") or ""
        data.sha256 = (stored or {}).get("sha256") or ""
        national_topics = {t for s in system.sources for t in s.topics}
        data.uncovered = [
            topic_label(t)
            for t in TOPICS
            if t not in national_topics and not _covered_internationally(builder, t, geo)
        ]
    return data


def _covered_internationally(builder: ProfileBuilder, topic: str, geo: str) -> bool:
    return any(
        any(r["value"] is not None for r in builder.rows(i, geo))
        for i in INTERNATIONAL_BY_TOPIC.get(topic, ())
        if i in BY_ID
    )


def _national_figures(builder: ProfileBuilder, indicator: str, geo: str) -> list[NationalFigure]:
    ind = lookup(indicator)
    rows = [
        r for r in builder.rows(indicator, geo) if r["sex"] == "total" and r["value"] is not None
    ]
    if not rows:
        return []
    concept = ind.concept if ind.concept in BY_ID else ""
    estimates: list[Figure] = []
    if concept:
        estimates = [
            builder.figure(r)
            for r in builder.rows(concept, geo)
            if r["sex"] == "total" and r["value"] is not None and not r.get("partner")
        ]
        estimates.sort(key=lambda f: (f.year or 0, f.period))
    out = []
    for row in sorted(rows, key=lambda r: (r["year"], r["period"])):
        fig = builder.figure(row)
        n = NationalFigure(
            figure=fig,
            definition=ind.display_definition(),
            concept=concept,
            concept_label=BY_ID[concept].display_title() if concept else "",
        )
        if estimates:
            year = fig.year or 0
            n.same_year = next((e for e in estimates if e.year == year), None)
            if n.same_year is None:
                n.before = next((e for e in reversed(estimates) if (e.year or 0) < year), None)
                n.after = next((e for e in estimates if (e.year or 0) > year), None)
            n.latest = estimates[-1]
            if n.latest in (n.same_year, n.before, n.after):
                n.latest = None  # shown already
            base = n.same_year.value if n.same_year is not None else None
            if base and fig.value is not None:
                n.gap_pct = (fig.value - base) / base * 100.0
        out.append(n)
    return out


def _entry(source: NationalSource) -> NationalSourceEntry:
    d = source.definitions
    definitions = []
    if d is not None:
        if d.usual_residence:
            definitions.append(_("usual residence: {text}").format(text=d.usual_residence))
        if d.basis:
            definitions.append(_("migrants by {basis}").format(basis=basis_label(d.basis)))
        if d.other:
            definitions.append(d.other)
    access = ""
    if source.access is not None:
        access = access_label(source.access.kind)
        if source.access.note:
            access = f"{access} ({source.access.note})"
    return NationalSourceEntry(
        name=source.name,
        institution=source.institution,
        type=source.type,
        type_label=type_label(source.type),
        population=source.population or "",
        definitions="; ".join(definitions),
        periodicity=periodicity_label(source.periodicity) if source.periodicity else "",
        latest_release=source.latest_release or "",
        reference_date=source.reference_date or "",
        topics=[topic_label(t) for t in source.topics],
        access=access,
        url=(source.access.url or "") if source.access is not None else "",
        known_issues=list(source.known_issues),
    )
