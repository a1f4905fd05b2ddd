"""The fake Bot API's inline mode, driven by a real python-telegram-bot ``Bot``."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter warns without it (ptb-notes P1)

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import telegram
from fakebotapi import FakeBotApi
from fakebotapi.errors import QUERY_TOO_OLD
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    KeyboardButton,
    ReplyKeyboardMarkup,
)
from telegram.error import BadRequest

PERSON = 42


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def fake(clock: Clock) -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(clock=clock) as server:
        server.set_inline_mode()
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(fake.token, base_url=fake.base_url) as client:
        yield client


def article(result_id: str = "1", text: str = "<b>card</b>", **fields: Any) -> Any:
    content = InputTextMessageContent(text, parse_mode="HTML")
    return InlineQueryResultArticle(result_id, fields.pop("title", "A title"), content, **fields)


def as_ptb_message(description: str) -> str:
    """What PTB's TelegramError makes of a description: prefix dropped, then str.capitalize()."""
    return description.removeprefix("Bad Request: ").capitalize()


async def test_fakebotapi_inline_query_reaches_ptb_as_telegram_sends_it(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    query_id = fake.inline_query(PERSON, "graph 剪枝", offset="50", chat_type="supergroup")
    (update,) = await bot.get_updates(timeout=0)
    query = update.inline_query
    assert (query.id, query.query, query.offset) == (query_id, "graph 剪枝", "50")
    assert (query.from_user.id, query.chat_type) == (PERSON, "supergroup")
    assert update.effective_chat is None


async def test_fakebotapi_inline_mode_is_off_until_turned_on() -> None:
    async with FakeBotApi() as fake, telegram.Bot(fake.token, base_url=fake.base_url) as bot:
        assert (await bot.get_me()).supports_inline_queries is False
        with pytest.raises(ValueError, match="no inline mode"):
            fake.inline_query(PERSON, "x")
        assert fake.updates.pending == []
        fake.set_inline_mode()
        assert (await bot.get_me()).supports_inline_queries is True


@pytest.mark.parametrize(
    ("query", "chat_type", "error"),
    [("x" * 257, "private", "at most 256 characters"), ("x", "secret", "chat_type must be")],
)
def test_fakebotapi_inline_query_sends_only_what_telegram_can(
    query: str, chat_type: str, error: str
) -> None:
    fake = FakeBotApi()
    fake.set_inline_mode()
    with pytest.raises(ValueError, match=error):
        fake.inline_query(PERSON, query, chat_type=chat_type)


async def test_fakebotapi_answer_is_kept_as_telegram_shows_it(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    query_id = fake.inline_query(PERSON, "card")
    url = InlineKeyboardMarkup([[InlineKeyboardButton("Open", url="https://t.me/x?start=p_1")]])
    results = [article("a", "<b>Card</b> &amp; more", reply_markup=url), article("b")]
    assert await bot.answer_inline_query(
        query_id, results, cache_time=5, is_personal=True, next_offset="s50"
    )
    answer = fake.inline_answer(query_id)
    assert answer is not None
    assert (answer["next_offset"], answer["cache_time"], answer["is_personal"]) == ("s50", 5, True)
    first = answer["results"][0]
    assert (first["id"], first["title"]) == ("a", "A title")
    assert first["message"]["text"] == "Card & more"
    assert first["message"]["entities"] == [{"type": "bold", "offset": 0, "length": 4}]
    assert first["message"]["reply_markup"] == url.to_dict()
    assert fake.inline_answer("unknown") is None


async def test_fakebotapi_answer_defaults_as_the_bot_api_does(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    query_id = fake.inline_query(PERSON, "")
    assert await bot.answer_inline_query(query_id, [], cache_time=999_999)
    assert fake.inline_answer(query_id) == {
        "results": [],
        "next_offset": "",
        "cache_time": 86_400,
        "is_personal": False,
        "button": None,
    }


def many(count: int) -> list[Any]:
    return [article(str(n)) for n in range(count)]


@pytest.mark.parametrize(
    ("results", "extra", "description"),
    [
        (many(51), {}, "Too many inline query results specified"),
        ([article("1"), article("1")], {}, "RESULT_ID_DUPLICATE"),
        ([article("x" * 65)], {}, "RESULT_ID_INVALID"),
        ([article("é" * 33)], {}, "RESULT_ID_INVALID"),  # 66 bytes
        ([article("")], {}, "RESULT_ID_INVALID"),
        ([article(title=" ")], {}, "ARTICLE_TITLE_EMPTY"),
        ([article(text="a < b")], {}, 'Unsupported start tag "" at byte offset 2'),
        ([article(text="<b>x")], {}, "Can't find end tag corresponding to start tag"),
        ([article(text="x" * 4097)], {}, "MESSAGE_TOO_LONG"),
        ([article(text="<b> </b>\n")], {}, "MESSAGE_EMPTY"),
        (
            [article(reply_markup=ReplyKeyboardMarkup([[KeyboardButton("no")]]))],
            {},
            "Inline keyboard expected",
        ),
        (
            [
                article(
                    reply_markup=InlineKeyboardMarkup(
                        [[InlineKeyboardButton("x", callback_data="d" * 65)]]
                    )
                )
            ],
            {},
            "BUTTON_DATA_INVALID",
        ),
        ([article()], {"next_offset": "9" * 65}, "NEXT_OFFSET_INVALID"),
        (
            [article()],
            {"button": InlineQueryResultsButton("Open", start_parameter="p.1")},
            "START_PARAM_INVALID",
        ),
        (
            [article()],
            {"button": InlineQueryResultsButton("Open")},
            "InlineQueryResultsButton must have exactly one optional field",
        ),
    ],
)
async def test_fakebotapi_answer_rejects_what_telegram_rejects(
    bot: telegram.Bot,
    fake: FakeBotApi,
    results: list[Any],
    extra: dict[str, Any],
    description: str,
) -> None:
    query_id = fake.inline_query(PERSON, "x")
    with pytest.raises(BadRequest) as caught:
        await bot.answer_inline_query(query_id, results, **extra)
    assert description.lower() in caught.value.message.lower()
    assert fake.inline_answer(query_id) is None
    assert await bot.answer_inline_query(query_id, [article()])  # a refusal keeps the query open


async def test_fakebotapi_accepts_fifty_results_of_full_length(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    query_id = fake.inline_query(PERSON, "x")
    results = [article(f"{n:064d}", "x" * 4096) for n in range(50)]
    assert await bot.answer_inline_query(query_id, results, next_offset="9" * 64)
    assert len(fake.inline_answer(query_id)["results"]) == 50


async def test_fakebotapi_inline_query_takes_one_answer(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    query_id = fake.inline_query(PERSON, "x")
    assert await bot.answer_inline_query(query_id, [article("first")])
    with pytest.raises(BadRequest) as caught:
        await bot.answer_inline_query(query_id, [article("second")])
    assert caught.value.message == as_ptb_message("Bad Request: " + QUERY_TOO_OLD)
    assert fake.inline_answer(query_id)["results"][0]["id"] == "first"


@pytest.mark.parametrize(("waited", "accepted"), [(10.0, True), (10.001, False)])
async def test_fakebotapi_inline_query_expires_ten_seconds_after_it_was_sent(
    bot: telegram.Bot, fake: FakeBotApi, clock: Clock, waited: float, accepted: bool
) -> None:
    query_id = fake.inline_query(PERSON, "x")
    clock.now += waited
    if accepted:
        assert await bot.answer_inline_query(query_id, [])
    else:
        with pytest.raises(BadRequest, match="Query is too old"):
            await bot.answer_inline_query(query_id, [])


async def test_fakebotapi_unknown_inline_query_is_too_old(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_inline_query("4000000000000000001", [])


@pytest.mark.parametrize(
    ("results", "description"),
    [
        ({"type": "article"}, "Expected an Array of inline query results"),
        ([{"type": "photo", "id": "1"}], "the fake Bot API implements only article results"),
        ([{"type": "article", "id": "1", "title": "t"}], 'Can\'t find field "message_text"'),
        (["x"], "Inline query result must be an object"),
        (
            [{"type": "article", "id": 1, "title": "t", "input_message_content": {}}],
            'Field "id" must be of type String',
        ),
        (
            [{"type": "article", "id": "1", "title": "t", "input_message_content": {}}],
            "Input message content is not specified",
        ),
    ],
)
async def test_fakebotapi_answer_checks_the_shape_of_raw_results(
    fake: FakeBotApi, results: Any, description: str
) -> None:
    query_id = fake.inline_query(PERSON, "x")
    url = f"{fake.base_url}{fake.token}/answerInlineQuery"
    fields = {"inline_query_id": query_id, "results": json.dumps(results)}
    async with aiohttp.ClientSession() as session, session.post(url, data=fields) as response:
        body = await response.json()
    assert response.status == 400
    assert description in body["description"]
