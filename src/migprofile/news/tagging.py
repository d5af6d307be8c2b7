"""Tag news items with the countries, regions and themes they are about.

Countries are found by every name the geo table knows (official and short names, with or without
'the': 'the Republic of Moldova', 'Moldova', 'Kyrgyz Republic', 'Türkiye'/'Turkey'), by the
adjectives and nationality words in DEMONYMS ('Moldovan', 'Kyrgyz', 'Tajiks'), by capitals and
major cities in CITIES ('Chisinau'/'Chișinău', 'Kyiv'/'Kiev') and regions and groupings by
REGIONS. Matching is accent-insensitive and on whole words only: 'Omani' inside 'Romanian',
'Niger' inside 'Nigeria' and 'Chad' inside 'Chadwick' never match. Names must start with a
capital letter ('turkey', 'china' and 'chad' in lower case are ordinary words); acronyms
('US', 'UK', 'EU', 'DRC', 'UAE') must match exactly in upper case.

Ambiguity rules (each decision is kept as the tag's note; rejected mentions are reported by
`Tagger.analyse`):
- Georgia: a US cue in the same sentence (a US state or city name, 'Atlanta', 'Savannah',
  'U.S.', 'state of Georgia', 'Georgia State', 'county') makes it the US state: not tagged. A
  Caucasus cue (Tbilisi, Batumi, Caucasus, Georgian, Armenia, Azerbaijan, Abkhazia, Ossetia...)
  makes it the country. Both kinds of cue in one sentence: tagged GEO with ambiguous=True.
  No cue: the country.
- Jordan, Chad (and Israel): a person when preceded by a known first name or a title ('Michael
  Jordan', 'Mr Jordan') or followed, after a single space, by a capitalised word that is not a
  function word, an acronym, a geo name or a geographic feature ('Jordan Peterson', 'Chad
  Smith'): not tagged.
- Niger: 'river', 'delta' or 'basin' within two words before or after: the river, not tagged.
- Turkey: lower case 'turkey' is never a name; 'Turkey' with roast, Thanksgiving, stuffing,
  poultry or Christmas dinner in the sentence is the bird: not tagged.
- 'New Jersey', 'New Mexico', 'Latin American', 'Indian Ocean' and similar are not countries.
An item whose only mentions of a country are ambiguous gets one tag with ambiguous=True.

Regions: 'Central Asia' → central-asia, 'South Caucasus' → south-caucasus, 'Western Balkans' →
western-balkans, 'Eastern Partnership' → eastern-partnership, 'Eastern Europe' →
eastern-europe; 'the EU'/'European Union' → 'wb-euu' when the store knows that id (the World
Bank's European Union aggregate), else 'eu'; 'South-Eastern Europe'/'Southeast Europe' has no
region of its own and is linked to M49 'southern-europe' (the region profile holding the Western
Balkans), with a note saying so.

Themes: THEMES lists per theme *strong* keywords (one is enough) and *weak* ones (two different
weak keywords are needed). The matched words are the tag's evidence.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from migprofile.news.model import NewsItem, Tag

if TYPE_CHECKING:
    from migprofile.store import Store

# Adjectives and nationality words (plural 's'/'es' is accepted automatically).
DEMONYMS: dict[str, str] = {
    # Eastern Europe and Eastern Partnership
    "Moldovan": "MDA",
    "Ukrainian": "UKR",
    "Belarusian": "BLR",
    "Belarussian": "BLR",
    "Russian": "RUS",
    "Polish": "POL",
    "Pole": "POL",
    "Romanian": "ROU",
    "Bulgarian": "BGR",
    "Hungarian": "HUN",
    "Czech": "CZE",
    "Slovak": "SVK",
    "Lithuanian": "LTU",
    "Latvian": "LVA",
    "Estonian": "EST",
    # South Caucasus
    "Armenian": "ARM",
    "Georgian": "GEO",
    "Azerbaijani": "AZE",
    "Azeri": "AZE",
    # Central Asia
    "Kazakh": "KAZ",
    "Kazakhstani": "KAZ",
    "Kyrgyz": "KGZ",
    "Kyrgyzstani": "KGZ",
    "Tajik": "TJK",
    "Tajikistani": "TJK",
    "Turkmen": "TKM",
    "Uzbek": "UZB",
    "Uzbekistani": "UZB",
    # Western Balkans and neighbours
    "Serbian": "SRB",
    "Serb": "SRB",
    "Bosnian": "BIH",
    "Albanian": "ALB",
    "Montenegrin": "MNE",
    "Macedonian": "MKD",
    "North Macedonian": "MKD",
    "Kosovar": "XKX",
    "Kosovan": "XKX",
    "Croatian": "HRV",
    "Croat": "HRV",
    "Slovenian": "SVN",
    "Slovene": "SVN",
    "Greek": "GRC",
    # Destinations
    "German": "DEU",
    "Italian": "ITA",
    "Spanish": "ESP",
    "French": "FRA",
    "British": "GBR",
    "American": "USA",
    "Turkish": "TUR",
    "Israeli": "ISR",
    "Portuguese": "PRT",
    "Austrian": "AUT",
    "Swiss": "CHE",
    "Dutch": "NLD",
    "Belgian": "BEL",
    "Swedish": "SWE",
    "Norwegian": "NOR",
    "Finnish": "FIN",
    "Danish": "DNK",
    "Irish": "IRL",
    "Canadian": "CAN",
    "Emirati": "ARE",
    "Saudi": "SAU",
    "Qatari": "QAT",
    "Korean": "KOR",
    "South Korean": "KOR",
    "Japanese": "JPN",
    "Chinese": "CHN",
    # Frequent news countries
    "Syrian": "SYR",
    "Afghan": "AFG",
    "Iraqi": "IRQ",
    "Iranian": "IRN",
    "Lebanese": "LBN",
    "Jordanian": "JOR",
    "Palestinian": "PSE",
    "Yemeni": "YEM",
    "Libyan": "LBY",
    "Egyptian": "EGY",
    "Sudanese": "SDN",
    "South Sudanese": "SSD",
    "Somali": "SOM",
    "Ethiopian": "ETH",
    "Eritrean": "ERI",
    "Nigerian": "NGA",
    "Nigerien": "NER",
    "Chadian": "TCD",
    "Malian": "MLI",
    "Venezuelan": "VEN",
    "Colombian": "COL",
    "Mexican": "MEX",
    "Haitian": "HTI",
    "Bangladeshi": "BGD",
    "Pakistani": "PAK",
    "Indian": "IND",
    "Nepali": "NPL",
    "Nepalese": "NPL",
    "Filipino": "PHL",
    "Rohingya": "MMR",
    "Omani": "OMN",
    "Mongolian": "MNG",
}

# Capitals and major cities (accents optional: matching folds them).
CITIES: dict[str, str] = {
    "Chisinau": "MDA",
    "Chișinău": "MDA",
    "Balti": "MDA",
    "Kyiv": "UKR",
    "Kiev": "UKR",
    "Lviv": "UKR",
    "Kharkiv": "UKR",
    "Odesa": "UKR",
    "Odessa": "UKR",
    "Minsk": "BLR",
    "Moscow": "RUS",
    "St Petersburg": "RUS",
    "Saint Petersburg": "RUS",
    "Yerevan": "ARM",
    "Gyumri": "ARM",
    "Tbilisi": "GEO",
    "Batumi": "GEO",
    "Kutaisi": "GEO",
    "Baku": "AZE",
    "Dushanbe": "TJK",
    "Khujand": "TJK",
    "Bishkek": "KGZ",
    "Osh": "KGZ",
    "Tashkent": "UZB",
    "Samarkand": "UZB",
    "Astana": "KAZ",
    "Almaty": "KAZ",
    "Ashgabat": "TKM",
    "Belgrade": "SRB",
    "Novi Sad": "SRB",
    "Tirana": "ALB",
    "Sarajevo": "BIH",
    "Podgorica": "MNE",
    "Skopje": "MKD",
    "Pristina": "XKX",
    "Prishtina": "XKX",
    "Bucharest": "ROU",
    "Warsaw": "POL",
    "Berlin": "DEU",
    "Rome": "ITA",
    "Madrid": "ESP",
    "Paris": "FRA",
    "London": "GBR",
    "Ankara": "TUR",
    "Istanbul": "TUR",
    "Tel Aviv": "ISR",
    "Jerusalem": "ISR",
    "Damascus": "SYR",
    "Aleppo": "SYR",
    "Kabul": "AFG",
    "Baghdad": "IRQ",
    "Beirut": "LBN",
    "Amman": "JOR",
    "Khartoum": "SDN",
    "N'Djamena": "TCD",
    "Niamey": "NER",
    "Tripoli": "LBY",
    "Washington, D.C.": "USA",
    "Vienna": "AUT",
    "Prague": "CZE",
    "Dhaka": "BGD",
    "Islamabad": "PAK",
}

# Short and informal names the geo table may not hold.
SHORT_NAMES: dict[str, str] = {
    "Moldova": "MDA",
    "Russia": "RUS",
    "Syria": "SYR",
    "Iran": "IRN",
    "Laos": "LAO",
    "Vietnam": "VNM",
    "Viet Nam": "VNM",
    "Bolivia": "BOL",
    "Venezuela": "VEN",
    "Tanzania": "TZA",
    "South Korea": "KOR",
    "North Korea": "PRK",
    "Czechia": "CZE",
    "Czech Republic": "CZE",
    "Macedonia": "MKD",
    "North Macedonia": "MKD",
    "Bosnia": "BIH",
    "Bosnia-Herzegovina": "BIH",
    "Britain": "GBR",
    "Great Britain": "GBR",
    "United Kingdom": "GBR",
    "United States": "USA",
    "Netherlands": "NLD",
    "Holland": "NLD",
    "Ivory Coast": "CIV",
    "Palestine": "PSE",
    "Kosovo": "XKX",
    "Kyrgyz Republic": "KGZ",
    "Kyrgyzstan": "KGZ",
    "Turkey": "TUR",
    "Türkiye": "TUR",
    "Georgia": "GEO",
}
# Exact-case acronyms.
ACRONYMS: dict[str, str] = {
    "US": "USA",
    "U.S.": "USA",
    "USA": "USA",
    "U.S.A.": "USA",
    "UK": "GBR",
    "U.K.": "GBR",
    "UAE": "ARE",
    "DRC": "COD",
}

REGIONS: dict[str, str] = {
    "Central Asia": "central-asia",
    "Central Asian": "central-asia",
    "South Caucasus": "south-caucasus",
    "Southern Caucasus": "south-caucasus",
    "Western Balkans": "western-balkans",
    "Eastern Partnership": "eastern-partnership",
    "Eastern Europe": "eastern-europe",
    "South-Eastern Europe": "southern-europe",
    "South Eastern Europe": "southern-europe",
    "Southeast Europe": "southern-europe",
    "South-East Europe": "southern-europe",
}
REGION_NOTES = {
    "southern-europe": "South-Eastern Europe has no region of its own: linked to M49 "
    "Southern Europe",
}

# Themes: (strong keywords: one is enough, weak keywords: two different ones needed).
# Entries are regular expressions matched on whole words, case-insensitively.
THEMES: dict[str, tuple[list[str], list[str]]] = {
    "remittances": (
        [r"remittances?", r"money transfers?", r"remitted", r"remit"],
        [r"transfer costs?", r"sent home", r"send(?:s|ing)? money", r"household income"],
    ),
    "displacement": (
        [
            r"displaced",
            r"displacement",
            r"IDPs?",
            r"fled (?:their|the|her|his) homes?",
            r"forced to flee",
            r"evacuees?",
        ],
        [r"fled", r"shelters?", r"evacuat\w+", r"uprooted", r"camps?"],
    ),
    "refugees_asylum": (
        [
            r"refugees?",
            r"asylum",
            r"asylum[- ]seekers?",
            r"temporary protection",
            r"UNHCR",
            r"resettlement",
        ],
        [r"protection", r"border crossings?", r"crossed the border", r"fleeing"],
    ),
    "trafficking": (
        [
            r"trafficking",
            r"trafficked",
            r"traffickers?",
            r"forced labour",
            r"forced labor",
            r"exploitation",
            r"smuggling",
            r"smugglers?",
        ],
        [r"victims?", r"hotline", r"deceptive", r"recruiters?", r"counter-\w+"],
    ),
    "return_reintegration": (
        [r"reintegration", r"returnees?", r"voluntary return", r"returned migrants?"],
        [r"returned", r"return(?:ing)? home", r"came back", r"coming back", r"returns?"],
    ),
    "labour_migration": (
        [
            r"labou?r migra\w+",
            r"migrant workers?",
            r"seasonal workers?",
            r"work permits?",
            r"working abroad",
            r"work abroad",
            r"labou?r migrants?",
            r"guest workers?",
            r"domestic workers?",
        ],
        [r"employment", r"jobs?", r"recruitment", r"employers?", r"workers?", r"labou?r market"],
    ),
    "diaspora": (
        [r"diasporas?", r"nationals abroad", r"citizens abroad", r"expatriates?"],
        [r"abroad", r"communit(?:y|ies) abroad", r"homeland", r"investment"],
    ),
    "migration_data": (
        [
            r"census",
            r"statistics",
            r"statistical",
            r"data portal",
            r"survey",
            r"displacement tracking matrix",
            r"migration profile",
            r"data collection",
            r"migration data",
        ],
        [r"data", r"estimates?", r"report", r"indicators?", r"figures"],
    ),
    "health_covid": (
        [
            r"COVID(?:-19)?",
            r"pandemic",
            r"vaccin\w+",
            r"health care",
            r"healthcare",
            r"tuberculosis",
            r"HIV",
            r"health services",
            r"coronavirus",
        ],
        [r"health", r"clinics?", r"medical", r"hospitals?", r"doctors?", r"disease"],
    ),
    "climate_disasters": (
        [
            r"climate change",
            r"drought",
            r"floods?",
            r"flooding",
            r"earthquakes?",
            r"disasters?",
            r"cyclones?",
            r"landslides?",
            r"wildfires?",
        ],
        [r"climate", r"heatwaves?", r"storms?", r"environmental", r"rainfall", r"hazards?"],
    ),
    "integration": (
        [r"integration", r"social inclusion", r"language courses?", r"inclusion of migrants"],
        [r"inclusion", r"host communit(?:y|ies)", r"language", r"cohesion", r"newcomers?"],
    ),
}

# -- ambiguity cues ---------------------------------------------------------------------------

US_STATES = [
    *[
        "Alabama",
        "Alaska",
        "Arizona",
        "Arkansas",
        "California",
        "Colorado",
        "Connecticut",
        "Delaware",
        "Florida",
        "Hawaii",
        "Idaho",
        "Illinois",
        "Indiana",
        "Iowa",
        "Kansas",
        "Kentucky",
        "Louisiana",
        "Maine",
        "Maryland",
        "Massachusetts",
        "Michigan",
        "Minnesota",
        "Mississippi",
        "Missouri",
        "Montana",
        "Nebraska",
        "Nevada",
        "Ohio",
        "Oklahoma",
        "Oregon",
        "Pennsylvania",
        "Tennessee",
        "Texas",
        "Utah",
        "Vermont",
        "Virginia",
        "Washington",
        "Wisconsin",
        "Wyoming",
    ],
    "New Hampshire",
    "New Jersey",
    "New Mexico",
    "New York",
    "North Carolina",
    "North Dakota",
    "Rhode Island",
    "South Carolina",
    "South Dakota",
    "West Virginia",
]
US_CITIES = [
    "Atlanta",
    "Savannah",
    "Augusta",
    "Macon",
    "Columbus",
    "Chicago",
    "Houston",
    "Miami",
    "Los Angeles",
    "Boston",
    "Nashville",
    "Charlotte",
    "Jacksonville",
]
_US_CUE = re.compile(
    r"(?<![A-Za-z])(?:"
    + "|".join(re.escape(x) for x in [*US_STATES, *US_CITIES])
    + r"|U\.S\.|state of Georgia|Georgia State|Georgia's governor|governor of Georgia"
    r"|[Cc]ounty|Peach State)(?![A-Za-z])"
)
_CAUCASUS_CUE = re.compile(
    r"(?<![A-Za-z])(?:Tbilisi|Batumi|Kutaisi|Caucasus|Georgians?|Armenian?s?|Azerbaijani?|"
    r"Abkhazia|Ossetia|Black Sea|Eastern Partnership|lari|Russia)(?![A-Za-z])"
)
FIRST_NAMES = set(
    [
        "Michael",
        "Mike",
        "John",
        "James",
        "Robert",
        "David",
        "William",
        "Richard",
        "Thomas",
        "Mark",
        "Paul",
        "Steven",
        "Kevin",
        "Brian",
        "George",
        "Edward",
        "Daniel",
        "Matthew",
        "Anthony",
        "Eddie",
        "Barbara",
        "Mary",
        "Jennifer",
        "Linda",
        "Sarah",
        "Anna",
        "Maria",
        "Emily",
        "Katie",
        "Kate",
        "Jessica",
        "Ashley",
        "Amanda",
        "Brad",
        "Kyle",
        "Tyler",
        "Ryan",
        "Josh",
        "Justin",
        "Jason",
        "Peter",
        "Chris",
        "Christopher",
        "Michelle",
        "Vernon",
        "Eric",
    ]
)
TITLES = {"Mr", "Mrs", "Ms", "Dr", "Prof", "Sir", "Coach", "coach", "Professor", "Mx"}
FUNCTION_WORDS = set(
    [
        "The",
        "A",
        "An",
        "And",
        "Or",
        "But",
        "In",
        "On",
        "At",
        "Of",
        "For",
        "To",
        "From",
        "With",
        "By",
        "As",
        "Is",
        "Are",
        "Was",
        "Were",
        "Has",
        "Have",
        "Had",
        "Will",
        "Would",
        "Can",
        "Could",
        "Should",
        "May",
        "Might",
        "Must",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "Their",
        "Our",
        "Since",
        "After",
        "Before",
        "During",
        "While",
        "Where",
        "When",
        "Which",
        "Who",
        "Not",
        "No",
        "Also",
        "Together",
        "Including",
        "Said",
        "Says",
    ]
)
GEO_FEATURES = {"River", "Valley", "Basin", "Delta", "Rift", "Sea"}
PERSON_AMBIGUOUS = {"JOR", "TCD", "ISR"}
# Word before/after that cancels a match ('New Jersey', 'Latin American', 'Indian Ocean').
BLOCK_BEFORE = {
    "jersey": {"new"},
    "mexico": {"new"},
    "american": {"latin", "south", "north", "central", "native"},
    "guinea": {"new"},
    "wales": {"new", "south"},
}
BLOCK_AFTER = {
    "indian": {"ocean", "subcontinent"},
    "french": {"fries", "guiana", "polynesia"},
    "american": {"samoa"},
    "turkish": {"delight"},
    "chinese": {"taipei"},
    # Croatian and Serbian towns whose first word is a country's name ('Mali Lošinj').
    "mali": {"losinj", "idos", "zvornik", "ston", "iz"},
}
_TURKEY_BIRD = re.compile(
    r"(?i)\b(?:roast(?:ed)?|thanksgiving|stuffing|poultry|christmas dinner|gravy|gobble)\b"
)
_RIVER = re.compile(r"(?i)\b(?:river|delta|basin)\b")


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def fold(text: str) -> str:
    """Accent-free copy of `text` with the same length (offsets stay valid)."""
    if text.isascii():
        return text
    return _NON_ASCII.sub(lambda m: _fold_chars(m.group(0)), text)


def _fold_chars(text: str) -> str:
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        if ch in "’‘ʼ":
            out.append("'")
            continue
        base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
        out.append(base[:1] if base else ch)
    return "".join(out)


def _lower_pattern(pattern: str) -> str:
    """A keyword pattern for lower-cased text (only literals and \\w, \\s classes in THEMES)."""
    assert not re.search(r"\\[A-Z]", pattern), pattern
    return pattern.lower()


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", fold(text).lower()).strip()


def _pattern(form: str) -> str:
    tokens = re.findall(r"[A-Za-z0-9]+", fold(form))
    return r"[^A-Za-z0-9\n]{1,3}".join(re.escape(t) for t in tokens)


_WORD = re.compile(r"[a-z0-9]+")


class _Span:
    """A match-like (start, end, group(0)) over the original-case text."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int):
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self, _n: int = 0) -> str:
        return self._text[self._start : self._end]


