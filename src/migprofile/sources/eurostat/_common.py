"""What the Eurostat migration datasets share: publisher facts, the three download layouts,
Eurostat's geography and code lists, and the reader that turns any of them into tidy rows.

Layouts (recognised by their header cells; columns are read by name, never by position):
- `eurostat-sdmx-csv-1.0`: `DATAFLOW,LAST UPDATE,freq,<dims...>,TIME_PERIOD,OBS_VALUE,OBS_FLAG
  [,CONF_STATUS]`, what the dissemination API gives for `format=SDMX-CSV`. Dimension cells are
  codes (`A`, `DE`) or labels (`Annual`, `Germany`), as the download option chose. DATAFLOW
  (`ESTAT:TPS00170(1.0)`) names the dataset; LAST UPDATE (`03/03/25 11:00:00`, dd/mm/yy) is
  the edition (`2025-03-03`).
- `eurostat-sdmx-csv-2.0`: `STRUCTURE,STRUCTURE_ID,[STRUCTURE_NAME,]freq,[Time frequency,]...,
  TIME_PERIOD,[Time,]OBS_VALUE,...,OBS_FLAG,...`, the data browser's download; with labels each
  code column is followed by its label column (the code is read). STRUCTURE_ID
  (`ESTAT:MIGR_ASYAPPCTZA(1.0)`) names the dataset. No date inside: the edition is a date in
  the file name (`..._2025-03-03.csv`), else the latest period in the file (said in the note).
- `eurostat-tsv`: the bulk TSV, first header cell `freq,unit,citizen,sex,age,geo\\TIME_PERIOD`
  then one tab-separated column per year or month; cells `1234`, `1234 p` (value and flags),
  `:` or `: c` (missing). The dataset is told by its dimensions (and months from years, where
  two datasets share dimensions); edition as for SDMX-CSV 2.0.
Every layout ends each line with a line break: a file cut mid-line is refused. A file cut
exactly at a line break cannot be told from a shorter download (no fixed last row).

Tidy rows: geo = reporting country (`geo`), partner = citizenship (`citizen`). Eurostat's geo
codes are ISO 3166 alpha-2 except EL (Greece), UK (United Kingdom) and XK (Kosovo); aggregates
(EU27_2020, EU28, EFTA, EA19...) become dynamic aggregate geos named by the lower-case code
(`eu27_2020`). Citizenship TOTAL → `world`, UNK → `other`, STLS → `stateless` (the entry UNHCR
files register too), NAT (the reporting country's own citizens) → partner = geo, and groups
relative to the reporting country (EXT_EU27_2020, EU27_2020_FOR, FOR, RNC...) → dynamic geos
`eurostat-<code>`. Labels resolve through Eurostat's own label table, then the harmoniser's
exact names (EUROSTAT_NAME_VARIANTS first), and must name a country. An unknown code or label is
a ParseError naming the file, row and column: never a guess.

Sex T/F/M → total/female/male (UNK not stored). Only age TOTAL is kept (age classes are
skipped and counted in the note: profiles read age 'total'), only duration TOTAL (permits),
only units PER or NR (both counts of persons; stored as 'persons'). Missing values (`:`, blank)
are not stored; flags go in the row's note ('provisional (p)'); a value flagged `c` or with a
CONF_STATUS other than F (free) is confidential and not stored.
"""

from __future__ import annotations

import csv
import re
import weakref
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import ClassVar

from migprofile.errors import ParseError, UnknownGeoError
from migprofile.geo import Harmoniser, name_key
from migprofile.geo.regions import slug
from migprofile.geo.resolver import GeoResolver, GeoTables
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    SourceIndicator,
    TidyRows,
    cell_number,
    check_final_newline,
    check_no_nul,
    read_bytes,
    read_csv,
)

PUBLISHER = "Eurostat, the statistical office of the European Union"
LICENCE = "CC BY 4.0"  # Commission Decision 2011/833/EU: reuse with acknowledgement
HOMEPAGE = "https://ec.europa.eu/eurostat/web/migration-asylum"
API = "https://ec.europa.eu/eurostat/api/dissemination/sdmx/2.1/data"
UNIT = "persons"

SDMX_CSV_1 = "eurostat-sdmx-csv-1.0"
SDMX_CSV_2 = "eurostat-sdmx-csv-2.0"
BULK_TSV = "eurostat-tsv"


def sdmx_csv_url(flow: str) -> str:
    """The dissemination API's SDMX-CSV 1.0 of a whole dataset (LAST UPDATE gives the edition)."""
    return f"{API}/{flow.upper()}/?format=SDMX-CSV"


def tsv_url(flow: str) -> str:
    """The same dataset as bulk TSV (no date inside: the edition is then its latest period)."""
    return f"{API}/{flow.lower()}?format=TSV&compressed=false"


