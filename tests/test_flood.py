"""Flood protection: a burst is allowed, then one warning, then silence until tokens refill."""

from bot.rules.flood import FloodGuard, Verdict


def test_flood_guard_allows_a_burst_then_warns_once_then_drops() -> None:
    guard = FloodGuard(rate=1.0, burst=3)
    verdicts = [guard.check(1, now=100.0) for _ in range(6)]
    assert verdicts == [Verdict.ALLOW] * 3 + [Verdict.WARN, Verdict.DROP, Verdict.DROP]


def test_flood_guard_refills_over_time() -> None:
    guard = FloodGuard(rate=1.0, burst=2)
    assert [guard.check(1, now=0.0) for _ in range(3)][-1] is Verdict.WARN
    assert guard.wait_seconds(1) == 1
    assert guard.check(1, now=1.0) is Verdict.ALLOW
    assert guard.check(1, now=1.0) is Verdict.WARN


def test_flood_guard_keeps_chats_independent() -> None:
    guard = FloodGuard(rate=1.0, burst=1)
    assert guard.check(1, now=0.0) is Verdict.ALLOW
    assert guard.check(1, now=0.0) is Verdict.WARN
    assert guard.check(2, now=0.0) is Verdict.ALLOW


def test_flood_guard_forgets_idle_chats_when_full() -> None:
    guard = FloodGuard(rate=1.0, burst=1, max_chats=2)
    guard.check(1, now=0.0)
    guard.check(2, now=0.0)
    assert guard.check(3, now=10.0) is Verdict.ALLOW
    assert guard.check(1, now=10.0) is Verdict.ALLOW
