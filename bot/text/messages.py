"""Short chat replies: confirmations, usage lines and refusals (pure, HTML-escaped).

Constants are marked with ``N_`` and translated where they are sent (``tr.gettext(CONSTANT)``);
builders take the chat's ``tr`` (English unless given).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.models import IngestResult, Subscription
from bot.rules.polling_state import SourceProblem
from bot.rules.redaction import redact_urls
from bot.rules.schedule import WEEKLY_TIME
from bot.rules.summaries import ANY
from bot.rules.weekly import ROLLUP_SIZE
from bot.text.language import ENGLISH, N_, Locale

UNKNOWN_COMMAND = N_("Sorry, I don't know that command. /help lists what I can do.")
EXPIRED_BUTTON = N_("This button is no longer valid. Send the command again.")
SEARCH_EXPIRED = N_("This search has expired. Send it again.")
INTERNAL_ERROR = N_("Sorry, something went wrong on my side. Please try again in a minute.")
GROUP_SUBSCRIPTION_ADMINS_ONLY = N_("Only this group's administrators can change its subscription.")
"""To a member's /subscribe, /unsubscribe or Subscribe button in a group."""
GROUP_SETTINGS_ADMINS_ONLY = N_("Only this group's administrators can change its settings.")
"""To a member's change of what a group receives, when or how (/keywords add, /time …)."""
GROUP_LANGUAGE_ADMINS_ONLY = N_(
    "Only this group's administrators can change the language I speak here."
)
GROUP_SUMMARIES_ADMINS_ONLY = N_(
    "Only this group's administrators can change the language of its AI summaries."
)
NO_DIGEST = N_("No digest has been ingested yet, so there is nothing to show.")
SUBSCRIBED_NOTICE = N_("Subscribed")
STATS_IN_PRIVATE = N_(
    "/stats answers in a private chat with me only: it names the bot's sources and problems."
)

WEEKDAYS_PLURAL = (
    N_("Mondays"),
    N_("Tuesdays"),
    N_("Wednesdays"),
    N_("Thursdays"),
    N_("Fridays"),
    N_("Saturdays"),
    N_("Sundays"),
)
""""On Fridays", as a weekly summary's day is named in a sentence."""


def weekdays(day: int, tr: Locale) -> str:
    return tr.gettext(WEEKDAYS_PLURAL[day])


def usage(command: str, arguments: str, *examples: str, tr: Locale = ENGLISH) -> str:
    values = {"command": command, "arguments": escape(arguments)}
    lines = [tr.gettext("Usage: /%(command)s %(arguments)s") % values]
    lines += [
        tr.gettext("e.g. %(example)s") % {"example": f"<code>/{command} {escape(example)}</code>"}
        for example in examples
    ]
    return "\n".join(lines)


def slow_down(seconds: int, *, tr: Locale = ENGLISH) -> str:
    return tr.gettext(
        "You are sending messages faster than I can read them. Please wait %(seconds)d s."
    ) % {"seconds": seconds}


def not_an_arxiv_id(text: str, *, command: str = "paper", tr: Locale = ENGLISH) -> str:
    shown = escape(text if len(text) <= 60 else text[:59] + "…")
    return tr.gettext(
        "<code>%(text)s</code> is not an arXiv id. Send it like "
        "<code>/%(command)s 2510.19260</code> or paste an arXiv link."
    ) % {"text": shown, "command": command}


def paper_not_found(arxiv_id: str, *, tr: Locale = ENGLISH) -> str:
    safe = escape(arxiv_id)
    return tr.gettext(
        '%(id)s is not in any digest I have. <a href="%(url)s">Open it on arXiv</a>.'
    ) % {"id": safe, "url": f"https://arxiv.org/abs/{safe}"}


def query_notes(notes: Sequence[str], *, tr: Locale = ENGLISH) -> str:
    """The parts of a query that were ignored, one italic line each (empty when none)."""
    return "".join(f"\n<i>{escape(tr.say(note))}</i>" for note in notes)


def nothing_to_search(*, tr: Locale = ENGLISH) -> str:
    return tr.gettext(
        "There is nothing to search for in that. Send a word or two, e.g. "
        "<code>pruning</code>, <code>剪枝</code> or <code>cat:cs.LG diffusion</code>."
    )


