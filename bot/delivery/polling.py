"""Polling the digest sources for the scheduler: cheap, polite, restart-safe.

``SourcePoller.poll()`` returns the digests that are new since they were last *handled*, and
news about failing sources. Nothing is remembered as handled until the caller says so with
``mark_seen(found)`` after ingesting it (or recording why it cannot be ingested): a crash in
between means the digest is fetched again after the restart, never lost.

A source is one ``DIGEST_SOURCES`` entry: a folder (its dated ``.md``/``.jsonl`` files), a file,
a URL, or a template with ``{date}``; `` | `` separates alternatives, tried in order for each
date, the first that exists winning. Templates are polled for today (UTC) and the
``lookback_days`` before, oldest first, so a late digest is still picked up. "Not there yet"
(404, a missing dated file) is normal and quiet. A failure (network error, 5xx, unreadable file)
ends that source's poll; network sources then back off, and a source that keeps failing is
reported once, and once more when it recovers.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.delivery.fetch import (
    Absent,
    Fetched,
    FetchError,
    HttpOptions,
    Outcome,
    fetch_url,
    read_file,
    scan_folder,
)
from bot.delivery.sources import RawDigest, is_url
from bot.metrics import Metrics
from bot.rules.polling_state import (
    RetryPolicy,
    SeenItem,
    SourceHealth,
    SourceProblem,
    after_failure,
    after_success,
)
from bot.rules.source_specs import Source, fill_date, parse_source, poll_days
from storage.source_state import SourceStateMixin

log = logging.getLogger(__name__)

FOLDER_BUDGET = 64 * 1024 * 1024
"""Bytes of new folder files one poll reads at most; ``PollResult.more`` says there is more."""
DEFAULT_POLICY = RetryPolicy()
DEFAULT_HTTP = HttpOptions()


@dataclass(frozen=True, slots=True)
class FoundDigest:
    """A new or changed digest; hand it to ``SourcePoller.mark_seen`` once it is handled."""

    raw: RawDigest
    """Named by its URL or path, which carries the digest's date."""
    source: str
    fetched: Fetched = field(repr=False)


@dataclass(frozen=True, slots=True)
class PollResult:
    found: list[FoundDigest]
    """Oldest date first within each source."""
    problems: list[SourceProblem]
    """A source that started failing for good, or recovered: tell the admins."""
    more: bool = False
    """A folder had more new files than one poll reads; poll again soon."""


@dataclass(slots=True)
class _SourcePoll:
    found: list[FoundDigest] = field(default_factory=list)
    error: str | None = None
    more: bool = False


