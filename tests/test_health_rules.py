"""The /healthz rule over plain values: stale sources, a stuck delivery worker, what is shown."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.rules.health import Observed, SourceState, problems, redact_source, report

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
QUARTER = dt.timedelta(minutes=15)


def minutes_ago(minutes: float) -> dt.datetime:
    return NOW - dt.timedelta(minutes=minutes)


def observed(**changes: object) -> Observed:
    """A bot started two hours ago, its one source polled a minute ago, nothing due."""
    base = Observed(
        now=NOW,
        started_at=minutes_ago(120),
        poll_interval=QUARTER,
        sources=(SourceState(1, "https://example.org/…", last_success=minutes_ago(1)),),
        last_update=minutes_ago(3),
        deliveries_pending=0,
        overdue_since=None,
        worker_progress=minutes_ago(30),
        version="0.1.0",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def source(last_success: dt.datetime | None, **changes: object) -> tuple[SourceState, ...]:
    return (SourceState(1, "https://example.org/…", last_success=last_success, **changes),)  # type: ignore[arg-type]


def test_health_rule_a_bot_polled_a_minute_ago_with_nothing_due_is_healthy() -> None:
    assert problems(observed()) == ()


@pytest.mark.parametrize(
    ("last_success", "healthy"),
    [(minutes_ago(44), True), (minutes_ago(44.99), True), (minutes_ago(45), False)],
)
def test_health_rule_a_source_is_stale_after_three_poll_intervals(
    last_success: dt.datetime, healthy: bool
) -> None:
    assert (problems(observed(sources=source(last_success))) == ()) is healthy


def test_health_rule_says_which_source_and_for_how_long() -> None:
    assert problems(observed(sources=source(minutes_ago(50)))) == (
        "digest source 1 (https://example.org/…) has not been polled without error for 50 min "
        "(3 poll intervals are 45 min).",
    )


def test_health_rule_a_source_never_polled_counts_from_the_start() -> None:
    young = observed(started_at=minutes_ago(44), sources=source(None))
    assert problems(young) == ()
    old = observed(started_at=minutes_ago(45), sources=source(None))
    assert problems(old) == (
        "digest source 1 (https://example.org/…) has not been polled without error since the "
        "bot started (3 poll intervals are 45 min).",
    )


def test_health_rule_the_interval_is_the_configured_one() -> None:
    fast = observed(
        poll_interval=dt.timedelta(seconds=10), sources=source(NOW - dt.timedelta(seconds=30))
    )
    assert problems(fast) == (
        "digest source 1 (https://example.org/…) has not been polled without error for 30 s "
        "(3 poll intervals are 30 s).",
    )


@pytest.mark.parametrize(
    ("overdue", "progress", "stuck"),
    [
        (None, None, False),  # nothing due: an idle worker is fine
        (10, None, False),  # due for exactly STUCK_AFTER: not yet
        (11, 11, True),  # due 11 min, nothing finished for 11 min
        (11, None, True),  # due 11 min, the worker never finished anything
        (11, 2, False),  # a backlog the worker is working through
        (300, 10, False),  # a long backlog, still moving
        (300, 10.5, True),
    ],
)
def test_health_rule_the_worker_is_stuck_when_due_and_idle_beyond_ten_minutes(
    overdue: float | None, progress: float | None, stuck: bool
) -> None:
    state = observed(
        overdue_since=None if overdue is None else minutes_ago(overdue),
        worker_progress=None if progress is None else minutes_ago(progress),
    )
    assert bool(problems(state)) is stuck


def test_health_rule_says_how_long_the_worker_has_been_stuck() -> None:
    state = observed(overdue_since=minutes_ago(150), worker_progress=minutes_ago(20))
    assert problems(state) == (
        "the delivery worker is stuck: a delivery has been due for 2 h 30 min and the worker "
        "has handled none for 20 min.",
    )
    assert problems(dataclasses.replace(state, worker_progress=None)) == (
        "the delivery worker is stuck: a delivery has been due for 2 h 30 min and the worker "
        "has not started.",
    )


def test_health_rule_gives_every_reason_at_once() -> None:
    state = observed(
        sources=(
            SourceState(1, "a", last_success=minutes_ago(46)),
            SourceState(2, "b", last_success=minutes_ago(1)),
            SourceState(3, "c", last_success=None),
        ),
        overdue_since=minutes_ago(20),
        worker_progress=minutes_ago(20),
    )
    assert [reason.split(" (")[0] for reason in problems(state)] == [
        "digest source 1",
        "digest source 3",
        "the delivery worker is stuck: a delivery has been due for 20 min and the worker has "
        "handled none for 20 min.",
    ]


def test_health_report_is_the_json_healthz_answers_with() -> None:
    state = observed(
        sources=source(minutes_ago(46), failures=3, failing_since=minutes_ago(31)),
        deliveries_pending=7,
        overdue_since=minutes_ago(2),
    )
    assert report(state) == (
        False,
        {
            "status": "failing",
            "version": "0.1.0",
            "now": "2026-03-02T12:00:00+00:00",
            "last_update": "2026-03-02T11:57:00+00:00",
            "sources": [
                {
                    "source": 1,
                    "name": "https://example.org/…",
                    "last_success": "2026-03-02T11:14:00+00:00",
                    "failures": 3,
                    "failing_since": "2026-03-02T11:29:00+00:00",
                }
            ],
            "deliveries": {
                "pending": 7,
                "overdue_since": "2026-03-02T11:58:00+00:00",
                "worker_progress": "2026-03-02T11:30:00+00:00",
            },
            "reasons": [
                "digest source 1 (https://example.org/…) has not been polled without error for "
                "46 min (3 poll intervals are 45 min)."
            ],
        },
    )


def test_health_report_of_a_healthy_bot_says_ok_with_no_reasons() -> None:
    healthy, body = report(observed(last_update=None))
    assert healthy
    assert (body["status"], body["reasons"], body["last_update"]) == ("ok", [], None)


@pytest.mark.parametrize(
    ("entry", "shown"),
    [
        (
            "https://raw.githubusercontent.com/o/r/data/{date}.jsonl | "
            "https://raw.githubusercontent.com/o/r/data/{date}.md",
            "https://raw.githubusercontent.com/… | https://raw.githubusercontent.com/…",
        ),
        (
            "https://reader:pa55word@lab.example.org/feed.md?token=s3cret",
            "https://lab.example.org/…",
        ),
        ("http://127.0.0.1:8081/private-path-token/2026-01-09.md", "http://127.0.0.1:8081/…"),
        ("http://[::1]:8081/x.md", "http://[::1]:8081/…"),
        ("http://host:99999/x.md", "http://host/…"),
        ("digests/", "digests/"),
        (
            "/srv/digests/{date}.md | /srv/digests/{date}.jsonl",
            "/srv/digests/{date}.md | /srv/digests/{date}.jsonl",
        ),
    ],
)
def test_health_redact_source_keeps_no_credential_path_or_query_of_a_url(
    entry: str, shown: str
) -> None:
    assert redact_source(entry) == shown
