"""What the poller remembers about each digest source between polls (mixed into ``Store``)."""

from __future__ import annotations

SOURCE_STATE_SCHEMA: tuple[str, ...] = (
    """CREATE TABLE source_state (
        key TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        content_hash TEXT,
        checked_at TEXT,
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        reported INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT
    )""",
)
