"""Shared test set-up: environment that must exist before python-telegram-bot is imported."""

import os
from pathlib import Path

# PTB 22 returns RetryAfter.retry_after as a timedelta only with this set; without it every 429
# emits a deprecation warning, which filterwarnings=error turns into a failure.
os.environ["PTB_TIMEDELTA"] = "1"

ROOT = Path(__file__).resolve().parents[1]
SHARED_DIGESTS = ROOT.parent / "shared" / "digests"
TEST_DIGESTS = ROOT / "tests" / "data" / "digests"

# Fixtures for end-to-end tests: the real Application against the fake Bot API on 127.0.0.1.
import logging  # noqa: E402
from collections.abc import AsyncIterator  # noqa: E402

import pytest  # noqa: E402
from botharness import BotHarness, running_bot, seed  # noqa: E402
from fakebotapi import FakeBotApi  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# Hypothesis times each example (200 ms) and its data generation by the wall clock: on a busy
# machine that fails tests whose code is right. Only its own checks of the data stay on.
settings.register_profile(
    "wall-clock-free", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("wall-clock-free")

SEED_DIGESTS = (
    TEST_DIGESTS / "2026-02-10.md",
    TEST_DIGESTS / "2026-02-10_AI_enhanced_Chinese.jsonl",
)


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "bot.db"
    seed(path, *SEED_DIGESTS)
    return path


@pytest.fixture
async def bot(
    fake: FakeBotApi, db_path: Path, caplog: pytest.LogCaptureFixture
) -> AsyncIterator[BotHarness]:
    """The bot, running, with the 2026-02-10 fixture digest stored; fails on handler errors."""
    caplog.set_level(logging.WARNING)
    async with running_bot(fake, db_path) as harness:
        yield harness
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]
