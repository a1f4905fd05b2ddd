"""The one class that owns the SQL of digests, papers and search; it returns models, not rows."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from bot.models import (
    CategoryCount,
    Digest,
    DigestSummary,
    IngestResult,
    Paper,
    SavedPage,
    SearchHit,
)
from bot.rules.query import Query, SearchPage
from storage import ingestion
from storage.chats import ChatsMixin
from storage.deliveries import DeliveriesMixin
from storage.feed_tokens import FeedTokensMixin
from storage.library import LibraryMixin
from storage.papers import (
    FTS_INSERT,
    SELECT_PAPER,
    fts_document,
    load_papers,
    papers_from_rows,
)
from storage.rankers import RankersMixin
from storage.schema import apply_schema
from storage.searching import RANK_WINDOW, build_search
from storage.similar import SimilarMixin
from storage.source_state import SourceStateMixin
from storage.stemmer import Stemmer
from storage.terms import recount, recount_when_grown
from storage.transactions import write_transaction

CACHE_KIB = 32 * 1024
"""SQLite page cache per connection; the default 2 MB makes each search re-read the index."""
MAX_PAGE = 1000
"""Largest page ``search`` and ``papers_in_digest`` return, whatever the caller asks for."""


@dataclass(frozen=True, slots=True)
class StoreStats:
    """What is stored, for ``digestbot stats`` and the admins' ``/stats``."""

    digests: int
    papers: int
    categories: int
    files: int
    last_ingest: dt.datetime | None = None
    last_source: str | None = None
    last_warnings: tuple[str, ...] = ()


