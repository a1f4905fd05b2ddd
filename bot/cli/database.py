"""``search``, ``export``, ``show`` and ``stats``: reads of the database, nothing else.

These are the commands people run by hand and in scripts, so this module imports only the store
and the query language: not the digest parser, HTTP clients or python-telegram-bot.
"""

from __future__ import annotations

import argparse
import dataclasses
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from bot.arxiv_id import parse_arxiv_id
from bot.cli.errors import CommandError
from bot.cli.output import SEARCH_FORMATS
from bot.config import Settings
from bot.rules.query import SearchPage, parse_query
from bot.text.exports import EXPORT_FORMATS
from storage.store import Store


@contextmanager
def open_store(settings: Settings) -> Iterator[Store]:
    try:
        store = Store.open(settings.db_path)
    except (sqlite3.DatabaseError, OSError) as exc:
        raise CommandError(
            f"cannot open the database {settings.db_path} ({exc}); set DIGESTBOT_DB to a "
            "digestbot database file or a new path."
        ) from None
    try:
        yield store
    finally:
        store.close()


def _search(args: argparse.Namespace, settings: Settings) -> tuple[str, SearchPage]:
    """The query's text and its first ``--limit`` matches, best first; its notes on stderr."""
    text = " ".join(args.query)
    query = parse_query(text)
    for note in query.notes:
        print(f"note: {note}", file=sys.stderr)
    if query.is_empty:
        raise CommandError("the query has nothing to search for; try a word, e.g. 'pruning'.")
    with open_store(settings) as store:
        return text, store.search(query, limit=args.limit)


def _write(output: str) -> None:
    """``output`` ended by one line break, its own if it has one (CR LF for RIS and CSV);
    nothing at all for nothing (BibTeX or RIS without a paper).

    As ``print`` does, the break is written on its own, after the rest: when the reader has gone
    (``| head``), that last small write is the one that finds it. A big write cut short by the
    reader was seen to return without an error (CPython 3.11 on Linux), its tail dropped.
    """
    if not output:
        return
    ending = "\r\n" if output.endswith("\r\n") else "\n"
    print(output.removesuffix(ending), end=ending)


def search(args: argparse.Namespace, settings: Settings) -> int:
    text, page = _search(args, settings)
    _write(SEARCH_FORMATS[args.format](text, page))
    return 0


def export(args: argparse.Namespace, settings: Settings) -> int:
    """The matching papers, best first, as a file of the format, for a reading list."""
    _, page = _search(args, settings)
    if not page.hits:
        print("note: no paper matches.", file=sys.stderr)
    elif page.has_more:
        total, count = f"{page.total:,}{'+' if page.capped else ''}", len(page.hits)
        written = f"the first {count:,} {'is' if count == 1 else 'are'} written (--limit)"
        print(f"note: {total} papers match; {written}.", file=sys.stderr)
    _write(EXPORT_FORMATS[args.format].render([hit.paper for hit in page.hits]))
    return 0


def show(args: argparse.Namespace, settings: Settings) -> int:
    arxiv_id = parse_arxiv_id(args.id)
    if arxiv_id is None:
        raise CommandError(f"{args.id!r} is not an arXiv id or link, e.g. 2510.19260.")
    with open_store(settings) as store:
        paper = store.paper(arxiv_id.id)
    if paper is None:
        raise CommandError(f"{arxiv_id.id} is not in the database.")
    print(f"{paper.title}\n{paper.url}")
    rows = [
        ("authors", ", ".join(paper.authors)),
        ("categories", " ".join(paper.all_categories)),
        ("date", str(paper.date or "")),
        ("comment", paper.comment),
        ("tl;dr", paper.tldr),
        ("motivation", paper.motivation),
        ("method", paper.method),
        ("result", paper.result),
        ("conclusion", paper.conclusion),
        ("abstract", paper.abstract),
    ]
    for label, value in rows:
        if value:
            print(f"\n{label}: {value}")
    return 0


def stats(args: argparse.Namespace, settings: Settings) -> int:
    with open_store(settings) as store:
        figures = store.stats()
        categories = store.categories()
    print(f"database: {settings.db_path}")
    for label, value in dataclasses.asdict(figures).items():
        print(f"{label.replace('_', ' ')}: {value}")
    top = ", ".join(f"{c.category} {c.count}" for c in categories[:10])
    print(f"top categories: {top or '-'}")
    return 0
