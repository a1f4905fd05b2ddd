"""Shared test set-up: environment that must exist before python-telegram-bot is imported."""

import os
from pathlib import Path

# PTB 22 returns RetryAfter.retry_after as a timedelta only with this set; without it every 429
# emits a deprecation warning, which filterwarnings=error turns into a failure.
os.environ["PTB_TIMEDELTA"] = "1"

ROOT = Path(__file__).resolve().parents[1]
SHARED_DIGESTS = ROOT.parent / "shared" / "digests"
TEST_DIGESTS = ROOT / "tests" / "data" / "digests"
