"""ReadPool: reads in worker threads on their own connections, seeing what the writer commits."""

import asyncio
import datetime as dt
import sqlite3
import threading
from pathlib import Path

import pytest
from botharness import BotHarness, seed
from conftest import TEST_DIGESTS

from bot.rules.query import parse_query
from storage.readers import ReadPool
from storage.store import Store


async def test_reads_run_in_worker_threads_on_their_own_connections(db_path: Path) -> None:
    pool = ReadPool(db_path)
    try:
        found = await pool.run(lambda store: (threading.current_thread().name, store.stats()))
    finally:
        pool.close()
    name, stats = found
    assert name.startswith("store-read")
    assert stats == Store.open(db_path).stats()


async def test_two_reads_run_at_the_same_time(db_path: Path) -> None:
    both_inside = threading.Barrier(2, timeout=10)
    pool = ReadPool(db_path, threads=2)

    def read(store: Store) -> int:
        both_inside.wait()  # raises BrokenBarrierError unless the other read runs meanwhile
        return store.stats().papers

    try:
        first, second = await asyncio.gather(pool.run(read), pool.run(read))
    finally:
        pool.close()
    assert first == second > 0


async def test_readers_see_what_the_writer_commits_later(db_path: Path) -> None:
    pool = ReadPool(db_path, threads=1)
    query = parse_query("lanterns")
    try:
        before = await pool.run(lambda store: store.search(query))
        seed(db_path, TEST_DIGESTS / "2025-03-18.md")
        after = await pool.run(lambda store: store.search(query))
    finally:
        pool.close()
    assert before.hits == ()
    assert [hit.paper.id for hit in after.hits] == ["2503.80001"]


async def test_a_reader_cannot_write(db_path: Path) -> None:
    pool = ReadPool(db_path)
    try:
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            await pool.run(lambda store: store.db.execute("DELETE FROM papers"))
    finally:
        pool.close()
    assert Store.open(db_path).stats().papers > 0


def main_file(db_path: Path) -> bytes:
    return db_path.read_bytes()


async def test_a_checkpoint_copies_what_a_store_without_autocheckpoint_wrote(
    db_path: Path,
) -> None:
    writer = Store.open(db_path, autocheckpoint=False)
    pool = ReadPool(db_path)
    try:
        before = main_file(db_path)
        for chat_id in range(1, 400):
            writer.touch_chat(chat_id, kind="private", now=dt.datetime(2026, 2, 10, tzinfo=dt.UTC))
        written = main_file(db_path)
        frames, copied = await pool.run(lambda store: store.checkpoint())
    finally:
        pool.close()
        writer.close()
    assert written == before  # every commit stayed in the write-ahead log
    assert frames == copied > 0
    assert main_file(db_path) != before


async def test_the_bot_checkpoints_in_a_reader_thread_not_on_its_event_loop(
    bot: BotHarness, db_path: Path
) -> None:
    assert bot.store.db.execute("PRAGMA wal_autocheckpoint").fetchone() == (0,)
    before = main_file(db_path)
    await bot.ask(5, "/help")
    assert main_file(db_path) == before
    assert bot.app.job_queue is not None
    (job,) = bot.app.job_queue.get_jobs_by_name("checkpoint")
    await job.run(bot.app)
    assert main_file(db_path) != before
