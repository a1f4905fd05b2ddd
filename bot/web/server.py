"""The HTTP server: built from the settings, started and stopped around the application."""

from __future__ import annotations

import logging
import os

from aiohttp import web

from bot.web import feeds, health, webhook
from handlers.context import BotApplication

log = logging.getLogger(__name__)


class ListenError(Exception):
    """The server cannot listen where the settings say (a port in use, an unknown address)."""


class WebServer:
    """An aiohttp application served on one address; its access log stays off, since a feed's
    path is its secret."""

    def __init__(self, web_app: web.Application, host: str, port: int) -> None:
        self.web_app = web_app
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        """Listen; with port 0, ``port`` becomes the one the system chose."""
        runner = web.AppRunner(self.web_app, access_log=None, shutdown_timeout=5.0)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self.port).start()
        except OSError as exc:
            await runner.cleanup()
            # asyncio words a bind failure "error while attempting to bind on address ...".
            errno = exc.errno or 0
            reason = os.strerror(errno) if errno > 0 else exc.strerror or str(exc)
            raise ListenError(f"cannot serve HTTP on {self.host}:{self.port} ({reason}).") from None
        self._runner = runner
        self.port = runner.addresses[0][1]
        log.info("HTTP server listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def build_server(application: BotApplication) -> WebServer | None:
    """The server the settings ask for (webhook mode, or ``HTTP_PORT`` when polling), or None."""
    settings = application.bot_data.settings
    port = settings.server_port
    if port is None:
        return None
    web_app = web.Application(client_max_size=webhook.MAX_BODY)
    health.add_routes(web_app, application)
    if settings.webhook_url and settings.webhook_secret:
        webhook.add_routes(
            web_app, application, path=settings.webhook_path, secret=settings.webhook_secret
        )
    feeds.add_routes(web_app, application)
    return WebServer(web_app, settings.webhook_listen, port)
