"""The ``digestbot`` command line: the only place that reads argv, the environment and ``.env``.

Each sub-command lives in the module of ``bot.cli`` that imports what it needs, and that module is
imported only when the command runs: ``--help``, ``stats`` and ``search`` never pay for
python-telegram-bot, aiohttp and the digest parser, more than half a second of imports.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from dotenv import dotenv_values

from bot.cli.errors import CommandError
from bot.cli.output import SEARCH_FORMATS
from bot.config import ConfigError, Settings, load_settings
from bot.logsafety import redact_secrets
from bot.text.exports import EXPORT_FORMATS

Command = Callable[[argparse.Namespace, Settings], int]

MODULE_OF = {
    "ingest": "files",
    "parse": "files",
    "search": "database",
    "export": "database",
    "show": "database",
    "stats": "database",
    "run": "service",
    "deliver": "service",
    "backup": "backup",
}
"""Sub-command -> the module of ``bot.cli`` with a function of the same name that does it."""

CLOSED_PIPE = 141
"""The exit status when whoever reads our output stopped (``digestbot search x | head -3``):
128 + SIGPIPE, what the shell reports for ``cat`` or ``grep`` in the same place."""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2025-10-23"
        ) from None


def _positive(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 1000:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number from 1 to 1000")
    return int(value)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digestbot",
        description="Daily arXiv digests: store, search and deliver them through Telegram.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more (never the token)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = sub.add_parser("ingest", help="store digests from files, folders, globs or URLs")
    ingest.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")
    ingest.add_argument("--date", type=_date, help="the digest date when names carry none")

    parse = sub.add_parser("parse", help="show how a digest file is understood, storing nothing")
    parse.add_argument("input", metavar="FILE")
    parse.add_argument("--date", type=_date, help="the digest date when the name carries none")
    parse.add_argument("--json", action="store_true", help="print the parsed digest as JSON")

    search = sub.add_parser("search", help="ranked full-text search over stored papers")
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--limit", type=_positive, default=10)
    search.add_argument(
        "--format",
        choices=list(SEARCH_FORMATS),
        default="text",
        help="text for people (the default), json for scripts (the fields of parse --json), "
        "or a file format as for export",
    )

    export = sub.add_parser("export", help="the papers a query matches, as BibTeX, RIS, ...")
    export.add_argument("query", nargs="+", metavar="QUERY")
    export.add_argument("--format", choices=list(EXPORT_FORMATS), default="bibtex")
    export.add_argument("--limit", type=_positive, default=1000, help="at most this many papers")

    show = sub.add_parser("show", help="print one paper by arXiv id or link")
    show.add_argument("id", metavar="ID")

    sub.add_parser("stats", help="what the database holds")
    sub.add_parser(
        "run",
        help="run the Telegram bot (long polling, or a webhook when WEBHOOK_URL is set) until "
        "SIGINT/SIGTERM",
    )
    sub.add_parser(
        "deliver", help="poll the sources once, send every delivery due now, and exit (for cron)"
    )
    backup = sub.add_parser(
        "backup", help="a consistent, checked copy of the database, also while the bot runs"
    )
    backup.add_argument(
        "path", metavar="PATH", help="the copy's file, or a folder to put a dated copy in"
    )
    backup.add_argument("--overwrite", action="store_true", help="replace PATH if it exists")
    return parser


def command(name: str) -> Command:
    """The function that does sub-command ``name``, importing its module now."""
    handler: Command = getattr(importlib.import_module(f"bot.cli.{MODULE_OF[name]}"), name)
    return handler


def _environment() -> Mapping[str, str]:
    """The process environment over ``.env`` in the working directory (the environment wins)."""
    from_file = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    return {**from_file, **os.environ}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the sub-command ``argv`` names and return its exit status.

    stdout is flushed here rather than at exit, so that a reader who went away (``| head``) is
    found here, whether by a write in the command or by this last flush, and ends it quietly.
    """
    try:
        try:
            return _main(argv)
        finally:
            sys.stdout.flush()
    except BrokenPipeError:
        return _reader_gone()


def _main(argv: Sequence[str] | None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(_environment())
        redact_secrets(settings.telegram_bot_token, [settings.webhook_secret or ""])
        return command(args.command)(args, settings)
    except (ConfigError, CommandError) as exc:
        print(f"digestbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _reader_gone() -> int:
    """Stop quietly, as the Python documentation's note on SIGPIPE recommends.

    What is still buffered for stdout cannot be delivered; stdout now points at /dev/null, or
    Python's own flush at exit would fail again and print a warning.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return CLOSED_PIPE
