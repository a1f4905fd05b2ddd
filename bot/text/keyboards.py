"""Inline keyboards as plain values (pure); every button's payload is signed for its chat.

``bot.markup.inline_markup`` turns a :data:`Keyboard` into python-telegram-bot's markup at the
edge, so what a keyboard holds is decided and tested without Telegram.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import CategoryCount, Paper, PaperMark
from bot.text.callbacks import CallbackCodec
from bot.text.cards import SECTIONS
from bot.text.language import ENGLISH, Locale

CATEGORY_BUTTONS_PER_PAGE = 24
CATEGORY_BUTTONS_PER_ROW = 3
LATEST_CATEGORY_BUTTONS = 30
ENTRY_BUTTONS_PER_ROW = 5
TOGGLE = "~"
"""Marks a library payload that toggles the presser's state instead of naming the state wanted."""


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
    """Builds buttons for one chat, labelled in its language."""

    def __init__(self, codec: CallbackCodec, chat_id: int, tr: Locale = ENGLISH) -> None:
        self._codec = codec
        self._chat_id = chat_id
        self._tr = tr

    @property
    def tr(self) -> Locale:
        """The chat's language, which the buttons are labelled in."""
        return self._tr

    def button(self, text: str, *fields: str) -> Button:
        return Button(text, self._codec.encode(self._chat_id, *fields))

    def pager(self, *fields: str, offset: int, size: int, has_more: bool) -> Keyboard:
        """◂ Prev / Next ▸ for a page at ``offset``; the payload ends with the target offset."""
        row = []
        if offset > 0:
            row.append(self.button(self._tr.gettext("◂ Prev"), *fields, str(max(0, offset - size))))
        if has_more:
            row.append(self.button(self._tr.gettext("Next ▸"), *fields, str(offset + size)))
        return (tuple(row),) if row else ()

    def paper(
        self,
        paper: Paper,
        *,
        showing: str = "card",
        mark: PaperMark | None = None,
        share: bool = False,
    ) -> Keyboard:
        """Section buttons under a card (under a section: the other sections and a way back),
        then the library's: ⭐ Save, 👍, 👎, 🔗 Similar and, with ``share``, ↗ Share.

        With a ``mark`` (a private chat: the keyboard is its person's) each button shows that
        person's state and carries the state a press asks for, so the same press twice changes
        nothing the second time. Without one (a group: one keyboard for every member) the
        buttons look the same for all and a press toggles the presser's own state.
        """
        sections = [
            self.button(self._tr.gettext(label), "p", paper.id, name)
            for name, label in SECTIONS.items()
            if name != showing
        ]
        rows = [sections[:3], sections[3:]]
        if showing != "card":
            back = self._tr.gettext("◂ Back to the card")
            rows.append([self.button(back, "p", paper.id, "card")])
        rows.append(self._library_row(paper, showing, mark))
        more = [self.button(self._tr.gettext("🔗 Similar"), "m", paper.id)]
        if share:
            more.append(Button(self._tr.gettext("↗ Share"), inline_query=paper.id))
        rows.append(more)
        return tuple(tuple(row) for row in rows if row)

    def _library_row(self, paper: Paper, showing: str, mark: PaperMark | None) -> list[Button]:
        save, saved = self._tr.gettext("⭐ Save"), self._tr.gettext("★ Saved")
        if mark is None:
            return [
                self.button(save, "sv", paper.id, TOGGLE, showing),
                self.button("👍", "r", paper.id, TOGGLE + "1", showing),
                self.button("👎", "r", paper.id, TOGGLE + "-1", showing),
            ]
        up, down = mark.rating == 1, mark.rating == -1
        return [
            self.button(
                saved if mark.saved else save,
                "sv", paper.id, "0" if mark.saved else "1", showing,
            ),
            self.button("👍 ✓" if up else "👍", "r", paper.id, "0" if up else "1", showing),
            self.button("👎 ✓" if down else "👎", "r", paper.id, "0" if down else "-1", showing),
        ]  # fmt: skip

    def subscribe(self) -> Keyboard:
        return ((self.button(self._tr.gettext("Subscribe to daily papers"), "sub"),),)

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
            arrows.append(self.button(self._tr.gettext("◂ Prev"), "tp", str(page - 1)))
        if (page + 1) * size < len(counts):
            arrows.append(self.button(self._tr.gettext("Next ▸"), "tp", str(page + 1)))
        return rows_of(buttons, CATEGORY_BUTTONS_PER_ROW) + ((tuple(arrows),) if arrows else ())

    def entries(self, paper_ids: Sequence[str], *, offset: int) -> Keyboard:
        """A numbered button per list entry (numbered from ``offset + 1``) that opens its card."""
        numbered = [
            self.button(str(offset + n), "o", paper_id) for n, paper_id in enumerate(paper_ids, 1)
        ]
        return rows_of(numbered, ENTRY_BUTTONS_PER_ROW)

    def suggestions(self, paper_ids: Sequence[str]) -> Keyboard:
        """A button per suggestion below a summary (+1, +2 …) that opens its card."""
        marked = [self.button(f"+{n}", "o", paper_id) for n, paper_id in enumerate(paper_ids, 1)]
        return rows_of(marked, ENTRY_BUTTONS_PER_ROW)


def rows_of(buttons: Sequence[Button], per_row: int) -> Keyboard:
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))
