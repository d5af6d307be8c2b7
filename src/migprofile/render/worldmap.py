"""A world choropleth (and a regional locator) as Vega-Lite specs over Natural Earth shapes.

The shapes are the world-atlas package's 1:110m TopoJSON, shipped with the package
(render/assets/countries-110m.json, see its README): no map tile or shape is ever fetched from
another host. The portal loads them by URL from its own /static/ (cached for a year), the PDF
and standalone pages get them inlined.

Countries join the shapes on their UN M49 code (the shapes' ids are ISO 3166-1 numeric codes,
zero-padded: "498" is Moldova). Colours are quantile classes in the project's blues, light to
dark, with class limits rounded to two significant digits and written as the charts write
numbers (16M, 53K, Russian 16 млн); countries without a value are grey and the legend says so.
Every shape has a tooltip (name in the reader's language, the full value, year, source), an
aria-label naming the country, and a link to the country's page.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import itertools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from migprofile.render.charts import BLUES, CONFIG, FONT, GREYS, MUTED, WHITE
from migprofile.wording import _, is_pct, no_data, short, with_unit, year_text

SHAPES_FILE = "countries-110m.json"
SHAPES_SHA256 = "2516c915867c7baf18ddec727aec46c315541a07cfb3d79a6559b05d5e94eee8"
NO_DATA_FILL = GREYS[3]
BORDER = WHITE
ANTARCTICA = "010"
CLASS_COLOURS = tuple(reversed(BLUES))  # light (small values) to dark (large)
ASPECT = 2.3  # width / height of the equal-earth world without Antarctica
MAX_HEIGHT = 480  # on a wide page the map stops growing taller
# Countries and areas with data in the publishers' files that are too small for Natural Earth's
# 1:110m shapes (islands, city states, overseas departments drawn as part of France): M49 → name.
# They have no shape, so they are not on the map (their pages and the ranking still list them).
NOT_AT_110M: dict[int, str] = {
    16: "American Samoa", 20: "Andorra", 28: "Antigua and Barbuda", 48: "Bahrain",
    52: "Barbados", 60: "Bermuda", 92: "British Virgin Islands", 132: "Cabo Verde",
    136: "Cayman Islands", 174: "Comoros", 175: "Mayotte", 184: "Cook Islands", 212: "Dominica",
    234: "Faroe Islands", 254: "French Guiana", 258: "French Polynesia", 292: "Gibraltar",
    296: "Kiribati", 308: "Grenada", 312: "Guadeloupe", 316: "Guam", 336: "Holy See",
    344: "Hong Kong", 438: "Liechtenstein", 446: "Macao", 462: "Maldives", 470: "Malta",
    474: "Martinique", 480: "Mauritius", 492: "Monaco", 500: "Montserrat", 520: "Nauru",
    530: "Netherlands Antilles", 531: "Curaçao", 533: "Aruba", 534: "Sint Maarten",
    535: "Bonaire, Sint Eustatius and Saba", 570: "Niue", 580: "Northern Mariana Islands",
    583: "Micronesia (Federated States of)", 584: "Marshall Islands", 585: "Palau",
    638: "Réunion", 652: "Saint Barthélemy", 654: "Saint Helena", 659: "Saint Kitts and Nevis",
    660: "Anguilla", 662: "Saint Lucia", 663: "Saint Martin (French part)",
    666: "Saint Pierre and Miquelon", 670: "Saint Vincent and the Grenadines", 674: "San Marino",
    678: "Sao Tome and Principe", 690: "Seychelles", 702: "Singapore", 772: "Tokelau",
    776: "Tonga", 796: "Turks and Caicos Islands", 798: "Tuvalu", 830: "Channel Islands",
    831: "Guernsey", 832: "Jersey", 833: "Isle of Man", 850: "United States Virgin Islands",
    876: "Wallis and Futuna Islands", 882: "Samoa",
}  # fmt: skip
# Shapes without an ISO numeric id, joined by their Natural Earth name: geo id → shape name.
NAMED_SHAPES: dict[str, str] = {"XKX": "Kosovo"}


@dataclass(frozen=True)
class MapValue:
    """One country on the map: its value (None: no data), year and citation."""

    geo: str  # ISO3, the country page's id
    m49: int | None
    name: str  # in the reader's language
    value: float | None = None
    year: int | None = None
    period: str = ""
    citation: str = ""
    linked: bool = True  # the country has a page to link to


# -- the shapes ---------------------------------------------------------------------------------
def shapes_bytes() -> bytes:
    """The shipped TopoJSON, byte for byte (what /static/countries-110m.json serves)."""
    return (resources.files("migprofile.render") / "assets" / SHAPES_FILE).read_bytes()


@functools.cache
def shapes() -> dict:
    """The TopoJSON, parsed (read once; treat as read-only)."""
    data = shapes_bytes()
    if hashlib.sha256(data).hexdigest() != SHAPES_SHA256:
        raise RuntimeError(f"{SHAPES_FILE}: not the shipped file (sha256 differs)")
    parsed: dict = json.loads(data)
    return parsed


@functools.cache
def shape_ids() -> frozenset[str]:
    """Every country shape's key: its id ('498'), else its name (Kosovo, N. Cyprus and
    Somaliland have no ISO numeric code)."""
    return frozenset(
        g.get("id") or g["properties"]["name"]
        for g in shapes()["objects"]["countries"]["geometries"]
    )


def shape_id(m49: int) -> str:
    """The shapes' id for an M49 code: 498 → '498', 8 → '008'."""
    return f"{int(m49):03d}"


