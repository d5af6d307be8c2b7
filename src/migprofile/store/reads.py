"""Reads every face needs: geo resolution, geography, sources and provenance, coverage."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from migprofile.errors import UnknownGeoError, UsageError
from migprofile.geo import GeoEntry, Harmoniser, build_harmoniser
from migprofile.geo.world_names import resolve_for_user
from migprofile.store.core import StoreCore, VintageInfo, pylist


class ReadsMixin(StoreCore):
    # -- geography -------------------------------------------------------------------------
    def dynamic_geo(
        self,
    ) -> tuple[list[GeoEntry], list[tuple[str, str, str]], list[tuple[str, str]]]:
        """What earlier ingests added to the code-defined geography (for the harmoniser)."""
        entries = [
            GeoEntry(geo=r[0], kind=r[1], name=r[2], group_type=r[3], dynamic=True)
            for r in self._rows(
                "SELECT geo, kind, name, group_type FROM geo WHERE vintage_id IS NOT NULL"
            )
        ]
        codes = [tuple(r) for r in self._rows("SELECT scheme, code, geo FROM geo_codes")]
        members = [
            tuple(r)
            for r in self._rows(
                "SELECT group_geo, member FROM geo_members WHERE vintage_id IS NOT NULL"
            )
        ]
        return entries, codes, members

    def harmoniser(self) -> Harmoniser:
        """A fresh harmoniser: the code-defined geography plus what earlier ingests added
        (ingest extends it with the new files' names; the store's own copy stays untouched)."""
        entries, codes, members = self.dynamic_geo()
        return build_harmoniser(entries, codes, members)

    def resolve_geo(self, text: str | None, *, parameter: str = "GEO") -> str:
        """ISO3, M49, an aggregate id or a name → geo id (UsageError naming the parameter)."""
        value = str(text or "").strip()
        if not value:
            raise UsageError(f"{parameter}: empty")
        row = self._first(
            "SELECT geo FROM geo WHERE geo = ? OR lower(geo) = lower(?) OR iso3 = upper(?)",
            [value, value, value],
        )
        if row:
            return row[0]
        if value.isdigit():
            row = self._first(
                "SELECT geo FROM geo WHERE m49 = ? AND kind = 'country'", [int(value)]
            )
            if row:
                return row[0]
            row = self._first("SELECT geo FROM geo_codes WHERE code = ? ORDER BY scheme", [value])
            if row:
                return row[0]
        if self._harmoniser is None:  # built once per connection: names resolve in microseconds
            self._harmoniser = self.harmoniser()
        try:
            return resolve_for_user(self._harmoniser, value)
        except UnknownGeoError as exc:
            raise UsageError(f"{parameter}: {exc}") from None

    def geo_row(self, geo: str) -> dict | None:
        rows = self.query("SELECT * FROM geo WHERE geo = ?", [geo]).to_pylist()
        return rows[0] if rows else None

    def geo_rows(self) -> list[dict]:
        """Every row of the geo table (countries, areas, aggregates), as dicts."""
        return self.query_dicts("SELECT * FROM geo")

    def geo_kinds(self) -> dict[str, str]:
        """geo id → kind (country, aggregate, other...)."""
        return dict(self._rows("SELECT geo, kind FROM geo"))

    def country_names(self) -> list[tuple[str, str, str | None]]:
        """(geo, name, official name) of every country."""
        return [
            (r[0], r[1], r[2])
            for r in self._rows("SELECT geo, name, name_official FROM geo WHERE kind = 'country'")
        ]

    def group_members(self) -> dict[str, list[str]]:
        """{group geo: [member, ...]}, distinct, both sorted."""
        members: dict[str, list[str]] = {}
        for group, member in self._rows(
            "SELECT DISTINCT group_geo, member FROM geo_members ORDER BY 1, 2"
        ):
            members.setdefault(group, []).append(member)
        return members

    def member_countries(self, group: str) -> list[str]:
        """The member countries of a group (region or aggregate), sorted; [] for a country."""
        return [
            r[0]
            for r in self._rows(
                "SELECT DISTINCT m.member FROM geo_members m JOIN geo g ON g.geo = m.member "
                "WHERE m.group_geo = ? AND g.kind = 'country' ORDER BY 1",
                [group],
            )
        ]

    def geo_name_pairs(self) -> list[tuple[str, str]]:
        """Every distinct (name, geo) the sources wrote, as they wrote it (geo_names), in the
        order they were stored (the first file to use a name comes first)."""
        rows = self._rows("SELECT name, geo FROM geo_names")
        return list(dict.fromkeys((r[0], r[1]) for r in rows))

    def geo_attributes(self, *keys: str) -> list[tuple[str, str, str]]:
        """(geo, key, value) of the attributes sources published (capital, unterm_short...)."""
        if not keys:
            return []
        placeholders = ", ".join("?" * len(keys))
        return [
            (r[0], r[1], r[2])
            for r in self._rows(
                f"SELECT geo, key, value FROM geo_attributes WHERE key IN ({placeholders})",
                list(keys),
            )
        ]

    def portal_geo(self) -> tuple[int, int, list[dict], dict[str, list[str]]]:
        """What the portal snapshots: (latest vintage id or 0, number of vintages, geo rows
        (geo, kind, name, iso3, m49, group_type) ordered by kind and geo, {group: [members]}).
        Works on a cursor-based Store."""
        row = self._first("SELECT coalesce(max(vintage_id), 0), count(*) FROM vintages")
        latest, count = (int(row[0]), int(row[1])) if row else (0, 0)
        geo_rows = self.query(
            "SELECT geo, kind, name, iso3, m49, group_type FROM geo ORDER BY kind, geo"
        ).to_pylist()
        return latest, count, geo_rows, self.group_members()

    def countries_with_data(self) -> list[str]:
        """Countries with at least one non-missing value, sorted."""
        rows = self._rows(
            "SELECT DISTINCT o.geo FROM observations o JOIN geo g USING (geo) "
            "WHERE g.kind = 'country' AND o.value IS NOT NULL ORDER BY 1"
        )
        return [r[0] for r in rows]

    def builtin_geo_current(self) -> bool:
        """Was the code-defined geography written by this migprofile version's code?"""
        from migprofile.geo.harmonise import built_in_digest

        row = self._first("SELECT value FROM meta WHERE key = 'builtin_geo'")
        return row is not None and row[0] == built_in_digest()

    def builtin_groups(self) -> list[tuple[str, str]]:
        """(geo, group_type) of the code-defined aggregates that have members."""
        return [
            (r[0], r[1])
            for r in self._rows(
                "SELECT geo, group_type FROM geo WHERE kind = 'aggregate' AND vintage_id IS NULL "
                "AND geo IN (SELECT DISTINCT group_geo FROM geo_members)"
            )
        ]

    # -- sources, vintages, provenance -------------------------------------------------------
    def known_file(self, source: str, sha256: str) -> VintageInfo | None:
        row = self._first(
            "SELECT vintage_id, source, edition, sha256, file_name FROM vintages "
            "WHERE source = ? AND sha256 = ?",
            [source, sha256],
        )
        return VintageInfo(*row) if row else None

    def user_indicators(self) -> list[dict]:
        """Catalogue entries users' imports created (indicator, title, unit, definition,
        concept), by id; none in a store older than them."""
        # a read-only file does not change under its readers: read once, shared by its cursors
        # (one query per request cost more than the lookup itself)
        cached = self.memo.get("user indicators") if self.read_only else self._user_indicators
        if cached is not None:
            return cached
        rows: list[dict] = []
        if self._has_table("user_indicators"):
            rows = self.query(
                "WITH held AS (SELECT DISTINCT o.indicator, v.source FROM observations o "
                "JOIN vintages v USING (vintage_id) "
                "WHERE o.indicator IN (SELECT indicator FROM user_indicators)) "
                "SELECT u.indicator, u.title, u.unit, u.definition, u.concept, "
                "list(h.source ORDER BY h.source) FILTER (WHERE h.source IS NOT NULL) "
                "AS sources FROM user_indicators u LEFT JOIN held h USING (indicator) "
                "GROUP BY ALL ORDER BY u.indicator"
            ).to_pylist()
        self._user_indicators = rows
        if self.read_only:
            self.memo["user indicators"] = rows
        return rows

    def has_source(self, source: str) -> bool:
        """Has any vintage of this source been ingested?"""
        return bool(self._first("SELECT 1 FROM vintages WHERE source = ? LIMIT 1", [source]))

    def has_edition(self, edition: str) -> bool:
        """Does any source have this edition in the store?"""
        return bool(self._first("SELECT 1 FROM vintages WHERE edition = ? LIMIT 1", [edition]))

    def sources_report(self) -> pa.Table:
        return self.query(
            """
            SELECT v.source, v.edition, v.vintage_id, v.file_name, v.sha256, v.bytes,
                   v.ingested_at, v.rows, v.layout, s.licence, v.url, v.note
            FROM vintages v LEFT JOIN sources s USING (source)
            ORDER BY v.source, v.edition_order, v.vintage_id
            """
        )

    def source_rows(self) -> list[dict]:
        """The sources table (source, title, publisher, homepage, licence, citation, modelled,
        kind, short_name), ordered by source; short_name is None in a store older than it."""
        short = "short_name" if self._has_column("sources", "short_name") else "NULL"
        return self.query(
            "SELECT source, title, publisher, homepage, licence, citation, modelled, kind, "
            f"{short} AS short_name FROM sources ORDER BY source"
        ).to_pylist()

    def short_names(self) -> dict[str, str]:
        """source id → how a sentence cites it, as recorded at ingest (where recorded)."""
        return {r["source"]: r["short_name"] for r in self.source_rows() if r["short_name"]}

    def editions(self, source: str | None = None) -> list[tuple[str, str]]:
        sql = "SELECT DISTINCT source, edition FROM vintages"
        args = []
        if source:
            sql += " WHERE source = ?"
            args.append(source)
        return [(r[0], r[1]) for r in self._rows(sql + " ORDER BY 1, 2", args)]

    def source_indicator_name(self, indicator: str) -> str:
        """The publisher's own name of one of its codes in the latest vintage ('' if none):
        e.g. the poverty line in WDI's name for SI.POV.DDAY."""
        if not self._has_table("source_indicators"):
            return ""
        row = self._first(
            "SELECT name FROM source_indicators WHERE indicator = ? "
            "ORDER BY vintage_id DESC LIMIT 1",
            [indicator],
        )
        return (row[0] or "") if row else ""

    def coverage_rows(self) -> list[tuple[str, str, str, list, list, list]]:
        """Per (source, stored indicator, geo on either side): the years, editions and files
        with a non-missing value."""
        # through Arrow: DuckDB's own fetch holds the GIL while it runs this whole-store
        # aggregate (a third of a second), Arrow's does not
        table = self.query(
            """
            SELECT v.source, o.indicator, side.g AS geo, list(DISTINCT o.year),
                   list(DISTINCT v.edition),
                   list(DISTINCT v.file_name || ' (sha256 ' || left(v.sha256, 12) || '…)')
            FROM observations o JOIN vintages v USING (vintage_id),
                 (SELECT unnest([o.geo, o.partner]) AS g) side
            WHERE o.value IS NOT NULL AND side.g <> ''
            GROUP BY 1, 2, 3
            """
        )
        return [tuple(r.values()) for r in pylist(table)]

    def export_parquet(self, out_dir: Path) -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for table in ("observations", "vintages", "sources", "geo", "geo_members"):
            target = out_dir / f"{table}.parquet"
            self._exec(f"COPY (SELECT * FROM {table}) TO '{_sql_path(target)}' (FORMAT PARQUET)")
            written.append(target)
        return written


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")
