"""One page of a delivered summary or weekly roll-up (pure): the text and a numbered button per
entry."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Delivery, Paper, Subscription
from bot.rules.planning import explain
from bot.text.keyboards import Buttons, Keyboard
from bot.text.lists import delivery_summary, rollup_summary

PAGE_SIZE = 15


def page_ids(delivery: Delivery, offset: int) -> tuple[str, ...]:
    """The ids of the papers on the page at ``offset``, best first."""
    return delivery.paper_ids[offset : offset + PAGE_SIZE]


def render_delivery(
    delivery: Delivery,
    papers: Sequence[Paper],
    sub: Subscription,
    buttons: Buttons,
    *,
    offset: int = 0,
) -> tuple[str, Keyboard]:
    """The page at ``offset`` of ``delivery``, whose ``papers`` are those of ``page_ids``."""
    entries = explain(papers, sub)
    total = len(delivery.paper_ids)
    if delivery.rollup is None:
        text = delivery_summary(
            delivery.date, entries, offset=offset, page_size=PAGE_SIZE, total=total
        )
    else:
        first, matching = delivery.rollup.first_date, delivery.rollup.matching
        text = rollup_summary(
            first, delivery.date, entries, offset=offset, page_size=PAGE_SIZE, total=total,
            matching=matching,
        )  # fmt: skip
    if not delivery.paper_ids:
        return text, ()
    numbered = buttons.entries([entry.paper.id for entry in entries], offset=offset)
    has_more = offset + PAGE_SIZE < total
    pager = buttons.pager("d", str(delivery.id), offset=offset, size=PAGE_SIZE, has_more=has_more)
    return text, numbered + pager
