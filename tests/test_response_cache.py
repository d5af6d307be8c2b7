"""The response cache (web.cache), the warmed swap (web.state) and `serve --workers`.

Small stores built from a tiny World Bank bulk file (remittances received by Moldova); the
second store has other values, so a swap shows in the data itself.
"""

from __future__ import annotations

import math
import os
import shutil
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from fixtures import ingested, tiny_wdi_bulk_csv
from migprofile.web import create_app
from migprofile.web.app import SafeJSONResponse
from migprofile.web.cache import normalised_query

WDI_NAME = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_1.csv"
LOOKUP = "/api/indicators/remittances_received_usd/data?geo=MDA"
OLD = {"MDA": (1_850_000_000.0, 2_100_000_000.0), "RUS": (7.1e9, 8.2e9)}
NEW = {"MDA": (3_000_000_000.0, 3_300_000_000.0), "RUS": (7.1e9, 8.2e9)}


def _build(folder: Path, values: dict, db: Path | None = None) -> None:
    tiny_wdi_bulk_csv(folder / WDI_NAME, values)
    assert ingested(folder, db=db), "the tiny file should have been ingested"


@pytest.fixture
def stores(home: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(the served store with OLD values, another store file with NEW values)."""
    _build(tmp_path / "raw-old", OLD)
    other = tmp_path / "other" / "migprofile.duckdb"
    other.parent.mkdir()
    _build(tmp_path / "raw-new", NEW, db=other)
    return home / "migprofile.duckdb", other


@pytest.fixture
def client(stores):
    app = create_app(stores[0])
    with TestClient(app) as c:
        yield c
    app.state.holder.close()


def _value(client: TestClient, year: int) -> float:
    rows = client.get(LOOKUP).json()["rows"]
    return next(r["value"] for r in rows if r["year"] == year)


def _swap(stores: tuple[Path, Path]) -> None:
    served, other = stores
    fresh = served.with_name("fresh.duckdb")
    shutil.copyfile(other, fresh)
    os.replace(fresh, served)


def test_hit_is_identical_to_miss(client):
    cache = client.app.state.response_cache
    miss = client.get(LOOKUP)
    assert miss.status_code == 200 and cache.misses >= 1
    hits = cache.hits
    hit = client.get(LOOKUP)
    assert cache.hits == hits + 1
    assert hit.content == miss.content
    assert list(hit.headers.items()) == list(miss.headers.items())
    assert {r["year"]: r["value"] for r in hit.json()["rows"]}[2021] == OLD["MDA"][1]
    # the same parameters in another order: the same entry, the same ETag
    ordered = client.get(LOOKUP + "&sex=total")
    permuted = client.get("/api/indicators/remittances_received_usd/data?sex=total&geo=MDA")
    assert cache.hits == hits + 2
    assert permuted.headers["etag"] == ordered.headers["etag"]
    assert permuted.content == ordered.content


def test_repeated_parameters_keep_their_order():
    assert normalised_query("sex=total&geo=MDA") == "geo=MDA&sex=total"
    assert normalised_query("geo=ARM&geo=MDA") == "geo=ARM&geo=MDA"
    assert normalised_query("geo=MDA&g%65o=ARM") == "geo=MDA&g%65o=ARM"


def test_languages_are_separate_entries(client):
    cache = client.app.state.response_cache
    en, ru = client.get("/country/MDA"), client.get("/ru/country/MDA")
    assert en.status_code == ru.status_code == 200
    assert en.headers["content-language"] == "en" and ru.headers["content-language"] == "ru"
    assert client.get("/ru/country/MDA").content == ru.content
    again = client.get("/country/MDA", headers={"cookie": "migprofile_lang=ru"})
    assert again.content == en.content and again.headers["content-language"] == "en"
    assert {k[1] for k in cache._entries if k[2] == b"/country/MDA"} == {"en", "ru"}
    assert ru.content != en.content
    assert "migprofile_lang=ru" in ru.headers["set-cookie"]  # added outside the cache, each time
    assert "set-cookie" not in again.headers


def test_origin_gets_its_own_entry(client):
    plain = client.get(LOOKUP)
    cors = client.get(LOOKUP, headers={"origin": "https://example.org"})
    assert "access-control-allow-origin" not in plain.headers
    assert cors.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-origin" not in client.get(LOOKUP).headers


def test_if_none_match_gets_304_from_the_cache(client):
    cache = client.app.state.response_cache
    first = client.get(LOOKUP)
    hits = cache.hits
    again = client.get(LOOKUP, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert cache.hits == hits + 1
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["x-content-type-options"] == "nosniff"
    stale = client.get(LOOKUP, headers={"If-None-Match": '"other"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_errors_are_not_cached(client):
    cache = client.app.state.response_cache
    for url in (
        "/api/indicators/remittances_received_usd/data?geo=Atlantis",
        "/api/indicators/remittances_received_usd/data?geo=MDA&from=abc",
        "/country/Atlantis",
    ):
        first, second = client.get(url), client.get(url)
        assert first.status_code in (400, 404) and second.status_code == first.status_code
        assert second.content == first.content
    assert len(cache) == 0


def test_head_is_answered_from_the_get_entry(client):
    body = client.get(LOOKUP)
    head = client.head(LOOKUP)
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-length"] == str(len(body.content))
    assert head.headers["etag"] == body.headers["etag"]


def test_a_swap_invalidates_and_the_old_store_answers_while_warming(client, stores):
    holder = client.app.state.holder
    cache = client.app.state.response_cache
    assert _value(client, 2021) == OLD["MDA"][1]
    release = threading.Event()
    holder.warmers.append(lambda snap: release.wait(30))  # warming held until released
    _swap(stores)
    assert _value(client, 2021) == OLD["MDA"][1], "while warming, the old store answers"
    release.set()
    assert holder.wait_for_swap(30)
    assert _value(client, 2021) == NEW["MDA"][1]
    live = holder.snapshot().key
    assert {k[0] for k in cache._entries} == {live}, "entries of the old store are dropped"


def test_warming_builds_a_requested_profile_before_the_swap(client, stores):
    holder = client.app.state.holder
    cache = client.app.state.response_cache
    assert client.get("/country/MDA").status_code == 200
    old = holder.snapshot()
    seen: list[bool] = []

    def check(snap) -> None:  # runs after the cache's warmer, before the swap goes live
        seen.append("en/MDA" in snap.profiles and holder.snapshot() is old)

    holder.warmers.append(check)
    _swap(stores)
    assert holder.wait_for_swap(60)
    assert seen == [True], "the profile was built on the new store before it went live"
    new = holder.snapshot()
    assert new is not old
    hits, misses = cache.hits, cache.misses
    page = client.get("/country/MDA")
    assert page.status_code == 200 and cache.hits == hits + 1 and cache.misses == misses
    assert holder.last_warm_seconds is not None


def test_a_broken_new_file_keeps_the_old_one(client, stores):
    holder = client.app.state.holder
    assert _value(client, 2021) == OLD["MDA"][1]
    broken = stores[0].with_name("broken.duckdb")
    broken.write_bytes(b"not a database" * 100)
    os.replace(broken, stores[0])
    assert holder.wait_for_swap(30)
    assert _value(client, 2021) == OLD["MDA"][1]


def test_cache_off(stores, monkeypatch):
    monkeypatch.setenv("MIGPROFILE_RESPONSE_CACHE", "0")
    app = create_app(stores[0])
    with TestClient(app) as c:
        assert c.get(LOOKUP).content == c.get(LOOKUP).content
        assert len(app.state.response_cache) == 0
    app.state.holder.close()


def test_json_keeps_its_semantics():
    body = SafeJSONResponse({"t": "<b>&</b>", "n": 2**70, "é": [1.5, None]}).body
    assert body == (
        b'{"t":"\\u003cb\\u003e\\u0026\\u003c/b\\u003e","n":1180591620717411303424,'
        b'"\xc3\xa9":[1.5,null]}'
    )
    with pytest.raises(ValueError):
        SafeJSONResponse({"rows": [{"value": math.nan}]})
    with pytest.raises(ValueError):
        SafeJSONResponse([math.inf])


def test_serve_workers_option(monkeypatch):
    from typer.testing import CliRunner

    import migprofile.web
    from migprofile import cli

    calls: list[dict] = []
    monkeypatch.setattr(migprofile.web, "serve", lambda **kw: calls.append(kw))
    runner = CliRunner()
    done = runner.invoke(cli.app, ["serve", "--port", "8123", "--workers", "2"])
    assert done.exit_code == 0, done.output
    assert calls == [{"host": "127.0.0.1", "port": 8123, "workers": 2}]
    bad = runner.invoke(cli.app, ["serve", "--workers", "0"])
    assert bad.exit_code != 0 and "workers" in bad.output
