"""A consistent copy of the database file while the bot writes to it, and its check.

SQLite's online backup API copies the pages in one step, inside one read transaction: in WAL
mode that is a snapshot of the last commit, taken without blocking the bot's writes, and a
transaction the bot has not committed yet is not in the copy.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

BUSY_SECONDS = 30.0
"""How long to wait for a lock (only a database not in WAL mode takes one against readers)."""


def copy_database(source: Path, target: Path) -> None:
    """Write the database at ``source`` to the new file ``target``, with ``source``'s
    permissions; raises sqlite3.DatabaseError when ``source`` cannot be read as one."""
    uri = f"{source.absolute().as_uri()}?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=BUSY_SECONDS)) as reader:
        with contextlib.closing(sqlite3.connect(target)) as writer:
            reader.backup(writer)
            # The copy is one self-contained file, whatever mode the bot's database is in.
            writer.execute("PRAGMA journal_mode = DELETE")
        os.chmod(target, source.stat().st_mode & 0o666)


def integrity_problems(path: Path) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong in the database at ``path`` (nothing: ok)."""
    try:
        with contextlib.closing(sqlite3.connect(path)) as db:
            rows = [row[0] for row in db.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows
