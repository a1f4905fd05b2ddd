"""Sending and editing HTML replies: split to Telegram's limits, 'not modified' tolerated; files."""

from __future__ import annotations

from typing import NamedTuple

from telegram import (
    CallbackQuery,
    InlineKeyboardMarkup,
    InputFile,
    MaybeInaccessibleMessage,
    Message,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.markup import inline_markup
from bot.text.keyboards import Keyboard
from bot.text.limits import split_message, visible_text


class Answer(NamedTuple):
    """The answer to a button press: a short notice, and a ``t.me/<bot>?start=…`` link the
    person's app opens (Telegram allows no other URL there, outside games)."""

    text: str
    url: str | None = None


async def reply(update: Update, text: str, keyboard: Keyboard = ()) -> Message | None:
    """Answer the update's message with ``text``, split into parts, the keyboard on the last."""
    message = update.effective_message
    if message is None:
        return None
    parts = split_message(text)
    sent = None
    for number, part in enumerate(parts, start=1):
        sent = await message.reply_text(
            part,
            parse_mode=ParseMode.HTML,
            reply_markup=inline_markup(keyboard) if number == len(parts) else None,
        )
    return sent


async def reply_document(
    update: Update, data: bytes, *, file_name: str, mime_type: str, caption: str
) -> Message | None:
    """Answer the update's message with a file and an HTML caption (at most 1,024 characters).

    The MIME type is the one given, not python-telegram-bot's guess from the file name, which
    depends on the machine's ``mimetypes`` tables (few know ``.bib`` or ``.ris``).
    """
    message = update.effective_message
    if message is None:
        return None
    document = InputFile(data, filename=file_name)
    document.mimetype = mime_type
    return await message.reply_document(document, caption=caption, parse_mode=ParseMode.HTML)


async def edit(query: CallbackQuery, text: str, keyboard: Keyboard = ()) -> None:
    """Replace the pressed message, unless it already shows this (an old copy of a button).

    Telegram refuses an edit that changes nothing; the callback carries the message as it is
    now, so the bot compares first. The comparison is of the visible text and the keyboard
    (formatting alone never tells two of our views apart); a refusal that still comes, from
    two presses crossing, is not an error either.
    """
    markup = inline_markup(keyboard)
    if _already_shows(query.message, text, markup):
        return
    try:
        await query.edit_message_text(text, parse_mode=ParseMode.HTML, reply_markup=markup)
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


def _already_shows(
    message: MaybeInaccessibleMessage | None, text: str, markup: InlineKeyboardMarkup | None
) -> bool:
    if not isinstance(message, Message) or message.text is None:
        return False
    return message.text == visible_text(text).strip() and message.reply_markup == markup


def topic_of(update: Update) -> int | None:
    """The forum topic the update came from; None for the chat itself (its General topic, or a
    chat without topics: a reply there has a ``message_thread_id`` too, but is no topic's)."""
    message = update.effective_message
    if message is not None and message.is_topic_message:
        return message.message_thread_id
    return None


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"
