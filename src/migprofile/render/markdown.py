"""Markdown: the profile as a plain document (GitHub-flavoured tables), every figure cited.

Everything that comes from the profile (names, labels, notes, citations, file names) is
untrusted text: it is escaped so it shows literally and can never open a table cell, a link,
an HTML tag or a heading. Numbers are formatted here with migprofile.profiles.numbers.

The small helpers at the top (labels, year ranges, source lines) are shared with the PDF
renderer so both faces say the same thing.
"""

from __future__ import annotations

import re

from migprofile.profiles.model import Figure, Profile, Series, SourceCoverage, SourceGap
from migprofile.profiles.numbers import exact, human

# -- shared helpers (also used by render.pdf) ------------------------------------------------

SEX_LABELS = {"female": "women", "male": "men"}


def figure_label(f: Figure) -> str:
    """The row label: the indicator's title, with the sex when the figure is not the total."""
    if f.sex and f.sex != "total":
        return f"{f.label} — {SEX_LABELS.get(f.sex, f.sex)}"
    return f.label


def figure_value(f: Figure) -> str:
    """The full value for a table, never a '0' for a missing figure."""
    return exact(f.value, f.unit) if f.value is not None else "no data"


def figure_year(f: Figure) -> str:
    if f.year is None:
        return ""
    return f"{f.year} {f.period}".strip()


def figure_cell(f: Figure) -> str:
    """Where the value is in the publisher's file, or how it was derived (and any note)."""
    parts = [f.cell] if f.cell else []
    if f.note and f.note != f.cell:
        parts.append(f.note)
    return "; ".join(parts)


def sha_prefixes(sha: str, n: int = 12) -> str:
    """'c2bae98812a1…' (or several, joined) for a figure's file checksum(s)."""
    parts = [s.strip() for s in (sha or "").split("+") if s.strip()]
    return " + ".join(f"{s[:n]}…" if len(s) > n else s for s in parts)


def partner_display(f: Figure) -> str:
    """A partner's name for a table row: 'Russian Federation', not 'the Russian Federation'."""
    name = f.partner_name or f.partner
    return name[4:] if name.startswith("the ") else name


def year_ranges(years: list[int]) -> str:
    """[1951, 1952, …, 1992, 2024] -> '1951–1992, 2024'."""
    out: list[str] = []
    ys = sorted(set(years))
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        out.append(str(ys[i]) if i == j else f"{ys[i]}–{ys[j]}")
        i = j + 1
    return ", ".join(out)


def coverage_years(s: SourceCoverage) -> str:
    if s.first_year is None:
        return ""
    if s.first_year == s.latest_year:
        return str(s.first_year)
    return f"{s.first_year}–{s.latest_year}"


def ranking_year(series: Series) -> str:
    years = sorted({p.year for p in series.points if p.year is not None})
    return year_ranges(years)


def ranking_citation(series: Series) -> str:
    cites: list[str] = []
    for p in series.points:
        if p.citation and p.citation not in cites:
            cites.append(p.citation)
    return "; ".join(cites)


def kind_line(profile: Profile) -> str:
    """'Country profile' or 'Regional profile: 5 countries (Kazakhstan, …)'."""
    if profile.kind == "region":
        n = len(profile.members)
        names = ", ".join(profile.member_names)
        return f"Regional profile: {n} member {'country' if n == 1 else 'countries'} ({names})"
    return "Country profile"


def gap_text(g: SourceGap) -> str:
    if g.gap_pct is None:
        return "–"
    pct = round(g.gap_pct, 1)
    return "0.0%" if pct == 0 else f"{pct:+.1f}%"  # never '-0.0%'


def gap_unit(g: SourceGap) -> str:
    return "US$" if "usd" in g.indicator_a.lower() else ""


