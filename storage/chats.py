"""Chats, their subscription settings, and remembered searches (mixed into ``Store``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from bot.models import Subscription
from storage.transactions import stamp

SEARCH_TTL = dt.timedelta(days=7)
"""How long a search's Prev/Next buttons keep working."""

CHATS_SCHEMA = (
    """CREATE TABLE chats (
        chat_id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL DEFAULT 'private',
        first_seen TEXT,
        last_seen TEXT,
        active INTEGER NOT NULL DEFAULT 0,
        paused TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        keywords TEXT NOT NULL DEFAULT '[]',
        excludes TEXT NOT NULL DEFAULT '[]',
        authors TEXT NOT NULL DEFAULT '[]',
        delivery_time TEXT,
        timezone TEXT,
        notify_empty INTEGER NOT NULL DEFAULT 0,
        subscribed_at TEXT
    )""",
    "CREATE INDEX chats_active ON chats (active, chat_id)",
    """CREATE TABLE searches (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        created TEXT NOT NULL
    )""",
)
"""``paused`` holds why delivery to an active chat stopped (blocked, kicked ...), NULL when not."""

FEED_SCHEMA = (
    # ranking: order summaries by the chat's model; suggest: 1 on, 0 off, NULL automatic.
    "ALTER TABLE chats ADD COLUMN ranking INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE chats ADD COLUMN suggest INTEGER",
    # The papers suggested beyond the chat's filters, as a JSON list; NULL for none.
    "ALTER TABLE deliveries ADD COLUMN suggested TEXT",
)

TOPICS_SCHEMA = (
    # A subscription is a chat's or one of its forum topics': ``thread_id`` is the topic's
    # message_thread_id, 0 for the chat itself. SQLite cannot change a primary key in place, so
    # the table is made again. The copy names no column: a migration that adds one to ``chats``
    # must come after this one, or add it here too (before it, the copy fails loudly).
    """CREATE TABLE chats_by_topic (
        chat_id INTEGER NOT NULL,
        kind TEXT NOT NULL DEFAULT 'private',
        first_seen TEXT,
        last_seen TEXT,
        active INTEGER NOT NULL DEFAULT 0,
        paused TEXT,
        categories TEXT NOT NULL DEFAULT '[]',
        keywords TEXT NOT NULL DEFAULT '[]',
        excludes TEXT NOT NULL DEFAULT '[]',
        authors TEXT NOT NULL DEFAULT '[]',
        delivery_time TEXT,
        timezone TEXT,
        notify_empty INTEGER NOT NULL DEFAULT 0,
        subscribed_at TEXT,
        weekly INTEGER NOT NULL DEFAULT 0,
        weekday INTEGER NOT NULL DEFAULT 0,
        ranking INTEGER NOT NULL DEFAULT 1,
        suggest INTEGER,
        thread_id INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (chat_id, thread_id)
    )""",
    "INSERT INTO chats_by_topic SELECT *, 0 FROM chats",
    "DROP TABLE chats",
    "ALTER TABLE chats_by_topic RENAME TO chats",
    "CREATE INDEX chats_active ON chats (active, chat_id)",
    "ALTER TABLE deliveries ADD COLUMN thread_id INTEGER NOT NULL DEFAULT 0",
    "DROP INDEX deliveries_chat",
    "CREATE INDEX deliveries_chat ON deliveries (chat_id, thread_id, date)",
)
"""``paused`` of a topic's row: that topic is closed or deleted; of the chat's own row (thread
0): the whole chat is unreachable (blocked, kicked), which holds its topics too."""


def thread_column(thread_id: int | None) -> int:
    """A topic as stored: 0 for the chat itself."""
    return thread_id or 0


def thread_value(stored: int) -> int | None:
    return stored or None


LANGUAGE_SCHEMA = (
    # The language the bot speaks in the chat (bot.locales); NULL until known, then English.
    "ALTER TABLE chats ADD COLUMN language TEXT",
)

