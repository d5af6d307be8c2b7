"""Charts for a profile: Vega-Lite specs in IOM's visual identity.

The same specs serve the HTML page (drawn in the browser by the Vega bundle from vl-convert, so
the page works offline) and the PDF (converted to SVG by vl-convert, no browser needed).

Every chart has a title, a "Source: …" line under it built from the citations of the figures it
draws, its last value labelled in short form (16M, 53K), light horizontal grid lines only, and
tooltips with the full value, year and citation. Points drawn from another source or edition
than the rest of the line, regional sums where not every member reports, and modelled
estimates are marked as such. A chart is made only when there is something to draw.
"""

from __future__ import annotations

import copy
import functools
import itertools
import statistics
import textwrap
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from migprofile.profiles.model import Figure, FlowEstimates, Profile, Section, Series
from migprofile.wording import (
    _,
    current_language,
    fixed,
    is_pct,
    modelled_note,
    ngettext,
    partner_label,
    short,
    source_line,
    with_unit,
    year_span,
    year_text,
)
from migprofile.wording.numbers import compact_suffixes, exact, human, unit_label

# -- visual identity ---------------------------------------------------------------------------
BLUES = ("#0033A0", "#4068B8", "#8099D0", "#B3C2E3", "#D9E0F1")
UN_BLUE = "#418FDE"
REDS = ("#D22630", "#DD5C64")
YELLOW = "#FFB81C"
GREEN = "#5CB8B2"
ORANGE = "#FF671F"
GREYS = ("#404040", "#666666", "#999999", "#CCCCCC", "#F2F2F2")
WHITE = "#FFFFFF"
PALETTE = frozenset((*BLUES, UN_BLUE, *REDS, YELLOW, GREEN, ORANGE, *GREYS, WHITE))

FONT = "Liberation Sans, Arial, Helvetica, sans-serif"
INK = GREYS[0]  # text
MUTED = GREYS[1]  # source lines, notes
WIDTH = 520  # plot area; with axes and labels a chart is about 620 px wide
HEIGHT = 220
FOOTER_CHARS = 95  # wrap the source line at about the chart's width

CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": WHITE,
    "padding": {"left": 4, "right": 12, "top": 4, "bottom": 4},
    "view": {"stroke": None},
    "title": {
        "font": FONT,
        "fontSize": 16,
        "fontWeight": "bold",
        "color": BLUES[0],
        "anchor": "start",
        "offset": 10,
    },
    "axis": {
        "labelFont": FONT,
        "titleFont": FONT,
        "labelFontSize": 12,
        "titleFontSize": 12,
        "titleFontWeight": "normal",
        "labelColor": INK,
        "titleColor": MUTED,
        "domainColor": GREYS[2],
        "tickColor": GREYS[2],
        "gridColor": GREYS[3],
        "gridWidth": 0.6,
        "labelOverlap": True,
        "labelAngle": 0,
    },
    "axisX": {"grid": False},
    "axisY": {"grid": True, "domain": False, "ticks": False, "labelPadding": 4},
    "legend": {
        "orient": "top",
        "direction": "horizontal",
        "title": None,
        "labelFont": FONT,
        "labelFontSize": 12,
        "labelColor": INK,
        "labelLimit": 480,
        "symbolStrokeWidth": 2.5,
        "offset": 6,
        "padding": 0,
    },
    "mark": {"color": BLUES[0]},
    "range": {"category": [BLUES[0], UN_BLUE, REDS[0], ORANGE, GREYS[0], GREEN, BLUES[2]]},
    "text": {"font": FONT, "color": INK},
}

# Axis labels: 16M, 53K, 2.2B (d3's SI prefix says G for billions), in the active language's
# decimal sign and short forms (Russian 2,2 млрд, 53 тыс.).
SI_LABELS = "replace(replace(format(datum.value, '~s'), 'G', 'B'), 'k', 'K')"
PCT_LABELS = "format(datum.value, '~g') + '%'"


def si_labels() -> str:
    """The Vega label expression for counts and amounts in the active language."""
    lang = current_language()
    thousand, million, billion = compact_suffixes(lang)
    decimal = fixed(1.5, 1)[1]
    if (thousand, million, billion, decimal) == ("K", "M", "B", "."):
        return SI_LABELS
    expr = "format(datum.value, '~s')"
    if decimal != ".":
        expr = f"replace({expr}, '.', '{decimal}')"
    for prefix, suffix in (("G", billion), ("M", million), ("k", thousand)):
        expr = f"replace({expr}, '{prefix}', '{suffix}')"
    return expr


def pct_labels() -> str:
    """The Vega label expression for percentages ('15,5 %' where the language writes so)."""
    decimal = fixed(1.5, 1)[1]
    before, _sep, after = _("{number}%").partition("{number}")
    expr = "format(datum.value, '~g')"
    if decimal != ".":
        expr = f"replace({expr}, '.', '{decimal}')"
    if (before, after, decimal) == ("", "%", "."):
        return PCT_LABELS
    return f"'{before}' + {expr} + '{after}'"


