"""Where migprofile keeps its store and raw-file cache, and where users' own files are."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import platformdirs

DB_FILENAME = "migprofile.duckdb"


def data_home() -> Path:
    """MIGPROFILE_HOME, else the platform's user data dir: one place for the store and the cache."""
    env = os.environ.get("MIGPROFILE_HOME")
    home = Path(env).expanduser() if env else Path(platformdirs.user_data_dir("migprofile"))
    return home


def db_path() -> Path:
    return data_home() / DB_FILENAME


def cache_dir() -> Path:
    return data_home() / "raw"


def raw_dir(cli_value: str | Path | None = None) -> Path | None:
    """The user's own folder of publisher files: --raw-dir beats MIGPROFILE_RAW_DIR."""
    dirs = raw_dirs([cli_value] if cli_value else None)
    return dirs[0] if dirs else None


def raw_dirs(cli_values: Sequence[str | Path] | None = None) -> list[Path]:
    """The user's folders of publisher files: every --raw-dir given, else the folders listed
    in MIGPROFILE_RAW_DIR (separated by the system's path separator, ':' on Linux)."""
    if cli_values:
        return [Path(v).expanduser() for v in cli_values]
    value = os.environ.get("MIGPROFILE_RAW_DIR", "")
    return [Path(v).expanduser() for v in value.split(os.pathsep) if v.strip()]
