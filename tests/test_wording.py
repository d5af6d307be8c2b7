"""One wording layer: the formatters, the translation function, and the same figure reading the
same (label, value, unit, year, source) in HTML, Markdown, PDF and JSON for MDA and central-asia.
"""

from __future__ import annotations

import ast
import copy
import html as htmlmod
import json
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest

import migprofile
from migprofile import wording
from migprofile.wording import (
    _,
    exact,
    figure_label,
    figure_value,
    figure_year,
    gap_side,
    gap_text,
    human,
    kind_line,
    language,
    members_label,
    ngettext,
    partner_display,
    percent,
    short,
    signed_percent,
    with_unit,
    year_ranges,
    year_span,
    year_text,
)

PACKAGE = Path(migprofile.__file__).parent


# -- the formatter ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value", [-0.0, -0.01, -0.049, 0.0, 0.04])
def test_a_value_that_rounds_to_zero_has_no_sign(value):
    assert human(value, "%") == "0.0%"
    assert percent(value) == "0.0%"
    assert signed_percent(value) == "0.0%"
    assert exact(value / 100, "%") == "0.00"
    assert short(value) in ("0.0", "0")
    assert not human(value).startswith("-")


def test_signed_percent_keeps_real_signs():
    assert signed_percent(-6.14) == "-6.1%"
    assert signed_percent(1.25) == "+1.2%"
    assert signed_percent(12) == "+12.0%"


def test_millions_billions_and_dollars():
    assert human(1_163_000) == "1.16 million"
    assert human(-1_500_000) == "-1.50 million"
    assert human(2_170_000_000, "US$") == "US$ 2.17 billion"
    assert human(45.5, "US$") == "US$ 45.50"
    assert human(294_152) == "294,152"
    assert human(9.5, "per 100,000") == "10 per 100,000"
    assert human(None) == "no data"
    assert exact(None) == "–"
    assert exact(1_163_000.0) == "1,163,000"
    assert exact(15.5, "%") == "15.50"
    assert with_unit(2_170_000_000, "US$") == "US$ 2,170,000,000"
    assert with_unit(15.5, "%") == "15.50%"
    assert with_unit(15.5, "% of GDP") == "15.50 (% of GDP)"
    assert short(16_000_000) == "16M"
    assert short(53_400) == "53K"
    assert short(2_200_000_000) == "2.2B"
    assert short(15.46) == "15.5"
    assert short(None) == ""


def test_years_and_ranges():
    assert year_text(2023) == "2023"
    assert year_text(2023, "mid-year") == "2023 (mid-year)"
    assert year_text(None) == ""
    assert year_span(2000, 2020) == "2000–2020"
    assert year_span(2020, 2020) == "2020"
    assert year_span(None, None) == ""
    assert year_ranges([]) == ""
    assert year_ranges([2005, 2007, 2008, 2009, 2012]) == "2005, 2007–2009, 2012"


@dataclass
class _Fig:
    label: str = "Immigrant stock"
    value: float | None = 1000.0
    unit: str = "persons"
    year: int | None = 2020
    citation: str = "UN DESA 2020"
    cell: str = ""
    partner: str = "RUS"
    partner_name: str = "the Russian Federation"
    sex: str = "total"
    period: str = ""
    note: str = ""
    coverage: str = ""
    modelled: bool = False


@dataclass
class _Gap:
    indicator_a: str = "remittances_received_usd@wdi"
    indicator_b: str = "remittances_received_usd@knomad"
    year: int = 2022
    year_b: int = 2022
    value_a: float = 2.17e9
    value_b: float = 2.04e9
    citation_a: str = "A"
    citation_b: str = "B"
    gap_pct: float | None = -0.04


