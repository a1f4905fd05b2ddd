"""``digestbot -v run`` as a real process for end-to-end tests, its log read as it is written."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import sys
from collections.abc import AsyncIterator

from test_run_process import PATIENCE

LISTENING = re.compile(r"HTTP server listening on 127\.0\.0\.1:(\d+)")


class BotProcess:
    """``digestbot -v run``, its log read as it is written."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process = process
        self.lines: list[str] = []
        self._grew = asyncio.Event()
        self._reader = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        assert self.process.stderr is not None
        async for line in self.process.stderr:
            self.lines.append(line.decode(errors="replace"))
            self._grew.set()
        self._grew.set()

    @property
    def log(self) -> str:
        return "".join(self.lines)

    async def line(self, pattern: re.Pattern[str]) -> re.Match[str]:
        """The first log line matching ``pattern``, once it is written."""
        scanned = 0
        async with asyncio.timeout(PATIENCE):
            while True:
                for line in self.lines[scanned:]:
                    if found := pattern.search(line):
                        return found
                scanned = len(self.lines)
                assert not self._reader.done(), f"the bot ended:\n{self.log}"
                self._grew.clear()
                await self._grew.wait()

    async def port(self) -> int:
        return int((await self.line(LISTENING))[1])

    async def stop(self) -> int:
        """SIGTERM, and the exit status once the process and its log have ended."""
        self.process.send_signal(signal.SIGTERM)
        return await self.ended()

    async def ended(self) -> int:
        async with asyncio.timeout(PATIENCE):
            await self._reader
            return await self.process.wait()


@contextlib.asynccontextmanager
async def digestbot(env: dict[str, str]) -> AsyncIterator[BotProcess]:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "-v", "run", env=env, stderr=asyncio.subprocess.PIPE
    )
    bot = BotProcess(process)
    try:
        yield bot
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
        await bot._reader
