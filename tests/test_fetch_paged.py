"""The UNHCR population API as the default download: every page fetched and merged into one
file (fetch.fetch_paged), against a scripted server on 127.0.0.1 (no network)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import migprofile
from migprofile import config
from migprofile import fetch as fetch_mod
from migprofile.errors import MigprofileError
from migprofile.fetch import MAX_PAGES, FetchError, fetch, fetch_paged, page_url
from migprofile.indicators import observations
from migprofile.ingest import ingest
from migprofile.sources import Download, get_source
from migprofile.sources.unhcr import API_FILENAME, API_PAGING, API_URL, Unhcr, api_page_url

# -- the API's records, as it returns them -------------------------------------------------------
# Fields in the API's order (coo_id/coa_id are UNHCR's numeric ids, "-" where there is none);
# numbers come as JSON numbers or as strings ("0"), "-" where a type has no figure.

VALUE_FIELDS = (
    "refugees", "asylum_seekers", "returned_refugees", "idps", "returned_idps", "stateless",
    "ooc", "oip", "hst",
)  # fmt: skip


def record(year, coo, coa, **values) -> dict:
    """One API item: coo/coa are (id, name, UNHCR code, ISO code); unnamed types are "0"
    (oip "-"), as the API fills every type on every row."""
    item: dict = {"year": year}
    for prefix, (uid, name, code, iso) in (("coo", coo), ("coa", coa)):
        item |= {f"{prefix}_id": uid, f"{prefix}_name": name, prefix: code, f"{prefix}_iso": iso}
    for f in VALUE_FIELDS:
        item[f] = values.get(f, "-" if f == "oip" else "0")
    return item


UKR = (212, "Ukraine", "UKR", "UKR")
MDA = (133, "Rep. of Moldova", "MDA", "MDA")
GEO = (78, "Georgia", "GEO", "GEO")
SYR = (192, "Syrian Arab Rep.", "SYR", "SYR")
TUR = (196, "Türkiye", "TUR", "TUR")
STATELESS = ("-", "Stateless", "STA", "XXA")
UNKNOWN = ("-", "Unknown", "UKN", "UNK")

PAGES = [
    [
        record(2023, UKR, MDA, refugees=110000, asylum_seekers="400"),
        record(2023, SYR, TUR, refugees=3214000, asylum_seekers=0, returned_refugees="21865"),
        record(2023, GEO, GEO, idps=281000, stateless="550"),
    ],
    [
        record(2024, UKR, MDA, refugees=135486, asylum_seekers=350, returned_refugees=5000),
        record(2024, STATELESS, MDA, refugees=0, asylum_seekers=0, stateless=2900),
        record(2024, SYR, TUR, refugees="2940735", asylum_seekers=154083, oip="0"),
    ],
    [
        record(2024, GEO, GEO, idps="280000", returned_idps=0),
        record(2024, UKR, UNKNOWN, returned_refugees=9000),
    ],
]
ALL_ITEMS = [item for page in PAGES for item in page]
PAIR_TYPES = {"refugees", "asylum_seekers"}


def stored_cells(items: list[dict]) -> int:
    """How many values the store keeps of these items (unhcr.py's rule on zeros: refugees and
    asylum-seekers on every row, any type on a country's own row; '-' is never a value)."""
    n = 0
    for item in items:
        own = item["coo_iso"] == item["coa_iso"]
        for f in VALUE_FIELDS:
            value = item[f]
            if value in ("-", "", None):
                continue
            if float(value) == 0 and not (own or f in PAIR_TYPES):
                continue
            n += 1
    return n


def page_body(page: int, max_pages: int = 3, items: list | None = None) -> bytes:
    return json.dumps(
        {"page": page, "maxPages": max_pages, "items": PAGES[page - 1] if items is None else items}
    ).encode()


# -- a scripted API server ---------------------------------------------------------------------


@dataclass
class Resp:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})


