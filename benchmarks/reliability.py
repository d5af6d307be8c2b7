"""One command for issue 7's reliability table: run the fault tests, count what survived.

    python benchmarks/reliability.py          # fault tests + short load/fuzz runs if present

Each fault kind is a test file; every test case is a fault tried. A case survives when its test
passes (or is skipped for a missing prerequisite, shown apart). A failed case whose name says it
checks that the stored data is unchanged counts as data lost.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
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


def main() -> int:
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


if __name__ == "__main__":
    sys.exit(main())
