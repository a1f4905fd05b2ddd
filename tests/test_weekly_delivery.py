"""Weekly roll-ups end to end: gathered all week, sent once at the chat's slot, every paper once
across switches between daily and weekly, and through restarts."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botharness import BotHarness, Clock, buttons, running_bot, write_digest
from fakebotapi import FakeBotApi

LAB, STUDENT = 21, 22
MONDAY = dt.date(2026, 1, 5)
# Friday 09:00 in Berlin (UTC+1 in January).
FRIDAY_9_BERLIN = dt.datetime(2026, 1, 9, 8, 0, tzinfo=dt.UTC)


def at(day: dt.date, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute, second), tzinfo=dt.UTC)


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def week_of(n: int) -> list[dict[str, str]]:
    """Day ``n``'s digest: 5 papers with pruning in the title, 3 with it only in the abstract
    (ranked below them), 2 without it."""
    titled = [{"id": f"2601.1{n}{k:03d}", "title": f"Pruning method {n}-{k}"} for k in range(5)]
    inside = [
        {"id": f"2601.2{n}{k:03d}", "title": f"Sparse study {n}-{k}", "abstract": "We use pruning."}
        for k in range(3)
    ]
    other = [{"id": f"2601.3{n}{k:03d}", "title": f"Galaxy survey {n}-{k}"} for k in range(2)]
    return titled + inside + other


CATALOGUE = (
    *(f"Pruning {letter}" for letter in "ABCDEFW"),
    "Pruning anew",
    *(f"Pruning {n}" for n in range(4)),
)


def papers(*titles: str) -> list[dict[str, str]]:
    """Papers of ``CATALOGUE``, each under the same id in every digest that lists it."""
    return [{"id": f"2601.9{CATALOGUE.index(t):04d}", "title": t} for t in titles]


def rollups(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [t for t in fake.sent_to(chat_id) if t.startswith("Your week of arXiv")]


def dailies(fake: FakeBotApi, chat_id: int) -> list[str]:
    return [t for t in fake.sent_to(chat_id) if "arXiv digest of" in t]


def titles(text: str) -> list[str]:
    """The titles a summary lists (its text as the chat shows it)."""
    return re.findall(r"^\d+\. (.+)$", text, re.MULTILINE)


@pytest.fixture
def clock() -> Clock:
    return Clock(at(MONDAY, 1))


@pytest.fixture
async def bot(fake: FakeBotApi, tmp_path: Path, clock: Clock) -> AsyncIterator[BotHarness]:
    async with running_bot(fake, tmp_path / "bot.db", clock=clock) as harness:
        for chat in (LAB, STUDENT):
            await harness.ask(chat, "/subscribe")
            await harness.ask(chat, "/keywords add pruning")
        await harness.ask(LAB, "/timezone Europe/Berlin")
        yield harness


async def publish(
    bot: BotHarness, clock: Clock, tmp_path: Path, n: int, digest: list[dict[str, str]]
) -> None:
    """Day ``n``'s digest, fetched at 02:00 UTC; the daily chat has its summary on return."""
    clock.now = at(day(n), 2)
    before = len(dailies(bot.fake, STUDENT))
    await bot.publish(write_digest(tmp_path / f"{day(n).isoformat()}.md", digest))
    await bot.fake.wait_for("sendMessage", n=before + 1, where=lambda p: p["chat_id"] == STUDENT
                            and "arXiv digest of" in p["text"], ok=True)  # fmt: skip


async def at_moment(bot: BotHarness, clock: Clock, moment: dt.datetime) -> None:
    clock.now = moment
    bot.wake()


