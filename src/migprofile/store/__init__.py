"""The store: the only package that speaks SQL.

    schema.py    DDL, the schema version, migrations from older stores
    writer.py    the atomic copy-and-swap writer (fsync, lock, full-disk errors)
    core.py      the connection, version checks and the generic SQL primitives
                 (`query(sql, args)` → Arrow, `batches(sql, args, n)` → dicts)
    facade.py    `Store`, composed of the groups below
    reads.py     geo resolution, geography, sources and provenance, coverage
    writes.py    an ingest's rows (inside `writer()` only)
    editions.py  edition pairs, diff, two compiled indicator queries side by side
    news.py      news items, tags and checked figures
    national.py  national data system documents (JSON), one per country

It imports no source, no pipeline and no indicator: indicator SQL is compiled by
`migprofile.indicators.query` and executed here through `query`/`batches`.
"""

from __future__ import annotations

from migprofile.store.core import VintageInfo, mapped_errors, pylist
from migprofile.store.facade import Store
from migprofile.store.schema import (
    CORE_TABLES,
    MIGRATIONS,
    OBS_COLUMNS,
    SCHEMA,
    SCHEMA_VERSION,
    SOURCE_COLUMNS,
)
from migprofile.store.writer import writer

__all__ = [
    "CORE_TABLES",
    "MIGRATIONS",
    "OBS_COLUMNS",
    "SCHEMA",
    "SCHEMA_VERSION",
    "SOURCE_COLUMNS",
    "Store",
    "VintageInfo",
    "mapped_errors",
    "pylist",
    "writer",
]
