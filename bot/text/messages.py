"""Short chat replies: confirmations, usage lines and refusals (pure, HTML-escaped)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from bot.models import IngestResult, Subscription
from bot.rules.matching import MATCHING_RULE
from bot.rules.polling_state import SourceProblem
from bot.rules.schedule import WEEKLY_TIME
from bot.rules.summaries import LANGUAGE_NAMES
from bot.rules.weekly import ROLLUP_SIZE, WEEKDAYS
from bot.text.blocks import plural

UNKNOWN_COMMAND = "Sorry, I don't know that command. /help lists what I can do."
EXPIRED_BUTTON = "This button is no longer valid. Send the command again."
SEARCH_EXPIRED = "This search has expired. Send it again."
INTERNAL_ERROR = "Sorry, something went wrong on my side. Please try again in a minute."
GROUP_ADMINS_ONLY = "Only this group's administrators can change its subscription."
NO_DIGEST = "No digest has been ingested yet, so there is nothing to show."


def usage(command: str, arguments: str, *examples: str) -> str:
    lines = [f"Usage: /{command} {escape(arguments)}"]
    lines += [f"e.g. <code>/{command} {escape(example)}</code>" for example in examples]
    return "\n".join(lines)


def slow_down(seconds: int) -> str:
    return f"You are sending messages faster than I can read them. Please wait {seconds} s."


def not_an_arxiv_id(text: str, *, command: str = "paper") -> str:
    shown = escape(text if len(text) <= 60 else text[:59] + "…")
    return (
        f"<code>{shown}</code> is not an arXiv id. Send it like "
        f"<code>/{command} 2510.19260</code> or paste an arXiv link."
    )


def paper_not_found(arxiv_id: str) -> str:
    safe = escape(arxiv_id)
    return (
        f"{safe} is not in any digest I have. "
        f'<a href="https://arxiv.org/abs/{safe}">Open it on arXiv</a>.'
    )


def query_notes(notes: Sequence[str]) -> str:
    """The parts of a query that were ignored, one italic line each (empty when none)."""
    return "".join(f"\n<i>{escape(note)}</i>" for note in notes)


def nothing_to_search() -> str:
    return (
        "There is nothing to search for in that. Send a word or two, e.g. "
        "<code>pruning</code>, <code>剪枝</code> or <code>cat:cs.LG diffusion</code>."
    )


def subscribed(active: bool) -> str:
    if active:
        return (
            "Subscribed: new digests will bring you the papers that match your filters. "
            "/settings shows them; /categories, /keywords and /time change them."
        )
    return "Unsubscribed: no more digests. Your settings are kept; /subscribe resumes."


def refusal(error: Exception) -> str:
    """A validation error's sentence (it says what is accepted), escaped."""
    return escape(str(error))


def time_set(sub: Subscription) -> str:
    at, zone = sub.delivery_time, escape(sub.timezone)
    if sub.weekly:
        return (
            f"Your weekly summary will come on {WEEKDAYS[sub.weekday]}s at "
            f"{at or WEEKLY_TIME:%H:%M} ({zone})."
        )
    if at is None:
        return "Digests will come as soon as they are published."
    return (
        f"Digests will come at {at:%H:%M} ({zone}). "
        "/timezone changes the time zone; /time off sends them as soon as they arrive."
    )


def frequency_set(sub: Subscription, *, gathered: bool) -> str:
    """``/frequency`` done; ``gathered``: papers gathered for a weekly summary, now due earlier."""
    if sub.weekly:
        return (
            f"From the next digest, its papers are gathered into one summary of the week's top "
            f"{ROLLUP_SIZE}, on {WEEKDAYS[sub.weekday]}s at "
            f"{sub.delivery_time or WEEKLY_TIME:%H:%M} ({escape(sub.timezone)}). "
            "Summaries already planned still come."
        )
    text = "Each new digest will bring its own summary again."
    if not gathered:
        return text
    if sub.delivery_time is None:
        return text + " The papers gathered for your weekly summary come now."
    return (
        f"{text} The papers gathered for your weekly summary come at "
        f"{sub.delivery_time:%H:%M} ({escape(sub.timezone)})."
    )


def timezone_set(timezone: str) -> str:
    return f"Time zone set to {escape(timezone)}."


def empty_note_set(on: bool) -> str:
    if on:
        return "When a digest has nothing for you, you will get a one-line note."
    return "When a digest has nothing for you, you will hear nothing."


def list_entries(command: str, noun: str, entries: Sequence[str]) -> str:
    if not entries:
        return (
            f"No {noun}s yet. Add one with <code>/{command} add …</code>; "
            f"<code>/{command} remove …</code> and <code>/{command} clear</code> undo it."
        )
    # One entry a line: a long list is split between entries, never inside a name.
    shown = "\n".join(f"• <code>{escape(entry)}</code>" for entry in entries)
    return f"Your {plural(len(entries), noun)}:\n{shown}"


