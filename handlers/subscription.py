"""/subscribe, /unsubscribe, /settings, /frequency, /time, /timezone and /empty."""

from __future__ import annotations

import dataclasses

from telegram import Update

from bot.models import Subscription
from bot.rules.filters import InvalidFilterError, parse_time_of_day, validate_timezone
from bot.rules.matching import compile_subscription
from bot.rules.schedule import rollup_due
from bot.rules.weekly import parse_frequency
from bot.text import messages
from bot.text.cards import frequency_line, settings_text
from handlers.context import BotContext
from handlers.guard import group_admins_only, may_change_settings
from handlers.replies import is_private, reply, topic_of


def current(update: Update, context: BotContext) -> Subscription:
    """The subscription a command acts on: the chat's, or its forum topic's when sent in one."""
    chat_id = update.effective_chat.id if update.effective_chat else 0
    return context.store.subscription(
        chat_id,
        thread_id=topic_of(update),
        default_timezone=context.services.settings.default_timezone,
    )


def save(context: BotContext, sub: Subscription) -> None:
    context.store.save_subscription(sub, now=context.services.now())


def save_schedule(context: BotContext, sub: Subscription) -> bool:
    """Save settings that decide when the chat's weekly summary goes out, and move the one
    gathering papers now; True when there was one to move."""
    save(context, sub)
    now = context.services.now()
    due = rollup_due(now, sub)
    if not context.store.reschedule_rollups(sub.chat_id, thread_id=sub.thread_id, due=due, now=now):
        return False
    context.services.wake_worker()
    return True


def subscribe(update: Update, context: BotContext) -> None:
    sub = current(update, context)
    save(context, dataclasses.replace(sub, active=True))
    context.services.resume_chat(sub.chat_id, thread_id=sub.thread_id)


@group_admins_only(messages.GROUP_SUBSCRIPTION_ADMINS_ONLY)
async def subscribe_command(update: Update, context: BotContext) -> None:
    """/subscribe: start receiving digests (and whatever was held while the bot was blocked)."""
    already = current(update, context).active
    subscribe(update, context)
    await reply(update, messages.subscribed(True, already=already, tr=context.tr(update)))


@group_admins_only(messages.GROUP_SUBSCRIPTION_ADMINS_ONLY)
async def unsubscribe_command(update: Update, context: BotContext) -> None:
    """/unsubscribe: stop receiving digests (settings are kept)."""
    sub = current(update, context)
    save(context, dataclasses.replace(sub, active=False))
    await reply(update, messages.subscribed(False, already=not sub.active, tr=context.tr(update)))


async def subscribe_button(update: Update, context: BotContext, fields: tuple[str, ...]) -> str:
    """Button ``sub`` under /start."""
    tr = context.tr(update)
    if not await may_change_settings(update, context):
        return tr.gettext(messages.GROUP_SUBSCRIPTION_ADMINS_ONLY)
    subscribe(update, context)
    await reply(update, messages.subscribed(True, tr=tr))
    return tr.gettext(messages.SUBSCRIBED_NOTICE)


async def settings_command(update: Update, context: BotContext) -> None:
    """/settings: everything this chat chose, and what the newest digest would have sent."""
    sub = current(update, context)
    latest = context.store.latest_digest()
    would_match = None
    if latest is not None:
        would_match = context.services.digest_index(latest).count(compile_subscription(sub))
    digest_date = latest.date if latest else None
    user = update.effective_user
    library = context.store.library_counts(user.id) if is_private(update) and user else None
    feedback = context.store.feedback_counts(sub.chat_id)
    text = settings_text(
        sub,
        would_match=would_match,
        digest_date=digest_date,
        library=library,
        feedback=feedback,
        tr=context.tr(update),
    )
    await reply(update, text)


@group_admins_only(messages.GROUP_SETTINGS_ADMINS_ONLY)
async def time_command(update: Update, context: BotContext) -> None:
    """/time HH:MM or /time off."""
    sub, tr = current(update, context), context.tr(update)
    if not context.args:
        usage = messages.usage("time", "HH:MM | off", "08:30", "off", tr=tr)
        await reply(update, f"{messages.time_set(sub, tr=tr)}\n\n{usage}")
        return
    text = " ".join(context.args)
    try:
        at = None if text.strip().casefold() == "off" else parse_time_of_day(text)
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc, context.tr(update)))
        return
    sub = dataclasses.replace(sub, delivery_time=at)
    save_schedule(context, sub)
    await reply(
        update, messages.with_subscribe_hint(messages.time_set(sub, tr=tr), sub.active, tr=tr)
    )


@group_admins_only(messages.GROUP_SETTINGS_ADMINS_ONLY)
async def timezone_command(update: Update, context: BotContext) -> None:
    """/timezone Area/City."""
    sub, tr = current(update, context), context.tr(update)
    if not context.args:
        usage = messages.usage("timezone", "<Area/City>", "Europe/Berlin", "UTC", tr=tr)
        await reply(update, f"{messages.timezone_now(sub.timezone, tr=tr)}\n\n{usage}")
        return
    try:
        zone = validate_timezone(" ".join(context.args))
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc, context.tr(update)))
        return
    save_schedule(context, dataclasses.replace(sub, timezone=zone))
    text = messages.timezone_set(zone, tr=tr)
    await reply(update, messages.with_subscribe_hint(text, sub.active, tr=tr))


@group_admins_only(messages.GROUP_SETTINGS_ADMINS_ONLY)
async def frequency_command(update: Update, context: BotContext) -> None:
    """/frequency daily | weekly [day]: a summary per digest, or one of the week's best."""
    tr = context.tr(update)
    if not context.args:
        usage = messages.usage(
            "frequency", "daily | weekly [mon..sun]", "weekly fri", "daily", tr=tr
        )
        await reply(update, f"{frequency_line(current(update, context), tr=tr)}\n\n{usage}")
        return
    try:
        weekly, day = parse_frequency(" ".join(context.args))
    except InvalidFilterError as exc:
        await reply(update, messages.refusal(exc, context.tr(update)))
        return
    sub = current(update, context)
    sub = dataclasses.replace(sub, weekly=weekly, weekday=sub.weekday if day is None else day)
    gathered = save_schedule(context, sub)
    text = messages.frequency_set(sub, gathered=gathered, tr=tr)
    await reply(update, messages.with_subscribe_hint(text, sub.active, tr=tr))


@group_admins_only(messages.GROUP_SETTINGS_ADMINS_ONLY)
async def empty_command(update: Update, context: BotContext) -> None:
    """/empty on|off: a one-line note when a digest has nothing for this chat, or silence."""
    choice, tr = " ".join(context.args or ()).strip().casefold(), context.tr(update)
    sub = current(update, context)
    if choice not in ("on", "off"):
        usage = messages.usage("empty", "on | off", "on", "off", tr=tr)
        await reply(update, f"{messages.empty_note_set(sub.notify_empty, tr=tr)}\n\n{usage}")
        return
    save(context, dataclasses.replace(sub, notify_empty=choice == "on"))
    text = messages.empty_note_set(choice == "on", tr=tr)
    await reply(update, messages.with_subscribe_hint(text, sub.active, tr=tr))