def api_download(flow: str, what: str) -> Download:
    """One download per dataset: the SDMX-CSV, whose LAST UPDATE dates the edition (the TSV
    of the same data would be a second, undated copy of it)."""
    return Download(
        sdmx_csv_url(flow),
        f"estat_{flow.lower()}.csv",
        "latest",
        f"{what} (SDMX-CSV 1.0; the same data as bulk TSV: {tsv_url(flow)})",
    )


# --- recognising a file ------------------------------------------------------------------------

_FLOW = re.compile(r"^(?:[A-Za-z0-9_.]+:)?([A-Za-z0-9_]+)(?:\([0-9.]+\))?$")
_DIMENSION = re.compile(r"[a-z][a-z0-9_]*")
_MONTH = re.compile(r"((?:19|20)\d\d)-?M?(0[1-9]|1[0-2])")
_YEAR = re.compile(r"(?:19|20)\d\d")


def flow_code(cell: str) -> str:
    """'ESTAT:MIGR_ASYAPPCTZA(1.0)' → 'MIGR_ASYAPPCTZA' ('' when the cell is no dataflow id)."""
    m = _FLOW.match(cell.strip())
    return m.group(1).upper() if m else ""


@dataclass(frozen=True)
class Sniff:
    """What a file's first lines say: its layout and which dataset it holds."""

    layout: str
    flow: str = ""  # SDMX-CSV: the dataflow in the first data row (upper case)
    dimensions: frozenset[str] = frozenset()  # TSV: the row dimensions
    monthly: bool = False  # TSV: the time columns are months


_SNIFFED: weakref.WeakKeyDictionary[FilePeek, Sniff | None] = weakref.WeakKeyDictionary()


def sniff(peek: FilePeek) -> Sniff | None:
    """The file's Eurostat layout, worked out once per file for all the Eurostat sources."""
    if peek not in _SNIFFED:
        _SNIFFED[peek] = _sniff(peek)
    return _SNIFFED[peek]


def _sniff(peek: FilePeek) -> Sniff | None:
    if peek.suffix not in (".csv", ".tsv"):
        return None
    lines = peek.head_text().splitlines()
    if not lines:
        return None
    first = lines[0]
    if "\\" in first.split("\t", 1)[0] or peek.suffix == ".tsv":
        return _sniff_tsv(first)
    try:
        header = [c.strip().upper() for c in next(csv.reader(lines[:1]), [])]
        row = next(csv.reader(lines[1:2]), []) if len(lines) > 1 else []
    except csv.Error:
        return None
    if header[:2] == ["DATAFLOW", "LAST UPDATE"]:
        layout, at = SDMX_CSV_1, 0
    elif header[:2] == ["STRUCTURE", "STRUCTURE_ID"]:
        layout, at = SDMX_CSV_2, 1
    else:
        return None
    return Sniff(layout, flow=flow_code(row[at]) if len(row) > at else "")


def _sniff_tsv(first: str) -> Sniff | None:
    cells = first.split("\t")
    dims_text, bar, time_name = cells[0].partition("\\")
    if not bar or time_name.strip().upper() not in ("TIME_PERIOD", "TIME"):
        return None
    dims = [d.strip().lower() for d in dims_text.split(",")]
    if not all(_DIMENSION.fullmatch(d) for d in dims):
        return None
    monthly = any(_MONTH.fullmatch(c.strip()) for c in cells[1:])
    return Sniff(BULK_TSV, dimensions=frozenset(dims), monthly=monthly)


# --- geography ---------------------------------------------------------------------------------

COUNTRY_ALIASES = {"EL": "GRC", "UK": "GBR", "XK": "XKX"}  # Eurostat's codes that are not ISO


@dataclass(frozen=True)
class Entity:
    """A code of Eurostat's that is not one country: its geo id and how Eurostat labels it."""

    geo: str  # '' = the reporting country itself (NAT)
    name: str
    group_type: str = ""  # '' = a built-in geo, never registered
    labels: tuple[str, ...] = ()


