"""Issue 11, "Nothing wrong gets in": faulty files generated from the real publisher files.

Used by `benchmarks/reliability.py` (the table) and `tests/test_reliability_cases.py` (a smoke
test on tiny fixtures). Every case is a copy of one real file, mutated, written to a temporary
folder of its own (under /tmp, deleted afterwards) under the real file's name, and read the
way `ingest()` reads it: `recognise(path, REGISTRY)` then `source.parse(match, harmoniser)`
with a fresh code-defined harmoniser.

What is compared (the "facts" of one parse)
-------------------------------------------
Every observation row, keyed by all its non-value columns (indicator, geo, partner, year,
period, sex, age, unit, sheet, row, col, note) with its value; and what else a parse hands to
the store: geography attributes, source indicators, the aggregates, codes and group members it
registers in the harmoniser, the names it saw (`seen_names`, stored as search aliases), the
source, layout and edition, and the counts of rows, members and attributes (so a duplicated
row shows). The vintage's free-text note is left out (it reports what the parser did, e.g.
"code ATL (Czechia) not ISO3: read by name"). The reference facts are those of the ORIGINAL
file, copied alone into a temporary folder under its own name (so both are parsed in the same
setting: a World Bank CSV reads its Metadata_* siblings), parsed once per worker and cached.

How a case is classified
------------------------
* the parse raised a `MigprofileError` whose message names the file (its name is in
  `str(exc)`): **refused**, survived.
* it returned facts (a renamed name attribute that is simply not stored counts like a search
  alias not stored: no wrong data): compared with the expected facts (the reference, or, for
  a number
  replaced on purpose by a plausible finite value, the reference with that cell's key given
  the new value, scaled as the file scales it: KNOMAD writes US$ millions). Numbers compare
  with a relative tolerance of 1e-9. Identical: **read right**, survived. Otherwise **wrong
  data**: extra keys (a renamed country resolved to some country, a new code, a name stored),
  changed values, or missing keys. For cut files, "incomplete accepted" (keys missing only:
  a file cut exactly at a line break, in a layout with no end marker, accepted with fewer
  rows, every stored value right) is its own column, not counted as wrong data but never
  hidden; in every other class missing rows are wrong data. The notes add
  "wrong names/attributes only" (only stored names, geography attributes or indicator
  texts differ) and the rest (rows).
  Names are compared apart: a name not stored loses no data, but a name stored as a search
  alias must resolve to its geo by itself (`Chadland` stored as a name of MDA is wrong data;
  `Czechia` for CZE is not).
  Mutations that must be refused (inf, 1e400, `nan`, a negative count, a stock beyond the
  world's population, 150 in a percentage bounded by 100, an unknown country name or code) are
  wrong data whenever the facts differ from the reference, e.g. when the bad cell's row is
  silently dropped ("nan" taken as a missing marker counts as wrong data here, as the issue
  asks: non-finite values must be refused).
  Two differences are accounted for by the mutation itself (read right, counted in the notes as
  "read as the mutated file says"): after a plausible replacement, rows derived from that cell
  (same indicator, geo, partner and year: a total over sexes, a mean over quarters) moving in
  the same direction by at most the cell's own change; after byte flips in a workbook, facts
  that differ only where the mutated workbook, read cell by cell with calamine, itself differs
  from the original (a flipped string index can make a cell say 'MEA' instead of 'ETH': the
  file now says so, no reader could tell).
* any other exception (not a `MigprofileError`, a Rust panic included), or a
  `MigprofileError` whose message does not name the file: **traceback**.
* not recognised (no source claims the file: `ingest` skips it and says so): **skipped**,
  survived (every original here is recognised, so the mutation made it unrecognisable).
* generation not possible for this file (no such cell, no percentage indicator, a cut at the
  same offset as another one...): **n/a**, not counted.

How the mutations are made
--------------------------
Cuts: at fixed points (1 byte before the end; for CSVs also just before the final newline, at
the start of the last line and of the 10th line from the end; mid-file; in the first 2 KB)
plus `per_file` seeded random offsets. Byte flips that keep a file valid cannot be detected by
any reader (a digit turned into another digit), so in CSVs a flip sets the high bit of a byte
(always invalid UTF-8); in workbooks it is a random XOR. Renames and number replacements edit
one CSV field in place (all cells of that column equal to the name, for a rename), one .xlsx
cell in the sheet XML (openpyxl is not used: its load/save round trip alone changes what 6 of
the 8 real workbooks parse to, formulas losing their cached values), or, in .xls, a shared
string of the same length or a NUMBER record's double (cells stored as RK numbers are n/a).
Files over BIG_FILE bytes get the quick variants of classes 2-4 and 6, for time.

Classes 5 (zip bombs), 7 (file changing while read) and 8 (concurrent runs) are judged by their
own rules (`Worker.zip_case`, `Worker.changing_case`, `Worker.concurrent_case`): a zip must be
refused or skipped with a peak RSS under RSS_LIMIT_MB (measured in a child process of its own);
after an ingest while the file is rewritten (atomic replace, in place, truncate and write;
two values changed), the store must hold one version's values, all its rows, and that
version's sha256; two CLI ingests at once must both exit 0 and store what one ingest alone
stores. A sample of classes 1-4 and 6 (1 case in CLI_EVERY) also runs through the CLI,
`migprofile ingest --raw-dir DIR --offline`, in a fresh home: a refusal must exit non-zero
with exactly one error line on stderr naming the file, an accepted file must exit 0, and no
output may hold "Traceback". A CLI traceback counts in the tracebacks column; any other CLI
mismatch as a failed case (neither survived nor wrong data; it fails the run too).

Cases run in worker processes (a crash or a hang of one case is recorded as a traceback and
the worker restarted on the rest).
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import io
import json
import math
import os
import queue
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CLASSES = (
    "cut files",
    "corrupt bytes",
    "renamed names",
    "number replacements",
    "zip bombs",
    "oversize fields",
    "file changing while read",
    "concurrent runs",
)
SHORT = dict(zip(CLASSES, ("cut", "corrupt", "rename", "number", "zip", "oversize",
                           "changing", "concurrent"), strict=True))  # fmt: skip
CLI_CLASSES = {"cut files", "corrupt bytes", "renamed names", "number replacements",
               "oversize fields"}  # fmt: skip
SURVIVED = {"refused", "read right", "skipped"}
COUNT_KEYS = ("rows", "members", "attributes")
PERSONS_UNITS = {"persons", "movements"}
BOUNDED_PCT_UNITS = {"%", "% of population"}  # "% of GDP" is not bounded by 100
WORKBOOK_SUFFIXES = (".xls", ".xlsx", ".xlsm")
RENAMES = {  # variant -> replacement text
    "Moldova -> Chadland": "Chadland",
    "a name -> Mali Lošinj": "Mali Lošinj",
    "a name -> chad smith": "chad smith",
    "a code -> ATL": "ATL",
    "a code -> QQQ": "QQQ",
}
NUMBERS = ("inf", "1e400", "nan", "-5 (a count)", "1e15 (a stock)", "150 (a percentage)",
           "x1.01 (plausible)")  # fmt: skip
CORRUPT = ("flip 4 bytes", "zero a 4 KB block", "insert NUL bytes", "invalid UTF-8")
OVERSIZE = ("200,000-char cell", "150,000-char quoted cell with newlines")
ZIPS = ("1.2 GB member", "declared size lies (small)", "declared size lies (ratio 199:1)",
        "10,000 members", "nested zip", "bomb as second member")  # fmt: skip
ZIP_NAME = "API_SP.POP.TOTL_DS2_en_csv_v2_1.zip"
CUT_SPECIALS = ("1 byte before the end", "just before the final newline",
                "start of the last line", "start of the 10th line from the end", "mid-file",
                "in the first 2 KB")  # fmt: skip
CUT_QUICK = ("1 byte before the end", "start of the last line", "mid-file")
CLI_EVERY = 10
BIG_FILE = 3_000_000  # bytes: files above get the quick variants of classes 2-4 and 6
CASE_TIMEOUT = 240.0
RSS_LIMIT_MB = 1024
ZIP_MIB, ZIP_QUICK_MIB = 1200, 120  # the bomb member's size (MiB), full and quick runs


class NotApplicable(Exception):
    """This mutation cannot be made on this file."""


# --- files ------------------------------------------------------------------------------------


def kind_of(path: Path) -> str:
    s = path.suffix.lower()
    if s == ".csv":
        return "csv"
    if s in (".xlsx", ".xlsm"):
        return "xlsx"
    if s == ".xls":
        return "xls"
    return "other"


def discover(data_dir: Path = DATA) -> list[dict]:
    """Every file of the folder that a source recognises (SOURCES.md and hidden files left out)."""
    from migprofile.errors import MigprofileError
    from migprofile.ingest import recognise
    from migprofile.sources import REGISTRY

    found = []
    for p in sorted(Path(data_dir).rglob("*")):
        if not p.is_file() or p.name == "SOURCES.md" or p.name.startswith("."):
            continue
        try:
            m = recognise(p, list(REGISTRY))
        except MigprofileError:
            continue
        if m is None or m.layout == "not-selected":
            continue
        m.context.pop("peek", None)
        found.append({"path": str(p), "source": m.source.id, "layout": m.layout,
                      "kind": kind_of(p), "size": p.stat().st_size})  # fmt: skip
    return found


# --- building the list of cases ---------------------------------------------------------------


def _cli_pick(seed: int, case_id: str) -> bool:
    return int(hashlib.sha1(f"{seed}:{case_id}".encode()).hexdigest(), 16) % CLI_EVERY == 0


def build_cases(
    files: list[dict],
    *,
    seed: int = 0,
    per_file: int = 2,
    quick: bool = False,
    classes: tuple[str, ...] = CLASSES,
    cli: bool = True,
) -> list[dict]:
    """One dict per case (JSON-able): what to mutate; the worker makes the file."""
    cases: list[dict] = []

    def add(cls: str, f: dict | None, variant: str, group: str, **params) -> None:
        name = Path(f["path"]).name if f else ""
        cid = f"{SHORT[cls]}:{name}:{variant}" if name else f"{SHORT[cls]}:{variant}"
        cases.append({"id": cid, "cls": cls, "file": f["path"] if f else "", "kind":
                      f["kind"] if f else "", "variant": variant, "group": group, "seed": seed,
                      "per_file": per_file, "params": params,
                      "cli": cli and cls in CLI_CLASSES and _cli_pick(seed, cid)})  # fmt: skip

    for f in files:
        text = f["kind"] == "csv"
        g = f["path"]
        lite = quick or f["size"] > BIG_FILE  # the quick variants only, for time
        if "cut files" in classes:
            specials = CUT_QUICK if quick else CUT_SPECIALS
            for v in specials:
                if text or v in ("1 byte before the end", "mid-file", "in the first 2 KB"):
                    add("cut files", f, v, g)
            for i in range(0 if quick else per_file):
                add("cut files", f, f"random cut {i + 1}", g)
        if "corrupt bytes" in classes:
            for v in CORRUPT[:2] if lite else CORRUPT:
                if v != "invalid UTF-8" or text:
                    add("corrupt bytes", f, v, g)
        if "renamed names" in classes and f["kind"] in ("csv", "xlsx", "xls"):
            for v in list(RENAMES)[::3] if lite else RENAMES:
                add("renamed names", f, v, g)
        if "number replacements" in classes and f["kind"] in ("csv", "xlsx", "xls"):
            for v in NUMBERS[::3] if lite else NUMBERS:
                add("number replacements", f, v, g)
        if "oversize fields" in classes and text:
            for v in OVERSIZE[:1] if lite else OVERSIZE:
                add("oversize fields", f, v, g)
    if "zip bombs" in classes:
        for v in ZIPS[:2] + ZIPS[3:5] if quick else ZIPS:
            add("zip bombs", None, v, "zip", quick=quick)
    by_name = {Path(f["path"]).name: f for f in files}
    if "file changing while read" in classes:
        wanted = [n for n in ("ONE_wdi_SP.POP.TOTL.csv", "rpw_corridors_databank_Data.csv",
                              "API_BX.TRF.PWKR.DT.GD.ZS_DS2_en_csv_v2_3686014.csv")
                  if n in by_name]  # fmt: skip
        if not wanted:  # other files: the largest CSV of observations
            data_csvs = [
                f
                for f in files
                if f["kind"] == "csv"
                and not re.search(r"metadata|countries|overview|codes", f["layout"])
            ]
            wanted = [Path(f["path"]).name
                      for f in sorted(data_csvs, key=lambda f: -f["size"])][:1]  # fmt: skip
        modes = ("replace", "in place", "truncate and write")
        for i, name in enumerate(wanted[:1] if quick else wanted):
            mine = modes[:1] if quick else (modes[i % 3], modes[(i + 1) % 3])
            for mode in mine:
                add("file changing while read", by_name[name], mode, f"changing:{name}")
    if "concurrent runs" in classes:
        for i in range(1 if quick else 5):
            add("concurrent runs", None, f"two ingests at once, run {i + 1}", "concurrent",
                files=[f["path"] for f in _concurrency_files(files)])  # fmt: skip
    return cases


def _concurrency_files(files: list[dict]) -> list[dict]:
    prefer = ("ONE_wdi_SI.POV.DDAY.csv", "API_SI.RMT.COST.IB.ZS_DS2_en_csv_v2_3692955.csv",
              "sending-cost-to-country.xls", "remittance-outflows.xlsx")  # fmt: skip
    chosen = [f for f in files if Path(f["path"]).name in prefer]
    if len(chosen) < 2:
        chosen = sorted(files, key=lambda f: f["size"])[:3]
    return chosen


# --- facts of one parse -----------------------------------------------------------------------


def facts_of(parsed, harmoniser) -> dict:
    """Everything one parse would hand to the store, as {key: value}."""
    from migprofile.sources.base import TIDY_SCHEMA

    nonvalue = [c for c in TIDY_SCHEMA.names if c != "value"]
    t = parsed.table
    out: dict[tuple, Any] = {}
    cols = [t.column(c).to_pylist() for c in nonvalue]
    for key, v in zip(zip(*cols, strict=True), t.column("value").to_pylist(), strict=True):
        out[("obs", *key)] = v
    for geo, k, v in parsed.geo_attributes:
        out[("attr", geo, k, v)] = True
    for ind in parsed.indicators:
        out[("ind", ind.indicator, ind.name, ind.definition, ind.unit, ind.source_note)] = True
    for e in harmoniser.new_entries:
        out[("entry", e.geo)] = (e.kind, e.name, e.group_type, e.iso3, e.iso2, e.m49,
                                 e.name_official)  # fmt: skip
    for scheme, code, geo in harmoniser.new_codes:
        out[("code", scheme, code, geo)] = True
    for g, m in harmoniser.new_members:
        out[("member", g, m)] = True
    for name, geo in harmoniser.seen_names.items():
        out[("name", name)] = geo
    out[("meta", "source")] = parsed.source
    out[("meta", "layout")] = parsed.layout
    out[("meta", "edition")] = (parsed.edition, parsed.edition_order)
    out[("meta", "rows")] = t.num_rows
    out[("meta", "attributes")] = len(parsed.geo_attributes)
    out[("meta", "members")] = len(harmoniser.new_members)
    return out


def parse_file(path: Path):
    """(parsed, harmoniser) the way ingest parses one file; None when no source claims it."""
    from migprofile.ingest import harmoniser_for, recognise
    from migprofile.sources import REGISTRY

    h = harmoniser_for(None)
    m = recognise(path, list(REGISTRY))
    if m is None or m.layout == "not-selected":
        return None
    try:
        parsed = m.source.parse(m, h)
    finally:
        m.context.pop("peek", None)
    return parsed, h


def parse_facts(path: Path) -> dict | None:
    got = parse_file(path)
    return None if got is None else facts_of(*got)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        if math.isnan(a) or math.isnan(b):
            return math.isnan(a) and math.isnan(b)
        return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=0.0)
    return a == b


@dataclass
class Expected:
    facts: dict
    overrides: dict = field(default_factory=dict)  # key -> value the mutation put there
    must_refuse: bool = False
    note: str = ""
    names: Any = None  # name_key -> geo of the reference's harmoniser (aliases that resolve)


@dataclass
class Diff:
    extra: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    changed: list = field(default_factory=list)  # (key, expected, got)

    def __bool__(self) -> bool:
        return bool(self.extra or self.missing or self.changed)

    def summary(self) -> str:
        parts = []
        for label, items in (("extra", self.extra), ("missing", self.missing),
                             ("changed", self.changed)):  # fmt: skip
            if items:
                kinds = Counter((k[0][0] if label == "changed" else k[0]) for k in items)
                first = items[0]
                ex = (f"{_short(first[0])}: {first[1]!r} -> {first[2]!r}" if label == "changed"
                      else _short(first))  # fmt: skip
                what = ", ".join(f"{n} {k}" for k, n in kinds.items())
                parts.append(f"{len(items)} {label} ({what}; e.g. {ex})")
        return "; ".join(parts)


def _short(key: tuple) -> str:
    text = ", ".join(str(k) for k in key if k not in (None, ""))
    return text if len(text) < 110 else text[:107] + "..."


def _alias_ok(exp: Expected, name: str, geo: str) -> bool:
    """A name stored as a search alias is right when it resolves to that geo by itself."""
    if exp.names is None:
        return False
    from migprofile.geo.harmonise import name_key

    return exp.names.get(name_key(name)) == geo


def compare(exp: Expected, got: dict) -> Diff:
    """What differs between the expected facts and those read. Names (search aliases) are
    compared apart: one not stored is no wrong data; one stored must resolve to its geo."""
    d = Diff()
    base, over = exp.facts, exp.overrides
    for k, v in got.items():
        if k in over:
            want = over[k]
        elif k in base:
            want = base[k]
        elif k[0] == "name" and _alias_ok(exp, k[1], v):
            continue
        else:
            d.extra.append(k)
            continue
        if not _same(want, v):
            d.changed.append((k, want, v))
    # A name attribute not stored (its cell no longer names the row's country) is, like a
    # search alias not stored, no wrong data; the attribute count then drops by as many.
    unstored = [k for k in base if k not in got and k[0] == "attr" and k[2] in NAME_ATTRS]
    d.missing = [k for k in base if k not in got and k[0] != "name" and k not in unstored]
    d.changed = [
        c for c in d.changed
        if not (unstored and c[0] == ("meta", "attributes")
                and isinstance(c[1], int) and isinstance(c[2], int)
                and c[1] - c[2] == len(unstored))
    ]  # fmt: skip
    return d


NAME_ATTRS = ("unterm_short", "official_name_en")  # names a datahub row gives its country


def diff_kind(d: Diff) -> str:
    """'incomplete' (keys missing only), 'names' (only aliases / attributes / indicator
    texts differ) or 'rows' (observations or what the file is taken to be)."""
    keys = [*d.extra, *d.missing, *(c[0] for c in d.changed)]
    counts_only = all(c[0][0] == "meta" and c[0][1] in COUNT_KEYS for c in d.changed)
    if d.missing and not d.extra and counts_only:
        return "incomplete"
    if all(k[0] in ("name", "attr", "ind") or k[:2] == ("meta", "attributes") for k in keys):
        return "names"
    return "rows"


@dataclass
class Result:
    id: str
    cls: str
    file: str
    variant: str
    label: str  # read right | refused | skipped | wrong data | traceback | failed | n/a
    detail: str = ""
    incomplete: bool = False
    excused: bool = False  # a difference the mutated file itself accounts for (see judge)
    kind: str = ""  # for wrong data: incomplete | names | rows (see diff_kind)
    rss_mb: float | None = None
    cli: str | None = None  # None: not run; "ok"; or what went wrong
    seconds: float = 0.0
    note: str = ""

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def judge(path: Path, exp: Expected, attempt=None, explain=None) -> tuple[str, str, str, bool]:
    """(label, detail, wrong-data kind, excused) of reading `path` (`attempt()` gives its
    facts); `explain(diff)` may accept a difference the mutation itself accounts for."""
    from migprofile.errors import MigprofileError

    attempt = attempt or (lambda: parse_facts(path))
    try:
        got = attempt()
    except MigprofileError as exc:
        msg = str(exc)
        first = msg.strip().splitlines()[0] if msg.strip() else type(exc).__name__
        if path.name in msg:
            return "refused", first[:300], "", False
        return "traceback", f"{type(exc).__name__} not naming the file: {first[:250]}", "", False
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a Rust panic is a BaseException
        tb = traceback.extract_tb(exc.__traceback__)
        where = f" at {Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else ""
        return "traceback", f"{type(exc).__name__}: {str(exc)[:200]}{where}", "", False
    if got is None:
        return "skipped", "not recognised (ingest skips it)", "", False
    d = compare(exp, got)
    if not d:
        return "read right", exp.note, "", False
    if explain is not None:
        why = explain(d)
        if why:
            return "read right", why, "", True
    return "wrong data", d.summary(), diff_kind(d), False


# --- CSV helpers ------------------------------------------------------------------------------


def line_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each physical line, end excluding the line terminator."""
    spans = []
    start = 0
    n = len(data)
    while start < n:
        nl = data.find(b"\n", start)
        end = n if nl < 0 else nl
        stop = end - 1 if end > start and data[end - 1 : end] == b"\r" else end
        spans.append((start, stop))
        if nl < 0:
            break
        start = nl + 1
    return spans


