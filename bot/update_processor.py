"""How updates are served: chats concurrently, each chat's updates in order, floods cut at arrival.

A chat's flood is judged when its updates *arrive*, not when their turn comes: replies to a
private chat leave at most one a second, so by the time a queued command is handled a second
has passed for each one before it, and a judge at that point would let every one of 25
commands sent at once through, the last answered 25 s later. Judged at arrival, the chat gets
its burst, one note to wait, and the rest is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Hashable
from typing import Any

from telegram import InlineQuery, Update
from telegram.ext import BaseUpdateProcessor

from bot.metrics import Metrics
from bot.rules.flood import FloodGuard, Verdict

Refuse = Callable[[Update, Verdict, int], Awaitable[None]]
"""Answer an update refused for flooding: the verdict and the seconds the chat should wait."""


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Chats are served concurrently; updates of one chat are handled in the order they came.

    So a slow reply in one chat never holds up another, and two quick taps in one chat cannot
    overtake each other. Updates start one at a time, each once the one before has come to its
    first wait: PTB starts a whole ``getUpdates`` batch at once, and asyncio would run every
    handler of the batch before the first reply is even written; this way the first reply is
    on its way while the next update is handled (README, "Measured").

    With a ``flood`` guard, each update of a chat is judged as it arrives: a warned update is
    answered by ``refuse`` in its turn (after the replies to what came before it), a dropped
    one is answered by ``refuse`` at once, and neither reaches the handlers.

    Inline queries come from no chat: a person's are served one at a time, and one still
    waiting when the person's next arrives is dropped unanswered, since the app shows only the
    answer to what was typed last. So a person typing costs at most one search at a time, and
    no flood guard is needed, which would drop the last keystroke as readily as any other.
    """

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        *,
        flood: FloodGuard | None = None,
        refuse: Refuse | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._users: dict[Hashable, int] = {}
        self._typed: dict[int, str] = {}
        """Person -> the id of their newest inline query."""
        self._starting = asyncio.Lock()
        self._flood = flood
        self.refuse = refuse
        """May be set once the application that knows the chats' languages is built."""
        self._clock = clock
        self.metrics = Metrics()
        """The application's, once it is built."""

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        self.metrics.update_received(update_kind(update))
        if isinstance(update, Update) and update.inline_query is not None:
            await self._newest_only(update.inline_query, coroutine)
            return
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await self._start(coroutine)
            return
        assert isinstance(update, Update)
        verdict = Verdict.ALLOW
        if self._flood is not None:
            verdict = self._flood.check(chat.id, self._clock())
        if verdict is not Verdict.ALLOW:
            _close(coroutine)
            coroutine = self._refused(update, verdict, chat.id)
            if verdict is Verdict.DROP:
                await coroutine
                return
        async with self._turn(chat.id):
            await self._start(coroutine)

    async def _newest_only(self, query: InlineQuery, coroutine: Awaitable[Any]) -> None:
        person = query.from_user.id
        self._typed[person] = query.id
        async with self._turn(("inline", person)):
            if self._typed.get(person) != query.id:
                _close(coroutine)  # the person typed on: the app no longer shows this answer
                return
            try:
                await self._start(coroutine)
            finally:
                if self._typed.get(person) == query.id:
                    del self._typed[person]

    @contextlib.asynccontextmanager
    async def _turn(self, key: Hashable) -> AsyncIterator[None]:
        """Hold ``key``'s turn: what came before under the same key has been served."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    async def _refused(self, update: Update, verdict: Verdict, chat_id: int) -> None:
        if self.refuse is not None and self._flood is not None:
            await self.refuse(update, verdict, self._flood.wait_seconds(chat_id))

    async def _start(self, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once what the update started before it queued has run.

        Updates take turns at the lock, one loop turn each: by the time the next one starts,
        the previous one has run up to its first wait and the write of its reply has gone out.
        """
        async with self._starting:
            await asyncio.sleep(0)
        await coroutine

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def update_kind(update: object) -> str:
    """``message``, ``callback_query``, ``inline_query``…: the field the update carries."""
    if isinstance(update, Update):
        for kind in Update.ALL_TYPES:
            if getattr(update, kind, None) is not None:
                return str(kind)
    return "other"


def _close(coroutine: Awaitable[Any]) -> None:
    """Drop an update's handling that will never run (no "never awaited" warning)."""
    if isinstance(coroutine, Coroutine):
        coroutine.close()
