"""A feed that learns (pure): how a chat's model orders its matches, which papers it suggests
beyond the filters, and what ``/foryou`` shows.

The filters decide what is sent; the model (``bot.models.Ranking``, computed by the store) only
decides the order, and may add a few suggestions below the matches. A chat without a model, or
with ranking off, keeps the keyword order of ``bot.rules.matching``.
"""

from __future__ import annotations

import dataclasses
import enum
import math
from collections.abc import Collection, Sequence
from itertools import islice

from bot.models import FeedbackCounts, Paper, Ranking, Subscription
from bot.rules.matching import DigestIndex, MatchedPaper, compile_subscription, match_paper

SUGGEST_MAX = 5
"""Suggestions below a summary's matches, at most."""
SUGGEST_SHARE = 0.05
"""A suggestion must be in this top share of the digest by the chat's model."""
SUGGEST_AFTER = 5
"""Ratings and saves after which suggestions are on, unless the chat turned them off."""
FOR_YOU = 10
"""Papers ``/foryou`` shows."""
FOR_YOU_DAYS = 7


class ForYouOrder(enum.Enum):
    """How ``for_you`` ordered a chat's papers (before putting the unseen first)."""

    MODEL = "model"
    """Best first by the chat's model."""
    MATCHES = "matches"
    """Its best keyword and author matches first, newest first among equals."""
    NEWEST = "newest"
    """Newest first: neither a model nor keywords or authors to order by."""


def for_you_order(sub: Subscription, *, learned: bool) -> ForYouOrder:
    """The order ``for_you`` used for ``sub``; ``learned``: it had the chat's model."""
    if learned:
        return ForYouOrder.MODEL
    if sub.keywords or sub.authors:
        return ForYouOrder.MATCHES
    return ForYouOrder.NEWEST


def ranked(matches: Sequence[MatchedPaper], ranking: Ranking | None) -> list[MatchedPaper]:
    """``matches`` best first by the chat's model; keyword order breaks ties, and stays the order
    without a model."""
    if ranking is None:
        return list(matches)
    order = {m.paper.id: n for n, m in enumerate(matches)}
    return sorted(
        matches, key=lambda m: (-ranking.scores.get(m.paper.id, -math.inf), order[m.paper.id])
    )


def suggests(sub: Subscription, feedback: FeedbackCounts) -> bool:
    """Whether the chat gets suggestions: as it asked, else once it rated enough papers."""
    if sub.suggest is not None:
        return sub.suggest
    return feedback.total >= SUGGEST_AFTER


def suggestions(
    index: DigestIndex,
    sub: Subscription,
    ranking: Ranking,
    *,
    matched: Collection[str],
    seen: Collection[str] = (),
) -> tuple[str, ...]:
    """Up to ``SUGGEST_MAX`` papers of the digest, best first, that matched none of the chat's
    keywords or authors but that its model ranks in the digest's top ``SUGGEST_SHARE``.

    They stay within the chat's categories and exclusions (a reader who excluded surveys gets
    none suggested), a paper the chat already had is never suggested, and each is like a paper
    the chat rated 👍 or saved (its "like:" reason).
    """
    scores = ranking.scores
    papers = [p for p in index.papers if p.id in scores]
    if not papers:
        return ()
    top = max(1, math.ceil(len(papers) * SUGGEST_SHARE))
    best = sorted(papers, key=lambda p: -scores[p.id])[:top]
    allowed = {
        m.paper.id
        for m in index.match(compile_subscription(_categories_only(sub)))
        if m.paper.id not in matched and m.paper.id not in seen
    }
    # A suggestion says which rated paper it is like: a model taught only by 👎 suggests nothing.
    return tuple(p.id for p in best if p.id in allowed and p.id in ranking.like)[:SUGGEST_MAX]


def for_you(
    papers: Sequence[Paper],
    sub: Subscription,
    ranking: Ranking | None,
    *,
    seen: Collection[str],
    limit: int = FOR_YOU,
) -> list[Paper]:
    """The ``limit`` best of ``papers`` (newest first) for the chat, those it was never sent
    first: by its model over its categories, less its exclusions; without a model, its matches
    in keyword order. Unseen first reorders the best; it does not reach below them."""
    if ranking is None:
        matches = DigestIndex(papers).match(compile_subscription(sub))
        best = [m.paper for m in matches[:limit]]
    else:
        # Best first, each checked against the categories and exclusions until ``limit`` pass:
        # a week's papers are scored at once, but only the first few need matching.
        allowed = _categories_only(sub)
        ordered = sorted(papers, key=lambda p: -ranking.scores.get(p.id, -math.inf))
        best = list(islice((p for p in ordered if match_paper(p, allowed)), limit))
    return [p for p in best if p.id not in seen] + [p for p in best if p.id in seen]


def _categories_only(sub: Subscription) -> Subscription:
    """``sub`` without keywords and authors: every paper of its categories, less exclusions."""
    return dataclasses.replace(sub, keywords=(), authors=())
