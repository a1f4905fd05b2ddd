"""Start and stop an Application the way ``run_polling`` does, as async code tests can share.

``Application.run_polling`` owns the event loop and installs signal handlers, so it cannot run
inside a test. ``running()`` performs the same sequence (initialize, post_init, polling, start;
then the reverse) and is used both by ``digestbot run`` and by the end-to-end tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 40
"""Simultaneous webhook posts Telegram may make (its default); each is answered once queued."""


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where Telegram posts updates, and the secret each post carries."""

    url: str
    secret: str = field(repr=False)


class WebhookRefused(Exception):
    """Telegram would not set the webhook (a host it cannot resolve, a URL it does not take)."""


class Server(Protocol):
    """The bot's HTTP server, as the lifecycle starts and stops it."""

    async def start(self) -> None: ...

    async def stop(self) -> None:
        """Stop serving; stopping a stopped server does nothing."""
        ...


@contextlib.asynccontextmanager
async def running(
    app: Application,
    *,
    poll_timeout: int = 10,
    webhook: Webhook | None = None,
    server: Server | None = None,
) -> AsyncIterator[Application]:
    """Run ``app`` for the duration of the block: with long polling, or, given a ``webhook``,
    taking the updates ``server`` receives (after ``setWebhook``). ``server`` starts before
    updates are asked for and stops before the application does.

    Polling begins with ``deleteWebhook`` (PTB's ``start_polling`` calls it), so a bot that
    ran with a webhook polls again; stopping leaves a webhook in place, so Telegram keeps the
    updates that come while the bot is down.
    """
    updater = app.updater
    if updater is None:
        raise ValueError("the application was built without an updater")
    if webhook is not None and server is None:
        raise ValueError("webhook mode needs the server that receives the posts")
    await initialize(app)
    try:
        if app.post_init is not None:
            await app.post_init(app)
        if server is not None:
            await server.start()
        try:
            if webhook is None:
                await updater.start_polling(
                    poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
                )
            else:
                await _set_webhook(app, webhook)
            await app.start()
            try:
                yield app
            finally:
                if server is not None:
                    await server.stop()  # no post is taken while the application stops
                await _stop(app)
        finally:
            if server is not None:
                await server.stop()  # when starting failed; a second stop does nothing
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def _set_webhook(app: Application, webhook: Webhook) -> None:
    try:
        await app.bot.set_webhook(
            webhook.url,
            secret_token=webhook.secret,
            allowed_updates=Update.ALL_TYPES,
            max_connections=MAX_CONNECTIONS,
        )
    except BadRequest as exc:  # a NetworkError to PTB, but nothing a retry would mend
        raise WebhookRefused(
            f"Telegram refused the webhook {webhook.url}: {exc.message}."
        ) from None


async def _stop(app: Application) -> None:
    """The delivery worker's last message, then polling, then the application."""
    updater = app.updater
    before_stop = getattr(app.bot_data, "before_stop", None)
    if before_stop is not None:
        await before_stop()
    if updater is not None and updater.running:
        await updater.stop()
    if app.running:
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)


async def initialize(app: Application) -> None:
    """``app.initialize()``, closing the bot's HTTP sessions again when it fails.

    PTB opens them before ``get_me`` checks the token, and leaves them open if that raises.
    """
    try:
        await app.initialize()
    except BaseException:
        await app.bot.shutdown()
        raise


async def serve_until_signalled(
    app: Application, *, webhook: Webhook | None = None, server: Server | None = None
) -> None:
    """Run ``app`` until SIGINT or SIGTERM, then stop it cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(app, webhook=webhook, server=server):
        log.info("digestbot is running; stop it with Ctrl+C or SIGTERM")
        await stop.wait()
        log.info("stopping")
