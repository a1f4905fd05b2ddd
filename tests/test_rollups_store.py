"""Weekly roll-ups in the delivery ledger, on real SQLite: gathered, moved, claimed, chosen,
skipped."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from olddb import database_at

from bot.delivery.scheduler import plan_due
from bot.models import Delivery, Digest, Paper, RollUp, Subscription
from storage.store import Store
from storage.transactions import write_transaction

CHAT = 5
MON, TUE, WED = dt.date(2026, 1, 5), dt.date(2026, 1, 6), dt.date(2026, 1, 7)
FRIDAY_9 = dt.datetime(2026, 1, 9, 9, 0, tzinfo=dt.UTC)
WEEKLY = Subscription(CHAT, active=True, keywords=("pruning",), weekly=True, weekday=4,
                      delivery_time=dt.time(9, 0))  # fmt: skip


def at(day: dt.date, hour: int = 2) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def paper(number: int, title: str) -> Paper:
    return Paper(f"2601.{number:05d}", title, category="cs.LG")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "rollups.db")
    yield opened
    opened.close()


def publish(store: Store, day: dt.date, *papers: Paper) -> int:
    """A digest fetched at 02:00 UTC on ``day`` and planned, as the running bot does."""
    digest = Digest(date=day, papers=list(papers))
    store.ingest(digest, source=day.isoformat(), content_hash=day.isoformat(), now=at(day),
                 deliver=True)  # fmt: skip
    return plan_due(store, default_timezone="UTC")


def test_a_weeks_digests_are_gathered_into_one_roll_up_due_at_the_slot(store: Store) -> None:
    store.save_subscription(WEEKLY)
    publish(store, MON, paper(1, "Pruning A"), paper(2, "Galaxies"))
    publish(store, TUE, paper(1, "Pruning A"), paper(3, "Pruning B"))  # Monday's paper again
    publish(store, WED, paper(4, "Pruning C"))
    assert store.due_deliveries(FRIDAY_9 - dt.timedelta(seconds=1)) == []
    (rollup,) = store.due_deliveries(FRIDAY_9)
    assert rollup == Delivery(
        rollup.id, CHAT, WED, (), FRIDAY_9, 0,
        RollUp(MON, ("2601.00001", "2601.00003", "2601.00004")),
    )  # fmt: skip
    assert store.next_delivery_at() == FRIDAY_9


def test_a_roll_up_already_due_is_not_added_to(store: Store) -> None:
    store.save_subscription(WEEKLY)
    with write_transaction(store.db):
        store.gather_for_rollup(CHAT, ("2601.00001",), day=MON, arrived=at(MON), due=FRIDAY_9)
        # The bot was down over Friday 09:00: a digest of Saturday starts next week's roll-up.
        later = FRIDAY_9 + dt.timedelta(days=7)
        saturday = dt.date(2026, 1, 10)
        store.gather_for_rollup(CHAT, ("2601.00002",), day=saturday, arrived=at(saturday),
                                due=later)  # fmt: skip
    due = store.due_deliveries(later)
    assert [(d.due_at, d.rollup) for d in due] == [
        (FRIDAY_9, RollUp(MON, ("2601.00001",))),
        (later, RollUp(saturday, ("2601.00002",))),
    ]


def test_an_empty_gathering_starts_a_roll_up_but_adds_nothing(store: Store) -> None:
    with write_transaction(store.db):
        store.gather_for_rollup(CHAT, (), day=MON, arrived=at(MON), due=FRIDAY_9)
        store.gather_for_rollup(CHAT, (), day=TUE, arrived=at(TUE), due=FRIDAY_9)
    (rollup,) = store.due_deliveries(FRIDAY_9)
    assert rollup.rollup == RollUp(MON, ())
    assert rollup.date == MON


def test_reschedule_moves_the_pending_roll_up_only(store: Store) -> None:
    store.save_subscription(WEEKLY)
    publish(store, MON, paper(1, "Pruning A"))
    daily = Subscription(CHAT + 1, active=True, delivery_time=dt.time(9, 0))
    store.save_subscription(daily)
    publish(store, TUE, paper(2, "Pruning B"))
    tuesday_9 = at(TUE, 9)
    moved = store.reschedule_rollups(CHAT, due=at(WED, 9), now=at(TUE, 12))
    assert moved == 1
    assert [(d.chat_id, d.due_at) for d in store.due_deliveries(at(WED, 9))] == [
        (CHAT + 1, tuesday_9),
        (CHAT, at(WED, 9)),
    ]
    assert store.reschedule_rollups(CHAT + 1, due=at(WED, 10), now=at(TUE, 12)) == 0
    # Once due, a roll-up goes out as it is: a change of settings then does not delay it.
    assert store.reschedule_rollups(CHAT, due=FRIDAY_9, now=at(WED, 9)) == 0
    assert store.due_deliveries(at(WED, 9))[-1].due_at == at(WED, 9)


def test_claim_takes_a_pending_delivery_once_and_reads_it_as_it_is_now(store: Store) -> None:
    store.save_subscription(WEEKLY)
    publish(store, MON, paper(1, "Pruning A"))
    (queued,) = store.due_deliveries(FRIDAY_9)
    publish(store, TUE, paper(2, "Pruning B"))  # after the worker read its queue
    claimed = store.claim(queued.id)
    assert claimed is not None
    assert claimed.rollup is not None
    assert claimed.rollup.candidates == ("2601.00001", "2601.00002")
    assert store.claim(queued.id) is None
    assert store.requeue_in_flight() == 1
    store.pause_deliveries(CHAT, "blocked")
    assert store.claim(queued.id) is None


def test_the_choice_is_kept_for_the_pages_and_every_candidate_counts_as_planned(
    store: Store,
) -> None:
    store.save_subscription(WEEKLY)
    publish(store, MON, paper(1, "Pruning A"), paper(2, "Pruning B"))
    (rollup,) = store.due_deliveries(FRIDAY_9)
    assert rollup.rollup is not None
    chosen = Delivery(rollup.id, CHAT, MON, ("2601.00002",), FRIDAY_9, 0,
                      RollUp(MON, rollup.rollup.candidates, matching=2))  # fmt: skip
    store.save_rollup_choice(chosen)
    assert store.delivery(rollup.id) == chosen
    stored = store.papers(["2601.00001", "2601.00002"])
    assert store.delivered_papers(stored) == {(CHAT, None): {"2601.00001", "2601.00002"}}
    with pytest.raises(ValueError, match="only a roll-up"):
        store.save_rollup_choice(Delivery(rollup.id, CHAT, MON, (), FRIDAY_9))


def test_a_skipped_roll_up_is_neither_due_nor_pending(store: Store) -> None:
    store.save_subscription(WEEKLY)
    publish(store, MON, paper(1, "Pruning A"))
    (rollup,) = store.due_deliveries(FRIDAY_9)
    store.skip_delivery(rollup.id)
    assert store.due_deliveries(FRIDAY_9) == []
    assert store.delivery_stats().pending == 0
    assert store.next_delivery_at() is None


def test_migration_7_makes_every_chat_daily_and_every_delivery_a_daily_one(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v6.db"
    database_at(path, 6)
    db = sqlite_utils.Database(path)
    db.execute("INSERT INTO chats (chat_id, active) VALUES (?, 1)", [CHAT])
    db.execute(
        "INSERT INTO deliveries (chat_id, date, papers, due_at, next_attempt)"
        " VALUES (?, '2026-01-05', '[\"2601.00001\"]', ?, ?)",
        [CHAT, "2026-01-05 02:00:00.000000", "2026-01-05 02:00:00.000000"],
    )
    db.close()
    store = Store.open(path)
    sub = store.subscription(CHAT)
    assert (sub.weekly, sub.weekday) == (False, 0)
    (delivery,) = store.due_deliveries(at(MON))
    assert (delivery.paper_ids, delivery.rollup) == (("2601.00001",), None)
    store.close()
