"""/saved export <format> end to end: the real bot, its store and the fake Bot API's uploads."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from botharness import BotHarness, Clock, running_bot
from fakebotapi import FakeBotApi
from pybtex.database import parse_string
from risreader import read_ris

CHAT = 1001
OTHER = 1002
GROUP = -100200300
NOW = dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC)
SAVED = ("2602.90002", "2602.90001", "2602.90003")
"""The fixture digest's papers, in the order the person saved them."""


@pytest.fixture
async def bot(
    fake: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[BotHarness]:
    """The bot on a fixed clock, CHAT's three papers saved; fails on handler errors."""
    caplog.set_level(logging.WARNING)
    async with running_bot(fake, db_path, clock=Clock(NOW)) as harness:
        for minute, paper_id in enumerate(SAVED):
            harness.store.set_saved(CHAT, paper_id, True, now=NOW + dt.timedelta(minutes=minute))
        yield harness
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


async def export(bot: BotHarness, text: str, chat_id: int = CHAT) -> tuple[dict, bytes]:
    """Send ``text``; return the document message the bot answered with and the file's bytes."""

    def to_chat(params: dict) -> bool:
        return params["chat_id"] == chat_id

    before = len([p for p in bot.fake.calls_to("sendDocument", ok=True) if to_chat(p)])
    bot.fake.send_text(chat_id, text)
    await bot.fake.wait_for("sendDocument", n=before + 1, where=to_chat, ok=True)
    message = bot.fake.last_message(chat_id)
    return message, bot.fake.file_bytes(message)


async def test_saved_export_bibtex_sends_the_library_as_a_bib_file(bot: BotHarness) -> None:
    message, data = await export(bot, "/saved export bibtex")
    document = message["document"]
    assert (document["file_name"], document["mime_type"]) == (
        "digestbot-saved-2026-03-01.bib",
        "application/x-bibtex",
    )
    assert message["caption"] == "Your 3 saved papers, as BibTeX."
    entries = parse_string(data.decode(), "bibtex").entries
    assert [entry.fields["eprint"] for entry in entries.values()] == list(reversed(SAVED))
    first = entries["quill2026guided-2602.90001"]
    assert first.fields["title"] == (
        "A*-Guided Pruning of LVLM\\_Tiny Adapters in $\\mathcal{O}(n \\log n)$ Time"
    )
    assert [str(person) for person in first.persons["author"]] == [
        "Quill, Ada",
        "Lindqvist, Bo",
        "D'Amato, Chiara",
    ]


@pytest.mark.parametrize(
    ("word", "file_name", "mime_type", "start"),
    [
        ("ris", "digestbot-saved-2026-03-01.ris", "application/x-research-info-systems", b"TY"),
        ("markdown", "digestbot-saved-2026-03-01.md", "text/markdown", b"# Reading list"),
        ("CSV", "digestbot-saved-2026-03-01.csv", "text/csv", b"\xef\xbb\xbfid,title,"),
        ("bib", "digestbot-saved-2026-03-01.bib", "application/x-bibtex", b"@misc{"),
    ],
)
async def test_saved_export_sends_each_format_named_and_typed(
    bot: BotHarness, word: str, file_name: str, mime_type: str, start: bytes
) -> None:
    message, data = await export(bot, f"/saved export {word}")
    assert (message["document"]["file_name"], message["document"]["mime_type"]) == (
        file_name,
        mime_type,
    )
    assert data.startswith(start)


async def test_saved_export_ris_and_csv_hold_the_same_papers(bot: BotHarness) -> None:
    _, ris_data = await export(bot, "/saved export ris")
    _, csv_data = await export(bot, "/saved export csv")
    ris_ids = [record["UR"][0].rsplit("/", 1)[1] for record in read_ris(ris_data.decode())]
    rows = csv.DictReader(io.StringIO(csv_data.decode("utf-8-sig"), newline=""))
    assert ris_ids == [row["id"] for row in rows] == list(reversed(SAVED))


async def test_saved_export_holds_only_the_persons_own_papers(bot: BotHarness) -> None:
    bot.store.set_saved(OTHER, "2602.90003", True, now=NOW)
    message, data = await export(bot, "/saved export bibtex", chat_id=OTHER)
    assert message["caption"] == "Your 1 saved paper, as BibTeX."
    entries = parse_string(data.decode(), "bibtex").entries.values()
    assert [entry.fields["eprint"] for entry in entries] == ["2602.90003"]


async def test_saved_export_in_a_group_posts_no_library_there(bot: BotHarness) -> None:
    """A library is personal: in a group, /saved export answers with a link to the private
    chat and sends no file into the group."""
    reply = await bot.ask(GROUP, "/saved export bibtex", user_id=CHAT, chat_type="supergroup")
    assert reply["text"].startswith("Your saved papers and ratings are yours alone")
    assert bot.fake.calls_to("sendDocument") == []


async def test_saved_export_of_an_empty_library_is_a_sentence(bot: BotHarness) -> None:
    reply = await bot.ask(OTHER, "/saved export bibtex")
    assert reply["text"] == "Nothing saved to export yet: tap ⭐ Save under a paper to keep it."
    assert bot.fake.calls_to("sendDocument") == []


@pytest.mark.parametrize(
    ("text", "start"),
    [("/saved export pdf", "I can't export pdf: choose bibtex, ris, markdown or csv"),
     ("/saved export", "Choose a format: bibtex, ris, markdown or csv")],
)  # fmt: skip
async def test_saved_export_names_the_formats_for_an_unknown_one(
    bot: BotHarness, text: str, start: str
) -> None:
    reply = await bot.ask(CHAT, text)
    assert reply["text"].startswith(start)
    assert reply["text"].endswith("e.g. /saved export bibtex.")
    assert bot.fake.calls_to("sendDocument") == []
