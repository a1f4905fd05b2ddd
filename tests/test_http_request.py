"""The aiohttp networking backend: what PTB expects of it, against servers on 127.0.0.1."""

import asyncio
import socket
import ssl
from collections.abc import AsyncIterator

import pytest
from fakebotapi import FakeBotApi
from telegram import Bot, InputFile
from telegram.error import Forbidden, NetworkError, TimedOut

from bot.http_request import AiohttpRequest, tls_context


def bot_on(base_url: str, token: str, **timeouts: float) -> Bot:
    return Bot(token, base_url=base_url, request=AiohttpRequest(connections=2, **timeouts))


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """A port that accepts connections and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)

    server = await asyncio.start_server(hold, "127.0.0.1", 0)
    yield server.sockets[0].getsockname()[1]
    for writer in held:
        writer.close()
    server.close()
    await server.wait_closed()


async def test_requests_reach_the_bot_api_and_sessions_close(fake: FakeBotApi) -> None:
    fake.send_text(7, "/start")
    bot = bot_on(fake.base_url, fake.token)
    async with bot:
        me = await bot.get_me()
        sent = await bot.send_message(7, "<b>hello</b>", parse_mode="HTML")
    assert me.username == "digest_test_bot"
    assert sent.text == "hello"
    assert [c.method for c in fake.calls] == ["getMe", "getMe", "sendMessage"]
    assert fake.sent_to(7) == ["hello"]


async def test_an_api_error_keeps_its_status_and_description(fake: FakeBotApi) -> None:
    bot = bot_on(fake.base_url, fake.token)
    async with bot:
        fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
        with pytest.raises(Forbidden, match="bot was blocked by the user"):
            await bot.send_message(7, "hi")


async def test_an_unreachable_server_is_a_network_error_without_the_token() -> None:
    port = closed_port()
    token = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghi"
    bot = bot_on(f"http://127.0.0.1:{port}/bot", token)
    with pytest.raises(NetworkError) as caught:
        await bot.initialize()
    await bot.shutdown()
    assert f"cannot connect to 127.0.0.1:{port}" in caught.value.message
    assert token.split(":")[1] not in caught.value.message


async def test_a_server_that_never_answers_times_out(silent_server: int) -> None:
    bot = bot_on(f"http://127.0.0.1:{silent_server}/bot", "123456:ABCDEF", read_timeout=0.2)
    with pytest.raises(TimedOut):
        await bot.initialize()
    await bot.shutdown()


async def test_an_upload_goes_as_multipart_with_every_parameter(fake: FakeBotApi) -> None:
    fake.send_text(7, "/saved export csv")
    document = InputFile("id,title\r\n2510.19260,Ü & 剪枝\r\n".encode(), filename="saved.csv")
    document.mimetype = "text/csv"
    bot = bot_on(fake.base_url, fake.token)
    async with bot:
        sent = await bot.send_document(
            7, document, caption="<b>1</b> paper", parse_mode="HTML", reply_to_message_id=1
        )
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.mime_type) == ("saved.csv", "text/csv")
    assert (sent.caption, sent.reply_to_message is not None) == ("1 paper", True)
    assert fake.file_bytes(fake.last_message(7)).decode() == "id,title\r\n2510.19260,Ü & 剪枝\r\n"


async def test_a_stalled_upload_times_out(silent_server: int) -> None:
    """A server that stops reading holds the upload's body, which no read timeout covers: the
    request's overall limit (connect, pool, write and read timeouts together) ends it."""
    timeouts = {"connect_timeout": 0.2, "pool_timeout": 0.2, "read_timeout": 0.2}
    bot = bot_on(f"http://127.0.0.1:{silent_server}/bot", "123456:ABCDEF", **timeouts)
    with pytest.raises(TimedOut):
        await bot.initialize()  # getMe is never answered; the sessions are open all the same
    with pytest.raises(TimedOut):
        await bot.send_document(7, b"x" * 50_000_000, filename="big.bin", write_timeout=0.2)
    await bot.shutdown()


async def test_the_environment_proxy_is_used(
    fake: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The fake serves absolute-form requests too, so it can stand in for a proxy: a host that
    # does not exist is reached only if the request went through it.
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{fake.port}")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    bot = bot_on("http://telegram.invalid/bot", fake.token)
    async with bot:
        me = await bot.get_me()
    assert me.username == "digest_test_bot"


async def test_no_proxy_hosts_are_reached_directly(
    fake: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    bot = bot_on(fake.base_url, fake.token)
    async with bot:
        me = await bot.get_me()
    assert me.username == "digest_test_bot"


def test_tls_checks_certificates_against_a_ca_bundle() -> None:
    context = tls_context()
    assert context.verify_mode is ssl.CERT_REQUIRED
    assert context.check_hostname
    assert len(context.get_ca_certs()) > 50
