"""The profile: a plain data object every renderer (HTML, PDF, Markdown, JSON) draws from.

Every number is a Figure that carries its value, unit, year and citation (source, edition,
file sha256, cell), so a reader can follow it back to the publisher's file.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Figure:
    indicator: str
    label: str
    value: float | None
    unit: str
    year: int | None
    source: str
    edition: str
    citation: str  # short, for people: "UN DESA 2020"
    sha256: str = ""
    cell: str = ""  # "Table 1!L161", "line 5540" or how it was derived
    geo: str = ""
    partner: str = ""
    partner_name: str = ""  # the counterpart a ranking names (destination or origin)
    sex: str = "total"
    period: str = ""
    note: str = ""
    coverage: str = ""  # regions: "5 of 5 members report"
    modelled: bool = False
    sdg: str = ""


@dataclass
class Series:
    """One indicator over time (and, for rankings, over partners)."""

    indicator: str
    label: str
    unit: str
    points: list[Figure] = field(default_factory=list)

    @property
    def latest(self) -> Figure | None:
        with_values = [p for p in self.points if p.value is not None]
        return max(with_values, key=lambda p: (p.year or 0, p.period)) if with_values else None


@dataclass
class CorridorLink:
    """One corridor a profile lists: money sent from `origin` to `destination` (in the store
    geo = destination, partner = origin), with the migrants behind it and its figures."""

    origin: str
    destination: str
    origin_name: str
    destination_name: str
    # "emigrants": the profile's emigrants living in origin send money home (destination);
    # "immigrants": the profile's immigrants, born in destination, send money there
    side: str
    stock: Figure | None = None  # the migrants of the corridor (latest year)
    remittances: Figure | None = None  # modelled (World Bank/KNOMAD), latest year
    cost: Figure | None = None  # cost of sending US$200 (RPW), latest year

    def figures(self) -> list[Figure]:
        return [f for f in (self.stock, self.remittances, self.cost) if f is not None]


@dataclass
class Section:
    id: str
    title: str
    figures: list[Figure] = field(default_factory=list)  # headline figures
    series: dict[str, Series] = field(default_factory=dict)  # time series for charts
    rankings: dict[str, Series] = field(default_factory=dict)  # top partners
    missing: list[str] = field(default_factory=list)  # what this section cannot say, and why
    note: str = ""  # how the section chose what it shows (e.g. the year of its bars)
    # one figure per partner drawn as bars against a target (the cost of sending money
    # home by sending country, against SDG 10.c's 3%)
    bars: Series | None = None
    corridors: list[CorridorLink] = field(default_factory=list)  # the main corridors


@dataclass
class SourceCoverage:
    source: str
    title: str
    citation: str
    editions: list[str]
    indicators: list[str]
    first_year: int | None
    latest_year: int | None
    missing_years: list[int]
    licence: str = ""
    files: list[str] = field(default_factory=list)  # "name (sha256)"


@dataclass
class SourceGap:
    """Two sources measuring the same thing, and how far apart they are."""

    label: str
    indicator_a: str
    indicator_b: str
    year: int
    year_b: int
    value_a: float
    value_b: float
    citation_a: str
    citation_b: str
    gap_pct: float | None
    coverage: str = ""  # a region's: the members both sources are summed over


@dataclass
class Revision:
    """A later edition of one dataset giving another value for a year an earlier edition had."""

    indicator: str
    label: str
    year: int
    old_value: float
    new_value: float
    old_edition: str
    new_edition: str
    citation_old: str
    citation_new: str


@dataclass
class Sentence:
    text: str
    citations: list[str]


@dataclass
class FlowRange:
    """One quantity estimated by several methods: the lowest and highest, and each method's."""

    origin: str
    destination: str
    low: float
    high: float
    by_method: dict[str, float]
    origin_name: str = ""
    destination_name: str = ""


