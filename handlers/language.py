"""/language: the language the bot speaks in a chat (a group's, chosen by its admins)."""

from __future__ import annotations

from telegram import Update

from bot.locales import languages, locale
from bot.text import messages
from handlers.context import BotContext
from handlers.guard import group_admins_only
from handlers.replies import reply


@group_admins_only(messages.GROUP_LANGUAGE_ADMINS_ONLY)
async def language_command(update: Update, context: BotContext) -> None:
    """/language zh|en: answer, deliver and list commands in that language in this chat."""
    chat = update.effective_chat
    if chat is None:
        return
    choice = " ".join(context.args or ()).strip().casefold()
    if choice not in languages():
        known = [locale(code) for code in languages()]
        await reply(update, messages.language_usage(known, tr=context.tr(update)))
        return
    context.store.set_chat_language(chat.id, choice)
    await reply(update, messages.language_set(locale(choice)))
