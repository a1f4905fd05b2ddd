"""PerChatUpdateProcessor: one chat's updates in order, chats concurrently, replies pipelined,
floods judged on arrival."""

import asyncio
import datetime as dt

from telegram import Chat, InlineQuery, Message, Update, User

from bot.rules.flood import FloodGuard, Verdict
from bot.update_processor import PerChatUpdateProcessor


def update_in(chat_id: int, update_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, dt.datetime(2026, 2, 10), chat, text="/x"))


async def test_one_chats_updates_run_in_order_while_other_chats_go_on() -> None:
    processor = PerChatUpdateProcessor()
    events: list[str] = []
    first_started, first_may_finish = asyncio.Event(), asyncio.Event()

    async def handle(name: str) -> None:
        events.append(f"start {name}")
        if name == "1a":
            first_started.set()
            await first_may_finish.wait()
        events.append(f"end {name}")

    chat_1a = asyncio.create_task(processor.process_update(update_in(1, 1), handle("1a")))
    chat_1b = asyncio.create_task(processor.process_update(update_in(1, 2), handle("1b")))
    await first_started.wait()
    await processor.process_update(update_in(2, 3), handle("2"))
    assert events == ["start 1a", "start 2", "end 2"]  # 1b waits for 1a; chat 2 does not
    first_may_finish.set()
    await asyncio.gather(chat_1a, chat_1b)
    assert events[3:] == ["end 1a", "start 1b", "end 1b"]


async def test_each_update_starts_after_the_one_before_has_sent_its_reply() -> None:
    """A handler's reply is written by a callback its first step queues (as aiohttp does): it
    must run before the next update of the same batch starts, not after the whole batch."""
    processor = PerChatUpdateProcessor()
    events: list[str] = []
    all_written = asyncio.Event()

    def write(chat_id: int) -> None:
        events.append(f"write {chat_id}")
        if chat_id == 3:
            all_written.set()

    async def handle(chat_id: int) -> None:
        events.append(f"handle {chat_id}")
        asyncio.get_running_loop().call_soon(write, chat_id)
        await all_written.wait()

    batch = [
        asyncio.create_task(processor.process_update(update_in(c, c), handle(c))) for c in (1, 2, 3)
    ]
    await asyncio.gather(*batch)
    assert events == ["handle 1", "write 1", "handle 2", "write 2", "handle 3", "write 3"]


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_flood_is_judged_when_it_arrives_not_when_its_turn_comes() -> None:
    """Six commands sent at once, while the first one's reply takes ten seconds (as replies to
    a private chat are paced): three answered, one note to wait, two dropped."""
    clock = Ticks()
    refused: list[tuple[int, Verdict, int]] = []

    async def refuse(update: Update, verdict: Verdict, seconds: int) -> None:
        refused.append((update.update_id, verdict, seconds))

    processor = PerChatUpdateProcessor(
        flood=FloodGuard(rate=1, burst=3), refuse=refuse, clock=clock
    )
    handled: list[int] = []

    async def handle(update_id: int) -> None:
        if update_id == 1:
            clock.now += 10.0  # the batch has arrived: the tasks started in the same loop turn
        handled.append(update_id)

    await asyncio.gather(
        *(processor.process_update(update_in(1, n), handle(n)) for n in range(1, 7))
    )
    assert handled == [1, 2, 3]
    assert refused == [(5, Verdict.DROP, 1), (6, Verdict.DROP, 1), (4, Verdict.WARN, 1)]


def typed(person: int, update_id: int, text: str) -> Update:
    query = InlineQuery(str(update_id), User(person, "P", is_bot=False), text, offset="")
    return Update(update_id, inline_query=query)


async def test_inline_queries_are_served_without_a_chat_and_never_flood_checked() -> None:
    refused: list[int] = []

    async def refuse(update: Update, verdict: Verdict, seconds: int) -> None:
        refused.append(update.update_id)

    processor = PerChatUpdateProcessor(flood=FloodGuard(rate=1, burst=1), refuse=refuse)
    handled: list[int] = []

    async def handle(update_id: int) -> None:
        handled.append(update_id)

    for n in range(1, 6):  # one person typing five letters, each answered before the next
        await processor.process_update(typed(7, n, "graph"[:n]), handle(n))
    assert (handled, refused) == ([1, 2, 3, 4, 5], [])


async def test_a_persons_inline_query_still_waiting_when_they_type_on_is_dropped() -> None:
    """Three letters typed while the first query is searched: the first is answered, the
    middle one never starts, the newest is answered; another person is not held up."""
    processor = PerChatUpdateProcessor()
    events: list[str] = []
    first_started, first_may_finish = asyncio.Event(), asyncio.Event()

    async def handle(name: str) -> None:
        events.append(f"start {name}")
        if name == "g":
            first_started.set()
            await first_may_finish.wait()
        events.append(f"end {name}")

    first = asyncio.create_task(processor.process_update(typed(7, 1, "g"), handle("g")))
    await first_started.wait()
    middle = asyncio.create_task(processor.process_update(typed(7, 2, "gr"), handle("gr")))
    newest = asyncio.create_task(processor.process_update(typed(7, 3, "gra"), handle("gra")))
    await processor.process_update(typed(8, 4, "x"), handle("other person"))
    assert events == ["start g", "start other person", "end other person"]
    first_may_finish.set()
    await asyncio.gather(first, middle, newest)
    assert events[3:] == ["end g", "start gra", "end gra"]
