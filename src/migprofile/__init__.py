"""migprofile: country migration data profiles built from the publishers' own files.

The Python API is the product; the CLI and (later) the web app are thin faces over it.

    >>> import migprofile
    >>> store = migprofile.open_store()
    >>> store.get("immigrant_stock", "MDA", year=2020)   # pyarrow.Table
"""

__version__ = "0.1.0"

from migprofile.errors import MigprofileError


def open_store(path=None, *, read_only: bool = True):
    """Open the analytical store, read-only by default (ingest writes through its own copy)."""
    from migprofile.store import Store

    return Store.open(path, read_only=read_only)


__all__ = ["MigprofileError", "__version__", "open_store"]
