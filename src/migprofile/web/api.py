"""The JSON/CSV API under /api: geography, the indicator catalogue, data rows and profiles.

Thin and read-only: every read goes through the store and the indicators library; user text is
only ever a bound parameter or a dictionary key, and every parameter is checked (`web.params`)
before it is used. A failed check raises `ParamError`, which the app answers as JSON.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator, Iterator
from typing import Annotated
from urllib.parse import unquote

import anyio
from anyio.lowlevel import RunVar
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import StringConstraints

from migprofile.errors import UsageError
from migprofile.indicators import Indicator, stream_observations
from migprofile.indicators.catalogue import method_variant
from migprofile.indicators.query import MAX_GEOS
from migprofile.indicators.tables import (
    LONG_FIELDS,
    GeoNames,
    about_lines,
    citation_lines,
    public_row,
    wide_table,
    wide_years,
    workbook_sheets,
)
from migprofile.indicators.user import all_indicators
from migprofile.web import params
from migprofile.web.params import FORMATS, MAX_TEXT, SHAPES, ParamError
from migprofile.web.state import snapshot
from migprofile.wording import _, csvout, xlsxout
from migprofile.wording.i18n import current_language

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
    return [_catalogue_item(i) for i in all_indicators()]


MAX_TABLE_ROWS = 100_000  # values a wide table or an xlsx file is built from (in memory)
GeoList = list[Annotated[str, StringConstraints(max_length=params.MAX_GEO_PARAM)]] | None

DATA_DESCRIPTION = f"""
Every value with its source, edition, file (sha256) and cell.

**Several geos.** `geo` takes one geo (ISO3, M49, id or name) or several: comma-separated
(`geo=KAZ,KGZ,TJK`) and/or repeated (`geo=KAZ&geo=KGZ`), in the order given, each once.
An unknown item answers 404 naming it. One geo alone is itself (a region: its own rows, the
regional total). In a list of two or more, a region or aggregate id (`central-asia`,
`eu27_2020`, `world`) stands for its member countries followed by the region's own rows (the
regional total, computed from the members where no publisher reports it). At most {MAX_GEOS}
geos once regions are expanded (400 beyond). A name that contains a comma, written exactly as
in /api/geo, is taken whole. `partner` takes a list the same way.

**Names.** Rows carry `name` and `partner_name`, in the language of the path prefix
(`/ru/api/...` in Russian; no prefix: English).

**format** `json` | `csv` | `xlsx`; **shape** `long` | `wide`.
- long: one row per value (`csv` without `geo` streams the whole indicator; `json` needs
  `geo`).
- wide: one row per series (geo, partner, sex, age, unit), the names first, one column per
  year (or sub-annual period) across, then the source and edition its values came from (one
  edition per series; a row that mixes lists them joined with `; `). JSON wide is
  `{{"years": [...], "rows": [{{"name", "geo", ..., "values": {{year: value}}}}]}}`.
- xlsx: sheet `data` (the wide or long table), for wide also `cells` (every value's long
  row: file name, sha256 and cell), and `about` (the query, the build time, the citations).

