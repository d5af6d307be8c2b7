"""Quantitative statements in news text: number, unit, what it counts, year and country.

`extract_figures(text)` finds every figure a press text quotes, in the formats international
organisations write them:

* digits with thousands separators: "317 900" (space, no-break space, narrow no-break space),
  "1,200,000", "1.200.000"; decimals with a point or a comma: "1.2 million", "3,5 million",
  "25,3%" (a comma followed by exactly three digits is a thousands separator, otherwise a
  decimal comma; a point followed by exactly three digits and no scale word is a thousands
  separator, otherwise a decimal point);
* scale words: thousand, million, billion, trillion, "mln", "bn", "m", "k"; "half a million";
* currencies: "US$ 2.17 billion", "USD 200", "$2 a day", "EUR 50", "€50", "200 dollars",
  "two dollars a day" (dollars -> "US$", euros -> "EUR", ISO codes as written);
* shares: "25,3%", "12 per cent", "12 percent", "one in four" (-> 25.0, "%");
* number words: one .. twenty, thirty .. ninety, hundred, thousand, million, billion,
  "a dozen", "twenty-five" (taken only when followed by a scale word, a currency, a share or a
  people noun, so "one of the largest" is not a figure);
* qualifiers before the number: "more than", "over", "nearly", "about", "up to" ...

Not figures: years standing alone (1990-2035 without a unit: they give the sentence's year),
dates ("12 March 2023", "2023-05-10", "12.03.2023"), times, phone numbers, list ordinals
("1." at the start of a line) and numbered references ("Article 12", "Resolution 2254",
"SDG 10.7", "COVID-19").

`unit` is "persons" when the counted noun is people-like, "%" for shares, "US$" for dollars,
the currency code for other currencies and "count" otherwise. `counts` is the short noun phrase
right after the number ("nationals working abroad", "member states"), lower-cased.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from migprofile.news.model import QuotedFigure

__all__ = [
    "PEOPLE_NOUNS",
    "Taken",
    "cut_sentences",
    "extract_figures",
    "figures_by_sentence",
    "period_years",
    "split_sentences",
    "words",
]


def words(text: str) -> list[str]:
    """A vocabulary written as one string of space-separated words (the word lists below)."""
    return text.split()


# -- vocabulary -----------------------------------------------------------------------------------
PEOPLE_NOUNS = frozenset(
    words(
        """people persons person migrants migrant refugees refugee nationals citizens workers
    worker emigrants immigrants children child women men girls boys idps idp asylum-seekers
    asylum-seeker seekers returnees returnee displaced individuals residents inhabitants
    survivors victims students youth adults minors newcomers arrivals deportees expatriates
    expats diaspora labourers laborers employees nurses doctors pupils beneficiaries
    villagers travellers travelers passengers trafficked persons visitors participants
        attendees guests delegates officials staff volunteers farmers entrepreneurs
        professionals graduates trainees jobseekers job-seekers seafarers pensioners
        mothers fathers orphans youths"""
    )
)
# capitalised nationality plurals: Moldovans, Armenians, Syrians, Iraqis, Tajiks, Uzbeks, Serbs
_DEMONYM = re.compile(r"^[A-Z][a-z]+(?:ans|ese|is|iks|eks|khs|bs|urks|ns)$")

_UNITS_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {
    "hundred": 1e2,
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mln": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "k": 1e3,
}
_DENOMINATORS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twenty": 20, "hundred": 100, "a hundred": 100,
}  # fmt: skip
_QUALIFIERS = (
    "just over", "just under", "well over", "more than", "less than", "fewer than",
    "greater than", "up to", "at least", "at most", "close to", "an estimated", "almost",
    "nearly", "about", "around", "approximately", "roughly", "some", "over", "under",
    "estimated", "approx.", "about", "above", "below", "exceeding", "only",
)  # fmt: skip
_CURRENCY_CODES = words(
    "USD EUR GBP CHF RUB MDL UAH KGS TJS AMD GEL RSD BYN TRY KZT UZS AZN ALL MKD BAM PLN RON "
    "CZK HUF SEK NOK DKK CAD AUD JPY CNY INR PHP"
)
_CURRENCY_PREFIX = (
    r"(?P<cur>(?-i:US\s?\$|U\.S\.\s?\$|USD|\$|€|£|"
    + "|".join(c for c in _CURRENCY_CODES if c != "USD")
    + r"))"
)
_CURRENCY_WORDS = {
    "dollars": "US$",
    "dollar": "US$",
    "us dollars": "US$",
    "u.s. dollars": "US$",
    "usd": "US$",
    "euros": "EUR",
    "euro": "EUR",
    "eur": "EUR",
    "pounds": "GBP",
}
# words before a number that make it a reference, not a quantity
_REFERENCE_WORDS = frozenset(
    words(
        """article articles art resolution resolutions sdg sdgs goal goals target targets section
    sections chapter chapters paragraph paragraphs para page pages no no. number item items
    point annex appendix table figure fig step round wave phase part level grade objective
    objectives law decree order code convention protocol regulation directive box agenda
    aged age ages covid covid-19 route road highway room office building floor platform
    tel tel. phone telephone fax hotline call dial"""
    )
)
_STOP_WORDS = frozenset(
    words(
        """in from to at on by for with who which that are is was were have has had will would
    could can may might and or but as than since during between across into within through
    per this these those their its his her our your they it be been being do does did not
    while where when whom whose according over under each every year years according"""
    )
)
_VERBS = frozenset(
    words(
        """sent send sends live lives left leave leaves agreed returned return returns fled flee
    arrived arrive received receive receives remain remains remained said say says reached
    reach rose rise fell fall increased grew grow came come went go moved move crossed cross
    work works worked need needs needed face faces faced found took take made make got get
    benefit benefits benefited benefitted participated attended signed joined voted applied
    apply live lived stay stayed stays settled settle depend depends rely relies account
    accounts accounted make makes made earn earns earned transfer transferred"""
    )
)
_TIME_WORDS = frozenset(
    words("days day weeks week months month years year decades hours times more of other")
)
_ADJ_ED = frozenset(
    words(
        """displaced trafficked registered skilled unskilled educated unaccompanied separated
    documented undocumented qualified employed unemployed self-employed disabled"""
    )
)

_MONTHS = words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_SP = "[ \u00a0\u202f]"
_NUM = (
    r"(?<![\w.,\-/+])"
    r"(?P<num>\d{1,3}(?:" + _SP + r"\d{3})+(?:[.,]\d+)?(?!\d)"  # 317 900
    r"|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,]\d)"  # 1,200,000 / 1,200.5
    r"|\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?(?![\d.]\d)"  # 1.200.000
    r"|\d+(?:[.,]\d+)?)"  # 1.2 / 3,5 / 25 / 1.200
)
_NUMBER_WORD_RE = (
    r"(?P<words>(?:(?:"
    + "|".join(sorted(_UNITS_WORDS, key=len, reverse=True))
    + r"|hundred|thousand|million|billion|a dozen|dozen|half a)"
    r"(?:[\s-]+(?:and\s+)?)?)+)"
)

_SCALE_AFTER = r"(?:" + _SP + r"?(?P<scale>thousand|millions?|mln|mn|billion|bn|trillion|m|k)\b)?"
_PCT_AFTER = r"(?P<pct>" + _SP + r"?%|" + _SP + r"(?:per\s?cent|percent|percentage points?)\b)?"
_CUR_AFTER = (
    r"(?:" + _SP + r"(?P<curw>US dollars|U\.S\. dollars|dollars|dollar|USD|euros|euro|EUR|"
    r"pounds)\b)?"
)

_FIGURE_RE = re.compile(
    r"(?:" + _CURRENCY_PREFIX + _SP + r"?)?" + _NUM + _SCALE_AFTER + _PCT_AFTER + _CUR_AFTER,
    re.IGNORECASE,
)
_WORD_FIGURE_RE = re.compile(
    r"(?<![\w-])" + _NUMBER_WORD_RE + r"(?P<tail>per\s?cent\b|percent\b|dollars?\b|"
    r"us dollars\b|euros?\b)?",
    re.IGNORECASE,
)
_ONE_IN_RE = re.compile(
    r"\b(?P<num>one|1)\s+(?:in|out of)\s+(?P<den>every\s+)?(?P<d>\d+|two|three|four|five|six|"
    r"seven|eight|nine|ten|twenty|(?:a\s)?hundred)\b",
    re.IGNORECASE,
)

# spans that are never figures: dates, times, phone numbers, list ordinals
_MASKS = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"),
    re.compile(
        r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + _MONTH_RE + r")\b\.?,?(?:\s+\d{4})?", re.I
    ),
    re.compile(r"\b(?:" + _MONTH_RE + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?", re.I),
    re.compile(r"\b\d{1,2}[:.]\d{2}\s*(?:a\.?m\.?|p\.?m\.?|h\b|hrs\b)", re.I),
    re.compile(r"\b\d{1,2}:\d{2}\b"),
    re.compile(r"\+\d[\d\s().\-]{6,}\d"),
    re.compile(
        r"\b(?:tel|phone|telephone|fax|hotline|call|dial)\b[.:]?\s*[\d\s().\-+]{3,}\d", re.I
    ),
    re.compile(r"\b\d{2,4}-\d{2,4}-\d{2,4}\b"),
    re.compile(r"(?m)^\s*\d{1,2}[.)](?=\s)"),
]

_YEAR_RE = re.compile(r"(?<![\w.,$€£])(?<!\d-)(?P<y>19[5-9]\d|20[0-4]\d)(?![\w%]|[.,]\d)")
_PERIOD_RES = [
    re.compile(
        r"\b(?:between|from)\s+(?P<a>(?:19|20)\d{2})\s+(?:and|to|until|through)\s+"
        r"(?P<b>(?:19|20)\d{2})\b",
        re.I,
    ),
    re.compile(r"(?<![\w-])(?P<a>(?:19|20)\d{2})\s?[-–/]\s?(?P<b>(?:19|20)?\d{2})(?![\w-])"),
]


# -- sentences ------------------------------------------------------------------------------------
_SENT_END = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[-•*]\s)")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Prof|St|No|Art|Fig|approx|e\.g|i\.e|U\.S|U\.N|vs|etc)\.$")


_NUMBERED = re.compile(r"(?:^|\s)\d{1,2}\.$")


def cut_sentences(
    text: str, ends: re.Pattern[str], no_end: Callable[[str, re.Match[str], int], bool]
) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence of `text`, offsets into `text`: cut at each
    match of `ends` unless `no_end(text, match, sentence_start)` says it is none (an
    abbreviation, a numbered item). Shared by the English and Russian readers."""
    out = []
    start = 0
    for m in ends.finditer(text):
        if no_end(text, m, start):
            continue
        chunk = text[start : m.start()]
        if chunk.strip():
            out.append((start, m.start(), chunk))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text), text[start:]))
    return out


