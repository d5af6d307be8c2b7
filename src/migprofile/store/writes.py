"""Writing an ingest's rows (called inside `writer()` only, on the copy being written)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from migprofile.store.core import StoreCore
from migprofile.store.schema import OBS_COLUMNS, SOURCE_COLUMNS, q

VINTAGE_FIELDS = (
    "source", "edition", "edition_order", "layout", "file_name", "file_path", "sha256",
    "bytes", "url", "retrieved_at", "note",
)  # fmt: skip


@dataclass
class FileRecord:
    """One parsed file as `add_files` stores it: its vintage row and everything it brings."""

    table: pa.Table  # tidy rows (OBS_COLUMNS)
    vintage: dict[str, Any]  # VINTAGE_FIELDS
    indicators: Sequence[Any] = ()  # SourceIndicator
    geo_attributes: Sequence[tuple[str, str, str]] = ()  # geo, key, value
    names: dict[str, str] = field(default_factory=dict)  # name as the file wrote it → geo
    # geo entries, codes (scheme, code, geo) and members (group, member) it registered
    geo: tuple[Sequence[Any], Sequence[tuple[str, str, str]], Sequence[tuple[str, str]]] = (
        (),
        (),
        (),
    )


class WritesMixin(StoreCore):
    def refresh_builtin_geo(self) -> None:
        """Rewrite the code-defined geography (it may change between migprofile versions)."""
        from migprofile.geo.harmonise import build_harmoniser, built_in_digest, built_in_entries

        entries, members = built_in_entries()
        self._exec("DELETE FROM geo WHERE vintage_id IS NULL")
        self._exec("DELETE FROM geo_codes WHERE vintage_id IS NULL")
        self._exec("DELETE FROM geo_members WHERE vintage_id IS NULL")
        h = build_harmoniser()
        codes = [(s, c, g) for (s, c), g in h.codes.items()]
        flat = [(g, m) for g, ms in members.items() for m in sorted(ms)]
        self.add_geo(entries, codes, flat, None)
        self._exec("INSERT OR REPLACE INTO meta VALUES ('builtin_geo', ?)", [built_in_digest()])

    def upsert_source(self, **fields: Any) -> None:
        """The provenance row of a source (SOURCE_COLUMNS; a missing field is NULL)."""
        self._exec(
            f"INSERT OR REPLACE INTO sources ({', '.join(SOURCE_COLUMNS)}) "
            f"VALUES ({', '.join('?' * len(SOURCE_COLUMNS))})",
            [fields.get(c) for c in SOURCE_COLUMNS],
        )

    def drop_vintages(self, source: str, edition: str) -> None:
        """Remove a source's vintages of one edition and their rows (a rebuilt modelled
        source replaces what it computed before rather than stacking two of it)."""
        ids = "SELECT vintage_id FROM vintages WHERE source = ? AND edition = ?"
        self._exec(f"DELETE FROM observations WHERE vintage_id IN ({ids})", [source, edition])
        self._exec("DELETE FROM vintages WHERE source = ? AND edition = ?", [source, edition])

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
            self._insert_observations(table, str(vid))
        return vid

    def _insert_observations(self, table: pa.Table, vintage_id: str) -> None:
        """One INSERT of an Arrow table's observations; `vintage_id` is the SQL of each row's
        vintage (a number, or the table's own column)."""
        self.con.register("_incoming", table)
        obs = ", ".join(q(c) for c in OBS_COLUMNS)
        try:
            self._exec(
                f"INSERT INTO observations (vintage_id, {obs}) "
                f"SELECT {vintage_id}, {obs} FROM _incoming"
            )
        finally:
            self.con.unregister("_incoming")

    def add_files(self, files: Sequence[FileRecord]) -> list[int]:
        """Store files as add_vintage, add_source_indicators, add_geo_attributes, add_geo_names
        and add_geo would one after the other (same ids, rows and order), with one insert per
        table: per-file statements cost more than the rows of small files.

        Returns the new vintage ids, in the order of `files`."""
        if not files:
            return []
        row = self._first("SELECT coalesce(max(vintage_id), 0) + 1 FROM vintages")
        first = int(row[0]) if row else 1
        vids = list(range(first, first + len(files)))
        cols = ["vintage_id", *VINTAGE_FIELDS, "rows"]
        self._insert_rows(
            "vintages",
            cols,
            [(v, *[f.vintage.get(c) for c in VINTAGE_FIELDS], f.table.num_rows)
             for v, f in zip(vids, files, strict=True)],
            extra="ingested_at",
        )  # fmt: skip
        tables = [
            f.table.select(list(OBS_COLUMNS)).append_column(
                "vintage_id", pa.repeat(pa.scalar(v, pa.int32()), f.table.num_rows)
            )
            for v, f in zip(vids, files, strict=True)
            if f.table.num_rows
        ]
        if tables:
            self._insert_observations(pa.concat_tables(tables), "vintage_id")
        self._insert_rows(
            "source_indicators",
            ["vintage_id", "indicator", "name", "definition", "unit", "source_note"],
            [(v, i.indicator, i.name, i.definition, i.unit, i.source_note)
             for v, f in zip(vids, files, strict=True) for i in f.indicators],
        )  # fmt: skip
        self._insert_rows(
            "geo_attributes",
            ["geo", "key", "value", "vintage_id"],
            [(g, k, val, v) for v, f in zip(vids, files, strict=True)
             for g, k, val in f.geo_attributes],
        )  # fmt: skip
        known = {r[0] for r in self._rows("SELECT DISTINCT name FROM geo_names")}
        names = []
        for v, f in zip(vids, files, strict=True):
            for n, g in f.names.items():
                if n not in known:  # the first file to use a name cites it
                    names.append((n, g, v))
                    known.add(n)
        self._insert_rows("geo_names", ["name", "geo", "vintage_id"], names)
        entries: dict[Any, tuple] = {}  # first file wins, as INSERT OR IGNORE file by file
        codes: dict[tuple[str, str], tuple] = {}
        members: list[tuple[str, str, int]] = []
        for v, f in zip(vids, files, strict=True):
            for e in f.geo[0]:
                entries.setdefault(e.geo, (e, v))
            for scheme, code, geo in f.geo[1]:
                codes.setdefault((scheme, code), (scheme, code, geo, v))
            members += [(g, m, v) for g, m in f.geo[2]]
        self._add_geo_rows(
            [(e.geo, e.kind, e.name, e.group_type, e.iso3, e.iso2, e.m49, e.name_official, v)
             for e, v in entries.values()],
            list(codes.values()),
            members,
        )  # fmt: skip
        return vids

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

    def upsert_user_indicator(
        self, indicator: str, title: str, unit: str, definition: str, concept: str | None
    ) -> None:
        """A catalogue entry a user's import creates (or updates: the newest words win)."""
        self._user_indicators = None  # the cached read is stale now
        self._exec(
            "INSERT OR REPLACE INTO user_indicators "
            "(indicator, title, unit, definition, concept, created_at) "
            "VALUES (?, ?, ?, ?, ?, now()::TIMESTAMP)",
            [indicator, title, unit, definition, concept],
        )

    def _insert_rows(
        self,
        table: str,
        columns: list[str],
        rows: Sequence[tuple],
        ignore: bool = False,
        extra: str = "",
    ) -> None:
        """Bulk insert through Arrow (DuckDB's executemany runs one statement per row);
        `extra`: a TIMESTAMP column set to now()."""
        if not rows:
            return
        data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        self.con.register("_rows_in", data)
        try:
            verb = "INSERT OR IGNORE" if ignore else "INSERT"
            cols = ", ".join(q(c) for c in columns)
            into, select = (
                (f"{cols}, {q(extra)}", f"{cols}, now()::TIMESTAMP") if extra else (cols, cols)
            )
            self._exec(f"{verb} INTO {table} ({into}) SELECT {select} FROM _rows_in")
        finally:
            self.con.unregister("_rows_in")

    def add_geo(
        self,
        entries: Iterable[Any],
        codes: Iterable[tuple[str, str, str]],
        members: Iterable[tuple[str, str]],
        vid: int | None,
    ) -> None:
        self._add_geo_rows(
            [(e.geo, e.kind, e.name, e.group_type, e.iso3, e.iso2, e.m49, e.name_official, vid)
             for e in entries],
            [(scheme, code, geo, vid) for scheme, code, geo in codes],
            [(g, m, vid) for g, m in members],
        )  # fmt: skip

    def _add_geo_rows(self, entries: list[tuple], codes: list[tuple], members: list[tuple]) -> None:
        """Geo rows with their vintage id: an entry or code already there is kept."""
        self._insert_rows(
            "geo",
            ["geo", "kind", "name", "group_type", "iso3", "iso2", "m49", "name_official",
             "vintage_id"],
            entries,
            ignore=True,
        )  # fmt: skip
        self._insert_rows("geo_codes", ["scheme", "code", "geo", "vintage_id"], codes, ignore=True)
        self._insert_rows("geo_members", ["group_geo", "member", "vintage_id"], members)
