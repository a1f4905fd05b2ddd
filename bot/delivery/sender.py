"""Sending due deliveries: the only fan-out I/O. One message in flight at a time.

Each delivery is marked ``sending`` before its message goes out and ``sent`` after, so a crash
can repeat at most the one message that was in flight. Each recipient's failure is isolated and
acted on: 403 and "chat not found" pause the chat (settings kept), a closed or deleted forum
topic pauses that topic alone and its group is told once (in its General topic), a migrated
group is followed, 429 waits ``retry_after``, network errors and 5xx back off and retry later.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
)
from telegram.ext import ExtBot

from bot.delivery.ratelimit import BROADCAST
from bot.locales import SOURCE_LANGUAGE, locale
from bot.markup import inline_markup
from bot.metrics import Metrics
from bot.models import Delivery, Subscription
from bot.rules.feed import ranked
from bot.rules.matching import MatchedPaper
from bot.rules.summaries import in_language, reading
from bot.rules.weekly import choose_rollup
from bot.text import messages
from bot.text.callbacks import CallbackCodec
from bot.text.delivery_page import page_ids, render_delivery
from bot.text.keyboards import Buttons, Keyboard
from storage.feed import likes
from storage.store import Store

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
"""Network failures before a delivery is given up (backoff 30 s, 1 min, ... about 1 h in all)."""
SEND_TIMEOUT = dt.timedelta(minutes=5)
"""A send that has not finished by then is given up and retried later. HTTP has its own timeouts
and a flood wait is retried a few times, so this only guards against a wedged rate limiter."""
IDLE_WAKE = dt.timedelta(seconds=60)
"""Longest sleep between looks at the queue (planning also wakes the worker at once)."""
TOPIC_GONE = ("message thread not found", "topic_closed", "topic_deleted")
"""Telegram's 400s for a forum topic that was deleted or closed (lower case)."""


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(seconds=min(30 * 2**attempts, 3600))


def _retry_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


@dataclass
class SendCounts:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    paused: int = 0


