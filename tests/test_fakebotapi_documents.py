"""The fake Bot API's sendDocument: uploads as Telegram takes them, and what it refuses."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter warns without it (ptb-notes P1)

from collections.abc import AsyncIterator
from contextlib import nullcontext
from typing import Any

import aiohttp
import pytest
import telegram
from fakebotapi import FakeBotApi
from fakebotapi.documents import MAX_UPLOAD_BYTES
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, Forbidden, NetworkError

CHAT = 42


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        server.add_chat(CHAT, first_name="Ada")
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(fake.token, base_url=fake.base_url) as client:
        yield client


def bib(data: bytes = b"@misc{k, title = {T}}\n", name: str = "saved.bib") -> InputFile:
    document = InputFile(data, filename=name)
    document.mimetype = "application/x-bibtex"
    return document


async def post(fake: FakeBotApi, form: aiohttp.FormData | dict[str, str]) -> tuple[int, Any]:
    url = f"{fake.base_url}{fake.token}/sendDocument"
    async with aiohttp.ClientSession() as session, session.post(url, data=form) as response:
        return response.status, await response.json()


async def test_fakebotapi_document_upload_keeps_name_type_bytes_and_caption(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    sent = await bot.send_document(CHAT, bib(), caption="<b>3</b> saved papers", parse_mode="HTML")
    assert sent.document is not None
    assert (sent.document.file_name, sent.document.mime_type, sent.document.file_size) == (
        "saved.bib",
        "application/x-bibtex",
        22,
    )
    assert (sent.caption, [e.type for e in sent.caption_entities]) == ("3 saved papers", ["bold"])
    message = fake.last_message(CHAT)
    assert fake.file_bytes(message) == b"@misc{k, title = {T}}\n"
    assert fake.sent_to(CHAT) == ["3 saved papers"]
    (params,) = fake.calls_to("sendDocument")
    assert repr(params["document"]) == "Upload('saved.bib', 'application/x-bibtex', 22 bytes)"


async def test_fakebotapi_document_is_sent_again_by_its_file_id(bot: telegram.Bot) -> None:
    first = await bot.send_document(CHAT, bib())
    assert first.document is not None
    again = await bot.send_document(CHAT, first.document.file_id)
    assert again.document == first.document
    with pytest.raises(BadRequest, match=r"^Wrong file identifier/http url specified$"):
        await bot.send_document(CHAT, "BQACnotAFileTheBotSent")


@pytest.mark.parametrize(
    ("form", "description"),
    [
        ({"chat_id": str(CHAT)}, "Bad Request: there is no document in the request"),
        (
            {"chat_id": str(CHAT), "document": ""},
            "Bad Request: there is no document in the request",
        ),
        (
            {"chat_id": str(CHAT), "document": "not a file"},
            "Bad Request: wrong file identifier/HTTP URL specified",
        ),
    ],
)
async def test_fakebotapi_document_must_be_a_file(
    fake: FakeBotApi, form: dict[str, str], description: str
) -> None:
    assert await post(fake, form) == (
        400,
        {"ok": False, "error_code": 400, "description": description},
    )


async def test_fakebotapi_multipart_part_without_a_file_name_is_no_file(fake: FakeBotApi) -> None:
    """As for Telegram: only a part with a file name is an upload; this one is a string."""
    form = aiohttp.FormData()
    form.add_field("chat_id", str(CHAT))
    form.add_field("document", "@misc{k}", content_type="application/x-bibtex")
    status, body = await post(fake, form)
    assert (status, body["description"]) == (
        400,
        "Bad Request: wrong file identifier/HTTP URL specified",
    )


async def test_fakebotapi_document_must_not_be_empty(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match=r"^File must be non-empty$"):
        await bot.send_document(CHAT, bib(b""))


@pytest.mark.parametrize(
    ("size", "accepted"),
    [
        (MAX_UPLOAD_BYTES, True),
        (MAX_UPLOAD_BYTES + 1, False),
        (MAX_UPLOAD_BYTES + 2_000_000, False),
    ],
    ids=["50-MB", "50-MB-and-a-byte", "over-the-body-limit"],
)
async def test_fakebotapi_document_is_at_most_50_mb(
    bot: telegram.Bot, fake: FakeBotApi, size: int, accepted: bool
) -> None:
    """A file one byte over is refused by its size, a bigger body while it is read: both 413."""
    refused = pytest.raises(NetworkError, match=r"^Request Entity Too Large$")
    with nullcontext() if accepted else refused:
        await bot.send_document(CHAT, bib(b"x" * size), write_timeout=60, read_timeout=60)
    assert len(fake.calls_to("sendDocument", ok=True)) == int(accepted)


@pytest.mark.parametrize(
    ("caption", "accepted"),
    [
        ("a" * 1024, True),
        ("<b>" + "字" * 1024 + "</b>", True),
        ("a" * 1025, False),
        ("&lt;" * 1025, False),
    ],
    ids=["1024", "tags-not-counted", "1025", "entities-count-once"],
)
async def test_fakebotapi_document_caption_is_at_most_1024_characters_after_parsing(
    bot: telegram.Bot, caption: str, accepted: bool
) -> None:
    refused = pytest.raises(BadRequest, match=r"^Message caption is too long$")
    with nullcontext() if accepted else refused:
        await bot.send_document(CHAT, bib(), caption=caption, parse_mode="HTML")


async def test_fakebotapi_document_caption_html_is_checked_like_a_text(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match=r"^Can't parse entities: unsupported start tag"):
        await bot.send_document(CHAT, bib(), caption="a < b", parse_mode="HTML")
    blank = await bot.send_document(CHAT, bib(), caption=" <b></b> ", parse_mode="HTML")
    assert blank.caption is None


async def test_fakebotapi_document_goes_only_to_a_reachable_chat(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await bot.send_document(CHAT + 1, bib())
    fake.block(CHAT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_document(CHAT, bib())


async def test_fakebotapi_document_keyboard_is_checked(bot: telegram.Bot) -> None:
    too_long = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await bot.send_document(CHAT, bib(), reply_markup=too_long)


async def test_fakebotapi_document_has_no_text_to_edit(bot: telegram.Bot) -> None:
    sent = await bot.send_document(CHAT, bib(), caption="file")
    with pytest.raises(BadRequest, match=r"^There is no text in the message to edit$"):
        await bot.edit_message_text("text", CHAT, sent.message_id)
