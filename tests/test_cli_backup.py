"""``digestbot backup``: a consistent copy while the bot writes, checked, never half written."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import TEST_DIGESTS

from bot.cli import main
from storage.store import Store

CANONICAL = TEST_DIGESTS / "2026-02-10.md"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bot's database with one digest stored, named by DIGESTBOT_DB."""
    for name in ("TELEGRAM_BOT_TOKEN", "DIGEST_SOURCES", "DEFAULT_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "bot.db"
    monkeypatch.setenv("DIGESTBOT_DB", str(path))
    assert main(["ingest", str(CANONICAL)]) == 0
    return path


def tables(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_backup_writes_a_checked_copy_the_store_opens(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    copy = tmp_path / "copy.db"
    assert main(["backup", str(copy)]) == 0
    out = capsys.readouterr().out
    assert re.fullmatch(
        rf"backed up {re.escape(str(database))} to {re.escape(str(copy))}: "
        r"[\d.,]+ MB in [\d.]+ s; integrity check ok\.\n",
        out,
    )
    store = Store.open(copy)
    try:
        assert store.stats().papers == 3
    finally:
        store.close()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_backup_is_a_snapshot_without_what_the_bot_has_not_committed(
    database: Path, tmp_path: Path
) -> None:
    bot = Store.open(database)  # as the running bot holds it: WAL mode, open
    writer = sqlite3.connect(database, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("CREATE TABLE half_done (x)")
        writer.execute("INSERT INTO half_done VALUES (1)")
        assert main(["backup", str(tmp_path / "during.db")]) == 0
        writer.execute("COMMIT")
        assert main(["backup", str(tmp_path / "after.db")]) == 0
    finally:
        writer.close()
        bot.close()
    assert "half_done" not in tables(tmp_path / "during.db")
    assert "half_done" in tables(tmp_path / "after.db")
    assert tables(tmp_path / "during.db") == tables(database) - {"half_done"}


def test_backup_into_a_folder_names_the_copy_by_the_time(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    assert main(["backup", str(folder)]) == 0
    (copy,) = folder.iterdir()
    assert re.fullmatch(r"digestbot-\d{8}-\d{6}\.db", copy.name)


def test_backup_never_replaces_a_file_unless_told(
    database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    existing = tmp_path / "keep.db"
    existing.write_bytes(b"precious")
    assert main(["backup", str(existing)]) == 2
    assert "exists; pass --overwrite" in capsys.readouterr().err
    assert existing.read_bytes() == b"precious"
    assert main(["backup", "--overwrite", str(existing)]) == 0
    assert "papers" in tables(existing)


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("no database", "there is no database at"),
        ("no folder", "there is no folder"),
        ("not sqlite", "cannot back up"),
    ],
)
def test_backup_refusals_are_one_sentence_and_write_nothing(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    setup: str,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "bot.db"
    target = tmp_path / "copy.db"
    if setup == "no folder":
        with contextlib.closing(sqlite3.connect(source)) as db:
            db.execute("CREATE TABLE t (x)")
        target = tmp_path / "missing" / "copy.db"
    elif setup == "not sqlite":
        source.write_text("hello, not a database\n" * 100, encoding="utf-8")
    monkeypatch.setenv("DIGESTBOT_DB", str(source))
    assert main(["backup", str(target)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"digestbot: {message}")
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        [] if setup == "no database" else ["bot.db"]
    )


def test_backup_of_a_damaged_database_fails_its_check_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "bot.db"
    with contextlib.closing(sqlite3.connect(source)) as db:
        db.execute("CREATE TABLE t (x TEXT)")
        db.execute("CREATE INDEX t_x ON t (x)")
        db.executemany("INSERT INTO t VALUES (?)", [(f"row {i:05}",) for i in range(5000)])
        db.commit()
        index_root = db.execute("SELECT rootpage FROM sqlite_master WHERE name='t_x'").fetchone()[0]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(source.read_bytes())
    end = index_root * page_size  # the cells at the end of the index's root page
    data[end - 500 : end] = b"\xff" * 500
    source.write_bytes(bytes(data))
    monkeypatch.setenv("DIGESTBOT_DB", str(source))
    assert main(["backup", str(tmp_path / "copy.db")]) == 2
    err = capsys.readouterr().err
    assert "failed its integrity check" in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.db"]
