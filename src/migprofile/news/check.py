"""Figures quoted in news checked against the store, with the evidence behind each verdict.

For each `QuotedFigure` the checker finds

1. the catalogue indicator it speaks of, from `INDICATOR_SYNONYMS` (phrases looked for in what
   the figure counts, then in its sentence) and the figure's unit (`INDICATOR_UNITS`, from
   `news.vocabulary`: one table for English and Russian);
2. the country: the figure's own `geo` (the tagger's country for its sentence), else the
   `geo` argument;
3. the year: the figure's year, else the latest data year;

and gives one verdict:

* **consistent**: |text - data| / data <= tolerance (5 % by default: rounding such as
  "1.16 million" for 1,159,443 stays consistent);
* **differs**: text and data disagree beyond the tolerance; both values, the difference in %,
  the source, edition, year, file checksum and cell are in the verdict;
* **different definition**: the text measures something else than the data, so the numbers
  cannot be compared as they stand (the data are still given as evidence):
  - a poverty share at another line than the source's ("below two dollars a day" against WDI's
    "$3.00 a day (2021 PPP)" line, read from the WDI indicator name);
  - labour migrants ("working abroad", "migrant workers", "labour migrants") against the
    emigrant stock, which counts every emigrant whatever the reason;
  - the text's year more than one year away from the nearest data year (both years given);
* **no data**: no indicator matched, no country could be told, or the store has no rows for
  the indicator and country (the explanation says which).

consistent / differs / different definition always carry data_value, source, edition and
sha256: never a verdict without the evidence behind it.

The verdict codes above are data (stored, returned by the API, compared in code); what a
reader sees of them is `wording.labels.verdict_label(code)`. Explanations are written in the
active language when the figure is checked.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from migprofile.errors import MigprofileError, UsageError
from migprofile.indicators import observations
from migprofile.news.attribution import Attribution, clauses
from migprofile.news.model import NewsItem, QuotedFigure, Tag, Verdict
from migprofile.news.precision import Stated, stated_range
from migprofile.news.vocabulary import INDICATOR_UNITS
from migprofile.sources import is_annual
from migprofile.wording import _
from migprofile.wording.i18n import N_
from migprofile.wording.labels import cell_ref

if TYPE_CHECKING:
    from migprofile.store import Store

__all__ = [
    "DEFINITION_NOTES",
    "INDICATOR_SYNONYMS",
    "INDICATOR_UNITS",
    "LABOUR_PHRASES",
    "check_figure",
    "check_item",
    "find_any_indicator",
    "find_indicator",
    "is_reference",
]

# Indicator id -> phrases that name it in press text (lower-case; matched on word boundaries).
# Order matters on ties: the more specific indicators come first.
INDICATOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    # Remittance Prices Worldwide: average cost of sending US$200 to the country (%)
    "remittance_cost_to_pct": (
        "cost of sending",
        "cost of remittances",
        "remittance cost",
        "remittance costs",
        "transaction cost",
        "transaction costs",
        "fees",
        "fee",
        "to send money",
        "send money",
        "sending money",
        "costs",
        "cost",
    ),
    # WDI personal remittances received, % of GDP: needs "%" and "GDP"
    "remittances_received_pct_gdp": (
        "remittances",
        "remittance",
        "money sent home",
        "sent home",
    ),
    # WDI personal remittances received, current US$
    "remittances_received_usd": (
        "remittances",
        "remittance",
        "money sent home",
        "sent home",
        "remitted",
    ),
    # WDI poverty headcount at the international line (% of population); see DEFINITION_NOTES
    "poverty_headcount_pct": (
        "poverty",
        "poor",
        "below two dollars a day",
        "a day",
        "live on less than",
        "living on less than",
        "extreme poverty",
        "poverty line",
    ),
    # IDMC: new displacements (movements) in the year
    "new_displacements_disaster": (
        "new displacements",
        "displacements",
        "were displaced by",
        "internal displacements",
        "displaced",
    ),
    "new_displacements_conflict": ("new displacements", "displacements", "newly displaced"),
    # IDMC: people living in internal displacement at year end
    "idps_disaster_stock": ("internally displaced", "idps", "idp"),
    "idps_conflict_stock": ("internally displaced", "idps", "idp", "displaced within"),
    # UNHCR: refugees by country of origin (geo = origin)
    "refugees_by_origin": (
        "refugees from",
        "refugees originating from",
        "refugees abroad",
        "refugees by origin",
        "fled abroad",
    ),
    # UNHCR: refugees hosted by the country (geo = asylum)
    # ("hosted" alone is no refugee word: "Russia hosted 7.6 million migrants")
    "refugees_hosted": ("refugees", "refugee"),
    "asylum_seekers_hosted": ("asylum-seekers", "asylum seekers", "asylum applications"),
    # emigrants as a share of everyone born in the country ("one in five born in Georgia live
    # abroad"); immigrants as a share of the population
    "emigrant_pct": (
        "live abroad",
        "living abroad",
        "lives abroad",
        "emigrants",
        "emigrated",
        "diaspora",
        "abroad",
    ),
    "immigrant_pct_population": (
        "immigrants",
        "foreign-born",
        "foreign born",
        "international migrants",
        "migrants",
        "foreigners",
    ),
    # WDI/WPP net migration (immigrants minus emigrants, a negative number for net emigration)
    "net_migration": (
        "net migration",
        "migration balance",
        "net emigration",
        "net immigration",
        "net outflow",
        "net inflow",
        "net migrants",
    ),
    # UN DESA: emigrant stock (everyone born in the country living abroad); labour-migrant
    # wording maps here too but is flagged "different definition" (LABOUR_PHRASES)
    "emigrant_stock": (
        "working abroad",
        "work abroad",
        "labour migrants",
        "labor migrants",
        "migrant workers",
        "emigrants",
        "emigrant",
        "diaspora",
        "living abroad",
        "live abroad",
        "citizens abroad",
        "nationals abroad",
        "abroad",
    ),
    # UN DESA: immigrant stock (foreign-born residents)
    "immigrant_stock": (
        "immigrants",
        "international migrants living in",
        "foreign-born",
        "foreign born",
        "migrant stock",
        "international migrants",
        "foreigners",
    ),
    "population": ("population", "inhabitants", "residents", "people live in"),
}

# Words the sentence must also contain for the indicator to apply.
_REQUIRES: dict[str, tuple[str, ...]] = {
    "remittances_received_pct_gdp": ("gdp", "gross domestic product"),
    "new_displacements_disaster": ("disaster", "disasters", "flood", "floods", "earthquake",
                                   "storm", "storms", "cyclone", "drought", "wildfire",
                                   "wildfires", "landslide", "landslides", "hurricane", "dam"),
    "idps_disaster_stock": ("disaster", "disasters", "flood", "floods", "earthquake", "storm",
                            "storms", "cyclone", "drought", "wildfire", "wildfires", "landslide",
                            "landslides", "hurricane"),
}  # fmt: skip

# Labour-migrant wording: compared with the emigrant stock but flagged "different definition".
LABOUR_PHRASES = (
    "working abroad",
    "work abroad",
    "labour migrants",
    "labor migrants",
    "migrant workers",
    "labour migration",
    "seasonal workers",
)

DEFINITION_NOTES: dict[str, str] = {
    "emigrant_stock": N_(
        "The emigrant stock counts everyone born in the country who lives abroad, whatever the "
        "reason; 'labour migrants' or 'nationals working abroad' are a subset (workers only, "
        "often citizens rather than the foreign-born): a different definition."
    ),
    "poverty_headcount_pct": N_(
        "The poverty headcount is measured at the source's international line (WDI: "
        "'$3.00 a day (2021 PPP)'); a share quoted at another line ('two dollars a day', "
        "'$2.15 a day', a national line) is a different definition."
    ),
    "refugees_hosted": N_(
        "Refugees under UNHCR's mandate hosted by the country (country of asylum)."
    ),
    "refugees_by_origin": N_("Refugees under UNHCR's mandate who fled the country (origin)."),
    "idps_conflict_stock": N_("IDMC: people living in internal displacement at year end."),
    "new_displacements_conflict": N_("IDMC: movements in the year, not people at year end."),
    "remittances_received_usd": N_("WDI personal remittances received, current US$."),
    "remittance_cost_to_pct": N_("Average total cost of sending US$200 to the country, %."),
}


def _has(text: str, phrase: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", text) is not None


_GENERIC = frozenset(
    ["people", "persons", "person", "individuals", "nationals", "citizens", "migrants",
     "international", "foreign", "foreign-born", "more", "others", "of", "in"]
)  # fmt: skip
_NEAR_CHARS = 90


def _near(sentence: str, phrase: str, figure: QuotedFigure) -> int | None:
    """How far (in characters) the phrase is from the figure's own text, if within
    _NEAR_CHARS; None when it is not that near. A phrase in another clause of the sentence
    counts as farther than any in the figure's own ("... live abroad, and 9.6% are
    immigrants")."""
    length = len(figure.text or "")
    where = sentence.find((figure.text or "").lower()[:12]) if figure.text else -1
    spans = clauses(sentence) if where >= 0 else []
    own = next(((a, b) for a, b in spans if a <= where < b), None)
    best = None
    for m in re.finditer(r"(?<![\w-])" + re.escape(phrase) + r"(?![\w-])", sentence):
        if where < 0:
            return 0
        gap = max(0, where - m.end(), m.start() - (where + length))
        if gap > _NEAR_CHARS:
            continue
        if own is not None and not own[0] <= m.start() < own[1]:
            gap += _NEAR_CHARS + 1
        best = gap if best is None else min(best, gap)
    return best