class Api:
    """Answers GET /population/v1/population/?...&page=N from a script per page: each request
    takes the next response, the last one repeats."""

    def __init__(self) -> None:
        self.pages: dict[int, list[Resp]] = {}
        self.hits: Counter[int] = Counter()
        self.queries: list[dict[str, list[str]]] = []
        self.lock = threading.Lock()
        self.base = ""
        self.good()

    def good(self) -> None:
        self.pages = {n: [Resp(body=page_body(n))] for n in (1, 2, 3)}

    def script(self, page: int, *responses: Resp) -> None:
        self.pages[page] = list(responses)

    @property
    def first_url(self) -> str:
        return api_page_url(1, 2024).replace(API_URL, self.base + "/population/v1/population/")

    def answer(self, query: dict[str, list[str]]) -> Resp:
        with self.lock:
            self.queries.append(query)
            page = int(query.get("page", ["1"])[0])
            self.hits[page] += 1
            queue = self.pages.get(page)
            if not queue:
                return Resp(status=404, body=b"not found", headers={"Content-Type": "text/plain"})
            return queue.pop(0) if len(queue) > 1 else queue[0]


@pytest.fixture(autouse=True)
def _no_proxy_no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.delenv("all_proxy", raising=False)
    delays: list[float] = []
    monkeypatch.setattr(fetch_mod, "_sleep", delays.append)
    return delays


@pytest.fixture
def api():
    state = Api()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            if parts.path != "/population/v1/population/":
                resp = Resp(status=404, body=b"no such endpoint")
            else:
                resp = state.answer(parse_qs(parts.query))
            self.send_response(resp.status)
            for k, v in resp.headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(resp.body)))
            self.end_headers()
            self.wfile.write(resp.body)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield state
    httpd.shutdown()
    httpd.server_close()


def paged(api: Api, cache: Path, **kw) -> fetch_mod.FetchedFile:
    return fetch_paged(partial(page_url, api.first_url, "page"), cache, API_FILENAME, **kw)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def offline_client() -> httpx.Client:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise AssertionError(f"network used: {request.url}")

    return httpx.Client(transport=httpx.MockTransport(refuse))


# -- page URLs ------------------------------------------------------------------------------------


def test_page_url_changes_only_the_page():
    url = api_page_url(1, 2024)
    assert page_url(url, "page", 1) == url
    assert page_url(url, "page", 7) == api_page_url(7, 2024)
    assert page_url("http://h/p?a=1&b=2", "page", 3) == "http://h/p?a=1&b=2&page=3"
    assert page_url("http://h/p", "page", 2) == "http://h/p?page=2"
    assert page_url("http://h/p?page=1&x=a%20b&page=9", "page", 4) == "http://h/p?page=4&x=a%20b"


def test_unhcr_default_download_is_the_paged_api():
    (download,) = Unhcr.downloads
    assert download.url == api_page_url(1)
    assert download.filename == API_FILENAME
    paging = download.paging
    assert paging is not None
    assert (paging.parameter, paging.pages_field, paging.items_field, paging.first_page) == (
        API_PAGING["page_parameter"],
        API_PAGING["last_page_field"],
        API_PAGING["items_field"],
        API_PAGING["first_page"],
    )
    assert page_url(download.url, paging.parameter, 3) == api_page_url(3)


# -- merging -----------------------------------------------------------------------------------


def test_three_pages_merge_into_one_file_with_its_record(api: Api, tmp_path: Path):
    seen: list[tuple[int, int]] = []
    got = paged(api, tmp_path, progress=lambda done, total: seen.append((done, total)))
    assert dict(api.hits) == {1: 1, 2: 1, 3: 1}
    # every page asked with the same query but the page
    first = {k: v for k, v in api.queries[0].items() if k != "page"}
    assert first == {
        "yearFrom": ["1951"], "yearTo": ["2024"], "coo_all": ["true"], "coa_all": ["true"],
        "cf_type": ["ISO"], "limit": ["10000"],
    }  # fmt: skip
    assert [({k: v for k, v in q.items() if k != "page"}, q["page"]) for q in api.queries] == [
        (first, ["1"]),
        (first, ["2"]),
        (first, ["3"]),
    ]
    assert seen == [(1, 3), (2, 3), (3, 3)]

    data = got.path.read_bytes()
    merged = json.loads(data)
    assert list(merged) == ["items"]  # no page / maxPages: one whole table
    assert merged["items"] == ALL_ITEMS  # page order, each item as the API sent it
    assert list(merged["items"][0]) == list(ALL_ITEMS[0])  # field order kept
    assert got.path == tmp_path / API_FILENAME
    assert (got.url, got.final_url, got.pages, got.from_cache) == (
        api.first_url,
        api.first_url,
        3,
        False,
    )
    assert (got.sha256, got.bytes) == (sha(data), len(data))
    record = json.loads((tmp_path / f"{API_FILENAME}.origin.json").read_text())
    assert record == {
        "url": api.first_url,
        "final_url": api.first_url,
        "sha256": sha(data),
        "bytes": len(data),
        "retrieved_at": got.retrieved_at,
        "pages": 3,
    }
    assert listing(tmp_path) == [API_FILENAME, f"{API_FILENAME}.origin.json"]
    # what the unhcr-population-json layout recognises: "coo_iso" near the top
    assert '"coo_iso"' in data[:4096].decode()


