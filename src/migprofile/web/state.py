"""The web package's shared state: the store holder, its snapshots and their caches.

One read-only DuckDB connection per store file; each request reads through its own cursor
(DuckDB connections are not thread-safe, cursors are). When `migprofile ingest` swaps a new store
file into place the next request notices (inode/mtime change); a background thread opens the new
file and warms it (name variants, then the holder's `warmers`: the response cache replays the most
requested URLs, which builds their profiles and pages) while the old snapshot keeps answering,
and only then makes it current. So no request waits for a reopen, and the ETag, which is derived
from the store's latest vintage, changes with the data once the new one is warm.

Both faces (the API and the pages) read through a `Snapshot`: its geo table and index, its
members, and one profile cache (built by one `ProfileBuilder` per snapshot).
"""

from __future__ import annotations

import difflib
import gc
import itertools
import logging
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from migprofile import __version__, config
from migprofile.errors import MigprofileError, StoreError
from migprofile.geo.world_names import place_name
from migprofile.indicators import know_user_indicators
from migprofile.profiles import ProfileBuilder
from migprofile.profiles.model import Profile, Series
from migprofile.store import Store
from migprofile.wording.i18n import current_language, shipped_languages

ENV_WARM = "MIGPROFILE_WARM"  # "sync": reopen in the request that notices (no warming)
PROFILE_CACHE_SIZE = 256  # built profiles kept per snapshot
PROFILE_DICT_CACHE_SIZE = 128  # their JSON-ready dicts, for the API
REOPEN_RETRY_SECONDS = 5.0  # a new store file that failed to open is retried after this
RETIRE_GRACE_SECONDS = 1.0  # a replaced snapshot stays open at least this long

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger(__name__)
# (holder, snapshot) the current request is pinned to, set by PinSnapshot
_PINNED: ContextVar[tuple[StoreHolder, Snapshot] | None] = ContextVar(
    "migprofile_pinned", default=None
)
_SNAPSHOT_IDS = itertools.count(1)  # unique per opened file in this process, over all holders


def pinned_snapshot() -> Snapshot | None:
    """The snapshot the current request is pinned to, if any."""
    pin = _PINNED.get()
    return pin[1] if pin is not None else None


@contextmanager
def pinned(holder: StoreHolder, snap: Snapshot) -> Iterator[None]:
    """Read `snap` through `holder` in this block (warming a snapshot that is not live yet)."""
    token = _PINNED.set((holder, snap))
    try:
        yield
    finally:
        _PINNED.reset(token)