def field_spans(line: bytes) -> list[tuple[int, int, bool]]:
    """(start, end, quoted) of each comma-separated field's content (inside its quotes)."""
    spans: list[tuple[int, int, bool]] = []
    i, n = 0, len(line)
    while True:
        if line[i : i + 1] == b'"':
            j = i + 1
            while True:
                k = line.find(b'"', j)
                if k < 0:
                    raise ValueError("quote left open on this line")
                if line[k + 1 : k + 2] == b'"':
                    j = k + 2
                    continue
                break
            spans.append((i + 1, k, True))
            i = k + 1
            if i < n and line[i : i + 1] != b",":
                raise ValueError("text after a closing quote")
        else:
            k = line.find(b",", i)
            k = n if k < 0 else k
            spans.append((i, k, False))
            i = k
        if i >= n:
            return spans
        i += 1
        if i == n:
            spans.append((n, n, False))
            return spans


def _decode_field(line: bytes, span: tuple[int, int, bool]) -> str:
    text = line[span[0] : span[1]].decode("utf-8", errors="replace")
    return text.replace('""', '"') if span[2] else text


class CsvFile:
    """A CSV's bytes with the byte spans of its lines and fields (one record per line)."""

    def __init__(self, data: bytes):
        self.data = data
        self.bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        self.lines = line_spans(data)

    def line(self, k: int) -> bytes:  # 1-based
        s, e = self.lines[k - 1]
        s = max(s, self.bom)
        return self.data[s:e]

    def line_start(self, k: int) -> int:
        return max(self.lines[k - 1][0], self.bom)

    def fields(self, k: int) -> list[tuple[int, int, bool]] | None:
        line = self.line(k)
        try:
            spans = field_spans(line)
        except ValueError:
            return None
        try:
            rec = next(csv.reader([line.decode("utf-8", errors="replace")]))
        except (csv.Error, StopIteration):
            return None
        if len(rec) != len(spans):
            return None
        return spans

    def header_index(self, col: str, before: int) -> int | None:
        for k in range(1, min(before, 80, len(self.lines) + 1)):
            spans = self.fields(k)
            if not spans:
                continue
            names = [_decode_field(self.line(k), s).strip() for s in spans]
            if col in names:
                return names.index(col)
            if col.strip() in names:
                return names.index(col.strip())
        return None

    def cell(self, k: int, j: int) -> tuple[int, int, bool, str] | None:
        """(abs start, abs end, quoted, text) of field j on line k."""
        spans = self.fields(k)
        if not spans or j >= len(spans):
            return None
        s, e, q = spans[j]
        base = self.line_start(k)
        return base + s, base + e, q, _decode_field(self.line(k), spans[j])


