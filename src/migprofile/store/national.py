"""The national_systems table: one validated national data system document (JSON) per country.

The store keeps the document as text; `migprofile.national` checks it before it is written and
turns it back into dataclasses when it is read.
"""

from __future__ import annotations

from migprofile.store.core import StoreCore

_COLUMNS = "geo, document, file_name, sha256, added_at"


class NationalMixin(StoreCore):
    def put_national_system(
        self, geo: str, document_json: str, file_name: str | None, sha256: str | None
    ) -> None:
        """Store (or replace) a country's document (inside `writer()` only)."""
        self._exec(
            "INSERT OR REPLACE INTO national_systems (geo, document, file_name, sha256, added_at) "
            "VALUES (?, ?, ?, ?, now()::TIMESTAMP)",
            [geo, document_json, file_name, sha256],
        )

    def national_system(self, geo: str) -> dict | None:
        """The stored row of a country (geo, document, file_name, sha256, added_at), or None;
        None in a store older than the table too."""
        if not self._has_table("national_systems"):
            return None
        rows = self.query(
            f"SELECT {_COLUMNS} FROM national_systems WHERE geo = ?", [geo]
        ).to_pylist()
        return rows[0] if rows else None

    def national_systems(self) -> list[dict]:
        """Every stored row, by geo; none in a store older than the table."""
        if not self._has_table("national_systems"):
            return []
        return self.query(f"SELECT {_COLUMNS} FROM national_systems ORDER BY geo").to_pylist()
