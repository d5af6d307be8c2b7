"""HTML: one self-contained page per profile that works offline.

The page is a Jinja2 template with autoescape on (names, notes and labels are untrusted text).
Charts are Vega-Lite specs in `<script type="application/json">` blocks, drawn by one small init
script with vega-embed from vl-convert's bundle: inlined when `standalone`, else loaded from
`bundle_url` (the portal serves one shared copy). Nothing on the page asks the network for
anything; a standalone page says so itself in a Content-Security-Policy meta tag.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources

import jinja2
from markupsafe import Markup

from migprofile.profiles.model import Figure, Profile, Section, Series
from migprofile.render.charts import Chart, charts_for, flow_ranges_chart, vega_bundle
from migprofile.render.flows_text import flows_caveat, flows_rows, flows_source, flows_title
from migprofile.render.national_text import (
    beside_text,
    figure_item,
    national_intro,
    national_title,
    source_details,
    source_rows,
    uncovered_text,
)
from migprofile.render.national_text import gap_text as national_gap
from migprofile.wording import (
    _,
    current_language,
    empty_cell,
    exact,
    figure_label,
    figure_note,
    figure_year,
    gap_text,
    gap_value,
    group_line,
    human,
    income_line,
    kind_name,
    members_label,
    missing_years,
    ngettext,
    partner_display,
    provenance,
    revision_text,
    when_label,
    with_unit,
    year_ranges,
    year_span,
)

_TEMPLATES = resources.files("migprofile.render") / "templates"

__all__ = [
    "content_security_policy",
    "init_script",
    "render_html",
    "spec_json",
    "stylesheet",
    "year_ranges",
]


@functools.cache
def _asset(name: str) -> str:
    return (_TEMPLATES / name).read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def init_script() -> str:
    """The one inline script: draws every chart on the page with vega-embed."""
    return _asset("init.js")


def stylesheet() -> str:
    return _asset("profile.css")


def content_security_policy(*, standalone: bool = True, bundle_src: str = "'self'") -> str:
    """The policy the page needs: no request leaves it; only its own scripts and style run.

    A standalone page carries it in a meta tag; a portal serving pages with `bundle_url` can
    send it as a header (`bundle_src` being where the bundle comes from, 'self' by default).
    """
    scripts = [_bundle_hash() if standalone else bundle_src, _sha256(init_script())]
    return "; ".join(
        (
            "default-src 'none'",
            "script-src " + " ".join(scripts),
            "style-src " + _sha256(stylesheet()),
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )


@functools.cache
def _bundle_hash() -> str:
    return _sha256(vega_bundle())


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(lambda name: _asset(name)),
        autoescape=True,  # every template here is HTML
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # `{{ _("text %(name)s", name=x) }}`: the one translation function, placeholders escaped
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["human"] = lambda f: human(f.value, f.unit)
    env.filters["exact"] = lambda f: exact(f.value, f.unit)
    env.filters["label"] = figure_label
    env.filters["when"] = when_label
    env.filters["year"] = figure_year
    env.filters["years"] = year_ranges
    env.filters["missing_years"] = missing_years
    env.filters["gap"] = gap_text
    env.filters["revision"] = revision_text
    env.filters["partner"] = partner_display
    env.filters["full"] = lambda f: with_unit(f.value, f.unit)  # 1.40%, every digit kept
    env.globals["gap_value"] = gap_value
    env.globals["flows_title"] = flows_title
    env.globals["flows_caveat"] = flows_caveat
    env.globals["flows_rows"] = flows_rows
    env.globals["flows_source"] = flows_source
    env.globals["year_span"] = year_span
    env.globals["national_title"] = national_title
    env.globals["national_intro"] = national_intro
    env.globals["national_item"] = figure_item
    env.globals["national_beside"] = beside_text
    env.globals["national_gap"] = national_gap
    env.globals["national_sources"] = source_rows
    env.globals["national_details"] = source_details
    env.globals["national_uncovered"] = uncovered_text
    env.globals["empty"] = empty_cell
    return env


# -- what the template shows -------------------------------------------------------------------
@dataclass
class FigureRow:
    figure: Figure
    label: str
    provenance: str  # "UN DESA 2020, Table 1!L161"
    note: str = ""


@dataclass
class ChartBlock:
    chart: Chart
    dom_id: str
    spec_json: Markup


@dataclass
class SectionView:
    section: Section
    anchor: str
    rows: list[FigureRow]
    charts: list[ChartBlock]
    rankings: list[Series]
    missing: list[str] = field(default_factory=list)


def spec_json(spec: dict) -> Markup:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' left to close it."""
    text = json.dumps(spec, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _anchor(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-") or "section"


def _sections(profile: Profile, charts: list[Chart]) -> list[SectionView]:
    views = []
    for s in profile.sections:
        anchor = "section-" + _anchor(s.id)
        blocks = [
            ChartBlock(c, f"chart-{_anchor(c.id)}", spec_json(c.spec))
            for c in charts
            if c.section == s.id
        ]
        rows = [FigureRow(f, figure_label(f), provenance(f), figure_note(f)) for f in s.figures]
        rankings = [r for r in s.rankings.values() if r.points]
        views.append(SectionView(s, anchor, rows, blocks, rankings, list(s.missing)))
    return views


def _sentences(profile: Profile) -> list[tuple[str, str]]:
    """Narrative sentences as (text, citations): the citations set apart in the page."""
    out = []
    for sentence in profile.narrative:
        text = sentence.text
        cut = text.rfind(" [")
        if sentence.citations and cut > 0 and text.endswith("]"):
            out.append((text[:cut], "; ".join(sentence.citations)))
        else:
            out.append((text, ""))
    return out


def render_html(
    profile: Profile,
    *,
    standalone: bool = True,
    bundle_url: str | None = None,
    portal_header: Markup | str = "",
    stylesheet_url: str | None = None,
) -> str:
    """The profile as one HTML page.

    standalone=True inlines the Vega bundle (~0.9 MB) so the file works anywhere, offline;
    standalone=False references `bundle_url` instead (required then).
    A portal may add `portal_header` (HTML it built and escaped itself, shown above the page's
    own masthead) and `stylesheet_url` (one extra stylesheet linked from the head).
    """
    if not standalone and not bundle_url:
        raise ValueError("render_html(standalone=False) needs bundle_url: where the Vega bundle is")
    charts = charts_for(profile)
    flows_chart = None
    if profile.flows is not None:
        chart = flow_ranges_chart(
            profile.flows,
            flows_source(profile.flows),
            _("{title}: main corridors").format(title=flows_title(profile.flows)),
        )
        if chart is not None:
            flows_chart = ChartBlock(chart, "chart-flows", spec_json(chart.spec))
    template = _environment().get_template("profile.html.j2")
    return template.render(
        p=profile,
        lang=current_language().replace("_", "-"),
        kind=kind_name(profile.kind),
        group=group_line(profile.group_type),
        income=income_line(profile.income_group, profile.income_since, profile.income_latest),
        members_label=members_label(len(profile.members)),
        sentences=_sentences(profile),
        sections=_sections(profile, charts),
        flows_chart=flows_chart,
        has_charts=bool(charts) or flows_chart is not None,
        standalone=standalone,
        bundle_url=bundle_url,
        bundle=Markup(vega_bundle()) if standalone and (charts or flows_chart) else "",
        init_script=Markup(init_script()),
        css=Markup(stylesheet()),
        csp=content_security_policy() if standalone else "",
        portal_header=Markup(portal_header) if portal_header else "",
        stylesheet_url=stylesheet_url or "",
        # a portal page links each corridor to its page; a standalone file has none to link to
        corridor_links=not standalone,
    )
