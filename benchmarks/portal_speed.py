"""Portal read speed against Datasette serving the same rows (issue 15, item 1 "Fast reads").

One command: `python benchmarks/portal_speed.py` prints a markdown table.

1. Builds a store in a temporary MIGPROFILE_HOME from ../shared/data and ../shared/data-next
   (`migprofile ingest --offline`), and a second one from ../shared/data alone (another vintage,
   for the swap).
2. Writes a SQLite copy of what the lookup returns: every row of `immigrant_stock` for every
   geo as `/api/indicators/immigrant_stock/data` gives it (the public rows,
   `web.params.ROW_FIELDS`, read through `indicators.stream_observations` like the API; all
   indicators would take minutes to copy and change nothing for an indexed lookup), indexed on
   (indicator, geo), so Datasette answers `?indicator=immigrant_stock&geo=MDA` with the same rows.
3. Starts `migprofile serve` (127.0.0.1; one worker, two workers, and one worker with the
   response cache off) and `datasette serve`, and runs `wrk --latency` (same threads,
   connections and duration for all) against the lookup; then `/country/MDA` warm p50 and the
   latency of the requests right after the store file is replaced (os.replace of the other
   vintage's file), until the new data is live.

The load generator shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _serving import free_port

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
LOOKUP = "/api/indicators/immigrant_stock/data?geo=MDA"
DATASETTE = "/obs/rows.json?indicator=immigrant_stock&geo=MDA&_shape=array&_size=max"
PAGE = "/country/MDA"
WRK = "/usr/bin/wrk"


def env(home: Path, **extra: str) -> dict[str, str]:
    out = dict(os.environ, MIGPROFILE_HOME=str(home), PYTHONPATH=str(ROOT / "src"))
    out.update(extra)
    return out


def ingest(home: Path, folders: list[Path]) -> Path:
    args = [a for f in folders for a in ("--raw-dir", str(f))]
    done = subprocess.run(
        [PY, "-m", "migprofile.cli", "ingest", *args, "--offline"],
        env=env(home),
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        sys.exit(f"ingest failed:\n{done.stdout}\n{done.stderr}")
    return home / "migprofile.duckdb"


def sqlite_copy(db: Path, target: Path) -> int:
    """The lookup's rows for every indicator and geo, in SQLite (see the module docstring)."""
    sys.path.insert(0, str(ROOT / "src"))
    from migprofile.indicators import stream_observations
    from migprofile.store import Store
    from migprofile.web import params

    fields = params.ROW_FIELDS
    con = sqlite3.connect(target)
    columns = ", ".join('"' + f + '"' for f in fields)
    con.execute(f"CREATE TABLE rows ({columns})")
    n = 0
    with Store.open(db, read_only=True) as store:
        for indicator in ("immigrant_stock",):
            batch = [
                tuple(params.row(r).get(f) for f in fields)
                for r in stream_observations(store, indicator, None, sex="total")
            ]
            con.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(fields))})", batch)
            n += len(batch)
    con.execute("CREATE INDEX rows_indicator_geo ON rows (indicator, geo)")
    con.commit()
    con.close()
    return n


