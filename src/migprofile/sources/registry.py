"""The source registry: built-in modules found by convention, outside ones by entry point.

Convention: every module under `migprofile.sources` whose name does not start with `_` (and is
not `base` or `registry`) is one dataset; its module name is the source id and it defines one
`Source` subclass with that `id`, named as the id in CamelCase (`rpw_corridors` →
`RpwCorridors`). A publisher with several datasets gets a folder, its shared code in `_common.py`.

Outside packages add sources without touching migprofile, through the entry-point group
`migprofile.sources`, each entry point naming a Source subclass:

    [project.entry-points."migprofile.sources"]
    eurostat_migr = "my_package.eurostat_migr:EurostatMigr"

Built-in and outside sources pass the same checks; a bad one raises SourceRegistrationError
naming the module or entry point.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import pkgutil
from pathlib import Path
from types import ModuleType

from migprofile.errors import MigprofileError
from migprofile.sources.base import Source

ENTRY_POINT_GROUP = "migprofile.sources"
_PACKAGE = __name__.rsplit(".", 1)[0]  # migprofile.sources, walked without importing it
_PACKAGE_DIR = Path(__file__).resolve().parent
_NOT_SOURCES = {"base", "registry"}
_REQUIRED_TEXT = ("title", "short_name", "publisher", "licence", "citation")


class SourceRegistrationError(MigprofileError):
    """A module or entry point that does not define a valid source."""


def camel_case(source_id: str) -> str:
    """'rpw_corridors' → 'RpwCorridors', 'm49' → 'M49'."""
    return "".join(part[:1].upper() + part[1:] for part in source_id.split("_"))


def validate(cls: object, where: str, *, module_id: str | None = None) -> Source:
    """An instance of `cls` when it is a well-formed source, else SourceRegistrationError."""
    if not (isinstance(cls, type) and issubclass(cls, Source)) or cls is Source:
        raise SourceRegistrationError(f"{where}: {cls!r} is not a subclass of Source")
    problems = []
    sid = getattr(cls, "id", "")
    if not isinstance(sid, str) or not sid.isidentifier() or sid != sid.lower():
        problems.append(f"id {sid!r} is not a lower-case identifier")
    elif module_id is not None and sid != module_id:
        problems.append(f"id {sid!r} differs from the module name {module_id!r}")
    if isinstance(sid, str) and sid and cls.__name__ != camel_case(sid):
        problems.append(
            f"class {cls.__name__} should be named {camel_case(sid)} (its id in CamelCase)"
        )
    for attr in _REQUIRED_TEXT:
        value = getattr(cls, attr, "")
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{attr} is empty")
    if not isinstance(cls.feeds, tuple) or not all(isinstance(f, str) for f in cls.feeds):
        problems.append("feeds is not a tuple of indicator ids")
    if not isinstance(cls.preference, int) or not isinstance(cls.recognition_order, int):
        problems.append("preference and recognition_order must be integers")
    for method in ("recognise", "parse"):
        if getattr(cls, method) is getattr(Source, method):
            problems.append(f"{method}() is not implemented")
    if problems:
        raise SourceRegistrationError(f"{where}: source {cls.__name__}: " + "; ".join(problems))
    return cls()


def _module_source(module: ModuleType) -> Source:
    module_id = module.__name__.rsplit(".", 1)[-1]
    found = [
        obj
        for obj in vars(module).values()
        if isinstance(obj, type)
        and issubclass(obj, Source)
        and obj.__module__ == module.__name__
        and obj.__dict__.get("id") == module_id
    ]
    if len(found) != 1:
        raise SourceRegistrationError(
            f"module {module.__name__}: expected one Source subclass with id = {module_id!r} "
            f"(module name = source id), found {len(found)}"
        )
    return validate(found[0], f"module {module.__name__}", module_id=module_id)


def built_in_sources() -> list[Source]:
    """Every dataset module under migprofile.sources (folders walked recursively)."""
    out = []
    for info in pkgutil.walk_packages([str(_PACKAGE_DIR)], _PACKAGE + "."):
        short = info.name.rsplit(".", 1)[-1]
        if info.ispkg or short.startswith("_") or short in _NOT_SOURCES:
            continue
        out.append(_module_source(importlib.import_module(info.name)))
    return out


def entry_point_sources() -> list[Source]:
    """Sources outside packages register under the `migprofile.sources` entry-point group."""
    out = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        where = f"entry point {ep.name!r} ({ep.value}) in group {ENTRY_POINT_GROUP!r}"
        try:
            cls = ep.load()
        except Exception as exc:
            raise SourceRegistrationError(f"{where}: cannot be loaded ({exc})") from None
        out.append(validate(cls, where))
    return out


def discover() -> list[Source]:
    """All sources, in recognition order; ids must be unique across built-in and outside."""
    sources = built_in_sources() + entry_point_sources()
    seen: dict[str, Source] = {}
    for s in sources:
        if s.id in seen:
            raise SourceRegistrationError(
                f"source id {s.id!r} registered twice: by {type(seen[s.id]).__module__} and by "
                f"{type(s).__module__}"
            )
        seen[s.id] = s
    return sorted(sources, key=lambda s: (s.recognition_order, s.id))