def shape_key(geo: str, m49: int | None) -> str | None:
    """The key of a country's shape, or None if it has none at 1:110m."""
    key = shape_id(m49) if m49 is not None else NAMED_SHAPES.get(geo)
    return key if key in shape_ids() else None


@functools.cache
def _arc_points() -> list[list[tuple[float, float]]]:
    """Every arc as longitude/latitude points (the TopoJSON is quantized, delta-encoded)."""
    topo = shapes()
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _arc_indexes(arcs: Any) -> Iterable[int]:
    for a in arcs:
        if isinstance(a, list):
            yield from _arc_indexes(a)
        else:
            yield a if a >= 0 else ~a


def bounds(ids: Iterable[str]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the shapes with these ids; None if none has a shape."""
    wanted = set(ids)
    arcs = _arc_points()
    xs: list[float] = []
    ys: list[float] = []
    for g in shapes()["objects"]["countries"]["geometries"]:
        if (g.get("id") or g["properties"]["name"]) in wanted:
            for i in _arc_indexes(g["arcs"]):
                xs += [p[0] for p in arcs[i]]
                ys += [p[1] for p in arcs[i]]
    if not xs:
        return None
    return min(xs), min(ys), max(xs), max(ys)


def _shapes_data(shapes_url: str | None) -> dict:
    fmt = {"type": "topojson", "feature": "countries"}
    if shapes_url:
        return {"url": shapes_url, "format": fmt}
    return {"values": shapes(), "format": fmt}


# -- classes ---------------------------------------------------------------------------------
def _round2(value: float) -> float:
    """A class limit to two significant digits (123,456 → 120,000), so the legend reads."""
    if value == 0:
        return 0.0
    digits = 1 - math.floor(math.log10(abs(value)))
    return round(value, digits)


def class_limits(values: Sequence[float], classes: int = len(CLASS_COLOURS)) -> list[float]:
    """Quantile limits between classes (at most classes - 1), rounded, distinct, increasing:
    migration figures are very skewed, so equal-width classes would leave all but a few
    countries in the palest one."""
    ordered = sorted(values)
    if len(ordered) < 2:
        return []
    limits: list[float] = []
    for k in range(1, classes):
        q = ordered[min(len(ordered) - 1, int(len(ordered) * k / classes))]
        limit = _round2(q)
        if limit > ordered[0] and (not limits or limit > limits[-1]):
            limits.append(limit)
    return limits


def _number(value: float, unit: str) -> str:
    text = short(value)
    return _("{number}%").format(number=text) if is_pct(unit) else text


def class_labels(limits: Sequence[float], unit: str) -> list[str]:
    """'under 50K', '50K–200K', …, '1M and over' (one more label than limits)."""
    if not limits:
        return [_("with data")]
    n = [_number(v, unit) for v in limits]
    labels = [_("under {number}").format(number=n[0])]
    labels += [_("{low}–{high}").format(low=a, high=b) for a, b in itertools.pairwise(n)]
    labels.append(_("{number} and over").format(number=n[-1]))
    return labels


def _class_of(value: float, limits: Sequence[float]) -> int:
    return sum(1 for limit in limits if value >= limit)


# -- the specs ---------------------------------------------------------------------------------
def _rows(
    values: Iterable[MapValue], unit: str, href_prefix: str, limits: list[float], labels: list[str]
) -> list[dict]:
    rows = []
    for v in values:
        sid = shape_key(v.geo, v.m49)
        if sid is None:
            continue
        value_text = with_unit(v.value, unit) if v.value is not None else no_data()
        when = year_text(v.year, v.period) if v.year is not None else ""
        label = f"{v.name}: {value_text}" + (f" ({when})" if when else "")
        rows.append(
            {
                "id": sid,
                "geo": v.geo,
                "name": v.name,
                "value": v.value,
                "value_text": value_text,
                "when": when,
                "citation": v.citation,
                "class": labels[_class_of(v.value, limits)] if v.value is not None else no_data(),
                "href": f"{href_prefix}/country/{v.geo}" if v.linked else None,
                "label": label,
            }
        )
    return rows


def _legend_columns(entries: int) -> str:
    """One row of classes on a wide page, two or three rows on a phone (a Vega expression)."""
    narrow = "containerSize()[0] > 0 && containerSize()[0]"
    return (
        f"{narrow} < 480 ? 2 : {narrow} < {120 + 110 * entries} ? {math.ceil(entries / 2)} : "
        f"{entries}"
    )


def _source_text(lines: list[str]) -> dict:
    """The "Source: …" line under the map, as the other charts have it."""
    return {
        "data": {"values": [{"text": lines}]},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "top",
            "x": 0,
            "y": {"expr": "height + 8"},
            "fontSize": 11,
            "font": FONT,
            "color": MUTED,
            "lineHeight": 14,
        },
        "encoding": {"text": {"field": "text", "type": "nominal"}},
    }


def choropleth_spec(
    values: Iterable[MapValue],
    *,
    title: str,
    unit: str,
    source_line: str,
    href_prefix: str = "",
    shapes_url: str | None = None,
    width: int | str = "container",
    height: int = 360,
) -> dict:
    """A world map of one indicator's values: equal-earth projection, quantile classes in the
    project's blues, grey for no data (in the legend), tooltips, aria-labels and links.

    `href_prefix` goes before each country link ('/ru' keeps a Russian reader in Russian);
    `shapes_url` loads the shapes by URL (the portal's /static/countries-110m.json) instead of
    inlining them (~100 kB); `width="container"` fills the page, the height then follows the
    container's width (`usermeta.aspect`, applied by the page's init script)."""
    values = list(values)
    numbers = [v.value for v in values if v.value is not None and shape_key(v.geo, v.m49)]
    limits = class_limits(numbers)
    labels = class_labels(limits, unit)
    rows = _rows(values, unit, href_prefix, limits, labels)
    domain = [*labels, no_data()]
    colours = [*CLASS_COLOURS[-len(labels) :], NO_DATA_FILL] if len(labels) > 1 else None
    if colours is None:
        colours = [CLASS_COLOURS[2], NO_DATA_FILL]
    fields = ["name", "value_text", "when", "citation", "class", "href", "label"]
    tooltip = [
        {"field": "shown_name", "type": "nominal", "title": _("Country")},
        {"field": "value_text", "type": "nominal", "title": _("Value")},
        {"field": "when", "type": "nominal", "title": _("Year")},
        {"field": "citation", "type": "nominal", "title": _("Source")},
    ]
    shapes_layer = {
        "data": _shapes_data(shapes_url),
        "transform": [
            {"filter": f"datum.id !== '{ANTARCTICA}'"},  # no migration, a third of the height
            # shapes without an M49 code (Kosovo, N. Cyprus, Somaliland) go by their name
            {"calculate": "datum.id || datum.properties.name", "as": "key"},
            {"lookup": "key", "from": {"data": {"values": rows}, "key": "id", "fields": fields}},
            {"calculate": "datum.name || datum.properties.name", "as": "shown_name"},
            {"calculate": "datum.label || datum.properties.name", "as": "shown_label"},
            {"calculate": f"datum.value_text || {json.dumps(no_data())}", "as": "value_text"},
            {"calculate": f"datum['class'] || {json.dumps(no_data())}", "as": "class"},
        ],
        "mark": {"type": "geoshape", "stroke": BORDER, "strokeWidth": 0.5, "clip": True},
        "encoding": {
            "color": {
                "field": "class",
                "type": "ordinal",
                "scale": {"domain": domain, "range": colours},
                "sort": domain,
                "legend": {
                    "title": None,
                    "orient": "top",
                    "direction": "horizontal",
                    "symbolType": "square",
                    "symbolSize": 160,
                    "symbolStrokeWidth": 0,
                    "labelLimit": 200,
                    "columns": {"expr": _legend_columns(len(domain))},
                },
            },
            "tooltip": tooltip,
            "href": {"field": "href", "type": "nominal"},
            "description": {"field": "shown_label", "type": "nominal"},
        },
    }
    footer = [source_line] if source_line else []
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "config": copy.deepcopy(CONFIG),
        "description": _("{title}. {source}.").format(title=title, source=source_line),
        "title": {"text": title},
        "width": width,
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"} if width == "container" else "pad",
        "projection": {"type": "equalEarth"},
        "layer": [shapes_layer, *([_source_text(footer)] if footer else [])],
        "usermeta": {"aspect": ASPECT, "maxHeight": MAX_HEIGHT},
    }
    spec["config"]["padding"] = {"left": 4, "right": 4, "top": 4, "bottom": 22 + 14 * len(footer)}
    return spec


def locator_spec(
    highlight: Iterable[str],
    *,
    title: str = "",
    width: int = 220,
    height: int = 130,
) -> dict | None:
    """A small map cropped to the highlighted countries (shape keys, see `shape_key`) and their
    neighbourhood, the countries filled dark blue and the rest pale; None when none of them has
    a shape."""
    ids = [i for i in highlight if i in shape_ids()]
    box = bounds(ids)
    if box is None:
        return None
    west, south, east, north = box
    whole_world = east - west > 180  # across the antimeridian (Russia, Fiji)
    pad_x = max(8.0, (east - west) * 0.6)
    pad_y = max(6.0, (north - south) * 0.6)
    west, east = max(-180.0, west - pad_x), min(180.0, east + pad_x)
    south, north = max(-85.0, south - pad_y), min(85.0, north + pad_y)
    middle = (south + north) / 2 if south > 0 or north < 0 else 0.0  # the widest latitude
    # the box's corners and its edges' widest points (the projection curves meridians)
    corners = [[x, y] for x in (west, east) for y in (south, middle, north)]
    corners += [[(west + east) / 2, y] for y in (south, north)]
    rows = [{"id": i, "on": True} for i in ids]
    fit = {
        "type": "Feature",
        "geometry": {"type": "MultiPoint", "coordinates": corners},
        "properties": {},
    }
    projection: dict[str, Any] = {"type": "equalEarth"} | ({} if whole_world else {"fit": fit})
    spec: dict[str, Any] = {
        "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
        "config": copy.deepcopy(CONFIG) | {"padding": 0},
        "description": title,
        "width": width,
        "height": height,
        "projection": projection,  # no fit: the whole world
        "layer": [
            {
                "data": _shapes_data(None),
                "transform": [
                    {"calculate": "datum.id || datum.properties.name", "as": "key"},
                    {
                        "lookup": "key",
                        "from": {"data": {"values": rows}, "key": "id", "fields": ["on"]},
                    },
                ],
                "mark": {"type": "geoshape", "stroke": WHITE, "strokeWidth": 0.6, "clip": True},
                "encoding": {
                    "fill": {
                        "condition": {"test": "datum.on", "value": BLUES[0]},
                        "value": GREYS[3],
                    }
                },
            }
        ],
    }
    if title:
        spec["title"] = {"text": title, "fontSize": 11, "fontWeight": "normal", "color": MUTED}
    return spec


@functools.cache
def _m49_by_iso3() -> dict[str, int]:
    from migprofile.geo.countries import load_countries

    return {c.iso3: c.m49 for c in load_countries() if c.m49 is not None}


def profile_locator(geo: str, kind: str, members: Sequence[str], title: str = "") -> dict | None:
    """The PDF cover's locator: the country, or the region's members, on a cropped map; None
    for a region of the whole world (or beyond a hemisphere) and for what has no shape."""
    geos = list(members) if kind == "region" else [geo]
    keys = [k for g in geos if (k := shape_key(g, _m49_by_iso3().get(g)))]
    box = bounds(keys)
    if box is None or (box[2] - box[0] > 180 and len(keys) > 1):
        return None
    return locator_spec(keys, title=title)