@dataclass
class Chart:
    id: str  # "stocks", "top_destinations", "top_origins", "remittances", "cost", ...
    section: str  # the profile section it belongs to
    title: str
    source_line: str  # "Source: UN DESA 2020; World Bank WDI 2023-05-10"
    spec: dict  # Vega-Lite, data inlined, no URLs


# -- public interface --------------------------------------------------------------------------
def charts_for(profile: Profile) -> list[Chart]:
    """Every chart the profile has data for, in section order; never a chart of nothing."""
    makers = (
        _stocks,
        _top_destinations,
        _top_origins,
        _remittances,
        _remittance_senders,
        _cost,
        _cost_by_sender,
        _displacement,
        _refugees,
        _net_migration,
    )
    charts = [c for make in makers if (c := make(profile)) is not None]
    order = {s.id: i for i, s in enumerate(profile.sections)}
    return sorted(charts, key=lambda c: order.get(c.section, len(order)))  # stable sort


_convert_lock = threading.Lock()


def to_svg(chart: Chart) -> str:
    """The chart as SVG (vl-convert's one embedded engine, started on first use; system fonts)."""
    import vl_convert as vlc

    with _convert_lock:
        return vlc.vegalite_to_svg(chart.spec)


@functools.cache
def vega_bundle() -> str:
    """Vega, Vega-Lite and vega-embed as one script (~0.9 MB) that makes no outside request."""
    import vl_convert as vlc

    # vl_convert's stub makes `snippet` required; the function itself defaults it to None
    bundle: str = vlc.javascript_bundle()  # type: ignore[call-arg]
    return bundle


# -- data for one chart ------------------------------------------------------------------------
def _pct(unit: str) -> bool:
    return is_pct(unit)


def full_value(f: Figure) -> str:
    """A tooltip's value: every digit, with its unit."""
    return with_unit(f.value, f.unit)


def _label(value: float | None, unit: str) -> str:
    text = short(value)
    return _("{number}%").format(number=text) if _pct(unit) and text else text


def _when(f: Figure) -> str:
    return year_text(f.year, f.period)


def _source_line(figures: Iterable[Figure]) -> str:
    return source_line(f.citation for f in figures)


def _points(series: Series | None) -> list[Figure]:
    """Points with a value, one per year (preferring the latest point's citation)."""
    if series is None:
        return []
    points = [p for p in series.points if p.value is not None and p.year is not None]
    if not points:
        return []
    main = _main_citation(points)
    by_year: dict[int, Figure] = {}
    for p in sorted(points, key=lambda p: (_year_of(p), p.period)):
        kept = by_year.get(_year_of(p))
        if kept is None or (kept.citation != main and p.citation == main):
            by_year[_year_of(p)] = p
        elif kept.citation == p.citation:
            by_year[_year_of(p)] = p  # the later period of the same source
    return [by_year[y] for y in sorted(by_year)]


def _year_of(f: Figure) -> int:
    """The year of a charted point (points without one are never charted)."""
    if f.year is None:
        raise ValueError(f"{f.indicator}: a charted point has no year")
    return f.year


def _main_citation(points: list[Figure]) -> str:
    latest = max(points, key=lambda p: (p.year or 0, p.period))
    return latest.citation


def _partial(f: Figure) -> bool:
    """A regional sum that not every member reports."""
    if not f.coverage:
        return False
    head = f.coverage.split(" members report")[0].split(" of ")
    return len(head) == 2 and head[0].strip() != head[1].strip()


def _records(name: str, series: Series | None, *, ranked: bool = False) -> list[dict]:
    """Rows for one line or bar series, with the marks' flags and the tooltip's text."""
    points = series.points if ranked and series else _points(series)
    points = [p for p in points if p.value is not None]
    if not points:
        return []
    assert series is not None  # no series, no points
    main = _main_citation(points)
    steps = [_year_of(b) - _year_of(a) for a, b in itertools.pairwise(points)] if not ranked else []
    step = statistics.median(steps) if steps else 1
    rows: list[dict[str, Any]] = []
    segment, previous = 0, None
    for p in points:
        other = p.citation != main and not ranked
        if not ranked and previous is not None and _year_of(p) - previous > step:
            segment += 1  # break the line over a gap in the data
        previous = p.year
        rows.append(
            {
                "series": name,
                "year": p.year,
                "when": _when(p),
                "value": p.value,
                "value_text": full_value(p),
                "label": "",
                "citation": p.citation,
                "cell": p.cell,
                "coverage": p.coverage,
                "other_source": other,
                "partial": _partial(p),
                "open": other or _partial(p),
                "modelled": p.modelled,
                "segment": f"{name} {segment}" if not other else f"{name} other {p.year}",
                "partner": partner_label(p.partner_name or p.partner) if ranked else "",
                "last": False,
            }
        )
    if not ranked:
        last = max((r for r in rows if not r["other_source"]), key=lambda r: r["year"])
        last["last"] = True
        last["label"] = _label(last["value"], series.unit)
    else:
        for r in rows:
            r["label"] = _label(r["value"], series.unit)
    return rows


def _figures(*series: Series | None) -> list[Figure]:
    out: list[Figure] = []
    for s in series:
        out += _points(s) if s is not None else []
    return out


