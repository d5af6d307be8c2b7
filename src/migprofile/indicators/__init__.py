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
from migprofile.indicators.user import know_user_indicators, measured_differently

__all__ = [
    "BY_ID",
    "CATALOGUE",
    "Indicator",
    "compare",
    "know_user_indicators",
    "lookup",
    "measured_differently",
    "observations",
    "query_for",
    "sources_feeding",
    "stream_observations",
]
