"""The bot's background work: plan new digests, run the delivery worker, notify admins.

Planning and ingesting run in a worker thread with their own SQLite connection (parsing a big
digest or planning for thousands of chats must not stall the chats being answered); sending runs
on the event loop, paced by the application's rate limiter.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import TelegramError

from bot.config import Settings
from bot.delivery.ingest import MissingDateError, NotADigestError, ingest_raw
from bot.delivery.polling import SourcePoller
from bot.delivery.sources import RawDigest
from bot.digest.parse import DigestParseError, date_from_name
from bot.locales import SOURCE_LANGUAGE, locale
from bot.models import IngestResult
from bot.rules.feed import suggests
from bot.rules.matching import DigestIndex
from bot.rules.planning import plan_digest
from bot.text import messages
from bot.text.language import Locale
from bot.text.limits import split_message
from storage.store import Store

log = logging.getLogger(__name__)


def plan_due(store: Store, *, default_timezone: str) -> int:
    """Plan every digest file fetched for delivery and not planned yet; deliveries written.

    The chats' models are refreshed first (only those with new ratings are trained again), so a
    summary is ordered by every rating given before its digest arrived.
    """
    written = 0
    digests = store.digests_to_plan()
    if digests:
        store.refresh_models()
    for digest in digests:
        papers = store.papers_in_digest(digest.date)
        subscriptions = store.active_subscriptions(default_timezone=default_timezone)
        # A weekly roll-up is ranked as it is sent; a chat that wants neither order nor
        # suggestions from its model is not scored.
        wanted = {
            sub.chat_id
            for sub in subscriptions
            if not sub.weekly and (sub.ranking or sub.suggest is not False)
        }
        rankings = store.rankings(sorted(wanted), papers)
        suggest_to = {
            sub.key
            for sub in subscriptions
            if sub.chat_id in rankings and suggests(sub, store.feedback_counts(sub.chat_id))
        }
        planned = plan_digest(
            DigestIndex(papers),
            subscriptions,
            delivered=store.delivered_papers(papers),
            already_planned=store.chats_with_delivery(digest.date),
            arrived=digest.arrived,
            rankings=rankings,
            suggest_to=suggest_to,
        )
        written += store.save_plan(digest, planned)
    return written


def plan_due_in_thread(db_path: Path, *, default_timezone: str) -> int:
    store = Store.open(db_path)
    try:
        return plan_due(store, default_timezone=default_timezone)
    finally:
        store.close()


async def plan_now(db_path: Path, *, default_timezone: str) -> int:
    """Plan in a worker thread. Callers hold the application's ``work_lock``: a planner reads
    what was delivered before it writes, so two at once could plan a paper twice."""
    return await asyncio.to_thread(plan_due_in_thread, db_path, default_timezone=default_timezone)


Say = Callable[[Locale], str]
"""A message, written in the language it is given."""
ChatLanguage = Callable[[int], str | None]
"""A chat's interface language (``Store.chat_language``), None when it has none on record."""


def _no_language(chat_id: int) -> str | None:
    return None


def _said(builder: Callable[..., str], value: object) -> Say:
    """``builder(value, tr=…)`` for the language ``tell_admins`` gives."""
    return lambda tr: builder(value, tr=tr)


async def tell_admins(
    bot: Bot, admin_ids: frozenset[int], say: Say, *, language: ChatLanguage = _no_language
) -> None:
    """Send what ``say`` writes to every admin, each in the language of their private chat
    with the bot; an admin who never started the bot is skipped."""
    for admin in sorted(admin_ids):
        text = say(locale(language(admin) or SOURCE_LANGUAGE))
        for part in split_message(text):
            try:
                await bot.send_message(admin, part, parse_mode=ParseMode.HTML)
            except TelegramError as exc:
                log.warning("could not tell admin %s: %s", admin, exc)
                break


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    result: IngestResult | None = None
    error: str | None = None
    """Why the digest cannot be stored (it was recorded; it is not fetched again unchanged)."""


def ingest_found_in_thread(db_path: Path, raw: RawDigest, now: dt.datetime) -> IngestOutcome:
    """Parse and store a fetched digest for delivery, with a connection of this thread's own."""
    store = Store.open(db_path)
    try:
        try:
            return IngestOutcome(result=ingest_raw(store, raw, now=now, deliver=True))
        except (MissingDateError, NotADigestError, DigestParseError) as exc:
            error = str(exc) if not isinstance(exc, DigestParseError) else f"{raw.name}: {exc}"
            store.record_ingest_failure(
                source=raw.name,
                date=date_from_name(raw.name),
                content_hash=raw.content_hash,
                error=error,
                now=now,
            )
            return IngestOutcome(error=error)
    finally:
        store.close()


@dataclass(slots=True)
class PollSummary:
    stored: int = 0
    failed: int = 0
    planned: int = 0


async def poll_and_plan(
    poller: SourcePoller,
    *,
    settings: Settings,
    bot: Bot,
    now: Callable[[], dt.datetime],
    language: ChatLanguage = _no_language,
) -> PollSummary:
    """One round: fetch what is new, store it for delivery, tell the admins (each in the
    language of ``language``), plan deliveries."""
    summary = PollSummary()
    more = True
    while more:
        result = await poller.poll()
        more = result.more
        for found in result.found:
            started = time.perf_counter()
            outcome = await asyncio.to_thread(
                ingest_found_in_thread, settings.db_path, found.raw, now()
            )
            stored = outcome.result
            papers = stored.papers_new + stored.papers_updated if stored else 0
            poller.metrics.ingested(time.perf_counter() - started, papers=papers)
            poller.mark_seen(found)
            if outcome.error is not None:
                summary.failed += 1
                log.warning("could not store %s: %s", found.raw.name, outcome.error)
                await tell_admins(
                    bot,
                    settings.admin_ids,
                    _said(messages.ingest_failed, outcome.error),
                    language=language,
                )
            elif outcome.result is not None and not outcome.result.skipped:
                summary.stored += 1
                await tell_admins(
                    bot,
                    settings.admin_ids,
                    _said(messages.ingest_report, outcome.result),
                    language=language,
                )
        for problem in result.problems:
            await tell_admins(
                bot,
                settings.admin_ids,
                _said(messages.source_problem, problem),
                language=language,
            )
    summary.planned = await plan_now(settings.db_path, default_timezone=settings.default_timezone)
    return summary