def _no_end_en(text: str, m: re.Match[str], start: int) -> bool:
    # Only the chunk's last 41 characters decide (both patterns look at most 8 back and end
    # at '$'), so skipped ends do not make this quadratic.
    tail = text[max(start, m.start() - 41) : m.start()]
    return bool(_ABBREV.search(tail.rstrip()) or _NUMBERED.search(tail))  # "Mr. Smith", "1."


def split_sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence of `text`; offsets into `text`."""
    return cut_sentences(text, _SENT_END, _no_end_en)


def figures_by_sentence(
    sentences: list[tuple[int, int, str]],
    extract: Callable[[str], list[QuotedFigure]],
    geo_of_sentence: Callable[[str], str | None] | None = None,
) -> list[QuotedFigure]:
    """The figures `extract` finds in each sentence, their offsets moved into the text and
    each given its (stripped) sentence and that sentence's country. Shared by both readers."""
    figures: list[QuotedFigure] = []
    for s_start, _s_end, sentence in sentences:
        found = extract(sentence)
        if not found:
            continue
        stripped = sentence.strip()  # once per sentence, not once per figure
        geo = geo_of_sentence(stripped) if geo_of_sentence else None
        for f in found:
            f.start += s_start
            f.end += s_start
            f.sentence = stripped
            f.geo = geo
            figures.append(f)
    return figures


