"""/latest and /category (alias /cat): the newest digest and its categories' papers."""

from __future__ import annotations

import datetime as dt

from telegram import Update

from bot.text import messages
from bot.text.cards import category_list, category_papers, latest_digest
from bot.text.keyboards import Buttons, Keyboard
from handlers.context import BotContext
from handlers.replies import edit, reply
from handlers.search import page_size
from handlers.summaries import reader


async def latest_command(update: Update, context: BotContext) -> None:
    """/latest: the newest digest's date, size and per-category counts, a button per category."""
    summary = context.store.latest_digest()
    chat = update.effective_chat
    keyboard: Keyboard = ()
    if summary is not None and chat is not None:
        buttons = Buttons(context.codec, chat.id, context.tr(update))
        keyboard = buttons.latest(summary.date, summary.categories)
    await reply(update, latest_digest(summary, tr=context.tr(update)), keyboard)


async def category_command(update: Update, context: BotContext) -> None:
    """/category [cat]: a category's papers in the newest digest, or the list of categories
    with a button each (as under /latest)."""
    summary = context.store.latest_digest()
    if summary is None:
        await reply(update, context.tr(update).gettext(messages.NO_DIGEST))
        return
    if not context.args:
        tr, chat = context.tr(update), update.effective_chat
        keyboard: Keyboard = ()
        if chat is not None:
            keyboard = Buttons(context.codec, chat.id, tr).latest(summary.date, summary.categories)
        await reply(update, category_list(summary.categories, tr=tr), keyboard)
        return
    wanted = context.args[0].strip()
    known = {c.category.casefold(): c.category for c in summary.categories}
    category = known.get(wanted.casefold(), wanted)
    await _send_page(update, context, summary.date, category, 0, edit_in_place=False)


async def category_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | None:
    """Button ``cl|<date>|<category>`` under /latest: the first page, as a new message."""
    date, category = dt.date.fromisoformat(fields[0]), fields[1]
    await _send_page(update, context, date, category, 0, edit_in_place=False)
    return None


async def category_page_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | None:
    """Button ``c|<date>|<category>|<offset>``: another page, in place."""
    date, category, offset = dt.date.fromisoformat(fields[0]), fields[1], int(fields[2])
    await _send_page(update, context, date, category, offset, edit_in_place=True)
    return None


async def _send_page(
    update: Update,
    context: BotContext,
    date: dt.date,
    category: str,
    offset: int,
    *,
    edit_in_place: bool,
) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    size = page_size(update)
    # A page of one day's papers costs SQLite about 0.3 ms: read here rather than queued behind
    # the searches in the reader threads.
    papers = context.store.papers_in_digest(date, category=category, limit=size, offset=offset)
    total = context.store.count_in_digest(date, category=category)
    shown = list(map(reader(update, context), papers))
    text = category_papers(date, category, shown, offset=offset, total=total, tr=context.tr(update))
    has_more = offset + len(papers) < total
    buttons = Buttons(context.codec, chat.id, context.tr(update))
    keyboard = buttons.entries([paper.id for paper in papers], offset=offset)
    keyboard += buttons.pager(
        "c", date.isoformat(), category, offset=offset, size=size, has_more=has_more
    )
    query = update.callback_query
    if edit_in_place and query is not None:
        await edit(query, text, keyboard)
    else:
        await reply(update, text, keyboard)