async def test_a_weekly_chat_gets_one_summary_of_its_week_at_its_time_on_its_day(
    bot: BotHarness, clock: Clock, tmp_path: Path
) -> None:
    set_day = await bot.ask(LAB, "/frequency weekly fri")
    assert set_day["text"] == (
        "From the next digest, its papers are gathered into one summary of the week's top 20, "
        "on Fridays at 08:00 (Europe/Berlin). Summaries already planned still come."
    )
    set_time = await bot.ask(LAB, "/time 09:00")
    assert set_time["text"] == "Your weekly summary will come on Fridays at 09:00 (Europe/Berlin)."
    for n in range(4):  # Monday to Thursday; the daily chat gets each day's summary
        await publish(bot, clock, tmp_path, n, week_of(n))
        assert rollups(bot.fake, LAB) == dailies(bot.fake, LAB) == []
    assert len(dailies(bot.fake, STUDENT)) == 4
    assert bot.store.next_delivery_at() == FRIDAY_9_BERLIN
    await at_moment(bot, clock, FRIDAY_9_BERLIN - dt.timedelta(seconds=1))
    assert bot.store.due_deliveries(clock.now) == []
    await bot.settled()
    assert rollups(bot.fake, LAB) == []

    await at_moment(bot, clock, FRIDAY_9_BERLIN)
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB
                            and p["text"].startswith("<b>Your week"), ok=True)  # fmt: skip
    await bot.settled()
    (first,) = rollups(bot.fake, LAB)
    assert first.splitlines()[0] == (
        "Your week of arXiv, 2026-01-05 – 2026-01-08: 32 papers matched your filters, "
        "the top 20 here, 1–15 below"
    )
    # Title matches rank first; ties in the order the week brought them.
    expected = [f"Pruning method {n}-{k}" for n in range(4) for k in range(5)]
    assert titles(first) == expected[:15]
    message = bot.fake.last_message(LAB)
    assert [text for text, _ in buttons(message)] == [str(n) for n in range(1, 16)] + ["Next ▸"]
    _, second = await bot.tap(LAB, message, "Next")
    assert second["text"].splitlines()[0].endswith("the top 20 here, 16–20 below")
    assert titles(second["text"]) == expected[15:]
    assert [text for text, _ in buttons(second)] == [str(n) for n in range(16, 21)] + ["◂ Prev"]
    _, back = await bot.tap(LAB, second, "◂ Prev")
    assert titles(back["text"]) == expected[:15]

    # A second week: a new roll-up of its own papers only, a week later.
    await publish(bot, clock, tmp_path, 7, [*week_of(0)[:2], *papers("Pruning anew")])
    await at_moment(bot, clock, FRIDAY_9_BERLIN + dt.timedelta(days=7))
    await bot.fake.wait_for("sendMessage", n=2, where=lambda p: p["chat_id"] == LAB
                            and p["text"].startswith("<b>Your week"), ok=True)  # fmt: skip
    await bot.settled()
    assert len(rollups(bot.fake, LAB)) == 2
    assert titles(rollups(bot.fake, LAB)[1]) == ["Pruning anew"]
    assert rollups(bot.fake, LAB)[1].startswith(
        "Your week of arXiv, 2026-01-12: 1 paper matched your filters\n"
    )


def each_once(fake: FakeBotApi, chat_id: int) -> Counter[str]:
    return Counter(title for text in fake.sent_to(chat_id) for title in titles(text))


async def test_switching_from_daily_to_weekly_mid_week_sends_each_paper_once(
    bot: BotHarness, clock: Clock, tmp_path: Path
) -> None:
    await bot.ask(LAB, "/time 09:00")
    await publish(bot, clock, tmp_path, 0, papers("Pruning A", "Pruning B"))
    await at_moment(bot, clock, at(day(0), 8))
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB
                            and "arXiv digest of" in p["text"], ok=True)  # fmt: skip
    await publish(bot, clock, tmp_path, 1, papers("Pruning A", "Pruning C", "Pruning D"))
    clock.now = at(day(1), 5)  # Tuesday's summary is planned for 09:00 Berlin, 08:00 UTC
    await bot.ask(LAB, "/frequency weekly fri")
    await at_moment(bot, clock, at(day(1), 8))
    await bot.fake.wait_for("sendMessage", n=2, where=lambda p: p["chat_id"] == LAB
                            and "arXiv digest of" in p["text"], ok=True)  # fmt: skip
    await publish(bot, clock, tmp_path, 2, papers("Pruning C", "Pruning E"))
    await publish(bot, clock, tmp_path, 3, papers("Pruning F"))
    await bot.settled()
    assert len(dailies(bot.fake, LAB)) == 2
    assert rollups(bot.fake, LAB) == []
    await at_moment(bot, clock, FRIDAY_9_BERLIN)
    await bot.fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB
                            and p["text"].startswith("<b>Your week"), ok=True)  # fmt: skip
    await bot.settled()
    assert [titles(t) for t in dailies(bot.fake, LAB)] == [
        ["Pruning A", "Pruning B"],
        ["Pruning C", "Pruning D"],
    ]
    (week,) = rollups(bot.fake, LAB)
    assert titles(week) == ["Pruning E", "Pruning F"]
    assert set(each_once(bot.fake, LAB).values()) == {1}


async def test_switching_from_weekly_to_daily_sends_what_was_gathered_at_the_daily_time(
    bot: BotHarness, clock: Clock, tmp_path: Path
) -> None:
    await bot.ask(LAB, "/frequency weekly fri")
    await bot.ask(LAB, "/time 09:00")
    await publish(bot, clock, tmp_path, 0, papers("Pruning A", "Pruning B"))
    await publish(bot, clock, tmp_path, 1, papers("Pruning A", "Pruning C"))
    clock.now = at(day(1), 12)
    answer = await bot.ask(LAB, "/frequency daily")
    assert answer["text"] == (
        "Each new digest will bring its own summary again. The papers gathered for your weekly "
        "summary come at 09:00 (Europe/Berlin)."
    )
    await publish(bot, clock, tmp_path, 2, papers("Pruning B", "Pruning D"))
    assert bot.store.next_delivery_at() == at(day(2), 8)
    await at_moment(bot, clock, at(day(2), 8))
    await bot.fake.wait_for("sendMessage", n=2, where=lambda p: p["chat_id"] == LAB
                            and "arXiv" in p["text"], ok=True)  # fmt: skip
    await publish(bot, clock, tmp_path, 3, papers("Pruning E"))
    await at_moment(bot, clock, at(day(3), 8))
    await bot.fake.wait_for("sendMessage", n=3, where=lambda p: p["chat_id"] == LAB
                            and "arXiv" in p["text"], ok=True)  # fmt: skip
    await at_moment(bot, clock, FRIDAY_9_BERLIN)
    await bot.settled()
    (week,) = rollups(bot.fake, LAB)
    assert week.startswith("Your week of arXiv, 2026-01-05 – 2026-01-06:")
    assert titles(week) == ["Pruning A", "Pruning B", "Pruning C"]
    assert [titles(t) for t in dailies(bot.fake, LAB)] == [["Pruning D"], ["Pruning E"]]
    assert set(each_once(bot.fake, LAB).values()) == {1}


