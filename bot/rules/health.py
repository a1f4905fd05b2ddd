"""Is the bot healthy? The rule behind ``GET /healthz``, over plain values and a given ``now``.

Unhealthy (503) when either holds:

* a digest source has not been polled without error for ``STALE_POLLS`` poll intervals
  (``DIGEST_POLL_SECONDS``), counted from its last good poll or, if it has had none since the
  bot started, from the start;
* the delivery worker is stuck: a delivery has been due for longer than ``STUCK_AFTER`` and the
  worker has not finished with any delivery (sent, retried, paused or given up) for as long.
  A healthy worker finishes with a send within ``SEND_TIMEOUT`` (5 min) even when Telegram or
  the rate limiter holds it, so twice that is no ordinary backlog.

What is shown names sources by position and by ``redact_source``, never by the entry as
written, which may carry credentials or a token.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from bot.rules.source_specs import ALTERNATIVE_SEPARATOR, source_alternatives

STALE_POLLS = 3
STUCK_AFTER = dt.timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class SourceState:
    position: int
    """From 1, in ``DIGEST_SOURCES`` order."""
    name: str
    """``redact_source`` of the entry."""
    last_success: dt.datetime | None
    failures: int = 0
    """Polls in a row that failed."""
    failing_since: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Observed:
    """What the application knows at ``now``."""

    now: dt.datetime
    started_at: dt.datetime
    poll_interval: dt.timedelta
    sources: tuple[SourceState, ...]
    last_update: dt.datetime | None
    deliveries_pending: int
    overdue_since: dt.datetime | None
    """When the longest-waiting delivery that is due became due; None when none is due."""
    worker_progress: dt.datetime | None
    version: str


def redact_source(entry: str) -> str:
    """A ``DIGEST_SOURCES`` entry as it may be shown: each URL cut to its scheme and host (no
    user, password, path or query, any of which may be a secret); file paths as written."""
    return ALTERNATIVE_SEPARATOR.join(_redact(part) for part in source_alternatives(entry))


def _redact(location: str) -> str:
    if "://" not in location:
        return location
    parts = urlsplit(location)
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    try:
        port = f":{parts.port}" if parts.port is not None else ""
    except ValueError:
        port = ""
    return f"{parts.scheme}://{host}{port}/…"


def problems(observed: Observed) -> tuple[str, ...]:
    """Why the bot is unhealthy, one sentence each; empty when it is healthy."""
    found = [_stale(source, observed) for source in observed.sources]
    found.append(_stuck(observed))
    return tuple(reason for reason in found if reason is not None)


def _stale(source: SourceState, observed: Observed) -> str | None:
    limit = STALE_POLLS * observed.poll_interval
    since = source.last_success or observed.started_at
    if observed.now - since < limit:
        return None
    when = (
        "since the bot started"
        if source.last_success is None
        else f"for {_span(observed.now - since)}"
    )
    return (
        f"digest source {source.position} ({source.name}) has not been polled without error "
        f"{when} ({STALE_POLLS} poll intervals are {_span(limit)})."
    )


def _stuck(observed: Observed) -> str | None:
    now, due, progress = observed.now, observed.overdue_since, observed.worker_progress
    if due is None or now - due <= STUCK_AFTER:
        return None
    if progress is not None and now - progress <= STUCK_AFTER:
        return None
    idle = (
        "has not started" if progress is None else f"has handled none for {_span(now - progress)}"
    )
    return (
        f"the delivery worker is stuck: a delivery has been due for {_span(now - due)} and "
        f"the worker {idle}."
    )


def _span(delta: dt.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    if minutes < 1:
        return f"{int(delta.total_seconds())} s"
    if minutes < 120:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"


def report(observed: Observed) -> tuple[bool, dict[str, Any]]:
    """Whether the bot is healthy, and the JSON object ``/healthz`` answers with."""
    reasons = problems(observed)
    body = {
        "status": "failing" if reasons else "ok",
        "version": observed.version,
        "now": _stamp(observed.now),
        "last_update": _stamp(observed.last_update),
        "sources": [
            {
                "source": s.position,
                "name": s.name,
                "last_success": _stamp(s.last_success),
                "failures": s.failures,
                "failing_since": _stamp(s.failing_since),
            }
            for s in observed.sources
        ],
        "deliveries": {
            "pending": observed.deliveries_pending,
            "overdue_since": _stamp(observed.overdue_since),
            "worker_progress": _stamp(observed.worker_progress),
        },
        "reasons": list(reasons),
    }
    return not reasons, body


def _stamp(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(dt.UTC).isoformat(timespec="seconds")
