"""Inline keyboards as plain values (pure); every button's payload is signed for its chat.

``bot.markup.inline_markup`` turns a :data:`Keyboard` into python-telegram-bot's markup at the
edge, so what a keyboard holds is decided and tested without Telegram.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import CategoryCount, Paper
from bot.text.callbacks import CallbackCodec
from bot.text.cards import SECTIONS

CATEGORY_BUTTONS_PER_PAGE = 24
CATEGORY_BUTTONS_PER_ROW = 3
LATEST_CATEGORY_BUTTONS = 30


@dataclass(frozen=True, slots=True)
class Button:
    """One button, with exactly one action: ``data`` (signed callback data) sent back to the
    bot when pressed, a ``url`` to open, or ``inline_query``, the text the inline mode opens with
    in a chat the person picks."""

    text: str
    data: str | None = None
    url: str | None = None
    inline_query: str | None = None


Row = tuple[Button, ...]
Keyboard = tuple[Row, ...]
"""Rows of buttons; ``()`` is no keyboard at all."""


class Buttons:
    """Builds buttons for one chat."""

    def __init__(self, codec: CallbackCodec, chat_id: int) -> None:
        self._codec = codec
        self._chat_id = chat_id

    def button(self, text: str, *fields: str) -> Button:
        return Button(text, self._codec.encode(self._chat_id, *fields))

    def pager(self, *fields: str, offset: int, size: int, has_more: bool) -> Keyboard:
        """◂ Prev / Next ▸ for a page at ``offset``; the payload ends with the target offset."""
        row = []
        if offset > 0:
            row.append(self.button("◂ Prev", *fields, str(max(0, offset - size))))
        if has_more:
            row.append(self.button("Next ▸", *fields, str(offset + size)))
        return (tuple(row),) if row else ()

    def paper(self, paper: Paper, *, showing: str = "card") -> Keyboard:
        """Section buttons under a card; under a section, the other sections and a way back."""
        sections = [
            self.button(label, "p", paper.id, name)
            for name, label in SECTIONS.items()
            if name != showing
        ]
        rows = [sections[:3], sections[3:]]
        if showing != "card":
            rows.append([self.button("◂ Back to the card", "p", paper.id, "card")])
        return tuple(tuple(row) for row in rows if row)

    def subscribe(self) -> Keyboard:
        return ((self.button("Subscribe to daily papers", "sub"),),)

    def latest(self, date: dt.date, counts: Sequence[CategoryCount]) -> Keyboard:
        buttons = [
            self.button(f"{c.category} ({c.count})", "cl", date.isoformat(), c.category)
            for c in counts[:LATEST_CATEGORY_BUTTONS]
        ]
        return rows_of(buttons, CATEGORY_BUTTONS_PER_ROW)

    def categories(
        self, counts: Sequence[CategoryCount], chosen: frozenset[str], *, page: int
    ) -> Keyboard:
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
        arrows = []
        if page > 0:
            arrows.append(self.button("◂ Prev", "tp", str(page - 1)))
        if (page + 1) * size < len(counts):
            arrows.append(self.button("Next ▸", "tp", str(page + 1)))
        return rows_of(buttons, CATEGORY_BUTTONS_PER_ROW) + ((tuple(arrows),) if arrows else ())


def rows_of(buttons: Sequence[Button], per_row: int) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
