"""Write transactions that take SQLite's write lock up front, and the timestamps rows carry."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import sqlite_utils


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; any exception rolls everything back and propagates.

    IMMEDIATE takes the write lock up front, so a concurrent writer waits (busy timeout) instead
    of failing half-way when its read transaction cannot be upgraded.
    """
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        db.rollback()
        raise


def stamp(moment: dt.datetime) -> str:
    """A UTC timestamp that sorts as text."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
