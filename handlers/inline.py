"""Inline mode: ``@botname query`` in any chat answers with papers from the local index."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from functools import lru_cache, partial

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import InlineQueryHandler

from bot.locales import locale
from bot.markup import inline_markup
from bot.models import Paper
from bot.rules.inline_pages import PAGE_SIZE, InlinePage, Source, inline_page, next_offset
from bot.text.inline_results import InlineArticle, paper_article
from handlers.context import BotContext
from storage.store import Store

log = logging.getLogger(__name__)

SAVED_LOOKUP = 10_000
"""Saved papers read to leave them out of the digest's list: more than anyone keeps."""
RESULTS_KEPT = 2048
"""Results kept built (a few MB): the keystrokes of one phrase find mostly the same papers."""


@dataclass(frozen=True, slots=True)
class Found:
    """The papers of one answer, which of them the person saved, and the next page's offset."""

    papers: tuple[Paper, ...] = ()
    saved: frozenset[str] = field(default_factory=frozenset)
    next_offset: str = ""

    def marked(self) -> list[tuple[Paper, bool]]:
        return [(paper, paper.id in self.saved) for paper in self.papers]


async def inline_query(update: Update, context: BotContext) -> None:
    """Papers for what the person typed: a search, an id or link, or, with nothing typed,
    their saved papers and then the newest digest's."""
    query = update.inline_query
    if query is None:
        return
    page = inline_page(query.query, query.offset)
    found = Found()
    if page is not None:
        found = await context.services.reads.run(partial(read_page, page, query.from_user.id))
    username, tr = context.bot.username, context.tr(update)
    results = ",".join(
        result_json(paper, username, saved, tr.code) for paper, saved in found.marked()
    )
    # Telegram hands a shared answer to anyone typing the same query, whatever their language:
    # every answer is its person's, so a Chinese reader never gets one made in English.
    personal = page is not None
    try:
        await context.bot.answer_inline_query(
            query.id,
            (),
            cache_time=page.cache_seconds if page else 0,
            is_personal=personal if page else None,
            # None, not "": with Defaults set, PTB 22.8 sends any "" argument as "[]" (its
            # InputPollOption case in ExtBot._insert_defaults matches an empty string), which
            # Telegram would hand back as the offset of a next page.
            next_offset=found.next_offset or None,
            api_kwargs={"results": f"[{results}]"},  # see result_json
        )
    except BadRequest as exc:
        if "query is too old" not in exc.message.lower():
            raise
        log.info("inline query %s was answered after Telegram stopped waiting", query.id)


def handler() -> InlineQueryHandler[BotContext, None]:
    return InlineQueryHandler(inline_query)


@lru_cache(maxsize=RESULTS_KEPT)
def result_json(paper: Paper, bot_username: str, saved: bool, language: str) -> str:
    """The paper's result as the JSON Telegram reads, made once while it is kept.

    The keystrokes of one phrase find mostly the same papers; python-telegram-bot would build
    and serialise fifty result objects again for every answer (4 ms of the event loop, a third
    of an answer's cost), so the answer carries this text in ``results`` instead. A paper whose
    digest text changed is another key.
    """
    article = paper_article(paper, bot_username=bot_username, saved=saved, tr=locale(language))
    result = as_result(article)
    return json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":"))


def as_result(article: InlineArticle) -> InlineQueryResultArticle:
    message = InputTextMessageContent(
        article.message,
        parse_mode=ParseMode.HTML,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    return InlineQueryResultArticle(
        article.id,
        article.title,
        message,
        reply_markup=inline_markup(article.keyboard),
        description=article.description,
    )


def read_page(page: InlinePage, user_id: int, store: Store) -> Found:
    """The page's papers (in a reader thread)."""
    if page.source is Source.PAPER:
        paper = store.paper(page.paper_id or "")
        return Found(papers=(paper,) if paper else ())
    if page.source is Source.SEARCH:
        assert page.query is not None
        hits = store.search(page.query, limit=PAGE_SIZE, offset=page.start)
        more = next_offset(Source.SEARCH, page.start + PAGE_SIZE) if hits.has_more else ""
        return Found(papers=tuple(hit.paper for hit in hits.hits), next_offset=more)
    return read_personal(page, user_id, store)


def read_personal(page: InlinePage, user_id: int, store: Store) -> Found:
    """The person's saved papers, newest first, then the newest digest's papers they did not
    save, in the digest's order."""
    saved: tuple[Paper, ...] = ()
    start = page.start
    if page.source is Source.SAVED:
        shelf = store.saved_papers(user_id, limit=PAGE_SIZE, offset=page.start)
        saved, start = shelf.papers, 0
        if page.start + PAGE_SIZE < shelf.total:
            more = next_offset(Source.SAVED, page.start + PAGE_SIZE)
            return Found(saved, frozenset(p.id for p in saved), more)
    skip = set(store.saved_ids(user_id, limit=SAVED_LOOKUP)[0]) | {p.id for p in saved}
    digest, more = read_digest(store, start=start, room=PAGE_SIZE - len(saved), skip=skip)
    return Found((*saved, *digest), frozenset(p.id for p in saved), more)


def read_digest(store: Store, *, start: int, room: int, skip: set[str]) -> tuple[list[Paper], str]:
    """Up to ``room`` papers of the newest digest from position ``start``, those in ``skip``
    left out; and the offset of the rest ("" when there is none)."""
    latest = store.latest_digest()
    if latest is None:
        return [], ""
    found: list[Paper] = []
    position = start
    while len(found) < room and position < latest.papers:
        batch = store.papers_in_digest(latest.date, limit=PAGE_SIZE, offset=position)
        if not batch:
            return found, ""
        for paper in batch:
            if len(found) == room:
                break
            position += 1
            if paper.id not in skip:
                found.append(paper)
    return found, next_offset(Source.DIGEST, position) if position < latest.papers else ""
