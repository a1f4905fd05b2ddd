"""Measure the bot as a real process against the local fake Bot API.

    python bench/bench_bot.py steady --db 100k.db       # 50 chats in use at once: latency
    python bench/bench_bot.py webhook --db 100k.db      # the same, polling beside webhook mode
    python bench/bench_bot.py latency --db 100k.db      # bursts of 50 commands at one instant
    python bench/bench_bot.py fanout --db 100k.db       # 10,000 chats, 30 msg/s: throughput
    python bench/bench_bot.py inline --db 100k.db       # 20 people typing @bot queries: latency

``--db`` is a database built by ``bench/bench_core.py --db PATH`` (100k papers); it is copied,
never changed. The bot runs as ``digestbot run`` in its own process; the fake server and the
simulated users run here, so each side has a core of its own. Each figure is printed next to a
baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import math
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("PTB_TIMEDELTA", "1")

from botharness import write_digest  # noqa: E402
from fakebotapi import FakeBotApi  # noqa: E402
from inline_typing import Typed, person  # noqa: E402
from machine import Cpu  # noqa: E402

from bot.delivery.ingest import ingest_raw  # noqa: E402
from bot.delivery.scheduler import plan_due  # noqa: E402
from bot.delivery.sources import read_input  # noqa: E402
from bot.models import Subscription  # noqa: E402
from bot.rules.matching import DigestIndex  # noqa: E402
from bot.rules.planning import plan_digest  # noqa: E402
from storage.store import Store  # noqa: E402

COMMANDS = (
    "/search graph neural network",
    "/search cat:cs.CV transformer",
    '/search "large language models" -survey',
    "/search 强化学习",
    "剪枝",
    "/latest",
    "/category cs.LG",
    "/settings",
    "diffusion model",
)
WORDS = [
    "pruning",
    "quantization",
    "diffusion",
    "transformer",
    "graph",
    "agent",
    "robot",
    "retrieval",
    "benchmark",
    "federated",
    "privacy",
    "galaxy",
    "quantum",
    "compiler",
    "sparse",
    "attention",
    "reasoning",
    "vision",
    "speech",
]


def percentile(values: list[float], pct: int) -> float:
    """The ``pct``-th percentile; NaN for no values (a short run may send no ``/help``)."""
    if len(values) < 2:
        return values[0] if values else math.nan
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def environment(fake: FakeBotApi, db: Path, sources: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "DIGEST"))}
    return env | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_BASE_URL": fake.base_url,
        "DIGESTBOT_DB": str(db),
        "DIGEST_SOURCES": str(sources),
        "DIGEST_POLL_SECONDS": "3600",
        "NO_PROXY": "127.0.0.1",
    }


WEBHOOK = {
    "WEBHOOK_URL": "https://bot.example.org/telegram",
    "WEBHOOK_SECRET": "bench-secret",
    "WEBHOOK_PORT": "0",
}
"""Webhook mode on any free port; the fake posts to it as a reverse proxy would."""
LISTENING = re.compile(r"HTTP server listening on 127\.0\.0\.1:(\d+)")

BOT_LOG = Path(tempfile.gettempdir()) / "bench-bot.log"
"""The bot's log (warnings and errors) of the last run; ``report_log`` sums it up at the end."""


async def start_bot(env: dict[str, str], *args: str) -> asyncio.subprocess.Process:
    with BOT_LOG.open("wb") as log:
        return await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *args, "run", env=env, stderr=log
        )


async def serving(
    fake: FakeBotApi, env: dict[str, str], *, webhook: bool
) -> asyncio.subprocess.Process:
    """The bot, once it takes updates: polling (after ``deleteWebhook``) or by webhook, the
    fake posting to the port it logged (written before it calls ``setWebhook``)."""
    if not webhook:
        bot = await start_bot(env)
        await fake.wait_for("deleteWebhook", timeout=60)
        return bot
    bot = await start_bot(env | WEBHOOK, "-v")
    await fake.wait_for("setWebhook", timeout=60, ok=True)
    found = LISTENING.search(BOT_LOG.read_text(errors="replace"))
    assert found is not None, "the bot logged no HTTP port"
    fake.webhook_target = f"http://127.0.0.1:{found[1]}"
    return bot


