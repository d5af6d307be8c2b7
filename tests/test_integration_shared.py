"""End to end on the real publisher files in ../shared/data, through the `migprofile` CLI.

One ingest of the whole folder per session (conftest `shared_ingest`), copied into this module's
tmp home; every test reads from that store.
The files are only read in place, never copied into the repository.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

GDIVIZ = "undesa_ims/gdiviz_undesa_ims2020_bilateral_stocks_by_sex.csv"
HEX64 = re.compile(r"^[0-9a-f]{64}$")


def _ingested_paths(stdout: str) -> list[Path]:
    return [Path(m) for m in re.findall(r"^ingested\s+.*?\s\d+ rows\s+(.+?)\s*$", stdout, re.M)]


@pytest.fixture(scope="module")
def store(shared_data, shared_ingest, run_cli, tmp_path_factory):
    """(home, ingest result, import result) after one ingest and one `import` of the folder.

    The ingest is the session's one CLI ingest of the folder (conftest `shared_ingest`),
    copied into this module's home; the `import` then writes to that copy."""
    from conftest import DB_FILE, copy_store

    home = tmp_path_factory.mktemp("integration_home")
    copy_store(shared_ingest.db, home / DB_FILE)
    ingest = shared_ingest.result
    imported = run_cli(
        "import", shared_data / GDIVIZ,
        "--indicator", "migrant_stock", "--geo-col", "to", "--partner-col", "from",
        "--year-col", "t", "--sex-col", "sex", "--value-col", "v", "--unit", "persons",
        "--source-name", "IOM GMDAC gdiviz extract of UN DESA IMS 2020", "--edition", "2020",
        "--licence", "not stated in the extract",
        home=home,
    )  # fmt: skip
    return home, ingest, imported


@pytest.fixture(scope="module")
def get_json(store, run_cli):
    home = store[0]

    def get(*args: str) -> list[dict]:
        result = run_cli("get", *args, "--format", "json", home=home)
        assert result.returncode == 0, result.stderr
        rows = json.loads(result.stdout)
        assert rows, f"no rows for get {args}"
        for row in rows:
            assert {"source", "edition", "sha256"} <= row.keys()
        return rows

    return get


def _one(rows: list[dict]) -> dict:
    assert len(rows) == 1, rows
    return rows[0]


def _wdi_cell(xls: Path, code: str, year: str) -> float:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(xls)).get_sheet_by_name("Data").to_python()
    header_at = next(i for i, r in enumerate(rows) if "Country Code" in r)
    header = [str(c) for c in rows[header_at]]
    code_col = header.index("Country Code")
    year_col = next(j for j, c in enumerate(header) if c in (year, f"{year}.0"))
    (row,) = [r for r in rows[header_at + 1 :] if r[code_col] == code]
    value = row[year_col]
    assert isinstance(value, float)
    return value


# -- ingest report ----------------------------------------------------------------------------


def _reported(stdout: str, status: str) -> set[str]:
    if status == "ingested":
        return {p.name for p in _ingested_paths(stdout)}
    pattern = {"unchanged": r"^unchanged\s.*?\s(/\S.*?) \(same sha256\)\s*$",
               "skipped": r"^skipped\s+(.+?): .*$"}[status]  # fmt: skip
    return {Path(m).name for m in re.findall(pattern, stdout, re.M)}


def test_ingest_reports_every_file(store, shared_data):
    """Each publisher file is listed once, as ingested or skipped (with its reason)."""
    _, ingest, _ = store
    out = ingest.stdout
    assert "Traceback" not in ingest.stderr
    files = {p.name for p in shared_data.rglob("*") if p.is_file() and not p.name.startswith(".")}
    ingested, skipped = _reported(out, "ingested"), _reported(out, "skipped")
    reported = ingested | skipped | _reported(out, "unchanged")
    assert not ingested & skipped
    # every data file is accounted for; SOURCES.md may be ignored or listed as skipped
    assert {f for f in files if not f.endswith(".md")} <= reported <= files, out
    summary = re.search(r"^(\d+) ingested, (\d+) unchanged, (\d+) skipped$", out, re.M)
    assert summary, out
    assert (int(summary[1]), int(summary[3])) == (len(ingested), len(skipped))
    # the IDMC export is reported too (skipped while there was no IDMC source, ingested since)
    assert "IDMC_Internal_Displacement_Conflict-Violence_Disasters.xlsx" in ingested | skipped
    for name in (
        "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
        "undesa_pd_2019_migrant_stock_total_dataset.xlsx",
        "UN_MigrantStockByOriginAndDestination_2015_Table16only.xlsx",
        "personal-remittances-received.xls",
        "remittances-received-percent-gdp.xls",
        "API_BX.TRF.PWKR.DT.GD.ZS_DS2_en_csv_v2_3686014.csv",
    ):
        assert name in ingested, name


def _imported_source(store) -> str:
    _, _, imported = store
    assert imported.returncode == 0, imported.stderr
    m = re.search(r"imported \d+ rows as (import:\S+) 2020", imported.stdout)
    assert m, imported.stdout
    return m[1]


def test_import_of_gdiviz_extract(store):
    assert _imported_source(store).startswith("import:iom-gmdac")


