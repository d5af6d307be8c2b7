"""One command for the reliability tables (issues 7 and 11): count what survived.

    python benchmarks/reliability.py          # fault tests + short load/fuzz runs + generated cases
    python benchmarks/reliability.py --cases-only [--seed N] [--per-file N] [--quick] [--jobs N]

Issue 7's table: each fault kind is a test file; every test case is a fault tried. A case
survives when its test passes (or is skipped for a missing prerequisite, shown apart). A failed
case whose name says it checks that the stored data is unchanged counts as data lost.

Issue 11's table ("nothing wrong gets in"): faulty files generated from the real publisher
files in ../shared/data (`--data DIR`), one row per fault class: cases tried, survived (refused
with an error naming the file, read right, or skipped as not recognised), wrong data and
tracebacks; how each case is generated and judged is in benchmarks/_reliability_cases.py.
The failing cases are listed under the table. Exit status 1 when any fault test fails, or any
generated case is wrong data, a traceback or another failure.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KINDS = (  # (fault kind, test file)
    ("download faults", "tests/test_fetch.py"),
    ("bad input", "tests/test_bad_input.py"),
    ("kill mid-ingest", "tests/test_store_atomic.py"),
    ("environment faults", "tests/test_env_faults.py"),
    ("fuzzing", "tests/test_fuzz_parsers.py"),
    ("ingest while serving", "tests/test_serve_during_ingest.py"),
)
DATA_CHECK = re.compile(
    r"unchanged|intact|untouched|keeps|nothing|no_partial|partial|lost|survive|byte", re.I
)
EXTRA = (  # (script, short settings)
    ("benchmarks/load.py", ["--seconds", "5"]),
    ("benchmarks/fuzz_parsers.py", ["--examples", "100"]),
)


def run_tests(files: list[str]) -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        xml = Path(tmp) / "junit.xml"
        subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"--junitxml={xml}", *files],
            cwd=ROOT, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        if not xml.exists():
            return []
        cases = []
        for tc in ET.parse(xml).getroot().iter("testcase"):
            outcome = "passed"
            for child in tc:
                if child.tag in ("failure", "error"):
                    outcome = "failed"
                elif child.tag == "skipped":
                    outcome = "xfailed" if "xfail" in (child.get("type") or "") else "skipped"
            file = tc.get("file") or tc.get("classname", "").replace(".", "/") + ".py"
            cases.append({"file": file, "name": tc.get("name", ""), "outcome": outcome})
        return cases


def run_extra(script: str, args: list[str]) -> str:
    try:
        done = subprocess.run(
            [sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True,
            timeout=600, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return f"{script}: timed out"
    lines = [ln for ln in (done.stdout + done.stderr).splitlines() if ln.strip()]
    tail = "\n    ".join(lines[-6:]) or "(no output)"
    return f"{script} {' '.join(args)} (exit {done.returncode}):\n    {tail}"


def fault_tests() -> int:
    present = [(kind, f) for kind, f in KINDS if (ROOT / f).exists()]
    cases = run_tests([f for _, f in present])
    rows, bad = [], False
    for kind, f in KINDS:
        if (kind, f) not in present:
            rows.append((kind, "-", "-", "-", "-", f"{f} not present"))
            continue
        mine = [c for c in cases if Path(c["file"]).name == Path(f).name
                or c["file"].endswith(Path(f).stem)]  # fmt: skip
        tried = [c for c in mine if c["outcome"] != "skipped"]
        survived = [c for c in tried if c["outcome"] in ("passed", "xfailed")]
        failed = [c for c in tried if c["outcome"] == "failed"]
        lost = [c for c in failed if DATA_CHECK.search(c["name"])]
        skipped = len(mine) - len(tried)
        note = ", ".join(c["name"] for c in failed)[:60]
        rows.append((kind, len(tried), len(survived), len(lost), skipped, note))
        bad |= bool(failed) or not tried
    head = ("fault kind", "cases tried", "survived", "data lost", "skipped", "failed cases")
    widths = [max(len(str(r[i])) for r in (head, *rows)) for i in range(len(head))]
    for r in (head, tuple("-" * w for w in widths), *rows):
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths, strict=True)))
    for script, args in EXTRA:
        if (ROOT / script).exists():
            print()
            print(run_extra(script, args))
    return 1 if bad else 0


def generated_cases(a: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import _reliability_cases as rc

    data = Path(a.data)
    if not data.is_dir():
        print(f"generated cases: data folder {data} not found (--data DIR)")
        return 1
    files = rc.discover(data)
    if a.quick:  # a few small files of different kinds
        picked: dict[str, dict] = {}
        for f in sorted(files, key=lambda f: f["size"]):
            picked.setdefault(f["kind"] + f["source"], f)
        files = sorted(picked.values(), key=lambda f: f["size"])[:6]
    cases = rc.build_cases(files, seed=a.seed, per_file=a.per_file, quick=a.quick)
    start = time.perf_counter()
    print(f"\ngenerated cases: {len(files)} recognised files in {data}, {len(cases)} cases "
          f"(seed {a.seed}, {a.per_file} random cuts per file{', quick' if a.quick else ''}), "
          f"{a.jobs} workers", file=sys.stderr)  # fmt: skip

    def progress(r, done: int, total: int) -> None:
        if done % 25 == 0 or done == total:
            print(f"  {done}/{total} cases, {time.perf_counter() - start:.0f} s", file=sys.stderr)

    results = rc.run_cases(cases, jobs=a.jobs, progress=progress)
    if a.json:
        Path(a.json).write_text(json.dumps([r.as_dict() for r in results], indent=1))
    rows = rc.summarise(results)
    if not a.quick:  # beyond single files: CSV out, news CPU, a folder with one bad file
        import _reliability_more as more

        extra = more.all_rows(data)
        rows += extra
    else:
        extra = []
    print()
    print(f"Generated faulty files (issue 11): {len(files)} real files from {data}, seed "
          f"{a.seed}, {time.perf_counter() - start:.0f} s")  # fmt: skip
    print(rc.format_table(rows))
    bad = rc.failures(results)
    if bad:
        print(f"\nFailing cases ({len(bad)}):")
        for line in rc.failure_lines(bad, limit=a.show):
            print(line)
    extra_bad = any(r[3] or r[5] or r[2] < r[1] for r in extra)
    return 1 if bad or extra_bad or not results else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--cases-only",
        action="store_true",
        help="only the generated-cases table (no fault tests, no load/fuzz runs)",
    )
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated cases")
    ap.add_argument(
        "--per-file",
        type=int,
        default=2,
        help="seeded random cut points per file, on top of the fixed ones",
    )
    ap.add_argument("--quick", action="store_true", help="a few files and variants (smoke run)")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes")
    ap.add_argument(
        "--data",
        default=str(ROOT.parent / "shared" / "data"),
        help="folder of real publisher files",
    )
    ap.add_argument("--show", type=int, default=120, help="failing cases listed at most")
    ap.add_argument("--json", help="also write every generated case's result to this file")
    a = ap.parse_args(argv)  # fmt: skip
    status = 0
    if not a.cases_only:
        status |= fault_tests()
    status |= generated_cases(a)
    return status


if __name__ == "__main__":
    sys.exit(main())
