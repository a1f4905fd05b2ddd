"""What every handler reaches through PTB's context: the store, the settings and friends."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.locales import SOURCE_LANGUAGE, client_language, locale
from bot.metrics import Metrics
from bot.models import DigestSummary
from bot.rules.matching import DigestIndex
from bot.text.callbacks import CallbackCodec
from bot.text.language import Locale
from storage.readers import ReadPool
from storage.store import Store

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import httpx

    from bot.delivery.polling import SourcePoller
    from bot.delivery.sender import DeliveryWorker


class Services:
    """The application's shared objects (PTB's ``bot_data``), filled in by build_application."""

    settings: Settings
    store: Store
    reads: ReadPool
    """Searches (first and further pages) and WAL checkpoints, in worker threads with their own
    connections."""
    codec: CallbackCodec
    clock: Callable[[], dt.datetime] = staticmethod(lambda: dt.datetime.now(dt.UTC))
    """The one clock of the bot; tests replace it."""
    metrics: Metrics
    """Counters for /metrics and the moments /healthz judges by (``bot.metrics``)."""
    poller: SourcePoller | None = None
    http: httpx.AsyncClient | None = None
    worker: DeliveryWorker | None = None
    worker_task: asyncio.Task[None] | None = None
    stopping: asyncio.Event | None = None
    work_lock: asyncio.Lock
    """Held while sources are polled, digests stored and deliveries planned: one round at once."""
    _index: tuple[tuple[dt.date, int], DigestIndex] | None = None

    def now(self) -> dt.datetime:
        return self.clock()

    def digest_index(self, summary: DigestSummary) -> DigestIndex:
        """The matching index of a digest, kept until that digest changes or a newer one comes."""
        key = (summary.date, summary.papers)
        if self._index is None or self._index[0] != key:
            self._index = (key, DigestIndex(self.store.papers_in_digest(summary.date)))
        return self._index[1]

    def resume_chat(self, chat_id: int, *, thread_id: int | None = None) -> None:
        """Lift the pause of a chat (and of its topic ``thread_id``) and send at once what was
        held for it."""
        if self.store.resume_chat(chat_id, thread_id=thread_id, now=self.now()):
            self.wake_worker()

    def wake_worker(self) -> None:
        """Have the delivery worker look at its queue now: something became due sooner."""
        if self.worker is not None:
            self.worker.wake.set()

    async def before_stop(self) -> None:
        """Called before the application stops: the delivery worker ends after its message."""
        if self.stopping is not None:
            self.stopping.set()
        if self.worker_task is not None:
            try:
                await self.worker_task
            except Exception:
                log.exception("the delivery worker ended with an error")


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

    def tr(self, update: Update) -> Locale:
        """The language the update is answered in (``language_of``)."""
        return language_of(self.store, update)


def language_of(store: Store, update: Update) -> Locale:
    """The language an update is answered in: its chat's (English for a group no admin chose
    one for); without a chat (an inline query), its person's app's."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return locale(client_language(user.language_code if user else None))
    return locale(store.chat_language(chat.id) or SOURCE_LANGUAGE)


BotApplication = Application[
    ExtBot[None], BotContext, dict[Any, Any], dict[Any, Any], Services, Any
]
