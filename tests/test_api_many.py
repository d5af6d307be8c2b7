"""Many geos per call (issue 15, item 2): comma-separated and repeated `geo=`, regions in a
list expanded to their members then the regional total, name columns in the reader's
language, wide tables (years across) as JSON, CSV and xlsx, and the same in the library
(`observations` with a list) and the CLI (`migprofile get INDICATOR A B C`).

Most tests read a store built from a WDI bulk Excel file in the publisher's layout (invented
values); the last ones run against ../shared when it is there."""

from __future__ import annotations

import csv
import io
import json
import math

import openpyxl
import pytest
from fastapi.testclient import TestClient

import fixtures as fx
from conftest import DB_FILE, run_migprofile
from migprofile.geo.world_names import place_name
from migprofile.indicators import observations
from migprofile.indicators.query import MAX_GEOS
from migprofile.indicators.tables import wide_table
from migprofile.store import Store
from migprofile.web import api, create_app

IND = "remittances_received_usd"
DATA = f"/api/indicators/{IND}/data"
CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Invented values in the WDI bulk layout (sorted by code, as the World Bank sorts them)
ROWS: tuple = (
    ("Kazakhstan", "KAZ", {2019: 5.0e8, 2020: 4.0e8, 2021: 3.5e8}),
    ("Kyrgyz Republic", "KGZ", {2019: 2.4e9, 2020: 2.5e9, 2021: 2.75e9}),
    ("Moldova", "MDA", {2020: 1.75e9, 2021: 1.85e9}),
    ("Tajikistan", "TJK", {2020: 2.25e9, 2021: 2.5e9}),
    ("Turkmenistan", "TKM", {}),
    ("Uzbekistan", "UZB", {2019: 8.5e9, 2020: 7.0e9, 2021: 9.25e9}),
    ("World", "WLD", {2020: 600e9, 2021: 650e9}),
)
META: tuple = (
    *((code, "Europe & Central Asia", "Lower middle income", "", name)
      for name, code, _ in ROWS if code != "WLD"),
    ("WLD", "", "", "World aggregate.", "World"),
    ("ZWE", "Sub-Saharan Africa", "Lower middle income", "", "Zimbabwe"),
)  # fmt: skip


@pytest.fixture(scope="module")
def fx_home(tmp_path_factory):
    """A home whose store holds the fixture file only."""
    home = tmp_path_factory.mktemp("many_home")
    raw = tmp_path_factory.mktemp("many_raw")
    fx.wdi_bulk_xls(raw, rows=ROWS, country_meta=META)
    assert fx.ingested(raw, db=home / DB_FILE)
    return home


@pytest.fixture(scope="module")
def store(fx_home):
    with Store.open(fx_home / DB_FILE, read_only=True) as s:
        yield s


@pytest.fixture(scope="module")
def web(fx_home):
    with TestClient(create_app(fx_home / DB_FILE)) as c:
        yield c


def _values(store, geo) -> dict[int, float]:
    """{year: value} of one geo, read alone (the reference every list is checked against)."""
    return {r["year"]: r["value"] for r in observations(store, IND, geo).to_pylist()}


# -- the library ---------------------------------------------------------------------------------
def test_observations_of_a_list_in_the_order_given(store):
    rows = observations(store, IND, ["UZB", "kaz", "Kyrgyz Republic", "UZB"]).to_pylist()
    assert list(dict.fromkeys(r["geo"] for r in rows)) == ["UZB", "KAZ", "KGZ"]
    for geo in ("UZB", "KAZ", "KGZ"):
        assert {r["year"]: r["value"] for r in rows if r["geo"] == geo} == _values(store, geo)
    assert _values(store, "UZB")[2021] == 9.25e9  # the fixture's cell, read back


def test_a_region_in_a_list_is_its_members_then_its_total(store):
    rows = observations(store, IND, ["MDA", "central-asia"], year=2020).to_pylist()
    # TKM reports nothing: no row of its own, but counted among the members
    assert [r["geo"] for r in rows] == ["MDA", "KAZ", "KGZ", "TJK", "UZB", "central-asia"]
    total = rows[-1]
    members = math.fsum(_values(store, g).get(2020, 0.0) for g in CENTRAL_ASIA)
    assert total["value"] == pytest.approx(members, rel=1e-12)
    assert "4 of 5" in total["note"]
    # one region alone is itself, as before: its total only
    (alone,) = observations(store, IND, "central-asia", year=2020).to_pylist()
    assert alone["value"] == total["value"]


def test_unknown_item_in_a_list_is_named(store):
    from migprofile.errors import UsageError

    with pytest.raises(UsageError, match="Atlantis"):
        observations(store, IND, ["KAZ", "Atlantis"])
    with pytest.raises(UsageError, match=str(MAX_GEOS)):
        observations(store, IND, ["KAZ"] * (MAX_GEOS + 1))