def _words_only(rx: re.Pattern, text: str):
    """Matches of `rx` in `text` that start a word: `(?<![a-z0-9])rx` without the leading
    lookbehind that stops the regex engine from searching for the literal prefix."""
    pos = 0
    while True:
        m = rx.search(text, pos)
        if m is None:
            return
        if m.start() and text[m.start() - 1].isascii() and text[m.start() - 1].isalnum():
            pos = m.start() + 1
            continue
        yield m
        pos = max(m.end(), m.start() + 1)


@dataclass
class _Term:
    geo: str
    kind: str  # name | demonym | city | region | acronym


@dataclass
class Mention:
    geo: str
    surface: str
    start: int
    end: int
    kind: str
    decision: str = "tag"  # tag | reject | ambiguous
    note: str = ""


class Tagger:
    """Countries, regions and themes of news items (see the module docstring for the rules)."""

    def __init__(
        self,
        geo_names: dict[str, str],
        capitals: dict[str, str] | None = None,
        *,
        eu_id: str = "eu",
        regions: dict[str, str] | None = None,
    ):
        self.terms: dict[str, _Term] = {}
        self.exact: dict[str, str] = dict(ACRONYMS)
        for name, geo in geo_names.items():
            if _key(name):
                self.terms.setdefault(_key(name), _Term(geo, "name"))
        for name, geo in SHORT_NAMES.items():
            self.terms[_key(name)] = _Term(geo, "name")
        for name, geo in {**CITIES, **(capitals or {})}.items():
            self.terms.setdefault(_key(name), _Term(geo, "city"))
        for name, geo in DEMONYMS.items():
            self.terms[_key(name)] = _Term(geo, "demonym")
        region_map = dict(REGIONS if regions is None else regions)
        region_map["European Union"] = eu_id
        for name, geo in region_map.items():
            self.terms[_key(name)] = _Term(geo, "region")
        self.exact["EU"] = eu_id
        forms = sorted(self.terms, key=len, reverse=True)
        alts = []
        by_first: dict[str, list[str]] = {}
        for f in forms:
            p = _pattern(f)
            if self.terms[f].kind == "demonym":
                p += r"(?:s|es)?"
            alts.append(p)
            by_first.setdefault(fold(f)[:1].lower(), []).append(p.lower())
        self._alts = alts  # `_name_re` is compiled only for the rare text that needs it
        # The same alternation split by first letter, matched on lower-cased text at word starts
        # only (same order of alternatives, so the same matches, ~30 times fewer to try).
        self._names_by_first = {
            c: re.compile(r"(?:" + "|".join(ps) + r")(?![a-z0-9])") for c, ps in by_first.items()
        }
        ex = sorted(self.exact, key=len, reverse=True)
        self._exact_re = re.compile(
            r"(?<![A-Za-z0-9.])(?:" + "|".join(re.escape(e) for e in ex) + r")(?![A-Za-z0-9])"
        )
        # The same keywords for lower-cased text, without the leading lookbehind (checked by
        # `_words_only`): the regex engine can then jump to each keyword's literal prefix.
        self._themes_lower = {
            theme: (
                [re.compile(rf"{_lower_pattern(k)}(?![a-z0-9])") for k in s],
                [re.compile(rf"{_lower_pattern(k)}(?![a-z0-9])") for k in w],
            )
            for theme, (s, w) in THEMES.items()
        }

    # Compiling the whole-text patterns costs about half a second; they serve only texts whose
    # lower case changes length (a rare character), so they are built on first use.
    @functools.cached_property
    def _name_re(self) -> re.Pattern[str]:
        return re.compile(
            r"(?<![A-Za-z0-9])(?:" + "|".join(self._alts) + r")(?![A-Za-z0-9])", re.IGNORECASE
        )

    @functools.cached_property
    def _themes(self) -> dict[str, tuple[list[re.Pattern[str]], list[re.Pattern[str]]]]:
        return {
            theme: (
                [re.compile(rf"(?<![A-Za-z0-9]){k}(?![A-Za-z0-9])", re.IGNORECASE) for k in s],
                [re.compile(rf"(?<![A-Za-z0-9]){k}(?![A-Za-z0-9])", re.IGNORECASE) for k in w],
            )
            for theme, (s, w) in THEMES.items()
        }

    # -- construction -----------------------------------------------------------------------
    @classmethod
    def default(cls) -> Tagger:
        """Names from the code-defined geography (no store needed)."""
        from migprofile.geo import build_harmoniser

        h = build_harmoniser()
        names = {
            k: v for k, v in h.names.items() if h.entries.get(v) and h.entries[v].kind == "country"
        }
        eu_id = "wb-euu" if "wb-euu" in h.entries else "eu"
        return cls(names, eu_id=eu_id)

    @classmethod
    def from_store(cls, store: Store) -> Tagger:
        """Names from the store's geo tables: names, variants, capitals and UNTERM short names."""
        kinds = store.geo_kinds()
        names: dict[str, str] = {}
        for geo, name, official in store.country_names():
            for n in (name, official):
                if n:
                    names.setdefault(n, geo)
        for name, geo in store.geo_name_pairs():
            if name and kinds.get(geo) == "country":
                names.setdefault(name, geo)
        capitals: dict[str, str] = {}
        for geo, key, value in store.geo_attributes("capital", "unterm_short"):
            if not value or kinds.get(geo) != "country":
                continue
            if key == "capital":
                capitals.setdefault(value, geo)
            else:
                names.setdefault(value, geo)
        eu_id = "wb-euu" if "wb-euu" in kinds else "eu"
        regions = {k: v for k, v in REGIONS.items() if v in kinds}
        return cls(names, capitals, eu_id=eu_id, regions=regions)

    # -- tagging ----------------------------------------------------------------------------
    def tag(self, item: NewsItem) -> list[Tag]:
        return self.analyse(item)[0]

    def analyse(self, item: NewsItem) -> tuple[list[Tag], list[Mention]]:
        """Tags plus every geo mention with the rule's decision (rejected ones included)."""
        text = f"{item.title}\n\n{item.text}"
        mentions = self.geo_mentions(text)
        tags: list[Tag] = []
        by_geo: dict[str, list[Mention]] = {}
        for m in mentions:
            if m.decision != "reject":
                by_geo.setdefault(m.geo, []).append(m)
        for geo, ms in by_geo.items():
            evidence = list(dict.fromkeys(m.surface for m in ms))
            decided = [m for m in ms if m.decision == "tag"]
            if decided:
                note = "; ".join(dict.fromkeys(m.note for m in decided if m.note))
                tags.append(Tag("geo", geo, evidence, False, note))
            else:
                note = "; ".join(dict.fromkeys(m.note for m in ms if m.note))
                tags.append(Tag("geo", geo, evidence, True, note))
        tags.extend(self.themes(text))
        return tags, mentions

    def themes(self, text: str) -> list[Tag]:
        folded = fold(text)
        lower = folded.lower()
        same = len(lower) == len(folded)
        themes = self._themes_lower if same else self._themes
        out = []
        for theme, (strong, weak) in themes.items():
            if same:
                s_found = (m for r in strong for m in _words_only(r, lower))
                s_hits = list(dict.fromkeys(folded[m.start() : m.end()] for m in s_found))
            else:
                s_hits = list(dict.fromkeys(m.group(0) for r in strong for m in r.finditer(folded)))
            w_keys: dict[str, str] = {}
            for r in weak:
                m = next(_words_only(r, lower), None) if same else r.search(folded)
                if m:
                    w_keys.setdefault(r.pattern, folded[m.start() : m.end()])
            if s_hits:
                out.append(Tag("theme", theme, s_hits + list(w_keys.values()), note="strong"))
            elif len(w_keys) >= 2:
                out.append(Tag("theme", theme, list(w_keys.values()), note="two weak keywords"))
        return out

    def geo_mentions(self, text: str) -> list[Mention]:
        """Every geo mention of `text`, in order. Linear in the text: one pass of each regex;
        overlaps with acronyms found by bisection; sentences cut once (`_Sentences`)."""
        folded = fold(text)
        found: list[Mention] = []
        starts: list[int] = []  # acronym spans: sorted and disjoint (one finditer pass)
        ends: list[int] = []
        for m in self._exact_re.finditer(folded):
            geo = self.exact[m.group(0)]
            found.append(Mention(geo, text[m.start() : m.end()], m.start(), m.end(), "acronym"))
            starts.append(m.start())
            ends.append(m.end())
        sentences = _Sentences(folded)
        for m in self._name_matches(folded):
            i = bisect.bisect_left(starts, m.end()) - 1  # last acronym starting before the end
            if i >= 0 and ends[i] > m.start():
                continue
            surface = text[m.start() : m.end()]
            key = _key(m.group(0))
            term = self.terms.get(key)
            if term is None:
                for cut in (1, 2):
                    term = self.terms.get(key[:-cut])
                    if term is not None:
                        break
            if term is None:
                continue
            mention = Mention(term.geo, surface, m.start(), m.end(), term.kind)
            if not m.group(0)[0].isupper():
                mention.decision, mention.note = "reject", f"'{surface}' in lower case"
            else:
                self._decide(mention, folded, sentences)
            found.append(mention)
        found.sort(key=lambda x: x.start)
        return found

    def _name_matches(self, folded: str):
        """What `_name_re.finditer(folded)` finds, found faster (see `_names_by_first`)."""
        lower = folded.lower()
        if len(lower) != len(folded):  # a rare character whose lower case is longer
            yield from self._name_re.finditer(folded)
            return
        done = 0
        for w in _WORD.finditer(lower):
            if w.start() < done:
                continue
            rx = self._names_by_first.get(lower[w.start()])
            m = rx.match(lower, w.start()) if rx is not None else None
            if m is not None:
                done = m.end()
                yield _Span(folded, m.start(), m.end())

    # -- rules ------------------------------------------------------------------------------
    def _decide(self, m: Mention, text: str, sentences: _Sentences | None = None) -> None:
        before = re.findall(r"[A-Za-z.']+", text[max(0, m.start - 40) : m.start])
        after = re.findall(r"[A-Za-z.']+", text[m.end : m.end + 40])
        prev_word = before[-1] if before else ""
        next_word = after[0] if after else ""
        key = _key(m.surface)
        if prev_word.lower() in BLOCK_BEFORE.get(key, ()) or next_word.lower().rstrip(
            "."
        ) in BLOCK_AFTER.get(key.rstrip("s"), ()):
            m.decision, m.note = "reject", f"'{prev_word} {m.surface} {next_word}' is no country"
            return
        sentences = sentences or _Sentences(text)
        span = sentences.span(m.start, m.end)
        if m.geo == "GEO" and key == "georgia":
            us = sentences.search(_US_CUE, span)
            cau = sentences.search(_CAUCASUS_CUE, span)
            if us and cau:
                m.decision = "ambiguous"
                m.note = f"Georgia: US cue '{us.group(0)}' and Caucasus cue '{cau.group(0)}'"
            elif us:
                m.decision, m.note = "reject", f"Georgia the US state (cue '{us.group(0)}')"
            return
        if m.geo in PERSON_AMBIGUOUS and m.kind == "name":
            gap = text[m.end : m.end + 1]
            if prev_word in FIRST_NAMES or prev_word.rstrip(".") in TITLES:
                m.decision, m.note = "reject", f"person: '{prev_word} {m.surface}'"
                return
            if (
                gap == " "
                and next_word[:1].isupper()
                and not next_word.isupper()
                and next_word.rstrip(".") not in FUNCTION_WORDS
                and next_word not in GEO_FEATURES
                and _key(next_word) not in self.terms
            ):
                m.decision, m.note = "reject", f"person: '{m.surface} {next_word}'"
                return
        if m.geo == "NER" and key == "niger":
            near = " ".join(before[-2:] + after[:2])
            if _RIVER.search(near):
                m.decision, m.note = "reject", "the Niger river"
                return
        if m.geo == "TUR" and key == "turkey" and sentences.search(_TURKEY_BIRD, span):
            m.decision, m.note = "reject", "turkey the bird"
            return
        if m.kind == "region" and m.geo in REGION_NOTES:
            m.note = REGION_NOTES[m.geo]


