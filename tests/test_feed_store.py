"""Suggestions in the delivery ledger: kept with their delivery, never planned twice."""

import datetime as dt
from pathlib import Path

from bot.models import Digest, Paper
from bot.rules.planning import PlannedDelivery
from storage.store import Store

NOW = dt.datetime(2026, 1, 9, 2, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 1, 9)
PAPERS = tuple(Paper(f"2601.{n:05d}", f"Paper {n}", category="cs.LG") for n in range(1, 5))


def queued(store: Store, content: str = "a") -> None:
    digest = Digest(date=DAY, papers=PAPERS)
    store.ingest(digest, source="test", content_hash=content, now=NOW, deliver=True)


def test_suggestions_are_kept_and_count_as_delivered(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bot.db")
    queued(store)
    (digest,) = store.digests_to_plan()
    plan = PlannedDelivery(7, ("2601.00001",), NOW, suggested=("2601.00003",))
    assert store.save_plan(digest, [plan]) == 1
    (delivery,) = store.due_deliveries(NOW)
    assert delivery.paper_ids == ("2601.00001",)
    assert delivery.suggested == ("2601.00003",)
    assert store.delivery(delivery.id) == delivery
    assert store.delivered_papers(store.papers_in_digest(DAY)) == {
        (7, None): {"2601.00001", "2601.00003"}
    }


def test_a_second_digest_of_the_day_adds_its_suggestions_once(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bot.db")
    queued(store, "a")
    (first,) = store.digests_to_plan()
    store.save_plan(first, [PlannedDelivery(7, ("2601.00001",), NOW, ("2601.00003",))])
    queued(store, "b")
    (second,) = store.digests_to_plan()
    store.save_plan(
        second, [PlannedDelivery(7, ("2601.00002",), NOW, ("2601.00003", "2601.00004"))]
    )
    (delivery,) = store.due_deliveries(NOW)
    assert delivery.paper_ids == ("2601.00001", "2601.00002")
    assert delivery.suggested == ("2601.00003", "2601.00004")


def test_a_delivery_without_suggestions_reads_back_empty(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "bot.db")
    queued(store)
    (digest,) = store.digests_to_plan()
    store.save_plan(digest, [PlannedDelivery(7, ("2601.00001",), NOW)])
    (delivery,) = store.due_deliveries(NOW)
    assert delivery.suggested == ()
    assert store.db.execute("SELECT suggested FROM deliveries").fetchone() == (None,)