def test_a_page_is_retried_like_any_download(api: Api, tmp_path: Path, _no_proxy_no_sleep):
    api.script(2, Resp(status=503), Resp(status=429), Resp(body=page_body(2)))
    got = paged(api, tmp_path)
    assert json.loads(got.path.read_bytes())["items"] == ALL_ITEMS
    assert api.hits[2] == 3
    assert _no_proxy_no_sleep == [0.5, 1.0]  # fetch()'s backoff


def test_one_page_and_an_empty_answer(api: Api, tmp_path: Path):
    api.script(1, Resp(body=page_body(1, max_pages=1)))
    got = paged(api, tmp_path)
    assert json.loads(got.path.read_bytes()) == {"items": PAGES[0]} and got.pages == 1
    assert dict(api.hits) == {1: 1}
    api.script(1, Resp(body=page_body(1, max_pages=0, items=[])))
    empty = paged(api, tmp_path / "empty")
    assert json.loads(empty.path.read_bytes()) == {"items": []} and empty.pages == 1


# -- the cache -------------------------------------------------------------------------------------


def test_verified_cached_copy_is_reused_without_network(api: Api, tmp_path: Path):
    first = paged(api, tmp_path)
    again = paged(api, tmp_path, client=offline_client())
    assert again.from_cache is True
    assert (again.path, again.sha256, again.pages, again.retrieved_at) == (
        first.path,
        first.sha256,
        3,
        first.retrieved_at,
    )
    assert dict(api.hits) == {1: 1, 2: 1, 3: 1}

    refreshed = paged(api, tmp_path, refresh=True)
    assert refreshed.from_cache is False and dict(api.hits) == {1: 2, 2: 2, 3: 2}


def test_damaged_or_single_page_cache_is_downloaded_again(api: Api, tmp_path: Path):
    got = paged(api, tmp_path)
    got.path.write_bytes(got.path.read_bytes().replace(b"135486", b"135487"))
    fixed = paged(api, tmp_path)  # the bytes no longer match the record: fetched again
    assert fixed.from_cache is False and json.loads(fixed.path.read_bytes())["items"] == ALL_ITEMS
    assert api.hits[1] == 2

    # page 1 alone, fetched by fetch() under the same name and URL: not a whole table
    single = tmp_path / "single"
    fetch(api.first_url, single, filename=API_FILENAME)
    assert "pages" not in json.loads((single / f"{API_FILENAME}.origin.json").read_text())
    whole = paged(api, single)
    assert whole.from_cache is False and whole.pages == 3


# -- errors: one line, nothing new in the cache --------------------------------------------------

HTML = b"<!DOCTYPE html><html><body>Service unavailable</body></html>"

