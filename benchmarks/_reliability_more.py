"""The issue-11 classes beyond single faulty files, generated from the real files too:

* **CSV injection**: every country name of the UNSD M49 file, prefixed the ways a spreadsheet
  formula starts (`= + - @`, tab, CR, LF, after spaces, full-width `＝`) or holding a quote,
  comma, CR or LF, through the one CSV writer (`wording.csvout`). Survived: read back with the
  csv module, the cell is the text (with `'` in front where a spreadsheet would evaluate it),
  and every record ends with CRLF. Wrong data: a cell a spreadsheet would evaluate, or a cell
  that does not read back.
* **news CPU**: one item naming the real country names 2,000 / 4,000 / 8,000 times (sentences
  and one run-on sentence), and a 1.6 MB HTML page of them. Survived: tagging and figure
  extraction stay linear, under 250 µs per mention (8,000 mentions in under 2 s). (A timing,
  so in the benchmark, not in the tests.)
* **one bad file in a folder**: the whole of ../shared/data with one file cut in half. Survived:
  `ingest` stores every other file, names the broken one (IngestFailed), and a second run
  after the file is mended stores only it.

Each returns (class, tried, survived, wrong data, incomplete, tracebacks, notes).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import time
import traceback
from pathlib import Path

Row = tuple[str, int, int, int, int, int, str]
PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "  =", " +", "\uff1d", "=cmd|' /C calc'!A0 ")
INSIDE = ('say "hi"', "a,b", "line\r\nbreak", "cr\ronly")


def _names(data: Path) -> list[str]:
    path = data / "m49" / "UNSD_M49_overview_en.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [r["Country or Area"] for r in csv.DictReader(fh) if r.get("Country or Area")]


def csv_injection(data: Path, limit: int = 400) -> Row:
    from migprofile.wording import csvout

    names = _names(data)
    cases = [p + n for n in names for p in PREFIXES] + [n + " " + t for n in names for t in INSIDE]
    cases = cases[:: max(1, len(cases) // limit)][:limit]
    tried = survived = wrong = crashed = 0
    bad: list[str] = []
    for text in cases:
        tried += 1
        try:
            out = csvout.text(["name", "value"], [{"name": text, "value": 1.5}])
            records = list(csv.reader(io.StringIO(out, newline="")))
            cell = records[1][0]
            ends = out.endswith("\r\n") and out.count("\r\n") >= 2
            starts = cell.lstrip(" ")[:1]
            evaluates = starts in ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d")
            expected = ("'" + text) if text.lstrip(" ")[:1] in "=+-@\t\r\n\uff1d" else text
            if evaluates or cell != expected or not ends or len(records) != 2:
                wrong += 1
                bad.append(repr(text)[:40])
            else:
                survived += 1
        except Exception:
            crashed += 1
            bad.append(traceback.format_exc().splitlines()[-1][:60])
    note = f"{len(names)} real names x {len(PREFIXES) + len(INSIDE)} forms, sampled"
    if bad:
        note += "; e.g. " + ", ".join(bad[:3])
    return ("CSV injection", tried, survived, wrong, 0, crashed, note)


def news_cpu(data: Path) -> Row:
    from migprofile.news.figures import extract_figures
    from migprofile.news.tagging import Tagger

    names = _names(data)
    tagger = Tagger.default()
    tried = survived = crashed = 0
    slowest = 0.0
    notes = []
    texts = []
    for n in (2000, 4000, 8000):
        for run_on in (False, True):
            parts = []
            for i in range(0, n, 4):
                a, b, c, d = (names[(i + k) % len(names)] for k in range(4))
                fig = f" {1000 + i} migrants arrived in 2023" if i % 400 == 0 else ""
                parts.append(f"Migrants from {a}, {b} and {c} travelled to {d}{fig}")
            sep = ", " if run_on else ". "
            texts.append((f"{n:,} mentions{' run-on' if run_on else ''}", sep.join(parts)))
    page = "".join(f"<p>{t}</p>" for _, t in texts[:2])
    html = "<html><body>" + page * (1_600_000 // len(page) + 1) + "</body></html>"
    texts.append((f"{len(html) / 1e6:.1f} MB HTML", html))
    for label, text in texts:
        tried += 1
        try:
            t = time.perf_counter()
            mentions = len(tagger.geo_mentions(text))
            extract_figures(text)
            dt = time.perf_counter() - t
            per = dt / max(mentions, 1) * 1e6
            slowest = max(slowest, per)
            if per < 250:
                survived += 1
            else:
                notes.append(f"{label}: {dt:.1f} s for {mentions:,} mentions")
        except Exception:
            crashed += 1
            notes.append(f"{label}: {traceback.format_exc().splitlines()[-1][:60]}")
    notes.insert(0, f"slowest {slowest:.0f} µs per mention (limit 250)")
    return ("news CPU", tried, survived, 0, 0, crashed, "; ".join(notes))


def bad_file_in_folder(data: Path, cases: int = 1) -> Row:
    """The real folder with one file cut in half, ingested in process."""
    import migprofile.config  # noqa: F401  (MIGPROFILE_HOME is read per call)
    from migprofile.errors import MigprofileError
    from migprofile.ingest import IngestFailed, ingest

    victims = sorted((data / "worldbank_wdi_csv").glob("API_*.csv"))[:cases]
    tried = survived = wrong = crashed = 0
    notes = []
    for victim in victims:
        tried += 1
        with tempfile.TemporaryDirectory(prefix="reliability-folder-") as tmp:
            raw, home = Path(tmp) / "raw", Path(tmp) / "home"
            for f in data.rglob("*"):
                if f.is_file():
                    target = raw / f.relative_to(data)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if f == victim:
                        target.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
                    else:
                        target.symlink_to(f)
            old = os.environ.get("MIGPROFILE_HOME")
            os.environ["MIGPROFILE_HOME"] = str(home)
            try:
                try:
                    ingest(raw_dir=raw, offline=True)
                    wrong += 1
                    notes.append(f"{victim.name}: cut file accepted")
                    continue
                except IngestFailed as exc:
                    report = exc.report
                    named = victim.name in str(exc)
                    others = len(report.ingested)
                (raw / victim.relative_to(data)).unlink()
                (raw / victim.relative_to(data)).symlink_to(victim)
                again = ingest(raw_dir=raw, offline=True)
                only_it = [Path(p[0]).name for p in again.ingested] == [victim.name]
                if named and only_it and others > 20:
                    survived += 1
                    notes.append(f"{others} others stored, then only {victim.name}")
                else:
                    wrong += 1
                    notes.append(f"{victim.name}: named={named} others={others} only={only_it}")
            except MigprofileError as exc:
                wrong += 1
                notes.append(f"{victim.name}: {str(exc)[:60]}")
            except Exception:
                crashed += 1
                notes.append(traceback.format_exc().splitlines()[-1][:60])
            finally:
                if old is None:
                    os.environ.pop("MIGPROFILE_HOME", None)
                else:
                    os.environ["MIGPROFILE_HOME"] = old
    return ("one bad file in a folder", tried, survived, wrong, 0, crashed, "; ".join(notes))


def all_rows(data: Path) -> list[Row]:
    return [csv_injection(data), news_cpu(data), bad_file_in_folder(data)]
