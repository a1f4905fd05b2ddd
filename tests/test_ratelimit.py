"""PacedRateLimiter: when each request goes, on virtual time, checked against Telegram's limits.

Most tests drive ``process_request`` directly, as python-telegram-bot does, with a stand-in for
the Bot API call that records the instant each request reached it. They run on a virtual-time
event loop (``tests/virtualtime.py``), so they assert exact instants that no busy machine can
shift; Telegram's limits are then replayed over those instants (``refused_by_telegram``). The
spacing is the limit plus the 50 ms margin: 30 messages per 1.05 s, one every 35 ms.

The last tests send through a real ``ExtBot`` to the fake Bot API over loopback HTTP and assert
only what cannot depend on timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import pytest
from fakebotapi import ApiError, FakeBotApi
from fakebotapi.rate import RateEnforcer
from telegram.error import RetryAfter
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest
from virtualtime import virtual_time

from bot.delivery.ratelimit import BROADCAST, PRUNE_MIN, PacedRateLimiter, chat_key, is_group

GROUP = -1001234567890
SLOT = 1.05 / 30
"""The even spacing of queued requests at the default 30/s (with the 50 ms margin)."""


class Send(NamedTuple):
    at: float
    method: str
    chat_id: int | None
    text: str | None


@dataclass
class BotApi:
    """Stands in for the Bot API call the limiter wraps: records each request as it arrives,
    answers after ``round_trip`` seconds, and refuses the next ``flood_waits`` with a 429."""

    round_trip: float = 0.0
    flood_waits: int = 0

    def __post_init__(self) -> None:
        self.sends: list[Send] = []
        self.refused: list[Send] = []

    async def post(self, method: str, data: dict[str, Any]) -> bool:
        now = asyncio.get_running_loop().time()
        send = Send(now, method, data.get("chat_id"), data.get("text"))
        if self.flood_waits:
            self.flood_waits -= 1
            self.refused.append(send)
            raise RetryAfter(1)
        self.sends.append(send)
        await asyncio.sleep(self.round_trip)
        return True

    def instants(self, *chat_ids: int) -> list[float]:
        return [s.at for s in self.sends if not chat_ids or s.chat_id in chat_ids]

    def chats(self) -> list[int | None]:
        return [s.chat_id for s in self.sends]


def paced(**limits: Any) -> PacedRateLimiter:
    """A limiter on the running (virtual-time) loop's clock."""
    return PacedRateLimiter(clock=asyncio.get_running_loop().time, sleep=asyncio.sleep, **limits)


async def send(
    limiter: PacedRateLimiter, api: BotApi, chat_id: int, text: str = "", *, broadcast: bool = False
) -> None:
    await call(limiter, api, "sendMessage", chat_id=chat_id, text=text, broadcast=broadcast)


async def call(
    limiter: PacedRateLimiter, api: BotApi, method: str, *, broadcast: bool = False, **data: Any
) -> None:
    """Make a request through the limiter as python-telegram-bot does."""
    rate_limit_args = BROADCAST if broadcast else None
    await limiter.process_request(api.post, (method, data), {}, method, data, rate_limit_args)


def exact(instants: float | list[float]) -> Any:
    """Equal to these instants up to the rounding of floating-point sums (a nanosecond)."""
    return pytest.approx(instants, rel=0, abs=1e-9)


def refused_by_telegram(sends: list[Send]) -> list[Send]:
    """The sends Telegram would answer with 429: its limits (30/s overall, 1/s per private chat,
    20/min per group, as the fake Bot API enforces them) replayed over the recorded instants."""
    now = [0.0]
    telegram = RateEnforcer(
        per_second=30, per_chat_per_second=1, group_per_minute=20, clock=lambda: now[0]
    )
    refused = []
    for sent in sends:
        now[0] = sent.at
        key = chat_key(sent.chat_id)
        try:
            telegram.admit(key, "group" if is_group(key) else "private")
        except ApiError:
            refused.append(sent)
    return refused


@pytest.mark.parametrize(
    ("chat_id", "key", "group"),
    [
        (42, 42, False),
        ("42", 42, False),
        (-100123, -100123, True),
        ("-100123", -100123, True),
        ("@lab_news", "@lab_news", True),
    ],
)
def test_ratelimit_chat_key_tells_groups_from_private_chats(
    chat_id: int | str, key: int | str, group: bool
) -> None:
    assert (chat_key(chat_id), is_group(chat_key(chat_id))) == (key, group)