class DeliveryWorker:
    def __init__(
        self,
        *,
        store: Store,
        bot: Bot,
        codec: CallbackCodec,
        default_timezone: str,
        clock: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.bot = bot
        self.codec = codec
        self.default_timezone = default_timezone
        self.clock = clock
        self.wake = asyncio.Event()
        self.idle = asyncio.Event()
        """Set while the worker waits with nothing due (tests wait on it)."""
        self.counts = SendCounts()
        self.metrics = metrics or Metrics(clock=clock)

    async def serve(self, stopping: asyncio.Event) -> None:
        """Send what is due, sleep until the next due time or a wake-up, until ``stopping``."""
        requeued = self.store.requeue_in_flight()
        if requeued:
            log.warning("sending again %d delivery(ies) left in flight by a crash", requeued)
        self.metrics.worker_progressed(self.clock())
        while not stopping.is_set():
            try:
                if await self.send_due(stopping):
                    continue
            except Exception:
                log.exception("the delivery worker failed; trying again in a minute")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stopping.wait(), timeout=IDLE_WAKE.total_seconds())
                continue
            await self._sleep(stopping)

    async def _sleep(self, stopping: asyncio.Event) -> None:
        upcoming = self.store.next_delivery_at()
        timeout = IDLE_WAKE
        if upcoming is not None:
            timeout = min(IDLE_WAKE, max(upcoming - self.clock(), dt.timedelta(0)))
        waits = {asyncio.ensure_future(self.wake.wait()), asyncio.ensure_future(stopping.wait())}
        self.idle.set()
        try:
            await asyncio.wait(
                waits, timeout=timeout.total_seconds() + 0.01, return_when="FIRST_COMPLETED"
            )
        finally:
            for task in waits:
                task.cancel()
        self.idle.clear()
        self.wake.clear()

    async def send_due(self, stopping: asyncio.Event | None = None) -> int:
        """Send every delivery due now (in batches); the number handled."""
        handled = 0
        while batch := self.store.due_deliveries(self.clock(), limit=50):
            for delivery in batch:
                if stopping is not None and stopping.is_set():
                    return handled
                await self.send(delivery)
                self.metrics.worker_progressed(self.clock())
                handled += 1
        return handled

    async def send(self, queued: Delivery) -> None:
        delivery = self.store.claim(queued.id)
        if delivery is None:
            return  # paused meanwhile
        chat_id = delivery.chat_id
        rendered = self._message(delivery)
        if rendered is None:
            self.store.skip_delivery(delivery.id)
            return
        text, keyboard = rendered
        paced: dict[str, Any] = (
            {"rate_limit_args": BROADCAST}
            if isinstance(self.bot, ExtBot) and self.bot.rate_limiter
            else {}
        )
        try:
            message = await asyncio.wait_for(
                self.bot.send_message(
                    chat_id,
                    text,
                    message_thread_id=delivery.thread_id,
                    parse_mode=ParseMode.HTML,
                    reply_markup=inline_markup(keyboard),
                    **paced,
                ),
                timeout=SEND_TIMEOUT.total_seconds(),
            )
        except RetryAfter as exc:
            wait = dt.timedelta(seconds=_retry_seconds(exc))
            self._retry(delivery, wait, f"flood limit: retry after {wait.total_seconds():.0f} s")
        except ChatMigrated as exc:
            log.info("chat %s moved to %s; following it", chat_id, exc.new_chat_id)
            self.store.migrate_chat(chat_id, exc.new_chat_id)
            self._retry(delivery, dt.timedelta(0), "group migrated to a supergroup")
        except Forbidden as exc:
            self._pause(delivery, exc.message)
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                self._pause(delivery, exc.message)
            elif delivery.thread_id is not None and exc.message.lower().endswith(TOPIC_GONE):
                await self._pause_topic(delivery, delivery.thread_id, exc.message)
            else:
                log.error("delivery %s to chat %s rejected: %s", delivery.id, chat_id, exc.message)
                self.store.mark_failed(delivery.id, error=exc.message)
                self.counts.failed += 1
        except (NetworkError, TimeoutError) as exc:
            if delivery.attempts + 1 >= MAX_ATTEMPTS:
                log.error("delivery %s to chat %s failed for good: %s", delivery.id, chat_id, exc)
                self.store.mark_failed(delivery.id, error=str(exc))
                self.counts.failed += 1
            else:
                self._retry(delivery, backoff(delivery.attempts), str(exc) or "send timed out")
        else:
            self.store.mark_sent(delivery.id, message_id=message.message_id, now=self.clock())
            self.counts.sent += 1
            self.metrics.deliveries_sent.inc()

    def _message(self, delivery: Delivery) -> tuple[str, Keyboard] | None:
        """The first page of ``delivery``; a roll-up's papers are chosen now (and kept for its
        pages). None for a roll-up left with nothing, in a chat that wants no empty note."""
        sub = self.store.subscription(
            delivery.chat_id, thread_id=delivery.thread_id, default_timezone=self.default_timezone
        )
        if delivery.rollup is not None:
            candidates = self.store.papers(delivery.rollup.candidates)
            delivery = choose_rollup(delivery, candidates, sub, order=self._model_order)
            self.store.save_rollup_choice(delivery)
            if not delivery.paper_ids and not sub.notify_empty:
                return None
        tr = locale(sub.language or SOURCE_LANGUAGE)
        wanted, said = reading(sub.summaries, tr.code)
        note = partial(messages.fallback_note, tr=tr) if said else None
        stored = self.store.papers(page_ids(delivery, 0))
        papers = [in_language(paper, wanted, note=note) for paper in stored]
        like = likes(self.store, delivery.chat_id, papers)
        buttons = Buttons(self.codec, delivery.chat_id, tr)
        return render_delivery(delivery, papers, sub, buttons, like=like)

    def _model_order(
        self, matches: Sequence[MatchedPaper], sub: Subscription
    ) -> Sequence[MatchedPaper]:
        """A roll-up's matches best first by the chat's model (as its daily summaries are)."""
        if not sub.ranking:
            return matches
        papers = [m.paper for m in matches]
        return ranked(matches, self.store.rankings([sub.chat_id], papers).get(sub.chat_id))

    def _retry(self, delivery: Delivery, wait: dt.timedelta, error: str) -> None:
        log.warning("delivery %s to chat %s: %s", delivery.id, delivery.chat_id, error)
        self.store.mark_retry(delivery.id, at=self.clock() + wait, error=error)
        self.counts.retried += 1
        self.metrics.delivery_retries.inc()

    def _pause(self, delivery: Delivery, reason: str) -> None:
        log.info("pausing chat %s: %s", delivery.chat_id, reason)
        self.store.pause_deliveries(delivery.chat_id, reason)
        self.counts.paused += 1

    async def _pause_topic(self, delivery: Delivery, thread_id: int, reason: str) -> None:
        """Pause the topic's subscription alone; the first time, tell the group in its General
        topic, where its administrators read (the bot's own admins run the bot, not the lab)."""
        log.info("pausing topic %s of chat %s: %s", thread_id, delivery.chat_id, reason)
        self.counts.paused += 1
        if not self.store.pause_topic(delivery.chat_id, thread_id, reason):
            return
        closed = "closed" in reason.lower()
        tr = locale(self.store.chat_language(delivery.chat_id) or SOURCE_LANGUAGE)
        text = messages.topic_paused(delivery.chat_id, thread_id, closed=closed, tr=tr)
        try:
            await self.bot.send_message(delivery.chat_id, text, parse_mode=ParseMode.HTML)
        except TelegramError as exc:
            log.warning("could not tell chat %s about its topic: %s", delivery.chat_id, exc)