Wide tables and xlsx files are built in memory: without `geo` they hold the whole indicator,
up to {MAX_TABLE_ROWS} values; beyond that (or with more, for a geo list) the answer is 400:
narrow it (geo, partner, from, to) or take `format=csv&shape=long`, which streams.
"""


def _filename(indicator_id: str, geos: list[str] | None, shape: str, ext: str) -> str:
    """A safe download name: the indicator, the geos (a few, or the first and a count)."""
    if geos is None:
        part = "all"
    elif len(geos) <= 5:
        part = "-".join(geos)
    else:
        part = f"{geos[0]}-and-{len(geos) - 1}-more"
    name = f"{indicator_id}_{part}" + ("_wide" if shape == "wide" else "")
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)[:150] + f".{ext}"


def _selection(ids: list[str] | None) -> str | tuple[str, ...] | None:
    """One geo as itself (a region: its own rows), several as a tuple."""
    if ids is None:
        return None
    return ids[0] if len(ids) == 1 else tuple(ids)


@router.get(
    "/indicators/{indicator_id}/data",
    summary="Observations of one indicator, each with its source and cell (several geos, "
    "long or wide, JSON, CSV or xlsx)",
    description=DATA_DESCRIPTION,
)
def indicator_data(
    request: Request,
    indicator_id: str = Path(max_length=MAX_TEXT),
    geo: GeoList = Query(
        None, description="ISO3, M49, id or name; several comma-separated or repeated"
    ),
    partner: GeoList = Query(None, description="partner geo(s), as for geo"),
    from_: str | None = Query(None, alias="from", max_length=10, description="first year"),
    to: str | None = Query(None, max_length=10, description="last year"),
    sex: str = Query("total", max_length=10, description="total | male | female | all"),
    format: str = Query("json", max_length=10, description="json | csv | xlsx"),
    shape: str = Query("long", max_length=10, description="long | wide"),
    method: str | None = Query(
        None,
        max_length=30,
        description="estimated flows only: diff-zero | diff-return | rates-dennett | "
        "demographic (default) | demographic-independent",
    ),
):
    try:
        indicator_id = method_variant(indicator_id, method)
    except UsageError as exc:
        raise ParamError(400, str(exc).replace("--method", "method")) from None
    ind = params.indicator(indicator_id)
    first, last = params.year_range(from_, to)
    sex = params.sex(sex)
    fmt = params.choice(format, "format", FORMATS)
    form = params.choice(shape, "shape", SHAPES)
    snap = snapshot(request)
    geo_ids = params.geos(snap, geo, "geo")
    if geo_ids is None and fmt == "json" and form == "long":
        raise ParamError(
            400,
            _(
                "geo: required for JSON (ISO3, M49, id or name, several comma-separated; "
                "see /api/geo); format=csv without geo streams the whole indicator"
            ),
        )
    partner_ids = params.geos(snap, partner, "partner")
    year = first if first is not None and first == last else None
    names = GeoNames(snap.by_id, current_language())

    def rows() -> Iterator[dict]:
        # a cursor of its own, held while the response streams, closed when it ends
        with snap.read() as store:
            found = stream_observations(
                store,
                ind.id,
                _selection(geo_ids),
                partner=_selection(partner_ids),
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
                yield public_row(
                    {**r, "name": names(r["geo"]), "partner_name": names(r["partner"])}
                )

    if fmt == "csv" and form == "long":
        return StreamingResponse(
            _threaded(csvout.chunks(LONG_FIELDS, rows(), STREAM_CHUNK)),
            media_type="text/csv; charset=utf-8",
            headers=_attachment(_filename(ind.id, geo_ids, form, "csv")),
        )
    if fmt == "json" and form == "long":
        return {
            "indicator": _catalogue_item(ind),
            "geo": ",".join(geo_ids or ()),
            "geos": geo_ids,
            "rows": list(rows()),
        }
    found = _bounded(rows())
    if fmt == "xlsx":
        with snap.read() as store:
            citations = citation_lines(store, found)
        about = about_lines(
            indicator=ind.id,
            title=ind.display_title(),
            query=unquote(f"{request.url.path}?{request.url.query}"),
            built_at=dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            version=snap.version,
            rows=len(found),
            citations=citations,
        )
        buffer = io.BytesIO()
        xlsxout.write(buffer, workbook_sheets(found, shape=form, about=about))
        return Response(
            buffer.getvalue(),
            media_type=xlsxout.MEDIA_TYPE,
            headers=_attachment(_filename(ind.id, geo_ids, form, "xlsx")),
        )
    columns, lines = wide_table(found)
    if fmt == "csv":
        return Response(
            csvout.text(columns, lines),
            media_type="text/csv; charset=utf-8",
            headers=_attachment(_filename(ind.id, geo_ids, form, "csv")),
        )
    years = wide_years(columns)
    return {
        "indicator": _catalogue_item(ind),
        "geo": ",".join(geo_ids or ()),
        "geos": geo_ids,
        "years": years,
        "rows": [{k: v for k, v in line.items() if k not in years} for line in lines],
    }


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def _bounded(rows: Iterator[dict]) -> list[dict]:
    """The rows of a table built in memory, ParamError (400) past MAX_TABLE_ROWS."""
    found: list[dict] = []
    try:
        for r in rows:
            found.append(r)
            if len(found) > MAX_TABLE_ROWS:
                message = _(
                    "more than {limit} values for a wide table or an xlsx file: narrow the "
                    "query (geo, partner, from, to) or use format=csv&shape=long, which streams"
                )
                raise ParamError(400, message.format(limit=MAX_TABLE_ROWS))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    return found


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
