"""The portal's edges (issue 15, item 6): HTML 404/405 pages off the API, a data home with no
store yet, one search box, exact searches straight to their page, short checksums on the
sources page, and the news page's numbers, verdicts and origins."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb
import pytest
import uvicorn
from fastapi.testclient import TestClient

import fixtures as fx
from migprofile.wording import _, fixed, language

pytestmark = pytest.mark.integration

CHROMIUM = "/usr/bin/chromium"
DB_FILE = "migprofile.duckdb"
LOCAL_PATH = "/home/alice/Private/press-cuttings/moldova-2024.txt"


@pytest.fixture(scope="module")
def raw(app):
    """The module's portal, redirects not followed (a 303 is what is tested)."""
    with TestClient(app, follow_redirects=False) as c:
        yield c


def _message(html: str) -> str:
    m = re.search(r'<p class="portal-message">(.*?)</p>', html, re.S)
    assert m, html[:400]
    return m.group(1)


# -- 1. HTML 404 and 405 off the API, JSON on it ------------------------------------------------
@pytest.mark.parametrize(
    "url, lang",
    [
        ("/no-such", "en"),
        ("/ru/no-such", "ru"),
        ("/country/MDA/extra/segments", "en"),
        ("/static/no-such.css", "en"),
        ("/ru/static/app.py", "ru"),
    ],
)
def test_unknown_pages_are_html_404_in_the_language(raw, url, lang):
    r = raw.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text
    assert r.headers["content-language"] == lang
    assert 'role="search"' in r.text and 'name="q"' in r.text  # the header's search box
    home = "/ru/" if lang == "ru" else "/"
    assert f'href="{home}"' in r.text  # the way home
    assert '{"detail"' not in r.text
    head = raw.head(url)
    assert head.status_code == 404 and head.content == b""
    assert head.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("url", ["/api/no-such", "/ru/api/no-such", "/api"])
def test_unknown_api_paths_stay_json(raw, url):
    r = raw.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/json")
    assert r.json() == {"detail": "Not Found"}


@pytest.mark.parametrize("url", ["/", "/country/MDA", "/ru/country/MDA", "/sources", "/news"])
def test_post_on_a_page_is_an_html_405_with_allow(raw, url):
    r = raw.post(url, data={"q": "x"})
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]
    assert r.headers["content-type"].startswith("text/html")
    assert "<h1>" in r.text and '{"detail"' not in r.text
    if url.startswith("/ru/"):
        assert '<html lang="ru">' in r.text


@pytest.mark.parametrize("url", ["/api/geo", "/ru/api/geo", "/api/profiles/MDA"])
def test_post_on_the_api_is_a_json_405(raw, url):
    r = raw.post(url)
    assert r.status_code == 405
    assert "GET" in r.headers["allow"]
    assert r.json()["detail"] == "Method Not Allowed"


def test_api_errors_keep_their_json(raw):
    r = raw.get("/api/geo/Moldva")
    assert r.status_code == 404 and "detail" in r.json()
    assert raw.get("/api/profiles/Moldva").headers["content-type"].startswith("application/json")


# -- 2. a data home with no store yet ---------------------------------------------------------
@pytest.fixture
def empty(home):
    """The portal over a MIGPROFILE_HOME that has never seen an ingest."""
    from migprofile.web import create_app

    assert not any(home.iterdir())
    with TestClient(create_app(), follow_redirects=False) as c:
        yield c


@pytest.mark.parametrize(
    "url, lang",
    [("/", "en"), ("/ru/", "ru"), ("/country/MDA", "en"), ("/ru/sources", "ru"),
     ("/search?q=Moldova", "en"), ("/news", "en"), ("/indicators/immigrant_stock", "en")],
)  # fmt: skip
def test_empty_home_pages_say_no_data_yet(empty, url, lang):
    from migprofile.web.edges import no_store_hint

    r = empty.get(url)
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text
    message = _message(r.text)
    assert "<code>migprofile ingest</code>" in message
    assert "<code>migprofile ingest --raw-dir DIR --offline</code>" in message
    with language(lang):
        hint = no_store_hint()
    # the page says the translated hint, its commands shown as code
    assert re.sub(r"</?code>", "`", message).replace("&#39;", "'") == hint
    assert empty.head(url).status_code == 503


