"""Inline mode: the queries a person types after ``@botname``, and answerInlineQuery.

Checked as the Bot API server (telegram-bot-api ``get_inline_query_results``) and Telegram
(``messages.setInlineBotResults``) check them: at most 50 results; article results only (the
fake implements no other type), each with an id of 1-64 bytes unique in the answer, a non-empty
title, a text message checked like sendMessage's text (HTML parsed as tdlib parses it, at most
4096 characters after parsing) and at most an inline keyboard; ``next_offset`` of at most 64
bytes; a ``button`` with a valid start parameter. One answer per query, within 10 s of the query
by the fake's clock, else Telegram's QUERY_ID_INVALID, which the Bot API words as "query is too
old and response timeout expired or query ID is invalid".
"""

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import QUERY_TOO_OLD, ApiError, bad_request
from .markup import validate_reply_markup
from .params import Params
from .state import Json, State, user_json
from .text import format_text
from .updates import Signal, UpdateQueue

MAX_RESULTS = 50
MAX_ID_BYTES = 64
MAX_OFFSET_BYTES = 64
MAX_QUERY_CHARS = 256
"""Telegram apps send at most 256 characters of an inline query."""
ANSWER_WITHIN = 10.0
"""Seconds Telegram waits for an answer before it forgets the query."""
DEFAULT_CACHE_TIME = 300
MAX_CACHE_TIME = 24 * 60 * 60
CHAT_TYPES = frozenset({"sender", "private", "group", "supergroup", "channel"})
START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
RESULT = "Can't parse inline query result: "
BUTTON = "Can't parse inline query results button: "
TEXT_ERRORS = {
    "Bad Request: message is too long": "MESSAGE_TOO_LONG",
    "Bad Request: text must be non-empty": "MESSAGE_EMPTY",
}
"""sendMessage's wording -> what setInlineBotResults says for the same text."""


@dataclass
class InlineQuery:
    """A query Telegram sent the bot: who, when (fake clock), and the answer once accepted."""

    user_id: int
    sent_at: float
    answer: Json | None = None


def _decoded(value: Any) -> Any:
    """A structured field: PTB sends it as JSON text in a form or JSON body (params.py keeps
    strings of fields it does not know as they came)."""
    if isinstance(value, str) and value:
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _flag(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("true", "1")


def _string(raw: Json, name: str, prefix: str) -> str:
    if name not in raw:
        raise bad_request(f'{prefix}Can\'t find field "{name}"')
    if not isinstance(raw[name], str):
        raise bad_request(f'{prefix}Field "{name}" must be of type String')
    return str(raw[name])


def _message(content: Any) -> Json:
    """InputTextMessageContent as Telegram stores it, or its error."""
    if not isinstance(content, dict):
        raise bad_request(RESULT + 'Field "input_message_content" must be of type Object')
    if not content.get("message_text"):
        raise bad_request(RESULT + "Input message content is not specified")
    try:
        text, entities = format_text(
            content["message_text"], content.get("parse_mode"), content.get("entities")
        )
    except ApiError as error:
        if error.description in TEXT_ERRORS:
            raise bad_request(TEXT_ERRORS[error.description]) from None
        raise bad_request(RESULT + error.description.removeprefix("Bad Request: ")) from None
    return {"text": text, "entities": entities}


def _keyboard(markup: Any) -> Json | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise bad_request(RESULT + 'Field "reply_markup" must be of type Object')
    if "inline_keyboard" not in markup:
        raise bad_request("Inline keyboard expected")
    return validate_reply_markup(markup)


def _article(raw: Any) -> Json:
    if not isinstance(raw, dict):
        raise bad_request(RESULT + "Inline query result must be an object")
    kind = _string(raw, "type", RESULT).lower()
    result_id = _string(raw, "id", RESULT)
    if kind != "article":
        raise ApiError(400, "Bad Request: the fake Bot API implements only article results")
    if "input_message_content" not in raw:  # the legacy field is required then
        raise bad_request(RESULT + 'Can\'t find field "message_text"')
    message = _message(raw["input_message_content"])
    keyboard = _keyboard(raw.get("reply_markup"))
    title = _string(raw, "title", RESULT)
    if "description" in raw:
        _string(raw, "description", RESULT)
    if not 1 <= len(result_id.encode("utf-8")) <= MAX_ID_BYTES:
        raise bad_request("RESULT_ID_INVALID")
    if not title.strip():
        raise bad_request("ARTICLE_TITLE_EMPTY")
    return raw | {"message": message | ({"reply_markup": keyboard} if keyboard else {})}


def _results(raw: Any) -> list[Json]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        raise bad_request("Can't parse JSON encoded inline query results: invalid JSON")
    if not isinstance(raw, list):
        raise bad_request("Expected an Array of inline query results")
    if len(raw) > MAX_RESULTS:
        raise bad_request("Too many inline query results specified")
    results = [_article(item) for item in raw]
    ids = [result["id"] for result in results]
    if len(set(ids)) != len(ids):
        raise bad_request("RESULT_ID_DUPLICATE")
    return results


def _button(raw: Any) -> Json | None:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, dict):
        raise bad_request(BUTTON + "InlineQueryResultsButton must be an Object")
    _string(raw, "text", BUTTON)
    if "start_parameter" in raw:
        if not START_PARAMETER.fullmatch(_string(raw, "start_parameter", BUTTON)):
            raise bad_request("START_PARAM_INVALID")
    elif not isinstance(raw.get("web_app"), dict):
        raise bad_request(BUTTON + "InlineQueryResultsButton must have exactly one optional field")
    return raw


