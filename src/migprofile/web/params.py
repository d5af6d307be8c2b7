"""Parameter checks and row formatting shared by the API and the HTML pages.

One validator per kind of parameter (geo, year, year range, sex and other choices, indicator):
each either returns the checked value or raises `ParamError` with an HTTP status and a message
(the API's wording); the pages catch it and word their own error page where they want to.
User text is only ever compared against the geo table or the catalogue, never used as-is.

Row formatting turns a store row into the public row (`ROW_FIELDS`, each with its cell
reference); CSV is written by the one writer, `migprofile.wording.csvout`.
"""

from __future__ import annotations

import difflib
import math
import re
from typing import Any

from migprofile.errors import UsageError
from migprofile.indicators import BY_ID, Indicator, lookup
from migprofile.web.state import Snapshot
from migprofile.wording import _

MAX_TEXT = 100
YEAR_MIN, YEAR_MAX = 1900, 2100
SEXES = ("total", "male", "female", "all")
FORMATS = ("json", "csv")
INDICATOR_RE = re.compile(r"^[A-Za-z0-9_.:\-]{1,80}$")
ROW_FIELDS = (
    "indicator",
    "geo",
    "partner",
    "year",
    "period",
    "sex",
    "age",
    "value",
    "unit",
    "source",
    "edition",
    "sha256",
    "file_name",
    "cell",
    "note",
)


class ParamError(ValueError):
    """A request parameter that failed its check: `status` (400 or 404) and the message."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# -- quoting user text in messages -------------------------------------------------------------
def short(text: object, limit: int = 60) -> str:
    """User text shortened so a huge parameter is not echoed back (not quoted)."""
    text = str(text)
    return text[:limit] + "…" if len(text) > limit else text


def shown(text: object, limit: int = 60) -> str:
    """User text quoted for a message, shortened so a huge parameter is not echoed back."""
    return repr(short(text, limit))


# -- validators --------------------------------------------------------------------------------
def find_geo(snap: Snapshot, text: str | None) -> str | None:
    """The geo id for an id / ISO3 / M49 / name the store knows, else None."""
    value = (text or "").strip()
    if not value or len(value) > MAX_TEXT:
        return None
    geo = snap.geo_index.get(value.lower())
    if geo is None:
        with snap.read() as store:
            try:
                geo = store.resolve_geo(value)
            except UsageError:
                geo = None
    return geo if geo in snap.by_id else None


def geo(snap: Snapshot, text: str | None, parameter: str = "geo") -> str:
    """`find_geo`, or ParamError: 400 when empty, 404 with the closest names when unknown."""
    value = (text or "").strip()
    if not value:
        raise ParamError(400, _("{parameter}: empty").format(parameter=parameter))
    found = find_geo(snap, value)
    if found is None:
        close = snap.suggest(value)
        if close:
            message = _(
                "{parameter}: unknown country or area {value}; did you mean {names}? (see /api/geo)"
            )
        else:
            message = _(
                "{parameter}: unknown country or area {value}; no close match (see /api/geo)"
            )
        raise ParamError(
            404, message.format(parameter=parameter, value=shown(value), names=", ".join(close))
        )
    return found


def year(value: str | None, name: str) -> int | None:
    """A four-digit year in YEAR_MIN..YEAR_MAX, None when blank, else ParamError (400)."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if not re.fullmatch(r"\d{4}", text) or not YEAR_MIN <= int(text) <= YEAR_MAX:
        message = _("{name}: must be a year between {first} and {last}, got {value}")
        raise ParamError(
            400, message.format(name=name, first=YEAR_MIN, last=YEAR_MAX, value=shown(value))
        )
    return int(text)


def year_range(first: str | None, last: str | None) -> tuple[int | None, int | None]:
    """The `from` and `to` years, checked one by one and against each other."""
    lo, hi = year(first, "from"), year(last, "to")
    if lo is not None and hi is not None and lo > hi:
        raise ParamError(400, _("from ({first}) is after to ({last})").format(first=lo, last=hi))
    return lo, hi


def choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    """`value` lower-cased if it is one of `allowed`, else ParamError (400)."""
    text = value.strip().lower()
    if text not in allowed:
        message = _("{name}: must be one of {allowed}, got {value}")
        raise ParamError(
            400, message.format(name=name, allowed=", ".join(allowed), value=shown(value))
        )
    return text


def sex(value: str) -> str:
    return choice(value, "sex", SEXES)


def indicator(text: str, *, source_codes: bool = True) -> Indicator:
    """A catalogue indicator (or, with `source_codes`, a source's own code such as
    `wdi:SP.POP.TOTL`), else ParamError (404) with the closest ids."""
    if isinstance(text, str) and INDICATOR_RE.match(text):
        if not source_codes and text in BY_ID:
            return BY_ID[text]
        if source_codes:
            try:
                return lookup(text)
            except UsageError:
                pass
        close = difflib.get_close_matches(text, list(BY_ID), n=3)
    else:
        close = []
    if close:
        message = _("unknown indicator {value}; did you mean {names}? (see /api/indicators)")
    else:
        message = _("unknown indicator {value} (see /api/indicators)")
    raise ParamError(404, message.format(value=shown(text), names=", ".join(close)))


# -- rows ------------------------------------------------------------------------------------
def clean(value: Any) -> Any:
    """NaN/inf → None, integral floats → int (JSON and CSV both read better)."""
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def row(r: dict) -> dict:
    """A store row as the public row: ROW_FIELDS, with the cell it was read from."""
    if r.get("sheet"):
        cell = f"{r['sheet']}!{r['col']}{r['row']}"
    elif r.get("row") is not None:
        cell = f"line {r['row']}"  # data, not wording: the same in every language
    else:
        cell = ""
    r = {**r, "cell": cell}
    return {k: clean(r.get(k)) for k in ROW_FIELDS}
