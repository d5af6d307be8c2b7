"""Flow estimation on the real corpus (issue 16): demographic accounting for every country, by
birthplace, under 20 s and 2 GB.

The store is built from ../shared/data and ../shared/data-next into a temporary
MIGPROFILE_HOME (or --home, reused). Each row runs in a fresh Python process; the clock runs
around the work only (imports excluded); peak RSS is that process's `ru_maxrss`.

Rows: reading the inputs from the store (`flow_inputs`, UN DESA 2015 and 2020 tables, population,
births and deaths), demographic accounting with the flows by birthplace (the n × n × n table),
the independence model by birthplace, and the whole `migprofile flows build` (every method, the
store write). No R here (CRAN is not reachable from this machine), so migest is not measured
side by side; the test vectors in tests/test_flows.py are the published examples migest's
documentation also reproduces.

Usage: python benchmarks/flows_speed.py [--data DIR ...] [--home DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = [REPO_ROOT.parent / "shared" / "data", REPO_ROOT.parent / "shared" / "data-next"]
TARGET_S, TARGET_MB = 20.0, 2048.0

CHILD = r"""
import json, resource, sys, time
import migprofile
from migprofile.flows import methods as fm
from migprofile.flows.build import flow_inputs

what = sys.argv[1]
store = migprofile.open_store()
t = time.perf_counter()
inputs = flow_inputs(store, 2015, 2020)
read = time.perf_counter() - t
extra = {}
if what == "read":
    seconds = read
else:
    t = time.perf_counter()
    est = fm.estimate(what, inputs.s0, inputs.s1, inputs.births, inputs.deaths,
                      by_birthplace=True)
    seconds = time.perf_counter() - t
    extra = {"cube": list(est.by_birthplace.shape), "total": est.total, "cycles": est.cycles,
             "negative": int((est.by_birthplace < 0).sum())}
print(json.dumps({"seconds": seconds, "places": len(inputs.places), **extra,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def env_for(home: Path) -> dict[str, str]:
    env = dict(os.environ, MIGPROFILE_HOME=str(home))
    env.pop("MIGPROFILE_RAW_DIR", None)
    return env


def child(home: Path, what: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, what],
        capture_output=True, text=True, env=env_for(home), check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def build_command(home: Path) -> dict:
    """`migprofile flows build` as a user runs it, timed around the whole command."""

    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "migprofile.cli", "flows", "build", "--t0", "2015", "--t1", "2020"],
        env=env_for(home), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t
    out = (proc.stdout.read() if proc.stdout else "") + (proc.stderr.read() if proc.stderr else "")
    if status != 0:
        raise SystemExit(f"flows build failed:\n{out}")
    return {"seconds": seconds, "peak_rss_mb": usage.ru_maxrss / 1024, "output": out}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, action="append", help="a data folder (repeatable)")
    parser.add_argument("--home", type=Path, help="MIGPROFILE_HOME to build (or reuse)")
    parser.add_argument("--runs", type=int, default=3)
    args, _unknown = parser.parse_known_args()  # benchmarks/run passes every script the same
    folders = args.data or DEFAULT_DATA
    for folder in folders:
        if not folder.is_dir():
            raise SystemExit(f"data folder {folder} not found (--data DIR)")
    home = args.home or Path(tempfile.mkdtemp(prefix="migprofile-flows-bench-"))
    if not (home / "migprofile.duckdb").exists():
        raw = [a for f in folders for a in ("--raw-dir", str(f))]
        subprocess.run(
            [sys.executable, "-m", "migprofile.cli", "ingest", *raw, "--offline"],
            env=env_for(home), check=True, capture_output=True,
        )  # fmt: skip
    rows = []
    for what, label in (
        ("read", "inputs from the store (flow_inputs)"),
        ("demographic", "demographic accounting, by birthplace"),
        ("demographic-independent", "independence model, by birthplace"),
    ):
        runs = [child(home, what) for _ in range(max(1, args.runs))]
        rows.append((label, runs))
    build = build_command(home)
    print("| step | places | by-birthplace table | median s | peak RSS MB | runs |")
    print("|---|---|---|---|---|---|")
    for label, runs in rows:
        cube = "×".join(map(str, runs[0]["cube"])) if "cube" in runs[0] else "–"
        seconds = statistics.median(r["seconds"] for r in runs)
        rss = max(r["peak_rss_mb"] for r in runs)
        print(
            f"| {label} | {runs[0]['places']} | {cube} | {seconds:.2f} | {rss:.0f} | {len(runs)} |"
        )
    print(
        f"| `migprofile flows build` (every method + store write, whole command) | – | – | "
        f"{build['seconds']:.2f} | {build['peak_rss_mb']:.0f} | 1 |"
    )
    dem = rows[1][1]
    total_s = statistics.median(r["seconds"] for r in dem) + statistics.median(
        r["seconds"] for r in rows[0][1]
    )
    peak = max(r["peak_rss_mb"] for r in dem)
    negative = sum(r["negative"] for r in dem)
    verdict = "PASS" if total_s < TARGET_S and peak < TARGET_MB and negative == 0 else "FAIL"
    print()
    print(
        f"demographic accounting, all countries by birthplace (inputs + method): {total_s:.2f} s, "
        f"peak RSS {peak:.0f} MB, {negative} negative cells "
        f"(targets < {TARGET_S:.0f} s, < {TARGET_MB:.0f} MB): {verdict}"
    )


if __name__ == "__main__":
    main()
