"""Russian press text for the news checker: figures, countries with their roles, indicators.

Russian needs its own rules because the words change their endings: "Армения", "Армении",
"Армению", "Арменией" are one country and the ending tells the role ("в Армении" — in, "в
Армению" — to). Words are lemmatised with pymorphy3 (one analyser, loaded once, ~0.2 s) and
country names are matched as lemma sequences, so every case of every name is found without
listing the forms.

* `extract_figures_ru(text)` — the quantitative claims, with `figures.extract_figures`'s
  semantics: "1,16 млн" -> 1160000, "317 900" -> 317900 (space, no-break or narrow no-break
  space), "25,3%" -> 25.3 "%", "2 млрд долларов" / "$1,9 млрд" / "1,9 млрд долл. США" -> US$,
  number words ("два миллиона", "полтора миллиона"), shares ("каждый пятый" -> 20 %, "почти
  треть" -> 33.33 % "almost"). A comma is always a decimal comma in Russian. Qualifiers are
  given in the English words the checker reads ("более" -> "more than", "около" -> "about").
  The sign is kept where the text states a negative value ("минус 10 тыс.", "−9 999"); a
  decrease told in words ("сократилось на 10 тыс.") stays positive, as written.
  Not claims: years, dates, times, ages and durations ("25 лет", "25-летний"), phone numbers,
  numbered references ("статья 12", "стр. 5", "ЦУР 10.7") and the reference amounts of
  `reference_amounts_ru` (the US$200/500 of remittance-cost definitions, the 3 % SDG target).
* `geo_mentions_ru(sentence)` — every country named (names, short forms, adjectives,
  demonyms) with its role: "in", "to", "from", "people" or "plain" (see model.GeoMention).
  A country adjective before a people noun ("армянские мигранты", "армянская диаспора") is
  role "people", before any other noun ("турецкие власти", "армянская экономика") role "in",
  as the English tagger reads "Armenian migrants" and "Armenian GDP"; "русский" is a language
  and an ethnicity, not a country, and is not taken. Names need a capital letter, so "того"
  (pronoun), "мали", "чадить" never name Togo, Mali or Chad; a capitalised "Того" opening a
  sentence is the pronoun ("Того же мнения ..."), not Togo. Capitals and major cities
  (RU_CITIES, as the English tagger's CITIES) name their country: datelines tell the item's.
* `RU_INDICATOR_SYNONYMS`, `RU_LABOUR_LEMMAS`, `find_indicator_ru(figure)` — the indicator a
  Russian figure speaks of, as `check.find_indicator` does for English: lemma phrases in what
  the figure counts first, then in its clause, then near it in the sentence. The pair
  indicators are given only when the sentence names both ends: `migrant_stock` an origin
  ("уроженцев Таджикистана", "армян") and a residence ("в России"), the corridor cost a
  sending country ("из России"). `labour_phrase_ru` says when the wording counts labour
  migrants only (a different definition from the emigrant stock).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from migprofile.news.attribution import clauses
from migprofile.news.figures import (
    Taken,
    cut_sentences,
    figures_by_sentence,
    period_years,
    words,
)
from migprofile.news.model import GeoMention, QuotedFigure
from migprofile.news.vocabulary import INDICATOR_UNITS

__all__ = [
    "RU_INDICATOR_SYNONYMS",
    "RU_INDICATOR_UNITS",
    "RU_LABOUR_LEMMAS",
    "extract_figures_ru",
    "find_indicator_ru",
    "geo_mentions_ru",
    "is_russian",
    "labour_phrase_ru",
    "lemmas",
    "reference_amounts_ru",
    "split_sentences_ru",
]


# -- morphology -----------------------------------------------------------------------------------
@cache
def _morph() -> Any:
    """One analyser for the process (loading the dictionaries takes ~0.2 s)."""
    import pymorphy3  # type: ignore[import-untyped]

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=200_000)
def _parses(word: str) -> tuple[tuple[str, str, float], ...]:
    """(normal form, tag, score) of each reading of a lower-cased word; ё read as е."""
    return tuple(
        (p.normal_form.replace("ё", "е"), str(p.tag), p.score) for p in _morph().parse(word)
    )


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "'")


def _lemma(word: str) -> str:
    parses = _parses(_norm(word))
    return parses[0][0] if parses else _norm(word)


_WORD_RE = re.compile(r"[A-Za-zА-Яа-яЁё][A-Za-zА-Яа-яЁё0-9'’]*(?:-[A-Za-zА-Яа-яЁё0-9'’]+)*")
_TOKEN_RE = re.compile(_WORD_RE.pattern + r"|\d+(?:[.,]\d+)?|[^\s\w]")


@dataclass
class _Tok:
    start: int
    end: int
    text: str
    low: str
    is_word: bool

    @property
    def parses(self) -> tuple[tuple[str, str, float], ...]:
        return _parses(self.low) if self.is_word else ()

    @property
    def lemma(self) -> str:
        p = self.parses
        return p[0][0] if p else self.low

    @property
    def pos(self) -> str:
        p = self.parses
        return p[0][1].split(",")[0].split(" ")[0] if p else ""


def _tokens(text: str) -> list[_Tok]:
    return [
        _Tok(
            m.start(), m.end(), m.group(0), _norm(m.group(0)), bool(_WORD_RE.fullmatch(m.group(0)))
        )
        for m in _TOKEN_RE.finditer(text)
    ]


def lemmas(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lemma) of every word of `text` (ё read as е): what the checker matches."""
    return [(t.start, t.end, t.lemma) for t in _tokens(text) if t.is_word]


def is_russian(text: str) -> bool:
    """Most letters are Cyrillic (and there are some letters at all)."""
    cyr = len(re.findall(r"[А-Яа-яЁё]", text))
    lat = len(re.findall(r"[A-Za-z]", text))
    return cyr > 0 and cyr >= 2 * lat


# -- sentences ------------------------------------------------------------------------------------
_SENT_END_RU = re.compile(
    r"(?<=[.!?…])[\"'»”)]?\s+(?=[\"'«“(—–-]?\s?[А-ЯЁA-Z0-9])|\n\s*\n|\n(?=\s*[-•*—]\s)"
)
_NO_END = re.compile(
    r"(?:\b(?:т\.\s?е|т\.\s?д|т\.\s?п|т\.\s?ч|др|им|ст|стр|см|ул|пр|п|рис|тел|гр|прим|ред|"
    r"акад|проф|д-р|чл|наб|пл|просп|обл|р-н|с|ср|напр|вкл|искл)\.$)|(?-i:\b[А-ЯЁA-Z]\.$)",
    re.IGNORECASE,
)


def _no_end_ru(text: str, m: re.Match[str], start: int) -> bool:
    tail = text[max(start, m.start() - 12) : m.start()]
    if _NO_END.search(tail.rstrip()):
        return True
    if re.search(r"(?:долл|дол)\.$", tail) and text.startswith("США", m.end()):
        return True
    city = re.search(r"(\S*)\s*\bг{1,2}\.$", tail)
    # "в г. Москве": the city, not "2022 г." closing a sentence
    return bool(city and not city.group(1)[-1:].isdigit())


def split_sentences_ru(text: str) -> list[tuple[int, int, str]]:
    """(start, end, sentence) for each sentence; abbreviations ("т.е.", "ст.", initials, "г."
    for a city) and "долл. США" do not end one; "2022 г." followed by a capital does."""
    return cut_sentences(text, _SENT_END_RU, _no_end_ru)


# -- countries ------------------------------------------------------------------------------------
# Short and alternative forms the press uses besides CLDR's names and OFFICIAL_NAMES.
RU_EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "RUS": ("Россия", "РФ", "Российская Федерация"),
    "USA": ("США", "Соединенные Штаты", "Соединенные Штаты Америки"),
    "MDA": ("Молдова", "Молдавия", "Республика Молдова"),
    "KGZ": ("Кыргызстан", "Киргизия", "Киргизстан", "Кыргызская Республика"),
    "BLR": ("Беларусь", "Белоруссия", "Республика Беларусь"),
    "GBR": ("Великобритания", "Британия", "Соединенное Королевство", "Англия"),
    "TUR": ("Турция", "Турецкая Республика", "Турция"),
    "ARE": ("ОАЭ", "Объединенные Арабские Эмираты"),
    "CZE": ("Чехия", "Чешская Республика"),
    "ARM": ("Армения", "Республика Армения"),
    "AZE": ("Азербайджан", "Азербайджанская Республика"),
    "GEO": ("Грузия",),
    "KAZ": ("Казахстан", "Республика Казахстан"),
    "UZB": ("Узбекистан", "Республика Узбекистан"),
    "TJK": ("Таджикистан", "Республика Таджикистан"),
    "TKM": ("Туркменистан", "Туркмения"),
    "UKR": ("Украина",),
    "SRB": ("Сербия", "Республика Сербия"),
    "ALB": ("Албания", "Республика Албания"),
    "MNE": ("Черногория",),
    "BIH": ("Босния и Герцеговина", "Босния"),
    "MKD": ("Северная Македония", "Македония", "Республика Северная Македония"),
    "XKX": ("Косово",),
    "DEU": ("Германия", "ФРГ"),
    "KOR": ("Южная Корея", "Республика Корея"),
    "PRK": ("КНДР", "Северная Корея"),
    "CHN": ("Китай", "КНР"),
    "COD": ("ДР Конго", "ДРК", "Демократическая Республика Конго"),
    "COG": ("Республика Конго",),
    "NLD": ("Нидерланды", "Голландия"),
    "ZAF": ("ЮАР",),
    "PNG": ("Папуа — Новая Гвинея",),
}

