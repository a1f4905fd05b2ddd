"""``digestbot run`` in webhook mode, as a real process: the fake Bot API posts the updates."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest
from botprocess import digestbot
from fakebotapi import FakeBotApi
from telegram import Update
from test_run_process import PATIENCE, bot_env

pytestmark = pytest.mark.slow

URL = "https://bot.example.org/telegram"
SECRET = "Webhook_secret-for-tests-0123456789"
PAPER = "/paper 2602.90003"
PAPER_TITLE = "Counting Commas"


def webhook_env(fake: FakeBotApi, db_path: Path, port: int = 0) -> dict[str, str]:
    return bot_env(fake, db_path) | {
        "WEBHOOK_URL": URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
    }


def assert_clean(log: str, fake: FakeBotApi) -> None:
    assert "Traceback" not in log
    assert "Unclosed" not in log  # every HTTP session and connection closed at shutdown
    assert fake.token.split(":")[1] not in log
    assert SECRET not in log


async def post(port: int, body: bytes, secret: str | None = SECRET) -> tuple[int, str]:
    """A POST to the bot's webhook, as anyone on the network could make it."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/telegram", data=body, headers=headers) as answer,
    ):
        return answer.status, await answer.text()


def message(update_id: int, chat_id: int, text: str) -> bytes:
    chat = {"id": chat_id, "type": "private", "first_name": "Eve"}
    sender = {"id": chat_id, "is_bot": False, "first_name": "Eve"}
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    payload = {"message_id": 1, "date": 1, "chat": chat, "from": sender, "text": text}
    return json.dumps(
        {"update_id": update_id, "message": payload | {"entities": entities}}
    ).encode()


async def test_webhook_mode_registers_answers_each_update_once_and_stops_cleanly(
    fake: FakeBotApi, db_path: Path
) -> None:
    async with digestbot(webhook_env(fake, db_path)) as bot:
        port = await bot.port()
        (registered,) = await fake.wait_for("setWebhook", timeout=PATIENCE, ok=True)
        fake.webhook_target = f"http://127.0.0.1:{port}"
        update = fake.send_text(1, PAPER)
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == 1, timeout=PATIENCE)
        assert fake.webhooks.delivered(update["update_id"]) == 1
        assert await bot.stop() == 0
    assert registered["url"] == URL
    assert registered["secret_token"] == SECRET
    assert registered["allowed_updates"] == list(Update.ALL_TYPES)
    assert registered["max_connections"] == 40
    assert fake.sent_to(1)[0].startswith(PAPER_TITLE)
    assert len(fake.sent_to(1)) == 1
    assert fake.polls == 0
    assert not fake.calls_to("deleteWebhook")  # Telegram keeps updates while the bot is down
    assert "digestbot is running" in bot.log
    assert_clean(bot.log, fake)


async def test_a_post_without_the_right_secret_or_not_an_update_is_refused_unprocessed(
    fake: FakeBotApi, db_path: Path
) -> None:
    for chat in (11, 12, 13, 14):
        fake.add_chat(chat)
    async with digestbot(webhook_env(fake, db_path)) as bot:
        port = await bot.port()
        await fake.wait_for("setWebhook", timeout=PATIENCE, ok=True)
        assert await post(port, message(900_001, 11, "/help"), secret=None) == (403, "forbidden")
        assert await post(port, message(900_002, 12, "/help"), secret="wrong") == (403, "forbidden")
        assert await post(port, message(900_003, 13, "/help"), secret=SECRET[:-1]) == (
            403,
            "forbidden",
        )
        for body in (b"{not json", b"\xff\xfe", b"[]", b'{"update_id": "1"}', b'{"message": {}}'):
            assert (await post(port, body))[0] == 400, body
        # Telegram repeats a post whose answer was late: the repeat is answered, not handled.
        assert await post(port, message(900_004, 14, "/help")) == (200, "ok")
        assert await post(port, message(900_004, 14, "/help")) == (200, "ok")
        # The refused chats have had their chance when the fake's own post is answered.
        fake.webhook_target = f"http://127.0.0.1:{port}"
        fake.send_text(15, "/help")
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == 15, timeout=PATIENCE)
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == 14, timeout=PATIENCE)
        assert await bot.stop() == 0
    assert {p["chat_id"] for p in fake.calls_to("sendMessage")} == {14, 15}
    assert len(fake.sent_to(14)) == 1
    assert_clean(bot.log, fake)


