"""Editions and sources side by side: which two editions `diff` compares, the diff itself, and
two compiled indicator queries lined up value by value (`indicators.compare`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pyarrow as pa

from migprofile.errors import UsageError
from migprofile.periods import ANNUAL_PERIODS
from migprofile.store.core import StoreCore

# The periods that are the year's value ('' and mid-year), as an SQL list: values of two
# sources for the same year match whatever date in the year each states.
ANNUAL_SQL = "(" + ", ".join(f"'{p}'" for p in ANNUAL_PERIODS) + ")"


class EditionsMixin(StoreCore):
    def edition_pair(
        self, source: str, from_edition: str | None, to_edition: str | None
    ) -> tuple[str, str]:
        """The two editions `diff` compares: by default the two latest of the source."""
        editions = [
            r[0]
            for r in self._rows(
                "SELECT edition FROM vintages WHERE source = ? GROUP BY edition "
                "ORDER BY max(edition_order), max(vintage_id)",
                [source],
            )
        ]
        if not editions:
            known = ", ".join(
                r[0] for r in self._rows("SELECT DISTINCT source FROM vintages ORDER BY 1")
            )
            raise UsageError(f"--source: no editions of {source!r} in the store (have: {known})")
        for label, value in (("--from", from_edition), ("--to", to_edition)):
            if value is not None and value not in editions:
                raise UsageError(
                    f"{label}: {source} has no edition {value!r} (have: {', '.join(editions)})"
                )
        to_edition = to_edition or editions[-1]
        if from_edition is None:
            older = [e for e in editions if e != to_edition]
            if not older:
                raise UsageError(f"--source: {source} has only one edition ({to_edition})")
            from_edition = older[-1]
        return from_edition, to_edition

    def diff(self, source: str, from_edition: str, to_edition: str) -> pa.Table:
        """Every value that changed, appeared or disappeared between two editions of a source."""
        one_edition = """
            SELECT o.indicator, o.geo, o.partner, o.year, o.period, o.sex, o.age, o.value,
                   o.sheet, o."row", o.col
            FROM observations o JOIN vintages v USING (vintage_id)
            WHERE v.source = ? AND v.edition = ?
            QUALIFY row_number() OVER (
                PARTITION BY o.indicator, o.geo, o.partner, o.year, o.period, o.sex, o.age
                ORDER BY o.vintage_id DESC) = 1
        """
        return self.query(
            f"""
            WITH a AS ({one_edition}), b AS ({one_edition}),
            joined AS (
                SELECT coalesce(a.indicator, b.indicator) AS indicator,
                       coalesce(a.geo, b.geo) AS geo, coalesce(a.partner, b.partner) AS partner,
                       coalesce(a.year, b.year) AS year, coalesce(a.period, b.period) AS period,
                       coalesce(a.sex, b.sex) AS sex, a.value AS old_value, b.value AS new_value,
                       CASE WHEN a.indicator IS NULL THEN 'appeared'
                            WHEN b.indicator IS NULL THEN 'disappeared'
                            WHEN a.value IS NOT DISTINCT FROM b.value THEN 'unchanged'
                            ELSE 'changed' END AS status,
                       b.sheet AS new_sheet, b."row" AS new_row, b.col AS new_col
                FROM a FULL OUTER JOIN b
                  ON a.indicator = b.indicator AND a.geo = b.geo AND a.partner = b.partner
                 AND a.year = b.year AND a.period = b.period AND a.sex = b.sex AND a.age = b.age
            )
            SELECT j.*, g.name AS geo_name, g.kind AS geo_kind,
                   new_value - old_value AS change,
                   CASE WHEN old_value <> 0 THEN 100 * (new_value - old_value) / abs(old_value)
                   END AS change_pct
            FROM joined j LEFT JOIN geo g USING (geo)
            -- only indicators both editions carry (a WDI edition is one file per indicator)
            WHERE j.indicator IN (SELECT indicator FROM a INTERSECT SELECT indicator FROM b)
            ORDER BY abs(new_value - old_value) DESC NULLS LAST, indicator, geo, year
            """,
            [source, from_edition, source, to_edition],
        )

    def compare_queries(
        self, sql_a: str, sql_b: str, args: Sequence[Any], *, max_year_gap: int = 0
    ) -> pa.Table:
        """Two compiled indicator queries (args: A's then B's) lined up value by value, with
        the gap; each value of A is paired with B's nearest year within `max_year_gap`, and
        the gap (absolute and %) is given only where the two years are the same."""
        if max_year_gap < 0:
            raise UsageError("--max-year-gap: must be 0 or more")
        return self.query(
            f"""
            SELECT a.geo, g.name AS geo_name, a.partner, a.year, b.year AS year_b,
                   a.value AS value_a, a.unit AS unit_a, a.source AS source_a,
                   a.edition AS edition_a, b.value AS value_b, b.unit AS unit_b,
                   b.source AS source_b, b.edition AS edition_b,
                   -- a gap is computed for the same year only: across years it would mix
                   -- the change over time into the disagreement
                   CASE WHEN a.year = b.year THEN b.value - a.value END AS gap,
                   CASE WHEN a.year = b.year AND a.value <> 0
                        THEN 100 * (b.value - a.value) / abs(a.value) END AS gap_pct
            FROM ({sql_a}) a JOIN ({sql_b}) b
              ON a.geo = b.geo AND a.partner = b.partner
             AND (a.period = b.period
                  OR (a.period IN {ANNUAL_SQL} AND b.period IN {ANNUAL_SQL}))
             AND abs(a.year - b.year) <= {int(max_year_gap)}
            LEFT JOIN geo g ON g.geo = a.geo
            WHERE a.value IS NOT NULL AND b.value IS NOT NULL
            QUALIFY row_number() OVER (
                PARTITION BY a.geo, a.partner, a.year
                ORDER BY abs(a.year - b.year), b.year DESC) = 1
            ORDER BY a.geo, a.partner, a.year
            """,
            args,
        )
