"""Smoke test of benchmarks/_reliability_cases.py (issue 11's generated faulty files).

Tiny fixture files built here (never the real publisher files): a few cases of each class are
generated and judged, and the classifier is checked on outcomes made up on purpose (a parse
that changes a value is wrong data, a refusal naming the file survives...).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import fixtures as fx
from migprofile.errors import MigprofileError, ParseError

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import _reliability_cases as rc

WDI_CSV = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_0000001.csv"
KNOWN = {"read right", "refused", "skipped", "wrong data", "traceback", "failed", "n/a"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> list[dict]:
    raw = tmp_path_factory.mktemp("tiny-raw")
    fx.tiny_wdi_bulk_csv(raw / WDI_CSV)
    fx.wdi_long_csv(raw)
    fx.wdi_bulk_xls(raw)
    fx.undesa_destination_2020(raw)
    files = rc.discover(raw)
    assert {f["kind"] for f in files} == {"csv", "xls", "xlsx"}
    return files


@pytest.fixture
def worker(tmp_path) -> rc.Worker:
    return rc.Worker(tmp_path)


def test_every_class_generates_cases(tiny):
    cases = rc.build_cases(tiny, seed=3, quick=True)
    assert {c["cls"] for c in cases} == set(rc.CLASSES)
    assert len({c["id"] for c in cases}) == len(cases)
    assert all(c["file"] in {f["path"] for f in tiny} for c in cases if c["file"])


@pytest.mark.parametrize(
    "cls", ["cut files", "corrupt bytes", "renamed names", "number replacements", "oversize fields"]
)
def test_file_cases_are_judged(tiny, worker, cls):
    cases = [c for c in rc.build_cases(tiny, seed=1, quick=True, cli=False) if c["cls"] == cls]
    results = [worker.run(c) for c in cases[:8]]
    assert {r.label for r in results} <= KNOWN
    assert [r for r in results if r.label != "n/a"], [r.detail for r in results]


def test_zip_bomb_refused_in_a_child_process(tiny, worker, monkeypatch):
    monkeypatch.setattr(rc, "ZIP_QUICK_MIB", 8)
    cases = [c for c in rc.build_cases(tiny, quick=True) if c["cls"] == "zip bombs"]
    by_variant = {c["variant"]: c for c in cases}
    for variant in ("1.2 GB member", "nested zip"):
        r = worker.run(by_variant[variant])
        assert r.label in ("refused", "skipped"), r.detail
        assert r.rss_mb and r.rss_mb < rc.RSS_LIMIT_MB


def test_file_changing_while_ingested(tiny, worker):
    case = next(c for c in rc.build_cases(tiny, quick=True) if c["cls"].startswith("file chang"))
    r = worker.run(case)
    assert r.label in KNOWN - {"n/a"}, r.detail


# --- the classifier ------------------------------------------------------------------------------


@pytest.fixture
def ref(tiny, worker) -> rc.Reference:
    return worker.ref(next(f["path"] for f in tiny if f["path"].endswith(WDI_CSV)))


def _obs_key(facts: dict) -> tuple:
    return next(k for k, v in facts.items() if k[0] == "obs" and isinstance(v, float))


def test_a_changed_value_is_wrong_data(ref):
    facts = dict(ref.facts)
    key = _obs_key(facts)
    facts[key] *= 1.5
    label, detail, kind, _ = rc.judge(ref.path, rc.Expected(ref.facts), attempt=lambda: facts)
    assert (label, kind) == ("wrong data", "rows")
    assert "1 changed" in detail


def test_rows_missing_are_wrong_data_counted_as_incomplete(ref):
    facts = dict(ref.facts)
    del facts[_obs_key(facts)]
    facts[("meta", "rows")] -= 1
    label, _d, kind, _ = rc.judge(ref.path, rc.Expected(ref.facts), attempt=lambda: facts)
    assert (label, kind) == ("wrong data", "incomplete")


def test_the_same_facts_are_read_right(ref):
    label, *_ = rc.judge(ref.path, rc.Expected(ref.facts), attempt=lambda: dict(ref.facts))
    assert label == "read right"


def test_a_plausible_replacement_must_be_read_as_the_new_value(ref):
    key = _obs_key(ref.facts)
    exp = rc.Expected(ref.facts, overrides={key: ref.facts[key] * 1.01})
    changed = {**ref.facts, key: ref.facts[key] * 1.01}
    assert rc.judge(ref.path, exp, attempt=lambda: changed)[0] == "read right"
    assert rc.judge(ref.path, exp, attempt=lambda: dict(ref.facts))[0] == "wrong data"


def test_a_refusal_naming_the_file_survives(ref):
    def refuse():
        raise ParseError(ref.path, "row 7: unknown country or area name 'Chadland'")

    assert rc.judge(ref.path, rc.Expected(ref.facts), attempt=refuse)[0] == "refused"


@pytest.mark.parametrize(
    "exc", [MigprofileError("unknown country or area name 'Chadland'"), KeyError("geo")]
)
def test_an_error_not_naming_the_file_is_a_traceback(ref, exc):
    def fail():
        raise exc

    assert rc.judge(ref.path, rc.Expected(ref.facts), attempt=fail)[0] == "traceback"


def test_not_recognised_is_skipped(ref):
    assert rc.judge(ref.path, rc.Expected(ref.facts), attempt=lambda: None)[0] == "skipped"


def test_a_stored_alias_must_resolve_to_its_geo(ref):
    exp = rc.Expected(ref.facts, names=ref.harmoniser.names)
    right = {**ref.facts, ("name", "Republic of Moldova"): "MDA"}
    wrong = {**ref.facts, ("name", "Chadland"): "MDA"}
    assert rc.judge(ref.path, exp, attempt=lambda: right)[0] == "read right"
    label, _d, kind, _ = rc.judge(ref.path, exp, attempt=lambda: wrong)
    assert (label, kind) == ("wrong data", "names")


def test_summary_counts_survivors_and_failures():
    mk = rc.Result
    results = [
        mk("a", "cut files", "f", "v", "refused"),
        mk("b", "cut files", "f", "v", "wrong data", kind="incomplete", incomplete=True),
        mk("c", "cut files", "f", "v", "traceback"),
        mk("d", "cut files", "f", "v", "n/a"),
    ]
    row = next(r for r in rc.summarise(results) if r[0] == "cut files")
    assert row[1:6] == (3, 1, 0, 1, 1)  # tried, survived, wrong data, incomplete, tracebacks
    assert "1 n/a" in row[6]
    assert len(rc.failures(results)) == 2
    assert rc.failure_lines(rc.failures(results))[0].startswith("  cut files (2)")


def test_cases_run_in_worker_processes(tiny):
    cases = [c for c in rc.build_cases(tiny, quick=True, cli=False) if c["cls"] == "cut files"]
    results = rc.run_cases(cases[:3], jobs=1)
    assert [r.id for r in results] == [c["id"] for c in cases[:3]]
    assert {r.label for r in results} <= KNOWN
    assert not [r for r in results if r.detail.startswith(("generator error", "worker died"))]