_AGG = "eurostat_aggregate"  # groups of countries
_CTZ = "eurostat_citizenship"  # groups relative to the reporting country
ENTITIES: dict[str, Entity] = {
    "TOTAL": Entity("world", "World", labels=("Total", "All countries of the world")),
    "UNK": Entity("other", "Other or unknown", labels=("Unknown",)),
    # The same entry as UNHCR's stateless pseudo-origin (name and type), whichever comes first.
    "STLS": Entity("stateless", "Stateless", "unhcr_pseudo", ("Stateless",)),
    "NAT": Entity("", "Reporting country", labels=("Reporting country",)),
    "EU27_2020": Entity(
        "eu27_2020",
        "European Union (27 countries from 2020)",
        _AGG,
        ("European Union - 27 countries (from 2020)",),
    ),
    "EU28": Entity(
        "eu28",
        "European Union (28 countries, 2013-2020)",
        _AGG,
        ("European Union - 28 countries (2013-2020)", "European Union - 28 countries"),
    ),
    "EU27_2007": Entity(
        "eu27_2007",
        "European Union (27 countries, 2007-2013)",
        _AGG,
        ("European Union - 27 countries (2007-2013)",),
    ),
    "EU25": Entity(
        "eu25",
        "European Union (25 countries, 2004-2006)",
        _AGG,
        ("European Union - 25 countries (2004-2006)",),
    ),
    "EU15": Entity(
        "eu15",
        "European Union (15 countries, 1995-2004)",
        _AGG,
        ("European Union - 15 countries (1995-2004)",),
    ),
    "EFTA": Entity(
        "efta", "European Free Trade Association", _AGG, ("European Free Trade Association",)
    ),
    "EA": Entity("ea", "Euro area (changing composition)", _AGG),
    "EA19": Entity(
        "ea19",
        "Euro area (19 countries, 2015-2022)",
        _AGG,
        ("Euro area - 19 countries (2015-2022)",),
    ),
    "EA20": Entity(
        "ea20",
        "Euro area (20 countries from 2023)",
        _AGG,
        ("Euro area – 20 countries (from 2023)",),
    ),
    "EXT_EU27_2020": Entity(
        "eurostat-ext_eu27_2020",
        "Citizens of countries outside the EU (27 countries from 2020)",
        _CTZ,
        ("Extra-EU27 (from 2020)", "Non-EU27 countries (from 2020)"),
    ),
    "EXT_EU28": Entity(
        "eurostat-ext_eu28",
        "Citizens of countries outside the EU (28 countries, 2013-2020)",
        _CTZ,
        ("Extra-EU28 (2013-2020)", "Extra-EU28"),
    ),
    "EU27_2020_FOR": Entity(
        "eurostat-eu27_2020_for",
        "Citizens of the other EU countries (27 from 2020)",
        _CTZ,
        ("EU27 countries (from 2020) except reporting country",),
    ),
    "NEU27_2020_FOR": Entity(
        "eurostat-neu27_2020_for",
        "Citizens of non-EU countries (27 from 2020), reporting country excluded",
        _CTZ,
        ("Non-EU27 countries (from 2020) nor reporting country",),
    ),
    "EU28_FOR": Entity(
        "eurostat-eu28_for",
        "Citizens of the other EU countries (28, 2013-2020)",
        _CTZ,
        (
            "EU28 countries (2013-2020) except reporting country",
            "EU28 countries except reporting country",
        ),
    ),
    "NEU28_FOR": Entity(
        "eurostat-neu28_for",
        "Citizens of non-EU countries (28, 2013-2020), reporting country excluded",
        _CTZ,
        (
            "Non-EU28 countries (2013-2020) nor reporting country",
            "Non-EU28 countries nor reporting country",
        ),
    ),
    "EFTA_FOR": Entity(
        "eurostat-efta_for",
        "Citizens of EFTA countries, reporting country excluded",
        _CTZ,
        ("European Free Trade Association except reporting country",),
    ),
    "FOR": Entity(
        "eurostat-for",
        "Foreign citizens (all citizenships but the reporting country's)",
        _CTZ,
        ("Foreign country",),
    ),
    "FOR_STLS": Entity(
        "eurostat-for_stls",
        "Foreign citizens and stateless persons",
        _CTZ,
        ("Foreign country and stateless",),
    ),
    "RNC": Entity("eurostat-rnc", "Recognised non-citizens", _CTZ, ("Recognised non-citizens",)),
}
_ENTITY_BY_LABEL = {
    name_key(label): code
    for code, entity in ENTITIES.items()
    for label in (entity.name, *entity.labels)
}

# Eurostat's labels the shared names do not give (or give to a region: 'Micronesia').
EUROSTAT_NAME_VARIANTS = {
    "Brunei": "BRN",
    "China including Hong Kong": "CHN",
    "China (including Hong Kong)": "CHN",
    "Macao": "MAC",
    "Micronesia": "FSM",
    "Myanmar/Burma": "MMR",
    "Wallis and Futuna": "WLF",
    "Faroes": "FRO",
    "Heard Island and McDonald Islands": "HMD",
    "Svalbard and Jan Mayen": "SJM",
    "Saint Barthélemy": "BLM",
    "Kosovo (under United Nations Security Council Resolution 1244/99)": "XKX",
    "Germany (until 1990 former territory of the FRG)": "DEU",
}
GEO_TABLES = GeoTables(
    name_variants=EUROSTAT_NAME_VARIANTS, variants_label="EUROSTAT_NAME_VARIANTS"
)


def iso2_countries(h: Harmoniser) -> dict[str, str]:
    """ISO 3166 alpha-2 → geo id, from the geo table (its ISO2 field may hold two: '^GR$|^EL$')."""
    out: dict[str, str] = {}
    for entry in h.entries.values():
        if entry.kind == "country" and entry.iso2:
            for code in re.findall(r"[A-Z0-9]{2}", entry.iso2):
                out.setdefault(code, entry.geo)
    return out


def entity_geo(h: Harmoniser, code: str, entity: Entity) -> str:
    """The geo id of one of Eurostat's non-country codes, registered on first sight."""
    if entity.group_type:
        h.register_aggregate(
            entity.geo, entity.name, entity.group_type, codes=(("eurostat", code),)
        )
    return entity.geo