# -- numbers --------------------------------------------------------------------------------------
def parse_number(raw: str, *, has_scale: bool = False, is_pct: bool = False) -> float:
    """'317 900' -> 317900; '3,5' -> 3.5; '1,200,000' -> 1200000; '1.200.000' -> 1200000."""
    s = re.sub(_SP, " ", raw.strip())
    if " " in s:
        s = s.replace(" ", "").replace(",", ".")
        return float(s)
    if s.count(",") and s.count("."):
        if s.rfind(",") > s.rfind("."):  # 1.200,5
            return float(s.replace(".", "").replace(",", "."))
        return float(s.replace(",", ""))
    if s.count(",") > 1:
        return float(s.replace(",", ""))
    if s.count(".") > 1:
        return float(s.replace(".", ""))
    if "," in s:
        head, tail = s.split(",")
        if len(tail) == 3 and not is_pct and head != "0":
            return float(head + tail)
        return float(f"{head}.{tail}")
    if "." in s:
        head, tail = s.split(".")
        if len(tail) == 3 and not has_scale and not is_pct and head != "0":
            return float(head + tail)  # European thousands: 1.200 migrants
        return float(s)
    return float(s)


def words_to_number(words: str) -> float | None:
    """'two' -> 2; 'twenty-five' -> 25; 'three hundred thousand' -> 300000; 'a dozen' -> 12."""
    tokens = [t for t in re.split(r"[\s-]+", words.lower().strip()) if t and t != "and"]
    if not tokens:
        return None
    if tokens[:2] == ["half", "a"]:
        rest = words_to_number(" ".join(tokens[2:])) if len(tokens) > 2 else None
        return 0.5 * rest if rest else None
    total, current = 0.0, 0.0
    seen = False
    i = 0
    while i < len(tokens):
        t = tokens[i]
        if t == "a" and i + 1 < len(tokens) and tokens[i + 1] == "dozen":
            current += 12
            seen = True
            i += 2
            continue
        if t == "dozen":
            current = (current or 1) * 12
        elif t in _UNITS_WORDS:
            current += _UNITS_WORDS[t]
        elif t == "hundred":
            current = (current or 1) * 100
        elif t in ("thousand", "million", "billion"):
            total += (current or 1) * _SCALES[t]
            current = 0
        else:
            return None
        seen = True
        i += 1
    return total + current if seen else None


