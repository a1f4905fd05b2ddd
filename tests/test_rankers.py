"""Store's ranking models on a real SQLite file: trained from ratings, saves and group votes,
kept across a reopen, retrained only when the feedback changed."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.models import Digest, FeedbackCounts, Paper
from bot.ranking import model
from storage.store import Store

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
ALICE = 501
GROUP = -1001


def paper(paper_id: str, title: str, abstract: str) -> Paper:
    return Paper(id=paper_id, title=title, abstract=abstract, category="cs.LG")


DAY_1 = (
    paper("2603.00001", "Pruning graph neural networks", "We prune graph neural networks."),
    paper("2603.00002", "Sparse graph neural networks", "Sparse graph networks train fast."),
    paper("2603.00003", "Weak lensing of galaxy clusters", "Galaxy clusters weigh lensing."),
    paper("2603.00004", "Dark matter halos", "Halos of dark matter galaxy clusters."),
    paper("2603.00005", "Robot grasping", "Robots grasp cups with suction."),
)
DAY_2 = (
    paper("2603.00011", "Graph neural networks for molecules", "Graph neural networks on atoms."),
    paper("2603.00012", "Strong lensing of galaxy clusters", "Strong lensing by clusters."),
    paper("2603.00013", "Walking robots", "Legged robots walk on sand."),
)


def store_at(path: Path) -> Store:
    store = Store.open(path)
    for n, papers in enumerate((DAY_1, DAY_2)):
        date = dt.date(2026, 3, 1) + dt.timedelta(days=n)
        store.ingest(Digest(date=date, papers=papers), source=f"{date}.md",
                     content_hash=str(date), now=NOW)  # fmt: skip
    return store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = store_at(tmp_path / "rank.db")
    yield store
    store.close()


def rate(
    store: Store, *ratings: tuple[str, int], group: int | None = None, user: int = ALICE
) -> None:
    for paper_id, rating in ratings:
        store.set_rating(user, paper_id, rating, now=NOW, group_id=group)


def test_rankings_put_an_unseen_paper_on_the_liked_subject_first(store: Store) -> None:
    rate(store, ("2603.00001", 1), ("2603.00003", -1))
    assert store.refresh_models() == 1
    ranking = store.rankings([ALICE], DAY_2)[ALICE]
    assert sorted(ranking.scores) == ["2603.00011", "2603.00012", "2603.00013"]
    assert max(ranking.scores, key=ranking.scores.__getitem__) == "2603.00011"
    assert ranking.like["2603.00011"] == "Pruning graph neural networks"


def test_saved_papers_count_as_liked(store: Store) -> None:
    store.set_saved(ALICE, "2603.00003", True, now=NOW)
    rate(store, ("2603.00001", -1))
    store.refresh_models()
    scores = store.rankings([ALICE], DAY_2)[ALICE].scores
    assert scores["2603.00012"] > scores["2603.00011"]


def test_refresh_trains_nothing_when_nothing_changed(store: Store) -> None:
    rate(store, ("2603.00001", 1))
    assert store.refresh_models() == 1
    assert store.refresh_models() == 0
    rate(store, ("2603.00002", 1))
    assert store.refresh_models() == 1


def test_a_model_trained_another_way_is_trained_again_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rate(store, ("2603.00001", 1), ("2603.00003", -1))
    assert store.refresh_models() == 1
    monkeypatch.setattr(model, "TRAINING", model.TRAINING + 1)  # an upgrade that trains otherwise
    assert store.refresh_models() == 1
    assert store.refresh_models() == 0
    assert sorted(store.rankings([ALICE], DAY_2)[ALICE].scores) == [p.id for p in DAY_2]


def test_refresh_trains_only_the_chats_asked_for(store: Store) -> None:
    rate(store, ("2603.00001", 1))
    rate(store, ("2603.00003", 1), user=502)
    assert store.refresh_models(chat_ids=[502]) == 1
    assert sorted(store.rankings([ALICE, 502], DAY_2)) == [502]


def test_a_model_survives_a_reopen_without_retraining(tmp_path: Path) -> None:
    store = store_at(tmp_path / "rank.db")
    rate(store, ("2603.00001", 1), ("2603.00003", -1))
    store.refresh_models()
    before = dict(store.rankings([ALICE], DAY_2)[ALICE].scores)
    store.close()
    store = Store.open(tmp_path / "rank.db")
    assert store.refresh_models() == 0
    assert dict(store.rankings([ALICE], DAY_2)[ALICE].scores) == before
    store.close()


def test_group_votes_train_the_groups_model(store: Store) -> None:
    rate(store, ("2603.00005", 1), group=GROUP)
    rate(store, ("2603.00005", 1), ("2603.00003", -1), group=GROUP, user=502)
    assert store.feedback_counts(GROUP) == FeedbackCounts(liked=1, disliked=1, saved=0)
    store.refresh_models(chat_ids=[GROUP])
    scores = store.rankings([GROUP], DAY_2)[GROUP].scores
    assert max(scores, key=scores.__getitem__) == "2603.00013"


def test_feedback_counts_of_a_person(store: Store) -> None:
    rate(store, ("2603.00001", 1), ("2603.00002", 1), ("2603.00003", -1))
    store.set_saved(ALICE, "2603.00004", True, now=NOW)
    counts = store.feedback_counts(ALICE)
    assert counts == FeedbackCounts(liked=2, disliked=1, saved=1)
    assert counts.total == 4


def test_only_dislikes_make_a_model_that_puts_the_disliked_subject_last(store: Store) -> None:
    rate(store, ("2603.00003", -1), ("2603.00004", -1))
    assert store.refresh_models() == 1
    ranking = store.rankings([ALICE], DAY_2)[ALICE]
    assert min(ranking.scores, key=ranking.scores.__getitem__) == "2603.00012"
    assert dict(ranking.like) == {}
    assert store.refresh_models() == 0


def test_dislikes_of_every_paper_of_their_days_make_no_model(store: Store) -> None:
    rate(store, *((p.id, -1) for p in DAY_1))
    assert store.refresh_models() == 0
    assert store.rankings([ALICE], DAY_2) == {}
    rate(store, ("2603.00001", 1))
    assert store.refresh_models() == 1


def test_forgetting_drops_the_model(store: Store) -> None:
    rate(store, ("2603.00001", 1))
    store.refresh_models()
    store.drop_model(ALICE)
    assert store.rankings([ALICE], DAY_2) == {}
    store.forget_library(ALICE)
    assert store.refresh_models() == 0
    assert store.rankings([ALICE], DAY_2) == {}


def test_a_chat_whose_feedback_is_gone_loses_its_model(store: Store) -> None:
    rate(store, ("2603.00001", 1))
    store.refresh_models()
    rate(store, ("2603.00001", 0))
    assert store.refresh_models() == 0
    assert store.rankings([ALICE], DAY_2) == {}


def test_features_are_refitted_when_the_papers_grow_and_models_retrained(store: Store) -> None:
    rate(store, ("2603.00001", 1))
    store.refresh_models()
    more = tuple(paper(f"2603.001{n:02}", f"Quantum walk {n}", "Quantum walks.") for n in range(3))
    store.ingest(Digest(date=dt.date(2026, 3, 3), papers=more), source="3.md",
                 content_hash="3", now=NOW)  # fmt: skip
    assert store.refresh_models() == 1
    assert set(store.rankings([ALICE], more)[ALICE].scores) == {p.id for p in more}
    assert store.refresh_models() == 0


def test_rankings_without_any_model_or_papers_are_empty(store: Store) -> None:
    assert store.rankings([ALICE], DAY_2) == {}
    rate(store, ("2603.00001", 1))
    store.refresh_models()
    assert store.rankings([ALICE], []) == {}


def test_rows_are_stored_once_and_read_back_after_a_reopen(tmp_path: Path) -> None:
    store = store_at(tmp_path / "rank.db")
    rate(store, ("2603.00001", 1), ("2603.00003", -1))
    store.refresh_models()
    scores = dict(store.rankings([ALICE], DAY_2)[ALICE].scores)
    stored = store.db.execute("SELECT paper_id, indices, data FROM rank_rows").fetchall()
    assert {row[0] for row in stored} >= {"2603.00001", "2603.00003", "2603.00011"}
    store.close()
    store = Store.open(tmp_path / "rank.db")
    # A row read back is the row computed: tamper with one and the scores follow it.
    store.db.execute("UPDATE rank_rows SET data = zeroblob(length(data)) WHERE paper_id = ?",
                     ["2603.00011"])  # fmt: skip
    again = store.rankings([ALICE], DAY_2)[ALICE].scores
    assert again["2603.00011"] != scores["2603.00011"]
    assert again["2603.00012"] == pytest.approx(scores["2603.00012"])
    assert store.db.execute("SELECT count(*) FROM rank_rows").fetchone()[0] == len(stored)
    store.close()


def test_a_paper_whose_text_changed_gets_a_new_row(store: Store) -> None:
    rate(store, ("2603.00001", 1), ("2603.00003", -1))
    store.refresh_models()
    store.rankings([ALICE], DAY_2)
    key = "SELECT text_key FROM rank_rows WHERE paper_id = '2603.00011'"
    before = store.db.execute(key).fetchone()
    changed = Paper("2603.00011", "Graph neural networks for molecules", tldr="A new TL;DR.")
    store.ingest(Digest(date=dt.date(2026, 3, 3), papers=(changed,)), source="3.md",
                 content_hash="3", now=NOW)  # fmt: skip
    store.rankings([ALICE], store.papers(["2603.00011"]))
    assert store.db.execute(key).fetchone() != before
