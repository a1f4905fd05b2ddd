"""When a digest or a weekly roll-up is due for a chat (pure; the caller passes the time)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from bot.models import Subscription

WEEKLY_TIME = dt.time(8, 0)
"""A weekly roll-up's time of day for a chat without ``/time``: "as soon as published" means
nothing for a summary of a week, so it comes in the morning of its day."""


def next_due(arrived: dt.datetime, at: dt.time | None, timezone: str) -> dt.datetime:
    """The first moment at or after ``arrived`` that is ``at`` on the chat's clock, in UTC.

    Without a time of day a digest is due on arrival. Local times that a DST change skips fall
    an hour later (02:30 on a spring-forward night is 03:30); repeated ones take the first.
    """
    if at is None:
        return _utc(arrived)
    return _first_slot(arrived, at, timezone, weekday=None)


def next_weekly_due(
    after: dt.datetime, at: dt.time | None, timezone: str, weekday: int
) -> dt.datetime:
    """The first moment at or after ``after`` that is ``at`` (``WEEKLY_TIME`` without one) on
    ``weekday`` (0 = Monday) of the chat's clock, in UTC; DST as in ``next_due``."""
    return _first_slot(after, at or WEEKLY_TIME, timezone, weekday=weekday)


def rollup_due(after: dt.datetime, sub: Subscription) -> dt.datetime:
    """When the chat's roll-up gathering papers after ``after`` goes out: its weekly slot, or,
    for a chat that went back to daily, its next daily time (at once without one)."""
    if sub.weekly:
        return next_weekly_due(after, sub.delivery_time, sub.timezone, sub.weekday)
    return next_due(after, sub.delivery_time, sub.timezone)


def _utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("the time must be timezone-aware")
    return moment.astimezone(dt.UTC)


def _first_slot(
    after: dt.datetime, at: dt.time, timezone: str, *, weekday: int | None
) -> dt.datetime:
    after = _utc(after)
    zone = zoneinfo.ZoneInfo(timezone)
    local_day = after.astimezone(zone).date()
    for offset in range(9):
        day = local_day + dt.timedelta(days=offset)
        if weekday is not None and day.weekday() != weekday:
            continue
        due = dt.datetime.combine(day, at, tzinfo=zone).astimezone(dt.UTC)
        if due >= after:
            return due
    raise AssertionError("a time of day recurs within a week and a day")  # pragma: no cover
