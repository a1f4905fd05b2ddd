"""Telegram's HTML as Telegram counts it: visible length, entity count, and splitting (pure).

Length is budgeted in UTF-16 code units of the *visible* text — tags stripped, entities decoded —
which is never less than the code-point count tdlib really checks, so a part that fits here fits
there (STYLE.md habit 8). Entities are decoded the way tdlib decodes them: numeric references and
``&lt; &gt; &amp; &quot;``; any other ``&...;`` stays literal text.

The splitter expects HTML Telegram accepts (balanced tags, escaped text), which is what
``bot.text.cards`` produces. It cuts only between atoms — a tag, an entity, one code point — so a
tag, an entity or a surrogate pair is never cut; tags still open at a cut are closed at the end of
the part and reopened, with their attributes, at the start of the next.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum

MAX_MESSAGE_LENGTH = 4096
"""Telegram's limit on a message text after entity parsing."""
MAX_ENTITIES = 100
"""Telegram shows at most this many entities per message and silently drops the rest."""

_TAG = re.compile(r"<[^>]*>")
_START_TAG = re.compile(r"<[a-zA-Z]")
_ENTITY = re.compile(r"&(?:#([0-9]{1,8})|#[xX]([0-9a-fA-F]{1,8})|(lt|gt|amp|quot));")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATOM = re.compile(
    r"<(?P<close>/?)(?P<name>[a-zA-Z][a-zA-Z0-9-]*)[^>]*>"
    r"|(?P<entity>&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|lt|gt|amp|quot);)"
    r"|(?P<text>[^<&]+|[<&])"
)
_SENTENCE_END = re.compile(r"[.!?…](?=\s)|[。！？]")
_GLUE = frozenset("\u200d\ufe0e\ufe0f")
"""Zero-width joiner and variation selectors: a cut next to them would break an emoji."""


def utf16_length(text: str) -> int:
    """Length of plain text in UTF-16 code units (an emoji outside the BMP counts 2)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _decode_entity(match: re.Match[str]) -> str:
    decimal, hexadecimal, named = match.groups()
    if named is not None:
        return _NAMED[named]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF:
        return chr(code)
    return match.group(0)


def visible_text(html: str) -> str:
    """The text a reader sees: tags stripped, entities decoded as tdlib decodes them."""
    return _ENTITY.sub(_decode_entity, _TAG.sub("", html))


def visible_length(html: str) -> int:
    """The visible text's length in UTF-16 code units."""
    return utf16_length(visible_text(html))


def entity_count(html: str) -> int:
    """How many entities the HTML makes: one per start tag (an upper bound, empty ones included)."""
    return len(_START_TAG.findall(html))


def fits(html: str, *, limit: int = MAX_MESSAGE_LENGTH, max_entities: int = MAX_ENTITIES) -> bool:
    """True when ``html`` can be sent as one message."""
    return visible_length(html) <= limit and entity_count(html) <= max_entities


class _Kind(Enum):
    TEXT = 0
    OPEN = 1
    CLOSE = 2


@dataclass(frozen=True, slots=True)
class _Atom:
    kind: _Kind
    raw: str
    char: str = ""
    """The visible character of a TEXT atom."""
    name: str = ""
    """The lower-cased tag name of an OPEN or CLOSE atom."""


def _atoms(html: str) -> list[_Atom]:
    atoms: list[_Atom] = []
    for match in _ATOM.finditer(html):
        if match.group("name") is not None:
            kind = _Kind.CLOSE if match.group("close") else _Kind.OPEN
            atoms.append(_Atom(kind, match.group(0), name=match.group("name").lower()))
        elif match.group("entity") is not None:
            raw = match.group("entity")
            atoms.append(_Atom(_Kind.TEXT, raw, char=_ENTITY.sub(_decode_entity, raw)))
        else:
            atoms.extend(_Atom(_Kind.TEXT, char, char=char) for char in match.group("text"))
    return atoms


def split_message(
    html: str, *, limit: int = MAX_MESSAGE_LENGTH, max_entities: int = MAX_ENTITIES
) -> list[str]:
    """Cut ``html`` into parts that each fit one message.

    A cut falls, in order of preference, at a blank line, a line end, a sentence end or a space in
    the second half of the part; failing those, as late as possible, but never inside a tag, an
    entity, a surrogate pair or next to an emoji joiner. Whitespace at a cut is dropped.
    """
    if limit < 1 or max_entities < 1:
        raise ValueError("limit and max_entities must be positive")
    if fits(html, limit=limit, max_entities=max_entities):
        return [html]
    return _Splitter(_atoms(html), limit, max_entities).parts()


