"""Every word a profile, the catalogue, the news checker and the CLI show goes through the
translation function: with a fake catalog that wraps each message as ⟦…⟧, the words come out
wrapped (issue 10, item 6), and in English they read exactly as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from typer.testing import CliRunner

from fixtures import MarkedCatalog
from migprofile.wording import language, use_translations

FAKE = "xx"  # a language no catalog exists for: only the fake one answers


@contextmanager
def faked() -> Iterator[None]:
    """The fake catalog installed and its language active, inside the block only."""
    use_translations(FAKE, MarkedCatalog())
    try:
        with language(FAKE):
            yield
    finally:
        use_translations(FAKE, None)


@pytest.fixture
def fake():
    with faked():
        yield


@pytest.fixture(scope="module")
def mda_fake(builder):
    with faked():
        return builder.build("MDA")


@pytest.fixture(scope="module")
def central_asia_fake(builder):
    with faked():
        return builder.build("central-asia")


def _wrapped(text: str) -> bool:
    return "⟦" in text and "⟧" in text


# -- profiles -------------------------------------------------------------------------------------
def test_section_titles_and_figure_labels_are_translated(mda_fake):
    assert mda_fake.sections
    for section in mda_fake.sections:
        assert section.title.startswith("⟦") and section.title.endswith("⟧"), section.title
        for f in section.figures:
            if f.indicator == "poverty_headcount_pct":
                continue  # the label is the publisher's own indicator name
            assert _wrapped(f.label), f.label
        for series in (*section.series.values(), *section.rankings.values()):
            assert _wrapped(series.label), series.label
    for f in mda_fake.key_facts:
        if f.indicator != "poverty_headcount_pct":
            assert _wrapped(f.label), f.label


def test_cannot_say_and_narrative_are_translated(builder, mda_fake, fake):
    assert mda_fake.narrative
    for sentence in mda_fake.narrative:
        assert sentence.text.startswith("⟦"), sentence.text
    tuv = builder.build("TUV")
    assert tuv.cannot_say
    for line in tuv.cannot_say:
        assert line.startswith("⟦") and line.endswith("⟧"), line


def test_gap_labels_and_region_texts_are_translated(mda_fake, central_asia_fake):
    assert mda_fake.gaps
    assert all(_wrapped(g.label) for g in mda_fake.gaps)
    fact = next(f for f in central_asia_fake.key_facts if f.indicator == "immigrant_stock")
    assert fact.coverage == "⟦5 of 5 members report⟧"
    assert fact.note.startswith("⟦sum over 5 members: ")
    # a note the indicator queries write in English is re-worded too
    sums = re.compile(
        r"⟦sum over \d+ (destination countries|countries of origin|countries of asylum)⟧"
    )
    assert any(sums.fullmatch(f.note) for f in mda_fake.all_figures())


def test_the_fake_language_changes_words_never_figures(builder, mda_fake):
    english = builder.build("MDA")
    assert [f.value for f in english.all_figures()] == [f.value for f in mda_fake.all_figures()]
    assert [f.unit for f in english.all_figures()] == [f.unit for f in mda_fake.all_figures()]
    assert [s.id for s in english.sections] == [s.id for s in mda_fake.sections]
    assert not any(_wrapped(s.title) for s in english.sections)


# -- the catalogue --------------------------------------------------------------------------------
def test_catalogue_texts_are_translated_where_shown_and_ids_stay(fake):
    from migprofile.indicators import BY_ID, CATALOGUE

    for ind in CATALOGUE:
        assert _wrapped(ind.display_title()), ind.id
        assert _wrapped(ind.display_definition()), ind.id
        assert "⟦" not in ind.id and "⟦" not in ind.title  # the data stay English
    raw = BY_ID["idps_conflict_stock_raw"].display_title()
    assert raw == "⟦{title} (raw, unrounded)⟧".replace(
        "{title}", "⟦Internally displaced people (conflict and violence)⟧"
    )
    digital = BY_ID["rpw_cost_200_digital_pct"].display_title()
    assert "⟦US$200⟧" in digital and "⟦digital-only services" in digital


def test_catalogue_reads_as_before_in_english():
    from migprofile.indicators import CATALOGUE

    for ind in CATALOGUE:
        assert ind.display_title() == ind.title
        assert ind.display_definition() == ind.definition
        assert ind.display_unit() == ind.unit


# -- the CLI --------------------------------------------------------------------------------------
def _header(output: str) -> list[str]:
    """The header cells of the first Rich table in the output."""
    for line in output.splitlines():
        if line.startswith("┃"):
            return [c.strip() for c in line.strip("┃").split("┃")]
    raise AssertionError(f"no table in:\n{output}")


@pytest.fixture
def runner(shared_store):
    return CliRunner()


def _invoke(runner, *args: str):
    from migprofile.cli import app

    result = runner.invoke(app, list(args), env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def test_get_and_sources_headers_are_translated(runner, fake):
    header = _header(_invoke(runner, "get", "immigrant_stock", "MDA"))
    assert header[:3] == ["⟦geo⟧", "⟦partner⟧", "⟦year⟧"]
    assert all(re.fullmatch(r"⟦[^⟦⟧]+⟧", h) for h in header), header
    header = _header(_invoke(runner, "sources"))
    assert header[0] == "⟦source⟧" and "⟦sha256⟧" in header
    assert all(re.fullmatch(r"⟦[^⟦⟧]+⟧", h) for h in header), header
    header = _header(_invoke(runner, "indicators"))
    assert header == ["⟦id⟧", "⟦title⟧", "⟦unit⟧", "⟦SDG⟧", "⟦sources⟧"]


def test_indicators_show_and_errors_are_translated(runner, fake):
    from migprofile.cli import app

    out = _invoke(runner, "indicators", "show", "emigrant_stock")
    assert "⟦Emigrant stock (diaspora)⟧" in out
    assert "⟦derived: migrant_stock summed by origin⟧" in out
    result = runner.invoke(app, ["get", "immigrant_stock", "MDA", "--format", "xml"])
    assert result.exit_code != 0
    assert str(result.exception) == "⟦--format: 'xml' is not one of table, csv, json, xlsx⟧"


def test_cli_reads_as_before_in_english(runner):
    header = _header(_invoke(runner, "get", "immigrant_stock", "MDA"))
    assert header == ["geo", "partner", "year", "sex", "value", "unit", "source", "edition",
                      "cell"]  # fmt: skip
    out = _invoke(runner, "sources")
    assert _header(out)[:6] == ["source", "edition", "file", "bytes", "ingested at", "rows"]
    assert "⟦" not in out


# -- news verdicts --------------------------------------------------------------------------------
def test_verdict_labels_are_translated_and_codes_stay(fake):
    from migprofile.wording.labels import verdict_label

    assert verdict_label("differs") == "⟦differs⟧"
    assert verdict_label("no data") == "⟦no data⟧"
    with language("en"):
        assert verdict_label("different definition") == "different definition"
