"""National data systems in the store: adding a checked file, reading a country's back.

A file is parsed and checked completely, and its country resolved in the store, before the
writer starts: a refused file leaves the store byte-for-byte as it was.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from migprofile import config
from migprofile.errors import ParseError, StoreError, UsageError
from migprofile.national.model import NationalSystem
from migprofile.national.parse import parse_national_system
from migprofile.national.stored import from_json, to_json
from migprofile.store import Store, writer
from migprofile.store.writer import writer_lock
from migprofile.wording.i18n import _


def add_national_system(path: str | Path, db: Path | None = None) -> tuple[str, int]:
    """`migprofile national add FILE`: check the file, resolve its country in the store and
    store the document (replacing the country's earlier one). Returns (geo, sources)."""
    path = Path(path)
    system = parse_national_system(path)
    try:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:  # gone or unreadable since it was parsed
        raise ParseError(path, _("cannot read it ({why})").format(why=exc.strerror)) from None
    db_file = Path(db) if db else config.db_path()
    with writer_lock(db_file):
        with Store.open(db_file) as existing:
            geo = country_geo(existing, system.country, parameter=f"{path}: country")
            stored = dataclasses.replace(system, country=geo)
            document = to_json(stored)
            before = existing.national_system(geo)
        unchanged = before is not None and (
            before["document"],
            before["file_name"],
            before["sha256"],
        ) == (document, path.name, sha)
        if not unchanged:  # the same file again: no copy of the whole store for nothing
            with writer(db_file) as store:
                store.put_national_system(geo, document, path.name, sha)
    return geo, len(stored.sources)


def country_geo(store: Store, text: str, *, parameter: str) -> str:
    """The store's geo id of a country (ISO3 code or name); a UsageError naming `parameter`
    (the file's field, the command's argument) when the store does not know it, or knows it as
    an aggregate rather than a country."""
    geo = store.resolve_geo(text, parameter=parameter)
    row = store.geo_row(geo) or {}
    if row.get("kind") != "country":
        raise UsageError(
            _("{parameter}: {value} is {name}, not a country").format(
                parameter=parameter, value=repr(text), name=row.get("name") or geo
            )
        )
    return geo


def national_system_for(store: Store, geo: str) -> NationalSystem | None:
    """The stored national data system of `geo`, or None when none was added."""
    row = store.national_system(geo)
    if row is None:
        return None
    try:
        return from_json(row["document"], origin=f"national_systems[{geo}]")
    except ParseError as exc:  # stored by a version whose format this one does not read
        raise StoreError(
            _(
                "the stored national data system of {geo} is unreadable ({why}): add its file "
                "again with `migprofile national add`"
            ).format(geo=geo, why=exc)
        ) from None
