"""bot.metrics: a registry per application, Prometheus text, and what the lower layers count."""

from __future__ import annotations

import asyncio
import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families
from telegram import Bot, Update
from telegram.error import RetryAfter
from virtualtime import virtual_time

from bot.delivery.ratelimit import BROADCAST, PacedRateLimiter
from bot.metrics import Metrics, version
from bot.update_processor import PerChatUpdateProcessor, update_kind

T0 = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
Sample = tuple[str, tuple[tuple[str, str], ...]]


def samples(metrics: Metrics, **figures: int) -> dict[Sample, float]:
    """Every sample of the exposition, by name and labels (it must parse as Prometheus text)."""
    text = metrics.exposition(**({"pending": 0, "failed": 0, "paused_chats": 0} | figures))
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text.decode())
        for sample in family.samples
    }


def test_metrics_two_applications_in_one_process_count_apart() -> None:
    first, second = Metrics(), Metrics()
    first.update_received("message")
    assert samples(first)["digestbot_updates_total", (("kind", "message"),)] == 1
    assert ("digestbot_updates_total", (("kind", "message"),)) not in samples(second)


def test_metrics_exposition_shows_the_store_figures_given_and_the_version() -> None:
    shown = samples(Metrics(), pending=4, failed=2, paused_chats=1)
    assert shown["digestbot_deliveries", (("state", "pending"),)] == 4
    assert shown["digestbot_deliveries", (("state", "failed"),)] == 2
    assert shown["digestbot_paused_chats", ()] == 1
    assert shown["digestbot_build_info", (("version", version()),)] == 1


def test_metrics_version_is_the_packages() -> None:
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert version() == tomllib.loads(pyproject)["project"]["version"]


def test_metrics_sources_show_at_zero_errors_and_keep_their_last_good_poll() -> None:
    metrics = Metrics(clock=lambda: T0)
    metrics.watch_sources(2)
    metrics.source_polled(1, ok=True, now=T0)
    metrics.source_polled(2, ok=False, now=T0)
    metrics.source_polled(2, ok=False, now=T0)
    shown = samples(metrics)
    assert shown["digestbot_source_errors_total", (("source", "1"),)] == 0
    assert shown["digestbot_source_errors_total", (("source", "2"),)] == 2
    assert shown["digestbot_source_last_success_timestamp_seconds", (("source", "1"),)] == (
        T0.timestamp()
    )
    assert metrics.polled_at == {1: T0}


def test_metrics_ingest_is_timed_and_its_papers_counted() -> None:
    metrics = Metrics()
    metrics.ingested(0.3, papers=120)
    metrics.ingested(0.02, papers=0)
    shown = samples(metrics)
    assert shown["digestbot_ingest_duration_seconds_count", ()] == 2
    assert shown["digestbot_ingest_duration_seconds_bucket", (("le", "0.05"),)] == 1
    assert shown["digestbot_papers_stored_total", ()] == 120


def test_metrics_the_last_update_is_stamped_by_the_applications_clock() -> None:
    metrics = Metrics(clock=lambda: T0)
    assert samples(metrics)["digestbot_last_update_timestamp_seconds", ()] == 0
    metrics.update_received("callback_query")
    assert metrics.last_update_at == T0
    assert samples(metrics)["digestbot_last_update_timestamp_seconds", ()] == T0.timestamp()


BOT = Bot("123:" + "x" * 35)
USER = {"id": 5, "is_bot": False, "first_name": "Ada"}
CHAT = {"id": 5, "type": "private"}
MESSAGE = {"message_id": 1, "date": 0, "chat": CHAT, "from": USER, "text": "/help"}


@pytest.mark.parametrize(
    ("payload", "kind"),
    [
        ({"message": MESSAGE}, "message"),
        ({"edited_message": MESSAGE | {"edit_date": 1}}, "edited_message"),
        (
            {"callback_query": {"id": "7", "from": USER, "chat_instance": "c", "data": "x"}},
            "callback_query",
        ),
        ({"inline_query": {"id": "8", "from": USER, "query": "llm", "offset": ""}}, "inline_query"),
        ({}, "other"),
    ],
)
def test_metrics_update_kind_is_the_field_the_update_carries(
    payload: dict[str, Any], kind: str
) -> None:
    assert update_kind(Update.de_json({"update_id": 1} | payload, BOT)) == kind


def test_metrics_update_kind_of_something_else_put_in_the_queue_is_other() -> None:
    assert update_kind("a string") == "other"


async def test_metrics_the_update_processor_counts_each_update_by_kind() -> None:
    processor = PerChatUpdateProcessor()
    processor.metrics = metrics = Metrics()

    async def handled() -> None:
        return None

    update = Update.de_json({"update_id": 1, "message": MESSAGE}, BOT)
    await processor.do_process_update(update, handled())
    await processor.do_process_update("a string", handled())
    shown = samples(metrics)
    assert shown["digestbot_updates_total", (("kind", "message"),)] == 1
    assert shown["digestbot_updates_total", (("kind", "other"),)] == 1


class BotApi:
    """The Bot API call the limiter wraps: refuses the next ``flood_waits`` with a 429."""

    def __init__(self, flood_waits: int = 0) -> None:
        self.flood_waits = flood_waits

    async def post(self, method: str, data: dict[str, Any]) -> bool:
        if self.flood_waits:
            self.flood_waits -= 1
            raise RetryAfter(dt.timedelta(seconds=3))
        return True


async def call(
    limiter: PacedRateLimiter, api: BotApi, method: str, *, broadcast: bool = False, **data: Any
) -> None:
    """A request through the limiter, as python-telegram-bot makes it."""
    await limiter.process_request(
        api.post, (method, data), {}, method, data, BROADCAST if broadcast else None
    )


@virtual_time
async def test_metrics_the_rate_limiter_counts_replies_by_method_but_not_deliveries() -> None:
    limiter = PacedRateLimiter(clock=asyncio.get_running_loop().time, sleep=asyncio.sleep)
    limiter.metrics = metrics = Metrics()
    api = BotApi()
    await call(limiter, api, "sendMessage", chat_id=1, text="hi")
    await call(limiter, api, "answerCallbackQuery", callback_query_id="7")
    await call(limiter, api, "sendMessage", chat_id=2, text="digest", broadcast=True)
    await call(limiter, api, "setMyCommands", commands="[]")
    shown = samples(metrics)
    assert {
        labels: value
        for (name, labels), value in shown.items()
        if name == "digestbot_replies_sent_total"
    } == {
        (("method", "sendMessage"),): 1,
        (("method", "answerCallbackQuery"),): 1,
    }


@virtual_time
async def test_metrics_the_rate_limiter_counts_429s_and_the_seconds_they_asked_for() -> None:
    limiter = PacedRateLimiter(
        clock=asyncio.get_running_loop().time, sleep=asyncio.sleep, max_retries=1
    )
    limiter.metrics = metrics = Metrics()
    await call(limiter, BotApi(flood_waits=1), "sendMessage", chat_id=1, broadcast=True)
    with pytest.raises(RetryAfter):
        await call(limiter, BotApi(flood_waits=2), "sendMessage", chat_id=2, broadcast=True)
    shown = samples(metrics)
    assert shown["digestbot_flood_waits_total", ()] == 3
    assert shown["digestbot_flood_wait_seconds_total", ()] == 9
