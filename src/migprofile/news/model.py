"""The news layer's plain data objects, shared by parsing, tagging, figures and checking.

All text in them is untrusted (it comes from press pages and feeds): renderers escape it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field


@dataclass
class NewsItem:
    title: str
    text: str
    origin: str  # file path or URL it came from
    date: str | None = None  # ISO date when the source gives one
    url: str | None = None

    @property
    def item_id(self) -> str:
        """Content hash: re-adding the same item (same title and text) is a no-op."""
        norm = re.sub(r"\s+", " ", f"{self.title}\n{self.text}").strip().lower()
        return hashlib.sha256(norm.encode("utf-8")).hexdigest()[:32]


@dataclass
class Tag:
    kind: str  # "geo" | "theme"
    value: str  # geo id (ISO3 or region id) or theme id
    evidence: list[str] = field(default_factory=list)  # the words matched in the text
    ambiguous: bool = False  # the rules could not decide (e.g. Georgia with no context)
    note: str = ""  # which rule decided, or why it is ambiguous


@dataclass
class GeoMention:
    """A country named in a sentence, with the part it plays there.

    role: "in" — where something is or happens ("in Armenia", "Armenia's", "Armenian GDP",
    Russian "в Армении", "ВВП Армении"); "from" — an origin ("from Russia", "born in Armenia",
    "Armenian-born", Russian "из России", "уроженцы Армении"); "to" — a destination ("to
    Armenia", "into Italy", Russian "в Таджикистан" with the accusative); "people" — its people
    named by a demonym ("Armenians", "Moldovans", Russian "армяне", "молдаван"); "plain" — named
    with no cue (a subject: "Armenia received ...").
    """

    geo: str  # ISO3 (or a region id)
    start: int  # offsets in the sentence
    end: int
    role: str  # in | from | to | people | plain
    text: str = ""  # the words as written


@dataclass
class QuotedFigure:
    """One quantitative statement: '317 900 nationals working abroad'."""

    text: str  # the span as written
    value: float  # normalised: 3,5 million -> 3500000; 25,3% -> 25.3; one in four -> 25.0
    unit: str  # persons | % | US$ | count | ratio
    counts: str  # what it counts, as written: "nationals working abroad", "member states"
    sentence: str
    qualifier: str = ""  # "more than", "about", "nearly", "up to", "" ...
    year: int | None = None  # the year or period the sentence gives
    period: str = ""  # e.g. "2020-2022" when a range is given
    geo: str | None = None  # the country the statement is about, when it can be told
    start: int = 0  # offsets in the item's text
    end: int = 0
    partner: str | None = None  # the other country of a bilateral claim (catalogue orientation)
    language: str = "en"  # the language of the sentence ("en", "ru")
    context: str = ""  # the sentence before, read when the figure's own names no indicator


@dataclass
class Verdict:
    """A figure checked against the store, with the evidence behind the verdict."""

    figure: QuotedFigure
    verdict: str  # consistent | differs | other year | different definition | no data
    indicator: str | None = None
    explanation: str = ""
    data_value: float | None = None
    data_year: int | None = None
    source: str = ""
    edition: str = ""
    sha256: str = ""
    cell: str = ""
    difference_pct: float | None = None
    tolerance_pct: float | None = None
    geo: str | None = None  # the country compared (the catalogue's geo)
    partner: str | None = None  # and the other country of a bilateral indicator


@dataclass
class CheckedItem:
    item: NewsItem
    tags: list[Tag]
    figures: list[QuotedFigure]
    verdicts: list[Verdict]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["item"]["item_id"] = self.item.item_id
        return data
