"""``backup``: a consistent copy of the database while the bot runs (``storage.backup``),
checked before it takes its name, so a file by the backup's name is always a whole database."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import sqlite3
import time
from pathlib import Path

from bot.cli.errors import CommandError
from bot.config import Settings
from storage.backup import copy_database, integrity_problems


def backup(args: argparse.Namespace, settings: Settings) -> int:
    source = settings.db_path
    if not source.is_file():
        raise CommandError(f"there is no database at {source} to back up (DIGESTBOT_DB).")
    target = _target(Path(args.path), overwrite=args.overwrite)
    partial = target.with_name(f".{target.name}.partial")
    started = time.perf_counter()
    try:
        _remove(partial)
        copy_database(source, partial)
    except sqlite3.DatabaseError as exc:
        _remove(partial)
        raise CommandError(f"cannot back up {source} ({exc}).") from None
    except OSError as exc:
        _remove(partial)
        raise CommandError(f"cannot write {partial} ({exc.strerror or exc}).") from None
    problems = integrity_problems(partial)
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


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()
