"""migprofile: country migration data profiles built from the publishers' own files.

The Python API is the product; the CLI, the web portal and the API are thin faces over it.

    >>> import migprofile
    >>> migprofile.get("immigrant_stock", "MDA", year=2020)   # pyarrow.Table, with provenance
    >>> with migprofile.open_store() as store:
    ...     profile = migprofile.profile("MDA", store=store)  # a Profile: sections, facts, gaps

The flow, each stage reading only the one before it:
`sources` (one module per publisher dataset) → `ingest` (fetch, parse, one atomic write) →
`store` (DuckDB, the only package that speaks SQL) → `indicators` (catalogue and query
compiler) → `profiles` → `render` / `web` / `news` / `cli`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from migprofile.errors import MigprofileError
from migprofile.version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from migprofile.profiles.model import Profile
    from migprofile.store import Store


def open_store(path: str | Path | None = None, *, read_only: bool = True) -> Store:
    """Open the analytical store, read-only by default (ingest writes through its own copy)."""
    from migprofile.store import Store

    return Store.open(path, read_only=read_only)


def get(
    indicator: str,
    geo: str,
    *,
    partner: str | None = None,
    year: int | None = None,
    sex: str | None = None,
    source: str | None = None,
    edition: str | None = None,
    period: str | None = None,
    as_pandas: bool = False,
    store: Store | None = None,
) -> Any:
    """Observations of an indicator for a geo (ISO3, M49 or a name), each row with its
    source, edition, file, sha256 and cell: see `migprofile.indicators.observations`.

    Opens the default store (MIGPROFILE_HOME) when `store` is None, and closes it again.
    """
    from migprofile.indicators import observations

    def read(s: Store) -> Any:
        return observations(
            s,
            indicator,
            geo,
            partner=partner,
            year=year,
            sex=sex,
            source=source,
            edition=edition,
            period=period,
            as_pandas=as_pandas,
        )

    if store is not None:
        return read(store)
    with open_store() as opened:
        return read(opened)


def profile(geo: str, *, store: Store | None = None) -> Profile:
    """The profile of a country or region (opens the default store when `store` is None)."""
    from migprofile.profiles import build_profile

    if store is not None:
        return build_profile(store, geo)
    with open_store() as opened:
        return build_profile(opened, geo)


__all__ = ["MigprofileError", "__version__", "get", "open_store", "profile"]
