"""PDF: the profile typeset by Typst (the `typst` wheel), charts as SVG from vl-convert.

How a PDF is made:
1. `document_data(profile, charts)` turns the profile into plain JSON-ready data (strings
   already formatted by migprofile.wording, the template's own labels included);
2. the charts of render.charts become SVG files (vl-convert; the costly step);
3. a temporary folder gets `main.typ` (render/typst/profile.typ), `data.json` and
   `charts/*.svg`, and Typst compiles it to PDF bytes.

No string from the profile is ever pasted into Typst markup: the template reads data.json and
shows its strings as text, so a name or note holding `#let x = 1 $ * _ ] [` prints literally.

Fonts: Typst is told to ignore system fonts (faster, reproducible). The plain sans-serifs found
on the machine (Liberation Sans, DejaVu Sans, …) are passed by path, in order (DejaVu Sans
carries Georgian and Armenian); without one, Typst's own embedded fonts are used, so no system
font is ever required.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import json
import multiprocessing
import os
import re
import tempfile
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from migprofile.profiles.model import (
    Figure,
    FlowEstimates,
    NationalData,
    Profile,
    Section,
    Series,
    SourceCoverage,
)
from migprofile.render.derivations import Derivation, derivations, table_cell
from migprofile.render.flows_text import flows_caveat, flows_rows, flows_source, flows_title
from migprofile.render.national_text import (
    national_figure_rows,
    national_intro,
    national_title,
    source_details,
    source_rows,
    uncovered_text,
)
from migprofile.wording import (
    _,
    current_language,
    empty_cell,
    figure_cell,
    figure_label,
    figure_value,
    figure_year,
    gap_side,
    gap_text,
    human,
    income_line,
    is_pct,
    kind_line,
    missing_years,
    ngettext,
    partner_display,
    revision_text,
    sha_prefixes,
    unit_label,
    when_label,
    with_unit,
    year_ranges,
    year_span,
)

if TYPE_CHECKING:
    from migprofile.render.charts import Chart

TEMPLATE = Path(__file__).with_name("typst") / "profile.typ"

# Plain sans-serif families, in order of preference, and the file that proves each is there.
SANS_FONTS = (
    ("Liberation Sans", "LiberationSans-Regular.ttf"),
    ("DejaVu Sans", "DejaVuSans.ttf"),
    ("Noto Sans", "NotoSans-Regular.ttf"),
    ("Arimo", "Arimo-Regular.ttf"),
)
FONT_DIRS = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "~/.local/share/fonts",
    "~/.fonts",
    "/Library/Fonts",
    "/System/Library/Fonts",
    "C:/Windows/Fonts",
)
# Typst ships these inside the compiler: the last resort when no sans-serif is installed.
EMBEDDED_FALLBACK = ("Libertinus Serif",)

# The headline figure a ranking's shares are taken of: ranking id -> indicator.
RANKING_TOTALS = {"top_destinations": "emigrant_stock", "top_origins": "immigrant_stock"}

# Charts are placed at their natural size (1 CSS px = 0.75 pt, so every chart's labels come out
# the same size), shrunk only when wider than the text block (A4 less 2 × 1.7 cm margins).
PT_PER_PX = 0.75
TEXT_WIDTH_PT = (210 - 2 * 17) / 25.4 * 72
# A chart on paper needs a line of at least this many points; fewer become a sentence.
MIN_CHART_POINTS = 3
_SVG_WIDTH = re.compile(r"<svg\b[^>]*?\swidth=\"([0-9.]+)(?:px)?\"")


def chart_width_pt(svg: str) -> float:
    m = _SVG_WIDTH.search(svg[:2000])
    natural = float(m.group(1)) * PT_PER_PX if m else TEXT_WIDTH_PT
    return round(min(natural, TEXT_WIDTH_PT), 1)


# -- fonts ------------------------------------------------------------------------------------


@functools.cache
def font_setup() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(font folders to give Typst, font families for the document), found once per process.

    Every installed family of SANS_FONTS is listed, in order: Typst takes each glyph from the
    first that has it, so Georgian and Armenian names (not in Liberation Sans) come from DejaVu
    Sans (Debian's fonts-dejavu-core). `MIGPROFILE_FONT_DIR` (a folder holding .ttf/.otf files)
    is searched first.
    """
    roots = [os.environ.get("MIGPROFILE_FONT_DIR", ""), *FONT_DIRS]
    folders: list[str] = []
    families: list[str] = []
    for family, filename in SANS_FONTS:
        for root in roots:
            if not root:
                continue
            base = Path(root).expanduser()
            if not base.is_dir():
                continue
            direct = base / filename
            hits = [direct] if direct.is_file() else list(base.rglob(filename))[:1]
            if hits:
                folders.append(str(hits[0].parent))
                families.append(family)
                break
    return tuple(dict.fromkeys(folders)), (*families, *EMBEDDED_FALLBACK)


