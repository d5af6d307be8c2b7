"""What range of data values a figure, as written, agrees with.

A journalist's "1.16 million" says 1,155,000 to 1,165,000; "about 1.2 million" says within 5%;
"861,077" is exact; "more than 500,000" is an inequality; "one in five" is 20% give or take 2.5
points; "almost a third" is a little under 33.3%. The tolerance follows the figure's stated
precision, never one percentage for every figure:

* digits: half a unit of the last digit written ("1.16 million" ± 0.005 million, "11.2%" ±
  0.05 points, "861,077" ± 0.5); trailing zeros of a whole number ("527,000", "2 million") say
  the number is rounded, to at most 5% of it;
* "about", "around", "approximately", "roughly", "some", "an estimated", "close to", Russian
  "около", "примерно", "порядка": at least ± 5%;
* "more than", "over", "above", "exceeding", "at least" (Russian "более", "свыше", "не менее"):
  the data value at or above the figure (within its precision); "just over": up to 10% above;
* "less than", "under", "below", "fewer than", "up to", "at most": at or below; "almost",
  "nearly", "just under": up to 10% below;
* fractions in words ("one in five", "a third", "half", "каждый пятый", "треть"): ± 2.5 points
  (with "almost": from 2.5 points below up to the fraction).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migprofile.news.model import QuotedFigure
from migprofile.wording import _

__all__ = ["Stated", "stated_range"]

APPROX = frozenset(
    ["about", "around", "approximately", "roughly", "some", "an estimated", "estimated",
     "close to", "approx.", "circa"]
)  # fmt: skip
AT_LEAST = frozenset(["more than", "over", "above", "exceeding", "at least", "greater than",
                      "well over"])  # fmt: skip
AT_MOST = frozenset(["less than", "under", "below", "fewer than", "up to", "at most"])
JUST_UNDER = frozenset(["almost", "nearly", "just under", "close to almost"])
JUST_OVER = frozenset(["just over"])

APPROX_PCT = 5.0  # "about": the data within 5% of the figure
ROUNDED_CAP_PCT = 5.0  # a rounded whole number ("2 million") says at most this much
NEAR_PCT = 10.0  # "almost" / "just over": within 10% on the stated side
FRACTION_POINTS = 2.5  # "one in five": ± 2.5 percentage points
ALMOST_FRACTION_PCT = 15.0  # "almost one in three": from 15% under the fraction up to it

_FRACTION = re.compile(
    r"\b(?:one|1)\s+in\s+\w+|\b(?:a|one)\s+(?:third|quarter|fifth|half)|\bhalf\b|\bthirds?\b|"
    r"кажд\w+\s+\w+|треть|четверт\w+|половин\w+|пят\w+\s+част",
    re.IGNORECASE,
)
_SCALE_WORD = re.compile(
    r"^\s*(?:thousand|million|billion|trillion|mln|mn|bn|m\b|k\b|тыс|млн|млрд|трлн|миллион|"
    r"миллиард|тысяч)",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d[\d\s\u00a0\u202f.,]*\d|\d")


@dataclass
class Stated:
    """The data values a figure agrees with: low <= data <= high."""

    low: float
    high: float
    rule: str  # how the range was read, for the verdict's explanation

    @property
    def bounded(self) -> bool:
        """Both ends finite (not "more than" / "less than")."""
        return abs(self.low) != float("inf") and abs(self.high) != float("inf")


def _number_and_decimals(text: str) -> tuple[float, int, int] | None:
    """(number as written without scale, decimals written, trailing zeros of a whole number)."""
    m = _DIGITS.search(text)
    if m is None:
        return None
    raw = re.sub(r"[\s\u00a0\u202f]", "", m.group(0))
    last_sep = max(raw.rfind("."), raw.rfind(","))
    decimals = 0
    if last_sep >= 0:
        tail = raw[last_sep + 1 :]
        # as the extractor reads them: three digits after the last separator are thousands,
        # except a single point before a scale word ("1.160 million")
        scaled = _SCALE_WORD.search(text[m.end() :]) is not None
        single_point = raw[last_sep] == "." and raw.count(".") == 1 and "," not in raw
        if len(tail) != 3 or (single_point and scaled):
            decimals = len(tail)
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return None
    if decimals:
        number = int(digits) / 10**decimals
        zeros = 0
    else:
        number = float(int(digits))
        zeros = len(digits) - len(digits.rstrip("0")) if int(digits) else 0
    return number, decimals, zeros


def _digits_half_unit(figure: QuotedFigure) -> tuple[float, bool]:
    """Half a unit of the figure's last written digit, in the figure's own scale; and whether
    the number was rounded (trailing zeros or a scale word on a whole number)."""
    parsed = _number_and_decimals(figure.text or "")
    if parsed is None or not parsed[0]:
        return abs(figure.value) * APPROX_PCT / 100, True
    number, decimals, zeros = parsed
    scale = abs(figure.value) / number if number else 1.0
    if decimals:
        return 0.5 * 10.0**-decimals * scale, False
    rounded = zeros > 0 or scale > 1.5
    return 0.5 * 10.0**zeros * scale, rounded


def stated_range(figure: QuotedFigure) -> Stated:
    """The range of data values the figure as written agrees with (module docstring)."""
    v = figure.value
    q = (figure.qualifier or "").lower().strip()
    text = figure.text or ""
    if figure.unit == "%" and _FRACTION.search(text) and q in AT_LEAST:
        return Stated(v, float("inf"), _("{qualifier} {text}: at or above it").format(
            qualifier=q, text=text))  # fmt: skip
    if figure.unit == "%" and _FRACTION.search(text) and q in AT_MOST:
        return Stated(float("-inf"), v, _("{qualifier} {text}: at or below it").format(
            qualifier=q, text=text))  # fmt: skip
    if figure.unit == "%" and _FRACTION.search(text):
        if q in JUST_UNDER:  # "almost a third": a little under, up to 15% below
            rule = _("{text}: a little under {value}%").format(text=text, value=f"{v:.1f}")
            return Stated(v * (1 - ALMOST_FRACTION_PCT / 100), v, rule)
        return Stated(
            v - FRACTION_POINTS,
            v + FRACTION_POINTS,
            _("{text}: {value}% ± {points} points").format(
                text=text, value=f"{v:.1f}", points=f"{FRACTION_POINTS:g}"
            ),
        )
    half, rounded = _digits_half_unit(figure)
    if rounded and v:
        half = min(half, abs(v) * ROUNDED_CAP_PCT / 100)
    if q in APPROX:
        half = max(half, abs(v) * APPROX_PCT / 100)
    lo, hi = v - half, v + half
    if q and text.lower().startswith(q):
        text = text[len(q) :].strip()  # "About 1.2 million": the qualifier is said once
    shown = f"{half:,.0f}" if half >= 1 else f"{half:.4g}"
    if q in AT_LEAST:
        return Stated(v, float("inf"), _("{qualifier} {text}: at or above it").format(
            qualifier=q, text=text))  # fmt: skip
    if q in AT_MOST:
        return Stated(float("-inf"), v, _("{qualifier} {text}: at or below it").format(
            qualifier=q, text=text))  # fmt: skip
    if q in JUST_UNDER:
        return Stated(v * (1 - NEAR_PCT / 100) if v > 0 else v * (1 + NEAR_PCT / 100), hi,
                      _("{qualifier} {text}: up to {pct}% below it").format(
                          qualifier=q, text=text, pct=f"{NEAR_PCT:g}"))  # fmt: skip
    if q in JUST_OVER:
        return Stated(lo, v * (1 + NEAR_PCT / 100) if v > 0 else v * (1 - NEAR_PCT / 100),
                      _("{qualifier} {text}: up to {pct}% above it").format(
                          qualifier=q, text=text, pct=f"{NEAR_PCT:g}"))  # fmt: skip
    if q in APPROX:
        return Stated(lo, hi, _("{qualifier} {text}: ± {pct}%").format(
            qualifier=q, text=text, pct=f"{APPROX_PCT:g}"))  # fmt: skip
    return Stated(lo, hi, _("{text} as written: ± {half}").format(text=text, half=shown))
