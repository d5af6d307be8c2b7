"""Profiles in two languages against one: `build` of every country profile (HTML + JSON) in
English, then in English and Russian in one run — the target of issue 14 is under 2.2× (the
store's figures, names and catalogs are read once and reused by the second language).

The store is built once from ../shared/data into a temporary MIGPROFILE_HOME (or --home). Each
measurement runs in a fresh Python process; times are taken around the work, imports excluded.

Usage: python benchmarks/languages_build.py [--data DIR] [--home DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
TARGET = 2.2

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import migprofile
from migprofile.publish import countries_with_data, publish

languages, out = sys.argv[1].split(","), Path(sys.argv[2])
store = migprofile.open_store()
geos = countries_with_data(store)
t = time.perf_counter()
files = publish(store, geos, ["html", "json"], out, languages=languages)
seconds = time.perf_counter() - t
print(json.dumps({"profiles": len(geos) * len(languages), "files": len(files), "seconds": seconds,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def run_child(home: Path, languages: str, out: Path) -> dict:
    env = {**os.environ, "MIGPROFILE_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, languages, str(out)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--home", type=Path)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-lang-") as tmp:
        home = args.home or Path(tmp) / "home"
        if args.home is None:
            if not args.data.is_dir():
                print(f"skipped: {args.data} not present (the benchmark needs publisher files)")
                return 0
            env = {**os.environ, "MIGPROFILE_HOME": str(home)}
            subprocess.run(
                [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(args.data),
                 "--offline"], env=env, check=True, capture_output=True,
            )  # fmt: skip
        rows = []
        for languages in ("en", "en,ru"):
            best = None
            for n in range(args.runs):
                got = run_child(home, languages, Path(tmp) / f"out-{languages}-{n}")
                if best is None or got["seconds"] < best["seconds"]:
                    best = got
            assert best is not None
            rows.append((languages, best))
    print(f"{'languages':<12}{'profiles':>10}{'files':>8}{'seconds':>10}{'peak RSS MB':>13}")
    for languages, r in rows:
        print(f"{languages:<12}{r['profiles']:>10}{r['files']:>8}{r['seconds']:>10.2f}"
              f"{r['peak_rss_mb']:>13.0f}")  # fmt: skip
    ratio = rows[1][1]["seconds"] / rows[0][1]["seconds"]
    verdict = "PASS" if ratio < TARGET else "FAIL"
    print(f"two languages / one language: {ratio:.2f}x (target < {TARGET}x): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
