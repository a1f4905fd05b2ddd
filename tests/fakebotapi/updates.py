"""The update queue behind getUpdates, and the change signal long polls wait on."""

import asyncio
from collections.abc import Callable
from typing import Any

import telegram

Json = dict[str, Any]
DEFAULT_EXCLUDED = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


class Signal:
    """A broadcast wake-up that plain (non-async) code can fire.

    Works like ``asyncio.Condition.wait_for`` but ``notify`` needs no lock, so the fake's
    user-side helpers can push updates without being coroutines.
    """

    def __init__(self) -> None:
        self._waiters: set[asyncio.Future[None]] = set()

    def notify(self) -> None:
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._waiters.clear()

    async def wait_until(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Wait until ``predicate()`` holds or ``seconds`` pass; return its last value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.add(waiter)
            try:
                await asyncio.wait_for(waiter, remaining)
            except TimeoutError:
                return predicate()
        return True


def update_type(update: Json) -> str:
    return next(key for key in update if key != "update_id")


class UpdateQueue:
    """Pending updates with getUpdates' offset and allowed_updates semantics."""

    def __init__(self) -> None:
        self.pending: list[Json] = []
        self.last_id = 0
        self.allowed: frozenset[str] | None = None

    def push(self, payload: Json) -> Json:
        """Queue an update after checking that PTB can read it (it drops bad ones silently)."""
        update = {"update_id": self.last_id + 1, **payload}
        telegram.Update.de_json(update, None)
        self.last_id += 1
        self.pending.append(update)
        return update

    def set_allowed(self, allowed: Any) -> None:
        if isinstance(allowed, list):
            self.allowed = frozenset(allowed) or None

    def confirm(self, offset: int) -> None:
        """Forget updates below a positive offset; a negative one keeps only the last -offset."""
        if offset > 0:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
        elif offset < 0:
            self.pending = self.pending[offset:]

    def ready(self, limit: int) -> list[Json]:
        self.pending = [u for u in self.pending if self._wanted(update_type(u))]
        return self.pending[:limit]

    def _wanted(self, kind: str) -> bool:
        if self.allowed is None:
            return kind not in DEFAULT_EXCLUDED
        return kind in self.allowed
