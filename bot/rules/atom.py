"""What a subscription's Atom feed holds (pure): its matches of the last days, in which order.

The feed lists what the chat's filters match in the digests of the ``FEED_DAYS`` days up to the
newest digest (the clock does not count: a bot whose sources pause keeps its feed), newest
digest first, and within one digest in the order its summary would give: by the chat's model
when it has one and ranking is on, else by keywords. Newest first, because a feed reader shows
entries by their date whatever the document's order, and a feed cut at ``FEED_LIMIT`` must
lose the oldest papers, not the newest.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot.models import Paper, Ranking
from bot.rules.matching import MatchedPaper

FEED_DAYS = 14
FEED_LIMIT = 200
"""Entries of a feed at most: two weeks of a broad subscription; feed readers keep older ones."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    """A paper of a feed, and the date of the digest that first brought it."""

    paper: Paper
    date: dt.date


def feed_window(dates: Sequence[dt.date], *, days: int = FEED_DAYS) -> list[dt.date]:
    """The digest days of the feed, newest first: those of the ``days`` days up to the newest."""
    if not dates:
        return []
    first = max(dates) - dt.timedelta(days=days - 1)
    return sorted((d for d in set(dates) if d >= first), reverse=True)


def feed_items(
    digests: Sequence[tuple[dt.date, Sequence[MatchedPaper]]],
    ranking: Ranking | None,
    *,
    limit: int = FEED_LIMIT,
) -> list[FeedItem]:
    """Each digest's matches (in keyword order) -> the feed's entries, newest digest first and,
    within a digest, best first by ``ranking`` (keyword order breaks ties, and stays the order
    without one); at most ``limit``.

    A paper comes once, under the first digest that brought it (its stored date; else the
    oldest digest of the window that has it), so weekend repeats and re-runs do not move it.
    """
    first: dict[str, tuple[dt.date, int, Paper]] = {}
    for date, matches in sorted(digests, key=lambda digest: digest[0]):
        for match in matches:
            paper = match.paper
            if paper.id not in first:
                first[paper.id] = (paper.date or date, len(first), paper)

    def order(entry: tuple[dt.date, int, Paper]) -> tuple[int, float, int]:
        date, position, paper = entry
        score = ranking.scores.get(paper.id, -math.inf) if ranking is not None else 0.0
        return -date.toordinal(), -score, position

    chosen = sorted(first.values(), key=order)[: max(limit, 0)]
    return [FeedItem(paper, date) for date, _, paper in chosen]
