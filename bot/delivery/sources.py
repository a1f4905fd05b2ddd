"""Where digests come from for the command line: files, folders, globs and http(s) URLs."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bot.digest.parse import date_from_name

DIGEST_SUFFIXES = (".md", ".jsonl")
HTTP_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


class SourceError(Exception):
    """A file, folder or URL could not be read; the message says which and why."""


@dataclass(frozen=True, slots=True)
class RawDigest:
    """The bytes of one digest and the name (path or URL) they were read from."""

    name: str
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace").removeprefix("\ufeff")

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def is_url(item: str) -> bool:
    return item.startswith(("http://", "https://"))


@dataclass(frozen=True, slots=True)
class Expanded:
    items: tuple[str, ...]
    """Files and URLs to read, in order, without repeats."""
    skipped: tuple[str, ...] = ()
    """Files inside folders that were left out because their name carries no date."""


def expand_inputs(inputs: Iterable[str]) -> Expanded:
    """Turn command-line inputs into a list of files and URLs.

    A folder contributes its ``.md`` and ``.jsonl`` files whose names carry a date (a digest
    folder also holds READMEs and such); a glob contributes what it matches; a file or URL is
    taken as given.
    """
    items: dict[str, None] = {}
    skipped: list[str] = []
    for item in inputs:
        if is_url(item):
            items[item] = None
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.iterdir()):
                if child.is_file() and child.suffix in DIGEST_SUFFIXES:
                    if date_from_name(child.name) is None:
                        skipped.append(str(child))
                    else:
                        items[str(child)] = None
        elif path.is_file():
            items[item] = None
        elif glob.has_magic(item):
            matches = sorted(glob.glob(item))
            if not matches:
                raise SourceError(f"{item}: no file matches this pattern.")
            items.update(dict.fromkeys(m for m in matches if Path(m).is_file()))
        else:
            raise SourceError(f"{item}: no such file or folder.")
    return Expanded(tuple(items), tuple(skipped))


def read_input(item: str, *, client: httpx.Client | None = None) -> RawDigest:
    """Read one file or URL; raises SourceError with one clear sentence."""
    if is_url(item):
        return RawDigest(item, _fetch(item, client))
    try:
        return RawDigest(item, Path(item).read_bytes())
    except OSError as exc:
        raise SourceError(f"{item}: cannot be read ({exc.strerror or exc}).") from None


def _fetch(url: str, client: httpx.Client | None) -> bytes:
    owned = client is None
    http = client or httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=True)
    try:
        response = http.get(url)
    except httpx.HTTPError as exc:
        raise SourceError(f"{url}: could not be fetched ({type(exc).__name__}).") from None
    finally:
        if owned:
            http.close()
    if response.status_code == 404:
        raise SourceError(f"{url}: not found (404) - not published yet?")
    if response.status_code != 200:
        raise SourceError(f"{url}: the server answered {response.status_code}.")
    return response.content
