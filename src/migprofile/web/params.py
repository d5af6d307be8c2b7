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
import re
from collections.abc import Sequence

from migprofile.errors import UsageError
from migprofile.indicators import BY_ID, Indicator, lookup
from migprofile.indicators.query import MAX_GEOS
from migprofile.indicators.tables import LONG_FIELDS, public_row
from migprofile.web.state import Snapshot
from migprofile.wording import _

MAX_TEXT = 100
YEAR_MIN, YEAR_MAX = 1900, 2100
SEXES = ("total", "male", "female", "all")
FORMATS = ("json", "csv", "xlsx")
SHAPES = ("long", "wide")
MAX_GEO_PARAM = 4000  # one geo= value: a comma-separated list of up to MAX_GEOS codes
INDICATOR_RE = re.compile(r"^[A-Za-z0-9_.:\-]{1,80}$")
# the long row without the name columns (the one list of fields is LONG_FIELDS)
ROW_FIELDS = tuple(f for f in LONG_FIELDS if f not in ("name", "partner_name"))


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


def geo_items(values: Sequence[str] | None, parameter: str = "geo") -> list[str]:
    """The items of a geo list as given: each `geo=` value split at its commas (empty items
    dropped), except a value that is itself one exact name, id or code with a comma in it,
    which the caller resolves whole (see `geos`). ParamError (400) past MAX_GEOS items or
    for an item longer than MAX_TEXT."""
    items: list[str] = []
    for value in values or ():
        items += [part.strip() for part in str(value).split(",") if part.strip()]
        if len(items) > MAX_GEOS:
            message = _("{parameter}: more than {limit} items; ask for fewer at a time")
            raise ParamError(400, message.format(parameter=parameter, limit=MAX_GEOS))
    for item in items:
        if len(item) > MAX_TEXT:
            message = _("{parameter}: item {value} is longer than {limit} characters")
            raise ParamError(
                400, message.format(parameter=parameter, value=shown(item), limit=MAX_TEXT)
            )
    return items


def geos(snap: Snapshot, values: Sequence[str] | None, parameter: str = "geo") -> list[str] | None:
    """Several geos from repeated and/or comma-separated parameters → their ids in the order
    given, each once; None when none was given.

    Each item is resolved as `geo` resolves one (404 naming the unknown item). With two or more
    items, a region or aggregate stands for its member countries followed by itself (its own
    rows, the regional total); one item alone is itself. ParamError (400) when the list, once
    regions are expanded, holds more than MAX_GEOS geos."""
    whole: list[str] = []
    for value in values or ():
        text = str(value).strip()
        if "," in text and len(text) <= MAX_TEXT and text.lower() in snap.geo_index:
            whole.append(snap.geo_index[text.lower()])  # 'Korea, Republic of' as one name
        else:
            whole += [geo(snap, item, parameter) for item in geo_items([text], parameter)]
        if len(whole) > MAX_GEOS:
            break
    if not whole:
        return None
    if len(whole) > MAX_GEOS:
        message = _("{parameter}: more than {limit} items; ask for fewer at a time")
        raise ParamError(400, message.format(parameter=parameter, limit=MAX_GEOS))
    out: list[str] = []
    for geo_id in whole:
        if len(whole) > 1:
            out += [
                m
                for m in snap.members.get(geo_id, [])
                if (snap.by_id.get(m) or {}).get("kind") == "country"
            ]
        out.append(geo_id)
    found = list(dict.fromkeys(out))
    if len(found) > MAX_GEOS:
        message = _(
            "{parameter}: {count} geos once regions are expanded to their members; "
            "at most {limit} per request"
        )
        raise ParamError(400, message.format(parameter=parameter, count=len(found), limit=MAX_GEOS))
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
def row(r: dict) -> dict:
    """A store row as the public row: ROW_FIELDS, with the cell it was read from."""
    return public_row(r, ROW_FIELDS)