def _clause_text(sentence: str, figure: QuotedFigure) -> str:
    """The clause of the sentence the figure stands in (as the sentence is written, any case);
    the sentence if the figure's text is not found in it."""
    where = sentence.lower().find((figure.text or "").lower()[:12]) if figure.text else -1
    if where < 0:
        return sentence
    for a, b in clauses(sentence):
        if a <= where < b:
            return sentence[a:b]
    return sentence


def find_indicator(figure: QuotedFigure) -> tuple[str | None, str]:
    """(indicator id, matched phrase) for a figure, or (None, why)."""
    counts = (figure.counts or "").lower()
    sentence = (figure.sentence or "").lower()
    best: tuple[int, int, int, int, str, str] | None = None  # rank, id, phrase
    # the sentence is read only when the figure counts something generic ("people", "%",
    # "Moldovans"): "15 000 visitors" in a diaspora sentence is not the diaspora
    head = counts.split()[0] if counts.split() else ""
    generic = figure.unit in ("%", "US$") or head in _GENERIC or not head
    generic = generic or bool(re.match(r"[a-z]+(?:ans|ese|is|iks|eks|khs|bs|urks|ns)$", head))
    generic = generic or head.endswith("-born")  # "Armenian-born people"
    second = counts.split()[1] if len(counts.split()) > 1 else ""
    generic = generic or second in _GENERIC  # "Kyrgyz citizens"
    own_clause = _clause_text(sentence, figure)
    of_gdp = _has(counts, "gdp") or _has(counts, "of gdp")
    for order, (ind, phrases) in enumerate(INDICATOR_SYNONYMS.items()):
        if figure.unit not in INDICATOR_UNITS.get(ind, (figure.unit,)):
            continue
        if of_gdp and "gdp" not in _REQUIRES.get(ind, ()):
            continue  # "9% of GDP" is a share of GDP, whatever else the sentence says
        if ind in _REQUIRES and not any(_has(own_clause, w) for w in _REQUIRES[ind]):
            continue  # "floods" in another clause says nothing of this figure
        for phrase in phrases:
            score, distance = (2, 0) if _has(counts, phrase) else (0, 0)
            near = _near(sentence, phrase, figure) if not score and generic else None
            if near is not None:
                score, distance = 1, near
            gdp = ind == "remittances_received_pct_gdp" and _has(counts, "gdp")
            money = ind == "remittances_received_usd" and figure.unit == "US$"
            if not score and (gdp or money) and _has(sentence, phrase):
                score, distance = 1, 2 * _NEAR_CHARS + 1  # "... they were 5.8% of GDP"
            # the nearer phrase wins a tie ("9.6% ... are immigrants" after "... abroad")
            # then the longer (more specific) phrase: "internally displaced" over "displaced"
            rank = (score, -distance, len(phrase), -order)
            if score and (best is None or rank > best[:4]):
                best = (*rank, ind, phrase)
    if best is None and figure.unit == "US$" and re.match(r"(a|per)\s+day|daily", counts):
        return None, _(
            "{text} is a poverty line (US$ a day), not a headcount: no indicator measures it"
        ).format(text=repr(figure.text))
    if best is None:
        return None, _("no catalogue indicator matches {what} with unit {unit}").format(
            what=repr(figure.counts or figure.text), unit=repr(figure.unit)
        )
    return best[4], best[5]


