"""Reading one URL, file or folder for the poller: conditional, bounded, quiet about "not yet".

Each read ends in an outcome (``Absent``, ``NotModified`` or ``Fetched``) or raises
``FetchError``; ``FetchError.retryable`` marks network errors and 5xx, which get one quick retry.
The file functions are blocking and meant for ``asyncio.to_thread``.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from bot.delivery.sources import DIGEST_SUFFIXES, HTTP_TIMEOUT
from bot.digest.parse import date_from_name
from bot.rules.polling_state import SeenItem

log = logging.getLogger(__name__)

MAX_DIGEST_BYTES = 64 * 1024 * 1024
"""Larger than any digest ever published (a few MB); a bigger answer is refused, not read."""
USER_AGENT = "digestbot (daily arXiv digest poller)"


class FetchError(Exception):
    """A location could not be read this time; the message says why, in a few words."""

    def __init__(self, message: str, *, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True, slots=True)
class Absent:
    """Not there (404, 410, a dated file not written yet): normal, the digest is not out yet."""


@dataclass(frozen=True, slots=True)
class NotModified:
    """The same as the content last handled (304, or a file with the same size and mtime)."""


@dataclass(frozen=True, slots=True)
class Fetched:
    data: bytes = field(repr=False)
    content_hash: str
    etag: str | None = None
    last_modified: str | None = None
    size: int | None = None
    mtime_ns: int | None = None

    def seen(self) -> SeenItem:
        """What to remember once this content has been handled."""
        return SeenItem(
            content_hash=self.content_hash,
            etag=self.etag,
            last_modified=self.last_modified,
            size=self.size,
            mtime_ns=self.mtime_ns,
        )


Outcome = Absent | NotModified | Fetched


@dataclass(frozen=True, slots=True)
class HttpOptions:
    timeout: httpx.Timeout = field(default_factory=lambda: HTTP_TIMEOUT)
    retry_delay: float = 2.0
    """Seconds before the one quick retry of a network error or 5xx."""
    max_bytes: int = MAX_DIGEST_BYTES


def new_http_client(options: HttpOptions = HttpOptions()) -> httpx.AsyncClient:
    """An HTTP client suited to polling: redirects followed, polite user agent, the timeouts."""
    return httpx.AsyncClient(
        timeout=options.timeout, follow_redirects=True, headers={"User-Agent": USER_AGENT}
    )


async def fetch_url(
    client: httpx.AsyncClient, url: str, seen: SeenItem | None, options: HttpOptions
) -> Outcome:
    """GET ``url``, conditional on what was seen; one quick retry after a retryable failure."""
    try:
        return await _get(client, url, seen, options)
    except FetchError as exc:
        if not exc.retryable:
            raise
        log.debug("%s: %s; retrying in %s s", url, exc, options.retry_delay)
    await asyncio.sleep(options.retry_delay)
    return await _get(client, url, seen, options)


def conditional_headers(seen: SeenItem | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if seen is not None and seen.etag:
        headers["If-None-Match"] = seen.etag
    if seen is not None and seen.last_modified:
        headers["If-Modified-Since"] = seen.last_modified
    return headers


async def _get(
    client: httpx.AsyncClient, url: str, seen: SeenItem | None, options: HttpOptions
) -> Outcome:
    headers = conditional_headers(seen)
    try:
        async with client.stream(
            "GET", url, headers=headers, timeout=options.timeout, follow_redirects=True
        ) as response:
            status = response.status_code
            if status in (404, 410):
                return Absent()
            if status == 304:
                return NotModified()
            if status != 200:
                raise FetchError(f"the server answered {status}", retryable=_retryable(status))
            data = await _read_bounded(response, options.max_bytes)
            return Fetched(
                data,
                hashlib.sha256(data).hexdigest(),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out ({type(exc).__name__})", retryable=True) from None
    except httpx.TransportError as exc:
        raise FetchError(f"network error ({type(exc).__name__})", retryable=True) from None
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        raise FetchError(f"could not be fetched ({type(exc).__name__})") from None


def _retryable(status: int) -> bool:
    """Worth one quick retry; a 429 is not (the host asked for less), it waits for the backoff."""
    return status >= 500 or status == 408


async def _read_bounded(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.aiter_bytes():
        total += len(chunk)
        if total > limit:
            raise FetchError(f"larger than {limit // (1024 * 1024)} MB; not read")
        chunks.append(chunk)
    return b"".join(chunks)


def read_file(path: str, seen: SeenItem | None, *, missing_is_absent: bool, limit: int) -> Outcome:
    """Read a local digest file unless its size and mtime say it is the one last handled.

    With ``missing_is_absent`` (a dated file), a missing file is "not written yet", but only
    inside a folder that exists: a misspelt folder is an error worth reporting.

    The file is stat-ed before it is read: if it changes in between, the stored stat is older
    than the content and the next poll reads it again (the other order could miss a change).
    """
    try:
        stat = os.stat(path)
    except FileNotFoundError:
        if missing_is_absent and os.path.isdir(os.path.dirname(path) or "."):
            return Absent()
        raise FetchError("no such file or folder") from None
    except OSError as exc:
        raise FetchError(f"cannot be read ({exc.strerror or exc})") from None
    if seen is not None and (seen.size, seen.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        return NotModified()
    if stat.st_size > limit:
        raise FetchError(f"larger than {limit // (1024 * 1024)} MB; not read")
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        return Absent()
    except OSError as exc:
        raise FetchError(f"cannot be read ({exc.strerror or exc})") from None
    digest = hashlib.sha256(data).hexdigest()
    return Fetched(data, digest, size=stat.st_size, mtime_ns=stat.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class FolderScan:
    new: list[tuple[str, Fetched]]
    """Files whose content differs from what was last handled, oldest date first."""
    unchanged: list[tuple[str, Fetched]]
    """Files read again (new size or mtime) whose content had been handled: data dropped."""
    errors: list[str]
    more: bool = False
    """The byte budget ran out; the next poll reads on."""


def scan_folder(
    folder: str, seen: Mapping[str, SeenItem], *, budget: int, limit: int
) -> FolderScan:
    """The dated ``.md``/``.jsonl`` files of ``folder`` that are new or changed.

    Reading stops once the new files hold ``budget`` bytes (at least one file is always read),
    so a first scan of a year of digests does not hold all of it in memory at once.
    """
    new: list[tuple[str, Fetched]] = []
    unchanged: list[tuple[str, Fetched]] = []
    errors: list[str] = []
    used = 0
    for path in digest_files(folder):
        if used >= budget:
            return FolderScan(new, unchanged, errors, more=True)
        previous = seen.get(path)
        try:
            outcome = read_file(path, previous, missing_is_absent=True, limit=limit)
        except FetchError as exc:
            errors.append(f"{path}: {exc}")
            continue
        if not isinstance(outcome, Fetched):
            continue
        if previous is not None and previous.content_hash == outcome.content_hash:
            unchanged.append((path, replace(outcome, data=b"")))
        else:
            new.append((path, outcome))
            used += len(outcome.data)
    return FolderScan(new, unchanged, errors)


def digest_files(folder: str) -> list[str]:
    """Paths of the dated digest files directly in ``folder``, oldest date first.

    Raises FetchError when the folder cannot be listed.
    """
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(DIGEST_SUFFIXES) and e.is_file()]
    except OSError as exc:
        raise FetchError(f"cannot be listed ({exc.strerror or exc})") from None
    dated = sorted((day, name) for name in names if (day := date_from_name(name)) is not None)
    return [str(Path(folder, name)) for _, name in dated]
