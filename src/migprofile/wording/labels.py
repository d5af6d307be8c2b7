"""Labels every face shows the same way: figure labels, years and ranges, partner names, table
cells, source lines, gaps between sources, the kind of profile.

Functions take the profile's objects by their attributes (a Figure, a SourceGap, …) without
importing them, so this package stays at the bottom of the import graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from migprofile.wording.i18n import N_, _, current_language, ngettext, pgettext
from migprofile.wording.numbers import (
    empty_cell,
    exact,
    fixed,
    human,
    localised,
    no_data,
    signed_percent,
)


class FigureLike(Protocol):
    label: str
    value: float | None
    unit: str
    year: int | None
    citation: str
    cell: str
    partner: str
    partner_name: str
    sex: str
    period: str
    note: str
    coverage: str
    modelled: bool


class GapLike(Protocol):
    indicator_a: str
    indicator_b: str
    year: int
    year_b: int
    value_a: float
    value_b: float
    citation_a: str
    citation_b: str
    gap_pct: float | None


def sex_name(sex: str) -> str:
    """'women' / 'men' for a figure by sex ('' for the total)."""
    if sex == "female":
        return _("women")
    if sex == "male":
        return _("men")
    return "" if not sex or sex == "total" else sex


def figure_label(f: FigureLike) -> str:
    """The row label: the indicator's title, with the sex when the figure is not the total:
    'Immigrant stock — women' (the one form, in every face)."""
    sex = sex_name(f.sex)
    if not sex:
        return f.label
    return _("{label} — {sex}").format(label=f.label, sex=sex)


# -- years ---------------------------------------------------------------------------------------
def year_text(year: int | None, period: str = "") -> str:
    """'2023', or '2023 (mid-year)' when the source gives a period; '' without a year."""
    if year is None:
        return ""
    if period:
        words = PERIOD_WORDS.get(period)
        month = _month(period) if words is None else None
        if month:
            return month
        return _("{year} ({period})").format(year=year, period=_(words) if words else period)
    return str(year)


_MONTH = re.compile(r"(\d{4})-(\d{2})")


def _month(period: str) -> str | None:
    """A monthly period ('2025-03') as the language names it ('March 2025', 'март 2025 г.')."""
    m = _MONTH.fullmatch(period)
    if not m or not 1 <= int(m.group(2)) <= 12:
        return None
    try:
        import datetime as dt

        from babel.dates import format_skeleton

        day = dt.date(int(m.group(1)), int(m.group(2)), 1)
        return format_skeleton("yMMMM", day, locale=current_language())
    except Exception:  # a language CLDR does not know
        return period


# Periods that are words (translated); quarters such as '2020Q3' are shown as they are.
PERIOD_WORDS = {"mid-year": N_("mid-year")}


def figure_year(f: FigureLike) -> str:
    return year_text(f.year, f.period)


def year_span(first: int | None, last: int | None) -> str:
    """'2000–2020', or '2020' when both ends are one year; '' without a first year."""
    if first is None:
        return ""
    if last is None or first == last:
        return str(first)
    return f"{first}–{last}"


def year_ranges(years: Iterable[int]) -> str:
    """[1951, 1952, …, 1992, 2005, 2007, 2008] → '1951–1992, 2005, 2007–2008'."""
    out: list[str] = []
    ys = sorted(set(years))
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        out.append(year_span(ys[i], ys[j]))
        i = j + 1
    return ", ".join(out)


def missing_years(years: Iterable[int]) -> str:
    """The years a source skips, or 'none'."""
    return year_ranges(years) or _("none")


# -- partners and cells ------------------------------------------------------------------------
def partner_label(name: str) -> str:
    """A partner as a label names it: 'Russian Federation', not 'the Russian Federation'."""
    return name[4:] if name.startswith("the ") else name


def partner_display(f: FigureLike) -> str:
    return partner_label(f.partner_name or f.partner)


def figure_value(f: FigureLike) -> str:
    """The full value for a table, never a '0' for a missing figure."""
    return exact(f.value, f.unit) if f.value is not None else no_data()


def figure_cell(f: FigureLike) -> str:
    """Where the value is in the publisher's file, or how it was derived (and any note)."""
    parts = [f.cell] if f.cell else []
    if f.note and f.note != f.cell:
        parts.append(f.note)
    return "; ".join(parts)


def provenance(f: FigureLike) -> str:
    """'UN DESA 2020, Table 1!L161'."""
    return ", ".join(p for p in (f.citation, f.cell) if p)


def modelled_note() -> str:
    return _("modelled estimate")


def modelled_note_plural() -> str:
    return _("modelled estimates")