def period_years(a: str, b: str) -> tuple[int, int]:
    """The two years of a period as written: ("2019", "2021"), ("1990", "95") -> 1990, 1995.
    Shared by the English and Russian readers (their `_years_in` differ in what counts as
    already claimed and in the "since" words, so each keeps its own)."""
    ya = int(a)
    yb = int(b) if len(b) == 4 else int(a[:2] + b)
    return ya, yb


class Taken:
    """Which characters of a sentence are already claimed (constant time per character, so
    extraction stays linear however many figures one sentence holds)."""

    def __init__(self, n: int):
        self.mask = bytearray(n + 1)

    def add(self, a: int, b: int) -> None:
        self.mask[a:b] = b"\x01" * max(0, b - a)

    def free(self, a: int, b: int) -> bool:
        return self.mask.find(1, a, b) == -1

    def at(self, i: int) -> bool:
        return bool(self.mask[i])

    def copy(self) -> Taken:
        out = Taken(0)
        out.mask = bytearray(self.mask)
        return out


def _years_in(sentence: str, spans: Taken) -> list[tuple[int, int | None, str]]:
    """(position, year, period) for the years and periods a sentence gives."""
    found: list[tuple[int, int | None, str]] = []
    taken = spans.copy()
    for rx in _PERIOD_RES:
        for m in rx.finditer(sentence):
            if taken.at(m.start()):
                continue
            ya, yb = period_years(m.group("a"), m.group("b"))
            if 1950 <= ya < yb <= 2049:
                found.append((m.start(), yb, f"{ya}-{yb}"))
                taken.add(m.start(), m.end())
    for m in _YEAR_RE.finditer(sentence):
        if taken.at(m.start()):
            continue
        y = int(m.group("y"))
        before = sentence[max(0, m.start() - 12) : m.start()].lower()
        if re.search(r"\bsince\s+$", before):
            found.append((m.start(), None, f"{y}-"))
        else:
            found.append((m.start(), y, ""))
    return found


# -- counts ---------------------------------------------------------------------------------------
_SPACES = re.compile(r"[\s\u00a0\u202f]*")
_TOKEN = re.compile(r"[A-Za-zÀ-ÿ'’][\w'’\-]*|[^\sA-Za-zÀ-ÿ]")
_WORD_SCALE = re.compile(r"\s+(thousand|million|billion)\b", re.I)
_CURRENCY_AFTER = re.compile(r"\s+(US dollars|dollars?|euros?)\b", re.I)
_PERCENT_AFTER = re.compile(r"\s+(per\s?cent|percent)\b", re.I)


