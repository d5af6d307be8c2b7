"""Shared fixtures: the publisher files in ../shared/data, a private data home, a CLI runner."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

# Fixture files are written a moment before they are parsed: skip the half-second watch for
# files still being written (read_limited), which tests/test_completeness.py checks on its own.
os.environ.setdefault("MIGPROFILE_QUIET_MS", "0")

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
SHARED_MISSING = "../shared/data not present: integration tests need the publisher files"
DB_FILE = "migprofile.duckdb"


@dataclass(frozen=True)
class SharedIngest:
    db: Path  # the session's master store (read-only)
    result: subprocess.CompletedProcess[str]  # what `migprofile ingest` printed


@pytest.fixture(scope="module")
def module_home(tmp_path_factory):
    """MIGPROFILE_HOME in a temporary folder for a whole module (ingest scans its cache too)."""
    with pytest.MonkeyPatch.context() as mp:
        path = tmp_path_factory.mktemp("home")
        mp.setenv("MIGPROFILE_HOME", str(path))
        mp.delenv("MIGPROFILE_RAW_DIR", raising=False)
        yield path


@pytest.fixture(scope="session")
def shared_ingest(shared_data, tmp_path_factory) -> SharedIngest:
    """Every publisher file in ../shared/data ingested ONCE per test session, through the CLI.

    The store it hands out is the session's master copy: never write to it (copy it first,
    as `shared_store` does, or use `shared_store_copy`)."""
    home = tmp_path_factory.mktemp("shared_home")
    result = run_migprofile("ingest", "--raw-dir", shared_data, "--offline", home=home, timeout=900)
    assert result.returncode == 0, result.stderr
    db = home / DB_FILE
    os.chmod(db, 0o444)  # a reminder: the master copy is read-only
    return SharedIngest(db=db, result=result)


@pytest.fixture(scope="session")
def shared_store_path(shared_ingest) -> Path:
    """Path of the session's ingested store (read-only: copy it to mutate)."""
    return shared_ingest.db


@pytest.fixture
def shared_store_copy(shared_store_path, tmp_path) -> Path:
    """A private, writable copy of the session store for this test."""
    return copy_store(shared_store_path, tmp_path / "copy" / DB_FILE)


def copy_store(master: Path, target: Path) -> Path:
    """A writable copy of a store file (the master copy is never written)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(master, target)
    os.chmod(target, 0o644)
    return target


@pytest.fixture(scope="module")
def shared_store(shared_store_path, module_home):
    """The session store, copied into this module's home (so CLI runs and writes such as
    `news add` see it and stay within the module), opened read-only."""
    import migprofile

    copy_store(shared_store_path, module_home / DB_FILE)
    store = migprofile.open_store()
    yield store
    store.close()


@pytest.fixture(scope="module")
def app(shared_store, module_home):
    """The portal over this module's copy of the session store."""
    from migprofile.web import create_app

    return create_app(module_home / DB_FILE)


@pytest.fixture(scope="module")
def client(app):
    from fastapi.testclient import TestClient

    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def builder(shared_store):
    from migprofile.profiles import ProfileBuilder

    return ProfileBuilder(shared_store)


@pytest.fixture(scope="module")
def mda(builder):
    return builder.build("MDA")


@pytest.fixture(scope="module")
def tuv(builder):
    return builder.build("TUV")


def cli_env(home: Path | None = None) -> dict[str, str]:
    """The environment for a CLI subprocess: plain output, no user raw dir, our own home."""
    env = dict(os.environ)
    for var in ("MIGPROFILE_RAW_DIR", "FORCE_COLOR", "CLICOLOR_FORCE"):
        env.pop(var, None)
    env["NO_COLOR"] = "1"
    env["TERM"] = "dumb"
    env["COLUMNS"] = "250"
    env["PYTHONIOENCODING"] = "utf-8"
    if home is not None:
        env["MIGPROFILE_HOME"] = str(home)
    return env


def run_migprofile(
    *args: str | Path, home: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`migprofile ARGS` as `python -m migprofile.cli ARGS`, text output captured."""
    return subprocess.run(
        [sys.executable, "-m", "migprofile.cli", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=cli_env(home),
        timeout=timeout,
        check=False,
    )


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(SHARED_MISSING)
    return SHARED_DATA


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh MIGPROFILE_HOME (store and download cache) for this test."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("MIGPROFILE_HOME", str(path))
    monkeypatch.delenv("MIGPROFILE_RAW_DIR", raising=False)
    return path


@pytest.fixture
def cli(home: Path) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run the CLI against the test's `home`."""

    def run(*args: str | Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        return run_migprofile(*args, home=home, timeout=timeout)

    return run


@pytest.fixture(scope="session")
def run_cli() -> Callable[..., subprocess.CompletedProcess[str]]:
    """`run_cli(*args, home=PATH)` for module-scoped fixtures (no monkeypatch there)."""
    return run_migprofile


@pytest.fixture(scope="session")
def cli_environ() -> Callable[[Path | None], dict[str, str]]:
    """`cli_environ(home)`: the environment for a CLI subprocess started with Popen."""
    return cli_env


@pytest.fixture(scope="session")
def sha256() -> Callable[[Path], str]:
    return file_sha256


def pytest_collection_modifyitems(items):
    """schemathesis (4.x under pytest 9) gives every generated API test the same node id
    (`test_schemathesis.py::test_api_conforms`) although their names differ
    (`test_api_conforms[GET /api/geo]`); pytest-xdist schedules by node id and would run one of
    them. Give each its name as its id."""
    for item in items:
        if type(item).__name__ == "SchemathesisFunction" and "[" not in item.nodeid:
            item._id = item.parent.id.child(item.name)
