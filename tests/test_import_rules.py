"""Imports point down the flow and never back (issue 10).

Every module of the package is parsed with `ast` (imports inside functions count too: a lazy
import is still a dependency). The test fails on any import cycle between modules, and on an
import that points up the flow:

    base (errors, config, version, periods, wording, geo)
      → sources | store            (side by side: neither imports the other)
      → ingest (fetch, pipeline, user files)
      → indicators → profiles, flows → render | news → publish → web → cli → the package API

and on the specific directions DESIGN.md forbids: a source importing the store, the store
importing a source or the pipeline, a renderer importing the store, a web router importing
`migprofile.web.app`.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "src" / "migprofile"

# Stage of each part of the package (longest prefix wins). A module may import its own stage
# or any lower one; higher is "back up the flow".
STAGES: dict[str, int] = {
    "migprofile.errors": 0,
    "migprofile.config": 0,
    "migprofile.version": 0,
    "migprofile.wording": 0,
    "migprofile.periods": 0,
    "migprofile.outfile": 0,
    "migprofile.geo": 1,
    "migprofile.sources": 2,
    "migprofile.store": 2,
    "migprofile.fetch": 3,
    "migprofile.ingest": 3,
    "migprofile.indicators": 4,
    "migprofile.national": 4,  # national data system files: checked, stored, read back
    "migprofile.profiles": 5,
    "migprofile.flows": 5,
    "migprofile.render": 6,
    "migprofile.news": 6,
    "migprofile.publish": 7,
    "migprofile.web": 8,
    "migprofile.cli": 9,
    "migprofile.cli_national": 9,
    # the package's own __init__: the public API (open_store, get, profile) over the library;
    # faces (render, news, web, cli) may use it, the library below it may not
    "migprofile": 5,
}

# (importer prefix, imported prefix, why): forbidden even where the stages would allow it.
FORBIDDEN: tuple[tuple[str, str, str], ...] = (
    ("migprofile.sources", "migprofile.store", "a source knows no store"),
    ("migprofile.store", "migprofile.sources", "the store never imports a source"),
    ("migprofile.store", "migprofile.ingest", "the store never imports the pipeline"),
    ("migprofile.render", "migprofile.store", "renderers get a profile, never the store"),
    ("migprofile.render", "migprofile.ingest", "renderers get a profile, never the pipeline"),
    ("migprofile.render", "migprofile.sources", "renderers get a profile, never a source"),
    ("migprofile.web.api", "migprofile.web.app", "a router never imports the app"),
    ("migprofile.web.pages", "migprofile.web.app", "a router never imports the app"),
    ("migprofile.web.state", "migprofile.web.app", "web state never imports the app"),
    ("migprofile.web.params", "migprofile.web.app", "web params never import the app"),
)


@dataclass(frozen=True)
class Edge:
    importer: str
    imported: str
    line: int


def module_name(path: Path, root: Path = PACKAGE_DIR) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def all_modules(root: Path = PACKAGE_DIR) -> dict[str, Path]:
    return {module_name(p, root): p for p in sorted(root.rglob("*.py"))}


def _absolute(module: str, is_package: bool, level: int, target: str | None) -> str:
    """`from ..x import y` inside `module` → the absolute module name it refers to."""
    if level == 0:
        return target or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)]
    return ".".join([*base, target] if target else base)


def import_edges(modules: dict[str, Path]) -> list[Edge]:
    """Every migprofile → migprofile import, resolved to the module it loads."""
    edges: list[Edge] = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _absolute(name, is_package, node.level, node.module)
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    # `from pkg import submodule` loads the submodule; `from pkg import name`
                    # loads the package itself.
                    targets.append(sub if sub in modules else base)
            for target in targets:
                if target == "migprofile" or target.startswith("migprofile."):
                    # `import migprofile.a.b` loads the deepest module that exists
                    while target not in modules and "." in target:
                        target = target.rsplit(".", 1)[0]
                    if target != name:
                        edges.append(Edge(name, target, node.lineno))
    return list(dict.fromkeys(edges))


def stage_of(module: str) -> int:
    best = max((p for p in STAGES if module == p or module.startswith(p + ".")), key=len)
    return STAGES[best]


def _within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def find_cycles(modules: dict[str, Path], edges: list[Edge]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for e in edges:
        graph[e.importer].add(e.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    cycles: list[list[str]] = []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    cycles.append(sorted(component))
    return cycles


@pytest.fixture(scope="module")
def graph() -> tuple[dict[str, Path], list[Edge]]:
    modules = all_modules()
    return modules, import_edges(modules)


def test_the_package_is_parsed(graph):
    modules, edges = graph
    assert "migprofile.store" in modules and "migprofile.cli" in modules
    assert any(e.importer == "migprofile.cli" for e in edges)


def test_no_import_cycle(graph):
    modules, edges = graph
    cycles = find_cycles(modules, edges)
    assert not cycles, "import cycles:\n" + "\n".join(" ↔ ".join(c) for c in cycles)


def test_imports_point_down_the_flow(graph):
    _, edges = graph
    back = [
        f"{e.importer} (line {e.line}) imports {e.imported}: stage {stage_of(e.importer)} "
        f"→ {stage_of(e.imported)}"
        for e in edges
        if stage_of(e.imported) > stage_of(e.importer)
    ]
    assert not back, "imports pointing back up the flow:\n" + "\n".join(back)


def test_no_forbidden_direction(graph):
    _, edges = graph
    bad = [
        f"{e.importer} (line {e.line}) imports {e.imported}: {why}"
        for e in edges
        for importer, imported, why in FORBIDDEN
        if _within(e.importer, importer) and _within(e.imported, imported)
    ]
    assert not bad, "\n".join(bad)


def test_only_the_package_init_imports_the_web_app(graph):
    _, edges = graph
    bad = [
        f"{e.importer} (line {e.line})"
        for e in edges
        if e.imported == "migprofile.web.app" and e.importer != "migprofile.web"
    ]
    assert not bad, "migprofile.web.app imported by: " + ", ".join(bad)


def test_every_module_has_a_stage(graph):
    modules, _ = graph
    assert all(stage_of(m) >= 0 for m in modules)


# --- the checker itself, on a small made-up package ------------------------------------------


def test_checker_finds_a_cycle_and_a_back_import(tmp_path):
    pkg = tmp_path / "migprofile"
    (pkg / "store").mkdir(parents=True)
    (pkg / "sources").mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "store" / "__init__.py").write_text("def f():\n    from migprofile.sources import x\n")
    (pkg / "sources" / "__init__.py").write_text("from migprofile.store import y\n")
    modules = all_modules(pkg)
    edges = import_edges(modules)
    assert find_cycles(modules, edges) == [["migprofile.sources", "migprofile.store"]]
    assert [(e.importer, e.imported, e.line) for e in edges] == [
        ("migprofile.sources", "migprofile.store", 1),
        ("migprofile.store", "migprofile.sources", 2),
    ]