def _cell(row: dict) -> str:
    """'file.xlsx Table 1!L161', 'file.csv line 5540', or the file and the row's note."""
    ref = cell_ref(row.get("sheet"), row.get("col"), row.get("row"), row.get("note"))
    text = f"{row.get('file_name') or ''} {ref}"
    return text if row.get("sheet") else text.strip()


def _poverty_line(store: Store) -> tuple[float | None, str]:
    name = store.source_indicator_name("wdi:SI.POV.DDAY")  # "" without the table
    m = re.search(r"\$\s?(\d+(?:\.\d+)?)\s+a\s+day", name or "")
    return (float(m.group(1)) if m else None), name or ""


def _text_poverty_line(sentence: str) -> float | None:
    """The poverty line a sentence quotes ('$2 a day', 'two dollars a day'), in US$."""
    from migprofile.news.figures import extract_figures

    for f in extract_figures(sentence):
        if f.unit == "US$" and re.match(r"(a|per|each)\s+(day|person)|daily", f.counts):
            return f.value
    return None


def _fmt(v: float | None) -> str:
    if v is None:
        return "?"
    return f"{v:,.0f}" if abs(v) >= 100 else f"{v:,.2f}"


# Pair indicators: for a clause naming an origin and a residence (or a sender and a receiver)
PAIR_STOCK = "migrant_stock"  # geo = residence, partner = origin
PAIR_COST = "remittance_cost_corridor_pct"  # geo = receiving, partner = sending
PAIR_MONEY = "remittances_bilateral_usd"  # geo = receiving, partner = sending (modelled)
PAIR_INDICATORS = (PAIR_STOCK, PAIR_COST, PAIR_MONEY)
_PERSON_STOCKS = ("emigrant_stock", "immigrant_stock")

