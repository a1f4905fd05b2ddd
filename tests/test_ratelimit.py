"""PacedRateLimiter against the fake Bot API enforcing Telegram's flood limits strictly.

Most tests run the fake and the limiter on one clock that runs ``scale`` times faster than
real time, so that Telegram's one-second (and one-minute) windows pass in a fraction of that.
The limiter's margin is scaled too, so it still absorbs 50 ms of real loopback jitter.
"""

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from fakebotapi import FakeBotApi
from telegram.error import RetryAfter
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.delivery.ratelimit import BROADCAST, PRUNE_MIN, PacedRateLimiter, chat_key, is_group

GROUP = -1001234567890
MARGIN = 0.05
PaceBot = ExtBot[dict[str, Any]]


class ScaledClock:
    """Monotonic time running ``scale`` times faster; its ``sleep`` takes scaled seconds."""

    def __init__(self, scale: float) -> None:
        self.scale = scale

    def __call__(self) -> float:
        return time.monotonic() * self.scale

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.scale)


@asynccontextmanager
async def paced(
    clock: ScaledClock,
    *chat_ids: int,
    limiter_type: type[PacedRateLimiter] = PacedRateLimiter,
    enforce: bool = True,
    **limits: Any,
) -> AsyncIterator[tuple[FakeBotApi, PaceBot, PacedRateLimiter]]:
    """The fake (enforcing Telegram's limits unless told not to) and a bot paced by a
    PacedRateLimiter."""
    limits.setdefault("margin", MARGIN * clock.scale)
    limiter = limiter_type(clock=clock, sleep=clock.sleep, **limits)
    async with FakeBotApi(clock=clock) as fake:
        if enforce:
            fake.enforce_rate()
        for chat_id in chat_ids:
            fake.add_chat(chat_id)
        request = HTTPXRequest(connection_pool_size=64)
        async with ExtBot(
            fake.token, base_url=fake.base_url, rate_limiter=limiter, request=request
        ) as bot:
            yield fake, bot, limiter


async def send(bot: PaceBot, clock: ScaledClock, chat_id: int, text: str, **kw: Any) -> float:
    """Send and return the (scaled) time the message was delivered."""
    await bot.send_message(chat_id, text, **kw)
    return clock()


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


def sent_chats(fake: FakeBotApi) -> list[int]:
    return [params["chat_id"] for params in fake.calls_to("sendMessage", ok=True)]


async def test_ratelimit_broadcast_burst_runs_at_the_limit_without_429() -> None:
    clock = ScaledClock(5)
    chats = range(1, 91)
    async with paced(clock, *chats) as (fake, bot, limiter):
        start = clock()
        done = await asyncio.gather(
            *(send(bot, clock, c, f"digest {c}", rate_limit_args=BROADCAST) for c in chats)
        )
        rate = (len(chats) - 1) / (max(done) - start)
        pace = 30 / (1 + MARGIN * clock.scale)
        assert (fake.rate_limited, limiter.rate_limited) == (0, 0)
        assert sorted(sent_chats(fake)) == list(chats)
        assert 0.95 * pace <= rate <= pace + 0.5


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


async def test_ratelimit_interactive_sends_overtake_a_long_broadcast_queue() -> None:
    clock = ScaledClock(5)
    subscribers, users = range(1, 121), range(1001, 1006)
    async with paced(clock, *subscribers, *users, limiter_type=OrderLimiter) as (fake, bot, lim):
        fan_out = asyncio.gather(
            *(bot.send_message(c, "digest", rate_limit_args=BROADCAST) for c in subscribers)
        )
        await fake.wait_for("sendMessage", n=10)
        before = len(fake.calls)
        await asyncio.gather(*(bot.send_message(u, "reply") for u in users))
        replies = [i for i, call in enumerate(fake.calls) if call.params.get("chat_id") in users]
        await fan_out
        assert isinstance(lim, OrderLimiter)
        # No broadcast is let through between a reply's asking and its going: the limiter's
        # own order, which a loaded machine cannot shuffle as it can arrivals at the server.
        for user in users:
            asked, granted = lim.events.index(("asked", user)), lim.events.index(("granted", user))
            assert all(
                chat in users for kind, chat in lim.events[asked:granted] if kind == "granted"
            )
        assert fake.rate_limited == 0
        # At the server the replies come long before the hundred broadcasts still queued.
        assert len(replies) == len(users)
        assert max(replies) - before <= 40


