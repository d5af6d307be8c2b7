"""Profiles against the real publisher files: every figure is the store's value, regions are
their members' sums with coverage stated, thin countries build without inventing zeros."""

from __future__ import annotations

import json
import math

import pytest

from migprofile.indicators import observations
from migprofile.wording import human, short

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def store(shared_store):
    return shared_store


def _store_value(store, f):
    """The store's own answer for the figure's indicator, geo, partner, year, sex, period."""
    rows = observations(
        store,
        f.indicator,
        f.geo,
        partner=f.partner or None,
        year=f.year,
        sex=f.sex,
        period=f.period or None,
    ).to_pylist()
    assert len(rows) == 1, (f.indicator, f.geo, f.partner, f.year, rows)
    return rows[0]


def test_every_mda_figure_is_the_store_value(store, mda):
    figures = mda.all_figures()
    assert len(figures) > 300
    for f in figures:
        row = _store_value(store, f)
        assert row["value"] == f.value, (f.indicator, f.year)
        assert row["source"] == f.source and row["edition"] == f.edition


def test_json_output_round_trips_the_figures(store, mda, tmp_path):
    from migprofile.render.jsonout import render_json

    data = json.loads(render_json(mda))
    assert data["geo"] == "MDA" and data["kind"] == "country"
    facts = {f["indicator"]: f for f in data["key_facts"]}
    assert facts["immigrant_stock"]["value"] == 104438
    assert facts["immigrant_stock"]["citation"] == "UN DESA 2020"
    assert facts["immigrant_stock"]["cell"] == "Table 1!L161"
    assert facts["emigrant_stock"]["value"] == 1159443
    for f in data["key_facts"]:
        assert f["source"] and f["edition"] and f["sha256"], f


def test_narrative_formats_numbers_for_people_and_cites(mda):
    text = " ".join(s.text for s in mda.narrative)
    assert "1.16 million people born in the Republic of Moldova lived abroad" in text
    # 25.4% is the largest share, not "most" (issue 12)
    assert (
        "The largest number of them lived in the Russian Federation (294,152, 25.4%), "
        "followed by Romania and Italy." in text
    )
    assert "[UN DESA" in text and "[World Bank WDI 2023-05-10]" in text
    assert all(s.citations for s in mda.narrative)


def test_sources_and_gaps_for_mda(mda):
    by_source = {s.source: s for s in mda.sources}
    assert by_source["undesa_ims_destination"].editions == ["2019", "2020"]
    assert by_source["undesa_ims_destination"].first_year == 1990
    assert by_source["wdi"].latest_year == 2023
    assert by_source["idmc"].missing_years  # MDA has IDMC data for 2008 only
    gaps = {g.label: g for g in mda.gaps}
    remit = gaps["Remittances received: WDI vs KNOMAD"]
    assert remit.year == 2022 and remit.value_a == 2170000000.0
    assert math.isclose(remit.value_b, 2036.9e6, rel_tol=1e-4)
    assert remit.gap_pct == pytest.approx(-6.13, abs=0.01)


def test_central_asia_immigrant_stock_is_the_sum_of_its_members(store, builder):
    profile = builder.build("central-asia")
    assert profile.kind == "region" and profile.members == ["KAZ", "KGZ", "TJK", "TKM", "UZB"]
    fact = next(f for f in profile.key_facts if f.indicator == "immigrant_stock")
    members = [
        observations(store, "immigrant_stock", m, year=fact.year).to_pylist()[0]["value"]
        for m in profile.members
    ]
    assert fact.value == sum(members)
    assert fact.coverage == "5 of 5 members report"
    # the headline year: no year has members with 80% of the population reporting, so the
    # best-covered year (by population), not the latest year any one member reports (issue 12)
    idps = next(f for f in profile.key_facts if f.indicator == "idps_conflict_stock")
    line = profile.section("displacement").series["idps_conflict_stock"].points
    most = max(int(p.coverage.split(" of ")[0]) for p in line)
    assert idps.coverage.startswith(f"{most} of 5 members report")
    assert idps.year in {p.year for p in line if p.coverage.startswith(f"{most} of")}


def test_thin_country_says_what_is_missing_never_zero(builder):
    tuv = builder.build("TUV")
    assert any("IDMC" in line and "Tuvalu" in line for line in tuv.cannot_say)
    shown = {f.indicator for f in tuv.key_facts}
    assert "idps_conflict_stock" not in shown and "refugees_hosted" not in shown
    assert all(f.value is not None for f in tuv.all_figures())
    assert not any("displaced" in s.text for s in tuv.narrative)


def test_numbers_for_people():
    assert human(1159443) == "1.16 million"
    assert human(294152) == "294,152"
    assert human(15.493, "%") == "15.5%"
    assert human(2.17e9, "current US$") == "US$ 2.17 billion"
    assert short(16_000_000) == "16M" and short(53_000) == "53K" and short(2_170_000_000) == "2.2B"
    assert human(None) == "no data"


def test_cli_build_writes_four_files_whose_figures_equal_the_store(
    store, run_cli, module_home, tmp_path
):
    out = tmp_path / "out"
    result = run_cli("build", "MDA", "--format", "html,pdf,md,json", "--out", out, home=module_home)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["MDA.html", "MDA.json", "MDA.md", "MDA.pdf"]
    data = json.loads((out / "MDA.json").read_text())
    figures = list(data["key_facts"])
    for section in data["sections"]:
        figures += section["figures"]
        for group in ("series", "rankings"):
            for series in section[group].values():
                figures += series["points"]
    assert len(figures) > 300
    for f in figures:
        rows = observations(
            store, f["indicator"], f["geo"], partner=f["partner"] or None, year=f["year"],
            sex=f["sex"], period=f["period"] or None,
        ).to_pylist()  # fmt: skip
        assert [r["value"] for r in rows] == [f["value"]], (f["indicator"], f["geo"], f["year"])
    html = (out / "MDA.html").read_text()
    md = (out / "MDA.md").read_text()
    for fact in data["key_facts"]:
        assert human(fact["value"], fact["unit"]) in html
        assert human(fact["value"], fact["unit"]) in md


def test_cli_build_all_regions(run_cli, module_home, tmp_path, store):
    out = tmp_path / "all"
    result = run_cli(
        "build", "--all", "--regions", "--format", "html,json", "--out", out, home=module_home
    )
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    for geo in ("MDA", "ARM", "TUV", "central-asia", "south-caucasus", "eastern-partnership",
                "western-balkans", "world", "europe"):  # fmt: skip
        assert f"{geo}.html" in names and f"{geo}.json" in names, geo
    countries = store.con.execute(
        "SELECT count(DISTINCT o.geo) FROM observations o JOIN geo g USING (geo) "
        "WHERE g.kind = 'country' AND o.value IS NOT NULL"
    ).fetchall()[0][0]
    assert len([n for n in names if n.endswith(".json") and n[:3].isupper()]) == countries