def sends_to(*chat_ids: int, every: float) -> list[Send]:
    return [Send(n * every, "sendMessage", chat_id, "") for n, chat_id in enumerate(chat_ids)]


@pytest.mark.parametrize(
    ("sends", "refused"),
    [
        (sends_to(1, 1, every=0.5), [1]),
        (sends_to(1, 1, every=1.0), []),
        (sends_to(*range(1, 33), every=0.03), [30, 31]),
        (sends_to(*range(1, 33), every=0.04), []),
        (sends_to(*[GROUP] * 21, every=2.5), [20]),
        (sends_to(*[GROUP] * 21, every=3.0), []),
    ],
)
def test_ratelimit_telegram_replay_refuses_what_telegram_would(
    sends: list[Send], refused: list[int]
) -> None:
    assert refused_by_telegram(sends) == [sends[n] for n in refused]


@virtual_time
async def test_ratelimit_broadcast_burst_runs_at_the_limit_without_429() -> None:
    """Ninety broadcasts asked at once go one slot apart, in the order asked."""
    api, limiter = BotApi(), paced()
    chats = range(1, 91)
    await asyncio.gather(*(send(limiter, api, c, broadcast=True) for c in chats))
    assert api.chats() == list(chats)
    assert api.instants() == exact([n * SLOT for n in range(90)])
    assert refused_by_telegram(api.sends) == []
    assert limiter.rate_limited == 0


@virtual_time
async def test_ratelimit_interactive_sends_overtake_a_long_broadcast_queue() -> None:
    """Replies asked while the window is full of broadcasts take the next slots, ahead of the
    85 broadcasts still waiting."""
    api, limiter = BotApi(), paced()
    subscribers, users = range(1, 121), range(1001, 1006)
    fan_out = asyncio.gather(*(send(limiter, api, c, broadcast=True) for c in subscribers))
    await asyncio.sleep(1.2)  # 35 broadcasts went, the last at 1.19 s: 30 in the last 1.05 s
    await asyncio.gather(*(send(limiter, api, u, "reply") for u in users))
    await fan_out
    assert api.chats() == [*range(1, 36), *users, *range(36, 121)]
    assert api.instants(*users) == exact([1.225, 1.26, 1.295, 1.33, 1.365])
    assert api.instants() == exact([n * SLOT for n in range(125)])
    assert refused_by_telegram(api.sends) == []


@virtual_time
async def test_ratelimit_private_chat_broadcasts_a_second_apart_without_holding_others() -> None:
    api, limiter = BotApi(), paced()
    await asyncio.gather(*(send(limiter, api, c, broadcast=True) for c in (1, 1, 2, 3, 4, 5)))
    assert api.chats() == [1, 2, 3, 4, 5, 1]
    assert api.instants() == exact([0.0, 0.035, 0.07, 0.105, 0.14, 1.05])
    assert refused_by_telegram(api.sends) == []


@virtual_time
async def test_ratelimit_broadcast_after_a_reply_to_the_same_chat_waits_its_second() -> None:
    api, limiter = BotApi(), paced()
    await send(limiter, api, 1, "reply")
    await send(limiter, api, 1, "digest", broadcast=True)
    assert api.instants() == exact([0.0, 1.05])


@virtual_time
async def test_ratelimit_group_limit_holds_only_that_group() -> None:
    """Twenty answers in a group go at once; the next two wait for the minute (plus the
    margin) to pass, while broadcasts to people go meanwhile."""
    api, limiter = BotApi(), paced()
    to_group = [send(limiter, api, GROUP, f"answer {n}") for n in range(22)]
    to_users = [send(limiter, api, c, "digest", broadcast=True) for c in (1, 2, 3)]
    await asyncio.gather(*to_group, *to_users)
    assert api.instants(GROUP) == exact([0.0] * 20 + [60.05, 60.05])
    assert api.instants(1, 2, 3) == exact([0.0, 0.035, 0.07])
    assert refused_by_telegram(api.sends) == []


@virtual_time
async def test_ratelimit_retry_after_pauses_every_request_exactly_then_delivers_once() -> None:
    """The 429 answered at once pauses everything for one second: chat 2, due 0.105 s later,
    goes one slot after chat 1's retry."""
    api, limiter = BotApi(flood_waits=1), paced(overall_per_second=10)
    await asyncio.gather(*(send(limiter, api, c, "digest", broadcast=True) for c in (1, 2)))
    assert [(s.at, s.chat_id) for s in api.refused] == [(0.0, 1)]
    assert [s.chat_id for s in api.sends] == [1, 2]
    assert api.instants() == exact([1.0, 1.105])
    assert limiter.rate_limited == 1