def subscribed(active: bool, *, already: bool = False, tr: Locale = ENGLISH) -> str:
    """``/subscribe`` (``active``) or ``/unsubscribe`` done; ``already`` when the chat was so
    before, so that a second press does not claim a change."""
    if already and active:
        return tr.gettext("You are already subscribed. /settings shows your filters.")
    if already:
        return tr.gettext("You are not subscribed, so there is nothing to stop. /subscribe starts.")
    if active:
        return tr.gettext(
            "Subscribed: new digests will bring you the papers that match your filters. "
            "/settings shows them; /categories, /keywords and /time change them."
        )
    return tr.gettext("Unsubscribed: no more digests. Your settings are kept; /subscribe resumes.")


def refusal(error: Exception, tr: Locale = ENGLISH) -> str:
    """A validation error's sentence (it says what is accepted), in ``tr``'s language, escaped."""
    return escape(tr.say(getattr(error, "sentence", str(error))))


def time_set(sub: Subscription, *, tr: Locale = ENGLISH) -> str:
    at, zone = sub.delivery_time, escape(sub.timezone)
    if sub.weekly:
        return tr.gettext("Your weekly summary will come on %(days)s at %(time)s (%(zone)s).") % {
            "days": weekdays(sub.weekday, tr),
            "time": f"{at or WEEKLY_TIME:%H:%M}",
            "zone": zone,
        }
    if at is None:
        return tr.gettext("Digests will come as soon as they are published.")
    return tr.gettext(
        "Digests will come at %(time)s (%(zone)s). "
        "/timezone changes the time zone; /time off sends them as soon as they arrive."
    ) % {"time": f"{at:%H:%M}", "zone": zone}


def frequency_set(sub: Subscription, *, gathered: bool, tr: Locale = ENGLISH) -> str:
    """``/frequency`` done; ``gathered``: papers gathered for a weekly summary, now due earlier."""
    if sub.weekly:
        return tr.gettext(
            "From the next digest, its papers are gathered into one summary of the week's top "
            "%(size)d, on %(days)s at %(time)s (%(zone)s). Summaries already planned still come."
        ) % {
            "size": ROLLUP_SIZE,
            "days": weekdays(sub.weekday, tr),
            "time": f"{sub.delivery_time or WEEKLY_TIME:%H:%M}",
            "zone": escape(sub.timezone),
        }
    text = tr.gettext("Each new digest will bring its own summary again.")
    if not gathered:
        return text
    if sub.delivery_time is None:
        return text + tr.gettext(" The papers gathered for your weekly summary come now.")
    return text + tr.gettext(
        " The papers gathered for your weekly summary come at %(time)s (%(zone)s)."
    ) % {"time": f"{sub.delivery_time:%H:%M}", "zone": escape(sub.timezone)}


def timezone_set(timezone: str, *, tr: Locale = ENGLISH) -> str:
    return tr.gettext("Time zone set to %(zone)s.") % {"zone": escape(timezone)}


def timezone_now(timezone: str, *, tr: Locale = ENGLISH) -> str:
    return tr.gettext("Your time zone is %(zone)s.") % {"zone": escape(timezone)}


def empty_note_set(on: bool, *, tr: Locale = ENGLISH) -> str:
    if on:
        return tr.gettext("When a digest has nothing for you, you will get a one-line note.")
    return tr.gettext("When a digest has nothing for you, you will hear nothing.")


def language_set(tr: Locale) -> str:
    """``/language`` done, said in the language chosen."""
    return tr.gettext("I will speak %(language)s in this chat.") % {"language": escape(tr.name)}


def language_usage(languages: Sequence[Locale], *, tr: Locale = ENGLISH) -> str:
    """How to choose a language, and which there are (each named in itself)."""
    known = ", ".join(f"<code>{escape(lang.code)}</code> {escape(lang.name)}" for lang in languages)
    return (
        usage("language", " | ".join(lang.code for lang in languages), tr=tr)
        + "\n"
        + (tr.gettext("Languages: %(languages)s") % {"languages": known})
    )


