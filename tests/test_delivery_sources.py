"""The running bot picks new digests up from its sources, tells the admins, and delivers them."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from botharness import ADMIN, BotHarness, Clock, running_bot, write_digest
from conftest import TEST_DIGESTS
from fakebotapi import FakeBotApi

from bot.models import Subscription

LAB, OTHER = 21, 22
T0 = dt.datetime(2026, 1, 9, 3, 0, tzinfo=dt.UTC)
PAPERS = [
    {"id": "2601.30001", "title": "Pruning mixture of experts", "category": "cs.LG"},
    {"id": "2601.30002", "title": "Quantum error correction codes", "category": "quant-ph"},
]


def subscribe_lab_and_other(bot: BotHarness) -> None:
    for chat in (LAB, OTHER, ADMIN):
        bot.fake.add_chat(chat)
    bot.store.save_subscription(Subscription(LAB, active=True, keywords=("pruning",)))
    bot.store.save_subscription(Subscription(OTHER, active=True, keywords=("quantum",)))


async def test_a_new_file_in_a_source_folder_is_delivered_to_the_right_chats(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    async with running_bot(
        fake, tmp_path / "bot.db", clock=Clock(T0), digest_sources=(str(folder),)
    ) as bot:
        subscribe_lab_and_other(bot)
        await bot.poll()
        assert fake.calls_to("sendMessage") == []
        write_digest(folder / "2026-01-09.md", PAPERS)
        await bot.poll()
        await fake.wait_for("sendMessage", n=3)
        assert "Pruning mixture of experts" in fake.sent_to(LAB)[0]
        assert "Quantum error correction" not in fake.sent_to(LAB)[0]
        assert "Quantum error correction" in fake.sent_to(OTHER)[0]
        (report,) = fake.sent_to(ADMIN)
        assert report.startswith("Stored the digest of 2026-01-09")
        assert "papers: 2 new, 0 updated" in report
        assert "per category: cs.LG 1, quant-ph 1" in report
        await bot.poll()
        await bot.settled()
        assert len(fake.calls_to("sendMessage")) == 3


async def test_a_broken_digest_is_recorded_and_reported_once(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "2025-07-01.jsonl").write_bytes(
        (TEST_DIGESTS / "2025-07-01-malformed.jsonl").read_bytes()
    )
    async with running_bot(
        fake, tmp_path / "bot.db", clock=Clock(T0), digest_sources=(str(folder),)
    ) as bot:
        fake.add_chat(ADMIN)
        await bot.poll()
        await bot.poll()
        (report,) = fake.sent_to(ADMIN)
        assert report.startswith("A digest could not be stored")
        assert "line 3: not valid JSON" in report
        (failure,) = bot.store.db.execute("SELECT error FROM ingest_failures").fetchall()
        assert "not valid JSON" in failure[0]


@pytest.fixture
async def digest_site(tmp_path: Path) -> AsyncIterator[tuple[str, Path]]:
    """A static web server on 127.0.0.1 for dated digest URLs."""
    root = tmp_path / "site"
    root.mkdir()
    app = web.Application()
    app.router.add_static("/data/", root)
    runner = web.AppRunner(app, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    yield f"http://{host}:{port}/data", root
    await runner.cleanup()


async def test_a_dated_url_is_picked_up_when_it_is_published(
    fake: FakeBotApi, tmp_path: Path, digest_site: tuple[str, Path]
) -> None:
    base, root = digest_site
    template = f"{base}/{{date}}_AI_enhanced_Chinese.jsonl | {base}/{{date}}.md"
    async with running_bot(
        fake, tmp_path / "bot.db", clock=Clock(T0), digest_sources=(template,)
    ) as bot:
        subscribe_lab_and_other(bot)
        await bot.poll()
        assert fake.calls_to("sendMessage") == []
        write_digest(root / "2026-01-08.md", PAPERS)
        await bot.poll()
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB)
        assert "arXiv digest of 2026-01-08" in fake.sent_to(LAB)[0]
        assert "Pruning mixture of experts" in fake.sent_to(LAB)[0]
