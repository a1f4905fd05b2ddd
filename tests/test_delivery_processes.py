"""Real processes: a fan-out killed with SIGKILL and restarted, one bot per database, cron."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from pathlib import Path

import pytest
from botharness import write_digest
from fakebotapi import FakeBotApi

from bot.models import Subscription
from storage.store import Store

pytestmark = pytest.mark.slow
PATIENCE = 120
"""Seconds before a process is taken for hung: a guard, ten times what a busy machine needs."""

CHATS = list(range(5001, 5121))
PAPERS = [{"id": f"2601.4{n:04d}", "title": f"Pruning study {n}"} for n in range(3)]


def prepare(tmp_path: Path, fake: FakeBotApi) -> tuple[Path, Path]:
    db_path, folder = tmp_path / "bot.db", tmp_path / "data"
    folder.mkdir()
    store = Store.open(db_path)
    for chat in CHATS:
        store.save_subscription(Subscription(chat, active=True, keywords=("pruning",)))
        fake.add_chat(chat)
    store.close()
    write_digest(folder / "2026-01-09.md", PAPERS)
    return db_path, folder


def environment(fake: FakeBotApi, db_path: Path, folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DIGEST"))}
    return env | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DIGESTBOT_DB": str(db_path),
        "DIGEST_SOURCES": str(folder),
        "DIGEST_POLL_SECONDS": "3600",
        "NO_PROXY": "127.0.0.1",
    }


async def start(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip


def summaries(fake: FakeBotApi) -> Counter[int]:
    sent = fake.calls_to("sendMessage", ok=True)
    return Counter(p["chat_id"] for p in sent if "arXiv digest of" in p["text"])


async def stop(process: asyncio.subprocess.Process) -> str:
    if process.returncode is None:
        process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=PATIENCE)
    return stderr.decode()


async def test_killed_mid_fan_out_and_restarted_every_chat_gets_one_summary(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    db_path, folder = prepare(tmp_path, fake)
    fake.enforce_rate(per_second=30)
    env = environment(fake, db_path, folder)
    first = await start(env, "run")
    await fake.wait_for("sendMessage", n=40, ok=True, timeout=PATIENCE)
    first.kill()
    await first.wait()
    before_restart = summaries(fake)
    assert 40 <= sum(before_restart.values()) < len(CHATS)
    second = await start(env, "run")
    await fake.wait_for(
        "sendMessage",
        n=1,
        timeout=PATIENCE,
        where=lambda p: set(summaries(fake)) == set(CHATS),
    )
    log = await stop(second)
    counts = summaries(fake)
    duplicates = sum(n - 1 for n in counts.values())
    # The restarted process does not know what the killed one sent in its last second, so the
    # fake may answer one 429 then; it is waited out and retried like any other.
    print(f"crash test: {len(CHATS)} chats, {sum(before_restart.values())} sent before SIGKILL, "
          f"{duplicates} duplicate(s) after restart, {fake.rate_limited} x 429")  # fmt: skip
    assert set(counts) == set(CHATS)
    assert duplicates <= 1, log


async def test_a_second_bot_on_the_same_database_is_refused(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    db_path, folder = prepare(tmp_path, fake)
    env = environment(fake, db_path, folder)
    first = await start(env, "run")
    await fake.wait_for("deleteWebhook", timeout=PATIENCE)
    second = await start(env, "deliver")
    _, stderr = await asyncio.wait_for(second.communicate(), timeout=PATIENCE)
    assert second.returncode == 2
    assert "another digestbot (pid" in stderr.decode()
    assert "is already running on this database" in stderr.decode()
    await stop(first)
    assert first.returncode == 0


async def test_deliver_polls_sends_what_is_due_and_exits(fake: FakeBotApi, tmp_path: Path) -> None:
    db_path, folder = prepare(tmp_path, fake)
    process = await start(environment(fake, db_path, folder), "deliver")
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=PATIENCE)
    assert process.returncode == 0, stderr.decode()
    assert stdout.decode().startswith(
        f"1 digest(s) stored, 0 failed, {len(CHATS)} delivery(ies) planned; sent {len(CHATS)}"
    )
    assert set(summaries(fake)) == set(CHATS)
    again = await start(environment(fake, db_path, folder), "deliver")
    stdout, _ = await asyncio.wait_for(again.communicate(), timeout=PATIENCE)
    assert stdout.decode().startswith(
        "0 digest(s) stored, 0 failed, 0 delivery(ies) planned; sent 0"
    )
