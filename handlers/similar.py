"""/similar and the 🔗 Similar button: the papers most like one, each a tap away from its card."""

from __future__ import annotations

import dataclasses

from telegram import Update

from bot.arxiv_id import parse_arxiv_id
from bot.models import SimilarPapers
from bot.text import messages
from bot.text.keyboards import Buttons
from bot.text.lists import similar_papers
from handlers.context import BotContext
from handlers.replies import reply
from handlers.search import page_size
from handlers.summaries import reader


async def similar_command(update: Update, context: BotContext) -> None:
    """/similar <id or link>: the papers most like that one."""
    text = " ".join(context.args or ())
    if not text:
        await reply(
            update,
            messages.usage("similar", "<arXiv id or link>", "2510.19260", tr=context.tr(update)),
        )
        return
    arxiv = parse_arxiv_id(text)
    if arxiv is None:
        await reply(
            update, messages.not_an_arxiv_id(text, command="similar", tr=context.tr(update))
        )
        return
    found = await _find(update, context, arxiv.id)
    if found is None:
        await reply(update, messages.paper_not_found(arxiv.id, tr=context.tr(update)))
        return
    await _send(update, context, found)


async def similar_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | None:
    """Button ``m|<paper id>`` (🔗 Similar under a card): the same list, as a new message."""
    found = await _find(update, context, fields[0])
    if found is None:
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    await _send(update, context, found)
    return None


async def _find(update: Update, context: BotContext, paper_id: str) -> SimilarPapers | None:
    limit = page_size(update)
    return await context.services.reads.run(lambda store: store.similar(paper_id, limit=limit))


async def _send(update: Update, context: BotContext, found: SimilarPapers) -> None:
    chat_id = update.effective_chat.id if update.effective_chat else 0
    buttons = Buttons(context.codec, chat_id, context.tr(update))
    keyboard = buttons.entries([h.paper.id for h in found.hits], offset=0)
    shown = reader(update, context)
    found = dataclasses.replace(
        found,
        hits=tuple(dataclasses.replace(hit, paper=shown(hit.paper)) for hit in found.hits),
    )
    await reply(update, similar_papers(found, tr=context.tr(update)), keyboard)
