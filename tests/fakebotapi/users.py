"""Update payloads as Telegram builds them for what a user does: write, press, block."""

import re
from typing import Any

from .state import Json, member_json
from .text import utf16_length

# tdlib's match_bot_commands: "/name" (1-64) with an optional "@bot" (3-32), not glued to words.
BOT_COMMAND = re.compile(r"(?<![\w/<>])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/<>@])")
URL = re.compile(r"https?://[^\s<>\"]+")
URL_TRAILING = ".,;:!?)]}'"


def _entity(text: str, kind: str, start: int, end: int) -> Json:
    offset = utf16_length(text[:start])
    return {"type": kind, "offset": offset, "length": utf16_length(text[start:end])}


def detected_entities(text: str) -> list[Json]:
    """bot_command and url entities, as Telegram adds them to an incoming text."""
    found = [_entity(text, "bot_command", *m.span()) for m in BOT_COMMAND.finditer(text)]
    for match in URL.finditer(text):
        end = match.start() + len(match.group().rstrip(URL_TRAILING))
        found.append(_entity(text, "url", match.start(), end))
    return sorted(found, key=lambda entity: entity["offset"])


def text_message(
    *, message_id: int, date: int, chat: Json, user: Json, text: str, extra: dict[str, Any]
) -> Json:
    message: Json = {
        "message_id": message_id,
        "from": user,
        "chat": chat,
        "date": date,
        "text": text,
    }
    entities = detected_entities(text)
    if entities:
        message["entities"] = entities
    return message | extra


def callback_query(*, query_id: str, user: Json, message: Json, data: str) -> Json:
    return {
        "id": query_id,
        "from": user,
        "message": message,
        "chat_instance": f"instance{abs(message['chat']['id'])}",
        "data": data,
    }


def chat_member_change(
    *, chat: Json, user: Json, bot: Json, date: int, old_status: str, new_status: str
) -> Json:
    return {
        "chat": chat,
        "from": user,
        "date": date,
        "old_chat_member": member_json(bot, old_status),
        "new_chat_member": member_json(bot, new_status),
    }
