"""What a feed token's Atom feed holds, read from the store (``bot.rules.atom`` decides).

Feed readers poll every feed every so often, and most polls find nothing new, so the matching
index of each digest of the window is kept (``DigestIndexes``) until that digest's content
changes: a poll then costs the chat's matching (a few integer operations per filter) and its
model's scores, not reading and indexing two weeks of papers again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Subscription
from bot.rules.atom import FeedItem, feed_items, feed_window
from bot.rules.matching import DigestIndex, MatchedPaper, Matcher, compile_subscription
from storage.store import Store

_Version = tuple[int, int | None]
"""A digest's papers and its newest stored file: either changes when its content does."""


@dataclass(frozen=True, slots=True)
class FeedContent:
    """A feed's subscription, its entries in order, and the newest digest it covers."""

    sub: Subscription
    items: tuple[FeedItem, ...]
    newest: dt.date | None


class DigestIndexes:
    """The matching index of each digest of the feeds' window, kept while its content stays.

    Used by one thread at a time (the feeds' worker thread).
    """

    def __init__(self) -> None:
        self._kept: dict[dt.date, tuple[_Version, DigestIndex]] = {}

    def matches(
        self, store: Store, dates: Sequence[dt.date], matcher: Matcher
    ) -> list[tuple[dt.date, list[MatchedPaper]]]:
        """Each digest of ``dates`` with its papers that ``matcher`` matches, in keyword order."""
        versions = _versions(store, dates)
        kept: dict[dt.date, tuple[_Version, DigestIndex]] = {}
        for date in dates:
            found = self._kept.get(date)
            if found is None or found[0] != versions.get(date):
                found = (versions.get(date, (0, None)), DigestIndex(store.papers_in_digest(date)))
            kept[date] = found
        self._kept = kept  # digests that left the window are let go
        return [(date, kept[date][1].match(matcher)) for date in dates]


def _versions(store: Store, dates: Sequence[dt.date]) -> dict[dt.date, _Version]:
    if not dates:
        return {}
    rows = store.db.execute(
        "SELECT d.date, d.papers, (SELECT max(f.id) FROM digest_files f WHERE f.date = d.date)"
        " FROM digests d WHERE d.date >= ?",
        [min(dates).isoformat()],
    )
    return {dt.date.fromisoformat(day): (papers, newest) for day, papers, newest in rows}


def feed_content(
    store: Store, token: str, *, indexes: DigestIndexes, default_timezone: str = "UTC"
) -> FeedContent | None:
    """The feed ``token`` opens, or None when it opens none. Ranked by the chat's model as it
    was last trained (when a digest was planned, or by ``/foryou``): a poll trains nothing."""
    subscriber = store.feed_subscriber(token)
    if subscriber is None:
        return None
    chat_id, thread_id = subscriber
    sub = store.subscription(chat_id, thread_id=thread_id, default_timezone=default_timezone)
    dates = feed_window(store.digest_dates())
    digests = indexes.matches(store, dates, compile_subscription(sub))
    ranking = None
    if sub.ranking:
        matched = [m.paper for _, matches in digests for m in matches]
        ranking = store.rankings([chat_id], matched).get(chat_id)
    items = tuple(feed_items(digests, ranking))
    return FeedContent(sub, items, dates[0] if dates else None)
