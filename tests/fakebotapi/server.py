"""FakeBotApi: a strict fake Telegram Bot API server on 127.0.0.1, in the test's event loop."""

import itertools
import time
from collections.abc import Callable
from functools import partial
from types import TracebackType
from typing import Any, NamedTuple, Self

from aiohttp import web

from . import chats, documents, messages
from .control import UserActions
from .errors import ApiError
from .faults import Faults
from .inline import InlineActions, InlineQueries
from .params import Params, chat_key, decode_params
from .state import Json, State
from .updates import Signal, UpdateQueue
from .webhooks import Post, Webhooks

DEFAULT_TOKEN = "5000000001:AAHfakeTokenForDigestbotTests_01234"
CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
HANDLERS: dict[str, Callable[[State, Params], Any]] = {
    "getMe": chats.get_me,
    "setMyCommands": chats.set_my_commands,
    "getMyCommands": chats.get_my_commands,
    "answerCallbackQuery": chats.answer_callback_query,
    "getChat": chats.get_chat,
    "getChatMember": chats.get_chat_member,
    "getChatAdministrators": chats.get_chat_administrators,
    "leaveChat": chats.leave_chat,
    "sendMessage": messages.send_message,
    "editMessageText": messages.edit_message_text,
    "editMessageReplyMarkup": messages.edit_message_reply_markup,
    "deleteMessage": messages.delete_message,
    "sendChatAction": messages.send_chat_action,
    "sendDocument": documents.send_document,
}


class Call(NamedTuple):
    """One request the bot made (getUpdates excepted), in arrival order."""

    method: str
    params: Params


