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

from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)


@contextlib.asynccontextmanager
async def running(app: Application, *, poll_timeout: int = 10) -> AsyncIterator[Application]:
    """Run ``app`` with long polling for the duration of the block."""
    updater = app.updater
    if updater is None:
        raise ValueError("the application was built without an updater")
    await initialize(app)
    try:
        if app.post_init is not None:
            await app.post_init(app)
        await updater.start_polling(
            poll_interval=0, timeout=poll_timeout, allowed_updates=Update.ALL_TYPES
        )
        await app.start()
        try:
            yield app
        finally:
            before_stop = getattr(app.bot_data, "before_stop", None)
            if before_stop is not None:
                await before_stop()
            if updater.running:
                await updater.stop()
            if app.running:
                await app.stop()
                if app.post_stop is not None:
                    await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)


async def initialize(app: Application) -> None:
    """``app.initialize()``, closing the bot's HTTP sessions again when it fails.

    PTB opens them before ``get_me`` checks the token, and leaves them open if that raises.
    """
    try:
        await app.initialize()
    except BaseException:
        await app.bot.shutdown()
        raise


async def serve_until_signalled(app: Application) -> None:
    """Run ``app`` until SIGINT or SIGTERM, then stop it cleanly."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    async with running(app):
        log.info("digestbot is running; stop it with Ctrl+C or SIGTERM")
        await stop.wait()
        log.info("stopping")
