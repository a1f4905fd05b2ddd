"""The fake's webhooks: setWebhook checked as Telegram does, and the posts it makes meanwhile."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import telegram
from aiohttp import web
from fakebotapi import FakeBotApi
from fakebotapi.webhooks import SECRET_HEADER, WEBHOOK_ACTIVE, Post
from telegram.error import BadRequest, Conflict

CHAT = 42
URL = "https://bot.example.org:8443/telegram/hook"
SECRET = "s3cret_-token"
GUARD = 30
"""Seconds before a wait that should end at once is taken for a hang."""


@dataclass
class Receiver:
    """The bot's side of a webhook, on 127.0.0.1: records each post, answers ``answer()``,
    and holds every post while ``hold`` is clear."""

    fake: FakeBotApi
    received: list[tuple[str, str | None, Any]] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    hold: asyncio.Event = field(default_factory=asyncio.Event)
    in_flight: int = 0
    most_in_flight: int = 0
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(
            (request.path_qs, request.headers.get(SECRET_HEADER), await request.json())
        )
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        self.fake.changed.notify()
        await self.hold.wait()
        self.in_flight -= 1
        return web.Response(status=self.answers.pop(0) if self.answers else 200)

    def texts(self) -> list[str]:
        return [body["message"]["text"] for _, _, body in self.received]


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        server.add_chat(CHAT)
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(fake.token, base_url=fake.base_url) as client:
        yield client


@pytest.fixture
async def receiver(fake: FakeBotApi) -> AsyncIterator[Receiver]:
    receiver = Receiver(fake)
    receiver.hold.set()
    app = web.Application()
    app.router.add_post("/{tail:.*}", receiver.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    receiver.url = f"http://127.0.0.1:{runner.addresses[0][1]}"
    yield receiver
    receiver.hold.set()
    await runner.cleanup()


async def until(fake: FakeBotApi, predicate: Callable[[], bool]) -> None:
    assert await fake.changed.wait_until(predicate, GUARD), "timed out"


async def call(fake: FakeBotApi, method: str, **params: Any) -> dict[str, Any]:
    """The raw answer of a method, as Telegram's JSON envelope."""
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"{fake.base_url}{fake.token}/{method}", json=params) as response,
    ):
        result: dict[str, Any] = await response.json()
        return result


async def test_set_webhook_is_reported_by_get_webhook_info_and_blocks_get_updates(
    fake: FakeBotApi, bot: telegram.Bot
) -> None:
    fake.send_text(CHAT, "waiting")
    assert await bot.set_webhook(
        URL, secret_token=SECRET, allowed_updates=["message"], max_connections=7
    )
    info = await bot.get_webhook_info()
    assert (info.url, info.max_connections, info.allowed_updates) == (URL, 7, ("message",))
    assert info.pending_update_count == 1
    with pytest.raises(Conflict):
        await bot.get_updates()
    assert (await call(fake, "getUpdates"))["description"] == WEBHOOK_ACTIVE


async def test_delete_webhook_clears_it_and_polling_works_again(
    fake: FakeBotApi, bot: telegram.Bot
) -> None:
    await bot.set_webhook(URL, secret_token=SECRET)
    fake.send_text(CHAT, "kept for the poll")
    assert await bot.delete_webhook()
    assert (await bot.get_webhook_info()).url == ""
    (update,) = await bot.get_updates()
    assert update.message is not None
    assert update.message.text == "kept for the poll"


async def test_set_webhook_with_an_empty_url_removes_it(bot: telegram.Bot) -> None:
    await bot.set_webhook(URL)
    await bot.set_webhook("")
    assert (await bot.get_webhook_info()).url == ""


@pytest.mark.parametrize(
    ("params", "description"),
    [
        (
            {"url": "http://bot.example.org/hook"},
            "bad webhook: An HTTPS URL must be provided for webhook",
        ),
        (
            {"url": "https://bot.example.org:8080/hook"},
            "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
        ),
        (
            {"url": "https:///hook"},
            "bad webhook: Failed to resolve host: Name or service not known",
        ),
        ({"url": URL, "secret_token": "has space"}, "secret token contains unallowed characters"),
        ({"url": URL, "secret_token": "a+b/c="}, "secret token contains unallowed characters"),
        ({"url": URL, "secret_token": "x" * 257}, "secret token is too long"),
        ({"url": URL, "max_connections": 0}, "max_connections must be between 1 and 100"),
        ({"url": URL, "max_connections": 101}, "max_connections must be between 1 and 100"),
        (
            {"url": URL, "allowed_updates": "message"},
            "allowed_updates must be a JSON-serialized list of strings",
        ),
        (
            {"url": URL, "allowed_updates": ["messages"]},
            "unsupported update type 'messages' in allowed_updates",
        ),
    ],
)
async def test_set_webhook_refuses_what_telegram_refuses(
    fake: FakeBotApi, params: dict[str, Any], description: str
) -> None:
    answer = await call(fake, "setWebhook", **params)
    assert (answer["error_code"], answer["description"]) == (400, f"Bad Request: {description}")
    assert (await call(fake, "getWebhookInfo"))["result"]["url"] == ""


