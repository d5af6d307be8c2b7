"""The pipeline: find or fetch files → recognise → parse → harmonise → one store transaction.

Everything is parsed before the store is touched, and the store is written through
`store.writer()` (a copy swapped in atomically): any error leaves the store as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from migprofile import config
from migprofile.errors import MigprofileError, ParseError, UsageError
from migprofile.geo import Harmoniser, build_harmoniser
from migprofile.sources import REGISTRY, FilePeek, Match, ParsedFile, Source, get_source
from migprofile.store import Store, writer

if TYPE_CHECKING:
    from migprofile.sources import ImportSpec

Progress = Callable[[str, int, int | None, str], None]  # (stage, done, total, label)

# Our own files (download records, partial downloads, the store): never candidates.
IGNORED_SUFFIXES = (".origin.json", ".part", ".lock", ".duckdb", ".wal")


@dataclass
class IngestReport:
    ingested: list[tuple[str, str, str, int]] = field(default_factory=list)  # path, src, ed, rows
    unchanged: list[tuple[str, str, str]] = field(default_factory=list)  # path, source, edition
    skipped: list[tuple[str, str]] = field(default_factory=list)  # path, reason
    downloaded: list[str] = field(default_factory=list)


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
    raw_dir: Path | None = None,
    offline: bool = False,
    db: Path | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    sources = [get_source(s) for s in source_ids] if source_ids else list(REGISTRY)
    raw_dir = config.raw_dir(raw_dir)
    if raw_dir is not None and not raw_dir.exists():
        raise UsageError(f"--raw-dir: {raw_dir} does not exist")
    report = IngestReport()
    notify = progress or (lambda *a: None)

    files = candidate_files([raw_dir, config.cache_dir()] if raw_dir else [config.cache_dir()])
    if not offline:
        files += _download_missing(sources, files, report, notify)

    matches: list[Match] = []
    for n, path in enumerate(files, 1):
        notify("recognise", n, len(files), path.name)
        match = recognise(path, sources)
        if match is None:
            report.skipped.append((str(path), "no known publisher layout"))
        elif match.layout == "not-selected":
            report.skipped.append((str(path), f"{match.source.id} not selected"))
        else:
            matches.append(match)

    db_file = Path(db) if db else config.db_path()
    existing = Store.open(db_file) if db_file.exists() else None
    try:
        harmoniser = harmoniser_for(existing)
        parsed: list[tuple[ParsedFile, str, int, int]] = []
        geo_marks: list[tuple[tuple[int, int, int], tuple[int, int, int]]] = []
        names_by_file: list[dict[str, str]] = []
        for n, match in enumerate(matches, 1):
            notify("parse", n, len(matches), match.path.name)
            sha, size = sha256_of(match.path)
            known = existing.known_file(match.source.id, sha) if existing else None
            if known is not None:
                report.unchanged.append((str(match.path), known.source, known.edition))
                continue
            if any(p[1] == sha and p[0].source == match.source.id for p in parsed):
                report.unchanged.append((str(match.path), match.source.id, "duplicate file"))
                continue
            before = _geo_mark(harmoniser)
            harmoniser.seen_names = {}
            parsed.append((match.source.parse(match, harmoniser), sha, size, n))
            names_by_file.append(harmoniser.seen_names)
            geo_marks.append((before, _geo_mark(harmoniser)))
    finally:
        if existing is not None:
            existing.close()

    if not parsed and db_file.exists():
        return report
    with writer(db_file) as store:
        for n, ((pf, sha, size, _), (before, after)) in enumerate(
            zip(parsed, geo_marks, strict=True), 1
        ):
            notify("store", n, len(parsed), pf.path.name)
            source = get_source(pf.source)
            origin = _origin_record(pf.path)
            _record_source(store, source)
            vid = store.add_vintage(
                pf.table,
                source=pf.source,
                edition=pf.edition,
                edition_order=pf.edition_order,
                layout=pf.layout,
                file_name=pf.path.name,
                file_path=str(pf.path),
                sha256=sha,
                bytes=size,
                url=origin.get("url"),
                retrieved_at=origin.get("retrieved_at"),
                note=pf.note,
            )
            store.add_source_indicators(vid, pf.indicators)
            store.add_geo_attributes(vid, pf.geo_attributes)
            store.add_geo_names(vid, names_by_file[n - 1])
            store.add_geo(
                harmoniser.new_entries[before[0] : after[0]],
                harmoniser.new_codes[before[1] : after[1]],
                harmoniser.new_members[before[2] : after[2]],
                vid,
            )
            report.ingested.append((str(pf.path), pf.source, pf.edition, pf.table.num_rows))
    return report


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
    """Fetch each official file the folders do not already hold (by file name)."""
    from migprofile.fetch import FetchError, fetch

    have = {p.name.lower() for p in files}
    new: list[Path] = []
    todo = [d for s in sources for d in s.downloads if d.filename.lower() not in have]
    for n, download in enumerate(todo, 1):
        notify("download", n, len(todo), download.filename)
        try:
            got = fetch(download.url, config.cache_dir(), filename=download.filename)
        except FetchError as exc:
            raise MigprofileError(
                f"{exc} — to work without the network use --offline with --raw-dir DIR"
            ) from None
        report.downloaded.append(str(got.path))
        new.append(got.path)
    return new


def import_file(
    path: Path,
    spec: ImportSpec,
    *,
    db: Path | None = None,
    known_indicators: Collection[str] | None = None,
) -> tuple[str, str, int, str]:
    """`migprofile import`: one user file, one vintage, same transaction rules as ingest.

    `known_indicators` (the catalogue's ids, which the pipeline does not import: it sits below
    the indicators) refuses an indicator that is neither one of them nor a source code."""
    from datetime import UTC, datetime

    from migprofile.sources import parse_user_file, source_id_for

    if known_indicators is not None and (
        spec.indicator not in known_indicators and ":" not in spec.indicator
    ):
        raise UsageError(
            f"--indicator: {spec.indicator!r} is not a catalogue id (see `migprofile indicators`)"
        )
    path = Path(path)
    source_id = source_id_for(spec, path)
    db_file = Path(db) if db else config.db_path()
    sha, size = sha256_of(path) if path.exists() else ("", 0)
    existing = Store.open(db_file) if db_file.exists() else None
    try:
        known = existing.known_file(source_id, sha) if existing else None
        if known is not None:
            return source_id, known.edition, 0, ""
        harmoniser = harmoniser_for(existing)
    finally:
        if existing is not None:
            existing.close()
    table, note = parse_user_file(path, spec, harmoniser)
    edition = spec.edition or datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%d")
    with writer(db_file) as store:
        store.upsert_source(
            source=source_id,
            title=spec.source_name or f"User file {path.name}",
            publisher=spec.source_name or "user import",
            homepage=None,
            licence=None,
            citation=spec.source_name or path.name,
            modelled=False,
            kind="user",
            short_name=source_id,  # cited by its id, as before short names were stored
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
            note="; ".join(x for x in (f"columns: geo={spec.geo_col} value={spec.value_col} "
                                        f"year={spec.year_col} partner={spec.partner_col} "
                                        f"sex={spec.sex_col}", note) if x),
        )  # fmt: skip
        store.add_geo(harmoniser.new_entries, harmoniser.new_codes, harmoniser.new_members, vid)
        store.add_geo_names(vid, harmoniser.seen_names)
    return source_id, edition, table.num_rows, note
