"""``digestbot run`` as a real process against the fake Bot API: serves, logs no token, stops."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest
from fakebotapi import FakeBotApi

pytestmark = pytest.mark.slow
PATIENCE = 120
"""Seconds before a process is taken for hung: a guard, ten times what a busy machine needs."""

CHAT = 4004


def bot_env(fake: FakeBotApi, db_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DIGEST"))}
    return env | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DIGESTBOT_DB": str(db_path),
        "DIGEST_SOURCES": str(db_path.parent / "no-digests-here"),
        "NO_PROXY": "127.0.0.1",
    }


async def test_run_serves_logs_no_token_and_stops_on_sigterm(
    fake: FakeBotApi, db_path: Path
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "-v", "run",
        env=bot_env(fake, db_path) | {"PUBLIC_URL": "https://bot.example.org"},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        fake.send_text(CHAT, "/paper 2602.90003")
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == CHAT, timeout=PATIENCE)
        assert fake.sent_to(CHAT)[0].startswith("Counting Commas")
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=PATIENCE)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    _, stderr = await process.communicate()
    log = stderr.decode()
    assert process.returncode == 0, log
    assert fake.token not in log
    assert fake.token.split(":")[1] not in log
    assert "digestbot is running" in log
    assert "PUBLIC_URL is set but no HTTP server runs" in log
    assert "Traceback" not in log
    assert "Unclosed" not in log  # every HTTP session and connection closed at shutdown


async def test_run_with_a_rejected_token_says_so_in_one_sentence(
    fake: FakeBotApi, db_path: Path
) -> None:
    env = bot_env(fake, db_path) | {"TELEGRAM_BOT_TOKEN": "123456:WRONGWRONGWRONGWRONGWRONG"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "run", env=env, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=PATIENCE)
    assert process.returncode == 2
    assert stderr.decode().strip().splitlines()[-1] == (
        "digestbot: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather."
    )
    assert "WRONGWRONG" not in stderr.decode()


async def test_run_without_a_token_says_how_to_set_it(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    env["DIGESTBOT_DB"] = str(tmp_path / "x.db")
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        env=env,
        cwd=tmp_path,
        stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=PATIENCE)
    assert process.returncode == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in stderr.decode()
