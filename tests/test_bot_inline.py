"""End to end through the fake Bot API: inline mode (``@bot query``) and the deep link back."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from botharness import BotHarness, running_bot, seed, write_digest
from fakebotapi import FakeBotApi

from bot.text.deeplinks import NOT_A_PAPER_LINK

PERSON = 1001
OTHER = 1002
SAVED_AT = dt.datetime(2026, 2, 11, 9, 0, tzinfo=dt.UTC)
Json = dict[str, Any]


@pytest.fixture
def inline_bot(bot: BotHarness) -> BotHarness:
    """The bot of the fixture digest (2026-02-10: 2602.90001-3), its inline mode on."""
    bot.fake.set_inline_mode()
    return bot


def ids(answer: Json) -> list[str]:
    return [result["id"] for result in answer["results"]]


def start_payload(result: Json) -> str:
    (row,) = result["message"]["reply_markup"]["inline_keyboard"]
    (button,) = row
    assert button["text"] == "Open in the bot"
    url = urlsplit(button["url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "t.me", "/digest_test_bot")
    (payload,) = parse_qs(url.query)["start"]
    return payload


def numbered_papers(count: int, *, prefix: str = "2603.9") -> list[dict[str, str]]:
    return [
        {"id": f"{prefix}{n:04d}", "title": f"Sparse pruning study number {n}"}
        for n in range(count)
    ]


@pytest.mark.parametrize("chat_type", ["private", "group", "sender"])
async def test_inline_search_answers_with_paper_cards_for_anyone(
    inline_bot: BotHarness, chat_type: str
) -> None:
    answer = await inline_bot.inline(PERSON, "剪枝", chat_type=chat_type)
    assert ids(answer) == ["2602.90001"]
    (result,) = answer["results"]
    assert result["title"].startswith("A*-Guided Pruning of LVLM_Tiny Adapters")
    assert result["description"].startswith("cs.LG · 2026-02-10 · 提出一种A*引导的适配器剪枝方法")
    message = result["message"]["text"]
    card = await inline_bot.ask(PERSON, "/paper 2602.90001")
    assert message == card["text"]
    assert start_payload(result) == "p_2602_90001"
    assert (answer["is_personal"], answer["cache_time"], answer["next_offset"]) == (True, 60, "")


async def test_inline_search_pages_through_next_offset(fake: FakeBotApi, tmp_path: Path) -> None:
    db_path = tmp_path / "paging.db"
    seed(db_path, write_digest(tmp_path / "2026-03-02.md", numbered_papers(120)))
    fake.set_inline_mode()
    seen: list[str] = []
    offsets = []
    async with running_bot(fake, db_path) as bot:
        offset = ""
        while True:
            answer = await bot.inline(PERSON, "pruning", offset=offset)
            seen += ids(answer)
            offset = answer["next_offset"]
            offsets.append(offset)
            if not offset:
                break
    assert offsets == ["50", "100", ""]
    assert sorted(seen) == sorted(p["id"] for p in numbered_papers(120))


@pytest.mark.parametrize(
    "typed", ["2602.90002", "arXiv:2602.90002v1", "https://arxiv.org/abs/2602.90002v2"]
)
async def test_inline_id_or_link_gives_that_paper(inline_bot: BotHarness, typed: str) -> None:
    answer = await inline_bot.inline(PERSON, typed)
    assert ids(answer) == ["2602.90002"]
    assert answer["results"][0]["title"] == "Quiet Gradients: Training Without Warm-up"
    assert answer["next_offset"] == ""


async def test_inline_id_not_in_any_digest_gives_nothing(inline_bot: BotHarness) -> None:
    assert ids(await inline_bot.inline(PERSON, "2601.00001")) == []


async def test_inline_first_keystroke_keeps_the_list_shown_before_typing(
    inline_bot: BotHarness,
) -> None:
    """One character would match nearly every paper; the list stays until there are two."""
    before = await inline_bot.inline(PERSON, "")
    assert await inline_bot.inline(PERSON, "g") == before
    assert ids(await inline_bot.inline(PERSON, "剪枝")) == ["2602.90001"]


async def test_inline_empty_query_shows_saved_papers_first_then_the_newest_digest(
    inline_bot: BotHarness,
) -> None:
    inline_bot.store.set_saved(PERSON, "2602.90003", True, now=SAVED_AT)
    mine = await inline_bot.inline(PERSON, "")
    assert ids(mine) == ["2602.90003", "2602.90001", "2602.90002"]
    assert mine["results"][0]["description"].startswith("★ Saved · ")
    assert not any("★" in r["description"] for r in mine["results"][1:])
    assert (mine["is_personal"], mine["cache_time"], mine["next_offset"]) == (True, 5, "")
    theirs = await inline_bot.inline(OTHER, "")
    assert ids(theirs) == ["2602.90001", "2602.90002", "2602.90003"]
    assert theirs["is_personal"] is True


async def test_inline_empty_query_pages_through_saved_then_the_digest_without_repeats(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    db_path = tmp_path / "library.db"
    papers = numbered_papers(120)
    seed(db_path, write_digest(tmp_path / "2026-03-02.md", papers))
    fake.set_inline_mode()
    async with running_bot(fake, db_path) as bot:
        for minute, paper in enumerate(papers[::2]):  # 60 saved, every other paper
            bot.store.set_saved(PERSON, paper["id"], True, now=SAVED_AT.replace(minute=minute))
        pages = [await bot.inline(PERSON, "")]
        while pages[-1]["next_offset"]:
            pages.append(await bot.inline(PERSON, "", offset=pages[-1]["next_offset"]))
    assert [page["next_offset"] for page in pages] == ["s50", "d80", ""]
    shown = [result_id for page in pages for result_id in ids(page)]
    newest_saved_first = [p["id"] for p in papers[::2]][::-1]
    assert shown[:60] == newest_saved_first
    assert shown[60:] == [p["id"] for p in papers[1::2]]
    marked = [r["description"].startswith("★") for page in pages for r in page["results"]]
    assert marked == [True] * 60 + [False] * 60


async def test_inline_results_are_valid_messages_whatever_the_digest_holds(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    """The fake checks each result as Telegram does: HTML, 4096 characters, its keyboard."""
    db_path = tmp_path / "odd.db"
    odd = {
        "id": "2603.90001",
        "title": "Tokens <EOS> & <pad> in a<b " + "very " * 200 + "long title",
        "tldr": "x<y & z " * 1500,
        "abstract": "<script>" * 1000,
    }
    seed(db_path, write_digest(tmp_path / "2026-03-02.md", [odd]))
    fake.set_inline_mode()
    async with running_bot(fake, db_path) as bot:
        for typed in ("EOS", "2603.90001", ""):
            (result,) = (await bot.inline(PERSON, typed))["results"]
            assert len(result["message"]["text"]) <= 4096
            assert result["title"].startswith("Tokens <EOS> & <pad> in a<b very")
            assert len(result["description"]) <= 200


@pytest.mark.parametrize(
    ("typed", "offset"),
    [
        ("x" * 256, ""),
        ('NEAR(a b) OR "x', ""),
        ("'; DROP TABLE papers; --", ""),
        ("- -", ""),
        ("cat:", ""),
        ("剪枝", "abc"),
        ("剪枝", "-50"),
        ("剪枝", "s50"),
        ("剪枝", "9" * 64),
        ("", "50"),
        ("", "x"),
        ("2602.90001", "50"),
    ],
)
async def test_inline_bad_input_is_answered_with_nothing_and_no_error(
    inline_bot: BotHarness, typed: str, offset: str
) -> None:
    answer = await inline_bot.inline(PERSON, typed, offset=offset)
    assert (ids(answer), answer["next_offset"]) == ([], "")


async def test_inline_answer_after_telegram_gave_up_is_not_an_error(
    db_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A query older than 10 s (a backlog after a restart) is refused by Telegram: noted
    quietly, not reported as a failure."""
    clock = {"now": 0.0}
    caplog.set_level(logging.INFO)
    async with FakeBotApi(clock=lambda: clock["now"]) as fake, running_bot(fake, db_path) as bot:
        fake.set_inline_mode()
        query_id = fake.inline_query(PERSON, "剪枝")
        clock["now"] += 10.5  # before the bot could even read the query
        await fake.wait_for("answerInlineQuery", ok=False)
        assert await bot.inline(PERSON, "剪枝")  # and it goes on answering
    assert fake.inline_answer(query_id) is None
    assert [r.levelno for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert any("answered after Telegram stopped waiting" in r.getMessage() for r in caplog.records)


async def test_inline_deep_link_opens_the_card_in_the_bot(inline_bot: BotHarness) -> None:
    (result,) = (await inline_bot.inline(PERSON, "2602.90001"))["results"]
    opened = await inline_bot.ask(PERSON, f"/start {start_payload(result)}")
    card = await inline_bot.ask(PERSON, "/paper 2602.90001")
    assert opened["text"] == card["text"]
    assert opened["reply_markup"] == card["reply_markup"]


async def test_inline_deep_link_of_an_old_style_id_round_trips(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    db_path = tmp_path / "old.db"
    old = {"id": "hep-th/9901001", "title": "Strings before the arXiv renumbering"}
    seed(db_path, write_digest(tmp_path / "2026-03-02.md", [old]))
    fake.set_inline_mode()
    async with running_bot(fake, db_path) as bot:
        (result,) = (await bot.inline(PERSON, "hep-th/9901001"))["results"]
        assert start_payload(result) == "p_hep-th-9901001"
        opened = await bot.ask(PERSON, "/start p_hep-th-9901001")
    assert opened["text"].startswith("Strings before the arXiv renumbering")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/start p_2602_90001v2", NOT_A_PAPER_LINK),
        ("/start p_", NOT_A_PAPER_LINK),
        ("/start p_2601_00001", "2601.00001 is not in any digest I have. Open it on arXiv."),
        ("/start campaign-42", "daily arXiv digests"),
        ("/start", "daily arXiv digests"),
    ],
)
async def test_start_payloads_open_what_they_name_or_welcome(
    bot: BotHarness, typed: str, expected: str
) -> None:
    assert expected in (await bot.ask(PERSON, typed))["text"]
