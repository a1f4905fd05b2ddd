"""/healthz and /metrics over real HTTP on 127.0.0.1: the server ``build_server`` makes for a
real application talking to the fake Bot API, time on the test's clock, and a digest source on
127.0.0.1 that the test switches between serving and failing."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from botharness import BotHarness, Clock, settings_for, without_timed_jobs, write_digest
from fakebotapi import FakeBotApi
from prometheus_client.parser import text_string_to_metric_families

from bot.app import build_application
from bot.lifecycle import running
from bot.metrics import version
from bot.models import Subscription
from bot.rules.flood import FloodGuard
from bot.web.server import build_server

T0 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
READER = 987_654_321
LAB = 876_543_219
SECRETS = ("pa55word", "s3cret-key")
PAPERS = [
    {"id": "2603.00001", "title": "Pruning transformers by halves", "category": "cs.LG"},
    {"id": "2603.00002", "title": "Galaxies, counted again", "category": "astro-ph.GA"},
]


class DigestSource:
    """A digest server on 127.0.0.1: serves its one file, or, while ``failing``, answers 403 as
    a host does once a reader's token has expired."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self.data = data
        self.failing = False
        self.url = ""
        self.port = 0

    async def handle(self, request: web.Request) -> web.Response:
        if self.failing:
            return web.Response(status=403, text="token expired")
        if request.path != f"/{self.name}":
            return web.Response(status=404)
        return web.Response(body=self.data)

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[DigestSource]:
        app = web.Application()
        app.router.add_get("/{tail:.*}", self.handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self.port = runner.addresses[0][1]
        self.url = f"http://reader:pa55word@127.0.0.1:{self.port}/{self.name}?key=s3cret-key"
        try:
            yield self
        finally:
            await runner.cleanup()


class Client:
    """GETs from the bot's HTTP server."""

    def __init__(self, session: aiohttp.ClientSession, base: str) -> None:
        self._session = session
        self._base = base

    async def health(self) -> tuple[int, dict[str, Any], str]:
        async with self._session.get(f"{self._base}/healthz") as response:
            text = await response.text()
            assert response.content_type == "application/json"
            return response.status, await response.json(), text

    async def metrics(self) -> tuple[dict[tuple[str, tuple[tuple[str, str], ...]], float], str]:
        """Every sample, by name and labels; the text must parse as Prometheus text."""
        async with self._session.get(f"{self._base}/metrics") as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain; version=")
            text = await response.text()
        samples = {
            (sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text)
            for sample in family.samples
        }
        return samples, text


@asynccontextmanager
async def serving_bot(
    fake: FakeBotApi, db_path: Path, clock: Clock, **overrides: Any
) -> AsyncIterator[tuple[BotHarness, Client]]:
    """The bot as ``digestbot run`` builds it (rate limiter included) with ``HTTP_PORT=0``,
    its repeating jobs run only when the test runs them."""
    settings = settings_for(fake, db_path, http_port=0, **overrides)
    app = build_application(settings, flood=FloodGuard(rate=1000, burst=1000), clock=clock)
    app.post_init = without_timed_jobs(app.post_init)
    server = build_server(app)
    assert server is not None
    async with running(app, poll_timeout=1, server=server), aiohttp.ClientSession() as session:
        yield BotHarness(app, fake), Client(session, f"http://127.0.0.1:{server.port}")


@pytest.fixture
def clock() -> Clock:
    return Clock(T0)


async def test_health_turns_503_when_a_source_fails_three_intervals_and_200_once_it_recovers(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    data = write_digest(tmp_path / "2026-03-02.md", PAPERS).read_bytes()
    async with (
        DigestSource("2026-03-02.md", data).serving() as source,
        serving_bot(
            fake, tmp_path / "bot.db", clock, digest_sources=(source.url,), admin_ids=frozenset()
        ) as (bot, http),
    ):
        await bot.poll()
        status, body, text = await http.health()
        assert status == 200
        assert body["sources"] == [
            {
                "source": 1,
                "name": f"http://127.0.0.1:{source.port}/…",
                "last_success": "2026-03-02T08:00:00+00:00",
                "failures": 0,
                "failing_since": None,
            }
        ]
        assert (body["status"], body["reasons"], body["version"]) == ("ok", [], version())

        source.failing = True
        clock.advance(minutes=15)
        await bot.poll()  # fails; the source is tried again 5 min later at the earliest
        status, body, _ = await http.health()
        assert (status, body["sources"][0]["failures"]) == (200, 1)

        clock.advance(minutes=30)  # 45 min, three intervals, since the last good poll
        status, body, text = await http.health()
        assert status == 503
        assert body["status"] == "failing"
        assert body["reasons"] == [
            f"digest source 1 ({body['sources'][0]['name']}) has not been polled without error "
            "for 45 min (3 poll intervals are 45 min)."
        ]
        assert body["sources"][0]["failing_since"] == "2026-03-02T08:15:00+00:00"
        assert not any(secret in text for secret in SECRETS)
        await bot.poll()  # fails again

        source.failing = False
        clock.advance(minutes=15)
        await bot.poll()
        status, body, _ = await http.health()
        assert status == 200
        assert body["sources"][0]["last_success"] == "2026-03-02T09:00:00+00:00"
        assert body["sources"][0]["failures"] == 0

        samples, text = await http.metrics()
        assert samples["digestbot_source_errors_total", (("source", "1"),)] == 2
        assert samples["digestbot_papers_stored_total", ()] == 2
        assert samples["digestbot_ingest_duration_seconds_count", ()] == 1
        assert samples["digestbot_source_last_success_timestamp_seconds", (("source", "1"),)] == (
            dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC).timestamp()
        )
        assert not any(secret in text for secret in SECRETS)


async def test_health_turns_503_when_deliveries_wait_ten_minutes_on_a_stopped_worker(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    async with serving_bot(fake, tmp_path / "bot.db", clock) as (bot, http):
        fake.add_chat(LAB)
        bot.store.save_subscription(Subscription(chat_id=LAB, active=True, keywords=("pruning",)))
        services = bot.app.bot_data
        assert services.stopping is not None
        assert services.worker_task is not None
        services.stopping.set()
        await asyncio.wait_for(services.worker_task, timeout=20)
        assert await bot.publish(write_digest(tmp_path / "2026-03-02.md", PAPERS)) == 1

        clock.advance(minutes=10)
        status, body, _ = await http.health()
        assert (status, body["deliveries"]["pending"]) == (200, 1)

        clock.advance(minutes=1)
        status, body, _ = await http.health()
        assert status == 503
        assert body["reasons"] == [
            "the delivery worker is stuck: a delivery has been due for 11 min and the worker "
            "has handled none for 11 min."
        ]
        assert body["deliveries"] == {
            "pending": 1,
            "overdue_since": "2026-03-02T08:00:00+00:00",
            "worker_progress": "2026-03-02T08:00:00+00:00",
        }

        worker = services.worker
        assert worker is not None
        services.stopping = asyncio.Event()
        services.worker_task = asyncio.create_task(worker.serve(services.stopping))
        await bot.settled()
        status, body, _ = await http.health()
        assert status == 200
        assert body["deliveries"] == {
            "pending": 0,
            "overdue_since": None,
            "worker_progress": "2026-03-02T08:11:00+00:00",
        }


async def test_metrics_count_updates_replies_and_deliveries(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    async with serving_bot(fake, tmp_path / "bot.db", clock) as (bot, http):
        samples, _ = await http.metrics()
        assert ("digestbot_updates_total", (("kind", "message"),)) not in samples
        assert samples["digestbot_deliveries_sent_total", ()] == 0

        await bot.ask(READER, "/help")
        samples, _ = await http.metrics()
        assert samples["digestbot_updates_total", (("kind", "message"),)] == 1
        replies = samples["digestbot_replies_sent_total", (("method", "sendMessage"),)]
        assert replies >= 1

        fake.add_chat(LAB)
        bot.store.save_subscription(Subscription(chat_id=LAB, active=True, keywords=("pruning",)))
        assert await bot.publish(write_digest(tmp_path / "2026-03-02.md", PAPERS)) == 1
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB, ok=True)
        await bot.settled()
        samples, text = await http.metrics()
        assert samples["digestbot_deliveries_sent_total", ()] == 1
        assert samples["digestbot_replies_sent_total", (("method", "sendMessage"),)] == replies
        assert samples["digestbot_deliveries", (("state", "pending"),)] == 0
        assert samples["digestbot_deliveries", (("state", "failed"),)] == 0
        assert samples["digestbot_paused_chats", ()] == 0
        assert samples["digestbot_last_update_timestamp_seconds", ()] == T0.timestamp()
        # Chat ids are looked for where they could be told, not as digits inside a float.
        labels = {value for _, pairs in samples for _, value in pairs}
        assert {str(READER), str(LAB)} & labels == set()
        assert fake.token.split(":")[1] not in text


async def test_metrics_show_a_blocked_chat_paused_and_its_delivery_held(
    fake: FakeBotApi, tmp_path: Path, clock: Clock
) -> None:
    async with serving_bot(fake, tmp_path / "bot.db", clock) as (bot, http):
        fake.add_chat(LAB)
        fake.block(LAB)
        bot.store.save_subscription(Subscription(chat_id=LAB, active=True, keywords=("pruning",)))
        await bot.publish(write_digest(tmp_path / "2026-03-02.md", PAPERS))
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == LAB)
        await bot.settled()
        samples, _ = await http.metrics()
        assert samples["digestbot_paused_chats", ()] == 1
        assert samples["digestbot_deliveries_sent_total", ()] == 0
        status, body, _ = await http.health()
        assert (status, body["deliveries"]["pending"]) == (200, 0)


async def test_no_http_server_runs_in_polling_mode_without_http_port(bot: BotHarness) -> None:
    assert build_server(bot.app) is None
