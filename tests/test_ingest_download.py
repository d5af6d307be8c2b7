"""`ingest` without --offline fetches what is missing from a source's official URLs."""

from __future__ import annotations

import http.server
import threading

import pytest

import migprofile
from migprofile import fetch as fetch_mod
from migprofile.errors import MigprofileError
from migprofile.indicators import observations
from migprofile.ingest import ingest
from migprofile.sources import Download, get_source

LONG_CSV = (
    b"year,entity_code,entity_name,indicator_code,value,indicator_name\n"
    b'2022,MDA,Moldova,SP.POP.TOTL,2500000.0,"Population, total"\n'
    b'2021,MDA,Moldova,SP.POP.TOTL,2510000.0,"Population, total"\n'
)


@pytest.fixture
def server():
    """127.0.0.1 server: /pop.csv fails twice with 503, then serves the file."""
    state = {"hits": 0}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            state["hits"] += 1
            if self.path == "/pop.csv" and state["hits"] <= 2:
                self.send_response(503)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if self.path == "/pop.csv":
                self.send_response(200)
                self.send_header("Content-Type", "text/csv")
                self.send_header("Content-Length", str(len(LONG_CSV)))
                self.end_headers()
                self.wfile.write(LONG_CSV)
                return
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", state
    httpd.shutdown()


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("MIGPROFILE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MIGPROFILE_RAW_DIR", raising=False)
    monkeypatch.setattr(fetch_mod, "_sleep", lambda seconds: None)
    return tmp_path / "home"


def test_ingest_downloads_missing_files_with_retries(server, home, monkeypatch):
    base, state = server
    wdi = get_source("wdi")
    monkeypatch.setattr(type(wdi), "downloads", (Download(f"{base}/pop.csv", "pop.csv", "latest"),))
    report = ingest(["wdi"], offline=False)
    assert state["hits"] == 3  # two 503s, then the file
    assert len(report.downloaded) == 1 and report.downloaded[0].endswith("pop.csv")
    assert [r[1:] for r in report.ingested] == [("wdi", "undated", 2)]
    with migprofile.open_store() as store:
        row = observations(store, "population", "MDA", year=2022).to_pylist()[0]
        assert row["value"] == 2500000.0
        url, retrieved = store.con.execute("SELECT url, retrieved_at FROM vintages").fetchall()[0]
    assert url == f"{base}/pop.csv" and retrieved

    again = ingest(["wdi"], offline=False)  # cached: no request, nothing new
    assert state["hits"] == 3
    assert again.ingested == [] and len(again.unchanged) == 1


def test_failed_download_is_one_clear_error_and_stores_nothing(server, home, monkeypatch):
    base, _ = server
    wdi = get_source("wdi")
    monkeypatch.setattr(
        type(wdi), "downloads", (Download(f"{base}/missing.xls", "missing.xls", "latest"),)
    )
    with pytest.raises(MigprofileError, match=r"missing\.xls.*--offline"):
        ingest(["wdi"], offline=False)
    assert not (home / "migprofile.duckdb").exists()
    assert not any((home / "raw").glob("missing.xls*"))
