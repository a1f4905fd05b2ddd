"""Small HTML building blocks shared by the message builders (pure).

Everything that comes from data or from a person goes through ``esc``; lengths are budgeted in
UTF-16 units of plain text before escaping, which is exactly the visible length after it.
"""

from __future__ import annotations

import html
import unicodedata
from collections.abc import Callable, Sequence

from bot.text.language import ENGLISH, Locale
from bot.text.limits import (
    MAX_MESSAGE_LENGTH,
    fits,
    split_message,
    utf16_length,
    visible_length,
)

ELLIPSIS = "…"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def link(url: str, text: str) -> str:
    return f'<a href="{esc(url)}">{esc(text)}</a>'


CODE_MAX = 64


def code(text: str) -> str:
    """A short token (id, category) as inline code, which Telegram never turns into a link."""
    return f"<code>{esc(shorten(text, CODE_MAX))}</code>"


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 paper``, ``2 papers``."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def separator(tr: Locale = ENGLISH) -> str:
    """What a sentence's list is joined with: ``, `` in English, ``、`` in Chinese."""
    return tr.gettext(", ")


def quoted(keyword: str) -> str:
    """A phrase in quotes, as /keywords accepts it back (``"graph neural"``); a word as it is."""
    return f'"{keyword}"' if " " in keyword else keyword


def one_line(text: str) -> str:
    return " ".join(text.split())


def shorten(text: str, max_units: int) -> str:
    """``text`` cut to ``max_units`` UTF-16 units with an ellipsis, at a space when one is near."""
    if utf16_length(text) <= max_units:
        return text
    if max_units < 1:
        return ""
    end = _prefix_end(text, max_units - 1)
    while 0 < end < len(text) and unicodedata.combining(text[end]):
        end -= 1
    space = text.rfind(" ", 0, end + 1)
    if space > end * 3 // 4:
        end = space
    return text[:end].rstrip(" \n,;:-–—") + ELLIPSIS


def _prefix_end(text: str, units: int) -> int:
    """The largest ``end`` such that ``text[:end]`` takes at most ``units`` UTF-16 units."""
    used = 0
    for index, char in enumerate(text):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > units:
            return index
    return len(text)


def capped_join(
    items: Sequence[str],
    *,
    max_units: int,
    render: Callable[[str], str] = esc,
    sep: str = ", ",
    tr: Locale = ENGLISH,
) -> str:
    """Items joined until ``max_units`` visible units are used, then ``and N more``."""
    shown: list[str] = []
    used = 0
    for index, item in enumerate(items):
        short = shorten(item, max_units)
        size = utf16_length(short) + (len(sep) if shown else 0)
        if shown and used + size > max_units:
            return sep.join(shown) + tr.gettext(" and %(count)d more") % {
                "count": len(items) - index
            }
        shown.append(render(short))
        used += size
    return sep.join(shown)


def first_message(text: str) -> str:
    """``text`` itself when it fits one message, else its first part (a last-resort guard)."""
    return text if fits(text) else split_message(text)[0]


def fill(head: str, text: str, *, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """``head`` followed by as much of the plain ``text`` as fits in one message."""
    room = limit - visible_length(head)
    return head + esc(shorten(text, room))
