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
from bot.rules.weekly import ROLLUP_SIZE
from bot.text.blocks import (
    capped_join,
    code,
    esc,
    fill,
    link,
    one_line,
    quoted,
    shorten,
)
from bot.text.feed import ranking_settings
from bot.text.language import ENGLISH, N_, Locale
from bot.text.library import library_line
from bot.text.lists import (
    category_list,
    category_papers,
    delivery_empty_note,
    delivery_summary,
    latest_digest,
    search_results,
)
from bot.text.messages import summaries_setting, weekdays

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
    "motivation": N_("Motivation"),
    "method": N_("Method"),
    "result": N_("Result"),
    "conclusion": N_("Conclusion"),
    "abstract": N_("Abstract"),
}
"""Paper fields a card's buttons can show, with their labels (translated where shown), in
button order."""

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


def _authors(authors: Sequence[str], tr: Locale) -> str:
    names = [shorten(one_line(name), NAME_MAX) for name in authors]
    if len(names) <= ALL_AUTHORS_UP_TO:
        return shorten(", ".join(names), AUTHORS_MAX)
    shown = shorten(", ".join(names[:AUTHORS_BEFORE_ET_AL]), AUTHORS_MAX)
    return tr.ngettext(
        "%(names)s et al. (%(count)d author)", "%(names)s et al. (%(count)d authors)", len(names)
    ) % {"names": shown, "count": len(names)}


def _categories_line(paper: Paper, tr: Locale) -> str:
    primary, *others = paper.all_categories
    line = code(primary)
    if others:
        shown = ", ".join(code(c) for c in others[:CATEGORIES_MAX])
        extra = len(others) - CATEGORIES_MAX
        line += tr.gettext(" · also %(categories)s") % {"categories": shown}
        if extra > 0:
            line += tr.gettext(" and %(count)d more") % {"count": extra}
    return line


def _meta_line(paper: Paper, tr: Locale) -> str:
    line = f"arXiv {code(paper.id)}"
    if paper.date is None:
        return line
    return line + tr.gettext(" · digest of %(date)s") % {"date": paper.date.isoformat()}


def paper_card(paper: Paper, *, tr: Locale = ENGLISH) -> str:
    """Title linked to arXiv, authors, categories, id and digest date, and the TL;DR."""
    lines = [_title_line(paper)]
    if paper.authors:
        lines.append(esc(_authors(paper.authors, tr)))
    if paper.all_categories:
        lines.append(_categories_line(paper, tr))
    lines.append(_meta_line(paper, tr))
    head = "\n".join(lines) + "\n\n"
    if not paper.tldr:
        return head + tr.gettext("<i>No TL;DR in the digest.</i>")
    return fill(head + tr.gettext("<b>TL;DR:</b> "), paper.tldr)


def paper_section(paper: Paper, section: str, *, tr: Locale = ENGLISH) -> str:
    """One of ``SECTIONS`` under the paper's title; shortened to fit, since it replaces the card."""
    label = SECTIONS.get(section)
    if label is None:
        raise ValueError(f"unknown paper section {section!r}")
    head = f"{_title_line(paper)}\n\n<b>{tr.gettext(label)}</b>\n"
    text = getattr(paper, section)
    if not text:
        return head + tr.gettext("<i>Not available in the digest.</i>")
    return fill(head, text)


def _listed(items: Sequence[str], tr: Locale) -> str:
    return capped_join(items, max_units=LIST_MAX, tr=tr) if items else tr.gettext("none")


def _delivery_time(sub: Subscription, tr: Locale) -> str:
    if sub.delivery_time is not None:
        return tr.gettext("at %(time)s") % {"time": f"{sub.delivery_time:%H:%M}"}
    if sub.weekly:
        return tr.gettext("at %(time)s (the weekly summary's time when /time is off)") % {
            "time": f"{WEEKLY_TIME:%H:%M}"
        }
    return tr.gettext("as soon as a digest arrives")


