"""Telegram's HTML parse mode, ported from tdlib's ``parse_html`` (td/telegram/MessageEntity.cpp).

The port keeps tdlib's quirks on purpose, because the fake must reject exactly what Telegram
rejects: every ``<`` opens a tag, only four named character references exist (an unknown one such
as ``&nbsp;`` stays literal text), a bare ``>`` or ``&`` is fine, offsets in error messages are
UTF-8 byte offsets into the source, and entity offsets are UTF-16 code units.
"""

import re
from dataclasses import dataclass, field
from typing import Any

SIMPLE_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
SUPPORTED_TAGS = frozenset({*SIMPLE_TYPES, "a", "tg-emoji", "pre", "code", "blockquote"})
NAMED_REFERENCES = {b"lt": "<", b"gt": ">", b"amp": "&", b"quot": '"'}
SPACES = b" \t\r\n\0\v"
NUL = 0
_MARKUP = re.compile(b"[&<]")


class HtmlParseError(ValueError):
    """The text is not HTML that Telegram accepts; the message is tdlib's own wording."""


@dataclass
class _Entity:
    type: str
    offset: int
    length: int
    extra: dict[str, Any] = field(default_factory=dict)
    code_language: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"type": self.type, "offset": self.offset, "length": self.length, **self.extra}


@dataclass
class _OpenTag:
    name: str
    argument: str
    utf16_offset: int
    output_start: int


def _is_alnum(byte: int) -> bool:
    return chr(byte).isascii() and chr(byte).isalnum()


def decode_reference(data: bytes, pos: int) -> tuple[int, int]:
    """Decode the character reference at ``data[pos] == '&'``: (code point or 0, end position)."""
    end = pos + 1
    code = 0
    if data[end] == ord("#"):
        end += 1
        digits, base = (
            ("0123456789abcdefABCDEF", 16) if data[end] == ord("x") else ("0123456789", 10)
        )
        end += base == 16
        while chr(data[end]) in digits:
            code = code * base + int(chr(data[end]), 16)
            end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return 0, pos
    else:
        while chr(data[end]).isascii() and chr(data[end]).isalpha():
            end += 1
        name = data[pos + 1 : end]
        if name not in NAMED_REFERENCES:
            return 0, pos
        code = ord(NAMED_REFERENCES[name])
    return code, end + (data[end] == ord(";"))


