"""What a feed token's Atom feed holds, read from the store (``bot.rules.atom`` decides).

Matching two weeks of papers is dear: indexing a digest of 270 papers for matching takes some
0.15 s and 8 MB, two weeks of them 2.2 s and 110 MB, while matching one more subscription
against an index costs a few integer operations. Feed readers poll every feed every so often,
and most polls find nothing new. So ``FeedMatches`` remembers, per set of filters and per digest
as it is now, which papers match (their ids), and when it must index a digest it matches the
filters of every feed at once and lets the index go: after a new digest (or a restart) the first
poll of any feed pays for indexing, and every other feed's poll finds its matches known. Walking
the digests newest first, a feed stops once it has ``FEED_LIMIT`` papers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from bot.models import Subscription
from bot.rules.atom import FEED_LIMIT, FeedItem, feed_items, feed_window
from bot.rules.matching import DigestIndex, MatchedPaper, compile_subscription
from storage.chats import thread_value
from storage.store import Store

_Version = tuple[int, int | None]
"""A digest's papers and its newest stored file: either changes when its content does."""
_Filters = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class FeedContent:
    """A feed's subscription, its entries in order, and the newest digest it covers."""

    sub: Subscription
    items: tuple[FeedItem, ...]
    newest: dt.date | None


class FeedMatches:
    """Which papers of each digest each feed's filters match, remembered while the digest stays
    as it is. Used by one thread at a time (the feeds' worker thread)."""

    def __init__(self) -> None:
        self._matched: dict[tuple[_Filters, dt.date, _Version], tuple[str, ...]] = {}

    def matched(
        self, store: Store, sub: Subscription, date: dt.date, version: _Version
    ) -> tuple[str, ...]:
        """The ids of the digest's papers that ``sub`` matches, in keyword order."""
        key = (_filters(sub), date, version)
        if key not in self._matched:
            index = DigestIndex(store.papers_in_digest(date))
            for filters, each in (_feed_filters(store) | {key[0]: sub}).items():
                found = index.match(compile_subscription(each))
                self._matched[(filters, date, version)] = tuple(m.paper.id for m in found)
        return self._matched[key]

    def keep_only(self, versions: Mapping[dt.date, _Version]) -> None:
        """Forget the digests that left the window or changed since."""
        for key in [k for k in self._matched if versions.get(k[1]) != k[2]]:
            del self._matched[key]


def _feed_filters(store: Store) -> dict[_Filters, Subscription]:
    """The filters of every subscription that has a feed."""
    subs = (
        store.subscription(chat_id, thread_id=thread_value(thread))
        for chat_id, thread in store.db.execute("SELECT chat_id, thread_id FROM feed_tokens")
    )
    return {_filters(sub): sub for sub in subs}


def _filters(sub: Subscription) -> _Filters:
    return tuple(sorted(sub.categories)), sub.keywords, sub.excludes, sub.authors


def _versions(store: Store, dates: list[dt.date]) -> dict[dt.date, _Version]:
    if not dates:
        return {}
    rows = store.db.execute(
        "SELECT d.date, d.papers, (SELECT max(f.id) FROM digest_files f WHERE f.date = d.date)"
        " FROM digests d WHERE d.date >= ?",
        [min(dates).isoformat()],
    )
    return {dt.date.fromisoformat(day): (papers, newest) for day, papers, newest in rows}


def feed_content(
    store: Store, token: str, *, matches: FeedMatches, default_timezone: str = "UTC"
) -> FeedContent | None:
    """The feed ``token`` opens, or None when it opens none. Ranked by the chat's model as it
    was last trained (when a digest was planned, or by ``/foryou``): a poll trains nothing."""
    subscriber = store.feed_subscriber(token)
    if subscriber is None:
        return None
    chat_id, thread_id = subscriber
    sub = store.subscription(chat_id, thread_id=thread_id, default_timezone=default_timezone)
    dates = feed_window(store.digest_dates())
    versions = _versions(store, dates)
    matches.keep_only(versions)
    chosen: list[tuple[dt.date, tuple[str, ...]]] = []
    ids: dict[str, None] = {}
    for date in dates:
        if len(ids) >= FEED_LIMIT:
            break
        found = matches.matched(store, sub, date, versions.get(date, (0, None)))
        chosen.append((date, found))
        ids.update(dict.fromkeys(found))
    papers = {paper.id: paper for paper in store.papers(list(ids))}
    digests = [(date, [MatchedPaper(papers[i]) for i in found if i in papers])
               for date, found in chosen]  # fmt: skip
    ranking = None
    if sub.ranking and papers:
        ranking = store.rankings([chat_id], list(papers.values())).get(chat_id)
    return FeedContent(sub, tuple(feed_items(digests, ranking)), dates[0] if dates else None)
