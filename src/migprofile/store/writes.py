"""Writing an ingest's rows (called inside `writer()` only, on the copy being written)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pyarrow as pa

from migprofile.store.core import StoreCore
from migprofile.store.schema import OBS_COLUMNS, SOURCE_COLUMNS, q


class WritesMixin(StoreCore):
    def refresh_builtin_geo(self) -> None:
        """Rewrite the code-defined geography (it may change between migprofile versions)."""
        from migprofile.geo.harmonise import build_harmoniser, built_in_entries

        entries, members = built_in_entries()
        self._exec("DELETE FROM geo WHERE vintage_id IS NULL")
        self._exec("DELETE FROM geo_codes WHERE vintage_id IS NULL")
        self._exec("DELETE FROM geo_members WHERE vintage_id IS NULL")
        h = build_harmoniser()
        codes = [(s, c, g) for (s, c), g in h.codes.items()]
        flat = [(g, m) for g, ms in members.items() for m in sorted(ms)]
        self.add_geo(entries, codes, flat, None)

    def upsert_source(self, **fields: Any) -> None:
        """The provenance row of a source (SOURCE_COLUMNS; a missing field is NULL)."""
        self._exec(
            f"INSERT OR REPLACE INTO sources ({', '.join(SOURCE_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(SOURCE_COLUMNS))})",
            [fields.get(c) for c in SOURCE_COLUMNS],
        )

    def add_vintage(self, table: pa.Table, **fields: Any) -> int:
        row = self._first("SELECT coalesce(max(vintage_id), 0) + 1 FROM vintages")
        vid = int(row[0]) if row else 1
        cols = (
            "source", "edition", "edition_order", "layout", "file_name", "file_path", "sha256",
            "bytes", "url", "retrieved_at", "note",
        )  # fmt: skip
        self._exec(
            f"INSERT INTO vintages (vintage_id, {', '.join(cols)}, ingested_at, rows) "
            f"VALUES (?, {', '.join('?' * len(cols))}, now()::TIMESTAMP, ?)",
            [vid, *[fields.get(c) for c in cols], table.num_rows],
        )
        if table.num_rows:
            self.con.register("_incoming", table)
            obs = ", ".join(q(c) for c in OBS_COLUMNS)
            try:
                self._exec(
                    f"INSERT INTO observations (vintage_id, {obs}) "
                    f"SELECT {vid}, {obs} FROM _incoming"
                )
            finally:
                self.con.unregister("_incoming")
        return vid

    def add_geo_names(self, vid: int, names: dict[str, str]) -> None:
        """Names as the file wrote them, new ones only (the first file to use a name cites it)."""
        known = {r[0] for r in self._rows("SELECT DISTINCT name FROM geo_names")}
        rows = [(n, g, vid) for n, g in names.items() if n not in known]
        self._insert_rows("geo_names", ["name", "geo", "vintage_id"], rows)

    def add_geo_attributes(self, vid: int, attributes: Iterable[tuple[str, str, str]]) -> None:
        self._insert_rows(
            "geo_attributes",
            ["geo", "key", "value", "vintage_id"],
            [(g, k, v, vid) for g, k, v in attributes],
        )

    def add_source_indicators(self, vid: int, indicators: Iterable[Any]) -> None:
        self._insert_rows(
            "source_indicators",
            ["vintage_id", "indicator", "name", "definition", "unit", "source_note"],
            [(vid, i.indicator, i.name, i.definition, i.unit, i.source_note) for i in indicators],
        )

    def _insert_rows(
        self, table: str, columns: list[str], rows: Sequence[tuple], ignore: bool = False
    ) -> None:
        """Bulk insert through Arrow (DuckDB's executemany runs one statement per row)."""
        if not rows:
            return
        data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        self.con.register("_rows_in", data)
        try:
            verb = "INSERT OR IGNORE" if ignore else "INSERT"
            cols = ", ".join(q(c) for c in columns)
            self._exec(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM _rows_in")
        finally:
            self.con.unregister("_rows_in")

    def add_geo(
        self,
        entries: Iterable[Any],
        codes: Iterable[tuple[str, str, str]],
        members: Iterable[tuple[str, str]],
        vid: int | None,
    ) -> None:
        self._insert_rows(
            "geo",
            ["geo", "kind", "name", "group_type", "iso3", "iso2", "m49", "name_official",
             "vintage_id"],
            [(e.geo, e.kind, e.name, e.group_type, e.iso3, e.iso2, e.m49, e.name_official, vid)
             for e in entries],
            ignore=True,
        )  # fmt: skip
        self._insert_rows(
            "geo_codes",
            ["scheme", "code", "geo", "vintage_id"],
            [(scheme, code, geo, vid) for scheme, code, geo in codes],
            ignore=True,
        )
        self._insert_rows(
            "geo_members", ["group_geo", "member", "vintage_id"], [(g, m, vid) for g, m in members]
        )