def _cache_time(value: Any) -> int:
    """The Bot API reads cache_time leniently and keeps it within a day."""
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return DEFAULT_CACHE_TIME
    return min(max(seconds, 0), MAX_CACHE_TIME)


class InlineQueries:
    """The queries the fake has sent, and answerInlineQuery against them."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.queries: dict[str, InlineQuery] = {}

    def answer(self, params: Params) -> bool:
        results = _results(_decoded(params.get("results")))
        next_offset = str(params.get("next_offset") or "")
        if len(next_offset.encode("utf-8")) > MAX_OFFSET_BYTES:
            raise bad_request("NEXT_OFFSET_INVALID")
        button = _button(_decoded(params.get("button")))
        query = self.queries.get(str(params.get("inline_query_id", "")))
        if query is None or query.answer is not None:
            raise bad_request(QUERY_TOO_OLD)
        if self.clock() - query.sent_at > ANSWER_WITHIN:
            raise bad_request(QUERY_TOO_OLD)
        query.answer = {
            "results": results,
            "next_offset": next_offset,
            "cache_time": _cache_time(params.get("cache_time", DEFAULT_CACHE_TIME)),
            "is_personal": _flag(params.get("is_personal")),
            "button": button,
        }
        return True


class InlineActions:
    """Mixed into FakeBotApi: a person typing ``@botname query`` in a chat."""

    state: State
    updates: UpdateQueue
    changed: Signal
    query_ids: Iterator[int]
    inline: InlineQueries

    def set_inline_mode(self, enabled: bool = True) -> None:
        """Turn the bot's inline mode on or off, as /setinline in @BotFather does (getMe's
        ``supports_inline_queries``); without it Telegram sends the bot no inline query."""
        self.state.bot["supports_inline_queries"] = enabled

    def inline_query(
        self, user_id: int, query: str, *, offset: str = "", chat_type: str = "private"
    ) -> str:
        """The person types ``query`` after the bot's name; returns the query id.

        ``offset`` is what the app sends back for the next page (any text, so a test can forge
        one); ``chat_type`` is the kind of chat they type in ("sender": their chat with the bot).
        """
        if not self.state.bot["supports_inline_queries"]:
            raise ValueError("the bot has no inline mode: Telegram sends it no inline query")
        if len(query) > MAX_QUERY_CHARS:
            raise ValueError(f"Telegram apps send at most {MAX_QUERY_CHARS} characters")
        if chat_type not in CHAT_TYPES:
            raise ValueError(f"chat_type must be one of {sorted(CHAT_TYPES)}")
        query_id = str(next(self.query_ids))
        user = self.state.users.setdefault(user_id, user_json(user_id))
        payload = {
            "id": query_id,
            "from": user,
            "query": query,
            "offset": offset,
            "chat_type": chat_type,
        }
        self.updates.push({"inline_query": payload})
        self.inline.queries[query_id] = InlineQuery(user_id, self.inline.clock())
        self.changed.notify()
        return query_id

    def inline_answer(self, query_id: str) -> Json | None:
        """The accepted answer to the query (results with their message as Telegram would send
        it: ``message`` holds the parsed text, entities and keyboard), or None."""
        query = self.inline.queries.get(query_id)
        return None if query is None else query.answer
