"""Markdown: the profile as a plain document (GitHub-flavoured tables), every figure cited.

Everything that comes from the profile (names, labels, notes, citations, file names) is
untrusted text: it is escaped so it shows literally and can never open a table cell, a link,
an HTML tag or a heading. Every word and number comes from migprofile.wording, shared with
the other faces so each says the same thing.
"""

from __future__ import annotations

import re

from migprofile.profiles.model import Figure, NationalData, Profile, Section, Series
from migprofile.render.derivations import derivations, table_cell
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
    partner_display,
    revision_text,
    unit_label,
    when_label,
    with_unit,
    year_ranges,
    year_span,
)

__all__ = ["esc", "render_markdown", "year_ranges"]


def _ranking_year(series: Series) -> str:
    return year_ranges(p.year for p in series.points if p.year is not None)


# -- escaping --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~&$])")
_BLOCK_START = re.compile(r"^(\d{0,9})([-+.)])(?=\s|$)")


def esc(text: object, block_start: bool = False) -> str:
    """Untrusted text as literal Markdown inline text (also safe inside a table cell).

    `block_start`: the text begins a paragraph or a list item, where '- ', '+ ' or '1. '
    would start a list of its own.
    """
    s = " ".join(str(text).split())  # no newlines: a newline would end a table row
    s = _MD_SPECIAL.sub(r"\\\1", s)
    return _BLOCK_START.sub(r"\1\\\2", s) if block_start else s


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c if c else " " for c in cells) + " |"


def _national(data: NationalData) -> list[str]:
    """The section 'National data system': sources, national figures beside the international
    estimates, and what neither covers."""
    lines = ["## " + esc(national_title()), "", esc(national_intro(data)), ""]
    if data.figures:
        lines += _table(
            [_("National figure"), _("Definition"), _("International estimate"), _("Gap")],
            "llll",
            [[esc(a), esc(b), esc(c), esc(d)] for a, b, c, d in national_figure_rows(data)],
        )
    if data.sources:
        lines += _table(
            [_("Source"), _("Type"), _("Topics"), _("Periodicity"), _("Latest release"),
             _("Access")],
            "llllll",
            [[esc(c) for c in row] for row in source_rows(data)],
        )  # fmt: skip
        for s in data.sources:
            details = source_details(s)
            if details:
                lines += [f"**{esc(s.name)}**", ""]
                lines += [f"- {esc(d, block_start=True)}" for d in details]
                lines.append("")
        lines += [esc(uncovered_text(data)), ""]
    return lines