@pytest.mark.parametrize("url", ["/api/geo", "/ru/api/geo", "/api/profiles/MDA", "/api/news"])
def test_empty_home_api_answers_json_503_with_the_hint(empty, url):
    from migprofile.web.edges import no_store_hint

    r = empty.get(url)
    assert r.status_code == 503
    assert r.headers["content-type"].startswith("application/json")
    detail = r.json()["detail"]
    assert "`migprofile ingest`" in detail and "--raw-dir" in detail
    with language("ru" if url.startswith("/ru/") else "en"):
        assert detail == no_store_hint()


def test_empty_home_still_serves_docs_and_static_files(empty, home):
    for url in ("/api/docs", "/api/openapi.json", "/api/docs/assets/docs-init.js"):
        assert empty.get(url).status_code == 200, url
    css = empty.get("/static/portal.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert empty.get("/static/no-such.js").status_code == 404
    assert empty.post("/country/MDA").status_code == 405
    assert not (home / DB_FILE).exists()  # serving never creates a store


# -- 3. one search box on the first screen ------------------------------------------------------
@pytest.mark.parametrize("url", ["/", "/ru/", "/search", "/search?q=zzzzqqq"])
def test_one_search_box_per_page(raw, url):
    raw.cookies.clear()  # a Russian page visited before would send `/` on to `/ru/`
    r = raw.get(url)
    assert r.status_code == 200, url
    html = r.text
    assert html.count('role="search"') == 1, url
    assert html.count('name="q"') == 1, url
    placeholder = re.search(r'name="q"[^>]*placeholder="([^"]+)"', html)
    assert placeholder, url
    if not url.startswith("/ru/"):
        assert placeholder.group(1) == "Country, region or indicator"


# -- 4. exact matches go straight to their page -----------------------------------------------
@pytest.mark.parametrize(
    "q, target",
    [
        ("Moldova", "/country/MDA"),
        ("moldova", "/country/MDA"),
        ("MDA", "/country/MDA"),
        ("498", "/country/MDA"),
        ("Молдова", "/country/MDA"),
        ("Republic of Moldova", "/country/MDA"),
        ("  Moldova  ", "/country/MDA"),
        ("central asia", "/region/central-asia"),
        ("Central Asia", "/region/central-asia"),
        ("Kirgizia", "/country/KGZ"),
        ("Kirghizia", "/country/KGZ"),
        ("immigrant_stock", "/indicators/immigrant_stock"),
        ("Personal remittances received", "/indicators/remittances_received_usd"),
    ],
)
def test_exact_search_redirects(raw, q, target):
    r = raw.get("/search", params={"q": q})
    assert r.status_code == 303, (q, r.status_code)
    assert r.headers["location"] == target
    ru = raw.get("/ru/search", params={"q": q})
    assert ru.status_code == 303 and ru.headers["location"] == "/ru" + target
    assert raw.get(target).status_code == 200


@pytest.mark.parametrize(
    "q, link",
    [("Mold", "/country/MDA"), ("remittance", "/indicators/remittances_received_usd"),
     ("caucasus", "/region/south-caucasus")],
)  # fmt: skip
def test_partial_search_lists_results(raw, q, link):
    r = raw.get("/search", params={"q": q})
    assert r.status_code == 200
    assert f'href="{link}"' in r.text


def test_kirgizia_is_a_known_user_name():
    from migprofile.geo.world_names import EXTRA_USER_NAMES

    assert EXTRA_USER_NAMES["Kirgizia"] == EXTRA_USER_NAMES["Kirghizia"] == "KGZ"


# -- 5. the sources page: short checksums, the full one a click away ------------------------------
def test_sources_page_short_checksums(raw, shared_store):
    html = raw.get("/sources").text
    shas = {r["sha256"] for r in shared_store.sources_report().to_pylist() if r["sha256"]}
    assert shas
    for sha in shas:
        short = f'<code class="sha-short" title="{sha}">{sha[:12]}</code>'
        assert short in html, sha
        assert f'<code class="sha-full">{sha}</code>' in html
    assert 'class="sha"' not in html


# -- 6. the news page: numbers, verdicts, origins -----------------------------------------------
@pytest.fixture(scope="module")
def news_db(shared_store_path, tmp_path_factory):
    """A copy of the session store with two news items: one added through `news add` from a
    file in a private folder, one as an older store kept it (its origin a full local path)."""
    from migprofile.news.model import CheckedItem, NewsItem, QuotedFigure, Tag, Verdict
    from migprofile.news.service import add_news
    from migprofile.store import writer

    folder = tmp_path_factory.mktemp("news-home")
    db = folder / DB_FILE
    shutil.copyfile(shared_store_path, db)
    db.chmod(0o644)
    press = folder / "private" / "cuttings"
    press.mkdir(parents=True)
    (press / "moldova.txt").write_text(
        "Moldovans abroad\n"
        "About 864,257 emigrants from Moldova lived abroad in 2024, according to UN DESA.\n",
        encoding="utf-8",
    )
    added, known = add_news([str(press / "moldova.txt")], db=db)
    assert (added, known) == (1, 0)

    def figure(text: str, value: float, unit: str) -> QuotedFigure:
        return QuotedFigure(text, value, unit, "", f"{text} in 2024.", year=2024, geo="MDA")

    item = NewsItem("Remittances and emigrants", "A fixture item.", LOCAL_PATH, "2024-07-01")
    count, share, third, fourth = (
        figure("861,077 emigrants", 861077.0, "persons"),
        figure("13.25% of the population", 13.25, "%"),
        figure("12.5 per cent", 12.5, "%"),
        figure("US$ 2 billion", 2e9, "US$"),
    )
    verdicts = [
        Verdict(count, "consistent", "emigrant_stock", data_value=861077.0, data_year=2024,
                source="undesa_ims_origin", edition="2024"),
        Verdict(share, "differs", "immigrant_pct_population", data_value=13.25,
                data_year=2024, source="undesa_ims_destination", edition="2024"),
        Verdict(third, "different definition", "immigrant_pct_population", data_value=12.0,
                data_year=2024, source="undesa_ims_destination", edition="2024"),
        Verdict(fourth, "no data", None),
    ]  # fmt: skip
    tags = [Tag("geo", "MDA", ["Moldova"])]
    with writer(db) as store:
        store.add_news([CheckedItem(item, tags, [count, share, third, fourth], verdicts)])
    # an item stored before origins were names only: its origin is the full local path
    with duckdb.connect(str(db)) as con:
        con.execute(
            "UPDATE news_items SET origin = ? WHERE item_id = ?", [LOCAL_PATH, item.item_id]
        )
    return db


@pytest.fixture(scope="module")
def news_client(news_db):
    from migprofile.web import create_app

    app = create_app(news_db)
    with TestClient(app, follow_redirects=False) as c:
        yield c
    app.state.holder.close()


def test_news_add_stores_only_the_file_name(news_db):
    with duckdb.connect(str(news_db), read_only=True) as con:
        origins = dict(con.execute("SELECT title, origin FROM news_items").fetchall())
    assert origins["Moldovans abroad"] == "moldova.txt"  # no folder kept
    assert origins["Remittances and emigrants"] == LOCAL_PATH  # the older row, as it was


@pytest.mark.parametrize("prefix, lang", [("", "en"), ("/ru", "ru")])
def test_news_page_numbers_verdicts_and_origins(news_client, news_db, prefix, lang):
    r = news_client.get(prefix + "/news")
    assert r.status_code == 200
    html = r.text
    with language(lang):
        whole = fixed(861077, 0, group=True)
        decimals = _("{number}%").format(number=fixed(13.25, 2))
        twelve = _("{number}%").format(number=fixed(12, 0))
        twelve_zeros = _("{number}%").format(number=fixed(12, 2))
        from_store = fixed(_stored_emigrants(news_db), 0, group=True)
    assert whole in html and whole + fixed(0, 2)[1:] not in html  # 861,077 not 861,077.00
    assert decimals in html and twelve in html and twelve_zeros not in html  # 13.25%, 12%
    assert from_store in html  # the checker's own value from the store, as a whole number
    # origins: file names only, never the folders they were in
    assert "moldova-2024.txt" in html and "moldova.txt" in html
    assert "/home/alice" not in html and "Private" not in html and "cuttings" not in html
    # verdicts: a class per verdict id, the label always written out
    for code in ("consistent", "differs", "different definition", "no data"):
        css = code.replace(" ", "-")
        assert re.search(rf'<span class="verdict verdict-{css}">[^<]+</span>', html), code


def _stored_emigrants(db: Path) -> float:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT data_value FROM news_figures f JOIN news_items i USING (item_id) "
            "WHERE i.title = 'Moldovans abroad' AND data_value IS NOT NULL"
        ).fetchall()
    assert rows and rows[0][0] is not None
    return float(rows[0][0])


