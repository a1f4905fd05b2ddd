"""/paper, a pasted arXiv id or link, and the card's section buttons."""

from __future__ import annotations

from telegram import Update

from bot.arxiv_id import parse_arxiv_id
from bot.models import Paper
from bot.text import messages
from bot.text.cards import SECTIONS, paper_card, paper_section
from bot.text.keyboards import Buttons, Keyboard
from handlers.context import BotContext
from handlers.replies import edit, is_private, reply
from handlers.summaries import reader


async def paper_command(update: Update, context: BotContext) -> None:
    """/paper <id>: the paper card."""
    text = " ".join(context.args or ())
    if not text:
        await reply(
            update,
            messages.usage("paper", "<arXiv id or link>", "2510.19260", tr=context.tr(update)),
        )
        return
    await show_paper(update, context, text)


async def show_paper(update: Update, context: BotContext, text: str) -> None:
    """The card of the paper ``text`` names, or one sentence saying why there is none."""
    arxiv = parse_arxiv_id(text)
    if arxiv is None:
        await reply(update, messages.not_an_arxiv_id(text, tr=context.tr(update)))
        return
    paper = context.store.paper(arxiv.id)
    if paper is None:
        await reply(update, messages.paper_not_found(arxiv.id, tr=context.tr(update)))
        return
    await send_card(update, context, paper)


async def send_card(update: Update, context: BotContext, paper: Paper) -> None:
    """The paper's card as a new message, with its buttons."""
    shown = reader(update, context)(paper)
    card = paper_card(shown, tr=context.tr(update))
    await reply(update, card, card_keyboard(update, context, paper))


def card_keyboard(
    update: Update, context: BotContext, paper: Paper, *, showing: str = "card"
) -> Keyboard:
    """A card's buttons; in a private chat they show its person's saves and ratings."""
    chat, user = update.effective_chat, update.effective_user
    mark = None
    if is_private(update) and user is not None:
        mark = context.store.mark(user.id, paper.id)
    buttons = Buttons(context.codec, chat.id if chat else 0, context.tr(update))
    share = bool(context.bot.supports_inline_queries)
    return buttons.paper(paper, showing=showing, mark=mark, share=share)


async def show_view(update: Update, context: BotContext, paper: Paper, showing: str) -> None:
    """Show the card (``"card"``) or one of its sections in the pressed message."""
    query = update.callback_query
    if query is None:
        return
    tr = context.tr(update)
    shown = reader(update, context)(paper)
    text = paper_card(shown, tr=tr) if showing == "card" else paper_section(shown, showing, tr=tr)
    await edit(query, text, card_keyboard(update, context, paper, showing=showing))


def is_view(name: str) -> bool:
    return name == "card" or name in SECTIONS


async def section_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | None:
    """Button ``p|<id>|<section>``: show that section (or the card) in the same message."""
    arxiv_id, section = fields
    paper = context.store.paper(arxiv_id)
    if not is_view(section) or paper is None or update.effective_chat is None:
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    await show_view(update, context, paper, section)
    return None
