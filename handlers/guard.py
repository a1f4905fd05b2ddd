"""Who may do what: the answer to a flooding chat, group administrators, bot admins."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.constants import ChatMemberStatus
from telegram.error import TelegramError

from bot.locales import client_language
from bot.rules.flood import Verdict
from bot.text import messages
from bot.text.language import ENGLISH, Locale
from bot.update_processor import Refuse
from handlers.context import BotContext, Services, language_of
from handlers.replies import reply

log = logging.getLogger(__name__)

Handler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]

_GROUP_ADMINS = {ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def track_chat(update: Update, context: BotContext) -> None:
    """Runs first for every update: remember the chat, for /stats; a private chat's language
    is its person's app's until /language changes it."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return
    language = None
    if chat.type == "private" and user is not None:
        language = client_language(user.language_code)
    context.store.touch_chat(chat.id, kind=chat.type, now=context.services.now(), language=language)


async def refuse_flood(
    update: Update, verdict: Verdict, wait_seconds: int, *, tr: Locale = ENGLISH
) -> None:
    """A chat over its budget: told once to wait (in its turn), then ignored quietly."""
    query = update.callback_query
    if verdict is Verdict.WARN:
        text = messages.slow_down(wait_seconds, tr=tr)
        if query is not None:
            await query.answer(text)
        else:
            await reply(update, text)
    elif query is not None:
        await query.answer()


def flood_refusal(services: Services) -> Refuse:
    """``refuse_flood`` in the language of the flooding chat, read from ``services``' store
    (the update processor that calls it runs before any handler, without a context)."""

    async def refuse(update: Update, verdict: Verdict, wait_seconds: int) -> None:
        tr = language_of(services.store, update) if verdict is Verdict.WARN else ENGLISH
        await refuse_flood(update, verdict, wait_seconds, tr=tr)

    return refuse


async def may_change_settings(update: Update, context: BotContext) -> bool:
    """True in private chats and for a group's administrators."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return False
    if chat.type == "private":
        return True
    message = update.effective_message
    sender = message.sender_chat if message is not None else None
    if sender is not None and sender.id == chat.id:
        return True  # an anonymous administrator writes as the group itself
    if user is not None:
        try:
            member = await context.bot.get_chat_member(chat.id, user.id)
        except TelegramError as exc:
            log.warning("could not check admin rights in chat %s: %s", chat.id, exc)
        else:
            return member.status in _GROUP_ADMINS
    return False


def group_admins_only(refusal: str) -> Callable[[Handler], Handler]:
    """A command that changes a chat's subscription or settings: in groups, for administrators
    only; others get ``refusal`` (an ``N_`` constant naming what they may not change)."""

    def guarded(callback: Handler) -> Handler:
        @functools.wraps(callback)
        async def checked(update: Update, context: BotContext) -> None:
            if await may_change_settings(update, context):
                await callback(update, context)
            else:
                await reply(update, context.tr(update).gettext(refusal))

        return checked

    return guarded


def is_bot_admin(update: Update, context: BotContext) -> bool:
    user = update.effective_user
    return user is not None and user.id in context.services.settings.admin_ids