_SUBSCRIPTION_COLUMNS = (
    "chat_id, active, categories, keywords, excludes, authors, delivery_time, timezone, "
    "notify_empty, ranking, suggest, weekly, weekday, thread_id, summaries, "
    "coalesce(language, (SELECT own.language FROM chats own"
    " WHERE own.chat_id = chats.chat_id AND own.thread_id = 0))"
)


def _subscription(row: tuple[Any, ...], default_timezone: str) -> Subscription:
    (chat_id, active, categories, keywords, excludes, authors, at, zone, notify_empty, ranking,
     suggest, weekly, weekday, thread, summaries, language) = row  # fmt: skip
    return Subscription(
        chat_id=chat_id,
        active=bool(active),
        categories=frozenset(json.loads(categories)),
        keywords=tuple(json.loads(keywords)),
        excludes=tuple(json.loads(excludes)),
        authors=tuple(json.loads(authors)),
        delivery_time=dt.time.fromisoformat(at) if at else None,
        timezone=zone or default_timezone,
        notify_empty=bool(notify_empty),
        ranking=bool(ranking),
        suggest=None if suggest is None else bool(suggest),
        weekly=bool(weekly),
        weekday=weekday,
        thread_id=thread_value(thread),
        summaries=summaries,
        language=language,
    )


@dataclass(frozen=True, slots=True)
class ChatStats:
    chats: int
    private_chats: int
    groups: int
    subscribers: int
    paused: int


