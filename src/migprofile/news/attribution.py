"""Which country a quoted figure speaks of, and for a bilateral claim which two.

A press sentence often names several countries ("Remittances were 14.2% of GDP in Georgia and
11.2% in Armenia"; "Georgia's remittances reached 14.2% of GDP, Armenia's 11.2%"); a figure
belongs to the country that governs it in its clause, never to the first country of the
sentence. The rules, in order:

1. The sentence is cut into clauses at ; , ( ) (not at dashes: "а Молдова — 105 374") and
   at "while", "whereas", "but", "compared with", "against", "than", "versus" (Russian "а",
   "но", "однако", "при этом", "тогда как", "в то время как", "по сравнению с").
2. Within a clause each figure owns the text from the previous figure's end to the next
   figure's start. A country named *before* the figure as its owner ("Armenia's 11.2%",
   "Armenian remittances", "In Armenia, ...") governs it; else a country "in X" / "to X" right
   *after* it ("11.2% in Armenia"); else the nearest country of its part.
3. No country in the figure's part: the figure before it in the same clause, then the sentence's
   last governing country before it, then the item's single country.
4. Bilateral: where the figure's clause names an origin (a demonym "Armenians", "Armenian-born",
   "born in", "from X", Russian "уроженцы Армении", "из России") and a place of residence or
   destination ("in Russia", "to Armenia", "в России", "в Армению"), the claim is about the pair:
   for the catalogue's pair indicators geo is the country of residence or the receiving country
   and partner the origin or the sending one.

`GeoMention`s come from the English tagger (`english_mentions`) or from `news.russian`; the
rules above do not depend on the language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migprofile.news.model import GeoMention

__all__ = ["Attribution", "attribute", "clauses", "english_mentions"]

_CLAUSE_CUT = re.compile(
    r"[;,()]"
    r"|\b(?:while|whereas|but|compared\s+(?:with|to)|against|than|versus|vs\.?)\b"
    r"|(?<![\w])(?:а|но|однако|при\s+этом|тогда\s+как|в\s+то\s+время\s+как|по\s+сравнению\s+с|"
    r"против)(?![\w])",
    re.IGNORECASE,
)
# A thousands separator ("1,200,000") and a decimal comma ("25,3") are not clause cuts.
_NUMBER_COMMA = re.compile(r"\d,\d")

_BEFORE_IN = re.compile(
    r"(?:\b(?:in|inside|within|across|at|throughout|for|of)\s+(?:the\s+)?)$", re.I
)
_BEFORE_FROM = re.compile(
    r"(?:\b(?:from|born\s+in|natives?\s+of|citizens?\s+of|nationals?\s+of|"
    r"emigrants?\s+from|migrants?\s+from|out\s+of|left)\s+(?:the\s+)?)$",
    re.I,
)
_BEFORE_TO = re.compile(r"(?:\b(?:to|into|towards|for)\s+(?:the\s+)?)$", re.I)
_LIVING_IN = re.compile(
    r"(?:\b(?:living|live|lives|lived|residing|reside|resident|settled|working|work|works|"
    r"staying|based)\s+in\s+(?:the\s+)?)$",
    re.I,
)
_PREPOSITION = re.compile(
    r"(?<![\w])(?:in|to|from|of|for|into|at|в|во|из|на|от|для)\s+(?:the\s+)?$", re.I
)
_HOME_TO = re.compile(
    r"^[\s,]+(?:which\s+|that\s+)?(?:was|is|has\s+been|remains|remained|became)\s+home\s+to\b"
    r"|^[\s,]+(?:which\s+|that\s+)?host(?:s|ed)\b",
    re.IGNORECASE,
)
_OF_THEM = re.compile(r"\bof\s+(?:them|whom)\b|из\s+них", re.IGNORECASE)
_ABROAD = re.compile(
    r"\b(?:abroad|overseas|diaspora|outside\s+the\s+country)\b|за\s+рубеж|за\s+границ|"
    r"за\s+предел|диаспор",
    re.IGNORECASE,
)
_BORN = re.compile(r"^[\s-]*born\b", re.I)
_POSSESSIVE = re.compile(r"^['’]s?\b")
# demonym + these nouns = the country's people; demonym + other nouns = the country itself
_PEOPLE_AFTER = re.compile(
    r"^[\s-]+(?:migrants?|workers?|citizens?|nationals?|emigrants?|immigrants?|diaspora|"
    r"people|refugees?|expatriates?|labou?r\s+migrants?|returnees?|students?|families)\b",
    re.I,
)


def english_mentions(tagger, sentence: str) -> list[GeoMention]:
    """The countries the English tagger finds in a sentence, each with its role."""
    out = []
    for m in tagger.geo_mentions(sentence):
        if m.decision == "reject" or sentence[m.end : m.end + 1] == "$":
            continue  # "US$ 1.9 billion" names a currency
        before = sentence[max(0, m.start - 40) : m.start]
        after = sentence[m.end : m.end + 40]
        role = "plain"
        if m.kind == "demonym":
            if _BORN.match(after):
                role = "from"
            elif m.surface.endswith("s") or _PEOPLE_AFTER.match(after):
                role = "people"
            else:
                role = "in"  # "Armenian remittances", "the Georgian economy"
        elif _BORN.match(after):
            role = "from"  # "Armenia-born"
        elif _POSSESSIVE.match(after) or _LIVING_IN.search(before) or _HOME_TO.match(after):
            role = "in"  # "Armenia's", "living in Italy", "Italy was home to", "Russia hosted"
        elif re.search(r"\bborn\s+in\s+(?:the\s+)?$", before, re.I) or _BEFORE_FROM.search(before):
            role = "from"
        elif _BEFORE_TO.search(before) and not re.search(r"\bfor\s+(?:the\s+)?$", before, re.I):
            role = "to"
        elif _BEFORE_IN.search(before):
            role = "in"
        out.append(GeoMention(m.geo, m.start, m.end, role, m.surface))
    return mark_lists(out, sentence)


_LIST_GAP = re.compile(r"^\s*(?:,|,?\s*(?:and|or|и|или|та|і|й)|/)\s*$", re.IGNORECASE)


def mark_lists(mentions: list[GeoMention], sentence: str) -> list[GeoMention]:
    """Countries named as a list ("in Italy, Germany and Romania") take the role "list": a
    figure about a list is about all of them together, never about its first country."""
    n = len(mentions)
    chained = [False] * n
    for i in range(n - 1):
        a, b = mentions[i], mentions[i + 1]
        if a.geo != b.geo and _LIST_GAP.match(sentence[a.end : b.start]):
            chained[i] = chained[i + 1] = True
    for i, m in enumerate(mentions):
        if chained[i]:
            m.role = "list"
    return mentions


def clauses(sentence: str) -> list[tuple[int, int]]:
    """[start, end) of each clause of the sentence (see the module docstring)."""
    cuts = [0]
    for m in _CLAUSE_CUT.finditer(sentence):
        if m.group(0) == "," and _NUMBER_COMMA.match(sentence, max(0, m.start() - 1)):
            continue
        cuts += [m.start(), m.end()]
    cuts.append(len(sentence))
    spans = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    return [(a, b) for a, b in spans if b > a] or [(0, len(sentence))]


@dataclass
class Attribution:
    """The countries a figure speaks of: `geo` for a one-country claim; `origin` and
    `residence` (destination) when its clause names both ends of a pair."""

    geo: str | None = None
    origin: str | None = None
    residence: str | None = None
    towards: bool = False  # the residence was named as a destination ("to X"), not "in X"
    role: str = ""  # the governing mention's role (in / from / to / people / plain)
    rule: str = ""  # which rule decided, for the verdict's explanation

    @property
    def is_pair(self) -> bool:
        return bool(self.origin and self.residence and self.origin != self.residence)

    @property
    def sender(self) -> str | None:
        """Money: "from Russia to Armenia" is sent by Russia; "Armenians in Russia" send from
        Russia too (to Armenia)."""
        return self.origin if self.towards else self.residence

    @property
    def receiver(self) -> str | None:
        return self.residence if self.towards else self.origin


def _clause_of(spans: list[tuple[int, int]], pos: int) -> int:
    for i, (a, b) in enumerate(spans):
        if a <= pos < b:
            return i
    return len(spans) - 1


def _pair(
    a: Attribution,
    start: int,
    prev_end: int,
    next_start: int,
    in_clause: list[GeoMention],
    earlier: list[Attribution],
    of_them: bool = False,
) -> None:
    """Set the figure's origin and residence when its clause names one end of a pair and its
    own part of the clause, the clause or (ellipsis: "2.56 million of them in Russia", "and
    285,000 in Romania", "а уроженцев Узбекистана — 1,15 млн") the sentence before it names
    the other."""
    if any(m.role == "list" for m in in_clause):
        return  # "Moldovans in Italy, Germany and Romania": not one pair
    own = [m for m in in_clause if prev_end <= m.start < next_start]

    def pick(role: tuple[str, ...], exclude: str | None = None) -> GeoMention | None:
        for group in (own, in_clause):
            found = [m for m in group if m.role in role and m.geo != exclude]
            if found:  # after the figure first, then the nearest before it
                later = [m for m in found if m.start > start]
                return later[0] if later else found[-1]
        return None

    o = pick(("people", "from"))
    p = pick(("in", "to"), o.geo if o else None)
    origin, residence, towards = (
        (o.geo if o else None),
        (p.geo if p else None),
        bool(p and p.role == "to"),
    )
    pairs = [e for e in earlier if e.is_pair]
    if origin and not residence and pairs and o in own:
        residence, towards = pairs[-1].residence, pairs[-1].towards
    elif residence and not origin:
        if pairs:
            origin = pairs[-1].origin
        elif p in own and of_them and earlier and earlier[-1].role in ("from", "people"):
            origin = earlier[-1].geo  # "born in Kazakhstan ..., 2.56 million of them in Russia"
    if origin and residence and origin != residence:
        a.origin, a.residence, a.towards = origin, residence, towards


def attribute(
    offsets: list[tuple[int, int]],
    mentions: list[GeoMention],
    sentence: str,
    item_geo: str | None = None,
) -> list[Attribution]:
    """One Attribution per figure of one sentence, in the order of `offsets` (the figures'
    [start, end) in `sentence`); `item_geo` is the item's single country (or None)."""
    spans = clauses(sentence)
    out: list[Attribution] = []
    last_geo: str | None = None
    for n, (start, end) in enumerate(offsets):
        ci = _clause_of(spans, start)
        c_start, c_end = spans[ci]
        prev_end = max(
            [c_start] + [e for s, e in offsets[:n] if c_start <= s < c_end and e <= start]
        )
        next_start = min([c_end] + [s for s, _e in offsets[n + 1 :] if start < s < c_end])
        before = [m for m in mentions if prev_end <= m.start and m.end <= start]
        # a country inside the figure's own words ('11.2% in Armenia') comes after its number
        after = [m for m in mentions if start < m.start and m.end <= max(next_start, end)]
        in_clause = [m for m in mentions if c_start <= m.start < c_end]
        a = Attribution()
        abroad = _ABROAD.search(sentence, c_start, c_end) is not None
        since = offsets[n - 1][1] if n else len(sentence)
        prev_clause = _clause_of(spans, offsets[n - 1][0]) if n else -1
        between = [
            m
            for m in mentions
            if since <= m.start and m.end <= start and _clause_of(spans, m.start) != prev_clause
        ]  # named in a clause of its own, not the previous figure's ("..., in Poland, up from")
        if not in_clause and between and not abroad:
            # "Kazakhstan, where the share was 11.2%", "for Azerbaijan, the source gives ..."
            pick = between[-1]
            a.geo, a.role, a.rule = pick.geo, pick.role, "named before"
            last_geo = a.geo
            out.append(a)
            continue
        if not in_clause and out and n > 0 and not abroad:
            # "..., up from 204,000 in 2015": a clause naming no country continues the last
            prev = out[-1]
            a = Attribution(prev.geo, prev.origin, prev.residence, prev.towards, prev.role,
                            "previous figure")  # fmt: skip
            last_geo = a.geo or last_geo
            out.append(a)
            continue
        if not abroad:  # "the total Uzbek diaspora", "всего за рубежом": the whole, no pair
            of_them = _OF_THEM.search(sentence, prev_end, min(len(sentence), next_start + 1))
            _pair(a, start, prev_end, next_start, in_clause, out, of_them is not None)
        if prev_end > c_start:
            # between two figures "in X" closes the previous one ("14.2% in Georgia and 11.2%
            # in Armenia"); only an owner form ("Armenia's", "Armenian") opens the next
            before = [m for m in before if not _PREPOSITION.search(sentence[: m.start])]
        owners = [m for m in before if m.role in ("in", "plain", "people", "from")]
        following = [m for m in after if m.role in ("in", "to", "from", "people", "list")]
        if owners:
            pick = owners[-1]
            a.geo, a.role, a.rule = pick.geo, pick.role, "before"
        elif following:
            pick = following[0]
            a.geo, a.role, a.rule = pick.geo, pick.role, "after"
        elif before or after:
            pick = min(before + after, key=lambda m: min(abs(m.start - end), abs(m.end - start)))
            a.geo, a.role, a.rule = pick.geo, pick.role, "nearest"
        elif last_geo and any(c_start <= s < c_end for s, _e in offsets[:n]):
            a.geo, a.rule = last_geo, "clause"
        else:
            earlier = [m for m in mentions if m.end <= start and m.role != "list"]
            later = [m for m in mentions if m.start >= end and m.role != "list"]
            subjects = [m for m in earlier if m.role in ("plain", "people")]
            if subjects:  # the sentence's subject: "Moldovans live ..., and remittances ..."
                a.geo, a.role, a.rule = subjects[0].geo, subjects[0].role, "sentence"
            elif earlier:
                a.geo, a.role, a.rule = earlier[-1].geo, earlier[-1].role, "sentence"
            elif [m for m in in_clause if m.role != "list"] or later:
                pick = ([m for m in in_clause if m.role != "list"] or later)[0]
                a.geo, a.role, a.rule = pick.geo, pick.role, "sentence"
            elif item_geo:
                a.geo, a.rule = item_geo, "item"
        if a.role == "list":
            a.geo, a.rule = None, "several countries"
        if a.geo is None and a.is_pair:
            a.geo = a.residence
        last_geo = a.geo or last_geo
        out.append(a)
    return out
