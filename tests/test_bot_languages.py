"""End to end: a chat's interface language, from the person's app or /language, in everything
the bot says there, and the command menus per language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from botharness import BotHarness, buttons, write_digest

CHAT = 2468
GROUP = -100777666
ADMIN_USER = 41
MEMBER_USER = 42
ENGLISH_RUN = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")
"""Three English words in a row: a sentence, or a piece of one."""
COMMAND = re.compile(r"/[a-z_]+(?: [a-z0-9.:_-]+)*")
"""A command as typed, with its arguments (``/frequency weekly fri``): syntax, not English."""
PAPER = {
    "id": "2602.11001",
    "title": "Structured pruning of large language models",
    "category": "cs.LG",
    "tldr": "结构化剪枝让大模型更小更快。",
}


LIKE_PAPER = {
    "id": "2602.11002",
    "title": "Pruning large language models with structured sparsity",
    "category": "cs.LG",
    "tldr": "用结构化稀疏为大模型剪枝。",
}
PAPER_TEXT = (PAPER["title"], LIKE_PAPER["title"], "Ada Quill, Bo Lindqvist")
"""The papers' own words (titles, authors), which no catalog translates."""


def english_runs(text: str, own: Sequence[str] = PAPER_TEXT) -> list[str]:
    """English runs of words in ``text``, the papers' ``own`` titles and authors left out."""
    for words in sorted(own, key=len, reverse=True):
        text = text.replace(words, "")
    return ENGLISH_RUN.findall(COMMAND.sub("", text))


async def test_a_chinese_reader_meets_no_english_from_start_to_a_delivery(
    bot: BotHarness, tmp_path: Path
) -> None:
    bot.fake.set_language(CHAT, "zh-hans")
    seen: list[str] = []
    welcome = await bot.ask(CHAT, "/start")
    answer, _ = await bot.tap(CHAT, welcome, "订阅每日论文")
    assert answer is not None
    seen.append(answer["text"])
    prompt = await bot.ask(CHAT, "/categories")
    answer, shown = await bot.tap(CHAT, prompt, "cs.LG")
    assert answer is not None
    assert answer["text"] == "已添加 cs.LG"
    seen += [label for label, _ in buttons(shown)]
    await bot.ask(CHAT, "/keywords add pruning 剪枝")
    await bot.ask(CHAT, "/keywords")
    settings = await bot.ask(CHAT, "/settings")
    assert "界面语言：中文（/language）" in settings["text"]
    sent = len(bot.fake.sent_to(CHAT))
    await bot.publish(write_digest(tmp_path / "2026-02-11.md", [PAPER]))
    await bot.fake.wait_for("sendMessage", n=sent + 1, where=lambda p: p["chat_id"] == CHAT)
    delivered = bot.fake.last_message(CHAT)
    assert "<b>" not in delivered["text"]
    assert delivered["text"].startswith("2026-02-11 arXiv 日报：1 篇论文符合你的筛选条件")
    assert "命中：pruning" in delivered["text"]
    seen += bot.fake.sent_to(CHAT) + [label for label, _ in buttons(welcome)]
    assert [run for text in seen for run in english_runs(text)] == []
    assert bot.store.subscription(CHAT).active


async def test_a_chinese_reader_meets_no_english_in_search_lists_library_feed_and_refusals(
    bot: BotHarness, tmp_path: Path
) -> None:
    bot.fake.set_language(CHAT, "zh-hans")
    await bot.publish(write_digest(tmp_path / "2026-02-11.md", [PAPER, LIKE_PAPER]))
    answers: list[str] = []
    found = await bot.ask(CHAT, "/search pruning -survey cat:9")
    assert found["text"].startswith("3 条结果：pruning -survey cat:9\n")
    assert "已忽略“cat:9”：不是 cs.LG 这样的 arXiv 分类。" in found["text"]
    assert (await bot.ask(CHAT, "/search"))["text"].startswith("用法：/search")
    category = await bot.ask(CHAT, "/category cs.LG")
    assert category["text"].startswith("cs.LG — 2 篇论文（2026-02-11 日报）")
    await bot.ask(CHAT, "/category")
    await bot.ask(CHAT, "/latest")
    card = await bot.ask(CHAT, f"/paper {PAPER['id']}")
    answer, card = await bot.tap(CHAT, card, "⭐ 收藏")
    assert answer is not None
    answers.append(answer["text"])
    answer, _ = await bot.tap(CHAT, card, "👍")
    assert answer is not None
    answers.append(answer["text"])
    saved = await bot.ask(CHAT, "/saved")
    assert saved["text"].startswith("你收藏的 1 篇论文，最新收藏在前")
    await bot.ask(CHAT, "/saved export xml")
    await bot.ask(CHAT, "/foryou")
    ranking = await bot.ask(CHAT, "/ranking on")
    assert ranking["text"].startswith("摘要将根据你的 👍、👎 评价和 ⭐ 收藏")
    await bot.ask(CHAT, "/suggest off")
    refused = await bot.ask(CHAT, "/time 25:99")
    assert refused["text"].startswith("请用 24 小时制的 HH:MM 发送时间")
    await bot.ask(CHAT, "/timezone Mars/Base")
    await bot.ask(CHAT, "/keywords add")
    await bot.ask(CHAT, "/frequency hourly")
    similar = await bot.ask(CHAT, f"/similar {PAPER['id']}")
    assert "共有词：" in similar["text"]
    await bot.ask(CHAT, "/forget")
    papers = [p for day in bot.store.digest_dates() for p in bot.store.papers_in_digest(day)]
    own = [text for p in papers for text in (p.title, ", ".join(p.authors), p.tldr or "")]
    seen = bot.fake.sent_to(CHAT) + answers
    assert [run for text in seen for run in english_runs(text, own)] == []