async def test_a_roll_up_due_while_the_bot_was_down_is_sent_once_at_start(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    db_path = tmp_path / "bot.db"
    async with running_bot(fake, db_path, clock=clock) as bot:
        for command in ("/subscribe", "/keywords add pruning", "/frequency weekly fri"):
            await bot.ask(LAB, command)
        await bot.ask(STUDENT, "/subscribe")
        await bot.ask(STUDENT, "/keywords add pruning")
        for n in range(4):
            await publish(bot, clock, tmp_path, n, papers(f"Pruning {n}"))
    clock.now = at(day(5), 12)  # Saturday: Friday 08:00 passed while the bot was down
    async with running_bot(fake, db_path, clock=clock) as bot:
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB
                            and p["text"].startswith("<b>Your week"), ok=True)  # fmt: skip
        await bot.settled()
    async with running_bot(fake, db_path, clock=clock) as bot:
        await bot.settled()
    (week,) = rollups(fake, LAB)
    assert titles(week) == ["Pruning 0", "Pruning 1", "Pruning 2", "Pruning 3"]


async def test_a_roll_up_left_in_flight_by_a_crash_is_sent_once_at_start(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    db_path = tmp_path / "bot.db"
    async with running_bot(fake, db_path, clock=clock) as bot:
        for command in ("/subscribe", "/keywords add pruning", "/frequency weekly mon"):
            await bot.ask(LAB, command)
        await bot.ask(STUDENT, "/subscribe")
        await bot.ask(STUDENT, "/keywords add pruning")
        await publish(bot, clock, tmp_path, 2, papers("Pruning W"))
        bot.app.bot_data.stopping.set()  # type: ignore[union-attr]
        await bot.app.bot_data.worker_task  # type: ignore[misc]
        monday_8 = at(day(7), 8)
        (rollup,) = bot.store.due_deliveries(monday_8)
        assert bot.store.claim(rollup.id) is not None  # killed with its message in flight
    clock.now = at(day(7), 8)
    async with running_bot(fake, db_path, clock=clock) as bot:
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB
                            and p["text"].startswith("<b>Your week"), ok=True)  # fmt: skip
        await bot.settled()
    async with running_bot(fake, db_path, clock=clock) as bot:
        await bot.settled()
    (week,) = rollups(fake, LAB)
    assert titles(week) == ["Pruning W"]


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("/frequency", "Frequency: weekly, the top 20 papers on Wednesdays\n\nUsage: /frequency"),
        ("/frequency hourly", "Send daily, or weekly with a day if you like"),
        ("/frequency weekly funday", "That is not a day of the week"),
        ("/frequency daily mon", "Only a weekly summary has a day"),
        ("/frequency weekly mon fri", "Send one day"),
    ],
)
async def test_bad_frequencies_get_a_clear_answer_and_change_nothing(
    bot: BotHarness, typed: str, answer: str
) -> None:
    await bot.ask(LAB, "/frequency weekly wed")
    before = bot.store.subscription(LAB)
    assert (await bot.ask(LAB, typed))["text"].startswith(answer)
    assert bot.store.subscription(LAB) == before


async def test_weekly_without_a_day_keeps_the_chats_day_and_settings_show_it(
    bot: BotHarness,
) -> None:
    await bot.ask(LAB, "/frequency weekly sun")
    await bot.ask(LAB, "/frequency daily")
    assert bot.store.subscription(LAB).weekly is False
    await bot.ask(LAB, "/frequency weekly")
    sub = bot.store.subscription(LAB)
    assert (sub.weekly, sub.weekday) == (True, 6)
    text = (await bot.ask(LAB, "/settings"))["text"]
    assert "Frequency: weekly, the top 20 papers on Sundays" in text


async def test_only_a_groups_administrators_change_its_frequency(bot: BotHarness) -> None:
    group, admin, member = -100500600, 41, 42
    bot.fake.add_chat(group, chat_type="supergroup", title="Reading group")
    bot.fake.set_admins(group, admin)
    refused = await bot.ask(group, "/frequency weekly fri", user_id=member)
    assert refused["text"] == "Only this group's administrators can change its settings."
    assert bot.store.subscription(group).weekly is False
    await bot.ask(group, "/frequency weekly fri", user_id=admin)
    assert (bot.store.subscription(group).weekly, bot.store.subscription(group).weekday) == (
        True,
        4,
    )
