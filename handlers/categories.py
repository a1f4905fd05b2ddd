"""/categories: choose the categories a chat receives, by tapping or by naming them."""

from __future__ import annotations

import dataclasses

from telegram import Update

from bot.rules.filters import InvalidFilterError, validate_category
from bot.text import messages
from bot.text.keyboards import Buttons
from handlers.context import BotContext
from handlers.guard import may_change_settings
from handlers.replies import edit, reply
from handlers.subscription import current, save

CLEAR_WORDS = frozenset({"all", "none", "clear", "any"})


async def categories_command(update: Update, context: BotContext) -> None:
    """/categories [cat ...]: a keyboard of categories, or set them directly."""
    chat = update.effective_chat
    if chat is None:
        return
    sub, tr = current(update, context), context.tr(update)
    counts = context.store.categories()
    if not context.args:
        keyboard = Buttons(context.codec, chat.id, tr).categories(counts, sub.categories, page=0)
        prompt = messages.categories_prompt(sub.categories, bool(counts), tr=tr)
        await reply(update, prompt, keyboard)
        return
    if not await may_change_settings(update, context):
        await reply(update, tr.gettext(messages.GROUP_SETTINGS_ADMINS_ONLY))
        return
    known = [c.category for c in counts]
    try:
        if {a.casefold() for a in context.args} <= CLEAR_WORDS:
            chosen: frozenset[str] = frozenset()
        else:
            chosen = frozenset(validate_category(arg, known) for arg in context.args)
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc, context.tr(update)))
        return
    save(context, dataclasses.replace(sub, categories=chosen))
    text = messages.categories_set(chosen, tr=tr)
    await reply(update, messages.with_subscribe_hint(text, sub.active, tr=tr))


async def toggle_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``t|<category>|<page>``: add or remove one category, redraw the keyboard."""
    category, page = fields[0], int(fields[1])
    tr = context.tr(update)
    if not await may_change_settings(update, context):
        return tr.gettext(messages.GROUP_SETTINGS_ADMINS_ONLY)
    sub = current(update, context)
    counts = context.store.categories()
    if category not in {c.category for c in counts}:
        return tr.gettext(messages.EXPIRED_BUTTON)
    chosen = sub.categories ^ {category}
    save(context, dataclasses.replace(sub, categories=chosen))
    await _redraw(update, context, chosen, page)
    return messages.category_toggled(category, category in chosen, tr=tr)


async def page_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``tp|<page>``: another page of the category keyboard."""
    await _redraw(update, context, current(update, context).categories, int(fields[0]))
    return None


async def _redraw(update: Update, context: BotContext, chosen: frozenset[str], page: int) -> None:
    chat, query = update.effective_chat, update.callback_query
    if chat is None or query is None:
        return
    counts, tr = context.store.categories(), context.tr(update)
    keyboard = Buttons(context.codec, chat.id, tr).categories(counts, chosen, page=page)
    await edit(query, messages.categories_prompt(chosen, bool(counts), tr=tr), keyboard)
