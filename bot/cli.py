"""The ``digestbot`` command line: the only place that reads argv, the environment and ``.env``."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
from collections.abc import Callable, Mapping, Sequence

from dotenv import dotenv_values

from bot import cli_commands
from bot.config import ConfigError, Settings, load_settings
from bot.logsafety import redact_token

Command = Callable[[argparse.Namespace, Settings], int]


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
    ingest.set_defaults(handler=cli_commands.ingest)

    parse = sub.add_parser("parse", help="show how a digest file is understood, storing nothing")
    parse.add_argument("input", metavar="FILE")
    parse.add_argument("--date", type=_date, help="the digest date when the name carries none")
    parse.add_argument("--json", action="store_true", help="print the parsed digest as JSON")
    parse.set_defaults(handler=cli_commands.parse)

    search = sub.add_parser("search", help="ranked full-text search over stored papers")
    search.add_argument("query", nargs="+", metavar="QUERY")
    search.add_argument("--limit", type=_positive, default=10)
    search.set_defaults(handler=cli_commands.search)

    show = sub.add_parser("show", help="print one paper by arXiv id or link")
    show.add_argument("id", metavar="ID")
    show.set_defaults(handler=cli_commands.show)

    stats = sub.add_parser("stats", help="what the database holds")
    stats.set_defaults(handler=cli_commands.stats)

    run = sub.add_parser("run", help="run the Telegram bot (long polling) until SIGINT/SIGTERM")
    run.set_defaults(handler=cli_commands.run)

    deliver = sub.add_parser(
        "deliver", help="poll the sources once, send every delivery due now, and exit (for cron)"
    )
    deliver.set_defaults(handler=cli_commands.deliver)
    return parser


def _environment() -> Mapping[str, str]:
    """The process environment over ``.env`` in the working directory (the environment wins)."""
    from_file = {k: v for k, v in dotenv_values(".env").items() if v is not None}
    return {**from_file, **os.environ}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        settings = load_settings(_environment())
        if settings.telegram_bot_token:
            redact_token(settings.telegram_bot_token)
        handler: Command = args.handler
        return handler(args, settings)
    except (ConfigError, cli_commands.CommandError) as exc:
        print(f"digestbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
