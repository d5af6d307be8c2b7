"""Verdicts on quoted figures, built from the store's own values (needs ../shared/data)."""

from __future__ import annotations

import pytest

from migprofile.indicators import observations
from migprofile.news.check import INDICATOR_SYNONYMS, check_figure, check_item, find_indicator
from migprofile.news.figures import extract_figures
from migprofile.news.model import NewsItem, Tag

EVIDENCE = ("consistent", "differs", "different definition")


def _fig(text: str, unit: str):
    figs = [f for f in extract_figures(text) if f.unit == unit]
    assert figs, text
    return figs[0]


def _evidence(v):
    assert v.data_value is not None and v.source and v.edition and v.sha256 and v.data_year


@pytest.fixture(scope="module")
def mda_emigrants(shared_store) -> float:
    rows = observations(shared_store, "emigrant_stock", "MDA", year=2020).to_pylist()
    assert rows
    return float(rows[0]["value"])


def test_synonyms_documented():
    assert "working abroad" in INDICATOR_SYNONYMS["emigrant_stock"]
    assert "internally displaced" in INDICATOR_SYNONYMS["idps_conflict_stock"]
    f = extract_figures("Remittances equal 15.4% of GDP.")[0]
    assert find_indicator(f)[0] == "remittances_received_pct_gdp"
    f = extract_figures("Remittances reached US$ 2 billion.")[0]
    assert find_indicator(f)[0] == "remittances_received_usd"
    text = "Kosovars living abroad sent home a lot; the diaspora week welcomed 15 000 visitors."
    visitors = next(f for f in extract_figures(text) if f.counts == "visitors")
    assert find_indicator(visitors)[0] is None  # a specific noun: the sentence is not read


def test_exact_value_consistent(shared_store, mda_emigrants):
    fig = _fig(f"In 2020, {int(mda_emigrants):,} emigrants were born in Moldova.", "persons")
    v = check_figure(shared_store, fig, geo="MDA")
    assert v.verdict == "consistent", v.explanation
    assert v.indicator == "emigrant_stock"
    assert v.data_value == mda_emigrants and v.data_year == 2020
    _evidence(v)


def test_rounded_millions_consistent(shared_store, mda_emigrants):
    text = f"In 2020, {mda_emigrants / 1e6:.2f} million Moldovan emigrants lived abroad."
    v = check_figure(shared_store, _fig(text, "persons"), geo="MDA")
    assert v.verdict == "consistent", v.explanation
    assert abs(v.difference_pct) <= 5


def test_off_by_30_percent_differs(shared_store, mda_emigrants):
    quoted = round(mda_emigrants * 1.3)
    fig = _fig(f"In 2020, {quoted:,} emigrants were born in Moldova.", "persons")
    v = check_figure(shared_store, fig, geo="MDA")
    assert v.verdict == "differs", v.explanation
    assert v.data_value == mda_emigrants
    assert v.figure.value == quoted
    assert v.difference_pct == pytest.approx(30.0, abs=0.1)
    assert f"{quoted:,}" in v.explanation and f"{mda_emigrants:,.0f}" in v.explanation
    _evidence(v)


def test_poverty_line_different_definition(shared_store):
    fig = _fig("In 2022, 12.5% of Moldovans live below two dollars a day.", "%")
    v = check_figure(shared_store, fig, geo="MDA")
    assert v.verdict == "different definition", v.explanation
    assert v.indicator == "poverty_headcount_pct"
    assert "3.00" in v.explanation and "2" in v.explanation
    _evidence(v)


def test_working_abroad_different_definition(shared_store, mda_emigrants):
    fig = _fig("In 2020, 317 900 nationals working abroad sent money home.", "persons")
    v = check_figure(shared_store, fig, geo="MDA")
    assert v.verdict == "different definition", v.explanation
    assert v.indicator == "emigrant_stock"
    assert v.data_value == mda_emigrants
    assert "labour" in v.explanation
    _evidence(v)


def test_a_year_without_data_is_no_data_with_the_nearest_as_evidence(shared_store):
    years = {r["year"] for r in observations(shared_store, "emigrant_stock", "MDA").to_pylist()}
    year = next(y for y in range(2023, 1990, -1) if y not in years)
    fig = _fig(f"In {year}, 3.7 million emigrants lived abroad.", "persons")  # no year has it
    v = check_figure(shared_store, fig, geo="MDA")
    assert v.verdict == "no data", v.explanation  # "in 2013" means 2013, never 2015
    assert str(year) in v.explanation and str(v.data_year) in v.explanation
    _evidence(v)


@pytest.mark.parametrize(
    ("text", "unit", "geo"),
    [
        ("In 2022, Tuvalu counted 500 internally displaced people.", "persons", "TUV"),
        ("Tuvalu hosts 120 refugees.", "persons", "TUV"),
    ],
)
def test_no_rows_no_data(shared_store, text, unit, geo):
    v = check_figure(shared_store, _fig(text, unit), geo=geo)
    assert v.verdict == "no data"
    assert "no" in v.explanation and geo in v.explanation
    assert v.data_value is None


def test_no_indicator_or_geo_no_data(shared_store):
    v = check_figure(shared_store, _fig("The 169 member states agreed.", "count"), geo="MDA")
    assert v.verdict == "no data" and "no catalogue indicator" in v.explanation
    v = check_figure(shared_store, _fig("1.2 million emigrants left.", "persons"), geo=None)
    assert v.verdict == "no data" and "no country" in v.explanation


def test_check_item_uses_single_geo_tag(shared_store, mda_emigrants):
    text = f"In 2020, {int(mda_emigrants):,} emigrants. The 169 member states agreed."
    item = NewsItem(title="Diaspora", text=text, origin="test")
    tags = [Tag(kind="geo", value="MDA", evidence=["Moldova"])]
    verdicts = check_item(shared_store, item, tags, extract_figures(text))
    # "169 member states" is a count no indicator holds: not a claim, no verdict
    assert [v.verdict for v in verdicts] == ["consistent"]
    for v in verdicts:
        if v.verdict in EVIDENCE:
            _evidence(v)
