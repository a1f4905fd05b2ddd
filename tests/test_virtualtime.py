"""The virtual-time event loop the timing tests run on: time moves only to the next timer."""

import asyncio

import pytest
from virtualtime import Deadlock, virtual_time


@virtual_time
async def test_virtualtime_starts_at_zero_and_a_sleep_moves_it_exactly() -> None:
    loop = asyncio.get_running_loop()
    assert loop.time() == 0.0
    await asyncio.sleep(0.8)
    await asyncio.sleep(3600)
    assert loop.time() == 3600.8


@virtual_time
async def test_virtualtime_timers_fire_in_order_at_their_instants() -> None:
    loop = asyncio.get_running_loop()
    fired: list[tuple[str, float]] = []

    async def after(name: str, seconds: float) -> None:
        await asyncio.sleep(seconds)
        fired.append((name, loop.time()))

    await asyncio.gather(after("late", 2.5), after("early", 0.5), after("middle", 1.0))
    assert fired == [("early", 0.5), ("middle", 1.0), ("late", 2.5)]


@virtual_time
async def test_virtualtime_ready_callbacks_run_before_time_moves() -> None:
    loop = asyncio.get_running_loop()
    seen: list[float] = []
    loop.call_soon(lambda: seen.append(loop.time()))
    await asyncio.sleep(1.0)
    assert seen == [0.0]


@virtual_time
async def test_virtualtime_wait_for_times_out_at_its_deadline() -> None:
    loop = asyncio.get_running_loop()
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(asyncio.Event().wait(), timeout=5)
    assert loop.time() == 5.0


def test_virtualtime_a_task_waiting_for_what_cannot_happen_is_a_deadlock() -> None:
    @virtual_time
    async def stuck() -> None:
        await asyncio.Event().wait()

    with pytest.raises(Deadlock, match="no timer is set"):
        stuck()


@virtual_time
async def test_virtualtime_refuses_threads() -> None:
    with pytest.raises(RuntimeError, match="real time"):
        await asyncio.to_thread(print)
