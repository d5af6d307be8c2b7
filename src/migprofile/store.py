"""The one place that knows the store's schema: DuckDB tables, vintages and queries.

Writes happen only inside `Store.writer()`, which works on a copy of the file and swaps it into
place atomically on success: a failed or killed ingest leaves the previous store byte-for-byte
as it was, and readers never see half an ingest.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from migprofile import config
from migprofile.errors import StoreError, UsageError

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS sources (
    source VARCHAR PRIMARY KEY, title VARCHAR, publisher VARCHAR, homepage VARCHAR,
    licence VARCHAR, citation VARCHAR, modelled BOOLEAN, kind VARCHAR);
CREATE TABLE IF NOT EXISTS vintages (
    vintage_id INTEGER PRIMARY KEY, source VARCHAR NOT NULL, edition VARCHAR NOT NULL,
    edition_order VARCHAR NOT NULL, layout VARCHAR, file_name VARCHAR, file_path VARCHAR,
    sha256 VARCHAR NOT NULL, bytes BIGINT, url VARCHAR, retrieved_at VARCHAR,
    ingested_at TIMESTAMP, rows BIGINT, note VARCHAR);
CREATE TABLE IF NOT EXISTS geo (
    geo VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, name VARCHAR NOT NULL, group_type VARCHAR,
    iso3 VARCHAR, iso2 VARCHAR, m49 INTEGER, name_official VARCHAR, vintage_id INTEGER);
CREATE TABLE IF NOT EXISTS geo_codes (
    scheme VARCHAR, code VARCHAR, geo VARCHAR, vintage_id INTEGER, PRIMARY KEY (scheme, code));
CREATE TABLE IF NOT EXISTS geo_members (group_geo VARCHAR, member VARCHAR, vintage_id INTEGER);
CREATE TABLE IF NOT EXISTS geo_names (name VARCHAR, geo VARCHAR, vintage_id INTEGER);
CREATE TABLE IF NOT EXISTS geo_attributes (
    geo VARCHAR, key VARCHAR, value VARCHAR, vintage_id INTEGER);
CREATE TABLE IF NOT EXISTS source_indicators (
    vintage_id INTEGER, indicator VARCHAR, name VARCHAR, definition VARCHAR, unit VARCHAR,
    source_note VARCHAR);
CREATE TABLE IF NOT EXISTS news_items (
    item_id VARCHAR PRIMARY KEY, title VARCHAR, text VARCHAR, date VARCHAR, origin VARCHAR,
    url VARCHAR, added_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS news_tags (
    item_id VARCHAR, kind VARCHAR, value VARCHAR, evidence VARCHAR, ambiguous BOOLEAN,
    note VARCHAR);
CREATE TABLE IF NOT EXISTS news_figures (
    item_id VARCHAR, idx INTEGER, text VARCHAR, value DOUBLE, unit VARCHAR, counts VARCHAR,
    qualifier VARCHAR, year INTEGER, geo VARCHAR, sentence VARCHAR, verdict VARCHAR,
    indicator VARCHAR, data_value DOUBLE, data_year INTEGER, source VARCHAR, edition VARCHAR,
    sha256 VARCHAR, cell VARCHAR, difference_pct DOUBLE, explanation VARCHAR);
CREATE TABLE IF NOT EXISTS observations (
    vintage_id INTEGER NOT NULL, indicator VARCHAR NOT NULL, geo VARCHAR NOT NULL,
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, period VARCHAR NOT NULL, sex VARCHAR NOT NULL,
    age VARCHAR NOT NULL, value DOUBLE, unit VARCHAR, sheet VARCHAR, "row" INTEGER, col VARCHAR,
    note VARCHAR);
"""

# Tables a read-only face needs; the news tables are optional (queries check they exist).
CORE_TABLES = ("sources", "vintages", "geo", "geo_codes", "geo_members", "observations")


