"""Sending and editing HTML replies: split to Telegram's limits, 'not modified' tolerated."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.markup import inline_markup
from bot.text.keyboards import Keyboard
from bot.text.limits import split_message


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


async def edit(query: CallbackQuery, text: str, keyboard: Keyboard = ()) -> None:
    """Replace the pressed message; pressing the same button twice is not an error."""
    try:
        await query.edit_message_text(
            text, parse_mode=ParseMode.HTML, reply_markup=inline_markup(keyboard)
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise


def is_private(update: Update) -> bool:
    chat = update.effective_chat
    return chat is not None and chat.type == "private"
