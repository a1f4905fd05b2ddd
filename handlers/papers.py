"""/paper, a pasted arXiv id or link, and the card's section buttons."""

from __future__ import annotations

from telegram import Update

from bot.arxiv_id import parse_arxiv_id
from bot.text import messages
from bot.text.cards import SECTIONS, paper_card, paper_section
from bot.text.keyboards import Buttons
from handlers.context import BotContext
from handlers.replies import edit, reply


async def paper_command(update: Update, context: BotContext) -> None:
    """/paper <id>: the paper card."""
    text = " ".join(context.args or ())
    if not text:
        await reply(update, messages.usage("paper", "<arXiv id or link>", "2510.19260"))
        return
    await show_paper(update, context, text)


async def show_paper(update: Update, context: BotContext, text: str) -> None:
    """The card of the paper ``text`` names, or one sentence saying why there is none."""
    arxiv = parse_arxiv_id(text)
    if arxiv is None:
        await reply(update, messages.not_an_arxiv_id(text))
        return
    paper = context.store.paper(arxiv.id)
    if paper is None:
        await reply(update, messages.paper_not_found(arxiv.id))
        return
    chat_id = update.effective_chat.id if update.effective_chat else 0
    await reply(update, paper_card(paper), Buttons(context.codec, chat_id).paper(paper))


async def section_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | None:
    """Button ``p|<id>|<section>``: show that section (or the card) in the same message."""
    arxiv_id, section = fields
    if section != "card" and section not in SECTIONS:
        return messages.EXPIRED_BUTTON
    paper = context.store.paper(arxiv_id)
    query = update.callback_query
    if paper is None or query is None or update.effective_chat is None:
        return messages.EXPIRED_BUTTON
    text = paper_card(paper) if section == "card" else paper_section(paper, section)
    buttons = Buttons(context.codec, update.effective_chat.id)
    await edit(query, text, buttons.paper(paper, showing=section))
    return None
