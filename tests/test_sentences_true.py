"""Every generated sentence is checked against the profile's own figures (issue 12, item 3):
run over every country and region profile built from ../shared/data, the checker finds nothing,
so no sentence is dropped; and it does catch the sentences the outside check found false."""

from __future__ import annotations

import dataclasses

import pytest

from migprofile.profiles.build import ProfileBuilder
from migprofile.profiles.narrative import Written, sentence_problems, written_narrative
from migprofile.publish import countries_with_data, region_ids
from migprofile.sources import dataset_of


@pytest.fixture(scope="module")
def builder(shared_store):
    return ProfileBuilder(shared_store)


@pytest.fixture(scope="module")
def all_profiles(shared_store, builder):
    geos = countries_with_data(shared_store) + region_ids(shared_store)
    return {geo: builder.build(geo) for geo in geos}


def test_every_sentence_of_every_profile_is_true(all_profiles, builder):
    assert len(all_profiles) > 150
    false: list[str] = []
    written = 0
    for geo, profile in all_profiles.items():
        for w, problems in written_narrative(profile, builder.name_in_text(geo)):
            written += 1
            if problems:
                false.append(f"{geo}: {w.sentence.text[:120]} -> {problems}")
    assert written > 2 * len(all_profiles)
    assert not false, "\n".join(false[:20])


def test_no_profile_line_mixes_editions(all_profiles):
    """Every chart line and every headline series comes from one edition of one dataset
    (issue 12, item 1); an extract of the same edition counts as that edition."""
    mixed = []
    for geo, profile in all_profiles.items():
        for section in profile.sections:
            for key, series in section.series.items():
                by_sex: dict[str, set] = {}
                for p in series.points:
                    if p.value is not None and "+" not in p.source:  # formulas name two
                        dataset = dataset_of(p.source)
                        by_sex.setdefault(p.sex, set()).add((dataset, p.edition))
                mixed += [f"{geo} {key} {sex}: {sorted(e)}" for sex, e in by_sex.items()
                          if len(e) > 1]  # fmt: skip
    assert not mixed, "\n".join(mixed[:20])


def test_most_only_above_half_and_largest_otherwise(shared_store, builder):
    texts = {g: " ".join(s.text for s in builder.build(g).narrative) for g in ("DEU", "SRB")}
    for text in texts.values():
        assert "Most of them" not in text and "The largest number of them lived in" in text
    # Germany: 13.9% of emigrants in the United States is the largest share, not "most"
    assert "(534,203, 13.9%)" in texts["DEU"]


def test_checker_refuses_a_false_majority_and_a_number_typed_in(shared_store, builder):
    profile = builder.build("DEU")
    (w, problems), *_ = written_narrative(profile, "Germany")
    assert problems == []
    claims = [dataclasses.replace(c, kind="majority") if c.kind == "largest" else c
              for c in w.claims]  # fmt: skip
    assert any("'most' for 13.9%" in p for p in sentence_problems(
        Written(w.sentence, claims, w.shown), profile))  # fmt: skip
    typed = dataclasses.replace(w.sentence, text=w.sentence.text.replace("13.9%", "73.9%"))
    assert any("'73.9'" in p for p in sentence_problems(Written(typed, w.claims, []), profile))


def test_emigrant_share_says_its_real_denominator(shared_store, builder):
    text = " ".join(s.text for s in builder.build("MDA").narrative)
    assert "of everyone born there" not in text
    assert "of the resident population plus the emigrants" in text


def test_region_ranking_is_labelled_outside_the_region(shared_store, builder):
    profile = builder.build("western-balkans")
    ranking = profile.section("emigration").rankings["top_destinations"]
    assert "outside the region" in ranking.label
    members = set(profile.members)
    assert ranking.points and not {p.geo for p in ranking.points} & members
    assert {p.partner for p in ranking.points} == {"western-balkans"}
    text = " ".join(s.text for s in profile.narrative)
    assert "Outside the region, the largest number of them lived in Italy" in text