# Capitals and major cities, as the English tagger's CITIES: datelines ("ЕРЕВАН, 15 марта —
# Sputnik") and "в Москве" tell the item's country. Role as for a country's name.
RU_CITIES: dict[str, str] = {
    "Кишинев": "MDA", "Бельцы": "MDA", "Киев": "UKR", "Львов": "UKR", "Харьков": "UKR",
    "Одесса": "UKR", "Минск": "BLR", "Москва": "RUS", "Санкт-Петербург": "RUS",
    "Петербург": "RUS", "Ереван": "ARM", "Гюмри": "ARM", "Тбилиси": "GEO", "Батуми": "GEO",
    "Кутаиси": "GEO", "Баку": "AZE", "Душанбе": "TJK", "Худжанд": "TJK", "Бишкек": "KGZ",
    "Ош": "KGZ", "Ташкент": "UZB", "Самарканд": "UZB", "Астана": "KAZ", "Алматы": "KAZ",
    "Алма-Ата": "KAZ", "Ашхабад": "TKM", "Белград": "SRB", "Тирана": "ALB", "Сараево": "BIH",
    "Подгорица": "MNE", "Скопье": "MKD", "Приштина": "XKX", "Бухарест": "ROU",
    "Варшава": "POL", "Берлин": "DEU", "Рим": "ITA", "Мадрид": "ESP", "Париж": "FRA",
    "Лондон": "GBR", "Анкара": "TUR", "Стамбул": "TUR", "Тель-Авив": "ISR",
    "Иерусалим": "ISR", "Дамаск": "SYR", "Кабул": "AFG", "Вашингтон": "USA",
    "Нью-Йорк": "USA", "Дубай": "ARE", "Сеул": "KOR", "Пекин": "CHN",
}  # fmt: skip

# Demonyms (any case, any number; lemmatised) -> ISO3. Role "people".
_DEMONYMS: dict[str, tuple[str, ...]] = {
    "ARM": ("армянин", "армяне"),
    "GEO": ("грузин", "грузины"),
    "AZE": ("азербайджанец", "азербайджанцы"),
    "MDA": ("молдаванин", "молдаване", "молдованин", "молдоване"),
    "TJK": ("таджик", "таджики", "таджикистанец", "таджикистанцы"),
    "UZB": ("узбек", "узбеки", "узбекистанец", "узбекистанцы"),
    "KGZ": ("кыргыз", "кыргызы", "киргиз", "киргизы", "кыргызстанец", "кыргызстанцы"),
    "KAZ": ("казах", "казахи", "казахстанец", "казахстанцы"),
    "TKM": ("туркмен", "туркмены", "туркменистанец"),
    "UKR": ("украинец", "украинцы"),
    "BLR": ("белорус", "белорусы"),
    "RUS": ("россиянин", "россияне"),
    "SRB": ("серб", "сербы"),
    "ALB": ("албанец", "албанцы"),
    "BIH": ("босниец", "боснийцы"),
    "MNE": ("черногорец", "черногорцы"),
    "MKD": ("македонец", "македонцы"),
    "XKX": ("косовар", "косовары", "косовец", "косовцы"),
    "ITA": ("итальянец", "итальянцы"),
    "DEU": ("немец", "немцы"),
    "FRA": ("француз", "французы"),
    "POL": ("поляк", "поляки"),
    "CZE": ("чех", "чехи"),
    "TUR": ("турок", "турки"),
    "USA": ("американец", "американцы"),
    "GBR": ("британец", "британцы"),
    "ESP": ("испанец", "испанцы"),
    "PRT": ("португалец", "португальцы"),
    "GRC": ("грек", "греки"),
    "ROU": ("румын", "румыны"),
    "BGR": ("болгарин", "болгары"),
    "LTU": ("литовец", "литовцы"),
    "LVA": ("латыш", "латыши"),
    "EST": ("эстонец", "эстонцы"),
    "ISR": ("израильтянин", "израильтяне"),
    "CHN": ("китаец", "китайцы"),
    "IND": ("индиец", "индийцы"),
    "AFG": ("афганец", "афганцы"),
    "SYR": ("сириец", "сирийцы"),
    "IRQ": ("иракец", "иракцы"),
    "IRN": ("иранец", "иранцы"),
    "PAK": ("пакистанец", "пакистанцы"),
    "HUN": ("венгр", "венгры"),
    "SVK": ("словак", "словаки"),
    "AUT": ("австриец", "австрийцы"),
    "CAN": ("канадец", "канадцы"),
    "VNM": ("вьетнамец", "вьетнамцы"),
    "HRV": ("хорват", "хорваты"),
    "SVN": ("словенец", "словенцы"),
}

# Country adjectives -> ISO3, role "in" ("турецкие власти", "армянская экономика").
_ADJECTIVES: dict[str, str] = {
    "российский": "RUS", "армянский": "ARM", "грузинский": "GEO", "азербайджанский": "AZE",
    "молдавский": "MDA", "молдовский": "MDA", "таджикский": "TJK", "таджикистанский": "TJK",
    "узбекский": "UZB", "узбекистанский": "UZB", "кыргызский": "KGZ", "киргизский": "KGZ",
    "кыргызстанский": "KGZ", "казахстанский": "KAZ", "туркменский": "TKM",
    "туркменистанский": "TKM", "украинский": "UKR", "белорусский": "BLR", "турецкий": "TUR",
    "сербский": "SRB", "албанский": "ALB", "боснийский": "BIH", "черногорский": "MNE",
    "северомакедонский": "MKD", "македонский": "MKD", "косовский": "XKX",
    "итальянский": "ITA", "германский": "DEU", "немецкий": "DEU", "польский": "POL",
    "французский": "FRA", "испанский": "ESP", "американский": "USA", "британский": "GBR",
    "чешский": "CZE", "израильский": "ISR", "китайский": "CHN", "эмиратский": "ARE",
}  # fmt: skip
_PEOPLE_GROUPS = frozenset(["диаспора", "община", "землячество", "семья", "эмиграция"])
_LANGUAGE_NOUNS = frozenset(["язык", "языковой", "алфавит", "письменность", "кухня"])

# Nouns whose genitive complement is an origin: "уроженцы Армении", "граждане Таджикистана".
_ORIGIN_NOUNS = frozenset(
    words(
        "уроженец уроженка выходец гражданин гражданка подданный мигрант эмигрант иммигрант "
        "беженец переселенец репатриант соотечественник трудящийся работник"
    )
)
# Lemma beginnings that make "в/на" + an ambiguous case a destination.
_MOTION = (
    "перевод", "перевест", "переводить", "отправ", "уех", "уезжа", "выех", "выезжа", "направ",
    "переех", "переезжа", "приех", "приезжа", "въех", "въезжа", "въезд", "выезд", "вернут",
    "возвращ", "возврат", "мигрир", "эмигрир", "депорт", "высла", "высыла", "прибы", "бежа",
    "перечисл", "поток", "экспорт", "поехать", "ехать", "отъезд", "переселя", "переселит",
)  # fmt: skip
_COORD = frozenset([",", "и", "или", "либо", "а", "также"])


def _is_geox(tag: str) -> bool:
    return "Geox" in tag or "Abbr" in tag


@dataclass(frozen=True)
class _Name:
    iso3: str
    lemmas: tuple[str, ...]
    kind: str  # name | demonym | adjective


def _name_lemma(word: str) -> str:
    """A name word's lemma: the word itself when it is a dictionary form (names are written in
    the nominative: "Ливан", not the plural reading "Ливаны"), else its geographic reading's,
    else the likeliest."""
    parses = _parses(_norm(word))
    if any(nf == _norm(word) for nf, _t, _s in parses):
        return _norm(word)
    for nf, tag, _s in parses:
        if _is_geox(tag):
            return nf
    return parses[0][0] if parses else _norm(word)