# Reference amounts and targets are not claims: the US$200/US$500 of the cost definitions and
# SDG 10.c's 3%.
_COST_WORDS = re.compile(
    r"\b(?:send(?:ing)?|sent|transfer(?:ring|s)?|remit(?:ting)?|cost|costs|fee|fees|"
    r"charge[sd]?|price)\b|отправ|перевод|стоимост|комисси",
    re.IGNORECASE,
)
_TARGET_WORDS = re.compile(r"\b(?:target|sdg|goal|benchmark)\b|цел[ьиея]|ЦУР", re.IGNORECASE)


def is_reference(figure: QuotedFigure) -> bool:
    """The figure is a reference amount or a target, not a claim about the data."""
    sentence = figure.sentence or ""
    where = sentence.find(figure.text) if figure.text else -1
    near = sentence[max(0, where - 60) : where + len(figure.text or "") + 60] if where >= 0 else ""
    if figure.unit == "US$" and figure.value in (200.0, 500.0) and _COST_WORDS.search(near):
        return True
    if figure.unit == "%" and figure.value == 3.0:
        close = sentence[max(0, where - 40) : where + len(figure.text or "") + 30]
        if _TARGET_WORDS.search(close):
            return True
    return False


_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th|-?й|-?я|-?е|-?го)\b", re.IGNORECASE)
# what a figure counts, when it names anything beyond a place or a time ("in austria")
_OWN_NOUN = re.compile(
    r"^(?!(?:in|to|from|of|at|on|for|by|that|this|the|a|an|в|во|на|из|за|по)\b)[^\W\d_]{3,}",
    re.IGNORECASE,
)

