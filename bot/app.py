"""The composition root: ``build_application(settings)`` wires settings, store and handlers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)

from bot.config import Settings
from bot.delivery.fetch import new_http_client
from bot.delivery.polling import SourcePoller
from bot.delivery.ratelimit import PacedRateLimiter
from bot.delivery.scheduler import PollSummary, poll_and_plan
from bot.delivery.sender import DeliveryWorker, SendCounts
from bot.http_request import AiohttpRequest
from bot.lifecycle import initialize
from bot.rules.flood import FloodGuard
from bot.text.callbacks import CallbackCodec
from handlers.context import BotApplication, BotContext, Services
from handlers.registry import bot_commands, register
from storage.readers import ReadPool
from storage.store import Store

CHECKPOINT_SECONDS = 10.0
"""How often a reader thread copies the write-ahead log back into the database."""


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Chats are served concurrently; updates of one chat are handled in the order they came.

    So a slow reply in one chat never holds up another, and two quick taps in one chat cannot
    overtake each other. Updates start one at a time, each once the one before has come to its
    first wait: PTB starts a whole ``getUpdates`` batch at once, and asyncio would run every
    handler of the batch before the first reply is even written; this way the first reply is
    on its way while the next update is handled (README, "Measured").
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}
        self._starting = asyncio.Lock()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await self._start(coroutine)
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await self._start(coroutine)
        finally:
            self._users[chat.id] -= 1
            if not self._users[chat.id]:
                del self._users[chat.id], self._locks[chat.id]

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


def build_application(
    settings: Settings,
    *,
    rate_limited: bool = True,
    flood: FloodGuard | None = None,
    clock: Callable[[], dt.datetime] | None = None,
) -> BotApplication:
    """The bot, ready for ``bot.lifecycle.running``; the store opens now and closes at shutdown.

    With ``rate_limited``, ``PacedRateLimiter`` keeps every request under Telegram's limits
    (30 messages/s overall, 1/s per private chat for deliveries, 20 per minute per group),
    answers people before deliveries, and retries after a 429.
    """
    token = settings.require_token()
    builder = (
        ApplicationBuilder()
        .token(token)
        .context_types(ContextTypes(context=BotContext, bot_data=Services))
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .concurrent_updates(PerChatUpdateProcessor())
        .request(AiohttpRequest(connections=16))
        # The long poll that stop() cancels may hold its connection a moment longer; a second
        # one lets the final getUpdates (which confirms the last offset) go through at once.
        .get_updates_request(AiohttpRequest(connections=2))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limited:
        # PTB's stubs bind the builder to ExtBot[None] once built without a limiter, so a
        # limiter with arguments cannot be added conditionally without this one ignore.
        builder = builder.rate_limiter(
            PacedRateLimiter(overall_per_second=settings.messages_per_second)  # type: ignore[arg-type]
        )
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    app: BotApplication = builder.build()
    services = app.bot_data
    services.settings = settings
    # Commits on the event loop never checkpoint; checkpoint_job does it in a reader thread.
    services.store = Store.open(settings.db_path, autocheckpoint=False)
    services.reads = ReadPool(settings.db_path)
    services.codec = CallbackCodec.for_token(token)
    services.flood = flood or FloodGuard()
    services.work_lock = asyncio.Lock()
    if clock is not None:
        services.clock = clock
    register(app)
    return app


def attach_delivery(app: BotApplication) -> tuple[SourcePoller, DeliveryWorker]:
    """The poller and the delivery worker, on the application's store, bot and clock."""
    services = app.bot_data
    services.http = new_http_client()
    services.poller = SourcePoller(
        services.settings.digest_sources,
        state=services.store,
        client=services.http,
        clock=services.now,
    )
    services.worker = DeliveryWorker(
        store=services.store,
        bot=app.bot,
        codec=services.codec,
        default_timezone=services.settings.default_timezone,
        clock=services.now,
    )
    return services.poller, services.worker


async def poll_job(context: BotContext) -> None:
    """The JobQueue's repeating job: new digests in, deliveries planned, the worker woken."""
    services = context.bot_data
    if services.poller is None or services.worker is None:
        return
    async with services.work_lock:
        summary = await poll_and_plan(
            services.poller, settings=services.settings, bot=context.bot, now=services.now
        )
    if summary.planned:
        services.worker.wake.set()


async def checkpoint_job(context: BotContext) -> None:
    """The JobQueue's repeating job: the write-ahead log copied back in a reader thread."""
    await context.bot_data.reads.run(lambda store: store.checkpoint())


async def _post_init(app: BotApplication) -> None:
    """Register the command menu, start the delivery worker, schedule source polling."""
    await app.bot.set_my_commands(bot_commands())
    services = app.bot_data
    _, worker = attach_delivery(app)
    services.stopping = asyncio.Event()
    services.worker_task = asyncio.create_task(worker.serve(services.stopping))
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            checkpoint_job, interval=CHECKPOINT_SECONDS, first=CHECKPOINT_SECONDS, name="checkpoint"
        )
    if services.settings.digest_sources and app.job_queue is not None:
        seconds = services.settings.poll_seconds
        app.job_queue.run_repeating(
            poll_job,
            interval=seconds,
            first=1,  # APScheduler skips a first run that is already due when it starts
            name="poll-sources",
            job_kwargs={"misfire_grace_time": seconds, "coalesce": True},
        )


async def _post_shutdown(app: BotApplication) -> None:
    services = app.bot_data
    if services.http is not None:
        await services.http.aclose()
    with contextlib.suppress(AttributeError):
        services.reads.close()
        services.store.close()


async def deliver_once(settings: Settings) -> tuple[PollSummary, SendCounts]:
    """``digestbot deliver``: poll the sources once, plan, send what is due now, and return."""
    app = build_application(settings)
    await initialize(app)
    async with app:
        poller, worker = attach_delivery(app)
        try:
            worker.store.requeue_in_flight()
            services = app.bot_data
            summary = await poll_and_plan(poller, settings=settings, bot=app.bot, now=services.now)
            await worker.send_due()
        finally:
            await _post_shutdown(app)
    return summary, worker.counts
