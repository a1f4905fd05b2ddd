"""HTML messages for Telegram (pure): the paper card, its sections, a chat's settings.

Every builder returns exactly one message (<= 4096 visible UTF-16 units, <= 100 entities) because
cards and pages are edited in place; long fields are shortened with an ellipsis instead. The list
builders live in ``bot.text.lists`` and are re-exported here, so handlers import one module.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.models import FeedbackCounts, LibraryCounts, Paper, Subscription
from bot.rules.schedule import WEEKLY_TIME
from bot.rules.summaries import LANGUAGE_NAMES
from bot.rules.weekly import ROLLUP_SIZE, WEEKDAYS
from bot.text.blocks import (
    capped_join,
    code,
    esc,
    fill,
    link,
    one_line,
    plural,
    quoted,
    shorten,
)
from bot.text.feed import ranking_settings
from bot.text.library import library_line
from bot.text.lists import (
    category_list,
    category_papers,
    delivery_empty_note,
    delivery_summary,
    latest_digest,
    search_results,
)

__all__ = [
    "SECTIONS",
    "category_list",
    "category_papers",
    "delivery_empty_note",
    "delivery_summary",
    "latest_digest",
    "paper_card",
    "paper_section",
    "search_results",
    "settings_text",
]

SECTIONS: dict[str, str] = {
    "motivation": "Motivation",
    "method": "Method",
    "result": "Result",
    "conclusion": "Conclusion",
    "abstract": "Abstract",
}
"""Paper fields a card's buttons can show, with their labels, in button order."""

TITLE_MAX = 400
NAME_MAX = 60
AUTHORS_MAX = 300
ALL_AUTHORS_UP_TO = 6
AUTHORS_BEFORE_ET_AL = 3
CATEGORIES_MAX = 10
LIST_MAX = 600
"""Visible units for each list (keywords, authors ...) in the settings message."""


def _title_line(paper: Paper) -> str:
    return f"<b>{link(paper.url, shorten(one_line(paper.title), TITLE_MAX))}</b>"


def _authors(authors: Sequence[str]) -> str:
    names = [shorten(one_line(name), NAME_MAX) for name in authors]
    if len(names) <= ALL_AUTHORS_UP_TO:
        return shorten(", ".join(names), AUTHORS_MAX)
    shown = ", ".join(names[:AUTHORS_BEFORE_ET_AL])
    return f"{shorten(shown, AUTHORS_MAX)} et al. ({len(names)} authors)"


def _categories_line(paper: Paper) -> str:
    primary, *others = paper.all_categories
    line = code(primary)
    if others:
        shown = ", ".join(code(c) for c in others[:CATEGORIES_MAX])
        extra = len(others) - CATEGORIES_MAX
        line += f" · also {shown}" + (f" and {extra} more" if extra > 0 else "")
    return line


def _meta_line(paper: Paper) -> str:
    line = f"arXiv {code(paper.id)}"
    return line + (f" · digest of {paper.date.isoformat()}" if paper.date else "")


def paper_card(paper: Paper) -> str:
    """Title linked to arXiv, authors, categories, id and digest date, and the TL;DR."""
    lines = [_title_line(paper)]
    if paper.authors:
        lines.append(esc(_authors(paper.authors)))
    if paper.all_categories:
        lines.append(_categories_line(paper))
    lines.append(_meta_line(paper))
    head = "\n".join(lines) + "\n\n"
    if not paper.tldr:
        return head + "<i>No TL;DR in the digest.</i>"
    return fill(head + "<b>TL;DR:</b> ", paper.tldr)


def paper_section(paper: Paper, section: str) -> str:
    """One of ``SECTIONS`` under the paper's title; shortened to fit, since it replaces the card."""
    label = SECTIONS.get(section)
    if label is None:
        raise ValueError(f"unknown paper section {section!r}")
    head = f"{_title_line(paper)}\n\n<b>{label}</b>\n"
    text = getattr(paper, section)
    if not text:
        return head + "<i>Not available in the digest.</i>"
    return fill(head, text)


def _listed(items: Sequence[str], *, empty: str) -> str:
    return capped_join(items, max_units=LIST_MAX) if items else empty


def _delivery_time(sub: Subscription) -> str:
    if sub.delivery_time is not None:
        return f"at {sub.delivery_time:%H:%M}"
    if sub.weekly:
        return f"at {WEEKLY_TIME:%H:%M} (the weekly summary's time when /time is off)"
    return "as soon as a digest arrives"


def _frequency(sub: Subscription) -> str:
    if not sub.weekly:
        return "daily, a summary of each digest"
    return f"weekly, the top {ROLLUP_SIZE} papers on {WEEKDAYS[sub.weekday]}s"


def _would_match(would_match: int | None, digest_date: dt.date | None) -> str:
    if would_match is None:
        return "There is no digest yet to try these settings on."
    digest = f"the digest of {digest_date.isoformat()}" if digest_date else "the latest digest"
    return f"{plural(would_match, 'paper')} of {digest} would match these settings."


def settings_text(
    sub: Subscription,
    *,
    would_match: int | None,
    digest_date: dt.date | None,
    library: LibraryCounts | None = None,
    feedback: FeedbackCounts | None = None,
) -> str:
    """Everything a chat has chosen, and how many papers of the latest digest it would get;
    in a private chat, what its person's library holds."""
    status = "on (/unsubscribe stops it)" if sub.active else "off (/subscribe starts it)"
    categories = sorted(sub.categories, key=str.casefold)
    lines = [
        "<b>Settings for this chat</b>",
        "",
        f"Subscription: {status}",
        "Categories: "
        + (capped_join(categories, max_units=LIST_MAX, render=code) if categories else "all"),
        f"Keywords: {_listed([quoted(k) for k in sub.keywords], empty='none')}",
        f"Excluded words: {_listed([quoted(k) for k in sub.excludes], empty='none')}",
        f"Authors: {_listed(sub.authors, empty='none')}",
        f"Frequency: {_frequency(sub)}",
        f"Delivery: {_delivery_time(sub)}",
        f"Time zone: {esc(sub.timezone)}",
        "Digests with nothing for you: "
        + ("a one-line note" if sub.notify_empty else "no message"),
        ranking_settings(sub, feedback or FeedbackCounts()),
        "AI summaries in: "
        + (LANGUAGE_NAMES.get(sub.summaries, sub.summaries) if sub.summaries else "any language"),
        "",
        _would_match(would_match, digest_date),
        "",
        "Change them with /categories, /keywords, /exclude, /authors, /frequency, /time, "
        "/timezone, /empty, /ranking, /suggest and /summaries.",
    ]
    if library is not None:
        lines += ["", f"Your library: {library_line(library)} (/saved, /forget)."]
    return "\n".join(lines)