@dataclass
class FlowEstimates:
    """What the stored estimates say of one country over one period."""

    geo: str
    t0: int
    t1: int
    emigration: FlowRange
    immigration: FlowRange
    corridors_out: list[FlowRange] = field(default_factory=list)
    corridors_in: list[FlowRange] = field(default_factory=list)
    methods: list[str] = field(default_factory=list)
    edition: str = ""
    sha256: str = ""
    note: str = ""

    @property
    def period(self) -> str:
        return f"{self.t0}–{self.t1}"


@dataclass
class NationalFigure:
    """A figure a user imported as an indicator of their own (a national statistics office's),
    set beside the international estimate of the standard indicator it measures differently
    (`concept`): the same year's where the international series has it (gap stated), else the
    estimates just before and after it (no gap: different years are not compared)."""

    figure: Figure
    definition: str = ""
    concept: str = ""  # catalogue id; '' when the user named none
    concept_label: str = ""
    same_year: Figure | None = None
    before: Figure | None = None
    after: Figure | None = None
    latest: Figure | None = None  # the international series' latest, for scale
    gap_pct: float | None = None  # (national − international) / international × 100


@dataclass
class NationalSourceEntry:
    """One national data source of the country's migration data system, display-ready."""

    name: str
    institution: str
    type: str  # the vocabulary's id (census, survey, ...)
    type_label: str
    population: str = ""
    definitions: str = ""
    periodicity: str = ""
    latest_release: str = ""
    reference_date: str = ""
    topics: list[str] = field(default_factory=list)  # labels
    access: str = ""
    url: str = ""
    known_issues: list[str] = field(default_factory=list)


@dataclass
class NationalData:
    """The profile section 'National data system': the country's own sources (from its
    national data-system file, where stored), the national figures beside the international
    estimates, and what neither covers."""

    sources: list[NationalSourceEntry] = field(default_factory=list)
    figures: list[NationalFigure] = field(default_factory=list)
    uncovered: list[str] = field(default_factory=list)  # topics neither national nor intl data
    file_name: str = ""
    sha256: str = ""
    updated: str = ""
    compiled_by: str = ""
    notes: str = ""


@dataclass
class Profile:
    geo: str
    name: str
    kind: str  # country | region
    members: list[str]
    member_names: list[str]
    key_facts: list[Figure]
    narrative: list[Sentence]
    sections: list[Section]
    sources: list[SourceCoverage]
    gaps: list[SourceGap]
    cannot_say: list[str]
    generated_at: str
    migprofile_version: str
    group_type: str = ""
    # the World Bank income group (L, LM, UM, H; '' unclassified) of the latest fiscal year it
    # classified, the first fiscal year of the unbroken run of it, and that latest year
    income_group: str = ""
    income_since: str = ""
    income_latest: str = ""
    # later editions that changed an earlier edition's figure (countries; latest year changed)
    revisions: list[Revision] = field(default_factory=list)
    # latest press items that name the geo (or a member), with their checked figures;
    # untrusted text: every renderer escapes it
    news: list[dict] = field(default_factory=list)
    # flows estimated from stocks (`migprofile flows build`), as ranges across methods
    flows: FlowEstimates | None = None
    # the national data system and the national figures users imported (countries)
    national: NationalData | None = None

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def all_figures(self) -> list[Figure]:
        """Every figure the profile shows (key facts, headlines, series points, rankings)."""
        out = list(self.key_facts)
        for s in self.sections:
            out += s.figures
            for group in (s.series, s.rankings):
                for series in group.values():
                    out += series.points
            if s.bars is not None:
                out += s.bars.points
            for corridor in s.corridors:
                # a corridor's migrants are often a ranking's point already: never twice
                out += [f for f in corridor.figures() if f not in out]
        if self.national is not None:
            for n in self.national.figures:
                out += [
                    f
                    for f in (n.figure, n.same_year, n.before, n.after, n.latest)
                    if f is not None and f not in out
                ]
        return out

    def to_dict(self) -> dict:
        data = asdict(self)
        return data
