"""Telegram's flood limits as the bot's own pacing: a python-telegram-bot rate limiter.

Telegram answers 429 beyond about 30 messages/s overall, 1/s per private chat and 20/min per
group. PTB's AIORateLimiter has no per-private-chat limit, queues interactive replies behind a
broadcast and gives up on the first 429. ``PacedRateLimiter`` instead:

* lets requests that name a ``chat_id`` through evenly spaced, at most ``overall_per_second`` in
  any second plus ``margin`` (a strict sliding window: even spacing keeps a reply's wait to one
  interval, where a burst-then-wait schedule would make it wait up to a second);
* serves interactive requests before broadcasts (``rate_limit_args=BROADCAST``), and while
  nothing is being broadcast, holds a reply to a person only by its own chat's window: fifty
  people asking at the same moment are not made to queue for two seconds behind a budget meant
  for bulk notifications (nor do such replies push back the even spacing). During a fan-out
  replies go first, within the window;
* parks a request that waits for its own chat's window apart from the queue, so one chat never
  holds up another (no head-of-line blocking);
* on 429 pauses every request for exactly ``retry_after`` and retries, up to ``max_retries``.

Per chat, the group window (``group_per_minute``) and the private-chat window (one per second)
apply to every request: a second reply to a person within the second waits for it rather than
draw a 429, which would pause the whole bot. A ``@username`` is treated as a group of its own.
"""

from __future__ import annotations

import asyncio
import bisect
import heapq
import itertools
import logging
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any, Final

from telegram.constants import FloodLimit
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.metrics import Metrics
from bot.rules.pacing import (
    BACKGROUND,
    INTERACTIVE,
    ChatKey,
    ChatState,
    Entry,
    Waiter,
    Window,
    chat_key,
    is_group,
)

logger = logging.getLogger(__name__)

BROADCAST: Final[dict[str, Any]] = {"broadcast": True}
"""``rate_limit_args`` of a fan-out send: low priority, paced per private chat."""

CATCH_UP = 5
"""Slots a late timer may catch up at once (the sliding window still bounds every second)."""
PRUNE_MIN = 1024
"""Chat states kept before idle ones are pruned (then twice the number still live)."""

JSONDict = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]


