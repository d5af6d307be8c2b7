"""Download publisher files (UN DESA workbooks, World Bank WDI bulk files) into a cache.

Publisher servers are flaky: they rate-limit, drop connections mid-body, answer with an
HTML error page under a ``.xlsx`` URL, or quietly replace a file. Every downstream
figure depends on these bytes, so this module makes a download either complete and
recorded (file + ``<name>.origin.json`` sidecar with URL, SHA-256, size, time) or absent:
it never leaves a partial or unverified file under a final name.

A paged API (the UNHCR population API answers `{"page", "maxPages", "items"}`) is fetched
whole by fetch_paged(): every page with the same retries, their items merged in page order
into one file `{"items": [...]}`, recorded like any download (plus the number of pages).
"""

from __future__ import annotations

import contextlib
import email.message
import email.utils
import hashlib
import json
import logging
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, unquote, unquote_plus, urlsplit, urlunsplit

import httpx

__all__ = ["FetchError", "FetchedFile", "fetch", "fetch_paged", "page_url"]

log = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".origin.json"
PART_SUFFIX = ".part"
RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF = 30.0
MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 10
CHUNK_SIZE = 1 << 16
_HTML_SUFFIXES = (".htm", ".html", ".xhtml")
_HTML_CONTENT_TYPES = ("text/html", "application/xhtml+xml")
_HTML_SNIFF = (b"<!doctype html", b"<html")
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_DEFAULT_NAME = "download"
# A paged answer claiming more pages than this is refused (UNHCR's whole table is ~15 pages
# of 10,000 records): a broken or hostile maxPages must not start a million requests.
MAX_PAGES = 10_000


class FetchError(Exception):
    """Clear one-line error naming the URL and what went wrong.

    Raised for HTTP errors, exhausted retries, truncation, checksum changes and HTML
    pages served in place of data files, so callers can report it verbatim.
    """


@dataclass(frozen=True)
class FetchedFile:
    """A verified file in the cache plus the provenance recorded in its sidecar."""

    path: Path
    url: str
    final_url: str
    sha256: str
    bytes: int
    retrieved_at: str
    from_cache: bool
    pages: int | None = None  # fetch_paged(): how many pages were merged into the file


