"""End to end through the fake Bot API: /start, /help, papers, search, /latest, /category."""

from __future__ import annotations

from pathlib import Path

import pytest
from botharness import ADMIN, BotHarness, button, buttons, running_bot, seed, write_digest
from fakebotapi import FakeBotApi

from handlers.registry import COMMANDS

CHAT = 1001
GROUP = -100200300


async def test_startup_registers_the_command_menu_in_every_language(bot: BotHarness) -> None:
    """English for every app without a menu of its own, then one menu per catalog."""
    default, chinese = bot.fake.calls_to("setMyCommands")
    assert "language_code" not in default
    assert chinese["language_code"] == "zh"
    for call in (default, chinese):
        names = [c["command"] for c in call["commands"]]
        assert names == [c.name for c in COMMANDS if not c.admin]
        assert "stats" not in names
    summaries = {c["command"]: c["description"] for c in chinese["commands"]}
    assert summaries["subscribe"] == "接收符合筛选条件的论文"
    assert "一周精选前 20 篇" in summaries["frequency"]


async def test_start_welcomes_with_a_subscribe_button(bot: BotHarness) -> None:
    reply = await bot.ask(CHAT, "/start")
    assert "daily arXiv digests" in reply["text"]
    answer, _ = await bot.tap(CHAT, reply, "Subscribe")
    assert answer is not None
    assert bot.store.subscription(CHAT).active


async def test_start_and_help_in_a_group_point_to_commands_since_plain_text_is_not_read(
    bot: BotHarness,
) -> None:
    """Privacy mode keeps a group's plain text from the bot: its welcome offers /search."""
    welcome = (await bot.ask(GROUP, "/start", chat_type="supergroup"))["text"]
    assert "• In a group I answer commands only: /paper 2510.19260 (or an arXiv link)" in welcome
    assert "/search pruning searches all digests (Chinese too)." in welcome
    assert "Send any words" not in welcome
    help_text = (await bot.ask(GROUP, "/help"))["text"]
    assert help_text.endswith(
        "In a group I answer commands only: /paper opens a paper, /search searches the digests."
    )
    private = (await bot.ask(CHAT, "/start"))["text"]
    assert "• Send any words to search all digests (Chinese too).\n" in private
    assert (await bot.ask(CHAT, "/help"))["text"].endswith("any other text is searched.")


async def test_help_lists_every_public_command_and_the_matching_rule(bot: BotHarness) -> None:
    text = (await bot.ask(CHAT, "/help"))["text"]
    for command in COMMANDS:
        assert (f"/{command.name} " in text) is not command.admin
    assert "/category (or /cat)" in text
    assert "cross-lists included" in text


@pytest.mark.parametrize(
    "typed",
    [
        "/paper 2602.90001",
        "/paper arXiv:2602.90001v3",
        "2602.90001",
        "https://arxiv.org/abs/2602.90001v1",
        "https://arxiv.org/pdf/2602.90001",
        "arxiv.org/html/2602.90001v2",
        "(2602.90001).",
        "https://arxiv.org/abs/2602.90001?context=cs",
        "[2602.90001](https://arxiv.org/abs/2602.90001)",
        "https://huggingface.co/papers/2602.90001",
        "https://www.alphaxiv.org/abs/2602.90001",
    ],
)
async def test_paper_card_opens_from_any_form_of_id(bot: BotHarness, typed: str) -> None:
    reply = await bot.ask(CHAT, typed)
    assert reply["text"].startswith("A*-Guided Pruning of LVLM_Tiny Adapters")
    assert "Ada Quill" in reply["text"]
    assert "cs.LG" in reply["text"]
    assert "cs.CV" in reply["text"]
    assert "2026-02-10" in reply["text"]
    assert "提出一种A*引导的适配器剪枝方法" in reply["text"]
    labels = [text for text, _ in buttons(reply)]
    assert labels == [
        *("Motivation", "Method", "Result", "Conclusion", "Abstract"),
        *("⭐ Save", "👍", "👎", "🔗 Similar"),
    ]


async def test_a_message_of_several_ids_opens_each_card(bot: BotHarness) -> None:
    await bot.ask(CHAT, "2602.90001, https://arxiv.org/abs/2602.90003\n2602.90001v2", replies=2)
    cards = bot.fake.sent_to(CHAT)
    assert len(cards) == 2
    assert cards[0].startswith("A*-Guided Pruning")
    assert cards[1].startswith("Counting Commas in 40 Languages")


async def test_a_message_of_more_ids_than_cards_says_how_many_were_shown(bot: BotHarness) -> None:
    ids = " ".join(["2602.90001", "2602.90002", "2602.90003", *(f"2602.8000{n}" for n in range(4))])
    last = await bot.ask(CHAT, ids, replies=6)
    sent = bot.fake.sent_to(CHAT)
    assert len(sent) == 6
    assert "2602.80000 is not in any digest I have" in sent[3]
    assert last["text"] == (
        "Those are the first 5 of the 7 papers you listed; send the others in another message."
    )


