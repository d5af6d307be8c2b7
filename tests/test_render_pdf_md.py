"""PDF (Typst) and Markdown renderings of real profiles built from ../shared/data.

The PDF is read back with poppler's pdftotext/pdfinfo (skipped when poppler is absent); the
MDA pages are also written as PNGs to test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from migprofile.profiles.model import Figure, Sentence
from migprofile.render import pdf as pdfmod
from migprofile.render.markdown import esc, render_markdown, year_ranges
from migprofile.render.pdf import breakable, document_data, render_pdf, render_pdfs
from migprofile.wording import figure_label, human

integration = pytest.mark.integration
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
HOSTILE = r"#let x = 1 $ * _ ] [ <b>x</b> @ref \ `raw` | pipe // not a comment"
SECTION_TITLES = (
    "Emigration",
    "Immigration",
    "Remittances and what sending them costs",
    "Displacement and refugees",
    "Development context",
    "What this profile cannot say",
    "Data sources and gaps",
    "Where sources disagree",
)

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="poppler-utils (pdftotext, pdfinfo) not installed",
)


def pdf_text(data: bytes, tmp_path: Path, name: str = "doc") -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return out


def flat(text: str) -> str:
    """One line, single spaces, no zero-width spaces: what a reader sees, without layout."""
    return " ".join(text.replace("\u200b", "").split())


def page_count(data: bytes, tmp_path: Path) -> int:
    path = tmp_path / "count.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mda_pdf(mda):
    return render_pdf(mda)


# -- helpers without data -----------------------------------------------------------------------


def test_year_ranges():
    assert year_ranges([]) == ""
    assert year_ranges([2024]) == "2024"
    assert year_ranges([*range(1951, 1993), 2024, 2000, 2001]) == "1951–1992, 2000–2001, 2024"


def test_markdown_escape_keeps_text_literal():
    assert esc("a | b") == r"a \| b"
    assert esc("*x* _y_ [l](u) <b> #h `c` $m$") == (r"\*x\* \_y\_ \[l\](u) \<b\> \#h \`c\` \$m\$")
    assert esc("line\nbreak") == "line break"
    assert esc("1. not a list", block_start=True) == r"1\. not a list"
    assert esc("- not a list", block_start=True) == r"\- not a list"
    assert esc("100.0 * a", block_start=True) == r"100.0 \* a"


def test_breakable_file_names():
    assert breakable("API_SM.POP") == "API_\u200bSM.\u200bPOP"


# -- PDF (the tests below need ../shared/data: the `builder` fixture skips without it) -----------


@integration
@needs_poppler
def test_mda_pdf_pages_figures_and_sections(mda, mda_pdf, tmp_path):
    assert mda_pdf.startswith(b"%PDF")
    pages = page_count(mda_pdf, tmp_path)
    assert pages >= 4
    text = flat(pdf_text(mda_pdf, tmp_path))
    assert "104,438" in text
    assert "1.16 million" in text
    for fact in mda.key_facts:
        assert human(fact.value, fact.unit) in text, fact.label
    for title in SECTION_TITLES:
        assert title in text, title
    for source in mda.sources:
        assert flat(source.title) in text
    assert f"migprofile {mda.migprofile_version}" in text
    assert f"Page 1 of {pages}" in text
    assert f"Generated {mda.generated_at[:10]}" in text
    # every section's headline figures, and the cell each comes from
    immigration = mda.section("immigration")
    assert "Table 1!L161" in text and "104,438" in text
    assert any(f.cell == "Table 1!L161" for f in immigration.figures)
    # rankings tables and the charts (their titles and source lines are drawn in the SVG)
    assert "Top destinations of emigrants (2020)" in text
    assert "Russian Federation" in text
    assert "Source: UN DESA (GMDAC extract) 2020" in text
    for line in mda.cannot_say:
        assert flat(line) in text

    # pages for a person to look at
    if shutil.which("pdftoppm"):
        ARTIFACTS.mkdir(exist_ok=True)
        for old in ARTIFACTS.glob("mda-pdf-*.png"):
            old.unlink()
        pdf_path = ARTIFACTS / "mda-profile.pdf"
        pdf_path.write_bytes(mda_pdf)
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf_path), str(ARTIFACTS / "mda-pdf")],
            capture_output=True,
            check=True,
        )
        assert len(list(ARTIFACTS.glob("mda-pdf-*.png"))) == pages


@integration
@needs_poppler
def test_mda_pdf_has_a_chart_per_chart_spec(mda, mda_pdf, tmp_path):
    from migprofile.render.charts import charts_for

    charts = charts_for(mda)
    assert charts, "MDA has data for charts"
    text = flat(pdf_text(mda_pdf, tmp_path))
    for chart in charts:
        first_words = " ".join(chart.title.split()[:3])
        assert first_words in text, chart.title


@integration
@needs_poppler
def test_tuvalu_says_what_it_cannot_and_never_shows_zero_for_missing(tuv, tmp_path):
    data = render_pdf(tuv)
    assert data.startswith(b"%PDF")
    text = flat(pdf_text(data, tmp_path))
    assert tuv.cannot_say, "Tuvalu lacks some standard figures"
    for line in tuv.cannot_say:
        assert flat(line) in text
    # a figure the sources do not publish is never a row (or a key fact) with a value
    doc = document_data(tuv)
    missing_labels = {m.split(":")[0] for m in tuv.cannot_say}
    shown = [r["label"] for s in doc["sections"] for r in s["figures"]]
    shown += [k["label"] for k in doc["key_facts"]]
    assert not missing_labels & set(shown)
    # a 0 is shown only where the publisher's cells say 0 (UNHCR publishes zeros), never for
    # a missing figure
    zeros = {figure_label(f) for f in tuv.key_facts if f.value == 0}
    for k in doc["key_facts"]:
        assert k["value"] != "no data"
        if k["value"] in ("0", "0.0%"):
            assert k["label"] in zeros, k


@integration
@needs_poppler
def test_missing_value_prints_no_data_not_zero(mda, tmp_path):
    profile = copy.deepcopy(mda)
    ghost = Figure(
        indicator="ghost", label="Ghost figure", value=None, unit="persons", year=2020,
        source="test", edition="1", citation="Test 1",
    )  # fmt: skip
    profile.sections[0].figures.append(ghost)
    profile.key_facts.append(ghost)
    doc = document_data(profile)
    row = next(r for r in doc["sections"][0]["figures"] if r["label"] == "Ghost figure")
    assert row["value"] == "no data"
    assert all(k["label"] != "Ghost figure" for k in doc["key_facts"])
    text = flat(pdf_text(render_pdf(profile), tmp_path))
    assert "Ghost figure no data" in text
    md = render_markdown(profile)
    assert "| Ghost figure | no data |" in md
    assert "Ghost figure:** 0" not in md


@integration
@needs_poppler
def test_hostile_strings_print_literally(mda, tmp_path):
    profile = copy.deepcopy(mda)
    profile.name = HOSTILE
    profile.key_facts[0].label = HOSTILE
    section = profile.sections[1]
    section.figures[0].note = HOSTILE
    section.figures[0].cell = HOSTILE
    section.missing.append(HOSTILE)
    profile.cannot_say.append(HOSTILE)
    profile.narrative.append(Sentence(HOSTILE, [HOSTILE]))
    profile.sources[0].title = HOSTILE
    profile.sources[0].files.append(HOSTILE + " (sha256 0123456789ab…)")
    ranking = next(iter(profile.sections[0].rankings.values()))
    ranking.points[0].partner_name = HOSTILE
    data = render_pdf(profile)
    assert data.startswith(b"%PDF")
    text = flat(pdf_text(data, tmp_path))
    # name (cover and header), key fact, cell, narrative, cannot-say, source title, partner
    assert text.count(HOSTILE) >= 8
    assert "Page 1 of" in text

    md = render_markdown(profile)
    assert HOSTILE not in md  # always escaped ...
    assert esc(HOSTILE) in md  # ... to exactly this
    assert "<b>" not in md
    _assert_tables_well_formed(md)


def _assert_tables_well_formed(md: str) -> None:
    """Every row of a table has as many (unescaped) pipes as its header."""
    width = None
    for line in md.splitlines():
        if not line.startswith("|"):
            width = None
            continue
        pipes = len(re.findall(r"(?<!\\)\|", line))
        if width is None:
            width = pipes
        assert pipes == width, line


@integration
def test_pdf_compiles_with_typst_fonts_only(mda, monkeypatch):
    """No system font is required: with none found, Typst's embedded fonts set the text."""
    monkeypatch.setattr(pdfmod, "font_setup", lambda: ((), pdfmod.EMBEDDED_FALLBACK))
    assert render_pdf(mda).startswith(b"%PDF")