def figure_note(f: FigureLike) -> str:
    """A figure's note, its regional coverage and whether it is modelled."""
    bits = []
    if f.note and f.note != f.cell:
        bits.append(f.note)
    if f.coverage:
        bits.append(f.coverage)
    if f.modelled:
        bits.append(modelled_note())
    return "; ".join(bits)


def sha_prefixes(sha: str, n: int = 12) -> str:
    """'c2bae98812a1…' (or several, joined) for a figure's file checksum(s)."""
    parts = [s.strip() for s in (sha or "").split("+") if s.strip()]
    return " + ".join(f"{s[:n]}…" if len(s) > n else s for s in parts)


# -- citations and source lines --------------------------------------------------------------
def citations(cites: Iterable[str]) -> list[str]:
    """Citations in order, each once ('A; B' strings split)."""
    out: list[str] = []
    for c in cites:
        for part in (c or "").split("; "):
            if part and part not in out:
                out.append(part)
    return out


def source_line(cites: Iterable[str]) -> str:
    """'Source: UN DESA 2020; World Bank WDI 2023-05-10'."""
    return _("Source: {citations}").format(citations="; ".join(citations(cites)))


# -- gaps between two sources ---------------------------------------------------------------------
def indicator_unit(indicator: str) -> str:
    """A compared value's unit, read from the indicator id ('remittances_received_usd@wdi')."""
    base = indicator.split("@")[0].lower()
    return "US$" if "usd" in base else "%" if "pct" in base else ""


def gap_text(g: GapLike) -> str:
    """'+1.2%', '-6.1%', '0.0%' (never '-0.0%'); 'nearest years: 2020 vs 2017' when the two
    sources share no year (no percentage across years); '–' when there is no gap to give."""
    if g.year != g.year_b:
        return _("nearest years: {year_a} vs {year_b}").format(year_a=g.year, year_b=g.year_b)
    return empty_cell() if g.gap_pct is None else signed_percent(g.gap_pct)


def gap_value(g: GapLike, side: str) -> str:
    value, indicator = (g.value_a, g.indicator_a) if side == "a" else (g.value_b, g.indicator_b)
    return human(value, indicator_unit(indicator))


def gap_year(g: GapLike, side: str) -> int:
    return g.year if side == "a" else g.year_b


def gap_citation(g: GapLike, side: str) -> str:
    return g.citation_a if side == "a" else g.citation_b


def _same(text: str) -> str:
    return text


def gap_side(g: GapLike, side: str, escape: Callable[[str], str] = _same) -> str:
    """'US$ 2.17 billion (2022, World Bank WDI 2023-05-10)' for side 'a' or 'b'."""
    return _("{value} ({year}, {citation})").format(
        value=gap_value(g, side), year=gap_year(g, side), citation=escape(gap_citation(g, side))
    )


# -- the kind of profile -------------------------------------------------------------------------
def group_type_name(group_type: str) -> str:
    names = {
        "world": _("World"),
        "m49_region": _("UN M49 region"),
        "m49_intermediate": _("UN M49 intermediate region"),
        "m49_subregion": _("UN M49 sub-region"),
        "sdg_region": _("SDG region"),
        "grouping": _("regional grouping"),
        "wb_region": _("World Bank region"),
        "wb_income": _("World Bank income group"),
        "wpp_group": _("UN WPP group"),
        "mmp_region": _("Missing Migrants region"),
        "mmp_route": _("migration route"),
        "eurostat_aggregate": _("Eurostat aggregate"),
    }
    return names.get(group_type, group_type.replace("_", " "))


def group_line(group_type: str) -> str:
    """'UN M49 sub-region, SDG region' from 'm49_subregion+sdg_region'."""
    return ", ".join(group_type_name(t) for t in group_type.split("+") if t)


INCOME_GROUP_WORDS = {
    "L": N_("low income"),
    "LM": N_("lower-middle income"),
    "UM": N_("upper-middle income"),
    "H": N_("high income"),
}


def income_line(group: str, since: str, latest: str) -> str:
    """'World Bank: upper-middle income since FY2022 (classification for FY2026)'; '' when the
    income groups were not ingested."""
    if not latest:
        return ""
    words = INCOME_GROUP_WORDS.get(group)
    if words is None:
        return _("World Bank: not classified by income since {since}").format(since=since)
    return _("World Bank: {group} since {since} (classification for {latest})").format(
        group=_(words), since=since, latest=latest
    )


def kind_name(kind: str) -> str:
    return _("Regional profile") if kind == "region" else _("Country profile")


def kind_line(kind: str, member_names: list[str]) -> str:
    """'Country profile' or 'Regional profile: 5 member countries (Kazakhstan, …)'."""
    if kind != "region":
        return kind_name(kind)
    n = len(member_names)
    text = ngettext(
        "Regional profile: {n} member country ({names})",
        "Regional profile: {n} member countries ({names})",
        n,
    )
    return text.format(n=n, names=", ".join(member_names))


