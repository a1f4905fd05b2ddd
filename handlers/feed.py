"""/ranking, /suggest and /foryou: what a chat's ratings teach its summaries."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import Update

from bot.models import Subscription
from bot.rules.planning import explain
from bot.text import feed, messages
from bot.text.keyboards import Buttons
from handlers.context import BotContext
from handlers.guard import group_admins_only
from handlers.replies import edit, reply
from handlers.subscription import current, save
from handlers.summaries import reader
from storage.feed import ForYou, compute_for_you
from storage.store import Store

FOR_YOU_PAGE = 5


def _on_off(context: BotContext) -> bool | None:
    choice = " ".join(context.args or ()).strip().casefold()
    return {"on": True, "off": False}.get(choice)


@group_admins_only(messages.GROUP_SETTINGS_ADMINS_ONLY)
async def ranking_command(update: Update, context: BotContext) -> None:
    """/ranking on|off: matches ordered by the chat's ratings, or by keywords."""
    await _switch(update, context, "ranking", feed.ranking_set)


@group_admins_only(messages.GROUP_SETTINGS_ADMINS_ONLY)
async def suggest_command(update: Update, context: BotContext) -> None:
    """/suggest on|off: papers beyond the filters that the chat's ratings rank high."""
    await _switch(update, context, "suggest", feed.suggest_set)


async def _switch(
    update: Update,
    context: BotContext,
    field: str,
    said: Callable[..., str],
) -> None:
    """``/<field> on|off`` sets the subscription's ``field`` and answers with ``said``; bare,
    it says what is set (the /settings line), then how to change it."""
    on, sub, tr = _on_off(context), current(update, context), context.tr(update)
    counts = context.store.feedback_counts(sub.chat_id)
    if on is None:
        usage = messages.usage(field, "on | off", "on", "off", tr=tr)
        await reply(update, f"{feed.ranking_settings(sub, counts, tr=tr)}\n\n{usage}")
        return
    changed: dict[str, Any] = {field: on}
    save(context, dataclasses.replace(sub, **changed))
    await reply(update, said(on, counts, tr=tr))


async def foryou_command(update: Update, context: BotContext) -> None:
    """/foryou: the best papers of the last week for this chat, unseen first."""
    await show_for_you(update, context, offset=0)


async def page_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``fy|<offset>``: another page of /foryou, in place."""
    await show_for_you(update, context, offset=int(fields[0]))
    return None


def _compute(db_path: Path, sub: Subscription) -> ForYou:
    store = Store.open(db_path)
    try:
        return compute_for_you(store, sub)
    finally:
        store.close()


async def show_for_you(update: Update, context: BotContext, *, offset: int) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    sub = current(update, context)
    # In a thread with its own connection: it may train the chat's model and scores a week.
    found = await asyncio.to_thread(_compute, context.services.settings.db_path, sub)
    offset = max(0, offset)
    page = list(map(reader(update, context), found.papers[offset : offset + FOR_YOU_PAGE]))
    text = feed.for_you_page(
        explain(page, sub),
        offset=offset,
        total=len(found.papers),
        like=found.like,
        order=found.order,
        tr=context.tr(update),
    )
    buttons = Buttons(context.codec, chat.id, context.tr(update))
    has_more = offset + FOR_YOU_PAGE < len(found.papers)
    keyboard = buttons.entries([p.id for p in page], offset=offset)
    keyboard += buttons.pager("fy", offset=offset, size=FOR_YOU_PAGE, has_more=has_more)
    query = update.callback_query
    if query is not None:
        await edit(query, text, keyboard)
    else:
        await reply(update, text, keyboard)