_PEOPLE_WORDS = re.compile(
    r"^(?:\w+[\s-]+)?(?:people|persons|residents|nationals|citizens|natives|"
    r"[a-z]+(?:ans|ese|is|iks|eks|khs|bs|urks|ns)|"
    r"человек\w*|граждан\w*|жител\w*|[а-я]+цев|[а-я]+ан)\b",
    re.IGNORECASE,
)


def _has_own_noun(figure: QuotedFigure) -> bool:
    """The figure counts something it names ("12 regional offices"), not people and not a
    place after a preposition ("13.5% in Montenegro")."""
    counts = figure.counts or ""
    if not _OWN_NOUN.search(counts) or _PEOPLE_WORDS.match(counts):
        return False
    head = re.escape(counts.split()[0])
    placed = rf"(?<!\w)(?:in|to|for|from|at|в|во|на|из|для)\s+(?:the\s+)?{head}"
    return re.search(placed, figure.text or "", re.IGNORECASE) is None


_MIGRANT_HEADS = re.compile(
    r"^(?:\w+\s+)?(?:migrants?|international migrants|foreign-born|[a-z]+-born|"
    r"мигрант\w*|уроженц\w*|выходц\w*)",
    re.IGNORECASE,
)


def _stock_by_role(
    figure: QuotedFigure, attribution: Attribution, *, any_words: bool = False
) -> str | None:
    """'264,000 migrants in Azerbaijan' is its immigrant stock, '120,000 Armenian migrants' or
    'Armenian-born' the emigrant stock: the country's role decides when the words do not."""
    if figure.unit not in ("persons", "count") or attribution.is_pair:
        return None
    counts = (figure.counts or "").lower()
    demonym = attribution.role == "people" and (not counts or _MIGRANT_HEADS.match(counts))
    if not (any_words or _MIGRANT_HEADS.match(counts) or demonym):
        return None
    if attribution.role == "in":
        return "immigrant_stock"
    if attribution.role in ("from", "people"):
        return "emigrant_stock"
    return None


def _pair_indicator(
    indicator: str | None, figure: QuotedFigure, attribution: Attribution | None
) -> tuple[str | None, str | None, str | None]:
    """(indicator, geo, partner) when the figure's clause names both ends of a pair and the
    figure is of a kind a pair indicator measures; else (indicator, None, None)."""
    if attribution is None or not attribution.is_pair:
        return indicator, None, None
    if indicator == PAIR_STOCK:
        return PAIR_STOCK, attribution.residence, attribution.origin
    if indicator in (PAIR_COST, PAIR_MONEY):
        return indicator, attribution.receiver, attribution.sender
    counts = (figure.counts or "").lower()
    people = (
        not _OWN_NOUN.search(counts) or _MIGRANT_HEADS.match(counts) or _PEOPLE_WORDS.match(counts)
    )
    if (
        figure.unit in ("persons", "count")
        and indicator in (*_PERSON_STOCKS, "population", None)
        and people
    ):  # "300 participants" in a sentence about a corridor are no migrants of it
        return PAIR_STOCK, attribution.residence, attribution.origin
    if figure.unit == "%" and indicator == "remittance_cost_to_pct":
        return PAIR_COST, attribution.receiver, attribution.sender
    if figure.unit == "US$" and indicator == "remittances_received_usd":
        return PAIR_MONEY, attribution.receiver, attribution.sender
    return indicator, None, None


