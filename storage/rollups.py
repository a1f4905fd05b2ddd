"""Weekly roll-ups in the delivery ledger (mixed into ``Store`` through ``DeliveriesMixin``).

A roll-up is a delivery row like any other, so the one ledger keeps a paper from reaching a chat
twice in any mix of daily and weekly deliveries. It is written when the first digest of its week
is planned, due at the chat's weekly slot, and each later digest appends its papers to it
(``papers``: the candidates) until it goes out; as it is sent, its papers are chosen from the
candidates (``chosen``, best first) and how many still matched is kept (``matching``). A row is a
roll-up when ``week_from``, the date of its first digest, is set; ``date`` is its last digest's.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlite_utils

from bot.models import Delivery
from storage.chats import thread_column
from storage.transactions import stamp

ROLLUPS_SCHEMA: tuple[str, ...] = (
    # weekly: 1 for a roll-up a week instead of a summary per digest; weekday: its day, 0 = Monday.
    "ALTER TABLE chats ADD COLUMN weekly INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE chats ADD COLUMN weekday INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE deliveries ADD COLUMN week_from TEXT",
    "ALTER TABLE deliveries ADD COLUMN chosen TEXT",
    "ALTER TABLE deliveries ADD COLUMN matching INTEGER",
    "CREATE INDEX deliveries_rollups ON deliveries (chat_id, due_at)"
    " WHERE week_from IS NOT NULL AND status = 'pending'",
)
"""Migration 7: it only adds columns and an index of its own, so another branch's migration can
take its place in the order without either depending on the other."""


class RollupsMixin:
    db: sqlite_utils.Database

    def gather_for_rollup(
        self,
        chat_id: int,
        paper_ids: tuple[str, ...],
        *,
        thread_id: int | None = None,
        day: dt.date,
        arrived: dt.datetime,
        due: dt.datetime,
    ) -> None:
        """Add a digest's papers to the pending roll-up of the chat (or of its topic
        ``thread_id``), or start one due at ``due``.

        A roll-up already due when the digest arrived (the bot was down or busy) is not added
        to: those papers wait for the next one. Runs inside the planner's transaction.
        """
        pending = self.db.execute(
            "SELECT id, papers FROM deliveries WHERE chat_id = ? AND thread_id = ?"
            " AND week_from IS NOT NULL AND status = 'pending' AND due_at >= ?"
            " ORDER BY due_at LIMIT 1",
            [chat_id, thread_column(thread_id), stamp(arrived)],
        ).fetchone()
        if pending is None:
            self.db.execute(
                "INSERT INTO deliveries (chat_id, thread_id, date, papers, due_at, next_attempt,"
                " week_from) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [chat_id, thread_column(thread_id), day.isoformat(), json.dumps(paper_ids),
                 stamp(due), stamp(due), day.isoformat()],
            )  # fmt: skip
        elif paper_ids:
            # The last digest's date: a paper's first date is never after it, which is what
            # ``delivered_papers`` relies on to read only the deliveries that may hold it.
            self.db.execute(
                "UPDATE deliveries SET papers = ?, date = max(date, ?) WHERE id = ?",
                [json.dumps([*json.loads(pending[1]), *paper_ids]), day.isoformat(), pending[0]],
            )

    def reschedule_rollups(
        self, chat_id: int, *, thread_id: int | None = None, due: dt.datetime, now: dt.datetime
    ) -> int:
        """The chat (or its topic) changed its frequency, day, time or time zone: its pending
        roll-up goes out at ``due`` instead (one already due goes out as it is). Returns how
        many moved."""
        return self.db.execute(
            "UPDATE deliveries SET due_at = ?, next_attempt = ? WHERE chat_id = ?"
            " AND thread_id = ? AND week_from IS NOT NULL AND status = 'pending'"
            " AND next_attempt > ?",
            [stamp(due), stamp(due), chat_id, thread_column(thread_id), stamp(now)],
        ).rowcount

    def save_rollup_choice(self, delivery: Delivery) -> None:
        """Keep the papers chosen for a roll-up as it is sent: its pages show them."""
        if delivery.rollup is None:
            raise ValueError("only a roll-up has papers to choose")
        self.db.execute(
            "UPDATE deliveries SET chosen = ?, matching = ? WHERE id = ?",
            [json.dumps(delivery.paper_ids), delivery.rollup.matching, delivery.id],
        )

    def skip_delivery(self, delivery_id: int) -> None:
        """A roll-up with nothing left to show, for a chat that asked for silence then."""
        self.db.execute("UPDATE deliveries SET status = 'skipped' WHERE id = ?", [delivery_id])