@dataclass
class Snapshot:
    """One opened store file and what the web keeps in memory about it."""

    store: Store
    stat: tuple[int, int, int]
    version: str
    geo_rows: list[dict]
    geo_index: dict[str, str]  # lower-case geo id / ISO3 / M49 / name → geo id
    members: dict[str, list[str]]
    by_id: dict[str, dict] = field(default_factory=dict)  # geo id → its geo row
    builder_lock: threading.Lock = field(default_factory=threading.Lock)
    builder: ProfileBuilder | None = None
    profiles: OrderedDict[str, Profile] = field(default_factory=OrderedDict)
    profile_dicts: OrderedDict[str, dict] = field(default_factory=OrderedDict)
    names: list[tuple[str, str]] | None = None  # (name variant, geo), see name_variants
    pins: int = 0  # requests in flight on this snapshot (see StoreHolder.pin)
    retired_at: float | None = None  # when a newer file replaced it
    portal: Any = None  # the pages' rendered-page cache of this snapshot (web.pages)
    uid: int = field(default_factory=lambda: next(_SNAPSHOT_IDS))

    @property
    def key(self) -> str:
        """Unique per opened file (two files of the same vintage differ): the response cache's."""
        return f"{self.version}#{self.uid}"

    def __post_init__(self) -> None:
        if not self.by_id:
            self.by_id = {r["geo"]: r for r in self.geo_rows}

    def reader(self) -> Store:
        """A Store over a fresh cursor of the shared read-only connection (close it after)."""
        return self.store.cursor()

    @contextmanager
    def read(self) -> Iterator[Store]:
        """`reader()`, closed when the block ends."""
        store = self.reader()
        try:
            yield store
        finally:
            store.close()

    def suggest(self, text: str, n: int = 3) -> list[str]:
        """Close matches to an unknown geo among names, ids and ISO3 codes."""
        key = str(text).strip().lower()[:100]
        names = {r["name"].lower(): r["name"] for r in self.geo_rows if r.get("name")}
        ids = {r["geo"].lower(): r["geo"] for r in self.geo_rows}
        close = difflib.get_close_matches(key, list(names), n=n, cutoff=0.5)
        out = [names[c] for c in close]
        out += [ids[c] for c in difflib.get_close_matches(key, list(ids), n=n, cutoff=0.6)]
        return list(dict.fromkeys(out))[:n]

    def name_variants(self) -> list[tuple[str, str]]:
        """Every (name variant, geo) the store knows: the geo table and the sources' own names."""
        if self.names is None:
            with self.read() as store:
                extra = store.geo_name_pairs()
            names = [(r["name"], r["geo"]) for r in self.geo_rows if r["name"]]
            # and each country's name in every language the portal speaks ('Молдова')
            local = [
                (name, r["geo"])
                for r in self.geo_rows
                if r["kind"] == "country"
                for lang in shipped_languages()
                if (name := place_name(r["geo"], lang))
            ]
            self.names = list(dict.fromkeys(names + local + [(n, g) for n, g in extra if n and g]))
        return self.names

    def _builder(self) -> ProfileBuilder:
        """The snapshot's one builder (call with builder_lock held)."""
        if self.builder is None:
            self.builder = ProfileBuilder(self.reader())
        return self.builder

    def profile(self, geo: str) -> Profile:
        """The profile of a resolved geo id, built once per snapshot (UsageError if none)."""
        key = f"{current_language()}/{geo}"  # a profile is built in the request's language
        with self.builder_lock:
            if key in self.profiles:
                self.profiles.move_to_end(key)
                return self.profiles[key]
            built = self._builder().build(geo)
            self.profiles[key] = built
            while len(self.profiles) > PROFILE_CACHE_SIZE:
                self.profiles.popitem(last=False)
            return built

    def profile_dict(self, geo: str) -> dict:
        """`profile(geo).to_dict()`, kept for the API."""
        key = f"{current_language()}/{geo}"
        with self.builder_lock:
            if key in self.profile_dicts:
                self.profile_dicts.move_to_end(key)
                return self.profile_dicts[key]
        data = self.profile(geo).to_dict()
        with self.builder_lock:
            self.profile_dicts[key] = data
            while len(self.profile_dicts) > PROFILE_DICT_CACHE_SIZE:
                self.profile_dicts.popitem(last=False)
        return data

    def series(self, indicator: str, geo: str) -> Series:
        """One indicator's series for one geo, as the profiles chart it."""
        with self.builder_lock:
            return self._builder().series(indicator, geo, None)

    def rows(self, indicator: str, geo: str) -> list[dict]:
        """The store rows behind one indicator for one geo."""
        with self.builder_lock:
            return list(self._builder().rows(indicator, geo))