def _split_name(name: str) -> list[str]:
    name = re.sub(r"\(.*?\)", " ", name)
    return [m.group(0) for m in _WORD_RE.finditer(name)]


@cache
def _name_index() -> dict[str, list[_Name]]:
    """First lemma -> the names starting with it (longest first)."""
    from migprofile.geo.countries import load_countries
    from migprofile.geo.world_names import EXTRA_USER_NAMES, OFFICIAL_NAMES, place_name

    names: set[tuple[str, tuple[str, ...], str]] = set()

    def add(iso3: str, name: str, kind: str = "name") -> None:
        if "о-в" in name or "о-ва" in name or " - " in name:
            return  # small islands ("о-ва Кука") and CLDR's "Конго - Киншаса" forms
        words = _split_name(name)
        if not words:
            return
        lem = tuple(_name_lemma(w) for w in words)
        names.add((iso3, lem, kind))

    for c in load_countries():
        if c.obsolete:
            continue
        cldr = place_name(c.iso3, "ru")
        if cldr:
            add(c.iso3, cldr)
    for iso3, name in OFFICIAL_NAMES.get("ru", {}).items():
        add(iso3, name)
    for name, iso3 in EXTRA_USER_NAMES.items():
        if re.search(r"[А-Яа-яЁё]", name) and not re.search(r"[ҚқҷҶәӘ]|ј|Ј", name):
            add(iso3, name)
    for iso3, forms in RU_EXTRA_NAMES.items():
        for name in forms:
            add(iso3, name)
    for name, iso3 in RU_CITIES.items():
        add(iso3, name)
    for iso3, forms in _DEMONYMS.items():
        for name in forms:
            for nf in {p[0] for p in _parses(_norm(name)) if p[1].startswith("NOUN")}:
                names.add((iso3, (nf,), "demonym"))
    for adj, iso3 in _ADJECTIVES.items():
        names.add((iso3, (adj,), "adjective"))
    # a lemma sequence two countries share names neither
    owners: dict[tuple[str, ...], set[str]] = {}
    for iso3, lem, _k in names:
        owners.setdefault(lem, set()).add(iso3)
    index: dict[str, list[_Name]] = {}
    for iso3, lem, kind in sorted(names):
        if len(owners[lem]) > 1:
            continue
        index.setdefault(lem[0], []).append(_Name(iso3, lem, kind))
    for lst in index.values():
        lst.sort(key=lambda n: -len(n.lemmas))
    return index


def _candidates(tok: _Tok) -> set[str]:
    """Every lemma a word form may have, and the form itself (indeclinable names)."""
    return {p[0] for p in tok.parses} | {tok.low}


_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2", "gen2", "voct", "acc2")


def _cases_of(tok: _Tok, lemma: str) -> set[str]:
    cases: set[str] = set()
    for nf, tag, _s in tok.parses:
        if nf != lemma:
            continue
        found = [c for c in _CASES if c in tag]
        cases.update(found)
        if "Fixd" in tag:
            cases.update(("nomn", "gent", "datv", "accs", "ablt", "loct"))
    if not cases:
        cases.update(("nomn", "gent", "datv", "accs", "ablt", "loct"))
    return {"loct" if c == "loc2" else "gent" if c == "gen2" else c for c in cases}


def _match_at(toks: list[_Tok], i: int) -> tuple[_Name, int] | None:
    """The longest name starting at token i, and the index after it."""
    tok = toks[i]
    if not tok.is_word:
        return None
    index = _name_index()
    best: tuple[_Name, int] | None = None
    for lem in _candidates(tok):
        for name in index.get(lem, ()):
            n = len(name.lemmas)
            if best and n <= len(best[0].lemmas):
                continue
            j, k = i, 0
            while k < n and j < len(toks):
                if k and toks[j].text in ("—", "–", "-") and j + 1 < len(toks):
                    j += 1  # "Папуа — Новая Гвинея"
                    continue
                if not toks[j].is_word or name.lemmas[k] not in _candidates(toks[j]):
                    break
                j += 1
                k += 1
            if k == n:
                best = (name, j)
    if best is None:
        return None
    name, j = best
    if name.iso3 == "USA" and i > 0:
        k = i - 1 if toks[i - 1].is_word or i < 2 else i - 2
        if toks[k].low.startswith(("долл", "дол")):
            return None  # "долларов США", "долл. США": the currency
    if name.kind == "name":
        if not tok.text[0].isupper():
            return None  # "того", "мали", "чадить": names are written with a capital
        if tok.low in _HOMOGRAPHS and (i == 0 or toks[i - 1].text in _OPENERS):
            return None  # sentence-initial "Того же мнения": the pronoun
        if j == i + 1 and j < len(toks) and _person_name(tok, toks[j]):
            return None  # "Сальвадор Дали", "Израиль Моисеевич": a person
    elif name.kind == "adjective":
        if not any(p[0] == name.lemmas[0] and p[1].startswith("ADJF") for p in tok.parses):
            return None
        if j < len(toks) and toks[j].lemma in _LANGUAGE_NOUNS:
            return None  # "армянский язык": a language
    elif name.kind == "demonym" and not any(
        p[0] == name.lemmas[0] and p[1].startswith("NOUN") for p in tok.parses
    ):
        return None
    return best


# Country names that are also common words capitalised at a sentence's start.
_HOMOGRAPHS = frozenset(["того"])
_OPENERS = frozenset(["«", '"', "(", "—", "-", "–", "“", "„"])


def _person_name(tok: _Tok, nxt: _Tok) -> bool:
    """A first name ('Сальвадор', 'Израиль', 'Доминика') followed by a capitalised surname or
    patronymic."""
    return (
        any("Name" in tag for _n, tag, _s in tok.parses)
        and nxt.is_word
        and nxt.text[:1].isupper()
        and any("Surn" in tag or "Patr" in tag for _n, tag, _s in nxt.parses)
    )


def _motion_before(toks: list[_Tok], i: int) -> bool:
    """A motion word among the four words before i, within its clause and before any other
    verb ("переводов в Таджикистан приходится на Россию": the share's verb, not a motion)."""
    for t in reversed(toks[max(0, i - 4) : i]):
        if not t.is_word:
            return False  # a comma or a dash ends the clause
        if t.lemma.startswith(_MOTION):
            return True
        if t.pos in ("VERB", "INFN"):
            return False
    return False


def _role(toks: list[_Tok], i: int, name: _Name, prev: GeoMention | None, prev_end: int) -> str:
    if name.kind == "demonym":
        return "people"
    if name.kind == "adjective":
        # "армянские мигранты", "таджикские трудовые мигранты", "армянская диаспора": the
        # country's people; "армянская экономика", "турецкие власти": the country itself
        for t in toks[i + 1 : i + 4]:
            if not t.is_word:
                break
            if t.lemma in _PEOPLE_LEMMAS or t.lemma in _PEOPLE_GROUPS:
                return "people"
            if t.pos not in ("ADJF", "PRTF"):
                break
        return "in"
    cases = _cases_of(toks[i], name.lemmas[0])
    # coordination: "из России и Казахстана", "в Армению, Грузию и Азербайджан"
    if prev is not None and prev.role in ("in", "to", "from") and prev_end < i:
        between = [t.low for t in toks[prev_end:i]]
        fits = {"from": {"gent"}, "to": {"accs", "datv"}, "in": {"loct", "gent", "datv"}}
        if between and all(w in _COORD for w in between) and cases & fits[prev.role]:
            return prev.role  # the same case as the first: "Переводы из России, Армения ..." no
    j = i - 1
    skipped = 0
    while j >= 0 and skipped < 2 and toks[j].is_word and toks[j].pos in ("ADJF", "PRTF"):
        j -= 1  # "в соседнюю Армению", "из самой России"
        skipped += 1
    if j < 0:
        return "plain"
    before = toks[j]
    w = before.low
    if w in ("в", "во"):
        loc, acc = "loct" in cases, "accs" in cases
        if acc and not loc:
            return "to"
        if loc and not acc:
            return "in"
        return "to" if _motion_before(toks, j) else "in"
    if w == "на":
        if "accs" in cases and _motion_before(toks, j):
            return "to"
        return "in"
    if w in ("из", "изо", "от") or (w == "с" and "gent" in cases):
        return "from"
    if w in ("к", "ко"):
        return "to"
    if w == "по" and "datv" in cases:
        return "in"
    if before.is_word and "gent" in cases:
        if before.lemma in ("предел", "граница") and j > 0 and toks[j - 1].low == "за":
            return "from"  # "за пределами Кыргызстана": its people abroad
        if before.lemma in _ORIGIN_NOUNS:
            return "from"  # "уроженцы Армении", "граждане Таджикистана"
        if before.pos == "NOUN" or "Abbr" in (before.parses[0][1] if before.parses else ""):
            return "in"  # "ВВП Армении", "население Грузии"
    return "plain"


