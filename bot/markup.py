"""The one place a pure :data:`bot.text.keyboards.Keyboard` becomes python-telegram-bot's markup."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.text.keyboards import Button, Keyboard


def inline_markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    """The markup for ``keyboard``; None for no keyboard (Telegram rejects an empty one)."""
    if not keyboard:
        return None
    return InlineKeyboardMarkup([[_button(b) for b in row] for row in keyboard])


def _button(button: Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        button.text,
        callback_data=button.data,
        url=button.url,
        switch_inline_query=button.inline_query,
    )
