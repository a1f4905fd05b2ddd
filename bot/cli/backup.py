"""``backup``: a consistent copy of the database while the bot runs, checked before it counts.

SQLite's online backup API copies the pages in one step, inside one read transaction: in WAL
mode that is a snapshot of the last commit, taken without blocking the bot's writes, and a
transaction the bot has not committed yet is not in the copy.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sqlite3
import time
from pathlib import Path

from bot.cli.errors import CommandError
from bot.config import Settings

BUSY_SECONDS = 30.0
"""How long to wait for a lock (only a database not in WAL mode takes one against readers)."""


def backup(args: argparse.Namespace, settings: Settings) -> int:
    source = settings.db_path
    if not source.is_file():
        raise CommandError(f"there is no database at {source} to back up (DIGESTBOT_DB).")
    target = _target(Path(args.path), overwrite=args.overwrite)
    partial = target.with_name(f".{target.name}.partial")
    started = time.perf_counter()
    try:
        _copy(source, partial)
    except sqlite3.DatabaseError as exc:
        _remove(partial)
        raise CommandError(f"cannot back up {source} ({exc}).") from None
    except OSError as exc:
        _remove(partial)
        raise CommandError(f"cannot write {partial} ({exc.strerror or exc}).") from None
    problems = _integrity(partial)
    if problems:
        _remove(partial)
        first = "; ".join(problems[:3])
        raise CommandError(
            f"the copy of {source} failed its integrity check ({first}); no backup written."
        )
    partial.replace(target)
    seconds = time.perf_counter() - started
    size = target.stat().st_size / 1_000_000
    print(f"backed up {source} to {target}: {size:,.1f} MB in {seconds:.1f} s; integrity check ok.")
    return 0


def _target(path: Path, *, overwrite: bool) -> Path:
    """``path`` itself, or in a folder a file named by the time, e.g. digestbot-20261203-0300.db."""
    if path.is_dir():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = path / f"digestbot-{stamp}.db"
    if not path.parent.is_dir():
        raise CommandError(f"there is no folder {path.parent} to write the backup into.")
    if path.exists() and not overwrite:
        raise CommandError(f"{path} exists; pass --overwrite to replace it, or name another file.")
    return path


def _copy(source: Path, target: Path) -> None:
    _remove(target)
    uri = f"{source.absolute().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)) as reader:
        with contextlib.closing(sqlite3.connect(target)) as writer:
            reader.backup(writer)
            # The copy is one self-contained file, whatever mode the bot's database is in.
            writer.execute("PRAGMA journal_mode = DELETE")
        os.chmod(target, source.stat().st_mode & 0o666)


def _integrity(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong in the database at ``path`` (nothing: ok)."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
