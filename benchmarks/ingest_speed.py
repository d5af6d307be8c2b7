"""Ingest speed: migprofile parse (+ harmonise + DuckDB write) vs the plain pandas read.

For every real file in ../shared/data (next to the repository) this measures, each in a fresh
Python subprocess and repeated (default 3 times, median time):

* ours, parse only: `harmoniser_for(None)` + `recognise()` + `source.parse()` (the first-time
  harmoniser build is inside the timing);
* ours, parse + ingest: `migprofile.ingest.ingest(raw_dir=<dir holding only a symlink to the
  file>, offline=True, db=<tmp>/s.duckdb)` with MIGPROFILE_HOME set to a fresh empty directory;
* pandas: `pd.read_excel(path, sheet_name=None)` (openpyxl for .xlsx, xlrd for .xls) or
  `pd.read_csv(path)` (skiprows=4 for the World Bank bulk CSV layout, 14 for the UNHCR Refugee
  Data Finder export, as documented in SOURCES.md);

and the peak RSS of each measuring process. Times are taken inside the child around the work
only: interpreter start-up and module imports are excluded (the modules a side loads lazily,
e.g. pandas pulled in by `pyarrow.table(dict)`, are imported before the clock starts; their
cost is reported separately in the notes).

Usage: python benchmarks/ingest_speed.py [--data DIR] [--repeat N] [--target X] [--budget S]
The table goes to stdout, progress to stderr. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT.parent / "shared" / "data"
WORKBOOK_SUFFIXES = (".xlsx", ".xls")
DATA_SUFFIXES = (".xlsx", ".xls", ".csv")
CHILD_TIMEOUT_S = 300
DEFAULT_BUDGET_S = 260  # keeps `bash benchmarks/run` under 5 minutes

# pandas `read_csv(skiprows=...)` for the preamble layouts documented in SOURCES.md, keyed by
# how the file's first line starts (BOM stripped).
CSV_PREAMBLES = {'"Data Source"': 4, "Extracted:": 14}


# --------------------------------------------------------------------------------------------
# child side: one measurement per process, result as one JSON line on stdout
# --------------------------------------------------------------------------------------------


def _peak_rss_mb() -> float:
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024


def _current_rss_mb() -> float | None:
    try:
        import psutil
    except ImportError:
        return None
    return psutil.Process().memory_info().rss / (1024 * 1024)


def _import_ours() -> None:
    """Everything our side imports, including what it loads lazily on first use."""
    import duckdb  # noqa: F401
    import pyarrow
    import pyarrow.compute  # noqa: F401
    import python_calamine  # noqa: F401

    import migprofile.ingest
    import migprofile.sources
    import migprofile.store  # noqa: F401

    # pyarrow.table(dict) imports pandas when it is installed (to test for a DataFrame).
    if importlib.util.find_spec("pandas") is not None:
        import pandas  # noqa: F401


def child_parse(spec: dict) -> dict:
    _import_ours()
    from migprofile.ingest import harmoniser_for, recognise
    from migprofile.sources import REGISTRY

    path = Path(spec["path"])
    base = _current_rss_mb()
    t0 = time.perf_counter()
    harmoniser = harmoniser_for(None)
    t_harm = time.perf_counter() - t0
    match = recognise(path, list(REGISTRY))
    if match is None or match.layout == "not-selected":
        seconds = time.perf_counter() - t0
        return {"status": "skipped", "seconds": seconds, "harmoniser_s": t_harm}
    parsed = match.source.parse(match, harmoniser)
    seconds = time.perf_counter() - t0
    return {
        "status": "ok",
        "seconds": seconds,
        "harmoniser_s": t_harm,
        "rows": parsed.table.num_rows,
        "layout": parsed.layout,
        "source": parsed.source,
        "base_rss_mb": base,
        "peak_rss_mb": _peak_rss_mb(),
    }


def child_parse_all(spec: dict) -> dict:
    """Parse only, over a whole folder: one harmoniser, every file ingest would consider."""
    _import_ours()
    from migprofile.ingest import candidate_files, harmoniser_for, recognise
    from migprofile.sources import REGISTRY

    folder = Path(spec["path"])
    base = _current_rss_mb()
    t0 = time.perf_counter()
    harmoniser = harmoniser_for(None)
    rows = files = 0
    for path in candidate_files([folder]):
        match = recognise(path, list(REGISTRY))
        if match is None or match.layout == "not-selected":
            continue
        rows += match.source.parse(match, harmoniser).table.num_rows
        files += 1
    seconds = time.perf_counter() - t0
    return {
        "status": "ok",
        "seconds": seconds,
        "rows": rows,
        "files": files,
        "base_rss_mb": base,
        "peak_rss_mb": _peak_rss_mb(),
    }


def child_ingest(spec: dict) -> dict:
    _import_ours()
    from migprofile.ingest import ingest
    from migprofile.store import Store

    # Instrument (in this process only) the one step we want to see separately.
    refresh_s: list[float] = []
    original = getattr(Store, "refresh_builtin_geo", None)
    if original is not None:

        def timed_refresh(self, *a, **kw):
            t = time.perf_counter()
            try:
                return original(self, *a, **kw)
            finally:
                refresh_s.append(time.perf_counter() - t)

        Store.refresh_builtin_geo = timed_refresh

    work = Path(spec["work"])
    src = Path(spec["path"])
    if src.is_dir():
        raw = src
    else:
        raw = work / "raw_input"
        raw.mkdir()
        (raw / src.name).symlink_to(src)
    db = work / "s.duckdb"
    base = _current_rss_mb()
    t0 = time.perf_counter()
    report = ingest(raw_dir=raw, offline=True, db=db)
    seconds = time.perf_counter() - t0
    return {
        "status": "ok",
        "seconds": seconds,
        "rows": sum(r[3] for r in report.ingested),
        "ingested": len(report.ingested),
        "skipped": len(report.skipped),
        **({"refresh_geo_s": sum(refresh_s)} if original is not None else {}),
        "db_bytes": db.stat().st_size if db.exists() else 0,
        "base_rss_mb": base,
        "peak_rss_mb": _peak_rss_mb(),
    }


def csv_skiprows(path: Path) -> int:
    with path.open("r", encoding="utf-8-sig", errors="replace") as fh:
        first = fh.readline()
    for start, skip in CSV_PREAMBLES.items():
        if first.startswith(start):
            return skip
    return 0


def child_pandas(spec: dict) -> dict:
    import warnings

    import pandas as pd

    path = Path(spec["path"])
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        import openpyxl  # noqa: F401
    elif suffix == ".xls":
        import xlrd  # noqa: F401
    skiprows = csv_skiprows(path) if suffix == ".csv" else 0
    warnings.simplefilter("ignore")  # openpyxl's "no default style" etc.
    base = _current_rss_mb()
    t0 = time.perf_counter()
    if suffix == ".xlsx":
        frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
        rows = sum(len(f) for f in frames.values())
    elif suffix == ".xls":
        frames = pd.read_excel(path, sheet_name=None, engine="xlrd")
        rows = sum(len(f) for f in frames.values())
    else:
        rows = len(pd.read_csv(path, skiprows=skiprows))
    seconds = time.perf_counter() - t0
    return {
        "status": "ok",
        "seconds": seconds,
        "rows": rows,
        "skiprows": skiprows,
        "base_rss_mb": base,
        "peak_rss_mb": _peak_rss_mb(),
    }


def child_lazy_imports(spec: dict) -> dict:
    """What the first `pyarrow.table(dict)` costs in a process where pandas is not loaded yet."""
    import pyarrow as pa

    import migprofile.ingest  # noqa: F401

    had_pandas = "pandas" in sys.modules
    t0 = time.perf_counter()
    pa.table({"a": [1]})
    first = time.perf_counter() - t0
    t0 = time.perf_counter()
    pa.table({"a": [1]})
    second = time.perf_counter() - t0
    return {
        "status": "ok",
        "seconds": first - second,
        "pandas_before": had_pandas,
        "pandas_after": "pandas" in sys.modules,
    }


CHILDREN = {
    "parse": child_parse,
    "parse_all": child_parse_all,
    "ingest": child_ingest,
    "pandas": child_pandas,
    "lazy_imports": child_lazy_imports,
}


def child_main(spec_json: str) -> None:
    spec = json.loads(spec_json)
    try:
        result = CHILDREN[spec["mode"]](spec)
    except Exception as exc:
        first_line = (str(exc).strip().splitlines() or [""])[0]
        result = {"status": "error", "error": f"{type(exc).__name__}: {first_line}"[:200]}
    print(json.dumps(result))


# --------------------------------------------------------------------------------------------
# parent side
# --------------------------------------------------------------------------------------------


def run_child(mode: str, path: Path) -> dict:
    with tempfile.TemporaryDirectory(prefix="migprofile-bench-") as tmp:
        home = Path(tmp) / "home"
        home.mkdir()
        env = dict(os.environ, MIGPROFILE_HOME=str(home))
        env.pop("MIGPROFILE_RAW_DIR", None)
        spec = {"mode": mode, "path": str(path), "work": tmp}
        cmd = [sys.executable, str(Path(__file__).resolve()), "--child", json.dumps(spec)]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, capture_output=True, text=True, env=env, timeout=CHILD_TIMEOUT_S
            )
        except subprocess.TimeoutExpired:
            return {
                "status": "error",
                "error": f"timed out after {CHILD_TIMEOUT_S} s",
                "process_s": time.perf_counter() - t0,
            }
        wall = time.perf_counter() - t0
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        err = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        result = {"status": "error", "error": f"child exit {proc.returncode}: {err}"[:200]}
    else:
        result = json.loads(lines[-1])
    result["process_s"] = wall  # the whole child, start-up included (for the time budget)
    return result


@dataclass
class Measured:
    """Repeated runs of one measurement."""

    runs: list[dict] = field(default_factory=list)

    @property
    def ok(self) -> list[dict]:
        return [r for r in self.runs if r.get("status") == "ok"]

    @property
    def status(self) -> str:
        if not self.runs:
            return "-"
        if any(r.get("status") == "error" for r in self.runs):
            return "error"
        return self.runs[0].get("status", "-")

    @property
    def error(self) -> str:
        return next((r["error"] for r in self.runs if r.get("status") == "error"), "")

    @property
    def n(self) -> int:
        return len(self.ok)

    @property
    def cost(self) -> float:
        """Wall time of the latest run, process start included (0 when never run)."""
        return self.runs[-1].get("process_s", 0.0) if self.runs else 0.0

    def median(self, key: str = "seconds") -> float | None:
        values = [r[key] for r in self.ok if r.get(key) is not None]
        return statistics.median(values) if values else None

    def peak(self, key: str = "peak_rss_mb") -> float | None:
        values = [r[key] for r in self.ok if r.get(key) is not None]
        return max(values) if values else None

    def first(self, key: str):
        return next((r[key] for r in self.ok if key in r), None)


@dataclass
class FileResult:
    path: Path
    rel: str
    bytes: int
    parse: Measured = field(default_factory=Measured)
    ingest: Measured = field(default_factory=Measured)
    pandas: Measured = field(default_factory=Measured)

    @property
    def is_workbook(self) -> bool:
        return self.path.suffix.lower() in WORKBOOK_SUFFIXES

    @property
    def ours(self) -> bool:
        return self.parse.status == "ok"

    @property
    def measurements(self) -> list[Measured]:
        return [self.parse, self.ingest, self.pandas] if self.ours else [self.pandas]

    @property
    def runs(self) -> int:
        return min(m.n for m in self.measurements)

    def speedup(self, ours: Measured) -> float | None:
        p, o = self.pandas.median(), ours.median()
        return p / o if p is not None and o else None


def data_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in DATA_SUFFIXES
    )


class Runner:
    """Runs child measurements in sequence, printing progress, within an optional time budget."""

    def __init__(self, budget: float):
        self.budget, self.t0, self.count = budget, time.perf_counter(), 0
        self.costs: dict[str, list[float]] = {}

    @property
    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    def estimate(self, measured: Measured, kind: str) -> float:
        """Expected wall time of the next run: its last run, else the median of its kind."""
        if measured.runs:
            return measured.cost
        seen = self.costs.get(kind)
        return statistics.median(seen) if seen else 1.0

    def fits(self, estimate: float) -> bool:
        return self.budget <= 0 or self.elapsed + estimate <= self.budget

    def run(self, measured: Measured, mode: str, path: Path, label: str) -> dict:
        result = run_child(mode, path)
        measured.runs.append(result)
        kind = f"{mode}_all" if mode == "ingest" and path.is_dir() else mode
        self.costs.setdefault(kind, []).append(result["process_s"])
        self.count += 1
        status = result.get("status")
        shown = fmt_s(result.get("seconds")) + " s" if status == "ok" else status
        print(
            f"  [{self.count:3d}] {self.elapsed:6.1f}s  {label:<10} {path.name}: {shown}",
            file=sys.stderr,
            flush=True,
        )
        return result


# -- formatting ------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.2f}"


def fmt_x(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.2f}x" if value < 10 else f"{value:.1f}x"


def fmt_mb(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def shorten(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    keep = width - 1
    return text[: keep - keep // 3] + "…" + text[len(text) - keep // 3 :]


def status_cell(m: Measured, value: str) -> str:
    """The value; 'error' if a run failed; 'budget' if the time budget left it unmeasured."""
    if m.status == "error":
        return "error"
    return "budget" if not m.runs else value


# -- main ------------------------------------------------------------------------------------


def check_environment(data: Path) -> None:
    if not data.is_dir():
        sys.exit(
            f"benchmark: data folder {data} not found.\n"
            "It should hold the real publisher files described in its SOURCES.md "
            "(expected at <repo>/../shared/data; override with --data DIR)."
        )
    missing = [
        m
        for m in ("migprofile", "pandas", "openpyxl", "xlrd", "psutil")
        if importlib.util.find_spec(m) is None
    ]
    if missing:
        sys.exit(
            f"benchmark: missing modules {', '.join(missing)} in {sys.executable}; "
            "install them with: pip install -e '.[bench]'"
        )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of real files")
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument("--target", type=float, default=5.0, help="workbook speed-up target")
    ap.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET_S,
        help="wall-time budget in seconds: no run starts that would overrun it, most important "
        f"rows first (0 = no limit; default {DEFAULT_BUDGET_S:g})",
    )
    args = ap.parse_args(argv)
    data = args.data.resolve()
    check_environment(data)
    repeat = max(1, args.repeat)

    files = [FileResult(p, str(p.relative_to(data)), p.stat().st_size) for p in data_files(data)]
    for f in files:  # warm the page cache so no measurement pays for the first disk read
        f.path.read_bytes()
    load_start = os.getloadavg()[0]
    print(
        f"ingest benchmark: {len(files)} files in {data}, up to {repeat} runs each, fresh "
        f"process per run ({sys.executable})",
        file=sys.stderr,
    )
    runner = Runner(args.budget)

    # Status pass: one parse-only run per file (it counts as run 1) says which files we take.
    for f in files:
        runner.run(f.parse, "parse", f.path, "parse")
    ours = [f for f in files if f.ours]
    broken = [f for f in files if f.parse.status == "error"]

    # One ingest over the whole folder; a file that fails on its own would fail that ingest
    # (it is all-or-nothing), so then the folder is a symlink tree without the failing files.
    folder_tmp = tempfile.TemporaryDirectory(prefix="migprofile-bench-folder-")
    folder, folder_label = data, "all files, one ingest"
    if broken:
        folder = Path(folder_tmp.name)
        for f in files:
            if f not in broken:
                link = folder / f.rel
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(f.path)
        folder_label = f"all files but {len(broken)} failing, one ingest"
    folder_parse, folder_ingest = Measured(), Measured()

    def measure_file(f: FileResult, rep: int) -> None:
        if f.ours:
            if rep > 0:
                runner.run(f.parse, "parse", f.path, "parse")
            runner.run(f.ingest, "ingest", f.path, "ingest")
        runner.run(f.pandas, "pandas", f.path, "pandas")

    def file_cost(f: FileResult, rep: int) -> float:
        cost = runner.estimate(f.pandas, "pandas")
        if f.ours:
            cost += runner.estimate(f.ingest, "ingest")
            if rep > 0:
                cost += runner.estimate(f.parse, "parse")
        return cost

    def measure_folder(rep: int) -> None:
        runner.run(folder_parse, "parse_all", folder, "parse all")
        runner.run(folder_ingest, "ingest", folder, "ingest all")

    def folder_cost(rep: int) -> float:
        return runner.estimate(folder_parse, "parse_all") + runner.estimate(
            folder_ingest, "ingest_all"
        )

    # Round by round; within a round (and against the time budget) the most important first:
    # the workbooks the target is about, the whole-folder ingest, the other files we ingest,
    # then the pandas-only rows of files migprofile skips.
    short: set[str] = set()
    for rep in range(repeat):
        tasks: list[tuple[str, Callable[[int], float], Callable[[int], None]]] = []
        tasks += [
            (f.rel, partial(file_cost, f), partial(measure_file, f)) for f in ours if f.is_workbook
        ]
        tasks.append((folder_label, folder_cost, measure_folder))
        tasks += [
            (f.rel, partial(file_cost, f), partial(measure_file, f))
            for f in ours
            if not f.is_workbook
        ]
        tasks += [
            (f.rel, partial(file_cost, f), partial(measure_file, f)) for f in files if not f.ours
        ]
        for label, cost, task in tasks:
            if runner.fits(cost(rep)):
                task(rep)
            else:
                short.add(label)
    lazy = run_child("lazy_imports", data)
    folder_tmp.cleanup()
    wall = runner.elapsed
    load_end = os.getloadavg()[0]

    # -- table ---------------------------------------------------------------------------
    headers = [
        "file",
        "layout",
        "bytes",
        "rows",
        "ours parse s",
        "ours parse+ingest s",
        "pandas s",
        "speed-up",
        "ours peak RSS MB",
        "pandas peak RSS MB",
        "runs",
    ]
    rows: list[list[str]] = []
    for f in files:
        layout = f.parse.first("layout") if f.ours else f.parse.status
        rows.append(
            [
                shorten(f.rel, 60),
                layout or "-",
                f"{f.bytes:,}",
                f"{f.parse.first('rows'):,}" if f.ours else "-",
                status_cell(f.parse, fmt_s(f.parse.median()) if f.ours else "-"),
                status_cell(f.ingest, fmt_s(f.ingest.median())) if f.ours else "-",
                status_cell(f.pandas, fmt_s(f.pandas.median())),
                fmt_x(f.speedup(f.ingest)),
                fmt_mb(f.ingest.peak()),
                fmt_mb(f.pandas.peak()),
                str(f.runs),
            ]
        )
    pandas_medians = [f.pandas.median() for f in ours]
    pandas_ours_sum = None if None in pandas_medians else sum(pandas_medians)
    folder_s = folder_ingest.median()
    rows.append(["<sep>"])
    rows.append(
        [
            shorten(folder_label, 60),
            f"{folder_ingest.first('ingested') or 0} ingested",
            f"{sum(f.bytes for f in files):,}",
            f"{folder_ingest.first('rows') or 0:,}",
            status_cell(folder_parse, fmt_s(folder_parse.median())),
            status_cell(folder_ingest, fmt_s(folder_s)),
            fmt_s(pandas_ours_sum) + (" (Σ)" if pandas_ours_sum is not None else ""),
            fmt_x(pandas_ours_sum / folder_s if folder_s and pandas_ours_sum else None),
            fmt_mb(folder_ingest.peak()),
            fmt_mb(max((f.pandas.peak() or 0 for f in ours), default=None)),
            str(min(folder_parse.n, folder_ingest.n)),
        ]
    )
    print()
    print(
        f"migprofile ingest benchmark — {len(files)} files in {data} "
        f"(median of up to {repeat} runs, each in a fresh process; {os.cpu_count()} CPUs, "
        f"load average {load_start:.1f} at start, {load_end:.1f} at end)"
    )
    print()
    # the "<sep>" row becomes a dashed line of the table's width
    widths = [max(len(h), *(len(r[i]) for r in rows if len(r) > 1)) for i, h in enumerate(headers)]
    sep_width = sum(widths) + 2 * (len(widths) - 1)
    rows = [["-" * sep_width] if r == ["<sep>"] else r for r in rows]
    right = set(range(2, len(headers)))
    _print_aligned(headers, rows, widths, right)

    # -- notes ---------------------------------------------------------------------------
    print()
    print("Notes")
    print(
        "  ours parse s        = harmoniser_for(None) + recognise() + source.parse() "
        "(first-time harmoniser build included)"
    )
    print(
        "  ours parse+ingest s = ingest(raw_dir=<only this file>, offline=True, db=<tmp>) into "
        "a fresh MIGPROFILE_HOME: hash, parse, harmonise, DuckDB write"
    )
    print(
        "  pandas s            = read_excel(sheet_name=None; openpyxl .xlsx / xlrd .xls) or "
        "read_csv (skiprows 4 WDI bulk csv, 14 UNHCR Data Finder)"
    )
    print(
        "  speed-up            = pandas s / ours parse+ingest s; RSS = peak over the runs "
        "(ru_maxrss of the measuring process, imports included)"
    )
    print(
        "  all files row: pandas s is the sum of the per-file pandas medians of the "
        f"{len(ours)} files migprofile ingests; parse s = one process parsing them all"
    )
    harm = [r["harmoniser_s"] for f in files for r in f.parse.ok if "harmoniser_s" in r]
    if harm:
        print(
            f"  first-time harmoniser build (inside ours parse s): median "
            f"{statistics.median(harm):.3f} s"
        )
    refresh = [r["refresh_geo_s"] for f in ours for r in f.ingest.ok if "refresh_geo_s" in r]
    ingest_s = [r["seconds"] for f in ours for r in f.ingest.ok]
    if refresh and ingest_s:
        print(
            f"  Store.refresh_builtin_geo() inside each ingest: median "
            f"{statistics.median(refresh):.2f} s of median {statistics.median(ingest_s):.2f} s "
            f"per single-file ingest (one ingest over all files: "
            f"{fmt_s(folder_ingest.median('refresh_geo_s'))} s)"
        )
    store_only = [
        f.ingest.median() - f.parse.median()
        for f in ours
        if f.ingest.median() is not None and f.parse.median() is not None
    ]
    if store_only:
        print(
            "  ingest − parse (hashing + store write): median "
            f"{statistics.median(store_only):.2f} s per file"
        )
    if lazy.get("status") == "ok" and lazy.get("pandas_after") and not lazy.get("pandas_before"):
        print(
            f"  not in the timings: the first pyarrow.table(dict) in a process imports pandas "
            f"(+{lazy['seconds']:.2f} s); ours pre-imports it, as every side pre-imports"
        )
    base_ours = [r["base_rss_mb"] for f in ours for r in f.ingest.ok if r.get("base_rss_mb")]
    base_pd = [r["base_rss_mb"] for f in files for r in f.pandas.ok if r.get("base_rss_mb")]
    if base_ours and base_pd:
        print(
            f"  RSS after imports, before the work: ours {statistics.median(base_ours):.0f} MB, "
            f"pandas {statistics.median(base_pd):.0f} MB (medians)"
        )
    for f in files:
        for side, m in (("ours parse", f.parse), ("ours ingest", f.ingest), ("pandas", f.pandas)):
            if m.status == "error":
                print(f"  ERROR {side} {f.rel}: {m.error}")
        r_parse, r_ingest = f.parse.first("rows"), f.ingest.first("rows")
        if f.ours and r_ingest is not None and r_parse != r_ingest:
            print(f"  WARNING {f.rel}: parse gave {r_parse} rows, ingest stored {r_ingest}")
    for m, label in ((folder_parse, "parse all files"), (folder_ingest, "ingest all files")):
        if m.status == "error":
            print(f"  ERROR {label}: {m.error}")
    if short:
        print(
            f"  time budget ({args.budget:g} s) reached: {len(short)} row(s) got fewer than "
            f"{repeat} runs (see 'runs'); use --budget 0 for all runs"
        )
    print(f"  benchmark wall time: {wall:.0f} s")

    # -- verdicts ------------------------------------------------------------------------
    print()

    def median_speedup(group: list[FileResult], which: str) -> float | None:
        values = [
            s
            for f in group
            if (s := f.speedup(f.ingest if which == "ingest" else f.parse)) is not None
        ]
        return statistics.median(values) if values else None

    ours_books = [f for f in ours if f.is_workbook]
    ours_csv = [f for f in ours if not f.is_workbook]
    book = median_speedup(ours_books, "ingest")
    verdict = "PASS" if book is not None and book >= args.target else "FAIL"
    print(
        f"info: csv ({len(ours_csv)} files): median speed-up "
        f"{fmt_x(median_speedup(ours_csv, 'ingest'))} (parse only: "
        f"{fmt_x(median_speedup(ours_csv, 'parse'))}; no target)"
    )
    print(
        f"info: workbooks, parse only (no DuckDB write): median speed-up "
        f"{fmt_x(median_speedup(ours_books, 'parse'))}"
    )
    print(
        f"info: {folder_label}: speed-up "
        f"{fmt_x(pandas_ours_sum / folder_s if folder_s and pandas_ours_sum else None)} "
        "vs Σ pandas"
    )
    print(
        f"workbooks ({len(ours_books)} files): median speed-up {fmt_x(book)} "
        f"(target >= {args.target:g}x): {verdict}"
    )
    return 0


def _print_aligned(
    headers: list[str], rows: list[list[str]], widths: list[int], right: set[int]
) -> None:
    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    print(line(headers))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(r[0] if len(r) == 1 else line(r))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child_main(sys.argv[2])
    else:
        sys.exit(main())