# -- values with provenance -------------------------------------------------------------------


def test_immigrant_stock_moldova_2020(get_json):
    row = _one(get_json("immigrant_stock", "MDA", "--year", "2020"))
    assert row["value"] == 104438
    assert row["source"] == "undesa_ims_destination"
    assert row["edition"] == "2020"
    assert HEX64.match(row["sha256"])
    assert row["geo"] == "MDA" and row["year"] == 2020 and row["sex"] == "total"


def test_immigrant_stock_russia_1990(get_json):
    row = _one(get_json("immigrant_stock", "RUS", "--year", "1990"))
    assert row["value"] == 11524948
    assert row["source"] == "undesa_ims_destination"


def test_bilateral_stock_russia_from_moldova_2015(get_json):
    row = _one(get_json("migrant_stock", "RUS", "--partner", "MDA", "--year", "2015"))
    assert row["value"] == 294314
    assert row["partner"] == "MDA"
    assert HEX64.match(row["sha256"])


def test_remittances_usd_equal_the_xls_cell(get_json, shared_data):
    expected = _wdi_cell(
        shared_data / "worldbank_wdi/personal-remittances-received.xls", "MDA", "2022"
    )
    row = _one(get_json("remittances_received_usd", "MDA", "--year", "2022"))
    assert row["value"] == expected
    assert row["source"] == "wdi"
    assert (
        row["sha256"]
        == hashlib.sha256(
            (shared_data / "worldbank_wdi/personal-remittances-received.xls").read_bytes()
        ).hexdigest()
    )


def test_remittances_pct_gdp_equal_the_xls_cell(get_json, shared_data):
    expected = _wdi_cell(
        shared_data / "worldbank_wdi/remittances-received-percent-gdp.xls", "MDA", "2021"
    )
    row = _one(get_json("remittances_received_pct_gdp", "MDA", "--year", "2021"))
    assert round(row["value"], 2) == 15.49
    assert row["value"] == expected


def test_emigrant_stock_from_imported_extract(get_json, store):
    row = _one(get_json("emigrant_stock", "MDA", "--year", "2020"))
    assert row["value"] == 1159443
    assert row["edition"] == "2020"
    # the user's own copy gives the same sum (the same file may also be a publisher source)
    imported = _one(
        get_json("emigrant_stock", "MDA", "--year", "2020", "--source", _imported_source(store))
    )
    assert imported["value"] == 1159443
    assert imported["source"].startswith("import:")
    assert HEX64.match(imported["sha256"])


def test_every_row_has_provenance(get_json):
    rows = get_json("immigrant_stock", "MDA", "--sex", "all")
    assert len(rows) >= 21  # 1990-2020 x both sexes / males / females
    for row in rows:
        assert row["source"] and row["edition"] and HEX64.match(row["sha256"])


# -- sources, geo, re-ingest, export ----------------------------------------------------------


def test_sources_lists_full_sha256_of_each_ingested_file(store, run_cli, sha256):
    home, ingest, _ = store
    result = run_cli("sources", home=home)
    assert result.returncode == 0, result.stderr
    paths = _ingested_paths(ingest.stdout)
    assert paths
    for path in paths:
        assert sha256(path) in result.stdout, path


def test_geo_resolve_names(run_cli, store):
    result = run_cli(
        "geo", "resolve", "Republic of Moldova*", "Kyrgyz Republic", "Türkiye", "Côte d’Ivoire",
        home=store[0],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    codes = [line.split("\t")[1] for line in result.stdout.splitlines() if line.strip()]
    assert codes == ["MDA", "KGZ", "TUR", "CIV"]


def test_geo_resolve_special_administrative_regions(run_cli, store):
    # regression: 'Region' in these names once made them look like groups of countries,
    # which broke the ingest of the 2015 destination x origin table
    result = run_cli(
        "geo", "resolve", "China, Hong Kong Special Administrative Region",
        "China, Macao Special Administrative Region", home=store[0],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    codes = [line.split("\t")[1] for line in result.stdout.splitlines() if line.strip()]
    assert codes == ["HKG", "MAC"]


def test_reingest_adds_nothing_and_leaves_store_bytes(store, run_cli, sha256, shared_data):
    home = store[0]
    db = home / "migprofile.duckdb"
    before = db.read_bytes()
    again = run_cli("ingest", "--raw-dir", shared_data, "--offline", home=home)
    assert again.returncode == 0, again.stderr
    assert re.search(r"^0 ingested, \d+ unchanged", again.stdout, re.M), again.stdout
    assert db.read_bytes() == before
    assert not list(home.glob("migprofile.duckdb.ingest-*"))


def test_export_parquet_matches_store(store, run_cli, tmp_path):
    import duckdb
    import pyarrow.parquet as pq

    home = store[0]
    result = run_cli("export-parquet", tmp_path / "out", home=home)
    assert result.returncode == 0, result.stderr
    table = pq.read_table(tmp_path / "out" / "observations.parquet")
    con = duckdb.connect(str(home / "migprofile.duckdb"), read_only=True)
    try:
        (count,) = con.execute("SELECT count(*) FROM observations").fetchone()
    finally:
        con.close()
    assert table.num_rows == count > 0
