"""End to end: a reader's ratings reorder the next summary, suggest papers beyond the keywords,
and shape /foryou; /ranking, /suggest, /settings and /forget through the fake Bot API."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botharness import BotHarness, Clock, button, buttons, running_bot, write_digest
from fakebotapi import FakeBotApi

from bot.models import FeedbackCounts, Subscription

READER = 5150
T0 = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)

ROBOT_WORDS = "diffusion policy for robot manipulation and grasping with a dexterous arm"
SKY_WORDS = "galaxy clusters observed at high redshift with a radio telescope survey"


def day_papers(day: int, *, robots_first: bool) -> list[dict[str, str]]:
    """Ten robot papers and ten astronomy papers, in the order the digest lists them; a summary
    without a model lists them by id, which puts the astronomy papers first."""
    robots = [
        {
            "id": f"2601.{day}{n + 50:04d}",
            "title": f"Robot study {day}-{n}: diffusion policies for manipulation",
            "abstract": f"We train a {ROBOT_WORDS}, variant {n}.",
        }
        for n in range(10)
    ]
    skies = [
        {
            "id": f"2601.{day}{n:04d}",
            "title": f"Sky study {day}-{n}: galaxy clusters",
            "abstract": f"We study {SKY_WORDS}, sample {n}.",
        }
        for n in range(10)
    ]
    return robots + skies if robots_first else skies + robots


def entry_titles(text: str) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", text, flags=re.MULTILINE)


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


@pytest.fixture
async def bot(fake: FakeBotApi, tmp_path: Path, clock: Clock) -> AsyncIterator[BotHarness]:
    async with running_bot(fake, tmp_path / "bot.db", clock=clock) as harness:
        fake.add_chat(READER)
        harness.store.save_subscription(Subscription(READER, active=True))
        yield harness


async def summary(bot: BotHarness, n: int) -> dict[str, object]:
    await bot.fake.wait_for("sendMessage", n=n, where=lambda p: p["chat_id"] == READER)
    return bot.fake.last_message(READER)


async def rate(bot: BotHarness, message: dict[str, object], number: int, label: str) -> None:
    """Open entry ``number`` of a list, then press ``label`` (👍, 👎, ⭐) under its card."""
    await bot.press(READER, message, button(message, str(number)))
    card = bot.fake.last_message(READER)
    answer, _ = await bot.tap(READER, card, label)
    assert answer is not None


async def teach(bot: BotHarness, tmp_path: Path) -> dict[str, object]:
    """Day 1 arrives sky first; the reader likes three robot papers and dislikes two sky ones."""
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", day_papers(1, robots_first=False)))
    first = await summary(bot, 1)
    assert entry_titles(first["text"])[0].startswith("Sky study"), first["text"]  # type: ignore[arg-type]
    for number, label in ((11, "👍"), (12, "👍"), (13, "⭐"), (1, "👎"), (2, "👎")):
        await rate(bot, first, number, label)
    return first


async def test_ratings_on_day_one_reorder_day_two_by_content(
    bot: BotHarness, tmp_path: Path
) -> None:
    await teach(bot, tmp_path)
    assert bot.store.feedback_counts(READER) == FeedbackCounts(liked=2, disliked=2, saved=1)
    sent = len(bot.fake.sent_to(READER))
    await bot.publish(write_digest(tmp_path / "2026-01-10.md", day_papers(2, robots_first=False)))
    second = await summary(bot, sent + 1)
    text = second["text"]
    titles = entry_titles(text)  # type: ignore[arg-type]
    assert len(titles) == 15
    assert all(t.startswith("Robot study 2-") for t in titles[:10]), titles
    assert "like: Robot study 1-" in text  # type: ignore[operator]


async def test_ranking_off_returns_to_the_digest_order(bot: BotHarness, tmp_path: Path) -> None:
    await teach(bot, tmp_path)
    answer = await bot.ask(READER, "/ranking off")
    assert "keyword order" in answer["text"]
    sent = len(bot.fake.sent_to(READER))
    await bot.publish(write_digest(tmp_path / "2026-01-10.md", day_papers(2, robots_first=False)))
    second = await summary(bot, sent + 1)
    assert entry_titles(second["text"])[0].startswith("Sky study 2-")  # type: ignore[arg-type]
    assert "like:" not in second["text"]  # type: ignore[operator]


async def test_suggestions_reach_beyond_the_keywords(bot: BotHarness, tmp_path: Path) -> None:
    await teach(bot, tmp_path)
    bot.store.save_subscription(Subscription(READER, active=True, keywords=("radio",)))
    sent = len(bot.fake.sent_to(READER))
    await bot.publish(write_digest(tmp_path / "2026-01-10.md", day_papers(2, robots_first=True)))
    second = await summary(bot, sent + 1)
    text = second["text"]
    assert "10 papers match your filters" in text  # type: ignore[operator]
    assert "Suggested for you" in text  # type: ignore[operator]
    suggested = re.findall(r"^\+\d+\. (.+)$", text, flags=re.MULTILINE)  # type: ignore[call-overload]
    assert 1 <= len(suggested) <= 5
    assert all(t.startswith("Robot study 2-") for t in suggested)
    assert [label for label, _ in buttons(second)][-len(suggested) :] == [
        f"+{n}" for n in range(1, len(suggested) + 1)
    ]
    sent = len(bot.fake.sent_to(READER))
    await bot.ask(READER, "/suggest off")
    await bot.publish(write_digest(tmp_path / "2026-01-11.md", day_papers(3, robots_first=True)))
    third = await summary(bot, sent + 2)
    assert "Suggested for you" not in third["text"]  # type: ignore[operator]


async def test_foryou_lists_the_best_of_the_week_with_reasons(
    bot: BotHarness, tmp_path: Path
) -> None:
    await teach(bot, tmp_path)
    first = await bot.ask(READER, "/foryou")
    text = first["text"]
    assert text.startswith(
        "For you: the 10 best papers of the last 7 days, 1–5, unseen first, ranked by your "
        "ratings\n"
    )
    assert all(t.startswith("Robot study 1-") for t in entry_titles(text))
    assert "like: Robot study 1-" in text
    _, second = await bot.tap(READER, first, "Next")
    assert "6." in second["text"]
    assert "◂ Prev" in [label for label, _ in buttons(second)]


async def test_settings_say_what_the_model_learned_and_forget_resets_it(
    bot: BotHarness, tmp_path: Path
) -> None:
    await teach(bot, tmp_path)
    settings = await bot.ask(READER, "/settings")
    assert "Learned from: 2 👍, 2 👎, 1 ⭐; ranking on, suggestions on" in settings["text"]
    question = await bot.ask(READER, "/forget")
    await bot.tap(READER, question, "Yes")
    assert bot.store.feedback_counts(READER) == FeedbackCounts()
    assert bot.store.rankings([READER], bot.store.papers_in_digest(dt.date(2026, 1, 9))) == {}
    sent = len(bot.fake.sent_to(READER))
    await bot.publish(write_digest(tmp_path / "2026-01-10.md", day_papers(2, robots_first=False)))
    second = await summary(bot, sent + 1)
    assert entry_titles(second["text"])[0].startswith("Sky study 2-")  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["/ranking", "/ranking maybe", "/suggest", "/suggest 5"])
async def test_feed_switches_answer_bad_input_with_their_usage(bot: BotHarness, text: str) -> None:
    # The first message also remembers the person's language (the fake's app is in English).
    before = dataclasses.replace(bot.store.subscription(READER), language="en")
    answer = await bot.ask(READER, text)
    # what is set now, then how to change it
    assert answer["text"].startswith("Learned from: 0 👍, 0 👎, 0 ⭐; ranking on, suggestions off")
    assert f"\n\nUsage: {text.split()[0]} on | off" in answer["text"]
    assert bot.store.subscription(READER) == before


async def test_foryou_without_ratings_names_the_order_it_used(
    bot: BotHarness, tmp_path: Path
) -> None:
    await bot.publish(write_digest(tmp_path / "2026-01-09.md", day_papers(1, robots_first=False)))
    await summary(bot, 1)
    newest = (await bot.ask(READER, "/foryou"))["text"]
    assert newest.startswith(
        "For you: the 10 newest papers of the last 7 days that match your filters, 1–5, unseen "
        "first. Rate papers with 👍 or 👎"
    )
    assert "keywords" not in newest.split("\n")[0]
    assert all(t.startswith("Sky study 1-") for t in entry_titles(newest))
    await bot.ask(READER, "/keywords add robot")
    matched = (await bot.ask(READER, "/foryou"))["text"]
    assert matched.startswith(
        "For you: the 10 best papers of the last 7 days, 1–5, unseen first, by how well they "
        "match your keywords or authors, then newest first. Rate papers with 👍 or 👎"
    )
    assert all(t.startswith("Robot study 1-") for t in entry_titles(matched))


async def test_foryou_without_digests_or_ratings_says_so(bot: BotHarness) -> None:
    answer = await bot.ask(READER, "/foryou")
    assert (
        answer["text"] == "No paper of the last 7 days matches your filters (/settings shows them)."
    )


async def test_a_weekly_roll_up_is_ordered_by_the_model_too(
    bot: BotHarness, clock: Clock, tmp_path: Path
) -> None:
    await teach(bot, tmp_path)
    await bot.ask(READER, "/frequency weekly fri")
    sent = len(bot.fake.sent_to(READER))
    clock.now = dt.datetime(2026, 1, 12, 2, 0, tzinfo=dt.UTC)  # Monday
    await bot.publish(write_digest(tmp_path / "2026-01-12.md", day_papers(2, robots_first=False)))
    assert len(bot.fake.sent_to(READER)) == sent
    clock.now = dt.datetime(2026, 1, 16, 8, 0, tzinfo=dt.UTC)  # Friday 08:00, the default time
    bot.wake()
    await bot.fake.wait_for("sendMessage", n=sent + 1, where=lambda p: p["chat_id"] == READER)
    rollup = bot.fake.last_message(READER)["text"]
    assert rollup.startswith("Your week of arXiv, 2026-01-12: 20 papers matched")
    titles = entry_titles(rollup)
    assert all(t.startswith("Robot study 2-") for t in titles[:10]), titles
