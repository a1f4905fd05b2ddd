"""``GET /healthz`` (is the bot well? 200 or 503, with a small JSON) and ``GET /metrics``
(Prometheus text). The rule is ``bot.rules.health``; the figures are the application's
``Metrics`` and what its store says, read in a reader thread so the event loop never waits."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.metrics import version
from bot.rules.health import Observed, SourceState, redact_source, report
from bot.rules.polling_state import SourceHealth
from handlers.context import BotApplication
from storage.deliveries import DeliveryStats
from storage.store import Store

NO_STORE = {"Cache-Control": "no-store"}


@dataclass(frozen=True, slots=True)
class _Stored:
    """What the store knows that health and metrics show."""

    deliveries: DeliveryStats
    next_due: dt.datetime | None
    sources: tuple[SourceHealth, ...]


class HealthRoutes:
    def __init__(self, application: BotApplication) -> None:
        self._services = application.bot_data

    async def _stored(self) -> _Stored:
        entries = self._services.settings.digest_sources

        def read(store: Store) -> _Stored:
            return _Stored(
                store.delivery_stats(),
                store.next_delivery_at(),
                tuple(store.source_health(entry) for entry in entries),
            )

        return await self._services.reads.run(read)

    async def healthz(self, request: web.Request) -> web.Response:
        services = self._services
        stored = await self._stored()
        metrics, now = services.metrics, services.now()
        sources = tuple(
            SourceState(
                position=position,
                name=redact_source(entry),
                last_success=metrics.polled_at.get(position),
                failures=health.failures,
                failing_since=health.failing_since,
            )
            for position, (entry, health) in enumerate(
                zip(services.settings.digest_sources, stored.sources, strict=True), start=1
            )
        )
        observed = Observed(
            now=now,
            started_at=metrics.started_at,
            poll_interval=dt.timedelta(seconds=services.settings.poll_seconds),
            sources=sources,
            last_update=metrics.last_update_at,
            deliveries_pending=stored.deliveries.pending,
            overdue_since=stored.next_due if stored.next_due and stored.next_due <= now else None,
            worker_progress=metrics.worker_progress_at,
            version=version(),
        )
        healthy, body = report(observed)
        return web.json_response(
            body, status=200 if healthy else 503, headers=NO_STORE, dumps=_dumps
        )

    async def metrics(self, request: web.Request) -> web.Response:
        stored = await self._stored()
        text = self._services.metrics.exposition(
            pending=stored.deliveries.pending,
            failed=stored.deliveries.failed,
            paused_chats=stored.deliveries.paused_chats,
        )
        return web.Response(body=text, headers={"Content-Type": CONTENT_TYPE_LATEST, **NO_STORE})


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def add_routes(web_app: web.Application, application: BotApplication) -> None:
    """Serve ``/healthz`` and ``/metrics`` for ``application``."""
    routes = HealthRoutes(application)
    web_app.router.add_get("/healthz", routes.healthz)
    web_app.router.add_get("/metrics", routes.metrics)
