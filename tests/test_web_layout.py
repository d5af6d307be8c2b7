"""The web package's layout (issue 10): state and params below the routers, the app on top.

Parsed with `ast` (imports inside functions count too):

- nothing in `migprofile.web` imports `migprofile.web.app` except `migprofile.web` itself
  (which re-exports `create_app`);
- no module imports a `_private` name from another migprofile module (the gettext `_` is
  public by convention), and no web module reaches into one through a module alias
  (`charts._records`);
- web code runs no SQL: no DuckDB import, no `.execute(` / `.fetchall(` / `.con`.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "migprofile"
WEB_DIR = PACKAGE_DIR / "web"
SQL_ATTRIBUTES = ("execute", "fetchall", "fetchone", "fetchmany", "con", "sql")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """The absolute module an ImportFrom names (relative imports resolved)."""
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports(path: Path) -> Iterator[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in the file."""
    module = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            source = absolute(module, node, path.name == "__init__.py")
            for alias in node.names:
                yield source, alias.name, node.lineno


def is_private(name: str) -> bool:
    """`_name`, but not `_` (gettext, by convention public) nor `__dunder__`."""
    return name.startswith("_") and name != "_" and not name.startswith("__")


def web_files() -> list[Path]:
    return sorted(WEB_DIR.rglob("*.py"))


def package_files() -> list[Path]:
    return sorted(PACKAGE_DIR.rglob("*.py"))


def test_the_web_package_has_its_layers():
    names = {p.stem for p in web_files()}
    assert {"__init__", "app", "state", "params", "api", "pages", "export"} <= names


@pytest.mark.parametrize("path", web_files(), ids=lambda p: p.name)
def test_only_the_package_imports_the_app(path):
    if path == WEB_DIR / "__init__.py":
        return
    bad = []
    for source, name, line in imports(path):
        target = f"{source}.{name}" if name else source
        if source == "migprofile.web.app" or target == "migprofile.web.app":
            bad.append(f"{path.name}:{line} imports {target}")
    assert not bad, "; ".join(bad)


def private_imports(paths: list[Path]) -> list[str]:
    bad = []
    for path in paths:
        here = module_name(path)
        for source, name, line in imports(path):
            if not source.startswith("migprofile") or source == here or name is None:
                continue
            if is_private(name):
                bad.append(f"{path.relative_to(PACKAGE_DIR)}:{line} imports {name} from {source}")
    return bad


def test_web_imports_no_private_name():
    bad = private_imports(web_files())
    assert not bad, "private names imported into web/: " + "; ".join(bad)


def test_no_private_name_is_imported_across_modules():
    bad = private_imports(package_files())
    assert not bad, "private names imported across modules: " + "; ".join(bad)


@pytest.mark.parametrize("path", web_files(), ids=lambda p: p.name)
def test_web_uses_no_private_attribute_of_another_module(path):
    """`from migprofile.render import charts as ch; ch._records(...)` is a private import too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    here = module_name(path)
    aliases: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            aliases |= {
                (a.asname or a.name).split(".")[0]
                for a in node.names
                if a.name.startswith("migprofile")
            }
        elif isinstance(node, ast.ImportFrom):
            source = absolute(here, node, path.name == "__init__.py")
            if source.startswith("migprofile"):
                # a name imported from a package may itself be a module (`from pkg import mod`)
                aliases |= {a.asname or a.name for a in node.names}
    bad = [
        f"{path.name}:{node.lineno} uses {node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases
        and is_private(node.attr)
    ]
    assert not bad, "; ".join(bad)


@pytest.mark.parametrize("path", web_files(), ids=lambda p: p.name)
def test_web_runs_no_sql(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    bad = [
        f"{path.name}:{line} imports {source}"
        for source, _name, line in imports(path)
        if source.split(".")[0] == "duckdb"
    ]
    bad += [
        f"{path.name}:{node.lineno} uses .{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and node.attr in SQL_ATTRIBUTES
    ]
    assert not bad, "web code must read through the store and indicators: " + "; ".join(bad)
