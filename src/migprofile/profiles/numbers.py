"""Numbers for people: 1.16 million, 294,152, 15.5%, US$ 2.17 billion, 16M on a chart label."""

from __future__ import annotations


def human(value: float | None, unit: str = "") -> str:
    """A figure as a sentence would say it."""
    if value is None:
        return "no data"
    usd = "US$" in unit
    if "%" in unit:
        return f"{value:.1f}%"
    if unit == "per 100,000":
        return f"{value:,.0f} per 100,000"
    magnitude = abs(value)
    if magnitude >= 1e9:
        text = f"{value / 1e9:.2f} billion"
    elif magnitude >= 1e6:
        text = f"{value / 1e6:.2f} million"
    elif usd and magnitude < 100:
        text = f"{value:,.2f}"
    else:
        text = f"{value:,.0f}"
    return f"US$ {text}" if usd else text


def short(value: float | None) -> str:
    """Chart labels: 16M, 53K, 2.2B, 15.5."""
    if value is None:
        return ""
    magnitude = abs(value)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if magnitude >= size:
            scaled = value / size
            return f"{scaled:.1f}{suffix}" if abs(scaled) < 10 else f"{scaled:.0f}{suffix}"
    return f"{value:.1f}" if magnitude < 100 and value != int(value) else f"{value:,.0f}"


def exact(value: float | None, unit: str = "") -> str:
    """Tables: the full value, grouped, as the source gives it."""
    if value is None:
        return "–"
    if "%" in unit or (abs(value) < 1000 and value != int(value)):
        return f"{value:,.2f}"
    return f"{value:,.0f}"
