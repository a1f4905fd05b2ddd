"""``/start <payload>`` from a ``t.me/<bot>?start=...`` link: one opener per kind of payload."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update

from bot.text.deeplinks import NOT_A_PAPER_LINK, PAPER, paper_id_from
from handlers.context import BotContext
from handlers.library import saved_command
from handlers.papers import show_paper
from handlers.replies import reply

Opener = Callable[[Update, BotContext, str], Coroutine[Any, Any, None]]
"""Opens what a payload names, given the argument after its ``<kind>_``."""


async def open_paper(update: Update, context: BotContext, argument: str) -> None:
    """``p_<id>``: the paper's card, as /paper shows it."""
    paper_id = paper_id_from(argument)
    if paper_id is None:
        await reply(update, context.tr(update).gettext(NOT_A_PAPER_LINK))
        return
    await show_paper(update, context, paper_id)


async def open_saved(update: Update, context: BotContext, argument: str) -> None:
    """``saved``: the person's saved papers (the link a group's ⭐ answers with)."""
    await saved_command(update, context)


OPENERS: dict[str, Opener] = {PAPER: open_paper, "saved": open_saved}
"""Payload kind -> its opener."""


async def open_start_link(update: Update, context: BotContext, payload: str) -> bool:
    """Open what ``payload`` names; False when it is no kind this bot makes links for."""
    kind, _, argument = payload.partition("_")
    opener = OPENERS.get(kind)
    if opener is None:
        return False
    await opener(update, context, argument)
    return True