def _list_heading(command: str, count: int, tr: Locale) -> str:
    headings = {
        "keywords": tr.ngettext("Your %(count)d keyword:", "Your %(count)d keywords:", count),
        "exclude": tr.ngettext(
            "Your %(count)d excluded word:", "Your %(count)d excluded words:", count
        ),
        "authors": tr.ngettext("Your %(count)d author:", "Your %(count)d authors:", count),
    }
    return headings[command] % {"count": count}


def _list_empty(command: str, tr: Locale) -> str:
    empty = {
        "keywords": tr.gettext("No keywords yet."),
        "exclude": tr.gettext("No excluded words yet."),
        "authors": tr.gettext("No authors yet."),
    }
    return empty[command]


def list_entries(command: str, entries: Sequence[str], *, tr: Locale = ENGLISH) -> str:
    """A chat's ``/keywords``, ``/exclude`` or ``/authors`` (``command``), one a line."""
    if not entries:
        return _list_empty(command, tr) + tr.gettext(
            " Add one with <code>/%(command)s add …</code>; "
            "<code>/%(command)s remove …</code> and <code>/%(command)s clear</code> undo it."
        ) % {"command": command}
    # One entry a line: a long list is split between entries, never inside a name.
    shown = "\n".join(f"• <code>{escape(entry)}</code>" for entry in entries)
    return f"{_list_heading(command, len(entries), tr)}\n{shown}"


def list_unchanged(action: str, values: Sequence[str], *, tr: Locale = ENGLISH) -> str:
    """The values an ``add`` found already in the list, or a ``remove`` did not find."""
    shown = ", ".join(f"<code>{escape(value)}</code>" for value in values)
    if action == "add":
        return tr.gettext("Already in the list: %(values)s.") % {"values": shown}
    return tr.gettext("Not in the list, so nothing was removed: %(values)s.") % {"values": shown}


def more_ids(shown: int, total: int, *, tr: Locale = ENGLISH) -> str:
    """Said after the cards of a message that listed more arXiv ids than are shown at once."""
    return tr.gettext(
        "Those are the first %(shown)d of the %(total)d papers you listed; send the others in "
        "another message."
    ) % {"shown": shown, "total": total}


def with_subscribe_hint(text: str, active: bool, *, tr: Locale = ENGLISH) -> str:
    """``text`` (a setting's new value), then, for a chat that is not subscribed, that nothing
    comes until it is: a setting alone sends nothing."""
    if active:
        return text
    hint = tr.gettext("You are not subscribed, so no digest comes yet: /subscribe starts them.")
    return f"{text}\n\n{hint}"


def categories_prompt(chosen: frozenset[str], any_known: bool, *, tr: Locale = ENGLISH) -> str:
    if not any_known:
        return tr.gettext("No categories yet: no digest has been ingested.")
    now = (
        escape(", ".join(sorted(chosen, key=str.casefold)))
        if chosen
        else tr.gettext("all categories")
    )
    return tr.gettext(
        "<b>Categories you receive:</b> %(categories)s\n"
        "Tap a category to add or remove it (✓ = chosen); none chosen means all. "
        "Counts are papers in all digests, cross-lists included. You can also send "
        "<code>/categories cs.LG cs.DC</code>, or <code>/categories all</code> to clear."
    ) % {"categories": now}


def categories_set(chosen: frozenset[str], *, tr: Locale = ENGLISH) -> str:
    if not chosen:
        return tr.gettext("You will receive papers from all categories.")
    return tr.gettext("You will receive papers in: %(categories)s") % {
        "categories": escape(", ".join(sorted(chosen, key=str.casefold)))
    }


def category_toggled(category: str, added: bool, *, tr: Locale = ENGLISH) -> str:
    """The answer to a category's button."""
    if added:
        return tr.gettext("Added %(category)s") % {"category": category}
    return tr.gettext("Removed %(category)s") % {"category": category}


