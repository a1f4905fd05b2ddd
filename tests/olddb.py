"""Databases as an earlier digestbot left them, to test that a migration keeps what they hold."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from storage.schema import MIGRATIONS


def database_at(path: Path, version: int, *, rows_from: Path | None = None) -> None:
    """Make ``path`` a database of schema ``version``: the first ``version`` migrations run.

    With ``rows_from`` (a database of this version of digestbot), each table the old schema has
    is filled with that database's rows, in the old table's columns; so a test writes its rows
    with today's ``Store`` and never has to undo a later migration by hand. A full-text index is
    copied with its shadow tables, which hold it.
    """
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("BEGIN")
        for statement in (s for migration in MIGRATIONS[:version] for s in migration):
            db.execute(statement)
        db.execute(f"PRAGMA user_version = {version}")
        if rows_from is not None:
            db.execute("ATTACH DATABASE ? AS now", [str(rows_from)])
            for table in _plain_tables(db, "main"):
                if table not in _plain_tables(db, "now"):
                    continue
                columns = ", ".join(
                    f'"{row[1]}"' for row in db.execute(f'PRAGMA table_info("{table}")')
                )
                db.execute(f'DELETE FROM main."{table}"')
                db.execute(
                    f'INSERT INTO main."{table}" ({columns}) SELECT {columns} FROM now."{table}"'
                )
        db.execute("COMMIT")
        if rows_from is not None:
            db.execute("DETACH DATABASE now")


def _plain_tables(db: sqlite3.Connection, schema: str) -> set[str]:
    """The tables that hold rows: virtual tables' shadow tables included, virtual ones not."""
    rows = db.execute(
        f"SELECT name FROM {schema}.sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'"
    )
    return {row[0] for row in rows}