def _series(profile: Profile, section: str, indicator: str) -> Series | None:
    s: Section | None = profile.section(section)
    return s.series.get(indicator) if s else None


def _span(rows: list[dict]) -> str:
    years = sorted({r["year"] for r in rows})
    return year_span(years[0], years[-1])


# -- Vega-Lite pieces --------------------------------------------------------------------------
# Specs are written as plain dicts, in the shape Altair's Chart.to_dict() produces: building them
# through Altair's classes costs ~60 ms a chart (it deep-copies every layer), too slow for
# `build --all`. The tests validate every spec against the Vega-Lite schema with Altair.
def _nominal(name: str, title: str) -> dict:
    return {"field": name, "type": "nominal", "title": title}


def _tooltip(rows: list[dict], *, ranked: bool = False) -> list[dict]:
    tips = [_nominal("partner", _("Country")) if ranked else _nominal("series", _("Series"))]
    tips += [
        _nominal("when", _("Year")),
        _nominal("value_text", _("Value")),
        _nominal("citation", _("Source")),
    ]
    if any(r["cell"] for r in rows):
        tips.append(_nominal("cell", _("Cell")))
    if any(r["coverage"] for r in rows):
        tips.append(_nominal("coverage", _("Coverage")))
    if any(r["modelled"] for r in rows):
        tips.append(_nominal("modelled_text", _("Note")))
        for r in rows:
            r["modelled_text"] = modelled_note() if r["modelled"] else ""
    return tips


def _tick_years(years: list[int], *, band: bool) -> list[int]:
    """Year ticks: every year over a short span, else every fifth or tenth year."""
    first, last = min(years), max(years)
    span = last - first
    step = 1 if span <= 12 else 5 if span <= 35 else 10
    candidates = years if band else range(first, last + 1)
    ticks = [y for y in candidates if y % step == 0 or step == 1]
    return ticks or [first, last]


def _x_years(years: list[int]) -> dict:
    """A continuous year axis (lines)."""
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1
    return {
        "field": "year",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [first, last], "nice": False, "zero": False},
        "axis": {"format": "d", "values": _tick_years(years, band=False), "labelFlush": True},
    }


def _x_band(years: list[int], *, labels: bool = True) -> dict:
    """A year per band (bars), so panels and layers line up."""
    axis: dict = {"values": _tick_years(years, band=True)}
    if not labels:
        axis = {"labels": False, "ticks": False, "domain": True}
    return {
        "field": "year",
        "type": "ordinal",
        "title": None,
        "scale": {"domain": years, "paddingInner": 0.2, "paddingOuter": 0.1},
        "axis": axis,
    }


def _band_width(years: list[int]) -> int:
    """A narrower plot for a few years of bars, so one year is not one bar as wide as the chart."""
    return min(WIDTH, max(160, 60 * len(years)))


def _y(unit: str, title: str | None) -> dict:
    return {
        "field": "value",
        "type": "quantitative",
        "title": title,
        "scale": {"zero": True},
        "axis": {"labelExpr": pct_labels() if _pct(unit) else si_labels(), "tickCount": 5}
        | ({} if _pct(unit) else {"tickMinStep": 1}),  # no "500m" people
    }


def _colour(names: list[str], colours: dict[str, str], *, legend: bool) -> dict:
    # long names (a country name in the series name) one to a line, not off the chart
    stacked = sum(len(n) + 6 for n in names) > 85
    return {
        "field": "series",
        "type": "nominal",
        "scale": {"domain": names, "range": [colours[n] for n in names]},
        "sort": names,
        "legend": ({"columns": 1} if stacked else {}) if legend else None,
    }


def _text(**mark) -> dict:
    return {"type": "text", "fontSize": 12, "fontWeight": "bold", "color": INK, **mark}


def _line_layers(
    rows: list[dict],
    x: dict,
    y: dict,
    colours: dict[str, str],
    *,
    legend: bool = True,
    colour: dict | None = None,
) -> list[dict]:
    """A line per series (gaps in the data break it), a marker per value (open for another
    source or a partial regional sum), the last value labelled."""
    names = [n for n in colours if any(r["series"] == n for r in rows)]
    if colour is None:
        colour = _colour(names, colours, legend=legend and len(names) > 1)
        if colour["legend"] is not None:
            colour["legend"]["symbolType"] = "stroke"
    plain = colour  # the same legend settings, or Vega-Lite warns of a conflict and merges them
    tips = _tooltip(rows)
    return [
        {
            "mark": {"type": "line", "strokeWidth": 2.5},
            "transform": [{"filter": "!datum.other_source"}],
            "encoding": {
                "x": x,
                "y": y,
                "color": colour,
                "detail": {"field": "segment", "type": "nominal"},
            },
        },
        {
            "mark": {
                "type": "point",
                "shape": "circle",
                "size": 36,
                "strokeWidth": 1.8,
                "opacity": 1,
                "filled": False,
            },
            "encoding": {
                "x": x,
                "y": y,
                "stroke": plain,
                "fill": {"condition": {"test": "datum.open", "value": WHITE}, **plain},
                "tooltip": tips,
            },
        },
        *_last_labels(rows, x, y, names),
    ]


def _last_labels(rows: list[dict], x: dict, y: dict, names: list[str]) -> list[dict]:
    """The last value of each series, right of its last point; two labels that would overlap
    are pushed apart (the higher up, the lower down)."""
    lasts = sorted((r for r in rows if r["last"]), key=lambda r: r["value"])
    top = max((abs(r["value"]) for r in rows), default=0) or 1
    dy = dict.fromkeys(names, 0)
    for low, high in itertools.pairwise(lasts):
        if low["year"] == high["year"] and (high["value"] - low["value"]) / top < 0.08:
            dy[low["series"]], dy[high["series"]] = 7, -7
    layers = []
    for i, name in enumerate(names):
        for r in rows:
            if r["series"] == name:
                r["series_index"] = i
        layers.append(
            {
                "mark": _text(align="left", baseline="middle", dx=7, dy=dy[name]),
                "transform": [{"filter": f"datum.last && datum.series_index === {i}"}],
                "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}},
            }
        )
    return layers


def _footer(lines: list[str]) -> dict:
    return {
        "text": lines,
        "orient": "bottom",
        "anchor": "start",
        "fontSize": 11,
        "fontWeight": "normal",
        "color": MUTED,
        "font": FONT,
        "offset": 12,
        "lineHeight": 14,
    }


def _panel_title(text: str) -> dict:
    return {
        "text": text,
        "anchor": "start",
        "fontSize": 12,
        "fontWeight": "normal",
        "color": INK,
        "offset": 6,
    }


def _wrap_source(source: str) -> list[str]:
    """The source line broken between citations where it can be."""
    lines: list[str] = []
    for part in source.split("; "):
        if lines and len(lines[-1]) + 2 + len(part) <= FOOTER_CHARS:
            lines[-1] += "; " + part
        else:
            lines.append(part)
    out: list[str] = []
    for line in lines:
        out += textwrap.wrap(line, FOOTER_CHARS) or [line]
    return out


def _finish(
    chart_id: str,
    section: str,
    title: str,
    body: dict,
    figures: list[Figure],
    notes: list[str],
    source: str | None = None,
) -> Chart:
    """Title on top; under the chart the source line (from the figures' citations unless
    given) and what its marks mean."""
    source = source if source is not None else _source_line(figures)
    footer = _wrap_source(source)
    for note in notes:
        footer += textwrap.wrap(note, FOOTER_CHARS)
    body = dict(body, title=_footer(footer))
    spec = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "config": copy.deepcopy(CONFIG),
        "description": _("{title}. {source}.").format(title=title, source=source),
        "title": {"text": textwrap.wrap(title, 70)},
        "vconcat": [body],
    }
    return Chart(chart_id, section, title, source, spec)


def _notes(rows: list[dict]) -> list[str]:
    notes = []
    if any(r["other_source"] for r in rows):
        notes.append(
            _("Open markers off the line: a value from another source or edition than the line.")
        )
    if any(r["partial"] for r in rows):
        notes.append(_partial_note())
    if any(r["modelled"] for r in rows):
        notes.append(_("Modelled estimates, not measured values."))
    return notes


def _partial_note(*, bars: bool = False) -> str:
    if bars:
        return _("Pale bars and open markers: a regional figure that not every member reports.")
    return _("Open markers: a regional figure that not every member reports.")


def _years(rows: list[dict]) -> list[int]:
    return sorted({r["year"] for r in rows})


# -- the charts --------------------------------------------------------------------------------
def _stocks(profile: Profile) -> Chart | None:
    emig = _series(profile, "emigration", "emigrant_stock")
    immig = _series(profile, "immigration", "immigrant_stock")
    names = (_("Emigrants"), _("Immigrants"))
    rows = _records(names[0], emig) + _records(names[1], immig)
    if not rows:
        return None
    colours = {names[0]: BLUES[0], names[1]: UN_BLUE}
    body = {
        "data": {"values": rows},
        "width": WIDTH,
        "height": HEIGHT,
        "layer": _line_layers(rows, _x_years(_years(rows)), _y("persons", _("People")), colours),
    }
    title = _("Emigrants and immigrants, {years}").format(years=_span(rows))
    return _finish("stocks", "emigration", title, body, _figures(emig, immig), _notes(rows))


def _ranking_chart(
    profile: Profile, chart_id: str, section: str, key: str, colour: str
) -> Chart | None:
    """Horizontal bars, largest first, each labelled (so no value axis)."""
    sec = profile.section(section)
    series = sec.rankings.get(key) if sec else None
    if series is None:
        return None
    rows = _records(series.label, series, ranked=True)
    if not rows:
        return None
    y = {
        "field": "partner",
        "type": "nominal",
        "sort": [r["partner"] for r in rows],
        "title": None,
        "axis": {
            "grid": False,
            "domain": False,
            "ticks": False,
            "labelLimit": 170,
            "labelPadding": 6,
        },
    }
    x = {"field": "value", "type": "quantitative", "title": None, "axis": None}
    modelled = any(r["modelled"] for r in rows)
    bars = {
        "mark": {"type": "bar", "color": colour, "height": {"band": 0.72}},
        "encoding": {"x": x, "y": y, "tooltip": _tooltip(rows, ranked=True)},
    }
    labels = {
        "mark": _text(align="left", baseline="middle", dx=4, fontWeight="normal"),
        "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}},
    }
    body = {
        "data": {"values": rows},
        "width": WIDTH - 130,
        "height": 24 * len(rows),
        "layer": [bars, labels],
    }
    years = ", ".join(map(str, _years(rows)))
    title = _("{label}, {years}").format(label=series.label, years=years)
    if len(rows) > 1:
        title = ngettext("{label}: top {n}, {years}", "{label}: top {n}, {years}", len(rows))
        title = title.format(label=series.label, n=len(rows), years=years)
    if modelled and "modelled" not in title:
        title += _(" (modelled)")
    return _finish(chart_id, section, title, body, series.points, _notes(rows))


