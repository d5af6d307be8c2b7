"""Per-file isolation: a file that fails is reported (file, reason: one line, no traceback) and
nothing of it is stored; every other file of the run is stored, in the one atomic swap; the
exit code is 1 when any file failed. `--strict` keeps all-or-nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest

import fixtures as fx
from conftest import DB_FILE

WDI_CSV_NAME = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_0000001.csv"
BROKEN = "undesa_ims/undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx"


def stored_files(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {r[0] for r in con.execute("SELECT file_name FROM vintages").fetchall()}
    finally:
        con.close()


def error_lines(result) -> list[str]:
    assert "Traceback" not in result.stderr, result.stderr
    return [ln for ln in result.stderr.splitlines() if ln.startswith("error:")]


def failed_lines(stdout: str) -> dict[str, str]:
    """name → reason of every `failed` line."""
    return {Path(p).name: r for p, r in re.findall(r"^failed\s+(/.+?): (.+)$", stdout, re.M)}


def summary(stdout: str) -> str:
    found = re.findall(r"^\d+ ingested, \d+ unchanged, \d+ skipped(?:, \d+ failed)?$", stdout, re.M)
    assert len(found) == 1, stdout
    return found[0]


def _bad_text_in_value(path: Path) -> Path:
    """A WDI long CSV with text in the value column (row 3)."""
    return fx.wdi_long_csv(
        path, rows=((2023, "MDA", "Moldova", 1.0), (2022, "MDA", "Moldova", "oops"))
    )


@pytest.fixture
def folder(tmp_path) -> Path:
    """A good WDI bulk CSV and a broken WDI long CSV."""
    raw = tmp_path / "raw"
    fx.tiny_wdi_bulk_csv(raw / WDI_CSV_NAME)
    _bad_text_in_value(raw / "SP.POP.TOTL.csv")
    return raw


# -- the CLI ----------------------------------------------------------------------------------


def test_one_bad_file_does_not_block_the_others(folder, cli, home):
    result = cli("ingest", "--raw-dir", folder, "--offline")
    assert result.returncode == 1, result.stdout + result.stderr
    assert summary(result.stdout) == "1 ingested, 0 unchanged, 0 skipped, 1 failed"
    failed = failed_lines(result.stdout)
    assert list(failed) == ["SP.POP.TOTL.csv"], result.stdout
    assert failed["SP.POP.TOTL.csv"].startswith("row 3: text 'oops'"), failed
    (line,) = error_lines(result)
    assert str((folder / "SP.POP.TOTL.csv").resolve()) in line and "row 3" in line, line
    assert result.stderr.strip().splitlines()[-1] == line
    db = home / DB_FILE
    assert stored_files(db) == {WDI_CSV_NAME}
    assert fx.store_counts(db) == (1, 4)
    assert not list(home.glob(DB_FILE + ".ingest-*"))

    # the file fixed: only it is stored
    fx.wdi_long_csv(folder / "SP.POP.TOTL.csv")
    again = cli("ingest", "--raw-dir", folder, "--offline")
    assert again.returncode == 0, again.stdout + again.stderr
    assert summary(again.stdout) == "1 ingested, 1 unchanged, 0 skipped"
    assert not error_lines(again) and "failed" not in again.stdout
    assert stored_files(db) == {WDI_CSV_NAME, "SP.POP.TOTL.csv"}


def test_strict_keeps_all_or_nothing(folder, cli, home):
    result = cli("ingest", "--raw-dir", folder, "--offline", "--strict")
    assert result.returncode == 1
    (line,) = error_lines(result)
    assert "SP.POP.TOTL.csv" in line and "row 3" in line
    assert result.stderr.strip().splitlines()[-1] == line
    assert "ingested" not in result.stdout  # the error comes before any report
    assert not (home / DB_FILE).exists()

    # and over an existing store: left byte-for-byte as it was
    good = folder.parent / "good"
    good.mkdir()
    shutil.move(folder / WDI_CSV_NAME, good / WDI_CSV_NAME)
    assert cli("ingest", "--raw-dir", good, "--offline").returncode == 0
    before = (home / DB_FILE).read_bytes()
    fx.tiny_wdi_bulk_csv(folder / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_0000002.csv",
                         {"MDA": (1.0, 2.0)})  # fmt: skip
    result = cli("ingest", "--raw-dir", folder, "--offline", "--strict")
    assert result.returncode == 1 and len(error_lines(result)) == 1
    assert (home / DB_FILE).read_bytes() == before


def test_several_failures_are_each_listed(tmp_path, cli, home):
    raw = tmp_path / "raw"
    fx.tiny_wdi_bulk_csv(raw / WDI_CSV_NAME)
    _bad_text_in_value(raw / "SP.POP.TOTL.csv")
    (raw / fx.DEST_2020_FILE).write_bytes(b"\x00junk" * 200)  # named like UN DESA, not a workbook
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 1
    assert summary(result.stdout) == "1 ingested, 0 unchanged, 0 skipped, 2 failed"
    failed = failed_lines(result.stdout)
    assert set(failed) == {"SP.POP.TOTL.csv", fx.DEST_2020_FILE}, result.stdout
    assert "not a readable Excel workbook" in failed[fx.DEST_2020_FILE]
    (line,) = error_lines(result)
    assert line.startswith("error: 2 files failed") and fx.DEST_2020_FILE in line, line
    assert stored_files(home / DB_FILE) == {WDI_CSV_NAME}


def test_only_failures_and_no_store_creates_none(tmp_path, cli, home):
    raw = tmp_path / "raw"
    _bad_text_in_value(raw / "SP.POP.TOTL.csv")
    result = cli("ingest", "--raw-dir", raw, "--offline")
    assert result.returncode == 1
    assert summary(result.stdout) == "0 ingested, 0 unchanged, 0 skipped, 1 failed"
    assert not (home / DB_FILE).exists()
    assert not list(home.glob(DB_FILE + ".ingest-*"))


# -- the library ------------------------------------------------------------------------------


def test_library_stores_the_good_files_then_raises_with_the_report(folder, home):
    from migprofile.errors import ParseError
    from migprofile.ingest import IngestFailed, ingest

    db = home / DB_FILE
    with pytest.raises(IngestFailed) as err:
        ingest(raw_dir=folder, offline=True, db=db)
    report = err.value.report
    assert isinstance(err.value, ParseError)  # callers catching a parse error still do
    assert [Path(p).name for p, *_ in report.ingested] == [WDI_CSV_NAME]
    ((path, reason),) = report.failed
    assert Path(path).name == "SP.POP.TOTL.csv"
    assert reason.startswith("row 3: ") and path not in reason
    assert err.value.path == path and err.value.row == 3
    assert stored_files(db) == {WDI_CSV_NAME}


def test_library_strict_raises_the_parse_error_and_stores_nothing(folder, home):
    from migprofile.errors import ParseError
    from migprofile.ingest import IngestFailed, ingest

    db = home / DB_FILE
    with pytest.raises(ParseError) as err:
        ingest(raw_dir=folder, offline=True, db=db, strict=True)
    assert not isinstance(err.value, IngestFailed)
    assert not db.exists()


def test_a_failed_file_leaves_no_geography_behind(tmp_path, home):
    """The bad file registers a World Bank aggregate (ECS) before it fails; the good file read
    after it uses ECS too: the aggregate must still be stored, with the good file's vintage."""
    from migprofile.errors import MigprofileError
    from migprofile.ingest import ingest

    raw = tmp_path / "raw"
    ecs_then_text = ((2023, "ECS", "Europe & Central Asia", 1.0), (2022, "MDA", "Moldova", "oops"))
    fx.wdi_long_csv(raw / "a_bad.csv", code="SP.POP.TOTL", rows=ecs_then_text)
    fx.wdi_long_csv(raw / "b_good.csv", code="SM.POP.NETM")
    db = home / DB_FILE
    with pytest.raises(MigprofileError):
        ingest(raw_dir=raw, offline=True, db=db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT v.file_name FROM geo g JOIN vintages v USING (vintage_id) "
            "WHERE g.geo = 'wb-ecs'"
        ).fetchall()
    finally:
        con.close()
    assert rows == [("b_good.csv",)]


