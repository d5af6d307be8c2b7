"""Flow estimation from stocks (issue 16): the published test vectors, the demographic identity,
and the errors a user's tables can trigger."""

from __future__ import annotations

import numpy as np
import pytest

from migprofile.flows import methods as fm

# Abel & Sander 2014 (Science 343:1520), supplementary toy example: rows birthplace, cols A-D.
AS_S0 = [[1000, 100, 10, 0], [55, 555, 50, 5], [80, 40, 800, 40], [20, 25, 20, 200]]
AS_S1 = [[950, 100, 60, 0], [80, 505, 75, 5], [90, 30, 800, 40], [40, 45, 0, 180]]
# Abel & Cohen 2019 (Scientific Data 6:82), figure 1.
AC_S0 = [[100, 10, 10, 0], [80, 180, 10, 90], [30, 10, 140, 40], [60, 70, 10, 160]]
AC_S1 = [[95, 5, 15, 5], [75, 225, 5, 55], [55, 0, 115, 50], [35, 25, 25, 215]]


def test_abel_sander_demographic() -> None:
    est = fm.demographic(AS_S0, AS_S1)
    expected = [[0, 0, 50, 0], [35, 0, 25, 0], [10, 10, 0, 0], [10, 10, 0, 0]]
    np.testing.assert_allclose(est.flows, expected, atol=1e-6)
    assert est.total == pytest.approx(150)


def test_abel_sander_independent() -> None:
    est = fm.demographic_independent(AS_S0, AS_S1)
    assert round(est.total, 1) == 880.6
    assert round(est.flows[0, 1], 1) == 137.8  # A → B
    assert round(est.flows[1, 0], 1) == 159.9  # B → A
    assert round(est.flows[2, 3], 1) == 47.3  # C → D


def test_abel_cohen_demographic() -> None:
    est = fm.demographic(AC_S0, AC_S1)
    expected = [[0, 5, 7.9, 22.1], [7.1, 0, 12.1, 40.7], [17.9, 5, 0, 7.1], [0, 35, 0, 0]]
    np.testing.assert_allclose(np.round(est.flows, 1), expected)
    assert est.total == pytest.approx(160)


def test_abel_cohen_differencing() -> None:
    zero = fm.diff_zero(AC_S0, AC_S1).flows
    ret = fm.diff_return(AC_S0, AC_S1).flows
    assert zero.tolist() == [[0, 0, 5, 5], [0, 0, 0, 0], [25, 0, 0, 10], [0, 0, 15, 0]]
    assert ret.tolist() == [[0, 5, 5, 30], [5, 0, 10, 45], [25, 5, 0, 10], [0, 35, 15, 0]]


def test_rates_dennett_shares_the_total_by_stock() -> None:
    est = fm.rates_dennett(AC_S0, total=1000)
    assert est.total == pytest.approx(1000)
    p = np.array(AC_S0, dtype=float)
    np.fill_diagonal(p, 0)
    np.testing.assert_allclose(est.flows, 1000 * p / p.sum())


