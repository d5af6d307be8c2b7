"""Server memory under concurrent whole-indicator CSV streams (issue 11, item 9).

    python benchmarks/stream_memory.py --home /path/to/home     # a home holding migprofile.duckdb
    python benchmarks/stream_memory.py --home H --streams 50 --indicator migrant_stock

Starts `migprofile serve` on 127.0.0.1 over the store in HOME, opens STREAMS concurrent
`/api/indicators/INDICATOR/data?format=csv&sex=all` streams (one thread and one httpx client
each) that read slowly (CHUNK bytes, then a pause), samples the server's RSS (psutil, the
server and its children) every 50 ms, and prints before / peak / growth with the rows and
bytes received, the server's CPU seconds and the load average (the streams are CPU-bound: on a
shared host the seconds vary with the load). Target: growth < 300 MB for 50 streams. Needs
psutil (the `bench` extra).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import psutil
from _serving import free_port, wait_for_server


def rss_mb(proc: psutil.Process) -> float:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += p.memory_info().rss
    return total / 2**20


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--home", type=Path, required=True, help="MIGPROFILE_HOME with a store")
    ap.add_argument("--streams", type=int, default=50)
    ap.add_argument("--indicator", default="migrant_stock")
    ap.add_argument("--chunk", type=int, default=16384, help="bytes read per step")
    ap.add_argument("--pause", type=float, default=0.02, help="seconds between reads")
    args = ap.parse_args()
    if not (args.home / "migprofile.duckdb").exists():
        sys.exit(f"no store at {args.home / 'migprofile.duckdb'}")

    env = dict(os.environ, MIGPROFILE_HOME=str(args.home), NO_COLOR="1")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "migprofile.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    path = f"/api/indicators/{args.indicator}/data?format=csv&sex=all"
    try:
        wait_for_server(base, server, timeout=60)
        with httpx.Client(base_url=base, timeout=60) as c:  # warm the path once
            warm = c.get(path)
            rows_expected = warm.text.count("\n") - 1
        proc = psutil.Process(server.pid)
        time.sleep(0.5)
        before = rss_mb(proc)
        cpu_before = sum(proc.cpu_times()[:2])

        received: list[tuple[int, int]] = []
        failures: list[str] = []
        lock = threading.Lock()
        go = threading.Event()

        def stream() -> None:
            size = lines = 0
            try:
                with httpx.Client(base_url=base, timeout=120) as c:
                    go.wait()
                    with c.stream("GET", path) as resp:
                        if resp.status_code != 200:
                            raise RuntimeError(f"status {resp.status_code}")
                        for part in resp.iter_bytes(args.chunk):
                            size += len(part)
                            lines += part.count(b"\n")
                            time.sleep(args.pause)
                with lock:
                    received.append((lines - 1, size))
            except Exception as exc:
                with lock:
                    failures.append(f"{type(exc).__name__}: {exc}")

        threads = [threading.Thread(target=stream, daemon=True) for _ in range(args.streams)]
        for t in threads:
            t.start()
        peak = before
        start = time.monotonic()
        go.set()
        while any(t.is_alive() for t in threads):
            peak = max(peak, rss_mb(proc))
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        after = rss_mb(proc)
        cpu = sum(proc.cpu_times()[:2]) - cpu_before
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()

    complete = sum(1 for n, _ in received if n == rows_expected)
    print(f"{args.streams} concurrent streams of {path}")
    print(f"rows per stream: {rows_expected:,}; complete streams: {complete}/{args.streams}; "
          f"failures: {len(failures)}; {elapsed:.1f} s")  # fmt: skip
    total = sum(size for _, size in received) / 2**20
    print(f"received {total:,.1f} MB ({total / elapsed:.2f} MB/s); server CPU {cpu:.1f} s "
          f"(user + system); load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    for f in failures[:5]:
        print(f"  {f}")
    print()
    print(f"{'server RSS':<12}{'MB':>10}")
    print(f"{'before':<12}{before:>10.1f}")
    print(f"{'peak':<12}{peak:>10.1f}")
    print(f"{'after':<12}{after:>10.1f}")
    print(f"{'growth':<12}{peak - before:>10.1f}   (target < 300)")
    ok = not failures and complete == args.streams and peak - before < 300
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
