"""End to end: forum topics, each with a subscription of its own, answered and delivered there."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botharness import BotHarness, Clock, button, running_bot, write_digest
from fakebotapi import FakeBotApi

from bot.models import Subscription
from bot.text import messages

T0 = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)
LAB = -1009001
READER = 21
ADMIN_USER, MEMBER_USER = 31, 32

FRIDAY = [
    {"id": "2601.10001", "title": "Reinforcement learning for chip placement", "category": "cs.LG"},
    {"id": "2601.10002", "title": "A scheduler for sparse training", "category": "cs.DC"},
    {"id": "2601.10003", "title": "Galaxy clusters at high redshift", "category": "astro-ph.GA"},
]
SATURDAY = [
    *FRIDAY,
    {"id": "2601.10004", "title": "Reinforcement learning for compilers", "category": "cs.PL"},
    {"id": "2601.10005", "title": "Fault tolerant parameter servers", "category": "cs.DC"},
]


@pytest.fixture
async def bot(fake: FakeBotApi, tmp_path: Path) -> AsyncIterator[BotHarness]:
    async with running_bot(fake, tmp_path / "bot.db", clock=Clock(T0)) as harness:
        fake.add_chat(LAB, chat_type="supergroup", title="Lab")
        fake.set_admins(LAB, ADMIN_USER)
        yield harness


def topics(bot: BotHarness) -> tuple[int, int]:
    """The lab's topics "RL" (reinforcement learning) and "systems" (cs.DC), subscribed."""
    rl, systems = bot.fake.add_topic(LAB), bot.fake.add_topic(LAB)
    for thread, settings in ((rl, {"keywords": ("reinforcement",)}),
                             (systems, {"categories": frozenset({"cs.DC"})})):  # fmt: skip
        sub = Subscription(LAB, active=True, thread_id=thread, **settings)  # type: ignore[arg-type]
        bot.store.save_subscription(sub)
    return rl, systems


def summaries(bot: BotHarness, topic: int | None) -> list[str]:
    return [t for t in bot.fake.sent_in_topic(LAB, topic) if "arXiv digest of" in t]


def sends_to(bot: BotHarness, chat_id: int) -> list[dict[str, object]]:
    return [p for p in bot.fake.calls_to("sendMessage") if p["chat_id"] == chat_id]


async def test_commands_in_a_topic_set_that_topic_and_are_answered_there(bot: BotHarness) -> None:
    rl, systems = bot.fake.add_topic(LAB), bot.fake.add_topic(LAB)
    reply = await bot.ask(LAB, "/subscribe", user_id=ADMIN_USER, topic=rl)
    assert reply["message_thread_id"] == rl
    assert reply["is_topic_message"]
    await bot.ask(LAB, "/keywords add reinforcement", user_id=ADMIN_USER, topic=rl)
    await bot.ask(LAB, "/subscribe", user_id=ADMIN_USER, topic=systems)
    await bot.ask(LAB, "/time 08:30", user_id=ADMIN_USER, topic=systems)
    settings = await bot.ask(LAB, "/settings", user_id=ADMIN_USER, topic=systems)
    assert settings["message_thread_id"] == systems
    assert "08:30" in settings["text"]
    assert "reinforcement" not in settings["text"]
    general = await bot.ask(LAB, "/settings", user_id=ADMIN_USER)
    assert "message_thread_id" not in general
    rl_sub = bot.store.subscription(LAB, thread_id=rl)
    assert (rl_sub.active, rl_sub.keywords, rl_sub.delivery_time) == (
        True,
        ("reinforcement",),
        None,
    )
    systems_sub = bot.store.subscription(LAB, thread_id=systems)
    assert (systems_sub.keywords, systems_sub.delivery_time) == ((), dt.time(8, 30))
    assert not bot.store.subscription(LAB).active


async def test_a_button_in_a_topic_changes_that_topic_and_answers_there(bot: BotHarness) -> None:
    rl = bot.fake.add_topic(LAB)
    welcome = await bot.ask(LAB, "/start", user_id=ADMIN_USER, topic=rl)
    answer, _ = await bot.press(LAB, welcome, button(welcome, "Subscribe"), user_id=ADMIN_USER)
    assert answer is not None
    assert bot.store.subscription(LAB, thread_id=rl).active
    assert not bot.store.subscription(LAB).active
    assert bot.fake.last_message(LAB)["message_thread_id"] == rl


async def test_non_admins_cannot_change_a_topic(bot: BotHarness) -> None:
    rl = bot.fake.add_topic(LAB)
    refused = await bot.ask(LAB, "/subscribe", user_id=MEMBER_USER, topic=rl)
    assert refused["text"] == messages.GROUP_SUBSCRIPTION_ADMINS_ONLY
    assert refused["message_thread_id"] == rl
    await bot.ask(LAB, "/keywords add pruning", user_id=MEMBER_USER, topic=rl)
    sub = bot.store.subscription(LAB, thread_id=rl)
    assert (sub.active, sub.keywords) == (False, ())


