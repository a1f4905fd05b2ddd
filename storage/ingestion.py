"""Storing one parsed digest: new papers inserted, known ones merged, all in one transaction."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable

import sqlite_utils

from bot.digest.merge import merge_papers
from bot.models import SUMMARY_FIELDS, Digest, IngestResult, Paper, Summary
from storage.papers import (
    FTS_DELETE,
    FTS_INSERT,
    PAPER_COLUMNS,
    fts_document,
    load_papers,
    paper_values,
    summary_rows,
)
from storage.transactions import write_transaction

_INSERT_PAPER = (
    f"INSERT INTO papers (doc, {', '.join(PAPER_COLUMNS)})"
    f" VALUES (?, {', '.join('?' * len(PAPER_COLUMNS))})"
)
_UPDATE_PAPER = (
    f"UPDATE papers SET {', '.join(f'{column} = ?' for column in PAPER_COLUMNS)} WHERE doc = ?"
)


def is_ingested(db: sqlite_utils.Database, date: dt.date, content_hash: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM digest_files WHERE date = ? AND content_hash = ?",
        (date.isoformat(), content_hash),
    ).fetchone()
    return row is not None


def _same(stored: Paper, merged: Paper) -> bool:
    """True when storing ``merged`` would change nothing (category order aside)."""

    def key(paper: Paper) -> tuple[Paper, frozenset[str]]:
        return dataclasses.replace(paper, categories=()), frozenset(paper.all_categories)

    return key(stored) == key(merged)


def _in_language(paper: Paper, language: str | None) -> tuple[Summary, ...]:
    """The paper's AI text as the summary of ``language``; none when either is unknown."""
    if language is None or not paper.has_ai_text:
        return ()
    return (Summary(language, *(getattr(paper, name) for name in SUMMARY_FIELDS)),)


def _folded(digest: Digest, date: dt.date) -> dict[str, Paper]:
    """The digest's papers by id, dated by the digest, repeats of one id merged (later ones win);
    a digest of known language files its AI text under that language too."""
    papers: dict[str, Paper] = {}
    for paper in digest.papers:
        dated = dataclasses.replace(
            paper, date=date, summaries=_in_language(paper, digest.language)
        )
        seen = papers.get(paper.id)
        papers[paper.id] = dated if seen is None else merge_papers(dated, seen)
    return papers


def _category_rows(paper: Paper) -> Iterable[tuple[str, str, bool, int]]:
    for position, category in enumerate(paper.all_categories):
        yield paper.id, category, category == paper.category, position


class _Writer:
    """The writes of one ingest, batched; counts what changed."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db
        self.next_doc = db.execute("SELECT coalesce(max(doc), 0) + 1 FROM papers").fetchone()[0]
        self.new: list[tuple[int, Paper]] = []
        self.updated: list[tuple[int, Paper, Paper]] = []
        self.unchanged = 0

    def add(self, paper: Paper, stored: tuple[int, Paper] | None) -> None:
        if stored is None:
            self.new.append((self.next_doc, paper))
            self.next_doc += 1
            return
        doc, old = stored
        merged = merge_papers(paper, old)
        if _same(old, merged):
            self.unchanged += 1
        else:
            self.updated.append((doc, old, merged))

    def flush(self) -> None:
        conn = self.db.conn
        conn.executemany(_INSERT_PAPER, ((doc, *paper_values(p)) for doc, p in self.new))
        conn.executemany(FTS_INSERT, ((doc, *fts_document(p)) for doc, p in self.new))
        conn.executemany(_UPDATE_PAPER, ((*paper_values(new), doc) for doc, _, new in self.updated))
        conn.executemany(FTS_DELETE, ((doc, *fts_document(old)) for doc, old, _ in self.updated))
        conn.executemany(FTS_INSERT, ((doc, *fts_document(new)) for doc, _, new in self.updated))
        conn.executemany(
            "DELETE FROM paper_summaries WHERE paper_id = ?",
            ((new.id,) for _, _, new in self.updated),
        )
        conn.executemany(
            f"INSERT INTO paper_summaries (paper_id, language, {', '.join(SUMMARY_FIELDS)})"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                row
                for paper in (*(p for _, p in self.new), *(p for _, _, p in self.updated))
                for row in summary_rows(paper)
            ),
        )
        conn.executemany(
            "DELETE FROM paper_categories WHERE paper_id = ?",
            ((new.id,) for _, _, new in self.updated),
        )
        conn.executemany(
            "INSERT INTO paper_categories (paper_id, category, is_primary, position)"
            " VALUES (?, ?, ?, ?)",
            (
                row
                for paper in (*(p for _, p in self.new), *(p for _, _, p in self.updated))
                for row in _category_rows(paper)
            ),
        )


def _record_digest(db: sqlite_utils.Database, date: str, warnings: list[str]) -> None:
    """The day's row: its distinct papers over every file, and the warnings of all its files."""
    row = db.execute("SELECT warnings FROM digests WHERE date = ?", (date,)).fetchone()
    merged = dict.fromkeys([*(json.loads(row[0]) if row else []), *warnings])
    db.execute(
        "INSERT INTO digests (date, papers, warnings)"
        " VALUES (?, (SELECT count(*) FROM paper_digests WHERE date = ?), ?)"
        " ON CONFLICT (date) DO UPDATE SET papers = excluded.papers, warnings = excluded.warnings",
        (date, date, json.dumps(list(merged), ensure_ascii=False)),
    )


def ingest(
    db: sqlite_utils.Database,
    digest: Digest,
    *,
    source: str,
    content_hash: str,
    now: dt.datetime,
    deliver: bool = False,
) -> IngestResult:
    """Store ``digest`` atomically; see ``Store.ingest``."""
    if digest.date is None:
        raise ValueError("a digest needs a date to be stored")
    date = digest.date.isoformat()
    with write_transaction(db):
        if is_ingested(db, digest.date, content_hash):
            return IngestResult(date=digest.date, source=source, skipped=True)
        papers = _folded(digest, digest.date)
        stored = load_papers(db, list(papers))
        writer = _Writer(db)
        for paper_id, paper in papers.items():
            writer.add(paper, stored.get(paper_id))
        writer.flush()
        db.conn.executemany(
            "INSERT OR IGNORE INTO paper_digests (paper_id, date) VALUES (?, ?)",
            ((paper_id, date) for paper_id in papers),
        )
        db.execute(
            "INSERT INTO digest_files (source, date, content_hash, layout, papers, new, updated,"
            " warnings, ingested_at, plan) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                source,
                date,
                content_hash,
                digest.layout,
                len(papers),
                len(writer.new),
                len(writer.updated),
                json.dumps(list(digest.warnings), ensure_ascii=False),
                now.isoformat(),
                "due" if deliver else None,
            ),
        )
        _record_digest(db, date, list(digest.warnings))
    return IngestResult(
        date=digest.date,
        source=source,
        papers_new=len(writer.new),
        papers_updated=len(writer.updated),
        papers_unchanged=writer.unchanged,
        warnings=digest.warnings,
    )
