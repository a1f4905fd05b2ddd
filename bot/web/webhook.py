"""Telegram's webhook posts: checked against the secret, parsed, queued, answered at once."""

from __future__ import annotations

import hmac
import json
import logging
from collections import OrderedDict

from aiohttp import web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
REMEMBERED = 10_000
"""Update ids remembered to ignore a post Telegram repeats (it does when an answer is late)."""
MAX_BODY = 1_000_000
"""Bytes of an update at most: Telegram's updates are a few kilobytes; more is not an update."""


class WebhookReceiver:
    """Answer a post 403 without the right secret, 400 unless it is an update, else 200 once
    the update is queued for the application (an update seen before is answered, not queued)."""

    def __init__(self, application: Application, secret: str) -> None:
        self._application = application
        self._secret = secret.encode()
        self._seen: OrderedDict[int, None] = OrderedDict()

    async def handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403, text="forbidden")
        update = await self._update(request)
        if update is None:
            return web.Response(status=400, text="not a Telegram update")
        if update.update_id in self._seen:
            return web.Response(text="ok")
        self._seen[update.update_id] = None
        if len(self._seen) > REMEMBERED:
            self._seen.popitem(last=False)
        await self._application.update_queue.put(update)
        return web.Response(text="ok")

    async def _update(self, request: web.Request) -> Update | None:
        try:
            data = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return None
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return None
        try:
            return Update.de_json(data, self._application.bot)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            log.warning("a webhook post that is not an update (%s)", type(exc).__name__)
            return None


def add_routes(
    web_app: web.Application, application: Application, *, path: str, secret: str
) -> None:
    """Take Telegram's posts at ``path``."""
    web_app.router.add_post(path, WebhookReceiver(application, secret).handle)
