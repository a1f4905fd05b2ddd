"""The composition root: ``build_application(settings)`` wires settings, store and handlers."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import Callable

from telegram import LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults

from bot.config import Settings
from bot.delivery.fetch import new_http_client
from bot.delivery.polling import SourcePoller
from bot.delivery.ratelimit import PacedRateLimiter
from bot.delivery.scheduler import PollSummary, poll_and_plan
from bot.delivery.sender import DeliveryWorker, SendCounts
from bot.http_request import AiohttpRequest
from bot.lifecycle import initialize
from bot.locales import SOURCE_LANGUAGE, languages, locale
from bot.metrics import Metrics
from bot.rules.flood import FloodGuard
from bot.text.callbacks import CallbackCodec
from bot.update_processor import PerChatUpdateProcessor
from handlers.context import BotApplication, BotContext, Services
from handlers.guard import flood_refusal
from handlers.registry import bot_commands, register
from storage.readers import ReadPool
from storage.store import Store

CHECKPOINT_SECONDS = 10.0
"""How often a reader thread copies the write-ahead log back into the database."""


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
    flood = flood or FloodGuard()
    processor = PerChatUpdateProcessor(flood=flood)
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
        .concurrent_updates(processor)
        .request(AiohttpRequest(connections=16))
        # The long poll that stop() cancels may hold its connection a moment longer; a second
        # one lets the final getUpdates (which confirms the last offset) go through at once.
        .get_updates_request(AiohttpRequest(connections=2))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    limiter = (
        PacedRateLimiter(overall_per_second=settings.messages_per_second) if rate_limited else None
    )
    if limiter is not None:
        # PTB's stubs bind the builder to ExtBot[None] once built without a limiter, so a
        # limiter with arguments cannot be added conditionally without this one ignore.
        builder = builder.rate_limiter(limiter)  # type: ignore[arg-type]
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    app: BotApplication = builder.build()
    services = app.bot_data
    services.settings = settings
    # Commits on the event loop never checkpoint; checkpoint_job does it in a reader thread.
    services.store = Store.open(settings.db_path, autocheckpoint=False)
    services.reads = ReadPool(settings.db_path)
    services.codec = CallbackCodec.for_token(token)
    services.work_lock = asyncio.Lock()
    if clock is not None:
        services.clock = clock
    services.metrics = processor.metrics = Metrics(clock=services.now)
    if limiter is not None:
        limiter.metrics = services.metrics
    processor.refuse = flood_refusal(services)
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
        metrics=services.metrics,
    )
    services.worker = DeliveryWorker(
        store=services.store,
        bot=app.bot,
        codec=services.codec,
        default_timezone=services.settings.default_timezone,
        clock=services.now,
        metrics=services.metrics,
    )
    return services.poller, services.worker


async def poll_job(context: BotContext) -> None:
    """The JobQueue's repeating job: new digests in, deliveries planned, the worker woken."""
    services = context.bot_data
    if services.poller is None or services.worker is None:
        return
    async with services.work_lock:
        summary = await poll_and_plan(
            services.poller,
            settings=services.settings,
            bot=context.bot,
            now=services.now,
            language=services.store.chat_language,
        )
    if summary.planned:
        services.worker.wake.set()


async def checkpoint_job(context: BotContext) -> None:
    """The JobQueue's repeating job: the write-ahead log copied back in a reader thread."""
    await context.bot_data.reads.run(lambda store: store.checkpoint())


async def _post_init(app: BotApplication) -> None:
    """Register the command menu, start the delivery worker, schedule source polling."""
    await app.bot.set_my_commands(bot_commands(locale(SOURCE_LANGUAGE)))
    for code in languages():
        if code != SOURCE_LANGUAGE:
            await app.bot.set_my_commands(bot_commands(locale(code)), language_code=code)
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
            summary = await poll_and_plan(
                poller,
                settings=settings,
                bot=app.bot,
                now=services.now,
                language=services.store.chat_language,
            )
            await worker.send_due()
        finally:
            await _post_shutdown(app)
    return summary, worker.counts
