"""`flows build` on the real files (issue 16): UN DESA 2024 stocks, WDI population, WPP 2024
births and deaths, linked (never copied) from ../shared/data-next. Skipped when absent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from tests.fixtures import ingested

NEXT = Path(__file__).resolve().parents[2] / "shared" / "data-next"
FILES = (
    "iom_gdidata/gdidata_undesa_stocks_2024.csv",
    "undesa_ims/undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
    "worldbank_wdi_csv_2024/API_SP.POP.TOTL_DS2_en_csv_v2_56.csv",
    "wpp2024/wpp2024_misc1dt.csv",
)
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def flows_db(tmp_path_factory, module_home) -> Path:
    missing = [f for f in FILES if not (NEXT / f).is_file()]
    if missing:
        pytest.skip(f"../shared/data-next lacks {', '.join(missing)}")
    db = tmp_path_factory.mktemp("flows") / "s.duckdb"
    ingested(tmp_path_factory.mktemp("raw"), db=db, link=[NEXT / f for f in FILES])
    return db


@pytest.fixture(scope="module")
def built(flows_db):
    from migprofile.flows.build import build_flows

    return build_flows(flows_db, 2015, 2020)


def test_every_method_for_every_country(built) -> None:
    from migprofile.flows import METHODS

    assert built.stored and built.places > 200
    assert set(built.totals) == set(METHODS)
    assert all(total > 0 for total in built.totals.values())
    # the minimum-migration estimate moves fewer people than the independence model
    assert built.totals["demographic"] < built.totals["demographic-independent"]
    assert built.totals["rates-dennett"] == pytest.approx(built.totals["demographic"])


def test_no_negative_flow_and_the_identity_on_real_data(flows_db) -> None:
    from migprofile.flows import methods as fm
    from migprofile.flows.build import flow_inputs, run_methods
    from migprofile.store import Store

    with Store.open(flows_db) as store:
        inputs = flow_inputs(store, 2015, 2020)
    results = run_methods(inputs)
    for est in results.values():
        assert (est.flows >= 0).all(), est.method
    b0, b1, _f0, _f1 = fm.demographic_tables(inputs.s0, inputs.s1, inputs.births, inputs.deaths)
    natural = inputs.births - inputs.deaths
    expected = (b1.sum(axis=0) - b0.sum(axis=0)) - natural
    for method in ("demographic", "demographic-independent"):
        net = fm.net_inflow(results[method].flows)
        # to within the IPF's stopping rule (cell changes below 1e-3 a cycle): a few persons
        np.testing.assert_allclose(net, expected, atol=5.0, rtol=1e-6)
    # the tables are closed to the world population of both years
    mda = inputs.places.index("MDA")
    assert inputs.s0[:, mda].sum() > 2_000_000


def test_stored_flows_read_like_any_indicator(flows_db, built) -> None:
    from migprofile.indicators import observations
    from migprofile.store import Store

    with Store.open(flows_db) as store:
        emig = observations(store, "emigration_flow", "MDA").to_pylist()
        pair = observations(store, "migration_flow", "RUS", partner="MDA").to_pylist()
        src = store.source_rows()
    assert [r["year"] for r in emig] == [2020]
    assert emig[0]["value"] > 0 and emig[0]["source"] == "migprofile_flows"
    assert pair and pair[0]["edition"] == "2015-2020"
    assert "demographic" in pair[0]["note"] and "modelled" in pair[0]["note"]
    flows = next(s for s in src if s["source"] == "migprofile_flows")
    assert flows["modelled"] is True


def test_a_second_build_changes_nothing(flows_db, built) -> None:
    from migprofile.flows.build import build_flows

    again = build_flows(flows_db, 2015, 2020)
    assert again.stored is False


def test_bad_parameters_get_one_line(flows_db) -> None:
    from migprofile.errors import UsageError
    from migprofile.flows.build import build_flows

    with pytest.raises(UsageError, match="--edition 1999"):
        build_flows(flows_db, 2015, 2020, edition="1999")
    with pytest.raises(UsageError, match="--t1 must be later"):
        build_flows(flows_db, 2020, 2015)
    with pytest.raises(UsageError, match=r"--regions: no stocks.*XXX"):
        build_flows(flows_db, 2015, 2020, regions=["MDA", "XXX"])


def test_profile_ranges_span_the_methods(flows_db, built) -> None:
    from migprofile.indicators import observations
    from migprofile.profiles.flows import flow_estimates
    from migprofile.store import Store

    with Store.open(flows_db) as store:
        est = flow_estimates(store, "MDA")
        emig = observations(store, "emigration_flow", "MDA").to_pylist()[0]["value"]
        pair = observations(store, "migration_flow:diff-zero", "ITA", partner="MDA")
        pair_value = pair.to_pylist()[0]["value"] if pair.num_rows else 0.0
    assert est is not None and est.period == "2015–2020"
    assert est.emigration.by_method["demographic"] == pytest.approx(emig)
    assert est.emigration.low == min(est.emigration.by_method.values())
    assert est.emigration.high == max(est.emigration.by_method.values())
    assert est.emigration.low < est.emigration.high
    italy = next(c for c in est.corridors_out if c.destination == "ITA")
    assert italy.by_method["diff-zero"] == pytest.approx(pair_value)
    assert all(c.low <= c.by_method["demographic"] <= c.high for c in est.corridors_out)
    assert len(est.corridors_out) == 5 and len(est.corridors_in) == 5


def test_get_and_the_api_take_a_method(flows_db, built, monkeypatch) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from migprofile.cli import app as cli_app
    from migprofile.indicators import observations
    from migprofile.indicators.catalogue import method_variant
    from migprofile.profiles.flows import flow_estimates
    from migprofile.store import Store
    from migprofile.web import create_app

    with Store.open(flows_db) as store:
        est = flow_estimates(store, "MDA")
        zero = observations(store, method_variant("emigration_flow", "diff-zero"), "MDA")
    assert est is not None
    assert zero.to_pylist()[0]["value"] == pytest.approx(est.emigration.by_method["diff-zero"])
    with TestClient(create_app(flows_db)) as client:
        res = client.get("/api/indicators/emigration_flow/data?geo=MDA&method=diff-return")
        assert res.status_code == 200, res.text
        value = res.json()["rows"][0]["value"]
        assert value == pytest.approx(est.emigration.by_method["diff-return"])
        bad = client.get("/api/indicators/emigration_flow/data?geo=MDA&method=gravity")
        assert bad.status_code == 400 and "gravity" in bad.json()["detail"]
        other = client.get("/api/indicators/immigrant_stock/data?geo=MDA&method=diff-zero")
        assert other.status_code == 400 and "only for the estimated flows" in other.json()["detail"]
    monkeypatch.setenv("MIGPROFILE_HOME", str(flows_db.parent))
    monkeypatch.setattr("migprofile.config.db_path", lambda: flows_db)
    res = CliRunner().invoke(
        cli_app, ["get", "migration_flow", "ITA", "--partner", "MDA", "--method", "diff-zero",
                  "--format", "csv"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    assert "migration_flow:diff-zero" in res.stdout


def test_moldovas_profile_shows_the_range(flows_db, built) -> None:
    from migprofile.profiles import ProfileBuilder
    from migprofile.render.flows_text import range_text
    from migprofile.render.markdown import render_markdown
    from migprofile.store import Store

    with Store.open(flows_db) as store:
        profile = ProfileBuilder(store).build("MDA")
    assert profile.flows is not None
    md = render_markdown(profile)
    assert "Estimated migration flows 2015–2020 (modelled)" in md
    assert "Estimates, not counts" in md
    assert range_text(profile.flows.emigration) in md
    assert profile.to_dict()["flows"]["emigration"]["by_method"]["demographic"] > 0
    # the range is across methods, never one method's figure alone
    assert profile.flows.emigration.low < profile.flows.emigration.high


def test_moldovas_pdf_shows_the_range_as_a_table(flows_db, built) -> None:
    from migprofile.profiles import ProfileBuilder
    from migprofile.render.flows_text import range_text
    from migprofile.render.pdf import document_data
    from migprofile.store import Store

    with Store.open(flows_db) as store:
        profile = ProfileBuilder(store).build("MDA")
    assert profile.flows is not None
    data = document_data(profile)
    flows = next(s for s in data["sections"] if s["id"] == "flows")
    assert flows["title"] == "Estimated migration flows 2015–2020 (modelled)"
    table = flows["blocks"][0]
    assert table["rows"][0][1] == range_text(profile.flows.emigration)
    assert "demographic" in table["rows"][0][2]
    assert table["note"].startswith("Estimates, not counts") and "sha256" in table["note"]
    # modelled figures stand apart: no observed section holds them
    observed = [s for s in data["sections"] if s["id"] != "flows"]
    assert not any("migration_flow" in str(s) for s in observed)


def test_moldovas_html_draws_the_ranges(flows_db, built) -> None:
    from migprofile.profiles import ProfileBuilder
    from migprofile.render.charts import flow_ranges_chart
    from migprofile.render.html import render_html
    from migprofile.store import Store

    with Store.open(flows_db) as store:
        profile = ProfileBuilder(store).build("MDA")
    assert profile.flows is not None
    chart = flow_ranges_chart(profile.flows, "Source: x", "t")
    assert chart is not None
    bars, dots = (layer["data"]["values"] for layer in chart.spec["vconcat"][0]["layer"])
    corridors = [*profile.flows.corridors_out, *profile.flows.corridors_in]
    assert [(b["low"], b["high"]) for b in bars] == [(r.low, r.high) for r in corridors]
    assert len(dots) == sum(len(r.by_method) for r in corridors)  # one dot per method
    assert 'id="chart-flows"' in render_html(profile, standalone=False, bundle_url="/b.js")
