"""The application-wide error handler: log with context, one polite sentence, keep serving."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.text import messages
from handlers.context import BotContext
from handlers.replies import topic_of

log = logging.getLogger(__name__)


async def on_error(update: object, context: BotContext) -> None:
    """Log the failure with what the update was; tell the chat once, without any details."""
    chat = update.effective_chat if isinstance(update, Update) else None
    text = None
    if isinstance(update, Update) and update.effective_message is not None:
        text = (update.effective_message.text or "")[:200]
    if isinstance(update, Update) and update.callback_query is not None:
        text = f"button {update.callback_query.data!r}"
    log.error(
        "error while handling update in chat %s (%s)",
        chat.id if chat else None,
        text,
        exc_info=context.error,
    )
    if chat is None or not isinstance(update, Update):
        return
    sorry = context.tr(update).gettext(messages.INTERNAL_ERROR)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(sorry)
        else:
            await context.bot.send_message(
                chat.id,
                sorry,
                message_thread_id=topic_of(update) if isinstance(update, Update) else None,
                parse_mode=ParseMode.HTML,
            )
    except TelegramError as exc:
        log.warning("could not tell chat %s about the error: %s", chat.id, exc)
