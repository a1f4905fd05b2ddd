"""What every handler reaches through PTB's context: the store, the settings and friends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.callbacks import CallbackCodec
from bot.config import Settings
from bot.flood import FloodGuard
from storage.store import Store


class Services:
    """The application's shared objects (PTB's ``bot_data``), filled in by build_application."""

    settings: Settings
    store: Store
    codec: CallbackCodec
    flood: FloodGuard

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class BotContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], Services]):
    """The context handlers receive, typed, with shortcuts to the services."""

    @property
    def services(self) -> Services:
        return self.bot_data

    @property
    def store(self) -> Store:
        return self.bot_data.store

    @property
    def codec(self) -> CallbackCodec:
        return self.bot_data.codec


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], Services, Any
]