@cache
def _name_words() -> frozenset[str]:
    """Every lemma any name is made of ('ян-майен' of 'Шпицберген и Ян-Майен')."""
    return frozenset(lem for names in _name_index().values() for n in names for lem in n.lemmas)


def _split_pairs(toks: list[_Tok]) -> list[_Tok]:
    """'Россия-Узбекистан', 'армяно-азербайджанский' written as one word: its capitalised
    parts as words when the whole is no name ('Гвинея-Бисау', 'Нью-Йорк' stay whole)."""
    words = _name_words()
    out: list[_Tok] = []
    for t in toks:
        parts = t.text.split("-")
        if (
            not t.is_word
            or len(parts) < 2
            or not all(p[:1].isupper() for p in parts)
            or not words.isdisjoint(_candidates(t))
        ):
            out.append(t)
            continue
        pos = t.start
        for n, part in enumerate(parts):
            if n:
                out.append(_Tok(pos, pos + 1, "-", "-", False))
                pos += 1
            out.append(_Tok(pos, pos + len(part), part, _norm(part), True))
            pos += len(part)
    return out


def geo_mentions_ru(sentence: str) -> list[GeoMention]:
    """Every country the sentence names, with offsets in it and a role (module docstring)."""
    toks = _split_pairs(_tokens(sentence))
    out: list[GeoMention] = []
    prev_end = -1
    i = 0
    while i < len(toks):
        found = _match_at(toks, i)
        if found is None:
            i += 1
            continue
        name, j = found
        role = _role(toks, i, name, out[-1] if out else None, prev_end)
        a, b = toks[i].start, toks[j - 1].end
        out.append(GeoMention(geo=name.iso3, start=a, end=b, role=role, text=sentence[a:b]))
        prev_end = j
        i = j
    _corridors(toks, out)
    return out


_CORRIDOR_NOUNS = frozenset(["коридор", "направление", "маршрут", "канал"])


def _corridors(toks: list[_Tok], out: list[GeoMention]) -> None:
    """'в коридоре Россия — Узбекистан': the first country sends, the second receives."""
    starts = {t.start: k for k, t in enumerate(toks)}
    for a, b in itertools.pairwise(out):
        ka, kb = starts.get(a.start), starts.get(b.start)
        if ka is None or kb is None or a.role not in ("plain", "in") or b.role != "plain":
            continue
        between = [t.text for t in toks[ka + 1 : kb] if not t.is_word or t.low == "-"]
        words_between = [t for t in toks[ka + 1 : kb] if t.is_word]
        if words_between or not between or not all(x in "—–-" for x in between):
            continue
        before = [t.lemma for t in toks[max(0, ka - 3) : ka] if t.is_word]
        if _CORRIDOR_NOUNS & set(before):
            a.role, b.role = "from", "to"


# -- figures: vocabulary --------------------------------------------------------------------------
_SP = "[ \u00a0\u202f]"
_SCALES_RE = (
    r"(?P<scale>тысяч(?:ами|ам|ах|а|и|у)?|тыс\.?|миллион(?:ами|ов|а|ы)?|млн\.?|"
    r"миллиард(?:ами|ов|а|ы)?|млрд\.?|триллион(?:ов|а|ы)?|трлн\.?)(?![а-яё])"
)
_PCT_RE = (
    r"(?P<pct>" + _SP + r"?%|" + _SP + r"(?:процентн\w*\s+пункт\w*|п\.\s?п\.|процент\w*|"
    r"проц\.)(?![а-яё]))"
)
_CUR_WORDS_RE = (
    r"(?P<curw>(?:доллар(?:ов|ами|ам|а|ы)?|долл\.?)(?:" + _SP + r"США)?|дол\.(?:" + _SP + r"США)?|"
    r"USD|US\$|\$|евро|EUR|€|рубл(?:ей|ями|ям|я|ь)|руб\.?|₽|RUB|сомони|драм(?:ов|а)?|"
    r"лар[иы]|тенге|гривен|гривн[аыи]?|леев|лей|сум(?:ов|а)?|манат(?:ов|а)?)(?![а-яёa-z])"
)
_NUM_RE = (
    r"(?<![\w.,/+])(?P<num>\d{1,3}(?:" + _SP + r"\d{3})+(?:,\d+)?(?!\d)|\d+(?:[.,]\d+)?)"
    r"(?![A-Za-z])"  # 5G, 3D, 4K: names, not numbers
)
_FIG_RE = re.compile(
    r"(?:(?P<cur>US\$|\$|€|USD|EUR|RUB|₽)" + _SP + r"?)?"
    + _NUM_RE
    + r"(?:" + _SP + r"?" + _SCALES_RE + r")?"
    + _PCT_RE + r"?"
    + r"(?:" + _SP + r"?" + _CUR_WORDS_RE + r")?",
    re.IGNORECASE,
)  # fmt: skip


_OTHER_CURRENCIES = (
    ("сомони", "TJS"), ("драм", "AMD"), ("лар", "GEL"), ("тенге", "KZT"), ("грив", "UAH"),
    ("ле", "MDL"), ("сум", "UZS"), ("манат", "AZN"),
)  # fmt: skip


def _currency(word: str) -> str:
    w = word.lower()
    if "$" in w or w.startswith(("дол", "usd")):
        return "US$"
    if w in ("евро", "eur", "€"):
        return "EUR"
    if w.startswith(("руб", "rub", "₽")):
        return "RUB"
    for prefix, code in _OTHER_CURRENCIES:
        if w.startswith(prefix):
            return code
    return "US$"


def _scale(word: str) -> float:
    w = word.lower()
    if w.startswith("тыс"):
        return 1e3
    if w.startswith(("млн", "миллион")):
        return 1e6
    if w.startswith(("млрд", "миллиард")):
        return 1e9
    if w.startswith(("трлн", "триллион")):
        return 1e12
    return 1.0


def _times(value: float, scale: float) -> float:
    """value × scale in decimal: "8,2 млрд" is 8200000000, not 8199999999.999999."""
    return float(Decimal(repr(value)) * Decimal(repr(scale)))


def parse_number_ru(raw: str, *, has_scale: bool = False) -> float:
    """'317 900' -> 317900; '1,16' -> 1.16 (a comma is decimal in Russian); '1.200' -> 1200
    with no scale word after it, else 1.2."""
    s = re.sub(_SP, "", raw.strip())
    if "," in s:
        return float(s.replace(".", "").replace(",", "."))
    if s.count(".") > 1:
        return float(s.replace(".", ""))
    if "." in s:
        head, tail = s.split(".")
        if len(tail) == 3 and not has_scale and head != "0":
            return float(head + tail)
    return float(s)


_NUM_LEMMAS: dict[str, float] = {
    "ноль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7,
    "восемь": 8, "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12,
    "тринадцать": 13, "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16,
    "семнадцать": 17, "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20, "тридцать": 30,
    "сорок": 40, "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80,
    "девяносто": 90, "сто": 100, "двести": 200, "триста": 300, "четыреста": 400,
    "пятьсот": 500, "шестьсот": 600, "семьсот": 700, "восемьсот": 800, "девятьсот": 900,
    "полтора": 1.5,
}  # fmt: skip
_SCALE_LEMMAS = {"тысяча": 1e3, "миллион": 1e6, "миллиард": 1e9, "триллион": 1e12}
_HALF_SCALES = {"полмиллиона": 5e5, "полмиллиарда": 5e8, "полтысячи": 500.0}
_ORDINALS = {
    "второй": 2, "третий": 3, "четвертый": 4, "пятый": 5, "шестой": 6, "седьмой": 7,
    "восьмой": 8, "девятый": 9, "десятый": 10, "двадцатый": 20, "сотый": 100,
}  # fmt: skip
_FRACTIONS = {"половина": 2, "треть": 3, "четверть": 4}
_NOT_SHARE_NEXT = frozenset(
    words("год месяц день век столетие час неделя квартал десятилетие жизнь срок путь")
)

