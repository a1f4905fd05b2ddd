"""Feed tokens and a feed's content on real SQLite: hashes only, one per chat and topic,
revocable, following a group that becomes a supergroup; matches of two weeks, ranked."""

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils
from olddb import database_at

from bot.models import Digest, Paper, Subscription
from storage.atom_feed import FeedMatches, feed_content
from storage.feed_tokens import TOKEN, feed_key, token_hash
from storage.store import Store

KEY = feed_key("123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ")
OTHER_KEY = feed_key("123456:ZYXWVUTSRQPONMLKJIHGFEDCBA")
READER, GROUP, SUPERGROUP, TOPIC = 501, -5001, -1005001, 7
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(tmp_path / "feeds.db")
    yield opened
    opened.close()


def test_a_chat_gets_the_same_token_until_it_resets(store: Store) -> None:
    token = store.feed_token(KEY, READER)
    assert TOKEN.fullmatch(token)
    assert store.feed_token(KEY, READER) == token
    assert store.feed_subscriber(token) == (READER, None)
    new = store.feed_token(KEY, READER, reset=True)
    assert new != token
    assert store.feed_subscriber(token) is None
    assert store.feed_subscriber(new) == (READER, None)
    assert store.feed_token(KEY, READER) == new


def test_only_a_hash_of_the_token_is_stored(store: Store, tmp_path: Path) -> None:
    token = store.feed_token(KEY, READER)
    ((stored_hash, nonce),) = store.db.execute("SELECT token_hash, nonce FROM feed_tokens")
    assert stored_hash == token_hash(token)
    files = b"".join(path.read_bytes() for path in tmp_path.glob("feeds.db*"))
    assert stored_hash.encode() in files
    assert token.encode() not in files
    assert token not in nonce


def test_each_topic_and_the_chat_itself_have_their_own_token(store: Store) -> None:
    general = store.feed_token(KEY, GROUP)
    topic = store.feed_token(KEY, GROUP, thread_id=TOPIC)
    assert general != topic
    assert store.feed_subscriber(topic) == (GROUP, TOPIC)
    assert store.has_feed(GROUP, thread_id=TOPIC)
    assert not store.has_feed(GROUP, thread_id=TOPIC + 1)


@pytest.mark.parametrize(
    "token", ["", "short", "A" * 23, "AAAAAAAAAAAAAAAAAAAA.=", "../../../../etc/passwd", "A" * 22]
)
def test_text_that_is_no_known_token_opens_nothing(store: Store, token: str) -> None:
    store.feed_token(KEY, READER)
    assert store.feed_subscriber(token) is None


def test_a_new_bot_token_gives_a_new_feed_token_at_the_next_feed(store: Store) -> None:
    old = store.feed_token(KEY, READER)
    new = store.feed_token(OTHER_KEY, READER)
    assert new != old
    assert store.feed_subscriber(old) is None
    assert store.feed_token(OTHER_KEY, READER) == new


def test_feed_tokens_follow_a_group_that_becomes_a_supergroup(store: Store) -> None:
    general = store.feed_token(KEY, GROUP)
    topic = store.feed_token(KEY, GROUP, thread_id=TOPIC)
    store.feed_token(KEY, SUPERGROUP)  # made before the bot heard of the move: gives way
    store.migrate_chat(GROUP, SUPERGROUP)
    assert store.feed_subscriber(general) == (SUPERGROUP, None)
    assert store.feed_subscriber(topic) == (SUPERGROUP, TOPIC)
    assert store.feed_token(KEY, SUPERGROUP) == general


def test_migration_14_adds_feed_tokens_and_keeps_every_chat(tmp_path: Path) -> None:
    path = tmp_path / "v13.db"
    database_at(path, 13)
    db = sqlite_utils.Database(path)
    db.execute("INSERT INTO chats (chat_id, active, keywords) VALUES (?, 1, '[\"rl\"]')", [READER])
    db.close()
    store = Store.open(path)
    assert store.subscription(READER).keywords == ("rl",)
    assert not store.has_feed(READER)
    token = store.feed_token(KEY, READER)
    assert store.feed_subscriber(token) == (READER, None)
    store.close()


