"""Delivery end to end: the right papers to the right chats, once, on time, through faults."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botharness import ADMIN, BotHarness, Clock, button, buttons, running_bot, write_digest
from fakebotapi import FakeBotApi

from bot.models import Subscription

LAB, STUDENT, QUIET, NOTES, LURKER = 11, 12, 13, 14, 15
T0 = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)

FRIDAY = [
    {
        "id": "2601.10001",
        "title": "Structured pruning for vision transformers",
        "category": "cs.CV",
    },
    {"id": "2601.10002", "title": "Reinforcement learning for chip placement", "category": "cs.AR"},
    {"id": "2601.10003", "title": "A survey of pruning methods", "category": "cs.LG"},
    {"id": "2601.10004", "title": "Galaxy clusters at high redshift", "category": "astro-ph.GA"},
]
SATURDAY = [*FRIDAY, {"id": "2601.10005", "title": "Pruning graphs quickly", "category": "cs.DS"}]


def subscribe(bot: BotHarness, chat_id: int, **settings: object) -> None:
    bot.store.save_subscription(Subscription(chat_id=chat_id, active=True, **settings))  # type: ignore[arg-type]


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
async def bot(
    fake: FakeBotApi, tmp_path: Path, clock: Clock, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[BotHarness]:
    async with running_bot(fake, tmp_path / "bot.db", clock=clock) as harness:
        for chat in (LAB, STUDENT, QUIET, NOTES, LURKER):
            fake.add_chat(chat)
        subscribe(harness, LAB, keywords=("pruning",), excludes=("survey",))
        subscribe(harness, STUDENT, categories=frozenset({"cs.AR"}))
        subscribe(harness, QUIET, keywords=("quantum",))
        subscribe(harness, NOTES, keywords=("quantum",), notify_empty=True)
        yield harness


def summaries(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [t for t in fake.sent_to(chat_id) if "arXiv digest of" in t or "Nothing in" in t]


async def test_each_chat_gets_its_own_papers_once(bot: BotHarness, tmp_path: Path) -> None:
    assert await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY)) == 3
    await bot.fake.wait_for("sendMessage", n=3)
    (lab,) = summaries(bot.fake, LAB)
    assert "1 paper matches your filters" in lab
    assert "Structured pruning for vision transformers" in lab
    assert "Pruning graphs" not in lab
    assert "A survey of pruning" not in lab
    assert "matched: pruning" in lab
    (student,) = summaries(bot.fake, STUDENT)
    assert "Reinforcement learning for chip placement" in student
    assert summaries(bot.fake, QUIET) == []
    assert summaries(bot.fake, NOTES) == [
        "Nothing in the arXiv digest of 2026-01-09 matched your filters (/settings)."
    ]
    assert summaries(bot.fake, LURKER) == []


async def test_the_weekend_repeat_sends_only_what_is_new(bot: BotHarness, tmp_path: Path) -> None:
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=3)
    assert await bot.publish(write_digest(tmp_path / "2026-01-10.md", SATURDAY)) == 2
    await bot.fake.wait_for("sendMessage", n=5)
    lab = summaries(bot.fake, LAB)
    assert len(lab) == 2
    assert "Pruning graphs quickly" in lab[1]
    assert "Structured pruning" not in lab[1]
    assert await bot.publish(write_digest(tmp_path / "2026-01-11.md", SATURDAY)) == 1
    await bot.fake.wait_for("sendMessage", n=6)
    assert len(summaries(bot.fake, LAB)) == 2
    assert len(summaries(bot.fake, STUDENT)) == 1
    assert summaries(bot.fake, NOTES)[-1].startswith("Nothing in the arXiv digest of 2026-01-11")


async def test_a_chat_with_a_time_gets_it_then_and_only_once(
    bot: BotHarness, clock: Clock, tmp_path: Path
) -> None:
    subscribe(
        bot, LAB, keywords=("pruning",), delivery_time=dt.time(8, 30), timezone="Europe/Berlin"
    )
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=2)
    assert summaries(bot.fake, LAB) == []
    assert bot.store.next_delivery_at() == dt.datetime(2026, 1, 9, 7, 30, tzinfo=dt.UTC)
    clock.advance(hours=5, minutes=31)
    bot.wake()
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB)
    assert len(summaries(bot.fake, LAB)) == 1


async def test_summary_pages_and_opens_cards(bot: BotHarness, tmp_path: Path) -> None:
    many = [{"id": f"2601.2{n:04d}", "title": f"Pruning study {n}"} for n in range(20)]
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", many))
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB)
    first = bot.fake.last_message(LAB)
    assert "20 papers match your filters, 1–15 below" in first["text"]
    labels = [text for text, _ in buttons(first)]
    assert labels == [str(n) for n in range(1, 16)] + ["Next ▸"]
    _, second = await bot.tap(LAB, first, "Next")
    assert "16." in second["text"]
    assert [text for text, _ in buttons(second)][-1] == "◂ Prev"
    await bot.press(LAB, second, button(second, "16"))
    card = bot.fake.last_message(LAB)
    assert card["text"].startswith("Pruning study")
    assert "Motivation" in [text for text, _ in buttons(card)]


async def test_a_429_waits_retry_after_and_delivers_once(
    bot: BotHarness, clock: Clock, tmp_path: Path
) -> None:
    bot.fake.fail_next(
        "sendMessage", 429, "Too Many Requests: retry after 1", chat_id=LAB, retry_after=1
    )
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=3)
    (retry,) = bot.store.due_deliveries(T0 + dt.timedelta(seconds=1))
    assert retry.chat_id == LAB
    assert bot.store.due_deliveries(T0) == []
    clock.advance(seconds=1)
    bot.wake()
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB, ok=True)
    assert len(summaries(bot.fake, LAB)) == 1


@pytest.mark.parametrize(
    ("status", "description"),
    [(403, "Forbidden: bot was blocked by the user"), (400, "Bad Request: chat not found")],
)
async def test_a_blocked_chat_is_paused_and_resumes_with_start(
    bot: BotHarness, tmp_path: Path, status: int, description: str
) -> None:
    bot.fake.fail_next("sendMessage", status, description, chat_id=LAB)
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=3)
    assert summaries(bot.fake, LAB) == []
    sub = bot.store.subscription(LAB)
    assert sub.active
    assert sub.keywords == ("pruning",)
    await bot.settled()
    assert bot.store.delivery_stats().paused_chats == 1
    await bot.ask(LAB, "/start")
    await bot.fake.wait_for(
        "sendMessage", where=lambda p: "arXiv digest of" in p["text"] and p["chat_id"] == LAB
    )
    assert len(summaries(bot.fake, LAB)) == 1
    assert bot.store.delivery_stats().paused_chats == 0


@pytest.mark.parametrize("fault", ["500", "dropped"])
async def test_server_errors_back_off_and_retry(
    bot: BotHarness, clock: Clock, tmp_path: Path, fault: str
) -> None:
    if fault == "500":
        bot.fake.fail_next("sendMessage", 500, "Internal Server Error", chat_id=LAB)
    else:
        bot.fake.drop_next("sendMessage", chat_id=LAB)
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=3)
    assert summaries(bot.fake, LAB) == []
    clock.advance(seconds=30)
    bot.wake()
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB, ok=True)
    assert len(summaries(bot.fake, LAB)) == 1


async def test_a_migrated_group_is_followed(bot: BotHarness, tmp_path: Path) -> None:
    group, supergroup = -4001, -1004001
    bot.fake.add_chat(group, chat_type="group", title="Lab")
    subscribe(bot, group, keywords=("galaxy",))
    bot.fake.migrate(group, supergroup)
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == supergroup, ok=True)
    assert "Galaxy clusters" in summaries(bot.fake, supergroup)[0]
    assert bot.store.subscription(supergroup).keywords == ("galaxy",)
    assert not bot.store.subscription(group).active


async def test_stats_counts_deliveries(bot: BotHarness, tmp_path: Path) -> None:
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=3)
    await bot.settled()
    stats = bot.store.delivery_stats()
    assert (stats.sent, stats.pending, stats.failed, stats.paused_chats) == (3, 0, 0, 0)


async def test_a_delivery_left_in_flight_is_sent_again_at_start(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    db_path = tmp_path / "bot.db"
    async with running_bot(fake, db_path, clock=clock) as bot:
        fake.add_chat(LAB)
        subscribe(bot, LAB, keywords=("pruning",))
        bot.app.bot_data.stopping.set()  # type: ignore[union-attr]
        await bot.app.bot_data.worker_task  # type: ignore[misc]
        await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
        (delivery,) = bot.store.due_deliveries(T0)
        bot.store.claim(delivery.id)
    async with running_bot(fake, db_path, clock=clock):
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB, ok=True)
    assert len(summaries(fake, LAB)) == 1


async def test_a_time_that_passed_while_the_bot_was_down_is_served_once_at_start(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    db_path = tmp_path / "bot.db"
    async with running_bot(fake, db_path, clock=clock) as bot:
        fake.add_chat(LAB)
        subscribe(bot, LAB, keywords=("pruning",), delivery_time=dt.time(8, 0))
        await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
        await bot.settled()
    assert summaries(fake, LAB) == []
    clock.advance(days=1)
    async with running_bot(fake, db_path, clock=clock) as bot:
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB, ok=True)
        await bot.settled()
    async with running_bot(fake, db_path, clock=clock) as bot:
        await bot.settled()
    assert len(summaries(fake, LAB)) == 1


async def test_stats_tell_admins_about_deliveries(bot: BotHarness, tmp_path: Path) -> None:
    bot.fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user", chat_id=LAB)
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", FRIDAY))
    await bot.fake.wait_for("sendMessage", n=3)
    await bot.settled()
    text = (await bot.ask(ADMIN, "/stats"))["text"]
    assert "deliveries sent: 2" in text
    assert "paused subscribers: 1" in text
