"""What Telegram does to a message text after parsing: tdlib's ``fix_formatted_text``.

Control characters become spaces, ``\\r`` and a few invisible characters disappear, spaces and
newlines are trimmed, entities are normalised (nested code/links dropped, same-type runs merged,
at most 100 kept), and then the length limit applies to the code points that remain.
"""

import re
from itertools import pairwise
from typing import Any

from .errors import ApiError, bad_request
from .html import HtmlParseError, parse_html

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_ENTITIES = 100
SPLITTABLE = ("bold", "italic", "underline", "strikethrough", "spoiler")
BLOCKQUOTES = ("blockquote", "expandable_blockquote")
PRE_TYPES = ("code", "pre")
USER_TYPES = frozenset(
    {*SPLITTABLE, *BLOCKQUOTES, *PRE_TYPES, "text_link", "text_mention", "custom_emoji"}
)
DETECTED_TYPES = frozenset(
    [
        "mention",
        "hashtag",
        "cashtag",
        "bot_command",
        "url",
        "email",
        "phone_number",
        "bank_card_number",
    ]
)
PRIORITY = {"bold": 90, "italic": 91, "underline": 92, "strikethrough": 93, "spoiler": 94}
PRIORITY |= {"code": 20, "pre": 11, "text_link": 49, "text_mention": 49, "custom_emoji": 99}
PRIORITY |= {"blockquote": 0, "expandable_blockquote": 0}
REMOVED = frozenset({"\r", "\u0333", "\u033f", "\u030a", *map(chr, range(0x2028, 0x202F))})
ANY_REMOVED = re.compile("[" + "".join(map(re.escape, sorted(REMOVED))) + "]")
CONTROLS_TO_SPACE = {code: " " for code in range(32) if code != ord("\n")}
ANY_CONTROL = re.compile("[\x00-\x09\x0b-\x1f]")

Entity = dict[str, Any]


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def sort_key(entity: Entity) -> tuple[int, int, int]:
    return entity["offset"], -entity["length"], PRIORITY.get(entity["type"], 50)


def _clean(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Replace control characters, drop removed ones, and move entity bounds accordingly."""
    if not ANY_REMOVED.search(text):  # the usual case, and the per-character loop is slow
        if ANY_CONTROL.search(text):
            text = text.translate(CONTROLS_TO_SPACE)
        return text, [e for e in entities if e["length"] > 0]
    kept: list[str] = []
    new_offset = [0]
    position = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if char not in REMOVED:
            kept.append(" " if ord(char) < 32 and char != "\n" else char)
            position += width
        new_offset.extend([position] * width)
    moved = []
    for entity in entities:
        start = new_offset[entity["offset"]]
        end = new_offset[entity["offset"] + entity["length"]]
        if end > start:
            moved.append({**entity, "offset": start, "length": end - start})
    return "".join(kept), moved


def _trim(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    text = text.rstrip(" \n")
    if not text:
        raise bad_request("text must be non-empty")
    end = utf16_length(text)
    clipped = [
        {**entity, "length": min(entity["length"], end - entity["offset"])}
        for entity in entities
        if entity["offset"] < end
    ]
    first = min((entity["offset"] for entity in clipped), default=len(text))
    lead = len(text[:first]) - len(text[:first].lstrip(" \n"))
    return text[lead:], [{**entity, "offset": entity["offset"] - lead} for entity in clipped]


def _without_nested(entities: list[Entity]) -> list[Entity]:
    """Links, code and pre cannot overlap each other: tdlib keeps the outermost one."""
    kept, end = [], 0
    for entity in entities:
        if entity["offset"] >= end:
            kept.append(entity)
            end = entity["offset"] + entity["length"]
    return kept


def _runs(entities: list[Entity], kind: str, cuts: set[int], pre: list[Entity]) -> list[Entity]:
    """Merge one splittable type into runs, cut at link/code bounds, drop what is inside pre."""
    spans: list[list[int]] = []
    for entity in sorted((e for e in entities if e["type"] == kind), key=sort_key):
        end = entity["offset"] + entity["length"]
        if spans and entity["offset"] <= spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], end)
        else:
            spans.append([entity["offset"], end])
    pieces: list[tuple[int, int]] = []
    for start, end in spans:
        bounds = [start, *sorted(c for c in cuts if start < c < end), end]
        pieces += pairwise(bounds)
    return [
        {"type": kind, "offset": a, "length": b - a}
        for a, b in pieces
        if not any(p["offset"] <= a and b <= p["offset"] + p["length"] for p in pre)
    ]


def fix_entities(entities: list[Entity]) -> list[Entity]:
    ordered = sorted(entities, key=sort_key)
    quotes = _without_nested([e for e in ordered if e["type"] in BLOCKQUOTES])
    others = [e for e in ordered if e["type"] not in (*SPLITTABLE, *BLOCKQUOTES)]
    continuous = _without_nested(others)
    cuts = {bound for e in continuous for bound in (e["offset"], e["offset"] + e["length"])}
    pre = [e for e in continuous if e["type"] in PRE_TYPES]
    splittable = [piece for kind in SPLITTABLE for piece in _runs(ordered, kind, cuts, pre)]
    capped = [*quotes, *continuous][:MAX_ENTITIES]
    capped += splittable[: max(0, MAX_ENTITIES - len(capped))]
    return sorted(capped, key=sort_key)


def _given_entities(text: str, entities: Any) -> list[Entity]:
    if not isinstance(entities, list):
        return []
    size = utf16_length(text)
    result = []
    for entity in entities:
        kind = entity.get("type") if isinstance(entity, dict) else None
        if kind in DETECTED_TYPES:
            continue
        if kind not in USER_TYPES:
            raise bad_request("can't parse MessageEntity: Unsupported type specified")
        offset, length = int(entity.get("offset", -1)), int(entity.get("length", -1))
        if offset < 0 or length < 0 or offset + length > size:
            raise bad_request(
                f"entity beginning at UTF-16 offset {offset} ends after the end of the text "
                f"at UTF-16 offset {offset + length}"
            )
        result.append(dict(entity))
    return result


def _parse(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[Entity]]:
    """The text and entities that parse_mode (or explicit entities) make of ``text``, cleaned."""
    mode = (parse_mode or "").lower()
    if mode in ("", "none"):
        plain, found = text, _given_entities(text, entities)
    elif mode == "html":
        try:
            plain, found = parse_html(text)
        except HtmlParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    elif mode in ("markdown", "markdownv2"):
        raise ApiError(400, "Bad Request: the fake Bot API implements only parse_mode HTML")
    else:
        raise bad_request("unsupported parse_mode")
    return _clean(plain, found)


def format_text(
    text: str | None, parse_mode: str | None, entities: Any = None
) -> tuple[str, list[Entity]]:
    """Turn sendMessage's text, parse_mode and entities into what Telegram stores, or raise."""
    if not text:
        raise bad_request("message text is empty")
    plain, found = _trim(*_parse(text, parse_mode, entities))
    if len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return plain, fix_entities(found)


def format_caption(
    caption: str | None, parse_mode: str | None, entities: Any = None
) -> tuple[str, list[Entity]]:
    """A media caption as Telegram stores it: like a text, but it may be empty (then there is
    none) and holds at most 1,024 characters."""
    plain, found = _parse(caption or "", parse_mode, entities)
    if not plain.strip(" \n"):
        return "", []
    plain, found = _trim(plain, found)
    if len(plain) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return plain, fix_entities(found)
