"""What a value's `period` says, shared by the sources that write it and the store and
indicators that read it.

'' is the year as a whole (a flow over the year, or a stock at a date the publisher does not
state, e.g. end-year); MID_YEAR a stock at 1 July where the file says so ("International
migrant stock at mid-year"); anything else a sub-annual period ('2020Q3', '2025-03'). The first
two are the year's value: default reads, series and region sums take either.
"""

from __future__ import annotations

MID_YEAR = "mid-year"
ANNUAL_PERIODS = ("", MID_YEAR)


def is_annual(period: str | None) -> bool:
    """Whether a value with this period is the year's value (not a quarter's or a month's)."""
    return (period or "") in ANNUAL_PERIODS