# -- acceptance: the real folder with one broken file -------------------------------------------


@pytest.mark.integration
def test_real_folder_with_one_broken_file(shared_data, shared_store_path, tmp_path, run_cli):
    raw = tmp_path / "data"
    shutil.copytree(shared_data, raw)
    for p in raw.rglob("*"):
        p.chmod(0o755 if p.is_dir() else 0o644)
    (raw / BROKEN).write_bytes(b"\x00 not a workbook " * 64)  # junk bytes
    home = tmp_path / "home"

    broken = run_migprofile_ingest(run_cli, raw, home)
    assert broken.returncode == 1, broken.stdout + broken.stderr
    assert summary(broken.stdout) == "29 ingested, 0 unchanged, 1 skipped, 1 failed"
    assert list(failed_lines(broken.stdout)) == [Path(BROKEN).name]
    (line,) = error_lines(broken)
    assert str((raw / BROKEN).resolve()) in line, line
    db = home / DB_FILE
    expected = stored_files(shared_store_path)
    assert stored_files(db) == expected - {Path(BROKEN).name}

    shutil.copyfile(shared_data / BROKEN, raw / BROKEN)
    fixed = run_migprofile_ingest(run_cli, raw, home)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert summary(fixed.stdout) == "1 ingested, 29 unchanged, 1 skipped"
    assert re.search(rf"^ingested\s.*{re.escape(Path(BROKEN).name)}\s*$", fixed.stdout, re.M)
    assert stored_files(db) == expected
    assert fx.store_counts(db) == fx.store_counts(shared_store_path)  # the same as one clean ingest


def run_migprofile_ingest(run_cli, raw: Path, home: Path):
    return run_cli("ingest", "--raw-dir", raw, "--offline", home=home, timeout=900)
