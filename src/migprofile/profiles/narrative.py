"""Generated sentences for the key facts: numbers for people, a citation on every sentence,
and never a sentence about data that is missing.

This module chooses the facts; the sentences themselves come from migprofile.wording, so every
face says them the same way and the language issue can translate them.

Every sentence is written together with its claims (which figures it shows, which of them
share a year, which is a majority or the largest of a ranking) and `sentence_problems` checks
the claims and every number in the text against the profile's own figures before the sentence
is kept: a sentence that would claim more than the figures show is never written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from migprofile.profiles.model import Figure, Profile, Sentence
from migprofile.sources import dataset_of
from migprofile.wording import human
from migprofile.wording import sentences as say


@dataclass
class Claim:
    """One thing a sentence says, in a form code can check against the figures.

    kind: "shows" (the figures appear in the profile and the text), "same_year",
    "majority" (figures[0] is more than half of figures[1]), "largest" (figures[0..] are the
    first points of that year's ranking, in order, and figures[0] is at most half of the
    total figures[-1]), "share" (figures[0] is figures[1] as a percentage of figures[2]).
    """

    kind: str
    figures: tuple[Figure, ...]


@dataclass
class Written:
    sentence: Sentence
    claims: list[Claim] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # numbers the text may contain


def _fact(profile: Profile, indicator: str) -> Figure | None:
    return next((f for f in profile.key_facts if f.indicator == indicator), None)


def _cite(*figures: Figure | None) -> list[str]:
    out: list[str] = []
    for f in figures:
        for part in f.citation.split("; ") if f is not None else ():
            if part not in out:
                out.append(part)
    return out


def _mid_year(f: Figure) -> bool:
    """UNHCR's latest year is a mid-year figure ('by mid-2025')."""
    return f.period == "mid-year" or "mid-year" in (f.edition or "")


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole


class _Draft:
    """A paragraph being written: its sentences (each a whole message of the catalogs, never
    pieced together from fragments), the figures it cites and what it claims."""

    def __init__(self, text: str, *figures: Figure):
        self.sentences = [text]
        self.figures: list[Figure] = list(figures)
        self.claims: list[Claim] = [Claim("shows", tuple(figures))]
        self.shown: list[str] = []

    def add(self, text: str, *figures: Figure, claim: str | None = None, shown=()) -> None:
        """One more sentence about the same fact."""
        self.sentences.append(text)
        self.figures += [f for f in figures if f not in self.figures]
        self.claims.append(Claim("shows", figures))
        if claim:
            self.claims.append(Claim(claim, figures))
        self.shown += list(shown)

    def claim(self, kind: str, *figures: Figure) -> None:
        self.claims.append(Claim(kind, figures))

    def written(self) -> Written:
        cites = _cite(*self.figures)
        text = " ".join(self.sentences)
        return Written(Sentence(say.cited(text, cites), cites), self.claims, self.shown)


def _emigration(profile: Profile, where: str) -> Written | None:
    emig = _fact(profile, "emigrant_stock")
    if not emig or not emig.value:
        return None
    d = _Draft(say.emigrants(emig.year, human(emig.value), where), emig)
    emigration = profile.section("emigration")
    top = emigration.rankings.get("top_destinations") if emigration else None
    same = [p for p in top.points if p.year == emig.year and p.value] if top else []
    # the same edition of the same dataset (an extract of that edition counts as it)
    same = [
        p
        for p in same
        if p.edition == emig.edition and dataset_of(p.source) == dataset_of(emig.source)
    ]
    if same:
        first, others = same[0], same[1:3]
        share = _pct(first.value or 0.0, emig.value)
        shown = [human(share, "%")]
        outside = profile.kind == "region"
        name, count = first.partner_name, human(first.value)
        if share > 50:
            text = say.emigrants_top("majority", name, count, shown[0], [], outside=outside)
            d.add(text, first, emig, claim="majority", shown=shown)
        else:
            then = [p.partner_name for p in others]
            text = say.emigrants_top("largest", name, count, shown[0], then, outside=outside)
            d.add(text, first, *others, emig, claim="largest", shown=shown)
    share_fig = _fact(profile, "emigrant_pct")
    if share_fig and share_fig.year == emig.year and share_fig.value is not None:
        d.add(say.emigrants_share(human(share_fig.value, "%")), share_fig, emig, claim="same_year")
    return d.written()


def _immigration(profile: Profile, where: str) -> Written | None:
    immig = _fact(profile, "immigrant_stock")
    if not immig or immig.value is None:
        return None
    share = _fact(profile, "immigrant_pct_population")
    if share and share.year == immig.year and share.value is not None:
        text = say.immigrants(where, human(immig.value), immig.year, human(share.value, "%"))
        d = _Draft(text, immig, share)
        d.claim("same_year", share, immig)
        return d.written()
    return _Draft(say.immigrants(where, human(immig.value), immig.year), immig).written()


def _remittances(profile: Profile, where: str) -> Written | None:
    rem = _fact(profile, "remittances_received_usd")
    if not rem or rem.value is None:
        return None
    amount = human(rem.value, "US$")
    pct = _fact(profile, "remittances_received_pct_gdp")
    if pct and pct.value is not None:
        text = say.remittances(amount, where, rem.year, human(pct.value, "%"), pct.year)
        d = _Draft(text, rem, pct)
        if pct.year == rem.year:
            d.claim("same_year", pct, rem)
        return d.written()
    return _Draft(say.remittances(amount, where, rem.year), rem).written()