# -- the data the template reads ----------------------------------------------------------------


def _key_fact(f: Figure) -> dict:
    when = " · ".join(x for x in (figure_year(f), f.citation) if x)
    return {
        "label": figure_label(f),
        "value": human(f.value, f.unit),
        "when": when,
        "coverage": f.coverage,
    }


def _figure_row(f: Figure, derived: dict[int, Derivation] | None = None) -> dict:
    return {
        "label": figure_label(f),
        "coverage": f.coverage,
        "value": figure_value(f),
        "unit": unit_label(f.unit),
        "year": figure_year(f),
        "source": f.citation,
        "sha": _("sha256 {digest}").format(digest=sha_prefixes(f.sha256, 10)) if f.sha256 else "",
        "cell": table_cell(f, derived or {}),
    }


def _ranking(section: Section, rank_id: str, series: Series) -> dict:
    total = None
    total_id = RANKING_TOTALS.get(rank_id)
    if total_id:
        total = next(
            (
                f
                for f in section.figures
                if f.indicator == total_id and f.sex == "total" and f.value
            ),
            None,
        )
    rows = []
    for i, p in enumerate(series.points, 1):
        share = ""
        if total is not None and total.value and p.value is not None and p.year == total.year:
            share = human(100.0 * p.value / total.value, "%")
        rows.append(
            {
                "rank": str(i),
                "name": partner_display(p),
                "value": figure_value(p),
                "share": share or empty_cell(),
                "source": p.citation,
            }
        )
    year = year_ranges(p.year for p in series.points if p.year is not None)
    unit = series.unit or (series.points[0].unit if series.points else "")
    citations = {r["source"] for r in rows}
    show_source = len(citations) > 1
    note = _("Values in {unit}.").format(unit=unit_label(unit)) if unit else ""
    if not show_source and citations:
        note = _("Source: {citation}. {note}").format(citation=next(iter(citations)), note=note)
    has_share = any(r["share"] != empty_cell() for r in rows)
    if total is not None and has_share:
        note += " " + _(
            "Share: of the {value} in the headline figure ({year}, {citation})."
        ).format(value=figure_value(total), year=figure_year(total), citation=total.citation)
    title = series.label
    if year:
        title = _("{label} ({years})").format(label=series.label, years=year)
    cites = list(dict.fromkeys(p.citation for p in series.points if p.citation))
    return {
        "title": title,
        "rows": rows,
        "show_share": has_share,
        "show_source": show_source,
        "note": note.strip(),
        "citation": "; ".join(cites),
    }


def _cited(f: Figure | None) -> str:
    """'1.40% · 2020 · World Bank RPW 2020-12-07, line 3728', or the empty cell."""
    if f is None:
        return empty_cell()
    value = with_unit(f.value, f.unit) if is_pct(f.unit) else human(f.value, f.unit)
    where = ", ".join(p for p in (f.citation, f.cell) if p)
    return " · ".join(x for x in (value, figure_year(f), where) if x)


def _corridor_blocks(section: Section) -> list[dict]:
    """The corridor sections as tables: the cost by sending country (under its chart), the
    top corridors; the section's note under the last one."""
    blocks: list[dict] = []
    if section.bars is not None and section.bars.points:
        blocks.append(
            {
                "kind": "table",
                "title": section.bars.label,
                "header": ["#", _("Sending country"), _("Cost"), _("Year"), _("Source")],
                "widths": [0.5, 3, 1.2, 1, 5],
                "right": [0, 2, 3],
                "rows": [
                    [
                        str(i),
                        partner_display(f),
                        with_unit(f.value, f.unit),
                        figure_year(f),
                        ", ".join(p for p in (f.citation, figure_cell(f)) if p),
                    ]
                    for i, f in enumerate(section.bars.points, 1)
                ],
                "note": "",
            }
        )
    if section.corridors:
        blocks.append(
            {
                "kind": "table",
                "title": "",
                "header": [
                    _("Corridor (money sent from → to)"),
                    _("Migrants"),
                    _("Remittances (modelled)"),
                    _("Cost of sending US$200"),
                ],
                "widths": [3, 2.4, 2.8, 2.4],
                "right": [],
                "rows": [
                    [
                        f"{c.origin_name} → {c.destination_name}",
                        _cited(c.stock),
                        _cited(c.remittances),
                        _cited(c.cost),
                    ]
                    for c in section.corridors
                ],
                "note": "",
            }
        )
    if blocks and section.note:
        blocks[-1]["note"] = section.note
    return blocks


