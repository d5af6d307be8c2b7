"""Static export of the portal: every page, download and a JSON copy of the API as plain files.

`export_site(OUT)` drives the app in-process (`fastapi.testclient.TestClient`) and writes what it
serves under OUT, so the folder can be hosted by any static file server (`python -m http.server
--directory OUT`, a bucket, GitHub Pages) with the same URLs as the live portal.

Layout (URL of the live portal → file under OUT):

- HTML pages: `/` → `index.html`; `/country/MDA` → `country/MDA/index.html`; any other
  extension-less page `/a/b` → `a/b/index.html` (a static server answers `/a/b/` with it and
  usually redirects `/a/b` there). Links in exported HTML stay absolute (`/country/MDA`), so
  they work unchanged when OUT is served at the site root; the HTML is written byte for byte
  as the app serves it.
- Files with an extension keep their path: `/static/vega-bundle.js` → `static/vega-bundle.js`,
  `/download/MDA.zip` → `download/MDA.zip`, `/pdf/MDA.pdf` → `pdf/MDA.pdf` (PDFs only with
  `include_pdf=True`, they are slow to render). Corridor pages (`/corridor/RUS/MDA`) only with
  `include_corridors=True`: profiles link thousands of country pairs, each read from the store,
  and a corridor page links further corridors (`export-site --corridors`).
- API (GET resources without a query string; `/api/X` is `api/X.json`, since `api/geo` cannot be
  both a file and the folder holding `api/geo/MDA`):
  `/api/geo` → `api/geo.json`; `/api/geo/{geo}` → `api/geo/{geo}.json` (for every geo, with
  members for aggregates); `/api/indicators` → `api/indicators.json`;
  `api/indicators/{id}.json` — the catalogue entry of one indicator (the live API has no such
  route; it is the matching item of `/api/indicators`); `/api/profiles/{geo}` →
  `api/profiles/{geo}.json` (every geo in `/api/geo`); `/api/openapi.json` → `api/openapi.json`.
  Where an exported page links an API URL itself (`/api/profiles/MDA`), the same JSON is also
  written at that exact path (`api/profiles/MDA`, no extension) so the link works on a static
  host; not possible where the URL is also a folder (`/api/geo`, `/api/indicators`).

Languages: `languages=["en", "ru"]` (`export-site --lang en,ru`) exports each language's pages
under its prefix (`/ru/country/MDA`); English also under `/en/`, where its language switch
points. Pages of languages not asked for are not crawled.

What is not exported: URLs with a query string (`/compare?geo=…`, `/search?q=…`,
`/api/indicators/{id}/data?geo=…` — they need the live server; `/compare` itself is exported
only if the app serves a default page without a query), `/api/docs` (loads Swagger from a CDN),
external links, and any link whose response is not 200.

Pages are found by crawling from `/`: every same-site `href`/`src` attribute in exported HTML is
followed. Before the HTML pages exist the crawl finds nothing and the export is the API JSON
alone. Every output path is checked to stay inside OUT (no `..`, no absolute or odd segments,
the resolved path must be under OUT); a URL that fails the check is skipped, never written.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urljoin, urlsplit

from migprofile.errors import UsageError
from migprofile.wording import _

if TYPE_CHECKING:
    from fastapi import FastAPI

ORIGIN = "http://testserver"
API_LISTS = ("/api/geo", "/api/indicators")
SKIP_PREFIXES = ("/api/docs",)
SEGMENT_BAD = re.compile(r"[\x00-\x1f\\]")
MAX_PAGES = 20_000

Progress = Callable[[str], None]


class _Links(HTMLParser):
    """Every href/src attribute value in a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value.strip())

    handle_startendtag = handle_starttag


def skipped(url: str, reason: str) -> str:
    """The progress line for a URL the export leaves out."""
    return _("skipped {url}: {reason}").format(url=url, reason=reason)


def http_status(status: int) -> str:
    return _("HTTP {status}").format(status=status)


