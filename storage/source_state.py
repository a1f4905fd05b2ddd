"""What the poller remembers between polls and restarts (mixed into ``Store``).

``source_items``: per file or URL, the content last handled and the validators (ETag,
Last-Modified, size and mtime) that let the next poll ask cheaply whether it changed.
``source_health``: per configured source, its run of failures and when to try it again; a
healthy source has no row.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from bot.rules.polling_state import SeenItem, SourceHealth

SOURCE_STATE_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE source_items (
        key TEXT PRIMARY KEY,
        content_hash TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        size INTEGER,
        mtime_ns INTEGER,
        seen_at TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE source_health (
        source TEXT PRIMARY KEY,
        failures INTEGER NOT NULL,
        last_error TEXT,
        failing_since TEXT,
        reported INTEGER NOT NULL,
        next_attempt TEXT
    ) WITHOUT ROWID""",
)
"""``key`` is a URL or a file path; ``source`` is a ``DIGEST_SOURCES`` entry as written."""

_ITEM_COLUMNS = "content_hash, etag, last_modified, size, mtime_ns"
_MAX_CHAR = "\U0010ffff"


class SourceStateMixin:
    db: sqlite_utils.Database

    def seen_item(self, key: str) -> SeenItem | None:
        """What was last handled from this URL or file, or None if nothing was."""
        row = self.db.execute(
            f"SELECT {_ITEM_COLUMNS} FROM source_items WHERE key = ?", [key]
        ).fetchone()
        return None if row is None else SeenItem(*row)

    def seen_items_under(self, prefix: str) -> dict[str, SeenItem]:
        """Every remembered key that starts with ``prefix`` (a folder path and its separator)."""
        rows = self.db.execute(
            f"SELECT key, {_ITEM_COLUMNS} FROM source_items WHERE key >= ? AND key < ?",
            [prefix, prefix + _MAX_CHAR],
        )
        return {key: SeenItem(*values) for key, *values in rows}

    def mark_seen(self, key: str, item: SeenItem, *, now: dt.datetime) -> None:
        """Remember ``item`` as handled: the next poll reports this key only if it changes."""
        self.db.execute(
            f"INSERT OR REPLACE INTO source_items (key, {_ITEM_COLUMNS}, seen_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                key,
                item.content_hash,
                item.etag,
                item.last_modified,
                item.size,
                item.mtime_ns,
                now.isoformat(),
            ],
        )

    def source_health(self, source: str) -> SourceHealth:
        row = self.db.execute(
            "SELECT failures, last_error, failing_since, reported, next_attempt "
            "FROM source_health WHERE source = ?",
            [source],
        ).fetchone()
        if row is None:
            return SourceHealth()
        failures, last_error, since, reported, next_attempt = row
        return SourceHealth(
            failures=failures,
            last_error=last_error,
            failing_since=_time(since),
            reported=bool(reported),
            next_attempt=_time(next_attempt),
        )

    def save_source_health(self, source: str, health: SourceHealth) -> None:
        if health == SourceHealth():
            self.db.execute("DELETE FROM source_health WHERE source = ?", [source])
            return
        self.db.execute(
            "INSERT OR REPLACE INTO source_health "
            "(source, failures, last_error, failing_since, reported, next_attempt) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                source,
                health.failures,
                health.last_error,
                _stamp(health.failing_since),
                int(health.reported),
                _stamp(health.next_attempt),
            ],
        )


def _stamp(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time(value: str | None) -> dt.datetime | None:
    return None if value is None else dt.datetime.fromisoformat(value)
