"""/summaries: the language of the AI text a chat reads, when its digests bring several."""

from __future__ import annotations

import dataclasses

from telegram import Update

from bot.rules.filters import InvalidFilterError
from bot.rules.summaries import parse_summaries_choice
from bot.text import messages
from handlers.context import BotContext
from handlers.guard import group_admins_only
from handlers.replies import reply
from handlers.subscription import current, save


@group_admins_only
async def summaries_command(update: Update, context: BotContext) -> None:
    """/summaries zh|en|ja|any."""
    if not context.args:
        await reply(update, messages.usage("summaries", "zh | en | ja | any", "zh", "en", "any"))
        return
    try:
        wanted = parse_summaries_choice(" ".join(context.args))
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc))
        return
    save(context, dataclasses.replace(current(update, context), summaries=wanted))
    await reply(update, messages.summaries_set(wanted))
