"""The library in SQLite: saves and ratings per person, group votes per member, each press one
idempotent write, and /forget."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.models import Digest, LibraryCounts, Paper, PaperMark
from storage.store import Store

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ALICE, BOB, LAB = 11, 22, -100500


def paper(n: int) -> Paper:
    return Paper(id=f"2603.{n:05d}", title=f"Paper {n}", category="cs.LG", categories=("cs.LG",))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "library.db")
    papers = tuple(paper(n) for n in range(1, 6))
    digest = Digest(date=dt.date(2026, 3, 2), papers=papers, warnings=(), layout="canonical")
    opened.ingest(digest, source="d.md", content_hash="h", now=NOW)
    yield opened
    opened.close()


def at(minutes: int) -> dt.datetime:
    return NOW + dt.timedelta(minutes=minutes)


def test_library_save_is_idempotent_and_unsave_removes_it(store: Store) -> None:
    store.set_saved(ALICE, "2603.00001", True, now=at(0))
    store.set_saved(ALICE, "2603.00001", True, now=at(1))
    assert store.mark(ALICE, "2603.00001") == PaperMark(saved=True)
    assert store.library_counts(ALICE) == LibraryCounts(saved=1)
    store.set_saved(ALICE, "2603.00001", False, now=at(2))
    store.set_saved(ALICE, "2603.00001", False, now=at(3))
    assert store.mark(ALICE, "2603.00001") == PaperMark()


def test_library_saved_papers_are_newest_first_with_the_total(store: Store) -> None:
    for minute, n in enumerate((3, 1, 4, 2)):
        store.set_saved(ALICE, f"2603.{n:05d}", True, now=at(minute))
    store.set_saved(ALICE, "2603.00003", True, now=at(9))  # saving again keeps its place
    first = store.saved_papers(ALICE, limit=3)
    assert [p.id for p in first.papers] == ["2603.00002", "2603.00004", "2603.00001"]
    assert (first.offset, first.total) == (0, 4)
    rest = store.saved_papers(ALICE, limit=3, offset=3)
    assert ([p.id for p in rest.papers], rest.total) == (["2603.00003"], 4)
    past_the_end = store.saved_papers(ALICE, limit=3, offset=9)
    assert (past_the_end.papers, past_the_end.total) == ((), 4)
    assert store.saved_papers(BOB, limit=3).total == 0


def test_library_rating_is_one_per_person_and_paper(store: Store) -> None:
    store.set_rating(ALICE, "2603.00001", 1, now=at(0))
    store.set_rating(ALICE, "2603.00001", 1, now=at(1))
    store.set_rating(ALICE, "2603.00002", -1, now=at(2))
    assert store.library_counts(ALICE) == LibraryCounts(liked=1, disliked=1)
    store.set_rating(ALICE, "2603.00001", -1, now=at(3))
    assert store.mark(ALICE, "2603.00001") == PaperMark(rating=-1)
    store.set_rating(ALICE, "2603.00001", 0, now=at(4))
    assert store.mark(ALICE, "2603.00001") == PaperMark()
    assert store.library_counts(BOB) == LibraryCounts()


def test_library_rating_in_a_group_is_also_one_vote_of_that_member(store: Store) -> None:
    store.set_rating(ALICE, "2603.00001", 1, now=at(0), group_id=LAB)
    store.set_rating(ALICE, "2603.00001", 1, now=at(1), group_id=LAB)
    store.set_rating(BOB, "2603.00001", 1, now=at(2), group_id=LAB)
    store.set_rating(BOB, "2603.00002", -1, now=at(3), group_id=LAB)
    assert store.group_votes(LAB) == {"2603.00001": 2, "2603.00002": -1}
    store.set_rating(BOB, "2603.00001", 0, now=at(4), group_id=LAB)
    assert store.group_votes(LAB) == {"2603.00001": 1, "2603.00002": -1}
    assert store.mark(BOB, "2603.00001") == PaperMark()


def test_library_rejects_a_rating_that_is_not_minus_one_zero_or_one(store: Store) -> None:
    with pytest.raises(ValueError, match="-1, 0 or 1"):
        store.set_rating(ALICE, "2603.00001", 5, now=at(0))
    assert store.library_counts(ALICE) == LibraryCounts()


def test_library_forget_deletes_only_that_persons_library(store: Store) -> None:
    store.set_saved(ALICE, "2603.00001", True, now=at(0))
    store.set_rating(ALICE, "2603.00002", 1, now=at(1), group_id=LAB)
    store.set_rating(BOB, "2603.00002", 1, now=at(2), group_id=LAB)
    store.set_saved(BOB, "2603.00003", True, now=at(3))
    assert store.forget_library(ALICE) == LibraryCounts(saved=1, liked=1)
    assert store.library_counts(ALICE) == LibraryCounts()
    assert store.group_votes(LAB) == {"2603.00002": 1}
    assert store.library_counts(BOB) == LibraryCounts(saved=1, liked=1)


def test_library_survives_the_paper_appearing_in_a_later_digest(store: Store) -> None:
    store.set_saved(ALICE, "2603.00001", True, now=at(0))
    store.set_rating(ALICE, "2603.00001", 1, now=at(0))
    later = Digest(date=dt.date(2026, 3, 3), papers=(paper(1),), warnings=(), layout="canonical")
    store.ingest(later, source="e.md", content_hash="h2", now=at(60))
    assert store.mark(ALICE, "2603.00001") == PaperMark(saved=True, rating=1)


def test_library_knows_who_has_a_private_chat_with_the_bot(store: Store) -> None:
    store.touch_chat(ALICE, kind="private", now=NOW)
    store.touch_chat(LAB, kind="supergroup", now=NOW)
    assert store.has_private_chat(ALICE)
    assert not store.has_private_chat(BOB)