class _Retryable(Exception):
    """Internal: an attempt failed in a way that a later attempt may not."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _sleep(seconds: float) -> None:
    """Indirection so tests can record delays instead of sleeping."""
    time.sleep(seconds)


# www.un.org (UN DESA's workbooks) answers 403 Forbidden to agents that do not look like a
# browser (python-httpx's default, curl, a bare 'migprofile/1.0'): requests carry a browser's
# product tokens first and ours after them, so such filters let them through and server logs
# still name migprofile.
BROWSER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Safari/537.36"
)


def _user_agent() -> str:
    """A browser-like agent ending in ``migprofile/<version>`` (see BROWSER_AGENT); the version
    is imported lazily so this module has no import cycle."""
    try:
        from migprofile.version import __version__ as version
    except Exception:
        version = "0"
    return f"{BROWSER_AGENT} migprofile/{version}"


def _now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _sanitise(name: str | None) -> str | None:
    """Reduce a server- or URL-supplied name to a plain file name inside the cache.

    Only the last path component survives (``/`` and ``\\`` both count), so
    ``../evil.xlsx`` becomes ``evil.xlsx``; leading dots are dropped so the result can
    be neither ``..`` nor a hidden file. Returns None when nothing usable remains.
    """
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    if not name or name.endswith((SIDECAR_SUFFIX, PART_SUFFIX)):
        return None
    return name[:200]


def _name_from_url(url: str) -> str:
    path = urlsplit(url).path
    return _sanitise(unquote(path.rstrip("/").rsplit("/", 1)[-1])) or _DEFAULT_NAME


def _name_from_disposition(header: str | None) -> str | None:
    """Filename from Content-Disposition, including RFC 2231/5987 ``filename*``."""
    if not header:
        return None
    msg = email.message.Message()
    msg["content-disposition"] = header
    try:
        raw = msg.get_filename()
    except Exception:
        return None
    return _sanitise(raw)


def _parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (delta-seconds or HTTP-date), capped at MAX_RETRY_AFTER."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.name + SIDECAR_SUFFIX)


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _read_sidecar(path: Path) -> dict | None:
    try:
        record = json.loads(_sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def _fsync_dir(directory: Path) -> None:
    """Make renames durable; best effort (not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_sidecar(path: Path, record: dict) -> None:
    """Write the sidecar via temp file + os.replace so it is never half-written."""
    target = _sidecar_path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=PART_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(record, fh, indent=2, sort_keys=True)
            fh.write("\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def _cached(path: Path, url: str, expected_sha256: str | None) -> FetchedFile | None:
    """Return the cached file if it is recorded for ``url`` and still intact.

    A file whose bytes no longer match its sidecar is corrupt: both are deleted so the
    caller downloads afresh. A file recorded for another URL, or whose checksum differs
    from ``expected_sha256``, is left alone but not served.
    """
    if not path.is_file():
        return None
    record = _read_sidecar(path)
    if record is None or record.get("url") != url:
        return None
    actual = _sha256_file(path)
    if actual != record.get("sha256") or path.stat().st_size != record.get("bytes"):
        log.warning("cached %s does not match its sidecar; deleting and re-downloading", path)
        _remove(path)
        _remove(_sidecar_path(path))
        return None
    if expected_sha256 is not None and actual != expected_sha256:
        return None
    return FetchedFile(
        path=path,
        url=url,
        final_url=str(record.get("final_url", url)),
        sha256=actual,
        bytes=int(record["bytes"]),
        retrieved_at=str(record.get("retrieved_at", "")),
        from_cache=True,
        pages=_pages_of(record),
    )


def _pages_of(record: dict) -> int | None:
    pages = record.get("pages")
    return pages if isinstance(pages, int) and not isinstance(pages, bool) else None


def _candidates(cache_dir: Path, url: str, filename: str | None) -> Iterator[Path]:
    """Cache paths that may hold ``url``: the requested/URL-derived name first, then any
    file whose sidecar names this URL (it may have been saved under a
    Content-Disposition name)."""
    first = cache_dir / (filename or _name_from_url(url))
    yield first
    if filename is not None:
        return
    records = []
    for side in cache_dir.glob("*" + SIDECAR_SUFFIX):
        data = cache_dir / side.name[: -len(SIDECAR_SUFFIX)]
        if data == first:
            continue
        record = _read_sidecar(data)
        if record is not None and record.get("url") == url:
            records.append((str(record.get("retrieved_at", "")), data))
    for _, data in sorted(records, reverse=True):
        yield data


def _looks_like_html(head: bytes) -> bool:
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_HTML_SNIFF)


def _attempt(
    client: httpx.Client,
    url: str,
    cache_dir: Path,
    filename: str | None,
    headers: dict[str, str],
    timeout: float,
    progress: Callable[[int, int | None], None] | None,
) -> tuple[Path, Path, str, int, str]:
    """One GET streamed to a unique ``.part`` file in cache_dir.

    Returns (part_path, final_path, sha256, size, final_url). The caller owns the part
    file on success; on any error it is removed here.
    """
    with client.stream("GET", url, headers=headers, timeout=timeout, follow_redirects=True) as resp:
        status = resp.status_code
        final_url = str(resp.url)
        if status in RETRYABLE_STATUS:
            raise _Retryable(
                f"HTTP {status} {resp.reason_phrase}".strip(),
                _parse_retry_after(resp.headers.get("retry-after")),
            )
        if not 200 <= status < 300 or status in (204, 206):
            raise FetchError(f"{url}: HTTP {status} {resp.reason_phrase}".strip())

        name = filename or _name_from_disposition(resp.headers.get("content-disposition"))
        name = name or _name_from_url(url)
        final_path = cache_dir / name
        want_html = name.lower().endswith(_HTML_SUFFIXES)
        ctype = resp.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if not want_html and ctype in _HTML_CONTENT_TYPES:
            raise FetchError(
                f"{url}: server sent an HTML page instead of {name} "
                f"(Content-Type {ctype}, HTTP {status})"
            )

        total: int | None
        try:
            total = int(resp.headers["content-length"])
        except (KeyError, ValueError):
            total = None

        fd, part_name = tempfile.mkstemp(dir=cache_dir, prefix=f".{name}.", suffix=PART_SUFFIX)
        part = Path(part_name)
        try:
            h = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as fh:
                for chunk in resp.iter_bytes(CHUNK_SIZE):
                    if size == 0 and not want_html and _looks_like_html(chunk[:512]):
                        raise FetchError(
                            f"{url}: server sent an HTML page instead of {name} "
                            f"(body starts with HTML, Content-Type {ctype or 'unset'})"
                        )
                    fh.write(chunk)
                    h.update(chunk)
                    size += len(chunk)
                    if progress is not None:
                        progress(size, total)
                fh.flush()
                os.fsync(fh.fileno())
            received = resp.num_bytes_downloaded
            if total is not None and received < total:
                raise _Retryable(f"truncated body: got {received} of {total} bytes")
            return part, final_path, h.hexdigest(), size, final_url
        except BaseException:
            _remove(part)
            raise


def fetch(
    url: str,
    cache_dir: Path,
    *,
    filename: str | None = None,
    expected_sha256: str | None = None,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
    progress: Callable[[int, int | None], None] | None = None,
    refresh: bool = False,
) -> FetchedFile:
    """Download ``url`` into ``cache_dir`` (or reuse a verified cached copy).

    Cache: a file is reused without any network access when its sidecar
    ``<name>.origin.json`` records the same URL and its SHA-256 still matches the bytes
    on disk (and ``expected_sha256``, if given). A file that no longer matches its
    sidecar is deleted and downloaded again. ``refresh=True`` always downloads.

    Name: ``filename`` if given (must be a plain name), else the server's
    Content-Disposition filename, else the last URL path segment. Server/URL names are
    reduced to their last component so they cannot escape ``cache_dir``.

    Safety: the body is streamed to a unique ``.part`` file, hashed on the fly, checked
    against Content-Length, fsynced and only then renamed into place; the sidecar is
    written the same way. Retries (``retries`` extra attempts, delay
    ``backoff * 2**attempt`` capped at 30 s, or Retry-After capped at 60 s) cover
    connection errors, timeouts, truncated bodies and HTTP 429/500/502/503/504. Other
    HTTP errors, redirect loops (> 10 redirects), an HTML page served for a non-HTML
    name, and a checksum differing from ``expected_sha256`` raise FetchError at once;
    in those cases nothing new is left in the cache.

    Checksum changes without ``expected_sha256`` (typically ``refresh=True`` after a
    publisher revised a file) are not an error: the new file replaces the old one, a
    warning is logged, and the returned ``sha256`` is the new checksum for the caller
    to record.
    """
    if retries < 0:
        raise ValueError("retries must be >= 0")
    if backoff < 0:
        raise ValueError("backoff must be >= 0")
    if filename is not None and _sanitise(filename) != filename:
        raise ValueError(f"filename must be a plain file name, got {filename!r}")
    if expected_sha256 is not None:
        expected_sha256 = expected_sha256.strip().lower()

    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)

    if not refresh:
        for candidate in _candidates(cache_dir, url, filename):
            hit = _cached(candidate, url, expected_sha256)
            if hit is not None:
                return hit

    client, own_client, headers = _open_client(client, timeout)
    try:
        part, final_path, sha, size, final_url = _get(
            client, url, cache_dir, filename, headers, timeout, progress, retries, backoff
        )
    finally:
        if own_client:
            client.close()

    try:
        if expected_sha256 is not None and sha != expected_sha256:
            raise FetchError(f"{url}: checksum changed: expected {expected_sha256}, got {sha}")
        _warn_if_changed(url, final_path, sha)
        os.replace(part, final_path)
    except BaseException:
        _remove(part)
        raise
    result = FetchedFile(
        path=final_path,
        url=url,
        final_url=final_url,
        sha256=sha,
        bytes=size,
        retrieved_at=_now_iso(),
        from_cache=False,
    )
    _record(result)
    return result


