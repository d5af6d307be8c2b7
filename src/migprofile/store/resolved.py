"""The resolved table: what the default read of each plain indicator returns, written at
ingest (one edition per series already chosen), sorted for point lookups.

The SQL that resolves a series is the indicators layer's (`indicators.query`); here it is
only run and stored. `meta.resolved_key` names the observations and the resolving SQL the
table was built from; a reader uses the table only while both still match (any other write,
or another migprofile's catalogue, falls back to resolving at read time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from migprofile.store.core import Args, StoreCore

RESOLVED = "resolved"


class ResolvedMixin(StoreCore):
    def observations_fingerprint(self) -> str:
        """What the stored observations are: their count and vintages (a vintage's rows are
        written once and deleted whole, so these change whenever any row does)."""
        row = self._first(
            "SELECT count(*), coalesce(sum(vintage_id), 0), coalesce(max(vintage_id), 0) "
            "FROM observations"
        )
        editions = self._first(
            "SELECT coalesce(string_agg(vintage_id || ':' || source || '@' || edition || ':' "
            "|| coalesce(edition_order, ''), ',' ORDER BY vintage_id), '') FROM vintages"
        )
        text = f"{row}|{editions[0] if editions else ''}"
        return hashlib.sha256(text.encode()).hexdigest()

    def resolved_key(self) -> str | None:
        """The key the resolved table was built for (None: no table)."""
        if not self._has_table(RESOLVED):
            return None
        row = self._first("SELECT value FROM meta WHERE key = 'resolved_key'")
        return row[0] if row else None

    def replace_resolved(self, selects: Sequence[tuple[str, Args]], key: str) -> int:
        """Rebuild the table from `selects` (each the SQL of one indicator's rows), sorted by
        indicator and geo; inside `writer()` only. Returns its rows."""
        self._exec(f"DROP TABLE IF EXISTS {RESOLVED}")
        self._exec("DROP TABLE IF EXISTS resolved_unsorted")
        first = True
        for sql, args in selects:
            if first:
                self._exec(f"CREATE TEMP TABLE resolved_unsorted AS SELECT * FROM ({sql})", args)
                first = False
            else:
                self._exec(f"INSERT INTO resolved_unsorted SELECT * FROM ({sql})", args)
        if first:  # no indicator to resolve
            return 0
        self._exec(
            f"CREATE TABLE {RESOLVED} AS SELECT * FROM resolved_unsorted "
            "ORDER BY indicator, geo, partner, sex, year, period, age"
        )
        self._exec("DROP TABLE resolved_unsorted")
        self._exec("INSERT OR REPLACE INTO meta VALUES ('resolved_key', ?)", [key])
        row = self._first(f"SELECT count(*) FROM {RESOLVED}")
        return int(row[0]) if row else 0
