"""Who gets which papers of a new digest (pure): the planning half of compute, render, send."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from bot.models import Paper, Ranking, SubscriberKey, Subscription
from bot.rules.feed import ranked, suggestions
from bot.rules.matching import DigestIndex, MatchedPaper, compile_subscription
from bot.rules.schedule import next_due, rollup_due


@dataclass(frozen=True, slots=True)
class PlannedDelivery:
    chat_id: int
    paper_ids: tuple[str, ...]
    """Best first; empty for the one-line "nothing matched" note."""
    due_at: dt.datetime
    suggested: tuple[str, ...] = ()
    """Papers beyond the filters that the chat's model ranks highest (``bot.rules.feed``)."""
    rollup: bool = False
    """Gathered into the chat's weekly roll-up that goes out at ``due_at``."""
    thread_id: int | None = None
    """The forum topic subscribed; None for the chat itself."""


def plan_digest(
    index: DigestIndex,
    subscriptions: Iterable[Subscription],
    *,
    delivered: Mapping[SubscriberKey, Collection[str]],
    already_planned: Collection[SubscriberKey],
    arrived: dt.datetime,
    rankings: Mapping[int, Ranking] | None = None,
    suggest_to: Collection[SubscriberKey] = (),
) -> Iterator[PlannedDelivery]:
    """Each subscriber's matching papers that it has not received yet.

    A subscriber is a chat or one of its forum topics (``Subscription.key``): the ledger
    (``delivered``, ``already_planned``, ``suggest_to``) is per subscriber, the models'
    ``rankings`` per chat (a group's topics share its members' votes).

    ``delivered`` holds, per chat, the papers of this digest it was already given (the weekend
    repeats Friday's papers; re-runs repeat a day): those are never planned again. A chat with no
    match at all gets the empty note if it asked for one, once per digest (``already_planned``
    lists the chats that already have a delivery of this digest).

    ``rankings`` holds the models' scores of the digest for the chats that have one: a chat with
    ranking on gets its matches in its model's order, and a chat in ``suggest_to`` its model's
    suggestions beyond its filters (``bot.rules.feed``), which the ledger keeps like matches.

    A weekly chat's fresh papers are gathered into its roll-up (which is ranked as it is sent);
    one that asked for the empty note gets a roll-up even without them, so that a week with
    nothing says so.
    """
    for sub in subscriptions:
        matches = index.match(compile_subscription(sub))
        ranking = (rankings or {}).get(sub.chat_id)
        if sub.ranking:
            matches = ranked(matches, ranking)
        seen = delivered.get(sub.key, ())
        fresh = tuple(m.paper.id for m in matches if m.paper.id not in seen)
        if sub.weekly:
            if fresh or sub.notify_empty:
                due = rollup_due(arrived, sub)
                yield PlannedDelivery(sub.chat_id, fresh, due, rollup=True, thread_id=sub.thread_id)
            continue
        suggested: tuple[str, ...] = ()
        if ranking is not None and sub.key in suggest_to:
            matched = {m.paper.id for m in matches}
            suggested = suggestions(index, sub, ranking, matched=matched, seen=seen)
        empty_note = not matches and sub.notify_empty and sub.key not in already_planned
        if fresh or suggested or empty_note:
            yield PlannedDelivery(
                sub.chat_id,
                fresh,
                next_due(arrived, sub.delivery_time, sub.timezone),
                suggested,
                thread_id=sub.thread_id,
            )


def explain(papers: Iterable[Paper], sub: Subscription) -> list[MatchedPaper]:
    """The papers in their given order, each with why it matches ``sub`` now (if it still does)."""
    listed = list(papers)
    reasons = {m.paper.id: m for m in DigestIndex(listed).match(compile_subscription(sub))}
    return [reasons.get(paper.id, MatchedPaper(paper)) for paper in listed]