def _open_client(
    client: httpx.Client | None, timeout: float
) -> tuple[httpx.Client, bool, dict[str, str]]:
    """The client to use (ours, with a browser-like agent, when none is given), whether we
    own it (and must close it), and the headers of every request."""
    own_client = client is None
    if client is None:
        client = httpx.Client(
            follow_redirects=True,
            max_redirects=MAX_REDIRECTS,
            timeout=timeout,
            headers={"User-Agent": _user_agent()},
        )
    headers = {"Accept-Encoding": "identity"}
    if not own_client and client.headers.get("user-agent", "").startswith("python-httpx"):
        headers["User-Agent"] = _user_agent()
    return client, own_client, headers


def _get(
    client: httpx.Client,
    url: str,
    cache_dir: Path,
    filename: str | None,
    headers: dict[str, str],
    timeout: float,
    progress: Callable[[int, int | None], None] | None,
    retries: int,
    backoff: float,
) -> tuple[Path, Path, str, int, str]:
    """_attempt() with the retries and backoff fetch() documents; FetchError when it fails
    for good. Returns what _attempt returns (the caller owns the part file)."""
    attempts = retries + 1
    last_reason = "no attempt made"
    for attempt in range(attempts):
        try:
            return _attempt(client, url, cache_dir, filename, headers, timeout, progress)
        except _Retryable as exc:
            last_reason, retry_after = exc.reason, exc.retry_after
        except httpx.TooManyRedirects as exc:
            raise FetchError(f"{url}: too many redirects (loop?): {exc}") from exc
        except httpx.UnsupportedProtocol as exc:
            raise FetchError(f"{url}: unsupported URL: {exc}") from exc
        except httpx.RemoteProtocolError as exc:
            # h11 raises this when the peer closes before Content-Length bytes arrive.
            last_reason = f"truncated body or broken connection: {exc}"
            retry_after = None
        except httpx.TransportError as exc:
            last_reason = f"{type(exc).__name__}: {exc}".rstrip(": ")
            retry_after = None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise FetchError(f"{url}: {type(exc).__name__}: {exc}") from exc
        if attempt + 1 < attempts:
            delay = retry_after
            if delay is None:
                delay = min(backoff * 2**attempt, MAX_BACKOFF)
            log.info("fetch %s failed (%s); retry in %.2fs", url, last_reason, delay)
            _sleep(delay)
    raise FetchError(f"{url}: giving up after {attempts} attempts; last: {last_reason}")


