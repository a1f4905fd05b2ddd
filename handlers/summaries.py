"""/summaries: the language of the AI text a chat reads, when its digests bring several."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import partial

from telegram import Update

from bot.models import Paper
from bot.rules.filters import InvalidFilterError
from bot.rules.summaries import ANY, in_language, parse_summaries_choice, reading
from bot.text import messages
from bot.text.cards import summaries_line
from handlers.context import BotContext
from handlers.guard import group_admins_only
from handlers.replies import reply
from handlers.subscription import current, save


def reader(update: Update, context: BotContext) -> Callable[[Paper], Paper]:
    """Papers -> the same with the AI text in the language the chat (or topic) reads."""
    tr = context.tr(update)
    wanted, said = reading(current(update, context).summaries, tr.code)
    note = partial(messages.fallback_note, tr=tr) if said else None
    return partial(in_language, wanted=wanted, note=note)


@group_admins_only(messages.GROUP_SUMMARIES_ADMINS_ONLY)
async def summaries_command(update: Update, context: BotContext) -> None:
    """/summaries zh|en|ja|any."""
    tr = context.tr(update)
    if not context.args:
        usage = messages.usage("summaries", "zh | en | ja | any", "zh", "en", "any", tr=tr)
        await reply(update, f"{summaries_line(current(update, context), tr=tr)}\n\n{usage}")
        return
    try:
        wanted = parse_summaries_choice(" ".join(context.args))
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc, context.tr(update)))
        return
    save(context, dataclasses.replace(current(update, context), summaries=wanted))
    await reply(update, messages.summaries_set(None if wanted == ANY else wanted, tr=tr))
