"""/feed: the private Atom feed of this chat's (or forum topic's) subscription."""

from __future__ import annotations

from telegram import Update

from bot.text import atom, messages
from handlers.context import BotContext
from handlers.guard import may_change_settings
from handlers.replies import reply
from handlers.subscription import current
from storage.feed_tokens import feed_key


async def feed_command(update: Update, context: BotContext) -> None:
    """/feed: the feed's link, the same each time; /feed reset: a new one, the old revoked."""
    tr, settings = context.tr(update), context.services.settings
    choice = " ".join(context.args or ()).strip().casefold()
    if choice not in ("", "reset"):
        await reply(update, messages.usage("feed", "[reset]", "reset", tr=tr))
        return
    if settings.public_url is None or settings.server_port is None:
        await reply(update, tr.gettext(atom.FEEDS_OFF))
        return
    sub = current(update, context)
    if not (sub.active or context.store.has_feed(sub.chat_id, thread_id=sub.thread_id)):
        await reply(update, tr.gettext(atom.NO_SUBSCRIPTION))
        return
    reset = choice == "reset"
    if reset and not await may_change_settings(update, context):
        await reply(update, tr.gettext(atom.FEED_ADMINS_ONLY))
        return
    key = feed_key(settings.require_token())
    token = context.store.feed_token(key, sub.chat_id, thread_id=sub.thread_id, reset=reset)
    url = f"{settings.public_url}/feed/{token}.atom"
    await reply(update, atom.feed_link(url, reset=reset, tr=tr))
