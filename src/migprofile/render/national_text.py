"""The words and rows of a profile's "National data system" section, one wording for the HTML
page, Markdown and the PDF: the country's national sources, each national figure beside the
international estimate of the same concept (the gap only where the years are the same), and
the topics neither covers."""

from __future__ import annotations

from migprofile.profiles.model import Figure, NationalData, NationalFigure, NationalSourceEntry
from migprofile.wording import _, exact
from migprofile.wording.labels import figure_year, sha_prefixes
from migprofile.wording.numbers import fixed


def national_title() -> str:
    return _("National data system")


def national_intro(data: NationalData) -> str:
    """Where the list of national sources comes from (or that none was added)."""
    if not data.sources:
        return _(
            "No national data-system file was added for this country "
            "(`migprofile national template GEO`, then `migprofile national add FILE`)."
        )
    bits = [
        _("National sources as listed in {file} (sha256 {sha})").format(
            file=data.file_name or _("the national data-system file"),
            sha=sha_prefixes(data.sha256),
        )
    ]
    if data.compiled_by:
        bits.append(_("compiled by {who}").format(who=data.compiled_by))
    if data.updated:
        bits.append(_("updated {date}").format(date=data.updated))
    return ", ".join(bits) + "."


def figure_item(f: Figure, label: str) -> str:
    """'Labour migrants abroad — National Bureau of Statistics, LFS, 2009: 317,900' (the year
    once where the citation ends with it already)."""
    year = figure_year(f)
    if f.citation.endswith(f" {year}"):
        return _("{label} — {citation}: {value}").format(
            label=label, citation=f.citation, value=exact(f.value, f.unit)
        )
    return _("{label} — {citation}, {year}: {value}").format(
        label=label, citation=f.citation, year=year, value=exact(f.value, f.unit)
    )


def beside_text(n: NationalFigure) -> list[str]:
    """The international estimates set beside a national figure, each as a line."""
    label = n.concept_label
    lines = []
    if n.same_year is not None:
        lines.append(figure_item(n.same_year, label))
    else:
        for f in (n.before, n.after):
            if f is not None:
                lines.append(figure_item(f, label))
    if n.latest is not None:
        lines.append(figure_item(n.latest, label))
    return lines


def gap_text(n: NationalFigure) -> str:
    """What the comparison can say: the gap for the same year, or why there is none."""
    if not n.concept:
        return _("No standard indicator was named as its concept (--concept).")
    if n.gap_pct is not None and n.same_year is not None:
        direction = _("above") if n.gap_pct >= 0 else _("below")
        return _(
            "Gap {year}: the national figure is {pct}% {direction} the international estimate "
            "((national − international) ÷ international)."
        ).format(year=figure_year(n.figure), pct=fixed(abs(n.gap_pct), 1), direction=direction)
    if n.before is None and n.after is None and n.latest is None:
        return _("The international series has no estimate for this country.")
    return _(
        "The international series has no estimate for {year}; the estimates nearest in time "
        "are shown, with no gap computed across different years."
    ).format(year=figure_year(n.figure))


def national_figure_rows(data: NationalData) -> list[tuple[str, str, str, str]]:
    """(national figure, its definition, the international estimates beside it, the gap)."""
    return [
        (
            figure_item(n.figure, n.figure.label),
            n.definition,
            "; ".join(beside_text(n)),
            gap_text(n),
        )
        for n in data.figures
    ]


def source_rows(data: NationalData) -> list[tuple[str, str, str, str, str, str]]:
    """(source and institution, type, topics, periodicity, latest release, access)."""
    return [
        (
            _("{name} ({institution})").format(name=s.name, institution=s.institution),
            s.type_label,
            ", ".join(s.topics),
            s.periodicity,
            release_text(s),
            ", ".join(x for x in (s.access, s.url) if x),
        )
        for s in data.sources
    ]


def release_text(s: NationalSourceEntry) -> str:
    if s.latest_release and s.reference_date:
        return _("{release} (reference date {date})").format(
            release=s.latest_release, date=s.reference_date
        )
    return s.latest_release or s.reference_date


def source_details(s: NationalSourceEntry) -> list[str]:
    """Who is covered, by which definition, and the known issues of one source."""
    lines = []
    if s.population:
        lines.append(_("Population covered: {text}").format(text=s.population))
    if s.definitions:
        lines.append(_("Definitions: {text}").format(text=s.definitions))
    lines += [_("Known issue: {text}").format(text=k) for k in s.known_issues]
    return lines


def uncovered_text(data: NationalData) -> str:
    if not data.sources:
        return ""
    if not data.uncovered:
        return _("Every topic is covered by a national source or an international estimate.")
    return _(
        "Neither the national sources listed nor the international estimates here cover: {topics}."
    ).format(topics=", ".join(data.uncovered))
