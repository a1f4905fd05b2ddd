"""``ingest`` and ``parse``: digests read from files, folders, globs and URLs.

They need the digest parser (BeautifulSoup), httpx for URLs and tqdm for the progress bar, which
the commands that only read the database never import.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from tqdm import tqdm

from bot.cli.database import open_store
from bot.cli.errors import CommandError
from bot.cli.output import paper_json, to_json
from bot.config import Settings
from bot.delivery.ingest import MissingDateError, NotADigestError, digest_date, ingest_raw
from bot.delivery.sources import SourceError, expand_inputs, read_input
from bot.digest.parse import DigestParseError, parse_digest

PROGRESS_FROM = 5
"""Show a progress bar when ingesting at least this many files into a terminal."""


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
            "papers": [paper_json(p) for p in digest.papers],
        }
        print(to_json(document))
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
