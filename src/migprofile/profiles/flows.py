"""A profile's "Estimated migration flows (modelled)": ranges across the estimation methods.

`migprofile flows build` stores each method's flows (source `migprofile_flows`, stored code
`migration_flow:<method>`). A profile never shows one method's figure as if it were observed:
each total and each main corridor is the range (lowest–highest) over the methods, with every
method's figure beside it, each cited to the stored estimate (its edition is the period, its
sha256 the digest of the inputs and options).
"""

from __future__ import annotations

import math
from collections import defaultdict

from migprofile.flows.build import CODE, SOURCE_ID
from migprofile.flows.methods import METHODS
from migprofile.indicators.query import query_for
from migprofile.profiles.model import FlowEstimates, FlowRange
from migprofile.store import Store

TOP_CORRIDORS = 5
CENTRAL = "demographic"  # the method corridors are ranked by


def _range(origin: str, destination: str, by_method: dict[str, float]) -> FlowRange:
    values = list(by_method.values())
    return FlowRange(origin, destination, min(values), max(values), dict(by_method))


def flow_estimates(store: Store, geo: str) -> FlowEstimates | None:
    """The latest stored period's estimates for `geo` (a country), or None if there are none."""
    if not store.has_source(SOURCE_ID):
        return None
    out_rows: dict[str, list[dict]] = {}
    in_rows: dict[str, list[dict]] = {}
    for method in METHODS:
        code = CODE.format(method=method)
        for side, target in (("partner", out_rows), ("geo", in_rows)):
            sql, args = query_for(
                code,
                geo=geo if side == "geo" else None,
                partner=geo if side == "partner" else None,
                year=None,
                sex="total",
                source=SOURCE_ID,
                edition=None,
            )
            rows = store.query_dicts(sql, args)
            if rows:
                target[method] = rows
    if CENTRAL not in out_rows and CENTRAL not in in_rows:
        return None
    latest = max(r["year"] for rows in (*out_rows.values(), *in_rows.values()) for r in rows)
    sample = next(r for rows in (*out_rows.values(), *in_rows.values()) for r in rows)
    edition = sample["edition"]
    t0 = int(edition.split("-")[0]) if "-" in edition else latest - 5

    def per_partner(rows_by_method: dict[str, list[dict]], key: str) -> dict[str, dict[str, float]]:
        table: dict[str, dict[str, float]] = defaultdict(dict)
        for method, rows in rows_by_method.items():
            for r in rows:
                if r["year"] == latest and r["value"] is not None:
                    table[r[key]][method] = float(r["value"])
        return table

    outgoing = per_partner(out_rows, "geo")  # destination → method → flow
    incoming = per_partner(in_rows, "partner")  # origin → method → flow
    methods = sorted({*out_rows, *in_rows}, key=METHODS.index)

    def totals(table: dict[str, dict[str, float]]) -> dict[str, float]:
        return {m: math.fsum(v.get(m, 0.0) for v in table.values()) for m in methods}

    def top(table: dict[str, dict[str, float]], outward: bool) -> list[FlowRange]:
        ranked = sorted(table.items(), key=lambda kv: -kv[1].get(CENTRAL, 0.0))[:TOP_CORRIDORS]
        found = []
        for partner, values in ranked:
            full = {m: values.get(m, 0.0) for m in methods}  # a method with no row: no move
            found.append(_range(geo, partner, full) if outward else _range(partner, geo, full))
        return found

    return FlowEstimates(
        geo=geo,
        t0=t0,
        t1=latest,
        emigration=_range(geo, "", totals(outgoing)),
        immigration=_range("", geo, totals(incoming)),
        corridors_out=top(outgoing, outward=True),
        corridors_in=top(incoming, outward=False),
        methods=methods,
        edition=edition,
        sha256=sample["sha256"],
        note=sample["note"] or "",
    )
