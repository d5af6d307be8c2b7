"""The web API (migprofile.web): read-only, validated, cited rows, safe headers, ETags."""

from __future__ import annotations

import csv

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

import fixtures as fx
from migprofile.indicators import observations
from migprofile.web import create_app

DATA = "/api/indicators/immigrant_stock/data"
MDA_2020 = f"{DATA}?geo=MDA&from=2020&to=2020"


def test_data_json_one_cited_row(client):
    r = client.get(MDA_2020)
    assert r.status_code == 200
    body = r.json()
    assert body["geo"] == "MDA"
    assert body["indicator"]["id"] == "immigrant_stock"
    [row] = body["rows"]
    assert row["value"] == 104438
    assert row["year"] == 2020
    assert row["source"] == "undesa_ims_destination"
    assert row["edition"] == "2020"
    assert len(row["sha256"]) == 64
    assert row["cell"]


def test_data_csv_same_row(client):
    r = client.get(MDA_2020 + "&format=csv")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert len(lines) == 2
    header, line = lines[0].split(","), lines[1].split(",")
    row = dict(zip(header, line, strict=False))
    assert row["value"] == "104438"
    assert row["source"] == "undesa_ims_destination"
    assert row["edition"] == "2020"
    assert row["sha256"] == client.get(MDA_2020).json()["rows"][0]["sha256"]


def test_data_geo_by_name_and_m49(client):
    for geo in ("Republic of Moldova", "498", "mda"):
        r = client.get(f"{DATA}?geo={geo}&from=2020&to=2020")
        assert r.status_code == 200, geo
        assert r.json()["rows"][0]["value"] == 104438


def test_year_range_and_sex(client):
    rows = client.get(f"{DATA}?geo=MDA&from=2010&to=2020&sex=all").json()["rows"]
    assert rows and all(2010 <= r["year"] <= 2020 for r in rows)
    assert {r["sex"] for r in rows} == {"total", "male", "female"}


def test_unknown_indicator_404_with_suggestion(client):
    r = client.get("/api/indicators/immigrant_stok/data?geo=MDA")
    assert r.status_code == 404
    assert "did you mean" in r.json()["detail"]
    assert "immigrant_stock" in r.json()["detail"]


@pytest.mark.parametrize(
    "query, text",
    [
        ("geo=MDA&from=abc", "from"),
        ("geo=MDA&to=12", "to"),
        ("geo=MDA&from=1800", "from"),
        ("geo=MDA&from=2021&to=2020", "after"),
        ("geo=MDA&sex=other", "sex"),
        ("geo=MDA&format=xml", "format"),
        ("from=2020", "geo: required"),
        ("geo=" + "x" * 500, "geo"),
    ],
)
def test_bad_parameters_400(client, query, text):
    r = client.get(f"{DATA}?{query}")
    assert r.status_code == 400, r.text
    assert text in r.json()["detail"]


def test_unknown_geo_404_did_you_mean(client):
    for url in (f"{DATA}?geo=Atlantis", "/api/geo/Atlantis", "/api/profiles/Atlantis"):
        r = client.get(url)
        assert r.status_code == 404, url
        assert "did you mean" in r.json()["detail"]


def test_hostile_input_is_escaped(client):
    r = client.get(f"{DATA}?geo=<script>alert(1)</script>")
    assert 400 <= r.status_code < 500
    assert r.headers["content-type"].startswith("application/json")
    assert b"<script>" not in r.content
    assert "<script>" in r.json()["detail"]  # faithfully reported, once decoded
    r = client.get("/api/indicators/<img src=x>/data?geo=MDA")
    assert r.status_code == 404
    assert b"<img" not in r.content
    r = client.get(f"{DATA}?geo=MDA' OR 1=1 --")
    assert r.status_code == 404