class StoreHolder:
    """The read-only store behind the app, reopened when an ingest replaces the file.

    `migprofile ingest` builds a new file and os.replace()s it over the old one. DuckDB caches
    database instances per path inside a process: connecting to the same path while a
    connection to it is still open returns the *old* instance (the replaced, unlinked file). So
    each generation is opened through a private, uniquely named hard link to the file (see
    `_alias`), which gives DuckDB a new path and the new file. Each request is pinned to the
    snapshot it started with (see `pin`), so a response never mixes two vintages; a replaced
    snapshot is closed once its last pinned request has ended. The server only ever holds
    read-only connections, so it never blocks an ingest.
    """

    def __init__(self, path: Path | None) -> None:
        self._path = Path(path) if path else None
        self._lock = threading.Lock()  # guards _snap, _retired and the pin counts
        self._open_lock = threading.Lock()  # one reopen at a time; readers never wait for it
        self._snap: Snapshot | None = None
        self._retired: list[Snapshot] = []
        self._failed: tuple[tuple[int, int, int], float] | None = None
        self._generation = 0
        self._link_dirs: dict[Path, Path] = {}  # store folder → private folder for the links
        # background: a new file is opened and warmed in a thread, then swapped in (default);
        # False: the request that notices opens it itself, as before (no warming)
        self.background_warm = os.environ.get(ENV_WARM, "").strip().lower() != "sync"
        self.warmers: list[Callable[[Snapshot], object]] = []  # run on a new snapshot first
        self.swap_listeners: list[Callable[[Snapshot], object]] = []  # told when one goes live
        self._pending: threading.Thread | None = None  # the warming thread, while it runs
        self._closed = False
        self.last_warm_seconds: float | None = None  # how long the last open + warm took

    @property
    def path(self) -> Path:
        return self._path or config.db_path()

    def snapshot(self) -> Snapshot:
        """The request's pinned snapshot, else the current one (reopened if the file changed)."""
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] is self:
            return pinned[1]
        return self._current()

    def pin(self) -> Snapshot:
        """The current snapshot, held open until `unpin` (one pin per request)."""
        snap = self._current()
        with self._lock:
            snap.pins += 1
        return snap

    def unpin(self, snap: Snapshot) -> None:
        with self._lock:
            snap.pins -= 1
            closing = self._reap()
        _close_all(closing)

    def wait_for_swap(self, timeout: float = 60.0) -> bool:
        """Wait until a new file being warmed is live (True), or `timeout` passed (False).

        Notices a replaced file first, so after an ingest one call makes its data current."""
        try:
            self._current()
        except MigprofileError:
            return True
        pending = self._pending
        if pending is not None:
            pending.join(timeout)
            return not pending.is_alive()
        return True

    def close(self) -> None:
        """Close every connection (for tests and shutdown)."""
        with self._lock:
            closing = [*self._retired, *([self._snap] if self._snap else [])]
            self._retired, self._snap = [], None
            self._closed = True  # a snapshot still being warmed is closed, not installed
        _close_all(closing)
        for folder in self._link_dirs.values():
            shutil.rmtree(folder, ignore_errors=True)
        self._link_dirs.clear()

    def _current(self) -> Snapshot:
        path = self.path
        try:
            st = path.stat()
        except OSError:
            if self._snap is not None:  # replaced right now? keep serving what we have
                return self._snap
            raise StoreError("the data store is not available") from None
        stat = (st.st_ino, st.st_mtime_ns, st.st_size)
        snap = self._snap
        if snap is not None and snap.stat == stat:
            return snap
        failed = self._failed
        if (
            snap is not None
            and failed
            and failed[0] == stat
            and (time.monotonic() - failed[1] < REOPEN_RETRY_SECONDS)
        ):
            return snap  # the new file would not open a moment ago: keep the old one
        if snap is not None and self.background_warm:
            self._start_warming(path, stat)
            return snap  # the old one answers until the new one is warm
        # Only one thread reopens; the others keep serving the old snapshot meanwhile.
        if not self._open_lock.acquire(blocking=snap is None):
            return snap  # type: ignore[return-value]
        try:
            cur = self._snap
            if cur is not None and cur is not snap and cur.stat == stat:
                return cur  # another thread reopened it while we waited
            try:
                new = self._open_generation(path)
            except Exception as exc:  # any failure to open keeps the old file serving
                if cur is None:
                    if isinstance(exc, StoreError):
                        raise
                    raise StoreError("the data store is not available") from None
                self._failed = (stat, time.monotonic())
                log.warning("keeping the open store: cannot open the new %s: %s", path, exc)
                return cur
            self._failed = None
            self._closed = False  # opened again after close(): in use again
            self._install(new)
            return new
        finally:
            self._open_lock.release()

    def _install(self, new: Snapshot) -> None:
        """Make `new` current, retire the old one, tell the listeners."""
        with self._lock:
            closing = [new] if self._closed else []
        if closing:
            _close_all(closing)
            return
        with self._lock:
            old, self._snap = self._snap, new
            if old is not None:
                old.retired_at = time.monotonic()
                self._retired.append(old)
            closing = self._reap()
        _close_all(closing)
        for listener in self.swap_listeners:
            try:
                listener(new)
            except Exception as exc:  # a listener must never undo a swap
                log.warning("after the store swap: %s", exc)

    def _start_warming(self, path: Path, stat: tuple[int, int, int]) -> None:
        """Start the thread that opens, warms and swaps in the file now at `path` (once)."""
        with self._lock:
            if self._pending is not None:
                return  # one at a time: a file replaced meanwhile is noticed after it
            thread = threading.Thread(
                target=self._warm_and_swap, args=(path, stat), name="migprofile-warm", daemon=True
            )
            self._pending = thread
        thread.start()

    def _warm_and_swap(self, path: Path, stat: tuple[int, int, int]) -> None:
        started = time.monotonic()
        # Warming builds millions of rows and pages: each full cyclic collection would walk
        # them all while holding the GIL (a third of a second, felt by every request). The
        # collector pauses while it runs; what it built is then frozen (kept out of later
        # collections: rows are freed by reference counting when the snapshot retires).
        collecting = gc.isenabled()
        gc.disable()
        try:
            with self._open_lock:
                try:
                    new = self._open_generation(path)
                except Exception as exc:  # the old file keeps serving; retried later
                    self._failed = (stat, time.monotonic())
                    log.warning("keeping the open store: cannot open the new %s: %s", path, exc)
                    return
            try:
                new.name_variants()
                for warmer in self.warmers:
                    warmer(new)
            except Exception as exc:  # a half-warm snapshot is still a correct one
                log.warning("warming the new store: %s", exc)
            self._failed = None
            self._install(new)
            self.last_warm_seconds = time.monotonic() - started
            log.info("new store live after %.2f s of warming", self.last_warm_seconds)
        finally:
            if collecting:
                gc.freeze()
                gc.enable()
            with self._lock:
                self._pending = None

    def _reap(self) -> list[Snapshot]:
        """Retired snapshots no request holds any more (call with _lock held)."""
        now = time.monotonic()
        done = [
            s
            for s in self._retired
            if s.pins <= 0 and now - (s.retired_at or now) >= RETIRE_GRACE_SECONDS
        ]
        if done:
            self._retired = [s for s in self._retired if s not in done]
        return done

    def _open_generation(self, path: Path) -> Snapshot:
        """Open the file now at `path` under a path DuckDB has not cached an instance for."""
        self._generation += 1
        alias = self._alias(path, self._generation)
        if alias is None:  # no hard links here: the plain path (fresh only when nothing is open)
            st = path.stat()
            return self._open(path, (st.st_ino, st.st_mtime_ns, st.st_size))
        try:
            st = alias.stat()  # the file we linked, even if another ingest replaced it since
            snap = self._open(alias, (st.st_ino, st.st_mtime_ns, st.st_size))
        finally:
            # DuckDB keeps the file open; the link itself is not needed any more
            alias.unlink(missing_ok=True)
        snap.store.path = path
        return snap

    def _alias(self, path: Path, generation: int) -> Path | None:
        """A new hard link to the store file in a private folder, or None if none can be made."""
        name = f"gen-{os.getpid()}-{generation}.duckdb"
        folder = self._link_dirs.get(path.parent)
        if folder is not None:
            try:
                os.link(path, folder / name)
                return folder / name
            except OSError:
                pass  # folder gone? make a new one
        for where in (None, path.parent):  # the system temp folder, else next to the store
            try:
                folder = Path(tempfile.mkdtemp(prefix=".migprofile-serve-", dir=where))
            except OSError:
                continue
            try:
                os.link(path, folder / name)  # fails across file systems: try the next place
            except OSError:
                shutil.rmtree(folder, ignore_errors=True)
                continue
            old = self._link_dirs.pop(path.parent, None)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self._link_dirs[path.parent] = folder
            weakref.finalize(self, shutil.rmtree, str(folder), True)
            return folder / name
        return None

    @staticmethod
    def _open(path: Path, stat: tuple[int, int, int]) -> Snapshot:
        store = Store.open(path, read_only=True)
        try:
            cur = store.cursor()
            try:
                latest, count, geo_rows, members = cur.portal_geo()
                know_user_indicators(cur)  # the user's own ids read as catalogue ids
            finally:
                cur.close()
        except BaseException:
            store.close()
            raise
        index: dict[str, str] = {}
        for r in geo_rows:  # names first, so codes win a clash
            if r["name"]:
                index.setdefault(r["name"].lower(), r["geo"])
        for r in geo_rows:
            if r["m49"] is not None and r["kind"] == "country":
                index[str(r["m49"])] = r["geo"]
        for r in geo_rows:
            if r["iso3"]:
                index[r["iso3"].lower()] = r["geo"]
            index[r["geo"].lower()] = r["geo"]
        version = f"{latest}.{count}.{__version__}"
        return Snapshot(store, stat, version, geo_rows, index, members)


