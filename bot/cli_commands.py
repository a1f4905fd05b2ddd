"""What each ``digestbot`` sub-command does; user errors become CommandError (one sentence)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import json
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from telegram.error import InvalidToken, NetworkError
from tqdm import tqdm

from bot.app import build_application, deliver_once
from bot.arxiv_id import parse_arxiv_id
from bot.config import Settings
from bot.delivery.ingest import MissingDateError, NotADigestError, digest_date, ingest_raw
from bot.delivery.sources import SourceError, expand_inputs, read_input
from bot.digest.parse import DigestParseError, parse_digest
from bot.instance import AlreadyRunningError, InstanceLock
from bot.lifecycle import serve_until_signalled
from bot.models import Paper
from bot.rules.query import parse_query
from storage.store import Store

PROGRESS_FROM = 5
"""Show a progress bar when ingesting at least this many files into a terminal."""


class CommandError(Exception):
    """A user error on the command line: the message is printed as is, the exit code is 2."""


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


def ingest(args: argparse.Namespace, settings: Settings) -> int:
    try:
        expanded = expand_inputs(args.inputs)
    except SourceError as exc:
        raise CommandError(str(exc)) from None
    totals = {"digests": 0, "skipped": 0, "new": 0, "updated": 0, "warnings": 0, "failed": 0}
    for name in expanded.skipped:
        print(f"skipped {name}: no YYYY-MM-DD in its name", file=sys.stderr)
    now = dt.datetime.now(dt.UTC)
    items = expanded.items
    show_bar = len(items) >= PROGRESS_FROM and sys.stderr.isatty()
    with open_store(settings) as store:
        for item in tqdm(items, disable=not show_bar, unit="file", file=sys.stderr):
            try:
                result = ingest_raw(store, read_input(item), now=now, date=args.date)
            except (SourceError, MissingDateError, NotADigestError, DigestParseError) as exc:
                message = str(exc) if not isinstance(exc, DigestParseError) else f"{item}: {exc}"
                tqdm.write(f"failed {message}", file=sys.stderr)
                totals["failed"] += 1
                continue
            totals["skipped" if result.skipped else "digests"] += 1
            totals["new"] += result.papers_new
            totals["updated"] += result.papers_updated
            totals["warnings"] += len(result.warnings)
            for warning in result.warnings:
                tqdm.write(f"warning {item}: {warning}", file=sys.stderr)
    print(
        f"{totals['digests']} digest(s) stored, {totals['skipped']} already stored, "
        f"{totals['failed']} failed; papers: {totals['new']} new, {totals['updated']} updated; "
        f"{totals['warnings']} warning(s)."
    )
    return 1 if totals["failed"] else 0


def parse(args: argparse.Namespace, settings: Settings) -> int:
    try:
        raw = read_input(args.input)
        digest = parse_digest(raw.text, date=args.date or _optional_date(raw.name))
    except SourceError as exc:
        raise CommandError(str(exc)) from None
    except DigestParseError as exc:
        raise CommandError(f"{args.input}: {exc}") from None
    warnings = list(digest.warnings)
    if digest.date is None:
        warnings.insert(0, "no date: the name carries no YYYY-MM-DD; give one with --date")
    if args.json:
        document = {
            "date": digest.date.isoformat() if digest.date else None,
            "layout": digest.layout,
            "duplicates_merged": digest.duplicates_merged,
            "warnings": warnings,
            "papers": [_paper_json(p) for p in digest.papers],
        }
        print(json.dumps(document, ensure_ascii=False, indent=2))
    else:
        print(
            f"{args.input}: {len(digest.papers)} paper(s), layout {digest.layout}, "
            f"date {digest.date or 'unknown'}, {digest.duplicates_merged} duplicate(s) merged"
        )
        for warning in warnings:
            print(f"warning: {warning}")
    return 0


def _optional_date(name: str) -> dt.date | None:
    try:
        return digest_date(name, None)
    except MissingDateError:
        return None


_JSON_FIELDS = (
    "id", "version", "title", "authors", "category", "categories",
    "tldr", "motivation", "method", "result", "conclusion", "abstract", "comment",
)  # fmt: skip


def _paper_json(paper: Paper) -> dict[str, object]:
    values = dataclasses.asdict(paper)
    return {name: values[name] for name in _JSON_FIELDS}


def search(args: argparse.Namespace, settings: Settings) -> int:
    query = parse_query(" ".join(args.query))
    for note in query.notes:
        print(f"note: {note}", file=sys.stderr)
    if query.is_empty:
        raise CommandError("the query has nothing to search for; try a word, e.g. 'pruning'.")
    with open_store(settings) as store:
        page = store.search(query, limit=args.limit)
    if not page.hits:
        print("No paper matches.")
        return 0
    for rank, hit in enumerate(page.hits, start=1):
        paper = hit.paper
        print(f"{rank:>2}. {paper.id}  {paper.date or ''}  {paper.category or '-'}  {paper.title}")
        if paper.tldr:
            print(f"    {_shorten(paper.tldr, 160)}")
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


@contextmanager
def single_instance(settings: Settings) -> Iterator[None]:
    lock = InstanceLock(settings.db_path)
    try:
        lock.acquire()
    except AlreadyRunningError as exc:
        raise CommandError(str(exc)) from None
    except OSError as exc:
        raise CommandError(f"cannot lock the database {settings.db_path} ({exc}).") from None
    try:
        yield
    finally:
        lock.release()


def run(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_token()
    with single_instance(settings), _telegram_errors(settings):
        try:
            application = build_application(settings)
        except (sqlite3.DatabaseError, OSError) as exc:
            raise CommandError(f"cannot open the database {settings.db_path} ({exc}).") from None
        asyncio.run(serve_until_signalled(application))
    return 0


def deliver(args: argparse.Namespace, settings: Settings) -> int:
    settings.require_token()
    with single_instance(settings), _telegram_errors(settings):
        polled, sent = asyncio.run(deliver_once(settings))
    print(
        f"{polled.stored} digest(s) stored, {polled.failed} failed, {polled.planned} "
        f"delivery(ies) planned; sent {sent.sent}, to retry {sent.retried}, failed {sent.failed}, "
        f"chats paused {sent.paused}."
    )
    return 1 if polled.failed or sent.failed else 0


@contextmanager
def _telegram_errors(settings: Settings) -> Iterator[None]:
    """Start-up failures that are the operator's to fix, as one sentence each."""
    try:
        yield
    except InvalidToken:
        message = "Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather."
        raise CommandError(message) from None
    except NetworkError as exc:
        where = settings.telegram_base_url or "api.telegram.org"
        message = f"cannot reach the Telegram Bot API at {where} ({exc.message})."
        raise CommandError(message) from None


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"
