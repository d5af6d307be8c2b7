"""Profile build speed: `build --all --format html,json` wall time, per-profile HTML, PDF and JSON
time, and peak RSS — against the targets of issue 4 (all countries HTML+JSON <= 30 s on 2
cores; PDFs <= 1 s each in a batch).

The store is built once from ../shared/data into a temporary MIGPROFILE_HOME (or the one given
with --home). Each measurement runs in a fresh Python process; times are taken around the work.

Usage: python benchmarks/build_speed.py [--data DIR] [--home DIR] [--pdf-batch N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import migprofile
from migprofile.profiles import ProfileBuilder
from migprofile.publish import countries_with_data, publish, region_ids

task, out = sys.argv[1], Path(sys.argv[2])
store = migprofile.open_store()
result = {}
if task == "all":
    geos = countries_with_data(store) + region_ids(store)
    t = time.perf_counter()
    files = publish(store, geos, ["html", "json"], out)
    result = {"profiles": len(geos), "files": len(files), "seconds": time.perf_counter() - t}
elif task == "each":
    from migprofile.render.html import render_html
    from migprofile.render.jsonout import render_json
    b = ProfileBuilder(store)
    geos = countries_with_data(store)[:40]
    b.build(geos[0])  # warm the per-indicator caches: what a batch run pays once
    times = {"build": [], "html": [], "json": []}
    for geo in geos:
        t = time.perf_counter(); p = b.build(geo); times["build"].append(time.perf_counter() - t)
        t = time.perf_counter(); render_html(p); times["html"].append(time.perf_counter() - t)
        t = time.perf_counter(); render_json(p); times["json"].append(time.perf_counter() - t)
    result = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
elif task == "pdf":
    from migprofile.render.pdf import render_pdfs
    n = int(sys.argv[3])
    b = ProfileBuilder(store)
    profiles = [b.build(g) for g in countries_with_data(store)[:n]]
    t = time.perf_counter()
    render_pdfs(profiles, out)
    result = {"profiles": n, "seconds": time.perf_counter() - t}
result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def child(task: str, out: Path, *extra: str) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, task, str(out), *extra],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--home", type=Path, default=None, help="use an existing data home")
    parser.add_argument("--pdf-batch", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="migprofile-build-bench-") as tmp:
        home = args.home or Path(tmp) / "home"
        os.environ["MIGPROFILE_HOME"] = str(home)
        if args.home is None:
            if not args.data.exists():
                print(
                    f"no data at {args.data}: the benchmark needs ../shared/data", file=sys.stderr
                )
                return 2
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(args.data),
                 "--offline"],
                check=True, capture_output=True,
            )  # fmt: skip
            print(f"store built in {time.perf_counter() - t:.1f} s", file=sys.stderr)
        all_run = child("all", Path(tmp) / "all")
        each = child("each", Path(tmp) / "each")
        pdf = child("pdf", Path(tmp) / "pdf", str(args.pdf_batch))

    rows = [
        ("build --all --regions, html+json", all_run, "seconds", "<= 30 s"),
        ("per profile: build (warm)", each, "build", ""),
        ("per profile: HTML render", each, "html", ""),
        ("per profile: JSON render", each, "json", ""),
        (f"PDF batch of {args.pdf_batch}, per profile", pdf, "per_profile", "<= 1 s"),
    ]
    if "seconds" in pdf and pdf.get("profiles"):
        pdf["per_profile"] = pdf["seconds"] / pdf["profiles"]
    print(f"{'measure':<40} {'seconds':>9} {'peak RSS MB':>12}  target   result")
    verdicts = []
    for label, res, key, target in rows:
        if "error" in res:
            print(f"{label:<40} {'error':>9} {'':>12}  {target:<8} {res['error']}")
            verdicts.append(False)
            continue
        value = res[key]
        verdict = ""
        if target:
            limit = float(target.split()[1])
            ok = value <= limit
            verdicts.append(ok)
            verdict = "PASS" if ok else "FAIL"
        print(
            f"{label:<40} {value:>9.3f} {res.get('peak_rss_mb', 0):>12.0f}  {target:<8} {verdict}"
        )
    if "profiles" in all_run:
        print(f"({all_run['profiles']} profiles, {all_run['files']} files)")
    return 0 if all(verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