def _flows_section(est: FlowEstimates) -> dict[str, Any]:
    """ "Estimated migration flows 2015–2020 (modelled)": the range across methods as a table,
    the caveat and the source under it (the same wording as HTML and Markdown)."""
    return {
        "id": "flows",
        "title": flows_title(est),
        "figures": [],
        "blocks": [
            {
                "kind": "table",
                "title": "",
                "header": [_("Flow"), _("Range across methods"), _("Each method")],
                "widths": [3, 1.6, 6],
                "right": [1],
                "rows": [list(row) for row in flows_rows(est)],
                "note": f"{flows_caveat(est)} {flows_source(est)}",
            }
        ],
        "missing": [],
    }


def _national_section(data: NationalData) -> dict[str, Any]:
    """ "National data system": the national figures beside the international estimates and
    the national sources as tables (the same wording as HTML and Markdown)."""
    blocks: list[dict[str, Any]] = []
    if data.figures:
        blocks.append(
            {
                "kind": "table",
                "title": "",
                "header": [_("National figure"), _("International estimate"), _("Gap")],
                "widths": [3.2, 3.2, 2.6],
                "right": [],
                "rows": [
                    [f"{item} — {definition}" if definition else item, beside, gap]
                    for item, definition, beside, gap in national_figure_rows(data)
                ],
                "note": "",
            }
        )
    if data.sources:
        details = " ".join(
            f"{s.name}: {'; '.join(source_details(s)).rstrip('.')}."
            for s in data.sources
            if source_details(s)
        )
        blocks.append(
            {
                "kind": "table",
                "title": "",
                "header": [_("Source"), _("Type"), _("Topics"), _("Periodicity"),
                           _("Latest release"), _("Access")],
                "widths": [3, 1.4, 2, 1.4, 1.6, 2.4],
                "right": [],
                "rows": [[breakable(c) if i == 5 else c for i, c in enumerate(row)]
                         for row in source_rows(data)],
                "note": " ".join(x for x in (details, uncovered_text(data)) if x),
            }
        )  # fmt: skip
    if not blocks:
        blocks.append({"kind": "sentence", "text": national_intro(data)})
    else:
        blocks.insert(0, {"kind": "sentence", "text": national_intro(data)})
    return {
        "id": "national",
        "title": national_title(),
        "figures": [],
        "blocks": blocks,
        "missing": [],
    }


_FILE_SHA = re.compile(r"^(?P<name>.*?)\s*\((?P<sha>sha256 [^)]*)\)\s*$")
_BREAK_AFTER = re.compile(r"([_.\-/])")


def breakable(text: str) -> str:
    """A file name that may wrap after _ . - / (a zero-width space after each)."""
    return _BREAK_AFTER.sub("\\1\u200b", text)


def _file_entry(text: str) -> dict:
    """'name.xlsx (sha256 c2bae98812a1…)' -> {'name': …, 'sha': 'sha256 c2bae98812a1…'}."""
    m = _FILE_SHA.match(text)
    name, sha = (m.group("name"), m.group("sha")) if m else (text, "")
    return {"name": breakable(name), "sha": sha}


def _source_row(s: SourceCoverage) -> dict:
    return {
        "source": s.source,
        "title": s.title,
        "citation": s.citation,
        "editions": list(s.editions),
        "years": year_span(s.first_year, s.latest_year),
        "latest": "" if s.latest_year is None else str(s.latest_year),
        "missing": missing_years(s.missing_years),
        "files": [_file_entry(f) for f in s.files],
        "licence": s.licence,
    }


def _drawn_in(svg: str, text: str) -> bool:
    """Whether the SVG already draws this text (its first words), so the page need not repeat
    it: the charts of render.charts carry their own title and 'Source: …' line."""
    head = " ".join(text.split()[:4])
    return bool(head) and (head in svg or html.escape(head, quote=False) in svg)


