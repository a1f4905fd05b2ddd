"""End to end: a chat reads the AI summaries in the language it chose, with a visible fallback,
and search finds a paper by either language's words."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botharness import BotHarness, running_bot, seed
from fakebotapi import FakeBotApi

from bot.models import Paper, Summary
from bot.rules.filters import InvalidFilterError
from bot.rules.summaries import in_language, parse_summaries_choice, reading
from bot.text.messages import fallback_note

CHAT = 2024
BOTH, ZH_ONLY = "2606.10001", "2606.10002"


def record(paper_id: str, title: str, ai: dict[str, str]) -> str:
    return json.dumps(
        {"id": paper_id, "categories": ["cs.LG"], "authors": ["Ada Quill"], "title": title,
         "summary": "An abstract.", "AI": ai},
        ensure_ascii=False,
    )  # fmt: skip


@pytest.fixture
async def bot(fake: FakeBotApi, tmp_path: Path) -> AsyncIterator[BotHarness]:
    zh = tmp_path / "2026-06-10_AI_enhanced_Chinese.jsonl"
    zh.write_text(
        record(BOTH, "Sparse experts", {"tldr": "稀疏专家的剪枝。"}) + "\n"
        + record(ZH_ONLY, "Quiet galaxies", {"tldr": "安静的星系。", "motivation": "为何安静。"})
        + "\n",
        encoding="utf-8",
    )  # fmt: skip
    en = tmp_path / "2026-06-10_AI_enhanced_English.jsonl"
    en.write_text(record(BOTH, "Sparse experts", {"tldr": "Pruning sparse experts."}) + "\n")
    seed(tmp_path / "bot.db", zh, en)
    async with running_bot(fake, tmp_path / "bot.db") as harness:
        yield harness


async def test_a_chat_reads_the_language_it_chose(bot: BotHarness) -> None:
    answer = await bot.ask(CHAT, "/summaries en")
    assert answer["text"].startswith("Papers will show their English AI summary")
    card = await bot.ask(CHAT, f"/paper {BOTH}")
    assert "Pruning sparse experts." in card["text"]
    assert "稀疏" not in card["text"]
    await bot.tap(CHAT, card, "⭐")
    saved = await bot.ask(CHAT, "/saved")
    assert "Pruning sparse experts." in saved["text"]
    other = await bot.ask(CHAT, f"/paper {ZH_ONLY}")
    assert "(no English summary; Chinese shown) 安静的星系。" in other["text"]
    _, motivation = await bot.tap(CHAT, other, "Motivation")
    assert "(no English summary; Chinese shown) 为何安静。" in motivation["text"]
    await bot.ask(CHAT, "/summaries zh")
    card = await bot.ask(CHAT, f"/paper {BOTH}")
    assert "稀疏专家的剪枝。" in card["text"]
    settings = await bot.ask(CHAT, "/settings")
    assert "AI summaries in: Chinese" in settings["text"]


async def test_search_finds_a_paper_by_either_language_and_shows_the_chosen_one(
    bot: BotHarness,
) -> None:
    await bot.ask(CHAT, "/summaries zh")
    found = await bot.ask(CHAT, "/search pruning")
    assert "Sparse experts" in found["text"]
    assert "稀疏专家的剪枝" in found["text"]
    found = await bot.ask(CHAT, "/search 剪枝")
    assert "Sparse experts" in found["text"]


async def test_settings_say_what_a_chat_reads_before_and_after_any(bot: BotHarness) -> None:
    settings = await bot.ask(CHAT, "/settings")
    assert (
        "AI summaries in: English (this chat's language) where a paper has it, else the digest's "
        "own (/summaries)\n"
    ) in settings["text"]
    await bot.ask(CHAT, "/summaries any")
    settings = await bot.ask(CHAT, "/settings")
    assert (
        "AI summaries in: whatever language the digests brought (/summaries)\n"
        in (settings["text"])
    )


async def test_settings_say_what_a_chinese_chat_reads_in_chinese(bot: BotHarness) -> None:
    await bot.ask(CHAT, "/language zh")
    settings = await bot.ask(CHAT, "/settings")
    assert (
        "AI 摘要语言：中文（本聊天的界面语言），论文没有时显示日报原有的语言（/summaries）\n"
        in settings["text"]
    )
    await bot.ask(CHAT, "/summaries any")
    settings = await bot.ask(CHAT, "/settings")
    assert "AI 摘要语言：日报原有的语言（/summaries）\n" in settings["text"]
    assert "any" not in settings["text"]


@pytest.mark.parametrize("text", ["/summaries", "/summaries fr", "/summaries zh en"])
async def test_summaries_refuses_what_it_cannot_show(bot: BotHarness, text: str) -> None:
    await bot.ask(CHAT, "/help")  # the first message records the chat's language
    before = bot.store.subscription(CHAT)
    answer = await bot.ask(CHAT, text)
    assert answer["text"].startswith(("AI summaries in: English", "Send zh (Chinese)"))
    assert text != "/summaries" or "\n\nUsage: /summaries zh | en | ja | any" in answer["text"]
    assert bot.store.subscription(CHAT) == before


def test_the_choice_and_the_fallback_are_pure_rules() -> None:
    assert parse_summaries_choice(" EN ") == "en"
    assert parse_summaries_choice("any") == "any"
    with pytest.raises(InvalidFilterError):
        parse_summaries_choice("fr")
    assert reading("en", "zh") == ("en", True)
    assert reading(None, "zh") == ("zh", False)
    paper = Paper("1", "T", tldr="latest", summaries=(Summary("ja", tldr="日本語です。"),))
    assert in_language(paper, "any") is paper
    assert in_language(paper, "ja").tldr == "日本語です。"
    assert in_language(paper, "en") is paper  # not chosen: the latest run's text, silently
    said = in_language(paper, "en", note=fallback_note)
    assert said.tldr == "(no English summary; Japanese shown) 日本語です。"
    assert said.motivation is None
    method = Paper("3", "T", summaries=(Summary("zh", method="方法。"),))
    said = in_language(method, "en", note=fallback_note)
    assert (said.tldr, said.method) == (
        "(no English summary; Chinese shown)",
        "(no English summary; Chinese shown) 方法。",
    )
    assert in_language(Paper("2", "T", tldr="old"), "en", note=fallback_note).tldr == "old"