def _top_destinations(profile: Profile) -> Chart | None:
    return _ranking_chart(profile, "top_destinations", "emigration", "top_destinations", BLUES[0])


def _top_origins(profile: Profile) -> Chart | None:
    return _ranking_chart(profile, "top_origins", "immigration", "top_origins", BLUES[1])


def _remittance_senders(profile: Profile) -> Chart | None:
    return _ranking_chart(
        profile, "top_remittance_senders", "remittances", "top_remittance_senders", BLUES[2]
    )


def _remittances(profile: Profile) -> Chart | None:
    """US$ received (bars) over the share of GDP (line): two panels on one year axis."""
    usd = _series(profile, "remittances", "remittances_received_usd")
    pct = _series(profile, "remittances", "remittances_received_pct_gdp")
    received, share = _("Received, US$"), _("Share of GDP")
    rows_usd = _records(received, usd)
    rows_pct = _records(share, pct)
    if not rows_usd and not rows_pct:
        return None
    years = _years(rows_usd + rows_pct)
    panels = []
    if rows_usd:
        x = _x_band(years, labels=not rows_pct)
        y = _y("US$", None)
        panels.append(
            {
                "data": {"values": rows_usd},
                "title": _panel_title(received),
                "width": _band_width(years),
                "height": 150 if rows_pct else HEIGHT,
                "layer": [
                    {
                        "mark": {"type": "bar"},
                        "encoding": {
                            "x": x,
                            "y": y,
                            "fill": {
                                "condition": {"test": "datum.open", "value": BLUES[3]},
                                "value": BLUES[0],
                            },
                            "tooltip": _tooltip(rows_usd),
                        },
                    },
                    {
                        "mark": _text(baseline="bottom", dy=-3),
                        "transform": [{"filter": "datum.last"}],
                        "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}},
                    },
                ],
            }
        )
    if rows_pct:
        x = _x_band(years)
        y = _y("%", None)
        if rows_usd:
            y["axis"]["tickCount"] = 3  # a short panel: fewer, readable ticks
        panels.append(
            {
                "data": {"values": rows_pct},
                "title": _panel_title(share),
                "width": _band_width(years),
                "height": 100 if rows_usd else HEIGHT,
                "layer": _line_layers(rows_pct, x, y, {share: UN_BLUE}, legend=False),
            }
        )
    body = {"vconcat": panels, "spacing": 12, "resolve": {"scale": {"x": "shared"}}}
    title = _("Remittances received, {years}").format(years=_span(rows_usd + rows_pct))
    figures = _figures(usd, pct)
    return _finish("remittances", "remittances", title, body, figures, _notes(rows_usd + rows_pct))


def _cost(profile: Profile) -> Chart | None:
    """SDG 10.c.1: what sending US$200 costs, against the 3% target."""
    to = _series(profile, "remittances", "remittance_cost_to_pct")
    frm = _series(profile, "remittances", "remittance_cost_from_pct")
    names = (_("Sending to the country"), _("Sending from the country"))
    rows = _records(names[0], to) + _records(names[1], frm)
    if not rows:
        return None
    colours = {names[0]: BLUES[0], names[1]: BLUES[2]}
    x, y = _x_years(_years(rows)), _y("%", _("% of the amount sent"))
    target = {"values": [{"target": 3, "text": _("SDG 10.c target: 3%")}]}
    rule_y = {"field": "target", "type": "quantitative"}
    layers = [
        {
            "data": target,
            "mark": {"type": "rule", "color": REDS[0], "strokeDash": [5, 3], "strokeWidth": 1.5},
            "encoding": {"y": rule_y},
        },
        {
            "data": target,
            "mark": _text(
                align="right", baseline="top", dy=4, x="width", fontWeight="normal", color=REDS[0]
            ),
            "encoding": {"y": rule_y, "text": {"field": "text", "type": "nominal"}},
        },
        *_line_layers(rows, x, y, colours),
    ]
    body = {"data": {"values": rows}, "width": WIDTH, "height": HEIGHT, "layer": layers}
    title = _("Cost of sending US$200 (SDG 10.c.1), {years}").format(years=_span(rows))
    return _finish("cost", "remittances", title, body, _figures(to, frm), _notes(rows))


