"""IOM GMDAC's tidy extract of UN DESA International Migrant Stock 2020 (destination x origin),
as shipped in the gdiviz R package: one CSV `to,from,t,sex,v` of ISO3 pairs by sex.
"""

from __future__ import annotations

import re
from pathlib import Path

from migprofile.errors import ParseError
from migprofile.geo import Harmoniser
from migprofile.periods import MID_YEAR
from migprofile.sources._tidy import ImportSpec, parse_user_file
from migprofile.sources.base import (
    FilePeek,
    Match,
    ParsedFile,
    Source,
    check_final_newline,
    csv_header_is,
    read_bytes,
)

GDIVIZ_HEADER = ("to", "from", "t", "sex", "v")
LICENCE = "CC BY 3.0 IGO"


class GmdacGdiviz(Source):
    """IOM GMDAC's tidy extract of UN DESA IMS 2020 destination x origin (gdiviz R package).

    A separate source from the official workbook: derived by a third party (converted from
    .rda, zero cells and regions dropped), so official files win wherever both have a value.
    """

    id = "gmdac_gdiviz"
    short_name = "UN DESA (GMDAC extract)"
    feeds = (
        "migrant_stock",
        "emigrant_stock",
        "top_destinations",
        "top_origins",
    )
    preference = 30
    dataset = "undesa_ims_origin"  # its 2020 edition, as extracted by IOM GMDAC
    recognition_order = 120
    title = "IOM GMDAC gdiviz extract of UN DESA International Migrant Stock 2020 (origin)"
    publisher = "IOM Global Migration Data Analysis Centre, from UN DESA Population Division"
    licence = LICENCE
    citation = (
        "UN DESA Population Division, International Migrant Stock 2020, as extracted in "
        "IOM GMDAC's gdiviz R package."
    )
    homepage = "https://github.com/ksreyes/gdiviz"
    name_pattern = re.compile(r"gdiviz", re.I)
    name_suffixes = (".csv",)

    def recognise(self, path: Path, peek: FilePeek) -> Match | None:
        if csv_header_is(peek, GDIVIZ_HEADER, lower=True):
            return Match(self, path, "gmdac-gdiviz-csv")
        return None

    def parse(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        return self._parse_gdiviz(match, harmoniser)

    def _parse_gdiviz(self, match: Match, harmoniser: Harmoniser) -> ParsedFile:
        """IOM GMDAC's extract of the 2020 Table 1 (gdiviz R package): ISO3 pairs, by sex."""
        spec = ImportSpec(
            indicator="migrant_stock",
            geo_col="to",
            partner_col="from",
            year_col="t",
            sex_col="sex",
            value_col="v",
            unit="persons",
            period=MID_YEAR,  # UN DESA's stocks are at mid-year, as in the official workbook
            encoding="utf-8",  # as GMDAC writes it: any other bytes are a damaged file
            user_file=False,  # a publisher's file: only the names its publisher writes
        )
        # The extract ends every line with a line break: a file cut mid-line is refused here,
        # before the columnar reader would take a cut last number as a value.
        data = read_bytes(match.path)
        check_final_newline(match.path, data)
        _check_last_block(match.path, data)
        table, note = parse_user_file(match.path, spec, harmoniser)
        return ParsedFile(
            path=match.path,
            source=self.id,
            edition="2020",
            edition_order="2020",
            layout=match.layout,
            table=table,
            note="IOM GMDAC gdiviz extract of UN DESA IMS 2020 Table 1 (country pairs only, "
            "zero cells dropped, 'XXX' = other/unknown origin); " + note,
        )


def _check_last_block(path: Path, data: bytes) -> None:
    """The extract lists each destination's origins alphabetically ('XXX', other/unknown,
    last), males then females, years ascending: it ends with the last destination's XXX
    females in the latest year. A file cut at a line break ends elsewhere, and its last pair
    would get total = male alone."""
    lines = data.rstrip(b"\r\n").rsplit(b"\n", 1)
    last = lines[-1].decode("utf-8", errors="replace").strip().split(",")
    years = set(re.findall(rb"^[^,\n]*,[^,\n]*,(\d{4}),", data, re.M))
    latest = max(years).decode() if years else ""
    if len(last) < 4 or (last[1], last[2], last[3].strip('"')) != ("XXX", latest, "Female"):
        raise ParseError(
            path,
            f"the file ends with {','.join(last)[:60]!r}, but the extract ends with the last "
            f"destination's other/unknown origin (XXX), females, {latest}: the file was cut "
            "short",
            row=data.count(b"\n"),
        )
