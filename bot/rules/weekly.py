"""The weekly roll-up (pure): what ``/frequency`` accepts, and which gathered papers a roll-up
shows, in the order a ranking gives.

The order is a seam: ``choose_rollup`` takes the candidates that match the chat's filters, best
first by today's rule (keyword and author matches first, as ``bot.rules.matching`` ranks them;
ties in the order the digests brought them), and hands them to ``order``, whose first
``ROLLUP_SIZE`` are shown. A per-chat ranking model takes over by being that function.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from bot.models import Delivery, Paper, Subscription
from bot.rules.filters import InvalidFilterError
from bot.rules.matching import DigestIndex, MatchedPaper, compile_subscription
from bot.rules.sentences import N_

ROLLUP_SIZE = 20
"""Papers a roll-up shows; the other candidates are counted in its header, never sent."""
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

Order = Callable[[Sequence[MatchedPaper], Subscription], Sequence[MatchedPaper]]
"""The matching candidates of a roll-up, best first by keywords, and the chat's settings ->
the same candidates, best first. It may reorder them, never add any."""


def keyword_order(matches: Sequence[MatchedPaper], sub: Subscription) -> Sequence[MatchedPaper]:
    """Today's order: as matching ranked them."""
    return matches


def choose_rollup(
    delivery: Delivery,
    candidates: Sequence[Paper],
    sub: Subscription,
    *,
    order: Order = keyword_order,
    size: int = ROLLUP_SIZE,
) -> Delivery:
    """The roll-up ``delivery`` with its papers chosen: of its ``candidates`` (in the order they
    were gathered), the first ``size`` that match ``sub`` now, in ``order``."""
    if delivery.rollup is None:
        raise ValueError("only a roll-up has papers to choose")
    matches = DigestIndex(candidates).match(compile_subscription(sub))
    ranked = order(matches, sub)
    rollup = dataclasses.replace(delivery.rollup, matching=len(matches))
    chosen = tuple(m.paper.id for m in ranked[:size])
    return dataclasses.replace(delivery, paper_ids=chosen, rollup=rollup)


def parse_frequency(text: str) -> tuple[bool, int | None]:
    """``daily``, ``weekly`` or ``weekly <day>`` -> (weekly, the day, 0 = Monday, or None to
    keep the chat's). Days are ``mon`` .. ``sun`` or full English names, in any case."""
    words = text.casefold().split()
    if not words or words[0] not in ("daily", "weekly"):
        raise InvalidFilterError(
            N_("Send daily, or weekly with a day if you like, for example /frequency weekly fri.")
        )
    if words[0] == "daily":
        if len(words) > 1:
            raise InvalidFilterError(
                N_(
                    "Only a weekly summary has a day: send /frequency weekly fri, or "
                    "/frequency daily alone."
                )
            )
        return False, None
    if len(words) > 2:
        raise InvalidFilterError(N_("Send one day, for example /frequency weekly fri."))
    return True, (parse_weekday(words[1]) if len(words) == 2 else None)


def parse_weekday(word: str) -> int:
    """``mon``, ``Monday``, ``MONDAY`` -> 0, and so on to Sunday, 6."""
    folded = word.casefold()
    for number, name in enumerate(WEEKDAYS):
        if folded in (name.casefold(), name[:3].casefold()):
            return number
    raise InvalidFilterError(
        N_(
            "That is not a day of the week; send mon, tue, wed, thu, fri, sat or sun, "
            "or the full name."
        )
    )