WELCOME = N_(
    "<b>Hello!</b> I read the daily arXiv digests of the daily-arXiv-ai-enhanced project: "
    "every new paper with an AI-written TL;DR.\n\n"
    "• Send an arXiv id or link to see a paper's card.\n"
    "• Send any words to search all digests (Chinese too).\n"
    "• Subscribe to receive, each day, the papers that match your categories, keywords and "
    "authors.\n\n"
    "/help lists every command."
)
WELCOME_GROUP = N_(
    "<b>Hello!</b> I read the daily arXiv digests of the daily-arXiv-ai-enhanced project: "
    "every new paper with an AI-written TL;DR.\n\n"
    "• In a group I answer commands only: <code>/paper 2510.19260</code> (or an arXiv link) "
    "shows a paper's card, <code>/search pruning</code> searches all digests (Chinese too).\n"
    "• Subscribe to receive, each day, the papers that match this group's categories, keywords "
    "and authors; its administrators choose them.\n\n"
    "/help lists every command."
)
"""/start in a group, where plain text never reaches the bot (privacy mode) and is not read."""

QUERY_LANGUAGE = N_(
    'Search: words (all must match), "exact phrase", -excluded, cat:cs.LG, author:Name, '
    "since:2025-10-01, until:2025-10-31."
)

MATCHING_RULE = N_(
    "A paper reaches you when (you chose no categories, or one of its categories — cross-lists "
    "included — is yours) AND (you chose no keywords or authors, or one of your keywords or "
    "authors matches) AND none of your exclusions matches. Case does not matter, nor do accents "
    "in names; keywords match whole words or phrases in the title and summaries, and Chinese, "
    "Japanese or Korean keywords match anywhere in them."
)

GROUP_PLAIN_TEXT = N_(
    "In a group I answer commands only: /paper opens a paper, /search searches the digests."
)
"""Said in a group instead of the private chat's "any other text is searched" (privacy mode)."""


def help_text(
    entries: Sequence[tuple[str, str, Sequence[str], Sequence[str]]],
    *,
    private: bool,
    tr: Locale = ENGLISH,
) -> str:
    """The command list (name, summary, aliases, examples); examples only in a private chat,
    where space allows, and where plain text is read. The summaries come translated."""
    lines = [tr.gettext("<b>Commands</b>")]
    for name, summary, aliases, samples in entries:
        also = "".join(tr.gettext(" (or /%(alias)s)") % {"alias": alias} for alias in aliases)
        lines.append(f"/{name}{also} — {escape(summary)}")
        if private and samples:
            shown = ", ".join(f"<code>/{name} {escape(s)}</code>" for s in samples)
            lines.append("    " + tr.gettext("e.g. %(example)s") % {"example": shown})
    lines += ["", escape(tr.gettext(QUERY_LANGUAGE)), ""]
    if not private:
        return "\n".join([*lines, tr.gettext(GROUP_PLAIN_TEXT)])
    lines += [
        escape(tr.gettext(MATCHING_RULE)),
        "",
        tr.gettext("An arXiv id or link on its own opens that paper; any other text is searched."),
    ]
    return "\n".join(lines)


def admin_stats(
    figures: Sequence[tuple[str, object]], warnings: Sequence[str], *, tr: Locale = ENGLISH
) -> str:
    """``/stats`` for the bot's admins: one ``label: value`` line per figure (labels marked with
    ``N_``, translated here), then warnings."""
    lines = [tr.gettext("<b>digestbot stats</b>")]
    lines += [
        tr.gettext("%(label)s: %(value)s")
        % {"label": escape(tr.gettext(label)), "value": escape(str(value))}
        for label, value in figures
    ]
    if warnings:
        lines.append(tr.gettext("last ingest warnings (%(count)d):") % {"count": len(warnings)})
        lines += [f"• {escape(w[:300])}" for w in warnings[:10]]
    return "\n".join(lines)