# Qualifiers (Russian, lower case, before the number) -> the checker's English words.
_QUALIFIERS_RU: list[tuple[str, str]] = sorted(
    [
        ("более чем", "more than"), ("больше чем", "more than"), ("более", "more than"),
        ("больше", "more than"), ("свыше", "more than"),
        ("менее чем", "less than"), ("меньше чем", "less than"), ("менее", "less than"),
        ("меньше", "less than"), ("около", "about"), ("примерно", "about"),
        ("порядка", "about"), ("приблизительно", "about"), ("ориентировочно", "about"),
        ("почти", "almost"), ("практически", "almost"), ("едва ли не", "almost"),
        ("без малого", "almost"), ("чуть менее", "almost"), ("чуть меньше", "almost"),
        ("не менее", "at least"), ("не меньше", "at least"), ("как минимум", "at least"),
        ("по меньшей мере", "at least"), ("по крайней мере", "at least"),
        ("не более", "at most"), ("не больше", "at most"), ("до", "up to"),
        ("ниже", "less than"), ("выше", "more than"),
        ("чуть более", "more than"), ("чуть больше", "more than"),
        ("превысил", "more than"), ("превысила", "more than"), ("превысило", "more than"),
        ("превысили", "more than"), ("превышает", "more than"), ("превышают", "more than"),
        ("превышал", "more than"), ("превышала", "more than"), ("превышало", "more than"),
        ("немногим более", "more than"), ("более чем на", "more than"),
    ],
    key=lambda q: -len(q[0]),
)  # fmt: skip
_CHANGE_STEMS = (
    "вырос", "вырас", "увелич", "сократ", "сокращ", "сниз", "сниж", "упа", "пада", "подня",
    "поднима", "опуст", "возрос", "возраст", "повыс", "повыш", "пониз", "достиг", "дорос",
    "уменьш", "прибав", "ускор", "замедл", "с ",
)  # fmt: skip

# Words before a number that make it a reference (lemmas), not a quantity.
_REFERENCE_LEMMAS = frozenset(
    words(
        """статья ст страница стр пункт п подпункт раздел глава приложение таблица рисунок рис
    резолюция цур задача закон указ постановление приказ протокол конвенция номер №
    тел телефон факс covid ковид версия кабинет офис дом корпус этаж аудитория маршрут
    трасса рейс код индекс параграф часть абзац шаг этап волна раунд уровень класс"""
    )
)
_DURATION_RE = re.compile(
    _SP + r"?(?:лет|год(?:а|у|ом|ы)?|месяц\w*|мес\.|недел\w*|дн(?:ей|я)|день|сут\w*|"
    r"час(?:а|ов)?|минут\w*|секунд\w*|век\w*|раз(?:а)?)(?![а-яё])",
    re.IGNORECASE,
)
_MONTHS_GEN = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_MASKS_RU = [
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b\d{1,2}[./]\d{1,2}[./]\d{2,4}\b"),
    re.compile(r"\b\d{1,2}(?:[\-–]\d{1,2})?" + _SP + r"+(?:" + _MONTHS_GEN + r")(?![а-яё])", re.I),
    re.compile(r"\b\d{1,2}:\d{2}\b"),
    re.compile(r"\+\d[\d\s().\-]{6,}\d"),
    re.compile(r"\b8" + _SP + r"?[\-(]?\d{3}[)\-]?" + _SP + r"?\d{3}[\-\s]\d{2}[\-\s]\d{2}\b"),
    re.compile(r"\b(?:тел|телефон|факс|горяч\w+\s+лини\w+)\b\.?:?\s*[\d\s().\-+]{3,}\d", re.I),
    re.compile(r"\b\d{2,4}-\d{2}-\d{2}\b"),
    re.compile(r"\d+[\-–]?(?:летн|лет)\w*", re.I),  # 25-летний
    re.compile(r"\d+-(?:[а-яё]{1,3})(?![а-яё])", re.I),  # 2020-м, 5-й, 90-х
    re.compile(r"возраст\w*" + _SP + r"+(?:от" + _SP + r"+)?\d+(?:\s*(?:до|[\-–])\s*\d+)?", re.I),
    re.compile(r"(?:старше|младше|моложе)" + _SP + r"+\d+", re.I),
    re.compile(r"(?:от" + _SP + r"+)?\d+\s*(?:до|[\-–])\s*\d+" + _SP + r"+лет", re.I),
    re.compile(r"(?m)^\s*\d{1,2}[.)](?=\s)"),
    re.compile(r"(?:COVID|Covid|ковид|КОВИД)-?\d+", re.I),
    re.compile(r"№" + _SP + r"?\d[\d\-/]*"),
]
_YEAR_RE = re.compile(r"(?<![\d.,$€])(?P<y>19[5-9]\d|20[0-4]\d)(?![\d%]|[.,]\d)")
_PERIOD_RES = [
    re.compile(
        r"\b(?:с|между|в\s+период\s+с)\s+(?P<a>(?:19|20)\d{2})\s+(?:г\.|года?\s+)?(?:по|до|и)\s+"
        r"(?P<b>(?:19|20)\d{2})(?!\d)",
        re.I,
    ),
    re.compile(r"(?<![\w\-])(?P<a>(?:19|20)\d{2})\s?[\-–—/]\s?(?P<b>(?:19|20)?\d{2})(?![\d\-])"),
]

# people nouns (lemmas): a figure counting them is in "persons"
_PEOPLE_LEMMAS = frozenset(
    words(
        """человек люди мигрант эмигрант иммигрант беженец гражданин гражданка уроженец выходец
    работник рабочий житель ребенок дети женщина мужчина студент переселенец соотечественник
    лицо иностранец апатрид пострадавший жертва репатриант возвращенец трудящийся специалист
    сотрудник пенсионер школьник учащийся девушка девочка мальчик подросток турист
    путешественник пассажир участник соискатель проситель заявитель гастарбайтер
    несовершеннолетний взрослый молодой переселенка мать отец сирота волонтер врач медсестра
    учитель фермер предприниматель выпускник безработный занятый нелегал"""
    )
)
_DEMONYM_LEMMAS_CACHE: set[str] = set()


def _demonym_lemmas() -> set[str]:
    if not _DEMONYM_LEMMAS_CACHE:
        for forms in _DEMONYMS.values():
            for f in forms:
                _DEMONYM_LEMMAS_CACHE.add(_lemma(f))
    return _DEMONYM_LEMMAS_CACHE


@dataclass
class _Raw:
    start: int
    end: int
    value: float
    unit: str
    pct: bool = False
    money: bool = False
    q_start: int | None = None  # where the sign before the number begins
    scale: float = 1.0


# -- figures: extraction --------------------------------------------------------------------------
def _word_before(sentence: str, pos: int) -> str:
    m = re.search(r"([№\w][\w.\-]*)\s*[:#]?\s*$", sentence[max(0, pos - 30) : pos])
    return m.group(1).rstrip(".").lower() if m else ""


def _is_reference(sentence: str, pos: int) -> bool:
    w = _word_before(sentence, pos)
    return bool(w) and (w in _REFERENCE_LEMMAS or _lemma(w) in _REFERENCE_LEMMAS)


def _qualifier_ru(sentence: str, pos: int) -> tuple[str, int]:
    """(English qualifier, where its Russian words start) for the words before `pos`."""
    before = sentence[max(0, pos - 40) : pos].lower()
    for ru, en in _QUALIFIERS_RU:
        m = re.search(r"(?:^|[\s(,—–\-«])(" + re.escape(ru) + r")" + r"\s+(?:чем\s+)?$", before)
        if not m:
            continue
        if ru == "до":
            prior = sentence[max(0, pos - 60) : pos - len(before) + m.start(1)].lower()
            if any(s in prior for s in _CHANGE_STEMS) or re.search(r"\bс\s+\S+\s+$", prior):
                return "", pos  # "выросли с 5 до 10%", "сократилось до 3%": the value reached
        return en, max(0, pos - len(before)) + m.start(1)
    return "", pos


def _sign(sentence: str, pos: int) -> tuple[float, int]:
    """(-1, where the sign starts) when the number is stated negative, else (1, pos)."""
    m = re.search(r"(?:^|[\s(:])(минус" + _SP + r"+|[−\-–])$", sentence[max(0, pos - 8) : pos])
    if m:
        return -1.0, pos - len(m.group(1))
    return 1.0, pos


def _digit_figures(sentence: str, taken: Taken, raw: list[_Raw]) -> None:
    for m in _FIG_RE.finditer(sentence):
        a, b = m.start(), m.end()
        if not taken.free(a, b):
            continue
        num = m.group("num")
        scale = m.group("scale") or ""
        pct = bool(m.group("pct"))
        cur = m.group("cur") or ""
        curw = m.group("curw") or ""
        try:
            value = parse_number_ru(num, has_scale=bool(scale))
        except ValueError:
            continue
        plain = not (scale or pct or cur or curw)
        if plain and re.fullmatch(r"\d{4}", num) and 1950 <= int(num) <= 2049:
            continue  # a year
        if plain and _DURATION_RE.match(sentence, b):
            continue  # "25 лет", "3 месяца", "в 2 раза": durations, ages, ratios
        if not (cur or curw or pct) and _is_reference(sentence, a):
            continue  # "статья 12", "стр. 5", "ЦУР 10.7"
        unit = _currency(cur or curw) if (cur or curw) else ("%" if pct else "")
        sign, s_start = _sign(sentence, a)
        raw.append(
            _Raw(
                start=a if cur else m.start("num"),
                end=b,
                value=sign * _times(value, _scale(scale)),
                unit=unit,
                pct=pct,
                money=bool(cur or curw),
                q_start=s_start if sign < 0 else None,
                scale=_scale(scale),
            )
        )
        taken.add(min(a, s_start), b)