def bot_user(token: str, username: str) -> Json:
    return {
        "id": int(token.split(":")[0]),
        "is_bot": True,
        "first_name": "Digest Test Bot",
        "username": username,
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


class FakeBotApi(UserActions, InlineActions):
    """Serve ``/bot{token}/{method}`` like Telegram, record every call, and fail on demand.

    Use ``async with FakeBotApi() as fake`` and give PTB ``base_url=fake.base_url``.
    """

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        username: str = "digest_test_bot",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.token = token
        self.clock = clock
        self.state = State(bot=bot_user(token, username))
        self.updates = UpdateQueue()
        self.faults = Faults()
        self.changed = Signal()
        self.query_ids = itertools.count(4_000_000_000_000_000_001)
        self.calls: list[Call] = []
        self.polls = 0  # getUpdates requests received so far
        self._statuses: list[int] = []
        self._methods: dict[str, tuple[str, Callable[[Params], Any]]] = {
            name.lower(): (name, partial(handler, self.state)) for name, handler in HANDLERS.items()
        }
        self.webhooks = Webhooks(self.updates, self.changed, self.state.date)
        self._methods["setwebhook"] = ("setWebhook", self.webhooks.set_webhook)
        self._methods["deletewebhook"] = ("deleteWebhook", self.webhooks.delete_webhook)
        self._methods["getwebhookinfo"] = ("getWebhookInfo", self.webhooks.info)
        self.inline = InlineQueries(clock)
        self._methods["answerinlinequery"] = ("answerInlineQuery", self.inline.answer)
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def webhook_target(self) -> str | None:
        """Where the fake posts webhook updates (``http://127.0.0.1:PORT``): it plays the
        reverse proxy in front of the registered HTTPS URL, whose path it keeps."""
        return self.webhooks.target

    @webhook_target.setter
    def webhook_target(self, value: str | None) -> None:
        self.webhooks.target = value

    @property
    def webhook_posts(self) -> list[Post]:
        """Every webhook post so far, in the order their answers came."""
        return self.webhooks.posts

    @property
    def messages(self) -> dict[tuple[int, int], Json]:
        """The bot's messages as Telegram holds them now, keyed by (chat_id, message_id)."""
        return self.state.messages

    async def start(self) -> Self:
        # A body bigger than the largest upload plus its form fields is refused while it is read.
        app = web.Application(client_max_size=documents.MAX_UPLOAD_BYTES + 1_000_000)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, shutdown_timeout=1.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.webhooks.start()
        return self

    async def close(self) -> None:
        """Release held long polls at once, then stop serving."""
        self._closing = True
        self.changed.notify()
        await self.webhooks.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] != self.token:
            return web.json_response(ApiError(401, "Unauthorized").payload(), status=401)
        name = request.match_info["method"].lower()
        try:
            params = await decode_params(request)
        except web.HTTPRequestEntityTooLarge:
            error = documents.too_large()
            return web.json_response(error.payload(), status=error.status)
        if name == "getupdates":
            method, handler = "getUpdates", None
        elif name in self._methods:
            method, handler = self._methods[name]
        else:
            return web.json_response(ApiError(404, "Not Found").payload(), status=404)
        fault = self.faults.take(method, params)
        if fault is not None and fault.error is None:
            self._record(method, params, 0)
            if request.transport is not None:
                request.transport.close()
            return web.Response()
        try:
            if fault is not None and fault.error is not None:
                raise fault.error
            result = await self._poll(params) if handler is None else handler(params)
            body, status = {"ok": True, "result": result}, 200
        except ApiError as error:
            body, status = error.payload(), error.status
        self._record(method, params, status)
        return web.json_response(body, status=status)

    def _record(self, method: str, params: Params, status: int) -> None:
        if method != "getUpdates":
            self.calls.append(Call(method, params))
            self._statuses.append(status)
            self.changed.notify()

    async def _poll(self, params: Params) -> list[Json]:
        """getUpdates: hold until an update is ready, the timeout passes or the fake closes."""
        self.webhooks.refuse_polling()
        self.polls += 1
        generation = self.polls
        self.changed.notify()
        self.updates.set_allowed(params.get("allowed_updates"))
        self.updates.confirm(int(params.get("offset", 0)))
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        await self.changed.wait_until(
            lambda: bool(self.updates.ready(limit)) or self._closing or generation != self.polls,
            max(float(params.get("timeout", 0)), 0.0),
        )
        if generation != self.polls:
            raise ApiError(409, CONFLICT)
        return [] if self._closing else self.updates.ready(limit)

    def _matches(self, index: int, method: str, ok: bool | None) -> bool:
        succeeded = self._statuses[index] == 200
        return self.calls[index].method.lower() == method.lower() and ok in (None, succeeded)

    def calls_to(self, method: str, *, ok: bool | None = None) -> list[Params]:
        """Parameters of the calls of ``method``; ``ok`` keeps only answered (or failed) ones."""
        return [call.params for i, call in enumerate(self.calls) if self._matches(i, method, ok)]

    async def wait_for(
        self,
        method: str,
        *,
        n: int = 1,
        timeout: float = 20.0,  # noqa: ASYNC109 - the fake's own deadline, not a caller's
        where: Callable[[Params], bool] | None = None,
        ok: bool | None = None,
    ) -> list[Params]:
        """Wait until ``n`` calls of ``method`` match ``where``; return all matching params.

        Raises AssertionError with the call log when they do not arrive within ``timeout``: a
        guard against a hang, far above what a loaded machine needs, never a measurement.
        """
        found: list[Params] = []
        scanned = 0

        def enough() -> bool:
            nonlocal scanned
            for index in range(scanned, len(self.calls)):
                params = self.calls[index].params
                if self._matches(index, method, ok) and (where is None or where(params)):
                    found.append(params)
            scanned = len(self.calls)
            return len(found) >= n or self._closing

        await self.changed.wait_until(enough, timeout)
        if len(found) < n:
            raise AssertionError(
                f"waited {timeout}s for {n} {method} call(s), saw {len(found)}; "
                f"calls so far:\n{self.call_log()}"
            )
        return found

    def call_log(self) -> str:
        lines = [
            f"  {call.method} -> {status or 'dropped'} {call.params}"
            for call, status in zip(self.calls, self._statuses, strict=True)
        ]
        return "\n".join(lines) or "  (none)"

    def sent_to(self, chat_id: int | str) -> list[str]:
        """The current text (after edits, without deleted ones) of the bot's messages there."""
        return messages.transcript(self.state, chat_key(chat_id))

    def sent_in_topic(self, chat_id: int, topic: int | None) -> list[str]:
        """As ``sent_to``, of the bot's messages in one forum topic (None: the General topic)."""
        return messages.transcript(self.state, chat_id, topic=topic)

    def file_bytes(self, message: Json) -> bytes:
        """The bytes of the file a message of the bot carries (a document it uploaded)."""
        return self.state.files[message["document"]["file_id"]][1]

    def last_message(self, chat_id: int | str) -> Json:
        """The bot's newest message in the chat, as Telegram holds it now."""
        key = max(key for key in self.state.messages if key[0] == chat_key(chat_id))
        return self.state.messages[key]