class _Parser:
    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8") + b"\0"
        self.size = len(self.data) - 1
        self.pos = 0
        self.out = bytearray()
        self.utf16 = 0
        self.has_surrogate = False
        self.stack: list[_OpenTag] = []
        self.entities: list[_Entity] = []

    def run(self) -> tuple[str, list[dict[str, Any]]]:
        while self.pos < self.size:
            byte = self.data[self.pos]
            if byte == ord("&") and self._reference():
                continue
            if byte == ord("<"):
                self._tag()
                continue
            self._plain(self.pos + 1 if byte == ord("&") else self.pos)
        if self.stack:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"'
            )
        if self.has_surrogate:
            raise HtmlParseError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        return self.out.decode("utf-8"), [entity.as_json() for entity in self.entities]

    def _plain(self, start: int) -> None:
        """Copy the text up to the next ``&`` or ``<`` (from ``start``) as it is.

        The copied bytes are whole UTF-8 characters, so they count as UTF-16 code units like
        the decoded string does; one chunk at a time, because a loop per byte is slow.
        """
        found = _MARKUP.search(self.data, start, self.size)
        end = found.start() if found else self.size
        chunk = self.data[self.pos : end]
        self.out += chunk
        self.utf16 += len(chunk.decode("utf-8").encode("utf-16-le")) // 2
        self.pos = end

    def _reference(self) -> bool:
        code, end = decode_reference(self.data, self.pos)
        if code == 0:
            return False
        self.pos = end
        self.utf16 += 1 + (code > 0xFFFF)
        if 0xD800 <= code <= 0xDFFF:
            self.has_surrogate = True
            self.out += b"?"
        else:
            self.out += chr(code).encode("utf-8")
        return True

    def _tag(self) -> None:
        begin = self.pos
        self.pos += 1
        if self.data[self.pos] == ord("/"):
            self._end_tag(begin)
        else:
            self._start_tag(begin)

    def _skip_to_space_or_gt(self) -> None:
        while self.data[self.pos] not in SPACES and self.data[self.pos] != ord(">"):
            self.pos += 1

    def _skip_spaces(self) -> None:
        while self.data[self.pos] != NUL and self.data[self.pos] in SPACES:
            self.pos += 1

    def _start_tag(self, begin: int) -> None:
        self._skip_to_space_or_gt()
        if self.data[self.pos] == NUL:
            raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
        name = self.data[begin + 1 : self.pos].lower().decode("utf-8", "replace")
        if name not in SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{name}" at byte offset {begin}')
        argument = self._attributes(name, begin)
        if name == "span" and argument != "spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {begin}')
        self.pos += 1
        self.stack.append(_OpenTag(name, argument, self.utf16, len(self.out)))

    def _attributes(self, tag: str, begin: int) -> str:
        argument = ""
        while self.data[self.pos] != ord(">"):
            self._skip_spaces()
            if self.data[self.pos] == ord(">"):
                break
            start = self.pos
            while self.data[self.pos] not in SPACES and self.data[self.pos] not in b"=>/\"'":
                self.pos += 1
            attribute = self.data[start : self.pos].decode("utf-8", "replace")
            if not attribute:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {begin}'
                )
            self._skip_spaces()
            if self.data[self.pos] != ord("="):
                if self.data[self.pos] == NUL:
                    raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
                if tag == "blockquote" and attribute == "expandable":
                    argument = "1"
                continue
            self.pos += 1
            self._skip_spaces()
            if self.data[self.pos] == NUL:
                raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {begin}')
            value = self._attribute_value()
            if self.data[self.pos] == NUL:
                raise HtmlParseError(f"Unclosed start tag at byte offset {begin}")
            argument = _argument_for(tag, attribute, value, argument)
        return argument

    def _attribute_value(self) -> str:
        quote = self.data[self.pos]
        if quote not in b"\"'":
            start = self.pos
            while _is_alnum(self.data[self.pos]) or self.data[self.pos] in b".-":
                self.pos += 1
            if self.data[self.pos] not in SPACES and self.data[self.pos] != ord(">"):
                raise HtmlParseError(f"Unexpected end of name token at byte offset {start}")
            return self.data[start : self.pos].decode("ascii").lower()
        self.pos += 1
        value = bytearray()
        while self.data[self.pos] != quote and self.data[self.pos] != NUL:
            if self.data[self.pos] == ord("&"):
                code, end = decode_reference(self.data, self.pos)
                if code:
                    value += chr(code).encode("utf-8", "surrogatepass")
                    self.pos = end
                    continue
            value.append(self.data[self.pos])
            self.pos += 1
        if self.data[self.pos] == quote:
            self.pos += 1
        return value.decode("utf-8", "replace")

    def _end_tag(self, begin: int) -> None:
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {begin}")
        self._skip_to_space_or_gt()
        name = self.data[begin + 2 : self.pos].lower().decode("utf-8", "replace")
        self._skip_spaces()
        if self.data[self.pos] != ord(">"):
            raise HtmlParseError(f"Unclosed end tag at byte offset {begin}")
        self.pos += 1
        open_tag = self.stack[-1]
        if name and name != open_tag.name:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {begin}, expected "</{open_tag.name}>", '
                f'found "</{name}>"'
            )
        if self.utf16 > open_tag.utf16_offset:
            self._close(open_tag, self.utf16 - open_tag.utf16_offset)
        self.stack.pop()

    def _close(self, tag: _OpenTag, length: int) -> None:
        offset = tag.utf16_offset
        last = self.entities[-1] if self.entities else None
        if last is not None and (last.offset, last.length) != (offset, length):
            last = None  # only an entity over exactly the same text can merge with this tag
        if tag.name in SIMPLE_TYPES:
            self.entities.append(_Entity(SIMPLE_TYPES[tag.name], offset, length))
        elif tag.name == "tg-emoji":
            self.entities.append(_custom_emoji(tag.argument, offset, length))
        elif tag.name == "a":
            url = tag.argument or self.out[tag.output_start :].decode("utf-8", "replace")
            checked = checked_link(url)
            if checked:
                self.entities.append(_Entity("text_link", offset, length, {"url": checked}))
        elif tag.name == "pre" and last and last.type == "code" and last.code_language:
            last.type, last.extra = "pre", {"language": last.code_language}
        elif tag.name == "pre":
            self.entities.append(_Entity("pre", offset, length))
        elif tag.name == "code" and last and last.type == "pre" and tag.argument:
            last.extra = {"language": tag.argument}
        elif tag.name == "code":
            self.entities.append(_Entity("code", offset, length, code_language=tag.argument))
        else:
            kind = "expandable_blockquote" if tag.argument else "blockquote"
            self.entities.append(_Entity(kind, offset, length))


def _argument_for(tag: str, attribute: str, value: str, current: str) -> str:
    if tag == "a" and attribute == "href":
        return value
    if tag == "code" and attribute == "class" and value.startswith("language-"):
        return value.removeprefix("language-")
    if tag == "span" and attribute == "class" and value.startswith("tg-"):
        return value.removeprefix("tg-")
    if tag == "tg-emoji" and attribute == "emoji-id":
        return value
    if tag == "blockquote" and attribute == "expandable":
        return "1"
    return current


def _custom_emoji(argument: str, offset: int, length: int) -> _Entity:
    try:
        emoji_id = int(argument)
    except ValueError:
        emoji_id = 0
    if emoji_id == 0 or str(emoji_id) != argument or not -(2**63) <= emoji_id < 2**63:
        raise HtmlParseError("Invalid custom emoji identifier specified")
    return _Entity("custom_emoji", offset, length, {"custom_emoji_id": argument})


def checked_link(url: str) -> str:
    """Approximate tdlib's ``LinkManager::get_checked_link``; "" means the link is dropped."""
    url = url.strip()
    scheme, separator, rest = url.partition("://")
    if not separator:
        if url.lower().startswith(("tg:", "ton:", "mailto:")):
            return url
        scheme, rest = "http", url
    scheme = scheme.lower()
    if scheme in ("tg", "ton", "tonsite"):
        return f"{scheme}://{rest}" if rest else ""
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    if scheme not in ("http", "https") or not host or any(c.isspace() for c in rest):
        return ""
    if rest == host:
        rest += "/"
    return f"{scheme}://{rest}"


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, Bot API entity dicts); raise HtmlParseError."""
    return _Parser(text).run()