def _warn_if_changed(url: str, final_path: Path, sha: str) -> None:
    previous = _read_sidecar(final_path)
    if previous is not None and previous.get("sha256") not in (None, sha):
        log.warning(
            "%s: checksum changed since last download (%s -> %s); keeping the new file",
            url,
            previous.get("sha256"),
            sha,
        )


def _record(result: FetchedFile) -> None:
    """The sidecar of a file just moved into place (then the directory made durable)."""
    record = asdict(result)
    del record["path"], record["from_cache"]
    if record["pages"] is None:
        del record["pages"]
    _write_sidecar(result.path, record)
    _fsync_dir(result.path.parent)


# --- paged APIs --------------------------------------------------------------------------------


def page_url(url: str, parameter: str, page: int) -> str:
    """`url` asking for `page`: its query parameter `parameter` set to the number (where it
    is, else appended); the other parameters keep their order and spelling."""
    parts = urlsplit(url)
    pairs = [p for p in parts.query.split("&") if p]
    out: list[str] = []
    found = False
    for pair in pairs:
        name = pair.split("=", 1)[0]
        if unquote_plus(name) == parameter:
            if not found:
                out.append(f"{name}={page}")
                found = True
            continue  # the parameter twice: once is enough
        out.append(pair)
    if not found:
        out.append(f"{quote(parameter, safe='')}={page}")
    return urlunsplit(parts._replace(query="&".join(out)))