class Store(
    ChatsMixin,
    DeliveriesMixin,
    FeedTokensMixin,
    LibraryMixin,
    RankersMixin,
    SimilarMixin,
    SourceStateMixin,
):
    """Digests, papers and their full-text index in one SQLite database.

    Reads and writes are synchronous; an asyncio caller runs them in a thread that opened its own
    ``Store`` (sqlite3 connections belong to their thread).
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.stemmer = Stemmer()
        apply_schema(db)

    @classmethod
    def open(cls, path: str | Path, *, autocheckpoint: bool = True) -> Store:
        """The store in the SQLite file at ``path`` (created if missing), in WAL mode.

        Without ``autocheckpoint``, a commit never copies the write-ahead log back into the
        database (which syncs the file to disk and stalled the bot's event loop for 100-200 ms);
        someone else must call ``checkpoint`` regularly, as the bot's reader thread does.
        """
        db = _database(path)
        db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        if not autocheckpoint:
            db.execute("PRAGMA wal_autocheckpoint = 0")
        return cls(db)

    @classmethod
    def open_reader(cls, path: str | Path) -> Store:
        """A read-only store on the database at ``path`` for a worker thread of
        ``storage.readers.ReadPool``; it may be closed from another thread once that one is done.
        """
        db = _database(sqlite3.connect(path, check_same_thread=False))
        db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        store = cls(db)
        db.execute("PRAGMA query_only = ON")
        return store

    def close(self) -> None:
        self.stemmer.close()
        self.db.close()

    def checkpoint(self) -> tuple[int, int]:
        """Copy what the write-ahead log holds back into the database, without waiting for
        readers or writers; the log's frames and how many of them are now copied."""
        _, frames, copied = self.db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        return frames, copied

    def ingest(
        self,
        digest: Digest,
        *,
        source: str,
        content_hash: str,
        now: dt.datetime,
        deliver: bool = False,
    ) -> IngestResult:
        """Store ``digest`` in one transaction: all of it, or (on any exception) nothing; then
        count the index terms again if the papers have grown enough (``storage.terms``).

        The same content for the same day again is skipped without writing. A paper already
        stored is merged with ``bot.digest.merge.merge_papers`` (the new record wins where it has
        values, real AI text is never replaced by a missing one, the date stays the first
        digest's) and counted as updated only when a stored value changes. Raises ValueError
        without a date. With ``deliver``, the file is queued for delivery planning in the same
        transaction (files ingested from the command line are stored, never delivered).
        """
        result = ingestion.ingest(
            self.db, digest, source=source, content_hash=content_hash, now=now, deliver=deliver
        )
        if result.papers_new:
            recount_when_grown(self.db)
        return result

    def is_ingested(self, date: dt.date, content_hash: str) -> bool:
        return ingestion.is_ingested(self.db, date, content_hash)

    def paper(self, arxiv_id: str) -> Paper | None:
        """The paper with this bare id (no version), or None."""
        return next(iter(self._papers("WHERE p.id = ?", [arxiv_id])), None)

    def papers(self, paper_ids: Sequence[str]) -> list[Paper]:
        """The stored papers among ``paper_ids``, in the order asked for."""
        found = load_papers(self.db, paper_ids)
        return [found[paper_id][1] for paper_id in paper_ids if paper_id in found]

    def search(self, query: Query, *, limit: int = 10, offset: int = 0) -> SearchPage:
        """Best matches first (bm25) when the query has terms, else newest first.

        A query with nothing to search for gives an empty page. ``total`` counts the ranked
        matches; a page past the end is empty and still says how many there are.
        """
        limit, offset = _page(limit, offset)
        built = build_search(query, limit=limit, offset=offset)
        if built is None:
            return SearchPage(hits=(), offset=offset)
        rows = self.db.execute(built.sql, built.params).fetchall()
        if not rows and offset:
            counted = build_search(query, limit=1, offset=0)
            assert counted is not None
            first = self.db.execute(counted.sql, counted.params).fetchall()
            total = first[0][-1] if first else 0
        else:
            total = rows[0][-1] if rows else 0
        papers = papers_from_rows(self.db, [row[:-2] for row in rows])
        hits = tuple(SearchHit(paper, -row[-2]) for paper, row in zip(papers, rows, strict=True))
        return SearchPage(hits=hits, offset=offset, total=total, capped=total >= RANK_WINDOW)

    def saved_papers(self, user_id: int, *, limit: int, offset: int = 0) -> SavedPage:
        """A page of the person's saved papers, newest save first, with how many they saved."""
        ids, total = self.saved_ids(user_id, limit=limit, offset=max(offset, 0))
        return SavedPage(tuple(self.papers(ids)), max(offset, 0), total)

    def papers_in_digest(
        self,
        date: dt.date,
        *,
        category: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Paper]:
        """The papers of one day's digest, by id; with ``category``, primary or cross-listed."""
        params: list[object] = [date.isoformat()]
        where = "WHERE p.id IN (SELECT paper_id FROM paper_digests WHERE date = ?)"
        if category is not None:
            # CROSS JOIN keeps SQLite to the day's few hundred papers: left to choose, it lists
            # every paper ever filed under a big category first (3.6 ms instead of 0.1 ms).
            where = (
                "WHERE p.id IN (SELECT d.paper_id FROM paper_digests d"
                " CROSS JOIN paper_categories c ON c.paper_id = d.paper_id AND c.category = ?"
                " WHERE d.date = ?)"
            )
            params.insert(0, category)
        page = _page(limit, offset) if limit is not None else (-1, max(offset, 0))
        return self._papers(f"{where} ORDER BY p.id LIMIT ? OFFSET ?", [*params, *page])

    def count_in_digest(self, date: dt.date, *, category: str) -> int:
        """How many papers of one day's digest are in ``category``, primary or cross-listed."""
        row = self.db.execute(
            "SELECT count(*) FROM paper_digests d CROSS JOIN paper_categories c"
            " ON c.paper_id = d.paper_id AND c.category = ? WHERE d.date = ?",
            [category, date.isoformat()],
        ).fetchone()
        return int(row[0])

    def digest_dates(self) -> list[dt.date]:
        """Every stored digest day, oldest first."""
        rows = self.db.execute("SELECT date FROM digests ORDER BY date")
        return [dt.date.fromisoformat(date) for (date,) in rows]

    def latest_digest(self) -> DigestSummary | None:
        """The newest day with papers (an empty file, published before its rerun, is skipped)."""
        row = self.db.execute("SELECT max(date) FROM digests WHERE papers > 0").fetchone()
        return None if row[0] is None else self.digest_summary(dt.date.fromisoformat(row[0]))

    def digest_summary(self, date: dt.date) -> DigestSummary | None:
        """A day's paper count and its categories with counts (cross-lists included), most first."""
        day = date.isoformat()
        row = self.db.execute("SELECT papers FROM digests WHERE date = ?", (day,)).fetchone()
        if row is None:
            return None
        counts = self.db.execute(
            "SELECT c.category, count(*) AS n FROM paper_digests d"
            " JOIN paper_categories c ON c.paper_id = d.paper_id"
            " WHERE d.date = ? GROUP BY c.category ORDER BY n DESC, c.category",
            (day,),
        )
        categories = tuple(CategoryCount(name, n) for name, n in counts)
        return DigestSummary(date=date, papers=row[0], categories=categories)

    def categories(self) -> list[CategoryCount]:
        """Every known category with its number of papers (cross-lists included), most first."""
        rows = self.db.execute(
            "SELECT category, count(*) AS n FROM paper_categories"
            " GROUP BY category ORDER BY n DESC, category"
        )
        return [CategoryCount(name, n) for name, n in rows]

    def stats(self) -> StoreStats:
        digests, papers, categories, files = self.db.execute(
            "SELECT (SELECT count(*) FROM digests), (SELECT count(*) FROM papers),"
            " (SELECT count(DISTINCT category) FROM paper_categories),"
            " (SELECT count(*) FROM digest_files)"
        ).fetchone()
        last = self.db.execute(
            "SELECT ingested_at, source, warnings FROM digest_files ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return StoreStats(
            digests=digests,
            papers=papers,
            categories=categories,
            files=files,
            last_ingest=dt.datetime.fromisoformat(last[0]) if last else None,
            last_source=last[1] if last else None,
            last_warnings=tuple(json.loads(last[2])) if last else (),
        )

    def reindex(self) -> None:
        """Rebuild the full-text index from the papers (after ``bot.rules.textindex`` changes)."""
        with write_transaction(self.db):
            self.db.execute("INSERT INTO papers_fts (papers_fts) VALUES ('delete-all')")
            last_doc = 0
            while rows := self.db.execute(
                f"SELECT {SELECT_PAPER} FROM papers p WHERE p.doc > ? ORDER BY p.doc LIMIT 1000",
                (last_doc,),
            ).fetchall():
                papers = zip(rows, papers_from_rows(self.db, rows), strict=True)
                self.db.conn.executemany(
                    FTS_INSERT, ((row[0], *fts_document(paper)) for row, paper in papers)
                )
                last_doc = rows[-1][0]
        recount(self.db)

    def _papers(self, where: str, params: list[object]) -> list[Paper]:
        rows = self.db.execute(f"SELECT {SELECT_PAPER} FROM papers p {where}", params).fetchall()
        return papers_from_rows(self.db, rows)


def _database(target: str | Path | sqlite3.Connection) -> sqlite_utils.Database:
    """sqlite-utils without its plugins: none may change our connections, and looking for them
    reads the metadata of every installed package (20 ms of each ``digestbot stats``)."""
    return sqlite_utils.Database(target, execute_plugins=False)


def _page(limit: int, offset: int) -> tuple[int, int]:
    """A limit between 0 and MAX_PAGE and an offset of at least 0."""
    return min(max(limit, 0), MAX_PAGE), max(offset, 0)
