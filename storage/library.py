"""A person's library: saved papers and ratings, and a group's votes (mixed into ``Store``).

Saved papers and ratings belong to a person (a Telegram user id), wherever they pressed; a
rating pressed in a group is also the group's vote, one per member and paper, so a group's feed
can learn from its members. Each press is one idempotent write that names the state it wants (save
or unsave, 👍, 👎 or no rating), so a button pressed twice, or two copies of it, change nothing
the second time. Nothing here is deleted when a paper appears in a later digest.
"""

from __future__ import annotations

import datetime as dt

import sqlite_utils

from bot.models import LibraryCounts, PaperMark
from storage.transactions import stamp, write_transaction

LIBRARY_SCHEMA = (
    """CREATE TABLE saved (
        user_id INTEGER NOT NULL,
        paper_id TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX saved_newest ON saved (user_id, saved_at DESC, paper_id)",
    """CREATE TABLE ratings (
        user_id INTEGER NOT NULL,
        paper_id TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
        rated_at TEXT NOT NULL,
        PRIMARY KEY (user_id, paper_id)
    ) WITHOUT ROWID""",
    """CREATE TABLE group_votes (
        chat_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        paper_id TEXT NOT NULL,
        rating INTEGER NOT NULL CHECK (rating IN (-1, 1)),
        rated_at TEXT NOT NULL,
        PRIMARY KEY (chat_id, user_id, paper_id)
    ) WITHOUT ROWID""",
    "CREATE INDEX group_votes_user ON group_votes (user_id)",
)


class LibraryMixin:
    db: sqlite_utils.Database

    def set_saved(self, user_id: int, paper_id: str, saved: bool, *, now: dt.datetime) -> None:
        """Save the paper for the person (kept from the first save), or take it out."""
        if saved:
            self.db.execute(
                "INSERT INTO saved (user_id, paper_id, saved_at) VALUES (?, ?, ?)"
                " ON CONFLICT DO NOTHING",
                [user_id, paper_id, stamp(now)],
            )
        else:
            self.db.execute(
                "DELETE FROM saved WHERE user_id = ? AND paper_id = ?", [user_id, paper_id]
            )

    def set_rating(
        self,
        user_id: int,
        paper_id: str,
        rating: int,
        *,
        now: dt.datetime,
        group_id: int | None = None,
    ) -> None:
        """The person's rating of the paper: 1 (👍), -1 (👎) or 0 (none); in a group, also the
        group's vote of that member."""
        if rating not in (-1, 0, 1):
            raise ValueError(f"a rating is -1, 0 or 1, not {rating!r}")
        with write_transaction(self.db):
            self._rate("ratings", "user_id", [user_id], paper_id, rating, now)
            if group_id is not None:
                self._rate(
                    "group_votes", "chat_id, user_id", [group_id, user_id], paper_id, rating, now
                )

    def _rate(
        self,
        table: str,
        key: str,
        who: list[int],
        paper_id: str,
        rating: int,
        now: dt.datetime,
    ) -> None:
        if rating:
            self.db.execute(
                f"INSERT INTO {table} ({key}, paper_id, rating, rated_at)"
                f" VALUES ({', '.join('?' * (len(who) + 3))}) ON CONFLICT DO UPDATE SET"
                " rating = excluded.rating, rated_at = excluded.rated_at",
                [*who, paper_id, rating, stamp(now)],
            )
        else:
            where = " AND ".join(f"{column.strip()} = ?" for column in key.split(","))
            self.db.execute(f"DELETE FROM {table} WHERE {where} AND paper_id = ?", [*who, paper_id])

    def mark(self, user_id: int, paper_id: str) -> PaperMark:
        """Whether the person saved the paper, and their rating of it."""
        row = self.db.execute(
            "SELECT EXISTS (SELECT 1 FROM saved WHERE user_id = ?1 AND paper_id = ?2),"
            " coalesce((SELECT rating FROM ratings WHERE user_id = ?1 AND paper_id = ?2), 0)",
            [user_id, paper_id],
        ).fetchone()
        return PaperMark(saved=bool(row[0]), rating=int(row[1]))

    def saved_ids(self, user_id: int, *, limit: int, offset: int = 0) -> tuple[list[str], int]:
        """A page of the person's saved papers' ids, newest save first, and how many in all."""
        rows = self.db.execute(
            "SELECT paper_id, count(*) OVER () FROM saved WHERE user_id = ?"
            " ORDER BY saved_at DESC, paper_id LIMIT ? OFFSET ?",
            [user_id, limit, offset],
        ).fetchall()
        total = rows[0][1] if rows else self.library_counts(user_id).saved
        return [row[0] for row in rows], int(total)

    def library_counts(self, user_id: int) -> LibraryCounts:
        row = self.db.execute(
            "SELECT (SELECT count(*) FROM saved WHERE user_id = ?1),"
            " (SELECT count(*) FROM ratings WHERE user_id = ?1 AND rating = 1),"
            " (SELECT count(*) FROM ratings WHERE user_id = ?1 AND rating = -1)",
            [user_id],
        ).fetchone()
        return LibraryCounts(*(int(value) for value in row))

    def forget_library(self, user_id: int) -> LibraryCounts:
        """Delete the person's saved papers, ratings and group votes; what there was."""
        with write_transaction(self.db):
            counts = self.library_counts(user_id)
            for table in ("saved", "ratings", "group_votes"):
                self.db.execute(f"DELETE FROM {table} WHERE user_id = ?", [user_id])
        return counts

    def group_votes(self, chat_id: int) -> dict[str, int]:
        """The group's score per paper: its members' 👍 minus their 👎."""
        rows = self.db.execute(
            "SELECT paper_id, sum(rating) FROM group_votes WHERE chat_id = ? GROUP BY paper_id",
            [chat_id],
        )
        return {paper_id: int(score) for paper_id, score in rows}

    def has_private_chat(self, user_id: int) -> bool:
        """True once the person has used the bot in a private chat (whose id is theirs)."""
        row = self.db.execute(
            "SELECT 1 FROM chats WHERE chat_id = ? AND kind = 'private'", [user_id]
        ).fetchone()
        return row is not None