# -- Markdown -----------------------------------------------------------------------------------


@integration
def test_markdown_has_key_facts_sections_sources_and_gaps(mda):
    md = render_markdown(mda)
    assert md.startswith("# Republic of Moldova")
    for fact in mda.key_facts:
        assert human(fact.value, fact.unit) in md, fact.label
    assert "104,438" in md and "1.16 million" in md
    for title in SECTION_TITLES:
        assert title in md, title
    assert "| Source | Editions | Years | Latest year | Missing years | Files | Licence |" in md
    for source in mda.sources:
        assert esc(source.title) in md
        for f in source.files:
            assert esc(f) in md
    assert "| Comparison | Source A | Source B | Gap (B vs A) |" in md
    for gap in mda.gaps:
        assert esc(gap.label) in md
    for line in mda.cannot_say:
        assert esc(line, block_start=True) in md
    assert "Table 1\\!L161" not in md and "Table 1!L161" in md
    _assert_tables_well_formed(md)


@integration
def test_markdown_region(builder):
    region = builder.build("central-asia")
    md = render_markdown(region)
    assert "Regional profile: 5 member countries" in md
    assert "5 of 5 members report" in md
    _assert_tables_well_formed(md)


# -- batch ----------------------------------------------------------------------------------------


@integration
def test_render_pdfs_writes_one_file_per_profile(builder, mda, tuv, tmp_path):
    profiles = [mda, builder.build("central-asia"), tuv]
    paths = render_pdfs(profiles, tmp_path / "out", workers=2)
    assert [p.name for p in paths] == ["MDA.pdf", "central-asia.pdf", "TUV.pdf"]
    for path in paths:
        assert path.read_bytes().startswith(b"%PDF")


@integration
def test_render_pdfs_in_worker_processes(builder, mda, tuv, tmp_path, monkeypatch):
    """The process pool path (taken for big batches), forced on a small one."""
    monkeypatch.setattr(pdfmod, "MIN_PROFILES_PER_WORKER", 1)
    profiles = [mda, tuv, mda]
    paths = render_pdfs(profiles, tmp_path / "out", workers=2)
    assert [p.name for p in paths] == ["MDA.pdf", "TUV.pdf", "MDA-2.pdf"]
    for path in paths:
        assert path.read_bytes().startswith(b"%PDF")


@integration
def test_same_profile_same_pdf_bytes(tuv):
    """The creation date is the profile's generation time, so a PDF is reproducible."""
    assert render_pdf(tuv) == render_pdf(tuv)
