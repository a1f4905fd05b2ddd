"""The benchmark scripts still run: every mode, tiny, on a database built from the fixtures.

They make the README's figures; a change that broke one would go unnoticed until the next
measurement. The figures themselves are not checked here (no timed tests), only that each mode
completes, says what it measured, and that the bot under measurement logged no problem (but a
flood wait it waited out, which only a busy machine causes).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "data" / "digests"

pytestmark = pytest.mark.slow


def bench(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, f"bench/{script}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("bench") / "small.db"
    out = bench("bench_core.py", "--papers", "300", "--db", str(db), "--corpus", str(FIXTURES))
    for figure in ("parse:", "ingest:", "search:", "re-ingest"):
        assert figure in out
    return db


def test_bench_bot_bursts_and_steady_use_run(small_db: Path) -> None:
    out = bench("bench_bot.py", "latency", "--db", str(small_db), "--rounds", "2", "--chats", "5")
    assert "bursts of 5 commands at the same instant x 2" in out
    assert "p50 by command" in out
    out += bench("bench_bot.py", "steady", "--db", str(small_db), "--seconds", "2", "--chats", "5")
    assert "5 chats active at once" in out
    assert "the bot logged" not in out


def test_bench_bot_polling_beside_webhook_runs(small_db: Path) -> None:
    args = ("--seconds", "2", "--chats", "5", "--rounds", "1")
    out = bench("bench_bot.py", "webhook", "--db", str(small_db), *args)
    assert "1 x 2 s of each mode" in out
    assert re.search(r"polling: p50 \d+ ms.*\n  webhook: p50 \d+ ms", out)
    assert "the bot logged" not in out


def test_bench_bot_inline_typing_runs(small_db: Path) -> None:
    out = bench("bench_bot.py", "inline", "--db", str(small_db), "--seconds", "2", "--chats", "3")
    assert "inline answers, 3 people typing" in out
    assert "baseline (/help, no database work)" in out
    assert "other processes" in out
    assert "the bot logged" not in out


def test_bench_bot_fan_out_runs(small_db: Path) -> None:
    """The fake enforces Telegram's limits on the wall clock, so a busy machine that holds
    back some requests and then lets them arrive together can draw a 429: the bot waits it out
    (and logs it), which is a figure of the run, not a fault of the script."""
    out = bench("bench_bot.py", "fanout", "--db", str(small_db), "--chats", "30", "--papers", "10")
    assert "messages to 30 chats" in out
    assert re.search(r", \d+ x 429,", out)
    assert "a command during the fan-out" in out
    logged = [line.strip() for line in out.splitlines() if line.startswith("    ")]
    assert all(": flood wait of " in line for line in logged), out
    assert "the bot logged" not in out or " 0 traceback(s)" in out


def test_bench_bot_planning_runs(small_db: Path) -> None:
    out = bench("bench_bot.py", "planning", "--db", str(small_db), "--chats", "50")
    assert "planning: 50 chats x 500 papers" in out


def test_bench_cli_times_start_up_beside_python(small_db: Path) -> None:
    out = bench("bench_cli.py", "--db", str(small_db), "--runs", "2", "--query", "learning")
    assert "python -c pass" in out
    for command in ("digestbot --help", "digestbot stats", "digestbot search 'learning'"):
        assert f"{command} " in out
    assert "x python -c pass" in out
    assert "imports (python -X importtime" in out


def test_bench_core_history_ingests_a_folder_and_searches_it(tmp_path: Path) -> None:
    out = bench("bench_core.py", "--history", str(FIXTURES))
    assert f"files (2 failed) from {FIXTURES}" in out
    assert "search: 20 queries x 20" in out
    absent = tmp_path / "absent"
    out = bench("bench_core.py", "--history", str(absent))
    assert out.startswith(f"history: skipped, no folder {absent} ")


def test_bench_similar_times_the_store_beside_its_baselines(small_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "similar.db"
    shutil.copy(small_db, db)
    out = bench("bench_similar.py", "--db", str(db), "--papers", "20", "--baseline-papers", "4")
    assert "similar: 20 papers of" in out
    assert "baseline, whole paper, 4 of them" in out
    assert "baseline, without term_counts, 4 of them" in out
    assert "counting the terms again" in out


def test_bench_similar_on_a_history_folder_measures_quality() -> None:
    out = bench("bench_similar.py", "--history", str(FIXTURES), "--papers", "10",
                "--baseline-papers", "2", "--quality")  # fmt: skip
    assert f"files from {FIXTURES}" in out
    assert "similar: 10 papers of" in out
    assert "quality, ours: recall@8 against exact tf-idf cosine" in out


def test_bench_export_times_every_format_beside_json() -> None:
    out = bench("bench_export.py", "--corpus", str(FIXTURES), "--papers", "40", "--runs", "1")
    assert out.startswith(f"export: 40 saved papers from {FIXTURES}")
    for row in ("read (Store.saved_papers)", "json.dumps (baseline)", "bibtex", "ris", "csv"):
        assert f"  {row} " in out
    assert "x json," in out


def test_bench_rank_simulates_readers_and_times_the_models(tmp_path: Path) -> None:
    out = bench("bench_rank.py", "--history", str(FIXTURES), "--learn-days", "3", "--learn-from",
                "1", "--dislikes", "2", "--chats", "20", "--models", "10")  # fmt: skip
    assert f"papers from {FIXTURES}" in out
    assert "x 3 days from day 2, at least 2 👎 a day" in out
    for figure in ("model P@15", "(b) keyword P@15", "learning curve", "training one chat",
                   "planning"):  # fmt: skip
        assert figure in out
    absent = tmp_path / "absent"
    out = bench("bench_rank.py", "--history", str(absent))
    assert out.startswith(f"history: skipped, no folder {absent}")
