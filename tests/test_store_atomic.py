"""The store is written atomically: re-ingest adds nothing, a killed ingest leaves it as it was,
and a store from a newer version or a corrupt file gives a clear error instead of a traceback.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from fixtures import store_counts, tiny_wdi_bulk_csv

DB = "migprofile.duckdb"
WDI_CSV_NAME = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_0000001.csv"
KILL_SET = (  # several real files: parsing them takes a second or two, storing them a while
    "undesa_ims/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
    "undesa_ims/undesa_pd_2019_migrant_stock_total_dataset.xlsx",
    "undesa_ims/gdiviz_undesa_ims2020_bilateral_stocks_by_sex.csv",
    "worldbank_wdi/personal-remittances-paid.xls",
    "worldbank_wdi/remittances-received-percent-gdp.xls",
    "worldbank_wdi/API_SM.POP.NETM_DS2_en_excel_v2_782.xls",
)
FIRST_SET = ("worldbank_wdi/sending-cost-to-country.xls",)


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


# -- (a) ingesting twice adds nothing ----------------------------------------------------------


def test_ingest_twice_adds_nothing(home, cli, tmp_path, sha256):
    raw = tiny_wdi_bulk_csv(tmp_path / "raw" / WDI_CSV_NAME).parent
    first = cli("ingest", "--raw-dir", raw, "--offline")
    assert first.returncode == 0, first.stderr
    assert "1 ingested, 0 unchanged" in first.stdout, first.stdout
    db = home / DB
    before = store_counts(db)
    assert before == (1, 4)
    digest = sha256(db)

    second = cli("ingest", "--raw-dir", raw, "--offline")
    assert second.returncode == 0, second.stderr
    assert "0 ingested, 1 unchanged" in second.stdout, second.stdout
    assert "unchanged" in second.stdout and WDI_CSV_NAME in second.stdout
    assert store_counts(db) == before
    assert sha256(db) == digest
    assert not leftovers(home)


def test_same_file_under_another_name_is_not_ingested_twice(home, cli, tmp_path):
    raw = tiny_wdi_bulk_csv(tmp_path / "raw" / WDI_CSV_NAME).parent
    shutil.copyfile(raw / WDI_CSV_NAME, raw / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_copy.csv")
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 0, result.stderr
    assert "1 ingested, 1 unchanged" in result.stdout, result.stdout
    assert store_counts(home / DB) == (1, 4)


# -- (b) SIGKILL midway -----------------------------------------------------------------------


def _kill_once_writing(cmd, env, home: Path, delay: float, log: Path) -> str | None:
    """Start the ingest and SIGKILL it once its temp copy of the store exists.

    None when killed while writing, else why not (it ended, or failed, before that)."""
    with log.open("w") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env)
        try:
            deadline = time.monotonic() + 60
            while proc.poll() is None and not leftovers(home) and time.monotonic() < deadline:
                time.sleep(0.002)
            if proc.poll() is None and leftovers(home):
                time.sleep(delay)  # let it write into the copy
                os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=30)
    if proc.returncode == -signal.SIGKILL and leftovers(home):
        return None
    return f"exit {proc.returncode}: {log.read_text()[-2000:]}"


def test_sigkill_during_ingest_leaves_store_intact(home, cli, cli_environ, tmp_path, shared_data):
    first_raw = tmp_path / "first"
    first_raw.mkdir()
    for rel in FIRST_SET:
        shutil.copy(shared_data / rel, first_raw)
    first = cli("ingest", "--raw-dir", first_raw, "--offline")
    assert first.returncode == 0, first.stderr
    db = home / DB
    before_bytes = db.read_bytes()
    before_counts = store_counts(db)

    raw = tmp_path / "many"
    raw.mkdir()
    for rel in (*FIRST_SET, *KILL_SET):
        shutil.copy(shared_data / rel, raw)
    cmd = [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(raw), "--offline"]
    why = []
    for delay in (0.05, 0.01, 0.0):
        why.append(_kill_once_writing(cmd, cli_environ(home), home, delay, tmp_path / "err.log"))
        if why[-1] is None:
            break
        # it finished (or failed) before the kill: put the old store back and try sooner
        for p in leftovers(home):
            p.unlink()
        db.write_bytes(before_bytes)
    else:
        pytest.fail("could not catch the ingest while it was writing:\n" + "\n".join(why))

    assert leftovers(home), "a killed ingest leaves its temp copy behind"
    assert db.read_bytes() == before_bytes
    assert store_counts(db) == before_counts
    got = cli("get", "wdi:SI.RMT.COST.IB.ZS", "MDA", "--year", "2020", "--format", "json")
    assert got.returncode == 0, got.stderr
    assert db.read_bytes() == before_bytes

    again = cli("ingest", "--raw-dir", raw, "--offline")
    assert again.returncode == 0, again.stderr
    summary = re.search(r"^(\d+) ingested, 1 unchanged", again.stdout, re.M)
    assert summary and int(summary[1]) >= 1, again.stdout
    assert not leftovers(home), leftovers(home)
    after = store_counts(db)
    assert after[0] == before_counts[0] + int(summary[1])
    assert after[1] > before_counts[1]


# -- another writer holds the lock --------------------------------------------------------------


def test_concurrent_ingest_is_refused(home, cli, tmp_path):
    """--wait 0: refused at once; otherwise it says it waits, then gives up with one line."""
    raw = tiny_wdi_bulk_csv(tmp_path / "raw" / WDI_CSV_NAME).parent
    with open(home / (DB + ".lock"), "a+") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        at_once = cli("ingest", "--raw-dir", raw, "--offline", "--wait", "0")
        started = time.monotonic()
        waited = cli("ingest", "--raw-dir", raw, "--offline", "--wait", "1.5")
        elapsed = time.monotonic() - started
    line = error_line(at_once)
    assert "another ingest" in line
    assert "waiting" not in at_once.stderr
    line = error_line(waited)
    assert "another ingest" in line and "1.5 s" in line, line
    assert "waiting for another ingest to finish" in waited.stderr, waited.stderr
    assert elapsed >= 1.5
    assert not (home / DB).exists()
    assert not leftovers(home)


# -- (c) a store from a newer migprofile ------------------------------------------------------


def _store_with_version(db: Path, version: str) -> None:
    from migprofile.store import SCHEMA

    con = duckdb.connect(str(db))
    try:
        con.execute(SCHEMA)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [version])
        con.execute("CHECKPOINT")
    finally:
        con.close()


def test_newer_schema_version_is_refused(home, cli, tmp_path, sha256):
    db = home / DB
    _store_with_version(db, "99")
    digest = sha256(db)
    line = error_line(cli("get", "immigrant_stock", "MDA"))
    assert "newer" in line and "99" in line
    line = error_line(cli("sources"))
    assert "newer" in line

    raw = tiny_wdi_bulk_csv(tmp_path / "raw" / WDI_CSV_NAME).parent
    line = error_line(cli("ingest", "--raw-dir", raw, "--offline"))
    assert "newer" in line
    assert sha256(db) == digest
    assert not leftovers(home)


# -- (d) a corrupt store file -----------------------------------------------------------------


@pytest.mark.parametrize(
    "content", [os.urandom(64 * 1024), b"", b"DUCK" * 100], ids=["random", "empty", "short"]
)
def test_corrupt_store_gives_clear_error(content, home, cli, tmp_path, sha256):
    db = home / DB
    db.write_bytes(content)
    line = error_line(cli("get", "immigrant_stock", "MDA"))
    assert str(db) in line
    assert "store" in line

    raw = tiny_wdi_bulk_csv(tmp_path / "raw" / WDI_CSV_NAME).parent
    line = error_line(cli("ingest", "--raw-dir", raw, "--offline"))
    assert str(db) in line
    assert db.read_bytes() == content
    assert not leftovers(home)