def _displacement(profile: Profile) -> Chart | None:
    """New displacements by cause (bars side by side) and the conflict IDP stock (line)."""
    conflict = _series(profile, "displacement", "new_displacements_conflict")
    disaster = _series(profile, "displacement", "new_displacements_disaster")
    stock = _series(profile, "displacement", "idps_conflict_stock")
    names = (
        _("New displacements: conflict"),
        _("New displacements: disasters"),
        _("Internally displaced (conflict), end of year"),
    )
    bar_rows = _records(names[0], conflict) + _records(names[1], disaster)
    line_rows = _records(names[2], stock)
    rows = bar_rows + line_rows
    if not rows:
        return None
    present = [n for n in names if any(r["series"] == n for r in rows)]
    colours = dict(zip(names, (REDS[0], ORANGE, GREYS[0]), strict=True))
    colour = _colour(present, colours, legend=True)
    colour["legend"]["symbolType"] = "square"
    x = _x_band(_years(rows))
    y = _y("persons", _("People"))
    layers: list[dict] = []
    if bar_rows:
        offset = {"field": "series", "type": "nominal", "sort": present}
        # side-by-side bars in narrow bands: two labels would run into each other, so only
        # the larger of the latest values is written (the tooltip gives the other)
        lasts = [r for r in bar_rows if r["last"]]
        if len(lasts) > 1 and len(_years(rows)) > 6:
            keep = max(lasts, key=lambda r: (r["year"], r["value"]))
            for r in lasts:
                r["show_label"] = r is keep
        label_test = "datum.last && datum.show_label !== false"
        layers += [
            {
                "data": {"values": bar_rows},
                "mark": {"type": "bar"},
                "encoding": {
                    "x": x,
                    "y": y,
                    "xOffset": offset,
                    "color": colour,
                    "opacity": {"condition": {"test": "datum.open", "value": 0.55}, "value": 1},
                    "tooltip": _tooltip(bar_rows),
                },
            },
            {
                "data": {"values": bar_rows},
                "mark": _text(baseline="bottom", dy=-3),
                "transform": [{"filter": label_test}],
                "encoding": {
                    "x": x,
                    "y": y,
                    "xOffset": offset,
                    "text": {"field": "label", "type": "nominal"},
                },
            },
        ]
    if line_rows:
        line = _line_layers(line_rows, x, y, colours, colour=colour)  # one legend for all
        for layer in line:
            layer["data"] = {"values": line_rows}
        for label in line[2:]:  # below right of the point, clear of the bars' labels above
            label["mark"].update(baseline="top", dy=5, dx=5)
        layers += line
    body = {"width": _band_width(_years(rows)), "height": HEIGHT, "layer": layers}
    if bar_rows and line_rows:
        body["resolve"] = {"scale": {"xOffset": "independent"}}
    title = _("Internal displacement by cause, {years}").format(years=_span(rows))
    figures = _figures(conflict, disaster, stock)
    notes = _notes(rows)
    if any(r["partial"] for r in bar_rows):
        notes = [_partial_note(bars=True) if n == _partial_note() else n for n in notes]
    return _finish("displacement", "displacement", title, body, figures, notes)


def _refugees(profile: Profile) -> Chart | None:
    hosted = _series(profile, "displacement", "refugees_hosted")
    abroad = _series(profile, "displacement", "refugees_by_origin")
    names = (
        _("Refugees hosted in {name}").format(name=profile.name),
        _("Refugees from {name} abroad").format(name=profile.name),
    )
    rows = _records(names[0], hosted) + _records(names[1], abroad)
    if not rows:
        return None
    colours = {names[0]: BLUES[0], names[1]: REDS[0]}
    body = {
        "data": {"values": rows},
        "width": WIDTH,
        "height": HEIGHT,
        "layer": _line_layers(rows, _x_years(_years(rows)), _y("persons", _("People")), colours),
    }
    title = _("Refugees hosted and refugees abroad, {years}").format(years=_span(rows))
    return _finish("refugees", "displacement", title, body, _figures(hosted, abroad), _notes(rows))


def _net_migration(profile: Profile) -> Chart | None:
    series = _series(profile, "development", "net_migration")
    rows = _records(_("Net migration"), series)
    if not rows:
        return None
    x, y = _x_band(_years(rows)), _y("persons", _("People"))
    negative = next(r for r in rows if r["last"])["value"] < 0
    bars = {
        "mark": {"type": "bar"},
        "encoding": {
            "x": x,
            "y": y,
            "fill": {"condition": {"test": "datum.value < 0", "value": REDS[1]}, "value": BLUES[0]},
            "tooltip": _tooltip(rows),
        },
    }
    label = {
        "mark": _text(baseline="top" if negative else "bottom", dy=3 if negative else -3),
        "transform": [{"filter": "datum.last"}],
        "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}},
    }
    body = {
        "data": {"values": rows},
        "width": _band_width(_years(rows)),
        "height": HEIGHT,
        "layer": [bars, label],
    }
    title = _("Net migration (immigrants minus emigrants), {years}").format(years=_span(rows))
    notes = [_("Blue: more people arrived than left; red: more left than arrived."), *_notes(rows)]
    return _finish("net_migration", "development", title, body, _figures(series), notes)


# -- public chart API for other faces (the portal) ----------------------------------------------
def points(series: Series | None) -> list[Figure]:
    """Points with a value, one per year, as the charts draw them."""
    return _points(series)