def chart_rows(spec: dict) -> list[dict]:
    """Every data row a chart spec draws (its layers and panels walked), target lines aside."""
    rows: list[dict] = []
    stack: list[Any] = [spec]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            values = (
                item.get("data", {}).get("values") if isinstance(item.get("data"), dict) else None
            )
            if isinstance(values, list):
                rows += [r for r in values if isinstance(r, dict) and "series" in r]
            stack += [v for k, v in item.items() if k != "data" and isinstance(v, dict | list)]
        elif isinstance(item, list):
            stack += [v for v in item if isinstance(v, dict | list)]
    return rows


def printable(chart: Chart) -> bool:
    """Whether a chart is worth a place on paper: some line (or set of bars) has at least
    MIN_CHART_POINTS points. One or two values are a sentence, not a full-height bar."""
    counts: dict[str, set] = {}
    for r in chart_rows(chart.spec):
        key = r.get("partner") or r.get("year")
        counts.setdefault(str(r.get("series")), set()).add(key)
    return any(len(points) >= MIN_CHART_POINTS for points in counts.values())


def sparse_sentence(chart: Chart) -> str:
    """What a chart too sparse to draw would have shown, as one sentence with its citations."""
    seen: dict[tuple, str] = {}
    for r in sorted(
        chart_rows(chart.spec), key=lambda r: (str(r.get("series")), r.get("year") or 0)
    ):
        key = (r.get("series"), r.get("year"), r.get("partner"))
        seen.setdefault(
            key,
            _("{series}, {when}: {value} ({citation})").format(
                series=r.get("partner") or r.get("series"),
                when=r.get("when") or r.get("year") or "",
                value=r.get("value_text") or "",
                citation=r.get("citation") or "",
            ),
        )
    return _("{title}: too few values for a chart. {values}.").format(
        title=chart.title, values="; ".join(seen.values())
    )


def document_data(
    profile: Profile,
    charts: Sequence[tuple[Chart, str, str]] = (),
    sparse: Sequence[Chart] = (),
) -> dict:
    """Everything the template shows, as strings: `charts` is [(Chart, file name, svg), …];
    `sparse` the charts left out for having too few points (a sentence each instead)."""
    families = font_setup()[1]
    date = profile.generated_at[:10]
    derived = derivations(profile)
    by_section: dict[str, list[tuple[str, dict]]] = {}
    for chart in sparse:
        by_section.setdefault(chart.section, []).append(
            (chart.id, {"kind": "sentence", "text": sparse_sentence(chart)})
        )
    for chart, filename, svg in charts:
        title, source_line = chart.title, chart.source_line
        by_section.setdefault(chart.section, []).append(
            (
                chart.id,
                {
                    "kind": "chart",
                    "title": "" if _drawn_in(svg, title) else title,
                    "source_line": "" if _drawn_in(svg, source_line) else source_line,
                    "alt": _("{title}. {source}")
                    .format(title=title, source=source_line)
                    .strip(". "),
                    "file": filename,
                    "width": chart_width_pt(svg),
                },
            )
        )
    sections: list[dict[str, Any]] = []
    for s in profile.sections:
        rankings = {
            rid: dict(_ranking(s, rid, r), kind="ranking")
            for rid, r in s.rankings.items()
            if r.points
        }
        blocks = []
        for chart_id, block in by_section.pop(s.id, []):
            blocks.append(block)
            if chart_id in rankings:  # the table of a ranking goes right under its chart
                blocks.append(rankings.pop(chart_id))
        blocks += rankings.values()
        blocks += _corridor_blocks(s)
        sections.append(
            {
                "id": s.id,
                "title": s.title,
                "figures": [_figure_row(f, derived) for f in s.figures],
                "blocks": blocks,
                "missing": list(s.missing),
            }
        )
    if profile.flows is not None:  # modelled, never among the observed figures' sections
        sections.append(_flows_section(profile.flows))
    if profile.national is not None:
        sections.append(_national_section(profile.national))
    # A chart for a section the profile does not have goes with the last section shown.
    leftover = [block for blocks in by_section.values() for _chart_id, block in blocks]
    if leftover and sections:
        sections[-1]["blocks"] += leftover
    n_missing = len(profile.cannot_say)
    version = profile.migprofile_version
    return {
        "title": _("{name}: migration profile").format(name=profile.name),
        "generator": f"migprofile {version}",
        "fonts": list(families),
        "lang": current_language().split("_")[0].split("-")[0].lower(),
        "labels": labels(),
        "name": profile.name,
        "kicker": _("Migration profile"),
        "kind_line": " · ".join(
            x
            for x in (
                kind_line(profile.kind, profile.member_names),
                income_line(profile.income_group, profile.income_since, profile.income_latest),
            )
            if x
        ),
        "kind_short": _("Regional migration profile")
        if profile.kind == "region"
        else _("Country migration profile"),
        "footer": _("Generated {date} · migprofile {version}").format(date=date, version=version),
        "about": _(
            "Every figure is cited: the tables on the following pages give its year, source "
            "edition, the file's sha256 and the cell it comes from. A figure the sources do not "
            "publish is listed under 'What this profile cannot say', never shown as zero. "
            "Generated {when} by migprofile {version}."
        ).format(when=when_label(profile.generated_at), version=version),
        "key_facts": [_key_fact(f) for f in profile.key_facts if f.value is not None],
        "narrative": [s.text for s in profile.narrative],
        "sections": sections,
        "cannot_say": list(profile.cannot_say),
        "cannot_say_intro": ngettext(
            "{n} standard figure is not published for {name} by the sources ingested. "
            "They are left out, not shown as zero.",
            "{n} standard figures are not published for {name} by the sources ingested. "
            "They are left out, not shown as zero.",
            n_missing,
        ).format(n=n_missing, name=profile.name),
        "sources": [_source_row(s) for s in profile.sources],
        "gaps": [
            {
                "label": g.label,
                "a": gap_side(g, "a"),
                "b": gap_side(g, "b"),
                "gap": gap_text(g),
            }
            for g in profile.gaps
        ],
        "revisions": [revision_text(r) for r in profile.revisions],
        "derivations": [
            {
                "number": str(d.number),
                "label": d.label,
                "year": d.year,
                "value": d.value,
                "text": d.text,
            }
            for d in derived.values()
        ],
        "derivations_intro": _(
            "Some figures in the tables are computed from two published figures. Each is "
            "numbered in the table's last column; here is what it was computed from."
        ),
    }


