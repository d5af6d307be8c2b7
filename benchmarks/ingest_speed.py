"""Ingest speed: migprofile parse (+ harmonise + DuckDB write) vs the plain pandas read.

For every real file in ../shared/data and ../shared/data-next (next to the repository) this
measures, each in a fresh Python subprocess and repeated (default 3 times, median time):

* ours, parse only: `harmoniser_for(None)` + `recognise()` + `source.parse()` (the first-time
  harmoniser build is inside the timing);
* ours, parse + ingest: `migprofile.ingest.ingest(raw_dir=<dir holding only a symlink to the
  file>, offline=True, db=<tmp>/s.duckdb)` with MIGPROFILE_HOME set to a fresh empty directory;
* pandas: `pd.read_excel(path, sheet_name=None)` (openpyxl for .xlsx, xlrd for .xls) or
  `pd.read_csv(path)` (skiprows=4 for the World Bank bulk CSV layout, 14 for the UNHCR Refugee
  Data Finder export, as documented in SOURCES.md; tab-separated for WPP's .txt files);

and the peak RSS of each measuring process. Times are taken inside the child around the work
only: interpreter start-up and module imports are excluded (the modules a side loads lazily,
e.g. pandas pulled in by `pyarrow.table(dict)`, are imported before the clock starts; their
cost is reported separately in the notes).

Two measurements check issue 13's targets (item 11, "Ingest speed"):

* the UN DESA + WDI workbooks of ../shared/data: one `ingest()` over them all (a folder of
  symlinks, fresh store) against the sum of pandas' reads of the same files in this run
  (target: ours at least 2x faster);
* the full corpus: `migprofile ingest --raw-dir ../shared/data --raw-dir ../shared/data-next
  --offline` as a user runs it (fresh MIGPROFILE_HOME), wall time around the whole command and
  the peak RSS of its process (targets: under 15 s, under 1 GB).

Usage: python benchmarks/ingest_speed.py [--data DIR ...] [--repeat N] [--target X] [--budget S]
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
DEFAULT_DATA_NEXT = REPO_ROOT.parent / "shared" / "data-next"
WORKBOOK_SUFFIXES = (".xlsx", ".xls")
DATA_SUFFIXES = (".xlsx", ".xls", ".csv", ".txt")
# The workbooks the 2x target is about: UN DESA's and the World Bank's, in the first folder.
BOOK_FOLDERS = ("undesa_ims", "worldbank_wdi")
BOOK_TARGET = 2.0
CORPUS_TARGET_S = 15.0
CORPUS_TARGET_MB = 1024.0
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
    elif suffix == ".txt":  # WPP's tab-separated tables
        rows = len(pd.read_csv(path, sep="\t"))
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


def run_corpus(folders: list[Path]) -> dict:
    """`migprofile ingest --raw-dir A --raw-dir B --offline` as a user runs it, in a fresh
    MIGPROFILE_HOME: wall time around the whole command (start-up included) and the peak RSS
    of its process (from wait4, so only that process)."""
    script = Path(sys.executable).with_name("migprofile")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "migprofile.cli"]
    cmd += ["ingest", *[a for f in folders for a in ("--raw-dir", str(f))], "--offline"]
    with tempfile.TemporaryDirectory(prefix="migprofile-bench-corpus-") as tmp:
        env = dict(os.environ, MIGPROFILE_HOME=str(Path(tmp) / "home"))
        env.pop("MIGPROFILE_RAW_DIR", None)
        out = Path(tmp) / "out.txt"
        t0 = time.perf_counter()
        with out.open("w") as fh:
            proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.DEVNULL, env=env)
            _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        summary = (out.read_text().strip().splitlines() or [""])[-1]
    kb = usage.ru_maxrss
    result = {
        "status": "ok" if proc.returncode == 0 else "error",
        "seconds": wall,
        "process_s": wall,
        "peak_rss_mb": kb / (1024 * 1024) if sys.platform == "darwin" else kb / 1024,
        "summary": summary,
        "command": " ".join(["migprofile", *cmd[cmd.index("ingest") :]]),
    }
    if proc.returncode != 0:
        result["error"] = f"exit {proc.returncode}: {summary}"
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

    def __init__(self, budget: float, folders: list[Path]):
        self.budget, self.t0, self.count = budget, time.perf_counter(), 0
        self.folders = folders
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
        result = run_corpus(self.folders) if mode == "corpus" else run_child(mode, path)
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


def cpu_times() -> tuple[int, int] | None:
    """(steal, total) jiffies of all CPUs from /proc/stat (Linux), else None: on a virtual
    machine the host may take ("steal") much of the CPU, and every time stretches with it."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        values = [int(v) for v in fields]
    except (OSError, ValueError, IndexError):
        return None
    return (values[7] if len(values) > 7 else 0), sum(values[:8])