@pytest.mark.parametrize("url", [URL, "https://bot.example.org/x", "https://b.example.org:88/"])
async def test_set_webhook_takes_the_four_ports_or_none(bot: telegram.Bot, url: str) -> None:
    assert await bot.set_webhook(url, secret_token="a" * 256, max_connections=100)


async def test_a_bad_request_from_ptb_is_a_bad_request(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="an https url must be provided"):
        await bot.set_webhook("http://bot.example.org/hook")


async def test_updates_are_posted_with_the_secret_to_the_registered_path(
    fake: FakeBotApi, bot: telegram.Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(URL + "?v=2", secret_token=SECRET)
    fake.send_text(CHAT, "hello")
    assert fake.webhook_posts == []  # no target yet: Telegram cannot reach the bot
    fake.webhook_target = receiver.url
    await until(fake, lambda: len(fake.webhook_posts) == 1)
    ((path, secret, body),) = receiver.received
    assert (path, secret) == ("/telegram/hook?v=2", SECRET)
    assert body["message"]["text"] == "hello"
    assert fake.webhook_posts == [Post(body["update_id"], 200)]
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_a_post_not_answered_2xx_is_made_again(
    fake: FakeBotApi, bot: telegram.Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(URL, secret_token=SECRET)
    fake.webhook_target = receiver.url
    receiver.answers = [500, 403, 204]
    update = fake.send_text(CHAT, "again")
    await until(fake, lambda: fake.webhooks.delivered(update["update_id"]) == 1)
    assert [p.status for p in fake.webhook_posts] == [500, 403, 204]
    assert receiver.texts() == ["again"] * 3
    info = await bot.get_webhook_info()
    assert info.last_error_message == "Wrong response from the webhook: 403"


async def test_an_unreachable_target_is_retried_until_it_answers(
    fake: FakeBotApi, bot: telegram.Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(URL, secret_token=SECRET)
    with socket_without_listener() as port:
        fake.webhook_target = f"http://127.0.0.1:{port}"
        update = fake.send_text(CHAT, "patience")
        await until(fake, lambda: len(fake.webhook_posts) >= 1)
    assert fake.webhook_posts[0] == Post(update["update_id"], None)
    fake.webhook_target = receiver.url
    await until(fake, lambda: fake.webhooks.delivered(update["update_id"]) == 1)
    assert receiver.texts() == ["patience"]


async def test_posts_keep_each_chats_order_within_max_connections(
    fake: FakeBotApi, bot: telegram.Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(URL, secret_token=SECRET, max_connections=2)
    receiver.hold.clear()
    fake.webhook_target = receiver.url
    for chat in (1, 2, 3):
        for n in range(3):
            fake.send_text(chat, f"{chat}.{n}")
    await until(fake, lambda: len(receiver.received) == 2)
    assert receiver.texts() == ["1.0", "2.0"]  # one per chat, two at most
    receiver.hold.set()
    await until(fake, lambda: len(fake.webhook_posts) == 9)
    assert receiver.most_in_flight == 2
    for chat in (1, 2, 3):
        assert [t for t in receiver.texts() if t.startswith(f"{chat}.")] == [
            f"{chat}.{n}" for n in range(3)
        ]


async def test_only_allowed_updates_are_posted(
    fake: FakeBotApi, bot: telegram.Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(URL, secret_token=SECRET, allowed_updates=["callback_query"])
    fake.webhook_target = receiver.url
    fake.send_text(CHAT, "not wanted")
    fake.press(CHAT, 1, "wanted")
    await until(fake, lambda: len(fake.webhook_posts) == 1)
    assert [body["callback_query"]["data"] for _, _, body in receiver.received] == ["wanted"]


async def test_no_post_after_delete_webhook(
    fake: FakeBotApi, bot: telegram.Bot, receiver: Receiver
) -> None:
    await bot.set_webhook(URL, secret_token=SECRET)
    await bot.delete_webhook()
    fake.webhook_target = receiver.url
    fake.send_text(CHAT, "for getUpdates")
    (update,) = await bot.get_updates()
    assert json.loads(update.to_json())["message"]["text"] == "for getUpdates"
    assert fake.webhook_posts == []


@contextlib.contextmanager
def socket_without_listener() -> Iterator[int]:
    """A loopback port bound but not listening: a connection to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]
