"""``digestbot run`` as a real process with ``HTTP_PORT=0``: /healthz and /metrics show a digest
source that stops answering, and count the updates and replies, with no secret in either; the
Atom feed ``/feed`` links to is served, valid, and 304 when unchanged.

The polls come from the real JobQueue every 10 s (the smallest ``DIGEST_POLL_SECONDS``), and
the tests keep in step with them without sleeping: a second, healthy source is polled after the
first in each round, and its request is held until the test has looked at what the first one's
poll left. A URL that fails is retried only after the poller's 5-minute backoff, so the turn to
503 and back is shown with a local folder (retried at every poll), which appears after three
intervals; the same rule on URLs runs on the test's clock in ``tests/test_health_http.py``."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import feedparser
import pytest
from aiohttp import web
from botprocess import digestbot
from fakebotapi import FakeBotApi
from prometheus_client.parser import text_string_to_metric_families

pytestmark = pytest.mark.slow
PATIENCE = 120
"""Seconds before the process or a poll is taken for hung: a guard, never a measurement."""
CHAT = 4004
SECRETS = ("pa55word", "s3cret-key")
PUBLIC = "https://bot.example.org"
FEED = re.compile(re.escape(PUBLIC) + r"(/feed/[A-Za-z0-9_-]{22}\.atom)")


class Sources:
    """Two digest sources on 127.0.0.1. The first serves a digest, or while ``failing``
    answers 503; the second has nothing yet (404) and, while ``holding``, each of its requests
    waits in ``rounds`` until the test releases it."""

    def __init__(self, digest: bytes) -> None:
        self.digest = digest
        self.failing = False
        self.holding = True
        self.rounds: asyncio.Queue[asyncio.Event] = asyncio.Queue()
        self.port = 0

    async def first(self, request: web.Request) -> web.Response:
        if self.failing:
            return web.Response(status=503, text="down for maintenance")
        return web.Response(body=self.digest)

    async def second(self, request: web.Request) -> web.Response:
        if self.holding:
            release = asyncio.Event()
            await self.rounds.put(release)
            await release.wait()
        return web.Response(status=404)

    async def next_round(self) -> asyncio.Event:
        """The second source's next request: the first's poll of that round is recorded."""
        return await asyncio.wait_for(self.rounds.get(), timeout=PATIENCE)

    def entries(self, first: str | None = None) -> str:
        first = first or (
            f"http://reader:pa55word@127.0.0.1:{self.port}/a/2026-02-10.md?key=s3cret-key"
        )
        return f"{first},http://127.0.0.1:{self.port}/b/2026-02-11.md"


@contextlib.asynccontextmanager
async def served(sources: Sources) -> AsyncIterator[Sources]:
    app = web.Application()
    app.router.add_get("/a/{name}", sources.first)
    app.router.add_get("/b/{name}", sources.second)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    sources.port = runner.addresses[0][1]
    try:
        yield sources
    finally:
        await runner.cleanup()


def bot_env(
    fake: FakeBotApi, db_path: Path, sources: Sources, first: str | None = None
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DIGEST"))}
    return env | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DIGESTBOT_DB": str(db_path),
        "DIGEST_SOURCES": sources.entries(first),
        "DIGEST_POLL_SECONDS": "10",
        "HTTP_PORT": "0",
        "PUBLIC_URL": PUBLIC,
        "NO_PROXY": "127.0.0.1",
    }


async def get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as response:
        return response.status, await response.text()


def scalars(value: object) -> list[object]:
    """Every number and string in a JSON value, however deep."""
    if isinstance(value, dict):
        return [*value.keys(), *(x for v in value.values() for x in scalars(v))]
    if isinstance(value, list):
        return [x for v in value for x in scalars(v)]
    return [value]


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def test_run_shows_a_failing_source_in_health_and_metrics(
    fake: FakeBotApi, db_path: Path
) -> None:
    digest = (Path(__file__).parent / "data" / "digests" / "2026-02-10.md").read_bytes()
    async with (
        served(Sources(digest)) as sources,
        aiohttp.ClientSession() as session,
        digestbot(bot_env(fake, db_path, sources)) as bot,
    ):
        base = f"http://127.0.0.1:{await bot.port()}"

        release = await sources.next_round()  # the first source was read
        status, text = await get(session, f"{base}/healthz")
        first: dict[str, Any] = _json(text)["sources"][0]
        assert status == 200
        assert first["name"] == f"http://127.0.0.1:{sources.port}/…"
        assert first["last_success"] is not None
        assert first["failures"] == 0
        sources.failing = True
        release.set()

        fake.send_text(CHAT, "/paper 2602.90003")
        await fake.wait_for("sendMessage", where=lambda p: p["chat_id"] == CHAT, timeout=PATIENCE)
        await check_the_feed(fake, session, base)

        release = await sources.next_round()  # the first source failed
        status, health = await get(session, f"{base}/healthz")
        first = _json(health)["sources"][0]
        assert status == 200  # 503 only after three intervals: see the module's docstring
        assert first["failures"] == 1
        assert first["failing_since"] is not None
        status, metrics = await get(session, f"{base}/metrics")
        assert status == 200
        shown = samples(metrics)
        assert shown["digestbot_source_errors_total", (("source", "1"),)] == 1
        assert shown["digestbot_source_errors_total", (("source", "2"),)] == 0
        assert shown["digestbot_updates_total", (("kind", "message"),)] >= 1
        assert shown["digestbot_replies_sent_total", (("method", "sendMessage"),)] >= 1
        for secret in (*SECRETS, fake.token.split(":")[1]):
            assert secret not in health
            assert secret not in metrics
        # A chat id is looked for where it could be told, not as digits inside a float.
        assert str(CHAT) not in {value for _, labels in shown for _, value in labels}
        assert CHAT not in scalars(_json(health))
        sources.holding = False
        release.set()
        assert await bot.stop() == 0, bot.log
    assert fake.token not in bot.log
    assert "Traceback" not in bot.log


async def test_run_health_turns_503_when_a_source_fails_three_intervals_and_200_when_it_works(
    fake: FakeBotApi, db_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "digests"  # missing at first: "no such file or folder"
    digest = (Path(__file__).parent / "data" / "digests" / "2026-02-10.md").read_bytes()
    async with (
        served(Sources(digest)) as sources,
        aiohttp.ClientSession() as session,
        digestbot(bot_env(fake, db_path, sources, first=str(folder))) as bot,
    ):
        base = f"http://127.0.0.1:{await bot.port()}"
        seen: list[int] = []
        for _ in range(8):  # 30 s of failing polls are 4 rounds; 8 is the hang guard
            release = await sources.next_round()
            status, text = await get(session, f"{base}/healthz")
            seen.append(status)
            if status == 503:
                break
            release.set()
        assert seen[-1] == 503, seen
        assert 3 <= len(seen) <= 5, seen  # not before three intervals, not long after
        health = _json(text)
        assert health["sources"][0]["failures"] == len(seen)
        assert any("digest source 1 " in reason for reason in health["reasons"]), health
        folder.mkdir()
        (folder / "2026-02-10.md").write_bytes(digest)
        release.set()

        release = await sources.next_round()  # the folder was read
        status, text = await get(session, f"{base}/healthz")
        assert status == 200, text
        assert _json(text)["sources"][0]["failures"] == 0
        sources.holding = False
        release.set()
        assert await bot.stop() == 0, bot.log
    assert "Traceback" not in bot.log


async def check_the_feed(fake: FakeBotApi, session: aiohttp.ClientSession, base: str) -> None:
    """/subscribe, /feed, then the feed it links: valid Atom with the stored digest's papers,
    304 when unchanged, and 404 for a token of nobody's."""
    fake.send_text(CHAT, "/subscribe")
    await fake.wait_for("sendMessage", n=2, where=lambda p: p["chat_id"] == CHAT, timeout=PATIENCE)
    fake.send_text(CHAT, "/feed")
    (reply,) = (
        await fake.wait_for(
            "sendMessage",
            n=3,
            where=lambda p: p["chat_id"] == CHAT,
            timeout=PATIENCE,
        )
    )[2:]
    found = FEED.search(str(reply["text"]))
    assert found is not None, reply["text"]
    async with session.get(base + found[1]) as response:
        assert response.status == 200
        assert response.content_type == "application/atom+xml"
        etag = response.headers["ETag"]
        parsed = feedparser.parse(await response.read())
    assert parsed.bozo == 0
    assert parsed.version == "atom10"
    assert "Counting Commas in 40 Languages" in [entry.title for entry in parsed.entries]
    async with session.get(base + found[1], headers={"If-None-Match": etag}) as response:
        assert response.status == 304
    async with session.get(f"{base}/feed/{'A' * 22}.atom") as response:
        assert response.status == 404


def _json(text: str) -> dict[str, Any]:
    value = json.loads(text)
    assert isinstance(value, dict)
    return value
