"""What the fake Telegram knows: the bot, chats, users, messages and callback queries."""

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import CHAT_NOT_FOUND, THREAD_NOT_FOUND, TOPIC_CLOSED, ApiError, bad_request
from .rate import RateEnforcer

Json = dict[str, Any]
ADMIN_RIGHTS = [
    "can_be_edited",
    "can_manage_chat",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
]


@dataclass
class Chat:
    """A chat the bot can reach, with the test-controlled facts about it."""

    id: int
    type: str = "private"
    title: str | None = None
    first_name: str | None = None
    username: str | None = None
    admins: dict[int, str] = field(default_factory=dict)
    blocked: str | None = None
    left: bool = False
    migrated_to: int | None = None
    last_message_id: int = 0
    topics: dict[int, bool] = field(default_factory=dict)
    """A forum's topics by message_thread_id: True while open, False once closed (a deleted
    topic is gone). A chat with topics is a forum (``is_forum``)."""

    def as_json(self) -> Json:
        result: Json = {"id": self.id, "type": self.type}
        if self.topics:
            result["is_forum"] = True
        if self.type == "private":
            result["first_name"] = self.first_name or f"User {self.id}"
        else:
            result["title"] = self.title or f"Group {self.id}"
        if self.username:
            result["username"] = self.username
        return result

    def next_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def topic(self, thread_id: Any) -> int:
        """The open topic a message_thread_id names, or Telegram's 400 for a thread it does not
        know (deleted, never made, or the General topic, which takes no id) or a closed one."""
        if thread_id not in self.topics:
            raise bad_request(THREAD_NOT_FOUND)
        if not self.topics[thread_id]:
            raise bad_request(TOPIC_CLOSED)
        return int(thread_id)


def user_json(user_id: int, first_name: str | None = None, username: str | None = None) -> Json:
    user: Json = {"id": user_id, "is_bot": False, "first_name": first_name or f"User {user_id}"}
    if username:
        user["username"] = username
    user["language_code"] = "en"
    return user


def member_json(user: Json, status: str) -> Json:
    """A ChatMember object of the given status, with every field PTB requires."""
    member: Json = {"status": status, "user": user}
    if status == "creator":
        member["is_anonymous"] = False
    elif status == "administrator":
        member |= dict.fromkeys(ADMIN_RIGHTS, True) | {"is_anonymous": False}
        member["can_be_edited"] = False
    elif status == "kicked":
        member["until_date"] = 0
    return member


@dataclass
class State:
    """Everything the methods read and change; the server wraps it in HTTP."""

    bot: Json
    chats: dict[int | str, Chat] = field(default_factory=dict)
    users: dict[int, Json] = field(default_factory=dict)
    messages: dict[tuple[int, int], Json] = field(default_factory=dict)
    inbox: dict[tuple[int, int], Json] = field(default_factory=dict)
    callback_answers: dict[str, Json | None] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[Json]] = field(default_factory=dict)
    files: dict[str, tuple[Json, bytes]] = field(default_factory=dict)
    """Uploaded files by file_id: the Document object and the bytes."""
    rate: RateEnforcer | None = None
    now: Callable[[], float] = time.time

    def add_chat(self, chat: Chat) -> Chat:
        self.chats[chat.id] = chat
        if chat.username:
            self.chats["@" + chat.username] = chat
        return chat

    def chat(self, chat_id: Any) -> Chat:
        """The chat a chat_id names, or Telegram's 400 "chat not found"."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat = self.chats.get(chat_id)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        return chat

    def reachable_chat(self, chat_id: Any) -> Chat:
        """A chat the bot may write to: not blocked, not left, not migrated."""
        chat = self.chat(chat_id)
        if chat.migrated_to is not None:
            raise ApiError(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                migrate_to_chat_id=chat.migrated_to,
            )
        if chat.blocked:
            raise ApiError(403, chat.blocked)
        if chat.left:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        return chat

    def user(self, user_id: int) -> Json:
        if user_id == self.bot["id"]:
            return {key: self.bot[key] for key in ("id", "is_bot", "first_name", "username")}
        return self.users.get(user_id) or user_json(user_id)

    def date(self) -> int:
        return int(self.now())
