"""Load test: `migprofile serve` under a steady request rate, optionally while an ingest runs.

    python benchmarks/load.py                       # 60 s at 50 req/s, 4 client threads
    python benchmarks/load.py --seconds 20 --during-ingest

Builds a store in a temporary MIGPROFILE_HOME from ../shared/data (only the UN DESA and M49
files with --during-ingest, so the parallel full ingest really swaps in a different store),
starts `migprofile serve` on 127.0.0.1 as a subprocess, and requests the API and the portal
pages (/, /country/MDA, /api/...) round-robin at the target rate. Prints requests, failures
(non-2xx/3xx status or connection error), p50/p95/max latency, and the server's RSS at start
and end (it should stay flat). Needs httpx (a dependency of the web extra).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _serving import free_port, wait_for_server

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PATHS = (
    "/",
    "/country/MDA",
    "/api/geo",
    "/api/indicators",
    "/api/indicators/immigrant_stock/data?geo=MDA",
    "/api/indicators/remittances_received_usd/data?geo=MDA",
    "/api/indicators/immigrant_stock/data?geo=DEU",
)


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ, MIGPROFILE_HOME=str(home), NO_COLOR="1")
    env.pop("MIGPROFILE_RAW_DIR", None)
    return env


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "migprofile.cli", *args]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--rate", type=float, default=50, help="target requests per second")
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--data", type=Path, default=DATA, help="publisher files (../shared/data)")
    ap.add_argument("--during-ingest", action="store_true", help="run a full ingest meanwhile")
    args = ap.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no data folder at {args.data} (use --data)")

    with tempfile.TemporaryDirectory(prefix="migprofile-load-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        raw = args.data
        if args.during_ingest:  # start from a smaller store so the ingest changes the data
            raw = Path(tmp) / "subset"
            for name in ("undesa_ims", "m49"):
                (raw / name).mkdir(parents=True)
                for f in (args.data / name).iterdir():
                    (raw / name / f.name).symlink_to(f)
        t0 = time.monotonic()
        subprocess.run(
            cli("ingest", "--raw-dir", str(raw), "--offline"),
            env=env_for(home),
            check=True,
            capture_output=True,
        )
        print(f"initial store built in {time.monotonic() - t0:.1f} s")

        port = free_port()
        server = subprocess.Popen(
            cli("serve", "--port", str(port)),
            env=env_for(home),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for_server(base, server, timeout=30)
            with httpx.Client(base_url=base, timeout=30) as c:  # warm every path once
                for p in PATHS:
                    c.get(p)
            rss_start = rss_mb(server.pid)

            lat: list[float] = []
            errors: list[str] = []
            broken: list[str] = []  # connection errors (no status)
            statuses: dict[int, int] = {}
            lock = threading.Lock()
            start = time.monotonic()
            end = start + args.seconds
            interval = args.threads / args.rate  # each thread's share of the target rate

            def client(n: int) -> None:
                i = n
                nxt = start + n * interval / args.threads
                with httpx.Client(base_url=base, timeout=30) as c:
                    while True:
                        now = time.monotonic()
                        if now >= end:
                            return
                        if nxt > now:
                            time.sleep(nxt - now)
                        nxt += interval
                        path = PATHS[i % len(PATHS)]
                        i += 1
                        t = time.perf_counter()
                        try:
                            r = c.get(path)
                            dt = time.perf_counter() - t
                            with lock:
                                lat.append(dt)
                                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1
                                if r.status_code >= 400:
                                    errors.append(f"{path}: {r.status_code}")
                        except httpx.HTTPError as exc:
                            with lock:
                                errors.append(f"{path}: {exc!r}")
                                broken.append(path)

            ingest = None
            if args.during_ingest:
                ingest = subprocess.Popen(
                    cli("ingest", "--raw-dir", str(args.data), "--offline"),
                    env=env_for(home),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            threads = [threading.Thread(target=client, args=(n,)) for n in range(args.threads)]
            for th in threads:
                th.start()
            for th in threads:
                th.join()
            took = time.monotonic() - start
            ingest_note = ""
            if ingest is not None:
                _, err = ingest.communicate(timeout=600)
                ingest_note = f"ingest exit {ingest.returncode}"
                if ingest.returncode:
                    ingest_note += f": {err[-300:]}"
            with httpx.Client(base_url=base, timeout=30) as c:
                remit = c.get("/api/indicators/remittances_received_usd/data?geo=MDA").json()
            rss_end = rss_mb(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=10)

    n = len(lat) + len(broken)
    ms = [x * 1000 for x in lat]
    rows = [
        ("seconds", f"{took:.1f}"),
        ("target req/s", f"{args.rate:g} ({args.threads} threads)"),
        ("requests", str(n)),
        ("achieved req/s", f"{n / took:.1f}"),
        ("failed", str(len(errors))),
        ("status codes", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))),
        ("p50 ms", f"{pct(ms, 50):.1f}"),
        ("p95 ms", f"{pct(ms, 95):.1f}"),
        ("max ms", f"{max(ms) if ms else float('nan'):.1f}"),
        ("mean ms", f"{statistics.fmean(ms) if ms else float('nan'):.1f}"),
        ("server RSS start MB", f"{rss_start:.1f}"),
        ("server RSS end MB", f"{rss_end:.1f}"),
        ("during ingest", ingest_note or "no"),
        ("MDA remittance rows after", str(len(remit.get("rows", [])))),
    ]
    print("| measure | value |\n|---|---|")
    for k, v in rows:
        print(f"| {k} | {v} |")
    for e in errors[:10]:
        print("  failed:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