async def test_two_topics_get_their_own_papers_once(bot: BotHarness, tmp_path: Path) -> None:
    rl, systems = topics(bot)
    assert await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY)) == 2
    await bot.fake.wait_for("sendMessage", n=2)
    (rl_summary,) = summaries(bot, rl)
    assert "Reinforcement learning for chip placement" in rl_summary
    assert "sparse training" not in rl_summary
    (systems_summary,) = summaries(bot, systems)
    assert "A scheduler for sparse training" in systems_summary
    assert "Reinforcement" not in systems_summary
    assert summaries(bot, None) == []
    assert await bot.publish(write_digest(tmp_path / "2026-01-10.md", SATURDAY)) == 2
    await bot.fake.wait_for("sendMessage", n=4)
    await bot.settled()
    rl_again = summaries(bot, rl)[1]
    assert "compilers" in rl_again
    assert "chip placement" not in rl_again
    systems_again = summaries(bot, systems)[1]
    assert "parameter servers" in systems_again
    assert "sparse training" not in systems_again
    assert len(sends_to(bot, LAB)) == 4


async def test_a_topic_summary_pages_in_place(bot: BotHarness, tmp_path: Path) -> None:
    rl = bot.fake.add_topic(LAB)
    sub = Subscription(LAB, active=True, thread_id=rl, keywords=("paper",))
    bot.store.save_subscription(sub)
    many = [{"id": f"2601.2{n:04d}", "title": f"Paper number {n}"} for n in range(20)]
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", many))
    await bot.fake.wait_for("sendMessage", n=1)
    (summary,) = [m for m in bot.fake.messages.values() if m.get("message_thread_id") == rl]
    _, paged = await bot.tap(LAB, summary, "Next")
    assert paged["message_id"] == summary["message_id"]
    assert "Paper number 19" in paged["text"]


@pytest.mark.parametrize(
    ("gone", "said"), [("delete_topic", "was deleted"), ("close_topic", "was closed")]
)
async def test_a_gone_topic_pauses_alone_and_the_group_is_told_once(
    bot: BotHarness, tmp_path: Path, gone: str, said: str
) -> None:
    rl, systems = topics(bot)
    bot.fake.add_chat(READER)
    bot.store.save_subscription(Subscription(READER, active=True, categories=frozenset({"cs.DC"})))
    getattr(bot.fake, gone)(LAB, rl)
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == READER, ok=True)
    await bot.settled()
    (notice,) = bot.fake.sent_in_topic(LAB, None)
    assert said in notice
    assert f"/{rl}" in notice
    assert len(summaries(bot, systems)) == 1
    sub = bot.store.subscription(LAB, thread_id=rl)
    assert (sub.active, sub.keywords) == (True, ("reinforcement",))
    await bot.publish(write_digest(tmp_path / "2026-01-10.md", SATURDAY))
    await bot.fake.wait_for("sendMessage", n=2, where=lambda p: p["chat_id"] == READER, ok=True)
    await bot.settled()
    assert len(bot.fake.sent_in_topic(LAB, None)) == 1
    assert len(summaries(bot, systems)) == 2
    assert summaries(bot, rl) == []
    assert bot.store.delivery_stats().paused_chats == 1


async def test_resubscribing_in_a_reopened_topic_sends_what_was_held(
    bot: BotHarness, tmp_path: Path
) -> None:
    rl, _ = topics(bot)
    bot.fake.close_topic(LAB, rl)
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=2, ok=True)
    await bot.settled()
    bot.fake.reopen_topic(LAB, rl)
    await bot.ask(LAB, "/subscribe", user_id=ADMIN_USER, topic=rl)
    await bot.fake.wait_for(
        "sendMessage", where=lambda p: p.get("message_thread_id") == rl and "digest" in p["text"]
    )
    (held,) = summaries(bot, rl)
    assert "chip placement" in held
    assert bot.store.delivery_stats().paused_chats == 0


async def test_a_migrated_group_keeps_its_ledger_beside_the_topics_of_the_supergroup(
    bot: BotHarness, tmp_path: Path
) -> None:
    group = -9001
    bot.fake.add_chat(group, chat_type="group", title="Lab")
    bot.store.save_subscription(Subscription(group, active=True, keywords=("reinforcement",)))
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == group, ok=True)
    supergroup = -1009002
    bot.fake.migrate(group, supergroup)
    bot.fake.set_admins(supergroup, ADMIN_USER)
    systems = bot.fake.add_topic(supergroup)
    await bot.ask(supergroup, "/subscribe", user_id=ADMIN_USER, topic=systems)
    await bot.ask(supergroup, "/keywords add parameter", user_id=ADMIN_USER, topic=systems)
    await bot.publish(write_digest(tmp_path / "2026-01-10.md", SATURDAY))
    await bot.fake.wait_for("sendMessage", n=3, where=lambda p: "digest of" in p["text"], ok=True)
    await bot.settled()
    (followed,) = [t for t in bot.fake.sent_in_topic(supergroup, None) if "digest of" in t]
    assert "compilers" in followed
    assert "chip placement" not in followed
    (topic_summary,) = [t for t in bot.fake.sent_in_topic(supergroup, systems) if "digest of" in t]
    assert "Fault tolerant parameter servers" in topic_summary
    assert bot.store.subscription(supergroup).keywords == ("reinforcement",)
    assert bot.store.subscription(supergroup, thread_id=systems).keywords == ("parameter",)
