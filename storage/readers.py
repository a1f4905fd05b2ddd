"""Searches and other heavy reads in worker threads, each with its own SQLite connection.

SQLite does its work without Python's global lock, so a search run here leaves the event loop
free to send other replies, and two run at once on two cores. Reads are queued in the order they
were asked for, so in a burst the first question asked is the first answered.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from storage.store import Store

T = TypeVar("T")


class ReadPool:
    """``threads`` worker threads, each with a read-only ``Store`` on ``path`` once first used."""

    def __init__(self, path: str | Path, *, threads: int = 2) -> None:
        self._path = path
        self._executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="store-read")
        self._local = threading.local()
        self._stores: list[Store] = []
        self._lock = threading.Lock()

    async def run(self, read: Callable[[Store], T]) -> T:
        """``read(store)`` in a worker thread, awaited without blocking the event loop."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._call, read)

    def _call(self, read: Callable[[Store], T]) -> T:
        store: Store | None = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = Store.open_reader(self._path)
            with self._lock:
                self._stores.append(store)
        return read(store)

    def close(self) -> None:
        """Wait for the reads under way, then close every connection."""
        self._executor.shutdown(wait=True)
        with self._lock:
            for store in self._stores:
                store.close()
            self._stores.clear()
