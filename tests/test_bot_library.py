"""End to end: the library through the fake Bot API — ⭐ and 👍/👎 under cards, in private chats
and groups, /saved, /forget and /settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from botharness import BotHarness, Clock, button, buttons, running_bot
from fakebotapi import FakeBotApi

from bot.models import LibraryCounts, PaperMark

CHAT = 1001
GROUP = -100200300
MEMBER = 4242
"""A group member who never opened a private chat with the bot."""
PAPER = "2602.90001"


def labels(message: dict[str, object]) -> list[str]:
    return [text for text, _ in buttons(message)]  # type: ignore[arg-type]


async def test_library_save_then_unsave_from_the_card(bot: BotHarness) -> None:
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    save = button(card, "⭐ Save")
    answer, shown = await bot.press(CHAT, card, save)
    assert answer is not None
    assert answer["text"] == "Saved."
    assert "★ Saved" in labels(shown)
    assert bot.store.mark(CHAT, PAPER) == PaperMark(saved=True)
    answer, shown = await bot.tap(CHAT, shown, "★ Saved")
    assert answer is not None
    assert answer["text"] == "Removed from your saved papers."
    assert "⭐ Save" in labels(shown)
    assert bot.store.mark(CHAT, PAPER) == PaperMark()


async def test_library_the_same_press_twice_changes_nothing_the_second_time(
    bot: BotHarness,
) -> None:
    """Two fast presses of ⭐ (or an old copy of it) leave one save; the same for 👍."""
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    save, up = button(card, "⭐ Save"), button(card, "👍")
    for data in (save, save, up, up):
        answer, _ = await bot.press(CHAT, card, data)
        assert answer is not None
    assert bot.store.mark(CHAT, PAPER) == PaperMark(saved=True, rating=1)
    assert bot.store.library_counts(CHAT) == LibraryCounts(saved=1, liked=1)
    assert bot.fake.calls_to("editMessageText", ok=False) == []


async def test_library_rating_switches_and_pressing_the_same_again_clears_it(
    bot: BotHarness,
) -> None:
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    answer, shown = await bot.tap(CHAT, card, "👍")
    assert answer is not None
    assert answer["text"] == "👍 noted."
    assert labels(shown)[-4:] == ["⭐ Save", "👍 ✓", "👎", "🔗 Similar"]
    _, shown = await bot.tap(CHAT, shown, "👎")
    assert bot.store.mark(CHAT, PAPER).rating == -1
    answer, shown = await bot.tap(CHAT, shown, "👎 ✓")
    assert answer is not None
    assert answer["text"] == "Rating cleared."
    assert bot.store.mark(CHAT, PAPER).rating == 0


async def test_library_buttons_keep_the_section_that_is_shown(bot: BotHarness) -> None:
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    _, shown = await bot.tap(CHAT, card, "Abstract")
    abstract = shown["text"]
    _, shown = await bot.tap(CHAT, shown, "⭐ Save")
    assert shown["text"] == abstract
    assert "◂ Back to the card" in labels(shown)
    assert "★ Saved" in labels(shown)


async def test_library_group_save_by_someone_without_a_private_chat_links_to_one(
    bot: BotHarness,
) -> None:
    card = await bot.ask(GROUP, f"/paper {PAPER}", chat_type="supergroup")
    assert "★ Saved" not in labels(card)  # one keyboard for every member
    answer, _ = await bot.press(GROUP, card, button(card, "⭐ Save"), user_id=MEMBER)
    assert answer is not None
    assert answer["url"] == f"https://t.me/{bot.app.bot.username}?start=saved"
    assert "open a private chat with me" in answer["text"]
    assert bot.store.mark(MEMBER, PAPER) == PaperMark(saved=True)
    await bot.ask(MEMBER, "/help")  # now they have a private chat with the bot
    answer, _ = await bot.press(GROUP, card, button(card, "⭐ Save"), user_id=MEMBER)
    assert answer is not None
    assert "url" not in answer
    assert answer["text"] == "Removed from your saved papers."


async def test_library_group_rating_is_the_members_and_a_vote_of_the_group(
    bot: BotHarness,
) -> None:
    card = await bot.ask(GROUP, f"/paper {PAPER}", chat_type="supergroup")
    up = button(card, "👍")
    answer, _ = await bot.press(GROUP, card, up, user_id=MEMBER)
    assert answer is not None
    assert answer["text"] == "👍 counted for you and this group."
    await bot.press(GROUP, card, up, user_id=MEMBER + 1)
    assert bot.store.group_votes(GROUP) == {PAPER: 2}
    assert bot.store.mark(MEMBER, PAPER).rating == 1
    answer, _ = await bot.press(GROUP, card, up, user_id=MEMBER)  # the same again: cleared
    assert answer is not None
    assert answer["text"] == "Rating cleared."
    assert bot.store.group_votes(GROUP) == {PAPER: 1}


async def test_library_forged_or_moved_presses_are_refused_and_store_nothing(
    bot: BotHarness,
) -> None:
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    other = await bot.ask(CHAT + 1, f"/paper {PAPER}")
    forged = [
        f"sv|{PAPER}|1|card|AAAAAAAAAA",
        f"r|{PAPER}|1|card",
        button(other, "⭐ Save"),  # signed for another chat
    ]
    for data in forged:
        answer, _ = await bot.press(CHAT, card, data)
        assert answer is not None
        assert answer["text"] == "This button is no longer valid. Send the command again."
    assert bot.store.library_counts(CHAT) == LibraryCounts()


async def test_library_saved_lists_newest_first_with_the_total_and_opens_cards(
    fake: FakeBotApi, db_path: Path
) -> None:
    clock = Clock(dt.datetime(2026, 2, 10, 9, 0, tzinfo=dt.UTC))
    async with running_bot(fake, db_path, clock=clock) as bot:
        assert (await bot.ask(CHAT, "/saved"))["text"].startswith("Nothing saved yet.")
        for paper_id in ("2602.90002", "2602.90001", "2602.90003"):
            card = await bot.ask(CHAT, f"/paper {paper_id}")
            await bot.tap(CHAT, card, "⭐ Save")
            clock.advance(minutes=1)
        listing = await bot.ask(CHAT, "/saved")
        assert listing["text"].startswith("Your 3 saved papers, newest first\n\n1. Counting")
        assert labels(listing) == ["1", "2", "3"]
        await bot.tap(CHAT, listing, "3")
        assert bot.fake.last_message(CHAT)["text"].startswith("Quiet Gradients")


async def test_library_saved_and_forget_in_a_group_point_to_the_private_chat(
    bot: BotHarness,
) -> None:
    for command in ("/saved", "/forget"):
        reply = await bot.ask(GROUP, command, chat_type="supergroup", user_id=MEMBER)
        assert reply["text"].startswith("Your saved papers and ratings are yours alone")
        (link,) = reply["reply_markup"]["inline_keyboard"][0]
        assert link["url"] == f"https://t.me/{bot.app.bot.username}?start=saved"


async def test_library_forget_asks_first_then_deletes(bot: BotHarness) -> None:
    assert (await bot.ask(CHAT, "/forget"))["text"] == (
        "Your library is empty: there is nothing to forget."
    )
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    await bot.tap(CHAT, card, "⭐ Save")
    await bot.tap(CHAT, card, "👍")
    question = await bot.ask(CHAT, "/forget")
    assert "1 saved, 1 👍, 0 👎" in question["text"]
    _, kept = await bot.tap(CHAT, question, "Keep it")
    assert kept["text"] == "Kept your library as it is."
    assert bot.store.library_counts(CHAT) == LibraryCounts(saved=1, liked=1)
    question = await bot.ask(CHAT, "/forget")
    yes = button(question, "Yes")
    _, done = await bot.press(CHAT, question, yes)
    assert done["text"] == "Deleted your library: 1 saved, 1 👍, 0 👎."
    assert bot.store.library_counts(CHAT) == LibraryCounts()
    _, again = await bot.press(CHAT, question, yes)  # an old copy: nothing left to delete
    assert again["text"] == "Your library is empty: there is nothing to forget."


async def test_library_settings_show_the_library_in_a_private_chat_only(
    bot: BotHarness,
) -> None:
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    await bot.tap(CHAT, card, "⭐ Save")
    assert "Your library: 1 saved, 0 👍, 0 👎" in (await bot.ask(CHAT, "/settings"))["text"]
    group = await bot.ask(GROUP, "/settings", chat_type="supergroup")
    assert "Your library" not in group["text"]


async def test_library_share_opens_the_inline_mode_with_the_papers_id(
    fake: FakeBotApi, db_path: Path
) -> None:
    """With inline mode on (@BotFather /setinline), a card's ↗ Share types the paper's id after
    the bot's name, and that inline query answers with the paper's card."""
    fake.set_inline_mode()
    async with running_bot(fake, db_path) as bot:
        card = await bot.ask(CHAT, f"/paper {PAPER}")
        share = card["reply_markup"]["inline_keyboard"][-1][-1]
        assert share == {"text": "↗ Share", "switch_inline_query": PAPER}
        answer = await bot.inline(CHAT + 5, share["switch_inline_query"])
        (result,) = answer["results"]
        assert result["message"]["text"].startswith("A*-Guided Pruning")


async def test_library_start_link_from_a_group_opens_the_saved_papers(bot: BotHarness) -> None:
    card = await bot.ask(GROUP, f"/paper {PAPER}", chat_type="supergroup")
    answer, _ = await bot.press(GROUP, card, button(card, "⭐ Save"), user_id=MEMBER)
    assert answer is not None
    payload = answer["url"].partition("?start=")[2]
    listing = await bot.ask(MEMBER, f"/start {payload}")
    assert listing["text"].startswith("Your 1 saved paper, newest first\n\n1. A*-Guided Pruning")
