"""The fake Bot API server, driven by a real python-telegram-bot ``Bot`` over loopback HTTP."""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")  # RetryAfter warns without it (ptb-notes P1)

import asyncio
import datetime as dtm
import json
from collections.abc import AsyncIterator
from contextlib import nullcontext
from typing import Any

import aiohttp
import pytest
import telegram
from fakebotapi import ApiError, FakeBotApi
from fakebotapi.errors import NOT_MODIFIED, QUERY_TOO_OLD
from fakebotapi.html import HtmlParseError, parse_html
from telegram import BotCommand, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes

CHAT = 42
GROUP = -1001234567890
LONG_POLL = 600
"""A getUpdates timeout no test waits out: a poll that ends did so for another reason."""
GUARD = 30
"""Seconds before a wait that should end at once is taken for a hang."""


class Clock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        server.add_chat(CHAT, first_name="Ada")
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[telegram.Bot]:
    async with telegram.Bot(fake.token, base_url=fake.base_url) as client:
        yield client


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d[:10], callback_data=d)] for d in data])


def as_ptb_message(description: str) -> str:
    """What PTB's TelegramError makes of a description: prefix dropped, then str.capitalize()."""
    return description.removeprefix("Bad Request: ").capitalize()


@pytest.mark.parametrize(
    ("html", "text", "entities"),
    [
        ("<b>x</b>", "x", [{"type": "bold", "offset": 0, "length": 1}]),
        ("<B>x</B>", "x", [{"type": "bold", "offset": 0, "length": 1}]),
        ("&nbsp;", "&nbsp;", []),
        ("1 > 0 & 2 &amp", "1 > 0 & 2 &", []),
        ("&lt;&gt;&quot;&#60;&#x3C;", '<>"<<', []),
        ('<a href="https://x">y</a>', "y", [{"type": "text_link", "url": "https://x/"}]),
        ('<span class="tg-spoiler">s</span>', "s", [{"type": "spoiler", "offset": 0, "length": 1}]),
        ("<blockquote expandable>q</blockquote>", "q", [{"type": "expandable_blockquote"}]),
        ('<pre><code class="language-py">x</code></pre>', "x", [{"type": "pre", "language": "py"}]),
        ("<b>a</b><b>b</b>", "ab", [{"type": "bold", "offset": 0, "length": 2}]),
        ("<code><b>x</b></code>", "x", [{"type": "code", "offset": 0, "length": 1}]),
        ("😀<i>x</i>", "😀x", [{"type": "italic", "offset": 2, "length": 1}]),
        ("é剪😀&x<i>y</i>", "é剪😀&xy", [{"type": "italic", "offset": 6, "length": 1}]),
        ("  \n<u>x</u>\n\n", "x", [{"type": "underline", "offset": 0, "length": 1}]),
        ("<b></b>y", "y", []),
    ],
)
async def test_fakebotapi_html_accepts_what_telegram_accepts(
    bot: telegram.Bot, html: str, text: str, entities: list[dict[str, Any]]
) -> None:
    message = await bot.send_message(CHAT, html, parse_mode="HTML")
    assert message.text == text
    got = [entity.to_dict() for entity in message.entities]
    assert len(got) == len(entities)
    for actual, expected in zip(got, entities, strict=True):
        assert actual.items() >= expected.items()


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("I <3 it", 'Unsupported start tag "3" at byte offset 2'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("é <p>", 'Unsupported start tag "p" at byte offset 3'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("</b>", "Unexpected end tag at byte offset 0"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<a href=https://x>y</a>", "Unexpected end of name token at byte offset 8"),
        ('<b ="x">y</b>', 'Empty attribute name in the tag "b" at byte offset 0'),
        ('<tg-emoji emoji-id="01">x</tg-emoji>', "Invalid custom emoji identifier specified"),
        (
            "&#xD83D;",
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units",
        ),
    ],
)
def test_parse_html_rejects_with_tdlib_wording(html: str, error: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(html)
    assert str(caught.value) == error


@pytest.mark.parametrize(
    ("html", "description"),
    [
        ("a < b", 'Bad Request: can\'t parse entities: Unsupported start tag "" at byte offset 2'),
        ("<b></b>", "Bad Request: text must be non-empty"),
        (" \n ", "Bad Request: text must be non-empty"),
        ("a" * 4097, "Bad Request: message is too long"),
    ],
)
async def test_fakebotapi_send_message_rejects_as_bad_request(
    bot: telegram.Bot, fake: FakeBotApi, html: str, description: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(CHAT, html, parse_mode="HTML")
    assert caught.value.message == as_ptb_message(description)
    assert fake.sent_to(CHAT) == []


@pytest.mark.parametrize(
    ("html", "accepted"),
    [
        ("a" * 4096, True),
        ("a" * 4097, False),
        ("字" * 4096, True),
        ("字" * 4097, False),
        ("😀" * 4096, True),
        ("😀" * 4097, False),
        ("<b>" + "a" * 4096 + "</b>", True),
        ("&lt;" * 4096, True),
        ("&lt;" * 4097, False),
        ("a" * 4096 + "\n\n  ", True),
    ],
    ids=[
        "latin-4096",
        "latin-4097",
        "cjk-4096",
        "cjk-4097",
        "emoji-4096",
        "emoji-4097",
        "tags-not-counted",
        "entity-counts-once",
        "entity-4097",
        "trailing-space-trimmed",
    ],
)
async def test_fakebotapi_counts_length_in_code_points_after_parsing(
    bot: telegram.Bot, html: str, accepted: bool
) -> None:
    refused = pytest.raises(BadRequest, match=r"^Message is too long$")
    with nullcontext() if accepted else refused:
        await bot.send_message(CHAT, html, parse_mode="HTML")


@pytest.mark.parametrize(
    ("data", "accepted"),
    [("x" * 64, True), ("x" * 65, False), ("字" * 21, True), ("字" * 22, False)],
    ids=["64-bytes", "65-bytes", "63-bytes-cjk", "66-bytes-cjk"],
)
async def test_fakebotapi_limits_callback_data_to_64_bytes(
    bot: telegram.Bot, data: str, accepted: bool
) -> None:
    refused = pytest.raises(BadRequest, match=r"^Button_data_invalid$")
    with nullcontext() if accepted else refused:
        await bot.send_message(CHAT, "pick", reply_markup=keyboard(data))


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        (
            {"inline_keyboard": [[{"text": "a"}]]},
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
        (
            {"inline_keyboard": [[{"text": "a", "callback_data": "x", "url": "https://x"}]]},
            "Bad Request: can't parse inline keyboard button: "
            "exactly one of the optional fields must be used",
        ),
        (
            {"inline_keyboard": [[{"text": "", "callback_data": "x"}]]},
            "Bad Request: BUTTON_TEXT_INVALID",
        ),
        (
            {"inline_keyboard": [[{"text": "a", "callback_data": str(i)}] for i in range(101)]},
            "Bad Request: reply markup is too long",
        ),
        (
            {"inline_keyboard": {"text": "a"}},
            'Bad Request: Field "inline_keyboard" of the InlineKeyboardMarkup must be an Array',
        ),
        ("{not json", "Bad Request: can't parse reply keyboard markup JSON object"),
    ],
)
async def test_fakebotapi_rejects_malformed_keyboards(
    fake: FakeBotApi, markup: Any, description: str
) -> None:
    status, body = await raw_call(
        fake, "sendMessage", {"chat_id": CHAT, "text": "x", "reply_markup": markup}
    )
    assert (status, body["description"]) == (400, description)


async def test_fakebotapi_accepts_a_full_100_button_keyboard(bot: telegram.Bot) -> None:
    message = await bot.send_message(CHAT, "x", reply_markup=keyboard(*map(str, range(100))))
    assert len(message.reply_markup.inline_keyboard) == 100


async def test_fakebotapi_edit_with_same_content_is_not_modified(bot: telegram.Bot) -> None:
    sent = await bot.send_message(
        CHAT, "<b>page 1</b>", parse_mode="HTML", reply_markup=keyboard("n")
    )
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text(
            "<b>page 1</b>", CHAT, sent.message_id, parse_mode="HTML", reply_markup=keyboard("n")
        )
    assert caught.value.message == as_ptb_message("Bad Request: " + NOT_MODIFIED)
    with pytest.raises(BadRequest, match="Message is not modified"):
        await bot.edit_message_reply_markup(CHAT, sent.message_id, reply_markup=keyboard("n"))


async def test_fakebotapi_edit_changes_text_markup_and_formatting(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    sent = await bot.send_message(CHAT, "page 1", reply_markup=keyboard("n"))
    bold = await bot.edit_message_text(
        "<b>page 1</b>", CHAT, sent.message_id, parse_mode="HTML", reply_markup=keyboard("n")
    )
    plain = await bot.edit_message_text("page 2", CHAT, sent.message_id)
    assert [e.type for e in bold.entities] == ["bold"]
    assert plain.reply_markup is None  # an edit without reply_markup drops the keyboard
    assert fake.sent_to(CHAT) == ["page 2"]
    assert fake.last_message(CHAT)["edit_date"] > 0


@pytest.mark.parametrize(
    ("chat_id", "message_id", "description"),
    [
        (CHAT, 999, "Bad Request: message to edit not found"),
        (7, 1, "Bad Request: chat not found"),
    ],
)
async def test_fakebotapi_edit_of_unknown_message_is_rejected(
    bot: telegram.Bot, chat_id: int, message_id: int, description: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.edit_message_text("x", chat_id, message_id)
    assert caught.value.message == as_ptb_message(description)


async def test_fakebotapi_sending_to_an_unknown_chat_is_chat_not_found(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await bot.send_message(CHAT + 1, "hello")


async def test_fakebotapi_transcript_follows_edits_and_deletes(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    first = await bot.send_message(CHAT, "one")
    second = await bot.send_message(CHAT, "two &amp; <i>2</i>", parse_mode="HTML")
    await bot.edit_message_text("uno", CHAT, first.message_id)
    assert fake.sent_to(CHAT) == ["uno", "two & 2"]
    assert await bot.delete_message(CHAT, first.message_id)
    assert fake.sent_to(CHAT) == ["two & 2"]
    assert fake.messages[(CHAT, second.message_id)]["from"]["is_bot"] is True
    with pytest.raises(BadRequest, match="Message to delete not found"):
        await bot.delete_message(CHAT, first.message_id)


@pytest.mark.parametrize(
    ("status", "description", "parameters", "exception"),
    [
        (429, "Too Many Requests: retry after 1", {"retry_after": 1}, RetryAfter),
        (403, "Forbidden: bot was blocked by the user", {}, Forbidden),
        (400, "Bad Request: chat not found", {}, BadRequest),
        (
            400,
            "Bad Request: group chat was upgraded to a supergroup chat",
            {"migrate_to_chat_id": GROUP},
            ChatMigrated,
        ),
        (409, "Conflict: terminated by other getUpdates request", {}, Conflict),
        (401, "Unauthorized", {}, InvalidToken),
        (500, "Internal Server Error", {}, NetworkError),
        (502, "Bad Gateway", {}, NetworkError),
    ],
)
async def test_fakebotapi_injected_faults_map_to_ptb_exceptions(
    bot: telegram.Bot,
    fake: FakeBotApi,
    status: int,
    description: str,
    parameters: dict[str, int],
    exception: type[Exception],
) -> None:
    fake.fail_next("sendMessage", status, description, **parameters)
    with pytest.raises(exception) as caught:
        await bot.send_message(CHAT, "x")
    assert type(caught.value) is exception
    assert (await bot.send_message(CHAT, "y")).text == "y"
    assert fake.sent_to(CHAT) == ["y"]
    assert len(fake.calls_to("sendMessage", ok=False)) == 1


async def test_fakebotapi_retry_after_and_migration_carry_their_parameters(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
    with pytest.raises(RetryAfter) as retry:
        await bot.send_message(CHAT, "x")
    fake.migrate(-55, GROUP)
    with pytest.raises(ChatMigrated) as migrated:
        await bot.send_message(-55, "x")
    assert retry.value.retry_after == dtm.timedelta(seconds=3)
    assert migrated.value.new_chat_id == GROUP
    assert (await bot.send_message(GROUP, "moved")).chat.type == "supergroup"


async def test_fakebotapi_faults_can_target_one_chat_several_times(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    fake.add_chat(43)
    fake.fail_next(
        "SENDMESSAGE", 403, "Forbidden: bot was blocked by the user", chat_id=43, times=2
    )
    await bot.send_message(CHAT, "a")
    for _ in range(2):
        with pytest.raises(Forbidden):
            await bot.send_message(43, "b")
    await bot.send_message(43, "c")
    assert (fake.sent_to(CHAT), fake.sent_to(43)) == (["a"], ["c"])


async def test_fakebotapi_dropped_connection_is_a_network_error(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    fake.drop_next("sendMessage")
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(CHAT, "x")
    assert type(caught.value) is NetworkError
    assert "RemoteProtocolError" in caught.value.message
    assert (await bot.send_message(CHAT, "again")).text == "again"


async def test_fakebotapi_blocked_chat_refuses_every_write_until_unblocked(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    sent = await bot.send_message(CHAT, "hi")
    fake.block(CHAT)
    calls = [
        bot.send_message(CHAT, "x"),
        bot.edit_message_text("y", CHAT, sent.message_id),
        bot.send_chat_action(CHAT, "typing"),
    ]
    for call in calls:
        with pytest.raises(Forbidden, match="Forbidden: bot was blocked by the user"):
            await call
    fake.unblock(CHAT)
    assert await bot.send_chat_action(CHAT, "typing")


async def test_fakebotapi_left_group_is_forbidden(bot: telegram.Bot, fake: FakeBotApi) -> None:
    fake.add_chat(GROUP, title="Lab")
    assert await bot.leave_chat(GROUP)
    with pytest.raises(Forbidden, match="bot is not a member of the supergroup chat"):
        await bot.send_message(GROUP, "x")


async def test_fakebotapi_rate_enforcement_answers_429_like_telegram() -> None:
    clock = Clock()
    async with (
        FakeBotApi(clock=clock) as fake,
        telegram.Bot(fake.token, base_url=fake.base_url) as bot,
    ):
        fake.enforce_rate(per_second=3, per_chat_per_second=1, group_per_minute=2)
        for chat_id in (1, 2, GROUP):
            fake.add_chat(chat_id)
        await bot.send_message(1, "a")
        with pytest.raises(RetryAfter) as same_chat:
            await bot.send_message(1, "b")
        await bot.send_message(2, "c")
        await bot.send_message(GROUP, "d")
        with pytest.raises(RetryAfter):
            await bot.send_message(GROUP, "overall limit")
        clock.now += 1.0
        await bot.send_message(GROUP, "e")
        with pytest.raises(RetryAfter) as group:
            await bot.send_message(GROUP, "f")
        assert same_chat.value.retry_after == dtm.timedelta(seconds=1)
        assert group.value.retry_after == dtm.timedelta(seconds=59)
        assert fake.rate_limited == 3
        assert fake.sent_to(GROUP) == ["d", "e"]


async def test_fakebotapi_user_text_reaches_ptb_with_command_entities(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    fake.send_text(CHAT, "😀 /paper 2510.19260")
    fake.send_text(GROUP, "/search@digest_test_bot 剪枝", user_id=7, chat_type="supergroup")
    first, second = await bot.get_updates(timeout=0)
    assert first.message.text == "😀 /paper 2510.19260"
    assert first.message.parse_entities(["bot_command"]).popitem()[1] == "/paper"
    assert first.message.entities[0].offset == 3
    assert first.message.from_user.id == CHAT
    assert second.effective_chat.type == "supergroup"
    assert second.message.parse_entity(second.message.entities[0]) == "/search@digest_test_bot"
    assert second.effective_user.id == 7


async def test_fakebotapi_pushed_updates_must_be_valid_for_ptb(fake: FakeBotApi) -> None:
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'type'"):
        fake.send_text(CHAT, "x", chat={"id": CHAT})
    assert fake.updates.pending == []


async def test_fakebotapi_get_updates_long_poll_wakes_on_push(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    assert await bot.get_updates(timeout=0) == ()
    poll = asyncio.create_task(bot.get_updates(timeout=LONG_POLL))
    assert await fake.changed.wait_until(lambda: fake.polls == 1, GUARD)
    fake.send_text(CHAT, "hello")
    updates = await asyncio.wait_for(poll, GUARD)
    assert [update.message.text for update in updates] == ["hello"]


async def test_fakebotapi_get_updates_respects_offset(bot: telegram.Bot, fake: FakeBotApi) -> None:
    first = fake.send_text(CHAT, "one")
    second = fake.send_text(CHAT, "two")
    assert len(await bot.get_updates(timeout=0)) == 2
    confirmed = await bot.get_updates(offset=second["update_id"], timeout=0)
    again = await bot.get_updates(timeout=0)
    assert [u.update_id for u in confirmed] == [u.update_id for u in again] == [second["update_id"]]
    assert first["update_id"] + 1 == second["update_id"]
    assert await bot.get_updates(offset=second["update_id"] + 1, timeout=0) == ()


async def test_fakebotapi_get_updates_filters_by_allowed_updates(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    sent = await bot.send_message(CHAT, "menu", reply_markup=keyboard("a"))
    fake.press(CHAT, sent.message_id, "a")
    fake.send_text(CHAT, "text")
    updates = await bot.get_updates(timeout=0, allowed_updates=["message"])
    assert [update.message.text for update in updates] == ["text"]


async def test_fakebotapi_newer_poll_terminates_the_held_one(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    held = asyncio.create_task(bot.get_updates(timeout=LONG_POLL))
    assert await fake.changed.wait_until(lambda: fake.polls == 1, GUARD)
    async with telegram.Bot(fake.token, base_url=fake.base_url) as other:
        assert await other.get_updates(timeout=0) == ()
    with pytest.raises(Conflict):
        await asyncio.wait_for(held, GUARD)


async def test_fakebotapi_close_releases_held_polls_at_once() -> None:
    """The held poll is answered (with no updates), not cut off when the server stops."""
    fake = await FakeBotApi().start()
    async with telegram.Bot(fake.token, base_url=fake.base_url) as bot:
        poll = asyncio.create_task(bot.get_updates(timeout=LONG_POLL))
        assert await fake.changed.wait_until(lambda: fake.polls == 1, GUARD)
        await fake.close()
        assert await asyncio.wait_for(poll, GUARD) == ()


async def test_fakebotapi_press_carries_the_stored_message(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    sent = await bot.send_message(
        CHAT, "<b>card</b>", parse_mode="HTML", reply_markup=keyboard("m")
    )
    query_id = fake.press(CHAT, sent.message_id, "m")
    forged = fake.press(CHAT, 999, "never offered")
    pressed, forged_update = await bot.get_updates(timeout=0)
    assert pressed.callback_query.message.text == "card"
    assert pressed.callback_query.message.reply_markup == keyboard("m")
    assert pressed.callback_query.data == "m"
    assert forged_update.callback_query.message.is_accessible is False  # a Message, date 0
    assert await bot.answer_callback_query(query_id, text="Method")
    assert fake.callback_answer(query_id)["text"] == "Method"
    assert fake.callback_answer(forged) is None


@pytest.mark.parametrize(
    ("answered_twice", "text", "description"),
    [
        (False, "x" * 201, "Bad Request: MESSAGE_TOO_LONG"),
        (True, "ok", "Bad Request: " + QUERY_TOO_OLD),
    ],
)
async def test_fakebotapi_answer_callback_query_is_checked(
    bot: telegram.Bot, fake: FakeBotApi, answered_twice: bool, text: str, description: str
) -> None:
    query_id = fake.press(CHAT, 1, "x")
    if answered_twice:
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest) as caught:
        await bot.answer_callback_query(query_id, text=text)
    assert caught.value.message == as_ptb_message(description)


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://t.me/digest_test_bot?start=saved", True),
        ("https://t.me/digest_test_bot?start=p_2510-19260", True),
        ("https://t.me/other_bot?start=saved", False),
        ("https://example.org/", False),
        ("https://t.me/digest_test_bot?start=", False),
        ("https://t.me/digest_test_bot?start=a b", False),
        ("https://t.me/digest_test_bot?start=" + "x" * 65, False),
    ],
)
async def test_fakebotapi_answer_callback_query_url_must_start_this_bot(
    bot: telegram.Bot, fake: FakeBotApi, url: str, accepted: bool
) -> None:
    """Outside games, Telegram accepts only a t.me link that starts the bot itself."""
    query_id = fake.press(CHAT, 1, "x")
    if accepted:
        assert await bot.answer_callback_query(query_id, text="Saved.", url=url)
        assert fake.callback_answer(query_id)["url"] == url
    else:
        with pytest.raises(BadRequest, match="Url_invalid"):
            await bot.answer_callback_query(query_id, text="Saved.", url=url)


async def test_fakebotapi_unknown_callback_query_is_too_old(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Query is too old"):
        await bot.answer_callback_query("12345")


async def test_fakebotapi_my_chat_member_update_is_readable(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    fake.my_chat_member(CHAT, "kicked")
    (update,) = await bot.get_updates(timeout=0)
    change = update.my_chat_member
    assert (change.old_chat_member.status, change.new_chat_member.status) == ("member", "kicked")
    assert change.new_chat_member.user.id == bot.id


async def test_fakebotapi_group_admins_are_reported(bot: telegram.Bot, fake: FakeBotApi) -> None:
    fake.set_admins(GROUP, 7, owner=8)
    statuses = [(await bot.get_chat_member(GROUP, uid)).status for uid in (7, 8, 9)]
    admins = await bot.get_chat_administrators(GROUP)
    assert statuses == ["administrator", "creator", "member"]
    assert sorted(member.user.id for member in admins) == [7, 8]
    with pytest.raises(BadRequest, match="There are no administrators in the private chat"):
        await bot.get_chat_administrators(CHAT)


async def test_fakebotapi_get_chat_returns_full_info(bot: telegram.Bot) -> None:
    chat = await bot.get_chat(CHAT)
    assert (chat.id, chat.type, chat.first_name) == (CHAT, "private", "Ada")


@pytest.mark.parametrize(
    ("commands", "description"),
    [
        ([BotCommand(f"c{i}", "d") for i in range(101)], "Bad Request: BOT_COMMANDS_TOO_MUCH"),
        ([BotCommand("Start", "d")], "Bad Request: BOT_COMMAND_INVALID"),
        ([BotCommand("c" * 33, "d")], "Bad Request: command length must not exceed 32"),
        ([BotCommand("start", " ")], "Bad Request: command description must be non-empty"),
        (
            [BotCommand("start", "d" * 257)],
            "Bad Request: command description length must not exceed 256",
        ),
    ],
)
async def test_fakebotapi_set_my_commands_validates(
    bot: telegram.Bot, commands: list[BotCommand], description: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.set_my_commands(commands)
    assert caught.value.message == as_ptb_message(description)


async def test_fakebotapi_commands_are_kept_per_scope(bot: telegram.Bot) -> None:
    commands = [BotCommand(f"c{i}", "d" * 256) for i in range(100)]
    assert await bot.set_my_commands(commands)
    assert await bot.set_my_commands(commands[:1], scope=telegram.BotCommandScopeAllGroupChats())
    assert await bot.get_my_commands() == tuple(commands)
    assert await bot.get_my_commands(scope=telegram.BotCommandScopeAllGroupChats()) == (
        commands[0],
    )


async def test_fakebotapi_commands_are_kept_per_language(bot: telegram.Bot) -> None:
    """An empty language_code is the menu of every user without one of their own language."""
    assert await bot.set_my_commands([BotCommand("start", "begin")])
    assert await bot.set_my_commands([BotCommand("start", "开始")], language_code="zh")
    assert await bot.get_my_commands() == (BotCommand("start", "begin"),)
    assert await bot.get_my_commands(language_code="zh") == (BotCommand("start", "开始"),)
    assert await bot.get_my_commands(language_code="ja") == ()


@pytest.mark.parametrize("code", ["zh-hans", "ZH", "z", "chi", "中文"])
async def test_fakebotapi_language_code_is_two_letters_iso_639_1(
    bot: telegram.Bot, code: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.set_my_commands([BotCommand("start", "d")], language_code=code)
    assert caught.value.message == as_ptb_message("Bad Request: LANG_CODE_INVALID")


async def raw_call(fake: FakeBotApi, path: str, fields: dict[str, Any]) -> tuple[int, Any]:
    """POST urlencoded fields, JSON-encoding non-strings the way PTB does."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in fields.items()}
    url = fake.base_url + (path if "/" in path else f"{fake.token}/{path}")
    async with aiohttp.ClientSession() as session, session.post(url, data=data) as response:
        return response.status, await response.json()


@pytest.mark.parametrize(
    ("path", "status"),
    [("0:wrong/getMe", 401), ("{token}/noSuchMethod", 404), ("{token}/GETME", 200)],
)
async def test_fakebotapi_checks_token_and_method(fake: FakeBotApi, path: str, status: int) -> None:
    code, body = await raw_call(fake, path.format(token=fake.token), {})
    assert (code, body["ok"]) == (status, status == 200)


async def test_fakebotapi_never_decodes_text_but_decodes_structures(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    await bot.send_message(CHAT, "123", reply_markup=keyboard("a"))
    (params,) = fake.calls_to("sendMessage")
    assert (params["chat_id"], params["text"]) == (CHAT, "123")
    assert params["reply_markup"] == keyboard("a").to_dict()
    assert [call.method for call in fake.calls] == ["getMe", "sendMessage"]


async def test_fakebotapi_wait_for_sees_calls_made_meanwhile(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    waiter = asyncio.create_task(
        fake.wait_for("sendMessage", where=lambda params: params["text"] == "b", ok=True)
    )
    await bot.send_message(CHAT, "a")
    await bot.send_message(CHAT, "b")
    assert [params["text"] for params in await waiter] == ["b"]


async def test_fakebotapi_wait_for_times_out_with_the_call_log(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    await bot.send_message(CHAT, "only")
    with pytest.raises(AssertionError, match="sendMessage -> 200"):
        await fake.wait_for("sendMessage", n=2, timeout=0.05)


@pytest.mark.parametrize(
    ("html", "text"),
    [("<b>Title</b> &amp; more", "Title & more"), ("a&nbsp;b", "a&nbsp;b")],
)
def test_fakebotapi_rendered_text_is_what_telegram_shows(html: str, text: str) -> None:
    assert FakeBotApi().rendered_text(html) == text


def test_fakebotapi_rendered_text_raises_where_telegram_would() -> None:
    with pytest.raises(ApiError, match="Unsupported start tag"):
        FakeBotApi().rendered_text("x <y>")


async def test_fakebotapi_serves_a_polling_application(fake: FakeBotApi) -> None:
    async def start(update: telegram.Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_html(f"<b>Hi</b> {update.effective_user.first_name}")

    app = ApplicationBuilder().token(fake.token).base_url(fake.base_url).build()
    app.add_handler(CommandHandler("start", start))
    async with app:
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=5))
        await app.start()
        fake.send_text(CHAT, "/start")
        await fake.wait_for("sendMessage")
        await app.updater.stop()
        await app.stop()
    assert fake.sent_to(CHAT) == ["Hi Ada"]
    assert [call.method for call in fake.calls] == ["getMe", "deleteWebhook", "sendMessage"]


async def test_fakebotapi_keeps_explicit_entities_without_parse_mode(bot: telegram.Bot) -> None:
    bold = telegram.MessageEntity("bold", 0, 2)
    message = await bot.send_message(CHAT, "😀 <b>", entities=[bold])
    assert (message.text, message.entities) == ("😀 <b>", (bold,))


@pytest.mark.parametrize(
    ("parse_mode", "description"),
    [
        ("MarkdownV2", "Bad Request: the fake Bot API implements only parse_mode HTML"),
        ("Shout", "Bad Request: unsupported parse_mode"),
    ],
)
async def test_fakebotapi_refuses_other_parse_modes(
    bot: telegram.Bot, parse_mode: str, description: str
) -> None:
    with pytest.raises(BadRequest) as caught:
        await bot.send_message(CHAT, "*x*", parse_mode=parse_mode)
    assert caught.value.message == as_ptb_message(description)


async def test_fakebotapi_accepts_json_bodies(fake: FakeBotApi) -> None:
    url = f"{fake.base_url}{fake.token}/sendMessage"
    async with aiohttp.ClientSession() as session:
        response = await session.post(url, json={"chat_id": str(CHAT), "text": "123"})
        body = await response.json()
    assert (body["ok"], body["result"]["text"], body["result"]["chat"]["id"]) == (True, "123", CHAT)


async def test_fakebotapi_replies_quote_the_users_message(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    update = fake.send_text(CHAT, "/paper 2510.19260")
    user_message_id = update["message"]["message_id"]
    reply = await bot.send_message(
        CHAT, "card", reply_parameters=telegram.ReplyParameters(user_message_id)
    )
    assert reply.reply_to_message.text == "/paper 2510.19260"
    assert reply.message_id == user_message_id + 1  # one id sequence per chat, as in Telegram
    with pytest.raises(BadRequest, match="Message can't be edited"):
        await bot.edit_message_text("x", CHAT, user_message_id)


async def test_fakebotapi_drop_pending_updates_empties_the_queue(
    bot: telegram.Bot, fake: FakeBotApi
) -> None:
    fake.send_text(CHAT, "stale")
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert await bot.get_updates(timeout=0) == ()


async def test_fakebotapi_rejects_unknown_chat_actions(bot: telegram.Bot) -> None:
    with pytest.raises(BadRequest, match="Wrong parameter action in request"):
        await bot.send_chat_action(CHAT, "dancing")


async def test_fakebotapi_sends_into_a_forums_open_topics_only(
    fake: FakeBotApi, bot: telegram.Bot
) -> None:
    open_topic, closed, deleted = (fake.add_topic(GROUP) for _ in range(3))
    fake.close_topic(GROUP, closed)
    fake.delete_topic(GROUP, deleted)
    sent = await bot.send_message(GROUP, "hi", message_thread_id=open_topic)
    assert (sent.message_thread_id, sent.is_topic_message) == (open_topic, True)
    assert sent.chat.is_forum
    general = await bot.send_message(GROUP, "hi")
    assert (general.message_thread_id, general.is_topic_message) == (None, None)
    for thread, error in ((closed, "Topic_closed"), (deleted, "Message thread not found"),
                          (1, "Message thread not found")):  # fmt: skip
        with pytest.raises(BadRequest, match=error):
            await bot.send_message(GROUP, "hi", message_thread_id=thread)
    with pytest.raises(BadRequest, match="Message thread not found"):
        await bot.send_message(CHAT, "hi", message_thread_id=open_topic)
    fake.reopen_topic(GROUP, closed)
    assert (await bot.send_message(GROUP, "hi", message_thread_id=closed)).is_topic_message
    assert fake.sent_in_topic(GROUP, open_topic) == ["hi"]
    assert fake.sent_in_topic(GROUP, None) == ["hi"]


async def test_fakebotapi_a_message_in_a_topic_carries_it(fake: FakeBotApi) -> None:
    topic = fake.add_topic(GROUP)
    update = fake.send_text(GROUP, "/settings", topic=topic)
    message = telegram.Update.de_json(update, None).effective_message
    assert message is not None
    assert (message.message_thread_id, message.is_topic_message) == (topic, True)
    with pytest.raises(ApiError, match="message thread not found"):
        fake.send_text(GROUP, "/settings", topic=topic + 100)