ERRORS = {
    "page not JSON": (2, Resp(body=b"Internal error: query timed out"), "page 2 is not JSON"),
    "page without items": (2, Resp(body=b'{"page": 2, "maxPages": 3}'), "no 'items' list"),
    "page without maxPages": (
        3,
        Resp(body=json.dumps({"page": 3, "items": PAGES[2]}).encode()),
        "page 3 has no 'maxPages'",
    ),
    "maxPages as text": (
        1,
        Resp(body=json.dumps({"page": 1, "maxPages": "3", "items": []}).encode()),
        "page 1 has no 'maxPages'",
    ),
    "answer is a list": (1, Resp(body=json.dumps(PAGES[0]).encode()), "not an object"),
    "item not an object": (2, Resp(body=page_body(2, items=[PAGES[1][0], 7])), "item 2"),
    "maxPages changes": (2, Resp(body=page_body(2, max_pages=4)), "maxPages changed from 3 to 4"),
    "page parameter ignored": (
        2,
        Resp(body=json.dumps({"page": 1, "maxPages": 3, "items": PAGES[0]}).encode()),
        "asked for page 2, the answer is page 1",
    ),
    "maxPages over the cap": (
        1,
        Resp(body=page_body(1, max_pages=MAX_PAGES + 1)),
        f"maxPages is {MAX_PAGES + 1}: refused",
    ),
    "negative maxPages": (1, Resp(body=page_body(1, max_pages=-1)), "maxPages is -1"),
    "HTML page": (
        2,
        Resp(body=HTML, headers={"Content-Type": "text/html; charset=utf-8"}),
        "HTML page instead of",
    ),
    "HTML body under a JSON type": (3, Resp(body=HTML), "body starts with HTML"),
    "HTTP 404": (3, Resp(status=404, body=b"gone"), "HTTP 404"),
    "HTTP 500 for good": (2, Resp(status=500), "giving up after 5 attempts; last: HTTP 500"),
}


@pytest.mark.parametrize("case", list(ERRORS), ids=list(ERRORS))
def test_errors_are_one_line_and_leave_nothing(api: Api, tmp_path: Path, case: str):
    page, resp, words = ERRORS[case]
    api.script(page, resp)
    (tmp_path / "other.csv").write_text("a,b\n")  # the cache holds other files
    before = listing(tmp_path)
    with pytest.raises(FetchError) as err:
        paged(api, tmp_path)
    message = str(err.value)
    assert "\n" not in message and words in message, message
    assert message.startswith(page_url(api.first_url, "page", page) + ": ")
    assert listing(tmp_path) == before  # no file, no sidecar, no .part left
    assert max(api.hits) == page  # stopped at the failing page


def test_failed_refresh_keeps_the_cached_table(api: Api, tmp_path: Path):
    good = paged(api, tmp_path)
    data = good.path.read_bytes()
    sidecar = (tmp_path / f"{API_FILENAME}.origin.json").read_bytes()
    api.script(3, Resp(body=page_body(3, max_pages=2)))
    with pytest.raises(FetchError, match="maxPages changed from 3 to 2 at page 3"):
        paged(api, tmp_path, refresh=True)
    assert listing(tmp_path) == [API_FILENAME, f"{API_FILENAME}.origin.json"]
    assert good.path.read_bytes() == data
    assert (tmp_path / f"{API_FILENAME}.origin.json").read_bytes() == sidecar


# -- ingest: the default download, parsed and stored ---------------------------------------------


@pytest.fixture
def api_download(api: Api, home: Path, monkeypatch: pytest.MonkeyPatch) -> Api:
    """Unhcr.downloads with the fake server in place of api.unhcr.org (same paging)."""
    (official,) = Unhcr.downloads
    fake = Download(
        api.first_url, official.filename, official.edition, official.description, official.paging
    )
    monkeypatch.setattr(Unhcr, "downloads", (fake,))
    return api


