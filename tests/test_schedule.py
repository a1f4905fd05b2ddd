"""When a digest is due for a chat: on arrival, or at its local time of day, DST-correct."""

import datetime as dt

import pytest

from bot.rules.schedule import next_due

UTC = dt.UTC


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("arrived", "time", "zone", "due"),
    [
        (at(2026, 1, 9, 2, 0), None, "UTC", at(2026, 1, 9, 2, 0)),
        (at(2026, 1, 9, 2, 0), dt.time(8, 30), "Europe/Berlin", at(2026, 1, 9, 7, 30)),
        (at(2026, 1, 9, 9, 0), dt.time(8, 30), "Europe/Berlin", at(2026, 1, 10, 7, 30)),
        (at(2026, 1, 9, 7, 30), dt.time(8, 30), "Europe/Berlin", at(2026, 1, 9, 7, 30)),
        (at(2026, 7, 9, 2, 0), dt.time(8, 30), "Europe/Berlin", at(2026, 7, 9, 6, 30)),
        (at(2026, 1, 9, 2, 0), dt.time(8, 0), "Asia/Shanghai", at(2026, 1, 10, 0, 0)),
        (at(2026, 1, 9, 2, 0), dt.time(21, 0), "America/New_York", at(2026, 1, 9, 2, 0)),
        (at(2026, 1, 9, 3, 0), dt.time(21, 0), "America/New_York", at(2026, 1, 10, 2, 0)),
        # 2026-03-29 02:30 does not exist in Berlin: it falls an hour later, 03:30 CEST.
        (at(2026, 3, 29, 0, 0), dt.time(2, 30), "Europe/Berlin", at(2026, 3, 29, 1, 30)),
        # 2026-10-25 02:30 happens twice in Berlin: the first one (CEST) counts.
        (at(2026, 10, 25, 0, 0), dt.time(2, 30), "Europe/Berlin", at(2026, 10, 25, 0, 30)),
    ],
)
def test_next_due(arrived: dt.datetime, time: dt.time | None, zone: str, due: dt.datetime) -> None:
    assert next_due(arrived, time, zone) == due


def test_next_due_needs_an_aware_arrival() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_due(dt.datetime(2026, 1, 9), None, "UTC")
