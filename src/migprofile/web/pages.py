"""The portal's HTML pages: home, search, profiles, compare, indicators, sources, downloads.

Server-rendered with Jinja2 (autoescape on: names and notes are untrusted text); charts are the
profile renderer's Vega-Lite specs drawn by the one shared bundle at /static/vega-bundle.js, so
every page works without JavaScript except for the charts, and nothing asks another host for
anything. Every parameter is checked against the geo table or the catalogue before use; no part
of a URL ever names a file (static files come from a fixed dict); every read goes through the
snapshot (`web.state`) and every parameter through `web.params`.
"""

from __future__ import annotations

import difflib
import functools
import io
import re
import threading
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import jinja2
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup

from migprofile import __version__
from migprofile.errors import UsageError
from migprofile.geo.world_names import display_name
from migprofile.indicators import BY_ID, CATALOGUE, Indicator
from migprofile.indicators.user import all_indicators, is_listed
from migprofile.profiles.build import citation
from migprofile.profiles.corridor import top_pairs
from migprofile.profiles.model import Profile, Series
from migprofile.render import charts as ch
from migprofile.render import worldmap
from migprofile.render.html import content_security_policy, init_script, render_html, spec_json
from migprofile.sources import is_annual
from migprofile.web import params
from migprofile.web.edges import no_store_hint
from migprofile.web.languages import alternates, localise_links, prefix
from migprofile.web.params import MAX_TEXT, ParamError, short
from migprofile.web.state import Snapshot, snapshot
from migprofile.wording import (
    _,
    csvout,
    current_language,
    empty_cell,
    exact,
    fixed,
    human,
    is_pct,
    is_usd,
    ngettext,
    source_line,
    usd,
    verdict_label,
    year_span,
)

router = APIRouter(include_in_schema=False)

_HERE = resources.files("migprofile.web")
BUNDLE_URL = "/static/vega-bundle.js"
STYLE_URL = "/static/portal.css"
SHAPES_URL = "/static/" + worldmap.SHAPES_FILE
MAP_HEADLINE = "emigrant_stock"  # the home page's map
GROUPINGS = ("south-caucasus", "central-asia", "eastern-partnership", "western-balkans", "world")
HEADLINES = ("immigrant_stock", "emigrant_stock", "remittances_received_usd")
DEFAULT_COMPARE = ("MDA", "ARM", "GEO", "UKR")
MAX_COMPARE = 7