@virtual_time
async def test_ratelimit_retry_after_reraised_once_retries_are_spent() -> None:
    api, limiter = BotApi(flood_waits=3), paced(max_retries=2)
    with pytest.raises(RetryAfter):
        await send(limiter, api, 1, "digest")
    assert [s.at for s in api.refused] == exact([0.0, 1.0, 2.0])
    assert api.sends == []
    assert limiter.rate_limited == 3


@virtual_time
async def test_ratelimit_requests_without_chat_id_are_not_throttled() -> None:
    api, limiter = BotApi(), paced(overall_per_second=1)
    fan_out = asyncio.gather(*(send(limiter, api, c, broadcast=True) for c in (1, 2)))
    await asyncio.sleep(0.5)
    await call(limiter, api, "getMe")
    await call(limiter, api, "setMyCommands", commands=[["help", "How to use the bot"]])
    await call(limiter, api, "answerCallbackQuery", callback_query_id="1")
    await fan_out
    assert [(s.at, s.method) for s in api.sends] == [
        (0.0, "sendMessage"),
        (0.5, "getMe"),
        (0.5, "setMyCommands"),
        (0.5, "answerCallbackQuery"),
        (pytest.approx(1.05, rel=0, abs=1e-9), "sendMessage"),
    ]


@virtual_time
async def test_ratelimit_cancelled_broadcast_frees_its_turn() -> None:
    api, limiter = BotApi(), paced()
    await send(limiter, api, 1, "one", broadcast=True)
    cancelled = asyncio.create_task(send(limiter, api, 1, "two", broadcast=True))
    third = asyncio.create_task(send(limiter, api, 1, "three", broadcast=True))
    await asyncio.sleep(0.5)  # both wait in the limiter for chat 1's window
    cancelled.cancel()
    await third
    assert [(s.at, s.text) for s in api.sends] == [(0.0, "one"), (exact(1.05), "three")]


@virtual_time
async def test_ratelimit_prunes_idle_chats() -> None:
    """3,072 chats served one after another, 35 ms apart: only those of the last second or so
    are kept."""
    api, limiter = BotApi(), paced()
    for chat_id in range(1, 3 * PRUNE_MIN + 1):
        await send(limiter, api, chat_id, broadcast=True)
    await limiter.shutdown()
    assert len(api.sends) == 3 * PRUNE_MIN
    assert limiter.tracked_chats <= PRUNE_MIN


@virtual_time
async def test_ratelimit_replies_go_at_once_while_nothing_is_broadcast() -> None:
    """Fifty people asking at the same instant are answered at once (paced at 30/s, the last
    would wait 1.7 s); Telegram tolerates such bursts of replies."""
    api, limiter = BotApi(), paced()
    await asyncio.gather(*(send(limiter, api, c, f"reply {c}") for c in range(1, 51)))
    assert api.chats() == list(range(1, 51))
    assert api.instants() == [0.0] * 50


@virtual_time
async def test_ratelimit_replies_between_the_sends_of_a_fan_out_keep_to_the_overall_limit() -> None:
    """While the worker waits for the answer to its 20th delivery no broadcast is queued, yet
    twenty went out in the last second: of forty replies, ten go at once and the rest as room
    comes in the window, all before the fan-out goes on."""
    api, limiter = BotApi(round_trip=0.01), paced()
    subscribers, users = range(1, 61), range(1001, 1041)

    async def fan_out() -> None:  # as the delivery worker sends: one message at a time
        for chat_id in subscribers:
            await send(limiter, api, chat_id, "digest", broadcast=True)

    worker = asyncio.create_task(fan_out())
    await asyncio.sleep(0.67)  # the 20th delivery went at 0.665 s; its answer comes at 0.675 s
    await asyncio.gather(*(send(limiter, api, u, "reply") for u in users))
    await worker
    assert api.instants(*users)[:11] == exact([0.67] * 10 + [1.05])
    assert api.chats() == [*range(1, 21), *users, *range(21, 61)]
    assert refused_by_telegram(api.sends) == []


