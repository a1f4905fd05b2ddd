"""Inline keyboards; every button's payload is signed for the chat it is sent to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.callbacks import CallbackCodec
from bot.formatting import SECTIONS
from bot.models import CategoryCount, Paper

CATEGORY_BUTTONS_PER_PAGE = 24
CATEGORY_BUTTONS_PER_ROW = 3
LATEST_CATEGORY_BUTTONS = 30


class Buttons:
    """Builds buttons for one chat."""

    def __init__(self, codec: CallbackCodec, chat_id: int) -> None:
        self._codec = codec
        self._chat_id = chat_id

    def button(self, text: str, *fields: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(text, callback_data=self._codec.encode(self._chat_id, *fields))

    def pager(
        self, *fields: str, offset: int, size: int, has_more: bool
    ) -> list[InlineKeyboardButton]:
        """◂ Prev / Next ▸ for a page at ``offset``; the payload ends with the target offset."""
        row = []
        if offset > 0:
            row.append(self.button("◂ Prev", *fields, str(max(0, offset - size))))
        if has_more:
            row.append(self.button("Next ▸", *fields, str(offset + size)))
        return row

    def paper(self, paper: Paper, *, showing: str = "card") -> InlineKeyboardMarkup:
        """Section buttons under a card; under a section, the other sections and a way back."""
        sections = [
            self.button(label, "p", paper.id, name)
            for name, label in SECTIONS.items()
            if name != showing
        ]
        rows = [sections[:3], sections[3:]]
        if showing != "card":
            rows.append([self.button("◂ Back to the card", "p", paper.id, "card")])
        return InlineKeyboardMarkup([row for row in rows if row])

    def subscribe(self) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[self.button("Subscribe to daily papers", "sub")]])

    def latest(self, date: dt.date, counts: Sequence[CategoryCount]) -> InlineKeyboardMarkup:
        buttons = [
            self.button(f"{c.category} ({c.count})", "cl", date.isoformat(), c.category)
            for c in counts[:LATEST_CATEGORY_BUTTONS]
        ]
        return InlineKeyboardMarkup(_rows(buttons))

    def categories(
        self, counts: Sequence[CategoryCount], chosen: frozenset[str], *, page: int
    ) -> InlineKeyboardMarkup:
        """Toggle buttons (✓ when chosen), a page at a time, with page arrows."""
        size = CATEGORY_BUTTONS_PER_PAGE
        shown = counts[page * size : (page + 1) * size]
        buttons = [
            self.button(
                f"{'✓ ' if c.category in chosen else ''}{c.category} ({c.count})",
                "t", c.category, str(page),
            )
            for c in shown
        ]  # fmt: skip
        rows = _rows(buttons)
        arrows = []
        if page > 0:
            arrows.append(self.button("◂ Prev", "tp", str(page - 1)))
        if (page + 1) * size < len(counts):
            arrows.append(self.button("Next ▸", "tp", str(page + 1)))
        if arrows:
            rows.append(arrows)
        return InlineKeyboardMarkup(rows)


def _rows(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    step = CATEGORY_BUTTONS_PER_ROW
    return [buttons[i : i + step] for i in range(0, len(buttons), step)]


def single_row(buttons: list[InlineKeyboardButton]) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup([buttons]) if buttons else None
