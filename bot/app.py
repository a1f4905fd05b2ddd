"""The composition root: ``build_application(settings)`` wires settings, store and handlers."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable
from typing import Any

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    ContextTypes,
    Defaults,
)

from bot.callbacks import CallbackCodec
from bot.config import Settings
from bot.flood import FloodGuard
from handlers.context import BotApplication, BotContext, Services
from handlers.registry import bot_commands, register
from storage.store import Store


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Chats are served concurrently; updates of one chat are handled in the order they came.

    So a slow reply in one chat never holds up another, and two quick taps in one chat cannot
    overtake each other.
    """

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._users[chat.id] = self._users.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[chat.id] -= 1
            if not self._users[chat.id]:
                del self._users[chat.id], self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def build_application(
    settings: Settings,
    *,
    rate_limited: bool = True,
    flood: FloodGuard | None = None,
) -> BotApplication:
    """The bot, ready for ``bot.lifecycle.running``; the store opens now and closes at shutdown.

    With ``rate_limited``, PTB's AIORateLimiter keeps every request under Telegram's limits
    (30 messages/s overall, 20 per minute per group) and retries after a 429.
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
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limited:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if settings.telegram_base_url:
        builder = builder.base_url(settings.telegram_base_url)
    app: BotApplication = builder.build()
    services = app.bot_data
    services.settings = settings
    services.store = Store.open(settings.db_path)
    services.codec = CallbackCodec.for_token(token)
    services.flood = flood or FloodGuard()
    register(app)
    return app


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    await app.bot.set_my_commands(bot_commands())


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    with contextlib.suppress(AttributeError):
        app.bot_data.store.close()