def _counts_after(sentence: str, pos: int, *, is_pct: bool, is_money: bool) -> tuple[str, int]:
    """The short noun phrase after position `pos`, and where it ends."""
    m = _SPACES.match(sentence, pos)
    start = m.end() if m else pos
    words: list[str] = []
    end = start
    first = True
    for t in _TOKEN.finditer(sentence, start):  # lazy: the phrase ends after a few words
        w = t.group(0)
        lw = w.lower()
        if not re.match(r"[A-Za-zÀ-ÿ]", w):
            break
        if first and (is_pct or is_money) and lw in ("of", "in", "worth"):
            first = False
            continue  # 25% of the population, US$ 2 billion in remittances
        if first and lw in ("a", "per") and is_money:
            words.append(lw)  # $2 a day
            end = t.end()
            first = False
            continue
        first = False
        if lw in ("the", "all") and not words:
            continue
        if lw in _STOP_WORDS or len(words) >= 4:
            break
        if words and (lw in _VERBS or (lw.endswith("ed") and lw not in _ADJ_ED)):
            break  # "refugees fled", "workers returned": the verb ends the phrase
        words.append(lw)
        end = t.end()
    return " ".join(words), end


def _is_people(counts: str, raw_counts: str) -> bool:
    words = counts.split()
    if any(w.strip("'’") in PEOPLE_NOUNS for w in words[:5]):
        return True
    if "asylum seekers" in counts or "asylum-seekers" in counts:
        return True
    raw_words = raw_counts.split()
    return bool(raw_words) and any(_DEMONYM.match(w) for w in raw_words[:2])


def _qualifier_before(sentence: str, pos: int) -> str:
    before = sentence[max(0, pos - 30) : pos].lower().rstrip()
    for q in sorted(_QUALIFIERS, key=len, reverse=True):
        if re.search(r"(?:^|[\s(,])" + re.escape(q) + r"$", before):
            return q
    return ""


def _reference_before(sentence: str, pos: int) -> bool:
    before = sentence[max(0, pos - 25) : pos]
    m = re.search(r"([A-Za-z][\w.\-]*)\s*[#:]?\s*$", before)
    return m is not None and m.group(1).lower().rstrip(".") in _REFERENCE_WORDS | {"no"}


# -- extraction -----------------------------------------------------------------------------------
def extract_figures(
    text: str, *, geo_of_sentence: Callable[[str], str | None] | None = None
) -> list[QuotedFigure]:
    """Every quantitative statement of `text` (see the module docstring for the formats)."""
    return figures_by_sentence(split_sentences(text), _extract_sentence, geo_of_sentence)