def test_labels_partners_and_gaps():
    assert figure_label(_Fig(sex="female")) == "Immigrant stock — women"
    assert figure_label(_Fig(sex="male")) == "Immigrant stock — men"
    assert figure_label(_Fig()) == "Immigrant stock"
    assert partner_display(_Fig()) == "Russian Federation"
    assert figure_value(_Fig(value=None)) == "no data"
    assert figure_year(_Fig(period="mid-year")) == "2020 (mid-year)"
    assert gap_text(_Gap()) == "0.0%"
    assert gap_text(_Gap(gap_pct=None)) == "–"
    assert gap_side(_Gap(), "a") == "US$ 2.17 billion (2022, A)"


def test_ngettext_plurals():
    assert ngettext("{n} file", "{n} files", 1).format(n=1) == "1 file"
    assert ngettext("{n} file", "{n} files", 3).format(n=3) == "3 files"
    assert kind_line("region", ["Kazakhstan"]) == "Regional profile: 1 member country (Kazakhstan)"
    assert kind_line("region", ["A", "B"]) == "Regional profile: 2 member countries (A, B)"
    assert kind_line("country", []) == "Country profile"
    assert members_label(5) == "5 member countries:"


def test_language_is_per_context_and_falls_back_to_english():
    assert wording.current_language() == "en"
    seen: dict[str, str] = {}

    def other_thread() -> None:
        seen["lang"] = wording.current_language()

    with language("ka") as lang:
        assert lang == "ka"
        assert _("Key facts") == "Key facts"  # no catalog yet: the English source string
        assert human(None) == "no data"
        t = threading.Thread(target=other_thread)
        t.start()
        t.join()
    assert seen["lang"] == "en"  # a thread does not inherit another's language
    assert wording.current_language() == "en"
    token = wording.use_language("uk")
    assert wording.current_language() == "uk"
    wording.reset_language(token)
    assert wording.current_language() == "en"


# -- the rules of the layer ------------------------------------------------------------------------
def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.add(node.module)
    return out


def test_wording_sits_at_the_bottom_of_the_import_graph():
    allowed = ("migprofile.wording", "migprofile.errors", "migprofile.config")
    for path in (PACKAGE / "wording").glob("*.py"):
        for name in _imports(path):
            if name.startswith("migprofile"):
                assert name.startswith(allowed), f"{path.name} imports {name}"


def _translated_files() -> list[Path]:
    return [
        *(PACKAGE / "wording").glob("*.py"),
        *(PACKAGE / "render").glob("*.py"),
        PACKAGE / "profiles" / "narrative.py",
        PACKAGE / "profiles" / "build.py",
        PACKAGE / "indicators" / "catalogue.py",
        PACKAGE / "news" / "check.py",
        PACKAGE / "publish.py",
        PACKAGE / "cli.py",
        PACKAGE / "geo" / "world_names.py",
        *(PACKAGE / "web").glob("*.py"),
    ]


# `_(name)` where the name holds a literal marked with N_() where it is defined (catalogue
# titles, section titles, source pairs, who publishes a figure): (file, the argument's source).
MARKED_LOOKUPS = {
    ("build.py", "title"),  # SECTIONS
    ("build.py", "label"),  # SOURCE_PAIRS
    ("build.py", "who"),  # WHO_PUBLISHES
    ("catalogue.py", "template"),  # title_template / definition_template
    ("catalogue.py", "v"),  # template_args
    ("catalogue.py", "self.title"),
    ("catalogue.py", "self.definition"),
    ("catalogue.py", "self.unit"),
    ("catalogue.py", "n"),  # notes
    ("catalogue.py", "text"),  # title, definition, unit (a user indicator's: as written)
    ("labels.py", "words"),  # PERIOD_WORDS
    ("numbers.py", "unit"),  # catalogue units
    ("labels.py", "short_name"),  # SOURCE_SHORT_NAMES
    ("labels.py", "m.group(3)"),  # a group's name in a members note (geo/regions.py)
    ("world_names.py", "english"),  # built-in region names (geo/regions.py)
}


