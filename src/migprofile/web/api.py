"""The JSON/CSV API under /api: geography, the indicator catalogue, data rows and profiles.

Thin and read-only: every read goes through the store and the indicators library; user text is
only ever a bound parameter or a dictionary key, and every parameter is checked (`web.params`)
before it is used. A failed check raises `ParamError`, which the app answers as JSON.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import anyio
from anyio.lowlevel import RunVar
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from migprofile.indicators import CATALOGUE, Indicator, stream_observations
from migprofile.web import params
from migprofile.web.params import FORMATS, MAX_TEXT, ParamError
from migprofile.web.state import snapshot
from migprofile.wording import _, csvout

router = APIRouter(prefix="/api")

# CSV data streams (benchmarks/stream_memory.py: 50 concurrent whole-indicator streams). A
# stream holds one compacted group of rows (see `indicators.query.stream_observations`), one
# batch of Python rows and one chunk of CSV; what drives the server's peak is how many group
# queries run at once, each needing ~20 MB of engine working memory (window and join state)
# while it runs. So the streams' steps run in worker threads at most STREAM_THREADS at a time
# rather than in anyio's shared pool of 40: the GIL runs one step's Python at a time anyway,
# and a few keep both cores busy while queries run.
STREAM_BATCH = 100  # rows turned into Python objects at a time
STREAM_CHUNK = 250  # CSV records per chunk sent (~60 kB)
STREAM_THREADS = 4  # stream steps (store reads, CSV writing) running at once, all streams
_stream_limiter: RunVar[anyio.CapacityLimiter] = RunVar("migprofile_stream_limiter")


def _limiter() -> anyio.CapacityLimiter:
    """The event loop's limiter for stream steps (one per loop, like anyio's own)."""
    try:
        return _stream_limiter.get()
    except LookupError:
        limiter = anyio.CapacityLimiter(STREAM_THREADS)
        _stream_limiter.set(limiter)
        return limiter


async def _threaded(chunks: Iterator[str]) -> AsyncIterator[str]:
    """`chunks`, each produced in a worker thread, at most STREAM_THREADS steps at a time
    over all streams (FIFO: the streams take turns). Closed when the response ends or is
    abandoned (a client gone), which closes the stream's store cursor."""
    try:
        while True:
            chunk = await anyio.to_thread.run_sync(next, chunks, None, limiter=_limiter())
            if chunk is None:
                return
            yield chunk
    finally:
        close = getattr(chunks, "close", None)
        if close is not None:
            close()


def _geo_item(row: dict) -> dict:
    return {k: row[k] for k in ("geo", "kind", "name", "iso3", "m49", "group_type")}


@router.get("/geo", summary="Every country, area and aggregate in the store")
def list_geo(request: Request) -> list[dict]:
    return [_geo_item(r) for r in snapshot(request).geo_rows]


@router.get("/geo/{code}", summary="One geo by ISO3, M49, id or name (members for aggregates)")
def get_geo(request: Request, code: str = Path(max_length=MAX_TEXT)) -> dict:
    snap = snapshot(request)
    geo = params.geo(snap, code, "geo")
    by_id = snap.by_id
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
    ind = params.indicator(indicator_id)
    first, last = params.year_range(from_, to)
    sex = params.sex(sex)
    fmt = params.choice(format, "format", FORMATS)
    if (geo is None or not geo.strip()) and fmt != "csv":
        raise ParamError(
            400,
            _(
                "geo: required for JSON (ISO3, M49, id or name; see /api/geo); "
                "format=csv without geo streams the whole indicator"
            ),
        )
    snap = snapshot(request)
    geo_id = params.geo(snap, geo, "geo") if geo is not None and geo.strip() else None
    partner_id = params.geo(snap, partner, "partner") if partner is not None else None
    year = first if first is not None and first == last else None

    def rows() -> Iterator[dict]:
        # a cursor of its own, held while the response streams, closed when it ends
        with snap.read() as store:
            found = stream_observations(
                store,
                ind.id,
                geo_id,
                partner=partner_id,
                year=year,
                sex=sex,
                batch_size=STREAM_BATCH,
            )
            for r in found:
                y = r.get("year")
                if first is not None and (y is None or y < first):
                    continue
                if last is not None and (y is None or y > last):
                    continue
                yield params.row(r)

    if fmt == "csv":
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{ind.id}_{geo_id or 'all'}")
        return StreamingResponse(
            _threaded(csvout.chunks(params.ROW_FIELDS, rows(), STREAM_CHUNK)),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{safe}.csv"'},
        )
    return {"indicator": _catalogue_item(ind), "geo": geo_id, "rows": list(rows())}


@router.get("/news", summary="Press items with their country and theme tags and checked figures")
def news(
    request: Request,
    geo: str | None = Query(None, max_length=MAX_TEXT, description="ISO3, M49, id or name"),
    theme: str | None = Query(None, max_length=40, pattern=r"^[a-z_]+$"),
    limit: int = Query(20, ge=1, le=200),
) -> dict:
    snap = snapshot(request)
    geo_id = params.geo(snap, geo, "geo") if geo else None
    with snap.read() as store:
        items = store.news(geo_id, theme, limit)
    for item in items:
        item["added_at"] = str(item.get("added_at") or "")
    return {"geo": geo_id, "theme": theme, "items": items}


@router.get("/profiles/{geo}", summary="The profile of a country or region, every figure cited")
def profile(request: Request, geo: str = Path(max_length=MAX_TEXT)) -> dict:
    snap = snapshot(request)
    return snap.profile_dict(params.geo(snap, geo, "geo"))
