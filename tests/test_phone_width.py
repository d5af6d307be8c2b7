"""Every portal page at phone width (390 px) in a real Chromium: nothing scrolls sideways, and
no chart text is drawn smaller than 10 px, and no word in a table is broken across lines
("Russia / n Federation": a column squeezed to a letter's width); the same pages at desktop
width (1280 px).

Runs over the full-corpus store (the `app` fixture of conftest.py: ../shared/data ingested
once a session; skipped with its reason when the folder is absent). Screenshots go to
/tmp/phone-shots/ for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import uvicorn

import fixtures as fx

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path("/tmp/phone-shots")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_CHART_TEXT_PX = 10.0

# (name, path, has charts): the corridor page and the HTML 404 page come from other branches
PAGES = [
    ("home", "/", False),
    ("country", "/country/MDA", True),
    ("region", "/region/central-asia", True),
    ("compare", "/compare?geo=MDA,ARM,GEO&indicator=emigrant_stock", True),
    ("compare-bare", "/compare", False),
    ("indicators", "/indicators", False),
    ("indicator", "/indicators/immigrant_stock", True),
    ("sources", "/sources", False),
    ("news", "/news", False),
    ("about", "/about", False),
    ("corridor", "/corridor/RUS/MDA", True),
    ("not-found", "/no-such-page", False),
]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")

# The rendered size of every chart text: its font size times the scale the SVG is drawn at.
CHART_TEXT_SIZES = """() => Array.from(document.querySelectorAll('.vis svg text'))
    .filter(t => t.textContent.trim() !== '' && t.getBBox().width > 0)
    .map(t => {
        const m = t.getScreenCTM();
        const scale = m ? Math.hypot(m.a, m.b) : 1;
        return {text: t.textContent.trim(), px: parseFloat(getComputedStyle(t).fontSize) * scale};
    })"""

WIDEST = """() => {
    const limit = document.documentElement.clientWidth;
    return Array.from(document.querySelectorAll('body *'))
        .filter(el => el.getBoundingClientRect().right > limit + 1)
        .slice(0, 5)
        .map(el => el.tagName.toLowerCase() + '.' + el.className + ' ' +
             Math.round(el.getBoundingClientRect().right));
}"""


# Table words drawn over more than one line. A break after a hyphen or dash is a line break's
# proper place, so the parts between them count as the words. A word of up to 24 letters must
# fit its column: a table scrolls inside its own box rather than squeeze one (file names and
# checksums, longer, may wrap).
BROKEN_WORDS = """() => {
    const broken = [];
    for (const cell of document.querySelectorAll('td, th')) {
        const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (const m of node.textContent.matchAll(/[^\\s\\-\\u2010\\u2013\\u2014]+/g)) {
                if (m[0].length > 24) continue;
                const range = document.createRange();
                range.setStart(node, m.index);
                range.setEnd(node, m.index + m[0].length);
                const lines = new Set(Array.from(range.getClientRects())
                    .filter(r => r.width > 0).map(r => Math.round(r.top)));
                if (lines.size > 1) broken.push(m[0]);
            }
        }
        if (broken.length >= 5) break;
    }
    return broken;
}"""


@pytest.fixture(scope="module")
def server(app):
    config = uvicorn.Config(app, host="127.0.0.1", port=fx.free_port(), log_level="warning")
    with fx.uvicorn_in_thread(config) as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            yield b
        finally:
            b.close()


def _charts_drawn(page) -> None:
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('[data-spec]')).every(
            el => ['drawn', 'failed'].includes(el.getAttribute('data-state')))""",
        timeout=30000,
    )


def _check(browser, server: str, name: str, path: str, charts: bool, viewport: dict) -> None:
    context = browser.new_context(viewport=viewport)
    try:
        page = context.new_page()
        response = page.goto(server + path)
        assert response is not None
        if name == "not-found":
            assert response.status == 404
            assert response.headers.get("content-type", "").startswith("text/html"), (
                f"{path}: the 404 page is not an HTML page"
            )
        else:
            assert response.status == 200, f"{path}: HTTP {response.status}"
        if charts:
            _charts_drawn(page)
            assert page.locator(".vis svg").count() >= 1, f"{path}: no chart drawn"
            assert page.locator(".vis[data-state='failed']").count() == 0
        page.wait_for_timeout(150)  # a resize-driven chart redraw settles
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{viewport['width']}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], (
            f"{path} at {viewport['width']} px scrolls sideways: {width} px wide; "
            f"widest: {page.evaluate(WIDEST)}"
        )
        broken = page.evaluate(BROKEN_WORDS)
        assert not broken, f"{path} at {viewport['width']} px: table words broken: {broken}"
        if charts:
            sizes = page.evaluate(CHART_TEXT_SIZES)
            assert sizes, f"{path}: charts with no text"
            small = [s for s in sizes if s["px"] < MIN_CHART_TEXT_PX - 0.05]
            assert not small, (
                f"{path} at {viewport['width']} px: chart text below 10 px: {small[:5]}"
            )
    finally:
        context.close()


@pytest.mark.parametrize(("name", "path", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_no_sideways_scroll_at_phone_width(browser, server, name, path, charts):
    _check(browser, server, name, path, charts, PHONE)


@pytest.mark.parametrize(("name", "path", "charts"), PAGES, ids=[p[0] for p in PAGES])
def test_fits_at_desktop_width(browser, server, name, path, charts):
    _check(browser, server, name, path, charts, DESKTOP)