def paper(number: int, title: str, abstract: str) -> Paper:
    return Paper(f"2603.{number:05d}", title, abstract=abstract, category="cs.LG", tldr=abstract)


MARCH_1 = (
    paper(1, "Pruning graph neural networks", "We prune graph neural networks."),
    paper(2, "Sparse graph neural networks", "Sparse graph networks train fast."),
    paper(3, "Weak lensing of galaxy clusters", "Galaxy clusters weigh lensing."),
    paper(4, "Dark matter halos", "Halos of dark matter galaxy clusters."),
)
MARCH_2 = (
    paper(11, "Graph neural networks for molecules", "Graph neural networks on atoms."),
    paper(12, "Strong lensing of galaxy clusters", "Strong lensing by clusters."),
    paper(13, "A survey of graph networks", "We survey graph networks."),
)


def publish(store: Store, date: dt.date, papers: tuple[Paper, ...], content: str = "") -> None:
    store.ingest(Digest(date=date, papers=papers), source=f"{date}.md",
                 content_hash=f"{date}{content}", now=NOW)  # fmt: skip


def ids(store: Store, token: str, matches: FeedMatches) -> list[str]:
    content = feed_content(store, token, matches=matches)
    assert content is not None
    return [item.paper.id for item in content.items]


@pytest.fixture
def two_days(store: Store) -> Store:
    publish(store, dt.date(2026, 3, 1), MARCH_1)
    publish(store, dt.date(2026, 3, 2), MARCH_2)
    return store


def test_feed_content_is_the_matches_newest_digest_first(two_days: Store) -> None:
    sub = Subscription(READER, active=True, keywords=("graph", "lensing"), excludes=("survey",))
    two_days.save_subscription(sub)
    token = two_days.feed_token(KEY, READER)
    content = feed_content(two_days, token, matches=FeedMatches())
    assert content is not None
    assert content.sub == two_days.subscription(READER)
    assert content.newest == dt.date(2026, 3, 2)
    assert [(i.paper.id, i.date.day) for i in content.items] == [
        ("2603.00011", 2), ("2603.00012", 2), ("2603.00001", 1), ("2603.00002", 1),
        ("2603.00003", 1),
    ]  # fmt: skip
    assert feed_content(two_days, "A" * 22, matches=FeedMatches()) is None


def test_feed_content_follows_the_chats_model_unless_ranking_is_off(two_days: Store) -> None:
    two_days.save_subscription(Subscription(READER, active=True))
    two_days.set_rating(READER, "2603.00003", 1, now=NOW)
    two_days.set_rating(READER, "2603.00001", -1, now=NOW)
    assert two_days.refresh_models() == 1
    token, matches = two_days.feed_token(KEY, READER), FeedMatches()
    ranked = ids(two_days, token, matches)
    assert ranked[0] == "2603.00012"  # like the lensing paper it rated 👍
    assert sorted(ranked[:3]) == ["2603.00011", "2603.00012", "2603.00013"]
    two_days.save_subscription(Subscription(READER, active=True, ranking=False))
    assert ids(two_days, token, matches)[:3] == ["2603.00011", "2603.00012", "2603.00013"]


def test_a_digest_published_again_with_new_text_changes_the_feed(two_days: Store) -> None:
    two_days.save_subscription(Subscription(READER, active=True, keywords=("molecules",)))
    token, matches = two_days.feed_token(KEY, READER), FeedMatches()
    assert ids(two_days, token, matches) == ["2603.00011"]
    rerun = (*MARCH_2, paper(14, "Molecules as graphs", "Molecules."))
    publish(two_days, dt.date(2026, 3, 2), rerun, content="rerun")
    assert ids(two_days, token, matches) == ["2603.00011", "2603.00014"]


def test_the_feed_window_leaves_out_digests_older_than_two_weeks(two_days: Store) -> None:
    two_days.save_subscription(Subscription(READER, active=True, keywords=("graph",)))
    token, matches = two_days.feed_token(KEY, READER), FeedMatches()
    publish(two_days, dt.date(2026, 3, 15), (paper(21, "Graph pruning", "Graphs."),))
    assert ids(two_days, token, matches) == ["2603.00021", "2603.00011", "2603.00013"]
