"""`migprofile serve` keeps answering while `migprofile ingest` swaps a new store into place.

A real uvicorn server (in a thread) over a store built from the UN DESA files only; then a full
ingest of ../shared/data runs as a subprocess while client threads hammer the API. No request
may fail, every response is wholly from the old or wholly from the new store, the ETag changes
once (old → new) per URL, and afterwards the new data is served.

DuckDB caches database instances per path inside a process: a naive reopen of the same path while
the old connection is still open gets the old (replaced) file back. The server must see the new one.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

import fixtures as fx

MDA_REMIT_2022 = 2170000000
URLS = (
    "/api/indicators/immigrant_stock/data?geo=MDA",
    "/api/indicators/remittances_received_usd/data?geo=MDA",
)
REMIT = URLS[1]


@pytest.fixture(scope="module")
def old_store(shared_data, module_home, run_cli, tmp_path_factory) -> Path:
    """A store with only the UN DESA files (and M49), so no World Bank remittances yet."""
    subset = tmp_path_factory.mktemp("subset")
    for name in ("undesa_ims", "m49"):
        (subset / name).mkdir()
        for f in (shared_data / name).iterdir():
            (subset / name / f.name).symlink_to(f)
    done = run_cli("ingest", "--raw-dir", subset, "--offline", home=module_home, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    db = module_home / "migprofile.duckdb"
    assert db.is_file()
    return db


@pytest.fixture(scope="module")
def server(old_store):
    import uvicorn

    from migprofile.web import create_app

    app = create_app(old_store)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=fx.free_port(), log_level="warning", lifespan="off"
    )
    with fx.uvicorn_in_thread(config) as base:
        yield base, app
    app.state.holder.close()


def _remit_rows(body: dict) -> list[dict]:
    return [r for r in body["rows"] if r.get("geo") == "MDA"]


def test_serve_during_ingest(server, shared_data, module_home, cli_environ):
    base, app = server
    with httpx.Client(base_url=base, timeout=30) as client:
        before = {u: client.get(u) for u in URLS}
    for u, r in before.items():
        assert r.status_code == 200, (u, r.status_code, r.text[:300])
    assert _remit_rows(before[REMIT].json()) == [], "the old store should have no remittances"
    old_stock = before[URLS[0]].json()["rows"]
    assert old_stock, "the old store should have the UN DESA migrant stock"

    argv = [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(shared_data)]
    proc = subprocess.Popen(
        [*argv, "--offline"],
        env=cli_environ(module_home),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    results: list[tuple[str, float, int | None, str | None, object]] = []
    ended: dict[int, float] = {}  # id of a result → when its response had arrived
    lock = threading.Lock()
    stop = threading.Event()

    def hammer(n: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            i = n
            while not stop.is_set():
                url = URLS[i % len(URLS)]
                i += 1
                t = time.monotonic()
                try:
                    r = client.get(url)
                    body = r.json() if r.status_code == 200 else r.text[:200]
                    item = (url, t, r.status_code, r.headers.get("etag"), body)
                except Exception as exc:  # connection errors count as failures
                    item = (url, t, None, None, repr(exc))
                done = time.monotonic()
                with lock:
                    results.append(item)
                    ended[id(item)] = done

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(3)]
    for th in threads:
        th.start()
    try:
        out, _ = proc.communicate(timeout=600)
        time.sleep(2.0)  # and a bit after the swap
    finally:
        stop.set()
        for th in threads:
            th.join(timeout=60)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, out

    failed = [r for r in results if r[2] != 200]
    assert not failed, f"{len(failed)} of {len(results)} requests failed, e.g. {failed[:3]}"
    assert len(results) > 20, "the clients barely ran"

    with httpx.Client(base_url=base, timeout=30) as client:
        after = {u: client.get(u) for u in URLS}
    new_remit = _remit_rows(after[REMIT].json())
    by_year = {r["year"]: r["value"] for r in new_remit}
    assert by_year.get(2022) == MDA_REMIT_2022, by_year.get(2022)
    old_etag = {u: r.headers["etag"] for u, r in before.items()}
    new_etag = {u: r.headers["etag"] for u, r in after.items()}
    assert old_etag != new_etag, "the ETag must change with the new vintage"

    # every response wholly old or wholly new, and each URL goes old → new for good
    for url in URLS:
        seq = sorted((t, etag, body) for u, t, _, etag, body in results if u == url)
        assert {e for _, e, _ in seq} <= {old_etag[url], new_etag[url]}, url
        assert seq[-1][1] == new_etag[url], url
        # once a new answer has arrived, no request sent after it gets the old one (two
        # requests in flight together may be answered in either order)
        items = [r for r in results if r[0] == url]
        first_new = min(ended[id(r)] for r in items if r[3] == new_etag[url])
        late_old = [r[1] for r in items if r[3] == old_etag[url] and r[1] > first_new]
        assert not late_old, (url, len(late_old))
        for _, etag, body in seq:
            if url == REMIT:
                rows = _remit_rows(body)
                want = [] if etag == old_etag[url] else new_remit
                assert rows == want, (etag, len(rows), len(want))
            else:
                want = old_stock if etag == old_etag[url] else after[url].json()["rows"]
                assert body["rows"] == want, etag
    # the replaced store's connection is closed once no request holds it
    holder = app.state.holder
    with httpx.Client(base_url=base, timeout=30) as client:
        time.sleep(1.2)
        assert client.get(URLS[0]).status_code == 200
    assert holder._retired == [], "the old store connection should have been closed"
