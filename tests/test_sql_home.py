"""The store is the only place that speaks SQL (issue 10, item 4).

Every module of the package is parsed with `ast`; outside `migprofile/store/` none may run a
statement (`.execute`, `.executemany`, `.sql`, `.fetch*`), reach into a store's connection
(`.con`) or import duckdb, and only `indicators/query.py` (the query compiler) may hold SQL text.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "migprofile"
STORE = PACKAGE / "store"
COMPILER = PACKAGE / "indicators" / "query.py"

RUNS_SQL = {"execute", "executemany", "sql", "fetchall", "fetchone", "fetchmany"}
SQL_TEXT = re.compile(r"\bSELECT\b")

# Modules outside store/ that may import duckdb, with the reason. Empty: the store maps
# DuckDB's errors to StoreError (a damaged file included), so no face needs to catch them.
DUCKDB_ALLOWED: dict[str, str] = {}


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if STORE not in p.parents)


def _name(path: Path) -> str:
    """migprofile/cli.py for a package module; the path itself for any other file."""
    return str(path.relative_to(PACKAGE.parent)) if PACKAGE in path.parents else str(path)


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _violations(path: Path) -> list[str]:
    out = []
    for node in ast.walk(_tree(path)):
        where = f"{_name(path)}:{getattr(node, 'lineno', '?')}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in RUNS_SQL:
                out.append(f"{where} calls .{node.func.attr}()")
        elif isinstance(node, ast.Attribute) and node.attr == "con":
            out.append(f"{where} touches a store's .con")
        elif isinstance(node, ast.Import):
            if any(a.name.split(".")[0] == "duckdb" for a in node.names):
                out.append(f"{where} imports duckdb")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "duckdb":
            out.append(f"{where} imports duckdb")
    allowed = _name(path) in DUCKDB_ALLOWED
    return [v for v in out if not (allowed and v.endswith("imports duckdb"))]


def _sql_literals(path: Path) -> list[str]:
    return [
        f"{_name(path)}:{node.lineno}: {node.value.strip()[:60]!r}"
        for node in ast.walk(_tree(path))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and SQL_TEXT.search(node.value)
    ]


def test_the_package_has_modules_to_check():
    names = {_name(p) for p in _modules()}
    assert "migprofile/cli.py" in names and "migprofile/indicators/query.py" in names
    assert (STORE / "__init__.py").exists()


@pytest.mark.parametrize("path", _modules(), ids=_name)
def test_no_sql_outside_the_store(path):
    assert not _violations(path), "\n".join(_violations(path))


@pytest.mark.parametrize("path", [p for p in _modules() if p != COMPILER], ids=_name)
def test_only_the_query_compiler_holds_sql_text(path):
    found = _sql_literals(path)
    assert not found, "SQL text outside store/ and indicators/query.py:\n" + "\n".join(found)


def test_the_checks_catch_what_they_are_for(tmp_path):
    """The scanner itself: each forbidden form in a made-up module is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import duckdb\n"
        "from duckdb import Error\n"
        "def f(store):\n"
        "    store.con.execute('SELECT 1').fetchall()\n"
        "    store.con.sql('x')\n"
        "    return store.query('SELECT geo FROM geo')\n",
        encoding="utf-8",
    )
    text = "\n".join(_violations(bad))
    for what in ("imports duckdb", ".execute()", ".fetchall()", ".sql()", ".con"):
        assert what in text, what
    assert len(_sql_literals(bad)) == 2


def test_the_store_runs_sql_and_the_compiler_holds_it():
    """Sanity: the scanner finds SQL where it is meant to live."""
    store_calls = [v for p in sorted(STORE.rglob("*.py")) for v in _violations(p)]
    assert any(".execute()" in v for v in store_calls)
    assert _sql_literals(COMPILER)