def _close_all(snaps: list[Snapshot]) -> None:
    for snap in snaps:
        try:
            snap.store.close()
        except Exception as exc:  # closing must never fail a request
            log.debug("closing an old store connection: %s", exc)


class PinSnapshot:
    """ASGI middleware: each HTTP request reads one snapshot from its first byte to its last.

    Outermost, so the pin also covers streamed bodies; the holder is looked up per request
    (tests may swap `app.state.holder`).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        holder = None
        if scope["type"] == "http":
            holder = getattr(scope["app"].state, "holder", None)
        if not isinstance(holder, StoreHolder):
            await self.app(scope, receive, send)
            return
        current = _PINNED.get()
        if current is not None and current[0] is holder:  # already pinned (warming replays)
            await self.app(scope, receive, send)
            return
        try:
            snap = holder.pin()
        except MigprofileError:  # no store: the routes answer 503 themselves
            await self.app(scope, receive, send)
            return
        token = _PINNED.set((holder, snap))
        try:
            await self.app(scope, receive, send)
        finally:
            _PINNED.reset(token)
            holder.unpin(snap)


def snapshot(request: Request) -> Snapshot:
    """The snapshot the request reads (pinned by PinSnapshot; StoreError if there is no store)."""
    return request.app.state.holder.snapshot()