def check_figure(
    store,
    figure: QuotedFigure,
    *,
    geo: str | None,
    tolerance_pct: float | None = None,
    attribution: Attribution | None = None,
    hint: str | None = None,
) -> Verdict:
    """The verdict on one figure against the store (see the module docstring).

    `attribution` (from `news.attribution`) says which country, or pair, governs the figure in
    its clause; without it `figure.geo` or `geo` is the country. `tolerance_pct` compares within
    that percentage; by default the figure's stated precision decides (`news.precision`).
    `hint` is the indicator of an earlier figure of the same sentence and unit, taken when the
    figure's own words name none ("14.2% of GDP in Georgia and 11.2% in Armenia")."""
    v = Verdict(figure=figure, verdict="no data", tolerance_pct=tolerance_pct)
    indicator, phrase = find_any_indicator(figure)
    if hint is not None:  # check_item gives one only where the figure's own words name none
        indicator = hint
    if indicator is None and attribution is not None:
        indicator = _stock_by_role(figure, attribution) or indicator
    if indicator == "refugees_hosted" and attribution and attribution.role in ("people", "from"):
        indicator = "refugees_by_origin"  # "6.3 million Ukrainians were refugees abroad"
    indicator, pair_geo, partner = _pair_indicator(indicator, figure, attribution)
    if indicator is None:
        v.explanation = phrase
        return v
    if indicator == PAIR_STOCK and partner is None and attribution is not None:
        indicator = _stock_by_role(figure, attribution, any_words=True) or indicator
    v.indicator = indicator
    if indicator in PAIR_INDICATORS and partner is None:
        v.explanation = _(
            "indicator {indicator} joins two countries, but the sentence does not name both "
            "ends (from where, to where)"
        ).format(indicator=indicator)
        return v
    where = pair_geo or (attribution.geo if attribution and attribution.geo else None)
    where = where or figure.geo or geo
    if not where:
        v.explanation = _(
            "indicator {indicator} (from {phrase}) but no country could be told"
        ).format(indicator=indicator, phrase=repr(phrase))
        return v
    try:
        geo_id = store.resolve_geo(where)
        table = observations(store, indicator, geo_id, partner=partner)
    except (UsageError, MigprofileError) as exc:
        v.explanation = _("indicator {indicator}, geo {geo}: {error}").format(
            indicator=indicator, geo=repr(where), error=exc
        )
        return v
    v.geo, v.partner = geo_id, partner
    rows = [
        r
        for r in table.to_pylist()
        if r.get("value") is not None
        and r.get("sex") in (None, "", "total")
        and is_annual(r.get("period"))
    ]
    who = geo_id if partner is None else f"{geo_id} ← {partner}"
    if not rows:
        v.explanation = _("no data: the store has no {indicator} rows for {geo}").format(
            indicator=indicator, geo=who
        )
        return v
    by_year = {int(r["year"]): r for r in rows}
    if figure.year is not None and figure.year in by_year:
        row = by_year[figure.year]
    elif figure.year is not None:
        row = min(rows, key=lambda r: (abs(r["year"] - figure.year), -r["year"]))
    else:
        row = max(rows, key=lambda r: r["year"])
    _evidence_of(v, row)
    data = float(row["value"])
    evidence = _("data {value} ({indicator}, {geo}, {year}; {source} {edition}, {cell})").format(
        value=_fmt(data), indicator=indicator, geo=who, year=v.data_year, source=v.source,
        edition=v.edition, cell=v.cell,
    )  # fmt: skip
    text_part = _("text {value} {unit}").format(value=_fmt(figure.value), unit=figure.unit)

    # different definitions first: the numbers cannot be compared as they stand
    sentence = (figure.sentence or "").lower()
    if indicator in ("emigrant_stock", PAIR_STOCK):
        clause = _clause_text(sentence, figure)  # "..., against an emigrant stock of 774,377"
        labour = next((p for p in LABOUR_PHRASES if _has(clause, p)), None)
        labour = labour or _russian_labour(figure)
        if labour:
            v.verdict = "different definition"
            v.explanation = _(
                "'{phrase}' counts labour migrants, {indicator} counts all emigrants: "
                "{text} vs {evidence}"
            ).format(phrase=labour, indicator=indicator, text=text_part, evidence=evidence)
            return v
    if indicator == "poverty_headcount_pct":
        line, name = _poverty_line(store)
        text_line = _text_poverty_line(figure.sentence or "")
        if text_line is not None and line is not None and abs(text_line - line) > 0.005:
            v.verdict = "different definition"
            v.explanation = _(
                "poverty line in the text US${text_line} a day, the source's line is "
                "US${line} a day ({name}): {text} vs {evidence}"
            ).format(
                text_line=f"{text_line:g}", line=f"{line:.2f}", name=name, text=text_part,
                evidence=evidence,
            )  # fmt: skip
            return v

    if tolerance_pct is not None:
        half = abs(data) * tolerance_pct / 100.0
        rule = _("within {tolerance}%").format(tolerance=f"{tolerance_pct:g}")
        stated = Stated(figure.value - half, figure.value + half, rule)
    else:
        stated = stated_range(figure)
        if figure.value and stated.bounded:
            widest = max(stated.high - figure.value, figure.value - stated.low)
            v.tolerance_pct = round(widest / abs(figure.value) * 100.0, 3)
        else:
            v.tolerance_pct = None

    def agrees(value: float) -> bool:
        return stated.low - 1e-9 <= value <= stated.high + 1e-9

    # "more than 36,000" agrees with any larger year: another year's value proves nothing
    bounded = stated.bounded

    if figure.year is not None and figure.year not in by_year:
        # "in 2022" means 2022: a year the data do not have is no data, never the nearest year
        v.verdict = "no data"
        v.explanation = _(
            "no {indicator} value for {geo} in {year}; the nearest is {evidence}"
        ).format(indicator=indicator, geo=who, year=figure.year, evidence=evidence)
        return v

    if agrees(data):
        v.verdict = "consistent"
        v.explanation = _("{text} vs {evidence}: {rule}").format(
            text=text_part, evidence=evidence, rule=stated.rule
        )
        return v
    other = [
        y
        for y, r in sorted(by_year.items())
        if bounded and y != v.data_year and agrees(float(r["value"]))
    ]
    if other:
        year = min(other, key=lambda y: abs(y - (v.data_year or y)))
        shown = by_year[year]
        v.verdict = "other year"
        v.explanation = _(
            "matches {other}: {other_value}; {year} is {value} ({evidence})"
        ).format(
            other=year, other_value=_fmt(float(shown["value"])), year=v.data_year,
            value=_fmt(data), evidence=evidence,
        )  # fmt: skip
        return v
    v.verdict = "differs"
    diff = f"{v.difference_pct:+.1f}%" if v.difference_pct is not None else _("data is 0")
    v.explanation = _("{text} vs {evidence}: differs by {difference} ({rule})").format(
        text=text_part, evidence=evidence, difference=diff, rule=stated.rule
    )
    return v


