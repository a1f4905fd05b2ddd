"""A delivered summary's pages and its entries' buttons; the worker renders with it too."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update

from bot import messages
from bot.delivery import explain
from bot.formatting import delivery_summary, paper_card
from bot.models import Delivery, Subscription
from handlers.context import BotContext
from handlers.keyboards import Buttons
from handlers.replies import edit, reply
from storage.store import Store

PAGE_SIZE = 15
ENTRY_BUTTONS_PER_ROW = 5


def render_delivery(
    store: Store, buttons: Buttons, delivery: Delivery, sub: Subscription, *, offset: int = 0
) -> tuple[str, InlineKeyboardMarkup | None]:
    """One page of a delivery: best matches first, a button per entry, Prev/Next."""
    page_ids = delivery.paper_ids[offset : offset + PAGE_SIZE]
    entries = explain(store.papers(page_ids), sub)
    text = delivery_summary(
        delivery.date, entries, offset=offset, page_size=PAGE_SIZE, total=len(delivery.paper_ids)
    )
    if not delivery.paper_ids:
        return text, None
    numbered = [
        buttons.button(str(offset + n), "o", entry.paper.id) for n, entry in enumerate(entries, 1)
    ]
    step = ENTRY_BUTTONS_PER_ROW
    rows = [numbered[i : i + step] for i in range(0, len(numbered), step)]
    has_more = offset + PAGE_SIZE < len(delivery.paper_ids)
    pager = buttons.pager("d", str(delivery.id), offset=offset, size=PAGE_SIZE, has_more=has_more)
    if pager:
        rows.append(pager)
    return text, InlineKeyboardMarkup(rows)


async def page_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``d|<delivery id>|<offset>``: another page of a delivered summary, in place."""
    delivery_id, offset = int(fields[0]), int(fields[1])
    chat, query = update.effective_chat, update.callback_query
    delivery = context.store.delivery(delivery_id)
    if chat is None or query is None or delivery is None or delivery.chat_id != chat.id:
        return messages.EXPIRED_BUTTON
    sub = context.store.subscription(chat.id)
    buttons = Buttons(context.codec, chat.id)
    text, markup = render_delivery(context.store, buttons, delivery, sub, offset=offset)
    await edit(query, text, markup)
    return None


async def open_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``o|<paper id>`` under a summary: the paper's card, as a new message."""
    paper = context.store.paper(fields[0])
    chat = update.effective_chat
    if paper is None or chat is None:
        return messages.EXPIRED_BUTTON
    await reply(update, paper_card(paper), Buttons(context.codec, chat.id).paper(paper))
    return None
