"""Parser fuzzing at scale (issue 7, item 3): ≥ 2,000 mutated files per source family.

    /work/venv/bin/python benchmarks/fuzz_parsers.py [--examples 2000] [--ingest-every 100]
                                                      [--jobs 2] [--seed 0] [--family NAME ...]

The strategies and the property are those of tests/test_fuzz_parsers.py. Every example is
recognised and parsed (fast); every `--ingest-every`-th one also goes through the full ingest
against a data home holding a good store, whose bytes must be unchanged when the file is
rejected. Prints one row per family: cases tried, parsed ok, rejected with a clear error (a
MigprofileError naming the file), not recognised (no source claims it: ingest skips it),
uncaught exceptions, store changed on error (must be 0). Exit status 1 if any uncaught
exception or store change was seen; the first few failing inputs are printed.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"


def run_family(args: tuple[str, int, int, int]) -> dict:
    name, examples, ingest_every, seed = args
    sys.path.insert(0, str(TESTS))
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import test_fuzz_parsers as fz

    family = fz.FAMILIES[name]
    counts = {"family": name, "tried": 0, "ok": 0, "rejected": 0, "skipped": 0, "uncaught": 0,
              "store_changed": 0, "ingested": 0, "failures": [], "seconds": 0.0}  # fmt: skip
    work = Path(tempfile.mkdtemp(prefix=f"fuzz-{name}-"))
    (work / "home").mkdir()
    good = fz.GoodStore(work / "home")
    start = time.perf_counter()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        suppress_health_check=list(HealthCheck),
    )
    @given(sheet=st.integers(0, 10), ops=fz.mutations)
    def run(sheet, ops):
        n = counts["tried"]
        counts["tried"] += 1
        with tempfile.TemporaryDirectory(dir=work) as d:
            raw = Path(d)
            path = fz.write_case(family, sheet, ops, raw)
            try:
                outcome = fz.parse_case(path)
                if ingest_every and n % ingest_every == 0:
                    counts["ingested"] += 1
                    fz.ingest_case(raw, path, good)
            except fz.PropertyViolation as exc:
                kind = "store_changed" if "store changed" in str(exc) or "left" in str(exc) else (
                    "uncaught")  # fmt: skip
                counts[kind] += 1
                if len(counts["failures"]) < 3:
                    counts["failures"].append(f"{exc}\n    sheet={sheet} ops={ops!r}")
                return
        counts[{fz.OK: "ok", fz.REJECTED: "rejected", fz.SKIPPED: "skipped"}[outcome]] += 1

    if seed:
        from hypothesis import seed as hseed

        run = hseed(seed)(run)
    run()
    counts["seconds"] = time.perf_counter() - start
    return counts


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(TESTS))
    import test_fuzz_parsers as fz

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--examples", type=int, default=2000, help="examples per family")
    ap.add_argument("--ingest-every", type=int, default=100, help="full ingest every N examples")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0, help="hypothesis seed (0: random)")
    ap.add_argument("--family", action="append", choices=list(fz.FAMILIES))
    a = ap.parse_args(argv)
    names = a.family or list(fz.FAMILIES)
    jobs = [(n, a.examples, a.ingest_every, a.seed) for n in names]
    start = time.perf_counter()
    with mp.get_context("spawn").Pool(a.jobs) as pool:
        results = pool.map(run_family, jobs, chunksize=1)
    head = ("family", "cases tried", "parsed ok", "rejected (clear error)", "not recognised",
            "uncaught exceptions", "store changed on error", "full ingests", "seconds")  # fmt: skip
    rows = [
        (r["family"], r["tried"], r["ok"], r["rejected"], r["skipped"], r["uncaught"],
         r["store_changed"], r["ingested"], f"{r['seconds']:.0f}")
        for r in results
    ]  # fmt: skip
    total = ("TOTAL", *(sum(r[i] for r in rows) for i in range(1, 8)),
             f"{time.perf_counter() - start:.0f}")  # fmt: skip
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows, total, strict=True)]
    for line in (head, *rows, total):
        print("  ".join(str(x).rjust(w) if i else str(x).ljust(w)
                        for i, (x, w) in enumerate(zip(line, widths, strict=True))))  # fmt: skip
    bad = [f for r in results for f in r["failures"]]
    for f in bad:
        print("FAIL:", f)
    return 1 if total[5] or total[6] else 0


if __name__ == "__main__":
    sys.exit(main())