def test_geo_list_and_one(client):
    rows = client.get("/api/geo").json()
    mda = next(r for r in rows if r["geo"] == "MDA")
    assert mda == {
        "geo": "MDA",
        "kind": "country",
        "name": "Republic of Moldova",
        "iso3": "MDA",
        "m49": 498,
        "group_type": "",
    }
    assert client.get("/api/geo/498").json()["geo"] == "MDA"
    europe = client.get("/api/geo/europe").json()
    assert europe["kind"] == "aggregate"
    assert "MDA" in {m["geo"] for m in europe["members"]}


def test_indicator_catalogue(client):
    rows = client.get("/api/indicators").json()
    ind = next(r for r in rows if r["id"] == "immigrant_stock")
    assert {"id", "title", "unit", "definition", "sdg", "sources", "derivation"} <= set(ind)
    assert ind["sources"][0] == "undesa_ims_destination"


def test_profile_key_facts(client):
    r = client.get("/api/profiles/MDA")
    assert r.status_code == 200
    body = r.json()
    assert body["geo"] == "MDA"
    facts = {f["indicator"]: f for f in body["key_facts"]}
    assert facts["immigrant_stock"]["value"] == 104438
    assert facts["immigrant_stock"]["source"] == "undesa_ims_destination"


def test_no_write_methods(client):
    for method in ("POST", "PUT", "DELETE", "PATCH"):
        assert client.request(method, "/api/geo").status_code == 405
        assert client.request(method, MDA_2020).status_code == 405


def test_security_headers_everywhere(client):
    for url in (MDA_2020, "/api/geo/Atlantis", "/api/nothing", "/api/openapi.json"):
        r = client.get(url)
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "no-referrer"
        assert r.headers["content-security-policy"] == "default-src 'none'; frame-ancestors 'none'"
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "frame-ancestors 'none'" in docs.headers["content-security-policy"]


def test_cors_get_only(client):
    r = client.get(MDA_2020, headers={"Origin": "https://example.org"})
    assert r.headers["access-control-allow-origin"] == "*"
    pre = client.options(
        MDA_2020,
        headers={"Origin": "https://example.org", "Access-Control-Request-Method": "POST"},
    )
    assert pre.status_code == 400  # POST is not an allowed cross-origin method


def test_etag_and_304(client):
    r = client.get(MDA_2020)
    etag = r.headers["etag"]
    assert r.headers["cache-control"] == "public, max-age=300"
    again = client.get(MDA_2020, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    other = client.get(MDA_2020 + "&format=csv")
    assert other.headers["etag"] != etag
    assert client.get(MDA_2020, headers={"If-None-Match": '"stale"'}).status_code == 200


def test_openapi(client):
    spec = client.get("/api/openapi.json").json()
    assert "/api/indicators/{indicator_id}/data" in spec["paths"]
    assert set(spec["paths"]["/api/geo"]) == {"get"}


def test_missing_store_503(tmp_path):
    with TestClient(create_app(tmp_path / "none.duckdb")) as c:
        r = c.get("/api/geo")
    assert r.status_code == 503
    assert str(tmp_path) not in r.text


def test_real_server(app):
    config = uvicorn.Config(app, host="127.0.0.1", port=fx.free_port(), log_level="warning")
    with fx.uvicorn_in_thread(config) as base:
        r = httpx.get(base + MDA_2020, timeout=10)
        assert r.status_code == 200
        assert r.json()["rows"][0]["value"] == 104438
        assert r.headers["x-content-type-options"] == "nosniff"


def test_full_indicator_export_streams_as_csv(client, shared_store):
    with client.stream("GET", "/api/indicators/immigrant_stock/data?format=csv&sex=all") as resp:
        assert resp.status_code == 200
        lines = [line for line in resp.iter_lines() if line]
    rows = list(csv.DictReader(lines))
    expected = observations(shared_store, "immigrant_stock", "MDA", sex="all").num_rows
    assert len([r for r in rows if r["geo"] == "MDA"]) == expected
    assert len({r["geo"] for r in rows}) > 200
    assert all(r["source"] and r["sha256"] for r in rows)
    assert client.get("/api/indicators/immigrant_stock/data").status_code == 400  # JSON needs geo