def ingest_report(result: IngestResult, *, tr: Locale = ENGLISH) -> str:
    """The admins' data-quality report after a digest is stored."""
    lines = [
        tr.gettext("<b>Stored the digest of %(date)s</b>") % {"date": result.date.isoformat()},
        escape(result.source),
        tr.gettext("papers: %(new)d new, %(updated)d updated, %(unchanged)d unchanged")
        % {
            "new": result.papers_new,
            "updated": result.papers_updated,
            "unchanged": result.papers_unchanged,
        },
    ]
    quality = result.quality
    if quality is not None:
        top = ", ".join(f"{escape(c)} {n}" for c, n in quality.per_category[:12])
        more = len(quality.per_category) - 12
        if more > 0:
            top += tr.gettext(" and %(count)d more") % {"count": more}
        lines += [
            tr.gettext("per category: %(counts)s") % {"counts": top},
            tr.gettext("cross-listed: %(count)d") % {"count": quality.cross_listed},
            tr.gettext("duplicates merged: %(count)d") % {"count": quality.duplicates_merged},
            tr.gettext("without AI summary: %(count)d") % {"count": quality.missing_summary},
        ]
    if result.warnings:
        lines.append(tr.gettext("warnings (%(count)d):") % {"count": len(result.warnings)})
        lines += [f"• {escape(w[:300])}" for w in result.warnings[:10]]
    return "\n".join(lines)


def ingest_failed(error: str, *, tr: Locale = ENGLISH) -> str:
    return tr.gettext("<b>A digest could not be stored</b>") + f"\n{escape(error[:1000])}"


def source_problem(problem: SourceProblem, *, tr: Locale = ENGLISH) -> str:
    """A failing (or recovered) source for the admins, without the credentials its URL holds."""
    source = escape(redact_urls(problem.source))
    if problem.recovered:
        return tr.gettext("Source working again: %(source)s") % {"source": source}
    return (
        tr.gettext("<b>Source failing</b>: %(source)s") % {"source": source}
        + f"\n{escape(redact_urls(problem.message)[:1000])}"
    )


SUMMARY_LANGUAGES = {"zh": N_("Chinese"), "en": N_("English"), "ja": N_("Japanese"),
                     "ko": N_("Korean")}  # fmt: skip
"""The languages of AI text a chat may read (``/summaries``), by code."""


def summary_language_name(code: str, tr: Locale = ENGLISH) -> str:
    """``Chinese`` for ``zh``."""
    name = SUMMARY_LANGUAGES.get(code)
    return tr.gettext(name) if name else code


def summaries_setting(chosen: str | None, tr: Locale = ENGLISH) -> str:
    """What a chat reads (``bot.rules.summaries.reading``), for /settings: the language it chose;
    ``any``: the latest run's; nothing: its interface language where a paper has it."""
    if chosen == ANY:
        return tr.gettext("whatever language the digests brought")
    if chosen is None:
        return tr.gettext(
            "%(language)s (this chat's language) where a paper has it, else the digest's own"
        ) % {"language": summary_language_name(tr.code, tr)}
    return summary_language_name(chosen, tr)


def fallback_note(wanted: str, shown: str, tr: Locale = ENGLISH) -> str:
    """``(no English summary; Chinese shown)``: said before a TL;DR in another language."""
    return tr.gettext("(no %(wanted)s summary; %(shown)s shown)") % {
        "wanted": summary_language_name(wanted, tr),
        "shown": summary_language_name(shown, tr),
    }


def summaries_set(language: str | None, tr: Locale = ENGLISH) -> str:
    if language is None:
        return tr.gettext(
            "Papers will show their AI summary in whatever language the digests brought."
        )
    return tr.gettext(
        "Papers will show their %(language)s AI summary; one without it shows another "
        "language's, and says so. /summaries any shows whatever the digests brought."
    ) % {"language": summary_language_name(language, tr)}


def topic_paused(chat_id: int, thread_id: int, *, closed: bool, tr: Locale = ENGLISH) -> str:
    """To a group's General topic: deliveries to one of its topics stopped."""
    link = escape(f"https://t.me/c/{str(-chat_id).removeprefix('100')}/{thread_id}")
    if closed:
        sentence = tr.gettext("Deliveries to the topic %(link)s stopped: it was closed.")
    else:
        sentence = tr.gettext("Deliveries to the topic %(link)s stopped: it was deleted.")
    return (
        (sentence % {"link": link})
        + " "
        + tr.gettext(
            "Its settings are kept; an administrator's /subscribe in that topic, once it is open "
            "again, resumes them. The group's other subscriptions go on."
        )
    )
