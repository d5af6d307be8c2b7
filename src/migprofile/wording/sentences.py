"""The narrative's sentence templates: profiles/narrative.py chooses the facts, these say them.

Each function takes the pieces already formatted (numbers through wording.numbers, names as a
sentence uses them) and returns the sentence in the active language.
"""

from __future__ import annotations

from migprofile.wording.i18n import _


def cap(text: str) -> str:
    """The first letter in upper case ('the Republic of Moldova' → 'The Republic of Moldova')."""
    return text[:1].upper() + text[1:]


def when(year: int | None, *, mid_year: bool = False) -> str:
    """'in 2023', or 'by mid-2025' for mid-year figures."""
    if mid_year:
        return _("by mid-{year}").format(year=year)
    return _("in {year}").format(year=year)


def cited(text: str, cites: list[str]) -> str:
    """A sentence with its citations: 'Text. [UN DESA 2020; World Bank WDI]'."""
    return _("{sentence} [{citations}]").format(sentence=text, citations="; ".join(cites))


def emigrants(year: int | None, count: str, where: str) -> str:
    return _("In {year}, {count} people born in {where} lived abroad").format(
        year=year, count=count, where=where
    )


def emigrants_top_majority(first: str, count: str, share: str, *, outside: bool = False) -> str:
    """Only when the first destination holds more than half of the emigrants."""
    if outside:  # a region: its ranking leaves members out
        return _(", most of them outside the region in {partner} ({count}, {share})").format(
            partner=first, count=count, share=share
        )
    return _(", most of them in {partner} ({count}, {share})").format(
        partner=first, count=count, share=share
    )


def emigrants_top_largest(first: str, count: str, share: str, *, outside: bool = False) -> str:
    """The first destination when it holds half or less: the largest number, not 'most'."""
    if outside:
        return _(
            ", outside the region the largest number of them in {partner} ({count}, {share})"
        ).format(partner=first, count=count, share=share)
    return _(", the largest number of them in {partner} ({count}, {share})").format(
        partner=first, count=count, share=share
    )


def then_partners(names: list[str]) -> str:
    """', then Ukraine and Germany' after the first destination."""
    return _(", then {names}").format(names=and_list(names))


def and_list(names: list[str]) -> str:
    return _(" and ").join(names)


def full_stop(text: str) -> str:
    """The sentence with its closing full stop."""
    return _("{sentence}.").format(sentence=text)


def emigrants_share(share: str) -> str:
    """The emigrant_pct figure by its real denominator (residents include immigrants)."""
    return _("; they equal {share} of the resident population plus the emigrants").format(
        share=share
    )


def immigrants(where: str, count: str, year: int | None) -> str:
    return _("{where} was home to {count} international migrants in {year}").format(
        where=cap(where), count=count, year=year
    )


def immigrants_share(share: str) -> str:
    return _(", {share} of its population").format(share=share)


def remittances(amount: str, where: str, year: int | None) -> str:
    return _("Migrants sent {amount} home to {where} in {year}").format(
        amount=amount, where=where, year=year
    )


def remittances_gdp_same_year(share: str) -> str:
    return _(", {share} of GDP").format(share=share)


def remittances_gdp_other_year(share: str, year: int | None) -> str:
    return _(" ({share} of GDP in {year})").format(share=share, year=year)


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


def refugees_both(where: str, hosted: str, hosted_when: str, abroad: str, abroad_when: str) -> str:
    return _(
        "{Where} hosted {hosted} refugees {hosted_when}, and "
        "{abroad} refugees from {where} were abroad {abroad_when}."
    ).format(
        Where=cap(where),
        where=where,
        hosted=hosted,
        hosted_when=hosted_when,
        abroad=abroad,
        abroad_when=abroad_when,
    )


def refugees_hosted(where: str, hosted: str, hosted_when: str) -> str:
    return _("{Where} hosted {hosted} refugees {hosted_when}.").format(
        Where=cap(where), hosted=hosted, hosted_when=hosted_when
    )


def refugees_abroad(where: str, abroad: str, abroad_when: str) -> str:
    return _("{Abroad} refugees from {where} were abroad {abroad_when}.").format(
        Abroad=cap(abroad), where=where, abroad_when=abroad_when
    )


def idps(year: int | None, count: str, where: str) -> str:
    return _(
        "At the end of {year}, {count} people were internally displaced "
        "by conflict and violence in {where}."
    ).format(year=year, count=count, where=where)