def _word_figures(sentence: str, toks: list[_Tok], taken: Taken, raw: list[_Raw]) -> None:
    """Number words ("два миллиона", "полтора миллиона") and shares ("каждый пятый",
    "почти треть")."""
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if not t.is_word or not taken.free(t.start, t.end):
            i += 1
            continue
        lem = t.lemma
        # каждый пятый -> 20 %
        if lem == "каждый" and i + 1 < n and toks[i + 1].lemma in _ORDINALS:
            den = _ORDINALS[toks[i + 1].lemma]
            raw.append(_Raw(t.start, toks[i + 1].end, round(100.0 / den, 2), "%", pct=True))
            taken.add(t.start, toks[i + 1].end)
            i += 2
            continue
        # (две) трети, четверть, половина, пятая часть
        frac = _fraction_at(toks, i)
        if frac is not None:
            j, value = frac
            raw.append(_Raw(t.start, toks[j - 1].end, value, "%", pct=True))
            taken.add(t.start, toks[j - 1].end)
            i = j
            continue
        if t.low in _HALF_SCALES or lem in _NUM_LEMMAS or lem in _SCALE_LEMMAS:
            got = _number_words_at(toks, i)
            if got is not None:
                j, value, has_scale = got
                end = toks[j - 1].end
                rest = sentence[end:]
                pm = re.match(_PCT_RE, rest, re.I)
                cm = re.match(_SP + _CUR_WORDS_RE, rest, re.I)
                unit, pct, money = "", False, False
                if pm:
                    unit, pct = "%", True
                    end += pm.end()
                elif cm:
                    unit, money = _currency(cm.group("curw")), True
                    end += cm.end()
                ok = bool(unit) or has_scale
                if not ok and value >= 2 and j < n and toks[j].is_word:
                    nxt = toks[j].lemma
                    ok = nxt in _PEOPLE_LEMMAS or nxt in _demonym_lemmas()
                if ok and taken.free(t.start, end):
                    raw.append(_Raw(t.start, end, value, unit, pct=pct, money=money))
                    taken.add(t.start, end)
                i = j
                continue
        i += 1


def _one_in(toks: list[_Tok], taken: Taken, raw: list[_Raw]) -> None:
    """'один из пяти мигрантов', 'один из 10 жителей' -> 20 %, 10 % (before the digits pass,
    which would take the 10 as a count)."""
    n = len(toks)
    for i in range(n - 3):
        t = toks[i]
        if t.lemma != "один" or toks[i + 1].low != "из" or not taken.free(t.start, toks[i + 2].end):
            continue
        d = toks[i + 2]
        den = _NUM_LEMMAS.get(d.lemma) or (float(d.text) if d.text.isdigit() else 0.0)
        nxt = toks[i + 3].lemma
        if den >= 2 and (nxt in _PEOPLE_LEMMAS or nxt in _demonym_lemmas()):
            raw.append(_Raw(t.start, d.end, round(100.0 / den, 2), "%", pct=True))
            taken.add(t.start, d.end)


def _fraction_at(toks: list[_Tok], i: int) -> tuple[int, float] | None:
    n = len(toks)
    t = toks[i]
    num = 1.0
    j = i
    if t.lemma in ("два", "три") and i + 1 < n and toks[i + 1].lemma in ("треть", "четверть"):
        num = _NUM_LEMMAS[t.lemma]
        j = i + 1
    lem = toks[j].lemma
    if (
        lem in ("один", "два", "три", "четыре")
        and i + 1 < n
        and toks[i + 1].lemma in _ORDINALS
        and (
            (lem == "один" and "femn" in toks[i + 1].parses[0][1])
            or (lem != "один" and "plur" in toks[i + 1].parses[0][1])
        )
    ):
        num = _NUM_LEMMAS[lem]  # "одна пятая", "две пятых": vulgar fractions
        den = float(_ORDINALS[toks[i + 1].lemma])
        end = i + 2
        if end < n and toks[end].lemma == "часть":
            end += 1
    elif lem in _FRACTIONS:
        den = float(_FRACTIONS[lem])
        end = j + 1
    elif lem in _ORDINALS and j + 1 < n and toks[j + 1].lemma == "часть":
        den = float(_ORDINALS[lem])
        end = j + 2
    else:
        return None
    if num >= den:
        return None
    prev = toks[i - 1].lemma if i > 0 else ""
    nxt = toks[end].lemma if end < n else ""
    if prev in ("первый", "второй", "последний", "третий", "вторая") or nxt in _NOT_SHARE_NEXT:
        return None  # "в первой половине года", "четверть века"
    if end < n and re.fullmatch(r"\d+", toks[end].text):
        return None  # "в первой половине 2023 года"
    return end, round(100.0 * num / den, 2)


def _number_words_at(toks: list[_Tok], i: int) -> tuple[int, float, bool] | None:
    """(index after, value, has a scale word) for the number words starting at i."""
    total, current = 0.0, 0.0
    has_scale = False
    seen_num = False
    j = i
    n = len(toks)
    while j < n and toks[j].is_word:
        t = toks[j]
        if j > i and t.start - toks[j - 1].end > 1:
            break
        lem = t.lemma
        if t.low in _HALF_SCALES:
            total += _HALF_SCALES[t.low]
            has_scale = True
        elif lem in _NUM_LEMMAS and not (lem == "сорок" and "NUMR" not in t.parses[0][1]):
            if current and _NUM_LEMMAS[lem] >= 100 and current < 100:
                break
            current += _NUM_LEMMAS[lem]
            seen_num = True
        elif lem in _SCALE_LEMMAS:
            if not seen_num and j == i and _vague_scale(toks, i):
                break  # "тысячи мигрантов", "миллионы людей": vague
            total += (current or 1.0) * _SCALE_LEMMAS[lem]
            current = 0.0
            has_scale = True
            seen_num = False
        else:
            break
        j += 1
    if j == i:
        return None
    value = total + current
    if value < 2 and not has_scale:
        return None  # "один из", "одна"
    if j - i == 1 and toks[i].lemma == "один":
        return None  # "один" alone: "один мигрант", "одна семья"
    return j, value, has_scale


_PLURAL_SCALES = frozenset(
    words("тысячи тысяч тысячами тысячам тысячах миллионы миллионов миллионами миллионам "
          "миллиарды миллиардов миллиардами")
)  # fmt: skip


def _vague_scale(toks: list[_Tok], i: int) -> bool:
    """'тысячи мигрантов' (thousands of): vague; 'около тысячи человек' (genitive singular
    after a qualifier) is 1,000."""
    if toks[i].low not in _PLURAL_SCALES:
        return False
    prev = toks[i - 1].low if i > 0 else ""
    return not (
        toks[i].low == "тысячи"
        and prev in ("около", "более", "свыше", "до", "порядка", "менее", "почти", "примерно")
    )


def _years_in(sentence: str, figures: Taken) -> list[tuple[int, int | None, str]]:
    """(position, year, period) for the years and periods a sentence gives, as
    `figures._years_in` reads English, except that a period is claimed by its first year's
    first character, a year by any of its characters, and "с 2015" / "начиная с 2015" is since."""
    found: list[tuple[int, int | None, str]] = []
    taken = figures.copy()
    for rx in _PERIOD_RES:
        for m in rx.finditer(sentence):
            if not taken.free(m.start("a"), m.start("a") + 1):
                continue
            ya, yb = period_years(m.group("a"), m.group("b"))
            if 1950 <= ya < yb <= 2049:
                found.append((m.start(), yb, f"{ya}-{yb}"))
                taken.add(m.start(), m.end())
    for m in _YEAR_RE.finditer(sentence):
        if not taken.free(m.start(), m.end()):
            continue
        y = int(m.group("y"))
        if re.search(r"(?:\bс|начиная\s+с)\s+$", sentence[max(0, m.start() - 12) : m.start()]):
            found.append((m.start(), None, f"{y}-"))
        else:
            found.append((m.start(), y, ""))
    return found


_COUNT_STOP_POS = frozenset(
    words("PREP CONJ PRCL VERB INFN PRTS GRND ADVB NPRO PRED COMP INTJ NUMR ADJS")
)


