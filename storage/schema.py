"""The database schema: numbered migrations applied once each, tracked in ``PRAGMA user_version``.

A migration is a tuple of SQL statements. Applying the schema runs, in one ``BEGIN IMMEDIATE``
transaction, the migrations the file has not seen yet, so two processes opening a fresh database
at the same moment cannot both create it. To change the schema, append a migration; never edit
one that has shipped.
"""

from __future__ import annotations

import sqlite_utils

from storage.chats import CHATS_SCHEMA, FEED_SCHEMA, LANGUAGE_SCHEMA, TOPICS_SCHEMA
from storage.deliveries import DELIVERIES_SCHEMA
from storage.feed_tokens import FEED_TOKENS_SCHEMA
from storage.library import LIBRARY_SCHEMA
from storage.rollups import ROLLUPS_SCHEMA
from storage.source_state import SOURCE_STATE_SCHEMA
from storage.terms import TERMS_SCHEMA
from storage.transactions import write_transaction

FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"
FTS_TEXT_COLUMNS = ("title", "authors", "summary", "abstract")
FTS_COLUMNS = (*FTS_TEXT_COLUMNS, "categories")
"""``categories`` holds one token per category, so ``cat:`` filters inside the index."""
FTS_WEIGHTS = (10.0, 4.0, 2.0, 1.0, 0.0)
"""bm25 weight of each FTS column, in ``FTS_COLUMNS`` order: a title match counts most."""

_V1 = (
    """CREATE TABLE digests (
        date TEXT PRIMARY KEY,
        papers INTEGER NOT NULL,
        warnings TEXT NOT NULL
    ) WITHOUT ROWID""",
    """CREATE TABLE digest_files (
        id INTEGER PRIMARY KEY,
        source TEXT NOT NULL,
        date TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        layout TEXT NOT NULL,
        papers INTEGER NOT NULL,
        new INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        warnings TEXT NOT NULL,
        ingested_at TEXT NOT NULL,
        UNIQUE (date, content_hash)
    )""",
    # doc is the rowid alias that links a paper to its full-text entry: an implicit rowid could
    # change under VACUUM, an explicit INTEGER PRIMARY KEY cannot. Short columns come first, so
    # filtering on them never reads a long abstract's overflow pages.
    """CREATE TABLE papers (
        doc INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        version INTEGER,
        first_date TEXT NOT NULL,
        title TEXT NOT NULL,
        authors TEXT NOT NULL,
        tldr TEXT,
        motivation TEXT,
        method TEXT,
        result TEXT,
        conclusion TEXT,
        comment TEXT,
        abstract TEXT
    )""",
    "CREATE INDEX papers_first_date ON papers (first_date, doc)",
    # Date filters on full-text matches look up the date of thousands of docs: this small covering
    # index answers from a few pages instead of one table page (and its long row) per doc.
    "CREATE INDEX papers_doc_date ON papers (doc, first_date)",
    """CREATE TABLE paper_categories (
        paper_id TEXT NOT NULL,
        category TEXT NOT NULL COLLATE NOCASE,
        is_primary INTEGER NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (paper_id, category)
    ) WITHOUT ROWID""",
    "CREATE INDEX paper_categories_category ON paper_categories (category, paper_id)",
    """CREATE TABLE paper_digests (
        paper_id TEXT NOT NULL,
        date TEXT NOT NULL,
        PRIMARY KEY (paper_id, date)
    ) WITHOUT ROWID""",
    "CREATE INDEX paper_digests_date ON paper_digests (date, paper_id)",
    f"""CREATE VIRTUAL TABLE papers_fts USING fts5(
        {", ".join(FTS_COLUMNS)}, content='', tokenize='{FTS_TOKENIZER}'
    )""",
)

_RANKERS = (
    """CREATE TABLE rank_features (
        version TEXT PRIMARY KEY,
        papers INTEGER NOT NULL,
        blob BLOB NOT NULL
    )""",
    """CREATE TABLE rank_models (
        chat_id INTEGER PRIMARY KEY,
        features TEXT NOT NULL,
        feedback TEXT NOT NULL,
        blob BLOB
    )""",
)
"""``rank_features.papers``: how many papers were stored when it was fitted.
``rank_models.feedback``: the version of the training and the fingerprint of the feedback the
model saw (``2:r3:1.0:...``); ``blob`` is NULL for a
chat whose feedback cannot train a model (its rated papers are gone, or it rated all of its days'
papers alike), so it is not tried again until it changes."""

_SUMMARIES = (
    """CREATE TABLE paper_summaries (
        paper_id TEXT NOT NULL,
        language TEXT NOT NULL,
        tldr TEXT,
        motivation TEXT,
        method TEXT,
        result TEXT,
        conclusion TEXT,
        PRIMARY KEY (paper_id, language)
    ) WITHOUT ROWID""",
    # The language of AI text a chat reads (/summaries); NULL: any.
    "ALTER TABLE chats ADD COLUMN summaries TEXT",
)
"""Each language's AI text of a paper (``Paper.summaries``); papers stored before it have none,
only the text of their ``papers`` row, shown whatever language is asked for."""

_RANK_ROWS = (
    """CREATE TABLE rank_rows (
        features TEXT NOT NULL,
        paper_id TEXT NOT NULL,
        text_key BLOB NOT NULL,
        indices BLOB NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (features, paper_id)
    ) WITHOUT ROWID""",
)
"""Each paper's tf-idf row under one fit of the features (int32 term indices, float32 values),
as it was first computed: training a chat on hundreds of rated papers reads them instead of
analysing every text again. ``text_key`` hashes the text the row was computed from, so a paper
whose AI text changed gets a new row; rows of an older fit are dropped when the features are
fitted again."""

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    _V1,
    CHATS_SCHEMA,
    SOURCE_STATE_SCHEMA,
    DELIVERIES_SCHEMA,
    LIBRARY_SCHEMA,
    TERMS_SCHEMA,
    ROLLUPS_SCHEMA,
    _RANKERS,
    FEED_SCHEMA,
    TOPICS_SCHEMA,
    _SUMMARIES,
    LANGUAGE_SCHEMA,
    _RANK_ROWS,
    FEED_TOKENS_SCHEMA,
)
"""Migration ``n`` (1-based) brings a database from ``user_version`` n-1 to n."""

SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNewError(RuntimeError):
    """The database was written by a newer digestbot than this one."""


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def apply_schema(db: sqlite_utils.Database) -> None:
    """Bring the database to ``SCHEMA_VERSION``; a no-op when it is there already."""
    if schema_version(db) == SCHEMA_VERSION:
        return
    with write_transaction(db):
        current = schema_version(db)
        if current > SCHEMA_VERSION:
            raise SchemaTooNewError(
                f"the database has schema version {current}, this digestbot knows up to "
                f"{SCHEMA_VERSION}; upgrade digestbot"
            )
        for version in range(current + 1, SCHEMA_VERSION + 1):
            for statement in MIGRATIONS[version - 1]:
                db.execute(statement)
            db.execute(f"PRAGMA user_version = {version}")
