"""The connection: opening, schema version checks and the generic ways to run SQL.

Every statement the store runs goes through `_rows`, `_first`, `query` or `batches`, which turn
a damaged file (DuckDB's "corrupt" errors) into a StoreError naming what to do.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self

import duckdb
import pyarrow as pa

from migprofile import config
from migprofile.errors import StoreError
from migprofile.store.schema import CORE_TABLES, MIGRATIONS, SCHEMA, SCHEMA_VERSION

Args = Sequence[Any] | None


@dataclass
class VintageInfo:
    vintage_id: int
    source: str
    edition: str
    sha256: str
    file_name: str


@contextlib.contextmanager
def mapped_errors() -> Iterator[None]:
    """A damaged store surfaces only when a query reads the bad block: say so in one line."""
    try:
        yield
    except duckdb.Error as exc:
        if "corrupt" in str(exc).lower():
            message = str(exc).splitlines()[0]
            raise StoreError(
                f"the store is damaged ({message}); "
                "re-run `migprofile ingest` into a fresh MIGPROFILE_HOME"
            ) from None
        raise


CHUNK_ROWS = 2000


def pylist(table: pa.Table) -> list[dict]:
    """`table.to_pylist()`, CHUNK_ROWS rows at a time. One conversion holds the GIL from start
    to end (half a second for a whole bilateral indicator); in chunks, the requests a warming
    thread shares the process with get their turn between them."""
    rows: list[dict] = []
    for batch in table.to_batches(max_chunksize=CHUNK_ROWS):
        rows.extend(batch.to_pylist())
    return rows


class StoreCore:
    """A DuckDB connection (or cursor) on the store file, and the SQL primitives."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: Path):
        self.con = con
        self.path = path
        self._harmoniser: Any = None
        self._user_indicators: list[dict] | None = None
        # what is known about this file once, shared with its cursors (the file never changes
        # under an open connection: a write is a copy swapped in)
        self.memo: dict[str, Any] = {}
        self.read_only = False  # set by open(); a writer's copy changes under its own reads

    # -- running SQL (the only place statements are executed) -------------------------------
    def _exec(self, sql: str, args: Args = None) -> None:
        with mapped_errors():
            self.con.execute(sql, list(args or []))

    def _rows(self, sql: str, args: Args = None) -> list[tuple]:
        """Every row as tuples (DuckDB 2 wants every result consumed before the next query),
        fetched CHUNK_ROWS at a time so the GIL is free between chunks (see `pylist`)."""
        with mapped_errors():
            result = self.con.execute(sql, list(args or []))
            rows: list[tuple] = []
            while chunk := result.fetchmany(CHUNK_ROWS):
                rows.extend(chunk)
            return rows

    def _first(self, sql: str, args: Args = None) -> tuple | None:
        """First row or None."""
        rows = self._rows(sql, args)
        return rows[0] if rows else None

    def query_dicts(self, sql: str, args: Args = None) -> list[dict]:
        """The result of a read query as dicts (`pylist` of `query`)."""
        return pylist(self.query(sql, args))

    def query(self, sql: str, args: Args = None) -> pa.Table:
        """The result of a read query as an Arrow table (what indicators.query compiles)."""
        with mapped_errors():
            return self.con.sql(sql, params=list(args) if args else None).to_arrow_table()

    def batches(self, sql: str, args: Args = None, batch_size: int = 5000) -> Iterator[dict]:
        """The rows of a read query as dicts, fetched `batch_size` at a time on a cursor of its
        own: a full export never sits in memory."""
        with mapped_errors():
            cur = self.con.cursor()
        try:
            with mapped_errors():
                cur.execute(sql, list(args or []))
                names = [d[0] for d in cur.description]
            while True:
                with mapped_errors():
                    batch = cur.fetchmany(batch_size)
                if not batch:
                    break
                for row in batch:
                    yield dict(zip(names, row, strict=True))
        finally:
            cur.close()

    def _has_table(self, name: str) -> bool:
        return bool(
            self._rows("SELECT 1 FROM information_schema.tables WHERE table_name = ?", [name])
        )

    def _has_column(self, table: str, column: str) -> bool:
        return bool(
            self._rows(
                "SELECT 1 FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
                [table, column],
            )
        )

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path | None = None, *, read_only: bool = True) -> Self:
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
        store.read_only = read_only
        if read_only:
            try:
                store.check_version()
            except StoreError:
                con.close()
                raise
        return store

    def cursor(self) -> Self:
        """A Store on a new cursor of this connection (for another thread); close() it."""
        store = type(self)(self.con.cursor(), self.path)
        store.memo, store.read_only = self.memo, self.read_only
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- schema version ----------------------------------------------------------------------
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
        self._exec(SCHEMA)
        self._exec(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
        )
