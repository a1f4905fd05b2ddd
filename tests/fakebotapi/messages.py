"""sendMessage and the methods that change or act on messages."""

from typing import Any

from .errors import NOT_MODIFIED, bad_request
from .markup import validate_reply_markup
from .params import Params
from .state import Json, State
from .text import format_text

CHAT_ACTIONS = frozenset(
    [
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    ]
)


def _content(params: Params) -> tuple[str, list[Json], Json | None]:
    text, entities = format_text(
        params.get("text"), params.get("parse_mode"), params.get("entities")
    )
    return text, entities, validate_reply_markup(params.get("reply_markup"))


def _set_content(message: Json, text: str, entities: list[Json], markup: Json | None) -> None:
    message["text"] = text
    for key, value in (("entities", entities), ("reply_markup", markup)):
        if value:
            message[key] = value
        else:
            message.pop(key, None)


def _message_key(chat_id: int, params: Params) -> tuple[int, int]:
    message_id = params.get("message_id")
    if not isinstance(message_id, int):
        raise bad_request("message identifier is not specified")
    return chat_id, message_id


def _replied(state: State, chat_id: int, params: Params) -> Json | None:
    reply = params.get("reply_parameters")
    message_id = reply.get("message_id") if isinstance(reply, dict) else None
    key = (chat_id, message_id or params.get("reply_to_message_id") or 0)
    return state.messages.get(key) or state.inbox.get(key)


def new_message(state: State, params: Params) -> Json:
    """A new message of the bot in the reachable chat ``chat_id`` (in its open forum topic
    ``message_thread_id``, if given), stored, without content yet."""
    chat = state.reachable_chat(params.get("chat_id"))
    if state.rate is not None:
        state.rate.admit(chat.id, chat.type)
    thread_id = params.get("message_thread_id")
    topic = None if thread_id is None else chat.topic(thread_id)
    message: Json = {
        "message_id": chat.next_message_id(),
        "from": state.user(state.bot["id"]),
        "chat": chat.as_json(),
        "date": state.date(),
    }
    if topic is not None:
        message |= {"message_thread_id": topic, "is_topic_message": True}
    replied = _replied(state, chat.id, params)
    if replied is not None:
        message["reply_to_message"] = {
            key: value for key, value in replied.items() if key != "reply_to_message"
        }
    state.messages[(chat.id, message["message_id"])] = message
    return message


def send_message(state: State, params: Params) -> Json:
    text, entities, markup = _content(params)
    message = new_message(state, params)
    _set_content(message, text, entities, markup)
    return message


def _editable(state: State, params: Params) -> Json:
    if params.get("inline_message_id"):
        raise bad_request("the fake Bot API does not implement inline messages")
    key = _message_key(state.reachable_chat(params.get("chat_id")).id, params)
    if key in state.inbox:
        raise bad_request("message can't be edited")
    if key not in state.messages:
        raise bad_request("message to edit not found")
    return state.messages[key]


def _apply_edit(
    state: State, message: Json, text: str, entities: list[Json], markup: Json | None
) -> Json:
    before = (message["text"], message.get("entities", []), message.get("reply_markup"))
    if before == (text, entities, markup):
        raise bad_request(NOT_MODIFIED)
    _set_content(message, text, entities, markup)
    message["edit_date"] = state.date()
    return message


def edit_message_text(state: State, params: Params) -> Json:
    text, entities, markup = _content(params)
    message = _editable(state, params)
    if "text" not in message:
        raise bad_request("there is no text in the message to edit")
    return _apply_edit(state, message, text, entities, markup)


def edit_message_reply_markup(state: State, params: Params) -> Json:
    markup = validate_reply_markup(params.get("reply_markup"))
    message = _editable(state, params)
    if "text" not in message:
        raise bad_request("the fake Bot API does not implement editing a document's keyboard")
    return _apply_edit(state, message, message["text"], message.get("entities", []), markup)


def delete_message(state: State, params: Params) -> bool:
    key = _message_key(state.chat(params.get("chat_id")).id, params)
    if state.messages.pop(key, None) is None and state.inbox.pop(key, None) is None:
        raise bad_request("message to delete not found")
    return True


def send_chat_action(state: State, params: Params) -> bool:
    if params.get("action") not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    state.reachable_chat(params.get("chat_id"))
    return True


def transcript(state: State, chat_id: Any, **topic: int | None) -> list[str]:
    """The current text (a document's caption) of every message the bot has in the chat, oldest
    first; with ``topic=``, only those in that forum topic (None: the General topic)."""
    keys = sorted(
        key
        for key in state.messages
        if key[0] == chat_id
        and ("topic" not in topic or state.messages[key].get("message_thread_id") == topic["topic"])
    )
    return [state.messages[key].get("text", state.messages[key].get("caption", "")) for key in keys]
