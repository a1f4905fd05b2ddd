"""/start, unknown commands, and /stats for the bot's admins."""

from __future__ import annotations

from telegram import Update

from bot.rules.redaction import redact_urls
from bot.text import messages
from bot.text.keyboards import Buttons
from bot.text.language import N_
from handlers.context import BotContext
from handlers.deeplinks import open_start_link
from handlers.guard import is_bot_admin
from handlers.replies import is_private, reply, topic_of


async def start_command(update: Update, context: BotContext) -> None:
    """/start: what the bot does, and a button to subscribe; from a link, what the link opens."""
    chat = update.effective_chat
    if chat is None:
        return
    context.services.resume_chat(chat.id, thread_id=topic_of(update))
    if context.args and await open_start_link(update, context, context.args[0]):
        return
    tr = context.tr(update)
    keyboard = Buttons(context.codec, chat.id, tr).subscribe()
    welcome = messages.WELCOME if is_private(update) else messages.WELCOME_GROUP
    await reply(update, tr.gettext(welcome), keyboard)


async def unknown_command(update: Update, context: BotContext) -> None:
    """Any command this bot does not have (commands addressed to other bots are ignored)."""
    message = update.effective_message
    if message is None or not message.text:
        return
    first = message.text.split(maxsplit=1)[0]
    _, at, username = first.partition("@")
    if at and username.casefold() != (context.bot.username or "").casefold():
        return
    await reply(update, context.tr(update).gettext(messages.UNKNOWN_COMMAND))


async def stats_command(update: Update, context: BotContext) -> None:
    """/stats (admins only): what the bot holds and whom it serves."""
    if not is_bot_admin(update, context):
        await unknown_command(update, context)
        return
    tr = context.tr(update)
    if not is_private(update):  # its sources and warnings are the operator's, not the group's
        await reply(update, tr.gettext(messages.STATS_IN_PRIVATE))
        return
    stored, chats = context.store.stats(), context.store.chat_stats()
    sent = context.store.delivery_stats()
    figures = [
        (N_("chats"), chats.chats),
        (N_("private chats"), chats.private_chats),
        (N_("groups"), chats.groups),
        (N_("subscribers"), chats.subscribers),
        (N_("paused subscribers"), chats.paused),
        (N_("deliveries sent"), sent.sent),
        (N_("deliveries pending"), sent.pending),
        (N_("deliveries failed"), sent.failed),
        (N_("digests"), stored.digests),
        (N_("papers"), stored.papers),
        (N_("categories"), stored.categories),
        (N_("digest files"), stored.files),
        (N_("last ingest"), stored.last_ingest or tr.gettext("never")),
        (N_("last source"), redact_urls(stored.last_source or "-")),
    ]
    await reply(update, messages.admin_stats(figures, stored.last_warnings, tr=tr))
