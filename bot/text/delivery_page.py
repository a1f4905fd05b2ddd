"""One page of a delivered summary or weekly roll-up (pure): the text and a numbered button per
entry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.models import Delivery, Paper, Subscription
from bot.rules.planning import explain
from bot.text.keyboards import Buttons, Keyboard
from bot.text.lists import delivery_summary, rollup_summary

PAGE_SIZE = 15


def page_ids(delivery: Delivery, offset: int) -> tuple[str, ...]:
    """The ids of the papers on the page at ``offset``, best first; the first page also shows
    the suggestions, after the matches."""
    matches = delivery.paper_ids[offset : offset + PAGE_SIZE]
    return matches + delivery.suggested if offset == 0 else matches


def render_delivery(
    delivery: Delivery,
    papers: Sequence[Paper],
    sub: Subscription,
    buttons: Buttons,
    *,
    offset: int = 0,
    like: Mapping[str, str] | None = None,
) -> tuple[str, Keyboard]:
    """The page at ``offset`` of ``delivery``, whose ``papers`` are those of ``page_ids``;
    ``like`` holds the model's reasons (``bot.models.Ranking.like``)."""
    suggested_ids = set(delivery.suggested) if offset == 0 else set()
    matched = [p for p in papers if p.id not in suggested_ids]
    suggested = [p for p in papers if p.id in suggested_ids]
    entries, extra = explain(matched, sub), explain(suggested, sub)
    if not sub.ranking:  # the model placed only the suggestions
        like = {p.id: like[p.id] for p in suggested if like and p.id in like}
    total = len(delivery.paper_ids)
    if delivery.rollup is None:
        text = delivery_summary(
            delivery.date,
            entries,
            offset=offset,
            page_size=PAGE_SIZE,
            total=total,
            suggested=extra,
            like=like,
            tr=buttons.tr,
        )
    else:
        first, matching = delivery.rollup.first_date, delivery.rollup.matching
        text = rollup_summary(
            first, delivery.date, entries, offset=offset, page_size=PAGE_SIZE, total=total,
            matching=matching, like=like, tr=buttons.tr,
        )  # fmt: skip
    if not delivery.paper_ids and not delivery.suggested:
        return text, ()
    numbered = buttons.entries([entry.paper.id for entry in entries], offset=offset)
    marked = buttons.suggestions([entry.paper.id for entry in extra])
    has_more = offset + PAGE_SIZE < total
    pager = buttons.pager("d", str(delivery.id), offset=offset, size=PAGE_SIZE, has_more=has_more)
    return text, numbered + marked + pager
