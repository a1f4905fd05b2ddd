"""What the bot says about a chat's learned ranking (pure): /ranking, /suggest, /foryou and the
line of /settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.models import FeedbackCounts, Subscription
from bot.rules.feed import FOR_YOU_DAYS, SUGGEST_AFTER, suggests
from bot.rules.matching import MatchedPaper
from bot.text.blocks import plural
from bot.text.language import ENGLISH, Locale
from bot.text.lists import matched_entries, span

TEACH = "Rate papers with 👍 or 👎, or ⭐ Save them (buttons under every paper), to teach it."


def feedback_line(counts: FeedbackCounts) -> str:
    """``12 👍, 3 👎, 7 ⭐``."""
    return f"{counts.liked} 👍, {counts.disliked} 👎, {counts.saved} ⭐"


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
        "feedback": feedback_line(counts),
        "ranking": ranking,
        "suggesting": suggesting,
    }


def ranking_set(on: bool, counts: FeedbackCounts) -> str:
    if not on:
        return (
            "Summaries will list your matches in keyword order again; your ratings are kept. "
            "/ranking on orders them by what you rate."
        )
    text = "Summaries will list your matches best first, by what you rated 👍, 👎 or saved ⭐"
    if counts.total == 0:
        return f"{text}, once you have rated some. {TEACH}"
    return f"{text} ({feedback_line(counts)} so far)."


def suggest_set(on: bool, counts: FeedbackCounts) -> str:
    if not on:
        return "No more suggestions beyond your filters. /suggest on brings them back."
    text = (
        "Below each summary's matches, up to 5 papers that matched none of your keywords but "
        "that your ratings rank among the digest's best"
    )
    if counts.total == 0:
        return f"{text}, once you have rated some. {TEACH}"
    return f"{text}."


def for_you_page(
    explained: Sequence[MatchedPaper],
    *,
    offset: int,
    total: int,
    like: Mapping[str, str],
    learned: bool,
) -> str:
    """A page of /foryou: the best papers of the last days for the chat, with why each."""
    if not explained:
        if offset:
            return "No more papers for you."
        return (
            f"No paper of the last {FOR_YOU_DAYS} days matches your filters (/settings shows them)."
        )
    how = "ranked by your ratings" if learned else f"by your keywords, newest first. {TEACH}"
    header = f"<b>For you</b>: the {plural(total, 'best paper')} of the last {FOR_YOU_DAYS} days"
    if offset or len(explained) < total:
        header += f", {span(offset=offset, count=len(explained))}"
    return matched_entries(f"{header}, unseen first, {how}", explained, offset=offset, like=like)