# -- templates and static files -------------------------------------------------------------
@functools.cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(
            lambda name: (
                (_HERE / "templates" / name).read_text(encoding="utf-8")
                if name in _template_names()
                else None
            )
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    # `{{ _("text %(name)s", name=x) }}`: the one translation function, placeholders escaped
    env.install_gettext_callables(gettext=_, ngettext=ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters["human"] = lambda f: human(f.value, f.unit)
    env.filters["exact"] = lambda f: exact(f.value, f.unit)
    env.filters["num"] = lambda v, unit="": human(v, unit)
    env.filters["fixed"] = fixed
    env.filters["verdict"] = verdict_label
    env.filters["coverage_count"] = coverage_count
    env.globals["empty"] = empty_cell
    env.filters["place"] = _name  # a geo row's name in the request's language
    env.filters["code_spans"] = _code_spans
    env.filters["word_breaks"] = _word_breaks
    env.filters["news_number"] = news_number
    env.globals["version"] = __version__
    return env


@functools.cache
def _template_names() -> frozenset[str]:
    return frozenset(p.name for p in (_HERE / "templates").iterdir() if p.name.endswith(".j2"))


@functools.cache
def _static() -> dict[str, tuple[bytes, str]]:
    """The only files the portal serves: a fixed dict, never a path taken from the URL."""
    return {
        "vega-bundle.js": (
            ch.vega_bundle().encode("utf-8"),
            "text/javascript; charset=utf-8",
        ),
        "portal.css": (
            (_HERE / "static" / "portal.css").read_bytes(),
            "text/css; charset=utf-8",
        ),
        worldmap.SHAPES_FILE: (worldmap.shapes_bytes(), "application/json"),
    }


@functools.cache
def page_csp() -> str:
    """The profile renderer's policy, plus the portal's own stylesheet and search form."""
    parts = []
    for part in content_security_policy(standalone=False, bundle_src="'self'").split("; "):
        if part.startswith("style-src"):
            part += " 'self'"
        elif part.startswith("form-action"):
            part = "form-action 'self'"
        parts.append(part)
    parts.append("connect-src 'self'")  # the world map's shapes, /static/countries-110m.json
    parts.append("frame-ancestors 'none'")
    return "; ".join(parts)


def _offered(request: Request) -> tuple[str, ...] | None:
    """The languages this portal offers (create_app's `languages`)."""
    app = request.scope.get("app")
    return getattr(app.state, "languages", None) if app is not None else None


def _name(row: dict) -> str:
    """A geo row's name in the request's language."""
    return display_name(row["geo"], row.get("name") or row["geo"], row.get("kind") or "")


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(
        localise_links(text),
        status_code=status,
        headers={"Content-Security-Policy": page_csp(), "Content-Language": current_language()},
    )


def render_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """A portal template rendered in the request's language, with the page security policy."""
    text = (
        _env()
        .get_template(name)
        .render(
            style_url=STYLE_URL,
            bundle_url=BUNDLE_URL,
            init_script=Markup(init_script()),
            path=request.url.path,
            lang=current_language().replace("_", "-"),
            alternates=alternates(request.url.path, _offered(request)),
            **context,
        )
    )
    return _html(text, status)


def error_page(
    request: Request,
    status: int,
    message: str,
    suggestions: Sequence[tuple[str, str]] = (),
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    """The portal's error page in the request's language: what went wrong, close matches, the
    search box (in the header) and the way home. Reads nothing from the store."""
    titles = {
        400: _("Bad request"),
        404: _("Not found"),
        405: _("Method not allowed"),
        503: _("Not available"),
    }
    response = render_page(
        request,
        "error.html.j2",
        status=status,
        title=titles.get(status) or _("Error"),
        message=message,
        suggestions=list(suggestions),
        has_charts=False,
    )
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def no_data_page(request: Request) -> HTMLResponse:
    """503 for a portal over a data home with no store yet: how to get the data."""
    return render_page(
        request,
        "error.html.j2",
        status=503,
        title=_("No data yet"),
        message=no_store_hint(),
        suggestions=[],
        has_charts=False,
    )


def news_number(value: float | None, unit: str = "") -> str:
    """A checked figure's data value in the reader's language, decimals only where it has
    them ('861,077', '15.5%', 'US$ 2,170,000,000'); the unit is the quoted figure's."""
    if value is None:
        return empty_cell()
    digits = next((d for d in (0, 1) if round(value, 2) == round(value, d)), 2)
    text = fixed(value, digits, group=True)
    if is_pct(unit):
        return _("{number}%").format(number=text)
    return usd(text) if is_usd(unit) else text


def _word_breaks(name: str) -> Markup:
    """A long file name that may break after its underscores, dots and hyphens (escaped)."""
    return Markup(re.sub(r"([_.-])", r"\1<wbr>", str(Markup.escape(name))))


def _code_spans(text: str) -> Markup:
    """Plain text with `command` spans shown as code (the rest escaped)."""
    escaped = str(Markup.escape(text))
    return Markup(re.sub(r"`([^`<>]+)`", r"<code>\1</code>", escaped))


# -- per-store state ------------------------------------------------------------------------
@dataclass
class PortalCache:
    """Rendered pages kept for one opened store (dropped when it is replaced); profiles, names
    and series are the snapshot's own (`web.state`)."""

    snap: Snapshot
    lock: threading.Lock = field(default_factory=threading.Lock)
    pages: dict[str, str] = field(default_factory=dict)
    pdfs: dict[str, bytes] = field(default_factory=dict)
    home: dict[str, dict] = field(default_factory=dict)  # language → the home page's data


_cache_lock = threading.Lock()


def _state(request: Request) -> PortalCache:
    snap = snapshot(request)
    with _cache_lock:  # one per snapshot: a snapshot being warmed has its own
        if snap.portal is None:
            snap.portal = PortalCache(snap)
        return snap.portal


def _fold(text: str) -> str:
    """Lower case without accents: 'Côte d’Ivoire' → "cote d'ivoire"."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def _resolve(cache: PortalCache, text: str) -> str | None:
    """A geo id for an id/ISO3/M49/name, or None (validated against the geo table)."""
    return params.find_geo(cache.snap, text)


def _suggest_geo(cache: PortalCache, text: str) -> list[tuple[str, str]]:
    """Close matches among name variants, their words and ids: [(label, url)]."""
    by_id = cache.snap.by_id
    key = _fold(str(text).strip()[:MAX_TEXT])
    if not key:
        return []
    keys: dict[str, str] = {}
    for name, geo in cache.snap.name_variants():
        row = by_id.get(geo)
        if row is None or not (row["kind"] == "country" or geo in cache.snap.members):
            continue
        folded = _fold(name)
        keys.setdefault(folded, geo)
        for word in re.split(r"[\s,()]+", folded):
            if len(word) >= 4 and word not in ("republic", "islands", "united", "democratic"):
                keys.setdefault(word, geo)
    for geo, row in by_id.items():
        if row["kind"] == "country":
            keys.setdefault(geo.lower(), geo)
    close = difflib.get_close_matches(key, list(keys), n=8, cutoff=0.6)
    geos = list(dict.fromkeys(keys[c] for c in close))[:3]
    return [(by_id[g]["name"], _geo_url(by_id[g])) for g in geos]


def _suggest_indicator(text: str) -> list[tuple[str, str]]:
    key = str(text)[:MAX_TEXT].lower()
    titles = {i.title.lower(): i for i in CATALOGUE}
    found = [BY_ID[i] for i in difflib.get_close_matches(key, list(BY_ID), n=3, cutoff=0.5)]
    found += [titles[t] for t in difflib.get_close_matches(key, list(titles), n=3, cutoff=0.5)]
    return [(i.display_title(), f"/indicators/{i.id}") for i in dict.fromkeys(found)][:3]


def _geo_url(row: dict) -> str:
    return f"/country/{row['geo']}" if row["kind"] == "country" else f"/region/{row['geo']}"


def at_most_countries() -> str:
    return ngettext(
        "geo: at most {n} country at once.", "geo: at most {n} countries at once.", MAX_COMPARE
    ).format(n=MAX_COMPARE)


def coverage_count(coverage: str) -> str:
    """'2 of 5 members report' from '2 of 5 members report (no data: TJK, TKM, UZB)': cut where
    the wording layer's own "no data" part starts, in whatever language it is in."""
    cut = _(" (no data: {geos})").split("{geos}")[0]
    return coverage.split(cut)[0] if cut else coverage


def _indicator(text: str) -> Indicator | None:
    try:
        return params.indicator(text, source_codes=False)
    except ParamError:
        return None


# -- static -----------------------------------------------------------------------------------
@router.get("/static/{name}")
def static(request: Request, name: str) -> Response:
    item = _static().get(name)
    if item is None:
        return error_page(request, 404, _("There is no page at this address."))
    body, media = item
    return Response(
        body,
        media_type=media,
        headers={"Cache-Control": "public, max-age=31536000, immutable"},
    )


# -- home and search ----------------------------------------------------------------------------
def _home_data(cache: PortalCache) -> dict:
    lang = current_language()
    if lang in cache.home:
        return cache.home[lang]
    snap = cache.snap
    by_id = snap.by_id
    # only countries with a profile to show (no Antarctica, Bouvet Island or Soviet Union)
    with snap.read() as store:
        with_data = set(store.countries_with_data())
    countries = sorted(
        (r for r in snap.geo_rows if r["kind"] == "country" and r["geo"] in with_data),
        key=lambda r: _fold(_name(r)),
    )
    regions = sorted(
        (r for r in snap.geo_rows if (r.get("group_type") or "").split("+")[0] == "m49_region"),
        key=lambda r: _name(r),
    )
    grouped: list[tuple[dict, list[dict]]] = []
    placed: set[str] = set()
    for region in regions:
        members = set(snap.members.get(region["geo"], []))
        items = [c for c in countries if c["geo"] in members]
        placed.update(c["geo"] for c in items)
        if items:
            grouped.append((region, items))
    rest = [c for c in countries if c["geo"] not in placed]
    if rest:
        grouped.append(({"geo": "", "name": ""}, rest))  # the template names it
    groupings = []
    for gid in GROUPINGS:
        if gid not in by_id:
            continue
        try:
            profile = cache.snap.profile(gid)
        except UsageError:
            continue
        facts = {f.indicator: f for f in profile.key_facts}
        groupings.append(
            {
                "geo": gid,
                "name": _name(by_id[gid]),
                "members": profile.member_names,
                "facts": [facts[k] for k in HEADLINES if k in facts],
            }
        )
    headline = BY_ID[MAP_HEADLINE]
    year, ranking, _missing = _ranking(cache, headline)
    world_map = _world_map(cache, headline, year, ranking, with_data)
    cache.home[lang] = {
        "grouped": grouped,
        "groupings": groupings,
        "count": len(countries),
        "map_spec": spec_json(world_map) if world_map else "",
        "map_title": world_map["description"] if world_map else "",
    }
    return cache.home[lang]


@router.get("/", response_class=HTMLResponse)
def home(request: Request):
    cache = _state(request)
    data = _home_data(cache)
    return render_page(
        request,
        "home.html.j2",
        title=_("Migration profiles"),
        **data,
        indicators=all_indicators(),
        has_charts=bool(data["map_spec"]),
        shapes_url=SHAPES_URL,
        q="",
    )


def _exact_target(cache: PortalCache, q: str) -> str | None:
    """The one page an exact search means: a country or region by its id, ISO3, M49 code or
    any name the store or CLDR knows ('Moldova', 'MDA', '498', 'Молдова', 'Kirgizia'), or an
    indicator by its id or title; None when the text is partial or names no page."""
    geo = _resolve(cache, q)
    row = cache.snap.by_id.get(geo) if geo else None
    if row is not None and (row["kind"] == "country" or row["geo"] in cache.snap.members):
        return _geo_url(row)
    key = _fold(q)
    for i in CATALOGUE:
        if key in (i.id.lower(), _fold(i.title), _fold(i.display_title())):
            return f"/indicators/{i.id}"
    return None


@router.get("/search", response_class=HTMLResponse)
def search(request: Request):
    raw = request.query_params.get("q", "")
    q = raw.strip()
    if len(q) > MAX_TEXT:
        return error_page(
            request, 400, _("The search text is too long (at most {n}).").format(n=MAX_TEXT)
        )
    cache = _state(request)
    meant = _exact_target(cache, q) if q else None
    if meant is not None:  # one page is meant: go there, in the page's language
        return RedirectResponse(prefix() + meant, status_code=303)
    by_id = cache.snap.by_id
    countries: dict[str, dict] = {}
    regions: dict[str, dict] = {}
    indicators: list[Indicator] = []
    if q:
        key = _fold(q)
        exact_geo = _resolve(cache, q)
        hits = [exact_geo] if exact_geo else []
        hits += [g for name, g in cache.snap.name_variants() if key in _fold(name)]
        hits += [g for g in by_id if key == g.lower()]
        for g in dict.fromkeys(hits):
            row = by_id.get(g)
            if row is None:
                continue
            target = countries if row["kind"] == "country" else regions
            if row["kind"] in ("country", "aggregate"):
                target[g] = row
        indicators = [
            i
            for i in CATALOGUE
            if key in i.id.lower()
            or any(key in _fold(t) for t in (i.title, i.definition))
            or any(key in _fold(t) for t in (i.display_title(), i.display_definition()))
        ]
    found = bool(countries or regions or indicators)
    suggestions = [] if found or not q else _suggest_geo(cache, q) + _suggest_indicator(q)
    return render_page(
        request,
        "search.html.j2",
        title=_("Search: {q}").format(q=short(q)) if q else _("Search"),
        q=q,
        countries=list(countries.values())[:100],
        regions=[r for r in regions.values() if r["geo"] in cache.snap.members][:50],
        indicators=indicators,
        suggestions=suggestions,
        has_charts=False,
    )


# -- profiles -----------------------------------------------------------------------------------
def _profile_page(request: Request, text: str, kind: str):
    cache = _state(request)
    geo = _resolve(cache, text)
    by_id = cache.snap.by_id
    if geo is None:
        if kind == "country":
            message = _("There is no country or area called “{name}” in the data.")
        else:
            message = _("There is no region called “{name}” in the data.")
        return error_page(request, 404, message.format(name=short(text)), _suggest_geo(cache, text))
    row = by_id[geo]
    wanted = "country" if row["kind"] == "country" else "region"
    if row["kind"] not in ("country", "aggregate") or (
        row["kind"] == "aggregate" and geo not in cache.snap.members
    ):
        return error_page(request, 404, _("{name} has no profile.").format(name=row["name"]), [])
    if wanted != kind or geo != text:
        return RedirectResponse(_geo_url(row), status_code=307)
    key = f"{current_language()}/{geo}"
    if key not in cache.pages:
        try:
            profile = cache.snap.profile(geo)
        except UsageError as exc:
            return error_page(request, 404, str(exc), [])
        header = (
            _env()
            .get_template("portal_header.html.j2")
            .render(
                p=profile,
                path="",
                alternates=alternates(request.url.path, _offered(request)),
                lang=current_language().replace("_", "-"),
            )
        )
        html = render_html(
            profile,
            standalone=False,
            bundle_url=BUNDLE_URL,
            portal_header=Markup(header),
            stylesheet_url=STYLE_URL,
        )
        with cache.lock:
            if len(cache.pages) > 256:
                cache.pages.clear()
            cache.pages[key] = html
    return _html(cache.pages[key])


@router.get("/country/{geo}", response_class=HTMLResponse)
def country(request: Request, geo: str):
    return _profile_page(request, geo, "country")


@router.get("/region/{geo}", response_class=HTMLResponse)
def region(request: Request, geo: str):
    return _profile_page(request, geo, "region")


def _profile_or_error(request: Request, text: str):
    cache = _state(request)
    geo = _resolve(cache, text)
    if geo is None or (
        cache.snap.by_id[geo]["kind"] != "country" and geo not in cache.snap.members
    ):
        return cache, error_page(
            request,
            404,
            _("No profile for “{name}”.").format(name=short(text)),
            _suggest_geo(cache, text),
        )
    try:
        return cache, cache.snap.profile(geo)
    except UsageError as exc:
        return cache, error_page(request, 404, str(exc), [])


@router.get("/pdf/{geo}.pdf")
def pdf(request: Request, geo: str):
    cache, profile = _profile_or_error(request, geo)
    if isinstance(profile, Response):
        return profile
    key = f"{current_language()}/{profile.geo}"
    if key not in cache.pdfs:
        from migprofile.render.pdf import render_pdf

        data = render_pdf(profile)
        with cache.lock:
            if len(cache.pdfs) > 64:
                cache.pdfs.clear()
            cache.pdfs[key] = data
    return Response(
        cache.pdfs[key],
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{profile.geo}.pdf"'},
    )


def _readme(profile: Profile) -> str:
    lines = [
        "# " + _("{name}: migration profile data").format(name=profile.name),
        "",
        _("Generated {when} by migprofile {version} from the publishers' own files.").format(
            when=profile.generated_at, version=profile.migprofile_version
        ),
        "",
        "## " + _("Files"),
        "",
        "- "
        + _(
            "`data.csv`: every observation behind the profile, one row per value, each with its "
            "source, edition, the sha256 of the publisher's file and the cell it was read from."
        ),
        "- "
        + _(
            "`profile.json`: the profile itself (key facts, sections, sources), every figure cited."
        ),
        "- " + _("`README.md`: this file."),
        "",
        "## " + _("Sources, citations and licences"),
        "",
    ]
    for s in profile.sources:
        lines += [f"### {s.title}", ""]
        if s.citation:
            lines.append("- " + _("Citation: {citation}").format(citation=s.citation))
        editions = ", ".join(s.editions) or _("n/a")
        lines.append("- " + _("Editions: {editions}").format(editions=editions))
        licence = s.licence or _("not stated")
        lines.append("- " + _("Licence: {licence}").format(licence=licence))
        if s.first_year:
            span = year_span(s.first_year, s.latest_year)
            lines.append("- " + _("Years covered: {years}").format(years=span))
        if s.missing_years:
            years = ", ".join(map(str, s.missing_years[:40]))
            lines.append("- " + _("Caveat: no data for {years}.").format(years=years))
        for f in s.files:
            lines.append("- " + _("File: {file}").format(file=f))
        lines.append("")
    lines += ["## " + _("Caveats"), ""]
    caveats = [
        _("A missing value is missing, never 0."),
        _("Modelled estimates (e.g. the World Bank/KNOMAD bilateral matrix) are marked as such."),
    ]
    if profile.kind == "region":
        caveats.append(
            _(
                "Regional figures are sums over the member countries that report; "
                "each says how many."
            )
        )
    caveats += profile.cannot_say
    lines += [f"- {c}" for c in caveats]
    return "\n".join(lines) + "\n"


def _data_csv(cache: PortalCache, profile: Profile) -> str:
    indicators = list(dict.fromkeys(f.indicator for f in profile.all_figures()))
    geos = profile.members if profile.kind == "region" else [profile.geo]
    return csvout.text(
        params.ROW_FIELDS,
        (
            params.row(dict(r))
            for ind in indicators
            if is_listed(ind)
            for g in geos
            for r in cache.snap.rows(ind, g)
        ),
    )


@router.get("/download/{geo}.zip")
def download(request: Request, geo: str):
    cache, profile = _profile_or_error(request, geo)
    if isinstance(profile, Response):
        return profile
    from migprofile.render.jsonout import render_json

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data.csv", _data_csv(cache, profile))
        z.writestr("profile.json", render_json(profile))
        z.writestr("README.md", _readme(profile))
    return Response(
        out.getvalue(),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{profile.geo}.zip"'},
    )


# -- charts over time for several countries ----------------------------------------------------
def _filtered(s: Series, first: int | None, last: int | None) -> Series:
    points = [
        p
        for p in s.points
        if p.year is not None
        and (first is None or p.year >= first)
        and (last is None or p.year <= last)
    ]
    return Series(s.indicator, s.label, s.unit, points)


def _table(series: list[tuple[str, Series]]) -> tuple[list[int], list[dict]]:
    years = sorted({p.year for _name, s in series for p in ch.points(s) if p.year is not None})
    rows: list[dict] = []
    for name, s in series:
        by_year = {p.year: p for p in ch.points(s)}
        rows.append({"name": name, "cells": [by_year.get(y) for y in years]})
    return years, rows


def _parse_geos(cache: PortalCache, text: str) -> tuple[list[str], str | None]:
    """Country codes from 'MDA,ARM,GEO'; (geos, the first unknown one)."""
    out: list[str] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        geo = _resolve(cache, part)
        if geo is None:
            return out, part
        if geo not in out:
            out.append(geo)
    return out, None


@router.get("/compare", response_class=HTMLResponse)
def compare(request: Request):
    query = request.query_params
    cache = _state(request)
    geo_text = query.get("geo", ",".join(DEFAULT_COMPARE[:3]))
    ind_text = query.get("indicator", "emigrant_stock")
    if len(geo_text) > 400 or len(ind_text) > MAX_TEXT:
        return error_page(request, 400, _("A parameter is too long."))
    try:
        first, last = params.year_range(query.get("from"), query.get("to"))
    except ParamError as exc:
        return error_page(request, exc.status, exc.message)
    ind = _indicator(ind_text)
    if ind is None:
        return error_page(
            request,
            404,
            _("There is no indicator “{name}”.").format(name=short(ind_text)),
            _suggest_indicator(ind_text),
        )
    geos, unknown = _parse_geos(cache, geo_text)
    if unknown is not None:
        return error_page(
            request,
            404,
            _("There is no country or area called “{name}” in the data.").format(
                name=short(unknown)
            ),
            _suggest_geo(cache, unknown),
        )
    if not geos:
        return error_page(request, 400, _("geo: name at least one country, e.g. MDA,ARM,GEO."))
    if len(geos) > MAX_COMPARE:
        return error_page(request, 400, at_most_countries())
    partner_text = query.get("partner", "").strip()
    partner = None
    if partner_text:
        partner = _resolve(cache, partner_text[:MAX_TEXT])
        if partner is None:
            return error_page(
                request,
                404,
                _("partner: there is no country or area called “{name}” in the data.").format(
                    name=short(partner_text)
                ),
                _suggest_geo(cache, partner_text),
            )
        if not ind.bilateral:
            return error_page(
                request,
                400,
                _(
                    "partner: {indicator} is not a country-pair indicator; leave partner out."
                ).format(indicator=ind.display_title()),
            )
    if ind.bilateral and partner is None:
        return error_page(
            request,
            400,
            _(
                "partner: {indicator} is a country-pair indicator; name the partner country "
                "(e.g. partner=RUS: for a cost, the sending country), or compare totals such "
                "as emigrant_stock."
            ).format(indicator=ind.display_title()),
        )
    return _chart_page(request, cache, ind, geos, first, last, "compare.html.j2", partner=partner)


def _with_partner(s: Series, partner: str | None) -> Series:
    """A pair indicator's series for one partner (every partner's points otherwise)."""
    if partner is None:
        return s
    return Series(s.indicator, s.label, s.unit, [p for p in s.points if p.partner == partner])


def _chart_page(
    request: Request,
    cache: PortalCache,
    ind: Indicator,
    geos: list[str],
    first: int | None,
    last: int | None,
    template: str,
    partner: str | None = None,
    **extra: Any,
) -> HTMLResponse:
    by_id = cache.snap.by_id
    series = [
        (
            _name(by_id[g]),
            _filtered(_with_partner(cache.snap.series(ind.id, g), partner), first, last),
        )
        for g in geos
        if by_id[g]["kind"] == "country" and g != partner
    ]
    chart = ch.indicator_chart(ind.display_title(), ind.unit, series)
    years, table = _table(series)
    return render_page(
        request,
        template,
        title=_("{indicator}: {countries}").format(
            indicator=ind.display_title()
            if partner is None
            else _("{indicator}, partner {partner}").format(
                indicator=ind.display_title(), partner=_name(by_id[partner])
            ),
            countries=", ".join(name for name, _s in series),
        ),
        ind=ind,
        indicators=list(CATALOGUE),
        partner_text=partner or "",
        geos=geos,
        geo_text=",".join(geos),
        first=first or "",
        last=last or "",
        chart=chart,
        spec=spec_json(chart.spec) if chart else "",
        has_charts=chart is not None,
        years=years,
        table=table,
        **extra,
    )


# -- indicators -------------------------------------------------------------------------------
@router.get("/indicators", response_class=HTMLResponse)
def indicators(request: Request):
    return render_page(
        request,
        "indicators.html.j2",
        title=_("Indicators"),
        indicators=all_indicators(),
        has_charts=False,
    )


def _ranking(cache: PortalCache, ind: Indicator) -> tuple[int | None, list[dict], int]:
    """Every country's value in the latest year most countries report: (year, rows, missing)."""
    countries = [r for r in cache.snap.geo_rows if r["kind"] == "country"]
    latest: dict[str, dict[int, dict]] = {}
    for c in countries:
        for r in cache.snap.rows(ind.id, c["geo"]):
            wanted = r.get("sex") == "total" and not r.get("partner") and is_annual(r.get("period"))
            if wanted and r.get("value") is not None:
                latest.setdefault(c["geo"], {})[r["year"]] = r
    if not latest:
        return None, [], len(countries)
    counts: dict[int, int] = {}
    for years in latest.values():
        for y in years:
            counts[y] = counts.get(y, 0) + 1
    best = max(counts.values())
    year = max(y for y, n in counts.items() if n >= best / 2)
    names = {c["geo"]: _name(c) for c in countries}
    rows: list[dict[str, Any]] = [
        {"geo": g, "name": names[g], "row": ys[year]} for g, ys in latest.items() if year in ys
    ]
    rows.sort(key=lambda r: -r["row"]["value"])
    return year, rows, len(countries) - len(rows)


def _countries_with_data(cache: PortalCache) -> set[str]:
    with cache.snap.read() as store:
        return set(store.countries_with_data())


def _world_map(
    cache: PortalCache,
    ind: Indicator,
    year: int | None,
    ranking: list[dict],
    with_data: set[str] | None = None,
) -> dict | None:
    """The ranking's values on a world map (every country with an M49 code, grey where it has
    no value that year), or None for a country-pair indicator or no data. Countries with data
    for any indicator link to their page."""
    if ind.bilateral or not ranking or year is None:
        return None
    if with_data is None:
        with_data = _countries_with_data(cache)
    builder = cache.snap.builder  # built by _ranking's reads: the profiles' own short names
    short_names = builder.short_names if builder is not None else {}
    by_geo = {r["geo"]: r for r in ranking}
    values = []
    for c in cache.snap.geo_rows:
        if c["kind"] != "country":
            continue
        r = by_geo.get(c["geo"], {}).get("row")
        values.append(
            worldmap.MapValue(
                geo=c["geo"],
                m49=c.get("m49"),
                name=_name(c),
                value=r["value"] if r else None,
                year=r["year"] if r else None,
                period="",
                citation=citation(r["source"], r["edition"], short_names) if r else "",
                linked=c["geo"] in with_data,
            )
        )
    cites = [v.citation for v in values if v.citation]
    return worldmap.choropleth_spec(
        values,
        title=_("{label}, {years}").format(label=ind.display_title(), years=year),
        unit=ind.unit,
        source_line=source_line(cites),
        href_prefix=prefix(),
        shapes_url=SHAPES_URL,
    )


@router.get("/indicators/{indicator_id}", response_class=HTMLResponse)
def indicator(request: Request, indicator_id: str):
    ind = _indicator(indicator_id)
    if ind is None:
        return error_page(
            request,
            404,
            _("There is no indicator “{name}”.").format(name=short(indicator_id)),
            _suggest_indicator(indicator_id),
        )
    cache = _state(request)
    geo_text = request.query_params.get("geo", ",".join(DEFAULT_COMPARE))
    if len(geo_text) > 400:
        return error_page(request, 400, _("geo: too long."))
    geos, unknown = _parse_geos(cache, geo_text)
    if unknown is not None:
        return error_page(
            request,
            404,
            _("There is no country or area called “{name}” in the data.").format(
                name=short(unknown)
            ),
            _suggest_geo(cache, unknown),
        )
    if len(geos) > MAX_COMPARE:
        return error_page(request, 400, at_most_countries())
    year, ranking, missing = (None, [], 0) if ind.bilateral else _ranking(cache, ind)
    world_map = _world_map(cache, ind, year, ranking)
    shown_map: dict[str, Any] = {
        "map_spec": spec_json(world_map) if world_map else "",
        "map_title": world_map["description"] if world_map else "",
        "shapes_url": SHAPES_URL,
    }
    with cache.snap.read() as store:
        sources = [s for s in store.source_rows() if s["source"] in ind.sources]
    if ind.bilateral or not geos:
        corridors = []
        if ind.bilateral:  # a pair indicator: its largest pairs, each linked to its corridor
            with cache.snap.builder_lock:
                corridors = top_pairs(cache.snap._builder(), ind.id)
        return render_page(
            request,
            "indicator.html.j2",
            corridors=corridors,
            places={
                g: _name(cache.snap.by_id[g])
                for f in corridors
                for g in (f.geo, f.partner)
                if g in cache.snap.by_id
            },
            title=ind.display_title(),
            ind=ind,
            year=year,
            ranking=ranking,
            missing=missing,
            sources=sources,
            chart=None,
            spec="",
            has_charts=world_map is not None,
            geo_text=",".join(geos),
            years=[],
            table=[],
            **shown_map,
        )
    return _chart_page(
        request,
        cache,
        ind,
        geos,
        None,
        None,
        "indicator.html.j2",
        year=year,
        ranking=ranking,
        missing=missing,
        sources=sources,
        **shown_map,  # the template turns has_charts on for the map
    )


# -- sources and about ----------------------------------------------------------------------------
def _sources(cache: PortalCache) -> tuple[list[dict], dict[str, dict]]:
    with cache.snap.read() as store:
        report = store.sources_report().to_pylist()
        meta = {r["source"]: r for r in store.source_rows()}
    for r in report:
        m = meta.get(r["source"], {})
        r["title"] = m.get("title") or r["source"]
        cite = m.get("citation") or ""
        r["citation"] = cite.replace("{edition}", r["edition"] or "")
        r["ingested"] = r["ingested_at"].strftime("%Y-%m-%d %H:%M") if r["ingested_at"] else ""
    return report, meta


@router.get("/sources", response_class=HTMLResponse)
def sources(request: Request):
    report, meta = _sources(_state(request))
    return render_page(
        request, "sources.html.j2", title=_("Sources"), report=report, meta=meta, has_charts=False
    )


@router.get("/news", response_class=HTMLResponse)
def news(request: Request):
    """Press items, latest first; ?geo= and ?theme= filter (the text is untrusted: escaped)."""
    cache = _state(request)
    geo_text = short(request.query_params.get("geo") or "", 100)
    theme = request.query_params.get("theme") or None
    if theme is not None and not theme.replace("_", "").isalpha():
        message = _("theme {theme} is not a theme id").format(theme=repr(theme[:40]))
        return error_page(request, 400, message)
    geo = None
    if geo_text:
        geo = _resolve(cache, geo_text)
        if geo is None:
            return error_page(
                request,
                404,
                _("unknown country or region {name}").format(name=repr(geo_text)),
                _suggest_geo(cache, geo_text),
            )
    with cache.snap.read() as store:
        items = store.news(geo, theme, 100)
    return render_page(
        request, "news.html.j2", title=_("News"), items=items, geo=geo, theme=theme,
        has_charts=False,
    )  # fmt: skip


@router.get("/about", response_class=HTMLResponse)
def about(request: Request):
    _report, meta = _sources(_state(request))
    return render_page(request, "about.html.j2", title=_("About"), meta=meta, has_charts=False)
