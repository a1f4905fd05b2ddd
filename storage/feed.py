"""What a chat's model makes of stored papers: the "like:" reasons of a page, and ``/foryou``.

Plain functions over a ``Store`` (the model itself lives in ``storage.rankers``): the bot calls
``for_you`` in a worker thread, with a connection of its own, since it may train the chat's model
and scores a week of papers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bot.models import Paper, Subscription
from bot.rules.feed import FOR_YOU_DAYS, ForYouOrder, for_you, for_you_order
from storage.store import Store


@dataclass(frozen=True, slots=True)
class ForYou:
    """The best papers of the last days for a chat, and why each."""

    papers: tuple[Paper, ...]
    order: ForYouOrder
    like: Mapping[str, str] = field(default_factory=dict)


def likes(store: Store, chat_id: int, papers: Sequence[Paper]) -> Mapping[str, str]:
    """Paper id -> the title of the rated paper most like it, by the chat's model (none without
    one)."""
    ranking = store.rankings([chat_id], papers).get(chat_id)
    return {} if ranking is None else ranking.like


def recent_papers(store: Store, *, days: int = FOR_YOU_DAYS) -> list[Paper]:
    """The papers of the digests of the ``days`` days up to the newest, newest first, each once
    (the weekend's digests repeat Friday's)."""
    dates = store.digest_dates()
    if not dates:
        return []
    first = dates[-1] - dt.timedelta(days=days - 1)
    found: dict[str, Paper] = {}
    for date in reversed([d for d in dates if d >= first]):
        for paper in store.papers_in_digest(date):
            found.setdefault(paper.id, paper)
    return list(found.values())


def compute_for_you(store: Store, sub: Subscription) -> ForYou:
    """``/foryou`` for ``sub``'s chat: its model refreshed first if it has new ratings."""
    store.refresh_models(chat_ids=[sub.chat_id])
    papers = recent_papers(store)
    ranking = store.rankings([sub.chat_id], papers).get(sub.chat_id)
    seen = store.delivered_papers(papers).get(sub.key, set())
    chosen = tuple(for_you(papers, sub, ranking, seen=seen))
    order = for_you_order(sub, learned=ranking is not None)
    if ranking is None:
        return ForYou(chosen, order)
    like = {p.id: ranking.like[p.id] for p in chosen if p.id in ranking.like}
    return ForYou(chosen, order, like)