def _int_field(value: object) -> int | None:
    """A JSON whole number (not a boolean), else None."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _read_page(
    part: Path, url: str, page: int, pages_field: str, items_field: str, page_field: str | None
) -> tuple[list[dict], int]:
    """One page's (items, number of pages), checked; FetchError naming what is wrong."""
    try:
        data = json.loads(part.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FetchError(f"{url}: page {page} is not JSON ({detail})") from None
    if not isinstance(data, dict):
        raise FetchError(
            f"{url}: page {page} is JSON but not an object with {items_field!r} and "
            f"{pages_field!r} (a {type(data).__name__})"
        )
    items = data.get(items_field)
    if not isinstance(items, list):
        raise FetchError(f"{url}: page {page} has no {items_field!r} list")
    pages = _int_field(data.get(pages_field))
    if pages is None:
        raise FetchError(
            f"{url}: page {page} has no {pages_field!r} (the number of pages) as a whole number"
        )
    if page_field is not None and page_field in data:
        said = data[page_field]
        said_int = _int_field(said)
        if said_int is None and isinstance(said, str) and said.strip().isdigit():
            said_int = int(said)
        if said_int != page:
            raise FetchError(
                f"{url}: asked for page {page}, the answer is page {said!r} (does the server "
                "ignore the page parameter?)"
            )
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise FetchError(f"{url}: page {page}, item {n} is not an object")
    return items, pages


def fetch_paged(
    url_for_page: Callable[[int], str],
    cache_dir: Path,
    filename: str,
    *,
    pages_field: str = "maxPages",
    items_field: str = "items",
    first_page: int = 1,
    page_field: str | None = "page",
    max_pages: int = MAX_PAGES,
    retries: int = 4,
    backoff: float = 0.5,
    timeout: float = 60.0,
    client: httpx.Client | None = None,
    progress: Callable[[int, int], None] | None = None,
    refresh: bool = False,
) -> FetchedFile:
    """Download every page of a paged JSON API into ONE file ``cache_dir/filename``.

    Page ``first_page`` is asked for first (``url_for_page(first_page)``); its
    ``pages_field`` (``maxPages``) says how many pages there are, and the others are asked
    for in order, each with fetch()'s retries and backoff. Their ``items_field`` lists are
    concatenated in page order into ``{"items": [...]}`` (one record a line, without the
    paging fields), written to a ``.part`` file, fsynced and renamed into place, with the
    sidecar fetch() writes: url (that of the first page), final_url, sha256 and bytes of the
    file written, retrieved_at, and ``pages``.

    Cache: a file whose sidecar records the same first-page URL and a number of pages, and
    whose bytes still match it, is reused without any network access (``refresh=True``
    always downloads). The merged file differs from any single answer, so there is no
    expected checksum: a changed table simply replaces the old file (a warning is logged).

    Errors, each one FetchError line naming the page's URL: HTTP errors and exhausted
    retries (as fetch()), an HTML page, a page that is not JSON or lacks the items list or
    the number of pages, an answer for another page than the one asked for, a number of
    pages that changes between pages (the table changed while it was read) or is above
    ``max_pages``. Nothing new is left in the cache then.
    """
    if retries < 0:
        raise ValueError("retries must be >= 0")
    if backoff < 0:
        raise ValueError("backoff must be >= 0")
    if _sanitise(filename) != filename:
        raise ValueError(f"filename must be a plain file name, got {filename!r}")
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    final_path = cache_dir / filename
    first_url = url_for_page(first_page)

    if not refresh:
        hit = _cached(final_path, first_url, None)
        if hit is not None and hit.pages is not None:
            return hit

    fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=f".{filename}.", suffix=PART_SUFFIX)
    part = Path(tmp)
    try:
        client, own_client, headers = _open_client(client, timeout)
    except BaseException:
        os.close(fd)
        _remove(part)
        raise
    h = hashlib.sha256()
    size = 0
    try:
        with os.fdopen(fd, "wb") as out:

            def write(data: bytes) -> None:
                nonlocal size
                out.write(data)
                h.update(data)
                size += len(data)

            write(b"{" + json.dumps(items_field).encode() + b": [")
            pages: int | None = None
            first_final = first_url
            wrote = 0
            done = 0
            page = first_page
            while True:
                url = first_url if page == first_page else url_for_page(page)
                got, _, _, _, final_url = _get(
                    client, url, cache_dir, filename, headers, timeout, None, retries, backoff
                )
                try:
                    items, stated = _read_page(got, url, page, pages_field, items_field, page_field)
                finally:
                    _remove(got)
                if pages is None:
                    if stated < 0 or stated > max_pages:
                        raise FetchError(
                            f"{url}: {pages_field} is {stated}: refused (from 0 to "
                            f"{max_pages:,} pages are accepted)"
                        )
                    if stated == 0 and items:
                        raise FetchError(f"{url}: {pages_field} is 0 but the page holds items")
                    pages, first_final = stated, final_url
                elif stated != pages:
                    raise FetchError(
                        f"{url}: {pages_field} changed from {pages} to {stated} at page {page} "
                        "(the table changed while it was read): try again"
                    )
                for item in items:
                    line = json.dumps(item, ensure_ascii=False, separators=(",", ":"))
                    write((b",\n" if wrote else b"\n") + line.encode("utf-8"))
                    wrote += 1
                done += 1
                if progress is not None:
                    progress(done, max(pages, 1))
                if done >= pages:
                    break
                page += 1
            write(b"\n]}\n")
            out.flush()
            os.fsync(out.fileno())
        _warn_if_changed(first_url, final_path, h.hexdigest())
        os.replace(part, final_path)
    except BaseException:
        _remove(part)
        raise
    finally:
        if own_client:
            client.close()
    result = FetchedFile(
        path=final_path,
        url=first_url,
        final_url=first_final,
        sha256=h.hexdigest(),
        bytes=size,
        retrieved_at=_now_iso(),
        from_cache=False,
        pages=max(pages or 0, 1),
    )
    _record(result)
    return result
