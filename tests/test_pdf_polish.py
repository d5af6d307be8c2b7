"""The printed profile is fit to hand over: no formula in a table (the working is in the
appendix 'How the figures are derived'), no screen-only words, no chart of one or two values.

Runs over the full-corpus store (conftest's `mda` fixture; skipped without ../shared/data).
"""

from __future__ import annotations

from migprofile.render.charts import charts_for
from migprofile.render.markdown import render_markdown
from migprofile.render.pdf import document_data, printable


def test_no_formula_in_pdf_tables_and_an_appendix(mda):
    doc = document_data(mda)
    cells = [f["cell"] for s in doc["sections"] for f in s["figures"]]
    assert cells and not [c for c in cells if " a = " in c or "with a" in c]
    assert doc["derivations"], "MDA has derived figures (emigrants as a share of population)"
    texts = " ".join(d["text"] for d in doc["derivations"])
    assert "Population, total" in texts and "×" in texts
    assert "How the figures are derived" in doc["labels"]["derived"]


def test_no_formula_in_markdown_tables(mda):
    md = render_markdown(mda)
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert not [r for r in rows if " a = " in r]
    assert "## How the figures are derived" in md


def test_no_screen_words_on_paper(mda):
    doc = document_data(mda)
    for chart in charts_for(mda):
        assert "tooltip" not in str(chart.spec["vconcat"][0].get("title", "")).lower()
    assert "tooltip" not in str(doc).lower() and "hover" not in str(doc).lower()


def test_sparse_charts_are_left_off_paper(mda):
    charts = charts_for(mda)
    kept = [c for c in charts if printable(c)]
    assert kept, "MDA has charts with many years"
    for c in charts:
        if not printable(c):
            doc = document_data(mda, (), [c])
            sentences = [b for s in doc["sections"] for b in s["blocks"] if b["kind"] == "sentence"]
            assert sentences and "too few values" in sentences[0]["text"]
