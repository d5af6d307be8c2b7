"""Values are checked where they are read: non-finite numbers, negative counts of people,
more people than the world holds, and shares outside 0-100 are errors naming file, sheet, row
and column, on every numeric path (TidyRows.add for the parsers, the tidy-file reader for
`migprofile import` and the GMDAC extract). A total is male + female only when both are known.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from fixtures import parse_with, rows, tidy_bilateral_csv, wdi_long_csv
from migprofile.errors import ParseError
from migprofile.sources import REGISTRY
from migprofile.sources._tidy import ImportSpec, parse_user_file
from migprofile.sources.base import TidyRows, check_value, value_bounds, value_problem

WDI = next(s for s in REGISTRY if s.id == "wdi")
GDIVIZ = next(s for s in REGISTRY if s.id == "gmdac_gdiviz")


# -- the one rule table --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "unit", "value"),
    [
        ("migrant_stock", "persons", -1.0),
        ("refugees", "persons", -5.0),
        ("idps_conflict_stock", "persons", -0.5),
        ("new_displacements_disaster", "movements", -3.0),
        ("immigrant_stock", "persons", 2e10),
        ("immigrant_pct_population", "%", 130.0),
        ("immigrant_female_pct", "%", -2.0),
        ("wdi:SI.POV.DDAY", "% of population", 101.0),
        ("wdi:SI.RMT.COST.IB.ZS", "%", 150.0),
        ("wdi:BX.TRF.PWKR.CD.DT", "current US$", math.inf),
        ("wdi:BX.TRF.PWKR.CD.DT", "current US$", -math.inf),
        ("wdi:BX.TRF.PWKR.CD.DT", "current US$", math.nan),
    ],
)
def test_value_refused(indicator, unit, value):
    assert value_problem(indicator, unit, value) is not None
    with pytest.raises(ParseError) as exc:
        check_value(indicator, unit, value, Path("f.csv"), sheet="S", row=7, col="C")
    message = str(exc.value)
    assert "f.csv" in message and "sheet 'S'" in message and "row 7" in message
    assert "column C" in message


@pytest.mark.parametrize(
    ("indicator", "unit", "value"),
    [
        ("wdi:SM.POP.NETM", "persons", -8708216.0),  # net migration: negative in real WDI
        ("wdi:SP.POP.TOTL", "persons", 8061876001.0),  # the world
        ("remittance_cost_corridor_pct", "%", -11.36),  # a real RPW corridor cost
        ("immigrant_pct_population", "%", 100.0049),  # UN DESA's rounding, in a real file
        ("wdi:BX.TRF.PWKR.DT.GD.ZS", "% of GDP", 235.9),  # remittances in a tiny economy
        ("wdi:SP.POP.GROW", "annual %", -3.2),  # growth rates can be negative
        ("wdi:BN.CAB.XOKA.CD", "BoP, current US$", -4e11),  # balances can be negative
        ("migrant_stock", "persons", 0.0),
    ],
)
def test_value_accepted(indicator, unit, value):
    assert value_problem(indicator, unit, value) is None


def test_every_bound_is_finite():
    """One chained comparison rejects NaN and ±inf only if no bound is infinite."""
    for ind, unit in [("x", ""), ("migrant_stock", "persons"), ("a", "% of GDP")]:
        lo, hi, _ = value_bounds(ind, unit)
        assert math.isfinite(lo) and math.isfinite(hi)


def test_tidy_rows_checks_every_add(tmp_path):
    out = TidyRows(tmp_path / "f.xlsx")
    out.add("migrant_stock", "MDA", 2020, 10.0, "persons", sheet="T1", row=3, col="D")
    with pytest.raises(ParseError, match=r"sheet 'T1', row 4: value -10 is negative.*column E"):
        out.add("migrant_stock", "MDA", 2015, -10.0, "persons", sheet="T1", row=4, col="E")
    with pytest.raises(ParseError, match="not a finite number"):
        out.add("migrant_stock", "ITA", 2015, math.nan, "persons", row=5, col="F")
    out.add("migrant_stock", "ITA", 2015, None, "persons", row=5, col="F")  # missing is fine


# -- through the parsers --------------------------------------------------------------------------


def _long(tmp_path, value) -> Path:
    rows_ = ((2023, "MDA", "Moldova", 2400000.0), (2022, "MDA", "Moldova", value))
    return wdi_long_csv(tmp_path / "ONE_wdi_SP.POP.TOTL.csv", rows=rows_)


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("inf", "not a finite number"),
        ("1e400", "not a finite number"),
        ("-2400000", "negative"),
        ("2e10", "world's population"),
    ],
)
def test_wdi_long_value_refused(tmp_path, cell, fragment):
    path = _long(tmp_path, cell)
    with pytest.raises(ParseError) as exc:
        parse_with(WDI, path)
    message = str(exc.value)
    assert path.name in message and "row 3" in message and fragment in message
    assert "column value" in message


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("inf", "not a finite number"),
        ("1e400", "not a finite number"),
        ("-40", "negative"),
        ("9.5e10", "world's population"),
    ],
)
def test_gdiviz_value_refused(tmp_path, cell, fragment):
    bad = list(BILATERAL)
    bad[3] = ("ITA", "MDA", 2020, "Female", cell)
    path = tidy_bilateral_csv(tmp_path / "gdiviz.csv", rows=bad)
    with pytest.raises(ParseError) as exc:
        parse_with(GDIVIZ, path)
    message = str(exc.value)
    assert "gdiviz.csv" in message and "row 5" in message and fragment in message
    assert "column 'v'" in message


BILATERAL = [
    ("ITA", "MDA", 2015, "Male", 30.0),
    ("ITA", "MDA", 2015, "Female", 70.0),
    ("ITA", "MDA", 2020, "Male", 40.0),
    ("ITA", "MDA", 2020, "Female", 90.0),
    ("UKR", "MDA", 2020, "Female", 25.0),
    ("UKR", "XXX", 2020, "Female", 4.0),  # the extract ends with an XXX female row
]


def _import_spec(**kw) -> ImportSpec:
    fields = dict(
        indicator="migrant_stock",
        geo_col="to",
        partner_col="from",
        year_col="t",
        sex_col="sex",
        value_col="v",
        unit="persons",
    )
    fields.update(kw)
    return ImportSpec(**fields)


@pytest.mark.parametrize("cell", ["inf", "-inf", "1e400", "-1"])
def test_user_import_value_refused(tmp_path, cell):
    """`migprofile import` reads a float column natively: inf must still be refused."""
    bad = list(BILATERAL)
    bad[1] = ("ITA", "MDA", 2015, "Female", cell)
    path = tidy_bilateral_csv(tmp_path / "mine.csv", rows=bad)
    from migprofile.geo import build_harmoniser

    with pytest.raises(ParseError, match=r"mine\.csv, row 3: .*column 'v'"):
        parse_user_file(path, _import_spec(), build_harmoniser())


def test_user_import_share_bound(tmp_path):
    path = tmp_path / "share.csv"
    path.write_text("geo,year,v\nMDA,2020,12.5\nITA,2020,140\n", encoding="utf-8")
    from migprofile.geo import build_harmoniser

    spec = ImportSpec("immigrant_pct_population", "geo", "v", "year", unit="%")
    with pytest.raises(ParseError, match=r"row 3: value 140 is outside 0 to 100.5"):
        parse_user_file(path, spec, build_harmoniser())


# -- total = male + female only when both are known ----------------------------------------------


@pytest.mark.parametrize("nan", ["nan", "NaN"])
def test_nan_is_refused_not_taken_as_missing(tmp_path, nan):
    data = list(BILATERAL)
    data[2] = ("ITA", "MDA", 2020, "Male", nan)
    path = tidy_bilateral_csv(tmp_path / "gdiviz.csv", rows=data)
    with pytest.raises(ParseError, match=r"gdiviz.csv, row 4: value nan is not a finite number"):
        parse_with(GDIVIZ, path)


@pytest.mark.parametrize("missing", [""])
def test_no_total_from_one_known_sex(tmp_path, missing):
    data = list(BILATERAL)
    data[2] = ("ITA", "MDA", 2020, "Male", missing)  # male given, but not a number
    path = tidy_bilateral_csv(tmp_path / "gdiviz.csv", rows=data)
    parsed, _ = parse_with(GDIVIZ, path)
    t = parsed.table
    assert rows(t, geo="ITA", partner="MDA", year=2020, sex="total") == []
    assert rows(t, geo="ITA", partner="MDA", year=2020, sex="female")[0]["value"] == 90.0
    assert rows(t, geo="ITA", partner="MDA", year=2015, sex="total")[0]["value"] == 100.0


def test_absent_sex_row_still_counts_as_zero(tmp_path):
    """The GMDAC extract drops zero cells: a pair with only a female row has male = 0."""
    path = tidy_bilateral_csv(tmp_path / "gdiviz.csv", rows=BILATERAL)
    parsed, _ = parse_with(GDIVIZ, path)
    assert rows(parsed.table, geo="UKR", partner="MDA", year=2020, sex="total")[0]["value"] == 25