def test_every_translated_string_is_a_literal_the_extractor_finds():
    """`_("literal")`, never `_(f"...")` or `_(variable)`: Babel extracts literals only (or,
    for data defined elsewhere, `N_("literal")` there and `_(name)` where it is shown)."""
    for path in _translated_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            n = {"_": 1, "pgettext": 2, "ngettext": 2, "N_": 1}.get(node.func.id)
            if n is None or (node.func.id == "_" and path.name == "i18n.py"):
                continue
            for arg in node.args[:n]:
                ok = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                if node.func.id == "_" and (path.name, ast.unparse(arg)) in MARKED_LOOKUPS:
                    continue
                assert ok, f"{path.name}:{node.lineno}: {node.func.id}() of a non-literal"
                assert arg.value, f"{path.name}:{node.lineno}: _('') is the catalog's header"


def test_marked_data_is_translated_where_it_is_shown():
    """Section titles and catalogue titles are English data, translated when a profile is
    built in the active language (the fake catalog of test_cli_wording checks the output)."""
    from migprofile.indicators import BY_ID
    from migprofile.profiles.build import SECTIONS

    with language("en"):
        assert BY_ID["emigrant_stock"].display_title() == "Emigrant stock (diaspora)"
        assert SECTIONS[0][1] == "Emigration"


def test_templates_wrap_their_words():
    text = (PACKAGE / "render" / "templates" / "profile.html.j2").read_text(encoding="utf-8")
    for words in ("Key facts", "In brief", "Data sources and gaps", "Headline figures"):
        assert f'_("{words}")' in text
    typ = (PACKAGE / "render" / "typst" / "profile.typ").read_text(encoding="utf-8")
    for words in ("In brief", "Data sources and gaps", "Where sources disagree"):
        assert f'"{words}"' not in typ  # the PDF's words come as data (d.labels)


def test_numbers_live_in_wording_only():
    assert not (PACKAGE / "profiles" / "numbers.py").exists()


# -- the same figure in every face ---------------------------------------------------------------
@pytest.fixture(scope="module")
def central_asia(builder):
    return builder.build("central-asia")


