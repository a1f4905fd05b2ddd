"""When a digest is due for a chat (pure; the caller passes the arrival time)."""

from __future__ import annotations

import datetime as dt
import zoneinfo


def next_due(arrived: dt.datetime, at: dt.time | None, timezone: str) -> dt.datetime:
    """The first moment at or after ``arrived`` that is ``at`` on the chat's clock, in UTC.

    Without a time of day a digest is due on arrival. Local times that a DST change skips fall
    an hour later (02:30 on a spring-forward night is 03:30); repeated ones take the first.
    """
    if arrived.tzinfo is None:
        raise ValueError("arrived must be timezone-aware")
    arrived = arrived.astimezone(dt.UTC)
    if at is None:
        return arrived
    zone = zoneinfo.ZoneInfo(timezone)
    local_day = arrived.astimezone(zone).date()
    for offset in range(3):
        candidate = dt.datetime.combine(local_day + dt.timedelta(days=offset), at, tzinfo=zone)
        due = candidate.astimezone(dt.UTC)
        if due >= arrived:
            return due
    raise AssertionError("a time of day recurs within three days")  # pragma: no cover
