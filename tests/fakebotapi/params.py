"""Request decoding: the query string plus an urlencoded, multipart or JSON body.

PTB sends every non-string value as JSON text in a form field, so structured fields are
JSON-decoded and id/count fields cast to int; free text (``text``, ``data``...) is never
decoded, so a message text "123" stays the string "123". A multipart part with a file name is
an upload (as for Telegram, a part without one is a plain field): it becomes an ``Upload``, read
at once so that no temporary file outlives the request.
"""

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import web

Params = dict[str, Any]

JSON_FIELDS = frozenset(
    {
        "allowed_updates",
        "caption_entities",
        "commands",
        "entities",
        "link_preview_options",
        "media",
        "message_ids",
        "permissions",
        "reaction",
        "reply_markup",
        "reply_parameters",
        "results",
        "rights",
        "scope",
    }
)
INT_FIELDS = frozenset(
    {
        "cache_time",
        "from_chat_id",
        "limit",
        "max_connections",
        "message_id",
        "message_thread_id",
        "offset",
        "reply_to_message_id",
        "timeout",
        "until_date",
        "user_id",
    }
)
BOOL_FIELDS = frozenset(
    {
        "allow_sending_without_reply",
        "disable_notification",
        "disable_web_page_preview",
        "drop_pending_updates",
        "is_anonymous",
        "protect_content",
        "show_alert",
    }
)


@dataclass(frozen=True, slots=True)
class Upload:
    """A file sent as a multipart part: its name, the part's Content-Type and its bytes."""

    file_name: str
    mime_type: str
    data: bytes

    def __repr__(self) -> str:  # the call log shows uploads of megabytes
        return f"Upload({self.file_name!r}, {self.mime_type!r}, {len(self.data)} bytes)"


def chat_key(value: Any) -> int | str:
    """A chat id as Telegram resolves it: an integer, or an ``@username`` string."""
    if isinstance(value, int):
        return value
    text = str(value).strip()
    try:
        return int(text)
    except ValueError:
        return text


def _decode(name: str, value: Any) -> Any:
    if isinstance(value, web.FileField):
        with value.file:
            return Upload(value.filename, value.content_type, value.file.read())
    if not isinstance(value, str):
        return value
    if name in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            return value
    if name in INT_FIELDS:
        try:
            return int(value)
        except ValueError:
            return value
    if name in BOOL_FIELDS:
        return value.strip().lower() in ("true", "1", "yes")
    if name == "chat_id":
        return chat_key(value)
    return value


async def decode_params(request: web.Request) -> Params:
    raw: dict[str, Any] = dict(request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            raw.update(body)
    elif request.can_read_body:
        raw.update(await request.post())
    return {name: _decode(name, value) for name, value in raw.items()}