def _pdf_text(pdf: bytes, tmp: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed")
    (tmp / "p.pdf").write_bytes(pdf)
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(tmp / "p.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return " ".join(out.replace("\u200b", "").split())


@dataclass
class Faces:
    profile: object
    html: str
    md: str
    pdf_text: str
    pdf_data: dict
    data: dict


@pytest.fixture(scope="module", params=["MDA", "central-asia"])
def faces(request, mda, central_asia, tmp_path_factory) -> Faces:
    from migprofile.render.html import render_html
    from migprofile.render.jsonout import render_json
    from migprofile.render.markdown import render_markdown
    from migprofile.render.pdf import document_data, render_pdf

    profile = mda if request.param == "MDA" else central_asia
    return Faces(
        profile,
        render_html(profile),
        render_markdown(profile),
        _pdf_text(render_pdf(profile), tmp_path_factory.mktemp("pdf")),
        document_data(profile),
        json.loads(render_json(profile)),
    )


def _text(fragment: str) -> str:
    return " ".join(htmlmod.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def _html_cards(page: str) -> list[tuple[str, str, str]]:
    """(label, value, meta) of each key-fact card."""
    cards = re.findall(r'<li class="card[^"]*">(.*?)</li>', page, re.S)
    out = []
    for c in cards:
        label = re.search(r'<p class="card-label">(.*?)</p>', c, re.S)
        value = re.search(r'<p class="card-value">(.*?)</p>', c, re.S)
        meta = re.search(r'<p class="card-meta">(.*?)</p>', c, re.S)
        assert label and value and meta
        out.append((_text(label.group(1)), _text(value.group(1)), _text(meta.group(1))))
    return out


def _html_rows(page: str, table_class: str) -> list[list[str]]:
    """Each row of the page's tables of a class as [th text, td texts…, data titles…]."""
    rows = []
    for table in re.findall(rf'<table class="{table_class}">(.*?)</table>', page, re.S):
        body = re.sub(r"<thead>.*?</thead>|<caption>.*?</caption>", "", table, flags=re.S)
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            cells = [_text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            titles = [htmlmod.unescape(t) for t in re.findall(r'<data [^>]*title="([^"]*)"', row)]
            rows.append(cells + titles)
    return rows


def _md_rows(md: str) -> list[list[str]]:
    out = []
    for line in md.splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            cells = [c.strip().replace("\\", "") for c in line.strip("|").split(" | ")]
            out.append(cells)
    return out


def _plain(text: str) -> str:
    return " ".join(text.split())


def test_key_facts_read_the_same_in_every_face(faces):
    p = faces.profile
    assert p.key_facts
    cards = _html_cards(faces.html)
    pdf_facts = faces.pdf_data["key_facts"]
    json_facts = faces.data["key_facts"]
    assert len(cards) == len(p.key_facts) == len(json_facts)
    pdf_by_label = {k["label"]: k for k in pdf_facts}
    for f, card, jf in zip(p.key_facts, cards, json_facts, strict=True):
        label, value, year = figure_label(f), human(f.value, f.unit), figure_year(f)
        # JSON: the figure itself
        assert (jf["label"], jf["value"], jf["unit"], jf["year"]) == (
            f.label,
            f.value,
            f.unit,
            f.year,
        )
        assert human(jf["value"], jf["unit"]) == value
        # HTML card
        assert card == (label, value, f"{year} · {f.citation}")
        # Markdown bullet
        assert f"- **{label}:** {value} ({year}; {f.citation}" in faces.md.replace("\\", "")
        # PDF: the data Typst typesets, and the text it shows
        if f.value is not None:
            k = pdf_by_label[label]
            assert (k["value"], k["when"]) == (value, f"{year} · {f.citation}")
            assert value in faces.pdf_text
            assert _plain(label) in faces.pdf_text


def test_section_tables_read_the_same_in_every_face(faces):
    p = faces.profile
    html_rows = _html_rows(faces.html, "figures")
    md_rows = _md_rows(faces.md)
    pdf_rows = [r for s in faces.pdf_data["sections"] for r in s["figures"]]
    figures = [f for s in p.sections for f in s.figures]
    json_figures = [f for s in faces.data["sections"] for f in s["figures"]]
    assert figures and len(html_rows) == len(figures) == len(pdf_rows) == len(json_figures)
    md_by_label: dict[str, list[str]] = {}
    for r in md_rows:
        md_by_label.setdefault(r[0], r)
    for f, h, pdf, jf in zip(figures, html_rows, pdf_rows, json_figures, strict=True):
        label, full, year = figure_label(f), figure_value(f), figure_year(f)
        assert (jf["value"], jf["unit"], jf["year"]) == (f.value, f.unit, f.year)
        # HTML: label (an SDG badge may follow), value for people, every digit in the title
        assert h[0].startswith(label)
        assert h[1] == human(f.value, f.unit)
        assert h[2] == year
        assert h[3].startswith(f"Source: {f.citation}")
        if f.value is not None:
            assert h[-1] == exact(f.value, f.unit) == full
        # Markdown row: label, value, unit, year, source
        key = label + (f" ({f.coverage})" if f.coverage else "")
        md = md_by_label[key]
        assert md[1:5] == [full, f.unit or "", year, f.citation]
        # PDF
        assert (pdf["label"], pdf["value"], pdf["unit"], pdf["year"], pdf["source"]) == (
            label,
            full,
            f.unit,
            year,
            f.citation,
        )
        assert full in faces.pdf_text


def test_rankings_read_the_same_in_every_face(faces):
    p = faces.profile
    html_rows = _html_rows(faces.html, "ranking")
    pdf_rows = [
        r for s in faces.pdf_data["sections"] for b in s["blocks"] if b["kind"] == "ranking"
        for r in b["rows"]
    ]  # fmt: skip
    points = [pt for s in p.sections for r in s.rankings.values() if r.points for pt in r.points]
    assert len(html_rows) == len(points) == len(pdf_rows)
    md = faces.md.replace("\\", "")
    for pt, h, pdf in zip(points, html_rows, pdf_rows, strict=True):
        name, value = partner_display(pt), figure_value(pt)
        assert h[1] == name and h[-1] == exact(pt.value, pt.unit) == value
        assert (pdf["name"], pdf["value"]) == (name, value)
        assert f"| {name} | {value} | {pt.unit} |" in md
        assert value in faces.pdf_text


def test_sources_and_gaps_read_the_same_in_every_face(faces):
    p = faces.profile
    md = faces.md.replace("\\", "")
    html_sources = _html_rows(faces.html, "source-table")
    for s in p.sources:
        years = year_span(s.first_year, s.latest_year)
        missing = year_ranges(s.missing_years) or "none"
        row = next(r for r in html_sources if r[0].startswith(s.title))
        assert row[2:5] == [years or "–", str(s.latest_year or "–"), missing]
        pdf = next(r for r in faces.pdf_data["sources"] if r["source"] == s.source)
        assert (pdf["years"], pdf["missing"]) == (years, missing)
        assert f"| {years} | {s.latest_year if s.latest_year is not None else ''}" in md
    html_gaps = _html_rows(faces.html, "gaps")
    assert len(html_gaps) == len(p.gaps) == len(faces.pdf_data["gaps"])
    for g, h, pdf in zip(p.gaps, html_gaps, faces.pdf_data["gaps"], strict=True):
        a, b, gap = gap_side(g, "a"), gap_side(g, "b"), gap_text(g)
        assert (pdf["a"], pdf["b"], pdf["gap"]) == (a, b, gap)
        assert f"| {a} | {b} | {gap} |" in md
        assert h[1].startswith(a.split(" (")[0]) and h[2].startswith(b.split(" (")[0])
        assert h[3] == gap


def test_narrative_reads_the_same_in_every_face(faces):
    md = faces.md.replace("\\", "")
    page = _text(faces.html)
    for sentence in faces.profile.narrative:
        assert sentence.text in md
        body = sentence.text[: sentence.text.rfind(" [")]
        assert body in page
        assert sentence.text in faces.pdf_data["narrative"]
    assert [s["text"] for s in faces.data["narrative"]] == [s.text for s in faces.profile.narrative]


def test_a_gap_that_rounds_to_zero_prints_0_0_percent_everywhere(mda):
    from migprofile.render.html import render_html
    from migprofile.render.markdown import render_markdown
    from migprofile.render.pdf import document_data

    if not mda.gaps:
        pytest.skip("no gap between sources for MDA")
    p = copy.deepcopy(mda)
    p.gaps[0].gap_pct = -0.04
    page, md, data = render_html(p), render_markdown(p), document_data(p)
    assert "-0.0%" not in page and "-0.0%" not in md and "-0.0%" not in json.dumps(data)
    assert data["gaps"][0]["gap"] == "0.0%"
    assert "| 0.0% |" in md
    assert '<td class="num">0.0%</td>' in page


def test_figures_by_sex_carry_one_label_form(mda):
    from migprofile.render.html import render_html
    from migprofile.render.markdown import render_markdown

    by_sex = [f for s in mda.sections for f in s.figures if f.sex in ("female", "male")]
    if not by_sex:
        pytest.skip("no figure by sex for MDA")
    page, md = render_html(mda), render_markdown(mda)
    for f in by_sex:
        label = figure_label(f)
        assert " — " in label
        assert htmlmod.escape(label, quote=False) in page
        assert label in md.replace("\\", "")
        assert f"{f.label}: " not in page