async def test_paper_sections_edit_the_card_in_place_and_back(bot: BotHarness) -> None:
    card = await bot.ask(CHAT, "/paper 2602.90001")
    _, shown = await bot.tap(CHAT, card, "Method")
    assert shown["message_id"] == card["message_id"]
    assert "以$\\ell_1$范数作为启发函数" in shown["text"]
    _, shown = await bot.tap(CHAT, shown, "Abstract")
    assert "Conclusion: heuristic search is a cheap substitute" in shown["text"]
    _, back = await bot.tap(CHAT, shown, "◂ Back")
    assert back["text"] == card["text"]


async def test_old_copies_of_buttons_are_answered_without_an_edit_telegram_rejects(
    bot: BotHarness,
) -> None:
    """A section already shown, or "Back to the card" on the card: the press is answered and no
    edit is sent that Telegram would refuse as "message is not modified"."""
    card = await bot.ask(CHAT, "/paper 2602.90001")
    card_text, result = card["text"], button(card, "Result")
    for _ in range(2):
        answer, shown = await bot.press(CHAT, card, result)
        assert answer is not None
    back = button(shown, "◂ Back")
    for _ in range(2):
        answer, shown = await bot.press(CHAT, card, back)
        assert answer is not None
    assert shown["text"] == card_text
    assert len(bot.fake.calls_to("editMessageText", ok=True)) == 2
    assert bot.fake.calls_to("editMessageText", ok=False) == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/paper 2510.99999", "2510.99999 is not in any digest I have. Open it on arXiv."),
        ("/paper <b>not-an-id</b>", "<b>not-an-id</b> is not an arXiv id."),
        ("/paper", "Usage: /paper <arXiv id or link>"),
    ],
)
async def test_paper_refusals_are_one_clear_sentence(
    bot: BotHarness, typed: str, expected: str
) -> None:
    assert (await bot.ask(CHAT, typed))["text"].startswith(expected)


async def test_plain_text_is_searched_in_private_chats(bot: BotHarness) -> None:
    reply = await bot.ask(CHAT, "剪枝")
    assert "A*-Guided Pruning" in reply["text"]
    assert "Quiet Gradients" not in reply["text"]


async def test_search_pages_with_prev_and_next_in_place(fake: FakeBotApi, tmp_path: Path) -> None:
    papers = [
        {"id": f"2603.{90000 + n}", "title": f"Sparse pruning study number {n}"} for n in range(20)
    ]
    db_path = tmp_path / "paging.db"
    seed(db_path, write_digest(tmp_path / "2026-03-02.md", papers))
    async with running_bot(fake, db_path) as bot:
        first = await bot.ask(CHAT, "/search pruning")
        next_on_first = button(first, "Next")  # the fake's message changes with each edit
        assert first["text"].startswith("20 results for pruning, 1–8\n")
        assert [text for text, _ in buttons(first)] == [*map(str, range(1, 9)), "Next ▸"]
        _, second = await bot.tap(CHAT, first, "Next")
        second_text = second["text"]
        assert second_text.startswith("20 results for pruning, 9–16\n")
        assert [text for text, _ in buttons(second)] == [
            *map(str, range(9, 17)),
            "◂ Prev",
            "Next ▸",
        ]
        _, last = await bot.tap(CHAT, second, "Next")
        assert last["text"].startswith("20 results for pruning, 17–20\n")
        _, back = await bot.tap(CHAT, last, "◂ Prev")
        assert back["text"] == second_text
        assert back["message_id"] == first["message_id"]
        # Next ▸ on an old copy of the first page, which already shows the second: no edit.
        answer, again = await bot.press(CHAT, first, next_on_first)
        assert answer is not None
        assert again["text"] == second_text
        assert fake.calls_to("editMessageText", ok=False) == []


async def test_search_of_fts_syntax_and_sql_is_answered_plainly(bot: BotHarness) -> None:
    for typed in ('NEAR(a b) OR "x', "'; DROP TABLE papers; --", "*", "cat:", "-", "a" * 5000):
        reply = await bot.ask(CHAT, typed)
        assert reply["text"]


async def test_unknown_command_and_stats_for_non_admins_get_the_same_answer(
    bot: BotHarness,
) -> None:
    unknown = await bot.ask(CHAT, "/frobnicate")
    stats = await bot.ask(CHAT, "/stats")
    assert unknown["text"] == stats["text"]
    assert "don't know that command" in unknown["text"]


async def test_stats_for_admins(bot: BotHarness) -> None:
    text = (await bot.ask(ADMIN, "/stats"))["text"]
    assert "papers: 3" in text


async def test_stats_in_a_group_points_the_admin_to_a_private_chat(bot: BotHarness) -> None:
    group = -100777
    bot.fake.add_chat(group, chat_type="supergroup", title="Lab")
    text = (await bot.ask(group, "/stats", user_id=ADMIN))["text"]
    assert text == (
        "/stats answers in a private chat with me only: it names the bot's sources and problems."
    )
    assert "papers:" not in "".join(bot.fake.sent_to(group))


