"""One entry point for every button press: check the signature, dispatch, always answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from telegram import Update

from bot.text import messages
from handlers import (
    categories,
    delivery,
    digests,
    feed,
    library,
    papers,
    search,
    similar,
    subscription,
)
from handlers.context import BotContext
from handlers.replies import Answer

log = logging.getLogger(__name__)

Action = Callable[[Update, BotContext, tuple[str, ...]], Awaitable[str | Answer | None]]

ACTIONS: dict[str, tuple[int, Action]] = {
    "p": (2, papers.section_button),
    "s": (2, search.page_button),
    "cl": (2, digests.category_button),
    "c": (3, digests.category_page_button),
    "t": (2, categories.toggle_button),
    "tp": (1, categories.page_button),
    "sub": (0, subscription.subscribe_button),
    "d": (2, delivery.page_button),
    "o": (1, delivery.open_button),
    "sv": (3, library.save_button),
    "r": (3, library.rate_button),
    "sp": (1, library.saved_page_button),
    "fg": (1, library.forget_button),
    "m": (1, similar.similar_button),
    "fy": (1, feed.page_button),
}
"""Payload name -> (number of fields after the name, action)."""


async def on_button(update: Update, context: BotContext) -> None:
    query = update.callback_query
    chat = update.effective_chat
    if query is None:
        return
    fields = context.codec.decode(chat.id, query.data) if chat is not None else None
    message = query.message
    expired = context.tr(update).gettext(messages.EXPIRED_BUTTON)
    if fields is None or message is None or not message.is_accessible:
        await query.answer(expired)
        return
    name, args = fields[0], fields[1:]
    arity, action = ACTIONS.get(name, (-1, None))
    if action is None or arity != len(args):
        await query.answer(expired)
        return
    try:
        notice = await action(update, context, args)
    except ValueError:
        log.warning(
            "button %r in chat %s had unusable fields", query.data, chat.id if chat else None
        )
        notice = expired
    if isinstance(notice, Answer):
        await query.answer(notice.text, url=notice.url)
    else:
        await query.answer(notice)
