"""Per-chat flood protection: a token bucket per chat (pure; the caller passes the time)."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass


class Verdict(enum.Enum):
    ALLOW = "allow"
    WARN = "warn"
    """Over the limit: answer once that the chat should wait."""
    DROP = "drop"
    """Still over the limit after the warning: ignore quietly."""


@dataclass(slots=True)
class _Bucket:
    tokens: float
    updated: float
    warned: bool = False


class FloodGuard:
    """Lets each chat send ``burst`` updates at once, then ``rate`` per second.

    A person tapping and typing stays well inside the defaults; a script does not. Chats are
    independent: one chat's flood never slows another.
    """

    def __init__(self, *, rate: float = 1.0, burst: int = 10, max_chats: int = 100_000) -> None:
        self.rate = rate
        self.burst = burst
        self._max_chats = max_chats
        self._buckets: dict[int, _Bucket] = {}

    def check(self, chat_id: int, now: float) -> Verdict:
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            if len(self._buckets) >= self._max_chats:
                self._forget_idle(now)
            bucket = self._buckets[chat_id] = _Bucket(tokens=self.burst, updated=now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            bucket.warned = False
            return Verdict.ALLOW
        if bucket.warned:
            return Verdict.DROP
        bucket.warned = True
        return Verdict.WARN

    def wait_seconds(self, chat_id: int) -> int:
        """Whole seconds until ``chat_id`` may send again (at least 1)."""
        bucket = self._buckets.get(chat_id)
        missing = 1 - bucket.tokens if bucket else 0
        return max(1, math.ceil(missing / self.rate))

    def _forget_idle(self, now: float) -> None:
        """Drop chats whose bucket has refilled: they would start full anyway."""
        full_after = self.burst / self.rate
        self._buckets = {
            chat: b for chat, b in self._buckets.items() if now - b.updated < full_after
        }
