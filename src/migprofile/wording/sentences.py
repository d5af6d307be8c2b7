"""The narrative's sentence templates: profiles/narrative.py chooses the facts, these say them.

Each function takes the pieces already formatted (numbers through wording.numbers, names as a
sentence uses them) and returns the sentence in the active language.
"""

from __future__ import annotations

from migprofile.wording.i18n import _


def cap(text: str) -> str:
    """The first letter in upper case ('the Republic of Moldova' → 'The Republic of Moldova')."""
    return text[:1].upper() + text[1:]


def cited(text: str, cites: list[str]) -> str:
    """A sentence with its citations: 'Text. [UN DESA 2020; World Bank WDI]'."""
    return _("{sentence} [{citations}]").format(sentence=text, citations="; ".join(cites))


def emigrants(year: int | None, count: str, where: str) -> str:
    return _("In {year}, {count} people born in {where} lived abroad.").format(
        year=year, count=count, where=where
    )


def emigrants_top(
    kind: str, first: str, count: str, share: str, then: list[str], *, outside: bool = False
) -> str:
    """Where the emigrants live, as a sentence of its own: 'most' (`kind` "majority", only when
    the first destination holds more than half) or 'the largest number' ("largest"), for a
    region 'outside the region', with the next destinations after a largest."""
    names = and_list(then)
    if kind == "majority":
        if outside:
            text = _("Most of them lived outside the region in {partner} ({count}, {share}).")
        else:
            text = _("Most of them lived in {partner} ({count}, {share}).")
    elif outside and then:
        text = _(
            "Outside the region, the largest number of them lived in {partner} "
            "({count}, {share}), followed by {names}."
        )
    elif outside:
        text = _("Outside the region, the largest number of them lived in {partner} "
                 "({count}, {share}).")  # fmt: skip
    elif then:
        text = _(
            "The largest number of them lived in {partner} ({count}, {share}), followed by {names}."
        )
    else:
        text = _("The largest number of them lived in {partner} ({count}, {share}).")
    return text.format(partner=first, count=count, share=share, names=names)


def and_list(names: list[str]) -> str:
    """'Romania and Italy', 'A, B and C' the way the active language lists (CLDR, Babel)."""
    if not names:
        return ""
    from babel.lists import format_list

    from migprofile.wording.i18n import current_language

    try:
        return format_list(names, locale=current_language())
    except Exception:  # a language CLDR does not know: English
        return format_list(names, locale="en")


def emigrants_share(share: str) -> str:
    """The emigrant_pct figure by its real denominator (residents include immigrants)."""
    return _("Emigrants equal {share} of the resident population plus the emigrants.").format(
        share=share
    )


def immigrants(where: str, count: str, year: int | None, share: str | None = None) -> str:
    if share is None:
        text = _("{Where} was home to {count} international migrants in {year}.")
    else:
        text = _(
            "{Where} was home to {count} international migrants in {year}, {share} of its "
            "population."
        )
    return text.format(Where=cap(where), count=count, year=year, share=share)


def remittances(
    amount: str,
    where: str,
    year: int | None,
    share: str | None = None,
    share_year: int | None = None,
) -> str:
    """The amount, and its share of GDP: of the same year, or of another (said so)."""
    if share is None:
        text = _("Migrants sent {amount} home to {where} in {year}.")
    elif share_year == year:
        text = _("Migrants sent {amount} home to {where} in {year}, {share} of GDP.")
    else:
        text = _(
            "Migrants sent {amount} home to {where} in {year} ({share} of GDP in {share_year})."
        )
    return text.format(amount=amount, where=where, year=year, share=share, share_year=share_year)


# Numbers the cost sentence states as definitions, not figures (the checker allows them).
REMITTANCE_COST_CONSTANTS = ("200", "10", "3")


def remittance_cost(where: str, cost: str, year: int | None, *, above: bool) -> str:
    if above:
        text = _(
            "Sending US$200 to {where} cost {cost} on average in {year}, "
            "above the SDG 10.c target of 3%."
        )
    else:
        text = _(
            "Sending US$200 to {where} cost {cost} on average in {year}, "
            "within the SDG 10.c target of 3%."
        )
    return text.format(where=where, cost=cost, year=year)


def refugees_both(where: str, hosted: str, abroad: str, year: int | None, *, mid_year: bool) -> str:
    """Refugees hosted and abroad of the same date ('by mid-2025' or 'in 2024')."""
    if mid_year:
        text = _(
            "By mid-{year}, {where} hosted {hosted} refugees, and {abroad} refugees from "
            "{where} were abroad."
        )
    else:
        text = _(
            "In {year}, {where} hosted {hosted} refugees, and {abroad} refugees from {where} "
            "were abroad."
        )
    return text.format(where=where, hosted=hosted, abroad=abroad, year=year)


def refugees_hosted(where: str, hosted: str, year: int | None, *, mid_year: bool) -> str:
    if mid_year:
        text = _("By mid-{year}, {where} hosted {hosted} refugees.")
    else:
        text = _("In {year}, {where} hosted {hosted} refugees.")
    return text.format(where=where, hosted=hosted, year=year)


def refugees_abroad(where: str, abroad: str, year: int | None, *, mid_year: bool) -> str:
    if mid_year:
        text = _("By mid-{year}, {abroad} refugees from {where} were abroad.")
    else:
        text = _("In {year}, {abroad} refugees from {where} were abroad.")
    return text.format(where=where, abroad=abroad, year=year)


def idps(year: int | None, count: str, where: str) -> str:
    return _(
        "At the end of {year}, {count} people were internally displaced "
        "by conflict and violence in {where}."
    ).format(year=year, count=count, where=where)