class _Splitter:
    def __init__(self, atoms: list[_Atom], limit: int, max_entities: int) -> None:
        self._atoms = atoms
        self._limit = limit
        self._max_entities = max_entities
        self._open: list[_Atom] = []
        """Tags open at the current position, outermost first."""

    def parts(self) -> list[str]:
        parts: list[str] = []
        start = self._skip_gap(0)
        while start < len(self._atoms):
            end = self._window_end(start)
            cut = end if end == len(self._atoms) else self._cut(start, end)
            parts.append(self._render(start, cut))
            start = self._skip_gap(cut)
        return parts

    def _window_end(self, start: int) -> int:
        """Index of the first atom that no longer fits in a part beginning at ``start``."""
        units, entities = 0, len(self._open)
        for index in range(start, len(self._atoms)):
            atom = self._atoms[index]
            if atom.kind is _Kind.TEXT:
                units += utf16_length(atom.char)
                if units > self._limit:
                    return max(index, self._first_text(start) + 1)
            elif atom.kind is _Kind.OPEN:
                entities += 1
                if entities > self._max_entities:
                    return max(index, self._first_text(start) + 1)
        return len(self._atoms)

    def _first_text(self, start: int) -> int:
        for index in range(start, len(self._atoms)):
            if self._atoms[index].kind is _Kind.TEXT:
                return index
        return len(self._atoms) - 1

    def _cut(self, start: int, end: int) -> int:
        """The atom index to cut before, in ``(start, end]``."""
        positions = [i for i in range(start, end) if self._atoms[i].kind is _Kind.TEXT]
        lookahead = self._atoms[end].char if self._atoms[end].kind is _Kind.TEXT else ""
        text = "".join(self._atoms[i].char for i in positions) + lookahead
        cut = _break_position(text, len(positions))
        index = positions[cut] if cut < len(positions) else end
        while index - 1 > start and self._atoms[index - 1].kind is _Kind.OPEN:
            index -= 1
        while index < len(self._atoms) and self._atoms[index].kind is _Kind.CLOSE:
            index += 1
        return index

    def _render(self, start: int, cut: int) -> str:
        pieces = [atom.raw for atom in self._open]
        for atom in self._atoms[start:cut]:
            pieces.append(atom.raw)
            self._track(atom)
        pieces.extend(f"</{atom.name}>" for atom in reversed(self._open))
        return "".join(pieces)

    def _track(self, atom: _Atom) -> None:
        if atom.kind is _Kind.OPEN:
            self._open.append(atom)
        elif atom.kind is _Kind.CLOSE and self._open and self._open[-1].name == atom.name:
            self._open.pop()

    def _skip_gap(self, index: int) -> int:
        """Skip whitespace at a cut, and tags that would close right after being reopened."""
        while index < len(self._atoms):
            atom = self._atoms[index]
            if atom.kind is _Kind.TEXT and not atom.char.isspace():
                break
            if atom.kind is _Kind.OPEN:
                break
            self._track(atom)
            index += 1
        return index


def _break_position(text: str, fitting: int) -> int:
    """How many characters of ``text`` go into the part (``text`` has one lookahead character)."""
    low = max(1, fitting // 2)
    for found in (
        text.rfind("\n\n", low, fitting + 1),
        text.rfind("\n", low, fitting + 1),
        _last_sentence_end(text, low, fitting),
        _last_space(text, low, fitting),
    ):
        if found >= low:
            return found
    return _hard_position(text, fitting)


def _last_sentence_end(text: str, low: int, fitting: int) -> int:
    ends = [m.end() for m in _SENTENCE_END.finditer(text, low, fitting + 1) if m.end() <= fitting]
    return ends[-1] if ends else -1


def _last_space(text: str, low: int, fitting: int) -> int:
    for position in range(min(fitting, len(text) - 1), low - 1, -1):
        if text[position].isspace():
            return position
    return -1


def _hard_position(text: str, fitting: int) -> int:
    """As late as possible, without separating an emoji joiner or combining mark from its base."""
    position = fitting
    while position > 1 and position < len(text) and _glued(text, position):
        position -= 1
    return position


def _glued(text: str, position: int) -> bool:
    after, before = text[position], text[position - 1]
    return after in _GLUE or before == "\u200d" or unicodedata.combining(after) != 0


def pack_blocks(
    blocks: Iterable[str],
    *,
    limit: int = MAX_MESSAGE_LENGTH,
    separator: str = "\n\n",
    max_entities: int = MAX_ENTITIES,
) -> list[str]:
    """Join blocks (papers) into as few messages as fit, cutting only a block too long alone."""
    parts: list[str] = []
    current: list[str] = []
    units = entities = 0
    gap = visible_length(separator)
    for block in blocks:
        if not block:
            continue
        size, count = visible_length(block), entity_count(block)
        if size > limit or count > max_entities:
            parts.extend(_flush(current, separator))
            parts.extend(split_message(block, limit=limit, max_entities=max_entities))
            current, units, entities = [], 0, 0
            continue
        if current and (units + gap + size > limit or entities + count > max_entities):
            parts.extend(_flush(current, separator))
            current, units, entities = [], 0, 0
        units += size + (gap if current else 0)
        entities += count
        current.append(block)
    parts.extend(_flush(current, separator))
    return parts


def _flush(blocks: Sequence[str], separator: str) -> list[str]:
    return [separator.join(blocks)] if blocks else []