def frequency_line(sub: Subscription, *, tr: Locale = ENGLISH) -> str:
    """The /settings line of ``/frequency`` (also said by a bare ``/frequency``)."""
    return tr.gettext("Frequency: %(frequency)s") % {"frequency": _frequency(sub, tr)}


def summaries_line(sub: Subscription, *, tr: Locale = ENGLISH) -> str:
    """The /settings line of ``/summaries`` (also said by a bare ``/summaries``)."""
    return tr.gettext("AI summaries in: %(language)s (/summaries)") % {
        "language": summaries_setting(sub.summaries, tr)
    }


def _frequency(sub: Subscription, tr: Locale) -> str:
    if not sub.weekly:
        return tr.gettext("daily, a summary of each digest")
    return tr.gettext("weekly, the top %(size)d papers on %(days)s") % {
        "size": ROLLUP_SIZE,
        "days": weekdays(sub.weekday, tr),
    }


def _would_match(would_match: int | None, digest_date: dt.date | None, tr: Locale) -> str:
    if would_match is None:
        return tr.gettext("There is no digest yet to try these settings on.")
    if digest_date is None:
        return tr.ngettext(
            "%(count)d paper of the latest digest would match these settings.",
            "%(count)d papers of the latest digest would match these settings.",
            would_match,
        ) % {"count": would_match}
    return tr.ngettext(
        "%(count)d paper of the digest of %(date)s would match these settings.",
        "%(count)d papers of the digest of %(date)s would match these settings.",
        would_match,
    ) % {"count": would_match, "date": digest_date.isoformat()}


def settings_text(
    sub: Subscription,
    *,
    would_match: int | None,
    digest_date: dt.date | None,
    library: LibraryCounts | None = None,
    feedback: FeedbackCounts | None = None,
    tr: Locale = ENGLISH,
) -> str:
    """Everything a chat has chosen, and how many papers of the latest digest it would get;
    in a private chat, what its person's library holds."""
    if sub.active:
        status = tr.gettext("on (/unsubscribe stops it)")
    else:
        status = tr.gettext("off (/subscribe starts it)")
    categories = sorted(sub.categories, key=str.casefold)
    chosen = (
        capped_join(categories, max_units=LIST_MAX, render=code, tr=tr)
        if categories
        else tr.gettext("all")
    )
    note = tr.gettext("a one-line note") if sub.notify_empty else tr.gettext("no message")
    lines = [
        tr.gettext("<b>Settings for this chat</b>"),
        "",
        tr.gettext("Subscription: %(status)s") % {"status": status},
        tr.gettext("Categories: %(categories)s") % {"categories": chosen},
        tr.gettext("Keywords: %(keywords)s")
        % {"keywords": _listed([quoted(k) for k in sub.keywords], tr)},
        tr.gettext("Excluded words: %(words)s")
        % {"words": _listed([quoted(k) for k in sub.excludes], tr)},
        tr.gettext("Authors: %(authors)s") % {"authors": _listed(sub.authors, tr)},
        frequency_line(sub, tr=tr),
        tr.gettext("Delivery: %(when)s") % {"when": _delivery_time(sub, tr)},
        tr.gettext("Time zone: %(zone)s") % {"zone": esc(sub.timezone)},
        tr.gettext("Digests with nothing for you: %(note)s") % {"note": note},
        tr.gettext("Language: %(language)s (/language)") % {"language": esc(tr.name)},
        summaries_line(sub, tr=tr),
        ranking_settings(sub, feedback or FeedbackCounts(), tr=tr),
        "",
        _would_match(would_match, digest_date, tr),
        "",
        tr.gettext(
            "Change them with /categories, /keywords, /exclude, /authors, /frequency, /time, "
            "/timezone, /empty, /ranking, /suggest, /summaries and /language."
        ),
    ]
    if library is not None:
        lines += [
            "",
            tr.gettext("Your library: %(library)s (/saved, /forget).")
            % {"library": library_line(library, tr=tr)},
        ]
    return "\n".join(lines)
