"""`migprofile import`: a user's own tidy CSV/Parquet (national statistics, an extract) as a source.

The user names the columns; provenance records their description, the file and its checksum.
Where a file gives only male and female, the total is computed as their sum and says so. The
reading itself lives with the sources (`migprofile.sources._tidy`), which a publisher source
shipping such a file (GMDAC's gdiviz extract) uses too, so imports point down the flow.
"""

from __future__ import annotations

from migprofile.sources._tidy import (
    SEX_WORDS,
    UNKNOWN_CODES,
    ImportSpec,
    parse_user_file,
    read_table,
    source_id_for,
)

__all__ = [
    "SEX_WORDS",
    "UNKNOWN_CODES",
    "ImportSpec",
    "parse_user_file",
    "read_table",
    "source_id_for",
]