def _counts_after(
    toks: list[_Tok], starts: list[int], pos: int, *, is_pct: bool, is_money: bool
) -> tuple[str, int, list[_Tok]]:
    """The short noun phrase after `pos` (lower-cased, as written) and where it ends."""
    k = bisect.bisect_left(starts, pos)
    words: list[_Tok] = []
    first = True
    while k < len(toks):
        t = toks[k]
        if not t.is_word:
            break
        if first and (is_pct or is_money) and t.low in ("от", "в"):
            first = False
            k += 1
            continue  # "25% от числа", "2 млрд в виде переводов"
        first = False
        pos_tag = t.pos
        if words and pos_tag in _COUNT_STOP_POS:
            break
        adverb_head = (
            pos_tag == "ADVB" and k + 1 < len(toks) and toks[k + 1].pos in ("ADJF", "PRTF")
        )
        if (
            not words
            and pos_tag in _COUNT_STOP_POS
            and t.lemma not in _PEOPLE_LEMMAS
            and not adverb_head
        ):
            break
        if len(words) >= 4:
            break
        words.append(t)
        k += 1
    if not words:
        return "", pos, []
    return " ".join(w.text.lower() for w in words), words[-1].end, words


def _is_reference_amount(toks: list[_Tok], starts: list[int], r: _Raw) -> str:
    """Why a figure is a reference amount, or ''."""
    if abs(r.value) not in (200.0, 500.0, 3.0, 5.0):
        return ""
    near = toks[bisect.bisect_left(starts, r.start - 70) : bisect.bisect_right(starts, r.end + 70)]
    window = [t.lemma for t in near if t.is_word and t.end <= r.end + 70]
    before = [t.lemma for t in near if t.is_word and r.start - 45 <= t.start < r.start]
    if r.money and r.unit == "US$" and abs(r.value) in (200.0, 500.0):
        cost = {"стоимость", "комиссия", "издержка", "расход", "сумма", "тариф", "при"}
        send = {"перевод", "отправка", "отправление", "отправить", "перевести", "пересылка",
                "переводить", "отправлять", "пересылать"}  # fmt: skip
        if set(before) & (cost | send) or (set(window) & cost and set(window) & send):
            return "remittance-cost definition amount (cost of sending US$200/500)"
    if r.pct and abs(r.value) in (3.0, 5.0):
        target = {"цель", "цур", "целевой", "предусмотреть", "ориентир", "задача", "повестка"}
        if set(window) & target:
            return "SDG 10.c target (3%), not a measured value"
    return ""


def _join_compound(sentence: str, raw: list[_Raw]) -> list[_Raw]:
    """'2 миллиона 512 тысяч человек' is one number: 2,512,000."""
    out: list[_Raw] = []
    for r in raw:
        last = out[-1] if out else None
        if (
            last is not None
            and not last.unit
            and last.scale > r.scale > 0
            and abs(r.value) < last.scale
            and re.fullmatch(_SP + "+", sentence[last.end : r.start])
        ):
            last.value += r.value
            last.end, last.unit, last.pct, last.money = r.end, r.unit, r.pct, r.money
            last.scale = r.scale
            continue
        out.append(r)
    return out


def _share_range_units(sentence: str, raw: list[_Raw]) -> None:
    """'с 5 до 11%', 'от 300 до 400 тыс.': the first bound takes the second's unit and scale."""
    for a, b in itertools.pairwise(raw):
        if a.unit or a.scale != 1.0 or not (b.unit or b.scale != 1.0):
            continue
        if not re.fullmatch(r"\s*(?:до|[\-−–—]|и|или|по)\s*", sentence[a.end : b.start]):
            continue
        a.unit, a.pct, a.money = b.unit, b.pct, b.money
        a.value = _times(a.value, b.scale)
        a.scale = b.scale


def _people_before(toks: list[_Tok], starts: list[int], pos: int) -> bool:
    """A people noun among the twelve words before `pos` (the figure's subject, told before)."""
    k = bisect.bisect_left(starts, pos)
    return any(
        t.lemma in _PEOPLE_LEMMAS or t.lemma in _demonym_lemmas()
        for t in toks[max(0, k - 12) : k]
        if t.is_word
    )


def _extract_sentence(sentence: str) -> tuple[list[QuotedFigure], list[tuple[int, int, str]]]:
    masked = Taken(len(sentence))
    for rx in _MASKS_RU:
        for m in rx.finditer(sentence):
            masked.add(m.start(), m.end())
    taken = masked.copy()
    toks = _tokens(sentence)
    starts = [t.start for t in toks]
    raw: list[_Raw] = []
    _one_in(toks, taken, raw)
    _digit_figures(sentence, taken, raw)
    _word_figures(sentence, toks, taken, raw)
    raw.sort(key=lambda r: r.start)
    raw = _join_compound(sentence, raw)
    _share_range_units(sentence, raw)

    figs_only = Taken(len(sentence))
    for r in raw:
        figs_only.add(r.start, r.end)
    years = _years_in(sentence, figs_only)
    by_pos = sorted((y[0], i) for i, y in enumerate(years))
    positions = [p for p, _ in by_pos]

    out: list[QuotedFigure] = []
    refs: list[tuple[int, int, str]] = []
    for r in raw:
        why = _is_reference_amount(toks, starts, r)
        if why:
            refs.append((r.start, r.end, why))
            continue
        counts, c_end, cwords = _counts_after(toks, starts, r.end, is_pct=r.pct, is_money=r.money)
        unit = r.unit
        if not unit:
            lem = {w.lemma for w in cwords}
            people = bool(lem & _PEOPLE_LEMMAS) or bool(lem & _demonym_lemmas())
            unit = "persons" if people else "count"
            if unit == "count" and not counts and out and out[-1].unit == "persons":
                unit = "persons"  # "от 300 до 400 тысяч человек"
            if unit == "count" and not counts and _people_before(toks, starts, r.start):
                unit = "persons"  # "Беженцы из Украины: в Польше их 1,6 млн"
        q_from = r.q_start if r.q_start is not None else r.start
        qualifier, q_start = _qualifier_ru(sentence, q_from)
        year, period = None, ""
        if years:
            k = bisect.bisect_left(positions, r.start)
            near = [by_pos[j] for j in (k - 1, k) if 0 <= j < len(by_pos)]
            _d, i = min((abs(p - r.start), i) for p, i in near)
            _pos, year, period = years[i]
        span_end = max(r.end, c_end)
        out.append(
            QuotedFigure(
                text=sentence[min(q_start, q_from) : span_end].strip(),
                value=float(r.value),
                unit=unit,
                counts=counts,
                sentence=sentence,
                qualifier=qualifier,
                year=year,
                period=period,
                start=r.start,
                end=span_end,
                language="ru",
            )
        )
    return out, refs


def extract_figures_ru(
    text: str, *, geo_of_sentence: Callable[[str], str | None] | None = None
) -> list[QuotedFigure]:
    """Every quantitative claim of a Russian text (module docstring); offsets in `text`."""
    return figures_by_sentence(
        split_sentences_ru(text), lambda s: _extract_sentence(s)[0], geo_of_sentence
    )


def reference_amounts_ru(text: str) -> list[tuple[int, int, str]]:
    """(start, end, why) of the reference amounts left out of `extract_figures_ru`: the
    US$200/500 of remittance-cost definitions and the 3 % SDG target."""
    out: list[tuple[int, int, str]] = []
    for s_start, _e, sentence in split_sentences_ru(text):
        _found, refs = _extract_sentence(sentence)
        out.extend((a + s_start, b + s_start, why) for a, b, why in refs)
    return out


