"""The bookkeeping of the bot's pacing (pure): sliding windows, waiting requests, chat states.

``bot.delivery.ratelimit`` schedules with these; they know nothing of Telegram.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from dataclasses import dataclass, field

INTERACTIVE, BACKGROUND = 0, 1
ChatKey = int | str


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``limit`` requests in any ``span`` seconds."""

    limit: int
    span: float

    def free_at(self, sent: deque[float], now: float) -> float:
        """When one more request fits, given the times of earlier ones (oldest pruned)."""
        while sent and sent[0] <= now - self.span:
            sent.popleft()
        return now if len(sent) < self.limit else sent[-self.limit] + self.span


@dataclass(eq=False, slots=True)
class Waiter:
    """One attempt of one request; a retry is a copy with a new future and the same ``seq``."""

    priority: int
    seq: int
    chat_id: ChatKey
    sent_at: float = field(init=False, default=math.nan)
    future: asyncio.Future[None] = field(
        init=False, default_factory=lambda: asyncio.get_running_loop().create_future()
    )


Entry = tuple[float, int, int, Waiter]
"""A queue entry: (priority or due time, seq, a unique tie-breaker, the waiter)."""


@dataclass(slots=True)
class ChatState:
    window: Window
    sent: deque[float] = field(default_factory=deque)
    waiting: list[Entry] = field(default_factory=list)
    """Requests bound by this chat's window, best (priority, arrival) first."""
    promoted: Waiter | None = None
    """The head of ``waiting`` while it sits in the limiter's ready or timed queue."""

    def idle(self, now: float) -> bool:
        self.window.free_at(self.sent, now)
        return not self.waiting and not self.sent


def chat_key(chat_id: object) -> ChatKey:
    """An int for numeric ids (PTB passes them as given, sometimes as strings)."""
    if isinstance(chat_id, int):
        return chat_id
    try:
        return int(str(chat_id))
    except ValueError:
        return str(chat_id)


def is_group(key: ChatKey) -> bool:
    return isinstance(key, str) or key < 0
