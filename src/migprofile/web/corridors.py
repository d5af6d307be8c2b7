"""The corridor pages: `/corridor/{origin}/{destination}` (HTML) and
`/api/corridors/{origin}/{destination}` (JSON), both from `profiles.corridor`.

A corridor is money sent from `origin` to `destination` (in the store geo = destination,
partner = origin): the migrants both ways, the modelled remittances both ways and what sending
US$200 and US$500 costs, by year and by quarter, each figure with its source and cell. Unknown
geos answer 404 naming the parameter, the same country at both ends 400.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from migprofile.errors import UsageError
from migprofile.profiles.corridor import Corridor, corridor_from
from migprofile.profiles.model import Figure, Series
from migprofile.render import charts as ch
from migprofile.render.html import spec_json
from migprofile.web import pages
from migprofile.web.params import MAX_TEXT, ParamError, short
from migprofile.web.state import Snapshot, snapshot
from migprofile.wording import _, figure_year, human, is_pct, provenance, with_unit

# one router for both (the page is left out of the OpenAPI schema, the JSON is in it)
router = APIRouter()


def _geo(snap: Snapshot, text: str, parameter: str) -> str:
    """A country's geo id, or ParamError 404 naming the parameter."""
    from migprofile.web.params import find_geo

    geo = find_geo(snap, text) if len(text) <= MAX_TEXT else None
    if geo is None or snap.by_id[geo].get("kind") != "country":
        raise ParamError(
            404,
            _("{parameter}: there is no country called “{name}” in the data").format(
                parameter=parameter, name=short(text)
            ),
        )
    return geo


def corridor_of(snap: Snapshot, origin_text: str, destination_text: str) -> Corridor:
    """The corridor for two URL parts, or ParamError (404 unknown, 400 the same country)."""
    origin = _geo(snap, origin_text, "from")
    destination = _geo(snap, destination_text, "to")
    if origin == destination:
        raise ParamError(
            400,
            _(
                "to: {geo} is also the country money is sent from; a corridor joins two countries"
            ).format(geo=destination),
        )
    with snap.builder_lock:
        try:
            return corridor_from(snap._builder(), origin, destination)
        except UsageError as exc:  # checked above; kept for a geo table that changed
            raise ParamError(400, str(exc)) from None


def _chart(chart: ch.Chart | None, dom_id: str) -> dict[str, Any] | None:
    if chart is None:
        return None
    return {"chart": chart, "dom_id": dom_id, "spec": spec_json(chart.spec)}


def _charts(c: Corridor) -> list[dict[str, Any]]:
    cost = ch.quarterly_cost_chart(
        _("Cost of sending money from {origin} to {destination}").format(
            origin=c.origin_name, destination=c.destination_name
        ),
        [
            (_("US$200"), c.cost_200_quarters),
            (_("US$500"), c.cost_500_quarters),
        ],
        chart_id="corridor_cost",
    )
    stocks = ch.indicator_chart(
        _("Migrants in the corridor"),
        "persons",
        [(c.stock.label, c.stock), (c.stock_back.label, c.stock_back)],
        chart_id="corridor_stock",
    )
    # modelled remittances: a chart only for a series over years (one year: the table says it)
    years = {p.year for s in (c.remittances, c.remittances_back) for p in s.points}
    money = (
        None
        if len(years) < 2
        else ch.indicator_chart(
            _("Remittances (modelled)"),
            "US$",
            [(c.remittances.label, c.remittances), (c.remittances_back.label, c.remittances_back)],
            chart_id="corridor_remittances",
        )
    )
    blocks = [
        _chart(cost, "chart-corridor-cost"),
        _chart(stocks, "chart-corridor-stock"),
        _chart(money, "chart-corridor-remittances"),
    ]
    return [b for b in blocks if b is not None]


def _tables(c: Corridor) -> list[Series]:
    """Every series with a value, each shown as a table of its figures and cells."""
    return [s for s in c.series() if s.points]


@router.get(
    "/corridor/{origin}/{destination}", response_class=HTMLResponse, include_in_schema=False
)
def corridor_page(request: Request, origin: str, destination: str):
    snap = snapshot(request)
    try:
        c = corridor_of(snap, origin, destination)
    except ParamError as exc:
        suggestions: list[tuple[str, str]] = []
        return pages.error_page(request, exc.status, exc.message, suggestions)
    charts = _charts(c)
    title = _("{origin} → {destination}").format(
        origin=c.origin_name, destination=c.destination_name
    )
    return pages.render_page(
        request,
        "corridor.html.j2",
        title=title,
        c=c,
        blocks=charts,
        tables=_tables(c),
        has_charts=bool(charts),
        reverse_url=f"/corridor/{c.destination}/{c.origin}",
        value=_value,
        when=figure_year,
        cited=provenance,
        file_of=lambda f: c.files.get(f.sha256, ""),
    )


def _value(f: Figure) -> str:
    """A cost with two decimals (1.40%), a count or amount as a sentence says it."""
    return with_unit(f.value, f.unit) if is_pct(f.unit) else human(f.value, f.unit)


@router.get(
    "/api/corridors/{origin}/{destination}",
    summary="A corridor: money sent from one country to another",
    description=(
        "Migrants both ways, modelled remittances both ways (World Bank/KNOMAD) and the cost "
        "of sending US$200 and US$500 from `origin` to `destination` (Remittance Prices "
        "Worldwide) by year and quarter, every value with its source, edition, sha256 and "
        "cell. geo = destination, partner = origin, as in the indicator catalogue."
    ),
)
def corridor_json(request: Request, origin: str, destination: str) -> dict:
    return corridor_of(snapshot(request), origin, destination).to_dict()