@contextmanager
def server(argv: list[str], base: str, environ: dict[str, str], ready: str) -> Iterator[None]:
    proc = subprocess.Popen(argv, env=environ, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + ready, timeout=30).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                err = proc.stderr.read().decode() if proc.stderr else ""
                sys.exit(f"{argv[2:4]} did not start:\n{err[-2000:]}")
            time.sleep(0.3)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s)", text)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(url: str, threads: int, conns: int, seconds: int) -> dict:
    out = subprocess.run(
        [WRK, f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    errors = 0
    if m := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(m.group(1))
    if m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(g) for g in m.groups())
    return {"rps": rps, "p50": p50, "p99": p99, "errors": errors, "requests": total}


def page_p50(base: str, url: str, n: int = 60) -> float:
    with httpx.Client(base_url=base, timeout=60) as client:
        client.get(url)
        times = []
        for _ in range(n):
            t = time.perf_counter()
            r = client.get(url)
            times.append((time.perf_counter() - t) * 1000)
            assert r.status_code == 200, r.status_code
    return statistics.median(times)


def swap_latency(base: str, store: Path, other: Path, limit: float = 90.0) -> dict:
    """Replace the store file, then request the page and the lookup in turn until both answer
    from the new file: the first request's latency, the slowest, and when the new data was live."""
    with httpx.Client(base_url=base, timeout=60) as client:
        old = {u: client.get(u).headers["etag"] for u in (PAGE, LOOKUP)}
        fresh = store.with_name(store.name + ".bench-swap")
        shutil.copyfile(other, fresh)
        os.replace(fresh, store)
        start = time.perf_counter()
        lat: list[tuple[str, float, bool]] = []
        live: dict[str, float] = {}
        while len(live) < 2 and time.perf_counter() - start < limit:
            for u in (PAGE, LOOKUP):
                t = time.perf_counter()
                r = client.get(u)
                ms = (time.perf_counter() - t) * 1000
                new = r.headers.get("etag") != old[u]
                lat.append((u, ms, new))
                if new and u not in live:
                    live[u] = time.perf_counter() - start
            time.sleep(0.01)
    first_new = [ms for u, ms, new in lat if new][:2]
    return {
        "first": {u: ms for u, ms, _n in lat[:2]},
        "max": max(ms for _u, ms, _n in lat),
        "first_new": max(first_new) if first_new else float("nan"),
        "live_after": max(live.values()) if len(live) == 2 else float("nan"),
        "requests": len(lat),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, action="append", help="data folder (default: shared)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--seconds", type=int, default=10)
    args = ap.parse_args()
    folders = args.data or [ROOT / "../shared/data", ROOT / "../shared/data-next"]
    for f in folders:
        if not f.is_dir():
            sys.exit(f"--data: no folder {f}")
    if not Path(WRK).exists():
        sys.exit(f"wrk not found at {WRK} (apt-get install wrk)")
    datasette = shutil.which("datasette") or str(Path(PY).with_name("datasette"))
    if not Path(datasette).exists():
        sys.exit("datasette not found (pip install -e '.[bench]')")

    tmp = Path(tempfile.mkdtemp(prefix="portal-speed-"))
    try:
        home, other_home = tmp / "home", tmp / "other"
        t = time.perf_counter()
        store = ingest(home, folders)
        other = ingest(other_home, folders[:1])
        backup = tmp / "store.backup"  # put back after the swap: every run reads the same rows
        shutil.copyfile(store, backup)
        sqlite_db = tmp / "obs.db"
        n_rows = sqlite_copy(store, sqlite_db)
        print(f"stores and SQLite copy ({n_rows} rows) built in {time.perf_counter() - t:.0f} s")
        load = (args.threads, args.connections, args.seconds)
        rows: list[tuple[str, dict]] = []
        extra: dict[str, object] = {}
        answers: dict[str, list] = {}  # (year, value) of the lookup, per server

        def migprofile(label: str, workers: int, cache: str, measure_swap: bool) -> None:
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            argv = [PY, "-m", "migprofile.cli", "serve", "--port", str(port)]
            argv += ["--workers", str(workers)]
            with server(argv, base, env(home, MIGPROFILE_RESPONSE_CACHE=cache), "/api/geo"):
                body = httpx.get(base + LOOKUP, timeout=60).json()["rows"]
                answers[label] = sorted((r["year"], r["value"]) for r in body)
                for _ in range(3 * workers):  # every worker builds the page once
                    httpx.get(base + PAGE, timeout=120)
                wrk(base + LOOKUP, 1, 2, 2)  # warm-up
                rows.append((label, wrk(base + LOOKUP, *load)))
                extra[f"page {label}"] = page_p50(base, PAGE)
                if measure_swap:
                    extra["swap"] = swap_latency(base, store, other)
                    restored = store.with_name(store.name + ".bench-restore")
                    shutil.copyfile(backup, restored)
                    os.replace(restored, store)

        migprofile("migprofile, 1 worker", 1, "1", True)
        migprofile("migprofile, 2 workers", 2, "1", False)
        migprofile("migprofile, 1 worker, response cache off", 1, "0", False)

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        argv = [datasette, "serve", str(sqlite_db), "-h", "127.0.0.1", "-p", str(port)]
        with server(argv, base, dict(os.environ), "/-/versions.json"):
            got = httpx.get(base + DATASETTE, timeout=60).json()
            answers["Datasette"] = sorted((r["year"], r["value"]) for r in got)
            wrk(base + DATASETTE, 1, 2, 2)
            rows.append(("Datasette (SQLite, indexed)", wrk(base + DATASETTE, *load)))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    same_rows = len({tuple(a) for a in answers.values()}) == 1
    print()
    print(
        f"`wrk -t{args.threads} -c{args.connections} -d{args.seconds}s --latency`, "
        f"{os.cpu_count()} cores shared by the load generator and the server; lookup "
        f"`{LOOKUP}` ({len(answers['Datasette'])} rows; every server gave the same rows: "
        f"{same_rows})."
    )
    print()
    print("| server | requests/s | p50 ms | p99 ms | errors | requests |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, r in rows:
        print(
            f"| {label} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} "
            f"| {r['requests']} |"
        )
    ours = dict(rows)["migprofile, 1 worker"]
    ds = dict(rows)["Datasette (SQLite, indexed)"]
    best = max((r for label, r in rows if "cache off" not in label), key=lambda r: r["rps"])
    swap = extra["swap"]
    assert isinstance(swap, dict)
    print()
    print("| measure | value |")
    print("|---|---:|")
    for key, value in extra.items():
        if key.startswith("page "):
            print(f"| `{PAGE}` warm p50, {key[5:]} | {value:.1f} ms |")
    print(f"| first requests after the swap (page, lookup) | "
          f"{swap['first'].get(PAGE, float('nan')):.1f} ms, "
          f"{swap['first'].get(LOOKUP, float('nan')):.1f} ms |")  # fmt: skip
    print(f"| slowest request until the new file was live ({swap['requests']} requests) "
          f"| {swap['max']:.1f} ms |")  # fmt: skip
    print(f"| first requests answered from the new file | {swap['first_new']:.1f} ms |")
    print(f"| new file live after (opened and warmed in the background) "
          f"| {swap['live_after']:.2f} s |")  # fmt: skip
    print()
    ratio = ours["rps"] / ds["rps"] if ds["rps"] else float("inf")
    verdicts = [
        ("every server answered the lookup with the same rows (year, value)", same_rows),
        (
            f"lookup, 1 worker: {ratio:.1f}x Datasette's requests/s (target >= 3x)",
            ratio >= 3,
        ),
        (
            f"lookup, 1 worker: {ours['rps']:.0f} req/s, p50 {ours['p50']:.2f} ms, "
            f"{ours['errors']} errors (target >= 1000, <= 5 ms, 0)",
            ours["rps"] >= 1000 and ours["p50"] <= 5 and ours["errors"] == 0,
        ),
        (
            f"best configuration: {best['rps']:.0f} req/s, {best['rps'] / ds['rps']:.1f}x",
            best["rps"] >= 1000 and best["rps"] >= 3 * ds["rps"] and best["errors"] == 0,
        ),
        (
            f"{PAGE} warm p50 {extra['page migprofile, 1 worker']:.1f} ms (target <= 20 ms)",
            float(extra["page migprofile, 1 worker"]) <= 20,  # type: ignore[arg-type]
        ),
        (
            f"after the swap: slowest {swap['max']:.1f} ms, first from the new file "
            f"{swap['first_new']:.1f} ms (target <= 200 ms)",
            swap["max"] <= 200 and swap["first_new"] <= 200,
        ),
    ]
    for text, ok in verdicts:
        print(f"- {'PASS' if ok else 'FAIL'}: {text}")


if __name__ == "__main__":
    main()
