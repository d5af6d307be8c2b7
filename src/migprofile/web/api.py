"""The JSON/CSV API under /api: geography, the indicator catalogue, data rows and profiles.

Thin and read-only: every query goes through `Store` (parameterised SQL); user text is only ever
a bound parameter or a dictionary key, and every parameter is checked before it is used.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import StreamingResponse

from migprofile.errors import UsageError
from migprofile.indicators import BY_ID, CATALOGUE, Indicator, lookup
from migprofile.store import Store
from migprofile.web.app import Snapshot, clean, shown

router = APIRouter(prefix="/api")

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
CSV_CHUNK = 500


def _snapshot(request: Request) -> Snapshot:
    return request.app.state.holder.snapshot()


@contextmanager
def _reader(snap: Snapshot) -> Iterator[Store]:
    store = snap.reader()
    try:
        yield store
    finally:
        store.con.close()


def _resolve(snap: Snapshot, text: str, parameter: str) -> str:
    """A geo id for ISO3/M49/id/name, or 404 with the closest names."""
    value = text.strip()
    if not value:
        raise HTTPException(400, f"{parameter}: empty")
    geo = snap.geo_index.get(value.lower())
    if geo is None:
        try:
            with _reader(snap) as store:
                geo = store.resolve_geo(value, parameter=parameter)
        except UsageError:
            geo = None
    if geo is None:
        close = snap.suggest(value)
        hint = f"; did you mean {', '.join(close)}?" if close else "; no close match"
        raise HTTPException(
            404, f"{parameter}: unknown country or area {shown(value)}{hint} (see /api/geo)"
        )
    return geo


def _indicator(indicator_id: str) -> Indicator:
    if not INDICATOR_RE.match(indicator_id):
        raise HTTPException(404, f"unknown indicator {shown(indicator_id)} (see /api/indicators)")
    try:
        return lookup(indicator_id)
    except UsageError:
        close = difflib.get_close_matches(indicator_id, list(BY_ID), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise HTTPException(
            404, f"unknown indicator {shown(indicator_id)}{hint} (see /api/indicators)"
        ) from None


def _year(value: str | None, name: str) -> int | None:
    if value is None or value == "":
        return None
    text = value.strip()
    if not re.fullmatch(r"\d{4}", text) or not YEAR_MIN <= int(text) <= YEAR_MAX:
        raise HTTPException(
            400, f"{name}: must be a year between {YEAR_MIN} and {YEAR_MAX}, got {shown(value)}"
        )
    return int(text)


def _choice(value: str, name: str, allowed: tuple[str, ...]) -> str:
    text = value.strip().lower()
    if text not in allowed:
        raise HTTPException(400, f"{name}: must be one of {', '.join(allowed)}, got {shown(value)}")
    return text


def _geo_item(row: dict) -> dict:
    return {k: row[k] for k in ("geo", "kind", "name", "iso3", "m49", "group_type")}


@router.get("/geo", summary="Every country, area and aggregate in the store")
def list_geo(request: Request) -> list[dict]:
    return [_geo_item(r) for r in _snapshot(request).geo_rows]


@router.get("/geo/{code}", summary="One geo by ISO3, M49, id or name (members for aggregates)")
def get_geo(request: Request, code: str = Path(max_length=MAX_TEXT)) -> dict:
    snap = _snapshot(request)
    geo = _resolve(snap, code, "geo")
    by_id = {r["geo"]: r for r in snap.geo_rows}
    item = _geo_item(by_id[geo])
    if item["kind"] == "aggregate":
        item["members"] = [
            _geo_item(by_id[m]) if m in by_id else {"geo": m} for m in snap.members.get(geo, [])
        ]
    return item


def _catalogue_item(ind: Indicator) -> dict:
    return {
        "id": ind.id,
        "title": ind.title,
        "unit": ind.unit,
        "definition": ind.definition,
        "sdg": ind.sdg,
        "sources": list(ind.sources),
        "derivation": ind.derivation,
        "bilateral": ind.bilateral,
        "modelled": ind.modelled,
    }


@router.get("/indicators", summary="The indicator catalogue")
def list_indicators() -> list[dict]:
    return [_catalogue_item(i) for i in CATALOGUE]


def _row(r: dict) -> dict:
    if r.get("sheet"):
        cell = f"{r['sheet']}!{r['col']}{r['row']}"
    elif r.get("row") is not None:
        cell = f"line {r['row']}"
    else:
        cell = ""
    r = {**r, "cell": cell}
    return {k: clean(r.get(k)) for k in ROW_FIELDS}


@router.get(
    "/indicators/{indicator_id}/data",
    summary="Observations of one indicator as long rows, each with its source and cell",
)
def indicator_data(
    request: Request,
    indicator_id: str = Path(max_length=MAX_TEXT),
    geo: str | None = Query(None, max_length=MAX_TEXT, description="ISO3, M49, id or name"),
    partner: str | None = Query(None, max_length=MAX_TEXT),
    from_: str | None = Query(None, alias="from", max_length=10, description="first year"),
    to: str | None = Query(None, max_length=10, description="last year"),
    sex: str = Query("total", max_length=10, description="total | male | female | all"),
    format: str = Query("json", max_length=10, description="json | csv"),
):
    ind = _indicator(indicator_id)
    first, last = _year(from_, "from"), _year(to, "to")
    if first is not None and last is not None and first > last:
        raise HTTPException(400, f"from ({first}) is after to ({last})")
    sex = _choice(sex, "sex", SEXES)
    fmt = _choice(format, "format", FORMATS)
    if (geo is None or not geo.strip()) and fmt != "csv":
        raise HTTPException(
            400, "geo: required for JSON (ISO3, M49, id or name; see /api/geo); "
            "format=csv without geo streams the whole indicator",
        )  # fmt: skip
    snap = _snapshot(request)
    geo_id = _resolve(snap, geo, "geo") if geo is not None and geo.strip() else None
    partner_id = _resolve(snap, partner, "partner") if partner is not None else None
    year = first if first is not None and first == last else None

    def rows() -> Iterator[dict]:
        # a cursor of its own, held while the response streams, closed when it ends
        with _reader(snap) as store:
            for r in store.stream(ind.id, geo_id, partner=partner_id, year=year, sex=sex):
                y = r.get("year")
                if first is not None and (y is None or y < first):
                    continue
                if last is not None and (y is None or y > last):
                    continue
                yield _row(r)

    if fmt == "csv":
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{ind.id}_{geo_id or 'all'}")
        return StreamingResponse(
            _csv_chunks(rows()),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{safe}.csv"'},
        )
    return {"indicator": _catalogue_item(ind), "geo": geo_id, "rows": list(rows())}


def _csv_chunks(rows: Iterator[dict]) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=ROW_FIELDS, lineterminator="\n")
    writer.writeheader()
    for n, row in enumerate(rows, 1):
        writer.writerow({k: _csv_cell(v) for k, v in row.items()})
        if n % CSV_CHUNK == 0:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue()


def _csv_cell(value):
    """Neutralise spreadsheet formulas in text cells (CSV injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@router.get("/news", summary="Press items with their country and theme tags and checked figures")
def news(
    request: Request,
    geo: str | None = Query(None, max_length=MAX_TEXT, description="ISO3, M49, id or name"),
    theme: str | None = Query(None, max_length=40, pattern=r"^[a-z_]+$"),
    limit: int = Query(20, ge=1, le=200),
) -> dict:
    snap = _snapshot(request)
    geo_id = _resolve(snap, geo, "geo") if geo else None
    with _reader(snap) as store:
        items = store.news(geo_id, theme, limit)
    for item in items:
        item["added_at"] = str(item.get("added_at") or "")
    return {"geo": geo_id, "theme": theme, "items": items}


@router.get("/profiles/{geo}", summary="The profile of a country or region, every figure cited")
def profile(request: Request, geo: str = Path(max_length=MAX_TEXT)) -> dict:
    snap = _snapshot(request)
    geo_id = _resolve(snap, geo, "geo")
    return snap.profile(geo_id)