class EurostatGeo:
    """Geo and citizenship cells (codes or labels) → geo ids, each distinct cell resolved once.

    '' stands for NAT (the reporting country's own citizens): the caller puts the geo there.
    """

    def __init__(self, h: Harmoniser, path: Path):
        self.h = h
        self.path = path
        self.resolver = GeoResolver(h, path, GEO_TABLES)
        self.iso2 = iso2_countries(h)
        self.cache: dict[tuple[str, str], str] = {}

    def resolve(self, cell: str, column: str, line: int) -> str:
        key = (column, cell)
        geo = self.cache.get(key)
        if geo is None:
            text = cell.strip()
            if not text:
                raise ParseError(self.path, f"empty {column} (column {column})", row=line)
            if is_label(text):
                geo = self._label(text, column, line)
            else:
                geo = self._code(text.upper(), column, line)
            self.cache[key] = geo
        return geo

    def _code(self, code: str, column: str, line: int) -> str:
        entity = ENTITIES.get(code)
        if entity is not None:
            return entity_geo(self.h, code, entity)
        iso3 = COUNTRY_ALIASES.get(code)
        geo = self.h.country_by_iso3(iso3) if iso3 else self.iso2.get(code)
        if geo:
            return geo
        raise ParseError(
            self.path,
            f"{column} code {code!r} is neither a country code Eurostat uses (ISO 3166 "
            "alpha-2, EL, UK, XK) nor one of its aggregates migprofile knows "
            f"(column {column})",
            row=line,
        )

    def _label(self, label: str, column: str, line: int) -> str:
        code = _ENTITY_BY_LABEL.get(name_key(label))
        if code is not None:
            return entity_geo(self.h, code, ENTITIES[code])
        try:
            geo = self.resolver.name(label)
        except UnknownGeoError as exc:
            raise ParseError(self.path, f"{exc} (column {column})", row=line) from None
        entry = self.h.entries.get(geo)
        if entry is None or entry.kind != "country":
            raise ParseError(
                self.path,
                f"{column} label {label!r} names {self.h.name_of(geo)}, not a country, and is "
                f"not one of Eurostat's aggregates migprofile knows (column {column})",
                row=line,
            )
        return geo


# --- code lists ----------------------------------------------------------------------------------


def is_label(cell: str) -> bool:
    """Codes are upper case ('TOTAL', 'Y_LT14', 'DE'); labels are not ('Total', 'Germany')."""
    return any(c.islower() for c in cell)


SEXES = {"T": "total", "F": "female", "M": "male"}
UNKNOWN_SEX = "UNK"
COUNTED_UNITS = ("PER", "NR")  # persons; 'number' (of persons) in the population tables
# Labels of the codes the datasets are read by (keys compared by name_key).
LABELS: dict[str, dict[str, str]] = {
    "freq": {"annual": "A", "monthly": "M", "quarterly": "Q"},
    "sex": {
        "total": "T",
        "females": "F",
        "female": "F",
        "males": "M",
        "male": "M",
        "unknown": "UNK",
    },
    "unit": {"person": "PER", "persons": "PER", "number": "NR"},
    "age": {"total": "TOTAL"},
    "duration": {"total": "TOTAL"},
    "agedef": {"age reached during the year": "REACH", "age in completed years": "COMPLET"},
    "asyl_app": {
        "asylum applicant": "ASY_APP",
        "first time asylum applicant": "NASY_APP",
        "first time applicant": "NASY_APP",
        "subsequent applicant": "SASY_APP",
        "subsequent asylum applicant": "SASY_APP",
    },
    "reason": {
        "total": "TOTAL",
        "family reasons": "FAM",
        "education reasons": "EDUC",
        "remunerated activities reasons": "OCC",
        "other reasons": "OTH",
    },
}
UNKNOWN_LABEL = "~"  # prefix of a label that is not in LABELS: '~Y14-17 years'

FLAG_NAMES = {
    "b": "break in time series",
    "c": "confidential",
    "d": "definition differs (see metadata)",
    "e": "estimated",
    "f": "forecast",
    "n": "not significant",
    "p": "provisional",
    "r": "revised",
    "s": "Eurostat estimate",
    "u": "low reliability",
    "z": "not applicable",
}
_FLAG_BY_LABEL = {name_key(v): k for k, v in FLAG_NAMES.items()}
_FREE = {"", "f", "free"}


def decode(dimension: str, cell: str) -> str:
    """A dimension cell as Eurostat's code; a label not in LABELS comes back as '~<label>'."""
    text = cell.strip()
    if not is_label(text):
        return text.upper()
    code = LABELS.get(dimension, {}).get(name_key(text))
    return code if code is not None else UNKNOWN_LABEL + text


def shown(code: str) -> str:
    """A decoded cell as a message shows it: the code, or the label as written."""
    return code[len(UNKNOWN_LABEL) :] if code.startswith(UNKNOWN_LABEL) else code


