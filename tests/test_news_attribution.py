"""A figure's country from its clause, pairs in the catalogue's orientation, the stated
precision as the tolerance (pure text: the geography the code defines, no store)."""

from __future__ import annotations

import pytest

from migprofile.news.attribution import attribute, clauses, english_mentions
from migprofile.news.figures import extract_figures
from migprofile.news.model import QuotedFigure
from migprofile.news.precision import stated_range
from migprofile.news.tagging import Tagger


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger.default()


def _attribute(tagger: Tagger, sentence: str):
    figures = [f for f in extract_figures(sentence) if f.unit != "count" or f.value >= 10]
    offsets = [(f.start, f.end) for f in figures]
    return figures, attribute(offsets, english_mentions(tagger, sentence), sentence)


@pytest.mark.parametrize(
    ("sentence", "geos"),
    [
        ("Remittances reached 14.2% of GDP in Georgia and 11.2% in Armenia.", ["GEO", "ARM"]),
        ("Georgia's remittances were 14.2% of GDP, Armenia's 11.2%.", ["GEO", "ARM"]),
        ("In Armenia, remittances were 11.2% of GDP, compared with 14.2% in Georgia.",
         ["ARM", "GEO"]),
        ("Armenian remittances equalled 11.2% of GDP while Georgia received 14.2%.",
         ["ARM", "GEO"]),
        ("Azerbaijan hosted 252,228 migrants, and Armenia 190,000.", ["AZE", "ARM"]),
    ],
)  # fmt: skip
def test_two_countries_in_one_sentence_never_share_a_figure(tagger, sentence, geos):
    _figures, found = _attribute(tagger, sentence)
    assert [a.geo for a in found] == geos, sentence


@pytest.mark.parametrize(
    ("sentence", "origin", "residence", "sender", "receiver"),
    [
        ("Some 527,000 Armenians lived in Russia in 2020.", "ARM", "RUS", "RUS", "ARM"),
        ("Sending money from Russia to Armenia cost 1.9% in 2020.", "RUS", "ARM", "RUS", "ARM"),
        ("About 150,000 people born in Moldova live in Italy.", "MDA", "ITA", "ITA", "MDA"),
        ("Remittances from Russia to Kyrgyzstan reached US$2.6 billion.",
         "RUS", "KGZ", "RUS", "KGZ"),
    ],
)  # fmt: skip
def test_pairs_in_the_catalogues_orientation(tagger, sentence, origin, residence, sender, receiver):
    _figures, found = _attribute(tagger, sentence)
    a = found[0]
    assert a.is_pair, sentence
    assert (a.origin, a.residence) == (origin, residence)
    assert (a.sender, a.receiver) == (sender, receiver)


def test_one_country_claims_are_not_pairs(tagger):
    _f, found = _attribute(tagger, "About 1.2 million Armenian-born people live abroad.")
    assert found[0].geo == "ARM" and not found[0].is_pair and found[0].role == "from"
    _f, found = _attribute(tagger, "There were 264,000 migrants in Azerbaijan in 2020.")
    assert found[0].geo == "AZE" and found[0].role == "in"


def test_no_country_in_the_clause_falls_back_to_the_sentence_then_the_item(tagger):
    sentence = "In Georgia, the figure was 14.2% of GDP."
    _f, found = _attribute(tagger, sentence)
    assert found[0].geo == "GEO"
    figures = extract_figures("Remittances were 14.2% of GDP.")
    out = attribute([(f.start, f.end) for f in figures], [], figures[0].sentence, "MDA")
    assert out[0].geo == "MDA" and out[0].rule == "item"


def test_clauses_cut_at_commas_but_not_in_numbers():
    sentence = "Armenia hosted 1,200,000 people, Georgia 25,3% of them"
    cut = [sentence[a:b] for a, b in clauses(sentence)]
    assert cut == ["Armenia hosted 1,200,000 people", " Georgia 25,3% of them"]


def _q(text: str, value: float, unit: str = "persons", qualifier: str = "") -> QuotedFigure:
    return QuotedFigure(text, value, unit, "", "", qualifier=qualifier)


@pytest.mark.parametrize(
    ("figure", "inside", "outside"),
    [
        (_q("1.16 million", 1.16e6), [1_155_000, 1_164_999], [1_150_000, 1_166_000]),
        (_q("1.2 million", 1.2e6, qualifier="about"), [1_141_000, 1_259_000], [1_139_000]),
        (_q("861,077", 861_077), [861_077], [861_078, 861_076]),
        (_q("500,000", 5e5, qualifier="more than"), [500_000, 2e6], [499_000]),
        (_q("one in five", 20.0, "%"), [17.5, 22.5], [17.4, 22.6]),
        (_q("a third", 33.33, "%", qualifier="almost"), [29.0, 33.3], [33.4, 28.0]),
        (_q("11.2%", 11.2, "%"), [11.15, 11.23], [11.26, 11.1]),
        (_q("527,000", 527_000), [526_997], [527_600]),
        (_q("10,000", -10_000), [-9_999], [-10_600, 9_999]),
        (_q("1,16 млн", 1.16e6), [1_159_443], [1_170_000]),
        (_q("317 900", 317_900), [317_900], [318_000]),
    ],
)
def test_the_tolerance_follows_the_stated_precision(figure, inside, outside):
    r = stated_range(figure)
    assert all(r.low <= x <= r.high for x in inside), (figure.text, r)
    assert not any(r.low <= x <= r.high for x in outside), (figure.text, r)