def test_news_api_gives_file_names_only(news_client):
    for params in ({}, {"geo": "MDA"}):
        body = news_client.get("/api/news", params=params).text
        assert "/home/alice" not in body and "cuttings" not in body
        items = news_client.get("/api/news", params=params).json()["items"]
        assert {"moldova.txt", "moldova-2024.txt"} <= {i["origin"] for i in items}


@pytest.mark.parametrize(
    "origin, shown",
    [
        ("/home/alice/news/a.txt", "a.txt"),
        ("C:\\Users\\alice\\Documents\\b.html", "b.html"),
        ("relative/dir/c.xml", "c.xml"),
        ("d.txt", "d.txt"),
        ("https://example.org/news/item?id=1", "https://example.org/news/item?id=1"),
        ("", ""),
        (None, ""),
    ],
)
def test_origin_name(origin, shown):
    from migprofile.store.news import origin_name

    assert origin_name(origin) == shown


# -- in a real browser: the checksum column on a phone and a laptop ---------------------------
@pytest.fixture(scope="module")
def server(app):
    config = uvicorn.Config(app, host="127.0.0.1", port=fx.free_port(), log_level="warning")
    with fx.uvicorn_in_thread(config) as base:
        yield base


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium not installed")
def test_checksums_stay_on_one_line_in_a_browser(server):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        try:
            for width in (390, 1280):
                page = browser.new_page(viewport={"width": width, "height": 900})
                page.goto(server + "/sources")
                heights = page.eval_on_selector_all(
                    ".sha-details summary", "els => els.map(e => e.getBoundingClientRect().height)"
                )
                line = page.eval_on_selector(
                    ".sha-short", "e => parseFloat(getComputedStyle(e).lineHeight) || 20"
                )
                assert heights and max(heights) < 2 * max(line, 16), (width, heights)
                # opened, the full checksum takes two lines, not eleven
                page.locator(".sha-details summary").first.click()
                full = page.eval_on_selector(
                    ".sha-details[open] .sha-full", "e => e.getBoundingClientRect().height"
                )
                assert full < 3.5 * max(line, 16), (width, full)
                # and selecting it copies all 64 hex digits
                text = page.eval_on_selector(".sha-details[open] .sha-full", "e => e.textContent")
                assert re.fullmatch(r"[0-9a-f]{64}", text)
                page.close()
        finally:
            browser.close()