@lru_cache(maxsize=1024)
def flag_note(flags: str) -> tuple[str, bool]:
    """(the row note for OBS_FLAG / TSV flags, whether they mark the value confidential)."""
    text = flags.strip()
    if not text:
        return "", False
    letters = _FLAG_BY_LABEL.get(name_key(text))
    if letters is None:
        if not re.fullmatch(r"[a-z]+", text):
            return f"Eurostat flag {text!r}", False
        letters = text
    parts = [
        f"{FLAG_NAMES[ch]} ({ch})" if ch in FLAG_NAMES else f"Eurostat flag {ch!r}"
        for ch in dict.fromkeys(letters)
    ]
    return "; ".join(parts), "c" in letters


def confidential_status(cell: str) -> bool:
    """CONF_STATUS other than F (free): confidential or not for publication, never stored."""
    return name_key(cell) not in _FREE


# --- reading the layouts -----------------------------------------------------------------------


@dataclass
class Record:
    """One observation as the file has it: dimension cells, period, value, flags."""

    line: int
    keys: tuple[str, ...]  # dimension cells, in the order of Table.dimensions
    time: str
    value: str
    flags: str
    conf: str
    col: str


@dataclass
class Table:
    """A Eurostat file read to records, whatever its layout."""

    dimensions: list[str]
    records: Iterator[Record]
    header_line: int = 1
    flow: str = ""  # the dataflow the file names ('' for TSV)
    labels: bool = False  # dimension cells are labels (SDMX-CSV 1.0 'labels' download)
    label_columns: bool = False  # SDMX-CSV 2.0 with a label column after each code column
    last_updates: dict[str, int] = field(default_factory=dict)  # LAST UPDATE → first line


