"""The one place a pure :data:`bot.text.keyboards.Keyboard` becomes python-telegram-bot's markup."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.text.keyboards import Keyboard


def inline_markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """The markup for ``keyboard``; None for no keyboard (Telegram rejects an empty one)."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data) for b in row] for row in keyboard]
    )
