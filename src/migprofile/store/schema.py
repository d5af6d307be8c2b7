"""The store's schema: DDL, the schema version and the migrations from older versions."""

from __future__ import annotations

from collections.abc import Callable

import duckdb

SCHEMA_VERSION = 4

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS sources (
    source VARCHAR PRIMARY KEY, title VARCHAR, publisher VARCHAR, homepage VARCHAR,
    licence VARCHAR, citation VARCHAR, modelled BOOLEAN, kind VARCHAR, short_name VARCHAR);
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
    sha256 VARCHAR, cell VARCHAR, difference_pct DOUBLE, explanation VARCHAR, partner VARCHAR);
CREATE TABLE IF NOT EXISTS user_indicators (
    indicator VARCHAR PRIMARY KEY, title VARCHAR NOT NULL, unit VARCHAR, definition VARCHAR,
    concept VARCHAR, created_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS national_systems (
    geo VARCHAR PRIMARY KEY, document VARCHAR NOT NULL, file_name VARCHAR, sha256 VARCHAR,
    added_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS observations (
    vintage_id INTEGER NOT NULL, indicator VARCHAR NOT NULL, geo VARCHAR NOT NULL,
    partner VARCHAR NOT NULL, year INTEGER NOT NULL, period VARCHAR NOT NULL, sex VARCHAR NOT NULL,
    age VARCHAR NOT NULL, value DOUBLE, unit VARCHAR, sheet VARCHAR, "row" INTEGER, col VARCHAR,
    note VARCHAR);
"""

# Tables a read-only face needs; the news tables are optional (queries check they exist).
CORE_TABLES = ("sources", "vintages", "geo", "geo_codes", "geo_members", "observations")

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

SOURCE_COLUMNS = (
    "source",
    "title",
    "publisher",
    "homepage",
    "licence",
    "citation",
    "modelled",
    "kind",
    "short_name",
)


def _migrate_0_to_1(con: duckdb.DuckDBPyConnection) -> None:
    """Version 0: a store written before `meta` recorded a version (some tables may be missing).

    Every table is created IF NOT EXISTS, so the tables it has keep their rows."""
    con.execute(SCHEMA)


def _migrate_1_to_2(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2: `sources.short_name`, how a sentence cites the source ("World Bank WDI").

    Sources ingested before it keep an empty short name until the next ingest of the source
    records it; readers fall back to the source's own short name meanwhile."""
    con.execute("ALTER TABLE sources ADD COLUMN IF NOT EXISTS short_name VARCHAR")


def _migrate_2_to_3(con: duckdb.DuckDBPyConnection) -> None:
    """Version 3: `news_figures.partner`, the other country of a checked bilateral claim
    ("527,000 Armenians in Russia": geo RUS, partner ARM). Older rows keep it empty."""
    con.execute("ALTER TABLE news_figures ADD COLUMN IF NOT EXISTS partner VARCHAR")


def _migrate_3_to_4(con: duckdb.DuckDBPyConnection) -> None:
    """Version 4: `user_indicators` (catalogue entries a user's import creates: title, unit,
    definition and the standard concept they measure differently) and `national_systems` (a
    country's national migration data sources, the validated YAML document as JSON)."""
    con.execute(SCHEMA)


# from_version -> function(con) that brings a store from that version to the next one.
# writer() applies them in order when it opens an older store; SCHEMA_VERSION is the last.
MIGRATIONS: dict[int, Callable[[duckdb.DuckDBPyConnection], None]] = {
    0: _migrate_0_to_1,
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}


def q(col: str) -> str:
    """A quoted column name."""
    return f'"{col}"'
