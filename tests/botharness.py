"""Drive the real bot through the fake Bot API: type as a user, press buttons, read replies."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fakebotapi import FakeBotApi

from bot.app import build_application
from bot.config import Settings
from bot.delivery.ingest import ingest_raw
from bot.delivery.scheduler import plan_now
from bot.delivery.sources import read_input
from bot.lifecycle import running
from bot.rules.flood import FloodGuard
from handlers.context import BotApplication
from storage.store import Store

Json = dict[str, Any]
ADMIN = 777


def seed(db_path: Path, *files: Path) -> None:
    """Ingest digest files into the database before the bot starts."""
    store = Store.open(db_path)
    try:
        for path in files:
            ingest_raw(store, read_input(str(path)), now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    finally:
        store.close()


def settings_for(fake: FakeBotApi, db_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "db_path": db_path,
        "telegram_bot_token": fake.token,
        "telegram_base_url": fake.base_url,
        "admin_ids": frozenset({ADMIN}),
        "digest_sources": (),
    }
    return Settings(**(values | overrides))


class Clock:
    """A clock the test sets by hand (UTC)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


class BotHarness:
    def __init__(self, app: BotApplication, fake: FakeBotApi) -> None:
        self.app = app
        self.fake = fake

    async def publish(self, *files: Path) -> int:
        """As the poller does: store the files for delivery, plan them, wake the worker."""
        services = self.app.bot_data
        db_path = services.settings.db_path
        store = Store.open(db_path)
        try:
            for path in files:
                ingest_raw(store, read_input(str(path)), now=services.now(), deliver=True)
        finally:
            store.close()
        async with services.work_lock:
            planned = await plan_now(db_path, default_timezone=services.settings.default_timezone)
        self.wake()
        return planned

    async def settled(self) -> None:
        """Wait until the delivery worker has nothing left that is due."""
        worker = self.app.bot_data.worker
        assert worker is not None
        await asyncio.wait_for(worker.idle.wait(), timeout=20)

    async def poll(self) -> None:
        """Run the source-polling job now, as the JobQueue does every DIGEST_POLL_SECONDS."""
        assert self.app.job_queue is not None
        (job,) = self.app.job_queue.get_jobs_by_name("poll-sources")
        await job.run(self.app)

    def wake(self) -> None:
        worker = self.app.bot_data.worker
        assert worker is not None
        worker.wake.set()

    @property
    def store(self) -> Store:
        return self.app.bot_data.store

    def _sent(self, chat_id: int) -> int:
        return len([p for p in self.fake.calls_to("sendMessage") if p["chat_id"] == chat_id])

    async def ask(self, chat_id: int, text: str, *, replies: int = 1, **kwargs: Any) -> Json:
        """Send ``text`` as a user of ``chat_id``; return the bot's last reply message."""
        before = self._sent(chat_id)
        self.fake.send_text(chat_id, text, **kwargs)
        await self.fake.wait_for(
            "sendMessage", n=before + replies, where=lambda p: p["chat_id"] == chat_id, ok=True
        )
        return self.fake.last_message(chat_id)

    async def press(
        self, chat_id: int, message: Json, data: str, *, user_id: int | None = None
    ) -> tuple[Json | None, Json]:
        """Press a button carrying ``data`` under ``message``; return the answer and the message."""
        query_id = self.fake.press(chat_id, message["message_id"], data, user_id=user_id)
        await self.fake.wait_for(
            "answerCallbackQuery", where=lambda p: p["callback_query_id"] == query_id
        )
        current = self.fake.messages.get((chat_id, message["message_id"]), message)
        return self.fake.callback_answer(query_id), current

    async def inline(self, user_id: int, query: str, *, offset: str = "", **kwargs: Any) -> Json:
        """Type ``@bot query`` as the person; return the accepted answer (see
        ``FakeBotApi.inline_answer``). The fake's inline mode must be on."""
        query_id = self.fake.inline_query(user_id, query, offset=offset, **kwargs)
        await self.fake.wait_for(
            "answerInlineQuery", where=lambda p: p["inline_query_id"] == query_id, ok=True
        )
        answer = self.fake.inline_answer(query_id)
        assert answer is not None
        return answer

    async def tap(self, chat_id: int, message: Json, label: str) -> tuple[Json | None, Json]:
        """Press the button whose text starts with ``label``."""
        return await self.press(chat_id, message, button(message, label))


def buttons(message: Json) -> list[tuple[str, str]]:
    markup = message.get("reply_markup") or {}
    return [
        (b["text"], b.get("callback_data", ""))
        for row in markup.get("inline_keyboard", [])
        for b in row
    ]


def button(message: Json, label: str) -> str:
    for text, data in buttons(message):
        if text.startswith(label):
            return data
    raise AssertionError(f"no button {label!r} in {buttons(message)}")


@asynccontextmanager
async def running_bot(
    fake: FakeBotApi,
    db_path: Path,
    *,
    flood: FloodGuard | None = None,
    clock: Clock | None = None,
    **overrides: Any,
) -> AsyncIterator[BotHarness]:
    app = build_application(
        settings_for(fake, db_path, **overrides),
        rate_limited=False,
        flood=flood or FloodGuard(rate=1000, burst=1000),
        clock=clock,
    )
    app.post_init = without_timed_jobs(app.post_init)
    async with running(app, poll_timeout=1):
        yield BotHarness(app, fake)


PostInit = Callable[[BotApplication], Coroutine[Any, Any, None]]


def without_timed_jobs(post_init: PostInit | None) -> PostInit:
    """The application's set-up, its repeating jobs then paused before the JobQueue starts.

    Source polling and checkpoints run when a test runs them (``BotHarness.poll``,
    ``job.run``), never a second after start-up by the wall clock, which a slow test can pass.
    """

    async def set_up(app: BotApplication) -> None:
        if post_init is not None:
            await post_init(app)
        assert app.job_queue is not None
        for job in app.job_queue.jobs():
            job.enabled = False

    return set_up


def write_digest(path: Path, papers: list[dict[str, str]]) -> Path:
    """A canonical-layout digest with invented papers (keys: id, title, category, tldr, ...)."""
    blocks = []
    for number, paper in enumerate(papers, start=1):
        blocks.append(
            f"### [{number}] [{paper['title']}](https://arxiv.org/abs/{paper['id']})\n"
            f"*{paper.get('authors', 'Ada Quill,Bo Lindqvist')}*\n\n"
            f"Main category: {paper.get('category', 'cs.LG')}\n\n"
            f"TL;DR: {paper.get('tldr', 'A short summary.')}\n\n\n"
            "<details>\n  <summary>Details</summary>\n"
            f"Motivation: {paper.get('motivation', 'Why it matters.')}\n\n"
            f"Method: {paper.get('method', 'How it works.')}\n\n"
            f"Result: {paper.get('result', 'What came out.')}\n\n"
            f"Conclusion: {paper.get('conclusion', 'What it means.')}\n\n"
            f"Abstract: {paper.get('abstract', 'An abstract.')}\n\n</details>"
        )
    path.write_text("\n\n\n".join(blocks) + "\n", encoding="utf-8")
    return path