def report_log() -> None:
    """Name every warning and error the bot logged: a figure measured beside them may lie."""
    lines = BOT_LOG.read_text(errors="replace").splitlines()
    problems = [line for line in lines if " WARNING " in line or " ERROR " in line]
    tracebacks = sum(line.startswith("Traceback") for line in lines)
    if problems or tracebacks:
        print(f"  the bot logged {len(problems)} warning(s)/error(s), {tracebacks} traceback(s):")
        for line in problems[:5]:
            print(f"    {line}")
        print(f"  (all of it in {BOT_LOG})")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def stop_bot(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    await asyncio.wait_for(process.wait(), timeout=30)


class Users:
    """Simulated people: send a message, time until the bot's answer reaches the server.

    One watcher reads each new call of the fake once and wakes the person it answers, so the
    measuring stays cheap however many people wait at the same time.
    """

    def __init__(self, fake: FakeBotApi) -> None:
        self.fake = fake
        self.waiting: dict[int, list[asyncio.Future[float]]] = {}
        self.typed: dict[str, tuple[float, asyncio.Future[float]]] = {}
        self.scanned = 0
        self.watcher = asyncio.ensure_future(fake.changed.wait_until(self._scan, 24 * 3600))

    def _scan(self) -> bool:
        calls = self.fake.calls
        now = time.perf_counter()
        for call in calls[self.scanned :]:
            if call.method == "sendMessage":
                waiting = self.waiting.get(int(call.params["chat_id"]))
                if waiting:
                    waiting.pop(0).set_result(now)
            elif call.method == "answerInlineQuery":
                start, answered = self.typed.pop(str(call.params["inline_query_id"]), (0, None))
                if answered is not None:
                    answered.set_result((now - start) * 1000)
        self.scanned = len(calls)
        return False

    async def ask(self, chat_id: int, text: str) -> float:
        answered = asyncio.get_running_loop().create_future()
        self.waiting.setdefault(chat_id, []).append(answered)
        start = time.perf_counter()
        self.fake.send_text(chat_id, text)
        return (await asyncio.wait_for(answered, timeout=30) - start) * 1000

    def type_inline(self, user_id: int, text: str, offset: str) -> tuple[str, Awaitable[float]]:
        """Send an inline query; its id, and the ms until the bot's answer reaches the server."""
        answered = asyncio.get_running_loop().create_future()
        start = time.perf_counter()
        query_id = self.fake.inline_query(user_id, text, offset=offset)
        self.typed[query_id] = (start, answered)
        return query_id, answered

    def next_offset(self, query_id: str) -> str | None:
        answer = self.fake.inline_answer(query_id)
        return answer["next_offset"] if answer else None

    def close(self) -> None:
        self.watcher.cancel()


@contextlib.asynccontextmanager
async def bot_in_use(db: Path, *, webhook: bool = False) -> AsyncIterator[tuple[Users, list[str]]]:
    """The bot on a copy of ``db``, its matching index warm; the people and some paper ids."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bot.db"
        shutil.copy(db, copy)
        async with FakeBotApi() as fake:
            env = environment(fake, copy, Path(tmp) / "no-sources")
            bot = await serving(fake, env, webhook=webhook)
            users = Users(fake)
            ids = [r[0] for r in Store.open(copy).db.execute("SELECT id FROM papers LIMIT 200")]
            await users.ask(1, "/settings")
            yield users, ids
            users.close()
            await stop_bot(bot)
            report_log()


async def latency(db: Path, *, chats: int, rounds: int) -> None:
    """Bursts: ``chats`` commands arriving at the same instant, ``rounds`` times."""
    baseline: list[float] = []
    timings: list[float] = []
    by_kind: dict[str, list[float]] = {}
    async with bot_in_use(db) as (users, ids):
        for round_ in range(rounds):
            # Fresh chats each round: a person does not type twice a second, and the flood
            # guard would rightly slow down one who did.
            first = 10_000 + 2 * round_ * chats
            texts = [
                random.choice([*COMMANDS, f"/paper {random.choice(ids)}"]) for _ in range(chats)
            ]
            took = await asyncio.gather(*(users.ask(first + c, texts[c]) for c in range(chats)))
            timings += took
            for text, ms in zip(texts, took, strict=True):
                by_kind.setdefault(kind(text), []).append(ms)
            baseline += await asyncio.gather(
                *(users.ask(first + chats + c, "/help") for c in range(chats))
            )
            print(f"  round {round_ + 1}/{rounds}", file=sys.stderr)
    print(
        f"reply latency, bursts of {chats} commands at the same instant x {rounds} on "
        f"{db.name}: p50 {percentile(timings, 50):.0f} ms, p99 {percentile(timings, 99):.0f} ms"
    )
    print(
        f"  baseline (/help, no database work): p50 {percentile(baseline, 50):.0f} ms, "
        f"p99 {percentile(baseline, 99):.0f} ms"
    )
    print("  p50 by command (searches wait for SQLite in the reader threads):")
    for name, values in sorted(by_kind.items(), key=lambda item: statistics.median(item[1])):
        print(f"    {name:<28} {statistics.median(values):4.0f} ms  ({len(values)} sent)")


def kind(text: str) -> str:
    """A benchmark command as reported: the text, or ``/paper`` for any paper id."""
    return "/paper <id>" if text.startswith("/paper ") else text


async def steady(db: Path, *, chats: int, seconds: float, think: float) -> None:
    """``chats`` people using the bot at the same time, each sending a command, reading the
    answer, then taking at least a second (a person types a command no faster; the bot also
    keeps to Telegram's one message per second per chat) plus a random while, ``think`` seconds
    on average, before the next."""
    timings, baseline = await steady_use(db, chats=chats, seconds=seconds, think=think)
    rate = (len(timings) + len(baseline)) / seconds
    print(
        f"reply latency, {chats} chats active at once ({rate:.0f} commands/s) on {db.name}: "
        f"p50 {percentile(timings, 50):.0f} ms, p99 {percentile(timings, 99):.0f} ms "
        f"over {len(timings)} commands"
    )
    print(
        f"  baseline (/help, no database work): p50 {percentile(baseline, 50):.0f} ms, "
        f"p99 {percentile(baseline, 99):.0f} ms"
    )


async def polling_and_webhook(
    db: Path, *, chats: int, seconds: float, think: float, pairs: int
) -> None:
    """``steady`` use, served by polling and by webhook in turn (polling, webhook, webhook,
    polling, ...: ``pairs`` of each, ``seconds`` each), so both meet the same machine."""
    replies: dict[bool, list[float]] = {False: [], True: []}
    helps: dict[bool, list[float]] = {False: [], True: []}
    bot_cpu = {False: 0.0, True: 0.0}
    others = {False: 0.0, True: 0.0}
    for turn in range(2 * pairs):
        webhook = turn % 4 in (1, 2)
        start = Cpu.now()
        timings, baseline = await steady_use(
            db, chats=chats, seconds=seconds, think=think, webhook=webhook
        )
        end = Cpu.now()
        replies[webhook] += timings
        helps[webhook] += baseline
        bot_cpu[webhook] += end.children - start.children
        others[webhook] += max(0.0, (end.busy - start.busy) - (end.ours - start.ours))
        print(f"  turn {turn + 1}/{2 * pairs} done", file=sys.stderr)
    print(
        f"reply latency, {chats} chats active at once on {db.name}, {pairs} x {seconds:.0f} s "
        "of each mode, taken in turns:"
    )
    for webhook, name in ((False, "polling"), (True, "webhook")):
        answered = len(replies[webhook]) + len(helps[webhook])
        print(
            f"  {name}: p50 {percentile(replies[webhook], 50):.0f} ms, "
            f"p99 {percentile(replies[webhook], 99):.0f} ms over {len(replies[webhook])} commands"
            f"; /help: p50 {percentile(helps[webhook], 50):.0f} ms, "
            f"p99 {percentile(helps[webhook], 99):.0f} ms; the bot "
            f"{bot_cpu[webhook] / max(answered, 1) * 1000:.1f} CPU-ms a command, start-up "
            f"included; other processes {others[webhook]:.0f} CPU-s"
        )


async def steady_use(
    db: Path, *, chats: int, seconds: float, think: float, webhook: bool = False
) -> tuple[list[float], list[float]]:
    """The milliseconds to each reply in ``steady`` use: commands, and ``/help`` apart."""
    timings: list[float] = []
    baseline: list[float] = []
    async with bot_in_use(db, webhook=webhook) as (users, ids):
        end = time.perf_counter() + seconds

        async def person(chat_id: int) -> None:
            rng = random.Random(chat_id)
            while time.perf_counter() < end:
                await asyncio.sleep(1 + rng.expovariate(1 / think))
                text = rng.choice([*COMMANDS, f"/paper {rng.choice(ids)}", "/help"])
                took = await users.ask(chat_id, text)
                (baseline if text == "/help" else timings).append(took)

        await asyncio.gather(*(person(20_000 + c) for c in range(chats)))
    return timings, baseline


async def inline(db: Path, *, people: int, seconds: float, think: float) -> None:
    """``people`` typing inline queries at once (see ``inline_typing``), ``/help`` beside."""
    typed = Typed()
    start = Cpu.now()
    async with bot_in_use(db) as (users, ids):
        users.fake.set_inline_mode()
        until = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                person(
                    30_000 + n,
                    type_inline=users.type_inline,
                    ask=users.ask,
                    next_offset=users.next_offset,
                    ids=ids,
                    until=until,
                    think=think,
                    typed=typed,
                )
                for n in range(people)
            )
        )
    print(
        f"inline answers, {people} people typing ({typed.sent / seconds:.0f} queries/s) on "
        f"{db.name}: p50 {percentile(typed.answers, 50):.0f} ms, "
        f"p99 {percentile(typed.answers, 99):.0f} ms over {len(typed.answers)} answers; "
        f"{typed.dropped} dropped as the person typed on"
    )
    print(
        f"  baseline (/help, no database work): p50 {percentile(typed.baseline, 50):.0f} ms, "
        f"p99 {percentile(typed.baseline, 99):.0f} ms over {len(typed.baseline)}"
    )
    print(f"  CPU, start-up included: {Cpu.now().since(start)}")


def subscriptions(count: int, categories: list[str]) -> list[Subscription]:
    rng = random.Random(7)
    subs = []
    for chat in range(count):
        kind = chat % 4
        subs.append(
            Subscription(
                chat_id=100_000 + chat,
                active=True,
                categories=frozenset(rng.sample(categories, 2)) if kind in (0, 3) else frozenset(),
                keywords=tuple(rng.sample(WORDS, 3)) if kind in (1, 3) else (),
                excludes=("survey",) if kind == 2 else (),
                authors=("Ada Quill",) if kind == 2 else (),
                notify_empty=True,
            )
        )
    return subs


def digest_papers(count: int) -> list[dict[str, str]]:
    rng = random.Random(11)
    categories = ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "cs.RO", "stat.ML", "quant-ph", "astro-ph.GA"]
    return [
        {
            "id": f"2611.{90000 + n}",
            "title": " ".join(rng.sample(WORDS, 4)).capitalize() + f" study {n}",
            "category": rng.choice(categories),
            "authors": "Ada Quill,Bo Lindqvist" if n % 25 == 0 else "Cy Young,Di Zhou",
        }
        for n in range(count)
    ]


def planning(db: Path, *, chats: int, papers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "bot.db"
        shutil.copy(db, copy)
        store = Store.open(copy)
        subs = subscriptions(chats, ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "cs.RO", "stat.ML"])
        for sub in subs:
            store.save_subscription(sub)
        path = write_digest(Path(tmp) / "2026-11-29.md", digest_papers(papers))
        ingest_raw(store, read_input(str(path)), now=dt.datetime.now(dt.UTC), deliver=True)
        measure_planning(store, subs)
        store.close()


def measure_planning(store: Store, subs: list[Subscription]) -> None:
    papers = store.papers_in_digest(store.digests_to_plan()[0].date)
    start = time.perf_counter()
    planned = list(
        plan_digest(
            DigestIndex(papers),
            subs,
            delivered={},
            already_planned=set(),
            arrived=dt.datetime.now(dt.UTC),
        )
    )
    pure = time.perf_counter() - start
    start = time.perf_counter()
    written = plan_due(store, default_timezone="UTC")
    stored = time.perf_counter() - start
    print(
        f"planning: {len(subs)} chats x {len(papers)} papers: {pure:.2f} s to compute "
        f"{len(planned)} deliveries; {stored:.2f} s with reading the chats and writing the ledger "
        f"({written} rows)"
    )


async def fanout(db: Path, *, chats: int, papers: int, commands: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        copy, folder = Path(tmp) / "bot.db", Path(tmp) / "data"
        shutil.copy(db, copy)
        folder.mkdir()
        today = dt.datetime.now(dt.UTC).date().isoformat()
        write_digest(folder / f"{today}.md", digest_papers(papers))
        store = Store.open(copy)
        subs = subscriptions(chats, ["cs.LG", "cs.CV", "cs.CL", "cs.AI", "cs.RO", "stat.ML"])
        for sub in subs:
            store.save_subscription(sub)
        store.close()
        async with FakeBotApi() as fake:
            for sub in subs:
                fake.add_chat(sub.chat_id)
            fake.enforce_rate(per_second=30)
            bot = await start_bot(environment(fake, copy, folder))
            users = Users(fake)
            await fake.wait_for("sendMessage", timeout=120)
            first = time.perf_counter()
            during: list[float] = []
            while len(fake.calls_to("sendMessage", ok=True)) < chats + len(during):
                if commands:
                    # Ten people take turns, each asking every five seconds.
                    chat = 90 + len(during) % 10
                    during.append(await users.ask(chat, random.choice(COMMANDS)))
                await asyncio.sleep(0.5)
            elapsed = time.perf_counter() - first
            sent = len(fake.calls_to("sendMessage", ok=True))
            rss = peak_rss_mb(bot.pid)
            users.close()
            await stop_bot(bot)
    report_log()
    print(
        f"fan-out: {sent} messages to {chats} chats in {elapsed:.1f} s = {sent / elapsed:.1f} "
        f"messages/s ({sent / elapsed / 30:.0%} of the 30/s limit), {fake.rate_limited} x 429, "
        f"bot peak RSS {rss:.0f} MB"
    )
    if during:
        print(
            f"  a command during the fan-out ({len(during)} sent): p50 "
            f"{percentile(during, 50):.0f} ms, p99 {percentile(during, 99):.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "mode", choices=("latency", "steady", "webhook", "fanout", "planning", "inline")
    )
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--think", type=float, help="mean seconds between commands (2.0) or keys (0.25)"
    )
    parser.add_argument("--no-commands", action="store_true", help="fan-out without commands")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--chats", type=int)
    parser.add_argument("--rounds", type=int, help="bursts (10), or webhook: pairs of runs (2)")
    parser.add_argument("--papers", type=int, default=500)
    args = parser.parse_args()
    if args.mode == "latency":
        asyncio.run(latency(args.db, chats=args.chats or 50, rounds=args.rounds or 10))
    elif args.mode == "steady":
        think = args.think or 2.0
        asyncio.run(steady(args.db, chats=args.chats or 50, seconds=args.seconds, think=think))
    elif args.mode == "webhook":
        think, pairs = args.think or 2.0, args.rounds or 2
        asyncio.run(
            polling_and_webhook(
                args.db, chats=args.chats or 50, seconds=args.seconds, think=think, pairs=pairs
            )
        )
    elif args.mode == "inline":
        think = args.think or 0.25
        asyncio.run(inline(args.db, people=args.chats or 20, seconds=args.seconds, think=think))
    elif args.mode == "fanout":
        asyncio.run(
            fanout(
                args.db,
                chats=args.chats or 10_000,
                papers=args.papers,
                commands=not args.no_commands,
            )
        )
    else:
        planning(args.db, chats=args.chats or 10_000, papers=args.papers)


if __name__ == "__main__":
    main()