class SourcePoller:
    """Polls the configured sources; the state lives in SQLite, so it survives restarts.

    State calls run inline (they are small and the store's connection belongs to the event loop
    thread); file reads run in a worker thread; HTTP goes through the injected client.
    """

    def __init__(
        self,
        sources: Sequence[str],
        *,
        state: SourceStateMixin,
        client: httpx.AsyncClient,
        clock: Callable[[], dt.datetime],
        lookback_days: int = 2,
        policy: RetryPolicy = DEFAULT_POLICY,
        http: HttpOptions = DEFAULT_HTTP,
        folder_budget: int = FOLDER_BUDGET,
        metrics: Metrics | None = None,
    ) -> None:
        if lookback_days < 0:
            raise ValueError("lookback_days must be 0 or more")
        self._sources = tuple(parse_source(entry) for entry in sources)
        self._state = state
        self._client = client
        self._clock = clock
        self._lookback_days = lookback_days
        self._policy = policy
        self._http = http
        self._folder_budget = folder_budget
        self._lock = asyncio.Lock()
        self.metrics = metrics or Metrics(clock=clock)
        """Counts failed polls and ingests; keeps each source's last good poll."""
        self.metrics.watch_sources(len(self._sources))

    async def poll(self) -> PollResult:
        """Poll every source that is not backing off; overlapping calls run one after another."""
        async with self._lock:
            found: list[FoundDigest] = []
            problems: list[SourceProblem] = []
            more = False
            days = poll_days(self._now().date(), self._lookback_days)
            for position, source in enumerate(self._sources, start=1):
                health = self._state.source_health(source.entry)
                if not health.is_due(self._now()):
                    log.debug("%s: backing off until %s", source.entry, health.next_attempt)
                    continue
                polled = await self._poll_source(source, days)
                found.extend(polled.found)
                more = more or polled.more
                problem = self._record_health(source, health, polled.error)
                self.metrics.source_polled(position, ok=polled.error is None, now=self._now())
                if problem is not None:
                    problems.append(problem)
            return PollResult(found, problems, more)

    def mark_seen(self, found: FoundDigest) -> None:
        """Remember ``found`` as handled: it is reported again only when its content changes."""
        self._state.mark_seen(found.raw.name, found.fetched.seen(), now=self._now())

    def _now(self) -> dt.datetime:
        now = self._clock()
        return now.replace(tzinfo=dt.UTC) if now.tzinfo is None else now.astimezone(dt.UTC)

    async def _poll_source(self, source: Source, days: Sequence[dt.date]) -> _SourcePoll:
        polled = _SourcePoll()
        try:
            if source.dated:
                for day in days:
                    locations = tuple(fill_date(t, day) for t in source.alternatives)
                    await self._first_existing(source, locations, polled, missing_is_absent=True)
            elif await self._is_folder(source):
                await self._scan_folder(source, polled)
            else:
                await self._first_existing(source, source.alternatives, polled)
        except FetchError as exc:
            polled.error = str(exc)
        return polled

    async def _is_folder(self, source: Source) -> bool:
        only = source.alternatives[0]
        if len(source.alternatives) > 1 or is_url(only):
            return False
        return await asyncio.to_thread(os.path.isdir, only)

    async def _first_existing(
        self,
        source: Source,
        locations: Sequence[str],
        polled: _SourcePoll,
        *,
        missing_is_absent: bool = False,
    ) -> None:
        """Read the first of ``locations`` that exists; add it to ``polled`` if it is new."""
        for location in locations:
            seen = self._state.seen_item(location)
            try:
                outcome = await self._read(location, seen, missing_is_absent=missing_is_absent)
            except FetchError as exc:
                raise FetchError(f"{location}: {exc}") from None
            if isinstance(outcome, Absent):
                log.debug("%s: not there (yet)", location)
                continue
            if not isinstance(outcome, Fetched):
                return
            if seen is not None and seen.content_hash == outcome.content_hash:
                self._state.mark_seen(location, outcome.seen(), now=self._now())
                return
            polled.found.append(_found(source, location, outcome))
            return

    async def _read(
        self, location: str, seen: SeenItem | None, *, missing_is_absent: bool
    ) -> Outcome:
        if is_url(location):
            return await fetch_url(self._client, location, seen, self._http)
        return await asyncio.to_thread(
            read_file,
            location,
            seen,
            missing_is_absent=missing_is_absent,
            limit=self._http.max_bytes,
        )

    async def _scan_folder(self, source: Source, polled: _SourcePoll) -> None:
        # Normalised the way scan_folder names its files ("./d/" and "d" give "d/x.md"), so the
        # remembered keys match however the folder was spelled.
        folder = str(Path(source.alternatives[0]))
        seen = self._state.seen_items_under(os.path.join(folder, ""))
        scan = await asyncio.to_thread(
            scan_folder, folder, seen, budget=self._folder_budget, limit=self._http.max_bytes
        )
        now = self._now()
        for path, fetched in scan.unchanged:
            self._state.mark_seen(path, fetched.seen(), now=now)
        polled.found.extend(_found(source, path, fetched) for path, fetched in scan.new)
        polled.more = scan.more
        if scan.errors:
            polled.error = "; ".join(scan.errors)

    def _record_health(
        self, source: Source, health: SourceHealth, error: str | None
    ) -> SourceProblem | None:
        """Store how the source fared; the problem to report, when there is news."""
        if error is None:
            updated, problem = after_success(source.entry, health)
        else:
            updated, problem = after_failure(
                source.entry,
                health,
                error,
                now=self._now(),
                policy=self._policy,
                backoff=any(is_url(location) for location in source.alternatives),
            )
        if updated != health:
            self._state.save_source_health(source.entry, updated)
        _log_health(source.entry, error, problem, updated.failures)
        return problem


def _found(source: Source, location: str, fetched: Fetched) -> FoundDigest:
    return FoundDigest(raw=RawDigest(location, fetched.data), source=source.entry, fetched=fetched)


def _log_health(
    entry: str, error: str | None, problem: SourceProblem | None, failures: int
) -> None:
    if problem is not None and problem.recovered:
        log.info("digest source %s %s", entry, problem.message)
    elif problem is not None:
        log.warning("digest source %s %s", entry, problem.message)
    elif error is not None:
        log.info("digest source %s failed (%d in a row): %s", entry, failures, error)