async def test_ratelimit_private_chat_broadcasts_a_second_apart_without_holding_others() -> None:
    clock = ScaledClock(2)
    async with paced(clock, 1, 2, 3, 4, 5) as (fake, bot, _):
        done = await asyncio.gather(
            *(send(bot, clock, c, "digest", rate_limit_args=BROADCAST) for c in (1, 1, 2, 3, 4, 5))
        )
        assert sent_chats(fake)[-1] == 1
        assert done[1] - done[0] >= 1.0
        assert max(done[2:]) < done[1]
        assert fake.rate_limited == 0


async def test_ratelimit_broadcast_after_a_reply_to_the_same_chat_waits_its_second() -> None:
    clock = ScaledClock(5)
    async with paced(clock, 1) as (fake, bot, _):
        replied = await send(bot, clock, 1, "reply")
        delivered = await send(bot, clock, 1, "digest", rate_limit_args=BROADCAST)
        assert delivered - replied >= 1.0
        assert fake.rate_limited == 0


async def test_ratelimit_group_limit_holds_only_that_group() -> None:
    clock = ScaledClock(60)  # a minute passes in one second
    async with paced(clock, GROUP, 1, 2, 3) as (fake, bot, _):
        to_group = [send(bot, clock, GROUP, f"answer {n}") for n in range(22)]
        to_users = [send(bot, clock, c, "digest", rate_limit_args=BROADCAST) for c in (1, 2, 3)]
        done = await asyncio.gather(*to_group, *to_users)
        assert sent_chats(fake)[-2:] == [GROUP, GROUP]
        assert max(done[:20]) - done[0] < 30.0
        assert max(done[22:]) < done[20]
        assert done[20] - done[0] >= 60.0
        assert fake.rate_limited == 0


async def test_ratelimit_retry_after_pauses_every_request_exactly_then_delivers_once() -> None:
    clock = ScaledClock(1)
    async with paced(clock, 1, 2, overall_per_second=10) as (fake, bot, limiter):
        fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
        start = clock()
        # The second send's slot comes 0.1 s after the first, when the 429 has paused everything.
        first, second = await asyncio.gather(
            *(send(bot, clock, c, "digest", rate_limit_args=BROADCAST) for c in (1, 2))
        )
        assert 1.0 <= first - start <= 1.1
        assert second - start >= 1.0
        assert fake.sent_to(1) == ["digest"]
        assert [p["chat_id"] for p in fake.calls_to("sendMessage")] == [1, 1, 2]
        assert limiter.rate_limited == 1


async def test_ratelimit_retry_after_reraised_once_retries_are_spent() -> None:
    clock = ScaledClock(5)
    async with paced(clock, 1, max_retries=2) as (fake, bot, limiter):
        too_many = "Too Many Requests: retry after 1"
        fake.fail_next("sendMessage", 429, too_many, retry_after=1, times=3)
        with pytest.raises(RetryAfter):
            await bot.send_message(1, "digest")
        assert limiter.rate_limited == 3
        assert fake.sent_to(1) == []


async def test_ratelimit_requests_without_chat_id_are_not_throttled() -> None:
    clock = ScaledClock(5)
    async with paced(clock, 1, 2, overall_per_second=1) as (fake, bot, _):
        query_id = fake.press(1, 1, "x")
        before = len(fake.calls)
        fan_out = asyncio.gather(
            *(bot.send_message(c, "digest", rate_limit_args=BROADCAST) for c in (1, 2))
        )
        await fake.wait_for("sendMessage", n=1)
        await bot.get_me()
        await bot.set_my_commands([("help", "How to use the bot")])
        await bot.answer_callback_query(query_id)
        await fan_out
        assert [call.method for call in fake.calls[before:]] == [
            "sendMessage",
            "getMe",
            "setMyCommands",
            "answerCallbackQuery",
            "sendMessage",
        ]