def _evidence_of(v: Verdict, row: dict) -> None:
    """The verdict's evidence: the row's value, year, source, edition, checksum and cell."""
    data = float(row["value"])
    v.data_value = data
    v.data_year = int(row["year"])
    v.source = row.get("source") or ""
    v.edition = row.get("edition") or ""
    v.sha256 = row.get("sha256") or ""
    v.cell = _cell(row)
    v.difference_pct = round((v.figure.value - data) / abs(data) * 100.0, 2) if data else None


_ANAPHORA = re.compile(
    r"\b(?:they|it|this|these|those|the figure|the total|the share|the amount)\b"
    r"|(?<!\w)(?:они|оно|он|она|это|эти|их|этот показатель|эта сумма|этот объём)(?!\w)",
    re.IGNORECASE,
)


def find_any_indicator(figure: QuotedFigure) -> tuple[str | None, str]:
    """find_indicator, or its Russian counterpart for a Russian sentence; where the sentence
    names no indicator ("In 2021 they reached 14.2% of GDP"), the sentence before it is read
    too."""
    if figure.language == "ru":
        from migprofile.news.russian import find_indicator_ru as find
    else:
        find = find_indicator
    found = find(figure)
    if found[0] is not None and figure.language == "ru" and not _in_own_clause_ru(figure, found[1]):
        found = (None, found[1])  # "37% жителей Киргизии ...; опрошены 1000 человек"
    if found[0] is None and figure.context and _ANAPHORA.search(figure.sentence or ""):
        wider = dataclasses.replace(figure, sentence=f"{figure.context} {figure.sentence}")
        again = find(wider)
        if again[0] is not None:
            return again
    return found