class ChatsMixin:
    db: sqlite_utils.Database

    def touch_chat(
        self, chat_id: int, *, kind: str, now: dt.datetime, language: str | None = None
    ) -> None:
        """Remember that a chat used the bot (for /stats), and its ``language`` if it has none
        yet (a private chat starts in its person's)."""
        stamp = now.isoformat()
        self.db.execute(
            "INSERT INTO chats (chat_id, kind, first_seen, last_seen, language) "
            "VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (chat_id, thread_id) DO UPDATE SET kind = excluded.kind, "
            "last_seen = excluded.last_seen, "
            "language = coalesce(chats.language, excluded.language)",
            [chat_id, kind, stamp, stamp, language],
        )

    def chat_language(self, chat_id: int) -> str | None:
        """The language chosen for (or first seen in) the chat; None when not known. A group's
        forum topics speak its language."""
        row = self.db.execute(
            "SELECT language FROM chats WHERE chat_id = ? AND thread_id = 0", [chat_id]
        ).fetchone()
        return None if row is None else row[0]

    def set_chat_language(self, chat_id: int, language: str) -> None:
        self.db.execute(
            "INSERT INTO chats (chat_id, language) VALUES (?, ?) "
            "ON CONFLICT (chat_id, thread_id) DO UPDATE SET language = excluded.language",
            [chat_id, language],
        )

    def subscription(
        self, chat_id: int, *, thread_id: int | None = None, default_timezone: str = "UTC"
    ) -> Subscription:
        """The settings of the chat, or of its forum topic ``thread_id``; one never seen gets
        the defaults (not subscribed)."""
        row = self.db.execute(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM chats WHERE chat_id = ? AND thread_id = ?",
            [chat_id, thread_column(thread_id)],
        ).fetchone()
        if row is None:
            return Subscription(chat_id=chat_id, timezone=default_timezone, thread_id=thread_id)
        return _subscription(row, default_timezone)

    def active_subscriptions(self, *, default_timezone: str = "UTC") -> list[Subscription]:
        """Every chat and topic that is subscribed and not paused (nor its chat)."""
        rows = self.db.execute(
            f"SELECT {_SUBSCRIPTION_COLUMNS} FROM chats WHERE active AND paused IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM chats AS own WHERE own.chat_id = chats.chat_id"
            " AND own.thread_id = 0 AND own.paused IS NOT NULL)"
            " ORDER BY chat_id, thread_id"
        )
        return [_subscription(row, default_timezone) for row in rows]

    def save_subscription(self, sub: Subscription, *, now: dt.datetime | None = None) -> None:
        """Store every setting of ``sub``; subscribing again also lifts a pause."""
        values = [
            sub.chat_id,
            int(sub.active),
            json.dumps(sorted(sub.categories), ensure_ascii=False),
            json.dumps(sub.keywords, ensure_ascii=False),
            json.dumps(sub.excludes, ensure_ascii=False),
            json.dumps(sub.authors, ensure_ascii=False),
            sub.delivery_time.strftime("%H:%M") if sub.delivery_time else None,
            sub.timezone,
            int(sub.notify_empty),
            now.isoformat() if now and sub.active else None,
            int(sub.ranking),
            None if sub.suggest is None else int(sub.suggest),
            int(sub.weekly),
            sub.weekday,
            thread_column(sub.thread_id),
            sub.summaries,
        ]
        self.db.execute(
            "INSERT INTO chats (chat_id, active, categories, keywords, excludes, authors, "
            "delivery_time, timezone, notify_empty, subscribed_at, ranking, suggest, weekly, "
            "weekday, thread_id, summaries) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (chat_id, thread_id) DO UPDATE SET "
            "paused = CASE WHEN excluded.active AND NOT chats.active THEN NULL "
            "ELSE chats.paused END, "
            "subscribed_at = CASE WHEN excluded.active AND NOT chats.active "
            "THEN excluded.subscribed_at ELSE chats.subscribed_at END, "
            "active = excluded.active, categories = excluded.categories, "
            "keywords = excluded.keywords, excludes = excluded.excludes, "
            "authors = excluded.authors, delivery_time = excluded.delivery_time, "
            "timezone = excluded.timezone, notify_empty = excluded.notify_empty, "
            "ranking = excluded.ranking, suggest = excluded.suggest, "
            "weekly = excluded.weekly, weekday = excluded.weekday, "
            "summaries = excluded.summaries",
            values,
        )

    def resume_chat(self, chat_id: int, *, thread_id: int | None = None, now: dt.datetime) -> int:
        """Lift a pause (the chat blocked the bot, then came back; or, with ``thread_id``, its
        topic was closed or deleted and is subscribed again): what was held goes out now, except
        for topics still paused.

        Returns how many held deliveries are due again.
        """
        self.db.execute(
            "UPDATE chats SET paused = NULL WHERE chat_id = ? AND thread_id IN (0, ?)",
            [chat_id, thread_column(thread_id)],
        )
        return self.db.execute(
            "UPDATE deliveries SET status = 'pending', next_attempt = ? WHERE chat_id = ?"
            " AND status = 'paused' AND NOT EXISTS (SELECT 1 FROM chats WHERE chats.chat_id ="
            " deliveries.chat_id AND chats.thread_id = deliveries.thread_id"
            " AND chats.paused IS NOT NULL)",
            [stamp(now), chat_id],
        ).rowcount

    def remember_search(self, chat_id: int, text: str, *, now: dt.datetime) -> int:
        """Keep a search's text so its Prev/Next buttons can carry a short id instead."""
        self.db.execute("DELETE FROM searches WHERE created < ?", [(now - SEARCH_TTL).isoformat()])
        cursor = self.db.execute(
            "INSERT INTO searches (chat_id, text, created) VALUES (?, ?, ?)",
            [chat_id, text, now.isoformat()],
        )
        return int(cursor.lastrowid or 0)

    def recall_search(self, chat_id: int, search_id: int) -> str | None:
        """The text of this chat's search ``search_id``; None when expired or not its own."""
        row = self.db.execute(
            "SELECT text FROM searches WHERE id = ? AND chat_id = ?", [search_id, chat_id]
        ).fetchone()
        return None if row is None else str(row[0])

    def chat_stats(self) -> ChatStats:
        row = self.db.execute(
            "SELECT total(thread_id = 0), total(thread_id = 0 AND kind = 'private'), "
            "total(thread_id = 0 AND kind != 'private'), total(active AND paused IS NULL), "
            "total(active AND paused IS NOT NULL) FROM chats"
        ).fetchone()
        return ChatStats(*(int(value) for value in row))