def labels() -> dict[str, str]:
    """The template's own words (headings, table headers, empty texts), in the active language:
    Typst shows them as text, never as markup."""
    return {
        "page": _("Page"),
        "of": _("of"),
        "rank": "#",
        "country": _("Country"),
        "value": _("Value"),
        "share": _("Share"),
        "source": _("Source"),
        "no_key_facts": _("No key figure is available for this profile."),
        "in_brief": _("In brief"),
        "figure": _("Figure"),
        "year": _("Year"),
        "cell": _("Cell in the publisher's file"),
        "section_cannot_say": _("What this section cannot say"),
        "profile_cannot_say": _("What this profile cannot say"),
        "all_indicators": _("Every standard indicator has data for this profile."),
        "sources_and_gaps": _("Data sources and gaps"),
        "no_source": _("No source has data for this profile."),
        "editions": _("Editions"),
        "years": _("Years"),
        "latest_year": _("Latest year"),
        "missing_years": _("Missing years"),
        "files_sha": _("Files (sha256)"),
        "licence": _("Licence"),
        "disagree": _("Where sources disagree"),
        "no_gaps": _("No two sources measure the same figure for this profile."),
        "revisions": _("Revisions between editions"),
        "comparison": _("Comparison"),
        "source_a": _("Source A"),
        "source_b": _("Source B"),
        "gap": _("Gap (B vs A)"),
        "citations": _("Citations"),
        "derived": _("How the figures are derived"),
    }


# -- charts -------------------------------------------------------------------------------------


def _charts_module():
    from migprofile.render import charts

    return charts


def profile_charts(profile: Profile) -> list:
    return list(_charts_module().charts_for(profile))


def charts_to_svg(charts: Sequence) -> list[str]:
    """SVG text for each chart, on this process's one vl-convert engine: the first conversion
    starts it (~0.6 s), later ones reuse it (~0.06 s each). The engine runs one conversion at
    a time, so threads do not help; `render_pdfs` uses processes."""
    to_svg = _charts_module().to_svg
    return [to_svg(c) for c in charts]


# -- compiling ------------------------------------------------------------------------------------


@functools.cache
def _template_text() -> str:
    return TEMPLATE.read_text(encoding="utf-8")


