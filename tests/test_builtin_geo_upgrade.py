"""A store written by an older migprofile (without this version's built-in groups) gets the
code-defined geography rewritten on the next ingest, even when no file is new."""

from __future__ import annotations

import duckdb

from fixtures import tiny_wdi_bulk_csv
from migprofile.ingest import ingest
from migprofile.store import Store


def _eu_members(db) -> int:
    with Store.open(db, read_only=True) as store:
        return len(store.group_members().get("eu27_2020", []))


def test_an_old_store_gets_the_new_groups_without_new_files(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    tiny_wdi_bulk_csv(raw / "API_SP.POP.TOTL_DS2_en_csv_v2_1.csv")
    db = tmp_path / "store.duckdb"
    first = ingest(raw_dir=raw, offline=True, db=db)
    assert len(first.ingested) == 1
    assert _eu_members(db) == 27
    # what an older version left: no EU group, no fingerprint of the built-in geography
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM geo_members WHERE group_geo = 'eu27_2020' AND vintage_id IS NULL")
    con.execute("DELETE FROM meta WHERE key = 'builtin_geo'")
    con.close()
    assert _eu_members(db) == 0
    again = ingest(raw_dir=raw, offline=True, db=db)
    assert (len(again.ingested), len(again.unchanged)) == (0, 1)
    assert _eu_members(db) == 27
    with Store.open(db, read_only=True) as store:
        assert store.builtin_geo_current()
