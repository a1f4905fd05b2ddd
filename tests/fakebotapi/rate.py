"""Telegram's flood limits as sliding windows, answering 429 with retry_after when exceeded."""

import math
from collections import defaultdict, deque
from collections.abc import Callable

from .errors import ApiError


class Window:
    """At most ``limit`` events in any ``seconds``-long interval."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds until one more event fits (0 if it fits now)."""
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        if len(self.times) < self.limit:
            return 0.0
        return self.times[0] + self.seconds - now


class RateEnforcer:
    """Overall, per-private-chat and per-group send limits; counts the 429s it answered."""

    def __init__(
        self,
        *,
        per_second: int,
        per_chat_per_second: int,
        group_per_minute: int,
        clock: Callable[[], float],
    ) -> None:
        self.clock = clock
        self.overall = Window(per_second, 1.0)
        self.private: defaultdict[int | str, Window] = defaultdict(
            lambda: Window(per_chat_per_second, 1.0)
        )
        self.groups: defaultdict[int | str, Window] = defaultdict(
            lambda: Window(group_per_minute, 60.0)
        )
        self.rejected = 0

    def admit(self, chat_id: int | str, chat_type: str) -> None:
        """Record one send to the chat, or raise 429 without recording it."""
        now = self.clock()
        per_chat = self.private[chat_id] if chat_type == "private" else self.groups[chat_id]
        wait = max(self.overall.wait(now), per_chat.wait(now))
        if wait > 0:
            self.rejected += 1
            retry_after = max(1, math.ceil(wait))
            raise ApiError(
                429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
            )
        self.overall.times.append(now)
        per_chat.times.append(now)