def indicator_chart(
    title: str,
    unit: str,
    series: list[tuple[str, Series]],
    *,
    chart_id: str = "compare",
    section: str = "",
) -> Chart | None:
    """One line per named series (e.g. one per country) of one indicator, in the profile
    charts' style: title with the year span, a source line, last values labelled.

    None when there is nothing to draw."""
    palette = list(CONFIG["range"]["category"])
    rows: list[dict] = []
    colours: dict[str, str] = {}
    kept: list[Series] = []
    for i, (name, s) in enumerate(series):
        recs = _records(name, s)
        if recs:
            rows += recs
            colours[name] = palette[i % len(palette)]
            kept.append(s)
    if not rows:
        return None
    x = _x_years(_years(rows))
    body = {
        "data": {"values": rows},
        "width": WIDTH,
        "height": HEIGHT + 60,
        "layer": _line_layers(rows, x, _y(unit, unit_label(unit) or None), colours),
    }
    full_title = _("{label}, {years}").format(label=title, years=_span(rows))
    return _finish(chart_id, section, full_title, body, _figures(*kept), _notes(rows))


# -- corridors: costs against SDG 10.c's target -------------------------------------------------
SDG_10C_TARGET = 3.0  # SDG 10.c: remittance costs below 3% by 2030


def _target_layers(target: float) -> list[dict]:
    """A dashed red rule at the target, labelled at the right end."""
    data = {"values": [{"target": target, "text": _("SDG 10.c target: 3%")}]}
    return [
        {
            "data": data,
            "mark": {"type": "rule", "color": REDS[0], "strokeDash": [5, 3], "strokeWidth": 1.5},
            "encoding": {"x": {"field": "target", "type": "quantitative"}},
        },
        {
            "data": data,
            "mark": _text(
                align="left", baseline="bottom", dx=4, y=-3, fontWeight="normal", color=REDS[0]
            ),
            "encoding": {
                "x": {"field": "target", "type": "quantitative"},
                "text": {"field": "text", "type": "nominal"},
            },
        },
    ]


def target_bars(
    series: Series, *, chart_id: str, section: str, target: float = SDG_10C_TARGET
) -> Chart | None:
    """Horizontal bars, one per partner in the series' order, each labelled with its value
    (two decimals), and the target as a dashed rule: the cost of sending money home by
    sending country against SDG 10.c's 3%. None when there is nothing to draw."""
    rows = _records(series.label, series, ranked=True)
    if not rows:
        return None
    years = sorted({r["year"] for r in rows})
    for r in rows:
        r["label"] = _("{number}%").format(number=fixed(r["value"], 2))
        if len(years) > 1:  # a partner without the chart's year shows its own
            r["partner"] = _("{name} ({year})").format(name=r["partner"], year=r["year"])
    top = max([target, *(r["value"] for r in rows)])
    x = {
        "field": "value",
        "type": "quantitative",
        "title": _("% of the amount sent"),
        "scale": {"domain": [0, round(top * 1.18, 2)], "nice": False},
        "axis": {"labelExpr": pct_labels(), "tickCount": 5},
    }
    y = {
        "field": "partner",
        "type": "nominal",
        "sort": [r["partner"] for r in rows],
        "title": None,
        "axis": {"grid": False, "domain": False, "ticks": False, "labelLimit": 170},
    }
    bars = {
        "data": {"values": rows},
        "mark": {"type": "bar", "height": {"band": 0.72}},
        "encoding": {
            "x": x,
            "y": y,
            "fill": {
                "condition": {"test": f"datum.value > {target}", "value": BLUES[0]},
                "value": GREEN,
            },
            "tooltip": _tooltip(rows, ranked=True),
        },
    }
    labels = {
        "data": {"values": rows},
        "mark": _text(align="left", baseline="middle", dx=4, fontWeight="normal"),
        "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}},
    }
    body = {
        "width": WIDTH - 130,
        "height": 26 * len(rows),
        "layer": [bars, labels, *_target_layers(target)],
    }
    title = _("{label}, {years}").format(label=series.label, years=", ".join(map(str, years)))
    notes = [_("Green: at or below the target; blue: above it.")]
    return _finish(chart_id, section, title, body, series.points, notes)


