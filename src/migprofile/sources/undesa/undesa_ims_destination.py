"""UN DESA International Migrant Stock: totals by destination.

The 2019, 2020 and 2024 workbooks: Table 1 stock by sex, Table 3 share of population, Table 4
female share; header rows found by their labels, sexes from the merged super-headers. Region
and development-group rows are kept as aggregates (see `_common`).
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.geo.resolver import GeoResolver
from migprofile.sources.base import (
    Download,
    FilePeek,
    Match,
    ParsedFile,
    Source,
    TidyRows,
)
from migprofile.sources.undesa._common import (
    CITATION,
    GEO_TABLES,
    HOMEPAGE,
    LICENCE,
    PUBLISHER,
    SHORT_NAME,
    TABLE_SHEET,
    UN_DESA_BASE,
    edition_of,
    parse_totals_table,
    period_of_title,
    texts,
)

DESTINATION_TABLES = (
    # (title words, indicator, unit, by_sex)
    ("as a percentage of the total population", "immigrant_pct_population", "%", True),
    ("female migrants as a percentage", "immigrant_female_pct", "%", False),
    ("international migrant stock at mid-year by sex", "immigrant_stock", "persons", True),
)


class UndesaImsDestination(Source):
    id = "undesa_ims_destination"
    short_name = SHORT_NAME
    feeds = (
        "immigrant_stock",
        "immigrant_pct_population",
        "immigrant_female_pct",
    )
    preference = 10
    recognition_order = 100
    title = "UN DESA International Migrant Stock: totals by destination"
    publisher = PUBLISHER
    licence = LICENCE
    citation = CITATION
    homepage = HOMEPAGE
    downloads = (
        Download(
            UN_DESA_BASE + "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
            "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx",
            "2024",
        ),
        Download(
            UN_DESA_BASE + "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
            "undesa_pd_2020_ims_stock_by_sex_and_destination.xlsx",
            "2020",
        ),
    )
    name_pattern = re.compile(
        r"(ims_stock_by_sex_and_destination|migrant_?stock_?total|MigrantStockTotal)", re.I
    )

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if not peek.is_workbook or peek.workbook() is None or "Table 1" not in peek.sheet_names:
            return None
        head = texts(peek.sheet("Table 1"), 14).lower()
        if "international migrant stock" in head and "origin" not in head:
            return Match(self, path, "undesa-destination")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        path = match.path
        peek: FilePeek = match.context["peek"]
        title_text = texts(peek.sheet("Table 1"), 14)
        edition = edition_of(path, title_text)
        out = TidyRows(path)
        r = GeoResolver(harmoniser, path, GEO_TABLES)
        found = []
        for sheet in peek.sheet_names:
            if not TABLE_SHEET.match(sheet):
                continue
            rows = peek.sheet(sheet)
            title = texts(rows, 14).lower()
            for words, indicator, unit, by_sex in DESTINATION_TABLES:
                if words in title:
                    parse_totals_table(
                        peek,
                        sheet,
                        rows,
                        r,
                        out,
                        indicator=indicator,
                        unit=unit,
                        by_sex=by_sex,
                        period=period_of_title(title),
                    )
                    found.append(indicator)
                    break
        if "immigrant_stock" not in found:
            raise ParseError(path, "no 'International migrant stock at mid-year by sex' table")
        return ParsedFile(
            path=path,
            source=self.id,
            edition=edition,
            edition_order=edition,
            layout=match.layout,
            table=out.to_table(),
            note=f"tables: {', '.join(found)}",
        )