def gap_side(g: SourceGap, side: str, escape=lambda s: s) -> str:
    """'US$ 2.17 billion (2022, World Bank WDI 2023-05-10)' for side 'a' or 'b'."""
    value, year, cite = (
        (g.value_a, g.year, g.citation_a) if side == "a" else (g.value_b, g.year_b, g.citation_b)
    )
    return f"{human(value, gap_unit(g))} ({year}, {escape(cite)})"


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


def _table(header: list[str], align: str, rows: list[list[str]]) -> list[str]:
    """align: one letter per column, l or r."""
    rule = ["---:" if a == "r" else "---" for a in align]
    return [_row(header), _row(rule), *(_row(r) for r in rows), ""]


# -- the document ----------------------------------------------------------------------------


def render_markdown(profile: Profile) -> str:
    lines: list[str] = [
        f"# {esc(profile.name)} — migration profile",
        "",
        f"{esc(kind_line(profile))} · generated {esc(profile.generated_at)} · "
        f"migprofile {esc(profile.migprofile_version)}",
        "",
        "## Key facts",
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
        lines.append("No key figure is available for this profile.")
    lines.append("")

    if profile.narrative:
        lines += ["## In brief", ""]
        for sentence in profile.narrative:
            lines += [esc(sentence.text, block_start=True), ""]

    for section in profile.sections:
        lines += [f"## {esc(section.title)}", ""]
        if section.figures:
            lines += _table(
                ["Figure", "Value", "Unit", "Year", "Source", "Cell"],
                "lrlrll",
                [
                    [
                        esc(figure_label(f)) + (f" ({esc(f.coverage)})" if f.coverage else ""),
                        figure_value(f),
                        esc(f.unit),
                        esc(figure_year(f)),
                        esc(f.citation),
                        esc(figure_cell(f)),
                    ]
                    for f in section.figures
                ],
            )
        for series in section.rankings.values():
            lines += _ranking(series)
        if section.missing:
            lines += ["What this section cannot say:", ""]
            lines += [f"- {esc(m, block_start=True)}" for m in section.missing]
            lines.append("")

    lines += ["## What this profile cannot say", ""]
    if profile.cannot_say:
        lines += [f"- {esc(m, block_start=True)}" for m in profile.cannot_say]
    else:
        lines.append("Every standard indicator has data for this profile.")
    lines.append("")

    lines += _sources_and_gaps(profile)
    return "\n".join(lines).rstrip() + "\n"


def _ranking(series: Series) -> list[str]:
    year = ranking_year(series)
    out = [f"### {esc(series.label)}" + (f" ({esc(year)})" if year else ""), ""]
    out += _table(
        ["#", "Country", "Value", "Unit", "Source"],
        "rlrll",
        [
            [str(i), esc(partner_display(p)), figure_value(p), esc(p.unit), esc(p.citation)]
            for i, p in enumerate(series.points, 1)
        ],
    )
    return out


def _sources_and_gaps(profile: Profile) -> list[str]:
    out = ["## Data sources and gaps", "", "### Sources", ""]
    if profile.sources:
        out += _table(
            ["Source", "Editions", "Years", "Latest year", "Missing years", "Files", "Licence"],
            "lllrlll",
            [
                [
                    f"{esc(s.title)} ({esc(s.source)})",
                    esc(", ".join(s.editions)),
                    esc(coverage_years(s)),
                    esc(s.latest_year if s.latest_year is not None else ""),
                    esc(year_ranges(s.missing_years)) or "none",
                    "<br>".join(esc(f) for f in s.files),
                    esc(s.licence),
                ]
                for s in profile.sources
            ],
        )
        out += ["Citations:", ""]
        out += [f"- {esc(s.title)}: {esc(s.citation)}" for s in profile.sources if s.citation]
        out.append("")
    else:
        out += ["No source has data for this profile.", ""]

    out += ["### Where sources disagree", ""]
    if profile.gaps:
        out += _table(
            ["Comparison", "Source A", "Source B", "Gap (B vs A)"],
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
        out += ["No two sources measure the same figure for this profile.", ""]
    return out