def _cost(profile: Profile, where: str) -> Written | None:
    cost = _fact(profile, "remittance_cost_to_pct")
    if not cost or cost.value is None:
        return None
    above = cost.value > 3
    text = say.remittance_cost(where, human(cost.value, "%"), cost.year, above=above)
    d = _Draft(text, cost)
    d.shown += say.REMITTANCE_COST_CONSTANTS  # US$200, SDG 10.c, its 3% target
    return d.written()


def _refugees(profile: Profile, where: str) -> Written | None:
    hosted = _fact(profile, "refugees_hosted")
    abroad = _fact(profile, "refugees_by_origin")
    hosted = hosted if hosted and hosted.value is not None else None
    abroad = abroad if abroad and abroad.value is not None else None
    if hosted and abroad and (hosted.year, _mid_year(hosted)) == (abroad.year, _mid_year(abroad)):
        text = say.refugees_both(
            where, human(hosted.value), human(abroad.value), hosted.year, mid_year=_mid_year(hosted)
        )
        both = _Draft(text, hosted, abroad)
        both.claim("same_year", hosted, abroad)
        return both.written()
    d: _Draft | None = None
    if hosted:
        text = say.refugees_hosted(
            where, human(hosted.value), hosted.year, mid_year=_mid_year(hosted)
        )
        d = _Draft(text, hosted)
    if abroad:
        text = say.refugees_abroad(
            where, human(abroad.value), abroad.year, mid_year=_mid_year(abroad)
        )
        if d is None:
            d = _Draft(text, abroad)
        else:
            d.add(text, abroad)
    return d.written() if d else None


def _idps(profile: Profile, where: str) -> Written | None:
    idps = _fact(profile, "idps_conflict_stock")
    if not idps or not idps.value:
        return None
    return _Draft(say.idps(idps.year, human(idps.value), where), idps).written()


WRITERS = (_emigration, _immigration, _remittances, _cost, _refugees, _idps)


def written_narrative(profile: Profile, where: str) -> list[tuple[Written, list[str]]]:
    """Every sentence the profile could say, with the problems the checker found in it."""
    out = []
    for writer in WRITERS:
        w = writer(profile, where)
        if w is not None:
            out.append((w, sentence_problems(w, profile)))
    return out


def narrative_for(profile: Profile, where: str) -> list[Sentence]:
    """`where` is the name as a sentence uses it ('the Republic of Moldova'). Only sentences
    the checker finds true are kept."""
    return [w.sentence for w, problems in written_narrative(profile, where) if not problems]


# -- the checker -------------------------------------------------------------------------------

# A number as wording.numbers writes it: groups of three after a separator (comma, no-break or
# narrow no-break space), then decimals after a point or comma ("1,234,567.5", "1,16").
_NUMBER = re.compile(r"\d+(?:[,\u00a0\u202f]\d{3}(?!\d))*(?:[.,]\d+)?")


def _same(a: Figure, b: Figure) -> bool:
    return (a.indicator, a.geo, a.partner, a.year, a.sex, a.value) == (
        b.indicator,
        b.geo,
        b.partner,
        b.year,
        b.sex,
        b.value,
    )


def sentence_problems(w: Written, profile: Profile) -> list[str]:
    """What in the sentence the profile's figures do not bear out (empty = true)."""
    problems: list[str] = []
    shown = profile.all_figures()
    for claim in w.claims:
        figs = claim.figures
        if claim.kind == "shows":
            for f in figs:
                if f.value is None or not any(_same(f, g) for g in shown):
                    problems.append(f"{f.indicator} {f.year} is not a figure of the profile")
        elif claim.kind == "same_year":
            if len({f.year for f in figs}) != 1:
                problems.append(f"years differ: {sorted({f.year or 0 for f in figs})}")
        elif claim.kind in ("majority", "largest"):
            part, whole = figs[0], figs[-1]
            if part.year != whole.year or part.edition != whole.edition:
                problems.append("the partner and the total are from different years or editions")
                continue
            share = _pct(part.value or 0.0, whole.value or 1.0)
            if claim.kind == "majority" and not share > 50:
                problems.append(f"'most' for {share:.1f}%")
            if claim.kind == "largest":
                # the ranking's fixed side is the total's geo: partner for destinations
                by_partner = part.partner == whole.geo

                def side(g: Figure, by_partner: bool = by_partner) -> str:
                    return g.partner if by_partner else g.geo

                ranking = sorted(
                    (
                        g
                        for g in shown
                        if g.indicator == part.indicator
                        and side(g) == side(part)
                        and g.year == part.year
                        and g.sex == part.sex
                        and g.value is not None
                    ),
                    key=lambda g: -(g.value or 0.0),
                )
                named = list(figs[:-1])
                other = (lambda g: g.geo) if by_partner else (lambda g: g.partner)
                if [other(g) for g in ranking[: len(named)]] != [other(g) for g in named]:
                    problems.append("the partners named are not the largest, in order")
                if share > 50:
                    problems.append(f"'the largest number' where {share:.1f}% is a majority")
    problems += _numbers_problems(w, profile)
    return problems


def _numbers_problems(w: Written, profile: Profile) -> list[str]:
    """Every number of the text is a figure's value or year as shown, or a share computed
    from them (`shown`): nothing typed in, nothing left over from another figure."""
    allowed: set[str] = set(w.shown)
    for claim in w.claims:
        for f in claim.figures:
            allowed.add(human(f.value, f.unit))
            allowed.add(human(f.value))
            allowed.add(str(f.year))
    body = w.sentence.text
    for cite in w.sentence.citations:
        body = body.replace(cite, "")
    permitted = " ".join(allowed)
    out = []
    for m in _NUMBER.finditer(body):
        token = m.group(0).strip(" .,\u00a0\u202f")
        if token and token not in permitted:
            out.append(f"number {token!r} is not a figure of the sentence")
    return out