def read_sdmx_csv(path: Path, layout: str, expected_flow: str) -> Table:
    """SDMX-CSV 1.0 or 2.0 (with or without label columns) read by column name."""
    csv_rows = read_csv(path)
    header = [c.strip() for c in csv_rows.header]
    line0 = csv_rows.header_line
    seen: set[str] = set()
    for name in header:
        if name in seen and (name.isupper() or _DIMENSION.fullmatch(name)):
            raise ParseError(path, f"column {name!r} appears twice in the header", row=line0)
        seen.add(name)
    pos = {name: j for j, name in enumerate(header)}
    flow_col = "DATAFLOW" if layout == SDMX_CSV_1 else "STRUCTURE_ID"
    required = [flow_col, "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
    if layout == SDMX_CSV_1:
        required.insert(1, "LAST UPDATE")
    missing = [c for c in required if c not in pos]
    if missing:
        raise ParseError(
            path,
            f"no column {', '.join(missing)} in the header: not Eurostat's SDMX-CSV layout "
            "(a header cell renamed?)",
            row=line0,
        )
    dimensions = [n for n in header if _DIMENSION.fullmatch(n)]
    dim_at = [pos[d] for d in dimensions]
    j_flow, j_time, j_value, j_flag = (pos[c] for c in required if c != "LAST UPDATE")
    j_conf = pos.get("CONF_STATUS")
    j_update = pos.get("LAST UPDATE")
    table = Table(
        dimensions,
        iter(()),
        header_line=line0,
        flow=expected_flow,
        label_columns="STRUCTURE_NAME" in pos,
    )
    rows = [(line, row) for line, row in csv_rows.rows if any(c.strip() for c in row)]
    if layout == SDMX_CSV_1 and rows and "freq" in pos:
        table.labels = is_label(rows[0][1][pos["freq"]])

    def records() -> Iterator[Record]:
        flow_cell = ""
        for line, row in rows:
            cell = row[j_flow]
            if cell != flow_cell:
                code = flow_code(cell)
                if code != expected_flow:
                    raise ParseError(
                        path,
                        f"{flow_col} {cell.strip()!r} is not Eurostat's {expected_flow}, which "
                        "the file's first row names (two downloads joined?)",
                        row=line,
                    )
                flow_cell = cell
            if j_update is not None:
                table.last_updates.setdefault(row[j_update].strip(), line)
            yield Record(
                line,
                tuple(row[j] for j in dim_at),
                row[j_time],
                row[j_value],
                row[j_flag],
                row[j_conf] if j_conf is not None else "",
                "OBS_VALUE",
            )

    table.records = records()
    return table


def read_tsv(path: Path) -> Table:
    """The bulk TSV: dimension codes joined by commas, then one column per period."""
    text = read_bytes(path).decode("utf-8-sig")
    check_final_newline(path, text)
    check_no_nul(path, text)
    lines = text.splitlines()
    if not lines:
        raise ParseError(path, "empty file")
    header = lines[0].split("\t")
    dims_text, bar, _ = header[0].partition("\\")
    dimensions = [d.strip().lower() for d in dims_text.split(",")]
    times = [c.strip() for c in header[1:]]
    if not bar or not times or not all(times):
        raise ParseError(
            path,
            "the header is not Eurostat's 'dimensions\\TIME_PERIOD' then one column per period",
            row=1,
        )
    width = len(header)

    def records() -> Iterator[Record]:
        for n, raw in enumerate(lines[1:], 2):
            if not raw.strip():
                continue
            cells = raw.split("\t")
            if len(cells) != width:
                raise ParseError(
                    path,
                    f"row has {len(cells)} tab-separated fields where the header has {width} "
                    "(file cut short, or a field missing)",
                    row=n,
                )
            keys = tuple(cells[0].split(","))
            if len(keys) != len(dimensions):
                raise ParseError(
                    path,
                    f"first cell {cells[0]!r} has {len(keys)} codes where the header names "
                    f"{len(dimensions)} dimensions ({', '.join(dimensions)})",
                    row=n,
                )
            for time, cell in zip(times, cells[1:], strict=True):
                value, flags = split_tsv_cell(cell)
                yield Record(n, keys, time, value, flags, "", time)

    return Table(dimensions, records())


def split_tsv_cell(cell: str) -> tuple[str, str]:
    """'1234 p' → ('1234', 'p'); ': c' → (':', 'c'); '1234' → ('1234', '')."""
    text = cell.strip()
    if text.startswith(":"):
        return ":", text[1:].strip()
    value, _, flags = text.partition(" ")
    return value, flags.strip()


# --- editions ----------------------------------------------------------------------------------

_UPDATE_FORMATS = ("%d/%m/%y %H:%M:%S", "%d/%m/%Y %H:%M:%S", "%d/%m/%y %H:%M", "%d/%m/%y",
                   "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")  # fmt: skip
_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def last_update_date(text: str, path: Path, line: int) -> str:
    """LAST UPDATE '03/03/25 11:00:00' (dd/mm/yy) → '2025-03-03'."""
    for fmt in _UPDATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            pass
    raise ParseError(
        path,
        f"LAST UPDATE {text!r} is not a date (dd/mm/yy hh:mm:ss) (column LAST UPDATE)",
        row=line,
    )


def file_name_date(path: Path) -> str | None:
    """A release date in the file name ('migr_asyappctza_2025-03-03.csv'), if there is one."""
    for m in _NAME_DATE.finditer(path.name):
        try:
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        except ValueError:
            continue
    return None


# --- the sources -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """What one combination of dimension cells is stored as."""

    indicator: str
    geo: str
    partner: str
    sex: str
    variant: str = ""  # the value of the source's variant dimension (agedef)


class EurostatDataset(Source):
    """A Eurostat dataset read from any of its three download layouts.

    A subclass names its dataflows, dimensions and frequency (annual unless it says 'M'), and
    how a row's codes give the indicator (`indicator_dim` and `indicators_by_code`); what
    every Eurostat dataset shares (publisher, licence, short name, preference) is here.
    """

    flows: tuple[str, ...] = ()  # dataflow codes, upper case (the first is the dataset)
    dimensions: tuple[str, ...] = ()  # Eurostat's dimensions, freq and geo included
    frequency = "A"  # 'A' annual (period ''), 'M' monthly (period 'YYYY-MM')
    totals_only: tuple[str, ...] = ("age",)  # dimensions of which only TOTAL is kept
    indicator_dim = ""  # the dimension that picks the indicator ('' = one indicator)
    # The indicator dimension's code → indicator ('' → the indicator when there is none).
    indicators_by_code: ClassVar[Mapping[str, str]] = {}
    other_indicator = ""  # '{code}' template for its other codes ('' = an unknown code errs)
    # A dimension whose values are alternative definitions of the same figure (agedef): the
    # first of `variant_order` present in the file is kept.
    variant_dim = ""
    variant_order: tuple[str, ...] = ()
    indicator_names: ClassVar[Mapping[str, tuple[str, str]]] = {}  # indicator → (name, definition)
    stock_note = ""  # said of every value in the note (e.g. 'population on 1 January')
    short_name = "Eurostat"
    publisher = PUBLISHER
    licence = LICENCE
    homepage = HOMEPAGE
    preference = 10  # official publications (the gdidata extract of one comes after)
    name_suffixes = (".csv", ".tsv")

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        found = sniff(peek)
        if found is None:
            return None
        if found.layout == BULK_TSV:
            ours = found.dimensions - {"freq"} == set(self.dimensions) - {"freq"} and (
                found.monthly == (self.frequency == "M")
            )
        else:
            ours = found.flow in self.flows
        if not ours:
            return None
        return Match(self, path, found.layout, {"flow": found.flow or self.flows[0]})

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        flow = match.context.get("flow") or self.flows[0]
        if match.layout == BULK_TSV:
            table = read_tsv(path)
            table.flow = flow
        else:
            table = read_sdmx_csv(path, match.layout, flow)
        return _Reader(self, path, table, harmoniser).parse(match.layout)

    # -- a row's codes → what it is stored as -------------------------------------------------
    def indicator_of(self, codes: Mapping[str, str], path: Path, line: int) -> str:
        if not self.indicator_dim:
            return self.indicators_by_code[""]
        code = codes[self.indicator_dim]
        indicator = self.indicators_by_code.get(code)
        if indicator is not None:
            return indicator
        if self.other_indicator:
            own = slug(shown(code)).replace("-", "_")
            return self.other_indicator.format(code=own)
        raise ParseError(
            path,
            f"{self.indicator_dim} {shown(code)!r} is not one of the codes of Eurostat's "
            f"{self.flows[0]} migprofile reads ({', '.join(self.indicators_by_code)}) "
            f"(column {self.indicator_dim})",
            row=line,
        )


def _value(text: str, path: Path, rec: Record) -> float | None:
    """Fast path for Eurostat's plain numbers; a bad cell is a ParseError naming its column."""
    try:
        value = float(text)
    except ValueError:
        return cell_number(text, path, column=rec.col, row=rec.line)
    if value != value or value in (float("inf"), float("-inf")):
        return cell_number(text, path, column=rec.col, row=rec.line)  # refused there
    return value


class _Reader:
    """One file's records → tidy rows, every distinct combination of cells resolved once."""

    def __init__(self, source: EurostatDataset, path: Path, table: Table, h: Harmoniser):
        self.source = source
        self.path = path
        self.table = table
        self.h = h
        self.geo = EurostatGeo(h, path)
        self.out = TidyRows(path)
        self.skipped: Counter[str] = Counter()
        self.series: dict[tuple[str, ...], Series | str] = {}
        self.periods: dict[str, tuple[int, str]] = {}
        self.indicators: dict[str, str] = {}  # indicator → the code it was read from
        self.flags_seen: Counter[str] = Counter()
        self.pending: dict[str, list[tuple]] = {}  # variant → rows held until the end

    def check_columns(self) -> None:
        s, t = self.source, self.table
        found = set(t.dimensions)
        expected = set(s.dimensions)
        missing = [d for d in s.dimensions if d not in found and d != "freq"]
        extra = [d for d in t.dimensions if d not in expected]
        what = f"Eurostat's {t.flow} has the dimensions {', '.join(s.dimensions)}"
        if missing:
            raise ParseError(
                self.path,
                f"no {', '.join(missing)} column: {what} (a header cell renamed?)",
                row=t.header_line,
            )
        if extra:
            raise ParseError(
                self.path,
                f"unexpected dimension column {', '.join(extra)}: {what} (its structure changed?)",
                row=t.header_line,
            )

    def parse(self, layout: str) -> ParsedFile:
        s, t, path = self.source, self.table, self.path
        self.check_columns()
        pos = {d: i for i, d in enumerate(t.dimensions)}
        variants = bool(s.variant_dim and s.variant_dim in pos)
        records = 0
        for rec in t.records:
            records += 1
            series = self.series.get(rec.keys)
            if series is None:
                series = self.series[rec.keys] = self.resolve(rec.keys, pos, rec.line)
            if isinstance(series, str):
                self.skipped[series] += 1
                continue
            text = rec.value.strip()
            note, confidential = flag_note(rec.flags) if rec.flags else ("", False)
            if confidential or (rec.conf and confidential_status(rec.conf)):
                self.skipped["confidential (flag c or CONF_STATUS)"] += 1
                continue
            if text in ("", ":"):
                self.skipped["no value (':' or blank)"] += 1
                continue
            value = _value(text, path, rec)
            if value is None:
                self.skipped["no value (':' or blank)"] += 1
                continue
            year, period = self.period(rec.time, rec.line)
            if rec.flags.strip():
                self.flags_seen[rec.flags.strip()] += 1
            row = (series, year, period, value, rec.line, rec.col, note)
            if variants:
                self.pending.setdefault(series.variant, []).append(row)
            else:
                self.add(row)
        if not records:
            raise ParseError(path, "no data rows below the header", row=t.header_line)
        kept_variant = ""
        if variants:
            kept_variant = next((v for v in s.variant_order if v in self.pending), "")
            for v, rows in self.pending.items():
                if v == kept_variant:
                    for row in rows:
                        self.add(row)
                else:
                    self.skipped[f"{s.variant_dim} {v} (kept {kept_variant})"] += len(rows)
        if not len(self.out):
            summary = "; ".join(f"{n:,} {why}" for why, n in self.skipped.most_common())
            raise ParseError(path, f"no values to store ({summary or 'no rows'})")
        return self.parsed(layout, kept_variant)

    def add(self, row: tuple) -> None:
        series, year, period, value, line, col, note = row
        self.out.add(series.indicator, series.geo, year, value, UNIT, partner=series.partner,
                     sex=series.sex, period=period, row=line, col=col, note=note)  # fmt: skip

    def resolve(self, keys: tuple[str, ...], pos: dict[str, int], line: int) -> Series | str:
        """The Series a combination of cells is stored as, or why it is not stored."""
        s = self.source
        codes = {d: decode(d, keys[i]) for d, i in pos.items() if d not in ("geo", "citizen")}
        freq = codes.get("freq")
        if freq is not None and freq != s.frequency:
            raise ParseError(
                self.path,
                f"freq {shown(freq)!r} where Eurostat's {self.table.flow} is "
                f"{'monthly (M)' if s.frequency == 'M' else 'annual (A)'} (column freq)",
                row=line,
            )
        unit = codes.get("unit")
        if unit is not None and unit not in COUNTED_UNITS:
            return f"unit {shown(unit)} (only PER/NR, persons, kept)"
        for d in s.totals_only:
            if d in codes and codes[d] != "TOTAL":
                return f"{d} other than TOTAL"
        sex_code = codes.get("sex", "T")
        if sex_code == UNKNOWN_SEX:
            return "sex unknown (UNK)"
        sex = SEXES.get(sex_code)
        if sex is None:
            raise ParseError(
                self.path, f"sex {shown(sex_code)!r} is not T, F, M or UNK (column sex)", row=line
            )
        indicator = s.indicator_of(codes, self.path, line)
        variant = ""
        if s.variant_dim and s.variant_dim in codes:
            variant = codes[s.variant_dim]
            if variant not in s.variant_order:
                raise ParseError(
                    self.path,
                    f"{s.variant_dim} {shown(variant)!r} is not {' or '.join(s.variant_order)} "
                    f"(column {s.variant_dim})",
                    row=line,
                )
        geo = self.geo.resolve(keys[pos["geo"]], "geo", line)
        if not geo:
            raise ParseError(self.path, "geo NAT is not a reporting country (column geo)", row=line)
        partner = self.geo.resolve(keys[pos["citizen"]], "citizen", line) or geo
        if s.indicator_dim:
            self.indicators.setdefault(indicator, shown(codes[s.indicator_dim]))
        else:
            self.indicators.setdefault(indicator, "")
        return Series(indicator, geo, partner, sex, variant)

    def period(self, text: str, line: int) -> tuple[int, str]:
        """TIME_PERIOD → (year, period): '2024' → (2024, ''); '2025-03' → (2025, '2025-03')."""
        found = self.periods.get(text)
        if found is not None:
            return found
        t = text.strip()
        if self.source.frequency == "M":
            m = _MONTH.fullmatch(t)
            if m is None:
                raise ParseError(self.path, f"TIME_PERIOD {t!r} is not a month (YYYY-MM)", row=line)
            found = (int(m[1]), f"{m[1]}-{m[2]}")
        else:
            if not _YEAR.fullmatch(t):
                raise ParseError(self.path, f"TIME_PERIOD {t!r} is not a year", row=line)
            found = (int(t), "")
        self.periods[text] = found
        return found

    def edition(self) -> tuple[str, str]:
        """(edition, how it was found)."""
        t = self.table
        if t.last_updates:
            dates = [
                last_update_date(text, self.path, line) for text, line in t.last_updates.items()
            ]
            return max(dates), "edition is the LAST UPDATE date"
        named = file_name_date(self.path)
        if named:
            return named, "edition is the date in the file name (no release date inside)"
        cols = self.out.cols
        latest = max(p or str(y) for y, p in zip(cols["year"], cols["period"], strict=True))
        return latest, "no release date in the file: edition is the latest period in the file"

    def parsed(self, layout: str, kept_variant: str) -> ParsedFile:
        s, t = self.source, self.table
        edition, how = self.edition()
        form = "codes"
        if t.label_columns:
            form = "codes with label columns"
        elif t.labels:
            form = "labels"
        notes = [f"Eurostat {t.flow} ({layout}, {form})", how]
        if s.stock_note:
            notes.append(s.stock_note)
        if kept_variant:
            notes.append(f"{s.variant_dim} {kept_variant} kept")
        if self.skipped:
            notes.append(
                "not stored: "
                + ", ".join(f"{n:,} {why}" for why, n in sorted(self.skipped.items()))
            )
        if self.flags_seen:
            notes.append(
                "flags kept in row notes: "
                + ", ".join(f"{flag} ×{n:,}" for flag, n in sorted(self.flags_seen.items()))
            )
        if self.out.duplicates_dropped:
            notes.append(f"{self.out.duplicates_dropped:,} repeated rows dropped")
        indicators = []
        for indicator, code in self.indicators.items():
            name, definition = s.indicator_names.get(indicator, (s.title, ""))
            if indicator not in s.indicator_names and code:
                name = f"{s.title}: {s.indicator_dim} {code}"
            indicators.append(
                SourceIndicator(
                    indicator,
                    name,
                    definition,
                    UNIT,
                    source_note=f"Eurostat {t.flow}"
                    + (f", {s.indicator_dim} {code}" if code else ""),
                )
            )
        return ParsedFile(
            path=self.path,
            source=s.id,
            edition=edition,
            edition_order=edition,
            layout=layout,
            table=self.out.to_table(),
            indicators=indicators,
            skipped_rows=sum(self.skipped.values()) + self.out.duplicates_dropped,
            note="; ".join(notes),
        )