def members_label(n: int) -> str:
    """'5 member countries:'."""
    return ngettext("{n} member country:", "{n} member countries:", n).format(n=n)


# -- where a value is in the publisher's file, and the notes made while deriving it ------------
def cell_ref(sheet: str | None, col: str | None, row: int | None, note: str | None = "") -> str:
    """'Table 1!L161', 'line 5540', else the row's note (how the value was derived)."""
    if sheet:
        return f"{sheet}!{col}{row}"
    if row is not None:
        return _("line {row}").format(row=row)
    return data_note(note)


_SUM_OVER = re.compile(
    r"sum over (\d+) (destination countries|countries of origin|countries of asylum)"
)
_SUM_MEMBERS = re.compile(r"sum over (\d+) of the (\d+) members of the (.+)")
_FORMULA = re.compile(r"(.+) with a = (\S+) (\S+), b = (\S+) (\S+)")
_CHANGE = re.compile(r"change since (\d+): (\S+) \((.+)\) to (\S+)")


def _sum_over(n: int, counted: str) -> str:
    # English keeps its one plural form ('sum over 1 destination countries' as before); the
    # catalogs give each language its forms.
    if counted == "destination countries":
        text = ngettext(
            "sum over {n} destination countries", "sum over {n} destination countries", n
        )
    elif counted == "countries of origin":
        text = ngettext("sum over {n} countries of origin", "sum over {n} countries of origin", n)
    else:
        text = ngettext("sum over {n} countries of asylum", "sum over {n} countries of asylum", n)
    return text.format(n=n)


def _note_number(text: str) -> str:
    """A value the queries wrote into a note ('812653.0') as tables show it ('812,653')."""
    try:
        return exact(float(text))
    except ValueError:
        return text


def data_note(note: str | None) -> str:
    """A note the indicator queries write in English ('sum over 12 countries of origin',
    'total as published (world row)', a formula with its values, a change since a year), in
    the active language; any other note (the publisher's, the user's) as it is."""
    note = note or ""
    if m := _SUM_OVER.fullmatch(note):
        return _sum_over(int(m.group(1)), m.group(2))
    if m := _SUM_MEMBERS.fullmatch(note):
        total = int(m.group(2))
        text = ngettext(
            "sum over {n} of the {total} members of the {group}",
            "sum over {n} of the {total} members of the {group}",
            total,
        )
        return text.format(n=int(m.group(1)), total=total, group=_(m.group(3)))
    if note == "total as published (world row)":
        return _("total as published (world row)")
    if m := _FORMULA.fullmatch(note):
        return _("{formula} with a = {a} {a_value}, b = {b} {b_value}").format(
            formula=m.group(1),
            a=m.group(2),
            a_value=_note_number(m.group(3)),
            b=m.group(4),
            b_value=_note_number(m.group(5)),
        )
    if m := _CHANGE.fullmatch(note):
        return _("change since {year}: {old} ({source}) to {new}").format(
            year=m.group(1),
            old=_note_number(m.group(2)),
            source=m.group(3),
            new=_note_number(m.group(4)),
        )
    return note


# -- regions: the members behind a sum ------------------------------------------------------------
def members_report(n: int, total: int, missing: Iterable[str] = ()) -> str:
    """'5 of 5 members report', '2 of 5 members report (no data: TJK, TKM, UZB)'."""
    # English keeps one form ('1 of 1 members report', as before); catalogs give the others.
    text = ngettext("{n} of {total} members report", "{n} of {total} members report", total)
    text = text.format(n=n, total=total)
    missing = list(missing)
    if missing:
        text += _(" (no data: {geos})").format(geos=", ".join(missing))
    return text


def members_sum_note(n: int, geos: Iterable[str] | None = None) -> str:
    """'sum over 5 members: KAZ, KGZ, TJK, TKM, UZB', or 'sum over 2 members'."""
    if geos is None:
        return ngettext("sum over {n} members", "sum over {n} members", n).format(n=n)
    return ngettext("sum over {n} members: {geos}", "sum over {n} members: {geos}", n).format(
        n=n, geos=", ".join(geos)
    )


def members_mean_note(n: int, geos: Iterable[str], weight: str | None) -> str:
    """'simple mean over 3 members: ARM, AZE, GEO', or 'mean over 3 members weighted by
    population: …'."""
    names = ", ".join(geos)
    if weight is None:
        text = ngettext(
            "simple mean over {n} members: {geos}", "simple mean over {n} members: {geos}", n
        )
        return text.format(n=n, geos=names)
    text = ngettext(
        "mean over {n} members weighted by {weight}: {geos}",
        "mean over {n} members weighted by {weight}: {geos}",
        n,
    )
    return text.format(n=n, weight=weight, geos=names)


