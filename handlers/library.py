"""A person's library: ⭐ and 👍/👎 under a card, /saved and its pages, /forget.

Saves and ratings belong to whoever pressed (the callback's user), in groups too; a rating pressed
in a group also counts as that member's vote for the group.
"""

from __future__ import annotations

import dataclasses

from telegram import Update

from bot.text import library, messages
from bot.text.keyboards import TOGGLE, Button, Buttons
from handlers.context import BotContext
from handlers.exports import export_saved
from handlers.papers import is_view, show_view
from handlers.replies import Answer, edit, is_private, reply
from handlers.summaries import reader

SAVED_PAGE = 8
SAVE_TARGETS = {"1": True, "0": False}
RATING_TARGETS = {"1": 1, "-1": -1, "0": 0}


def deep_link(context: BotContext, payload: str) -> str:
    """``https://t.me/<bot>?start=<payload>``: opens a private chat with the bot."""
    return f"https://t.me/{context.bot.username}?start={payload}"


async def save_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | Answer | None:
    """Button ``sv|<paper id>|<1, 0 or ~>|<view>``: save, unsave, or toggle (in groups)."""
    paper_id, target, view = fields
    user, paper = update.effective_user, context.store.paper(paper_id)
    if user is None or paper is None or not is_view(view):
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    if target == TOGGLE:
        saved = not context.store.mark(user.id, paper_id).saved
    elif target in SAVE_TARGETS:
        saved = SAVE_TARGETS[target]
    else:
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    context.store.set_saved(user.id, paper_id, saved, now=context.services.now())
    await show_view(update, context, paper, view)
    in_group = not is_private(update)
    if in_group and saved and not context.store.has_private_chat(user.id):
        return Answer(
            library.saved_needs_private_chat(tr=context.tr(update)),
            url=deep_link(context, "saved"),
        )
    return library.saved_answer(saved, in_group=in_group, tr=context.tr(update))


async def rate_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | Answer | None:
    """Button ``r|<paper id>|<1, -1, 0, ~1 or ~-1>|<view>``: 👍, 👎, none, or a toggle."""
    paper_id, target, view = fields
    user, chat, paper = update.effective_user, update.effective_chat, context.store.paper(paper_id)
    wanted = target.removeprefix(TOGGLE)
    if user is None or chat is None or paper is None or not is_view(view):
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    if wanted not in RATING_TARGETS:
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    rating = RATING_TARGETS[wanted]
    if target.startswith(TOGGLE) and context.store.mark(user.id, paper_id).rating == rating:
        rating = 0
    in_group = not is_private(update)
    context.store.set_rating(
        user.id,
        paper_id,
        rating,
        now=context.services.now(),
        group_id=chat.id if in_group else None,
    )
    await show_view(update, context, paper, view)
    return library.rating_answer(rating, in_group=in_group, tr=context.tr(update))


async def saved_command(update: Update, context: BotContext) -> None:
    """/saved: the person's saved papers, newest first, paged, each opening its card;
    /saved export <format>: all of them as a file."""
    if not is_private(update):
        await _library_is_private(update, context)
        return
    args = context.args or []
    if args[:1] and args[0].casefold() == "export":
        await export_saved(update, context, " ".join(args[1:]))
        return
    await show_saved(update, context, offset=0)


async def _library_is_private(update: Update, context: BotContext) -> None:
    tr = context.tr(update)
    link = Button(tr.gettext(library.OPEN_LIBRARY), url=deep_link(context, "saved"))
    await reply(update, tr.gettext(library.LIBRARY_IS_PRIVATE), ((link,),))


async def saved_page_button(
    update: Update, context: BotContext, fields: tuple[str, ...]
) -> str | None:
    """Button ``sp|<offset>``: another page of /saved, in place."""
    if not is_private(update):
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    await show_saved(update, context, offset=int(fields[0]))
    return None


async def show_saved(update: Update, context: BotContext, *, offset: int) -> None:
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    page = context.store.saved_papers(user.id, limit=SAVED_PAGE, offset=max(offset, 0))
    buttons = Buttons(context.codec, chat.id, context.tr(update))
    has_more = page.offset + len(page.papers) < page.total
    keyboard = buttons.entries([p.id for p in page.papers], offset=page.offset)
    keyboard += buttons.pager("sp", offset=page.offset, size=SAVED_PAGE, has_more=has_more)
    shown = dataclasses.replace(page, papers=tuple(map(reader(update, context), page.papers)))
    text = library.saved_list(shown, tr=context.tr(update))
    query = update.callback_query
    if query is not None:
        await edit(query, text, keyboard)
    else:
        await reply(update, text, keyboard)


async def forget_command(update: Update, context: BotContext) -> None:
    """/forget: after a confirmation, delete the person's saved papers and ratings."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None or user is None:
        return
    if not is_private(update):
        await _library_is_private(update, context)
        return
    counts, tr = context.store.library_counts(user.id), context.tr(update)
    if counts.empty:
        await reply(update, tr.gettext(library.FORGET_NOTHING))
        return
    buttons = Buttons(context.codec, chat.id, tr)
    confirm = (
        buttons.button(tr.gettext(library.FORGET_YES), "fg", "yes"),
        buttons.button(tr.gettext(library.FORGET_NO), "fg", "no"),
    )
    await reply(update, library.forget_question(counts, tr=tr), (confirm,))


async def forget_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str | None:
    """Button ``fg|yes`` or ``fg|no`` under /forget's question."""
    user, query = update.effective_user, update.callback_query
    if user is None or query is None or fields[0] not in ("yes", "no") or not is_private(update):
        return context.tr(update).gettext(messages.EXPIRED_BUTTON)
    tr = context.tr(update)
    if fields[0] == "no":
        await edit(query, tr.gettext(library.FORGET_KEPT))
        return None
    counts = context.store.forget_library(user.id)
    context.store.drop_model(user.id)
    if counts.empty:
        await edit(query, tr.gettext(library.FORGET_NOTHING))
    else:
        await edit(query, library.forgotten(counts, tr=tr))
    return None