# -- indicators -----------------------------------------------------------------------------------
# Indicator id -> Russian lemma phrases naming it ("…" lets up to four words sit between).
# More specific indicators first: ties go to the earlier one.
RU_INDICATOR_SYNONYMS: dict[str, tuple[str, ...]] = {
    # RPW corridor cost: a cost phrase and a sending country in the sentence (see _REQUIRES_RU)
    "remittance_cost_corridor_pct": (
        "стоимость перевод", "стоимость отправка", "стоимость денежный перевод",
        "стоимость пересылка", "комиссия", "издержка", "стоимость", "обходиться", "обойтись",
        "стоить",
    ),
    "remittance_cost_to_pct": (
        "стоимость перевод", "стоимость отправка", "стоимость денежный перевод",
        "стоимость пересылка", "комиссия", "издержка", "стоимость", "обходиться", "обойтись",
        "стоить",
    ),
    "remittances_received_pct_gdp": ("денежный перевод", "перевод", "перечисление"),
    "remittances_received_usd": (
        "денежный перевод", "перевод", "перечисление", "отправить домой", "поступление",
        "перевести", "переводить", "отправить", "отправлять", "перечислить",
    ),
    "poverty_headcount_pct": (
        "бедность", "бедный", "за черта бедность", "в день", "черта бедность",
        "крайний бедность", "жить менее чем на",
    ),
    "new_displacements_disaster": ("новый перемещение", "перемещение", "вынужденный покинуть"),
    "new_displacements_conflict": ("новый перемещение", "перемещение"),
    "idps_disaster_stock": ("внутренне переместить лицо", "впл", "внутренний переместить"),
    "idps_conflict_stock": ("внутренне переместить лицо", "впл", "внутренний переместить"),
    "refugees_by_origin": ("беженец из", "бежать из", "бежать за рубеж"),
    "refugees_hosted": ("беженец", "принять", "приютить"),
    "asylum_seekers_hosted": (
        "проситель убежище", "соискатель убежище", "искать убежище", "ходатайство … убежище",
        "заявление … убежище",
    ),
    "net_migration": (
        "сальдо миграция", "чистый миграция", "миграционный прирост", "миграционный убыль",
        "миграционный сальдо", "миграционный отток",
    ),
    # UN DESA bilateral stock: an origin and a country of residence in the sentence
    "migrant_stock": (
        "уроженец", "выходец", "мигрант из", "эмигрант из", "иммигрант из",
    ),
    "emigrant_stock": (
        "трудовой мигрант", "трудовой миграция", "трудовой эмигрант", "эмигрант",
        "уроженец … за рубеж", "уроженец … за граница", "диаспора", "проживать за рубеж",
        "жить за рубеж", "работать за рубеж", "работать за граница", "проживать за граница",
        "жить за граница", "находиться за рубеж", "соотечественник", "гастарбайтер",
        "за рубеж", "за граница", "за предел", "проживать за предел",
    ),
    "immigrant_stock": (
        "иммигрант", "международный мигрант", "иностранец", "иностранный гражданин",
        "родиться за рубеж", "мигрант",
    ),
    "population": ("население", "житель", "численность население", "проживать в"),
    # (flows in the year — Geostat, Rosstat, Belstat — are not matched: migprofile's
    # emigration_flow / immigration_flow are modelled five-year totals, not comparable)
    # emigrants as a share of everyone born in the country ("каждый пятый уроженец … за рубежом")
    "emigrant_pct": (
        "уроженец … за рубеж", "уроженец … за граница", "проживать за рубеж", "жить за рубеж",
        "проживать за граница", "жить за граница", "за рубеж", "за граница", "эмигрант",
    ),
    # UN DESA immigrant stock as a share of the population
    "immigrant_pct_population": (
        "международный мигрант", "иммигрант", "мигрант", "иностранец", "родиться за рубеж",
    ),
}  # fmt: skip

# the same units as the English words' (one table for both languages; a test checks that
# every indicator named here has its units there)
RU_INDICATOR_UNITS = INDICATOR_UNITS

_DISASTER = (
    "бедствие", "стихийный", "наводнение", "паводок", "землетрясение", "шторм", "циклон",
    "засуха", "пожар", "оползень", "ураган", "сель",
)  # fmt: skip
_REQUIRES_RU: dict[str, tuple[str, ...]] = {
    "remittances_received_pct_gdp": ("ввп", "валовой внутренний продукт"),
    "immigrant_pct_population": ("население",),
    "new_displacements_disaster": _DISASTER,
    "idps_disaster_stock": _DISASTER,
}

# Labour-migrant wording: compared with the emigrant stock but a different definition.
RU_LABOUR_LEMMAS: tuple[str, ...] = (
    "трудовой мигрант", "трудовой миграция", "трудовой эмигрант", "трудящийся мигрант",
    "работать за рубеж", "работать за граница", "на заработок", "сезонный работник",
    "гастарбайтер", "рабочий мигрант", "трудовой мигрантка",
)  # fmt: skip

_GENERIC_RU = frozenset(
    words(
        "человек люди лицо гражданин мигрант житель международный иностранный более уроженец "
        "выходец"
    )
)
_NEAR_CHARS = 130  # Russian words and sentences run longer than English ones


@lru_cache(maxsize=2048)
def _phrase_lemmas(phrase: str) -> tuple[str, ...]:
    """A phrase's lemmas as our lemmatiser gives them ('…' kept as a gap marker)."""
    return tuple("…" if w == "…" else _lemma(w) for w in phrase.split())


def _find_phrase(lems: list[tuple[int, int, str]], phrase: str) -> list[int]:
    """Start offsets where the lemma phrase occurs ("…" = up to four words between)."""
    want = _phrase_lemmas(phrase)
    hits = []
    for i in range(len(lems)):
        if lems[i][2] != want[0]:
            continue
        j, k, ok = i + 1, 1, True
        while k < len(want):
            if want[k] == "…":
                nxt = want[k + 1]
                found = next(
                    (x for x in range(j, min(j + 5, len(lems))) if lems[x][2] == nxt), None
                )
                if found is None:
                    ok = False
                    break
                j, k = found + 1, k + 2
                continue
            if j >= len(lems) or lems[j][2] != want[k]:
                ok = False
                break
            j += 1
            k += 1
        if ok:
            hits.append(lems[i][0])
    return hits


def _has_lemmas(lems: list[tuple[int, int, str]], phrases: Iterable[str]) -> str | None:
    return next((p for p in phrases if _find_phrase(lems, p)), None)


def labour_phrase_ru(sentence: str) -> str | None:
    """The labour-migrant lemma phrase a sentence uses, if any (different definition)."""
    return _has_lemmas(lemmas(sentence), RU_LABOUR_LEMMAS)


def _clause_around(sentence: str, pos: int) -> tuple[int, int]:
    """[start, end) of the clause holding `pos`, cut as `news.attribution.clauses` cuts (not
    at a dash, which in Russian often stands for the verb: "сальдо — минус 5,6 тыс.")."""
    if pos < 0:
        return 0, len(sentence)
    spans = clauses(sentence)
    return next(((a, b) for a, b in spans if a <= pos < b), (0, len(sentence)))


def find_indicator_ru(figure: QuotedFigure) -> tuple[str | None, str]:
    """(indicator id, matched lemma phrase) for a Russian figure, or (None, why)."""
    from migprofile.wording import _

    counts = lemmas(figure.counts or "")
    sentence = figure.sentence or ""
    sent = lemmas(sentence)
    where = sentence.find(figure.text[:12]) if figure.text else -1
    head = counts[0][2] if counts else ""
    generic = (
        figure.unit not in ("persons", "count")
        or not head
        or head in _GENERIC_RU
        or head in _demonym_lemmas()
        or head in _ADJECTIVES
    )
    c_start, c_end = _clause_around(sentence, where)
    mentions: list[GeoMention] | None = None

    def roles() -> list[GeoMention]:
        nonlocal mentions
        if mentions is None:
            mentions = geo_mentions_ru(sentence)
        return mentions

    best: tuple[tuple[int, int, int], str, str] | None = None
    for order, (ind, phrases) in enumerate(RU_INDICATOR_SYNONYMS.items()):
        if figure.unit not in RU_INDICATOR_UNITS.get(ind, (figure.unit,)):
            continue
        if ind in _REQUIRES_RU and not _has_lemmas(sent, _REQUIRES_RU[ind]):
            continue
        if ind == "remittance_cost_corridor_pct" and not any(m.role == "from" for m in roles()):
            continue  # a corridor needs the sending country
        if ind == "migrant_stock":
            ms = roles()
            origins = {m.geo for m in ms if m.role in ("from", "people")}
            hosts = {m.geo for m in ms if m.role in ("in", "to")}
            if not origins or not (hosts - origins):
                continue  # a pair: born in one country, living in another
            if head in _demonym_lemmas() and figure.unit == "persons":
                key = (3, 0, -order)  # "десять тысяч армян" in the USA
                if best is None or key > best[0]:
                    best = (key, ind, head)
                continue
        for phrase in phrases:
            # 3: in what the figure counts; 2: in the figure's clause; 1: near it in the sentence
            score = 3 if _find_phrase(counts, phrase) else 0
            hits: list[int] = []
            if not score and generic:
                hits = _find_phrase(sent, phrase)
                if any(c_start <= h < c_end for h in hits):
                    score = 2
                elif any(where < 0 or abs(h - where) <= _NEAR_CHARS for h in hits):
                    score = 1
            if not score:
                continue
            dist = 0 if score == 3 or where < 0 else min(abs(h - where) for h in hits)
            key = (score, -dist, -order)
            if best is None or key > best[0]:
                best = (key, ind, phrase)
    if best is None:
        return None, _("no catalogue indicator matches {what} with unit {unit}").format(
            what=repr(figure.counts or figure.text), unit=repr(figure.unit)
        )
    return best[1], best[2]
