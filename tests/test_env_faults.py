"""Environment faults: an unwritable data home, a full disk during ingest, a corrupt store, a
store from a newer schema, and an older store that the next ingest migrates.

Each ends in one clear `error:` line (exit 1, no traceback) and the previous store unchanged.
Runs as root too: the unwritable home is a path under a regular file, which even root cannot
create, and the full disk is RLIMIT_FSIZE, which applies to root.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from fixtures import tiny_wdi_bulk_csv
from migprofile.store import MIGRATIONS, SCHEMA_VERSION

DB = "migprofile.duckdb"
WDI_CSV_NAME = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_0000001.csv"
GROWTH_SET = (  # real files that make the store grow well past its first size
    "worldbank_wdi/personal-remittances-paid.xls",
    "worldbank_wdi/ONE_wdi_SP.POP.TOTL.csv",
)


def error_line(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("error:")]
    assert len(errors) == 1, result.stderr
    assert lines[-1] == errors[0], result.stderr
    return errors[0]


def leftovers(home: Path) -> list[Path]:
    return sorted(home.glob(DB + ".ingest-*"))


def query(db: Path, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def stored(home, cli, tmp_path) -> Path:
    """A store with the tiny WDI file ingested; returns its path."""
    raw = tiny_wdi_bulk_csv(tmp_path / "raw" / WDI_CSV_NAME).parent
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 0, result.stderr
    return home / DB


def get_mda(cli):
    return cli("get", "wdi:BX.TRF.PWKR.CD.DT", "MDA", "--year", "2020", "--format", "json")


# -- (a) the data home cannot be written --------------------------------------------------------


def test_unwritable_data_home_gives_clear_error(tmp_path, run_cli):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file: nothing can be created under it, not even by root\n")
    home = blocker / "home"
    raw = tiny_wdi_bulk_csv(tmp_path / "raw" / WDI_CSV_NAME).parent
    line = error_line(run_cli("ingest", "--raw-dir", raw, "--offline", home=home))
    assert str(home) in line and "MIGPROFILE_HOME" in line
    assert blocker.read_text().startswith("a regular file")

    line = error_line(run_cli("get", "immigrant_stock", "MDA", home=home))
    assert "no store" in line


def test_read_only_store_dir_still_serves(stored, cli, home):
    """Reading needs no write access: a read-only home (as far as chmod goes) still serves."""
    os.chmod(home, 0o555)
    try:
        result = get_mda(cli)
        assert result.returncode == 0, result.stderr
        assert "1850000000" in result.stdout.replace(".0", "").replace(",", "")
    finally:
        os.chmod(home, 0o755)


# -- (b) disk full (a file-size limit) during ingest ------------------------------------------


def _ingest_with_fsize_limit(raw: Path, home: Path, env: dict, limit: int):
    def limit_file_size():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(raw), "--offline"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
        preexec_fn=limit_file_size,
    )


def _assert_store_unchanged(db: Path, before: bytes, home: Path, cli) -> None:
    assert db.read_bytes() == before, "the previous store must be byte-identical"
    assert not leftovers(home), leftovers(home)
    assert not list(home.glob(DB + ".ingest-*.wal"))
    result = get_mda(cli)
    assert result.returncode == 0, result.stderr


def test_disk_full_while_copying_store_unchanged(stored, home, cli, cli_environ, tmp_path):
    before = stored.read_bytes()
    raw = tiny_wdi_bulk_csv(tmp_path / "raw2" / WDI_CSV_NAME, {"MDA": (1.0, 2.0)}).parent
    result = _ingest_with_fsize_limit(raw, home, cli_environ(home), len(before) // 2)
    line = error_line(result)
    assert str(stored) in line and "disk full or file too large" in line
    _assert_store_unchanged(stored, before, home, cli)


def test_disk_full_while_writing_store_unchanged(
    stored, home, cli, cli_environ, tmp_path, shared_data
):
    before = stored.read_bytes()
    raw = tmp_path / "grow"
    raw.mkdir()
    for rel in GROWTH_SET:
        shutil.copy(shared_data / rel, raw)
    # room for the copy, not for what the new files add: DuckDB's own writes hit the limit
    result = _ingest_with_fsize_limit(raw, home, cli_environ(home), len(before) + 64 * 1024)
    line = error_line(result)
    assert str(stored) in line and "disk full or file too large" in line
    _assert_store_unchanged(stored, before, home, cli)

    ok = cli("ingest", "--raw-dir", raw, "--offline")  # with room again it succeeds
    assert ok.returncode == 0, ok.stderr
    assert not leftovers(home)


# -- (c) a store corrupted under the reader ---------------------------------------------------


def test_store_corrupted_after_ingest_gives_clear_error(stored, home, cli, tmp_path):
    data = bytearray(stored.read_bytes())
    data[12288:] = os.urandom(len(data) - 12288)  # keep the file headers, garble every block
    stored.write_bytes(bytes(data))
    line = error_line(get_mda(cli))
    assert str(stored) in line and "store" in line

    raw = tiny_wdi_bulk_csv(tmp_path / "raw2" / WDI_CSV_NAME, {"MDA": (1.0, 2.0)}).parent
    line = error_line(cli("ingest", "--raw-dir", raw, "--offline"))
    assert str(stored) in line
    assert stored.read_bytes() == bytes(data)
    assert not leftovers(home)


# -- (d) a store from a newer migprofile --------------------------------------------------------


def test_newer_schema_refused_and_store_untouched(stored, home, cli, tmp_path, sha256):
    con = duckdb.connect(str(stored))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.execute("CHECKPOINT")
    con.close()
    digest = sha256(stored)
    line = error_line(get_mda(cli))
    assert "newer" in line and "upgrade migprofile" in line
    raw = tiny_wdi_bulk_csv(tmp_path / "raw2" / WDI_CSV_NAME, {"MDA": (1.0, 2.0)}).parent
    line = error_line(cli("ingest", "--raw-dir", raw, "--offline"))
    assert "newer" in line
    assert sha256(stored) == digest
    assert not leftovers(home)


# -- schema version and migration path -------------------------------------------------------


def _make_version_0(db: Path, drop: tuple[str, ...]) -> None:
    """The shape of a store written before the version row existed."""
    con = duckdb.connect(str(db))
    con.execute("DELETE FROM meta")
    for table in drop:
        con.execute(f"DROP TABLE {table}")
    con.execute("CHECKPOINT")
    con.close()


def test_migrations_cover_every_older_version():
    assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))


def test_version_0_store_is_read_and_upgraded_by_next_ingest(stored, home, cli, tmp_path):
    obs_before = query(stored, "SELECT * FROM observations ORDER BY ALL")
    _make_version_0(stored, drop=("news_figures",))
    assert not query(stored, "SELECT * FROM meta")

    assert get_mda(cli).returncode == 0  # reading an older store works: its tables exist

    raw = tiny_wdi_bulk_csv(tmp_path / "raw2" / WDI_CSV_NAME, {"MDA": (1.0, 2.0)}).parent
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 0, result.stderr
    assert "1 ingested" in result.stdout, result.stdout
    assert query(stored, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    tables = {r[0] for r in query(stored, "SELECT table_name FROM information_schema.tables")}
    assert "news_figures" in tables
    assert query(stored, "SELECT count(*) FROM vintages") == [(2,)]
    obs_after = query(stored, "SELECT * FROM observations WHERE vintage_id = 1 ORDER BY ALL")
    assert obs_after == obs_before  # the old vintage's data survives the migration
    assert not leftovers(home)


def test_older_store_missing_a_needed_table_still_reads_and_upgrades(stored, home, cli, tmp_path):
    _make_version_0(stored, drop=("geo_members",))
    result = get_mda(cli)  # the missing table reads as empty
    assert result.returncode == 0, result.stderr

    raw = tiny_wdi_bulk_csv(tmp_path / "raw2" / WDI_CSV_NAME, {"MDA": (1.0, 2.0)}).parent
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 0, result.stderr
    tables = {r[0] for r in query(stored, "SELECT table_name FROM information_schema.tables")}
    assert "geo_members" in tables
    assert query(stored, "SELECT count(*) FROM geo_members")[0][0] > 0  # built-in groups back
    assert get_mda(cli).returncode == 0


def _make_version_1(db: Path) -> None:
    """The shape of a store written before `sources.short_name` (schema version 1)."""
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE sources DROP COLUMN short_name")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.execute("CHECKPOINT")
    con.close()


def test_version_1_store_reads_and_next_ingest_adds_short_names(stored, home, cli, tmp_path):
    from migprofile.store import Store

    assert query(stored, "SELECT source, short_name FROM sources") == [("wdi", "World Bank WDI")]
    _make_version_1(stored)
    with Store.open(stored) as store:  # read-only: no column, no short names, no error
        assert store.schema_version() == 1
        assert store.short_names() == {}
        assert [r["short_name"] for r in store.source_rows()] == [None]
    assert get_mda(cli).returncode == 0

    raw = tiny_wdi_bulk_csv(tmp_path / "raw2" / WDI_CSV_NAME, {"MDA": (1.0, 2.0)}).parent
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 0, result.stderr
    assert query(stored, "SELECT value FROM meta WHERE key = 'schema_version'") == [
        (str(SCHEMA_VERSION),)
    ]
    assert query(stored, "SELECT source, short_name FROM sources") == [("wdi", "World Bank WDI")]
    assert query(stored, "SELECT count(*) FROM vintages") == [(2,)]