@virtual_time
async def test_ratelimit_a_reply_held_by_its_chat_waits_for_that_chat_only() -> None:
    """Replies let through at once do not push back the even spacing queued requests keep to:
    a reply waiting out its chat's second goes when that second is over, a broadcast asked
    meanwhile one slot later."""
    api, limiter = BotApi(), paced()
    await send(limiter, api, 99, "first answer")
    await asyncio.gather(*(send(limiter, api, c, "reply") for c in range(1, 41)))
    await asyncio.gather(
        send(limiter, api, 50, "digest", broadcast=True), send(limiter, api, 99, "second answer")
    )
    # Not 1.435 s and 1.47 s, as if the forty replies had taken forty slots.
    assert api.instants(99) == exact([0.0, 1.05])
    assert api.instants(50) == exact([1.085])


@virtual_time
async def test_ratelimit_replies_beyond_30_a_second_do_not_hold_one_waiting_for_its_chat() -> None:
    """While nothing is broadcast, replies are not held to 30/s; one that waited out its chat's
    second must not then wait for the overall window the others filled."""
    api, limiter = BotApi(), paced()
    await send(limiter, api, 99, "first answer")
    await asyncio.sleep(0.8)
    await asyncio.gather(*(send(limiter, api, c, "reply") for c in range(1, 41)))
    await send(limiter, api, 99, "second answer")
    assert api.instants(*range(1, 41)) == exact([0.8] * 40)
    assert api.instants(99) == exact([0.0, 1.05])  # not 1.85 s, when the window has room


# --- through python-telegram-bot and the fake Bot API, on real time ---------------------------


class OrderLimiter(PacedRateLimiter):
    """Records, per chat, when a request asked to go and when it was let through."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.events: list[tuple[str, int]] = []

    async def _acquire(self, waiter: Any) -> None:
        self.events.append(("asked", waiter.chat_id))
        await super()._acquire(waiter)

    def _grant(self, waiter: Any, now: float, *, paced: bool = True) -> None:
        self.events.append(("granted", waiter.chat_id))
        super()._grant(waiter, now, paced=paced)


@asynccontextmanager
async def paced_bot(*chat_ids: int) -> AsyncIterator[tuple[FakeBotApi, ExtBot[Any], OrderLimiter]]:
    """The fake Bot API (not enforcing Telegram's limits) and a bot paced by the limiter."""
    limiter = OrderLimiter()
    async with FakeBotApi() as fake:
        for chat_id in chat_ids:
            fake.add_chat(chat_id)
        # A connection for each request at once: none waits (on the wall clock) for the pool.
        request = HTTPXRequest(connection_pool_size=64)
        async with ExtBot(
            fake.token, base_url=fake.base_url, rate_limiter=limiter, request=request
        ) as bot:
            yield fake, bot, limiter


async def test_ratelimit_through_ptb_every_message_goes_once_and_replies_go_first() -> None:
    """No broadcast is let through between a reply's asking and its going: the limiter's own
    order, which a loaded machine cannot shuffle as it can arrivals at the server."""
    subscribers, users = range(1, 31), range(1001, 1006)
    async with paced_bot(*subscribers, *users) as (fake, bot, limiter):
        fan_out = asyncio.gather(
            *(bot.send_message(c, "digest", rate_limit_args=BROADCAST) for c in subscribers)
        )
        await fake.wait_for("sendMessage", n=1)
        await asyncio.gather(*(bot.send_message(u, "reply") for u in users))
        await fan_out
    for user in users:
        asked = limiter.events.index(("asked", user))
        granted = limiter.events.index(("granted", user))
        between = limiter.events[asked:granted]
        assert [chat for kind, chat in between if kind == "granted" and chat not in users] == []
    sent = [params["chat_id"] for params in fake.calls_to("sendMessage", ok=True)]
    assert sorted(sent) == [*subscribers, *users]
    assert limiter.rate_limited == 0


async def test_ratelimit_through_ptb_a_429_is_waited_out_and_delivered_once() -> None:
    """The fake's 429 reaches the limiter as python-telegram-bot's RetryAfter."""
    async with paced_bot(1) as (fake, bot, limiter):
        fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        await bot.send_message(1, "digest", rate_limit_args=BROADCAST)
    assert [params["chat_id"] for params in fake.calls_to("sendMessage")] == [1, 1]
    assert fake.sent_to(1) == ["digest"]
    assert limiter.rate_limited == 1
