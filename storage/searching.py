"""A parsed Query as one SQL statement over the papers and their full-text index.

User text reaches SQLite only as bound parameters, and inside the FTS5 MATCH string only as
phrases quoted by ``bot.rules.textindex.fts_phrase``; the SQL and the FTS5 operators around them are
fixed text written here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.rules.query import Query
from bot.rules.textindex import fts_phrase
from storage.papers import SELECT_PAPER, category_token
from storage.schema import FTS_TEXT_COLUMNS, FTS_WEIGHTS

RANK_WINDOW = 2000
"""How many of the most recently stored matches a search orders (by relevance or by date).

bm25 costs time for every row it scores; a query that matches more rows than this is so broad
that relevance says little, and recency is the better tie-breaker.
"""
_BM25 = f"bm25(papers_fts, {', '.join(str(w) for w in FTS_WEIGHTS)})"
_TEXT = f"{{{' '.join(FTS_TEXT_COLUMNS)}}}"
"""FTS5 column filter: words and phrases match the text columns, never the category tokens."""


@dataclass(slots=True)
class SearchSql:
    """The statement and its parameters; rows are ``SELECT_PAPER`` columns, a score and the
    number of results ranked (at most RANK_WINDOW)."""

    sql: str
    params: list[Any] = field(default_factory=list)


def _any(phrases: list[str]) -> str:
    return phrases[0] if len(phrases) == 1 else f"({' OR '.join(phrases)})"


def _match(query: Query) -> tuple[str | None, str | None]:
    """The FTS5 expressions that must match, and the one that must not (either may be None)."""
    terms = [p for p in map(fts_phrase, query.terms) if p]
    authors = [f"authors : {p}" for p in map(fts_phrase, query.authors) if p]
    excluded = [p for p in map(fts_phrase, query.excluded) if p]
    categories = [f'"{category_token(c)}"' for c in query.categories]
    positives = [f"{_TEXT} : ({' AND '.join(terms)})"] if terms else []
    positives += authors
    if categories:
        positives.append(f"categories : {_any(categories)}")
    negative = f"{_TEXT} : {_any(excluded)}" if excluded else None
    return (" AND ".join(positives) or None), negative


def _dates(query: Query) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    if query.since is not None:
        conditions.append("p.first_date >= ?")
        params.append(query.since.isoformat())
    if query.until is not None:
        conditions.append("p.first_date <= ?")
        params.append(query.until.isoformat())
    return conditions, params


def _candidates(query: Query, positive: str, negative: str | None) -> tuple[str, list[Any]]:
    """The newest RANK_WINDOW matches as (doc, score, first_date) rows."""
    match = f"({positive}) NOT ({negative})" if negative else positive
    score = _BM25 if query.terms else "0.0"
    conditions, params = _dates(query)
    if query.terms and not conditions:
        return (
            f"SELECT rowid AS doc, {score} AS score, NULL AS first_date FROM papers_fts"
            f" WHERE papers_fts MATCH ? ORDER BY rowid DESC LIMIT {RANK_WINDOW}",
            [match],
        )
    where = " AND ".join(["papers_fts MATCH ?", *conditions])
    return (
        f"SELECT papers_fts.rowid AS doc, {score} AS score, p.first_date AS first_date"
        " FROM papers_fts JOIN papers p INDEXED BY papers_doc_date ON p.doc = papers_fts.rowid"
        f" WHERE {where}"
        f" ORDER BY papers_fts.rowid DESC LIMIT {RANK_WINDOW}",
        [match, *params],
    )


def _filtered(query: Query, negative: str | None) -> tuple[str, list[Any]] | None:
    """Newest papers first for a query with no positive match: dates and exclusions only."""
    conditions, params = _dates(query)
    if negative is not None:
        conditions.append("p.doc NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)")
        params.append(negative)
    if not conditions:
        return None
    return (
        f"SELECT p.doc AS doc, 0.0 AS score, p.first_date AS first_date FROM papers p"
        f" WHERE {' AND '.join(conditions)}"
        f" ORDER BY p.first_date DESC, p.doc DESC LIMIT {RANK_WINDOW}",
        params,
    )


def build_search(query: Query, *, limit: int, offset: int) -> SearchSql | None:
    """The search for ``query``, or None when nothing in it can be searched for.

    Ranked by bm25 (best first) when the query has words or phrases, else newest first; either
    way over the newest RANK_WINDOW matches. Only the page is joined back to the papers, so long
    abstracts are read for the rows shown and no more.
    """
    positive, negative = _match(query)
    if positive is not None:
        rows, params = _candidates(query, positive, negative)
    else:
        found = _filtered(query, negative)
        if found is None:
            return None
        rows, params = found
    order = "score, doc DESC" if query.terms else "first_date DESC, doc DESC"
    page = (
        f"SELECT doc, score, first_date, count(*) OVER () AS total FROM ({rows})"
        f" ORDER BY {order} LIMIT ? OFFSET ?"
    )
    return SearchSql(
        f"SELECT {SELECT_PAPER}, m.score, m.total FROM ({page}) m JOIN papers p ON p.doc = m.doc"
        f" ORDER BY {'m.score, m.doc DESC' if query.terms else 'p.first_date DESC, m.doc DESC'}",
        [*params, limit, offset],
    )
