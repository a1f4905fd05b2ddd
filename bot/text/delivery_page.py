"""One page of a delivered summary (pure): the text and a numbered button per entry."""

from __future__ import annotations

from collections.abc import Sequence

from bot.models import Delivery, Paper, Subscription
from bot.rules.planning import explain
from bot.text.cards import delivery_summary
from bot.text.keyboards import Buttons, Keyboard

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
    text = delivery_summary(delivery.date, entries, offset=offset, page_size=PAGE_SIZE, total=total)
    if not delivery.paper_ids:
        return text, ()
    numbered = buttons.entries([entry.paper.id for entry in entries], offset=offset)
    has_more = offset + PAGE_SIZE < total
    pager = buttons.pager("d", str(delivery.id), offset=offset, size=PAGE_SIZE, has_more=has_more)
    return text, numbered + pager