async def test_latest_shows_counts_and_category_buttons(bot: BotHarness) -> None:
    reply = await bot.ask(CHAT, "/latest")
    assert "Latest digest: 2026-02-10" in reply["text"]
    assert "3 papers" in reply["text"]
    _, _ = await bot.tap(CHAT, reply, "cs.CV")
    page = bot.fake.last_message(CHAT)
    assert "cs.CV — 1 paper in the digest of 2026-02-10" in page["text"]
    assert "A*-Guided Pruning" in page["text"]


async def test_category_without_argument_lists_categories(bot: BotHarness) -> None:
    listing = await bot.ask(CHAT, "/cat")
    assert "cs.LG 2" in listing["text"]
    await bot.tap(CHAT, listing, "cs.CV")
    assert "cs.CV — 1 paper in the digest of 2026-02-10" in bot.fake.last_message(CHAT)["text"]
    text = (await bot.ask(CHAT, "/category CS.lg"))["text"]
    assert "cs.LG — 2 papers in the digest of 2026-02-10" in text


async def test_forged_button_press_changes_nothing(bot: BotHarness) -> None:
    card = await bot.ask(CHAT, "/paper 2602.90001")
    before = bot.store.subscription(CHAT)
    forged = ("sub", "t|cs.LG|0|AAAAAAAAAA", "p|2602.90002|abstract|x", "🙂", "sub|é")
    for data in (*forged, "p|2602.90001|card|日本語"):
        answer, shown = await bot.press(CHAT, card, data)
        assert answer is not None
        assert answer["text"] == "This button is no longer valid. Send the command again."
        assert shown["text"] == card["text"]
    assert bot.store.subscription(CHAT) == before


async def test_button_copied_from_another_chat_is_refused(bot: BotHarness) -> None:
    card = await bot.ask(CHAT, "/start")
    other = await bot.ask(CHAT + 1, "/paper 2602.90001")
    answer, _ = await bot.press(CHAT + 1, other, button(card, "Subscribe"))
    assert answer is not None
    assert "no longer valid" in answer["text"]
    assert not bot.store.subscription(CHAT + 1).active


async def test_commands_work_with_the_bot_username_in_groups(bot: BotHarness) -> None:
    username = bot.app.bot.username
    reply = await bot.ask(GROUP, f"/paper@{username} 2602.90003", chat_type="supergroup")
    assert reply["text"].startswith("Counting Commas")


async def test_a_400_word_query_is_answered_in_one_message_with_one_line_of_what_was_ignored(
    bot: BotHarness,
) -> None:
    reply = await bot.ask(CHAT, " ".join(f"pruning{i}" for i in range(400)))
    await bot.ask(CHAT, "/help")  # the reply after it: nothing else came in between
    texts = bot.fake.sent_to(CHAT)
    assert len(texts) == 2
    assert reply["text"].count("Ignored") == 1


async def test_a_query_cut_at_500_characters_loses_the_word_the_limit_falls_in(
    bot: BotHarness,
) -> None:
    """The limit falls in "adapters": its "adap" would be a term that matches nothing."""
    reply = await bot.ask(CHAT, "/search " + "pruning " * 62 + "adapters " * 20)
    assert reply["text"].startswith("1 result for pruning pruning")
    assert "A*-Guided Pruning" in reply["text"]
    assert reply["text"].endswith(
        "\nOnly the words in the first 500 characters of the query were used."
    )


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        ("/search author:", "Ignored “author:”: nothing to filter by."),
        ("/search cat:", "Ignored “cat:”: nothing to filter by."),
    ],
)
async def test_search_names_an_empty_filter_in_quotes(
    bot: BotHarness, typed: str, answer: str
) -> None:
    reply = await bot.ask(CHAT, typed)
    assert reply["text"].endswith(f"\n{answer}")


async def test_category_pages_say_which_papers_of_how_many(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    papers = [
        {"id": f"2603.{90000 + n}", "title": f"Study {n}", "category": "cs.DC"} for n in range(12)
    ]
    db_path = tmp_path / "category.db"
    seed(db_path, write_digest(tmp_path / "2026-03-02.md", papers))
    async with running_bot(fake, db_path) as bot:
        first = await bot.ask(CHAT, "/category cs.DC")
        assert first["text"].startswith("cs.DC — papers 1–8 of 12 in the digest of 2026-03-02\n")
        _, second = await bot.tap(CHAT, first, "Next")
        assert second["text"].startswith("cs.DC — papers 9–12 of 12 in the digest of 2026-03-02\n")
        assert [text for text, _ in buttons(second)] == ["9", "10", "11", "12", "◂ Prev"]
        await bot.tap(CHAT, second, "12")
        assert bot.fake.last_message(CHAT)["text"].startswith("Study 11\n")