def test_ingest_downloads_every_page_and_stores_the_values(api_download: Api, home: Path):
    api = api_download
    report = ingest(["unhcr"], offline=False)
    assert dict(api.hits) == {1: 1, 2: 1, 3: 1}
    assert report.downloaded == [str(config.cache_dir() / API_FILENAME)]
    assert [r[1:] for r in report.ingested] == [
        ("unhcr", "2024 (mid-year)", stored_cells(ALL_ITEMS))
    ]
    with migprofile.open_store() as store:

        def value(indicator: str, geo: str, partner: str, year: int) -> tuple:
            (r,) = observations(store, indicator, geo, partner=partner, year=year).to_pylist()
            return r["value"], r["period"]

        assert value("refugees", "MDA", "UKR", 2024) == (135486, "mid-year")  # page 2
        assert value("refugees", "MDA", "UKR", 2023) == (110000, "")  # page 1
        assert value("asylum_seekers", "MDA", "UKR", 2023) == (400, "")  # "400"
        assert value("asylum_seekers", "TUR", "SYR", 2023) == (0, "")  # a pair type's 0
        assert value("refugees", "TUR", "SYR", 2024) == (2940735, "mid-year")  # "2940735"
        assert value("stateless", "MDA", "stateless", 2024) == (2900, "mid-year")  # XXA
        assert value("idps_unhcr", "GEO", "GEO", 2024) == (280000, "mid-year")  # page 3
        assert value("unhcr:returned_idps", "GEO", "GEO", 2024) == (0, "mid-year")  # own row
        assert value("returned_refugees", "other", "UKR", 2024) == (9000, "mid-year")  # UNK
        # '-' is no value, and a 0 of a type not reported in a pair is not stored ("0" and 0)
        assert observations(store, "other_in_need", "MDA").to_pylist() == []
        assert observations(store, "other_in_need", "TUR").to_pylist() == []
        assert observations(store, "returned_refugees", "TUR", year=2024).to_pylist() == []
        url, retrieved = store.con.execute("SELECT url, retrieved_at FROM vintages").fetchall()[0]
    assert url == api.first_url and retrieved

    again = ingest(["unhcr"], offline=False)  # the merged file is in the cache: no request
    assert dict(api.hits) == {1: 1, 2: 1, 3: 1}
    assert again.ingested == [] and len(again.unchanged) == 1


def test_ingest_failed_download_is_one_error_and_stores_nothing(api_download: Api, home: Path):
    api_download.script(2, Resp(body=page_body(2, max_pages=5)))
    with pytest.raises(MigprofileError) as err:
        ingest(["unhcr"], offline=False)
    message = str(err.value)
    assert "\n" not in message
    assert "maxPages changed from 3 to 5" in message and "--offline" in message
    assert not (home / "migprofile.duckdb").exists()
    assert listing(config.cache_dir()) == []


# -- the CLI: `migprofile ingest unhcr` downloads the API -------------------------------------

# The CLI in a subprocess with Unhcr.downloads pointed at the fake server (FAKE_UNHCR_API).
CLI_BOOT = """
import os, sys
from migprofile.sources import Download
from migprofile.sources.unhcr import Unhcr
(d,) = Unhcr.downloads
Unhcr.downloads = (Download(os.environ["FAKE_UNHCR_API"], d.filename, d.edition, d.description,
                            d.paging),)
from migprofile.cli import main
sys.argv = ["migprofile", *sys.argv[1:]]
main()
"""


def run_cli(api: Api, home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env |= {
        "MIGPROFILE_HOME": str(home),
        "FAKE_UNHCR_API": api.first_url,
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": "250",
        "PYTHONIOENCODING": "utf-8",
    }
    env.pop("MIGPROFILE_RAW_DIR", None)
    return subprocess.run(
        [sys.executable, "-c", CLI_BOOT, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=300,
        check=False,
    )


def test_cli_ingest_downloads_the_api(api: Api, home: Path):
    result = run_cli(api, home, "ingest", "unhcr")
    assert result.returncode == 0, result.stderr
    assert dict(api.hits) == {1: 1, 2: 1, 3: 1}
    assert f"unhcr 2024 (mid-year)  {stored_cells(ALL_ITEMS):>7} rows" in result.stdout
    assert API_FILENAME in result.stdout
    again = run_cli(api, home, "ingest", "unhcr")
    assert again.returncode == 0 and "(same sha256)" in again.stdout
    assert dict(api.hits) == {1: 1, 2: 1, 3: 1}


def test_cli_failed_download_is_one_error_line(api: Api, home: Path):
    api.script(3, Resp(body=b"<html><body>Bad gateway</body></html>"))
    result = run_cli(api, home, "ingest", "unhcr")
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "HTML page" in errors[0] and "--offline" in errors[0], result.stderr
    assert not (home / "migprofile.duckdb").exists()
    assert listing(home / "raw") == []


def test_source_registry_has_the_download():
    assert get_source("unhcr").downloads == Unhcr.downloads
