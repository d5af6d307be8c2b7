"""Reproducible exports (issue 12, item 8): `export-parquet` writes the resolved view and the
catalogue, and a DuckDB query over the Parquet files alone gives every figure of the MDA
profile (JSON), key facts, series points and rankings alike."""

from __future__ import annotations

import json

import duckdb

from conftest import run_migprofile


def test_duckdb_over_the_parquet_reproduces_every_mda_figure(shared_store_copy, tmp_path):
    home = shared_store_copy.parent
    out = tmp_path / "pq"
    done = run_migprofile("export-parquet", out, home=home)
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} >= {"resolved.parquet", "catalogue.parquet"}
    done = run_migprofile("build", "MDA", "--format", "json", "--out", tmp_path / "p", home=home)
    assert done.returncode == 0, done.stderr
    (path,) = (tmp_path / "p").rglob("*.json")
    profile = json.loads(path.read_text())
    figures = list(profile["key_facts"])
    for section in profile["sections"]:
        figures += section["figures"]
        for group in ("series", "rankings"):
            for series in section[group].values():
                figures += series["points"]
    figures = [f for f in figures if f["value"] is not None]
    assert len(figures) > 300
    con = duckdb.connect()
    resolved = str(out / "resolved.parquet")
    wrong = []
    for f in figures:
        rows = con.execute(
            f"SELECT value, source, edition FROM '{resolved}' WHERE indicator = ? AND geo = ? "
            "AND partner = ? AND year = ? AND sex = ? AND period = ?",
            [f["indicator"], f["geo"], f["partner"], f["year"], f["sex"], f["period"]],
        ).fetchall()
        if len(rows) != 1 or abs(rows[0][0] - f["value"]) > 1e-9 * max(1.0, abs(f["value"])):
            wrong.append((f["indicator"], f["year"], f["value"], rows[:2]))
        elif (rows[0][1], rows[0][2]) != (f["source"], f["edition"]):
            wrong.append((f["indicator"], f["year"], "source/edition", rows[0][1:]))
    assert not wrong, wrong[:10]
    catalogue = con.execute(f"SELECT id, derivation FROM '{out / 'catalogue.parquet'}'").fetchall()
    assert ("emigrant_stock", "origin_total") in catalogue
