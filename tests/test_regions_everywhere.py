"""Region ids everywhere (issue 12, item 7): `get`, the Python API and the web API return a
region's member sum with its coverage, the same figure the region's profile shows."""

from __future__ import annotations

import json
import math

import pytest

import migprofile
from conftest import run_migprofile
from migprofile.profiles.build import ProfileBuilder

CENTRAL_ASIA = ["KAZ", "KGZ", "TJK", "TKM", "UZB"]


@pytest.fixture(scope="module")
def members_2020(shared_store):
    values = {}
    for geo in CENTRAL_ASIA:
        t = migprofile.get("remittances_received_usd", geo, year=2020, store=shared_store)
        values.update({r["geo"]: r["value"] for r in t.to_pylist()})
    return values


def test_python_api_sums_the_members_with_coverage(shared_store, members_2020):
    rows = migprofile.get(
        "remittances_received_usd", "central-asia", year=2020, store=shared_store
    ).to_pylist()
    assert len(rows) == 1
    assert rows[0]["value"] == pytest.approx(math.fsum(members_2020.values()), rel=1e-12)
    assert f"{len(members_2020)} of 5 members report" in rows[0]["note"]


def test_cli_and_web_api_give_the_same_sum(shared_store, shared_store_copy, client, members_2020):
    done = run_migprofile(
        "get", "remittances_received_usd", "central-asia", "--year", "2020", "--format", "json",
        home=shared_store_copy.parent,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    (cli,) = json.loads(done.stdout)
    web = client.get(
        "/api/indicators/remittances_received_usd/data",
        params={"geo": "central-asia", "from": 2020, "to": 2020},
    ).json()
    (api,) = web["rows"]
    assert "of 5 members report" in api["note"]
    total = math.fsum(members_2020.values())
    assert cli["value"] == pytest.approx(total, rel=1e-12)
    assert api["value"] == pytest.approx(total, rel=1e-12)


def test_profile_shows_the_same_region_figure(shared_store):
    profile = ProfileBuilder(shared_store).build("central-asia")
    line = next(s for sec in profile.sections for k, s in sec.series.items()
                if k == "remittances_received_usd")  # fmt: skip
    point = next(p for p in line.points if p.year == 2020)
    rows = migprofile.get(
        "remittances_received_usd", "central-asia", year=2020, store=shared_store
    ).to_pylist()
    assert rows[0]["value"] == pytest.approx(point.value, rel=1e-12)
