"""Papers in and out of their rows: the column lists, row -> Paper, and the full-text document."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from bot.models import SUMMARY_FIELDS, Paper, Summary
from bot.rules.textindex import index_text
from storage.schema import FTS_COLUMNS

PAPER_COLUMNS = (
    "id",
    "version",
    "first_date",
    "title",
    "authors",
    "tldr",
    "motivation",
    "method",
    "result",
    "conclusion",
    "comment",
    "abstract",
)
SELECT_PAPER = ", ".join(f"p.{column}" for column in ("doc", *PAPER_COLUMNS))
"""The columns ``row_to_paper`` reads, for ``SELECT ... FROM papers p``."""

_FTS_VALUES = f"?, {', '.join('?' * len(FTS_COLUMNS))}"
FTS_INSERT = f"INSERT INTO papers_fts (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({_FTS_VALUES})"
FTS_DELETE = (
    f"INSERT INTO papers_fts (papers_fts, rowid, {', '.join(FTS_COLUMNS)})"
    f" VALUES ('delete', {_FTS_VALUES})"
)
"""Removes an entry from the contentless index: it needs the very values once inserted."""

_CHUNK = 500
"""Ids per ``IN (...)`` list, well under SQLite's limit on bound parameters."""


def paper_values(paper: Paper) -> tuple[Any, ...]:
    """The ``PAPER_COLUMNS`` values of a paper whose date is set."""
    if paper.date is None:
        raise ValueError(f"paper {paper.id} has no date")
    return (
        paper.id,
        paper.version,
        paper.date.isoformat(),
        paper.title,
        json.dumps(list(paper.authors), ensure_ascii=False),
        paper.tldr,
        paper.motivation,
        paper.method,
        paper.result,
        paper.conclusion,
        paper.comment,
        paper.abstract,
    )


def category_token(category: str) -> str:
    """One index token for a category: ``cs.LG`` -> ``cs0lg``, ``astro-ph.GA`` -> ``astro1ph0ga``.

    Letters and digits only, so the tokenizer keeps it whole; the digits stand for ``.`` and
    ``-``, which never occur in category names, so two categories never share a token.
    """
    return category.lower().replace(".", "0").replace("-", "1")


def fts_document(paper: Paper) -> tuple[str, str, str, str, str]:
    """The indexed text of each FTS column (title, authors, summary, abstract, categories).

    A pure function of the stored paper: it is recomputed to delete an entry from the contentless
    index, which needs the exact values once inserted. The summary column holds the AI text of
    every language the paper has (each distinct text once), so a search in any of them finds it.
    """
    summary_parts = (paper.tldr, paper.motivation, paper.method, paper.result, paper.conclusion)
    languages = (getattr(s, name) for s in paper.summaries for name in SUMMARY_FIELDS)
    parts = dict.fromkeys(part for part in (*summary_parts, paper.comment, *languages) if part)
    summary = "\n".join(parts)
    return (
        index_text(paper.title),
        index_text(", ".join(paper.authors)),
        index_text(summary),
        index_text(paper.abstract or ""),
        " ".join(map(category_token, paper.all_categories)),
    )


def row_to_paper(row: Sequence[Any], categories: Sequence[tuple[str, bool]]) -> Paper:
    """A paper from a ``SELECT_PAPER`` row (its doc first) and its (category, is_primary) pairs."""
    (_doc, paper_id, version, first_date, title, authors, *summary, comment, abstract) = row
    tldr, motivation, method, result, conclusion = summary
    primary = next((name for name, is_primary in categories if is_primary), None)
    return Paper(
        id=paper_id,
        title=title,
        version=version,
        authors=tuple(json.loads(authors)),
        category=primary,
        categories=tuple(name for name, _ in categories),
        tldr=tldr,
        motivation=motivation,
        method=method,
        result=result,
        conclusion=conclusion,
        abstract=abstract,
        comment=comment,
        date=dt.date.fromisoformat(first_date),
    )


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _categories_of(
    db: sqlite_utils.Database, paper_ids: Sequence[str]
) -> dict[str, list[tuple[str, bool]]]:
    found: dict[str, list[tuple[str, bool]]] = {}
    for chunk in _chunks(paper_ids):
        rows = db.execute(
            "SELECT paper_id, category, is_primary FROM paper_categories"
            f" WHERE paper_id IN ({', '.join('?' * len(chunk))}) ORDER BY paper_id, position",
            list(chunk),
        )
        for paper_id, category, is_primary in rows:
            found.setdefault(paper_id, []).append((category, bool(is_primary)))
    return found


def _summaries_of(
    db: sqlite_utils.Database, paper_ids: Sequence[str]
) -> dict[str, tuple[Summary, ...]]:
    found: dict[str, list[Summary]] = {}
    for chunk in _chunks(paper_ids):
        rows = db.execute(
            f"SELECT paper_id, language, {', '.join(SUMMARY_FIELDS)} FROM paper_summaries"
            f" WHERE paper_id IN ({', '.join('?' * len(chunk))}) ORDER BY paper_id, language",
            list(chunk),
        )
        for paper_id, language, *fields in rows:
            found.setdefault(paper_id, []).append(Summary(language, *fields))
    return {paper_id: tuple(summaries) for paper_id, summaries in found.items()}


def summary_rows(paper: Paper) -> Iterable[tuple[Any, ...]]:
    """The ``paper_summaries`` rows of a paper."""
    for s in paper.summaries:
        yield (paper.id, s.language, *(getattr(s, name) for name in SUMMARY_FIELDS))


def papers_from_rows(db: sqlite_utils.Database, rows: Sequence[Sequence[Any]]) -> list[Paper]:
    """Papers for ``SELECT_PAPER`` rows, in the same order, with their categories and each
    language's AI text filled in."""
    ids = [row[1] for row in rows]
    categories = _categories_of(db, ids)
    summaries = _summaries_of(db, ids)
    return [
        dataclasses.replace(
            row_to_paper(row, categories.get(row[1], [])), summaries=summaries.get(row[1], ())
        )
        for row in rows
    ]


def load_papers(
    db: sqlite_utils.Database, paper_ids: Sequence[str]
) -> dict[str, tuple[int, Paper]]:
    """The stored papers among ``paper_ids``, as id -> (doc, paper)."""
    rows: list[Sequence[Any]] = []
    for chunk in _chunks(paper_ids):
        rows.extend(
            db.execute(
                f"SELECT {SELECT_PAPER} FROM papers p"
                f" WHERE p.id IN ({', '.join('?' * len(chunk))})",
                list(chunk),
            ).fetchall()
        )
    papers = papers_from_rows(db, rows)
    return {paper.id: (row[0], paper) for row, paper in zip(rows, papers, strict=True)}