CHATS = 50
PER_CHAT = 20
AHEAD = 4
"""Updates a chat has sent beyond those answered. The bot keeps Telegram's one message a
second per private chat and lets a chat burst 10 updates, then one a second: a person who
stays 4 ahead of the answers is never taken for a flood, however slow the machine."""


async def test_1000_updates_from_50_chats_are_all_answered_once_in_order(
    fake: FakeBotApi, db_path: Path
) -> None:
    texts = [PAPER if n % 2 else "/help" for n in range(PER_CHAT)]
    chats = range(100, 100 + CHATS)
    for chat in chats:
        fake.add_chat(chat)
    async with digestbot(webhook_env(fake, db_path)) as bot:
        fake.webhook_target = f"http://127.0.0.1:{await bot.port()}"
        updates = await asyncio.gather(*(chat_user(fake, chat, texts) for chat in chats))
        assert await bot.stop() == 0
    for chat in chats:
        sent = fake.sent_to(chat)
        assert len(sent) == PER_CHAT, (chat, sent)
        assert [s.startswith(PAPER_TITLE) for s in sent] == [t == PAPER for t in texts]
    ids = [update_id for ids in updates for update_id in ids]
    assert len(ids) == CHATS * PER_CHAT
    assert all(fake.webhooks.delivered(update_id) == 1 for update_id in ids)
    assert all(p.status == 200 for p in fake.webhook_posts)
    assert_clean(bot.log, fake)


async def chat_user(fake: FakeBotApi, chat: int, texts: list[str]) -> list[int]:
    """Send ``texts`` in the chat, never more than ``AHEAD`` beyond the answers; their ids."""
    ids = []
    for n, text in enumerate(texts):
        if n >= AHEAD:
            await fake.wait_for(
                "sendMessage", n=n - AHEAD + 1, where=is_chat(chat), timeout=PATIENCE
            )
        ids.append(fake.send_text(chat, text)["update_id"])
    await fake.wait_for("sendMessage", n=len(texts), where=is_chat(chat), timeout=PATIENCE)
    return ids


def is_chat(chat: int) -> Callable[[dict[str, object]], bool]:
    return lambda params: params["chat_id"] == chat


async def test_without_webhook_url_the_same_database_deletes_the_webhook_and_polls(
    fake: FakeBotApi, db_path: Path
) -> None:
    async with digestbot(webhook_env(fake, db_path)) as bot:
        await fake.wait_for("setWebhook", timeout=PATIENCE, ok=True)
        assert await bot.stop() == 0
    fake.send_text(21, "/help")  # came while the bot was down, kept for it
    async with digestbot(bot_env(fake, db_path)) as bot:
        await fake.wait_for("sendMessage", where=is_chat(21), timeout=PATIENCE)
        assert await bot.stop() == 0
    methods = [call.method for call in fake.calls if "Webhook" in call.method]
    assert methods == ["setWebhook", "deleteWebhook"]
    assert fake.webhook_posts == []
    assert fake.polls > 0
    assert_clean(bot.log, fake)


async def test_a_port_in_use_is_one_sentence_and_exit_status_2(
    fake: FakeBotApi, db_path: Path
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        async with digestbot(webhook_env(fake, db_path, port)) as bot:
            status = await bot.ended()
    assert status == 2
    assert bot.lines[-1].strip() == (
        f"digestbot: cannot serve HTTP on 127.0.0.1:{port} (Address already in use)."
    )
    assert not fake.calls_to("setWebhook")
    assert_clean(bot.log, fake)


async def test_a_webhook_telegram_refuses_is_one_sentence_and_exit_status_2(
    fake: FakeBotApi, db_path: Path
) -> None:
    unknown_host = "Bad Request: bad webhook: Failed to resolve host: Name or service not known"
    fake.fail_next("setWebhook", 400, unknown_host)
    async with digestbot(webhook_env(fake, db_path)) as bot:
        status = await bot.ended()
    assert status == 2
    assert bot.lines[-1].strip() == (
        f"digestbot: Telegram refused the webhook {URL}: "
        "Bad webhook: failed to resolve host: name or service not known."
    )
    assert_clean(bot.log, fake)
