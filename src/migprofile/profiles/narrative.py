"""Generated sentences for the key facts: numbers for people, a citation on every sentence,
and never a sentence about data that is missing."""

from __future__ import annotations

from migprofile.profiles.model import Figure, Profile, Sentence
from migprofile.profiles.numbers import human


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
    return Sentence(text + " [" + "; ".join(cites) + "]", cites)


def _when(f: Figure) -> str:
    """'in 2023', or 'by mid-2025' for UNHCR's mid-year figures."""
    if "mid-year" in (f.edition or "") and str(f.year) in (f.edition or ""):
        return f"by mid-{f.year}"
    return f"in {f.year}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def narrative_for(profile: Profile, where: str) -> list[Sentence]:
    """`where` is the name as a sentence uses it ('the Republic of Moldova')."""
    out: list[Sentence] = []

    emig = _fact(profile, "emigrant_stock")
    if emig:
        text = f"In {emig.year}, {human(emig.value)} people born in {where} lived abroad"
        emigration = profile.section("emigration")
        top = emigration.rankings.get("top_destinations") if emigration else None
        same_year = [p for p in top.points if p.year == emig.year] if top else []
        if same_year:
            first = same_year[0]
            others = [p.partner_name for p in same_year[1:3]]
            text += f", most of them in {first.partner_name} ({human(first.value)})"
            if others:
                text += ", " + " and ".join(others)
        share = _fact(profile, "emigrant_pct")
        if share and share.year == emig.year:
            text += f"; that is {human(share.value, '%')} of everyone born there"
        out.append(_sentence(text + ".", emig, share if share else None))

    immig = _fact(profile, "immigrant_stock")
    if immig:
        text = (
            f"{_cap(where)} was home to {human(immig.value)} international migrants in {immig.year}"
        )
        share = _fact(profile, "immigrant_pct_population")
        if share and share.year == immig.year:
            text += f", {human(share.value, '%')} of its population"
        out.append(_sentence(text + ".", immig, share))

    rem = _fact(profile, "remittances_received_usd")
    if rem:
        text = f"Migrants sent {human(rem.value, 'US$')} home to {where} in {rem.year}"
        pct = _fact(profile, "remittances_received_pct_gdp")
        if pct and pct.year == rem.year:
            text += f", {human(pct.value, '%')} of GDP"
        elif pct:
            text += f" ({human(pct.value, '%')} of GDP in {pct.year})"
        out.append(_sentence(text + ".", rem, pct))

    cost = _fact(profile, "remittance_cost_to_pct")
    if cost:
        verdict = "above" if cost.value > 3 else "within"
        out.append(
            _sentence(
                f"Sending US$200 to {where} cost {human(cost.value, '%')} on average in "
                f"{cost.year}, {verdict} the SDG 10.c target of 3%.",
                cost,
            )
        )

    hosted = _fact(profile, "refugees_hosted")
    abroad = _fact(profile, "refugees_by_origin")
    if hosted and abroad:
        text = (
            f"{_cap(where)} hosted {human(hosted.value)} refugees {_when(hosted)}, and "
            f"{human(abroad.value)} refugees from {where} were abroad {_when(abroad)}."
        )
        out.append(_sentence(text, hosted, abroad))
    elif hosted:
        text = f"{_cap(where)} hosted {human(hosted.value)} refugees {_when(hosted)}."
        out.append(_sentence(text, hosted))
    elif abroad:
        text = f"{_cap(human(abroad.value))} refugees from {where} were abroad {_when(abroad)}."
        out.append(_sentence(text, abroad))

    idps = _fact(profile, "idps_conflict_stock")
    if idps and idps.value:
        out.append(
            _sentence(
                f"At the end of {idps.year}, {human(idps.value)} people were internally displaced "
                f"by conflict and violence in {where}.",
                idps,
            )
        )
    return out
