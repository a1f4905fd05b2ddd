"""Forum topics in the store, on real SQLite: a subscription and a ledger per (chat, topic)."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from olddb import database_at

from bot.delivery.scheduler import plan_due
from bot.models import Digest, Paper, Subscription
from storage.store import Store

GROUP, SUPERGROUP, RL, SYSTEMS = -5001, -1005001, 7, 9
MON, TUE = dt.date(2026, 1, 5), dt.date(2026, 1, 6)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "topics.db")
    yield opened
    opened.close()


def at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(2), tzinfo=dt.UTC)


def publish(store: Store, day: dt.date, *titles: str) -> int:
    papers = [Paper(f"2601.{n:05d}", t, category="cs.LG") for n, t in enumerate(titles, 1)]
    store.ingest(Digest(date=day, papers=papers), source=day.isoformat(),
                 content_hash=day.isoformat(), now=at(day), deliver=True)  # fmt: skip
    return plan_due(store, default_timezone="UTC")


def topic(chat_id: int, thread_id: int | None, *keywords: str) -> Subscription:
    return Subscription(chat_id, active=True, keywords=keywords, thread_id=thread_id)


def test_migration_10_keeps_every_chat_and_delivery_as_the_chats_own(tmp_path: Path) -> None:
    path = tmp_path / "v9.db"
    database_at(path, 9)
    db = sqlite_utils.Database(path)
    db.execute("INSERT INTO chats (chat_id, active, keywords) VALUES (?, 1, '[\"rl\"]')", [GROUP])
    db.execute(
        "INSERT INTO deliveries (chat_id, date, papers, due_at, next_attempt)"
        " VALUES (?, '2026-01-05', '[\"2601.00001\"]', ?, ?)",
        [GROUP, "2026-01-05 02:00:00.000000", "2026-01-05 02:00:00.000000"],
    )
    db.close()
    store = Store.open(path)
    assert store.active_subscriptions() == [topic(GROUP, None, "rl")]
    (delivery,) = store.due_deliveries(at(MON))
    assert (delivery.chat_id, delivery.thread_id) == (GROUP, None)
    store.save_subscription(topic(GROUP, RL, "pruning"))
    assert store.subscription(GROUP).keywords == ("rl",)
    assert store.subscription(GROUP, thread_id=RL).keywords == ("pruning",)
    store.close()


def test_topics_of_one_group_each_get_their_papers_once(store: Store) -> None:
    store.save_subscription(topic(SUPERGROUP, RL, "reinforcement"))
    store.save_subscription(topic(SUPERGROUP, SYSTEMS, "reinforcement", "scheduler"))
    assert publish(store, MON, "Reinforcement learning", "A scheduler") == 2
    papers = store.papers_in_digest(MON)
    assert store.delivered_papers(papers) == {
        (SUPERGROUP, RL): {"2601.00001"},
        (SUPERGROUP, SYSTEMS): {"2601.00001", "2601.00002"},
    }
    assert publish(store, TUE, "Reinforcement learning", "A scheduler") == 0
    assert {(d.thread_id, d.paper_ids) for d in store.due_deliveries(at(TUE))} == {
        (RL, ("2601.00001",)),
        (SYSTEMS, ("2601.00001", "2601.00002")),
    }


def test_a_paused_topic_alone_stops_and_is_paused_once(store: Store) -> None:
    store.save_subscription(topic(SUPERGROUP, RL, "reinforcement"))
    store.save_subscription(topic(SUPERGROUP, None, "reinforcement"))
    publish(store, MON, "Reinforcement learning")
    assert store.pause_topic(SUPERGROUP, RL, "Topic_closed")
    assert not store.pause_topic(SUPERGROUP, RL, "Topic_closed")
    assert [d.thread_id for d in store.due_deliveries(at(MON))] == [None]
    assert [s.thread_id for s in store.active_subscriptions()] == [None]
    assert store.subscription(SUPERGROUP, thread_id=RL).keywords == ("reinforcement",)
    assert store.resume_chat(SUPERGROUP, now=at(MON)) == 0  # the chat's own resume: not the topic
    assert store.resume_chat(SUPERGROUP, thread_id=RL, now=at(MON)) == 1
    assert len(store.active_subscriptions()) == 2


def test_a_blocked_chat_holds_its_topics_too(store: Store) -> None:
    store.save_subscription(topic(SUPERGROUP, RL, "reinforcement"))
    publish(store, MON, "Reinforcement learning")
    store.pause_deliveries(SUPERGROUP, "Forbidden: bot was kicked from the supergroup chat")
    assert store.due_deliveries(at(MON)) == []
    assert store.active_subscriptions() == []
    assert store.resume_chat(SUPERGROUP, now=at(MON)) == 1
    assert [s.thread_id for s in store.active_subscriptions()] == [RL]


def test_migrate_chat_carries_topics_and_their_ledger_and_keeps_the_supergroups_own(
    store: Store,
) -> None:
    store.save_subscription(topic(GROUP, None, "reinforcement"))
    store.save_subscription(topic(GROUP, RL, "reinforcement"))
    store.save_subscription(topic(SUPERGROUP, None, "galaxy"))
    store.save_subscription(topic(SUPERGROUP, SYSTEMS, "scheduler"))
    publish(store, MON, "Reinforcement learning")
    store.migrate_chat(GROUP, SUPERGROUP)
    assert {(s.thread_id, s.keywords) for s in store.active_subscriptions()} == {
        (None, ("reinforcement",)),
        (RL, ("reinforcement",)),
        (SYSTEMS, ("scheduler",)),
    }
    assert set(store.delivered_papers(store.papers_in_digest(MON))) == {
        (SUPERGROUP, None),
        (SUPERGROUP, RL),
    }