def categories_prompt(chosen: frozenset[str], any_known: bool) -> str:
    if not any_known:
        return "No categories yet: no digest has been ingested."
    now = ", ".join(sorted(chosen, key=str.casefold)) if chosen else "all categories"
    return (
        f"<b>Categories you receive:</b> {escape(now)}\n"
        "Tap a category to add or remove it (✓ = chosen); none chosen means all. "
        "Counts are papers in all digests, cross-lists included. You can also send "
        "<code>/categories cs.LG cs.DC</code>, or <code>/categories all</code> to clear."
    )


def categories_set(chosen: frozenset[str]) -> str:
    if not chosen:
        return "You will receive papers from all categories."
    return "You will receive papers in: " + escape(", ".join(sorted(chosen, key=str.casefold)))


WELCOME = (
    "<b>Hello!</b> I read the daily arXiv digests of the daily-arXiv-ai-enhanced project: "
    "every new paper with an AI-written TL;DR.\n\n"
    "• Send an arXiv id or link to see a paper's card.\n"
    "• Send any words to search all digests (Chinese too).\n"
    "• Subscribe to receive, each day, the papers that match your categories, keywords and "
    "authors.\n\n"
    "/help lists every command."
)

QUERY_LANGUAGE = (
    'Search: words (all must match), "exact phrase", -excluded, cat:cs.LG, author:Name, '
    "since:2025-10-01, until:2025-10-31."
)


def help_text(
    entries: Sequence[tuple[str, str, Sequence[str], Sequence[str]]], *, examples: bool
) -> str:
    """The command list (name, summary, aliases, examples); examples only where space allows."""
    lines = ["<b>Commands</b>"]
    for name, summary, aliases, samples in entries:
        also = "".join(f" (or /{alias})" for alias in aliases)
        lines.append(f"/{name}{also} — {escape(summary)}")
        if examples and samples:
            shown = ", ".join(f"<code>/{name} {escape(s)}</code>" for s in samples)
            lines.append(f"    e.g. {shown}")
    lines += ["", escape(QUERY_LANGUAGE)]
    if examples:
        lines += ["", escape(MATCHING_RULE)]
    lines += ["", "An arXiv id or link on its own opens that paper; any other text is searched."]
    return "\n".join(lines)


def admin_stats(figures: Sequence[tuple[str, object]], warnings: Sequence[str]) -> str:
    """``/stats`` for the bot's admins: one ``label: value`` line per figure, then warnings."""
    lines = ["<b>digestbot stats</b>"]
    lines += [f"{escape(label)}: {escape(str(value))}" for label, value in figures]
    if warnings:
        lines.append(f"last ingest warnings ({len(warnings)}):")
        lines += [f"• {escape(w[:300])}" for w in warnings[:10]]
    return "\n".join(lines)


def ingest_report(result: IngestResult) -> str:
    """The admins' data-quality report after a digest is stored."""
    lines = [
        f"<b>Stored the digest of {result.date.isoformat()}</b>",
        escape(result.source),
        f"papers: {result.papers_new} new, {result.papers_updated} updated, "
        f"{result.papers_unchanged} unchanged",
    ]
    quality = result.quality
    if quality is not None:
        top = ", ".join(f"{escape(c)} {n}" for c, n in quality.per_category[:12])
        more = len(quality.per_category) - 12
        lines += [
            f"per category: {top}" + (f" and {more} more" if more > 0 else ""),
            f"cross-listed: {quality.cross_listed}",
            f"duplicates merged: {quality.duplicates_merged}",
            f"without AI summary: {quality.missing_summary}",
        ]
    if result.warnings:
        lines.append(f"warnings ({len(result.warnings)}):")
        lines += [f"• {escape(w[:300])}" for w in result.warnings[:10]]
    return "\n".join(lines)


def ingest_failed(error: str) -> str:
    return f"<b>A digest could not be stored</b>\n{escape(error[:1000])}"


def source_problem(problem: SourceProblem) -> str:
    if problem.recovered:
        return f"Source working again: {escape(problem.source)}"
    return f"<b>Source failing</b>: {escape(problem.source)}\n{escape(problem.message[:1000])}"


def summaries_set(language: str | None) -> str:
    if language is None:
        return "Papers will show their AI summary in whatever language the digests brought."
    name = LANGUAGE_NAMES.get(language, language)
    return (
        f"Papers will show their {name} AI summary; one without it shows another language's, "
        "and says so. /summaries any shows whatever the digests brought."
    )


def topic_paused(chat_id: int, thread_id: int, *, closed: bool) -> str:
    """To a group's General topic: deliveries to one of its topics stopped."""
    link = f"https://t.me/c/{str(-chat_id).removeprefix('100')}/{thread_id}"
    what = "was closed" if closed else "was deleted"
    return (
        f"Deliveries to the topic {escape(link)} stopped: it {what}. Its settings are kept; "
        "an administrator's /subscribe in that topic, once it is open again, resumes them. "
        "The group's other subscriptions go on."
    )
