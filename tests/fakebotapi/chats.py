"""Methods about the bot itself and about chats: getMe, commands, callbacks, chat lookups."""

import json
import re

from .errors import QUERY_TOO_OLD, bad_request
from .params import Params
from .state import Json, State, member_json

MAX_COMMANDS = 100
MAX_COMMAND_LENGTH = 32
MAX_DESCRIPTION_LENGTH = 256
MAX_CALLBACK_ANSWER = 200
COMMAND_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
LANGUAGE_CODE = re.compile(r"[a-z]{2}")


def get_me(state: State, params: Params) -> Json:
    return dict(state.bot)


def _command(raw: object) -> Json:
    if not isinstance(raw, dict):
        raise bad_request("can't parse BotCommand: expected an Object")
    command = str(raw.get("command", "")).strip().removeprefix("/")
    description = str(raw.get("description", "")).strip()
    if not command:
        raise bad_request("command must be non-empty")
    if len(command) > MAX_COMMAND_LENGTH:
        raise bad_request(f"command length must not exceed {MAX_COMMAND_LENGTH}")
    if not description:
        raise bad_request("command description must be non-empty")
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise bad_request(f"command description length must not exceed {MAX_DESCRIPTION_LENGTH}")
    if not set(command) <= COMMAND_CHARACTERS:
        raise bad_request("BOT_COMMAND_INVALID")
    return {"command": command, "description": description}


def _commands_key(params: Params) -> tuple[str, str]:
    """Menus are kept per scope and language; ``language_code`` is empty (every user without a
    menu of their own language) or a two-letter ISO 639-1 code, as the Bot API documents."""
    scope = params.get("scope") or {"type": "default"}
    language = str(params.get("language_code") or "")
    if language and not LANGUAGE_CODE.fullmatch(language):
        raise bad_request("LANG_CODE_INVALID")
    return json.dumps(scope, sort_keys=True), language


def set_my_commands(state: State, params: Params) -> bool:
    raw = params.get("commands")
    if not isinstance(raw, list):
        raise bad_request("can't parse commands JSON object")
    if len(raw) > MAX_COMMANDS:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    state.commands[_commands_key(params)] = [_command(item) for item in raw]
    return True


def get_my_commands(state: State, params: Params) -> list[Json]:
    return list(state.commands.get(_commands_key(params), []))


def answer_callback_query(state: State, params: Params) -> bool:
    query_id = str(params.get("callback_query_id", ""))
    if query_id not in state.callback_answers or state.callback_answers[query_id] is not None:
        raise bad_request(QUERY_TOO_OLD)
    if len(str(params.get("text", ""))) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")
    url = params.get("url")
    # Outside games, only a link that starts this very bot is allowed (Bot API docs, url).
    own = f"https://t.me/{state.bot['username']}?start="
    if url is not None and not (str(url).startswith(own) and _start_payload(str(url)[len(own) :])):
        raise bad_request("URL_INVALID")
    state.callback_answers[query_id] = dict(params)
    return True


def _start_payload(payload: str) -> bool:
    """A deep-link payload: 1-64 characters of A-Z, a-z, 0-9, _ and -."""
    return 1 <= len(payload) <= 64 and all(
        c.isascii() and (c.isalnum() or c in "_-") for c in payload
    )


def get_chat(state: State, params: Params) -> Json:
    chat = state.chat(params.get("chat_id"))
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    return chat.as_json() | {
        "accent_color_id": 0,
        "max_reaction_count": 11,
        "accepted_gift_types": dict.fromkeys(gifts, True) | {"gifts_from_channels": False},
    }


def get_chat_member(state: State, params: Params) -> Json:
    chat = state.chat(params.get("chat_id"))
    user_id = params.get("user_id")
    if not isinstance(user_id, int):
        raise bad_request("invalid user_id specified")
    status = chat.admins.get(user_id, "member")
    return member_json(state.user(user_id), status)


def get_chat_administrators(state: State, params: Params) -> list[Json]:
    chat = state.chat(params.get("chat_id"))
    if chat.type == "private":
        raise bad_request("there are no administrators in the private chat")
    return [member_json(state.user(uid), status) for uid, status in chat.admins.items()]


def leave_chat(state: State, params: Params) -> bool:
    chat = state.reachable_chat(params.get("chat_id"))
    if chat.type == "private":
        raise bad_request("chat member status can't be changed in private chats")
    chat.left = True
    return True
