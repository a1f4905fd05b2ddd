"""PerChatUpdateProcessor: one chat's updates in order, chats concurrently, replies pipelined."""

import asyncio
import datetime as dt

from telegram import Chat, Message, Update

from bot.app import PerChatUpdateProcessor


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
