"""A delivered summary's Prev/Next pages and the numbered buttons that open its entries."""

from __future__ import annotations

from telegram import Update

from bot.text import messages
from bot.text.delivery_page import page_ids, render_delivery
from bot.text.keyboards import Buttons
from handlers.context import BotContext
from handlers.papers import send_card
from handlers.replies import edit
from handlers.summaries import reader
from storage.feed import likes


async def page_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``d|<delivery id>|<offset>``: another page of a delivered summary, in place."""
    delivery_id, offset = int(fields[0]), int(fields[1])
    chat, query = update.effective_chat, update.callback_query
    delivery = context.store.delivery(delivery_id)
    if chat is None or query is None or delivery is None or delivery.chat_id != chat.id:
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    sub = context.store.subscription(chat.id, thread_id=delivery.thread_id)
    stored = context.store.papers(page_ids(delivery, offset))
    papers = list(map(reader(update, context), stored))
    buttons = Buttons(context.codec, chat.id, context.tr(update))
    like = likes(context.store, chat.id, papers)
    text, keyboard = render_delivery(delivery, papers, sub, buttons, offset=offset, like=like)
    await edit(query, text, keyboard)
    return None


async def open_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``o|<paper id>`` under any list: the paper's card, as a new message."""
    paper = context.store.paper(fields[0])
    if paper is None or update.effective_chat is None:
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    await send_card(update, context, paper)
    return None