def test_wide_table_years_across_one_line_per_series(store):
    rows = observations(store, IND, ["KAZ", "UZB"]).to_pylist()
    columns, lines = wide_table(rows)
    assert columns[:2] == ["geo", "sex"] and columns[-2:] == ["source", "edition"]
    years = sorted({str(r["year"]) for r in rows})
    assert [c for c in columns if c.isdigit()] == years
    assert [line["geo"] for line in lines] == ["KAZ", "UZB"]
    for line in lines:
        assert line["values"] == {str(y): v for y, v in _values(store, line["geo"]).items()}
        assert (line["source"], line["edition"]) == ("wdi", "2023-05-10")


# -- the web API ---------------------------------------------------------------------------------
def test_comma_list_and_repeated_params_agree(web, store):
    comma = web.get(DATA, params={"geo": "KAZ,KGZ,TJK,KAZ"})
    repeated = web.get(DATA, params=[("geo", "KAZ"), ("geo", "KGZ"), ("geo", "TJK,kaz")])
    assert comma.status_code == repeated.status_code == 200
    assert comma.json()["rows"] == repeated.json()["rows"]
    assert comma.json()["geos"] == ["KAZ", "KGZ", "TJK"]
    got = [(r["geo"], r["year"], r["value"]) for r in comma.json()["rows"]]
    want = [(g, y, v) for g in ("KAZ", "KGZ", "TJK") for y, v in sorted(_values(store, g).items())]
    assert got == want
    assert {r["name"] for r in comma.json()["rows"]} == {"Kazakhstan", "Kyrgyzstan", "Tajikistan"}


def test_one_geo_reads_as_before(web, store):
    body = web.get(DATA, params={"geo": "MDA"}).json()
    assert body["geo"] == "MDA"
    assert [(r["year"], r["value"]) for r in body["rows"]] == sorted(_values(store, "MDA").items())


def test_region_id_expands_in_a_list(web, store):
    body = web.get(DATA, params={"geo": "MDA,central-asia", "from": 2020, "to": 2020}).json()
    assert [r["geo"] for r in body["rows"]] == ["MDA", "KAZ", "KGZ", "TJK", "UZB", "central-asia"]
    assert body["rows"][-1]["name"] == "Central Asia"
    (alone,) = observations(store, IND, "central-asia", year=2020).to_pylist()
    assert body["rows"][-1]["value"] == alone["value"]


def test_unknown_item_404_names_it(web):
    r = web.get(DATA, params={"geo": "KAZ,Atlantis,UZB"})
    assert r.status_code == 404
    assert "Atlantis" in r.json()["detail"] and "geo" in r.json()["detail"]
    r = web.get(DATA, params=[("geo", "KAZ"), ("partner", "Atlantis")])
    assert r.status_code == 404 and "partner" in r.json()["detail"]


def test_too_many_geos_400(web):
    r = web.get(DATA, params={"geo": ",".join(["KAZ"] * (MAX_GEOS + 1))})
    assert r.status_code == 400
    assert str(MAX_GEOS) in r.json()["detail"]
    r = web.get(DATA, params={"geo": "KAZ," + "x" * 200})
    assert r.status_code == 400 and "geo" in r.json()["detail"]


def test_a_name_with_a_comma_is_taken_whole(web):
    r = web.get(DATA, params={"geo": "Bonaire, Saint Eustatius and Saba"})
    assert r.status_code == 200
    assert r.json()["geos"] == ["BES"]


