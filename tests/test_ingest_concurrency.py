"""Two ingests of one store: the writer lock is taken before what is new is decided, so a second
ingest waits (saying so) and then finds the files stored: never a file stored twice."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

import fixtures as fx
from conftest import DB_FILE

WDI_CSV_NAME = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_0000001.csv"
SUMMARY = re.compile(r"^(\d+) ingested, (\d+) unchanged, (\d+) skipped$", re.M)


def counts(db: Path) -> tuple[int, int, int]:
    """(vintages, distinct files by sha256, observations)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM vintages), (SELECT count(DISTINCT sha256) FROM vintages),"
            " (SELECT count(*) FROM observations)"
        ).fetchone()
    finally:
        con.close()


def fixture_folder(raw: Path) -> Path:
    """Four small publisher files in four layouts."""
    fx.tiny_wdi_bulk_csv(raw / WDI_CSV_NAME)
    fx.wdi_long_csv(raw)
    fx.wdi_bulk_xls(raw)
    fx.undesa_destination_2020(raw)
    return raw


def start_ingest(raw: Path, home: Path, env: dict[str, str], log: Path, *extra: str):
    cmd = [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(raw), "--offline"]
    out = log.with_suffix(".out").open("w", encoding="utf-8")
    err = log.with_suffix(".err").open("w", encoding="utf-8")
    proc = subprocess.Popen([*cmd, *extra], stdout=out, stderr=err, env=env)
    return proc, out, err


def finish(started, timeout: float) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of each started ingest."""
    results = []
    for proc, out, err in started:
        try:
            proc.wait(timeout=timeout)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            out.close()
            err.close()
        text = Path(out.name).read_text(encoding="utf-8")
        results.append((proc.returncode, text, Path(err.name).read_text(encoding="utf-8")))
    return results


def summaries(results) -> list[tuple[int, int, int]]:
    found = []
    for code, out, err in results:
        assert code == 0, out + err
        assert "Traceback" not in err, err
        m = SUMMARY.search(out)
        assert m, out
        found.append((int(m[1]), int(m[2]), int(m[3])))
    return found


def test_two_ingests_started_together_store_each_file_once(tmp_path, cli_environ, run_cli):
    raw = fixture_folder(tmp_path / "raw")
    n_files = len(list(raw.iterdir()))
    home = tmp_path / "home"
    env = cli_environ(home)
    started = [start_ingest(raw, home, env, tmp_path / f"run{i}", "--wait", "120") for i in (1, 2)]
    got = summaries(finish(started, timeout=300))
    assert sorted(got) == [(0, n_files, 0), (n_files, 0, 0)], got
    after_both = counts(home / DB_FILE)
    assert after_both[0] == after_both[1] == n_files

    once = run_cli("ingest", "--raw-dir", raw, "--offline", home=tmp_path / "once")
    assert once.returncode == 0, once.stderr
    assert counts(tmp_path / "once" / DB_FILE) == after_both


def test_a_waiting_ingest_decides_again_under_the_lock(tmp_path, home, cli_environ):
    """B starts while the lock is held, says it waits; meanwhile the holder stores every file.
    Once the lock is free B finds them all stored: it decided what was new under the lock."""
    from migprofile.ingest import ingest
    from migprofile.store.writer import writer_lock

    raw = fixture_folder(tmp_path / "raw")
    n_files = len(list(raw.iterdir()))
    db = home / DB_FILE
    log = tmp_path / "b"
    with writer_lock(db, timeout=0):
        started = [start_ingest(raw, home, cli_environ(home), log, "--wait", "120")]
        deadline = time.monotonic() + 120
        while "waiting for another ingest to finish" not in log.with_suffix(".err").read_text():
            assert started[0][0].poll() is None, log.with_suffix(".err").read_text()
            assert time.monotonic() < deadline, "the second ingest never said it waits"
            time.sleep(0.05)
        report = ingest(raw_dir=raw, offline=True, db=db)  # the lock is re-entrant in-process
        assert len(report.ingested) == n_files
        before = counts(db)
        time.sleep(0.3)
        assert started[0][0].poll() is None, "the second ingest did not wait for the lock"
    ((code, out, err),) = finish(started, timeout=300)
    assert summaries([(code, out, err)]) == [(0, n_files, 0)]
    assert "waiting for another ingest to finish" in err
    assert counts(db) == before


@pytest.mark.integration
def test_two_ingests_of_the_real_folder(shared_data, shared_store_path, tmp_path, cli_environ):
    home = tmp_path / "home"
    env = cli_environ(home)
    started = [
        start_ingest(shared_data, home, env, tmp_path / f"run{i}", "--wait", "900") for i in (1, 2)
    ]
    results = finish(started, timeout=900)
    got = summaries(results)
    (n_files, _, n_skipped), _other = sorted(got, reverse=True)
    assert sorted(got) == [(0, n_files, n_skipped), (n_files, 0, n_skipped)], got
    db = home / DB_FILE
    assert counts(db) == counts(shared_store_path)  # rows after both = rows after one