def region_gap_label(label: str, coverage: str) -> str:
    """'Remittances received: WDI vs KNOMAD (members' sums; 5 of 5 members report)'."""
    return _("{label} (members' sums; {coverage})").format(label=label, coverage=coverage)


def members_formula_note(formula: str, a_id: str, a_value: float, b_id: str, b_value: float) -> str:
    """'100.0 * a / b with a = remittances_received_usd 2000, b = gdp_usd 8000 (members' sums)'."""
    return _("{formula} with a = {a} {a_value}, b = {b} {b_value} (members' sums)").format(
        formula=formula, a=a_id, a_value=f"{a_value:.0f}", b=b_id, b_value=f"{b_value:.0f}"
    )


# -- news verdicts -------------------------------------------------------------------------------
def verdict_label(code: str) -> str:
    """A verdict code ('consistent', 'differs', …) as a reader sees it."""
    names = {
        "consistent": pgettext("news verdict", "consistent"),
        "differs": pgettext("news verdict", "differs"),
        "other year": pgettext("news verdict", "other year"),
        "different definition": pgettext("news verdict", "different definition"),
        "no data": pgettext("news verdict", "no data"),
    }
    return names.get(code, code)


# -- numbers as the CLI's tables give them: every digit, as the store holds it -------------------
def count_cell(n: int | None) -> str:
    """'13,409' (Russian '13 409')."""
    return "" if n is None else localised(f"{n:,}")


def full_cell(value: float | None) -> str:
    """'2,170,000,000', '15.49306023', '1.35e+10': up to ten significant digits."""
    return "" if value is None else localised(f"{value:,.10g}")


def change_pct_cell(value: float | None) -> str:
    """'+15.3', '-6.1' (a percentage change, without the sign '%')."""
    return "" if value is None else localised(f"{value:+.1f}")


# -- revisions between editions ---------------------------------------------------------------
def revision_text(r: Any) -> str:
    """'UN DESA 2020 revised 2015 from 888,610 (UN DESA 2015) to 929,759.'"""
    return _("{new} revised {year} from {old_value} ({old}) to {new_value}.").format(
        new=r.citation_new,
        year=r.year,
        old_value=human(r.old_value, indicator_unit(r.indicator)),
        old=r.citation_old,
        new_value=human(r.new_value, indicator_unit(r.indicator)),
    )


# -- publishers' names in citations ---------------------------------------------------------
# Every registered source's short name, so the catalogs translate citations ("ДЭСВ ООН 2020");
# tests/test_translations.py fails when a source's name is missing here.
SOURCE_SHORT_NAMES = (
    N_("UN DESA"),
    N_("UN DESA (GMDAC extract)"),
    N_("World Bank WDI"),
    N_("World Bank/KNOMAD bilateral estimates"),
    N_("World Bank bilateral estimates"),
    N_("World Bank-KNOMAD"),
    N_("World Bank RPW"),
    N_("IDMC"),
    N_("IDMC (gdidata extract)"),
    N_("UNHCR"),
    N_("UNSD M49"),
    N_("World Bank country classifications"),
    N_("Eurostat"),
    N_("Eurostat (GMDAC extract)"),
    N_("IOM Missing Migrants Project"),
    N_("IOM Missing Migrants Project (gdidata extract)"),
    N_("UN WPP"),
)


def source_label(short_name: str) -> str:
    """A source's short name in the active language (a user's own source name as given)."""
    return _(short_name) if short_name in SOURCE_SHORT_NAMES else short_name


def edition_label(edition: str) -> str:
    """An edition as a citation shows it: '2025 (mid-year)' with its words translated."""
    if edition.endswith(" (mid-year)"):
        return _("{edition} (mid-year)").format(edition=edition.removesuffix(" (mid-year)"))
    return edition


_POVERTY_LINE = re.compile(
    r"Poverty headcount ratio at \$(\d+(?:\.\d+)?) a day \((\d{4}) PPP\) \(% of population\)"
)


def poverty_line_label(name: str) -> str:
    """WDI's own name of its poverty series (the line moves between editions: $2.15 at 2017
    prices, $3.00 at 2021 prices) in the active language; another name as WDI wrote it."""
    m = _POVERTY_LINE.fullmatch(name.strip())
    if not m:
        return name
    amount = fixed(float(m.group(1)), len(m.group(1).partition(".")[2]))
    text = _("Poverty headcount ratio at ${amount} a day ({year} PPP) (% of population)")
    return text.format(amount=amount, year=m.group(2))
