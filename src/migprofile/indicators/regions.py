"""A region's line: its member countries' values summed, from one edition, with coverage.

Profiles, `get`, the Python API and the web API all sum a region here, so a region's figure is
the same on every face. Only additive indicators (counts, amounts) are summed; for shares the
profile recomputes the ratio from these sums.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Mapping, Sequence

from migprofile.indicators.catalogue import Indicator
from migprofile.sources import dataset_of, is_annual
from migprofile.wording.labels import members_report, members_sum_note


def region_line(
    ind: Indicator, region: str, member_rows: Mapping[str, Sequence[dict]], members: Sequence[str]
) -> list[dict]:
    """The region's rows (annual, sex total), one per year the chosen edition has.

    One edition for the whole line: the dataset edition most members' series come from (ties:
    the preferred source's, then the latest edition); members whose series is another edition
    count as not reporting, so no year is summed across editions. Each row carries
    `coverage` ('4 of 5 members report (no data: TKM)') and `reporting` (the members summed).
    """
    usable = {
        m: [
            r
            for r in member_rows.get(m, ())
            if r["sex"] == "total" and r["value"] is not None and is_annual(r["period"])
        ]
        for m in members
    }
    covers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for m, rows in usable.items():
        for r in rows:
            covers[(dataset_of(r["source"]), r["edition"])].add(m)
    if not covers:
        return []
    order = {dataset_of(s): n for n, s in reversed(list(enumerate(ind.sources)))}
    chosen = max(covers, key=lambda de: (len(covers[de]), -order.get(de[0], 99), de[1]))
    by_year: dict[int, list[dict]] = defaultdict(list)
    for m in members:
        for r in usable[m]:
            if (dataset_of(r["source"]), r["edition"]) == chosen:
                by_year[r["year"]].append(r)
    out = []
    for year in sorted(by_year):
        rows = by_year[year]
        reporting = sorted(r["geo"] for r in rows)
        missing = [m for m in members if m not in reporting]
        out.append(
            {
                "indicator": ind.id, "geo": region, "partner": "", "year": year, "period": "",
                "sex": "total", "age": "", "value": math.fsum(r["value"] for r in rows),
                "unit": rows[0]["unit"],
                "source": " + ".join(sorted({r["source"] for r in rows})),
                "edition": " + ".join(sorted({r["edition"] for r in rows})),
                "sha256": " + ".join(sorted({r["sha256"] for r in rows})),
                "file_name": " + ".join(sorted({r.get("file_name") or "" for r in rows})),
                "sheet": None, "row": None, "col": None,
                "note": members_sum_note(len(rows), reporting),
                "vintage_id": rows[0].get("vintage_id"),
                "coverage": members_report(len(rows), len(members), missing),
                "reporting": reporting,
            }
        )  # fmt: skip
    return out
