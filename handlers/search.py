"""/search, plain text messages, and the result pages' Prev/Next buttons."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from telegram import Update

from bot.arxiv_id import parse_arxiv_id, parse_arxiv_ids
from bot.models import SearchHit
from bot.rules.query import parse_query
from bot.text import messages
from bot.text.cards import search_results
from bot.text.keyboards import Buttons
from handlers.context import BotContext
from handlers.papers import show_paper
from handlers.replies import edit, is_private, reply
from handlers.summaries import reader

PAGE_PRIVATE = 8
PAGE_GROUP = 4
MAX_CARDS = 5
"""Cards sent for a message that lists arXiv ids: each is a message of its own, and Telegram
lets a bot send about one a second to a chat."""
"""Replies in groups stay short."""


def page_size(update: Update) -> int:
    return PAGE_PRIVATE if is_private(update) else PAGE_GROUP


async def search_command(update: Update, context: BotContext) -> None:
    """/search <query>: ranked results, paged."""
    text, tr = " ".join(context.args or ()), context.tr(update)
    if not text:
        await reply(
            update,
            messages.usage(
                "search",
                tr.gettext("<words>"),
                tr.gettext("graph pruning"),
                tr.gettext('"mixture of experts" -survey'),
                tr=tr,
            )
            + "\n"
            + tr.gettext("Also: cat:cs.LG, author:Name, since:2025-10-01, until:2025-10-31."),
        )
        return
    await run_search(update, context, text)


async def text_message(update: Update, context: BotContext) -> None:
    """A plain message: an arXiv id or link opens the paper, a list of them their cards (the
    first ``MAX_CARDS``), anything else is searched."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if parse_arxiv_id(message.text) is not None:
        await show_paper(update, context, message.text)
    elif several := parse_arxiv_ids(message.text):
        for arxiv in several[:MAX_CARDS]:
            await show_paper(update, context, arxiv.id)
        if len(several) > MAX_CARDS:
            await reply(update, messages.more_ids(MAX_CARDS, len(several), tr=context.tr(update)))
    else:
        await run_search(update, context, message.text)


def read_in(update: Update, context: BotContext, hits: Sequence[SearchHit]) -> list[SearchHit]:
    """The hits with the AI text in the language the chat (or topic) reads (``/summaries``)."""
    shown = reader(update, context)
    return [dataclasses.replace(hit, paper=shown(hit.paper)) for hit in hits]


async def run_search(update: Update, context: BotContext, text: str) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    query, tr = parse_query(text), context.tr(update)
    notes = messages.query_notes(query.notes, tr=tr)
    if query.is_empty:
        await reply(update, messages.nothing_to_search(tr=tr) + notes)
        return
    search_id = context.store.remember_search(chat.id, text, now=context.services.now())
    size = page_size(update)
    page = await context.services.reads.run(lambda store: store.search(query, limit=size))
    body = search_results(
        read_in(update, context, page.hits),
        query_text=text,
        offset=0,
        total=page.total,
        capped=page.capped,
        tr=context.tr(update),
    )
    buttons = Buttons(context.codec, chat.id, context.tr(update))
    keyboard = buttons.entries([hit.paper.id for hit in page.hits], offset=0)
    keyboard += buttons.pager("s", str(search_id), offset=0, size=size, has_more=page.has_more)
    await reply(update, body + notes, keyboard)


async def page_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``s|<search id>|<offset>``: another page of a remembered search."""
    search_id, offset = int(fields[0]), int(fields[1])
    chat, query = update.effective_chat, update.callback_query
    if chat is None or query is None:
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    text = context.store.recall_search(chat.id, search_id)
    if text is None:
        return context.tr(update).gettext(messages.SEARCH_EXPIRED)
    size = page_size(update)
    parsed = parse_query(text)
    page = await context.services.reads.run(
        lambda store: store.search(parsed, limit=size, offset=offset)
    )
    body = search_results(
        read_in(update, context, page.hits),
        query_text=text,
        offset=offset,
        total=page.total,
        capped=page.capped,
        tr=context.tr(update),
    )
    buttons = Buttons(context.codec, chat.id, context.tr(update))
    keyboard = buttons.entries([hit.paper.id for hit in page.hits], offset=offset)
    keyboard += buttons.pager("s", str(search_id), offset=offset, size=size, has_more=page.has_more)
    await edit(query, body, keyboard)
    return None
