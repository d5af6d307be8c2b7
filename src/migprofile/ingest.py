"""The pipeline: find or fetch files → recognise → parse → harmonise → one store transaction.

Everything is parsed before the store is touched, and the store is written through
`store.writer()` (a copy swapped in atomically): an error while writing leaves the store as it
was. The parsed files go in together (`Store.add_files`: one insert per table, not a dozen per
file). The writer lock is taken before the pipeline decides which files are new (and what is
new is checked again in the writable copy), so two ingests never store a file twice.

A file that fails (a `MigprofileError` while recognising or parsing it) is reported and nothing
of it is stored; every other file is still stored, all in the one swap, and `ingest()` then
raises `IngestFailed` carrying the report. `strict=True` keeps all-or-nothing: the first
failure is raised as it is and nothing is stored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from migprofile import config
from migprofile.errors import MigprofileError, ParseError, UsageError
from migprofile.geo import Harmoniser, build_harmoniser
from migprofile.sources import REGISTRY, FilePeek, Match, ParsedFile, Source, get_source
from migprofile.store import Store, writer
from migprofile.store.writer import writer_lock
from migprofile.store.writes import FileRecord
from migprofile.wording import ngettext

if TYPE_CHECKING:
    from migprofile.fetch import FetchedFile
    from migprofile.sources import Download, ImportSpec

Progress = Callable[[str, int, int | None, str], None]  # (stage, done, total, label)

# Our own files (download records, partial downloads, the store): never candidates.
IGNORED_SUFFIXES = (".origin.json", ".part", ".lock", ".duckdb", ".wal")


@dataclass
class IngestReport:
    ingested: list[tuple[str, str, str, int]] = field(default_factory=list)  # path, src, ed, rows
    unchanged: list[tuple[str, str, str]] = field(default_factory=list)  # path, source, edition
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, reason
    downloaded: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # path, reason (one line)


class IngestFailed(ParseError):
    """Some files failed (each in `report.failed`); every other file of the run was stored.

    A ParseError naming the (first) failed file, so callers that catch a parse error keep
    working; one failure keeps its own message."""

    def __init__(self, report: IngestReport, first: MigprofileError):
        self.report = report
        self.first = first
        self.path = report.failed[0][0]
        self.sheet = getattr(first, "sheet", None)
        self.row = getattr(first, "row", None)
        n = len(report.failed)
        if n == 1:
            message = str(first)
        else:
            message = ngettext(
                "{n} file failed and was not stored: {files}",
                "{n} files failed and were not stored: {files}",
                n,
            ).format(n=n, files=", ".join(path for path, _reason in report.failed))
        MigprofileError.__init__(self, message)


def failure_reason(path: Path | str, exc: BaseException) -> str:
    """Why a file failed, on one line and without the file's path (the report names it)."""
    text = str(exc).strip().splitlines()[0].strip() if str(exc).strip() else type(exc).__name__
    prefix = str(path)
    if text.startswith(prefix) and len(text) > len(prefix):
        text = text[len(prefix) :].lstrip(",:").strip() or text
    return text


