"""``run`` and ``deliver``: the Telegram bot, the only commands that import python-telegram-bot,
aiohttp and the poller (a second or more of start-up that the other commands never pay)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from telegram.error import InvalidToken, NetworkError

from bot.app import build_application, deliver_once
from bot.cli.errors import CommandError
from bot.config import Settings
from bot.instance import AlreadyRunningError, InstanceLock
from bot.lifecycle import Webhook, WebhookRefused, serve_until_signalled
from bot.web.server import ListenError, build_server

log = logging.getLogger(__name__)


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
        webhook = None
        if settings.webhook_url and settings.webhook_secret:
            webhook = Webhook(settings.webhook_url, settings.webhook_secret)
        server = build_server(application)
        if server is None and settings.public_url:
            log.warning(
                "PUBLIC_URL is set but no HTTP server runs: set HTTP_PORT (or WEBHOOK_URL) to "
                "serve feeds; until then /feed tells readers feeds are off"
            )
        try:
            asyncio.run(serve_until_signalled(application, webhook=webhook, server=server))
        except (ListenError, WebhookRefused) as exc:
            raise CommandError(str(exc)) from None
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
