"""Numbers for people: 1.16 million, 294,152, 15.5%, US$ 2.17 billion, 16M on a chart label.

One formatter per kind of figure, shared by every face (HTML, PDF, Markdown, JSON, charts,
portal, CLI). A value that rounds to zero prints without a minus sign, in every format.
"""

from __future__ import annotations

from functools import cache

from migprofile.wording.i18n import _, current_language


def _unsigned_zero(text: str) -> str:
    """'-0.0' → '0.0', '-0' → '0': a value that rounds to zero has no sign."""
    if text.startswith("-") and not any(c in "123456789" for c in text):
        return text[1:]
    return text


@cache
def _symbols(lang: str) -> dict[int, str] | None:
    """CLDR's decimal and group symbols for `lang` (through Babel) as a str.translate table
    from the English ones; None for English or a language CLDR does not know."""
    if lang.split("_")[0] == "en":
        return None
    try:
        from babel.numbers import get_decimal_symbol, get_group_symbol

        decimal, group = get_decimal_symbol(lang), get_group_symbol(lang)
    except Exception:  # babel.UnknownLocaleError or a malformed tag: English symbols
        return None
    if (decimal, group) == (".", ","):
        return None
    return str.maketrans({".": decimal, ",": group})


def localised(text: str) -> str:
    """A number written the English way ('1,234.5') with the active language's symbols."""
    table = _symbols(current_language())
    return text.translate(table) if table else text


def fixed(value: float, digits: int = 1, *, group: bool = False) -> str:
    """`value` with `digits` decimals (grouped thousands if `group`), never '-0.0', with the
    active language's decimal and group symbols (Russian 1\u00a0234,5; Romanian 1.234,5)."""
    spec = f"{',' if group else ''}.{digits}f"
    return localised(_unsigned_zero(format(value, spec)))


def is_pct(unit: str) -> bool:
    return "%" in (unit or "")


def is_usd(unit: str) -> bool:
    return "US$" in (unit or "")


def unit_label(unit: str | None) -> str:
    """A unit as a reader sees it, in the active language ('persons' → 'persoane')."""
    return _(unit) if unit else ""


def no_data() -> str:
    """What a sentence says for a missing figure."""
    return _("no data")


def empty_cell() -> str:
    """What a table cell shows for a missing figure."""
    return "–"


def percent(value: float | None, digits: int = 1) -> str:
    """15.5%, 0.0% (never -0.0%)."""
    if value is None:
        return no_data()
    return _("{number}%").format(number=fixed(value, digits))


def usd(text: str) -> str:
    """'US$ 2.17 billion' from '2.17 billion'."""
    return _("US$ {amount}").format(amount=text)


def human(value: float | None, unit: str = "") -> str:
    """A figure as a sentence would say it."""
    if value is None:
        return no_data()
    dollars = is_usd(unit)
    if is_pct(unit):
        return percent(value)
    if unit == "per 100,000":
        return _("{number} per 100,000").format(number=fixed(value, 0, group=True))
    magnitude = abs(value)
    if magnitude >= 1e9:
        text = _("{number} billion").format(number=fixed(value / 1e9, 2))
    elif magnitude >= 1e6:
        text = _("{number} million").format(number=fixed(value / 1e6, 2))
    elif dollars and magnitude < 100:
        text = fixed(value, 2, group=True)
    else:
        text = fixed(value, 0, group=True)
    return usd(text) if dollars else text


@cache
def compact_suffixes(lang: str) -> tuple[str, str, str]:
    """The suffixes of thousands, millions and billions on chart labels: K, M, B in English,
    CLDR's short forms elsewhere (Russian ' тыс.', ' млн', ' млрд', with a no-break space)."""
    if lang.split("_")[0] == "en":
        return ("K", "M", "B")
    try:
        from babel.numbers import format_compact_decimal

        out = []
        for size in (1_000, 1_000_000, 1_000_000_000):
            text = format_compact_decimal(size, format_type="short", locale=lang)
            out.append(text.replace("1", "", 1) if text.startswith("1") else "")
        if all(out):
            return (out[0], out[1], out[2])
    except Exception:  # an unknown language: English
        pass
    return ("K", "M", "B")


def short(value: float | None) -> str:
    """Chart labels: 16M, 53K, 2.2B, 15.5 (Russian 16 млн, 53 тыс., 2,2 млрд)."""
    if value is None:
        return ""
    magnitude = abs(value)
    thousand, million, billion = compact_suffixes(current_language())
    for size, suffix in ((1e9, billion), (1e6, million), (1e3, thousand)):
        if magnitude >= size:
            scaled = value / size
            digits = 1 if abs(scaled) < 10 else 0
            return fixed(scaled, digits) + suffix
    if magnitude < 100 and value != int(value):
        return fixed(value, 1)
    return fixed(value, 0, group=True)


def exact(value: float | None, unit: str = "") -> str:
    """Tables: the full value, grouped, as the source gives it."""
    if value is None:
        return empty_cell()
    if is_pct(unit) or (abs(value) < 1000 and value != int(value)):
        return fixed(value, 2, group=True)
    return fixed(value, 0, group=True)


def signed_percent(value: float, digits: int = 1) -> str:
    """'+1.2%', '-6.1%', and '0.0%' for a value that rounds to zero (never '-0.0%' or '+0.0%')."""
    text = fixed(value, digits)
    if text.strip("0.") and not text.startswith("-"):
        text = "+" + text
    return _("{number}%").format(number=text)


def with_unit(value: float | None, unit: str = "") -> str:
    """Every digit with its unit, as a tooltip gives it: '294,152', '15.50%', 'US$ 2,170,000'."""
    text = exact(value, unit)
    if is_pct(unit):
        if unit == "%":
            return _("{number}%").format(number=text)
        return _("{number} ({unit})").format(number=text, unit=unit_label(unit))
    if is_usd(unit):
        return usd(text)
    if unit in ("persons", "movements", ""):
        return text
    return _("{number} {unit}").format(number=text, unit=unit_label(unit))


def when_label(iso: str) -> str:
    """A build's UTC timestamp for readers: ISO 8601 in English (as before), CLDR's long date
    and time elsewhere ('1 декабря 2026 г., 19:47:04 UTC')."""
    lang = current_language()
    if lang.split("_")[0] == "en" or not iso:
        return iso
    try:
        import datetime as dt

        from babel.dates import format_datetime

        when = dt.datetime.fromisoformat(iso.replace("Z", "+00:00"))
        return format_datetime(when, "long", tzinfo=dt.UTC, locale=lang)
    except Exception:  # an unknown language or an odd stamp: as it was written
        return iso
