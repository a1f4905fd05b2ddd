"""End to end: /similar and the 🔗 Similar button through the fake Bot API."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botharness import BotHarness, button, buttons, running_bot, seed, write_digest
from conftest import SEED_DIGESTS
from fakebotapi import FakeBotApi

CHAT = 1001
GROUP = -100200300
PAPER = "2602.90001"
"""Adapter pruning as A* search, from the fixture digest."""
TITLE = r"A*-Guided Pruning of LVLM_Tiny Adapters in $\mathcal{O}(n \log n)$ Time"
ALIKE = [
    {
        "id": "2602.91001",
        "title": "Heuristic search for adapter pruning",
        "tldr": "用启发式搜索做适配器剪枝。",
        "abstract": "Adapter pruning as a heuristic search over the adapters, with fine-tuning "
        "once at the end.",
    },
    {
        "id": "2602.91002",
        "title": "Pruning adapters of tiny LVLMs",
        "tldr": "适配器剪枝让小模型更快。",
        "abstract": "We prune the adapters of LVLM_Tiny; pruned adapters run faster.",
    },
    {
        "id": "2602.91004",
        "title": r"Sorting $n$ keys with $\mathcal{O}(n \log n)$ comparators",
        "tldr": "比较器网络的排序。",
        "abstract": r"Comparator networks sort $\ell$ lists: $\mathcal{O}(n \log n)$ gates.",
    },
    {
        "id": "2602.91003",
        "title": "Rotation curves of dwarf galaxies",
        "tldr": "矮星系的旋转曲线。",
        "abstract": "Rotation curves of dwarf galaxies constrain dark matter cores.",
    },
]


FILLER = [
    {
        "id": f"2602.92{n:03d}",
        "title": f"A study of topic {n} in the field",
        "abstract": "We report the results of this study and the data.",
    }
    for n in range(60)
]
"""Papers that make the words every paper uses as common as they are in real digests."""


@pytest.fixture
async def bot(
    fake: FakeBotApi, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[BotHarness]:
    """The bot with the fixture digest, four more papers (two of them like PAPER, one with its
    formula) and filler."""
    caplog.set_level(logging.WARNING)
    db_path = tmp_path / "similar.db"
    seed(db_path, *SEED_DIGESTS, write_digest(tmp_path / "2026-02-11.md", ALIKE + FILLER))
    async with running_bot(fake, db_path) as harness:
        yield harness
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


async def test_similar_lists_the_papers_like_one_each_a_tap_from_its_card(
    bot: BotHarness,
) -> None:
    """The two papers on adapter pruning come first; the fixture's others share a few words."""
    reply = await bot.ask(CHAT, f"/similar {PAPER}")
    header, _, first, meta, tldr, why, *_ = reply["text"].split("\n")
    assert header == f"4 papers like {TITLE}"
    assert first == "1. Heuristic search for adapter pruning"
    assert meta == "cs.LG · 2026-02-11"
    assert tldr == "用启发式搜索做适配器剪枝。"
    assert why == "shared: pruning · adapter · as · Heuristic · search"
    assert "\n2. Pruning adapters of tiny LVLMs\n" in reply["text"]
    assert "Rotation curves" not in reply["text"]
    assert "Sorting" not in reply["text"]  # its formula is like PAPER's, its subject is not
    assert [text for text, _ in buttons(reply)] == ["1", "2", "3", "4"]
    await bot.tap(CHAT, reply, "1")
    card = bot.fake.last_message(CHAT)
    assert card["text"].startswith("Heuristic search for adapter pruning\n")


async def test_similar_takes_any_form_of_arxiv_id(bot: BotHarness) -> None:
    reply = await bot.ask(CHAT, f"/similar https://arxiv.org/abs/{PAPER}v2")
    assert reply["text"].startswith("4 papers like A*-Guided Pruning")


async def test_similar_button_under_a_card_sends_the_list_as_a_new_message(
    bot: BotHarness,
) -> None:
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    answer, still = await bot.tap(CHAT, card, "🔗 Similar")
    assert answer is not None
    assert "text" not in answer
    assert still["text"] == card["text"]
    listed = bot.fake.last_message(CHAT)
    assert listed["message_id"] != card["message_id"]
    assert listed["text"].startswith("4 papers like A*-Guided Pruning")


async def test_similar_answers_in_groups_too(bot: BotHarness) -> None:
    card = await bot.ask(GROUP, f"/paper {PAPER}", chat_type="supergroup")
    await bot.tap(GROUP, card, "🔗 Similar")
    assert bot.fake.last_message(GROUP)["text"].startswith("4 papers like")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/similar", "Usage: /similar <arXiv id or link>\ne.g. /similar 2510.19260"),
        ("/similar pruning",
         "pruning is not an arXiv id. Send it like /similar 2510.19260 or paste an arXiv link."),
        ("/similar 2602.99999", "2602.99999 is not in any digest I have. Open it on arXiv."),
        ("/similar 2602.91003",
         "No other paper I have is like Rotation curves of dwarf galaxies: none shares enough of "
         "its telling words."),
    ],
)  # fmt: skip
async def test_similar_answers_bad_input_in_one_sentence(
    bot: BotHarness, typed: str, expected: str
) -> None:
    reply = await bot.ask(CHAT, typed)
    assert reply["text"] == expected
    assert buttons(reply) == []


async def test_similar_button_forged_or_for_an_unknown_paper_changes_nothing(
    bot: BotHarness,
) -> None:
    card = await bot.ask(CHAT, f"/paper {PAPER}")
    similar = button(card, "🔗 Similar")
    sent = len(bot.fake.calls_to("sendMessage"))
    for data in ("m|2602.90001|forged", similar.replace(PAPER, "2602.90002"), "m|2602.99999"):
        answer, _ = await bot.press(CHAT, card, data)
        assert answer is not None
        assert answer["text"] == "This button is no longer valid. Send the command again."
    assert len(bot.fake.calls_to("sendMessage")) == sent