def _migrate_0_to_1(con: duckdb.DuckDBPyConnection) -> None:
    """Version 0: a store written before `meta` recorded a version (some tables may be missing).

    Every table is created IF NOT EXISTS, so the tables it has keep their rows."""
    con.execute(SCHEMA)


# from_version -> function(con) that brings a store from that version to the next one.
# writer() applies them in order when it opens an older store; SCHEMA_VERSION is the last.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {0: _migrate_0_to_1}

# errno values that mean "no room": the copy or DuckDB's writes hit a full disk or a size limit.
_NO_ROOM = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}

OBS_COLUMNS = (
    "indicator",
    "geo",
    "partner",
    "year",
    "period",
    "sex",
    "age",
    "value",
    "unit",
    "sheet",
    "row",
    "col",
    "note",
)


@dataclass
class VintageInfo:
    vintage_id: int
    source: str
    edition: str
    sha256: str
    file_name: str


class Store:
    """A connection to the store plus the queries every face needs."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path):
        self.con = con
        self.path = path
        self._harmoniser = None

    def _first(self, sql: str, args=None):
        """First row or None (DuckDB 2 wants every result consumed before the next query)."""
        rows = self.con.execute(sql, args or []).fetchall()
        return rows[0] if rows else None

    def arrow(self, sql: str, args=None) -> pa.Table:
        return self.con.sql(sql, params=args or None).to_arrow_table()

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = True) -> Store:
        path = Path(path) if path else config.db_path()
        if read_only and not path.exists():
            raise StoreError(
                f"no store at {path}: run `migprofile ingest` first (or set MIGPROFILE_HOME)"
            )
        try:
            con = duckdb.connect(str(path), read_only=read_only)
        except duckdb.Error as exc:
            raise StoreError(f"cannot open store {path}: {exc}".splitlines()[0]) from None
        store = cls(con, path)
        if read_only:
            try:
                store.check_version()
            except StoreError:
                con.close()
                raise
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def schema_version(self) -> int:
        """The version in `meta` (0 for a store older than the version row)."""
        if not self._has_table("meta"):
            if not all(self._has_table(t) for t in ("vintages", "observations")):
                raise StoreError(f"{self.path} is not a migprofile store (no meta table)")
            return 0
        try:
            row = self._first("SELECT value FROM meta WHERE key = 'schema_version'")
            return int(row[0]) if row else 0
        except (duckdb.Error, ValueError) as exc:
            raise StoreError(
                f"{self.path} has an unreadable schema version ({str(exc).splitlines()[0]})"
            ) from None

    def check_version(self, *, writing: bool = False) -> int:
        """The store's schema version; a clear StoreError when this migprofile cannot use it.

        A newer store is refused. An older one is fine for writing (writer() migrates it) and
        for reading as long as the tables the queries need exist."""
        try:
            version = self.schema_version()
        except duckdb.Error as exc:
            raise StoreError(
                f"store {self.path} is unreadable ({str(exc).splitlines()[0]})"
            ) from None
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version}, newer than this migprofile "
                f"({SCHEMA_VERSION}): upgrade migprofile"
            )
        if version < SCHEMA_VERSION and not writing:
            self._stand_in_for_missing(version)
        return version

    def _stand_in_for_missing(self, version: int) -> None:
        """An older store opened read-only: a table it lacks is read as an empty TEMP table
        (so reads, and the next ingest that upgrades it, work); a clear error if that fails."""
        missing = [t for t in CORE_TABLES if not self._has_table(t)]
        try:
            for statement in SCHEMA.split(";"):
                words = statement.split()
                if len(words) > 5 and words[5] in missing:
                    self.con.execute(statement.replace("CREATE TABLE", "CREATE TEMP TABLE", 1))
        except duckdb.Error:
            raise StoreError(
                f"{self.path} has the older schema version {version} (no table "
                f"{', '.join(missing)}): run `migprofile ingest` to upgrade it"
            ) from None

    def migrate(self, version: int) -> None:
        """Apply MIGRATIONS from `version` up to SCHEMA_VERSION (inside writer() only)."""
        for v in range(version, SCHEMA_VERSION):
            step = MIGRATIONS.get(v)
            if step is None:
                raise StoreError(f"{self.path}: no migration from schema version {v}")
            step(self.con)

    def create_schema(self) -> None:
        self.con.execute(SCHEMA)
        self.con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )

    # -- writing (inside writer()) -----------------------------------------------------------
    def refresh_builtin_geo(self) -> None:
        """Rewrite the code-defined geography (it may change between migprofile versions)."""
        from migprofile.geo.harmonise import build_harmoniser, built_in_entries

        entries, members = built_in_entries()
        self.con.execute("DELETE FROM geo WHERE vintage_id IS NULL")
        self.con.execute("DELETE FROM geo_codes WHERE vintage_id IS NULL")
        self.con.execute("DELETE FROM geo_members WHERE vintage_id IS NULL")
        h = build_harmoniser()
        codes = [(s, c, g) for (s, c), g in h.codes.items()]
        flat = [(g, m) for g, ms in members.items() for m in sorted(ms)]
        self.add_geo(entries, codes, flat, None)

    def known_file(self, source: str, sha256: str) -> VintageInfo | None:
        row = self._first(
            "SELECT vintage_id, source, edition, sha256, file_name FROM vintages "
            "WHERE source = ? AND sha256 = ?",
            [source, sha256],
        )
        return VintageInfo(*row) if row else None

    def upsert_source(self, **fields) -> None:
        cols = (
            "source",
            "title",
            "publisher",
            "homepage",
            "licence",
            "citation",
            "modelled",
            "kind",
        )
        self.con.execute(
            f"INSERT OR REPLACE INTO sources ({', '.join(cols)}) "
            f"VALUES ({', '.join('?' * len(cols))})",
            [fields.get(c) for c in cols],
        )

    def add_vintage(self, table: pa.Table, **fields) -> int:
        vid = self._first("SELECT coalesce(max(vintage_id), 0) + 1 FROM vintages")[0]
        cols = (
            "source", "edition", "edition_order", "layout", "file_name", "file_path", "sha256",
            "bytes", "url", "retrieved_at", "note",
        )  # fmt: skip
        self.con.execute(
            f"INSERT INTO vintages (vintage_id, {', '.join(cols)}, ingested_at, rows) "
            f"VALUES (?, {', '.join('?' * len(cols))}, now()::TIMESTAMP, ?)",
            [vid, *[fields.get(c) for c in cols], table.num_rows],
        )
        if table.num_rows:
            self.con.register("_incoming", table)
            self.con.execute(
                f"INSERT INTO observations (vintage_id, {', '.join(_q(c) for c in OBS_COLUMNS)}) "
                f"SELECT {vid}, {', '.join(_q(c) for c in OBS_COLUMNS)} FROM _incoming"
            )
            self.con.unregister("_incoming")
        return vid

    def add_geo_names(self, vid: int, names: dict[str, str]) -> None:
        """Names as the file wrote them, new ones only (the first file to use a name cites it)."""
        known = {r[0] for r in self.con.execute("SELECT DISTINCT name FROM geo_names").fetchall()}
        rows = [(n, g, vid) for n, g in names.items() if n not in known]
        self._insert_rows("geo_names", ["name", "geo", "vintage_id"], rows)

    def add_geo_attributes(self, vid: int, attributes) -> None:
        self._insert_rows(
            "geo_attributes",
            ["geo", "key", "value", "vintage_id"],
            [(g, k, v, vid) for g, k, v in attributes],
        )

    def add_source_indicators(self, vid: int, indicators) -> None:
        self._insert_rows(
            "source_indicators",
            ["vintage_id", "indicator", "name", "definition", "unit", "source_note"],
            [(vid, i.indicator, i.name, i.definition, i.unit, i.source_note) for i in indicators],
        )

    def _insert_rows(self, table: str, columns: list[str], rows: list[tuple], ignore=False) -> None:
        """Bulk insert through Arrow (DuckDB's executemany runs one statement per row)."""
        if not rows:
            return
        data = pa.table({c: [r[i] for r in rows] for i, c in enumerate(columns)})
        self.con.register("_rows_in", data)
        try:
            verb = "INSERT OR IGNORE" if ignore else "INSERT"
            cols = ", ".join(_q(c) for c in columns)
            self.con.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM _rows_in")
        finally:
            self.con.unregister("_rows_in")

    def add_geo(self, entries, codes, members, vid: int | None) -> None:
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

    def known_news(self, item_ids: list[str]) -> set[str]:
        if not item_ids or not self._has_table("news_items"):
            return set()
        placeholders = ", ".join("?" * len(item_ids))
        rows = self.con.execute(
            f"SELECT item_id FROM news_items WHERE item_id IN ({placeholders})", item_ids
        ).fetchall()
        return {r[0] for r in rows}

    def add_news(self, checked) -> None:
        """Items with their tags and checked figures (news.model.CheckedItem), new ones only."""
        for c in checked:
            item = c.item
            self.con.execute(
                "INSERT OR IGNORE INTO news_items VALUES (?, ?, ?, ?, ?, ?, now()::TIMESTAMP)",
                [item.item_id, item.title, item.text, item.date, item.origin, item.url],
            )
            self._insert_rows(
                "news_tags",
                ["item_id", "kind", "value", "evidence", "ambiguous", "note"],
                [(item.item_id, t.kind, t.value, "; ".join(t.evidence), t.ambiguous, t.note)
                 for t in c.tags],
            )  # fmt: skip
            self._insert_rows(
                "news_figures",
                ["item_id", "idx", "text", "value", "unit", "counts", "qualifier", "year", "geo",
                 "sentence", "verdict", "indicator", "data_value", "data_year", "source",
                 "edition", "sha256", "cell", "difference_pct", "explanation"],
                [(item.item_id, i, v.figure.text, v.figure.value, v.figure.unit, v.figure.counts,
                  v.figure.qualifier, v.figure.year, v.figure.geo, v.figure.sentence, v.verdict,
                  v.indicator, v.data_value, v.data_year, v.source, v.edition, v.sha256, v.cell,
                  v.difference_pct, v.explanation)
                 for i, v in enumerate(c.verdicts)],
            )  # fmt: skip

    def news(self, geo: str | None = None, theme: str | None = None, limit: int = 50) -> list[dict]:
        """Latest items, optionally those tagged with a geo (or a member of it) or a theme."""
        if not self._has_table("news_items"):
            return []
        where, args = [], []
        if geo:
            where.append(
                "item_id IN (SELECT item_id FROM news_tags WHERE kind = 'geo' AND (value = ? "
                "OR value IN (SELECT member FROM geo_members WHERE group_geo = ?)))"
            )
            args += [geo, geo]
        if theme:
            where.append(
                "item_id IN (SELECT item_id FROM news_tags WHERE kind = 'theme' AND value = ?)"
            )
            args.append(theme)
        sql = "SELECT * FROM news_items" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY coalesce(date, '') DESC, added_at DESC LIMIT ?"
        items = self.arrow(sql, [*args, int(limit)]).to_pylist()
        ids = [i["item_id"] for i in items]
        if not ids:
            return []
        placeholders = ", ".join("?" * len(ids))
        tags = self.arrow(f"SELECT * FROM news_tags WHERE item_id IN ({placeholders})", ids)
        figures = self.arrow(
            f"SELECT * FROM news_figures WHERE item_id IN ({placeholders}) ORDER BY idx", ids
        )
        by_id = {i["item_id"]: dict(i, tags=[], figures=[]) for i in items}
        for t in tags.to_pylist():
            by_id[t["item_id"]]["tags"].append(t)
        for f in figures.to_pylist():
            by_id[f["item_id"]]["figures"].append(f)
        return [by_id[i] for i in ids]

    def _has_table(self, name: str) -> bool:
        return bool(
            self.con.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name]
            ).fetchall()
        )

    # -- reading -----------------------------------------------------------------------------
    def dynamic_geo(self):
        """What earlier ingests added to the code-defined geography (for the harmoniser)."""
        from migprofile.geo import GeoEntry

        entries = [
            GeoEntry(geo=r[0], kind=r[1], name=r[2], group_type=r[3], dynamic=True)
            for r in self.con.execute(
                "SELECT geo, kind, name, group_type FROM geo WHERE vintage_id IS NOT NULL"
            ).fetchall()
        ]
        codes = self.con.execute("SELECT scheme, code, geo FROM geo_codes").fetchall()
        members = self.con.execute(
            "SELECT group_geo, member FROM geo_members WHERE vintage_id IS NOT NULL"
        ).fetchall()
        return entries, codes, members

    def sources_report(self) -> pa.Table:
        return self.arrow(
            """
            SELECT v.source, v.edition, v.vintage_id, v.file_name, v.sha256, v.bytes,
                   v.ingested_at, v.rows, v.layout, s.licence, v.url, v.note
            FROM vintages v LEFT JOIN sources s USING (source)
            ORDER BY v.source, v.edition_order, v.vintage_id
            """
        )

    def geo_row(self, geo: str) -> dict | None:
        rows = self.arrow("SELECT * FROM geo WHERE geo = ?", [geo]).to_pylist()
        return rows[0] if rows else None

    def editions(self, source: str | None = None) -> list[tuple[str, str]]:
        sql = "SELECT DISTINCT source, edition FROM vintages"
        args = []
        if source:
            sql += " WHERE source = ?"
            args.append(source)
        return self.con.execute(sql + " ORDER BY 1, 2", args).fetchall()

    def get(
        self,
        indicator: str,
        geo: str,
        *,
        partner: str | None = None,
        year: int | None = None,
        sex: str | None = None,
        source: str | None = None,
        edition: str | None = None,
        period: str | None = None,
        as_pandas: bool = False,
    ):
        """Observations of a catalogue indicator (or a source code such as wdi:SP.POP.TOTL).

        GEO and PARTNER accept ISO3, M49 or names. One edition per series: the latest of the
        preferred source unless `source`/`edition` say otherwise. `period` picks a sub-annual
        value (e.g. '2020Q3'; 'all' for every period); by default annual values only.
        Returns Arrow (pandas on request).
        """
        from migprofile.indicators import query_for

        geo_id = self.resolve_geo(geo, parameter="GEO")
        partner_id = self.resolve_geo(partner, parameter="--partner") if partner else None
        sql, args = query_for(
            indicator,
            geo=geo_id,
            partner=partner_id,
            year=year,
            sex=sex,
            source=source,
            edition=edition,
            period=period,
        )
        if source is not None and not self._first(
            "SELECT 1 FROM vintages WHERE source = ? LIMIT 1", [source]
        ):
            raise UsageError(f"--source {source!r}: no such source in the store")
        if edition is not None and not self._first(
            "SELECT 1 FROM vintages WHERE edition = ? LIMIT 1", [edition]
        ):
            raise UsageError(f"--edition {edition!r}: no such edition in the store")
        table = self.arrow(sql, args)
        if as_pandas:
            try:
                return table.to_pandas()
            except ModuleNotFoundError:
                raise UsageError(
                    "as_pandas=True needs pandas: pip install 'migprofile[pandas]'"
                ) from None
        return table

    def stream(
        self,
        indicator: str,
        geo: str | None = None,
        *,
        partner: str | None = None,
        year: int | None = None,
        sex: str | None = None,
        batch_size: int = 5000,
    ) -> Iterator[dict]:
        """Rows of `get` one batch at a time (geo None = every geo): a full export of an
        indicator never sits in memory. Geo ids must already be resolved."""
        from migprofile.indicators import query_for

        sql, args = query_for(
            indicator, geo=geo, partner=partner, year=year, sex=sex, source=None, edition=None
        )
        cur = self.con.cursor()
        try:
            cur.execute(sql, args)
            names = [d[0] for d in cur.description]
            while batch := cur.fetchmany(batch_size):
                for row in batch:
                    yield dict(zip(names, row, strict=True))
        finally:
            cur.close()

    def resolve_geo(self, text: str | None, *, parameter: str = "GEO") -> str:
        """ISO3, M49, an aggregate id or a name → geo id (UsageError naming the parameter)."""
        from migprofile.errors import UnknownGeoError
        from migprofile.ingest import harmoniser_for

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
            self._harmoniser = harmoniser_for(self)
        try:
            return self._harmoniser.resolve_name(value)
        except UnknownGeoError as exc:
            raise UsageError(f"{parameter}: {exc}") from None

    # -- editions and sources side by side ------------------------------------------------------
    def edition_pair(
        self, source: str, from_edition: str | None, to_edition: str | None
    ) -> tuple[str, str]:
        """The two editions `diff` compares: by default the two latest of the source."""
        editions = [
            r[0]
            for r in self.con.execute(
                "SELECT edition FROM vintages WHERE source = ? GROUP BY edition "
                "ORDER BY max(edition_order), max(vintage_id)",
                [source],
            ).fetchall()
        ]
        if not editions:
            known = ", ".join(
                r[0]
                for r in self.con.execute(
                    "SELECT DISTINCT source FROM vintages ORDER BY 1"
                ).fetchall()
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
        return self.arrow(
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

    def compare(
        self,
        indicator_a: str,
        indicator_b: str,
        geo: str | None = None,
        *,
        partner: str | None = None,
        year: int | None = None,
        source_a: str | None = None,
        source_b: str | None = None,
        max_year_gap: int = 0,
    ) -> pa.Table:
        """Two indicators that measure the same thing, lined up value by value, with the gap.

        `indicator@source` picks a source (e.g. migrant_stock@wb_bilateral_migration).
        `max_year_gap` pairs each value of A with B's nearest year within that many years, for
        sources published for different years (UN DESA 2015/2020 vs World Bank 2017).
        """
        from migprofile.indicators import query_for

        if max_year_gap < 0:
            raise UsageError("--max-year-gap: must be 0 or more")

        def spec(text: str, source: str | None) -> tuple[str, str | None]:
            name, _, at = text.partition("@")
            return name, (source or at or None)

        (ind_a, src_a), (ind_b, src_b) = spec(indicator_a, source_a), spec(indicator_b, source_b)
        geo_id = self.resolve_geo(geo) if geo else None
        partner_id = self.resolve_geo(partner, parameter="--partner") if partner else None
        parts, args = [], []
        for ind, src in ((ind_a, src_a), (ind_b, src_b)):
            sql, a = query_for(ind, geo=geo_id, partner=partner_id, year=year, sex="total",
                               source=src, edition=None)  # fmt: skip
            parts.append(sql)
            args += a
        return self.arrow(
            f"""
            SELECT a.geo, g.name AS geo_name, a.partner, a.year, b.year AS year_b,
                   a.value AS value_a, a.unit AS unit_a, a.source AS source_a,
                   a.edition AS edition_a, b.value AS value_b, b.unit AS unit_b,
                   b.source AS source_b, b.edition AS edition_b,
                   b.value - a.value AS gap,
                   CASE WHEN a.value <> 0 THEN 100 * (b.value - a.value) / abs(a.value) END
                       AS gap_pct
            FROM ({parts[0]}) a JOIN ({parts[1]}) b
              ON a.geo = b.geo AND a.partner = b.partner AND a.period = b.period
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

    def export_parquet(self, out_dir: Path) -> list[Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        written = []
        for table in ("observations", "vintages", "sources", "geo", "geo_members"):
            target = out_dir / f"{table}.parquet"
            self.con.execute(
                f"COPY (SELECT * FROM {table}) TO '{_sql_path(target)}' (FORMAT PARQUET)"
            )
            written.append(target)
        return written


def _q(col: str) -> str:
    return f'"{col}"'


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


# -- the atomic writer ------------------------------------------------------------------------


@contextlib.contextmanager
def writer(path: Path | None = None) -> Iterator[Store]:
    """A writable copy of the store; swapped into place only if the block finishes.

    An older store is migrated (MIGRATIONS) in the copy; a full disk or a file-size limit at any
    step (copy, DuckDB's writes, checkpoint, swap) is a StoreError and leaves the store as it was.
    """
    path = Path(path) if path else config.db_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data home {path.parent}: {exc.strerror} "
            "(set MIGPROFILE_HOME to a writable folder)"
        ) from None
    lock_path = path.with_name(path.name + ".lock")
    try:
        lock_fh = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise StoreError(
            f"cannot write in {path.parent}: {exc.strerror} "
            "(set MIGPROFILE_HOME to a writable folder)"
        ) from None
    try:
        try:
            fcntl.flock(lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another ingest is writing {path}; try again when it ends") from None
        for stale in path.parent.glob(path.name + ".ingest-*"):
            stale.unlink(missing_ok=True)  # left by a killed ingest
        tmp = path.with_name(f"{path.name}.ingest-{os.getpid()}")
        try:
            if path.exists():
                _check_readable(path)
                shutil.copyfile(path, tmp)
            con = duckdb.connect(str(tmp))
        except OSError as exc:
            _remove(tmp)
            raise _write_error(path, "cannot prepare a copy of", exc) from None
        except duckdb.Error as exc:
            _remove(tmp)
            raise _write_error(path, "cannot prepare a copy of", exc) from None
        store = Store(con, path)
        ok = False
        try:
            try:
                if path.exists():
                    store.migrate(store.check_version(writing=True))
                store.create_schema()
                store.refresh_builtin_geo()
                con.execute("BEGIN TRANSACTION")
            except (OSError, duckdb.IOException, duckdb.FatalException) as exc:
                raise _write_error(path, "cannot write a copy of", exc) from None
            try:
                yield store
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            except (OSError, duckdb.IOException, duckdb.FatalException) as exc:
                if not isinstance(exc, OSError) or exc.errno in _NO_ROOM:
                    raise _write_error(path, "cannot write a copy of", exc) from None
                raise
            ok = True
        finally:
            if not ok:
                with contextlib.suppress(Exception):
                    con.execute("ROLLBACK")
            with contextlib.suppress(Exception):
                con.close()
            if ok:
                try:
                    with open(tmp, "rb") as fh:
                        os.fsync(fh.fileno())
                    os.replace(tmp, path)
                    _fsync_dir(path.parent)
                except OSError as exc:
                    _remove(tmp)
                    raise _write_error(path, "cannot replace", exc) from None
            else:
                _remove(tmp)
    finally:
        lock_fh.close()


def _write_error(path: Path, doing: str, exc: BaseException) -> StoreError:
    """One line naming the store, what failed and, for a full disk, what to do about it."""
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
        no_room = exc.errno in _NO_ROOM
    else:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        low = detail.lower()
        no_room = any(w in low for w in ("no space", "too large", "file size", "disk"))
        no_room = no_room or isinstance(exc, duckdb.IOException)
    message = f"{doing} {path}: {detail}"
    if no_room:
        message += " - disk full or file too large; the previous store is unchanged"
    return StoreError(message)


def _check_readable(path: Path) -> None:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"store {path} is unreadable ({str(exc).splitlines()[0]})") from None
    try:
        Store(con, path).check_version(writing=True)
    finally:
        con.close()


def _remove(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        with contextlib.suppress(OSError):
            p.unlink()


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
