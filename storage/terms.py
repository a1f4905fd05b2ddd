"""How many papers contain each index term: the document frequencies that weigh a paper's terms.

FTS5 keeps no such count: its ``fts5vocab`` table (``papers_terms``) finds it by reading the
term's whole list of papers, 15 ms for "the" at 100,000 papers, and a paper has a few hundred
terms. So the terms in at least ``COUNTED_FROM`` papers are counted once into ``term_counts``,
and counted again when the papers have doubled since (about 1.3 s at 100,000 papers).
The rest, a paper's own words and those new since the last count, are looked up in
``papers_terms`` when asked for: their lists are short, some 25 microseconds each.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlite_utils

from storage.transactions import write_transaction

COUNTED_FROM = 2
"""Terms of a single paper (half the vocabulary: names, numbers, rare bigrams) are not kept in
``term_counts``."""
RECOUNT_GROWTH = 2.0
"""The terms are counted again once the papers number this many times those last counted: a
backfill of 100,000 papers counts about twice the last count's cost in all (3 s), and counts
made when the papers were half as many find papers as close as fresh ones (``bench_similar``
on the history: recall 0.43 and 0.42)."""
_CHUNK = 500
"""Terms per ``IN (...)`` list, well under SQLite's limit on bound parameters."""

TERMS_SCHEMA = (
    "CREATE VIRTUAL TABLE papers_terms USING fts5vocab(papers_fts, row)",
    """CREATE TABLE term_counts (
        term TEXT PRIMARY KEY,
        papers INTEGER NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE term_counts_made (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        papers INTEGER NOT NULL
    )""",
    f"""INSERT INTO term_counts (term, papers)
        SELECT term, doc FROM papers_terms WHERE doc >= {COUNTED_FROM}""",
    "INSERT INTO term_counts_made (id, papers) VALUES (1, (SELECT count(*) FROM papers))",
)
"""Migration 6: the vocabulary of the full-text index, and the counts of its common terms."""


def paper_count(db: sqlite_utils.Database) -> int:
    return int(db.execute("SELECT count(*) FROM papers").fetchone()[0])


def papers_with(db: sqlite_utils.Database, terms: Sequence[str]) -> dict[str, int]:
    """How many papers contain each of ``terms`` (0 for a term no paper has): as last counted
    in ``term_counts``, else as the index says now."""
    found = dict.fromkeys(terms, 0)
    for table, column in (("term_counts", "papers"), ("papers_terms", "doc")):
        wanted = [term for term, count in found.items() if count == 0]
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            found.update(
                db.execute(
                    f"SELECT term, {column} FROM {table}"
                    f" WHERE term IN ({', '.join('?' * len(chunk))})",
                    chunk,
                )
            )
    return found


def recount_when_grown(db: sqlite_utils.Database) -> None:
    """Count the terms again if the papers have grown by ``RECOUNT_GROWTH`` since the last count."""
    made = db.execute("SELECT papers FROM term_counts_made").fetchone()[0]
    if paper_count(db) >= max(made * RECOUNT_GROWTH, 1):
        recount(db)


def recount(db: sqlite_utils.Database) -> None:
    """Count the papers of every term in at least ``COUNTED_FROM`` of them, afresh.

    The index is read before the write lock is taken (a reader in WAL mode blocks nobody), so
    other writers wait only for the table's rewrite.
    """
    papers = paper_count(db)
    counts = db.execute(
        "SELECT term, doc FROM papers_terms WHERE doc >= ?", [COUNTED_FROM]
    ).fetchall()
    with write_transaction(db):
        db.execute("DELETE FROM term_counts")
        db.conn.executemany("INSERT INTO term_counts (term, papers) VALUES (?, ?)", counts)
        db.execute("UPDATE term_counts_made SET papers = ?", [papers])