def flow_ranges_chart(est: FlowEstimates, source: str, title: str) -> Chart | None:
    """The main corridors' estimated flows as ranges: a bar from the lowest to the highest
    method, a dot per method (modelled estimates; never drawn as one observed value)."""
    ranges = [*est.corridors_out, *est.corridors_in]
    if not ranges:
        return None
    rows, dots = [], []
    for r in ranges:
        name = _("{origin} → {destination}").format(
            origin=r.origin_name or r.origin, destination=r.destination_name or r.destination
        )
        low, high = human(r.low, "persons"), human(r.high, "persons")
        span = _("{low} to {high}").format(low=low, high=high)
        rows.append({"corridor": name, "low": r.low, "high": r.high, "text": span})
        for method, value in r.by_method.items():
            dots.append({"corridor": name, "method": method, "value": value,
                         "value_text": exact(round(value), "persons")})  # fmt: skip
    y = {
        "field": "corridor",
        "type": "nominal",
        "sort": [r["corridor"] for r in rows],
        "title": None,
        "axis": {"grid": False, "domain": False, "ticks": False, "labelLimit": 190},
    }
    x = {"field": "low", "type": "quantitative", "title": _("people who moved (estimated)"),
         "axis": {"format": "~s"}}  # fmt: skip
    layers = [
        {
            "data": {"values": rows},
            "mark": {"type": "bar", "height": {"band": 0.5}, "color": BLUES[2]},
            "encoding": {
                "x": x, "x2": {"field": "high"}, "y": y,
                "tooltip": [{"field": "corridor", "title": _("Corridor")},
                            {"field": "text", "title": _("Range across methods")}],
            },
        },
        {
            "data": {"values": dots},
            "mark": {"type": "point", "filled": True, "size": 40, "color": UN_BLUE},
            "encoding": {
                "x": {"field": "value", "type": "quantitative"}, "y": y,
                "tooltip": [{"field": "corridor", "title": _("Corridor")},
                            {"field": "method", "title": _("Method")},
                            {"field": "value_text", "title": _("Estimate")}],
            },
        },
    ]  # fmt: skip
    body = {"width": WIDTH - 150, "height": 24 * len(rows), "layer": layers}
    notes = [_("Each bar runs from the lowest to the highest method; each dot is one method.")]
    return _finish("flows", "flows", title, body, [], notes, source=source)


def _quarter_x(f: Figure) -> float:
    """A quarter's place on a year axis: 2020Q3 → 2020.5 (an annual value: the year)."""
    period = f.period or ""
    if "Q" in period:
        try:
            return (f.year or 0) + (int(period.split("Q")[-1][:1]) - 1) / 4
        except ValueError:
            pass
    return float(f.year or 0)


def quarterly_cost_chart(
    title: str,
    series: list[tuple[str, Series]],
    *,
    chart_id: str = "corridor_cost",
    section: str = "",
    target: float = SDG_10C_TARGET,
) -> Chart | None:
    """The cost of sending money in a corridor quarter by quarter (one line per series, e.g.
    US$200 and US$500), against SDG 10.c's 3% (a dashed rule). None when nothing to draw."""
    palette = [BLUES[0], UN_BLUE, ORANGE]
    rows: list[dict] = []
    colours: dict[str, str] = {}
    figures: list[Figure] = []
    for i, (name, s) in enumerate(series):
        points = sorted(
            (p for p in s.points if p.value is not None and p.year is not None), key=_quarter_x
        )
        if not points:
            continue
        colours[name] = palette[i % len(palette)]
        figures += points
        for n, p in enumerate(points):
            rows.append(
                {
                    "series": name, "x": _quarter_x(p), "year": p.year, "when": _when(p),
                    "value": p.value, "value_text": full_value(p), "citation": p.citation,
                    "cell": p.cell, "coverage": "", "modelled": False,
                    "label": _label(p.value, s.unit) if n == len(points) - 1 else "",
                }
            )  # fmt: skip
    if not rows:
        return None
    names = list(colours)
    first, last = min(r["x"] for r in rows), max(r["x"] for r in rows)
    years = sorted({r["year"] for r in rows})
    x = {
        "field": "x",
        "type": "quantitative",
        "title": None,
        "scale": {"domain": [first, last + 0.25], "nice": False, "zero": False},
        "axis": {"format": "d", "values": _tick_years(years, band=False), "labelFlush": True},
    }
    y = _y("%", _("% of the amount sent"))
    colour = _colour(names, colours, legend=len(names) > 1)
    rule = {"values": [{"target": target, "text": _("SDG 10.c target: 3%")}]}
    layers = [
        {
            "data": rule,
            "mark": {"type": "rule", "color": REDS[0], "strokeDash": [5, 3], "strokeWidth": 1.5},
            "encoding": {"y": {"field": "target", "type": "quantitative"}},
        },
        {
            "data": rule,
            "mark": _text(
                align="right", baseline="top", dy=4, x="width", fontWeight="normal", color=REDS[0]
            ),
            "encoding": {
                "y": {"field": "target", "type": "quantitative"},
                "text": {"field": "text", "type": "nominal"},
            },
        },
        {
            "mark": {"type": "line", "strokeWidth": 2.5, "point": {"size": 24}},
            "encoding": {"x": x, "y": y, "color": colour, "tooltip": _tooltip(rows)},
        },
        {
            "mark": _text(align="left", baseline="middle", dx=7),
            "transform": [{"filter": "datum.label != ''"}],
            "encoding": {"x": x, "y": y, "text": {"field": "label", "type": "nominal"}},
        },
    ]
    body = {"data": {"values": rows}, "width": WIDTH, "height": HEIGHT, "layer": layers}
    full_title = _("{label}, {years}").format(label=title, years=year_span(years[0], years[-1]))
    return _finish(chart_id, section, full_title, body, figures, [])


def _cost_by_sender(profile: Profile) -> Chart | None:
    """The section 'Cost of sending money home, by sending country' as bars against 3%."""
    section = profile.section("corridor_costs")
    if section is None or section.bars is None:
        return None
    return target_bars(section.bars, chart_id="cost_by_sender", section="corridor_costs")
