"""Indicators: the catalogue (data, `catalogue.py`) and the query compiler with the public
reads (`query.py`).

    >>> from migprofile.indicators import observations
    >>> observations(store, "immigrant_stock", "MDA", year=2020)   # pyarrow.Table
"""

from migprofile.indicators.catalogue import (
    BY_ID,
    CATALOGUE,
    Indicator,
    lookup,
    sources_feeding,
)
from migprofile.indicators.query import compare, observations, query_for, stream_observations

__all__ = [
    "BY_ID",
    "CATALOGUE",
    "Indicator",
    "compare",
    "lookup",
    "observations",
    "query_for",
    "sources_feeding",
    "stream_observations",
]