async def test_a_chinese_reader_meets_no_english_in_a_fresh_foryou_and_settings(
    bot: BotHarness, tmp_path: Path
) -> None:
    bot.fake.set_language(CHAT, "zh-hans")
    await bot.publish(write_digest(tmp_path / "2026-02-11.md", [PAPER, LIKE_PAPER]))
    newest = (await bot.ask(CHAT, "/foryou"))["text"]
    assert newest.startswith("为你推荐：最近 7 天符合你筛选条件的最新 ")
    assert "篇论文，未推送过的在前。用 👍、👎 评价论文" in newest
    await bot.ask(CHAT, "/keywords add pruning")
    matched = (await bot.ask(CHAT, "/foryou"))["text"]
    assert "，未推送过的在前，按与你的关键词或作者的匹配程度排序，相同时最新的在前。" in matched
    settings = (await bot.ask(CHAT, "/settings"))["text"]
    assert "AI 摘要语言：中文（本聊天的界面语言），论文没有时显示日报原有的语言（/summaries）" in (
        settings
    )
    papers = [p for day in bot.store.digest_dates() for p in bot.store.papers_in_digest(day)]
    own = [text for p in papers for text in (p.title, ", ".join(p.authors), p.tldr or "")]
    assert [run for text in bot.fake.sent_to(CHAT) for run in english_runs(text, own)] == []


async def test_a_chinese_group_is_told_what_its_members_may_not_change_and_how_to_search(
    bot: BotHarness,
) -> None:
    bot.fake.set_admins(GROUP, ADMIN_USER)
    await bot.ask(GROUP, "/language zh", user_id=ADMIN_USER, chat_type="supergroup")
    welcome = (await bot.ask(GROUP, "/start", user_id=MEMBER_USER))["text"]
    assert "• 在群里我只回应命令：/paper 2510.19260（或 arXiv 链接）查看论文卡片" in welcome
    assert "发送任意词语" not in welcome
    help_text = (await bot.ask(GROUP, "/help", user_id=MEMBER_USER))["text"]
    assert help_text.endswith("在群里我只回应命令：/paper 查看论文，/search 检索日报。")
    refusals = [
        (await bot.ask(GROUP, command, user_id=MEMBER_USER))["text"]
        for command in ("/language en", "/summaries en", "/keywords add pruning", "/unsubscribe")
    ]
    assert refusals == [
        "只有本群管理员可以修改我在本群使用的语言。",
        "只有本群管理员可以修改群的 AI 摘要语言。",
        "只有本群管理员可以修改群的设置。",
        "只有本群管理员可以修改群的订阅。",
    ]
    assert [run for text in bot.fake.sent_to(GROUP) for run in english_runs(text)] == []


async def test_language_switches_the_chat_and_refuses_what_it_does_not_know(
    bot: BotHarness,
) -> None:
    assert (await bot.ask(CHAT, "/language zh"))["text"] == "在本聊天中，我将使用中文。"
    assert bot.store.chat_language(CHAT) == "zh"
    usage = (await bot.ask(CHAT, "/language klingon"))["text"]
    assert usage.startswith("用法：/language en | zh\n")
    assert "可选语言：en English, zh 中文" in usage
    assert (await bot.ask(CHAT, "/language EN"))["text"] == "I will speak English in this chat."
    assert (await bot.ask(CHAT, "/help"))["text"].startswith("Commands")


async def test_a_private_chat_keeps_its_language_when_the_app_changes(bot: BotHarness) -> None:
    bot.fake.set_language(CHAT, "zh-hant")
    assert "我不认识这个命令" in (await bot.ask(CHAT, "/nonsense"))["text"]
    bot.fake.set_language(CHAT, "de")
    assert "我不认识这个命令" in (await bot.ask(CHAT, "/nonsense"))["text"]
    await bot.ask(CHAT, "/language en")
    assert "know that command" in (await bot.ask(CHAT, "/nonsense"))["text"]


async def test_a_groups_language_is_english_until_its_admins_choose(bot: BotHarness) -> None:
    bot.fake.set_admins(GROUP, ADMIN_USER)
    bot.fake.set_language(MEMBER_USER, "zh-hans")
    refused = await bot.ask(GROUP, "/language zh", user_id=MEMBER_USER, chat_type="supergroup")
    assert refused["text"] == (
        "Only this group's administrators can change the language I speak here."
    )
    assert bot.store.chat_language(GROUP) is None
    chosen = await bot.ask(GROUP, "/language zh", user_id=ADMIN_USER, chat_type="supergroup")
    assert chosen["text"] == "在本聊天中，我将使用中文。"
    refused = await bot.ask(GROUP, "/subscribe", user_id=MEMBER_USER)
    assert refused["text"] == "只有本群管理员可以修改群的订阅。"


async def test_the_menus_the_fake_keeps_are_one_per_language(bot: BotHarness) -> None:
    default = bot.fake.state.commands[('{"type": "default"}', "")]
    chinese = bot.fake.state.commands[('{"type": "default"}', "zh")]
    assert [c["command"] for c in default] == [c["command"] for c in chinese]
    assert {c["command"]: c["description"] for c in chinese}["language"] == "本聊天的界面语言"
    assert {c["command"]: c["description"] for c in default}["language"] == (
        "the language I speak in this chat"
    )