def replace_spans(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out, last = [], 0
    for s, e, new in sorted(edits):
        out += [data[last:s], new]
        last = e
    out.append(data[last:])
    return b"".join(out)


# --- workbook helpers -------------------------------------------------------------------------


def col_index(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(j: int) -> str:
    """0 → A, 27 → AB (the library's own naming of cells)."""
    from migprofile.sources.base import column_letter

    return column_letter(j)


def read_grid(path: Path, sheet: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def grid_cell(grid: list[list], row: int, col: str):
    j = col_index(col)
    if row - 1 >= len(grid) or j >= len(grid[row - 1]):
        return None
    return grid[row - 1][j]


def _num(v) -> float | None:
    from migprofile.sources.base import to_number

    try:
        return to_number(v)
    except (ValueError, TypeError):
        return None


_ATTR = re.compile(r'([\w:]+)="([^"]*)"')


def xlsx_sheet_member(data: bytes, sheet: str) -> str | None:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        wbxml = zf.read("xl/workbook.xml").decode("utf-8")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    rid = None
    for tag in re.findall(r"<(?:\w+:)?sheet\b[^>]*>", wbxml):
        attrs = dict(_ATTR.findall(tag))
        if html.unescape(attrs.get("name", "")) == sheet:
            rid = next((v for k, v in attrs.items() if k.endswith(":id")), None)
    if rid is None:
        return None
    for tag in re.findall(r"<Relationship\b[^>]*>", rels):
        attrs = dict(_ATTR.findall(tag))
        if attrs.get("Id") == rid:
            target = attrs.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = replace[info.filename] if info.filename in replace else src.read(info)
            zi = zipfile.ZipInfo(info.filename, info.date_time)
            zi.compress_type = info.compress_type
            zi.external_attr = info.external_attr
            zi.create_system = info.create_system
            dst.writestr(zi, body)
    return out.getvalue()


def xlsx_set_cell(data: bytes, sheet: str, ref: str, *, number: str | None = None,
                  text: str | None = None) -> bytes:  # fmt: skip
    """The workbook with one cell replaced by a number (as written) or an inline string."""
    member = xlsx_sheet_member(data, sheet)
    if member is None:
        raise NotApplicable(f"sheet {sheet!r} not found in the workbook's parts")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        xml = zf.read(member).decode("utf-8")
    pat = re.compile(r'<c\b(?=[^>]*\br="' + ref + r'")([^>]*?)(/>|>(.*?)</c>)', re.S)
    m = pat.search(xml)
    if m is None:
        raise NotApplicable(f"cell {ref} not in the sheet XML")
    attrs = dict(_ATTR.findall(m.group(1)))
    style = f' s="{attrs["s"]}"' if "s" in attrs else ""
    if number is not None:
        new = f'<c r="{ref}"{style}><v>{number}</v></c>'
    else:
        new = (f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">'
               f"{html.escape(text or '', quote=False)}</t></is></c>")  # fmt: skip
    xml = xml[: m.start()] + new + xml[m.end() :]
    return rezip(data, {member: xml.encode("utf-8")})


def xls_patch_number(data: bytes, row: int, col: str, value: float) -> bytes:
    """Overwrite a BIFF8 NUMBER record's double (the cell must be stored as one)."""
    pat = b"\x03\x02\x0e\x00" + struct.pack("<HH", row - 1, col_index(col))
    i = data.find(pat)
    if i < 0 or data.find(pat, i + 1) >= 0:
        raise NotApplicable("cell not stored as one NUMBER record")
    return data[: i + 10] + struct.pack("<d", value) + data[i + 18 :]


def xls_patch_string(data: bytes, old: str, new: str) -> bytes:
    """Same-length replacement of a shared string (8-bit or UTF-16), every occurrence."""
    if len(new) != len(old):
        raise NotApplicable("replacement must keep the string's length")
    for flag, enc in ((0, "latin-1"), (1, "utf-16-le")):
        try:
            a, b = old.encode(enc), new.encode(enc)
        except UnicodeEncodeError:
            continue
        head = struct.pack("<HB", len(old), flag)
        if head + a in data:
            return data.replace(head + a, head + b)
    raise NotApplicable(f"string {old!r} not found as a shared string")


# --- the worker: references and mutations -----------------------------------------------------


@dataclass
class Reference:
    path: Path  # the pristine copy (in the worker's temp folder)
    data: bytes
    facts: dict
    table: Any  # pyarrow table of the reference parse
    harmoniser: Any
    grids: dict = field(default_factory=dict)
    _countries: list | None = None

    def countries(self) -> list[str]:
        """ISO3 geos the file's facts mention (observations, members, attributes)."""
        if self._countries is None:
            geos: set[str] = set()
            for k in self.facts:
                if k[0] == "obs":
                    geos.update((k[2], k[3]))
                elif k[0] == "member":
                    geos.add(k[2])
                elif k[0] == "attr":
                    geos.add(k[1])
            self._countries = sorted(g for g in geos if g and re.fullmatch(r"[A-Z]{3}", g))
        return self._countries

    def grid(self, sheet: str) -> list[list]:
        if sheet not in self.grids:
            self.grids[sheet] = read_grid(self.path, sheet)
        return self.grids[sheet]

    def sample_rows(self, rng: random.Random, n: int = 400) -> list[dict]:
        total = self.table.num_rows
        if not total:
            return []
        idx = sorted(rng.sample(range(total), min(n, total)))
        rows = self.table.take(idx).to_pylist()
        rng.shuffle(rows)
        return rows


class Worker:
    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.refs: dict[str, Reference] = {}
        self.cache: dict[str, Any] = {}
        self.csv: tuple[Reference, CsvFile] | None = None

    def ref(self, file: str) -> Reference:
        if file not in self.refs:
            self.refs.clear()  # cases come grouped by file: keep one reference in memory
            d = self.tmp / "ref"
            shutil.rmtree(d, ignore_errors=True)
            d.mkdir()
            p = d / Path(file).name
            shutil.copyfile(file, p)
            parsed, h = parse_file(p)
            self.refs[file] = Reference(p, p.read_bytes(), facts_of(parsed, h), parsed.table, h)
        return self.refs[file]

    # -- one case -------------------------------------------------------------------------------
    def run(self, case: dict) -> Result:
        start = time.perf_counter()
        res = Result(case["id"], case["cls"], Path(case["file"]).name if case["file"] else "",
                     case["variant"], "n/a")  # fmt: skip
        d = Path(tempfile.mkdtemp(prefix="case-", dir=self.tmp))
        try:
            cls = case["cls"]
            if cls == "zip bombs":
                self.zip_case(case, d, res)
            elif cls == "file changing while read":
                self.changing_case(case, d, res)
            elif cls == "concurrent runs":
                self.concurrent_case(case, d, res)
            else:
                self.file_case(case, d, res)
        except NotApplicable as exc:
            res.label, res.detail = "n/a", str(exc)
        finally:
            shutil.rmtree(d, ignore_errors=True)
        res.seconds = time.perf_counter() - start
        return res

    def file_case(self, case: dict, d: Path, res: Result) -> None:
        ref = self.ref(case["file"])
        rng = random.Random(f"{case['seed']}|{case['id']}")
        data, exp, explainer = self.mutate(case, ref, rng)
        exp.names = ref.harmoniser.names
        raw = d / "raw"
        raw.mkdir()
        path = raw / Path(case["file"]).name
        path.write_bytes(data)
        explain = explainer(path) if explainer else None
        res.label, res.detail, res.kind, res.excused = judge(path, exp, explain=explain)
        res.incomplete = res.kind == "incomplete"
        if exp.note:
            res.note = exp.note
        if case.get("cli"):
            res.cli = cli_check(raw, path, d / "home", res.label)
            if res.cli != "ok":
                if "Traceback" in res.cli:
                    res.label = "traceback"
                elif res.label in SURVIVED:
                    res.label = "failed"
                res.detail = f"CLI: {res.cli}; in-process: {res.detail}"

    def workbook_explainer(self, ref: Reference):
        """For workbook byte flips: a difference is the file's own when the mutated workbook,
        read cell by cell with calamine, differs from the original exactly where the facts do
        (each differing observation's row, or a cell above it in its column, changed; names
        and other texts only if some text cell changed)."""

        def make(path: Path):
            def explain(d: Diff) -> str:
                sheets = sorted({k[9] for k in ref.facts if k[0] == "obs" and k[9]})
                rows, cols, text_changed, first = set(), {}, False, ""
                try:
                    for sheet in sheets:
                        a, b = ref.grid(sheet), read_grid(path, sheet)
                        for i in range(max(len(a), len(b))):
                            ra = a[i] if i < len(a) else []
                            rb = b[i] if i < len(b) else []
                            if ra == rb:
                                continue
                            for j in range(max(len(ra), len(rb))):
                                x = ra[j] if j < len(ra) else ""
                                y = rb[j] if j < len(rb) else ""
                                if x != y and not (x != x and y != y):
                                    if not rows:
                                        first = f"{sheet}!{col_letters(j)}{i + 1} {x!r} -> {y!r}"
                                    rows.add((sheet, i + 1))
                                    cols.setdefault((sheet, col_letters(j)), i + 1)
                                    cols[(sheet, col_letters(j))] = min(
                                        cols[(sheet, col_letters(j))], i + 1
                                    )
                                    text_changed |= isinstance(x, str) or isinstance(y, str)
                except BaseException:  # a calamine panic on the mutated file
                    return ""
                if not rows:
                    return ""
                for k in [*d.extra, *d.missing, *(c[0] for c in d.changed)]:
                    if k[0] == "obs":
                        top = cols.get((k[9], k[11]))
                        if (k[9], k[10]) not in rows and not (top and top < k[10]):
                            return ""
                    elif k[0] in ("name", "attr", "ind", "entry", "code", "member"):
                        if not text_changed:
                            return ""
                    elif not (k[0] == "meta" and k[1] in COUNT_KEYS):
                        return ""
                return (f"the flips changed {len(rows)} workbook rows (first: {first[:80]}) and "
                        f"the facts differ only there ({d.summary()[:120]})")  # fmt: skip

            return explain

        return make

    @staticmethod
    def derived_explainer(target: tuple, delta: float):
        """For a plausible replacement: rows derived from the changed cell (a total over sexes,
        a mean over quarters: same indicator, geo, partner and year) move with it, in the same
        direction and by at most the cell's own change."""

        def make(_path: Path):
            def explain(d: Diff) -> str:
                if d.extra or d.missing or not delta:
                    return ""
                for k, want, got in d.changed:
                    if k[0] != "obs" or k[1:5] != target[1:5] or not isinstance(got, float):
                        return ""
                    ratio = (got - want) / delta
                    if not 0 < ratio <= 1 + 1e-9:
                        return ""
                return f"{len(d.changed)} derived rows moved with the cell"

            return explain

        return make

    # -- the mutations --------------------------------------------------------------------------
    def mutate(self, case: dict, ref: Reference, rng: random.Random):
        cls, v, data = case["cls"], case["variant"], ref.data
        text = case["kind"] == "csv"
        same = Expected(ref.facts)
        if cls == "cut files":
            offsets = cut_offsets(data, text, case["per_file"], case["seed"], Path(case["file"]))
            if v not in offsets:
                raise NotApplicable("same offset as another cut, or not applicable")
            return data[: offsets[v]], same, None
        if cls == "corrupt bytes":
            return corrupt(data, v, text, rng), same, None if text else self.workbook_explainer(ref)
        if cls == "oversize fields":
            return oversize(data, v, rng), same, None
        if cls == "renamed names":
            return self.rename(case, ref, rng)
        if cls == "number replacements":
            return self.number(case, ref, rng)
        raise NotApplicable(f"unknown class {cls}")

    def rename(self, case: dict, ref: Reference, rng: random.Random):
        v = case["variant"]
        new = RENAMES[v]
        code = v.startswith("a code")
        h = ref.harmoniser
        countries = ref.countries()
        if not countries:
            raise NotApplicable("no country in the file's facts")
        if code:
            candidates = [(g, g) for g in countries]
        else:
            seen = {k[1]: val for k, val in ref.facts.items() if k[0] == "name"}
            candidates = sorted(seen.items())
            for g in countries:
                with contextlib.suppress(Exception):
                    candidates.append((h.name_of(g), g))
            candidates = [(n, g) for n, g in candidates if n and n != new]
        first = [c for c in candidates if c[1] == "MDA"] if v.startswith("Moldova") else []
        rest = [c for c in candidates if c not in first]
        rng.shuffle(rest)
        # another country than the one the new name starts like: a prefix or fuzzy match
        # would then move that country's rows, which the comparison sees
        last = {"a name -> Mali Lošinj": "MLI", "a name -> chad smith": "TCD"}.get(v)
        rest = [c for c in rest if c[1] != last] + [c for c in rest if c[1] == last]
        kind = case["kind"]
        for name, geo in (first + rest)[:60]:
            try:
                if kind == "csv":
                    data = csv_replace_text(ref.data, name, new, all_in_column=True)
                elif kind == "xlsx":
                    data = self.xlsx_rename(ref, name, new)
                else:
                    old = name
                    if len(new) > len(old):
                        continue
                    data = xls_patch_string(ref.data, old, new.ljust(len(old)))
            except NotApplicable:
                continue
            exp = Expected(ref.facts, must_refuse=True)
            res_note = f"{name!r} ({geo}) -> {new!r}"
            exp.note = res_note
            return data, exp, None
        raise NotApplicable("no cell holding a country " + ("code" if code else "name"))

    def xlsx_rename(self, ref: Reference, name: str, new: str) -> bytes:
        from migprofile.geo.harmonise import clean_name

        sheets = sorted({k[9] for k in ref.facts if k[0] == "obs" and k[9]})
        for sheet in sheets:
            grid = ref.grid(sheet)
            for i, row in enumerate(grid):
                for j, cell in enumerate(row):
                    if isinstance(cell, str) and (cell == name or clean_name(cell) == name):
                        return xlsx_set_cell(ref.data, sheet, f"{col_letters(j)}{i + 1}",
                                             text=new)  # fmt: skip
        raise NotApplicable(f"{name!r} not in a data sheet")

    def number(self, case: dict, ref: Reference, rng: random.Random):
        import pyarrow.compute as pc

        v = case["variant"]
        kind = case["kind"]
        rows = [r for r in ref.sample_rows(rng) if isinstance(r["value"], float)]
        if v.startswith("-5"):
            ok_inds = set()
            for ind in {r["indicator"] for r in rows if r["unit"] in PERSONS_UNITS}:
                t = ref.table.filter(pc.equal(ref.table.column("indicator"), ind))
                if (pc.min(t.column("value")).as_py() or 0) >= 0:
                    ok_inds.add(ind)
            rows = [r for r in rows if r["indicator"] in ok_inds]
        elif v.startswith("1e15"):
            rows = [r for r in rows if r["unit"] in PERSONS_UNITS]
        elif v.startswith("150"):
            rows = [r for r in rows if r["unit"] in BOUNDED_PCT_UNITS]
        elif v.startswith("x1.01"):
            rows = [r for r in rows if r["value"]]
        if not rows:
            raise NotApplicable("no cell of that kind")
        for r in rows[:40]:
            try:
                old_text, old_num, locate = self.locate(kind, ref, r)
            except NotApplicable:
                continue
            if not old_num:
                continue
            scale = r["value"] / old_num
            if scale <= 0 or abs(math.log10(scale) - round(math.log10(scale))) > 1e-9:
                continue
            new_text, new_value = replacement(v, old_num, r["unit"])
            if new_text is None:
                continue
            try:
                data = locate(new_text, new_value)
            except NotApplicable:
                continue
            key = ("obs", *(r[c] for c in ref.table.column_names if c != "value"))
            where = f"row {r['row']} col {r['col']}" + (f" sheet {r['sheet']}" if r["sheet"]
                                                          else "")  # fmt: skip
            note = f"{where}: {old_text} -> {new_text}"
            if v.startswith("x1.01"):
                exp = Expected(ref.facts, overrides={key: new_value * scale}, note=note)
                return data, exp, self.derived_explainer(key, new_value * scale - r["value"])
            return data, Expected(ref.facts, must_refuse=True, note=note), None
        raise NotApplicable("no replaceable cell found")

    def locate(self, kind: str, ref: Reference, r: dict):
        """(old text, old number, patch(new_text, new_value) -> bytes) for a reference row."""
        if kind == "csv":
            if r["sheet"]:
                raise NotApplicable("zip member")
            if self.csv is None or self.csv[0] is not ref:
                self.csv = (ref, CsvFile(ref.data))
            f = self.csv[1]
            j = f.header_index(r["col"], r["row"])
            cell = f.cell(r["row"], j) if j is not None else None
            if cell is None:
                raise NotApplicable("cell not located")
            s, e, _q, old = cell

            def patch_csv(new_text: str, _v: float) -> bytes:
                return replace_spans(ref.data, [(s, e, new_text.encode())])

            return old, _num(old), patch_csv
        grid = ref.grid(r["sheet"])
        old = grid_cell(grid, r["row"], r["col"])
        if kind == "xlsx":

            def patch_xlsx(new_text: str, _v: float) -> bytes:
                return xlsx_set_cell(ref.data, r["sheet"], f"{r['col']}{r['row']}",
                                     number=new_text)  # fmt: skip

            return str(old), _num(old), patch_xlsx

        def patch_xls(new_text: str, new_value: float) -> bytes:
            if new_text == "1e400":
                raise NotApplicable("1e400 is inf in a binary workbook (see the inf case)")
            return xls_patch_number(ref.data, r["row"], r["col"], new_value)

        return str(old), _num(old), patch_xls

    # -- class 5: zip bombs -----------------------------------------------------------------------
    def zip_case(self, case: dict, d: Path, res: Result) -> None:
        quick = case["params"].get("quick", False)
        path = d / ZIP_NAME
        make_zip(case["variant"], path, self.tmp, quick=quick)
        big = ZIP_QUICK_MIB if quick else ZIP_MIB
        res.note = f"zip of {path.stat().st_size / 1e6:.1f} MB, bomb member {big} MiB"
        child = run_child(["--parse-one", str(path)], timeout=CASE_TIMEOUT)
        res.rss_mb = child.get("rss_mb")
        label = child.get("label", "traceback")
        detail = child.get("detail", "")
        if label == "accepted":
            label, detail = "wrong data", f"zip accepted: {detail}"
        res.label, res.detail = label, detail
        if res.rss_mb is not None and res.rss_mb > RSS_LIMIT_MB and label in SURVIVED:
            res.label = "failed"
            res.detail = f"peak RSS {res.rss_mb:.0f} MB; {detail}"

    # -- class 7: the file changes while it is ingested --------------------------------------------
    def changing_case(self, case: dict, d: Path, res: Result) -> None:
        ref = self.ref(case["file"])
        if ref.path.suffix.lower() != ".csv":
            raise NotApplicable("CSV files only")
        a = ref.data
        b, keys = two_cells_changed(ref)
        sha_a, sha_b = hashlib.sha256(a).hexdigest(), hashlib.sha256(b).hexdigest()
        raw, home = d / "raw", d / "home"
        raw.mkdir()
        home.mkdir()
        path = raw / Path(case["file"]).name
        path.write_bytes(a)
        stop = threading.Event()
        writes = [0]
        mode = case["variant"]

        def rewrite() -> None:
            i = 0
            tmp = raw / f".{path.name}.tmp"
            while not stop.is_set():
                data = (b, a)[i % 2]
                i += 1
                try:
                    if mode == "replace":
                        tmp.write_bytes(data)
                        os.replace(tmp, path)
                    else:
                        with path.open("r+b" if mode == "in place" else "wb") as fh:
                            for k in range(0, len(data), 1 << 16):
                                fh.write(data[k : k + (1 << 16)])
                                fh.flush()
                except OSError:
                    pass
                writes[0] += 1
                time.sleep(0.002)

        t = threading.Thread(target=rewrite, daemon=True)
        t.start()
        try:
            out = run_child(["--ingest", str(raw), str(home)], timeout=CASE_TIMEOUT,
                            env={"MIGPROFILE_HOME": str(home)})  # fmt: skip
        finally:
            stop.set()
            t.join()
        res.note = f"{writes[0]} rewrites"
        status = out.get("status")
        if status == "refused":
            named = path.name in out.get("message", "")
            res.label = "refused" if named else "traceback"
            res.detail = out.get("message", "")[:300]
            return
        if status != "ok":
            res.label, res.detail = "traceback", out.get("message", "child failed")[:300]
            return
        stored = store_state(home / "s.duckdb", path.name, keys)
        if stored is None:
            res.label, res.detail = "skipped", "file not stored (not recognised at read time)"
            return
        sha, rows, values = stored
        va = [ref.facts[k] for k in keys]
        vb = [keys[k] for k in keys]
        if all(_same(x, y) for x, y in zip(values, va, strict=True)):
            version, want_sha = "original", sha_a
        elif all(_same(x, y) for x, y in zip(values, vb, strict=True)):
            version, want_sha = "changed", sha_b
        else:
            version, want_sha = "mixed", None
        n_ref = ref.facts[("meta", "rows")]
        problems = []
        if version == "mixed":
            problems.append(f"stored values {values} are neither version's ({va} / {vb})")
        elif sha != want_sha:
            other = "the other version" if sha in (sha_a, sha_b) else "neither version"
            problems.append(f"values of the {version} version stored with the sha256 of {other}")
        if rows != n_ref:
            problems.append(f"{rows} rows stored, the file has {n_ref}")
        if problems:
            res.label, res.detail = "wrong data", "; ".join(problems)
            res.incomplete = rows < n_ref and version != "mixed"
        else:
            res.label, res.detail = "read right", f"{version} version stored, sha256 matches"

    # -- class 8: two ingests at once -----------------------------------------------------------
    def concurrent_case(self, case: dict, d: Path, res: Result) -> None:
        files = [Path(p) for p in case["params"]["files"]]
        raw = d / "raw"
        raw.mkdir()
        for p in files:
            shutil.copyfile(p, raw / p.name)
        if "concurrent-ref" not in self.cache:
            home = d / "home-alone"
            done = run_cli(raw, home)
            self.cache["concurrent-ref"] = (done.returncode, counts(home / "migprofile.duckdb"))
        rc_alone, alone = self.cache["concurrent-ref"]
        if rc_alone != 0 or alone is None:
            raise NotApplicable("one ingest alone failed on these files")
        home = d / "home"
        procs = [start_cli(raw, home, d / f"log{i}", "--wait", "300") for i in range(2)]
        outs = []
        for proc, out, err in procs:
            try:
                proc.wait(timeout=CASE_TIMEOUT)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
                out.close()
                err.close()
            outs.append((proc.returncode, Path(out.name).read_text(errors="replace"),
                         Path(err.name).read_text(errors="replace")))  # fmt: skip
        both = counts(home / "migprofile.duckdb")
        res.note = f"alone {alone}"
        if any("Traceback" in o + e for _rc, o, e in outs):
            res.label = "traceback"
            res.detail = next(o + e for _rc, o, e in outs if "Traceback" in o + e)[-300:]
        elif both != alone:
            res.label = "wrong data"
            res.detail = (f"(vintages, files, observations) {both} after two ingests, "
                          f"{alone} after one")  # fmt: skip
        elif any(rc != 0 for rc, _o, _e in outs):
            res.label = "failed"
            res.detail = "; ".join(f"exit {rc}: {e.strip().splitlines()[-1] if e.strip() else ''}"
                                   for rc, _o, e in outs)  # fmt: skip
        else:
            res.label, res.detail = "read right", f"both exit 0, {both[2]} observations"


def cut_offsets(data: bytes, text: bool, per_file: int, seed: int, path: Path) -> dict[str, int]:
    """Where each cut variant cuts this file; a variant cutting where an earlier one does, or
    not applicable, is left out."""
    rng = random.Random(f"{seed}|cut|{path.name}")
    n = len(data)
    pts: dict[str, int] = {"1 byte before the end": n - 1}
    if text:
        if data.endswith(b"\r\n"):
            pts["just before the final newline"] = n - 2
        elif data.endswith(b"\n"):
            pts["just before the final newline"] = n - 1
        starts = [s for s, _e in line_spans(data)]
        if starts:
            pts["start of the last line"] = starts[-1]
        if len(starts) >= 10:
            pts["start of the 10th line from the end"] = starts[-10]
    pts["mid-file"] = n // 2
    pts["in the first 2 KB"] = rng.randrange(1, max(2, min(2048, n)))
    for i in range(per_file):
        pts[f"random cut {i + 1}"] = rng.randrange(1, max(2, n))
    out: dict[str, int] = {}
    for k, off in pts.items():
        if 0 < off < n and off not in out.values():
            out[k] = off
    return out


def corrupt(data: bytes, variant: str, text: bool, rng: random.Random) -> bytes:
    n = len(data)
    b = bytearray(data)
    if variant == "flip 4 bytes":
        for pos in rng.sample(range(n), min(4, n)):
            b[pos] ^= 0x80 if text else rng.randrange(1, 256)
        return bytes(b)
    if variant == "zero a 4 KB block":
        size = min(4096, max(1, n // 2))
        start = rng.randrange(0, max(1, n - size))
        b[start : start + size] = bytes(size)
        return bytes(b)
    if variant == "insert NUL bytes":
        pos = rng.randrange(1, max(2, n))
        return data[:pos] + bytes(rng.randint(1, 16)) + data[pos:]
    if variant == "invalid UTF-8":
        pos = rng.randrange(1, max(2, n))
        bad = rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\xe2\x82", b"\x80"])
        return data[:pos] + bad + data[pos:]
    raise NotApplicable(variant)


def oversize(data: bytes, variant: str, rng: random.Random) -> bytes:
    f = CsvFile(data)
    n = len(f.lines)
    if n < 3:
        raise NotApplicable("too few lines")
    for _ in range(50):
        k = rng.randrange(max(2, n // 10), n + 1)
        spans = f.fields(k)
        if not spans or len(spans) < 2:
            continue
        j = rng.randrange(len(spans))
        s, e, q, _old = f.cell(k, j)
        if variant.startswith("200,000"):
            new = b"A" * 200_000
            return replace_spans(data, [(s, e, new)])
        body = (b"lorem, ipsum\n" * 12_000)[:150_000]
        if q:
            return replace_spans(data, [(s, e, body)])
        return replace_spans(data, [(s, e, b'"' + body + b'"')])
    raise NotApplicable("no data line with fields")


def csv_replace_text(data: bytes, old: str, new: str, *, all_in_column: bool) -> bytes:
    """Replace the cells equal to `old` (after footnote cleaning) in one column."""
    from migprofile.geo.harmonise import clean_name

    needle = old.encode("utf-8")
    if needle not in data:
        raise NotApplicable(f"no cell {old!r}")
    f = CsvFile(data)
    target = None
    edits = []
    first = data.find(needle)
    for k in range(1, len(f.lines) + 1):
        if f.lines[k - 1][1] < first:
            continue
        s, e = f.lines[k - 1]
        if needle not in data[s:e]:
            continue
        spans = f.fields(k)
        if not spans:
            continue
        line = f.line(k)
        for j, span in enumerate(spans):
            if target is not None and j != target:
                continue
            cell = _decode_field(line, span).strip()
            if cell == old or clean_name(cell) == old:
                target = j
                base = f.line_start(k)
                edits.append((base + span[0], base + span[1], new.encode("utf-8")))
                break
        if edits and not all_in_column:
            break
    if not edits:
        raise NotApplicable(f"no cell {old!r}")
    return replace_spans(data, edits)


def replacement(variant: str, old: float, unit: str) -> tuple[str | None, float | None]:
    if variant == "inf":
        return "inf", math.inf
    if variant == "1e400":
        return "1e400", math.inf
    if variant == "nan":
        return "nan", math.nan
    if variant.startswith("-5"):
        return "-5", -5.0
    if variant.startswith("1e15"):
        return "1e15", 1e15
    if variant.startswith("150"):
        return "150", 150.0
    new = old * 1.01
    if unit in PERSONS_UNITS and float(old).is_integer():
        new = float(round(new))
        if new == old:
            new = old + 1
        return str(int(new)), new
    text = repr(new)
    return text, float(text)


def two_cells_changed(ref: Reference) -> tuple[bytes, dict]:
    """The file with two values (an early and a late row) changed in their first significant
    digit (same length, so that an in-place rewrite can tear a read); {key: new value}."""
    rows = sorted((r for r in ref.table.to_pylist()  # a row of its own, not a derived one
                   if isinstance(r["value"], float) and not r["note"]),
                  key=lambda r: r["row"])  # fmt: skip
    f = CsvFile(ref.data)
    edits, keys = [], {}
    for pool in (rows[: len(rows) // 4 or 1], rows[::-1][: len(rows) // 4 or 1]):
        for r in pool[:200]:
            j = f.header_index(r["col"], r["row"])
            cell = f.cell(r["row"], j) if j is not None else None
            digits = "12345678"
            pos = next((i for i, ch in enumerate(cell[3]) if ch in digits), None) if cell else None
            if pos is None:
                continue
            s, e, _q, old = cell
            new = old[:pos] + str(int(old[pos]) + 1) + old[pos + 1 :]  # same length, 10%+ off
            old_n, new_n = _num(old), _num(new)
            if not old_n or new_n is None:
                continue
            key = ("obs", *(r[c] for c in ref.table.column_names if c != "value"))
            edits.append((s, e, new.encode()))
            keys[key] = new_n * r["value"] / old_n
            break
    if len(edits) < 2:
        raise NotApplicable("two changeable cells not found")
    return replace_spans(ref.data, edits), keys


def store_state(db: Path, file_name: str, keys: dict):
    """(sha256, rows, [value of each key]) of the file's vintage in the store, or None."""
    from migprofile.store import Store

    if not db.exists():
        return None
    store = Store.open(db, read_only=True)
    try:
        vint = store.query(
            "SELECT vintage_id, sha256, rows FROM vintages WHERE file_name = ?", [file_name]
        ).to_pylist()
        if not vint:
            return None
        vid = vint[-1]["vintage_id"]
        values = []
        for key in keys:
            _o, ind, geo, partner, year, period, sex, age = key[:8]
            got = store.query(
                "SELECT value FROM observations WHERE vintage_id = ? AND indicator = ? AND "
                "geo = ? AND partner = ? AND year = ? AND period = ? AND sex = ? AND age = ?",
                [vid, ind, geo, partner, year, period, sex, age],
            ).to_pylist()
            values.append(got[0]["value"] if got else None)
        n = store.query(
            "SELECT count(*) AS n FROM observations WHERE vintage_id = ?", [vid]
        ).to_pylist()[0]["n"]
        return vint[-1]["sha256"], n, values
    finally:
        store.close()


def counts(db: Path) -> tuple[int, int, int] | None:
    """(vintages, distinct sha256, observations) of a store."""
    from migprofile.store import Store

    if not db.exists():
        return None
    store = Store.open(db, read_only=True)
    try:
        row = store.query(
            "SELECT (SELECT count(*) FROM vintages) AS v, "
            "(SELECT count(DISTINCT sha256) FROM vintages) AS f, "
            "(SELECT count(*) FROM observations) AS o"
        ).to_pylist()[0]
        return row["v"], row["f"], row["o"]
    finally:
        store.close()


# --- zip bombs --------------------------------------------------------------------------------

_WDI_HEAD = (
    b'"Data Source","World Development Indicators",\r\n\r\n'
    b'"Last Updated Date","2024-01-01",\r\n\r\n'
    b'"Country Name","Country Code","Indicator Name","Indicator Code","2020",\r\n'
)


def _bomb_member(zf: zipfile.ZipFile, name: str, size: int) -> None:
    chunk = b'"0",' * (1 << 18)  # 1 MB
    info = zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w") as fh:
        fh.write(_WDI_HEAD)
        written = len(_WDI_HEAD)
        while written < size:
            part = chunk[: size - written]
            fh.write(part)
            written += len(part)


def _patch_declared_size(data: bytes, name: str, declared: int) -> bytes:
    """Rewrite a member's uncompressed size in its local header and central directory."""
    b = bytearray(data)
    zf = zipfile.ZipFile(io.BytesIO(data))
    info = zf.getinfo(name)
    lh = info.header_offset
    struct.pack_into("<I", b, lh + 22, declared)
    enc = name.encode()
    cd = 0
    while True:
        cd = data.find(b"PK\x01\x02", cd)
        if cd < 0:
            raise RuntimeError("central directory entry not found")
        n = struct.unpack_from("<H", data, cd + 28)[0]
        if data[cd + 46 : cd + 46 + n] == enc:
            break
        cd += 4
    struct.pack_into("<I", b, cd + 24, declared)
    return bytes(b)


def make_zip(variant: str, path: Path, cache: Path, *, quick: bool) -> None:
    big = (ZIP_QUICK_MIB if quick else ZIP_MIB) * 1024 * 1024
    member = ZIP_NAME.replace(".zip", ".csv")
    bomb = cache / f"bomb-{big}.zip"
    if variant in ZIPS[:3] + ZIPS[4:5] and not bomb.exists():
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            _bomb_member(zf, member, big)
    if variant == "1.2 GB member":
        shutil.copyfile(bomb, path)
    elif variant == "declared size lies (small)":
        path.write_bytes(_patch_declared_size(bomb.read_bytes(), member, 50_000))
    elif variant == "declared size lies (ratio 199:1)":
        data = bomb.read_bytes()
        csize = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).compress_size
        path.write_bytes(_patch_declared_size(data, member, csize * 199))
    elif variant == "10,000 members":
        rng = random.Random(7)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for i in range(10_000):
                body = (
                    _WDI_HEAD
                    + f'"Aruba","ABW","x","SP.POP.TOTL","{rng.randrange(10**6)}",\r\n'.encode()
                )
                zf.writestr(f"API_SP.POP.TOTL_DS2_en_csv_v2_{i}.csv", body)
    elif variant == "nested zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
            zf.write(bomb, ZIP_NAME)
    elif variant == "bomb as second member":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(member, _WDI_HEAD + b'"Aruba","ABW","x","SP.POP.TOTL","106537",\r\n')
            _bomb_member(zf, "Metadata_Country_" + member, big)
    else:
        raise NotApplicable(variant)


# --- the CLI ----------------------------------------------------------------------------------

_PROGRESS = re.compile(r"^\s*(recognise|parse|store|download)\s.*(━|\d+/\d+)")


def _cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MIGPROFILE_")}
    env["MIGPROFILE_HOME"] = str(home)
    env.setdefault("COLUMNS", "100")
    return env


def run_cli(raw: Path, home: Path, *extra: str) -> subprocess.CompletedProcess:
    home.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(raw),
           "--offline", *extra]  # fmt: skip
    return subprocess.run(cmd, capture_output=True, text=True, env=_cli_env(home),
                          timeout=CASE_TIMEOUT, check=False, cwd=str(home))  # fmt: skip


def start_cli(raw: Path, home: Path, log: Path, *extra: str):
    home.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "migprofile.cli", "ingest", "--raw-dir", str(raw),
           "--offline", *extra]  # fmt: skip
    out = log.with_suffix(".out").open("w", encoding="utf-8")
    err = log.with_suffix(".err").open("w", encoding="utf-8")
    proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=_cli_env(home), cwd=str(home))
    return proc, out, err


def cli_check(raw: Path, path: Path, home: Path, label: str) -> str:
    """ "ok", or what is wrong with the CLI's handling of this file."""
    try:
        done = run_cli(raw, home)
    except subprocess.TimeoutExpired:
        return "timed out"
    both = done.stdout + done.stderr
    if "Traceback" in both:
        tail = [ln for ln in both.splitlines() if ln.strip()][-1:]
        return f"Traceback in the output ({tail[0][:150] if tail else ''})"
    lines = [ln for ln in done.stderr.splitlines() if ln.strip() and not _PROGRESS.match(ln)]
    if label == "refused":
        if done.returncode == 0:
            return "exit 0 for a file the parser refuses"
        if len(lines) != 1:
            return f"{len(lines)} lines on stderr, not one: {' | '.join(lines)[:200]}"
        if path.name not in lines[0]:
            return f"error line does not name the file: {lines[0][:200]}"
        return "ok"
    if label == "traceback":  # already a failure in-process; the CLI showed no traceback
        return "ok"
    if done.returncode != 0:
        return f"exit {done.returncode} for a file the parser accepts: {' | '.join(lines)[:200]}"
    return "ok"


# --- child processes --------------------------------------------------------------------------


def run_child(args: list[str], *, timeout: float, env: dict | None = None) -> dict:
    full_env = dict(os.environ)
    full_env.update(env or {})
    try:
        done = subprocess.run([sys.executable, str(Path(__file__).resolve()), *args],
                              capture_output=True, text=True, timeout=timeout, env=full_env,
                              check=False)  # fmt: skip
    except subprocess.TimeoutExpired:
        return {"label": "traceback", "status": "traceback",
                "message": f"timed out after {timeout:.0f} s", "detail": "timed out"}  # fmt: skip
    last = [ln for ln in done.stdout.splitlines() if ln.startswith("{")]
    if last:
        return json.loads(last[-1])
    tail = (done.stderr.strip().splitlines() or [f"exit {done.returncode}"])[-1]
    return {"label": "traceback", "status": "traceback", "detail": f"child died: {tail[:200]}",
            "message": f"child died (exit {done.returncode}): {tail[:200]}"}  # fmt: skip


def _rss_mb() -> float:
    """This process's peak RSS since it started: VmHWM, which exec resets (ru_maxrss keeps
    the forking parent's peak across exec, so a child of a large process would report it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_parse_one(path: Path) -> dict:
    from migprofile.errors import MigprofileError

    try:
        got = parse_file(path)
    except MigprofileError as exc:
        named = path.name in str(exc)
        return {"label": "refused" if named else "traceback",
                "detail": str(exc).splitlines()[0][:300], "rss_mb": _rss_mb()}  # fmt: skip
    except BaseException as exc:
        return {"label": "traceback", "detail": f"{type(exc).__name__}: {str(exc)[:200]}",
                "rss_mb": _rss_mb()}  # fmt: skip
    if got is None:
        return {"label": "skipped", "detail": "not recognised", "rss_mb": _rss_mb()}
    return {"label": "accepted", "detail": f"{got[0].table.num_rows} rows", "rss_mb": _rss_mb()}


def child_ingest(raw: Path, home: Path) -> dict:
    from migprofile.errors import MigprofileError
    from migprofile.ingest import ingest

    try:
        rep = ingest(raw_dir=raw, offline=True, db=home / "s.duckdb")
    except MigprofileError as exc:
        return {"status": "refused", "message": str(exc)}
    except BaseException as exc:
        return {"status": "traceback", "message": f"{type(exc).__name__}: {exc}"[:300]}
    return {"status": "ok", "ingested": len(rep.ingested), "skipped": len(rep.skipped)}


def worker_main(tmp_root: str | None = None) -> None:
    """Read cases (JSON lines) on stdin; write START/DONE lines on the original stdout."""
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything the library prints goes to stderr
    cases = [json.loads(ln) for ln in sys.stdin if ln.strip()]
    tmp = Path(tempfile.mkdtemp(prefix="migprof-rel-w-", dir=tmp_root))
    w = Worker(tmp)
    try:
        for case in cases:
            proto.write("START " + case["id"] + "\n")
            try:
                res = w.run(case)
            except BaseException as exc:
                why = f"generator error {type(exc).__name__}: {exc}"[:300]
                res = Result(case["id"], case["cls"], Path(case["file"]).name, case["variant"],
                             "traceback", why)  # fmt: skip
            proto.write("DONE " + json.dumps(res.as_dict()) + "\n")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- running many cases -----------------------------------------------------------------------


def _cost(case: dict) -> float:
    size = Path(case["file"]).stat().st_size / 1e6 if case["file"] else 0.0
    c = 0.15 + 0.35 * size
    if case["cls"] == "zip bombs":
        c = 12
    elif case["cls"] == "file changing while read":
        c = 4
    elif case["cls"] == "concurrent runs":
        c = 7
    return c + (3 if case.get("cli") else 0)


def run_cases(cases: list[dict], *, jobs: int = 2, progress=None) -> list[Result]:
    """Every case, in `jobs` worker processes (whole groups per worker); a case that crashes or
    hangs its worker is a traceback, and the worker is started again on the rest."""
    groups: dict[str, list[dict]] = {}
    for c in cases:
        groups.setdefault(c["group"], []).append(c)
    queues: list[list[dict]] = [[] for _ in range(max(1, jobs))]
    load = [0.0] * len(queues)
    for g in sorted(groups.values(), key=lambda g: -sum(_cost(c) for c in g)):
        i = load.index(min(load))
        queues[i] += g
        load[i] += sum(_cost(c) for c in g)
    results: list[Result] = []
    lock = threading.Lock()

    def drive(todo: list[dict]) -> None:
        while todo:
            proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--worker"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, text=True, bufsize=1)  # fmt: skip
            lines: queue.Queue = queue.Queue()

            def reader(p=proc, q=lines) -> None:
                for ln in p.stdout:
                    q.put(ln)
                q.put(None)

            threading.Thread(target=reader, daemon=True).start()
            with contextlib.suppress(BrokenPipeError):
                proc.stdin.write("".join(json.dumps(c) + "\n" for c in todo))
                proc.stdin.close()
            by_id = {c["id"]: c for c in todo}
            current = None
            finished: set[str] = set()
            broken = None
            while True:
                try:
                    ln = lines.get(timeout=CASE_TIMEOUT + 60)
                except queue.Empty:
                    broken = f"hang: no answer in {CASE_TIMEOUT + 60:.0f} s"
                    proc.kill()
                    break
                if ln is None:
                    if current is not None:
                        broken = f"worker died (exit {proc.wait()})"
                    break
                if ln.startswith("START "):
                    current = ln[6:].strip()
                elif ln.startswith("DONE "):
                    r = Result(**json.loads(ln[5:]))
                    finished.add(r.id)
                    current = None
                    with lock:
                        results.append(r)
                        if progress:
                            progress(r, len(results), len(cases))
            proc.wait()
            if broken and current is not None:
                c = by_id[current]
                r = Result(c["id"], c["cls"], Path(c["file"]).name if c["file"] else "",
                           c["variant"], "traceback", broken)  # fmt: skip
                finished.add(c["id"])
                with lock:
                    results.append(r)
            todo = [c for c in todo if c["id"] not in finished]
            if not broken:
                break

    threads = [threading.Thread(target=drive, args=(q,)) for q in queues if q]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    order = {c["id"]: i for i, c in enumerate(cases)}
    return sorted(results, key=lambda r: order.get(r.id, 0))


# --- the table --------------------------------------------------------------------------------


def summarise(results: list[Result]) -> list[tuple]:
    rows = []
    for cls in CLASSES:
        mine = [r for r in results if r.cls == cls]
        tried = [r for r in mine if r.label != "n/a"]
        n = Counter(r.label for r in tried)
        notes = []
        for label in ("refused", "read right", "skipped"):
            if n[label]:
                notes.append(f"{n[label]} {label}")
        kinds = Counter(r.kind for r in tried if r.label == "wrong data")
        if kinds["names"]:
            notes.append(f"{kinds['names']} wrong names/attributes only")
        exc = sum(r.excused for r in tried)
        if exc:
            notes.append(f"{exc} read as the mutated file says")
        if n["failed"]:
            notes.append(f"{n['failed']} other failures")
        cli = [r for r in tried if r.cli is not None]
        if cli:
            bad = sum(r.cli != "ok" for r in cli)
            notes.append(f"CLI {len(cli)} checked" + (f", {bad} bad" if bad else ""))
        rss = [r.rss_mb for r in tried if r.rss_mb is not None]
        if rss:
            notes.append(f"peak RSS max {max(rss):.0f} MB")
        na = len(mine) - len(tried)
        if na:
            notes.append(f"{na} n/a")
        survived = sum(n[k] for k in SURVIVED)
        # A file cut exactly at a line break of a layout with no end marker: every stored
        # value is the file's, rows are missing. Shown apart from wrong data (a stored value
        # or name the file does not have), never hidden.
        incomplete = kinds["incomplete"] if cls == "cut files" else 0
        if kinds["incomplete"] and not incomplete:
            notes.append(f"{kinds['incomplete']} with rows missing")
        rows.append((cls, len(tried), survived, n["wrong data"] - incomplete, incomplete,
                     n["traceback"], "; ".join(notes)))  # fmt: skip
    return rows


def format_table(rows: list[tuple]) -> str:
    head = ("class", "cases tried", "survived", "wrong data", "incomplete accepted",
            "tracebacks", "notes")  # fmt: skip
    total = ("TOTAL", *(sum(r[i] for r in rows) for i in range(1, 6)), "")
    body = [head, *rows, total]
    widths = [max(len(str(r[i])) for r in body) for i in range(len(head) - 1)]
    lines = []
    for k, r in enumerate(body):
        cells = [str(v).rjust(w) if i else str(v).ljust(w)
                 for i, (v, w) in enumerate(zip(r[:-1], widths, strict=True))]  # fmt: skip
        lines.append("  ".join([*cells, str(r[-1])]).rstrip())
        if k == 0 or k == len(body) - 2:
            lines.append("  ".join("-" * w for w in widths) + "  -----")
    return "\n".join(lines)


def failures(results: list[Result]) -> list[Result]:
    return [r for r in results if r.label not in SURVIVED and r.label != "n/a"]


def failure_lines(bad: list[Result], limit: int = 60) -> list[str]:
    """The failing cases grouped by class: file | mutation | outcome | what happened."""
    lines: list[str] = []
    for cls in CLASSES:
        mine = [r for r in bad if r.cls == cls]
        if not mine:
            continue
        lines.append(f"  {cls} ({len(mine)}):")
        for r in sorted(mine, key=lambda r: (r.label, r.kind, r.file, r.variant)):
            outcome = r.label + (f" [{r.kind}]" if r.kind else "")
            what = r.detail + (f" [{r.note}]" if r.note else "")
            lines.append(f"    {r.file or '-'} | {r.variant} | {outcome} | {what[:260]}")
    if len(lines) > limit:
        lines = [*lines[:limit], f"  ... {len(lines) - limit} more lines (--show N)"]
    return lines


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    if sys.argv[1:2] == ["--worker"]:
        worker_main()
    elif sys.argv[1:2] == ["--parse-one"]:
        print(json.dumps(child_parse_one(Path(sys.argv[2]))))
    elif sys.argv[1:2] == ["--ingest"]:
        print(json.dumps(child_ingest(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        sys.exit("usage: _reliability_cases.py --worker | --parse-one PATH | --ingest RAW HOME")