def _in_own_clause_ru(figure: QuotedFigure, phrase: str) -> bool:
    """The Russian phrase that named the indicator stands in the figure's own clause."""
    from migprofile.news.russian import lemmas

    words = {lemma for _a, _b, lemma in lemmas(_clause_text(figure.sentence or "", figure))}
    return all(w in words for w in phrase.split() if w not in ("…", "..."))


def _russian_labour(figure: QuotedFigure) -> str | None:
    if figure.language != "ru":
        return None
    from migprofile.news.russian import RU_LABOUR_LEMMAS, lemmas

    clause = _clause_text(figure.sentence or "", figure)
    text = " ".join(lemma for _a, _b, lemma in lemmas(clause))
    return next((p for p in RU_LABOUR_LEMMAS if f" {p} " in f" {text} "), None)


def _default_geo(tags: list[Tag], figure: QuotedFigure) -> str | None:
    geos = [t for t in tags if t.kind == "geo" and not t.ambiguous]
    if len(geos) == 1:
        return geos[0].value
    sentence = (figure.sentence or "").lower()
    in_sentence = [t for t in geos if any(e.lower() in sentence for e in t.evidence if e)]
    if len({t.value for t in in_sentence}) == 1:
        return in_sentence[0].value
    return None


def check_item(
    store,
    item: NewsItem,
    tags: list[Tag],
    figures: list[QuotedFigure],
    *,
    tolerance_pct: float | None = None,
    attributions: list[Attribution] | None = None,
) -> list[Verdict]:
    """Verdicts for an item's claims (reference amounts and targets left out); the country is
    the figure's attribution, else the item's single geo tag (or the one tag named in the
    figure's sentence)."""
    out = []
    siblings: dict[tuple[str, str], str] = {}  # (sentence, unit) -> the indicator found
    text = item.text if item is not None else ""
    last_end: dict[str, int] = {}  # sentence -> end of its last figure, in the item's text
    for n, f in enumerate(figures):
        if is_reference(f) or _ORDINAL.match(f.text or ""):
            continue  # "US$200" of the definitions, "the 3% target", "its 20th anniversary"
        if not f.counts and abs(f.value) < 200 and f.value == int(f.value) and f.unit != "%":
            continue  # a bare small number ("step 1", "(1)", "Ion Popescu, 54,"): no claim
        a = attributions[n] if attributions is not None else None
        key = (f.sentence or "", f.unit)
        hint = siblings.get(key)
        if _has_own_noun(f):
            hint = None  # "12 regional offices", "a report of 212 pages": a noun of its own
        start = last_end.get(f.sentence or "", -1)
        if hint and text and 0 <= start <= f.start:
            # a sibling's indicator only where the figure's own words name none ("... in
            # Germany, and 169,000 in Austria"; not "... а население ... 3,76 млн")
            own = dataclasses.replace(f, sentence=text[start : f.end], context="")
            if find_any_indicator(own)[0] is not None:
                hint = None
        last_end[f.sentence or ""] = f.end
        v = check_figure(
            store, f, geo=_default_geo(tags, f), tolerance_pct=tolerance_pct, attribution=a,
            hint=hint,
        )  # fmt: skip
        if v.indicator is None:
            continue  # offices, a poll, participants: no indicator holds it, not a claim
        if v.indicator is not None:
            siblings.setdefault(key, v.indicator)
        out.append(v)
    return out
