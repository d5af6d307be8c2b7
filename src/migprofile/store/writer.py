"""The atomic writer: an ingest works on a copy of the store, swapped into place on success.

A failed or killed ingest leaves the previous store byte-for-byte as it was, and readers never
see half an ingest. A full disk or a file-size limit at any step is one StoreError line.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from migprofile import config
from migprofile.errors import StoreError
from migprofile.store.facade import Store
from migprofile.wording import _

# errno values that mean "no room": the copy or DuckDB's writes hit a full disk or a size limit.
_NO_ROOM = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT}


# How long an ingest waits for another one to finish before it gives up (seconds).
DEFAULT_LOCK_WAIT = 600.0
_POLL = 0.1
# Writer locks this process holds: lock file → depth (ingest takes it, then writer() re-enters).
_held: dict[Path, int] = {}


@contextlib.contextmanager
def writer_lock(
    path: Path | None = None,
    *,
    timeout: float | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> Iterator[None]:
    """The store's one-writer lock, held for the block (re-entrant within this process).

    An ingest takes it before it decides which files are new, so two ingests never both store
    the same file. When another process holds it, `on_wait(timeout)` is called once and the lock
    is polled until `timeout` seconds (DEFAULT_LOCK_WAIT when None) have passed; then a
    StoreError. `timeout=0` refuses at once.
    """
    path = Path(path) if path else config.db_path()
    lock_path = (path.parent / (path.name + ".lock")).absolute()
    if lock_path in _held:
        _held[lock_path] += 1
        try:
            yield
        finally:
            _held[lock_path] -= 1
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the data home {path.parent}: {exc.strerror} "
            "(set MIGPROFILE_HOME to a writable folder)"
        ) from None
    try:
        lock_fh = open(lock_path, "a+")  # noqa: SIM115 - held for the whole block
    except OSError as exc:
        raise StoreError(
            f"cannot write in {path.parent}: {exc.strerror} "
            "(set MIGPROFILE_HOME to a writable folder)"
        ) from None
    try:
        _acquire(
            lock_fh, path, DEFAULT_LOCK_WAIT if timeout is None else max(0.0, timeout), on_wait
        )
        _held[lock_path] = 1
        try:
            yield
        finally:
            del _held[lock_path]
    finally:
        lock_fh.close()  # closing the file releases the lock


def _acquire(lock_fh, path: Path, timeout: float, on_wait) -> None:
    deadline = time.monotonic() + timeout
    waited = False
    while True:
        try:
            fcntl.flock(lock_fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        if time.monotonic() >= deadline:
            if not waited:
                raise StoreError(
                    _("another ingest is writing {path}; try again when it ends").format(path=path)
                )
            raise StoreError(
                _(
                    "another ingest is still writing {path} after {seconds} s of waiting; "
                    "try again when it ends (or wait longer with --wait)"
                ).format(path=path, seconds=f"{timeout:g}")
            )
        if not waited and on_wait is not None:
            on_wait(timeout)
        waited = True
        time.sleep(min(_POLL, max(0.0, deadline - time.monotonic())))


# Run on the copy after the block's writes, before they commit: what later layers keep derived
# from the observations (indicators.query registers the resolved table here). A hook that fails
# fails the write, which leaves the store as it was.
BEFORE_COMMIT: list[Callable[[Store], None]] = []


@contextlib.contextmanager
def writer(
    path: Path | None = None,
    *,
    timeout: float | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> Iterator[Store]:
    """A writable copy of the store; swapped into place only if the block finishes.

    The writer lock (`writer_lock`) is held for the block: taken here unless the caller holds
    it already (ingest does, from before it decides what is new); `timeout`/`on_wait` as there.
    An older store is migrated (MIGRATIONS) in the copy; a full disk or a file-size limit at any
    step (copy, DuckDB's writes, checkpoint, swap) is a StoreError and leaves the store as it was.
    """
    path = Path(path) if path else config.db_path()
    with writer_lock(path, timeout=timeout, on_wait=on_wait):
        yield from _write(path)


def _write(path: Path) -> Iterator[Store]:
    """The copy, its transaction and the swap (the caller holds the writer lock)."""
    for stale in path.parent.glob(path.name + ".ingest-*"):
        stale.unlink(missing_ok=True)  # left by a killed ingest
    tmp = path.with_name(f"{path.name}.ingest-{os.getpid()}")
    try:
        if path.exists():
            _check_readable(path)
            shutil.copyfile(path, tmp)
        # One thread: an ingest's one big insert then writes its row groups as it goes (on the
        # real corpus ~10% faster, and the file a third smaller, than with a thread per core,
        # whose checkpoint compresses them again), and the other core stays free.
        con = duckdb.connect(str(tmp), config={"threads": 1})
    except OSError as exc:
        _remove(tmp)
        raise _write_error(path, "cannot prepare a copy of", exc) from None
    except duckdb.Error as exc:
        _remove(tmp)
        raise _write_error(path, "cannot prepare a copy of", exc) from None
    store = Store(con, path)
    ok = False
    try:
        try:
            if path.exists():
                store.migrate(store.check_version(writing=True))
            store.create_schema()
            store.refresh_builtin_geo()
            con.execute("BEGIN TRANSACTION")
        except (OSError, duckdb.IOException, duckdb.FatalException) as exc:
            raise _write_error(path, "cannot write a copy of", exc) from None
        try:
            yield store
            for hook in BEFORE_COMMIT:
                hook(store)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        # a COMMIT that cannot write its log (a full disk, a file-size limit) is a
        # TransactionException
        except (
            OSError, duckdb.IOException, duckdb.FatalException, duckdb.TransactionException
        ) as exc:  # fmt: skip
            if not isinstance(exc, OSError) or exc.errno in _NO_ROOM:
                raise _write_error(path, "cannot write a copy of", exc) from None
            raise
        ok = True
    finally:
        if not ok:
            with contextlib.suppress(Exception):
                con.execute("ROLLBACK")
        with contextlib.suppress(Exception):
            con.close()
        if ok:
            try:
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
                _fsync_dir(path.parent)
            except OSError as exc:
                _remove(tmp)
                raise _write_error(path, "cannot replace", exc) from None
        else:
            _remove(tmp)


def _write_error(path: Path, doing: str, exc: BaseException) -> StoreError:
    """One line naming the store, what failed and, for a full disk, what to do about it."""
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
        no_room = exc.errno in _NO_ROOM
    else:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        low = detail.lower()
        no_room = any(w in low for w in ("no space", "too large", "file size", "disk"))
        no_room = no_room or isinstance(exc, duckdb.IOException)
    message = f"{doing} {path}: {detail}"
    if no_room:
        message += " - disk full or file too large; the previous store is unchanged"
    return StoreError(message)


def _check_readable(path: Path) -> None:
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise StoreError(f"store {path} is unreadable ({str(exc).splitlines()[0]})") from None
    try:
        Store(con, path).check_version(writing=True)
    finally:
        con.close()


def _remove(tmp: Path) -> None:
    for p in (tmp, tmp.with_name(tmp.name + ".wal")):
        with contextlib.suppress(OSError):
            p.unlink()


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
