"""The delivery ledger: which chat gets which papers of which digest, and what became of it.

A delivery row is written, with its papers, in the same transaction that marks its digest file as
planned; it is ``pending`` until due, ``sending`` while its message is in flight, then ``sent``,
``failed`` or ``paused`` (the chat blocked the bot), or ``skipped`` (a weekly roll-up left with
nothing to say, see ``storage.rollups``). A process killed mid-send finds its one ``sending`` row
at start-up and sends it again: that is the only message a crash can repeat.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from bot.models import Delivery, Paper, RollUp, SubscriberKey
from bot.rules.planning import PlannedDelivery
from storage.chats import thread_column, thread_value
from storage.rollups import RollupsMixin
from storage.transactions import stamp, write_transaction

DELIVERIES_SCHEMA: tuple[str, ...] = (
    # plan: NULL for files stored by `digestbot ingest` (never delivered), 'due' for files the
    # running bot fetched and has yet to plan, 'done' once planned.
    "ALTER TABLE digest_files ADD COLUMN plan TEXT",
    "CREATE INDEX digest_files_plan ON digest_files (plan) WHERE plan = 'due'",
    """CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        chat_id INTEGER NOT NULL,
        date TEXT NOT NULL,
        papers TEXT NOT NULL,
        due_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt TEXT NOT NULL,
        message_id INTEGER,
        error TEXT,
        sent_at TEXT
    )""",
    "CREATE INDEX deliveries_queue ON deliveries (status, next_attempt)",
    "CREATE INDEX deliveries_chat ON deliveries (chat_id, date)",
    "CREATE INDEX deliveries_date ON deliveries (date)",
    """CREATE TABLE ingest_failures (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        date TEXT,
        content_hash TEXT NOT NULL,
        error TEXT NOT NULL,
        at TEXT NOT NULL
    )""",
)


def _moment(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=dt.UTC)


def _json_list(ids: tuple[str, ...]) -> str | None:
    return json.dumps(ids) if ids else None


_DELIVERY_COLUMNS = (
    "id, chat_id, date, papers, due_at, attempts, week_from, chosen, matching, suggested, thread_id"
)


def _delivery(row: tuple[Any, ...]) -> Delivery:
    id, chat, day, ids, due, attempts, week_from, chosen, matching, suggested, thread = row
    papers = tuple(json.loads(ids))
    rollup = None
    if week_from is not None:
        rollup = RollUp(dt.date.fromisoformat(week_from), papers, matching or 0)
        papers = tuple(json.loads(chosen or "[]"))
    return Delivery(
        id,
        chat,
        dt.date.fromisoformat(day),
        papers,
        _moment(due),
        attempts,
        suggested=tuple(json.loads(suggested or "[]")),
        rollup=rollup,
        thread_id=thread_value(thread),
    )


@dataclass(frozen=True, slots=True)
class DigestToPlan:
    file_id: int
    date: dt.date
    arrived: dt.datetime


@dataclass(frozen=True, slots=True)
class DeliveryStats:
    sent: int
    pending: int
    failed: int
    paused_chats: int


class DeliveriesMixin(RollupsMixin):
    db: sqlite_utils.Database

    def digests_to_plan(self) -> list[DigestToPlan]:
        rows = self.db.execute(
            "SELECT id, date, ingested_at FROM digest_files WHERE plan = 'due' ORDER BY id"
        )
        return [
            DigestToPlan(id, dt.date.fromisoformat(date), dt.datetime.fromisoformat(at))
            for id, date, at in rows
        ]

    def delivered_papers(self, papers: Iterable[Paper]) -> dict[SubscriberKey, set[str]]:
        """Per chat and topic, which of ``papers`` it was ever planned to get.

        A paper can only have been delivered with a digest of its first date or later, so only
        those deliveries are read.
        """
        wanted = {p.id for p in papers}
        dates = [p.date for p in papers if p.date is not None]
        if not wanted or not dates:
            return {}
        found: dict[SubscriberKey, set[str]] = {}
        rows = self.db.execute(
            "SELECT chat_id, thread_id, papers, suggested FROM deliveries WHERE date >= ?",
            [min(dates).isoformat()],
        )
        for chat_id, thread, ids, suggested in rows:
            hits = wanted.intersection(json.loads(ids))
            if suggested:
                hits.update(wanted.intersection(json.loads(suggested)))
            if hits:
                found.setdefault((chat_id, thread_value(thread)), set()).update(hits)
        return found

    def chats_with_delivery(self, date: dt.date) -> set[SubscriberKey]:
        rows = self.db.execute(
            "SELECT chat_id, thread_id FROM deliveries WHERE date = ?", [date.isoformat()]
        )
        return {(chat_id, thread_value(thread)) for chat_id, thread in rows}

    def save_plan(self, digest: DigestToPlan, planned: Iterable[PlannedDelivery]) -> int:
        """Write the planned deliveries and mark the file planned, in one transaction.

        New papers (and suggestions) for a chat whose delivery of the same day has not gone out
        yet join it; a weekly chat's join its pending roll-up. A file that another planner has
        claimed meanwhile is left alone (nothing is written twice).
        """
        count = 0
        with write_transaction(self.db):
            claimed = self.db.execute(
                "UPDATE digest_files SET plan = 'done' WHERE id = ? AND plan = 'due'",
                [digest.file_id],
            ).rowcount
            if not claimed:
                return 0
            for plan in planned:
                count += 1
                if plan.rollup:
                    self.gather_for_rollup(
                        plan.chat_id,
                        plan.paper_ids,
                        thread_id=plan.thread_id,
                        day=digest.date,
                        arrived=digest.arrived,
                        due=plan.due_at,
                    )
                else:
                    self._add_to_day(plan, digest.date)
        return count

    def _add_to_day(self, plan: PlannedDelivery, date: dt.date) -> None:
        day = date.isoformat()
        pending = self.db.execute(
            "SELECT id, papers, suggested FROM deliveries WHERE chat_id = ? AND thread_id = ?"
            " AND date = ? AND status = 'pending' AND week_from IS NULL",
            [plan.chat_id, thread_column(plan.thread_id), day],
        ).fetchone()
        if pending is None:
            due = stamp(plan.due_at)
            self.db.execute(
                "INSERT INTO deliveries (chat_id, thread_id, date, papers, due_at, next_attempt,"
                " suggested) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [plan.chat_id, thread_column(plan.thread_id), day, json.dumps(plan.paper_ids),
                 due, due, _json_list(plan.suggested)],
            )  # fmt: skip
        elif plan.paper_ids or plan.suggested:
            ids = [*json.loads(pending[1]), *plan.paper_ids]
            suggested = dict.fromkeys([*json.loads(pending[2] or "[]"), *plan.suggested])
            self.db.execute(
                "UPDATE deliveries SET papers = ?, suggested = ? WHERE id = ?",
                [json.dumps(ids), _json_list(tuple(suggested)), pending[0]],
            )

    def due_deliveries(self, now: dt.datetime, *, limit: int = 100) -> list[Delivery]:
        rows = self.db.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries"
            " WHERE status = 'pending' AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?",
            [stamp(now), limit],
        )
        return [_delivery(row) for row in rows]

    def next_delivery_at(self) -> dt.datetime | None:
        row = self.db.execute(
            "SELECT min(next_attempt) FROM deliveries WHERE status = 'pending'"
        ).fetchone()
        return None if row[0] is None else _moment(row[0])

    def delivery(self, delivery_id: int) -> Delivery | None:
        row = self.db.execute(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE id = ?", [delivery_id]
        ).fetchone()
        return None if row is None else _delivery(row)

    def claim(self, delivery_id: int) -> Delivery | None:
        """Mark a pending delivery ``sending`` and return it as it is now (a planner may have
        added papers since it was read); None when it is no longer pending (paused, or taken)."""
        claimed = self.db.execute(
            "UPDATE deliveries SET status = 'sending' WHERE id = ? AND status = 'pending'",
            [delivery_id],
        ).rowcount
        return self.delivery(delivery_id) if claimed else None

    def mark_sent(self, delivery_id: int, *, message_id: int | None, now: dt.datetime) -> None:
        self.db.execute(
            "UPDATE deliveries SET status = 'sent', message_id = ?, sent_at = ?, error = NULL"
            " WHERE id = ?",
            [message_id, stamp(now), delivery_id],
        )

    def mark_retry(self, delivery_id: int, *, at: dt.datetime, error: str) -> None:
        self.db.execute(
            "UPDATE deliveries SET status = 'pending', attempts = attempts + 1, next_attempt = ?,"
            " error = ? WHERE id = ?",
            [stamp(at), error, delivery_id],
        )

    def mark_failed(self, delivery_id: int, *, error: str) -> None:
        self.db.execute(
            "UPDATE deliveries SET status = 'failed', error = ? WHERE id = ?", [error, delivery_id]
        )

    def pause_deliveries(self, chat_id: int, reason: str) -> None:
        """The chat blocked the bot (or is gone): hold its deliveries, its topics' too, and
        pause its subscriptions."""
        self.db.execute(
            "UPDATE deliveries SET status = 'paused', error = ? WHERE chat_id = ?"
            " AND status IN ('pending', 'sending')",
            [reason, chat_id],
        )
        self.db.execute(
            "INSERT INTO chats (chat_id, kind, paused) VALUES (?, 'group', ?)"
            " ON CONFLICT (chat_id, thread_id) DO UPDATE SET paused = excluded.paused",
            [chat_id, reason],
        )

    def pause_topic(self, chat_id: int, thread_id: int, reason: str) -> bool:
        """The forum topic was closed or deleted: hold its deliveries and pause its
        subscription only. True when it was not paused already (its admins are told once)."""
        self.db.execute(
            "UPDATE deliveries SET status = 'paused', error = ? WHERE chat_id = ?"
            " AND thread_id = ? AND status IN ('pending', 'sending')",
            [reason, chat_id, thread_id],
        )
        return bool(
            self.db.execute(
                "UPDATE chats SET paused = ? WHERE chat_id = ? AND thread_id = ?"
                " AND paused IS NULL",
                [reason, chat_id, thread_id],
            ).rowcount
        )

    def requeue_in_flight(self) -> int:
        """At start-up: a delivery left ``sending`` by a crash is sent again."""
        return self.db.execute(
            "UPDATE deliveries SET status = 'pending' WHERE status = 'sending'"
        ).rowcount

    def migrate_chat(self, old_chat_id: int, new_chat_id: int) -> None:
        """A group became a supergroup: its settings, deliveries, searches and feed links follow
        it, its topics' too."""
        with write_transaction(self.db):
            # The supergroup's own rows give way to the group's; topics made there (a group has
            # none) before the bot heard of the move are kept.
            self.db.execute(
                "DELETE FROM chats WHERE chat_id = ? AND thread_id IN"
                " (SELECT thread_id FROM chats WHERE chat_id = ?)",
                [new_chat_id, old_chat_id],
            )
            self.db.execute(
                "DELETE FROM feed_tokens WHERE chat_id = ? AND thread_id IN"
                " (SELECT thread_id FROM feed_tokens WHERE chat_id = ?)",
                [new_chat_id, old_chat_id],
            )
            for table in ("chats", "deliveries", "searches", "feed_tokens"):
                self.db.execute(
                    f"UPDATE {table} SET chat_id = ? WHERE chat_id = ?", [new_chat_id, old_chat_id]
                )

    def record_ingest_failure(
        self, *, source: str, date: dt.date | None, content_hash: str, error: str, now: dt.datetime
    ) -> None:
        self.db.execute(
            "INSERT INTO ingest_failures (source, date, content_hash, error, at)"
            " VALUES (?, ?, ?, ?, ?)",
            [source, date.isoformat() if date else None, content_hash, error, stamp(now)],
        )

    def delivery_stats(self) -> DeliveryStats:
        counts = dict(
            self.db.execute("SELECT status, count(*) FROM deliveries GROUP BY status").fetchall()
        )
        paused = self.db.execute(
            "SELECT count(*) FROM chats WHERE active AND paused IS NOT NULL"
        ).fetchone()[0]
        return DeliveryStats(
            sent=counts.get("sent", 0),
            pending=counts.get("pending", 0) + counts.get("sending", 0),
            failed=counts.get("failed", 0),
            paused_chats=paused,
        )