def _extract_sentence(sentence: str) -> list[QuotedFigure]:
    masked = Taken(len(sentence))
    for rx in _MASKS:
        for m in rx.finditer(sentence):
            masked.add(m.start(), m.end())
    taken = masked.copy()  # masked spans plus the figures found so far
    raw: list[dict] = []
    free = taken.free

    # one in four -> 25 %
    for m in _ONE_IN_RE.finditer(sentence):
        if not free(m.start(), m.end()):
            continue
        d = m.group("d").lower()
        den = float(d) if d.isdigit() else _DENOMINATORS.get(d.replace("a ", ""), 0)
        if not den:
            continue
        raw.append(
            dict(
                start=m.start(),
                end=m.end(),
                value=round(100.0 / den, 1),
                unit="%",
                pct=True,
                money=False,
            )
        )
        taken.add(m.start(), m.end())

    for m in _FIGURE_RE.finditer(sentence):
        a, b = m.start(), m.end()
        if not free(a, b):
            continue
        num = m.group("num")
        scale = (m.group("scale") or "").lower()
        pct = bool(m.group("pct"))
        cur = m.group("cur")
        curw = (m.group("curw") or "").lower()
        if scale in ("m", "k") and not (cur or curw):
            # "5 m" is metres unless money; attached "5m"/"5k" only with a currency
            b = m.start("scale")
            scale = ""
        scale_val = _SCALES.get(scale, 1.0)
        try:
            value = parse_number(num, has_scale=bool(scale), is_pct=pct)
        except ValueError:
            continue
        plain_int = re.fullmatch(r"\d+", num) is not None
        if plain_int and not (scale or pct or cur or curw):
            n = int(num)
            if 1950 <= n <= 2049 and len(num) == 4:
                continue  # a year: given to `year`, not a figure
            if _reference_before(sentence, m.start()):
                continue  # Article 12, Resolution 2254
        elif not (cur or pct) and _reference_before(sentence, m.start()):
            continue  # SDG 10.7
        if cur:
            c = cur.replace(" ", "").replace(".", "").upper()
            unit = "US$" if "$" in c or c == "USD" else {"€": "EUR", "£": "GBP"}.get(c, c)
        elif curw:
            unit = _CURRENCY_WORDS.get(curw, "US$")
        elif pct:
            unit = "%"
        else:
            unit = ""
        raw.append(
            dict(
                start=a,
                end=b,
                value=value * scale_val,
                unit=unit,
                pct=pct,
                money=bool(cur or curw),
            )
        )
        taken.add(a, b)

    # number words: only with a scale, currency, share or a people noun after them
    for m in _WORD_FIGURE_RE.finditer(sentence):
        words = m.group("words").rstrip(" -")
        a = m.start()
        b = m.start("words") + len(words)
        tail = (m.group("tail") or "").lower()
        if tail:
            b = m.end()
        if not free(a, b):
            continue
        in_words = words_to_number(words)
        if in_words is None:
            continue
        value = in_words
        # "three million" with digits after is handled above ("3 million"); here words only
        scale_m = _WORD_SCALE.match(sentence, b)
        if scale_m and not re.search(r"thousand|million|billion", words, re.I):
            value *= _SCALES[scale_m.group(1).lower()]
            b = scale_m.end()
        cur_m = None if tail else _CURRENCY_AFTER.match(sentence, b)
        if cur_m:
            tail = cur_m.group(1).lower()
            b = cur_m.end()
        pct_m = None if tail else _PERCENT_AFTER.match(sentence, b)
        if pct_m:
            tail = "percent"
            b = pct_m.end()
        if tail.startswith(("per", "percent")):
            unit, pct, money = "%", True, False
        elif tail:
            unit, pct, money = _CURRENCY_WORDS.get(tail, "US$"), False, True
        else:
            unit, pct, money = "", False, False
            has_scale = re.search(r"thousand|million|billion|dozen|hundred", words, re.I)
            nxt, _ = _counts_after(sentence, b, is_pct=False, is_money=False)
            if value < 2 and not has_scale:
                continue  # "one migrant", "one of the": too often not a quantity
            head = nxt.split()[0] if nxt else ""
            if not has_scale and (not nxt or head in _TIME_WORDS):
                continue  # "two of them", "three years": not a quantity statement
        raw.append(dict(start=a, end=b, value=value, unit=unit, pct=pct, money=money))
        taken.add(a, b)

    raw.sort(key=lambda r: r["start"])
    years = _years_in(sentence, taken)  # taken = masked spans + every figure's span
    # Years by position (ties between two equally near years go to the one found first).
    by_pos = sorted((y[0], i) for i, y in enumerate(years))
    positions = [p for p, _ in by_pos]
    out: list[QuotedFigure] = []
    for r in raw:
        counts, c_end = _counts_after(sentence, r["end"], is_pct=r["pct"], is_money=r["money"])
        raw_counts = sentence[r["end"] : c_end].strip()
        unit = r["unit"]
        if not unit:
            unit = "persons" if _is_people(counts, raw_counts) else "count"
            if unit == "count" and counts in ("", "more", "others", "additional", "each") and out:
                unit = out[-1].unit if out[-1].unit in ("persons", "count") else unit
        qualifier = _qualifier_before(sentence, r["start"])
        year, period = None, ""
        if years:
            k = bisect.bisect_left(positions, r["start"])
            near = [by_pos[j] for j in (k - 1, k) if 0 <= j < len(by_pos)]
            _d, i = min((abs(p - r["start"]), i) for p, i in near)
            _pos, year, period = years[i]
        q_start = r["start"] - len(qualifier) - 1 if qualifier else r["start"]
        q_start = max(q_start, 0)
        span_end = max(r["end"], c_end)
        out.append(
            QuotedFigure(
                text=sentence[q_start:span_end].strip(),
                value=float(r["value"]),
                unit=unit,
                counts=counts,
                sentence=sentence,
                qualifier=qualifier,
                year=year,
                period=period,
                start=r["start"],
                end=span_end,
            )
        )
    return out