def html_links(html: str) -> list[str]:
    """The href/src values of an HTML document, in document order."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.links


def site_path(link: str, base: str = "/") -> str | None:
    """The same-site path a link points to (relative to the page at `base`), or None.

    None for external links, other schemes (mailto:, javascript:, data:), links with a query
    string and bare fragments. The fragment is dropped; a trailing slash is removed (except `/`).
    """
    url = urljoin(ORIGIN + base, link)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or f"{parts.scheme}://{parts.netloc}" != ORIGIN:
        return None
    if parts.query:
        return None
    path = parts.path or "/"
    if len(path) > 1:
        path = path.rstrip("/") or "/"
    return path


def _segments(path: str) -> list[str]:
    """The decoded segments of a URL path, or UsageError if any could escape the export."""
    decoded = unquote(path, errors="strict")
    if not decoded.startswith("/"):
        raise UsageError(_("not an absolute path: {path}").format(path=repr(path)))
    parts = decoded.strip("/").split("/") if decoded.strip("/") else []
    for seg in parts:
        if seg in ("", ".", "..") or SEGMENT_BAD.search(seg) or len(seg) > 200:
            raise UsageError(
                _("unsafe path segment {segment} in {path}").format(
                    segment=repr(seg), path=repr(path)
                )
            )
    return parts


def safe_target(out_dir: Path, relative: list[str]) -> Path:
    """`out_dir/relative…`, refused (UsageError) unless it resolves inside `out_dir`."""
    root = out_dir.resolve()
    for seg in relative:
        if seg in ("", ".", "..") or "/" in seg or SEGMENT_BAD.search(seg):
            raise UsageError(_("unsafe path segment {segment}").format(segment=repr(seg)))
    target = root.joinpath(*relative)
    resolved = target.resolve()
    if resolved == root or not resolved.is_relative_to(root):
        raise UsageError(
            _("{path} is outside {root}").format(path=repr("/".join(relative)), root=root)
        )
    return resolved


def page_file(path: str, content_type: str) -> list[str] | None:
    """Output segments for a crawled URL path, or None when it has no static form."""
    parts = _segments(path)
    if path == "/api" or path.startswith("/api/"):
        if not parts[1:]:
            return None
        last = parts[-1]
        return parts if "." in last else [*parts[:-1], last + ".json"]
    html = content_type.split(";")[0].strip().lower() == "text/html"
    last = parts[-1] if parts else ""
    if html:
        if last.endswith((".html", ".htm")):
            return parts
        return [*parts, "index.html"]
    if "." in last:
        return parts
    return None


def is_corridor_page(path: str) -> bool:
    """`/corridor/A/B` or `/ru/corridor/A/B`: a page of one country pair."""
    parts = [p for p in path.split("/") if p]
    if parts and len(parts[0]) == 2 and parts[0].isalpha():
        parts = parts[1:]
    return parts[:1] == ["corridor"]


def export_site(
    out_dir: Path,
    *,
    db_path: Path | None = None,
    app: FastAPI | None = None,
    include_pdf: bool = False,
    include_corridors: bool = False,
    progress: Progress | None = None,
    languages: list[str] | None = None,
) -> int:
    """Write the portal under `out_dir` as static files; returns the number of files written.

    `db_path` is the store (default: the configured one); `app` is the portal to export
    (default: `migprofile.web.create_app(db_path)`, the package's public factory; this module
    never imports `web.app` itself); `progress(message)` is called for every file written and
    every URL skipped.
    """
    from fastapi.testclient import TestClient

    from migprofile.wording.i18n import DEFAULT_LANGUAGE, shipped_languages

    wanted = languages or [DEFAULT_LANGUAGE]
    # pages of a language not asked for are not crawled (the language switch links them); with
    # several languages English is written at the root and under /en/, the switch's address
    skip_langs = tuple(
        f"/{lang}/"
        for lang in shipped_languages()
        if lang not in wanted or (lang == DEFAULT_LANGUAGE and len(wanted) == 1)
    )
    if app is None:
        from migprofile.web import create_app

        app = create_app(db_path, languages=wanted)

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    root = out_dir.resolve()
    say = progress or (lambda message: None)
    written: set[Path] = set()

    def write(relative: list[str], body: bytes, url: str) -> bool:
        tmp = None
        try:
            target = safe_target(root, relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".part")
            tmp.write_bytes(body)
            tmp.replace(target)
        except (UsageError, OSError) as exc:
            if tmp is not None:
                tmp.unlink(missing_ok=True)
            say(skipped(url, str(exc)))
            return False
        written.add(target)
        say(_("{url} -> {path}").format(url=url, path=target.relative_to(root).as_posix()))
        return True

    def json_bytes(data: Any) -> bytes:
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")

    with TestClient(app, base_url=ORIGIN) as client:
        # The API: lists, then one file per geo and per indicator.
        lists = {}
        for url in API_LISTS:
            r = client.get(url)
            if r.status_code != 200:
                raise UsageError(
                    _("GET {url} answered {status}: {text}").format(
                        url=url, status=r.status_code, text=r.text[:200]
                    )
                )
            lists[url] = r.json()
            write(page_file(url, "application/json") or [], r.content, url)
        r = client.get("/api/openapi.json")
        if r.status_code == 200:
            write(["api", "openapi.json"], r.content, "/api/openapi.json")
        for item in lists["/api/indicators"]:
            ind = str(item["id"])
            write(["api", "indicators", ind + ".json"], json_bytes(item), f"/api/indicators/{ind}")
        for row in lists["/api/geo"]:
            code = quote(str(row["geo"]), safe="")
            for kind in ("geo", "profiles"):
                url = f"/api/{kind}/{code}"
                r = client.get(url)
                if r.status_code == 200:
                    write(["api", kind, str(row["geo"]) + ".json"], r.content, url)
                else:
                    say(skipped(url, http_status(r.status_code)))

        # Pages: crawl same-site links from the home page.
        seen: set[str] = set(API_LISTS) | {"/api/openapi.json"}
        queue: deque[str] = deque(["/", *(f"/{lang}/" for lang in wanted if lang != "en")])
        seen.update(queue)
        fetched = 0
        while queue and fetched < MAX_PAGES:
            path = queue.popleft()
            if path.startswith(skip_langs) and not path.startswith(SKIP_PREFIXES):
                continue  # a language not exported
            if (
                path.startswith(SKIP_PREFIXES)
                or (not include_pdf and (path.startswith("/pdf/") or path.endswith(".pdf")))
                or (not include_corridors and is_corridor_page(path))
            ):
                say(skipped(path, _("not exported")))
                continue
            try:
                _segments(path)
            except (UsageError, UnicodeDecodeError) as exc:
                say(skipped(path, str(exc)))
                continue
            fetched += 1
            r = client.get(path)
            if r.status_code != 200:
                say(skipped(path, http_status(r.status_code)))
                continue
            content_type = r.headers.get("content-type", "")
            relative = page_file(path, content_type)
            if relative is None:
                kind = content_type or _("unknown type")
                say(skipped(path, _("no static form for {type}").format(type=kind)))
                continue
            exact = _segments(path)
            if exact[:1] == ["api"] and relative != exact:
                # A page links the live API URL: an extension-less copy makes that link work on
                # a static host too (not where the URL is also a folder, like /api/geo).
                if safe_target(root, exact).is_dir():
                    see = "/".join(relative)
                    say(
                        skipped(path, _("also a folder of the export, see {path}").format(path=see))
                    )
                else:
                    write(exact, r.content, path)
            try:
                if safe_target(root, relative) in written:
                    continue
            except UsageError as exc:
                say(skipped(path, str(exc)))
                continue
            write(relative, r.content, path)
            if content_type.startswith("text/html"):
                for link in html_links(r.text):
                    target = site_path(link, path)
                    if target is not None and target not in seen:
                        seen.add(target)
                        queue.append(target)
    return len(written)
