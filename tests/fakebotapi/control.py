"""The test's side of the fake: chats it knows, what users do, and what breaks."""

from collections.abc import Callable, Iterator
from typing import Any

from .errors import ApiError
from .faults import Fault, Faults
from .rate import RateEnforcer
from .state import Chat, Json, State, user_json
from .text import format_text
from .updates import Signal, UpdateQueue
from .users import callback_query, chat_member_change, text_message

DEFAULT_GROUP_MEMBER = 1000
BLOCKED = {
    "private": "Forbidden: bot was blocked by the user",
    "group": "Forbidden: bot was kicked from the group chat",
    "supergroup": "Forbidden: bot was kicked from the supergroup chat",
    "channel": "Forbidden: bot was kicked from the channel chat",
}


def default_chat_type(chat_id: int) -> str:
    if chat_id > 0:
        return "private"
    return "supergroup" if str(chat_id).startswith("-100") else "group"


class UserActions:
    """Mixed into FakeBotApi: helpers a test calls directly (no HTTP, no await)."""

    state: State
    updates: UpdateQueue
    faults: Faults
    changed: Signal
    clock: Callable[[], float]
    query_ids: Iterator[int]

    def add_chat(
        self,
        chat_id: int,
        *,
        chat_type: str | None = None,
        title: str | None = None,
        first_name: str | None = None,
        username: str | None = None,
    ) -> Chat:
        """Make a chat known (sending to an unknown chat is 400 "chat not found")."""
        chat = self.state.chats.get(chat_id)
        if chat is None:
            kind = chat_type or default_chat_type(chat_id)
            chat = self.state.add_chat(Chat(chat_id, kind, title, first_name, username))
        return chat

    def set_language(self, user_id: int, language_code: str) -> None:
        """The user's app is in ``language_code`` (an IETF tag such as ``zh-hans``) from now on."""
        user = self.state.users.setdefault(user_id, user_json(user_id))
        user["language_code"] = language_code

    def set_admins(self, chat_id: int, *user_ids: int, owner: int | None = None) -> None:
        """Replace the group's administrators (as getChatMember/getChatAdministrators see them)."""
        chat = self.add_chat(chat_id)
        chat.admins = dict.fromkeys(user_ids, "administrator")
        if owner is not None:
            chat.admins[owner] = "creator"

    def add_topic(self, chat_id: int) -> int:
        """A forum topic made in the supergroup (which becomes a forum); its message_thread_id,
        the id of the message that opens it, as in Telegram."""
        chat = self.add_chat(chat_id, chat_type="supergroup")
        if chat.type != "supergroup":
            raise ValueError("only a supergroup has forum topics")
        thread_id = chat.next_message_id()
        if thread_id == 1:  # the General topic's id, which no send may name
            thread_id = chat.next_message_id()
        chat.topics[thread_id] = True
        return thread_id

    def close_topic(self, chat_id: int, thread_id: int) -> None:
        """Sends to the topic get 400 TOPIC_CLOSED until ``reopen_topic``."""
        self.add_chat(chat_id).topics[thread_id] = False

    def reopen_topic(self, chat_id: int, thread_id: int) -> None:
        self.add_chat(chat_id).topics[thread_id] = True

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        """Sends to the topic get 400 "message thread not found" from now on."""
        del self.add_chat(chat_id).topics[thread_id]

    def block(self, chat_id: int, description: str | None = None) -> None:
        """Every send, edit or chat action to the chat gets 403 until ``unblock``."""
        chat = self.add_chat(chat_id)
        chat.blocked = description or BLOCKED[chat.type]

    def unblock(self, chat_id: int) -> None:
        self.add_chat(chat_id).blocked = None

    def migrate(self, chat_id: int, new_chat_id: int) -> Chat:
        """The group became a supergroup: sends to the old id get 400 with migrate_to_chat_id."""
        old = self.add_chat(chat_id, chat_type="group")
        old.migrated_to = new_chat_id
        return self.add_chat(new_chat_id, chat_type="supergroup", title=old.title)

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        *,
        chat_id: int | str | None = None,
        times: int = 1,
        **parameters: int,
    ) -> None:
        """The next ``times`` calls of ``method`` (to ``chat_id``, if given) fail like this.

        ``parameters`` become ResponseParameters, e.g. ``retry_after=1`` or
        ``migrate_to_chat_id=-100123``.
        """
        error = ApiError(status, description, **parameters)
        self.faults.arm(Fault(method.lower(), chat_id, times, error))

    def drop_next(self, method: str, *, chat_id: int | str | None = None, times: int = 1) -> None:
        """The next matching calls lose their connection without any answer."""
        self.faults.arm(Fault(method.lower(), chat_id, times, None))

    def enforce_rate(
        self, per_second: int = 30, per_chat_per_second: int = 1, group_per_minute: int = 20
    ) -> None:
        """Answer sendMessage with 429 + retry_after beyond Telegram's flood limits."""
        self.state.rate = RateEnforcer(
            per_second=per_second,
            per_chat_per_second=per_chat_per_second,
            group_per_minute=group_per_minute,
            clock=self.clock,
        )

    @property
    def rate_limited(self) -> int:
        """How many 429 answers rate enforcement has given."""
        return self.state.rate.rejected if self.state.rate else 0

    def _push(self, payload: Json) -> Json:
        update = self.updates.push(payload)
        self.changed.notify()
        return update

    def _sender(self, chat: Chat, user_id: int | None, first_name: str | None) -> Json:
        uid = user_id or (chat.id if chat.type == "private" else DEFAULT_GROUP_MEMBER)
        if uid not in self.state.users or first_name:
            private = chat.type == "private"
            name = first_name or (chat.first_name if private else None)
            self.state.users[uid] = user_json(uid, name, chat.username if private else None)
        return self.state.users[uid]

    def send_text(
        self,
        chat_id: int,
        text: str,
        *,
        user_id: int | None = None,
        chat_type: str | None = None,
        title: str | None = None,
        first_name: str | None = None,
        topic: int | None = None,
        **extra: Any,
    ) -> Json:
        """A user writes ``text`` in the chat (in its open forum ``topic``, if given); returns
        the queued update.

        Telegram's bot_command (``/cmd``, ``/cmd@bot``) and url entities are added, with UTF-16
        offsets. ``extra`` fields are merged into the message (e.g. ``reply_to_message``).
        """
        chat = self.add_chat(chat_id, chat_type=chat_type, title=title, first_name=first_name)
        if topic is not None:
            extra |= {"message_thread_id": chat.topic(topic), "is_topic_message": True}
        user = self._sender(chat, user_id, first_name)
        message = text_message(
            message_id=chat.next_message_id(),
            date=self.state.date(),
            chat=chat.as_json(),
            user=user,
            text=text,
            extra=extra,
        )
        update = self._push({"message": message})
        self.state.inbox[(chat.id, message["message_id"])] = message
        return update

    def press(self, chat_id: int, message_id: int, data: str, *, user_id: int | None = None) -> str:
        """A user presses a button carrying ``data`` under a message; returns the query id.

        Any ``data`` is accepted, so a test can forge presses the bot never offered. A message
        the fake does not have arrives as an inaccessible message (date 0).
        """
        chat = self.add_chat(chat_id)
        message = self.state.messages.get((chat.id, message_id)) or {
            "chat": chat.as_json(),
            "message_id": message_id,
            "date": 0,
        }
        query_id = str(next(self.query_ids))
        user = self._sender(chat, user_id, None)
        payload = callback_query(query_id=query_id, user=user, message=message, data=data)
        self._push({"callback_query": payload})
        self.state.callback_answers[query_id] = None
        return query_id

    def callback_answer(self, query_id: str) -> Json | None:
        """The parameters of answerCallbackQuery for this query, or None if unanswered."""
        return self.state.callback_answers.get(query_id)

    def my_chat_member(
        self,
        chat_id: int,
        new_status: str,
        *,
        old_status: str = "member",
        user_id: int | None = None,
        chat_type: str | None = None,
    ) -> Json:
        """The bot's membership changed (e.g. "kicked" when a user blocks it; see ``block``)."""
        chat = self.add_chat(chat_id, chat_type=chat_type)
        change = chat_member_change(
            chat=chat.as_json(),
            user=self._sender(chat, user_id, None),
            bot=self.state.user(self.state.bot["id"]),
            date=self.state.date(),
            old_status=old_status,
            new_status=new_status,
        )
        return self._push({"my_chat_member": change})

    def rendered_text(self, html: str) -> str:
        """The text Telegram would show for this HTML (raises ApiError where Telegram would)."""
        return format_text(html, "HTML")[0]