class CountingLimiter(PacedRateLimiter):
    """Tells the test when a given number of requests wait in the limiter."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.queued = 0
        self.changed = asyncio.Event()

    async def _queue(self, waiter: Any, now: float) -> None:
        self.queued += 1
        self.changed.set()
        await super()._queue(waiter, now)

    async def until_queued(self, count: int) -> None:
        while self.queued < count:
            self.changed.clear()
            await self.changed.wait()


async def test_ratelimit_cancelled_broadcast_frees_its_turn() -> None:
    clock = ScaledClock(5)
    async with paced(clock, 1, limiter_type=CountingLimiter) as (fake, bot, limiter):
        await bot.send_message(1, "one", rate_limit_args=BROADCAST)
        cancelled = asyncio.ensure_future(bot.send_message(1, "two", rate_limit_args=BROADCAST))
        third = asyncio.ensure_future(bot.send_message(1, "three", rate_limit_args=BROADCAST))
        assert isinstance(limiter, CountingLimiter)
        await limiter.until_queued(3)  # both requests wait in the limiter for chat 1's window
        cancelled.cancel()
        await third
        assert fake.sent_to(1) == ["one", "three"]
        assert fake.rate_limited == 0


async def test_ratelimit_prunes_idle_chats() -> None:
    clock = ScaledClock(1000)  # each chat's window passes in about a millisecond
    limiter = PacedRateLimiter(overall_per_second=100_000, clock=clock, sleep=clock.sleep)
    delivered: list[int] = []

    async def post(chat_id: int) -> bool:
        delivered.append(chat_id)
        return True

    for chat_id in range(1, 3 * PRUNE_MIN + 1):
        data = {"chat_id": chat_id}
        await limiter.process_request(post, (chat_id,), {}, "sendMessage", data, BROADCAST)
    await limiter.shutdown()
    assert len(delivered) == 3 * PRUNE_MIN
    assert limiter.tracked_chats <= PRUNE_MIN


async def test_ratelimit_replies_go_at_once_while_nothing_is_broadcast() -> None:
    clock = ScaledClock(1)
    chats = range(1, 51)
    async with paced(clock, *chats, enforce=False) as (fake, bot, _):
        start = clock()
        done = await asyncio.gather(*(send(bot, clock, c, f"reply {c}") for c in chats))
    assert sorted(sent_chats(fake)) == list(chats)
    assert max(done) - start < 1.0  # paced at 30/s, fifty replies would take 1.6 s


async def test_ratelimit_replies_between_the_sends_of_a_fan_out_keep_to_the_overall_limit() -> None:
    clock = ScaledClock(5)
    subscribers, users = range(1, 61), range(1001, 1041)
    async with paced(clock, *subscribers, *users) as (fake, bot, _):

        async def fan_out() -> None:  # as the delivery worker sends: one message at a time
            for chat_id in subscribers:
                await bot.send_message(chat_id, "digest", rate_limit_args=BROADCAST)

        worker = asyncio.create_task(fan_out())
        # The 20th delivery is at the server: the worker waits for its answer, so for a moment
        # no broadcast is queued, yet twenty went out in the last second.
        await fake.wait_for("sendMessage", n=20)
        await asyncio.gather(*(bot.send_message(u, "reply") for u in users))
        await worker
    assert fake.rate_limited == 0
    assert sorted(sent_chats(fake)) == [*subscribers, *users]


async def test_ratelimit_a_reply_held_by_its_chat_waits_for_that_chat_only() -> None:
    """Replies let through at once do not push back the even spacing queued requests keep to:
    a reply waiting out its chat's second goes when that second is over."""
    clock = ScaledClock(1)
    others = range(1, 41)
    async with paced(clock, *others, 99, enforce=False) as (_, bot, _):
        first = await send(bot, clock, 99, "first answer")
        await asyncio.gather(*(bot.send_message(c, "reply") for c in others))
        second = await send(bot, clock, 99, "second answer")
    assert 1.0 <= second - first < 1.3  # forty replies at 30/s would have taken 1.4 s


async def test_ratelimit_replies_beyond_30_a_second_do_not_hold_one_waiting_for_its_chat() -> None:
    """While nothing is broadcast, replies are not held to 30/s; one that waited out its chat's
    second must not then wait for the overall window the others filled."""
    clock = ScaledClock(2)
    others = range(1, 41)
    async with paced(clock, *others, 99, enforce=False) as (_, bot, _):
        first = await send(bot, clock, 99, "first answer")
        await clock.sleep(0.8)  # scenario time: the others ask 0.8 s later
        await asyncio.gather(*(bot.send_message(c, "reply") for c in others))
        second = await send(bot, clock, 99, "second answer")
    window = 1 + MARGIN * clock.scale
    assert window <= second - first < window + 0.4  # not 0.8 s more for the overall window