def _table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """align: one letter per column, l or r."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return [_row(header), _row(rule), *(_row(r) for r in rows), ""]


# -- the document ----------------------------------------------------------------------------


def render_markdown(profile: Profile) -> str:
    kind = kind_line(profile.kind, profile.member_names)
    income = income_line(profile.income_group, profile.income_since, profile.income_latest)
    if income:
        kind = _("{kind} · {income}").format(kind=kind, income=income)
    lines: list[str] = [
        "# " + _("{name} — migration profile").format(name=esc(profile.name)),
        "",
        _("{kind} · generated {when} · migprofile {version}").format(
            kind=esc(kind),
            when=esc(when_label(profile.generated_at)),
            version=esc(profile.migprofile_version),
        ),
        "",
        "## " + _("Key facts"),
        "",
    ]
    if profile.key_facts:
        for f in profile.key_facts:
            extra = f", {esc(f.coverage)}" if f.coverage else ""
            lines.append(
                f"- **{esc(figure_label(f))}:** {human(f.value, f.unit)} "
                f"({esc(figure_year(f))}; {esc(f.citation)}{extra})"
            )
    else:
        lines.append(_("No key figure is available for this profile."))
    lines.append("")

    if profile.narrative:
        lines += ["## " + _("In brief"), ""]
        for sentence in profile.narrative:
            lines += [esc(sentence.text, block_start=True), ""]

    derived = derivations(profile)
    for section in profile.sections:
        lines += [f"## {esc(section.title)}", ""]
        if section.figures:
            lines += _table(
                [_("Figure"), _("Value"), _("Unit"), _("Year"), _("Source"), _("Cell")],
                "lrlrll",
                [
                    [
                        esc(figure_label(f)) + (f" ({esc(f.coverage)})" if f.coverage else ""),
                        figure_value(f),
                        esc(unit_label(f.unit)),
                        esc(figure_year(f)),
                        esc(f.citation),
                        esc(table_cell(f, derived)),
                    ]
                    for f in section.figures
                ],
            )
        for series in section.rankings.values():
            lines += _ranking(series)
        lines += _corridor_tables(section)
        if section.missing:
            lines += [_("What this section cannot say:"), ""]
            lines += [f"- {esc(m, block_start=True)}" for m in section.missing]
            lines.append("")

    if profile.flows is not None:
        est = profile.flows
        lines += ["## " + esc(flows_title(est)), "", esc(flows_caveat(est)), ""]
        lines += _table(
            [_("Flow"), _("Range across methods"), _("Each method")],
            "lrl",
            [[esc(a), esc(b), esc(c)] for a, b, c in flows_rows(est)],
        )
        lines += [esc(flows_source(est)), ""]

    if profile.national is not None:
        lines += _national(profile.national)

    lines += ["## " + _("What this profile cannot say"), ""]
    if profile.cannot_say:
        lines += [f"- {esc(m, block_start=True)}" for m in profile.cannot_say]
    else:
        lines.append(_("Every standard indicator has data for this profile."))
    lines.append("")

    lines += _sources_and_gaps(profile)
    if derived:
        lines += ["## " + _("How the figures are derived"), ""]
        for d in derived.values():
            lines.append(
                f"{d.number}. **{esc(d.label)}, {esc(d.year)}:** {esc(d.value)}. {esc(d.text)}"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _ranking(series: Series) -> list[str]:
    year = _ranking_year(series)
    out = [f"### {esc(series.label)}" + (f" ({esc(year)})" if year else ""), ""]
    out += _table(
        ["#", _("Country"), _("Value"), _("Unit"), _("Source")],
        "rlrll",
        [
            [
                str(i),
                esc(partner_display(p)),
                figure_value(p),
                esc(unit_label(p.unit)),
                esc(p.citation),
            ]
            for i, p in enumerate(series.points, 1)
        ],
    )
    return out


def _cited(f: Figure | None) -> str:
    """'1.40% (2020; World Bank RPW 2020-12-07, line 3728)', or the empty cell."""
    if f is None:
        return empty_cell()
    value = with_unit(f.value, f.unit) if is_pct(f.unit) else human(f.value, f.unit)
    where = ", ".join(p for p in (f.citation, f.cell) if p)
    return f"{esc(value)} ({esc(figure_year(f))}; {esc(where)})"


def _corridor_tables(section: Section) -> list[str]:
    """The cost of sending money home by sending country, and the top corridors."""
    out: list[str] = []
    if section.bars is not None and section.bars.points:
        out += [f"### {esc(section.bars.label)}", ""]
        out += _table(
            ["#", _("Sending country"), _("Cost"), _("Year"), _("Source"), _("Cell")],
            "rlrrll",
            [
                [
                    str(i),
                    esc(partner_display(f)),
                    esc(with_unit(f.value, f.unit)),
                    esc(figure_year(f)),
                    esc(f.citation),
                    esc(figure_cell(f)),
                ]
                for i, f in enumerate(section.bars.points, 1)
            ],
        )
    if section.corridors:
        out += _table(
            [
                _("Corridor (money sent from → to)"),
                _("Migrants"),
                _("Remittances (modelled)"),
                esc(_("Cost of sending US$200")),
            ],
            "lrrr",
            [
                [
                    esc(f"{c.origin_name} → {c.destination_name}"),
                    _cited(c.stock),
                    _cited(c.remittances),
                    _cited(c.cost),
                ]
                for c in section.corridors
            ],
        )
    if section.note:
        out += [esc(section.note, block_start=True), ""]
    return out


def _sources_and_gaps(profile: Profile) -> list[str]:
    out = ["## " + _("Data sources and gaps"), "", "### " + _("Sources"), ""]
    if profile.sources:
        header = [
            _("Source"),
            _("Editions"),
            _("Years"),
            _("Latest year"),
            _("Missing years"),
            _("Files"),
            _("Licence"),
        ]
        out += _table(
            header,
            "lllrlll",
            [
                [
                    f"{esc(s.title)} ({esc(s.source)})",
                    esc(", ".join(s.editions)),
                    esc(year_span(s.first_year, s.latest_year)),
                    esc(s.latest_year if s.latest_year is not None else ""),
                    esc(missing_years(s.missing_years)),
                    "<br>".join(esc(f) for f in s.files),
                    esc(s.licence),
                ]
                for s in profile.sources
            ],
        )
        out += [_("Citations:"), ""]
        out += [f"- {esc(s.title)}: {esc(s.citation)}" for s in profile.sources if s.citation]
        out.append("")
    else:
        out += [_("No source has data for this profile."), ""]

    out += ["### " + _("Where sources disagree"), ""]
    if profile.gaps:
        out += _table(
            [_("Comparison"), _("Source A"), _("Source B"), _("Gap (B vs A)")],
            "lllr",
            [
                [
                    esc(g.label),
                    gap_side(g, "a", esc),
                    gap_side(g, "b", esc),
                    gap_text(g),
                ]
                for g in profile.gaps
            ],
        )
    else:
        out += [_("No two sources measure the same figure for this profile."), ""]
    if profile.revisions:
        out += ["### " + _("Revisions between editions"), ""]
        out += [f"- {esc(revision_text(r))}" for r in profile.revisions] + [""]
    return out
