"""An event loop on virtual time, for tests that assert when things happen.

``loop.time()`` starts at 0.0 and moves only when nothing is ready to run: then it jumps to the
next timer at once instead of sleeping. So ``await asyncio.sleep(0.8)`` takes 0.8 s of virtual
time and no real time, and a test asserts the exact instants its code saw, which neither a busy
machine nor a slow one can shift. A loop with nothing ready and no timer can never wake again
(in these tests nothing comes from outside): it raises ``Deadlock`` instead of hanging.

Only for code that does no real I/O: while waiting for a socket or a thread, time would jump.
``@virtual_time`` runs an ``async def`` test on a fresh such loop.
"""

from __future__ import annotations

import asyncio
import functools
import selectors
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec

P = ParamSpec("P")


class Deadlock(RuntimeError):
    """Every task waits, and no timer is set that could wake one."""


class _JumpingSelector(selectors.DefaultSelector):
    """Never blocks: where the loop would wait ``timeout`` seconds, it moves the clock instead."""

    def __init__(self) -> None:
        super().__init__()
        self.now = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = super().select(0)
        if ready or timeout == 0:
            return ready
        if timeout is None:
            raise Deadlock("nothing is ready to run and no timer is set: every task waits forever")
        self.now += timeout
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """A selector event loop whose ``time()`` is virtual (see the module's docstring)."""

    def __init__(self) -> None:
        self._jumping = _JumpingSelector()
        super().__init__(self._jumping)

    def time(self) -> float:
        return self._jumping.now

    def run_in_executor(self, executor: Any, func: Callable[..., Any], *args: Any) -> Any:
        raise RuntimeError("a thread's work takes real time, which the virtual clock cannot see")


def virtual_time(test: Callable[P, Coroutine[Any, Any, None]]) -> Callable[P, None]:
    """Run the ``async def`` test on a fresh ``VirtualTimeLoop`` (fixtures as usual)."""

    @functools.wraps(test)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
            runner.run(test(*args, **kwargs))

    return run