# Where `_sentence` stops: the left edge is just after one of these, the right edge on one.
_LEFT_EDGE = re.compile(r"[\n!?]|(?<=[a-z])\.(?= )")
_RIGHT_EDGE = re.compile(r"[\n!?]|(?<=[a-z])\.(?= |\Z)")


@dataclass
class _Sentences:
    """The sentences of one text, cut once (same rules as `_sentence`), with each cue regex
    searched at most once per sentence: tagging stays linear in the text however many
    mentions one long sentence holds."""

    text: str
    _left: list[int] = field(default_factory=list)
    _right: list[int] = field(default_factory=list)
    _found: dict[tuple[int, int, str], re.Match | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._left = [m.end() for m in _LEFT_EDGE.finditer(self.text)]
        self._right = [m.start() for m in _RIGHT_EDGE.finditer(self.text)]

    def span(self, start: int, end: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._left, start) - 1
        left = self._left[i] if i >= 0 else 0
        j = bisect.bisect_left(self._right, end)
        right = self._right[j] if j < len(self._right) else len(self.text)
        return left, right

    def search(self, rx: re.Pattern, span: tuple[int, int]) -> re.Match | None:
        key = (span[0], span[1], rx.pattern)
        if key not in self._found:
            self._found[key] = rx.search(self.text, span[0], span[1])
        return self._found[key]


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around [start, end): cut at . ! ? and blank lines (not at 'U.S.')."""
    left = start
    while left > 0:
        ch = text[left - 1]
        if (
            ch == "\n"
            or (ch in "!?")
            or (
                ch == "."
                and left >= 2
                and text[left - 2].islower()
                and text[left : left + 1] == " "
            )
        ):
            break
        left -= 1
    right = end
    while right < len(text):
        ch = text[right]
        if ch in "!?\n" or (
            ch == "." and text[right - 1].islower() and text[right + 1 : right + 2] in (" ", "")
        ):
            break
        right += 1
    return text[left:right]