def _world(n: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    """Stocks with a large native-born diagonal, and births and deaths."""
    s0 = rng.integers(0, 5_000, size=(n, n)).astype(float)
    s1 = s0 + rng.integers(-1_000, 1_500, size=(n, n))
    s1 = np.maximum(s1, 0)
    for s in (s0, s1):
        np.fill_diagonal(s, rng.integers(200_000, 900_000, size=n))
    births = rng.integers(5_000, 40_000, size=n).astype(float)
    deaths = rng.integers(5_000, 40_000, size=n).astype(float)
    return s0, s1, births, deaths


@pytest.mark.parametrize("method", ["demographic", "demographic-independent"])
def test_net_flow_is_population_change_minus_natural_increase(method: str) -> None:
    rng = np.random.default_rng(7)
    s0, s1, births, deaths = _world(12, rng)
    est = fm.estimate(method, s0, s1, births, deaths)
    b0, b1, _f0, _f1 = fm.demographic_tables(s0, s1, births, deaths)
    # the balance step closes the world: total change = births - deaths
    assert b1.sum() - b0.sum() == pytest.approx((births - deaths).sum())
    expected = (b1.sum(axis=0) - b0.sum(axis=0)) - (births - deaths)
    np.testing.assert_allclose(fm.net_inflow(est.flows), expected, atol=0.05)
    assert (est.flows >= 0).all()
    assert np.all(np.diag(est.flows) == 0)


def test_balance_keeps_integers() -> None:
    rng = np.random.default_rng(3)
    s0, s1, births, deaths = _world(6, rng)
    births[0] += 1  # an odd imbalance: delta / 2 is not whole
    b0, b1, _f0, _f1 = fm.demographic_tables(s0, s1, births, deaths)
    assert np.all(np.mod(b0, 1) == 0) and np.all(np.mod(b1, 1) == 0)
    assert b1.sum() - b0.sum() == (births - deaths).sum()


def test_by_birthplace_adds_up_to_the_flows() -> None:
    rng = np.random.default_rng(11)
    s0, s1, births, deaths = _world(8, rng)
    for method in ("demographic", "demographic-independent"):
        est = fm.estimate(method, s0, s1, births, deaths, by_birthplace=True)
        assert est.by_birthplace is not None
        np.testing.assert_allclose(est.by_birthplace.sum(axis=0), est.flows, rtol=1e-9)


def test_a_seed_changes_the_pattern_not_the_margins() -> None:
    rng = np.random.default_rng(5)
    s0, s1, births, deaths = _world(6, rng)
    distance = rng.uniform(1, 10, size=(6, 6))
    plain = fm.demographic(s0, s1, births, deaths)
    seeded = fm.demographic(s0, s1, births, deaths, seed=1 / distance)
    np.testing.assert_allclose(fm.net_inflow(plain.flows), fm.net_inflow(seeded.flows), atol=0.05)
    assert not np.allclose(plain.flows, seeded.flows)


@pytest.mark.parametrize(
    ("s0", "s1", "needle"),
    [
        ([[1, 2, 3]], [[1, 2, 3]], "square"),
        ([[1, -2], [3, 4]], [[1, 2], [3, 4]], "negative stock -2 at row 0, column 1"),
        ([[1, float("nan")], [3, 4]], [[1, 2], [3, 4]], "missing"),
        ([[1, 2], [3, 4]], [[1, 2, 0], [3, 4, 0], [0, 0, 1]], "must match"),
    ],
)
def test_bad_tables_are_named(s0: list, s1: list, needle: str) -> None:
    with pytest.raises(fm.FlowError, match=needle):
        fm.demographic(s0, s1)


def test_other_errors() -> None:
    with pytest.raises(fm.FlowError, match="births: 4 values"):
        fm.demographic(AC_S0, AC_S1, births=[1, 2, 3])
    with pytest.raises(fm.FlowError, match="deaths of place 0"):
        fm.demographic(AC_S0, AC_S1, births=[0, 0, 0, 300], deaths=[300, 0, 0, 0])
    with pytest.raises(fm.FlowError, match="--total"):
        fm.estimate("rates-dennett", AC_S0, AC_S1)
    with pytest.raises(fm.FlowError, match="unknown 'gravity'"):
        fm.estimate("gravity", AC_S0, AC_S1)
    with pytest.raises(fm.FlowError, match="totals disagree"):
        fm.ipf_table(np.ones((2, 2)), np.array([1.0, 1.0]), np.array([5.0, 5.0]))


# -- the CLI over a user's CSV files -----------------------------------------------------------
def _stock_csv(path, tables: dict[int, list[list[float]]], places: str = "ABCD") -> None:
    lines = ["birthplace,residence,year,stock"]
    for year, table in tables.items():
        for i, row in enumerate(table):
            for j, value in enumerate(row):
                if value or i == j:
                    lines.append(f"{places[i]},{places[j]},{year},{value}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _run(*args: str):
    from typer.testing import CliRunner

    from migprofile.cli import app

    return CliRunner().invoke(app, list(args))


def _estimate(stocks, *more: str):
    """`migprofile flows estimate STOCKS --t0 2015 --t1 2020 [more]`."""
    return _run("flows", "estimate", str(stocks), "--t0", "2015", "--t1", "2020", *more)


def test_cli_estimate_reproduces_the_vector(tmp_path) -> None:
    stocks = tmp_path / "stocks.csv"
    # zero cells in both years are simply left out, as users' files do
    _stock_csv(stocks, {2015: AS_S0, 2020: AS_S1})
    res = _run("flows", "estimate", str(stocks), "--t0", "2015", "--t1", "2020")
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0] == "origin,destination,flow"
    assert lines[1:] == ["A,C,50", "B,A,35", "B,C,25", "C,A,10", "C,B,10", "D,A,10", "D,B,10"]


def test_cli_by_birthplace_and_out_file(tmp_path) -> None:
    stocks, out = tmp_path / "stocks.csv", tmp_path / "flows.csv"
    _stock_csv(stocks, {2015: AC_S0, 2020: AC_S1})
    res = _run(
        "flows",
        "estimate",
        str(stocks),
        "--t0",
        "2015",
        "--t1",
        "2020",
        "--method",
        "diff-return",
        "--out",
        str(out),
    )
    assert res.exit_code == 0, res.output
    assert "A,D,30" in out.read_text().splitlines()
    res = _run("flows", "estimate", str(stocks), "--t0", "2015", "--t1", "2020", "--by-birthplace")
    rows = [r.split(",") for r in res.stdout.strip().splitlines()]
    assert rows[0] == ["origin", "destination", "birthplace", "flow"]
    total = sum(float(r[3]) for r in rows[1:])
    assert total == pytest.approx(160, abs=0.01)


def test_cli_demography_file(tmp_path) -> None:
    rng = np.random.default_rng(2)
    s0, s1, births, deaths = _world(4, rng)
    stocks, demog = tmp_path / "stocks.csv", tmp_path / "demog.csv"
    _stock_csv(stocks, {2015: s0.tolist(), 2020: s1.tolist()})
    demog.write_text(
        "region,births,deaths\n"
        + "".join(f"{p},{b:.0f},{d:.0f}\n" for p, b, d in zip("ABCD", births, deaths, strict=True)),
        encoding="utf-8",
    )
    res = _estimate(stocks, "--demography", str(demog))
    assert res.exit_code == 0, res.output
    got = {tuple(r.split(",")[:2]): float(r.split(",")[2]) for r in res.stdout.split()[1:]}
    want = fm.demographic(s0, s1, births, deaths).flows
    assert got, "no flows written"
    for o, origin in enumerate("ABCD"):
        for d, destination in enumerate("ABCD"):
            if o != d:
                assert got.get((origin, destination), 0) == pytest.approx(want[o, d], abs=1e-3)


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        (
            "birthplace,residence,year,stock\nA,A,2015,5\nA,A,2020,5\nA,B,2015,3\n",
            "native-born cell (birthplace = residence) is missing for B",
        ),
        (
            "birthplace,residence,year,stock\nA,A,2015,5\nA,A,2020,5\nB,B,2015,1\nB,B,2020,1\n"
            "A,B,2015,3\nA,B,2015,4\n",
            "row 7: A → B in 2015 given twice (first on row 6)",
        ),
        ("birthplace,residence,year,stock\nA,A,2015,-5\n", "row 2: stock must be a number ≥ 0"),
        ("birthplace,residence,year,stock\nA,A,2015,\n", "row 2: stock must be a number ≥ 0"),
        ("place,year,stock\nA,2015,5\n", "missing column(s) birthplace, residence"),
    ],
)
def test_cli_bad_stock_files_get_one_line(tmp_path, text: str, needle: str) -> None:
    stocks = tmp_path / "stocks.csv"
    stocks.write_text(text, encoding="utf-8")
    res = _run("flows", "estimate", str(stocks), "--t0", "2015", "--t1", "2020")
    assert res.exit_code != 0
    message = str(res.exception) if res.exception else res.output
    assert needle in message
    assert "Traceback" not in res.output


def test_cli_demography_must_cover_every_place(tmp_path) -> None:
    stocks, demog = tmp_path / "stocks.csv", tmp_path / "demog.csv"
    _stock_csv(stocks, {2015: AC_S0, 2020: AC_S1})
    demog.write_text("region,births,deaths\nA,1,1\nB,1,1\n", encoding="utf-8")
    res = _estimate(stocks, "--demography", str(demog))
    assert "no births and deaths for C, D" in str(res.exception)