class PacedRateLimiter(BaseRateLimiter[dict[str, Any]]):
    """The bot's pacing for every request to the Bot API (getUpdates excepted, as PTB does).

    Requests without a ``chat_id`` (answerCallbackQuery, getMe, setMyCommands...) are never
    throttled, but they too wait out a flood pause. ``rate_limited`` counts the 429s seen.
    """

    def __init__(
        self,
        *,
        overall_per_second: int = FloodLimit.MESSAGES_PER_SECOND,
        group_per_minute: int = FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        margin: float = 0.05,
        max_retries: int = 3,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.rate_limited = 0
        self.metrics = Metrics()
        """Counts replies and 429s: the application's, once it is built."""
        self._max_retries = max_retries
        self._margin = margin
        self._round_trip = 0.0
        self._clock = clock
        self._sleep = sleep
        self._overall = Window(overall_per_second, 1.0 + margin)
        self._interval = self._overall.span / overall_per_second
        self._private = Window(FloodLimit.MESSAGES_PER_SECOND_PER_CHAT, 1.0 + margin)
        self._group = Window(group_per_minute, 60.0 + margin)
        self._sent: deque[float] = deque()
        self._next_slot = -math.inf
        self._paused_until = -math.inf
        self._resumed = asyncio.Event()
        self._resumed.set()
        self._chats: dict[ChatKey, ChatState] = {}
        self._prune_at = PRUNE_MIN
        self._ready: list[Entry] = []
        self._timed: list[Entry] = []
        self._seq = itertools.count()
        self._ties = itertools.count()
        self._timer: asyncio.Task[None] | None = None
        self._timer_due = math.inf
        self._broadcasts_waiting = 0
        self._broadcast_at = -math.inf
        """When the last broadcast was let through."""

    @property
    def tracked_chats(self) -> int:
        """Chats whose recent sends or waiting requests are held (idle ones are pruned)."""
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up: the wake-up timer starts with the first wait."""

    async def shutdown(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer, self._timer_due = None, math.inf

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, Any] | None,
    ) -> bool | JSONDict | list[JSONDict]:
        """Wait for this request's turn, send it, and retry it after each 429."""
        broadcast = bool((rate_limit_args or {}).get("broadcast"))
        waiter = self._waiter(data.get("chat_id"), rate_limit_args or {})
        attempt = 0
        while True:
            try:
                answer = await self._attempt(waiter, callback, args, kwargs)
            except RetryAfter as error:
                self.rate_limited += 1
                # ``_retry_after`` is always a timedelta; the public property warns unless
                # PTB_TIMEDELTA is set.
                seconds = error._retry_after.total_seconds()
                self.metrics.flood_wait(seconds)
                if attempt >= self._max_retries:
                    raise
                attempt += 1
                logger.warning("%s: flood wait of %.1f s (retry %d)", endpoint, seconds, attempt)
                self._pause(seconds)
                if waiter is not None:
                    self._move(waiter, None)  # Telegram did not count a refused request
                    waiter = replace(waiter)
            else:
                if not broadcast:
                    self.metrics.reply_sent(endpoint)
                return answer

    async def _attempt(
        self, waiter: Waiter | None, callback: Callback, args: Any, kwargs: dict[str, Any]
    ) -> bool | JSONDict | list[JSONDict]:
        if waiter is None:
            await self._resumed.wait()
            return await callback(*args, **kwargs)
        await self._acquire(waiter)
        started = self._clock()
        try:
            return await callback(*args, **kwargs)
        finally:
            self._settle(waiter, started)

    def _waiter(self, chat_id: object, rate_limit_args: dict[str, Any]) -> Waiter | None:
        if chat_id is None:
            return None
        key = chat_key(chat_id)
        broadcast = bool(rate_limit_args.get("broadcast"))
        return Waiter(
            priority=BACKGROUND if broadcast else INTERACTIVE,
            seq=next(self._seq),
            chat_id=key,
        )

    async def _acquire(self, waiter: Waiter) -> None:
        """Queue the request and return when it may be sent (its time already recorded)."""
        now = self._clock()
        if waiter.priority == BACKGROUND:
            self._broadcasts_waiting += 1
            try:
                await self._queue(waiter, now)
            finally:
                self._broadcasts_waiting -= 1
            return
        chat = self._chat(waiter.chat_id, now)
        if (
            now >= self._paused_until
            and not chat.waiting
            and chat.window.free_at(chat.sent, now) <= now
            and (self._overall.free_at(self._sent, now) <= now or not self._broadcasting(now))
        ):
            # A reply to a person goes at once while the window has room, or beyond it while
            # nothing is broadcast (it still counts, so a broadcast starting now leaves room).
            heapq.heappush(chat.waiting, self._entry(waiter.priority, waiter))
            chat.promoted = waiter
            self._grant(waiter, now, paced=False)
            return
        await self._queue(waiter, now)

    def _broadcasting(self, now: float) -> bool:
        """A broadcast waits, or one went out within the window: a fan-out is under way.

        The delivery worker sends one message at a time, so between two of its sends no
        broadcast waits, though the window may be full of them.
        """
        return bool(self._broadcasts_waiting) or now - self._broadcast_at < self._overall.span

    async def _queue(self, waiter: Waiter, now: float) -> None:
        chat = self._chat(waiter.chat_id, now)
        heapq.heappush(chat.waiting, self._entry(waiter.priority, waiter))
        self._promote(chat, now)
        self._pump()
        await waiter.future

    def _pause(self, seconds: float) -> None:
        """Telegram's flood wait is bot-wide: nothing is sent until it has passed."""
        now = self._clock()
        self._paused_until = max(self._paused_until, now + seconds)
        self._resumed.clear()
        self._wake_at(self._paused_until, now)

    def _settle(self, waiter: Waiter, started: float) -> None:
        """Re-date a request that went out or was answered late: Telegram counted it late too.

        Windows count a request from when it was let through. If the event loop stalled before
        or while it went out, Telegram counted it later, maybe by more than the margin. It
        arrived after it started and about one usual round trip (a low running estimate)
        before its answer.
        """
        now = self._clock()
        round_trip = now - started
        arrived = max(started, now - self._round_trip)
        self._round_trip = min(round_trip, self._round_trip + (round_trip - self._round_trip) / 20)
        if arrived - waiter.sent_at > self._margin / 2:
            self._move(waiter, arrived)

    def _move(self, waiter: Waiter, to: float | None) -> None:
        """Move the request's places in its windows to time ``to``, or free them (None)."""
        chat = self._chats.get(waiter.chat_id)
        for sent in (self._sent, *([chat.sent] if chat else [])):
            if waiter.sent_at in sent:
                sent.remove(waiter.sent_at)
                if to is not None:
                    bisect.insort(sent, to)
        waiter.sent_at = math.nan if to is None else to

    def _pump(self) -> None:
        """Let through every request whose turn has come; set the timer for the next one."""
        now = self._clock()
        if now < self._paused_until:
            self._wake_at(self._paused_until, now)
            return
        self._resumed.set()
        while self._timed and self._timed[0][0] <= now:
            waiter = heapq.heappop(self._timed)[-1]
            heapq.heappush(self._ready, self._entry(waiter.priority, waiter))
        while self._ready:
            # A reply that waited for its chat's second goes as a reply let through at once
            # would: while nothing is broadcast, only its chat's window holds it.
            unpaced = self._ready[0][-1].priority == INTERACTIVE and not self._broadcasting(now)
            free = max(self._next_slot, self._overall.free_at(self._sent, now))
            if free > now and not unpaced:
                self._wake_at(free, now)
                break
            waiter = heapq.heappop(self._ready)[-1]
            if self._may_send(waiter, now):
                self._grant(waiter, now, paced=not unpaced)
        if self._timed:
            self._wake_at(self._timed[0][0], now)

    def _may_send(self, waiter: Waiter, now: float) -> bool:
        """False for a stale queue entry, or one whose chat got a message meanwhile."""
        if waiter.future.done():
            self._forget(waiter, now)
            return False
        chat = self._chats[waiter.chat_id]
        if chat.promoted is not waiter:
            return False
        free = chat.window.free_at(chat.sent, now)
        if free > now:
            heapq.heappush(self._timed, self._entry(free, waiter))
            return False
        return True

    def _grant(self, waiter: Waiter, now: float, *, paced: bool = True) -> None:
        """Let ``waiter`` through now. A ``paced`` grant takes the next slot of the even spacing
        queued requests keep to; a reply let through at once only counts in the windows, or a
        burst of them would push queued requests seconds back."""
        self._sent.append(now)
        if paced:
            # Slots keep to a grid, so timers that fire a little late do not lower the rate.
            on_grid = now - self._next_slot < CATCH_UP * self._interval
            self._next_slot = (self._next_slot if on_grid else now) + self._interval
        waiter.sent_at = now
        if waiter.priority == BACKGROUND:
            self._broadcast_at = now
        chat = self._chat(waiter.chat_id, now)
        chat.sent.append(now)
        heapq.heappop(chat.waiting)
        chat.promoted = None
        self._promote(chat, now)
        waiter.future.set_result(None)

    def _forget(self, waiter: Waiter, now: float) -> None:
        """A cancelled request: if it headed its chat, the next one takes its place."""
        chat = self._chats.get(waiter.chat_id)
        if chat is not None and chat.promoted is waiter:
            chat.promoted = None
            self._promote(chat, now)

    def _promote(self, chat: ChatState, now: float) -> None:
        """Put the chat's best waiting request in the ready or timed queue."""
        while chat.waiting and chat.waiting[0][-1].future.done():
            heapq.heappop(chat.waiting)
        head = chat.waiting[0][-1] if chat.waiting else None
        if head is None or head is chat.promoted:
            return
        chat.promoted = head
        self._enqueue(head, chat.window.free_at(chat.sent, now), now)

    def _enqueue(self, waiter: Waiter, free: float, now: float) -> None:
        if free <= now:
            heapq.heappush(self._ready, self._entry(waiter.priority, waiter))
        else:
            heapq.heappush(self._timed, self._entry(free, waiter))

    def _entry(self, key: float, waiter: Waiter) -> Entry:
        return (key, waiter.seq, next(self._ties), waiter)

    def _chat(self, key: ChatKey, now: float) -> ChatState:
        chat = self._chats.get(key)
        if chat is None:
            if len(self._chats) >= self._prune_at:
                self._chats = {k: c for k, c in self._chats.items() if not c.idle(now)}
                self._prune_at = max(PRUNE_MIN, 2 * len(self._chats))
            chat = self._chats[key] = ChatState(self._group if is_group(key) else self._private)
        return chat

    def _wake_at(self, due: float, now: float) -> None:
        if self._timer is not None and self._timer_due <= due:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer_due = due
        self._timer = asyncio.get_running_loop().create_task(self._wake(due - now))

    async def _wake(self, delay: float) -> None:
        await self._sleep(delay)
        self._timer, self._timer_due = None, math.inf
        self._pump()
