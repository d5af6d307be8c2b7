"""docs/adding-a-source.md, followed to the letter: the worked example's module, installed as an
outside package through the `migprofile.sources` entry-point group, ingests a file.

The module is the code block of the document itself (so the document cannot drift from what
works); the package is a real `.dist-info` with `entry_points.txt` on sys.path, found by
importlib.metadata as pip would leave it.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from fixtures import stored_observations, write_csv_rows
from migprofile.ingest import ingest
from migprofile.sources import REGISTRY, get_source, reload_registry
from migprofile.sources.registry import SourceRegistrationError

DOC = Path(__file__).resolve().parents[1] / "docs" / "adding-a-source.md"


def doc_block(heading: str, language: str) -> str:
    """The first code block of `language` under a heading of the document."""
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    m = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert m, f"no {language} block under {heading!r}"
    return m.group(1)


def install_package(root: Path, module_source: str, entry_points: str) -> None:
    """Write `tiny_package` and its dist-info (METADATA + entry_points.txt) into root."""
    package = root / "tiny_package"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "tiny_remittances.py").write_text(module_source)
    info = root / "tiny_package-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-package\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points)


@pytest.fixture
def outside_package(tmp_path, monkeypatch):
    """The document's module installed as an outside package; the registry reloaded after."""
    monkeypatch.setenv("MIGPROFILE_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("MIGPROFILE_RAW_DIR", raising=False)
    root = tmp_path / "site"
    root.mkdir()
    toml = doc_block("## 3. From an outside package", "toml")
    name, value = next(line for line in toml.splitlines() if ":" in line).split("=")
    install_package(
        root,
        doc_block("## 1. The module", "python"),
        f"[migprofile.sources]\n{name.strip()} = {value.strip().strip(chr(34))}\n",
    )
    monkeypatch.syspath_prepend(str(root))
    yield root
    monkeypatch.undo()
    for name in [m for m in sys.modules if m == "tiny_package" or m.startswith("tiny_package.")]:
        del sys.modules[name]
    reload_registry()
    assert "tiny_remittances" not in [s.id for s in REGISTRY]


def test_outside_source_registers_and_ingests(outside_package, tmp_path):
    before = [s.id for s in REGISTRY]
    reload_registry()
    assert [s.id for s in REGISTRY] == [*before, "tiny_remittances"]  # after the built-ins
    source = get_source("tiny_remittances")
    assert type(source).__module__ == "tiny_package.tiny_remittances"
    assert source.short_name == "Tiny Remittances" and source.feeds == ("remittances_received_usd",)

    raw = tmp_path / "raw"
    write_csv_rows(
        raw / "tiny_remittances_2024.csv",
        [
            ["country", "iso3", "year", "remittances_usd"],
            ["Moldova", "MDA", "2023", "2100000000"],
            ["World", "WLD", "2023", "9e11"],
            ["Unallocated", "", "2023", ".."],
        ],
    )
    db = tmp_path / "store.duckdb"
    report = ingest(raw_dir=raw, offline=True, db=db)
    assert [(Path(f).name, s, e, n) for f, s, e, n in report.ingested] == [
        ("tiny_remittances_2024.csv", "tiny_remittances", "2023", 3)
    ]
    got = {
        (r["geo"], r["year"]): (r["value"], r["row"], r["unit"])
        for r in stored_observations(db)
        if r["source"] == "tiny_remittances"
    }
    assert got == {
        ("MDA", 2023): (2.1e9, 2, "US$"),
        ("world", 2023): (9e11, 3, "US$"),
        ("other", 2023): (None, 4, "US$"),  # '..' is missing, never 0
    }


def test_a_broken_outside_source_is_one_clear_error(outside_package):
    module = outside_package / "tiny_package" / "tiny_remittances.py"
    module.write_text(module.read_text().replace('    short_name = "Tiny Remittances"\n', ""))
    with pytest.raises(SourceRegistrationError) as err:
        reload_registry()
    message = str(err.value)
    assert "entry point 'tiny_remittances'" in message and "short_name is empty" in message
