"""The words and rows of a profile's "Estimated migration flows (modelled)" block, one wording
for the HTML page, Markdown and the PDF: every figure a range across the methods, each
method's figure beside it, never a single number standing for an observed count."""

from __future__ import annotations

from migprofile.profiles.model import FlowEstimates, FlowRange
from migprofile.wording import _, exact, human


def flows_title(est: FlowEstimates) -> str:
    return _("Estimated migration flows {period} (modelled)").format(period=est.period)


def flows_caveat(est: FlowEstimates) -> str:
    return _(
        "Estimates, not counts: each range runs from the lowest to the highest of {n} methods "
        "that turn two UN DESA stock tables and WPP births and deaths into moves over "
        "{period} (migprofile flows build); the methods assume different things, so the "
        "range is wide."
    ).format(n=len(est.methods), period=est.period)


def range_text(r: FlowRange) -> str:
    """'18K–556K'; a range whose ends round alike is one value."""
    low, high = human(r.low, "persons"), human(r.high, "persons")
    return low if low == high else f"{low}–{high}"


def methods_text(r: FlowRange) -> str:
    return "; ".join(f"{m} {exact(round(v), 'persons')}" for m, v in r.by_method.items())


def flows_rows(est: FlowEstimates) -> list[tuple[str, str, str]]:
    """(what, range, each method's figure) for the totals and the main corridors."""
    rows = [
        (_("Emigration from {name}").format(name=est.emigration.origin_name or est.geo),
         range_text(est.emigration), methods_text(est.emigration)),
        (_("Immigration to {name}").format(name=est.immigration.destination_name or est.geo),
         range_text(est.immigration), methods_text(est.immigration)),
    ]  # fmt: skip
    for r in [*est.corridors_out, *est.corridors_in]:
        label = _("{origin} → {destination}").format(
            origin=r.origin_name or r.origin, destination=r.destination_name or r.destination
        )
        rows.append((label, range_text(r), methods_text(r)))
    return rows


def flows_source(est: FlowEstimates) -> str:
    return _("Source: migprofile flows {edition} (sha256 {sha})").format(
        edition=est.edition, sha=est.sha256[:12]
    )
