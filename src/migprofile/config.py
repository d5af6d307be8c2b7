"""Where migprofile keeps its store and raw-file cache, and where users' own files are."""

from __future__ import annotations

import os
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
    value = cli_value or os.environ.get("MIGPROFILE_RAW_DIR")
    return Path(value).expanduser() if value else None
