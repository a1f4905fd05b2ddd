"""What every handler reaches through PTB's context: the store, the settings and friends."""

from __future__ import annotations

import datetime as dt
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot

from bot.callbacks import CallbackCodec
from bot.config import Settings
from bot.flood import FloodGuard
from bot.matching import DigestIndex
from bot.models import DigestSummary
from storage.store import Store


class Services:
    """The application's shared objects (PTB's ``bot_data``), filled in by build_application."""

    settings: Settings
    store: Store
    codec: CallbackCodec
    flood: FloodGuard

    _index: tuple[tuple[dt.date, int], DigestIndex] | None = None

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def digest_index(self, summary: DigestSummary) -> DigestIndex:
        """The matching index of a digest, kept until that digest changes or a newer one comes."""
        key = (summary.date, summary.papers)
        if self._index is None or self._index[0] != key:
            self._index = (key, DigestIndex(self.store.papers_in_digest(summary.date)))
        return self._index[1]


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
