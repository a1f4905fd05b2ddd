"""What the poller remembers between polls, and the rules for failing sources.

Pure: the poller passes the time in and stores what comes out. A source that fails is skipped
until ``next_attempt`` (exponential backoff for network sources; local ones are cheap to retry),
reported once when it has failed ``report_after`` polls in a row, and reported once more when it
works again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SeenItem:
    """The last content of a file or URL that was handled, and how to ask whether it changed."""

    content_hash: str
    etag: str | None = None
    last_modified: str | None = None
    size: int | None = None
    mtime_ns: int | None = None


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """How a configured source has fared in recent polls (a fresh source is healthy)."""

    failures: int = 0
    """Polls in a row that failed."""
    last_error: str | None = None
    failing_since: dt.datetime | None = None
    reported: bool = False
    """Whether the admins have been told that it fails."""
    next_attempt: dt.datetime | None = None
    """Skip the source until then."""

    def is_due(self, now: dt.datetime) -> bool:
        return self.next_attempt is None or now >= self.next_attempt


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """News for the admins: a source started failing for good (or works again, ``recovered``)."""

    source: str
    message: str
    recovered: bool = False


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Backoff across polls, and how many failed polls in a row make a failure worth reporting."""

    backoff_base: dt.timedelta = dt.timedelta(minutes=5)
    backoff_max: dt.timedelta = dt.timedelta(hours=6)
    report_after: int = 2

    def delay(self, failures: int) -> dt.timedelta:
        """``backoff_base`` doubled for every failure after the first, at most ``backoff_max``."""
        if failures >= 32:
            return self.backoff_max
        return min(self.backoff_base * 2 ** max(failures - 1, 0), self.backoff_max)


def after_failure(
    source: str,
    health: SourceHealth,
    error: str,
    *,
    now: dt.datetime,
    policy: RetryPolicy,
    backoff: bool = True,
) -> tuple[SourceHealth, SourceProblem | None]:
    """The health after one more failed poll, and the problem to report if it is time to."""
    failures = health.failures + 1
    since = health.failing_since or now
    report = not health.reported and failures >= policy.report_after
    updated = SourceHealth(
        failures=failures,
        last_error=error,
        failing_since=since,
        reported=health.reported or report,
        next_attempt=now + policy.delay(failures) if backoff else None,
    )
    if not report:
        return updated, None
    message = (
        f"cannot be read: {error} (failing since {since:%Y-%m-%d %H:%M} UTC, {failures} polls)"
    )
    return updated, SourceProblem(source, message)


def after_success(source: str, health: SourceHealth) -> tuple[SourceHealth, SourceProblem | None]:
    """A healthy source again; a recovery is reported only when the failure was."""
    if not health.reported:
        return SourceHealth(), None
    message = f"can be read again, after {health.failures} failed polls"
    return SourceHealth(), SourceProblem(source, message, recovered=True)