def compile_pdf(
    profile: Profile, charts: Sequence = (), svgs: Sequence[str] = (), sparse: Sequence = ()
) -> bytes:
    """Typeset one profile whose charts are already SVG text (`svgs[i]` for `charts[i]`);
    `sparse` charts (too few points) become a sentence each."""
    import typst

    font_paths = font_setup()[0]
    with tempfile.TemporaryDirectory(prefix="migprofile-pdf-") as tmp:
        root = Path(tmp)
        (root / "charts").mkdir()
        placed = []
        for i, (chart, svg) in enumerate(zip(charts, svgs, strict=True)):
            name = f"charts/chart-{i:02d}.svg"
            (root / name).write_text(svg, encoding="utf-8")
            placed.append((chart, name, svg))
        data = document_data(profile, placed, sparse)
        data["locator"], data["locator_alt"] = _cover_locator(profile, root)
        (root / "data.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        main = root / "main.typ"
        main.write_text(_template_text(), encoding="utf-8")
        return typst.compile(
            str(main),
            root=str(root),
            font_paths=list(font_paths),
            ignore_system_fonts=True,
            timestamp=_timestamp(profile.generated_at),
        )


def _cover_locator(profile: Profile, root: Path) -> tuple[str, str]:
    """The cover's small map, the country or the region's members highlighted: (file, alt
    text), or ('', '') where there is none (the world, a country too small for the shapes)."""
    from migprofile.render import worldmap

    spec = worldmap.profile_locator(profile.geo, profile.kind, profile.members)
    if spec is None:
        return "", ""
    chart = _charts_module().Chart("locator", "", "", "", spec)
    (root / "charts" / "locator.svg").write_text(_charts_module().to_svg(chart), encoding="utf-8")
    return "charts/locator.svg", _("Map: {name} highlighted").format(name=profile.name)


def _timestamp(generated_at: str) -> int | None:
    """The profile's generation time as the PDF's creation date: the same profile gives the
    same bytes."""
    try:
        when = dt.datetime.fromisoformat(generated_at.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return int(when.timestamp())


def render_pdf(profile: Profile) -> bytes:
    """One profile as PDF bytes (A4, IOM colours, charts, tables, sources and gaps)."""
    charts = profile_charts(profile)
    drawn = [c for c in charts if printable(c)]
    sparse = [c for c in charts if not printable(c)]
    return compile_pdf(profile, drawn, charts_to_svg(drawn), sparse=sparse)


def pdf_filename(profile: Profile) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in profile.geo)
    return f"{safe or 'profile'}.pdf"


# A batch smaller than this many profiles per worker is rendered in this process: starting a
# worker (Python, Altair, the vl-convert engine) costs about as much as two profiles, and
# vl-convert already keeps ~1.3 cores busy: 2 workers pay off from about 12 profiles.
MIN_PROFILES_PER_WORKER = 6


def _pdf_job(job: tuple[Profile, str]) -> str:
    """One profile to one file, in a worker process (its own vl-convert engine, reused for
    every profile the worker gets)."""
    profile, path = job
    Path(path).write_bytes(render_pdf(profile))
    return path


def render_pdfs(profiles: Sequence[Profile], out_dir: Path, workers: int = 2) -> list[Path]:
    """Many profiles, one PDF each (`<out_dir>/<GEO>.pdf`), returned in the order given.

    Chart conversion is the cost (vl-convert runs one conversion at a time per process), so
    with `workers` > 1 and a batch big enough to pay for starting them, `workers` processes
    each keep one converter and render whole profiles (charts, then Typst) as they come.
    Otherwise everything runs here on one converter. Typst itself takes ~0.05 s a profile.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, int(workers))
    paths: list[Path] = []
    taken: set[str] = set()
    for profile in profiles:
        name = pdf_filename(profile)
        stem, n = name[:-4], 2
        while name in taken:
            name, n = f"{stem}-{n}.pdf", n + 1
        taken.add(name)
        paths.append(out_dir / name)

    workers = min(workers, len(profiles) // MIN_PROFILES_PER_WORKER)
    if workers <= 1:
        for profile, path in zip(profiles, paths, strict=True):
            path.write_bytes(render_pdf(profile))
        return paths

    # spawn: a fresh interpreter per worker, never a fork of a process whose DuckDB or
    # vl-convert threads are running.
    context = multiprocessing.get_context("spawn")
    jobs = [(p, str(path)) for p, path in zip(profiles, paths, strict=True)]
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = list(pool.map(_pdf_job, jobs))
    return [Path(d) for d in done]
