"""End to end: subscriptions, filters, time settings, groups, flood protection, errors."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from pathlib import Path

import pytest
from botharness import BotHarness, button, buttons, running_bot
from fakebotapi import FakeBotApi

from bot.rules.flood import FloodGuard
from bot.text import messages

CHAT = 2002
GROUP = -100900800
ADMIN_USER = 31
MEMBER_USER = 32


async def test_subscribe_and_unsubscribe_keep_the_settings(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/keywords add pruning")
    assert "Subscribed" in (await bot.ask(CHAT, "/subscribe"))["text"]
    assert bot.store.subscription(CHAT).active
    assert "Unsubscribed" in (await bot.ask(CHAT, "/unsubscribe"))["text"]
    sub = bot.store.subscription(CHAT)
    assert not sub.active
    assert sub.keywords == ("pruning",)


async def test_subscribe_or_unsubscribe_twice_says_nothing_changed(bot: BotHarness) -> None:
    text = (await bot.ask(CHAT, "/unsubscribe"))["text"]
    assert text == "You are not subscribed, so there is nothing to stop. /subscribe starts."
    assert (await bot.ask(CHAT, "/subscribe"))["text"].startswith("Subscribed:")
    text = (await bot.ask(CHAT, "/subscribe"))["text"]
    assert text == "You are already subscribed. /settings shows your filters."
    assert bot.store.subscription(CHAT).active
    assert (await bot.ask(CHAT, "/unsubscribe"))["text"].startswith("Unsubscribed:")
    assert not bot.store.subscription(CHAT).active


async def test_bare_time_timezone_and_empty_say_what_is_set(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/subscribe")
    await bot.ask(CHAT, "/timezone Asia/Shanghai")
    await bot.ask(CHAT, "/time 8:30")
    await bot.ask(CHAT, "/empty on")
    assert (await bot.ask(CHAT, "/time"))["text"].startswith("Digests will come at 08:30 (Asia/")
    text = (await bot.ask(CHAT, "/timezone"))["text"]
    assert text.startswith("Your time zone is Asia/Shanghai.\n\nUsage: /timezone")
    text = (await bot.ask(CHAT, "/empty"))["text"]
    assert text.startswith("When a digest has nothing for you, you will get a one-line note.")
    assert "Usage: /empty on | off" in text


async def test_categories_keyboard_toggles_in_the_same_message(bot: BotHarness) -> None:
    reply = await bot.ask(CHAT, "/categories")
    labels = [text for text, _ in buttons(reply)]
    assert labels == ["cs.LG (2)", "cs.AI (1)", "cs.CL (1)", "cs.CV (1)", "stat.ML (1)"]
    answer, shown = await bot.tap(CHAT, reply, "cs.LG")
    assert answer is not None
    assert answer["text"] == "Added cs.LG"
    assert shown["message_id"] == reply["message_id"]
    assert buttons(shown)[0][0] == "✓ cs.LG (2)"
    assert bot.store.subscription(CHAT).categories == {"cs.LG"}
    _, shown = await bot.tap(CHAT, shown, "✓ cs.LG")
    assert bot.store.subscription(CHAT).categories == frozenset()
    assert buttons(shown)[0][0] == "cs.LG (2)"


async def test_categories_set_directly_and_refused_when_unknown(bot: BotHarness) -> None:
    assert "cs.CL, cs.LG" in (await bot.ask(CHAT, "/categories cs.lg CS.CL"))["text"]
    refused = await bot.ask(CHAT, "/categories cs.LG astro-ph.XX")
    assert "not in any digest yet" in refused["text"]
    assert bot.store.subscription(CHAT).categories == {"cs.LG", "cs.CL"}
    assert "all categories" in (await bot.ask(CHAT, "/categories all"))["text"]
    assert bot.store.subscription(CHAT).categories == frozenset()


async def test_keywords_add_remove_and_refuse_bad_values(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/subscribe")
    text = (await bot.ask(CHAT, '/keywords add pruning "graph neural" 剪枝'))["text"]
    assert text == "Your 3 keywords:\n• pruning\n• graph neural\n• 剪枝"
    text = (await bot.ask(CHAT, "/keywords remove PRUNING"))["text"]
    assert text == "Your 2 keywords:\n• graph neural\n• 剪枝"
    refused = (await bot.ask(CHAT, "/keywords add " + "x" * 300))["text"]
    assert refused == "A keyword can be at most 100 characters long."
    assert (await bot.ask(CHAT, "/keywords add <b>&</b>"))["text"].startswith("Your 3 keywords")
    assert bot.store.subscription(CHAT).keywords == ("graph neural", "剪枝", "<b>&</b>")
    assert (await bot.ask(CHAT, "/keywords clear"))["text"].startswith("No keywords yet")


async def test_keywords_added_twice_or_removed_when_absent_say_so(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/subscribe")
    await bot.ask(CHAT, "/keywords add pruning")
    text = (await bot.ask(CHAT, "/keywords add Pruning memory"))["text"]
    assert text == "Already in the list: Pruning.\n\nYour 2 keywords:\n• pruning\n• memory"
    text = (await bot.ask(CHAT, "/keywords remove nothere memory"))["text"]
    assert text == "Not in the list, so nothing was removed: nothere.\n\nYour 1 keyword:\n• pruning"
    assert bot.store.subscription(CHAT).keywords == ("pruning",)


async def test_a_one_letter_keyword_is_refused_but_one_stored_before_can_be_removed(
    bot: BotHarness,
) -> None:
    refused = (await bot.ask(CHAT, "/keywords add a"))["text"]
    assert (
        refused == "A keyword needs at least two characters: one letter is in nearly every paper."
    )
    sub = bot.store.subscription(CHAT)
    bot.store.save_subscription(dataclasses.replace(sub, active=True, keywords=("a", "pruning")))
    assert (await bot.ask(CHAT, "/keywords remove a"))["text"] == "Your 1 keyword:\n• pruning"


async def test_authors_remove_by_a_part_of_the_name_as_help_shows(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/subscribe")
    await bot.ask(CHAT, "/authors add Geoffrey Hinton")
    await bot.ask(CHAT, "/authors add Łukasz Kaiser")
    text = (await bot.ask(CHAT, "/authors remove Hinton"))["text"]
    assert text == "Your 1 author:\n• Łukasz Kaiser"
    text = (await bot.ask(CHAT, "/authors remove lukasz"))["text"]  # accents ignored
    assert text.startswith("No authors yet")
    await bot.ask(CHAT, "/authors add Geoffrey Hinton")
    await bot.ask(CHAT, "/authors add Jane Hinton")
    refused = (await bot.ask(CHAT, "/authors remove Hinton"))["text"]
    assert refused == (
        "“Hinton” fits 2 of your authors (Geoffrey Hinton, Jane Hinton): write the whole name."
    )
    assert bot.store.subscription(CHAT).authors == ("Geoffrey Hinton", "Jane Hinton")
    text = (await bot.ask(CHAT, "/authors remove Ada Lovelace"))["text"]
    assert text.startswith("Not in the list, so nothing was removed: Ada Lovelace.")
    text = (await bot.ask(CHAT, "/authors remove jane hinton"))["text"]
    assert text == "Your 1 author:\n• Geoffrey Hinton"


async def test_settings_of_a_chat_not_subscribed_say_that_nothing_comes_yet(
    bot: BotHarness,
) -> None:
    hint = "You are not subscribed, so no digest comes yet: /subscribe starts them."
    for command in ("/time 8:30", "/timezone Europe/Berlin", "/frequency weekly mon",
                    "/empty on", "/keywords add pruning", "/authors add Ada Lovelace",
                    "/exclude add survey", "/categories cs.LG"):  # fmt: skip
        assert (await bot.ask(CHAT, command))["text"].endswith(hint), command
    await bot.ask(CHAT, "/subscribe")
    for command in ("/time 9:00", "/keywords add memory", "/categories cs.AI"):
        assert hint not in (await bot.ask(CHAT, command))["text"], command
    sub = bot.store.subscription(CHAT)
    assert (sub.delivery_time, sub.timezone, sub.keywords) == (
        dt.time(9, 0),
        "Europe/Berlin",
        ("pruning", "memory"),
    )


async def test_a_full_list_refuses_one_more_and_says_which_list(bot: BotHarness) -> None:
    sub = bot.store.subscription(CHAT)
    bot.store.save_subscription(dataclasses.replace(sub, keywords=tuple(map(str, range(50)))))
    refused = (await bot.ask(CHAT, "/keywords add pruning"))["text"]
    assert refused == "A chat can have at most 50 keywords: remove one first."
    assert len(bot.store.subscription(CHAT).keywords) == 50


async def test_exclude_and_authors(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/subscribe")
    await bot.ask(CHAT, "/exclude add survey")
    text = (await bot.ask(CHAT, "/authors add Chiara D'Amato"))["text"]
    assert text == "Your 1 author:\n• Chiara D'Amato"
    sub = bot.store.subscription(CHAT)
    assert sub.excludes == ("survey",)
    assert sub.authors == ("Chiara D'Amato",)
    assert (await bot.ask(CHAT, "/authors frobnicate"))["text"].startswith("Usage: /authors")


async def test_a_list_of_50_long_author_names_is_split_between_names(bot: BotHarness) -> None:
    names = [f"Author{n:02d} " + " ".join(["Longname"] * 10) for n in range(49)]
    sub = bot.store.subscription(CHAT)
    bot.store.save_subscription(dataclasses.replace(sub, active=True, authors=tuple(names)))
    names.append("Author49 " + " ".join(["Longname"] * 10))
    await bot.ask(CHAT, f"/authors add {names[-1]}", replies=2)
    parts = bot.fake.sent_to(CHAT)
    assert len(parts) == 2
    assert parts[0].startswith("Your 50 authors:")
    lines = "\n".join(parts).splitlines()[1:]
    assert lines == [f"• {name}" for name in names]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/time 25:99", "Send a time of day as HH:MM on a 24-hour clock"),
        ("/time soon", "Send a time of day as HH:MM on a 24-hour clock"),
        ("/timezone Mars/Olympus", "That is not a time zone I know"),
        ("/timezone ../../etc/passwd", "That is not a time zone I know"),
        ("/timezone localtime", "That is not a time zone I know"),
        ("/timezone Factory", "That is not a time zone I know"),
        ("/time", "Digests will come as soon as they are published.\n\nUsage: /time HH:MM | off"),
    ],
)
async def test_invalid_time_settings_are_refused_and_not_stored(
    bot: BotHarness, typed: str, expected: str
) -> None:
    assert (await bot.ask(CHAT, typed))["text"].startswith(expected)
    sub = bot.store.subscription(CHAT)
    assert sub.delivery_time is None
    assert sub.timezone == "UTC"


async def test_time_and_timezone_are_stored(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/subscribe")
    assert "at 08:30 (UTC)" in (await bot.ask(CHAT, "/time 8:30"))["text"]
    assert (await bot.ask(CHAT, "/timezone asia/shanghai"))["text"] == (
        "Time zone set to Asia/Shanghai."
    )
    sub = bot.store.subscription(CHAT)
    assert sub.delivery_time == dt.time(8, 30)
    assert sub.timezone == "Asia/Shanghai"
    await bot.ask(CHAT, "/time off")
    assert bot.store.subscription(CHAT).delivery_time is None


async def test_settings_shows_everything_and_what_would_match(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/keywords add pruning")
    await bot.ask(CHAT, "/categories cs.LG")
    text = (await bot.ask(CHAT, "/settings"))["text"]
    assert "Subscription: off" in text
    assert "Keywords: pruning" in text
    assert "Categories: cs.LG" in text
    assert "1 paper of the digest of 2026-02-10 would match these settings." in text


async def test_group_settings_only_by_administrators(bot: BotHarness) -> None:
    bot.fake.add_chat(GROUP, chat_type="supergroup", title="Lab")
    bot.fake.set_admins(GROUP, ADMIN_USER)
    refused = await bot.ask(GROUP, "/subscribe", user_id=MEMBER_USER)
    assert refused["text"] == "Only this group's administrators can change its subscription."
    assert not bot.store.subscription(GROUP).active
    await bot.ask(GROUP, "/keywords add pruning", user_id=MEMBER_USER)
    assert bot.store.subscription(GROUP).keywords == ()
    welcome = await bot.ask(GROUP, "/start", user_id=MEMBER_USER)
    answer, _ = await bot.press(GROUP, welcome, button(welcome, "Subscribe"), user_id=MEMBER_USER)
    assert answer is not None
    assert answer["text"] == "Only this group's administrators can change its subscription."
    assert "Subscribed" in (await bot.ask(GROUP, "/subscribe", user_id=ADMIN_USER))["text"]
    assert bot.store.subscription(GROUP).active
    listing = await bot.ask(GROUP, "/categories", user_id=ADMIN_USER)
    answer, _ = await bot.press(GROUP, listing, button(listing, "cs.LG"), user_id=MEMBER_USER)
    assert answer is not None
    assert answer["text"] == "Only this group's administrators can change its settings."
    assert bot.store.subscription(GROUP).categories == frozenset()


SUBSCRIPTION = "Only this group's administrators can change its subscription."
SETTINGS = "Only this group's administrators can change its settings."


@pytest.mark.parametrize(
    ("command", "refusal"),
    [
        ("/subscribe", SUBSCRIPTION),
        ("/unsubscribe", SUBSCRIPTION),
        ("/categories cs.LG", SETTINGS),
        ("/keywords add pruning", SETTINGS),
        ("/exclude add survey", SETTINGS),
        ("/authors add Ada Quill", SETTINGS),
        ("/frequency weekly fri", SETTINGS),
        ("/time 08:30", SETTINGS),
        ("/timezone Asia/Shanghai", SETTINGS),
        ("/empty on", SETTINGS),
        ("/ranking off", SETTINGS),
        ("/suggest on", SETTINGS),
        ("/summaries en", "Only this group's administrators can change the language of its AI "
                          "summaries."),
        ("/language zh", "Only this group's administrators can change the language I speak here."),
    ],
)  # fmt: skip
async def test_a_members_change_in_a_group_is_refused_with_what_it_would_change(
    bot: BotHarness, command: str, refusal: str
) -> None:
    bot.fake.add_chat(GROUP, chat_type="supergroup", title="Lab")
    bot.fake.set_admins(GROUP, ADMIN_USER)
    before = bot.store.subscription(GROUP)
    answer = await bot.ask(GROUP, command, user_id=MEMBER_USER)
    assert answer["text"] == refusal
    assert bot.store.subscription(GROUP) == before
    assert bot.store.chat_language(GROUP) is None


async def test_a_flooding_chat_is_told_to_wait_and_others_are_served(
    fake: FakeBotApi, db_path: Path
) -> None:
    async with running_bot(fake, db_path, flood=FloodGuard(rate=0.001, burst=3)) as bot:
        for _ in range(3):
            await bot.ask(CHAT, "/help")
        for _ in range(10):
            fake.send_text(CHAT, "/help")
        other = await bot.ask(CHAT + 1, "/help")
        assert other["text"].startswith("Commands")
        await fake.wait_for(
            "sendMessage", where=lambda p: p["chat_id"] == CHAT and "Please wait" in p["text"]
        )
        assert len([t for t in fake.sent_to(CHAT) if "Please wait" in t]) == 1
        assert len(fake.sent_to(CHAT)) == 4


async def test_an_unexpected_error_gets_one_polite_sentence_and_the_bot_goes_on(
    fake: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_bot(fake, db_path) as bot:
        bot.store.db.execute("DROP TABLE searches")
        reply = await bot.ask(CHAT, "/search pruning")
        assert reply["text"] == messages.INTERNAL_ERROR
        card = await bot.ask(CHAT, "/paper 2602.90001")
        assert card["text"].startswith("A*-Guided Pruning")
    records = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(records) == 1
    assert "/search pruning" in records[0].getMessage()
    assert records[0].exc_info is not None
