"""What the bot says about a chat's learned ranking (pure): /ranking, /suggest, /foryou and the
line of /settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.models import FeedbackCounts, Subscription
from bot.rules.feed import FOR_YOU_DAYS, SUGGEST_AFTER, ForYouOrder, suggests
from bot.rules.matching import MatchedPaper
from bot.text.blocks import separator
from bot.text.language import ENGLISH, N_, Locale
from bot.text.lists import matched_entries, span_suffix

TEACH = N_("Rate papers with 👍 or 👎, or ⭐ Save them (buttons under every paper), to teach it.")


def feedback_line(counts: FeedbackCounts, *, tr: Locale = ENGLISH) -> str:
    """``12 👍, 3 👎, 7 ⭐``."""
    return separator(tr).join([f"{counts.liked} 👍", f"{counts.disliked} 👎", f"{counts.saved} ⭐"])


def ranking_settings(sub: Subscription, counts: FeedbackCounts, *, tr: Locale = ENGLISH) -> str:
    """The /settings line: what the model learned from, and what it may do."""
    ranking = tr.gettext("ranking on") if sub.ranking else tr.gettext("ranking off")
    if suggests(sub, counts):
        suggesting = tr.gettext("suggestions on")
    elif sub.suggest is None:
        suggesting = tr.ngettext(
            "suggestions off until %(count)d rating",
            "suggestions off until %(count)d ratings",
            SUGGEST_AFTER,
        ) % {"count": SUGGEST_AFTER}
    else:
        suggesting = tr.gettext("suggestions off")
    return tr.gettext("Learned from: %(feedback)s; %(ranking)s, %(suggesting)s") % {
        "feedback": feedback_line(counts, tr=tr),
        "ranking": ranking,
        "suggesting": suggesting,
    }


def ranking_set(on: bool, counts: FeedbackCounts, *, tr: Locale = ENGLISH) -> str:
    if not on:
        return tr.gettext(
            "Summaries will list your matches in keyword order again; your ratings are kept. "
            "/ranking on orders them by what you rate."
        )
    if counts.total == 0:
        return tr.gettext(
            "Summaries will list your matches best first, by what you rated 👍, 👎 or saved ⭐, "
            "once you have rated some. %(teach)s"
        ) % {"teach": tr.gettext(TEACH)}
    return tr.gettext(
        "Summaries will list your matches best first, by what you rated 👍, 👎 or saved ⭐ "
        "(%(feedback)s so far)."
    ) % {"feedback": feedback_line(counts, tr=tr)}


def suggest_set(on: bool, counts: FeedbackCounts, *, tr: Locale = ENGLISH) -> str:
    if not on:
        return tr.gettext("No more suggestions beyond your filters. /suggest on brings them back.")
    if counts.total == 0:
        return tr.gettext(
            "Below each summary's matches, up to 5 papers that matched none of your keywords but "
            "that your ratings rank among the digest's best, once you have rated some. %(teach)s"
        ) % {"teach": tr.gettext(TEACH)}
    return tr.gettext(
        "Below each summary's matches, up to 5 papers that matched none of your keywords but "
        "that your ratings rank among the digest's best."
    )


def for_you_page(
    explained: Sequence[MatchedPaper],
    *,
    offset: int,
    total: int,
    like: Mapping[str, str],
    order: ForYouOrder,
    tr: Locale = ENGLISH,
) -> str:
    """A page of /foryou: the best papers of the last days for the chat, in ``order``, which the
    header names; an entry says why it is there when it can (a match, a liked paper like it)."""
    if not explained:
        if offset:
            return tr.gettext("No more papers for you.")
        return tr.gettext(
            "No paper of the last %(days)d days matches your filters (/settings shows them)."
        ) % {"days": FOR_YOU_DAYS}
    values = {"count": total, "days": FOR_YOU_DAYS}
    if order is ForYouOrder.NEWEST:
        header = tr.ngettext(
            "<b>For you</b>: the %(count)d newest paper of the last %(days)d days that matches "
            "your filters",
            "<b>For you</b>: the %(count)d newest papers of the last %(days)d days that match "
            "your filters",
            total,
        )
    else:
        header = tr.ngettext(
            "<b>For you</b>: the %(count)d best paper of the last %(days)d days",
            "<b>For you</b>: the %(count)d best papers of the last %(days)d days",
            total,
        )
    header %= values
    if offset or len(explained) < total:
        header += span_suffix(offset=offset, count=len(explained), tr=tr)
    teach = {"teach": tr.gettext(TEACH)}
    if order is ForYouOrder.MODEL:
        header += tr.gettext(", unseen first, ranked by your ratings")
    elif order is ForYouOrder.MATCHES:
        header += (
            tr.gettext(
                ", unseen first, by how well they match your keywords or authors, then newest "
                "first. %(teach)s"
            )
            % teach
        )
    else:
        header += tr.gettext(", unseen first. %(teach)s") % teach
    return matched_entries(header, explained, offset=offset, like=like, tr=tr)