def sha256_of(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def harmoniser_for(store: Store | None) -> Harmoniser:
    """The code-defined geography, plus what the store's earlier ingests added."""
    return build_harmoniser() if store is None else store.harmoniser()


def candidate_files(folders: Iterable[Path]) -> list[Path]:
    """Every file under the folders, recursively; our own sidecars and hidden files excluded."""
    seen: dict[Path, None] = {}
    for folder in folders:
        if folder is None or not folder.exists():
            continue
        paths = (
            [folder] if folder.is_file() else sorted(p for p in folder.rglob("*") if p.is_file())
        )
        for p in paths:
            if p.name.startswith(".") or p.name.lower().endswith(IGNORED_SUFFIXES):
                continue
            seen.setdefault(p.resolve(), None)
    return list(seen)


def recognise(path: Path, sources: list[Source]) -> Match | None:
    """The source whose content signature the file has; an error if only its name matches."""
    peek = FilePeek(path)
    for source in REGISTRY:
        match = source.recognise(path, peek)
        if match is not None:
            match.context["peek"] = peek
            return match if source in sources else Match(source, path, "not-selected")
    for source in sources:
        if source.claims_name(path):
            reason = peek.workbook_error if peek.is_workbook else None
            raise ParseError(
                path,
                f"named like a {source.title} file, but "
                + (reason or "its content does not match that layout (sheet or header missing)"),
            )
    return None


def ingest(
    source_ids: list[str] | None = None,
    *,
    raw_dir: Path | Sequence[Path] | None = None,
    offline: bool = False,
    db: Path | None = None,
    progress: Progress | None = None,
    strict: bool = False,
    lock_timeout: float | None = None,
    on_wait: Callable[[float], None] | None = None,
) -> IngestReport:
    """Recognise, parse and store every new file; the report lists what became of each.

    A file that fails is left out (nothing of it stored) and the others are stored; then
    `IngestFailed` (with `.report`) is raised. `strict=True`: the first failure is raised and
    nothing is stored. `lock_timeout`/`on_wait`: how long to wait for another ingest that holds
    the writer lock, and what to call when waiting starts (see `store.writer.writer_lock`)."""
    sources = [get_source(s) for s in source_ids] if source_ids else list(REGISTRY)
    given = [raw_dir] if isinstance(raw_dir, (str, Path)) else list(raw_dir or ())
    raw_dirs = config.raw_dirs(given)
    for folder in raw_dirs:
        if not folder.exists():
            raise UsageError(f"--raw-dir: {folder} does not exist")
    report = IngestReport()
    notify = progress or (lambda *a: None)
    errors: list[MigprofileError] = []

    def failed(path: Path, exc: MigprofileError) -> None:
        if strict:
            raise exc
        report.failed.append((str(path), failure_reason(path, exc)))
        errors.append(exc)

    files = candidate_files([*raw_dirs, config.cache_dir()])
    if not offline:
        files += _download_missing(sources, files, report, notify)

    matches: list[Match] = []
    for n, path in enumerate(files, 1):
        notify("recognise", n, len(files), path.name)
        try:
            match = recognise(path, sources)
        except MigprofileError as exc:
            failed(path, exc)
            continue
        if match is None:
            report.skipped.append((str(path), "no known publisher layout"))
        elif match.layout == "not-selected":
            report.skipped.append((str(path), f"{match.source.id} not selected"))
        else:
            matches.append(match)

    db_file = Path(db) if db else config.db_path()
    # The lock first: what is new is decided while no other ingest can write.
    with writer_lock(db_file, timeout=lock_timeout, on_wait=on_wait):
        parsed = _parse_new(matches, db_file, report, notify, failed)
        if parsed or not (db_file.exists() or report.failed) or _builtin_geo_stale(db_file):
            with writer(db_file) as store:
                _store_parsed(store, parsed, report, notify)
    if errors:
        raise IngestFailed(report, errors[0])
    return report


def _builtin_geo_stale(db_file: Path) -> bool:
    """A store written by another migprofile version's geography (new groups, members): an
    ingest with nothing new still rewrites it, so reads see this version's aggregates."""
    if not db_file.exists():
        return False
    try:
        with Store.open(db_file, read_only=True) as store:
            return not store.builtin_geo_current()
    except Exception:  # an unreadable store is reported by the writer, not here
        return False


@dataclass
class _Parsed:
    pf: ParsedFile
    sha: str
    size: int
    names: dict[str, str]  # how the file wrote each geo's name
    # what parsing the file added to the harmoniser: its entries, codes and members
    geo: tuple[list, list, list]


def _parse_new(
    matches: list[Match],
    db_file: Path,
    report: IngestReport,
    notify: Progress,
    failed: Callable[[Path, MigprofileError], None],
) -> list[_Parsed]:
    """Parse the files the store does not hold yet (by source and sha256); failures are
    reported through `failed` and leave the harmoniser as it was before the file."""
    existing = Store.open(db_file) if db_file.exists() else None
    parsed: list[_Parsed] = []
    seen: set[tuple[str, str]] = set()  # (source, sha256) parsed in this run
    try:
        harmoniser = harmoniser_for(existing)
        for n, match in enumerate(matches, 1):
            notify("parse", n, len(matches), match.path.name)
            # Read once: the sha256 recorded is that of the very bytes the parser reads.
            peek = match.context.get("peek")
            try:
                sha, size = (peek.sha256, len(peek.data)) if peek else sha256_of(match.path)
            except MigprofileError as exc:
                failed(match.path, exc)
                continue
            known = existing.known_file(match.source.id, sha) if existing else None
            if known is not None:
                match.context.pop("peek", None)
                report.unchanged.append((str(match.path), known.source, known.edition))
                continue
            if (match.source.id, sha) in seen:
                match.context.pop("peek", None)
                report.unchanged.append((str(match.path), match.source.id, "duplicate file"))
                continue
            before, state = _geo_mark(harmoniser), _geo_state(harmoniser)
            harmoniser.seen_names = {}
            try:
                pf = match.source.parse(match, harmoniser)
            except MigprofileError as exc:
                _restore_geo_state(harmoniser, state)
                failed(match.path, exc)
                continue
            match.context.pop("peek", None)  # the file's bytes are no longer needed
            seen.add((match.source.id, sha))
            after = _geo_mark(harmoniser)
            added = (
                harmoniser.new_entries[before[0] : after[0]],
                harmoniser.new_codes[before[1] : after[1]],
                harmoniser.new_members[before[2] : after[2]],
            )
            parsed.append(_Parsed(pf, sha, size, harmoniser.seen_names, added))
    finally:
        if existing is not None:
            existing.close()
    return parsed


def _store_parsed(
    store: Store, parsed: list[_Parsed], report: IngestReport, notify: Progress
) -> None:
    """Every parsed file in the writer's one transaction (swapped in at its end; the lock is
    held)."""
    files: list[FileRecord] = []
    stored: list[_Parsed] = []
    for n, item in enumerate(parsed, 1):
        pf = item.pf
        notify("store", n, len(parsed), pf.path.name)
        known = store.known_file(pf.source, item.sha)  # decided again, in the copy
        if known is not None:
            report.unchanged.append((str(pf.path), known.source, known.edition))
            continue
        origin = _origin_record(pf.path)
        files.append(
            FileRecord(
                table=pf.table,
                vintage={
                    "source": pf.source,
                    "edition": pf.edition,
                    "edition_order": pf.edition_order,
                    "layout": pf.layout,
                    "file_name": pf.path.name,
                    "file_path": str(pf.path),
                    "sha256": item.sha,
                    "bytes": item.size,
                    "url": origin.get("url"),
                    "retrieved_at": origin.get("retrieved_at"),
                    "note": pf.note,
                },
                indicators=pf.indicators,
                geo_attributes=pf.geo_attributes,
                names=item.names,
                geo=item.geo,
            )
        )
        stored.append(item)
    for source_id in dict.fromkeys(item.pf.source for item in stored):
        _record_source(store, get_source(source_id))  # the same row for each of its files
    store.add_files(files)
    for item in stored:
        pf = item.pf
        report.ingested.append((str(pf.path), pf.source, pf.edition, pf.table.num_rows))


def _geo_state(h: Harmoniser) -> dict[str, object]:
    """A copy of what parsing a file may change in the harmoniser (its tables and logs)."""
    state: dict[str, object] = {}
    for f in dataclasses.fields(h):
        value = getattr(h, f.name)
        if isinstance(value, dict):
            state[f.name] = {k: set(v) if isinstance(v, set) else v for k, v in value.items()}
        elif isinstance(value, list | set):
            state[f.name] = type(value)(value)
    return state


def _restore_geo_state(h: Harmoniser, state: dict[str, object]) -> None:
    """Forget what a failed file registered: nothing of it may reach the store."""
    for name, value in state.items():
        setattr(h, name, value)


def _geo_mark(h: Harmoniser) -> tuple[int, int, int]:
    return len(h.new_entries), len(h.new_codes), len(h.new_members)


def _record_source(store: Store, source: Source) -> None:
    store.upsert_source(
        source=source.id,
        title=source.title,
        publisher=source.publisher,
        homepage=source.homepage,
        licence=source.licence,
        citation=source.citation,
        modelled=source.modelled,
        kind="publisher",
        short_name=source.short_name,
    )


def _origin_record(path: Path) -> dict:
    """The download record fetch() wrote beside a cached file (url, retrieved_at...), if any."""
    sidecar = path.with_name(path.name + ".origin.json")
    if sidecar.exists():
        import json

        try:
            return json.loads(sidecar.read_text())
        except (OSError, ValueError):
            return {}
    return {}


def _download_missing(sources, files, report: IngestReport, notify) -> list[Path]:
    """Fetch each official file the folders do not already hold (by file name); a paged
    download (`Download.paging`: the UNHCR population API) is every page merged in one file."""
    from migprofile.fetch import FetchError

    have = {p.name.lower() for p in files}
    new: list[Path] = []
    todo = [d for s in sources for d in s.downloads if d.filename.lower() not in have]
    for n, download in enumerate(todo, 1):
        notify("download", n, len(todo), download.filename)
        try:
            got = _fetch_download(download, config.cache_dir())
        except FetchError as exc:
            raise MigprofileError(
                f"{exc} — to work without the network use --offline with --raw-dir DIR"
            ) from None
        report.downloaded.append(str(got.path))
        new.append(got.path)
    return new


def _fetch_download(download: Download, cache_dir: Path) -> FetchedFile:
    """One Download into the cache: fetch(), or fetch_paged() over its pages."""
    from functools import partial

    from migprofile.fetch import fetch, fetch_paged, page_url

    paging = download.paging
    if paging is None:
        return fetch(download.url, cache_dir, filename=download.filename)
    return fetch_paged(
        partial(page_url, download.url, paging.parameter),
        cache_dir,
        download.filename,
        pages_field=paging.pages_field,
        items_field=paging.items_field,
        first_page=paging.first_page,
        page_field=paging.page_field,
    )


@dataclass(frozen=True)
class NewIndicator:
    """A user's own indicator that `import` creates (or whose words it updates): its title,
    unit and definition as the user gives them, and `concept`, the catalogue id of the
    standard indicator it measures by another definition (shown beside it, never in it)."""

    title: str
    unit: str = ""
    definition: str = ""
    concept: str = ""


_ID_SHAPE = re.compile(r"[a-z][a-z0-9_]{1,63}")


def _check_user_indicator(
    spec: ImportSpec,
    new: NewIndicator | None,
    known_indicators: Collection[str],
    stored: dict[str, dict],
) -> NewIndicator | None:
    """What the import does to the catalogue: nothing (a catalogue id or a source code), add
    to a stored user indicator, or create one; every refusal names its option."""
    ind = spec.indicator
    if ind in known_indicators:
        if new is not None:
            raise UsageError(
                f"--indicator: {ind!r} is a standard indicator; a figure measured another way "
                f"gets an id of its own, e.g. --indicator national_{ind} --concept {ind}"
            )
        return None
    if ":" in ind:
        return None
    if new is None:
        if ind in stored:
            return None  # adds to the user's indicator of that id
        raise UsageError(
            f"--indicator: {ind!r} is neither a catalogue id (see `migprofile indicators`) nor "
            "an indicator of yours yet; to create it give --title (and --unit, --definition, "
            "--concept)"
        )
    if not _ID_SHAPE.fullmatch(ind):
        raise UsageError(
            f"--indicator: {ind!r}: an id of your own is 2–64 lower-case letters, digits and "
            "underscores, starting with a letter"
        )
    if not new.title.strip():
        raise UsageError("--title: must not be empty")
    if new.concept and new.concept not in known_indicators:
        raise UsageError(
            f"--concept: {new.concept!r} is not a catalogue id (see `migprofile indicators`)"
        )
    return new


def _columns_note(spec: ImportSpec) -> str:
    """Which columns the import read, as the vintage's note records it."""
    where = "years across" if spec.years_across else f"value={spec.value_col} year={spec.year_col}"
    return f"columns: geo={spec.geo_col} {where} partner={spec.partner_col} sex={spec.sex_col}" + (
        f" sheet={spec.sheet}" if spec.sheet else ""
    )


def import_file(
    path: Path,
    spec: ImportSpec,
    *,
    db: Path | None = None,
    known_indicators: Collection[str] | None = None,
    new_indicator: NewIndicator | None = None,
    licence: str | None = None,
) -> tuple[str, str, int, str]:
    """`migprofile import`: one user file, one vintage, same transaction rules as ingest.

    `known_indicators` (the catalogue's ids, which the pipeline does not import: it sits below
    the indicators) refuses an indicator that is none of them, no source code and no user
    indicator of the store, unless `new_indicator` creates it."""
    from datetime import UTC, datetime

    from migprofile.sources import parse_user_file, source_id_for

    path = Path(path)
    source_id = source_id_for(spec, path)
    db_file = Path(db) if db else config.db_path()
    if not path.exists():
        raise UsageError(f"FILE: {path} does not exist")
    sha, size = sha256_of(path)
    with writer_lock(db_file):  # what is new is decided under the lock, as in ingest
        existing = Store.open(db_file) if db_file.exists() else None
        try:
            stored = {r["indicator"]: r for r in existing.user_indicators()} if existing else {}
            if known_indicators is not None:
                new_indicator = _check_user_indicator(spec, new_indicator, known_indicators, stored)
            known = existing.known_file(source_id, sha) if existing else None
            if known is not None and new_indicator is None:
                return source_id, known.edition, 0, ""
            harmoniser = harmoniser_for(existing)
        finally:
            if existing is not None:
                existing.close()
        table, note = parse_user_file(path, spec, harmoniser)
        edition = spec.edition or datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime(
            "%Y-%m-%d"
        )
        with writer(db_file) as store:
            if new_indicator is not None:
                store.upsert_user_indicator(
                    spec.indicator,
                    new_indicator.title.strip(),
                    new_indicator.unit.strip(),
                    new_indicator.definition.strip(),
                    new_indicator.concept or None,
                )
            if known is not None:  # the same file again: only the indicator's words changed
                return source_id, known.edition, 0, ""
            store.upsert_source(
                source=source_id,
                title=spec.source_name or f"User file {path.name}",
                publisher=spec.source_name or "user import",
                homepage=None,
                licence=licence or None,
                citation=spec.source_name or path.name,
                modelled=False,
                kind="user",
                short_name=spec.source_name or source_id,
            )
            vid = store.add_vintage(
                table,
                source=source_id,
                edition=edition,
                edition_order=edition,
                layout="user-import",
                file_name=path.name,
                file_path=str(path),
                sha256=sha,
                bytes=size,
                url=None,
                retrieved_at=None,
                note="; ".join(x for x in (_columns_note(spec), note) if x),
            )  # fmt: skip
            store.add_geo(harmoniser.new_entries, harmoniser.new_codes, harmoniser.new_members, vid)
            store.add_geo_names(vid, harmoniser.seen_names)
    return source_id, edition, table.num_rows, note
