"""Figures extracted from news text: formats, qualifiers, counts, years; non-figures skipped."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from migprofile.news.figures import extract_figures

CORPUS_FILE = Path(__file__).with_name("news_corpus.py")


def one(text: str):
    figs = extract_figures(text)
    assert len(figs) == 1, [(f.text, f.value, f.unit) for f in figs]
    return figs[0]


def values(text: str) -> list[tuple[float, str]]:
    return [(f.value, f.unit) for f in extract_figures(text)]


def test_space_thousands_and_counts():
    f = one("Some 317 900 nationals working abroad sent money home in 2022.")
    assert (f.value, f.unit, f.counts, f.qualifier, f.year) == (
        317900.0,
        "persons",
        "nationals working abroad",
        "some",
        2022,
    )
    assert f.sentence.startswith("Some 317")
    assert "317 900" in f.text


@pytest.mark.parametrize("sep", ["\u00a0", "\u202f"])
def test_nbsp_thousands(sep):
    f = one(f"The office registered 12{sep}450 returnees.")
    assert (f.value, f.unit, f.counts) == (12450.0, "persons", "returnees")


def test_decimal_comma_million():
    f = one("About 3,5 million people were displaced.")
    assert (f.value, f.unit, f.qualifier, f.counts) == (3_500_000.0, "persons", "about", "people")


def test_decimal_comma_percent_and_end_year():
    f = one("Poverty fell to 25,3% as of end-2023.")
    assert (f.value, f.unit, f.year) == (25.3, "%", 2023)


def test_decimal_point_million():
    f = one("Last year 1.2 million migrants arrived.")
    assert (f.value, f.unit, f.counts) == (1_200_000.0, "persons", "migrants")


def test_comma_thousands():
    f = one("The country hosts 1,200,000 refugees.")
    assert (f.value, f.unit) == (1_200_000.0, "persons")


def test_usd_prefix():
    f = one("Sending USD 200 costs a lot.")
    assert (f.value, f.unit) == (200.0, "US$")


def test_us_dollar_billion():
    f = one("Remittances reached US$ 2.17 billion in 2022.")
    assert (f.value, f.unit, f.year) == (2_170_000_000.0, "US$", 2022)


def test_dollar_a_day():
    f = one("Many live on less than $2 a day.")
    assert (f.value, f.unit, f.counts, f.qualifier) == (2.0, "US$", "a day", "less than")


def test_dollars_in_words():
    f = one("Many live below two dollars a day.")
    assert (f.value, f.unit, f.counts) == (2.0, "US$", "a day")


def test_number_words_with_scale_and_people():
    assert values("Three million people and twenty-five children left.") == [
        (3_000_000.0, "persons"),
        (25.0, "persons"),
    ]
    assert values("Half a million refugees fled.") == [(500_000.0, "persons")]
    assert values("One of the largest groups came from one village.") == []


def test_qualifier_more_than_and_period():
    f = one("More than 500 workers returned between 2020 and 2022.")
    assert (f.value, f.unit, f.qualifier, f.counts) == (500.0, "persons", "more than", "workers")
    assert (f.year, f.period) == (2022, "2020-2022")


def test_unit_count():
    f = one("The 169 member states adopted the Compact.")
    assert (f.value, f.unit, f.counts) == (169.0, "count", "member states")


def test_one_in_four():
    f = one("Nearly one in four Moldovans lives abroad.")
    assert (f.value, f.unit, f.qualifier) == (25.0, "%", "nearly")


def test_euro():
    f = one("Each family received EUR 50 in 2021.")
    assert (f.value, f.unit, f.year) == (50.0, "EUR", 2021)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Unemployment was 12 per cent.", 12.0),
        ("Unemployment was 7.5 percent.", 7.5),
        ("Remittances equal 15.4% of GDP.", 15.4),
    ],
)
def test_percentages(text, value):
    f = one(text)
    assert (f.value, f.unit) == (value, "%")


def test_percent_counts_skip_of():
    assert one("Remittances equal 15.4% of GDP.").counts == "gdp"


def test_year_then_number():
    f = one("In 2023 150 000 people left.")
    assert (f.value, f.unit, f.year) == (150_000.0, "persons", 2023)


@pytest.mark.parametrize(
    "text",
    [
        "The report was published in 2023.",
        "Between 2015 and 2020 the law changed.",
        "Article 12 of the Convention applies.",
        "It was adopted on 12 March 2023.",
        "It was adopted on March 12, 2023.",
        "The data were released on 2023-05-10.",
        "The meeting is on 12.03.2024 at 10:30.",
        "Call +373 22 123 456 for help.",
        "Resolution 2254 and SDG 10.7 guide the work.",
        "The COVID-19 crisis hit hard.",
        "1. First point of the agenda.",
    ],
)
def test_not_figures(text):
    assert extract_figures(text) == []


def test_offsets_and_geo_callback():
    text = "Intro sentence here. Moldova counts 1.2 million emigrants."
    figs = extract_figures(text, geo_of_sentence=lambda s: "MDA" if "Moldova" in s else None)
    assert len(figs) == 1
    f = figs[0]
    assert text[f.start : f.start + 11] == "1.2 million"
    assert f.geo == "MDA"
    assert extract_figures(text)[0].geo is None


def _score(corpus) -> tuple[float, float, int, int, int]:
    expected_total = found_total = matched = 0
    for item in corpus:
        expected = list(item.figures)
        got = [(f.value, f.unit) for f in extract_figures(item.text)]
        expected_total += len(expected)
        found_total += len(got)
        left = list(got)
        for value, unit in expected:
            for i, (gv, gu) in enumerate(left):
                if gu == unit and abs(gv - value) <= 1e-6 * max(1.0, abs(value)):
                    matched += 1
                    del left[i]
                    break
    recall = matched / expected_total if expected_total else 1.0
    precision = matched / found_total if found_total else 1.0
    return recall, precision, matched, expected_total, found_total


def _misses(corpus) -> list[str]:
    out = []
    for item in corpus:
        got = sorted((f.value, f.unit) for f in extract_figures(item.text))
        want = sorted(item.figures)
        if got != want:
            out.append(f"  {item.title[:50]!r}: expected {want} got {got}")
    return out


@pytest.mark.skipif(not CORPUS_FILE.exists(), reason="corpus not written yet")
def test_corpus_score():
    spec = importlib.util.spec_from_file_location("news_corpus", CORPUS_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("news_corpus", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    corpus = module.CORPUS
    recall, precision, matched, expected, found = _score(corpus)
    units = Counter(u for item in corpus for _, u in item.figures)
    misses = _misses(corpus)
    print(
        f"\nfigures: recall {recall:.3f} precision {precision:.3f} "
        f"({matched} matched / {expected} expected / {found} found; units {dict(units)})"
    )
    for line in misses:
        print(line)
    assert recall >= 0.9
    assert precision >= 0.9
