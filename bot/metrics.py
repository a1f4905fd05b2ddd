"""The bot's figures for Prometheus, and the moments ``/healthz`` judges by.

One ``Metrics`` per application, on a registry of its own (never prometheus_client's global
one), so two applications in one process count apart. The parts that do the work are handed it
and count; what the store knows (deliveries pending or failed, paused chats) is read when
``/metrics`` is scraped. No label carries a chat id, a source's address or anything that grows
without bound: an update's kind, a Bot API method of ``REPLY_METHODS``, a source's position in
``DIGEST_SOURCES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, Info, generate_latest

REPLY_METHODS = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "answerCallbackQuery",
        "answerInlineQuery",
        "sendDocument",
    }
)
"""The Bot API methods whose successful calls, deliveries excepted, count as replies."""
INGEST_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
"""Seconds: a day's digest (a few hundred papers) is parsed and stored in well under a second."""


@cache
def version() -> str:
    """The installed package's version (``unknown`` when run from a tree never installed)."""
    try:
        return package_version("digestbot")
    except PackageNotFoundError:
        return "unknown"


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Metrics:
    """The application's counters, and when it last saw an update, a source polled without
    error, and the delivery worker finish a send (all by the application's ``clock``)."""

    def __init__(self, *, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self.clock = clock
        self.registry = registry = CollectorRegistry()
        self.updates = Counter(
            "digestbot_updates", "Updates handled, by kind.", ["kind"], registry=registry
        )
        self.replies = Counter(
            "digestbot_replies_sent",
            "Bot API calls answering people (all but deliveries) that succeeded, by method.",
            ["method"],
            registry=registry,
        )
        self.deliveries_sent = Counter(
            "digestbot_deliveries_sent", "Deliveries sent.", registry=registry
        )
        self.delivery_retries = Counter(
            "digestbot_delivery_retries",
            "Deliveries put back to retry later (429, network error, 5xx).",
            registry=registry,
        )
        self.flood_waits = Counter(
            "digestbot_flood_waits", "429 answers received from Telegram.", registry=registry
        )
        self.flood_wait_seconds = Counter(
            "digestbot_flood_wait_seconds",
            "Seconds the 429 answers asked the bot to wait (retry_after).",
            registry=registry,
        )
        self.deliveries = Gauge(
            "digestbot_deliveries",
            "Deliveries by state: pending (queued or in flight) and failed (given up).",
            ["state"],
            registry=registry,
        )
        self.paused_chats = Gauge(
            "digestbot_paused_chats",
            "Subscriptions paused because the chat blocked the bot or its topic closed.",
            registry=registry,
        )
        self.ingest_seconds = Histogram(
            "digestbot_ingest_duration_seconds",
            "Seconds to parse and store one fetched digest.",
            buckets=INGEST_BUCKETS,
            registry=registry,
        )
        self.papers_stored = Counter(
            "digestbot_papers_stored", "Papers stored new or updated by ingest.", registry=registry
        )
        self.source_errors = Counter(
            "digestbot_source_errors",
            "Failed polls of a digest source, by its position in DIGEST_SOURCES (from 1).",
            ["source"],
            registry=registry,
        )
        self.source_last_success = Gauge(
            "digestbot_source_last_success_timestamp_seconds",
            "When a digest source was last polled without error (Unix time).",
            ["source"],
            registry=registry,
        )
        self.last_update = Gauge(
            "digestbot_last_update_timestamp_seconds",
            "When the last update was received (Unix time; 0: none since start).",
            registry=registry,
        )
        Info("digestbot_build", "The running version.", registry=registry).info(
            {"version": version()}
        )
        self.started_at = clock()
        self.last_update_at: dt.datetime | None = None
        self.polled_at: dict[int, dt.datetime] = {}
        """Source position (from 1) -> when it was last polled without error."""
        self.worker_progress_at: dt.datetime | None = None
        """When the delivery worker started, or last finished with a delivery."""

    def update_received(self, kind: str) -> None:
        self.updates.labels(kind).inc()
        self.last_update_at = self.clock()

    def reply_sent(self, method: str) -> None:
        if method in REPLY_METHODS:
            self.replies.labels(method).inc()

    def flood_wait(self, seconds: float) -> None:
        self.flood_waits.inc()
        self.flood_wait_seconds.inc(seconds)

    def watch_sources(self, count: int) -> None:
        """Show every source's error count from the start, at 0."""
        for position in range(1, count + 1):
            self.source_errors.labels(str(position))

    def source_polled(self, position: int, *, ok: bool, now: dt.datetime) -> None:
        if ok:
            self.polled_at[position] = now
            self.source_last_success.labels(str(position)).set(now.timestamp())
        else:
            self.source_errors.labels(str(position)).inc()

    def ingested(self, seconds: float, *, papers: int) -> None:
        self.ingest_seconds.observe(seconds)
        self.papers_stored.inc(papers)

    def worker_progressed(self, now: dt.datetime) -> None:
        self.worker_progress_at = now

    def exposition(self, *, pending: int, failed: int, paused_chats: int) -> bytes:
        """The Prometheus text, with the store's figures as given (read at scrape time)."""
        self.deliveries.labels("pending").set(pending)
        self.deliveries.labels("failed").set(failed)
        self.paused_chats.set(paused_chats)
        if self.last_update_at is not None:
            self.last_update.set(self.last_update_at.timestamp())
        return generate_latest(self.registry)
