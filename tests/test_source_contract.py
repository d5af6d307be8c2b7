"""The contract every registered source keeps (as sdmx1's shared DataSourceTest).

For each source in the registry, with its case from `source_cases.CASES`: the fixture built by
code in the publisher's layout is recognised as that source's, parses to the expected rows,
a truncated copy and a copy with one header cell renamed are each rejected with one error that
names the file (and nothing reaches the store), and the file round-trips through a real store
by the normal ingest pipeline. A source registered without a case fails here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from fixtures import recognise_and_parse, rename_header, stored_observations, truncate
from migprofile.errors import MigprofileError
from migprofile.ingest import ingest
from migprofile.sources import REGISTRY
from migprofile.sources.registry import camel_case
from source_cases import CASES, SourceCase

SOURCE_IDS = [s.id for s in REGISTRY]
ROW_KEY = ("indicator", "geo", "partner", "year", "period", "sex", "age", "value", "unit")
PROVENANCE = ("sheet", "row", "col", "note")


@pytest.fixture(autouse=True)
def _private_home(tmp_path, monkeypatch):
    """Ingest also scans the data home's cache: give every test an empty one of its own."""
    monkeypatch.setenv("MIGPROFILE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MIGPROFILE_RAW_DIR", raising=False)


def case_for(source_id: str) -> SourceCase:
    case = CASES.get(source_id)
    if case is None:
        pytest.fail(
            f"source {source_id!r} is registered but has no contract case: add "
            f"CASES[{source_id!r}] = SourceCase(...) to tests/source_cases.py (a fixture in the "
            "publisher's layout, the rows it parses to, a header cell to rename), see "
            "docs/adding-a-source.md"
        )
    return case


def built(source_id: str, tmp_path: Path) -> tuple[SourceCase, Path]:
    case = case_for(source_id)
    folder = tmp_path / "raw"
    folder.mkdir()
    return case, case.build(folder)


def _key(row: dict, columns=ROW_KEY + PROVENANCE) -> tuple:
    return tuple(row[c] for c in columns)


def test_every_registered_source_has_a_case():
    missing = [s for s in SOURCE_IDS if s not in CASES]
    assert not missing, f"add contract cases to tests/source_cases.py for: {missing}"
    unknown = [s for s in CASES if s not in SOURCE_IDS]
    assert not unknown, f"cases for sources that are not registered: {unknown}"


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_source_describes_itself(source_id):
    source = next(s for s in REGISTRY if s.id == source_id)
    assert type(source).__name__ == camel_case(source_id)
    module = type(source).__module__
    assert module.startswith("migprofile.sources.") and module.rsplit(".", 1)[1] == source_id
    for attr in ("title", "short_name", "publisher", "licence", "citation"):
        assert getattr(source, attr).strip(), attr
    assert isinstance(source.feeds, tuple)


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_recognises_and_parses_its_fixture(source_id, tmp_path):
    case, path = built(source_id, tmp_path)
    match, harmoniser, parsed = recognise_and_parse(path)
    assert match.source.id == source_id, f"{path.name} recognised as {match.source.id}"
    assert parsed.source == source_id
    assert parsed.edition == case.edition
    got = parsed.table.to_pylist()
    assert len(got) == case.rows, f"{len(got)} rows, expected {case.rows}"
    for want in case.expected:
        hits = [r for r in got if all(r[k] == v for k, v in want.items())]
        assert len(hits) == 1, f"{len(hits)} rows match {want}"
    for r in got:
        if r["value"] is not None:
            assert r["value"] == r["value"], "NaN stored"  # missing markers are None, never NaN
    if case.check is not None:
        case.check(parsed, harmoniser)


def _assert_rejected(path: Path, db: Path) -> None:
    with pytest.raises(MigprofileError) as err:
        ingest(raw_dir=path.parent, offline=True, db=db)
    assert path.name in str(err.value), f"error does not name the file: {err.value}"
    assert "Traceback" not in str(err.value)
    assert not db.exists(), "a rejected file left a store behind"


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_rejects_a_truncated_copy(source_id, tmp_path):
    case, path = built(source_id, tmp_path)
    is_csv = path.suffix.lower() == ".csv"
    assert case.cut_in is not None or not is_csv, "a CSV case needs cut_in (a data row's text)"
    truncate(path, case.cut_in if is_csv else None)
    _assert_rejected(path, tmp_path / "store.duckdb")


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_rejects_a_renamed_header(source_id, tmp_path):
    case, path = built(source_id, tmp_path)
    rename_header(path, *case.rename)
    _assert_rejected(path, tmp_path / "store.duckdb")


@pytest.mark.parametrize("source_id", SOURCE_IDS)
def test_round_trips_through_the_store(source_id, tmp_path):
    case, path = built(source_id, tmp_path)
    _, _, parsed = recognise_and_parse(path)
    db = tmp_path / "store.duckdb"
    report = ingest(raw_dir=path.parent, offline=True, db=db)
    assert [(Path(f).name, s) for f, s, _, _ in report.ingested] == [(path.name, source_id)]
    stored = [r for r in stored_observations(db) if r["source"] == source_id]
    assert {r["edition"] for r in stored} <= {case.edition}
    assert sorted(map(_key, stored), key=repr) == sorted(
        map(_key, parsed.table.to_pylist()), key=repr
    )
    again = ingest(raw_dir=path.parent, offline=True, db=db)
    assert again.ingested == [] and len(again.unchanged) == 1


def test_recognition_order_is_explicit_and_stable():
    """The first source that recognises a file wins, so the order is part of the contract."""
    orders = [(s.recognition_order, s.id) for s in REGISTRY]
    assert orders == sorted(orders)
    assert SOURCE_IDS[:12] == [
        "undesa_ims_destination",
        "undesa_ims_origin",
        "gmdac_gdiviz",
        "gdidata_undesa_stocks",
        "wdi",
        "wb_bilateral_remittances",
        "wb_bilateral_migration",
        "knomad_remittance_flows",
        "rpw_corridors",
        "rpw_providers",
        "idmc",
        "unhcr",
    ]


def test_fixture_copies_are_independent(tmp_path):
    """Damaging one copy leaves the builder's next file intact (cases share no files)."""
    case, path = built("wdi", tmp_path)
    copy = tmp_path / "copy.csv"
    shutil.copyfile(path, copy)
    truncate(path, case.cut_in)
    assert copy.stat().st_size > path.stat().st_size


def test_a_malformed_built_in_module_is_one_clear_error():
    """Built-ins pass the same checks as outside sources; the error names the module."""
    import types

    from migprofile.sources.base import Source
    from migprofile.sources.registry import SourceRegistrationError, _module_source

    module = types.ModuleType("migprofile.sources.eurostat_migr")

    class EurostatMigration(Source):  # wrong class name, empty citation, no parse()
        id = "eurostat_migr"
        title = short_name = publisher = licence = "x"
        __module__ = module.__name__

        def recognise(self, path, peek):
            return None

    module.EurostatMigration = EurostatMigration
    with pytest.raises(SourceRegistrationError) as err:
        _module_source(module)
    message = str(err.value)
    assert message.startswith("module migprofile.sources.eurostat_migr: ")
    assert "should be named EurostatMigr" in message
    assert "citation is empty" in message and "parse() is not implemented" in message