def steal_share(start: tuple[int, int] | None, end: tuple[int, int] | None) -> str:
    if start is None or end is None or end[1] <= start[1]:
        return "n/a"
    return f"{100 * (end[0] - start[0]) / (end[1] - start[1]):.0f}%"


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


def check_environment(folders: list[Path]) -> None:
    for data in folders:
        if not data.is_dir():
            sys.exit(
                f"benchmark: data folder {data} not found.\n"
                "It should hold the real publisher files described in its SOURCES.md "
                "(expected at <repo>/../shared/data and ../shared/data-next; override with "
                "--data DIR, given once per folder)."
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
    ap.add_argument(
        "--data",
        type=Path,
        action="append",
        help="folder of real files, once per folder (default: ../shared/data and "
        "../shared/data-next; the UN DESA + WDI workbooks are taken from the first)",
    )
    ap.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    ap.add_argument(
        "--target", type=float, default=5.0, help="per-file workbook speed-up (info line)"
    )
    ap.add_argument(
        "--budget",
        type=float,
        default=DEFAULT_BUDGET_S,
        help="wall-time budget in seconds: no run starts that would overrun it, most important "
        f"rows first (0 = no limit; default {DEFAULT_BUDGET_S:g})",
    )
    args = ap.parse_args(argv)
    folders = [d.resolve() for d in (args.data or [DEFAULT_DATA, DEFAULT_DATA_NEXT])]
    check_environment(folders)
    repeat = max(1, args.repeat)

    files = [
        FileResult(p, f"{d.name}/{p.relative_to(d)}", p.stat().st_size)
        for d in folders
        for p in data_files(d)
    ]
    for f in files:  # warm the page cache so no measurement pays for the first disk read
        f.path.read_bytes()
    load_start, cpu_start = os.getloadavg()[0], cpu_times()
    where = ", ".join(str(d) for d in folders)
    print(
        f"ingest benchmark: {len(files)} files in {where}, up to {repeat} runs each, fresh "
        f"process per run ({sys.executable})",
        file=sys.stderr,
    )
    runner = Runner(args.budget, folders)

    # The UN DESA + WDI workbooks of the first folder: one ingest over a folder of symlinks.
    books = [
        f
        for f in files
        if f.is_workbook
        and f.path.is_relative_to(folders[0])
        and f.path.relative_to(folders[0]).parts[0] in BOOK_FOLDERS
    ]
    books_tmp = tempfile.TemporaryDirectory(prefix="migprofile-bench-books-")
    books_dir = Path(books_tmp.name)
    for f in books:
        (books_dir / f.path.name).symlink_to(f.path)
    books_parse, books_ingest, corpus = Measured(), Measured(), Measured()

    def measure_file(f: FileResult, rep: int) -> None:
        if f.ours:
            if rep > 0:
                runner.run(f.parse, "parse", f.path, "parse")
            runner.run(f.ingest, "ingest", f.path, "ingest")
        if f.pandas.n < repeat:
            runner.run(f.pandas, "pandas", f.path, "pandas")

    def file_cost(f: FileResult, rep: int) -> float:
        cost = runner.estimate(f.pandas, "pandas") if f.pandas.n < repeat else 0.0
        if f.ours:
            cost += runner.estimate(f.ingest, "ingest")
            if rep > 0:
                cost += runner.estimate(f.parse, "parse")
        return cost

    def measure_targets(rep: int) -> None:
        for f in books:
            runner.run(f.pandas, "pandas", f.path, "pandas")
        runner.run(books_ingest, "ingest", books_dir, "ingest books")
        runner.run(books_parse, "parse_all", books_dir, "parse books")
        runner.run(corpus, "corpus", folders[0], "corpus")

    def targets_cost(rep: int) -> float:
        return (
            sum(runner.estimate(f.pandas, "pandas") for f in books)
            + runner.estimate(books_ingest, "ingest_all")
            + runner.estimate(books_parse, "parse_all")
            + (runner.estimate(corpus, "corpus") if corpus.runs else 30.0)
        )

    # First the targets, every run: the workbooks' pandas reads, their one ingest (and one
    # parse of them all) and the whole corpus. A parse-only run of each workbook first says
    # they are ours.
    short: set[str] = set()
    for f in books:
        runner.run(f.parse, "parse", f.path, "parse")
    for rep in range(repeat):
        if runner.fits(targets_cost(rep)):
            measure_targets(rep)
        else:
            short.add("targets (workbooks and corpus)")
    # Status pass: one parse-only run per other file (it counts as run 1) says which we take.
    for f in files:
        if f not in books:
            runner.run(f.parse, "parse", f.path, "parse")
    ours = [f for f in files if f.ours]
    broken = [f for f in files if f.parse.status == "error"]

    # Then round by round, most important first within a round and against the time budget:
    # the workbooks of the target each alone, the other workbooks, the other files we ingest,
    # the pandas-only rows of files we skip.
    for rep in range(repeat):
        tasks: list[tuple[str, Callable[[int], float], Callable[[int], None]]] = []
        tasks += [(f.rel, partial(file_cost, f), partial(measure_file, f)) for f in books]
        rest = [f for f in ours if f not in books]
        tasks += [
            (f.rel, partial(file_cost, f), partial(measure_file, f))
            for f in sorted(rest, key=lambda f: not f.is_workbook)
        ]
        tasks += [
            (f.rel, partial(file_cost, f), partial(measure_file, f)) for f in files if not f.ours
        ]
        for label, cost, task in tasks:
            if runner.fits(cost(rep)):
                task(rep)
            else:
                short.add(label)
    lazy = run_child("lazy_imports", folders[0])
    books_tmp.cleanup()
    wall = runner.elapsed
    load_end, steal = os.getloadavg()[0], steal_share(cpu_start, cpu_times())

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

    def pandas_sum(group: list[FileResult]) -> float | None:
        medians = [f.pandas.median() for f in group]
        return None if not medians or None in medians else sum(m for m in medians if m)

    books_pandas = pandas_sum(books)
    books_s = books_ingest.median()
    books_ratio = books_pandas / books_s if books_pandas and books_s else None
    rows.append(["<sep>"])
    rows.append(
        [
            f"UN DESA + WDI workbooks of {folders[0].name} ({len(books)}), one ingest",
            f"{books_ingest.first('ingested') or 0} ingested",
            f"{sum(f.bytes for f in books):,}",
            f"{books_ingest.first('rows') or 0:,}",
            status_cell(books_parse, fmt_s(books_parse.median())),
            status_cell(books_ingest, fmt_s(books_s)),
            fmt_s(books_pandas) + (" (Σ)" if books_pandas is not None else ""),
            fmt_x(books_ratio),
            fmt_mb(books_ingest.peak()),
            fmt_mb(max((f.pandas.peak() or 0 for f in books), default=None)),
            str(min(books_parse.n, books_ingest.n)),
        ]
    )
    corpus_pandas = pandas_sum(ours)
    corpus_s, corpus_mb = corpus.median(), corpus.peak()
    rows.append(
        [
            f"full corpus ({len(folders)} folders, {len(files)} files), migprofile ingest",
            corpus.first("summary") or corpus.status,
            f"{sum(f.bytes for f in files):,}",
            "-",
            "-",
            status_cell(corpus, fmt_s(corpus_s)),
            fmt_s(corpus_pandas) + (" (Σ)" if corpus_pandas is not None else ""),
            fmt_x(corpus_pandas / corpus_s if corpus_pandas and corpus_s else None),
            fmt_mb(corpus_mb),
            fmt_mb(max((f.pandas.peak() or 0 for f in ours), default=None)),
            str(corpus.n),
        ]
    )
    print()
    print(
        f"migprofile ingest benchmark — {len(files)} files in {where} "
        f"(median of up to {repeat} runs, each in a fresh process; {os.cpu_count()} CPUs, "
        f"load average {load_start:.1f} at start, {load_end:.1f} at end; CPU time taken by "
        f"the host (steal) during the run: {steal})"
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
        "read_csv (skiprows 4 WDI bulk csv, 14 UNHCR Data Finder; tab-separated .txt)"
    )
    print(
        "  speed-up            = pandas s / ours parse+ingest s; RSS = peak over the runs "
        "(ru_maxrss of the measuring process, imports included)"
    )
    print(
        "  workbooks row: one ingest() over a folder of symlinks to those files (parse s: one "
        "process parsing them all); pandas s = the sum of their per-file pandas medians"
    )
    print(
        f"  corpus row: `{corpus.first('command') or 'migprofile ingest ...'}` in a fresh "
        "MIGPROFILE_HOME, wall time of the whole command (interpreter start and imports "
        "included) and the peak RSS of its process; pandas s = Σ pandas medians of the "
        f"{len(ours)} files migprofile ingests"
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
            f"per single-file ingest (workbooks ingest: "
            f"{fmt_s(books_ingest.median('refresh_geo_s'))} s)"
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
    for m, label in (
        (books_parse, "parse the workbooks"),
        (books_ingest, "ingest the workbooks"),
        (corpus, "ingest the corpus"),
    ):
        if m.status == "error":
            print(f"  ERROR {label}: {m.error}")
    if broken:
        print(f"  {len(broken)} file(s) fail to parse on their own (see the errors above)")
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
    print(
        f"info: csv/txt ({len(ours_csv)} files): median speed-up "
        f"{fmt_x(median_speedup(ours_csv, 'ingest'))} (parse only: "
        f"{fmt_x(median_speedup(ours_csv, 'parse'))}; no target)"
    )
    print(
        f"info: workbooks, parse only (no DuckDB write): median speed-up "
        f"{fmt_x(median_speedup(ours_books, 'parse'))}"
    )
    print(
        f"info: all {len(ours_books)} workbooks, each ingested alone: median speed-up "
        f"{fmt_x(book)} (earlier target >= {args.target:g}x: "
        f"{'PASS' if book is not None and book >= args.target else 'FAIL'})"
    )

    def verdict(ok: bool | None) -> str:
        return "PASS" if ok else ("FAIL" if ok is not None else "not measured")

    books_ok = None if books_ratio is None else books_ratio >= BOOK_TARGET
    print(
        f"UN DESA + WDI workbooks of {shorten(str(folders[0]), 40)} ({len(books)} files): "
        f"ingest {fmt_s(books_s)} s vs pandas read {fmt_s(books_pandas)} s → "
        f"{fmt_x(books_ratio)} (target ≥ {BOOK_TARGET:g}×): {verdict(books_ok)}"
    )
    corpus_ok = (
        None
        if corpus_s is None or corpus_mb is None
        else corpus_s < CORPUS_TARGET_S and corpus_mb < CORPUS_TARGET_MB
    )
    print(
        f"full corpus (both folders, {len(files)} files): {fmt_s(corpus_s)} s wall, peak RSS "
        f"{fmt_mb(corpus_mb)} MB (targets < {CORPUS_TARGET_S:g} s, < 1 GB): {verdict(corpus_ok)}"
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
