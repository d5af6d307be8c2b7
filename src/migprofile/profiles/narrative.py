"""Generated sentences for the key facts: numbers for people, a citation on every sentence,
and never a sentence about data that is missing.

This module chooses the facts; the sentences themselves come from migprofile.wording, so every
face says them the same way and the language issue can translate them.
"""

from __future__ import annotations

from migprofile.profiles.model import Figure, Profile, Sentence
from migprofile.wording import human
from migprofile.wording import sentences as say


def _fact(profile: Profile, indicator: str) -> Figure | None:
    return next((f for f in profile.key_facts if f.indicator == indicator), None)


def _cite(*figures: Figure | None) -> list[str]:
    out: list[str] = []
    for f in figures:
        for part in f.citation.split("; ") if f is not None else ():
            if part not in out:
                out.append(part)
    return out


def _sentence(text: str, *figures: Figure | None) -> Sentence:
    cites = _cite(*figures)
    return Sentence(say.cited(text, cites), cites)


def _when(f: Figure) -> str:
    """'in 2023', or 'by mid-2025' for UNHCR's mid-year figures."""
    mid_year = "mid-year" in (f.edition or "") and str(f.year) in (f.edition or "")
    return say.when(f.year, mid_year=mid_year)


def narrative_for(profile: Profile, where: str) -> list[Sentence]:
    """`where` is the name as a sentence uses it ('the Republic of Moldova')."""
    out: list[Sentence] = []

    emig = _fact(profile, "emigrant_stock")
    if emig:
        text = say.emigrants(emig.year, human(emig.value), where)
        emigration = profile.section("emigration")
        top = emigration.rankings.get("top_destinations") if emigration else None
        same_year = [p for p in top.points if p.year == emig.year] if top else []
        if same_year:
            first = same_year[0]
            others = [p.partner_name for p in same_year[1:3]]
            text += say.emigrants_top(first.partner_name, human(first.value))
            if others:
                text += say.more_partners(others)
        share = _fact(profile, "emigrant_pct")
        if share and share.year == emig.year:
            text += say.emigrants_share(human(share.value, "%"))
        out.append(_sentence(say.full_stop(text), emig, share if share else None))

    immig = _fact(profile, "immigrant_stock")
    if immig:
        text = say.immigrants(where, human(immig.value), immig.year)
        share = _fact(profile, "immigrant_pct_population")
        if share and share.year == immig.year:
            text += say.immigrants_share(human(share.value, "%"))
        out.append(_sentence(say.full_stop(text), immig, share))

    rem = _fact(profile, "remittances_received_usd")
    if rem:
        text = say.remittances(human(rem.value, "US$"), where, rem.year)
        pct = _fact(profile, "remittances_received_pct_gdp")
        if pct and pct.year == rem.year:
            text += say.remittances_gdp_same_year(human(pct.value, "%"))
        elif pct:
            text += say.remittances_gdp_other_year(human(pct.value, "%"), pct.year)
        out.append(_sentence(say.full_stop(text), rem, pct))

    cost = _fact(profile, "remittance_cost_to_pct")
    if cost:
        above = cost.value is not None and cost.value > 3
        text = say.remittance_cost(where, human(cost.value, "%"), cost.year, above=above)
        out.append(_sentence(text, cost))

    hosted = _fact(profile, "refugees_hosted")
    abroad = _fact(profile, "refugees_by_origin")
    if hosted and abroad:
        text = say.refugees_both(
            where, human(hosted.value), _when(hosted), human(abroad.value), _when(abroad)
        )
        out.append(_sentence(text, hosted, abroad))
    elif hosted:
        text = say.refugees_hosted(where, human(hosted.value), _when(hosted))
        out.append(_sentence(text, hosted))
    elif abroad:
        text = say.refugees_abroad(where, human(abroad.value), _when(abroad))
        out.append(_sentence(text, abroad))

    idps = _fact(profile, "idps_conflict_stock")
    if idps and idps.value:
        out.append(_sentence(say.idps(idps.year, human(idps.value), where), idps))
    return out