def test_csv_long_has_names_in_the_reader_language(web, store):
    def read(prefix: str) -> list[dict]:
        r = web.get(prefix + DATA, params={"geo": "KAZ,UZB", "format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert 'filename="remittances_received_usd_KAZ-UZB.csv"' in r.headers["content-disposition"]
        return list(csv.DictReader(io.StringIO(r.text)))

    english, russian = read(""), read("/ru")
    assert {"name", "partner_name"} <= set(english[0])
    assert [r["value"] for r in english] == [r["value"] for r in russian]
    assert {r["geo"]: r["name"] for r in english} == {"KAZ": "Kazakhstan", "UZB": "Uzbekistan"}
    assert {r["geo"]: r["name"] for r in russian} == {
        g: place_name(g, "ru") for g in ("KAZ", "UZB")
    }
    assert russian[0]["name"] != english[0]["name"]


def test_wide_json_and_csv(web, store):
    body = web.get(DATA, params={"geo": "KAZ,UZB", "shape": "wide"}).json()
    years = sorted({str(y) for g in ("KAZ", "UZB") for y in _values(store, g)})
    assert body["years"] == years
    assert [r["geo"] for r in body["rows"]] == ["KAZ", "UZB"]
    for row in body["rows"]:
        assert row["name"] and row["source"] == "wdi"
        assert row["values"] == {str(y): v for y, v in _values(store, row["geo"]).items()}
        assert not set(years) & set(row)  # the years are under values only
    r = web.get(DATA, params={"geo": "KAZ,UZB", "shape": "wide", "format": "csv"})
    lines = list(csv.reader(io.StringIO(r.text)))
    assert lines[0][:2] == ["name", "geo"] and lines[0][-2:] == ["source", "edition"]
    assert lines[0][2 + 3 : -2] == years  # after name, geo, sex, age, unit
    kaz = dict(zip(lines[0], lines[1], strict=True))
    assert {y: float(kaz[y]) for y in years if kaz[y]} == {
        str(y): v for y, v in _values(store, "KAZ").items()
    }


def test_wide_without_geo_is_the_whole_indicator_up_to_a_cap(web, store, monkeypatch):
    body = web.get(DATA, params={"shape": "wide"}).json()
    assert {"KAZ", "MDA", "UZB", "world"} <= {r["geo"] for r in body["rows"]}
    monkeypatch.setattr(api, "MAX_TABLE_ROWS", 3)
    # another query than the one above: the response cache rightly keeps that one's answer
    r = web.get(DATA, params={"shape": "wide", "sex": "total"})
    assert r.status_code == 400 and "format=csv" in r.json()["detail"]
    r = web.get(DATA, params={"format": "xlsx"})
    assert r.status_code == 400


def _book(content: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(content))


def test_xlsx_wide_reads_back(web, store):
    r = web.get(DATA, params={"geo": ",".join(CENTRAL_ASIA), "format": "xlsx", "shape": "wide"})
    assert r.status_code == 200
    assert r.headers["content-type"] == XLSX
    assert (
        r.headers["content-disposition"]
        == 'attachment; filename="remittances_received_usd_KAZ-KGZ-TJK-TKM-UZB_wide.xlsx"'
    )
    book = _book(r.content)
    assert book.sheetnames == ["data", "cells", "about"]
    data = book["data"]
    assert data.freeze_panes == "C2"  # the header row and the name and geo columns
    header, *lines = list(data.iter_rows(values_only=True))
    assert header[:2] == ("name", "geo")
    year_cols = {int(h): n for n, h in enumerate(header) if h and str(h).isdigit()}
    assert list(year_cols) == sorted(year_cols)
    by_geo = {line[1]: line for line in lines}
    assert list(by_geo) == ["KAZ", "KGZ", "TJK", "UZB"]  # TKM has no value: no line
    assert by_geo["KAZ"][0] == "Kazakhstan"
    for geo, line in by_geo.items():
        got = {y: line[n] for y, n in year_cols.items() if line[n] is not None}
        assert got == _values(store, geo)
        assert all(isinstance(v, int | float) for v in got.values())  # numbers, not text
    cells_header, *cells = list(book["cells"].iter_rows(values_only=True))
    assert {"name", "sha256", "file_name", "cell", "value"} <= set(cells_header)
    cell_rows = [dict(zip(cells_header, c, strict=True)) for c in cells]
    assert len(cell_rows) == sum(len(_values(store, g)) for g in CENTRAL_ASIA)
    stored = {
        (r["geo"], r["year"]): r
        for g in CENTRAL_ASIA
        for r in observations(store, IND, g).to_pylist()
    }
    for c in cell_rows:
        s = stored[(c["geo"], c["year"])]
        assert c["sha256"] == s["sha256"] and c["file_name"] == s["file_name"]
        assert c["cell"] == f"{s['sheet']}!{s['col']}{s['row']}"
    about = dict(list(book["about"].iter_rows(values_only=True))[1:7])
    assert about["indicator"] == IND
    assert "geo=KAZ,KGZ,TJK,TKM,UZB" in about["query"]
    citations = [v for k, v in book["about"].iter_rows(values_only=True) if k == "citation"]
    assert citations and all("2023-05-10" in c for c in citations)


def test_xlsx_long_one_sheet_of_rows(web, store):
    r = web.get(DATA, params={"geo": "MDA", "format": "xlsx"})
    book = _book(r.content)
    assert book.sheetnames == ["data", "about"]
    header, *rows = list(book["data"].iter_rows(values_only=True))
    values = {row[header.index("year")]: row[header.index("value")] for row in rows}
    assert values == _values(store, "MDA")


def test_publisher_text_is_never_a_formula():
    from migprofile.wording import xlsxout

    buffer = io.BytesIO()
    sheet = xlsxout.Sheet("data", ["a", "b"], [["=1+1", -12.5], [float("nan"), None]])
    xlsxout.write(buffer, [sheet])
    ws = openpyxl.load_workbook(buffer)["data"]
    assert ws["A2"].value == "=1+1" and ws["A2"].data_type == "s"
    assert ws["B2"].value == -12.5
    assert ws["A3"].value is None


# -- the CLI ---------------------------------------------------------------------------------------
def test_cli_get_several_geos_csv_long_and_wide(fx_home, store, tmp_path):
    done = run_migprofile("get", IND, "KAZ", "KGZ", "--format", "csv", home=fx_home)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert {"name", "partner_name"} <= set(rows[0])
    assert (rows[0]["geo"], rows[0]["name"]) == ("KAZ", "Kazakhstan")
    assert {(r["geo"], int(r["year"])): float(r["value"]) for r in rows} == {
        (g, y): v for g in ("KAZ", "KGZ") for y, v in _values(store, g).items()
    }
    done = run_migprofile(
        "get", IND, "KAZ", "central-asia", "--from", "2020", "--to", "2020",
        "--shape", "wide", "--format", "csv", home=fx_home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    header, *lines = list(csv.reader(io.StringIO(done.stdout)))
    assert header[:2] == ["name", "geo"] and "2020" in header and "2019" not in header
    assert [line[1] for line in lines] == ["KAZ", "KGZ", "TJK", "UZB", "central-asia"]
    out = tmp_path / "ca.xlsx"
    done = run_migprofile(
        "get", IND, *CENTRAL_ASIA, "--shape", "wide", "--format", "xlsx", "--out", out,
        home=fx_home,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    header, *lines = list(_book(out.read_bytes())["data"].iter_rows(values_only=True))
    assert [line[1] for line in lines] == ["KAZ", "KGZ", "TJK", "UZB"]
    kgz = dict(zip(header, lines[1], strict=True))
    assert {int(y): kgz[y] for y in header if str(y).isdigit() and kgz[y] is not None} == (
        _values(store, "KGZ")
    )


def test_cli_json_wide_and_bad_options(fx_home, store):
    done = run_migprofile("get", IND, "KAZ", "UZB", "--shape", "wide", "--format", "json",
                          home=fx_home)  # fmt: skip
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert [r["geo"] for r in body["rows"]] == ["KAZ", "UZB"]
    assert body["rows"][1]["values"] == {str(y): v for y, v in _values(store, "UZB").items()}
    done = run_migprofile("get", IND, "KAZ", "--format", "xlsx", home=fx_home)
    assert done.returncode != 0 and "--out" in done.stderr
    done = run_migprofile("get", IND, "KAZ", "--shape", "tall", home=fx_home)
    assert done.returncode != 0 and "--shape" in done.stderr
    done = run_migprofile("get", IND, "KAZ", "Atlantis", home=fx_home)
    assert done.returncode != 0 and "Atlantis" in done.stderr


# -- the whole corpus (../shared) ------------------------------------------------------------------
@pytest.mark.integration
def test_shared_central_asia_xlsx_wide(client, shared_store):
    r = client.get(DATA + "?geo=KAZ,KGZ,TJK,TKM,UZB&format=xlsx&shape=wide")
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    header, *lines = list(_book(r.content)["data"].iter_rows(values_only=True))
    assert header[:2] == ("name", "geo")
    assert [line[1] for line in lines] == CENTRAL_ASIA
    years = {int(h): n for n, h in enumerate(header) if str(h).isdigit()}
    assert len(years) > 20
    for line in lines:
        geo = line[1]
        got = {y: line[n] for y, n in years.items() if line[n] is not None}
        want = {r["year"]: r["value"] for r in observations(shared_store, IND, geo).to_pylist()}
        assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.integration
def test_shared_region_in_a_list_and_russian_names(client, shared_store):
    body = client.get(
        "/ru" + DATA, params=[("geo", "MDA"), ("geo", "central-asia"), ("from", 2020), ("to", 2020)]
    ).json()
    geos = [r["geo"] for r in body["rows"]]
    assert geos == ["MDA", *CENTRAL_ASIA, "central-asia"]
    assert body["rows"][0]["name"] == place_name("MDA", "ru")
    (alone,) = observations(shared_store, IND, "central-asia", year=2020).to_pylist()
    assert body["rows"][-1]["value"] == pytest.approx(alone["value"], rel=1e-12)


@pytest.mark.integration
def test_shared_partner_list(client, shared_store):
    params = {"geo": "MDA", "partner": "UKR,ROU", "from": 2020, "to": 2020}
    rows = client.get("/api/indicators/migrant_stock/data", params=params).json()["rows"]
    assert [r["partner"] for r in rows] == ["UKR", "ROU"]
    assert {r["partner_name"] for r in rows} == {"Ukraine", "Romania"}
    for r in rows:
        (one,) = observations(
            shared_store, "migrant_stock", "MDA", partner=r["partner"], year=2020
        ).to_pylist()
        assert r["value"] == one["value"]
